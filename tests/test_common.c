/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for lib/common.c: status strings, errors, buffers, ids, hashing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static void test_strerror_every_code(void **state)
{
    (void)state;
    assert_string_equal(motesok_strerror(MOTESOK_OK), "success");
    assert_string_equal(motesok_strerror(MOTESOK_ERR_ENCRYPTED),
                        "document is password-protected");
    assert_string_equal(motesok_status_name(MOTESOK_ERR_NOT_FOUND), "ERR_NOT_FOUND");
    assert_string_equal(motesok_strerror((motesok_status)999), "unknown status");
    assert_int_equal(MOTESOK_ERR_INTERNAL, 18); /* never renumbered */
}

static void test_error_set_formats_message(void **state)
{
    (void)state;
    motesok_error err;
    motesok_error_clear(&err);
    assert_int_equal(err.code, MOTESOK_OK);
    assert_int_equal(msk_error_set(&err, MOTESOK_ERR_IO, "cannot read %s: %d", "x.pdf", 5),
                     MOTESOK_ERR_IO);
    assert_int_equal(err.code, MOTESOK_ERR_IO);
    assert_string_equal(err.message, "cannot read x.pdf: 5");
    /* NULL err is allowed and only returns the code */
    assert_int_equal(msk_error_set(NULL, MOTESOK_ERR_DB, "x"), MOTESOK_ERR_DB);
}

static void test_buf_append_respects_cap(void **state)
{
    (void)state;
    msk_buf b = {.max = 8};
    assert_int_equal(msk_buf_append(&b, "abcd", 4), MOTESOK_OK);
    assert_int_equal(msk_buf_append(&b, "efgh", 4), MOTESOK_OK);
    assert_string_equal(b.data, "abcdefgh");
    assert_int_equal(msk_buf_append(&b, "i", 1), MOTESOK_ERR_TOO_BIG);
    assert_int_equal(b.len, 8);
    msk_buf_free(&b);
    assert_null(b.data);
}

static void test_buf_terminate_new_buffer_is_empty_string(void **state)
{
    (void)state;
    for (int round = 0; round < 50; round++) { /* fresh memory may hold anything */
        msk_buf b = {0};
        assert_int_equal(msk_buf_terminate(&b), MOTESOK_OK);
        assert_non_null(b.data);
        assert_string_equal(b.data, "");
        assert_int_equal(b.len, 0);
        msk_buf_free(&b);
        char *junk = malloc(64);
        assert_non_null(junk);
        memset(junk, 'x', 64); /* so that the next buffer may reuse dirty memory */
        free(junk);
    }
}

static void test_path_id_is_stable_and_distinct(void **state)
{
    (void)state;
    char a[17], b[17], c[17];
    motesok_path_id("/srv/minutes/a.pdf", a);
    motesok_path_id("/srv/minutes/a.pdf", b);
    motesok_path_id("/srv/minutes/b.pdf", c);
    assert_int_equal(strlen(a), 16);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

static void test_file_hash_changes_with_content(void **state)
{
    (void)state;
    char path[] = "/tmp/motesok-test-hash-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "legevakt", 8), 8);
    char h1[17], h2[17];
    assert_int_equal(motesok_file_hash(path, h1, NULL), MOTESOK_OK);
    assert_int_equal(write(fd, "!", 1), 1);
    close(fd);
    assert_int_equal(motesok_file_hash(path, h2, NULL), MOTESOK_OK);
    assert_string_not_equal(h1, h2);
    unlink(path);
    motesok_error err;
    assert_int_equal(motesok_file_hash(path, h1, &err), MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, "cannot open"));
}

static void test_casefold_keeps_norwegian_letters(void **state)
{
    (void)state;
    char *f = msk_casefold("RÅDMANNSUTVALGET Ørsta ÆRE");
    assert_non_null(f);
    assert_string_equal(f, "rådmannsutvalget ørsta ære");
    free(f);
    /* decomposed å (a + combining ring) composes to the same letter */
    f = msk_casefold("A\xcc\x8asheim");
    assert_non_null(f);
    assert_string_equal(f, "åsheim");
    free(f);
    assert_null(msk_casefold("bad \xff utf8"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_every_code),
        cmocka_unit_test(test_error_set_formats_message),
        cmocka_unit_test(test_buf_append_respects_cap),
        cmocka_unit_test(test_buf_terminate_new_buffer_is_empty_string),
        cmocka_unit_test(test_path_id_is_stable_and_distinct),
        cmocka_unit_test(test_file_hash_changes_with_content),
        cmocka_unit_test(test_casefold_keeps_norwegian_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
