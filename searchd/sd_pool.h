/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the search workers (sd_pool.c).
 *
 * Searches and index reads run here, never in libmicrohttpd's threads, so
 * that those only move bytes and answer /healthz and /metrics at once.
 * Jobs wait in two bounded lanes: light (most requests) and heavy (searches
 * that may take long). Workers take light jobs first, and at most
 * workers - 1 of them (at least 1) run heavy jobs at a time, so a light
 * job never waits behind heavy ones while there are 2 workers or more.
 *
 * Life cycle: sd_pool_start → sd_pool_submit … → sd_pool_stop. */
#ifndef SD_POOL_H
#define SD_POOL_H

#include <stdbool.h>

/* A unit of work, embedded in the caller's own struct; the pool owns it
 * from sd_pool_submit until it calls run or cancel, exactly one of them,
 * once, in a worker (run) or in sd_pool_stop's caller (cancel). */
typedef struct sd_job {
    struct sd_job *next;
    bool heavy;
    void (*run)(struct sd_job *job);
    void (*cancel)(struct sd_job *job);
} sd_job;

/* Start workers threads, each lane holding at most queue_max waiting jobs.
 * False (with errno) if a thread cannot be started; nothing runs then. */
bool sd_pool_start(unsigned workers, unsigned queue_max);

/* Queue job in its lane. False, leaving the job the caller's, when that
 * lane is full or the pool is stopping. */
bool sd_pool_submit(sd_job *job);

/* Refuse new jobs, cancel those still waiting, let running ones finish and
 * join the workers. */
void sd_pool_stop(void);

/* Jobs waiting in the light and heavy lanes together. */
unsigned sd_pool_queued(void);

/* Jobs refused because their lane was full, since start. */
unsigned long long sd_pool_rejected(void);

#endif
