/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text of minutes as trimmed lines, with repair of pages that lost
 * their line breaks (a whole page flattened to one line). */
#define _GNU_SOURCE /* memmem */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define FLAT_MIN 240  /* a line this long may be a flattened page */
#define FLAT_SECTION 80 /* a line this long with two markers is flattened */

/* True for ASCII blanks. */
static bool blank_ch(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v';
}

/* Markers that start a line in minutes; in a flattened page the space in
 * front of each becomes a newline. */
static const char *const flat_markers[] = {
    "Sak ", "SAK ", "PS ", "RS ", "DS ", "FO ", "Vedtak:", "VEDTAK:", "Vedtak ", "Innstilling:",
    "Forslag til vedtak", "Framlegg til vedtak", "Behandling:", "Behandling ", "Handsaming:",
    "Møtedato:", "Møtedag:", "Møtested:", "Møtestad:", "Møtetid:", "Dato:", "Tid:", "Sted:", "Stad:",
    "Til stede:", "Tilstede:", "Forfall:", "Saksliste", "Sakliste", "Votering:", "Votering ",
    "Tilråding:", "Saksopplysninger", "Vurdering", "Referent:", "Utval:", "Utvalg:", "Organ:",
    "Møteprotokoll", "Møtebok", "Følgjande", "Følgende", "Framlegg til vedtak", "Handsaming i",
    /* adoption statements, which end a proposal */
    "Innstillingen ble", "Innstillingen vart", "Innstillinga vart", "Innstillingen enstemmig",
    "Innstillinga samrøystes", "Tilrådinga vart", "Tilrådingen ble", "Enstemmig vedtatt",
    "Samrøystes vedteke", "Einstemmig vedteke",
    /* lower-case labels count only after a genitive owner ("Rådmannens
     * innstilling:", "Kommunedirektørens forslag til vedtak:") */
    "innstilling:", "tilråding:", "forslag til vedtak:", "framlegg til vedtak:",
    "innstilling enstemmig", "innstilling ble", "innstilling vedtatt", "innstilling vart",
    "innstillinga vart", "tilråding vart", "tilrådinga vart", "tilråding ble", "innstilling samrøystes",
    "forslag til vedtak ble", "framlegg til vedtak vart", "vedtak:",
    /* Nynorsk owners: "Rådmannen sitt framlegg til vedtak:" */
    "sitt framlegg", "sitt forslag", "si innstilling", "si tilråding",
};

/* Committee-coded labels after a code of 2–4 capitals ("FS - vedtak:",
 * "LEV - Tilråding:", "KST - behandling:"). */
static const char *const coded_labels[] = {
    "vedtak", "Vedtak", "handsaming", "Handsaming", "behandling", "Behandling", "tilråding",
    "Tilråding", "innstilling", "Innstilling",
};

/* Length of a committee-coded label at text[i], 0 if none. */
static size_t coded_label_at(const char *text, size_t len, size_t i)
{
    size_t n = 0;
    while (i + n < len && n < 5 && isupper((unsigned char)text[i + n]))
        n++;
    if (n < 2 || n > 4 || i + n + 3 >= len || memcmp(text + i + n, " - ", 3) != 0)
        return 0;
    size_t j = i + n + 3;
    for (size_t k = 0; k < MN_N_OF(coded_labels); k++) {
        size_t w = strlen(coded_labels[k]);
        if (j + w < len && memcmp(text + j, coded_labels[k], w) == 0 && text[j + w] == ':')
            return j + w + 1 - i;
    }
    return 0;
}

/* Genitive owners that stand before a proposal label ("Rådmannens
 * innstilling"): the break goes before the owner. */
static bool genitive_before(const char *text, size_t at)
{
    size_t i = at;
    if (i < 2 || text[i - 1] != ' ' || text[i - 2] != 's')
        return false;
    i -= 2;
    while (i > 0 && text[i - 1] != ' ' && text[i - 1] != '\n')
        i--;
    return isupper((unsigned char)text[i]) || (unsigned char)text[i] >= 0xC3;
}

/* Offset of the word before offset at (the start of "Rådmannens "). */
static size_t word_before(const char *text, size_t at)
{
    size_t i = at - 1;
    while (i > 0 && text[i - 1] != ' ' && text[i - 1] != '\n')
        i--;
    return i;
}

/* Length of the marker at text[i] (after a space), 0 if none. A case
 * prefix counts only when digits follow it. */
static size_t marker_at(const char *text, size_t len, size_t i)
{
    unsigned char c = (unsigned char)text[i];
    if (islower(c) && strchr("itfvs", c) == NULL)
        return 0; /* no marker starts so: most words of running text */
    for (size_t k = 0; k < MN_N_OF(flat_markers); k++) {
        if ((unsigned char)flat_markers[k][0] != c)
            continue;
        size_t n = strlen(flat_markers[k]);
        if (i + n > len)
            continue;
        if (memcmp(text + i, flat_markers[k], n) != 0) {
            /* "vedtak :": a blank before the colon */
            if (flat_markers[k][n - 1] == ':' && i + n + 1 <= len && memcmp(text + i, flat_markers[k], n - 1) == 0 &&
                text[i + n - 1] == ' ' && text[i + n] == ':')
                return n + 1;
            continue;
        }
        if (n <= 4 && flat_markers[k][n - 1] == ' ') {
            mn_number num;
            if (!msk_mn_number_at(text + i, len - i < 40 ? len - i : 40, &num))
                continue;
        }
        return n;
    }
    size_t coded = coded_label_at(text, len, i);
    if (coded > 0)
        return coded;
    /* any other series code with a full number ("FT-sak 087/2013", "K-sak
     * 21/24", "Utv.sak 5/19") */
    mn_number num;
    if (isupper((unsigned char)text[i]) && msk_mn_number_at(text + i, len - i < 40 ? len - i : 40, &num) &&
        num.prefixed && num.b != NULL)
        return num.end;
    return 0;
}

/* Length of a bare case number at text[i] that starts a heading or a
 * saksliste row in a flattened page ("002/16: TITLE", "002/16 15/2241
 * TITLE", "061/14 - TITLE", "05/16 TITLE IN CAPITALS"), 0 if none. A number in prose ("jf. 12/15",
 * "saker 001/16 - 006/16") follows a lower-case word that ends no sentence
 * (or a short one such as "jf.", "nr.") and is not taken. */
static size_t bare_number_at(const char *text, size_t len, size_t i)
{
    size_t j = i, d1 = 0, d2 = 0;
    while (j < len && isdigit((unsigned char)text[j]) && d1 < 5)
        j++, d1++;
    if (d1 == 0 || d1 > 4 || j >= len || text[j] != '/')
        return 0;
    j++;
    while (j < len && isdigit((unsigned char)text[j]) && d2 < 5)
        j++, d2++;
    if (d2 != 2 && d2 != 4)
        return 0;
    if (j < len && isdigit((unsigned char)text[j]))
        return 0;
    /* what follows: ':' then a blank, a blank then another number, or a dash */
    bool row = false;
    if (j + 1 < len && text[j] == ':' && text[j + 1] == ' ')
        row = true;
    else if (j + 1 < len && text[j] == ' ' && isdigit((unsigned char)text[j + 1])) {
        size_t k = j + 1;
        while (k < len && isdigit((unsigned char)text[k]))
            k++;
        row = k < len && text[k] == '/';
    } else if (j + 2 < len && text[j] == ' ' && text[j + 1] == '-' && text[j + 2] == ' ') {
        row = j + 3 < len && !isdigit((unsigned char)text[j + 3]);
    } else if (j + 1 < len && text[j] == ' ') {
        /* a title in capitals: "05/16 GODKJENNING AV PROTOKOLL" */
        size_t k = j + 1, w = k;
        while (w < len && text[w] != ' ')
            w++;
        row = w - k >= 3 && msk_mn_shouting(text + k, w - k) && isupper((unsigned char)text[k]);
    }
    if (!row)
        return 0;
    /* the word before must not be prose: a lower-case word ("jf.", "sak",
     * "saker:", "og", "til") makes it a reference */
    if (i >= 2) {
        size_t w = word_before(text, i - 1), e = i - 2; /* e: last byte of it */
        mn_number pre;
        if (msk_mn_number_at(text + w, len - w < 40 ? len - w : 40, &pre) && pre.prefixed && w + pre.num_at == i)
            return 0; /* "RS 7/10", "Sak 7/10": the series word starts the row */
        if (isdigit((unsigned char)text[w]) && memchr(text + w, '/', i - 1 - w) != NULL)
            return 0; /* "9/13 13/104 TITLE": the archive number after the case's */
        bool ends = text[e] == '.' || text[e] == ')' || text[e] == '!' || text[e] == '?';
        if (islower((unsigned char)text[w]) && (!ends || e - w < 4))
            return 0;
    }
    return j - i;
}

/* Length of a page number standing in front of a case number at the start
 * of a page that lost its line breaks ("3 61/17 GODKJENNING …"), 0 if
 * none. */
static size_t page_number_prefix(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && i < 4 && isdigit((unsigned char)p[i]))
        i++;
    if (i == 0 || i > 3 || i + 1 >= len || p[i] != ' ')
        return 0;
    size_t j = i + 1, k = j;
    while (k < len && isdigit((unsigned char)p[k]))
        k++;
    if (k == j || k - j > 4 || k + 2 >= len || p[k] != '/' || !isdigit((unsigned char)p[k + 1]))
        return 0;
    return j;
}

/* Where a line break goes for a marker at text[i] (after a blank) in the
 * line ending at b: before the marker, or before the owner of a
 * lower-case label ("Rådmannens innstilling:", "Rådmannen sitt framlegg");
 * false when text[i] starts no marker. */
static bool break_at(const char *text, size_t b, size_t i, size_t *at)
{
    if (text[i - 1] != ' ' || (marker_at(text, b, i) == 0 && bare_number_at(text, b, i) == 0))
        return false;
    if (!islower((unsigned char)text[i])) {
        *at = i;
        return true;
    }
    bool owned = genitive_before(text, i) ||
                 ((msk_mn_starts_word(text + i, b - i, "sitt") || msk_mn_starts_word(text + i, b - i, "si")) &&
                  i >= 2 && !islower((unsigned char)text[word_before(text, i - 1)]));
    if (!owned)
        return false;
    *at = word_before(text, i - 1);
    return true;
}

/* Number of section markers in the line text[a, b): labels with a colon
 * ("Vedtak:") and case numbers, also one at the start (after a page
 * number). A title's "Vedtak om …" is no section. */
static size_t count_markers(const char *text, size_t a, size_t b)
{
    size_t n = 0, at;
    mn_number num;
    size_t p = a + page_number_prefix(text + a, b - a);
    if (msk_mn_number_at(text + p, b - p < 40 ? b - p : 40, &num) && num.b != NULL)
        n++;
    for (size_t i = a + 1; i < b; i++) {
        if (!break_at(text, b, i, &at))
            continue;
        const char *colon = memchr(text + i, ':', b - i < 28 ? b - i : 28);
        n += colon != NULL || isdigit((unsigned char)text[i]);
    }
    return n;
}

/* Break one flattened line text[a, b) before its markers. */
static void repair_line(char *text, size_t a, size_t b)
{
    size_t last = a, at;
    for (size_t i = a + 1; i < b; i++) {
        if (!break_at(text, b, i, &at))
            continue;
        if (at > last + 1 && text[at - 1] == ' ') {
            text[at - 1] = '\n';
            last = at;
        }
    }
}

void msk_mn_repair_flat(char *text, size_t len)
{
    size_t a = 0;
    while (a < len) {
        size_t b = a;
        while (b < len && text[b] != '\n' && text[b] != '\f')
            b++;
        /* a long line is a flattened page; a shorter one is a flattened
         * section when it holds two markers ("3 61/17 TITLE Vedtak: …") */
        if (b - a >= FLAT_MIN || (b - a >= FLAT_SECTION && count_markers(text, a, b) >= 2))
            repair_line(text, a, b);
        a = b + 1;
    }
}

/* Append one trimmed line to d; false on allocation failure. */
static bool add_line(mn_doc *d, size_t *cap, size_t s, size_t e, size_t page)
{
    if (d->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        mn_line *l = realloc(d->lines, *cap * sizeof *l);
        if (l == NULL)
            return false;
        d->lines = l;
    }
    size_t a = s, b = e;
    while (a < b && (blank_ch(d->text[a]) || (d->text[a] == '|' && a + 1 < b && d->text[a + 1] == ' ')))
        a++; /* blanks, and the border of a text table: "| Utvalg | Fylkestinget |" */
    while (b > a && (blank_ch(d->text[b - 1]) || (d->text[b - 1] == '|' && b - 1 > a && d->text[b - 2] == ' ')))
        b--;
    a += page_number_prefix(d->text + a, b - a);
    d->lines[d->n++] = (mn_line){d->text + a, b - a, s, e, page, 0, 0};
    return true;
}

bool msk_mn_doc_build(const char *const *pages, const size_t *lens, size_t n_pages, mn_doc *d)
{
    memset(d, 0, sizeof *d);
    size_t total = n_pages ? n_pages - 1 : 0;
    for (size_t i = 0; i < n_pages; i++)
        total += lens[i];
    d->text = malloc(total + 1);
    if (d->text == NULL)
        return false;
    for (size_t i = 0, off = 0; i < n_pages; i++) {
        if (lens[i] > 0)
            memcpy(d->text + off, pages[i], lens[i]);
        off += lens[i];
        if (i + 1 < n_pages)
            d->text[off++] = '\f';
    }
    d->text[total] = '\0';
    d->len = total;
    for (size_t i = 0; i < total; i++)
        if (d->text[i] == '\0')
            d->text[i] = ' ';
    msk_mn_repair_flat(d->text, total);
    size_t cap = 0, page = 1, s = 0;
    for (size_t i = 0; i <= total; i++) {
        if (i < total && d->text[i] != '\n' && d->text[i] != '\f')
            continue;
        if (!add_line(d, &cap, s, i, page))
            return false;
        page += i < total && d->text[i] == '\f';
        s = i + 1;
    }
    return true;
}

void msk_mn_doc_free(mn_doc *d)
{
    free(d->lines);
    free(d->text);
    memset(d, 0, sizeof *d);
}

size_t msk_mn_next_filled(const mn_doc *d, size_t i)
{
    while (i < d->n && d->lines[i].len == 0)
        i++;
    return i;
}

bool msk_mn_starts_word(const char *p, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && memcmp(p, w, n) == 0 && (len == n || !isalpha((unsigned char)p[n]));
}

/* ASCII lower case of c (other bytes as they are), without the locale
 * call of tolower: these run for every byte of every line. */
static inline unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Lower-case one byte pair of Æ Ø Å (C3 86/98/85 → C3 A6/B8/A5); ASCII
 * letters to lower case. */
static inline unsigned char fold_byte(const char *p, size_t i)
{
    unsigned char c = (unsigned char)p[i];
    if (i > 0 && (unsigned char)p[i - 1] == 0xC3 && (c == 0x86 || c == 0x98 || c == 0x85))
        return (unsigned char)(c + 0x20);
    return ascii_lower(c);
}

/* True if p[0..n) equals w[0..n) ignoring case. */
static bool equal_ci(const char *p, const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold_byte(p, i) != fold_byte(w, i))
            return false;
    return true;
}

bool msk_mn_starts_word_ci(const char *p, size_t len, const char *w)
{
    if (len == 0 || ascii_lower((unsigned char)p[0]) != ascii_lower((unsigned char)w[0]))
        return w[0] == '\0'; /* the common case: the first byte already differs */
    size_t n = strlen(w);
    if (len < n || !equal_ci(p, w, n))
        return false;
    return len == n || !(isalpha((unsigned char)p[n]) || (unsigned char)p[n] >= 0xC3);
}

bool msk_mn_contains_ci(const char *p, size_t len, const char *w)
{
    size_t n = strlen(w);
    if (n == 0)
        return true;
    unsigned char first = fold_byte(w, 0);
    for (size_t i = 0; i + n <= len; i++)
        if (ascii_lower((unsigned char)p[i]) == first && equal_ci(p + i, w, n))
            return true;
    return false;
}

/* Case-fold p[0..len) into out (len bytes) as fold_byte does, position by
 * position, so that a folded match is a msk_mn_contains_ci match. */
static void fold_into(const char *p, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (char)fold_byte(p, i);
}

bool msk_mn_contains_any_ci(const char *p, size_t len, const char *const *w, size_t n)
{
    char small[1024], *text = len <= sizeof small ? small : malloc(len);
    if (text == NULL) { /* no memory for the copy: the slow way */
        for (size_t k = 0; k < n; k++)
            if (msk_mn_contains_ci(p, len, w[k]))
                return true;
        return false;
    }
    fold_into(p, len, text);
    bool found = false;
    for (size_t k = 0; k < n && !found; k++) {
        size_t wn = strlen(w[k]);
        char word[128];
        if (wn == 0) {
            found = true;
        } else if (wn > sizeof word) {
            found = msk_mn_contains_ci(p, len, w[k]);
        } else {
            fold_into(w[k], wn, word);
            found = wn <= len && memmem(text, len, word, wn) != NULL;
        }
    }
    if (text != small)
        free(text);
    return found;
}

char *msk_mn_copy_clean(const char *s, size_t len, size_t max)
{
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
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

char *msk_mn_join(const mn_doc *d, size_t a, size_t b, size_t max)
{
    msk_buf buf = {.max = max * 4 + 64};
    for (size_t i = a; i <= b && i < d->n; i++) {
        if (d->lines[i].len == 0)
            continue;
        if (buf.len > 0)
            msk_buf_append(&buf, " ", 1);
        msk_buf_append(&buf, d->lines[i].p, d->lines[i].len);
    }
    char *out = buf.data ? msk_mn_copy_clean(buf.data, buf.len, max) : NULL;
    msk_buf_free(&buf);
    return out;
}

bool msk_mn_shouting(const char *s, size_t len)
{
    bool letters = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t c;
    for (size_t i = 0; i < len;) {
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (n < 1)
            return false;
        if (utf8proc_islower(c))
            return false;
        letters = letters || utf8proc_isupper(c);
        i += (size_t)n;
    }
    return letters;
}

size_t msk_mn_words(const char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!blank_ch(p[i]) && p[i] != ' ' && (i == 0 || blank_ch(p[i - 1])))
            n++;
    return n;
}
