/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the HTTP request pipeline (sd_http.c).
 *
 * Life cycle: sd_http_init → MHD_start_daemon(… sd_http_handle, srv,
 * MHD_OPTION_NOTIFY_COMPLETED, sd_http_completed, srv …) → requests →
 * MHD_quiesce_daemon → wait until sd_http_in_flight() is 0 →
 * MHD_stop_daemon → sd_http_cleanup. */
#ifndef SD_HTTP_H
#define SD_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>

/* What every request handler needs; one instance for the daemon, which
 * must outlive it. */
typedef struct sd_server {
    const char *index_dir;
    bool access_log;    /* one line per request on stderr */
    bool loopback_only; /* answer only requests whose Host names this machine
                           (against DNS rebinding from a browser) */
    const char *const *hosts; /* Host names (lower case, no port) also answered;
                                 when any, a remote daemon answers only them */
    size_t n_hosts;
    const char *token; /* when set, /api/ and /metrics need "Authorization:
                          Bearer <token>" (the page's empty form and /healthz
                          do not); the pages take it as a cookie too */
    bool show_paths;   /* the pages show each file's path on the server */
} sd_server;

/* Set up the per-thread searchers; call once before starting the daemon.
 * False (with errno) if the thread-local key cannot be made. */
bool sd_http_init(sd_server *srv);

/* Release what sd_http_init made; call after MHD_stop_daemon. */
void sd_http_cleanup(void);

/* Requests received and not yet completed. */
unsigned long sd_http_in_flight(void);

/* libmicrohttpd unescape callback: percent-decoding of the path and the
 * parameters, but "%00" is left as written, so that an escaped NUL cannot
 * cut a path or a parameter short (/documents/ID%00/text would read as
 * /documents/ID). Returns the new length. */
size_t sd_http_unescape(void *cls, struct MHD_Connection *conn, char *s);

/* libmicrohttpd access handler (cls is the sd_server). */
enum MHD_Result sd_http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **con_cls);

/* libmicrohttpd completion callback: counts, logs and frees a request. */
void sd_http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                       enum MHD_RequestTerminationCode toe);

#endif
