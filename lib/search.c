/* Search over an index directory, answering in the contract's JSON shapes
 * (include/motesok/search.h). */
#include "internal.h"
#include "motesok/schema.h"
#include "motesok/search.h"
#include "motesok/store.h"
#include "motesok/xapian.h"

#include <ctype.h>
#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#define DEFAULT_LIMIT 10
#define DEFAULT_SNIPPET 240
#define DEFAULT_TIME_LIMIT 5.0
/* Weight added to case documents, so that a meeting's matching case is
 * shown before the whole document (one hit per meeting after collapse). */
#define CASE_BONUS 1.0

struct motesok_searcher {
    char *dir;
    motesok_xreader *xr;
    motesok_store *store;
};

/* Query fields: Norwegian and English names for the same prefixes. */
static const motesok_xfield query_fields[] = {
    {"tittel", MOTESOK_PREFIX_TITLE, false},   {"title", MOTESOK_PREFIX_TITLE, false},
    {"vedtak", MOTESOK_PREFIX_DECISION, false}, {"decision", MOTESOK_PREFIX_DECISION, false},
    {"organ", MOTESOK_PREFIX_ORGAN, false},    {"body", MOTESOK_PREFIX_ORGAN, false},
    {"sak", MOTESOK_PREFIX_CASE, false},       {"case", MOTESOK_PREFIX_CASE, false},
};

static const motesok_xdaterange query_ranges[] = {
    {"dato", MOTESOK_SLOT_DATE},
    {"date", MOTESOK_SLOT_DATE},
};

/* ---- open / close ------------------------------------------------------- */

motesok_status motesok_searcher_open(const char *index_dir, motesok_searcher **out,
                                     motesok_error *err)
{
    *out = NULL;
    motesok_searcher *s = calloc(1, sizeof *s);
    char xdir[4096], sfile[4096];
    snprintf(xdir, sizeof xdir, "%s/%s", index_dir, MOTESOK_XAPIAN_DIR);
    snprintf(sfile, sizeof sfile, "%s/%s", index_dir, MOTESOK_STORE_FILE);
    if (s == NULL || (s->dir = strdup(index_dir)) == NULL) {
        free(s);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    const char *dirs[] = {xdir};
    motesok_status st = motesok_xreader_open(dirs, 1, &s->xr, err);
    if (st == MOTESOK_OK)
        st = motesok_store_open(sfile, true, &s->store, err);
    if (st == MOTESOK_ERR_NOT_FOUND)
        msk_error_set(err, st, "no index in %s: run motesok-index --index %s PATH... first",
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

/* ---- helpers ------------------------------------------------------------ */

/* Monotonic clock in milliseconds. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Round to 3 decimals for JSON. */
static double round3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

/* Serialise j (stealing it) into *out. */
static motesok_status dump(json_t *j, char **out, motesok_error *err)
{
    *out = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(j);
    if (*out == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "cannot encode the answer as JSON");
    return MOTESOK_OK;
}

/* True if s is a real calendar date written YYYY-MM-DD. */
static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || y < 1000)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* "YYYY-MM-DD" → "YYYYMMDD" into out[9]. */
static void compact_date(const char *s, char out[9])
{
    snprintf(out, 9, "%.4s%.2s%.2s", s, s + 5, s + 8);
}

/* True if s is valid UTF-8. */
static bool valid_utf8(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (n < 1)
            return false;
        i += (size_t)n;
    }
    return true;
}

/* Check a request; fill defaults into *r. */
static motesok_status validate(const motesok_search_request *req, motesok_search_request *r,
                               motesok_error *err)
{
    *r = *req;
    if (r->query == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "missing query");
    if (strlen(r->query) > MOTESOK_MAX_QUERY_BYTES)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "query longer than %u bytes",
                             MOTESOK_MAX_QUERY_BYTES);
    if (!valid_utf8(r->query))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "query is not valid UTF-8");
    if (r->limit == 0)
        r->limit = DEFAULT_LIMIT;
    if (r->limit > MOTESOK_MAX_LIMIT)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "limit: at most %u, got %u",
                             MOTESOK_MAX_LIMIT, r->limit);
    if (r->offset > MOTESOK_MAX_OFFSET)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "offset: at most %u, got %u",
                             MOTESOK_MAX_OFFSET, r->offset);
    if (r->from != NULL && !valid_date(r->from))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "from: expected YYYY-MM-DD, got '%.40s'", r->from);
    if (r->to != NULL && !valid_date(r->to))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "to: expected YYYY-MM-DD, got '%.40s'", r->to);
    if (r->from != NULL && r->to != NULL && strcmp(r->from, r->to) > 0)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "from (%s) is after to (%s)", r->from, r->to);
    if (r->organ != NULL && (strlen(r->organ) > 200 || !valid_utf8(r->organ)))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "organ: not a valid organ name");
    if (r->snippet_chars == 0)
        r->snippet_chars = DEFAULT_SNIPPET;
    if (r->time_limit_s <= 0)
        r->time_limit_s = DEFAULT_TIME_LIMIT;
    return MOTESOK_OK;
}

/* ---- query building ----------------------------------------------------- */

/* True if the token at p (len n) is a boolean operator word. */
static bool operator_word(const char *p, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR", "NEAR", "OG", "ELLER", "IKKE"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strlen(ops[i]) == n && strncmp(p, ops[i], n) == 0)
            return true;
    return false;
}

/* Rewrite bare words and phrases of q to one field, e.g. "vedtak:". */
static char *field_query(const char *q, const char *field)
{
    msk_buf b = {0};
    const char *p = q;
    while (*p != '\0') {
        if (isspace((unsigned char)*p) || *p == '(' || *p == ')') {
            msk_buf_append(&b, p++, 1);
            continue;
        }
        if (*p == '+' || *p == '-')
            msk_buf_append(&b, p++, 1);
        const char *end = p;
        bool quoted = *p == '"';
        for (end = quoted ? p + 1 : p; *end != '\0'; end++) {
            if (quoted && *end == '"') {
                end++;
                break;
            }
            if (!quoted && (isspace((unsigned char)*end) || *end == ')'))
                break;
        }
        size_t n = (size_t)(end - p);
        bool fielded = !quoted && memchr(p, ':', n) != NULL;
        if (n > 0 && !fielded && !operator_word(p, n))
            msk_buf_append(&b, field, strlen(field));
        msk_buf_append(&b, p, n);
        p = end;
    }
    if (msk_buf_terminate(&b) != MOTESOK_OK) {
        msk_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* Combine *q with filter f (both consumed into the new *q). */
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

/* Make *q rank higher where b also matches (both consumed into the new *q). */
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

/* A constant bonus for case documents. */
static motesok_xquery *case_bonus(void)
{
    motesok_xquery *w = motesok_xquery_fixed_weight(CASE_BONUS);
    motesok_xquery *k = motesok_xquery_term(MOTESOK_PREFIX_KIND "case");
    motesok_xquery *q = w && k ? motesok_xquery_combine(MOTESOK_XOP_FILTER, w, k) : NULL;
    motesok_xquery_free(w);
    motesok_xquery_free(k);
    return q;
}

/* Cases whose title holds the query words rank first among decisions. */
static motesok_status add_title_boost(motesok_searcher *s, const char *query,
                                      const motesok_xparse_options *po, motesok_xquery **q,
                                      motesok_error *err)
{
    char *text = field_query(query, "tittel:");
    if (text == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_xquery *t = NULL;
    motesok_status st = motesok_xreader_parse(s->xr, text, po, &t, NULL, NULL);
    free(text);
    if (st != MOTESOK_OK)
        return MOTESOK_OK; /* no title words: no boost */
    return add_boost(q, t, err);
}

/* The organ filter term XB<case-folded name>, or NULL. */
static motesok_xquery *organ_filter(const char *organ)
{
    char *folded = msk_casefold(organ);
    if (folded == NULL)
        return NULL;
    size_t n = strlen(folded) + sizeof MOTESOK_PREFIX_ORGANF;
    char *term = malloc(n);
    motesok_xquery *q = NULL;
    if (term != NULL) {
        snprintf(term, n, "%s%s", MOTESOK_PREFIX_ORGANF, folded);
        q = motesok_xquery_term(term);
    }
    free(term);
    free(folded);
    return q;
}

/* Parse the user query and add the request's filters. */
static motesok_status build_query(motesok_searcher *s, const motesok_search_request *r,
                                  motesok_xquery **out, motesok_error *err)
{
    *out = NULL;
    motesok_xparse_options po = {
        .fields = query_fields, .n_fields = sizeof query_fields / sizeof *query_fields,
        .ranges = query_ranges, .n_ranges = sizeof query_ranges / sizeof *query_ranges,
        .default_and = true, .norwegian_ops = true, .max_wildcard = 1000,
    };
    char *text = r->decisions ? field_query(r->query, "vedtak:") : NULL;
    if (r->decisions && text == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_status st = motesok_xreader_parse(s->xr, text ? text : r->query, &po, out, NULL, err);
    free(text);
    if (st == MOTESOK_OK && r->decisions)
        st = add_title_boost(s, r->query, &po, out, err);
    if (st == MOTESOK_OK)
        st = add_boost(out, case_bonus(), err);
    if (st == MOTESOK_OK && (r->from != NULL || r->to != NULL)) {
        char lo[9] = "", hi[9] = "";
        if (r->from)
            compact_date(r->from, lo);
        if (r->to)
            compact_date(r->to, hi);
        st = add_filter(out, motesok_xquery_value_range(MOTESOK_SLOT_DATE, r->from ? lo : NULL,
                                                        r->to ? hi : NULL), err);
    }
    if (st == MOTESOK_OK && r->organ != NULL && *r->organ != '\0')
        st = add_filter(out, organ_filter(r->organ), err);
    if (st != MOTESOK_OK) {
        motesok_xquery_free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- stored documents --------------------------------------------------- */

/* A stored document split into its metadata and its pages. */
typedef struct stored_doc {
    json_t *meta;
    const char **pages;
    size_t *lens;
    size_t n_pages;
} stored_doc;

/* Split Xapian document data (JSON line, '\n', pages by '\f') into d. */
static bool split_data(const char *data, size_t len, stored_doc *d)
{
    memset(d, 0, sizeof *d);
    const char *nl = memchr(data, '\n', len);
    if (nl == NULL)
        return false;
    d->meta = json_loadb(data, (size_t)(nl - data), 0, NULL);
    if (!json_is_object(d->meta))
        return false;
    const char *text = nl + 1, *end = data + len;
    size_t n = 1;
    for (const char *p = text; p < end; p++)
        n += *p == MOTESOK_PAGE_SEP;
    d->pages = calloc(n, sizeof *d->pages);
    d->lens = calloc(n, sizeof *d->lens);
    if (d->pages == NULL || d->lens == NULL)
        return false;
    const char *start = text;
    for (const char *p = text; p <= end; p++) {
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

/* Copy member key of src into dst (null when missing). */
static void copy_member(json_t *dst, json_t *src, const char *key)
{
    json_t *v = json_object_get(src, key);
    json_object_set(dst, key, v ? v : json_null());
}

/* ---- search ------------------------------------------------------------- */

/* Collapse runs of white space in s to single spaces, in place. */
static void collapse_space(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t') {
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

/* The page (1-based) and snippet for hit i of res, into hit. */
static motesok_status page_and_snippet(const motesok_xresults *res, const stored_doc *d,
                                       const motesok_search_request *r, json_t *hit,
                                       motesok_error *err)
{
    const char *mime = meta_str(d->meta, "mime");
    bool pdf = mime != NULL && strcmp(mime, "application/pdf") == 0;
    size_t best = 0;
    if (d->n_pages > 1) {
        motesok_status st = motesok_xresults_best_part(res, d->pages, d->lens, d->n_pages,
                                                       &best, NULL, err);
        if (st != MOTESOK_OK)
            return st;
    }
    json_t *case_page = json_object_get(d->meta, "page");
    if (json_is_integer(case_page) && pdf)
        json_object_set_new(hit, "page", json_integer(json_integer_value(case_page) + (json_int_t)best));
    else
        json_object_set_new(hit, "page", pdf ? json_integer((json_int_t)best + 1) : json_null());
    json_t *c = json_object_get(d->meta, "case");
    json_object_set(hit, "case", json_is_object(c) ? c : json_null());
    char *snip = NULL;
    motesok_status st = motesok_xresults_snippet(res, d->pages[best], d->lens[best],
                                                 r->snippet_chars, &snip, err);
    if (st != MOTESOK_OK)
        return st;
    collapse_space(snip);
    json_object_set_new(hit, "snippet", json_string(snip));
    free(snip);
    return MOTESOK_OK;
}

/* The JSON object of hit i. */
static motesok_status make_hit(const motesok_xresults *res, size_t i,
                               const motesok_search_request *r, json_t **out, motesok_error *err)
{
    size_t len = 0;
    const char *data = motesok_xresults_data(res, i, &len);
    stored_doc d;
    if (!split_data(data, len, &d)) {
        stored_doc_free(&d);
        return msk_error_set(err, MOTESOK_ERR_DB_CORRUPT, "a stored document has no metadata");
    }
    json_t *hit = json_object();
    json_object_set_new(hit, "rank", json_integer((json_int_t)(r->offset + i + 1)));
    json_object_set_new(hit, "score", json_real(round3(motesok_xresults_weight(res, i))));
    static const char *const keys[] = {"id", "path", "title", "organ", "date"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        copy_member(hit, d.meta, keys[k]);
    json_t *parent = json_object_get(d.meta, "parent");
    if (json_is_string(parent))
        json_object_set(hit, "id", parent);
    motesok_status st = page_and_snippet(res, &d, r, hit, err);
    stored_doc_free(&d);
    if (st != MOTESOK_OK) {
        json_decref(hit);
        return st;
    }
    *out = hit;
    return MOTESOK_OK;
}

/* Facet counts of res as {"organ": {...}, "year": {...}}. */
static json_t *make_facets(const motesok_xresults *res)
{
    static const char *const names[] = {"organ", "year"};
    json_t *facets = json_object();
    for (size_t f = 0; f < 2; f++) {
        json_t *obj = json_object();
        for (size_t j = 0; j < motesok_xresults_facet_size(res, f); j++) {
            uint64_t count = 0;
            const char *v = motesok_xresults_facet(res, f, j, &count);
            json_object_set_new(obj, v, json_integer((json_int_t)count));
        }
        json_object_set_new(facets, names[f], obj);
    }
    return facets;
}

/* Run the Xapian search for a validated request. */
static motesok_status run(motesok_searcher *s, const motesok_search_request *r,
                          motesok_xresults **res, motesok_error *err)
{
    motesok_xquery *q = NULL;
    motesok_status st = build_query(s, r, &q, err);
    if (st != MOTESOK_OK)
        return st;
    static const unsigned facet_slots[] = {MOTESOK_SLOT_ORGAN, MOTESOK_SLOT_YEAR};
    motesok_xsearch xs = {
        .query = q, .offset = r->offset, .limit = r->limit,
        .sort_slot = r->sort == MOTESOK_SORT_DATE ? (int)MOTESOK_SLOT_DATE : -1,
        .sort_descending = true, .collapse_slot = (int)MOTESOK_SLOT_PARENT,
        .time_limit_s = r->time_limit_s, .facet_slots = facet_slots, .n_facets = 2,
        .check_at_least = r->offset + r->limit + 100,
    };
    st = motesok_xreader_search(s->xr, &xs, res, err);
    motesok_xquery_free(q);
    return st;
}

motesok_status motesok_searcher_search(motesok_searcher *s, const motesok_search_request *req,
                                       char **json, motesok_error *err)
{
    *json = NULL;
    double t0 = now_ms();
    motesok_search_request r;
    motesok_status st = validate(req, &r, err);
    if (st == MOTESOK_OK)
        st = motesok_xreader_reopen(s->xr, NULL, err);
    motesok_xresults *res = NULL;
    if (st == MOTESOK_OK)
        st = run(s, &r, &res, err);
    if (st != MOTESOK_OK)
        return st;
    json_t *hits = json_array();
    for (size_t i = 0; st == MOTESOK_OK && i < motesok_xresults_count(res); i++) {
        json_t *hit = NULL;
        st = make_hit(res, i, &r, &hit, err);
        if (st == MOTESOK_OK)
            json_array_append_new(hits, hit);
    }
    json_t *facets = make_facets(res);
    uint64_t total = motesok_xresults_total(res);
    motesok_xresults_free(res);
    if (st != MOTESOK_OK) {
        json_decref(hits);
        json_decref(facets);
        return st;
    }
    json_t *out = json_object();
    json_object_set_new(out, "query", json_string(r.query));
    json_object_set_new(out, "total", json_integer((json_int_t)total));
    json_object_set_new(out, "offset", json_integer(r.offset));
    json_object_set_new(out, "limit", json_integer(r.limit));
    json_object_set_new(out, "took_ms", json_real(round3(now_ms() - t0)));
    json_object_set_new(out, "suggestion", json_null());
    json_object_set_new(out, "hits", hits);
    json_object_set_new(out, "facets", facets);
    return dump(out, json, err);
}

/* ---- documents ---------------------------------------------------------- */

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

/* Load the stored document of id. */
static motesok_status load_doc(motesok_searcher *s, const char *id, char **data, size_t *len,
                               stored_doc *d, motesok_error *err)
{
    memset(d, 0, sizeof *d);
    *data = NULL;
    if (!valid_id(id))
        return msk_error_set(err, MOTESOK_ERR_INVALID,
                             "document id must be 16 hexadecimal digits, got '%.40s'", id);
    motesok_status st = motesok_xreader_reopen(s->xr, NULL, err);
    char term[32];
    snprintf(term, sizeof term, "%s%s", MOTESOK_PREFIX_ID, id);
    if (st == MOTESOK_OK)
        st = motesok_xreader_get_data(s->xr, term, data, len, err);
    if (st == MOTESOK_ERR_NOT_FOUND)
        return msk_error_set(err, st, "no document with id %s", id);
    if (st == MOTESOK_OK && !split_data(*data, *len, d))
        st = msk_error_set(err, MOTESOK_ERR_DB_CORRUPT, "document %s has no metadata", id);
    if (st != MOTESOK_OK) {
        stored_doc_free(d);
        free(*data);
        *data = NULL;
    }
    return st;
}

/* The case documents of file id, as a JSON array in page order. */
static motesok_status list_cases(motesok_searcher *s, const char *id, json_t **out,
                                 motesok_error *err)
{
    *out = json_array();
    char xp[32];
    snprintf(xp, sizeof xp, "%s%s", MOTESOK_PREFIX_PARENT, id);
    motesok_xquery *a = motesok_xquery_term(xp);
    motesok_xquery *b = motesok_xquery_term(MOTESOK_PREFIX_KIND "case");
    motesok_xquery *q = a && b ? motesok_xquery_combine(MOTESOK_XOP_AND, a, b) : NULL;
    motesok_xquery_free(a);
    motesok_xquery_free(b);
    if (q == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_xsearch xs = {.query = q, .limit = 1000, .sort_slot = -1, .collapse_slot = -1};
    motesok_xresults *res = NULL;
    motesok_status st = motesok_xreader_search(s->xr, &xs, &res, err);
    motesok_xquery_free(q);
    for (size_t i = 0; st == MOTESOK_OK && i < motesok_xresults_count(res); i++) {
        size_t len = 0;
        const char *data = motesok_xresults_data(res, i, &len);
        stored_doc d;
        if (split_data(data, len, &d)) {
            json_t *c = json_deep_copy(json_object_get(d.meta, "case"));
            if (json_is_object(c)) {
                copy_member(c, d.meta, "page");
                json_array_append_new(*out, c);
            } else {
                json_decref(c);
            }
        }
        stored_doc_free(&d);
    }
    motesok_xresults_free(res);
    return st;
}

motesok_status motesok_searcher_document(motesok_searcher *s, const char *id, char **json,
                                         motesok_error *err)
{
    *json = NULL;
    char *data = NULL;
    size_t len = 0;
    stored_doc d;
    motesok_status st = load_doc(s, id, &data, &len, &d, err);
    if (st != MOTESOK_OK)
        return st;
    json_t *out = json_object();
    static const char *const keys[] = {"id", "path", "title", "organ", "date", "place",
                                       "present", "absent", "referent", "mime",
                                       "encoding", "pages", "size", "mtime"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        copy_member(out, d.meta, keys[k]);
    motesok_file_row row = {0};
    bool found = false;
    if (motesok_store_get_by_id(s->store, id, &row, &found, NULL) == MOTESOK_OK && found) {
        json_object_set_new(out, "status", json_string(motesok_file_status_name(row.status)));
        json_object_set_new(out, "hash", json_string(row.hash));
        json_object_set_new(out, "indexed_at", json_integer(row.indexed_at));
    }
    motesok_file_row_clear(&row);
    json_t *cases = NULL;
    st = list_cases(s, id, &cases, err);
    json_object_set_new(out, "cases", cases);
    stored_doc_free(&d);
    free(data);
    if (st != MOTESOK_OK) {
        json_decref(out);
        return st;
    }
    return dump(out, json, err);
}

motesok_status motesok_searcher_text(motesok_searcher *s, const char *id, unsigned page,
                                     char **json, motesok_error *err)
{
    *json = NULL;
    char *data = NULL;
    size_t len = 0;
    stored_doc d;
    motesok_status st = load_doc(s, id, &data, &len, &d, err);
    if (st != MOTESOK_OK)
        return st;
    if (page > d.n_pages) {
        st = msk_error_set(err, MOTESOK_ERR_NOT_FOUND, "page %u of %zu does not exist", page, d.n_pages);
    }
    json_t *out = NULL;
    if (st == MOTESOK_OK) {
        msk_buf text = {0};
        for (size_t i = 0; i < d.n_pages; i++) {
            if (page != 0 && i + 1 != page)
                continue;
            if (text.len > 0)
                msk_buf_append(&text, "\n\n", 2);
            msk_buf_append(&text, d.pages[i], d.lens[i]);
        }
        msk_buf_terminate(&text);
        out = json_pack("{s:s, s:I, s:I, s:s}", "id", id, "page", (json_int_t)page,
                        "pages", (json_int_t)d.n_pages, "text", text.data ? text.data : "");
        msk_buf_free(&text);
    }
    stored_doc_free(&d);
    free(data);
    if (st != MOTESOK_OK)
        return st;
    return dump(out, json, err);
}

/* ---- status ------------------------------------------------------------- */

static int64_t walk_bytes; /* nftw has no user pointer; guarded by walk_lock */
static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;

/* nftw callback: add up regular file sizes. */
static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path; (void)ftw;
    if (flag == FTW_F)
        walk_bytes += (int64_t)st->st_size;
    return 0;
}

/* Bytes used by the files under dir. */
static int64_t dir_bytes(const char *dir)
{
    pthread_mutex_lock(&walk_lock);
    walk_bytes = 0;
    nftw(dir, add_size, 16, FTW_PHYS);
    int64_t n = walk_bytes;
    pthread_mutex_unlock(&walk_lock);
    return n;
}

/* store callback: add one failure reason to a JSON object. */
static void add_reason(const char *code, int64_t count, void *ud)
{
    json_object_set_new(ud, code, json_integer(count));
}

/* Number of case documents in the index. */
static motesok_status count_cases(motesok_searcher *s, uint64_t doccount, uint64_t *out,
                                  motesok_error *err)
{
    *out = 0;
    motesok_xquery *q = motesok_xquery_term(MOTESOK_PREFIX_KIND "case");
    if (q == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_xsearch xs = {.query = q, .limit = 0, .sort_slot = -1, .collapse_slot = -1,
                          .check_at_least = (unsigned)(doccount > 4000000000u ? 4000000000u : doccount)};
    motesok_xresults *res = NULL;
    motesok_status st = motesok_xreader_search(s->xr, &xs, &res, err);
    if (st == MOTESOK_OK)
        *out = motesok_xresults_total(res);
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    return st;
}

motesok_status motesok_searcher_status(motesok_searcher *s, char **json, motesok_error *err)
{
    *json = NULL;
    uint64_t doccount = 0, revision = 0, cases = 0;
    motesok_store_stats stats;
    char *last_run = NULL;
    json_t *reasons = json_object();
    motesok_status st = motesok_xreader_reopen(s->xr, NULL, err);
    if (st == MOTESOK_OK)
        st = motesok_xreader_stats(s->xr, &doccount, &revision, err);
    if (st == MOTESOK_OK)
        st = count_cases(s, doccount, &cases, err);
    if (st == MOTESOK_OK)
        st = motesok_store_stats_get(s->store, &stats, err);
    if (st == MOTESOK_OK)
        st = motesok_store_get_meta(s->store, "last_run", &last_run, err);
    if (st == MOTESOK_OK)
        st = motesok_store_each_failure_reason(s->store, add_reason, reasons, err);
    if (st != MOTESOK_OK) {
        json_decref(reasons);
        free(last_run);
        return st;
    }
    json_t *out = json_object();
    json_object_set_new(out, "documents", json_integer(stats.ok));
    json_object_set_new(out, "cases", json_integer((json_int_t)cases));
    json_object_set_new(out, "failed", json_integer(stats.failed));
    json_object_set_new(out, "unsupported", json_integer(stats.unsupported));
    json_object_set_new(out, "revision", json_integer((json_int_t)revision));
    json_object_set_new(out, "last_run", last_run ? json_string(last_run) : json_null());
    json_object_set_new(out, "failures", reasons);
    json_object_set_new(out, "index_bytes", json_integer(dir_bytes(s->dir)));
    free(last_run);
    return dump(out, json, err);
}
