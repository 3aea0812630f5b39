/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plain-text encodings read piece by piece: choosing the encoding of a
 * text seen in chunks (msk_probe) and decoding it to UTF-8 in chunks
 * (msk_decoder), a character cut by a chunk's end carried to the next.
 * Fed the whole text at once, both give what they give in any chunks. */
#include "extract/extract_internal.h"

#include <string.h>
#include <strings.h>

/* Windows-1252 code points for bytes 0x80..0x9F (0 where undefined). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* ---------------------------------------------------------------------
 * Choosing the encoding
 * --------------------------------------------------------------------- */

/* Bytes of the UTF-8 sequence lead byte b begins (1 for ASCII, a
 * continuation byte or a byte no sequence begins with). */
static size_t utf8_seq_len(unsigned char b)
{
    if (b >= 0xF0 && b <= 0xF7)
        return 4;
    if (b >= 0xE0)
        return b <= 0xEF ? 3 : 1;
    if (b >= 0xC0)
        return 2;
    return 1;
}

void msk_probe_init(msk_probe *pr)
{
    memset(pr, 0, sizeof *pr);
}

/* Go on with a UTF-8 sequence cut by the last chunk's end: take the bytes
 * that complete it from p; returns how many were taken. */
static size_t probe_finish_held(msk_probe *pr, const unsigned char *p, size_t len)
{
    size_t want = utf8_seq_len(pr->held[0]) - pr->n_held;
    size_t take = want < len ? want : len;
    memcpy(pr->held + pr->n_held, p, take);
    pr->n_held += take;
    if (take < want)
        return take; /* still cut: the next chunk goes on with it */
    if (!msk_valid_utf8((const char *)pr->held, pr->n_held))
        pr->utf8_bad = true;
    pr->n_held = 0;
    return take;
}

/* Check p[0..len) for UTF-8 validity, holding back a sequence its end cuts. */
static void probe_utf8(msk_probe *pr, const unsigned char *p, size_t len)
{
    size_t cut = len;
    for (size_t j = len; j > 0 && j + 3 > len; j--) {
        if ((p[j - 1] & 0xC0) == 0x80)
            continue; /* a continuation byte: look further back */
        if (utf8_seq_len(p[j - 1]) > len - (j - 1))
            cut = j - 1;
        break;
    }
    if (!msk_valid_utf8((const char *)p, cut))
        pr->utf8_bad = true;
    memcpy(pr->held, p + cut, len - cut);
    pr->n_held = len - cut;
}

void msk_probe_feed(msk_probe *pr, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    for (size_t i = 0; i < len && pr->n_head < sizeof pr->head; i++)
        pr->head[pr->n_head++] = p[i];
    if (len > 0 && memchr(p, 0, len) != NULL)
        pr->nul = true;
    for (size_t i = 0; i < len && !pr->cp1252_high; i++)
        pr->cp1252_high = p[i] >= 0x80 && p[i] < 0xA0 && cp1252_high[p[i] - 0x80] != 0;
    if (pr->utf8_bad)
        return;
    size_t used = pr->n_held > 0 ? probe_finish_held(pr, p, len) : 0;
    if (pr->n_held == 0 && used < len)
        probe_utf8(pr, p + used, len - used);
}

/* True if the libmagic-style charset hint names Windows-1252. */
static bool hint_cp1252(const char *hint)
{
    return hint != NULL && (strcasecmp(hint, "windows-1252") == 0 ||
                            strcasecmp(hint, "cp1252") == 0);
}

const char *msk_probe_result(const msk_probe *pr, const char *hint, size_t *bom)
{
    const unsigned char *h = pr->head;
    *bom = 0;
    if (pr->n_head >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
        *bom = 2;
        return h[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    }
    if (pr->nul)
        return NULL;
    if (pr->n_head >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        *bom = 3;
        return "UTF-8"; /* invalid sequences after it become U+FFFD */
    }
    if (!pr->utf8_bad && pr->n_held == 0) /* a sequence cut by the end is invalid */
        return "UTF-8";
    if (pr->cp1252_high || hint_cp1252(hint))
        return "WINDOWS-1252";
    return "ISO-8859-1";
}

/* ---------------------------------------------------------------------
 * Decoding
 * --------------------------------------------------------------------- */

enum { DEC_UTF8, DEC_UTF16LE, DEC_UTF16BE, DEC_CP1252, DEC_LATIN1 };

void msk_decoder_init(msk_decoder *d, const char *enc, size_t bom)
{
    memset(d, 0, sizeof *d);
    d->skip = bom;
    if (strcmp(enc, "UTF-16LE") == 0)
        d->kind = DEC_UTF16LE;
    else if (strcmp(enc, "UTF-16BE") == 0)
        d->kind = DEC_UTF16BE;
    else if (strcmp(enc, "WINDOWS-1252") == 0)
        d->kind = DEC_CP1252;
    else if (strcmp(enc, "ISO-8859-1") == 0)
        d->kind = DEC_LATIN1;
    else
        d->kind = DEC_UTF8;
}

/* The UTF-16 code unit at p in the decoder's byte order. */
static uint32_t unit16(const msk_decoder *d, const unsigned char *p)
{
    return d->kind == DEC_UTF16LE ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
}

/* Decode what the held UTF-16 bytes make: a unit (a lone surrogate is
 * U+FFFD), or with a high surrogate and the unit after it a pair; a high
 * surrogate followed by no low one is U+FFFD, the unit after it read anew. */
static motesok_status utf16_step(msk_decoder *d, msk_buf *out)
{
    if (d->n_held == 2) {
        uint32_t u = unit16(d, d->held);
        if (u >= 0xD800 && u <= 0xDBFF)
            return MOTESOK_OK; /* wait for its low half */
        d->n_held = 0;
        return msk_buf_append_cp(out, u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : (int32_t)u);
    }
    if (d->n_held < 4)
        return MOTESOK_OK;
    uint32_t u = unit16(d, d->held), v = unit16(d, d->held + 2);
    if (v >= 0xDC00 && v <= 0xDFFF) {
        d->n_held = 0;
        return msk_buf_append_cp(out, (int32_t)(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00)));
    }
    motesok_status st = msk_buf_append_cp(out, 0xFFFD); /* high surrogate without its low half */
    memmove(d->held, d->held + 2, 2);
    d->n_held = 2;
    return st == MOTESOK_OK ? utf16_step(d, out) : st;
}

/* Append UTF-16 bytes as UTF-8 (see utf16_step); at the end, a high
 * surrogate or an odd byte left over is U+FFFD each. */
static motesok_status feed_utf16(msk_decoder *d, const unsigned char *p, size_t len, bool last,
                                 msk_buf *out)
{
    motesok_status st = MOTESOK_OK;
    for (size_t i = 0; i < len && st == MOTESOK_OK; i++) {
        d->held[d->n_held++] = p[i];
        st = utf16_step(d, out);
    }
    if (st == MOTESOK_OK && last && d->n_held >= 2) /* a high surrogate at the end */
        st = msk_buf_append_cp(out, 0xFFFD);
    if (st == MOTESOK_OK && last && d->n_held % 2 == 1) /* an odd last byte */
        st = msk_buf_append_cp(out, 0xFFFD);
    if (last)
        d->n_held = 0;
    return st;
}

/* Append single-byte text as UTF-8: Windows-1252 or ISO-8859-1. */
static motesok_status feed_8bit(const unsigned char *p, size_t len, bool cp1252, msk_buf *out)
{
    motesok_status st = MOTESOK_OK;
    for (size_t i = 0; i < len && st == MOTESOK_OK; i++) {
        uint32_t u = p[i];
        if (cp1252 && u >= 0x80 && u < 0xA0)
            u = cp1252_high[u - 0x80] ? cp1252_high[u - 0x80] : 0xFFFD;
        st = msk_buf_append_cp(out, (int32_t)u);
    }
    return st;
}

motesok_status msk_decoder_feed(msk_decoder *d, const void *buf, size_t len, bool last,
                                msk_buf *out)
{
    const unsigned char *p = buf;
    size_t skip = d->skip < len ? d->skip : len;
    d->skip -= skip;
    p += skip, len -= skip;
    switch (d->kind) {
    case DEC_UTF16LE:
    case DEC_UTF16BE: return feed_utf16(d, p, len, last, out);
    case DEC_CP1252:
    case DEC_LATIN1: return feed_8bit(p, len, d->kind == DEC_CP1252, out);
    default: return len > 0 ? msk_buf_append(out, p, len) : MOTESOK_OK; /* UTF-8 as it is */
    }
}
