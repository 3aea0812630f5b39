/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OCR of PDF pages (lib/extract/extract_internal.h): a page is rendered
 * with poppler-glib onto a cairo image surface, turned grey, and read by
 * Tesseract through its C API, in this process. And the quality test that
 * decides whether a page's text layer is kept or the page is read anew. */
#include "extract/extract_internal.h"
#include "analysis/norsk.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <utf8proc.h>

/* Pixels a rendered page may have (about A3 at 300 dpi): a bigger page is
 * rendered at a lower resolution, so that a page of any stated size costs
 * bounded memory. */
#define MAX_PIXELS ((double)5000 * 7000)

/* ---- the quality of a text layer ---------------------------------------- */

/* True if c is in a private-use area: glyphs of a font without a Unicode
 * map often come out there. */
static bool private_use(utf8proc_int32_t c)
{
    return (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
}

/* True if the letters word[0..len) (UTF-8) look like a word: a dictionary
 * word of Bokmål or Nynorsk (inflected or a compound of such), or, when no
 * dictionary is installed, a run of two or more letters with a vowel. */
static bool wordlike(const msk_norsk *nk, const char *word, size_t len, size_t letters)
{
    if (letters < 2)
        return false;
    char *w = malloc(len + 1);
    if (w == NULL)
        return false;
    memcpy(w, word, len);
    w[len] = '\0';
    char *f = msk_casefold(w);
    free(w);
    if (f == NULL)
        return false;
    size_t n = strlen(f);
    bool ok;
    if (msk_norsk_n_words(nk) > 0) {
        msk_split sp;
        ok = msk_norsk_known(nk, f, n) || msk_norsk_name(nk, f, n) || msk_norsk_stopword(nk, f, n) ||
             msk_norsk_split(nk, f, n, &sp);
    } else {
        ok = strpbrk(f, "aeiouy") != NULL || strstr(f, "\xc3\xa6") || strstr(f, "\xc3\xb8") ||
             strstr(f, "\xc3\xa5");
    }
    free(f);
    return ok;
}

msk_quality msk_text_quality(const char *s, size_t len)
{
    msk_quality q = {0};
    const msk_norsk *nk = NULL;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    size_t word_start = 0, word_letters = 0;
    bool in_word = false;
    while (i <= len) {
        utf8proc_int32_t c = 0;
        utf8proc_ssize_t n = 1;
        if (i < len) {
            n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
            if (n <= 0) {
                n = 1;
                c = 0xFFFD;
            }
        }
        utf8proc_category_t cat = i < len ? utf8proc_category(c) : UTF8PROC_CATEGORY_ZS;
        bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        bool space = cat == UTF8PROC_CATEGORY_ZS || c == '\n' || c == '\t' || c == '\r';
        if (!space) {
            q.chars++;
            q.letters += letter;
            q.private_use += private_use(c);
        }
        if (letter && !in_word) {
            in_word = true;
            word_start = i;
            word_letters = 0;
        }
        if (letter) {
            word_letters++;
        } else if (in_word && c != '-') {
            /* a token of letters ended; one followed by digits or odd
             * symbols counts as a token all the same */
            in_word = false;
            q.tokens++;
            if (nk == NULL)
                nk = msk_norsk_shared();
            q.words += wordlike(nk, s + word_start, i - word_start, word_letters);
        }
        i += (size_t)n;
    }
    return q;
}

bool msk_quality_good(const msk_quality *q)
{
    if (q->chars == 0)
        return false;
    if (q->private_use * 50 > q->chars) /* over 2% private-use glyphs */
        return false;
    if (q->letters * 2 < q->chars) /* fewer letters than other signs */
        return false;
    if (q->tokens >= 8 && q->words * 2 < q->tokens) /* most tokens no words */
        return false;
    return true;
}

/* ---- Tesseract ---------------------------------------------------------- */

/* One Tesseract engine per thread, for the languages it was started with. */
typedef struct engine {
    TessBaseAPI *api;
    char langs[64];
} engine;

static pthread_key_t engine_key;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

/* Thread-exit destructor of a thread's engine. */
static void engine_destroy(void *p)
{
    engine *e = p;
    if (e == NULL)
        return;
    if (e->api != NULL) {
        TessBaseAPIEnd(e->api);
        TessBaseAPIDelete(e->api);
    }
    free(e);
}

static void engine_key_init(void)
{
    pthread_key_create(&engine_key, engine_destroy);
}

/* This thread's engine for langs, started on first use. */
static TessBaseAPI *thread_engine(const char *langs, motesok_error *err)
{
    pthread_once(&engine_once, engine_key_init);
    engine *e = pthread_getspecific(engine_key);
    if (e != NULL && strcmp(e->langs, langs) == 0)
        return e->api;
    engine_destroy(e);
    pthread_setspecific(engine_key, NULL);
    e = calloc(1, sizeof *e);
    if (e == NULL) {
        msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        return NULL;
    }
    snprintf(e->langs, sizeof e->langs, "%s", langs);
    e->api = TessBaseAPICreate();
    if (e->api == NULL || TessBaseAPIInit3(e->api, NULL, langs) != 0) {
        engine_destroy(e);
        msk_error_set(err, MOTESOK_ERR_UNSUPPORTED,
                      "OCR languages '%s' are not all installed (Tesseract language data; "
                      "on Debian the tesseract-ocr-LANG packages, e.g. tesseract-ocr-nor)", langs);
        return NULL;
    }
    /* a page at a time, as one block of text in columns or not */
    TessBaseAPISetPageSegMode(e->api, PSM_AUTO);
    TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
    pthread_setspecific(engine_key, e);
    return e->api;
}

/* True if Tesseract finds and opens the language data of the one language
 * lang. Only the data file's container and its config are read
 * (tessedit_init_config_only): the models load in each thread's engine on
 * its first page, so a run that meets no scanned page never pays for them
 * (a whole start took 120-290 ms here, this one about 50). */
static bool language_starts(const char *lang)
{
    TessBaseAPI *api = TessBaseAPICreate();
    if (api == NULL)
        return false;
    char *names[] = {"tessedit_init_config_only"};
    char *values[] = {"1"};
    int rc = TessBaseAPIInit4(api, NULL, lang, OEM_DEFAULT, NULL, 0, names, values, 1, false);
    TessBaseAPIEnd(api);
    TessBaseAPIDelete(api);
    return rc == 0;
}

motesok_status msk_ocr_check(const char *langs, motesok_error *err)
{
    /* each language alone: Tesseract started with "nor+xyz" warns about
     * xyz and goes on without it */
    char one[64];
    for (const char *p = langs; *p != '\0';) {
        size_t n = strcspn(p, "+");
        if (n == 0 || n >= sizeof one)
            return msk_error_set(err, MOTESOK_ERR_INVALID, "bad OCR languages '%s'", langs);
        memcpy(one, p, n);
        one[n] = '\0';
        if (!language_starts(one))
            return msk_error_set(err, MOTESOK_ERR_UNSUPPORTED,
                                 "OCR language '%s' (of '%s') is not installed (Tesseract "
                                 "language data; on Debian the package tesseract-ocr-%s)",
                                 one, langs, one);
        p += n + (p[n] == '+');
    }
    return MOTESOK_OK;
}

void msk_ocr_thread_end(void)
{
    pthread_once(&engine_once, engine_key_init);
    engine_destroy(pthread_getspecific(engine_key));
    pthread_setspecific(engine_key, NULL);
}

/* Render page at *dpi (lowered for a huge page: the resolution used) into a new 8-bit grey image (*w × *h, *stride bytes a
 * row, the caller's); NULL if it cannot be made. */
static unsigned char *render_grey(PopplerPage *page, double *dpi, int *w, int *h, int *stride)
{
    double pw = 0, ph = 0;
    poppler_page_get_size(page, &pw, &ph);
    if (!(pw > 0 && ph > 0) || pw > 14400 || ph > 14400)
        return NULL;
    double scale = *dpi / 72.0;
    double px = pw * scale * ph * scale;
    if (px > MAX_PIXELS)
        scale *= sqrt(MAX_PIXELS / px);
    *dpi = scale * 72.0;
    *w = (int)(pw * scale + 0.5);
    *h = (int)(ph * scale + 0.5);
    if (*w < 1 || *h < 1)
        return NULL;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(sf);
        return NULL;
    }
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(sf);
    const unsigned char *src = cairo_image_surface_get_data(sf);
    int sstride = cairo_image_surface_get_stride(sf);
    *stride = *w;
    unsigned char *grey = src ? malloc((size_t)*w * (size_t)*h) : NULL;
    for (int y = 0; grey != NULL && y < *h; y++) {
        const uint32_t *row = (const uint32_t *)(src + (size_t)y * (size_t)sstride);
        unsigned char *out = grey + (size_t)y * (size_t)*w;
        for (int x = 0; x < *w; x++) {
            uint32_t v = row[x];
            unsigned r = (v >> 16) & 0xFF, g = (v >> 8) & 0xFF, b = v & 0xFF;
            out[x] = (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
        }
    }
    cairo_surface_destroy(sf);
    return grey;
}

void msk_ocr_text_lines(char *s)
{
    size_t out = 0, line = 0; /* where the line being copied starts in out */
    bool blank = true;        /* it holds only white space so far */
    for (size_t i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        if (c == '\n') {
            if (blank) { /* drop the blank line, its spaces too */
                out = line;
                continue;
            }
            s[out++] = c;
            line = out;
            blank = true;
            continue;
        }
        s[out++] = c;
        blank = blank && (c == ' ' || c == '\t' || c == '\r' || c == '\f');
    }
    /* nor a line end after the last line: a text layer's page ends with its
     * last line, and the reader takes a page's end after a line end for a
     * blank line */
    while (out > 0 && strchr(" \t\r\f\n", s[out - 1]) != NULL)
        out--;
    s[out] = '\0';
}

motesok_status msk_ocr_page(PopplerPage *page, unsigned dpi, const char *langs, char **out,
                            motesok_error *err)
{
    *out = NULL;
    TessBaseAPI *api = thread_engine(langs, err);
    if (api == NULL)
        return err && err->code ? err->code : MOTESOK_ERR_UNSUPPORTED;
    int w = 0, h = 0, stride = 0;
    double res = dpi;
    unsigned char *img = render_grey(page, &res, &w, &h, &stride);
    if (img == NULL) {
        *out = strdup("");
        return *out ? MOTESOK_OK : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    TessBaseAPISetImage(api, img, w, h, 1, stride);
    TessBaseAPISetSourceResolution(api, (int)(res + 0.5));
    char *text = TessBaseAPIGetUTF8Text(api);
    TessBaseAPIClear(api);
    free(img);
    *out = strdup(text ? text : "");
    if (text != NULL)
        TessDeleteText(text);
    if (*out != NULL)
        msk_ocr_text_lines(*out);
    return *out ? MOTESOK_OK : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
}
