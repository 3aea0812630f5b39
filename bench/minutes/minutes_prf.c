/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How well the minutes reader does against a truth file (the 7-column
 * format of the layout corpus: file organ kommune date cases decided votes).
 * Usage: motesok-bench-minutes [-v] REPO_DIR [TRUTH.tsv ...]
 * Default truth files: bench/minutes/dev.tsv and, when present, the
 * held-out sets heldout.tsv … heldout6.tsv; the `file` column is relative
 * to REPO_DIR.
 * Prints one Markdown table per truth file; -v lists every miss.
 * motesok-bench-minutes --dump FILE... prints what the reader found. */
#define _GNU_SOURCE
#include "detect.h"
#include "extract/extract.h"
#include "minutes/minutes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ITEMS 512

typedef struct tally {
    int tp, fp, fn;
} tally;

typedef struct score {
    int docs;
    tally cases, decided;
    int proposals_as_decisions;
    int organ_ok, kommune_ok, date_ok;
    int votes, votes_ok;
} score;

static bool verbose;

/* Fold s for comparison into out: ASCII and Æ Ø Å lower-cased, runs of
 * blanks collapsed to one space, ends trimmed. */
static void fold(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; s[i] != '\0' && n + 2 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t') {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (i > 0 && (unsigned char)s[i - 1] == 0xC3 && (c == 0x86 || c == 0x98 || c == 0x85))
            c = (unsigned char)(c + 0x20);
        out[n++] = (char)c;
    }
    out[n] = '\0';
}

/* True if a and b are equal once folded (NULL counts as ""). */
static bool same(const char *a, const char *b)
{
    char x[512], y[512];
    fold(a ? a : "", x, sizeof x);
    fold(b ? b : "", y, sizeof y);
    return strcmp(x, y) == 0;
}

/* Split a comma-separated list in place into items; returns the count. */
static size_t split_list(char *s, char **items, size_t max)
{
    size_t n = 0;
    for (char *p = s; *p != '\0' && n < max;) {
        char *e = strchr(p, ',');
        if (e != NULL)
            *e = '\0';
        if (*p != '\0')
            items[n++] = p;
        if (e == NULL)
            break;
        p = e + 1;
    }
    return n;
}

/* Index of item in list, or -1. */
static int find(char **list, size_t n, const char *item)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], item) == 0)
            return (int)i;
    return -1;
}

/* Compare found with wanted items into t; prints misses under -v. */
static void compare(const char *what, const char *file, char **want, size_t nw, char **got,
                    size_t ng, tally *t)
{
    for (size_t i = 0; i < ng; i++) {
        bool hit = find(want, nw, got[i]) >= 0;
        t->tp += hit;
        t->fp += !hit;
        if (!hit && verbose)
            printf("  %s: %s: extra %s\n", file, what, got[i]);
    }
    for (size_t i = 0; i < nw; i++)
        if (find(got, ng, want[i]) < 0) {
            t->fn++;
            if (verbose)
                printf("  %s: %s: missed %s\n", file, what, want[i]);
        }
}

/* Detect, extract and parse one file (PDF or text) into minutes. */
static motesok_minutes *parse(motesok_detector *det, const char *path)
{
    motesok_detection d;
    motesok_text *t = NULL;
    motesok_minutes *m = NULL;
    if (motesok_detect_file(det, path, &d, NULL) == MOTESOK_OK &&
        motesok_extract_file(path, &d, NULL, &t, NULL) == MOTESOK_OK)
        motesok_minutes_parse((const char *const *)t->pages, t->page_lens, t->n_pages, &m, NULL);
    motesok_text_free(t);
    return m;
}

/* The vote of case c as the truth writes it: "enstemmig", "15-12" or "". */
static void vote_text(const motesok_case *c, char *out, size_t cap)
{
    if (c->vote.outcome == MOTESOK_VOTE_UNANIMOUS)
        snprintf(out, cap, "enstemmig");
    else if (c->vote.outcome == MOTESOK_VOTE_MAJORITY)
        snprintf(out, cap, "%d-%d", c->vote.votes_for, c->vote.votes_against);
    else
        out[0] = '\0';
}

/* Score the votes of one document. */
static void score_votes(const char *file, char *votes, const motesok_minutes *m, score *s)
{
    char *items[MAX_ITEMS];
    size_t n = split_list(votes, items, MAX_ITEMS);
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(items[i], '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        char got[32] = "";
        for (size_t k = 0; k < m->n_cases; k++)
            if (strcmp(m->cases[k].key, items[i]) == 0)
                vote_text(&m->cases[k], got, sizeof got);
        bool ok = strcmp(got, eq + 1) == 0;
        s->votes++;
        s->votes_ok += ok;
        if (!ok && verbose)
            printf("  %s: vote %s: got '%s', want '%s'\n", file, items[i], got, eq + 1);
    }
}

/* Score one field; prints the miss under -v. */
static void score_field(const char *file, const char *what, const char *got, const char *want,
                        int *ok)
{
    bool hit = same(got, want);
    *ok += hit;
    if (!hit && verbose)
        printf("  %s: %s: got '%s', want '%s'\n", file, what, got ? got : "", want);
}

/* Score one truth row (its 7 fields) against the parsed minutes. */
static void score_doc(char **f, const motesok_minutes *m, score *s)
{
    char *want_cases[MAX_ITEMS], *want_dec[MAX_ITEMS], *got_cases[MAX_ITEMS], *got_dec[MAX_ITEMS];
    size_t nwc = split_list(f[4], want_cases, MAX_ITEMS);
    size_t nwd = split_list(f[5], want_dec, MAX_ITEMS);
    size_t ngc = 0, ngd = 0;
    for (size_t i = 0; i < m->n_cases && ngc < MAX_ITEMS; i++) {
        got_cases[ngc++] = m->cases[i].key;
        if (m->cases[i].decision != NULL) {
            got_dec[ngd++] = m->cases[i].key;
            if (find(want_dec, nwd, m->cases[i].key) < 0 && find(want_cases, nwc, m->cases[i].key) >= 0)
                s->proposals_as_decisions++;
        }
    }
    compare("case", f[0], want_cases, nwc, got_cases, ngc, &s->cases);
    compare("decided", f[0], want_dec, nwd, got_dec, ngd, &s->decided);
    score_field(f[0], "organ", m->organ, f[1], &s->organ_ok);
    score_field(f[0], "kommune", m->kommune, f[2], &s->kommune_ok);
    score_field(f[0], "date", m->date, f[3], &s->date_ok);
    score_votes(f[0], f[6], m, s);
    s->docs++;
}

/* P and R of a tally. */
static double prec(const tally *t)
{
    return t->tp + t->fp ? (double)t->tp / (t->tp + t->fp) : 1.0;
}
static double rec(const tally *t)
{
    return t->tp + t->fn ? (double)t->tp / (t->tp + t->fn) : 1.0;
}

/* Print the Markdown table of one truth file. */
static void print_table(const char *name, const score *s)
{
    int d = s->docs ? s->docs : 1;
    printf("\n### %s (%d documents)\n\n| measure | value | counts |\n|---|---|---|\n", name, s->docs);
    printf("| cases precision | %.3f | tp %d, fp %d |\n", prec(&s->cases), s->cases.tp, s->cases.fp);
    printf("| cases recall | %.3f | fn %d |\n", rec(&s->cases), s->cases.fn);
    printf("| decisions precision | %.3f | tp %d, fp %d |\n", prec(&s->decided), s->decided.tp,
           s->decided.fp);
    printf("| decisions recall | %.3f | fn %d |\n", rec(&s->decided), s->decided.fn);
    printf("| proposals reported as decisions | %d | |\n", s->proposals_as_decisions);
    printf("| organ exact | %.3f | %d/%d |\n", (double)s->organ_ok / d, s->organ_ok, s->docs);
    printf("| kommune | %.3f | %d/%d |\n", (double)s->kommune_ok / d, s->kommune_ok, s->docs);
    printf("| date | %.3f | %d/%d |\n", (double)s->date_ok / d, s->date_ok, s->docs);
    printf("| votes | %.3f | %d/%d |\n", s->votes ? (double)s->votes_ok / s->votes : 1.0, s->votes_ok,
           s->votes);
}

/* Split a TSV line in place into 7 fields (missing ones ""). */
static void split_row(char *line, char **f)
{
    char *p = line;
    for (int i = 0; i < 7; i++) {
        f[i] = p ? p : "";
        p = p ? strchr(p, '\t') : NULL;
        if (p != NULL)
            *p++ = '\0';
    }
}

/* Score every row of one truth file; false if it cannot be read. */
static bool run_truth(motesok_detector *det, const char *repo, const char *truth)
{
    FILE *tf = fopen(truth, "r");
    if (tf == NULL) {
        perror(truth);
        return false;
    }
    score s = {0};
    char line[16384];
    bool ok = true;
    while (fgets(line, sizeof line, tf) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[7];
        split_row(line, f);
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", repo, f[0]) >= (int)sizeof path) {
            fprintf(stderr, "path too long: %s\n", f[0]);
            ok = false;
            continue;
        }
        motesok_minutes *m = parse(det, path);
        if (m == NULL) {
            fprintf(stderr, "cannot parse %s\n", path);
            ok = false;
            continue;
        }
        score_doc(f, m, &s);
        motesok_minutes_free(m);
    }
    fclose(tf);
    print_table(truth, &s);
    return ok;
}

/* Print what the reader found in one file. */
static void dump(motesok_detector *det, const char *path)
{
    motesok_minutes *m = parse(det, path);
    if (m == NULL) {
        fprintf(stderr, "cannot parse %s\n", path);
        return;
    }
    printf("== %s\norgan %s (%.2f) | kommune %s (%.2f) | date %s (%.2f)\n", path,
           m->organ ? m->organ : "-", m->organ_conf, m->kommune ? m->kommune : "-", m->kommune_conf,
           m->date, m->date_conf);
    for (size_t i = 0; i < m->n_cases; i++) {
        const motesok_case *c = &m->cases[i];
        char v[32];
        vote_text(c, v, sizeof v);
        printf("- [%s] key %s p%zu-%zu: %s\n    proposal: %.160s\n    decision: %.160s\n    vote: %s\n",
               c->number, c->key, c->page_first, c->page_last, c->title,
               c->proposal ? c->proposal : "-", c->decision ? c->decision : "-", v);
    }
    motesok_minutes_free(m);
}

int main(int argc, char **argv)
{
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "--dump") == 0) {
        motesok_detector *det = NULL;
        if (motesok_detector_open(&det, NULL) != MOTESOK_OK)
            return 1;
        for (a = 2; a < argc; a++)
            dump(det, argv[a]);
        motesok_detector_close(det);
        return 0;
    }
    if (a < argc && strcmp(argv[a], "-v") == 0)
        verbose = true, a++;
    if (a >= argc) {
        fprintf(stderr, "usage: motesok-bench-minutes [-v] REPO_DIR [TRUTH.tsv ...]\n");
        return 2;
    }
    const char *repo = argv[a++];
    motesok_detector *det = NULL;
    if (motesok_detector_open(&det, NULL) != MOTESOK_OK)
        return 1;
    bool ok = true;
    if (a < argc) {
        for (; a < argc; a++)
            ok = run_truth(det, repo, argv[a]) && ok;
    } else {
        char path[4096];
        snprintf(path, sizeof path, "%s/bench/minutes/dev.tsv", repo);
        ok = run_truth(det, repo, path);
        static const char *const sets[] = {"heldout", "heldout2", "heldout3", "heldout4", "heldout5",
                                           "heldout6"};
        for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
            snprintf(path, sizeof path, "%s/bench/minutes/%s.tsv", repo, sets[k]);
            if (access(path, R_OK) == 0)
                ok = run_truth(det, repo, path) && ok;
        }
    }
    motesok_detector_close(det);
    return ok ? 0 : 1;
}
