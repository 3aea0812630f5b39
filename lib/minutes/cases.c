/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cases: headings in the body, saksliste rows, numbers and titles in
 * swapped columns, numbered agenda items; each case once by its key. */
#define _GNU_SOURCE /* memmem */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 300 /* bytes kept of a case title */
#define KEY_MAX 32

/* ---- one line ---------------------------------------------------------------- */

/* True if p starts like a title: a capital (ASCII or Æ Ø Å and other Latin
 * capitals), a digit, a quote or a bracket. */
static bool title_start(const char *p, size_t len)
{
    unsigned char c = (unsigned char)p[0];
    if (isupper(c) || isdigit(c) || c == '"' || c == '(' || c == '\'' || c == '[')
        return true;
    if (c == 0xC3 && len > 1)
        return (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9E; /* À–Þ */
    return c == 0xC2 && len > 1 && (unsigned char)p[1] == 0xAB; /* « */
}

/* Skip separators between number, archive number and title. */
static size_t skip_separators(const char *p, size_t len, size_t i)
{
    for (;;) {
        if (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == ':' || p[i] == '-' || p[i] == '|' ||
                        p[i] == '.' || p[i] == ')'))
            i++;
        else if (i + 2 < len && (unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x80 &&
                 ((unsigned char)p[i + 2] == 0x93 || (unsigned char)p[i + 2] == 0x94))
            i += 3; /* – — */
        else
            return i;
    }
}

/* Skip an archive number ("15/1234", "2015/1234-5", "22/9747",
 * "201303004-1") at p[i]. */
static size_t skip_archive(const char *p, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && isdigit((unsigned char)p[j]))
        j++;
    if (j - i >= 6 && j - i <= 12 && j + 1 < len && p[j] == '-' && isdigit((unsigned char)p[j + 1])) {
        for (j++; j < len && isdigit((unsigned char)p[j]); j++)
            ;
        return j < len && isalpha((unsigned char)p[j]) ? i : j; /* "201303004-1" */
    }
    if (j == i || j >= len || p[j] != '/')
        return i;
    size_t k = j + 1;
    while (k < len && (isdigit((unsigned char)p[k]) || p[k] == '-'))
        k++;
    if (k == j + 1 || (k < len && isalpha((unsigned char)p[k])))
        return i;
    return k;
}

/* A kept series code standing after the number ("12/19 RS Tittel"). */
static size_t series_after(const char *p, size_t len, size_t i, mn_number *n)
{
    static const char *const codes[] = {"RS", "DS", "FO", "PS"};
    for (size_t k = 0; k < MN_N_OF(codes); k++)
        if (msk_mn_starts_word(p + i, len - i, codes[k])) {
            if (k < 3 && n->series[0] == '\0')
                memcpy(n->series, codes[k], 3);
            return i + 2;
        }
    return i;
}

/* True if a heading's "title" is a block label ("Vedtak:", "Innstilling:",
 * "Behandling:"), not a title. */
static bool label_title(const char *t, size_t len)
{
    static const char *const labels[] = {"Vedtak", "Innstilling", "Behandling", "Handsaming",
                                         "Tilråding", "Votering", "Framlegg til vedtak",
                                         "Forslag til vedtak"};
    for (size_t k = 0; k < MN_N_OF(labels); k++) {
        size_t n = strlen(labels[k]);
        if (len > n && msk_mn_starts_word_ci(t, len, labels[k]) && t[n] == ':')
            return true;
    }
    return false;
}

/* True if the word at p is a verb or a small word that continues a
 * sentence ("ble", "vart", "og"), not a title's first word. */
static bool lower_word_follows(const char *p, size_t len)
{
    static const char *const words[] = {"ble", "vart", "blei", "er", "var", "og", "i", "som", "skal", "vert",
                                        "blir", "med", "til", "om", "kan", "må"};
    for (size_t k = 0; k < MN_N_OF(words); k++)
        if (msk_mn_starts_word(p, len, words[k]))
            return true;
    return false;
}

/* True if a title is a row of a case's treatment history: an organ name,
 * maybe a type code, and a meeting date, nothing more. */
static bool history_row(const char *t, size_t len)
{
    int y, m, d;
    size_t at = 0;
    if (msk_mn_words(t, len) > 10 || motesok_parse_date(t, len, &y, &m, &d, &at, NULL) != MOTESOK_OK)
        return false;
    size_t first = 0;
    while (first < len && t[first] != ' ')
        first++;
    return msk_mn_has_organ_stem(t, first < len ? first + 1 : first); /* "Utval " */
}

/* Recognise a case heading or saksliste row on line l ("Sak 12/2017
 * Tittel", "SAK49/10 TITTEL", "021/15  15/1234  Title", "61/14 : TITLE",
 * "PS 19/1 Tittel", a lone "04/2018"). */
static bool parse_heading(const mn_line *l, mn_heading *h)
{
    if (l->len == 0 || !msk_mn_number_at(l->p, l->len, &h->num))
        return false;
    const char *p = l->p;
    size_t len = l->len, i = skip_separators(p, len, h->num.end);
    i = skip_separators(p, len, series_after(p, len, i, &h->num));
    i = skip_separators(p, len, skip_archive(p, len, i));
    h->title = i < len ? p + i : NULL;
    h->title_len = len - i;
    bool lost_capital = h->title != NULL && i >= 2 && p[i - 1] == ' ' && p[i - 2] == ' ' &&
                        islower((unsigned char)p[i]) && !lower_word_follows(p + i, len - i);
    if (h->title != NULL && label_title(h->title, h->title_len))
        return false; /* "BS-110/22 Vedtak:" labels a block of the case */
    if (h->title == NULL && h->num.num_at >= 3 && memmem(p, h->num.num_at, " - ", 3) != NULL)
        return false; /* "PSU - 11/19" heads a committee's treatment of the case */
    if (h->title != NULL && !title_start(h->title, h->title_len) && !lost_capital)
        return false; /* "Sak 12/19 ble behandlet …" is a reference; "PS 42/17  konomirapport"
                         lost its capital Ø to a broken font, which left its gap */
    if (h->title == NULL && !h->num.prefixed && h->num.end != len && p[h->num.end] != ' ')
        return false; /* "06/2017." ends a wrapped sentence */
    if (!h->num.prefixed && h->num.b != NULL && h->num.alen == 2 && h->num.blen == 3)
        return false; /* a bare "19/345" is an archive number */
    char key[KEY_MAX];
    return msk_mn_number_key(&h->num, 0, key, sizeof key) || h->num.b == NULL;
}

/* ---- all headings -------------------------------------------------------------- */

/* Append heading h to the array; false on allocation failure. */
static bool push(mn_heading **f, size_t *n, size_t *cap, const mn_heading *h)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        mn_heading *g = realloc(*f, *cap * sizeof *g);
        if (g == NULL)
            return false;
        *f = g;
    }
    (*f)[(*n)++] = *h;
    return true;
}

/* The title of a table's case: the first line of a few words without a
 * colon after the table. */
static void table_title(const mn_doc *d, const mn_table *t, mn_heading *h)
{
    for (size_t i = t->end, seen = 0; i < d->n && seen < 15; i++) {
        const mn_line *l = &d->lines[i];
        if (l->len == 0)
            continue;
        seen++;
        if (msk_mn_words(l->p, l->len) >= 3 && memchr(l->p, ':', l->len) == NULL &&
            !msk_mn_block_label(l)) {
            h->title = l->p, h->title_len = l->len;
            return;
        }
    }
}

/* Merge the case of a header table into the headings: its series on the
 * heading of its line, or a new heading there; false on allocation failure. */
static bool merge_table(const mn_doc *d, mn_heading **f, size_t *n, size_t *cap)
{
    mn_table t;
    if (!msk_mn_find_table(d, &t) || !t.has_number)
        return true;
    size_t at = 0;
    while (at < *n && (*f)[at].line < t.line)
        at++;
    if (at < *n && (*f)[at].line == t.line) {
        if (t.num.series[0] != '\0')
            memcpy((*f)[at].num.series, t.num.series, 3);
        if ((*f)[at].title == NULL)
            table_title(d, &t, &(*f)[at]);
        return true;
    }
    mn_heading h = {.line = t.line, .num = t.num};
    table_title(d, &t, &h);
    if (!push(f, n, cap, &h))
        return false;
    memmove(*f + at + 1, *f + at, (*n - 1 - at) * sizeof **f);
    (*f)[at] = h;
    return true;
}

/* True if line i starts in lower case right under a line whose sentence
 * has not ended ("… revidert 04.03.2021 i" / "sak 14/21. Spørsmål …"). */
static bool sentence_goes_on(const mn_doc *d, size_t i)
{
    const mn_line *l = &d->lines[i], *prev = i > 0 ? &d->lines[i - 1] : NULL;
    if (!islower((unsigned char)l->p[0]) || prev == NULL || prev->len == 0)
        return false;
    unsigned char c = (unsigned char)prev->p[prev->len - 1];
    return isalnum(c) || c == ',' || c >= 0x80;
}

/* Drop the rows of a case's treatment history but its last: in
 * "041/15 Formannskapet PS 03.09.2015" / "054/15 Kommunestyret PS
 * 17.09.2015" only the second is this meeting's case. */
static void drop_history(const mn_doc *d, mn_heading *f, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        bool earlier = false;
        if (f[i].title != NULL && history_row(f[i].title, f[i].title_len)) {
            size_t j = msk_mn_next_filled(d, f[i].line + 1);
            mn_heading next;
            earlier = j < d->n && parse_heading(&d->lines[j], &next) && next.title != NULL &&
                      history_row(next.title, next.title_len);
        }
        if (!earlier)
            f[k++] = f[i];
    }
    *n = k;
}

mn_heading *msk_mn_find_headings(const mn_doc *d, size_t *n_out, bool *nomem)
{
    mn_heading *f = NULL;
    size_t n = 0, cap = 0;
    *nomem = false;
    bool archive_column = false; /* under an "Arkivsaksnr." column label */
    for (size_t i = 0; i < d->n; i++) {
        mn_heading h;
        const mn_line *l = &d->lines[i];
        if (l->len == 0)
            continue;
        if (archive_column && msk_mn_words(l->p, l->len) == 1 && isdigit((unsigned char)l->p[0]))
            continue; /* a column of archive numbers, out of its table */
        bool parsed = parse_heading(l, &h);
        archive_column = (msk_mn_starts_word_ci(l->p, l->len, "Arkivsaksnr") ||
                          msk_mn_starts_word_ci(l->p, l->len, "Arkivsak") ||
                          msk_mn_starts_word_ci(l->p, l->len, "ArkivsakID")) &&
                         msk_mn_words(l->p, l->len) <= 2;
        if (!parsed || sentence_goes_on(d, i))
            continue;
        h.line = i;
        if (!push(&f, &n, &cap, &h)) {
            *nomem = true;
            break;
        }
    }
    drop_history(d, f, &n);
    if (!*nomem && !merge_table(d, &f, &n, &cap))
        *nomem = true;
    *n_out = n;
    return f;
}

/* If l is "N. Title" with N the expected number, fill h and return true. */
static bool numbered_item(const mn_line *l, unsigned expect, mn_heading *h)
{
    char num[8];
    int len = snprintf(num, sizeof num, "%u.", expect);
    if (l->len <= (size_t)len + 1 || memcmp(l->p, num, (size_t)len) != 0 || l->p[len] != ' ')
        return false;
    const char *t = l->p + len;
    while (*t == ' ')
        t++;
    if (!title_start(t, (size_t)(l->p + l->len - t)) || isdigit((unsigned char)*t))
        return false;
    memset(h, 0, sizeof *h);
    h->num.a = l->p;
    h->num.alen = (size_t)len - 1;
    h->num.end = (size_t)len - 1;
    h->title = t;
    h->title_len = (size_t)(l->p + l->len - t);
    return true;
}

/* Numbered agenda items "1. Tittel", "2. Tittel", … in sequence outside
 * decision blocks; used only when there are no case headings; at least two. */
static mn_heading *find_numbered(const mn_doc *d, size_t *n_out, bool *nomem)
{
    mn_heading *f = NULL;
    size_t n = 0, cap = 0;
    bool in_block = false;
    for (size_t i = 0; i < d->n && !*nomem; i++) {
        const mn_line *l = &d->lines[i];
        mn_heading h;
        if (l->len == 0) {
            in_block = false;
            continue;
        }
        if (msk_mn_block_label(l))
            in_block = true;
        if (in_block || !numbered_item(l, (unsigned)n + 1, &h))
            continue;
        h.line = i;
        *nomem = !push(&f, &n, &cap, &h);
    }
    if (n < 2) {
        free(f);
        f = NULL;
        n = 0;
    }
    *n_out = n;
    return f;
}

/* ---- columns out of order ------------------------------------------------------ */

/* True if heading k is a lone number (its title on another line). */
static bool lone(const mn_heading *h)
{
    return h->title == NULL;
}

/* Pair a run of lone numbers on consecutive filled lines with the run of
 * title lines that follows it ("12/19", "13/19", then two titles). */
static void pair_columns(const mn_doc *d, mn_heading *f, size_t n)
{
    for (size_t k = 0; k < n;) {
        size_t r = k + 1;
        while (r < n && lone(&f[r]) && lone(&f[r - 1]) &&
               msk_mn_next_filled(d, f[r - 1].line + 1) == f[r].line)
            r++;
        size_t run = r - k;
        if (run >= 2 && lone(&f[k])) {
            size_t t = msk_mn_next_filled(d, f[r - 1].line + 1);
            for (size_t j = k; j < r && t < d->n; j++) {
                mn_heading probe;
                if (parse_heading(&d->lines[t], &probe) || msk_mn_block_label(&d->lines[t]))
                    break;
                f[j].title = d->lines[t].p;
                f[j].title_len = d->lines[t].len;
                t = msk_mn_next_filled(d, t + 1);
            }
        }
        k = r;
    }
}

/* ---- one case ----------------------------------------------------------------- */

/* True if the title line l continues onto the next line. */
static bool title_continues(const mn_line *l)
{
    return l->len > 0 && (l->p[l->len - 1] == '-' ||
                          (l->len >= 3 && !memcmp(l->p + l->len - 3, "\xe2\x80\x93", 3)));
}

/* Capitalise a SHOUTING title: fold it and raise its first letter. */
static char *calm_title(char *t)
{
    if (t == NULL || strlen(t) <= 5 || !msk_mn_shouting(t, strlen(t)))
        return t;
    char *f = msk_casefold(t);
    if (f == NULL)
        return t;
    free(t);
    if (f[0] >= 'a' && f[0] <= 'z')
        f[0] = (char)(f[0] - 'a' + 'A');
    return f;
}

/* Title of heading h within [h->line, end); *body receives the first line
 * after the title. */
static char *case_title(const mn_doc *d, const mn_heading *h, size_t end, size_t *body)
{
    size_t i = h->line;
    msk_buf t = {.max = TITLE_MAX * 4};
    if (h->title != NULL) {
        msk_buf_append(&t, h->title, h->title_len);
    } else {
        size_t j = msk_mn_next_filled(d, i + 1);
        mn_heading probe;
        if (j < end && !msk_mn_block_label(&d->lines[j]) && !parse_heading(&d->lines[j], &probe)) {
            msk_buf_append(&t, d->lines[j].p, d->lines[j].len);
            i = j;
        }
    }
    if (i < end && title_continues(&d->lines[i])) {
        size_t j = msk_mn_next_filled(d, i + 1);
        if (j < end && !msk_mn_block_label(&d->lines[j])) {
            msk_buf_append(&t, " ", 1);
            msk_buf_append(&t, d->lines[j].p, d->lines[j].len);
            i = j;
        }
    }
    *body = i + 1;
    char *title = t.data ? msk_mn_copy_clean(t.data, t.len, TITLE_MAX) : msk_strdup("");
    msk_buf_free(&t);
    return calm_title(title);
}

/* The number as written, without dropped series words: a kept series
 * ("RS") and the digits, spacing normalised ("RS 3/19", "06/2018"). */
static char *number_text(const mn_heading *h)
{
    char buf[64];
    const char *digits_end = h->num.b ? h->num.b + h->num.blen : h->num.a + h->num.alen;
    int n = (int)(digits_end - h->num.a);
    if (h->num.series[0] != '\0')
        snprintf(buf, sizeof buf, "%s %.*s", h->num.series, n, h->num.a);
    else
        snprintf(buf, sizeof buf, "%.*s", n, h->num.a);
    return msk_strdup(buf);
}

/* Column (in characters) of byte p on the raw line that starts at raw. */
static size_t column(const char *raw, const char *p)
{
    return msk_utf8_chars(raw, (size_t)(p - raw));
}

/* The result cell of a saksliste row ("PS 62/15  Årsregnskap 2014
 * Innstillingen vedtatt med" / "22 mot 13 stemmer" below it in its
 * column): cut from h's title, joined into out with the lines under it;
 * returns the first line after them, or h->line + 1 with out empty. */
static size_t row_result(const mn_doc *d, mn_heading *h, size_t end, msk_buf *out)
{
    const char *t = h->title, *gap = NULL;
    for (size_t i = 0; t != NULL && i + 3 < h->title_len && gap == NULL; i++)
        if (t[i] == ' ' && t[i + 1] == ' ' && t[i + 2] == ' ')
            gap = t + i;
    if (gap == NULL)
        return h->line + 1;
    const char *cell = gap;
    while (*cell == ' ')
        cell++;
    const mn_line *l = &d->lines[h->line];
    size_t col = column(d->text + l->off, cell), j = h->line + 1;
    msk_buf_append(out, cell, (size_t)(l->p + l->len - cell));
    for (; j < end && d->lines[j].len > 0; j++) {
        const mn_line *m = &d->lines[j];
        size_t indent = column(d->text + m->off, m->p);
        if (indent < 20 || indent + 4 < col)
            break;
        msk_buf_append(out, " ", 1);
        msk_buf_append(out, m->p, m->len);
    }
    if (out->data == NULL || !msk_mn_result_text(out->data, out->len)) {
        out->len = 0;
        return h->line + 1;
    }
    h->title_len = (size_t)(gap - t);
    return j;
}

/* Fill case c from heading h, whose text runs up to line end (exclusive);
 * heads is the meeting's head count (-1 if unknown). */
static bool fill_case(const mn_doc *d, const mn_heading *h0, size_t end, int year, int heads,
                      const char *organ, motesok_case *c)
{
    char key[KEY_MAX];
    size_t body = 0;
    mn_heading h = *h0;
    msk_buf row = {.max = 4096};
    size_t after_row = row_result(d, &h, end, &row);
    const mn_line *first = &d->lines[h.line], *last = &d->lines[end - 1];
    if (!msk_mn_number_key(&h.num, year, key, sizeof key))
        snprintf(key, sizeof key, "%.*s", (int)h.num.alen, h.num.a);
    c->key = msk_strdup(key);
    c->number = number_text(&h);
    c->title = case_title(d, &h, end, &body);
    c->start = first->off;
    c->end = last->end;
    c->page_first = first->page;
    c->page_last = last->page;
    body = body > after_row ? body : after_row;
    bool ok = c->key != NULL && c->number != NULL && c->title != NULL &&
              msk_mn_decide(d, body < end ? body : end, end, row.len ? row.data : NULL, row.len, heads, organ, c);
    msk_buf_free(&row);
    return ok;
}

/* ---- the cases of a document --------------------------------------------------- */

/* Key of heading h for meeting year y ("" when it has none). */
static void heading_key(const mn_heading *h, int y, char out[KEY_MAX])
{
    if (!msk_mn_number_key(&h->num, y, out, KEY_MAX))
        snprintf(out, KEY_MAX, "%.*s", (int)h->num.alen, h->num.a);
}

/* Filled lines in [a, b). */
static size_t filled(const mn_doc *d, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += d->lines[i].len > 0;
    return n;
}

/* Keys of the headings, for sorting. */
typedef struct keyed {
    char key[KEY_MAX];
    size_t k; /* index of the heading */
} keyed;

/* Order by key, then by position. */
static int keyed_cmp(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->k > b->k) - (a->k < b->k);
}

/* For each distinct key, section[first occurrence] = the occurrence that is
 * its section (the last one with a body, else the first); other entries
 * become n. False on allocation failure. */
static bool choose_sections(const mn_doc *d, const mn_heading *f, size_t n, int year, size_t *section)
{
    keyed *ks = malloc(n * sizeof *ks);
    if (ks == NULL)
        return false;
    for (size_t k = 0; k < n; k++) {
        heading_key(&f[k], year, ks[k].key);
        ks[k].k = k;
        section[k] = n;
    }
    qsort(ks, n, sizeof *ks, keyed_cmp);
    for (size_t g = 0; g < n;) {
        size_t e = g + 1;
        while (e < n && strcmp(ks[e].key, ks[g].key) == 0)
            e++;
        size_t chosen = ks[g].k;
        for (size_t j = g + 1; j < e; j++) {
            size_t k = ks[j].k, end = k + 1 < n ? f[k + 1].line : d->n;
            if (filled(d, f[k].line, end) >= 2)
                chosen = k;
        }
        section[ks[g].k] = chosen;
        g = e;
    }
    free(ks);
    return true;
}

int msk_mn_cases_year(const mn_doc *d)
{
    bool nomem = false;
    size_t n = 0;
    mn_heading *f = msk_mn_find_headings(d, &n, &nomem);
    int count[2100 - 1950] = {0}, best = 0;
    for (size_t k = 0; k < n; k++) {
        char key[KEY_MAX];
        heading_key(&f[k], 0, key);
        int y = msk_mn_key_year(key);
        if (y >= 1950 && y < 2100 && ++count[y - 1950] > (best ? count[best - 1950] : 0))
            best = y;
    }
    free(f);
    return best;
}

bool msk_mn_cases(const mn_doc *d, int year, bool minutes, motesok_minutes *m)
{
    bool nomem = false;
    size_t n = 0;
    mn_heading *f = msk_mn_find_headings(d, &n, &nomem);
    if (n == 0 && !nomem && minutes) {
        free(f);
        f = find_numbered(d, &n, &nomem);
    }
    size_t *section = n ? calloc(n, sizeof *section) : NULL;
    m->cases = n ? calloc(n, sizeof *m->cases) : NULL;
    if (nomem || (n > 0 && (section == NULL || m->cases == NULL))) {
        free(f);
        free(section);
        return false;
    }
    pair_columns(d, f, n);
    int heads = msk_mn_head_count(d, 0, n ? f[0].line : d->n);
    if (heads < 0)
        heads = msk_mn_first_head_count(d); /* stated in the first case */
    bool ok = n == 0 || choose_sections(d, f, n, year, section);
    for (size_t k = 0; k < n && ok; k++) {
        size_t s = section[k];
        if (s == n)
            continue;
        size_t end = s + 1 < n ? f[s + 1].line : d->n;
        ok = fill_case(d, &f[s], end, year, heads, m->organ, &m->cases[m->n_cases]);
        m->n_cases++;
    }
    free(f);
    free(section);
    return ok;
}
