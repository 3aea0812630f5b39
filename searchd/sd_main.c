/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: serve search over an index directory on HTTP/JSON.
 * Life: options → resolve the address → block signals → listen → wait for
 * SIGTERM/SIGINT → stop accepting → let requests in flight finish → exit 0. */
#include "sd_conn.h"
#include "sd_http.h"
#include "sd_log.h"
#include "sd_pool.h"

#include <motesok/motesok.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_LISTEN 1
#define MAX_THREADS 64
#define DEFAULT_LISTEN "127.0.0.1:7700"
#define DEFAULT_INDEX "./motesok-index"
#define DEFAULT_QUEUE 64
#define DEFAULT_REQUEST_S 5
#define DEFAULT_KEEPALIVE_S 10
#define DEFAULT_PER_CLIENT 64 /* when not on loopback */
#define CONNECTION_LIMIT 1024 /* lowered to fit the open-file limit */
#define SPARE_FILES 64u       /* descriptors kept for the index and the log */
#define IDLE_MIN_S 10         /* no byte moved this long: closed */
#define IO_THREADS 2u         /* libmicrohttpd's threads, which only move bytes */
#define WAITING_MAX 256       /* connections without a whole request */
#define CONNECTION_MEMORY 65536u
#define DRAIN_LIMIT_S 30
#define MAX_HOSTS 16
#define MIN_TOKEN 16
#define STR_(x) #x
#define STR(x) STR_(x) /* a number macro as a string, for the help text */

static const char usage_text[] =
"NAME\n"
"    motesokd - serve ranked search over a Møtesøk index on HTTP/JSON\n"
"\n"
"SYNOPSIS\n"
"    motesokd [--index DIR] [--listen HOST:PORT [--allow-remote]] [--host NAME]\n"
"             [--token-file FILE] [--threads N] [--queue N] [--request-timeout S]\n"
"             [--keepalive-timeout S] [--max-per-client N] [--show-paths]\n"
"             [--access-log FILE] [--quiet] [--verbose] [--help] [--version]\n"
"\n"
"DESCRIPTION\n"
"    motesokd answers searches over the index that motesok-index builds.\n"
"    Each search thread keeps its own read handles; a new commit by\n"
"    motesok-index is seen on the next request, without a restart. The\n"
"    daemon also starts before the index exists and answers 503\n"
"    (index_unavailable) until it does.\n"
"\n"
"    The search page at / (and /sok) is rendered on the server and needs no\n"
"    JavaScript: /sok?q=&organ=&kommune=&from=&to=&sort=date&page=N. Each\n"
"    hit opens /dokument/ID (the meeting, its cases and its text with the\n"
"    query's words marked), and /dokument/ID/original serves the file the\n"
"    index holds for ID (a PDF opens at the hit's page with #page=N).\n"
"\n"
"    Two threads read requests and write answers; they answer /healthz,\n"
"    /metrics and the search page themselves, so these stay quick while\n"
"    searches run. Searches and document reads wait in a queue for one of\n"
"    the --threads search threads. A search whose query has a wildcard on\n"
"    fewer than 3 letters (a*), more than 4 wildcards or more than 256\n"
"    bytes, or that asks for an exact total, waits in a second queue,\n"
"    and at most N-1 search threads (at least 1) run such\n"
"    searches at once: with 2 threads or more, a plain search never waits\n"
"    behind costly ones. A full queue answers 503 (overloaded) with\n"
"    Retry-After: 1 at once.\n"
"\n"
"    Connections are kept alive and pipelined requests are answered in\n"
"    order. A connection must send a whole request (head and any body)\n"
"    within --request-timeout seconds of connecting, and each next one\n"
"    within --keepalive-timeout seconds of the previous answer, however\n"
"    slowly it trickles bytes meanwhile; else it is closed. When more than\n"
"    " STR(WAITING_MAX) " connections are waiting so, the one that has waited longest is\n"
"    closed, so that clients holding sockets open cannot keep others out.\n"
"    A connection that moves no byte for " STR(IDLE_MIN_S) " seconds (or the longer of the\n"
"    two timeouts) is closed. At most " STR(CONNECTION_LIMIT) " connections are open at once,\n"
"    fewer if the open-file limit is lower.\n"
"\n"
"OPTIONS\n"
"    -i, --index DIR\n"
"        Index directory (default: $MOTESOK_INDEX, else " DEFAULT_INDEX ").\n"
"    -l, --listen HOST:PORT\n"
"        Address to listen on (default " DEFAULT_LISTEN "). Write IPv6\n"
"        addresses in brackets, e.g. [::1]:7700. Port 0 picks a free port.\n"
"        Only a loopback address (127.0.0.1, [::1]) is accepted unless\n"
"        --allow-remote is given; a loopback daemon answers only requests\n"
"        whose Host header names this machine (421 otherwise), so that a web\n"
"        page elsewhere cannot reach it through DNS rebinding.\n"
"        --allow-remote\n"
"        Allow a --listen address other machines can reach. Everything\n"
"        the index holds is then open to anyone who can connect: put the\n"
"        daemon behind a reverse proxy that authenticates, or on a network\n"
"        where every reader may see every document, or give --token-file.\n"
"        The daemon never changes the index: it is read-only by design.\n"
"    --token-file FILE\n"
"        Want a secret token with every API request: the first line of FILE\n"
"        (at least 16 characters; keep FILE readable by the daemon's user\n"
"        only), sent as \"Authorization: Bearer TOKEN\". Requests without it\n"
"        get 401 unauthorized. The pages want it too, as that header or as\n"
"        the cookie motesok_token (percent-encoded), which the page sets when\n"
"        opened as http://HOST:PORT/#token=TOKEN; the empty search form,\n"
"        /sok.js and /healthz need none.\n"
"    --host NAME\n"
"        Also answer requests whose Host header is NAME (any port); may be\n"
"        given up to " STR(MAX_HOSTS) " times. With any --host, a daemon that other machines\n"
"        can reach answers only those names (421 otherwise), which stops\n"
"        DNS rebinding to it as well; a loopback daemon still answers\n"
"        localhost.\n"
"    -t, --threads N\n"
"        Search threads, 1 to 64 (default: the number of online CPUs).\n"
"    --queue N\n"
"        Requests that may wait for a search thread, in each of the two\n"
"        queues, 1 to 100000 (default " STR(DEFAULT_QUEUE) ").\n"
"    --request-timeout S\n"
"        Seconds a new connection has to send its whole first request, 1 to\n"
"        3600 (default " STR(DEFAULT_REQUEST_S) ").\n"
"    --keepalive-timeout S\n"
"        Seconds a kept-alive connection has, after an answer, to send its\n"
"        whole next request, 1 to 3600 (default " STR(DEFAULT_KEEPALIVE_S) ").\n"
"    --max-per-client N\n"
"        Connections one client address may hold open, 0 to 100000; 0 is no\n"
"        cap. Default: no cap on a loopback address, where every client (a\n"
"        reverse proxy too) has the same address; else " STR(DEFAULT_PER_CLIENT) ". A client past\n"
"        the cap has its new connection closed at once.\n"
"    --show-paths\n"
"        Show each file's path on the server in the search page and the\n"
"        document view (default: not shown, for public use; the API's\n"
"        JSON has them always).\n"
"    -a, --access-log FILE\n"
"        Append the access log to FILE instead of stderr: one JSON object\n"
"        per request with ts, method, path, status, ms and aborted. SIGHUP\n"
"        reopens FILE, for log rotation.\n"
"    -q, --quiet\n"
"        No start-up line and no access log.\n"
"    -v, --verbose\n"
"        Also log libmicrohttpd's own errors on stderr.\n"
"    -h, --help\n"
"        Show this help and exit.\n"
"    -V, --version\n"
"        Show the version and exit.\n"
"\n"
"ENDPOINTS (GET and HEAD)\n"
"    /api/v1/search?q=&limit=&offset=&from=&to=&organ=&kommune=&decisions=&exact=&sort=&format=\n"
"        q is required (may be empty); limit 1-1000 (10); offset 0-100000;\n"
"        format json (default) or csv; each parameter at most once;\n"
"        from/to YYYY-MM-DD, YYYY-MM or YYYY; decisions 1|0|true|false; sort relevance|date.\n"
"    /api/v1/documents/ID          metadata and cases of a document\n"
"    /api/v1/documents/ID/text?page=N\n"
"                                  text of page N (0 or none: all pages)\n"
"    /api/v1/status                counts, failures and size of the index\n"
"    /api/v1/failures?offset=&limit=  the files that could not be indexed\n"
"    /api/v1/openapi.json          this API as an OpenAPI 3 document\n"
"    /healthz                      200 while running; says if the index opens\n"
"    /metrics                      Prometheus text format\n"
"    /                             a small search page\n"
"    Errors are JSON {\"error\":{\"code\",\"message\"}}: bad_request (400),\n"
"    unauthorized (401, with --token-file), not_found (404),\n"
"    method_not_allowed (405), misdirected_request (421),\n"
"    internal (500),\n"
"    index_unavailable, timeout or overloaded (503; overloaded comes with\n"
"    Retry-After).\n"
"\n"
"ENVIRONMENT\n"
"    MOTESOK_INDEX    index directory when --index is not given\n"
"\n"
"SIGNALS\n"
"    SIGTERM, SIGINT  stop accepting connections, finish the requests in\n"
"                     flight (after 30 s, those still queued are answered\n"
"                     503 overloaded), exit 0.\n"
"    SIGHUP           reopen the --access-log file.\n"
"\n"
"EXIT STATUS\n"
"    0  clean shutdown (or --help, --version)\n"
"    1  cannot listen on the address, or cannot start\n"
"    2  usage error\n"
"\n"
"EXAMPLES\n"
"    motesokd --index /srv/motesok-index\n"
"    motesokd --listen [::1]:8080 --threads 4\n"
"    curl 'http://127.0.0.1:7700/api/v1/search?q=legevakt&from=2018-01-01'\n";

typedef struct sd_options {
    const char *index_dir;
    const char *listen;
    unsigned threads;
    unsigned queue;       /* waiting requests per lane */
    unsigned request_s;   /* a new connection's deadline for its request */
    unsigned keepalive_s; /* an answered connection's deadline for the next */
    unsigned per_client;  /* connections per client address; 0: no cap */
    bool per_client_set;
    bool quiet;
    bool verbose;
    const char *access_log; /* NULL: stderr */
    bool allow_remote;
    const char *token_file; /* NULL: no token */
    bool show_paths;        /* the pages show server paths */
    char host_names[MAX_HOSTS][256]; /* --host names, lower case */
    const char *hosts[MAX_HOSTS];    /* pointers to them */
    size_t n_hosts;
} sd_options;

/* ======================================================================== */
/* options                                                                  */
/* ======================================================================== */

/* Number of online CPUs within [1, MAX_THREADS]. */
static unsigned cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (unsigned)(n > MAX_THREADS ? MAX_THREADS : n);
}

/* Print a usage error naming the bad value; returns the usage exit code. */
static int usage_error(const char *what, const char *value)
{
    fprintf(stderr, "motesokd: %s '%s'\nTry 'motesokd --help' for more information.\n", what,
            value);
    return EXIT_USAGE;
}

/* The numeric options: name, bounds and target field. */
static const struct num_option {
    int key;
    const char *name;
    unsigned min, max;
    size_t field;
} num_options[] = {
    {'t', "threads", 1, MAX_THREADS, offsetof(sd_options, threads)},
    {'Q', "queue", 1, 100000, offsetof(sd_options, queue)},
    {'T', "request-timeout", 1, 3600, offsetof(sd_options, request_s)},
    {'K', "keepalive-timeout", 1, 3600, offsetof(sd_options, keepalive_s)},
    {'P', "max-per-client", 0, 100000, offsetof(sd_options, per_client)},
};

/* Parse s as a whole number in [min, max]; false if it is not one. */
static bool parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    long n = s[0] >= '0' && s[0] <= '9' ? strtol(s, &end, 10) : -1;
    if (end == NULL || *end != '\0' || errno != 0 || n < (long)min || n > (long)max)
        return false;
    *out = (unsigned)n;
    return true;
}

/* Set the numeric option key from value; -1 if key is not one, 0 if it
 * is and value is good, else the usage exit code. */
static int parse_num_option(int key, const char *value, sd_options *o)
{
    for (size_t i = 0; i < sizeof num_options / sizeof *num_options; i++) {
        const struct num_option *n = &num_options[i];
        if (n->key != key)
            continue;
        if (parse_uint(value, n->min, n->max, (unsigned *)(void *)((char *)o + n->field))) {
            o->per_client_set |= key == 'P';
            return 0;
        }
        char what[96];
        snprintf(what, sizeof what, "invalid --%s (expected %u to %u):", n->name, n->min, n->max);
        return usage_error(what, value);
    }
    return -1;
}

/* Read the token: the first line of path, without its line end, into
 * out[cap]; false with a message on stderr if it cannot be read or is
 * shorter than MIN_TOKEN. */
static bool read_token(const char *path, char *out, size_t cap)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "motesokd: cannot read --token-file %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = fgets(out, (int)cap, fp) != NULL;
    fclose(fp);
    out[ok ? strcspn(out, "\r\n") : 0] = '\0';
    size_t n = strlen(out);
    bool printable = true;
    for (size_t i = 0; i < n; i++)
        printable = printable && out[i] > ' ' && out[i] < 0x7f;
    if (n < MIN_TOKEN || !printable) {
        fprintf(stderr, "motesokd: --token-file %s: the token must be one line of at least %d "
                        "printable characters, without spaces\n", path, MIN_TOKEN);
        return false;
    }
    return true;
}

/* Parse the command line into o; -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, sd_options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},   {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {"access-log", required_argument, NULL, 'a'},
        {"allow-remote", no_argument, NULL, 'R'},  {"queue", required_argument, NULL, 'Q'},
        {"request-timeout", required_argument, NULL, 'T'},
        {"keepalive-timeout", required_argument, NULL, 'K'},
        {"max-per-client", required_argument, NULL, 'P'},
        {"token-file", required_argument, NULL, 'k'}, {"host", required_argument, NULL, 'H'},
        {"show-paths", no_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("MOTESOK_INDEX");
    *o = (sd_options){.index_dir = env && *env ? env : DEFAULT_INDEX, .listen = DEFAULT_LISTEN,
                      .threads = cpu_count(), .queue = DEFAULT_QUEUE,
                      .request_s = DEFAULT_REQUEST_S, .keepalive_s = DEFAULT_KEEPALIVE_S};
    for (;;) {
        int c = getopt_long(argc, argv, "i:l:t:a:qvhVR", longopts, NULL);
        if (c == -1)
            break;
        int rc = parse_num_option(c, optarg, o);
        if (rc >= 0) {
            if (rc > 0)
                return rc;
            continue;
        }
        switch (c) {
        case 'i': o->index_dir = optarg; break;
        case 'l': o->listen = optarg; break;
        case 'q': o->quiet = true; break;
        case 'v': o->verbose = true; break;
        case 'a': o->access_log = optarg; break;
        case 'R': o->allow_remote = true; break;
        case 'k': o->token_file = optarg; break;
        case 'S': o->show_paths = true; break;
        case 'H': {
            size_t n = strlen(optarg);
            if (n == 0 || n > 253 || strpbrk(optarg, " /:@") != NULL || o->n_hosts == MAX_HOSTS)
                return usage_error(o->n_hosts == MAX_HOSTS ? "too many --host names at" : "invalid --host",
                                   optarg);
            char *h = o->host_names[o->n_hosts];
            snprintf(h, sizeof o->host_names[0], "%s", optarg);
            for (char *p = h; *p != '\0'; p++)
                *p = (char)tolower((unsigned char)*p);
            if (n > 1 && h[n - 1] == '.')
                h[n - 1] = '\0';
            o->hosts[o->n_hosts++] = h;
            break;
        }
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("motesokd %s\n", motesok_version()); return 0;
        default:
            fprintf(stderr, "Try 'motesokd --help' for more information.\n");
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (*o->index_dir == '\0')
        return usage_error("invalid --index:", o->index_dir);
    return -1;
}

/* Split HOST:PORT or [V6]:PORT into host[cap] and *port; false if bad. */
static bool split_listen(const char *spec, char *host, size_t cap, const char **port)
{
    const char *colon = strrchr(spec, ':');
    if (colon == NULL || colon == spec || colon[1] == '\0')
        return false;
    const char *h = spec;
    size_t hl = (size_t)(colon - spec);
    if (spec[0] == '[') {
        if (hl < 3 || spec[hl - 1] != ']')
            return false;
        h = spec + 1;
        hl -= 2;
    } else if (memchr(spec, ']', hl) != NULL) {
        return false;
    }
    if (hl == 0 || hl >= cap)
        return false;
    memcpy(host, h, hl);
    host[hl] = '\0';
    for (const char *p = colon + 1; *p != '\0'; p++)
        if (*p < '0' || *p > '9')
            return false;
    if (strlen(colon + 1) > 5 || atol(colon + 1) > 65535)
        return false;
    *port = colon + 1;
    return true;
}

/* True if every address in ai is a loopback address (127.0.0.0/8, ::1). */
static bool loopback_address(const struct addrinfo *ai)
{
    for (; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)ai->ai_addr;
            if ((ntohl(in->sin_addr.s_addr) >> 24) != 127)
                return false;
        } else if (ai->ai_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)ai->ai_addr;
            if (!IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
                return false;
        } else {
            return false;
        }
    }
    return true;
}

/* Resolve a --listen spec into *res (freeaddrinfo it); false if bad. */
static bool resolve_listen(const char *spec, struct addrinfo **res)
{
    char host[256];
    const char *port = NULL;
    if (!split_listen(spec, host, sizeof host, &port))
        return false;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    return getaddrinfo(host, port, &hints, res) == 0;
}

/* ======================================================================== */
/* serving                                                                  */
/* ======================================================================== */

/* Block SIGTERM, SIGINT in this thread and so in every thread started
 * after (they are taken with sigwait), and ignore SIGPIPE. */
static bool block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
    signal(SIGPIPE, SIG_IGN);
    return pthread_sigmask(SIG_BLOCK, set, NULL) == 0;
}

/* The most connections the open-file limit allows, raising its soft
 * value towards the hard one if need be. */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 256;
    rlim_t want = CONNECTION_LIMIT + SPARE_FILES;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
        return CONNECTION_LIMIT;
    return rl.rlim_cur > 2 * SPARE_FILES ? (unsigned)(rl.rlim_cur - SPARE_FILES) : SPARE_FILES;
}

/* Start libmicrohttpd on ai: IO_THREADS threads that read requests and
 * write answers, with the options' connection limits; NULL if it cannot
 * listen. */
static struct MHD_Daemon *start(const sd_options *o, sd_server *srv, const struct addrinfo *ai)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME;
    if (o->verbose)
        flags |= MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned idle = IDLE_MIN_S;
    idle = o->request_s > idle ? o->request_s : idle;
    idle = o->keepalive_s > idle ? o->keepalive_s : idle;
    return MHD_start_daemon(flags, 0, NULL, NULL, sd_http_handle, srv,
                            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)IO_THREADS,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned int)connection_limit(),
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)o->per_client,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)idle,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
                            MHD_OPTION_NOTIFY_COMPLETED, sd_http_completed, srv,
                            MHD_OPTION_NOTIFY_CONNECTION, sd_conn_notify, NULL,
                            MHD_OPTION_UNESCAPE_CALLBACK, sd_http_unescape, NULL,
                            MHD_OPTION_END);
}

/* Start the search workers and the connection deadlines; false (with
 * errno) if a thread cannot be started. */
static bool start_workers(const sd_options *o)
{
    sd_conn_limits limits = {.request_s = o->request_s, .keepalive_s = o->keepalive_s,
                             .waiting_max = WAITING_MAX};
    if (!sd_pool_start(o->threads, o->queue))
        return false;
    if (sd_conn_start(&limits))
        return true;
    int e = errno;
    sd_pool_stop();
    errno = e;
    return false;
}

/* Print the start-up line with the port actually bound. */
static void announce(const sd_options *o, struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int host_len = (int)(strrchr(o->listen, ':') - o->listen);
    fprintf(stderr, "motesokd: serving %s on http://%.*s:%u (%u search threads)\n",
            o->index_dir, host_len, o->listen, info ? (unsigned)info->port : 0u, o->threads);
}

/* Block until SIGTERM or SIGINT arrives, reopening the access log on each
 * SIGHUP meanwhile; returns the signal. */
static int wait_for_signal(const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            return sig;
        if (!sd_log_reopen())
            fprintf(stderr, "motesokd: SIGHUP: cannot reopen the access log: %s\n", strerror(errno));
    }
}

/* Stop accepting, wait (bounded) for requests in flight, answer those
 * still waiting for a worker 503 and let running ones finish, stop the
 * daemon. */
static void shut_down(struct MHD_Daemon *d)
{
    MHD_socket listen_fd = MHD_quiesce_daemon(d);
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (int i = 0; i < DRAIN_LIMIT_S * 100 && sd_http_in_flight() > 0; i++)
        nanosleep(&tick, NULL);
    sd_pool_stop(); /* no connection is suspended after this */
    MHD_stop_daemon(d);
    sd_conn_stop();
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
}

int main(int argc, char **argv)
{
    sd_options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct addrinfo *ai = NULL;
    if (!resolve_listen(o.listen, &ai))
        return usage_error("invalid --listen (expected HOST:PORT or [IPv6]:PORT):", o.listen);
    bool loopback = loopback_address(ai);
    if (!loopback && !o.allow_remote) {
        freeaddrinfo(ai);
        fprintf(stderr,
                "motesokd: refusing to listen on %s, which other machines can reach: every "
                "document in the index would be open to them. Give --allow-remote to do it "
                "anyway (see motesokd --help).\n",
                o.listen);
        return EXIT_USAGE;
    }
    if (!o.per_client_set)
        o.per_client = loopback ? 0 : DEFAULT_PER_CLIENT;
    sigset_t set;
    static char token[512];
    if (o.token_file != NULL && !read_token(o.token_file, token, sizeof token)) {
        freeaddrinfo(ai);
        return EXIT_USAGE;
    }
    if (!loopback && o.token_file == NULL && !o.quiet)
        fprintf(stderr, "motesokd: warning: listening on %s without --token-file: anyone who can "
                        "connect can read every document in the index\n", o.listen);
    sd_server srv = {.index_dir = o.index_dir, .access_log = !o.quiet, .loopback_only = loopback,
                     .hosts = o.hosts, .n_hosts = o.n_hosts,
                     .token = o.token_file != NULL ? token : NULL,
                     .show_paths = o.show_paths};
    if (!o.quiet && !sd_log_open(o.access_log)) {
        freeaddrinfo(ai);
        fprintf(stderr, "motesokd: cannot open access log %s: %s\n", o.access_log, strerror(errno));
        return EXIT_LISTEN;
    }
    if (!block_signals(&set) || !sd_http_init(&srv)) {
        freeaddrinfo(ai);
        fprintf(stderr, "motesokd: cannot start: %s\n", strerror(errno));
        return EXIT_LISTEN;
    }
    /* Load the language data before the first request, and say what is missing. */
    for (const char *w = motesok_analysis_warnings(); *w != '\0';) {
        size_t n = strcspn(w, "\n");
        fprintf(stderr, "motesokd: warning: %.*s\n", (int)n, w);
        w += n + (w[n] == '\n');
    }
    if (!start_workers(&o)) {
        freeaddrinfo(ai);
        fprintf(stderr, "motesokd: cannot start the workers: %s\n", strerror(errno));
        sd_http_cleanup();
        return EXIT_LISTEN;
    }
    errno = 0;
    struct MHD_Daemon *d = start(&o, &srv, ai);
    freeaddrinfo(ai);
    if (d == NULL) {
        fprintf(stderr, "motesokd: cannot listen on %s: %s\n", o.listen,
                errno ? strerror(errno) : "address in use or not available");
        sd_pool_stop();
        sd_conn_stop();
        sd_http_cleanup();
        return EXIT_LISTEN;
    }
    if (!o.quiet)
        announce(&o, d);
    int sig = wait_for_signal(&set);
    if (!o.quiet)
        fprintf(stderr, "motesokd: %s, finishing requests and stopping\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
    shut_down(d);
    sd_http_cleanup();
    sd_log_close();
    return 0;
}
