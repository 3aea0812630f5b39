/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The query text before and around the parser (lib/analysis/query.h):
 * Norwegian operator words, the words of a query, names typed with a
 * capital, words of letters and digits, and edit distances. */
#include "analysis/query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The end of the word starting at s[i] (len bytes in all). */
static size_t word_end(const char *s, size_t i, size_t len)
{
    while (i < len && msk_query_word_byte((unsigned char)s[i]))
        i++;
    return i;
}

char *msk_query_english_operators(const char *q)
{
    size_t len = strlen(q);
    msk_buf out = {0};
    bool quoted = false;
    for (size_t i = 0; i < len;) {
        if (!msk_query_word_byte((unsigned char)q[i])) {
            if (q[i] == '"')
                quoted = !quoted;
            if (msk_buf_append(&out, q + i, 1) != MOTESOK_OK)
                goto fail;
            i++;
            continue;
        }
        size_t j = word_end(q, i, len);
        const char *op = quoted || (i > 0 && q[i - 1] == ':') ? NULL
                                                              : msk_query_norwegian_operator(q + i, j - i);
        if ((op != NULL ? msk_buf_append(&out, op, strlen(op)) : msk_buf_append(&out, q + i, j - i)) !=
            MOTESOK_OK)
            goto fail;
        i = j;
    }
    if (msk_buf_terminate(&out) != MOTESOK_OK)
        goto fail;
    return out.data;
fail:
    msk_buf_free(&out);
    return NULL;
}

char *msk_query_plain_words(const char *q)
{
    size_t len = strlen(q);
    msk_buf out = {0};
    for (size_t i = 0; i < len;) {
        if (!msk_query_word_byte((unsigned char)q[i])) {
            i++;
            continue;
        }
        size_t j = word_end(q, i, len);
        if (!msk_query_operator(q + i, j - i) &&
            (msk_buf_append(&out, q + i, j - i) != MOTESOK_OK || msk_buf_append(&out, " ", 1) != MOTESOK_OK)) {
            msk_buf_free(&out);
            return NULL;
        }
        i = j;
    }
    if (msk_buf_terminate(&out) != MOTESOK_OK) {
        msk_buf_free(&out);
        return NULL;
    }
    return out.data;
}

bool msk_query_blank(const char *q)
{
    return q[strspn(q, " \t\n\r\f\v")] == '\0';
}

motesok_status msk_query_capitalised(const char *q, void (*fn)(const char *folded, void *ctx),
                                     void *ctx)
{
    size_t len = strlen(q);
    bool quoted = false;
    for (size_t i = 0; i < len;) {
        if (q[i] == '"') {
            quoted = !quoted;
            i++;
            continue;
        }
        size_t end = word_end(q, i, len);
        if (end == i) {
            i++;
            continue;
        }
        utf8proc_int32_t c = -1;
        utf8proc_iterate((const utf8proc_uint8_t *)q + i, (utf8proc_ssize_t)(end - i), &c);
        if (!quoted && c >= 0 && utf8proc_category(c) == UTF8PROC_CATEGORY_LU) {
            char *word = msk_strndup(q + i, end - i);
            if (word == NULL)
                return MOTESOK_ERR_NOMEM;
            char *f = msk_casefold(word);
            free(word);
            if (f != NULL)
                fn(f, ctx);
            free(f);
        }
        i = end;
    }
    return MOTESOK_OK;
}

msk_word_case msk_query_word_case(const char *w, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)w;
    size_t upper = 0, letters = 0;
    bool first_upper = false;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t m = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        if (m <= 0) {
            i++;
            continue;
        }
        const utf8proc_category_t cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
            cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LO) {
            if (letters == 0)
                first_upper = cat == UTF8PROC_CATEGORY_LU;
            letters++;
            upper += cat == UTF8PROC_CATEGORY_LU;
        }
        i += (size_t)m;
    }
    if (upper >= 2)
        return MSK_CASE_CAPITALS;
    return first_upper ? MSK_CASE_CAPITAL : MSK_CASE_LOWER;
}

bool msk_query_capitalise(const char *w, char *out, size_t size)
{
    const size_t n = strlen(w);
    utf8proc_int32_t c = -1;
    const utf8proc_ssize_t m =
        n > 0 ? utf8proc_iterate((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &c) : 0;
    utf8proc_uint8_t first[4];
    size_t k = 0, skip = 0;
    if (m > 0) {
        k = (size_t)utf8proc_encode_char(utf8proc_toupper(c), first);
        skip = (size_t)m;
    }
    if (k + (n - skip) + 1 > size)
        return false;
    memcpy(out, first, k);
    memcpy(out + k, w + skip, n - skip);
    out[k + n - skip] = '\0';
    return true;
}

/* True if byte c is an ASCII digit. */
static bool digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

size_t msk_query_letter_digit_split(const char *t, size_t n)
{
    if (n == 0)
        return SIZE_MAX;
    const bool digits_first = digit((unsigned char)t[0]);
    size_t at = 0;
    while (at < n && digit((unsigned char)t[at]) == digits_first)
        at++;
    if (at == n)
        return SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)t[i];
        const bool want_digit = (i < at) == digits_first;
        if (want_digit ? !digit(c) : !((c >= 'a' && c <= 'z') || c >= 0x80))
            return SIZE_MAX;
    }
    return at;
}

/* The code points of UTF-8 s (n bytes) into a new array (*count of them;
 * a byte that is no UTF-8 counts as one); NULL when out of memory. */
static int32_t *code_points(const char *s, size_t n, size_t *count)
{
    int32_t *out = malloc((n > 0 ? n : 1) * sizeof *out);
    if (out == NULL)
        return NULL;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t m = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        if (m <= 0) {
            c = p[i];
            m = 1;
        }
        out[k++] = c;
        i += (size_t)m;
    }
    *count = k;
    return out;
}

static size_t min2(size_t a, size_t b)
{
    return a < b ? a : b;
}

size_t msk_edit_distance(const char *a8, size_t an, const char *b8, size_t bn)
{
    size_t na = 0, nb = 0; /* (set by code_points; zero keeps -O3 from warning) */
    int32_t *a = code_points(a8, an, &na), *b = code_points(b8, bn, &nb);
    size_t *d = a != NULL && b != NULL ? malloc((na + 1) * (nb + 1) * sizeof *d) : NULL;
    size_t answer = SIZE_MAX;
    if (d != NULL) {
        const size_t w = nb + 1;
        for (size_t i = 0; i <= na; i++)
            d[i * w] = i;
        for (size_t j = 0; j <= nb; j++)
            d[j] = j;
        for (size_t i = 1; i <= na; i++)
            for (size_t j = 1; j <= nb; j++) {
                size_t v = min2(min2(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1),
                                d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    v = min2(v, d[(i - 2) * w + j - 2] + 1);
                d[i * w + j] = v;
            }
        answer = d[na * w + nb];
    }
    free(a);
    free(b);
    free(d);
    return answer;
}
