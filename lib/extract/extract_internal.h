/* Pieces shared by the text and PDF extractors. */
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
 * half, else at a character boundary (1 for empty text). */
size_t msk_text_pieces(const char *p, size_t len, size_t part);

/* Limits with defaults filled in (PDF or text input size). */
motesok_extract_limits msk_limits(const motesok_extract_limits *lim, bool pdf);

/* True if s (UTF-8) holds only white space. */
bool msk_blank(const char *s);

/* A size for messages, "812 bytes", "32 MiB" or "33.5 MiB", written to out. */
const char *msk_size_text(char out[32], uint64_t bytes);

#endif
