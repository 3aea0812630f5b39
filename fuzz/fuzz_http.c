/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the daemon's whole request path in process — the bytes
 * a client sends, parsed by libmicrohttpd and answered by motesokd's
 * handler (Host and token checks, routes, parameters, the search workers,
 * the JSON, HTML and CSV answers) over a socket pair, with the daemon's own
 * connection deadlines and worker pool. The input is what the client
 * writes before it closes its side; whatever it is, the daemon answers
 * with HTTP (or closes), never with 500, and within the time a hang is
 * allowed (20 s; the daemon's deadlines are 5 s). MOTESOK_FUZZ_INDEX names
 * an index to search (scripts/fuzz.sh builds one from the sample minutes);
 * without one, searches answer 503. FUZZ_HTTP_PRINT=1 prints each answer. */
#define _GNU_SOURCE /* memmem */
#include "sd_conn.h"
#include "sd_http.h"
#include "sd_pool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct MHD_Daemon *daemon_;
static sd_server srv;
static bool print_answers; /* FUZZ_HTTP_PRINT */

static size_t ask(const uint8_t *data, size_t size, int first_ms, char *buf, size_t cap);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN); /* the daemon may close before all is written */
    const char *index = getenv("MOTESOK_FUZZ_INDEX");
    srv.index_dir = index != NULL && *index != '\0' ? index : "/nonexistent/motesok-fuzz-index";
    srv.loopback_only = true;
    static const char *const hosts[] = {"motesok.example"};
    srv.hosts = hosts;
    srv.n_hosts = 1;
    sd_conn_limits limits = {.request_s = 5, .keepalive_s = 5, .waiting_max = 64};
    if (!sd_http_init(&srv) || !sd_pool_start(2, 64) || !sd_conn_start(&limits)) {
        perror("fuzz_http: start");
        abort();
    }
    daemon_ = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
            MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, sd_http_handle, &srv, MHD_OPTION_CONNECTION_LIMIT, 128u,
        MHD_OPTION_CONNECTION_TIMEOUT, 5u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
        MHD_OPTION_NOTIFY_COMPLETED, sd_http_completed, &srv, MHD_OPTION_NOTIFY_CONNECTION,
        sd_conn_notify, NULL, MHD_OPTION_UNESCAPE_CALLBACK, sd_http_unescape, NULL, MHD_OPTION_END);
    if (daemon_ == NULL) {
        fprintf(stderr, "fuzz_http: cannot start libmicrohttpd\n");
        abort();
    }
    print_answers = getenv("FUZZ_HTTP_PRINT") != NULL;
    /* One search now, answered whatever it takes: the language data load
     * here, not inside the first input (seconds under the sanitizers). */
    static const char warm[] = "GET /api/v1/search?q=legevakt HTTP/1.1\r\nHost: localhost\r\n\r\n";
    static char answer[4096];
    (void)ask((const uint8_t *)warm, sizeof warm - 1, 120000, answer, sizeof answer);
    return 0;
}

/* Write all of data to fd; false if the daemon closed first. */
static bool write_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n, size -= (size_t)n;
    }
    return true;
}

/* Read what the daemon answers on fd until it closes, into buf (cut at
 * cap - 1 bytes, NUL-terminated); abort if it neither answers nor closes
 * within 20 s (a hang: the connection deadlines are 5 s). */
static size_t read_answer(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, 20000);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            fprintf(stderr, "fuzz_http: no answer and no close within 20 s\n");
            abort();
        }
        char tmp[4096];
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t keep = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
        memcpy(buf + len, tmp, keep);
        len += keep;
    }
    buf[len] = '\0';
    return len;
}

/* Send data on a new connection and read the answer into buf (see
 * read_answer). The client's side closes once the answer begins, or after
 * first_ms when none comes and data holds a whole head (before that, at
 * once): libmicrohttpd drops a request still being worked on when its
 * client closes, and without the close an unfinished one would wait for
 * the daemon's deadline. The wait only decides how much of a slow search
 * is seen, never the verdict. */
static size_t ask(const uint8_t *data, size_t size, int first_ms, char *buf, size_t cap)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        abort();
    /* the client's address as the daemon sees it: loopback */
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000)};
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (MHD_add_connection(daemon_, sv[0], (const struct sockaddr *)&peer, sizeof peer) != MHD_YES)
        abort(); /* the daemon owns sv[0] from here, even on failure */
    (void)write_all(sv[1], data, size);
    struct pollfd first = {.fd = sv[1], .events = POLLIN};
    if (memmem(data, size, "\n\r\n", 3) != NULL || memmem(data, size, "\n\n", 2) != NULL)
        (void)poll(&first, 1, first_ms); /* only a whole head can start work */
    shutdown(sv[1], SHUT_WR);
    size_t len = read_answer(sv[1], buf, cap);
    close(sv[1]);
    if (print_answers) /* to look at the answers of a few inputs */
        fprintf(stderr, "%s\n----\n", buf);
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char answer[1 << 16];
    size_t len = ask(data, size, 250, answer, sizeof answer);
    /* The answer (the first, when several were asked for) is HTTP, and not
     * an internal error. */
    if (len > 0 && strncmp(answer, "HTTP/1.", 7) != 0) {
        fprintf(stderr, "fuzz_http: not an HTTP answer: %.60s\n", answer);
        abort();
    }
    if (len > 12 && strncmp(answer + 8, " 500", 4) == 0) {
        fprintf(stderr, "fuzz_http: an internal error answered: %.200s\n", answer);
        abort();
    }
    return 0;
}
