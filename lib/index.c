/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE /* memmem */
/* Building and updating an index directory: the Xapian database and the
 * SQLite store, kept consistent batch by batch (see include/motesok/index.h). */
#include "internal.h"
#include "term.h"
#include "detect.h"
#include "extract/extract.h"
#include "motesok/index.h"
#include "minutes/minutes.h"
#include "schema.h"
#include "analysis/norsk.h"
#include "store.h"
#include "twins.h"
#include "xapian/xapian.h"
#include "shards.h"
#include "extract/worker.h"
#include "extract/extract_internal.h" /* msk_ocr_check */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#define DEFAULT_BATCH_FILES 200
#define DEFAULT_BATCH_BYTES (64u << 20)
#define TITLE_MAX_BYTES 200
#define PAGE_GAP 100 /* term positions between pages: no phrase spans them */
#define TITLE_WDF 5

struct motesok_index {
    char *dir;
    char *store_path;      /* the store's file, for the job threads' cache reads */
    msk_shards *xs;        /* the Xapian shards and their writer threads */
    motesok_store *store;
    motesok_index_options opt;
    uint64_t batch;        /* number of the last committed batch */
    bool in_txn;           /* a store transaction is open */
    size_t pending_files;  /* changes since the last commit */
    size_t pending_bytes;
    uint64_t run_docs;     /* documents written or deleted in this run */
    char analysis[40];     /* the analysis this run indexes with (msk_norsk_analysis_id) */
    bool reanalyse;        /* the index was built with other data: redo every file */
    bool relaid;           /* the shards were laid out anew at open */
    uint64_t run_ocr_pages;   /* pages read by OCR in this run */
    uint64_t run_ocr_cached;  /* pages needing OCR the cache answered */
    double run_ocr_seconds;   /* the time the pages read by OCR took */
};

struct motesok_job {
    char *path;
    char id[17];
    int64_t size, mtime_ns;
    char old_hash[17];
    bool had_row;
    bool retry_failed;
    motesok_extract_limits limits;
    const motesok_index_options *opt; /* the index's options (worker set-up) */
    const char *store_path; /* the index's store (OCR cache reads) */
    msk_ocr ocr;           /* the OCR the extraction may do; .cached: the pages below */
    char **cached_text;    /* OCR text of the pages ocr.cached lists, from the cache */
    uint32_t *fresh_page;  /* pages read by OCR in this run, for the cache */
    char **fresh_text;
    size_t n_fresh, cap_fresh;
    size_t ocr_cached;     /* pages needing OCR that the cache answered */
    /* filled by motesok_job_run */
    char hash[17];
    bool same_content;     /* hash equals the stored one: only mtime moved */
    motesok_detection det;
    motesok_text *text;    /* pages[0..held) read; big: the rest to come */
    size_t held;
    msk_worker *worker;    /* big, in a worker: it sends the rest (owned) */
    msk_extraction *x;     /* big, in this process: the rest extracted here */
    motesok_minutes *minutes; /* structure of the text, when it was read */
    bool big;              /* more than MSK_BIG_TEXT_BYTES: written page by page */
    char date[11];         /* meeting date: text, PDF metadata, file name */
    motesok_status code;   /* MOTESOK_OK when text is ready */
    char message[512];
    /* the Xapian documents, built by motesok_job_run for the writer */
    char *title;
    motesok_xdoc **docs;
    char (*qterms)[48]; /* each document's unique id term */
    size_t n_docs;
    msk_twin_sketch sketch; /* of the whole text (not for big files) */
    bool sketched;
};

/* ---- small helpers ------------------------------------------------------ */

/* Join dir and name into a new string. */
static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Create dir and its missing parents (like mkdir -p). */
static motesok_status make_dirs(const char *dir, motesok_error *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "index path too long: %s", dir);
    for (char *p = tmp + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return msk_error_set(err, MOTESOK_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
    return MOTESOK_OK;
}

/* Modification time of st in nanoseconds. */
static int64_t stat_mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Parse a decimal batch number ("" or junk counts as 0). */
static uint64_t parse_batch(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    return (end != NULL && *end == '\0') ? (uint64_t)v : 0;
}

/* Build "<prefix><id>" into out (size 32). */
static void id_term(char out[32], const char *prefix, const char *id)
{
    snprintf(out, 32, "%s%s", prefix, id);
}

/* ---- consistency between Xapian and the store --------------------------- */

static motesok_status mark_hidden(motesok_index *idx, const char *id, const char *shown,
                                  motesok_error *err);

/* Sorted set of document ids present in Xapian (from its XP terms). */
typedef struct id_set {
    char (*ids)[17];
    size_t n, cap;
    bool oom;
} id_set;

/* each_term callback: collect the id behind an XP<id> term. */
static int collect_id(const char *term, void *ud)
{
    id_set *set = ud;
    size_t plen = strlen(MOTESOK_PREFIX_PARENT);
    if (strlen(term) != plen + 16)
        return 0;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        char (*p)[17] = realloc(set->ids, cap * sizeof *p);
        if (p == NULL) {
            set->oom = true;
            return 1;
        }
        set->ids = p;
        set->cap = cap;
    }
    memcpy(set->ids[set->n], term + plen, 17);
    set->n++;
    return 0;
}

/* bsearch comparator over ids. */
static int cmp_id(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* True if the sorted set holds id (an empty set has no array at all). */
static bool set_has(const id_set *set, const char *id)
{
    return set->n > 0 && bsearch(id, set->ids, set->n, 17, cmp_id) != NULL;
}

/* Sort a set's ids for set_has. */
static void set_sort(id_set *set)
{
    if (set->n > 1)
        qsort(set->ids, set->n, 17, cmp_id);
}

/* State for the store walk of a reconciliation. */
typedef struct reconcile_walk {
    id_set *xapian;       /* ids Xapian has (sorted) */
    id_set keep;          /* ids of ok rows (to find Xapian orphans) */
    char **drop_paths;    /* ok rows whose document Xapian lacks */
    size_t n_drop, cap_drop;
    bool oom;
} reconcile_walk;

/* store_each callback: sort rows into "keep" and "drop". */
static int reconcile_row(const motesok_file_row *row, void *ud)
{
    reconcile_walk *w = ud;
    if (row->status != MOTESOK_FILE_OK)
        return 0;
    if (set_has(w->xapian, row->id)) {
        char term[32];
        id_term(term, MOTESOK_PREFIX_PARENT, row->id);
        return collect_id(term, &w->keep) || w->keep.oom;
    }
    if (w->n_drop == w->cap_drop) {
        size_t cap = w->cap_drop ? w->cap_drop * 2 : 64;
        char **p = realloc(w->drop_paths, cap * sizeof *p);
        if (p == NULL) {
            w->oom = true;
            return 1;
        }
        w->drop_paths = p;
        w->cap_drop = cap;
    }
    w->drop_paths[w->n_drop] = strdup(row->path);
    if (w->drop_paths[w->n_drop] == NULL) {
        w->oom = true;
        return 1;
    }
    w->n_drop++;
    return 0;
}

/* Open a store transaction if none is open. */
static motesok_status ensure_txn(motesok_index *idx, motesok_error *err)
{
    if (idx->in_txn)
        return MOTESOK_OK;
    motesok_status st = motesok_store_begin(idx->store, err);
    if (st == MOTESOK_OK)
        idx->in_txn = true;
    return st;
}

/* Apply a reconciliation: delete Xapian orphans and store rows whose
 * documents Xapian lost, so each side describes the same files. */
static motesok_status reconcile_apply(motesok_index *idx, id_set *xapian,
                                      reconcile_walk *w, motesok_error *err)
{
    motesok_status st = ensure_txn(idx, err);
    for (size_t i = 0; st == MOTESOK_OK && i < w->n_drop; i++)
        st = motesok_store_delete(idx->store, w->drop_paths[i], err);
    set_sort(&w->keep);
    for (size_t i = 0; st == MOTESOK_OK && i < xapian->n; i++) {
        if (set_has(&w->keep, xapian->ids[i]))
            continue;
        char term[32];
        id_term(term, MOTESOK_PREFIX_PARENT, xapian->ids[i]);
        st = msk_shards_delete(idx->xs, xapian->ids[i], term, err);
    }
    return st;
}

/* store_each_hidden callback: collect an id. */
static int collect_hidden(const char *id, void *ud)
{
    char term[32];
    id_term(term, MOTESOK_PREFIX_PARENT, id);
    return collect_id(term, ud);
}

/* Join hidden twin id to its shown twin in Xapian if it is not (in xh). */
static motesok_status rejoin_twin(motesok_index *idx, const id_set *xh, const char *id,
                                  motesok_error *err)
{
    if (set_has(xh, id))
        return MOTESOK_OK;
    msk_meeting_row *m = malloc(sizeof *m);
    bool found = false;
    motesok_status st = m != NULL ? motesok_store_get_meeting(idx->store, id, m, &found, err)
                                  : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK && found && m->twin[0] != '\0')
        st = mark_hidden(idx, id, m->twin, err);
    free(m);
    return st;
}

/* Bring the hidden twins in Xapian (XH<id> terms) in step with the store's
 * pairs, after the store dropped the rows of files Xapian lost. */
static motesok_status reconcile_twins(motesok_index *idx, motesok_error *err)
{
    id_set xh = {0}, hidden = {0};
    motesok_status st = motesok_store_prune_meetings(idx->store, err);
    if (st == MOTESOK_OK)
        st = msk_shards_each_term(idx->xs, MOTESOK_PREFIX_HIDDENF, collect_id, &xh, err);
    if (st == MOTESOK_OK)
        st = motesok_store_each_hidden(idx->store, collect_hidden, &hidden, err);
    if (st == MOTESOK_OK && (xh.oom || hidden.oom))
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory reconciling twins");
    set_sort(&xh);
    set_sort(&hidden);
    for (size_t i = 0; st == MOTESOK_OK && i < xh.n; i++)
        if (!set_has(&hidden, xh.ids[i]))
            st = mark_hidden(idx, xh.ids[i], NULL, err);
    for (size_t i = 0; st == MOTESOK_OK && i < hidden.n; i++)
        st = rejoin_twin(idx, &xh, hidden.ids[i], err);
    free(xh.ids);
    free(hidden.ids);
    return st;
}

/* Bring Xapian and the store back in step after an interrupted batch. */
static motesok_status reconcile(motesok_index *idx, motesok_error *err)
{
    id_set xapian = {0};
    reconcile_walk w = {.xapian = &xapian};
    motesok_status st = msk_shards_each_term(idx->xs, MOTESOK_PREFIX_PARENT, collect_id,
                                             &xapian, err);
    if (st == MOTESOK_OK && xapian.oom)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory listing documents");
    if (st == MOTESOK_OK) {
        set_sort(&xapian);
        st = motesok_store_each(idx->store, reconcile_row, &w, err);
    }
    if (st == MOTESOK_OK && (w.oom || w.keep.oom))
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory reconciling the index");
    if (st == MOTESOK_OK)
        st = reconcile_apply(idx, &xapian, &w, err);
    if (st == MOTESOK_OK)
        st = reconcile_twins(idx, err);
    for (size_t i = 0; i < w.n_drop; i++)
        free(w.drop_paths[i]);
    free(w.drop_paths);
    free(w.keep.ids);
    free(xapian.ids);
    if (st == MOTESOK_OK) {
        idx->pending_files++;
        st = motesok_index_commit(idx, false, err);
    }
    return st;
}

/* Read the batch numbers of every shard and of the store, and reconcile
 * when they differ (or when force: the shards were laid out anew). */
static motesok_status recover(motesok_index *idx, bool force, motesok_error *err)
{
    char *sb = NULL;
    motesok_status st = motesok_store_get_meta(idx->store, "batch", &sb, err);
    uint64_t sn = parse_batch(sb), top = sn;
    bool differ = force;
    free(sb);
    for (unsigned k = 0; st == MOTESOK_OK && k < msk_shards_count(idx->xs); k++) {
        char *xb = NULL;
        st = msk_shards_get_metadata(idx->xs, k, MOTESOK_META_BATCH, &xb, err);
        uint64_t xn = parse_batch(xb);
        free(xb);
        differ = differ || xn != sn;
        top = xn > top ? xn : top;
    }
    if (st != MOTESOK_OK)
        return st;
    idx->batch = top;
    return differ ? reconcile(idx, err) : MOTESOK_OK;
}

/* ---- open / close ------------------------------------------------------- */

/* Note the analysis of this run, and whether the index's documents were
 * analysed otherwise (other data/norsk files or dictionaries, or an index
 * from before the stamp): then every file is indexed again. */
static motesok_status check_analysis(motesok_index *idx, motesok_error *err)
{
    msk_norsk_analysis_id(idx->analysis);
    char *have = NULL;
    uint64_t docs = 0;
    motesok_status st = msk_shards_get_metadata(idx->xs, 0, MOTESOK_META_ANALYSIS, &have, err);
    if (st == MOTESOK_OK)
        st = msk_shards_doccount(idx->xs, &docs, err);
    idx->reanalyse = st == MOTESOK_OK && docs > 0 && strcmp(have ? have : "", idx->analysis) != 0;
    free(have);
    return st;
}

const char *motesok_index_rebuilding(const motesok_index *idx)
{
    if (idx != NULL && idx->relaid)
        return "the index had an older layout or another shard count";
    if (idx != NULL && idx->reanalyse)
        return "this index was built with other language data (data/norsk, hunspell-no) or by "
               "an older motesok-index";
    return NULL;
}

motesok_status motesok_index_open(const char *dir, const motesok_index_options *opt,
                                  motesok_index **out, motesok_error *err)
{
    *out = NULL;
    if (dir == NULL || *dir == '\0')
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no index directory given");
    motesok_status st = make_dirs(dir, err);
    if (st != MOTESOK_OK)
        return st;
    motesok_index *idx = calloc(1, sizeof *idx);
    if (idx == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (opt != NULL)
        idx->opt = *opt;
    if (idx->opt.batch_files == 0)
        idx->opt.batch_files = DEFAULT_BATCH_FILES;
    if (idx->opt.batch_bytes == 0)
        idx->opt.batch_bytes = DEFAULT_BATCH_BYTES;
    if (idx->opt.ocr_dpi == 0)
        idx->opt.ocr_dpi = MOTESOK_OCR_DEFAULT_DPI;
    if (idx->opt.ocr_languages == NULL || idx->opt.ocr_languages[0] == '\0')
        idx->opt.ocr_languages = MOTESOK_OCR_DEFAULT_LANGUAGES;
    idx->dir = strdup(dir);
    char *sfile = path_join(dir, MOTESOK_STORE_FILE);
    idx->store_path = msk_strdup(sfile);
    bool rebuilt = false;
    if (idx->dir == NULL || sfile == NULL || idx->store_path == NULL)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK)
        st = motesok_store_open(sfile, false, &idx->store, err);
    if (st == MOTESOK_OK)
        st = msk_shards_open(dir, idx->opt.shards, &idx->xs, &rebuilt, err);
    if (st == MOTESOK_OK)
        st = msk_shards_set_metadata(idx->xs, MOTESOK_META_SCHEMA, MOTESOK_SCHEMA_VERSION, err);
    if (st == MOTESOK_OK) /* first: a repair commit must know what to stamp */
        st = check_analysis(idx, err);
    if (st == MOTESOK_OK)
        st = recover(idx, rebuilt, err);
    idx->relaid = rebuilt;
    free(sfile);
    if (st != MOTESOK_OK) {
        motesok_index_close(idx);
        return st;
    }
    *out = idx;
    return MOTESOK_OK;
}

motesok_status motesok_ocr_check(const char *languages, motesok_error *err)
{
    return msk_ocr_check(languages && *languages ? languages : MOTESOK_OCR_DEFAULT_LANGUAGES, err);
}

void motesok_index_close(motesok_index *idx)
{
    if (idx == NULL)
        return;
    msk_shards_close(idx->xs);
    motesok_store_close(idx->store); /* rolls back an open transaction */
    free(idx->store_path);
    free(idx->dir);
    free(idx);
}

/* ---- commit ------------------------------------------------------------- */

/* Current UTC time as ISO 8601 into out (size 32). */
static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* After the final commit: compact the shards when opt.compact says so
 * (AUTO: the run wrote or deleted at least a quarter of the documents). */
static motesok_status compact_if_due(motesok_index *idx, motesok_error *err)
{
    motesok_compact_mode mode = idx->opt.compact;
    if (mode == MOTESOK_COMPACT_NEVER || (mode == MOTESOK_COMPACT_AUTO && idx->run_docs == 0))
        return MOTESOK_OK;
    uint64_t docs = 0;
    motesok_status st = msk_shards_doccount(idx->xs, &docs, err);
    if (st != MOTESOK_OK || (mode == MOTESOK_COMPACT_AUTO && idx->run_docs * 4 < docs))
        return st;
    st = msk_shards_compact(idx->xs, err);
    if (st == MOTESOK_OK)
        idx->run_docs = 0;
    return st;
}

motesok_status motesok_index_problems(motesok_index *idx, int64_t *failed, int64_t *unsupported,
                                      motesok_error *err)
{
    motesok_store_stats stats;
    motesok_status st = motesok_store_stats_get(idx->store, &stats, err);
    *failed = st == MOTESOK_OK ? stats.failed : 0;
    *unsupported = st == MOTESOK_OK ? stats.unsupported : 0;
    return st;
}

motesok_status motesok_index_commit(motesok_index *idx, bool final, motesok_error *err)
{
    if (idx->pending_files == 0 && !final)
        return MOTESOK_OK;
    char num[32];
    snprintf(num, sizeof num, "%" PRIu64, idx->batch + 1);
    motesok_status st = ensure_txn(idx, err);
    /* Xapian first: if we die before the store commits, the next open sees
     * the batch numbers differ and reconciles. */
    /* The documents are all of this analysis: from the start when the
     * index held no other, else once a whole run is over. */
    if (st == MOTESOK_OK && (final || !idx->reanalyse))
        st = msk_shards_set_metadata(idx->xs, MOTESOK_META_ANALYSIS, idx->analysis, err);
    if (st == MOTESOK_OK)
        st = msk_shards_commit(idx->xs, MOTESOK_META_BATCH, num, err);
    msk_crash_point("after-xapian-commit");
    if (st == MOTESOK_OK)
        st = motesok_store_set_meta(idx->store, "batch", num, err);
    if (st == MOTESOK_OK && final) {
        char when[32];
        now_iso(when);
        st = motesok_store_set_meta(idx->store, "last_run", when, err);
        char ocr[64];
        snprintf(ocr, sizeof ocr, "%" PRIu64 " %" PRIu64 " %.3f", idx->run_ocr_pages,
                 idx->run_ocr_cached, idx->run_ocr_seconds);
        if (st == MOTESOK_OK)
            st = motesok_store_set_meta(idx->store, "ocr_last_run", ocr, err);
    }
    if (st == MOTESOK_OK)
        st = motesok_store_commit(idx->store, err);
    if (st != MOTESOK_OK)
        return st;
    idx->in_txn = false;
    idx->batch++;
    idx->pending_files = 0;
    idx->pending_bytes = 0;
    return final ? compact_if_due(idx, err) : MOTESOK_OK;
}

/* Count one change and commit when the batch is full. */
static motesok_status note_change(motesok_index *idx, size_t bytes, motesok_error *err)
{
    idx->pending_files++;
    idx->pending_bytes += bytes;
    if (idx->pending_files < idx->opt.batch_files &&
        idx->pending_bytes < idx->opt.batch_bytes)
        return MOTESOK_OK;
    return motesok_index_commit(idx, false, err);
}

/* ---- prepare ------------------------------------------------------------ */

/* Fill res for a file that needs no work. */
static void result_unchanged(motesok_file_result *res, const motesok_file_row *row)
{
    memset(res, 0, sizeof *res);
    res->outcome = MOTESOK_OUTCOME_UNCHANGED;
    res->bytes = row->size;
    res->pages = (size_t)(row->pages > 0 ? row->pages : 0);
}

motesok_status motesok_index_prepare(motesok_index *idx, const char *path,
                                     motesok_job **job, motesok_file_result *res,
                                     motesok_error *err)
{
    *job = NULL;
    memset(res, 0, sizeof *res);
    struct stat st;
    if (stat(path, &st) != 0)
        return msk_error_set(err, MOTESOK_ERR_IO, "cannot stat %s: %s", path, strerror(errno));
    motesok_file_row row = {0};
    bool found = false;
    motesok_status s = motesok_store_get(idx->store, path, &row, &found, err);
    if (s != MOTESOK_OK)
        return s;
    bool same_stat = found && row.size == (int64_t)st.st_size &&
                     row.mtime_ns == stat_mtime_ns(&st);
    bool skip_failed = row.status != MOTESOK_FILE_OK && !idx->opt.retry_failed;
    if (same_stat && !idx->reanalyse && (row.status == MOTESOK_FILE_OK || skip_failed)) {
        result_unchanged(res, &row);
        motesok_file_row_clear(&row);
        return MOTESOK_OK;
    }
    motesok_job *j = calloc(1, sizeof *j);
    if (j == NULL || (j->path = strdup(path)) == NULL) {
        free(j);
        motesok_file_row_clear(&row);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    motesok_path_id(path, j->id);
    j->size = (int64_t)st.st_size;
    j->mtime_ns = stat_mtime_ns(&st);
    j->had_row = found;
    j->retry_failed = idx->opt.retry_failed;
    j->limits = idx->opt.limits;
    j->opt = &idx->opt;
    j->store_path = idx->store_path;
    j->ocr = (msk_ocr){.mode = idx->opt.ocr, .dpi = idx->opt.ocr_dpi,
                       .languages = idx->opt.ocr_languages};
    if (found && !idx->reanalyse && (row.status == MOTESOK_FILE_OK || skip_failed))
        memcpy(j->old_hash, row.hash, sizeof j->old_hash);
    motesok_file_row_clear(&row);
    *job = j;
    return MOTESOK_OK;
}

/* ---- run (any thread) --------------------------------------------------- */

static pthread_key_t detector_key;
static pthread_once_t detector_once = PTHREAD_ONCE_INIT;

/* Thread-exit destructor of the per-thread detector. */
static void detector_destroy(void *p)
{
    motesok_detector_close(p);
}

/* Create the key holding each thread's detector. */
static void detector_key_init(void)
{
    (void)pthread_key_create(&detector_key, detector_destroy);
}

/* This thread's libmagic detector, opened on first use. */
static motesok_detector *thread_detector(motesok_error *err)
{
    pthread_once(&detector_once, detector_key_init);
    motesok_detector *d = pthread_getspecific(detector_key);
    if (d != NULL)
        return d;
    if (motesok_detector_open(&d, err) != MOTESOK_OK)
        return NULL;
    pthread_setspecific(detector_key, d);
    return d;
}

static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;

/* Thread-exit destructor of the per-thread extraction worker. */
static void worker_destroy(void *p)
{
    msk_worker_stop(p);
}

/* Create the key holding each thread's worker. */
static void worker_key_init(void)
{
    (void)pthread_key_create(&worker_key, worker_destroy);
}

/* This thread's extraction worker, started on first use. */
static msk_worker *thread_worker(const motesok_index_options *opt, motesok_error *err)
{
    pthread_once(&worker_once, worker_key_init);
    msk_worker *w = pthread_getspecific(worker_key);
    if (w != NULL)
        return w;
    msk_worker_limits lim = {.timeout_s = opt->timeout_s, .max_memory_mb = opt->max_memory_mb};
    if (msk_worker_start(opt->worker_exe, &lim, &w, err) != MOTESOK_OK)
        return NULL;
    pthread_setspecific(worker_key, w);
    return w;
}

/* Record why a job failed. */
static void job_fail(motesok_job *job, const motesok_error *e)
{
    job->code = e->code == MOTESOK_OK ? MOTESOK_ERR_INTERNAL : e->code;
    snprintf(job->message, sizeof job->message, "%s",
             e->message[0] ? e->message : motesok_strerror(job->code));
}

/* The meeting date: from the text, else the PDF's creation date, else a
 * date in the file name. */
static void choose_date(motesok_job *job)
{
    if (job->minutes->date[0] != '\0') {
        memcpy(job->date, job->minutes->date, sizeof job->date);
        return;
    }
    if (job->text->created > 0) {
        time_t t = (time_t)job->text->created;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(job->date, sizeof job->date, "%Y-%m-%d", &tm);
        return;
    }
    const char *base = strrchr(job->path, '/');
    base = base ? base + 1 : job->path;
    int y, m, d;
    if (motesok_parse_date(base, strlen(base), &y, &m, &d, NULL, NULL) == MOTESOK_OK)
        snprintf(job->date, sizeof job->date, "%04d-%02d-%02d", y, m, d);
}

/* A new text with the head's fields and n_pages pages not read yet. */
static motesok_text *copy_head(const motesok_text *h)
{
    motesok_text *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->n_pages = h->n_pages;
    t->pages = calloc(h->n_pages ? h->n_pages : 1, sizeof *t->pages);
    t->page_lens = calloc(h->n_pages ? h->n_pages : 1, sizeof *t->page_lens);
    t->title = msk_strdup(h->title);
    t->encoding = msk_strdup(h->encoding);
    t->created = h->created;
    t->ocr_seconds = h->ocr_seconds;
    if (t->pages == NULL || t->page_lens == NULL || (h->title && !t->title) ||
        (h->encoding && !t->encoding)) {
        motesok_text_free(t);
        return NULL;
    }
    return t;
}

/* Detect and start extracting in this process (job->x, job->text's head). */
static motesok_status extract_here(motesok_job *job, motesok_error *e)
{
    motesok_detector *d = thread_detector(e);
    if (d == NULL)
        return e->code ? e->code : MOTESOK_ERR_INTERNAL;
    motesok_status st = motesok_detect_file(d, job->path, &job->det, e);
    if (st != MOTESOK_OK)
        return st;
    if (job->det.kind == MOTESOK_KIND_UNSUPPORTED)
        return MOTESOK_ERR_UNSUPPORTED;
    st = msk_extraction_open_ocr(job->path, &job->det, &job->limits, &job->ocr, &job->x, e);
    if (st == MOTESOK_OK && (job->text = copy_head(msk_extraction_head(job->x))) == NULL)
        st = msk_error_set(e, MOTESOK_ERR_NOMEM, "out of memory");
    return st;
}

/* The cached OCR text of page k of the job's file, or NULL. */
static const char *cached_text(const motesok_job *job, size_t k)
{
    for (size_t i = 0; i < job->ocr.n_cached; i++)
        if (job->ocr.cached[i] == k)
            return job->cached_text[i];
    return NULL;
}

/* Note where page k (*page, *len) came from: the cache's text replaces a
 * page that the cache answers, one read by OCR now is kept for the cache. */
static motesok_status note_page_how(motesok_job *job, size_t k, int how, char **page,
                                    size_t *len, motesok_error *e)
{
    motesok_text *t = job->text;
    if (how == MSK_PAGE_TEXT)
        return MOTESOK_OK;
    if (t->page_how == NULL && (t->page_how = calloc(t->n_pages ? t->n_pages : 1, 1)) == NULL)
        return msk_error_set(e, MOTESOK_ERR_NOMEM, "out of memory");
    t->page_how[k] = (unsigned char)how;
    if (how == MSK_PAGE_OCR_CACHED) {
        const char *c = cached_text(job, k);
        char *copy = msk_strdup(c ? c : "");
        if (copy == NULL)
            return msk_error_set(e, MOTESOK_ERR_NOMEM, "out of memory");
        msk_ocr_text_lines(copy); /* kept by a version that left blank lines */
        free(*page);
        *page = copy;
        *len = strlen(copy);
        job->ocr_cached++;
        return MOTESOK_OK;
    }
    if (job->n_fresh == job->cap_fresh) {
        size_t cap = job->cap_fresh ? job->cap_fresh * 2 : 8;
        uint32_t *p = realloc(job->fresh_page, cap * sizeof *p);
        if (p != NULL)
            job->fresh_page = p;
        char **tx = p ? realloc(job->fresh_text, cap * sizeof *tx) : NULL;
        if (tx == NULL)
            return msk_error_set(e, MOTESOK_ERR_NOMEM, "out of memory");
        job->fresh_text = tx;
        job->cap_fresh = cap;
    }
    char *copy = msk_strdup(*page);
    if (copy == NULL)
        return msk_error_set(e, MOTESOK_ERR_NOMEM, "out of memory");
    job->fresh_page[job->n_fresh] = (uint32_t)k;
    job->fresh_text[job->n_fresh++] = copy;
    return MOTESOK_OK;
}

/* Page k, the next, of the job's file, from its worker or its extraction. */
static motesok_status next_page(motesok_job *job, size_t k, char **page, size_t *len,
                                motesok_error *e)
{
    int how = MSK_PAGE_TEXT;
    motesok_status st;
    if (job->worker != NULL) {
        st = msk_worker_next_page(job->worker, page, len, &how, e);
    } else {
        st = msk_extraction_next(job->x, page, len, e);
        how = st == MOTESOK_OK ? msk_extraction_last_how(job->x) : MSK_PAGE_TEXT;
    }
    if (st == MOTESOK_OK)
        st = note_page_how(job, k, how, page, len, e);
    return st;
}

/* Read pages into job->text until all are read or more than
 * MSK_BIG_TEXT_BYTES of text: the head of a big file, read now for the
 * minutes reader, its title and date; the rest comes when it is written. */
static motesok_status read_head_pages(motesok_job *job, motesok_error *e)
{
    motesok_text *t = job->text;
    motesok_status st = MOTESOK_OK;
    while (st == MOTESOK_OK && job->held < t->n_pages && t->total_len <= MSK_BIG_TEXT_BYTES) {
        st = next_page(job, job->held, &t->pages[job->held], &t->page_lens[job->held], e);
        t->total_len += t->page_lens[job->held];
        job->held += st == MOTESOK_OK;
    }
    return st;
}

/* This thread's worker is not this thread's any more: stopped when it
 * died, else (sending the rest of a big file) the job's. */
static void release_worker(motesok_job *job, msk_worker *w, bool keep)
{
    if (!msk_worker_dead(w) && !keep)
        return;
    pthread_setspecific(worker_key, NULL);
    if (msk_worker_dead(w))
        msk_worker_stop(w);
    else
        job->worker = w;
}

/* Detect and extract in this thread's worker process, reading the head of
 * a big file only (the job then owns the worker, which sends the rest); a
 * worker that crashed or ran out of time is replaced for the next file. */
static motesok_status extract_in_worker(motesok_job *job, motesok_error *e)
{
    msk_worker *w = thread_worker(job->opt, e);
    if (w == NULL)
        return e->code ? e->code : MOTESOK_ERR_INTERNAL;
    motesok_status st = msk_worker_open(w, job->path, &job->limits, &job->ocr, &job->det,
                                        &job->text, e);
    job->worker = w; /* for read_head_pages */
    if (st == MOTESOK_OK)
        st = read_head_pages(job, e);
    job->worker = NULL;
    release_worker(job, w, st == MOTESOK_OK && job->held < job->text->n_pages);
    return st;
}

/* Detect and extract the file, reading all its pages or (big) its head. */
static motesok_status extract(motesok_job *job, motesok_error *e)
{
    if (job->opt != NULL && job->opt->worker_exe != NULL)
        return extract_in_worker(job, e);
    motesok_status st = extract_here(job, e);
    if (st == MOTESOK_OK)
        st = read_head_pages(job, e);
    if (st != MOTESOK_OK || job->held == job->text->n_pages) {
        msk_extraction_close(job->x);
        job->x = NULL;
    }
    return st;
}

/* This thread's read-only handle on a store, for OCR cache reads. */
typedef struct cache_reader {
    char *path;
    motesok_store *store;
} cache_reader;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

/* Thread-exit destructor of a thread's cache reader. */
static void cache_destroy(void *p)
{
    cache_reader *c = p;
    if (c == NULL)
        return;
    motesok_store_close(c->store);
    free(c->path);
    free(c);
}

static void cache_key_init(void)
{
    pthread_key_create(&cache_key, cache_destroy);
}

/* This thread's reader of the store at path, opened on first use. */
static motesok_store *thread_cache(const char *path, motesok_error *e)
{
    pthread_once(&cache_once, cache_key_init);
    cache_reader *c = pthread_getspecific(cache_key);
    if (c != NULL && strcmp(c->path, path) == 0)
        return c->store;
    cache_destroy(c);
    pthread_setspecific(cache_key, NULL);
    c = calloc(1, sizeof *c);
    if (c == NULL || (c->path = strdup(path)) == NULL) {
        cache_destroy(c);
        msk_error_set(e, MOTESOK_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (motesok_store_open(path, true, &c->store, e) != MOTESOK_OK) {
        cache_destroy(c);
        return NULL;
    }
    pthread_setspecific(cache_key, c);
    return c->store;
}

/* ocr_get callback: append a cached page to the job. */
static int take_cached(uint32_t page, const char *text, void *ud)
{
    motesok_job *job = ud;
    size_t n = job->ocr.n_cached;
    uint32_t *pages = realloc((void *)job->ocr.cached, (n + 1) * sizeof *pages);
    if (pages == NULL)
        return 1;
    job->ocr.cached = pages;
    char **texts = realloc(job->cached_text, (n + 1) * sizeof *texts);
    if (texts == NULL)
        return 1;
    job->cached_text = texts;
    if ((texts[n] = msk_strdup(text)) == NULL)
        return 1;
    pages[n] = page;
    job->ocr.n_cached = n + 1;
    return 0;
}

/* True if path may be a PDF: "%PDF-" in its first KiB, where PDF readers
 * look for it. Only such files are looked up in the OCR cache. */
static bool maybe_pdf(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return false;
    char head[1024];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n >= 5 && memmem(head, (size_t)n, "%PDF-", 5) != NULL;
}

/* The OCR text the store holds for the job's content (as committed). A
 * store that cannot be read now (busy) is no failure: the pages are read
 * by OCR again. */
static void read_ocr_cache(motesok_job *job)
{
    if (job->ocr.mode == MOTESOK_OCR_NEVER || job->store_path == NULL || !maybe_pdf(job->path))
        return;
    motesok_error e;
    motesok_error_clear(&e);
    motesok_store *s = thread_cache(job->store_path, &e);
    if (s != NULL && motesok_store_ocr_get(s, job->hash, job->ocr.dpi, job->ocr.languages,
                                           take_cached, job, &e) == MOTESOK_OK)
        return;
    for (size_t i = 0; i < job->ocr.n_cached; i++)
        free(job->cached_text[i]);
    job->ocr.n_cached = 0;
}

static motesok_status build_docs(motesok_job *job, motesok_error *err);
static size_t head_pages(const motesok_job *job);
static char *choose_title(const motesok_job *job);

void motesok_job_run(motesok_job *job)
{
    motesok_error e;
    motesok_error_clear(&e);
    if (motesok_file_hash(job->path, job->hash, &e) != MOTESOK_OK) {
        job_fail(job, &e);
        return;
    }
    if (job->old_hash[0] != '\0' && strcmp(job->old_hash, job->hash) == 0) {
        job->same_content = true;
        return;
    }
    read_ocr_cache(job);
    motesok_status st = extract(job, &e);
    if (st == MOTESOK_ERR_UNSUPPORTED && job->det.kind == MOTESOK_KIND_UNSUPPORTED)
        msk_error_set(&e, st, "unsupported file type %s (%s)", job->det.mime, job->det.charset);
    if (st != MOTESOK_OK) {
        job_fail(job, &e);
        return;
    }
    job->big = job->text->total_len > MSK_BIG_TEXT_BYTES;
    if (motesok_minutes_parse((const char *const *)job->text->pages, job->text->page_lens,
                              job->big ? head_pages(job) : job->text->n_pages,
                              &job->minutes, &e) != MOTESOK_OK) {
        job_fail(job, &e);
        return;
    }
    choose_date(job);
    if (job->big) { /* written page by page when finished */
        job->title = choose_title(job);
        if (job->title == NULL) {
            msk_error_set(&e, MOTESOK_ERR_NOMEM, "out of memory");
            job_fail(job, &e);
        }
        return;
    }
    /* Analysis and term generation happen here, on every core; the writer
     * only adds the finished documents. */
    if (build_docs(job, &e) != MOTESOK_OK)
        job_fail(job, &e);
}

const char *motesok_job_path(const motesok_job *job)
{
    return job->path;
}

void motesok_job_free(motesok_job *job)
{
    if (job == NULL)
        return;
    for (size_t i = 0; i < job->n_docs; i++)
        motesok_xdoc_free(job->docs[i]);
    free(job->docs);
    free(job->qterms);
    free(job->title);
    msk_worker_stop(job->worker); /* killed if it had more to send */
    msk_extraction_close(job->x);
    motesok_text_free(job->text);
    motesok_minutes_free(job->minutes);
    for (size_t i = 0; i < job->ocr.n_cached; i++)
        free(job->cached_text[i]);
    free(job->cached_text);
    free((void *)job->ocr.cached);
    for (size_t i = 0; i < job->n_fresh; i++)
        free(job->fresh_text[i]);
    free(job->fresh_text);
    free(job->fresh_page);
    free(job->path);
    free(job);
}

/* ---- documents (job threads) -------------------------------------------- */

/* First non-blank line of text with white space collapsed, at most
 * TITLE_MAX_BYTES (cut at a character boundary); NULL if none. */
static char *first_line_title(const char *text)
{
    char buf[TITLE_MAX_BYTES + 1];
    size_t n = 0;
    bool space = false;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n' && n > 0)
            break;
        if (*p == ' ' || *p == '\t' || *p == '\n') {
            space = n > 0;
            continue;
        }
        if (space && n < TITLE_MAX_BYTES)
            buf[n++] = ' ';
        space = false;
        if (n >= TITLE_MAX_BYTES)
            break;
        buf[n++] = *p;
    }
    while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
        n--; /* drop a continuation tail ... */
    if (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0xC0)
        n--; /* ... and its lead byte, when the cut fell inside a character */
    return n == 0 ? NULL : msk_strndup(buf, n);
}

/* A file name as text: itself when it is UTF-8, else read as Latin-1 (the
 * usual encoding of names from old Windows shares: "m\xf8tebok" becomes
 * "møtebok", findable by its words); NULL when out of memory. */
static char *shown_name(const char *name)
{
    size_t n = strlen(name);
    if (msk_valid_utf8(name, n))
        return strdup(name);
    msk_buf b = {0};
    motesok_status st = MOTESOK_OK;
    for (size_t i = 0; i < n && st == MOTESOK_OK; i++)
        st = msk_buf_append_cp(&b, (unsigned char)name[i]); /* Latin-1: byte = code point */
    char *out = st == MOTESOK_OK ? msk_strndup(b.data, b.len) : NULL;
    msk_buf_free(&b);
    return out;
}

/* The title to show: the meeting's organ, date and kind when the minutes
 * reader found them (PDF producers' metadata is often "Enscript Output" or
 * a bare "MØTEBOK"), else the PDF metadata, else the first line, else the
 * file name. */
static char *choose_title(const motesok_job *job)
{
    char *made = job->held > 0 ? motesok_minutes_title(job->minutes, job->text->pages[0],
                                                       job->text->page_lens[0])
                               : motesok_minutes_title(job->minutes, NULL, 0);
    if (made != NULL)
        return made;
    if (job->text->title != NULL && job->text->title[0] != '\0')
        return strdup(job->text->title);
    for (size_t i = 0; i < job->held; i++) {
        char *t = first_line_title(job->text->pages[i]);
        if (t != NULL)
            return t;
    }
    const char *slash = strrchr(job->path, '/');
    return shown_name(slash ? slash + 1 : job->path);
}

/* One passage of a file: a byte range of its pages joined by '\f'. */
typedef struct passage {
    size_t start, end;      /* [start, end) in the joined text */
    size_t page;            /* 1-based page where it starts */
    const motesok_case *c;  /* the case it holds, or NULL */
    const char *kind;       /* "preamble", "case" or "page" */
} passage;

/* The JSON of a case's vote: outcome ("enstemmig", "flertall" or null)
 * and the counts for and against (null when not given). */
static json_t *vote_json(const motesok_vote *v)
{
    const char *outcome = v->outcome == MOTESOK_VOTE_UNANIMOUS ? "enstemmig"
                          : v->outcome == MOTESOK_VOTE_MAJORITY ? "flertall" : NULL;
    return json_pack("{s:s?, s:o, s:o}", "outcome", outcome,
                     "for", v->votes_for >= 0 ? json_integer(v->votes_for) : json_null(),
                     "against", v->votes_against >= 0 ? json_integer(v->votes_against)
                                                      : json_null());
}

/* The JSON of a case: number, key, title, proposal, decision, vote. */
static json_t *case_json(const motesok_case *c)
{
    return json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:o}", "number", c->number, "key", c->key,
                     "title", c->title, "proposal", c->proposal, "decision", c->decision,
                     "vote", vote_json(&c->vote));
}

/* Metadata every passage of a file carries, plus passage k's own (p). */
static json_t *passage_meta(const motesok_job *job, const passage *p, size_t k, size_t n)
{
    const motesok_minutes *m = job->minutes;
    const char *organ = m ? m->organ : NULL, *kommune = m ? m->kommune : NULL;
    /* a path that is not UTF-8 is shown with \xNN escapes (the store keeps
     * its bytes, and the id is made from them) */
    char *path = msk_valid_utf8(job->path, strlen(job->path)) ? NULL : msk_term_escaped(job->path, false);
    json_t *meta = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s?, s:s?, s:s?,"
                             " s:I, s:I, s:I}",
                             "id", job->id, "kind", p->kind, "path", path ? path : job->path,
                             "title", job->title, "mime", job->det.mime,
                             "encoding", job->text->encoding ? job->text->encoding : "",
                             "pages", (json_int_t)job->text->n_pages, "size", (json_int_t)job->size,
                             "mtime", (json_int_t)(job->mtime_ns / 1000000000),
                             "organ", organ, "kommune", kommune,
                             "date", job->date[0] ? job->date : NULL,
                             "passage", (json_int_t)k, "passages", (json_int_t)n,
                             "page", (json_int_t)p->page);
    free(path);
    const motesok_case *c = p->c;
    if (meta != NULL && c != NULL)
        json_object_set_new(meta, "case", case_json(c));
    /* the pages read by OCR (1-based): hits on them are marked */
    const unsigned char *how = job->text->page_how;
    json_t *ocr = how != NULL && meta != NULL ? json_array() : NULL;
    for (size_t i = 0; ocr != NULL && i < job->text->n_pages; i++)
        if (how[i] != MSK_PAGE_TEXT)
            json_array_append_new(ocr, json_integer((json_int_t)i + 1));
    if (ocr != NULL && json_array_size(ocr) > 0)
        json_object_set_new(meta, "ocr_pages", ocr);
    else
        json_decref(ocr);
    if (meta != NULL && k == 0 && m != NULL)
        json_object_update_new(meta, json_pack("{s:s?, s:s?, s:s?, s:s?}", "place", m->place,
                                               "present", m->present, "absent", m->absent,
                                               "referent", m->referent));
    return meta;
}

/* Stored data: meta (stolen) as one JSON line, '\n', then len bytes of
 * text (the passage's slice of the joined pages, '\f' included). */
static motesok_status build_data(json_t *meta, const char *text, size_t len, msk_buf *out,
                                 motesok_error *err)
{
    char *js = meta ? json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(meta);
    if (js == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "cannot encode document metadata");
    motesok_status st = msk_buf_append(out, js, strlen(js));
    free(js);
    if (st == MOTESOK_OK)
        st = msk_buf_append(out, "\n", 1);
    if (st == MOTESOK_OK)
        st = msk_buf_append(out, text, len);
    if (st != MOTESOK_OK)
        return msk_error_set(err, st, "cannot store document text");
    return MOTESOK_OK;
}

/* A name (organ, kommune) of the file on a passage: its value in slot (for
 * facets), the filter term filter<case-folded name>, and its words under
 * words (no positions). Nothing when name is NULL. */
static motesok_status tag_name(motesok_xdoc *d, const char *name, unsigned slot,
                               const char *filter, const char *words, motesok_error *err)
{
    if (name == NULL || *name == '\0')
        return MOTESOK_OK;
    char *folded = msk_casefold(name);
    char term[256];
    snprintf(term, sizeof term, "%s%s", filter, folded ? folded : name);
    free(folded);
    motesok_status st = motesok_xdoc_set_value(d, slot, name, strlen(name), err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_add_boolean_term(d, term, err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_index_words(d, name, strlen(name), 1, words, err);
    return st;
}

/* Boolean terms and values every passage of a file carries: parent id,
 * kind, meeting date, organ and kommune. */
static motesok_status tag_doc(const motesok_job *job, const char *kind, motesok_xdoc *d,
                              motesok_error *err)
{
    char xp[32], kterm[32];
    id_term(xp, MOTESOK_PREFIX_PARENT, job->id);
    snprintf(kterm, sizeof kterm, "%s%s", MOTESOK_PREFIX_KIND, kind);
    motesok_status st = motesok_xdoc_add_boolean_term(d, xp, err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_add_boolean_term(d, kterm, err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_set_value(d, MOTESOK_SLOT_KIND, kind, strlen(kind), err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_set_value(d, MOTESOK_SLOT_PARENT, job->id, 16, err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_set_value(d, MOTESOK_SLOT_MEETING, job->id, 16, err);
    if (st == MOTESOK_OK && job->date[0] != '\0') {
        char compact[9];
        snprintf(compact, sizeof compact, "%.4s%.2s%.2s", job->date, job->date + 5, job->date + 8);
        st = motesok_xdoc_set_value(d, MOTESOK_SLOT_DATE, compact, 8, err);
        if (st == MOTESOK_OK)
            st = motesok_xdoc_set_value(d, MOTESOK_SLOT_YEAR, job->date, 4, err);
    }
    const motesok_minutes *m = job->minutes;
    if (st == MOTESOK_OK && m != NULL)
        st = tag_name(d, m->organ, MOTESOK_SLOT_ORGAN, MOTESOK_PREFIX_ORGANF, MOTESOK_PREFIX_ORGAN,
                      err);
    if (st == MOTESOK_OK && m != NULL)
        st = tag_name(d, m->kommune, MOTESOK_SLOT_KOMMUNE, MOTESOK_PREFIX_KOMMUNEF,
                      MOTESOK_PREFIX_KOMMUNE, err);
    return st;
}

/* Index text (len bytes) as body text, page by page ('\f' between pages),
 * with a gap before each page so that no phrase spans two. */
static motesok_status index_pages(motesok_xdoc *d, const char *text, size_t len,
                                  motesok_error *err)
{
    motesok_status st = MOTESOK_OK;
    const char *end = text + len;
    for (const char *p = text; st == MOTESOK_OK && p <= end;) {
        const char *ff = memchr(p, MOTESOK_PAGE_SEP, (size_t)(end - p));
        const char *e = ff ? ff : end;
        motesok_xdoc_increase_termpos(d, PAGE_GAP);
        st = motesok_xdoc_index_text(d, p, (size_t)(e - p), 1, "", err);
        if (ff == NULL)
            break;
        p = ff + 1;
    }
    return st;
}

/* The compounds the text (len bytes) leaves half-written before og or
 * eller, written out and indexed without positions (utrednings- og
 * informasjonsplikt: utredningsplikt too). */
static motesok_status index_ellipses(motesok_xdoc *d, const char *text, size_t len,
                                     motesok_error *err)
{
    msk_buf b = {0};
    motesok_status st = msk_norsk_ellipses(msk_norsk_shared(), text, len, &b);
    if (st != MOTESOK_OK)
        st = msk_error_set(err, st, "out of memory while reading the text");
    else if (b.len > 0)
        st = motesok_xdoc_index_words(d, b.data, b.len, 1, "", err);
    msk_buf_free(&b);
    return st;
}

/* Free-text fields of passage k, without positions but for the case
 * number (the body text has them): the file's title on passage 0 only (so that no word is indexed
 * twice), the case's number, key, title and decision on a case passage. */
static motesok_status index_fields(const motesok_job *job, const passage *p, size_t k,
                                   motesok_xdoc *d, motesok_error *err)
{
    motesok_status st = MOTESOK_OK;
    if (k == 0)
        st = motesok_xdoc_index_words(d, job->title, strlen(job->title), TITLE_WDF,
                                      MOTESOK_PREFIX_TITLE, err);
    const motesok_case *c = p->c;
    if (c == NULL || st != MOTESOK_OK)
        return st;
    st = motesok_xdoc_index_words(d, c->title, strlen(c->title), TITLE_WDF, MOTESOK_PREFIX_TITLE,
                                  err);
    /* The case number keeps positions: sak:56/09 is the phrase "56 09". */
    if (st == MOTESOK_OK)
        st = motesok_xdoc_index_text(d, c->number, strlen(c->number), 1, MOTESOK_PREFIX_CASE, err);
    if (st == MOTESOK_OK && c->key != NULL) { /* sak: finds it however it is typed */
        motesok_xdoc_increase_termpos(d, 2);
        st = motesok_xdoc_index_text(d, c->key, strlen(c->key), 1, MOTESOK_PREFIX_CASE, err);
    }
    if (st == MOTESOK_OK)
        st = motesok_xdoc_index_text(d, c->title, strlen(c->title), 1, MOTESOK_PREFIX_CASE, err);
    if (st == MOTESOK_OK && c->decision != NULL)
        st = motesok_xdoc_index_words(d, c->decision, strlen(c->decision), 1,
                                      MOTESOK_PREFIX_DECISION, err);
    if (st == MOTESOK_OK && c->decision != NULL) /* for listing every decision */
        st = motesok_xdoc_add_boolean_term(d, MOTESOK_PREFIX_KIND "decision", err);
    return st;
}

/* Build the Xapian document of passage k (p) of n into the job's
 * documents; text is the file's text, pages joined by '\f', from where
 * the passage starts. */
static motesok_status build_passage(motesok_job *job, const passage *p, size_t k, size_t n,
                                    const char *text, motesok_error *err)
{
    motesok_xdoc *d = NULL;
    msk_buf data = {0};
    size_t len = p->end - p->start;
    motesok_status st = build_data(passage_meta(job, p, k, n), text, len, &data, err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_new(&d, err);
    if (st == MOTESOK_OK) {
        job->docs[job->n_docs] = d;
        snprintf(job->qterms[job->n_docs], sizeof job->qterms[0], "%s%s:%zu", MOTESOK_PREFIX_ID,
                 job->id, k);
        st = motesok_xdoc_add_boolean_term(d, job->qterms[job->n_docs++], err);
    }
    if (st == MOTESOK_OK)
        st = motesok_xdoc_set_data(d, data.data, data.len, err);
    msk_buf_free(&data);
    if (st == MOTESOK_OK)
        st = tag_doc(job, p->kind, d, err);
    if (st == MOTESOK_OK)
        st = index_fields(job, p, k, d, err);
    if (st == MOTESOK_OK)
        st = index_pages(d, text, len, err);
    if (st == MOTESOK_OK)
        st = index_ellipses(d, text, len, err);
    if (st == MOTESOK_OK)
        st = motesok_xdoc_analyse(d, true, err); /* its words feed the spelling table */
    return st;
}

/* Cut the file (total bytes of pages joined by '\f') into disjoint
 * passages covering all its text: the preamble and each case (cases in
 * text order), or else one per page. Returns the count (0: out of
 * memory); *out is the caller's. */
static size_t cut_passages(const motesok_job *job, size_t total, passage **out)
{
    const motesok_text *t = job->text;
    const motesok_minutes *m = job->minutes;
    size_t n_cases = 0;
    for (size_t k = 0; m != NULL && k < m->n_cases; k++) {
        bool in_order = m->cases[k].start > 0 && m->cases[k].start < total &&
                        (k == 0 || m->cases[k].start > m->cases[k - 1].start);
        if (!in_order)
            break;
        n_cases = k + 1;
    }
    size_t n = n_cases > 0 ? n_cases + 1 : (t->n_pages ? t->n_pages : 1);
    passage *ps = calloc(n, sizeof *ps);
    if (ps == NULL)
        return 0;
    size_t off = 0;
    for (size_t k = 0; k < n; k++) {
        if (n_cases > 0) {
            ps[k].start = k == 0 ? 0 : m->cases[k - 1].start;
            ps[k].end = k < n_cases ? m->cases[k].start : total;
            ps[k].c = k == 0 ? NULL : &m->cases[k - 1];
            ps[k].kind = k == 0 ? "preamble" : "case";
            ps[k].page = k == 0 ? 1 : ps[k].c->page_first; /* the reader's page of its heading */
        } else {
            ps[k].start = off;
            ps[k].end = t->n_pages ? off + t->page_lens[k] + (k + 1 < t->n_pages) : 0;
            off = ps[k].end;
            ps[k].kind = k == 0 ? "preamble" : "page";
            ps[k].page = k + 1;
        }
    }
    *out = ps;
    return n;
}

/* The file's pages joined by '\f' into out. */
static motesok_status join_pages(const motesok_text *t, msk_buf *out, motesok_error *err)
{
    motesok_status st = MOTESOK_OK;
    for (size_t i = 0; st == MOTESOK_OK && i < t->n_pages; i++) {
        if (i > 0)
            st = msk_buf_append(out, "\f", 1);
        if (st == MOTESOK_OK)
            st = msk_buf_append(out, t->pages[i], t->page_lens[i]);
    }
    if (st == MOTESOK_OK)
        st = msk_buf_terminate(out);
    return st == MOTESOK_OK ? st : msk_error_set(err, st, "out of memory joining pages");
}

/* Build every Xapian document of the extracted file: one per passage. */
static motesok_status build_docs(motesok_job *job, motesok_error *err)
{
    msk_buf joined = {0};
    passage *ps = NULL;
    size_t n = 0;
    job->title = choose_title(job);
    motesok_status st = join_pages(job->text, &joined, err);
    if (st == MOTESOK_OK)
        n = cut_passages(job, joined.len, &ps);
    job->docs = calloc(n ? n : 1, sizeof *job->docs);
    job->qterms = calloc(n ? n : 1, sizeof *job->qterms);
    if (st == MOTESOK_OK && (n == 0 || job->title == NULL || job->docs == NULL ||
                             job->qterms == NULL))
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    for (size_t k = 0; st == MOTESOK_OK && k < n; k++)
        st = build_passage(job, &ps[k], k, n, joined.data + ps[k].start, err);
    if (st == MOTESOK_OK)
        job->sketched = msk_twin_sketch_text(joined.data, joined.len, &job->sketch);
    free(ps);
    msk_buf_free(&joined);
    return st;
}

/* ---- finish (writer thread) --------------------------------------------- */

/* Remove every Xapian document of the file with this id. */
static motesok_status drop_documents(motesok_index *idx, const char *id, motesok_error *err)
{
    char xp[32];
    id_term(xp, MOTESOK_PREFIX_PARENT, id);
    idx->run_docs++;
    return msk_shards_delete(idx->xs, id, xp, err);
}

/* Fill a store row for job (borrowing its strings). */
static void job_row(const motesok_job *job, motesok_file_row *row)
{
    memset(row, 0, sizeof *row);
    row->path = job->path;
    memcpy(row->id, job->id, sizeof row->id);
    row->size = job->size;
    row->mtime_ns = job->mtime_ns;
    memcpy(row->hash, job->hash, sizeof row->hash);
    row->mime = job->det.mime[0] ? (char *)job->det.mime : NULL;
    row->indexed_at = (int64_t)time(NULL);
}

/* ---- twins (writer thread) ---------------------------------------------- */

/* Join (on) the passages of file id to the meeting of its twin shown, or
 * part them (!on, shown NULL): the term XH<id> and SLOT_MEETING (shown's id,
 * or its own) on each of them. */
static motesok_status mark_hidden(motesok_index *idx, const char *id, const char *shown,
                                  motesok_error *err)
{
    char xp[32], xh[32];
    id_term(xp, MOTESOK_PREFIX_PARENT, id);
    id_term(xh, MOTESOK_PREFIX_HIDDENF, id);
    const char *terms[] = {xh};
    idx->run_docs++;
    return msk_shards_mark(idx->xs, id, xp, terms, 1, shown != NULL, MOTESOK_SLOT_MEETING,
                           shown != NULL ? shown : id, err);
}

/* Part file id from its twin, if it has one (the twin is shown again), and
 * forget its meeting row. */
static motesok_status twins_forget(motesok_index *idx, const char *id, motesok_error *err)
{
    msk_meeting_row *m = malloc(sizeof *m);
    if (m == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    bool found = false;
    motesok_status st = motesok_store_get_meeting(idx->store, id, m, &found, err);
    if (st == MOTESOK_OK && found && m->twin[0] != '\0') {
        msk_meeting_row *t = malloc(sizeof *t);
        bool twin_found = false;
        st = t != NULL ? motesok_store_get_meeting(idx->store, m->twin, t, &twin_found, err)
                       : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        if (st == MOTESOK_OK && twin_found)
            st = motesok_store_set_twin(idx->store, m->twin, NULL, false, err);
        if (st == MOTESOK_OK && twin_found && t->hidden)
            st = mark_hidden(idx, m->twin, NULL, err);
        free(t);
    }
    if (st == MOTESOK_OK && found)
        st = motesok_store_delete_meeting(idx->store, id, err);
    free(m);
    return st;
}

/* True if candidate c may be the same meeting as m: no twin yet, and the
 * same organ where both name one; *sim is their text similarity. */
static bool twin_candidate(const msk_meeting_row *m, const msk_meeting_row *c, double *sim)
{
    *sim = 0;
    if (c->twin[0] != '\0' || (m->organ[0] && c->organ[0] && strcmp(m->organ, c->organ) != 0))
        return false;
    if (!msk_twin_same_text(&m->sketch, &c->sketch))
        return false;
    *sim = msk_twin_similarity(&m->sketch, &c->sketch, NULL);
    return true;
}

/* Fill the meeting row of an extracted file (false: it has none). */
static bool job_meeting(const motesok_job *job, msk_meeting_row *m)
{
    memset(m, 0, sizeof *m);
    if (!job->sketched || job->date[0] == '\0')
        return false;
    memcpy(m->id, job->id, sizeof m->id);
    memcpy(m->date, job->date, sizeof m->date);
    char *organ = job->minutes && job->minutes->organ ? msk_casefold(job->minutes->organ) : NULL;
    snprintf(m->organ, sizeof m->organ, "%s", organ ? organ : "");
    free(organ);
    m->pdf = strcmp(job->det.mime, "application/pdf") == 0 && job->text->n_pages > 0;
    m->sketch = job->sketch;
    return true;
}

#define TWIN_CANDIDATES 64

/* Record the meeting row of the file just written and pair it with the
 * file of the same meeting, if one is free: the PDF with pages is shown
 * (else the smaller id), the other hidden from searches. */
static motesok_status twins_update(motesok_index *idx, const motesok_job *job, motesok_error *err)
{
    motesok_status st = twins_forget(idx, job->id, err);
    msk_meeting_row *m = malloc(sizeof *m);
    msk_meeting_row *c = calloc(TWIN_CANDIDATES, sizeof *c);
    if (st == MOTESOK_OK && (m == NULL || c == NULL))
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st != MOTESOK_OK || !job_meeting(job, m)) {
        free(m);
        free(c);
        return st;
    }
    size_t n = 0, best = SIZE_MAX;
    double best_sim = 0;
    st = motesok_store_meetings_on(idx->store, m->date, m->id, c, TWIN_CANDIDATES, &n, err);
    for (size_t i = 0; st == MOTESOK_OK && i < n; i++) {
        double sim;
        if (twin_candidate(m, &c[i], &sim) && sim > best_sim) {
            best = i;
            best_sim = sim;
        }
    }
    if (st == MOTESOK_OK && best != SIZE_MAX) {
        const msk_meeting_row *t = &c[best];
        bool self_shown = m->pdf != t->pdf ? m->pdf : strcmp(m->id, t->id) < 0;
        memcpy(m->twin, t->id, sizeof m->twin);
        m->hidden = !self_shown;
        st = motesok_store_set_twin(idx->store, t->id, m->id, self_shown, err);
        if (st == MOTESOK_OK)
            st = self_shown ? mark_hidden(idx, t->id, m->id, err)
                            : mark_hidden(idx, m->id, t->id, err);
    }
    if (st == MOTESOK_OK)
        st = motesok_store_put_meeting(idx->store, m, err);
    free(m);
    free(c);
    return st;
}

/* The file's content did not change (only its mtime): refresh the row. */
static motesok_status finish_same(motesok_index *idx, motesok_job *job,
                                  motesok_file_result *res, motesok_error *err)
{
    motesok_file_row row = {0};
    bool found = false;
    motesok_status st = motesok_store_get(idx->store, job->path, &row, &found, err);
    if (st == MOTESOK_OK && found) {
        row.size = job->size;
        row.mtime_ns = job->mtime_ns;
        st = ensure_txn(idx, err);
        if (st == MOTESOK_OK)
            st = motesok_store_put(idx->store, &row, err);
        if (st == MOTESOK_OK)
            st = note_change(idx, 0, err);
    }
    result_unchanged(res, &row);
    res->bytes = job->size;
    motesok_file_row_clear(&row);
    return st;
}

/* Record a failed or unsupported file and drop any older version of it. */
static motesok_status finish_failed(motesok_index *idx, motesok_job *job,
                                    motesok_file_result *res, motesok_error *err)
{
    bool unsupported = job->code == MOTESOK_ERR_UNSUPPORTED;
    motesok_file_row row;
    job_row(job, &row);
    row.status = unsupported ? MOTESOK_FILE_UNSUPPORTED : MOTESOK_FILE_FAILED;
    row.error_code = (char *)motesok_status_name(job->code);
    row.error = job->message;
    motesok_status st = ensure_txn(idx, err);
    if (st == MOTESOK_OK && job->had_row)
        st = drop_documents(idx, job->id, err);
    if (st == MOTESOK_OK && job->had_row)
        st = twins_forget(idx, job->id, err);
    if (st == MOTESOK_OK)
        st = motesok_store_put(idx->store, &row, err);
    if (st == MOTESOK_OK)
        st = note_change(idx, 0, err);
    res->outcome = unsupported ? MOTESOK_OUTCOME_UNSUPPORTED : MOTESOK_OUTCOME_FAILED;
    res->code = job->code;
    snprintf(res->message, sizeof res->message, "%s", job->message);
    res->bytes = job->size;
    return st;
}

/* Write an extracted file to Xapian and the store. */
static motesok_status finish_indexed(motesok_index *idx, motesok_job *job,
                                     motesok_file_result *res, motesok_error *err)
{
    motesok_file_row row;
    job_row(job, &row);
    row.status = MOTESOK_FILE_OK;
    row.charset = job->text->encoding;
    row.pages = (int64_t)job->text->n_pages;
    row.title = job->title;
    motesok_status st = ensure_txn(idx, err);
    if (st == MOTESOK_OK && job->had_row)
        st = drop_documents(idx, job->id, err); /* old case documents go too */
    for (size_t i = 0; st == MOTESOK_OK && i < job->n_docs; i++) {
        st = msk_shards_replace(idx->xs, job->id, job->qterms[i], job->docs[i], err);
        job->docs[i] = NULL; /* the shard owns it now */
        idx->run_docs++;
    }
    if (st == MOTESOK_OK)
        st = motesok_store_put(idx->store, &row, err);
    for (size_t i = 0; st == MOTESOK_OK && i < job->n_fresh; i++)
        st = motesok_store_ocr_put(idx->store, job->hash, job->ocr.dpi, job->ocr.languages,
                                   job->fresh_page[i], job->fresh_text[i], err);
    if (st == MOTESOK_OK)
        st = twins_update(idx, job, err);
    if (st == MOTESOK_OK)
        st = note_change(idx, job->text->total_len, err);
    res->outcome = MOTESOK_OUTCOME_INDEXED;
    res->bytes = job->size;
    res->pages = job->text->n_pages;
    res->ocr_pages = job->n_fresh;
    res->ocr_cached = job->ocr_cached;
    res->ocr_seconds = job->n_fresh > 0 ? job->text->ocr_seconds : 0;
    idx->run_ocr_pages += job->n_fresh;
    idx->run_ocr_cached += job->ocr_cached;
    idx->run_ocr_seconds += res->ocr_seconds;
    return st;
}

/* ---- big texts (writer thread) ------------------------------------------ */

/* A file of more than MSK_BIG_TEXT_BYTES of text (cut into pages of at
 * most MSK_TEXT_PART_BYTES by the extractor) is not analysed whole: the
 * minutes reader sees its head only (for organ, kommune, date), and each
 * page becomes a passage, built and handed to its shard one at a time on
 * the writer thread, the shards being flushed every BIG_FLUSH_BYTES. The
 * analysed text in memory is then a few MiB, whatever the file's size. */
#define BIG_FLUSH_BYTES ((size_t)4 << 20)

/* The pages at the head of a big text that the minutes reader sees: as
 * many of those read as fit in MSK_TEXT_PART_BYTES, at least one. */
static size_t head_pages(const motesok_job *job)
{
    const motesok_text *t = job->text;
    size_t n = 0, bytes = 0;
    while (n < job->held && (n == 0 || bytes + t->page_lens[n] <= MSK_TEXT_PART_BYTES))
        bytes += t->page_lens[n++];
    return n;
}

/* Commit the shards, not the store, in the middle of a big file, so that
 * Xapian writes out what it buffers. The shards then record a batch
 * number ahead of the store's until the batch is committed: a crash
 * before that is reconciled at the next open, like any broken batch. */
static motesok_status flush_shards(motesok_index *idx, motesok_error *err)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRIu64, idx->batch + 1);
    return msk_shards_commit(idx->xs, MOTESOK_META_BATCH, num, err);
}

/* Build page k of n of a big file (text, len bytes) as a passage and hand
 * it to its shard. A passage that cannot be built is the file's failure
 * (in job->code); the status returned is the index's. */
static motesok_status write_big_page(motesok_index *idx, motesok_job *job, size_t k, size_t n,
                                     const char *text, size_t len, msk_buf *page,
                                     motesok_error *err)
{
    motesok_error e;
    motesok_error_clear(&e);
    page->len = 0;
    motesok_status st = msk_buf_append(page, text, len);
    if (st == MOTESOK_OK && k + 1 < n)
        st = msk_buf_append(page, "\f", 1);
    passage p = {.start = 0, .end = page->len, .kind = k == 0 ? "preamble" : "page",
                 .page = k + 1};
    job->n_docs = 0;
    if (st != MOTESOK_OK)
        msk_error_set(&e, st, "out of memory building page %zu", k + 1);
    else
        st = build_passage(job, &p, k, n, page->data, &e);
    if (st != MOTESOK_OK) {
        job_fail(job, &e);
        return MOTESOK_OK;
    }
    st = msk_shards_replace(idx->xs, job->id, job->qterms[0], job->docs[0], err);
    job->docs[0] = NULL; /* the shard owns it now */
    job->n_docs = 0;
    idx->run_docs++;
    return st;
}

/* Page k of a big file into *text (the caller's): read already, or the
 * next to come; a page that cannot come is the file's failure. */
static bool take_page(motesok_job *job, size_t k, char **text, size_t *len)
{
    motesok_text *t = job->text;
    if (k < job->held) {
        *text = t->pages[k], *len = t->page_lens[k];
        t->pages[k] = NULL;
        return true;
    }
    motesok_error e;
    motesok_error_clear(&e);
    if (next_page(job, k, text, len, &e) != MOTESOK_OK) {
        job_fail(job, &e);
        return false;
    }
    t->page_lens[k] = *len;
    t->total_len += *len;
    return true;
}

/* Write every page of a big file (see above), each freed once written. */
static motesok_status write_big(motesok_index *idx, motesok_job *job, motesok_error *err)
{
    size_t n = job->text->n_pages, unflushed = 0;
    msk_buf page = {0};
    job->docs = calloc(1, sizeof *job->docs);
    job->qterms = calloc(1, sizeof *job->qterms);
    if (job->docs == NULL || job->qterms == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    motesok_status st = MOTESOK_OK;
    for (size_t k = 0; st == MOTESOK_OK && job->code == MOTESOK_OK && k < n; k++) {
        char *text = NULL;
        size_t len = 0;
        if (!take_page(job, k, &text, &len))
            break;
        st = write_big_page(idx, job, k, n, text, len, &page, err);
        free(text);
        unflushed += len;
        if (st == MOTESOK_OK && unflushed >= BIG_FLUSH_BYTES && k + 1 < n) {
            st = flush_shards(idx, err);
            unflushed = 0;
            msk_crash_point("big-flush");
        }
    }
    msk_buf_free(&page);
    return st;
}

/* Write a big file page by page, then its row; a page that cannot be
 * built makes the file failed, with what was written of it removed. */
static motesok_status finish_big(motesok_index *idx, motesok_job *job, motesok_file_result *res,
                                 motesok_error *err)
{
    motesok_status st = ensure_txn(idx, err);
    if (st == MOTESOK_OK && job->had_row)
        st = drop_documents(idx, job->id, err); /* before the new pages, which share its id */
    job->had_row = false;
    if (st == MOTESOK_OK)
        st = write_big(idx, job, err);
    if (st != MOTESOK_OK)
        return st;
    if (job->code != MOTESOK_OK) {
        job->had_row = true; /* drop the pages written */
        return finish_failed(idx, job, res, err);
    }
    return finish_indexed(idx, job, res, err);
}

motesok_status motesok_index_finish(motesok_index *idx, motesok_job *job,
                                    motesok_file_result *res, motesok_error *err)
{
    memset(res, 0, sizeof *res);
    motesok_status st;
    if (job->same_content)
        st = finish_same(idx, job, res, err);
    else if (job->code != MOTESOK_OK)
        st = finish_failed(idx, job, res, err);
    else if (job->big)
        st = finish_big(idx, job, res, err);
    else
        st = finish_indexed(idx, job, res, err);
    motesok_job_free(job);
    return st;
}

motesok_status motesok_index_record_failure(motesok_index *idx, const char *path,
                                            motesok_status code, const char *message,
                                            motesok_file_result *res, motesok_error *err)
{
    motesok_job job = {.path = (char *)path, .code = code};
    motesok_path_id(path, job.id);
    struct stat st;
    if (lstat(path, &st) == 0) {
        job.size = (int64_t)st.st_size;
        job.mtime_ns = stat_mtime_ns(&st);
    }
    snprintf(job.message, sizeof job.message, "%s", message ? message : motesok_strerror(code));
    bool found = false;
    motesok_file_row row = {0};
    motesok_status s = motesok_store_get(idx->store, path, &row, &found, err);
    bool same = found && row.status != MOTESOK_FILE_OK && row.error_code != NULL &&
                strcmp(row.error_code, motesok_status_name(code)) == 0 &&
                row.error != NULL && strcmp(row.error, job.message) == 0;
    if (s == MOTESOK_OK && same)
        result_unchanged(res, &row);
    motesok_file_row_clear(&row);
    if (s != MOTESOK_OK || same)
        return s;
    job.had_row = found;
    return finish_failed(idx, &job, res, err);
}

/* ---- sweep -------------------------------------------------------------- */

typedef struct sweep_walk {
    const char *const *roots;
    size_t n_roots;
    bool (*seen)(const char *path, void *ud);
    void *ud;
    char **paths; /* rows to remove */
    char (*ids)[17];
    size_t n, cap;
    bool oom;
} sweep_walk;

/* True if path lies at or below root. */
static bool under_root(const char *path, const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (strncmp(path, root, n) != 0)
        return false;
    return path[n] == '\0' || path[n] == '/' || (n == 1 && root[0] == '/');
}

/* store_each callback: count the rows under the root ud points to. */
typedef struct count_walk {
    const char *root;
    int64_t n;
} count_walk;

static int count_row(const motesok_file_row *row, void *ud)
{
    count_walk *c = ud;
    c->n += under_root(row->path, c->root);
    return 0;
}

motesok_status motesok_index_count_under(motesok_index *idx, const char *root, int64_t *n,
                                         motesok_error *err)
{
    count_walk c = {.root = root};
    motesok_status st = motesok_store_each(idx->store, count_row, &c, err);
    *n = st == MOTESOK_OK ? c.n : 0;
    return st;
}

/* True if the folder holding path exists and holds at least one entry:
 * a file missing from it was removed, not hidden by an unmounted share
 * (whose mount point is an empty folder, or not there at all). */
static bool folder_present(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return false;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = strndup(path, n);
    DIR *d = dir != NULL ? opendir(dir) : NULL;
    free(dir);
    if (d == NULL)
        return false;
    bool any = false;
    for (struct dirent *e; !any && (e = readdir(d)) != NULL;)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

/* True if the row's file should be removed from the index: under a root
 * of this run, when the walk did not see it; elsewhere, when it no longer
 * exists in a folder that is there and not empty (so that a run over one
 * folder never empties the index of another that is unmounted). */
static bool vanished(const sweep_walk *w, const char *path)
{
    for (size_t i = 0; i < w->n_roots; i++)
        if (under_root(path, w->roots[i]))
            return !w->seen(path, w->ud);
    struct stat st;
    return lstat(path, &st) != 0 && errno == ENOENT && folder_present(path);
}

/* store_each callback: remember rows whose files vanished. */
static int sweep_row(const motesok_file_row *row, void *ud)
{
    sweep_walk *w = ud;
    if (!vanished(w, row->path))
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        char **p = realloc(w->paths, cap * sizeof *p);
        char (*q)[17] = p ? realloc(w->ids, cap * sizeof *q) : NULL;
        if (p != NULL)
            w->paths = p;
        if (q == NULL) {
            w->oom = true;
            return 1;
        }
        w->ids = q;
        w->cap = cap;
    }
    w->paths[w->n] = strdup(row->path);
    if (w->paths[w->n] == NULL) {
        w->oom = true;
        return 1;
    }
    memcpy(w->ids[w->n], row->id, 17);
    w->n++;
    return 0;
}

motesok_status motesok_index_sweep(motesok_index *idx, const char *const *roots,
                                   size_t n_roots,
                                   bool (*seen)(const char *path, void *ud),
                                   void *ud, size_t *removed, motesok_error *err)
{
    sweep_walk w = {.roots = roots, .n_roots = n_roots, .seen = seen, .ud = ud};
    motesok_status st = motesok_store_each(idx->store, sweep_row, &w, err);
    if (st == MOTESOK_OK && w.oom)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory sweeping the index");
    size_t done = 0;
    for (size_t i = 0; st == MOTESOK_OK && i < w.n; i++) {
        st = ensure_txn(idx, err);
        if (st == MOTESOK_OK)
            st = drop_documents(idx, w.ids[i], err);
        if (st == MOTESOK_OK)
            st = twins_forget(idx, w.ids[i], err);
        if (st == MOTESOK_OK)
            st = motesok_store_delete(idx->store, w.paths[i], err);
        if (st == MOTESOK_OK)
            st = note_change(idx, 0, err);
        if (st == MOTESOK_OK)
            done++;
    }
    for (size_t i = 0; i < w.n; i++)
        free(w.paths[i]);
    free(w.paths);
    free(w.ids);
    if (removed != NULL)
        *removed = done;
    return st;
}

const char *motesok_outcome_name(motesok_outcome o)
{
    switch (o) {
    case MOTESOK_OUTCOME_UNCHANGED: return "unchanged";
    case MOTESOK_OUTCOME_INDEXED: return "indexed";
    case MOTESOK_OUTCOME_FAILED: return "failed";
    case MOTESOK_OUTCOME_UNSUPPORTED: return "unsupported";
    }
    return "unknown";
}
