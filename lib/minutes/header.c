/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The meeting's header: date (also without a year), place and attendance,
 * and the organ and kommune (organ.c) — empty when the text is no minutes. */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FIELD_MAX 600 /* bytes kept of place/attendance fields */

/* ---- the meeting date ---------------------------------------------------------- */

/* Labels in front of the meeting date. */
static const char *const date_labels[] = {
    "Møtedato", "Møtedag", "Møtetidspunkt", "Møtetid", "Tidspunkt", "Dato og tid", "Dato og stad",
    "Dato", "Tid og stad", "Tid og sted", "Tid", "Date", "Møtestad og tid", "Møtested og tid",
    "Når",
};

/* Words of a line whose date is not the meeting's: signing, sending,
 * announcing, approving. */
static const char *const other_dates[] = {
    "kunngjort", "underskrevet", "underskrive", "publisert", "utsendt", "sendt", "signert",
    "godkjent", "utskrift", "dato for", "frist", "innkallingsdato", "utskriftsdato", "skrevet",
    "journal", "arkiv", "vår ref", "deres ref", "neste møte", "neste møter", "generert", "produsert",
    "opprettet", "oppretta", "utskrevet", "printet", "lastet ned", "lasta ned", "sist endret",
    "sist endra", "oppdatert",
};

/* Words that name an earlier meeting ("Godkjenning av protokoll frå møte
 * 10.02") unless the line starts with them: "Protokoll frå møte tysdag 3.
 * mars" is the title of these minutes. */
static const char *const earlier_meeting[] = {
    "referat frå møte", "referat fra møte", "protokoll frå", "protokoll fra",
};

/* Weekday names that may stand before a date without a year. */
static const char *const weekdays[] = {
    "mandag", "måndag", "tirsdag", "tysdag", "onsdag", "torsdag", "fredag", "lørdag", "laurdag",
    "søndag", "sundag",
};

static const char *const month_names[] = {
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "desember",
};

/* True if line l starts with any of n labels (case-insensitive). */
static bool starts_any(const mn_line *l, const char *const *labels, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (msk_mn_starts_word_ci(l->p, l->len, labels[k]))
            return true;
    return false;
}

/* True if line l talks about a date that is not the meeting's. */
static bool other_date_line(const mn_line *l)
{
    for (size_t k = 0; k < MN_N_OF(other_dates); k++)
        if (msk_mn_contains_ci(l->p, l->len, other_dates[k]))
            return true;
    if (msk_mn_starts_word_ci(l->p, l->len, "protokoll") || msk_mn_starts_word_ci(l->p, l->len, "referat"))
        return false;
    for (size_t k = 0; k < MN_N_OF(earlier_meeting); k++)
        if (msk_mn_contains_ci(l->p, l->len, earlier_meeting[k]))
            return true;
    return false;
}

#define DATE_CONTEXT 60 /* bytes before a date in a flattened line that speak of it */

/* Like other_date_line, but in a flattened line (a page in one line) only
 * the words just before its first date count. */
static bool other_date_line_near(const mn_line *l)
{
    int y, m, dd;
    size_t at = 0;
    if (l->len <= 2 * DATE_CONTEXT ||
        motesok_parse_date(l->p, l->len, &y, &m, &dd, &at, NULL) != MOTESOK_OK)
        return other_date_line(l);
    size_t a = at > DATE_CONTEXT ? at - DATE_CONTEXT : 0;
    mn_line w = {l->p + a, at - a, 0, 0, 0, 0, 0};
    return other_date_line(&w);
}

/* Month of the word at p (full name, any case), 0 if none; *n its length. */
static int month_at(const char *p, size_t len, size_t *n)
{
    for (size_t k = 0; k < MN_N_OF(month_names); k++)
        if (msk_mn_starts_word_ci(p, len, month_names[k])) {
            *n = strlen(month_names[k]);
            return (int)k + 1;
        }
    return 0;
}

/* A date without a year after a weekday: "Fredag 7. november"; true with
 * day and month. */
static bool yearless_date(const char *p, size_t len, int *m, int *d)
{
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && isalpha((unsigned char)p[i - 1]))
            continue;
        size_t w = 0;
        for (size_t k = 0; k < MN_N_OF(weekdays) && w == 0; k++)
            if (msk_mn_starts_word_ci(p + i, len - i, weekdays[k]))
                w = strlen(weekdays[k]);
        if (w == 0)
            continue;
        size_t j = i + w;
        while (j < len && (p[j] == ' ' || p[j] == ','))
            j++;
        int day = 0, nd = 0;
        while (j < len && isdigit((unsigned char)p[j]) && nd < 3)
            day = day * 10 + (p[j++] - '0'), nd++;
        if (nd == 0 || nd > 2 || j >= len || p[j] != '.')
            continue;
        j++;
        while (j < len && p[j] == ' ')
            j++;
        size_t mn = 0;
        int month = month_at(p + j, len - j, &mn);
        if (month == 0 || day < 1 || day > 31)
            continue;
        *m = month, *d = day;
        return true;
    }
    return false;
}

/* Write the date of line l into out, using year_hint for a yearless date;
 * false if it has none. */
static bool line_date(const mn_line *l, int year_hint, char out[11], bool *yearless)
{
    int y, m, d;
    *yearless = false;
    if (motesok_parse_date(l->p, l->len, &y, &m, &d, NULL, NULL) == MOTESOK_OK) {
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    if (year_hint > 0 && yearless_date(l->p, l->len, &m, &d)) {
        char probe[16];
        int n = snprintf(probe, sizeof probe, "%02d.%02d.%04d", d, m, year_hint);
        if (motesok_parse_date(probe, (size_t)n, &y, &m, &d, NULL, NULL) != MOTESOK_OK)
            return false; /* 30. februar */
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        *yearless = true;
        return true;
    }
    return false;
}

/* The date after a date label at line i (same line or within 4 filled
 * lines below, for stacked labels); true with out. */
static bool labelled_date(const mn_doc *d, size_t i, size_t hend, int year_hint, char out[11])
{
    bool yl;
    for (size_t j = i, seen = 0; j < hend && seen < 5; j++) {
        if (d->lines[j].len == 0)
            continue;
        seen++;
        if (j > i && other_date_line(&d->lines[j]))
            return false;
        if (line_date(&d->lines[j], year_hint, out, &yl))
            return true;
    }
    return false;
}

/* The line past the first 40 filled lines (or the end): the top of the
 * document, where a labelled meeting date may stand below a case line. */
static size_t top_lines(const mn_doc *d)
{
    for (size_t i = 0, filled = 0; i < d->n; i++)
        if (d->lines[i].len > 0 && ++filled > 40)
            return i;
    return d->n;
}

/* The date after a meeting-date label in lines [a, b) into m; a text that
 * is no minutes takes only "Møtedato" (a letter's "Dato:" is when it was
 * written). True if found. */
static bool labelled_meeting_date(const mn_doc *d, size_t a, size_t b, int year_hint, bool minutes,
                                  motesok_minutes *m)
{
    for (size_t i = a; i < b; i++) {
        const mn_line *l = &d->lines[i];
        if (l->len == 0 || !starts_any(l, date_labels, MN_N_OF(date_labels)) || other_date_line(l))
            continue;
        if (!minutes && !msk_mn_starts_word_ci(l->p, l->len, "Møtedato"))
            continue;
        if (labelled_date(d, i, b, year_hint, m->date)) {
            m->date_conf = 0.9f;
            return true;
        }
    }
    return false;
}

#define PHRASE_WINDOW 80 /* bytes after "holder møte" that may hold its date */

/* The date in the words that call or record the meeting ("Kommunestyret
 * holder møte torsdag 14. mars kl. 18.00", "hadde møte … 18. april
 * 2024"), also in a flattened page where a signing date comes first;
 * true with out. */
static bool meeting_phrase_date(const mn_doc *d, size_t hend, int year_hint, char out[11])
{
    static const char *const phrases[] = {"holder møte", "holdt møte", "hadde møte", "har møte",
                                          "held møte", "heldt møte", "innkalles til møte",
                                          "kalla inn til møte", "innkallast til møte"};
    for (size_t i = 0; i < hend; i++) {
        const mn_line *l = &d->lines[i];
        for (size_t k = 0; k < MN_N_OF(phrases) && l->len > 0; k++) {
            size_t n = strlen(phrases[k]);
            for (size_t j = 0; j + n <= l->len; j++) {
                if (!msk_mn_starts_word_ci(l->p + j, l->len - j, phrases[k]))
                    continue;
                size_t w = l->len - j - n < PHRASE_WINDOW ? l->len - j - n : PHRASE_WINDOW;
                mn_line win = {l->p + j + n, w, 0, 0, 0, 0, 0};
                bool yl;
                if (line_date(&win, year_hint, out, &yl))
                    return true;
            }
        }
    }
    return false;
}

/* The meeting date: a labelled date in the header, else a date on a title
 * line with an organ word, else (in minutes) the header's first date that
 * is not a signing or sending date. */
static void find_date(const mn_doc *d, size_t hend, int year_hint, bool minutes, motesok_minutes *m)
{
    bool yl;
    if (labelled_meeting_date(d, 0, hend, year_hint, minutes, m) ||
        labelled_meeting_date(d, hend, top_lines(d), year_hint, minutes, m))
        return;
    if (minutes && meeting_phrase_date(d, hend, year_hint, m->date)) {
        m->date_conf = 0.7f;
        return;
    }
    for (size_t i = 0; i < hend && minutes; i++) {
        const mn_line *l = &d->lines[i];
        if (l->len == 0 || other_date_line_near(l))
            continue;
        if (line_date(l, year_hint, m->date, &yl)) {
            m->date_conf = yl ? 0.6f : 0.7f;
            return;
        }
    }
    m->date[0] = '\0';
    m->date_conf = 0.0f;
}


/* ---- attendance and place ------------------------------------------------------ */

static const char *const place_labels[] = {"Møtested", "Møtestad", "Sted", "Stad"};
static const char *const present_labels[] = {"Til stede", "Tilstede", "Tilstades", "Disse møtte",
                                             "Desse møtte", "Møtande medlemer", "Møtende medlemmer",
                                             "Møtte", "Frammøtte", "Fremmøtte"};
static const char *const absent_labels[] = {"Forfall", "Meldt forfall", "Ikke møtt", "Ikkje møtt"};
static const char *const referent_labels[] = {"Referent", "Protokollfører", "Sekretær"};

/* True if l starts with any field or date label. */
static bool any_field_label(const mn_line *l)
{
    return starts_any(l, date_labels, MN_N_OF(date_labels)) ||
           starts_any(l, place_labels, MN_N_OF(place_labels)) ||
           starts_any(l, present_labels, MN_N_OF(present_labels)) ||
           starts_any(l, absent_labels, MN_N_OF(absent_labels)) ||
           starts_any(l, referent_labels, MN_N_OF(referent_labels));
}

/* True if l is a bare label: a short phrase ending in ':' ("Tid:", "Sted:"). */
static bool bare_label(const mn_line *l)
{
    return l->len > 0 && l->len <= 24 && l->p[l->len - 1] == ':';
}

/* The n-th value block (filled lines up to a blank line) from line i on. */
static char *value_block(const mn_doc *d, size_t i, size_t end, size_t n)
{
    for (;;) {
        i = msk_mn_next_filled(d, i);
        if (i >= end)
            return NULL;
        size_t last = i;
        while (last + 1 < end && d->lines[last + 1].len > 0 && last - i < 8)
            last++;
        if (n == 0)
            return msk_mn_join(d, i, last, FIELD_MAX);
        n--;
        i = last + 1;
    }
}

/* The value of a label on line i whose text starts at p: that text and
 * the unlabelled lines under it. */
static char *inline_value(const mn_doc *d, size_t i, size_t hend, const char *p)
{
    const mn_line *l = &d->lines[i];
    size_t last = i;
    while (last + 1 < hend && d->lines[last + 1].len > 0 && !any_field_label(&d->lines[last + 1]) &&
           !bare_label(&d->lines[last + 1]) && last - i < 8)
        last++;
    msk_buf v = {.max = FIELD_MAX * 8};
    msk_buf_append(&v, p, (size_t)(l->p + l->len - p));
    for (size_t j = i + 1; j <= last; j++) {
        msk_buf_append(&v, " ", 1);
        msk_buf_append(&v, d->lines[j].p, d->lines[j].len);
    }
    char *out = v.data ? msk_mn_copy_clean(v.data, v.len, FIELD_MAX) : NULL;
    msk_buf_free(&v);
    return out;
}

/* A labelled field: the text after "Label:"; for a bare label, the value
 * below it — in stacked labels the value of the same rank. NULL if absent. */
static char *find_field(const mn_doc *d, size_t hend, const char *const *labels, size_t n_labels)
{
    for (size_t i = 0; i < hend; i++) {
        const mn_line *l = &d->lines[i];
        for (size_t k = 0; k < n_labels; k++) {
            if (!msk_mn_starts_word(l->p, l->len, labels[k]))
                continue;
            const char *p = l->p + strlen(labels[k]), *e = l->p + l->len;
            while (p < e && (*p == ':' || *p == ' '))
                p++;
            if (p < e)
                return inline_value(d, i, hend, p);
            size_t rank = 0;
            for (size_t top = i; top > 0 && bare_label(&d->lines[top - 1]); top--)
                rank++;
            size_t after = i + 1;
            while (after < hend && bare_label(&d->lines[after]))
                after++;
            size_t v = msk_mn_next_filled(d, after);
            if (v >= hend || any_field_label(&d->lines[v]))
                return NULL;
            return value_block(d, after, hend, rank);
        }
    }
    return NULL;
}

/* ---- the header ----------------------------------------------------------------- */

bool msk_mn_header(const mn_doc *d, size_t hend, int year_hint, bool minutes, motesok_minutes *m)
{
    mn_table t;
    /* a case paper's own table stands at the top; one further down (in a
     * summons or minutes with case papers) is another case's, not the
     * meeting's */
    bool table = msk_mn_find_table(d, &t) && t.line <= hend + 1;
    find_date(d, hend, year_hint, minutes, m);
    if (table && t.date[0] != '\0') {
        memcpy(m->date, t.date, sizeof m->date);
        m->date_conf = 0.9f;
    }
    if (table && t.organ != NULL && (m->organ = msk_mn_organ_name(t.organ, t.organ_len)) != NULL)
        m->organ_conf = 0.9f;
    if (minutes) {
        if (m->organ == NULL)
            m->organ = msk_mn_organ(d, hend, &m->organ_conf);
        /* a case paper's header table may run past the first case number,
         * with the kommune in a cell of its own below it */
        size_t kend = table && t.end + 8 > hend ? (t.end + 8 < d->n ? t.end + 8 : d->n) : hend;
        m->kommune = msk_mn_kommune(d, kend, m->organ, &m->kommune_conf);
        if (m->kommune == NULL && table && t.organ != NULL &&
            (m->kommune = msk_mn_kommune_in(t.organ, t.organ_len)) != NULL)
            m->kommune_conf = 0.8f;
    }
    m->place = find_field(d, hend, place_labels, MN_N_OF(place_labels));
    m->present = find_field(d, hend, present_labels, MN_N_OF(present_labels));
    m->absent = find_field(d, hend, absent_labels, MN_N_OF(absent_labels));
    m->referent = find_field(d, hend, referent_labels, MN_N_OF(referent_labels));
    return true;
}
