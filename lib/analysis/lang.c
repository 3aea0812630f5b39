/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Norwegian analysis built from the language data (lib/analysis/lang.h):
 * the stemmer, the stopword tests and the synonym groups as stems. */
#define _GNU_SOURCE /* memmem */
#include "analysis/lang.h"
#include "analysis/query.h"
#include "xapian/xapian.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A Nynorsk stem → Bokmål stem map: pairs sorted by Nynorsk stem, one
 * per stem (the first pair of the data wins). */
typedef struct stem_pair {
    char *from, *to;
    size_t order; /* place in the data, while sorting */
} stem_pair;

typedef struct stem_map {
    stem_pair *v;
    size_t n, cap;
} stem_map;

/* A synonym group's member. */
typedef struct member {
    char **stems;
    size_t n_stems;
    char **tight; /* words searched as a phrase, or NULL */
    size_t n_tight;
} member;

typedef struct group {
    member *members;
    size_t n;
} group;

/* A stem of a group's member, with the group: the index by stem. */
typedef struct stem_group {
    const char *stem; /* the member's own string */
    size_t g;
} stem_group;

struct msk_lang {
    const msk_norsk *data;
    stem_map map;
    group *groups;
    size_t n_groups;
    /* every (stem, group) of the members once, sorted by stem then group;
     * by_stem_g holds the groups in that order, so that a stem's groups
     * are one run of it */
    stem_group *by_stem;
    size_t *by_stem_g;
    size_t n_by_stem;
};

/* ---- the stem map ---------------------------------------------------- */

/* By Nynorsk stem, then by place in the data. */
static int by_from(const void *pa, const void *pb)
{
    const stem_pair *a = pa, *b = pb;
    int c = strcmp(a->from, b->from);
    return c != 0 ? c : (a->order > b->order) - (a->order < b->order);
}

/* The Bokmål stem of Nynorsk stem key (n bytes), or NULL. */
static const char *map_get(const stem_map *m, const char *key, size_t n)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *f = m->v[mid].from;
        int c = strncmp(f, key, n);
        if (c == 0)
            c = f[n] != '\0';
        if (c == 0)
            return m->v[mid].to;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Add the pair from → to (sorted by map_sort). */
static bool map_put(stem_map *m, const char *from, const char *to)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        stem_pair *v = realloc(m->v, cap * sizeof *v);
        if (v == NULL)
            return false;
        m->v = v;
        m->cap = cap;
    }
    stem_pair *p = &m->v[m->n];
    p->from = msk_strndup(from, strlen(from));
    p->to = msk_strndup(to, strlen(to));
    p->order = m->n;
    if (p->from == NULL || p->to == NULL) {
        free(p->from);
        free(p->to);
        return false;
    }
    m->n++;
    return true;
}

/* Sort the pairs and keep the first of each Nynorsk stem. */
static void map_sort(stem_map *m)
{
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, by_from);
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (k > 0 && strcmp(m->v[k - 1].from, m->v[i].from) == 0) {
            free(m->v[i].from);
            free(m->v[i].to);
            continue;
        }
        m->v[k++] = m->v[i];
    }
    m->n = k;
}

static void map_free(stem_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].from);
        free(m->v[i].to);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* ---- stemming -------------------------------------------------------- */

/* Snowball's stem of w (n bytes) with "aa" read as "å", into out. */
static motesok_status snowball(const char *w, size_t n, msk_buf *out)
{
    const char *aa = n >= 2 ? memmem(w, n, "aa", 2) : NULL;
    if (aa == NULL)
        return motesok_xsnowball("norwegian", w, n, out);
    msk_buf folded = {0};
    motesok_status st = MOTESOK_OK;
    size_t from = 0;
    while (st == MOTESOK_OK && aa != NULL) {
        size_t at = (size_t)(aa - w);
        st = msk_buf_append(&folded, w + from, at - from);
        if (st == MOTESOK_OK)
            st = msk_buf_append(&folded, "\xc3\xa5", 2);
        from = at + 2;
        aa = from + 2 <= n ? memmem(w + from, n - from, "aa", 2) : NULL;
    }
    if (st == MOTESOK_OK)
        st = msk_buf_append(&folded, w + from, n - from);
    if (st == MOTESOK_OK)
        st = motesok_xsnowball("norwegian", folded.data, folded.len, out);
    msk_buf_free(&folded);
    return st;
}

/* The stem of w (n bytes) into out; without undouble, Snowball's stem
 * mapped as it is (as the synonym groups' words have always been). */
static motesok_status stem_with(const msk_lang *l, const char *w, size_t n, msk_buf *out,
                                bool undouble)
{
    motesok_status st = snowball(w, n, out);
    if (st != MOTESOK_OK)
        return st;
    /* a stem ending in "mm" whose one-m form is a dictionary word: that
     * word. Bokmål doubles a final m when it inflects (hjem → hjemmet,
     * program → programmet, dom → dommen), which Snowball leaves doubled,
     * so that hjemmet missed hjem (and Nynorsk heimen, paired with hjem). */
    size_t k = out->len;
    if (undouble && k >= 4 && out->data[k - 1] == 'm' && out->data[k - 2] == 'm' &&
        msk_norsk_word(l->data, out->data, k - 1))
        out->data[--out->len] = '\0';
    const char *to = map_get(&l->map, out->data, out->len);
    if (to != NULL) {
        out->len = 0;
        st = msk_buf_append(out, to, strlen(to));
    }
    return st;
}

motesok_status msk_lang_stem(const msk_lang *l, const char *w, size_t n, msk_buf *out)
{
    return stem_with(l, w, n, out, true);
}

bool msk_lang_paired(const msk_lang *l, const char *w, size_t n)
{
    if (l->map.n == 0)
        return false;
    msk_buf s = {0};
    bool paired = snowball(w, n, &s) == MOTESOK_OK && map_get(&l->map, s.data, s.len) != NULL;
    msk_buf_free(&s);
    return paired;
}

/* ---- compound parts ---------------------------------------------------- */

/* Most stems msk_lang_part_stems gives for one word (tops and leaf runs). */
#define MAX_PART_STEMS (MSK_SPLIT_MAX + MSK_SPLIT_MAX * MSK_SPLIT_MAX * (MSK_SPLIT_MAX * MSK_SPLIT_MAX + 1) / 2)

/* Add the stem of w[a..b) to seen (and give it to fn) unless it is there. */
static motesok_status add_part(const msk_lang *l, const char *w, size_t a, size_t b, msk_buf *seen,
                               size_t *offs, size_t *n_seen,
                               void (*fn)(const char *stem, size_t len, void *ctx), void *ctx)
{
    msk_buf s = {0};
    motesok_status st = msk_lang_stem(l, w + a, b - a, &s);
    for (size_t i = 0; st == MOTESOK_OK && i < *n_seen; i++)
        if (strcmp(seen->data + offs[i], s.data) == 0) {
            msk_buf_free(&s);
            return MOTESOK_OK;
        }
    if (st == MOTESOK_OK && *n_seen < MAX_PART_STEMS + 1) {
        offs[*n_seen] = seen->len;
        st = msk_buf_append(seen, s.data, s.len + 1);
        if (st == MOTESOK_OK) {
            (*n_seen)++;
            if (fn != NULL)
                fn(s.data, s.len, ctx);
        }
    }
    msk_buf_free(&s);
    return st;
}

motesok_status msk_lang_part_stems(const msk_lang *l, const char *w, size_t n,
                                   void (*fn)(const char *stem, size_t len, void *ctx), void *ctx)
{
    msk_split sp;
    if (!msk_norsk_split(l->data, w, n, &sp))
        return MOTESOK_OK;
    msk_buf seen = {0};
    size_t offs[MAX_PART_STEMS + 1], n_seen = 0;
    /* the whole word's stem first, so that no part gives it again */
    motesok_status st = add_part(l, w, 0, n, &seen, offs, &n_seen, NULL, NULL);
    for (size_t i = 0; st == MOTESOK_OK && i < sp.n_top; i++)
        st = add_part(l, w, sp.top[i].start, sp.top[i].end, &seen, offs, &n_seen, fn, ctx);
    for (size_t i = 0; st == MOTESOK_OK && i < sp.n_leaf; i++)
        for (size_t j = i; st == MOTESOK_OK && j < sp.n_leaf; j++)
            if (!(i == 0 && j == sp.n_leaf - 1))
                st = add_part(l, w, sp.leaf[i].start, sp.leaf[j].end, &seen, offs, &n_seen, fn, ctx);
    msk_buf_free(&seen);
    return st;
}

/* ---- stopwords ------------------------------------------------------- */

bool msk_lang_stopword(const msk_lang *l, const char *w, size_t n)
{
    return msk_norsk_stopword(l->data, w, n);
}

bool msk_lang_query_stopword(const msk_lang *l, const char *w, size_t n)
{
    if (msk_norsk_stopword(l->data, w, n))
        return true;
    for (size_t i = 0; i < msk_query_n_operators(); i++) {
        const char *op = msk_query_operator_at(i);
        size_t k = strlen(op), j = 0;
        while (j < k && j < n && w[j] >= 'a' && w[j] <= 'z' && w[j] - 'a' + 'A' == op[j])
            j++;
        if (j == k && n == k)
            return true;
    }
    return false;
}

/* ---- synonym groups ---------------------------------------------------- */

size_t msk_lang_n_groups(const msk_lang *l)
{
    return l->n_groups;
}

size_t msk_lang_group_size(const msk_lang *l, size_t g)
{
    return g < l->n_groups ? l->groups[g].n : 0;
}

size_t msk_lang_groups_with(const msk_lang *l, const char *stem, const size_t **groups)
{
    size_t lo = 0, hi = l->n_by_stem;
    while (lo < hi) { /* the first entry not below stem */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->by_stem[mid].stem, stem) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < l->n_by_stem && strcmp(l->by_stem[end].stem, stem) == 0)
        end++;
    *groups = l->by_stem_g != NULL ? l->by_stem_g + lo : NULL;
    return end - lo;
}

void msk_lang_member(const msk_lang *l, size_t g, size_t m, const char *const **stems,
                     size_t *n_stems, const char *const **tight, size_t *n_tight)
{
    const member *mb = g < l->n_groups && m < l->groups[g].n ? &l->groups[g].members[m] : NULL;
    *stems = mb != NULL ? (const char *const *)mb->stems : NULL;
    *n_stems = mb != NULL ? mb->n_stems : 0;
    *tight = mb != NULL ? (const char *const *)mb->tight : NULL;
    *n_tight = mb != NULL ? mb->n_tight : 0;
}

static void free_member(member *mb)
{
    for (size_t i = 0; i < mb->n_stems; i++)
        free(mb->stems[i]);
    for (size_t i = 0; i < mb->n_tight; i++)
        free(mb->tight[i]);
    free(mb->stems);
    free(mb->tight);
    memset(mb, 0, sizeof *mb);
}

/* Member text (words separated by one space) as stems and, when tight,
 * words: false when out of memory; an empty member (stopwords only) has no
 * stems. */
static bool build_member(const msk_lang *l, const char *text, member *mb)
{
    size_t words = 1;
    for (const char *p = text; *p != '\0'; p++)
        words += *p == ' ';
    mb->stems = calloc(words, sizeof *mb->stems);
    mb->tight = calloc(words, sizeof *mb->tight);
    if (mb->stems == NULL || mb->tight == NULL)
        return false;
    bool short_word = false;
    msk_buf s = {0};
    for (const char *p = text; *p != '\0';) {
        const char *sp = strchr(p, ' ');
        size_t n = sp != NULL ? (size_t)(sp - p) : strlen(p);
        if (n > 0 && !msk_norsk_stopword(l->data, p, n)) {
            char *word = msk_strndup(p, n);
            if (word == NULL || stem_with(l, p, n, &s, false) != MOTESOK_OK ||
                (mb->stems[mb->n_stems] = msk_strndup(s.data, s.len)) == NULL) {
                free(word);
                msk_buf_free(&s);
                return false;
            }
            mb->n_stems++;
            short_word = short_word || msk_utf8_chars(word, n) <= 2;
            mb->tight[mb->n_tight++] = word;
        }
        p += n + (sp != NULL);
    }
    msk_buf_free(&s);
    if (!short_word || mb->n_tight < 2) { /* not searched as a phrase */
        for (size_t i = 0; i < mb->n_tight; i++)
            free(mb->tight[i]);
        free(mb->tight);
        mb->tight = NULL;
        mb->n_tight = 0;
    }
    return true;
}

/* True if two lists of n strings are equal. */
static bool same_strings(char *const *a, char *const *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/* True if members a and b read alike: the same stems and tight words
 * ("pleie- og omsorgstjenester" and "pleie- og omsorgstenester" both stem
 * to pleie, omsorgstjenest). */
static bool same_member(const member *a, const member *b)
{
    return a->n_stems == b->n_stems && a->n_tight == b->n_tight &&
           same_strings(a->stems, b->stems, a->n_stems) &&
           same_strings(a->tight, b->tight, a->n_tight);
}

/* True if mb reads like one of the first n members of gr. */
static bool repeats(const group *gr, size_t n, const member *mb)
{
    for (size_t k = 0; k < n; k++)
        if (same_member(&gr->members[k], mb))
            return true;
    return false;
}

static void free_group(group *gr)
{
    for (size_t m = 0; m < gr->n; m++)
        free_member(&gr->members[m]);
    free(gr->members);
    memset(gr, 0, sizeof *gr);
}

/* The groups of l->data as stems; false when out of memory (what was
 * built stays in l, for free_groups). */
static bool build_groups(msk_lang *l)
{
    size_t n = msk_norsk_n_groups(l->data);
    l->groups = calloc(n > 0 ? n : 1, sizeof *l->groups);
    if (l->groups == NULL)
        return false;
    for (size_t g = 0; g < n; g++) {
        const char *const *members;
        size_t k = msk_norsk_group(l->data, g, &members);
        group *gr = &l->groups[l->n_groups];
        gr->members = calloc(k > 0 ? k : 1, sizeof *gr->members);
        bool ok = gr->members != NULL;
        for (size_t m = 0; ok && m < k; m++) {
            member *mb = &gr->members[gr->n];
            ok = build_member(l, members[m], mb);
            /* each alternative once: a repeat would weigh twice in a query */
            if (ok && mb->n_stems > 0 && !repeats(gr, gr->n, mb))
                gr->n++;
            else
                free_member(mb);
        }
        if (ok && gr->n >= 2)
            l->n_groups++;
        else
            free_group(gr);
        if (!ok)
            return false;
    }
    return true;
}

/* By stem, then by group. */
static int by_stem_then_group(const void *pa, const void *pb)
{
    const stem_group *a = pa, *b = pb;
    int c = strcmp(a->stem, b->stem);
    return c != 0 ? c : (a->g > b->g) - (a->g < b->g);
}

/* Index l's groups by the stems of their members; false when out of
 * memory (the index then stays empty, and no query finds a group). */
static bool index_groups(msk_lang *l)
{
    size_t n = 0;
    for (size_t g = 0; g < l->n_groups; g++)
        for (size_t m = 0; m < l->groups[g].n; m++)
            n += l->groups[g].members[m].n_stems;
    l->by_stem = calloc(n > 0 ? n : 1, sizeof *l->by_stem);
    l->by_stem_g = calloc(n > 0 ? n : 1, sizeof *l->by_stem_g);
    if (l->by_stem == NULL || l->by_stem_g == NULL) {
        free(l->by_stem);
        free(l->by_stem_g);
        l->by_stem = NULL;
        l->by_stem_g = NULL;
        return false;
    }
    size_t k = 0;
    for (size_t g = 0; g < l->n_groups; g++)
        for (size_t m = 0; m < l->groups[g].n; m++)
            for (size_t i = 0; i < l->groups[g].members[m].n_stems; i++)
                l->by_stem[k++] = (stem_group){l->groups[g].members[m].stems[i], g};
    if (k > 1)
        qsort(l->by_stem, k, sizeof *l->by_stem, by_stem_then_group);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || l->by_stem[u - 1].g != l->by_stem[i].g ||
            strcmp(l->by_stem[u - 1].stem, l->by_stem[i].stem) != 0)
            l->by_stem[u++] = l->by_stem[i];
    for (size_t i = 0; i < u; i++)
        l->by_stem_g[i] = l->by_stem[i].g;
    l->n_by_stem = u;
    return true;
}

/* Free l's groups. */
static void free_groups(msk_lang *l)
{
    free(l->by_stem);
    free(l->by_stem_g);
    l->by_stem = NULL;
    l->by_stem_g = NULL;
    l->n_by_stem = 0;
    for (size_t g = 0; g < l->n_groups; g++)
        free_group(&l->groups[g]);
    free(l->groups);
    l->groups = NULL;
    l->n_groups = 0;
}

/* The Nynorsk → Bokmål pairs as stems; false when out of memory. */
static bool build_map(msk_lang *l)
{
    size_t first = msk_norsk_n_first_pairs(l->data);
    msk_buf from = {0}, to = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < msk_norsk_n_pairs(l->data); i++) {
        const char *nn, *nb;
        msk_norsk_pair(l->data, i, &nn, &nb);
        if (snowball(nn, strlen(nn), &from) != MOTESOK_OK || snowball(nb, strlen(nb), &to) != MOTESOK_OK) {
            ok = false;
            break;
        }
        /* A pair of a later data folder (generated from a dictionary, not
         * checked by hand) whose Nynorsk word the stemmer cuts down to
         * another dictionary word would map that word's family too
         * ("styrar bestyrer": stem styr, that of styre; "munnleg muntlig":
         * munn): left out. */
        if (i >= first && strcmp(from.data, nn) != 0 && msk_norsk_word(l->data, from.data, from.len))
            continue;
        if (strcmp(from.data, to.data) != 0)
            ok = map_put(&l->map, from.data, to.data);
    }
    msk_buf_free(&from);
    msk_buf_free(&to);
    if (ok)
        map_sort(&l->map);
    return ok;
}

static msk_lang shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

/* Build the shared analysis; without memory, its tables stay empty. */
static void build_shared(void)
{
    shared.data = msk_norsk_shared();
    if (!build_map(&shared))
        map_free(&shared.map);
    if (!build_groups(&shared) || !index_groups(&shared))
        free_groups(&shared);
}

const msk_lang *msk_lang_shared(void)
{
    pthread_once(&shared_once, build_shared);
    return &shared;
}

const msk_norsk *msk_lang_data(const msk_lang *l)
{
    return l->data;
}

/* ---- the binding's hooks ----------------------------------------------- */

static motesok_status hook_stem(const char *w, size_t n, msk_buf *out)
{
    return msk_lang_stem(msk_lang_shared(), w, n, out);
}

static bool hook_stopword(const char *w, size_t n)
{
    return msk_lang_stopword(msk_lang_shared(), w, n);
}

static bool hook_query_stopword(const char *w, size_t n)
{
    return msk_lang_query_stopword(msk_lang_shared(), w, n);
}

static motesok_status hook_parts(const char *w, size_t n,
                                 void (*fn)(const char *stem, size_t len, void *ctx), void *ctx)
{
    return msk_lang_part_stems(msk_lang_shared(), w, n, fn, ctx);
}

static bool hook_date_range(const char *from, const char *to, char lo[9], char hi[9])
{
    return msk_query_date_range(from, to, lo, hi) == MSK_DATES_OK;
}

static const motesok_xanalysis hooks = {
    .stem = hook_stem,
    .stopword = hook_stopword,
    .query_stopword = hook_query_stopword,
    .parts = hook_parts,
    .date_range = hook_date_range,
    .part_score = msk_part_score,
};

/* Installed when the library loads, before any document or query is made,
 * so that no writer or reader ever runs with another analysis. */
__attribute__((constructor)) static void install_hooks(void)
{
    motesok_xset_analysis(&hooks);
}
