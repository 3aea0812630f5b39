/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Search answers as CSV (RFC 4180, quoted by libcsv) or TSV (see table.h). */
#include "table.h"
#include "term.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

const char *const msk_table_hit_columns[] = {
    "rank", "id", "date", "organ", "kommune", "title", "case_number", "case_title",
    "proposal", "decision", "vote", "votes_for", "votes_against", "page", "score", "path",
    "snippet", "file_types", "file_ids", "twin_path", NULL};
enum { N_HIT_COLUMNS = sizeof msk_table_hit_columns / sizeof *msk_table_hit_columns - 1,
       COL_SNIPPET = 16, COL_FILE_TYPES, COL_FILE_IDS, COL_TWIN_PATH };

bool msk_table_format_named(const char *name, msk_table_format *out)
{
    if (name != NULL && strcmp(name, "csv") == 0)
        *out = MSK_TABLE_CSV;
    else if (name != NULL && strcmp(name, "tsv") == 0)
        *out = MSK_TABLE_TSV;
    else
        return false;
    return true;
}

/* Print one TSV field: tabs and line ends become spaces. */
static void tsv_field(FILE *out, const char *s)
{
    for (; *s != '\0'; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

void msk_table_row(FILE *out, msk_table_format f, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputc(f == MSK_TABLE_CSV ? ',' : '\t', out);
        char *safe = msk_term_escaped(fields[i] != NULL ? fields[i] : "", true);
        const char *s = safe != NULL ? safe : "";
        if (f == MSK_TABLE_CSV)
            csv_fwrite2(out, s, strlen(s), '"');
        else
            tsv_field(out, s);
        free(safe);
    }
    fputs(f == MSK_TABLE_CSV ? "\r\n" : "\n", out);
}

/* Snippet HTML (escaped text, matches in <mark>…</mark>) as plain text
 * into a new string (caller frees), NULL when out of memory. */
static char *snippet_plain(const char *html)
{
    static const struct { const char *from, *to; } subs[] = {
        {"<mark>", ""}, {"</mark>", ""}, {"&amp;", "&"}, {"&lt;", "<"},
        {"&gt;", ">"},  {"&quot;", "\""}, {"&#39;", "'"},
    };
    char *out = malloc(strlen(html) + 1), *w = out;
    if (out == NULL)
        return NULL;
    for (const char *p = html; *p != '\0';) {
        size_t k = 0;
        while (k < sizeof subs / sizeof *subs && strncmp(p, subs[k].from, strlen(subs[k].from)) != 0)
            k++;
        if (k == sizeof subs / sizeof *subs) {
            *w++ = *p++;
            continue;
        }
        size_t n = strlen(subs[k].to); /* never longer than what it replaces */
        memcpy(w, subs[k].to, n);
        w += n;
        p += strlen(subs[k].from);
    }
    *w = '\0';
    return out;
}

/* v as text into buf: a string as is, a number in decimal, else NULL. */
static const char *scalar(json_t *v, char *buf, size_t cap)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, cap, "%.3f", json_real_value(v));
        return buf;
    }
    return NULL;
}

/* The "files" of a hit: their types and ids, each joined by spaces in
 * order (the file shown first) into *types and *ids (caller frees); returns
 * the path of the second file (borrowed), or NULL. */
static const char *file_columns(json_t *files, char **types, char **ids)
{
    size_t n = json_array_size(files), cap = 24 * (n + 1);
    *types = calloc(1, cap);
    *ids = calloc(1, cap);
    if (*types == NULL || *ids == NULL)
        return NULL;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        const char *t = json_string_value(json_object_get(f, "type"));
        const char *id = json_string_value(json_object_get(f, "id"));
        size_t tl = strlen(*types), il = strlen(*ids);
        snprintf(*types + tl, cap - tl, "%s%.16s", i ? " " : "", t ? t : "");
        snprintf(*ids + il, cap - il, "%s%.16s", i ? " " : "", id ? id : "");
    }
    return json_string_value(json_object_get(json_array_get(files, 1), "path"));
}

/* Print one hit as a row. */
static void hit_row(FILE *out, msk_table_format f, json_t *h)
{
    json_t *c = json_object_get(h, "case");
    json_t *vote = json_object_get(c, "vote");
    json_t *values[N_HIT_COLUMNS] = {
        json_object_get(h, "rank"),       json_object_get(h, "id"),
        json_object_get(h, "date"),       json_object_get(h, "organ"),
        json_object_get(h, "kommune"),    json_object_get(h, "title"),
        json_object_get(c, "number"),     json_object_get(c, "title"),
        json_object_get(c, "proposal"),   json_object_get(c, "decision"),
        json_object_get(vote, "outcome"), json_object_get(vote, "for"),
        json_object_get(vote, "against"), json_object_get(h, "page"),
        json_object_get(h, "score"),      json_object_get(h, "path"),
        NULL, /* the snippet, as plain text */
        NULL, NULL, NULL, /* the meeting's files (file_columns) */
    };
    char bufs[N_HIT_COLUMNS][32];
    const char *fields[N_HIT_COLUMNS];
    for (size_t i = 0; i < N_HIT_COLUMNS; i++)
        fields[i] = scalar(values[i], bufs[i], sizeof bufs[i]);
    const char *snip = json_string_value(json_object_get(h, "snippet"));
    char *plain = snip != NULL ? snippet_plain(snip) : NULL;
    fields[COL_SNIPPET] = plain;
    char *types = NULL, *ids = NULL;
    fields[COL_TWIN_PATH] = file_columns(json_object_get(h, "files"), &types, &ids);
    fields[COL_FILE_TYPES] = types;
    fields[COL_FILE_IDS] = ids;
    msk_table_row(out, f, fields, N_HIT_COLUMNS);
    free(plain);
    free(types);
    free(ids);
}

void msk_table_hits(FILE *out, msk_table_format f, json_t *res, bool header)
{
    if (header)
        msk_table_row(out, f, msk_table_hit_columns, N_HIT_COLUMNS);
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h)
        hit_row(out, f, h);
}
