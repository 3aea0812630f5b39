/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Minutes structure (lib/minutes/minutes.h): the pipeline over the
 * modules of lib/minutes/ — lines, numbers, header, cases, decisions. */
#include "minutes/mn.h"

#include <stdlib.h>
#include <string.h>

#define HEADER_LINES 40 /* filled lines that may hold the meeting's metadata */

/* Line openings that mark a text as minutes, a summons or a case paper. */
static const char *const meeting_marks[] = {
    "Møtedato", "Møtetid", "Møtetidspunkt", "Møtested", "Møtestad", "Til stede", "Tilstede",
    "Tilstades", "Forfall", "Disse møtte", "Desse møtte", "Møteprotokoll", "Møtebok", "Protokoll",
    "Referat", "Møteinnkalling", "Innkalling", "Saksliste", "Sakliste", "Utvalg", "Utval",
    "Møtet gjaldt", "Utskrift av møtebok", "Saksframlegg", "Saksprotokoll", "Møte i", "Organ",
    "Tid og sted", "Tid og stad", "Dato og tid",
};

/* True if line l carries evidence of a meeting. */
static bool meeting_mark(const mn_line *l)
{
    for (size_t k = 0; k < MN_N_OF(meeting_marks); k++)
        if (msk_mn_starts_word_ci(l->p, l->len, meeting_marks[k]))
            return true;
    return msk_mn_contains_ci(l->p, l->len, "møte i ") || msk_mn_contains_ci(l->p, l->len, "møtet i ") ||
           msk_mn_is_label_word(l->p, l->len);
}

/* The line where the meeting's header ends: the first case heading, or
 * HEADER_LINES filled lines, whichever comes first. */
static size_t header_end(const mn_doc *d, const mn_heading *f, size_t n)
{
    size_t limit = d->n;
    for (size_t i = 0, filled = 0; i < d->n; i++)
        if (d->lines[i].len > 0 && ++filled > HEADER_LINES) {
            limit = i;
            break;
        }
    return n > 0 && f[0].line < limit ? f[0].line : limit;
}

/* Line openings that only minutes, summonses and case papers have (a
 * letter may well say "Utvalg for plan behandlet saken i møte …"). */
static bool strong_mark(const mn_line *l)
{
    static const char *const marks[] = {"Møtedato", "Møtested", "Møtestad", "Møteprotokoll",
                                        "Møtebok", "Møteinnkalling", "Saksliste", "Sakliste",
                                        "Til stede", "Tilstede", "Tilstades", "Saksframlegg",
                                        "Sakspapir", "Saksprotokoll"};
    for (size_t k = 0; k < MN_N_OF(marks); k++)
        if (msk_mn_starts_word_ci(l->p, l->len, marks[k]))
            return true;
    return false;
}

/* Title words of documents that are not meeting papers (rules, laws,
 * extracts, guides). */
static const char *const other_documents[] = {
    "reglement", "delegeringsreglement", "forskrift", "lov", "lovutdrag", "utdrag", "retningslinjer",
    "retningsliner", "vedtekter", "vedtekt", "instruks", "veileder", "rettleiar", "rettleiing",
    "årsmelding", "årsrapport", "rapport", "forvaltningsrevisjon", "pressemelding",
    "melding om vedtak", "høringsuttalelse", "høyringsfråsegn",
};

#define TITLE_LINES 3 /* filled lines at the top that may name the document */

/* True if one of the document's first filled lines (after a letterhead)
 * names it a document of another kind ("REGLEMENT FOR KOMMUNESTYRET",
 * "ÅRSMELDING 2020", "UTDRAG - REGLAR OM …"), and no line before it
 * names minutes. */
static bool other_document(const mn_doc *d)
{
    for (size_t i = msk_mn_next_filled(d, 0), seen = 0; i < d->n && seen < TITLE_LINES;
         i = msk_mn_next_filled(d, i + 1), seen++) {
        if (strong_mark(&d->lines[i]))
            return false;
        for (size_t k = 0; k < MN_N_OF(other_documents); k++)
            if (msk_mn_starts_word_ci(d->lines[i].p, d->lines[i].len, other_documents[k]))
                return true;
        /* "Kontrollutvalgets årsmelding 2021" */
        static const char *const reports[] = {" årsmelding", " årsrapport"};
        if (msk_mn_words(d->lines[i].p, d->lines[i].len) <= 6 &&
            msk_mn_contains_any_ci(d->lines[i].p, d->lines[i].len, reports, MN_N_OF(reports)))
            return true;
    }
    return false;
}

#define LETTER_LINES 15 /* filled lines at the top that may hold a letterhead */


/* True if the top of the document is a letterhead ("Vår ref.", "Deres
 * ref.") and no line there marks a meeting: a letter about cases, whose
 * case numbers refer to other bodies' meetings. */
static bool letter(const mn_doc *d)
{
    bool refs = false;
    for (size_t i = 0, seen = 0; i < d->n && seen < LETTER_LINES; i++) {
        const mn_line *l = &d->lines[i];
        if (l->len == 0)
            continue;
        seen++;
        if (strong_mark(l))
            return false;
        refs = refs || msk_mn_contains_ci(l->p, l->len, "vår ref") ||
               msk_mn_contains_ci(l->p, l->len, "deres ref") || msk_mn_contains_ci(l->p, l->len, "dykkar ref");
    }
    return refs;
}

/* True if the header [0, hend) or the cases mark the text as minutes;
 * other (a letter, a report, a law) says it is another kind of text. */
static bool reads_as_minutes(const mn_doc *d, size_t hend, size_t n_headings, bool other)
{
    if (other)
        return false;
    if (n_headings > 0)
        return true;
    for (size_t i = 0; i < hend; i++)
        if (d->lines[i].len > 0 && meeting_mark(&d->lines[i]))
            return true;
    return false;
}

#define SUMMONS_LINES 5 /* filled lines at the top that may name a summons */

/* Words that open the title of a summons, and phrases that call a meeting. */
static const char *const summons_words[] = {"møteinnkalling", "innkalling", "innkalling til"};
static const char *const summons_phrases[] = {"det innkalles til møte", "det vert kalla inn til møte",
                                              "det blir kalt inn til møte", "innkallast til møte"};

/* Words of a header line that make the document a record of the meeting. */
static const char *const record_words[] = {
    "møteprotokoll", "protokoll", "møtebok", "saksprotokoll", "beslutningsprotokoll",
    "referat", "utskrift av møtebok", "utskrift av møteprotokoll", "møtereferat",
};

/* True if the header [0, hend) makes the document a summons that records
 * no result: a summons title at the top or a call to the meeting, and no
 * line opening with a record word. */
static bool summons_only(const mn_doc *d, size_t hend)
{
    bool summons = false;
    for (size_t i = 0, seen = 0; i < hend; i++) {
        const mn_line *l = &d->lines[i];
        if (l->len == 0)
            continue;
        seen++;
        for (size_t k = 0; k < MN_N_OF(record_words); k++)
            if (msk_mn_opens_with(l->p, l->len, record_words[k]))
                return false;
        for (size_t k = 0; k < MN_N_OF(summons_words) && seen <= SUMMONS_LINES; k++)
            if (msk_mn_opens_with(l->p, l->len, summons_words[k]) &&
                !msk_mn_contains_ci(l->p, l->len, "godkj") && !msk_mn_contains_ci(l->p, l->len, "vedt"))
                summons = true;
        for (size_t k = 0; k < MN_N_OF(summons_phrases); k++)
            summons = summons || msk_mn_contains_ci(l->p, l->len, summons_phrases[k]);
    }
    return summons;
}

/* Nothing is decided at a summons: drop what its case papers adopted
 * earlier (another body's treatment). */
static void drop_decisions(motesok_minutes *m)
{
    for (size_t i = 0; i < m->n_cases; i++) {
        free(m->cases[i].decision);
        m->cases[i].decision = NULL;
    }
}

/* Parse d into m; false on allocation failure. */
static bool parse_doc(const mn_doc *d, motesok_minutes *m)
{
    bool nomem = false;
    size_t n = 0;
    mn_heading *f = msk_mn_find_headings(d, &n, &nomem);
    size_t hend = header_end(d, f, n);
    bool other = other_document(d) || letter(d);
    bool minutes = reads_as_minutes(d, hend, n, other);
    bool summons = summons_only(d, hend);
    free(f);
    if (nomem)
        return false;
    int year = msk_mn_cases_year(d);
    msk_mn_header(d, hend, year, minutes, m);
    if (m->date[0] != '\0')
        year = atoi(m->date);
    /* a letter or a report names cases of meetings, it holds none */
    if (!other && !msk_mn_cases(d, year, minutes, m))
        return false;
    if (summons)
        drop_decisions(m);
    return true;
}

motesok_status motesok_minutes_parse(const char *const *pages, const size_t *page_lens,
                                     size_t n_pages, motesok_minutes **out, motesok_error *err)
{
    *out = NULL;
    if (n_pages > 0 && (pages == NULL || page_lens == NULL))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "minutes: pages missing");
    motesok_minutes *m = calloc(1, sizeof *m);
    mn_doc d;
    if (m == NULL || !msk_mn_doc_build(pages, page_lens, n_pages, &d) || !parse_doc(&d, m)) {
        msk_mn_doc_free(&d);
        motesok_minutes_free(m);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory parsing minutes");
    }
    msk_mn_doc_free(&d);
    *out = m;
    return MOTESOK_OK;
}

void motesok_minutes_free(motesok_minutes *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_cases; i++) {
        free(m->cases[i].number);
        free(m->cases[i].key);
        free(m->cases[i].title);
        free(m->cases[i].proposal);
        free(m->cases[i].decision);
    }
    free(m->cases);
    free(m->organ);
    free(m->kommune);
    free(m->place);
    free(m->present);
    free(m->absent);
    free(m->referent);
    free(m);
}
