/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Norwegian language data for the analyser (internal): the hunspell-no
 * word lists (Bokmål + Nynorsk) for compound splitting and for re-joining
 * words hyphenated at a line end, and the user-extendable files under
 * <data dir>/norsk/: nynorsk.txt (Nynorsk → Bokmål pairs), stopwords.txt,
 * synonyms.txt (groups of abbreviations and synonyms), nosplit.txt,
 * words.txt (words the dictionaries lack, usable as compound parts) and
 * compounds.txt (compounds and their parts: generated from apertium-nno-nob).
 * Loaded data is read-only, so one copy serves every thread. Words are
 * handled case-folded (see msk_casefold). */
#ifndef MSK_NORSK_H
#define MSK_NORSK_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msk_norsk msk_norsk;

/* Bytes [start, end) of a word. */
typedef struct msk_span {
    uint16_t start, end;
} msk_span;

/* Most parts a compound is split into (longer chains are left whole). */
#define MSK_SPLIT_MAX 4

/* How a compound splits: top holds the fewest dictionary words that make
 * it (linking -s-/-e- left out of the spans); leaf splits each top part of
 * eight letters or more once more where it is itself a compound. */
typedef struct msk_split {
    size_t n_top;
    msk_span top[MSK_SPLIT_MAX];
    size_t n_leaf;
    msk_span leaf[MSK_SPLIT_MAX * MSK_SPLIT_MAX];
} msk_split;

/* Load the data: each folder of the colon-separated data_dirs that holds
 * norsk/ adds its files; the dictionaries come from hunspell_dir (nb_NO and
 * nn_NO .dic/.aff). Missing files are not errors: they are listed in
 * msk_norsk_warnings(). Malformed lines are skipped and listed there too. */
motesok_status msk_norsk_load(const char *data_dirs, const char *hunspell_dir, msk_norsk **out,
                              motesok_error *err);

/* Free data from msk_norsk_load (NULL is fine). */
void msk_norsk_free(msk_norsk *n);

/* The process-wide data, loaded on first use from $MOTESOK_DATA_DIR (else
 * the installed data folder, found beside the installed library; from the
 * build tree, the source tree's data/) and $MOTESOK_HUNSPELL_DIR (else
 * /usr/share/hunspell). Never NULL: without memory it is empty. */
const msk_norsk *msk_norsk_shared(void);

/* What was missing or malformed at load, one line each; "" if nothing. */
const char *msk_norsk_warnings(const msk_norsk *n);

/* A hash of everything loaded: indexes built with other data differ. */
uint64_t msk_norsk_fingerprint(const msk_norsk *n);

/* Version of what documents hold (the analysis code, the terms the indexer
 * adds), part of msk_norsk_analysis_id: raising it re-indexes every file.
 * 2: cases with a decision carry XKdecision. 3: field copies (titles,
 * decisions) without positions; the minutes reader of round 2 (bench/minutes).
 * 4: the two together, with the minutes reader of rounds 3 and 4. 5: no
 * derivational ending (-heter, -skap, -else, -ingen …) as a compound part.
 * 6: compound parts under their own prefix (XD), not as stems (Z). 7: a
 * doubled final m undone where the one-m form is a word (hjemmet → hjem).
 * 8: every passage carries its meeting (MOTESOK_SLOT_MEETING, XH for a
 * twin), the key results collapse on. 9: compounds left half-written
 * before og/eller written out (msk_norsk_ellipses). 10: the s after a
 * part ending in -ing, -het, -dom … a link, not the next part's start
 * (forvaltning|loven, not forvaltning|sloven). 11: -ering, -sjon,
 * -slig, -ende and -sel never a compound's last part (rapport|ring). */
#define MSK_ANALYSIS_VERSION 11

/* "VERSION:FINGERPRINT" naming the analysis of this process (code and
 * shared data), as stored in an index's MOTESOK_META_ANALYSIS. */
void msk_norsk_analysis_id(char out[40]);

/* Dictionary words loaded (0 without hunspell-no). */
size_t msk_norsk_n_words(const msk_norsk *n);

/* True if folded word w is a name in the dictionaries (a capitalised
 * entry: råde for Råde, oslo), whether or not it is also a common word. */
bool msk_norsk_name(const msk_norsk *n, const char *w, size_t len);

/* True if folded word w is a dictionary word, maybe with an inflectional
 * ending (samarbeidet, tjenestene, vakta). */
bool msk_norsk_known(const msk_norsk *n, const char *w, size_t len);

/* True if folded word w is a dictionary word as it is (no ending taken off). */
bool msk_norsk_word(const msk_norsk *n, const char *w, size_t len);

/* True if folded w is a derivational ending (-heter, -skap, -else, -ingen
 * …), which is never the last part of a compound. */
bool msk_norsk_ending(const char *w, size_t len);

/* True if folded word w is a stopword. */
bool msk_norsk_stopword(const msk_norsk *n, const char *w, size_t len);

/* Split folded word w as compounds.txt says for it (or for it less an
 * inflectional ending) when every part has five letters or more; else into
 * dictionary words: parts of at least four letters, all but the last
 * exactly a dictionary word, optionally followed by a linking s or e; the
 * last maybe inflected. False (and *out empty) when w is no such compound,
 * is a name or is in nosplit.txt. */
bool msk_norsk_split(const msk_norsk *n, const char *w, size_t len, msk_split *out);

/* Append to out, folded and each followed by a space, the compounds that
 * text (len bytes) leaves half-written before "og", "eller", "samt" or a
 * comma, written out with the last part of the compound that completes
 * them: "utrednings- og informasjonsplikt" gives utredningsplikt,
 * "barne-, ungdoms- og familiedepartementet" barnedepartementet and
 * ungdomsdepartementet; nothing when that compound does not split. */
motesok_status msk_norsk_ellipses(const msk_norsk *n, const char *text, size_t len, msk_buf *out);

/* Nynorsk → Bokmål pairs (folded), in file order. */
size_t msk_norsk_n_pairs(const msk_norsk *n);
/* How many of them, the first ones, come from the first data folder (the
 * hand-made pairs; later folders hold the generated ones). */
size_t msk_norsk_n_first_pairs(const msk_norsk *n);
void msk_norsk_pair(const msk_norsk *n, size_t i, const char **nynorsk, const char **bokmal);

/* Stopwords (folded), in file order. */
size_t msk_norsk_n_stopwords(const msk_norsk *n);
const char *msk_norsk_stopword_at(const msk_norsk *n, size_t i);

/* Synonym groups: group i's members (folded, words separated by one space). */
size_t msk_norsk_n_groups(const msk_norsk *n);
size_t msk_norsk_group(const msk_norsk *n, size_t i, const char *const **members);

#ifdef __cplusplus
}
#endif
#endif
