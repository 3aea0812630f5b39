/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — search over an index directory, answering in typed structs.
 *
 * Life cycle: motesok_searcher_open → (search | document | text | status)…
 *             → motesok_searcher_close. One searcher per thread: it owns its
 * own Xapian and SQLite read handles. Each call first moves to the latest
 * index commit, so new indexer runs are seen without a restart.
 *
 * Results: each call that answers fills a struct that the library
 * allocates in one piece (strings and arrays included) and the caller
 * releases with the matching _free function (NULL is fine). Its fields are
 * read-only and valid until that _free; later versions may append fields,
 * never reorder them. A string field is NULL when the index does not know
 * it (it may also be ""); an integer field that is not known holds
 * MOTESOK_NO_NUMBER. Rendering (JSON, CSV, HTML) is the caller's: motesokd
 * renders the HTTP API's JSON from these structs (DESIGN.md "HTTP API").
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
    double time_limit_s;   /* the whole search's, default 1 s: past it, the
                              match stops with what it has found, wider
                              searches are skipped and snippets come from
                              the start of the text (MOTESOK_LIMIT_TIME) */
} motesok_search_request;

#define MOTESOK_MAX_LIMIT 1000u
#define MOTESOK_MAX_OFFSET 100000u
#define MOTESOK_MAX_QUERY_BYTES 4096u

/* Bounds on the work of one search; what a bound cut is in the answer's
 * "limited". A query keeps its first MOTESOK_MAX_QUERY_TERMS words
 * (operator words and field names not counted) and brackets nested at most
 * MOTESOK_MAX_QUERY_DEPTH deep (deeper ones are read as spaces). */
#define MOTESOK_MAX_QUERY_TERMS 64u
#define MOTESOK_MAX_QUERY_DEPTH 8u
/* A prefix* expands to at most MOTESOK_MAX_WILDCARD_TERMS terms, the most
 * frequent first; all of a query's together to MOTESOK_MAX_EXPANDED_TERMS
 * (shared out evenly) each time the query is parsed. */
#define MOTESOK_MAX_WILDCARD_TERMS 100u
#define MOTESOK_MAX_EXPANDED_TERMS 500u

/* The bounds that can cut a search's work (bits of the answer's "limited"). */
typedef enum motesok_limit {
    MOTESOK_LIMIT_TERMS = 1 << 0,     /* words past MOTESOK_MAX_QUERY_TERMS left out */
    MOTESOK_LIMIT_DEPTH = 1 << 1,     /* brackets past MOTESOK_MAX_QUERY_DEPTH ignored */
    MOTESOK_LIMIT_WILDCARDS = 1 << 2, /* a prefix* covers more terms than it was given */
    MOTESOK_LIMIT_TIME = 1 << 3,      /* the time limit cut a match or skipped a step */
} motesok_limit;

/* The short stable name of one motesok_limit bit: "terms", "depth",
 * "wildcards" or "time"; NULL for any other value. Static. */
MOTESOK_API const char *motesok_limit_name(unsigned limit);

/* Open the index directory for reading (the Xapian database and the store).
 * ERR_NOT_FOUND when dir holds no index yet. */
MOTESOK_API motesok_status motesok_searcher_open(const char *index_dir,
                                                 motesok_searcher **out,
                                                 motesok_error *err);

/* Close a searcher (NULL is fine). */
MOTESOK_API void motesok_searcher_close(motesok_searcher *s);

/* An integer field that is not known (JSON null). */
#define MOTESOK_NO_NUMBER INT64_MIN

/* A case's vote. */
typedef struct motesok_vote_info {
    const char *outcome;   /* "enstemmig", "flertall", or NULL when not recorded */
    int64_t votes_for;     /* votes for, or MOTESOK_NO_NUMBER when not given */
    int64_t votes_against; /* votes against, or MOTESOK_NO_NUMBER when not given */
} motesok_vote_info;

/* A case (sak) of a meeting. */
typedef struct motesok_case_info {
    const char *number;     /* as written in the minutes, e.g. "06/2018" */
    const char *key;        /* the number as one key for every spelling,
                               e.g. "56/2009"; NULL if it has none */
    const char *title;      /* the case's title */
    const char *proposal;   /* a proposal (innstilling, framlegg), or NULL */
    const char *decision;   /* the adopted decision only, or NULL */
    bool has_vote;          /* false: no vote recorded at all (vote is empty) */
    motesok_vote_info vote; /* the vote, when has_vote */
    int64_t page;           /* 1-based page the case starts on, or
                               MOTESOK_NO_NUMBER */
} motesok_case_info;

/* One hit: a meeting file, shown by its best matching passage. */
/* An original file of a meeting: a meeting held as TXT and as PDF (twins,
 * the same text) is one hit with both files. */
typedef struct motesok_file_ref {
    const char *id;   /* the file's id (16 hex digits) */
    const char *type; /* "pdf", "txt", else the detected MIME subtype */
    const char *path; /* absolute path as indexed */
    int64_t pages;    /* page count (1 for text files) */
} motesok_file_ref;

typedef struct motesok_hit {
    uint64_t rank;      /* 1-based over the whole answer: offset + index + 1 */
    double score;       /* relevance weight, rounded to 3 decimals */
    const char *id;     /* the file's id (16 hex digits) */
    const char *path;   /* absolute path as indexed */
    const char *title;  /* document title */
    const char *organ;  /* organ (utval, styre) of the meeting, or NULL */
    const char *kommune;/* municipality or county, or NULL */
    const char *date;   /* meeting date YYYY-MM-DD, or NULL */
    int64_t page;       /* 1-based page of the best match in a PDF; else
                           MOTESOK_NO_NUMBER (text files have no pages) */
    const motesok_case_info *matched_case; /* the case that matched, or NULL */
    const motesok_file_ref *files; /* n_files (1 or 2) files of the meeting:
                         the one shown first (the PDF of twins), this hit's */
    size_t n_files;
    const char *snippet;/* HTML-escaped text around the matches, each match
                           in <mark>…</mark>; never NULL */
    bool ocr;           /* the page of the match was read by OCR (a scan, or
                           a damaged text layer): its text may hold errors */
} motesok_hit;

/* One value of a facet and the number of matching meetings that have it. */
typedef struct motesok_facet_value {
    const char *value; /* e.g. an organ's name, a kommune, a year "2018" */
    uint64_t count;    /* meetings (not passages) among the matches checked */
} motesok_facet_value;

/* Counts of one field's values over the matches, most frequent first. */
typedef struct motesok_facet {
    const char *name;                   /* "organ", "kommune" or "year" */
    const motesok_facet_value *values;  /* n_values of them; no empty value */
    size_t n_values;
} motesok_facet;

/* The answer to a search. */
typedef struct motesok_search_result {
    const char *query;        /* the query text as asked */
    uint64_t total;           /* matching meetings: exact when total_exact,
                                 else Xapian's estimate past the matches checked */
    bool total_exact;         /* every match was checked */
    unsigned offset;          /* of the first hit, as applied */
    unsigned limit;           /* hits asked for, defaults applied */
    double took_ms;           /* time the search took, rounded to 3 decimals */
    const char *suggestion;   /* a spelling correction of the query, or NULL */
    bool suggestion_searched; /* few matches: the suggestion was searched too */
    bool any_word;            /* still few: any word was let match (fields,
                                 filters and dates of the query still hold) */
    bool any_part;            /* with any_word, when nothing matched at all: a
                                 compound was let match by any of its parts */
    const motesok_hit *hits;  /* n_hits of them, best first (or by date) */
    size_t n_hits;
    const motesok_facet *facets; /* organ, kommune, year: in that order */
    size_t n_facets;
    unsigned limited;         /* motesok_limit bits of the bounds that cut the
                                 work; 0: none did, the answer is complete */
    uint64_t expanded_terms;  /* terms the query's prefix* expanded to, summed
                                 over every parse of the search (the work done) */
} motesok_search_result;

/* Run a search; *out gets the answer (free with motesok_search_result_free),
 * NULL on failure. Bad parameters give ERR_INVALID with a message fit for
 * the user. */
MOTESOK_API motesok_status motesok_searcher_search(motesok_searcher *s,
                                                   const motesok_search_request *req,
                                                   motesok_search_result **out,
                                                   motesok_error *err);

/* Release a search answer (NULL is fine). */
MOTESOK_API void motesok_search_result_free(motesok_search_result *r);

/* A file's metadata, its store record and its cases. */
typedef struct motesok_document {
    const char *id;       /* 16 hex digits */
    const char *path;     /* absolute path as indexed */
    const char *title;    /* document title */
    const char *organ;    /* organ of the meeting, or NULL */
    const char *kommune;  /* municipality or county, or NULL */
    const char *date;     /* meeting date YYYY-MM-DD, or NULL */
    const char *place;    /* meeting place, or NULL */
    const char *present;  /* attendance as written: present members, or NULL */
    const char *absent;   /* absent members, or NULL */
    const char *referent; /* who wrote the minutes, or NULL */
    const char *mime;     /* detected type, e.g. "application/pdf" */
    const char *encoding; /* detected charset of a text file, or NULL */
    int64_t pages;        /* page count (1 for text files) */
    int64_t size;         /* file size in bytes when indexed */
    int64_t mtime;        /* file modification time (Unix seconds) */
    const char *status;   /* the store's status of the file ("ok"…), or NULL
                             when the store has no row for it */
    const char *hash;     /* xxh64 of the file (16 hex digits), or NULL */
    int64_t indexed_at;   /* when it was indexed (Unix seconds), or
                             MOTESOK_NO_NUMBER when the store has no row */
    const motesok_file_ref *files; /* n_files (1 or 2) files of the meeting,
                                      the one searches show first */
    size_t n_files;
    const motesok_case_info *cases; /* n_cases of them, by page (no page last) */
    size_t n_cases;
    const int64_t *ocr_pages; /* the 1-based pages read by OCR, ascending */
    size_t n_ocr_pages;
} motesok_document;

/* Metadata of document id into *out (free with motesok_document_free);
 * ERR_INVALID for a malformed id, ERR_NOT_FOUND if it is unknown. */
MOTESOK_API motesok_status motesok_searcher_document(motesok_searcher *s,
                                                     const char *id,
                                                     motesok_document **out,
                                                     motesok_error *err);

/* Release a document (NULL is fine). */
MOTESOK_API void motesok_document_free(motesok_document *d);

/* Text of a document, whole or one page. */
typedef struct motesok_page_text {
    const char *id;   /* the document's id */
    unsigned page;    /* the page asked for; 0: the whole text */
    size_t pages;     /* the document's page count */
    const char *text; /* UTF-8 (pages joined by blank lines when whole),
                         NUL-terminated; text_len bytes */
    size_t text_len;
    bool ocr;         /* the page (page 0: any page) was read by OCR */
} motesok_page_text;

/* Text of document id into *out (free with motesok_page_text_free): page 0
 * means the whole text, else 1-based; ERR_NOT_FOUND for an unknown id or
 * page. */
MOTESOK_API motesok_status motesok_searcher_text(motesok_searcher *s,
                                                 const char *id, unsigned page,
                                                 motesok_page_text **out,
                                                 motesok_error *err);

/* Release a page text (NULL is fine). */
MOTESOK_API void motesok_page_text_free(motesok_page_text *t);

/* texts[0..n) (lens[i] bytes each, or NUL-terminated when lens is NULL)
 * HTML-escaped into out[0..n) (each the caller's, free()), with every word
 * the search would match for query (its stems, Nynorsk and Bokmål forms,
 * synonyms) in <mark>…</mark>; texts as they are when the query holds no
 * words. ERR_QUERY for a query that cannot be read. */
MOTESOK_API motesok_status motesok_searcher_highlight(motesok_searcher *s, const char *query,
                                                      const char *const *texts,
                                                      const size_t *lens, size_t n,
                                                      char **out, motesok_error *err);

/* The files that failed for one reason. */
typedef struct motesok_failure_count {
    const char *reason; /* status name, e.g. "ERR_PARSE"; "unknown" if none */
    int64_t count;      /* files */
} motesok_failure_count;

/* The state of an index. */
typedef struct motesok_index_status {
    int64_t documents;   /* files indexed */
    uint64_t cases;      /* cases (saker) indexed */
    int64_t failed;      /* files that could not be indexed */
    int64_t unsupported; /* files of a type that is not indexed */
    uint64_t revision;   /* Xapian revision of the index */
    const char *last_run;/* end of the last indexer run (ISO 8601 UTC), or NULL */
    const motesok_failure_count *failures; /* n_failures reasons, as the
                                              store orders them */
    size_t n_failures;
    int64_t index_bytes; /* bytes of the index directory on disk */
    size_t shards;       /* Xapian shards searched */
    const char *analysis_loaded; /* "VERSION:FINGERPRINT" of the analysis data
                                    queries are analysed with */
    const char *analysis_index;  /* the same for the data the index was built
                                    with; NULL when the index does not record it */
    bool analysis_same;  /* both are recorded and equal */
    int64_t ocr_pages_kept;     /* PDF pages whose OCR text the index keeps */
    int64_t ocr_last_run_pages; /* pages the last indexer run read by OCR */
    int64_t ocr_last_run_cached;/* pages needing OCR it took from the kept text */
    double ocr_last_run_seconds;/* wall seconds its ocr_last_run_pages took to
                                   render and read, summed over the workers */
} motesok_index_status;

/* Index status into *out (free with motesok_index_status_free). */
MOTESOK_API motesok_status motesok_searcher_status(motesok_searcher *s,
                                                   motesok_index_status **out,
                                                   motesok_error *err);

/* Release an index status (NULL is fine). */
MOTESOK_API void motesok_index_status_free(motesok_index_status *st);

/* A file the indexer could not index, as the index records it. */
typedef struct motesok_problem_file {
    const char *path;    /* as indexed (bytes as the file system gave them) */
    const char *status;  /* "failed" or "unsupported" */
    const char *reason;  /* status name, e.g. "ERR_PARSE" */
    const char *message; /* the reason in words */
    int64_t at;          /* when it was recorded, Unix seconds */
} motesok_problem_file;

/* A page of the files that failed or are unsupported, newest first. */
typedef struct motesok_problem_list {
    int64_t total;                     /* failed + unsupported files recorded */
    unsigned offset, limit;            /* the page asked for */
    const motesok_problem_file *files; /* n files */
    size_t n;
} motesok_problem_list;

#define MOTESOK_MAX_PROBLEMS 1000u

/* The files that failed or are unsupported, limit (1..MOTESOK_MAX_PROBLEMS,
 * 0 = 100) from offset, into *out (free with motesok_problem_list_free). */
MOTESOK_API motesok_status motesok_searcher_problems(motesok_searcher *s, unsigned offset,
                                                     unsigned limit, motesok_problem_list **out,
                                                     motesok_error *err);

/* Release a problem list (NULL is fine). */
MOTESOK_API void motesok_problem_list_free(motesok_problem_list *l);

#ifdef __cplusplus
}
#endif
#endif
