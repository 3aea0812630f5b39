/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The query language's rules (internal), in one place for search.c and the
 * Xapian shim: which words are operators (operators.c) and which dates a
 * query may name (dates.c), how much of a query is read (bounds.c). The shim asks these functions; it holds no
 * rule of its own. */
#ifndef MSK_QUERY_H
#define MSK_QUERY_H

#include "internal.h"
#include "xapian/xapian.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- operator words ------------------------------------------------------ */

/* True if word (n bytes) is an operator word: AND, OR, NOT, XOR, NEAR and
 * ADJ (these two also with "/n"), OG, ELLER, IKKE, IKKJE — in upper case
 * only: lower-case "og" and "ikke" are (stop)words of the text. */
MSK_INTERNAL bool msk_query_operator(const char *word, size_t n);

/* The English operator ("AND", "OR", "NOT") that the Norwegian operator
 * word (n bytes; OG, ELLER, IKKE, IKKJE, upper case) stands for; NULL for
 * any other word. The string is static. */
MSK_INTERNAL const char *msk_query_norwegian_operator(const char *word, size_t n);

/* The operator words, upper case, i < msk_query_n_operators() (static). */
MSK_INTERNAL size_t msk_query_n_operators(void);
MSK_INTERNAL const char *msk_query_operator_at(size_t i);

/* ---- dates --------------------------------------------------------------- */

/* Read s (n bytes) as a query date: YYYY (a whole year), YYYY-MM (a whole
 * month), YYYY-MM-DD or YYYYMMDD (one day), a real calendar date in the
 * years 0001-9999. True with the first and last day it covers in lo and hi
 * as YYYYMMDD; false otherwise (lo and hi are then ""). */
MSK_INTERNAL bool msk_query_date(const char *s, size_t n, char lo[9], char hi[9]);

/* The first month named with its year in free text ("mai 2014", "i
 * Desember 2019": a month's full name, then a year 1900-2099), as its
 * first and last day in lo and hi (YYYYMMDD); false if none. */
MSK_INTERNAL bool msk_query_month_named(const char *text, char lo[9], char hi[9]);

/* What msk_query_date_range found. */
typedef enum msk_date_range {
    MSK_DATES_OK,       /* a range with at least one end */
    MSK_DATES_BAD_FROM, /* from is not a query date */
    MSK_DATES_BAD_TO,   /* to is not a query date */
    MSK_DATES_REVERSED, /* from begins after to ends: no day lies between */
    MSK_DATES_OPEN,     /* neither end given */
} msk_date_range;

/* The range from..to (either NULL for an open end) as YYYYMMDD bounds: lo
 * the first day of from, hi the last day of to ("" for an open end). Any
 * result but MSK_DATES_OK means no range (lo and hi are then ""). */
MSK_INTERNAL msk_date_range msk_query_date_range(const char *from, const char *to, char lo[9],
                                                 char hi[9]);

/* ---- bounds -------------------------------------------------------------- */

/* What msk_query_bound cut (a bit set). */
enum {
    MSK_BOUND_TERMS = 1, /* words past max_terms were left out */
    MSK_BOUND_DEPTH = 2, /* brackets nested past max_depth were dropped */
};

/* The query q bounded before any parse, so that every pass over it (the
 * words, their correction, the any-word search) does bounded work: at most
 * max_terms words (a run of letters, digits and marks; operator words and
 * field names not counted), cut before the first word past them, with an
 * operator or field name left dangling removed and an open phrase or
 * bracket closed; brackets nested deeper than max_depth become spaces (the
 * words in them stay). Returns the bounded copy (caller frees; equal to q
 * when nothing was cut), NULL when out of memory; *cut gets the
 * MSK_BOUND_* bits of what was cut, *wildcards (may be NULL) the words kept
 * that end in '*' outside a phrase. */
MSK_INTERNAL char *msk_query_bound(const char *q, unsigned max_terms, unsigned max_depth,
                                   unsigned *cut, unsigned *wildcards);

/* ---- parsing ---------------------------------------------------------------- */

/* msk_query_options' max_expanded when 0 is given. */
#define MSK_QUERY_MAX_EXPANDED 500u

/* How msk_query_parse reads a query: the parser's set-up through the
 * binding (fields, date ranges, AND or OR, what one prefix* expands to),
 * and the query language's own. */
typedef struct msk_query_options {
    motesok_xparse_options parser;
    bool norwegian_ops;    /* also accept OG, ELLER, IKKE/IKKJE as AND, OR, NOT
                              (msk_query_norwegian_operator) */
    unsigned max_expanded; /* max terms all the prefix* of the query expand
                              to together, shared out evenly but at least
                              one each (0: MSK_QUERY_MAX_EXPANDED) */
    bool no_spelling;      /* no spelling suggestion wanted: skip the look-ups */
    bool any_part;         /* a compound may match by any one of its parts and
                              by the words its leading parts begin (when it
                              finds nothing as it is) */
    bool coordinate;       /* with any word matching (not parser.default_and),
                              a passage gains a bonus for each word it holds */
} msk_query_options;

/* Parse a user query the Norwegian way (lib/analysis/rewrite.c): Xapian's
 * parser through the binding (phrases, +/-, AND/OR/NOT and, with
 * opt->norwegian_ops, OG/ELLER/IKKE/IKKJE, prefix*, fields and date
 * ranges), then a compound also matches its parts, an abbreviation or
 * synonym its group (data/norsk), letters and digits their other
 * spellings (LIS1 = LIS 1 = LIS-1), two words the compound they make. A
 * phrase (or NEAR) of field terms only (e.g. vedtak:"ny brannstasjon")
 * matches as all its words in the field, since fields are indexed without
 * positions — but for the case number, whose phrases stay. On a syntax
 * error it falls back to the words alone; *fell_back (may be NULL) says
 * so. A blank query yields MatchAll; one with nothing to search for
 * ERR_QUERY. Each prefix* is expanded here, once, to the most frequent of
 * the terms it covers (opt's limits; looking at no more than 50 terms of
 * the index per term it may expand to); motesok_xquery_cost_of says what
 * that took. The whole words and their proximity are kept to re-rank the
 * top passages by; a spelling suggestion is made only when a word finds
 * nothing, and only for such words. */
MSK_INTERNAL motesok_status msk_query_parse(motesok_xreader *r, const char *query,
                                            const msk_query_options *opt, motesok_xquery **out,
                                            bool *fell_back, motesok_error *err);

/* True if byte c can be part of a word: an ASCII letter or digit, or any
 * byte of a UTF-8 sequence (the query's and the snippets' one rule). */
static inline bool msk_query_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ---- query text ----------------------------------------------------------- */

/* q with the Norwegian operator words (OG, ELLER, IKKE, IKKJE) outside
 * double quotes, and not right after a field's colon, written as AND, OR,
 * NOT for Xapian's parser. Caller frees; NULL when out of memory. */
MSK_INTERNAL char *msk_query_english_operators(const char *q);

/* The words of q (runs of letters, digits and non-ASCII bytes), each
 * followed by a space, operator words left out: what a query falls back to
 * on a syntax error. Caller frees; NULL when out of memory. */
MSK_INTERNAL char *msk_query_plain_words(const char *q);

/* True if q holds only white space. */
MSK_INTERNAL bool msk_query_blank(const char *q);

/* Call fn with the case-folded form of every word of q that begins with a
 * capital letter outside double quotes (a name: the parser leaves it
 * unstemmed). ERR_NOMEM when out of memory. */
MSK_INTERNAL motesok_status msk_query_capitalised(const char *q,
                                                  void (*fn)(const char *folded, void *ctx),
                                                  void *ctx);

/* How a word was typed: in lower case (or with no letter), beginning with
 * one capital, or with two capitals or more (an abbreviation: DSB, IMDi). */
typedef enum msk_word_case { MSK_CASE_LOWER, MSK_CASE_CAPITAL, MSK_CASE_CAPITALS } msk_word_case;

/* How word w (n bytes of UTF-8) was typed (msk_word_case). */
MSK_INTERNAL msk_word_case msk_query_word_case(const char *w, size_t n);

/* A copy of UTF-8 word w with its first letter in upper case (the rest as
 * it is), into out (size bytes, NUL-terminated); false when it does not
 * fit. */
MSK_INTERNAL bool msk_query_capitalise(const char *w, char *out, size_t size);

/* Where the letters and the digits of term t (n bytes) meet when it is
 * letters then digits or digits then letters (lis1, e18, 3a: letters a–z
 * or any UTF-8 letter byte), else SIZE_MAX. */
MSK_INTERNAL size_t msk_query_letter_digit_split(const char *t, size_t n);

/* Edits (insert, delete, replace, swap two neighbours) from UTF-8 a to b,
 * counted in code points (a byte that is no UTF-8 counts as one);
 * SIZE_MAX when out of memory. */
MSK_INTERNAL size_t msk_edit_distance(const char *a, size_t an, const char *b, size_t bn);

/* ---- best part ------------------------------------------------------------ */

/* How well text (len bytes) matches terms (n query terms, each with its
 * idf): the sum over terms of idf × the words of the text the term stands
 * for — a stemmed term ("Z…", or a compound part "XD…") its stem plus an
 * ending of at most four letters (legevakt, legevaktene, not
 * legevaktvarsling), any other term the word itself; filter terms (Q, XP,
 * XK, XB) count nothing. Case-folded: ASCII and Latin-1 capitals. */
MSK_INTERNAL double msk_part_score(const char *text, size_t len, const char *const *terms,
                                   const double *idfs, size_t n);

#ifdef __cplusplus
}
#endif
#endif
