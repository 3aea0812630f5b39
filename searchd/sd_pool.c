/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the search workers — two bounded FIFO lanes, one mutex, one
 * condition variable; see sd_pool.h for the policy. */
#include "sd_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64

typedef struct lane {
    sd_job *head, *tail;
    unsigned len;
} lane;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    lane light, heavy;
    unsigned queue_max;
    unsigned heavy_max;     /* heavy jobs allowed to run at once */
    unsigned heavy_running;
    bool stopping;
    unsigned long long rejected;
    pthread_t threads[MAX_WORKERS];
    unsigned n_threads;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Append job to l. */
static void lane_push(lane *l, sd_job *job)
{
    job->next = NULL;
    if (l->tail != NULL)
        l->tail->next = job;
    else
        l->head = job;
    l->tail = job;
    l->len++;
}

/* Take the first job of l, or NULL when it is empty. */
static sd_job *lane_pop(lane *l)
{
    sd_job *job = l->head;
    if (job == NULL)
        return NULL;
    l->head = job->next;
    if (l->head == NULL)
        l->tail = NULL;
    l->len--;
    return job;
}

/* The next job this worker may run (light first; heavy while fewer than
 * heavy_max run), or NULL; called with the lock held. */
static sd_job *next_job(void)
{
    sd_job *job = lane_pop(&pool.light);
    if (job == NULL && pool.heavy_running < pool.heavy_max) {
        job = lane_pop(&pool.heavy);
        if (job != NULL)
            pool.heavy_running++;
    }
    return job;
}

/* Test hook: while the file that $MOTESOK_TEST_HOLD_HEAVY names exists, a
 * heavy job waits before it runs (at most 120 s), so that a test can fill
 * the queues whatever a search costs; the file's name with ".held" added
 * is made when a job begins to wait, so that the test knows a worker holds
 * one. Unset in normal use: nothing waits. */
static void test_hold(void)
{
    const char *path = getenv("MOTESOK_TEST_HOLD_HEAVY");
    if (path != NULL && *path != '\0' && access(path, F_OK) == 0) {
        char held[4096];
        snprintf(held, sizeof held, "%s.held", path);
        int fd = open(held, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    for (int i = 0; path != NULL && *path != '\0' && i < 12000 && access(path, F_OK) == 0; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
}

/* A worker: run jobs until the pool stops and no job is left for it. */
static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        sd_job *job = next_job();
        if (job == NULL) {
            if (pool.stopping)
                break;
            pthread_cond_wait(&pool.wake, &pool.lock);
            continue;
        }
        bool heavy = job->heavy;
        pthread_mutex_unlock(&pool.lock);
        if (heavy)
            test_hold();
        job->run(job);
        pthread_mutex_lock(&pool.lock);
        if (heavy) {
            pool.heavy_running--;
            pthread_cond_broadcast(&pool.wake); /* a heavy job may start now */
        }
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

bool sd_pool_start(unsigned workers, unsigned queue_max)
{
    if (workers < 1)
        workers = 1;
    if (workers > MAX_WORKERS)
        workers = MAX_WORKERS;
    pool.queue_max = queue_max;
    pool.heavy_max = workers > 1 ? workers - 1 : 1;
    pool.stopping = false;
    for (unsigned i = 0; i < workers; i++) {
        int rc = pthread_create(&pool.threads[i], NULL, worker, NULL);
        if (rc != 0) {
            sd_pool_stop();
            errno = rc;
            return false;
        }
        pool.n_threads++;
    }
    return true;
}

bool sd_pool_submit(sd_job *job)
{
    pthread_mutex_lock(&pool.lock);
    lane *l = job->heavy ? &pool.heavy : &pool.light;
    bool ok = !pool.stopping && l->len < pool.queue_max;
    if (ok) {
        lane_push(l, job);
        pthread_cond_broadcast(&pool.wake);
    } else {
        pool.rejected++;
    }
    pthread_mutex_unlock(&pool.lock);
    return ok;
}

void sd_pool_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    lane waiting[2] = {pool.light, pool.heavy};
    pool.light = pool.heavy = (lane){0};
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < 2; i++)
        for (sd_job *job = lane_pop(&waiting[i]); job != NULL; job = lane_pop(&waiting[i]))
            job->cancel(job);
    for (unsigned i = 0; i < pool.n_threads; i++)
        pthread_join(pool.threads[i], NULL);
    pool.n_threads = 0;
}

unsigned sd_pool_queued(void)
{
    pthread_mutex_lock(&pool.lock);
    unsigned n = pool.light.len + pool.heavy.len;
    pthread_mutex_unlock(&pool.lock);
    return n;
}

unsigned long long sd_pool_rejected(void)
{
    pthread_mutex_lock(&pool.lock);
    unsigned long long n = pool.rejected;
    pthread_mutex_unlock(&pool.lock);
    return n;
}
