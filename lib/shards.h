/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The index's Xapian shards: N databases under DIR/shards/, listed in the
 * Xapian stub file DIR/shards.stub (which xapian-delve and any Xapian
 * program can open as one database). A file's documents all live in the
 * shard msk_shard_of(id), a pure function of its id, so updates and
 * deletes find them.
 *
 * Writing: each shard has its own writer thread, so that every core adds
 * documents. Replace and delete are queued (bounded) and return at once;
 * a failure is kept and returned by the next msk_shards_sync or commit.
 * Synchronous calls (metadata, each_id, doccount) drain the queues first.
 *
 * Life cycle: msk_shards_open → (replace | delete)… → commit … → close.
 * One thread drives a shard set. Internal to libmotesok.
 */
#ifndef MSK_SHARDS_H
#define MSK_SHARDS_H

#include "motesok/common.h"
#include "xapian/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msk_shards msk_shards;

#define MSK_SHARDS_DIR "shards"
#define MSK_SHARDS_STUB "shards.stub"
#define MSK_SHARDS_MAX 64u

/* Open the shards of index directory dir for writing. want is the shard
 * count asked for (0: keep the present count, or one per CPU for a new
 * index). When the index has another layout (the v1 single database, or
 * another count) every Xapian database is removed and want new empty
 * shards are made; *rebuilt then says the caller must index every file
 * again. */
motesok_status msk_shards_open(const char *dir, unsigned want, msk_shards **out,
                               bool *rebuilt, motesok_error *err);

/* Stop the writer threads and close the shards; uncommitted work is lost.
 * NULL is fine. */
void msk_shards_close(msk_shards *s);

/* Number of shards. */
unsigned msk_shards_count(const msk_shards *s);

/* The shard (0-based) holding the documents of file id (16 hex digits). */
unsigned msk_shard_of(unsigned n_shards, const char *id);

/* Queue: add or replace the document with unique term qterm in the shard
 * of id. The shard owns d from here on, also on failure. */
motesok_status msk_shards_replace(msk_shards *s, const char *id, const char *qterm,
                                  motesok_xdoc *d, motesok_error *err);

/* Queue: delete every document indexed by term in the shard of id. */
motesok_status msk_shards_delete(msk_shards *s, const char *id, const char *term,
                                 motesok_error *err);

/* Queue: add (on) or remove the boolean terms[0..n) (n at most
 * MSK_SHARDS_MARKS, each under 64 bytes) and set value slot to value
 * (under 64 bytes) on every document indexed by by_term in the shard of id. */
#define MSK_SHARDS_MARKS 2u
motesok_status msk_shards_mark(msk_shards *s, const char *id, const char *by_term,
                               const char *const *terms, size_t n, bool on, unsigned slot,
                               const char *value, motesok_error *err);
/* Wait until every queued change is applied; the first failure since the
 * last commit, if any. */
motesok_status msk_shards_sync(msk_shards *s, motesok_error *err);

/* Set metadata key to value (NULL: delete) in every shard, then commit all
 * shards in parallel. ERR_DB if any change since the last commit failed. */
motesok_status msk_shards_commit(msk_shards *s, const char *key, const char *value,
                                 motesok_error *err);

/* Replace every shard by a compacted copy of its last commit, all shards
 * in parallel (Xapian full compaction: smaller, and faster to search).
 * Call right after msk_shards_commit: uncommitted changes are dropped.
 * Crash-safe: killed at any point, each shard holds its old or its new
 * database whole, and msk_shards_open finishes or undoes the swap. */
motesok_status msk_shards_compact(msk_shards *s, motesok_error *err);

/* Set a metadata entry in every shard (committed with the next commit). */
motesok_status msk_shards_set_metadata(msk_shards *s, const char *key, const char *value,
                                       motesok_error *err);

/* Metadata key of shard k into *value (caller frees; "" when absent). */
motesok_status msk_shards_get_metadata(msk_shards *s, unsigned k, const char *key,
                                       char **value, motesok_error *err);

/* Call fn(term, ud) for every term starting with prefix in every shard
 * (each shard in sorted order); a non-zero return stops the walk. */
motesok_status msk_shards_each_term(msk_shards *s, const char *prefix,
                                    int (*fn)(const char *term, void *ud), void *ud,
                                    motesok_error *err);

/* Documents in all shards together. */
motesok_status msk_shards_doccount(msk_shards *s, uint64_t *out, motesok_error *err);

/* The shard directories of index directory dir, read from its stub file:
 * *dirs (caller frees each and the array) and *n. ERR_NOT_FOUND when
 * there is no stub; ERR_DB_VERSION when dir holds a v1 index only. */
motesok_status msk_shards_list(const char *dir, char ***dirs, size_t *n, motesok_error *err);

#ifdef __cplusplus
}
#endif
#endif
