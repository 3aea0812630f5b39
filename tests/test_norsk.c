/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for the Norwegian analysis: lib/analysis/norsk.c (the data, compound
 * splitting) and the shim's use of it (stems, compound parts, synonyms,
 * spelling), on the shipped data/norsk files and Debian's hunspell-no. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "extract/extract.h"
#include "xapian/xapian.h"
#include "analysis/lang.h"
#include "analysis/norsk.h"
#include "analysis/query.h"
#include "schema.h"
#include "xapian/shim_internal.h"
#include "test_tmpdir.h"

#define DATA_DIR MOTESOK_SOURCE_DIR "/data"
#define HUNSPELL_DIR "/usr/share/hunspell"
/* The Nynorsk pairs the build generates from apertium-nno-nob, when it is
 * installed (CMakeLists.txt); the tests read them after data/, as the
 * programs of the build tree do. */
#define GENERATED_DIR MOTESOK_BINARY_DIR "/data-apertium"
#define GENERATED_PAIRS GENERATED_DIR "/norsk/nynorsk.txt"
/* The compound table the build generates beside them (lt-proc). */
#define GENERATED_COMPOUNDS GENERATED_DIR "/norsk/compounds.txt"

/* ---- the data ------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A new data folder dir (for msk_norsk_load) with its norsk/ in sub. */
static void make_data_dir(char dir[256], char sub[300], const char *name)
{
    assert_true(msk_test_mkdtemp(dir, 256, name));
    snprintf(sub, 300, "%s/norsk", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
}

static void test_load_reads_files_and_reports_bad_lines(void **state)
{
    (void)state;
    char dir[256], sub[300], p[400];
    make_data_dir(dir, sub, "norsk");
    snprintf(p, sizeof p, "%s/nynorsk.txt", sub);
    write_file(p, "# comment\nTeneste tjeneste\n\neitt\n  sjukehus\tsykehus  # trailing\n");
    snprintf(p, sizeof p, "%s/stopwords.txt", sub);
    write_file(p, "og\nIKKJE\nto ord\n");
    snprintf(p, sizeof p, "%s/synonyms.txt", sub);
    write_file(p, "KAD | kommunal akutt døgnenhet\nensom\nlms | 12 senter | lokalmedisinsk senter\n");
    snprintf(p, sizeof p, "%s/nosplit.txt", sub);
    write_file(p, "helsesamarbeid\n");
    msk_norsk *n = NULL;
    motesok_error err;
    assert_int_equal(msk_norsk_load(dir, "/nonexistent", &n, &err), MOTESOK_OK);
    /* pairs folded, comments and malformed lines skipped */
    assert_int_equal(msk_norsk_n_pairs(n), 2);
    const char *nn, *nb;
    msk_norsk_pair(n, 0, &nn, &nb);
    assert_string_equal(nn, "teneste");
    assert_string_equal(nb, "tjeneste");
    msk_norsk_pair(n, 1, &nn, &nb);
    assert_string_equal(nn, "sjukehus");
    assert_string_equal(nb, "sykehus");
    assert_int_equal(msk_norsk_n_stopwords(n), 2);
    assert_true(msk_norsk_stopword(n, "ikkje", 5));
    assert_false(msk_norsk_stopword(n, "to", 2));
    /* groups: members folded, words joined by one space */
    assert_int_equal(msk_norsk_n_groups(n), 2);
    const char *const *m;
    assert_int_equal(msk_norsk_group(n, 0, &m), 2);
    assert_string_equal(m[0], "kad");
    assert_string_equal(m[1], "kommunal akutt døgnenhet");
    assert_int_equal(msk_norsk_group(n, 1, &m), 2);
    assert_string_equal(m[1], "lokalmedisinsk senter");
    /* every problem named with file and line */
    const char *w = msk_norsk_warnings(n);
    assert_non_null(strstr(w, "nynorsk.txt:4: expected two words"));
    assert_non_null(strstr(w, "stopwords.txt:3: expected one word"));
    assert_non_null(strstr(w, "synonyms.txt:2: a group needs two members"));
    assert_non_null(strstr(w, "synonyms.txt:3: member \" 12 senter \" is not made of letters"));
    assert_non_null(strstr(w, "nb_NO.aff not found"));
    /* without dictionaries nothing splits */
    assert_int_equal(msk_norsk_n_words(n), 0);
    msk_split sp;
    assert_false(msk_norsk_split(n, "kommunestyret", 13, &sp));
    /* the fingerprint follows the contents */
    uint64_t before = msk_norsk_fingerprint(n);
    msk_norsk_free(n);
    write_file(p, "helsesamarbeid\nlegevakt\n");
    assert_int_equal(msk_norsk_load(dir, "/nonexistent", &n, &err), MOTESOK_OK);
    assert_true(msk_norsk_fingerprint(n) != before);
    msk_norsk_free(n);
    /* no data at all is no error, but said */
    assert_int_equal(msk_norsk_load("/nonexistent", "", &n, &err), MOTESOK_OK);
    assert_non_null(strstr(msk_norsk_warnings(n), "no norsk/ data in /nonexistent"));
    msk_norsk_free(n);
    msk_test_rmtree(dir);
}

/* words.txt adds compound parts the dictionaries lack. */
static void test_load_extra_words(void **state)
{
    (void)state;
    char dir[256], sub[300], p[400];
    make_data_dir(dir, sub, "words");
    msk_norsk *n = NULL;
    assert_int_equal(msk_norsk_load(dir, HUNSPELL_DIR, &n, NULL), MOTESOK_OK);
    msk_split sp;
    assert_false(msk_norsk_split(n, "gericamodulen", 13, &sp)); /* gerica: in no dictionary */
    msk_norsk_free(n);
    snprintf(p, sizeof p, "%s/words.txt", sub);
    write_file(p, "# a care records system\nGerica\n");
    assert_int_equal(msk_norsk_load(dir, HUNSPELL_DIR, &n, NULL), MOTESOK_OK);
    assert_true(msk_norsk_split(n, "gericamodulen", 13, &sp));
    assert_int_equal(sp.n_top, 2);
    assert_int_equal(sp.top[0].end, 6);
    assert_int_equal(sp.top[1].start, 6);
    assert_string_equal(msk_norsk_warnings(n), "");
    msk_norsk_free(n);
    msk_test_rmtree(dir);
}

/* compounds.txt: "word part part..." lines; a form of the word (with an
 * inflectional ending) splits as the word; bad lines are named. */
static void test_load_compound_table(void **state)
{
    (void)state;
    char dir[256], sub[300], p[400];
    make_data_dir(dir, sub, "compounds");
    snprintf(p, sizeof p, "%s/compounds.txt", sub);
    write_file(p, "# parts, linking letters left out\nHøringsfrist høring frist\n"
                  "ordbok ord\nordbok bok ord\nsamarbeidsavtale samarbeid x avtale\n"
                  "kommunehelse kommune helse\n");
    msk_norsk *n = NULL;
    assert_int_equal(msk_norsk_load(dir, "/nonexistent", &n, NULL), MOTESOK_OK);
    const char *warn = msk_norsk_warnings(n);
    assert_non_null(strstr(warn, "compounds.txt:3: expected a word and its parts"));
    assert_non_null(strstr(warn, "compounds.txt:4: expected a word and its parts"));
    assert_non_null(strstr(warn, "compounds.txt:5: expected a word and its parts"));
    assert_null(strstr(warn, "compounds.txt:2"));
    assert_null(strstr(warn, "compounds.txt:6"));
    msk_split sp;
    assert_true(msk_norsk_split(n, "høringsfristene", strlen("høringsfristene"), &sp));
    assert_int_equal(sp.n_top, 2);
    assert_int_equal(sp.top[0].start, 0);
    assert_int_equal(sp.top[0].end, strlen("høring"));
    assert_int_equal(sp.top[1].start, strlen("hørings"));
    assert_int_equal(sp.top[1].end, strlen("høringsfristene"));
    assert_int_equal(sp.n_leaf, 2);
    /* an e for the ending (kommunehelsa: kommunehelse) */
    assert_true(msk_norsk_split(n, "kommunehelsa", 12, &sp));
    assert_int_equal(sp.top[1].start, 7);
    assert_int_equal(sp.top[1].end, 12);
    assert_false(msk_norsk_split(n, "ordbok", 6, &sp));
    msk_norsk_free(n);
    /* nosplit.txt keeps the word whole, and its forms */
    snprintf(p, sizeof p, "%s/nosplit.txt", sub);
    write_file(p, "høringsfrist\n");
    assert_int_equal(msk_norsk_load(dir, "/nonexistent", &n, NULL), MOTESOK_OK);
    assert_false(msk_norsk_split(n, "høringsfrist", strlen("høringsfrist"), &sp));
    assert_false(msk_norsk_split(n, "høringsfristene", strlen("høringsfristene"), &sp));
    assert_true(msk_norsk_split(n, "kommunehelsa", 12, &sp));
    msk_norsk_free(n);
    msk_test_rmtree(dir);
}

/* The shared data: the shipped files and hunspell-no. */
static const msk_norsk *data(void)
{
    const msk_norsk *n = msk_norsk_shared();
    assert_true(msk_norsk_n_words(n) > 100000); /* hunspell-no is installed */
    assert_true(msk_norsk_n_pairs(n) > 100);
    return n;
}

/* The split of w as "a|b|c / leaves" for compact comparison ("" if none). */
static const char *split_str(const char *w)
{
    static char buf[256];
    msk_split sp;
    buf[0] = '\0';
    if (!msk_norsk_split(data(), w, strlen(w), &sp))
        return buf;
    for (size_t i = 0; i < sp.n_top; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%.*s", i ? "|" : "",
                 (int)(sp.top[i].end - sp.top[i].start), w + sp.top[i].start);
    if (sp.n_leaf != sp.n_top) {
        strcat(buf, " /");
        for (size_t i = 0; i < sp.n_leaf; i++)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " %.*s",
                     (int)(sp.leaf[i].end - sp.leaf[i].start), w + sp.leaf[i].start);
    }
    return buf;
}

static void test_split_compounds(void **state)
{
    (void)state;
    static const char *const table[][2] = {
        {"helsesamarbeid", "helse|samarbeid"},
        {"kommunehelsesamarbeidet", "kommune|helsesamarbeidet / kommune helse samarbeidet"},
        {"jordmorvakt", "jordmor|vakt"},
        {"røntgentilbud", "røntgen|tilbud"},
        {"fastlegeordningen", "fastlege|ordningen / fast lege ordningen"},
        {"jordmorvakta", "jordmor|vakta"},
        {"kommunestyret", "kommune|styret"},
        /* the linking -s- and -e- are left out of the parts */
        {"samarbeidsavtale", "samarbeid|avtale"},
        {"vedtaksprotokollen", "vedtak|protokollen"},
        /* after -ing, -het, -dom, -sjon … the s is a link, not the next
         * part's (forvaltning|sloven, nødvendighet|skrav before) */
        {"forvaltningsloven", "forvaltning|loven"},
        {"nødvendighetskrav", "nødvendighet|krav"},
        {"helsesenter", "helse|senter"},
        {"barnehageplass", "barnehage|plass"}, /* barnehage: nosplit.txt */
        /* and inside a longer compound (nosplit.txt): no kont|roll, leve|ring */
        {"kontrollutvalget", "kontroll|utvalget"},
        {"leveringsvilkår", "levering|vilkår"},
        {"helsestasjoner", "helse|stasjoner"},
        /* Nynorsk */
        {"sjukehusavdelinga", "sjukehus|avdelinga"},
        {"tenestetilbodet", "teneste|tilbodet"},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const char *got = split_str(table[i][0]);
        if (strcmp(got, table[i][1]) != 0)
            fail_msg("%s: split as \"%s\", want \"%s\"", table[i][0], got, table[i][1]);
    }
}

/* Derivational endings are no compound parts: a word is never found
 * through -het/-heter, -skap, -else, -ing or -lig at its end (myndig|heter
 * made "heter" match two thousand laws). */
static void test_split_no_suffix_parts(void **state)
{
    (void)state;
    static const char *const words[] = {
        "myndigheter", "rettigheter", "omstendigheter", "sikkerheten", "fellesskapet",
        "landskapet", "forståelse", "sammenslåingen", "tilgjengelig", "forholdsmessig",
    };
    static const char *const endings[] = {"het", "skap", "else", "ing", "lig", "messig"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        msk_split sp;
        const char *w = words[i];
        if (!msk_norsk_split(data(), w, strlen(w), &sp))
            continue;
        const msk_span last = sp.top[sp.n_top - 1];
        for (size_t e = 0; e < sizeof endings / sizeof *endings; e++)
            if (strncmp(w + last.start, endings[e], strlen(endings[e])) == 0)
                fail_msg("%s: split as \"%s\", its ending a part", w, split_str(w));
    }
    /* real compounds still split */
    assert_string_equal(split_str("helsemyndighetene"), "helse|myndighetene");
    /* nor is a part of a compound split again at such an ending: -ering,
     * -sjon, -slig, -ende (rapport|ring made "ring" find every report) */
    static const char *const whole_parts[][2] = {
        {"kvalitetsrapportering", "kvalitet|rapportering"},
        {"kostnadsreduserende", "kostnad|reduserende"},
        {"helseoperasjon", "helse|operasjon"},
        {"helseoperasjoner", "helse|operasjoner"}, /* nor opera|s|joner */
        {"formålsrettslig", "formål|rettslig"},
    };
    for (size_t i = 0; i < sizeof whole_parts / sizeof *whole_parts; i++)
        if (strcmp(split_str(whole_parts[i][0]), whole_parts[i][1]) != 0)
            fail_msg("%s: split as \"%s\", want \"%s\"", whole_parts[i][0],
                     split_str(whole_parts[i][0]), whole_parts[i][1]);
}

static void test_split_leaves_whole(void **state)
{
    (void)state;
    static const char *const whole[] = {
        /* names, also inflected, and nosplit.txt */
        "hallingdal", "hallingdalen", "hemsedal", "nesbyen",
        /* too short for two parts of four letters, or no compound */
        "vedtak", "rådmann", "møtebok", "samarbeid", "rehabilitering", "kommune",
        /* dictionary words whose "parts" would be chance strings */
        "tjenester", "pasienter", "mennesker", "forskrift", "idrettslag", "legevakt",
        /* not all letters */
        "covid19", "e-post", "",
    };
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        const char *got = split_str(whole[i]);
        if (*got != '\0')
            fail_msg("%s: split as \"%s\", want it whole", whole[i], got);
    }
}

static void test_known_words_with_endings(void **state)
{
    (void)state;
    const msk_norsk *n = data();
    static const char *const known[] = {"samarbeidet", "tjenestene", "vakta", "kommunane",
                                        "helsestasjon", "samhandling"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!msk_norsk_known(n, known[i], strlen(known[i])))
            fail_msg("%s should be a known word", known[i]);
    assert_false(msk_norsk_known(n, "xqzvbrt", 7));
    assert_false(msk_norsk_known(n, "samhandlingqq", 13));
}

/* ---- stems: Bokmål and Nynorsk meet ------------------------------------ */

static const char *stem_of(const char *w)
{
    static msk_buf buf;
    assert_int_equal(msk_lang_stem(msk_lang_shared(), w, strlen(w), &buf), MOTESOK_OK);
    return buf.data;
}

static void test_stems_meet(void **state)
{
    (void)state;
    (void)data();
    static const char *const groups[][9] = {
        {"tjeneste", "tjenester", "tjenesten", "tjenestene", "teneste", "tenester", "tenesta",
         "tenestene", NULL},
        {"kommune", "kommunen", "kommunene", "kommunane", NULL},
        {"vedtak", "vedtaket", "vedtakene", "vedtaka", NULL},
        {"prosjekt", "prosjektet", "prosjekta", "prosjekter", NULL},
        {"møte", "møtet", "møter", "møta", NULL},
        {"samarbeid", "samarbeidet", "samarbeida", NULL},
        {"sykehus", "sjukehus", "sykehuset", "sjukehuset", NULL},
        {"tilbud", "tilbod", "tilbodet", NULL},
        /* aa in old names is å */
        {"aasheim", "åsheim", NULL},
        /* a final m doubles when it inflects */
        {"hjem", "hjemmet", "hjemmene", "heim", "heimen", NULL},
        {"program", "programmet", "programmene", NULL},
        {"rom", "rommet", "rommene", NULL},
    };
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        char first[128];
        snprintf(first, sizeof first, "%s", stem_of(groups[g][0]));
        assert_true(first[0] != '\0');
        for (size_t i = 1; groups[g][i] != NULL; i++)
            if (strcmp(stem_of(groups[g][i]), first) != 0)
                fail_msg("%s stems to %s, %s to %s", groups[g][i], stem_of(groups[g][i]),
                         groups[g][0], first);
    }
    /* and words that must stay apart do */
    char a[128];
    snprintf(a, sizeof a, "%s", stem_of("tjeneste"));
    assert_string_not_equal(a, stem_of("tjener"));
    snprintf(a, sizeof a, "%s", stem_of("sykehus"));
    assert_string_not_equal(a, stem_of("syke"));
}

static void test_stopwords_both_standards(void **state)
{
    (void)state;
    const msk_norsk *n = data();
    static const char *const stop[] = {"ikke", "ikkje", "og", "som", "eg", "jeg", "ho", "hun",
                                       /* in questions: "kan man", "begge foreldrene",
                                        * "samtykke selv" */
                                       "man", "begge", "båe", "selv", "sjølv"};
    for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
        if (!msk_norsk_stopword(n, stop[i], strlen(stop[i])))
            fail_msg("%s should be a stopword", stop[i]);
    static const char *const topic[] = {"sak", "møte", "vedtak", "legevakt", "budsjett"};
    for (size_t i = 0; i < sizeof topic / sizeof *topic; i++)
        if (msk_norsk_stopword(n, topic[i], strlen(topic[i])))
            fail_msg("%s must not be a stopword", topic[i]);
}

/* ---- the query language: operator words and dates (query.h) ------------- */

/* True if word is an operator word (msk_query_operator). */
static bool is_op(const char *word)
{
    return msk_query_operator(word, strlen(word));
}

static void test_query_operator_upper_case_only(void **state)
{
    (void)state;
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR", "NEAR", "NEAR/3", "ADJ",
                                      "ADJ/2", "OG", "ELLER", "IKKE", "IKKJE"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!is_op(ops[i]))
            fail_msg("%s should be an operator", ops[i]);
    static const char *const words[] = {"og", "Og", "eller", "ikke", "ikkje", "Ikkje", "and",
                                        "or", "near", "ORDEN", "ELLERS", "OGSÅ", "IKKEVOLD",
                                        "AND/2", "NEARBY", ""};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (is_op(words[i]))
            fail_msg("%s must not be an operator", words[i]);
    assert_true(msk_query_operator("OG legevakt", 2)); /* n bytes, not the string */
    assert_false(msk_query_operator(NULL, 0));
}

/* msk_query_capitalised's callback: the words, space-separated. */
static void collect(const char *folded, void *ctx)
{
    char *out = ctx;
    strcat(out, folded);
    strcat(out, " ");
}

/* The query text the parser is given: operator words, the fallback words,
 * names typed with a capital, letters-and-digits words, edit distances. */
static void test_query_text(void **state)
{
    (void)state;
    char *s = msk_query_english_operators("Hol OG Gol ELLER \"Ål IKKE Nes\" organ:OG IKKJE og");
    assert_non_null(s);
    assert_string_equal(s, "Hol AND Gol OR \"Ål IKKE Nes\" organ:OG NOT og");
    free(s);
    s = msk_query_plain_words("(legevakt AND \"Hol\") -skole: OG 2018/19");
    assert_non_null(s);
    assert_string_equal(s, "legevakt Hol skole 2018 19 ");
    free(s);
    assert_true(msk_query_blank(" \t\n"));
    assert_false(msk_query_blank(" a "));

    char names[256] = "";
    assert_int_equal(msk_query_capitalised("Råde og ÅSHEIM \"Hol\" LIS1 rådet", collect, names), MOTESOK_OK);
    assert_string_equal(names, "råde åsheim lis1 ");

    assert_int_equal(msk_query_letter_digit_split("lis1", 4), 3);
    assert_int_equal(msk_query_letter_digit_split("3a", 2), 1);
    assert_int_equal(msk_query_letter_digit_split("e18", 3), 1);
    assert_int_equal(msk_query_letter_digit_split("2018", 4), SIZE_MAX);
    assert_int_equal(msk_query_letter_digit_split("lis", 3), SIZE_MAX);
    assert_int_equal(msk_query_letter_digit_split("a1b", 3), SIZE_MAX);

    assert_int_equal(msk_edit_distance("samarbied", 9, "samarbeid", 9), 1); /* a swap */
    assert_int_equal(msk_edit_distance("kjøkken", 8, "kjokken", 7), 1);   /* ø is one letter */
    assert_int_equal(msk_edit_distance("", 0, "abc", 3), 3);
}

/* The best part's score: stems with a short ending, exact words, filters
 * that count nothing, Latin-1 capitals folded. */
/* How a word was typed, and a correction given the capital it was typed
 * with, letters beyond ASCII too. */
static void test_word_case(void **state)
{
    (void)state;
    static const struct {
        const char *w;
        msk_word_case want;
    } cases[] = {
        {"legevakt", MSK_CASE_LOWER}, {"Legevakt", MSK_CASE_CAPITAL}, {"Østre", MSK_CASE_CAPITAL},
        {"DSB", MSK_CASE_CAPITALS},   {"IMDi", MSK_CASE_CAPITALS},    {"ÆØÅ", MSK_CASE_CAPITALS},
        {"E18", MSK_CASE_CAPITAL},    {"lis1", MSK_CASE_LOWER},       {"2018", MSK_CASE_LOWER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (msk_query_word_case(cases[i].w, strlen(cases[i].w)) != cases[i].want)
            fail_msg("%s: case %d, want %d", cases[i].w,
                     (int)msk_query_word_case(cases[i].w, strlen(cases[i].w)), (int)cases[i].want);
    char out[16];
    assert_true(msk_query_capitalise("østre", out, sizeof out));
    assert_string_equal(out, "Østre");
    assert_true(msk_query_capitalise("svalbard", out, sizeof out));
    assert_string_equal(out, "Svalbard");
    assert_true(msk_query_capitalise("", out, sizeof out));
    assert_string_equal(out, "");
    assert_false(msk_query_capitalise("kommunehelsesamarbeid", out, sizeof out));
}

static void test_part_score(void **state)
{
    (void)state;
    const char *text = "LEGEVAKTEN i Ål. Legevaktvarsling. Legevakt og ÅL.";
    const char *terms[] = {"Zlegevakt", "ål", "Q0123", "XDlegevakt"};
    const double idfs[] = {1.0, 10.0, 100.0, 1000.0};
    /* Zlegevakt: LEGEVAKTEN, Legevakt (not Legevaktvarsling) = 2; ål: Ål,
     * ÅL = 20; Q: nothing; XDlegevakt as Z = 2000 */
    assert_true(msk_part_score(text, strlen(text), terms, idfs, 4) == 2022.0);
    assert_true(msk_part_score(text, strlen(text), terms, idfs, 0) == 0.0);
}

static void test_query_norwegian_operator(void **state)
{
    (void)state;
    assert_string_equal(msk_query_norwegian_operator("OG", 2), "AND");
    assert_string_equal(msk_query_norwegian_operator("ELLER", 5), "OR");
    assert_string_equal(msk_query_norwegian_operator("IKKE", 4), "NOT");
    assert_string_equal(msk_query_norwegian_operator("IKKJE", 5), "NOT");
    assert_null(msk_query_norwegian_operator("AND", 3));
    assert_null(msk_query_norwegian_operator("og", 2));
    assert_null(msk_query_norwegian_operator("ikkje", 5));
    /* the list holds every operator word, each one an operator */
    assert_int_equal(msk_query_n_operators(), 10);
    for (size_t i = 0; i < msk_query_n_operators(); i++)
        assert_true(is_op(msk_query_operator_at(i)));
    assert_null(msk_query_operator_at(msk_query_n_operators()));
}

/* Check that msk_query_bound(q, terms, depth) gives want and cut bits. */
static void check_bound(const char *q, unsigned terms, unsigned depth, const char *want,
                        unsigned want_cut, unsigned want_wild)
{
    unsigned cut = 99, wild = 99;
    char *got = msk_query_bound(q, terms, depth, &cut, &wild);
    assert_non_null(got);
    if (strcmp(got, want) != 0 || cut != want_cut || wild != want_wild)
        fail_msg("bound('%s', %u, %u) = '%s' cut %u wild %u; expected '%s' cut %u wild %u", q,
                 terms, depth, got, cut, wild, want, want_cut, want_wild);
    free(got);
}

static void test_query_bound(void **state)
{
    (void)state;
    /* within the bounds: as it is */
    check_bound("legevakt røntgen*", 2, 1, "legevakt røntgen*", 0, 1);
    check_bound("", 2, 1, "", 0, 0);
    /* operator words and field names do not count; a dangling end goes */
    check_bound("tittel:a OG b ELLER c", 2, 1, "tittel:a OG b", MSK_BOUND_TERMS, 0);
    check_bound("a b +c", 2, 1, "a b", MSK_BOUND_TERMS, 0);
    check_bound("a b* vedtak:c", 2, 1, "a b*", MSK_BOUND_TERMS, 1);
    /* an open phrase and open brackets are closed */
    check_bound("\"a b c\" d", 2, 1, "\"a b\"", MSK_BOUND_TERMS, 0);
    check_bound("(a OR (b c))", 2, 4, "(a OR (b))", MSK_BOUND_TERMS, 0);
    check_bound("(a OR (c", 1, 4, "(a)", MSK_BOUND_TERMS, 0);
    /* brackets past the depth are spaces, their words stay */
    check_bound("((a) OR b)", 9, 1, "( a  OR b)", MSK_BOUND_DEPTH, 0);
    check_bound("(((a)))", 9, 2, "(( a ))", MSK_BOUND_DEPTH, 0);
    /* a wildcard in a phrase is no wildcard; separators split words */
    check_bound("\"a* b\" c*", 9, 1, "\"a* b\" c*", 0, 1);
    check_bound("a·b·c", 2, 1, "a·b·", MSK_BOUND_TERMS, 0); /* (a separator may stay) */
    check_bound("æøå-ÆØÅ", 1, 1, "æøå", MSK_BOUND_TERMS, 0);
}

/* Check msk_query_date(s) gives lo..hi, or fails when lo is NULL. */
static void check_date(const char *s, const char *lo, const char *hi)
{
    char l[9], h[9];
    bool ok = msk_query_date(s, strlen(s), l, h);
    if (lo == NULL) {
        if (ok)
            fail_msg("'%s' should not be a date, got %s..%s", s, l, h);
        assert_string_equal(l, "");
        return;
    }
    if (!ok)
        fail_msg("'%s' should be a date", s);
    assert_string_equal(l, lo);
    assert_string_equal(h, hi);
}

/* A month named with its year in free text (msk_query_month_named). */
static void test_query_month_named(void **state)
{
    (void)state;
    static const struct {
        const char *text, *lo, *hi; /* lo NULL: none */
    } cases[] = {
        {"Kva orienterte rådmannen om i mai 2014?", "20140501", "20140531"},
        {"i Desember 2019", "20191201", "20191231"},
        {"februar  2016 budsjett", "20160201", "20160229"},
        {"vedtak 2014 mai", NULL, NULL},      /* the year first */
        {"mai2014", NULL, NULL},              /* no space */
        {"des 2014", NULL, NULL},             /* no abbreviations */
        {"maiblomst 2014", NULL, NULL},       /* a longer word */
        {"Åmai 2014", NULL, NULL},            /* the end of a word */
        {"juni 20145", NULL, NULL},           /* no year */
        {"mars 1850", NULL, NULL},            /* out of range */
        {"mars", NULL, NULL},
        {"", NULL, NULL},
        {"sak 12 i juli, møte 3. august 2021", "20210801", "20210831"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char lo[9], hi[9];
        const bool found = msk_query_month_named(cases[i].text, lo, hi);
        if (found != (cases[i].lo != NULL))
            fail_msg("\"%s\": found %d", cases[i].text, found);
        if (found && (strcmp(lo, cases[i].lo) != 0 || strcmp(hi, cases[i].hi) != 0))
            fail_msg("\"%s\": %s..%s, want %s..%s", cases[i].text, lo, hi, cases[i].lo, cases[i].hi);
    }
}

static void test_query_date_forms(void **state)
{
    (void)state;
    check_date("2018", "20180101", "20181231");
    check_date("2018-02", "20180201", "20180228");
    check_date("2016-02", "20160201", "20160229");
    check_date("2000-02", "20000201", "20000229");
    check_date("1900-02", "19000201", "19000228");
    check_date("2018-04", "20180401", "20180430");
    check_date("2018-02-23", "20180223", "20180223");
    check_date("20180223", "20180223", "20180223");
    check_date("2016-02-29", "20160229", "20160229");
    check_date("0001", "00010101", "00011231");
    check_date("9999-12-31", "99991231", "99991231");
    static const char *const bad[] = {"2018-02-30", "2017-02-29", "2018-04-31", "2018-13-01",
                                      "2018-00-10", "2018-01-00", "2018-13", "2018-00",
                                      "0000", "20180230", "20181301", "18", "201", "20180",
                                      "2018-2-01", "2018-02-1", "2018-02-01x", "2018/02/01",
                                      "2018-0201", "201802", "-2018", "+201", "", "abcd"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        check_date(bad[i], NULL, NULL);
}

static void test_query_date_range(void **state)
{
    (void)state;
    char lo[9], hi[9];
    assert_int_equal(msk_query_date_range("2017", "2018-06", lo, hi), MSK_DATES_OK);
    assert_string_equal(lo, "20170101");
    assert_string_equal(hi, "20180630");
    assert_int_equal(msk_query_date_range(NULL, "2018", lo, hi), MSK_DATES_OK);
    assert_string_equal(lo, "");
    assert_string_equal(hi, "20181231");
    assert_int_equal(msk_query_date_range("2018-02", NULL, lo, hi), MSK_DATES_OK);
    assert_string_equal(lo, "20180201");
    assert_string_equal(hi, "");
    /* from's first day against to's last: one day, month or year is fine */
    assert_int_equal(msk_query_date_range("2018-02-23", "2018-02", lo, hi), MSK_DATES_OK);
    assert_int_equal(msk_query_date_range("2018", "2018", lo, hi), MSK_DATES_OK);
    assert_int_equal(msk_query_date_range("2019", "2018", lo, hi), MSK_DATES_REVERSED);
    assert_string_equal(lo, "");
    assert_string_equal(hi, "");
    assert_int_equal(msk_query_date_range("2018-03-01", "2018-02", lo, hi), MSK_DATES_REVERSED);
    assert_int_equal(msk_query_date_range("2018-02-30", "2018-03", lo, hi), MSK_DATES_BAD_FROM);
    assert_int_equal(msk_query_date_range("2018", "2018-02-30", lo, hi), MSK_DATES_BAD_TO);
    assert_string_equal(lo, "");
    assert_int_equal(msk_query_date_range(NULL, NULL, lo, hi), MSK_DATES_OPEN);
}

/* ---- through an index: documents and queries meet ----------------------- */

typedef struct fixture {
    char tmp[256];
    char db[300];
    motesok_xreader *r;
} fixture;

static const char *const DOCS[][2] = {
    {"a", "Kommunehelsesamarbeidet hadde møte om budsjettet."},
    {"b", "Det trengs vakt for jordmor i helgene."},
    {"c", "Sykehuset gir tilbud om røntgen to dager i uka."},
    {"d", "Ordningen med fastleger ble drøftet."},
    {"e", "Kommunal akutt døgnenhet åpner i mars."},
    {"f", "Tenestene i kommunane skal samordnast."},
    {"g", "Rektor ved Åsheim skole orienterte."},
    {"h", "Plan for rehabilitering og habilitering."},
    {"i", "Samhandlingsreformen krever sam-\nhandling mellom nivåene."},
    {"j", "Pleie- og omsorgsmeldinger er tatt i bruk."},
    {"k", "Arbeidet med pasientsikkerhet fortsetter."},
    {"l", "Ny kai ved brygga."},
    {"m", "Stillinger for LIS 1 i kommunen."},
    {"n", "Tilsetting av LIS1-leger."},
    {"o", "Ny E-18 gjennom bygda."},
    {"p", "Etter § 2A-1 skal nettselskapet registrere avbrudd."},
    {"q", "Kapittel 9A om skolemiljøet."},
};
#define N_DOCS (sizeof DOCS / sizeof *DOCS)

/* Add or replace document "Q"+id (data: id) holding text, normalised and
 * analysed as the indexer does; with spelling its words feed the table. */
static void put_doc(motesok_xwriter *w, const char *id_at, const char *text, bool spelling)
{
    char *norm = NULL;
    size_t len = 0;
    assert_int_equal(motesok_normalize_text(text, strlen(text), &norm, &len, NULL), MOTESOK_OK);
    motesok_xdoc *d = NULL;
    assert_int_equal(motesok_xdoc_new(&d, NULL), MOTESOK_OK);
    /* "id@Kommune": the passage of a file from that kommune */
    char id[16], q[20];
    snprintf(id, sizeof id, "%.*s", (int)strcspn(id_at, "@"), id_at);
    snprintf(q, sizeof q, "Q%s", id);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, q, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_index_text(d, norm, len, 1, "", NULL), MOTESOK_OK);
    const char *kommune = strchr(id_at, '@');
    if (kommune != NULL)
        assert_int_equal(motesok_xdoc_index_text(d, kommune + 1, strlen(kommune + 1), 1,
                                                 MOTESOK_PREFIX_KOMMUNE, NULL),
                         MOTESOK_OK);
    assert_int_equal(motesok_xdoc_analyse(d, spelling, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_set_data(d, id, strlen(id), NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_replace(w, q, d, NULL), MOTESOK_OK);
    motesok_xdoc_free(d);
    free(norm);
}

/* Open the database at db for writing (must succeed). */
static motesok_xwriter *writer(const char *db)
{
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(db, &w, NULL), MOTESOK_OK);
    return w;
}

/* Commit and close w (must succeed). */
static void commit_close(motesok_xwriter *w)
{
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
}

/* Open a reader on the database at db (must succeed). */
static motesok_xreader *reader(const char *db)
{
    const char *dirs[] = {db};
    motesok_xreader *r = NULL;
    assert_int_equal(motesok_xreader_open(dirs, 1, &r, NULL), MOTESOK_OK);
    return r;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->tmp, sizeof f->tmp, "norsk"));
    snprintf(f->db, sizeof f->db, "%s/db", f->tmp);
    motesok_xwriter *w = writer(f->db);
    for (size_t i = 0; i < N_DOCS; i++)
        put_doc(w, DOCS[i][0], DOCS[i][1], true);
    commit_close(w);
    f->r = reader(f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    motesok_xreader_close(f->r);
    msk_test_rmtree(f->tmp);
    free(f);
    return 0;
}

/* hits parses with any word matching (the relaxed search) when set. */
static bool hits_any_word;

/* Ids of the hits of query, in rank order; *suggestion gets the parser's
 * correction ("" if none). */
static const char *hits(fixture *f, const char *query, const char **suggestion)
{
    static char buf[64], sug[128];
    msk_query_options po = {.parser.default_and = !hits_any_word,
                            .coordinate = hits_any_word,
                            .any_part = hits_any_word};
    motesok_xquery *q = NULL;
    motesok_error err;
    if (msk_query_parse(f->r, query, &po, &q, NULL, &err) != MOTESOK_OK)
        fail_msg("%s: %s", query, err.message);
    const char *s = motesok_xquery_suggestion(q);
    snprintf(sug, sizeof sug, "%s", s ? s : "");
    if (suggestion != NULL)
        *suggestion = sug;
    motesok_xsearch xs = {.query = q, .limit = 20, .sort_slot = -1, .collapse_slot = -1};
    motesok_xresults *res = NULL;
    assert_int_equal(motesok_xreader_search(f->r, &xs, &res, NULL), MOTESOK_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < motesok_xresults_count(res); i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "",
                 motesok_xresults_data(res, i, NULL));
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    return buf;
}

static void test_queries_meet_documents(void **state)
{
    fixture *f = *state;
    static const char *const table[][2] = {
        /* a compound finds a longer compound that holds it, and its parts */
        {"helsesamarbeid", "a"},
        {"jordmorvakt", "b"},
        {"jordmor vakt", "b"},
        {"røntgentilbud", "c"},
        {"fastlegeordning", "d"},
        {"fastlegeordningen", "d"},
        /* Nynorsk and Bokmål meet */
        {"sjukehus", "c"},
        {"tjenester kommunene", "f"},
        {"tenesta", "f"},
        /* an abbreviation finds its expansion */
        {"KAD", "e"},
        {"kad", "e"},
        /* aa and å, with or without a capital */
        {"Aasheim", "g"},
        {"aasheim", "g"},
        /* a word hyphenated at a line end is found whole */
        {"samhandling", "i"},
        /* a hyphenated abbreviation (parsed as a phrase) finds its group */
        {"PLO-meldinger", "j"},
        /* a compound of a compound finds its finest parts */
        {"pasientsikkerhetsarbeid", "k"},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const char *got = hits(f, table[i][0], NULL);
        if (strcmp(got, table[i][1]) != 0)
            fail_msg("%s: hits \"%s\", want \"%s\"", table[i][0], got, table[i][1]);
    }
    /* letters and digits, together, apart or hyphenated, are one word:
     * LIS1 = LIS 1 = LIS-1, E18 = E-18 (issue 11) */
    static const char *const alnum[] = {"LIS1", "LIS 1", "LIS-1", "lis1"};
    for (size_t i = 0; i < sizeof alnum / sizeof *alnum; i++) {
        const char *got = hits(f, alnum[i], NULL);
        if (strcmp(got, "m n") != 0 && strcmp(got, "n m") != 0)
            fail_msg("%s: hits \"%s\", want m and n", alnum[i], got);
    }
    assert_string_equal(hits(f, "E18", NULL), "o");
    assert_string_equal(hits(f, "LIS 2", NULL), "");
    /* a number and a letter typed apart find the section or chapter that
     * writes them together: § 2 A-1 = § 2A-1, kapittel 9 A = kapittel 9A */
    static const char *const lettered[][2] = {
        {"§ 2 A-1", "p"}, {"2A-1", "p"}, {"2 A-1 avbrudd", "p"}, {"2 A 1", "p"},
        {"kapittel 9 A", "q"}, {"9 A skolemiljø", "q"}, {"9A", "q"}, {"§ 2 B-1", ""},
    };
    for (size_t i = 0; i < sizeof lettered / sizeof *lettered; i++) {
        const char *got = hits(f, lettered[i][0], NULL);
        if (strcmp(got, lettered[i][1]) != 0)
            fail_msg("%s: hits \"%s\", want \"%s\"", lettered[i][0], got, lettered[i][1]);
    }
    /* a quoted word stays exact */
    assert_string_equal(hits(f, "\"jordmorvakt\"", NULL), "");
}

/* A compound whose leaves joined again give its top split (fast|lege|
 * ordningen: fastlege|ordningen) searches each way of cutting it once: an
 * OR of the same parts twice would weigh a passage holding them twice. */
static void test_compound_cut_searched_once(void **state)
{
    fixture *f = *state;
    msk_query_options po = {.parser.default_and = true};
    motesok_xquery *q = NULL;
    motesok_error err;
    if (msk_query_parse(f->r, "fastlegeordningen", &po, &q, NULL, &err) != MOTESOK_OK)
        fail_msg("fastlegeordningen: %s", err.message);
    char *d = motesok_xquery_describe(q);
    assert_non_null(d);
    /* the word whole, fastlege|ordningen and fast|lege|ordningen: ordning
     * stands in the two cuts */
    size_t n = 0;
    for (const char *at = d; (at = strstr(at, "Zordning")) != NULL; at++)
        n += !isalpha((unsigned char)at[strlen("Zordning")]);
    if (n != 2)
        fail_msg("Zordning %zu times in %s", n, d);
    free(d);
    motesok_xquery_free(q);
}

/* Add n passages ({id, text} each) to the database at db, then the ids of
 * the hits of query over everything it holds, in rank order (hits). */
static const char *add_then_hits(const char *db, const char *const docs[][2], size_t n,
                                 const char *query)
{
    motesok_xwriter *w = writer(db);
    for (size_t i = 0; i < n; i++)
        put_doc(w, docs[i][0], docs[i][1], false);
    commit_close(w);
    fixture g = {.r = reader(db)};
    const char *got = hits(&g, query, NULL);
    motesok_xreader_close(g.r);
    return got;
}

/* The n passages docs in a new database: the hits of query with any word
 * matching (the relaxed search) must rank passage want first. */
static void any_word_first(const char *const docs[][2], size_t n, const char *query,
                           const char *want)
{
    char tmp[256], db[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "any"));
    snprintf(db, sizeof db, "%s/db", tmp);
    hits_any_word = true;
    const char *got = add_then_hits(db, docs, n, query);
    hits_any_word = false;
    msk_test_rmtree(tmp);
    const size_t k = strlen(want);
    if (strncmp(got, want, k) != 0 || got[k] != ' ') /* first, of more than one */
        fail_msg("%s: hits \"%s\", want %s first", query, got, want);
}

/* Any word matching (the relaxed search): a passage holding more of the
 * words ranks above one that says a single rarer word over and over (the
 * words of a are common here, dispensasjon is rare: BM25 alone ranks b
 * first). */
static void test_any_word_counts_the_words_held(void **state)
{
    (void)state;
    static const char *const docs[][2] = {
        {"a", "Klage: gnr 77 bnr 12, Veavågen."},
        {"b", "Dispensasjon. Søknaden om dispensasjon ble behandlet, og dispensasjon ble gitt."},
        {"c", "Kartet viser gnr 14 og bnr 2 ved Veavågen, sak 12 og 77."},
        {"d", "Eiendommen har gnr 3 og bnr 3 ved Veavågen, sak 12 og 77."},
        {"e", "Brygga har gnr 9 og bnr 5 ved Veavågen, sak 12 og 77."},
        {"f", "Naustet har gnr 8 og bnr 4 ved Veavågen, sak 12 og 77."},
        {"g", "Huset har gnr 7 og bnr 1 ved Veavågen, sak 12 og 77."},
        {"h", "Vegen har gnr 6 og bnr 6 ved Veavågen, sak 12 og 77."},
    };
    any_word_first(docs, sizeof docs / sizeof *docs, "gnr 77 bnr 12 Veavågen dispensasjon",
                   "a");
}

/* Relaxed, a compound searched by any of its parts counts only half as
 * held by a passage holding one of its parts: n (godtgjørelse, styret)
 * ranks above m (styret, and of renovasjonsselskap only selskap, often);
 * with a full word's bonus for the part, m ranked first. */
static void test_any_part_counts_half(void **state)
{
    (void)state;
    static const char *const docs[][2] = {
        {"m", "Styret i selskapet og selskapets styre: selskapet."},
        {"n", "Godtgjørelse til styret ble fastsatt i dag, etter en lang drøfting i møtet."},
        {"o", "Renovasjon av taket på skolen."},
        {"p", "Møteplan for våren."},
        {"q", "Budsjett for skolen og barnehagen."},
        {"r", "Referat fra møtet i eldrerådet."},
    };
    any_word_first(docs, sizeof docs / sizeof *docs, "godtgjørelse styret renovasjonsselskap",
                   "n");
}

/* Any word matching: a kommune the query names counts for more than a
 * word of the subject, since it says whose meetings are meant (v11 q048:
 * "hvem orienterte formannskapet i hammerfest om økonomien i juli" ranked
 * another kommune's orientation on its economy above Hammerfest's). h is
 * from Hammerfest and holds one subject word; l, from Luster, holds two. */
static void test_any_word_kommune_counts_more(void **state)
{
    (void)state;
    static const char *const docs[][2] = {
        {"h@Hammerfest", "Formannskapet fikk en orientering om status i juli."},
        {"l@Luster", "Formannskapet fikk en orientering om budsjettet. Økonomien er god."},
        {"a@Luster", "Saksliste for formannskapet."},
        {"b@Stryn", "Formannskapet vedtok planen."},
        {"c@Stryn", "Protokoll fra formannskapet."},
    };
    any_word_first(docs, sizeof docs / sizeof *docs, "orienterte formannskapet i hammerfest om økonomien",
                   "h");
}

static void test_whole_word_ranks_first(void **state)
{
    (void)state;
    char tmp[256], db[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "rank"));
    snprintf(db, sizeof db, "%s/db", tmp);
    static const char *const roentgen[2][2] = {
        {"x", "Tilbud om røntgen i kommunen, og røntgen er viktig."},
        {"y", "Røntgentilbudet i kommunen."},
    };
    assert_string_equal(add_then_hits(db, roentgen, 2, "røntgentilbud"), "y x");
    /* a word found only as a part of a longer compound (tjeneste in
     * spesialisthelsetjenesten) weighs less than the word itself, even in
     * a longer passage (issue 11: "kommunale tenester") */
    static const char *const part[2][2] = {
        {"p", "Kommunal medfinansiering av spesialisthelsetjenesten."},
        {"q", "Rapporten om kommunale tjenester ble lagt fram for styret i dag, "
              "med vedlegg og tall fra fjoråret."},
    };
    assert_string_equal(add_then_hits(db, part, 2, "kommunale tenester"), "q p");
    /* two words typed apart that make a compound a passage holds rank
     * that passage first: the user meant the compound */
    static const char *const apart[2][2] = {
        {"s", "Pasienten fikk svar, og sikkerheten ved sykehuset ble drøftet."},
        {"t", "Arbeidet med pasientsikkerhet i kommunen fortsetter neste år."},
    };
    assert_string_equal(add_then_hits(db, apart, 2, "pasient sikkerhet"), "t s");
    /* words that stand together (in any form) rank above the same words
     * far apart in a passage as long (q and p from before match too) */
    static const char *const near[2][2] = {
        {"u", "Kommunestyret drøftet de kommunale planene for vei, vann, avløp, skole, "
              "barnehage, kultur og idrett, og til slutt tjenestene."},
        {"v", "Kommunestyret drøftet vei, vann, avløp, skole, barnehage, kultur og "
              "idrett, og til slutt de kommunale tjenestene og planene."},
    };
    assert_string_equal(add_then_hits(db, near, 2, "kommunal tjeneste"), "q v u p");
    /* a name typed with a capital keeps its exact form first: Råde is not
     * "rådet" (issue 11: "Hvor ligger Råde?") */
    static const char *const name[2][2] = {
        {"r1", "Rådet ga råd: rådene fra rådet."},
        {"r2", "Møtet i fjor ble holdt i Råde, og sakslista hadde mange andre saker om "
               "skole, barnehage, vei, vann, avløp, kultur, idrett, helse, omsorg, "
               "budsjett, regnskap, planer, tilskudd, eiendom og næring."},
    };
    const char *rade = add_then_hits(db, name, 2, "Råde");
    if (strncmp(rade, "r2", 2) != 0)
        fail_msg("Råde: hits \"%s\", want r2 first", rade);
    msk_test_rmtree(tmp);
}

/* The ids of the hits of query from offset, at most limit, joined by
 * spaces into buf. */
static void page_of(motesok_xreader *r, const char *query, unsigned offset, unsigned limit,
                    char *buf, size_t cap)
{
    msk_query_options po = {.parser.default_and = true};
    motesok_xquery *q = NULL;
    assert_int_equal(msk_query_parse(r, query, &po, &q, NULL, NULL), MOTESOK_OK);
    motesok_xsearch xs = {.query = q, .offset = offset, .limit = limit, .sort_slot = -1,
                          .collapse_slot = -1};
    motesok_xresults *res = NULL;
    assert_int_equal(motesok_xreader_search(r, &xs, &res, NULL), MOTESOK_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < motesok_xresults_count(res); i++)
        snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", i ? " " : "",
                 motesok_xresults_data(res, i, NULL));
    motesok_xresults_free(res);
    motesok_xquery_free(q);
}

/* Proximity and whole words are weighed after the match, on its first
 * twenty passages: a passage far down the match that holds the words
 * together still comes first, and pages cut from the re-ranked list join
 * up, none lost or shown twice. */
static void test_reranked_pages(void **state)
{
    (void)state;
    char tmp[256], db[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "rerank"));
    snprintf(db, sizeof db, "%s/db", tmp);
    motesok_xwriter *w = writer(db);
    char id[16], text[1024];
    for (int i = 0; i < 18; i++) {
        snprintf(id, sizeof id, "d%02d", i);
        if (i == 17)
            /* the words together, in a long passage (a low weight alone) */
            snprintf(text, sizeof text,
                     "Styret gikk gjennom vei, vann, avløp, skole, barnehage, kultur, idrett, "
                     "helse, omsorg, budsjett, regnskap, planer, tilskudd, eiendom, næring, "
                     "havn, brann, beredskap, bibliotek, kirke og kommunale tjenester.");
        else
            /* the words far apart, in short passages */
            snprintf(text, sizeof text, "Kommunale planer %d for vei, vann og avløp. Tjenester %d.",
                     i, i);
        put_doc(w, id, text, false);
    }
    commit_close(w);
    motesok_xreader *r = reader(db);
    char all[512], page[128], joined[512] = "";
    page_of(r, "kommunale tjenester", 0, 30, all, sizeof all);
    assert_int_equal(strncmp(all, "d17 ", 4), 0);
    for (unsigned off = 0; off < 30; off += 5) {
        page_of(r, "kommunale tjenester", off, 5, page, sizeof page);
        if (page[0] != '\0')
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                     joined[0] ? " " : "", page);
    }
    assert_string_equal(joined, all);
    /* 18 distinct hits */
    size_t n = 1;
    for (const char *c = all; *c; c++)
        n += *c == ' ';
    assert_int_equal(n, 18);
    motesok_xreader_close(r);
    msk_test_rmtree(tmp);
}

/* The hits of query (parsed with default_and as given) over a new
 * database at db holding docs ({id, text}, n of them, their words in the
 * spelling table); *suggestion gets the correction ("" if none) and
 * *any_part whether a compound was let match by any part. */
static const char *fresh_hits(const char *db, const char *const (*docs)[2], size_t n,
                              const char *query, bool default_and, const char **suggestion,
                              bool *any_part)
{
    static char buf[128], sug[128];
    motesok_xwriter *w = writer(db);
    for (size_t i = 0; i < n; i++)
        put_doc(w, docs[i][0], docs[i][1], true);
    commit_close(w);
    motesok_xreader *r = reader(db);
    msk_query_options po = {.parser.default_and = default_and, .any_part = !default_and};
    motesok_xquery *q = NULL;
    assert_int_equal(msk_query_parse(r, query, &po, &q, NULL, NULL), MOTESOK_OK);
    const char *s = motesok_xquery_suggestion(q);
    snprintf(sug, sizeof sug, "%s", s ? s : "");
    *suggestion = sug;
    *any_part = motesok_xquery_any_part(q);
    motesok_xsearch xs = {.query = q, .limit = 20, .sort_slot = -1, .collapse_slot = -1};
    motesok_xresults *res = NULL;
    assert_int_equal(motesok_xreader_search(r, &xs, &res, NULL), MOTESOK_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < motesok_xresults_count(res); i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "",
                 motesok_xresults_data(res, i, NULL));
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    motesok_xreader_close(r);
    return buf;
}

/* Issue 11: a typo inside a long compound is corrected in the part that
 * is wrong (the spelling table holds whole words, and the compound typed
 * is none of them); a compound that nothing holds with all its parts is
 * found, when any word may match, by any of its parts and by the words
 * that begin with its leading parts. */
static void test_compounds_typo_and_fallback(void **state)
{
    (void)state;
    char tmp[256], db[300];
    const char *sug;
    bool any_part;
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "compound"));
    static const char *const typo[][2] = {
        {"s1", "Kommunehelsesamarbeidet hadde møte om budsjettet."},
        {"s2", "Godt samarbeid mellom kommunene gir bedre helse."},
    };
    snprintf(db, sizeof db, "%s/typo", tmp);
    assert_string_equal(fresh_hits(db, typo, 2, "kommunehelsesamarbied", true, &sug, &any_part), "");
    assert_string_equal(sug, "kommunehelsesamarbeid");
    assert_false(any_part);
    /* the correction finds the passage first (s2 by its parts after it) */
    assert_string_equal(fresh_hits(db, typo, 0, sug, true, &sug, &any_part), "s1 s2");
    /* a word that finds something is left alone */
    fresh_hits(db, typo, 0, "kommunehelsesamarbeid", true, &sug, &any_part);
    assert_string_equal(sug, "");
    static const char *const orchestra[][2] = {
        {"u1", "Ungdomssymfonikerne spilte i kulturhuset."},
        {"u2", "Ungdom og idrett i kommunen, med mange ungdommer."},
        {"u3", "Kulturhuset har ny scene."},
    };
    snprintf(db, sizeof db, "%s/orchestra", tmp);
    assert_string_equal(
        fresh_hits(db, orchestra, 3, "ungdomssymfoniorkester", true, &sug, &any_part), "");
    assert_false(any_part);
    assert_string_equal(
        fresh_hits(db, orchestra, 0, "ungdomssymfoniorkester", false, &sug, &any_part), "u1 u2");
    assert_true(any_part);
    msk_test_rmtree(tmp);
}

/* Compounds left half-written before og/eller/a comma are written out
 * with the last part of the compound that completes them; a word broken
 * at a line end, a hyphenated word and a number are not half of one. */
static void test_ellipses_written_out(void **state)
{
    (void)state;
    const msk_norsk *n = msk_norsk_shared();
    static const char text[] =
        "Forvaltningsorganets utrednings- og informasjonsplikt. Barne-, ungdoms- og "
        "familiedepartementet; Helse-\nog omsorgstjenester. Saka vart utred-\nningen og "
        "e-post og 2018- og 2019-tala, bygge- eller anleggsarbeid og kultur- og";
    msk_buf b = {0};
    assert_int_equal(msk_norsk_ellipses(n, text, strlen(text), &b), MOTESOK_OK);
    assert_int_equal(msk_buf_terminate(&b), MOTESOK_OK);
    assert_string_equal(b.data, "utredningsplikt barnedepartementet ungdomsdepartementet "
                                "helsetjenester byggearbeid ");
    msk_buf_free(&b);
    /* nothing half-written: nothing, and invalid UTF-8 is no trouble */
    static const char plain[] = "Kommunestyret \xff\xfe- og vedtok budsjettet.";
    assert_int_equal(msk_norsk_ellipses(n, plain, strlen(plain), &b), MOTESOK_OK);
    assert_int_equal(b.len, 0);
    msk_buf_free(&b);
}

/* A compound no dictionary splits, and no passage holds, is cut into
 * words the index holds (fewest parts; a linking s or e between them
 * left out) and found by them all: studieplanfastsettelse where the text
 * says "fastsettelse av studieplan", butidskravunntak where it says
 * "unntak frå butidskrav"; a word some passage holds is never cut. */
static void test_compound_cut_by_index_words(void **state)
{
    (void)state;
    char tmp[256], db[300];
    const char *sug;
    bool any_part;
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "vocab"));
    static const char *const docs[][2] = {
        {"v1", "Fastsettelse av studieplan skjer i fakultetet."},
        {"v2", "Studieplanen er lagt ut."},
        {"v3", "Mellombels unntak frå butidskrav for fordrivne."},
        {"v4", "Kravet om butid gjeld ikkje."},
    };
    snprintf(db, sizeof db, "%s/db", tmp);
    assert_string_equal(fresh_hits(db, docs, 4, "studieplanfastsettelse", true, &sug, &any_part), "v1");
    assert_string_equal(fresh_hits(db, docs, 0, "butidskravunntak", true, &sug, &any_part), "v3");
    assert_string_equal(fresh_hits(db, docs, 0, "butidskrav", true, &sug, &any_part), "v3");
    /* a cut needs every part in some passage */
    assert_string_equal(fresh_hits(db, docs, 0, "studieplanrevisjon", true, &sug, &any_part), "");
    /* a typo cut into words that happen to be found (bruland + vika) is
     * offered its correction all the same; a word typed with a capital is
     * a name, never cut */
    static const char *const typo[][2] = {
        {"n1", "Tiltaket i Brulandsvika sentrum."},
        {"n2", "Bruland og vika."},
    };
    snprintf(db, sizeof db, "%s/typo", tmp);
    assert_string_equal(fresh_hits(db, typo, 2, "brulandvika", true, &sug, &any_part), "n2");
    assert_string_equal(sug, "brulandsvika");
    assert_string_equal(fresh_hits(db, typo, 0, "Brulandvika", true, &sug, &any_part), "");
    assert_string_equal(sug, "Brulandsvika");
    /* a typo whose parts happen to find something, one edit from a word
     * the index holds, is offered its correction all the same */
    static const char *const name[][2] = {
        {"f1", "Planen for Vestfossen sentrum."},
        {"f2", "Vinden kom frå vest over Fosen."},
    };
    snprintf(db, sizeof db, "%s/name", tmp);
    fresh_hits(db, name, 2, "Vestfosen", true, &sug, &any_part);
    assert_string_equal(sug, "Vestfossen");
    /* leaves that passages hold as one word the index does not split
     * (behandlingssted: a known word with a part of four letters) are
     * searched as that word: behandling|sted|valg */
    static const char *const place[][2] = {
        {"b1", "Rett til valg av behandlingssted."},
        {"b2", "Valget skjer i mai."},
    };
    snprintf(db, sizeof db, "%s/place", tmp);
    assert_string_equal(fresh_hits(db, place, 2, "behandlingsstedsvalg", true, &sug, &any_part),
                        "b1");
    msk_test_rmtree(tmp);
}

/* Issue 11: "kommunestyre" ranked a law that says it twice above the one
 * that says it 262 times: its abbreviation k-styre was searched as "k" and
 * "styre" anywhere, and laws list items a) to k). A member of a synonym
 * group with a word of one or two letters is found as a phrase only. */
/* The index of the synonym groups by stem gives, in order, exactly the
 * groups a stem is in (checked against every group), for a stem in two
 * groups (hjelp: øh and kad), and none for a stem in no group. */
static void test_groups_with_stem(void **state)
{
    (void)state;
    const msk_lang *l = msk_lang_shared();
    const char *stems_tried[] = {"hjelp", "lms", "fastleg", "qzxvkj"};
    size_t found[4] = {0};
    for (size_t t = 0; t < 4; t++) {
        msk_buf st = {0};
        const char *w = stems_tried[t];
        assert_int_equal(msk_lang_stem(l, w, strlen(w), &st), MOTESOK_OK);
        const size_t *gs = NULL;
        size_t n = msk_lang_groups_with(l, st.data, &gs);
        size_t k = 0; /* the groups holding the stem, by a walk over all */
        for (size_t g = 0; g < msk_lang_n_groups(l); g++) {
            bool in = false;
            for (size_t m = 0; !in && m < msk_lang_group_size(l, g); m++) {
                const char *const *ms, *const *tight;
                size_t n_ms, n_tight;
                msk_lang_member(l, g, m, &ms, &n_ms, &tight, &n_tight);
                for (size_t i = 0; i < n_ms; i++)
                    in = in || strcmp(ms[i], st.data) == 0;
            }
            if (in) {
                assert_true(k < n);
                assert_int_equal(gs[k], g);
                k++;
            }
        }
        assert_int_equal(k, n);
        found[t] = n;
        msk_buf_free(&st);
    }
    assert_true(found[0] >= 2);
    assert_true(found[1] >= 1);
    assert_int_equal(found[3], 0);
}

static void test_short_abbreviation_is_a_phrase(void **state)
{
    (void)state;
    char tmp[256], db[300];
    const char *sug;
    bool any_part;
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "kstyre"));
    snprintf(db, sizeof db, "%s/db", tmp);
    static const char *const laws[][2] = {
        {"items", "Loven gjelder for a) skoler, b) barnehager, c) havner og k) kaier. "
                  "Styret gir forskrift."},
        {"k", "K-styret vedtok planen."},
        {"whole", "Kommunestyret vedtar budsjettet. Kommunestyret velger formannskap. "
                  "Kommunestyret kan delegere. Kommunestyret skal selv vedta planen, og "
                  "kommunestyret fastsetter reglementet for saksbehandlingen i utvalgene, "
                  "i rådet og i styrene for de kommunale foretakene og tjenestene."},
    };
    const char *got = fresh_hits(db, laws, 3, "kommunestyre", true, &sug, &any_part);
    if (strcmp(got, "whole k") != 0 && strcmp(got, "k whole") != 0)
        fail_msg("kommunestyre: hits \"%s\", want whole and k, not items", got);
    /* an abbreviation in a hyphenated word (parsed as a phrase) also finds
     * its group with the other word apart (issue 11: VA-gebyr) */
    static const char *const fees[][2] = {
        {"g1", "Gebyret for vann og avløp øker neste år."},
        {"g2", "Gebyr for renovasjon og feiing."},
        {"g3", "VA-gebyr for 2024 ble vedtatt."},
    };
    snprintf(db, sizeof db, "%s/fees", tmp);
    got = fresh_hits(db, fees, 3, "VA-gebyr", true, &sug, &any_part);
    if (strcmp(got, "g3 g1") != 0 && strcmp(got, "g1 g3") != 0)
        fail_msg("VA-gebyr: hits \"%s\", want g3 and g1, not g2", got);
    /* the abbreviations of running text find their words and back */
    static const char *const refs[][2] = {
        {"r1", "Saken behandles jf. kommuneloven kap. 11."},
        {"r2", "Jamfør kapittel 11 i kommuneloven."},
        {"r3", "Kommuneloven gjelder også her."},
    };
    snprintf(db, sizeof db, "%s/refs", tmp);
    static const char *const ref_queries[] = {"jamfør kapittel", "jf kap", "jfr. kap."};
    for (size_t i = 0; i < 3; i++) {
        got = fresh_hits(db, refs, 3, ref_queries[i], true, &sug, &any_part);
        if (strcmp(got, "r1 r2") != 0 && strcmp(got, "r2 r1") != 0)
            fail_msg("%s: hits \"%s\", want r1 and r2, not r3", ref_queries[i], got);
        msk_test_rmtree(db);
    }
    msk_test_rmtree(tmp);
}

static void test_spelling_suggestion(void **state)
{
    fixture *f = *state;
    const char *sug;
    assert_string_equal(hits(f, "rehabiltering", &sug), "");
    assert_string_equal(sug, "rehabilitering");
    assert_string_equal(hits(f, sug, NULL), "h");
    /* words that match (here through Nynorsk) are not corrected */
    hits(f, "tenester", &sug);
    assert_string_equal(sug, "");
    hits(f, "KAD", &sug);
    assert_string_equal(sug, "");
    /* an abbreviation in no document whose group finds something is no
     * typo: kad is not "kai" */
    assert_string_equal(hits(f, "kad", &sug), "e");
    assert_string_equal(sug, "");
    assert_string_equal(hits(f, "kaj", &sug), "");
    assert_string_equal(sug, "kai");
    /* typed with a capital, or quoted, a typo is still caught, and the
     * capital kept */
    hits(f, "Rehabiltering", &sug);
    assert_string_equal(sug, "Rehabilitering");
    hits(f, "\"rehabiltering\"", &sug);
    assert_string_equal(sug, "\"rehabilitering\"");
    /* corrections that would rewrite what was typed right: an abbreviation
     * (KAJ, not kai), a word the dictionaries hold (mark, not mars), and,
     * two edits away, a name (Rehbiltering, though rehbiltering is
     * rehabilitering), a compound of dictionary words (samhandlingsformen
     * is not samhandlingsreformen) or a word of four letters (arsm is not
     * mars) */
    static const char *const kept[] = {"KAJ", "mark", "Rehbiltering", "samhandlingsformen",
                                       "arsm"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        hits(f, kept[i], &sug);
        if (strcmp(sug, "") != 0)
            fail_msg("%s: suggestion \"%s\", want none", kept[i], sug);
    }
    hits(f, "rehbiltering", &sug);
    assert_string_equal(sug, "rehabilitering");
    hits(f, "mrs", &sug);
    assert_string_equal(sug, "mars");
}

/* Over shards, a word in one shard only is still suggested: Xapian sums a
 * word's trigram score over the databases searched together and skips a
 * word scoring well below the best seen before it (in alphabetical
 * order), so rehabilitere, in both shards and too far to be the answer,
 * hid rehabilitering, which one shard holds. */
static void test_spelling_over_shards(void **state)
{
    (void)state;
    char tmp[256], a[300], b[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "spellshards"));
    snprintf(a, sizeof a, "%s/0", tmp);
    snprintf(b, sizeof b, "%s/1", tmp);
    motesok_xwriter *w = writer(a);
    put_doc(w, "a1", "Rehabilitering i kommunen.", true);
    put_doc(w, "a2", "Vi skal rehabilitere bygget.", true);
    commit_close(w);
    w = writer(b);
    put_doc(w, "b1", "Kommunen vil rehabilitere skolen.", true);
    commit_close(w);
    const char *dirs[] = {a, b};
    fixture g = {0};
    assert_int_equal(motesok_xreader_open(dirs, 2, &g.r, NULL), MOTESOK_OK);
    const char *sug;
    assert_string_equal(hits(&g, "rehabiltering", &sug), "");
    assert_string_equal(sug, "rehabilitering");
    motesok_xreader_close(g.r);
    /* each shard has its own suggestion: the one fewer edits away wins,
     * though the other is more frequent */
    w = writer(b);
    put_doc(w, "b2", "Rehabiliteringa av skolen.", true);
    put_doc(w, "b3", "Rehabiliteringa av kirken.", true);
    commit_close(w);
    assert_int_equal(motesok_xreader_open(dirs, 2, &g.r, NULL), MOTESOK_OK);
    assert_string_equal(hits(&g, "rehabiltering", &sug), "");
    assert_string_equal(sug, "rehabilitering");
    hits(&g, "rehabilteringa", &sug);
    assert_string_equal(sug, "rehabiliteringa");
    motesok_xreader_close(g.r);
    msk_test_rmtree(tmp);
}

/* Deleted and replaced documents take their words out of the spelling
 * table: nothing is suggested that no document holds any more. */
static void test_spelling_follows_changes(void **state)
{
    (void)state;
    char tmp[256], db[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "spell"));
    snprintf(db, sizeof db, "%s/db", tmp);
    static const char *const versions[] = {"Plan for rehabilitering.", "Plan for rehabilitering.",
                                           "Plan for habilitering."};
    const char *sug;
    for (size_t v = 0; v < 3; v++) {
        motesok_xwriter *w = writer(db);
        put_doc(w, "p", versions[v], true);
        commit_close(w);
        fixture g = {.r = reader(db)};
        /* indexed twice, then replaced: the word went in twice, out twice
         * (rehabilitring is three edits from habilitering: too far) */
        hits(&g, "rehabilitring", &sug);
        assert_string_equal(sug, v < 2 ? "rehabilitering" : "");
        if (v == 2) {
            hits(&g, "habiliteing", &sug);
            assert_string_equal(sug, "habilitering");
        }
        motesok_xreader_close(g.r);
    }
    motesok_xwriter *w = writer(db);
    assert_int_equal(motesok_xwriter_delete(w, "Qp", NULL), MOTESOK_OK);
    commit_close(w);
    fixture g = {.r = reader(db)};
    hits(&g, "habiliteing", &sug);
    assert_string_equal(sug, "");
    motesok_xreader_close(g.r);
    msk_test_rmtree(tmp);
}

/* Index of the pair nynorsk → bokmal in n, or -1. */
static long find_pair(const msk_norsk *n, const char *nynorsk, const char *bokmal)
{
    for (size_t i = 0; i < msk_norsk_n_pairs(n); i++) {
        const char *nn, *nb;
        msk_norsk_pair(n, i, &nn, &nb);
        if (strcmp(nn, nynorsk) == 0 && (bokmal == NULL || strcmp(nb, bokmal) == 0))
            return (long)i;
    }
    return -1;
}

/* The generated pairs: a Bokmål query finds a Nynorsk passage (and back)
 * through a pair that only apertium-nno-nob gives, stadnamn → stedsnavn;
 * a hand-made pair wins over a generated one for the same stem. */
static void test_generated_pairs(void **state)
{
    (void)state;
    struct stat st;
    if (stat(GENERATED_PAIRS, &st) != 0) {
        print_message("skipped: no %s (the build generates it when apertium-nno-nob and "
                      "lttoolbox-dev are installed: scripts/install-deps.sh)\n",
                      GENERATED_PAIRS);
        skip();
    }
    msk_norsk *hand = NULL, *gen = NULL;
    assert_int_equal(msk_norsk_load(DATA_DIR, NULL, &hand, NULL), MOTESOK_OK);
    assert_int_equal(msk_norsk_load(GENERATED_DIR, NULL, &gen, NULL), MOTESOK_OK);
    assert_true(msk_norsk_n_pairs(gen) > 1000);
    assert_true(find_pair(gen, "stadnamn", "stedsnavn") >= 0);
    assert_int_equal(find_pair(hand, "stadnamn", NULL), -1); /* only generated */
    /* the shared data holds both, the hand-made pairs first */
    const msk_norsk *all = msk_norsk_shared();
    assert_int_equal(msk_norsk_n_pairs(all), msk_norsk_n_pairs(hand) + msk_norsk_n_pairs(gen));
    long at = find_pair(all, "stadnamn", "stedsnavn");
    assert_true(at >= (long)msk_norsk_n_pairs(hand));
    msk_norsk_free(hand);
    msk_norsk_free(gen);

    char tmp[256], db[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "generated"));
    snprintf(db, sizeof db, "%s/db", tmp);
    static const char *const nynorsk[2][2] = {
        {"x", "Kommunestyret vedtok nye stadnamn for vegane i bygda."},
        {"y", "Ny kai ved brygga."},
    };
    assert_string_equal(add_then_hits(db, nynorsk, 2, "stedsnavn"), "x");
    static const char *const bokmal[2][2] = {
        {"z", "Registeret over stedsnavn er oppdatert."},
        {"y", "Ny kai ved brygga."},
    };
    const char *got = add_then_hits(db, bokmal, 2, "stadnamn");
    if (strcmp(got, "x z") != 0 && strcmp(got, "z x") != 0)
        fail_msg("stadnamn: hits \"%s\", want x and z", got);
    msk_test_rmtree(tmp);
}

/* The generated compound table: compounds the dictionaries' splitter
 * missed (høringsfrist: høring has no compound flag) or split at the wrong
 * place (bosted|skravet for bosted|s|kravet), and a query for the compound
 * finds its parts apart; nosplit.txt still wins over the table. */
static void test_generated_compounds(void **state)
{
    (void)state;
    struct stat st;
    if (stat(GENERATED_COMPOUNDS, &st) != 0) {
        print_message("skipped: no %s (the build generates it when apertium-nno-nob, lttoolbox "
                      "and hunspell-no are installed: scripts/install-deps.sh)\n",
                      GENERATED_COMPOUNDS);
        skip();
    }
    static const char *const table[][2] = {
        {"høringsfrister", "høring|frister"},
        {"høringsfristen", "høring|fristen"},
        {"bostedskravet", "bosted|kravet"},
        {"vandelskravene", "vandel|kravene"},
        {"tvangsgrunnlag", "tvang|grunnlag"},
        /* in nosplit.txt: whole */
        {"barnehage", ""},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const char *got = split_str(table[i][0]);
        if (strcmp(got, table[i][1]) != 0)
            fail_msg("%s: split as \"%s\", want \"%s\"", table[i][0], got, table[i][1]);
    }
    /* a word listed in a nosplit.txt read before the table stays whole,
     * in every form */
    char dir[256], sub[300], p[400], dirs[700];
    make_data_dir(dir, sub, "nosplit");
    snprintf(p, sizeof p, "%s/nosplit.txt", sub);
    write_file(p, "høringsfrist\n");
    snprintf(dirs, sizeof dirs, "%s:%s", dir, GENERATED_DIR);
    msk_norsk *gen = NULL;
    assert_int_equal(msk_norsk_load(dirs, HUNSPELL_DIR, &gen, NULL), MOTESOK_OK);
    msk_split sp;
    assert_false(msk_norsk_split(gen, "høringsfrist", strlen("høringsfrist"), &sp));
    assert_false(msk_norsk_split(gen, "høringsfristene", strlen("høringsfristene"), &sp));
    assert_true(msk_norsk_split(gen, "bostedskravet", strlen("bostedskravet"), &sp));
    msk_norsk_free(gen);
    msk_test_rmtree(dir);

    char tmp[256], db[300];
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "compounds"));
    snprintf(db, sizeof db, "%s/db", tmp);
    static const char *const docs[2][2] = {
        {"h", "Fristen for høring av planforslaget er satt til 1. mars."},
        {"k", "Kommunestyret behandlet saken om nye frister for søknader."},
    };
    assert_string_equal(add_then_hits(db, docs, 2, "høringsfrist"), "h");
    msk_test_rmtree(tmp);
}

int main(void)
{
    setenv("MOTESOK_DATA_DIR", DATA_DIR ":" GENERATED_DIR, 1);
    setenv("MOTESOK_HUNSPELL_DIR", HUNSPELL_DIR, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_reads_files_and_reports_bad_lines),
        cmocka_unit_test(test_load_extra_words),
        cmocka_unit_test(test_load_compound_table),
        cmocka_unit_test(test_split_compounds),
        cmocka_unit_test(test_split_leaves_whole),
        cmocka_unit_test(test_split_no_suffix_parts),
        cmocka_unit_test(test_known_words_with_endings),
        cmocka_unit_test(test_stems_meet),
        cmocka_unit_test(test_stopwords_both_standards),
        cmocka_unit_test(test_query_operator_upper_case_only),
        cmocka_unit_test(test_query_norwegian_operator),
        cmocka_unit_test(test_query_date_forms),
        cmocka_unit_test(test_query_month_named),
        cmocka_unit_test(test_query_date_range),
        cmocka_unit_test(test_query_bound),
        cmocka_unit_test_setup_teardown(test_queries_meet_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compound_cut_searched_once, setup, teardown),
        cmocka_unit_test(test_whole_word_ranks_first),
        cmocka_unit_test(test_any_word_counts_the_words_held),
        cmocka_unit_test(test_any_part_counts_half),
        cmocka_unit_test(test_any_word_kommune_counts_more),
        cmocka_unit_test(test_reranked_pages),
        cmocka_unit_test(test_compounds_typo_and_fallback),
        cmocka_unit_test(test_compound_cut_by_index_words),
        cmocka_unit_test(test_ellipses_written_out),
        cmocka_unit_test(test_groups_with_stem),
        cmocka_unit_test(test_short_abbreviation_is_a_phrase),
        cmocka_unit_test_setup_teardown(test_spelling_suggestion, setup, teardown),
        cmocka_unit_test(test_spelling_over_shards),
        cmocka_unit_test(test_spelling_follows_changes),
        cmocka_unit_test(test_generated_pairs),
        cmocka_unit_test(test_generated_compounds),
        cmocka_unit_test(test_query_text),
        cmocka_unit_test(test_word_case),
        cmocka_unit_test(test_part_score),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
