/* Tests for lib/xapian_shim.cc through its C API. This file is plain C and
 * includes the whole public API, so the headers are checked as C too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "motesok/motesok.h"
#include "shim_internal.h"

typedef struct fixture {
    char dir[64];
    char db[96];
} fixture;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/motesok-test-shim-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Add a document with pages of body text, an id, a date and an organ. */
static void add_doc(motesok_xwriter *w, const char *id, const char *title,
                    const char *const *pages, size_t n, const char *date, const char *organ)
{
    motesok_xdoc *d = NULL;
    assert_int_equal(motesok_xwriter_new_doc(w, &d, NULL), MOTESOK_OK);
    char q[64];
    snprintf(q, sizeof q, "Q%s", id);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, q, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_index_text(d, title, strlen(title), 5, "S", NULL), MOTESOK_OK);
    for (size_t i = 0; i < n; i++) {
        motesok_xdoc_increase_termpos(d, 100);
        assert_int_equal(motesok_xdoc_index_text(d, pages[i], strlen(pages[i]), 1, "", NULL),
                         MOTESOK_OK);
    }
    if (date != NULL)
        assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_DATE, date, 8, NULL), MOTESOK_OK);
    if (organ != NULL)
        assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_ORGAN, organ, strlen(organ), NULL),
                         MOTESOK_OK);
    assert_int_equal(motesok_xdoc_set_value(d, MOTESOK_SLOT_PARENT, id, strlen(id), NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_set_data(d, id, strlen(id), NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_replace(w, q, d, NULL), MOTESOK_OK);
    motesok_xdoc_free(d);
}

/* Build the standard three-document test database. */
static void build_db(const fixture *f)
{
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(f->db, &w, NULL), MOTESOK_OK);
    const char *a[] = {"Godkjenning av innkalling.", "Utvida legevakt med røntgen i påsken.",
                       "Eventuelt."};
    const char *b[] = {"Kommunehelsesamarbeidet og legevaktsamarbeid. Legevakten er viktig."};
    const char *c[] = {"Jordmortjeneste i Hallingdal <b>&</b> vedtak."};
    add_doc(w, "aaaa", "Rådmannsutvalget", a, 3, "20180223", "Rådmannsutvalget");
    add_doc(w, "bbbb", "Regionrådet", b, 1, "20100827", "Regionrådet for Hallingdal");
    add_doc(w, "cccc", "Referat", c, 1, "20170601", "Rådmannsutvalget");
    assert_int_equal(motesok_xwriter_set_metadata(w, "k", "v æ", NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
}

/* Open a reader on the fixture's db. */
static motesok_xreader *reader(const fixture *f)
{
    const char *dirs[] = {f->db};
    motesok_xreader *r = NULL;
    assert_int_equal(motesok_xreader_open(dirs, 1, &r, NULL), MOTESOK_OK);
    return r;
}

/* Parse and run query; returns results (caller frees) and sets *q. */
static motesok_xresults *search(motesok_xreader *r, const char *query, motesok_xsearch *s,
                                motesok_xquery **q)
{
    motesok_xdaterange ranges[] = {{"dato", MOTESOK_SLOT_DATE}};
    motesok_xfield fields[] = {{"tittel", "S", false}};
    motesok_xparse_options po = {.fields = fields, .n_fields = 1, .ranges = ranges,
                                 .n_ranges = 1, .default_and = true, .norwegian_ops = true};
    motesok_error err;
    assert_int_equal(motesok_xreader_parse(r, query, &po, q, NULL, &err), MOTESOK_OK);
    s->query = *q;
    motesok_xresults *res = NULL;
    assert_int_equal(motesok_xreader_search(r, s, &res, &err), MOTESOK_OK);
    return res;
}

/* Number of hits for a query. */
static size_t count(motesok_xreader *r, const char *query)
{
    motesok_xsearch s = {.limit = 10, .sort_slot = -1, .collapse_slot = -1};
    motesok_xquery *q = NULL;
    motesok_xresults *res = search(r, query, &s, &q);
    size_t n = motesok_xresults_count(res);
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    return n;
}

static void test_map_thrown_every_exception(void **state)
{
    (void)state;
    static const struct { int which; motesok_status code; } cases[] = {
        {MSK_THROW_LOCK, MOTESOK_ERR_DB_LOCKED}, {MSK_THROW_MODIFIED, MOTESOK_ERR_DB_MODIFIED},
        {MSK_THROW_CORRUPT, MOTESOK_ERR_DB_CORRUPT}, {MSK_THROW_VERSION, MOTESOK_ERR_DB_VERSION},
        {MSK_THROW_QUERY, MOTESOK_ERR_QUERY}, {MSK_THROW_XAPIAN, MOTESOK_ERR_DB},
        {MSK_THROW_BAD_ALLOC, MOTESOK_ERR_NOMEM}, {MSK_THROW_STD, MOTESOK_ERR_INTERNAL},
        {MSK_THROW_UNKNOWN, MOTESOK_ERR_INTERNAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        motesok_error err;
        motesok_error_clear(&err);
        assert_int_equal(msk_shim_map_thrown(cases[i].which, NULL, &err), cases[i].code);
        assert_int_equal(err.code, cases[i].code);
        assert_true(err.message[0] != '\0');
    }
}

static void test_xwriter_open_second_writer_locked(void **state)
{
    fixture *f = *state;
    motesok_xwriter *a = NULL, *b = NULL;
    motesok_error err;
    assert_int_equal(motesok_xwriter_open(f->db, &a, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_open(f->db, &b, &err), MOTESOK_ERR_DB_LOCKED);
    assert_null(b);
    assert_non_null(strstr(err.message, "ock"));
    motesok_xwriter_close(a);
}

static void test_xreader_open_missing_and_garbage(void **state)
{
    fixture *f = *state;
    const char *missing[] = {"/nonexistent/motesok/db"};
    motesok_xreader *r = NULL;
    motesok_error err;
    assert_int_equal(motesok_xreader_open(missing, 1, &r, &err), MOTESOK_ERR_NOT_FOUND);
    assert_null(r);
    /* a folder that holds something that is not a database */
    assert_int_equal(mkdir(f->db, 0755), 0);
    char junk[160];
    snprintf(junk, sizeof junk, "%s/iamchert", f->db);
    FILE *fp = fopen(junk, "wb");
    assert_non_null(fp);
    fputs("not a xapian database at all", fp);
    fclose(fp);
    const char *dirs[] = {f->db};
    motesok_status st = motesok_xreader_open(dirs, 1, &r, &err);
    assert_int_not_equal(st, MOTESOK_OK);
    assert_null(r);
}

static void test_xwriter_close_without_commit_discards(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(f->db, &w, NULL), MOTESOK_OK);
    const char *p[] = {"zebrafink"};
    add_doc(w, "dddd", "x", p, 1, NULL, NULL);
    motesok_xwriter_close(w); /* no commit */
    motesok_xreader *r = reader(f);
    assert_int_equal(count(r, "zebrafink"), 0);
    uint64_t n = 0;
    assert_int_equal(motesok_xreader_stats(r, &n, NULL, NULL), MOTESOK_OK);
    assert_int_equal(n, 3);
    motesok_xreader_close(r);
}

static void test_xreader_parse_stems_phrases_fields(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xreader *r = reader(f);
    assert_int_equal(count(r, "legevakten"), 2);               /* stemmed */
    assert_int_equal(count(r, "\"utvida legevakt\""), 1);      /* phrase */
    assert_int_equal(count(r, "\"legevakt utvida\""), 0);
    assert_int_equal(count(r, "tittel:regionrådet"), 1);       /* field */
    assert_int_equal(count(r, "legevakt IKKE røntgen"), 1);    /* Norwegian NOT */
    assert_int_equal(count(r, "røntgen ELLER jordmortjeneste"), 2);
    assert_int_equal(count(r, "dato:2017..2018"), 2);          /* date range */
    assert_int_equal(count(r, "dato:2018-02-23..2018-02-23"), 1);
    assert_int_equal(count(r, "jordmor*"), 1);                 /* wildcard */
    /* across a page boundary a phrase does not match */
    assert_int_equal(count(r, "\"innkalling utvida\""), 0);
    motesok_xreader_close(r);
}

static void test_xreader_parse_falls_back_on_bad_syntax(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xreader *r = reader(f);
    motesok_xparse_options po = {.default_and = true};
    motesok_xquery *q = NULL;
    bool fell = false;
    motesok_error err;
    assert_int_equal(motesok_xreader_parse(r, "legevakt AND OR (", &po, &q, &fell, &err), MOTESOK_OK);
    assert_true(fell);
    motesok_xquery_free(q);
    /* Xapian's own recovery must not turn a stray AND into a required word */
    assert_int_equal(count(r, "legevakt AND ((("), 2);
    assert_int_equal(count(r, "legevakt OR OR"), 2);
    assert_int_equal(motesok_xreader_parse(r, "(((", &po, &q, &fell, &err), MOTESOK_ERR_QUERY);
    assert_null(q);
    assert_int_equal(motesok_xreader_parse(r, "   ", &po, &q, &fell, &err), MOTESOK_OK);
    char *desc = motesok_xquery_describe(q);
    assert_non_null(strstr(desc, "MatchAll") ? desc : strstr(desc, "<alldocuments>"));
    motesok_free(desc);
    motesok_xquery_free(q);
    motesok_xreader_close(r);
}

static void test_xreader_search_sort_filter_collapse_facets(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xreader *r = reader(f);
    unsigned slots[] = {MOTESOK_SLOT_ORGAN};
    motesok_xsearch s = {.limit = 10, .sort_slot = (int)MOTESOK_SLOT_DATE, .sort_descending = true,
                         .collapse_slot = -1, .facet_slots = slots, .n_facets = 1,
                         .check_at_least = 100};
    motesok_xquery *q = NULL;
    motesok_xresults *res = search(r, "", &s, &q);
    assert_int_equal(motesok_xresults_count(res), 3);
    assert_string_equal(motesok_xresults_data(res, 0, NULL), "aaaa"); /* 2018 first */
    assert_string_equal(motesok_xresults_data(res, 2, NULL), "bbbb"); /* 2010 last */
    assert_string_equal(motesok_xresults_value(res, 0, MOTESOK_SLOT_DATE), "20180223");
    assert_int_equal(motesok_xresults_facet_size(res, 0), 2);
    uint64_t c = 0;
    assert_string_equal(motesok_xresults_facet(res, 0, 0, &c), "Rådmannsutvalget");
    assert_int_equal(c, 2);
    motesok_xresults_free(res);
    /* filter by a value range and a term */
    motesok_xquery *range = motesok_xquery_value_range(MOTESOK_SLOT_DATE, "20170101", NULL);
    motesok_xquery *filtered = motesok_xquery_combine(MOTESOK_XOP_FILTER, q, range);
    motesok_xquery *term = motesok_xquery_term("Qcccc");
    motesok_xquery *both = motesok_xquery_combine(MOTESOK_XOP_FILTER, filtered, term);
    s.query = both;
    s.n_facets = 0;
    assert_int_equal(motesok_xreader_search(r, &s, &res, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xresults_count(res), 1);
    assert_string_equal(motesok_xresults_data(res, 0, NULL), "cccc");
    motesok_xresults_free(res);
    /* collapse on organ keeps one hit per organ */
    s.query = q;
    s.collapse_slot = (int)MOTESOK_SLOT_ORGAN;
    assert_int_equal(motesok_xreader_search(r, &s, &res, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xresults_count(res), 2);
    motesok_xresults_free(res);
    motesok_xquery_free(both);
    motesok_xquery_free(term);
    motesok_xquery_free(filtered);
    motesok_xquery_free(range);
    motesok_xquery_free(q);
    motesok_xreader_close(r);
}

static void test_xresults_best_part_and_snippet(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xreader *r = reader(f);
    motesok_xsearch s = {.limit = 10, .sort_slot = -1, .collapse_slot = -1};
    motesok_xquery *q = NULL;
    motesok_xresults *res = search(r, "legevakt", &s, &q);
    const char *pages[] = {"Godkjenning av innkalling.", "Utvida legevakt med røntgen i påsken.",
                           "Eventuelt, og legevakt nevnt en gang."};
    size_t lens[] = {strlen(pages[0]), strlen(pages[1]), strlen(pages[2])};
    size_t best = 9;
    double score = 0;
    assert_int_equal(motesok_xresults_best_part(res, pages, lens, 3, &best, &score, NULL), MOTESOK_OK);
    assert_int_equal(best, 1); /* tie between 1 and 2: first wins */
    assert_true(score > 0);
    char *snip = NULL;
    assert_int_equal(motesok_xresults_snippet(res, pages[1], lens[1], 200, &snip, NULL), MOTESOK_OK);
    assert_non_null(strstr(snip, "<mark>legevakt</mark>"));
    motesok_free(snip);
    const char *html = "Om legevakt <b>&</b> \"vakt\" i 'kommunen'";
    assert_int_equal(motesok_xresults_snippet(res, html, strlen(html), 200, &snip, NULL), MOTESOK_OK);
    assert_non_null(strstr(snip, "&lt;b&gt;&amp;&lt;/b&gt;"));
    assert_non_null(strstr(snip, "&quot;vakt&quot;"));
    assert_null(strstr(snip, "<b>"));
    motesok_free(snip);
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    motesok_xreader_close(r);
}

static void test_xreader_reopen_sees_new_commit(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xreader *r = reader(f);
    assert_int_equal(count(r, "zebrafink"), 0);
    uint64_t rev1 = 0, rev2 = 0;
    assert_int_equal(motesok_xreader_stats(r, NULL, &rev1, NULL), MOTESOK_OK);
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(f->db, &w, NULL), MOTESOK_OK);
    const char *p[] = {"zebrafink"};
    add_doc(w, "dddd", "x", p, 1, NULL, NULL);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    bool changed = false;
    assert_int_equal(motesok_xreader_reopen(r, &changed, NULL), MOTESOK_OK);
    assert_true(changed);
    assert_int_equal(count(r, "zebrafink"), 1);
    assert_int_equal(motesok_xreader_stats(r, NULL, &rev2, NULL), MOTESOK_OK);
    assert_true(rev2 > rev1);
    /* replace keeps one document per id; delete removes it */
    add_doc(w, "dddd", "x", p, 1, NULL, NULL);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    uint64_t n = 0;
    assert_int_equal(motesok_xwriter_doccount(w, &n, NULL), MOTESOK_OK);
    assert_int_equal(n, 4);
    assert_int_equal(motesok_xwriter_delete(w, "Qdddd", NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
    assert_int_equal(motesok_xreader_reopen(r, NULL, NULL), MOTESOK_OK);
    assert_int_equal(count(r, "zebrafink"), 0);
    motesok_xreader_close(r);
}

/* each_term callback: count terms. */
static int count_term(const char *term, void *ud)
{
    (void)term;
    (*(int *)ud)++;
    return 0;
}

static void test_xwriter_metadata_terms_and_data(void **state)
{
    fixture *f = *state;
    build_db(f);
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(f->db, &w, NULL), MOTESOK_OK);
    char *v = NULL;
    assert_int_equal(motesok_xwriter_get_metadata(w, "k", &v, NULL), MOTESOK_OK);
    assert_string_equal(v, "v æ");
    motesok_free(v);
    assert_int_equal(motesok_xwriter_get_metadata(w, "absent", &v, NULL), MOTESOK_OK);
    assert_string_equal(v, "");
    motesok_free(v);
    int n = 0;
    assert_int_equal(motesok_xwriter_each_term(w, "Q", count_term, &n, NULL), MOTESOK_OK);
    assert_int_equal(n, 3);
    motesok_xwriter_close(w);
    motesok_xreader *r = reader(f);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(motesok_xreader_get_data(r, "Qbbbb", &data, &len, NULL), MOTESOK_OK);
    assert_string_equal(data, "bbbb");
    assert_int_equal(len, 4);
    motesok_free(data);
    motesok_error err;
    assert_int_equal(motesok_xreader_get_data(r, "Qnone", &data, &len, &err), MOTESOK_ERR_NOT_FOUND);
    assert_int_equal(motesok_xreader_get_metadata(r, "k", &data, NULL), MOTESOK_OK);
    assert_string_equal(data, "v æ");
    motesok_free(data);
    motesok_xreader_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_thrown_every_exception),
        cmocka_unit_test_setup_teardown(test_xwriter_open_second_writer_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xreader_open_missing_and_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xwriter_close_without_commit_discards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xreader_parse_stems_phrases_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xreader_parse_falls_back_on_bad_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xreader_search_sort_filter_collapse_facets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xresults_best_part_and_snippet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xreader_reopen_sees_new_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xwriter_metadata_terms_and_data, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
