/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Extraction worker processes: the protocol, the worker loop and the
 * client that enforces time and memory limits (lib/extract/worker.h).
 *
 * Protocol, all integers in the machine's order (both ends are one program):
 *   request:  u32 path length, path bytes, u64 max_input, u64 max_text,
 *             u64 max_pages, u32 OCR mode, u32 OCR dpi, str OCR languages,
 *             u32 n, n × u32 pages whose OCR text the client has
 *   response: u32 status, str message, u32 kind, str mime, str charset,
 *             then when status is OK: u32 pages, str title (length
 *             0xFFFFFFFF for none), str encoding, i64 created, and the
 *             pages, each a str, written as they are extracted; a page's
 *             length 0xFFFFFFFF instead ends the answer early: u32 status,
 *             str message follow (the extraction failed on the way); a
 *             length 0xFFFFFFFE is followed by u32 how (MSK_PAGE_*) and
 *             says where the page after it came from (else the file's text)
 *   where str is u32 length + bytes. Before the status, any number of
 *   u32 0xFFFFFFFD, u32 microseconds may come: the worker finished a
 *   page's OCR, which took that long, and lives; each starts the time
 *   limit afresh, which so bounds a page's OCR, not a whole scanned
 *   book's, and their times add up to the text's ocr_seconds. The client
 *   reads the pages as it needs them (msk_worker_next_page): a worker
 *   sending a big text waits on the pipe, holding a page or two, until the
 *   indexer writes them. */
#define _GNU_SOURCE /* pipe2 */
#include "extract/worker.h"
#include "extract/extract_internal.h" /* msk_ocr_thread_end */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NO_STRING 0xFFFFFFFFu
#define PAGE_HOW 0xFFFFFFFEu
#define ALIVE 0xFFFFFFFDu
#define MAX_CACHED 1000000u
#define MALFORMED (-2) /* a read result: the answer breaks the protocol */
#define MAX_FIELD ((size_t)1 << 30)

extern char **environ;

struct msk_worker {
    pid_t pid;
    int to_child, from_child;
    msk_worker_limits lim;
    bool dead;
    size_t pages_left;  /* pages of the answer being read still to come */
};

/* ---- byte I/O ----------------------------------------------------------- */

/* Write all of buf to fd; false on error. */
static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Read exactly len bytes from fd before deadline (0: none). Returns 1 on
 * success, 0 on end of file or error, -1 when time ran out. */
static int read_all(int fd, void *buf, size_t len, double deadline)
{
    char *p = buf;
    while (len > 0) {
        if (deadline > 0) {
            double left = deadline - msk_now_s();
            if (left <= 0)
                return -1;
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            int r = poll(&pfd, 1, (int)(left * 1000) + 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r == 0)
                return -1;
            if (r < 0)
                return 0;
        }
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

/* Append a u32 / u64 / string to a buffer. */
static void put_u32(msk_buf *b, uint32_t v) { msk_buf_append(b, &v, sizeof v); }
static void put_u64(msk_buf *b, uint64_t v) { msk_buf_append(b, &v, sizeof v); }
static void put_str(msk_buf *b, const char *s, size_t len)
{
    if (s == NULL) {
        put_u32(b, NO_STRING);
        return;
    }
    put_u32(b, (uint32_t)len);
    msk_buf_append(b, s, len);
}

/* ---- the worker side ---------------------------------------------------- */

/* Write buffer b to fd and empty it; false on error. */
static bool flush_buf(int fd, msk_buf *b)
{
    bool ok = b->data != NULL && write_all(fd, b->data, b->len);
    b->len = 0;
    return ok;
}

/* Send the head of an answer: the outcome, the detection and, when the
 * extraction started, what is known before the pages (head). */
static bool send_head(int fd, motesok_status st, const motesok_error *err,
                      const motesok_detection *det, const motesok_text *head)
{
    msk_buf b = {0};
    put_u32(&b, (uint32_t)st);
    put_str(&b, err->message, strlen(err->message));
    put_u32(&b, (uint32_t)det->kind);
    put_str(&b, det->mime, strlen(det->mime));
    put_str(&b, det->charset, strlen(det->charset));
    if (st == MOTESOK_OK) {
        put_u32(&b, (uint32_t)head->n_pages);
        put_str(&b, head->title, head->title ? strlen(head->title) : 0);
        put_str(&b, head->encoding, head->encoding ? strlen(head->encoding) : 0);
        put_u64(&b, (uint64_t)head->created);
    }
    bool ok = flush_buf(fd, &b);
    msk_buf_free(&b);
    return ok;
}

/* Send one page, straight from where it is (no copy), after where it
 * came from when that is not the file's text. */
static bool send_page(int fd, const char *page, size_t len, int how)
{
    uint32_t n = (uint32_t)len;
    uint32_t mark[2] = {PAGE_HOW, (uint32_t)how};
    if (how != MSK_PAGE_TEXT && !write_all(fd, mark, sizeof mark))
        return false;
    return write_all(fd, &n, sizeof n) && write_all(fd, page, len);
}

/* End an answer early: the extraction failed on the way. */
static bool send_abort(int fd, motesok_status st, const motesok_error *err)
{
    msk_buf b = {0};
    put_u32(&b, NO_STRING);
    put_u32(&b, (uint32_t)st);
    put_str(&b, err->message, strlen(err->message));
    bool ok = flush_buf(fd, &b);
    msk_buf_free(&b);
    return ok;
}

/* msk_ocr.page_done of a worker: tell the client it lives, and how long
 * the page's OCR took (fd in ud). */
static void send_alive(void *ud, double seconds)
{
    double us = seconds > 0 ? seconds * 1e6 : 0;
    uint32_t v[2] = {ALIVE, us < 4e9 ? (uint32_t)us : 4000000000u};
    (void)write_all(*(int *)ud, v, sizeof v);
}

/* Extract path and answer on fd page by page; false on a write error. */
static bool answer_request(motesok_detector *d, const char *path,
                           const motesok_extract_limits *lim, const msk_ocr *ocr, int fd)
{
    motesok_error err;
    motesok_error_clear(&err);
    motesok_detection det = {0};
    msk_extraction *x = NULL;
    motesok_status st = motesok_detect_file(d, path, &det, &err);
    msk_ocr o = ocr != NULL ? *ocr : (msk_ocr){.mode = MOTESOK_OCR_NEVER};
    o.page_done = send_alive;
    o.page_done_ud = &fd;
    if (st == MOTESOK_OK)
        st = msk_extraction_open_ocr(path, &det, lim, &o, &x, &err);
    bool ok = send_head(fd, st, &err, &det, x ? msk_extraction_head(x) : NULL);
    size_t n = x ? msk_extraction_head(x)->n_pages : 0;
    for (size_t i = 0; ok && i < n; i++) {
        char *page = NULL;
        size_t len = 0;
        st = msk_extraction_next(x, &page, &len, &err);
        ok = st == MOTESOK_OK ? send_page(fd, page, len, msk_extraction_last_how(x))
                              : send_abort(fd, st, &err);
        free(page);
        if (st != MOTESOK_OK)
            break;
    }
    msk_extraction_close(x);
    return ok;
}

/* A request's OCR part: what msk_ocr points to. */
typedef struct ocr_req {
    msk_ocr ocr;
    char *langs;
    uint32_t *cached;
} ocr_req;

/* Read the OCR part of a request into r (free its fields after); false on
 * end of input or nonsense. */
static bool read_ocr(int fd, ocr_req *r)
{
    uint32_t v[2], n = 0;
    memset(r, 0, sizeof *r);
    if (read_all(fd, v, sizeof v, 0) != 1 || read_all(fd, &n, sizeof n, 0) != 1 || n > 256)
        return false;
    r->langs = malloc((size_t)n + 1);
    if (r->langs == NULL || read_all(fd, r->langs, n, 0) != 1)
        return false;
    r->langs[n] = '\0';
    if (read_all(fd, &n, sizeof n, 0) != 1 || n > MAX_CACHED)
        return false;
    r->cached = malloc(((size_t)n + 1) * sizeof *r->cached);
    if (r->cached == NULL || (n > 0 && read_all(fd, r->cached, (size_t)n * sizeof *r->cached, 0) != 1))
        return false;
    r->ocr.mode = v[0] <= MOTESOK_OCR_NEVER ? (motesok_ocr_mode)v[0] : MOTESOK_OCR_NEVER;
    r->ocr.dpi = v[1];
    r->ocr.languages = r->langs;
    r->ocr.cached = r->cached;
    r->ocr.n_cached = n;
    return true;
}

/* Read one request; false at end of input. */
static bool read_request(int fd, char **path, motesok_extract_limits *lim)
{
    uint32_t len = 0;
    if (read_all(fd, &len, sizeof len, 0) != 1 || len > MAX_FIELD)
        return false;
    *path = malloc((size_t)len + 1);
    if (*path == NULL || read_all(fd, *path, len, 0) != 1) {
        free(*path);
        return false;
    }
    (*path)[len] = '\0';
    uint64_t v[3];
    if (read_all(fd, v, sizeof v, 0) != 1) {
        free(*path);
        return false;
    }
    lim->max_input_bytes = (size_t)v[0];
    lim->max_text_bytes = (size_t)v[1];
    lim->max_pages = (size_t)v[2];
    return true;
}

/* Fault injection for the containment tests: MOTESOK_TEST_FAULT holds
 * "hang:NAME", "crash:NAME" or "hog:NAME" entries, comma-separated; a file
 * whose path contains NAME then makes this worker hang, crash, or allocate
 * until its memory limit stops it — what a hostile PDF can do to a PDF
 * library. Unset in normal use. */
static void inject_fault(const char *path)
{
    const char *spec = getenv("MOTESOK_TEST_FAULT");
    if (spec == NULL)
        return;
    static const char *const kinds[] = {"hang:", "crash:", "hog:"};
    for (const char *p = spec; *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        for (int k = 0; k < 3; k++) {
            size_t kl = strlen(kinds[k]);
            char name[256];
            if (len <= kl || strncmp(p, kinds[k], kl) != 0 || len - kl >= sizeof name)
                continue;
            memcpy(name, p + kl, len - kl);
            name[len - kl] = '\0';
            if (strstr(path, name) == NULL)
                continue;
            if (k == 0)
                for (;;)
                    pause();
            if (k == 1)
                raise(SIGSEGV);
            for (;;) { /* hog: like a decoder that never stops allocating */
                char *m = malloc(16 << 20);
                if (m == NULL)
                    abort();
                memset(m, 1, 16 << 20);
            }
        }
        p += len + (e != NULL);
    }
}

/* Serve requests from in_fd, answering on out_fd, until end of input. */
static int serve(int in_fd, int out_fd)
{
    motesok_detector *d = NULL;
    if (motesok_detector_open(&d, NULL) != MOTESOK_OK)
        return 1;
    char *path = NULL;
    motesok_extract_limits lim;
    while (read_request(in_fd, &path, &lim)) {
        ocr_req r;
        bool ok = read_ocr(in_fd, &r);
        if (ok) {
            inject_fault(path);
            ok = answer_request(d, path, &lim, &r.ocr, out_fd);
        }
        free(r.langs);
        free(r.cached);
        free(path);
        if (!ok)
            break;
    }
    motesok_detector_close(d);
    msk_ocr_thread_end();
    return 0;
}

/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory, so an address-space limit would kill every sanitized worker at
 * start; such builds rely on the time limit alone. */
#if defined(__SANITIZE_ADDRESS__)
#define MSK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MSK_ASAN 1
#endif
#endif

/* Limits of the worker process itself: address space, no core dumps, and
 * death with the parent. */
static void limit_self(size_t mem_mb)
{
#ifndef MSK_ASAN
    struct rlimit as = {(rlim_t)mem_mb << 20, (rlim_t)mem_mb << 20};
    setrlimit(RLIMIT_AS, &as);
#else
    (void)mem_mb;
#endif
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

int motesok_extract_worker_main(int argc, char **argv)
{
    long mem = argc > 2 ? strtol(argv[2], NULL, 10) : 2048;
    if (getppid() == 1)
        return 1; /* the parent is already gone */
    /* Stopping is the indexer's business: Ctrl-C, or a service manager's
     * SIGTERM to every process of the unit, must not kill a file in flight
     * and have it recorded as a crash. The worker ends when its input
     * closes, or by SIGKILL at a time or memory limit. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    limit_self(mem > 16 ? (size_t)mem : 2048);
    return serve(0, 1);
}

/* ---- the client side ---------------------------------------------------- */

/* The environment a worker starts with: the indexer's, plus
 * OMP_THREAD_LIMIT=1 unless it is set. The indexer already runs a worker
 * per job; Tesseract's OpenMP threads on top of them would oversubscribe
 * the cores, and OpenMP threads spin while they wait. The array is the
 * caller's to free (not its strings); environ itself when nothing is
 * added, NULL when out of memory. */
static char **worker_environ(void)
{
    if (getenv("OMP_THREAD_LIMIT") != NULL)
        return environ;
    size_t n = 0;
    while (environ[n] != NULL)
        n++;
    char **env = malloc((n + 2) * sizeof *env);
    if (env == NULL)
        return NULL;
    memcpy(env, environ, n * sizeof *env);
    env[n] = "OMP_THREAD_LIMIT=1";
    env[n + 1] = NULL;
    return env;
}

motesok_status msk_worker_start(const char *exe, const msk_worker_limits *lim,
                                msk_worker **out, motesok_error *err)
{
    *out = NULL;
    int in[2], outp[2];
    if (pipe2(in, O_CLOEXEC) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot create a pipe: %s", strerror(errno));
    if (pipe2(outp, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot create a pipe: %s", strerror(errno));
    }
    msk_worker *w = calloc(1, sizeof *w);
    if (w == NULL) {
        close(in[0]), close(in[1]), close(outp[0]), close(outp[1]);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    w->lim = lim ? *lim : (msk_worker_limits){0};
    if (w->lim.timeout_s <= 0)
        w->lim.timeout_s = 120;
    if (w->lim.max_memory_mb == 0)
        w->lim.max_memory_mb = 2048;
    char mem[32];
    snprintf(mem, sizeof mem, "%zu", w->lim.max_memory_mb);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    char *argv[] = {(char *)exe, "--extract-worker", mem, NULL};
    /* its own process group: the terminal's Ctrl-C goes to the indexer only */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    char **env = worker_environ();
    int rc = env != NULL ? posix_spawn(&w->pid, exe, &fa, &at, argv, env) : ENOMEM;
    if (env != environ)
        free(env);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(outp[1]);
    w->to_child = in[1];
    w->from_child = outp[0];
    if (rc != 0) {
        w->pid = 0;
        msk_worker_stop(w);
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot start extraction worker %s: %s", exe,
                             strerror(rc));
    }
    *out = w;
    return MOTESOK_OK;
}

void msk_worker_stop(msk_worker *w)
{
    if (w == NULL)
        return;
    if (w->to_child >= 0)
        close(w->to_child);
    if (w->from_child >= 0)
        close(w->from_child);
    if (w->pid > 0) {
        if (w->dead || w->pages_left > 0) /* one sending pages would wait for ever */
            kill(w->pid, SIGKILL);
        int status;
        while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    free(w);
}

pid_t msk_worker_pid(const msk_worker *w)
{
    return w != NULL ? w->pid : 0;
}

bool msk_worker_dead(const msk_worker *w)
{
    return w->dead;
}

/* Why the worker stopped answering: reap it and explain. */
static motesok_status worker_died(msk_worker *w, int how, motesok_error *err)
{
    w->dead = true;
    if (how == MALFORMED) { /* alive but confused: stop it */
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        w->pid = 0;
        return msk_error_set(err, MOTESOK_ERR_PARSE,
                             "the extractor's answer for this file was malformed");
    }
    if (how < 0) {
        kill(w->pid, SIGKILL);
        return msk_error_set(err, MOTESOK_ERR_TIMEOUT,
                             "extraction took longer than %.0f s and was stopped", w->lim.timeout_s);
    }
    int status = 0;
    pid_t r;
    do
        r = waitpid(w->pid, &status, 0);
    while (r < 0 && errno == EINTR);
    w->pid = 0;
    if (r > 0 && WIFSIGNALED(status))
        return msk_error_set(err, MOTESOK_ERR_PARSE,
                             "the extractor crashed on this file (signal %d: %s); memory limit %zu MiB",
                             WTERMSIG(status), strsignal(WTERMSIG(status)), w->lim.max_memory_mb);
    return msk_error_set(err, MOTESOK_ERR_PARSE, "the extractor stopped on this file (exit status %d)",
                         r > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Where an answer is read from: the worker's pipe before a deadline, or
 * bytes in memory (msk_worker_decode). */
typedef struct src {
    int fd;
    double dl;
    double timeout; /* seconds a deadline is set from */
    uint64_t ocr_us; /* microseconds of OCR the "alive" marks told */
    const unsigned char *p; /* NULL: read fd */
    size_t len, at;
} src;

/* Read n bytes from s into buf: 1 done, 0 end of data or error, -1 the
 * deadline passed (read_all's convention). */
static int src_read(src *s, void *buf, size_t n)
{
    if (s->p == NULL)
        return read_all(s->fd, buf, n, s->dl);
    if (s->len - s->at < n)
        return 0;
    memcpy(buf, s->p + s->at, n);
    s->at += n;
    return 1;
}

/* Read a u32 / string from the answer. */
static int get_u32(src *s, uint32_t *v)
{
    return src_read(s, v, sizeof *v);
}

/* Read the n bytes of a string whose length was read into *out (the
 * caller's, NUL-terminated) and *len (may be NULL). */
static int get_body(src *s, uint32_t n, char **out, size_t *len)
{
    if (n > MAX_FIELD || (s->p != NULL && n > s->len - s->at))
        return MALFORMED; /* never allocate for bytes that cannot come */
    *out = malloc((size_t)n + 1);
    if (*out == NULL)
        return MALFORMED;
    int r = src_read(s, *out, n);
    (*out)[n] = '\0';
    if (len != NULL)
        *len = n;
    return r;
}

static int get_str(src *s, char **out, size_t *len)
{
    uint32_t n = 0;
    int r = get_u32(s, &n);
    *out = NULL;
    if (r != 1 || n == NO_STRING)
        return r;
    return get_body(s, n, out, len);
}

/* Copy a received string into a fixed buffer and free it. */
static void take_fixed(char *dst, size_t cap, char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
    free(s);
}

/* Read what a successful answer says before its pages into a new text
 * with n_pages pages not read yet. */
static int read_head(src *s, motesok_text **out)
{
    uint32_t n = 0;
    int r = get_u32(s, &n);
    if (r != 1 || n > 1000000)
        return r == 1 ? MALFORMED : r;
    motesok_text *t = calloc(1, sizeof *t);
    if (t == NULL)
        return MALFORMED;
    t->pages = calloc(n ? n : 1, sizeof *t->pages);
    t->page_lens = calloc(n ? n : 1, sizeof *t->page_lens);
    t->n_pages = n;
    r = t->pages != NULL && t->page_lens != NULL ? get_str(s, &t->title, NULL) : MALFORMED;
    if (r == 1)
        r = get_str(s, &t->encoding, NULL);
    uint64_t created = 0;
    if (r == 1)
        r = src_read(s, &created, sizeof created);
    t->created = (int64_t)created;
    if (r != 1) {
        motesok_text_free(t);
        return r;
    }
    *out = t;
    return 1;
}

/* True if v is a status this library knows. */
static bool known_status(uint32_t v)
{
    switch (v) {
#define MOTESOK_X_CASE(name, num, msg) case num:
        MOTESOK_STATUS_LIST(MOTESOK_X_CASE)
#undef MOTESOK_X_CASE
        return true;
    default: return false;
    }
}

/* Read the head of an answer from s: its status into *status and message
 * into *msg (the caller frees it), the detection into det and, for OK,
 * the head of the text into *text. 1 done, 0 the pipe ended, -1 out of
 * time, MALFORMED an answer that breaks the protocol (a length past what
 * can come, a status or kind this library does not know). */
static int read_answer(src *s, uint32_t *status, char **msg, motesok_detection *det,
                       motesok_text **text)
{
    uint32_t kind = 0;
    char *mime = NULL, *cs = NULL;
    *msg = NULL;
    int r = get_u32(s, status);
    while (r == 1 && *status == ALIVE) { /* a page read by OCR: time afresh */
        uint32_t us = 0;
        if (s->p == NULL)
            s->dl = msk_now_s() + s->timeout;
        r = get_u32(s, &us);
        s->ocr_us += us;
        if (r == 1)
            r = get_u32(s, status);
    }
    if (r == 1)
        r = get_str(s, msg, NULL);
    if (r == 1)
        r = get_u32(s, &kind);
    if (r == 1)
        r = get_str(s, &mime, NULL);
    if (r == 1)
        r = get_str(s, &cs, NULL);
    if (r == 1 && (!known_status(*status) || kind > MOTESOK_KIND_EMPTY))
        r = MALFORMED;
    if (r == 1 && *status == MOTESOK_OK)
        r = read_head(s, text);
    if (r == 1 && *text != NULL)
        (*text)->ocr_seconds = (double)s->ocr_us / 1e6;
    det->kind = r == 1 ? (motesok_kind)kind : MOTESOK_KIND_UNSUPPORTED;
    take_fixed(det->mime, sizeof det->mime, mime);
    take_fixed(det->charset, sizeof det->charset, cs);
    return r;
}

#define ENDED_EARLY 2 /* a read result: the answer ended before this page */

/* Read the next page from s into *page (*len bytes, the caller's), or
 * the end of an answer cut short: ENDED_EARLY with its status (a failure)
 * and message (the caller's). Else read_all's results or MALFORMED. */
static int read_page(src *s, char **page, size_t *len, int *how, uint32_t *status, char **msg)
{
    uint32_t n = 0, h = MSK_PAGE_TEXT;
    int r = get_u32(s, &n);
    *page = NULL, *msg = NULL, *len = 0;
    if (r == 1 && n == PAGE_HOW) {
        r = get_u32(s, &h);
        if (r == 1 && (h == MSK_PAGE_TEXT || h > MSK_PAGE_OCR_CACHED))
            r = MALFORMED;
        if (r == 1)
            r = get_u32(s, &n);
        if (r == 1 && n == NO_STRING)
            r = MALFORMED; /* a mark before no page */
    }
    if (how != NULL)
        *how = (int)h;
    if (r == 1 && n != NO_STRING)
        return get_body(s, n, page, len);
    if (r == 1)
        r = get_u32(s, status);
    if (r == 1)
        r = get_str(s, msg, NULL);
    if (r == 1 && (!known_status(*status) || *status == MOTESOK_OK))
        r = MALFORMED;
    if (r != 1) {
        free(*msg);
        *msg = NULL;
    }
    return r == 1 ? ENDED_EARLY : r;
}

/* Read the pages of an answer whose head is *t from s into t; an answer
 * cut short frees *t and gives its status and message (replacing *msg).
 * read_answer's results. */
static int read_pages(src *s, motesok_text **t, uint32_t *status, char **msg)
{
    int r = 1;
    for (size_t i = 0; r == 1 && i < (*t)->n_pages; i++) {
        char *early = NULL;
        int how = MSK_PAGE_TEXT;
        r = read_page(s, &(*t)->pages[i], &(*t)->page_lens[i], &how, status, &early);
        if (r == 1 && how != MSK_PAGE_TEXT && (*t)->page_how == NULL &&
            ((*t)->page_how = calloc((*t)->n_pages, 1)) == NULL)
            r = MALFORMED;
        if (r == 1 && how != MSK_PAGE_TEXT)
            (*t)->page_how[i] = (unsigned char)how;
        (*t)->total_len += (*t)->page_lens[i];
        if (r == ENDED_EARLY) {
            free(*msg);
            *msg = early;
            r = 1;
            motesok_text_free(*t);
            *t = NULL;
            break;
        }
    }
    return r;
}

motesok_status msk_worker_decode(const void *buf, size_t len, motesok_detection *det,
                                 motesok_text **text, motesok_error *err)
{
    *text = NULL;
    memset(det, 0, sizeof *det);
    src s = {.fd = -1, .p = buf != NULL ? buf : (const void *)"", .len = buf != NULL ? len : 0};
    uint32_t status = 0;
    char *msg = NULL;
    int r = read_answer(&s, &status, &msg, det, text);
    if (r == 1 && *text != NULL)
        r = read_pages(&s, text, &status, &msg);
    if (r != 1 || s.at != s.len) { /* broken, or bytes after the answer */
        motesok_text_free(*text);
        *text = NULL;
        free(msg);
        return msk_error_set(err, MOTESOK_ERR_PARSE, "the extractor's answer is malformed");
    }
    motesok_status st = (motesok_status)status;
    if (st != MOTESOK_OK)
        msk_error_set(err, st, "%s", msg && *msg ? msg : motesok_strerror(st));
    free(msg);
    return st;
}

/* The failure an answer gave (status st, message msg, freed). */
static motesok_status answer_failed(motesok_status st, char *msg, motesok_error *err)
{
    msk_error_set(err, st, "%s", msg && *msg ? msg : motesok_strerror(st));
    free(msg);
    return st;
}

motesok_status msk_worker_open(msk_worker *w, const char *path, const motesok_extract_limits *lim,
                               const msk_ocr *ocr, motesok_detection *det, motesok_text **head,
                               motesok_error *err)
{
    *head = NULL;
    memset(det, 0, sizeof *det);
    if (w->pages_left > 0)
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "the worker is still sending a text");
    msk_buf req = {0};
    put_str(&req, path, strlen(path));
    put_u64(&req, lim ? lim->max_input_bytes : 0);
    put_u64(&req, lim ? lim->max_text_bytes : 0);
    put_u64(&req, lim ? lim->max_pages : 0);
    put_u32(&req, ocr ? (uint32_t)ocr->mode : (uint32_t)MOTESOK_OCR_NEVER);
    put_u32(&req, ocr ? ocr->dpi : 0);
    const char *langs = ocr && ocr->languages ? ocr->languages : "";
    put_str(&req, langs, strlen(langs));
    size_t nc = ocr && ocr->n_cached <= MAX_CACHED ? ocr->n_cached : 0;
    put_u32(&req, (uint32_t)nc);
    if (nc > 0)
        msk_buf_append(&req, ocr->cached, nc * sizeof *ocr->cached);
    bool sent = req.data != NULL && write_all(w->to_child, req.data, req.len);
    msk_buf_free(&req);
    if (!sent)
        return worker_died(w, 0, err);
    src s = {.fd = w->from_child, .dl = msk_now_s() + w->lim.timeout_s, .timeout = w->lim.timeout_s};
    uint32_t status = 0;
    char *msg = NULL;
    int r = read_answer(&s, &status, &msg, det, head);
    if (r != 1) {
        free(msg);
        return worker_died(w, r, err);
    }
    if (status != MOTESOK_OK)
        return answer_failed((motesok_status)status, msg, err);
    free(msg);
    w->pages_left = (*head)->n_pages;
    return MOTESOK_OK;
}

motesok_status msk_worker_next_page(msk_worker *w, char **page, size_t *len, int *how,
                                    motesok_error *err)
{
    *page = NULL;
    *len = 0;
    if (w->pages_left == 0)
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "no page left to read");
    src s = {.fd = w->from_child, .dl = msk_now_s() + w->lim.timeout_s};
    uint32_t status = 0;
    char *msg = NULL;
    int r = read_page(&s, page, len, how, &status, &msg);
    if (r == ENDED_EARLY) {
        w->pages_left = 0;
        return answer_failed((motesok_status)status, msg, err);
    }
    if (r != 1) {
        free(*page);
        *page = NULL;
        *len = 0;
        return worker_died(w, r, err);
    }
    w->pages_left--;
    return MOTESOK_OK;
}
