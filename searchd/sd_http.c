/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the request pipeline — receive, route, check, run, answer,
 * count and log. libmicrohttpd's threads read requests and answer those
 * that need no index read (/healthz, /metrics, the page, errors) at once;
 * searches and document reads run in sd_pool's workers while their
 * connection is suspended. Each thread that reads the index owns one
 * motesok_searcher (its own Xapian and SQLite read handles), opened on its
 * first request that needs it and retried on the next one while the index
 * is missing. */
#include "sd_http.h"
#include "sd_conn.h"
#include "sd_html.h"
#include "sd_json.h"
#include "sd_log.h"
#include "sd_openapi.h"
#include "sd_pool.h"

#include <motesok/motesok.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JSON_TYPE "application/json; charset=utf-8"
#define HTML_TYPE "text/html; charset=utf-8"
#define PAGE_DOC_PREFIX "/dokument/"
#define SHORT_DOC_PREFIX "/d/" /* DESIGN.md's name for the document view */
#define DOC_PAGES 20u /* pages of text in one document view */
#define DOCS_PREFIX "/api/v1/documents/"
#define MAX_PAGE 1000000u
#define LOG_PATH_BYTES 160
#define HEAVY_QUERY_BYTES 256 /* longer queries go to the heavy lane */

/* ======================================================================== */
/* metrics                                                                  */
/* ======================================================================== */

enum route { R_SEARCH, R_DOCUMENT, R_TEXT, R_STATUS, R_FAILURES, R_HEALTH, R_METRICS, R_UI,
             R_DOC_VIEW, R_ORIGINAL, R_SCRIPT, R_OPENAPI, R_OTHER, R_COUNT };
static const char *const route_names[R_COUNT] = {
    "search", "document", "text", "status", "failures", "healthz", "metrics", "ui",
    "document_view", "original", "script", "openapi", "other"};

/* The status codes motesokd answers with; anything else counts as 500. */
static const unsigned code_values[] = {200, 400, 401, 404, 405, 421, 500, 503};
enum { N_CODES = sizeof code_values / sizeof *code_values, CODE_500 = 6 };

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
enum { N_BUCKETS = sizeof buckets / sizeof *buckets };

static struct {
    atomic_ullong requests[R_COUNT][N_CODES];
    atomic_ullong duration_us_sum;
    atomic_ullong duration_count;
    atomic_ullong bucket[N_BUCKETS];
    atomic_ulong in_flight;
} metrics;

/* Index of an HTTP status in code_values (that of 500 for others). */
static int code_index(unsigned code)
{
    for (int i = 0; i < N_CODES; i++)
        if (code_values[i] == code)
            return i;
    return CODE_500;
}

/* Count one finished request of route r. */
static void count_request(enum route r, unsigned code, double secs)
{
    atomic_fetch_add(&metrics.requests[r][code_index(code)], 1);
    atomic_fetch_add(&metrics.duration_us_sum, (unsigned long long)(secs * 1e6));
    atomic_fetch_add(&metrics.duration_count, 1);
    for (int i = 0; i < N_BUCKETS; i++)
        if (secs <= buckets[i])
            atomic_fetch_add(&metrics.bucket[i], 1);
}

unsigned long sd_http_in_flight(void)
{
    return atomic_load(&metrics.in_flight);
}

/* ======================================================================== */
/* per-request and per-thread state                                         */
/* ======================================================================== */

/* Where a request stands: received, waiting for or running in a worker,
 * or with its answer ready to send. */
enum stage { ST_NEW, ST_WORKING, ST_READY };

/* What a worker needs to answer, copied out of the connection (whose
 * memory belongs to libmicrohttpd's threads). */
typedef struct work {
    motesok_search_request search; /* its strings point into strings */
    char *strings;
    char id[32];
    unsigned page, offset, limit;
    bool text;
    sd_page_params view; /* the search page's parameters (strings in strings) */
    bool csv; /* a search answered as CSV (format=csv) */
} work;

typedef struct request request;
struct request {
    sd_job job; /* first, so a job is its request */
    struct MHD_Connection *conn;
    struct timespec start;
    enum route route;
    atomic_int stage;
    void (*run)(request *rq); /* the worker's part of the route */
    work w;
    /* the answer: code is 0 until one is ready */
    unsigned code;
    const char *type;
    const char *body; /* static, or owned when it is owned */
    char *owned;
    size_t len;
    bool retry_after;
    bool bearer; /* 401: say WWW-Authenticate: Bearer */
    bool sent; /* the answer is queued */
    bool html; /* a page route: errors are answered as HTML pages */
    int fd;    /* when >= 0, the answer is this file (fd_size bytes), not body */
    uint64_t fd_size;
    char method[16];
    char path[LOG_PATH_BYTES];
};

static pthread_key_t searcher_key;
static sd_server *server;

/* Thread-exit destructor of a thread's searcher. */
static void searcher_destroy(void *p)
{
    motesok_searcher_close(p);
}

bool sd_http_init(sd_server *srv)
{
    server = srv;
    int rc = pthread_key_create(&searcher_key, searcher_destroy);
    if (rc != 0)
        errno = rc;
    return rc == 0;
}

void sd_http_cleanup(void)
{
    pthread_key_delete(searcher_key);
}

/* This thread's searcher, opened now if it is not open yet. On failure
 * err says why and the next call tries again. */
static motesok_status thread_searcher(motesok_searcher **out, motesok_error *err)
{
    *out = pthread_getspecific(searcher_key);
    if (*out != NULL)
        return MOTESOK_OK;
    motesok_status st = motesok_searcher_open(server->index_dir, out, err);
    if (st == MOTESOK_OK && pthread_setspecific(searcher_key, *out) != 0) {
        motesok_searcher_close(*out);
        *out = NULL;
        st = MOTESOK_ERR_NOMEM;
        if (err != NULL) {
            err->code = st;
            snprintf(err->message, sizeof err->message, "cannot keep a searcher per thread");
        }
    }
    return st;
}

/* Seconds since ts on the monotonic clock. */
static double since(const struct timespec *ts)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - ts->tv_sec) + (double)(now.tv_nsec - ts->tv_nsec) / 1e9;
}

/* Copy s into out[cap] for a log line: control bytes become '?'. */
static void log_copy(char *out, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s != NULL && s[i] != '\0' && i + 1 < cap; i++)
        out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    out[i] = '\0';
}

/* ======================================================================== */
/* responses: each route sets the request's answer; send_answer queues it   */
/* ======================================================================== */

#define NOMEM_JSON "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}"

/* Set the answer to a static body, which must outlive the request. */
static void answer_static(request *rq, unsigned code, const char *type, const char *body,
                          size_t len)
{
    free(rq->owned);
    rq->owned = NULL;
    if (rq->fd >= 0)
        close(rq->fd);
    rq->fd = -1;
    rq->code = code;
    rq->type = type;
    rq->body = body;
    rq->len = len;
}

/* Set the answer to body, taken over (freed here on failure); a NULL body
 * (out of memory) answers 500. */
static void answer_owned(request *rq, unsigned code, const char *type, char *body, size_t len)
{
    if (body == NULL) {
        answer_static(rq, 500, JSON_TYPE, NOMEM_JSON, sizeof NOMEM_JSON - 1);
        return;
    }
    answer_static(rq, code, type, body, len);
    rq->owned = body;
}

/* Set the answer to a copy of body. */
static void answer(request *rq, unsigned code, const char *type, const char *body, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, body, len);
        copy[len] = '\0';
    }
    answer_owned(rq, code, type, copy, len);
}

/* message as a JSON string; when it is not valid UTF-8 (it may quote
 * bytes from the request), with every non-ASCII byte shown as '?'. */
static json_t *message_string(const char *message)
{
    json_t *j = json_string(message);
    if (j != NULL)
        return j;
    char ascii[512];
    size_t i = 0;
    for (; message[i] != '\0' && i + 1 < sizeof ascii; i++)
        ascii[i] = (unsigned char)message[i] < 0x80 ? message[i] : '?';
    ascii[i] = '\0';
    return json_string(ascii);
}

/* Set the answer to an HTML page that says in Norwegian what went wrong
 * (title and message). */
static void answer_html_error(request *rq, unsigned code, const char *title, const char *msg)
{
    size_t len = 0;
    char *body = sd_html_error_page(title, msg, &len);
    answer_owned(rq, code, HTML_TYPE, body, len);
}

/* The Norwegian title and message of an error page for HTTP status code. */
static void html_error_words(unsigned code, const char **title, const char **msg)
{
    switch (code) {
    case 400: *title = "Ugyldig forespørsel."; *msg = "Adressen kan ikke leses."; break;
    case 401:
        *title = "Denne tjenesten krever en nøkkel.";
        *msg = "Åpne siden med adressen du har fått, den som slutter på #token=….";
        break;
    case 404:
        *title = "Fant ikke siden.";
        *msg = "Dokumentet finnes ikke i indeksen, eller adressen er feil.";
        break;
    case 405: *title = "Ikke tillatt."; *msg = "Sidene kan bare hentes (GET eller HEAD)."; break;
    case 421:
        *title = "Feil adresse.";
        *msg = "Tjenesten svarer bare på adressene den er satt opp med.";
        break;
    case 503:
        *title = "Tjenesten er opptatt.";
        *msg = "For mange søk venter akkurat nå. Prøv igjen om litt.";
        break;
    default: *title = "Noe gikk galt."; *msg = "En intern feil hindret svaret."; break;
    }
}

/* Set the answer to the contract's error object {"error":{"code","message"}},
 * or on a page route to an HTML page saying the same in Norwegian. */
static void answer_error(request *rq, unsigned code, const char *ecode, const char *message)
{
    if (rq->html) {
        const char *title, *msg;
        html_error_words(code, &title, &msg);
        answer_html_error(rq, code, title, msg);
        return;
    }
    json_t *j = json_pack("{s:{s:s, s:o}}", "error", "code", ecode, "message",
                          message_string(message));
    char *body = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    answer_owned(rq, code, JSON_TYPE, body, body ? strlen(body) : 0);
}

/* Set the answer to 503 overloaded, with Retry-After: why says what is full. */
static void answer_overloaded(request *rq, const char *why)
{
    answer_error(rq, 503, "overloaded", why);
    rq->retry_after = true;
}

/* Queue the request's answer on conn; the body goes to libmicrohttpd. */
static enum MHD_Result send_answer(struct MHD_Connection *conn, request *rq)
{
    struct MHD_Response *resp =
        rq->fd >= 0 ? MHD_create_response_from_fd64(rq->fd_size, rq->fd)
        : rq->owned != NULL
            ? MHD_create_response_from_buffer_with_free_callback(rq->len, rq->owned, free)
            : MHD_create_response_from_buffer(rq->len, (void *)rq->body, MHD_RESPMEM_PERSISTENT);
    if (resp == NULL)
        return MHD_NO;
    if (rq->fd >= 0)
        rq->fd = -1; /* the response closes it */
    else
        rq->owned = NULL; /* the response's now */
    if (strncmp(rq->type, "text/html", 9) == 0)
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
                                "img-src 'self'; connect-src 'self'; form-action 'self'; "
                                "base-uri 'none'; "
                                "frame-ancestors 'none'");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rq->type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (rq->code == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (rq->retry_after)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (rq->bearer)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"motesokd\"");
    enum MHD_Result r = MHD_queue_response(conn, rq->code, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Answer a library status as an HTTP error: bad input 400, unknown 404,
 * time limit and index trouble 503, the rest 500. */
static void answer_status(request *rq, motesok_status st, const motesok_error *err)
{
    const char *msg = err->message[0] ? err->message : motesok_strerror(st);
    switch (st) {
    case MOTESOK_ERR_INVALID:
    case MOTESOK_ERR_QUERY: answer_error(rq, 400, "bad_request", msg); return;
    case MOTESOK_ERR_NOT_FOUND: answer_error(rq, 404, "not_found", msg); return;
    case MOTESOK_ERR_TIMEOUT: answer_error(rq, 503, "timeout", msg); return;
    case MOTESOK_ERR_DB:
    case MOTESOK_ERR_DB_MODIFIED:
    case MOTESOK_ERR_DB_LOCKED:
    case MOTESOK_ERR_DB_CORRUPT:
    case MOTESOK_ERR_DB_VERSION: answer_error(rq, 503, "index_unavailable", msg); return;
    default: answer_error(rq, 500, "internal", msg); return;
    }
}

/* Say on stderr (the operator's log) why the index is unavailable, once
 * for each new reason rather than on every request. */
static void log_unavailable(const char *why)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static char last[sizeof ((motesok_error *)0)->message];
    pthread_mutex_lock(&lock);
    if (strcmp(last, why) != 0) {
        snprintf(last, sizeof last, "%s", why);
        fprintf(stderr, "motesokd: index unavailable: %s\n", why);
    }
    pthread_mutex_unlock(&lock);
}

/* Answer that the index cannot be opened (503). The reason names paths
 * on the server: it goes to the operator's log, not to the client. */
static void answer_unavailable(request *rq, const motesok_error *err)
{
    log_unavailable(err->message[0] ? err->message : "the index cannot be opened");
    answer_error(rq, 503, "index_unavailable",
                 "the index is not available: it has not been built yet, or cannot be "
                 "opened (the server's log says why)");
}

/* Answer with the JSON rendered from a library call's result (taken
 * over), or with the call's error. */
static void answer_result(request *rq, motesok_status st, char *json, const motesok_error *err)
{
    if (st != MOTESOK_OK) {
        free(json);
        answer_status(rq, st, err);
    } else if (json != NULL) {
        answer_owned(rq, 200, JSON_TYPE, json, strlen(json));
    } else {
        answer_error(rq, 500, "internal", "cannot encode the answer as JSON");
    }
}

/* ======================================================================== */
/* parameters                                                               */
/* ======================================================================== */

/* A query-string argument, or NULL. */
static const char *arg(struct MHD_Connection *conn, const char *key)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

/* A query-string argument, or NULL when absent or empty. */
static const char *arg_nonempty(struct MHD_Connection *conn, const char *key)
{
    const char *v = arg(conn, key);
    return v != NULL && *v != '\0' ? v : NULL;
}

/* Read optional argument key as a whole number in [min, max] into *out
 * (left alone when absent); false with a message if it is not one. */
static bool arg_uint(struct MHD_Connection *conn, const char *key, unsigned min, unsigned max,
                     unsigned *out, char *msg, size_t msglen)
{
    const char *v = arg_nonempty(conn, key);
    if (v == NULL)
        return true;
    char *end = NULL;
    errno = 0;
    unsigned long n = v[0] >= '0' && v[0] <= '9' ? strtoul(v, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || n < min || n > max) {
        snprintf(msg, msglen, "%s: expected a whole number from %u to %u, got '%.40s'", key, min,
                 max, v);
        return false;
    }
    *out = (unsigned)n;
    return true;
}

/* Read optional argument key as 1|0|true|false into *out; false with a
 * message if it is something else. */
static bool arg_bool(struct MHD_Connection *conn, const char *key, bool *out, char *msg,
                     size_t msglen)
{
    const char *v = arg_nonempty(conn, key);
    if (v == NULL)
        return true;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
        *out = false;
        return true;
    }
    snprintf(msg, msglen, "%s: expected 1, 0, true or false, got '%.40s'", key, v);
    return false;
}

/* Read optional argument sort (relevance|date) into *out. */
static bool arg_sort(struct MHD_Connection *conn, motesok_sort *out, char *msg, size_t msglen)
{
    const char *v = arg_nonempty(conn, "sort");
    if (v == NULL || strcmp(v, "relevance") == 0)
        *out = MOTESOK_SORT_RELEVANCE;
    else if (strcmp(v, "date") == 0)
        *out = MOTESOK_SORT_DATE;
    else {
        snprintf(msg, msglen, "sort: expected relevance or date, got '%.40s'", v);
        return false;
    }
    return true;
}

/* Read the search request from the query string; false with a message.
 * Empty from, to, organ and kommune are the same as absent. */
static bool search_params(struct MHD_Connection *conn, motesok_search_request *req, char *msg,
                          size_t msglen)
{
    memset(req, 0, sizeof *req);
    req->query = arg(conn, "q");
    if (req->query == NULL) {
        snprintf(msg, msglen, "missing parameter q (the query)");
        return false;
    }
    req->from = arg_nonempty(conn, "from");
    req->to = arg_nonempty(conn, "to");
    req->organ = arg_nonempty(conn, "organ");
    req->kommune = arg_nonempty(conn, "kommune");
    return arg_uint(conn, "limit", 1, MOTESOK_MAX_LIMIT, &req->limit, msg, msglen) &&
           arg_uint(conn, "offset", 0, MOTESOK_MAX_OFFSET, &req->offset, msg, msglen) &&
           arg_bool(conn, "decisions", &req->decisions, msg, msglen) &&
           arg_bool(conn, "exact", &req->exact_total, msg, msglen) &&
           arg_sort(conn, &req->sort, msg, msglen);
}

/* Iterator state of count_arg: how often key was given. */
typedef struct arg_count {
    const char *key;
    unsigned n;
} arg_count;

/* Iterator over query-string arguments: count those named cls->key. */
static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    (void)value;
    (void)value_size;
    arg_count *c = cls;
    c->n += strcmp(key, c->key) == 0;
    return MHD_YES;
}

/* The first of keys (NULL-ended) given more than once, or NULL: a search
 * takes one organ, one kommune, one of each (organ=A&organ=B is refused
 * rather than read as either A or both). */
static const char *repeated_arg(struct MHD_Connection *conn, const char *const *keys)
{
    for (; *keys != NULL; keys++) {
        arg_count c = {.key = *keys};
        MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, count_arg, &c);
        if (c.n > 1)
            return *keys;
    }
    return NULL;
}

/* Read optional argument format (json|csv): *csv is true for csv. */
static bool arg_format(struct MHD_Connection *conn, bool *csv, char *msg, size_t msglen)
{
    const char *v = arg_nonempty(conn, "format");
    *csv = v != NULL && strcmp(v, "csv") == 0;
    if (v == NULL || *csv || strcmp(v, "json") == 0)
        return true;
    snprintf(msg, msglen, "format: expected json or csv, got '%.40s'", v);
    return false;
}

/* Copy the strings of w->search into w->strings, one block the request
 * owns, so that a worker can read them; false when out of memory. */
static bool keep_search_strings(work *w)
{
    const char **fields[] = {&w->search.query, &w->search.from, &w->search.to,
                             &w->search.organ, &w->search.kommune};
    enum { N_FIELDS = sizeof fields / sizeof *fields };
    size_t total = 0;
    for (int i = 0; i < N_FIELDS; i++)
        total += *fields[i] != NULL ? strlen(*fields[i]) + 1 : 0;
    w->strings = malloc(total + 1);
    if (w->strings == NULL)
        return false;
    char *p = w->strings;
    for (int i = 0; i < N_FIELDS; i++) {
        if (*fields[i] == NULL)
            continue;
        size_t n = strlen(*fields[i]) + 1;
        memcpy(p, *fields[i], n);
        *fields[i] = p;
        p += n;
    }
    return true;
}

/* True if a search may take long and so waits in the heavy lane: its
 * query has a wildcard on fewer than 3 bytes (a*, ab*), more than 4
 * wildcards, or more than HEAVY_QUERY_BYTES, or it asks for an exact
 * total. */
static bool heavy_search(const motesok_search_request *req)
{
    unsigned wild = 0, short_wild = 0, run = 0; /* run: bytes of the word so far */
    for (const char *p = req->query; *p != '\0'; p++) {
        if (*p == '*') {
            wild++;
            short_wild += run < 3;
            run = 0;
        } else {
            run = isspace((unsigned char)*p) || *p == '"' || *p == '(' || *p == ':' ? 0 : run + 1;
        }
    }
    return wild > 4 || short_wild > 0 || strlen(req->query) > HEAVY_QUERY_BYTES ||
           req->exact_total;
}

/* ======================================================================== */
/* routes: a route's prep part reads the request in libmicrohttpd's        */
/* thread and either answers or leaves its run part to a worker            */
/* ======================================================================== */

/* Worker part of GET /api/v1/search. */
static void run_search(request *rq)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, &err) != MOTESOK_OK) {
        answer_unavailable(rq, &err);
        return;
    }
    motesok_search_result *res = NULL;
    motesok_status st = motesok_searcher_search(s, &rq->w.search, &res, &err);
    if (st == MOTESOK_OK && rq->w.csv) {
        size_t len = 0;
        char *csv = sd_csv_search(res, &len);
        motesok_search_result_free(res);
        answer_owned(rq, 200, "text/csv; charset=utf-8; header=present", csv, len);
        return;
    }
    char *json = st == MOTESOK_OK ? sd_json_search(res) : NULL;
    motesok_search_result_free(res);
    answer_result(rq, st, json, &err);
}

/* GET /api/v1/search: read and keep the parameters. */
static void prep_search(struct MHD_Connection *conn, request *rq)
{
    static const char *const keys[] = {"q", "limit", "offset", "from", "to", "organ", "kommune",
                                       "decisions", "exact", "sort", "format", NULL};
    char msg[256];
    const char *twice = repeated_arg(conn, keys);
    if (twice != NULL) {
        snprintf(msg, sizeof msg, "%s: given more than once; a search takes one", twice);
        answer_error(rq, 400, "bad_request", msg);
        return;
    }
    if (!search_params(conn, &rq->w.search, msg, sizeof msg) ||
        !arg_format(conn, &rq->w.csv, msg, sizeof msg)) {
        answer_error(rq, 400, "bad_request", msg);
        return;
    }
    if (!keep_search_strings(&rq->w)) {
        answer_error(rq, 500, "internal", "out of memory");
        return;
    }
    rq->job.heavy = heavy_search(&rq->w.search);
    rq->run = run_search;
}

/* Worker part of GET /api/v1/documents/{id} and …/{id}/text. */
static void run_document(request *rq)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, &err) != MOTESOK_OK) {
        answer_unavailable(rq, &err);
        return;
    }
    char *json = NULL;
    motesok_status st;
    if (rq->w.text) {
        motesok_page_text *t = NULL;
        st = motesok_searcher_text(s, rq->w.id, rq->w.page, &t, &err);
        json = st == MOTESOK_OK ? sd_json_text(t) : NULL;
        motesok_page_text_free(t);
    } else {
        motesok_document *d = NULL;
        st = motesok_searcher_document(s, rq->w.id, &d, &err);
        json = st == MOTESOK_OK ? sd_json_document(d) : NULL;
        motesok_document_free(d);
    }
    answer_result(rq, st, json, &err);
}

static void prep_doc_view_of(struct MHD_Connection *conn, request *rq, const char *id, size_t n,
                             bool original);

/* GET /api/v1/documents/{id}, /api/v1/documents/{id}/text?page=N and
 * …/{id}/file; rest is what follows the documents prefix. */
static void prep_document(struct MHD_Connection *conn, request *rq, const char *rest)
{
    const char *slash = strchr(rest, '/');
    if (slash != NULL && strcmp(slash, "/file") == 0) {
        /* DESIGN.md's …/{id}/file: the original, as /dokument/{id}/original */
        prep_doc_view_of(conn, rq, rest, (size_t)(slash - rest), true);
        return;
    }
    bool text = slash != NULL && strcmp(slash, "/text") == 0;
    rq->route = text ? R_TEXT : R_DOCUMENT;
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    if (n == 0 || (slash != NULL && !text)) {
        answer_error(rq, 404, "not_found", "no such resource");
        return;
    }
    if (n >= sizeof rq->w.id) {
        answer_error(rq, 400, "bad_request", "document id: expected 16 hexadecimal digits");
        return;
    }
    memcpy(rq->w.id, rest, n);
    rq->w.id[n] = '\0';
    rq->w.text = text;
    char msg[256];
    if (text && !arg_uint(conn, "page", 0, MAX_PAGE, &rq->w.page, msg, sizeof msg)) {
        answer_error(rq, 400, "bad_request", msg);
        return;
    }
    rq->run = run_document;
}

/* Worker part of GET /api/v1/status. */
static void run_status(request *rq)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, &err) != MOTESOK_OK) {
        answer_unavailable(rq, &err);
        return;
    }
    motesok_index_status *status = NULL;
    motesok_status st = motesok_searcher_status(s, &status, &err);
    char *json = st == MOTESOK_OK ? sd_json_status(status) : NULL;
    motesok_index_status_free(status);
    answer_result(rq, st, json, &err);
}

/* GET /api/v1/status */
static void prep_status(struct MHD_Connection *conn, request *rq)
{
    (void)conn;
    rq->run = run_status;
}

/* Worker part of GET /api/v1/failures. */
static void run_failures(request *rq)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, &err) != MOTESOK_OK) {
        answer_unavailable(rq, &err);
        return;
    }
    motesok_problem_list *l = NULL;
    motesok_status st = motesok_searcher_problems(s, rq->w.offset, rq->w.limit, &l, &err);
    char *json = st == MOTESOK_OK ? sd_json_problems(l) : NULL;
    motesok_problem_list_free(l);
    answer_result(rq, st, json, &err);
}

/* GET /api/v1/failures?offset=&limit=: the files that failed or are
 * unsupported, newest first. */
static void prep_failures(struct MHD_Connection *conn, request *rq)
{
    char msg[160];
    rq->w.offset = 0;
    rq->w.limit = 100;
    if (!arg_uint(conn, "offset", 0, MOTESOK_MAX_OFFSET, &rq->w.offset, msg, sizeof msg) ||
        !arg_uint(conn, "limit", 1, MOTESOK_MAX_PROBLEMS, &rq->w.limit, msg, sizeof msg)) {
        answer_error(rq, 400, "bad_request", msg);
        return;
    }
    rq->run = run_failures;
}

/* GET /healthz: 200 while the daemon runs; "index" says if it can be read. */
static void route_health(struct MHD_Connection *conn, request *rq)
{
    (void)conn;
    static const char ok[] = "{\"status\":\"ok\",\"index\":true}";
    static const char no_index[] = "{\"status\":\"ok\",\"index\":false}";
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, NULL) == MOTESOK_OK)
        answer_static(rq, 200, JSON_TYPE, ok, sizeof ok - 1);
    else
        answer_static(rq, 200, JSON_TYPE, no_index, sizeof no_index - 1);
}

/* Bounded text buffer for the metrics page. */
typedef struct textbuf {
    char data[16384];
    size_t len;
} textbuf;

/* Append printf output to b; output past its end is dropped. */
static void emit(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(textbuf *b, const char *fmt, ...)
{
    if (b->len + 1 >= sizeof b->data)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, sizeof b->data - b->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len = b->len + (size_t)n < sizeof b->data ? b->len + (size_t)n : sizeof b->data - 1;
}

/* Emit the request counters and the latency histogram. */
static void emit_requests(textbuf *b)
{
    emit(b, "# HELP motesok_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE motesok_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (int c = 0; c < N_CODES; c++)
            emit(b, "motesok_requests_total{route=\"%s\",code=\"%u\"} %llu\n", route_names[r],
                 code_values[c], atomic_load(&metrics.requests[r][c]));
    emit(b, "# HELP motesok_request_duration_seconds Time to answer a request.\n"
            "# TYPE motesok_request_duration_seconds histogram\n");
    for (int i = 0; i < N_BUCKETS; i++)
        emit(b, "motesok_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[i],
             atomic_load(&metrics.bucket[i]));
    unsigned long long count = atomic_load(&metrics.duration_count);
    emit(b, "motesok_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
            "motesok_request_duration_seconds_sum %.6f\n"
            "motesok_request_duration_seconds_count %llu\n",
         count, (double)atomic_load(&metrics.duration_us_sum) / 1e6, count);
    emit(b, "# HELP motesok_requests_in_flight Requests being answered.\n"
            "# TYPE motesok_requests_in_flight gauge\n"
            "motesok_requests_in_flight %lu\n", sd_http_in_flight());
}

/* Emit the counters of refused work and closed connections. */
static void emit_connections(textbuf *b)
{
    emit(b, "# HELP motesok_queue_waiting Requests waiting for a search worker.\n"
            "# TYPE motesok_queue_waiting gauge\nmotesok_queue_waiting %u\n",
         sd_pool_queued());
    emit(b, "# HELP motesok_queue_rejected_total Requests answered 503 overloaded because "
            "the queue was full.\n"
            "# TYPE motesok_queue_rejected_total counter\nmotesok_queue_rejected_total %llu\n",
         sd_pool_rejected());
    emit(b, "# HELP motesok_connections_closed_total Connections closed before they sent a "
            "whole request: past the deadline, or the longest waiting when too many waited.\n"
            "# TYPE motesok_connections_closed_total counter\n"
            "motesok_connections_closed_total{reason=\"deadline\"} %llu\n"
            "motesok_connections_closed_total{reason=\"evicted\"} %llu\n",
         sd_conn_timed_out(), sd_conn_evicted());
}

/* Emit one gauge of the index. */
static void emit_gauge(textbuf *b, const char *name, const char *help, long long value)
{
    emit(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, value);
}

/* Emit the index gauges, from this thread's searcher if the index opens. */
static void emit_index(textbuf *b)
{
    motesok_searcher *s = NULL;
    motesok_index_status *st = NULL;
    if (thread_searcher(&s, NULL) == MOTESOK_OK)
        motesok_searcher_status(s, &st, NULL);
    emit(b, "# HELP motesok_index_up Whether the index can be read.\n"
            "# TYPE motesok_index_up gauge\nmotesok_index_up %d\n", st != NULL);
    if (st != NULL) {
        emit_gauge(b, "motesok_index_documents", "Files indexed.", (long long)st->documents);
        emit_gauge(b, "motesok_index_cases", "Cases (saker) indexed.", (long long)st->cases);
        emit_gauge(b, "motesok_index_failed", "Files that failed to index.",
                   (long long)st->failed);
        emit_gauge(b, "motesok_index_bytes", "Size of the index on disk.",
                   (long long)st->index_bytes);
        emit_gauge(b, "motesok_ocr_pages_kept", "PDF pages whose OCR text the index keeps.",
                   (long long)st->ocr_pages_kept);
        emit_gauge(b, "motesok_ocr_last_run_pages", "Pages the last indexer run read by OCR.",
                   (long long)st->ocr_last_run_pages);
        emit_gauge(b, "motesok_ocr_last_run_cache_hits",
                   "Pages needing OCR that the last indexer run took from the kept OCR text.",
                   (long long)st->ocr_last_run_cached);
        emit(b, "# HELP motesok_ocr_last_run_seconds Wall seconds the pages the last indexer "
                "run read by OCR took to render and read, summed over its workers.\n"
                "# TYPE motesok_ocr_last_run_seconds gauge\nmotesok_ocr_last_run_seconds %.3f\n",
             st->ocr_last_run_seconds);
    }
    motesok_index_status_free(st);
}

/* GET /metrics in the Prometheus text format. */
static void route_metrics(struct MHD_Connection *conn, request *rq)
{
    (void)conn;
    textbuf *b = malloc(sizeof *b);
    if (b == NULL) {
        answer_error(rq, 500, "internal", "out of memory");
        return;
    }
    b->len = 0;
    b->data[0] = '\0';
    emit_requests(b);
    emit_connections(b);
    emit_index(b);
    answer(rq, 200, "text/plain; version=0.0.4; charset=utf-8", b->data, b->len);
    free(b);
}

/* ======================================================================== */
/* the pages: search, document view, original file                         */
/* ======================================================================== */

/* Answer a page of the search form and its results for v. */
static void answer_search_page(request *rq, unsigned code, const sd_page_view *v)
{
    size_t len = 0;
    char *body = sd_html_search_page(v, &len);
    answer_owned(rq, code, HTML_TYPE, body, len);
}

/* Worker part of the search page: search, then render hits or a message. */
static void run_page(request *rq)
{
    sd_page_view v = {.p = rq->w.view, .show_paths = server->show_paths};
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, &err) != MOTESOK_OK) {
        log_unavailable(err.message[0] ? err.message : "the index cannot be opened");
        v.state = SD_PAGE_NO_INDEX;
        answer_search_page(rq, 503, &v);
        return;
    }
    motesok_search_result *res = NULL;
    motesok_status st = motesok_searcher_search(s, &rq->w.search, &res, &err);
    unsigned code = 200;
    switch (st) {
    case MOTESOK_OK: v.state = SD_PAGE_RESULTS; v.res = res; break;
    case MOTESOK_ERR_INVALID:
    case MOTESOK_ERR_QUERY:
        v.state = SD_PAGE_BAD;
        v.message = sd_html_bad_request(err.message);
        code = 400;
        break;
    case MOTESOK_ERR_TIMEOUT:
        v.state = SD_PAGE_ERROR;
        v.message = "Søket tok for lang tid. Prøv et smalere søk.";
        code = 503;
        break;
    case MOTESOK_ERR_DB:
    case MOTESOK_ERR_DB_MODIFIED:
    case MOTESOK_ERR_DB_LOCKED:
    case MOTESOK_ERR_DB_CORRUPT:
    case MOTESOK_ERR_DB_VERSION:
        log_unavailable(err.message[0] ? err.message : motesok_strerror(st));
        v.state = SD_PAGE_NO_INDEX;
        code = 503;
        break;
    default:
        v.state = SD_PAGE_ERROR;
        v.message = "En intern feil hindret søket. Prøv igjen.";
        code = 500;
        break;
    }
    answer_search_page(rq, code, &v);
    motesok_search_result_free(res);
}

/* The 1-based results page asked for: 1 when absent or not a number, at
 * most the last page the library can reach. */
static unsigned page_number(struct MHD_Connection *conn)
{
    const char *v = arg_nonempty(conn, "page");
    unsigned long n = v != NULL && v[0] >= '1' && v[0] <= '9' ? strtoul(v, NULL, 10) : 1;
    unsigned long max = MOTESOK_MAX_OFFSET / SD_PAGE_HITS + 1;
    return (unsigned)(n < 1 ? 1 : n > max ? max : n);
}

/* GET / and /sok: the search page. Without a query or filter, the form
 * alone (answered here); else a search in a worker. */
static void route_page(struct MHD_Connection *conn, request *rq)
{
    sd_page_params *p = &rq->w.view;
    const char *sort = arg_nonempty(conn, "sort");
    *p = (sd_page_params){.q = arg_nonempty(conn, "q"), .organ = arg_nonempty(conn, "organ"),
                          .kommune = arg_nonempty(conn, "kommune"),
                          .from = arg_nonempty(conn, "from"), .to = arg_nonempty(conn, "to"),
                          .sort_date = sort != NULL && strcmp(sort, "date") == 0,
                          .page = page_number(conn)};
    if (p->q == NULL && p->organ == NULL && p->kommune == NULL && p->from == NULL &&
        p->to == NULL) {
        sd_page_view v = {.p = *p, .state = SD_PAGE_FORM};
        answer_search_page(rq, 200, &v);
        return;
    }
    motesok_search_request *req = &rq->w.search;
    *req = (motesok_search_request){.query = p->q != NULL ? p->q : "", .from = p->from,
                                    .to = p->to, .organ = p->organ, .kommune = p->kommune,
                                    .sort = p->sort_date ? MOTESOK_SORT_DATE
                                                         : MOTESOK_SORT_RELEVANCE,
                                    .limit = SD_PAGE_HITS,
                                    .offset = (p->page - 1) * SD_PAGE_HITS};
    if (!keep_search_strings(&rq->w)) {
        answer_error(rq, 500, "internal", "out of memory");
        return;
    }
    p->q = p->q != NULL ? req->query : NULL; /* the kept copies */
    p->from = req->from;
    p->to = req->to;
    p->organ = req->organ;
    p->kommune = req->kommune;
    rq->job.heavy = heavy_search(req);
    rq->run = run_page;
}

/* GET /sok.js: the page's optional script. */
static void route_script(struct MHD_Connection *conn, request *rq)
{
    (void)conn;
    answer_static(rq, 200, "text/javascript; charset=utf-8", sd_html_script,
                  sd_html_script_len);
}

/* Answer a document view for d: the pages of the window that holds the
 * hit's page (the first pages when none). */
static void answer_document_view(request *rq, motesok_searcher *s, const motesok_document *d)
{
    unsigned pages = d->pages > 0 && d->pages < MAX_PAGE ? (unsigned)d->pages : 1;
    unsigned hit = rq->w.page <= pages ? rq->w.page : 0;
    unsigned first = hit > 0 ? (hit - 1) / DOC_PAGES * DOC_PAGES + 1 : 1;
    unsigned n = pages - first + 1 < DOC_PAGES ? pages - first + 1 : DOC_PAGES;
    motesok_page_text *pt[DOC_PAGES] = {0};
    const char *texts[DOC_PAGES] = {0};
    for (unsigned i = 0; i < n; i++) {
        if (motesok_searcher_text(s, d->id, first + i, &pt[i], NULL) == MOTESOK_OK)
            texts[i] = pt[i]->text;
    }
    /* the query's words marked as the search reads them; unmarked if that fails */
    char *marked[DOC_PAGES] = {0};
    if (rq->w.search.query != NULL && rq->w.search.query[0] != '\0')
        (void)motesok_searcher_highlight(s, rq->w.search.query, texts, NULL, n, marked, NULL);
    sd_doc_view v = {.doc = d, .texts = texts, .marked = (const char *const *)marked,
                     .n_texts = n, .first_page = first,
                     .q = rq->w.search.query, .hit_page = hit,
                     .show_paths = server->show_paths};
    size_t len = 0;
    char *body = sd_html_document_page(&v, &len);
    for (unsigned i = 0; i < n; i++) {
        motesok_page_text_free(pt[i]);
        free(marked[i]);
    }
    answer_owned(rq, 200, HTML_TYPE, body, len);
}

/* The Content-Type of an original file of detected type mime and text
 * encoding enc; a static string. */
static const char *original_type(const char *mime, const char *enc)
{
    static const char *const text_types[][2] = {
        {"UTF-8", "text/plain; charset=utf-8"},
        {"UTF-16LE", "text/plain; charset=utf-16le"},
        {"UTF-16BE", "text/plain; charset=utf-16be"},
        {"WINDOWS-1252", "text/plain; charset=windows-1252"},
        {"ISO-8859-1", "text/plain; charset=iso-8859-1"},
    };
    if (mime != NULL && strcmp(mime, "application/pdf") == 0)
        return "application/pdf";
    if (mime == NULL || strncmp(mime, "text/", 5) != 0)
        return "application/octet-stream";
    for (size_t i = 0; i < sizeof text_types / sizeof *text_types; i++)
        if (enc != NULL && strcasecmp(enc, text_types[i][0]) == 0)
            return text_types[i][1];
    return "text/plain";
}

/* Answer with the original file of d as the index knows it: only a path
 * the index holds, only a regular file; 404 when it is gone. */
static void answer_original(request *rq, const motesok_document *d)
{
    int fd = d->path != NULL ? open(d->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        answer_html_error(rq, 404, "Originalfilen finnes ikke lenger.",
                          "Filen er flyttet eller slettet siden den ble indeksert.");
        return;
    }
    answer_static(rq, 200, original_type(d->mime, d->encoding), "", 0);
    rq->fd = fd;
    rq->fd_size = (uint64_t)st.st_size;
}

/* Worker part of GET /dokument/ID and /dokument/ID/original. */
static void run_doc_view(request *rq)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_searcher *s = NULL;
    if (thread_searcher(&s, &err) != MOTESOK_OK) {
        log_unavailable(err.message[0] ? err.message : "the index cannot be opened");
        answer_html_error(rq, 503, "Dokumentet er ikke tilgjengelig nå.",
                          "Søkeindeksen kan ikke åpnes akkurat nå. Prøv igjen senere.");
        return;
    }
    motesok_document *d = NULL;
    motesok_status st = motesok_searcher_document(s, rq->w.id, &d, &err);
    if (st == MOTESOK_ERR_INVALID || st == MOTESOK_ERR_NOT_FOUND)
        answer_html_error(rq, 404, "Fant ikke dokumentet.",
                          "Det finnes ikke i indeksen (lenger), eller adressen er feil.");
    else if (st != MOTESOK_OK)
        answer_html_error(rq, 503, "Dokumentet er ikke tilgjengelig nå.",
                          "Søkeindeksen kan ikke leses akkurat nå. Prøv igjen senere.");
    else if (rq->route == R_ORIGINAL)
        answer_original(rq, d);
    else
        answer_document_view(rq, s, d);
    motesok_document_free(d);
}

/* The document view of id[0..n) (?q=&page=N), or its original file. */
static void prep_doc_view_of(struct MHD_Connection *conn, request *rq, const char *id, size_t n,
                             bool original)
{
    rq->route = original ? R_ORIGINAL : R_DOC_VIEW;
    if (n == 0 || n >= sizeof rq->w.id) {
        answer_error(rq, 404, "not_found", "no such page");
        return;
    }
    memcpy(rq->w.id, id, n);
    rq->w.id[n] = '\0';
    rq->w.page = 0;
    const char *q = arg_nonempty(conn, "q");
    const char *page = arg_nonempty(conn, "page");
    if (page != NULL && page[0] >= '1' && page[0] <= '9')
        rq->w.page = (unsigned)strtoul(page, NULL, 10);
    if (rq->w.page > MAX_PAGE)
        rq->w.page = 0;
    rq->w.search = (motesok_search_request){.query = q != NULL ? q : ""};
    if (!keep_search_strings(&rq->w)) {
        answer_error(rq, 500, "internal", "out of memory");
        return;
    }
    rq->run = run_doc_view;
}

/* GET /dokument/ID[?q=&page=N] and /dokument/ID/original (also under /d/);
 * rest is what follows the prefix. */
static void prep_doc_view(struct MHD_Connection *conn, request *rq, const char *rest)
{
    const char *slash = strchr(rest, '/');
    bool original = slash != NULL && strcmp(slash, "/original") == 0;
    if (slash != NULL && !original) {
        rq->route = R_DOC_VIEW;
        answer_error(rq, 404, "not_found", "no such page");
        return;
    }
    prep_doc_view_of(conn, rq, rest, slash ? (size_t)(slash - rest) : strlen(rest), original);
}

/* GET /api/v1/openapi.json: this API as OpenAPI 3 (searchd/openapi.json). */
static void route_openapi(struct MHD_Connection *conn, request *rq)
{
    (void)conn;
    answer_static(rq, 200, JSON_TYPE, sd_openapi_json, sd_openapi_json_len);
}

/* Route a GET or HEAD request by its path: answer it, or set rq->run. */
static void dispatch(struct MHD_Connection *conn, request *rq, const char *url)
{
    static const struct {
        const char *path;
        enum route route;
        void (*fn)(struct MHD_Connection *, request *);
    } routes[] = {
        {"/api/v1/search", R_SEARCH, prep_search},   {"/api/v1/status", R_STATUS, prep_status},
        {"/api/v1/failures", R_FAILURES, prep_failures},
        {"/api/v1/failed", R_FAILURES, prep_failures}, /* DESIGN.md's name for it */
        {"/api/v1/openapi.json", R_OPENAPI, route_openapi},
        {"/healthz", R_HEALTH, route_health},       {"/metrics", R_METRICS, route_metrics},
        {"/", R_UI, route_page},                    {"/index.html", R_UI, route_page},
        {"/sok", R_UI, route_page},                 {"/sok.js", R_SCRIPT, route_script},
    };
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        if (strcmp(url, routes[i].path) == 0) {
            rq->route = routes[i].route;
            routes[i].fn(conn, rq);
            return;
        }
    }
    if (strncmp(url, DOCS_PREFIX, sizeof DOCS_PREFIX - 1) == 0)
        prep_document(conn, rq, url + sizeof DOCS_PREFIX - 1);
    else if (strncmp(url, PAGE_DOC_PREFIX, sizeof PAGE_DOC_PREFIX - 1) == 0)
        prep_doc_view(conn, rq, url + sizeof PAGE_DOC_PREFIX - 1);
    else if (strncmp(url, SHORT_DOC_PREFIX, sizeof SHORT_DOC_PREFIX - 1) == 0)
        prep_doc_view(conn, rq, url + sizeof SHORT_DOC_PREFIX - 1);
    else
        answer_error(rq, 404, "not_found", "no such resource; the API is under /api/v1/");
}

/* Iterator over query-string arguments: stop at the first whose key or
 * value holds a NUL byte, or the "%00" that sd_http_unescape leaves as
 * written, and keep its key in *cls. */
static enum MHD_Result find_nul(void *cls, enum MHD_ValueKind kind, const char *key,
                                size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    bool nul = strlen(key) != key_size || (value != NULL && strlen(value) != value_size) ||
               strstr(key, "%00") != NULL || (value != NULL && strstr(value, "%00") != NULL);
    if (!nul)
        return MHD_YES;
    *(const char **)cls = key;
    return MHD_NO;
}


/* host (a Host header) without its port, in lower case, into h[cap]
 * ("[::1]:7700" gives "[::1]"); false if it does not fit. */
static bool host_name(const char *host, char *h, size_t cap)
{
    size_t n = strlen(host);
    if (n == 0 || n >= cap)
        return false;
    const char *end = host[0] == '[' ? strchr(host, ']') : strchr(host, ':');
    if (host[0] == '[' && end != NULL)
        end++;
    size_t len = end != NULL ? (size_t)(end - host) : n;
    for (size_t i = 0; i < len; i++)
        h[i] = (char)tolower((unsigned char)host[i]);
    if (len > 1 && h[len - 1] == '.')
        len--; /* "search.example.org." */
    h[len] = '\0';
    return true;
}

/* True if host (a Host header: name or address, maybe with a port) names
 * this machine: localhost, *.localhost, 127.0.0.0/8 or ::1. */
static bool local_host(const char *host)
{
    char h[256];
    if (!host_name(host, h, sizeof h))
        return false;
    if (strcmp(h, "[::1]") == 0)
        return true;
    size_t hn = strlen(h);
    if (strcmp(h, "localhost") == 0 || (hn > 10 && strcmp(h + hn - 10, ".localhost") == 0))
        return true;
    unsigned a, b, c, d;
    char tail;
    return sscanf(h, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 && c < 256 &&
           d < 256;
}

/* True if the request's Host may be answered: a name of --host, or, on a
 * loopback daemon, this machine; any Host when neither applies. A request
 * without Host (HTTP/1.0) is answered. */
static bool host_allowed(const sd_server *srv, const char *host)
{
    if (host == NULL || (!srv->loopback_only && srv->n_hosts == 0))
        return true;
    if (srv->loopback_only && local_host(host))
        return true;
    char h[256];
    if (!host_name(host, h, sizeof h))
        return false;
    for (size_t i = 0; i < srv->n_hosts; i++)
        if (strcmp(h, srv->hosts[i]) == 0)
            return true;
    return false;
}

/* True if given is the token, compared in time that does not depend on
 * where it differs. */
static bool same_token(const char *token, const char *given)
{
    size_t n = strlen(token), g = strlen(given);
    unsigned char diff = (unsigned char)(n != g);
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(token[i] ^ (i < g ? given[i] : 0));
    return diff == 0;
}

/* True if the request carries the server's token (or none is needed):
 * "Authorization: Bearer TOKEN", or on a page route the cookie
 * motesok_token=TOKEN (percent-encoded) that the page's script sets. */
static bool authorized(const sd_server *srv, struct MHD_Connection *conn, bool page)
{
    if (srv->token == NULL)
        return true;
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_AUTHORIZATION);
    if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0)
        return same_token(srv->token, auth + 7);
    const char *cookie = page ? MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
                                                            "motesok_token")
                              : NULL;
    char given[512];
    if (cookie == NULL || strlen(cookie) >= sizeof given)
        return false;
    memcpy(given, cookie, strlen(cookie) + 1);
    sd_http_unescape(NULL, conn, given);
    return strstr(given, "%00") == NULL && same_token(srv->token, given);
}

/* True if url is one of the pages (HTML for people): the search page,
 * the document views and the original files. */
static bool page_route(const char *url)
{
    return strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0 ||
           strcmp(url, "/sok") == 0 ||
           strncmp(url, PAGE_DOC_PREFIX, sizeof PAGE_DOC_PREFIX - 1) == 0;
}

/* True if the request is served without the token: /healthz, the
 * page's script, and the search page's empty form (no search asked). */
static bool open_route(struct MHD_Connection *conn, const char *url)
{
    if (strcmp(url, "/healthz") == 0 || strcmp(url, "/sok.js") == 0)
        return true;
    static const char *const search_args[] = {"q", "organ", "kommune", "from", "to"};
    if (strcmp(url, "/") != 0 && strcmp(url, "/index.html") != 0 && strcmp(url, "/sok") != 0)
        return false;
    for (size_t i = 0; i < sizeof search_args / sizeof *search_args; i++)
        if (arg_nonempty(conn, search_args[i]) != NULL)
            return false;
    return true;
}

/* Check the request line and route it; arguments with NUL bytes, which
 * would be read as shorter than sent, and escaped NULs are refused; a
 * loopback daemon answers only requests addressed to this machine or to
 * a name of --host; with a token, the API wants it. */
static void check_and_dispatch(const sd_server *srv, struct MHD_Connection *conn, request *rq,
                               const char *url, const char *method)
{
    if (url == NULL || method == NULL) {
        answer_error(rq, 400, "bad_request", "malformed request");
        return;
    }
    rq->html = page_route(url);
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host_allowed(srv, host)) {
        answer_error(rq, 421, "misdirected_request",
                     srv->n_hosts > 0 ? "this server answers only requests addressed to the "
                                        "names it was given (motesokd --host)"
                                      : "this server answers only requests addressed to this "
                                        "machine (localhost); it listens on a loopback address");
        return;
    }
    if (strstr(url, "%00") != NULL) {
        answer_error(rq, 400, "bad_request", "the path holds an escaped NUL byte (%00)");
        return;
    }
    if (!open_route(conn, url) && !authorized(srv, conn, rq->html)) {
        answer_error(rq, 401, "unauthorized",
                     "this server wants its token: send \"Authorization: Bearer TOKEN\"");
        rq->bearer = true;
        return;
    }
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        answer_error(rq, 405, "method_not_allowed", "only GET and HEAD are served");
        return;
    }
    const char *bad = NULL;
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, find_nul, &bad);
    if (bad != NULL) {
        char msg[128];
        snprintf(msg, sizeof msg, "parameter '%.40s' holds a NUL byte", bad);
        answer_error(rq, 400, "bad_request", msg);
        return;
    }
    dispatch(conn, rq, url);
}

/* ======================================================================== */
/* the request's life: new → (worker) → answered → completed                */
/* ======================================================================== */

/* A worker runs the request's route, then wakes its connection. */
static void job_run(sd_job *job)
{
    request *rq = (request *)job;
    rq->run(rq);
    atomic_store(&rq->stage, ST_READY);
    MHD_resume_connection(rq->conn);
}

/* The pool stops before the job ran: answer 503 and wake the connection. */
static void job_cancel(sd_job *job)
{
    request *rq = (request *)job;
    answer_overloaded(rq, "the server is shutting down");
    atomic_store(&rq->stage, ST_READY);
    MHD_resume_connection(rq->conn);
}

/* Hand rq to a worker with its connection suspended until the worker is
 * done; when the lane is full, answer 503 at once. Returns MHD_YES. */
static enum MHD_Result hand_to_worker(struct MHD_Connection *conn, request *rq)
{
    rq->job.run = job_run;
    rq->job.cancel = job_cancel;
    atomic_store(&rq->stage, ST_WORKING);
    MHD_suspend_connection(conn); /* before submit: the worker may resume at once */
    if (!sd_pool_submit(&rq->job)) {
        answer_overloaded(rq, rq->job.heavy ? "too many costly searches are waiting; try again "
                                              "shortly"
                                            : "too many requests are waiting; try again shortly");
        atomic_store(&rq->stage, ST_READY);
        MHD_resume_connection(conn);
    }
    return MHD_YES;
}

/* A new request record for method and url on conn, counted as in flight. */
static request *request_new(struct MHD_Connection *conn, const char *method, const char *url)
{
    request *rq = calloc(1, sizeof *rq);
    if (rq == NULL)
        return NULL;
    rq->conn = conn;
    clock_gettime(CLOCK_MONOTONIC, &rq->start);
    rq->route = R_OTHER;
    rq->fd = -1;
    atomic_init(&rq->stage, ST_NEW);
    log_copy(rq->method, sizeof rq->method, method);
    log_copy(rq->path, sizeof rq->path, url);
    atomic_fetch_add(&metrics.in_flight, 1);
    return rq;
}

/* Free a request record and what it owns. */
static void request_free(request *rq)
{
    if (rq->fd >= 0)
        close(rq->fd);
    free(rq->owned);
    free(rq->w.strings);
    free(rq);
}

/* The value of hex digit c (0-15), or -1. */
static int hex_value(unsigned char c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a') + 10 : -1;
}

size_t sd_http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *w = s;
    for (const char *r = s; *r != '\0';) {
        int hi = r[0] == '%' ? hex_value((unsigned char)r[1]) : -1;
        int lo = hi >= 0 ? hex_value((unsigned char)r[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++; /* "%00" stays as written */
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

enum MHD_Result sd_http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **con_cls)
{
    const sd_server *srv = cls;
    (void)version;
    (void)upload_data;
    request *rq = *con_cls;
    if (rq == NULL) {
        /* The head is in. Answer on a later call: libmicrohttpd closes the
         * connection after an answer queued in this first call. */
        rq = request_new(conn, method, url);
        if (rq == NULL)
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0; /* no route takes a body: drop it */
        return MHD_YES;
    }
    int stage = atomic_load(&rq->stage);
    if (stage == ST_WORKING || rq->sent)
        return MHD_YES; /* not woken by its worker yet, or answered */
    if (stage == ST_NEW && rq->code == 0) {
        sd_conn_busy(conn); /* the whole request is in */
        check_and_dispatch(srv, conn, rq, url, method);
        if (rq->code == 0 && rq->run != NULL)
            return hand_to_worker(conn, rq);
    }
    if (rq->code == 0)
        answer_error(rq, 500, "internal", "no answer");
    rq->sent = true;
    return send_answer(conn, rq);
}

void sd_http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                       enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    request *rq = *con_cls;
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        sd_conn_waiting(conn); /* keep-alive: the next request has a deadline too */
    if (rq == NULL)
        return;
    double secs = since(&rq->start);
    unsigned code = rq->code ? rq->code : 500;
    count_request(rq->route, code, secs);
    if (server->access_log)
        sd_log_request(rq->method, rq->path, code, secs, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    request_free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&metrics.in_flight, 1);
}
