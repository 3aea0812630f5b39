/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Crash safety: the real motesok-index is killed with SIGKILL at many
 * random moments (one commit per file, so kills land between and inside
 * commits), files change between runs, and after a last complete run the
 * index must hold exactly what a clean build of the same files holds:
 * the same Xapian documents (by unique term) and the same store rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "motesok/motesok.h"
#include "store.h"
#include "shards.h"
#include "test_tmpdir.h"

extern char **environ;

#define INDEXER MOTESOK_BINARY_DIR "/bin/motesok-index"
#define CORPUS MOTESOK_SOURCE_DIR "/corpus"
#define KILLS 30

static char tmp[64];

/* Write a small minutes file numbered n, with a case and a decision. */
static void write_minutes(const char *dir, int n, const char *extra)
{
    char path[256];
    snprintf(path, sizeof path, "%s/mote-%03d.txt", dir, n);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "Referat fra møte i Formannskapet\nMøtedato: %02d.03.2019\n\n"
               "Sak %d/19 Sak nummer %d\nSaksopplysninger om tema %d.\nVedtak:\nVedtatt %d. %s\n",
            n % 28 + 1, n, n, n, n, extra);
    fclose(f);
}

/* Start the indexer on docs into index, with one extra option (may be
 * NULL); returns its pid. */
static pid_t start_indexer_with(const char *index, const char *docs, const char *extra)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char errfile[128];
    snprintf(errfile, sizeof errfile, "%s/indexer.err", tmp); /* the last run's, for failures */
    posix_spawn_file_actions_addopen(&fa, 2, errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *argv[] = {INDEXER, "--quiet", "--batch", "1", "--jobs", "2", "--index", (char *)index,
                    (char *)docs, (char *)extra, NULL};
    pid_t pid = -1;
    assert_int_equal(posix_spawn(&pid, INDEXER, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* Start the indexer on docs into index; returns its pid. */
static pid_t start_indexer(const char *index, const char *docs)
{
    return start_indexer_with(index, docs, NULL);
}

/* Run the indexer with one extra option (may be NULL) to completion;
 * returns its exit status. */
static int run_indexer_with(const char *index, const char *docs, const char *extra)
{
    pid_t pid = start_indexer_with(index, docs, extra);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0 && code != 128 + SIGKILL) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "cat %s/indexer.err >&2", tmp);
        (void)!system(cmd);
    }
    return code;
}

/* Run the indexer to completion; returns its exit status. */
static int run_indexer(const char *index, const char *docs)
{
    return run_indexer_with(index, docs, NULL);
}

/* Append one line to a growing fingerprint. */
static void fp_add(char **fp, size_t *len, const char *line)
{
    size_t n = strlen(line);
    char *p = realloc(*fp, *len + n + 2);
    assert_non_null(p);
    memcpy(p + *len, line, n);
    p[*len + n] = '\n';
    *len += n + 1;
    p[*len] = '\0';
    *fp = p;
}

typedef struct fp_state {
    char *fp;
    size_t len;
} fp_state;

/* each_term callback: a Xapian unique term. */
static int fp_term(const char *term, void *ud)
{
    fp_state *s = ud;
    fp_add(&s->fp, &s->len, term);
    return 0;
}

/* store_each_hidden callback: a twin left out of searches. */
static int fp_hidden(const char *id, void *ud)
{
    fp_state *s = ud;
    char line[64];
    snprintf(line, sizeof line, "hidden twin %s", id);
    fp_add(&s->fp, &s->len, line);
    return 0;
}

/* store_each callback: a store row, without times of indexing. */
static int fp_row(const motesok_file_row *row, void *ud)
{
    fp_state *s = ud;
    char line[1024];
    snprintf(line, sizeof line, "%s|%s|%s|%s|%lld|%s", row->path, row->id,
             motesok_file_status_name(row->status), row->hash, (long long)row->pages,
             row->error_code ? row->error_code : "");
    fp_add(&s->fp, &s->len, line);
    return 0;
}

/* A writer on each shard of index (*n of them); close with close_shards. */
static motesok_xwriter **open_shards(const char *index, size_t *n)
{
    char **dirs = NULL;
    assert_int_equal(msk_shards_list(index, &dirs, n, NULL), MOTESOK_OK);
    motesok_xwriter **w = calloc(*n, sizeof *w);
    assert_non_null(w);
    for (size_t k = 0; k < *n; k++) {
        assert_int_equal(motesok_xwriter_open(dirs[k], &w[k], NULL), MOTESOK_OK);
        free(dirs[k]);
    }
    free(dirs);
    return w;
}

/* Close the n writers of open_shards. */
static void close_shards(motesok_xwriter **w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        motesok_xwriter_close(w[k]);
    free(w);
}

/* Everything that makes up an index's content, as text. Paths are made
 * relative to docs so that two indexes of one folder compare. */
static char *fingerprint(const char *index)
{
    fp_state s = {0};
    fp_add(&s.fp, &s.len, "# xapian");
    char sfile[256];
    snprintf(sfile, sizeof sfile, "%s/meta.sqlite3", index);
    size_t n_shards = 0;
    motesok_xwriter **w = open_shards(index, &n_shards);
    for (size_t k = 0; k < n_shards; k++) {
        assert_int_equal(motesok_xwriter_each_term(w[k], "Q", fp_term, &s, NULL), MOTESOK_OK);
        /* twins joined to the meeting of the other file */
        assert_int_equal(motesok_xwriter_each_term(w[k], "XH", fp_term, &s, NULL), MOTESOK_OK);
        uint64_t n = 0;
        assert_int_equal(motesok_xwriter_doccount(w[k], &n, NULL), MOTESOK_OK);
        char line[64];
        snprintf(line, sizeof line, "shard %zu doccount %llu", k, (unsigned long long)n);
        fp_add(&s.fp, &s.len, line);
    }
    close_shards(w, n_shards);
    fp_add(&s.fp, &s.len, "# store");
    motesok_store *st = NULL;
    assert_int_equal(motesok_store_open(sfile, true, &st, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_each(st, fp_row, &s, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_each_hidden(st, fp_hidden, &s, NULL), MOTESOK_OK);
    motesok_store_close(st);
    return s.fp;
}

/* The index at index must hold what the clean build at clean holds (their
 * fingerprints, which name a doccount, equal); what names the damage done. */
static void assert_same_index(const char *index, const char *clean, const char *what)
{
    char *got = fingerprint(index);
    char *want = fingerprint(clean);
    if (strcmp(got, want) != 0)
        fail_msg("index after %s differs from a clean build:\n--- got\n%.3000s\n--- want\n%.3000s",
                 what, got, want);
    assert_non_null(strstr(got, "doccount"));
    free(got);
    free(want);
}

/* Sleep for ms milliseconds. */
static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* Milliseconds of a clean run, to spread the kills over. */
static long clean_run_ms(const char *docs)
{
    char index[128];
    snprintf(index, sizeof index, "%s/timing", tmp);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(run_indexer(index, docs), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 + 1;
}

/* Change the files between runs: rewrite half of them, delete one,
 * add one, so that every run has work to be interrupted in. */
static void mutate(const char *docs, int round)
{
    char path[256], extra[64];
    snprintf(extra, sizeof extra, "Endret i runde %d.", round);
    for (int i = round % 2; i < 40; i += 2)
        write_minutes(docs, i, extra);
    snprintf(path, sizeof path, "%s/mote-%03d.txt", docs, 40 + round);
    unlink(path);
    write_minutes(docs, 100 + round, "Ny etter avbrudd.");
}

static void test_crash_kill9_then_rerun_matches_clean_build(void **state)
{
    (void)state;
    char docs[128], index[128], clean[128];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    snprintf(clean, sizeof clean, "%s/clean", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    for (int i = 0; i < 80; i++)
        write_minutes(docs, i, "");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s/*.pdf %s/*.txt %s/", CORPUS, CORPUS, docs);
    assert_int_equal(system(cmd), 0);
    /* Kill at random moments within the first fifth of a clean run; a run
     * that ends before its kill (a loaded or fast machine) makes the next
     * kills come earlier, so that the test never hangs on timing. */
    long max_delay = clean_run_ms(docs) / 5 + 1;
    srand(20261125);
    int killed_mid_run = 0;
    for (int k = 0; k < 4 * KILLS && killed_mid_run < KILLS; k++) {
        pid_t pid = start_indexer(index, docs);
        sleep_ms(rand() % max_delay);
        kill(pid, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        killed_mid_run += WIFSIGNALED(status);
        if (!WIFSIGNALED(status))
            max_delay = max_delay / 2 + 1;
        mutate(docs, k);
    }
    if (killed_mid_run < KILLS / 4) /* the kills must land mid-run to test anything */
        fail_msg("only %d of %d kills landed mid-run", killed_mid_run, KILLS);
    assert_int_equal(run_indexer(index, docs), 0);
    assert_int_equal(run_indexer(clean, docs), 0);
    /* the clean index lives elsewhere but indexes the same paths */
    char what[32];
    snprintf(what, sizeof what, "%d kills", KILLS);
    assert_same_index(index, clean, what);
}

/* each_term callback: collect XP<id> ids. */
typedef struct ids { char id[256][17]; int n; } ids;
static int collect_parent(const char *term, void *ud)
{
    ids *s = ud;
    if (strlen(term) == 18 && s->n < 256)
        memcpy(s->id[s->n++], term + 2, 17);
    return 0;
}

/* Delete the files whose documents reached Xapian but not the store (the
 * crash fell between the two commits): what a user may well do next.
 * Returns how many were deleted. */
static int delete_orphaned_files(const char *index, const char *docs, int first, int last)
{
    char sfile[256];
    snprintf(sfile, sizeof sfile, "%s/meta.sqlite3", index);
    ids in_xapian = {0};
    size_t n_shards = 0;
    motesok_xwriter **w = open_shards(index, &n_shards);
    for (size_t k = 0; k < n_shards; k++)
        assert_int_equal(motesok_xwriter_each_term(w[k], "XP", collect_parent, &in_xapian, NULL),
                         MOTESOK_OK);
    close_shards(w, n_shards);
    motesok_store *st = NULL;
    assert_int_equal(motesok_store_open(sfile, true, &st, NULL), MOTESOK_OK);
    int deleted = 0;
    for (int i = first; i <= last; i++) {
        char path[256], id[17];
        snprintf(path, sizeof path, "%s/mote-%03d.txt", docs, i);
        motesok_path_id(path, id);
        motesok_file_row row;
        bool found = false;
        assert_int_equal(motesok_store_get(st, path, &row, &found, NULL), MOTESOK_OK);
        motesok_file_row_clear(&row);
        bool orphan = false;
        for (int k = 0; k < in_xapian.n; k++)
            orphan = orphan || strcmp(in_xapian.id[k], id) == 0;
        if (orphan && !found && unlink(path) == 0)
            deleted++;
    }
    motesok_store_close(st);
    return deleted;
}

/* Kill the indexer exactly between its Xapian and its store commit, in
 * several batches, deleting the files it left half-recorded and changing
 * others in between. */
static void test_crash_between_xapian_and_store_commit(void **state)
{
    (void)state;
    char docs[128], index[128], clean[128];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    snprintf(clean, sizeof clean, "%s/clean", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    for (int i = 0; i < 50; i++)
        write_minutes(docs, i, "");
    int orphans = 0;
    static const char *const points[] = {"after-xapian-commit:1", "after-xapian-commit:3",
                                         "after-xapian-commit:7", "after-xapian-commit:2",
                                         "after-xapian-commit:12"};
    for (int k = 0; k < 5; k++) {
        setenv("MOTESOK_TEST_CRASH", points[k], 1);
        int code = run_indexer(index, docs);
        unsetenv("MOTESOK_TEST_CRASH");
        assert_int_equal(code, 128 + SIGKILL);
        orphans += delete_orphaned_files(index, docs, 0, 200);
        mutate(docs, k);
    }
    assert_true(orphans >= 3); /* the window was really hit */
    assert_int_equal(run_indexer(index, docs), 0);
    assert_int_equal(run_indexer(clean, docs), 0);
    assert_same_index(index, clean, "crashes between commits");
}

/* Twins (the corpus's TXT and PDF of each meeting) killed between the
 * Xapian and the store commits while pairs form, part (a PDF removed, a
 * TXT changed into other minutes) and form again: the next run leaves
 * the pairs in Xapian and the store as a clean build does. */
static void test_crash_twins_between_commits(void **state)
{
    (void)state;
    char docs[128], index[128], clean[128], cmd[512], path[512];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    snprintf(clean, sizeof clean, "%s/clean", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    /* the TXTs first ("0-…"), so that a PDF indexed after its TXT joins the
     * TXT, already committed, to its meeting */
    snprintf(cmd, sizeof cmd, "for f in %s/*.txt; do cp \"$f\" %s/0-\"${f##*/}\"; done", CORPUS,
             docs);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run_indexer(index, docs), 0); /* a whole run: no re-analysis after */
    snprintf(cmd, sizeof cmd, "cp %s/*.pdf %s/", CORPUS, docs);
    assert_int_equal(system(cmd), 0);
    static const char *const points[] = {"after-xapian-commit:1", "after-xapian-commit:2",
                                         "after-xapian-commit:2", "after-xapian-commit:1"};
    for (int k = 0; k < 4; k++) {
        setenv("MOTESOK_TEST_CRASH", points[k], 1);
        int code = run_indexer(index, docs);
        unsetenv("MOTESOK_TEST_CRASH");
        assert_true(code == 128 + SIGKILL || code == 0);
        if (k == 0) { /* the PDFs go, one of them joined to its TXT in Xapian only */
            snprintf(cmd, sizeof cmd, "rm %s/*.pdf", docs);
            assert_int_equal(system(cmd), 0);
            char alone[128];
            snprintf(alone, sizeof alone, "%s/clean-txt", tmp);
            assert_int_equal(run_indexer(index, docs), 0);
            assert_int_equal(run_indexer(alone, docs), 0);
            assert_same_index(index, alone, "a crash while a PDF joined its TXT, then no PDF");
        } else if (k == 1) { /* and come back */
            snprintf(cmd, sizeof cmd, "cp %s/*.pdf %s/", CORPUS, docs);
            assert_int_equal(system(cmd), 0);
        } else if (k == 2) { /* a TXT becomes other minutes */
            snprintf(path, sizeof path, "%s/0-2017-06-01-radmannsgruppen-referat.txt", docs);
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            fputs("Rådmannsgruppen\nMøtedato: 1. juni 2017\n\nSak 1/17 Ny vei til skolen. "
                  "Vedtak: Rådmannen lager en plan for trygg skolevei innen høsten.\n", f);
            fclose(f);
        }
    }
    assert_int_equal(run_indexer(index, docs), 0);
    assert_int_equal(run_indexer(clean, docs), 0);
    char *fp = fingerprint(clean);
    assert_int_equal(strstr(fp, "hidden twin") != NULL, 1); /* pairs were formed */
    free(fp);
    assert_same_index(index, clean, "crashes while twins pair and part");
}

/* Write a text of about mb MiB (more than MSK_BIG_TEXT_BYTES: indexed page
 * by page, the shards flushed every 4 MiB of it), its last line saying
 * which version it is. */
static void write_big_text(const char *dir, size_t mb, int version)
{
    static const char *const words[] = {"kommunestyret", "vedtok", "budsjettet", "skolen",
                                        "helse", "omsorg", "legevakt", "tilskot", "planen"};
    char path[256];
    snprintf(path, sizeof path, "%s/samla-moteboker.txt", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "Møtebok for Testutvalet\n\n");
    size_t bytes = 0;
    for (unsigned line = 0; bytes < mb << 20; line++)
        bytes += (size_t)fprintf(f, "%s %s %u %s.%s", words[line % 9], words[line / 9 % 9], line,
                                 words[line / 81 % 9], line % 8 == 7 ? "\n\n" : "\n");
    fprintf(f, "Versjon %d.\n", version);
    fclose(f);
}

/* Killed in the middle of a big text, between two of its shard flushes
 * (pages of it committed to Xapian, its row not in the store), the index
 * is repaired at the next open and the file indexed again whole: as new,
 * and as a changed version of a file indexed before. */
static void test_crash_in_the_middle_of_a_big_text(void **state)
{
    (void)state;
    char docs[128], index[128], clean[128];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    for (int i = 0; i < 5; i++)
        write_minutes(docs, i, "");
    write_big_text(docs, 9, 1);
    for (int version = 1; version <= 2; version++) {
        if (version == 2)
            write_big_text(docs, 9, 2);
        setenv("MOTESOK_TEST_CRASH", "big-flush:1", 1);
        int code = run_indexer(index, docs);
        unsetenv("MOTESOK_TEST_CRASH");
        assert_int_equal(code, 128 + SIGKILL);
        assert_int_equal(run_indexer(index, docs), 0);
        snprintf(clean, sizeof clean, "%s/clean%d", tmp, version);
        assert_int_equal(run_indexer(clean, docs), 0);
        assert_same_index(index, clean, "a crash inside a big text");
    }
}

/* Copy file src to dst; true on success. */
static bool copy_into(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    char buf[65536];
    size_t n;
    bool ok = in != NULL && out != NULL;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in != NULL)
        fclose(in);
    if (out != NULL)
        ok = fclose(out) == 0 && ok;
    return ok;
}

/* Files indexed and failed in the store of index (0, 0 before it exists). */
static void store_counts(const char *index, int64_t *ok, int64_t *failed)
{
    char path[256];
    snprintf(path, sizeof path, "%s/meta.sqlite3", index);
    motesok_store *st = NULL;
    motesok_store_stats stats = {0};
    *ok = *failed = 0;
    if (access(path, R_OK) != 0 || motesok_store_open(path, true, &st, NULL) != MOTESOK_OK)
        return;
    if (motesok_store_stats_get(st, &stats, NULL) == MOTESOK_OK)
        *ok = stats.ok, *failed = stats.failed;
    motesok_store_close(st);
}

/* Ctrl-C in a terminal sends SIGINT to the whole foreground process group:
 * the indexer stops cleanly (exit 130), and no file in flight in an
 * extraction worker is recorded as failed; the next run finishes the job
 * with every file indexed. */
static void test_crash_ctrl_c_marks_nothing_failed(void **state)
{
    (void)state;
    char docs[128], index[128];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    /* PDFs: their text is extracted in the worker processes */
    static const char *const pdfs[] = {"2010-08-27-regionradet-for-hallingdal-motebok.pdf",
                                       "2018-02-23-radmannsutvalget-referat.pdf",
                                       "2010-08-27-regionradet-for-hallingdal-motebok.pdf",
                                       "2018-12-04-kommunegruppenettverk-referat.pdf"};
    enum { COPIES = 12, FILES = 4 * COPIES };
    for (int n = 0; n < FILES; n++) {
        char src[512], dst[256];
        snprintf(src, sizeof src, "%s/%s", CORPUS, pdfs[n % 4]);
        snprintf(dst, sizeof dst, "%s/kopi-%03d-%s", docs, n, pdfs[n % 4]);
        assert_int_equal(link(src, dst) == 0 || copy_into(src, dst), true);
    }

    /* the indexer leads its own group, as a shell's foreground job does */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    char *argv[] = {INDEXER, "--quiet", "--batch", "1", "--jobs", "4", "--index", index, docs, NULL};
    pid_t pid = -1;
    assert_int_equal(posix_spawn(&pid, INDEXER, &fa, &at, argv, environ), 0);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);

    /* wait until files are being indexed, then press Ctrl-C */
    int64_t ok = 0, failed = 0;
    int status = 0;
    bool done = false;
    while (ok < 8 && !done) {
        sleep_ms(20);
        store_counts(index, &ok, &failed);
        done = waitpid(pid, &status, WNOHANG) == pid;
    }
    if (!done) {
        assert_int_equal(kill(-pid, SIGINT), 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_true(WEXITSTATUS(status) == 130 || WEXITSTATUS(status) == 0);
    }
    store_counts(index, &ok, &failed);
    assert_int_equal(failed, 0);

    assert_int_equal(run_indexer(index, docs), 0);
    store_counts(index, &ok, &failed);
    assert_int_equal(failed, 0);
    assert_int_equal(ok, FILES);
}

/* Killed while Xapian was making a new index's shards (the folder and
 * some tables written, not yet its version file): the next run must not
 * stop on the shard it never finished, and must build the same index as
 * a clean run. The state is laid out by hand, as the kill would leave it:
 * the shard list, the shards' folders, the last with a table and no
 * version file. */
static void test_crash_while_making_a_shard(void **state)
{
    (void)state;
    char docs[128], index[128], clean[128], path[256];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    snprintf(clean, sizeof clean, "%s/clean", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    for (int i = 0; i < 6; i++)
        write_minutes(docs, i, "");
    /* as many shards as a new index gets here (one per CPU), the last cut short */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = cpus < 1 ? 1u : cpus > (long)MSK_SHARDS_MAX ? MSK_SHARDS_MAX : (unsigned)cpus;
    assert_int_equal(mkdir(index, 0755), 0);
    snprintf(path, sizeof path, "%s/" MSK_SHARDS_STUB, index);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (unsigned k = 0; k < n; k++)
        fprintf(f, "glass " MSK_SHARDS_DIR "/%u\n", k);
    assert_int_equal(fclose(f), 0);
    snprintf(path, sizeof path, "%s/" MSK_SHARDS_DIR, index);
    assert_int_equal(mkdir(path, 0755), 0);
    for (unsigned k = 0; k < n; k++) {
        snprintf(path, sizeof path, "%s/" MSK_SHARDS_DIR "/%u", index, k);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    snprintf(path, sizeof path, "%s/" MSK_SHARDS_DIR "/%u/postlist.glass", index, n - 1);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("half a table", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(run_indexer(index, docs), 0);
    assert_int_equal(run_indexer(clean, docs), 0);
    assert_same_index(index, clean, "a shard cut short");
}

/* Count the entries of shard folder dir/shards whose names end in suffix. */
static int leftovers(const char *index, const char *suffix)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -d %s/shards/*%s 2>/dev/null)\"", index, suffix);
    return system(cmd) == 0 ? 0 : 1;
}

/* Kill the indexer at each step of the compaction after its final commit
 * (copy written; old database moved aside, when the file system cannot
 * exchange two folders at once; copy swapped in), in either shard. Every
 * time the next run must find the committed index whole, finish or undo
 * the swap, and leave the same index as a clean build. */
static void test_crash_during_compaction(void **state)
{
    (void)state;
    char docs[128], index[128], clean[128];
    snprintf(docs, sizeof docs, "%s/docs", tmp);
    snprintf(index, sizeof index, "%s/index", tmp);
    snprintf(clean, sizeof clean, "%s/clean", tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    for (int i = 0; i < 30; i++)
        write_minutes(docs, i, "");
    static const struct { const char *point; bool no_exchange; } kills[] = {
        {"compact-built:1", false}, {"compact-built:2", false}, {"compact-swapped:1", false},
        {"compact-swapped:2", false}, {"compact-moved:1", true}, {"compact-moved:2", true},
        {"compact-swapped:1", true},
    };
    assert_int_equal(run_indexer(clean, docs), 0);
    char *want = fingerprint(clean);
    for (size_t k = 0; k < sizeof kills / sizeof *kills; k++) {
        setenv("MOTESOK_TEST_CRASH", kills[k].point, 1);
        if (kills[k].no_exchange)
            setenv("MOTESOK_TEST_NO_EXCHANGE", "1", 1);
        int code = run_indexer_with(index, docs, "--compact");
        unsetenv("MOTESOK_TEST_CRASH");
        unsetenv("MOTESOK_TEST_NO_EXCHANGE");
        if (code != 128 + SIGKILL)
            fail_msg("%s: the indexer was not killed (exit %d)", kills[k].point, code);
        if (!kills[k].no_exchange) { /* an exchange never leaves a shard missing */
            char *got = fingerprint(index);
            if (strcmp(got, want) != 0)
                fail_msg("%s: killed index differs:\n%.1500s\n--- want\n%.1500s",
                         kills[k].point, got, want);
            free(got);
        }
        assert_int_equal(run_indexer_with(index, docs, "--no-compact"), 0);
        assert_int_equal(leftovers(index, ".new") + leftovers(index, ".old"), 0);
        char *got = fingerprint(index);
        if (strcmp(got, want) != 0)
            fail_msg("%s: index after the next run differs:\n%.1500s\n--- want\n%.1500s",
                     kills[k].point, got, want);
        free(got);
    }
    free(want);
}

static int setup(void **state)
{
    (void)state;
    assert_true(msk_test_mkdtemp(tmp, sizeof tmp, "test-crash"));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    msk_test_rmtree(tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_crash_kill9_then_rerun_matches_clean_build, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_crash_between_xapian_and_store_commit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_crash_twins_between_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_while_making_a_shard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_ctrl_c_marks_nothing_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_during_compaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_in_the_middle_of_a_big_text, setup, teardown),
    };
    if (getenv("MOTESOK_TEST_FILTER") != NULL) /* e.g. "*compaction*": run only those */
        cmocka_set_test_filter(getenv("MOTESOK_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
