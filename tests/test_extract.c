/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for lib/extract/text.c and lib/extract/pdf.c: real bytes in every
 * encoding (encoded by glibc's iconv, and by hand), real PDFs made by cairo
 * in the test, damaged by cutting, and encrypted by qpdf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "detect.h"
#include "extract/extract.h"
#include "extract/extract_internal.h"
#include "extract/worker.h"
#include "test_tmpdir.h"

/* What every encoding must decode to (Windows-1252 has the en dash and €). */
static const char expected[] = "Rådmannsutvalget – møte på Gjøvik: æøå ÆØÅ, 300 €\n"
                               "Sak 06/2018 Utvida legevakt";
/* The same in what ISO-8859-1 can say. */
static const char expected_latin1[] = "Rådmannsutvalget - møte på Gjøvik: æøå ÆØÅ\n"
                                      "Sak 06/2018 Utvida legevakt";

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->dir, sizeof f->dir, "test-extract"));
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

/* dir/name into out. */
static void path_in(const fixture *f, const char *name, char out[256])
{
    snprintf(out, 256, "%s/%s", f->dir, name);
}

/* Write len bytes to path. */
static void write_bytes(const char *path, const void *buf, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Read a whole (small) file into a malloc'd buffer. */
static unsigned char *read_bytes(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    return buf;
}

/* Encode UTF-8 s into charset with iconv, after the bom bytes; returns the length. */
static size_t encode(const char *s, const char *charset, const char *bom, size_t bom_len,
                     char *out, size_t cap)
{
    memcpy(out, bom, bom_len);
    iconv_t cd = iconv_open(charset, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)s;
    size_t in_left = strlen(s);
    char *o = out + bom_len;
    size_t o_left = cap - bom_len;
    assert_int_equal(iconv(cd, &in, &in_left, &o, &o_left), 0);
    iconv_close(cd);
    return cap - o_left;
}

/* Decode buf, assert it yields want in encoding enc with every field filled. */
static void assert_decodes(const void *buf, size_t len, const char *hint, const char *want,
                           const char *enc)
{
    motesok_text *t = NULL;
    motesok_error err;
    motesok_status st = motesok_extract_text_buffer(buf, len, hint, NULL, &t, &err);
    if (st != MOTESOK_OK)
        fail_msg("%s: %s", enc, err.message);
    assert_int_equal(t->n_pages, 1);
    assert_string_equal(t->pages[0], want);
    assert_int_equal(t->page_lens[0], strlen(want));
    assert_int_equal(t->total_len, strlen(want));
    assert_string_equal(t->encoding, enc);
    assert_null(t->title);
    assert_int_equal(t->created, -1);
    motesok_text_free(t);
}

/* ---------------------------------------------------------------------
 * Plain text
 * --------------------------------------------------------------------- */

static void test_extract_text_every_encoding(void **state)
{
    (void)state;
    char buf[512];
    size_t n;
    assert_decodes(expected, strlen(expected), "utf-8", expected, "UTF-8");
    n = encode(expected, "UTF-8", "\xEF\xBB\xBF", 3, buf, sizeof buf);
    assert_decodes(buf, n, "utf-8", expected, "UTF-8");
    n = encode(expected, "UTF-16LE", "\xFF\xFE", 2, buf, sizeof buf);
    assert_decodes(buf, n, "utf-16le", expected, "UTF-16LE");
    n = encode(expected, "UTF-16BE", "\xFE\xFF", 2, buf, sizeof buf);
    assert_decodes(buf, n, "utf-16be", expected, "UTF-16BE");
    n = encode(expected, "WINDOWS-1252", "", 0, buf, sizeof buf);
    assert_decodes(buf, n, "unknown-8bit", expected, "WINDOWS-1252");
    n = encode(expected_latin1, "ISO-8859-1", "", 0, buf, sizeof buf);
    assert_decodes(buf, n, "iso-8859-1", expected_latin1, "ISO-8859-1");
    /* without a hint the bytes alone decide */
    assert_decodes(buf, n, NULL, expected_latin1, "ISO-8859-1");
    /* the hint settles text that reads the same in both 8-bit encodings */
    assert_decodes(buf, n, "windows-1252", expected_latin1, "WINDOWS-1252");
}

static void test_extract_text_windows_1252_by_hand(void **state)
{
    (void)state;
    /* 0x96 en dash, 0x80 euro, 0x93 0x94 curly quotes, 0x85 ellipsis */
    const char cp1252[] = "R\xE5" "dmannsutvalget \x96 m\xF8te p\xE5 Gj\xF8vik: \xE6\xF8\xE5 "
                          "\xC6\xD8\xC5, 300 \x80\n"
                          "Sak 06/2018 Utvida legevakt";
    assert_decodes(cp1252, strlen(cp1252), NULL, expected, "WINDOWS-1252");
    assert_decodes("\x93Vedtak\x94\x85", 9, NULL, "“Vedtak”…", "WINDOWS-1252");
    /* UTF-16 surrogate pairs, by hand: "Møte 😀" little endian */
    const unsigned char le[] = {0xFF, 0xFE, 'M', 0, 0xF8, 0, 't', 0, 'e', 0, ' ', 0,
                                0x3D, 0xD8, 0x00, 0xDE};
    assert_decodes(le, sizeof le, NULL, "Møte \xF0\x9F\x98\x80", "UTF-16LE");
    /* a lone high surrogate and an odd last byte become U+FFFD */
    const unsigned char bad[] = {0xFE, 0xFF, 0, 'a', 0xD8, 0x3D, 0, 'b', 0x00};
    assert_decodes(bad, sizeof bad, NULL, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", "UTF-16BE");
    /* a UTF-8 BOM decides even when bytes after it are not UTF-8 */
    assert_decodes("\xEF\xBB\xBF" "Gj\xF8vik", 9, NULL, "Gj\xEF\xBF\xBDvik", "UTF-8");
    /* UTF-16 may hold U+0000: it is dropped, not taken for binary */
    const unsigned char nul16[] = {0xFF, 0xFE, 'o', 0, 0, 0, 'k', 0};
    assert_decodes(nul16, sizeof nul16, NULL, "ok", "UTF-16LE");
}

static void test_extract_text_normalises(void **state)
{
    (void)state;
    /* CR LF, lone CR, form feed, soft hyphen, decomposed å */
    const char in[] = "linje 1\r\nlinje 2\rside 2\fkommune\xC2\xADstyret p\x61\xCC\x8A";
    assert_decodes(in, strlen(in), NULL, "linje 1\nlinje 2\nside 2\nkommunestyret på", "UTF-8");
}

static void test_extract_text_rejects_binary_and_blank(void **state)
{
    (void)state;
    motesok_text *t = NULL;
    motesok_error err;
    const char bin[] = "abc\0def";
    assert_int_equal(motesok_extract_text_buffer(bin, sizeof bin, NULL, NULL, &t, &err),
                     MOTESOK_ERR_UNSUPPORTED);
    assert_null(t);
    assert_int_equal(err.code, MOTESOK_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "binary content"));
    /* a UTF-8 BOM does not excuse NUL bytes */
    assert_int_equal(motesok_extract_text_buffer("\xEF\xBB\xBFvedtak\0", 10, NULL, NULL, &t, &err),
                     MOTESOK_ERR_UNSUPPORTED);
    /* Latin-1 with a NUL */
    assert_int_equal(motesok_extract_text_buffer("Gj\xF8vik\0", 7, NULL, NULL, &t, &err),
                     MOTESOK_ERR_UNSUPPORTED);
    assert_int_equal(motesok_extract_text_buffer(" \r\n\t \xC2\xA0", 7, NULL, NULL, &t, &err),
                     MOTESOK_ERR_NO_TEXT);
    assert_null(t);
    assert_int_equal(motesok_extract_text_buffer("", 0, NULL, NULL, &t, &err),
                     MOTESOK_ERR_NO_TEXT);
}

static void test_extract_text_limits(void **state)
{
    (void)state;
    motesok_text *t = NULL;
    motesok_error err;
    motesok_extract_limits lim = {.max_input_bytes = 4};
    assert_int_equal(motesok_extract_text_buffer("legevakt", 8, NULL, &lim, &t, &err),
                     MOTESOK_ERR_TOO_BIG);
    assert_null(t);
    assert_non_null(strstr(err.message, "8 bytes"));
    assert_non_null(strstr(err.message, "limit of 4 bytes"));
    /* the default input limit is 32 MiB */
    size_t big = ((size_t)32 << 20) + 1;
    char *buf = malloc(big);
    assert_non_null(buf);
    memset(buf, 'a', big);
    assert_int_equal(motesok_extract_text_buffer(buf, big, NULL, NULL, &t, &err),
                     MOTESOK_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "32.0 MiB"));
    assert_non_null(strstr(err.message, "limit of 32 MiB"));
    /* exactly at the limit is fine (and the text limit of 32 MiB too) */
    assert_int_equal(motesok_extract_text_buffer(buf, big - 1, NULL, NULL, &t, &err), MOTESOK_OK);
    assert_int_equal(t->total_len, big - 1);
    motesok_text_free(t);
    free(buf);
    /* extracted text over its limit */
    motesok_extract_limits small = {.max_text_bytes = 10};
    assert_int_equal(motesok_extract_text_buffer(expected, strlen(expected), NULL, &small, &t,
                                                 &err), MOTESOK_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "limit of 10 bytes"));
    /* Windows-1252 grows when decoded: 8 bytes in, 16 out */
    motesok_extract_limits tight = {.max_text_bytes = 12};
    assert_int_equal(motesok_extract_text_buffer("\xE6\xF8\xE5\xC6\xD8\xC5\x80\x96", 8, NULL,
                                                 &tight, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_null(t);
}

/* ---------------------------------------------------------------------
 * Files
 * --------------------------------------------------------------------- */

/* Detect and extract a file with the given limits (NULL: defaults). */
static motesok_status extract(const char *path, const motesok_extract_limits *lim,
                              motesok_detection *det, motesok_text **t, motesok_error *err)
{
    motesok_detector *d = NULL;
    assert_int_equal(motesok_detector_open(&d, NULL), MOTESOK_OK);
    assert_int_equal(motesok_detect_file(d, path, det, NULL), MOTESOK_OK);
    motesok_detector_close(d);
    return motesok_extract_file(path, det, lim, t, err);
}

static void test_extract_file_text_files(void **state)
{
    fixture *f = *state;
    char path[256], buf[512];
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    /* UTF-16BE with BOM, from disk */
    path_in(f, "utf16.txt", path);
    write_bytes(path, buf, encode(expected, "UTF-16BE", "\xFE\xFF", 2, buf, sizeof buf));
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    assert_string_equal(t->pages[0], expected);
    assert_string_equal(t->encoding, "UTF-16BE");
    motesok_text_free(t);
    /* Windows-1252 from disk: libmagic's charset goes along as the hint */
    path_in(f, "cp1252.txt", path);
    write_bytes(path, buf, encode(expected, "WINDOWS-1252", "", 0, buf, sizeof buf));
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_OK);
    assert_string_equal(t->pages[0], expected);
    assert_string_equal(t->encoding, "WINDOWS-1252");
    motesok_text_free(t);
    /* empty file */
    path_in(f, "empty.txt", path);
    write_bytes(path, "", 0);
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_ERR_NO_TEXT);
    assert_int_equal(det.kind, MOTESOK_KIND_EMPTY);
    assert_string_equal(err.message, "empty file");
    assert_null(t);
    /* random bytes: detection says unsupported, extraction refuses */
    unsigned char rnd[4096];
    for (size_t i = 0; i < sizeof rnd; i++)
        rnd[i] = (unsigned char)((i * 2654435761u) >> 13);
    path_in(f, "random.txt", path);
    write_bytes(path, rnd, sizeof rnd);
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_ERR_UNSUPPORTED);
    assert_int_equal(det.kind, MOTESOK_KIND_UNSUPPORTED);
    assert_non_null(strstr(err.message, "application/octet-stream"));
}

static void test_extract_file_refuses_bad_files(void **state)
{
    fixture *f = *state;
    char path[256], link[256];
    motesok_detection det = {.kind = MOTESOK_KIND_TEXT};
    snprintf(det.mime, sizeof det.mime, "text/plain");
    motesok_text *t = NULL;
    motesok_error err;
    /* a directory and a FIFO are not regular files (and the FIFO must not block) */
    assert_int_equal(motesok_extract_file(f->dir, &det, NULL, &t, &err), MOTESOK_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "not a regular file"));
    path_in(f, "fifo", path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(motesok_extract_file(path, &det, NULL, &t, &err), MOTESOK_ERR_UNSUPPORTED);
    /* a symbolic link is not followed */
    path_in(f, "target.txt", path);
    write_bytes(path, expected, strlen(expected));
    path_in(f, "link.txt", link);
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(motesok_extract_file(link, &det, NULL, &t, &err), MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, link));
    assert_non_null(strstr(err.message, strerror(ELOOP)));
    /* missing */
    path_in(f, "missing.txt", path);
    assert_int_equal(motesok_extract_file(path, &det, NULL, &t, &err), MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, strerror(ENOENT)));
    /* 40 MiB (sparse) is refused from its size, before reading */
    path_in(f, "huge.txt", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)40 << 20), 0);
    close(fd);
    assert_int_equal(motesok_extract_file(path, &det, NULL, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "40 MiB"));
    assert_non_null(strstr(err.message, "limit of 32 MiB"));
    /* an explicit limit */
    path_in(f, "target.txt", path);
    motesok_extract_limits lim = {.max_input_bytes = 16};
    assert_int_equal(motesok_extract_file(path, &det, &lim, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_null(t);
    /* an unsupported kind never reads the file */
    det.kind = MOTESOK_KIND_UNSUPPORTED;
    snprintf(det.mime, sizeof det.mime, "application/zip");
    assert_int_equal(motesok_extract_file(path, &det, NULL, &t, &err), MOTESOK_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "application/zip"));
}

/* ---------------------------------------------------------------------
 * PDF
 * --------------------------------------------------------------------- */

/* Write a PDF with the given page texts (NULL: a drawn box only); lines
 * in a page are separated by '\n'. title and date may be NULL. */
static void make_pdf(const char *path, const char *const *pages, size_t n, const char *title,
                     const char *date)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    if (title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    if (date != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    for (size_t i = 0; i < n; i++) {
        if (pages[i] == NULL) {
            cairo_rectangle(cr, 72, 72, 200, 100);
            cairo_fill(cr);
        }
        double y = 100;
        for (const char *l = pages[i]; l != NULL && *l != '\0'; y += 16) {
            const char *e = strchr(l, '\n');
            size_t len = e ? (size_t)(e - l) : strlen(l);
            char line[256];
            snprintf(line, sizeof line, "%.*s", (int)len, l);
            cairo_move_to(cr, 72, y);
            cairo_show_text(cr, line);
            l = e ? e + 1 : l + len;
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* Run qpdf with the arguments; fails the test if qpdf is missing or fails. */
static void run_qpdf(const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "qpdf %s", args);
    int rc = system(cmd);
    if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
        fail_msg("`%s` failed (%d): qpdf is needed to make encrypted PDFs", cmd, rc);
}

static const char *const three_pages[] = {
    "Møtebok for Rådmannsutvalget\nSak 05/2018 Godkjenning av innkalling",
    "Sak 06/2018 Utvida legevakt med røntgen\nVedtak: Saka vert sendt til formannskapet",
    "Sak 07/2018 Eventuelt\nMøtet vart heva kl. 15.30",
};

static void test_extract_pdf_pages_in_order(void **state)
{
    fixture *f = *state;
    char path[256];
    path_in(f, "tre.pdf", path);
    make_pdf(path, three_pages, 3, "  Møtebok\n  Rådmannsutvalget 23.02.2018 ", "2018-02-23T10:00:00Z");
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    assert_int_equal(t->n_pages, 3);
    /* poppler gives each page's lines, in order, and nothing of the others */
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(t->pages[i], three_pages[i]);
        assert_int_equal(t->page_lens[i], strlen(three_pages[i]));
    }
    assert_int_equal(t->total_len, t->page_lens[0] + t->page_lens[1] + t->page_lens[2]);
    assert_string_equal(t->title, "Møtebok Rådmannsutvalget 23.02.2018");
    assert_string_equal(t->encoding, "PDF");
    assert_int_equal(t->created, 1519380000); /* 2018-02-23T10:00:00Z */
    motesok_text_free(t);
}

static void test_extract_pdf_metadata_and_blank_pages(void **state)
{
    fixture *f = *state;
    char path[256];
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    /* a blank title is no title; a drawn box between two text pages is "" */
    const char *const pages[] = {"Innkalling", NULL, "Protokoll \xEF\xAC\x81nansiering"};
    path_in(f, "blank-middle.pdf", path);
    make_pdf(path, pages, 3, "   ", NULL);
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_OK);
    assert_int_equal(t->n_pages, 3);
    assert_string_equal(t->pages[0], "Innkalling");
    assert_string_equal(t->pages[1], "");
    assert_int_equal(t->page_lens[1], 0);
    /* the ligature ﬁ that poppler reports is spelled out */
    assert_string_equal(t->pages[2], "Protokoll finansiering");
    assert_null(t->title);
    assert_true(t->created > 1500000000); /* cairo stamps the time of writing */
    motesok_text_free(t);
}

static void test_extract_pdf_damaged(void **state)
{
    fixture *f = *state;
    char good[256], cut[256];
    path_in(f, "good.pdf", good);
    path_in(f, "cut.pdf", cut);
    const char *const pages[] = {"Vedtak om jordmortjeneste", "Side to"};
    make_pdf(good, pages, 2, NULL, NULL);
    size_t n = 0;
    unsigned char *buf = read_bytes(good, &n);
    motesok_text *t = NULL;
    motesok_error err;
    /* truncated to the first half, from memory and from a file */
    assert_int_equal(motesok_extract_pdf_buffer(buf, n / 2, NULL, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    assert_int_equal(err.code, MOTESOK_ERR_PARSE);
    assert_non_null(strstr(err.message, "damaged"));
    assert_non_null(strstr(err.message, "xref")); /* poppler's own reason */
    write_bytes(cut, buf, n / 2);
    motesok_detection det;
    assert_int_equal(extract(cut, NULL, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    /* random bytes and nothing at all */
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)((i * 2654435761u) >> 11);
    assert_int_equal(motesok_extract_pdf_buffer(buf, n, NULL, &t, &err), MOTESOK_ERR_PARSE);
    assert_int_equal(motesok_extract_pdf_buffer(buf, 0, NULL, &t, &err), MOTESOK_ERR_PARSE);
    assert_int_equal(motesok_extract_pdf_buffer("%PDF-1.4\n", 9, NULL, &t, &err),
                     MOTESOK_ERR_PARSE);
    assert_null(t);
    free(buf);
}

static void test_extract_pdf_no_text_layer(void **state)
{
    fixture *f = *state;
    char path[256];
    path_in(f, "scan.pdf", path);
    const char *const none[] = {NULL, NULL};
    make_pdf(path, none, 2, "Skannet møtebok", NULL);
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(extract(path, NULL, &det, &t, &err), MOTESOK_ERR_NO_TEXT);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    assert_string_equal(err.message, "PDF has no text layer (scanned?)");
    assert_null(t);
}

static void test_extract_pdf_encrypted(void **state)
{
    fixture *f = *state;
    char plain[256], locked[256], owner_only[256], args[800];
    path_in(f, "plain.pdf", plain);
    path_in(f, "locked.pdf", locked);
    path_in(f, "owner-only.pdf", owner_only);
    const char *const pages[] = {"Unntatt offentlighet", "Side to"};
    make_pdf(plain, pages, 2, NULL, NULL);
    snprintf(args, sizeof args, "--encrypt user owner 256 -- '%s' '%s'", plain, locked);
    run_qpdf(args);
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(extract(locked, NULL, &det, &t, &err), MOTESOK_ERR_ENCRYPTED);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    assert_non_null(strstr(err.message, "password"));
    assert_null(t);
    /* an empty user password: anyone may read it, so it is extracted */
    snprintf(args, sizeof args, "--encrypt '' owner 256 -- '%s' '%s'", plain, owner_only);
    run_qpdf(args);
    assert_int_equal(extract(owner_only, NULL, &det, &t, &err), MOTESOK_OK);
    assert_string_equal(t->pages[0], "Unntatt offentlighet");
    motesok_text_free(t);
}

static void test_extract_pdf_limits(void **state)
{
    fixture *f = *state;
    char path[256];
    path_in(f, "tre.pdf", path);
    make_pdf(path, three_pages, 3, NULL, NULL);
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    motesok_extract_limits pages = {.max_pages = 2};
    assert_int_equal(extract(path, &pages, &det, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "3 pages"));
    motesok_extract_limits text = {.max_text_bytes = 100};
    assert_int_equal(extract(path, &text, &det, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "limit of 100 bytes"));
    motesok_extract_limits input = {.max_input_bytes = 1000};
    assert_int_equal(extract(path, &input, &det, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "limit of 1000 bytes"));
    size_t n = 0;
    unsigned char *buf = read_bytes(path, &n);
    assert_int_equal(motesok_extract_pdf_buffer(buf, n, &input, &t, &err), MOTESOK_ERR_TOO_BIG);
    /* exactly enough */
    motesok_extract_limits exact = {.max_pages = 3, .max_input_bytes = n};
    assert_int_equal(motesok_extract_pdf_buffer(buf, n, &exact, &t, &err), MOTESOK_OK);
    assert_int_equal(t->n_pages, 3);
    motesok_text_free(t);
    free(buf);
}

/* Shared input of the threads below. */
typedef struct pdf_job {
    const unsigned char *buf;
    size_t len;
    int failures;
} pdf_job;

/* Extract the same bytes 20 times, counting wrong results. */
static void *extract_many(void *arg)
{
    pdf_job *job = arg;
    for (int i = 0; i < 20; i++) {
        motesok_text *t = NULL;
        if (motesok_extract_pdf_buffer(job->buf, job->len, NULL, &t, NULL) != MOTESOK_OK ||
            t->n_pages != 3 || strcmp(t->pages[1], three_pages[1]) != 0)
            job->failures++;
        motesok_text_free(t);
        /* damaged input on other threads at the same time */
        if (motesok_extract_pdf_buffer(job->buf, job->len / 3, NULL, &t, NULL) != MOTESOK_ERR_PARSE)
            job->failures++;
    }
    return NULL;
}

static void test_extract_pdf_threads(void **state)
{
    fixture *f = *state;
    char path[256];
    path_in(f, "tre.pdf", path);
    make_pdf(path, three_pages, 3, NULL, NULL);
    size_t n = 0;
    unsigned char *buf = read_bytes(path, &n);
    pthread_t th[4];
    pdf_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (pdf_job){.buf = buf, .len = n};
        assert_int_equal(pthread_create(&th[i], NULL, extract_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].failures, 0);
    }
    free(buf);
}

static void test_extract_pdf_keeps_stderr_quiet(void **state)
{
    fixture *f = *state;
    char good[256], log[256];
    path_in(f, "good.pdf", good);
    path_in(f, "stderr.log", log);
    make_pdf(good, three_pages, 1, NULL, NULL);
    size_t n = 0;
    unsigned char *buf = read_bytes(good, &n);
    /* GLib prints poppler's messages when G_MESSAGES_DEBUG asks for them */
    setenv("G_MESSAGES_DEBUG", "all", 1);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    motesok_text *t = NULL;
    motesok_error err;
    motesok_status st = motesok_extract_pdf_buffer(buf, n / 2, NULL, &t, &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    unsetenv("G_MESSAGES_DEBUG");
    assert_int_equal(st, MOTESOK_ERR_PARSE);
    /* poppler's own reason makes it into the message instead */
    assert_non_null(strstr(err.message, "xref"));
    struct stat sb;
    assert_int_equal(stat(log, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    free(buf);
}

/* Text beyond MSK_BIG_TEXT_BYTES comes back as pages of about
 * MSK_TEXT_PART_BYTES cut at line ends, holding all of the text in order. */
static void test_extract_text_big_is_cut_into_pages(void **state)
{
    (void)state;
    size_t len = MSK_BIG_TEXT_BYTES + MSK_TEXT_PART_BYTES * 3 / 2;
    char *buf = malloc(len);
    assert_non_null(buf);
    static const char line[] = "Kommunestyret vedtok budsjettet for 2024 mot 3 stemmer.\n";
    for (size_t i = 0; i < len; i++)
        buf[i] = line[i % (sizeof line - 1)];
    buf[len - 1] = '\n';
    motesok_text *t = NULL;
    motesok_error err;
    motesok_extract_limits lim = {.max_input_bytes = len, .max_text_bytes = len};
    assert_int_equal(motesok_extract_text_buffer(buf, len, NULL, &lim, &t, &err), MOTESOK_OK);
    assert_true(t->n_pages > MSK_BIG_TEXT_BYTES / MSK_TEXT_PART_BYTES);
    assert_int_equal(t->total_len, len);
    size_t off = 0;
    for (size_t i = 0; i < t->n_pages; i++) {
        assert_true(t->page_lens[i] > MSK_TEXT_PART_BYTES / 2);
        assert_true(t->page_lens[i] <= MSK_TEXT_PART_BYTES);
        assert_int_equal(t->pages[i][t->page_lens[i] - 1], '\n'); /* cut at a line end */
        assert_memory_equal(t->pages[i], buf + off, t->page_lens[i]);
        off += t->page_lens[i];
    }
    motesok_text_free(t);
    /* a small text stays one page */
    assert_int_equal(motesok_extract_text_buffer(buf, 100000, NULL, &lim, &t, &err), MOTESOK_OK);
    assert_int_equal(t->n_pages, 1);
    motesok_text_free(t);
    free(buf);
}

/* ---------------------------------------------------------------------
 * Plain text in chunks
 * --------------------------------------------------------------------- */

/* Texts whose characters a chunk's end can cut: UTF-8 of two, three and
 * four bytes after a BOM; UTF-16LE with a BOM, a surrogate pair (U+1D11E),
 * lone surrogates and an odd last byte; UTF-16BE; CP1252 with its letters
 * of 0x80..0x9F and an undefined byte; Latin-1. */
typedef struct coded {
    const char *name;
    const unsigned char *p;
    size_t len;
    const char *enc; /* what probing it chooses */
    size_t bom;
} coded;

static const unsigned char utf8_bom[] = "\xEF\xBB\xBF" "M\xC3\xB8te 300 \xE2\x82\xAC \xF0\x9D\x84\x9E \xC3\xA5";
static const unsigned char utf8_plain[] = "R\xC3\xA5" "dmann \xE2\x80\x93 \xF0\x9D\x84\x9E!";
static const unsigned char utf16le[] = {0xFF, 0xFE, 'M', 0, 0xF8, 0, 't', 0, 0x34, 0xD8, 0x1E,
                                        0xDD, ' ', 0, 0xAC, 0x20, 0x34, 0xD8, 'x', 0, 0x1E,
                                        0xDD, 0x34, 0xD8, 0x34, 0xD8, 0x1E, 0xDD, 'e', 0, 0x34,
                                        0xD8, 'Z'};
static const unsigned char utf16be[] = {0xFE, 0xFF, 0, 'M', 0, 0xF8, 0xD8, 0x34, 0xDD, 0x1E,
                                        0x20, 0xAC, 0xDC, 0x00, 0, 'e'};
static const unsigned char cp1252[] = "M\xF8te \x96 300 \x80 \x9D \x84sitat\x93 \xE6\xF8\xE5";
static const unsigned char latin1[] = "M\xF8te p\xE5 Gj\xF8vik \xE6\xF8\xE5 \xC6\xD8\xC5";

static const coded codeds[] = {
    {"UTF-8 with BOM", utf8_bom, sizeof utf8_bom - 1, "UTF-8", 3},
    {"UTF-8", utf8_plain, sizeof utf8_plain - 1, "UTF-8", 0},
    {"UTF-16LE", utf16le, sizeof utf16le, "UTF-16LE", 2},
    {"UTF-16BE", utf16be, sizeof utf16be, "UTF-16BE", 2},
    {"CP1252", cp1252, sizeof cp1252 - 1, "WINDOWS-1252", 0},
    {"Latin-1", latin1, sizeof latin1 - 1, "ISO-8859-1", 0},
};

/* Decode c fed in chunks of size bytes (0: at once) into out. */
static void decode_in_chunks(const coded *c, size_t size, msk_buf *out)
{
    msk_decoder d;
    msk_decoder_init(&d, c->enc, c->bom);
    size_t step = size ? size : c->len;
    for (size_t off = 0; off < c->len; off += step) {
        size_t n = c->len - off < step ? c->len - off : step;
        assert_int_equal(msk_decoder_feed(&d, c->p + off, n, off + n == c->len, out), MOTESOK_OK);
    }
}

/* Decoded in chunks of every size, each text gives what it gives whole,
 * and its encoding is chosen the same from chunks: a UTF-8 sequence, a
 * UTF-16 unit or a surrogate pair cut by a chunk's end is whole again. */
static void test_extract_decoder_chunks_match_whole(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof codeds / sizeof codeds[0]; i++) {
        const coded *c = &codeds[i];
        msk_buf whole = {0};
        decode_in_chunks(c, 0, &whole);
        assert_true(msk_valid_utf8(whole.data, whole.len));
        for (size_t size = 1; size <= c->len; size++) {
            msk_buf part = {0};
            decode_in_chunks(c, size, &part);
            if (part.len != whole.len || memcmp(part.data, whole.data, whole.len) != 0)
                fail_msg("%s in chunks of %zu decodes otherwise", c->name, size);
            msk_buf_free(&part);
            msk_probe pr;
            msk_probe_init(&pr);
            for (size_t off = 0; off < c->len; off += size)
                msk_probe_feed(&pr, c->p + off, c->len - off < size ? c->len - off : size);
            size_t bom = 9;
            assert_string_equal(msk_probe_result(&pr, NULL, &bom), c->enc);
            assert_int_equal(bom, c->bom);
        }
        msk_buf_free(&whole);
    }
    /* what the whole decodes to, known: the pair, a high surrogate before
     * another one or before 'x', a lone low one, an odd last byte */
    msk_buf out = {0};
    decode_in_chunks(&codeds[2], 1, &out);
    assert_string_equal(out.data, "Møt\xF0\x9D\x84\x9E €\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD"
                                  "\xF0\x9D\x84\x9E" "e\xEF\xBF\xBD\xEF\xBF\xBD");
    msk_buf_free(&out);
    decode_in_chunks(&codeds[4], 1, &out);
    assert_string_equal(out.data, "Møte – 300 € \xEF\xBF\xBD „sitat“ æøå");
    msk_buf_free(&out);
    /* a UTF-8 sequence cut by the very end is not UTF-8 */
    msk_probe pr;
    msk_probe_init(&pr);
    msk_probe_feed(&pr, "Gj\xC3", 3);
    size_t bom = 0;
    assert_string_equal(msk_probe_result(&pr, NULL, &bom), "ISO-8859-1");
}

/* The pages of fd's text read with geometry g, as one text. */
static motesok_text *read_pages(int fd, uint64_t size, const msk_text_geometry *g,
                                motesok_status *st, motesok_error *err)
{
    msk_extraction *x = NULL;
    motesok_text *t = NULL;
    motesok_extract_limits lim = {.max_input_bytes = 1 << 24, .max_text_bytes = 1 << 24};
    *st = msk_text_open_fd(fd, size, "test", NULL, &lim, g, &x, err);
    if (*st == MOTESOK_OK)
        *st = msk_extraction_all(x, &t, err);
    msk_extraction_close(x);
    return t;
}

/* A text of about n bytes in c's encoding (c repeated, its BOM once),
 * with a blank line now and then, into buf; returns the length. */
static size_t repeat_coded(const coded *c, size_t n, unsigned char *buf)
{
    memcpy(buf, c->p, c->bom);
    size_t len = c->bom;
    bool wide = c->bom == 2;
    for (unsigned k = 0; len + c->len + 4 < n; k++) {
        size_t body = c->len - c->bom - (wide && c->len % 2); /* whole units only */
        memcpy(buf + len, c->p + c->bom, body);
        len += body;
        const char *sep = k % 7 == 6 ? "\n\n" : k % 3 == 2 ? "\n" : " ";
        for (const char *q = sep; *q != '\0'; q++) {
            buf[len++] = wide && c->p[0] == 0xFE ? 0 : (unsigned char)*q;
            if (wide)
                buf[len++] = c->p[0] == 0xFE ? (unsigned char)*q : 0;
        }
    }
    return len;
}

/* A text read from its file a chunk at a time (any chunk size, one byte
 * too) is cut into the very pages the whole text in memory is cut into,
 * in every encoding: no character is cut or changed at a chunk's end. */
static void test_extract_text_read_in_chunks_matches_buffer(void **state)
{
    fixture *f = *state;
    static const size_t chunks[] = {1, 2, 3, 5, 7, 64, 4099};
    unsigned char *buf = malloc(8192);
    assert_non_null(buf);
    for (size_t i = 0; i < sizeof codeds / sizeof codeds[0]; i++) {
        size_t len = repeat_coded(&codeds[i], 8000, buf);
        char path[256];
        path_in(f, "chunks.txt", path);
        write_bytes(path, buf, len);
        msk_text_geometry g = {.big = 1024, .part = 256};
        motesok_text *want = NULL;
        motesok_error err;
        motesok_extract_limits lim = {.max_input_bytes = 1 << 24, .max_text_bytes = 1 << 24};
        assert_int_equal(msk_text_from_buffer(buf, len, NULL, &lim, &g, &want, &err), MOTESOK_OK);
        assert_true(want->n_pages > 4);
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            g.chunk = chunks[c];
            int fd = open(path, O_RDONLY);
            assert_true(fd >= 0);
            motesok_status st;
            motesok_text *got = read_pages(fd, len, &g, &st, &err);
            close(fd);
            if (st != MOTESOK_OK)
                fail_msg("%s in chunks of %zu: %s", codeds[i].name, chunks[c], err.message);
            assert_string_equal(got->encoding, want->encoding);
            assert_int_equal(got->n_pages, want->n_pages);
            assert_int_equal(got->total_len, want->total_len);
            for (size_t k = 0; k < want->n_pages; k++) {
                assert_int_equal(got->page_lens[k], want->page_lens[k]);
                assert_memory_equal(got->pages[k], want->pages[k], want->page_lens[k]);
            }
            motesok_text_free(got);
        }
        motesok_text_free(want);
    }
    free(buf);
}

/* Read a chunk at a time, a text over its limit, all blank, or binary is
 * refused as it is in memory; a file that is shorter than it was when
 * opened changed while it was read. */
static void test_extract_text_read_in_chunks_refuses(void **state)
{
    fixture *f = *state;
    char path[256];
    path_in(f, "refuse.txt", path);
    static char buf[6000];
    msk_text_geometry g = {.big = 1024, .part = 256, .chunk = 100};
    motesok_extract_limits lim = {.max_input_bytes = 1 << 20, .max_text_bytes = 2000};
    memset(buf, 'a', sizeof buf);
    for (size_t i = 80; i < sizeof buf; i += 80)
        buf[i] = '\n';
    write_bytes(path, buf, sizeof buf);
    int fd = open(path, O_RDONLY);
    msk_extraction *x = NULL;
    motesok_error err;
    assert_int_equal(msk_text_open_fd(fd, sizeof buf, path, NULL, &lim, &g, &x, &err), MOTESOK_OK);
    motesok_text *t = NULL;
    assert_int_equal(msk_extraction_all(x, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_null(t);
    assert_non_null(strstr(err.message, "exceeds the limit"));
    msk_extraction_close(x);
    close(fd);
    memset(buf, ' ', sizeof buf); /* blank */
    write_bytes(path, buf, sizeof buf);
    fd = open(path, O_RDONLY);
    lim.max_text_bytes = 1 << 20;
    assert_int_equal(msk_text_open_fd(fd, sizeof buf, path, NULL, &lim, &g, &x, &err), MOTESOK_OK);
    assert_int_equal(msk_extraction_all(x, &t, &err), MOTESOK_ERR_NO_TEXT);
    msk_extraction_close(x);
    close(fd);
    buf[5000] = '\0'; /* binary */
    write_bytes(path, buf, sizeof buf);
    fd = open(path, O_RDONLY);
    assert_int_equal(msk_text_open_fd(fd, sizeof buf, path, NULL, &lim, &g, &x, &err),
                     MOTESOK_ERR_UNSUPPORTED);
    assert_null(x);
    close(fd);
    memset(buf, 'b', sizeof buf); /* opened at 6000 bytes, cut to 3000 */
    write_bytes(path, buf, sizeof buf);
    fd = open(path, O_RDONLY);
    assert_int_equal(msk_text_open_fd(fd, sizeof buf, path, NULL, &lim, &g, &x, &err), MOTESOK_OK);
    assert_int_equal(truncate(path, 3000), 0);
    assert_int_equal(msk_extraction_all(x, &t, &err), MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, "changed while it was read"));
    msk_extraction_close(x);
    close(fd);
}

/* A text without white space for more than half a page is cut after a
 * comma, full stop or the like, never inside a word: every word is whole
 * on one page, and the pages hold the text in order. */
static void test_extract_text_cut_between_words(void **state)
{
    (void)state;
    static char buf[20000];
    size_t len = 0;
    for (unsigned k = 0; len + 16 < sizeof buf; k++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%c", k % 2 ? "kommunestyret" : "vedtak",
                                k % 5 == 4 ? '.' : ',');
    msk_text_geometry g = {.big = 1024, .part = 300};
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(msk_text_from_buffer(buf, len, NULL, NULL, &g, &t, &err), MOTESOK_OK);
    assert_true(t->n_pages > 40);
    size_t off = 0;
    for (size_t k = 0; k < t->n_pages; k++) {
        assert_memory_equal(t->pages[k], buf + off, t->page_lens[k]);
        off += t->page_lens[k];
        char last = t->pages[k][t->page_lens[k] - 1];
        assert_true(last == ',' || last == '.' || k + 1 == t->n_pages);
    }
    assert_int_equal(off, len);
    motesok_text_free(t);
}

/* A worker's answer, built field by field (lib/extract/worker.c's protocol). */
typedef struct answer {
    unsigned char b[512];
    size_t n;
} answer;

static void put32(answer *a, uint32_t v)
{
    memcpy(a->b + a->n, &v, 4);
    a->n += 4;
}

static void putstr(answer *a, const char *s)
{
    put32(a, (uint32_t)strlen(s));
    memcpy(a->b + a->n, s, strlen(s));
    a->n += strlen(s);
}

/* A whole OK answer: text in two pages, no title. */
static answer ok_answer(void)
{
    answer a = {0};
    put32(&a, MOTESOK_OK);
    putstr(&a, "");
    put32(&a, MOTESOK_KIND_TEXT);
    putstr(&a, "text/plain");
    putstr(&a, "utf-8");
    put32(&a, 2);
    put32(&a, 0xFFFFFFFFu); /* no title */
    putstr(&a, "UTF-8");
    uint64_t created = 0;
    memcpy(a.b + a.n, &created, 8);
    a.n += 8;
    putstr(&a, "Møtebok");
    putstr(&a, "Sak 12/24 Legevakt");
    return a;
}

/* A worker's answer decodes whole; one that breaks the protocol (cut short,
 * bytes after it, a length past its end, an unknown status or kind) is
 * ERR_PARSE with nothing half-made, never read past its end. */
static void test_extract_worker_answer_decoding(void **state)
{
    (void)state;
    answer a = ok_answer();
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(msk_worker_decode(a.b, a.n, &det, &t, &err), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    assert_string_equal(det.mime, "text/plain");
    assert_int_equal(t->n_pages, 2);
    assert_string_equal(t->pages[1], "Sak 12/24 Legevakt");
    assert_int_equal(t->total_len, strlen("Møtebok") + strlen("Sak 12/24 Legevakt"));
    assert_null(t->title);
    assert_true(t->ocr_seconds == 0); /* no page read by OCR */
    motesok_text_free(t);
    for (size_t cut = 0; cut < a.n; cut++) { /* every shorter answer */
        t = NULL;
        assert_int_equal(msk_worker_decode(a.b, cut, &det, &t, &err), MOTESOK_ERR_PARSE);
        assert_null(t);
    }
    answer longer = a;
    longer.b[longer.n++] = 0;
    assert_int_equal(msk_worker_decode(longer.b, longer.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    answer status = a, kind = a, huge = a;
    uint32_t v = 999;
    memcpy(status.b, &v, 4);
    assert_int_equal(msk_worker_decode(status.b, status.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    v = 9;
    memcpy(kind.b + 8, &v, 4); /* after status and the empty message */
    assert_int_equal(msk_worker_decode(kind.b, kind.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_int_equal(det.kind, MOTESOK_KIND_UNSUPPORTED);
    v = 0x7FFFFFFF; /* the first page's length: far past the answer */
    size_t at = 4 + 4 + 4 + 4 + strlen("text/plain") + 4 + strlen("utf-8") + 4 + 4 + 4 +
                strlen("UTF-8") + 8;
    memcpy(huge.b + at, &v, 4);
    assert_int_equal(msk_worker_decode(huge.b, huge.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    /* an answer the worker cut short after its first page: the failure it
     * sent, and no text; cut short with "OK" breaks the protocol */
    answer early = a;
    early.n = at + 4 + strlen("Møtebok");
    put32(&early, 0xFFFFFFFFu);
    put32(&early, MOTESOK_ERR_TOO_BIG);
    putstr(&early, "extracted text exceeds the limit of 1 MiB");
    assert_int_equal(msk_worker_decode(early.b, early.n, &det, &t, &err), MOTESOK_ERR_TOO_BIG);
    assert_string_equal(err.message, "extracted text exceeds the limit of 1 MiB");
    assert_null(t);
    v = MOTESOK_OK;
    memcpy(early.b + at + 4 + strlen("Møtebok") + 4, &v, 4);
    assert_int_equal(msk_worker_decode(early.b, early.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    /* OCR: "alive" marks before the status (a page read by OCR each, with
     * the microseconds it took) are skipped, their times added up; a page
     * marked as read by OCR, or as the caller's cached OCR text, says so;
     * a mark of no kind, or before no page, is malformed */
    answer ocr = {0};
    put32(&ocr, 0xFFFFFFFDu);
    put32(&ocr, 1500000);
    put32(&ocr, 0xFFFFFFFDu);
    put32(&ocr, 250000);
    memcpy(ocr.b + ocr.n, a.b, at);
    ocr.n += at;
    put32(&ocr, 0xFFFFFFFEu);
    put32(&ocr, MSK_PAGE_OCR);
    putstr(&ocr, "Møtebok");
    put32(&ocr, 0xFFFFFFFEu);
    put32(&ocr, MSK_PAGE_OCR_CACHED);
    putstr(&ocr, "");
    assert_int_equal(msk_worker_decode(ocr.b, ocr.n, &det, &t, &err), MOTESOK_OK);
    assert_non_null(t->page_how);
    assert_int_equal(t->page_how[0], MSK_PAGE_OCR);
    assert_int_equal(t->page_how[1], MSK_PAGE_OCR_CACHED);
    assert_string_equal(t->pages[0], "Møtebok");
    assert_true(t->ocr_seconds > 1.749 && t->ocr_seconds < 1.751);
    motesok_text_free(t);
    t = NULL;
    answer bad_how = ocr;
    v = 7;
    memcpy(bad_how.b + 16 + at + 4, &v, 4);
    assert_int_equal(msk_worker_decode(bad_how.b, bad_how.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    answer mark_end = ocr;
    mark_end.n = 16 + at + 8;
    put32(&mark_end, 0xFFFFFFFFu);
    put32(&mark_end, MOTESOK_ERR_TOO_BIG);
    putstr(&mark_end, "x");
    assert_int_equal(msk_worker_decode(mark_end.b, mark_end.n, &det, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    /* a failure answer carries its status and message */
    answer f = {0};
    put32(&f, MOTESOK_ERR_ENCRYPTED);
    putstr(&f, "password-protected");
    put32(&f, MOTESOK_KIND_PDF);
    putstr(&f, "application/pdf");
    putstr(&f, "binary");
    assert_int_equal(msk_worker_decode(f.b, f.n, &det, &t, &err), MOTESOK_ERR_ENCRYPTED);
    assert_string_equal(err.message, "password-protected");
    assert_null(t);
    answer g = {0}; /* no message: the status says what */
    put32(&g, MOTESOK_ERR_ENCRYPTED);
    putstr(&g, "");
    put32(&g, MOTESOK_KIND_PDF);
    putstr(&g, "application/pdf");
    putstr(&g, "binary");
    assert_int_equal(msk_worker_decode(g.b, g.n, &det, &t, &err), MOTESOK_ERR_ENCRYPTED);
    assert_string_equal(err.message, motesok_strerror(MOTESOK_ERR_ENCRYPTED));
}

/* OCR text laid out as a text layer: blank lines (also of spaces, at the
 * start and the end) go, and the line end after the last line; every line
 * of text stays as it is. */
static void test_extract_ocr_text_lines(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Vedtak:\nFormannskapet ber\nom\n\nen utredning.\n\n", "Vedtak:\nFormannskapet ber\nom\nen utredning."},
        {"\n \t\n  Sak 12/19\n\n\n\nVedtak: Godkjent.", "  Sak 12/19\nVedtak: Godkjent."},
        {"a\r\n\r\nb \n  \n", "a\r\nb"},
        {"Vedtak: Godkjent.\n", "Vedtak: Godkjent."},
        {"\n\n  \n", ""},
        {"", ""},
        {"ett ord", "ett ord"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = strdup(cases[i][0]);
        assert_non_null(s);
        msk_ocr_text_lines(s);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
}

/* The quality test of a page's text layer: typed minutes pass; the same
 * minutes with private-use glyphs, with words broken by lost letters, or
 * as a run of symbols fail; so does nothing. */
static void test_extract_text_quality(void **state)
{
    (void)state;
    static const char good[] =
        "Sak 13/19 Reguleringsplan for Solbakken boligfelt. Rådmannen la fram forslag til "
        "reguleringsplan med tjueåtte tomter, gangveg langs fylkesvegen og ny snuplass ved "
        "barnehagen. Vedtak: Formannskapet vedtar å legge planen ut til offentlig ettersyn.";
    /* the same with n, r and t lost, as a font without a Unicode map gives */
    static const char broken[] =
        "Sak 13/19 Regule i gspla  fo  Solbakke  boligfel . Rådma  e  la f am fo slag  il "
        " egule i gspla  med  jueå  e  om e , ga gveg la gs fylkesveg   og  y s uplass ved "
        "ba  ehage . Vedtak: Forma  skape  ved a  å legge pla e  u   il offe  lig e  e sy .";
    static const char symbols[] = "§§ 12/19 ¤¤ %% 13/19 ## 14/19 ++ 15/19 == 16/19 ** 17/19";
    msk_quality q = msk_text_quality(good, strlen(good));
    assert_true(msk_quality_good(&q));
    q = msk_text_quality(broken, strlen(broken));
    assert_false(msk_quality_good(&q));
    q = msk_text_quality(symbols, strlen(symbols));
    assert_false(msk_quality_good(&q));
    q = msk_text_quality("", 0);
    assert_false(msk_quality_good(&q));
    /* every letter a private-use glyph (U+E04D for M, …) */
    char pua[3 * sizeof good];
    size_t n = 0;
    for (const char *p = good; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            unsigned cp = 0xE000u | c;
            pua[n++] = (char)(0xE0 | (cp >> 12));
            pua[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            pua[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            pua[n++] = *p;
        }
    }
    q = msk_text_quality(pua, n);
    assert_true(q.private_use > 100);
    assert_false(msk_quality_good(&q));
}

/* Start a worker: true if its environment holds entry ("NAME=value"). */
static bool worker_env_has(const char *entry)
{
    msk_worker *w = NULL;
    motesok_error err = {0};
    assert_int_equal(msk_worker_start(MOTESOK_BINARY_DIR "/bin/motesok-index", NULL, &w, &err),
                     MOTESOK_OK);
    /* one answer first (a file that is not there): the worker is then
     * running, its environment set up (right after the spawn it can
     * still read empty) */
    motesok_extract_limits lim = {0};
    motesok_detection det;
    motesok_text *text = NULL;
    assert_int_not_equal(msk_worker_open(w, "/nonexistent/motesok-test.txt", &lim, NULL, &det,
                                         &text, &err),
                         MOTESOK_OK);
    assert_false(msk_worker_dead(w));
    assert_null(text);
    char path[64], buf[65536];
    snprintf(path, sizeof path, "/proc/%d/environ", (int)msk_worker_pid(w));
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    msk_worker_stop(w);
    assert_true(n > 0);
    buf[n] = '\0';
    for (char *p = buf; p < buf + n; p += strlen(p) + 1)
        if (strcmp(p, entry) == 0)
            return true;
    return false;
}

/* Workers run Tesseract with one OpenMP thread (a worker per job already
 * uses the cores; more threads oversubscribe them), unless the user chose
 * a limit. */
static void test_worker_one_openmp_thread(void **state)
{
    (void)state;
    const char *was = getenv("OMP_THREAD_LIMIT");
    char *saved = was != NULL ? strdup(was) : NULL;
    unsetenv("OMP_THREAD_LIMIT");
    assert_true(worker_env_has("OMP_THREAD_LIMIT=1"));
    setenv("OMP_THREAD_LIMIT", "3", 1);
    assert_true(worker_env_has("OMP_THREAD_LIMIT=3"));
    assert_false(worker_env_has("OMP_THREAD_LIMIT=1"));
    if (saved != NULL)
        setenv("OMP_THREAD_LIMIT", saved, 1);
    else
        unsetenv("OMP_THREAD_LIMIT");
    free(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_text_quality),
        cmocka_unit_test(test_extract_ocr_text_lines),
        cmocka_unit_test(test_extract_text_every_encoding),
        cmocka_unit_test(test_extract_text_big_is_cut_into_pages),
        cmocka_unit_test(test_extract_decoder_chunks_match_whole),
        cmocka_unit_test_setup_teardown(test_extract_text_read_in_chunks_matches_buffer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_extract_text_read_in_chunks_refuses, setup, teardown),
        cmocka_unit_test(test_extract_text_cut_between_words),
        cmocka_unit_test(test_extract_text_windows_1252_by_hand),
        cmocka_unit_test(test_extract_text_normalises),
        cmocka_unit_test(test_extract_text_rejects_binary_and_blank),
        cmocka_unit_test(test_extract_text_limits),
        cmocka_unit_test(test_extract_worker_answer_decoding),
        cmocka_unit_test_setup_teardown(test_extract_file_text_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_file_refuses_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_pages_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_metadata_and_blank_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_no_text_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_encrypted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_keeps_stderr_quiet, setup, teardown),
        cmocka_unit_test(test_worker_one_openmp_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
