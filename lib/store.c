/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SQLite metadata store (lib/store.h): one row per file. */
#include "internal.h"
#include "store.h"
#include "twins.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCHEMA_VERSION 3

/* Prepared statements, created once per handle. */
enum stmt_id {
    ST_GET, ST_GET_BY_ID, ST_PUT, ST_DELETE, ST_EACH, ST_PROBLEMS, ST_STATS, ST_REASONS,
    ST_SET_META, ST_GET_META, ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST_M_GET, ST_M_PUT, ST_M_DELETE, ST_M_ON, ST_M_TWIN, ST_M_HIDDEN, ST_OCR_PUT, ST_OCR_GET,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_GET] = "SELECT path,id,size,mtime_ns,hash,mime,charset,pages,title,status,"
               "error_code,error,indexed_at FROM files WHERE path=?1",
    [ST_GET_BY_ID] = "SELECT path,id,size,mtime_ns,hash,mime,charset,pages,title,status,"
                     "error_code,error,indexed_at FROM files WHERE id=?1",
    [ST_PUT] = "INSERT OR REPLACE INTO files(path,id,size,mtime_ns,hash,mime,charset,pages,"
               "title,status,error_code,error,indexed_at) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    [ST_DELETE] = "DELETE FROM files WHERE path=?1",
    [ST_EACH] = "SELECT path,id,size,mtime_ns,hash,mime,charset,pages,title,status,"
                "error_code,error,indexed_at FROM files ORDER BY path",
    [ST_PROBLEMS] = "SELECT path,id,size,mtime_ns,hash,mime,charset,pages,title,status,"
                    "error_code,error,indexed_at FROM files WHERE status<>'ok' "
                    "ORDER BY indexed_at DESC, path LIMIT ?1 OFFSET ?2",
    [ST_STATS] = "SELECT count(*), coalesce(sum(status='ok'),0), coalesce(sum(status='failed'),0),"
                 " coalesce(sum(status='unsupported'),0), (SELECT count(*) FROM ocr_pages)"
                 " FROM files",
    [ST_REASONS] = "SELECT coalesce(error_code,'UNKNOWN'), count(*) AS n FROM files "
                   "WHERE status<>'ok' GROUP BY 1 ORDER BY n DESC, 1",
    [ST_SET_META] = "INSERT OR REPLACE INTO meta(key,value) VALUES(?1,?2)",
    [ST_GET_META] = "SELECT value FROM meta WHERE key=?1",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_M_GET] = "SELECT id,date,organ,pdf,twin,hidden,shingles,sketch FROM meetings WHERE id=?1",
    [ST_M_PUT] = "INSERT OR REPLACE INTO meetings(id,date,organ,pdf,twin,hidden,shingles,sketch) "
                 "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [ST_M_DELETE] = "DELETE FROM meetings WHERE id=?1",
    [ST_M_ON] = "SELECT id,date,organ,pdf,twin,hidden,shingles,sketch FROM meetings "
                "WHERE date=?1 AND id<>?2 ORDER BY id LIMIT ?3",
    [ST_M_TWIN] = "UPDATE meetings SET twin=?2, hidden=?3 WHERE id=?1",
    [ST_M_HIDDEN] = "SELECT id FROM meetings WHERE hidden<>0 ORDER BY id",
    [ST_OCR_PUT] = "INSERT OR REPLACE INTO ocr_pages(hash,dpi,languages,page,text) "
                   "VALUES(?1,?2,?3,?4,?5)",
    [ST_OCR_GET] = "SELECT page,text FROM ocr_pages WHERE hash=?1 AND dpi=?2 AND languages=?3 "
                   "ORDER BY page",
};

struct motesok_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
    bool read_only;
};

/* Migrations: entry v upgrades a database from user_version v to v+1. */
static const char *const migrations[SCHEMA_VERSION] = {
    "CREATE TABLE files("
    " path TEXT PRIMARY KEY NOT NULL,"
    " id TEXT UNIQUE NOT NULL,"
    " size INTEGER NOT NULL DEFAULT 0,"
    " mtime_ns INTEGER NOT NULL DEFAULT 0,"
    " hash TEXT NOT NULL DEFAULT '',"
    " mime TEXT, charset TEXT,"
    " pages INTEGER NOT NULL DEFAULT 0,"
    " title TEXT,"
    " status TEXT NOT NULL CHECK(status IN ('ok','failed','unsupported')),"
    " error_code TEXT, error TEXT,"
    " indexed_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX files_status ON files(status);"
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT);",
    /* 1 -> 2: twins (lib/twins.h). A row per indexed file with a meeting
     * date and a sketch of its words; twin: the id of the other file of
     * the same meeting, hidden: this file's passages are left out of
     * searches (the twin is the one shown). */
    "CREATE TABLE meetings("
    " id TEXT PRIMARY KEY NOT NULL,"
    " date TEXT NOT NULL,"
    " organ TEXT NOT NULL DEFAULT '',"
    " pdf INTEGER NOT NULL DEFAULT 0,"
    " twin TEXT,"
    " hidden INTEGER NOT NULL DEFAULT 0,"
    " shingles INTEGER NOT NULL DEFAULT 0,"
    " sketch BLOB);"
    "CREATE INDEX meetings_date ON meetings(date);",
    /* 2 -> 3: the OCR text of PDF pages by the file's content, so that no file
     * is read by OCR twice (a rename, a copy, a re-analysis) */
    "CREATE TABLE ocr_pages("
    " hash TEXT NOT NULL, dpi INTEGER NOT NULL, languages TEXT NOT NULL,"
    " page INTEGER NOT NULL, text TEXT NOT NULL,"
    " PRIMARY KEY(hash, dpi, languages, page)) WITHOUT ROWID;",
};

/* Map an SQLite result code to a status with the handle's message. */
static motesok_status db_error(motesok_store *s, int rc, const char *what, motesok_error *err)
{
    motesok_status code;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = MOTESOK_ERR_DB_LOCKED; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: code = MOTESOK_ERR_DB_CORRUPT; break;
    case SQLITE_NOMEM: code = MOTESOK_ERR_NOMEM; break;
    case SQLITE_CANTOPEN: code = MOTESOK_ERR_IO; break;
    default: code = MOTESOK_ERR_DB;
    }
    const char *msg = s != NULL && s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    return msk_error_set(err, code, "store: %s: %s", what, msg);
}

/* Run SQL with no results. */
static motesok_status exec(motesok_store *s, const char *sql, motesok_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? MOTESOK_OK : db_error(s, rc, "cannot run statement", err);
}

/* Read PRAGMA user_version. */
static motesok_status user_version(motesok_store *s, int *out, motesok_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? MOTESOK_OK : db_error(s, rc, "cannot read schema version", err);
}

/* Bring the schema up to SCHEMA_VERSION, one migration per transaction. */
static motesok_status migrate(motesok_store *s, motesok_error *err)
{
    int v = 0;
    motesok_status st = user_version(s, &v, err);
    if (st != MOTESOK_OK)
        return st;
    if (v > SCHEMA_VERSION)
        return msk_error_set(err, MOTESOK_ERR_DB_VERSION,
                             "store schema %d is newer than this program (%d)", v, SCHEMA_VERSION);
    if (s->read_only)
        return v == SCHEMA_VERSION ? MOTESOK_OK
                                   : msk_error_set(err, MOTESOK_ERR_DB_VERSION,
                                                   "store schema %d needs an indexer run", v);
    for (; v < SCHEMA_VERSION && st == MOTESOK_OK; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
        st = exec(s, "BEGIN IMMEDIATE", err);
        if (st == MOTESOK_OK)
            st = exec(s, migrations[v], err);
        if (st == MOTESOK_OK)
            st = exec(s, pragma, err);
        st = st == MOTESOK_OK ? exec(s, "COMMIT", err) : (exec(s, "ROLLBACK", NULL), st);
    }
    return st;
}

/* Prepare every statement (readers skip the writing ones). */
static motesok_status prepare_all(motesok_store *s, motesok_error *err)
{
    for (int i = 0; i < ST_COUNT; i++) {
        int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmt[i], NULL);
        if (rc != SQLITE_OK)
            return db_error(s, rc, "cannot prepare statement", err);
    }
    return MOTESOK_OK;
}

/* Pragmas for a handle: WAL for writers, timeouts and foreign keys for all. */
static motesok_status configure(motesok_store *s, motesok_error *err)
{
    sqlite3_busy_timeout(s->db, 5000);
    motesok_status st = exec(s, "PRAGMA foreign_keys=ON", err);
    if (st == MOTESOK_OK && !s->read_only)
        st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err);
    if (st == MOTESOK_OK) /* touch the schema: a non-database fails here */
        st = exec(s, "SELECT count(*) FROM sqlite_master", err);
    return st;
}

motesok_status motesok_store_open(const char *path, bool read_only, motesok_store **out,
                                  motesok_error *err)
{
    *out = NULL;
    struct stat sb;
    if (read_only && stat(path, &sb) != 0)
        return msk_error_set(err, MOTESOK_ERR_NOT_FOUND, "store %s does not exist", path);
    motesok_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    s->read_only = read_only;
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    motesok_status st = rc == SQLITE_OK ? MOTESOK_OK : db_error(s, rc, path, err);
    if (st == MOTESOK_OK)
        st = configure(s, err);
    if (st == MOTESOK_OK)
        st = migrate(s, err);
    if (st == MOTESOK_OK)
        st = prepare_all(s, err);
    if (st != MOTESOK_OK) {
        motesok_store_close(s);
        return st;
    }
    *out = s;
    return MOTESOK_OK;
}

void motesok_store_close(motesok_store *s)
{
    if (s == NULL)
        return;
    if (s->db != NULL && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close_v2(s->db);
    free(s);
}

/* Step a statement that returns no rows, then reset it. */
static motesok_status step_done(motesok_store *s, enum stmt_id id, const char *what,
                                motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[id];
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? MOTESOK_OK : db_error(s, rc, what, err);
}

motesok_status motesok_store_begin(motesok_store *s, motesok_error *err)
{
    return step_done(s, ST_BEGIN, "cannot begin", err);
}

motesok_status motesok_store_commit(motesok_store *s, motesok_error *err)
{
    return step_done(s, ST_COMMIT, "cannot commit", err);
}

motesok_status motesok_store_rollback(motesok_store *s, motesok_error *err)
{
    return step_done(s, ST_ROLLBACK, "cannot roll back", err);
}

/* Copy column i as a new string, NULL when SQL NULL. */
static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t == NULL ? NULL : strdup((const char *)t);
}

/* Copy column i into a fixed buffer of n bytes. */
static void col_fixed(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

/* Parse a stored status string. */
static motesok_file_status parse_status(const unsigned char *t)
{
    if (t != NULL && strcmp((const char *)t, "failed") == 0)
        return MOTESOK_FILE_FAILED;
    if (t != NULL && strcmp((const char *)t, "unsupported") == 0)
        return MOTESOK_FILE_UNSUPPORTED;
    return MOTESOK_FILE_OK;
}

/* Fill row from the current result row of st (column order of ST_GET). */
static void read_row(sqlite3_stmt *st, motesok_file_row *row)
{
    memset(row, 0, sizeof *row);
    row->path = col_text(st, 0);
    col_fixed(st, 1, row->id, sizeof row->id);
    row->size = sqlite3_column_int64(st, 2);
    row->mtime_ns = sqlite3_column_int64(st, 3);
    col_fixed(st, 4, row->hash, sizeof row->hash);
    row->mime = col_text(st, 5);
    row->charset = col_text(st, 6);
    row->pages = sqlite3_column_int64(st, 7);
    row->title = col_text(st, 8);
    row->status = parse_status(sqlite3_column_text(st, 9));
    row->error_code = col_text(st, 10);
    row->error = col_text(st, 11);
    row->indexed_at = sqlite3_column_int64(st, 12);
}

/* Run a one-key lookup statement and read its row if any. */
static motesok_status lookup(motesok_store *s, enum stmt_id id, const char *key,
                             motesok_file_row *row, bool *found, motesok_error *err)
{
    memset(row, 0, sizeof *row);
    *found = false;
    sqlite3_stmt *st = s->stmt[id];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, row);
        *found = true;
        rc = row->path != NULL ? SQLITE_DONE : SQLITE_NOMEM;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        motesok_file_row_clear(row);
        *found = false;
        return db_error(s, rc, "cannot read a file row", err);
    }
    return MOTESOK_OK;
}

motesok_status motesok_store_get(motesok_store *s, const char *path, motesok_file_row *row,
                                 bool *found, motesok_error *err)
{
    return lookup(s, ST_GET, path, row, found, err);
}

motesok_status motesok_store_get_by_id(motesok_store *s, const char *id, motesok_file_row *row,
                                       bool *found, motesok_error *err)
{
    return lookup(s, ST_GET_BY_ID, id, row, found, err);
}

/* Bind text or NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

motesok_status motesok_store_put(motesok_store *s, const motesok_file_row *row,
                                 motesok_error *err)
{
    if (row->path == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "store: a row needs a path");
    sqlite3_stmt *st = s->stmt[ST_PUT];
    bind_text(st, 1, row->path);
    bind_text(st, 2, row->id);
    sqlite3_bind_int64(st, 3, row->size);
    sqlite3_bind_int64(st, 4, row->mtime_ns);
    bind_text(st, 5, row->hash);
    bind_text(st, 6, row->mime);
    bind_text(st, 7, row->charset);
    sqlite3_bind_int64(st, 8, row->pages);
    bind_text(st, 9, row->title);
    bind_text(st, 10, motesok_file_status_name(row->status));
    bind_text(st, 11, row->error_code);
    bind_text(st, 12, row->error);
    sqlite3_bind_int64(st, 13, row->indexed_at);
    return step_done(s, ST_PUT, "cannot write a file row", err);
}

motesok_status motesok_store_delete(motesok_store *s, const char *path, motesok_error *err)
{
    sqlite3_bind_text(s->stmt[ST_DELETE], 1, path, -1, SQLITE_STATIC);
    return step_done(s, ST_DELETE, "cannot delete a file row", err);
}

/* Step the bound statement st, calling fn for each row (stop when fn returns
 * non-zero; < 0 means out of memory); what names the listing in errors. */
static motesok_status each_row(motesok_store *s, sqlite3_stmt *st,
                               int (*fn)(const motesok_file_row *row, void *ud), void *ud,
                               const char *what, motesok_error *err)
{
    /* fn must not use the store: the statement is mid-iteration. */
    int rc;
    for (;;) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
            break;
        motesok_file_row row;
        read_row(st, &row);
        int stop = row.path == NULL ? -1 : fn(&row, ud);
        motesok_file_row_clear(&row);
        if (stop < 0)
            rc = SQLITE_NOMEM;
        if (stop != 0)
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(s, rc, what, err);
    return MOTESOK_OK;
}

motesok_status motesok_store_each(motesok_store *s,
                                  int (*fn)(const motesok_file_row *row, void *ud), void *ud,
                                  motesok_error *err)
{
    return each_row(s, s->stmt[ST_EACH], fn, ud, "cannot list files", err);
}

motesok_status motesok_store_each_problem(motesok_store *s, int64_t limit, int64_t offset,
                                          int (*fn)(const motesok_file_row *row, void *ud), void *ud,
                                          motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_PROBLEMS];
    sqlite3_bind_int64(st, 1, limit);
    sqlite3_bind_int64(st, 2, offset);
    return each_row(s, st, fn, ud, "cannot list failed files", err);
}

motesok_status motesok_store_stats_get(motesok_store *s, motesok_store_stats *out,
                                       motesok_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = s->stmt[ST_STATS];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->files = sqlite3_column_int64(st, 0);
        out->ok = sqlite3_column_int64(st, 1);
        out->failed = sqlite3_column_int64(st, 2);
        out->unsupported = sqlite3_column_int64(st, 3);
        out->ocr_pages = sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MOTESOK_OK : db_error(s, rc, "cannot count files", err);
}

motesok_status motesok_store_each_failure_reason(motesok_store *s,
        void (*fn)(const char *code, int64_t count, void *ud), void *ud, motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_REASONS];
    int rc;
    for (;;) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
            break;
        fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), ud);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MOTESOK_OK : db_error(s, rc, "cannot count failures", err);
}

motesok_status motesok_store_set_meta(motesok_store *s, const char *key, const char *value,
                                      motesok_error *err)
{
    sqlite3_bind_text(s->stmt[ST_SET_META], 1, key, -1, SQLITE_STATIC);
    bind_text(s->stmt[ST_SET_META], 2, value);
    return step_done(s, ST_SET_META, "cannot write bookkeeping", err);
}

motesok_status motesok_store_get_meta(motesok_store *s, const char *key, char **value,
                                      motesok_error *err)
{
    *value = NULL;
    sqlite3_stmt *st = s->stmt[ST_GET_META];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *value = col_text(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? MOTESOK_OK : db_error(s, rc, "cannot read bookkeeping", err);
}

motesok_status motesok_store_ocr_put(motesok_store *s, const char *hash, unsigned dpi,
                                     const char *languages, uint32_t page, const char *text,
                                     motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_OCR_PUT];
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, dpi);
    sqlite3_bind_text(st, 3, languages, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, page);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
    return step_done(s, ST_OCR_PUT, "cannot write OCR text", err);
}

motesok_status motesok_store_ocr_get(motesok_store *s, const char *hash, unsigned dpi,
                                     const char *languages,
                                     int (*fn)(uint32_t page, const char *text, void *ud),
                                     void *ud, motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_OCR_GET];
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, dpi);
    sqlite3_bind_text(st, 3, languages, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 page = sqlite3_column_int64(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        if (page < 0 || page > UINT32_MAX || text == NULL)
            continue;
        if (fn((uint32_t)page, text, ud) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? MOTESOK_OK : db_error(s, rc, "cannot read OCR text", err);
}

void motesok_file_row_clear(motesok_file_row *row)
{
    if (row == NULL)
        return;
    free(row->path);
    free(row->mime);
    free(row->charset);
    free(row->title);
    free(row->error_code);
    free(row->error);
    memset(row, 0, sizeof *row);
}

const char *motesok_file_status_name(motesok_file_status st)
{
    switch (st) {
    case MOTESOK_FILE_OK: return "ok";
    case MOTESOK_FILE_FAILED: return "failed";
    case MOTESOK_FILE_UNSUPPORTED: return "unsupported";
    }
    return "failed";
}

/* ---- meetings (twins) --------------------------------------------------- */

/* Fill m from the current result row of st (column order of ST_M_GET). */
static void read_meeting(sqlite3_stmt *st, msk_meeting_row *m)
{
    memset(m, 0, sizeof *m);
    col_fixed(st, 0, m->id, sizeof m->id);
    col_fixed(st, 1, m->date, sizeof m->date);
    col_fixed(st, 2, m->organ, sizeof m->organ);
    m->pdf = sqlite3_column_int(st, 3) != 0;
    col_fixed(st, 4, m->twin, sizeof m->twin);
    m->hidden = sqlite3_column_int(st, 5) != 0;
    m->sketch.shingles = (uint64_t)sqlite3_column_int64(st, 6);
    const void *blob = sqlite3_column_blob(st, 7);
    size_t bytes = (size_t)sqlite3_column_bytes(st, 7);
    size_t n = bytes / sizeof(uint64_t);
    m->sketch.n = n > MSK_TWIN_K ? MSK_TWIN_K : n;
    if (blob != NULL)
        memcpy(m->sketch.h, blob, m->sketch.n * sizeof(uint64_t));
}

motesok_status motesok_store_get_meeting(motesok_store *s, const char *id, msk_meeting_row *m,
                                         bool *found, motesok_error *err)
{
    memset(m, 0, sizeof *m);
    *found = false;
    sqlite3_stmt *st = s->stmt[ST_M_GET];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_meeting(st, m);
        *found = true;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? MOTESOK_OK : db_error(s, rc, "cannot read a meeting row", err);
}

motesok_status motesok_store_put_meeting(motesok_store *s, const msk_meeting_row *m,
                                         motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_M_PUT];
    bind_text(st, 1, m->id);
    bind_text(st, 2, m->date);
    bind_text(st, 3, m->organ);
    sqlite3_bind_int(st, 4, m->pdf);
    bind_text(st, 5, m->twin[0] ? m->twin : NULL);
    sqlite3_bind_int(st, 6, m->hidden);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)m->sketch.shingles);
    sqlite3_bind_blob(st, 8, m->sketch.h, (int)(m->sketch.n * sizeof(uint64_t)), SQLITE_STATIC);
    return step_done(s, ST_M_PUT, "cannot write a meeting row", err);
}

motesok_status motesok_store_delete_meeting(motesok_store *s, const char *id, motesok_error *err)
{
    sqlite3_bind_text(s->stmt[ST_M_DELETE], 1, id, -1, SQLITE_STATIC);
    return step_done(s, ST_M_DELETE, "cannot delete a meeting row", err);
}

motesok_status motesok_store_set_twin(motesok_store *s, const char *id, const char *twin,
                                      bool hidden, motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_M_TWIN];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    bind_text(st, 2, twin != NULL && *twin ? twin : NULL);
    sqlite3_bind_int(st, 3, hidden);
    return step_done(s, ST_M_TWIN, "cannot write a twin", err);
}

motesok_status motesok_store_meetings_on(motesok_store *s, const char *date, const char *except,
                                         msk_meeting_row *out, size_t max, size_t *n,
                                         motesok_error *err)
{
    *n = 0;
    sqlite3_stmt *st = s->stmt[ST_M_ON];
    sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, except, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        read_meeting(st, &out[(*n)++]);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? MOTESOK_OK
                                                 : db_error(s, rc, "cannot list meetings", err);
}

motesok_status motesok_store_each_hidden(motesok_store *s, int (*fn)(const char *id, void *ud),
                                         void *ud, motesok_error *err)
{
    sqlite3_stmt *st = s->stmt[ST_M_HIDDEN];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn((const char *)sqlite3_column_text(st, 0), ud) != 0)
            break;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? MOTESOK_OK
                                                 : db_error(s, rc, "cannot list hidden twins", err);
}

motesok_status motesok_store_prune_meetings(motesok_store *s, motesok_error *err)
{
    return exec(s, "DELETE FROM meetings WHERE id NOT IN (SELECT id FROM files WHERE status='ok');"
                   "UPDATE meetings SET twin=NULL, hidden=0 WHERE twin IS NOT NULL AND"
                   " twin NOT IN (SELECT id FROM meetings);", err);
}
