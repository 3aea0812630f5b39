/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the HTTP API's JSON answers (DESIGN.md "HTTP API"), rendered
 * from the library's typed results. Each function returns compact JSON
 * with its keys in the contract's order (caller frees with free()), or
 * NULL when out of memory or when a string is not valid UTF-8. */
#ifndef SD_JSON_H
#define SD_JSON_H

#include <motesok/search.h>

/* The search response: query, totals, suggestion, the bounds that cut
 * the work ("limited", "limited_by"), hits, facets. */
char *sd_json_search(const motesok_search_result *r);

/* The search response as CSV (common/table.h: a header row, one row per
 * hit); *len gets its length. Caller frees; NULL when out of memory. */
char *sd_csv_search(const motesok_search_result *r, size_t *len);

/* A document's metadata, store record and cases. */
char *sd_json_document(const motesok_document *d);

/* A document's text: {"id", "page", "pages", "text"}. */
char *sd_json_text(const motesok_page_text *t);

/* The index status: counts, revision, last run, failures, size, shards,
 * analysis. */
char *sd_json_status(const motesok_index_status *st);

/* {"total","offset","limit","files":[{"path","status","reason","message","at"}]}
 * (caller frees); a path that is not UTF-8 is shown with \xNN escapes. */
char *sd_json_problems(const motesok_problem_list *l);

#endif
