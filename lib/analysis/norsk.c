/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Norwegian language data for the analyser (lib/analysis/norsk.h). */
#define _GNU_SOURCE /* dladdr: where this library (or program) was loaded from */
#include "analysis/norsk.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>

/* Where the data is without $MOTESOK_DATA_DIR (set by CMakeLists.txt): the
 * installed folder, that folder relative to the installed library (so that
 * a tree installed under another prefix, or a package, finds its own), and
 * for code running from the build tree, the source tree's data/. */
#ifndef MOTESOK_INSTALL_DATA_DIR
#define MOTESOK_INSTALL_DATA_DIR "/usr/local/share/motesok"
#endif
#ifndef MOTESOK_DATA_FROM_LIB
#define MOTESOK_DATA_FROM_LIB ""
#endif
/* A folder inside the data folder read after it (the generated Nynorsk
 * pairs: "apertium"), "" if none; in the build tree MOTESOK_SOURCE_DATA_DIR
 * and MOTESOK_INSTALL_DATA_DIR list it themselves. */
#ifndef MOTESOK_DATA_EXTRA_SUBDIR
#define MOTESOK_DATA_EXTRA_SUBDIR ""
#endif
#ifndef MOTESOK_BUILD_BIN_DIR
#define MOTESOK_BUILD_BIN_DIR ""
#endif
#ifndef MOTESOK_BUILD_LIB_DIR
#define MOTESOK_BUILD_LIB_DIR ""
#endif
#ifndef MOTESOK_SOURCE_DATA_DIR
#define MOTESOK_SOURCE_DATA_DIR ""
#endif

#define MIN_PART 4         /* letters in a compound part */
#define MIN_FREE_PART 6    /* letters in a first part without the compound flag */
#define MAX_WORD 255       /* bytes in a stored word */
#define MAX_DATA_FILE (64u << 20)
#define MAX_WARNINGS 20

/* What a stored word is. */
enum {
    F_WORD = 1,    /* a dictionary word in lower case */
    F_NAME = 2,    /* a capitalised dictionary entry: a name */
    F_NOSPLIT = 4, /* listed in nosplit.txt */
    F_STOP = 8,    /* listed in stopwords.txt */
    F_COMPOUND = 16, /* hunspell allows it in compounds (COMPOUNDFLAG) */
};

/* A set of words with flags: open addressing over offsets into an arena
 * holding, per word, its flags byte, its length byte and its bytes. */
typedef struct wordset {
    uint32_t *slots; /* 0: empty */
    size_t mask;
    size_t n;
    msk_buf arena;
} wordset;

/* A list of strings in one arena (offsets, so that the arena can grow). */
typedef struct strlist {
    size_t *offs;
    size_t n, cap;
    msk_buf arena;
} strlist;

struct msk_norsk {
    wordset words;
    wordset compounds; /* compounds.txt: per word, after its bytes, the
                        * number of parts and each part's start and end */
    size_t n_dict;
    strlist pairs;    /* nynorsk, bokmål, nynorsk, … */
    size_t n_first_pairs; /* pairs of the first data folder */
    strlist stops;
    strlist members;  /* members of all groups */
    size_t *group_at; /* first member of group i; group_at[n_groups] = members.n */
    size_t n_groups, groups_cap;
    const char **member_ptrs; /* members as pointers, filled after loading */
    XXH64_state_t *hash;
    uint64_t fingerprint;
    msk_buf warnings;
    size_t n_warnings;
};

/* ---- word set ------------------------------------------------------------ */

static const char *entry_bytes(const wordset *s, uint32_t off, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s->arena.data + off;
    *len = p[1];
    return (const char *)p + 2;
}

/* The slot of w: where it is, or the empty slot where it would go. */
static size_t find_slot(const wordset *s, const char *w, size_t len)
{
    size_t i = (size_t)XXH3_64bits(w, len) & s->mask;
    for (;; i = (i + 1) & s->mask) {
        uint32_t off = s->slots[i];
        if (off == 0)
            return i;
        size_t elen;
        const char *e = entry_bytes(s, off, &elen);
        if (elen == len && memcmp(e, w, len) == 0)
            return i;
    }
}

static motesok_status set_grow(wordset *s)
{
    size_t cap = s->slots == NULL ? 1024 : (s->mask + 1) * 2;
    uint32_t *old = s->slots;
    size_t old_cap = s->slots == NULL ? 0 : s->mask + 1;
    s->slots = calloc(cap, sizeof *s->slots);
    if (s->slots == NULL) {
        s->slots = old;
        return MOTESOK_ERR_NOMEM;
    }
    s->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i] == 0)
            continue;
        size_t len;
        const char *e = entry_bytes(s, old[i], &len);
        s->slots[find_slot(s, e, len)] = old[i];
    }
    free(old);
    return MOTESOK_OK;
}

/* Add flags to word w (adding w if new). Words too long are ignored. */
static motesok_status set_add(wordset *s, const char *w, size_t len, unsigned flags)
{
    if (len == 0 || len > MAX_WORD)
        return MOTESOK_OK;
    motesok_status st = MOTESOK_OK;
    if (s->arena.len == 0)
        st = msk_buf_append(&s->arena, "", 1); /* offset 0 means empty */
    if (st == MOTESOK_OK && (s->slots == NULL || (s->n + 1) * 2 > s->mask + 1))
        st = set_grow(s);
    if (st != MOTESOK_OK)
        return st;
    size_t i = find_slot(s, w, len);
    if (s->slots[i] != 0) {
        s->arena.data[s->slots[i]] |= (char)flags;
        return MOTESOK_OK;
    }
    if (s->arena.len > UINT32_MAX - MAX_WORD - 2)
        return MOTESOK_ERR_TOO_BIG;
    uint32_t off = (uint32_t)s->arena.len;
    unsigned char head[2] = {(unsigned char)flags, (unsigned char)len};
    st = msk_buf_append(&s->arena, head, 2);
    if (st == MOTESOK_OK)
        st = msk_buf_append(&s->arena, w, len);
    if (st == MOTESOK_OK) {
        s->slots[i] = off;
        s->n++;
    }
    return st;
}

/* Add w with extra bytes stored after it, unless w is there already
 * (*added tells which). */
static motesok_status set_add_extra(wordset *s, const char *w, size_t len, const void *extra,
                                    size_t n_extra, bool *added)
{
    *added = false;
    if (len == 0 || len > MAX_WORD || (s->slots != NULL && s->slots[find_slot(s, w, len)] != 0))
        return MOTESOK_OK;
    motesok_status st = set_add(s, w, len, F_WORD);
    if (st == MOTESOK_OK)
        st = msk_buf_append(&s->arena, extra, n_extra);
    *added = st == MOTESOK_OK;
    return st;
}

/* The bytes stored after w's bytes (NULL if w is absent). */
static const unsigned char *set_extra(const wordset *s, const char *w, size_t len)
{
    if (s->slots == NULL || len == 0 || len > MAX_WORD)
        return NULL;
    uint32_t off = s->slots[find_slot(s, w, len)];
    return off == 0 ? NULL : (const unsigned char *)s->arena.data + off + 2 + len;
}

/* The flags of w (0 if absent). */
static unsigned set_flags(const wordset *s, const char *w, size_t len)
{
    if (s->slots == NULL || len == 0 || len > MAX_WORD)
        return 0;
    uint32_t off = s->slots[find_slot(s, w, len)];
    return off == 0 ? 0 : (unsigned char)s->arena.data[off];
}

/* ---- string lists -------------------------------------------------------- */

/* Make room for need entries in the array *a of *cap (doubling). */
static motesok_status reserve_sizes(size_t **a, size_t *cap, size_t need)
{
    if (need <= *cap)
        return MOTESOK_OK;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    size_t *grown = realloc(*a, n * sizeof *grown);
    if (grown == NULL)
        return MOTESOK_ERR_NOMEM;
    *a = grown;
    *cap = n;
    return MOTESOK_OK;
}

static motesok_status list_add(strlist *l, const char *s, size_t len)
{
    if (reserve_sizes(&l->offs, &l->cap, l->n + 1) != MOTESOK_OK)
        return MOTESOK_ERR_NOMEM;
    size_t off = l->arena.len;
    motesok_status st = msk_buf_append(&l->arena, s, len);
    if (st == MOTESOK_OK)
        st = msk_buf_append(&l->arena, "", 1);
    if (st == MOTESOK_OK)
        l->offs[l->n++] = off;
    return st;
}

static const char *list_at(const strlist *l, size_t i)
{
    return l->arena.data + l->offs[i];
}

static void list_free(strlist *l)
{
    free(l->offs);
    msk_buf_free(&l->arena);
}

/* ---- reading files ------------------------------------------------------- */

static void warn(msk_norsk *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add one line to the warnings (the first MAX_WARNINGS are kept). */
static void warn(msk_norsk *n, const char *fmt, ...)
{
    if (n->n_warnings++ >= MAX_WARNINGS)
        return;
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (msk_buf_append(&n->warnings, line, strlen(line)) == MOTESOK_OK)
        (void)msk_buf_append(&n->warnings, "\n", 1);
    (void)msk_buf_terminate(&n->warnings);
}

/* Read the whole file at path into *out (NUL-terminated); ERR_NOT_FOUND if
 * it does not exist. The contents go into the fingerprint. */
static motesok_status read_file(msk_norsk *n, const char *path, msk_buf *out, motesok_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR
                   ? MOTESOK_ERR_NOT_FOUND
                   : msk_error_set(err, MOTESOK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    motesok_status rc = MOTESOK_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_DATA_FILE)
        rc = msk_error_set(err, MOTESOK_ERR_IO, "%s is not a regular file of at most %u MiB", path,
                           MAX_DATA_FILE >> 20);
    size_t size = rc == MOTESOK_OK ? (size_t)st.st_size : 0;
    out->max = MAX_DATA_FILE + 1;
    if (rc == MOTESOK_OK && size > 0) {
        char *buf = malloc(size);
        size_t got = 0;
        rc = buf == NULL ? MOTESOK_ERR_NOMEM : msk_read_full(fd, path, buf, size, &got, err);
        if (rc == MOTESOK_OK)
            rc = msk_buf_append(out, buf, got);
        free(buf);
    }
    close(fd);
    if (rc == MOTESOK_OK)
        rc = msk_buf_terminate(out);
    if (rc == MOTESOK_OK)
        XXH64_update(n->hash, out->data, out->len);
    return rc == MOTESOK_ERR_NOMEM ? msk_error_set(err, rc, "out of memory reading %s", path) : rc;
}

/* Case-fold the UTF-8 text p[0..len) into out, keeping only letters, and
 * one space between words (spaces, tabs and hyphens part words). Returns
 * false if p holds anything else (digits, punctuation, invalid UTF-8). */
static bool fold_words(const char *p, size_t len, msk_buf *out)
{
    out->len = 0;
    bool space = false;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p + i, (utf8proc_ssize_t)(len - i), &c);
        if (k < 1)
            return false;
        i += (size_t)k;
        if (c == ' ' || c == '\t' || c == '-') {
            space = out->len > 0;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LL && cat != UTF8PROC_CATEGORY_LT &&
            cat != UTF8PROC_CATEGORY_LO)
            return false;
        if (space && msk_buf_append(out, " ", 1) != MOTESOK_OK)
            return false;
        space = false;
        if (msk_buf_append_cp(out, utf8proc_tolower(c)) != MOTESOK_OK)
            return false;
    }
    return out->len > 0 && msk_buf_terminate(out) == MOTESOK_OK;
}

/* Call fn on each line of text without its comment ('#' to the end) and
 * surrounding space; lines that leave nothing are skipped. */
static motesok_status each_line(msk_norsk *n, const char *path, char *text,
                                motesok_status (*fn)(msk_norsk *, const char *, unsigned, char *))
{
    unsigned no = 0;
    for (char *line = text; line != NULL && *line != '\0';) {
        char *next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        no++;
        char *hash = strchr(line, '#');
        if (hash != NULL)
            *hash = '\0';
        size_t len = strlen(line);
        while (len > 0 && strchr(" \t\r", line[len - 1]) != NULL)
            line[--len] = '\0';
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line != '\0') {
            motesok_status st = fn(n, path, no, line);
            if (st != MOTESOK_OK)
                return st;
        }
        line = next;
    }
    return MOTESOK_OK;
}

/* nynorsk.txt: "nynorsk bokmål" per line. */
static motesok_status pair_line(msk_norsk *n, const char *path, unsigned no, char *line)
{
    msk_buf w = {0};
    motesok_status st = MOTESOK_OK;
    const char *space;
    if (!fold_words(line, strlen(line), &w) || (space = strchr(w.data, ' ')) == NULL ||
        strchr(space + 1, ' ') != NULL)
        warn(n, "%s:%u: expected two words (Nynorsk, then Bokmål)", path, no);
    else if ((st = list_add(&n->pairs, w.data, (size_t)(space - w.data))) == MOTESOK_OK)
        st = list_add(&n->pairs, space + 1, strlen(space + 1));
    msk_buf_free(&w);
    return st;
}

/* stopwords.txt and nosplit.txt: one word per line. */
static motesok_status word_line(msk_norsk *n, const char *path, unsigned no, char *line,
                                unsigned flag)
{
    msk_buf w = {0};
    motesok_status st = MOTESOK_OK;
    if (!fold_words(line, strlen(line), &w) || strchr(w.data, ' ') != NULL) {
        warn(n, "%s:%u: expected one word", path, no);
    } else {
        st = set_add(&n->words, w.data, w.len, flag);
        if (st == MOTESOK_OK && flag == F_STOP)
            st = list_add(&n->stops, w.data, w.len);
    }
    msk_buf_free(&w);
    return st;
}

static motesok_status stop_line(msk_norsk *n, const char *path, unsigned no, char *line)
{
    return word_line(n, path, no, line, F_STOP);
}

static motesok_status nosplit_line(msk_norsk *n, const char *path, unsigned no, char *line)
{
    return word_line(n, path, no, line, F_NOSPLIT);
}

/* words.txt: words the dictionaries lack, as parts of compounds. */
static motesok_status extra_word_line(msk_norsk *n, const char *path, unsigned no, char *line)
{
    return word_line(n, path, no, line, F_WORD | F_COMPOUND);
}

/* compounds.txt: "word part part..." (two to MSK_SPLIT_MAX parts, found
 * in the word in order, each maybe after a linking s or e; the last ends
 * it). The first folder naming a word wins. */
static motesok_status compound_line(msk_norsk *n, const char *path, unsigned no, char *line)
{
    msk_buf w = {0};
    motesok_status st = MOTESOK_OK;
    unsigned char extra[1 + 2 * MSK_SPLIT_MAX];
    size_t n_parts = 0, at = 0, word_len = 0;
    bool ok = fold_words(line, strlen(line), &w);
    const char *word = w.data;
    if (ok) {
        const char *sp = strchr(word, ' ');
        word_len = sp != NULL ? (size_t)(sp - word) : w.len;
        ok = sp != NULL && word_len <= MAX_WORD;
        for (const char *p = sp; ok && p != NULL;) {
            const char *part = p + 1, *end = strchr(part, ' ');
            size_t plen = end != NULL ? (size_t)(end - part) : strlen(part);
            if (n_parts > 0 && at < word_len && (word[at] == 's' || word[at] == 'e') &&
                !(at + plen <= word_len && memcmp(word + at, part, plen) == 0))
                at++; /* a linking letter */
            ok = n_parts < MSK_SPLIT_MAX && at + plen <= word_len && memcmp(word + at, part, plen) == 0;
            if (ok) {
                extra[1 + 2 * n_parts] = (unsigned char)at;
                extra[2 + 2 * n_parts] = (unsigned char)(at + plen);
                n_parts++;
                at += plen;
            }
            p = end;
        }
        ok = ok && n_parts >= 2 && at == word_len;
    }
    if (!ok) {
        warn(n, "%s:%u: expected a word and its parts (two to %d, in order, maybe with a linking s or e "
                "between them)", path, no, MSK_SPLIT_MAX);
    } else {
        extra[0] = (unsigned char)n_parts;
        bool added;
        st = set_add_extra(&n->compounds, word, word_len, extra, 1 + 2 * n_parts, &added);
    }
    msk_buf_free(&w);
    return st;
}

/* synonyms.txt: members separated by '|'. */
static motesok_status group_line(msk_norsk *n, const char *path, unsigned no, char *line)
{
    size_t first = n->members.n, count = 0;
    msk_buf w = {0};
    motesok_status st = MOTESOK_OK;
    for (char *m = line; m != NULL && st == MOTESOK_OK;) {
        char *bar = strchr(m, '|');
        if (bar != NULL)
            *bar++ = '\0';
        if (fold_words(m, strlen(m), &w)) {
            st = list_add(&n->members, w.data, w.len);
            count++;
        } else if (strspn(m, " \t") != strlen(m)) {
            warn(n, "%s:%u: member \"%s\" is not made of letters", path, no, m);
        }
        m = bar;
    }
    msk_buf_free(&w);
    if (st != MOTESOK_OK)
        return st;
    if (count < 2) {
        warn(n, "%s:%u: a group needs two members or more, separated by |", path, no);
        n->members.n = first;
        return MOTESOK_OK;
    }
    if (reserve_sizes(&n->group_at, &n->groups_cap, n->n_groups + 2) != MOTESOK_OK)
        return MOTESOK_ERR_NOMEM;
    n->group_at[n->n_groups++] = first;
    n->group_at[n->n_groups] = n->members.n;
    return MOTESOK_OK;
}

/* Read dir/norsk/name, if it exists, line by line through fn. */
static motesok_status load_data_file(msk_norsk *n, const char *dir, const char *name,
                                     motesok_status (*fn)(msk_norsk *, const char *, unsigned, char *),
                                     bool *found, motesok_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/norsk/%s", dir, name) >= (int)sizeof path)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "data folder path too long: %s", dir);
    msk_buf text = {0};
    motesok_status st = read_file(n, path, &text, err);
    if (st == MOTESOK_ERR_NOT_FOUND) {
        msk_buf_free(&text);
        return MOTESOK_OK;
    }
    *found = true;
    if (st == MOTESOK_OK && !msk_valid_utf8(text.data, text.len))
        warn(n, "%s: not UTF-8; skipped", path);
    else if (st == MOTESOK_OK)
        st = each_line(n, path, text.data, fn);
    msk_buf_free(&text);
    return st == MOTESOK_ERR_NOMEM ? msk_error_set(err, st, "out of memory reading %s", path) : st;
}

/* Latin-1 (or, with utf8, UTF-8) dictionary word p[0..len) into folded
 * UTF-8 in out; false unless it is all letters. *cap is set if it began
 * with a capital. */
static bool dict_word(const char *p, size_t len, bool utf8, msk_buf *out, bool *cap)
{
    out->len = 0;
    *cap = false;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        if (utf8) {
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p + i, (utf8proc_ssize_t)(len - i), &c);
            if (k < 1)
                return false;
            i += (size_t)k;
        } else {
            c = (unsigned char)p[i++]; /* Latin-1 bytes are their code points */
        }
        if (!msk_is_letter(c))
            return false;
        if (out->len == 0)
            *cap = utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
        if (msk_buf_append_cp(out, utf8proc_tolower(c)) != MOTESOK_OK)
            return false;
    }
    return out->len > 0;
}

/* What load_dict needs from a .aff file: the compound flag and the simple
 * prefixes (nothing stripped, any word: "PFX f 0 sam ."), by flag. */
typedef struct affixes {
    bool utf8;
    unsigned char compound;
    char prefix[256][16];
} affixes;

static void read_affixes(const char *aff, affixes *a)
{
    memset(a, 0, sizeof *a);
    for (const char *line = aff; line != NULL; line = strchr(line, '\n')) {
        if (*line == '\n')
            line++;
        char flag[8], strip[16], add[16], cond[16];
        if (strncmp(line, "SET UTF-8", 9) == 0)
            a->utf8 = true;
        else if (sscanf(line, "COMPOUNDFLAG %7s", flag) == 1 && flag[1] == '\0')
            a->compound = (unsigned char)flag[0];
        else if (sscanf(line, "PFX %7s %15s %15s %15s", flag, strip, add, cond) == 4 &&
                 flag[1] == '\0' && strcmp(strip, "0") == 0 && strcmp(cond, ".") == 0 &&
                 strlen(add) < sizeof a->prefix[0])
            memcpy(a->prefix[(unsigned char)flag[0]], add, strlen(add) + 1);
    }
}

/* Add the dictionary entry line[0..len) (word/FLAGS) to the set, with its
 * simple prefixed forms (handling → samhandling). */
static motesok_status add_entry(msk_norsk *n, const affixes *a, const char *line, size_t len,
                                msk_buf *w, msk_buf *pw)
{
    size_t wl = strcspn(line, "/ \t\r\n");
    if (wl > len)
        wl = len;
    bool cap;
    if (!dict_word(line, wl, a->utf8, w, &cap))
        return MOTESOK_OK;
    const char *flags = line[wl] == '/' ? line + wl + 1 : "";
    size_t fl = line[wl] == '/' ? strcspn(flags, " \t\r\n") : 0;
    unsigned f = cap ? F_NAME : F_WORD;
    if (!cap && a->compound != 0 && memchr(flags, a->compound, fl) != NULL)
        f |= F_COMPOUND;
    motesok_status st = set_add(&n->words, w->data, w->len, f);
    for (size_t i = 0; st == MOTESOK_OK && !cap && i < fl; i++) {
        const char *pre = a->prefix[(unsigned char)flags[i]];
        if (*pre == '\0')
            continue;
        bool pcap;
        pw->len = 0;
        if (dict_word(pre, strlen(pre), a->utf8, pw, &pcap) &&
            (st = msk_buf_append(pw, w->data, w->len)) == MOTESOK_OK)
            st = set_add(&n->words, pw->data, pw->len, F_WORD);
    }
    return st;
}

/* Load the hunspell dictionary dir/lang.dic (encoding from lang.aff). */
static motesok_status load_dict(msk_norsk *n, const char *dir, const char *lang, motesok_error *err)
{
    char path[4096];
    msk_buf aff = {0}, dic = {0}, w = {0}, pw = {0};
    snprintf(path, sizeof path, "%s/%s.aff", dir, lang);
    motesok_status st = read_file(n, path, &aff, err);
    if (st == MOTESOK_OK) {
        snprintf(path, sizeof path, "%s/%s.dic", dir, lang);
        st = read_file(n, path, &dic, err);
    }
    if (st == MOTESOK_ERR_NOT_FOUND) {
        warn(n, "%s not found: compounds are not split with it (install hunspell-no)", path);
        st = MOTESOK_OK;
    } else if (st == MOTESOK_OK) {
        affixes *a = malloc(sizeof *a);
        if (a == NULL)
            st = MOTESOK_ERR_NOMEM;
        else
            read_affixes(aff.data, a);
        size_t before = n->words.n;
        char *line = strchr(dic.data, '\n'); /* the first line is a count */
        while (st == MOTESOK_OK && line != NULL) {
            line++;
            char *end = strchr(line, '\n');
            st = add_entry(n, a, line, end != NULL ? (size_t)(end - line) : strlen(line), &w, &pw);
            line = end;
        }
        free(a);
        n->n_dict += n->words.n - before;
    }
    msk_buf_free(&aff);
    msk_buf_free(&dic);
    msk_buf_free(&w);
    msk_buf_free(&pw);
    return st == MOTESOK_ERR_NOMEM ? msk_error_set(err, st, "out of memory loading %s", path) : st;
}

motesok_status msk_norsk_load(const char *data_dirs, const char *hunspell_dir, msk_norsk **out,
                              motesok_error *err)
{
    *out = NULL;
    msk_norsk *n = calloc(1, sizeof *n);
    if (n == NULL || (n->hash = XXH64_createState()) == NULL) {
        free(n);
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    }
    XXH64_reset(n->hash, 0);
    motesok_status st = MOTESOK_OK;
    if (hunspell_dir != NULL && *hunspell_dir != '\0') {
        st = load_dict(n, hunspell_dir, "nb_NO", err);
        if (st == MOTESOK_OK)
            st = load_dict(n, hunspell_dir, "nn_NO", err);
    }
    char *dirs = msk_strdup(data_dirs != NULL ? data_dirs : "");
    bool found = false;
    if (dirs == NULL && st == MOTESOK_OK)
        st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    bool first = true;
    for (char *save = NULL, *dir = dirs ? strtok_r(dirs, ":", &save) : NULL; dir != NULL && st == MOTESOK_OK;
         dir = strtok_r(NULL, ":", &save)) {
        st = load_data_file(n, dir, "nynorsk.txt", pair_line, &found, err);
        if (st == MOTESOK_OK)
            st = load_data_file(n, dir, "stopwords.txt", stop_line, &found, err);
        if (st == MOTESOK_OK)
            st = load_data_file(n, dir, "synonyms.txt", group_line, &found, err);
        if (st == MOTESOK_OK)
            st = load_data_file(n, dir, "nosplit.txt", nosplit_line, &found, err);
        if (st == MOTESOK_OK)
            st = load_data_file(n, dir, "words.txt", extra_word_line, &found, err);
        if (st == MOTESOK_OK)
            st = load_data_file(n, dir, "compounds.txt", compound_line, &found, err);
        if (first)
            n->n_first_pairs = n->pairs.n / 2;
        first = false;
    }
    free(dirs);
    if (st == MOTESOK_OK && !found)
        warn(n, "no norsk/ data in %s: no Nynorsk mapping, stopwords or synonyms",
             data_dirs != NULL && *data_dirs != '\0' ? data_dirs : "(no data folder)");
    if (st == MOTESOK_OK && n->members.n > 0) {
        n->member_ptrs = malloc(n->members.n * sizeof *n->member_ptrs);
        if (n->member_ptrs == NULL)
            st = msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        for (size_t i = 0; n->member_ptrs != NULL && i < n->members.n; i++)
            n->member_ptrs[i] = list_at(&n->members, i);
    }
    if (st != MOTESOK_OK) {
        msk_norsk_free(n);
        return st;
    }
    n->fingerprint = XXH64_digest(n->hash);
    *out = n;
    return MOTESOK_OK;
}

void msk_norsk_free(msk_norsk *n)
{
    if (n == NULL)
        return;
    free(n->words.slots);
    msk_buf_free(&n->words.arena);
    free(n->compounds.slots);
    msk_buf_free(&n->compounds.arena);
    list_free(&n->pairs);
    list_free(&n->stops);
    list_free(&n->members);
    free(n->group_at);
    free(n->member_ptrs);
    XXH64_freeState(n->hash);
    msk_buf_free(&n->warnings);
    free(n);
}

/* ---- the shared copy ----------------------------------------------------- */

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static msk_norsk *shared;
static msk_norsk empty;

static void free_shared(void)
{
    msk_norsk_free(shared);
    shared = NULL;
}

/* Whether dir/norsk is a folder. */
static int has_norsk(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    return snprintf(path, sizeof path, "%s/norsk", dir) < (int)sizeof path && stat(path, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

/* Whether the folder dir (a real path) is the build folder path names. */
static int is_build_dir(const char *dir, const char *path)
{
    char real[PATH_MAX];
    return *path != '\0' && realpath(path, real) != NULL && strcmp(dir, real) == 0;
}

/* The data folders when $MOTESOK_DATA_DIR is not set, into buf
 * (2 * PATH_MAX): the source tree's data/ (and the build tree's generated
 * data) for code loaded from the build tree's bin/ or lib/; else the data
 * folder beside the installed library (and its MOTESOK_DATA_EXTRA_SUBDIR),
 * else the configured ones. */
static const char *default_data_dir(char *buf)
{
    Dl_info info;
    struct link_map *map = NULL;
    char self[PATH_MAX];
    /* libmotesok.so's own path; the program's when this code is linked in */
    if (dladdr1((void *)default_data_dir, &info, (void **)&map, RTLD_DL_LINKMAP) == 0 || map == NULL ||
        realpath(map->l_name[0] != '\0' ? map->l_name : "/proc/self/exe", self) == NULL)
        return MOTESOK_INSTALL_DATA_DIR;
    char *slash = strrchr(self, '/');
    if (slash == NULL)
        return MOTESOK_INSTALL_DATA_DIR;
    *slash = '\0';
    if (is_build_dir(self, MOTESOK_BUILD_BIN_DIR) || is_build_dir(self, MOTESOK_BUILD_LIB_DIR))
        return MOTESOK_SOURCE_DATA_DIR;
    if (*MOTESOK_DATA_FROM_LIB != '\0' &&
        snprintf(buf, PATH_MAX, "%s/%s", self, MOTESOK_DATA_FROM_LIB) < PATH_MAX && has_norsk(buf)) {
        size_t len = strlen(buf); /* then ":" and the same folder again, with the subfolder */
        if (*MOTESOK_DATA_EXTRA_SUBDIR != '\0' && 2 * len + 2 + strlen(MOTESOK_DATA_EXTRA_SUBDIR) < 2 * PATH_MAX) {
            buf[len] = ':';
            memcpy(buf + len + 1, buf, len);
            snprintf(buf + 2 * len + 1, 2 * PATH_MAX - (2 * len + 1), "/%s", MOTESOK_DATA_EXTRA_SUBDIR);
        }
        return buf;
    }
    return MOTESOK_INSTALL_DATA_DIR;
}

static void load_shared(void)
{
    const char *data = getenv("MOTESOK_DATA_DIR");
    const char *hun = getenv("MOTESOK_HUNSPELL_DIR");
    motesok_error err;
    static char dir[2 * PATH_MAX + 2];
    if (msk_norsk_load(data != NULL ? data : default_data_dir(dir),
                       hun != NULL ? hun : "/usr/share/hunspell", &shared, &err) == MOTESOK_OK) {
        atexit(free_shared); /* keeps leak checkers quiet */
        return;
    }
    static char msg[600];
    snprintf(msg, sizeof msg, "cannot load the Norwegian data: %s\n", err.message);
    empty.warnings.data = msg;
    empty.warnings.len = strlen(msg);
}

const msk_norsk *msk_norsk_shared(void)
{
    pthread_once(&shared_once, load_shared);
    return shared != NULL ? shared : &empty;
}

/* ---- queries ------------------------------------------------------------- */

const char *motesok_analysis_warnings(void)
{
    return msk_norsk_warnings(msk_norsk_shared());
}

const char *msk_norsk_warnings(const msk_norsk *n)
{
    return n->warnings.data != NULL ? n->warnings.data : "";
}

uint64_t msk_norsk_fingerprint(const msk_norsk *n)
{
    return n->fingerprint;
}

void msk_norsk_analysis_id(char out[40])
{
    snprintf(out, 40, "%d:%016llx", MSK_ANALYSIS_VERSION,
             (unsigned long long)msk_norsk_fingerprint(msk_norsk_shared()));
}

size_t msk_norsk_n_words(const msk_norsk *n)
{
    return n->n_dict;
}

bool msk_norsk_stopword(const msk_norsk *n, const char *w, size_t len)
{
    return (set_flags(&n->words, w, len) & F_STOP) != 0;
}

/* Inflectional endings of Bokmål and Nynorsk nouns, verbs and adjectives. */
static const char *const endings[] = {
    "e",   "a",   "s",   "r",   "t",   "n",   "en",  "et",  "er",  "ar",  "ne",
    "te",  "de",  "ts",  "ns",  "es",  "ene", "ane", "ens", "ets", "ers", "ars",
    "ert", "ete", "ede", "ste", "rne", "ende", "ande", "enes", "anes", "erne",
};

/* True if w, or w less one ending (leaving three bytes or more; or with
 * an e for it: kommunane → kommune), has any of flags. */
static bool known_as(const msk_norsk *n, const char *w, size_t len, unsigned flags)
{
    if (set_flags(&n->words, w, len) & flags)
        return true;
    char base[MAX_WORD + 1];
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        size_t el = strlen(endings[i]);
        if (len < el + 3 || len - el >= MAX_WORD || memcmp(w + len - el, endings[i], el) != 0)
            continue;
        if (set_flags(&n->words, w, len - el) & flags)
            return true;
        memcpy(base, w, len - el);
        base[len - el] = 'e';
        if (endings[i][0] != 'e' && (set_flags(&n->words, base, len - el + 1) & flags))
            return true;
    }
    return false;
}

bool msk_norsk_name(const msk_norsk *n, const char *w, size_t len)
{
    return n != NULL && w != NULL && (set_flags(&n->words, w, len) & F_NAME) != 0;
}

bool msk_norsk_word(const msk_norsk *n, const char *w, size_t len)
{
    return n != NULL && w != NULL && (set_flags(&n->words, w, len) & F_WORD) != 0;
}

bool msk_norsk_known(const msk_norsk *n, const char *w, size_t len)
{
    return known_as(n, w, len, F_WORD);
}

/* Byte offsets of the letters of w into at[0..*n_letters] (at[n] = len);
 * false if w holds anything but letters, or more than max letters. */
static bool letter_offsets(const char *w, size_t len, uint16_t *at, size_t max, size_t *n_letters)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(len - i), &c);
        if (k < 1 || n >= max)
            return false;
        if (!msk_is_letter(c))
            return false;
        at[n++] = (uint16_t)i;
        i += (size_t)k;
    }
    at[n] = (uint16_t)len;
    *n_letters = n;
    return true;
}

#define MAX_LETTERS 64

/* True if w[0..len) is a derivational ending, which is never the last part
 * of a compound (myndig|heter, felles|skapet, forstå|else; rapport|ring,
 * opera|sjon, rett|slig, reduser|ende, tilfør|selen): a word found through
 * it would match every noun made with it. */
static bool derivational_ending(const char *w, size_t len)
{
    static const char *const endings[] = {
        "heten", "heter", "hetene", "heta", "skap", "skapet", "skaper", "skapene", "skapa",
        "else", "elsen", "elser", "elsene", "elsa", "inga", "ingen", "inger", "ingene", "ingar",
        "ingane", "lige", "ligere", "ligst", "ligste", "messig", "messige", "aktig", "aktige",
        "ring", "ringa", "ringen", "ringer", "ringene", "ringar", "ringane", "sjon", "sjonen",
        "sjoner", "sjonene", "sjonar", "sjonane", "slig", "slige", "ende", "sel", "selen",
    };
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
        if (strlen(endings[i]) == len && memcmp(endings[i], w, len) == 0)
            return true;
    return false;
}

bool msk_norsk_ending(const char *w, size_t len)
{
    return derivational_ending(w, len);
}

/* True if a compound's part p (len bytes) ends in -ing, -het, -dom,
 * -skap, -sjon, -else or -nad after three letters or more: a word that
 * takes a linking s before the next part (forvaltning|s|loven,
 * nødvendighet|s|krav, ungdom|s|kort), so that the next part does not begin
 * with that s (sloven, skrav, skort). (A compound as the first part often
 * takes one too, barnevern|s|loven, but not always: hjertesvikt|skole.) */
static bool takes_linking_s(const char *p, size_t len)
{
    static const char *const ends[] = {"ing", "het", "dom", "skap", "sjon", "else", "nad"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        const size_t k = strlen(ends[i]);
        if (len >= k + 3 && memcmp(p + len - k, ends[i], k) == 0)
            return true;
    }
    return false;
}

/* The fewest-parts split of w into top spans; false if none. */
static bool split_top(const msk_norsk *n, const char *w, size_t len, msk_span *top, size_t *n_top)
{
    uint16_t at[MAX_LETTERS + 1];
    size_t L;
    *n_top = 0;
    if (len > MAX_WORD || !letter_offsets(w, len, at, MAX_LETTERS, &L) || L < 2 * MIN_PART)
        return false;
    /* parts[k]: fewest non-final parts that end (after any link) at letter
     * k; from[k]: where the last of them began; end[k]: where it ended
     * before its link. */
    unsigned char parts[MAX_LETTERS + 1], from[MAX_LETTERS + 1], end[MAX_LETTERS + 1];
    memset(parts, 0xFF, sizeof parts);
    parts[0] = 0;
    size_t best_k = 0, best_parts = SIZE_MAX;
    for (size_t k = 0; k + MIN_PART <= L; k++) {
        if (parts[k] == 0xFF)
            continue;
        /* the last part (from[k] and end[k] are set for k > 0 only):
         * fewest parts; on a tie with the part one letter earlier that
         * only adds an s, the s a link after a part that takes one
         * (forvaltning|s|loven, not forvaltning|sloven) */
        if (k > 0) {
            const bool fewer = (size_t)parts[k] + 1 < best_parts;
            const bool linked = !fewer && (size_t)parts[k] + 1 == best_parts && k == best_k + 1 &&
                                w[at[best_k]] == 's' && end[k] == best_k &&
                                from[k] == from[best_k] &&
                                takes_linking_s(w + at[from[k]], at[end[k]] - at[from[k]]);
            /* (nor the rest of one after a link: opera|s|joner is operasjoner) */
            const bool after_link = end[k] + 1u == k && w[at[end[k]]] == 's';
            if ((fewer || linked) && parts[k] + 1u <= MSK_SPLIT_MAX &&
                msk_norsk_known(n, w + at[k], len - at[k]) &&
                !derivational_ending(w + at[k], len - at[k]) &&
                !(after_link && derivational_ending(w + at[k - 1], len - at[k - 1]))) {
                best_parts = parts[k] + 1u;
                best_k = k;
            }
        }
        if (parts[k] + 2u > MSK_SPLIT_MAX)
            continue;
        for (size_t e = k + MIN_PART; e + MIN_PART <= L; e++) {
            /* a part before the last: a word hunspell lets begin compounds,
             * or one long enough not to be a chance string (samar|beid) */
            unsigned f = set_flags(&n->words, w + at[k], at[e] - at[k]);
            if (!(f & F_WORD) || (!(f & F_COMPOUND) && e - k < MIN_FREE_PART))
                continue;
            bool link = w[at[e]] == 's' || w[at[e]] == 'e';
            for (size_t next = e; next <= e + (link ? 1u : 0u); next++) {
                /* fewest parts; on a tie the longer part (helse|, not
                 * hels|e), but a linking s stays out (samarbeid|s|avtale) */
                bool tie = parts[next] != 0xFF && parts[k] + 1u == parts[next];
                bool longer = tie && e > end[next] &&
                              !(e == end[next] + 1u && w[at[end[next]]] == 's');
                bool unlinked = tie && e + 1u == end[next] && w[at[e]] == 's';
                if (parts[next] == 0xFF || parts[k] + 1u < parts[next] || longer || unlinked) {
                    parts[next] = (unsigned char)(parts[k] + 1);
                    from[next] = (unsigned char)k;
                    end[next] = (unsigned char)e;
                }
            }
        }
    }
    if (best_parts == SIZE_MAX)
        return false;
    size_t count = best_parts;
    top[count - 1] = (msk_span){at[best_k], (uint16_t)len};
    for (size_t k = best_k, i = count - 1; i > 0; i--) {
        top[i - 1] = (msk_span){at[from[k]], at[end[k]]};
        k = from[k];
    }
    *n_top = count;
    return true;
}

/* True if w must stay whole: listed in nosplit.txt, or a name (maybe
 * inflected: Hallingdalen) that is no common word. */
static bool keep_whole(const msk_norsk *n, const char *w, size_t len)
{
    return (set_flags(&n->words, w, len) & F_NOSPLIT) ||
           (known_as(n, w, len, F_NAME | F_NOSPLIT) && !msk_norsk_known(n, w, len));
}

/* True if every top part of a split has at least min letters. */
static bool parts_at_least(const char *w, const msk_span *top, size_t n_top, size_t min)
{
    for (size_t i = 0; i < n_top; i++)
        if (msk_utf8_chars(w + top[i].start, (size_t)(top[i].end - top[i].start)) < min)
            return false;
    return true;
}

/* The split of w that compounds.txt gives, for w itself or w less an
 * inflectional ending (høringsfrist|er; kommunane as kommune|ne), the last
 * part running to w's end; false if it gives none. */
static bool table_split(const msk_norsk *n, const char *w, size_t len, msk_span *top, size_t *n_top)
{
    *n_top = 0;
    if (n->compounds.n == 0 || len > MAX_WORD)
        return false;
    const unsigned char *x = set_extra(&n->compounds, w, len);
    size_t shared = len; /* bytes of w that the entry's word shares */
    char key[MAX_WORD + 1]; /* the entry's word */
    size_t key_len = len;
    memcpy(key, w, len);
    for (size_t i = 0; x == NULL && i < sizeof endings / sizeof *endings; i++) {
        size_t el = strlen(endings[i]);
        if (len < el + 3 || memcmp(w + len - el, endings[i], el) != 0)
            continue;
        shared = key_len = len - el;
        if ((x = set_extra(&n->compounds, w, shared)) == NULL && endings[i][0] != 'e') {
            key[shared] = 'e';
            key_len = shared + 1;
            x = set_extra(&n->compounds, key, key_len);
        }
    }
    if (x == NULL || x[0] < 2 || x[0] > MSK_SPLIT_MAX || x[1 + 2 * (x[0] - 1)] >= shared)
        return false;
    /* a form of a word in nosplit.txt stays whole too (behandlingskjeden) */
    if (set_flags(&n->words, key, key_len) & F_NOSPLIT)
        return false;
    for (size_t i = 0; i < x[0]; i++)
        top[i] = (msk_span){x[1 + 2 * i], i + 1u == x[0] ? (uint16_t)len : x[2 + 2 * i]};
    *n_top = x[0];
    return true;
}

/* The split of w by compounds.txt (table_split) if its parts have five
 * letters or more, else the fewest-parts split (split_top); for a word the
 * dictionary knows, only one into parts of five letters or more either way:
 * helse|samarbeid, not tjen|ester, pasi|enter, forsk|rift, lege|vakt (a
 * query for legevakt would find lege and vakt apart). */
static bool split_once(const msk_norsk *n, const char *w, size_t len, msk_span *top, size_t *n_top)
{
    if (table_split(n, w, len, top, n_top) && parts_at_least(w, top, *n_top, MIN_PART + 1))
        return true;
    if (!split_top(n, w, len, top, n_top))
        return false;
    if (msk_norsk_known(n, w, len) && !parts_at_least(w, top, *n_top, MIN_PART + 1)) {
        *n_top = 0;
        return false;
    }
    return true;
}

bool msk_norsk_split(const msk_norsk *n, const char *w, size_t len, msk_split *out)
{
    memset(out, 0, sizeof *out);
    if ((n->words.n == 0 && n->compounds.n == 0) || keep_whole(n, w, len) ||
        !split_once(n, w, len, out->top, &out->n_top)) {
        memset(out, 0, sizeof *out);
        return false;
    }
    /* each top part split once more: by the table as above, else the
     * fewest-parts split with parts of four letters (kommune|helse) */
    for (size_t i = 0; i < out->n_top; i++) {
        msk_span t = out->top[i], sub[MSK_SPLIT_MAX];
        const char *p = w + t.start;
        size_t plen = t.end - t.start, n_sub = 0;
        if (!keep_whole(n, p, plen) &&
            ((table_split(n, p, plen, sub, &n_sub) && parts_at_least(p, sub, n_sub, MIN_PART + 1)) ||
             split_top(n, p, plen, sub, &n_sub))) {
            for (size_t j = 0; j < n_sub; j++)
                out->leaf[out->n_leaf++] = (msk_span){(uint16_t)(t.start + sub[j].start),
                                                      (uint16_t)(t.start + sub[j].end)};
        } else {
            out->leaf[out->n_leaf++] = t;
        }
    }
    return true;
}

size_t msk_norsk_n_pairs(const msk_norsk *n)
{
    return n->pairs.n / 2;
}

size_t msk_norsk_n_first_pairs(const msk_norsk *n)
{
    return n->n_first_pairs;
}

void msk_norsk_pair(const msk_norsk *n, size_t i, const char **nynorsk, const char **bokmal)
{
    *nynorsk = list_at(&n->pairs, 2 * i);
    *bokmal = list_at(&n->pairs, 2 * i + 1);
}

size_t msk_norsk_n_stopwords(const msk_norsk *n)
{
    return n->stops.n;
}

const char *msk_norsk_stopword_at(const msk_norsk *n, size_t i)
{
    return list_at(&n->stops, i);
}

size_t msk_norsk_n_groups(const msk_norsk *n)
{
    return n->n_groups;
}

size_t msk_norsk_group(const msk_norsk *n, size_t i, const char *const **members)
{
    *members = n->member_ptrs + n->group_at[i];
    return n->group_at[i + 1] - n->group_at[i];
}
