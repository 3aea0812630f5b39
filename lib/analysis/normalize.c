/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text normalisation before analysis (motesok_normalize_text in
 * lib/extract/extract.h). */
#include "internal.h"
#include "extract/extract.h"
#include "analysis/norsk.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* True for the compatibility characters that stand for plain letters and
 * digits and so are spelled out (NFKC) before analysis: ligatures (ﬁ),
 * full-width forms, letterlike symbols (ℓ, №), ĳ, ŀ, ŉ, ſ, ǆ and the
 * enclosed alphanumerics (①). Others (…, ², ½) keep their look (NFC). */
static bool spelled_out(utf8proc_int32_t c)
{
    return (c >= 0xFB00 && c <= 0xFB4F) || (c >= 0xFF01 && c <= 0xFF5E) ||
           (c >= 0x2100 && c <= 0x214F) || c == 0x132 || c == 0x133 || c == 0x13F ||
           c == 0x140 || c == 0x149 || c == 0x17F || (c >= 0x1C4 && c <= 0x1CC) ||
           (c >= 0x2460 && c <= 0x24FF);
}

/* Append c to b, spelled out by its compatibility decomposition. */
static motesok_status append_compat(msk_buf *b, utf8proc_int32_t c)
{
    utf8proc_int32_t parts[18];
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(c, parts, 18, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &boundclass);
    if (n < 1 || n > 18)
        return msk_buf_append_cp(b, c);
    motesok_status st = MOTESOK_OK;
    for (utf8proc_ssize_t i = 0; i < n && st == MOTESOK_OK; i++)
        st = msk_buf_append_cp(b, parts[i]);
    return st;
}

/* Map one decoded code point to what the output keeps (-1: drop). */
static utf8proc_int32_t clean_cp(utf8proc_int32_t c)
{
    if (c == '\n' || c == '\t')
        return c;
    if (c == '\f' || c == 0x0B || c == 0x2028 || c == 0x2029 || c == 0x85)
        return '\n';
    if (c == 0xAD || c == 0xFEFF || c == 0x200B)
        return -1; /* soft hyphen, BOM / zero-width no-break space, zero-width space */
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_CC)
        return -1;
    /* private-use glyphs: PDF symbol fonts' bullets and arrows (U+F0B7),
     * which would otherwise be indexed as words */
    if (cat == UTF8PROC_CATEGORY_CO)
        return ' ';
    if (c == 0xA0 || c == 0x2007 || c == 0x202F)
        return ' ';
    return c;
}

/* Decode in (replacing each invalid byte by U+FFFD), clean it, into b. */
static motesok_status clean_pass(const char *in, size_t len, msk_buf *b)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    size_t i = 0;
    motesok_status st = MOTESOK_OK;
    while (i < len && st == MOTESOK_OK) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (n < 1) {
            c = 0xFFFD;
            n = 1;
        }
        i += (size_t)n;
        if (c == '\r') { /* CR LF and lone CR become LF */
            if (i < len && p[i] == '\n')
                i++;
            c = '\n';
        }
        c = clean_cp(c);
        if (spelled_out(c))
            st = append_compat(b, c);
        else if (c >= 0)
            st = msk_buf_append_cp(b, c);
    }
    return st;
}

/* The code point at s[i] (U+FFFD if invalid) and its length in *n. */
static utf8proc_int32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
    *n = k < 1 ? 1 : (size_t)k;
    return k < 1 ? 0xFFFD : c;
}

/* Where the run of letters that ends at s[end] begins. */
static size_t letters_before(const char *s, size_t len, size_t end)
{
    size_t at = end;
    while (at > 0) {
        size_t p = at - 1, n;
        while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80)
            p--;
        if (!msk_is_letter(cp_at(s, len, p, &n)) || p + n != at)
            break;
        at = p;
    }
    return at;
}

/* Where the run of letters that begins at s[i] ends. */
static size_t letters_after(const char *s, size_t len, size_t i)
{
    size_t n;
    while (i < len && msk_is_letter(cp_at(s, len, i, &n)))
        i += n;
    return i;
}

/* If s[dash] is a hyphen that ends a line after a word, with a word in
 * lower case starting the next line, and the two joined make a dictionary
 * word (sam-/handling), set *right and *right_end to that next word and
 * return true. "helse- og omsorg" and "Nord-/Fron" stay as they are. */
static bool hyphen_break(const char *s, size_t len, size_t dash, size_t *right, size_t *right_end)
{
    size_t left = letters_before(s, len, dash);
    if (left == dash)
        return false;
    size_t i = dash + 1;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= len || s[i] != '\n')
        return false;
    i++;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t n;
    if (i >= len || utf8proc_category(cp_at(s, len, i, &n)) != UTF8PROC_CATEGORY_LL)
        return false;
    size_t end = letters_after(s, len, i);
    char *joined = malloc((dash - left) + (end - i) + 1);
    if (joined == NULL)
        return false;
    memcpy(joined, s + left, dash - left);
    memcpy(joined + (dash - left), s + i, end - i);
    joined[(dash - left) + (end - i)] = '\0';
    char *folded = msk_casefold(joined);
    free(joined);
    bool known = folded != NULL && msk_norsk_known(msk_norsk_shared(), folded, strlen(folded));
    free(folded);
    if (known) {
        *right = i;
        *right_end = end;
    }
    return known;
}

/* Re-join words hyphenated at line ends (see hyphen_break): the next
 * line's part moves up, and that line begins after it. */
static motesok_status rejoin_hyphens(const char *s, size_t len, msk_buf *out)
{
    motesok_status st = MOTESOK_OK;
    size_t copied = 0;
    for (const char *d = memchr(s, '-', len); d != NULL && st == MOTESOK_OK;
         d = memchr(d + 1, '-', len - (size_t)(d + 1 - s))) {
        size_t dash = (size_t)(d - s), right, right_end;
        if (dash < copied || !hyphen_break(s, len, dash, &right, &right_end))
            continue;
        st = msk_buf_append(out, s + copied, dash - copied);
        if (st == MOTESOK_OK)
            st = msk_buf_append(out, s + right, right_end - right);
        /* the rest of the next line's first token (punctuation) stays on this line */
        size_t tail = right_end;
        while (tail < len && s[tail] != ' ' && s[tail] != '\t' && s[tail] != '\n')
            tail++;
        if (st == MOTESOK_OK)
            st = msk_buf_append(out, s + right_end, tail - right_end);
        while (tail < len && (s[tail] == ' ' || s[tail] == '\t'))
            tail++;
        if (tail < len && s[tail] == '\n')
            tail++;
        if (st == MOTESOK_OK && tail < len) /* the line break, now after the word */
            st = msk_buf_append(out, "\n", 1);
        copied = tail;
        d = s + (tail > 0 ? tail - 1 : 0);
    }
    if (st == MOTESOK_OK)
        st = msk_buf_append(out, s + copied, len - copied);
    return st;
}

motesok_status motesok_normalize_text(const char *in, size_t len, char **out, size_t *out_len,
                                      motesok_error *err)
{
    *out = NULL;
    if (out_len != NULL)
        *out_len = 0;
    msk_buf b = {0};
    motesok_status st = clean_pass(in, len, &b);
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(&b);
    if (st != MOTESOK_OK) {
        msk_buf_free(&b);
        return msk_error_set(err, st, "cannot normalise text: %s", motesok_strerror(st));
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)b.data, (utf8proc_ssize_t)b.len,
                                      &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    msk_buf_free(&b);
    if (n < 0)
        return msk_error_set(err, n == UTF8PROC_ERROR_NOMEM ? MOTESOK_ERR_NOMEM : MOTESOK_ERR_ENCODING,
                             "cannot normalise text: %s", utf8proc_errmsg(n));
    if (memchr(nfc, '-', (size_t)n) != NULL) {
        msk_buf j = {0};
        st = rejoin_hyphens((const char *)nfc, (size_t)n, &j);
        if (st == MOTESOK_OK)
            st = msk_buf_terminate(&j);
        free(nfc);
        if (st != MOTESOK_OK) {
            msk_buf_free(&j);
            return msk_error_set(err, st, "cannot normalise text: %s", motesok_strerror(st));
        }
        nfc = (utf8proc_uint8_t *)j.data;
        n = (utf8proc_ssize_t)j.len;
    }
    *out = (char *)nfc;
    if (out_len != NULL)
        *out_len = (size_t)n;
    return MOTESOK_OK;
}
