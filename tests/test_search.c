/* Tests for lib/search.c: query building and the contract's JSON shapes,
 * over a real index built with lib/index.c from real files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "motesok/motesok.h"

typedef struct fixture {
    char dir[64];
    char docs[96];
    char index[96];
    char pdf[128], txt[128];
    motesok_searcher *s;
} fixture;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

/* A three-page PDF where "legevakt" is only on page 2. */
static void make_pdf(const char *path)
{
    static const char *const pages[] = {
        "Godkjenning av innkalling og sakliste.",
        "Utvida legevakt med røntgen i påsken. Legevakt <b>&</b> bakvakt.",
        "Eventuelt. Neste møte i mars.",
    };
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    for (int i = 0; i < 3; i++) {
        cairo_move_to(cr, 60, 100);
        cairo_show_text(cr, pages[i]);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* Write text to path. */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Index one file. */
static void index_file(motesok_index *idx, const char *path)
{
    motesok_job *job = NULL;
    motesok_file_result res;
    assert_int_equal(motesok_index_prepare(idx, path, &job, &res, NULL), MOTESOK_OK);
    assert_non_null(job);
    motesok_job_run(job);
    assert_int_equal(motesok_index_finish(idx, job, &res, NULL), MOTESOK_OK);
    assert_int_equal(res.outcome, MOTESOK_OUTCOME_INDEXED);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/motesok-test-search-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->docs, sizeof f->docs, "%s/docs", f->dir);
    snprintf(f->index, sizeof f->index, "%s/index", f->dir);
    assert_int_equal(mkdir(f->docs, 0755), 0);
    snprintf(f->pdf, sizeof f->pdf, "%s/møte.pdf", f->docs);
    snprintf(f->txt, sizeof f->txt, "%s/referat.txt", f->docs);
    make_pdf(f->pdf);
    write_file(f->txt, "Referat fra Regionrådet\nDrøftet legevakt og jordmortjeneste.\n");
    char other[160];
    snprintf(other, sizeof other, "%s/annet.txt", f->docs);
    write_file(other, "Formannskapet: budsjett og brannstasjon.\n");
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    index_file(idx, f->pdf);
    index_file(idx, f->txt);
    index_file(idx, other);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    assert_int_equal(motesok_searcher_open(f->index, &f->s, NULL), MOTESOK_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    motesok_searcher_close(f->s);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Run a search and parse the answer. */
static json_t *run(fixture *f, const motesok_search_request *req)
{
    char *out = NULL;
    motesok_error err;
    motesok_status st = motesok_searcher_search(f->s, req, &out, &err);
    if (st != MOTESOK_OK)
        fail_msg("search failed: %s", err.message);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    free(out);
    return j;
}

static void test_searcher_search_json_shape(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt"};
    json_t *j = run(f, &req);
    /* top-level keys in the contract's order */
    static const char *const keys[] = {"query", "total", "offset", "limit", "took_ms",
                                       "suggestion", "hits", "facets"};
    const char *k;
    json_t *v;
    size_t i = 0;
    json_object_foreach(j, k, v) {
        assert_true(i < 8);
        assert_string_equal(k, keys[i++]);
    }
    assert_int_equal(i, 8);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    assert_int_equal(json_integer_value(json_object_get(j, "limit")), 10);
    assert_true(json_is_real(json_object_get(j, "took_ms")));
    assert_true(json_is_null(json_object_get(j, "suggestion")));
    json_t *facets = json_object_get(j, "facets");
    assert_true(json_is_object(json_object_get(facets, "organ")));
    assert_true(json_is_object(json_object_get(facets, "year")));
    json_t *hits = json_object_get(j, "hits");
    assert_int_equal(json_array_size(hits), 2);
    static const char *const hkeys[] = {"rank", "score", "id", "path", "title", "organ",
                                        "date", "page", "case", "snippet"};
    json_t *h0 = json_array_get(hits, 0);
    i = 0;
    json_object_foreach(h0, k, v) {
        assert_true(i < 10);
        assert_string_equal(k, hkeys[i++]);
    }
    assert_int_equal(i, 10);
    assert_int_equal(json_integer_value(json_object_get(h0, "rank")), 1);
    assert_true(json_real_value(json_object_get(h0, "score")) >=
                json_real_value(json_object_get(json_array_get(hits, 1), "score")));
    json_decref(j);
}

/* The hit whose path is p, or NULL. */
static json_t *hit_for(json_t *res, const char *p)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h)
        if (strcmp(json_string_value(json_object_get(h, "path")), p) == 0)
            return h;
    return NULL;
}

static void test_searcher_search_pdf_page_and_snippet(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "legevakt"};
    json_t *j = run(f, &req);
    json_t *pdf = hit_for(j, f->pdf);
    json_t *txt = hit_for(j, f->txt);
    assert_non_null(pdf);
    assert_non_null(txt);
    assert_int_equal(json_integer_value(json_object_get(pdf, "page")), 2);
    assert_true(json_is_null(json_object_get(txt, "page")));
    const char *snip = json_string_value(json_object_get(pdf, "snippet"));
    assert_non_null(strstr(snip, "<mark>legevakt</mark>"));
    assert_non_null(strstr(snip, "&lt;b&gt;&amp;&lt;/b&gt;")); /* escaped, not markup */
    assert_string_equal(json_string_value(json_object_get(txt, "title")), "Referat fra Regionrådet");
    json_decref(j);
}

static void test_searcher_search_paging_and_sort(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "", .limit = 1, .offset = 1};
    json_t *j = run(f, &req);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
    json_t *hits = json_object_get(j, "hits");
    assert_int_equal(json_array_size(hits), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(hits, 0), "rank")), 2);
    json_decref(j);
    req = (motesok_search_request){.query = "legevakt", .sort = MOTESOK_SORT_DATE};
    j = run(f, &req);
    assert_int_equal(json_array_size(json_object_get(j, "hits")), 2);
    json_decref(j);
}

static void test_searcher_search_rejects_bad_requests(void **state)
{
    fixture *f = *state;
    static const struct { motesok_search_request req; const char *msg; } bad[] = {
        {{.query = "x", .limit = 101}, "limit"},
        {{.query = "x", .offset = 100001}, "offset"},
        {{.query = "x", .from = "2018-13-01"}, "from"},
        {{.query = "x", .to = "2018-02-30"}, "to"},
        {{.query = "x", .from = "2019-01-01", .to = "2018-01-01"}, "after"},
        {{.query = "bad \xff utf8"}, "UTF-8"},
        {{.query = NULL}, "query"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *out = NULL;
        motesok_error err;
        assert_int_equal(motesok_searcher_search(f->s, &bad[i].req, &out, &err), MOTESOK_ERR_INVALID);
        assert_null(out);
        if (strstr(err.message, bad[i].msg) == NULL)
            fail_msg("message '%s' does not mention '%s'", err.message, bad[i].msg);
    }
    /* bad syntax is not an error: plain words are searched */
    motesok_search_request req = {.query = "legevakt AND ((("};
    json_t *j = run(f, &req);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    json_decref(j);
    /* dates filter: the text file has no date; the PDF is dated by its
     * creation date (now), so it falls in a range up to 2099 and not 2000 */
    req = (motesok_search_request){.query = "legevakt", .to = "2000-01-01"};
    j = run(f, &req);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    req = (motesok_search_request){.query = "legevakt", .from = "2020-01-01", .to = "2099-12-31"};
    j = run(f, &req);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
}

static void test_searcher_document_text_status(void **state)
{
    fixture *f = *state;
    char id[17];
    motesok_path_id(f->pdf, id);
    char *out = NULL;
    motesok_error err;
    assert_int_equal(motesok_searcher_document(f->s, id, &out, &err), MOTESOK_OK);
    json_t *d = json_loads(out, 0, NULL);
    free(out);
    assert_string_equal(json_string_value(json_object_get(d, "id")), id);
    assert_string_equal(json_string_value(json_object_get(d, "path")), f->pdf);
    assert_int_equal(json_integer_value(json_object_get(d, "pages")), 3);
    assert_string_equal(json_string_value(json_object_get(d, "status")), "ok");
    assert_true(json_is_array(json_object_get(d, "cases")));
    json_decref(d);
    assert_int_equal(motesok_searcher_text(f->s, id, 2, &out, &err), MOTESOK_OK);
    d = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(strstr(json_string_value(json_object_get(d, "text")), "Utvida legevakt"));
    assert_null(strstr(json_string_value(json_object_get(d, "text")), "innkalling"));
    json_decref(d);
    assert_int_equal(motesok_searcher_text(f->s, id, 9, &out, &err), MOTESOK_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "page 9 of 3"));
    assert_int_equal(motesok_searcher_document(f->s, "0000000000000000", &out, &err),
                     MOTESOK_ERR_NOT_FOUND);
    assert_int_equal(motesok_searcher_document(f->s, "../../etc", &out, &err), MOTESOK_ERR_INVALID);
    assert_int_equal(motesok_searcher_status(f->s, &out, &err), MOTESOK_OK);
    d = json_loads(out, 0, NULL);
    free(out);
    assert_int_equal(json_integer_value(json_object_get(d, "documents")), 3);
    assert_int_equal(json_integer_value(json_object_get(d, "failed")), 0);
    assert_true(json_integer_value(json_object_get(d, "index_bytes")) > 0);
    assert_true(json_is_string(json_object_get(d, "last_run")));
    json_decref(d);
}

static void test_searcher_sees_new_commit(void **state)
{
    fixture *f = *state;
    motesok_search_request req = {.query = "zebrafink"};
    json_t *j = run(f, &req);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    char path[160];
    snprintf(path, sizeof path, "%s/ny.txt", f->docs);
    write_file(path, "Innkjøp av zebrafink.\n");
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    index_file(idx, path);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    j = run(f, &req);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
}

static void test_searcher_open_missing_index(void **state)
{
    (void)state;
    motesok_searcher *s = NULL;
    motesok_error err;
    assert_int_equal(motesok_searcher_open("/nonexistent/idx", &s, &err), MOTESOK_ERR_NOT_FOUND);
    assert_null(s);
    assert_non_null(strstr(err.message, "motesok-index"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_searcher_search_json_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_searcher_search_pdf_page_and_snippet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_searcher_search_paging_and_sort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_searcher_search_rejects_bad_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_searcher_document_text_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_searcher_sees_new_commit, setup, teardown),
        cmocka_unit_test(test_searcher_open_missing_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
