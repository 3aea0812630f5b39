/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-index: the progress line on a terminal and the final summary. */
#ifndef IDX_PROGRESS_H
#define IDX_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Counters of one run. */
typedef struct idx_counts {
    size_t indexed, unchanged, failed, unsupported, removed;
    size_t done, total;
    int64_t bytes; /* bytes of files read (indexed or failed) */
    size_t ocr_pages;  /* PDF pages read by OCR */
    size_t ocr_cached; /* PDF pages needing OCR whose text the OCR cache had */
    double ocr_seconds; /* the time the ocr_pages took, summed over the workers */
} idx_counts;

typedef struct idx_progress {
    FILE *out;
    bool live;          /* draw a progress line (out is a terminal) */
    double start;       /* monotonic seconds */
    double last_draw;
    int width;          /* terminal columns */
} idx_progress;

/* Seconds of OCR a page read by OCR took on average (0 with none). */
double idx_ocr_per_page(const idx_counts *c);

/* Monotonic clock in seconds. */
double idx_now(void);

/* Start reporting to out; live drawing only when enabled and out is a tty. */
void idx_progress_init(idx_progress *p, FILE *out, bool enabled);

/* Redraw the progress line if at least 100 ms passed (or force). */
void idx_progress_update(idx_progress *p, const idx_counts *c, bool force);

/* Clear the live line so that other output can be printed. */
void idx_progress_clear(idx_progress *p);

/* Print the one-line summary of a run. */
void idx_progress_summary(idx_progress *p, const idx_counts *c);

#endif
