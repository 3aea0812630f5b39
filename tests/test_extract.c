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
    putstr(&a, "Møtebok");
    putstr(&a, "Sak 12/24 Legevakt");
    put32(&a, 0xFFFFFFFFu); /* no title */
    putstr(&a, "UTF-8");
    uint64_t created = 0;
    memcpy(a.b + a.n, &created, 8);
    a.n += 8;
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
    size_t at = 4 + 4 + 4 + 4 + strlen("text/plain") + 4 + strlen("utf-8") + 4;
    memcpy(huge.b + at, &v, 4);
    assert_int_equal(msk_worker_decode(huge.b, huge.n, &det, &t, &err), MOTESOK_ERR_PARSE);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_text_every_encoding),
        cmocka_unit_test(test_extract_text_big_is_cut_into_pages),
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
