/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The index's Xapian shards and their writer threads (lib/shards.h). */
#define _GNU_SOURCE /* renameat2 */
#include "shards.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define QUEUE_MAX 64 /* queued changes per shard before a producer waits */
#define PATH_MAX_BYTES 4096

typedef enum op_kind { OP_REPLACE, OP_DELETE, OP_MARK, OP_COMMIT, OP_COMPACT, OP_QUIT } op_kind;

typedef struct op {
    op_kind kind;
    char term[64];
    motesok_xdoc *doc;
    char marks[MSK_SHARDS_MARKS][64]; /* OP_MARK: the terms, on or off */
    size_t n_marks;
    bool on;
    unsigned slot;  /* OP_MARK: and this value slot set to value */
    char value[64];
    struct op *next;
} op;

/* One shard: its writer, its queue and the thread that drains it. */
typedef struct shard {
    motesok_xwriter *xw;
    char path[PATH_MAX_BYTES]; /* its database directory */
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t cv;  /* signalled when the queue changes */
    op *head, *tail;
    size_t queued;      /* ops in the queue */
    bool busy;          /* the thread is applying an op */
    motesok_status st;  /* first failure since the last commit */
    motesok_error err;
} shard;

struct msk_shards {
    shard *shards;
    unsigned n;
};

/* ---- paths and layout --------------------------------------------------- */

/* Write a/b into out[PATH_MAX_BYTES]; false if it does not fit. */
static bool join(char *out, const char *a, const char *b)
{
    int n = snprintf(out, PATH_MAX_BYTES, "%s/%s", a, b);
    return n > 0 && n < PATH_MAX_BYTES;
}

/* Write the directory of shard k of index directory dir into
 * out[PATH_MAX_BYTES]; false if it does not fit. */
static bool shard_path(char *out, const char *dir, unsigned k)
{
    int n = snprintf(out, PATH_MAX_BYTES, "%s/" MSK_SHARDS_DIR "/%u", dir, k);
    return n > 0 && n < PATH_MAX_BYTES;
}

/* nftw callback: remove one entry (files before their folder). */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(path);
}

/* Remove path and everything below it; a missing path is fine. */
static motesok_status remove_tree(const char *path, motesok_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? MOTESOK_OK
                               : msk_error_set(err, MOTESOK_ERR_IO, "cannot stat %s: %s", path,
                                               strerror(errno));
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot remove %s: %s", path, strerror(errno));
    return MOTESOK_OK;
}

/* True if path exists (as anything). */
static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Write path + suffix into out[PATH_MAX_BYTES]; false if it does not fit. */
static bool suffixed(char *out, const char *path, const char *suffix)
{
    int n = snprintf(out, PATH_MAX_BYTES, "%s%s", path, suffix);
    return n > 0 && n < PATH_MAX_BYTES;
}

/* fsync the folder holding path, so that a rename in it is durable. */
static void sync_parent(const char *path)
{
    char dir[PATH_MAX_BYTES];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Finish or undo a compaction of the shard at path that was cut short
 * (see compact_shard): path missing with path.old there means the swap
 * stopped half-way, and path.new, written completely before the swap
 * began, takes its place; then whatever is left of path.new and path.old
 * goes. Leaves path holding one whole database (or nothing, for a shard
 * never made). */
static motesok_status finish_compaction(const char *path, motesok_error *err)
{
    char fresh[PATH_MAX_BYTES], old[PATH_MAX_BYTES];
    if (!suffixed(fresh, path, ".new") || !suffixed(old, path, ".old"))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    if (!exists(path) && exists(old)) {
        const char *back = exists(fresh) ? fresh : old;
        if (rename(back, path) != 0)
            return msk_error_set(err, MOTESOK_ERR_IO, "cannot rename %s: %s", back,
                                 strerror(errno));
        sync_parent(path);
    }
    motesok_status st = remove_tree(fresh, err);
    return st == MOTESOK_OK ? remove_tree(old, err) : st;
}

/* Swap the complete compacted copy fresh in for the database at path:
 * one atomic exchange where the file system has it (readers see either
 * database, never none), else path → path.old, fresh → path, which
 * finish_compaction completes after a crash in between. Afterwards fresh
 * (or path.old) holds the old database. */
static motesok_status swap_in(const char *fresh, const char *path, motesok_error *err)
{
    const char *force = getenv("MOTESOK_TEST_NO_EXCHANGE"); /* tests: take the fallback */
    if ((force == NULL || *force == '\0') &&
        renameat2(AT_FDCWD, fresh, AT_FDCWD, path, RENAME_EXCHANGE) == 0)
        return MOTESOK_OK;
    if (force == NULL && errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot swap %s in: %s", fresh, strerror(errno));
    char old[PATH_MAX_BYTES];
    if (!suffixed(old, path, ".old"))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    if (rename(path, old) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot rename %s: %s", path, strerror(errno));
    msk_crash_point("compact-moved");
    if (rename(fresh, path) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot rename %s: %s", fresh, strerror(errno));
    return MOTESOK_OK;
}

/* Replace shard sh's database by a compacted copy of its last commit:
 * write it to path.new, close the writer, swap the copy in, remove the
 * old database, open the writer again. Killed at any point, the shard
 * holds either database whole (finish_compaction tidies up at the next
 * open), and both hold the same committed documents. */
static motesok_status compact_shard(shard *sh, motesok_error *err)
{
    char fresh[PATH_MAX_BYTES];
    if (!suffixed(fresh, sh->path, ".new"))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    motesok_status st = remove_tree(fresh, err);
    if (st == MOTESOK_OK)
        st = motesok_xwriter_compact(sh->xw, fresh, err);
    if (st != MOTESOK_OK) {
        motesok_error ignored;
        (void)remove_tree(fresh, &ignored);
        return st;
    }
    msk_crash_point("compact-built");
    motesok_xwriter_close(sh->xw);
    sh->xw = NULL;
    st = swap_in(fresh, sh->path, err);
    if (st == MOTESOK_OK) {
        sync_parent(sh->path);
        msk_crash_point("compact-swapped");
    }
    /* Also after a failed swap: never reopen (and so create) a missing path. */
    motesok_error tidy_err;
    motesok_status tidy = finish_compaction(sh->path, st == MOTESOK_OK ? err : &tidy_err);
    if (st == MOTESOK_OK)
        st = tidy;
    if (tidy != MOTESOK_OK)
        return st; /* the writer stays closed: later writes fail, the index is whole */
    motesok_status reopen = motesok_xwriter_open(sh->path, &sh->xw, err);
    return st == MOTESOK_OK ? reopen : st;
}

/* Number of "glass shards/N" lines of the stub at path, or 0 if it is
 * missing or not ours. */
static unsigned stub_count(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[256];
    unsigned n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned k = 0;
        if (sscanf(line, "glass " MSK_SHARDS_DIR "/%u", &k) != 1 || k != n) {
            n = 0;
            break;
        }
        n++;
    }
    fclose(f);
    return n;
}

/* Write the stub listing n shards, atomically (temporary file, rename). */
static motesok_status write_stub(const char *dir, unsigned n, motesok_error *err)
{
    char path[PATH_MAX_BYTES], tmp[PATH_MAX_BYTES];
    if (!join(path, dir, MSK_SHARDS_STUB) || !join(tmp, dir, MSK_SHARDS_STUB ".tmp"))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
    for (unsigned k = 0; k < n; k++)
        fprintf(f, "glass " MSK_SHARDS_DIR "/%u\n", k);
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return MOTESOK_OK;
}

/* Default shard count for a new index: one per CPU, within bounds. */
static unsigned default_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > (long)MSK_SHARDS_MAX ? MSK_SHARDS_MAX : (unsigned)n;
}

/* Remove every Xapian database of dir (v1 "xapian/" and the shards) and
 * lay out n empty shards. */
static motesok_status relayout(const char *dir, unsigned n, motesok_error *err)
{
    char p[PATH_MAX_BYTES];
    motesok_status st = MOTESOK_OK;
    if (!join(p, dir, MSK_SHARDS_STUB))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    if (remove(p) != 0 && errno != ENOENT)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot remove %s: %s", p, strerror(errno));
    const char *old[] = {"xapian", MSK_SHARDS_DIR};
    for (size_t i = 0; st == MOTESOK_OK && i < 2; i++)
        st = join(p, dir, old[i]) ? remove_tree(p, err)
                                  : msk_error_set(err, MOTESOK_ERR_INVALID, "path too long");
    if (st == MOTESOK_OK && mkdir(p, 0777) != 0)
        st = msk_error_set(err, MOTESOK_ERR_IO, "cannot create %s: %s", p, strerror(errno));
    return st == MOTESOK_OK ? write_stub(dir, n, err) : st;
}

unsigned msk_shard_of(unsigned n_shards, const char *id)
{
    if (n_shards <= 1)
        return 0;
    return (unsigned)(XXH64(id, strlen(id), 0x6d6f7465736f6bULL) % n_shards);
}

motesok_status msk_shards_list(const char *dir, char ***dirs, size_t *n, motesok_error *err)
{
    *dirs = NULL;
    *n = 0;
    char stub[PATH_MAX_BYTES], v1[PATH_MAX_BYTES];
    if (!join(stub, dir, MSK_SHARDS_STUB) || !join(v1, dir, "xapian"))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    unsigned count = stub_count(stub);
    struct stat st;
    if (count == 0 && stat(v1, &st) == 0)
        return msk_error_set(err, MOTESOK_ERR_DB_VERSION,
                             "the index at %s has an older layout: run motesok-index on it to "
                             "rebuild it", dir);
    if (count == 0)
        return msk_error_set(err, MOTESOK_ERR_NOT_FOUND, "no index at %s", dir);
    char **out = calloc(count, sizeof *out);
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    for (unsigned k = 0; k < count; k++) {
        out[k] = malloc(PATH_MAX_BYTES);
        if (out[k] == NULL || !shard_path(out[k], dir, k)) {
            for (unsigned j = 0; j <= k; j++)
                free(out[j]);
            free(out);
            return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        }
    }
    *dirs = out;
    *n = count;
    return MOTESOK_OK;
}

/* ---- writer threads ----------------------------------------------------- */

/* Apply one op to the shard's writer (on its thread). */
static void apply(shard *sh, op *o)
{
    motesok_error e;
    motesok_error_clear(&e);
    motesok_status st = MOTESOK_OK;
    if (o->kind == OP_REPLACE)
        st = motesok_xwriter_replace(sh->xw, o->term, o->doc, &e);
    else if (o->kind == OP_DELETE)
        st = motesok_xwriter_delete(sh->xw, o->term, &e);
    else if (o->kind == OP_MARK) {
        const char *marks[MSK_SHARDS_MARKS];
        for (size_t i = 0; i < o->n_marks; i++)
            marks[i] = o->marks[i];
        st = motesok_xwriter_mark(sh->xw, o->term, marks, o->n_marks, o->on, o->slot, o->value,
                                  &e);
    }
    else if (o->kind == OP_COMMIT && sh->st == MOTESOK_OK)
        st = motesok_xwriter_commit(sh->xw, &e);
    else if (o->kind == OP_COMPACT && sh->st == MOTESOK_OK)
        st = compact_shard(sh, &e);
    motesok_xdoc_free(o->doc);
    if (st != MOTESOK_OK && sh->st == MOTESOK_OK) {
        pthread_mutex_lock(&sh->mu);
        sh->st = st;
        sh->err = e;
        pthread_mutex_unlock(&sh->mu);
    }
}

/* Writer thread: apply queued ops in order until OP_QUIT. */
static void *shard_main(void *arg)
{
    shard *sh = arg;
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        while (sh->head == NULL)
            pthread_cond_wait(&sh->cv, &sh->mu);
        op *o = sh->head;
        sh->head = o->next;
        if (sh->head == NULL)
            sh->tail = NULL;
        sh->queued--;
        sh->busy = true;
        pthread_cond_broadcast(&sh->cv);
        pthread_mutex_unlock(&sh->mu);
        bool quit = o->kind == OP_QUIT;
        if (!quit)
            apply(sh, o);
        free(o);
        pthread_mutex_lock(&sh->mu);
        sh->busy = false;
        pthread_cond_broadcast(&sh->cv);
        pthread_mutex_unlock(&sh->mu);
        if (quit)
            return NULL;
    }
}

/* Queue o on shard sh, waiting while the queue is full; o is consumed. */
static motesok_status enqueue(shard *sh, op *o, motesok_error *err)
{
    if (!sh->running) {
        if (pthread_create(&sh->thread, NULL, shard_main, sh) != 0) {
            motesok_xdoc_free(o->doc);
            free(o);
            return msk_error_set(err, MOTESOK_ERR_INTERNAL, "cannot start a shard writer thread");
        }
        sh->running = true;
    }
    pthread_mutex_lock(&sh->mu);
    while (sh->queued >= QUEUE_MAX && o->kind != OP_QUIT)
        pthread_cond_wait(&sh->cv, &sh->mu);
    o->next = NULL;
    if (sh->tail != NULL)
        sh->tail->next = o;
    else
        sh->head = o;
    sh->tail = o;
    sh->queued++;
    pthread_cond_broadcast(&sh->cv);
    pthread_mutex_unlock(&sh->mu);
    return MOTESOK_OK;
}

/* A new op of kind on term (may be NULL), owning doc; NULL when out of memory. */
static op *new_op(op_kind kind, const char *term, motesok_xdoc *doc)
{
    op *o = calloc(1, sizeof *o);
    if (o == NULL) {
        motesok_xdoc_free(doc);
        return NULL;
    }
    o->kind = kind;
    o->doc = doc;
    if (term != NULL)
        snprintf(o->term, sizeof o->term, "%s", term);
    return o;
}

/* Wait until shard sh has applied everything queued. */
static void drain(shard *sh)
{
    pthread_mutex_lock(&sh->mu);
    while (sh->head != NULL || sh->busy)
        pthread_cond_wait(&sh->cv, &sh->mu);
    pthread_mutex_unlock(&sh->mu);
}

/* The first failure of any shard (copied to err), else OK. */
static motesok_status first_failure(msk_shards *s, motesok_error *err)
{
    for (unsigned k = 0; k < s->n; k++) {
        shard *sh = &s->shards[k];
        pthread_mutex_lock(&sh->mu);
        motesok_status st = sh->st;
        if (st != MOTESOK_OK && err != NULL)
            *err = sh->err;
        pthread_mutex_unlock(&sh->mu);
        if (st != MOTESOK_OK)
            return st;
    }
    return MOTESOK_OK;
}

/* Remove the shard folder at path if its making was cut short: Xapian
 * writes a new database's version file (iamglass) last, and replaces it
 * by a rename at every commit, so a folder without one never held a
 * commit; left there, it could never be opened again ("Failed to open
 * glass revision file"), and every later run would stop on it. */
static motesok_status drop_unmade(const char *path, motesok_error *err)
{
    char version[PATH_MAX_BYTES];
    if (!join(version, path, "iamglass"))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    if (!exists(path) || exists(version))
        return MOTESOK_OK;
    return remove_tree(path, err);
}

/* ---- public ------------------------------------------------------------- */

/* Open the n shard writers of dir into s. */
static motesok_status open_writers(msk_shards *s, const char *dir, motesok_error *err)
{
    motesok_status st = MOTESOK_OK;
    for (unsigned k = 0; st == MOTESOK_OK && k < s->n; k++) {
        char path[PATH_MAX_BYTES];
        if (!shard_path(path, dir, k))
            return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
        shard *sh = &s->shards[k];
        pthread_mutex_init(&sh->mu, NULL);
        pthread_cond_init(&sh->cv, NULL);
        memcpy(sh->path, path, sizeof sh->path);
        st = finish_compaction(path, err);
        if (st == MOTESOK_OK)
            st = drop_unmade(path, err);
        if (st == MOTESOK_OK)
            st = motesok_xwriter_open(path, &sh->xw, err);
    }
    return st;
}

motesok_status msk_shards_open(const char *dir, unsigned want, msk_shards **out, bool *rebuilt,
                               motesok_error *err)
{
    *out = NULL;
    *rebuilt = false;
    char stub[PATH_MAX_BYTES];
    if (!join(stub, dir, MSK_SHARDS_STUB))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index directory path is too long");
    if (want > MSK_SHARDS_MAX)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "at most %u shards", MSK_SHARDS_MAX);
    unsigned have = stub_count(stub);
    unsigned n = want ? want : have ? have : default_count();
    motesok_status st = MOTESOK_OK;
    char v1[PATH_MAX_BYTES];
    struct stat st_v1;
    bool had_v1 = join(v1, dir, "xapian") && stat(v1, &st_v1) == 0;
    if (have != n || had_v1) {
        st = relayout(dir, n, err);
        *rebuilt = have != 0 || had_v1; /* else simply new */
    }
    msk_shards *s = calloc(1, sizeof *s);
    if (st == MOTESOK_OK && (s == NULL || (s->shards = calloc(n, sizeof *s->shards)) == NULL))
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (s != NULL && s->shards != NULL)
        s->n = n;
    if (st == MOTESOK_OK)
        st = open_writers(s, dir, err);
    if (st != MOTESOK_OK) {
        msk_shards_close(s);
        return st;
    }
    *out = s;
    return MOTESOK_OK;
}

void msk_shards_close(msk_shards *s)
{
    if (s == NULL)
        return;
    for (unsigned k = 0; k < s->n; k++) {
        shard *sh = &s->shards[k];
        if (sh->running) {
            op *q = new_op(OP_QUIT, NULL, NULL);
            if (q != NULL && enqueue(sh, q, NULL) == MOTESOK_OK)
                pthread_join(sh->thread, NULL);
        }
        for (op *o = sh->head, *next; o != NULL; o = next) {
            next = o->next;
            motesok_xdoc_free(o->doc);
            free(o);
        }
        motesok_xwriter_close(sh->xw);
        pthread_mutex_destroy(&sh->mu);
        pthread_cond_destroy(&sh->cv);
    }
    free(s->shards);
    free(s);
}

unsigned msk_shards_count(const msk_shards *s)
{
    return s->n;
}

motesok_status msk_shards_replace(msk_shards *s, const char *id, const char *qterm,
                                  motesok_xdoc *d, motesok_error *err)
{
    op *o = new_op(OP_REPLACE, qterm, d);
    if (o == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    return enqueue(&s->shards[msk_shard_of(s->n, id)], o, err);
}

motesok_status msk_shards_delete(msk_shards *s, const char *id, const char *term,
                                 motesok_error *err)
{
    op *o = new_op(OP_DELETE, term, NULL);
    if (o == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    return enqueue(&s->shards[msk_shard_of(s->n, id)], o, err);
}

motesok_status msk_shards_mark(msk_shards *s, const char *id, const char *by_term,
                               const char *const *terms, size_t n, bool on, unsigned slot,
                               const char *value, motesok_error *err)
{
    if (n > MSK_SHARDS_MARKS)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "too many mark terms");
    op *o = new_op(OP_MARK, by_term, NULL);
    if (o == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        snprintf(o->marks[i], sizeof o->marks[i], "%s", terms[i]);
    o->n_marks = n;
    o->on = on;
    o->slot = slot;
    snprintf(o->value, sizeof o->value, "%s", value);
    return enqueue(&s->shards[msk_shard_of(s->n, id)], o, err);
}

motesok_status msk_shards_sync(msk_shards *s, motesok_error *err)
{
    for (unsigned k = 0; k < s->n; k++)
        drain(&s->shards[k]);
    return first_failure(s, err);
}

motesok_status msk_shards_set_metadata(msk_shards *s, const char *key, const char *value,
                                       motesok_error *err)
{
    motesok_status st = msk_shards_sync(s, err);
    for (unsigned k = 0; st == MOTESOK_OK && k < s->n; k++)
        st = motesok_xwriter_set_metadata(s->shards[k].xw, key, value, err);
    return st;
}

motesok_status msk_shards_commit(msk_shards *s, const char *key, const char *value,
                                 motesok_error *err)
{
    motesok_status st = msk_shards_set_metadata(s, key, value, err);
    for (unsigned k = 0; st == MOTESOK_OK && k < s->n; k++) {
        op *o = new_op(OP_COMMIT, NULL, NULL);
        st = o ? enqueue(&s->shards[k], o, err)
               : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    motesok_status sync = msk_shards_sync(s, err);
    if (st == MOTESOK_OK)
        st = sync;
    for (unsigned k = 0; k < s->n; k++) /* a new batch starts clean */
        s->shards[k].st = MOTESOK_OK;
    return st;
}

motesok_status msk_shards_compact(msk_shards *s, motesok_error *err)
{
    motesok_status st = msk_shards_sync(s, err);
    for (unsigned k = 0; st == MOTESOK_OK && k < s->n; k++) {
        op *o = new_op(OP_COMPACT, NULL, NULL);
        st = o ? enqueue(&s->shards[k], o, err)
               : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    motesok_status sync = msk_shards_sync(s, err);
    if (st == MOTESOK_OK)
        st = sync;
    for (unsigned k = 0; k < s->n; k++)
        s->shards[k].st = MOTESOK_OK;
    return st;
}

motesok_status msk_shards_get_metadata(msk_shards *s, unsigned k, const char *key,
                                       char **value, motesok_error *err)
{
    motesok_status st = msk_shards_sync(s, err);
    if (st == MOTESOK_OK)
        st = motesok_xwriter_get_metadata(s->shards[k].xw, key, value, err);
    return st;
}

motesok_status msk_shards_each_term(msk_shards *s, const char *prefix,
                                    int (*fn)(const char *term, void *ud), void *ud,
                                    motesok_error *err)
{
    motesok_status st = msk_shards_sync(s, err);
    for (unsigned k = 0; st == MOTESOK_OK && k < s->n; k++)
        st = motesok_xwriter_each_term(s->shards[k].xw, prefix, fn, ud, err);
    return st;
}

motesok_status msk_shards_doccount(msk_shards *s, uint64_t *out, motesok_error *err)
{
    *out = 0;
    motesok_status st = msk_shards_sync(s, err);
    for (unsigned k = 0; st == MOTESOK_OK && k < s->n; k++) {
        uint64_t n = 0;
        st = motesok_xwriter_doccount(s->shards[k].xw, &n, err);
        *out += n;
    }
    return st;
}
