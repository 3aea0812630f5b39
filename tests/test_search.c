/* Tests for lib/search.c: query building, filters, facets, paging, pages
 * and snippets, and the contract's JSON shapes, over a small real index
 * written with the Xapian shim and the store in the layout of schema.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "schema.h"
#include "motesok/search.h"
#include "store.h"
#include "xapian/xapian.h"
#include "test_tmpdir.h"

/* ======================================================================== */
/* the test index                                                           */
/* ======================================================================== */

/* One Xapian document to write: a passage of a file, its preamble (the
 * whole file when it has no cases) or one of its cases. */
typedef struct tdoc {
    const char *path;
    const char *kind;       /* "preamble" or "case" */
    const char *mime;
    const char *title;
    const char *organ;      /* NULL when unknown */
    const char *date;       /* YYYY-MM-DD or NULL */
    const char *pages[4];   /* text parts, one per page */
    const char *case_number, *case_title, *decision; /* cases only */
    int case_page;          /* first page of a case */
    int case_index;         /* passage number n: unique term Q<id>:<n> */
    int passages;           /* passages of the file (0: 1) */
    int file_pages;         /* pages of the file (0: this passage's) */
} tdoc;

#define PDF "application/pdf"
#define TXT "text/plain"

static const tdoc doc_hallingdal = {
    "/srv/møter/2010-08-27-regionradet.pdf", "preamble", PDF,
    "Møtebok Regionrådet for Hallingdal", "Regionrådet for Hallingdal", "2010-08-27",
    {"Godkjenning av innkalling og sakliste.",
     "Utvida legevakt med røntgen i påsken. Legevakt <b>&</b> bakvakt.",
     "Eventuelt. Budsjett og neste møte i mars."},
    NULL, NULL, NULL, 0, 0, 0, 0,
};

static const tdoc doc_referat = {
    "/srv/møter/referat.txt", "preamble", TXT, "Referat fra Regionrådet", NULL, NULL,
    {"Referat fra Regionrådet\nInnledning.", "Drøftet legevakt og jordmortjeneste. Budsjett."},
    NULL, NULL, NULL, 0, 0, 0, 0,
};

static const tdoc doc_radmann = {
    "/srv/møter/2018-02-23-radmannsutvalget.pdf", "preamble", PDF,
    "Referat Rådmannsutvalget 23.02.2018", "Rådmannsutvalget", "2018-02-23",
    {"Referat Rådmannsutvalget. Legevakt i helgene og budsjett for helse."},
    NULL, NULL, NULL, 0, 0, 0, 0,
};

/* Formannskapet: a preamble and two cases, three pages; case 11 ends
 * page 1, case 12 fills pages 2 and 3. */
static const tdoc doc_formannskap = {
    "/srv/møter/2018-06-14-formannskapet.pdf", "preamble", PDF,
    "Møtebok Formannskapet 14.06.2018", "Formannskapet", "2018-06-14",
    {"Møte i Formannskapet. Orientering om budsjett. "},
    NULL, NULL, NULL, 1, 0, 3, 3,
};

/* The cases of doc_formannskap; written case 12 first, so that listing
 * them in page order is not the order they were written in. */
static const tdoc case_12 = {
    "/srv/møter/2018-06-14-formannskapet.pdf", "case", PDF,
    "Møtebok Formannskapet 14.06.2018", "Formannskapet", "2018-06-14",
    {"Sak 12/2018 Legevaktsamarbeid. Saksutredning om samarbeid i regionen.",
     "Vedtak: Formannskapet slutter seg til felles legevakt fra 2019."},
    "12/2018", "Legevaktsamarbeid", "Formannskapet slutter seg til felles legevakt fra 2019.",
    2, 2, 3, 3,
};

static const tdoc case_11 = {
    "/srv/møter/2018-06-14-formannskapet.pdf", "case", PDF,
    "Møtebok Formannskapet 14.06.2018", "Formannskapet", "2018-06-14",
    {"Sak 11/2018 Godkjenning av protokoll.", ""},
    "11/2018", "Godkjenning av protokoll", NULL, 1, 1, 3, 3,
};

static const tdoc doc_zebra = {
    "/srv/møter/ny.txt", "preamble", TXT, "Innkjøp", NULL, NULL,
    {"Innkjøp av zebrafink til barnehagen."}, NULL, NULL, NULL, 0, 0, 0, 0,
};

typedef struct fixture {
    char dir[64];
    char index[96];
    char xdir[128];
    motesok_searcher *s;
} fixture;

/* Number of text parts of t. */
static size_t n_parts(const tdoc *t)
{
    size_t n = 0;
    while (n < 4 && t->pages[n] != NULL)
        n++;
    return n;
}

/* The stored data of t: one JSON line of metadata, '\n', parts by '\f'. */
static char *tdoc_data(const tdoc *t)
{
    char id[17];
    motesok_path_id(t->path, id);
    json_t *meta = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:s?, s:s?,"
                             " s:i, s:i, s:i}",
                             "id", id, "kind", t->kind, "path", t->path, "title", t->title,
                             "mime", t->mime, "encoding", "",
                             "pages", t->file_pages ? t->file_pages : (int)n_parts(t),
                             "size", 1000, "mtime", 1519372800, "organ", t->organ,
                             "date", t->date, "passage", t->case_index,
                             "passages", t->passages ? t->passages : 1,
                             "page", t->case_page ? t->case_page : 1);
    assert_non_null(meta);
    if (strcmp(t->kind, "case") == 0) {
        json_object_set_new(meta, "case", json_pack("{s:s, s:s, s:s?}", "number", t->case_number,
                                                    "title", t->case_title,
                                                    "decision", t->decision));
    }
    char *js = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(meta);
    size_t cap = strlen(js) + 2;
    for (size_t i = 0; i < n_parts(t); i++)
        cap += strlen(t->pages[i]) + 1;
    char *data = malloc(cap);
    assert_non_null(data);
    strcpy(data, js);
    strcat(data, "\n");
    for (size_t i = 0; i < n_parts(t); i++) {
        if (i > 0)
            strcat(data, "\f");
        strcat(data, t->pages[i]);
    }
    free(js);
    return data;
}

/* Index text with a prefix into d. */
static void index_text(motesok_xdoc *d, const char *text, const char *prefix)
{
    assert_int_equal(motesok_xdoc_index_text(d, text, strlen(text), 1, prefix, NULL), MOTESOK_OK);
}

/* Add the date, year and organ values and terms of t to d (organ words on
 * a file's first passage only). */
static void tag_date_organ(motesok_xdoc *d, const tdoc *t)
{
    if (t->date != NULL) {
        char compact[9];
        snprintf(compact, sizeof compact, "%.4s%.2s%.2s", t->date, t->date + 5, t->date + 8);
        assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_DATE, compact, 8, NULL), MOTESOK_OK);
        assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_YEAR, t->date, 4, NULL), MOTESOK_OK);
    }
    if (t->organ != NULL) {
        char *folded = msk_casefold(t->organ);
        char term[256];
        snprintf(term, sizeof term, "%s%s", MOTESOK_PREFIX_ORGANF, folded);
        free(folded);
        assert_int_equal(motesok_xdoc_add_boolean_term(d, term, NULL), MOTESOK_OK);
        assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_ORGAN, t->organ,
                                                strlen(t->organ), NULL), MOTESOK_OK);
        if (t->case_index == 0)
            index_text(d, t->organ, MOTESOK_PREFIX_ORGAN);
    }
}

/* Write t into the Xapian database, as lib/index.c lays documents out. */
static void write_doc(motesok_xwriter *w, const tdoc *t)
{
    char id[17], q[40], xp[40], kind[40];
    motesok_path_id(t->path, id);
    snprintf(q, sizeof q, "%s%s:%d", MOTESOK_PREFIX_ID, id, t->case_index);
    snprintf(xp, sizeof xp, "%s%s", MOTESOK_PREFIX_PARENT, id);
    snprintf(kind, sizeof kind, "%s%s", MOTESOK_PREFIX_KIND, t->kind);
    motesok_xdoc *d = NULL;
    assert_int_equal(motesok_xwriter_new_doc(w, &d, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, q, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, xp, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, kind, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_KIND, t->kind, strlen(t->kind), NULL),
                     MOTESOK_OK);
    assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_PARENT, id, 16, NULL), MOTESOK_OK);
    tag_date_organ(d, t);
    if (t->case_index == 0) /* the file's title on its first passage */
        index_text(d, t->title, MOTESOK_PREFIX_TITLE);
    if (t->case_title != NULL)
        index_text(d, t->case_title, MOTESOK_PREFIX_TITLE);
    if (t->case_number != NULL) {
        index_text(d, t->case_number, MOTESOK_PREFIX_CASE);
        index_text(d, t->case_title, MOTESOK_PREFIX_CASE);
    }
    if (t->decision != NULL)
        index_text(d, t->decision, MOTESOK_PREFIX_DECISION);
    for (size_t i = 0; i < n_parts(t); i++) {
        motesok_xdoc_increase_termpos(d, 100);
        index_text(d, t->pages[i], "");
    }
    char *data = tdoc_data(t);
    assert_int_equal(motesok_xdoc_set_data(d, data, strlen(data), NULL), MOTESOK_OK);
    free(data);
    assert_int_equal(motesok_xwriter_replace(w, q, d, NULL), MOTESOK_OK);
    motesok_xdoc_free(d);
}

/* A store row for path (strings borrowed). */
static motesok_file_row store_row(const char *path, const char *mime, motesok_file_status st,
                                  const char *code)
{
    motesok_file_row r = {0};
    r.path = (char *)path;
    motesok_path_id(path, r.id);
    r.size = 1000;
    r.mtime_ns = 1519372800000000000LL;
    snprintf(r.hash, sizeof r.hash, "00112233aabbccdd");
    r.mime = (char *)mime;
    r.pages = 1;
    r.status = st;
    r.error_code = (char *)code;
    r.error = code ? "could not be read" : NULL;
    r.indexed_at = 1700000000;
    return r;
}

/* Write the store: four indexed files, one failed, one unsupported. */
static void write_store(const char *index)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", index, MOTESOK_STORE_FILE);
    motesok_store *st = NULL;
    assert_int_equal(motesok_store_open(path, false, &st, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_begin(st, NULL), MOTESOK_OK);
    const tdoc *docs[] = {&doc_hallingdal, &doc_referat, &doc_radmann, &doc_formannskap};
    for (size_t i = 0; i < 4; i++) {
        motesok_file_row r = store_row(docs[i]->path, docs[i]->mime, MOTESOK_FILE_OK, NULL);
        assert_int_equal(motesok_store_put(st, &r, NULL), MOTESOK_OK);
    }
    motesok_file_row bad = store_row("/srv/møter/låst.pdf", PDF, MOTESOK_FILE_FAILED,
                                     "ERR_ENCRYPTED");
    assert_int_equal(motesok_store_put(st, &bad, NULL), MOTESOK_OK);
    motesok_file_row odd = store_row("/srv/møter/bilde.png", "image/png",
                                     MOTESOK_FILE_UNSUPPORTED, "ERR_UNSUPPORTED");
    assert_int_equal(motesok_store_put(st, &odd, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_set_meta(st, "last_run", "2024-05-01T10:00:00Z", NULL),
                     MOTESOK_OK);
    assert_int_equal(motesok_store_commit(st, NULL), MOTESOK_OK);
    motesok_store_close(st);
}

/* Write docs[0..n) into the Xapian database at xdir and commit. */
static void write_xapian(const char *xdir, const tdoc *const *docs, size_t n)
{
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(xdir, &w, NULL), MOTESOK_OK);
    for (size_t i = 0; i < n; i++)
        write_doc(w, docs[i]);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
}

/* The index's shard list: one shard, index/shards/0. */
static void write_stub(const char *index)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", index, MOTESOK_XAPIAN_STUB);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("glass shards/0\n", f);
    assert_int_equal(fclose(f), 0);
    snprintf(path, sizeof path, "%s/shards", index);
    assert_int_equal(mkdir(path, 0755), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->dir, sizeof f->dir, "test-search"));
    snprintf(f->index, sizeof f->index, "%s/index", f->dir);
    snprintf(f->xdir, sizeof f->xdir, "%s/shards/0", f->index);
    assert_int_equal(mkdir(f->index, 0755), 0);
    write_stub(f->index);
    const tdoc *docs[] = {&doc_hallingdal, &doc_referat, &doc_radmann, &doc_formannskap,
                          &case_12, &case_11};
    write_xapian(f->xdir, docs, sizeof docs / sizeof *docs);
    write_store(f->index);
    assert_int_equal(motesok_searcher_open(f->index, &f->s, NULL), MOTESOK_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    motesok_searcher_close(f->s);
    msk_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* ======================================================================== */
/* helpers                                                                  */
/* ======================================================================== */

/* Parse JSON text that must be valid, and free the text. */
static json_t *parse(char *text)
{
    assert_non_null(text);
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (j == NULL)
        fail_msg("bad JSON (%s): %s", e.text, text);
    free(text);
    return j;
}

/* Run a search that must succeed and parse its answer. */
static json_t *search(fixture *f, const motesok_search_request *req)
{
    char *out = NULL;
    motesok_error err;
    if (motesok_searcher_search(f->s, req, &out, &err) != MOTESOK_OK)
        fail_msg("search failed: %s", err.message);
    return parse(out);
}

/* The id of the file at path. */
static const char *id_of(const char *path, char buf[17])
{
    motesok_path_id(path, buf);
    return buf;
}

/* Member key of obj as an integer (fails if it is not one). */
static json_int_t int_of(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        fail_msg("\"%s\" is not an integer", key);
    return json_integer_value(v);
}

/* Member key of obj as a string (fails if it is not one). */
static const char *str_of(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        fail_msg("\"%s\" is not a string", key);
    return json_string_value(v);
}

/* Fail unless obj's keys are exactly keys[0..n), in that order. */
static void assert_keys(json_t *obj, const char *const *keys, size_t n)
{
    assert_true(json_is_object(obj));
    const char *k;
    json_t *v;
    size_t i = 0;
    json_object_foreach(obj, k, v) {
        if (i >= n)
            fail_msg("unexpected key \"%s\"", k);
        assert_string_equal(k, keys[i]);
        i++;
    }
    assert_int_equal(i, n);
}

/* The hits array of a search answer. */
static json_t *hits_of(json_t *res)
{
    json_t *h = json_object_get(res, "hits");
    assert_true(json_is_array(h));
    return h;
}

/* The hit whose id is that of path, or NULL; fails if there are two. */
static json_t *hit_for(json_t *res, const char *path)
{
    char id[17];
    id_of(path, id);
    json_t *found = NULL, *h;
    size_t i;
    json_array_foreach(hits_of(res), i, h) {
        if (strcmp(str_of(h, "id"), id) != 0)
            continue;
        assert_null(found);
        found = h;
    }
    return found;
}

/* Total of a search for query with the given filters. */
static json_int_t total_for(fixture *f, motesok_search_request req)
{
    json_t *j = search(f, &req);
    json_int_t n = int_of(j, "total");
    assert_int_equal((size_t)n, json_array_size(hits_of(j)));
    json_decref(j);
    return n;
}

/* Run a search that must fail with ERR_INVALID and a message holding what. */
static void assert_invalid(fixture *f, motesok_search_request req, const char *what)
{
    char *out = (char *)"untouched";
    motesok_error err;
    assert_int_equal(motesok_searcher_search(f->s, &req, &out, &err), MOTESOK_ERR_INVALID);
    assert_null(out);
    assert_int_equal(err.code, MOTESOK_ERR_INVALID);
    if (strstr(err.message, what) == NULL)
        fail_msg("message '%s' does not mention '%s'", err.message, what);
}

/* ======================================================================== */
/* search                                                                   */
/* ======================================================================== */

static void test_searcher_search_json_shape(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt"};
    json_t *j = search(f, &req);
    static const char *const keys[] = {"query", "total", "total_exact", "offset", "limit",
                                       "took_ms", "suggestion", "suggestion_searched",
                                       "any_word", "hits", "facets"};
    assert_keys(j, keys, 11);
    assert_string_equal(str_of(j, "query"), "legevakt");
    assert_int_equal(int_of(j, "total"), 4);
    assert_true(json_is_true(json_object_get(j, "total_exact"))); /* all checked */
    assert_int_equal(int_of(j, "offset"), 0);
    assert_int_equal(int_of(j, "limit"), 10);
    json_t *took = json_object_get(j, "took_ms");
    assert_true(json_is_real(took));
    assert_true(json_real_value(took) >= 0 && json_real_value(took) < 5000);
    assert_true(json_is_null(json_object_get(j, "suggestion")));
    assert_true(json_is_false(json_object_get(j, "suggestion_searched")));
    assert_true(json_is_false(json_object_get(j, "any_word")));
    static const char *const fkeys[] = {"organ", "kommune", "year"};
    assert_keys(json_object_get(j, "facets"), fkeys, 3);
    static const char *const hkeys[] = {"rank", "score", "id", "path", "title", "organ",
                                        "kommune", "date", "page", "case", "snippet"};
    json_t *h;
    size_t i;
    double last = INFINITY;
    assert_int_equal(json_array_size(hits_of(j)), 4);
    json_array_foreach(hits_of(j), i, h) {
        assert_keys(h, hkeys, 11);
        assert_int_equal(int_of(h, "rank"), (json_int_t)i + 1);
        json_t *score = json_object_get(h, "score");
        assert_true(json_is_real(score));
        double s = json_real_value(score);
        assert_true(s > 0 && s <= last);
        assert_true(fabs(s * 1000 - round(s * 1000)) < 1e-6); /* 3 decimals */
        last = s;
        assert_int_equal(strlen(str_of(h, "id")), 16);
        assert_true(str_of(h, "path")[0] == '/');
        assert_non_null(str_of(h, "title"));
        assert_non_null(strstr(str_of(h, "snippet"), "<mark>"));
    }
    json_decref(j);
}

static void test_searcher_search_pdf_page_and_snippet(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt"};
    json_t *j = search(f, &req);
    json_t *pdf = hit_for(j, doc_hallingdal.path);
    assert_non_null(pdf);
    assert_int_equal(int_of(pdf, "page"), 2);
    assert_string_equal(str_of(pdf, "organ"), "Regionrådet for Hallingdal");
    assert_string_equal(str_of(pdf, "date"), "2010-08-27");
    assert_true(json_is_null(json_object_get(pdf, "case")));
    const char *snip = str_of(pdf, "snippet");
    assert_non_null(strstr(snip, "<mark>legevakt</mark>"));
    assert_non_null(strstr(snip, "&lt;b&gt;&amp;&lt;/b&gt;")); /* escaped, not markup */
    assert_null(strstr(snip, "innkalling"));                  /* page 1 is not shown */
    json_t *txt = hit_for(j, doc_referat.path);
    assert_non_null(txt);
    assert_true(json_is_null(json_object_get(txt, "page")));
    assert_true(json_is_null(json_object_get(txt, "organ")));
    assert_true(json_is_null(json_object_get(txt, "date")));
    assert_non_null(strstr(str_of(txt, "snippet"), "<mark>legevakt</mark>"));
    assert_null(strchr(str_of(txt, "snippet"), '\f'));
    assert_string_equal(str_of(txt, "title"), "Referat fra Regionrådet");
    json_t *one = hit_for(j, doc_radmann.path);
    assert_non_null(one);
    assert_int_equal(int_of(one, "page"), 1);
    /* the file and its case both match: one hit, the case first, on page 3 */
    json_t *fm = hit_for(j, doc_formannskap.path);
    assert_non_null(fm);
    assert_int_equal(int_of(fm, "page"), 3);
    assert_string_equal(str_of(json_object_get(fm, "case"), "number"), "12/2018");
    json_decref(j);
}

static void test_searcher_search_filters(void **state)
{
    fixture *f = *state;
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2018-01-01"}), 2);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .to = "2018-03-01"}), 2);
    motesok_search_request day = {.query = "legevakt", .from = "2018-02-23", .to = "2018-02-23"};
    json_t *j = search(f, &day);
    assert_int_equal(int_of(j, "total"), 1);
    assert_non_null(hit_for(j, doc_radmann.path));
    json_decref(j);
    motesok_search_request organ = {.query = "legevakt", .organ = "RÅDMANNSUTVALGET"};
    j = search(f, &organ);
    assert_int_equal(int_of(j, "total"), 1);
    assert_non_null(hit_for(j, doc_radmann.path));
    json_decref(j);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .organ = "Ukjent utvalg"}), 0);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt", .organ = ""}), 4);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "budsjett",
                                                           .organ = "regionrådet for hallingdal",
                                                           .to = "2012-12-31"}), 1);
    /* fields and date ranges of the query language */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "tittel:rådmannsutvalget"}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "organ:hallingdal"}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){
                         .query = "legevakt dato:2018-01-01..2018-12-31"}), 2);
    /* NOT alone judges whole minutes: every file speaks of legevakt, though
     * the Formannskapet's case 11 does not */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "IKKE legevakt"}), 0);
    j = search(f, &(motesok_search_request){.query = "IKKE røntgen"});
    assert_int_equal(int_of(j, "total"), 3);
    assert_null(hit_for(j, doc_hallingdal.path));
    json_decref(j);
}

/* from/to take YYYY (from Jan 1, to Dec 31) and YYYY-MM (from the 1st, to
 * the month's last day), as the contract's DATE does. */
static void test_searcher_search_year_and_month_bounds(void **state)
{
    fixture *f = *state;
    /* legevakt: Hallingdal 2010-08-27, Rådmannsutvalget 2018-02-23,
     * Formannskapet 2018-06-14, and the undated referat */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2018"}), 2);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .to = "2010"}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2010", .to = "2010"}), 1);
    json_t *j = search(f, &(motesok_search_request){.query = "legevakt", .from = "2018-02",
                                                     .to = "2018-02"});
    assert_int_equal(int_of(j, "total"), 1);
    assert_non_null(hit_for(j, doc_radmann.path));
    json_decref(j);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2018-03"}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .to = "2018-05"}), 2);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2018-06-14",
                                                           .to = "2018-06"}), 1);
    /* a leap February ends on the 29th */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2016-02",
                                                           .to = "2016-02"}), 0);
}

/* The query's dato:A..B follows the rule of from/to: where from/to is
 * refused, dato: is no date range and the query falls back to its words. */
static void test_searcher_search_date_range_one_rule(void **state)
{
    fixture *f = *state;
    assert_invalid(f, (motesok_search_request){.query = "legevakt", .from = "2018-02-23",
                                               .to = "2018-02-30"}, "to:");
    /* as words, "dato 2018 02 23 2018 02 30" are in no minutes */
    assert_int_equal(total_for(f, (motesok_search_request){
                         .query = "legevakt dato:2018-02-23..2018-02-30"}), 0);
    /* what from/to accepts, dato: does too */
    assert_int_equal(total_for(f, (motesok_search_request){
                         .query = "legevakt dato:2018-02..2018-02"}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){
                         .query = "legevakt dato:2018..2018"}), 2);
}

/* Operator words: upper case only, Nynorsk IKKJE as IKKE, also where the
 * query is moved to decision text. */
static void test_searcher_search_operator_words(void **state)
{
    fixture *f = *state;
    json_t *j = search(f, &(motesok_search_request){.query = "legevakt IKKJE røntgen"});
    assert_int_equal(int_of(j, "total"), 3);
    assert_null(hit_for(j, doc_hallingdal.path));
    json_decref(j);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "IKKJE røntgen"}), 3);
    /* lower case: a (stop)word of the text, not an operator; the one
     * meeting with both words ranks first */
    static const char *const lower[] = {"legevakt ikkje røntgen", "legevakt ikke røntgen"};
    for (size_t i = 0; i < 2; i++) {
        j = search(f, &(motesok_search_request){.query = lower[i]});
        char id[17];
        assert_string_equal(str_of(json_array_get(hits_of(j), 0), "id"),
                            id_of(doc_hallingdal.path, id));
        json_decref(j);
    }
    /* in decision text: IKKJE stays an operator, not the word vedtak:IKKJE */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt IKKJE røntgen",
                                                           .decisions = true}), 1);
}

static void test_searcher_search_decisions(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt", .decisions = true};
    json_t *j = search(f, &req);
    assert_int_equal(int_of(j, "total"), 1);
    json_t *h = json_array_get(hits_of(j), 0);
    char id[17];
    assert_string_equal(str_of(h, "id"), id_of(doc_formannskap.path, id));
    static const char *const ckeys[] = {"number", "title", "proposal", "decision", "vote"};
    json_t *c = json_object_get(h, "case");
    assert_keys(c, ckeys, 5);
    assert_string_equal(str_of(c, "number"), "12/2018");
    assert_string_equal(str_of(c, "title"), "Legevaktsamarbeid");
    assert_string_equal(str_of(c, "decision"), case_12.decision);
    assert_int_equal(int_of(h, "page"), 3); /* case starts on 2, the match is on 3 */
    assert_non_null(strstr(str_of(h, "snippet"), "<mark>legevakt</mark>"));
    json_decref(j);
    /* the same through the field, and only decision text counts */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "vedtak:legevakt"}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "budsjett",
                                                           .decisions = true}), 0);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "(legevakt OR zebra) -budsjett",
                                                           .decisions = true}), 1);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "\"felles legevakt\"",
                                                           .decisions = true}), 1);
}

/* Two cases deciding on a fire station; only the second names it in its
 * title, the first says it more often. */
static const tdoc case_fire_text = {
    "/srv/møter/brann-a.pdf", "case", PDF, "Møtebok A", "Formannskapet", "2019-01-10",
    {"Sak 1/2019 Budsjett. Vedtak: brannstasjon, brannstasjon og brannstasjon."},
    "1/2019", "Budsjett", "Brannstasjon, brannstasjon og brannstasjon.", 1, 1, 0, 0,
};
static const tdoc case_fire_title = {
    "/srv/møter/brann-b.pdf", "case", PDF, "Møtebok B", "Formannskapet", "2019-01-11",
    {"Sak 2/2019 Ny brannstasjon. Vedtak: kommunen bygger brannstasjon i sentrum."},
    "2/2019", "Ny brannstasjon", "Kommunen bygger brannstasjon i sentrum.", 1, 1, 0, 0,
};

static void test_searcher_search_decisions_title_first(void **state)
{
    fixture *f = *state;
    const tdoc *docs[] = {&case_fire_text, &case_fire_title};
    write_xapian(f->xdir, docs, 2);
    char a[17], b[17];
    id_of(case_fire_text.path, a);
    id_of(case_fire_title.path, b);
    /* by words alone the case that repeats the word ranks first ... */
    json_t *j = search(f, &(motesok_search_request){.query = "brannstasjon"});
    assert_int_equal(int_of(j, "total"), 2);
    assert_string_equal(str_of(json_array_get(hits_of(j), 0), "id"), a);
    json_decref(j);
    /* ... among decisions the case named after it does */
    j = search(f, &(motesok_search_request){.query = "brannstasjon", .decisions = true});
    assert_int_equal(int_of(j, "total"), 2);
    assert_string_equal(str_of(json_array_get(hits_of(j), 0), "id"), b);
    json_decref(j);
}

static void test_searcher_search_sort_by_date(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt", .sort = MOTESOK_SORT_DATE};
    json_t *j = search(f, &req);
    const char *order[] = {doc_formannskap.path, doc_radmann.path, doc_hallingdal.path,
                           doc_referat.path};
    assert_int_equal(json_array_size(hits_of(j)), 4);
    for (size_t i = 0; i < 4; i++) {
        char id[17];
        json_t *h = json_array_get(hits_of(j), i);
        assert_string_equal(str_of(h, "id"), id_of(order[i], id));
        assert_int_equal(int_of(h, "rank"), (json_int_t)i + 1);
    }
    assert_true(json_is_null(json_object_get(json_array_get(hits_of(j), 3), "date")));
    json_decref(j);
}

static void test_searcher_search_facets(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "budsjett"};
    json_t *j = search(f, &req);
    assert_int_equal(int_of(j, "total"), 4);
    json_t *organ = json_object_get(json_object_get(j, "facets"), "organ");
    static const char *const organs[] = {"Formannskapet", "Regionrådet for Hallingdal",
                                         "Rådmannsutvalget"};
    assert_keys(organ, organs, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(int_of(organ, organs[i]), 1);
    json_t *year = json_object_get(json_object_get(j, "facets"), "year");
    static const char *const years[] = {"2018", "2010"}; /* most frequent first */
    assert_keys(year, years, 2);
    assert_int_equal(int_of(year, "2018"), 2);
    assert_int_equal(int_of(year, "2010"), 1);
    json_decref(j);
    /* facets follow the filters */
    req = (motesok_search_request){.query = "budsjett", .from = "2018-01-01"};
    j = search(f, &req);
    year = json_object_get(json_object_get(j, "facets"), "year");
    assert_int_equal(json_object_size(year), 1);
    assert_int_equal(int_of(year, "2018"), 2);
    json_decref(j);
}

static void test_searcher_search_paging(void **state)
{
    fixture *f = *state;
    char seen[4][17];
    for (unsigned page = 0; page < 2; page++) {
        motesok_search_request req = {.query = "legevakt", .limit = 2, .offset = page * 2};
        json_t *j = search(f, &req);
        assert_int_equal(int_of(j, "total"), 4);
        assert_int_equal(int_of(j, "offset"), page * 2);
        assert_int_equal(int_of(j, "limit"), 2);
        assert_int_equal(json_array_size(hits_of(j)), 2);
        for (size_t i = 0; i < 2; i++) {
            json_t *h = json_array_get(hits_of(j), i);
            assert_int_equal(int_of(h, "rank"), page * 2 + i + 1);
            snprintf(seen[page * 2 + i], 17, "%s", str_of(h, "id"));
        }
        json_decref(j);
    }
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++)
            assert_string_not_equal(seen[a], seen[b]);
    motesok_search_request past = {.query = "legevakt", .offset = 50};
    json_t *j = search(f, &past);
    assert_int_equal(json_array_size(hits_of(j)), 0);
    json_decref(j);
    /* the empty query matches every file once */
    motesok_search_request all = {.query = "", .limit = MOTESOK_MAX_LIMIT};
    j = search(f, &all);
    assert_int_equal(int_of(j, "total"), 4);
    assert_int_equal(int_of(j, "limit"), 100);
    /* with no words to weigh, a meeting with cases shows a case first */
    json_t *fm = hit_for(j, doc_formannskap.path);
    assert_true(json_is_object(json_object_get(fm, "case")));
    assert_true(json_is_null(json_object_get(hit_for(j, doc_radmann.path), "case")));
    json_decref(j);
}

static void test_searcher_search_rejects_bad_requests(void **state)
{
    fixture *f = *state;
    assert_invalid(f, (motesok_search_request){.query = "x", .limit = 101}, "limit");
    assert_invalid(f, (motesok_search_request){.query = "x", .offset = 100001}, "offset");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "2018-13-01"},
                   "from: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '2018-13-01'");
    assert_invalid(f, (motesok_search_request){.query = "x", .to = "2018-02-30"}, "to:");
    assert_invalid(f, (motesok_search_request){.query = "x", .to = "2019-02-29"}, "to:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "2018-2-01"}, "from:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "2018-02-01x"}, "from:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = ""}, "from:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "2019-01-01",
                                               .to = "2018-01-01"}, "after");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "2018-13"}, "from:");
    assert_invalid(f, (motesok_search_request){.query = "x", .to = "2018-00"}, "to:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "0000"}, "from:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "18"}, "from:");
    assert_invalid(f, (motesok_search_request){.query = "x", .from = "2019",
                                               .to = "2018-12"}, "after");
    assert_invalid(f, (motesok_search_request){.query = "bad \xff utf8"}, "UTF-8");
    assert_invalid(f, (motesok_search_request){.query = "x", .organ = "\xc3"}, "organ");
    assert_invalid(f, (motesok_search_request){.query = NULL}, "query");
    assert_invalid(f, (motesok_search_request){.query = "x", .sort = (motesok_sort)7}, "sort");
    char *long_query = malloc(MOTESOK_MAX_QUERY_BYTES + 2);
    memset(long_query, 'a', MOTESOK_MAX_QUERY_BYTES + 1);
    long_query[MOTESOK_MAX_QUERY_BYTES + 1] = '\0';
    assert_invalid(f, (motesok_search_request){.query = long_query}, "4096");
    free(long_query);
    /* a leap day and the largest values are fine */
    motesok_search_request edge = {.query = "legevakt", .from = "2016-02-29",
                                   .offset = MOTESOK_MAX_OFFSET, .limit = MOTESOK_MAX_LIMIT};
    json_t *j = search(f, &edge);
    assert_int_equal(int_of(j, "total"), 2);
    assert_int_equal(json_array_size(hits_of(j)), 0);
    json_decref(j);
    /* bad syntax is not an error: the words are searched */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt AND ((("}), 4);
}

static void test_searcher_sees_new_commit(void **state)
{
    fixture *f = *state;
    assert_int_equal(total_for(f, (motesok_search_request){.query = "zebrafink"}), 0);
    const tdoc *docs[] = {&doc_zebra};
    write_xapian(f->xdir, docs, 1);
    json_t *j = search(f, &(motesok_search_request){.query = "zebrafink"});
    assert_int_equal(int_of(j, "total"), 1);
    assert_non_null(hit_for(j, doc_zebra.path));
    json_decref(j);
    /* a document with no store row still shows, with a null status */
    char id[17];
    char *out = NULL;
    assert_int_equal(motesok_searcher_document(f->s, id_of(doc_zebra.path, id), &out, NULL),
                     MOTESOK_OK);
    j = parse(out);
    assert_true(json_is_null(json_object_get(j, "status")));
    assert_true(json_is_null(json_object_get(j, "hash")));
    json_decref(j);
}

/* ======================================================================== */
/* documents, text, status                                                  */
/* ======================================================================== */

static void test_searcher_document_json(void **state)
{
    fixture *f = *state;
    char id[17];
    char *out = NULL;
    assert_int_equal(motesok_searcher_document(f->s, id_of(doc_formannskap.path, id), &out, NULL),
                     MOTESOK_OK);
    json_t *d = parse(out);
    static const char *const keys[] = {"id", "path", "title", "organ", "kommune", "date", "place",
                                       "present", "absent", "referent", "mime", "encoding",
                                       "pages", "size", "mtime", "status", "hash",
                                       "indexed_at", "cases"};
    assert_keys(d, keys, 19);
    assert_string_equal(str_of(d, "id"), id);
    assert_string_equal(str_of(d, "path"), doc_formannskap.path);
    assert_string_equal(str_of(d, "title"), doc_formannskap.title);
    assert_string_equal(str_of(d, "mime"), PDF);
    assert_true(json_is_null(json_object_get(d, "encoding")));
    assert_int_equal(int_of(d, "pages"), 3);
    assert_int_equal(int_of(d, "size"), 1000);
    assert_int_equal(int_of(d, "mtime"), 1519372800);
    assert_string_equal(str_of(d, "organ"), "Formannskapet");
    assert_string_equal(str_of(d, "date"), "2018-06-14");
    assert_true(json_is_null(json_object_get(d, "place")));
    assert_string_equal(str_of(d, "status"), "ok");
    assert_string_equal(str_of(d, "hash"), "00112233aabbccdd");
    assert_int_equal(int_of(d, "indexed_at"), 1700000000);
    json_t *cases = json_object_get(d, "cases");
    assert_int_equal(json_array_size(cases), 2);
    json_t *c0 = json_array_get(cases, 0), *c1 = json_array_get(cases, 1);
    assert_string_equal(str_of(c0, "number"), "11/2018"); /* page order */
    assert_int_equal(int_of(c0, "page"), 1);
    assert_true(json_is_null(json_object_get(c0, "decision")) ||
                json_object_get(c0, "decision") == NULL);
    assert_string_equal(str_of(c1, "number"), "12/2018");
    assert_string_equal(str_of(c1, "title"), "Legevaktsamarbeid");
    assert_string_equal(str_of(c1, "decision"), case_12.decision);
    assert_int_equal(int_of(c1, "page"), 2);
    json_decref(d);
    /* a file without cases */
    assert_int_equal(motesok_searcher_document(f->s, id_of(doc_referat.path, id), &out, NULL),
                     MOTESOK_OK);
    d = parse(out);
    assert_int_equal(json_array_size(json_object_get(d, "cases")), 0);
    assert_true(json_is_array(json_object_get(d, "cases")));
    assert_true(json_is_null(json_object_get(d, "date")));
    json_decref(d);
}

static void test_searcher_document_bad_ids(void **state)
{
    fixture *f = *state;
    char *out = (char *)"untouched";
    motesok_error err;
    assert_int_equal(motesok_searcher_document(f->s, "0000000000000000", &out, &err),
                     MOTESOK_ERR_NOT_FOUND);
    assert_null(out);
    assert_non_null(strstr(err.message, "0000000000000000"));
    static const char *const bad[] = {"ABCDEF0123456789", "abc", "../../etc/passwd",
                                      "0123456789abcdefg", "", "0123456789abcde\xc3"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(motesok_searcher_document(f->s, bad[i], &out, &err), MOTESOK_ERR_INVALID);
        assert_non_null(strstr(err.message, "16 hexadecimal digits"));
        assert_int_equal(motesok_searcher_text(f->s, bad[i], 1, &out, &err), MOTESOK_ERR_INVALID);
    }
    assert_int_equal(motesok_searcher_document(f->s, NULL, &out, &err), MOTESOK_ERR_INVALID);
    assert_int_equal(motesok_searcher_text(f->s, "0000000000000000", 0, &out, &err),
                     MOTESOK_ERR_NOT_FOUND);
}

static void test_searcher_text_pages(void **state)
{
    fixture *f = *state;
    char id[17];
    id_of(doc_hallingdal.path, id);
    char *out = NULL;
    assert_int_equal(motesok_searcher_text(f->s, id, 2, &out, NULL), MOTESOK_OK);
    json_t *t = parse(out);
    static const char *const keys[] = {"id", "page", "pages", "text"};
    assert_keys(t, keys, 4);
    assert_string_equal(str_of(t, "id"), id);
    assert_int_equal(int_of(t, "page"), 2);
    assert_int_equal(int_of(t, "pages"), 3);
    assert_string_equal(str_of(t, "text"), doc_hallingdal.pages[1]);
    json_decref(t);
    assert_int_equal(motesok_searcher_text(f->s, id, 0, &out, NULL), MOTESOK_OK);
    t = parse(out);
    char all[512];
    snprintf(all, sizeof all, "%s\n\n%s\n\n%s", doc_hallingdal.pages[0], doc_hallingdal.pages[1],
             doc_hallingdal.pages[2]);
    assert_string_equal(str_of(t, "text"), all);
    assert_int_equal(int_of(t, "page"), 0);
    json_decref(t);
    motesok_error err;
    out = (char *)"untouched";
    assert_int_equal(motesok_searcher_text(f->s, id, 9, &out, &err), MOTESOK_ERR_NOT_FOUND);
    assert_null(out);
    assert_string_equal(err.message, "page 9 of 3 does not exist");
    assert_int_equal(motesok_searcher_text(f->s, id, 4, &out, &err), MOTESOK_ERR_NOT_FOUND);
    assert_int_equal(motesok_searcher_text(f->s, id, 3, &out, NULL), MOTESOK_OK);
    free(out);
}

static void test_searcher_status_counts(void **state)
{
    fixture *f = *state;
    char *out = NULL;
    assert_int_equal(motesok_searcher_status(f->s, &out, NULL), MOTESOK_OK);
    json_t *s = parse(out);
    static const char *const keys[] = {"documents", "cases", "failed", "unsupported", "revision",
                                       "last_run", "failures", "index_bytes", "shards",
                                       "analysis"};
    assert_keys(s, keys, 10);
    assert_int_equal(int_of(s, "shards"), 1);
    /* the analysis loaded here; this index (written directly) records none */
    json_t *an = json_object_get(s, "analysis");
    const char *loaded = str_of(an, "loaded"); /* "VERSION:16 hex digits" */
    assert_non_null(strchr(loaded, ':'));
    assert_int_equal(strlen(strchr(loaded, ':') + 1), 16);
    assert_true(json_is_null(json_object_get(an, "index")));
    assert_true(json_is_false(json_object_get(an, "same")));
    assert_int_equal(int_of(s, "documents"), 4);
    assert_int_equal(int_of(s, "cases"), 2);
    assert_int_equal(int_of(s, "failed"), 1);
    assert_int_equal(int_of(s, "unsupported"), 1);
    json_int_t rev = int_of(s, "revision");
    assert_true(rev >= 1);
    assert_string_equal(str_of(s, "last_run"), "2024-05-01T10:00:00Z");
    json_t *fail = json_object_get(s, "failures");
    assert_int_equal(json_object_size(fail), 2);
    assert_int_equal(int_of(fail, "ERR_ENCRYPTED"), 1);
    assert_int_equal(int_of(fail, "ERR_UNSUPPORTED"), 1);
    assert_true(int_of(s, "index_bytes") > 4096);
    json_decref(s);
    /* a new commit moves the revision */
    const tdoc *docs[] = {&doc_zebra};
    write_xapian(f->xdir, docs, 1);
    assert_int_equal(motesok_searcher_status(f->s, &out, NULL), MOTESOK_OK);
    s = parse(out);
    assert_true(int_of(s, "revision") > rev);
    json_decref(s);
}

static void test_searcher_open_missing_index(void **state)
{
    (void)state;
    motesok_searcher *s = (motesok_searcher *)&s;
    motesok_error err;
    assert_int_equal(motesok_searcher_open("/nonexistent/idx", &s, &err), MOTESOK_ERR_NOT_FOUND);
    assert_null(s);
    assert_string_equal(err.message,
                        "no index at /nonexistent/idx — run motesok-index --index "
                        "/nonexistent/idx PATH...");
    assert_int_equal(motesok_searcher_open(NULL, &s, &err), MOTESOK_ERR_INVALID);
    assert_int_equal(motesok_searcher_open("", &s, &err), MOTESOK_ERR_INVALID);
    motesok_searcher_close(NULL);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_searcher_search_json_shape),
        T(test_searcher_search_pdf_page_and_snippet),
        T(test_searcher_search_filters),
        T(test_searcher_search_decisions),
        T(test_searcher_search_decisions_title_first),
        T(test_searcher_search_sort_by_date),
        T(test_searcher_search_year_and_month_bounds),
        T(test_searcher_search_date_range_one_rule),
        T(test_searcher_search_operator_words),
        T(test_searcher_search_facets),
        T(test_searcher_search_paging),
        T(test_searcher_search_rejects_bad_requests),
        T(test_searcher_sees_new_commit),
        T(test_searcher_document_json),
        T(test_searcher_document_bad_ids),
        T(test_searcher_text_pages),
        T(test_searcher_status_counts),
        cmocka_unit_test(test_searcher_open_missing_index),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
