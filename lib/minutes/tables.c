/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Case-paper header tables: a row of labels (Saksnr, Utvalg, Type,
 * Møtedato) with a row of values under it, labels stacked one per line
 * with their values stacked below, or "Label: value" cells on one line. */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define TABLE_LINES 60 /* the first lines searched for a table */
#define MAX_COLS 8

enum col { C_NONE, C_NUMBER, C_ORGAN, C_DATE, C_TYPE };

/* Column labels and what they hold. */
static const struct { const char *label; enum col col; } labels[] = {
    {"Utvalgssaksnr", C_NUMBER}, {"Utvalssaksnr", C_NUMBER}, {"Utvalgssak", C_NUMBER},
    {"Utvalssak", C_NUMBER}, {"Saksnr.", C_NUMBER}, {"Saksnr", C_NUMBER}, {"Saknr", C_NUMBER},
    {"Sak nr.", C_NUMBER}, {"Utv.sak nr.", C_NUMBER}, {"Utv.sak nr", C_NUMBER},
    {"Utv.saksnr", C_NUMBER}, {"Utvalgssak nr.", C_NUMBER}, {"Utvalssak nr.", C_NUMBER}, {"Behandles i utvalg", C_ORGAN}, {"Utvalg", C_ORGAN},
    {"Utval", C_ORGAN}, {"Saksgang", C_ORGAN}, {"Behandlet av", C_ORGAN}, {"Behandla av", C_ORGAN},
    {"Handsama av", C_ORGAN}, {"Styre, utval, komite m.m.", C_ORGAN},
    {"Styre, utvalg, komite m.m.", C_ORGAN}, {"Styre, råd, utval", C_ORGAN},
    {"Styre/råd/utvalg", C_ORGAN}, {"Styre, råd, utvalg", C_ORGAN}, {"Møtedato", C_DATE}, {"Dato", C_DATE}, {"Type", C_TYPE},
    {"Sakstype", C_TYPE},
};

/* Column of the label that p[0..len) is exactly (trailing ':' allowed). */
static enum col label_col(const char *p, size_t len)
{
    while (len > 0 && (p[len - 1] == ':' || p[len - 1] == ' '))
        len--;
    for (size_t k = 0; k < MN_N_OF(labels); k++)
        if (strlen(labels[k].label) == len && msk_mn_starts_word_ci(p, len, labels[k].label))
            return labels[k].col;
    return C_NONE;
}

/* Cut line l into cells separated by two or more blanks or '|'. */
static size_t cells(const mn_line *l, const char **cp, size_t *cl, size_t max)
{
    size_t n = 0, i = 0;
    while (i < l->len && n < max) {
        while (i < l->len && (l->p[i] == ' ' || l->p[i] == '|' || l->p[i] == '\t'))
            i++;
        size_t s = i;
        while (i < l->len && l->p[i] != '|' && l->p[i] != '\t' &&
               !(l->p[i] == ' ' && i + 1 < l->len && l->p[i + 1] == ' '))
            i++;
        size_t e = i;
        while (e > s && l->p[e - 1] == ' ')
            e--;
        if (e > s)
            cp[n] = l->p + s, cl[n++] = e - s;
    }
    return n;
}

/* Take one value of column c into t. */
static void take_value(enum col c, const char *p, size_t len, size_t line, mn_table *t)
{
    mn_number n;
    char date[16];
    int y, m, d;
    size_t at, ml;
    if (c == C_NUMBER && msk_mn_number_at(p, len, &n) && n.b != NULL && !t->has_number) {
        t->num = n, t->has_number = true, t->line = line;
    } else if (c == C_ORGAN && t->organ == NULL && len > 0) {
        size_t k = 0; /* a row's ordinal: "2 Fylkesutvalget" */
        while (k < len && k < 2 && isdigit((unsigned char)p[k]))
            k++;
        if (k > 0 && k + 1 < len && p[k] == ' ' && !isdigit((unsigned char)p[k + 1]))
            p += k + 1, len -= k + 1;
        t->organ = p, t->organ_len = len;
    } else if (c == C_DATE && t->date[0] == '\0' &&
               motesok_parse_date(p, len, &y, &m, &d, &at, &ml) == MOTESOK_OK && at == 0) {
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        memcpy(t->date, date, 11);
    } else if (c == C_TYPE && len == 2 && t->type[0] == '\0') {
        memcpy(t->type, p, 2);
        t->type[2] = '\0';
    }
}

/* Labels stacked one per line from line i, values stacked below. */
static bool stacked(const mn_doc *d, size_t i, mn_table *t)
{
    enum col cols[MAX_COLS];
    size_t k = 0, j = i;
    while (j < d->n && k < MAX_COLS && d->lines[j].len > 0 &&
           (cols[k] = label_col(d->lines[j].p, d->lines[j].len)) != C_NONE) {
        if (k > 0 && cols[k] == cols[k - 1])
            cols[k - 1] = cols[k], k--; /* "Saksgang" over "Utvalg": a heading, no column */
        k++, j++;
    }
    if (k < 2)
        return false;
    j = msk_mn_next_filled(d, j);
    for (size_t c = 0; c < k && j < d->n && d->lines[j].len > 0; c++, j++)
        take_value(cols[c], d->lines[j].p, d->lines[j].len, j, t);
    t->end = j;
    return t->has_number || t->organ != NULL;
}

/* True if line l is a further row of a treatment history: its cell in
 * the number column (index col) is a full case number. */
static bool number_row(const mn_line *l, size_t col)
{
    mn_number n;
    const char *cp[MAX_COLS];
    size_t cl[MAX_COLS];
    size_t nc = cells(l, cp, cl, MAX_COLS);
    return nc >= 2 && col < nc && msk_mn_number_at(cp[col], cl[col], &n) && n.b != NULL;
}

/* A row of labels on line i with a row of values on the next filled line. */
static bool rowwise(const mn_doc *d, size_t i, mn_table *t)
{
    const char *lp[MAX_COLS], *vp[MAX_COLS];
    size_t ll[MAX_COLS], vl[MAX_COLS];
    size_t nl = cells(&d->lines[i], lp, ll, MAX_COLS), labelled = 0;
    for (size_t c = 0; c < nl; c++)
        labelled += label_col(lp[c], ll[c]) != C_NONE;
    if (nl < 2 || labelled < 2)
        return false;
    size_t j = msk_mn_next_filled(d, i + 1);
    if (j >= d->n)
        return false;
    /* a treatment history has a row per meeting, the last one this
     * meeting's ("041/15 Formannskapet PS 03.09.2015" / "054/15
     * Kommunestyret PS 17.09.2015"): take the last row with a number */
    for (;;) {
        size_t nv = cells(&d->lines[j], vp, vl, MAX_COLS);
        for (size_t c = 0; c < nv && c < nl; c++)
            take_value(label_col(lp[c], ll[c]), vp[c], vl[c], j, t);
        t->end = j + 1;
        size_t col = 0;
        while (col < nl && label_col(lp[col], ll[col]) != C_NUMBER)
            col++;
        if (!t->has_number || j + 1 >= d->n || d->lines[j + 1].len == 0 || !number_row(&d->lines[j + 1], col))
            break;
        memset(t, 0, sizeof *t);
        j++;
    }
    return t->has_number || t->organ != NULL;
}

/* "Label: value" cells on line i ("| Utval: Formannskapet | Saksnr.: 102/19 |"). */
static bool inline_cells(const mn_doc *d, size_t i, mn_table *t)
{
    const char *cp[MAX_COLS];
    size_t cl[MAX_COLS], got = 0;
    size_t n = cells(&d->lines[i], cp, cl, MAX_COLS);
    for (size_t c = 0; c < n && n >= 2; c++) {
        const char *colon = memchr(cp[c], ':', cl[c]);
        enum col col = colon ? label_col(cp[c], (size_t)(colon - cp[c])) : C_NONE;
        if (col == C_NONE)
            continue;
        const char *v = colon + 1;
        while (v < cp[c] + cl[c] && *v == ' ')
            v++;
        take_value(col, v, (size_t)(cp[c] + cl[c] - v), i, t);
        got++;
    }
    t->end = i + 1;
    return got >= 2 && (t->has_number || t->organ != NULL);
}

bool msk_mn_find_table(const mn_doc *d, mn_table *t)
{
    for (size_t i = 0, seen = 0; i < d->n && seen < TABLE_LINES; i++) {
        if (d->lines[i].len == 0)
            continue;
        seen++;
        memset(t, 0, sizeof *t);
        if (stacked(d, i, t) || rowwise(d, i, t) || inline_cells(d, i, t)) {
            if (t->type[0] == 'R' || t->type[0] == 'D' || (t->type[0] == 'F' && t->type[1] == 'O'))
                memcpy(t->num.series, t->type, 3);
            return true;
        }
    }
    memset(t, 0, sizeof *t);
    return false;
}
