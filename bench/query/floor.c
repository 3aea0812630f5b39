/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-bench-floor: query latency without HTTP, on an index built by
 * motesok-index. Two modes:
 *   xapian   the floor: plain Xapian on the same index — the query parsed
 *            with the Norwegian stemmer (words AND-ed), the top 10 ranked
 *            by BM25 with their stored data; no snippets, facets or
 *            collapsing;
 *   library  the whole search of motesokd (motesok_searcher_search: cases,
 *            facets, snippets, the answer's structs) in this process,
 *            without HTTP and without rendering JSON (motesokd does that).
 * THREADS threads, each with its own handles, run the queries of QUERIES
 * (one a line) in turn for SECONDS; prints queries/s, p50 and p99 in ms.
 *
 * Usage: motesok-bench-floor [--mode xapian|library] [--threads N]
 *                            [--seconds S] INDEX QUERIES */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schema.h"
#include "motesok/search.h"
#include "xapian/xapian.h"
#include "analysis/query.h"

typedef struct run {
    const char *index;
    char **queries;
    size_t n_queries;
    bool library;
    double seconds;
    unsigned thread;
    double *lat; /* latencies in ms */
    size_t n_lat, cap_lat;
    int failed;
} run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One plain Xapian search: parse, top 10, read each hit's data. */
static int xapian_once(motesok_xreader *r, const char *q)
{
    motesok_error err;
    msk_query_options po = {.parser.default_and = true};
    motesok_xquery *query = NULL;
    if (msk_query_parse(r, q, &po, &query, NULL, &err) != MOTESOK_OK)
        return -1;
    motesok_xsearch s = {.query = query, .limit = 10, .sort_slot = -1, .collapse_slot = -1};
    motesok_xresults *res = NULL;
    motesok_status st = motesok_xreader_search(r, &s, &res, &err);
    size_t bytes = 0;
    for (size_t i = 0; st == MOTESOK_OK && i < motesok_xresults_count(res); i++) {
        size_t len = 0;
        const char *data = motesok_xresults_data(res, i, &len);
        bytes += data != NULL ? len : 0;
    }
    motesok_xresults_free(res);
    motesok_xquery_free(query);
    return st == MOTESOK_OK ? (int)(bytes > 0) : -1;
}

static void *worker(void *arg)
{
    run *w = arg;
    motesok_error err;
    motesok_xreader *r = NULL;
    motesok_searcher *s = NULL;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/" MOTESOK_XAPIAN_STUB, w->index); /* every shard */
    const char *dirs[] = {dir};
    if ((w->library ? motesok_searcher_open(w->index, &s, &err)
                    : motesok_xreader_open(dirs, 1, &r, &err)) != MOTESOK_OK) {
        fprintf(stderr, "motesok-bench-floor: %s: %s\n", w->index, err.message);
        w->failed = 1;
        return NULL;
    }
    double end = now_s() + w->seconds;
    for (size_t i = w->thread; now_s() < end; i++) {
        const char *q = w->queries[i % w->n_queries];
        double t0 = now_s();
        int ok;
        if (w->library) {
            motesok_search_request req = {.query = q};
            motesok_search_result *res = NULL;
            ok = motesok_searcher_search(s, &req, &res, &err) == MOTESOK_OK ? 1 : -1;
            motesok_search_result_free(res);
        } else {
            ok = xapian_once(r, q);
        }
        double ms = (now_s() - t0) * 1e3;
        if (ok < 0) {
            fprintf(stderr, "motesok-bench-floor: query '%s' failed\n", q);
            w->failed = 1;
            break;
        }
        if (w->n_lat == w->cap_lat) {
            w->cap_lat = w->cap_lat ? w->cap_lat * 2 : 4096;
            double *p = realloc(w->lat, w->cap_lat * sizeof *p);
            if (p == NULL) {
                w->failed = 1;
                break;
            }
            w->lat = p;
        }
        w->lat[w->n_lat++] = ms;
    }
    motesok_searcher_close(s);
    motesok_xreader_close(r);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Read non-empty lines of path into *out. */
static size_t read_queries(const char *path, char ***out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char *line = NULL;
    size_t cap = 0, n = 0;
    char **v = NULL;
    for (ssize_t len; (len = getline(&line, &cap, f)) > 0;) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        char **p = realloc(v, (n + 1) * sizeof *v);
        if (p == NULL)
            break;
        v = p;
        v[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    *out = v;
    return n;
}

static void usage(FILE *f)
{
    fputs("Usage: motesok-bench-floor [--mode xapian|library] [--threads N] [--seconds S]\n"
          "                           INDEX QUERIES\n",
          f);
}

int main(int argc, char **argv)
{
    bool library = false;
    unsigned threads = 1;
    double seconds = 5;
    static const struct option longs[] = {{"mode", required_argument, NULL, 'm'},
                                          {"threads", required_argument, NULL, 't'},
                                          {"seconds", required_argument, NULL, 's'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "m:t:s:h", longs, NULL)) != -1;) {
        if (c == 'm' && (strcmp(optarg, "xapian") == 0 || strcmp(optarg, "library") == 0))
            library = strcmp(optarg, "library") == 0;
        else if (c == 't' && atoi(optarg) > 0 && atoi(optarg) <= 256)
            threads = (unsigned)atoi(optarg);
        else if (c == 's' && atof(optarg) > 0)
            seconds = atof(optarg);
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (optind + 2 != argc) {
        usage(stderr);
        return 2;
    }
    char **queries = NULL;
    size_t n_queries = read_queries(argv[optind + 1], &queries);
    if (n_queries == 0) {
        fprintf(stderr, "motesok-bench-floor: no queries in %s\n", argv[optind + 1]);
        return 1;
    }
    run *runs = calloc(threads, sizeof *runs);
    pthread_t *tids = calloc(threads, sizeof *tids);
    if (runs == NULL || tids == NULL)
        return 1;
    double t0 = now_s();
    for (unsigned i = 0; i < threads; i++) {
        runs[i] = (run){.index = argv[optind], .queries = queries, .n_queries = n_queries,
                        .library = library, .seconds = seconds, .thread = i};
        pthread_create(&tids[i], NULL, worker, &runs[i]);
    }
    size_t total = 0;
    int failed = 0;
    for (unsigned i = 0; i < threads; i++) {
        pthread_join(tids[i], NULL);
        total += runs[i].n_lat;
        failed |= runs[i].failed;
    }
    double wall = now_s() - t0;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (unsigned i = 0; i < threads && all != NULL; i++) {
        memcpy(all + k, runs[i].lat, runs[i].n_lat * sizeof *all);
        k += runs[i].n_lat;
        free(runs[i].lat);
    }
    if (all == NULL || total == 0 || failed) {
        fprintf(stderr, "motesok-bench-floor: the run failed\n");
        return 1;
    }
    qsort(all, total, sizeof *all, cmp_double);
    printf("mode=%s threads=%u queries=%zu qps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
           library ? "library" : "xapian", threads, total, (double)total / wall,
           all[total / 2], all[(size_t)((double)total * 0.99)]);
    free(all);
    for (size_t i = 0; i < n_queries; i++)
        free(queries[i]);
    free(queries);
    free(runs);
    free(tids);
    return 0;
}
