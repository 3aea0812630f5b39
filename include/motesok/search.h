/* Møtesøk — search over an index directory, answering in the JSON shapes of
 * the HTTP API contract (../shared/DESIGN.md), so that searchd and any other
 * front end print exactly the same objects.
 *
 * Life cycle: motesok_searcher_open → (search | document | text | status)…
 *             → motesok_searcher_close. One searcher per thread: it owns its
 * own Xapian and SQLite read handles. Each call first moves to the latest
 * index commit, so new indexer runs are seen without a restart.
 */
#ifndef MOTESOK_SEARCH_H
#define MOTESOK_SEARCH_H

#include "motesok/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct motesok_searcher motesok_searcher;

typedef enum motesok_sort {
    MOTESOK_SORT_RELEVANCE = 0,
    MOTESOK_SORT_DATE, /* newest first */
} motesok_sort;

/* A search request; NULL strings and zero numbers take the defaults. */
typedef struct motesok_search_request {
    const char *query;     /* user query text (required, may be "") */
    unsigned offset;       /* default 0; at most MOTESOK_MAX_OFFSET */
    unsigned limit;        /* default 10; 1..MOTESOK_MAX_LIMIT */
    const char *from, *to; /* inclusive bounds, or NULL: YYYY-MM-DD (or
                              YYYYMMDD) a day, YYYY-MM a month and YYYY a
                              year, from its first day / to its last; the
                              same dates as the query's dato:A..B */
    const char *organ;     /* exact organ name (case-insensitive), or NULL */
    const char *kommune;   /* exact kommune name (case-insensitive), or NULL */
    bool decisions;        /* match decision text only */
    bool exact_total;      /* check every match: an exact total and facets
                              (else an estimate past the page, "total_exact") */
    motesok_sort sort;
    unsigned snippet_chars;/* default 240 */
    double time_limit_s;   /* default 5 s */
} motesok_search_request;

#define MOTESOK_MAX_LIMIT 100u
#define MOTESOK_MAX_OFFSET 100000u
#define MOTESOK_MAX_QUERY_BYTES 4096u

/* Open the index directory for reading (the Xapian database and the store).
 * ERR_NOT_FOUND when dir holds no index yet. */
MOTESOK_API motesok_status motesok_searcher_open(const char *index_dir,
                                                 motesok_searcher **out,
                                                 motesok_error *err);

/* Close a searcher (NULL is fine). */
MOTESOK_API void motesok_searcher_close(motesok_searcher *s);

/* Run a search; *json is the contract's search response (caller frees).
 * Bad parameters give ERR_INVALID with a message fit for the user. */
MOTESOK_API motesok_status motesok_searcher_search(motesok_searcher *s,
                                                   const motesok_search_request *req,
                                                   char **json,
                                                   motesok_error *err);

/* Metadata of document id as JSON (caller frees); ERR_NOT_FOUND if unknown. */
MOTESOK_API motesok_status motesok_searcher_document(motesok_searcher *s,
                                                     const char *id,
                                                     char **json,
                                                     motesok_error *err);

/* Text of document id as JSON {"id","page","pages","text"}: page 0 means
 * the whole text, else 1-based; ERR_NOT_FOUND for an unknown id or page. */
MOTESOK_API motesok_status motesok_searcher_text(motesok_searcher *s,
                                                 const char *id, unsigned page,
                                                 char **json,
                                                 motesok_error *err);

/* Index status as JSON: documents, cases, failed, unsupported, revision,
 * last_run, failures by reason, index size in bytes. */
MOTESOK_API motesok_status motesok_searcher_status(motesok_searcher *s,
                                                   char **json,
                                                   motesok_error *err);

#ifdef __cplusplus
}
#endif
#endif
