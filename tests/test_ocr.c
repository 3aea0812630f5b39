/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OCR of PDF pages without a usable text layer: real scans made in the
 * test (minutes text rendered to a page image by motesok-txt2pdf --scan,
 * turned a little and speckled, in an image-only PDF), indexed by the real
 * motesok-index (worker processes, Tesseract), found by a real search. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "motesok/motesok.h"
#include "test_tmpdir.h"

extern char **environ;

#define BIN MOTESOK_BINARY_DIR "/bin/"
#define DATA MOTESOK_SOURCE_DIR "/tests/data/ocr/"
#define MINUTES DATA "skannet-motebok.txt"

typedef struct fixture {
    char root[64];
    char docs[96];
    char index[96];
} fixture;

/* Words of 6 letters or more of MINUTES, as a reader would search them. */
static const char *const MINUTES_WORDS[] = {
    "formannskapet", "Lindvik", "reguleringsplan", "Solbakken", "boligfelt",
    "trafikksikkerheten", "ettersyn", "idrettslag", "kunstgressbanen",
    "flomlysanlegget", "disposisjonsfondet", "rehabilitering", "Nesheim", "barnehagen",
};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(msk_test_mkdtemp(f->root, sizeof f->root, "test-ocr"));
    snprintf(f->docs, sizeof f->docs, "%s/docs", f->root);
    snprintf(f->index, sizeof f->index, "%s/index", f->root);
    assert_int_equal(mkdir(f->docs, 0755), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msk_test_rmtree(f->root);
    free(f);
    return 0;
}

/* Read a whole file into a new string ("" if it cannot be read). */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return strdup("");
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
    assert_non_null(s);
    size_t got = n > 0 ? fread(s, 1, (size_t)n, fp) : 0;
    s[got] = '\0';
    fclose(fp);
    return s;
}

/* Run argv to its end, its stdout and stderr into files under the root;
 * the exit status (128 + signal if killed); *out and *err (may be NULL,
 * else the caller's) what it printed. */
static int run(const fixture *f, char *const argv[], char **out, char **err)
{
    char po[160], pe[160];
    snprintf(po, sizeof po, "%s/cmd.out", f->root);
    snprintf(pe, sizeof pe, "%s/cmd.err", f->root);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (out != NULL)
        *out = slurp(po);
    if (err != NULL)
        *err = slurp(pe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Make docs/name, an image-only PDF scanned from the text file src at dpi,
 * turned by rotate degrees, with noise specks in 1000 pixels. */
static void make_scan(const fixture *f, const char *src, const char *name, int dpi,
                      const char *rotate, int noise, char out[160])
{
    snprintf(out, 160, "%s/%s", f->docs, name);
    char d[16], n[16];
    snprintf(d, sizeof d, "%d", dpi);
    snprintf(n, sizeof n, "%d", noise);
    char *argv[] = {BIN "motesok-txt2pdf", "--scan", d,         "--rotate", (char *)rotate,
                    "--noise",             n,        (char *)src, out,       NULL};
    char *err = NULL;
    int rc = run(f, argv, NULL, &err);
    if (rc != 0)
        fail_msg("motesok-txt2pdf --scan: exit %d: %s", rc, err);
    free(err);
}

/* Run motesok-index over the docs folder with up to two more options;
 * its exit status, *out and *err (the caller's, may be NULL). */
static int index_docs(const fixture *f, const char *opt1, const char *opt2, char **out,
                      char **err)
{
    char *argv[10];
    int n = 0;
    argv[n++] = BIN "motesok-index";
    argv[n++] = "--index";
    argv[n++] = (char *)f->index;
    argv[n++] = "--jobs";
    argv[n++] = "2";
    if (opt1 != NULL)
        argv[n++] = (char *)opt1;
    if (opt2 != NULL)
        argv[n++] = (char *)opt2;
    argv[n++] = (char *)f->docs;
    argv[n] = NULL;
    return run(f, argv, out, err);
}

/* Index the docs folder; a failing run fails the test with its output.
 * *err (may be NULL; the caller's) what it wrote on standard error: its
 * summary. */
static void index_ok(const fixture *f, const char *opt1, const char *opt2, char **err)
{
    char *o = NULL, *e = NULL;
    int rc = index_docs(f, opt1, opt2, &o, &e);
    if (rc != 0)
        fail_msg("motesok-index: exit %d\n%s%s", rc, o, e);
    free(o);
    if (err != NULL)
        *err = e;
    else
        free(e);
}

/* The search answer for query over the fixture's index (the caller frees
 * it), searched strictly: no spelling suggestion, no any-word fallback. */
static motesok_search_result *search_in(const char *index, const char *query)
{
    motesok_searcher *s = NULL;
    motesok_error err;
    if (motesok_searcher_open(index, &s, &err) != MOTESOK_OK)
        fail_msg("open searcher: %s", err.message);
    motesok_search_request req = {.query = query, .limit = 20, .exact_total = true};
    motesok_search_result *res = NULL;
    if (motesok_searcher_search(s, &req, &res, &err) != MOTESOK_OK)
        fail_msg("search '%s': %s", query, err.message);
    motesok_searcher_close(s);
    return res;
}

/* search_in the fixture's index. */
static motesok_search_result *search(const fixture *f, const char *query)
{
    return search_in(f->index, query);
}

/* The hit on the file whose path ends with suffix in res, or NULL. */
static const motesok_hit *hit_on(const motesok_search_result *res, const char *suffix)
{
    size_t ls = strlen(suffix);
    for (size_t i = 0; i < res->n_hits; i++) {
        const motesok_hit *h = &res->hits[i];
        /* two files of one meeting (twins) are one hit listing both */
        for (size_t j = 0; j <= h->n_files; j++) {
            const char *p = j == h->n_files ? h->path : h->files[j].path;
            size_t lp = p != NULL ? strlen(p) : 0;
            if (lp >= ls && strcmp(p + lp - ls, suffix) == 0)
                return h;
        }
    }
    return NULL;
}

/* True if query finds the file ending with suffix by its own words (the
 * search let no word go and tried no other spelling). */
static bool finds(const fixture *f, const char *query, const char *suffix)
{
    motesok_search_result *res = search(f, query);
    bool ok = !res->any_word && !res->suggestion_searched && hit_on(res, suffix) != NULL;
    motesok_search_result_free(res);
    return ok;
}

/* A scanned minutes book, no text layer at all: every page is read by OCR
 * and its words are found. */
static void test_ocr_scanned_pdf_is_searchable(void **state)
{
    fixture *f = *state;
    char pdf[160];
    make_scan(f, MINUTES, "2019-03-14-formannskapet-skannet.pdf", 200, "0.8", 3, pdf);
    index_ok(f, NULL, NULL, NULL);
    size_t missing = 0;
    for (size_t i = 0; i < sizeof MINUTES_WORDS / sizeof *MINUTES_WORDS; i++) {
        if (!finds(f, MINUTES_WORDS[i], "-skannet.pdf")) {
            print_message("not found: %s\n", MINUTES_WORDS[i]);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
    /* a phrase across a line: the OCR text keeps the words in order */
    assert_true(finds(f, "\"offentlig ettersyn\"", "-skannet.pdf"));
}

/* The OCR figures of an indexer summary: pages read by OCR, pages the
 * OCR cache answered, and the seconds OCR took in all and a page (all 0
 * when the summary has no OCR line; the times are told when a page was
 * read by OCR, and only then). */
static void ocr_times(const char *summary, size_t *read, size_t *cached, double *secs,
                      double *per_page)
{
    *read = *cached = 0;
    *secs = *per_page = 0;
    const char *p = strstr(summary, "OCR: ");
    if (p == NULL)
        return;
    int n = sscanf(p, "OCR: %zu pages read, %zu from the OCR cache; %lf s of OCR, %lf s a page",
                   read, cached, secs, per_page);
    assert_int_equal(n, *read > 0 ? 4 : 2);
}

/* The OCR counts of an indexer summary: pages read by OCR and pages the
 * OCR cache answered (both 0 when the summary has no OCR line). */
static void ocr_counts(const char *summary, size_t *read, size_t *cached)
{
    double secs = 0, per_page = 0;
    ocr_times(summary, read, cached, &secs, &per_page);
}

/* Make a typed PDF (a text layer) of the text file src at out. */
static void make_typed(const fixture *f, const char *src, const char *out)
{
    char *argv[] = {BIN "motesok-txt2pdf", (char *)src, (char *)out, NULL};
    char *err = NULL;
    int rc = run(f, argv, NULL, &err);
    if (rc != 0)
        fail_msg("motesok-txt2pdf: exit %d: %s", rc, err);
    free(err);
}

enum damage { PRIVATE_USE, MISSING_LETTERS };

/* The code point a damaged Unicode map gives for c. */
static unsigned damaged(unsigned c, enum damage how)
{
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xFF);
    if (how == PRIVATE_USE)
        return letter ? 0xE000 | c : c;
    /* the letters n, r and t lost: "MØTEINNKALLING" reads "MØ EI   KALLI G" */
    return c == 'n' || c == 'N' || c == 'r' || c == 'R' || c == 't' || c == 'T' ? 0x20 : c;
}

/* Copy the PDF src to docs/name with its fonts' Unicode maps (ToUnicode)
 * damaged as how says: qpdf --qdf writes it with its streams uncompressed,
 * and each 4-digit target of a bfchar entry is rewritten in place (the
 * same length: the cross-reference table stays right). */
static void damage_text_layer(const fixture *f, const char *src, const char *name,
                              enum damage how, char out[160])
{
    snprintf(out, 160, "%s/%s", f->docs, name);
    char *argv[] = {"/usr/bin/qpdf", "--qdf", "--object-streams=disable", (char *)src, out, NULL};
    char *err = NULL;
    int rc = run(f, argv, NULL, &err);
    if (rc != 0)
        fail_msg("qpdf --qdf: exit %d: %s", rc, err);
    free(err);
    FILE *fp = fopen(out, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *pdf = malloc((size_t)n + 1);
    assert_non_null(pdf);
    assert_int_equal(fread(pdf, 1, (size_t)n, fp), (size_t)n);
    pdf[n] = '\0';
    fclose(fp);
    size_t changed = 0;
    /* the file holds binary font data: search it by bytes, not as a string */
    for (char *b = memmem(pdf, (size_t)n, "beginbfchar", 11); b != NULL;
         b = memmem(b, (size_t)(pdf + n - b), "beginbfchar", 11)) {
        char *end = memmem(b, (size_t)(pdf + n - b), "endbfchar", 9);
        assert_non_null(end);
        for (char *p = b; p < end; p++) {
            unsigned code = 0, c = 0;
            int used = 0;
            /* an entry: <code> <cccc> */
            if (p[0] != '<' || sscanf(p, "<%x> <%4x>%n", &code, &c, &used) != 2 || p[used - 1] != '>' ||
                p[used - 6] != '<')
                continue;
            unsigned d = damaged(c, how);
            if (d != c) {
                char hex[5];
                snprintf(hex, sizeof hex, "%04x", d & 0xFFFFu);
                memcpy(p + used - 5, hex, 4);
                changed++;
            }
            p += used - 1;
        }
        b = end;
    }
    if (changed < 3) /* each glyph of a subset font is mapped once */
        fail_msg("%s: only %zu Unicode map entries to damage", name, changed);
    fp = fopen(out, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(pdf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    free(pdf);
}

/* Text layers whose fonts map letters to private-use glyphs, or lose
 * letters so that words break: both pages are read by OCR and their words
 * found; a good text layer (a typed PDF of several pages) is kept. */
static void test_ocr_damaged_text_layers_are_read_again(void **state)
{
    fixture *f = *state;
    char typed[160], broken1[160], broken2[160];
    snprintf(typed, sizeof typed, "%s/typed.pdf", f->root);
    make_typed(f, MINUTES, typed);
    damage_text_layer(f, typed, "2019-03-14-privat.pdf", PRIVATE_USE, broken1);
    damage_text_layer(f, typed, "2019-03-14-brutt.pdf", MISSING_LETTERS, broken2);
    char good[160];
    snprintf(good, sizeof good, "%s/2018-09-18-rag-referat.pdf", f->docs);
    make_typed(f, MOTESOK_SOURCE_DIR "/corpus/2018-09-18-rag-referat.txt", good);
    char *out = NULL;
    index_ok(f, NULL, NULL, &out);
    size_t read = 0, cached = 0;
    ocr_counts(out, &read, &cached);
    free(out);
    assert_int_equal(read, 2); /* one page each of the damaged PDFs, none of the good one */
    assert_int_equal(cached, 0);
    const char *words[] = {"reguleringsplan", "kunstgressbanen", "trafikksikkerheten",
                           "disposisjonsfondet"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        assert_true(finds(f, words[i], "-privat.pdf"));
        assert_true(finds(f, words[i], "-brutt.pdf"));
    }
    assert_true(finds(f, "rekruttere konsensusgruppene", "-rag-referat.pdf"));
}

/* A PDF of typed pages and a scanned page: the typed pages keep their
 * text, the scanned one is read by OCR, each word found on its page. */
static void test_ocr_mixed_pdf_page_by_page(void **state)
{
    fixture *f = *state;
    char typed[160], scan[160], mixed[160];
    snprintf(typed, sizeof typed, "%s/typed.pdf", f->root);
    make_typed(f, MOTESOK_SOURCE_DIR "/corpus/2018-09-18-rag-referat.txt", typed);
    make_scan(f, MINUTES, "scan.pdf", 200, "-0.5", 2, scan);
    snprintf(mixed, sizeof mixed, "%s/2018-09-18-rag-med-vedlegg.pdf", f->docs);
    char *argv[] = {"/usr/bin/qpdf", "--empty", "--pages", typed, scan, "--", mixed, NULL};
    assert_int_equal(run(f, argv, NULL, NULL), 0);
    assert_int_equal(unlink(scan), 0);
    char *out = NULL;
    index_ok(f, NULL, NULL, &out);
    size_t read = 0, cached = 0;
    ocr_counts(out, &read, &cached);
    free(out);
    assert_int_equal(read, 1);
    motesok_search_result *res = search(f, "kunstgressbanen");
    const motesok_hit *h = hit_on(res, "-med-vedlegg.pdf");
    assert_non_null(h);
    int64_t scanned_page = h->page;
    motesok_search_result_free(res);
    res = search(f, "konsensusgruppene");
    h = hit_on(res, "-med-vedlegg.pdf");
    assert_non_null(h);
    assert_true(h->page >= 1 && h->page < scanned_page); /* a typed page, before the scan */
    assert_false(h->ocr);
    char id[17];
    snprintf(id, sizeof id, "%s", h->id);
    motesok_search_result_free(res);
    assert_true(finds(f, "disposisjonsfondet", "-med-vedlegg.pdf"));
    /* honest results: the hit on the scanned page, the document and the
     * page say it was read by OCR; a typed page does not */
    res = search(f, "kunstgressbanen");
    h = hit_on(res, "-med-vedlegg.pdf");
    assert_non_null(h);
    assert_true(h->ocr);
    motesok_search_result_free(res);
    motesok_searcher *sr = NULL;
    assert_int_equal(motesok_searcher_open(f->index, &sr, NULL), MOTESOK_OK);
    motesok_document *doc = NULL;
    assert_int_equal(motesok_searcher_document(sr, id, &doc, NULL), MOTESOK_OK);
    assert_int_equal(doc->n_ocr_pages, 1);
    assert_int_equal(doc->ocr_pages[0], scanned_page);
    assert_int_equal(doc->pages, scanned_page);
    motesok_document_free(doc);
    motesok_page_text *t = NULL;
    assert_int_equal(motesok_searcher_text(sr, id, (unsigned)scanned_page, &t, NULL), MOTESOK_OK);
    assert_true(t->ocr);
    assert_non_null(strstr(t->text, "kunstgressbanen"));
    motesok_page_text_free(t);
    assert_int_equal(motesok_searcher_text(sr, id, 1, &t, NULL), MOTESOK_OK);
    assert_false(t->ocr);
    motesok_page_text_free(t);
    motesok_searcher_close(sr);
}

/* The last row with ink (a pixel darker than mid-grey) of the PGM image
 * at path, -1 when none; fails the test if the file is no 8-bit PGM. */
static int last_ink_row(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    int w = 0, h = 0, max = 0;
    if (fscanf(fp, "P5 %d %d %d", &w, &h, &max) != 3 || fgetc(fp) == EOF || max != 255 || w < 1 ||
        h < 1)
        fail_msg("%s: not an 8-bit PGM", path);
    unsigned char *row = malloc((size_t)w);
    assert_non_null(row);
    int last = -1;
    for (int y = 0; y < h && fread(row, 1, (size_t)w, fp) == (size_t)w; y++)
        for (int x = 0; x < w; x++)
            if (row[x] < 128) {
                last = y;
                break;
            }
    free(row);
    fclose(fp);
    return last;
}

/* Render pdf's pages at 72 dpi in grey to ROOT/prefix-N.pgm; their count. */
static int render_pages(const fixture *f, const char *pdf, const char *prefix)
{
    char out[160], page[192];
    snprintf(out, sizeof out, "%s/%s", f->root, prefix);
    char *argv[] = {"/usr/bin/pdftoppm", "-r", "72", "-gray", (char *)pdf, out, NULL};
    assert_int_equal(run(f, argv, NULL, NULL), 0);
    int n = 0;
    for (;;) {
        snprintf(page, sizeof page, "%s-%d.pgm", out, n + 1);
        if (access(page, F_OK) != 0)
            return n;
        n++;
    }
}

/* A scan made by motesok-txt2pdf --scan is a print of its typed PDF: the
 * same pages, each ending at the same line (a scan laid out with its
 * image's hinted font metrics broke pages elsewhere, so that a scanned
 * book and its typed twin were not the same pages). */
static void test_ocr_scan_pages_as_typed(void **state)
{
    fixture *f = *state;
    char *one = slurp(MINUTES), src[160], typed[160], scan[160];
    snprintf(src, sizeof src, "%s/lang.txt", f->root);
    FILE *fp = fopen(src, "w");
    assert_non_null(fp);
    for (int i = 0; i < 8; i++)
        fprintf(fp, "%s\n", one);
    fclose(fp);
    free(one);
    snprintf(typed, sizeof typed, "%s/typed.pdf", f->root);
    make_typed(f, src, typed);
    make_scan(f, src, "skannet.pdf", 150, "0", 0, scan);
    int n = render_pages(f, typed, "t");
    assert_true(n >= 3);
    assert_int_equal(render_pages(f, scan, "s"), n);
    for (int i = 1; i <= n; i++) {
        char pt[192], ps[192];
        snprintf(pt, sizeof pt, "%s/t-%d.pgm", f->root, i);
        snprintf(ps, sizeof ps, "%s/s-%d.pgm", f->root, i);
        int lt = last_ink_row(pt), ls = last_ink_row(ps);
        if (lt < 0 ? ls >= 0 : ls < lt - 2 || ls > lt + 2)
            fail_msg("page %d ends at row %d typed, %d scanned", i, lt, ls);
    }
}

/* The document of the file whose path ends with suffix in index (found
 * by query) into *doc, through the searcher *sr (both the caller's). */
static void document_of(const char *index, const char *query, const char *suffix,
                        motesok_searcher **sr, motesok_document **doc)
{
    motesok_search_result *res = search_in(index, query);
    const motesok_hit *h = hit_on(res, suffix);
    if (h == NULL)
        fail_msg("'%s' does not find %s in %s", query, suffix, index);
    assert_int_equal(motesok_searcher_open(index, sr, NULL), MOTESOK_OK);
    assert_int_equal(motesok_searcher_document(*sr, h->id, doc, NULL), MOTESOK_OK);
    motesok_search_result_free(res);
}

/* A scan of src (DATE-skannet.pdf, at dpi, turned rotate degrees, with
 * noise) indexed in f's index and its typed twin (DATE-maskinskrevet.pdf)
 * in an index of its own (in one index they are one meeting); the
 * document of each, found by query, into *sd and *td through the
 * searchers *ss and *ts (all four the caller's). */
static void scan_and_typed(fixture *f, const char *src, const char *date, int dpi,
                           const char *rotate, int noise, const char *query,
                           motesok_searcher **ss, motesok_document **sd, motesok_searcher **ts,
                           motesok_document **td)
{
    char name[64], scan[160], typed_dir[96], typed[160], typed_index[96];
    snprintf(name, sizeof name, "%s-skannet.pdf", date);
    make_scan(f, src, name, dpi, rotate, noise, scan);
    snprintf(typed_dir, sizeof typed_dir, "%s/typed", f->root);
    snprintf(typed_index, sizeof typed_index, "%s/typed-index", f->root);
    assert_int_equal(mkdir(typed_dir, 0755), 0);
    snprintf(typed, sizeof typed, "%s/%s-maskinskrevet.pdf", typed_dir, date);
    make_typed(f, src, typed);
    index_ok(f, NULL, NULL, NULL);
    char *argv[] = {BIN "motesok-index", "--index", typed_index, typed_dir, NULL};
    assert_int_equal(run(f, argv, NULL, NULL), 0);
    document_of(f->index, query, "-skannet.pdf", ss, sd);
    document_of(typed_index, query, "-maskinskrevet.pdf", ts, td);
}

/* The minutes reader reads a scan as it reads its typed twin: the same
 * cases with the same decisions, whole. Tesseract ends a paragraph with a
 * blank line, also after a short line that a long line of the text left
 * (where a typed page's text layer has none), and the reader ends a
 * decision at a blank line: the OCR text has none. The two files are
 * indexed apart (in one index they are one meeting). */
static void test_ocr_structure_as_typed_twin(void **state)
{
    fixture *f = *state;
    motesok_searcher *ss = NULL, *ts = NULL;
    motesok_document *sd = NULL, *td = NULL;
    scan_and_typed(f, DATA "skannet-vedtak.txt", "2019-05-21", 200, "0.3", 2, "brannstasjon",
                   &ss, &sd, &ts, &td);
    assert_int_equal(td->n_cases, 3);
    assert_int_equal(sd->n_cases, td->n_cases);
    for (size_t i = 0; i < td->n_cases; i++) {
        const motesok_case_info *s = &sd->cases[i], *t = &td->cases[i];
        assert_non_null(t->decision);
        assert_non_null(s->decision);
        assert_string_equal(s->key, t->key);
        /* the same decision, give or take a misread letter: not cut short */
        size_t ls = strlen(s->decision), lt = strlen(t->decision);
        if (ls * 10 < lt * 9 || ls * 10 > lt * 11)
            fail_msg("case %s: the scan's decision «%s», the typed twin's «%s»", t->key,
                     s->decision, t->decision);
    }
    motesok_page_text *pt = NULL;
    assert_int_equal(motesok_searcher_text(ss, sd->id, 1, &pt, NULL), MOTESOK_OK);
    assert_true(pt->ocr);
    assert_null(strstr(pt->text, "\n\n")); /* no blank line */
    motesok_page_text_free(pt);
    motesok_document_free(sd);
    motesok_document_free(td);
    motesok_searcher_close(ss);
    motesok_searcher_close(ts);
}

/* A decision that runs over a page's end reads whole in a scan, as in
 * its typed twin: the OCR text of a page ends with its last line, as a
 * text layer does (the reader takes a line end and a page's end for a
 * blank line, which ends a decision). */
static void test_ocr_decision_over_a_page(void **state)
{
    fixture *f = *state;
    char src[160];
    snprintf(src, sizeof src, "%s/lang-vedtak.txt", f->root);
    FILE *fp = fopen(src, "w");
    assert_non_null(fp);
    fputs("MØTEBOK\n\nUtvalg: Kommunestyret i Lindvik kommune\nDato: 18.06.2019\n\n"
          "Sak 31/19 Handlingsplan for trafikksikkerhet 2019-2022\nVedtak:\n", fp);
    for (int i = 1; i <= 40; i++) /* lines that end in the middle of a sentence */
        fprintf(fp, "Kommunestyret vedtar at tiltak %d i handlingsplanen gjennomføres i år, og at\n"
                    "kostnaden dekkes av driftsbudsjettet for veg og trafikk, slik at\n",
                i);
    fputs("rådmannen rapporterer om framdriften hvert halvår.\n\n"
          "Sak 32/19 Referatsaker\nVedtak: Referatsakene tas til orientering.\n", fp);
    fclose(fp);
    motesok_searcher *ss = NULL, *ts = NULL;
    motesok_document *sd = NULL, *td = NULL;
    scan_and_typed(f, src, "2019-06-18", 150, "0", 0, "driftsbudsjettet", &ss, &sd, &ts, &td);
    assert_true(td->pages >= 2);
    assert_true(td->n_cases >= 1);
    assert_true(sd->n_cases >= 1);
    const char *s = sd->cases[0].decision, *t = td->cases[0].decision;
    assert_non_null(t);
    assert_non_null(strstr(t, "halvår")); /* the typed twin's decision is whole */
    assert_non_null(s);
    size_t ls = strlen(s), lt = strlen(t);
    if (ls * 10 < lt * 9)
        fail_msg("the scan's decision has %zu bytes, the typed twin's %zu: «%s»", ls, lt, s);
    motesok_document_free(sd);
    motesok_document_free(td);
    motesok_searcher_close(ss);
    motesok_searcher_close(ts);
}

/* The OCR status of the index in f: what its last run read by OCR. */
static motesok_index_status *ocr_status(const fixture *f)
{
    motesok_searcher *sr = NULL;
    assert_int_equal(motesok_searcher_open(f->index, &sr, NULL), MOTESOK_OK);
    motesok_index_status *st = NULL;
    assert_int_equal(motesok_searcher_status(sr, &st, NULL), MOTESOK_OK);
    motesok_searcher_close(sr);
    return st;
}

/* The OCR text is kept by the file's content: a rename and a copy of a
 * scanned file are indexed without OCR (the summary counts it). The time
 * the OCR took is told, in the summary and the status; none when the
 * cache answered. */
static void test_ocr_cache_by_content(void **state)
{
    fixture *f = *state;
    char scan[160];
    make_scan(f, MINUTES, "2019-03-14-skannet.pdf", 200, "0.3", 2, scan);
    char *out = NULL;
    index_ok(f, NULL, NULL, &out);
    size_t read = 0, cached = 0;
    double secs = 0, per_page = 0;
    ocr_times(out, &read, &cached, &secs, &per_page);
    free(out);
    assert_int_equal(read, 1);
    assert_int_equal(cached, 0);
    assert_true(secs > 0); /* the page's rendering and recognition took some time */
    assert_true(per_page > 0);
    motesok_index_status *st = ocr_status(f);
    assert_int_equal(st->ocr_last_run_pages, 1);
    assert_true(st->ocr_last_run_seconds > 0);
    motesok_index_status_free(st);
    char moved[160], copy[160];
    snprintf(moved, sizeof moved, "%s/2019-03-14-flyttet.pdf", f->docs);
    snprintf(copy, sizeof copy, "%s/2019-03-14-kopi.pdf", f->docs);
    assert_int_equal(rename(scan, moved), 0);
    char *argv[] = {"/bin/cp", moved, copy, NULL};
    assert_int_equal(run(f, argv, NULL, NULL), 0);
    index_ok(f, NULL, NULL, &out);
    ocr_counts(out, &read, &cached);
    free(out);
    assert_int_equal(read, 0);
    assert_int_equal(cached, 2);
    assert_true(finds(f, "kunstgressbanen", "-flyttet.pdf"));
    assert_true(finds(f, "kunstgressbanen", "-kopi.pdf"));
    assert_false(finds(f, "kunstgressbanen", "-skannet.pdf")); /* gone with the rename */
    /* the index's status tells the same: no time spent on OCR */
    st = ocr_status(f);
    assert_int_equal(st->ocr_pages_kept, 1);
    assert_int_equal(st->ocr_last_run_pages, 0);
    assert_int_equal(st->ocr_last_run_cached, 2);
    assert_true(st->ocr_last_run_seconds == 0);
    motesok_index_status_free(st);
}

/* --ocr=never: a scan stays unread, failed with the reason; --ocr-dpi and
 * --ocr-languages are checked, a language without data a usage error
 * named before any file is read. */
static void test_ocr_options(void **state)
{
    fixture *f = *state;
    char scan[160];
    make_scan(f, MINUTES, "2019-03-14-skannet.pdf", 150, "0", 0, scan);
    char *out = NULL, *err = NULL;
    assert_int_equal(index_docs(f, "--ocr=never", NULL, &out, &err), 1);
    assert_non_null(strstr(err, "PDF has no text layer"));
    assert_null(strstr(err, "OCR: "));
    free(out);
    free(err);
    assert_int_equal(index_docs(f, "--ocr-languages=nor+klingon", NULL, &out, &err), 2);
    assert_non_null(strstr(err, "OCR language 'klingon' (of 'nor+klingon') is not installed"));
    assert_null(strstr(err, "indexed")); /* no file was read */
    free(out);
    free(err);
    assert_int_equal(index_docs(f, "--ocr=sometimes", NULL, &out, &err), 2);
    free(out);
    free(err);
    assert_int_equal(index_docs(f, "--ocr-dpi", "20", &out, &err), 2);
    free(out);
    free(err);
    /* the failed file is read by OCR when asked again */
    index_ok(f, "--retry-failed", "--ocr=always", &err);
    size_t read = 0, cached = 0;
    ocr_counts(err, &read, &cached);
    free(err);
    assert_int_equal(read, 1);
    assert_true(finds(f, "kunstgressbanen", "-skannet.pdf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ocr_scanned_pdf_is_searchable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_structure_as_typed_twin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_scan_pages_as_typed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_decision_over_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_damaged_text_layers_are_read_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ocr_mixed_pdf_page_by_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_cache_by_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_options, setup, teardown),
    };
    if (getenv("MOTESOK_TEST_FILTER") != NULL) /* e.g. "*mixed*": run only those */
        cmocka_set_test_filter(getenv("MOTESOK_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
