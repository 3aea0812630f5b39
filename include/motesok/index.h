/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — building and updating an index directory.
 *
 * An index directory holds the Xapian shards (shards/N, listed in the stub
 * shards.stub) and the metadata store (meta.sqlite3). A file's passages
 * all go to one shard, chosen by its id; each shard is written by a thread
 * of its own. One writer at a time: motesok_index_open takes Xapian's
 * write locks and fails with ERR_DB_LOCKED if another holds them. An index
 * of an older layout, or with another shard count than asked for, is laid
 * out anew at open and every file is indexed again.
 *
 * Work on one file comes in three steps so that the middle, expensive one
 * can run on any thread (it touches no shared state):
 *   motesok_index_prepare  (writer thread)  cheap checks: stat, size+mtime
 *                                            against the store
 *   motesok_job_run        (any thread)     hash, detect, extract, analyse
 *   motesok_index_finish   (writer thread)  write Xapian + store rows
 * Changes are committed in batches: Xapian first, then SQLite, each batch
 * numbered in both, so that a crash between the two is repaired on the next
 * open (documents whose rows were lost are re-checked; orphans removed).
 *
 * Life cycle: open → (prepare → run → finish)… → sweep → commit → close.
 */
#ifndef MOTESOK_INDEX_H
#define MOTESOK_INDEX_H

#include "motesok/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct motesok_index motesok_index;
typedef struct motesok_job motesok_job;

/* Limits that keep hostile input bounded. Zero fields take the defaults. */
typedef struct motesok_extract_limits {
    size_t max_input_bytes; /* default 256 MiB (PDF) / 32 MiB (text) */
    size_t max_text_bytes;  /* extracted UTF-8, default 32 MiB */
    size_t max_pages;       /* default 10000 */
} motesok_extract_limits;

/* When the final commit of a run compacts the shards (Xapian full
 * compaction into a new copy that is swapped in, crash-safely): a fresh
 * build's B-trees are half empty, and compaction makes them a third
 * smaller and faster to search. */
typedef enum motesok_compact_mode {
    MOTESOK_COMPACT_AUTO = 0, /* when the run wrote or deleted documents
                                 amounting to at least a quarter of the
                                 index (a first build, a re-analysis) */
    MOTESOK_COMPACT_ALWAYS,   /* after every run */
    MOTESOK_COMPACT_NEVER,
} motesok_compact_mode;

/* When PDF pages are read by OCR (Tesseract) instead of their text layer. */
typedef enum motesok_ocr_mode {
    MOTESOK_OCR_AUTO = 0, /* pages with no text but an image (a blank page is
                             not read), or whose text fails the quality test
                             (private-use glyphs, few letters, few
                             dictionary words) */
    MOTESOK_OCR_ALWAYS,   /* every PDF page */
    MOTESOK_OCR_NEVER,
} motesok_ocr_mode;

#define MOTESOK_OCR_DEFAULT_DPI 300
#define MOTESOK_OCR_DEFAULT_LANGUAGES "nor+eng"

/* Options; zero fields take the defaults. */
typedef struct motesok_index_options {
    size_t batch_files;            /* files per commit, default 200 */
    size_t batch_bytes;            /* extracted bytes per commit, default 64 MiB */
    motesok_extract_limits limits; /* see above */
    bool retry_failed;             /* re-read unchanged files that failed before */
    const char *worker_exe;        /* extract in worker processes of this program
                                      ("exe --extract-worker MIB"); NULL: in-process */
    double timeout_s;              /* wall time per file in a worker, default 120 s */
    size_t max_memory_mb;          /* memory of a worker, default 2048 MiB */
    unsigned shards;               /* Xapian shards (1-64); 0: as the index has,
                                      else one per CPU */
    motesok_compact_mode compact;  /* default MOTESOK_COMPACT_AUTO */
    motesok_ocr_mode ocr;          /* default MOTESOK_OCR_AUTO */
    unsigned ocr_dpi;              /* pages rendered for OCR at, default 300 (50-1200) */
    const char *ocr_languages;     /* Tesseract's languages, default "nor+eng" */
} motesok_index_options;

/* What happened to one file. */
typedef enum motesok_outcome {
    MOTESOK_OUTCOME_UNCHANGED = 0, /* skipped: same size, mtime (and hash) */
    MOTESOK_OUTCOME_INDEXED,       /* new or changed, now searchable */
    MOTESOK_OUTCOME_FAILED,        /* could not be read or parsed; recorded */
    MOTESOK_OUTCOME_UNSUPPORTED,   /* not a PDF or text file; recorded */
} motesok_outcome;

/* Per-file result, filled by prepare (for UNCHANGED) or finish. */
typedef struct motesok_file_result {
    motesok_outcome outcome;
    motesok_status code;  /* why it failed, MOTESOK_OK otherwise */
    char message[512];    /* the reason in words, "" otherwise */
    int64_t bytes;        /* file size */
    size_t pages;         /* pages extracted */
    size_t ocr_pages;     /* of them read by OCR in this run */
    size_t ocr_cached;    /* of them needing OCR whose text came from the cache */
    double ocr_seconds;   /* wall seconds the ocr_pages took to render and read
                             (in the extraction worker), 0 when none */
} motesok_file_result;

/* Check that Tesseract has the data of languages ("nor+eng"; NULL: the
 * default): ERR_UNSUPPORTED naming them if not. Tesseract may print its own
 * complaint on standard error. */
MOTESOK_API motesok_status motesok_ocr_check(const char *languages, motesok_error *err);

/* Open (creating if needed) the index in dir. */
MOTESOK_API motesok_status motesok_index_open(const char *dir,
                                              const motesok_index_options *opt,
                                              motesok_index **out,
                                              motesok_error *err);

/* Close the index; uncommitted work is lost (commit first). NULL is fine. */
MOTESOK_API void motesok_index_close(motesok_index *idx);

/* Why every file given is indexed again, or NULL when it is not: the index
 * was built with other analysis data (data/norsk, hunspell-no) than this
 * process loaded (the final commit records the new analysis), or it was
 * laid out anew (an older layout, another shard count). Static string. */
MOTESOK_API const char *motesok_index_rebuilding(const motesok_index *idx);


/* Check path (absolute, a regular file) against the store. If it is
 * unchanged, *job is NULL and res says UNCHANGED; otherwise *job is a job
 * to run and then pass to motesok_index_finish. */
MOTESOK_API motesok_status motesok_index_prepare(motesok_index *idx,
                                                 const char *path,
                                                 motesok_job **job,
                                                 motesok_file_result *res,
                                                 motesok_error *err);

/* Do the expensive work of a job (read, hash, detect, extract). Never
 * fails as such: problems with the file are kept in the job. Thread-safe. */
MOTESOK_API void motesok_job_run(motesok_job *job);

/* Write a run job's outcome to the index and free the job; commits when
 * the batch is full. Errors returned are fatal index errors, not file ones. */
MOTESOK_API motesok_status motesok_index_finish(motesok_index *idx,
                                                motesok_job *job,
                                                motesok_file_result *res,
                                                motesok_error *err);

/* Free a job without writing it (NULL is fine). */
MOTESOK_API void motesok_job_free(motesok_job *job);

/* Path of a job, borrowed until the job is finished or freed. */
MOTESOK_API const char *motesok_job_path(const motesok_job *job);

/* Record a file that could not even be prepared (e.g. unreadable, a
 * symlink loop) with its reason, so it shows in the store as failed;
 * res says UNCHANGED when the same failure was already recorded. */
MOTESOK_API motesok_status motesok_index_record_failure(motesok_index *idx,
                                                        const char *path,
                                                        motesok_status code,
                                                        const char *message,
                                                        motesok_file_result *res,
                                                        motesok_error *err);

/* Remove what vanished: every stored file under one of roots that
 * seen(path, ud) denies, and every stored file elsewhere that no longer
 * exists in a folder that is there and not empty (an unmounted share's
 * files stay). *removed (may be NULL) counts them. */
MOTESOK_API motesok_status motesok_index_sweep(motesok_index *idx,
                                               const char *const *roots,
                                               size_t n_roots,
                                               bool (*seen)(const char *path, void *ud),
                                               void *ud, size_t *removed,
                                               motesok_error *err);

/* The number of files the store records (whatever their status) at or
 * below root, an absolute path, into *n: what a sweep would remove if
 * nothing under root were seen. */
MOTESOK_API motesok_status motesok_index_count_under(motesok_index *idx, const char *root,
                                                     int64_t *n, motesok_error *err);

/* Commit the current batch (Xapian, then the store) and record last_run
 * when final is true; a final commit then compacts the shards as
 * opt->compact says. A failed compaction leaves the committed index as it
 * was (uncompacted) and is reported as the error. */
MOTESOK_API motesok_status motesok_index_commit(motesok_index *idx, bool final,
                                                motesok_error *err);

/* The files recorded as failed and as unsupported in the whole index (not
 * only this run), after the last commit. */
MOTESOK_API motesok_status motesok_index_problems(motesok_index *idx, int64_t *failed,
                                                  int64_t *unsupported, motesok_error *err);

/* Run this process as an extraction worker ("PROGRAM --extract-worker
 * MEMORY_MIB", as started by the indexer): limit its own memory, then
 * detect and extract the files asked for on stdin, answering on stdout,
 * until end of input. Returns the exit code. */
MOTESOK_API int motesok_extract_worker_main(int argc, char **argv);

/* Static name of an outcome: "unchanged", "indexed", "failed", "unsupported". */
MOTESOK_API const char *motesok_outcome_name(motesok_outcome o);

#ifdef __cplusplus
}
#endif
#endif
