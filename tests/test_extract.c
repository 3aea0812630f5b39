/* Tests for lib/detect.c, lib/extract_text.c, lib/extract_pdf.c and
 * lib/normalize.c: real bytes in every encoding, real PDFs made by cairo
 * (and encrypted by qpdf) in the test itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "motesok/detect.h"
#include "motesok/extract.h"

static const char expected[] = "Rådmannsutvalget – møte på Gjøvik: æøå ÆØÅ";

typedef struct fixture {
    char dir[64];
} fixture;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/motesok-test-extract-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Decode buf and assert that it yields `expected`. */
static void assert_decodes(const void *buf, size_t len, const char *encoding)
{
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(motesok_extract_text_buffer(buf, len, NULL, NULL, &t, &err), MOTESOK_OK);
    assert_int_equal(t->n_pages, 1);
    assert_string_equal(t->pages[0], expected);
    assert_int_equal(t->page_lens[0], strlen(expected));
    assert_string_equal(t->encoding, encoding);
    motesok_text_free(t);
}

/* Encode expected (BMP only) as UTF-16 with a BOM. */
static size_t utf16(unsigned char *out, bool le)
{
    size_t n = 0;
    out[n++] = le ? 0xFF : 0xFE;
    out[n++] = le ? 0xFE : 0xFF;
    const unsigned char *p = (const unsigned char *)expected;
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
        out[n++] = le ? cp & 0xFF : cp >> 8;
        out[n++] = le ? cp >> 8 : cp & 0xFF;
    }
    return n;
}

static void test_extract_text_every_encoding(void **state)
{
    (void)state;
    assert_decodes(expected, strlen(expected), "UTF-8");
    char bom[128] = "\xEF\xBB\xBF";
    strcat(bom, expected);
    assert_decodes(bom, strlen(bom), "UTF-8");
    unsigned char u16[256];
    size_t n = utf16(u16, true);
    assert_decodes(u16, n, "UTF-16LE");
    n = utf16(u16, false);
    assert_decodes(u16, n, "UTF-16BE");
    /* Windows-1252: 0x96 is the en dash */
    const char cp1252[] = "R\xE5" "dmannsutvalget \x96 m\xF8te p\xE5 Gj\xF8vik: \xE6\xF8\xE5 \xC6\xD8\xC5";
    assert_decodes(cp1252, strlen(cp1252), "WINDOWS-1252");
    /* ISO-8859-1 has no en dash: same text with a hyphen-free check */
    const char latin1[] = "Gj\xF8vik \xE6\xF8\xE5";
    motesok_text *t = NULL;
    assert_int_equal(motesok_extract_text_buffer(latin1, strlen(latin1), "iso-8859-1", NULL, &t, NULL),
                     MOTESOK_OK);
    assert_string_equal(t->pages[0], "Gjøvik æøå");
    assert_string_equal(t->encoding, "ISO-8859-1");
    motesok_text_free(t);
    /* euro sign in Windows-1252 */
    assert_int_equal(motesok_extract_text_buffer("300 \x80", 5, NULL, NULL, &t, NULL), MOTESOK_OK);
    assert_string_equal(t->pages[0], "300 €");
    motesok_text_free(t);
}

static void test_extract_text_rejects_bad_input(void **state)
{
    (void)state;
    motesok_text *t = NULL;
    motesok_error err;
    const char bin[] = "abc\0def";
    assert_int_equal(motesok_extract_text_buffer(bin, sizeof bin, NULL, NULL, &t, &err),
                     MOTESOK_ERR_UNSUPPORTED);
    assert_null(t);
    assert_non_null(strstr(err.message, "binary"));
    motesok_extract_limits lim = {.max_input_bytes = 4};
    assert_int_equal(motesok_extract_text_buffer("legevakt", 8, NULL, &lim, &t, &err),
                     MOTESOK_ERR_TOO_BIG);
    assert_int_equal(motesok_extract_text_buffer(" \n\t ", 4, NULL, NULL, &t, &err),
                     MOTESOK_ERR_NO_TEXT);
}

static void test_normalize_text_cleans(void **state)
{
    (void)state;
    /* decomposed å, soft hyphen, CR LF, form feed, NUL, BOM, bad byte */
    const char in[] = "A\xCC\x8Asheim sam\xC2\xAD" "arbeid\r\nlinje\ftre\r\xEF\xBB\xBFx\xFFy";
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(motesok_normalize_text(in, sizeof in - 1, &out, &n, NULL), MOTESOK_OK);
    assert_string_equal(out, "Åsheim samarbeid\nlinje\ntre\nx\xEF\xBF\xBDy");
    assert_int_equal(n, strlen(out));
    free(out);
    const char nul[] = "a\0b";
    assert_int_equal(motesok_normalize_text(nul, 3, &out, &n, NULL), MOTESOK_OK);
    assert_string_equal(out, "ab");
    free(out);
}

/* Write a PDF with the given page texts (NULL text: a drawn box only). */
static void make_pdf(const char *path, const char *const *pages, size_t n, const char *title)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    if (title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    for (size_t i = 0; i < n; i++) {
        if (pages[i] != NULL) {
            cairo_move_to(cr, 72, 100);
            cairo_show_text(cr, pages[i]);
        } else {
            cairo_rectangle(cr, 72, 72, 200, 100);
            cairo_fill(cr);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* Detect and extract a file. */
static motesok_status extract(const char *path, motesok_detection *det, motesok_text **t,
                              motesok_error *err)
{
    motesok_detector *d = NULL;
    assert_int_equal(motesok_detector_open(&d, NULL), MOTESOK_OK);
    assert_int_equal(motesok_detect_file(d, path, det, NULL), MOTESOK_OK);
    motesok_detector_close(d);
    return motesok_extract_file(path, det, NULL, t, err);
}

static void test_extract_pdf_pages_in_order(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/tre.pdf", f->dir);
    const char *pages[] = {"Godkjenning av innkalling", "Utvida legevakt med røntgen",
                           "Eventuelt og avslutning"};
    make_pdf(path, pages, 3, "Møtebok for Rådmannsutvalget");
    motesok_detection det;
    motesok_text *t = NULL;
    assert_int_equal(extract(path, &det, &t, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    assert_string_equal(det.mime, "application/pdf");
    assert_int_equal(t->n_pages, 3);
    assert_non_null(strstr(t->pages[0], "innkalling"));
    assert_non_null(strstr(t->pages[1], "legevakt med røntgen"));
    assert_null(strstr(t->pages[1], "innkalling"));
    assert_non_null(strstr(t->pages[2], "avslutning"));
    assert_string_equal(t->title, "Møtebok for Rådmannsutvalget");
    assert_string_equal(t->encoding, "PDF");
    assert_true(t->created > 0);
    motesok_text_free(t);
}

static void test_extract_pdf_damaged_empty_encrypted(void **state)
{
    fixture *f = *state;
    char good[128], cut[128], blank[128], enc[128], rnd[128];
    snprintf(good, sizeof good, "%s/good.pdf", f->dir);
    snprintf(cut, sizeof cut, "%s/cut.pdf", f->dir);
    snprintf(blank, sizeof blank, "%s/blank.pdf", f->dir);
    snprintf(enc, sizeof enc, "%s/enc.pdf", f->dir);
    snprintf(rnd, sizeof rnd, "%s/rnd.pdf", f->dir);
    const char *pages[] = {"Vedtak om jordmortjeneste", "Side to"};
    make_pdf(good, pages, 2, NULL);
    /* truncated: the first half of the bytes */
    FILE *in = fopen(good, "rb");
    assert_non_null(in);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    FILE *out = fopen(cut, "wb");
    fwrite(buf, 1, n / 2, out);
    fclose(out);
    motesok_text *t = NULL;
    motesok_error err;
    assert_int_equal(motesok_extract_pdf_buffer(buf, n / 2, NULL, &t, &err), MOTESOK_ERR_PARSE);
    assert_null(t);
    /* random bytes given as a PDF */
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)((i * 2654435761u) >> 11);
    assert_int_equal(motesok_extract_pdf_buffer(buf, sizeof buf, NULL, &t, &err), MOTESOK_ERR_PARSE);
    /* only a drawn box: no text layer */
    const char *none[] = {NULL};
    make_pdf(blank, none, 1, NULL);
    motesok_detection det;
    assert_int_equal(extract(blank, &det, &t, &err), MOTESOK_ERR_NO_TEXT);
    assert_non_null(strstr(err.message, "no text"));
    /* password-protected, made by qpdf */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "qpdf --encrypt user owner 256 -- '%s' '%s'", good, enc);
    int rc = system(cmd);
    if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
        fail_msg("qpdf is needed to make an encrypted PDF (scripts/install-deps.sh installs it)");
    assert_int_equal(extract(enc, &det, &t, &err), MOTESOK_ERR_ENCRYPTED);
    assert_non_null(strstr(err.message, "password"));
}

static void test_detect_kinds(void **state)
{
    fixture *f = *state;
    motesok_detector *d = NULL;
    assert_int_equal(motesok_detector_open(&d, NULL), MOTESOK_OK);
    motesok_detection det;
    assert_int_equal(motesok_detect_buffer(d, "", 0, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_EMPTY);
    assert_int_equal(motesok_detect_buffer(d, "  \n\n ", 5, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_EMPTY);
    assert_int_equal(motesok_detect_buffer(d, expected, strlen(expected), &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    unsigned char u16[256];
    size_t n = utf16(u16, true);
    assert_int_equal(motesok_detect_buffer(d, u16, n, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_TEXT);
    unsigned char rnd[4096];
    for (size_t i = 0; i < sizeof rnd; i++)
        rnd[i] = (unsigned char)((i * 2654435761u) >> 13);
    assert_int_equal(motesok_detect_buffer(d, rnd, sizeof rnd, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_UNSUPPORTED);
    /* by content, not by name: a PDF named .txt is a PDF */
    char path[128];
    snprintf(path, sizeof path, "%s/really-a-pdf.txt", f->dir);
    const char *pages[] = {"legevakt"};
    make_pdf(path, pages, 1, NULL);
    assert_int_equal(motesok_detect_file(d, path, &det, NULL), MOTESOK_OK);
    assert_int_equal(det.kind, MOTESOK_KIND_PDF);
    motesok_error err;
    assert_int_equal(motesok_detect_file(d, "/nonexistent/x", &det, &err), MOTESOK_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/x"));
    assert_string_equal(motesok_kind_name(MOTESOK_KIND_PDF), "pdf");
    motesok_detector_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_text_every_encoding),
        cmocka_unit_test(test_extract_text_rejects_bad_input),
        cmocka_unit_test(test_normalize_text_cleans),
        cmocka_unit_test_setup_teardown(test_extract_pdf_pages_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_pdf_damaged_empty_encrypted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_kinds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
