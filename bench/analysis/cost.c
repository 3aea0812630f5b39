/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-bench-analysis: what the Norwegian analysis costs, against plain
 * Xapian on the same texts, side by side in one process.
 *
 * Indexing: every .txt file under FOLDER is read and normalised once; then,
 * round after round, alternating, the texts are indexed into a new Xapian
 * database (one document each, committed once) either with a plain
 * TermGenerator (Snowball Norwegian, STEM_SOME) or with Møtesøk's analysis
 * (its stemmer, stopwords, compound parts, spelling table). Querying: the
 * queries of QUERIES (one a line) are parsed — by a plain QueryParser, or
 * by Møtesøk's (compounds, synonyms, spelling) — and run (top 10, BM25) on
 * the index each analysis built, alternating, for SECONDS each round.
 * Prints the median time of each, and the ratios; with --per-query, each
 * query's mean parse and search time in both modes over all rounds.
 *
 * Usage: motesok-bench-analysis [--rounds N] [--seconds S] [--work DIR]
 *                               [--per-query] FOLDER QUERIES */
#define _GNU_SOURCE
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "extract/extract.h"
#include "xapian/xapian.h"
#include "analysis/query.h"
#include "xapian/shim_internal.h"
#include "test_tmpdir.h"

enum { PLAIN, NORSK };
static const char *const MODE[] = {"plain", "norsk"};

static char **texts;
/* Per mode and query: seconds spent parsing and searching, and runs. */
static double *parse_s[2], *search_s[2];
static size_t *runs[2];
static size_t *lens, n_texts, cap_texts, text_bytes;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "motesok-bench-analysis: %s: %s\n", what, why);
    exit(1);
}

/* Read and normalise one .txt file (nftw callback). */
static int add_text(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    size_t pl = strlen(path);
    if (flag != FTW_F || pl < 4 || strcmp(path + pl - 4, ".txt") != 0)
        return 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die(path, "cannot open");
    char *raw = malloc((size_t)st->st_size + 1);
    size_t got = raw ? fread(raw, 1, (size_t)st->st_size, f) : 0;
    fclose(f);
    char *norm = NULL;
    size_t len = 0;
    if (raw == NULL || motesok_normalize_text(raw, got, &norm, &len, NULL) != MOTESOK_OK)
        die(path, "cannot read or normalise");
    free(raw);
    if (n_texts == cap_texts) {
        cap_texts = cap_texts ? cap_texts * 2 : 256;
        texts = realloc(texts, cap_texts * sizeof *texts);
        lens = realloc(lens, cap_texts * sizeof *lens);
        if (texts == NULL || lens == NULL)
            die("texts", "out of memory");
    }
    texts[n_texts] = norm;
    lens[n_texts++] = len;
    text_bytes += len;
    return 0;
}

/* Index every text into a new database at dir with the analysis of mode;
 * returns the seconds it took. */
static double build(const char *dir, int mode)
{
    motesok_error err;
    double t0 = now_s();
    motesok_xwriter *w = NULL;
    if (motesok_xwriter_open(dir, &w, &err) != MOTESOK_OK)
        die(dir, err.message);
    for (size_t i = 0; i < n_texts; i++) {
        motesok_xdoc *d = NULL;
        motesok_status st = mode == PLAIN ? msk_shim_xdoc_new_plain(&d, &err) : motesok_xdoc_new(&d, &err);
        char q[32];
        snprintf(q, sizeof q, "Q%zu", i);
        if (st == MOTESOK_OK)
            st = motesok_xdoc_index_text(d, texts[i], lens[i], 1, "", &err);
        if (st == MOTESOK_OK && mode == NORSK)
            st = motesok_xdoc_analyse(d, true, &err);
        if (st == MOTESOK_OK)
            st = motesok_xdoc_add_boolean_term(d, q, &err);
        if (st == MOTESOK_OK)
            st = motesok_xwriter_replace(w, q, d, &err);
        motesok_xdoc_free(d);
        if (st != MOTESOK_OK)
            die("indexing", err.message);
    }
    if (motesok_xwriter_commit(w, &err) != MOTESOK_OK)
        die("commit", err.message);
    motesok_xwriter_close(w);
    return now_s() - t0;
}

/* Run the queries with the parser of mode on r for at least seconds;
 * returns the mean milliseconds per query. */
static double query(motesok_xreader *r, int mode, char **qs, size_t n, double seconds)
{
    motesok_error err;
    size_t done = 0;
    double t0 = now_s(), t;
    do {
        for (size_t i = 0; i < n; i++, done++) {
            double p0 = now_s();
            motesok_xquery *q = NULL;
            msk_query_options po = {.parser.default_and = true};
            motesok_status st = mode == PLAIN ? msk_shim_parse_plain(r, qs[i], &q, &err)
                                              : msk_query_parse(r, qs[i], &po, &q, NULL, &err);
            if (st != MOTESOK_OK)
                die(qs[i], err.message);
            double p1 = now_s();
            motesok_xsearch s = {.query = q, .limit = 10, .sort_slot = -1, .collapse_slot = -1};
            motesok_xresults *res = NULL;
            if (motesok_xreader_search(r, &s, &res, &err) != MOTESOK_OK)
                die(qs[i], err.message);
            for (size_t k = 0; k < motesok_xresults_count(res); k++)
                (void)motesok_xresults_data(res, k, NULL);
            motesok_xresults_free(res);
            motesok_xquery_free(q);
            parse_s[mode][i] += p1 - p0;
            search_s[mode][i] += now_s() - p1;
            runs[mode][i]++;
        }
        t = now_s() - t0;
    } while (t < seconds);
    return t * 1000.0 / (double)done;
}

/* Remove dir and everything in it (nothing if it does not exist). */
static void remove_tree(const char *dir)
{
    struct stat st;
    msk_test_rmtree(dir);
    if (lstat(dir, &st) == 0)
        die(dir, "cannot remove");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char **read_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        die(path, "cannot open");
    char **qs = NULL, line[1024];
    *n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        qs = realloc(qs, (*n + 1) * sizeof *qs);
        if (qs == NULL || (qs[*n] = strdup(line)) == NULL)
            die(path, "out of memory");
        (*n)++;
    }
    fclose(f);
    return qs;
}

int main(int argc, char **argv)
{
    int rounds = 3;
    double seconds = 3.0;
    const char *work = "/tmp";
    int per_query = 0;
    static const struct option opts[] = {
        {"rounds", required_argument, NULL, 'r'}, {"seconds", required_argument, NULL, 's'},
        {"work", required_argument, NULL, 'w'}, {"per-query", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "r:s:w:ph", opts, NULL)) != -1;) {
        if (c == 'p')
            per_query = 1;
        else if (c == 'r')
            rounds = atoi(optarg);
        else if (c == 's')
            seconds = atof(optarg);
        else if (c == 'w')
            work = optarg;
        else {
            fprintf(c == 'h' ? stdout : stderr,
                    "Usage: motesok-bench-analysis [--rounds N] [--seconds S] [--work DIR] "
                    "[--per-query] FOLDER QUERIES\n");
            return c == 'h' ? 0 : 2;
        }
    }
    if (argc - optind != 2 || rounds < 1 || rounds > 50 || !(seconds > 0))
        die("usage", "FOLDER QUERIES, 1 to 50 rounds, seconds > 0 (see --help)");
    if (nftw(argv[optind], add_text, 32, FTW_PHYS) != 0 || n_texts == 0)
        die(argv[optind], "no .txt files read");
    size_t n_q;
    char **qs = read_queries(argv[optind + 1], &n_q);
    for (int m = 0; m < 2; m++) {
        parse_s[m] = calloc(n_q, sizeof *parse_s[m]);
        search_s[m] = calloc(n_q, sizeof *search_s[m]);
        runs[m] = calloc(n_q, sizeof *runs[m]);
        if (parse_s[m] == NULL || search_s[m] == NULL || runs[m] == NULL)
            die("queries", "out of memory");
    }
    char dirs[2][4096];
    double idx[2][50], qry[2][50];
    for (int r = 0; r < rounds; r++) {
        for (int m = 0; m < 2; m++) {
            int mode = (r % 2) ? 1 - m : m; /* alternate who goes first */
            snprintf(dirs[mode], sizeof dirs[mode], "%s/motesok-bench-analysis-%d-%s", work,
                     (int)getpid(), MODE[mode]);
            remove_tree(dirs[mode]);
            idx[mode][r] = build(dirs[mode], mode);
        }
        for (int m = 0; m < 2; m++) {
            int mode = (r % 2) ? 1 - m : m;
            const char *d[] = {dirs[mode]};
            motesok_xreader *rd = NULL;
            motesok_error err;
            if (motesok_xreader_open(d, 1, &rd, &err) != MOTESOK_OK)
                die(dirs[mode], err.message);
            qry[mode][r] = query(rd, mode, qs, n_q, seconds);
            motesok_xreader_close(rd);
        }
        fprintf(stderr, "round %d: index plain %.2f s, norsk %.2f s; query plain %.3f ms, norsk %.3f ms\n",
                r + 1, idx[PLAIN][r], idx[NORSK][r], qry[PLAIN][r], qry[NORSK][r]);
    }
    double ip = median(idx[PLAIN], (size_t)rounds), in = median(idx[NORSK], (size_t)rounds);
    double qp = median(qry[PLAIN], (size_t)rounds), qn = median(qry[NORSK], (size_t)rounds);
    printf("| %zu texts, %.1f MB; %zu queries; median of %d rounds | plain Xapian | Norwegian analysis | ratio |\n",
           n_texts, (double)text_bytes / 1e6, n_q, rounds);
    printf("|---|---|---|---|\n");
    printf("| indexing (term generation + write + commit) | %.2f s | %.2f s | %.2f× |\n", ip, in, in / ip);
    printf("| indexing throughput | %.2f MB/s | %.2f MB/s | |\n", (double)text_bytes / 1e6 / ip,
           (double)text_bytes / 1e6 / in);
    printf("| query (parse + top 10), mean | %.3f ms | %.3f ms | %.2f× |\n", qp, qn, qn / qp);
    double tot[2][2] = {{0}};
    for (int m = 0; m < 2; m++)
        for (size_t i = 0; i < n_q; i++) {
            tot[m][0] += parse_s[m][i] * 1e3 / (double)runs[m][i];
            tot[m][1] += search_s[m][i] * 1e3 / (double)runs[m][i];
        }
    printf("| of which parsing, mean | %.3f ms | %.3f ms | %.2f× |\n", tot[PLAIN][0] / (double)n_q,
           tot[NORSK][0] / (double)n_q, tot[NORSK][0] / tot[PLAIN][0]);
    printf("| of which matching (top 10), mean | %.3f ms | %.3f ms | %.2f× |\n",
           tot[PLAIN][1] / (double)n_q, tot[NORSK][1] / (double)n_q, tot[NORSK][1] / tot[PLAIN][1]);
    if (per_query) {
        printf("\n| query | plain parse ms | plain match ms | norsk parse ms | norsk match ms | ratio |\n");
        printf("|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < n_q; i++) {
            double pp = parse_s[PLAIN][i] * 1e3 / (double)runs[PLAIN][i];
            double pm = search_s[PLAIN][i] * 1e3 / (double)runs[PLAIN][i];
            double np = parse_s[NORSK][i] * 1e3 / (double)runs[NORSK][i];
            double nm = search_s[NORSK][i] * 1e3 / (double)runs[NORSK][i];
            printf("| %s | %.3f | %.3f | %.3f | %.3f | %.2f× |\n", qs[i], pp, pm, np, nm,
                   (np + nm) / (pp + pm));
        }
    }
    for (int m = 0; m < 2; m++) {
        free(parse_s[m]);
        free(search_s[m]);
        free(runs[m]);
    }
    for (int m = 0; m < 2; m++)
        remove_tree(dirs[m]);
    for (size_t i = 0; i < n_texts; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    for (size_t i = 0; i < n_q; i++)
        free(qs[i]);
    free(qs);
    return 0;
}
