/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Extraction in a separate process: a library that hangs, crashes or eats
 * memory on one hostile file costs at most its limits, never the indexer.
 * Internal to libmotesok. */
#ifndef MSK_WORKER_H
#define MSK_WORKER_H

#include "internal.h"
#include "detect.h"
#include "extract/extract.h"

#include <sys/types.h>

typedef struct msk_worker msk_worker;

/* Limits a worker process runs under. */
typedef struct msk_worker_limits {
    double timeout_s;      /* wall time per file (0: 120 s) */
    size_t max_memory_mb;  /* address space of the worker (0: 2048 MiB) */
} msk_worker_limits;

/* Start a worker: exe is run as "exe --extract-worker" with pipes for
 * stdin and stdout. The worker dies with the parent. */
motesok_status msk_worker_start(const char *exe, const msk_worker_limits *lim,
                                msk_worker **out, motesok_error *err);

/* Stop the worker (kill and reap it) and free it (NULL is fine); one
 * still sending pages is killed. */
void msk_worker_stop(msk_worker *w);

/* True if the worker died (crash or time-out) and must be replaced. */
bool msk_worker_dead(const msk_worker *w);

/* The worker's process id (0 once it is gone). */
pid_t msk_worker_pid(const msk_worker *w);

/* Detect path in the worker and start extracting it. A problem with the
 * file comes back as its status (ERR_PARSE, ERR_ENCRYPTED, …); a worker
 * that crashes or runs out of time gives ERR_PARSE or ERR_TIMEOUT with the
 * reason, and is then dead. On MOTESOK_OK, *head (the caller's) has
 * n_pages, title, encoding and created but no pages: read every page with
 * msk_worker_next_page before the next open (or stop the worker). ocr
 * (NULL: none) is the OCR the worker may do on PDF pages. */
motesok_status msk_worker_open(msk_worker *w, const char *path,
                               const motesok_extract_limits *lim, const msk_ocr *ocr,
                               motesok_detection *det, motesok_text **head,
                               motesok_error *err);

/* The next page of the text being extracted into *page (the caller's,
 * NUL-terminated, *len bytes) and where it came from into *how (MSK_PAGE_*;
 * how may be NULL), within the time limit from this call. A
 * failure on the way (text over the limit…) is the file's status and ends
 * the text; a crash or time-out is as for msk_worker_open. */
motesok_status msk_worker_next_page(msk_worker *w, char **page, size_t *len, int *how,
                                    motesok_error *err);

/* Decode a worker's whole answer held in buf (len bytes), as
 * msk_worker_open and msk_worker_next_page read it from the pipe: for the
 * fuzzer and the tests. A malformed answer (short, too long, an unknown
 * status or kind) gives ERR_PARSE; one cut short by the worker gives the
 * status it sent. */
motesok_status msk_worker_decode(const void *buf, size_t len, motesok_detection *det,
                                 motesok_text **text, motesok_error *err);

#endif
