/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pieces shared by the text and PDF extractors, and the plain-text
 * decoding the tests and the fuzzer reach in pieces. */
#ifndef MSK_EXTRACT_INTERNAL_H
#define MSK_EXTRACT_INTERNAL_H

#include "internal.h"
#include "extract/extract.h"

/* A new text with n_pages empty pages and the given encoding name. */
motesok_text *msk_text_new(size_t n_pages, const char *encoding);

/* Normalise utf8 into page i, keeping the total under max_total bytes. */
motesok_status msk_text_set_page(motesok_text *t, size_t i, const char *utf8, size_t len,
                                 size_t max_total, motesok_error *err);

/* How many pieces of at most part bytes p[0..len) is cut into, each
 * ending at a paragraph, line or word end when one lies in its second
 * half, else after a character that is no letter or digit, else at a
 * character boundary (1 for empty text). */
size_t msk_text_pieces(const char *p, size_t len, size_t part);

/* Limits with defaults filled in (PDF or text input size). */
motesok_extract_limits msk_limits(const motesok_extract_limits *lim, bool pdf);

/* True if s (UTF-8) holds only white space. */
bool msk_blank(const char *s);

/* A size for messages, "812 bytes", "32 MiB" or "33.5 MiB", written to out. */
const char *msk_size_text(char out[32], uint64_t bytes);

/* ---- OCR (ocr.c) -------------------------------------------------------- */

struct _PopplerPage; /* poppler-glib's PopplerPage */

/* Counts over a page's text for the quality test. */
typedef struct msk_quality {
    size_t chars;        /* characters other than white space */
    size_t letters;      /* of them letters */
    size_t private_use;  /* of them in a private-use area */
    size_t tokens;       /* runs of letters */
    size_t words;        /* of them words (the nb/nn dictionaries, or word-shaped) */
} msk_quality;

/* Count s[0..len) (UTF-8) for the quality test. */
msk_quality msk_text_quality(const char *s, size_t len);

/* True if a text layer so counted is worth keeping: some text, few
 * private-use glyphs, at least as many letters as other signs, and (with
 * 8 tokens or more) at least half the tokens words. */
bool msk_quality_good(const msk_quality *q);

/* Render page at dpi and read it with Tesseract for langs ("nor+eng"),
 * with this thread's engine (started on first use); *out the caller's. */
motesok_status msk_ocr_page(struct _PopplerPage *page, unsigned dpi, const char *langs,
                            char **out, motesok_error *err);

/* Lay out OCR text s as a PDF's text layer is (in place): a line per line
 * of text, no blank lines, no line end after the last. Tesseract ends its blocks and paragraphs with
 * one, after a short line as often as at a paragraph's end, where a
 * typed page's text layer has none: the minutes reader, which ends a
 * decision at a blank line, then reads a scan as it reads its typed twin. */
void msk_ocr_text_lines(char *s);

/* End this thread's Tesseract engine now (a thread that exits ends its
 * own; the main thread, whose keys are not destroyed at exit, calls it). */
void msk_ocr_thread_end(void);

/* Check that Tesseract starts with langs (ERR_UNSUPPORTED naming them if
 * their data is missing), with an engine made and ended for it. */
motesok_status msk_ocr_check(const char *langs, motesok_error *err);

/* ---- plain text in chunks (decode.c) ------------------------------------ */

/* The encoding of a text seen in chunks: init, feed every chunk in order,
 * then msk_probe_result. Any chunking gives the same result. */
typedef struct msk_probe {
    unsigned char head[3];  /* the first bytes (a BOM) */
    size_t n_head;
    bool nul, cp1252_high, utf8_bad;
    unsigned char held[4];  /* a UTF-8 sequence cut by the last chunk's end */
    size_t n_held;
} msk_probe;

/* Start probing a text. */
void msk_probe_init(msk_probe *pr);

/* Look at the next len bytes of the text. */
void msk_probe_feed(msk_probe *pr, const void *buf, size_t len);

/* The text's encoding ("UTF-8", "UTF-16LE", "UTF-16BE", "WINDOWS-1252",
 * "ISO-8859-1"; NULL: binary, NUL bytes outside UTF-16) and in *bom the
 * length of its byte-order mark. The BOM decides first, then UTF-8
 * validity, then the bytes 0x80..0x9F; the hint (libmagic's charset, may
 * be NULL) only settles text that reads the same in CP1252 and Latin-1. */
const char *msk_probe_result(const msk_probe *pr, const char *hint, size_t *bom);

/* Decoding of a text to UTF-8 in chunks: a character a chunk's end cuts
 * (a UTF-16 unit or surrogate pair) is held until the next chunk. UTF-8
 * passes as it is (normalising replaces invalid bytes). */
typedef struct msk_decoder {
    int kind;
    size_t skip;            /* BOM bytes still to skip */
    unsigned char held[4];  /* UTF-16 bytes of a character not yet whole */
    size_t n_held;
} msk_decoder;

/* Start decoding a text in enc (a msk_probe_result) whose BOM is bom bytes. */
void msk_decoder_init(msk_decoder *d, const char *enc, size_t bom);

/* Decode the next len bytes, appending UTF-8 to out; last: they end the
 * text (a character left incomplete becomes U+FFFD). */
motesok_status msk_decoder_feed(msk_decoder *d, const void *buf, size_t len, bool last,
                                msk_buf *out);

/* ---- a big text page by page (text.c) ----------------------------------- */

/* Sizes plain text is read and cut with; zero fields take the defaults
 * (MSK_BIG_TEXT_BYTES, MSK_TEXT_PART_BYTES, MSK_TEXT_CHUNK_BYTES). Small
 * ones let the tests and the fuzzer reach the paths of a big text. */
typedef struct msk_text_geometry {
    size_t big;    /* more decoded text than this is cut into pages */
    size_t part;   /* the size of a page */
    size_t chunk;  /* bytes read from the file at a time */
} msk_text_geometry;

#define MSK_TEXT_CHUNK_BYTES ((size_t)256 << 10)

/* motesok_extract_text_buffer with the given geometry (NULL: defaults). */
motesok_status msk_text_from_buffer(const void *buf, size_t len, const char *charset_hint,
                                    const motesok_extract_limits *lim,
                                    const msk_text_geometry *geo, motesok_text **out,
                                    motesok_error *err);

/* msk_extraction_open of plain text from fd (size bytes from offset 0;
 * the caller keeps fd open until the extraction is closed); name is for
 * messages. The pages are those msk_text_from_buffer makes of the same
 * bytes, but a text of more than geo->big decoded bytes is read, decoded
 * and cut a chunk at a time: memory holds a few pages, whatever its size. */
motesok_status msk_text_open_fd(int fd, uint64_t size, const char *name,
                                const char *charset_hint, const motesok_extract_limits *lim,
                                const msk_text_geometry *geo, msk_extraction **out,
                                motesok_error *err);

#endif
