/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — twins: two files that hold one meeting's text (the minutes as
 * TXT and as a PDF made from it). Internal to libmotesok.
 *
 * A file's sketch is the bottom-k of the 64-bit hashes of its word
 * 4-shingles: words case-folded (utf8proc), letters and digits only, line
 * breaks ignored, and page headers and footers left out (a line that opens
 * or closes at least half of the pages, digits aside). Two files are twins
 * when they are candidates (same meeting date, same organ where both are
 * known) and their sketches say the same text: estimated Jaccard at least
 * MSK_TWIN_JACCARD and containment of the smaller in the larger at least
 * MSK_TWIN_CONTAINMENT.
 */
#ifndef MSK_TWINS_H
#define MSK_TWINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSK_TWIN_K 256           /* hashes kept in a sketch */
#define MSK_TWIN_MIN_SHINGLES 20 /* fewer: too short to judge, never a twin */
#define MSK_TWIN_JACCARD 0.80
#define MSK_TWIN_CONTAINMENT 0.90

/* A sketch: the n (at most MSK_TWIN_K) smallest distinct shingle hashes in
 * ascending order, out of shingles distinct shingles in all. */
typedef struct msk_twin_sketch {
    uint64_t shingles;
    size_t n;
    uint64_t h[MSK_TWIN_K];
} msk_twin_sketch;

/* Sketch the UTF-8 text (len bytes, pages split by '\f') into *out; false
 * on invalid UTF-8 or out of memory (*out is then empty). */
bool msk_twin_sketch_text(const char *text, size_t len, msk_twin_sketch *out);

/* Estimated Jaccard similarity of the shingle sets of a and b (0..1), and
 * in *containment (may be NULL) the share of the smaller set in the larger. */
double msk_twin_similarity(const msk_twin_sketch *a, const msk_twin_sketch *b,
                           double *containment);

/* True if a and b hold the same text by the thresholds above. */
bool msk_twin_same_text(const msk_twin_sketch *a, const msk_twin_sketch *b);

#endif
