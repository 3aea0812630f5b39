/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include <time.h>

#include "analysis/norsk.h"
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
static void write_doc(motesok_xwriter *w, const tdoc *t, bool spelling)
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
    assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_MEETING, id, 16, NULL), MOTESOK_OK);
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
    /* compound parts, as the indexer adds them (spelling when asked) */
    assert_int_equal(motesok_xdoc_analyse(d, spelling, NULL), MOTESOK_OK);
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

/* Write docs[0..n) into the Xapian database at xdir and commit, their
 * words in the spelling table if spelling. */
static void write_xapian_with(const char *xdir, const tdoc *const *docs, size_t n, bool spelling)
{
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(xdir, &w, NULL), MOTESOK_OK);
    for (size_t i = 0; i < n; i++)
        write_doc(w, docs[i], spelling);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
}

/* write_xapian_with, the words left out of the spelling table. */
static void write_xapian(const char *xdir, const tdoc *const *docs, size_t n)
{
    write_xapian_with(xdir, docs, n, false);
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

/* Run a search that must succeed; the caller frees the answer. A request
 * without a time limit of its own gets a generous one: these tests check
 * what a search finds, not how fast (under valgrind a first search alone
 * takes longer than the default second). */
static motesok_search_result *search(fixture *f, const motesok_search_request *req)
{
    motesok_search_result *out = NULL;
    motesok_error err;
    motesok_search_request r = *req;
    if (r.time_limit_s == 0)
        r.time_limit_s = 600;
    if (motesok_searcher_search(f->s, &r, &out, &err) != MOTESOK_OK)
        fail_msg("search failed: %s", err.message);
    assert_non_null(out);
    return out;
}

/* The id of the file at path. */
static const char *id_of(const char *path, char buf[17])
{
    motesok_path_id(path, buf);
    return buf;
}

/* The hit whose id is that of path, or NULL; fails if there are two. */
static const motesok_hit *hit_for(const motesok_search_result *res, const char *path)
{
    char id[17];
    id_of(path, id);
    const motesok_hit *found = NULL;
    for (size_t i = 0; i < res->n_hits; i++) {
        assert_non_null(res->hits[i].id);
        if (strcmp(res->hits[i].id, id) != 0)
            continue;
        assert_null(found);
        found = &res->hits[i];
    }
    return found;
}

/* The facet called name of a search answer (fails if there is none). */
static const motesok_facet *facet_of(const motesok_search_result *res, const char *name)
{
    for (size_t f = 0; f < res->n_facets; f++)
        if (strcmp(res->facets[f].name, name) == 0)
            return &res->facets[f];
    fail_msg("no facet %s", name);
    return NULL;
}

/* Total of a search for query with the given filters. */
static uint64_t total_for(fixture *f, motesok_search_request req)
{
    motesok_search_result *j = search(f, &req);
    uint64_t n = j->total;
    assert_int_equal(n, j->n_hits);
    motesok_search_result_free(j);
    return n;
}

/* Run a search that must fail with ERR_INVALID and a message holding what. */
static void assert_invalid(fixture *f, motesok_search_request req, const char *what)
{
    motesok_search_result *out = (motesok_search_result *)&out;
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

/* A search answer's fields: totals, paging, flags, facets in their order,
 * hits with ranks, scores (3 decimals, best first), ids and snippets. */
static void test_searcher_search_result_fields(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt"};
    motesok_search_result *j = search(f, &req);
    assert_string_equal(j->query, "legevakt");
    assert_int_equal(j->total, 4);
    assert_true(j->total_exact); /* all checked */
    assert_int_equal(j->offset, 0);
    assert_int_equal(j->limit, 10);
    assert_true(j->took_ms >= 0 && j->took_ms < 5000);
    assert_null(j->suggestion);
    assert_false(j->suggestion_searched);
    assert_false(j->any_word);
    assert_int_equal(j->n_facets, 3);
    static const char *const fnames[] = {"organ", "kommune", "year"};
    for (size_t k = 0; k < 3; k++)
        assert_string_equal(j->facets[k].name, fnames[k]);
    double last = INFINITY;
    assert_int_equal(j->n_hits, 4);
    for (size_t i = 0; i < j->n_hits; i++) {
        const motesok_hit *h = &j->hits[i];
        assert_int_equal(h->rank, i + 1);
        double s = h->score;
        assert_true(s > 0 && s <= last);
        assert_true(fabs(s * 1000 - round(s * 1000)) < 1e-6); /* 3 decimals */
        last = s;
        assert_int_equal(strlen(h->id), 16);
        assert_true(h->path[0] == '/');
        assert_non_null(h->title);
        assert_non_null(strstr(h->snippet, "<mark>"));
        assert_null(h->kommune); /* none of these files names one */
    }
    motesok_search_result_free(j);
    motesok_search_result_free(NULL);
}

static void test_searcher_search_pdf_page_and_snippet(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt"};
    motesok_search_result *j = search(f, &req);
    const motesok_hit *pdf = hit_for(j, doc_hallingdal.path);
    assert_non_null(pdf);
    assert_int_equal(pdf->page, 2);
    assert_string_equal(pdf->organ, "Regionrådet for Hallingdal");
    assert_string_equal(pdf->date, "2010-08-27");
    assert_true(pdf->matched_case == NULL);
    const char *snip = pdf->snippet;
    assert_non_null(strstr(snip, "<mark>legevakt</mark>"));
    assert_non_null(strstr(snip, "&lt;b&gt;&amp;&lt;/b&gt;")); /* escaped, not markup */
    assert_null(strstr(snip, "innkalling"));                  /* page 1 is not shown */
    const motesok_hit *txt = hit_for(j, doc_referat.path);
    assert_non_null(txt);
    assert_int_equal(txt->page, 2); /* a text in pages (a big one is cut) gives its page */
    assert_true(txt->organ == NULL);
    assert_true(txt->date == NULL);
    assert_non_null(strstr(txt->snippet, "<mark>legevakt</mark>"));
    assert_null(strchr(txt->snippet, '\f'));
    assert_string_equal(txt->title, "Referat fra Regionrådet");
    const motesok_hit *one = hit_for(j, doc_radmann.path);
    assert_non_null(one);
    assert_int_equal(one->page, 1);
    /* the file and its case both match: one hit, the case first, on page 3 */
    const motesok_hit *fm = hit_for(j, doc_formannskap.path);
    assert_non_null(fm);
    assert_int_equal(fm->page, 3);
    assert_non_null(fm->matched_case);
    assert_string_equal(fm->matched_case->number, "12/2018");
    motesok_search_result_free(j);
}

static void test_searcher_search_filters(void **state)
{
    fixture *f = *state;
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .from = "2018-01-01"}), 2);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt",
                                                           .to = "2018-03-01"}), 2);
    motesok_search_request day = {.query = "legevakt", .from = "2018-02-23", .to = "2018-02-23"};
    motesok_search_result *j = search(f, &day);
    assert_int_equal(j->total, 1);
    assert_non_null(hit_for(j, doc_radmann.path));
    motesok_search_result_free(j);
    motesok_search_request organ = {.query = "legevakt", .organ = "RÅDMANNSUTVALGET"};
    j = search(f, &organ);
    assert_int_equal(j->total, 1);
    assert_non_null(hit_for(j, doc_radmann.path));
    motesok_search_result_free(j);
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
    assert_int_equal(j->total, 3);
    assert_null(hit_for(j, doc_hallingdal.path));
    motesok_search_result_free(j);
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
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "legevakt", .from = "2018-02",
                                                     .to = "2018-02"});
    assert_int_equal(j->total, 1);
    assert_non_null(hit_for(j, doc_radmann.path));
    motesok_search_result_free(j);
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

/* A month named with its year in the query (februar 2018, juni 2018)
 * ranks the meeting held that month first, a bonus and no filter: the
 * others still match (issue 11: "Kva orienterte rådmannen kontrollutvalet
 * i Høyanger om i mai 2014?"). */
static void test_searcher_search_month_named_first(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *query;
        const tdoc *first;
    } cases[] = {
        {"legevakt februar 2018", &doc_radmann},
        {"legevakt juni 2018", &doc_formannskap},
        {"legevakt i August 2010", &doc_hallingdal},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        motesok_search_result *j = search(f, &(motesok_search_request){.query = cases[i].query});
        assert_true(j->n_hits >= 3);
        if (strcmp(j->hits[0].path, cases[i].first->path) != 0)
            fail_msg("%s: first %s, want %s", cases[i].query, j->hits[0].path, cases[i].first->path);
        motesok_search_result_free(j);
    }
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
/* Fewer than three passages hold every word, so any word may match: the
 * one passage with every word still ranks first, above a short one that
 * says the rarer word three times (issue 11: relaxed ranking). */
static void test_searcher_search_relaxed_keeps_all_words_first(void **state)
{
    fixture *f = *state;
    static const tdoc helse = {
        "/srv/møter/helse.txt", "preamble", TXT, "Helse", NULL, NULL,
        {"Helse, helse og helse."}, NULL, NULL, NULL, 0, 0, 0, 0,
    };
    const tdoc *docs[] = {&helse};
    write_xapian(f->xdir, docs, 1);
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "legevakt helse"});
    assert_true(j->any_word);
    assert_true(j->n_hits >= 3);
    assert_string_equal(j->hits[0].path, doc_radmann.path);
    motesok_search_result_free(j);
}

/* A correction that finds nothing more by itself (no passage has both
 * words) is still searched when any word may match: the corrected word
 * is the rarest of the query, and its passage comes first (issue 11: the
 * relaxed search used to drop it and search salg alone). */
static void test_searcher_search_relaxed_keeps_correction(void **state)
{
    fixture *f = *state;
    static const tdoc all[] = {
        {"/srv/møter/rapport.txt", "preamble", TXT, "A", NULL, NULL,
         {"Tilstandsrapport for bustaden vart lagd fram."}, NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/tomt.txt", "preamble", TXT, "B", NULL, NULL, {"Salg av kommunale tomter."},
         NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/bolig.txt", "preamble", TXT, "C", NULL, NULL, {"Salg av bolig i sentrum."},
         NULL, NULL, NULL, 0, 0, 0, 0},
    };
    const tdoc *docs[] = {&all[0], &all[1], &all[2]};
    write_xapian_with(f->xdir, docs, 3, true);
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "tilstandsrapprot salg"});
    assert_non_null(j->suggestion);
    assert_string_equal(j->suggestion, "tilstandsrapport salg");
    assert_true(j->any_word);
    assert_true(j->suggestion_searched);
    assert_true(j->n_hits >= 3);
    assert_string_equal(j->hits[0].path, "/srv/møter/rapport.txt");
    motesok_search_result_free(j);
}

/* A few meetings with every word (here 4, under ten): the passages with
 * some of the words follow them, with every word's meetings first. */
static void test_searcher_search_few_all_words_then_some(void **state)
{
    fixture *f = *state;
    static const tdoc all[] = {
        {"/srv/møter/a.txt", "preamble", TXT, "A", NULL, NULL, {"Ny brannstasjon på tomta i sentrum."},
         NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/b.txt", "preamble", TXT, "B", NULL, NULL, {"Tomt til brannstasjon er kjøpt."},
         NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/c.txt", "preamble", TXT, "C", NULL, NULL, {"Brannstasjon: tomten er regulert."},
         NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/d.txt", "preamble", TXT, "D", NULL, NULL, {"Tomta for brannstasjonen."},
         NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/e.txt", "preamble", TXT, "E", NULL, NULL, {"Tomt, tomt og tomter til boliger."},
         NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/g.txt", "preamble", TXT, "G", NULL, NULL, {"Salg av tomt ved skolen."},
         NULL, NULL, NULL, 0, 0, 0, 0},
    };
    const tdoc *docs[] = {&all[0], &all[1], &all[2], &all[3], &all[4], &all[5]};
    write_xapian(f->xdir, docs, 6);
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "brannstasjon tomt"});
    assert_true(j->any_word);
    assert_int_equal(j->n_hits, 6);
    for (size_t i = 0; i < 4; i++) {
        char c = j->hits[i].path[strlen("/srv/møter/")];
        assert_true(c >= 'a' && c <= 'd');
    }
    motesok_search_result_free(j);
}

/* A Nynorsk compound whose leading parts make a word paired on its own
 * (trafikk|tryggleik|plan: trafikktryggleik is trafikksikkerhet, while
 * tryggleik alone is trygghet) finds the Bokmål compound. */
static void test_searcher_search_nynorsk_paired_run(void **state)
{
    fixture *f = *state;
    const msk_norsk *n = msk_norsk_shared();
    if (msk_norsk_n_pairs(n) == msk_norsk_n_first_pairs(n)) {
        print_message("skipped: no generated Nynorsk pairs (apertium-nno-nob: "
                      "scripts/install-deps.sh)\n");
        skip();
    }
    static const tdoc all[] = {
        {"/srv/møter/plan.txt", "preamble", TXT, "A", NULL, NULL,
         {"Rullering av trafikksikkerhetsplanen for kommunen."}, NULL, NULL, NULL, 0, 0, 0, 0},
        {"/srv/møter/annet.txt", "preamble", TXT, "B", NULL, NULL,
         {"Trygghet for eldre i trafikken, og ny plan for veglys."}, NULL, NULL, NULL, 0, 0, 0, 0},
    };
    const tdoc *docs[] = {&all[0], &all[1]};
    write_xapian(f->xdir, docs, 2);
    motesok_search_result *j =
        search(f, &(motesok_search_request){.query = "trafikktryggleiksplan"});
    assert_true(j->n_hits >= 1); /* first, before any passage with some of its parts */
    assert_string_equal(j->hits[0].path, "/srv/møter/plan.txt");
    motesok_search_result_free(j);
}

static void test_searcher_search_operator_words(void **state)
{
    fixture *f = *state;
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "legevakt IKKJE røntgen"});
    assert_int_equal(j->total, 3);
    assert_null(hit_for(j, doc_hallingdal.path));
    motesok_search_result_free(j);
    assert_int_equal(total_for(f, (motesok_search_request){.query = "IKKJE røntgen"}), 3);
    /* lower case: a (stop)word of the text, not an operator; the one
     * meeting with both words ranks first */
    static const char *const lower[] = {"legevakt ikkje røntgen", "legevakt ikke røntgen"};
    for (size_t i = 0; i < 2; i++) {
        j = search(f, &(motesok_search_request){.query = lower[i]});
        char id[17];
        assert_string_equal(j->hits[0].id,
                            id_of(doc_hallingdal.path, id));
        motesok_search_result_free(j);
    }
    /* in decision text: IKKJE stays an operator, not the word vedtak:IKKJE */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt IKKJE røntgen",
                                                           .decisions = true}), 1);
}

static void test_searcher_search_decisions(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt", .decisions = true};
    motesok_search_result *j = search(f, &req);
    assert_int_equal(j->total, 1);
    const motesok_hit *h = &j->hits[0];
    char id[17];
    assert_string_equal(h->id, id_of(doc_formannskap.path, id));
    const motesok_case_info *c = h->matched_case;
    assert_non_null(c);
    assert_string_equal(c->number, "12/2018");
    assert_string_equal(c->title, "Legevaktsamarbeid");
    assert_string_equal(c->decision, case_12.decision);
    assert_null(c->proposal);
    assert_false(c->has_vote); /* this index's cases record no vote */
    assert_int_equal(c->page, 2);
    assert_int_equal(h->page, 3); /* case starts on 2, the match is on 3 */
    assert_non_null(strstr(h->snippet, "<mark>legevakt</mark>"));
    motesok_search_result_free(j);
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
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "brannstasjon"});
    assert_int_equal(j->total, 2);
    assert_string_equal(j->hits[0].id, a);
    motesok_search_result_free(j);
    /* ... among decisions the case named after it does */
    j = search(f, &(motesok_search_request){.query = "brannstasjon", .decisions = true});
    assert_int_equal(j->total, 2);
    assert_string_equal(j->hits[0].id, b);
    motesok_search_result_free(j);
}

/* Two cases that say the words once each: the one whose title holds one
 * of them ranks first (without the title bonus the other weighs a little
 * more; issue 11: field boosts). */
static void test_searcher_search_title_word_first(void **state)
{
    fixture *f = *state;
    static const tdoc budget = {
        "/srv/møter/budsjett.pdf", "case", PDF, "Møtebok", "Formannskapet", "2019-01-10",
        {"Sak 3/2019 Budsjett: brannstasjon i sentrum nå."}, "3/2019", "Budsjett 2019", NULL, 1, 1, 0, 0,
    };
    static const tdoc named = {
        "/srv/møter/stasjon.pdf", "case", PDF, "Møtebok", "Formannskapet", "2019-01-11",
        {"Sak 4/2019 Ny brannstasjon: i sentrum nå."},
        "4/2019", "Ny brannstasjon", NULL, 1, 1, 0, 0,
    };
    const tdoc *docs[] = {&budget, &named, &doc_hallingdal, &doc_referat, &doc_zebra};
    write_xapian(f->xdir, docs, 5);
    char id[17];
    id_of(named.path, id);
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "brannstasjon sentrum"});
    assert_int_equal(j->total, 2);
    assert_string_equal(j->hits[0].id, id);
    motesok_search_result_free(j);
}

static void test_searcher_search_sort_by_date(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt", .sort = MOTESOK_SORT_DATE};
    motesok_search_result *j = search(f, &req);
    const char *order[] = {doc_formannskap.path, doc_radmann.path, doc_hallingdal.path,
                           doc_referat.path};
    assert_int_equal(j->n_hits, 4);
    for (size_t i = 0; i < 4; i++) {
        char id[17];
        const motesok_hit *h = &j->hits[i];
        assert_string_equal(h->id, id_of(order[i], id));
        assert_int_equal(h->rank, i + 1);
    }
    assert_null(j->hits[3].date);
    motesok_search_result_free(j);
}

static void test_searcher_search_facets(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "budsjett"};
    motesok_search_result *j = search(f, &req);
    assert_int_equal(j->total, 4);
    const motesok_facet *organ = facet_of(j, "organ");
    static const char *const organs[] = {"Formannskapet", "Regionrådet for Hallingdal",
                                         "Rådmannsutvalget"};
    assert_int_equal(organ->n_values, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(organ->values[i].value, organs[i]);
        assert_int_equal(organ->values[i].count, 1);
    }
    const motesok_facet *year = facet_of(j, "year");
    assert_int_equal(year->n_values, 2);
    assert_string_equal(year->values[0].value, "2018"); /* most frequent first */
    assert_int_equal(year->values[0].count, 2);
    assert_string_equal(year->values[1].value, "2010");
    assert_int_equal(year->values[1].count, 1);
    assert_int_equal(facet_of(j, "kommune")->n_values, 0);
    motesok_search_result_free(j);
    /* facets follow the filters */
    req = (motesok_search_request){.query = "budsjett", .from = "2018-01-01"};
    j = search(f, &req);
    year = facet_of(j, "year");
    assert_int_equal(year->n_values, 1);
    assert_string_equal(year->values[0].value, "2018");
    assert_int_equal(year->values[0].count, 2);
    motesok_search_result_free(j);
}

static void test_searcher_search_paging(void **state)
{
    fixture *f = *state;
    char seen[4][17];
    for (unsigned page = 0; page < 2; page++) {
        motesok_search_request req = {.query = "legevakt", .limit = 2, .offset = page * 2};
        motesok_search_result *j = search(f, &req);
        assert_int_equal(j->total, 4);
        assert_int_equal(j->offset, page * 2);
        assert_int_equal(j->limit, 2);
        assert_int_equal(j->n_hits, 2);
        for (size_t i = 0; i < 2; i++) {
            const motesok_hit *h = &j->hits[i];
            assert_int_equal(h->rank, page * 2 + i + 1);
            snprintf(seen[page * 2 + i], 17, "%s", h->id);
        }
        motesok_search_result_free(j);
    }
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++)
            assert_string_not_equal(seen[a], seen[b]);
    motesok_search_request past = {.query = "legevakt", .offset = 50};
    motesok_search_result *j = search(f, &past);
    assert_int_equal(j->n_hits, 0);
    motesok_search_result_free(j);
    /* the empty query matches every file once */
    motesok_search_request all = {.query = "", .limit = MOTESOK_MAX_LIMIT};
    j = search(f, &all);
    assert_int_equal(j->total, 4);
    assert_int_equal(j->limit, MOTESOK_MAX_LIMIT);
    /* with no words to weigh, a meeting with cases shows a case first */
    const motesok_hit *fm = hit_for(j, doc_formannskap.path);
    assert_non_null(fm->matched_case);
    assert_null(hit_for(j, doc_radmann.path)->matched_case);
    motesok_search_result_free(j);
}

static void test_searcher_search_rejects_bad_requests(void **state)
{
    fixture *f = *state;
    assert_invalid(f, (motesok_search_request){.query = "x", .limit = MOTESOK_MAX_LIMIT + 1},
                   "limit");
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
    motesok_search_result *j = search(f, &edge);
    assert_int_equal(j->total, 2);
    assert_int_equal(j->n_hits, 0);
    motesok_search_result_free(j);
    /* bad syntax is not an error: the words are searched */
    assert_int_equal(total_for(f, (motesok_search_request){.query = "legevakt AND ((("}), 4);
}

static void test_searcher_sees_new_commit(void **state)
{
    fixture *f = *state;
    assert_int_equal(total_for(f, (motesok_search_request){.query = "zebrafink"}), 0);
    const tdoc *docs[] = {&doc_zebra};
    write_xapian(f->xdir, docs, 1);
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "zebrafink"});
    assert_int_equal(j->total, 1);
    assert_non_null(hit_for(j, doc_zebra.path));
    motesok_search_result_free(j);
    /* a document with no store row still shows, with a null status */
    char id[17];
    motesok_document *d = NULL;
    assert_int_equal(motesok_searcher_document(f->s, id_of(doc_zebra.path, id), &d, NULL),
                     MOTESOK_OK);
    assert_null(d->status);
    assert_null(d->hash);
    assert_int_equal(d->indexed_at, MOTESOK_NO_NUMBER);
    motesok_document_free(d);
}

/* ======================================================================== */
/* bounds on the work                                                       */
/* ======================================================================== */

#define VOCABULARY_WORDS 300 /* per first letter: more than a wildcard may take */

/* A document with VOCABULARY_WORDS distinct words for each letter a-z
 * ("aaab", "aaac", …), so that each one-letter wildcard covers many terms. */
static void write_vocabulary(fixture *f, char *text, size_t cap)
{
    size_t at = 0;
    for (int c = 'a'; c <= 'z'; c++) {
        for (int i = 0; i < VOCABULARY_WORDS; i++) {
            int n = snprintf(text + at, cap - at, "%c%c%c%c ", c, 'a' + i / 676 % 26,
                             'a' + i / 26 % 26, 'a' + i % 26);
            assert_true(n == 5 && at + 5 < cap);
            at += 5;
        }
    }
    tdoc vocabulary = {"/srv/møter/ordliste.txt", "preamble", TXT, "Ordliste", NULL, NULL,
                       {text}, NULL, NULL, NULL, 0, 0, 0, 0};
    const tdoc *docs[] = {&vocabulary};
    write_xapian(f->xdir, docs, 1);
}

/* The query of issue 12: 1,360 one-letter wildcards (a* b* … z* over and
 * over), 4,079 bytes, just under the query cap. */
static char *wildcard_storm(void)
{
    char *q = malloc(MOTESOK_MAX_QUERY_BYTES);
    assert_non_null(q);
    size_t at = 0;
    for (int i = 0; i < 1360; i++) {
        q[at++] = (char)('a' + i % 26);
        q[at++] = '*';
        q[at++] = ' ';
    }
    q[at - 1] = '\0';
    assert_int_equal(strlen(q), 4079);
    return q;
}

/* Seconds on a monotonic clock. */
static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1,360 wildcards over a vocabulary of 7,800 words are searched with
 * bounded work: the words past MOTESOK_MAX_QUERY_TERMS are left out, the
 * wildcards kept share MOTESOK_MAX_EXPANDED_TERMS, and the answer says so.
 * (Before the bounds this expanded to some 400,000 terms per pass and ran
 * for minutes.) */
static void test_searcher_search_wildcard_storm_is_bounded(void **state)
{
    fixture *f = *state;
    char *text = malloc(26 * VOCABULARY_WORDS * 5 + 1);
    assert_non_null(text);
    write_vocabulary(f, text, 26 * VOCABULARY_WORDS * 5 + 1);
    free(text);
    char *q = wildcard_storm();
    double t0 = seconds();
    motesok_search_result *j = search(f, &(motesok_search_request){.query = q});
    double took = seconds() - t0;
    assert_string_equal(j->query, q); /* the query as asked */
    assert_true(j->limited & MOTESOK_LIMIT_TERMS);
    assert_true(j->limited & MOTESOK_LIMIT_WILDCARDS);
    assert_false(j->limited & MOTESOK_LIMIT_DEPTH);
    /* the work: each parse of the words (the search, and at most the
     * any-word search after it) expands at most MOTESOK_MAX_EXPANDED_TERMS */
    assert_true(j->expanded_terms >= MOTESOK_MAX_QUERY_TERMS);
    assert_true(j->expanded_terms <= 2 * MOTESOK_MAX_EXPANDED_TERMS);
    assert_true(j->total >= 1);
    assert_non_null(hit_for(j, "/srv/møter/ordliste.txt"));
    print_message("1,360 wildcards: %.3f s, %llu terms expanded, %llu hits\n", took,
                  (unsigned long long)j->expanded_terms, (unsigned long long)j->total);
    /* a safety net far above what it needs (milliseconds; seconds under
     * valgrind), not a benchmark */
    if (took > 60.0)
        fail_msg("the search took %.1f s", took);
    motesok_search_result_free(j);
    free(q);

    /* one wildcard: its most frequent MOTESOK_MAX_WILDCARD_TERMS terms, in
     * the search and in the any-word search after it (one hit is few) */
    j = search(f, &(motesok_search_request){.query = "q*"});
    assert_int_equal(j->limited, MOTESOK_LIMIT_WILDCARDS);
    assert_int_equal(j->expanded_terms, 2 * MOTESOK_MAX_WILDCARD_TERMS);
    assert_int_equal(j->total, 1);
    motesok_search_result_free(j);
    /* a wildcard that covers few terms is not cut */
    j = search(f, &(motesok_search_request){.query = "legevakt*"});
    assert_int_equal(j->limited, 0);
    assert_true(j->expanded_terms >= 2 && j->expanded_terms < 10);
    assert_int_equal(j->total, 4);
    motesok_search_result_free(j);
}

/* Words past MOTESOK_MAX_QUERY_TERMS and brackets nested past
 * MOTESOK_MAX_QUERY_DEPTH are left out, and the answer says so; a query
 * within the bounds is not limited. */
static void test_searcher_search_terms_and_depth_bounded(void **state)
{
    fixture *f = *state;
    motesok_search_result *j = search(f, &(motesok_search_request){.query = "legevakt"});
    assert_int_equal(j->limited, 0);
    assert_int_equal(j->expanded_terms, 0);
    motesok_search_result_free(j);

    char q[1024] = "";
    for (unsigned i = 0; i < MOTESOK_MAX_QUERY_TERMS; i++)
        strcat(q, "legevakt ");
    j = search(f, &(motesok_search_request){.query = q});
    assert_int_equal(j->limited, 0);
    assert_int_equal(j->total, 4);
    motesok_search_result_free(j);
    /* one word more: left out (zebrafink is in no document, and would
     * make the search answer any word), operators not counted */
    strcat(q, "OG zebrafink");
    j = search(f, &(motesok_search_request){.query = q});
    assert_int_equal(j->limited, MOTESOK_LIMIT_TERMS);
    assert_int_equal(j->total, 4);
    assert_false(j->any_word);
    motesok_search_result_free(j);

    char deep[256] = "";
    for (int i = 0; i < 12; i++)
        strcat(deep, "(");
    strcat(deep, "legevakt OR røntgen");
    for (int i = 0; i < 12; i++)
        strcat(deep, ")");
    j = search(f, &(motesok_search_request){.query = deep});
    assert_int_equal(j->limited, MOTESOK_LIMIT_DEPTH);
    assert_int_equal(j->total, 4);
    motesok_search_result_free(j);
    /* MOTESOK_MAX_QUERY_DEPTH deep is fine */
    memset(deep, 0, sizeof deep);
    memset(deep, '(', MOTESOK_MAX_QUERY_DEPTH);
    strcat(deep, "legevakt");
    memset(deep + strlen(deep), ')', MOTESOK_MAX_QUERY_DEPTH);
    j = search(f, &(motesok_search_request){.query = deep});
    assert_int_equal(j->limited, 0);
    assert_int_equal(j->total, 4);
    motesok_search_result_free(j);
}

/* Past the time limit a search still answers, with what it has (hits and
 * snippets from the start of the text), and says that time cut it. */
static void test_searcher_search_time_limit(void **state)
{
    fixture *f = *state;
    motesok_search_result *j =
        search(f, &(motesok_search_request){.query = "legevakt", .time_limit_s = 1e-9});
    assert_true(j->limited & MOTESOK_LIMIT_TIME);
    for (size_t i = 0; i < j->n_hits; i++)
        assert_non_null(j->hits[i].snippet);
    motesok_search_result_free(j);
    assert_string_equal(motesok_limit_name(MOTESOK_LIMIT_TERMS), "terms");
    assert_string_equal(motesok_limit_name(MOTESOK_LIMIT_DEPTH), "depth");
    assert_string_equal(motesok_limit_name(MOTESOK_LIMIT_WILDCARDS), "wildcards");
    assert_string_equal(motesok_limit_name(MOTESOK_LIMIT_TIME), "time");
    assert_null(motesok_limit_name(0));
    assert_null(motesok_limit_name(MOTESOK_LIMIT_TERMS | MOTESOK_LIMIT_TIME));
}

/* ======================================================================== */
/* documents, text, status                                                  */
/* ======================================================================== */

static void test_searcher_document_fields(void **state)
{
    fixture *f = *state;
    char id[17];
    motesok_document *d = NULL;
    assert_int_equal(motesok_searcher_document(f->s, id_of(doc_formannskap.path, id), &d, NULL),
                     MOTESOK_OK);
    assert_string_equal(d->id, id);
    assert_string_equal(d->path, doc_formannskap.path);
    assert_string_equal(d->title, doc_formannskap.title);
    assert_string_equal(d->mime, PDF);
    assert_string_equal(d->encoding, ""); /* as stored: a PDF has no charset */
    assert_int_equal(d->pages, 3);
    assert_int_equal(d->size, 1000);
    assert_int_equal(d->mtime, 1519372800);
    assert_string_equal(d->organ, "Formannskapet");
    assert_string_equal(d->date, "2018-06-14");
    assert_null(d->kommune);
    assert_null(d->place);
    assert_null(d->present);
    assert_string_equal(d->status, "ok");
    assert_string_equal(d->hash, "00112233aabbccdd");
    assert_int_equal(d->indexed_at, 1700000000);
    assert_int_equal(d->n_cases, 2);
    const motesok_case_info *c0 = &d->cases[0], *c1 = &d->cases[1];
    assert_string_equal(c0->number, "11/2018"); /* page order */
    assert_int_equal(c0->page, 1);
    assert_null(c0->decision);
    assert_string_equal(c1->number, "12/2018");
    assert_string_equal(c1->title, "Legevaktsamarbeid");
    assert_string_equal(c1->decision, case_12.decision);
    assert_int_equal(c1->page, 2);
    motesok_document_free(d);
    motesok_document_free(NULL);
    /* a file without cases */
    assert_int_equal(motesok_searcher_document(f->s, id_of(doc_referat.path, id), &d, NULL),
                     MOTESOK_OK);
    assert_int_equal(d->n_cases, 0);
    assert_null(d->date);
    motesok_document_free(d);
}

static void test_searcher_document_bad_ids(void **state)
{
    fixture *f = *state;
    motesok_document *out = (motesok_document *)&out;
    motesok_page_text *text = (motesok_page_text *)&text;
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
        assert_int_equal(motesok_searcher_text(f->s, bad[i], 1, &text, &err), MOTESOK_ERR_INVALID);
        assert_null(text);
    }
    assert_int_equal(motesok_searcher_document(f->s, NULL, &out, &err), MOTESOK_ERR_INVALID);
    assert_int_equal(motesok_searcher_text(f->s, "0000000000000000", 0, &text, &err),
                     MOTESOK_ERR_NOT_FOUND);
    assert_int_equal(motesok_searcher_document(f->s, "0000000000000000", NULL, &err),
                     MOTESOK_ERR_INVALID);
}

/* The document view's marks: the words the search matches, by their stems
 * (not by a shared prefix), in the whole text, escaped, line breaks kept. */
static void test_searcher_highlight(void **state)
{
    fixture *f = *state;
    const char *texts[] = {
        "Vedtaket om legevakten <b>i</b> Sel:\nrådet ber rådmannsutvalget om vedtak.",
        "Ingen treff her, bare vedtektene.",
    };
    char *out[2] = {NULL, NULL};
    motesok_error err;
    assert_int_equal(motesok_searcher_highlight(f->s, "vedtak legevakt råd organ:Sel IKKE røntgen",
                                                texts, NULL, 2, out, &err), MOTESOK_OK);
    assert_string_equal(out[0], "<mark>Vedtaket</mark> om <mark>legevakten</mark> "
                                "&lt;b&gt;i&lt;/b&gt; Sel:\n<mark>rådet</mark> ber "
                                "rådmannsutvalget om <mark>vedtak</mark>.");
    assert_string_equal(out[1], "Ingen treff her, bare vedtektene.");
    free(out[0]);
    free(out[1]);
    /* no words to mark: the text escaped, whole */
    size_t lens[] = {strlen(texts[0])};
    assert_int_equal(motesok_searcher_highlight(f->s, "organ:Sel", texts, lens, 1, out, &err),
                     MOTESOK_OK);
    assert_null(strstr(out[0], "<mark>"));
    assert_non_null(strstr(out[0], "&lt;b&gt;i&lt;/b&gt; Sel:\nrådet"));
    free(out[0]);
    /* bad input: an error, nothing left to free */
    const char *bad[] = {"legevakt \xff"};
    out[0] = (char *)texts[0];
    assert_int_equal(motesok_searcher_highlight(f->s, "legevakt", bad, NULL, 1, out, &err),
                     MOTESOK_ERR_INVALID);
    assert_null(out[0]);
    assert_int_equal(motesok_searcher_highlight(f->s, NULL, texts, NULL, 1, out, &err),
                     MOTESOK_ERR_INVALID);
}

static void test_searcher_text_pages(void **state)
{
    fixture *f = *state;
    char id[17];
    id_of(doc_hallingdal.path, id);
    motesok_page_text *t = NULL;
    assert_int_equal(motesok_searcher_text(f->s, id, 2, &t, NULL), MOTESOK_OK);
    assert_string_equal(t->id, id);
    assert_int_equal(t->page, 2);
    assert_int_equal(t->pages, 3);
    assert_string_equal(t->text, doc_hallingdal.pages[1]);
    assert_int_equal(t->text_len, strlen(doc_hallingdal.pages[1]));
    motesok_page_text_free(t);
    assert_int_equal(motesok_searcher_text(f->s, id, 0, &t, NULL), MOTESOK_OK);
    char all[512];
    snprintf(all, sizeof all, "%s\n\n%s\n\n%s", doc_hallingdal.pages[0], doc_hallingdal.pages[1],
             doc_hallingdal.pages[2]);
    assert_string_equal(t->text, all);
    assert_int_equal(t->text_len, strlen(all));
    assert_int_equal(t->page, 0);
    motesok_page_text_free(t);
    motesok_error err;
    t = (motesok_page_text *)&t;
    assert_int_equal(motesok_searcher_text(f->s, id, 9, &t, &err), MOTESOK_ERR_NOT_FOUND);
    assert_null(t);
    assert_string_equal(err.message, "page 9 of 3 does not exist");
    assert_int_equal(motesok_searcher_text(f->s, id, 4, &t, &err), MOTESOK_ERR_NOT_FOUND);
    assert_int_equal(motesok_searcher_text(f->s, id, 3, &t, NULL), MOTESOK_OK);
    assert_string_equal(t->text, doc_hallingdal.pages[2]);
    motesok_page_text_free(t);
    motesok_page_text_free(NULL);
}

static void test_searcher_status_counts(void **state)
{
    fixture *f = *state;
    motesok_index_status *s = NULL;
    assert_int_equal(motesok_searcher_status(f->s, &s, NULL), MOTESOK_OK);
    assert_int_equal(s->shards, 1);
    /* the analysis loaded here; this index (written directly) records none */
    const char *loaded = s->analysis_loaded; /* "VERSION:16 hex digits" */
    assert_non_null(strchr(loaded, ':'));
    assert_int_equal(strlen(strchr(loaded, ':') + 1), 16);
    assert_null(s->analysis_index);
    assert_false(s->analysis_same);
    assert_int_equal(s->documents, 4);
    assert_int_equal(s->cases, 2);
    assert_int_equal(s->failed, 1);
    assert_int_equal(s->unsupported, 1);
    uint64_t rev = s->revision;
    assert_true(rev >= 1);
    assert_string_equal(s->last_run, "2024-05-01T10:00:00Z");
    assert_int_equal(s->n_failures, 2);
    bool encrypted = false, unsupported = false;
    for (size_t i = 0; i < s->n_failures; i++) {
        assert_int_equal(s->failures[i].count, 1);
        encrypted |= strcmp(s->failures[i].reason, "ERR_ENCRYPTED") == 0;
        unsupported |= strcmp(s->failures[i].reason, "ERR_UNSUPPORTED") == 0;
    }
    assert_true(encrypted && unsupported);
    assert_true(s->index_bytes > 4096);
    motesok_index_status_free(s);
    motesok_index_status_free(NULL);
    /* a new commit moves the revision */
    const tdoc *docs[] = {&doc_zebra};
    write_xapian(f->xdir, docs, 1);
    assert_int_equal(motesok_searcher_status(f->s, &s, NULL), MOTESOK_OK);
    assert_true(s->revision > rev);
    motesok_index_status_free(s);
    assert_int_equal(motesok_searcher_status(f->s, NULL, NULL), MOTESOK_ERR_INVALID);
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
        T(test_searcher_search_result_fields),
        T(test_searcher_search_pdf_page_and_snippet),
        T(test_searcher_search_filters),
        T(test_searcher_search_decisions),
        T(test_searcher_search_decisions_title_first),
        T(test_searcher_search_title_word_first),
        T(test_searcher_search_sort_by_date),
        T(test_searcher_search_year_and_month_bounds),
        T(test_searcher_search_month_named_first),
        T(test_searcher_search_date_range_one_rule),
        T(test_searcher_search_relaxed_keeps_all_words_first),
        T(test_searcher_search_relaxed_keeps_correction),
        T(test_searcher_search_few_all_words_then_some),
        T(test_searcher_search_nynorsk_paired_run),
        T(test_searcher_search_operator_words),
        T(test_searcher_search_facets),
        T(test_searcher_search_paging),
        T(test_searcher_search_rejects_bad_requests),
        T(test_searcher_sees_new_commit),
        T(test_searcher_search_wildcard_storm_is_bounded),
        T(test_searcher_search_terms_and_depth_bounded),
        T(test_searcher_search_time_limit),
        T(test_searcher_document_fields),
        T(test_searcher_document_bad_ids),
        T(test_searcher_text_pages),
        T(test_searcher_highlight),
        T(test_searcher_status_counts),
        cmocka_unit_test(test_searcher_open_missing_index),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
