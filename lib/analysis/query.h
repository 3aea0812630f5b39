/* The query language's rules (internal), in one place for search.c and the
 * Xapian shim: which words are operators (operators.c) and which dates a
 * query may name (dates.c). The shim asks these functions; it holds no
 * rule of its own. */
#ifndef MSK_QUERY_H
#define MSK_QUERY_H

#include "internal.h"

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

#ifdef __cplusplus
}
#endif
#endif
