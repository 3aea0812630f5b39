/* Plain-text extraction: encoding detection and decoding to UTF-8, and the
 * shared pieces of motesok_text (include/motesok/extract.h). */
#include "extract_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

motesok_status msk_text_set_page(motesok_text *t, size_t i, const char *utf8, size_t len,
                                 size_t max_total, motesok_error *err)
{
    char *norm = NULL;
    size_t n = 0;
    motesok_status st = motesok_normalize_text(utf8, len, &norm, &n, err);
    if (st != MOTESOK_OK)
        return st;
    if (t->total_len + n > max_total) {
        free(norm);
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG,
                             "extracted text exceeds the limit of %zu MiB", max_total >> 20);
    }
    free(t->pages[i]);
    t->pages[i] = norm;
    t->page_lens[i] = n;
    t->total_len += n;
    return MOTESOK_OK;
}

/* Append UTF-16 text (little or big endian, after the BOM) as UTF-8. */
static motesok_status decode_utf16(const unsigned char *p, size_t len, bool le, msk_buf *out)
{
    motesok_status st = MOTESOK_OK;
    for (size_t i = 0; i + 1 < len && st == MOTESOK_OK; i += 2) {
        uint32_t u = le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t v = le ? (uint32_t)(p[i + 2] | p[i + 3] << 8) : (uint32_t)(p[i + 2] << 8 | p[i + 3]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            } else {
                u = 0xFFFD;
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD; /* lone surrogate */
        }
        utf8proc_uint8_t tmp[4];
        utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)u, tmp);
        st = msk_buf_append(out, tmp, (size_t)n);
    }
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
        utf8proc_uint8_t tmp[4];
        utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)u, tmp);
        st = msk_buf_append(out, tmp, (size_t)n);
    }
    return st;
}

/* True if p is entirely valid UTF-8. */
static bool valid_utf8(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (n < 1)
            return false;
        i += (size_t)n;
    }
    return true;
}

/* True if any byte is in 0x80..0x9F (C1 in Latin-1, letters in CP1252). */
static bool has_c1(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] >= 0x80 && p[i] < 0xA0)
            return true;
    return false;
}

/* Choose the source encoding of p; NULL means binary content. */
static const char *choose_encoding(const unsigned char *p, size_t len, const char *hint)
{
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return "UTF-8";
    if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return "UTF-16LE";
    if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return "UTF-16BE";
    if (memchr(p, 0, len) != NULL)
        return NULL;
    if (valid_utf8(p, len))
        return "UTF-8";
    if (has_c1(p, len))
        return "WINDOWS-1252";
    if (hint != NULL && strcmp(hint, "iso-8859-1") == 0)
        return "ISO-8859-1";
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

motesok_status motesok_extract_text_buffer(const void *buf, size_t len, const char *charset_hint,
                                           const motesok_extract_limits *lim, motesok_text **out,
                                           motesok_error *err)
{
    *out = NULL;
    motesok_extract_limits L = msk_limits(lim, false);
    if (len > L.max_input_bytes)
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG,
                             "text file of %zu MiB exceeds the limit of %zu MiB",
                             len >> 20, L.max_input_bytes >> 20);
    const unsigned char *p = buf;
    const char *enc = choose_encoding(p, len, charset_hint);
    if (enc == NULL)
        return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED,
                             "binary content (NUL bytes) in what looks like a text file");
    msk_buf utf8 = {.max = L.max_text_bytes * 2};
    motesok_status st = decode(p, len, enc, &utf8);
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(&utf8);
    if (st != MOTESOK_OK) {
        msk_buf_free(&utf8);
        return msk_error_set(err, st, "cannot decode %s text: %s", enc, motesok_strerror(st));
    }
    motesok_text *t = msk_text_new(1, enc);
    if (t == NULL)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK)
        st = msk_text_set_page(t, 0, utf8.data, utf8.len, L.max_text_bytes, err);
    msk_buf_free(&utf8);
    if (st == MOTESOK_OK && msk_blank(t->pages[0]))
        st = msk_error_set(err, MOTESOK_ERR_NO_TEXT, "the file holds no text");
    if (st != MOTESOK_OK) {
        motesok_text_free(t);
        return st;
    }
    *out = t;
    return MOTESOK_OK;
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
    for (; *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            return false;
    return true;
}

/* Read a whole regular file of at most max bytes into *buf. */
static motesok_status read_file(const char *path, size_t max, unsigned char **buf, size_t *len,
                                motesok_error *err)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    motesok_status s = MOTESOK_OK;
    if (fstat(fd, &st) != 0)
        s = msk_error_set(err, MOTESOK_ERR_IO, "cannot stat %s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        s = msk_error_set(err, MOTESOK_ERR_UNSUPPORTED, "%s is not a regular file", path);
    else if ((uint64_t)st.st_size > max)
        s = msk_error_set(err, MOTESOK_ERR_TOO_BIG, "file of %lld MiB exceeds the limit of %zu MiB",
                          (long long)st.st_size >> 20, max >> 20);
    size_t want = s == MOTESOK_OK ? (size_t)st.st_size : 0;
    unsigned char *p = s == MOTESOK_OK ? malloc(want ? want : 1) : NULL;
    if (s == MOTESOK_OK && p == NULL)
        s = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory reading %s", path);
    size_t got = 0;
    while (s == MOTESOK_OK && got < want) {
        ssize_t r = read(fd, p + got, want - got);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            s = msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        else
            got += (size_t)r;
    }
    close(fd);
    if (s != MOTESOK_OK) {
        free(p);
        return s;
    }
    *buf = p;
    *len = got;
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
        return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED, "unsupported file type %s", det->mime);
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
