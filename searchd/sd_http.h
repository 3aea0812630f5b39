/* motesokd: the HTTP request pipeline. */
#ifndef SD_HTTP_H
#define SD_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>

/* What every request handler needs; one instance for the daemon. */
typedef struct sd_server {
    const char *index_dir;
    bool access_log;
} sd_server;

/* Set up per-thread state; call once before starting the daemon. */
void sd_http_init(sd_server *srv);

/* libmicrohttpd access handler (cls is the sd_server). */
enum MHD_Result sd_http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **con_cls);

/* libmicrohttpd completion callback: frees per-request state. */
void sd_http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                       enum MHD_RequestTerminationCode toe);

#endif
