/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared inside lib/minutes/ only: the document as lines, case numbers,
 * header fields, cases and decisions. Every function is pure over its
 * arguments (no I/O, no shared state) and linear in its input. */
#ifndef MSK_MINUTES_MN_H
#define MSK_MINUTES_MN_H

#include "internal.h"
#include "minutes/minutes.h"

#include <stdbool.h>
#include <stddef.h>

#define MN_N_OF(a) (sizeof (a) / sizeof *(a))

/* ---- lines.c: the text as trimmed lines ---------------------------------- */

/* One line of the joined (and repaired) text. */
typedef struct mn_line {
    const char *p;  /* first non-blank byte */
    size_t len;     /* trimmed length */
    size_t off;     /* offset of the raw line in the joined text */
    size_t end;     /* offset just past the raw line */
    size_t page;    /* 1-based */
    /* what decisions.c made of the line, computed once (0: not yet) */
    unsigned char kind_plus1;
    size_t kind_at;
} mn_line;

/* The pages joined by '\f' into one copy (same length, flattened pages split
 * into lines by turning spaces into newlines) and cut into lines. */
typedef struct mn_doc {
    char *text;
    size_t len;
    mn_line *lines;
    size_t n;
} mn_doc;

/* Join, repair and split pages into d; false on allocation failure. */
bool msk_mn_doc_build(const char *const *pages, const size_t *lens, size_t n_pages, mn_doc *d);

/* Release what msk_mn_doc_build allocated (a zeroed doc is fine). */
void msk_mn_doc_free(mn_doc *d);

/* Turn the space before each marker of an over-long line into a newline. */
void msk_mn_repair_flat(char *text, size_t len);

/* Index of the next non-blank line at or after i (d->n if none). */
size_t msk_mn_next_filled(const mn_doc *d, size_t i);

/* True if p starts with word w (exact case) followed by a non-letter. */
bool msk_mn_starts_word(const char *p, size_t len, const char *w);

/* Like msk_mn_starts_word, ignoring ASCII case and the case of Æ Ø Å. */
bool msk_mn_starts_word_ci(const char *p, size_t len, const char *w);

/* True if p[0..len) contains w, ignoring case as msk_mn_starts_word_ci does. */
bool msk_mn_contains_ci(const char *p, size_t len, const char *w);

/* True if p[0..len) contains any of the n words w, as msk_mn_contains_ci
 * says each; the text is case-folded once for all of them. */
bool msk_mn_contains_any_ci(const char *p, size_t len, const char *const *w, size_t n);

/* Copy at most max bytes of s (cut at a character boundary), collapsing
 * white space; NULL on allocation failure. */
char *msk_mn_copy_clean(const char *s, size_t len, size_t max);

/* Join the trimmed text of lines [a, b] with spaces, at most max bytes. */
char *msk_mn_join(const mn_doc *d, size_t a, size_t b, size_t max);

/* True if s has letters and none of them is lower-case. */
bool msk_mn_shouting(const char *s, size_t len);

/* Number of words (runs of non-blanks) in p[0..len). */
size_t msk_mn_words(const char *p, size_t len);

/* ---- numbers.c: case numbers --------------------------------------------- */

/* A case number found at the start of a text. */
typedef struct mn_number {
    char series[3];   /* "RS", "DS", "FO" (kept in keys) or "" */
    bool prefixed;    /* a series word or code stood before the digits */
    const char *a;    /* first digit run */
    size_t alen;
    const char *b;    /* digits after '/', NULL when there is no slash */
    size_t blen;
    size_t num_at;    /* offset of the first digit of a */
    size_t end;       /* offset just past the number */
} mn_number;

/* Recognise a case number at the start of p ("Sak 12/19", "PS TEK 0002/00",
 * "KO-10/12", "nr10/06", "021/15", "Sak nr.: 0001/00", "RS 3/19", "5");
 * false if p does not start with one. */
bool msk_mn_number_at(const char *p, size_t len, mn_number *n);

/* Write the normalised key of n ("21/2015", "RS 3/2019", "3") into out
 * (see motesok_case_key for the rule); false if it is not a case number. */
bool msk_mn_number_key(const mn_number *n, int meeting_year, char *out, size_t cap);

/* The year a key names ("21/2015" → 2015), 0 when it has none. */
int msk_mn_key_year(const char *key);

/* ---- tables.c: case-paper header tables ---------------------------------- */

/* What a case-paper header table says. */
typedef struct mn_table {
    bool has_number;
    mn_number num;       /* pointers into the document text */
    size_t line;         /* line of the number's value */
    size_t end;          /* first line after the table */
    const char *organ;   /* Utvalg value, or NULL */
    size_t organ_len;
    char date[11];       /* Møtedato value, or "" */
    char type[3];        /* PS, RS, DS, FO or "" */
} mn_table;

/* Find the first header table in the document's first lines; false if none. */
bool msk_mn_find_table(const mn_doc *d, mn_table *t);

/* ---- header.c: the meeting ------------------------------------------------ */

/* Fill organ, kommune, date (with confidences), place and attendance from
 * the header lines [0, hend); year_hint (0 if none) supplies a missing year;
 * minutes says whether the text reads as minutes at all. */
bool msk_mn_header(const mn_doc *d, size_t hend, int year_hint, bool minutes, motesok_minutes *m);

/* The organ named in the header lines [0, hend), NULL when none; *conf 0..1. */
char *msk_mn_organ(const mn_doc *d, size_t hend, float *conf);

/* A display copy of the organ name in p[0..len) (a table cell), NULL when
 * it is no name (a label, a sentence, too many words). */
char *msk_mn_organ_name(const char *p, size_t len);

/* True if p[0..len) holds a word stem of organ names ("kommunestyre",
 * "utval", "råd for" …). */
bool msk_mn_has_organ_stem(const char *p, size_t len);

/* True if p[0..len) names an organ and shares no organ stem with organ
 * ("Formannskapets vedtak" against "Kommunestyret"); false when organ is
 * NULL or p names none. */
bool msk_mn_other_organ(const char *p, size_t len, const char *organ);

/* The kommune the meeting belongs to (bare name), NULL when unknown or
 * when the header names several; *conf 0..1. */
char *msk_mn_kommune(const mn_doc *d, size_t hend, const char *organ, float *conf);

/* The kommune a text names ("Kontrollutvalget i Selbu kommune" → "Selbu"),
 * NULL if none. */
char *msk_mn_kommune_in(const char *p, size_t len);

/* True if line text is a document-type word or label (Møteprotokoll,
 * MØTEINNKALLING, Møtestad, …), also with letters lost by a broken font. */
bool msk_mn_is_label_word(const char *p, size_t len);

/* True if line text p opens with word w, also when a broken font lost
 * every copy of one of its letters ("MØTEI  KALLI G Kommunestyret"). */
bool msk_mn_opens_with(const char *p, size_t len, const char *w);

/* ---- cases.c: case headings, saksliste, case-paper tables ---------------- */

/* A case heading or saksliste row found on a line. */
typedef struct mn_heading {
    size_t line;      /* index of the line */
    mn_number num;    /* number; offsets relative to the line's text */
    const char *title;/* NULL: the title is on the next filled line */
    size_t title_len;
} mn_heading;

/* Every case heading of d in order; *n_out set; NULL with 0 when none
 * (or on allocation failure, with *nomem set). */
mn_heading *msk_mn_find_headings(const mn_doc *d, size_t *n_out, bool *nomem);

/* Fill m->cases from d: headings, saksliste rows or (in minutes) numbered
 * items, each case once by key; false on allocation failure. */
bool msk_mn_cases(const mn_doc *d, int meeting_year, bool minutes, motesok_minutes *m);

/* The year most keys of the document's case numbers name, 0 if none. */
int msk_mn_cases_year(const mn_doc *d);

/* ---- decisions.c: proposal, decision and vote ------------------------------ */

/* Read proposal, decision and vote of the case body lines [a, end) into c,
 * after the result cell row[0..row_len) of its saksliste row (NULL if
 * none); heads is the meeting's head count for a vote given only as "mot
 * N stemmer" (-1 if unknown); organ (NULL if unknown) is the body the case
 * belongs to: what another body decided ("Behandling i Formannskapet",
 * "Formannskapets vedtak") is not this case's; false on allocation failure. */
bool msk_mn_decide(const mn_doc *d, size_t a, size_t end, const char *row, size_t row_len,
                   int heads, const char *organ, motesok_case *c);

/* The last head count ("Av 35 representanter var 35 til stede") in lines
 * [a, b), -1 if none. */
int msk_mn_head_count(const mn_doc *d, size_t a, size_t b);

/* The first head count anywhere in d, -1 if none. */
int msk_mn_first_head_count(const mn_doc *d);

/* True if text reads as a case's result: an adoption, a deferral or a vote. */
bool msk_mn_result_text(const char *p, size_t len);

/* If line l opens a proposal or decision block, true (a section label
 * that must end a title or a block). */
bool msk_mn_block_label(const mn_line *l);

#endif
