/* Extraction in a separate process: a library that hangs, crashes or eats
 * memory on one hostile file costs at most its limits, never the indexer.
 * Internal to libmotesok. */
#ifndef MSK_WORKER_H
#define MSK_WORKER_H

#include "internal.h"
#include "detect.h"
#include "extract/extract.h"

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

/* Stop the worker (kill and reap it) and free it (NULL is fine). */
void msk_worker_stop(msk_worker *w);

/* True if the worker died (crash or time-out) and must be replaced. */
bool msk_worker_dead(const msk_worker *w);

/* Detect and extract path in the worker. A problem with the file comes back
 * as its status (ERR_PARSE, ERR_ENCRYPTED, …); a worker that crashes or
 * runs out of time gives ERR_PARSE or ERR_TIMEOUT with the reason, and is
 * then dead. *text is the caller's on MOTESOK_OK. */
motesok_status msk_worker_extract(msk_worker *w, const char *path,
                                  const motesok_extract_limits *lim,
                                  motesok_detection *det, motesok_text **text,
                                  motesok_error *err);

/* Decode a worker's answer held in buf (len bytes), as msk_worker_extract
 * reads it from the pipe: for the fuzzer and the tests. A malformed answer
 * (short, too long, an unknown status or kind) gives ERR_PARSE. */
motesok_status msk_worker_decode(const void *buf, size_t len, motesok_detection *det,
                                 motesok_text **text, motesok_error *err);

#endif
