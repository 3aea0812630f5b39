/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for lib/store.c: the SQLite metadata store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "test_tmpdir.h"

typedef struct fixture {
    char dir[64];
    char path[96];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->dir, sizeof f->dir, "test-store"));
    snprintf(f->path, sizeof f->path, "%s/meta.sqlite3", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msk_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* A row with every field set (strings borrowed). */
static motesok_file_row sample(const char *path, const char *id, motesok_file_status st)
{
    motesok_file_row r = {0};
    r.path = (char *)path;
    snprintf(r.id, sizeof r.id, "%s", id);
    r.size = 12345;
    r.mtime_ns = 1519372800123456789LL;
    snprintf(r.hash, sizeof r.hash, "0123456789abcdef");
    r.mime = "application/pdf";
    r.charset = "PDF";
    r.pages = 8;
    r.title = "Referat Rådmannsutvalget 23.02.2018";
    r.status = st;
    r.error_code = st == MOTESOK_FILE_OK ? NULL : "ERR_PARSE";
    r.error = st == MOTESOK_FILE_OK ? NULL : "damaged or invalid PDF";
    r.indexed_at = 1700000000;
    return r;
}

static motesok_store *open_rw(const fixture *f)
{
    motesok_store *s = NULL;
    assert_int_equal(motesok_store_open(f->path, false, &s, NULL), MOTESOK_OK);
    return s;
}

static void test_store_put_get_round_trip(void **state)
{
    fixture *f = *state;
    motesok_store *s = open_rw(f);
    motesok_file_row in = sample("/srv/møter/a.pdf", "00000000000000aa", MOTESOK_FILE_OK);
    assert_int_equal(motesok_store_put(s, &in, NULL), MOTESOK_OK);
    motesok_file_row out;
    bool found = false;
    assert_int_equal(motesok_store_get(s, "/srv/møter/a.pdf", &out, &found, NULL), MOTESOK_OK);
    assert_true(found);
    assert_string_equal(out.path, in.path);
    assert_string_equal(out.id, in.id);
    assert_int_equal(out.size, in.size);
    assert_int_equal(out.mtime_ns, in.mtime_ns);
    assert_string_equal(out.hash, in.hash);
    assert_string_equal(out.mime, in.mime);
    assert_string_equal(out.charset, in.charset);
    assert_int_equal(out.pages, 8);
    assert_string_equal(out.title, in.title);
    assert_int_equal(out.status, MOTESOK_FILE_OK);
    assert_null(out.error_code);
    assert_null(out.error);
    assert_int_equal(out.indexed_at, in.indexed_at);
    motesok_file_row_clear(&out);
    assert_int_equal(motesok_store_get_by_id(s, "00000000000000aa", &out, &found, NULL), MOTESOK_OK);
    assert_true(found);
    assert_string_equal(out.path, "/srv/møter/a.pdf");
    motesok_file_row_clear(&out);
    assert_int_equal(motesok_store_get(s, "/none", &out, &found, NULL), MOTESOK_OK);
    assert_false(found);
    assert_null(out.path);
    motesok_store_close(s);
}

static void test_store_put_replaces_and_delete_removes(void **state)
{
    fixture *f = *state;
    motesok_store *s = open_rw(f);
    motesok_file_row a = sample("/a", "00000000000000aa", MOTESOK_FILE_OK);
    assert_int_equal(motesok_store_put(s, &a, NULL), MOTESOK_OK);
    a.status = MOTESOK_FILE_FAILED;
    a.error_code = "ERR_ENCRYPTED";
    a.error = "PDF is password-protected";
    assert_int_equal(motesok_store_put(s, &a, NULL), MOTESOK_OK);
    motesok_store_stats st;
    assert_int_equal(motesok_store_stats_get(s, &st, NULL), MOTESOK_OK);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.ok, 0);
    assert_int_equal(motesok_store_delete(s, "/a", NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_delete(s, "/a", NULL), MOTESOK_OK); /* absent: fine */
    assert_int_equal(motesok_store_stats_get(s, &st, NULL), MOTESOK_OK);
    assert_int_equal(st.files, 0);
    motesok_store_close(s);
}

/* each callback: record paths, stop after limit. */
typedef struct walk { char seen[8][32]; int n, limit; } walk;
static int on_row(const motesok_file_row *row, void *ud)
{
    walk *w = ud;
    snprintf(w->seen[w->n++], 32, "%s", row->path);
    return w->n >= w->limit;
}

/* failure-reason callback: record code=count. */
static void on_reason(const char *code, int64_t count, void *ud)
{
    char *buf = ud;
    size_t n = strlen(buf);
    snprintf(buf + n, 256 - n, "%s=%lld;", code, (long long)count);
}

static void test_store_each_stats_and_reasons(void **state)
{
    fixture *f = *state;
    motesok_store *s = open_rw(f);
    const char *paths[] = {"/c", "/a", "/d", "/b"};
    motesok_file_status sts[] = {MOTESOK_FILE_OK, MOTESOK_FILE_FAILED, MOTESOK_FILE_FAILED,
                                 MOTESOK_FILE_UNSUPPORTED};
    const char *codes[] = {NULL, "ERR_PARSE", "ERR_PARSE", "ERR_UNSUPPORTED"};
    for (int i = 0; i < 4; i++) {
        char id[17];
        snprintf(id, sizeof id, "%016d", i);
        motesok_file_row r = sample(paths[i], id, sts[i]);
        r.error_code = (char *)codes[i];
        assert_int_equal(motesok_store_put(s, &r, NULL), MOTESOK_OK);
    }
    walk w = {.limit = 10};
    assert_int_equal(motesok_store_each(s, on_row, &w, NULL), MOTESOK_OK);
    assert_int_equal(w.n, 4);
    assert_string_equal(w.seen[0], "/a");
    assert_string_equal(w.seen[3], "/d");
    walk w2 = {.limit = 2};
    assert_int_equal(motesok_store_each(s, on_row, &w2, NULL), MOTESOK_OK);
    assert_int_equal(w2.n, 2);
    motesok_store_stats st;
    assert_int_equal(motesok_store_stats_get(s, &st, NULL), MOTESOK_OK);
    assert_int_equal(st.files, 4);
    assert_int_equal(st.ok, 1);
    assert_int_equal(st.failed, 2);
    assert_int_equal(st.unsupported, 1);
    char reasons[256] = "";
    assert_int_equal(motesok_store_each_failure_reason(s, on_reason, reasons, NULL), MOTESOK_OK);
    assert_string_equal(reasons, "ERR_PARSE=2;ERR_UNSUPPORTED=1;");
    motesok_store_close(s);
}

static void test_store_meta_and_transactions(void **state)
{
    fixture *f = *state;
    motesok_store *s = open_rw(f);
    char *v = NULL;
    assert_int_equal(motesok_store_get_meta(s, "batch", &v, NULL), MOTESOK_OK);
    assert_null(v);
    assert_int_equal(motesok_store_set_meta(s, "batch", "1", NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_set_meta(s, "batch", "2", NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_get_meta(s, "batch", &v, NULL), MOTESOK_OK);
    assert_string_equal(v, "2");
    free(v);
    /* rollback discards */
    assert_int_equal(motesok_store_begin(s, NULL), MOTESOK_OK);
    motesok_file_row r = sample("/x", "000000000000000x", MOTESOK_FILE_OK);
    assert_int_equal(motesok_store_put(s, &r, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_rollback(s, NULL), MOTESOK_OK);
    motesok_file_row out;
    bool found = true;
    assert_int_equal(motesok_store_get(s, "/x", &out, &found, NULL), MOTESOK_OK);
    assert_false(found);
    /* an open transaction is not visible to a reader until commit (WAL) */
    assert_int_equal(motesok_store_begin(s, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_put(s, &r, NULL), MOTESOK_OK);
    motesok_store *ro = NULL;
    assert_int_equal(motesok_store_open(f->path, true, &ro, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_get(ro, "/x", &out, &found, NULL), MOTESOK_OK);
    assert_false(found);
    assert_int_equal(motesok_store_commit(s, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_get(ro, "/x", &out, &found, NULL), MOTESOK_OK);
    assert_true(found);
    motesok_file_row_clear(&out);
    /* a reader cannot write */
    motesok_error err;
    assert_int_not_equal(motesok_store_put(ro, &r, &err), MOTESOK_OK);
    motesok_store_close(ro);
    motesok_store_close(s);
    /* data survives reopening */
    s = open_rw(f);
    assert_int_equal(motesok_store_get(s, "/x", &out, &found, NULL), MOTESOK_OK);
    assert_true(found);
    motesok_file_row_clear(&out);
    motesok_store_close(s);
}

static void test_store_open_errors(void **state)
{
    fixture *f = *state;
    motesok_store *s = NULL;
    motesok_error err;
    assert_int_equal(motesok_store_open(f->path, true, &s, &err), MOTESOK_ERR_NOT_FOUND);
    assert_null(s);
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 4096; i++)
        fputc("garbage!"[i % 8], fp);
    fclose(fp);
    assert_int_equal(motesok_store_open(f->path, false, &s, &err), MOTESOK_ERR_DB_CORRUPT);
    assert_null(s);
    assert_non_null(strstr(err.message, "store"));
}

/* Meeting rows (twins): kept with their sketch, listed by date, paired
 * and parted; prune drops the rows of files not indexed and their pairs. */
static int count_hidden(const char *id, void *ud)
{
    (void)id;
    (*(int *)ud)++;
    return 0;
}

static void test_store_meetings_and_twins(void **state)
{
    fixture *f = *state;
    motesok_store *s = open_rw(f);
    static const char *const ids[] = {"00000000000000a1", "00000000000000b2", "00000000000000c3"};
    static const char *const dates[] = {"2018-02-23", "2018-02-23", "2018-03-23"};
    for (int i = 0; i < 3; i++) {
        char path[32];
        snprintf(path, sizeof path, "/m/%d.txt", i);
        motesok_file_row r = sample(path, ids[i], i == 2 ? MOTESOK_FILE_FAILED : MOTESOK_FILE_OK);
        assert_int_equal(motesok_store_put(s, &r, NULL), MOTESOK_OK);
        msk_meeting_row m = {0};
        snprintf(m.id, sizeof m.id, "%s", ids[i]);
        snprintf(m.date, sizeof m.date, "%s", dates[i]);
        snprintf(m.organ, sizeof m.organ, "rådmannsutvalget");
        m.pdf = i == 0;
        m.sketch.shingles = 1000 + (uint64_t)i;
        m.sketch.n = 3;
        for (size_t k = 0; k < 3; k++)
            m.sketch.h[k] = (uint64_t)(i + 1) * 100 + k;
        assert_int_equal(motesok_store_put_meeting(s, &m, NULL), MOTESOK_OK);
    }
    msk_meeting_row got[4];
    size_t n = 0;
    assert_int_equal(motesok_store_meetings_on(s, "2018-02-23", ids[0], got, 4, &n, NULL), MOTESOK_OK);
    assert_int_equal(n, 1); /* the other file of that date, not itself nor another date */
    assert_string_equal(got[0].id, ids[1]);
    assert_int_equal(got[0].sketch.shingles, 1001);
    assert_int_equal(got[0].sketch.n, 3);
    assert_int_equal(got[0].sketch.h[2], 202);
    assert_false(got[0].pdf);
    assert_int_equal(motesok_store_set_twin(s, ids[0], ids[1], false, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_set_twin(s, ids[1], ids[0], true, NULL), MOTESOK_OK);
    bool found = false;
    assert_int_equal(motesok_store_get_meeting(s, ids[1], &got[1], &found, NULL), MOTESOK_OK);
    assert_true(found && got[1].hidden);
    assert_string_equal(got[1].twin, ids[0]);
    int hidden = 0;
    assert_int_equal(motesok_store_each_hidden(s, count_hidden, &hidden, NULL), MOTESOK_OK);
    assert_int_equal(hidden, 1);
    /* the shown file's row goes: prune parts the pair; the failed file's row goes */
    assert_int_equal(motesok_store_delete(s, "/m/0.txt", NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_prune_meetings(s, NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_get_meeting(s, ids[0], &got[0], &found, NULL), MOTESOK_OK);
    assert_false(found);
    assert_int_equal(motesok_store_get_meeting(s, ids[2], &got[0], &found, NULL), MOTESOK_OK);
    assert_false(found);
    assert_int_equal(motesok_store_get_meeting(s, ids[1], &got[1], &found, NULL), MOTESOK_OK);
    assert_true(found && !got[1].hidden);
    assert_string_equal(got[1].twin, "");
    assert_int_equal(motesok_store_delete_meeting(s, ids[1], NULL), MOTESOK_OK);
    assert_int_equal(motesok_store_get_meeting(s, ids[1], &got[1], &found, NULL), MOTESOK_OK);
    assert_false(found);
    motesok_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_put_get_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_replaces_and_delete_removes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_each_stats_and_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_meta_and_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_meetings_and_twins, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
