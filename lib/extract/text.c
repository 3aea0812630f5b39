/* Plain-text extraction: encoding detection and decoding to UTF-8, reading
 * files, and the shared pieces of motesok_text (lib/extract/extract.h). */
#include "extract/extract_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

/* Windows-1252 code points for bytes 0x80..0x9F (0 where undefined). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* ---------------------------------------------------------------------
 * motesok_text and the helpers shared with pdf.c
 * --------------------------------------------------------------------- */

void motesok_text_free(motesok_text *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_pages; i++)
        free(t->pages[i]);
    free(t->pages);
    free(t->page_lens);
    free(t->title);
    free(t->encoding);
    free(t);
}

motesok_text *msk_text_new(size_t n_pages, const char *encoding)
{
    motesok_text *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->created = -1;
    t->pages = calloc(n_pages ? n_pages : 1, sizeof *t->pages);
    t->page_lens = calloc(n_pages ? n_pages : 1, sizeof *t->page_lens);
    t->encoding = strdup(encoding);
    if (t->pages == NULL || t->page_lens == NULL || t->encoding == NULL) {
        motesok_text_free(t);
        return NULL;
    }
    t->n_pages = n_pages;
    return t;
}

const char *msk_size_text(char out[32], uint64_t bytes)
{
    const uint64_t mib = (uint64_t)1 << 20;
    if (bytes < mib)
        snprintf(out, 32, "%llu bytes", (unsigned long long)bytes);
    else if (bytes % mib == 0)
        snprintf(out, 32, "%llu MiB", (unsigned long long)(bytes / mib));
    else
        snprintf(out, 32, "%.1f MiB", (double)bytes / (double)mib);
    return out;
}

motesok_status msk_text_set_page(motesok_text *t, size_t i, const char *utf8, size_t len,
                                 size_t max_total, motesok_error *err)
{
    char *norm = NULL;
    size_t n = 0;
    motesok_status st = motesok_normalize_text(utf8, len, &norm, &n, err);
    if (st != MOTESOK_OK)
        return st;
    if (n > max_total || t->total_len > max_total - n) {
        free(norm);
        char lim[32];
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG,
                             "extracted text exceeds the limit of %s", msk_size_text(lim, max_total));
    }
    free(t->pages[i]);
    t->total_len -= t->page_lens[i];
    t->pages[i] = norm;
    t->page_lens[i] = n;
    t->total_len += n;
    return MOTESOK_OK;
}

/* Length of the first piece of p[0..len) for a page of about part bytes:
 * all of it when it fits, else up to the last blank line, line end or
 * space in the second half of the window, else a character boundary. */
static size_t piece_len(const char *p, size_t len, size_t part)
{
    if (len <= part)
        return len;
    static const char *const ends[] = {"\n\n", "\n", " "};
    for (size_t e = 0; e < 3; e++) {
        size_t el = strlen(ends[e]);
        for (size_t i = part; i >= part / 2 + el; i--)
            if (memcmp(p + i - el, ends[e], el) == 0)
                return i;
    }
    size_t i = part;
    while (i > 1 && ((unsigned char)p[i] & 0xC0) == 0x80)
        i--; /* do not cut inside a character */
    return i;
}

motesok_extract_limits msk_limits(const motesok_extract_limits *lim, bool pdf)
{
    motesok_extract_limits L = {0};
    if (lim != NULL)
        L = *lim;
    if (L.max_input_bytes == 0)
        L.max_input_bytes = pdf ? (size_t)256 << 20 : (size_t)32 << 20;
    if (L.max_text_bytes == 0)
        L.max_text_bytes = (size_t)32 << 20;
    if (L.max_pages == 0)
        L.max_pages = 10000;
    return L;
}

bool msk_blank(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p != '\0') {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
        if (n < 1)
            return false;
        utf8proc_category_t cat = utf8proc_category(c);
        bool space = c == '\n' || c == '\t' || cat == UTF8PROC_CATEGORY_ZS ||
                     cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
        if (!space)
            return false;
        p += n;
    }
    return true;
}

/* ---------------------------------------------------------------------
 * Decoding
 * --------------------------------------------------------------------- */

/* The UTF-16 code unit at p in the given byte order. */
static uint32_t unit16(const unsigned char *p, bool le)
{
    return le ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
}

/* Append UTF-16 text (after the BOM) as UTF-8; lone surrogates and an odd
 * last byte become U+FFFD. */
static motesok_status decode_utf16(const unsigned char *p, size_t len, bool le, msk_buf *out)
{
    motesok_status st = MOTESOK_OK;
    size_t i = 0;
    for (; i + 1 < len && st == MOTESOK_OK; i += 2) {
        uint32_t u = unit16(p + i, le);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t v = unit16(p + i + 2, le);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            } else {
                u = 0xFFFD; /* high surrogate without its low half */
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD; /* lone surrogate */
        }
        st = msk_buf_append_cp(out, (int32_t)u);
    }
    if (st == MOTESOK_OK && i < len)
        st = msk_buf_append_cp(out, 0xFFFD);
    return st;
}

/* Append single-byte text as UTF-8: Windows-1252 or ISO-8859-1. */
static motesok_status decode_8bit(const unsigned char *p, size_t len, bool cp1252, msk_buf *out)
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

/* True if a byte in 0x80..0x9F that Windows-1252 defines appears (those are
 * letters and punctuation there, but unused controls in ISO-8859-1). */
static bool has_cp1252_high(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] >= 0x80 && p[i] < 0xA0 && cp1252_high[p[i] - 0x80] != 0)
            return true;
    return false;
}

/* True if the libmagic-style charset hint names Windows-1252. */
static bool hint_cp1252(const char *hint)
{
    return hint != NULL && (strcasecmp(hint, "windows-1252") == 0 ||
                            strcasecmp(hint, "cp1252") == 0);
}

/* Choose the source encoding of p; NULL means binary content. The BOM
 * decides first, then UTF-8 validity, then the bytes 0x80..0x9F; the hint
 * only settles text that reads the same in Windows-1252 and ISO-8859-1. */
static const char *choose_encoding(const unsigned char *p, size_t len, const char *hint)
{
    if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return "UTF-16LE";
    if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return "UTF-16BE";
    if (memchr(p, 0, len) != NULL)
        return NULL;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return "UTF-8"; /* invalid sequences after it become U+FFFD */
    if (msk_valid_utf8((const char *)p, len))
        return "UTF-8";
    if (has_cp1252_high(p, len) || hint_cp1252(hint))
        return "WINDOWS-1252";
    return "ISO-8859-1";
}

/* Decode p in encoding enc to UTF-8 in out. */
static motesok_status decode(const unsigned char *p, size_t len, const char *enc, msk_buf *out)
{
    if (strcmp(enc, "UTF-8") == 0) {
        size_t skip = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
        return msk_buf_append(out, p + skip, len - skip);
    }
    if (strcmp(enc, "UTF-16LE") == 0 || strcmp(enc, "UTF-16BE") == 0)
        return decode_utf16(p + 2, len - 2, enc[6] == 'L', out);
    return decode_8bit(p, len, strcmp(enc, "WINDOWS-1252") == 0, out);
}

/* Decode p to UTF-8 in *utf8 under the limits (enc: the chosen encoding). */
static motesok_status decode_limited(const unsigned char *p, size_t len, const char *enc,
                                     const motesok_extract_limits *L, msk_buf *utf8,
                                     motesok_error *err)
{
    /* room for what normalisation removes; the final size is checked after */
    utf8->max = L->max_text_bytes > SIZE_MAX / 4 ? 0 : L->max_text_bytes * 4;
    motesok_status st = decode(p, len, enc, utf8);
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(utf8);
    if (st == MOTESOK_ERR_TOO_BIG) {
        char lim[32];
        return msk_error_set(err, st, "%s text decodes to more than the limit of %s", enc,
                             msk_size_text(lim, L->max_text_bytes));
    }
    if (st != MOTESOK_OK)
        return msk_error_set(err, st, "cannot decode %s text: %s", enc, motesok_strerror(st));
    return MOTESOK_OK;
}

size_t msk_text_pieces(const char *p, size_t len, size_t part)
{
    size_t n = 0;
    for (size_t off = 0; off < len && part > 0; n++)
        off += piece_len(p + off, len - off, part);
    return n ? n : 1;
}

/* The decoded text utf8[0..len) as a new text of encoding enc: one page,
 * or beyond MSK_BIG_TEXT_BYTES one page per piece of about
 * MSK_TEXT_PART_BYTES, each normalised on its own (so that normalising
 * costs memory in proportion to a piece, not to the file). */
static motesok_status text_pages(const char *utf8, size_t len, const char *enc, size_t max_total,
                                 motesok_text **out, motesok_error *err)
{
    size_t part = len > MSK_BIG_TEXT_BYTES ? MSK_TEXT_PART_BYTES : len;
    size_t n = len > MSK_BIG_TEXT_BYTES ? msk_text_pieces(utf8, len, part) : 1;
    motesok_text *t = msk_text_new(n, enc);
    if (t == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_status st = MOTESOK_OK;
    size_t off = 0;
    for (size_t i = 0; st == MOTESOK_OK && i < n; i++) {
        size_t m = n == 1 ? len : piece_len(utf8 + off, len - off, part);
        st = msk_text_set_page(t, i, utf8 + off, m, max_total, err);
        off += m;
    }
    bool blank = true;
    for (size_t i = 0; st == MOTESOK_OK && blank && i < n; i++)
        blank = msk_blank(t->pages[i]);
    if (st == MOTESOK_OK && blank)
        st = msk_error_set(err, MOTESOK_ERR_NO_TEXT, "the file holds no text");
    if (st != MOTESOK_OK) {
        motesok_text_free(t);
        return st;
    }
    *out = t;
    return MOTESOK_OK;
}

motesok_status motesok_extract_text_buffer(const void *buf, size_t len, const char *charset_hint,
                                           const motesok_extract_limits *lim, motesok_text **out,
                                           motesok_error *err)
{
    *out = NULL;
    motesok_extract_limits L = msk_limits(lim, false);
    char have[32], limit[32];
    if (len > L.max_input_bytes)
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG, "text of %s exceeds the limit of %s",
                             msk_size_text(have, len), msk_size_text(limit, L.max_input_bytes));
    const unsigned char *p = buf;
    const char *enc = choose_encoding(p, len, charset_hint);
    if (enc == NULL)
        return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED,
                             "binary content (NUL bytes) in what looks like a text file");
    if (strcmp(enc, "UTF-8") == 0) { /* no copy: normalising replaces invalid bytes */
        size_t skip = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
        return text_pages((const char *)p + skip, len - skip, enc, L.max_text_bytes, out, err);
    }
    msk_buf utf8 = {0};
    motesok_status st = decode_limited(p, len, enc, &L, &utf8, err);
    if (st == MOTESOK_OK)
        st = text_pages(utf8.data, utf8.len, enc, L.max_text_bytes, out, err);
    msk_buf_free(&utf8);
    return st;
}

/* ---------------------------------------------------------------------
 * Files
 * --------------------------------------------------------------------- */

/* Check that the open file is regular and at most max bytes. */
static motesok_status check_file(int fd, const char *path, size_t max, size_t *size,
                                 motesok_error *err)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot stat %s: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED, "%s is not a regular file", path);
    if ((uint64_t)sb.st_size > max) {
        char have[32], limit[32];
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG, "%s: file of %s exceeds the limit of %s",
                             path, msk_size_text(have, (uint64_t)sb.st_size),
                             msk_size_text(limit, max));
    }
    *size = (size_t)sb.st_size;
    return MOTESOK_OK;
}

/* Read a whole regular file of at most max bytes into *buf (the caller's). */
static motesok_status read_file(const char *path, size_t max, unsigned char **buf, size_t *len,
                                motesok_error *err)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    size_t want = 0;
    motesok_status st = check_file(fd, path, max, &want, err);
    unsigned char *p = NULL;
    if (st == MOTESOK_OK) {
        p = malloc(want ? want : 1);
        if (p == NULL)
            st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory reading %s", path);
    }
    if (st == MOTESOK_OK)
        st = msk_read_full(fd, path, p, want, len, err);
    close(fd);
    if (st != MOTESOK_OK) {
        free(p);
        *len = 0;
        return st;
    }
    *buf = p;
    return MOTESOK_OK;
}

motesok_status motesok_extract_file(const char *path, const motesok_detection *det,
                                    const motesok_extract_limits *lim, motesok_text **out,
                                    motesok_error *err)
{
    *out = NULL;
    if (det->kind == MOTESOK_KIND_EMPTY)
        return msk_error_set(err, MOTESOK_ERR_NO_TEXT, "empty file");
    if (det->kind != MOTESOK_KIND_PDF && det->kind != MOTESOK_KIND_TEXT)
        return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED, "unsupported file type %s",
                             det->mime[0] ? det->mime : "(unknown)");
    bool pdf = det->kind == MOTESOK_KIND_PDF;
    motesok_extract_limits L = msk_limits(lim, pdf);
    unsigned char *buf = NULL;
    size_t len = 0;
    motesok_status st = read_file(path, L.max_input_bytes, &buf, &len, err);
    if (st != MOTESOK_OK)
        return st;
    if (pdf)
        st = motesok_extract_pdf_buffer(buf, len, &L, out, err);
    else
        st = motesok_extract_text_buffer(buf, len, det->charset, &L, out, err);
    free(buf);
    return st;
}
