/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for lib/detect.c: libmagic detection by content, never by name, on
 * real bytes and real files (PDFs made by cairo in the test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect.h"
#include "test_tmpdir.h"

static const char norsk[] = "Rådmannsutvalget – møte på Gjøvik: æøå ÆØÅ\n";

typedef struct fixture {
    char dir[64];
    motesok_detector *d;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->dir, sizeof f->dir, "test-detect"));
    assert_int_equal(motesok_detector_open(&f->d, NULL), MOTESOK_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    motesok_detector_close(f->d);
    msk_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* Write len bytes to dir/name; the path goes to out. */
static void write_file(const fixture *f, const char *name, const void *buf, size_t len,
                       char out[256])
{
    snprintf(out, 256, "%s/%s", f->dir, name);
    FILE *fp = fopen(out, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Write a one-page PDF with cairo to path. */
static void make_pdf(const char *path, const char *text)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 72, 100);
    cairo_show_text(cr, text);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* Encode the UTF-8 BMP string s as UTF-16 with a BOM; returns the length. */
static size_t utf16(const char *s, unsigned char *out, bool le)
{
    size_t n = 0;
    out[n++] = le ? 0xFF : 0xFE;
    out[n++] = le ? 0xFE : 0xFF;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        if (*p < 0x80) {
            cp = *p++;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else {
            cp = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        }
        out[n++] = (unsigned char)(le ? cp & 0xFF : cp >> 8);
        out[n++] = (unsigned char)(le ? cp >> 8 : cp & 0xFF);
    }
    return n;
}

/* Detect buf and return its kind (detection must succeed). */
static motesok_kind kind_of(motesok_detector *d, const void *buf, size_t len,
                            motesok_detection *det)
{
    assert_int_equal(motesok_detect_buffer(d, buf, len, det, NULL), MOTESOK_OK);
    return det->kind;
}

static void test_detector_open_close(void **state)
{
    (void)state;
    motesok_detector *d = NULL;
    motesok_error err;
    assert_int_equal(motesok_detector_open(&d, &err), MOTESOK_OK);
    assert_non_null(d);
    motesok_detector_close(d);
    motesok_detector_close(NULL);
}

static void test_detect_buffer_text_and_empty(void **state)
{
    fixture *f = *state;
    motesok_detection det;
    assert_int_equal(kind_of(f->d, "", 0, &det), MOTESOK_KIND_EMPTY);
    assert_int_equal(kind_of(f->d, "  \n\t\r\n ", 7, &det), MOTESOK_KIND_EMPTY);
    assert_int_equal(kind_of(f->d, "\xEF\xBB\xBF \n", 5, &det), MOTESOK_KIND_EMPTY);
    assert_int_equal(kind_of(f->d, "\xFF\xFE \0\n\0", 6, &det), MOTESOK_KIND_EMPTY);

    assert_int_equal(kind_of(f->d, norsk, strlen(norsk), &det), MOTESOK_KIND_TEXT);
    assert_string_equal(det.mime, "text/plain");
    assert_string_equal(det.charset, "utf-8");
    const char ascii[] = "Sak 12/2018 Budsjett\n";
    assert_int_equal(kind_of(f->d, ascii, strlen(ascii), &det), MOTESOK_KIND_TEXT);
    assert_string_equal(det.charset, "us-ascii");
    const char latin1[] = "R\xE5" "dmannsutvalget m\xF8te p\xE5 Gj\xF8vik\n";
    assert_int_equal(kind_of(f->d, latin1, strlen(latin1), &det), MOTESOK_KIND_TEXT);
    assert_string_equal(det.charset, "iso-8859-1");
    const char cp1252[] = "R\xE5" "dmannsutvalget \x96 m\xF8te \x80 300\n";
    assert_int_equal(kind_of(f->d, cp1252, strlen(cp1252), &det), MOTESOK_KIND_TEXT);
}

static void test_detect_buffer_markup_is_left_to_libmagic(void **state)
{
    fixture *f = *state;
    motesok_detection det;
    /* plain words are text; markup and scripts are what libmagic says */
    const char *const not_plain[] = {"{\\rtf1\\ansi Vedtak\n", "%!PS-Adobe-3.0\n",
                                     "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"};
    for (size_t i = 0; i < 3; i++) {
        kind_of(f->d, not_plain[i], strlen(not_plain[i]), &det);
        assert_string_not_equal(det.mime, "text/plain");
    }
    assert_int_equal(kind_of(f->d, "{\\rtf1\\ansi Vedtak\n", 17, &det), MOTESOK_KIND_UNSUPPORTED);
    /* words, then a NUL byte far past the start: binary after all */
    size_t n = 100000;
    char *buf = malloc(n);
    assert_non_null(buf);
    for (size_t i = 0; i < n; i++)
        buf[i] = "Vedtak i saken. "[i % 16];
    buf[n - 10] = '\0';
    assert_int_equal(kind_of(f->d, buf, n, &det), MOTESOK_KIND_UNSUPPORTED);
    free(buf);
}

static void test_detect_buffer_utf16_is_text(void **state)
{
    fixture *f = *state;
    unsigned char u16[256];
    motesok_detection det;
    size_t n = utf16(norsk, u16, true);
    assert_int_equal(kind_of(f->d, u16, n, &det), MOTESOK_KIND_TEXT);
    assert_string_equal(det.charset, "utf-16le");
    n = utf16(norsk, u16, false);
    assert_int_equal(kind_of(f->d, u16, n, &det), MOTESOK_KIND_TEXT);
    assert_string_equal(det.charset, "utf-16be");
}

static void test_detect_buffer_binary_unsupported(void **state)
{
    fixture *f = *state;
    motesok_detection det;
    unsigned char rnd[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof rnd; i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (unsigned char)(x >> 16);
    }
    assert_int_equal(kind_of(f->d, rnd, sizeof rnd, &det), MOTESOK_KIND_UNSUPPORTED);
    assert_string_equal(det.mime, "application/octet-stream");
    /* a ZIP header (what a .docx starts with) is not text either */
    const unsigned char zip[] = "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2";
    assert_int_equal(kind_of(f->d, zip, sizeof zip - 1, &det), MOTESOK_KIND_UNSUPPORTED);
    /* RTF is text/rtf for libmagic, but its markup is not text we index */
    const char rtf[] = "{\\rtf1\\ansi Referat fra m\\'f8tet}";
    assert_int_equal(kind_of(f->d, rtf, strlen(rtf), &det), MOTESOK_KIND_UNSUPPORTED);
    assert_string_equal(det.mime, "text/rtf");
}

static void test_detect_buffer_looks_past_first_mib(void **state)
{
    fixture *f = *state;
    size_t len = (3u << 20) + 16;
    char *buf = malloc(len);
    assert_non_null(buf);
    memset(buf, ' ', len);
    motesok_detection det;
    assert_int_equal(kind_of(f->d, buf, len, &det), MOTESOK_KIND_EMPTY);
    /* text after 3 MiB of spaces: not empty */
    memcpy(buf + len - 7, "vedtak\n", 7);
    assert_int_equal(kind_of(f->d, buf, len, &det), MOTESOK_KIND_TEXT);
    free(buf);
}

static void test_detect_file_by_content_not_name(void **state)
{
    fixture *f = *state;
    motesok_detection det;
    char path[256];
    /* a PDF named .txt */
    snprintf(path, sizeof path, "%s/really-a-pdf.txt", f->dir);
    make_pdf(path, "Utvida legevakt med røntgen");
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    assert_string_equal(det.mime, "application/pdf");
    /* text named .pdf */
    write_file(f, "really-text.pdf", norsk, strlen(norsk), path);
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    assert_string_equal(det.charset, "utf-8");
    /* empty and white-space files */
    write_file(f, "empty.txt", "", 0, path);
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_EMPTY);
    write_file(f, "blank.txt", "\n\n   \n", 6, path);
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_EMPTY);
    /* UTF-16 with a BOM */
    unsigned char u16[256];
    size_t n = utf16(norsk, u16, true);
    write_file(f, "utf16.txt", u16, n, path);
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    /* random bytes named .txt */
    unsigned char rnd[8192];
    for (size_t i = 0; i < sizeof rnd; i++)
        rnd[i] = (unsigned char)((i * 2654435761u) >> 13);
    write_file(f, "random.txt", rnd, sizeof rnd, path);
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_UNSUPPORTED);
}

static void test_detect_file_large_text(void **state)
{
    fixture *f = *state;
    /* 3 MiB of Norwegian lines: only the first MiB is read */
    size_t lines = (3u << 20) / strlen(norsk);
    char *buf = malloc(lines * strlen(norsk));
    assert_non_null(buf);
    for (size_t i = 0; i < lines; i++)
        memcpy(buf + i * strlen(norsk), norsk, strlen(norsk));
    char path[256];
    write_file(f, "big.txt", buf, lines * strlen(norsk), path);
    free(buf);
    motesok_detection det;
    assert_int_equal(motesok_detect_file(f->d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    assert_string_equal(det.charset, "utf-8");
}

static void test_detect_file_errors_and_special_files(void **state)
{
    fixture *f = *state;
    motesok_detection det;
    motesok_error err;
    char path[256], link[256];
    /* missing: ERR_IO naming the path and the reason */
    snprintf(path, sizeof path, "%s/missing.pdf", f->dir);
    assert_int_equal(motesok_detect_file(f->d, path, &det, &err), MOTESOK_ERR_IO);
    assert_int_equal(err.code, MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, strerror(ENOENT)));
    /* a symbolic link is not followed */
    write_file(f, "target.txt", norsk, strlen(norsk), path);
    snprintf(link, sizeof link, "%s/link.txt", f->dir);
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(motesok_detect_file(f->d, link, &det, &err), MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, link));
    assert_non_null(strstr(err.message, strerror(ELOOP)));
    /* a directory and a FIFO (without a writer: must not block) */
    assert_int_equal(motesok_detect_file(f->d, f->dir, &det, &err), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_UNSUPPORTED);
    assert_string_equal(det.mime, "inode/directory");
    snprintf(path, sizeof path, "%s/fifo", f->dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(motesok_detect_file(f->d, path, &det, &err), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_UNSUPPORTED);
    assert_string_equal(det.mime, "inode/fifo");
}

static void test_kind_name_every_kind(void **state)
{
    (void)state;
    assert_string_equal(motesok_kind_name(MOTESOK_KIND_PDF), "pdf");
    assert_string_equal(motesok_kind_name(MOTESOK_KIND_TEXT), "text");
    assert_string_equal(motesok_kind_name(MOTESOK_KIND_EMPTY), "empty");
    assert_string_equal(motesok_kind_name(MOTESOK_KIND_UNSUPPORTED), "unsupported");
    assert_string_equal(motesok_kind_name((motesok_kind)42), "unsupported");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detector_open_close),
        cmocka_unit_test_setup_teardown(test_detect_buffer_text_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_buffer_markup_is_left_to_libmagic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_buffer_utf16_is_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_buffer_binary_unsupported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_buffer_looks_past_first_mib, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_file_by_content_not_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_file_large_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_file_errors_and_special_files, setup, teardown),
        cmocka_unit_test(test_kind_name_every_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
