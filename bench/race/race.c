/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-bench-race: readers against a writer that commits without pause.
 *
 * A child process commits small batches to one database for SECONDS while
 * this process moves its reader to the latest commit and reads from it
 * (a term frequency and a document's data), as the daemon does for every
 * search. Counts the reopens and reads that failed, and the retries the
 * binding made on the way. A race, not a timing: run it on a loaded
 * machine (bench/race/run.sh does) and compare builds by their failures.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "motesok/common.h"
#include "xapian/shim_internal.h"
#include "xapian/xapian.h"

static const char USAGE[] =
    "usage: motesok-bench-race DIR SECONDS\n"
    "  DIR      a database to create (must not exist)\n"
    "  SECONDS  how long the writer commits\n";

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Put the document Q<id> with a line of text into w; false on failure. */
static bool put(motesok_xwriter *w, unsigned id, unsigned n, motesok_error *err)
{
    char q[32], text[160];
    snprintf(q, sizeof q, "Q%u", id);
    snprintf(text, sizeof text, "Brannstasjon %u vedtak trinn %u legevakt ord%u", n, id * 7u,
             (id * 31u + n) % 1000u);
    motesok_xdoc *d = NULL;
    bool ok = motesok_xwriter_new_doc(w, &d, err) == MOTESOK_OK &&
              motesok_xdoc_add_boolean_term(d, q, err) == MOTESOK_OK &&
              motesok_xdoc_index_text(d, text, strlen(text), 1, "", err) == MOTESOK_OK &&
              motesok_xdoc_set_data(d, q, strlen(q), err) == MOTESOK_OK &&
              motesok_xwriter_replace(w, q, d, err) == MOTESOK_OK;
    motesok_xdoc_free(d);
    return ok;
}

/* The writer: batches of 8 (a third new, the rest replacing), each committed. */
static int write_for(const char *dir, double seconds, unsigned first)
{
    motesok_error err = {0};
    motesok_xwriter *w = NULL;
    if (motesok_xwriter_open(dir, &w, &err) != MOTESOK_OK) {
        fprintf(stderr, "motesok-bench-race: writer: %s\n", err.message);
        return 1;
    }
    unsigned next = first, commits = 0, seed = 1;
    for (double end = now_s() + seconds; now_s() < end; commits++) {
        for (int i = 0; i < 8; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned id = (seed >> 8) % 3 == 0 ? next++ : (seed >> 4) % next;
            if (!put(w, id, commits, &err)) {
                fprintf(stderr, "motesok-bench-race: writer: %s\n", err.message);
                return 1;
            }
        }
        if (motesok_xwriter_commit(w, &err) != MOTESOK_OK) {
            fprintf(stderr, "motesok-bench-race: commit: %s\n", err.message);
            return 1;
        }
    }
    motesok_xwriter_close(w);
    printf("commits %u\n", commits);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || atof(argv[2]) <= 0) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *dir = argv[1];
    double seconds = atof(argv[2]);
    /* a database of 250 documents to start from */
    motesok_error err = {0};
    motesok_xwriter *w = NULL;
    if (motesok_xwriter_open(dir, &w, &err) != MOTESOK_OK) {
        fprintf(stderr, "motesok-bench-race: %s: %s\n", dir, err.message);
        return 1;
    }
    for (unsigned id = 0; id < 250; id++)
        if (!put(w, id, 0, &err) || (id % 50 == 49 && motesok_xwriter_commit(w, &err) != MOTESOK_OK)) {
            fprintf(stderr, "motesok-bench-race: %s\n", err.message);
            return 1;
        }
    motesok_xwriter_close(w);
    fflush(stdout);
    pid_t writer = fork();
    if (writer < 0) {
        perror("motesok-bench-race: fork");
        return 1;
    }
    if (writer == 0)
        _exit(write_for(dir, seconds, 250));
    const char *dirs[] = {dir};
    motesok_xreader *r = NULL;
    unsigned long reopens = 0, reopen_failed = 0, reads = 0, read_failed = 0, shown = 0;
    unsigned long retries_before = msk_shim_retries();
    int status = 0;
    while (waitpid(writer, &status, WNOHANG) == 0) {
        motesok_error e = {0};
        motesok_status st;
        if (r == NULL)
            st = motesok_xreader_open(dirs, 1, &r, &e);
        else
            st = motesok_xreader_reopen(r, NULL, &e);
        reopens++;
        if (st != MOTESOK_OK) {
            reopen_failed++;
            if (shown++ < 10)
                fprintf(stderr, "reopen: %s\n", e.message);
            continue;
        }
        uint64_t tf = 0;
        reads++;
        if (motesok_xreader_termfreq(r, "legevakt", &tf, &e) != MOTESOK_OK || tf == 0) {
            read_failed++;
            if (shown++ < 10)
                fprintf(stderr, "termfreq: %s\n", tf == 0 ? "0 documents" : e.message);
        }
        char q[32], *data = NULL;
        size_t len = 0;
        snprintf(q, sizeof q, "Q%lu", reads % 250);
        reads++;
        if (motesok_xreader_get_data(r, q, &data, &len, &e) != MOTESOK_OK || data == NULL ||
            strcmp(data, q) != 0) {
            read_failed++;
            if (shown++ < 10)
                fprintf(stderr, "data of %s: %s\n", q, data != NULL ? data : e.message);
        }
        motesok_free(data);
    }
    motesok_xreader_close(r);
    printf("reopens %lu failed %lu\nreads %lu failed %lu\nretries %lu\n", reopens, reopen_failed,
           reads, read_failed, msk_shim_retries() - retries_before);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 1;
    return reopen_failed + read_failed > 0 ? 3 : 0;
}
