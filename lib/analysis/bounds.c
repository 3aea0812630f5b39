/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How much of a query is read (lib/analysis/query.h): a bound on its words
 * and on its brackets' nesting, applied to the text before any parse. */
#include "analysis/query.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Bytes of the code point at p (n bytes left) and whether it is part of a
 * word: a letter, digit, mark or connector (Unicode L*, N*, M*, Pc); a
 * byte that is not UTF-8 is one byte of no word. */
static size_t code_point(const char *p, size_t n, bool *word)
{
    utf8proc_int32_t c = -1;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)n, &c);
    if (k <= 0) {
        *word = false;
        return 1;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
        *word = true;
        break;
    default:
        *word = false;
    }
    return (size_t)k;
}

/* Bytes of the word that starts at p (n bytes left); 0 if none does. */
static size_t word_len(const char *p, size_t n)
{
    size_t len = 0;
    bool word = true;
    while (len < n) {
        size_t k = code_point(p + len, n - len, &word);
        if (!word)
            break;
        len += k;
    }
    return len;
}

/* True for the bytes a dangling end may hold: white space, + and -. */
static bool dangling_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == '+' || c == '-';
}

/* Start of the token that ends at out[end) (back to white space, + -, a
 * bracket or a quote). */
static size_t token_start(const char *out, size_t end)
{
    while (end > 0 && !dangling_byte(out[end - 1]) && out[end - 1] != '(' &&
           out[end - 1] != ')' && out[end - 1] != '"')
        end--;
    return end;
}

/* Shorten out[0..*w) (cut after a word, outside a phrase) by what cannot
 * end a query: white space, + -, operator words, field names without a
 * value and open brackets (*depth counts those still open). */
static void trim_dangling(char *out, size_t *w, unsigned *depth)
{
    for (;;) {
        while (*w > 0 && dangling_byte(out[*w - 1]))
            (*w)--;
        if (*w > 0 && out[*w - 1] == '(') {
            (*w)--;
            *depth -= *depth > 0;
            continue;
        }
        size_t start = token_start(out, *w);
        bool field = *w > 0 && out[*w - 1] == ':';
        if (start == *w || (!field && !msk_query_operator(out + start, *w - start)))
            return;
        *w = start;
    }
}

/* The state of one pass over a query. */
typedef struct bounder {
    unsigned max_terms, max_depth;
    bool quoted;
    unsigned depth, deeper; /* brackets open: kept, and dropped */
    unsigned terms, wildcards, cut;
} bounder;

/* Copy a bracket at q[0] to out (or a space, past max_depth). */
static char bracket(bounder *b, char c)
{
    if (c == '(') {
        if (b->depth < b->max_depth) {
            b->depth++;
            return '(';
        }
        b->deeper++;
        b->cut |= MSK_BOUND_DEPTH;
        return ' ';
    }
    if (b->deeper > 0) {
        b->deeper--;
        return ' ';
    }
    b->depth -= b->depth > 0;
    return ')';
}

/* True if the word q[i..i+len) of q (n bytes) counts as a term: not an
 * operator word, not a field name (word: right before a value). */
static bool counts(const bounder *b, const char *q, size_t n, size_t i, size_t len)
{
    if (b->quoted)
        return true;
    if (msk_query_operator(q + i, len))
        return false;
    bool field = i + len + 1 < n && q[i + len] == ':' && !dangling_byte(q[i + len + 1]) &&
                 q[i + len + 1] != ':';
    return !field;
}

char *msk_query_bound(const char *q, unsigned max_terms, unsigned max_depth, unsigned *cut,
                      unsigned *wildcards)
{
    size_t n = strlen(q);
    char *out = malloc(n + max_depth + 2);
    if (out == NULL)
        return NULL;
    bounder b = {.max_terms = max_terms, .max_depth = max_depth};
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        if (q[i] == '"') {
            b.quoted = !b.quoted;
            out[w++] = q[i++];
            continue;
        }
        if (!b.quoted && (q[i] == '(' || q[i] == ')')) {
            out[w++] = bracket(&b, q[i++]);
            continue;
        }
        size_t len = word_len(q + i, n - i);
        if (len == 0) {
            bool word;
            size_t k = code_point(q + i, n - i, &word);
            memcpy(out + w, q + i, k);
            w += k, i += k;
            continue;
        }
        if (counts(&b, q, n, i, len)) {
            if (b.terms == max_terms) {
                b.cut |= MSK_BOUND_TERMS;
                break;
            }
            b.terms++;
            b.wildcards += !b.quoted && i + len < n && q[i + len] == '*';
        }
        memcpy(out + w, q + i, len);
        w += len, i += len;
    }
    if (b.cut & MSK_BOUND_TERMS) {
        if (b.quoted) {
            while (w > 0 && dangling_byte(out[w - 1]))
                w--;
            out[w++] = '"';
        } else
            trim_dangling(out, &w, &b.depth);
        while (b.depth-- > 0)
            out[w++] = ')';
    }
    out[w] = '\0';
    *cut = b.cut;
    if (wildcards != NULL)
        *wildcards = b.wildcards;
    return out;
}
