/* motesokd: serve search over an index directory on HTTP/JSON.
 * Life: options → listen → wait for SIGTERM/SIGINT → finish requests → exit 0. */
#include "sd_http.h"

#include <motesok/motesok.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define MAX_THREADS 64

static const char usage_text[] =
"Usage: motesokd [OPTIONS]\n"
"\n"
"Serve ranked search over a Møtesøk index on HTTP/JSON. New commits by\n"
"motesok-index are seen on the next request, without a restart. The daemon\n"
"starts even before the index exists and answers 503 until it does.\n"
"\n"
"Options:\n"
"  -i, --index DIR        index directory (default: $MOTESOK_INDEX, else\n"
"                         ./motesok-index)\n"
"  -l, --listen HOST:PORT address to listen on (default 127.0.0.1:7700);\n"
"                         IPv6 as [::1]:7700; port 0 picks a free port\n"
"  -t, --threads N        worker threads (default: number of CPUs, 1-64)\n"
"  -q, --quiet            no start-up line and no access log\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Endpoints:\n"
"  GET /api/v1/search?q=&limit=&offset=&from=&to=&organ=&decisions=1&sort=\n"
"  GET /api/v1/documents/ID      GET /api/v1/documents/ID/text?page=N\n"
"  GET /api/v1/status            GET /healthz     GET /metrics     GET /\n"
"\n"
"Signals: SIGTERM or SIGINT finish the requests in flight and exit 0.\n"
"Exit status: 0 after a clean shutdown, 1 if it cannot listen, 2 on usage errors.\n";

typedef struct sd_options {
    const char *index_dir;
    const char *listen;
    unsigned threads;
    bool quiet;
} sd_options;

static int signal_pipe[2] = {-1, -1};

/* SIGTERM/SIGINT: wake the main thread (async-signal-safe). */
static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t r = write(signal_pipe[1], &b, 1);
    (void)r;
    errno = saved;
}

/* Number of online CPUs within [1, MAX_THREADS]. */
static unsigned cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (unsigned)(n > MAX_THREADS ? MAX_THREADS : n);
}

/* Print a usage error and return the usage exit code. */
static int usage_error(const char *what, const char *value)
{
    fprintf(stderr, "motesokd: %s '%s'\nTry 'motesokd --help' for more information.\n", what, value);
    return EXIT_USAGE;
}

/* Parse the command line; -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, sd_options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("MOTESOK_INDEX");
    o->index_dir = env && *env ? env : "./motesok-index";
    o->listen = "127.0.0.1:7700";
    o->threads = cpu_count();
    for (;;) {
        int c = getopt_long(argc, argv, "i:l:t:qhV", longopts, NULL);
        if (c == -1)
            break;
        char *end = NULL;
        long n = 0;
        switch (c) {
        case 'i': o->index_dir = optarg; break;
        case 'l': o->listen = optarg; break;
        case 'q': o->quiet = true; break;
        case 't':
            n = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > MAX_THREADS)
                return usage_error("invalid --threads (1-64):", optarg);
            o->threads = (unsigned)n;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("motesokd %s\n", motesok_version()); return 0;
        default: fprintf(stderr, "Try 'motesokd --help' for more information.\n"); return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    return -1;
}

/* Resolve HOST:PORT or [V6]:PORT into *res (freeaddrinfo it); false if bad. */
static bool resolve_listen(const char *spec, struct addrinfo **res)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (colon == NULL || colon == spec || colon[1] == '\0')
        return false;
    size_t hl = (size_t)(colon - spec);
    const char *h = spec;
    if (spec[0] == '[') {
        if (hl < 3 || spec[hl - 1] != ']')
            return false;
        h = spec + 1;
        hl -= 2;
    }
    if (hl >= sizeof host)
        return false;
    memcpy(host, h, hl);
    host[hl] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 0 || port > 65535)
        return false;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    return getaddrinfo(host, colon + 1, &hints, res) == 0;
}

/* Start libmicrohttpd on addr; NULL (with errno) if it cannot listen. */
static struct MHD_Daemon *start(const sd_options *o, sd_server *srv, const struct addrinfo *ai)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    return MHD_start_daemon(flags, 0, NULL, NULL, sd_http_handle, srv,
                            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)o->threads,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
                            MHD_OPTION_NOTIFY_COMPLETED, sd_http_completed, srv,
                            MHD_OPTION_END);
}

/* Block until SIGTERM or SIGINT arrives. */
static void wait_for_signal(void)
{
    unsigned char b;
    for (;;) {
        ssize_t r = read(signal_pipe[0], &b, 1);
        if (r == 1 || (r < 0 && errno != EINTR))
            return;
    }
}

/* Route SIGTERM/SIGINT to the self-pipe and ignore SIGPIPE. */
static bool setup_signals(void)
{
    if (pipe(signal_pipe) != 0)
        return false;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return true;
}

int main(int argc, char **argv)
{
    sd_options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct addrinfo *ai = NULL;
    if (!resolve_listen(o.listen, &ai))
        return usage_error("invalid --listen (expected HOST:PORT):", o.listen);
    if (!setup_signals()) {
        freeaddrinfo(ai);
        fprintf(stderr, "motesokd: cannot set up signal handling: %s\n", strerror(errno));
        return 1;
    }
    sd_server srv = {.index_dir = o.index_dir, .access_log = !o.quiet};
    sd_http_init(&srv);
    struct MHD_Daemon *d = start(&o, &srv, ai);
    freeaddrinfo(ai);
    if (d == NULL) {
        fprintf(stderr, "motesokd: cannot listen on %s: %s\n", o.listen,
                errno ? strerror(errno) : "address in use or not available");
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (!o.quiet) {
        char shown[300];
        snprintf(shown, sizeof shown, "%.*s:%u", (int)(strrchr(o.listen, ':') - o.listen), o.listen,
                 info ? info->port : 0);
        fprintf(stderr, "motesokd: serving %s on http://%s (%u threads)\n", o.index_dir, shown,
                o.threads);
    }
    wait_for_signal();
    if (!o.quiet)
        fprintf(stderr, "motesokd: shutting down\n");
    MHD_quiesce_daemon(d);
    MHD_stop_daemon(d);
    return 0;
}
