/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by motesok (--format csv|tsv) and motesokd (format=csv): search
 * answers and lists as rows of CSV or TSV. CSV is RFC 4180: a header row,
 * every field quoted (quotes doubled, written by libcsv), CRLF after each
 * row. TSV has no quoting: a tab, CR or LF inside a field becomes a space,
 * rows end in LF. Text is first made safe to print (common/term.h): a
 * control character other than tab and newline becomes \xNN. */
#ifndef MSK_COMMON_TABLE_H
#define MSK_COMMON_TABLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

typedef enum msk_table_format { MSK_TABLE_CSV, MSK_TABLE_TSV } msk_table_format;

/* The format named name ("csv" or "tsv") into *out; false for another. */
bool msk_table_format_named(const char *name, msk_table_format *out);

/* Print one row of n fields (a NULL field is empty). */
void msk_table_row(FILE *out, msk_table_format f, const char *const *fields, size_t n);

/* Print the hits of a search answer (the API's JSON object), one row each,
 * after the header row when header; the columns are msk_table_hit_columns. */
void msk_table_hits(FILE *out, msk_table_format f, json_t *res, bool header);

/* The header of msk_table_hits, NULL-terminated. */
extern const char *const msk_table_hit_columns[];

#endif
