/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text made safe to print (common/term.h). */
#include "term.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s[0..len) (1-4), 0 if invalid
 * (overlong, surrogate, beyond U+10FFFF, truncated). */
static size_t utf8_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07u;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t msk_term_escape(const char *s, size_t len, char *out, size_t cap, bool keep_lines)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len(u + i, len - i);
        char esc[8];
        const char *piece;
        size_t plen;
        bool c1 = n == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0; /* U+0080..U+009F */
        bool line = keep_lines && (u[i] == '\n' || u[i] == '\t');
        if (n == 0 || (n == 1 && !line && (u[i] < 0x20 || u[i] == 0x7F)) || c1) {
            snprintf(esc, sizeof esc, "\\x%02X", u[i]);
            piece = esc, plen = 4, n = 1;
        } else {
            piece = s + i, plen = n;
        }
        if (o + plen >= cap)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        i += n;
    }
    out[o] = '\0';
    return o;
}

char *msk_term_escaped(const char *s, bool keep_lines)
{
    size_t len = strlen(s), cap = 4 * len + 1; /* every byte at most \xNN */
    char *out = malloc(cap);
    if (out != NULL)
        msk_term_escape(s, len, out, cap, keep_lines);
    return out;
}
