/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — the SQLite metadata store (meta.sqlite3 in the index directory).
 *
 * One row per file seen by the indexer, whatever became of it, plus a small
 * key/value table for run bookkeeping. The database runs in WAL mode so that
 * one writer (the indexer) and many readers (searchd) work at once.
 *
 * Life cycle: motesok_store_open → [begin → put/delete … → commit] …
 *             → motesok_store_close. A handle is used by one thread at a time.
 */
#ifndef MOTESOK_STORE_H
#define MOTESOK_STORE_H

#include "motesok/common.h"
#include "internal.h" /* MSK_INTERNAL */
#include "twins.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct motesok_store motesok_store;

/* What became of a file. Stored as text: "ok", "failed", "unsupported". */
typedef enum motesok_file_status {
    MOTESOK_FILE_OK = 0,
    MOTESOK_FILE_FAILED,
    MOTESOK_FILE_UNSUPPORTED,
} motesok_file_status;

/* One file row. Strings are owned by the row: motesok_file_row_clear. */
typedef struct motesok_file_row {
    char *path;           /* absolute path as indexed (primary key) */
    char id[17];          /* document id (motesok_path_id) */
    int64_t size;         /* bytes */
    int64_t mtime_ns;     /* modification time, nanoseconds since the epoch */
    char hash[17];        /* xxh64 of the content, "" if not read */
    char *mime;           /* may be NULL */
    char *charset;        /* source encoding, may be NULL */
    int64_t pages;        /* 0 when unknown */
    char *title;          /* may be NULL */
    motesok_file_status status;
    char *error_code;     /* motesok_status_name(), NULL when ok */
    char *error;          /* human-readable reason, NULL when ok */
    int64_t indexed_at;   /* Unix seconds */
} motesok_file_row;

/* Counts for status reports. */
typedef struct motesok_store_stats {
    int64_t files, ok, failed, unsupported;
    int64_t ocr_pages; /* pages whose OCR text is kept */
} motesok_store_stats;

/* Open (creating and migrating as needed) the store at path.
 * read_only opens without creating and never writes. */
MSK_INTERNAL motesok_status motesok_store_open(const char *path, bool read_only,
                                               motesok_store **out,
                                               motesok_error *err);

/* Close the store (NULL is fine); an open transaction is rolled back. */
MSK_INTERNAL void motesok_store_close(motesok_store *s);

/* Transactions: one per indexer batch. */
MSK_INTERNAL motesok_status motesok_store_begin(motesok_store *s, motesok_error *err);
MSK_INTERNAL motesok_status motesok_store_commit(motesok_store *s, motesok_error *err);
MSK_INTERNAL motesok_status motesok_store_rollback(motesok_store *s, motesok_error *err);

/* Look a file up by path; *found says whether it exists (row cleared if not). */
MSK_INTERNAL motesok_status motesok_store_get(motesok_store *s, const char *path,
                                              motesok_file_row *row, bool *found,
                                              motesok_error *err);

/* Look a file up by document id. */
MSK_INTERNAL motesok_status motesok_store_get_by_id(motesok_store *s, const char *id,
                                                    motesok_file_row *row, bool *found,
                                                    motesok_error *err);

/* Insert or replace the row for row->path. */
MSK_INTERNAL motesok_status motesok_store_put(motesok_store *s,
                                              const motesok_file_row *row,
                                              motesok_error *err);

/* Delete the row for path (no error if absent). */
MSK_INTERNAL motesok_status motesok_store_delete(motesok_store *s, const char *path,
                                                 motesok_error *err);

/* Call fn for every row in path order; non-zero from fn stops the walk.
 * The row passed to fn is borrowed for the call only. */
MSK_INTERNAL motesok_status motesok_store_each(motesok_store *s,
                                               int (*fn)(const motesok_file_row *row, void *ud),
                                               void *ud, motesok_error *err);

/* Files that failed or are unsupported, newest first (then by path),
 * limit rows from offset: fn(row, ud) for each, as motesok_store_each. */
MSK_INTERNAL motesok_status motesok_store_each_problem(motesok_store *s, int64_t limit, int64_t offset,
                                                       int (*fn)(const motesok_file_row *row, void *ud),
                                                       void *ud, motesok_error *err);

/* Counts of files by status. */
MSK_INTERNAL motesok_status motesok_store_stats_get(motesok_store *s,
                                                    motesok_store_stats *out,
                                                    motesok_error *err);

/* Failures grouped by error_code: fn(code, count, ud) most frequent first. */
MSK_INTERNAL motesok_status motesok_store_each_failure_reason(motesok_store *s,
         void (*fn)(const char *code, int64_t count, void *ud), void *ud,
         motesok_error *err);

/* Key/value bookkeeping (e.g. "batch", "last_run"). get gives *value NULL
 * when absent; the caller frees *value. */
MSK_INTERNAL motesok_status motesok_store_set_meta(motesok_store *s, const char *key,
                                                   const char *value, motesok_error *err);
MSK_INTERNAL motesok_status motesok_store_get_meta(motesok_store *s, const char *key,
                                                   char **value, motesok_error *err);

/* The meeting row of an indexed file (twins, lib/twins.h): fixed size. */
typedef struct msk_meeting_row {
    char id[17];
    char date[11];        /* meeting date YYYY-MM-DD */
    char organ[128];      /* case-folded organ, "" when unknown */
    bool pdf;             /* a PDF with pages (the one to show of a pair) */
    char twin[17];        /* id of the other file of the meeting, "" if none */
    bool hidden;          /* left out of searches: the twin is shown */
    msk_twin_sketch sketch;
} msk_meeting_row;

/* Meeting row of id: *found says whether there is one. */
MSK_INTERNAL motesok_status motesok_store_get_meeting(motesok_store *s, const char *id,
                                                      msk_meeting_row *m, bool *found,
                                                      motesok_error *err);

/* Insert or replace the meeting row m->id. */
MSK_INTERNAL motesok_status motesok_store_put_meeting(motesok_store *s, const msk_meeting_row *m,
                                                      motesok_error *err);

/* Delete the meeting row of id (no error if absent). */
MSK_INTERNAL motesok_status motesok_store_delete_meeting(motesok_store *s, const char *id,
                                                         motesok_error *err);

/* Set the twin (NULL: none) and hidden flag of the meeting row of id. */
MSK_INTERNAL motesok_status motesok_store_set_twin(motesok_store *s, const char *id,
                                                   const char *twin, bool hidden,
                                                   motesok_error *err);

/* At most max meeting rows of date other than except, by id, into out[*n]. */
MSK_INTERNAL motesok_status motesok_store_meetings_on(motesok_store *s, const char *date,
                                                      const char *except, msk_meeting_row *out,
                                                      size_t max, size_t *n, motesok_error *err);

/* Drop the meeting rows of files not indexed, and pairs with such a file. */
MSK_INTERNAL motesok_status motesok_store_prune_meetings(motesok_store *s, motesok_error *err);

/* Call fn(id, ud) for each hidden twin, by id; non-zero from fn stops. */
MSK_INTERNAL motesok_status motesok_store_each_hidden(motesok_store *s,
                                                      int (*fn)(const char *id, void *ud),
                                                      void *ud, motesok_error *err);

/* Keep the OCR text of page (from 0) of the file whose content hash is
 * hash, read at dpi with languages. */
MSK_INTERNAL motesok_status motesok_store_ocr_put(motesok_store *s, const char *hash, unsigned dpi,
                                                  const char *languages, uint32_t page,
                                                  const char *text, motesok_error *err);

/* fn(page, text, ud) for each page of hash with OCR text read at dpi with
 * languages, by page; fn returns non-zero to stop (out of memory). */
MSK_INTERNAL motesok_status motesok_store_ocr_get(motesok_store *s, const char *hash, unsigned dpi,
                                                  const char *languages,
                                                  int (*fn)(uint32_t page, const char *text,
                                                            void *ud),
                                                  void *ud, motesok_error *err);

/* Free the strings of a row and zero it (NULL is fine). */
MSK_INTERNAL void motesok_file_row_clear(motesok_file_row *row);

/* Static text of a file status: "ok", "failed", "unsupported". */
MSK_INTERNAL const char *motesok_file_status_name(motesok_file_status st);

#ifdef __cplusplus
}
#endif
#endif
