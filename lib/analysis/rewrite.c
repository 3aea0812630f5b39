/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A user's query read the Norwegian way (lib/analysis/query.h,
 * msk_query_parse): Xapian's parser (through the binding) gives the tree;
 * here compounds meet their parts, synonym groups and abbreviations their
 * members, letters and digits their other spellings, two words the
 * compound they make; wildcards are expanded within bounds, the words the
 * top passages are re-ranked by are gathered, and a spelling correction is
 * offered only for a word that finds nothing. */
#include "analysis/lang.h"
#include "analysis/query.h"
#include "schema.h"
#include "xapian/xapian.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- bookkeeping ---------------------------------------------------------- */

/* A growing list of trees (each holding a reference). */
typedef struct tlist {
    motesok_xtree **v;
    size_t n, cap;
} tlist;

/* One remembered answer: k (and k2) → v or b. */
typedef struct memo {
    const char *k, *k2, *v;
    bool b;
} memo;

typedef struct memos {
    memo *v;
    size_t n, cap;
} memos;

/* A string allocated for one parse (freed with it). */
typedef struct piece {
    struct piece *next;
    char s[];
} piece;

/* What rewriting one query needs and gathers. */
typedef struct rw {
    motesok_xreader *r;
    const msk_lang *lang;
    const msk_norsk *data;
    motesok_status st; /* the first failure; OK while none */
    motesok_error *err;
    piece *strings;
    memos capitalised; /* folded words typed with a capital (k) */
    memos unstem;      /* a stemmed term (k) → the word typed for it (v) */
    memos joined;      /* joined_stem's answers (k, k2 → v) */
    memos parts;       /* part_indexed's answers (k → b) */
    memos found;       /* finds' answers (k → b) */
    memos suggested;   /* suggestion's answers (k → v) */
    tlist bonus;       /* the whole words' bonus, weighed on the top passages */
    unsigned splits_left; /* split points compound_correction may still try */
    bool any_part;        /* any part of a compound may match, not all */
    bool parts_relaxed;   /* a compound was searched by any of its parts */
} rw;

/* Record the first failure. */
static void fail(rw *w, motesok_status st, motesok_error *e)
{
    if (w->st == MOTESOK_OK) {
        w->st = st;
        if (w->err != NULL && e != NULL && e != w->err)
            *w->err = *e;
        else if (w->err != NULL && e == NULL)
            msk_error_set(w->err, st, "out of memory while reading the query");
    }
}

/* Room for a string of n bytes and its NUL that lives as long as the
 * parse; NULL when out of memory (recorded). */
static char *piece_of(rw *w, size_t n)
{
    piece *p = malloc(sizeof *p + n + 1);
    if (p == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        return NULL;
    }
    p->next = w->strings;
    w->strings = p;
    p->s[n] = '\0';
    return p->s;
}

/* A copy of s[0..n) that lives as long as the parse ("" when out of memory). */
static const char *str_n(rw *w, const char *s, size_t n)
{
    char *t = piece_of(w, n);
    if (t == NULL)
        return "";
    memcpy(t, s, n);
    return t;
}

static const char *str(rw *w, const char *s)
{
    return str_n(w, s, strlen(s));
}

/* a + b + c as one string of the parse. */
static const char *cat3(rw *w, const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *t = piece_of(w, na + nb + nc);
    if (t == NULL)
        return "";
    memcpy(t, a, na);
    memcpy(t + na, b, nb);
    memcpy(t + na + nb, c, nc);
    return t;
}

static const char *cat(rw *w, const char *a, const char *b)
{
    return cat3(w, a, b, "");
}

/* Xapian's lower case of s, as a string of the parse. */
static const char *lower(rw *w, const char *s)
{
    char *l = motesok_xlower(s);
    if (l == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        return "";
    }
    const char *out = str(w, l);
    free(l);
    return out;
}

/* The stem of lower-case word[0..n), as a string of the parse. */
static const char *stem_n(rw *w, const char *word, size_t n)
{
    msk_buf b = {0};
    motesok_status st = msk_lang_stem(w->lang, word, n, &b);
    const char *out = st == MOTESOK_OK ? str_n(w, b.data, b.len) : "";
    if (st != MOTESOK_OK)
        fail(w, st, NULL);
    msk_buf_free(&b);
    return out;
}

static const char *stem(rw *w, const char *word)
{
    return stem_n(w, word, strlen(word));
}

/* Remember k (k2) → v, b. */
static void remember(rw *w, memos *m, const char *k, const char *k2, const char *v, bool b)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        memo *nv = realloc(m->v, cap * sizeof *nv);
        if (nv == NULL) {
            fail(w, MOTESOK_ERR_NOMEM, NULL);
            return;
        }
        m->v = nv;
        m->cap = cap;
    }
    m->v[m->n++] = (memo){str(w, k), k2 != NULL ? str(w, k2) : NULL, v != NULL ? str(w, v) : NULL, b};
}

/* The memo of k (k2), or NULL. */
static const memo *recall(const memos *m, const char *k, const char *k2)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].k, k) == 0 && (k2 == NULL || strcmp(m->v[i].k2, k2) == 0))
            return &m->v[i];
    return NULL;
}

/* Add t (taking its reference) to l. */
static void push(rw *w, tlist *l, motesok_xtree *t)
{
    if (t == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        motesok_xtree **nv = realloc(l->v, cap * sizeof *nv);
        if (nv == NULL) {
            motesok_xtree_free(t);
            fail(w, MOTESOK_ERR_NOMEM, NULL);
            return;
        }
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = t;
}

static void tlist_free(tlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        motesok_xtree_free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* op over the trees of l (taking them; l is left empty). */
static motesok_xtree *op_of(rw *w, motesok_xtop op, tlist *l, unsigned param)
{
    motesok_xtree *t = motesok_xtree_op(op, l->v, l->n, param);
    free(l->v);
    memset(l, 0, sizeof *l);
    if (t == NULL)
        fail(w, MOTESOK_ERR_NOMEM, NULL);
    return t;
}

/* op over the list l, built anew for the node q: an OR of a compound's
 * parts keeps the parts all required that it counts as held. */
static motesok_xtree *op_like(rw *w, const motesok_xtree *q, motesok_xtop op, tlist *l)
{
    motesok_xtree *t = op_of(w, op, l, 0);
    if (t != NULL && op == q->op && q->held != NULL)
        t->held = motesok_xtree_ref(q->held);
    return t;
}

/* A term leaf. */
static motesok_xtree *leaf(rw *w, const char *term)
{
    motesok_xtree *t = motesok_xtree_term(term);
    if (t == NULL)
        fail(w, MOTESOK_ERR_NOMEM, NULL);
    return t;
}

/* Documents holding term (0 after a failure). */
static uint64_t termfreq(rw *w, const char *term)
{
    uint64_t n = 0;
    motesok_error e = {0};
    motesok_status st = motesok_xreader_termfreq(w->r, term, &n, &e);
    if (st != MOTESOK_OK) {
        fail(w, st, &e);
        return 0;
    }
    return n;
}

/* True if t matches some document (false after a failure). */
static bool matches(rw *w, motesok_xtree *t)
{
    bool any = false;
    motesok_error e = {0};
    if (t == NULL)
        return false;
    motesok_status st = motesok_xreader_matches(w->r, t, &any, &e);
    if (st != MOTESOK_OK)
        fail(w, st, &e);
    return any;
}

/* ---- words ------------------------------------------------------------ */

/* True if term is a word of the body text: no field prefix, letters only
 * (words with digits, like 2018 or sak12, have no parts and no spelling). */
static bool plain_word(const char *t)
{
    if (*t == '\0' || (*t >= 'A' && *t <= 'Z'))
        return false;
    for (; *t != '\0'; t++) {
        unsigned char c = (unsigned char)*t;
        if (c < 0x80 && !(c >= 'a' && c <= 'z'))
            return false;
    }
    return true;
}

/* Characters of UTF-8 string s. */
static size_t utf8_chars(const char *s)
{
    return msk_utf8_chars(s, strlen(s));
}

/* Where each character of s (len bytes) begins, into at (room for len + 1);
 * at[count] = len. Returns the count. */
static size_t char_starts(const char *s, size_t len, size_t *at)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            at[n++] = i;
    at[n] = len;
    return n;
}

/* True if w is a stopword of documents. */
static bool stopword(rw *w, const char *s)
{
    return msk_lang_stopword(w->lang, s, strlen(s));
}

/* The body-text word a query leaf stands for (NULL for other leaves): the
 * word as typed for a stemmed term, else a capitalised word itself. */
static const char *leaf_word(rw *w, const motesok_xtree *q)
{
    if (q->op != MOTESOK_XT_TERM)
        return NULL;
    const char *term = q->term;
    if (strlen(term) > 1 && term[0] == 'Z' && plain_word(term + 1)) {
        const memo *m = recall(&w->unstem, term, NULL);
        return m != NULL ? m->v : term + 1;
    }
    return plain_word(term) && recall(&w->capitalised, term, NULL) != NULL ? term : NULL;
}

/* True if some passage holds stem s as a part of a compound. */
static bool part_indexed(rw *w, const char *s)
{
    const memo *m = recall(&w->parts, s, NULL);
    if (m != NULL)
        return m->b;
    bool found = termfreq(w, cat(w, MOTESOK_PREFIX_PART, s)) != 0;
    remember(w, &w->parts, s, NULL, NULL, found);
    return found;
}

/* The word with stem s, whole or as a part of a longer compound, weighed
 * as one term (Zs and XDs together, as if the same word). With bonus, Zs
 * is added to it: the top passages with the word whole get its weight
 * again (the re-rank), so that "kommunale tjenester" ranks above
 * "spesialisthelsetjenesten" (a bonus of 0.3–1.5 times measured the same on
 * bench/relevance/v2's tuning half; weighing parts down with their own
 * statistics instead lost nDCG there). Without bonus, the word whole or as
 * a part weighs the same (the parts of a compound searched for: røntgen and
 * tilbud found apart must not outrank røntgentilbud). The bonus is weighed
 * after the match, on a few dozen passages, because an OR with Zs in the
 * match reads its postings twice (query cost 2.3× plain Xapian, 1.6×
 * without). */
static motesok_xtree *stem_or_part(rw *w, const char *s, tlist *bonus)
{
    motesok_xtree *whole = leaf(w, cat(w, "Z", s));
    /* no passage holds it inside a compound: the word whole, and its bonus
     * on every passage (the same order, without a synonym and a re-rank) */
    if (!part_indexed(w, s))
        return bonus != NULL ? motesok_xtree_scale(whole, 2.0) : whole;
    if (bonus != NULL)
        push(w, bonus, motesok_xtree_ref(whole));
    return motesok_xtree_op2(MOTESOK_XT_SYNONYM, whole, leaf(w, cat(w, MOTESOK_PREFIX_PART, s)));
}

/* What the stem of a name typed with a capital weighs against its exact form. */
#define NAME_STEM_WEIGHT 0.6

/* Words a compound's leading parts stand for at most (with_parts). */
#define PART_PREFIX_TERMS 20

/* The stems of word's spans, all of them (or, relaxed, any of them). */
static motesok_xtree *all_of(rw *w, const char *word, const msk_span *spans, size_t n)
{
    tlist parts = {0};
    for (size_t i = 0; i < n; i++)
        push(w, &parts,
             stem_or_part(w, stem_n(w, word + spans[i].start, (size_t)(spans[i].end - spans[i].start)),
                          NULL));
    /* relaxed: any part (a compound no passage holds whole or with all its
     * parts: ungdomssymfoniorkester, ungdomssymfonikerne) */
    if (w->any_part && parts.n > 1) {
        w->parts_relaxed = true;
        tlist every = {0};
        for (size_t i = 0; i < parts.n; i++)
            push(w, &every, motesok_xtree_ref(parts.v[i]));
        motesok_xtree *all = op_of(w, MOTESOK_XT_AND, &every, 0);
        motesok_xtree *any = op_of(w, MOTESOK_XT_OR, &parts, 0);
        if (any != NULL)
            any->held = all;
        else
            motesok_xtree_free(all);
        return any;
    }
    return op_of(w, MOTESOK_XT_AND, &parts, 0);
}

/* True if word (as typed) finds something by itself: its form or its stem
 * is in some document. */
static bool word_found(rw *w, const char *word)
{
    const char *l = lower(w, word);
    const char *s = stem(w, l);
    return termfreq(w, l) != 0 || termfreq(w, cat(w, "Z", s)) != 0 ||
           termfreq(w, cat(w, MOTESOK_PREFIX_PART, s)) != 0;
}

/* True if word[0..n) is a compound that passages hold whole but that
 * documents do not carry split (a known word with a part under five
 * letters: behandlings|sted), so that the leaves of a longer compound
 * holding it (behandling|sted|valg) miss the passages that hold it
 * (valg av behandlingssted). */
static bool unsplit_word(rw *w, const char *word, size_t n)
{
    msk_split sp;
    if (msk_norsk_split(w->data, word, n, &sp))
        return false;
    return termfreq(w, cat(w, "Z", stem_n(w, word, n))) != 0;
}

/* Parts a compound no dictionary splits is split into by the index's own
 * words, at most; the letters of each part and of the word, at least. */
#define VOCAB_PARTS 3
#define VOCAB_MIN_PART 3
#define VOCAB_MIN_WORD 8
#define VOCAB_MAX_BYTES 96

/* Passages holding l[a..b) by its stem, whole or as a compound's part
 * (the larger count); 0 for a stopword or none. */
static uint64_t vocab_freq(rw *w, const char *l, size_t a, size_t b)
{
    const char *part = str_n(w, l + a, b - a);
    if (stopword(w, part))
        return 0;
    const char *s = stem(w, part);
    const uint64_t whole = termfreq(w, cat(w, "Z", s));
    const uint64_t inside = part_indexed(w, s) ? termfreq(w, cat(w, MOTESOK_PREFIX_PART, s)) : 0;
    return whole > inside ? whole : inside;
}

/* One way of cutting a word into parts (byte spans, links left out). */
typedef struct vocab_cut {
    msk_span part[VOCAB_PARTS];
    size_t n;
    double score; /* the mean of the parts' log counts */
} vocab_cut;

/* Try every cut of l (letters at at[0..L], at[L] its length) into the
 * parts still to come after those of *c, beginning at letter k; keep the
 * best whole cut in *best: fewest parts, then the highest mean log count
 * (the parts most often found: reseksjonering|s|krav, not
 * reseksjon|eringskrav). freq[i * (L + 1) + j] caches letters i..j. */
static void vocab_cuts(rw *w, const char *l, const size_t *at, size_t L, size_t k, int64_t *freq,
                       vocab_cut *c, size_t parts, vocab_cut *best)
{
#define FREQ(i, j)                                                                                     (freq[(i) * (L + 1) + (j)] >= 0                                                                         ? freq[(i) * (L + 1) + (j)]                                                                        : (freq[(i) * (L + 1) + (j)] = (int64_t)vocab_freq(w, l, at[i], at[j])))
    if (w->st != MOTESOK_OK)
        return;
    if (c->n + 1 == parts) { /* the last part runs to the end: no ending of a derivation */
        if (L - k < VOCAB_MIN_PART || msk_norsk_ending(l + at[k], at[L] - at[k]))
            return;
        const int64_t f = FREQ(k, L);
        if (f == 0)
            return;
        double score = (c->score * (double)c->n + log((double)f)) / (double)parts;
        if (best->n == 0 || score > best->score) {
            *best = *c;
            best->part[best->n++] = (msk_span){(uint16_t)at[k], (uint16_t)at[L]};
            best->score = score;
        }
        return;
    }
    for (size_t e = k + VOCAB_MIN_PART; e + VOCAB_MIN_PART <= L; e++) {
        const int64_t f = FREQ(k, e);
        if (f == 0)
            continue;
        const bool link = l[at[e]] == 's' || l[at[e]] == 'e';
        for (size_t next = e; next <= e + (link ? 1u : 0u); next++) {
            vocab_cut d = *c;
            d.part[d.n] = (msk_span){(uint16_t)at[k], (uint16_t)at[e]};
            d.score = (c->score * (double)c->n + log((double)f)) / (double)(c->n + 1);
            d.n++;
            vocab_cuts(w, l, at, L, next, freq, &d, parts, best);
        }
    }
#undef FREQ
}

static const char *suggestion(rw *w, const char *word);

/* Letters of a word checked for a typo (one_edit_from_a_word), at least. */
#define TYPO_MIN_LETTERS 6

/* True if folded word l (no document holds it as such) is one edit from a
 * word of the spelling table: a typo, to be corrected rather than searched
 * by parts that happen to find something (Vestfosen: vest + Fosen, where
 * the passages say Vestfossen). */
static bool one_edit_from_a_word(rw *w, const char *l)
{
    if (utf8_chars(l) < TYPO_MIN_LETTERS)
        return false;
    const char *fix = suggestion(w, l);
    return *fix != '\0' && msk_edit_distance(l, strlen(l), fix, strlen(fix)) == 1;
}

/* The parts of folded word l that no dictionary splits, from the words the
 * index holds: studieplanfastsettelse → studieplan + fastsettelse,
 * butidskravunntak → butid + krav + unntak (the dictionaries know neither
 * compound; the passages say "fastsettelse av studieplan", "unntak frå
 * butidskrav"). Only for a word no passage holds, typed in lower case.
 * False if no cut into
 * VOCAB_PARTS parts or fewer has every part in some passage. */
static bool vocab_split(rw *w, const char *l, msk_span *spans, size_t *n)
{
    *n = 0;
    const size_t len = strlen(l);
    if (!plain_word(l) || len > VOCAB_MAX_BYTES)
        return false;
    size_t at[VOCAB_MAX_BYTES + 1]; /* where each letter begins */
    const size_t L = char_starts(l, len, at);
    /* a word typed with a capital is a name (Vestfosen is no vest + fos);
     * a typo cut into words that happen to be found is still offered its
     * correction (has_unknown_word), searched too when the cut finds little */
    if (L < VOCAB_MIN_WORD || recall(&w->capitalised, l, NULL) != NULL || word_found(w, l))
        return false;
    int64_t *freq = malloc((L + 1) * (L + 1) * sizeof *freq);
    if (freq == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        return false;
    }
    for (size_t i = 0; i < (L + 1) * (L + 1); i++)
        freq[i] = -1;
    vocab_cut best = {.n = 0};
    for (size_t parts = 2; parts <= VOCAB_PARTS && best.n == 0 && w->st == MOTESOK_OK; parts++) {
        vocab_cut c = {.n = 0};
        vocab_cuts(w, l, at, L, 0, freq, &c, parts, &best);
    }
    free(freq);
    for (size_t i = 0; i < best.n; i++)
        spans[i] = best.part[i];
    *n = best.n;
    return best.n > 0;
}

/* True if the spans a[0..na) and b[0..nb) cut a word the same way. */
static bool same_spans(const msk_span *a, size_t na, const msk_span *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i].start != b[i].start || a[i].end != b[i].end)
            return false;
    return true;
}

/* Leaf q for word: the word whole or as a compound's part (stem_or_part),
 * OR the word as typed if q is that (a capitalised word: the parser leaves
 * names as typed, but Aasheim should meet Åsheim), OR all the parts of word
 * if it is a compound (røntgentilbud → røntgen AND tilbud). */
static motesok_xtree *with_parts(rw *w, motesok_xtree *q, const char *word, bool stemmed,
                                 tlist *bonus)
{
    tlist alts = {0};
    const size_t len = strlen(word);
    /* q is a leaf: Z<stem> when stemmed */
    const char *s = stemmed ? q->term + 1 : stem(w, word);
    if (!stemmed)
        push(w, &alts, motesok_xtree_ref(q));
    /* a name typed with a capital (Råde, or a word no dictionary knows)
     * keeps its exact form first: its stem (råd: rådet) weighs less */
    if (!stemmed && (msk_norsk_name(w->data, word, len) || !msk_norsk_known(w->data, word, len))) {
        tlist whole = {0};
        push(w, &alts, motesok_xtree_scale(stem_or_part(w, s, bonus != NULL ? &whole : NULL),
                                           NAME_STEM_WEIGHT));
        for (size_t i = 0; i < whole.n; i++)
            push(w, bonus, motesok_xtree_scale(motesok_xtree_ref(whole.v[i]), NAME_STEM_WEIGHT));
        tlist_free(&whole);
    } else {
        push(w, &alts, stem_or_part(w, s, bonus));
    }
    msk_split sp;
    if (msk_norsk_split(w->data, word, len, &sp)) {
        /* a run of leaves short of the whole word that is a Nynorsk word
         * with a Bokmål pair of its own is read as that word, not as its
         * leaves apart: trafikk|tryggleik|plan holds trafikktryggleik
         * (trafikksikkerhet), while tryggleik alone is trygghet. Documents
         * carry every run of their compounds' leaves. */
        tlist runs = {0}, whole_runs = {0};
        const bool top_too = !w->any_part || sp.n_leaf <= sp.n_top;
        for (size_t i = 0; i < sp.n_leaf; i++)
            for (size_t j = i + 1; j < sp.n_leaf; j++) {
                const size_t a = sp.leaf[i].start, b = sp.leaf[j].end;
                if (i == 0 && j == sp.n_leaf - 1)
                    continue;
                const bool paired = msk_lang_paired(w->lang, word + a, b - a);
                if (!paired && !unsplit_word(w, word + a, b - a))
                    continue;
                msk_span spans[MSK_SPLIT_MAX * MSK_SPLIT_MAX];
                size_t n = 0;
                for (size_t k = 0; k < i; k++)
                    spans[n++] = sp.leaf[k];
                spans[n++] = (msk_span){sp.leaf[i].start, sp.leaf[j].end};
                for (size_t k = j + 1; k < sp.n_leaf; k++)
                    spans[n++] = sp.leaf[k];
                /* a run that is the top split itself (fastlege|ordningen
                 * of fast|lege|ordningen) is searched once: an OR of the
                 * same parts twice weighs them twice */
                if (top_too && same_spans(spans, n, sp.top, sp.n_top))
                    continue;
                push(w, paired ? &runs : &whole_runs, all_of(w, word, spans, n));
            }
        /* (relaxed, the finest parts alone: a part in both would count twice) */
        if (top_too)
            push(w, &alts, all_of(w, word, sp.top, sp.n_top));
        if (runs.n > 0) {
            for (size_t i = 0; i < runs.n; i++)
                push(w, &alts, runs.v[i]);
            free(runs.v);
        } else if (sp.n_leaf > sp.n_top) {
            push(w, &alts, all_of(w, word, sp.leaf, sp.n_leaf));
        }
        for (size_t i = 0; i < whole_runs.n; i++)
            push(w, &alts, whole_runs.v[i]);
        free(whole_runs.v);
        /* relaxed, a compound of three parts or more also finds the words
         * that begin with all its parts but the last, in any form
         * (ungdomssymfoni*: Ungdomssymfonikerne), weighed as the parts it has */
        if (w->any_part && sp.n_leaf >= 3)
            push(w, &alts,
                 motesok_xtree_scale(
                     motesok_xtree_wildcard(
                         lower(w, str_n(w, word, sp.leaf[sp.n_leaf - 1].start)), PART_PREFIX_TERMS),
                     (double)(sp.n_leaf - 1)));
    } else {
        /* a compound no dictionary knows: cut by the index's words */
        const char *l = lower(w, word);
        msk_span parts[VOCAB_PARTS];
        size_t n_parts = 0;
        if (vocab_split(w, l, parts, &n_parts))
            push(w, &alts, all_of(w, l, parts, n_parts));
    }
    return op_of(w, MOTESOK_XT_OR, &alts, 0);
}

/* Words of the index looked at for the forms of a word, and the forms kept. */
#define FORM_SCAN 50
#define MAX_FORMS 12

/* The exact forms in the index of the word typed (lower case) with stem
 * st: the word itself and the terms that begin with st and stem to it
 * (legevakt, legevakta, legevakten …), as an OR. */
static motesok_xtree *word_forms(rw *w, const char *typed, const char *st)
{
    tlist forms = {0};
    push(w, &forms, leaf(w, typed));
    motesok_xterm *terms = NULL;
    size_t n = 0;
    bool more;
    motesok_error e = {0};
    motesok_status rc = motesok_xreader_terms(w->r, st, FORM_SCAN, &terms, &n, &more, &e);
    if (rc != MOTESOK_OK)
        fail(w, rc, &e);
    for (size_t i = 0; i < n; i++)
        if (strcmp(terms[i].term, typed) != 0 && forms.n < MAX_FORMS &&
            strcmp(stem(w, terms[i].term), st) == 0)
            push(w, &forms, leaf(w, terms[i].term));
    motesok_xterms_free(terms, n);
    return op_of(w, MOTESOK_XT_OR, &forms, 0);
}

/* Synonym group g as a query: any one of its members, a member of several
 * words as all of them — or, when one of its words has one or two letters
 * (k-styre, ø-hjelp), as those words next to each other in their exact
 * forms: "k" and "styre" apart are in every law that lists items a) to k)
 * and speaks of a board. */
static motesok_xtree *group_query(rw *w, size_t g)
{
    tlist members = {0};
    for (size_t m = 0; m < msk_lang_group_size(w->lang, g); m++) {
        const char *const *stems, *const *tight;
        size_t n_stems, n_tight;
        msk_lang_member(w->lang, g, m, &stems, &n_stems, &tight, &n_tight);
        tlist words = {0};
        if (n_tight > 0) {
            for (size_t i = 0; i < n_tight; i++)
                push(w, &words,
                     utf8_chars(tight[i]) <= 2 ? leaf(w, tight[i]) : word_forms(w, tight[i], stem(w, tight[i])));
            unsigned n = (unsigned)words.n;
            push(w, &members, op_of(w, MOTESOK_XT_PHRASE, &words, n));
            continue;
        }
        for (size_t i = 0; i < n_stems; i++)
            push(w, &words, stem_or_part(w, stems[i], &w->bonus));
        push(w, &members, op_of(w, MOTESOK_XT_AND, &words, 0));
    }
    return op_of(w, MOTESOK_XT_OR, &members, 0);
}

/* True if member m of group g is exactly the n stems. */
static bool member_is(rw *w, size_t g, size_t m, const char *const *stems, size_t n)
{
    const char *const *ms, *const *tight;
    size_t n_ms, n_tight;
    msk_lang_member(w->lang, g, m, &ms, &n_ms, &tight, &n_tight);
    if (n_ms != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(ms[i], stems[i]) != 0)
            return false;
    return true;
}

/* A phrase of plain words (PLO-meldinger is parsed as one) OR, when its
 * words in order are a member of a synonym group, the whole group. */
static motesok_xtree *with_group(rw *w, motesok_xtree *q)
{
    const char *stems[64];
    size_t n = 0;
    for (size_t i = 0; i < q->n_kids; i++) {
        const motesok_xtree *sub = q->kids[i];
        if (sub->op != MOTESOK_XT_TERM || !plain_word(sub->term) || n == 64)
            return motesok_xtree_ref(q);
        if (!stopword(w, sub->term))
            stems[n++] = stem(w, sub->term);
    }
    const size_t groups = msk_lang_n_groups(w->lang);
    for (size_t g = 0; g < groups; g++)
        for (size_t m = 0; m < msk_lang_group_size(w->lang, g); m++)
            if (member_is(w, g, m, stems, n))
                return motesok_xtree_op2(MOTESOK_XT_OR, motesok_xtree_ref(q), group_query(w, g));
    /* a word of a short phrase (VA-gebyr is parsed as one) that is an
     * abbreviation of a group: also the group and the other words, apart
     * (gebyr for vann og avløp, vann- og avløpsgebyr) */
    if (n < 2 || n > 3)
        return motesok_xtree_ref(q);
    tlist words = {0};
    bool grouped = false;
    for (size_t i = 0; i < n; i++) {
        size_t found = SIZE_MAX;
        for (size_t g = 0; g < groups; g++)
            for (size_t m = 0; m < msk_lang_group_size(w->lang, g); m++)
                if (found == SIZE_MAX && strlen(stems[i]) <= 5 && member_is(w, g, m, &stems[i], 1))
                    found = g;
        grouped = grouped || found != SIZE_MAX;
        push(w, &words, found != SIZE_MAX ? group_query(w, found) : stem_or_part(w, stems[i], NULL));
    }
    if (!grouped) {
        tlist_free(&words);
        return motesok_xtree_ref(q);
    }
    return motesok_xtree_op2(MOTESOK_XT_OR, motesok_xtree_ref(q), op_of(w, MOTESOK_XT_AND, &words, 0));
}

/* Term t without the stem prefix: lis1 for Zlis1 or lis1. */
static const char *unstemmed(const char *t)
{
    return strlen(t) > 1 && t[0] == 'Z' ? t + 1 : t;
}

/* The digits of a number term (2018, or stemmed: Z2018), else NULL. */
static const char *number_term(const char *term)
{
    const char *t = unstemmed(term);
    if (*t == '\0')
        return NULL;
    for (const char *p = t; *p != '\0'; p++)
        if (*p < '0' || *p > '9')
            return NULL;
    return t;
}

/* True if t is letters then digits or the reverse (msk_query_letter_digit_split). */
static size_t split_at(const char *t)
{
    return msk_query_letter_digit_split(t, strlen(t));
}

/* A leaf q for a word of letters and digits (LIS1, E18: term lis1 or
 * Zlis1) OR the same written apart or with a hyphen (LIS 1, LIS-1: the
 * phrase lis 1); q itself for other leaves. */
static motesok_xtree *with_letters_apart(rw *w, motesok_xtree *q)
{
    if (q->op != MOTESOK_XT_TERM)
        return motesok_xtree_ref(q);
    const char *t = unstemmed(q->term);
    const size_t at = split_at(t);
    if (at == SIZE_MAX)
        return motesok_xtree_ref(q);
    motesok_xtree *apart =
        motesok_xtree_op2(MOTESOK_XT_PHRASE, leaf(w, str_n(w, t, at)), leaf(w, t + at));
    if (strcmp(q->term, t) == 0) /* as typed already */
        return motesok_xtree_op2(MOTESOK_XT_OR, motesok_xtree_ref(q), apart);
    motesok_xtree *alts[] = {motesok_xtree_ref(q), leaf(w, t), apart};
    return motesok_xtree_op(MOTESOK_XT_OR, alts, 3, 0);
}

/* The one term a phrase of two leaves makes when they are letters and a
 * number (LIS-1 → lis1), else NULL. */
static const char *letters_number_joined(rw *w, const motesok_xtree *q)
{
    if (q->op != MOTESOK_XT_PHRASE || q->n_kids != 2 || q->kids[0]->op != MOTESOK_XT_TERM ||
        q->kids[1]->op != MOTESOK_XT_TERM)
        return NULL;
    const char *joined = cat(w, q->kids[0]->term, q->kids[1]->term);
    return split_at(joined) != SIZE_MAX ? joined : NULL;
}

/* The stem of the compound that words a and b, typed apart, make together
 * (a+b, a+s+b or a+e+b: pasient sikkerhet → pasientsikkerhet) if some
 * document holds it, whole or as a part; NULL if none does. */
static const char *joined_stem(rw *w, const char *a, const char *b)
{
    if (strlen(a) < 3 || strlen(b) < 3)
        return NULL;
    const memo *m = recall(&w->joined, a, b);
    if (m != NULL)
        return m->v;
    static const char *const links[] = {"", "s", "e"};
    const char *answer = NULL;
    for (size_t i = 0; i < 3 && answer == NULL; i++) {
        const char *s = stem(w, cat3(w, a, links[i], b));
        if (termfreq(w, cat(w, "Z", s)) != 0 || termfreq(w, cat(w, MOTESOK_PREFIX_PART, s)) != 0)
            answer = s;
    }
    remember(w, &w->joined, a, b, answer, false);
    return answer;
}

static motesok_xtree *rewrite(rw *w, motesok_xtree *q);

/* t, the rewritten query of word (the leaf kid), also matching the passages
 * of the files from a kommune that word names — typed with a capital, or no
 * common word (Haugesund, haugesund) — through their kommune name: so that
 * "skolestruktur Haugesund" finds the case on skolestruktur in Haugesund's
 * minutes, and not only their preamble, the one passage that says Haugesund.
 * On those passages the word weighs by the kommune name alone, alike on
 * every passage (a preamble naming the kommune again weighs no more); on
 * other passages by their text, as before. */
static motesok_xtree *with_kommune(rw *w, const motesok_xtree *kid, const char *word,
                                   motesok_xtree *t)
{
    if (t == NULL || word == NULL || w->st != MOTESOK_OK)
        return t;
    const char *l = lower(w, word);
    const bool capital = kid->term[0] != 'Z'; /* leaf_word: a word typed with a capital */
    if (!capital && msk_norsk_word(w->data, l, strlen(l)))
        return t;
    const char *name = cat3(w, "Z", MOTESOK_PREFIX_KOMMUNE, stem(w, l));
    if (termfreq(w, name) == 0)
        return t;
    motesok_xtree *k = leaf(w, name);
    if (k == NULL)
        return t;
    motesok_xtree *elsewhere = motesok_xtree_op2(MOTESOK_XT_AND_NOT, t, motesok_xtree_ref(k));
    return motesok_xtree_op2(MOTESOK_XT_OR, elsewhere, k);
}

/* t, the rewritten query of word, also matching the passages of the
 * meetings of a body whose whole name that word is, as typed or as its
 * genitive (formannskapet, formannskapets: the body "Formannskapet"): so
 * that "budsjett 2020 formannskapet" finds the formannskap's own case, whose
 * text seldom names the body that met, and not the meeting's preamble or
 * another body's case that quotes "formannskapets innstilling". On those
 * passages the word weighs by the body's name words alone (ZXO), alike on
 * every passage; elsewhere by the text. Only a body's whole one-word name
 * counts: the words of "Hovedutvalg for plan og næring" are common words. */
static motesok_xtree *with_organ(rw *w, const char *word, motesok_xtree *t)
{
    if (t == NULL || word == NULL || w->st != MOTESOK_OK)
        return t;
    const char *body = lower(w, word);
    const char *filter = cat(w, MOTESOK_PREFIX_ORGANF, body);
    size_t n = strlen(body);
    bool met = termfreq(w, filter) != 0;
    if (!met && n > 1 && body[n - 1] == 's') {
        body = str_n(w, body, n - 1);
        filter = cat(w, MOTESOK_PREFIX_ORGANF, body);
        met = termfreq(w, filter) != 0;
    }
    if (!met)
        return t;
    const char *name = cat3(w, "Z", MOTESOK_PREFIX_ORGAN, stem(w, body));
    motesok_xtree *f = leaf(w, filter);
    motesok_xtree *k = termfreq(w, name) != 0 ? leaf(w, name) : NULL;
    if (f == NULL || k == NULL) {
        motesok_xtree_free(f);
        motesok_xtree_free(k);
        return t;
    }
    motesok_xtree *elsewhere = motesok_xtree_op2(MOTESOK_XT_AND_NOT, t, motesok_xtree_ref(f));
    return motesok_xtree_op2(MOTESOK_XT_OR, elsewhere, motesok_xtree_op2(MOTESOK_XT_FILTER, k, f));
}

/* Ascending size_t. */
static int by_index(const void *pa, const void *pb)
{
    const size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

/* Rewrite the subqueries of an AND-like (all) or OR-like query into out:
 * stemmed words that together make a member of a synonym group become the
 * whole group; a word and a number also find the two as one term (LIS 1:
 * lis1); two words in a row that make a compound some document holds also
 * find that compound, which ranks above the words apart; other words are
 * searched with their parts; deeper queries are rewritten. */
static void rewrite_children(rw *w, motesok_xtree **kids, size_t n, bool all, tlist *out)
{
    size_t n_cand = 0, *cand = NULL;
    const char **words = calloc(n > 0 ? n : 1, sizeof *words);
    const char **stems = calloc(n > 0 ? n : 1, sizeof *stems);
    bool *used = calloc(n > 0 ? n : 1, sizeof *used);
    if (words == NULL || stems == NULL || used == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        words[i] = leaf_word(w, kids[i]);
        if (words[i] != NULL)
            stems[i] = kids[i]->term[0] == 'Z' ? kids[i]->term + 1 : stem(w, words[i]);
    }
    /* a number and a letter (9 A, 2 A-1) also find the two as one (9A,
     * 2A-1): how laws number the chapters and sections put in between */
    for (size_t i = 0; i + 1 < n; i++) {
        const motesok_xtree *next = kids[i + 1], *letter = NULL;
        if (used[i] || used[i + 1] || kids[i]->op != MOTESOK_XT_TERM ||
            number_term(kids[i]->term) == NULL)
            continue;
        if (next->op == MOTESOK_XT_TERM)
            letter = next;
        else if (next->op == MOTESOK_XT_PHRASE && next->n_kids == 2 &&
                 next->kids[0]->op == MOTESOK_XT_TERM && next->kids[1]->op == MOTESOK_XT_TERM &&
                 number_term(next->kids[1]->term) != NULL)
            letter = next->kids[0]; /* */
        const char *l = letter != NULL ? lower(w, unstemmed(letter->term)) : "";
        if (l[0] < 'a' || l[0] > 'z' || l[1] != '\0')
            continue;
        const char *one = cat(w, kids[i]->term, l);
        motesok_xtree *together =
            letter == next ? leaf(w, one)
                           : motesok_xtree_op2(MOTESOK_XT_PHRASE, leaf(w, one),
                                               motesok_xtree_ref(next->kids[1]));
        used[i] = used[i + 1] = true;
        motesok_xtree *number = motesok_xtree_ref(kids[i]), *rest = rewrite(w, kids[i + 1]);
        if (all) {
            push(w, out, motesok_xtree_op2(MOTESOK_XT_OR, motesok_xtree_op2(MOTESOK_XT_AND, number, rest),
                                           together));
        } else {
            push(w, out, number);
            push(w, out, rest);
            push(w, out, together);
        }
    }
    /* a word and a number (LIS 1) also find the two as one (LIS1) */
    for (size_t i = 0; i + 1 < n; i++) {
        const char *number = kids[i + 1]->op == MOTESOK_XT_TERM ? number_term(kids[i + 1]->term) : NULL;
        if (number == NULL || words[i] == NULL || used[i] || used[i + 1])
            continue;
        const char *one = cat(w, lower(w, words[i]), number);
        if (split_at(one) == SIZE_MAX)
            continue;
        used[i] = used[i + 1] = true;
        tlist a = {0};
        rewrite_children(w, &kids[i], 1, true, &a);
        motesok_xtree *b = motesok_xtree_ref(kids[i + 1]);
        motesok_xtree *first = a.n > 0 ? a.v[0] : NULL;
        for (size_t k = 1; k < a.n; k++)
            motesok_xtree_free(a.v[k]);
        free(a.v);
        if (all) {
            push(w, out, motesok_xtree_op2(MOTESOK_XT_OR, motesok_xtree_op2(MOTESOK_XT_AND, first, b),
                                           leaf(w, one)));
        } else {
            push(w, out, first);
            push(w, out, b);
            push(w, out, leaf(w, one));
        }
    }
    /* the groups a word's stem is in, in the groups' order: no other group
     * can match (every member has a stem) */
    for (size_t i = 0; i < n; i++) {
        const size_t *gs;
        size_t k = stems[i] != NULL ? msk_lang_groups_with(w->lang, stems[i], &gs) : 0;
        if (k == 0)
            continue;
        size_t *nc = realloc(cand, (n_cand + k) * sizeof *nc);
        if (nc == NULL) {
            fail(w, MOTESOK_ERR_NOMEM, NULL);
            goto done;
        }
        cand = nc;
        memcpy(cand + n_cand, gs, k * sizeof *gs);
        n_cand += k;
    }
    if (n_cand > 1)
        qsort(cand, n_cand, sizeof *cand, by_index);
    for (size_t c = 0; c < n_cand; c++) {
        const size_t g = cand[c];
        if (c > 0 && cand[c - 1] == g)
            continue;
        for (size_t m = 0; m < msk_lang_group_size(w->lang, g); m++) {
            const char *const *ms, *const *tight;
            size_t n_ms, n_tight;
            msk_lang_member(w->lang, g, m, &ms, &n_ms, &tight, &n_tight);
            size_t at[64], n_at = 0;
            for (size_t s = 0; s < n_ms && n_at < 64; s++) {
                for (size_t i = 0; i < n; i++) {
                    bool taken = false;
                    for (size_t k = 0; k < n_at; k++)
                        taken = taken || at[k] == i;
                    if (!used[i] && stems[i] != NULL && strcmp(stems[i], ms[s]) == 0 && !taken) {
                        at[n_at++] = i;
                        break;
                    }
                }
            }
            if (n_at != n_ms)
                continue;
            for (size_t k = 0; k < n_at; k++)
                used[at[k]] = true;
            /* a body's name may be a group's member (formannskapet, fsk) */
            motesok_xtree *gq = group_query(w, g);
            push(w, out, n_at == 1 ? with_organ(w, words[at[0]], gq) : gq);
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (used[i])
            continue;
        const char *joined = NULL;
        if (i + 1 < n && !used[i + 1] && words[i] != NULL && words[i + 1] != NULL)
            joined = joined_stem(w, words[i], words[i + 1]);
        /* the word rewritten: its parts (whole_bonus: with the whole word's
         * bonus), its letters and digits apart, or a deeper query */
#define REWRITTEN(k, whole_bonus)                                                                  \
    (words[k] == NULL ? (kids[k]->op == MOTESOK_XT_TERM ? with_letters_apart(w, kids[k])           \
                                                         : rewrite(w, kids[k]))                    \
                      : with_parts(w, kids[k], words[k], kids[k]->term[0] == 'Z',                  \
                                   (whole_bonus) ? &w->bonus : NULL))
        if (joined == NULL) {
            push(w, out, with_organ(w, words[i], with_kommune(w, kids[i], words[i], REWRITTEN(i, true))));
            continue;
        }
        /* the words apart weigh no more than as parts of the compound */
        used[i + 1] = true;
        motesok_xtree *a = REWRITTEN(i, false);
        motesok_xtree *b = REWRITTEN(i + 1, false);
#undef REWRITTEN
        if (all) {
            motesok_xtree *ab = motesok_xtree_op2(MOTESOK_XT_AND, a, b);
            push(w, out, motesok_xtree_op2(MOTESOK_XT_OR, ab, stem_or_part(w, joined, &w->bonus)));
        } else {
            push(w, out, a);
            push(w, out, b);
            push(w, out, stem_or_part(w, joined, &w->bonus));
        }
    }
done:
    free(cand);
    free(words);
    free(stems);
    free(used);
}

/* True for the boolean operators whose subqueries a rewrite walks into. */
static bool boolean_op(motesok_xtop op)
{
    switch (op) {
    case MOTESOK_XT_AND:
    case MOTESOK_XT_OR:
    case MOTESOK_XT_AND_NOT:
    case MOTESOK_XT_XOR:
    case MOTESOK_XT_AND_MAYBE:
    case MOTESOK_XT_FILTER:
    case MOTESOK_XT_MAX:
        return true;
    default:
        return false;
    }
}

/* q with compounds and synonyms expanded (see rewrite_children); phrases,
 * NEAR, wildcards, weights and filters stay as they are. */
static motesok_xtree *rewrite(rw *w, motesok_xtree *q)
{
    if (q->op == MOTESOK_XT_TERM) {
        tlist kids = {0};
        rewrite_children(w, &q, 1, true, &kids);
        if (kids.n == 1) {
            motesok_xtree *t = kids.v[0];
            free(kids.v);
            return t;
        }
        tlist_free(&kids);
        return motesok_xtree_ref(q);
    }
    if (q->op == MOTESOK_XT_PHRASE) {
        const char *one = letters_number_joined(w, q); /* LIS-1 → lis1 too */
        return one == NULL ? with_group(w, q)
                           : motesok_xtree_op2(MOTESOK_XT_OR, motesok_xtree_ref(q), leaf(w, one));
    }
    if (!boolean_op(q->op))
        return motesok_xtree_ref(q);
    tlist kids = {0};
    if (q->op == MOTESOK_XT_AND || q->op == MOTESOK_XT_OR) {
        rewrite_children(w, q->kids, q->n_kids, q->op == MOTESOK_XT_AND, &kids);
    } else {
        /* the first subquery ranks; the others (NOT, MAYBE, filter) each alone */
        for (size_t i = 0; i < q->n_kids; i++)
            push(w, &kids, rewrite(w, q->kids[i]));
    }
    return op_of(w, q->op, &kids, 0);
}

/* Positions a NEAR window spans beyond the words themselves. */
#define NEAR_SLACK 6

/* For a query of two to eight words (an AND or OR of them), a query that
 * matches where the words, in any of their forms, stand within a window
 * NEAR_SLACK wider than the query, so that passages holding them together
 * rank higher; NULL otherwise, or when two words in a row make a compound
 * that some document holds (that reading ranks first, see
 * rewrite_children). Stems and parts carry no positions; exact forms do.
 * On bench/relevance/v2's tuning half: +0.017 MRR@10, +0.008 nDCG@10
 * (slack 2–20 and a weight of 0.5–1.5 measured alike; the typed form
 * alone gained a third of that). */
static motesok_xtree *near_boost(rw *w, const motesok_xtree *q)
{
    if (q->op != MOTESOK_XT_AND && q->op != MOTESOK_XT_OR)
        return NULL;
    const char *typed[8];
    size_t n = 0;
    for (size_t i = 0; i < q->n_kids; i++) {
        const char *word = leaf_word(w, q->kids[i]);
        if (word == NULL)
            continue;
        if (n == 8)
            return NULL;
        typed[n++] = lower(w, word);
    }
    if (n < 2)
        return NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (joined_stem(w, typed[i], typed[i + 1]) != NULL)
            return NULL;
    tlist words = {0};
    for (size_t i = 0; i < n; i++)
        push(w, &words, word_forms(w, typed[i], stem(w, typed[i])));
    return op_of(w, MOTESOK_XT_NEAR, &words, (unsigned)(n + NEAR_SLACK));
}

/* Weight of a query word found in a passage's title (a case's title, or
 * the file's on its first passage), against its weight in the text.
 * bench/relevance (2026-12-03), MRR@10 / nDCG@10 without → with 0.2: v2
 * tune 0.948 / 0.826 → 0.953 / 0.832, v4 tune 0.893 / 0.864 → 0.901 /
 * 0.871 (0.3: the same within 0.003, 1.0 lost 0.013 on v4); checks: v2
 * held-out 0.926 / 0.802 → 0.928 / 0.809, queries.tsv 0.967 / 0.878 →
 * 0.967 / 0.876, heldout.tsv 0.969 / 0.956 → 0.990 / 0.977. */
#define TITLE_WEIGHT 0.2

/* Into out, for each word of q (a word, or an AND or OR of words and other
 * subqueries): the word in titles, as its stem (ZS) or, for a name kept
 * unstemmed, as typed (S), weighing TITLE_WEIGHT. Weighed, like the other
 * bonuses, on the top passages only. */
static void title_bonus(rw *w, const motesok_xtree *q, tlist *out)
{
    const motesok_xtree *const *kids = &q;
    size_t n = 1;
    if (q->op == MOTESOK_XT_AND || q->op == MOTESOK_XT_OR) {
        kids = (const motesok_xtree *const *)q->kids;
        n = q->n_kids;
    }
    for (size_t i = 0; i < n; i++) {
        const char *word = leaf_word(w, kids[i]);
        if (word == NULL)
            continue;
        const char *term = kids[i]->term[0] == 'Z'
                               ? cat3(w, "Z", MOTESOK_PREFIX_TITLE, stem(w, word))
                               : cat(w, MOTESOK_PREFIX_TITLE, word);
        push(w, out, motesok_xtree_scale(leaf(w, term), TITLE_WEIGHT));
    }
}

/* ---- fields without positions ---------------------------------------------- */

/* Count q's term leaves into *n, and whether each carries a field prefix
 * (starts with a capital) of a field indexed without positions: all but
 * the case number's. */
static bool field_leaves(const motesok_xtree *q, size_t *n)
{
    if (q->op == MOTESOK_XT_TERM) {
        (*n)++;
        const char *t = q->term;
        return !(t[0] < 'A' || t[0] > 'Z' ||
                 strncmp(t, MOTESOK_PREFIX_CASE, sizeof MOTESOK_PREFIX_CASE - 1) == 0);
    }
    for (size_t i = 0; i < q->n_kids; i++)
        if (!field_leaves(q->kids[i], n))
            return false;
    return true;
}

/* True if every term of q is of a field without positions (and q has some). */
static bool field_terms_only(const motesok_xtree *q)
{
    size_t n = 0;
    return field_leaves(q, &n) && n > 0;
}

/* q with each phrase or NEAR of field terms made an AND of its terms:
 * fields are indexed without positions, so that a phrase of them would
 * match nothing. Phrases of body text stay. */
static motesok_xtree *unphrase_fields(rw *w, motesok_xtree *q)
{
    const bool positional = q->op == MOTESOK_XT_PHRASE || q->op == MOTESOK_XT_NEAR;
    if (!positional && q->op != MOTESOK_XT_SYNONYM && !boolean_op(q->op))
        return motesok_xtree_ref(q);
    if (positional && !field_terms_only(q))
        return motesok_xtree_ref(q);
    tlist kids = {0};
    for (size_t i = 0; i < q->n_kids; i++)
        push(w, &kids, unphrase_fields(w, q->kids[i]));
    return op_like(w, q, positional ? MOTESOK_XT_AND : q->op, &kids);
}

/* ---- wildcards ---------------------------------------------------------- */

/* Terms of the index looked at per term a wildcard may expand to: bounds
 * the scan for the most frequent ones under a short prefix ("a*"). */
#define SCAN_PER_TERM 50

/* True for the operators whose subqueries may hold a parser's wildcard. */
static bool wildcard_parent(motesok_xtop op)
{
    return boolean_op(op) || op == MOTESOK_XT_SYNONYM;
}

/* Number of wildcard leaves of q under the operators wildcard_parent walks. */
static unsigned count_wildcards(const motesok_xtree *q)
{
    if (q->op == MOTESOK_XT_WILDCARD)
        return 1;
    if (!wildcard_parent(q->op))
        return 0;
    unsigned n = 0;
    for (size_t i = 0; i < q->n_kids; i++)
        n += count_wildcards(q->kids[i]);
    return n;
}

/* What expanding the wildcards of one query may use and has used. */
typedef struct expansion {
    unsigned share; /* terms each wildcard may expand to */
    unsigned scan;  /* terms of the index each may look at */
    motesok_xquery_cost cost;
} expansion;

/* Most frequent first, then in term order. */
static int by_freq(const void *pa, const void *pb)
{
    const motesok_xterm *a = pa, *b = pb;
    if (a->freq != b->freq)
        return a->freq > b->freq ? -1 : 1;
    return strcmp(a->term, b->term);
}

/* The most frequent terms (at most x->share; ties alphabetical) that start
 * with pattern, among the first x->scan of the index, as one synonym. */
static motesok_xtree *expand_pattern(rw *w, const char *pattern, expansion *x)
{
    motesok_xterm *seen = NULL;
    size_t n = 0;
    bool more = false;
    motesok_error e = {0};
    motesok_status st = motesok_xreader_terms(w->r, pattern, x->scan, &seen, &n, &more, &e);
    if (st != MOTESOK_OK)
        fail(w, st, &e);
    const size_t keep = n < x->share ? n : x->share;
    if (n > 1)
        qsort(seen, n, sizeof *seen, by_freq);
    tlist terms = {0};
    for (size_t i = 0; i < keep; i++)
        push(w, &terms, leaf(w, seen[i].term));
    motesok_xterms_free(seen, n);
    x->cost.expanded += (unsigned)keep;
    x->cost.cut = x->cost.cut || more || n > keep;
    return op_of(w, MOTESOK_XT_SYNONYM, &terms, 0);
}

/* q with every wildcard leaf under the operators wildcard_parent walks
 * replaced by its expansion (expand_pattern); a leaf whose pattern cannot
 * be read stays, bounded by the parser's own per-wildcard limit. */
static motesok_xtree *expand_wildcards(rw *w, motesok_xtree *q, expansion *x)
{
    if (q->op == MOTESOK_XT_WILDCARD) {
        x->cost.wildcards++;
        return q->term != NULL ? expand_pattern(w, q->term, x) : motesok_xtree_ref(q);
    }
    if (!wildcard_parent(q->op) || count_wildcards(q) == 0)
        return motesok_xtree_ref(q);
    tlist kids = {0};
    for (size_t i = 0; i < q->n_kids; i++)
        push(w, &kids, expand_wildcards(w, q->kids[i], x));
    return op_like(w, q, q->op, &kids);
}

/* q with its wildcards expanded within opt's limits into *cost. */
static motesok_xtree *bounded_wildcards(rw *w, motesok_xtree *q, const msk_query_options *opt,
                                        motesok_xquery_cost *cost)
{
    const unsigned n = count_wildcards(q);
    *cost = (motesok_xquery_cost){0};
    if (n == 0)
        return motesok_xtree_ref(q);
    const unsigned per = opt->parser.max_wildcard != 0 ? opt->parser.max_wildcard
                                                       : MOTESOK_XPARSE_MAX_WILDCARD;
    const unsigned all = opt->max_expanded != 0 ? opt->max_expanded : MSK_QUERY_MAX_EXPANDED;
    unsigned share = per < all / n ? per : all / n;
    if (share < 1)
        share = 1;
    expansion x = {share, share * SCAN_PER_TERM, {0}};
    motesok_xtree *out = expand_wildcards(w, q, &x);
    *cost = x.cost;
    return out;
}

/* ---- spelling ------------------------------------------------------------ */

/* The words of text as [start, end) offsets into spans (at most max);
 * returns their number (more than max: max + 1). */
static size_t word_spans(const char *text, size_t (*spans)[2], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; text[i] != '\0';) {
        if (!msk_query_word_byte((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (text[j] != '\0' && msk_query_word_byte((unsigned char)text[j]))
            j++;
        if (n < max) {
            spans[n][0] = i;
            spans[n][1] = j;
        }
        n++;
        i = j;
    }
    return n > max ? max + 1 : n;
}

/* True if word finds some passage: as typed, by its stem, as a part, or
 * through its own parts or synonym group. */
static bool finds(rw *w, const char *word)
{
    const char *l = lower(w, word);
    const memo *m = recall(&w->found, l, NULL);
    if (m != NULL)
        return m->b;
    bool answer;
    if (word_found(w, l)) {
        answer = true;
    } else if (!plain_word(l)) {
        answer = false;
    } else {
        motesok_xtree *t = leaf(w, cat(w, "Z", stem(w, l)));
        motesok_xtree *q = t != NULL ? rewrite(w, t) : NULL;
        answer = matches(w, q);
        motesok_xtree_free(q);
        motesok_xtree_free(t);
    }
    remember(w, &w->found, l, NULL, NULL, answer);
    return answer;
}

/* The spelling table's suggestion for word within two edits, over every
 * shard as Xapian chooses within one database: of the shards' own
 * suggestions the fewest edits, then the most frequent; none ("") when
 * the word itself is more frequent than that. */
static const char *suggestion(rw *w, const char *word)
{
    const memo *m = recall(&w->suggested, word, NULL);
    if (m != NULL)
        return m->v;
    motesok_xterm *c = NULL;
    size_t n = 0;
    uint64_t own = 0;
    motesok_error e = {0};
    motesok_status st = motesok_xreader_spellings(w->r, word, 2, &c, &n, &own, &e);
    if (st != MOTESOK_OK) {
        fail(w, st, &e);
        return "";
    }
    const char *best = "";
    size_t best_edits = SIZE_MAX;
    uint64_t best_freq = 0;
    for (size_t i = 0; i < n; i++) {
        const size_t edits = msk_edit_distance(word, strlen(word), c[i].term, strlen(c[i].term));
        if (edits == SIZE_MAX) {
            fail(w, MOTESOK_ERR_NOMEM, NULL);
            break;
        }
        if (edits < best_edits || (edits == best_edits && c[i].freq > best_freq)) {
            best = c[i].term;
            best_edits = edits;
            best_freq = c[i].freq;
        }
    }
    const char *answer = *best != '\0' && own <= best_freq ? str(w, best) : "";
    motesok_xterms_free(c, n);
    if (w->st == MOTESOK_OK) /* (one_edit_from_a_word, then corrected, ask for the same word) */
        remember(w, &w->suggested, word, NULL, answer, false);
    return answer;
}

/* Split points of a compound correction tried at most. */
#define MAX_SPLITS_TRIED 40

/* True if half h finds something as it is, or without a linking s or e. */
static bool half_finds(rw *w, const char *h)
{
    if (word_found(w, h))
        return true;
    const size_t n = strlen(h);
    const char last = n > 0 ? h[n - 1] : '\0';
    return (last == 's' || last == 'e') && n > 3 && word_found(w, str_n(w, h, n - 1));
}

/* A correction of a long word that finds nothing, made in one of its two
 * halves: cut anywhere (each half of 3 letters or more), one half finds
 * something as it is (after a linking s or e, too) and the other is
 * corrected from the spelling table, so that the whole finds something:
 * kommunehelsesamarbied → kommunehelsesamarbeid. Of the corrections found,
 * the fewest edits from the word typed wins (kommunehelses + amarbied →
 * samarbeid is a correction too, of three edits). Xapian's spelling table
 * holds whole words, and a compound typed with a typo is rarely one of
 * them. NULL if none. */
static const char *compound_correction(rw *w, const char *word)
{
    const char *l = lower(w, word);
    const size_t len = strlen(l);
    size_t *at = malloc((len + 1) * sizeof *at); /* where each character begins */
    if (at == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        return NULL;
    }
    const size_t n_at = char_starts(l, len, at);
    const char *best = NULL;
    size_t best_edits = SIZE_MAX;
    if (n_at >= 7 && plain_word(l)) {
        unsigned tried = 0;
        for (size_t k = n_at - 3; k >= 3 && tried < MAX_SPLITS_TRIED && w->splits_left > 0 &&
                                  w->st == MOTESOK_OK;
             k--, tried++, w->splits_left--) {
            const char *a = str_n(w, l, at[k]), *b = l + at[k];
            const char *candidate = NULL, *fixed;
            if (half_finds(w, a)) {
                if (*(fixed = suggestion(w, b)) != '\0')
                    candidate = cat(w, a, fixed);
            } else if (word_found(w, b)) {
                if (*(fixed = suggestion(w, a)) != '\0')
                    candidate = cat(w, fixed, b);
            }
            if (candidate != NULL) {
                const size_t edits = msk_edit_distance(l, len, candidate, strlen(candidate));
                if (edits < best_edits && strcmp(candidate, l) != 0 && finds(w, candidate)) {
                    best = candidate;
                    best_edits = edits;
                }
            }
        }
    }
    free(at);
    return best;
}

/* Most words of a query a suggestion is made for. */
#define MAX_SPELL_WORDS 256

/* True if fix is near enough to folded word l, typed with a capital or
 * not, to be offered as its correction: two edits, but one for a word
 * typed with a capital (a name: Svalbrad is Svalbard, Boris is not bolig),
 * for a word of four letters or fewer (vgo is not hugo) and for one that
 * reads as a dictionary word with an ending or as a compound of them
 * (vegloven is not valgloven, fiskebåten not fiskeflåten; sykehjemsplas is
 * sykehjemsplass). */
static bool close_enough(rw *w, const char *l, bool capital, const char *fix)
{
    const size_t n = strlen(l), edits = msk_edit_distance(l, n, fix, strlen(fix));
    if (edits <= 1)
        return edits == 1;
    msk_split sp;
    return edits == 2 && !capital && utf8_chars(l) > 4 && !msk_norsk_known(w->data, l, n) &&
           !msk_norsk_split(w->data, l, n, &sp);
}

/* The correction of text, word by word, or NULL when no word is
 * corrected. A word of its free text that finds nothing (and is no
 * stopword) becomes the spelling table's suggestion for it, as Xapian's
 * query parser corrects words (not a field's name, a word of a field —
 * organ:…, organ:"…" — or a wildcard), but over every shard (the parser's
 * own correction, on shards searched as one, missed words that one shard
 * holds), and never into a stopword (Xapian's parser corrected each word
 * missing from the spelling table, where stopwords never are: "Når lover
 * ... av EU" became "får utover ... avd EU"). A word no suggestion
 * corrected, a field's too, that finds nothing is corrected in the half of
 * the compound that is wrong. A correction must be close enough
 * (close_enough), and keeps the capital of a word typed with one. A
 * suggestion that is not one word (its bytes would not meet the text's
 * word for word) gives no correction at all. */
static const char *corrected(rw *w, const char *text)
{
    static __thread size_t sp[MAX_SPELL_WORDS][2];
    const size_t n = word_spans(text, sp, MAX_SPELL_WORDS);
    if (n > MAX_SPELL_WORDS)
        return NULL;
    msk_buf out = {0};
    size_t from = 0, seen = 0;
    bool changed = false, ok = true, quoted = false, field_phrase = false;
    for (size_t i = 0; i < n && ok && w->st == MOTESOK_OK; i++) {
        const size_t a = sp[i][0], b = sp[i][1];
        for (; seen < a; seen++) { /* inside a phrase, and whose: organ:"…" */
            if (text[seen] != '"')
                continue;
            field_phrase = !quoted && seen > 0 && text[seen - 1] == ':';
            quoted = !quoted;
        }
        seen = b;
        const char *typed = str_n(w, text + a, b - a);
        const char *l = lower(w, typed);
        /* an abbreviation (DSB, IMDi) is typed so on purpose, and a word
         * the dictionaries hold as it is (krangel, stiar) is spelled right,
         * only missing from the index: neither is corrected */
        const msk_word_case wc = msk_query_word_case(typed, b - a);
        if (stopword(w, l) || wc == MSK_CASE_CAPITALS || msk_norsk_word(w->data, l, strlen(l)))
            continue;
        const bool field = text[b] == ':' || (a > 0 && text[a - 1] == ':') || (quoted && field_phrase);
        const char *fix = NULL;
        if (!field && text[b] != '*' && !word_found(w, typed)) {
            const char *s = suggestion(w, l);
            size_t one[1][2];
            if (*s != '\0' && word_spans(s, one, 1) != 1) {
                msk_buf_free(&out);
                return NULL;
            }
            if (*s != '\0')
                fix = str_n(w, s + one[0][0], one[0][1] - one[0][0]);
            if (fix != NULL && stopword(w, lower(w, fix)))
                continue; /* not into a stopword, nor into another word */
            if (fix != NULL && strcmp(fix, typed) == 0)
                fix = NULL;
        }
        if (fix == NULL && !finds(w, typed))
            fix = compound_correction(w, typed);
        if (fix == NULL || !close_enough(w, l, wc == MSK_CASE_CAPITAL, fix))
            continue;
        char capital[256]; /* Svalbrad → Svalbard, not svalbard */
        if (wc == MSK_CASE_CAPITAL && msk_query_capitalise(fix, capital, sizeof capital))
            fix = str(w, capital);
        ok = msk_buf_append(&out, text + from, a - from) == MOTESOK_OK &&
             msk_buf_append(&out, fix, strlen(fix)) == MOTESOK_OK;
        from = b;
        changed = true;
    }
    ok = ok && msk_buf_append(&out, text + from, strlen(text + from)) == MOTESOK_OK;
    const char *result = NULL;
    if (!ok)
        fail(w, MOTESOK_ERR_NOMEM, NULL);
    else if (changed)
        result = str_n(w, out.data, out.len);
    msk_buf_free(&out);
    return result;
}

/* The sorted, distinct terms of q's leaves into l (strings of the parse). */
static void gather_terms(rw *w, const motesok_xtree *q, const char ***terms, size_t *n, size_t *cap)
{
    if (q->op == MOTESOK_XT_TERM) {
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            const char **v = realloc(*terms, c * sizeof *v);
            if (v == NULL) {
                fail(w, MOTESOK_ERR_NOMEM, NULL);
                return;
            }
            *terms = v;
            *cap = c;
        }
        (*terms)[(*n)++] = q->term;
        return;
    }
    for (size_t i = 0; i < q->n_kids; i++)
        gather_terms(w, q->kids[i], terms, n, cap);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True if a word of q is in no document, even by its parts or synonyms, or
 * only by its parts while one edit from a word the index holds: only then
 * is a spelling correction worth offering (the spelling table
 * holds unstemmed words, so Xapian alone would correct tenester and
 * helsesamarbeid, which match). */
static bool has_unknown_word(rw *w, const motesok_xtree *q)
{
    const char **terms = NULL;
    size_t n = 0, cap = 0;
    gather_terms(w, q, &terms, &n, &cap);
    if (n > 1)
        qsort(terms, n, sizeof *terms, by_string);
    bool unknown = false;
    for (size_t i = 0; i < n && !unknown && w->st == MOTESOK_OK; i++) {
        if (i > 0 && strcmp(terms[i], terms[i - 1]) == 0)
            continue;
        const char *term = terms[i];
        /* a stemmed word, or a word as typed (capitalised or quoted) */
        bool word = (strlen(term) > 1 && term[0] == 'Z' && plain_word(term + 1)) || plain_word(term);
        if (!word || termfreq(w, term) != 0)
            continue;
        /* in no document as such: known all the same if its parts or its
         * synonym group find something (KAD, written out) */
        motesok_xtree *t = leaf(w, term);
        motesok_xtree *r = t != NULL ? rewrite(w, t) : NULL;
        const char *typed = t != NULL ? leaf_word(w, t) : NULL;
        unknown = r != NULL &&
                  (!matches(w, r) || one_edit_from_a_word(w, lower(w, typed != NULL ? typed : term)));
        motesok_xtree_free(r);
        motesok_xtree_free(t);
    }
    free(terms);
    return unknown;
}

/* ---- the whole parse ------------------------------------------------------- */

/* Remember the typed words of q's stemmed leaves (the first per term). */
static void gather_unstem(rw *w, const motesok_xtree *q)
{
    if (q->op == MOTESOK_XT_TERM && q->typed != NULL && recall(&w->unstem, q->term, NULL) == NULL)
        remember(w, &w->unstem, q->term, NULL, q->typed, false);
    for (size_t i = 0; i < q->n_kids; i++)
        gather_unstem(w, q->kids[i]);
}

static void add_capitalised(const char *folded, void *ctx)
{
    rw *w = ctx;
    if (recall(&w->capitalised, folded, NULL) == NULL)
        remember(w, &w->capitalised, folded, NULL, NULL, true);
}

/* Parse text into *q, or on a syntax error its plain words (setting
 * *fell_back). *q NULL means the query held nothing to search for. */
static motesok_status parse_or_fall_back(motesok_xreader *r, const char *text,
                                         const motesok_xparse_options *opt, motesok_xtree **q,
                                         bool *fell_back, motesok_error *err)
{
    bool bad = false;
    motesok_status st = motesok_xreader_parse_tree(r, text, opt, MOTESOK_XSYNTAX_FULL, q, &bad, err);
    if (st != MOTESOK_OK || !bad)
        return st;
    if (fell_back != NULL)
        *fell_back = true;
    char *words = msk_query_plain_words(text);
    if (words == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory while reading the query");
    if (!msk_query_blank(words))
        st = motesok_xreader_parse_tree(r, words, opt, MOTESOK_XSYNTAX_WORDS, q, &bad, err);
    free(words);
    return st;
}

static void free_memos(memos *m)
{
    free(m->v);
}

/* The words of an OR of words (ORs within it taken apart: the parser nests
 * some) into out, each a new reference. */
static void or_words(rw *w, motesok_xtree *q, tlist *out)
{
    if (q->op != MOTESOK_XT_OR) {
        push(w, out, motesok_xtree_ref(q));
        return;
    }
    for (size_t i = 0; i < q->n_kids; i++)
        or_words(w, q->kids[i], out);
}

/* t as a word held: each OR of a compound's parts in it (relaxed, any
 * part) replaced by its parts all required. A new reference. */
static motesok_xtree *held(rw *w, motesok_xtree *t)
{
    if (t->held != NULL)
        return motesok_xtree_ref(t->held);
    if (t->n_kids == 0 || t->orig != NULL) /* (a parser's node is taken as it is) */
        return motesok_xtree_ref(t);
    motesok_xtree **kids = calloc(t->n_kids, sizeof *kids);
    if (kids == NULL) {
        fail(w, MOTESOK_ERR_NOMEM, NULL);
        return NULL;
    }
    bool differs = false;
    for (size_t i = 0; i < t->n_kids; i++) {
        kids[i] = held(w, t->kids[i]);
        differs = differs || kids[i] != t->kids[i];
    }
    motesok_xtree *out = NULL;
    if (!differs) {
        for (size_t i = 0; i < t->n_kids; i++)
            motesok_xtree_free(kids[i]);
        out = motesok_xtree_ref(t);
    } else if (t->op == MOTESOK_XT_SCALE_WEIGHT) {
        out = motesok_xtree_scale(kids[0], t->factor);
    } else {
        out = motesok_xtree_op(t->op, kids, t->n_kids, t->param);
    }
    free(kids);
    if (out == NULL)
        fail(w, MOTESOK_ERR_NOMEM, NULL);
    return out;
}

/* The bonus of a passage for each word of a query of any word that it
 * holds. On the tuning sets (bench/relevance v2, v4, v6, v8, v9; plain
 * pool), 3, 4, 6, 8 and 12 measured: 6 gained most (MRR@10 +0.008 over
 * the 435 queries; 12 lost on v2 and v4). */
#define COORD_WEIGHT 6.0

/* The bonus of a word naming a kommune (with_kommune), against another
 * word's: the place says whose meetings are meant, and a passage from
 * another kommune holding one more subject word ranked above the named
 * kommune's case. Tuning sets, MRR@10 (1 → 1.5 → 2): v11 plain pool 0.703
 * → 0.725 → 0.716, headed pool 0.738 → 0.746 → 0.746; v9 headed 0.938 →
 * 0.950 → 0.953; v6 plain 0.934 → 0.934 → 0.926; v2 headed 0.949 → 0.952
 * (1.5); v2, v4, v8 otherwise unchanged. */
#define KOMMUNE_COORD 1.5

/* True if t is a word's query that also matches a kommune it names
 * (with_kommune's (word AND_NOT ZXN…) OR ZXN…). */
static bool names_kommune(const motesok_xtree *t)
{
    return t->op == MOTESOK_XT_OR && t->n_kids == 2 && t->kids[0]->op == MOTESOK_XT_AND_NOT &&
           t->kids[1]->op == MOTESOK_XT_TERM &&
           strncmp(t->kids[1]->term, "Z" MOTESOK_PREFIX_KOMMUNE, strlen("Z" MOTESOK_PREFIX_KOMMUNE)) == 0;
}

/* q, a query of any of its words (OR), with a bonus of COORD_WEIGHT for
 * each of them a passage holds (KOMMUNE_COORD times that for a kommune):
 * with BM25 alone a passage that says one rare word often outranks one
 * that holds nearly all the others (the coordination factor of the
 * classic engines). gnr. 77 bnr. 12 Veavågen dispensasjon, relaxed as no
 * passage holds every word, ranked a letter on another property, saying
 * dispensasjon thrice, above the case on gnr 77 bnr 12 at Veavågen. A
 * compound searched by any of its parts (relaxed) earns half for some
 * part and the whole for all of them: Glåmdal renovasjonsselskap is not
 * held by a passage saying selskap. */
static motesok_xtree *coordinated(rw *w, motesok_xtree *q)
{
    if (q == NULL || q->op != MOTESOK_XT_OR || q->n_kids < 2)
        return q;
    tlist each = {0};
    for (size_t i = 0; i < q->n_kids; i++) {
        motesok_xtree *all = held(w, q->kids[i]);
        if (all == q->kids[i]) {
            const double f = names_kommune(all) ? KOMMUNE_COORD : 1.0;
            push(w, &each, motesok_xtree_op2(MOTESOK_XT_FILTER, motesok_xtree_fixed(COORD_WEIGHT * f), all));
            continue;
        }
        push(w, &each, motesok_xtree_op2(MOTESOK_XT_FILTER, motesok_xtree_fixed(COORD_WEIGHT / 2),
                                         motesok_xtree_ref(q->kids[i])));
        push(w, &each, motesok_xtree_op2(MOTESOK_XT_FILTER, motesok_xtree_fixed(COORD_WEIGHT / 2), all));
    }
    return motesok_xtree_op2(MOTESOK_XT_AND_MAYBE, q, op_of(w, MOTESOK_XT_OR, &each, 0));
}

motesok_status msk_query_parse(motesok_xreader *r, const char *query,
                               const msk_query_options *opt, motesok_xquery **out,
                               bool *fell_back, motesok_error *err)
{
    if (fell_back != NULL)
        *fell_back = false;
    if (out == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no place for the query");
    *out = NULL;
    if (r == NULL || query == NULL)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no reader or query");
    const msk_query_options none = {0};
    if (opt == NULL)
        opt = &none;
    if (msk_query_blank(query)) {
        motesok_xtree *all = motesok_xtree_op(MOTESOK_XT_MATCH_ALL, NULL, 0, 0);
        *out = all != NULL ? motesok_xquery_of(all, NULL, NULL, false, false, (motesok_xquery_cost){0})
                           : NULL;
        motesok_xtree_free(all);
        return *out != NULL ? MOTESOK_OK
                            : msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory while reading the query");
    }
    char *text = opt->norwegian_ops ? msk_query_english_operators(query) : msk_strndup(query, strlen(query));
    if (text == NULL)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory while reading the query");
    motesok_xtree *q = NULL;
    motesok_status st = parse_or_fall_back(r, text, &opt->parser, &q, fell_back, err);
    if (st != MOTESOK_OK || q == NULL) {
        free(text);
        return st != MOTESOK_OK ? st
                                : msk_error_set(err, MOTESOK_ERR_QUERY, "the query holds no words to search for");
    }
    rw w = {.r = r, .lang = msk_lang_shared(), .err = err, .splits_left = 60, .any_part = opt->any_part};
    w.data = msk_lang_data(w.lang);
    if (!opt->parser.default_and && q->op == MOTESOK_XT_OR) {
        tlist words = {0};
        or_words(&w, q, &words);
        motesok_xtree *flat = op_of(&w, MOTESOK_XT_OR, &words, 0);
        if (flat != NULL) {
            motesok_xtree_free(q);
            q = flat;
        }
    }
    gather_unstem(&w, q);
    if (msk_query_capitalised(text, add_capitalised, &w) != MOTESOK_OK)
        fail(&w, MOTESOK_ERR_NOMEM, NULL);

    motesok_xtree *rewritten = rewrite(&w, q);
    motesok_xtree *unphrased = rewritten != NULL ? unphrase_fields(&w, rewritten) : NULL;
    motesok_xquery_cost cost = {0};
    motesok_xtree *final = unphrased != NULL ? bounded_wildcards(&w, unphrased, opt, &cost) : NULL;
    if (!opt->parser.default_and && opt->coordinate)
        final = coordinated(&w, final);
    motesok_xtree_free(rewritten);
    motesok_xtree_free(unphrased);
    /* the whole words' bonus, the proximity boost and the words in titles:
     * on the top passages — but for a query with no other bonus (one word,
     * whole) the title words go with the query itself: cheaper than a
     * second match for them alone */
    tlist rerank = w.bonus;
    memset(&w.bonus, 0, sizeof w.bonus);
    const bool any_part = w.parts_relaxed;
    motesok_xtree *near = near_boost(&w, q);
    if (near != NULL)
        push(&w, &rerank, near);
    tlist titles = {0};
    title_bonus(&w, q, &titles);
    if (rerank.n > 0 || final == NULL) {
        for (size_t i = 0; i < titles.n; i++)
            push(&w, &rerank, titles.v[i]);
        free(titles.v);
    } else if (titles.n > 0) {
        final = motesok_xtree_op2(MOTESOK_XT_AND_MAYBE, final, op_of(&w, MOTESOK_XT_OR, &titles, 0));
        if (final == NULL)
            fail(&w, MOTESOK_ERR_NOMEM, NULL);
    }
    motesok_xtree *rerank_q = rerank.n > 0 ? op_of(&w, MOTESOK_XT_OR, &rerank, 0) : NULL;
    const bool pure_not = q->op == MOTESOK_XT_AND_NOT && q->n_kids > 0 &&
                          q->kids[0]->op == MOTESOK_XT_MATCH_ALL;
    /* spelling correction costs a look-up per word: only when needed */
    const char *suggestion = NULL;
    if (!opt->no_spelling && w.st == MOTESOK_OK && has_unknown_word(&w, q)) {
        suggestion = corrected(&w, text);
    }
    if (w.st == MOTESOK_OK && final == NULL)
        fail(&w, MOTESOK_ERR_NOMEM, NULL);
    if (w.st == MOTESOK_OK) {
        *out = motesok_xquery_of(final, rerank_q, suggestion, pure_not, any_part, cost);
        if (*out == NULL)
            fail(&w, MOTESOK_ERR_NOMEM, NULL);
    }
    st = w.st;
    motesok_xtree_free(final);
    motesok_xtree_free(rerank_q);
    tlist_free(&rerank);
    tlist_free(&w.bonus);
    motesok_xtree_free(q);
    free_memos(&w.capitalised);
    free_memos(&w.unstem);
    free_memos(&w.joined);
    free_memos(&w.parts);
    free_memos(&w.found);
    free_memos(&w.suggested);
    while (w.strings != NULL) {
        piece *p = w.strings;
        w.strings = p->next;
        free(p);
    }
    free(text);
    return st;
}
