/* PDF extraction with poppler-glib, one string per page. */
#include "extract_internal.h"

#include <glib.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

static GOnce quiet_once = G_ONCE_INIT;

/* Drop poppler's own warnings about damaged files: we report them ourselves. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer ud)
{
    (void)domain; (void)level; (void)msg; (void)ud;
}

/* Install the quiet handler for poppler's log domain once. */
static gpointer install_quiet(gpointer ud)
{
    (void)ud;
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet_log, NULL);
    return NULL;
}

/* Map a poppler GError to a status with its message. */
static motesok_status pdf_error(GError *e, motesok_error *err)
{
    motesok_status code = MOTESOK_ERR_PARSE;
    if (e != NULL && e->domain == POPPLER_ERROR && e->code == POPPLER_ERROR_ENCRYPTED)
        code = MOTESOK_ERR_ENCRYPTED;
    motesok_status st = code == MOTESOK_ERR_ENCRYPTED
        ? msk_error_set(err, code, "PDF is password-protected (%s)", e->message)
        : msk_error_set(err, code, "damaged or invalid PDF: %s", e ? e->message : "unknown error");
    if (e != NULL)
        g_error_free(e);
    return st;
}

/* Title from the PDF's metadata, trimmed; NULL if none or blank. */
static char *pdf_title(PopplerDocument *doc)
{
    gchar *t = poppler_document_get_title(doc);
    if (t == NULL)
        return NULL;
    char *norm = NULL;
    size_t n = 0;
    if (motesok_normalize_text(g_strstrip(t), strlen(t), &norm, &n, NULL) != MOTESOK_OK)
        norm = NULL;
    g_free(t);
    if (norm != NULL && msk_blank(norm)) {
        free(norm);
        norm = NULL;
    }
    return norm;
}

/* Extract every page of doc into t. */
static motesok_status pdf_pages(PopplerDocument *doc, motesok_text *t,
                                const motesok_extract_limits *L, motesok_error *err)
{
    bool any_text = false;
    for (size_t i = 0; i < t->n_pages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, (int)i);
        char *text = page ? poppler_page_get_text(page) : NULL;
        motesok_status st = msk_text_set_page(t, i, text ? text : "", text ? strlen(text) : 0,
                                              L->max_text_bytes, err);
        g_free(text);
        if (page != NULL)
            g_object_unref(page);
        if (st != MOTESOK_OK)
            return st;
        any_text = any_text || !msk_blank(t->pages[i]);
    }
    if (!any_text)
        return msk_error_set(err, MOTESOK_ERR_NO_TEXT, "PDF has no text layer (scanned?)");
    return MOTESOK_OK;
}

motesok_status motesok_extract_pdf_buffer(const void *buf, size_t len,
                                          const motesok_extract_limits *lim, motesok_text **out,
                                          motesok_error *err)
{
    *out = NULL;
    g_once(&quiet_once, install_quiet, NULL);
    motesok_extract_limits L = msk_limits(lim, true);
    if (len > L.max_input_bytes)
        return msk_error_set(err, MOTESOK_ERR_TOO_BIG, "PDF of %zu MiB exceeds the limit of %zu MiB",
                             len >> 20, L.max_input_bytes >> 20);
    GBytes *bytes = g_bytes_new_static(buf, len);
    GError *e = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &e);
    g_bytes_unref(bytes);
    if (doc == NULL)
        return pdf_error(e, err);
    int n = poppler_document_get_n_pages(doc);
    motesok_status st = MOTESOK_OK;
    if (n <= 0)
        st = msk_error_set(err, MOTESOK_ERR_PARSE, "PDF has no pages");
    else if ((size_t)n > L.max_pages)
        st = msk_error_set(err, MOTESOK_ERR_TOO_BIG, "PDF has %d pages, more than the limit of %zu",
                           n, L.max_pages);
    motesok_text *t = st == MOTESOK_OK ? msk_text_new((size_t)n, "PDF") : NULL;
    if (st == MOTESOK_OK && t == NULL)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    if (st == MOTESOK_OK) {
        t->title = pdf_title(doc);
        t->created = (int64_t)poppler_document_get_creation_date(doc);
        st = pdf_pages(doc, t, &L, err);
    }
    g_object_unref(doc);
    if (st != MOTESOK_OK) {
        motesok_text_free(t);
        return st;
    }
    *out = t;
    return MOTESOK_OK;
}
