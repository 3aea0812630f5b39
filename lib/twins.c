/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Twins: sketches of a file's words and their comparison (lib/twins.h). */
#include "twins.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_STATIC_LINKING_ONLY /* XXH64_state_t on the stack */
#include <xxhash.h>

#define SHINGLE_WORDS 4
#define EDGE_LINES 2 /* lines at each end of a page that may be a header/footer */

/* One line at the top or bottom of a page: its bytes and a key (hash of
 * its letters, digits and spaces aside; 0 when it has no letter). */
typedef struct edge_line {
    size_t start, end, page;
    uint64_t key;
    bool drop;
} edge_line;

typedef struct u64_vec {
    uint64_t *v;
    size_t n, cap;
    bool oom;
} u64_vec;

/* Append x to vec (sets oom on failure). */
static void vec_push(u64_vec *vec, uint64_t x)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 256;
        uint64_t *p = realloc(vec->v, cap * sizeof *p);
        if (p == NULL) {
            vec->oom = true;
            return;
        }
        vec->v = p;
        vec->cap = cap;
    }
    vec->v[vec->n++] = x;
}

/* True if code point c belongs to a word: a letter or a digit. */
static bool word_char(utf8proc_int32_t c)
{
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_MN:
        return true;
    default:
        return false;
    }
}

/* True if code point c is a letter. */
static bool letter(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

/* Hash of the letters of s[0..len) (0 when there is none). */
static uint64_t line_key(const char *s, size_t len)
{
    XXH64_state_t st;
    XXH64_reset(&st, 0);
    bool any = false;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0)
            break;
        if (letter(c)) {
            XXH64_update(&st, s + i, (size_t)n);
            any = true;
        }
        i += (size_t)n;
    }
    return any ? XXH64_digest(&st) | 1u : 0;
}

/* True if s[a..b) holds nothing but white space. */
static bool blank_line(const char *s, size_t a, size_t b)
{
    for (; a < b; a++)
        if (s[a] != ' ' && s[a] != '\t' && s[a] != '\r' && s[a] != '\v')
            return false;
    return true;
}

/* Collect the first and last EDGE_LINES non-blank lines of the page
 * s[a..b) (number page) into *out. */
static void page_edges(const char *s, size_t a, size_t b, size_t page, edge_line *out,
                       size_t *n)
{
    size_t starts[EDGE_LINES], ends[EDGE_LINES], nf = 0;
    edge_line last[EDGE_LINES];
    size_t nl = 0;
    for (size_t i = a; i < b;) {
        size_t e = i;
        while (e < b && s[e] != '\n')
            e++;
        if (!blank_line(s, i, e)) {
            if (nf < EDGE_LINES) {
                starts[nf] = i;
                ends[nf++] = e;
            } else {
                if (nl == EDGE_LINES)
                    memmove(last, last + 1, (EDGE_LINES - 1) * sizeof *last);
                else
                    nl++;
                last[nl - 1] = (edge_line){.start = i, .end = e, .page = page};
            }
        }
        i = e + 1;
    }
    for (size_t k = 0; k < nf; k++)
        out[(*n)++] = (edge_line){.start = starts[k], .end = ends[k], .page = page};
    for (size_t k = 0; k < nl; k++)
        out[(*n)++] = last[k];
    for (size_t k = *n - nf - nl; k < *n; k++)
        out[k].key = line_key(s + out[k].start, out[k].end - out[k].start);
}

static int cmp_edge_key(const void *a, const void *b)
{
    const edge_line *x = *(edge_line *const *)a, *y = *(edge_line *const *)b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->page < y->page ? -1 : x->page > y->page;
}

/* Mark as drop the edge lines whose key opens or closes at least half of
 * the pages (and two at least): running headers and footers. */
static bool mark_running(edge_line *e, size_t n, size_t pages)
{
    if (pages < 2 || n == 0)
        return true;
    edge_line **by = malloc(n * sizeof *by);
    if (by == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        by[i] = &e[i];
    qsort(by, n, sizeof *by, cmp_edge_key);
    size_t need = pages / 2 > 2 ? pages / 2 : 2;
    for (size_t i = 0; i < n;) {
        size_t j = i, distinct = 0;
        for (; j < n && by[j]->key == by[i]->key; j++)
            distinct += j == i || by[j]->page != by[j - 1]->page;
        for (size_t k = i; by[i]->key != 0 && distinct >= need && k < j; k++)
            by[k]->drop = true;
        i = j;
    }
    free(by);
    return true;
}

/* Find the edge lines of every page of s[0..len) that are running headers
 * or footers: *out (caller frees) and *n, in text order. */
static bool running_lines(const char *s, size_t len, edge_line **out, size_t *n)
{
    size_t pages = 1;
    for (size_t i = 0; i < len; i++)
        pages += s[i] == '\f';
    edge_line *e = calloc(pages * 2 * EDGE_LINES, sizeof *e);
    if (e == NULL)
        return false;
    *n = 0;
    size_t a = 0, page = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '\f') {
            page_edges(s, a, i, page++, e, n);
            a = i + 1;
        }
    }
    *out = e;
    return mark_running(e, *n, pages);
}

/* Add the shingle ending with word hash w to out (ring holds the last
 * words, *seen how many so far). */
static void add_word(uint64_t w, uint64_t ring[SHINGLE_WORDS], size_t *seen, u64_vec *out)
{
    ring[*seen % SHINGLE_WORDS] = w;
    (*seen)++;
    if (*seen < SHINGLE_WORDS)
        return;
    uint64_t sh[SHINGLE_WORDS];
    for (size_t k = 0; k < SHINGLE_WORDS; k++)
        sh[k] = ring[(*seen + k) % SHINGLE_WORDS];
    vec_push(out, XXH64(sh, sizeof sh, 0x5eed));
}

/* Hash every shingle of the folded text s[0..len), skipping the dropped
 * edge lines e[0..ne) (in text order). */
static void shingle(const char *s, size_t len, const edge_line *e, size_t ne, u64_vec *out)
{
    uint64_t ring[SHINGLE_WORDS];
    size_t seen = 0, k = 0, word = SIZE_MAX;
    for (size_t i = 0; i <= len;) {
        while (k < ne && (e[k].end <= i || !e[k].drop))
            k++;
        bool skip = i < len && k < ne && e[k].start <= i;
        utf8proc_int32_t c = -1;
        utf8proc_ssize_t n = 1;
        if (i < len && !skip)
            n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0)
            n = 1;
        bool in = c >= 0 && word_char(c);
        if (in && word == SIZE_MAX)
            word = i;
        if (!in && word != SIZE_MAX) {
            add_word(XXH64(s + word, i - word, 0), ring, &seen, out);
            word = SIZE_MAX;
        }
        if (skip) /* jump past the dropped line */
            n = (utf8proc_ssize_t)(e[k].end - i);
        i += (size_t)(n > 0 ? n : 1);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Keep the MSK_TWIN_K smallest distinct hashes of vec in *out. */
static void bottom_k(u64_vec *vec, msk_twin_sketch *out)
{
    if (vec->n > 0)
        qsort(vec->v, vec->n, sizeof *vec->v, cmp_u64);
    for (size_t i = 0; i < vec->n; i++) {
        if (i > 0 && vec->v[i] == vec->v[i - 1])
            continue;
        out->shingles++;
        if (out->n < MSK_TWIN_K)
            out->h[out->n++] = vec->v[i];
    }
}

bool msk_twin_sketch_text(const char *text, size_t len, msk_twin_sketch *out)
{
    memset(out, 0, sizeof *out);
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t flen = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
                                         &folded, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                      UTF8PROC_CASEFOLD);
    if (flen < 0)
        return false;
    const char *s = (const char *)folded;
    edge_line *edges = NULL;
    size_t ne = 0;
    u64_vec vec = {0};
    bool ok = running_lines(s, (size_t)flen, &edges, &ne);
    if (ok)
        shingle(s, (size_t)flen, edges, ne, &vec);
    ok = ok && !vec.oom;
    if (ok)
        bottom_k(&vec, out);
    free(vec.v);
    free(edges);
    free(folded);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

double msk_twin_similarity(const msk_twin_sketch *a, const msk_twin_sketch *b,
                           double *containment)
{
    if (containment != NULL)
        *containment = 0;
    size_t k = a->n < b->n ? a->n : b->n;
    if (k == 0)
        return 0;
    size_t i = 0, j = 0, taken = 0, both = 0;
    while (taken < k && (i < a->n || j < b->n)) {
        if (j == b->n || (i < a->n && a->h[i] < b->h[j])) {
            i++;
        } else if (i == a->n || b->h[j] < a->h[i]) {
            j++;
        } else {
            both++;
            i++;
            j++;
        }
        taken++;
    }
    double jac = (double)both / (double)taken;
    double na = (double)a->shingles, nb = (double)b->shingles;
    double inter = jac * (na + nb) / (1.0 + jac);
    double c = inter / (na < nb ? na : nb);
    if (containment != NULL)
        *containment = c > 1.0 ? 1.0 : c;
    return jac;
}

bool msk_twin_same_text(const msk_twin_sketch *a, const msk_twin_sketch *b)
{
    if (a->shingles < MSK_TWIN_MIN_SHINGLES || b->shingles < MSK_TWIN_MIN_SHINGLES)
        return false;
    double c = 0;
    double j = msk_twin_similarity(a, b, &c);
    return j >= MSK_TWIN_JACCARD && c >= MSK_TWIN_CONTAINMENT;
}
