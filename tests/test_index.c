/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for lib/index.c: incremental indexing, failures, sweep, and the
 * repair of a batch interrupted between the Xapian and the store commit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "motesok/motesok.h"
#include "schema.h"
#include "analysis/query.h"
#include "store.h"
#include "shards.h"
#include "test_tmpdir.h"

typedef struct fixture {
    char root[64];  /* temp dir */
    char docs[96];  /* files to index */
    char index[96]; /* index dir */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->root, sizeof f->root, "test-index"));
    snprintf(f->docs, sizeof f->docs, "%s/docs", f->root);
    snprintf(f->index, sizeof f->index, "%s/index", f->root);
    assert_int_equal(mkdir(f->docs, 0755), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msk_test_rmtree(f->root);
    free(f);
    return 0;
}

/* Write content to docs/name and return its path in out. */
static void write_doc(const fixture *f, const char *name, const char *content, char *out)
{
    snprintf(out, 160, "%s/%s", f->docs, name);
    FILE *fp = fopen(out, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, strlen(content), fp), strlen(content));
    fclose(fp);
}

/* Set a file's mtime to t seconds. */
static void set_mtime(const char *path, time_t t)
{
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Prepare, run and finish one file; returns its outcome. */
static motesok_outcome index_one(motesok_index *idx, const char *path, motesok_file_result *res)
{
    motesok_job *job = NULL;
    motesok_error err;
    assert_int_equal(motesok_index_prepare(idx, path, &job, res, &err), MOTESOK_OK);
    if (job == NULL)
        return res->outcome;
    motesok_job_run(job);
    assert_int_equal(motesok_index_finish(idx, job, res, &err), MOTESOK_OK);
    return res->outcome;
}

/* A reader over every shard of the fixture's index. */
static motesok_xreader *open_reader(const fixture *f)
{
    char **dirs = NULL;
    size_t n = 0;
    motesok_xreader *r = NULL;
    assert_int_equal(msk_shards_list(f->index, &dirs, &n, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xreader_open((const char *const *)dirs, n, &r, NULL), MOTESOK_OK);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
    return r;
}

/* Number of hits for a query on the index's Xapian database. */
static uint64_t hits(const fixture *f, const char *query)
{
    motesok_xreader *r = open_reader(f);
    motesok_error err;
    msk_query_options po = {.parser.default_and = true};
    motesok_xquery *q = NULL;
    assert_int_equal(msk_query_parse(r, query, &po, &q, NULL, &err), MOTESOK_OK);
    motesok_xsearch s = {.query = q, .limit = 100, .sort_slot = -1, .collapse_slot = -1,
                         .check_at_least = 1000};
    motesok_xresults *res = NULL;
    assert_int_equal(motesok_xreader_search(r, &s, &res, &err), MOTESOK_OK);
    uint64_t n = motesok_xresults_count(res);
    motesok_xresults_free(res);
    motesok_xquery_free(q);
    motesok_xreader_close(r);
    return n;
}

/* Open the store of the fixture's index read-only and fetch path's row. */
static bool stored_row(const fixture *f, const char *path, motesok_file_row *row)
{
    char sfile[160];
    snprintf(sfile, sizeof sfile, "%s/%s", f->index, MOTESOK_STORE_FILE);
    motesok_store *s = NULL;
    assert_int_equal(motesok_store_open(sfile, true, &s, NULL), MOTESOK_OK);
    bool found = false;
    assert_int_equal(motesok_store_get(s, path, row, &found, NULL), MOTESOK_OK);
    motesok_store_close(s);
    return found;
}

static void test_index_prepare_skips_unchanged(void **state)
{
    fixture *f = *state;
    char a[160];
    write_doc(f, "a.txt", "Rådmannsutvalget drøftet utvida legevakt med røntgen.\n", a);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(res.pages, 1);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_UNCHANGED);
    motesok_index_close(idx);
    assert_int_equal(hits(f, "legevakt"), 1);
    motesok_file_row row = {0};
    assert_true(stored_row(f, a, &row));
    assert_int_equal(row.status, MOTESOK_FILE_OK);
    assert_string_equal(row.title, "Rådmannsutvalget drøftet utvida legevakt med røntgen.");
    assert_int_equal(strlen(row.hash), 16);
    motesok_file_row_clear(&row);
}

static void test_index_finish_replaces_changed_file(void **state)
{
    fixture *f = *state;
    char a[160];
    write_doc(f, "a.txt", "Sak om legevakt.\n", a);
    set_mtime(a, 1000000);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_INDEXED);
    write_doc(f, "a.txt", "Sak om jordmortjeneste.\n", a);
    set_mtime(a, 2000000);
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_INDEXED);
    /* same content, new mtime: counted unchanged, row refreshed */
    set_mtime(a, 3000000);
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_UNCHANGED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    assert_int_equal(hits(f, "legevakt"), 0);
    assert_int_equal(hits(f, "jordmortjeneste"), 1);
    motesok_file_row row = {0};
    assert_true(stored_row(f, a, &row));
    assert_int_equal(row.mtime_ns, (int64_t)3000000 * 1000000000);
    motesok_file_row_clear(&row);
}

static void test_index_finish_records_failures_once(void **state)
{
    fixture *f = *state;
    char bin[160], empty[160];
    write_doc(f, "bin.txt", "", bin);
    FILE *fp = fopen(bin, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919) & 0xff, fp);
    fclose(fp);
    write_doc(f, "empty.pdf", "", empty);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    motesok_outcome o = index_one(idx, bin, &res);
    assert_true(o == MOTESOK_OUTCOME_UNSUPPORTED || o == MOTESOK_OUTCOME_FAILED);
    assert_true(res.message[0] != '\0');
    assert_int_equal(index_one(idx, empty, &res), MOTESOK_OUTCOME_FAILED);
    assert_int_equal(res.code, MOTESOK_ERR_NO_TEXT);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    /* an unchanged failed file is not tried again ... */
    assert_int_equal(index_one(idx, empty, &res), MOTESOK_OUTCOME_UNCHANGED);
    /* ... and the same walk problem recorded twice counts once */
    assert_int_equal(motesok_index_record_failure(idx, "/nonexistent/loop", MOTESOK_ERR_IO,
                                                  "symlink loop", &res, NULL), MOTESOK_OK);
    assert_int_equal(res.outcome, MOTESOK_OUTCOME_FAILED);
    assert_int_equal(motesok_index_record_failure(idx, "/nonexistent/loop", MOTESOK_ERR_IO,
                                                  "symlink loop", &res, NULL), MOTESOK_OK);
    assert_int_equal(res.outcome, MOTESOK_OUTCOME_UNCHANGED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    motesok_file_row row = {0};
    assert_true(stored_row(f, empty, &row));
    assert_int_equal(row.status, MOTESOK_FILE_FAILED);
    assert_string_equal(row.error_code, "ERR_NO_TEXT");
    motesok_file_row_clear(&row);
}

/* Sweep "seen" callback: only paths containing "keep" were seen. */
static bool seen_keep(const char *path, void *ud)
{
    (void)ud;
    return strstr(path, "keep") != NULL;
}

static void test_index_sweep_removes_vanished(void **state)
{
    fixture *f = *state;
    char keep[160], gone[160];
    write_doc(f, "keep.txt", "Vedtak om legevakt.\n", keep);
    write_doc(f, "gone.txt", "Vedtak om legevakt i påsken.\n", gone);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    index_one(idx, keep, &res);
    index_one(idx, gone, &res);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    assert_int_equal(hits(f, "legevakt"), 2);
    /* what a sweep could remove: the files at or below a root, only */
    int64_t held = -1;
    assert_int_equal(motesok_index_count_under(idx, f->docs, &held, NULL), MOTESOK_OK);
    assert_int_equal(held, 2);
    assert_int_equal(motesok_index_count_under(idx, keep, &held, NULL), MOTESOK_OK);
    assert_int_equal(held, 1);
    char sibling[200]; /* a folder whose name begins like docs' is not under it */
    snprintf(sibling, sizeof sibling, "%s-other", f->docs);
    assert_int_equal(motesok_index_count_under(idx, sibling, &held, NULL), MOTESOK_OK);
    assert_int_equal(held, 0);
    const char *roots[] = {f->docs};
    size_t removed = 0;
    assert_int_equal(motesok_index_sweep(idx, roots, 1, seen_keep, NULL, &removed, NULL),
                     MOTESOK_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    assert_int_equal(hits(f, "legevakt"), 1);
    motesok_file_row row = {0};
    assert_false(stored_row(f, gone, &row));
    assert_true(stored_row(f, keep, &row));
    motesok_file_row_clear(&row);
}

/* Sweep "seen" callback: every file under the roots was seen. */
static bool seen_all(const char *path, void *ud)
{
    (void)path;
    (void)ud;
    return true;
}

/* A run over one folder removes a vanished file of another folder only
 * when that folder is there and not empty: an unmounted share (an empty
 * mount point, or no folder at all) keeps its files in the index. */
static void test_index_sweep_keeps_unmounted_folders(void **state)
{
    fixture *f = *state;
    const char *dirs[] = {"root", "mounted", "unmounted", "removed"};
    for (size_t i = 0; i < 4; i++) {
        char d[200];
        snprintf(d, sizeof d, "%s/%s", f->docs, dirs[i]);
        assert_int_equal(mkdir(d, 0755), 0);
    }
    char r[160], a[160], b[160], c[160], d[160];
    write_doc(f, "root/r.txt", "Vedtak om legevakt i roten.\n", r);
    write_doc(f, "mounted/a.txt", "Vedtak om legevakt, fil a.\n", a);
    write_doc(f, "mounted/b.txt", "Vedtak om legevakt, fil b.\n", b);
    write_doc(f, "unmounted/c.txt", "Vedtak om legevakt, fil c.\n", c);
    write_doc(f, "removed/d.txt", "Vedtak om legevakt, fil d.\n", d);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    const char *all[] = {r, a, b, c, d};
    for (size_t i = 0; i < 5; i++)
        index_one(idx, all[i], &res);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    assert_int_equal(unlink(a), 0); /* deleted from a folder still there */
    assert_int_equal(unlink(c), 0); /* the mount point left empty */
    assert_int_equal(unlink(d), 0); /* the folder gone as well */
    char removed_dir[200];
    snprintf(removed_dir, sizeof removed_dir, "%s/removed", f->docs);
    assert_int_equal(rmdir(removed_dir), 0);
    char root[200];
    snprintf(root, sizeof root, "%s/root", f->docs);
    const char *roots[] = {root};
    size_t removed = 0;
    assert_int_equal(motesok_index_sweep(idx, roots, 1, seen_all, NULL, &removed, NULL),
                     MOTESOK_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    motesok_file_row row = {0};
    assert_false(stored_row(f, a, &row));
    const char *kept[] = {r, b, c, d};
    for (size_t i = 0; i < 4; i++) {
        assert_true(stored_row(f, kept[i], &row));
        motesok_file_row_clear(&row);
    }
}

/* Simulate a crash after Xapian committed a batch but before the store
 * did: the store loses its rows; reopening must make both sides agree. */
static void test_index_open_repairs_interrupted_batch(void **state)
{
    fixture *f = *state;
    char a[160], b[160];
    write_doc(f, "a.txt", "Første sak om legevakt.\n", a);
    write_doc(f, "b.txt", "Andre sak om legevakt.\n", b);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    index_one(idx, a, &res);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    index_one(idx, b, &res);
    motesok_index_close(idx); /* b is pending: rolled back in the store */

    /* Now make Xapian hold b as if its commit had happened alone. */
    char xdir[160], id[17], q[32], xp[32];
    motesok_path_id(b, id);
    char **dirs = NULL;
    size_t n_dirs = 0;
    assert_int_equal(msk_shards_list(f->index, &dirs, &n_dirs, NULL), MOTESOK_OK);
    snprintf(xdir, sizeof xdir, "%s", dirs[msk_shard_of((unsigned)n_dirs, id)]);
    for (size_t i = 0; i < n_dirs; i++)
        free(dirs[i]);
    free(dirs);
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(xdir, &w, NULL), MOTESOK_OK);
    motesok_xdoc *d = NULL;
    assert_int_equal(motesok_xwriter_new_doc(w, &d, NULL), MOTESOK_OK);
    snprintf(q, sizeof q, "Q%s:0", id);
    snprintf(xp, sizeof xp, "XP%s", id);
    assert_int_equal(motesok_xdoc_index_text(d, "legevakt", 8, 1, "", NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, q, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xdoc_add_boolean_term(d, xp, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_replace(w, q, d, NULL), MOTESOK_OK);
    motesok_xdoc_free(d);
    assert_int_equal(motesok_xwriter_set_metadata(w, MOTESOK_META_BATCH, "99", NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
    assert_int_equal(hits(f, "legevakt"), 2);

    /* Reopening reconciles: the orphan (no store row) goes ... */
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    assert_int_equal(hits(f, "legevakt"), 1);
    /* ... and a re-run indexes b once, with no duplicate. */
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_UNCHANGED);
    assert_int_equal(index_one(idx, b, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    assert_int_equal(hits(f, "legevakt"), 2);
}

/* Index the n files at paths, each new, into the fixture's index opened with
 * opt (may be NULL), in one commit. */
static void index_paths(const fixture *f, const motesok_index_options *opt,
                        const char *const *paths, size_t n)
{
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, opt, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(index_one(idx, paths[i], &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
}

/* Write content to docs/name (its path into path) and index it alone into
 * a new index opened with opt (may be NULL). */
static void index_new_file(const fixture *f, const char *name, const char *content,
                           const motesok_index_options *opt, char *path)
{
    write_doc(f, name, content, path);
    const char *const one[] = {path};
    index_paths(f, opt, one, 1);
}

/* Minutes with a preamble and two cases, the second over a page break. */
static const char MINUTES[] =
    "MØTEBOK\nFormannskapet\nMøtedato: 14.06.2018\n\n"
    "Sak 11/2018 Godkjenning av protokoll\nVedtak: Protokollen godkjennes.\n\n"
    "Sak 12/2018 Felles legevakt\nSaksutredning om legevakt i regionen.\f"
    "Vedtak: Formannskapet slutter seg til felles legevakt.\n";

/* Number of Xapian documents over every shard of the fixture's index. */
static uint64_t doccount(const fixture *f)
{
    motesok_xreader *r = open_reader(f);
    uint64_t docs = 0;
    assert_int_equal(motesok_xreader_stats(r, &docs, NULL, NULL), MOTESOK_OK);
    motesok_xreader_close(r);
    return docs;
}

static void test_index_passages_hold_the_text_once(void **state)
{
    fixture *f = *state;
    char path[160];
    motesok_index_options opt = {.shards = 2};
    index_new_file(f, "fsk.txt", MINUTES, &opt, path);
    /* the preamble and two cases: three documents, no whole-file one */
    assert_int_equal(doccount(f), 3);
    /* each word in one passage only: "legevakt" in case 12 alone */
    assert_int_equal(hits(f, "legevakt"), 1);
    assert_int_equal(hits(f, "protokollen"), 1);
    /* the file's text comes back whole, pages and all, from its passages */
    char id[17];
    motesok_path_id(path, id);
    motesok_searcher *s = NULL;
    motesok_page_text *t = NULL;
    assert_int_equal(motesok_searcher_open(f->index, &s, NULL), MOTESOK_OK);
    assert_int_equal(motesok_searcher_text(s, id, 0, &t, NULL), MOTESOK_OK);
    assert_int_equal(t->pages, 1); /* a text file */
    char want[sizeof MINUTES];
    memcpy(want, MINUTES, sizeof MINUTES);
    *strchr(want, '\f') = '\n'; /* text files keep no form feeds */
    assert_string_equal(t->text, want);
    motesok_page_text_free(t);
    motesok_searcher_close(s);
}

static void test_index_new_shard_count_rebuilds(void **state)
{
    fixture *f = *state;
    char a[160], b[160];
    write_doc(f, "a.txt", MINUTES, a);
    write_doc(f, "b.txt", "Referat om legevakt og røntgen.\n", b);
    motesok_index_options two = {.shards = 2}, one = {.shards = 1}, keep = {0};
    motesok_index *idx = NULL;
    motesok_file_result res;
    assert_int_equal(motesok_index_open(f->index, &two, &idx, NULL), MOTESOK_OK);
    assert_null(motesok_index_rebuilding(idx)); /* a new index has nothing to redo */
    index_one(idx, a, &res);
    index_one(idx, b, &res);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    assert_int_equal(hits(f, "legevakt"), 2);
    /* another count: laid out anew, every file indexed again, none lost */
    assert_int_equal(motesok_index_open(f->index, &one, &idx, NULL), MOTESOK_OK);
    assert_non_null(motesok_index_rebuilding(idx));
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(index_one(idx, b, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    char **dirs = NULL;
    size_t n = 0;
    assert_int_equal(msk_shards_list(f->index, &dirs, &n, NULL), MOTESOK_OK);
    assert_int_equal(n, 1);
    free(dirs[0]);
    free(dirs);
    assert_int_equal(hits(f, "legevakt"), 2);
    assert_int_equal(doccount(f), 4);
    /* no count asked: the index keeps its own, and nothing is redone */
    assert_int_equal(motesok_index_open(f->index, &keep, &idx, NULL), MOTESOK_OK);
    assert_null(motesok_index_rebuilding(idx));
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_UNCHANGED);
    motesok_index_close(idx);
}

static void test_index_old_layout_is_rebuilt(void **state)
{
    fixture *f = *state;
    char a[160], old[200];
    write_doc(f, "a.txt", MINUTES, a);
    /* an index of the first layout: one database in xapian/, a store row */
    assert_int_equal(mkdir(f->index, 0755), 0);
    snprintf(old, sizeof old, "%s/xapian", f->index);
    motesok_xwriter *w = NULL;
    assert_int_equal(motesok_xwriter_open(old, &w, NULL), MOTESOK_OK);
    assert_int_equal(motesok_xwriter_commit(w, NULL), MOTESOK_OK);
    motesok_xwriter_close(w);
    motesok_searcher *s = (motesok_searcher *)&w;
    motesok_error err;
    assert_int_equal(motesok_searcher_open(f->index, &s, &err), MOTESOK_ERR_DB_VERSION);
    assert_non_null(strstr(err.message, "run motesok-index"));
    motesok_index *idx = NULL;
    motesok_file_result res;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    assert_non_null(motesok_index_rebuilding(idx));
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    struct stat st;
    assert_int_not_equal(stat(old, &st), 0); /* the old database is gone */
    assert_int_equal(hits(f, "legevakt"), 1);
}

/* Formannskapet in Ringsaker: one case decided unanimously, one that
 * has a proposal only (postponed). */
static const char RINGSAKER[] =
    "Ringsaker kommune\n"
    "\n"
    "MØTEPROTOKOLL\n"
    "\n"
    "Formannskapet\n"
    "\n"
    "Møtedato: 12.03.2009\n"
    "Møtested: Rådhuset\n"
    "\n"
    "PS 56/09 Ny brannstasjon i Moelv\n"
    "\n"
    "Rådmannens innstilling:\n"
    "Formannskapet går inn for å bygge ny brannstasjon i Moelv.\n"
    "\n"
    "Behandling i Formannskapet:\n"
    "Innstillingen ble enstemmig vedtatt.\n"
    "\n"
    "Vedtak:\n"
    "Formannskapet går inn for å bygge ny brannstasjon i Moelv.\n"
    "\n"
    "PS 57/09 Kjøp av tomt til barnehage\n"
    "\n"
    "Rådmannens innstilling:\n"
    "Kommunen kjøper tomta på Næroset til ny barnehage.\n"
    "\n"
    "Behandling i Formannskapet:\n"
    "Saken ble utsatt til neste møte.\n";

/* Search the fixture's index; the caller frees the answer. */
static motesok_search_result *search_index(const fixture *f, motesok_search_request req)
{
    motesok_searcher *s = NULL;
    assert_int_equal(motesok_searcher_open(f->index, &s, NULL), MOTESOK_OK);
    motesok_search_result *out = NULL;
    motesok_error err;
    if (motesok_searcher_search(s, &req, &out, &err) != MOTESOK_OK)
        fail_msg("search '%s': %s", req.query, err.message);
    motesok_searcher_close(s);
    return out;
}

/* Total of a search. */
static uint64_t total_of(const fixture *f, motesok_search_request req)
{
    motesok_search_result *j = search_index(f, req);
    uint64_t n = j->total;
    motesok_search_result_free(j);
    return n;
}

static void test_index_kommune_case_keys_and_votes(void **state)
{
    fixture *f = *state;
    char path[160];
    index_new_file(f, "fsk.txt", RINGSAKER, NULL, path);
    /* kommune: a filter (any case), a query field and a facet */
    assert_int_equal(total_of(f, (motesok_search_request){.query = "brannstasjon",
                                                          .kommune = "RINGSAKER"}), 1);
    assert_int_equal(total_of(f, (motesok_search_request){.query = "brannstasjon",
                                                          .kommune = "Hamar"}), 0);
    assert_int_equal(total_of(f, (motesok_search_request){.query = "kommune:ringsaker barnehage"}),
                     1);
    assert_int_equal(total_of(f, (motesok_search_request){.query = "kommune:hamar barnehage"}), 0);
    motesok_search_result *j = search_index(f, (motesok_search_request){.query = "brannstasjon"});
    const motesok_facet *facet = &j->facets[1];
    assert_string_equal(facet->name, "kommune");
    assert_int_equal(facet->n_values, 1);
    assert_string_equal(facet->values[0].value, "Ringsaker");
    assert_int_equal(facet->values[0].count, 1);
    assert_true(j->n_hits >= 1);
    const motesok_hit *hit = &j->hits[0];
    assert_string_equal(hit->kommune, "Ringsaker");
    const motesok_case_info *c = hit->matched_case;
    assert_non_null(c);
    assert_string_equal(c->number, "56/09");
    assert_string_equal(c->key, "56/2009");
    assert_non_null(c->decision);
    assert_true(c->has_vote);
    assert_string_equal(c->vote.outcome, "enstemmig");
    assert_int_equal(c->vote.votes_for, MOTESOK_NO_NUMBER); /* not counted */
    assert_int_equal(c->vote.votes_against, MOTESOK_NO_NUMBER);
    motesok_search_result_free(j);
    /* the document lists both cases in page order, each with its vote */
    char id[17];
    motesok_path_id(path, id);
    motesok_searcher *s = NULL;
    motesok_document *d = NULL;
    assert_int_equal(motesok_searcher_open(f->index, &s, NULL), MOTESOK_OK);
    assert_int_equal(motesok_searcher_document(s, id, &d, NULL), MOTESOK_OK);
    assert_string_equal(d->kommune, "Ringsaker");
    assert_string_equal(d->organ, "Formannskapet");
    assert_string_equal(d->date, "2009-03-12");
    assert_string_equal(d->status, "ok");
    assert_int_equal(d->n_cases, 2);
    assert_string_equal(d->cases[0].number, "56/09");
    assert_string_equal(d->cases[0].vote.outcome, "enstemmig");
    assert_string_equal(d->cases[1].number, "57/09");
    assert_true(d->cases[1].has_vote);
    assert_null(d->cases[1].vote.outcome); /* postponed: no vote */
    assert_null(d->cases[1].decision);
    assert_int_equal(d->cases[0].page, 1);
    motesok_document_free(d);
    motesok_searcher_close(s);
    /* sak: finds a case however its number is typed */
    const char *const typed[] = {"sak:56/09", "sak:2009/56", "sak:056/09", "sak:\"PS 56/09\"",
                                 "case:56/2009"};
    for (size_t i = 0; i < 5; i++) {
        j = search_index(f, (motesok_search_request){.query = typed[i]});
        if (j->total != 1 || j->n_hits != 1)
            fail_msg("%s found %llu", typed[i], (unsigned long long)j->total);
        assert_non_null(j->hits[0].matched_case);
        assert_string_equal(j->hits[0].matched_case->number, "56/09");
        motesok_search_result_free(j);
    }
    assert_int_equal(total_of(f, (motesok_search_request){.query = "sak:58/09"}), 0);
    /* a proposal is not a decision: the postponed case has none */
    j = search_index(f, (motesok_search_request){.query = "barnehage"});
    assert_true(j->n_hits >= 1);
    c = j->hits[0].matched_case;
    assert_non_null(c);
    assert_string_equal(c->number, "57/09");
    assert_non_null(strstr(c->proposal, "Næroset"));
    assert_null(c->decision);
    motesok_search_result_free(j);
    assert_int_equal(total_of(f, (motesok_search_request){.query = "barnehage", .decisions = true}),
                     0);
    assert_int_equal(total_of(f, (motesok_search_request){.query = "brannstasjon",
                                                          .decisions = true}), 1);
}

/* A compound the text leaves half-written (utrednings- og
 * informasjonsplikt) is indexed written out, so that it ranks as the whole
 * word above a passage that only holds its parts apart, however often. */
static void test_index_half_written_compounds(void **state)
{
    fixture *f = *state;
    char path[160];
    write_doc(f, "parts.txt",
              "Plikt til utredning. Utredning av saka er ei plikt for organet, og "
              "utredning skal skje tidleg; plikt og utredning.\n",
              path);
    index_new_file(f, "lov.txt", "§ 17. Forvaltningsorganets utrednings- og informasjonsplikt.\n",
                   NULL, path);
    char other[160];
    snprintf(other, sizeof other, "%s/parts.txt", f->docs);
    const char *const others[] = {other};
    index_paths(f, NULL, others, 1);
    const char *const queries[] = {"utredningsplikt", "utredningsplikta"};
    for (size_t i = 0; i < 2; i++) {
        motesok_search_result *j = search_index(f, (motesok_search_request){.query = queries[i]});
        assert_int_equal(j->n_hits, 2);
        if (strcmp(j->hits[0].path, path) != 0)
            fail_msg("%s: %s first", queries[i], j->hits[0].path);
        motesok_search_result_free(j);
    }
}

static void test_index_totals_exact_only_when_asked(void **state)
{
    fixture *f = *state;
    enum { FILES = 150 };
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    for (int i = 0; i < FILES; i++) {
        char name[32], text[96], path[160];
        snprintf(name, sizeof name, "f%03d.txt", i);
        snprintf(text, sizeof text, "Referat nummer %d om brøyting og veg.\n", i);
        write_doc(f, name, text, path);
        motesok_file_result res;
        assert_int_equal(index_one(idx, path, &res), MOTESOK_OUTCOME_INDEXED);
    }
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    /* a page of 5 checks 105 matches: the total past them is an estimate */
    motesok_search_result *j =
        search_index(f, (motesok_search_request){.query = "brøyting", .limit = 5});
    assert_false(j->total_exact);
    assert_int_equal(j->n_hits, 5);
    motesok_search_result_free(j);
    j = search_index(f, (motesok_search_request){.query = "brøyting", .limit = 5,
                                                 .exact_total = true});
    assert_true(j->total_exact);
    assert_int_equal(j->total, FILES);
    motesok_search_result_free(j);
}

static void test_index_open_refuses_second_writer(void **state)
{
    fixture *f = *state;
    motesok_index *one = NULL, *two = NULL;
    motesok_error err;
    assert_int_equal(motesok_index_open(f->index, NULL, &one, NULL), MOTESOK_OK);
    assert_int_equal(motesok_index_open(f->index, NULL, &two, &err), MOTESOK_ERR_DB_LOCKED);
    assert_null(two);
    motesok_index_close(one);
}

/* The rank (from 0) of the hit for the file at path, or SIZE_MAX. */
static size_t hit_at(const motesok_search_result *j, const char *path)
{
    for (size_t k = 0; k < j->n_hits; k++)
        if (strcmp(j->hits[k].path, path) == 0)
            return k;
    return SIZE_MAX;
}

/* Three meetings on school structure: Gloppen's kommunestyre (its case
 * never names Gloppen; its preamble does, three times), Vestnes's, and a
 * regional council whose case on the region's schools names Gloppen in
 * its text. */
static const char GLOPPEN[] =
    "GLOPPEN KOMMUNE\n\nMøteprotokoll\n\nKommunestyret\n\n"
    "Møtedato: 22.09.2020\nMøtestad: Gloppen rådhus, Sandane\n"
    "Frå Gloppen kommune møtte: ordførar og kommunedirektør\n\n"
    "Saksliste:\nPS 21/20 Framtidig skulestruktur\nPS 22/20 Reguleringsplan for hamna\n\n"
    "PS 21/20 Framtidig skulestruktur\n\n"
    "Kommunedirektøren si tilråding:\nKommunestyret vedtek å halde fram med dagens "
    "skulestruktur, og ber om ei ny vurdering av skulane i 2024.\n\n"
    "Vedtak:\nKommunestyret vedtek å halde fram med dagens skulestruktur.\n\n"
    "PS 22/20 Reguleringsplan for hamna\n\n"
    "Vedtak:\nReguleringsplanen vert lagd ut til offentleg ettersyn.\n";
static const char VESTNES[] =
    "VESTNES KOMMUNE\n\nMøteprotokoll\n\nKommunestyret\n\nMøtedato: 24.09.2020\n\n"
    "PS 62/20 Skulestruktur i Vestnes\n\n"
    "Skulestruktur og skulebygg: skulestrukturen vert vurdert på nytt. Vidare arbeid "
    "med skulestruktur etter høyring.\n\nVedtak:\nSaka vert send på høyring.\n";
static const char REGION[] =
    "Referat frå møte i regionrådet\n\nMøtedato: 01.10.2020\n\n"
    "Sak 5/20 Regional plan for skulane\n\n"
    "Regionrådet drøfta skulestruktur i regionen. Gloppen og Stryn legg fram "
    "planane sine i vår.\n";

static void test_index_kommune_named_in_the_query(void **state)
{
    fixture *f = *state;
    char gloppen[160], vestnes[160], region[160];
    write_doc(f, "vestnes.txt", VESTNES, vestnes);
    write_doc(f, "region.txt", REGION, region);
    index_new_file(f, "gloppen.txt", GLOPPEN, NULL, gloppen);
    const char *const others[] = {vestnes, region};
    index_paths(f, NULL, others, 2);
    /* the place named as typed, or in lower case (no common word): Gloppen's
     * minutes answer by their case, not by their preamble (the one passage
     * that says Gloppen), and above Vestnes's case; the regional council's
     * case is still found by its text */
    const char *const queries[] = {"skulestruktur Gloppen", "skulestruktur gloppen"};
    for (size_t i = 0; i < 2; i++) {
        motesok_search_result *j = search_index(f, (motesok_search_request){.query = queries[i]});
        size_t at_gloppen = hit_at(j, gloppen), at_vestnes = hit_at(j, vestnes);
        size_t at_region = hit_at(j, region);
        assert_int_not_equal(at_gloppen, SIZE_MAX);
        assert_int_not_equal(at_region, SIZE_MAX);
        const motesok_case_info *c = j->hits[at_gloppen].matched_case;
        if (c == NULL || strcmp(c->number, "21/20") != 0)
            fail_msg("%s: Gloppen's minutes by %s", queries[i], c ? c->number : "their preamble");
        assert_true(at_gloppen < at_vestnes);
        motesok_search_result_free(j);
    }
}

static const char SOLUND_FSK[] =
    "SOLUND KOMMUNE\n\nMøteprotokoll\n\nFormannskapet\n\n"
    "Møtedato: 03.03.2021\nMøtestad: Kommunehuset, Hardbakke\n\n"
    "Saksliste:\nPS 8/21 Kunstgrasbane ved skulen\nPS 9/21 Vegljos langs fylkesvegen\n\n"
    "PS 8/21 Kunstgrasbane ved skulen\n\n"
    "Kommunedirektøren si tilråding:\nKunstgrasbane ved skulen vert bygd i 2022 innanfor "
    "ei ramme på 4 mill. kroner.\n\nVedtak:\nKunstgrasbane ved skulen vert bygd i 2022.\n\n"
    "PS 9/21 Vegljos langs fylkesvegen\n\n"
    "Vedtak:\nVegljos langs fylkesvegen vert prioritert i trafikktryggingsplanen.\n";
static const char SOLUND_KS[] =
    "SOLUND KOMMUNE\n\nMøteprotokoll\n\nKommunestyret\n\nMøtedato: 25.03.2021\n\n"
    "PS 15/21 Kunstgrasbane ved skulen\n\n"
    "Formannskapet si tilråding:\nKunstgrasbane ved skulen vert bygd i 2022.\n\n"
    "Vedtak:\nKunstgrasbane ved skulen vert bygd i 2022, med lysanlegg.\n";

/* A body named in the query, as its name or in the genitive, finds that
 * body's own case, whose text does not name the body that met, and not
 * only the meeting's preamble (the one passage that says Formannskapet);
 * the kommunestyre case that quotes the formannskap is still found. */
static void test_index_organ_named_in_the_query(void **state)
{
    fixture *f = *state;
    char fsk[160], ks[160];
    write_doc(f, "ks.txt", SOLUND_KS, ks);
    index_new_file(f, "fsk.txt", SOLUND_FSK, NULL, fsk);
    const char *const others[] = {ks};
    index_paths(f, NULL, others, 1);
    const char *const queries[] = {"kunstgrasbane formannskapet", "formannskapets kunstgrasbane"};
    for (size_t i = 0; i < 2; i++) {
        motesok_search_result *j = search_index(f, (motesok_search_request){.query = queries[i]});
        size_t at_fsk = hit_at(j, fsk), at_ks = hit_at(j, ks);
        assert_int_not_equal(at_fsk, SIZE_MAX);
        assert_int_not_equal(at_ks, SIZE_MAX);
        const motesok_case_info *c = j->hits[at_fsk].matched_case;
        if (c == NULL || strcmp(c->number, "8/21") != 0)
            fail_msg("%s: the formannskap's minutes by %s", queries[i], c ? c->number : "their preamble");
        assert_false(j->any_word);
        motesok_search_result_free(j);
    }
}

/* A file whose first line is a bare "MØTEBOK" gets its title from the
 * meeting the minutes reader finds: organ, date and kind; one without a
 * meeting keeps its first line. */
static void test_index_title_from_the_minutes(void **state)
{
    fixture *f = *state;
    char a[160], b[160];
    write_doc(f, "a.txt", "MØTEBOK\nKommunestyret\nMøtedato: 12.03.2015\nMøtested: Rådhuset\n\n"
                          "Sak 12/15 Budsjett\nVedtak: Budsjettet vedtas.\n", a);
    write_doc(f, "b.txt", "Enscript Output\nNoen ord om legevakt.\n", b);
    motesok_index *idx = NULL;
    assert_int_equal(motesok_index_open(f->index, NULL, &idx, NULL), MOTESOK_OK);
    motesok_file_result res;
    assert_int_equal(index_one(idx, a, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(index_one(idx, b, &res), MOTESOK_OUTCOME_INDEXED);
    assert_int_equal(motesok_index_commit(idx, true, NULL), MOTESOK_OK);
    motesok_index_close(idx);
    motesok_file_row row = {0};
    assert_true(stored_row(f, a, &row));
    assert_string_equal(row.title, "Kommunestyret 12.03.2015 — møtebok");
    motesok_file_row_clear(&row);
    assert_true(stored_row(f, b, &row));
    assert_string_equal(row.title, "Enscript Output");
    motesok_file_row_clear(&row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_index_prepare_skips_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_finish_replaces_changed_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_finish_records_failures_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_sweep_removes_vanished, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_sweep_keeps_unmounted_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_open_repairs_interrupted_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_open_refuses_second_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_passages_hold_the_text_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_new_shard_count_rebuilds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_old_layout_is_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_kommune_case_keys_and_votes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_half_written_compounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_totals_exact_only_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_title_from_the_minutes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_kommune_named_in_the_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_organ_named_in_the_query, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
