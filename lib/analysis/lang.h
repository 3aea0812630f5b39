/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Norwegian analysis built from the language data (internal): the
 * stemmer that documents and queries share, the stopword tests and the
 * synonym groups as stems. Built once per process from msk_norsk_shared()
 * (lib/analysis/norsk.h), read-only after, so every thread shares it.
 *
 * The stemmer is Snowball's Norwegian (through the Xapian binding,
 * motesok_xsnowball) with three rules of our own: "aa" read as "å" (names
 * spelt before 1917), a final doubled m undone where the one-m form is a
 * dictionary word (hjemmet → hjem), and the stem of a Nynorsk word replaced
 * by that of its Bokmål twin (tenestene → tjeneste). The binding's
 * TermGenerator and QueryParser call it through motesok_xanalysis hooks,
 * which this module installs when the library loads. */
#ifndef MSK_LANG_H
#define MSK_LANG_H

#include "internal.h"
#include "analysis/norsk.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msk_lang msk_lang;

/* The process's analysis, built on first use. Never NULL: without memory
 * its tables stay empty (Snowball alone, no stopwords, no groups). */
MSK_INTERNAL const msk_lang *msk_lang_shared(void);

/* The language data the analysis was built from. */
MSK_INTERNAL const msk_norsk *msk_lang_data(const msk_lang *l);

/* The stem of lower-case word w (n bytes) into out (cleared first,
 * NUL-terminated): what documents and queries index it under. */
MSK_INTERNAL motesok_status msk_lang_stem(const msk_lang *l, const char *w, size_t n, msk_buf *out);

/* True if lower-case word w (n bytes) has a Nynorsk → Bokmål pair of its
 * own: the stemmer maps its Snowball stem. */
MSK_INTERNAL bool msk_lang_paired(const msk_lang *l, const char *w, size_t n);

/* Call fn with the extra stems a document gets for compound w (n bytes,
 * lower case): of each top part and leaf, and of every run of two or more
 * leaves short of the whole word (kommune|helse|samarbeidet gives
 * helsesamarbeid), each once and never the whole word's own stem; nothing
 * when w is no compound. */
MSK_INTERNAL motesok_status msk_lang_part_stems(const msk_lang *l, const char *w, size_t n,
                                                void (*fn)(const char *stem, size_t len, void *ctx),
                                                void *ctx);

/* True if w (n bytes) is a stopword of documents (data/norsk/stopwords.txt). */
MSK_INTERNAL bool msk_lang_stopword(const msk_lang *l, const char *w, size_t n);

/* True if w is dropped from queries: a stopword, or an operator word in
 * lower case (a misplaced operator reaches the parser as a word). */
MSK_INTERNAL bool msk_lang_query_stopword(const msk_lang *l, const char *w, size_t n);

/* Synonym groups of two members or more, each member as the stems of its
 * words (stopwords left out). */
MSK_INTERNAL size_t msk_lang_n_groups(const msk_lang *l);
MSK_INTERNAL size_t msk_lang_group_size(const msk_lang *l, size_t g);
/* The groups (ascending, each once) with a member among whose stems is
 * stem: their number, and *groups pointed at them (live as the analysis). */
MSK_INTERNAL size_t msk_lang_groups_with(const msk_lang *l, const char *stem, const size_t **groups);
/* Member m of group g: its stems (*n_stems of them) and, when one of its
 * words has one or two letters (k-styre, ø-hjelp) and it has more than one
 * word, its words in lower case (*n_tight; else 0), which are searched as a
 * phrase. Strings live as long as the analysis. */
MSK_INTERNAL void msk_lang_member(const msk_lang *l, size_t g, size_t m, const char *const **stems,
                                  size_t *n_stems, const char *const **tight, size_t *n_tight);

#ifdef __cplusplus
}
#endif
#endif
