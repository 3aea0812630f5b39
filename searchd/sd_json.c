/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the JSON of the HTTP API, built with jansson from the
 * library's structs (see sd_json.h). Keys are added in the contract's
 * order and printed in that order. Where a hit or a document's metadata
 * has an empty string, the answer has null (as the contract's nullable
 * fields); a document's cases show their fields as stored. */
#include "sd_json.h"

#include "table.h"
#include "term.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* ======================================================================== */
/* values                                                                   */
/* ======================================================================== */

/* Print j compactly in insertion order, and release j; NULL on failure. */
static char *dump(json_t *j)
{
    char *out = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
                  : NULL;
    json_decref(j);
    return out;
}

/* A JSON string of s, or null when s is NULL or empty. */
static json_t *string_or_null(const char *s)
{
    return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

/* A JSON string of s, or null when s is NULL ("" stays ""). */
static json_t *string_as_is(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* A JSON integer of n, or null when n is MOTESOK_NO_NUMBER. */
static json_t *number_or_null(int64_t n)
{
    return n != MOTESOK_NO_NUMBER ? json_integer((json_int_t)n) : json_null();
}

/* A case's vote {"outcome", "for", "against"}, or null when none. */
static json_t *vote_json(const motesok_case_info *c)
{
    if (!c->has_vote)
        return json_null();
    json_t *v = json_object();
    json_object_set_new(v, "outcome", string_as_is(c->vote.outcome));
    json_object_set_new(v, "for", number_or_null(c->vote.votes_for));
    json_object_set_new(v, "against", number_or_null(c->vote.votes_against));
    return v;
}

/* ======================================================================== */
/* search                                                                   */
/* ======================================================================== */

/* A hit's "case": {"number", "title", "proposal", "decision", "vote"}, or
 * null when the hit is not a case. */
static json_t *hit_case_json(const motesok_case_info *c)
{
    if (c == NULL)
        return json_null();
    json_t *out = json_object();
    json_object_set_new(out, "number", string_or_null(c->number));
    json_object_set_new(out, "title", string_or_null(c->title));
    json_object_set_new(out, "proposal", string_or_null(c->proposal));
    json_object_set_new(out, "decision", string_or_null(c->decision));
    json_object_set_new(out, "vote", vote_json(c));
    return out;
}

/* One hit, keys in the contract's order. */
/* The files of a meeting: [{"id", "type", "path", "pages"}…], the one
 * shown first. */
static json_t *files_json(const motesok_file_ref *f, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; out != NULL && i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", string_or_null(f[i].id));
        json_object_set_new(o, "type", string_or_null(f[i].type));
        json_object_set_new(o, "path", string_or_null(f[i].path));
        json_object_set_new(o, "pages", number_or_null(f[i].pages));
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *hit_json(const motesok_hit *h)
{
    json_t *hit = json_object();
    json_object_set_new(hit, "rank", json_integer((json_int_t)h->rank));
    json_object_set_new(hit, "score", json_real(h->score));
    json_object_set_new(hit, "id", string_or_null(h->id));
    json_object_set_new(hit, "path", string_or_null(h->path));
    json_object_set_new(hit, "title", string_or_null(h->title));
    json_object_set_new(hit, "organ", string_or_null(h->organ));
    json_object_set_new(hit, "kommune", string_or_null(h->kommune));
    json_object_set_new(hit, "date", string_or_null(h->date));
    json_object_set_new(hit, "page", number_or_null(h->page));
    json_object_set_new(hit, "ocr", json_boolean(h->ocr));
    json_object_set_new(hit, "case", hit_case_json(h->matched_case));
    json_object_set_new(hit, "files", files_json(h->files, h->n_files));
    json_object_set_new(hit, "snippet", json_string(h->snippet));
    return hit;
}

/* "facets": {"organ": {value: count}, "kommune": {…}, "year": {…}}. */
static json_t *facets_json(const motesok_search_result *r)
{
    json_t *facets = json_object();
    for (size_t f = 0; f < r->n_facets; f++) {
        json_t *obj = json_object();
        for (size_t j = 0; j < r->facets[f].n_values; j++)
            json_object_set_new(obj, r->facets[f].values[j].value,
                                json_integer((json_int_t)r->facets[f].values[j].count));
        json_object_set_new(facets, r->facets[f].name, obj);
    }
    return facets;
}

/* "limited_by": the names of the bounds that cut the work, in bit order. */
static json_t *limits_json(unsigned limited)
{
    json_t *out = json_array();
    for (unsigned bit = 1; bit != 0 && bit <= limited; bit <<= 1) {
        const char *name = (limited & bit) ? motesok_limit_name(bit) : NULL;
        if (name != NULL)
            json_array_append_new(out, json_string(name));
    }
    return out;
}

/* The search response as a JSON value (caller releases). */
static json_t *search_json(const motesok_search_result *r)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < r->n_hits; i++)
        json_array_append_new(hits, hit_json(&r->hits[i]));
    json_t *out = json_object();
    json_object_set_new(out, "query", json_string(r->query));
    json_object_set_new(out, "total", json_integer((json_int_t)r->total));
    json_object_set_new(out, "total_exact", json_boolean(r->total_exact));
    json_object_set_new(out, "offset", json_integer(r->offset));
    json_object_set_new(out, "limit", json_integer(r->limit));
    json_object_set_new(out, "took_ms", json_real(r->took_ms));
    json_object_set_new(out, "suggestion", string_or_null(r->suggestion));
    json_object_set_new(out, "suggestion_searched", json_boolean(r->suggestion_searched));
    json_object_set_new(out, "any_word", json_boolean(r->any_word));
    json_object_set_new(out, "any_part", json_boolean(r->any_part));
    json_object_set_new(out, "limited", json_boolean(r->limited != 0));
    json_object_set_new(out, "limited_by", limits_json(r->limited));
    json_object_set_new(out, "hits", hits);
    json_object_set_new(out, "facets", facets_json(r));
    return out;
}

char *sd_json_search(const motesok_search_result *r)
{
    return dump(search_json(r));
}

char *sd_csv_search(const motesok_search_result *r, size_t *len)
{
    json_t *j = search_json(r);
    char *buf = NULL;
    *len = 0;
    FILE *out = j != NULL ? open_memstream(&buf, len) : NULL;
    if (out != NULL) {
        msk_table_hits(out, MSK_TABLE_CSV, j, true);
        if (fclose(out) != 0) {
            free(buf);
            buf = NULL;
        }
    }
    json_decref(j);
    return buf;
}

/* ======================================================================== */
/* documents and text                                                       */
/* ======================================================================== */

/* A document's case, its fields as stored, and its first page. */
static json_t *doc_case_json(const motesok_case_info *c)
{
    json_t *out = json_object();
    json_object_set_new(out, "number", string_as_is(c->number));
    json_object_set_new(out, "key", string_as_is(c->key));
    json_object_set_new(out, "title", string_as_is(c->title));
    json_object_set_new(out, "proposal", string_as_is(c->proposal));
    json_object_set_new(out, "decision", string_as_is(c->decision));
    json_object_set_new(out, "vote", vote_json(c));
    json_object_set_new(out, "page", number_or_null(c->page));
    return out;
}

char *sd_json_document(const motesok_document *d)
{
    const struct {
        const char *key, *value;
    } strings[] = {
        {"id", d->id},           {"path", d->path},         {"title", d->title},
        {"organ", d->organ},     {"kommune", d->kommune},   {"date", d->date},
        {"place", d->place},     {"present", d->present},   {"absent", d->absent},
        {"referent", d->referent}, {"mime", d->mime},       {"encoding", d->encoding},
    };
    json_t *out = json_object();
    for (size_t k = 0; k < sizeof strings / sizeof *strings; k++)
        json_object_set_new(out, strings[k].key, string_or_null(strings[k].value));
    json_object_set_new(out, "pages", number_or_null(d->pages));
    json_object_set_new(out, "size", number_or_null(d->size));
    json_object_set_new(out, "mtime", number_or_null(d->mtime));
    json_object_set_new(out, "status", string_or_null(d->status));
    json_object_set_new(out, "hash", string_or_null(d->hash));
    json_object_set_new(out, "indexed_at", number_or_null(d->indexed_at));
    json_object_set_new(out, "files", files_json(d->files, d->n_files));
    json_t *cases = json_array();
    for (size_t i = 0; i < d->n_cases; i++)
        json_array_append_new(cases, doc_case_json(&d->cases[i]));
    json_object_set_new(out, "cases", cases);
    json_t *ocr = json_array();
    for (size_t i = 0; i < d->n_ocr_pages; i++)
        json_array_append_new(ocr, json_integer((json_int_t)d->ocr_pages[i]));
    json_object_set_new(out, "ocr_pages", ocr);
    return dump(out);
}

char *sd_json_text(const motesok_page_text *t)
{
    return dump(json_pack("{s:s, s:I, s:I, s:b, s:o}", "id", t->id, "page", (json_int_t)t->page,
                          "pages", (json_int_t)t->pages, "ocr", t->ocr, "text",
                          json_stringn(t->text, t->text_len)));
}

/* ======================================================================== */
/* status                                                                   */
/* ======================================================================== */

/* Seconds (0 or more; less counts as 0) as a JSON number rounded to
 * milliseconds. */
static json_t *seconds_json(double s)
{
    return json_real(s > 0 && s < 1e12 ? (double)(long long)(s * 1000.0 + 0.5) / 1000.0 : 0.0);
}

/* The status's "ocr": pages kept, and what the last run read by OCR, the
 * cache answered, and the time OCR took (in all and a page; a page's time
 * is null when the run read none). */
static json_t *status_ocr_json(const motesok_index_status *st)
{
    double secs = st->ocr_last_run_seconds;
    int64_t pages = st->ocr_last_run_pages;
    json_t *per_page = pages > 0 ? seconds_json(secs / (double)pages) : json_null();
    return json_pack("{s:I, s:I, s:I, s:o, s:o}", "pages_kept", (json_int_t)st->ocr_pages_kept,
                     "last_run_pages", (json_int_t)pages, "last_run_cache_hits",
                     (json_int_t)st->ocr_last_run_cached, "last_run_seconds", seconds_json(secs),
                     "last_run_seconds_per_page", per_page);
}

char *sd_json_status(const motesok_index_status *st)
{
    json_t *failures = json_object();
    for (size_t i = 0; i < st->n_failures; i++)
        json_object_set_new(failures, st->failures[i].reason,
                            json_integer((json_int_t)st->failures[i].count));
    json_t *out = json_object();
    json_object_set_new(out, "documents", json_integer((json_int_t)st->documents));
    json_object_set_new(out, "cases", json_integer((json_int_t)st->cases));
    json_object_set_new(out, "failed", json_integer((json_int_t)st->failed));
    json_object_set_new(out, "unsupported", json_integer((json_int_t)st->unsupported));
    json_object_set_new(out, "revision", json_integer((json_int_t)st->revision));
    json_object_set_new(out, "last_run", string_or_null(st->last_run));
    json_object_set_new(out, "failures", failures);
    json_object_set_new(out, "index_bytes", json_integer((json_int_t)st->index_bytes));
    json_object_set_new(out, "shards", json_integer((json_int_t)st->shards));
    json_object_set_new(out, "ocr", status_ocr_json(st));
    json_object_set_new(out, "analysis",
                        json_pack("{s:s, s:s?, s:b}", "loaded", st->analysis_loaded, "index",
                                  st->analysis_index, "same", st->analysis_same));
    return dump(out);
}

/* ======================================================================== */
/* files that could not be indexed                                         */
/* ======================================================================== */

/* A JSON string of s; one that is not UTF-8 (a Latin-1 file name) as its
 * escaped display form (common/term.h), so that the answer stays JSON. */
static json_t *string_shown(const char *s)
{
    json_t *j = json_string(s);
    if (j != NULL)
        return j;
    char *e = msk_term_escaped(s, true);
    j = e ? json_string(e) : NULL;
    free(e);
    return j;
}

char *sd_json_problems(const motesok_problem_list *l)
{
    json_t *files = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const motesok_problem_file *f = &l->files[i];
        json_array_append_new(files, json_pack("{s:o, s:s, s:s, s:o, s:I}", "path", string_shown(f->path),
                                               "status", f->status, "reason", f->reason, "message",
                                               string_shown(f->message), "at", (json_int_t)f->at));
    }
    return dump(json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)l->total, "offset",
                          (json_int_t)l->offset, "limit", (json_int_t)l->limit, "files", files));
}
