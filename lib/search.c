/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Search over an index directory, answering in the typed structs of
 * include/motesok/search.h. No JSON is built here: jansson only reads the
 * metadata line that each stored passage carries (schema.h); the programs
 * render the answers (motesokd: searchd/sd_json.c). */
#include "internal.h"
#include "analysis/norsk.h"
#include "analysis/query.h"
#include "minutes/minutes.h"
#include "schema.h"
#include "motesok/search.h"
#include "store.h"
#include "xapian/xapian.h"
#include "shards.h"

#include <ctype.h>
#include <limits.h>
#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utf8proc.h>

#define DEFAULT_LIMIT 10u
#define DEFAULT_SNIPPET 240u
#define DEFAULT_TIME_LIMIT 1.0
#define MAX_SNIPPET 4096u
#define MAX_ORGAN_BYTES 256u
#define MAX_CASES 1000u
#define MAX_EXCLUDED 100000u /* files a "NOT x" query may exclude */
#define MAX_PATH_BYTES 4096u
#define PDF_MIME "application/pdf"
/* Weight added to case documents, so that a meeting's matching case is
 * shown before the whole document (one hit per meeting after collapse). */
#define CASE_BONUS 1.0
/* Matches checked beyond the page asked for: totals are Xapian's estimate
 * past them ("total_exact": false), and facets count the matches checked. */
#define EXTRA_CHECKED 100u
/* Below this many matches, a spelling suggestion is searched as well. */
#define SUGGEST_BELOW 3u
/* Below this many meetings with every word, passages with some of the
 * words are searched too, ranked after those with all where the words
 * weigh alike (bench/RESULTS.md: 10 against 3 gave nDCG@10 0.792 → 0.812
 * on the tune half, 0.858 → 0.876 and 0.934 → 0.936 on the old sets). */
#define RELAX_BELOW 10u

struct motesok_searcher {
    bool any_word; /* words combine with OR (the relaxed second search) */
    bool any_part; /* the last query run let a compound match by any part */
    bool spelling; /* the next parse_text wants a spelling suggestion */
    bool coordinate; /* the next parse_text, with any_word: a bonus a word held */
    bool parts_ok; /* the strict search found nothing: with any_word, a
                      compound may match by any of its parts */
    /* the search under way: when it must end, and the work it was cut in */
    double deadline_ms;      /* on now_ms()'s clock */
    unsigned limited;        /* motesok_limit bits */
    uint64_t expanded_terms; /* wildcard terms, over every parse */
    char *dir;
    motesok_xreader *xr;
    motesok_store *store;
    struct timespec stub_mtime; /* of the shard list the reader opened */
    size_t n_shards;            /* in that list */
    ino_t stub_ino;
};

/* Query fields: Norwegian and English names for the same prefixes. */
static const motesok_xfield query_fields[] = {
    {"tittel", MOTESOK_PREFIX_TITLE, false},    {"title", MOTESOK_PREFIX_TITLE, false},
    {"vedtak", MOTESOK_PREFIX_DECISION, false}, {"decision", MOTESOK_PREFIX_DECISION, false},
    {"organ", MOTESOK_PREFIX_ORGAN, false},     {"body", MOTESOK_PREFIX_ORGAN, false},
    {"sak", MOTESOK_PREFIX_CASE, false},        {"case", MOTESOK_PREFIX_CASE, false},
    {"kommune", MOTESOK_PREFIX_KOMMUNE, false}, {"municipality", MOTESOK_PREFIX_KOMMUNE, false},
};

static const motesok_xdaterange query_ranges[] = {
    {"dato", MOTESOK_SLOT_DATE},
    {"date", MOTESOK_SLOT_DATE},
};

/* ======================================================================== */
/* open / close                                                             */
/* ======================================================================== */

/* Write DIR/name into out[MAX_PATH_BYTES]; false if it does not fit. */
static bool join_path(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, MAX_PATH_BYTES, "%s/%s", dir, name);
    return n > 0 && (size_t)n < MAX_PATH_BYTES;
}

/* Open a reader over the shards listed in the index's stub, and note the
 * stub's identity so that a new shard layout is seen (begin_call). */
static motesok_status open_reader(motesok_searcher *s, motesok_error *err)
{
    char stub[MAX_PATH_BYTES], **dirs = NULL;
    size_t n = 0;
    struct stat st_stub;
    if (!join_path(stub, s->dir, MOTESOK_XAPIAN_STUB))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    motesok_status st = msk_shards_list(s->dir, &dirs, &n, err);
    if (st == MOTESOK_OK && stat(stub, &st_stub) == 0) {
        s->stub_mtime = st_stub.st_mtim;
        s->stub_ino = st_stub.st_ino;
    }
    motesok_xreader *xr = NULL;
    if (st == MOTESOK_OK)
        st = motesok_xreader_open((const char *const *)dirs, n, &xr, err);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
    if (st == MOTESOK_OK) {
        motesok_xreader_close(s->xr);
        s->xr = xr;
        s->n_shards = n;
    }
    return st;
}

motesok_status motesok_searcher_open(const char *index_dir, motesok_searcher **out,
                                     motesok_error *err)
{
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the searcher");
    *out = NULL;
    if (index_dir == NULL || *index_dir == '\0')
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no index directory given");
    char sfile[MAX_PATH_BYTES];
    if (!join_path(sfile, index_dir, MOTESOK_STORE_FILE))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    motesok_searcher *s = calloc(1, sizeof *s);
    if (s == NULL || (s->dir = msk_strdup(index_dir)) == NULL) {
        free(s);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    motesok_status st = open_reader(s, err);
    if (st == MOTESOK_OK)
        st = motesok_store_open(sfile, true, &s->store, err);
    if (st == MOTESOK_ERR_NOT_FOUND)
        msk_error_set(err, st, "no index at %s — run motesok-index --index %s PATH...",
                      index_dir, index_dir);
    if (st != MOTESOK_OK) {
        motesok_searcher_close(s);
        return st;
    }
    *out = s;
    return MOTESOK_OK;
}

void motesok_searcher_close(motesok_searcher *s)
{
    if (s == NULL)
        return;
    motesok_xreader_close(s->xr);
    motesok_store_close(s->store);
    free(s->dir);
    free(s);
}

/* Check the arguments every call shares and move to the latest commit. */
static motesok_status begin_call(motesok_searcher *s, motesok_error *err)
{
    if (s == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no searcher");
    /* the indexer laid the shards out anew: open the new ones */
    char stub[MAX_PATH_BYTES];
    struct stat st;
    if (join_path(stub, s->dir, MOTESOK_XAPIAN_STUB) && stat(stub, &st) == 0 &&
        (st.st_ino != s->stub_ino || st.st_mtim.tv_sec != s->stub_mtime.tv_sec ||
         st.st_mtim.tv_nsec != s->stub_mtime.tv_nsec))
        return open_reader(s, err);
    return motesok_xreader_reopen(s->xr, NULL, err);
}

/* ======================================================================== */
/* small helpers                                                            */
/* ======================================================================== */

/* Monotonic clock in milliseconds. */
static double now_ms(void)
{
    return msk_now_s() * 1e3;
}

/* Seconds left until the search under way must end (0 when past it). */
static double time_left_s(const motesok_searcher *s)
{
    double left = (s->deadline_ms - now_ms()) / 1e3;
    return left > 0 ? left : 0;
}

/* A time limit for one Xapian search of the search under way: what is
 * left, or a token one (the match then stops at once) past the deadline. */
static double match_time_limit(const motesok_searcher *s)
{
    double left = time_left_s(s);
    return left > 0.001 ? left : 0.001;
}

/* x rounded to 3 decimals. */
static double round3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

/* ======================================================================== */
/* request checks                                                           */
/* ======================================================================== */

/* Check the query text of a request. */
static motesok_status check_query(const char *q, motesok_error *err)
{
    if (q == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "missing query");
    if (strlen(q) > MOTESOK_MAX_QUERY_BYTES)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "query: longer than %u bytes",
                             MOTESOK_MAX_QUERY_BYTES);
    if (!msk_valid_utf8(q, strlen(q)))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "query: not valid UTF-8");
    return MOTESOK_OK;
}

/* Check the from/to bounds of a request (msk_query_date_range's rule, the
 * same as for dato:A..B in the query). */
static motesok_status check_dates(const char *from, const char *to, motesok_error *err)
{
    char lo[9], hi[9];
    if (from == NULL && to == NULL)
        return MOTESOK_OK;
    switch (msk_query_date_range(from, to, lo, hi)) {
    case MSK_DATES_BAD_FROM:
        return msk_error_set(err, MOTESOK_ERR_INVALID,
                             "from: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '%.40s'", from);
    case MSK_DATES_BAD_TO:
        return msk_error_set(err, MOTESOK_ERR_INVALID,
                             "to: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '%.40s'", to);
    case MSK_DATES_REVERSED:
        return msk_error_set(err, MOTESOK_ERR_INVALID, "from (%.40s) is after to (%.40s)", from,
                             to);
    default:
        return MOTESOK_OK;
    }
}

/* True if name is NULL or a name fit for a filter: short UTF-8. */
static bool valid_name(const char *name)
{
    return name == NULL ||
           (strlen(name) <= MAX_ORGAN_BYTES && msk_valid_utf8(name, strlen(name)));
}

/* Check a request and copy it into *r with the defaults filled in. */
static motesok_status validate(const motesok_search_request *req, motesok_search_request *r,
                               motesok_error *err)
{
    if (req == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no search request");
    *r = *req;
    motesok_status st = check_query(r->query, err);
    if (st != MOTESOK_OK)
        return st;
    if (r->limit == 0)
        r->limit = DEFAULT_LIMIT;
    if (r->limit > MOTESOK_MAX_LIMIT)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "limit: expected 1 to %u, got %u",
                             MOTESOK_MAX_LIMIT, r->limit);
    if (r->offset > MOTESOK_MAX_OFFSET)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "offset: expected 0 to %u, got %u",
                             MOTESOK_MAX_OFFSET, r->offset);
    st = check_dates(r->from, r->to, err);
    if (st != MOTESOK_OK)
        return st;
    if (!valid_name(r->organ))
        return msk_error_set(err, MOTESOK_ERR_INVALID,
                             "organ: expected an organ name of at most %u bytes of UTF-8",
                             MAX_ORGAN_BYTES);
    if (!valid_name(r->kommune))
        return msk_error_set(err, MOTESOK_ERR_INVALID,
                             "kommune: expected a name of at most %u bytes of UTF-8",
                             MAX_ORGAN_BYTES);
    if (r->sort != MOTESOK_SORT_RELEVANCE && r->sort != MOTESOK_SORT_DATE)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "sort: expected relevance or date");
    if (r->snippet_chars == 0)
        r->snippet_chars = DEFAULT_SNIPPET;
    if (r->snippet_chars > MAX_SNIPPET)
        r->snippet_chars = MAX_SNIPPET;
    if (!(r->time_limit_s > 0))
        r->time_limit_s = DEFAULT_TIME_LIMIT;
    return MOTESOK_OK;
}

/* ======================================================================== */
/* query building                                                           */
/* ======================================================================== */

/* End of the token that starts at p: a "phrase" or a run up to space or ')'. */
static const char *token_end(const char *p)
{
    if (*p == '"') {
        const char *q = strchr(p + 1, '"');
        return q ? q + 1 : p + strlen(p);
    }
    while (*p != '\0' && !isspace((unsigned char)*p) && *p != ')')
        p++;
    return p;
}

/* The query q with each bare word and phrase moved to one field, e.g.
 * "vedtak:"; operators, brackets and fielded words stay as they are. */
static char *field_query(const char *q, const char *field)
{
    msk_buf b = {.max = 8 * MOTESOK_MAX_QUERY_BYTES};
    motesok_status st = MOTESOK_OK;
    const char *p = q;
    while (st == MOTESOK_OK && *p != '\0') {
        if (isspace((unsigned char)*p) || *p == '(' || *p == ')') {
            st = msk_buf_append(&b, p++, 1);
            continue;
        }
        if (*p == '+' || *p == '-')
            st = msk_buf_append(&b, p++, 1);
        const char *end = token_end(p);
        size_t n = (size_t)(end - p);
        bool fielded = *p != '"' && memchr(p, ':', n) != NULL;
        if (st == MOTESOK_OK && n > 0 && !fielded && !msk_query_operator(p, n))
            st = msk_buf_append(&b, field, strlen(field));
        if (st == MOTESOK_OK)
            st = msk_buf_append(&b, p, n);
        p = end;
    }
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(&b);
    if (st != MOTESOK_OK) {
        msk_buf_free(&b);
        return NULL;
    }
    return b.data ? b.data : msk_strdup("");
}

/* Replace *q by (*q FILTER f); f is consumed, also on failure. */
static motesok_status add_filter(motesok_xquery **q, motesok_xquery *f, motesok_error *err)
{
    if (f == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory building the query");
    motesok_xquery *c = motesok_xquery_combine(MOTESOK_XOP_FILTER, *q, f);
    motesok_xquery_free(f);
    if (c == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory building the query");
    motesok_xquery_free(*q);
    *q = c;
    return MOTESOK_OK;
}

/* Replace *q by (*q OR o); o is consumed, also on failure. */
static motesok_status add_alternative(motesok_xquery **q, motesok_xquery *o, motesok_error *err)
{
    motesok_xquery *c = motesok_xquery_combine(MOTESOK_XOP_OR, *q, o);
    motesok_xquery_free(o);
    if (c == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory building the query");
    motesok_xquery_free(*q);
    *q = c;
    return MOTESOK_OK;
}

/* Replace *q by (*q AND_MAYBE b): b adds weight where it matches too; b is
 * consumed, also on failure. */
static motesok_status add_boost(motesok_xquery **q, motesok_xquery *b, motesok_error *err)
{
    if (b == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory building the query");
    motesok_xquery *c = motesok_xquery_combine(MOTESOK_XOP_AND_MAYBE, *q, b);
    motesok_xquery_free(b);
    if (c == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory building the query");
    motesok_xquery_free(*q);
    *q = c;
    return MOTESOK_OK;
}

/* The bonus of a passage of a meeting held in the month a query names
 * with its year: the month and the year, each worth a word held in the
 * relaxed search (COORD_WEIGHT, 6, in analysis/rewrite.c). On v11 (tuning)
 * 6 and 12 measured the same; with 6 a meeting of another month saying
 * the year in its text still ranked first (test_search). */
#define MONTH_BONUS 12.0

/* MONTH_BONUS for passages of meetings held from lo to hi (YYYYMMDD), or
 * NULL. */
static motesok_xquery *month_bonus(const char *lo, const char *hi)
{
    motesok_xquery *w = motesok_xquery_fixed_weight(MONTH_BONUS);
    motesok_xquery *k = motesok_xquery_value_range(MOTESOK_SLOT_DATE, lo, hi);
    motesok_xquery *q = w && k ? motesok_xquery_combine(MOTESOK_XOP_FILTER, w, k) : NULL;
    motesok_xquery_free(w);
    motesok_xquery_free(k);
    return q;
}

/* A constant bonus (CASE_BONUS) for case documents, or NULL. */
static motesok_xquery *case_bonus(void)
{
    motesok_xquery *w = motesok_xquery_fixed_weight(CASE_BONUS);
    motesok_xquery *k = motesok_xquery_term(MOTESOK_PREFIX_KIND "case");
    motesok_xquery *q = w && k ? motesok_xquery_combine(MOTESOK_XOP_FILTER, w, k) : NULL;
    motesok_xquery_free(w);
    motesok_xquery_free(k);
    return q;
}

/* The filter term prefix<case-folded name> (organ XB, kommune XM) as a
 * query, or NULL. */
static motesok_xquery *name_filter(const char *prefix, const char *name)
{
    char *folded = msk_casefold(name);
    if (folded == NULL)
        return NULL;
    size_t n = strlen(folded) + strlen(prefix) + 1;
    char *term = malloc(n);
    motesok_xquery *q = NULL;
    if (term != NULL) {
        snprintf(term, n, "%s%s", prefix, folded);
        q = motesok_xquery_term(term);
    }
    free(term);
    free(folded);
    return q;
}

/* The date range filter of r (checked by check_dates) on SLOT_DATE
 * (YYYYMMDD), or NULL. */
static motesok_xquery *date_filter(const motesok_search_request *r)
{
    char lo[9], hi[9];
    if (msk_query_date_range(r->from, r->to, lo, hi) != MSK_DATES_OK)
        return NULL;
    return motesok_xquery_value_range(MOTESOK_SLOT_DATE, *lo ? lo : NULL, *hi ? hi : NULL);
}

/* Append the value v (n bytes) of a sak:/case: field to b: its case key
 * quoted as a phrase when it is a case number ("56/09" → "56/2009", as
 * the index holds every case's key), else as it was typed. */
static motesok_status append_case_value(msk_buf *b, const char *v, size_t n)
{
    char raw[128], key[128];
    size_t inner = n >= 2 && v[0] == '"' && v[n - 1] == '"' ? n - 2 : n;
    const char *start = inner < n ? v + 1 : v;
    if (inner == 0 || inner >= sizeof raw)
        return msk_buf_append(b, v, n);
    memcpy(raw, start, inner);
    raw[inner] = '\0';
    if (motesok_case_key(raw, 0, key, sizeof key) != MOTESOK_OK)
        return msk_buf_append(b, v, n);
    motesok_status st = msk_buf_append(b, "\"", 1);
    if (st == MOTESOK_OK)
        st = msk_buf_append(b, key, strlen(key));
    return st == MOTESOK_OK ? msk_buf_append(b, "\"", 1) : st;
}

/* Fields that say which meetings to look in, not what they speak of: a
 * relaxed (any word) search still holds them. */
static const char *const constraint_fields[] = {"organ:", "body:", "kommune:", "municipality:",
                                                "sak:", "case:", "dato:", "date:"};

/* Length of the constraint field name at p (one of constraint_fields),
 * or 0. */
static size_t constraint_at(const char *p)
{
    for (size_t i = 0; i < sizeof constraint_fields / sizeof *constraint_fields; i++) {
        size_t n = strlen(constraint_fields[i]);
        if (strncmp(p, constraint_fields[i], n) == 0)
            return n;
    }
    return 0;
}

/* The constraint fields of q with their values, space-separated (caller
 * frees; "" when q has none); NULL when out of memory. */
static char *constraints_of(const char *q)
{
    msk_buf b = {0};
    motesok_status st = MOTESOK_OK;
    for (const char *p = q; st == MOTESOK_OK && *p != '\0'; p++) {
        size_t field = (p == q || isspace((unsigned char)p[-1]) || p[-1] == '(' || p[-1] == '+')
                           ? constraint_at(p) : 0;
        if (field == 0)
            continue;
        size_t n = (size_t)(token_end(p + field) - (p + field));
        st = msk_buf_append(&b, p, field + n);
        if (st == MOTESOK_OK)
            st = msk_buf_append(&b, " ", 1);
        p += field + n - (field + n > 0);
    }
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(&b);
    if (st != MOTESOK_OK) {
        msk_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* q with the value of every sak:/case: field written as its case key
 * (caller frees); NULL when out of memory. */
static char *with_case_keys(const char *q)
{
    msk_buf b = {0};
    motesok_status st = MOTESOK_OK;
    for (const char *p = q; st == MOTESOK_OK && *p != '\0';) {
        size_t field = strncmp(p, "sak:", 4) == 0 ? 4 : strncmp(p, "case:", 5) == 0 ? 5 : 0;
        bool at_word = p == q || isspace((unsigned char)p[-1]) || p[-1] == '(' ||
                       p[-1] == '+' || p[-1] == '-';
        if (field == 0 || !at_word) {
            st = msk_buf_append(&b, p++, 1);
            continue;
        }
        size_t n = (size_t)(token_end(p + field) - (p + field));
        st = msk_buf_append(&b, p, field);
        if (st == MOTESOK_OK)
            st = append_case_value(&b, p + field, n);
        p += field + n;
    }
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(&b);
    if (st != MOTESOK_OK) {
        msk_buf_free(&b);
        return NULL;
    }
    return b.data != NULL ? b.data : msk_strdup("");
}

/* Parse text with the query language's fields, ranges and operators. */
static motesok_status parse_text(motesok_searcher *s, const char *text, motesok_xquery **out,
                                 motesok_error *err)
{
    msk_query_options po = {
        .parser = {.fields = query_fields, .n_fields = sizeof query_fields / sizeof *query_fields,
                   .ranges = query_ranges, .n_ranges = sizeof query_ranges / sizeof *query_ranges,
                   .default_and = !s->any_word, .max_wildcard = MOTESOK_MAX_WILDCARD_TERMS},
        .norwegian_ops = true, .max_expanded = MOTESOK_MAX_EXPANDED_TERMS,
        .no_spelling = !s->spelling, .any_part = s->any_word && s->parts_ok,
        .coordinate = s->coordinate,
    };
    char *keyed = with_case_keys(text);
    if (keyed == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_status st = msk_query_parse(s->xr, keyed, &po, out, NULL, err);
    free(keyed);
    motesok_xquery_cost cost = motesok_xquery_cost_of(st == MOTESOK_OK ? *out : NULL);
    s->expanded_terms += cost.expanded;
    if (cost.cut)
        s->limited |= MOTESOK_LIMIT_WILDCARDS;
    return st;
}

/* The query of r moved to one field (each bare word as field+word) into
 * *out; *out stays NULL when that leaves nothing to search for. */
static motesok_status field_version(motesok_searcher *s, const motesok_search_request *r,
                                    const char *field, motesok_xquery **out, motesok_error *err)
{
    *out = NULL;
    char *text = field_query(r->query, field);
    if (text == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory building the query");
    motesok_status st = parse_text(s, text, out, err);
    free(text);
    return st;
}

/* The query of r, or else (with also) its spelling correction, in field
 * into *out (see field_version). */
static motesok_status field_versions(motesok_searcher *s, const motesok_search_request *r,
                                     const char *also, const char *field, motesok_xquery **out,
                                     motesok_error *err)
{
    motesok_status st = field_version(s, r, field, out, err);
    if (st != MOTESOK_OK || also == NULL)
        return st;
    motesok_search_request corrected = *r;
    corrected.query = also;
    motesok_xquery *alt = NULL;
    if (field_version(s, &corrected, field, &alt, NULL) == MOTESOK_OK)
        st = add_alternative(out, alt, err);
    return st;
}

/* True if q holds only white space. */
static bool blank(const char *q)
{
    while (*q != '\0' && isspace((unsigned char)*q))
        q++;
    return *q == '\0';
}

/* Restrict *q to documents whose decision text holds the query (or also,
 * its correction), and rank first the cases whose title holds it too. */
static motesok_status add_decisions(motesok_searcher *s, const motesok_search_request *r,
                                    const char *also, motesok_xquery **q, motesok_error *err)
{
    if (blank(r->query)) /* no words: every decision */
        return add_filter(q, motesok_xquery_term(MOTESOK_PREFIX_KIND "decision"), err);
    motesok_xquery *dq = NULL;
    motesok_status st = field_versions(s, r, also, "vedtak:", &dq, err);
    if (st != MOTESOK_OK)
        return st;
    st = add_filter(q, dq, err);
    motesok_xquery *tq = NULL;
    if (st == MOTESOK_OK && field_versions(s, r, also, "tittel:", &tq, NULL) == MOTESOK_OK)
        st = add_boost(q, tq, err);
    return st;
}

/* Files whose passages match q (at most MAX_EXCLUDED), as one query of
 * their XP<id> terms; NULL when none match or on failure (*st says). */
static motesok_xquery *matching_files(motesok_searcher *s, const motesok_xquery *q,
                                      motesok_status *st, motesok_error *err)
{
    static const unsigned parent_slot[] = {MOTESOK_SLOT_PARENT};
    motesok_xsearch xs = {.query = q, .limit = MAX_EXCLUDED, .sort_slot = -1,
                          .collapse_slot = (int)MOTESOK_SLOT_PARENT,
                          .time_limit_s = match_time_limit(s), .value_slots = parent_slot,
                          .n_values = 1};
    motesok_xresults *res = NULL;
    *st = motesok_xreader_search(s->xr, &xs, &res, err);
    if (motesok_xresults_timed_out(res))
        s->limited |= MOTESOK_LIMIT_TIME; /* some files that match may be missed */
    size_t n = *st == MOTESOK_OK ? motesok_xresults_count(res) : 0;
    char (*terms)[32] = n ? calloc(n, sizeof *terms) : NULL;
    const char **ptrs = n ? calloc(n, sizeof *ptrs) : NULL;
    motesok_xquery *files = NULL;
    if (n > 0 && (terms == NULL || ptrs == NULL))
        *st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    for (size_t i = 0; *st == MOTESOK_OK && i < n; i++) {
        snprintf(terms[i], sizeof terms[i], "%s%s", MOTESOK_PREFIX_PARENT,
                 motesok_xresults_value(res, i, MOTESOK_SLOT_PARENT));
        ptrs[i] = terms[i];
    }
    if (*st == MOTESOK_OK && n > 0 && (files = motesok_xquery_any_term(ptrs, n)) == NULL)
        *st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    free(terms);
    free(ptrs);
    motesok_xresults_free(res);
    return files;
}

/* Turn the pure NOT query *q ("NOT x") into every passage of the files
 * none of whose passages match x. */
static motesok_status exclude_files(motesok_searcher *s, motesok_xquery **q, motesok_error *err)
{
    motesok_xquery *x = motesok_xquery_excluded(*q);
    if (x == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_status st = MOTESOK_OK;
    motesok_xquery *files = matching_files(s, x, &st, err);
    motesok_xquery_free(x);
    if (st != MOTESOK_OK || files == NULL)
        return st;
    motesok_xquery *all = motesok_xquery_fixed_weight(0);
    motesok_xquery *without = all ? motesok_xquery_combine(MOTESOK_XOP_AND_NOT, all, files) : NULL;
    motesok_xquery_free(all);
    motesok_xquery_free(files);
    if (without == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_xquery_free(*q);
    *q = without;
    return MOTESOK_OK;
}

/* In a relaxed search, restrict *q to what the constraint fields of text
 * (organ:, kommune:, sak:, dato: …) ask for, all of them. */
static motesok_status keep_constraints(motesok_searcher *s, const char *text, motesok_xquery **q,
                                       motesok_error *err)
{
    char *c = constraints_of(text);
    if (c == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_xquery *f = NULL;
    motesok_status st = MOTESOK_OK;
    if (!blank(c)) {
        s->any_word = false; /* every constraint holds */
        st = parse_text(s, c, &f, err);
        s->any_word = true;
    }
    free(c);
    if (st == MOTESOK_OK && f != NULL)
        st = add_filter(q, f, err);
    return st;
}

/* The parsed words of r, or (with also, a spelling correction) either
 * them or the corrected words; *suggestion (may be NULL) gets the parser's
 * correction of r's words, or NULL. */
static motesok_status parse_words(motesok_searcher *s, const motesok_search_request *r,
                                  const char *also, char **suggestion, motesok_xquery **out,
                                  motesok_error *err)
{
    s->spelling = suggestion != NULL; /* the look-ups cost: only when wanted */
    /* with a correction, the bonus for each word held comes from the
     * corrected words alone: a word both spellings hold (tilstandsrapprot
     * salg) would otherwise earn it twice, and outrank the corrected one */
    s->coordinate = also == NULL;
    motesok_status st = parse_text(s, r->query, out, err);
    s->spelling = false;
    s->coordinate = false;
    /* "NOT x" asks for minutes without x: judge whole files, not their
     * passages (a case without x of a meeting that speaks of x is no answer) */
    bool pure_not = st == MOTESOK_OK && motesok_xquery_pure_not(*out);
    if (pure_not)
        st = exclude_files(s, out, err);
    /* Relaxed, a passage with every word still ranks above those with
     * some: the words all required add weight where they match. */
    if (st == MOTESOK_OK && s->any_word && !pure_not) {
        motesok_xquery *every = NULL;
        uint64_t expanded = s->expanded_terms; /* the same words: counted once */
        s->any_word = false;
        if (parse_text(s, r->query, &every, NULL) == MOTESOK_OK)
            st = add_boost(out, every, err);
        s->any_word = true;
        s->expanded_terms = expanded;
    }
    if (st == MOTESOK_OK && suggestion != NULL) {
        const char *sug = motesok_xquery_suggestion(*out);
        if (sug != NULL && (*suggestion = msk_strdup(sug)) == NULL)
            st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    motesok_xquery *alt = NULL;
    s->coordinate = true;
    if (st == MOTESOK_OK && also != NULL && parse_text(s, also, &alt, NULL) == MOTESOK_OK)
        st = add_alternative(out, alt, err);
    s->coordinate = false;
    if (st == MOTESOK_OK && s->any_word)
        st = keep_constraints(s, r->query, out, err);
    return st;
}

/* The full query of r: the parsed words (or also, their correction), which rank the hits and choose
 * their pages and snippets, with a bonus for cases, filtered by the same
 * words in decision text (when asked), by the date range and by the organ. */
static motesok_status build_query(motesok_searcher *s, const motesok_search_request *r,
                                  const char *also, char **suggestion, motesok_xquery **out,
                                  motesok_error *err)
{
    motesok_status st = parse_words(s, r, also, suggestion, out, err);
    if (st == MOTESOK_OK && r->decisions)
        st = add_decisions(s, r, also, out, err);
    if (st == MOTESOK_OK)
        st = add_boost(out, case_bonus(), err);
    char lo[9], hi[9];
    /* "i mai 2014": the meetings of that month first, the others kept */
    if (st == MOTESOK_OK && msk_query_month_named(r->query, lo, hi))
        st = add_boost(out, month_bonus(lo, hi), err);
    if (st == MOTESOK_OK && (r->from != NULL || r->to != NULL))
        st = add_filter(out, date_filter(r), err);
    if (st == MOTESOK_OK && r->organ != NULL && *r->organ != '\0')
        st = add_filter(out, name_filter(MOTESOK_PREFIX_ORGANF, r->organ), err);
    if (st == MOTESOK_OK && r->kommune != NULL && *r->kommune != '\0')
        st = add_filter(out, name_filter(MOTESOK_PREFIX_KOMMUNEF, r->kommune), err);
    if (st != MOTESOK_OK) {
        motesok_xquery_free(*out);
        *out = NULL;
    }
    return st;
}

/* ======================================================================== */
/* results: one allocation each                                             */
/* ======================================================================== */

/* A block of a result's memory; blocks are freed together. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
} arena_block;

#define ARENA_BLOCK 8192u
#define ARENA_ALIGN _Alignof(max_align_t)

/* A result as returned: the public struct first (so that a pointer to it is
 * a pointer to the box), then the memory its strings and arrays live in. */
typedef struct result_box {
    union {
        motesok_search_result search;
        motesok_document document;
        motesok_page_text text;
        motesok_index_status status;
        motesok_problem_list problems;
    } pub;
    arena_block *blocks;
} result_box;

/* n zeroed bytes from b's memory, aligned for any type; NULL when out of
 * memory. */
static void *box_alloc(result_box *b, size_t n)
{
    n = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (b->blocks == NULL || b->blocks->cap - b->blocks->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        arena_block *k = calloc(1, sizeof *k + cap);
        if (k == NULL)
            return NULL;
        k->cap = cap;
        k->next = b->blocks;
        b->blocks = k;
    }
    void *p = b->blocks->data + b->blocks->used;
    b->blocks->used += n;
    return p;
}

/* A copy of n bytes of s, NUL-terminated, in b's memory; NULL when out
 * of memory (*nomem set) or when s is NULL. */
static const char *box_strndup(result_box *b, const char *s, size_t n, bool *nomem)
{
    if (s == NULL)
        return NULL;
    char *c = box_alloc(b, n + 1);
    if (c == NULL) {
        *nomem = true;
        return NULL;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* A copy of the string s in b's memory (see box_strndup). */
static const char *box_strdup(result_box *b, const char *s, bool *nomem)
{
    return s ? box_strndup(b, s, strlen(s), nomem) : NULL;
}

/* A new, empty result box; NULL when out of memory. */
static result_box *box_new(void)
{
    return calloc(1, sizeof(result_box));
}

/* Free a box and all its memory (NULL is fine). */
static void box_free(result_box *b)
{
    if (b == NULL)
        return;
    for (arena_block *k = b->blocks, *next; k != NULL; k = next) {
        next = k->next;
        free(k);
    }
    free(b);
}

void motesok_search_result_free(motesok_search_result *r)
{
    box_free((result_box *)r);
}

void motesok_document_free(motesok_document *d)
{
    box_free((result_box *)d);
}

void motesok_page_text_free(motesok_page_text *t)
{
    box_free((result_box *)t);
}

void motesok_index_status_free(motesok_index_status *st)
{
    box_free((result_box *)st);
}

void motesok_problem_list_free(motesok_problem_list *l)
{
    box_free((result_box *)l);
}

/* ======================================================================== */
/* stored documents                                                         */
/* ======================================================================== */

/* A stored document: its metadata, its whole text and its pages. */
typedef struct stored_doc {
    json_t *meta;
    const char *text; /* after the metadata line; text_len bytes */
    size_t text_len;
    const char **pages;
    size_t *lens;
    size_t n_pages;
} stored_doc;

/* Split Xapian document data (JSON line, '\n', pages by '\f') into d;
 * d borrows data. False if it is not in that shape or memory ran out. */
static bool split_data(const char *data, size_t len, stored_doc *d)
{
    memset(d, 0, sizeof *d);
    const char *nl = data ? memchr(data, '\n', len) : NULL;
    if (nl == NULL)
        return false;
    d->meta = json_loadb(data, (size_t)(nl - data), 0, NULL);
    if (!json_is_object(d->meta))
        return false;
    d->text = nl + 1;
    d->text_len = len - (size_t)(d->text - data);
    const char *end = d->text + d->text_len;
    size_t n = 1;
    for (const char *p = d->text; p < end; p++)
        n += *p == MOTESOK_PAGE_SEP;
    d->pages = calloc(n, sizeof *d->pages);
    d->lens = calloc(n, sizeof *d->lens);
    if (d->pages == NULL || d->lens == NULL)
        return false;
    const char *start = d->text;
    for (const char *p = d->text; p <= end; p++) {
        if (p < end && *p != MOTESOK_PAGE_SEP)
            continue;
        d->pages[d->n_pages] = start;
        d->lens[d->n_pages++] = (size_t)(p - start);
        start = p + 1;
    }
    return true;
}

/* Free what split_data allocated. */
static void stored_doc_free(stored_doc *d)
{
    json_decref(d->meta);
    free(d->pages);
    free(d->lens);
    memset(d, 0, sizeof *d);
}

/* A string member of obj, or NULL. */
static const char *meta_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* The string member key of obj copied into b (as stored, "" included), or
 * NULL when it is missing, null or not a string. */
static const char *meta_copy(result_box *b, json_t *obj, const char *key, bool *nomem)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? box_strndup(b, json_string_value(v), json_string_length(v), nomem)
                             : NULL;
}

/* The integer member key of obj, or MOTESOK_NO_NUMBER. */
static int64_t meta_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : MOTESOK_NO_NUMBER;
}

/* Fill *out from a stored "case" object c (number, key, title, proposal,
 * decision, vote); its page is left unknown. */
static void fill_case(result_box *b, json_t *c, motesok_case_info *out, bool *nomem)
{
    out->number = meta_copy(b, c, "number", nomem);
    out->key = meta_copy(b, c, "key", nomem);
    out->title = meta_copy(b, c, "title", nomem);
    out->proposal = meta_copy(b, c, "proposal", nomem);
    out->decision = meta_copy(b, c, "decision", nomem);
    json_t *v = json_object_get(c, "vote");
    out->has_vote = json_is_object(v);
    out->vote.outcome = meta_copy(b, v, "outcome", nomem);
    out->vote.votes_for = meta_int(v, "for");
    out->vote.votes_against = meta_int(v, "against");
    out->page = MOTESOK_NO_NUMBER;
}

/* True if d was extracted from a PDF (so its pages are real pages). */
static bool is_pdf(const stored_doc *d)
{
    const char *mime = meta_str(d->meta, "mime");
    return mime != NULL && strcmp(mime, PDF_MIME) == 0;
}

/* True if d's hits name a page: a PDF, or a text cut into pages (a big one). */
static bool is_paged(const stored_doc *d)
{
    return is_pdf(d) || meta_int(d->meta, "pages") > 1;
}

/* ======================================================================== */
/* hits                                                                     */
/* ======================================================================== */

/* Collapse runs of white space (form feeds included) in s to one space. */
static void collapse_space(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r' || *r == '\f' || *r == '\v') {
            space = true;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
}

/* The hit's case (number, key, title, proposal, decision, vote, first
 * page) of a case passage, else NULL. */
static const motesok_case_info *hit_case(result_box *b, const stored_doc *d, bool *nomem)
{
    json_t *c = json_object_get(d->meta, "case");
    if (!json_is_object(c))
        return NULL;
    motesok_case_info *out = box_alloc(b, sizeof *out);
    if (out == NULL) {
        *nomem = true;
        return NULL;
    }
    fill_case(b, c, out, nomem);
    out->page = meta_int(d->meta, "page"); /* where the case starts */
    return out;
}

/* True if the 1-based page of the file whose metadata is meta was read by
 * OCR (all is true: any page of it). */
static bool ocr_page(json_t *meta, int64_t page, bool all)
{
    json_t *pages = json_object_get(meta, "ocr_pages");
    size_t i;
    json_t *v;
    json_array_foreach(pages, i, v) {
        if (all || (json_is_integer(v) && json_integer_value(v) == page))
            return true;
    }
    return false;
}

/* The 1-based page shown for a hit (PDF, or a text cut into pages) whose
 * best page is index best:
 * counted from the case's first page for case documents. */
static int64_t hit_page(const stored_doc *d, size_t best)
{
    if (!is_paged(d))
        return MOTESOK_NO_NUMBER;
    int64_t first = meta_int(d->meta, "page");
    return (first == MOTESOK_NO_NUMBER ? 1 : first) + (int64_t)best;
}

/* Bytes of text the snippet generator looks at: the best window of a long
 * text, so that its cost does not grow with the document. */
#define SNIPPET_WINDOW 2048

/* Narrow text and len to the window of at most SNIPPET_WINDOW bytes, cut at
 * white space (or a character boundary), where the query matches best. */
static motesok_status snippet_window(const motesok_xresults *res, const char **text, size_t *len,
                                     motesok_error *err)
{
    if (*len <= SNIPPET_WINDOW)
        return MOTESOK_OK;
    size_t cap = *len / (SNIPPET_WINDOW / 2) + 2, n = 0;
    const char **parts = malloc(cap * sizeof *parts);
    size_t *lens = malloc(cap * sizeof *lens);
    if (parts == NULL || lens == NULL) {
        free(parts);
        free(lens);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    const char *t = *text;
    for (size_t pos = 0; pos < *len && n < cap;) {
        size_t end = pos + SNIPPET_WINDOW;
        if (end >= *len) {
            end = *len;
        } else {
            size_t cut = end;
            while (cut > pos + SNIPPET_WINDOW / 2 && t[cut] != ' ' && t[cut] != '\n')
                cut--;
            if (cut > pos + SNIPPET_WINDOW / 2)
                end = cut;
            else
                while (end > pos + 1 && ((unsigned char)t[end] & 0xC0) == 0x80)
                    end--;
        }
        parts[n] = t + pos;
        lens[n++] = end - pos;
        pos = end;
    }
    size_t best = 0;
    motesok_status st = motesok_xresults_best_part(res, parts, lens, n, &best, NULL, err);
    if (st == MOTESOK_OK) {
        *text = parts[best];
        *len = lens[best];
    }
    free(parts);
    free(lens);
    return st;
}

/* Set the page, case and snippet of hit from the stored document d: the
 * page that best matches the query, and the snippet from that page (from
 * the whole text when d is neither a PDF nor a text in pages). */
static motesok_status page_and_snippet(const motesok_xresults *res, const stored_doc *d,
                                       const motesok_search_request *r, bool hurry,
                                       result_box *b, motesok_hit *hit, motesok_error *err)
{
    bool paged = is_paged(d), nomem = false; /* the page that matches best */
    size_t best = 0;
    if (paged && d->n_pages > 1 && !hurry) {
        motesok_status st = motesok_xresults_best_part(res, d->pages, d->lens, d->n_pages,
                                                       &best, NULL, err);
        if (st != MOTESOK_OK)
            return st;
    }
    hit->page = hit_page(d, best);
    hit->ocr = hit->page != MOTESOK_NO_NUMBER && ocr_page(d->meta, hit->page, false);
    hit->matched_case = hit_case(b, d, &nomem);
    const char *text = paged ? d->pages[best] : d->text;
    size_t len = paged ? d->lens[best] : d->text_len;
    motesok_status st = MOTESOK_OK;
    if (!hurry)
        st = snippet_window(res, &text, &len, err);
    else if (len > SNIPPET_WINDOW) /* the first window, cut at a character */
        for (len = SNIPPET_WINDOW; len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80;)
            len--;
    char *snip = NULL;
    if (st == MOTESOK_OK)
        st = motesok_xresults_snippet(res, text, len, r->snippet_chars, &snip, err);
    if (st != MOTESOK_OK)
        return st;
    collapse_space(snip);
    hit->snippet = box_strdup(b, snip, &nomem);
    free(snip);
    return nomem ? msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory") : MOTESOK_OK;
}

/* The short type of a file from its MIME type: "pdf", "txt", or the
 * subtype. */
static const char *file_type(const char *mime)
{
    if (mime == NULL)
        return "unknown";
    if (strcmp(mime, "application/pdf") == 0)
        return "pdf";
    if (strcmp(mime, "text/plain") == 0)
        return "txt";
    const char *slash = strchr(mime, '/');
    return slash != NULL ? slash + 1 : mime;
}

/* Set *ref from the store row of file id; false if there is none. */
static bool file_ref_of(motesok_searcher *s, result_box *b, const char *id,
                        motesok_file_ref *ref, bool *nomem)
{
    motesok_file_row row = {0};
    bool found = false;
    if (motesok_store_get_by_id(s->store, id, &row, &found, NULL) != MOTESOK_OK || !found ||
        row.status != MOTESOK_FILE_OK) {
        motesok_file_row_clear(&row);
        return false;
    }
    ref->id = box_strdup(b, row.id, nomem);
    ref->type = box_strdup(b, file_type(row.mime), nomem);
    ref->path = box_strdup(b, row.path, nomem);
    ref->pages = row.pages > 0 ? row.pages : 1;
    motesok_file_row_clear(&row);
    return true;
}

/* The files of the meeting of file id (path, mime and pages from its
 * stored metadata): it, and its twin if it has one, the one shown first. */
static void meeting_files(motesok_searcher *s, result_box *b, json_t *meta,
                          const motesok_file_ref **out, size_t *n, bool *nomem)
{
    motesok_file_ref *f = box_alloc(b, 2 * sizeof *f);
    *out = f;
    *n = 0;
    if (f == NULL) {
        *nomem = true;
        return;
    }
    f[0].id = meta_copy(b, meta, "id", nomem);
    f[0].type = box_strdup(b, file_type(json_string_value(json_object_get(meta, "mime"))),
                           nomem);
    f[0].path = meta_copy(b, meta, "path", nomem);
    int64_t pages = meta_int(meta, "pages");
    f[0].pages = pages > 0 ? pages : 1;
    *n = 1;
    msk_meeting_row *m = malloc(sizeof *m);
    bool found = false;
    if (m == NULL || f[0].id == NULL || s->store == NULL ||
        motesok_store_get_meeting(s->store, f[0].id, m, &found, NULL) != MOTESOK_OK)
        found = false;
    if (found && m->twin[0] != '\0' && file_ref_of(s, b, m->twin, &f[1], nomem)) {
        *n = 2;
        if (m->hidden) { /* the twin is the one shown */
            motesok_file_ref t = f[0];
            f[0] = f[1];
            f[1] = t;
        }
    }
    free(m);
}

/* Fill hit i of res into *hit. A case document answers with the id of its
 * meeting document. In a hurry (past the deadline), the page is the first
 * and the snippet comes from the first SNIPPET_WINDOW bytes of it. */
static motesok_status make_hit(motesok_searcher *s, const motesok_xresults *res, size_t i,
                               const motesok_search_request *r, bool hurry, result_box *b,
                               motesok_hit *hit, motesok_error *err)
{
    size_t len = 0;
    const char *data = motesok_xresults_data(res, i, &len);
    stored_doc d;
    if (!split_data(data, len, &d)) {
        stored_doc_free(&d);
        return msk_error_set(err, MOTESOK_ERR_DB_CORRUPT,
                             "a stored document has no metadata line");
    }
    bool nomem = false;
    hit->rank = (uint64_t)r->offset + i + 1;
    hit->score = round3(motesok_xresults_weight(res, i));
    hit->id = meta_copy(b, d.meta, "id", &nomem);
    hit->path = meta_copy(b, d.meta, "path", &nomem);
    hit->title = meta_copy(b, d.meta, "title", &nomem);
    hit->organ = meta_copy(b, d.meta, "organ", &nomem);
    hit->kommune = meta_copy(b, d.meta, "kommune", &nomem);
    hit->date = meta_copy(b, d.meta, "date", &nomem);
    meeting_files(s, b, d.meta, &hit->files, &hit->n_files, &nomem);
    motesok_status st = page_and_snippet(res, &d, r, hurry, b, hit, err);
    stored_doc_free(&d);
    if (st == MOTESOK_OK && nomem)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    return st;
}

/* Fill the facets of res into out: organ, kommune and year, each most
 * frequent first (the order of facet_slots in run), empty values left out. */
static motesok_status make_facets(const motesok_xresults *res, result_box *b,
                                  motesok_search_result *out, motesok_error *err)
{
    static const char *const names[] = {"organ", "kommune", "year"};
    size_t n = sizeof names / sizeof *names;
    motesok_facet *facets = box_alloc(b, n * sizeof *facets);
    bool nomem = facets == NULL;
    for (size_t f = 0; !nomem && f < n; f++) {
        size_t size = motesok_xresults_facet_size(res, f);
        motesok_facet_value *vals = size ? box_alloc(b, size * sizeof *vals) : NULL;
        nomem = size > 0 && vals == NULL;
        facets[f].name = names[f];
        facets[f].values = vals;
        for (size_t j = 0; !nomem && j < size; j++) {
            uint64_t count = 0;
            const char *v = motesok_xresults_facet(res, f, j, &count);
            if (v == NULL || *v == '\0')
                continue;
            vals[facets[f].n_values].value = box_strdup(b, v, &nomem);
            vals[facets[f].n_values++].count = count;
        }
    }
    if (nomem)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    out->facets = facets;
    out->n_facets = n;
    return MOTESOK_OK;
}

/* ======================================================================== */
/* search                                                                   */
/* ======================================================================== */

/* Run the Xapian search for a validated request (with also: or its
 * spelling correction); *suggestion as for parse_words. */
static motesok_status run(motesok_searcher *s, const motesok_search_request *r, const char *also,
                          char **suggestion, motesok_xresults **res, motesok_error *err)
{
    motesok_xquery *q = NULL;
    motesok_status st = build_query(s, r, also, suggestion, &q, err);
    if (st != MOTESOK_OK)
        return st;
    s->any_part = motesok_xquery_any_part(q);
    static const unsigned facet_slots[] = {MOTESOK_SLOT_ORGAN, MOTESOK_SLOT_KOMMUNE,
                                           MOTESOK_SLOT_YEAR};
    motesok_xsearch xs = {
        .query = q, .offset = r->offset, .limit = r->limit,
        .sort_slot = r->sort == MOTESOK_SORT_DATE ? (int)MOTESOK_SLOT_DATE : -1,
        .sort_descending = true, .collapse_slot = (int)MOTESOK_SLOT_MEETING,
        .time_limit_s = match_time_limit(s), .facet_slots = facet_slots, .n_facets = 3,
        .facet_distinct = true, .facet_distinct_slot = MOTESOK_SLOT_MEETING, /* per meeting */
        /* with collapsing, totals are exact only over the matches checked */
        .check_at_least = r->exact_total ? UINT_MAX : r->offset + r->limit + EXTRA_CHECKED,
    };
    st = motesok_xreader_search(s->xr, &xs, res, err);
    if (st == MOTESOK_OK && motesok_xresults_timed_out(*res))
        s->limited |= MOTESOK_LIMIT_TIME;
    motesok_xquery_free(q);
    return st;
}

/* Search r again more widely — also (a spelling correction, may be NULL)
 * as an alternative, and with any_word any word matching — and keep that
 * result in *res if it finds more. True if it did. */
static bool widen(motesok_searcher *s, const motesok_search_request *r, const char *also,
                  bool any_word, motesok_xresults **res)
{
    if (time_left_s(s) <= 0) {
        s->limited |= MOTESOK_LIMIT_TIME; /* no time left to look wider */
        return false;
    }
    motesok_xresults *wider = NULL;
    s->any_word = any_word;
    bool more = run(s, r, also, NULL, &wider, NULL) == MOTESOK_OK &&
                motesok_xresults_total(wider) > motesok_xresults_total(*res);
    s->any_word = false;
    if (!more) {
        motesok_xresults_free(wider);
        return false;
    }
    motesok_xresults_free(*res);
    *res = wider;
    return true;
}

/* When hit is the passage of a twin that is not shown first (its files
 * list the other first), make it the best passage of that other file for
 * the same query: a meeting's hit is its PDF, with the PDF's page. */
static motesok_status show_first_twin(motesok_searcher *s, const motesok_xresults *res,
                                      const motesok_search_request *r, result_box *b,
                                      motesok_hit *hit, motesok_error *err)
{
    if (hit->n_files < 2 || hit->id == NULL || hit->files[0].id == NULL ||
        strcmp(hit->files[0].id, hit->id) == 0)
        return MOTESOK_OK;
    char term[32];
    snprintf(term, sizeof term, "%s%s", MOTESOK_PREFIX_PARENT, hit->files[0].id);
    motesok_xresults *best = NULL;
    motesok_status st = motesok_xresults_best_with(res, term, &best, err);
    if (st == MOTESOK_OK && motesok_xresults_count(best) == 1) {
        motesok_hit shown;
        st = make_hit(s, best, 0, r, false, b, &shown, err);
        if (st == MOTESOK_OK) {
            shown.rank = hit->rank; /* its place and weight stay the meeting's */
            shown.score = hit->score;
            *hit = shown;
        }
    }
    motesok_xresults_free(best);
    return st;
}

/* Fill the hits of res into out; past the deadline, each in a hurry
 * (make_hit). */
static motesok_status make_hits(motesok_searcher *s, const motesok_xresults *res,
                                const motesok_search_request *r, result_box *b,
                                motesok_search_result *out, motesok_error *err)
{
    size_t n = motesok_xresults_count(res);
    motesok_hit *hits = n ? box_alloc(b, n * sizeof *hits) : NULL;
    if (n > 0 && hits == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        bool hurry = time_left_s(s) <= 0;
        if (hurry)
            s->limited |= MOTESOK_LIMIT_TIME;
        motesok_status st = make_hit(s, res, i, r, hurry, b, &hits[i], err);
        if (st == MOTESOK_OK && !hurry)
            st = show_first_twin(s, res, r, b, &hits[i], err);
        if (st != MOTESOK_OK)
            return st;
    }
    out->hits = hits;
    out->n_hits = n;
    return MOTESOK_OK;
}

/* Fill out (a new result) from the final results of request r (asked:
 * its query as asked): totals, hits and facets; the caller sets the rest. */
static motesok_status fill_result(motesok_searcher *s, const motesok_xresults *res,
                                  const motesok_search_request *r, const char *asked,
                                  result_box *b, motesok_error *err)
{
    motesok_search_result *out = &b->pub.search;
    bool nomem = false;
    out->query = box_strdup(b, asked, &nomem);
    if (nomem)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    out->total = motesok_xresults_total(res);
    out->total_exact = motesok_xresults_total_exact(res);
    out->offset = r->offset;
    out->limit = r->limit;
    motesok_status st = make_hits(s, res, r, b, out, err);
    return st == MOTESOK_OK ? make_facets(res, b, out, err) : st;
}

/* Start the work of a search of r (validated) begun at t0: its deadline,
 * no work counted yet, and r's query bounded in words and nesting
 * (msk_query_bound) into *bounded (the caller frees), which r then uses. */
static motesok_status bound_query(motesok_searcher *s, motesok_search_request *r, double t0,
                                  char **bounded, motesok_error *err)
{
    s->deadline_ms = t0 + r->time_limit_s * 1e3;
    s->limited = 0;
    s->expanded_terms = 0;
    unsigned cut = 0;
    *bounded = msk_query_bound(r->query, MOTESOK_MAX_QUERY_TERMS, MOTESOK_MAX_QUERY_DEPTH, &cut,
                               NULL);
    if (*bounded == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (cut & MSK_BOUND_TERMS)
        s->limited |= MOTESOK_LIMIT_TERMS;
    if (cut & MSK_BOUND_DEPTH)
        s->limited |= MOTESOK_LIMIT_DEPTH;
    r->query = *bounded;
    return MOTESOK_OK;
}

const char *motesok_limit_name(unsigned limit)
{
    switch (limit) {
    case MOTESOK_LIMIT_TERMS: return "terms";
    case MOTESOK_LIMIT_DEPTH: return "depth";
    case MOTESOK_LIMIT_WILDCARDS: return "wildcards";
    case MOTESOK_LIMIT_TIME: return "time";
    default: return NULL;
    }
}

motesok_status motesok_searcher_search(motesok_searcher *s, const motesok_search_request *req,
                                       motesok_search_result **out, motesok_error *err)
{
    double t0 = now_ms();
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the answer");
    *out = NULL;
    motesok_search_request r = {0};
    motesok_status st = begin_call(s, err);
    if (st == MOTESOK_OK)
        st = validate(req, &r, err);
    char *bounded = NULL;
    const char *asked = r.query;
    if (st == MOTESOK_OK)
        st = bound_query(s, &r, t0, &bounded, err);
    motesok_xresults *res = NULL;
    char *suggestion = NULL;
    if (st == MOTESOK_OK)
        st = run(s, &r, NULL, &suggestion, &res, err);
    /* Few matches and a correction: search the corrected words as well. */
    bool searched = st == MOTESOK_OK && suggestion != NULL &&
                    motesok_xresults_total(res) < SUGGEST_BELOW && widen(s, &r, suggestion, false, &res);
    /* Still few: let any word match (documents with more of them rank
     * first), rather than answer "nothing" to a query of several words. */
    s->parts_ok = st == MOTESOK_OK && motesok_xresults_total(res) == 0;
    /* (with the correction even when it found nothing more by itself:
     * "tilstandsrapprot salg av bolig" must not lose tilstandsrapport
     * where no passage holds both tilstandsrapport and salg) */
    bool relaxed = st == MOTESOK_OK && motesok_xresults_total(res) < RELAX_BELOW &&
                   widen(s, &r, suggestion, true, &res);
    searched = searched || (relaxed && suggestion != NULL);
    bool any_part = relaxed && s->any_part;
    s->parts_ok = false;
    result_box *b = st == MOTESOK_OK ? box_new() : NULL;
    if (st == MOTESOK_OK && b == NULL)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK)
        st = fill_result(s, res, &r, asked, b, err);
    bool nomem = false;
    if (st == MOTESOK_OK) {
        b->pub.search.suggestion = box_strdup(b, suggestion, &nomem);
        b->pub.search.suggestion_searched = searched;
        b->pub.search.any_word = relaxed;
        b->pub.search.any_part = any_part;
        b->pub.search.took_ms = round3(now_ms() - t0);
        b->pub.search.limited = s->limited;
        b->pub.search.expanded_terms = s->expanded_terms;
        if (nomem)
            st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    motesok_xresults_free(res);
    free(suggestion);
    free(bounded);
    if (st != MOTESOK_OK) {
        box_free(b);
        return st;
    }
    *out = &b->pub.search;
    return MOTESOK_OK;
}

/* ======================================================================== */
/* documents and text                                                       */
/* ======================================================================== */

/* True if id is 16 lower-case hex digits. */
static bool valid_id(const char *id)
{
    if (id == NULL || strlen(id) != 16)
        return false;
    for (int i = 0; i < 16; i++)
        if (!isdigit((unsigned char)id[i]) && !(id[i] >= 'a' && id[i] <= 'f'))
            return false;
    return true;
}

/* Append the text of passage k of file id (after its metadata line) to
 * out; the first passage's whole data (metadata line too) when k is 0.
 * *passages gets the passage count that passage 0 records. */
static motesok_status append_passage(motesok_searcher *s, const char *id, size_t k,
                                     msk_buf *out, size_t *passages, motesok_error *err)
{
    char term[48], *data = NULL;
    size_t len = 0;
    snprintf(term, sizeof term, "%s%s:%zu", MOTESOK_PREFIX_ID, id, k);
    motesok_status st = motesok_xreader_get_data(s->xr, term, &data, &len, err);
    if (st == MOTESOK_ERR_NOT_FOUND)
        return msk_error_set(err, st, k == 0 ? "no document with id %s"
                                              : "document %s lacks a passage", id);
    const char *nl = st == MOTESOK_OK ? memchr(data, '\n', len) : NULL;
    if (st == MOTESOK_OK && nl == NULL)
        st = msk_error_set(err, MOTESOK_ERR_DB_CORRUPT, "document %s has no metadata line", id);
    if (st == MOTESOK_OK && k == 0) {
        json_t *meta = json_loadb(data, (size_t)(nl - data), 0, NULL);
        json_t *n = json_object_get(meta, "passages");
        *passages = json_is_integer(n) && json_integer_value(n) > 0
                        ? (size_t)json_integer_value(n) : 1;
        json_decref(meta);
    }
    size_t from = k == 0 ? 0 : (size_t)(nl - data) + 1;
    if (st == MOTESOK_OK && msk_buf_append(out, data + from, len - from) != MOTESOK_OK)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    free(data);
    return st;
}

/* Load the stored document of id into *d: the metadata of its first
 * passage and, when whole, the text of all its passages in order (else
 * passage 0's only: the metadata of a 200 MB text needs none of the
 * rest); *data holds the bytes d borrows (free it after stored_doc_free).
 * Includes begin_call. */
static motesok_status load_doc(motesok_searcher *s, const char *id, bool whole, char **data,
                               stored_doc *d, motesok_error *err)
{
    memset(d, 0, sizeof *d);
    *data = NULL;
    motesok_status st = begin_call(s, err);
    if (st != MOTESOK_OK)
        return st;
    if (!valid_id(id))
        return msk_error_set(err, MOTESOK_ERR_INVALID,
                             "document id: expected 16 hexadecimal digits, got '%.40s'",
                             id ? id : "");
    msk_buf buf = {0};
    size_t n = 1;
    for (size_t k = 0; st == MOTESOK_OK && k < (whole ? n : 1); k++)
        st = append_passage(s, id, k, &buf, &n, err);
    if (st == MOTESOK_OK && msk_buf_terminate(&buf) != MOTESOK_OK)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK && !split_data(buf.data, buf.len, d))
        st = msk_error_set(err, MOTESOK_ERR_DB_CORRUPT, "document %s has no metadata line", id);
    if (st != MOTESOK_OK) {
        stored_doc_free(d);
        msk_buf_free(&buf);
        return st;
    }
    *data = buf.data;
    return MOTESOK_OK;
}

/* Page of a case for sorting (cases without a page sort last). */
static int64_t case_page(const motesok_case_info *c)
{
    return c->page == MOTESOK_NO_NUMBER ? INT64_MAX : c->page;
}

/* Add the case of one case document's data (with its first page) to the
 * n cases of arr, keeping them sorted by page (stable); false if it has
 * no case. */
static bool insert_case(result_box *b, const char *data, size_t len, motesok_case_info *arr,
                        size_t n, bool *nomem)
{
    stored_doc d;
    bool ok = split_data(data, len, &d) && json_is_object(json_object_get(d.meta, "case"));
    if (ok) {
        motesok_case_info c;
        fill_case(b, json_object_get(d.meta, "case"), &c, nomem);
        c.page = meta_int(d.meta, "page");
        size_t at = n;
        while (at > 0 && case_page(&arr[at - 1]) > case_page(&c))
            at--;
        memmove(&arr[at + 1], &arr[at], (n - at) * sizeof *arr);
        arr[at] = c;
    }
    stored_doc_free(&d);
    return ok;
}

/* The case documents of file id (XP<id> AND XKcase) into doc, in page
 * order. */
static motesok_status list_cases(motesok_searcher *s, const char *id, result_box *b,
                                 motesok_document *doc, motesok_error *err)
{
    char xp[32];
    snprintf(xp, sizeof xp, "%s%s", MOTESOK_PREFIX_PARENT, id);
    motesok_xquery *a = motesok_xquery_term(xp);
    motesok_xquery *k = motesok_xquery_term(MOTESOK_PREFIX_KIND "case");
    motesok_xquery *q = a && k ? motesok_xquery_combine(MOTESOK_XOP_AND, a, k) : NULL;
    motesok_xquery_free(a);
    motesok_xquery_free(k);
    if (q == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_xsearch xs = {.query = q, .limit = MAX_CASES, .sort_slot = -1, .collapse_slot = -1};
    motesok_xresults *res = NULL;
    motesok_status st = motesok_xreader_search(s->xr, &xs, &res, err);
    motesok_xquery_free(q);
    size_t n = st == MOTESOK_OK ? motesok_xresults_count(res) : 0;
    motesok_case_info *cases = n ? box_alloc(b, n * sizeof *cases) : NULL;
    bool nomem = n > 0 && cases == NULL;
    for (size_t i = 0; !nomem && i < n; i++) {
        size_t len = 0;
        const char *data = motesok_xresults_data(res, i, &len);
        doc->n_cases += insert_case(b, data, len, cases, doc->n_cases, &nomem);
    }
    motesok_xresults_free(res);
    doc->cases = cases;
    if (st == MOTESOK_OK && nomem)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    return st;
}

/* Fill the store record of id into doc: status, hash and indexed_at
 * (NULL and MOTESOK_NO_NUMBER when the store has no row for it). */
static void add_store_fields(motesok_searcher *s, const char *id, result_box *b,
                             motesok_document *doc, bool *nomem)
{
    motesok_file_row row = {0};
    bool found = false;
    if (motesok_store_get_by_id(s->store, id, &row, &found, NULL) != MOTESOK_OK)
        found = false;
    doc->status = found ? box_strdup(b, motesok_file_status_name(row.status), nomem) : NULL;
    doc->hash = found ? box_strdup(b, row.hash, nomem) : NULL;
    doc->indexed_at = found ? row.indexed_at : MOTESOK_NO_NUMBER;
    motesok_file_row_clear(&row);
}

/* Fill the metadata of the stored document d into doc. */
static void fill_document(result_box *b, const stored_doc *d, motesok_document *doc, bool *nomem)
{
    json_t *m = d->meta;
    doc->id = meta_copy(b, m, "id", nomem);
    doc->path = meta_copy(b, m, "path", nomem);
    doc->title = meta_copy(b, m, "title", nomem);
    doc->organ = meta_copy(b, m, "organ", nomem);
    doc->kommune = meta_copy(b, m, "kommune", nomem);
    doc->date = meta_copy(b, m, "date", nomem);
    doc->place = meta_copy(b, m, "place", nomem);
    doc->present = meta_copy(b, m, "present", nomem);
    doc->absent = meta_copy(b, m, "absent", nomem);
    doc->referent = meta_copy(b, m, "referent", nomem);
    doc->mime = meta_copy(b, m, "mime", nomem);
    doc->encoding = meta_copy(b, m, "encoding", nomem);
    doc->pages = meta_int(m, "pages");
    json_t *ocr = json_object_get(m, "ocr_pages");
    size_t n_ocr = json_array_size(ocr);
    int64_t *op = n_ocr > 0 ? box_alloc(b, n_ocr * sizeof *op) : NULL;
    *nomem = *nomem || (n_ocr > 0 && op == NULL);
    for (size_t i = 0; op != NULL && i < n_ocr; i++)
        op[i] = (int64_t)json_integer_value(json_array_get(ocr, i));
    doc->ocr_pages = op;
    doc->n_ocr_pages = op != NULL ? n_ocr : 0;
    doc->size = meta_int(m, "size");
    doc->mtime = meta_int(m, "mtime");
}

motesok_status motesok_searcher_document(motesok_searcher *s, const char *id,
                                         motesok_document **out, motesok_error *err)
{
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the answer");
    *out = NULL;
    char *data = NULL;
    stored_doc d;
    motesok_status st = load_doc(s, id, false, &data, &d, err);
    if (st != MOTESOK_OK)
        return st;
    result_box *b = box_new();
    bool nomem = b == NULL;
    if (b != NULL) {
        fill_document(b, &d, &b->pub.document, &nomem);
        add_store_fields(s, id, b, &b->pub.document, &nomem);
        meeting_files(s, b, d.meta, &b->pub.document.files, &b->pub.document.n_files, &nomem);
    }
    stored_doc_free(&d);
    free(data);
    st = nomem ? msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory")
               : list_cases(s, id, b, &b->pub.document, err);
    if (st != MOTESOK_OK) {
        box_free(b);
        return st;
    }
    *out = &b->pub.document;
    return MOTESOK_OK;
}

/* Set t's text to page (1-based) of d, or to all pages joined by blank
 * lines when page is 0. */
static motesok_status page_text(result_box *b, const stored_doc *d, unsigned page,
                                motesok_page_text *t, motesok_error *err)
{
    bool nomem = false;
    if (page != 0) {
        t->text = box_strndup(b, d->pages[page - 1], d->lens[page - 1], &nomem);
        t->text_len = d->lens[page - 1];
        return nomem ? msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory") : MOTESOK_OK;
    }
    size_t len = 0;
    for (size_t i = 0; i < d->n_pages; i++)
        len += d->lens[i] + (i > 0 ? 2 : 0);
    char *text = box_alloc(b, len + 1);
    if (text == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    size_t at = 0;
    for (size_t i = 0; i < d->n_pages; i++) {
        if (i > 0) {
            memcpy(text + at, "\n\n", 2);
            at += 2;
        }
        memcpy(text + at, d->pages[i], d->lens[i]);
        at += d->lens[i];
    }
    t->text = text;
    t->text_len = len;
    return MOTESOK_OK;
}

motesok_status motesok_searcher_text(motesok_searcher *s, const char *id, unsigned page,
                                     motesok_page_text **out, motesok_error *err)
{
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the answer");
    *out = NULL;
    char *data = NULL;
    stored_doc d;
    motesok_status st = load_doc(s, id, true, &data, &d, err);
    if (st != MOTESOK_OK)
        return st;
    result_box *b = NULL;
    bool nomem = false;
    if (page > d.n_pages)
        st = msk_error_set(err, MOTESOK_ERR_NOT_FOUND, "page %u of %zu does not exist", page,
                           d.n_pages);
    else if ((b = box_new()) == NULL)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK) {
        b->pub.text.id = box_strdup(b, id, &nomem);
        b->pub.text.page = page;
        b->pub.text.pages = d.n_pages;
        b->pub.text.ocr = ocr_page(d.meta, page, page == 0);
        st = nomem ? msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory")
                   : page_text(b, &d, page, &b->pub.text, err);
    }
    stored_doc_free(&d);
    free(data);
    if (st != MOTESOK_OK) {
        box_free(b);
        return st;
    }
    *out = &b->pub.text;
    return MOTESOK_OK;
}

/* ======================================================================== */
/* highlighting                                                             */
/* ======================================================================== */

/* The query the words of text are marked by: text parsed as a search
 * parses it (no spelling, no widening), or, when it holds no words (only
 * fields, or nothing), a query that marks nothing. */
static motesok_status highlight_query(motesok_searcher *s, const char *text, motesok_xquery **q,
                                      motesok_error *err)
{
    s->any_word = false;
    s->spelling = false;
    s->parts_ok = false;
    motesok_search_request r = {.query = text, .time_limit_s = 1.0};
    char *bounded = NULL; /* the search's bounds on words and brackets */
    motesok_status st = bound_query(s, &r, now_ms(), &bounded, err);
    if (st == MOTESOK_OK)
        st = parse_text(s, r.query, q, err);
    free(bounded);
    if (st == MOTESOK_ERR_QUERY)
        st = parse_text(s, "", q, err);
    return st;
}

motesok_status motesok_searcher_highlight(motesok_searcher *s, const char *query,
                                          const char *const *texts, const size_t *lens, size_t n,
                                          char **out, motesok_error *err)
{
    if (out == NULL || (texts == NULL && n > 0))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no texts or no place for the answer");
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    motesok_status st = begin_call(s, err);
    if (st == MOTESOK_OK)
        st = check_query(query, err);
    motesok_xquery *q = NULL;
    if (st == MOTESOK_OK)
        st = highlight_query(s, query, &q, err);
    /* one match of the query: its results carry the terms to mark */
    motesok_xresults *res = NULL;
    if (st == MOTESOK_OK) {
        motesok_xsearch xs = {.query = q, .limit = 1, .sort_slot = -1, .collapse_slot = -1,
                              .time_limit_s = match_time_limit(s), .check_at_least = 1};
        st = motesok_xreader_search(s->xr, &xs, &res, err);
    }
    for (size_t i = 0; i < n && st == MOTESOK_OK; i++) {
        const char *t = texts[i] != NULL ? texts[i] : "";
        size_t len = texts[i] == NULL ? 0 : lens != NULL ? lens[i] : strlen(t);
        if (!msk_valid_utf8(t, len))
            st = msk_error_set(err, MOTESOK_ERR_INVALID, "text %zu: not valid UTF-8", i);
        else /* room for the whole text: nothing cut, no "…" */
            st = motesok_xresults_snippet(res, t, len, len + 1, &out[i], err);
    }
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    if (st != MOTESOK_OK)
        for (size_t i = 0; i < n; i++) {
            free(out[i]);
            out[i] = NULL;
        }
    return st;
}

/* ======================================================================== */
/* status                                                                   */
/* ======================================================================== */

static int64_t walk_bytes; /* nftw has no user pointer; guarded by walk_lock */
static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;

/* nftw callback: add up the sizes of regular files. */
static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (flag == FTW_F)
        walk_bytes += (int64_t)st->st_size;
    return 0;
}

/* Bytes used by the regular files under dir. */
static int64_t dir_bytes(const char *dir)
{
    pthread_mutex_lock(&walk_lock);
    walk_bytes = 0;
    nftw(dir, add_size, 16, FTW_PHYS);
    int64_t n = walk_bytes;
    pthread_mutex_unlock(&walk_lock);
    return n;
}

/* The failure reasons of the store, collected by add_reason. */
typedef struct reasons {
    result_box *b;
    motesok_failure_count *items;
    size_t n, cap;
    bool nomem;
} reasons;

/* Store callback: add one failure reason and its count to a reasons list. */
static void add_reason(const char *code, int64_t count, void *ud)
{
    reasons *r = ud;
    if (r->nomem)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        motesok_failure_count *items = realloc(r->items, cap * sizeof *items);
        if (items == NULL) {
            r->nomem = true;
            return;
        }
        r->items = items;
        r->cap = cap;
    }
    r->items[r->n].reason = box_strdup(r->b, code ? code : "unknown", &r->nomem);
    r->items[r->n++].count = count;
}

/* Move the reasons collected in r into st (in b's memory). */
static motesok_status set_failures(reasons *r, motesok_index_status *st, motesok_error *err)
{
    motesok_failure_count *items = r->n ? box_alloc(r->b, r->n * sizeof *items) : NULL;
    if (r->nomem || (r->n > 0 && items == NULL))
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (r->n > 0)
        memcpy(items, r->items, r->n * sizeof *items);
    st->failures = items;
    st->n_failures = r->n;
    return MOTESOK_OK;
}

/* Number of case documents (XKcase) in the index, counted exactly. */
static motesok_status count_cases(motesok_searcher *s, uint64_t doccount, uint64_t *out,
                                  motesok_error *err)
{
    *out = 0;
    motesok_xquery *q = motesok_xquery_term(MOTESOK_PREFIX_KIND "case");
    if (q == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    unsigned at_least = doccount > UINT32_MAX ? UINT32_MAX : (unsigned)doccount;
    motesok_xsearch xs = {.query = q, .limit = 0, .sort_slot = -1, .collapse_slot = -1,
                          .check_at_least = at_least};
    motesok_xresults *res = NULL;
    motesok_status st = motesok_xreader_search(s->xr, &xs, &res, err);
    if (st == MOTESOK_OK)
        *out = motesok_xresults_total(res);
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    return st;
}

/* Fill the analysis fields of out: the data queries are analysed with
 * here and the data the index's documents were built with. Different
 * data: re-index (motesok-index does). */
static void set_analysis(motesok_searcher *s, result_box *b, motesok_index_status *out,
                         bool *nomem)
{
    char here[40], *built = NULL;
    msk_norsk_analysis_id(here);
    if (motesok_xreader_get_metadata(s->xr, MOTESOK_META_ANALYSIS, &built, NULL) != MOTESOK_OK ||
        (built != NULL && *built == '\0')) {
        free(built);
        built = NULL; /* not recorded: an index from before the stamp */
    }
    out->analysis_loaded = box_strdup(b, here, nomem);
    out->analysis_index = box_strdup(b, built, nomem);
    out->analysis_same = built != NULL && strcmp(built, here) == 0;
    free(built);
}

motesok_status motesok_searcher_status(motesok_searcher *s, motesok_index_status **out,
                                       motesok_error *err)
{
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the answer");
    *out = NULL;
    uint64_t doccount = 0, revision = 0, cases = 0;
    motesok_store_stats stats = {0};
    char *last_run = NULL, *ocr_run = NULL;
    reasons r = {.b = box_new()};
    motesok_status st = r.b ? begin_call(s, err)
                            : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK)
        st = motesok_xreader_stats(s->xr, &doccount, &revision, err);
    if (st == MOTESOK_OK)
        st = count_cases(s, doccount, &cases, err);
    if (st == MOTESOK_OK)
        st = motesok_store_stats_get(s->store, &stats, err);
    if (st == MOTESOK_OK)
        st = motesok_store_get_meta(s->store, "last_run", &last_run, err);
    if (st == MOTESOK_OK)
        st = motesok_store_get_meta(s->store, "ocr_last_run", &ocr_run, err);
    if (st == MOTESOK_OK)
        st = motesok_store_each_failure_reason(s->store, add_reason, &r, err);
    motesok_index_status *o = r.b ? &r.b->pub.status : NULL;
    if (st == MOTESOK_OK)
        st = set_failures(&r, o, err);
    free(r.items);
    bool nomem = false;
    if (st == MOTESOK_OK) {
        o->documents = stats.ok;
        o->cases = cases;
        o->failed = stats.failed;
        o->unsupported = stats.unsupported;
        o->revision = revision;
        o->last_run = box_strdup(r.b, last_run, &nomem);
        o->ocr_pages_kept = stats.ocr_pages;
        long long pages = 0, cached = 0;
        double secs = 0; /* an index written before the time was kept has none */
        int got = ocr_run != NULL ? sscanf(ocr_run, "%lld %lld %lf", &pages, &cached, &secs) : 0;
        if (got >= 2) {
            o->ocr_last_run_pages = pages;
            o->ocr_last_run_cached = cached;
            o->ocr_last_run_seconds = got == 3 && secs > 0 ? secs : 0;
        }
        o->index_bytes = dir_bytes(s->dir);
        o->shards = s->n_shards;
        set_analysis(s, r.b, o, &nomem);
        if (nomem)
            st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    free(last_run);
    free(ocr_run);
    if (st != MOTESOK_OK) {
        box_free(r.b);
        return st;
    }
    *out = o;
    return MOTESOK_OK;
}

/* ======================================================================== */
/* files that could not be indexed                                         */
/* ======================================================================== */

/* Collects store rows into a growing array in the box. */
typedef struct problems {
    result_box *b;
    motesok_problem_file *items;
    size_t n, cap;
    bool nomem;
} problems;

/* motesok_store_each_problem callback: copy one row. */
static int add_problem(const motesok_file_row *row, void *ud)
{
    problems *p = ud;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        motesok_problem_file *items = box_alloc(p->b, cap * sizeof *items);
        if (items == NULL)
            return -1;
        if (p->n > 0)
            memcpy(items, p->items, p->n * sizeof *items);
        p->items = items, p->cap = cap;
    }
    motesok_problem_file *f = &p->items[p->n++];
    f->path = box_strdup(p->b, row->path, &p->nomem);
    f->status = motesok_file_status_name(row->status);
    f->reason = box_strdup(p->b, row->error_code ? row->error_code : "UNKNOWN", &p->nomem);
    f->message = box_strdup(p->b, row->error ? row->error : "", &p->nomem);
    f->at = row->indexed_at;
    return p->nomem ? -1 : 0;
}

motesok_status motesok_searcher_problems(motesok_searcher *s, unsigned offset, unsigned limit,
                                         motesok_problem_list **out, motesok_error *err)
{
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the answer");
    *out = NULL;
    if (limit == 0)
        limit = 100;
    if (limit > MOTESOK_MAX_PROBLEMS || offset > MOTESOK_MAX_OFFSET)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "limit must be 1 to %u and offset at most %u",
                             MOTESOK_MAX_PROBLEMS, MOTESOK_MAX_OFFSET);
    problems p = {.b = box_new()};
    motesok_store_stats stats = {0};
    motesok_status st = p.b ? begin_call(s, err) : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK)
        st = motesok_store_stats_get(s->store, &stats, err);
    if (st == MOTESOK_OK)
        st = motesok_store_each_problem(s->store, limit, offset, add_problem, &p, err);
    if (st != MOTESOK_OK) {
        box_free(p.b);
        return st;
    }
    motesok_problem_list *o = &p.b->pub.problems;
    o->total = stats.failed + stats.unsupported;
    o->offset = offset;
    o->limit = limit;
    o->files = p.items;
    o->n = p.n;
    *out = o;
    return MOTESOK_OK;
}
