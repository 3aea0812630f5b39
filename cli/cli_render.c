/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok CLI: rendering the daemon's JSON for a terminal. */
#include "cli_render.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Append n bytes of s to a growing string. */
static void put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = (*cap ? *cap * 2 : 128) + n;
        char *p = realloc(*buf, c);
        if (p == NULL)
            return;
        *buf = p;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

char *cli_snippet_text(const char *html, bool bold)
{
    static const struct { const char *from, *to; } subs[] = {
        {"<mark>", BOLD}, {"</mark>", RESET}, {"&amp;", "&"}, {"&lt;", "<"},
        {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
    };
    char *buf = NULL;
    size_t len = 0, cap = 0;
    put(&buf, &len, &cap, "", 0);
    for (const char *p = html; *p != '\0';) {
        size_t k = 0;
        for (; k < sizeof subs / sizeof *subs; k++)
            if (strncmp(p, subs[k].from, strlen(subs[k].from)) == 0)
                break;
        if (k == sizeof subs / sizeof *subs) {
            put(&buf, &len, &cap, p++, 1);
            continue;
        }
        if (k >= 2 || bold)
            put(&buf, &len, &cap, subs[k].to, strlen(subs[k].to));
        p += strlen(subs[k].from);
    }
    return buf;
}

/* Display width of UTF-8 text, ignoring ANSI escapes (1 column per char). */
static int text_width(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\033') {
            while (i < n && s[i] != 'm')
                i++;
            continue;
        }
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    }
    return w;
}

/* Print text word-wrapped at width: the first line starts with first, the
 * others are indented by as many columns. */
static void wrap_label(FILE *out, const char *text, int width, const char *first)
{
    int indent_w = text_width(first, strlen(first));
    char indent[64];
    snprintf(indent, sizeof indent, "%*s", indent_w < 60 ? indent_w : 60, "");
    int avail = width - indent_w;
    if (avail < 20)
        avail = 20;
    int col = 0;
    const char *p = text;
    fputs(first, out);
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e != '\0' && *e != ' ')
            e++;
        if (e == p)
            break;
        int w = text_width(p, (size_t)(e - p));
        if (col > 0 && col + 1 + w > avail) {
            fprintf(out, "\n%s", indent);
            col = 0;
        } else if (col > 0) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, (size_t)(e - p), out);
        col += w;
        p = e;
    }
    fputc('\n', out);
}

/* Print text word-wrapped at width with the same indent on every line. */
static void wrap(FILE *out, const char *text, int width, const char *indent)
{
    wrap_label(out, text, width, indent);
}

/* A string member or NULL. */
static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The last path component of p. */
static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : (p ? p : "");
}

/* The vote of case c in words ("enstemmig", "15 mot 12", "flertall") into
 * out, or "" when none is stated. */
static const char *vote_words(json_t *c, char *out, size_t cap)
{
    json_t *v = json_object_get(c, "vote");
    const char *outcome = str(v, "outcome");
    json_t *yes = json_object_get(v, "for"), *no = json_object_get(v, "against");
    if (json_is_integer(yes) && json_is_integer(no))
        snprintf(out, cap, "%lld mot %lld", (long long)json_integer_value(yes),
                 (long long)json_integer_value(no));
    else
        snprintf(out, cap, "%s", outcome ? outcome : "");
    return out;
}

/* The label of a case's decision ("Vedtak: ", "Vedtak (enstemmig): ") or,
 * when it has only a proposal, "Innstilling: ", after indent; into out. */
static const char *decision_label(json_t *c, bool decided, const char *indent, char *out,
                                  size_t cap)
{
    char vote[64];
    vote_words(c, vote, sizeof vote);
    if (!decided)
        snprintf(out, cap, "%sInnstilling: ", indent);
    else if (*vote != '\0')
        snprintf(out, cap, "%sVedtak (%s): ", indent, vote);
    else
        snprintf(out, cap, "%sVedtak: ", indent);
    return out;
}

/* Print one hit. */
static void render_hit(FILE *out, json_t *h, const cli_style *st)
{
    const char *title = str(h, "title");
    const char *path = str(h, "path");
    fprintf(out, "%s%2lld. %s%s\n", st->bold ? BOLD : "",
            (long long)json_integer_value(json_object_get(h, "rank")),
            title && *title ? title : base_name(path), st->bold ? RESET : "");
    const char *organ = str(h, "organ"), *kommune = str(h, "kommune"), *date = str(h, "date");
    json_t *c = json_object_get(h, "case");
    if (organ || kommune || date || json_is_object(c)) {
        const char *sep = "";
        fputs("    ", out);
        if (organ) {
            fprintf(out, "%s", organ);
            sep = " · ";
        }
        if (kommune) {
            fprintf(out, "%s%s", sep, kommune);
            sep = " · ";
        }
        if (date) {
            fprintf(out, "%s%s", sep, date);
            sep = " · ";
        }
        if (json_is_object(c))
            fprintf(out, "%ssak %s %s", sep, str(c, "number") ? str(c, "number") : "",
                    str(c, "title") ? str(c, "title") : "");
        fputc('\n', out);
    }
    json_t *page = json_object_get(h, "page");
    const char *id = str(h, "id");
    fprintf(out, "    id %s · %s", id ? id : "?", path ? path : "");
    if (json_is_integer(page))
        fprintf(out, ", side %lld", (long long)json_integer_value(page));
    fputc('\n', out);
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(h, "files"), k, f) { /* its twin: the same meeting */
        const char *fid = str(f, "id"), *fpath = str(f, "path"), *type = str(f, "type");
        if (fid != NULL && id != NULL && strcmp(fid, id) == 0)
            continue;
        fprintf(out, "    også som %s: id %s · %s\n", type ? type : "fil", fid ? fid : "?",
                fpath ? fpath : "");
    }
    const char *decision = json_is_object(c) ? str(c, "decision") : NULL;
    bool decided = decision != NULL && *decision != '\0';
    if (!decided && json_is_object(c))
        decision = str(c, "proposal");
    if (decision != NULL && *decision != '\0') {
        char label[96];
        decision_label(c, decided, "    ", label, sizeof label);
        if (st->long_text) {
            wrap_label(out, decision, st->width, label);
        } else { /* one line: the snippet, not the decision, is what matched */
            int cols = st->width - text_width(label, strlen(label));
            char *line = cli_one_line(decision, cols < 20 ? 20 : cols);
            fprintf(out, "%s%s\n", label, line != NULL ? line : "");
            free(line);
        }
    }
    const char *snip = str(h, "snippet");
    if (snip != NULL && *snip != '\0') {
        char *t = cli_snippet_text(snip, st->bold);
        if (t != NULL)
            wrap(out, t, st->width, "    ");
        free(t);
    }
}

/* text with each run of white space as one space, none at either end,
 * into a new string (caller frees); *width gets its columns. */
static char *collapsed(const char *text, int *width)
{
    char *out = malloc(strlen(text) + sizeof "…");
    if (out == NULL)
        return NULL;
    size_t len = 0;
    bool space = false;
    *width = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = len > 0;
            continue;
        }
        if (space) {
            out[len++] = ' ';
            (*width)++;
            space = false;
        }
        out[len++] = *p;
        *width += ((unsigned char)*p & 0xC0) != 0x80;
    }
    out[len] = '\0';
    return out;
}

char *cli_one_line(const char *text, int cols)
{
    int width = 0;
    char *s = collapsed(text, &width);
    if (s == NULL || width <= cols)
        return s;
    size_t cut = 0, last_space = 0;
    int w = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        if (w + 1 > cols - 1) { /* this character and "…" would not fit */
            if (s[i] == ' ')
                last_space = i; /* the word before it is whole */
            break;
        }
        if (s[i] == ' ')
            last_space = i;
        cut = i + 1; /* may fall inside a character: moved on below */
        w++;
    }
    /* cut at the last word end that fits; inside the first word if none */
    size_t end = last_space > 0 ? last_space : cut;
    while (s[end] != '\0' && ((unsigned char)s[end] & 0xC0) == 0x80)
        end++; /* after the whole last character */
    memcpy(s + end, "…", sizeof "…");
    return s;
}

/* Print one facet object as "name: a (3), b (1)". */
static void render_facet(FILE *out, const char *label, json_t *obj)
{
    if (!json_is_object(obj) || json_object_size(obj) == 0)
        return;
    fprintf(out, "%s: ", label);
    const char *k;
    json_t *v;
    bool first = true;
    json_object_foreach(obj, k, v) {
        fprintf(out, "%s%s (%lld)", first ? "" : ", ", k, (long long)json_integer_value(v));
        first = false;
    }
    fputc('\n', out);
}

/* The printable form of string x (common/term.h) as a new JSON string, or
 * NULL when x is already printable (or out of memory). */
static json_t *printable_string(json_t *x, bool keep_lines)
{
    char *p = msk_term_escaped(json_string_value(x), keep_lines);
    json_t *j = p != NULL && strcmp(p, json_string_value(x)) != 0 ? json_string(p) : NULL;
    free(p);
    return j;
}

/* Replace every string in v (recursively) by its printable form: names,
 * titles and text from the index reach a terminal. */
static void make_printable(json_t *v, bool keep_lines)
{
    const char *k;
    size_t i;
    json_t *x, *p;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) {
            if (!json_is_string(x))
                make_printable(x, keep_lines);
            else if ((p = printable_string(x, keep_lines)) != NULL)
                json_object_set_new(v, k, p);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            if (!json_is_string(x))
                make_printable(x, keep_lines);
            else if ((p = printable_string(x, keep_lines)) != NULL)
                json_array_set_new(v, i, p);
        }
    }
}

/* One line when a bound cut the search's work ("limited"), naming the
 * bounds ("limited_by"). */
static void render_limited(FILE *out, json_t *res)
{
    if (!json_is_true(json_object_get(res, "limited")))
        return;
    fprintf(out, "Søket ble avgrenset");
    json_t *by = json_object_get(res, "limited_by"), *name;
    size_t i;
    json_array_foreach(by, i, name) {
        if (json_is_string(name))
            fprintf(out, "%s%s", i == 0 ? " (" : ", ", json_string_value(name));
    }
    fprintf(out, "%s; treffene kan være ufullstendige.\n", json_array_size(by) > 0 ? ")" : "");
}

void cli_render_search(FILE *out, json_t *res, const cli_style *st)
{
    make_printable(res, false);
    long long total = (long long)json_integer_value(json_object_get(res, "total"));
    json_t *hits = json_object_get(res, "hits");
    const char *q = str(res, "query");
    const char *sugg = str(res, "suggestion");
    if (sugg != NULL)
        fprintf(out, json_is_true(json_object_get(res, "suggestion_searched"))
                         ? "Mente du: %s (tatt med i søket)\n" : "Mente du: %s\n", sugg);
    if (json_is_true(json_object_get(res, "any_word")) && total > 0)
        fprintf(out, json_is_true(json_object_get(res, "any_part"))
                         ? "Få eller ingen treff med alle ordene; viser treff med minst ett av "
                           "dem eller av delene i de sammensatte ordene.\n"
                         : "Få eller ingen treff med alle ordene; viser treff med minst ett av dem.\n");
    render_limited(out, res);
    /* " for «q»", or nothing for a list without words (search --decisions) */
    char what[64 + 4096 * 4];
    snprintf(what, sizeof what, q != NULL && *q != '\0' ? " for «%s»" : "%s", q ? q : "");
    if (total == 0) {
        fprintf(out, "Ingen treff%s.\n", what);
        return;
    }
    long long offset = (long long)json_integer_value(json_object_get(res, "offset"));
    if (json_array_size(hits) == 0) {
        fprintf(out, "Ingen treff fra nr. %lld; det er %s%lld treff%s.\n", offset + 1,
                json_is_true(json_object_get(res, "total_exact")) ? "" : "omtrent ", total, what);
        return;
    }
    fprintf(out, "%lld treff%s (%.1f ms); viser %lld–%lld\n\n", total, what,
            json_number_value(json_object_get(res, "took_ms")), offset + 1,
            offset + (long long)json_array_size(hits));
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        render_hit(out, h, st);
        fputc('\n', out);
    }
    json_t *facets = json_object_get(res, "facets");
    render_facet(out, "Organ", json_object_get(facets, "organ"));
    render_facet(out, "Kommune", json_object_get(facets, "kommune"));
    render_facet(out, "År", json_object_get(facets, "year"));
}

void cli_render_facet_list(FILE *out, json_t *res, const char *facet)
{
    make_printable(res, false);
    json_t *obj = json_object_get(json_object_get(res, "facets"), facet);
    if (json_object_size(obj) == 0) {
        fprintf(out, "Ingen verdier.\n");
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
        fprintf(out, "%6lld  %s\n", (long long)json_integer_value(v), k);
}

/* Print "label: value" when value is a non-null scalar, wrapped at width. */
static void field(FILE *out, const char *label, json_t *v, int width)
{
    char first[64];
    int pad = 13 - text_width(label, strlen(label));
    snprintf(first, sizeof first, "%s%*s", label, pad > 1 ? pad : 1, "");
    if (json_is_string(v))
        wrap_label(out, json_string_value(v), width, first);
    else if (json_is_integer(v))
        fprintf(out, "%s%lld\n", first, (long long)json_integer_value(v));
}

void cli_render_document(FILE *out, json_t *doc, const cli_style *st)
{
    make_printable(doc, false);
    const char *title = str(doc, "title");
    fprintf(out, "%s%s%s\n", st->bold ? BOLD : "", title ? title : base_name(str(doc, "path")),
            st->bold ? RESET : "");
    static const char *const keys[][2] = {
        {"id", "ID:"}, {"path", "Fil:"}, {"organ", "Organ:"}, {"kommune", "Kommune:"},
        {"date", "Dato:"},
        {"place", "Sted:"}, {"present", "Til stede:"}, {"absent", "Forfall:"},
        {"referent", "Referent:"},
        {"pages", "Sider:"}, {"mime", "Type:"}, {"encoding", "Koding:"}, {"status", "Status:"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        field(out, keys[i][1], json_object_get(doc, keys[i][0]), st->width);
    size_t k;
    json_t *f;
    const char *id = str(doc, "id");
    json_array_foreach(json_object_get(doc, "files"), k, f) { /* the twin: the same meeting */
        const char *fid = str(f, "id"), *type = str(f, "type");
        if (fid == NULL || (id != NULL && strcmp(fid, id) == 0))
            continue;
        char label[64];
        snprintf(label, sizeof label, "Også som %s:", type ? type : "fil");
        field(out, label, json_object_get(f, "path"), st->width);
        field(out, "", json_object_get(f, "id"), st->width);
    }
    json_t *cases = json_object_get(doc, "cases");
    if (json_array_size(cases) == 0)
        return;
    fprintf(out, "\nSaker:\n");
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
        fprintf(out, "  %-10s %s", str(c, "number") ? str(c, "number") : "",
                str(c, "title") ? str(c, "title") : "");
        json_t *page = json_object_get(c, "page");
        if (json_is_integer(page))
            fprintf(out, " (side %lld)", (long long)json_integer_value(page));
        fputc('\n', out);
        char label[96];
        const char *p = str(c, "proposal"), *d = str(c, "decision");
        if (p != NULL && (d == NULL || strcmp(p, d) != 0))
            wrap_label(out, p, st->width, decision_label(c, false, "             ", label,
                                                         sizeof label));
        if (d != NULL)
            wrap_label(out, d, st->width, decision_label(c, true, "             ", label,
                                                         sizeof label));
    }
}

void cli_render_text(FILE *out, json_t *text)
{
    make_printable(text, true);
    const char *t = str(text, "text");
    fputs(t ? t : "", out);
    if (t && *t && t[strlen(t) - 1] != '\n')
        fputc('\n', out);
}

/* The status's OCR line: pages the last run read (and the time a page
 * took, with a decimal comma), cache hits, pages kept. */
static void print_status_ocr(FILE *out, json_t *ocr)
{
    fprintf(out, "OCR:            %lld sider lest sist",
            (long long)json_integer_value(json_object_get(ocr, "last_run_pages")));
    json_t *per = json_object_get(ocr, "last_run_seconds_per_page");
    if (json_is_number(per)) {
        char secs[32];
        snprintf(secs, sizeof secs, "%.1f", json_number_value(per));
        char *dot = strchr(secs, '.');
        if (dot != NULL)
            *dot = ',';
        fprintf(out, " (%s s per side)", secs);
    }
    fprintf(out, ", %lld fra lagret OCR-tekst; %lld sider lagret\n",
            (long long)json_integer_value(json_object_get(ocr, "last_run_cache_hits")),
            (long long)json_integer_value(json_object_get(ocr, "pages_kept")));
}

void cli_render_status(FILE *out, json_t *status)
{
    make_printable(status, false);
    static const char *const keys[][2] = {
        {"documents", "Dokumenter:"}, {"cases", "Saker:"}, {"failed", "Feilet:"},
        {"unsupported", "Ikke støttet:"}, {"revision", "Revisjon:"}, {"last_run", "Siste kjøring:"},
        {"index_bytes", "Indeks (byte):"}, {"shards", "Indeksdeler:"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        json_t *v = json_object_get(status, keys[i][0]);
        if (!json_is_string(v) && !json_is_integer(v))
            continue;
        int pad = 16 - text_width(keys[i][1], strlen(keys[i][1]));
        fprintf(out, "%s%*s", keys[i][1], pad > 1 ? pad : 1, "");
        if (json_is_string(v))
            fprintf(out, "%s\n", json_string_value(v));
        else
            fprintf(out, "%lld\n", (long long)json_integer_value(v));
    }
    json_t *ocr = json_object_get(status, "ocr");
    if (json_is_object(ocr))
        print_status_ocr(out, ocr);
    /* the daemon analyses queries with other data than built the index */
    json_t *an = json_object_get(status, "analysis");
    if (json_is_false(json_object_get(an, "same")))
        fprintf(out, "Språkanalyse:   %s\n",
                json_is_string(json_object_get(an, "index"))
                    ? "endret siden indekseringen: kjør motesok-index på nytt og start motesokd på nytt"
                    : "ikke registrert i indeksen: kjør motesok-index på nytt");
    json_t *f = json_object_get(status, "failures");
    if (json_object_size(f) == 0)
        return;
    fprintf(out, "Feil etter årsak:\n");
    const char *k;
    json_t *v;
    json_object_foreach(f, k, v)
        fprintf(out, "  %-20s %lld\n", k, (long long)json_integer_value(v));
}

void cli_render_failures(FILE *out, json_t *list)
{
    make_printable(list, false);
    json_t *files = json_object_get(list, "files");
    long long total = (long long)json_integer_value(json_object_get(list, "total"));
    long long offset = (long long)json_integer_value(json_object_get(list, "offset"));
    size_t n = json_array_size(files);
    if (total == 0) {
        fprintf(out, "Ingen filer feilet.\n");
        return;
    }
    if (n == 0) {
        fprintf(out, "%lld filer feilet eller støttes ikke; ingen fra nr. %lld.\n", total, offset + 1);
        return;
    }
    fprintf(out, "%lld filer feilet eller støttes ikke; viser %lld–%lld (nyeste først):\n", total,
            offset + 1, offset + (long long)n);
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        fprintf(out, "%s\n    %s, %s: %s\n", str(f, "path") ? str(f, "path") : "",
                str(f, "status") ? str(f, "status") : "", str(f, "reason") ? str(f, "reason") : "",
                str(f, "message") ? str(f, "message") : "");
    }
}

const char *cli_error_message(json_t *body, const char **code)
{
    make_printable(body, false);
    json_t *e = json_object_get(body, "error");
    if (code != NULL)
        *code = str(e, "code");
    return str(e, "message");
}
