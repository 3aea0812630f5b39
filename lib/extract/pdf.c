/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PDF extraction with poppler-glib, one string per page. */
#include "extract/extract_internal.h"

#include <glib.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GOnce quiet_once = G_ONCE_INIT;

/* poppler's last message on this thread: it explains a damaged file better
 * than the GError does. poppler logs from the thread that called it. */
static _Thread_local char last_log[160];

/* Keep poppler's messages off stderr, remembering the last one. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer ud)
{
    (void)domain; (void)level; (void)ud;
    snprintf(last_log, sizeof last_log, "%s", msg ? msg : "");
}

/* Route poppler-glib's log domain to quiet_log, once per process. Only that
 * domain is touched, so other GLib users keep their own handlers. */
static gpointer install_quiet(gpointer ud)
{
    (void)ud;
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                      quiet_log, NULL);
    return NULL;
}

/* Map a poppler GError to a status with its message, and free it. */
static motesok_status pdf_error(GError *e, motesok_error *err)
{
    const char *why = e != NULL && e->message != NULL ? e->message : "unknown error";
    motesok_status st;
    if (e != NULL && e->domain == POPPLER_ERROR && e->code == POPPLER_ERROR_ENCRYPTED)
        st = msk_error_set(err, MOTESOK_ERR_ENCRYPTED, "PDF is password-protected (%s)", why);
    else if (last_log[0] != '\0')
        st = msk_error_set(err, MOTESOK_ERR_PARSE, "damaged or invalid PDF: %s (%s)", why, last_log);
    else
        st = msk_error_set(err, MOTESOK_ERR_PARSE, "damaged or invalid PDF: %s", why);
    if (e != NULL)
        g_error_free(e);
    return st;
}

/* Collapse runs of white space in s to one space and trim it, in place. */
static void squeeze_space(char *s)
{
    char *w = s;
    bool pending = false;
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n') {
            pending = w != s;
            continue;
        }
        if (pending)
            *w++ = ' ';
        pending = false;
        *w++ = *r;
    }
    *w = '\0';
}

/* Title from the PDF's metadata on one line, trimmed; NULL if none or blank. */
static char *pdf_title(PopplerDocument *doc)
{
    gchar *t = poppler_document_get_title(doc);
    if (t == NULL)
        return NULL;
    char *norm = NULL;
    size_t n = 0;
    if (motesok_normalize_text(t, strlen(t), &norm, &n, NULL) != MOTESOK_OK)
        norm = NULL;
    g_free(t);
    if (norm != NULL)
        squeeze_space(norm);
    if (norm != NULL && msk_blank(norm)) {
        free(norm);
        norm = NULL;
    }
    return norm;
}

/* Creation date from the PDF's metadata as Unix seconds, or -1. */
static int64_t pdf_created(PopplerDocument *doc)
{
    GDateTime *dt = poppler_document_get_creation_date_time(doc);
    if (dt == NULL)
        return -1;
    int64_t s = (int64_t)g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return s;
}

/* True if page i is among the sorted pages of cached. */
static bool is_cached(const msk_ocr *ocr, size_t i)
{
    size_t lo = 0, hi = ocr->n_cached;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ocr->cached[mid] == i)
            return true;
        if (ocr->cached[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* True if page draws an image (a scan is one): a page with neither text
 * nor image is blank, and not rendered for OCR. */
static bool has_image(PopplerPage *page)
{
    GList *images = poppler_page_get_image_mapping(page);
    bool any = images != NULL;
    poppler_page_free_image_mapping(images);
    return any;
}

/* True if the page whose text layer is text is to be read by OCR. */
static bool wants_ocr(const msk_ocr *ocr, PopplerPage *page, const char *text)
{
    if (ocr == NULL || ocr->mode == MOTESOK_OCR_NEVER)
        return false;
    if (ocr->mode == MOTESOK_OCR_ALWAYS)
        return true;
    if (text == NULL || msk_blank(text))
        return has_image(page);
    msk_quality q = msk_text_quality(text, strlen(text));
    return !msk_quality_good(&q);
}

/* The text of page i of doc into t: its text layer, or as ocr says its
 * OCR (page_how tells which). */
static motesok_status pdf_page(PopplerDocument *doc, size_t i, motesok_text *t,
                               const motesok_extract_limits *L, const msk_ocr *ocr,
                               motesok_error *err)
{
    PopplerPage *page = poppler_document_get_page(doc, (int)i);
    char *text = page ? poppler_page_get_text(page) : NULL;
    char *ocr_text = NULL;
    motesok_status st = MOTESOK_OK;
    if (page != NULL && wants_ocr(ocr, page, text)) {
        if (ocr->cached != NULL && is_cached(ocr, i)) {
            t->page_how[i] = MSK_PAGE_OCR_CACHED;
            ocr_text = strdup("");
            if (ocr_text == NULL)
                st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        } else {
            double t0 = msk_now_s();
            st = msk_ocr_page(page, ocr->dpi ? ocr->dpi : MOTESOK_OCR_DEFAULT_DPI,
                              ocr->languages ? ocr->languages : MOTESOK_OCR_DEFAULT_LANGUAGES,
                              &ocr_text, err);
            t->page_how[i] = MSK_PAGE_OCR;
            double took = msk_now_s() - t0;
            t->ocr_seconds += took;
            if (ocr->page_done != NULL)
                ocr->page_done(ocr->page_done_ud, took);
        }
    }
    const char *use = ocr_text ? ocr_text : text ? text : "";
    if (st == MOTESOK_OK)
        st = msk_text_set_page(t, i, use, strlen(use), L->max_text_bytes, err);
    free(ocr_text);
    g_free(text);
    if (page != NULL)
        g_object_unref(page);
    return st;
}

/* Extract every page of doc into t; ERR_NO_TEXT if all are blank. */
static motesok_status pdf_pages(PopplerDocument *doc, motesok_text *t,
                                const motesok_extract_limits *L, const msk_ocr *ocr,
                                motesok_error *err)
{
    bool any_text = false;
    for (size_t i = 0; i < t->n_pages; i++) {
        motesok_status st = pdf_page(doc, i, t, L, ocr, err);
        if (st != MOTESOK_OK)
            return st;
        any_text = any_text || !msk_blank(t->pages[i]) || t->page_how[i] == MSK_PAGE_OCR_CACHED;
    }
    if (!any_text && (ocr == NULL || ocr->mode == MOTESOK_OCR_NEVER))
        return msk_error_set(err, MOTESOK_ERR_NO_TEXT, "PDF has no text layer (scanned?)");
    if (!any_text)
        return msk_error_set(err, MOTESOK_ERR_NO_TEXT, "PDF has no text, not even by OCR");
    return MOTESOK_OK;
}

/* Check the page count of doc against the limits. */
static motesok_status check_pages(int n, const motesok_extract_limits *L, motesok_error *err)
{
    if (n <= 0)
        return msk_error_set(err, MOTESOK_ERR_PARSE, "damaged or invalid PDF: it has no pages");
    if ((size_t)n > L->max_pages)
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG,
                             "PDF has %d pages, more than the limit of %zu", n, L->max_pages);
    return MOTESOK_OK;
}

motesok_status motesok_extract_pdf_buffer(const void *buf, size_t len,
                                          const motesok_extract_limits *lim, motesok_text **out,
                                          motesok_error *err)
{
    return msk_extract_pdf_ocr(buf, len, lim, NULL, out, err);
}

motesok_status msk_extract_pdf_ocr(const void *buf, size_t len, const motesok_extract_limits *lim,
                                   const msk_ocr *ocr, motesok_text **out, motesok_error *err)
{
    *out = NULL;
    g_once(&quiet_once, install_quiet, NULL);
    motesok_extract_limits L = msk_limits(lim, true);
    char have[32], limit[32];
    if (len > L.max_input_bytes)
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG, "PDF of %s exceeds the limit of %s",
                             msk_size_text(have, len), msk_size_text(limit, L.max_input_bytes));
    /* poppler reads the caller's bytes in place; doc is gone before we return */
    GBytes *bytes = g_bytes_new_static(len ? buf : "", len);
    GError *e = NULL;
    last_log[0] = '\0';
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &e);
    g_bytes_unref(bytes);
    if (doc == NULL)
        return pdf_error(e, err);
    g_clear_error(&e);
    int n_pages = poppler_document_get_n_pages(doc);
    motesok_status st = check_pages(n_pages, &L, err);
    motesok_text *t = NULL;
    if (st == MOTESOK_OK) {
        t = msk_text_new((size_t)n_pages, "PDF");
        if (t != NULL && (t->page_how = calloc((size_t)n_pages, 1)) == NULL) {
            motesok_text_free(t);
            t = NULL;
        }
        if (t == NULL)
            st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    if (st == MOTESOK_OK) {
        t->title = pdf_title(doc);
        t->created = pdf_created(doc);
        st = pdf_pages(doc, t, &L, ocr, err);
    }
    g_object_unref(doc);
    if (st != MOTESOK_OK) {
        motesok_text_free(t);
        return st;
    }
    *out = t;
    return MOTESOK_OK;
}
