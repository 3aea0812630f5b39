/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for searchd/sd_json.c: the HTTP API's JSON, byte for byte, from
 * structs built by hand — keys in the contract's order, null for what is
 * unknown (and, where the contract says so, for ""), reals as before. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sd_json.h"

/* Fail unless got (freed here) is exactly want. */
static void assert_json(char *got, const char *want)
{
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("got  %s\nwant %s", got, want);
    free(got);
}

static void test_sd_json_search_full(void **state)
{
    (void)state;
    motesok_case_info c = {.number = "06/2018", .key = "6/2018", .title = "Legevakt",
                           .proposal = "", .decision = "Vedtatt.", .has_vote = true,
                           .vote = {"flertall", 22, 9}, .page = 4};
    motesok_file_ref twins[] = {{"0123456789abcdef", "pdf", "/a.pdf", 3},
                                {"1111111111111111", "txt", "/a.txt", 1}};
    motesok_hit hits[] = {
        {.rank = 1, .score = 7.91, .id = "0123456789abcdef", .path = "/a.pdf", .title = "T",
         .organ = "Formannskapet", .kommune = "Ringsaker", .date = "2018-02-23", .page = 2,
        .matched_case = &c, .files = twins, .n_files = 2,
         .snippet = "utvida <mark>legevakt</mark> &amp; røntgen", .ocr = true},
        {.rank = 2, .score = 1.0, .id = "fedcba9876543210", .path = "/b.txt", .title = "",
         .organ = NULL, .kommune = NULL, .date = NULL, .page = MOTESOK_NO_NUMBER,
         .matched_case = NULL, .snippet = ""},
    };
    motesok_facet_value organs[] = {{"Formannskapet", 3}, {"Bystyret", 1}};
    motesok_facet_value years[] = {{"2018", 5}};
    motesok_facet facets[] = {{"organ", organs, 2}, {"kommune", NULL, 0}, {"year", years, 1}};
    motesok_search_result r = {
        .query = "legevakt \"røntgen\"", .total = 12, .total_exact = false, .offset = 0,
        .limit = 10, .took_ms = 0.8, .suggestion = "legevakta", .suggestion_searched = true,
        .any_word = false, .hits = hits, .n_hits = 2, .facets = facets, .n_facets = 3};
    assert_json(sd_json_search(&r),
                "{\"query\":\"legevakt \\\"røntgen\\\"\",\"total\":12,\"total_exact\":false,"
                "\"offset\":0,\"limit\":10,\"took_ms\":0.8,\"suggestion\":\"legevakta\","
                "\"suggestion_searched\":true,\"any_word\":false,\"any_part\":false,\"limited\":false,\"limited_by\":[],\"hits\":["
                "{\"rank\":1,\"score\":7.91,\"id\":\"0123456789abcdef\",\"path\":\"/a.pdf\","
                "\"title\":\"T\",\"organ\":\"Formannskapet\",\"kommune\":\"Ringsaker\","
                "\"date\":\"2018-02-23\",\"page\":2,\"ocr\":true,\"case\":{\"number\":\"06/2018\","
                "\"title\":\"Legevakt\",\"proposal\":null,\"decision\":\"Vedtatt.\","
                "\"vote\":{\"outcome\":\"flertall\",\"for\":22,\"against\":9}},"
                "\"files\":[{\"id\":\"0123456789abcdef\",\"type\":\"pdf\",\"path\":\"/a.pdf\","
                "\"pages\":3},{\"id\":\"1111111111111111\",\"type\":\"txt\",\"path\":\"/a.txt\","
                "\"pages\":1}],"
                "\"snippet\":\"utvida <mark>legevakt</mark> &amp; røntgen\"},"
                "{\"rank\":2,\"score\":1.0,\"id\":\"fedcba9876543210\",\"path\":\"/b.txt\","
                "\"title\":null,\"organ\":null,\"kommune\":null,\"date\":null,\"page\":null,"
                "\"ocr\":false,\"case\":null,\"files\":[],\"snippet\":\"\"}],"
                "\"facets\":{\"organ\":{\"Formannskapet\":3,\"Bystyret\":1},\"kommune\":{},"
                "\"year\":{\"2018\":5}}}");
}

/* format=csv: the header row and one row per hit, quoted, CRLF; the
 * columns of motesok --format csv (common/table.c). */
static void test_sd_csv_search(void **state)
{
    (void)state;
    motesok_case_info c = {.number = "06/2018", .title = "Legevakt, \"ny\"", .decision = "Vedtatt.",
                           .has_vote = true, .vote = {"flertall", 22, 9}, .page = 4};
    motesok_file_ref twins[] = {{"0123456789abcdef", "pdf", "/a.pdf", 3},
                                {"1111111111111111", "txt", "/a, b.txt", 1}};
    motesok_file_ref single = {"fedcba9876543210", "txt", "/b.txt", 1};
    motesok_hit hits[] = {
        {.rank = 1, .score = 7.91, .id = "0123456789abcdef", .path = "/a.pdf", .title = "T",
         .organ = "Formannskapet", .kommune = "Ringsaker", .date = "2018-02-23", .page = 2,
         .matched_case = &c, .files = twins, .n_files = 2,
         .snippet = "utvida <mark>legevakt</mark> &amp; røntgen"},
        {.rank = 2, .score = 1.0, .id = "fedcba9876543210", .path = "/b.txt", .title = "",
         .page = MOTESOK_NO_NUMBER, .files = &single, .n_files = 1, .snippet = ""},
    };
    motesok_search_result r = {.query = "legevakt", .total = 2, .total_exact = true,
                               .limit = 10, .hits = hits, .n_hits = 2};
    size_t len = 0;
    char *csv = sd_csv_search(&r, &len);
    assert_non_null(csv);
    assert_int_equal(len, strlen(csv));
    assert_string_equal(csv,
        "\"rank\",\"id\",\"date\",\"organ\",\"kommune\",\"title\",\"case_number\",\"case_title\","
        "\"proposal\",\"decision\",\"vote\",\"votes_for\",\"votes_against\",\"page\",\"score\","
        "\"path\",\"snippet\",\"file_types\",\"file_ids\",\"twin_path\"\r\n"
        "\"1\",\"0123456789abcdef\",\"2018-02-23\",\"Formannskapet\",\"Ringsaker\",\"T\",\"06/2018\","
        "\"Legevakt, \"\"ny\"\"\",\"\",\"Vedtatt.\",\"flertall\",\"22\",\"9\",\"2\",\"7.910\",\"/a.pdf\","
        "\"utvida legevakt & røntgen\",\"pdf txt\",\"0123456789abcdef 1111111111111111\",\"/a, b.txt\"\r\n"
        "\"2\",\"fedcba9876543210\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"1.000\","
        "\"/b.txt\",\"\",\"txt\",\"fedcba9876543210\",\"\"\r\n");
    free(csv);
}

static void test_sd_json_search_empty(void **state)
{
    (void)state;
    motesok_facet facets[] = {{"organ", NULL, 0}, {"kommune", NULL, 0}, {"year", NULL, 0}};
    motesok_search_result r = {.query = "", .total = 0, .total_exact = true, .offset = 20,
                               .limit = 100, .took_ms = 12.0, .any_word = true,
                               .facets = facets, .n_facets = 3};
    assert_json(sd_json_search(&r),
                "{\"query\":\"\",\"total\":0,\"total_exact\":true,\"offset\":20,\"limit\":100,"
                "\"took_ms\":12.0,\"suggestion\":null,\"suggestion_searched\":false,"
                "\"any_word\":true,\"any_part\":false,\"limited\":false,\"limited_by\":[],\"hits\":[],"
                "\"facets\":{\"organ\":{},\"kommune\":{},\"year\":{}}}");
}

static void test_sd_json_search_limited(void **state)
{
    (void)state;
    motesok_search_result r = {.query = "a* b*", .total = 0, .total_exact = false,
                               .limit = 10, .took_ms = 2.5,
                               .limited = MOTESOK_LIMIT_TERMS | MOTESOK_LIMIT_WILDCARDS |
                                          MOTESOK_LIMIT_TIME};
    assert_json(sd_json_search(&r),
                "{\"query\":\"a* b*\",\"total\":0,\"total_exact\":false,\"offset\":0,"
                "\"limit\":10,\"took_ms\":2.5,\"suggestion\":null,\"suggestion_searched\":false,"
                "\"any_word\":false,\"any_part\":false,\"limited\":true,"
                "\"limited_by\":[\"terms\",\"wildcards\",\"time\"],\"hits\":[],\"facets\":{}}");
    r.limited = MOTESOK_LIMIT_DEPTH;
    char *js = sd_json_search(&r);
    assert_non_null(strstr(js, "\"limited\":true,\"limited_by\":[\"depth\"]"));
    free(js);
}

static void test_sd_json_search_case_without_vote(void **state)
{
    (void)state;
    motesok_case_info c = {.number = "", .title = NULL, .has_vote = false,
                           .page = MOTESOK_NO_NUMBER};
    motesok_hit h = {.rank = 3, .score = 0.125, .id = "0123456789abcdef", .path = "/c",
                     .title = "x", .page = 1, .matched_case = &c, .snippet = "s"};
    motesok_search_result r = {.query = "q", .total = 3, .offset = 2, .limit = 1,
                               .took_ms = 1.25, .hits = &h, .n_hits = 1};
    assert_json(sd_json_search(&r),
                "{\"query\":\"q\",\"total\":3,\"total_exact\":false,\"offset\":2,\"limit\":1,"
                "\"took_ms\":1.25,\"suggestion\":null,\"suggestion_searched\":false,"
                "\"any_word\":false,\"any_part\":false,\"limited\":false,\"limited_by\":[],\"hits\":[{\"rank\":3,\"score\":0.125,"
                "\"id\":\"0123456789abcdef\",\"path\":\"/c\",\"title\":\"x\",\"organ\":null,"
                "\"kommune\":null,\"date\":null,\"page\":1,\"ocr\":false,\"case\":{\"number\":null,"
                "\"title\":null,\"proposal\":null,\"decision\":null,\"vote\":null},"
                "\"files\":[],\"snippet\":\"s\"}],\"facets\":{}}");
}

static void test_sd_json_document(void **state)
{
    (void)state;
    motesok_case_info cases[] = {
        {.number = "11/2018", .key = "11/2018", .title = "Budsjett", .proposal = NULL,
         .decision = NULL, .has_vote = true, .vote = {NULL, MOTESOK_NO_NUMBER,
                                                      MOTESOK_NO_NUMBER}, .page = 1},
        {.number = "12/2018", .key = NULL, .title = "", .proposal = "Innstilling.",
         .decision = "Vedtak.", .has_vote = true, .vote = {"enstemmig", MOTESOK_NO_NUMBER,
                                                           MOTESOK_NO_NUMBER},
         .page = MOTESOK_NO_NUMBER},
    };
    motesok_file_ref files[] = {{"0123456789abcdef", "pdf", "/srv/a.pdf", 3},
                                {"1111111111111111", "txt", "/srv/a.txt", 1}};
    const int64_t ocr_pages[] = {2, 3};
    motesok_document d = {
        .id = "0123456789abcdef", .path = "/srv/a.pdf", .title = "Møtebok", .organ = "Formannskapet",
        .kommune = NULL, .date = "2018-06-14", .place = "Rådhuset", .present = "", .absent = NULL,
        .referent = "Kari", .mime = "application/pdf", .encoding = "", .pages = 3, .size = 1000,
        .mtime = 1519372800, .status = "ok", .hash = "00112233aabbccdd",
        .indexed_at = 1700000000, .cases = cases, .n_cases = 2, .files = files, .n_files = 2,
        .ocr_pages = ocr_pages, .n_ocr_pages = 2};
    assert_json(sd_json_document(&d),
                "{\"id\":\"0123456789abcdef\",\"path\":\"/srv/a.pdf\",\"title\":\"Møtebok\","
                "\"organ\":\"Formannskapet\",\"kommune\":null,\"date\":\"2018-06-14\","
                "\"place\":\"Rådhuset\",\"present\":null,\"absent\":null,\"referent\":\"Kari\","
                "\"mime\":\"application/pdf\",\"encoding\":null,\"pages\":3,\"size\":1000,"
                "\"mtime\":1519372800,\"status\":\"ok\",\"hash\":\"00112233aabbccdd\","
                "\"indexed_at\":1700000000,\"files\":[{\"id\":\"0123456789abcdef\",\"type\":\"pdf\","
                "\"path\":\"/srv/a.pdf\",\"pages\":3},{\"id\":\"1111111111111111\",\"type\":\"txt\","
                "\"path\":\"/srv/a.txt\",\"pages\":1}],\"cases\":["
                "{\"number\":\"11/2018\",\"key\":\"11/2018\",\"title\":\"Budsjett\","
                "\"proposal\":null,\"decision\":null,"
                "\"vote\":{\"outcome\":null,\"for\":null,\"against\":null},\"page\":1},"
                "{\"number\":\"12/2018\",\"key\":null,\"title\":\"\","
                "\"proposal\":\"Innstilling.\",\"decision\":\"Vedtak.\","
                "\"vote\":{\"outcome\":\"enstemmig\",\"for\":null,\"against\":null},"
                "\"page\":null}],\"ocr_pages\":[2,3]}");
    /* no store row, no cases, nothing known */
    motesok_document bare = {.id = "0123456789abcdef", .pages = MOTESOK_NO_NUMBER,
                             .size = MOTESOK_NO_NUMBER, .mtime = MOTESOK_NO_NUMBER,
                             .indexed_at = MOTESOK_NO_NUMBER};
    assert_json(sd_json_document(&bare),
                "{\"id\":\"0123456789abcdef\",\"path\":null,\"title\":null,\"organ\":null,"
                "\"kommune\":null,\"date\":null,\"place\":null,\"present\":null,\"absent\":null,"
                "\"referent\":null,\"mime\":null,\"encoding\":null,\"pages\":null,\"size\":null,"
                "\"mtime\":null,\"status\":null,\"hash\":null,\"indexed_at\":null,\"files\":[],"
                "\"cases\":[],\"ocr_pages\":[]}");
}

static void test_sd_json_text(void **state)
{
    (void)state;
    motesok_page_text t = {.id = "0123456789abcdef", .page = 0, .pages = 2,
                           .text = "Side 1\n\n\"Side\" 2", .text_len = 16, .ocr = true};
    assert_json(sd_json_text(&t), "{\"id\":\"0123456789abcdef\",\"page\":0,\"pages\":2,"
                                  "\"ocr\":true,\"text\":\"Side 1\\n\\n\\\"Side\\\" 2\"}");
    /* text_len counts, not the NUL: a NUL byte in a text is kept */
    motesok_page_text nul = {.id = "0123456789abcdef", .page = 1, .pages = 1, .text = "a\0b",
                             .text_len = 3};
    assert_json(sd_json_text(&nul), "{\"id\":\"0123456789abcdef\",\"page\":1,\"pages\":1,"
                                    "\"ocr\":false,\"text\":\"a\\u0000b\"}");
    /* text that is not UTF-8 cannot be JSON: NULL, not a broken answer */
    motesok_page_text bad = {.id = "0123456789abcdef", .page = 1, .pages = 1, .text = "\xff",
                             .text_len = 1};
    assert_null(sd_json_text(&bad));
}

static void test_sd_json_status(void **state)
{
    (void)state;
    motesok_failure_count fails[] = {{"ERR_ENCRYPTED", 1}, {"ERR_UNSUPPORTED", 2}};
    motesok_index_status st = {
        .documents = 4, .cases = 2, .failed = 1, .unsupported = 2, .revision = 7,
        .last_run = "2024-05-01T10:00:00Z", .failures = fails, .n_failures = 2,
        .index_bytes = 123456, .shards = 2, .analysis_loaded = "2:0011223344556677",
        .analysis_index = "2:0011223344556677", .analysis_same = true,
        .ocr_pages_kept = 12, .ocr_last_run_pages = 3, .ocr_last_run_cached = 9,
        .ocr_last_run_seconds = 12.5};
    assert_json(sd_json_status(&st),
                "{\"documents\":4,\"cases\":2,\"failed\":1,\"unsupported\":2,\"revision\":7,"
                "\"last_run\":\"2024-05-01T10:00:00Z\",\"failures\":{\"ERR_ENCRYPTED\":1,"
                "\"ERR_UNSUPPORTED\":2},\"index_bytes\":123456,\"shards\":2,"
                "\"ocr\":{\"pages_kept\":12,\"last_run_pages\":3,\"last_run_cache_hits\":9,"
                "\"last_run_seconds\":12.5,\"last_run_seconds_per_page\":4.167},"
                "\"analysis\":{\"loaded\":\"2:0011223344556677\","
                "\"index\":\"2:0011223344556677\",\"same\":true}}");
    motesok_index_status empty = {.last_run = "", .analysis_loaded = "2:0011223344556677",
                                  .shards = 1};
    assert_json(sd_json_status(&empty),
                "{\"documents\":0,\"cases\":0,\"failed\":0,\"unsupported\":0,\"revision\":0,"
                "\"last_run\":null,\"failures\":{},\"index_bytes\":0,\"shards\":1,"
                "\"ocr\":{\"pages_kept\":0,\"last_run_pages\":0,\"last_run_cache_hits\":0,"
                "\"last_run_seconds\":0.0,\"last_run_seconds_per_page\":null},"
                "\"analysis\":{\"loaded\":\"2:0011223344556677\",\"index\":null,"
                "\"same\":false}}");
}

static void test_sd_json_problems(void **state)
{
    (void)state;
    motesok_problem_file files[] = {
        {"/m/m\xf8tebok.pdf", "failed", "ERR_PARSE", "the extractor stopped", 1700000000},
        {"/m/bilde.png", "unsupported", "ERR_UNSUPPORTED", "image/png", 1690000000},
    };
    motesok_problem_list l = {.total = 7, .offset = 0, .limit = 2, .files = files, .n = 2};
    char *j = sd_json_problems(&l);
    assert_non_null(j);
    assert_string_equal(j, "{\"total\":7,\"offset\":0,\"limit\":2,\"files\":["
                           "{\"path\":\"/m/m\\\\xF8tebok.pdf\",\"status\":\"failed\",\"reason\":\"ERR_PARSE\","
                           "\"message\":\"the extractor stopped\",\"at\":1700000000},"
                           "{\"path\":\"/m/bilde.png\",\"status\":\"unsupported\",\"reason\":\"ERR_UNSUPPORTED\","
                           "\"message\":\"image/png\",\"at\":1690000000}]}");
    free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sd_json_search_full),
        cmocka_unit_test(test_sd_csv_search),
        cmocka_unit_test(test_sd_json_search_empty),
        cmocka_unit_test(test_sd_json_search_limited),
        cmocka_unit_test(test_sd_json_search_case_without_vote),
        cmocka_unit_test(test_sd_json_document),
        cmocka_unit_test(test_sd_json_text),
        cmocka_unit_test(test_sd_json_status),
        cmocka_unit_test(test_sd_json_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
