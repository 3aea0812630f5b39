/* SPDX-License-Identifier: GPL-2.0-or-later */
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
    free(t->page_how);
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

/* True if a page may end after byte c: an ASCII character that is no
 * letter or digit and that joins no word ("don't", "AT&T", "e-post"). */
static bool ends_word(unsigned char c)
{
    return c < 0x20 || strchr(",.;:!?()[]{}<>\"/|*=", c) != NULL; /* c < 0x20: NUL too */
}

/* Length of the first piece of p[0..len) for a page of about part bytes:
 * all of it when it fits, else up to the last blank line, line end or
 * space in the second half of the window, else after the last character
 * there that ends a word, else a character boundary (only a run of more
 * than part / 2 bytes of letters and digits, which is no word a search
 * can find, is cut inside). Looks at p[0..part] only. */
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
    for (size_t i = part; i >= part / 2 + 1; i--)
        if (ends_word((unsigned char)p[i - 1]))
            return i;
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
 * A text in memory
 * --------------------------------------------------------------------- */

/* Geometry with defaults filled in (a page at least 16 bytes). */
static msk_text_geometry geometry(const msk_text_geometry *geo)
{
    msk_text_geometry G = {0};
    if (geo != NULL)
        G = *geo;
    if (G.big == 0)
        G.big = MSK_BIG_TEXT_BYTES;
    if (G.part == 0)
        G.part = MSK_TEXT_PART_BYTES;
    if (G.part < 16)
        G.part = 16;
    if (G.chunk == 0)
        G.chunk = MSK_TEXT_CHUNK_BYTES;
    return G;
}

/* The message of a text that decodes to more than its limit allows. */
static motesok_status decodes_too_big(const char *enc, const motesok_extract_limits *L,
                                      motesok_error *err)
{
    char lim[32];
    return msk_error_set(err, MOTESOK_ERR_TOO_BIG, "%s text decodes to more than the limit of %s",
                         enc, msk_size_text(lim, L->max_text_bytes));
}

/* Room for decoded text before normalising (which removes some of it):
 * four times the text limit; 0 (none) when that overflows. */
static size_t decoded_max(const motesok_extract_limits *L)
{
    return L->max_text_bytes > SIZE_MAX / 4 ? 0 : L->max_text_bytes * 4;
}

/* Decode p[0..len) in encoding enc (BOM of bom bytes) to UTF-8 in *utf8
 * under the limits. */
static motesok_status decode_limited(const unsigned char *p, size_t len, const char *enc,
                                     size_t bom, const motesok_extract_limits *L, msk_buf *utf8,
                                     motesok_error *err)
{
    utf8->max = decoded_max(L);
    msk_decoder d;
    msk_decoder_init(&d, enc, bom);
    motesok_status st = msk_decoder_feed(&d, p, len, true, utf8);
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(utf8);
    if (st == MOTESOK_ERR_TOO_BIG)
        return decodes_too_big(enc, L, err);
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

/* The status of a text whose pages are all made: ERR_NO_TEXT when every
 * page is blank. */
static motesok_status check_not_blank(const motesok_text *t, motesok_error *err)
{
    for (size_t i = 0; i < t->n_pages; i++)
        if (!msk_blank(t->pages[i]))
            return MOTESOK_OK;
    return msk_error_set(err, MOTESOK_ERR_NO_TEXT, "the file holds no text");
}

/* The decoded text utf8[0..len) as a new text of encoding enc: one page,
 * or beyond G->big one page per piece of about G->part, each normalised
 * on its own (so that normalising costs memory in proportion to a piece,
 * not to the file). */
static motesok_status text_pages(const char *utf8, size_t len, const char *enc, size_t max_total,
                                 const msk_text_geometry *G, motesok_text **out,
                                 motesok_error *err)
{
    size_t part = len > G->big ? G->part : len;
    size_t n = len > G->big ? msk_text_pieces(utf8, len, part) : 1;
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
    if (st == MOTESOK_OK)
        st = check_not_blank(t, err);
    if (st != MOTESOK_OK) {
        motesok_text_free(t);
        return st;
    }
    *out = t;
    return MOTESOK_OK;
}

/* The encoding of p[0..len) (msk_probe_result). */
static const char *choose_encoding(const unsigned char *p, size_t len, const char *hint,
                                   size_t *bom)
{
    msk_probe pr;
    msk_probe_init(&pr);
    msk_probe_feed(&pr, p, len);
    return msk_probe_result(&pr, hint, bom);
}

/* The message of a text of size bytes, over L's input limit. */
static motesok_status too_big(uint64_t size, const motesok_extract_limits *L, motesok_error *err)
{
    char have[32], limit[32];
    return msk_error_set(err, MOTESOK_ERR_TOO_BIG, "text of %s exceeds the limit of %s",
                         msk_size_text(have, size), msk_size_text(limit, L->max_input_bytes));
}

/* The message of a file with NUL bytes. */
static motesok_status binary_content(motesok_error *err)
{
    return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED,
                         "binary content (NUL bytes) in what looks like a text file");
}

motesok_status msk_text_from_buffer(const void *buf, size_t len, const char *charset_hint,
                                    const motesok_extract_limits *lim,
                                    const msk_text_geometry *geo, motesok_text **out,
                                    motesok_error *err)
{
    *out = NULL;
    motesok_extract_limits L = msk_limits(lim, false);
    msk_text_geometry G = geometry(geo);
    if (len > L.max_input_bytes)
        return too_big(len, &L, err);
    const unsigned char *p = buf;
    size_t bom = 0;
    const char *enc = choose_encoding(p, len, charset_hint, &bom);
    if (enc == NULL)
        return binary_content(err);
    if (strcmp(enc, "UTF-8") == 0) /* no copy: normalising replaces invalid bytes */
        return text_pages((const char *)p + bom, len - bom, enc, L.max_text_bytes, &G, out, err);
    msk_buf utf8 = {0};
    motesok_status st = decode_limited(p, len, enc, bom, &L, &utf8, err);
    if (st == MOTESOK_OK)
        st = text_pages(utf8.data, utf8.len, enc, L.max_text_bytes, &G, out, err);
    msk_buf_free(&utf8);
    return st;
}

motesok_status motesok_extract_text_buffer(const void *buf, size_t len, const char *charset_hint,
                                           const motesok_extract_limits *lim, motesok_text **out,
                                           motesok_error *err)
{
    return msk_text_from_buffer(buf, len, charset_hint, lim, NULL, out, err);
}

/* ---------------------------------------------------------------------
 * A text read a chunk at a time
 * --------------------------------------------------------------------- */

/* Reads a file's text a chunk at a time, decodes it and cuts it into the
 * pieces text_pages cuts the whole text into: piece_len looks at most
 * part + 1 bytes ahead, so a window of that much decoded text cuts where
 * the whole text is cut. */
typedef struct piece_reader {
    int fd;
    const char *name;
    uint64_t size, left;    /* the file's bytes, and those not read yet */
    msk_decoder dec;
    const char *enc;
    size_t bom;
    unsigned char *chunk;
    msk_text_geometry G;
    msk_buf win;            /* decoded text; the window is win.data[at..win.len) */
    size_t at;
    bool ended;             /* all read and decoded */
} piece_reader;

/* (Re)start reading from the file's first byte. */
static motesok_status reader_rewind(piece_reader *r, motesok_error *err)
{
    if (lseek(r->fd, 0, SEEK_SET) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", r->name, strerror(errno));
    r->left = r->size;
    r->win.len = 0;
    r->at = 0;
    r->ended = false;
    msk_decoder_init(&r->dec, r->enc, r->bom);
    return MOTESOK_OK;
}

/* Read the next chunk of the file into r->chunk (*got bytes); a file that
 * ends early changed while it was read. */
static motesok_status reader_chunk(piece_reader *r, size_t *got, motesok_error *err)
{
    size_t want = r->left < r->G.chunk ? (size_t)r->left : r->G.chunk;
    motesok_status st = msk_read_full(r->fd, r->name, r->chunk, want, got, err);
    if (st == MOTESOK_OK && *got < want)
        st = msk_error_set(err, MOTESOK_ERR_IO, "%s changed while it was read", r->name);
    if (st == MOTESOK_OK)
        r->left -= *got;
    return st;
}

/* Decode chunks until the window holds more than a page or the text ended. */
static motesok_status reader_fill(piece_reader *r, motesok_error *err)
{
    motesok_status st = MOTESOK_OK;
    while (st == MOTESOK_OK && !r->ended && r->win.len - r->at <= r->G.part) {
        if (r->at > 0) { /* keep the window at the buffer's start */
            memmove(r->win.data, r->win.data + r->at, r->win.len - r->at);
            r->win.len -= r->at;
            r->at = 0;
        }
        size_t got = 0;
        st = reader_chunk(r, &got, err);
        if (st == MOTESOK_OK)
            st = msk_decoder_feed(&r->dec, r->chunk, got, r->left == 0, &r->win);
        if (st == MOTESOK_ERR_NOMEM)
            st = msk_error_set(err, st, "out of memory decoding %s", r->name);
        r->ended = st == MOTESOK_OK && r->left == 0;
    }
    return st;
}

/* The next piece of decoded text, *p (len bytes, 0 at the end), valid
 * until the next call. */
static motesok_status reader_next(piece_reader *r, const char **p, size_t *len,
                                  motesok_error *err)
{
    motesok_status st = reader_fill(r, err);
    *len = 0;
    if (st != MOTESOK_OK)
        return st;
    *p = r->win.data + r->at;
    *len = piece_len(*p, r->win.len - r->at, r->G.part);
    r->at += *len;
    return MOTESOK_OK;
}

/* Read the whole text once: its encoding (*enc NULL: binary content),
 * then the decoded bytes (*decoded) and pieces (*pieces) it makes. */
static motesok_status reader_measure(piece_reader *r, const char *hint, uint64_t *decoded,
                                     size_t *pieces, motesok_error *err)
{
    msk_probe pr;
    msk_probe_init(&pr);
    motesok_status st = MOTESOK_OK;
    if (lseek(r->fd, 0, SEEK_SET) != 0)
        st = msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", r->name, strerror(errno));
    for (r->left = r->size; st == MOTESOK_OK && r->left > 0;) {
        size_t got = 0;
        st = reader_chunk(r, &got, err);
        msk_probe_feed(&pr, r->chunk, got);
    }
    r->enc = st == MOTESOK_OK ? msk_probe_result(&pr, hint, &r->bom) : NULL;
    if (st != MOTESOK_OK || r->enc == NULL)
        return st;
    st = reader_rewind(r, err);
    *decoded = 0, *pieces = 0;
    for (size_t len = 1; st == MOTESOK_OK && len > 0;) {
        const char *p;
        st = reader_next(r, &p, &len, err);
        *decoded += len;
        *pieces += len > 0;
    }
    return st;
}

/* ---------------------------------------------------------------------
 * Extraction page by page
 * --------------------------------------------------------------------- */

struct msk_extraction {
    motesok_text *t;       /* the head; the pages too unless read page by page */
    size_t next;           /* the next page to hand out */
    int fd;                /* the file (owned), or -1 */
    piece_reader *r;       /* a big text read page by page, else NULL */
    size_t max_text;
    bool any_text;         /* a page handed out was not blank */
    int last_how;          /* MSK_PAGE_* of the page handed out last */
};

/* A new extraction of a text made whole. */
static motesok_status whole_extraction(motesok_text *t, msk_extraction **out, motesok_error *err)
{
    msk_extraction *x = calloc(1, sizeof *x);
    if (x == NULL) {
        motesok_text_free(t);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    x->t = t;
    x->fd = -1;
    *out = x;
    return MOTESOK_OK;
}

/* Read the size bytes of fd into a new buffer *buf. */
static motesok_status read_whole(int fd, uint64_t size, const char *name, unsigned char **buf,
                                 motesok_error *err)
{
    *buf = NULL;
    if (lseek(fd, 0, SEEK_SET) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot read %s: %s", name, strerror(errno));
    unsigned char *p = malloc(size ? (size_t)size : 1);
    if (p == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory reading %s", name);
    size_t got = 0;
    motesok_status st = msk_read_full(fd, name, p, (size_t)size, &got, err);
    if (st == MOTESOK_OK && got < size)
        st = msk_error_set(err, MOTESOK_ERR_IO, "%s changed while it was read", name);
    if (st != MOTESOK_OK) {
        free(p);
        return st;
    }
    *buf = p;
    return MOTESOK_OK;
}

/* Extract fd's text in memory (a text no bigger than a page window). */
static motesok_status text_in_memory(int fd, uint64_t size, const char *name, const char *hint,
                                     const motesok_extract_limits *L, const msk_text_geometry *G,
                                     msk_extraction **out, motesok_error *err)
{
    unsigned char *buf = NULL;
    motesok_status st = read_whole(fd, size, name, &buf, err);
    motesok_text *t = NULL;
    if (st == MOTESOK_OK)
        st = msk_text_from_buffer(buf, (size_t)size, hint, L, G, &t, err);
    free(buf);
    return st == MOTESOK_OK ? whole_extraction(t, out, err) : st;
}

/* Free a piece reader (NULL is fine). */
static void reader_free(piece_reader *r)
{
    if (r == NULL)
        return;
    free(r->chunk);
    msk_buf_free(&r->win);
    free(r);
}

/* A new extraction of fd read page by page: measure it, then either read
 * it whole (it decodes to no more than G->big) or set up the pages. */
static motesok_status open_measured(int fd, uint64_t size, const char *name, const char *hint,
                                    const motesok_extract_limits *L, const msk_text_geometry *G,
                                    msk_extraction **out, motesok_error *err)
{
    piece_reader *r = calloc(1, sizeof *r);
    unsigned char *chunk = malloc(G->chunk);
    if (r == NULL || chunk == NULL) {
        free(r);
        free(chunk);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    *r = (piece_reader){.fd = fd, .name = name, .size = size, .chunk = chunk, .G = *G};
    uint64_t decoded = 0;
    size_t pieces = 0;
    motesok_status st = reader_measure(r, hint, &decoded, &pieces, err);
    bool whole = st == MOTESOK_OK && r->enc != NULL && decoded <= G->big;
    if (st == MOTESOK_OK && r->enc == NULL)
        st = binary_content(err);
    else if (st == MOTESOK_OK && strcmp(r->enc, "UTF-8") != 0 && decoded_max(L) != 0 &&
             decoded > decoded_max(L))
        st = decodes_too_big(r->enc, L, err);
    if (st == MOTESOK_OK && whole) {
        reader_free(r);
        return text_in_memory(fd, size, name, hint, L, G, out, err);
    }
    motesok_text *t = st == MOTESOK_OK ? msk_text_new(pieces, r->enc) : NULL;
    if (st == MOTESOK_OK && t == NULL)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK)
        st = reader_rewind(r, err);
    if (st == MOTESOK_OK)
        st = whole_extraction(t, out, err);
    else
        motesok_text_free(t);
    if (st != MOTESOK_OK) {
        reader_free(r);
        return st;
    }
    (*out)->r = r;
    (*out)->max_text = L->max_text_bytes;
    return MOTESOK_OK;
}

motesok_status msk_text_open_fd(int fd, uint64_t size, const char *name,
                                const char *charset_hint, const motesok_extract_limits *lim,
                                const msk_text_geometry *geo, msk_extraction **out,
                                motesok_error *err)
{
    *out = NULL;
    motesok_extract_limits L = msk_limits(lim, false);
    msk_text_geometry G = geometry(geo);
    if (size > L.max_input_bytes)
        return too_big(size, &L, err);
    /* a byte decodes to at most 3 bytes of UTF-8: a text of no more than
     * G.big / 3 bytes is cut no differently when read whole */
    if (size <= G.big / 3)
        return text_in_memory(fd, size, name, charset_hint, &L, &G, out, err);
    return open_measured(fd, size, name, charset_hint, &L, &G, out, err);
}

const motesok_text *msk_extraction_head(const msk_extraction *x)
{
    return x->t;
}

/* The next page of a text read page by page, normalised; the last one
 * also checks that the text ended there and was not all blank. */
static motesok_status next_read_page(msk_extraction *x, char **page, size_t *len,
                                     motesok_error *err)
{
    const char *p = NULL;
    size_t m = 0;
    motesok_status st = reader_next(x->r, &p, &m, err);
    if (st == MOTESOK_OK && m == 0)
        st = msk_error_set(err, MOTESOK_ERR_IO, "%s changed while it was read", x->r->name);
    if (st == MOTESOK_OK)
        st = motesok_normalize_text(p, m, page, len, err);
    if (st != MOTESOK_OK)
        return st;
    char lim[32];
    if (*len > x->max_text || x->t->total_len > x->max_text - *len)
        st = msk_error_set(err, MOTESOK_ERR_TOO_BIG, "extracted text exceeds the limit of %s",
                           msk_size_text(lim, x->max_text));
    x->t->total_len += *len;
    x->any_text = x->any_text || !msk_blank(*page);
    bool last = x->next + 1 == x->t->n_pages;
    if (st == MOTESOK_OK && last && reader_next(x->r, &p, &m, err) == MOTESOK_OK && m > 0)
        st = msk_error_set(err, MOTESOK_ERR_IO, "%s changed while it was read", x->r->name);
    if (st == MOTESOK_OK && last && !x->any_text)
        st = msk_error_set(err, MOTESOK_ERR_NO_TEXT, "the file holds no text");
    if (st != MOTESOK_OK) {
        free(*page);
        *page = NULL;
    }
    return st;
}

motesok_status msk_extraction_next(msk_extraction *x, char **page, size_t *len,
                                   motesok_error *err)
{
    *page = NULL;
    *len = 0;
    if (x->next >= x->t->n_pages)
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "no page left to extract");
    motesok_status st = MOTESOK_OK;
    if (x->r != NULL) {
        st = next_read_page(x, page, len, err);
    } else {
        *page = x->t->pages[x->next]; /* handed over */
        x->last_how = x->t->page_how ? x->t->page_how[x->next] : MSK_PAGE_TEXT;
        *len = x->t->page_lens[x->next];
        x->t->pages[x->next] = NULL;
    }
    x->next += st == MOTESOK_OK;
    if (st != MOTESOK_OK)
        x->next = x->t->n_pages; /* nothing more comes */
    return st;
}

void msk_extraction_close(msk_extraction *x)
{
    if (x == NULL)
        return;
    motesok_text_free(x->t);
    reader_free(x->r);
    if (x->fd >= 0)
        close(x->fd);
    free(x);
}

/* ---------------------------------------------------------------------
 * Files
 * --------------------------------------------------------------------- */

/* Check that the open file is regular and at most max bytes. */
static motesok_status check_file(int fd, const char *path, size_t max, uint64_t *size,
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
    *size = (uint64_t)sb.st_size;
    return MOTESOK_OK;
}

/* Open path for reading, refusing anything but a regular file of at most
 * max bytes; *fd and *size on success. */
static motesok_status open_file(const char *path, size_t max, int *fd, uint64_t *size,
                                motesok_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (*fd < 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    motesok_status st = check_file(*fd, path, max, size, err);
    if (st != MOTESOK_OK) {
        close(*fd);
        *fd = -1;
    }
    return st;
}

/* Extract a PDF file whole. */
static motesok_status open_pdf(const char *path, const motesok_extract_limits *L,
                               const msk_ocr *ocr, msk_extraction **out, motesok_error *err)
{
    int fd = -1;
    uint64_t size = 0;
    motesok_status st = open_file(path, L->max_input_bytes, &fd, &size, err);
    unsigned char *buf = NULL;
    if (st == MOTESOK_OK)
        st = read_whole(fd, size, path, &buf, err);
    if (fd >= 0)
        close(fd);
    motesok_text *t = NULL;
    if (st == MOTESOK_OK)
        st = msk_extract_pdf_ocr(buf, (size_t)size, L, ocr, &t, err);
    free(buf);
    return st == MOTESOK_OK ? whole_extraction(t, out, err) : st;
}

motesok_status msk_extraction_open(const char *path, const motesok_detection *det,
                                   const motesok_extract_limits *lim, msk_extraction **out,
                                   motesok_error *err)
{
    return msk_extraction_open_ocr(path, det, lim, NULL, out, err);
}

int msk_extraction_last_how(const msk_extraction *x)
{
    return x->last_how;
}

motesok_status msk_extraction_open_ocr(const char *path, const motesok_detection *det,
                                       const motesok_extract_limits *lim, const msk_ocr *ocr,
                                       msk_extraction **out, motesok_error *err)
{
    *out = NULL;
    if (det->kind == MOTESOK_KIND_EMPTY)
        return msk_error_set(err, MOTESOK_ERR_NO_TEXT, "empty file");
    if (det->kind != MOTESOK_KIND_PDF && det->kind != MOTESOK_KIND_TEXT)
        return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED, "unsupported file type %s",
                             det->mime[0] ? det->mime : "(unknown)");
    bool pdf = det->kind == MOTESOK_KIND_PDF;
    motesok_extract_limits L = msk_limits(lim, pdf);
    if (pdf)
        return open_pdf(path, &L, ocr, out, err);
    int fd = -1;
    uint64_t size = 0;
    motesok_status st = open_file(path, L.max_input_bytes, &fd, &size, err);
    if (st == MOTESOK_OK)
        st = msk_text_open_fd(fd, size, path, det->charset, &L, NULL, out, err);
    if (st == MOTESOK_OK && (*out)->r != NULL)
        (*out)->fd = fd; /* read on page by page */
    else if (fd >= 0)
        close(fd);
    return st;
}

motesok_status msk_extraction_all(msk_extraction *x, motesok_text **out, motesok_error *err)
{
    motesok_status st = MOTESOK_OK;
    motesok_text *t = x->t;
    for (size_t i = x->next; st == MOTESOK_OK && x->r != NULL && i < t->n_pages; i++)
        st = msk_extraction_next(x, &t->pages[i], &t->page_lens[i], err);
    *out = NULL;
    if (st != MOTESOK_OK)
        return st;
    x->t = NULL;
    x->next = 0;
    *out = t;
    return MOTESOK_OK;
}

motesok_status motesok_extract_file(const char *path, const motesok_detection *det,
                                    const motesok_extract_limits *lim, motesok_text **out,
                                    motesok_error *err)
{
    msk_extraction *x = NULL;
    motesok_status st = msk_extraction_open(path, det, lim, &x, err);
    if (st == MOTESOK_OK)
        st = msk_extraction_all(x, out, err);
    else
        *out = NULL;
    msk_extraction_close(x);
    return st;
}
