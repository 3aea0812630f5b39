/* Tests for lib/dates.c and lib/minutes.c: a table of date forms, the
 * hand-checked truth table of the five real minutes in corpus/, and
 * minutes of other layouts under tests/data/minutes/. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "motesok/extract.h"
#include "motesok/minutes.h"

static void test_parse_date_forms(void **state)
{
    (void)state;
    static const struct { const char *text; const char *want; } cases[] = {
        {"Møtetidspunkt: Tirsdag 23. februar 2018 kl. 09.00", "2018-02-23"},
        {"Møtedato: Fredag 27.8.2010", "2010-08-27"},
        {"Dato 18.09.2018", "2018-09-18"},
        {"REFERAT KOMMUNEGRUPPENETTVERK – 4. DESEMBER 2018", "2018-12-04"},
        {"Torsdag 01.06.2017 kl. 09.00 – 11.30", "2017-06-01"},
        {"Referat fra møte i Rådmannsgruppen 01. juni 2017", "2017-06-01"},
        {"referat frå møte 26.01.18.", "2018-01-26"},
        {"møtet 17.09. 2018", "2018-09-17"},
        {"2018-02-23", "2018-02-23"},
        {"Tysdag 5. mars 2019", "2019-03-05"},
        {"måndag 14. oktober 2019", "2019-10-14"},
        {"Laurdag 1. juli 2017", "2017-07-01"},
        {"4 desember 2018", "2018-12-04"},
        {"12. Des. 2016", "2016-12-12"},
        {"29.02.2016 (skuddår)", "2016-02-29"},
        {"31.12.99", "1999-12-31"},
        {"1.1.2000", "2000-01-01"},
        {"Fra 3. januar 2011 til 4. februar 2011", "2011-01-03"},
        {"Onsdag 7. SEPTEMBER 2016", "2016-09-07"},
        {"kl. 09.00 den 15.06.2017", "2017-06-15"},
        {"sept 2018: 9. sept 2018", "2018-09-09"},
        {"NOVEMBER 30. november 2020", "2020-11-30"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int y = 0, m = 0, d = 0;
        if (motesok_parse_date(cases[i].text, strlen(cases[i].text), &y, &m, &d, NULL, NULL) != MOTESOK_OK)
            fail_msg("no date found in '%s'", cases[i].text);
        char got[16];
        snprintf(got, sizeof got, "%04d-%02d-%02d", y, m, d);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("'%s': got %s, want %s", cases[i].text, got, cases[i].want);
    }
    static const char *const none[] = {
        "kl. 09.00 – 12.30", "31.02.2018", "29.02.2017", "6/4-2018", "13.13.2013",
        "Sak 12/2017", "2018-13-01", "0. mai 2018", "32. januar 2018", "ingen dato her", "",
        "123.45.6789", "1.2.3", "5. maibom 2018",
    };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        int y, m, d;
        if (motesok_parse_date(none[i], strlen(none[i]), &y, &m, &d, NULL, NULL) != MOTESOK_ERR_NOT_FOUND)
            fail_msg("'%s' gave a date %04d-%02d-%02d", none[i], y, m, d);
    }
    size_t at = 0, len = 0;
    int y, m, d;
    assert_int_equal(motesok_parse_date("Dato: 18.09.2018 kl", 19, &y, &m, &d, &at, &len), MOTESOK_OK);
    assert_int_equal(at, 6);
    assert_int_equal(len, 10);
}

/* Parse a text file (any encoding) into minutes. */
static motesok_minutes *parse_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    motesok_text *t = NULL;
    assert_int_equal(motesok_extract_text_buffer(buf, n, NULL, NULL, &t, NULL), MOTESOK_OK);
    motesok_minutes *m = NULL;
    assert_int_equal(motesok_minutes_parse((const char *const *)t->pages, t->page_lens, t->n_pages,
                                           &m, NULL), MOTESOK_OK);
    motesok_text_free(t);
    return m;
}

/* Expected structure of one document, written by hand. */
typedef struct truth {
    const char *file;
    const char *organ;
    const char *date;
    const char *cases[12];  /* "number|title prefix|D" (D: has a decision) or "number|prefix|-" */
    const char *decision_has[4]; /* "number|words the decision text contains" */
} truth;

/* Check parsed minutes against a truth entry; counts cases found. */
static void check(const truth *t, const char *dir, size_t *expected, size_t *found)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, t->file);
    motesok_minutes *m = parse_file(path);
    if (t->organ == NULL ? m->organ != NULL : (m->organ == NULL || strcmp(m->organ, t->organ) != 0))
        fail_msg("%s: organ '%s', want '%s'", t->file, m->organ ? m->organ : "(none)",
                 t->organ ? t->organ : "(none)");
    if (strcmp(m->date, t->date) != 0)
        fail_msg("%s: date '%s', want '%s'", t->file, m->date, t->date);
    size_t want = 0;
    while (want < 12 && t->cases[want] != NULL)
        want++;
    if (m->n_cases != want)
        fail_msg("%s: %zu cases, want %zu", t->file, m->n_cases, want);
    for (size_t i = 0; i < want; i++) {
        char num[32], title[200], dec[4];
        if (sscanf(t->cases[i], "%31[^|]|%199[^|]|%3s", num, title, dec) != 3)
            fail_msg("bad truth entry %s", t->cases[i]);
        const motesok_case *c = &m->cases[i];
        if (strcmp(c->number, num) != 0)
            fail_msg("%s: case %zu number '%s', want '%s'", t->file, i, c->number, num);
        if (strncmp(c->title, title, strlen(title)) != 0)
            fail_msg("%s: case %s title '%s', want '%s…'", t->file, num, c->title, title);
        if ((c->decision != NULL) != (dec[0] == 'D'))
            fail_msg("%s: case %s decision %s, want %s", t->file, num, c->decision ? c->decision : "(none)",
                     dec[0] == 'D' ? "one" : "none");
        assert_true(c->page_first >= 1 && c->page_last >= c->page_first);
        assert_true(c->end > c->start);
        (*found)++;
    }
    *expected += want;
    for (size_t k = 0; k < 4 && t->decision_has[k] != NULL; k++) {
        char num[32], words[200];
        assert_int_equal(sscanf(t->decision_has[k], "%31[^|]|%199[^\n]", num, words), 2);
        const motesok_case *c = NULL;
        for (size_t i = 0; i < m->n_cases; i++)
            if (strcmp(m->cases[i].number, num) == 0)
                c = &m->cases[i];
        if (c == NULL || c->decision == NULL || strstr(c->decision, words) == NULL)
            fail_msg("%s: decision of %s lacks '%s': %s", t->file, num, words,
                     c && c->decision ? c->decision : "(none)");
    }
    motesok_minutes_free(m);
}

/* The five real minutes, checked by reading them. 003 is a network meeting
 * with an agenda of discussion topics and no numbered cases or decisions:
 * it has no cases, and stands as a whole document. */
static const truth corpus_truth[] = {
    {"2018-02-23-radmannsutvalget-referat.txt", "Rådmannsutvalget", "2018-02-23",
     {"04/2018|Godkjenning av innkalling og sakliste|D", "05/2018|Aktuelle høringer|-",
      "06/2018|Orientering; NGLMS|D"},
     {"04/2018|Godkjent", "06/2018|Fagrådet for innkjøp varsler Odin Prosjekt AS"}},
    {"2017-06-01-radmannsgruppen-referat.txt", "Rådmannsgruppen", "2017-06-01",
     {"12/2017|Referat fra møte i Rådmannsgruppen|D", "13/2017|Referat fra møte i Styringsgruppen|D",
      "14/2017|Tertialrapport 1|D", "15/2017|Møteplan 2018|-", "16/2017|Studietur november 2017|D",
      "17/2017|Kommunehelsesamarbeidet|D", "18/2016|Prosjekter innen prioriterte|D",
      "19/2016|Øvrige orienteringer|-", "20/2016|Eventuelt|-"},
     {"16/2017|studieturen avholdes i Norge", "12/2017|Framlagte forslag til referat godkjennes"}},
    {"2018-09-18-rag-referat.txt", "RAG", "2018-09-18",
     {"1|Tilbakemeldinger fra møte med lokale arbeidsgrupper|-"}, {NULL}},
    {"2018-12-04-kommunegruppenettverk-referat.txt", "Kommunegruppenettverk", "2018-12-04",
     {NULL}, {NULL}},
    {"2010-08-27-regionradet-for-hallingdal-motebok.txt", "Regionrådet for Hallingdal", "2010-08-27",
     {"49/10|Sluttrapport for forprosjektet – hallingdal lokalmedisinske senter|D"},
     {"49/10|godkjennar sluttrapport for forprosjektet", "49/10|beslutningspunkt"}},
};

static void test_minutes_parse_corpus_truth(void **state)
{
    (void)state;
    size_t expected = 0, found = 0;
    for (size_t i = 0; i < sizeof corpus_truth / sizeof *corpus_truth; i++)
        check(&corpus_truth[i], MOTESOK_SOURCE_DIR "/corpus", &expected, &found);
    assert_int_equal(expected, 14);
    assert_int_equal(found, 14);
}

/* Minutes written for these tests in other common layouts. */
static const truth layout_truth[] = {
    {"kommunestyre-ps.txt", "Kommunestyret", "2019-03-12",
     {"21/19|Godkjenning av innkalling og saksliste|D", "22/19|Ny barnehage på Solbakken|-",
      "23/19|Referatsaker|-"},
     {"21/19|Innkalling og saksliste godkjennes"}},
    {"formannskap.txt", "Formannskapet", "2019-03-14",
     {"12/19|Budsjettjustering 1. tertial|D", "13/19|Salg av tomt i Industrivegen|D",
      "14/19|Eventuelt|-"},
     {"12/19|ber rådmannen legge fram tiltak", "13/19|1,4 mill. kr"}},
    {"nynorsk-hovudutval.txt", "Hovudutval for oppvekst og kultur", "2019-03-05",
     {"7/19|Skulebruksplan for Ytre Sogn|D", "8/19|Tilskot til lag og organisasjonar|D",
      "9/19|Referatsaker|-"},
     {"7/19|vidareføre dagens skulestruktur"}},
    {"levekar-sak-nr.txt", "Levekårsutvalget", "2020-02-03",
     {"3/2020|Rusmiddelpolitisk handlingsplan|D", "4/2020|Orientering om legevakt|-",
      "5/2020|Eventuelt|-"},
     {"3/2020|slutter seg til planen"}},
    {"referat-nummerert.txt", "Eldrerådet", "2018-09-11",
     {"1|Godkjenning av referat fra forrige møte|D", "2|Orientering om hjemmetjenesten|D",
      "3|Eventuelt|-"},
     {"2|ber om ny orientering i desember"}},
    {"uten-struktur.txt", NULL, "", {NULL}, {NULL}},
    {"tosifret-aar.txt", "Kontrollutvalget", "2019-11-05",
     {"45/19|Revisjonsplan 2020|D", "46/19|Oppfølging av forvaltningsrevisjon barnevern|-"},
     {"45/19|vedtar revisjonsplanen"}},
    {"versaler.txt", "Fylkesutvalget", "2021-06-17",
     {"31/2021|Regional plan for samferdsel|D", "32/2021|Tannhelsetjenesten – årsmelding|D"},
     {"31/2021|sender planen på høring"}},
    {"innstilling.txt", "Planutvalget", "2022-04-20",
     {"14/22|Detaljregulering for Nordre Sandvik|-", "15/22|Dispensasjon for naust i strandsonen|D"},
     {"15/22|Søknaden avslås"}},
    {"datoer-i-teksten.txt", "Ungdomsrådet", "2022-05-02",
     {"4/22|Oppfølging frå møtet 14.02.2022|D", "5/22|Budsjettinnspel for 2023|D"},
     {"5/22|sendt til formannskapet"}},
    {"ps-aarstall.txt", "Formannskapet", "2019-05-28",
     {"23/2019|Finansrapport 1. tertial 2019|D", "24/2019|Startlån|D"},
     {"24/2019|økes med 10 mill. kr"}},
};

static void test_minutes_parse_other_layouts(void **state)
{
    (void)state;
    size_t expected = 0, found = 0;
    for (size_t i = 0; i < sizeof layout_truth / sizeof *layout_truth; i++)
        check(&layout_truth[i], MOTESOK_SOURCE_DIR "/tests/data/minutes", &expected, &found);
    assert_int_equal(found, expected);
    assert_true(expected >= 25);
}

static void test_minutes_parse_attendance(void **state)
{
    (void)state;
    motesok_minutes *m = parse_file(MOTESOK_SOURCE_DIR "/corpus/2017-06-01-radmannsgruppen-referat.txt");
    assert_string_equal(m->place, "Drammen rådhus");
    assert_non_null(strstr(m->absent, "Torger Ødegaard"));
    assert_non_null(strstr(m->present, "Kirsti Aas Olsen"));
    motesok_minutes_free(m);
    m = parse_file(MOTESOK_SOURCE_DIR "/corpus/2018-09-18-rag-referat.txt");
    assert_string_equal(m->referent, "Line Kristoffersen");
    assert_string_equal(m->place, "Ranheimsvegen");
    assert_null(m->absent); /* "Forfall" is empty there */
    motesok_minutes_free(m);
}

static void test_minutes_parse_no_structure_and_empty(void **state)
{
    (void)state;
    const char *pages[] = {"Bare litt tekst uten struktur.\nIngen saker her."};
    size_t lens[] = {strlen(pages[0])};
    motesok_minutes *m = NULL;
    assert_int_equal(motesok_minutes_parse(pages, lens, 1, &m, NULL), MOTESOK_OK);
    assert_int_equal(m->n_cases, 0);
    assert_null(m->organ);
    assert_string_equal(m->date, "");
    motesok_minutes_free(m);
    assert_int_equal(motesok_minutes_parse(NULL, NULL, 0, &m, NULL), MOTESOK_OK);
    assert_int_equal(m->n_cases, 0);
    motesok_minutes_free(m);
}

static void test_minutes_parse_page_spans(void **state)
{
    (void)state;
    const char *pages[] = {
        "Kommunestyret\nMøtedato: 12.03.2019\n\nPS 1/19 Godkjenning av protokoll\nVedtak:\nGodkjent.\n",
        "PS 2/19 Budsjett 2020\nLang saksframstilling.\n",
        "Mer om budsjettet.\nVedtak i Kommunestyret:\nBudsjettet vedtas som foreslått.\n",
    };
    size_t lens[] = {strlen(pages[0]), strlen(pages[1]), strlen(pages[2])};
    motesok_minutes *m = NULL;
    assert_int_equal(motesok_minutes_parse(pages, lens, 3, &m, NULL), MOTESOK_OK);
    assert_string_equal(m->organ, "Kommunestyret");
    assert_string_equal(m->date, "2019-03-12");
    assert_int_equal(m->n_cases, 2);
    assert_string_equal(m->cases[0].number, "1/19");
    assert_int_equal(m->cases[0].page_first, 1);
    assert_string_equal(m->cases[1].number, "2/19");
    assert_int_equal(m->cases[1].page_first, 2);
    assert_int_equal(m->cases[1].page_last, 3);
    assert_string_equal(m->cases[1].decision, "Budsjettet vedtas som foreslått.");
    /* the byte range points into the pages joined by form feeds */
    assert_int_equal(m->cases[1].start, lens[0] + 1);
    motesok_minutes_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_date_forms),
        cmocka_unit_test(test_minutes_parse_corpus_truth),
        cmocka_unit_test(test_minutes_parse_other_layouts),
        cmocka_unit_test(test_minutes_parse_attendance),
        cmocka_unit_test(test_minutes_parse_no_structure_and_empty),
        cmocka_unit_test(test_minutes_parse_page_spans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
