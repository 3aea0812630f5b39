/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which part of a hit's text matches a query best (lib/analysis/query.h):
 * a case-folded scan of the text for the words the query's terms stand
 * for, far cheaper than indexing the text again. */
#define _GNU_SOURCE /* memmem */
#include "analysis/query.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

/* A copy of text (len bytes) in lower case: ASCII letters and the Latin-1
 * capitals (UTF-8 C3 80..C3 9E: Æ, Ø, Å, É …); other bytes as they are. */
static char *fold_text(const char *text, size_t len)
{
    char *f = malloc(len + 1);
    if (f == NULL)
        return NULL;
    memcpy(f, text, len);
    f[len] = '\0';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)f[i];
        if (c >= 'A' && c <= 'Z') {
            f[i] = (char)(c + 32);
        } else if (c == 0xC3 && i + 1 < len) {
            unsigned char d = (unsigned char)f[i + 1];
            if (d >= 0x80 && d <= 0x9E && d != 0x97)
                f[i + 1] = (char)(d + 0x20);
            i++;
        }
    }
    return f;
}

/* The text a query term stands for: its stem or word without the field
 * prefix (leading capitals, e.g. "Zlegevakt", "XVstudietur"); "" for
 * filter terms (ids, parents, kinds, organ filters). */
static const char *term_key(const char *term)
{
    static const char *const filters[] = {"Q", "XP", "XK", "XB"};
    size_t n = 0;
    while (term[n] >= 'A' && term[n] <= 'Z')
        n++;
    for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
        if (strlen(filters[i]) == n && strncmp(term, filters[i], n) == 0)
            return "";
    return term + n;
}

/* Letters in the word that starts at s[at] (len bytes), counting a UTF-8
 * sequence as one letter. */
static size_t word_letters(const char *s, size_t len, size_t at)
{
    size_t n = 0;
    for (; at < len && msk_query_word_byte((unsigned char)s[at]); at++)
        n += ((unsigned char)s[at] & 0xC0) != 0x80;
    return n;
}

double msk_part_score(const char *text, size_t len, const char *const *terms, const double *idfs,
                      size_t n)
{
    char *folded = fold_text(text, len);
    if (folded == NULL)
        return 0.0;
    double score = 0.0;
    for (size_t t = 0; t < n; t++) {
        const char *key = term_key(terms[t]);
        const size_t key_len = strlen(key);
        if (key_len == 0)
            continue;
        const size_t key_letters = word_letters(key, key_len, 0);
        const bool stemmed = terms[t][0] == 'Z' ||
                             strncmp(terms[t], MOTESOK_PREFIX_PART, sizeof MOTESOK_PREFIX_PART - 1) == 0;
        const size_t max_extra = stemmed ? 4 : 0;
        for (const char *p = memmem(folded, len, key, key_len); p != NULL;
             p = (size_t)(p - folded) + 1 <= len
                     ? memmem(p + 1, len - (size_t)(p - folded) - 1, key, key_len)
                     : NULL) {
            size_t at = (size_t)(p - folded);
            if (at > 0 && msk_query_word_byte((unsigned char)folded[at - 1]))
                continue;
            if (word_letters(folded, len, at) <= key_letters + max_extra)
                score += idfs[t];
        }
    }
    free(folded);
    return score;
}
