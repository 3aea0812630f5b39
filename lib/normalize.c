/* Text normalisation before analysis (motesok_normalize_text in extract.h). */
#include "internal.h"
#include "motesok/extract.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Letters of the Latin ligatures U+FB00..U+FB06 that PDFs often carry. */
static const char *const ligatures[7] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};

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
        if (c >= 0xFB00 && c <= 0xFB06)
            st = msk_buf_append(b, ligatures[c - 0xFB00], strlen(ligatures[c - 0xFB00]));
        else if (c >= 0)
            st = msk_buf_append_cp(b, c);
    }
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
    *out = (char *)nfc;
    if (out_len != NULL)
        *out_len = (size_t)n;
    return MOTESOK_OK;
}
