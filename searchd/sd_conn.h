/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: deadlines on connections (sd_conn.c).
 *
 * libmicrohttpd's own timeout counts idle time only, so a client that sends
 * one header byte a second holds its connection for ever. Here every
 * connection is "waiting" from its start, and again from the end of each
 * answer (keep-alive), until a whole request (head and any body) has come
 * in; it is "busy" from then until the answer is sent. A waiting
 * connection is closed when its deadline passes, however much it trickles;
 * and when more than waiting_max connections are waiting, the one that has
 * waited longest is closed, so that sockets held open cannot fill the
 * connection slots and a new client (e.g. /healthz) is always let in.
 *
 * Life cycle: sd_conn_start → MHD_start_daemon(…
 * MHD_OPTION_NOTIFY_CONNECTION, sd_conn_notify, NULL …) → requests, each
 * marked with sd_conn_busy and sd_conn_waiting → MHD_stop_daemon →
 * sd_conn_stop. */
#ifndef SD_CONN_H
#define SD_CONN_H

#include <microhttpd.h>
#include <stdbool.h>

/* The limits, in seconds and connections. */
typedef struct sd_conn_limits {
    unsigned request_s;   /* a new connection sends its first request within this */
    unsigned keepalive_s; /* an answered connection sends its next request within this */
    unsigned waiting_max; /* waiting connections at most; the oldest is closed */
} sd_conn_limits;

/* Start the thread that closes connections past their deadline. False
 * (with errno) if it cannot be started. */
bool sd_conn_start(const sd_conn_limits *limits);

/* Stop that thread; call after MHD_stop_daemon. */
void sd_conn_stop(void);

/* libmicrohttpd connection callback: tracks a connection from start to
 * close in *socket_context. */
void sd_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                    enum MHD_ConnectionNotificationCode code);

/* A whole request has come in on conn: no deadline until it is answered. */
void sd_conn_busy(struct MHD_Connection *conn);

/* conn's answer is sent: it has keepalive_s to send its next request. */
void sd_conn_waiting(struct MHD_Connection *conn);

/* Connections closed because their deadline passed, since start. */
unsigned long long sd_conn_timed_out(void);

/* Connections closed because too many were waiting, since start. */
unsigned long long sd_conn_evicted(void);

#endif
