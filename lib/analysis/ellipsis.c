/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compounds a text leaves half-written before "og", "eller" or a comma,
 * written out (msk_norsk_ellipses in lib/analysis/norsk.h). */
#include "analysis/norsk.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Half-written words waiting for the compound that completes them. */
#define MAX_PENDING 8
/* Bytes of a word looked at (longer ones are left alone). */
#define MAX_BYTES 96
/* Letters of a half-written word and of the completing compound's last part. */
#define MIN_LETTERS 3

/* A word of the text: bytes [start, end), and whether a hyphen ends it
 * with a space or comma after (helse- og …, barne-, ungdoms- og …). */
typedef struct token {
    size_t start, end;
    bool open; /* helse- */
} token;

/* What the scan has seen since the last half-written word began. */
typedef struct scan {
    token pending[MAX_PENDING];
    size_t n;
    bool conj; /* og / eller / samt seen after them */
} scan;

static bool is_hyphen(int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* Folded copy of text[t.start, t.end) (malloc'd), NULL for memory. */
static char *folded(const char *text, size_t start, size_t end)
{
    char word[MAX_BYTES + 1];
    memcpy(word, text + start, end - start);
    word[end - start] = '\0';
    return msk_casefold(word);
}

static bool conjunction(const char *text, const token *t)
{
    static const char *const words[] = {"og", "eller", "samt", "Og", "Eller"};
    const size_t n = t->end - t->start;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && memcmp(words[i], text + t->start, n) == 0)
            return true;
    return false;
}

/* Append to out each half-written word of s joined to the last part of
 * the compound text[y]: helse + tjenester of omsorgstjenester. */
static motesok_status complete(const msk_norsk *n, const char *text, const scan *s, const token *y,
                               msk_buf *out)
{
    char *whole = folded(text, y->start, y->end);
    if (whole == NULL)
        return MOTESOK_ERR_NOMEM;
    msk_split sp;
    motesok_status st = MOTESOK_OK;
    const size_t wl = strlen(whole);
    if (msk_norsk_split(n, whole, wl, &sp) && sp.n_top >= 2) {
        const char *head = whole + sp.top[sp.n_top - 1].start;
        const size_t hl = wl - sp.top[sp.n_top - 1].start;
        for (size_t i = 0; i < s->n && st == MOTESOK_OK && msk_utf8_chars(head, hl) >= MIN_LETTERS; i++) {
            char *x = folded(text, s->pending[i].start, s->pending[i].end);
            if (x == NULL) {
                st = MOTESOK_ERR_NOMEM;
                break;
            }
            if (msk_utf8_chars(x, strlen(x)) >= MIN_LETTERS) {
                st = msk_buf_append(out, x, strlen(x));
                if (st == MOTESOK_OK)
                    st = msk_buf_append(out, head, hl);
                if (st == MOTESOK_OK)
                    st = msk_buf_append(out, " ", 1);
            }
            free(x);
        }
    }
    free(whole);
    return st;
}

motesok_status msk_norsk_ellipses(const msk_norsk *n, const char *text, size_t len, msk_buf *out)
{
    scan s = {.n = 0};
    motesok_status st = MOTESOK_OK;
    size_t i = 0;
    while (i < len && st == MOTESOK_OK) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (k < 1) { /* not UTF-8: nothing waits across it */
            s.n = 0;
            i++;
            continue;
        }
        if (!msk_is_letter(c)) {
            /* spaces keep what waits; a comma too, right after a
             * half-written word; a slash after og (og/eller); else reset */
            const bool keep = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
                              (c == ',' && s.n > 0 && !s.conj) || (c == '/' && s.conj);
            if (!keep)
                s.n = 0, s.conj = false;
            i += (size_t)k;
            continue;
        }
        /* a word: letters (and digits within: a word with digits is
         * never half of a compound here) */
        token t = {.start = i};
        bool digits = false;
        while (i < len) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &c);
            if (k < 1 || !(msk_is_letter(c) || (c >= '0' && c <= '9')))
                break;
            digits = digits || (c >= '0' && c <= '9');
            i += (size_t)k;
        }
        t.end = i;
        /* helse- followed by a space or a comma is half-written */
        if (i < len && k >= 1 && is_hyphen(c)) {
            size_t after = i + (size_t)k;
            if (after >= len || text[after] == ' ' || text[after] == ',' || text[after] == '\n' ||
                text[after] == '\t' || text[after] == '\r')
                t.open = true;
        }
        if (digits || t.end - t.start > MAX_BYTES) {
            s.n = 0, s.conj = false;
        } else if (t.open) {
            if (s.conj) /* helse- og omsorgs- …: a new list */
                s.n = 0, s.conj = false;
            if (s.n < MAX_PENDING)
                s.pending[s.n++] = t;
            i += (size_t)k; /* past the hyphen */
        } else if (s.n > 0 && !s.conj && conjunction(text, &t)) {
            s.conj = true;
        } else {
            if (s.n > 0 && s.conj)
                st = complete(n, text, &s, &t, out);
            s.n = 0, s.conj = false;
        }
    }
    return st;
}
