/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the search page and the document view, rendered as HTML on
 * the server from the library's typed results (no JavaScript needed).
 *
 * Every text that does not come from this file goes through one escaping
 * function, sd_html_text(); URLs are built with sd_url_part() and then
 * escaped like any text. Each page function returns a whole HTML document
 * in Norwegian Bokmål (caller frees with free()) and its length in *len,
 * or NULL when out of memory or past SD_HTML_MAX bytes. */
#ifndef SD_HTML_H
#define SD_HTML_H

#include <motesok/search.h>

#include <stdbool.h>
#include <stddef.h>

#define SD_HTML_MAX (64u << 20) /* no page grows past this */
#define SD_PAGE_HITS 20u        /* hits per results page */

/* A growing text buffer bounded by max bytes; after a failure (no memory,
 * or past max) it stays failed and ignores what is added. */
typedef struct sd_buf {
    char *data; /* NUL-terminated while not failed */
    size_t len, cap, max;
    bool failed;
} sd_buf;

/* Start an empty buffer that may grow to max bytes. */
void sd_buf_init(sd_buf *b, size_t max);

/* Append n bytes of s as they are (markup this file writes). */
void sd_buf_add(sd_buf *b, const char *s, size_t n);

/* Append the string s as it is (markup this file writes). */
void sd_buf_str(sd_buf *b, const char *s);

/* Append s[0..n) as HTML text, safe in element content and in quoted
 * attribute values: & < > " ' escaped, control bytes other than tab and
 * newline dropped, bytes that are not UTF-8 shown as U+FFFD. The only
 * escaping function of the pages. */
void sd_html_text(sd_buf *b, const char *s, size_t n);

/* Append s percent-encoded for a URL's path segment or query value
 * (everything but A-Z a-z 0-9 - . _ ~). */
void sd_url_part(sd_buf *b, const char *s);

/* The buffer's text, taken over by the caller (free()), its length in
 * *len; NULL (the buffer freed) if it failed. */
char *sd_buf_take(sd_buf *b, size_t *len);

/* Release a buffer's memory (when its text is not taken). */
void sd_buf_free(sd_buf *b);

/* What the search page was asked for (the URL's parameters): q, organ,
 * kommune, from, to (NULL when absent), sort and the 1-based page. */
typedef struct sd_page_params {
    const char *q, *organ, *kommune, *from, *to;
    bool sort_date;
    unsigned page;
} sd_page_params;

/* What the search page shows beside the form. */
typedef enum sd_page_state {
    SD_PAGE_FORM,     /* no search asked: the form and a short help */
    SD_PAGE_RESULTS,  /* res holds the answer (hits, or none) */
    SD_PAGE_BAD,      /* the search was refused: message says why */
    SD_PAGE_NO_INDEX, /* the index cannot be opened (not built yet) */
    SD_PAGE_ERROR,    /* the search failed: message says why */
} sd_page_state;

/* The search page's content. */
typedef struct sd_page_view {
    sd_page_params p;
    sd_page_state state;
    const motesok_search_result *res; /* when SD_PAGE_RESULTS */
    const char *message;              /* Norwegian, when SD_PAGE_BAD/ERROR */
    bool show_paths;                  /* show each hit's path on the server */
} sd_page_view;

/* The search page: form, messages, hits, facets, chips and paging. */
char *sd_html_search_page(const sd_page_view *v, size_t *len);

/* The document view's content: pages first_page… of the document (their
 * texts in texts[0..n_texts), and when known the same texts HTML-escaped
 * with the query's words in <mark> — motesok_searcher_highlight's — in
 * marked[0..n_texts)), the query, and the page of the hit (0: none). */
typedef struct sd_doc_view {
    const motesok_document *doc;
    const char *const *texts;
    const char *const *marked; /* NULL, or per text NULL: shown unmarked */
    size_t n_texts;
    unsigned first_page;
    const char *q;
    unsigned hit_page;
    bool show_paths;
} sd_doc_view;

/* The document view: header, case list with decisions, the text page by
 * page with the query's words marked, link to the original file. */
char *sd_html_document_page(const sd_doc_view *v, size_t *len);

/* A small page that says what went wrong: title and message in
 * Norwegian, with the search form under it. */
char *sd_html_error_page(const char *title, const char *message, size_t *len);

/* The search page's JavaScript (served at /sok.js): optional, it only
 * improves the page. */
extern const char sd_html_script[];
extern const size_t sd_html_script_len;

/* Norwegian words for a refused search request, from the library's
 * message about it (English); never NULL. */
const char *sd_html_bad_request(const char *library_message);

#endif
