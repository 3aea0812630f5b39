/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — text extraction: PDF page by page (poppler-glib) and plain text
 * in UTF-8 (with or without BOM), UTF-16 (with BOM), Windows-1252 and
 * ISO-8859-1. Output is always valid UTF-8 in NFC, without NUL bytes, form
 * feeds or other control characters except newline and tab; CR LF becomes LF.
 *
 * Extraction functions are thread-safe and keep no state between calls.
 */
#ifndef MOTESOK_EXTRACT_H
#define MOTESOK_EXTRACT_H

#include "motesok/common.h"
#include "internal.h" /* MSK_INTERNAL */
#include "motesok/index.h" /* motesok_extract_limits */
#include "detect.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Plain text of more than MSK_BIG_TEXT_BYTES is cut into pages of about
 * MSK_TEXT_PART_BYTES (at a paragraph, line or word end), and the
 * indexer writes a file of more text than that page by page, so that its
 * memory holds a few parts at a time, not the whole file analysed. */
#define MSK_BIG_TEXT_BYTES ((size_t)4 << 20)
#define MSK_TEXT_PART_BYTES ((size_t)256 << 10)

/* Extracted text of one file. Owned by the caller; motesok_text_free. */
typedef struct motesok_text {
    size_t n_pages;     /* 1 for plain text; PDF pages (pages may be "") */
    char **pages;       /* n_pages UTF-8 strings */
    size_t *page_lens;  /* byte length of each page */
    size_t total_len;   /* sum of page_lens */
    char *title;        /* PDF metadata title, NULL if none/blank */
    char *encoding;     /* source encoding: "UTF-8", "UTF-16LE", "WINDOWS-1252", "ISO-8859-1", "PDF" */
    int64_t created;    /* PDF creation date (Unix seconds), or -1 */
    unsigned char *page_how; /* per page an MSK_PAGE_* (NULL: all MSK_PAGE_TEXT) */
    double ocr_seconds; /* wall seconds the pages read by OCR took (rendering
                           and recognition), 0 when none was */
} motesok_text;

/* Where a page's text came from. */
enum {
    MSK_PAGE_TEXT = 0,       /* the file's text (layer) */
    MSK_PAGE_OCR = 1,        /* OCR of the rendered page, done now */
    MSK_PAGE_OCR_CACHED = 2, /* the page needs OCR and the caller holds its
                                OCR text (msk_ocr.cached): the page is "" */
};

/* The OCR an extraction may do on PDF pages without a usable text layer. */
typedef struct msk_ocr {
    motesok_ocr_mode mode;   /* AUTO: pages without usable text; ALWAYS; NEVER */
    unsigned dpi;            /* rendering resolution, 0: MOTESOK_OCR_DEFAULT_DPI */
    const char *languages;   /* Tesseract's, NULL: MOTESOK_OCR_DEFAULT_LANGUAGES */
    const uint32_t *cached;  /* pages (from 0, ascending) whose OCR text the
                                caller has: not read again, MSK_PAGE_OCR_CACHED */
    size_t n_cached;
    void (*page_done)(void *ud, double seconds); /* called after each page read
                                    by OCR, with the seconds its rendering and
                                    recognition took (may be NULL): a worker
                                    tells its client it lives, and the time */
    void *page_done_ud;
} msk_ocr;

/* Decode plain text of len bytes. charset_hint (may be NULL) is libmagic's
 * guess; the BOM and UTF-8 validity are checked first. Binary data (NUL
 * bytes outside UTF-16) gives ERR_UNSUPPORTED; undecodable data
 * ERR_ENCODING; over a limit ERR_TOO_BIG. */
MSK_INTERNAL motesok_status motesok_extract_text_buffer(const void *buf, size_t len,
                                                        const char *charset_hint,
                                                        const motesok_extract_limits *lim,
                                                        motesok_text **out,
                                                        motesok_error *err);

/* Extract a PDF from memory, one string per page. Password-protected
 * PDFs give ERR_ENCRYPTED, damaged ones ERR_PARSE, PDFs whose pages hold
 * no text at all ERR_NO_TEXT. poppler's own log messages (GLib domain
 * "Poppler") are kept off stderr for the whole process. */
MSK_INTERNAL motesok_status motesok_extract_pdf_buffer(const void *buf, size_t len,
                                                       const motesok_extract_limits *lim,
                                                       motesok_text **out,
                                                       motesok_error *err);

/* motesok_extract_pdf_buffer with OCR as ocr says (NULL: none): pages
 * without usable text are rendered and read by Tesseract, and marked in
 * page_how. Missing language data gives ERR_UNSUPPORTED with its name. */
MSK_INTERNAL motesok_status msk_extract_pdf_ocr(const void *buf, size_t len,
                                                const motesok_extract_limits *lim,
                                                const msk_ocr *ocr, motesok_text **out,
                                                motesok_error *err);

/* Read a file and extract it according to det (from motesok_detect_*),
 * all its pages at once. Unsupported kinds give ERR_UNSUPPORTED, empty
 * files ERR_NO_TEXT. */
MSK_INTERNAL motesok_status motesok_extract_file(const char *path,
                                                 const motesok_detection *det,
                                                 const motesok_extract_limits *lim,
                                                 motesok_text **out,
                                                 motesok_error *err);

/* An extraction handing out a file's text page by page, so that a big
 * text need never be whole in memory: open → head → next (each page in
 * order) → close. A PDF, or plain text that decodes to no more than
 * MSK_BIG_TEXT_BYTES, is extracted whole at open; bigger plain text is
 * read, decoded, cut and normalised a page at a time. */
typedef struct msk_extraction msk_extraction;

/* Start extracting path as det says (what motesok_extract_file checks and
 * refuses, open refuses). *out is the caller's (msk_extraction_close). */
MSK_INTERNAL motesok_status msk_extraction_open(const char *path, const motesok_detection *det,
                                                const motesok_extract_limits *lim,
                                                msk_extraction **out, motesok_error *err);

/* msk_extraction_open with OCR of PDF pages as ocr says (NULL: none). */
MSK_INTERNAL motesok_status msk_extraction_open_ocr(const char *path,
                                                    const motesok_detection *det,
                                                    const motesok_extract_limits *lim,
                                                    const msk_ocr *ocr, msk_extraction **out,
                                                    motesok_error *err);

/* Where the page msk_extraction_next handed out last came from (MSK_PAGE_*). */
MSK_INTERNAL int msk_extraction_last_how(const msk_extraction *x);

/* What is known before the pages: n_pages, title, encoding, created (the
 * pages themselves are handed out by msk_extraction_next). Borrowed until
 * the extraction is closed. */
MSK_INTERNAL const motesok_text *msk_extraction_head(const msk_extraction *x);

/* The next page into *page (the caller's, NUL-terminated, *len bytes). A
 * failure found on the way (text over the limit, a file that changed
 * while read, every page blank: found at the last) ends the extraction. */
MSK_INTERNAL motesok_status msk_extraction_next(msk_extraction *x, char **page, size_t *len,
                                                motesok_error *err);

/* Every page, before any was handed out, as one text (*out the caller's). */
MSK_INTERNAL motesok_status msk_extraction_all(msk_extraction *x, motesok_text **out,
                                               motesok_error *err);

/* End an extraction (NULL is fine). */
MSK_INTERNAL void msk_extraction_close(msk_extraction *x);

/* Release extracted text (NULL is fine). */
MSK_INTERNAL void motesok_text_free(motesok_text *t);

/* Normalise UTF-8 text for indexing: NFC, soft hyphens, U+FEFF and control
 * characters removed (newline and tab kept), CR LF, CR and form feed → LF,
 * ligatures ﬁ ﬂ … spelled out, invalid bytes replaced by U+FFFD.
 * *out is the caller's, NUL-terminated, *out_len (may be NULL) its length. */
MSK_INTERNAL motesok_status motesok_normalize_text(const char *in, size_t len,
                                                   char **out, size_t *out_len,
                                                   motesok_error *err);

#ifdef __cplusplus
}
#endif
#endif
