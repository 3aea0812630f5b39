/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: deadlines on connections. Each connection has an entry (its
 * libmicrohttpd socket context); waiting entries are on one list, oldest
 * first. A connection is closed by shutting its socket down, under the
 * lock, while its entry exists: libmicrohttpd then reads the end of the
 * stream and closes it itself, and frees the entry only after that
 * (MHD_CONNECTION_NOTIFY_CLOSED comes before the socket is closed), so a
 * descriptor number is never shut down after it has been reused. */
#include "sd_conn.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define TICK_MS 100

typedef struct entry {
    struct entry *prev, *next; /* on the waiting list while waiting */
    MHD_socket fd;
    bool waiting;
    bool closing; /* shut down: never waiting again */
    struct timespec deadline;
} entry;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stopping;
    sd_conn_limits limits;
    entry *head, *tail; /* waiting, oldest first */
    unsigned n_waiting;
    unsigned long long timed_out, evicted;
} conns = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Now plus secs on the monotonic clock. */
static struct timespec after(unsigned secs)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)secs;
    return ts;
}

/* True if a is not later than b. */
static bool not_after(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* Put e at the end of the waiting list with a deadline secs from now;
 * called with the lock held. */
static void wait_from_now(entry *e, unsigned secs)
{
    if (e->waiting || e->closing)
        return;
    e->deadline = after(secs);
    e->prev = conns.tail;
    e->next = NULL;
    if (conns.tail != NULL)
        conns.tail->next = e;
    else
        conns.head = e;
    conns.tail = e;
    e->waiting = true;
    conns.n_waiting++;
}

/* Take e off the waiting list if it is on it; called with the lock held. */
static void stop_waiting(entry *e)
{
    if (!e->waiting)
        return;
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        conns.head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    else
        conns.tail = e->prev;
    e->prev = e->next = NULL;
    e->waiting = false;
    conns.n_waiting--;
}

/* Shut e's socket down, counting it in *counter; called with the lock held. */
static void close_entry(entry *e, unsigned long long *counter)
{
    stop_waiting(e);
    e->closing = true;
    shutdown(e->fd, SHUT_RDWR);
    (*counter)++;
}

/* The watchdog: every tick, close the waiting connections whose deadline
 * has passed. */
static void *watchdog(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&conns.lock);
    while (!conns.stopping) {
        struct timespec now = after(0);
        for (entry *e = conns.head, *next; e != NULL; e = next) {
            next = e->next;
            if (not_after(&e->deadline, &now))
                close_entry(e, &conns.timed_out);
        }
        struct timespec until = now;
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&conns.wake, &conns.lock, &until);
    }
    pthread_mutex_unlock(&conns.lock);
    return NULL;
}

bool sd_conn_start(const sd_conn_limits *limits)
{
    conns.limits = *limits;
    conns.stopping = false;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&conns.wake, &attr);
    pthread_condattr_destroy(&attr);
    if (rc == 0)
        rc = pthread_create(&conns.thread, NULL, watchdog, NULL);
    if (rc != 0) {
        errno = rc;
        return false;
    }
    conns.running = true;
    return true;
}

void sd_conn_stop(void)
{
    if (!conns.running)
        return;
    pthread_mutex_lock(&conns.lock);
    conns.stopping = true;
    pthread_cond_signal(&conns.wake);
    pthread_mutex_unlock(&conns.lock);
    pthread_join(conns.thread, NULL);
    pthread_cond_destroy(&conns.wake);
    conns.running = false;
}

/* A new connection: track it as waiting, and close the longest waiting
 * ones while there are too many. */
static void conn_started(struct MHD_Connection *conn, void **socket_context)
{
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(
        conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    entry *e = fd != NULL ? calloc(1, sizeof *e) : NULL;
    *socket_context = e;
    if (e == NULL)
        return; /* untracked: libmicrohttpd's idle timeout still holds */
    e->fd = fd->connect_fd;
    pthread_mutex_lock(&conns.lock);
    wait_from_now(e, conns.limits.request_s);
    while (conns.n_waiting > conns.limits.waiting_max && conns.head != e)
        close_entry(conns.head, &conns.evicted);
    pthread_mutex_unlock(&conns.lock);
}

void sd_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                    enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_started(conn, socket_context);
        return;
    }
    entry *e = *socket_context;
    if (e == NULL)
        return;
    pthread_mutex_lock(&conns.lock);
    stop_waiting(e);
    pthread_mutex_unlock(&conns.lock);
    free(e);
    *socket_context = NULL;
}

/* conn's entry, or NULL when it is not tracked. */
static entry *entry_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(
        conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

void sd_conn_busy(struct MHD_Connection *conn)
{
    entry *e = entry_of(conn);
    if (e == NULL)
        return;
    pthread_mutex_lock(&conns.lock);
    stop_waiting(e);
    pthread_mutex_unlock(&conns.lock);
}

void sd_conn_waiting(struct MHD_Connection *conn)
{
    entry *e = entry_of(conn);
    if (e == NULL)
        return;
    pthread_mutex_lock(&conns.lock);
    wait_from_now(e, conns.limits.keepalive_s);
    pthread_mutex_unlock(&conns.lock);
}

unsigned long long sd_conn_timed_out(void)
{
    pthread_mutex_lock(&conns.lock);
    unsigned long long n = conns.timed_out;
    pthread_mutex_unlock(&conns.lock);
    return n;
}

unsigned long long sd_conn_evicted(void)
{
    pthread_mutex_lock(&conns.lock);
    unsigned long long n = conns.evicted;
    pthread_mutex_unlock(&conns.lock);
    return n;
}
