/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesokd: the search page and the document view as HTML (sd_html.h).
 * Markup is written here as literals; every other string (queries, names,
 * titles, texts, paths, URLs) goes through sd_html_text(). */
#include "sd_html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FACET_VALUES 12     /* values shown per facet */
#define DECISION_BYTES 400  /* of a hit's decision or proposal */
#define MAX_PAGE_NUMBER (MOTESOK_MAX_OFFSET / SD_PAGE_HITS + 1)

/* ======================================================================== */
/* buffer and escaping                                                      */
/* ======================================================================== */

void sd_buf_init(sd_buf *b, size_t max)
{
    *b = (sd_buf){.max = max};
}

/* Make room for n more bytes and the NUL; false (and failed) if not. */
static bool reserve(sd_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (n > b->max || b->len > b->max - n) {
        b->failed = true;
        return false;
    }
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void sd_buf_add(sd_buf *b, const char *s, size_t n)
{
    if (n == 0 || !reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sd_buf_str(sd_buf *b, const char *s)
{
    sd_buf_add(b, s, strlen(s));
}

/* Append a printf-formatted string: only numbers and this file's markup. */
static void buf_fmt(sd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_fmt(sd_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->failed = true;
        return;
    }
    sd_buf_add(b, tmp, (size_t)n);
}

void sd_html_text(sd_buf *b, const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0, run = 0; /* run: bytes from i - run on that need no escape */
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        const char *rep = NULL;
        if (k < 0) {
            rep = "\xEF\xBF\xBD"; /* U+FFFD */
            k = 1;
        } else if (c == '&') {
            rep = "&amp;";
        } else if (c == '<') {
            rep = "&lt;";
        } else if (c == '>') {
            rep = "&gt;";
        } else if (c == '"') {
            rep = "&quot;";
        } else if (c == '\'') {
            rep = "&#39;";
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            rep = "";
        }
        if (rep == NULL) {
            run += (size_t)k;
        } else {
            sd_buf_add(b, s + i - run, run);
            sd_buf_str(b, rep);
            run = 0;
        }
        i += (size_t)k;
    }
    sd_buf_add(b, s + i - run, run);
}

/* Append the string s (NULL: nothing) as HTML text. */
static void text(sd_buf *b, const char *s)
{
    if (s != NULL)
        sd_html_text(b, s, strlen(s));
}

void sd_url_part(sd_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            sd_buf_add(b, (const char *)p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sd_buf_add(b, esc, 3);
        }
    }
}

char *sd_buf_take(sd_buf *b, size_t *len)
{
    if (b->failed || b->data == NULL) {
        sd_buf_free(b);
        return NULL;
    }
    char *out = b->data;
    *len = b->len;
    *b = (sd_buf){.max = b->max};
    return out;
}

void sd_buf_free(sd_buf *b)
{
    free(b->data);
    *b = (sd_buf){.max = b->max};
}

/* True if s is NULL or "". */
static bool empty(const char *s)
{
    return s == NULL || *s == '\0';
}

/* ======================================================================== */
/* URLs                                                                     */
/* ======================================================================== */

/* Append "&key=value" (or "?key=value" first) when value is set. */
static void url_param(sd_buf *u, const char *key, const char *value)
{
    if (empty(value))
        return;
    sd_buf_str(u, u->len == 0 || strchr(u->data, '?') == NULL ? "?" : "&");
    sd_buf_str(u, key);
    sd_buf_str(u, "=");
    sd_url_part(u, value);
}

/* Append, as an HTML attribute value, the URL of the search page for p. */
static void search_url(sd_buf *b, const sd_page_params *p)
{
    sd_buf u;
    sd_buf_init(&u, 64 * 1024);
    sd_buf_str(&u, "/sok");
    url_param(&u, "q", p->q);
    url_param(&u, "organ", p->organ);
    url_param(&u, "kommune", p->kommune);
    url_param(&u, "from", p->from);
    url_param(&u, "to", p->to);
    if (p->sort_date)
        url_param(&u, "sort", "date");
    if (p->page > 1) {
        char n[16];
        snprintf(n, sizeof n, "%u", p->page);
        url_param(&u, "page", n);
    }
    if (u.failed)
        b->failed = true;
    else
        sd_html_text(b, u.data, u.len);
    sd_buf_free(&u);
}

/* Append the URL of the document view of id for query q at page (0: none),
 * as an HTML attribute value. */
static void document_url(sd_buf *b, const char *id, const char *q, int64_t page)
{
    sd_buf u;
    sd_buf_init(&u, 64 * 1024);
    sd_buf_str(&u, "/dokument/");
    sd_url_part(&u, id);
    url_param(&u, "q", q);
    if (page > 0) {
        char n[24];
        snprintf(n, sizeof n, "%lld", (long long)page);
        url_param(&u, "page", n);
        sd_buf_str(&u, "#side-");
        sd_buf_str(&u, n);
    }
    if (u.failed)
        b->failed = true;
    else
        sd_html_text(b, u.data, u.len);
    sd_buf_free(&u);
}

/* Append the URL of the original file of id, opened at page (0: none). */
static void original_url(sd_buf *b, const char *id, int64_t page)
{
    sd_buf u;
    sd_buf_init(&u, 1024);
    sd_buf_str(&u, "/dokument/");
    sd_url_part(&u, id);
    sd_buf_str(&u, "/original");
    if (page > 0) {
        char n[32];
        snprintf(n, sizeof n, "#page=%lld", (long long)page);
        sd_buf_str(&u, n);
    }
    if (u.failed)
        b->failed = true;
    else
        sd_html_text(b, u.data, u.len);
    sd_buf_free(&u);
}

/* Append " · " and a link to each other original file of the meeting (the
 * twin of shown: the same minutes as TXT or PDF). */
static void other_files(sd_buf *b, const motesok_file_ref *f, size_t n, const char *shown)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].id == NULL || (shown != NULL && strcmp(f[i].id, shown) == 0))
            continue;
        sd_buf_str(b, " · <a class=\"twin\" href=\"");
        original_url(b, f[i].id, 0);
        sd_buf_str(b, "\">Samme møte som ");
        bool pdf = f[i].type != NULL && strcmp(f[i].type, "pdf") == 0;
        bool txt = f[i].type != NULL && strcmp(f[i].type, "txt") == 0;
        sd_buf_str(b, pdf ? "PDF" : txt ? "tekst" : "fil");
        sd_buf_str(b, "</a>");
    }
}

/* ======================================================================== */
/* shared parts                                                             */
/* ======================================================================== */

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1d;background:#fff}"
    "header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}"
    "h1.lead{font-size:1rem;font-weight:400;color:#555}article h1{font-size:1.6rem}"
    "header{padding-top:1rem}.home{font-size:1.5rem;font-weight:700;color:#1d1d1d;"
    "text-decoration:none}"
    "a{color:#0b5394}a:focus,input:focus,select:focus,button:focus{outline:3px solid #f5a623}"
    "form{margin:1rem 0}label{display:block;font-weight:600}"
    ".row{display:flex;gap:.5rem;flex-wrap:wrap}"
    "input,select,button{font:inherit;padding:.4rem .5rem;border:1px solid #777;border-radius:4px}"
    "#q{flex:1 1 14rem;min-width:0}button{background:#0b5394;color:#fff;border-color:#0b5394}"
    ".filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:.6rem}"
    ".filters div{flex:0 1 10rem}.filters input,.filters select{width:100%}"
    ".filters label{font-weight:400;font-size:.9rem}"
    ".chips{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}"
    ".chips a{display:inline-block;padding:.1rem .6rem;border:1px solid #0b5394;"
    "border-radius:1rem;text-decoration:none}"
    ".layout{display:flex;gap:2rem;align-items:flex-start}"
    ".results{flex:1;min-width:0}.facets{flex:0 0 15rem}"
    ".facets h2{font-size:1rem;margin:1rem 0 .3rem}.facets ul{list-style:none;padding:0;margin:0}"
    ".hits{list-style:none;padding:0}.hit{margin:0 0 1.4rem}"
    ".hit h2{font-size:1.15rem;margin:0}.meta{color:#555;font-size:.9rem}.ocr{color:#767676}"
    ".snippet{margin:.2rem 0}.decision{font-size:.95rem;margin:.2rem 0}"
    ".path{color:#555;font-size:.85rem;word-break:break-all}"
    "mark{background:#ffe58a;color:inherit}.msg{padding:.6rem .8rem;border-left:4px solid #0b5394;"
    "background:#f2f6fb}.err{border-color:#b00020;background:#fdf0f2}"
    ".paging{display:flex;flex-wrap:wrap;gap:.3rem .8rem;margin:1rem 0}"
    ".paging [aria-current]{font-weight:700}"
    "dl.head{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}"
    "dl.head dt{font-weight:600}dl.head dd{margin:0}"
    ".cases li{margin-bottom:.8rem}.cases h3{font-size:1rem;margin:0}"
    ".page h3{font-size:.95rem;color:#555;border-top:1px solid #ccc;padding-top:.4rem}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.95rem}"
    "footer{color:#555;font-size:.85rem;margin-top:2rem;padding-bottom:2rem}"
    "@media (max-width:40rem){.layout{display:block}.facets{border-top:1px solid #ccc}"
    "header,main,footer{padding:0 .6rem}}";

/* Open the document: head with title (HTML text), style, script. */
static void page_head(sd_buf *b, const char *title)
{
    sd_buf_str(b, "<!doctype html>\n<html lang=\"nb\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>");
    if (!empty(title)) {
        text(b, title);
        sd_buf_str(b, " – ");
    }
    sd_buf_str(b, "Møtesøk</title>\n<style>");
    sd_buf_str(b, css);
    sd_buf_str(b, "</style>\n<script src=\"/sok.js\" defer></script>\n</head><body>\n"
                  "<header><a class=\"home\" href=\"/\">Møtesøk</a></header>\n<main>\n");
}

/* Close main, add the footer and end the document. */
static void page_end(sd_buf *b)
{
    sd_buf_str(b, "</main>\n<footer><p>Søk med ord, «fraser» i anførselstegn, OG/ELLER/IKKE, "
                  "tittel:, vedtak:, organ:, kommune:, sak:56/09 og dato:2017..2018.</p>"
                  "</footer>\n</body></html>\n");
}

/* Append a hidden field name=value when value is set. */
static void hidden(sd_buf *b, const char *name, const char *value)
{
    if (empty(value))
        return;
    sd_buf_str(b, "<input type=\"hidden\" name=\"");
    sd_buf_str(b, name);
    sd_buf_str(b, "\" value=\"");
    text(b, value);
    sd_buf_str(b, "\">");
}

/* Append a labelled text field of the filters. */
static void filter_field(sd_buf *b, const char *name, const char *label, const char *value)
{
    buf_fmt(b, "<div><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" "
               "inputmode=\"numeric\" placeholder=\"ÅÅÅÅ-MM-DD\" value=\"",
            name, label, name, name);
    text(b, value);
    sd_buf_str(b, "\"></div>");
}

/* The search form: query, dates, sort; the organ and kommune filters ride
 * along hidden (their chips remove them). */
static void search_form(sd_buf *b, const sd_page_params *p)
{
    sd_buf_str(b, "<form role=\"search\" method=\"get\" action=\"/sok\">\n"
                  "<label for=\"q\">Søk i møtebøker</label>\n<div class=\"row\">"
                  "<input type=\"search\" id=\"q\" name=\"q\" value=\"");
    text(b, p->q);
    sd_buf_str(b, "\" placeholder=\"f.eks. legevakt\" autocomplete=\"off\">"
                  "<button type=\"submit\">Søk</button></div>\n<div class=\"filters\">");
    filter_field(b, "from", "Fra dato", p->from);
    filter_field(b, "to", "Til dato", p->to);
    buf_fmt(b, "<div><label for=\"sort\">Sortering</label><select id=\"sort\" name=\"sort\">"
               "<option value=\"relevance\"%s>Mest relevant</option>"
               "<option value=\"date\"%s>Nyeste først</option></select></div>",
            p->sort_date ? "" : " selected", p->sort_date ? " selected" : "");
    sd_buf_str(b, "</div>");
    hidden(b, "organ", p->organ);
    hidden(b, "kommune", p->kommune);
    sd_buf_str(b, "\n</form>\n");
}

/* Append date (YYYY-MM-DD) as DD.MM.YYYY; other forms as they are. */
static void date_text(sd_buf *b, const char *date)
{
    if (date != NULL && strlen(date) == 10 && date[4] == '-' && date[7] == '-') {
        char d[11] = {date[8], date[9], '.', date[5], date[6], '.',
                      date[0], date[1], date[2], date[3], '\0'};
        text(b, d);
    } else {
        text(b, date);
    }
}

/* The file name of path (after its last '/'). */
static const char *base_name(const char *path)
{
    const char *slash = path != NULL ? strrchr(path, '/') : NULL;
    return slash != NULL ? slash + 1 : path;
}

/* Append s cut to at most max bytes at a character boundary, "…" when cut. */
static void text_cut(sd_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        sd_html_text(b, s, n);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    sd_html_text(b, s, max);
    sd_buf_str(b, "…");
}

/* Append a case's vote in words, " (enstemmig)" or " (20 mot 7)". */
static void vote_text(sd_buf *b, const motesok_case_info *c)
{
    if (!c->has_vote)
        return;
    if (c->vote.outcome != NULL && strcmp(c->vote.outcome, "enstemmig") == 0)
        sd_buf_str(b, " (enstemmig)");
    else if (c->vote.votes_for != MOTESOK_NO_NUMBER && c->vote.votes_against != MOTESOK_NO_NUMBER)
        buf_fmt(b, " (%lld mot %lld)", (long long)c->vote.votes_for,
                (long long)c->vote.votes_against);
    else if (c->vote.outcome != NULL)
        buf_fmt(b, " (%s)", strcmp(c->vote.outcome, "flertall") == 0 ? "flertall" : "votert");
}

/* Append a case's decision (or proposal) as a paragraph, cut to max bytes
 * (0: whole). */
static void decision_text(sd_buf *b, const motesok_case_info *c, size_t max)
{
    const char *what = !empty(c->decision) ? c->decision : c->proposal;
    if (empty(what))
        return;
    sd_buf_str(b, "<p class=\"decision\"><b>");
    sd_buf_str(b, !empty(c->decision) ? "Vedtak" : "Innstilling");
    if (!empty(c->decision))
        vote_text(b, c);
    sd_buf_str(b, ":</b> ");
    if (max > 0)
        text_cut(b, what, max);
    else
        text(b, what);
    sd_buf_str(b, "</p>");
}

/* Append the title to show for a file: its title, else its file name. */
static void title_text(sd_buf *b, const char *title, const char *path)
{
    text(b, !empty(title) ? title : !empty(base_name(path)) ? base_name(path) : "Uten tittel");
}

/* ======================================================================== */
/* the search page                                                          */
/* ======================================================================== */

/* Append a message box; err: an error's colours. */
static void message(sd_buf *b, bool err, const char *html_title, const char *msg)
{
    sd_buf_str(b, err ? "<div class=\"msg err\">" : "<div class=\"msg\">");
    if (html_title != NULL) {
        sd_buf_str(b, "<p><strong>");
        sd_buf_str(b, html_title);
        sd_buf_str(b, "</strong></p>");
    }
    if (msg != NULL) {
        sd_buf_str(b, "<p>");
        text(b, msg);
        sd_buf_str(b, "</p>");
    }
    sd_buf_str(b, "</div>\n");
}

/* Append one hit. */
static void hit_html(sd_buf *b, const sd_page_view *v, const motesok_hit *h)
{
    sd_buf_str(b, "<li class=\"hit\"><h2><a href=\"");
    document_url(b, h->id, v->p.q, h->page > 0 ? h->page : 0);
    sd_buf_str(b, "\">");
    title_text(b, h->title, h->path);
    sd_buf_str(b, "</a></h2>\n<p class=\"meta\">");
    const char *sep = "";
    if (!empty(h->organ)) {
        text(b, h->organ);
        sep = " · ";
    }
    if (!empty(h->kommune)) {
        sd_buf_str(b, sep);
        text(b, h->kommune);
        sep = " · ";
    }
    if (!empty(h->date)) {
        sd_buf_str(b, sep);
        date_text(b, h->date);
        sep = " · ";
    }
    if (h->matched_case != NULL && !empty(h->matched_case->number)) {
        sd_buf_str(b, sep);
        sd_buf_str(b, "sak ");
        text(b, h->matched_case->number);
        sep = " · ";
    }
    if (h->page > 0) {
        sd_buf_str(b, sep);
        buf_fmt(b, "side %lld", (long long)h->page);
    }
    if (h->ocr) /* the text was read from a scan: it may hold reading errors */
        sd_buf_str(b, " <span class=\"ocr\" title=\"Teksten på denne siden er lest maskinelt "
                      "fra et skannet bilde (OCR) og kan inneholde lesefeil\">(skannet, OCR)</span>");
    /* the library's snippet: its text is HTML-escaped, its only markup <mark> */
    sd_buf_str(b, "</p>\n<p class=\"snippet\">");
    sd_buf_str(b, h->snippet != NULL ? h->snippet : "");
    sd_buf_str(b, "</p>\n");
    if (h->matched_case != NULL)
        decision_text(b, h->matched_case, DECISION_BYTES);
    sd_buf_str(b, "<p class=\"meta\"><a href=\"");
    original_url(b, h->id, h->page > 0 ? h->page : 0);
    if (h->page > 0)
        buf_fmt(b, "\">Åpne originalfilen (side %lld)</a>", (long long)h->page);
    else
        sd_buf_str(b, "\">Åpne originalfilen</a>");
    other_files(b, h->files, h->n_files, h->id);
    sd_buf_str(b, "</p>\n");
    if (v->show_paths) {
        sd_buf_str(b, "<p class=\"path\">");
        text(b, h->path);
        sd_buf_str(b, "</p>\n");
    }
    sd_buf_str(b, "</li>\n");
}

/* The number of the last results page for total hits (at least 1). */
static unsigned last_page(uint64_t total)
{
    uint64_t n = (total + SD_PAGE_HITS - 1) / SD_PAGE_HITS;
    return n < 1 ? 1 : n > MAX_PAGE_NUMBER ? MAX_PAGE_NUMBER : (unsigned)n;
}

/* Append a link to results page n (its text: label, or the number). */
static void page_link(sd_buf *b, const sd_page_params *p, unsigned n, const char *label,
                      const char *rel)
{
    sd_page_params q = *p;
    q.page = n;
    sd_buf_str(b, "<a href=\"");
    search_url(b, &q);
    sd_buf_str(b, "\"");
    if (rel != NULL)
        buf_fmt(b, " rel=\"%s\"", rel);
    if (n == p->page)
        sd_buf_str(b, " aria-current=\"page\"");
    sd_buf_str(b, ">");
    if (label != NULL)
        sd_buf_str(b, label);
    else
        buf_fmt(b, "%u", n);
    sd_buf_str(b, "</a>");
}

/* Paging: previous, a few numbers around this page, next. */
static void paging(sd_buf *b, const sd_page_params *p, uint64_t total)
{
    unsigned last = last_page(total), cur = p->page;
    if (last <= 1 && cur <= 1)
        return;
    sd_buf_str(b, "<nav class=\"paging\" aria-label=\"Sider\">");
    if (cur > 1)
        page_link(b, p, cur - 1, "← Forrige", "prev");
    unsigned lo = cur > 3 ? cur - 2 : 1, hi = cur + 2 < last ? cur + 2 : last;
    if (lo > 1) {
        page_link(b, p, 1, NULL, NULL);
        if (lo > 2)
            sd_buf_str(b, "<span>…</span>");
    }
    for (unsigned n = lo; n <= hi; n++)
        page_link(b, p, n, NULL, NULL);
    if (hi < last) {
        if (hi + 1 < last)
            sd_buf_str(b, "<span>…</span>");
        page_link(b, p, last, NULL, NULL);
    }
    if (cur < last)
        page_link(b, p, cur + 1, "Neste →", "next");
    sd_buf_str(b, "</nav>\n");
}

/* True if the year facet value y is the active from/to. */
static bool year_active(const sd_page_params *p, const char *y)
{
    return !empty(p->from) && !empty(p->to) && strcmp(p->from, y) == 0 && strcmp(p->to, y) == 0;
}

/* Append one chip: a link to p (without the filter) labelled "label: value". */
static void chip(sd_buf *b, const sd_page_params *without, const char *label, const char *value)
{
    sd_buf_str(b, "<li><a href=\"");
    search_url(b, without);
    sd_buf_str(b, "\" aria-label=\"Fjern filteret ");
    sd_buf_str(b, label);
    sd_buf_str(b, ": ");
    text(b, value);
    sd_buf_str(b, "\">");
    sd_buf_str(b, label);
    sd_buf_str(b, ": ");
    text(b, value);
    sd_buf_str(b, " ✕</a></li>");
}

/* The active filters as chips that remove them. */
static void chips(sd_buf *b, const sd_page_params *p)
{
    if (empty(p->organ) && empty(p->kommune) && empty(p->from) && empty(p->to))
        return;
    sd_buf_str(b, "<ul class=\"chips\" aria-label=\"Aktive filtre\">");
    sd_page_params w = *p;
    w.page = 1;
    if (!empty(p->organ)) {
        sd_page_params x = w;
        x.organ = NULL;
        chip(b, &x, "Organ", p->organ);
    }
    if (!empty(p->kommune)) {
        sd_page_params x = w;
        x.kommune = NULL;
        chip(b, &x, "Kommune", p->kommune);
    }
    if (year_active(p, p->from)) {
        sd_page_params x = w;
        x.from = x.to = NULL;
        chip(b, &x, "År", p->from);
    } else {
        if (!empty(p->from)) {
            sd_page_params x = w;
            x.from = NULL;
            chip(b, &x, "Fra", p->from);
        }
        if (!empty(p->to)) {
            sd_page_params x = w;
            x.to = NULL;
            chip(b, &x, "Til", p->to);
        }
    }
    sd_buf_str(b, "</ul>\n");
}

/* One facet's values as links that add the filter (the active one as
 * plain text). */
static void facet_html(sd_buf *b, const sd_page_params *p, const motesok_facet *f)
{
    bool organ = strcmp(f->name, "organ") == 0, kommune = strcmp(f->name, "kommune") == 0;
    bool year = strcmp(f->name, "year") == 0;
    if (f->n_values == 0 || (!organ && !kommune && !year))
        return;
    sd_buf_str(b, "<section><h2>");
    sd_buf_str(b, organ ? "Organ" : kommune ? "Kommune" : "År");
    sd_buf_str(b, "</h2><ul>");
    for (size_t i = 0; i < f->n_values && i < FACET_VALUES; i++) {
        const motesok_facet_value *fv = &f->values[i];
        sd_page_params x = *p;
        x.page = 1;
        const char *active = organ ? p->organ : kommune ? p->kommune : NULL;
        bool on = year ? year_active(p, fv->value)
                       : active != NULL && strcmp(active, fv->value) == 0;
        sd_buf_str(b, "<li>");
        if (on) {
            sd_buf_str(b, "<strong>");
            text(b, fv->value);
            sd_buf_str(b, "</strong>");
        } else {
            if (organ)
                x.organ = fv->value;
            else if (kommune)
                x.kommune = fv->value;
            else
                x.from = x.to = fv->value;
            sd_buf_str(b, "<a href=\"");
            search_url(b, &x);
            sd_buf_str(b, "\">");
            text(b, fv->value);
            sd_buf_str(b, "</a>");
        }
        buf_fmt(b, " <span class=\"meta\">(%llu)</span></li>", (unsigned long long)fv->count);
    }
    sd_buf_str(b, "</ul></section>\n");
}

/* The "Mente du" line: the suggestion as a search with the same filters. */
static void suggestion(sd_buf *b, const sd_page_params *p, const motesok_search_result *r)
{
    if (empty(r->suggestion))
        return;
    sd_page_params x = *p;
    x.q = r->suggestion;
    x.page = 1;
    sd_buf_str(b, "<p>Mente du: <a id=\"forslag\" href=\"");
    search_url(b, &x);
    sd_buf_str(b, "\">");
    text(b, r->suggestion);
    sd_buf_str(b, "</a>?");
    if (r->suggestion_searched)
        sd_buf_str(b, " <span class=\"meta\">(tatt med i søket)</span>");
    sd_buf_str(b, "</p>\n");
}

/* The summary line: "1–20 av 157 treff" and notes on how it was found. */
static void summary(sd_buf *b, const sd_page_view *v, const motesok_search_result *r)
{
    if (r->n_hits == 0) {
        sd_buf_str(b, "<p><strong>Ingen treff");
        if (!empty(v->p.q)) {
            sd_buf_str(b, " for «");
            text(b, v->p.q);
            sd_buf_str(b, "»");
        }
        sd_buf_str(b, r->offset > 0 && r->total > 0 ? " på denne siden." : ".");
        sd_buf_str(b, "</strong> Prøv andre eller færre ord, fjern et filter, eller bruk en "
                      "kortere form av ordet (f.eks. legevakt* for alle former).</p>\n");
        return;
    }
    buf_fmt(b, "<p><strong>%u–%u av %s%llu treff</strong>", r->offset + 1,
            r->offset + (unsigned)r->n_hits, r->total_exact ? "" : "ca. ",
            (unsigned long long)r->total);
    sd_buf_str(b, v->p.sort_date ? ", nyeste først." : ", mest relevante først.");
    sd_buf_str(b, "</p>\n");
    if (r->any_word)
        sd_buf_str(b, "<p class=\"meta\">Få eller ingen treff med alle ordene; viser treff "
                      "med minst ett av dem.</p>\n");
    if (r->limited != 0)
        sd_buf_str(b, "<p class=\"meta\">Søket ble avgrenset (for mange ord, jokertegn eller "
                      "for lang tid); noen treff kan mangle.</p>\n");
}

/* The results: status region, chips, hits with paging, facets. */
static void results(sd_buf *b, const sd_page_view *v)
{
    const motesok_search_result *r = v->res;
    sd_buf_str(b, "<div id=\"status\" role=\"status\" aria-live=\"polite\">\n");
    suggestion(b, &v->p, r);
    summary(b, v, r);
    sd_buf_str(b, "</div>\n");
    chips(b, &v->p);
    sd_buf_str(b, "<div class=\"layout\"><section class=\"results\" aria-label=\"Treff\">\n");
    if (r->n_hits > 0) {
        buf_fmt(b, "<ol class=\"hits\" start=\"%u\">\n", r->offset + 1);
        for (size_t i = 0; i < r->n_hits; i++)
            hit_html(b, v, &r->hits[i]);
        sd_buf_str(b, "</ol>\n");
    }
    paging(b, &v->p, r->total);
    sd_buf_str(b, "</section>\n");
    bool any = false;
    for (size_t i = 0; i < r->n_facets; i++)
        any = any || r->facets[i].n_values > 0;
    if (any) {
        sd_buf_str(b, "<aside class=\"facets\" aria-label=\"Avgrens søket\">\n");
        for (size_t i = 0; i < r->n_facets; i++)
            facet_html(b, &v->p, &r->facets[i]);
        sd_buf_str(b, "</aside>\n");
    }
    sd_buf_str(b, "</div>\n");
}

char *sd_html_search_page(const sd_page_view *v, size_t *len)
{
    sd_buf b;
    sd_buf_init(&b, SD_HTML_MAX);
    page_head(&b, v->state == SD_PAGE_FORM ? NULL : v->p.q);
    sd_buf_str(&b, "<h1 class=\"lead\">Søk i møtebøker, protokoller og referater</h1>\n");
    search_form(&b, &v->p);
    switch (v->state) {
    case SD_PAGE_FORM:
        sd_buf_str(&b, "<div id=\"status\" role=\"status\" aria-live=\"polite\"></div>\n");
        break;
    case SD_PAGE_RESULTS: results(&b, v); break;
    case SD_PAGE_BAD:
        sd_buf_str(&b, "<div id=\"status\" role=\"status\" aria-live=\"polite\">");
        message(&b, true, "Søket kunne ikke utføres.", v->message);
        sd_buf_str(&b, "</div>\n");
        break;
    case SD_PAGE_NO_INDEX:
        sd_buf_str(&b, "<div id=\"status\" role=\"status\" aria-live=\"polite\">");
        message(&b, true, "Søket er ikke tilgjengelig ennå.",
                "Søkeindeksen er ikke bygget, eller den kan ikke åpnes akkurat nå. Prøv igjen "
                "senere; vedvarer feilen, står årsaken i tjenerens logg.");
        sd_buf_str(&b, "</div>\n");
        break;
    case SD_PAGE_ERROR:
        sd_buf_str(&b, "<div id=\"status\" role=\"status\" aria-live=\"polite\">");
        message(&b, true, "Noe gikk galt under søket.", v->message);
        sd_buf_str(&b, "</div>\n");
        break;
    }
    page_end(&b);
    return sd_buf_take(&b, len);
}

char *sd_html_error_page(const char *title, const char *msg, size_t *len)
{
    sd_buf b;
    sd_buf_init(&b, 1u << 20);
    page_head(&b, title);
    sd_page_params none = {.page = 1};
    search_form(&b, &none);
    sd_buf_str(&b, "<div id=\"status\" role=\"status\" aria-live=\"polite\">");
    sd_buf_str(&b, "<div class=\"msg err\"><p><strong>");
    text(&b, title);
    sd_buf_str(&b, "</strong></p><p>");
    text(&b, msg);
    sd_buf_str(&b, "</p></div></div>\n");
    page_end(&b);
    return sd_buf_take(&b, len);
}

const char *sd_html_bad_request(const char *m)
{
    if (m == NULL)
        return "Søket er ugyldig.";
    if (strncmp(m, "from:", 5) == 0)
        return "«Fra dato» er ikke en dato: skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.";
    if (strncmp(m, "to:", 3) == 0)
        return "«Til dato» er ikke en dato: skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.";
    if (strncmp(m, "from (", 6) == 0)
        return "«Fra dato» er etter «Til dato».";
    if (strstr(m, "longer than") != NULL)
        return "Søket er for langt (høyst 4096 byte).";
    if (strstr(m, "UTF-8") != NULL && strncmp(m, "query", 5) == 0)
        return "Søket inneholder tegn som ikke kan leses (ikke UTF-8).";
    if (strncmp(m, "organ", 5) == 0)
        return "Organet er ugyldig (for langt eller ulesbare tegn).";
    if (strncmp(m, "kommune", 7) == 0)
        return "Kommunen er ugyldig (for lang eller ulesbare tegn).";
    if (strncmp(m, "offset", 6) == 0)
        return "Sidenummeret er for høyt.";
    return "Søket er ugyldig.";
}

/* ======================================================================== */
/* the document view                                                        */
/* ======================================================================== */

/* Append one row of the header: a term and its value, when known. */
static void head_row(sd_buf *b, const char *term, const char *value, bool date)
{
    if (empty(value))
        return;
    sd_buf_str(b, "<dt>");
    sd_buf_str(b, term);
    sd_buf_str(b, "</dt><dd>");
    if (date)
        date_text(b, value);
    else
        text(b, value);
    sd_buf_str(b, "</dd>");
}

/* True if mime is a PDF's. */
static bool is_pdf(const char *mime)
{
    return mime != NULL && strncmp(mime, "application/pdf", 15) == 0;
}

/* Append a link to page n of the document view: within this view when
 * the page is shown, else to the view of that page. */
static void doc_page_link(sd_buf *b, const sd_doc_view *v, int64_t n, const char *label)
{
    sd_buf_str(b, "<a href=\"");
    if (n >= v->first_page && n < (int64_t)(v->first_page + v->n_texts))
        buf_fmt(b, "#side-%lld", (long long)n);
    else
        document_url(b, v->doc->id, v->q, n);
    sd_buf_str(b, "\">");
    if (label != NULL)
        sd_buf_str(b, label);
    else
        buf_fmt(b, "side %lld", (long long)n);
    sd_buf_str(b, "</a>");
}

/* The case list (sakskart): number, title, decision with vote, page. */
static void case_list(sd_buf *b, const sd_doc_view *v)
{
    const motesok_document *d = v->doc;
    if (d->n_cases == 0)
        return;
    sd_buf_str(b, "<section aria-labelledby=\"saker\"><h2 id=\"saker\">Saker</h2>"
                  "<ol class=\"cases\">\n");
    for (size_t i = 0; i < d->n_cases; i++) {
        const motesok_case_info *c = &d->cases[i];
        sd_buf_str(b, "<li><h3>");
        if (!empty(c->number)) {
            sd_buf_str(b, "Sak ");
            text(b, c->number);
            if (!empty(c->title))
                sd_buf_str(b, ": ");
        }
        text(b, c->title);
        sd_buf_str(b, "</h3>");
        decision_text(b, c, 0);
        if (c->page > 0) {
            sd_buf_str(b, "<p class=\"meta\">");
            doc_page_link(b, v, c->page, NULL);
            sd_buf_str(b, "</p>");
        }
        sd_buf_str(b, "</li>\n");
    }
    sd_buf_str(b, "</ol></section>\n");
}

/* Links to the views before and after this one's pages. */
static void text_paging(sd_buf *b, const sd_doc_view *v)
{
    int64_t pages = v->doc->pages;
    int64_t last = (int64_t)v->first_page + (int64_t)v->n_texts - 1;
    if (v->first_page <= 1 && last >= pages)
        return;
    buf_fmt(b, "<nav class=\"paging\" aria-label=\"Sider i dokumentet\"><span>Viser side "
               "%u–%lld av %lld</span>",
            v->first_page, (long long)last, (long long)pages);
    if (v->first_page > 1)
        doc_page_link(b, v, (int64_t)v->first_page - 1, "← Forrige sider");
    if (last < pages)
        doc_page_link(b, v, last + 1, "Neste sider →");
    sd_buf_str(b, "</nav>\n");
}

char *sd_html_document_page(const sd_doc_view *v, size_t *len)
{
    const motesok_document *d = v->doc;
    sd_buf b;
    sd_buf_init(&b, SD_HTML_MAX);
    page_head(&b, !empty(d->title) ? d->title : base_name(d->path));
    sd_buf_str(&b, "<article><h1>");
    title_text(&b, d->title, d->path);
    sd_buf_str(&b, "</h1>\n<dl class=\"head\">");
    head_row(&b, "Organ", d->organ, false);
    head_row(&b, "Kommune", d->kommune, false);
    head_row(&b, "Dato", d->date, true);
    head_row(&b, "Sted", d->place, false);
    sd_buf_str(&b, "</dl>\n<p><a id=\"original\" href=\"");
    original_url(&b, d->id, is_pdf(d->mime) && v->hit_page > 0 ? v->hit_page : 0);
    sd_buf_str(&b, "\">");
    if (is_pdf(d->mime) && v->hit_page > 0)
        buf_fmt(&b, "Åpne originalfilen (PDF, side %u)", v->hit_page);
    else
        sd_buf_str(&b, is_pdf(d->mime) ? "Åpne originalfilen (PDF)"
                                       : "Åpne originalfilen (tekst)");
    sd_buf_str(&b, "</a>");
    other_files(&b, d->files, d->n_files, d->id);
    if (!empty(v->q)) {
        sd_page_params back = {.q = v->q, .page = 1};
        sd_buf_str(&b, " · <a href=\"");
        search_url(&b, &back);
        sd_buf_str(&b, "\">Tilbake til søket</a>");
    }
    sd_buf_str(&b, "</p>\n");
    if (v->show_paths) {
        sd_buf_str(&b, "<p class=\"path\">");
        text(&b, d->path);
        sd_buf_str(&b, "</p>\n");
    }
    case_list(&b, v);
    sd_buf_str(&b, "<section aria-labelledby=\"tekst\"><h2 id=\"tekst\">Tekst</h2>\n");
    text_paging(&b, v);
    for (size_t i = 0; i < v->n_texts; i++) {
        unsigned n = v->first_page + (unsigned)i;
        buf_fmt(&b, "<section class=\"page\" id=\"side-%u\"><h3>Side %u</h3>"
                    "<div class=\"text\">", n, n);
        if (v->marked != NULL && v->marked[i] != NULL) {
            sd_buf_str(&b, v->marked[i]); /* the library's: escaped, <mark> its only markup */
        } else {
            const char *s = v->texts[i] != NULL ? v->texts[i] : "";
            sd_html_text(&b, s, strlen(s));
        }
        sd_buf_str(&b, "</div></section>\n");
    }
    text_paging(&b, v);
    sd_buf_str(&b, "</section></article>\n");
    page_end(&b);
    return sd_buf_take(&b, len);
}

/* ======================================================================== */
/* the script                                                               */
/* ======================================================================== */

/* Optional: keeps a token given as #token=… in a cookie for the pages
 * (a daemon with --token-file), and submits the form when the sort
 * changes. The pages work the same without it. */
const char sd_html_script[] =
    "(function(){\n"
    "var m=/^#token=(.+)$/.exec(location.hash);\n"
    "if(m){document.cookie='motesok_token='+m[1]+';path=/;SameSite=Strict';\n"
    "  history.replaceState(null,'',location.pathname+location.search);location.reload();return;}\n"
    "var s=document.getElementById('sort');\n"
    "if(s&&s.form)s.addEventListener('change',function(){s.form.submit();});\n"
    "})();\n";
const size_t sd_html_script_len = sizeof sd_html_script - 1;
