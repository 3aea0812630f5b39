/* Minutes structure: organ, date, attendance, cases and decisions
 * (include/motesok/minutes.h). Works on lines; every pass is linear. */
#define _GNU_SOURCE /* memmem */
#include "internal.h"
#include "motesok/minutes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define HEADER_LINES 40  /* non-blank lines that may hold the meeting's metadata */
#define FIELD_MAX 600    /* bytes kept of place/attendance fields */
#define TITLE_MAX 300    /* bytes kept of a case title */

/* One line of the joined text. */
typedef struct line {
    const char *p;  /* first non-blank byte */
    size_t len;     /* trimmed length */
    size_t off;     /* offset of the raw line in the joined text */
    size_t end;     /* offset just past the raw line */
    size_t page;    /* 1-based */
} line;

typedef struct doc {
    line *lines;
    size_t n;
} doc;

/* ---- lines -------------------------------------------------------------- */

/* True for ASCII blanks. */
static bool blank_ch(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Split pages into trimmed lines; false on allocation failure. */
static bool split_lines(const char *const *pages, const size_t *lens, size_t n_pages, doc *d)
{
    size_t cap = 64, off = 0;
    d->lines = malloc(cap * sizeof *d->lines);
    d->n = 0;
    if (d->lines == NULL)
        return false;
    for (size_t pg = 0; pg < n_pages; pg++) {
        const char *s = pages[pg], *end = pages[pg] + lens[pg];
        while (s <= end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            const char *e = nl ? nl : end;
            if (d->n == cap) {
                cap *= 2;
                line *l = realloc(d->lines, cap * sizeof *l);
                if (l == NULL)
                    return false;
                d->lines = l;
            }
            const char *a = s, *b = e;
            while (a < b && blank_ch(*a))
                a++;
            while (b > a && blank_ch(b[-1]))
                b--;
            d->lines[d->n++] = (line){a, (size_t)(b - a), off + (size_t)(s - pages[pg]),
                                      off + (size_t)(e - pages[pg]), pg + 1};
            if (nl == NULL)
                break;
            s = nl + 1;
        }
        off += lens[pg] + 1; /* the '\f' between pages */
    }
    return true;
}

/* Index of the next non-blank line at or after i (d->n if none). */
static size_t next_filled(const doc *d, size_t i)
{
    while (i < d->n && d->lines[i].len == 0)
        i++;
    return i;
}

/* True if line l starts with word w (exact case) followed by a non-letter. */
static bool starts_word(const line *l, const char *w)
{
    size_t n = strlen(w);
    return l->len >= n && memcmp(l->p, w, n) == 0 &&
           (l->len == n || !isalpha((unsigned char)l->p[n]));
}

/* Copy at most max bytes of s (cut at a character boundary), collapsing
 * white space; NULL on allocation failure. */
static char *copy_clean(const char *s, size_t len, size_t max)
{
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        out[n++] = s[i];
    }
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
            n--;
    }
    out[n] = '\0';
    return out;
}

/* ---- the meeting date ---------------------------------------------------- */

/* Labels in front of the meeting date. */
static const char *const date_labels[] = {
    "Møtedato", "Møtetidspunkt", "Møtetid", "Tidspunkt", "Dato", "Tid", "Date", "Møtestad og tid",
};

/* Write the first date of line l as YYYY-MM-DD into out; false if none. */
static bool line_date(const line *l, char out[11])
{
    int y, m, d;
    if (motesok_parse_date(l->p, l->len, &y, &m, &d, NULL, NULL) != MOTESOK_OK)
        return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return true;
}

/* True if line l begins with a date label. */
static bool date_label(const line *l)
{
    for (size_t k = 0; k < sizeof date_labels / sizeof *date_labels; k++)
        if (starts_word(l, date_labels[k]))
            return true;
    return false;
}

/* The meeting date: a labelled date in the header, else the header's first
 * date. Dates inside cases (e.g. "referat frå møte 26.01.18") never win. */
static void find_date(const doc *d, size_t header_end, char out[11])
{
    out[0] = '\0';
    for (size_t i = 0; i < header_end; i++) {
        if (!date_label(&d->lines[i]))
            continue;
        for (size_t j = i, seen = 0; j < header_end && seen < 4; j++) {
            if (d->lines[j].len == 0)
                continue;
            seen++;
            if (line_date(&d->lines[j], out))
                return;
        }
    }
    for (size_t i = 0; i < header_end; i++)
        if (line_date(&d->lines[i], out))
            return;
}

/* ---- the organ ---------------------------------------------------------- */

/* Word stems of organ names, matched case-folded at a word start. */
static const char *const organ_stems[] = {
    "rådmannsutval", "rådmannsgrupp", "regionråd", "kommunestyre", "formannskap", "bystyre",
    "fylkesting", "fylkesutval", "kontrollutval", "hovudutval", "hovedutvalg", "eldreråd",
    "ungdomsråd", "styringsgrupp", "arbeidsutval", "samarbeidsråd", "nettverk", "utvalg",
    "utvalet", "utval ", "komite", "komité", "nemnd", "representantskap", "styret", "rådet",
    "levekårsutval", "planutval", "driftsutval",
};

/* Leading words of a title line that are not part of the organ's name. */
static const char *const lead_words[] = {
    "utskrift", "av", "referat", "protokoll", "møteprotokoll", "møtebok", "fra", "frå",
    "møte", "møtet", "i", "for", "-", "–",
};

/* True if folded text (case-folded UTF-8) holds an organ stem, also inside
 * a compound ("kommunegruppenettverk"). */
static bool has_organ_stem(const char *folded)
{
    for (size_t k = 0; k < sizeof organ_stems / sizeof *organ_stems; k++)
        if (strstr(folded, organ_stems[k]) != NULL)
            return true;
    return false;
}

/* Byte length of s up to the first date, " – "/" - " or ':' tail. */
static size_t organ_extent(const char *s, size_t len)
{
    size_t n = len;
    int y, m, d;
    size_t at = 0;
    if (motesok_parse_date(s, len, &y, &m, &d, &at, NULL) == MOTESOK_OK && at < n)
        n = at;
    const char *cuts[] = {" – ", " - ", " — ", ":", ","};
    for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
        const char *c = memmem(s, n, cuts[k], strlen(cuts[k]));
        if (c != NULL)
            n = (size_t)(c - s);
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '-'))
        n--;
    return n;
}

/* True if s has letters and none of them is lower-case (ASCII or Latin). */
static bool shouting(const char *s)
{
    bool letters = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t c;
    for (utf8proc_ssize_t n; *p != '\0'; p += n) {
        n = utf8proc_iterate(p, -1, &c);
        if (n < 1)
            return false;
        if (utf8proc_islower(c))
            return false;
        letters = letters || utf8proc_isupper(c);
    }
    return letters;
}

/* Capitalise the first letter of a case-folded UTF-8 word in place when
 * its upper-case form has the same byte length. */
static void capitalise(char *w)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)w, -1, &c);
    if (n < 1)
        return;
    utf8proc_uint8_t up[4];
    if (utf8proc_encode_char(utf8proc_toupper(c), up) == n)
        memcpy(w, up, (size_t)n);
}

/* Display form of an organ name: SHOUTING becomes "Regionrådet for Hallingdal";
 * short acronyms (RAG, KS) stay as they are. */
static char *organ_display(const char *s, size_t len)
{
    char *raw = copy_clean(s, len, 120);
    if (raw == NULL || !shouting(raw) || strlen(raw) <= 5)
        return raw;
    char *f = msk_casefold(raw);
    free(raw);
    if (f == NULL)
        return NULL;
    bool capital_next = true;
    for (char *p = f; *p != '\0';) {
        char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool small = (n == 3 && !strncmp(p, "for", 3)) || (n == 1 && *p == 'i') ||
                     (n == 2 && !strncmp(p, "og", 2));
        if (capital_next && !small)
            capitalise(p);
        capital_next = small; /* place names follow "for"/"i" */
        p += n;
        while (*p == ' ')
            p++;
    }
    return f;
}

/* The organ named after a phrase like "møte i " or "Møtet gjaldt ". */
static char *organ_after_phrase(const line *l)
{
    static const char *const phrases[] = {"Møtet gjaldt ", "møte i ", "møtet i ", "Møte i ",
                                          "Organ: ", "Utval: ", "Utvalg: ", "Organ ", "Utvalg "};
    for (size_t k = 0; k < sizeof phrases / sizeof *phrases; k++) {
        const char *p = memmem(l->p, l->len, phrases[k], strlen(phrases[k]));
        if (p == NULL)
            continue;
        p += strlen(phrases[k]);
        size_t rest = l->len - (size_t)(p - l->p);
        size_t n = organ_extent(p, rest);
        if (n > 0)
            return organ_display(p, n);
    }
    return NULL;
}

/* The organ named by a title line, without its leading "Referat fra" words. */
static char *organ_from_title(const line *l)
{
    char *text = copy_clean(l->p, l->len, 200);
    char *f = text ? msk_casefold(text) : NULL;
    char *organ = NULL;
    if (f != NULL && has_organ_stem(f)) {
        const char *p = text;
        for (bool skipped = true; skipped;) {
            skipped = false;
            for (size_t k = 0; k < sizeof lead_words / sizeof *lead_words; k++) {
                size_t n = strlen(lead_words[k]);
                if (strncasecmp(p, lead_words[k], n) == 0 && p[n] == ' ') {
                    p += n + 1;
                    skipped = true;
                }
            }
        }
        size_t n = organ_extent(p, strlen(p));
        if (n > 0)
            organ = organ_display(p, n);
    }
    free(f);
    free(text);
    return organ;
}

/* The organ: a named phrase in the header, else a title line with an organ word. */
static char *find_organ(const doc *d, size_t header_end)
{
    size_t seen = 0;
    for (size_t i = 0; i < header_end && seen < 8; i++) {
        if (d->lines[i].len == 0)
            continue;
        seen++;
        char *o = organ_after_phrase(&d->lines[i]);
        if (o != NULL)
            return o;
    }
    seen = 0;
    for (size_t i = 0; i < header_end && seen < 6; i++) {
        if (d->lines[i].len == 0)
            continue;
        seen++;
        char *o = organ_from_title(&d->lines[i]);
        if (o != NULL)
            return o;
    }
    return NULL;
}

/* ---- attendance and place ----------------------------------------------- */

/* Join the trimmed text of lines [a, b] with spaces (at most FIELD_MAX bytes). */
static char *join_lines(const doc *d, size_t a, size_t b)
{
    msk_buf buf = {.max = FIELD_MAX * 4};
    for (size_t i = a; i <= b; i++) {
        if (buf.len > 0)
            msk_buf_append(&buf, " ", 1);
        msk_buf_append(&buf, d->lines[i].p, d->lines[i].len);
    }
    char *out = buf.data ? copy_clean(buf.data, buf.len, FIELD_MAX) : NULL;
    msk_buf_free(&buf);
    return out;
}

static const char *const place_labels[] = {"Møtested", "Møtestad", "Sted", "Stad"};
static const char *const present_labels[] = {"Til stede", "Tilstede", "Tilstades", "Disse møtte",
                                             "Desse møtte", "Møtande medlemer", "Møtende medlemmer"};
static const char *const absent_labels[] = {"Forfall", "Meldt forfall"};
static const char *const referent_labels[] = {"Referent", "Protokollfører", "Sekretær"};

#define N_OF(a) (sizeof (a) / sizeof *(a))

/* True if l starts with any of n labels. */
static bool starts_any(const line *l, const char *const *labels, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (starts_word(l, labels[k]))
            return true;
    return false;
}

/* True if l starts with any field or date label. */
static bool any_field_label(const line *l)
{
    return date_label(l) || starts_any(l, place_labels, N_OF(place_labels)) ||
           starts_any(l, present_labels, N_OF(present_labels)) ||
           starts_any(l, absent_labels, N_OF(absent_labels)) ||
           starts_any(l, referent_labels, N_OF(referent_labels));
}

/* True if l is a bare label: a short phrase ending in ':' ("Tid:", "Sted:"). */
static bool bare_label(const line *l)
{
    return l->len > 0 && l->len <= 24 && l->p[l->len - 1] == ':';
}

/* The n-th value block (filled lines up to a blank line) from line i on. */
static char *value_block(const doc *d, size_t i, size_t end, size_t n)
{
    for (;;) {
        i = next_filled(d, i);
        if (i >= end)
            return NULL;
        size_t last = i;
        while (last + 1 < end && d->lines[last + 1].len > 0 && last - i < 8)
            last++;
        if (n == 0)
            return join_lines(d, i, last);
        n--;
        i = last + 1;
    }
}

/* A labelled field: the text after "Label:" on its line; for a bare label,
 * the value below it — in stacked labels ("Tid:" / "Sted:" then their
 * values in the same order) the value of the same rank. NULL if absent. */
static char *find_field(const doc *d, size_t header_end, const char *const *labels, size_t n_labels)
{
    for (size_t i = 0; i < header_end; i++) {
        const line *l = &d->lines[i];
        for (size_t k = 0; k < n_labels; k++) {
            if (!starts_word(l, labels[k]))
                continue;
            const char *p = l->p + strlen(labels[k]);
            const char *e = l->p + l->len;
            while (p < e && (*p == ':' || *p == ' '))
                p++;
            if (p < e) { /* the value starts on the label's line and may go on */
                size_t last = i;
                while (last + 1 < header_end && d->lines[last + 1].len > 0 &&
                       !any_field_label(&d->lines[last + 1]) && !bare_label(&d->lines[last + 1]) &&
                       last - i < 8)
                    last++;
                char *rest = last > i ? join_lines(d, i + 1, last) : NULL;
                msk_buf v = {0};
                msk_buf_append(&v, p, (size_t)(e - p));
                if (rest != NULL) {
                    msk_buf_append(&v, " ", 1);
                    msk_buf_append(&v, rest, strlen(rest));
                }
                free(rest);
                char *out = v.data ? copy_clean(v.data, v.len, FIELD_MAX) : NULL;
                msk_buf_free(&v);
                return out;
            }
            size_t rank = 0;
            for (size_t top = i; top > 0 && bare_label(&d->lines[top - 1]); top--)
                rank++; /* labels stacked above this one */
            size_t after = i + 1;
            while (after < header_end && bare_label(&d->lines[after]))
                after++; /* labels stacked below */
            size_t v = next_filled(d, after);
            if (v >= header_end || any_field_label(&d->lines[v]))
                return NULL;
            return value_block(d, after, header_end, rank);
        }
    }
    return NULL;
}

/* ---- case headings ------------------------------------------------------ */

/* Length of a case number at p ("12/2017", "49/10", "1"); 0 if none. */
static size_t case_number_len(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && i < 4 && isdigit((unsigned char)p[i]))
        i++;
    if (i == 0 || (i < len && isdigit((unsigned char)p[i])))
        return 0;
    if (i + 1 < len && p[i] == '/' && isdigit((unsigned char)p[i + 1])) {
        size_t j = i + 1;
        while (j < len && j - i <= 4 && isdigit((unsigned char)p[j]))
            j++;
        if (j - i - 1 < 2 || (j < len && isdigit((unsigned char)p[j])))
            return 0;
        i = j;
    }
    if (i < len && (isalnum((unsigned char)p[i]) || p[i] == '/' || p[i] == '-'))
        return 0;
    return i;
}

/* A heading found on a line: number and where its title starts. */
typedef struct heading {
    const char *num;
    size_t num_len;
    const char *title; /* NULL: the title is on the next filled line */
    size_t title_len;
} heading;

/* Recognise "Sak 12/2017 Tittel", "SAK49/10 TITTEL", "Sak nr. 5/18",
 * "PS 23/19 Tittel" and a lone "04/2018" line. */
static bool parse_heading(const line *l, heading *h)
{
    const char *p = l->p, *e = l->p + l->len;
    bool lone = false;
    if (starts_word(l, "Sak") || starts_word(l, "SAK")) /* also "SAK49/10" */
        p += 3;
    else if (starts_word(l, "PS"))
        p += 2;
    else
        lone = true;
    while (p < e && *p == ' ')
        p++;
    if (!lone && e - p >= 3 && (!strncmp(p, "nr.", 3) || !strncmp(p, "nr ", 3))) {
        p += 3;
        while (p < e && *p == ' ')
            p++;
    }
    size_t n = case_number_len(p, (size_t)(e - p));
    if (n == 0)
        return false;
    if (lone && (memchr(p, '/', n) == NULL || p + n != e))
        return false; /* a lone line must be exactly "NN/YYYY" */
    if (!lone && memchr(p, '/', n) == NULL && n > 2)
        return false; /* "Sak 2018 ..." is a year, not a case */
    h->num = p;
    h->num_len = n;
    const char *t = p + n;
    while (t < e && (*t == ' ' || *t == ':' || *t == '.'))
        t++;
    h->title = t < e ? t : NULL;
    h->title_len = (size_t)(e - t);
    return true;
}

/* True if the title line l continues onto the next line. */
static bool title_continues(const line *l)
{
    return l->len > 0 && (l->p[l->len - 1] == '-' || (l->len >= 3 &&
           !memcmp(l->p + l->len - 3, "\xe2\x80\x93", 3))); /* ends in a dash */
}

/* ---- decisions ---------------------------------------------------------- */

/* Labels that open decision text. */
static const char *const decision_labels[] = {
    "Forslag til vedtak", "Framlegg til vedtak", "Rådmannens innstilling", "Innstilling",
    "Tilråding", "Konklusjoner", "Konklusjon", "Vedtak", "VEDTAK", "Vedtaket",
};

/* Lines that close a decision block. */
static const char *const section_labels[] = {
    "Saksopplysing", "Saksopplysningar", "Saksopplysninger", "Saksutgreiing", "Saksutredning",
    "Bakgrunn", "Behandling", "Handsaming", "Vurdering", "Saksframlegg", "Vedlegg",
};

/* If l opens a decision, the offset of its text after the label; else -1.
 * The label stands first and ends the line, or is followed by ':' within a
 * few words ("Vedtak i Kommunestyret:", "Konklusjoner til slutt:"). */
static long decision_label(const line *l)
{
    for (size_t k = 0; k < sizeof decision_labels / sizeof *decision_labels; k++) {
        if (!starts_word(l, decision_labels[k]))
            continue;
        size_t n = strlen(decision_labels[k]);
        if (n == l->len)
            return (long)n;
        const char *colon = memchr(l->p + n, ':', l->len - n);
        if (colon != NULL && colon - l->p - (long)n <= 40)
            return (long)(colon - l->p + 1);
        return -1;
    }
    static const char *const votes[] = {"Samrøystes vedteke", "Enstemmig vedtatt", "Einstemmig vedteke"};
    for (size_t k = 0; k < sizeof votes / sizeof *votes; k++)
        if (starts_word(l, votes[k]))
            return 0;
    return -1;
}

/* True if l is a section label that ends a decision. */
static bool section_label(const line *l)
{
    for (size_t k = 0; k < sizeof section_labels / sizeof *section_labels; k++)
        if (starts_word(l, section_labels[k]))
            return true;
    return false;
}

/* Append one decision block starting at line i (label at offset from);
 * returns the index after the block. */
static size_t decision_block(const doc *d, size_t i, size_t end, long from, msk_buf *out)
{
    const line *l = &d->lines[i];
    bool content = false;
    if (out->len > 0)
        msk_buf_append(out, "\n", 1);
    if ((size_t)from < l->len) {
        const char *p = l->p + from;
        size_t n = l->len - (size_t)from;
        while (n > 0 && *p == ' ')
            p++, n--;
        if (n > 0) {
            msk_buf_append(out, p, n);
            content = true;
        }
    }
    size_t j = i + 1;
    for (; j < end; j++) {
        const line *m = &d->lines[j];
        if (m->len == 0) {
            if (content)
                break;
            continue;
        }
        if (section_label(m) || decision_label(m) >= 0)
            break;
        if (content)
            msk_buf_append(out, " ", 1);
        msk_buf_append(out, m->p, m->len);
        content = true;
    }
    return j;
}

/* Decision text of the case in lines [a, end); NULL if none. */
static char *find_decision(const doc *d, size_t a, size_t end)
{
    msk_buf out = {.max = 1 << 20};
    for (size_t i = a; i < end;) {
        long from = decision_label(&d->lines[i]);
        if (from < 0) {
            i++;
            continue;
        }
        i = decision_block(d, i, end, from, &out);
    }
    char *text = out.len ? copy_clean(out.data, out.len, 1 << 20) : NULL;
    msk_buf_free(&out);
    return text;
}

/* ---- cases -------------------------------------------------------------- */

/* Heading lines found in the text. */
typedef struct found {
    size_t line;     /* index of the heading line */
    heading h;
} found;

/* Collect every case heading; *n_out set. */
static found *find_headings(const doc *d, size_t *n_out)
{
    found *f = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < d->n; i++) {
        heading h;
        if (d->lines[i].len == 0 || !parse_heading(&d->lines[i], &h))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            found *g = realloc(f, cap * sizeof *g);
            if (g == NULL)
                break;
            f = g;
        }
        f[n++] = (found){i, h};
    }
    *n_out = n;
    return f;
}

/* Title of a heading: its own text, the next filled line for a lone number,
 * plus a continuation line when the title ends in a dash. */
static char *case_title(const doc *d, const found *f, size_t end, size_t *body)
{
    size_t i = f->line;
    msk_buf t = {.max = TITLE_MAX * 4};
    if (f->h.title != NULL) {
        msk_buf_append(&t, f->h.title, f->h.title_len);
    } else {
        i = next_filled(d, i + 1);
        if (i < end)
            msk_buf_append(&t, d->lines[i].p, d->lines[i].len);
    }
    if (i < end && title_continues(&d->lines[i])) {
        size_t j = next_filled(d, i + 1);
        if (j < end && decision_label(&d->lines[j]) < 0) {
            msk_buf_append(&t, " ", 1);
            msk_buf_append(&t, d->lines[j].p, d->lines[j].len);
            i = j;
        }
    }
    *body = i + 1;
    char *title = t.data ? copy_clean(t.data, t.len, TITLE_MAX) : strdup("");
    msk_buf_free(&t);
    return title;
}

/* Fill case c from heading f, which runs up to line end (exclusive). */
static bool fill_case(const doc *d, const found *f, size_t end, motesok_case *c)
{
    size_t body = 0;
    c->number = copy_clean(f->h.num, f->h.num_len, 32);
    c->title = case_title(d, f, end, &body);
    if (c->title != NULL && shouting(c->title) && strlen(c->title) > 5) {
        char *t = msk_casefold(c->title);
        if (t != NULL)
            capitalise(t);
        free(c->title);
        c->title = t;
    }
    c->decision = find_decision(d, body < end ? body : end, end);
    const line *first = &d->lines[f->line], *last = &d->lines[end - 1];
    c->start = first->off;
    c->end = last->end;
    c->page_first = first->page;
    c->page_last = last->page;
    return c->number != NULL && c->title != NULL;
}

/* If l is "N. Title" with N the expected number, fill h and return true. */
static bool numbered_item(const line *l, unsigned expect, heading *h)
{
    char num[8];
    int len = snprintf(num, sizeof num, "%u.", expect);
    if (l->len <= (size_t)len + 1 || memcmp(l->p, num, (size_t)len) != 0 || l->p[len] != ' ')
        return false;
    const char *t = l->p + len;
    while (*t == ' ')
        t++;
    unsigned char c = (unsigned char)*t;
    if (!(isupper(c) || c >= 0xC3)) /* titles start with a capital (or Æ Ø Å) */
        return false;
    h->num = l->p;
    h->num_len = (size_t)len - 1;
    h->title = t;
    h->title_len = (size_t)(l->p + l->len - t);
    return true;
}

/* Numbered agenda items "1. Tittel", "2. Tittel", … in sequence, outside
 * decision blocks; used only when there are no case headings. At least two
 * items are needed. */
static found *find_numbered(const doc *d, size_t *n_out)
{
    found *f = NULL;
    size_t n = 0, cap = 0;
    bool in_decision = false;
    for (size_t i = 0; i < d->n; i++) {
        const line *l = &d->lines[i];
        heading h;
        if (l->len == 0) {
            in_decision = false;
            continue;
        }
        if (decision_label(l) >= 0)
            in_decision = true;
        if (in_decision || !numbered_item(l, (unsigned)n + 1, &h))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            found *g = realloc(f, cap * sizeof *g);
            if (g == NULL)
                break;
            f = g;
        }
        f[n++] = (found){i, h};
    }
    if (n < 2) {
        free(f);
        f = NULL;
        n = 0;
    }
    *n_out = n;
    return f;
}

/* Parse all cases of d into m. */
static bool parse_cases(const doc *d, motesok_minutes *m)
{
    size_t n = 0;
    found *f = find_headings(d, &n);
    if (n == 0) {
        free(f);
        f = find_numbered(d, &n);
    }
    if (n == 0) {
        free(f);
        return true;
    }
    m->cases = calloc(n, sizeof *m->cases);
    if (m->cases == NULL) {
        free(f);
        return false;
    }
    bool ok = true;
    for (size_t k = 0; k < n && ok; k++) {
        size_t end = k + 1 < n ? f[k + 1].line : d->n;
        ok = fill_case(d, &f[k], end, &m->cases[k]);
        m->n_cases++;
    }
    free(f);
    return ok;
}

/* ---- entry points ------------------------------------------------------- */

/* The line where the meeting's header ends: the first case heading, or
 * HEADER_LINES filled lines, whichever comes first. */
static size_t header_end(const doc *d)
{
    size_t filled = 0;
    for (size_t i = 0; i < d->n; i++) {
        heading h;
        if (d->lines[i].len == 0)
            continue;
        if (parse_heading(&d->lines[i], &h) || ++filled > HEADER_LINES)
            return i;
    }
    return d->n;
}

motesok_status motesok_minutes_parse(const char *const *pages, const size_t *page_lens,
                                     size_t n_pages, motesok_minutes **out, motesok_error *err)
{
    *out = NULL;
    if (n_pages > 0 && (pages == NULL || page_lens == NULL))
        return msk_error_set(err, MOTESOK_ERR_INVALID, "minutes: pages missing");
    motesok_minutes *m = calloc(1, sizeof *m);
    doc d = {0};
    if (m == NULL || !split_lines(pages, page_lens, n_pages, &d)) {
        free(d.lines);
        free(m);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory parsing minutes");
    }
    size_t hend = header_end(&d);
    find_date(&d, hend, m->date);
    m->organ = find_organ(&d, hend);
    m->place = find_field(&d, hend, place_labels, N_OF(place_labels));
    m->present = find_field(&d, hend, present_labels, N_OF(present_labels));
    m->absent = find_field(&d, hend, absent_labels, N_OF(absent_labels));
    m->referent = find_field(&d, hend, referent_labels, N_OF(referent_labels));
    bool ok = parse_cases(&d, m);
    free(d.lines);
    if (!ok) {
        motesok_minutes_free(m);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory parsing minutes");
    }
    *out = m;
    return MOTESOK_OK;
}

void motesok_minutes_free(motesok_minutes *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_cases; i++) {
        free(m->cases[i].number);
        free(m->cases[i].title);
        free(m->cases[i].decision);
    }
    free(m->cases);
    free(m->organ);
    free(m->place);
    free(m->present);
    free(m->absent);
    free(m->referent);
    free(m);
}
