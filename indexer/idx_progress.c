/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-index: progress line (files done/total, MB/s) and summary. */
#include "idx_progress.h"

#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

double idx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void idx_progress_init(idx_progress *p, FILE *out, bool enabled)
{
    p->out = out;
    p->live = enabled && isatty(fileno(out));
    p->start = idx_now();
    p->last_draw = 0;
    p->width = 80;
    struct winsize ws;
    if (p->live && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        p->width = ws.ws_col;
}

double idx_ocr_per_page(const idx_counts *c)
{
    return c->ocr_pages > 0 ? c->ocr_seconds / (double)c->ocr_pages : 0.0;
}

/* Megabytes per second since start. */
static double rate_mb(const idx_progress *p, const idx_counts *c)
{
    double secs = idx_now() - p->start;
    return secs > 0 ? (double)c->bytes / 1e6 / secs : 0.0;
}

void idx_progress_update(idx_progress *p, const idx_counts *c, bool force)
{
    if (!p->live)
        return;
    double now = idx_now();
    if (!force && now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    char line[256];
    int n = snprintf(line, sizeof line, "%zu/%zu files  %.1f MB/s  (%zu new/changed, %zu failed)",
                     c->done, c->total, rate_mb(p, c), c->indexed, c->failed + c->unsupported);
    if (c->ocr_pages > 0 && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, "  OCR %zu pages (%.1f s a page), %zu cached",
                      c->ocr_pages, idx_ocr_per_page(c), c->ocr_cached);
    else if (c->ocr_cached > 0 && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, "  OCR 0 pages, %zu cached", c->ocr_cached);
    if (n > p->width - 1)
        line[p->width - 1] = '\0';
    fprintf(p->out, "\r\033[K%s", line);
    fflush(p->out);
}

void idx_progress_clear(idx_progress *p)
{
    if (!p->live)
        return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
}

void idx_progress_summary(idx_progress *p, const idx_counts *c)
{
    idx_progress_clear(p);
    double secs = idx_now() - p->start;
    fprintf(p->out,
            "motesok-index: %zu indexed, %zu unchanged, %zu failed, %zu unsupported, "
            "%zu removed; %zu files, %.1f MB indexed in %.2f s (%.1f MB/s)\n",
            c->indexed, c->unchanged, c->failed, c->unsupported, c->removed,
            c->total, (double)c->bytes / 1e6, secs, rate_mb(p, c));
    if (c->ocr_pages > 0)
        fprintf(p->out, "motesok-index: OCR: %zu pages read, %zu from the OCR cache; "
                        "%.1f s of OCR, %.2f s a page\n",
                c->ocr_pages, c->ocr_cached, c->ocr_seconds, idx_ocr_per_page(c));
    else if (c->ocr_cached > 0)
        fprintf(p->out, "motesok-index: OCR: 0 pages read, %zu from the OCR cache\n",
                c->ocr_cached);
}
