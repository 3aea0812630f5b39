/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for cli/cli_render.c: terminal text from the daemon's JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_render.h"
#include "table.h"
#include "term.h"

static const char search_json[] =
    "{\"query\":\"legevakt\",\"total\":2,\"offset\":0,\"limit\":10,\"took_ms\":0.8,"
    "\"suggestion\":null,\"hits\":["
    "{\"rank\":1,\"score\":7.9,\"id\":\"a\",\"path\":\"/m/ru.pdf\",\"title\":\"Referat\","
    "\"organ\":\"Rådmannsutvalget\",\"date\":\"2018-02-23\",\"page\":2,"
    "\"case\":{\"number\":\"06/2018\",\"title\":\"Orientering\",\"decision\":\"Utvida legevakt vedtas.\"},"
    "\"snippet\":\"… utvida <mark>legevakt</mark> &amp; røntgen &lt;ok&gt; …\"},"
    "{\"rank\":2,\"score\":1.5,\"id\":\"b\",\"path\":\"/m/x.txt\",\"title\":null,"
    "\"organ\":null,\"date\":null,\"page\":null,\"case\":null,\"snippet\":\"\"}],"
    "\"facets\":{\"organ\":{\"Rådmannsutvalget\":1},\"year\":{\"2018\":1}}}";

/* Render with fn into a string. */
static char *render(void (*fn)(FILE *, json_t *, const cli_style *), const char *json, bool bold)
{
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cli_style st = {.bold = bold, .width = 80};
    fn(out, j, &st);
    fclose(out);
    json_decref(j);
    return buf;
}

static void test_cli_snippet_text_marks_and_entities(void **state)
{
    (void)state;
    char *t = cli_snippet_text("a <mark>legevakt</mark> &amp; &lt;b&gt; &quot;x&quot; &#39;y&#39;", false);
    assert_string_equal(t, "a legevakt & <b> \"x\" 'y'");
    free(t);
    t = cli_snippet_text("<mark>røntgen</mark>", true);
    assert_string_equal(t, "\033[1mrøntgen\033[0m");
    free(t);
}

/* A hit with a kommune and a case that has only a proposal; a document
 * whose cases carry proposals, decisions and votes. */
static const char proposal_json[] =
    "{\"query\":\"tomt\",\"total\":1,\"offset\":0,\"limit\":10,\"took_ms\":0.5,"
    "\"suggestion\":null,\"hits\":[{\"rank\":1,\"score\":2.0,\"id\":\"c\",\"path\":\"/m/f.txt\","
    "\"title\":\"Møteprotokoll\",\"organ\":\"Formannskapet\",\"kommune\":\"Ringsaker\","
    "\"date\":\"2009-03-12\",\"page\":null,\"case\":{\"number\":\"57/09\",\"title\":\"Tomt\","
    "\"proposal\":\"Kommunen kjøper tomta.\",\"decision\":null,\"vote\":{\"outcome\":null,"
    "\"for\":null,\"against\":null}},\"snippet\":\"\"}],"
    "\"facets\":{\"organ\":{\"Formannskapet\":1},\"kommune\":{\"Ringsaker\":1},\"year\":{}}}";
static const char document_json[] =
    "{\"id\":\"c\",\"path\":\"/m/f.txt\",\"title\":\"Møteprotokoll\",\"organ\":\"Formannskapet\","
    "\"kommune\":\"Ringsaker\",\"date\":\"2009-03-12\",\"cases\":["
    "{\"number\":\"56/09\",\"title\":\"Brannstasjon\",\"proposal\":\"Bygg ny.\",\"decision\":\"Bygg ny"
    " i Moelv.\",\"vote\":{\"outcome\":\"flertall\",\"for\":15,\"against\":12},\"page\":1},"
    "{\"number\":\"57/09\",\"title\":\"Tomt\",\"proposal\":\"Kjøp tomta.\",\"decision\":null,"
    "\"vote\":{\"outcome\":null,\"for\":null,\"against\":null},\"page\":1}]}";

static void test_cli_render_proposal_is_not_a_decision(void **state)
{
    (void)state;
    char *s = render(cli_render_search, proposal_json, false);
    assert_non_null(strstr(s, "Formannskapet · Ringsaker · 2009-03-12 · sak 57/09 Tomt"));
    assert_non_null(strstr(s, "    Innstilling: Kommunen kjøper tomta.\n"));
    assert_null(strstr(s, "Vedtak"));
    assert_non_null(strstr(s, "Kommune: Ringsaker (1)"));
    free(s);
    s = render(cli_render_document, document_json, false);
    assert_non_null(strstr(s, "Kommune:"));
    assert_non_null(strstr(s, "Innstilling: Bygg ny.\n"));
    assert_non_null(strstr(s, "Vedtak (15 mot 12): Bygg ny i Moelv.\n"));
    assert_non_null(strstr(s, "Innstilling: Kjøp tomta.\n"));
    free(s);
}

static void test_cli_render_search_plain(void **state)
{
    (void)state;
    char *s = render(cli_render_search, search_json, false);
    assert_non_null(strstr(s, "2 treff for «legevakt» (0.8 ms); viser 1–2"));
    assert_non_null(strstr(s, " 1. Referat\n"));
    assert_non_null(strstr(s, "Rådmannsutvalget · 2018-02-23 · sak 06/2018 Orientering"));
    assert_non_null(strstr(s, "    id a · /m/ru.pdf, side 2\n")); /* the id that show takes */
    assert_non_null(strstr(s, "    Vedtak: Utvida legevakt vedtas.\n"));
    assert_non_null(strstr(s, "utvida legevakt & røntgen <ok>"));
    assert_non_null(strstr(s, " 2. x.txt\n")); /* no title: file name */
    assert_non_null(strstr(s, "    id b · /m/x.txt\n"));
    assert_null(strstr(s, "\033["));              /* no escapes when not bold */
    assert_non_null(strstr(s, "Organ: Rådmannsutvalget (1)"));
    assert_non_null(strstr(s, "År: 2018 (1)"));
    free(s);
    s = render(cli_render_search, search_json, true);
    assert_non_null(strstr(s, "\033[1mlegevakt\033[0m"));
    free(s);
}

static void test_cli_render_search_no_hits_and_suggestion(void **state)
{
    (void)state;
    char *s = render(cli_render_search,
                     "{\"query\":\"rehabiltering\",\"total\":0,\"offset\":0,\"limit\":10,"
                     "\"took_ms\":0.1,\"suggestion\":\"rehabilitering\",\"hits\":[],\"facets\":{}}",
                     false);
    assert_string_equal(s, "Mente du: rehabilitering\nIngen treff for «rehabiltering».\n");
    free(s);
    /* the suggestion was searched as well, and then any word */
    s = render(cli_render_search,
               "{\"query\":\"rehabiltering plan\",\"total\":1,\"offset\":0,\"limit\":10,"
               "\"took_ms\":0.1,\"suggestion\":\"rehabilitering plan\",\"suggestion_searched\":true,"
               "\"any_word\":true,\"hits\":[{\"rank\":1,\"path\":\"/p\",\"title\":\"T\"}],"
               "\"facets\":{}}",
               false);
    assert_non_null(strstr(s, "Mente du: rehabilitering plan (tatt med i søket)\n"
                              "Få eller ingen treff med alle ordene; viser treff med minst ett av dem.\n"
                              "1 treff for «rehabiltering plan»"));
    free(s);
    /* a compound let match by its parts: the message says so */
    s = render(cli_render_search,
               "{\"query\":\"ungdomssymfoniorkester\",\"total\":1,\"offset\":0,\"limit\":10,"
               "\"took_ms\":0.1,\"any_word\":true,\"any_part\":true,"
               "\"hits\":[{\"rank\":1,\"path\":\"/p\",\"title\":\"T\"}],\"facets\":{}}",
               false);
    assert_non_null(strstr(s, "viser treff med minst ett av dem eller av delene i de "
                              "sammensatte ordene.\n"));
    free(s);
}

static void test_cli_render_search_limited(void **state)
{
    (void)state;
    char *s = render(cli_render_search,
                     "{\"query\":\"a* b*\",\"total\":1,\"offset\":0,\"limit\":10,"
                     "\"took_ms\":0.1,\"limited\":true,\"limited_by\":[\"terms\",\"wildcards\"],"
                     "\"hits\":[{\"rank\":1,\"path\":\"/p\",\"title\":\"T\"}],\"facets\":{}}",
                     false);
    assert_non_null(strstr(s, "Søket ble avgrenset (terms, wildcards); treffene kan være "
                              "ufullstendige.\n1 treff for «a* b*»"));
    free(s);
    /* not limited: no such line */
    s = render(cli_render_search,
               "{\"query\":\"a\",\"total\":0,\"offset\":0,\"limit\":10,\"took_ms\":0.1,"
               "\"limited\":false,\"limited_by\":[],\"hits\":[],\"facets\":{}}",
               false);
    assert_string_equal(s, "Ingen treff for «a».\n");
    free(s);
}

/* Render json as a search answer with the style st into a string. */
static char *render_style(const char *json, cli_style st)
{
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cli_render_search(out, j, &st);
    fclose(out);
    json_decref(j);
    return buf;
}

/* True if s is valid UTF-8 (lead bytes followed by their continuations). */
static bool valid_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;
        for (int k = 1; k <= n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

/* Columns of the UTF-8 text s[0..n) (one a character). */
static int columns(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* A long decision is one line that fits the width, cut at a word end and
 * marked "…", wherever the cut falls (before, inside or after an æ);
 * --long shows it whole, wrapped. */
static void test_cli_render_cuts_long_decision(void **state)
{
    (void)state;
    for (int shift = 0; shift < 4; shift++) {
        char decision[700] = "";
        for (int k = 0; k < shift; k++)
            strcat(decision, "x");
        while (strlen(decision) < 600)
            strcat(decision, "Vedtatt ærlig ");
        strcat(decision, "SLUTT");
        char json[1200];
        snprintf(json, sizeof json,
                 "{\"query\":\"q\",\"total\":1,\"offset\":0,\"limit\":10,\"took_ms\":1,"
                 "\"hits\":[{\"rank\":1,\"path\":\"/p\",\"title\":\"T\",\"case\":{\"number\":\"1/18\","
                 "\"title\":\"S\",\"decision\":\"%s\"}}]}", decision);
        char *s = render_style(json, (cli_style){.width = 80});
        const char *v = strstr(s, "    Vedtak: ");
        assert_non_null(v);
        const char *end = strchr(v, '\n');
        assert_non_null(end);
        assert_true(columns(v, (size_t)(end - v)) <= 80);
        assert_true(columns(v, (size_t)(end - v)) >= 70); /* the line is used */
        assert_true(end - v > 4 && memcmp(end - 3, "…", 3) == 0);
        /* a whole word before the mark */
        assert_true(memcmp(end - 10, "Vedtatt", 7) == 0 || memcmp(end - 9, "ærlig", 6) == 0);
        assert_null(strstr(s, "SLUTT"));
        assert_true(valid_utf8(s));
        free(s);
        s = render_style(json, (cli_style){.width = 80, .long_text = true});
        assert_non_null(strstr(s, "ærlig SLUTT\n")); /* all of it */
        assert_null(strstr(s, "…\n"));
        for (char *line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n"))
            assert_true(columns(line, strlen(line)) <= 80);
        free(s);
    }
}

/* One line: whole when it fits, else cut at the last word end that leaves
 * room for "…", or inside a first word longer than the line. */
static void test_cli_one_line(void **state)
{
    (void)state;
    struct { const char *in; int cols; const char *want; } cases[] = {
        {"kort vedtak", 40, "kort vedtak"},
        {"  mange   \n mellomrom \t her ", 40, "mange mellomrom her"},
        {"aaa bbb ccc", 11, "aaa bbb ccc"},   /* exactly fits */
        {"aaa bbb ccc", 10, "aaa bbb…"},
        {"aaa bbb ccc", 8, "aaa bbb…"},        /* the word ends where the line does */
        {"aaa bbb ccc", 7, "aaa…"},
        {"æææææææææ", 5, "ææææ…"},            /* one long word: cut inside, whole letters */
        {"", 10, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = cli_one_line(cases[i].in, cases[i].cols);
        assert_non_null(got);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

/* An offset past the last hit says so, never "viser 101–100". */
static void test_cli_render_offset_past_the_end(void **state)
{
    (void)state;
    char *s = render(cli_render_search,
                     "{\"query\":\"legevakt\",\"total\":6,\"total_exact\":true,\"offset\":100,"
                     "\"limit\":10,\"took_ms\":0.1,\"hits\":[],\"facets\":{}}", false);
    assert_null(strstr(s, "viser"));
    assert_string_equal(s, "Ingen treff fra nr. 101; det er 6 treff for «legevakt».\n");
    free(s);
    /* a list without words (search --decisions) has no «» */
    s = render(cli_render_search,
               "{\"query\":\"\",\"total\":2,\"total_exact\":true,\"offset\":0,\"limit\":10,"
               "\"took_ms\":0.1,\"hits\":[{\"rank\":1,\"id\":\"a\",\"path\":\"/p\",\"title\":\"T\"}],"
               "\"facets\":{}}", false);
    assert_non_null(strstr(s, "2 treff (0.1 ms); viser 1–1\n"));
    free(s);
}

/* organs/kommuner: one value a line with its count, most frequent first. */
static void test_cli_render_facet_list(void **state)
{
    (void)state;
    json_t *j = json_loads("{\"facets\":{\"organ\":{\"Kommunestyret\":12,\"Formannskapet\":3},"
                           "\"kommune\":{}}}", 0, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cli_render_facet_list(out, j, "organ");
    cli_render_facet_list(out, j, "kommune");
    fclose(out);
    assert_string_equal(buf, "    12  Kommunestyret\n     3  Formannskapet\nIngen verdier.\n");
    free(buf);
    json_decref(j);
}

/* Hits as CSV: a header row, every field quoted with quotes doubled, line
 * ends kept inside quotes, CRLF between rows; as TSV: tabs and line ends in
 * a field are spaces. Neither lets a terminal escape through. */
static void test_table_hits_csv_and_tsv(void **state)
{
    (void)state;
    json_t *j = json_loads(
        "{\"hits\":[{\"rank\":1,\"score\":7.25,\"id\":\"00ff\",\"date\":\"2018-02-23\","
        "\"organ\":\"Formannskapet, Ås\",\"kommune\":null,\"title\":\"Sak \\\"X\\\"\\u001b[2J\","
        "\"page\":2,\"path\":\"/m/a.pdf\",\"case\":{\"number\":\"6/18\",\"title\":\"T\\tU\","
        "\"proposal\":null,\"decision\":\"Linje 1\\nLinje 2\",\"vote\":{\"outcome\":\"flertall\","
        "\"for\":15,\"against\":12}},\"files\":[{\"id\":\"00ff\",\"type\":\"pdf\","
        "\"path\":\"/m/a.pdf\"},{\"id\":\"11aa\",\"type\":\"txt\",\"path\":\"/m/a\\tb.txt\"}],"
        "\"snippet\":\"… <mark>legevakt</mark> &amp; røntgen\"}]}",
        0, NULL);
    assert_non_null(j);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    msk_table_hits(out, MSK_TABLE_CSV, j, true);
    fclose(out);
    assert_string_equal(buf,
        "\"rank\",\"id\",\"date\",\"organ\",\"kommune\",\"title\",\"case_number\",\"case_title\","
        "\"proposal\",\"decision\",\"vote\",\"votes_for\",\"votes_against\",\"page\",\"score\","
        "\"path\",\"snippet\",\"file_types\",\"file_ids\",\"twin_path\"\r\n"
        "\"1\",\"00ff\",\"2018-02-23\",\"Formannskapet, Ås\",\"\",\"Sak \"\"X\"\"\\x1B[2J\","
        "\"6/18\",\"T\tU\",\"\",\"Linje 1\nLinje 2\",\"flertall\",\"15\",\"12\",\"2\",\"7.250\","
        "\"/m/a.pdf\",\"… legevakt & røntgen\",\"pdf txt\",\"00ff 11aa\",\"/m/a\tb.txt\"\r\n");
    free(buf);
    out = open_memstream(&buf, &len);
    msk_table_hits(out, MSK_TABLE_TSV, j, false);
    fclose(out);
    assert_string_equal(buf,
        "1\t00ff\t2018-02-23\tFormannskapet, Ås\t\tSak \"X\"\\x1B[2J\t6/18\tT U\t\t"
        "Linje 1 Linje 2\tflertall\t15\t12\t2\t7.250\t/m/a.pdf\t… legevakt & røntgen\t"
        "pdf txt\t00ff 11aa\t/m/a b.txt\n");
    assert_null(strchr(buf, '\x1b'));
    free(buf);
    json_decref(j);
    msk_table_format f;
    assert_true(msk_table_format_named("csv", &f) && f == MSK_TABLE_CSV);
    assert_true(msk_table_format_named("tsv", &f) && f == MSK_TABLE_TSV);
    assert_false(msk_table_format_named("json", &f));
}

static void test_cli_render_wraps_long_snippets(void **state)
{
    (void)state;
    char json[2048];
    char words[1200] = "";
    for (int i = 0; i < 60; i++)
        strcat(words, "samarbeid ");
    snprintf(json, sizeof json,
             "{\"query\":\"q\",\"total\":1,\"offset\":0,\"limit\":10,\"took_ms\":1,"
             "\"hits\":[{\"rank\":1,\"path\":\"/p\",\"title\":\"T\",\"snippet\":\"%s\"}]}", words);
    char *s = render(cli_render_search, json, false);
    for (char *line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n"))
        assert_true(strlen(line) <= 80);
    free(s);
}

/* Render a status answer (JSON text) into a string. */
static char *render_status(const char *json)
{
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cli_render_status(out, j);
    fclose(out);
    json_decref(j);
    return buf;
}

static void test_cli_render_status_and_error(void **state)
{
    (void)state;
    char *buf = render_status("{\"documents\":10,\"cases\":0,\"failed\":2,\"unsupported\":1,"
                               "\"revision\":7,\"last_run\":\"2026-11-25T01:00:00Z\","
                               "\"failures\":{\"ERR_PARSE\":2}}");
    assert_non_null(strstr(buf, "Dokumenter:     10\n"));
    assert_non_null(strstr(buf, "Ikke støttet:   1\n")); /* aligned by characters */
    assert_non_null(strstr(buf, "ERR_PARSE"));
    assert_null(strstr(buf, "Språkanalyse")); /* nothing said when all is well */
    free(buf);
    /* the daemon and the index disagree on the analysis: say what to do */
    buf = render_status("{\"documents\":1,\"analysis\":{\"loaded\":\"1:aa\",\"index\":\"1:bb\","
                        "\"same\":false}}");
    assert_non_null(strstr(buf, "Språkanalyse:   endret siden indekseringen"));
    free(buf);
    /* OCR: the time a page took, with a decimal comma; none when no page was read */
    buf = render_status("{\"documents\":1,\"ocr\":{\"pages_kept\":12,\"last_run_pages\":3,"
                        "\"last_run_cache_hits\":9,\"last_run_seconds\":12.5,"
                        "\"last_run_seconds_per_page\":4.167}}");
    assert_non_null(strstr(buf, "OCR:            3 sider lest sist (4,2 s per side), "
                                "9 fra lagret OCR-tekst; 12 sider lagret\n"));
    free(buf);
    buf = render_status("{\"documents\":1,\"ocr\":{\"pages_kept\":12,\"last_run_pages\":0,"
                        "\"last_run_cache_hits\":9,\"last_run_seconds\":0.0,"
                        "\"last_run_seconds_per_page\":null}}");
    assert_non_null(strstr(buf, "OCR:            0 sider lest sist, 9 fra lagret OCR-tekst; "
                                "12 sider lagret\n"));
    free(buf);
    json_t *j = json_loads("{\"error\":{\"code\":\"bad_request\",\"message\":\"limit: at most 100\"}}", 0, NULL);
    const char *code = NULL;
    assert_string_equal(cli_error_message(j, &code), "limit: at most 100");
    assert_string_equal(code, "bad_request");
    json_decref(j);
    j = json_loads("{}", 0, NULL);
    assert_null(cli_error_message(j, &code));
    json_decref(j);
}

static void test_term_escape(void **state)
{
    (void)state;
    static const struct { const char *in, *want; bool lines; } cases[] = {
        {"Møtebok 2019.pdf", "Møtebok 2019.pdf", false},       /* printable UTF-8 stays */
        {"a\nb\tc", "a\\x0Ab\\x09c", false},                  /* a name forges no line */
        {"a\nb\tc", "a\nb\tc", true},                          /* running text keeps them */
        {"\x1b[2Jx", "\\x1B[2Jx", true},                         /* no terminal escapes */
        {"m\xf8tebok.txt", "m\\xF8tebok.txt", false},            /* Latin-1, not UTF-8 */
        {"\xc2\x9b" "31m", "\\xC2\\x9B31m", false},                 /* C1 CSI */
        {"\xed\xa0\x80", "\\xED\\xA0\\x80", false},             /* a surrogate */
        {"m\\xF8te", "m\\xF8te", false},                       /* escaped once only */
        {"\x7f", "\\x7F", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = msk_term_escaped(cases[i].in, cases[i].lines);
        assert_non_null(got);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    char small[8];
    assert_int_equal(msk_term_escape("\x01\x02\x03", 3, small, sizeof small, false), 4); /* whole escapes */
    assert_string_equal(small, "\\x01");
}

static void test_cli_render_escapes_what_the_index_holds(void **state)
{
    (void)state;
    static const char forged[] =
        "{\"query\":\"x\",\"total\":1,\"offset\":0,\"limit\":10,\"took_ms\":1,\"suggestion\":null,"
        "\"hits\":[{\"rank\":1,\"score\":1,\"id\":\"a\",\"path\":\"/m/a\\nmotesok: ok\\u001b[2J.txt\","
        "\"title\":\"T\\u001b]0;pwned\\u0007\",\"organ\":null,\"date\":null,\"page\":null,\"case\":null,"
        "\"snippet\":\"s\"}],\"facets\":{}}";
    char *out = render(cli_render_search, forged, false);
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x07'));
    assert_non_null(strstr(out, "/m/a\\x0Amotesok: ok\\x1B[2J.txt"));
    assert_null(strstr(out, "\nmotesok: ok"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_snippet_text_marks_and_entities),
        cmocka_unit_test(test_term_escape),
        cmocka_unit_test(test_cli_render_escapes_what_the_index_holds),
        cmocka_unit_test(test_cli_render_search_plain),
        cmocka_unit_test(test_cli_render_proposal_is_not_a_decision),
        cmocka_unit_test(test_cli_render_search_no_hits_and_suggestion),
        cmocka_unit_test(test_cli_render_search_limited),
        cmocka_unit_test(test_cli_render_wraps_long_snippets),
        cmocka_unit_test(test_cli_render_cuts_long_decision),
        cmocka_unit_test(test_cli_one_line),
        cmocka_unit_test(test_cli_render_offset_past_the_end),
        cmocka_unit_test(test_cli_render_facet_list),
        cmocka_unit_test(test_table_hits_csv_and_tsv),
        cmocka_unit_test(test_cli_render_status_and_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
