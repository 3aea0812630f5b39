/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-index: index minutes under the given folders.
 * Pipeline: options → open index → walk → prepare/extract/write (workers)
 * → remove what vanished → final commit → summary and exit status. */
#include "idx_progress.h"
#include "idx_walk.h"
#include "term.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_FILES_FAILED 1
#define EXIT_USAGE 2
#define EXIT_ROOT_EMPTY 3 /* a folder given is missing or empty but the index holds its files */
#define MAX_JOBS 256

static const char usage_text[] =
"Usage: motesok-index [OPTIONS] PATH...\n"
"\n"
"Index the meeting minutes (PDF and plain text) in the files and folders\n"
"given, into the Møtesøk index that motesokd serves.\n"
"\n"
"Indexing is incremental: files whose size and modification time are\n"
"unchanged since the last run are skipped, changed files are indexed again,\n"
"and files that vanished from under PATH are removed from the index. File\n"
"types are recognised by content, not by name. A file that cannot be read\n"
"or parsed is recorded with its reason and skipped; the run goes on, and an\n"
"unchanged failed file is not tried again (see --retry-failed). Folders are\n"
"walked in name order; names starting with '.' are skipped; symbolic links\n"
"are followed, but never into a loop. Text is extracted in worker processes\n"
"with a time and a memory limit, so a file that hangs or crashes the PDF\n"
"library is recorded as failed and costs at most its limits.\n"
"\n"
"Options:\n"
"  -i, --index DIR      index directory (default: $MOTESOK_INDEX, else\n"
"                       ./motesok-index); created if missing\n"
"  -j, --jobs N         extract with N threads (default: number of CPUs)\n"
"  -q, --quiet          no progress line or summary; failures are still\n"
"                       reported on standard error\n"
"      --retry-failed   try files that failed before even if unchanged\n"
"      --max-file-mb N  refuse files larger than N MiB (default: 256 for PDF,\n"
"                       32 for plain text)\n"
"      --max-text-mb N  refuse files yielding more than N MiB of text\n"
"                       (default 32). Text of more than 4 MiB is cut into\n"
"                       pages of about 256 KiB, read and indexed page by\n"
"                       page: memory does not grow with the text's size\n"
"      --batch N        commit every N changed files (default 200)\n"
"      --timeout SECS   give up on a file whose extraction takes longer\n"
"                       (default 120)\n"
"      --max-memory-mb N  memory an extraction may use (default 2048)\n"
"      --shards N       split the index into N Xapian databases, each written\n"
"                       by a thread of its own (1-64; default: as the index\n"
"                       has, else one per CPU). Another count lays the index\n"
"                       out anew and indexes every file again\n"
"      --compact        compact the index after the run, however little\n"
"                       changed (by default it is compacted after a run that\n"
"                       wrote or deleted at least a quarter of its documents,\n"
"                       such as the first build)\n"
"      --no-compact     never compact (a fresh build then stays about 1.5x as\n"
"                       large; compacting later works with --compact)\n"
"      --allow-empty    let a PATH that is missing or holds no file remove\n"
"                       what the index holds from it (without it, such a run\n"
"                       changes nothing and exits 3: an unmounted or emptied\n"
"                       folder must not empty the index)\n"
"      --ocr=MODE       read PDF pages by OCR (Tesseract): auto (default) the\n"
"                       pages with no text but an image, or whose text layer\n"
"                       is damaged\n"
"                       (private-use glyphs, few letters, few dictionary\n"
"                       words); always every page; never. OCR text is kept\n"
"                       in the index by the file's content: a file renamed,\n"
"                       copied or indexed again is not read by OCR again;\n"
"                       --timeout starts afresh after each page's OCR. The\n"
"                       summary counts the pages read by OCR, the cache's,\n"
"                       and the OCR time in all and a page\n"
"      --ocr-dpi N      render pages for OCR at N dpi (50-1200, default 300)\n"
"      --ocr-languages L  Tesseract's languages, joined by '+' (default\n"
"                       nor+eng); a language whose data is not installed is\n"
"                       a usage error (Debian: tesseract-ocr-LANG)\n"
"      --in-process     extract inside the indexer instead of in worker\n"
"                       processes (faster to debug; a hostile file can then\n"
"                       take the whole run down)\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status:\n"
"  0  every file was indexed or skipped as unchanged\n"
"  1  some files failed or are not minutes (PDF/text); the rest is indexed\n"
"  2  usage error (a PATH that does not exist and of which the index holds\n"
"     nothing), or a fatal error with the index itself\n"
"  3  a PATH is missing, or holds no file to index, while the index holds\n"
"     files from it (not mounted? emptied?): nothing was indexed or removed;\n"
"     --allow-empty removes them\n"
"  130 interrupted (work done so far is committed)\n"
"\n"
"Examples:\n"
"  motesok-index --index /var/lib/motesok /srv/moteboker\n"
"  MOTESOK_INDEX=./idx motesok-index corpus/\n";

/* Options of one run. */
typedef struct idx_options {
    const char *index_dir;
    unsigned jobs;
    bool quiet;
    bool in_process;
    char self[PATH_MAX]; /* this program, run again as extraction worker */
    motesok_index_options ix;
    char **roots;   /* absolute */
    size_t n_roots;
    const char **args; /* each root as given on the command line */
    bool *missing;     /* the root does not exist (made absolute by hand) */
    bool allow_empty;  /* a missing or empty root may remove its files */
} idx_options;

/* Paths found by the walk, later sorted to answer "was it seen?". */
typedef struct path_list {
    char **paths;
    size_t n, cap;
    bool oom;
} path_list;

/* A problem met during the walk, recorded after it. */
typedef struct problem {
    char *path;
    motesok_status code;
    char *why;
} problem;

typedef struct walk_state {
    path_list files;
    size_t *found; /* files found under each root */
    problem *problems;
    size_t n_problems, cap_problems;
    bool oom;
} walk_state;

static volatile sig_atomic_t interrupted;

/* SIGINT/SIGTERM: stop taking new files; what is done gets committed. */
static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Print a message prefixed with the program name to stderr. */
static void say(const char *fmt, const char *a, const char *b)
{
    char *ea = msk_term_escaped(a, false), *eb = msk_term_escaped(b, false);
    fprintf(stderr, "motesok-index: ");
    fprintf(stderr, fmt, ea ? ea : "", eb ? eb : "");
    fputc('\n', stderr);
    free(ea);
    free(eb);
}

/* Parse a positive integer option value within [lo, hi]; false if bad. */
static bool parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Reject a bad numeric option value with a clear message. */
static int bad_value(const char *opt, const char *value)
{
    say("invalid value '%s' for %s", value, opt);
    fprintf(stderr, "Try 'motesok-index --help' for more information.\n");
    return EXIT_USAGE;
}

/* Number of online CPUs, at least 1. */
static unsigned cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (unsigned)(n > MAX_JOBS ? MAX_JOBS : n);
}

/* True if s names Tesseract languages: "nor", "nor+eng" (letters, digits
 * and _ joined by +, at most 60 bytes). */
static bool ocr_languages_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 60 || s[0] == '+' || s[n - 1] == '+' || strstr(s, "++") != NULL)
        return false;
    for (const char *p = s; *p != '\0'; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '+'))
            return false;
    return true;
}

/* Check that the OCR languages are installed before any file is read,
 * Tesseract's own complaint kept off the terminal; 0 or EXIT_USAGE. */
static int check_ocr(const idx_options *o)
{
    if (o->ix.ocr == MOTESOK_OCR_NEVER)
        return 0;
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, STDERR_FILENO);
    motesok_error err;
    motesok_error_clear(&err);
    motesok_status st = motesok_ocr_check(o->ix.ocr_languages, &err);
    if (saved >= 0 && null >= 0)
        dup2(saved, STDERR_FILENO);
    if (saved >= 0)
        close(saved);
    if (null >= 0)
        close(null);
    if (st == MOTESOK_OK)
        return 0;
    fprintf(stderr, "motesok-index: %s; or index without OCR: --ocr=never\n", err.message);
    return EXIT_USAGE;
}

/* Handle one numeric long option; returns 0 or an exit code. */
static int numeric_option(int c, const char *arg, idx_options *o)
{
    unsigned long v = 0;
    switch (c) {
    case 'j':
        if (!parse_uint(arg, 1, MAX_JOBS, &v))
            return bad_value("--jobs (1-256)", arg);
        o->jobs = (unsigned)v;
        break;
    case 1001:
        if (!parse_uint(arg, 1, 4096, &v))
            return bad_value("--max-text-mb (1-4096)", arg);
        o->ix.limits.max_text_bytes = (size_t)v << 20;
        break;
    case 1002:
        if (!parse_uint(arg, 1, 65536, &v))
            return bad_value("--max-file-mb (1-65536)", arg);
        o->ix.limits.max_input_bytes = (size_t)v << 20;
        break;
    case 1003:
        if (!parse_uint(arg, 1, 1000000, &v))
            return bad_value("--batch (1-1000000)", arg);
        o->ix.batch_files = (size_t)v;
        break;
    case 1004:
        if (!parse_uint(arg, 1, 86400, &v))
            return bad_value("--timeout (1-86400 seconds)", arg);
        o->ix.timeout_s = (double)v;
        break;
    case 1005:
        if (!parse_uint(arg, 64, 1048576, &v))
            return bad_value("--max-memory-mb (64-1048576)", arg);
        o->ix.max_memory_mb = (size_t)v;
        break;
    case 1007:
        if (!parse_uint(arg, 1, 64, &v))
            return bad_value("--shards (1-64)", arg);
        o->ix.shards = (unsigned)v;
        break;
    case 1012:
        if (!parse_uint(arg, 50, 1200, &v))
            return bad_value("--ocr-dpi (50-1200)", arg);
        o->ix.ocr_dpi = (unsigned)v;
        break;
    }
    return 0;
}

/* Parse the command line into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, idx_options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"retry-failed", no_argument, NULL, 1000},
        {"max-text-mb", required_argument, NULL, 1001},
        {"max-file-mb", required_argument, NULL, 1002},
        {"batch", required_argument, NULL, 1003},
        {"timeout", required_argument, NULL, 1004},
        {"max-memory-mb", required_argument, NULL, 1005},
        {"in-process", no_argument, NULL, 1006},
        {"shards", required_argument, NULL, 1007},
        {"compact", no_argument, NULL, 1008},
        {"no-compact", no_argument, NULL, 1009},
        {"allow-empty", no_argument, NULL, 1010},
        {"ocr", required_argument, NULL, 1011},
        {"ocr-dpi", required_argument, NULL, 1012},
        {"ocr-languages", required_argument, NULL, 1013},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("MOTESOK_INDEX");
    o->index_dir = env && *env ? env : "./motesok-index";
    o->jobs = cpu_count();
    for (;;) {
        int c = getopt_long(argc, argv, "i:j:qhV", longopts, NULL);
        if (c == -1)
            break;
        int rc = 0;
        switch (c) {
        case 'i': o->index_dir = optarg; break;
        case 'q': o->quiet = true; break;
        case 1000: o->ix.retry_failed = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("motesok-index %s\n", motesok_version()); return 0;
        case 1006: o->in_process = true; break;
        case 1008: o->ix.compact = MOTESOK_COMPACT_ALWAYS; break;
        case 1009: o->ix.compact = MOTESOK_COMPACT_NEVER; break;
        case 1010: o->allow_empty = true; break;
        case 1011:
            if (strcmp(optarg, "auto") == 0)
                o->ix.ocr = MOTESOK_OCR_AUTO;
            else if (strcmp(optarg, "always") == 0)
                o->ix.ocr = MOTESOK_OCR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                o->ix.ocr = MOTESOK_OCR_NEVER;
            else
                rc = bad_value("--ocr (auto, always or never)", optarg);
            break;
        case 1013:
            if (!ocr_languages_ok(optarg))
                rc = bad_value("--ocr-languages (names of letters, digits and _ joined by +)",
                               optarg);
            o->ix.ocr_languages = optarg;
            break;
        case 'j': case 1001: case 1002: case 1003: case 1004: case 1005: case 1007: case 1012:
            rc = numeric_option(c, optarg, o);
            break;
        default:
            fprintf(stderr, "Try 'motesok-index --help' for more information.\n");
            return EXIT_USAGE;
        }
        if (rc != 0)
            return rc;
    }
    if (optind >= argc) {
        say("%s%s", "no PATH given: name the files or folders to index", "");
        fprintf(stderr, "Usage: motesok-index [--index DIR] [--jobs N] [--quiet] PATH...\n"
                        "Try 'motesok-index --help' for more information.\n");
        return EXIT_USAGE;
    }
    return -1;
}

/* path made absolute without asking the file system (it does not exist):
 * the working folder before a relative one, "." and repeated slashes read
 * away; into out (PATH_MAX bytes). False if it is too long or holds ".."
 * (which would name the folder above: a missing /srv/a/.. must not sweep
 * all of /srv). */
static bool absolute_by_hand(const char *path, char *out)
{
    char joined[2 * PATH_MAX];
    char cwd[PATH_MAX] = "";
    if (path[0] != '/' && getcwd(cwd, sizeof cwd) == NULL)
        return false;
    int n = snprintf(joined, sizeof joined, "%s/%s", cwd, path);
    if (n < 0 || (size_t)n >= sizeof joined)
        return false;
    size_t len = 0;
    for (char *part = strtok(joined, "/"); part != NULL; part = strtok(NULL, "/")) {
        if (strcmp(part, ".") == 0)
            continue;
        if (strcmp(part, "..") == 0)
            return false;
        size_t k = strlen(part);
        if (len + 1 + k + 1 > PATH_MAX)
            return false;
        out[len++] = '/';
        memcpy(out + len, part, k);
        len += k;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    return true;
}

/* Resolve every PATH argument to an absolute root. A root that does not
 * exist is kept (made absolute by hand) and marked missing: check_roots
 * decides once the index is open whether that is a usage error or a
 * folder that went away (never sweep a folder that is merely unmounted). */
static int resolve_roots(int argc, char **argv, idx_options *o)
{
    o->n_roots = (size_t)(argc - optind);
    o->roots = calloc(o->n_roots, sizeof *o->roots);
    o->args = calloc(o->n_roots, sizeof *o->args);
    o->missing = calloc(o->n_roots, sizeof *o->missing);
    if (o->roots == NULL || o->args == NULL || o->missing == NULL)
        return EXIT_USAGE;
    for (size_t i = 0; i < o->n_roots; i++) {
        const char *arg = argv[optind + (int)i];
        char abs[PATH_MAX];
        o->args[i] = arg;
        if (!idx_walk_resolve(arg, abs)) {
            int e = errno;
            o->missing[i] = e == ENOENT || e == ENOTDIR;
            if (!o->missing[i] || !absolute_by_hand(arg, abs)) {
                say("cannot index %s: %s", arg, strerror(e));
                return EXIT_USAGE;
            }
        }
        o->roots[i] = strdup(abs);
        if (o->roots[i] == NULL)
            return EXIT_USAGE;
    }
    return -1;
}

/* ---- walk --------------------------------------------------------------- */

/* Append a copy of path to the list. */
static void list_add(path_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (p == NULL) {
            l->oom = true;
            return;
        }
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n] = strdup(path);
    if (l->paths[l->n] == NULL)
        l->oom = true;
    else
        l->n++;
}

/* Walk callback: a file to index. */
static void on_file(const char *path, void *ud)
{
    list_add(&((walk_state *)ud)->files, path);
}

/* Walk callback: a path that cannot be indexed. */
static void on_problem(const char *path, motesok_status code, const char *why, void *ud)
{
    walk_state *w = ud;
    if (w->n_problems == w->cap_problems) {
        size_t cap = w->cap_problems ? w->cap_problems * 2 : 16;
        problem *p = realloc(w->problems, cap * sizeof *p);
        if (p == NULL) {
            w->oom = true;
            return;
        }
        w->problems = p;
        w->cap_problems = cap;
    }
    problem *p = &w->problems[w->n_problems];
    p->path = strdup(path);
    p->why = strdup(why);
    p->code = code;
    if (p->path == NULL || p->why == NULL) {
        free(p->path);
        free(p->why);
        w->oom = true;
        return;
    }
    w->n_problems++;
}

/* qsort/bsearch comparator for path strings. */
static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the file list and drop duplicates (a file reached twice via links). */
static void list_sort_unique(path_list *l)
{
    if (l->n > 1) /* no file found: no array to sort (paths is NULL) */
        qsort(l->paths, l->n, sizeof *l->paths, cmp_paths);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k > 0 && strcmp(l->paths[k - 1], l->paths[i]) == 0)
            free(l->paths[i]);
        else
            l->paths[k++] = l->paths[i];
    }
    l->n = k;
}

/* Sweep callback: was path found by this run's walk (as file or problem)? */
static bool was_seen(const char *path, void *ud)
{
    const walk_state *w = ud;
    if (w->files.n > 0 &&
        bsearch(&path, w->files.paths, w->files.n, sizeof *w->files.paths, cmp_paths))
        return true;
    for (size_t i = 0; i < w->n_problems; i++)
        if (strcmp(w->problems[i].path, path) == 0)
            return true;
    return false;
}

/* ---- worker pool -------------------------------------------------------- */

/* Jobs flow main → todo → worker → done → main. */
typedef struct job_node {
    motesok_job *job;
    struct job_node *next;
} job_node;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t todo_cv, done_cv;
    job_node *todo_head, *todo_tail, *done_head;
    bool closing;
    pthread_t *threads;
    unsigned n_threads;
} pool;

/* Worker thread: run jobs until the pool closes. */
static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->todo_head == NULL && !p->closing)
            pthread_cond_wait(&p->todo_cv, &p->mu);
        if (p->todo_head == NULL)
            break;
        job_node *n = p->todo_head;
        p->todo_head = n->next;
        if (p->todo_head == NULL)
            p->todo_tail = NULL;
        pthread_mutex_unlock(&p->mu);
        motesok_job_run(n->job);
        pthread_mutex_lock(&p->mu);
        n->next = p->done_head;
        p->done_head = n;
        pthread_cond_signal(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Start n worker threads; false if none could start. */
static bool pool_start(pool *p, unsigned n)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->todo_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    p->threads = calloc(n, sizeof *p->threads);
    if (p->threads == NULL)
        return false;
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            break;
        p->n_threads++;
    }
    return p->n_threads > 0;
}

/* Queue a job for the workers. */
static bool pool_submit(pool *p, motesok_job *job)
{
    job_node *n = malloc(sizeof *n);
    if (n == NULL)
        return false;
    n->job = job;
    n->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->todo_tail != NULL)
        p->todo_tail->next = n;
    else
        p->todo_head = n;
    p->todo_tail = n;
    pthread_cond_signal(&p->todo_cv);
    pthread_mutex_unlock(&p->mu);
    return true;
}

/* Wait for and take one finished job. */
static motesok_job *pool_take_done(pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->done_head == NULL)
        pthread_cond_wait(&p->done_cv, &p->mu);
    job_node *n = p->done_head;
    p->done_head = n->next;
    pthread_mutex_unlock(&p->mu);
    motesok_job *job = n->job;
    free(n);
    return job;
}

/* Stop the workers and free the pool (queues must be empty). */
static void pool_stop(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_broadcast(&p->todo_cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    free(p->threads);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->todo_cv);
    pthread_cond_destroy(&p->done_cv);
}

/* Set err to code with a fixed message; returns code. */
static motesok_status fail_with(motesok_error *err, motesok_status code, const char *msg)
{
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s", msg);
    return code;
}

/* ---- the run ------------------------------------------------------------ */

typedef struct run {
    idx_options *o;
    motesok_index *idx;
    walk_state walk;
    idx_counts counts;
    idx_progress progress;
    motesok_error err;
} run;

/* Count a file's result and report failures. */
static void account(run *r, const char *path, const motesok_file_result *res)
{
    idx_counts *c = &r->counts;
    c->done++;
    if (res->outcome == MOTESOK_OUTCOME_INDEXED)
        c->bytes += res->bytes;
    c->ocr_pages += res->ocr_pages;
    c->ocr_cached += res->ocr_cached;
    c->ocr_seconds += res->ocr_seconds;
    switch (res->outcome) {
    case MOTESOK_OUTCOME_UNCHANGED: c->unchanged++; break;
    case MOTESOK_OUTCOME_INDEXED: c->indexed++; break;
    case MOTESOK_OUTCOME_FAILED: c->failed++; break;
    case MOTESOK_OUTCOME_UNSUPPORTED: c->unsupported++; break;
    }
    if (res->outcome == MOTESOK_OUTCOME_FAILED || res->outcome == MOTESOK_OUTCOME_UNSUPPORTED) {
        idx_progress_clear(&r->progress);
        /* a name may hold a newline or a terminal escape: print it escaped */
        char shown[3 * 4096], why[4 * sizeof res->message];
        msk_term_escape(path, strlen(path), shown, sizeof shown, false);
        msk_term_escape(res->message, strlen(res->message), why, sizeof why, false);
        fprintf(stderr, "motesok-index: %s: %s: %s\n", motesok_outcome_name(res->outcome), shown, why);
    }
    idx_progress_update(&r->progress, c, false);
}

/* Take one finished job from the pool and write it. */
static motesok_status finish_one(run *r, pool *p)
{
    motesok_job *job = pool_take_done(p);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", motesok_job_path(job));
    motesok_file_result res;
    motesok_status st = motesok_index_finish(r->idx, job, &res, &r->err);
    if (st == MOTESOK_OK)
        account(r, path, &res);
    return st;
}

/* Prepare, run and finish every file, keeping at most 2×jobs in flight. */
static motesok_status index_files(run *r)
{
    pool p;
    if (!pool_start(&p, r->o->jobs))
        return fail_with(&r->err, MOTESOK_ERR_INTERNAL, "cannot start worker threads");
    size_t in_flight = 0, next = 0, limit = 2 * (size_t)r->o->jobs;
    motesok_status st = MOTESOK_OK;
    while (st == MOTESOK_OK && (next < r->walk.files.n || in_flight > 0)) {
        bool feed = next < r->walk.files.n && in_flight < limit && !interrupted;
        if (!feed && in_flight == 0)
            break;
        if (!feed) {
            st = finish_one(r, &p);
            in_flight--;
            continue;
        }
        const char *path = r->walk.files.paths[next++];
        motesok_job *job = NULL;
        motesok_file_result res;
        st = motesok_index_prepare(r->idx, path, &job, &res, &r->err);
        if (st == MOTESOK_ERR_IO) {
            /* vanished or unreadable between walk and now: record it */
            st = motesok_index_record_failure(r->idx, path, st, r->err.message, &res, &r->err);
            if (st == MOTESOK_OK)
                account(r, path, &res);
        } else if (st == MOTESOK_OK && job == NULL) {
            account(r, path, &res);
        } else if (st == MOTESOK_OK && pool_submit(&p, job)) {
            in_flight++;
        } else if (st == MOTESOK_OK) {
            motesok_job_free(job);
            st = MOTESOK_ERR_NOMEM;
        }
    }
    while (in_flight > 0) { /* after a fatal error: drain without writing */
        motesok_job_free(pool_take_done(&p));
        in_flight--;
    }
    pool_stop(&p);
    return st;
}

/* Record what the walk could not index. */
static motesok_status record_problems(run *r)
{
    for (size_t i = 0; i < r->walk.n_problems; i++) {
        problem *pb = &r->walk.problems[i];
        motesok_file_result res;
        motesok_status st = motesok_index_record_failure(r->idx, pb->path, pb->code,
                                                         pb->why, &res, &r->err);
        if (st != MOTESOK_OK)
            return st;
        r->counts.total++;
        account(r, pb->path, &res);
    }
    return MOTESOK_OK;
}

/* Walk every root that exists, collecting files and problems and
 * counting the files found under each. */
static bool walk_roots(run *r)
{
    idx_walk_cb cb = {.file = on_file, .problem = on_problem, .ud = &r->walk};
    r->walk.found = calloc(r->o->n_roots, sizeof *r->walk.found);
    if (r->walk.found == NULL)
        return false;
    for (size_t i = 0; i < r->o->n_roots; i++) {
        size_t before = r->walk.files.n;
        if (!r->o->missing[i])
            idx_walk(r->o->roots[i], &cb);
        r->walk.found[i] = r->walk.files.n - before;
    }
    if (r->walk.oom || r->walk.files.oom)
        return false;
    list_sort_unique(&r->walk.files);
    r->counts.total = r->walk.files.n;
    return true;
}

/* Refuse the run when a root is missing or yielded no file while the index
 * holds files from it: the sweep would remove every one of them, which an
 * unmounted share or an emptied folder must not do; --allow-empty lets it.
 * A missing root of which the index holds nothing is a usage error.
 * Returns -1 to go on, else the exit code (every such root said). */
static int check_roots(run *r)
{
    const idx_options *o = r->o;
    int rc = -1;
    for (size_t i = 0; i < o->n_roots; i++) {
        if (!o->missing[i] && r->walk.found[i] > 0)
            continue;
        int64_t held = 0;
        if (motesok_index_count_under(r->idx, o->roots[i], &held, &r->err) != MOTESOK_OK) {
            say("fatal: %s%s", r->err.message, "");
            return EXIT_USAGE;
        }
        char n[32];
        snprintf(n, sizeof n, "%lld", (long long)held);
        if (held > 0 && o->allow_empty) {
            if (!o->quiet)
                say(o->missing[i] ? "%s does not exist: --allow-empty: removing the %s files the "
                                    "index holds from it"
                                  : "%s holds no file to index: --allow-empty: removing the %s "
                                    "files the index holds from it", o->args[i], n);
        } else if (held > 0) {
            say(o->missing[i] ? "%s does not exist (not mounted? moved?), but the index holds %s "
                                "files from it: nothing was indexed or removed"
                              : "%s holds no file to index (empty? not mounted?), but the index "
                                "holds %s files from it: nothing was indexed or removed",
                o->args[i], n);
            rc = EXIT_ROOT_EMPTY;
        } else if (o->missing[i] && !o->allow_empty) {
            say("cannot index %s: %s", o->args[i], strerror(ENOENT));
            rc = rc < 0 ? EXIT_USAGE : rc;
        }
    }
    if (rc == EXIT_ROOT_EMPTY)
        fprintf(stderr, "motesok-index: if those files are gone for good, run again with "
                        "--allow-empty to remove them from the index\n");
    return rc;
}

/* The indexing pipeline inside one error boundary; returns the exit code. */
static int run_index(run *r)
{
    motesok_status st = motesok_index_open(r->o->index_dir, &r->o->ix, &r->idx, &r->err);
    if (st != MOTESOK_OK) {
        say("cannot open index %s: %s", r->o->index_dir, r->err.message);
        return EXIT_USAGE;
    }
    /* The Norwegian analysis works without its data, but less well: say so. */
    for (const char *w = motesok_analysis_warnings(); *w != '\0';) {
        size_t n = strcspn(w, "\n");
        fprintf(stderr, "motesok-index: warning: %.*s\n", (int)n, w);
        w += n + (w[n] == '\n');
    }
    const char *why = motesok_index_rebuilding(r->idx);
    if (why != NULL && !r->o->quiet)
        say("%s: indexing every file again%s", why, "");
    if (!walk_roots(r)) {
        say("%s%s", "out of memory while walking folders", "");
        return EXIT_USAGE;
    }
    int refused = check_roots(r);
    if (refused >= 0)
        return refused;
    st = record_problems(r);
    if (st == MOTESOK_OK)
        st = index_files(r);
    if (st == MOTESOK_OK && !interrupted)
        st = motesok_index_sweep(r->idx, (const char *const *)r->o->roots, r->o->n_roots,
                                 was_seen, &r->walk, &r->counts.removed, &r->err);
    if (st == MOTESOK_OK)
        st = motesok_index_commit(r->idx, !interrupted, &r->err);
    if (st != MOTESOK_OK) {
        idx_progress_clear(&r->progress);
        say("fatal: %s (%s); the index keeps its last committed state",
            r->err.message[0] ? r->err.message : motesok_strerror(st),
            motesok_status_name(st));
        return EXIT_USAGE;
    }
    if (!r->o->quiet) {
        idx_progress_summary(&r->progress, &r->counts);
        /* what the index records, not only what this run met: an unchanged
         * failed file is not tried again, so a second run meets none */
        int64_t failed = 0, unsupported = 0;
        if (motesok_index_problems(r->idx, &failed, &unsupported, &r->err) == MOTESOK_OK &&
            failed + unsupported > (int64_t)(r->counts.failed + r->counts.unsupported))
            fprintf(stderr,
                    "motesok-index: the index records %lld failed and %lld unsupported files in "
                    "all; 'motesok status --failed' lists them, --retry-failed tries them again\n",
                    (long long)failed, (long long)unsupported);
    }
    if (interrupted)
        return 130;
    return (r->counts.failed + r->counts.unsupported) > 0 ? EXIT_FILES_FAILED : EXIT_SUCCESS;
}

/* Free everything the run holds. */
static void run_free(run *r)
{
    motesok_index_close(r->idx);
    for (size_t i = 0; i < r->walk.files.n; i++)
        free(r->walk.files.paths[i]);
    free(r->walk.files.paths);
    for (size_t i = 0; i < r->walk.n_problems; i++) {
        free(r->walk.problems[i].path);
        free(r->walk.problems[i].why);
    }
    free(r->walk.problems);
    free(r->walk.found);
    for (size_t i = 0; i < r->o->n_roots; i++)
        free(r->o->roots[i]);
    free(r->o->roots);
    free(r->o->args);
    free(r->o->missing);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--extract-worker") == 0)
        return motesok_extract_worker_main(argc, argv);
    idx_options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc < 0 && !o.in_process) {
        ssize_t n = readlink("/proc/self/exe", o.self, sizeof o.self - 1);
        if (n > 0) {
            o.self[n] = '\0';
            o.ix.worker_exe = o.self;
        }
    }
    if (rc < 0)
        rc = check_ocr(&o) != 0 ? EXIT_USAGE : -1;
    if (rc < 0)
        rc = resolve_roots(argc, argv, &o);
    if (rc >= 0) {
        for (size_t i = 0; o.roots != NULL && i < o.n_roots; i++)
            free(o.roots[i]);
        free(o.roots);
        free(o.args);
        free(o.missing);
        return rc;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a worker that dies between files closes its pipe: a write error to
     * handle, not a reason to die */
    signal(SIGPIPE, SIG_IGN);
    run r = {.o = &o};
    motesok_error_clear(&r.err);
    idx_progress_init(&r.progress, stderr, !o.quiet);
    rc = run_index(&r);
    run_free(&r);
    return rc;
}
