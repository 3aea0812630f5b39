/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd's HTML pages (searchd/sd_html.c), rendered from hand-made
 * structs: escaping of every string that comes from a query, a file or
 * the index, URLs of paging, facets and chips, messages, and the document
 * view's marked words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sd_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XSS "\"><script>alert(1)</script><img src=x onerror=alert(2)>"

/* s escaped by sd_html_text, as a string the test frees. */
static char *escaped(const char *s, size_t n)
{
    sd_buf b;
    sd_buf_init(&b, 1 << 20);
    sd_html_text(&b, s, n);
    sd_buf_str(&b, ""); /* an empty input still gives a string */
    size_t len = 0;
    char *out = sd_buf_take(&b, &len);
    if (out == NULL)
        out = strdup("");
    return out;
}

/* Fail unless page holds needle. */
static void assert_has(const char *page, const char *needle)
{
    if (strstr(page, needle) == NULL)
        fail_msg("the page lacks «%s»", needle);
}

/* Fail if page holds needle. */
static void assert_lacks(const char *page, const char *needle)
{
    if (strstr(page, needle) != NULL)
        fail_msg("the page holds «%s»: …%.200s", needle, strstr(page, needle));
}

/* No markup from the XSS string survives anywhere in page. */
static void assert_no_xss(const char *page)
{
    assert_lacks(page, "<script>alert");
    assert_lacks(page, "<img");
    assert_lacks(page, "\"><script");
    assert_lacks(page, "\"><img");
    assert_lacks(page, "onerror=alert(2)>");
}

static void test_sd_html_text_escapes(void **state)
{
    (void)state;
    char *e = escaped("a<b>&\"c'd", 9);
    assert_string_equal(e, "a&lt;b&gt;&amp;&quot;c&#39;d");
    free(e);
    /* control bytes dropped (tab and newline kept), bad UTF-8 as U+FFFD */
    e = escaped("x\x01y\tz\n\x1b[31m\xff\xc3", 13);
    assert_string_equal(e, "xy\tz\n[31m\xEF\xBF\xBD\xEF\xBF\xBD");
    free(e);
    e = escaped("Møtesøk æøå", strlen("Møtesøk æøå"));
    assert_string_equal(e, "Møtesøk æøå");
    free(e);
}

static void test_sd_html_url_part(void **state)
{
    (void)state;
    sd_buf b;
    sd_buf_init(&b, 1024);
    sd_url_part(&b, "a b&c=ø/\"<");
    size_t len;
    char *s = sd_buf_take(&b, &len);
    assert_string_equal(s, "a%20b%26c%3D%C3%B8%2F%22%3C");
    free(s);
}

static void test_sd_html_buffer_bounded(void **state)
{
    (void)state;
    sd_buf b;
    sd_buf_init(&b, 10);
    sd_buf_str(&b, "12345");
    sd_buf_str(&b, "678901");
    assert_true(b.failed);
    size_t len = 0;
    assert_null(sd_buf_take(&b, &len));
}

/* A hit with every string hostile. */
static const motesok_case_info xss_case = {
    .number = "06/2018" XSS, .title = XSS, .decision = "Vedtatt " XSS, .has_vote = true,
    .vote = {.outcome = "enstemmig", .votes_for = MOTESOK_NO_NUMBER,
             .votes_against = MOTESOK_NO_NUMBER}};

static const motesok_hit xss_hit = {
    .rank = 1, .id = "0123456789abcdef", .path = "/srv/moter/" XSS ".pdf", .title = XSS,
    .organ = "Formannskapet" XSS, .kommune = XSS, .date = "2018-02-23", .page = 3,
    .matched_case = &xss_case, .snippet = "…om &lt;script&gt; og <mark>legevakt</mark>…"};

static const motesok_facet_value organ_values[] = {{"Formannskapet", 4}, {XSS, 2}};
static const motesok_facet_value year_values[] = {{"2018", 5}, {"2010", 1}};
static const motesok_facet xss_facets[] = {
    {"organ", organ_values, 2}, {"kommune", NULL, 0}, {"year", year_values, 2}};

static const motesok_search_result xss_result = {
    .query = XSS, .total = 1, .total_exact = true, .limit = 20, .suggestion = XSS,
    .hits = &xss_hit, .n_hits = 1, .facets = xss_facets, .n_facets = 3};

static void test_sd_html_search_page_escapes_everything(void **state)
{
    (void)state;
    sd_page_view v = {.p = {.q = XSS, .organ = XSS, .kommune = XSS, .from = XSS, .to = XSS,
                            .page = 1},
                      .state = SD_PAGE_RESULTS, .res = &xss_result};
    size_t len = 0;
    char *page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    assert_int_equal(strlen(page), len);
    assert_no_xss(page);
    assert_has(page, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_has(page, "value=\"&quot;&gt;&lt;script&gt;"); /* the query in the form */
    /* the library's snippet is kept as it is: its own <mark> only */
    assert_has(page, "om &lt;script&gt; og <mark>legevakt</mark>");
    /* in URLs: percent-encoded, then escaped as HTML */
    assert_has(page, "q=%22%3E%3Cscript%3Ealert%281%29");
    assert_lacks(page, "/srv/moter"); /* no server path by default */
    free(page);
    v.show_paths = true;
    page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    assert_no_xss(page);
    assert_has(page, "<p class=\"path\">/srv/moter/&quot;&gt;&lt;script&gt;");
    free(page);
}

static void test_sd_html_search_page_hit_links(void **state)
{
    (void)state;
    sd_page_view v = {.p = {.q = "legevakt", .page = 1}, .state = SD_PAGE_RESULTS,
                      .res = &xss_result};
    size_t len = 0;
    char *page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    assert_has(page, "<a href=\"/dokument/0123456789abcdef?q=legevakt&amp;page=3#side-3\">");
    assert_has(page, "<a href=\"/dokument/0123456789abcdef/original#page=3\">");
    assert_has(page, "23.02.2018");
    assert_has(page, "<b>Vedtak (enstemmig):</b>");
    assert_has(page, "Mente du: <a id=\"forslag\" href=\"/sok?q=%22%3E");
    assert_has(page, "<form role=\"search\" method=\"get\" action=\"/sok\">");
    assert_has(page, "<label for=\"q\">");
    assert_has(page, "name=\"q\"");
    assert_has(page, "aria-live=\"polite\"");
    assert_lacks(page, "(skannet, OCR)"); /* a page with a text layer */
    free(page);
    /* a hit on a page read by OCR says so */
    motesok_hit ocr_hit = xss_hit;
    ocr_hit.ocr = true;
    motesok_search_result ocr_result = xss_result;
    ocr_result.hits = &ocr_hit;
    v.res = &ocr_result;
    page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    assert_has(page, "side 3 <span class=\"ocr\" title=\"Teksten på denne siden er lest");
    assert_has(page, ">(skannet, OCR)</span>");
    free(page);
}

static void test_sd_html_search_page_facets_and_chips(void **state)
{
    (void)state;
    sd_page_view v = {.p = {.q = "legevakt", .organ = "Formannskapet", .page = 1},
                      .state = SD_PAGE_RESULTS, .res = &xss_result};
    size_t len = 0;
    char *page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    /* the active organ: a chip that removes it, and plain in its facet */
    assert_has(page, "<li><a href=\"/sok?q=legevakt\" aria-label=\"Fjern filteret Organ: "
                     "Formannskapet\">");
    assert_has(page, "<li><strong>Formannskapet</strong> <span class=\"meta\">(4)</span>");
    /* a year adds from and to; the organ rides along */
    assert_has(page, "href=\"/sok?q=legevakt&amp;organ=Formannskapet&amp;from=2018&amp;to=2018\"");
    assert_has(page, "<input type=\"hidden\" name=\"organ\" value=\"Formannskapet\">");
    assert_lacks(page, "<h2>Kommune</h2>"); /* no kommune values: no facet */
    free(page);
    v.p = (sd_page_params){.q = "legevakt", .from = "2018", .to = "2018", .page = 1};
    page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    assert_has(page, "aria-label=\"Fjern filteret År: 2018\"");
    assert_has(page, "<li><strong>2018</strong>");
    assert_has(page, "href=\"/sok?q=legevakt&amp;from=2010&amp;to=2010\"");
    free(page);
}

static void test_sd_html_search_page_paging(void **state)
{
    (void)state;
    motesok_hit hits[20];
    for (int i = 0; i < 20; i++) {
        hits[i] = xss_hit;
        hits[i].matched_case = NULL;
    }
    motesok_search_result r = {.query = "legevakt", .total = 157, .total_exact = true,
                               .offset = 20, .limit = 20, .hits = hits, .n_hits = 20};
    sd_page_view v = {.p = {.q = "legevakt", .sort_date = true, .page = 2},
                      .state = SD_PAGE_RESULTS, .res = &r};
    size_t len = 0;
    char *page = sd_html_search_page(&v, &len);
    assert_non_null(page);
    assert_has(page, "21–40 av 157 treff");
    assert_has(page, "<a href=\"/sok?q=legevakt&amp;sort=date\" rel=\"prev\">← Forrige</a>");
    assert_has(page, "<a href=\"/sok?q=legevakt&amp;sort=date&amp;page=3\" rel=\"next\">");
    assert_has(page, "<a href=\"/sok?q=legevakt&amp;sort=date&amp;page=8\">8</a>"); /* last */
    assert_has(page, "<a href=\"/sok?q=legevakt&amp;sort=date&amp;page=2\" aria-current=\"page\">");
    assert_has(page, "<option value=\"date\" selected>");
    free(page);
    r.total_exact = false;
    page = sd_html_search_page(&v, &len);
    assert_has(page, "21–40 av ca. 157 treff");
    free(page);
}

static void test_sd_html_search_page_messages(void **state)
{
    (void)state;
    motesok_search_result none = {.query = "xyzzy<b>", .total = 0, .total_exact = true};
    sd_page_view v = {.p = {.q = "xyzzy<b>", .page = 1}, .state = SD_PAGE_RESULTS, .res = &none};
    size_t len = 0;
    char *page = sd_html_search_page(&v, &len);
    assert_has(page, "Ingen treff for «xyzzy&lt;b&gt;»");
    free(page);
    v.state = SD_PAGE_NO_INDEX;
    page = sd_html_search_page(&v, &len);
    assert_has(page, "Søket er ikke tilgjengelig ennå.");
    free(page);
    v.state = SD_PAGE_BAD;
    v.message = sd_html_bad_request("from: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got 'x'");
    page = sd_html_search_page(&v, &len);
    assert_has(page, "«Fra dato» er ikke en dato");
    free(page);
    assert_string_equal(sd_html_bad_request("from (2019) is after to (2018)"),
                        "«Fra dato» er etter «Til dato».");
    assert_string_equal(sd_html_bad_request("query: longer than 4096 bytes"),
                        "Søket er for langt (høyst 4096 byte).");
    assert_string_equal(sd_html_bad_request("something new"), "Søket er ugyldig.");
    page = sd_html_error_page("Fant ikke siden.", XSS, &len);
    assert_non_null(page);
    assert_no_xss(page);
    assert_has(page, "Fant ikke siden.");
    free(page);
}

static const motesok_case_info doc_cases[] = {
    {.number = "04/2018", .title = "Godkjenning av referat", .decision = "Godkjent.",
     .has_vote = false, .page = 1},
    {.number = "06/2018", .title = "Legevakt " XSS, .decision = "Vedtak om legevakt " XSS,
     .has_vote = true, .vote = {.outcome = "flertall", .votes_for = 20, .votes_against = 7},
     .page = 25},
};

static const motesok_document xss_doc = {
    .id = "0123456789abcdef", .path = "/srv/" XSS ".pdf", .title = "Referat " XSS,
    .organ = "Rådmannsutvalget", .kommune = "Sel", .date = "2018-02-23",
    .place = "LMS-auditoriet " XSS, .mime = "application/pdf", .pages = 30,
    .cases = doc_cases, .n_cases = 2};

static void test_sd_html_document_page(void **state)
{
    (void)state;
    const char *texts[] = {"Legevakten i <script>alert(1)</script> Sel: legevakt, røntgen.",
                           "Side to: LEGEVAKTA og utvida <legevaktordning>; brannstasjon."};
    /* the library's marked text is shown as it is; a page without one
     * is escaped and unmarked */
    const char *marked[] = {NULL, "Side to: <mark>LEGEVAKTA</mark> og utvida &lt;x&gt;"};
    sd_doc_view v = {.doc = &xss_doc, .texts = texts, .marked = marked, .n_texts = 2,
                     .first_page = 1, .q = "legevakt IKKE røntgen organ:Sel", .hit_page = 2};
    size_t len = 0;
    char *page = sd_html_document_page(&v, &len);
    assert_non_null(page);
    assert_no_xss(page);
    assert_has(page, "<div class=\"text\">Legevakten i &lt;script&gt;alert(1)&lt;/script&gt; "
                     "Sel: legevakt, røntgen.</div>");
    assert_has(page, "<div class=\"text\">Side to: <mark>LEGEVAKTA</mark> og utvida "
                     "&lt;x&gt;</div>");
    assert_lacks(page, "legevaktordning");
    assert_has(page, "<section class=\"page\" id=\"side-2\"><h3>Side 2</h3>");
    assert_has(page, "<a id=\"original\" href=\"/dokument/0123456789abcdef/original#page=2\">"
                     "Åpne originalfilen (PDF, side 2)</a>");
    assert_has(page, "<dt>Kommune</dt><dd>Sel</dd><dt>Dato</dt><dd>23.02.2018</dd>");
    assert_has(page, "<b>Vedtak (20 mot 7):</b> Vedtak om legevakt &quot;&gt;&lt;script");
    assert_has(page, "<a href=\"#side-1\">side 1</a>");
    /* a case past the pages shown links to the view of its page */
    assert_has(page, "<a href=\"/dokument/0123456789abcdef?q=legevakt%20IKKE%20r%C3%B8ntgen%20"
                     "organ%3ASel&amp;page=25#side-25\">side 25</a>");
    assert_has(page, "Neste sider →");
    assert_lacks(page, "/srv/");
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sd_html_text_escapes),
        cmocka_unit_test(test_sd_html_url_part),
        cmocka_unit_test(test_sd_html_buffer_bounded),
        cmocka_unit_test(test_sd_html_search_page_escapes_everything),
        cmocka_unit_test(test_sd_html_search_page_hit_links),
        cmocka_unit_test(test_sd_html_search_page_facets_and_chips),
        cmocka_unit_test(test_sd_html_search_page_paging),
        cmocka_unit_test(test_sd_html_search_page_messages),
        cmocka_unit_test(test_sd_html_document_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
