/* motesokd: the request pipeline — route, check, run, answer, count.
 * Each pool thread owns one motesok_searcher (its own Xapian and SQLite
 * read handles), opened on its first request. */
#include "sd_http.h"
#include "sd_ui.h"

#include <motesok/motesok.h>

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- metrics -------------------------------------------------------------- */

enum route { R_SEARCH, R_DOCUMENT, R_TEXT, R_STATUS, R_HEALTH, R_METRICS, R_UI, R_OTHER, R_COUNT };
static const char *const route_names[R_COUNT] = {
    "search", "document", "text", "status", "healthz", "metrics", "ui", "other"};

enum { CODES = 6 };
static const unsigned code_values[CODES] = {200, 400, 404, 405, 500, 503};

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
enum { N_BUCKETS = sizeof buckets / sizeof *buckets };

static struct {
    atomic_ullong requests[R_COUNT][CODES];
    atomic_ullong duration_us_sum;
    atomic_ullong duration_count;
    atomic_ullong bucket[N_BUCKETS];
} metrics;

/* Index of an HTTP status in code_values (500 for anything else). */
static int code_index(unsigned code)
{
    for (int i = 0; i < CODES; i++)
        if (code_values[i] == code)
            return i;
    return 4;
}

/* Count one finished request. */
static void count_request(enum route r, unsigned code, double secs)
{
    atomic_fetch_add(&metrics.requests[r][code_index(code)], 1);
    atomic_fetch_add(&metrics.duration_us_sum, (unsigned long long)(secs * 1e6));
    atomic_fetch_add(&metrics.duration_count, 1);
    for (int i = 0; i < N_BUCKETS; i++)
        if (secs <= buckets[i])
            atomic_fetch_add(&metrics.bucket[i], 1);
}

/* ---- per-request state ---------------------------------------------------- */

typedef struct request {
    struct timespec start;
    enum route route;
    unsigned code;
    char method[8];
    char path[128];
} request;

static pthread_key_t searcher_key;
static sd_server *server;

/* Thread-exit destructor of a pool thread's searcher. */
static void searcher_destroy(void *p)
{
    motesok_searcher_close(p);
}

void sd_http_init(sd_server *srv)
{
    server = srv;
    pthread_key_create(&searcher_key, searcher_destroy);
}

/* This thread's searcher, opened now if needed. */
static motesok_status thread_searcher(motesok_searcher **out, motesok_error *err)
{
    *out = pthread_getspecific(searcher_key);
    if (*out != NULL)
        return MOTESOK_OK;
    motesok_status st = motesok_searcher_open(server->index_dir, out, err);
    if (st == MOTESOK_OK)
        pthread_setspecific(searcher_key, *out);
    return st;
}

/* Seconds since ts. */
static double since(const struct timespec *ts)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - ts->tv_sec) + (double)(now.tv_nsec - ts->tv_nsec) / 1e9;
}

/* ---- responses ------------------------------------------------------------ */

/* Queue body (copied) with a status and content type. */
static enum MHD_Result answer(struct MHD_Connection *conn, request *rq, unsigned code,
                              const char *type, const char *body, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body,
                                                                MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (code == 405)
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
    rq->code = code;
    enum MHD_Result r = MHD_queue_response(conn, code, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Queue a JSON body. */
static enum MHD_Result answer_json(struct MHD_Connection *conn, request *rq, unsigned code,
                                   const char *json)
{
    return answer(conn, rq, code, "application/json; charset=utf-8", json, strlen(json));
}

/* Queue the contract's error object. */
static enum MHD_Result answer_error(struct MHD_Connection *conn, request *rq, unsigned code,
                                    const char *ecode, const char *message)
{
    json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", ecode, "message", message);
    char *body = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    enum MHD_Result r = body ? answer_json(conn, rq, code, body)
                             : answer_json(conn, rq, 500, "{\"error\":{\"code\":\"internal\","
                                                          "\"message\":\"out of memory\"}}");
    free(body);
    return r;
}

/* Answer a library status as an HTTP error. */
static enum MHD_Result answer_status(struct MHD_Connection *conn, request *rq,
                                     motesok_status st, const motesok_error *err)
{
    const char *msg = err->message[0] ? err->message : motesok_strerror(st);
    switch (st) {
    case MOTESOK_ERR_INVALID:
    case MOTESOK_ERR_QUERY: return answer_error(conn, rq, 400, "bad_request", msg);
    case MOTESOK_ERR_NOT_FOUND: return answer_error(conn, rq, 404, "not_found", msg);
    case MOTESOK_ERR_TIMEOUT: return answer_error(conn, rq, 503, "timeout", msg);
    case MOTESOK_ERR_DB:
    case MOTESOK_ERR_DB_MODIFIED:
    case MOTESOK_ERR_DB_LOCKED:
    case MOTESOK_ERR_DB_CORRUPT:
    case MOTESOK_ERR_DB_VERSION:
    case MOTESOK_ERR_IO: return answer_error(conn, rq, 503, "index_unavailable", msg);
    default: return answer_error(conn, rq, 500, "internal", msg);
    }
}

/* Answer with a library call's JSON, or its error. */
static enum MHD_Result answer_result(struct MHD_Connection *conn, request *rq, motesok_status st,
                                     char *json, const motesok_error *err)
{
    enum MHD_Result r = st == MOTESOK_OK ? answer_json(conn, rq, 200, json)
                                         : answer_status(conn, rq, st, err);
    motesok_free(json);
    return r;
}

/* ---- parameters ----------------------------------------------------------- */

/* A GET argument, or NULL. */
static const char *arg(struct MHD_Connection *conn, const char *key)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

/* Parse an optional unsigned argument in [0, max]; false with a message if bad. */
static bool arg_uint(struct MHD_Connection *conn, const char *key, unsigned max,
                     unsigned *out, char *msg, size_t msglen)
{
    const char *v = arg(conn, key);
    if (v == NULL || *v == '\0')
        return true;
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno != 0 || *end != '\0' || v[0] == '-' || v[0] == '+' || n > max) {
        snprintf(msg, msglen, "%s: expected a whole number from 0 to %u, got '%.40s'", key, max, v);
        return false;
    }
    *out = (unsigned)n;
    return true;
}

/* Parse decisions=1|0|true|false|yes|no; false with a message if bad. */
static bool arg_bool(struct MHD_Connection *conn, const char *key, bool *out, char *msg,
                     size_t msglen)
{
    const char *v = arg(conn, key);
    if (v == NULL || *v == '\0')
        return true;
    if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) {
        *out = false;
        return true;
    }
    snprintf(msg, msglen, "%s: expected 1 or 0, got '%.40s'", key, v);
    return false;
}

/* Read the search request from the query string; false with a message. */
static bool search_params(struct MHD_Connection *conn, motesok_search_request *req, char *msg,
                          size_t msglen)
{
    memset(req, 0, sizeof *req);
    req->query = arg(conn, "q");
    if (req->query == NULL) {
        snprintf(msg, msglen, "missing parameter q (the query)");
        return false;
    }
    if (!arg_uint(conn, "limit", MOTESOK_MAX_LIMIT, &req->limit, msg, msglen) ||
        !arg_uint(conn, "offset", MOTESOK_MAX_OFFSET, &req->offset, msg, msglen) ||
        !arg_bool(conn, "decisions", &req->decisions, msg, msglen))
        return false;
    const char *limit = arg(conn, "limit");
    if (limit != NULL && *limit != '\0' && req->limit == 0) {
        snprintf(msg, msglen, "limit: must be at least 1");
        return false;
    }
    req->from = arg(conn, "from");
    req->to = arg(conn, "to");
    if (req->from != NULL && *req->from == '\0')
        req->from = NULL;
    if (req->to != NULL && *req->to == '\0')
        req->to = NULL;
    req->organ = arg(conn, "organ");
    const char *sort = arg(conn, "sort");
    if (sort == NULL || *sort == '\0' || strcmp(sort, "relevance") == 0)
        req->sort = MOTESOK_SORT_RELEVANCE;
    else if (strcmp(sort, "date") == 0)
        req->sort = MOTESOK_SORT_DATE;
    else {
        snprintf(msg, msglen, "sort: expected relevance or date, got '%.40s'", sort);
        return false;
    }
    return true;
}

/* ---- routes --------------------------------------------------------------- */

/* GET /api/v1/search */
static enum MHD_Result route_search(struct MHD_Connection *conn, request *rq)
{
    motesok_search_request req;
    char msg[256];
    if (!search_params(conn, &req, msg, sizeof msg))
        return answer_error(conn, rq, 400, "bad_request", msg);
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    char *json = NULL;
    motesok_status st = thread_searcher(&s, &err);
    if (st == MOTESOK_OK)
        st = motesok_searcher_search(s, &req, &json, &err);
    return answer_result(conn, rq, st, json, &err);
}

/* GET /api/v1/documents/{id} and /api/v1/documents/{id}/text */
static enum MHD_Result route_document(struct MHD_Connection *conn, request *rq, const char *rest)
{
    char id[32];
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    bool text = slash != NULL && strcmp(slash, "/text") == 0;
    rq->route = text ? R_TEXT : R_DOCUMENT;
    if (n == 0 || n >= sizeof id || (slash != NULL && !text))
        return answer_error(conn, rq, 404, "not_found", "no such resource");
    memcpy(id, rest, n);
    id[n] = '\0';
    unsigned page = 0;
    char msg[256];
    if (text && !arg_uint(conn, "page", 1000000, &page, msg, sizeof msg))
        return answer_error(conn, rq, 400, "bad_request", msg);
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    char *json = NULL;
    motesok_status st = thread_searcher(&s, &err);
    if (st == MOTESOK_OK)
        st = text ? motesok_searcher_text(s, id, page, &json, &err)
                  : motesok_searcher_document(s, id, &json, &err);
    return answer_result(conn, rq, st, json, &err);
}

/* GET /api/v1/status */
static enum MHD_Result route_status(struct MHD_Connection *conn, request *rq)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    char *json = NULL;
    motesok_status st = thread_searcher(&s, &err);
    if (st == MOTESOK_OK)
        st = motesok_searcher_status(s, &json, &err);
    return answer_result(conn, rq, st, json, &err);
}

/* GET /healthz: the daemon is up; says whether the index can be read. */
static enum MHD_Result route_health(struct MHD_Connection *conn, request *rq)
{
    motesok_searcher *s = NULL;
    bool ready = thread_searcher(&s, NULL) == MOTESOK_OK;
    return answer_json(conn, rq, 200, ready ? "{\"status\":\"ok\",\"index\":true}"
                                            : "{\"status\":\"ok\",\"index\":false}");
}

/* Append printf output to a bounded buffer. */
static void emit(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emit(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n;
}

/* GET /metrics in the Prometheus text format. */
static enum MHD_Result route_metrics(struct MHD_Connection *conn, request *rq)
{
    char buf[16384];
    size_t len = 0, cap = sizeof buf;
    emit(buf, cap, &len, "# HELP motesok_requests_total HTTP requests answered.\n"
                         "# TYPE motesok_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (int c = 0; c < CODES; c++)
            emit(buf, cap, &len, "motesok_requests_total{route=\"%s\",code=\"%u\"} %llu\n",
                 route_names[r], code_values[c], atomic_load(&metrics.requests[r][c]));
    emit(buf, cap, &len, "# HELP motesok_request_duration_seconds Time to answer a request.\n"
                         "# TYPE motesok_request_duration_seconds histogram\n");
    for (int i = 0; i < N_BUCKETS; i++)
        emit(buf, cap, &len, "motesok_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
             buckets[i], atomic_load(&metrics.bucket[i]));
    unsigned long long count = atomic_load(&metrics.duration_count);
    emit(buf, cap, &len, "motesok_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                         "motesok_request_duration_seconds_sum %.6f\n"
                         "motesok_request_duration_seconds_count %llu\n",
         count, (double)atomic_load(&metrics.duration_us_sum) / 1e6, count);
    if (len >= cap)
        len = cap - 1;
    return answer(conn, rq, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len);
}

/* Route a GET/HEAD request by path. */
static enum MHD_Result dispatch(struct MHD_Connection *conn, request *rq, const char *url)
{
    static const char docs[] = "/api/v1/documents/";
    if (strcmp(url, "/api/v1/search") == 0) {
        rq->route = R_SEARCH;
        return route_search(conn, rq);
    }
    if (strncmp(url, docs, sizeof docs - 1) == 0)
        return route_document(conn, rq, url + sizeof docs - 1);
    if (strcmp(url, "/api/v1/status") == 0) {
        rq->route = R_STATUS;
        return route_status(conn, rq);
    }
    if (strcmp(url, "/healthz") == 0) {
        rq->route = R_HEALTH;
        return route_health(conn, rq);
    }
    if (strcmp(url, "/metrics") == 0) {
        rq->route = R_METRICS;
        return route_metrics(conn, rq);
    }
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0) {
        rq->route = R_UI;
        return answer(conn, rq, 200, "text/html; charset=utf-8", sd_ui_html, sizeof sd_ui_html - 1);
    }
    return answer_error(conn, rq, 404, "not_found", "no such resource; the API is under /api/v1/");
}

enum MHD_Result sd_http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **con_cls)
{
    (void)cls; (void)version; (void)upload_data;
    request *rq = *con_cls;
    if (rq == NULL) {
        rq = calloc(1, sizeof *rq);
        if (rq == NULL)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &rq->start);
        rq->route = R_OTHER;
        snprintf(rq->method, sizeof rq->method, "%s", method);
        snprintf(rq->path, sizeof rq->path, "%s", url);
        *con_cls = rq;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        if (*upload_data_size != 0) {
            *upload_data_size = 0; /* discard any body */
            return MHD_YES;
        }
        return answer_error(conn, rq, 405, "method_not_allowed", "only GET and HEAD are served");
    }
    return dispatch(conn, rq, url);
}

void sd_http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                       enum MHD_RequestTerminationCode toe)
{
    (void)cls; (void)conn;
    request *rq = *con_cls;
    if (rq == NULL)
        return;
    double secs = since(&rq->start);
    unsigned code = rq->code ? rq->code : 500;
    count_request(rq->route, code, secs);
    if (server->access_log)
        fprintf(stderr, "motesokd: %s %s %u %.3f ms%s\n", rq->method, rq->path, code, secs * 1e3,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    free(rq);
    *con_cls = NULL;
}
