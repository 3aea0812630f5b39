/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — a thin C API over the Xapian C++ library (lib/xapian/shim.cc).
 *
 * No C++ exception crosses this boundary: every function catches everything
 * and maps it to a status (DatabaseLockError → ERR_DB_LOCKED,
 * DatabaseModifiedError → ERR_DB_MODIFIED, DatabaseCorruptError →
 * ERR_DB_CORRUPT, DatabaseVersionError → ERR_DB_VERSION, QueryParserError →
 * ERR_QUERY, other Xapian::Error → ERR_DB, std::bad_alloc → ERR_NOMEM, any
 * other exception → ERR_INTERNAL) with Xapian's message in err->message.
 * A read (and a reader's open or reopen) that meets DatabaseModifiedError or
 * DatabaseCorruptError — a revision the indexer is rewriting — opens the
 * shards afresh and tries again, six tries in all, before reporting it.
 *
 * Life cycles:
 *   writer:  motesok_xwriter_open → (new_doc → index/add → replace) …
 *            → commit … → motesok_xwriter_close
 *   reader:  motesok_xreader_open → [reopen] → parse/search/get … → close
 *   results: motesok_xreader_search → inspect hits → motesok_xresults_free
 * A handle is used by one thread at a time; give each thread its own reader.
 *
 * Terms are UTF-8. Free text is indexed with Xapian's TermGenerator and the
 * analysis hooks' stemmer: each word yields its unstemmed lower-case
 * term and a "Z"-prefixed stemmed term; body text with positions (so
 * phrases work), field copies without (motesok_xdoc_index_words).
 */
#ifndef MOTESOK_XAPIAN_H
#define MOTESOK_XAPIAN_H

#include "motesok/common.h"
#include "internal.h" /* MSK_INTERNAL */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct motesok_xwriter motesok_xwriter; /* WritableDatabase + TermGenerator */
typedef struct motesok_xdoc motesok_xdoc;       /* a Document being built */
typedef struct motesok_xreader motesok_xreader; /* Database (one or more shards) */
typedef struct motesok_xquery motesok_xquery;   /* an immutable Query */
typedef struct motesok_xresults motesok_xresults; /* an MSet + facet counts */

/* ---- analysis hooks -------------------------------------------------------
 * The binding knows no language: the stemmer and the stopword tests that
 * its TermGenerator and QueryParser use are set by the analysis layer
 * (lib/analysis/lang.c installs them when the library loads). Until they
 * are set, words are stemmed by Snowball's Norwegian, nothing is a
 * stopword, no word has parts and no date range is read. */
typedef struct motesok_xanalysis {
    /* the stem of lower-case word w (n bytes) into out (cleared first) */
    motesok_status (*stem)(const char *w, size_t n, msk_buf *out);
    /* true if w is left out of documents' stemmed terms */
    bool (*stopword)(const char *w, size_t n);
    /* true if w is left out of queries */
    bool (*query_stopword)(const char *w, size_t n);
    /* call fn with the extra stems (under MOTESOK_PREFIX_PART) a document
     * gets for body word w, e.g. the parts of a compound */
    motesok_status (*parts)(const char *w, size_t n,
                            void (*fn)(const char *stem, size_t len, void *ctx), void *ctx);
    /* the bounds, as YYYYMMDD value strings ("" for an open end), of a
     * query's date range from..to (either NULL when open); false when it
     * is no range, and the query then falls back to its words */
    bool (*date_range)(const char *from, const char *to, char lo[9], char hi[9]);
    /* how well text matches n query terms, each with its idf (the best
     * part of a hit: motesok_xresults_best_part) */
    double (*part_score)(const char *text, size_t len, const char *const *terms,
                         const double *idfs, size_t n);
} motesok_xanalysis;

/* Use hooks a (which must live for ever) for every document and reader
 * made from now on. */
MSK_INTERNAL void motesok_xset_analysis(const motesok_xanalysis *a) MOTESOK_NOEXCEPT;

/* Snowball's stem, in language (e.g. "norwegian"), of word (n bytes) into
 * out (cleared first, NUL-terminated). */
MSK_INTERNAL motesok_status motesok_xsnowball(const char *language, const char *word, size_t n,
                                              msk_buf *out) MOTESOK_NOEXCEPT;

/* ---- writing ------------------------------------------------------------ */

/* Open the database in dir for writing, creating it if absent. */
MSK_INTERNAL motesok_status motesok_xwriter_open(const char *dir,
                                                 motesok_xwriter **out,
                                                 motesok_error *err) MOTESOK_NOEXCEPT;

/* Close the writer; uncommitted changes are discarded where Xapian allows. */
MSK_INTERNAL void motesok_xwriter_close(motesok_xwriter *w) MOTESOK_NOEXCEPT;

/* Start a new empty document with a TermGenerator of its own: the analysis
 * hooks' stemmer and stopwords, positions; free with xdoc_free. */
MSK_INTERNAL motesok_status motesok_xwriter_new_doc(motesok_xwriter *w,
                                                    motesok_xdoc **out,
                                                    motesok_error *err) MOTESOK_NOEXCEPT;

/* Start a new empty document like motesok_xwriter_new_doc, without a
 * writer: any thread may build one, to be added later by one writer. */
MSK_INTERNAL motesok_status motesok_xdoc_new(motesok_xdoc **out,
                                             motesok_error *err) MOTESOK_NOEXCEPT;

/* Index free text (len bytes) with positions; prefix "" for body text.
 * wdf_inc weights each occurrence (1 normally, more for titles). */
MSK_INTERNAL motesok_status motesok_xdoc_index_text(motesok_xdoc *d,
                                                    const char *text, size_t len,
                                                    unsigned wdf_inc,
                                                    const char *prefix,
                                                    motesok_error *err) MOTESOK_NOEXCEPT;

/* Index the words of text (len bytes) under prefix like index_text, but
 * without positions (wdf_inc per occurrence): for field copies of text
 * (titles, decisions, organ and kommune names). A phrase of
 * field terms in a query matches as all its words in the field (see
 * msk_query_parse): only body text keeps positions. */
MSK_INTERNAL motesok_status motesok_xdoc_index_words(motesok_xdoc *d, const char *text, size_t len,
                                                    unsigned wdf_inc, const char *prefix,
                                                    motesok_error *err) MOTESOK_NOEXCEPT;

/* After the text is indexed: add the extra stems the hooks give for its
 * words (the parts of compounds: kommunehelsesamarbeidet → kommune, helse,
 * samarbeid, helsesamarbeid) with the wdf of the whole word and, with spelling, keep
 * its words for the spelling table, which motesok_xwriter_replace fills. */
MSK_INTERNAL motesok_status motesok_xdoc_analyse(motesok_xdoc *d, bool spelling,
                                                 motesok_error *err) MOTESOK_NOEXCEPT;

/* Advance the term position so phrases do not match across a boundary. */
MSK_INTERNAL void motesok_xdoc_increase_termpos(motesok_xdoc *d, unsigned delta) MOTESOK_NOEXCEPT;

/* Current term position (words indexed so far plus gaps). */
MSK_INTERNAL unsigned motesok_xdoc_termpos(const motesok_xdoc *d) MOTESOK_NOEXCEPT;

/* Add a term with no position (e.g. a boolean filter term) and wdf 0.
 * Terms are 1 to 245 bytes (the database's limit); others: ERR_INVALID. */
MSK_INTERNAL motesok_status motesok_xdoc_add_boolean_term(motesok_xdoc *d,
                                                          const char *term,
                                                          motesok_error *err) MOTESOK_NOEXCEPT;

/* Add a term at a position with wdf_inc (for analysers of our own); terms
 * as for add_boolean_term. */
MSK_INTERNAL motesok_status motesok_xdoc_add_posting(motesok_xdoc *d,
                                                     const char *term,
                                                     unsigned pos,
                                                     unsigned wdf_inc,
                                                     motesok_error *err) MOTESOK_NOEXCEPT;

/* Set value slot to len bytes (sortable strings, e.g. "20180223"). */
MSK_INTERNAL motesok_status motesok_xdoc_set_value(motesok_xdoc *d,
                                                   unsigned slot,
                                                   const char *value, size_t len,
                                                   motesok_error *err) MOTESOK_NOEXCEPT;

/* Set the document data (opaque bytes returned with each hit). */
MSK_INTERNAL motesok_status motesok_xdoc_set_data(motesok_xdoc *d,
                                                  const char *data, size_t len,
                                                  motesok_error *err) MOTESOK_NOEXCEPT;

/* Release a document (NULL is fine). */
MSK_INTERNAL void motesok_xdoc_free(motesok_xdoc *d) MOTESOK_NOEXCEPT;

/* Add or replace the document whose unique term is id_term (e.g. "Q…").
 * If it fails, Xapian drops every change since the last commit: the next
 * commit then fails with ERR_DB and the writer starts again from there. */
MSK_INTERNAL motesok_status motesok_xwriter_replace(motesok_xwriter *w,
                                                    const char *id_term,
                                                    motesok_xdoc *d,
                                                    motesok_error *err) MOTESOK_NOEXCEPT;

/* Delete every document indexed by term (no error if there is none). */
MSK_INTERNAL motesok_status motesok_xwriter_delete(motesok_xwriter *w,
                                                   const char *term,
                                                   motesok_error *err) MOTESOK_NOEXCEPT;

/* Add (on) or remove (!on) the boolean terms[0..n), and set value slot
 * to value (NULL: leave it), on every document indexed by by_term;
 * documents that change are rewritten in place. */
MSK_INTERNAL motesok_status motesok_xwriter_mark(motesok_xwriter *w, const char *by_term,
                                                 const char *const *terms, size_t n, bool on,
                                                 unsigned slot, const char *value,
                                                 motesok_error *err) MOTESOK_NOEXCEPT;

/* Set (or with value NULL, delete) a user metadata entry; committed with data. */
MSK_INTERNAL motesok_status motesok_xwriter_set_metadata(motesok_xwriter *w,
                                                         const char *key,
                                                         const char *value,
                                                         motesok_error *err) MOTESOK_NOEXCEPT;

/* Read a metadata entry into *value (caller frees; "" when absent). */
MSK_INTERNAL motesok_status motesok_xwriter_get_metadata(motesok_xwriter *w,
                                                         const char *key,
                                                         char **value,
                                                         motesok_error *err) MOTESOK_NOEXCEPT;

/* Commit all pending changes atomically (ERR_DB and nothing committed if
 * a replace or delete failed since the last commit). */
MSK_INTERNAL motesok_status motesok_xwriter_commit(motesok_xwriter *w,
                                                   motesok_error *err) MOTESOK_NOEXCEPT;

/* Call fn(term, ud) for every term starting with prefix, in sorted order;
 * a non-zero return from fn stops the walk. */
MSK_INTERNAL motesok_status motesok_xwriter_each_term(motesok_xwriter *w,
                                                      const char *prefix,
                                                      int (*fn)(const char *term, void *ud),
                                                      void *ud,
                                                      motesok_error *err) MOTESOK_NOEXCEPT;

/* Write a compacted copy of the last committed revision into the new
 * directory dest (Xapian's full compaction: B-tree blocks packed, postings
 * merged into long chunks; document ids renumbered from 1). The database
 * itself is not changed; uncommitted changes are not in the copy. */
MSK_INTERNAL motesok_status motesok_xwriter_compact(motesok_xwriter *w, const char *dest,
                                                    motesok_error *err) MOTESOK_NOEXCEPT;

/* Number of documents in the writable database. */
MSK_INTERNAL motesok_status motesok_xwriter_doccount(motesok_xwriter *w,
                                                     uint64_t *out,
                                                     motesok_error *err) MOTESOK_NOEXCEPT;

/* ---- reading ------------------------------------------------------------ */

/* Open n database directories as one (Xapian add_database); n >= 1. */
MSK_INTERNAL motesok_status motesok_xreader_open(const char *const *dirs,
                                                 size_t n,
                                                 motesok_xreader **out,
                                                 motesok_error *err) MOTESOK_NOEXCEPT;

/* Close the reader (NULL is fine). */
MSK_INTERNAL void motesok_xreader_close(motesok_xreader *r) MOTESOK_NOEXCEPT;

/* Move to the latest commit; *changed (may be NULL) says if it moved. After
 * a failed reopen the next one opens the shards afresh. */
MSK_INTERNAL motesok_status motesok_xreader_reopen(motesok_xreader *r,
                                                   bool *changed,
                                                   motesok_error *err) MOTESOK_NOEXCEPT;

/* Document count, and the revision: the sum of the databases' revisions,
 * which grows with every commit to any of them. */
MSK_INTERNAL motesok_status motesok_xreader_stats(motesok_xreader *r,
                                                  uint64_t *doccount,
                                                  uint64_t *revision,
                                                  motesok_error *err) MOTESOK_NOEXCEPT;

/* Read a metadata entry into *value (caller frees; "" when absent). */
MSK_INTERNAL motesok_status motesok_xreader_get_metadata(motesok_xreader *r,
                                                         const char *key,
                                                         char **value,
                                                         motesok_error *err) MOTESOK_NOEXCEPT;

/* Fetch the data of the first document indexed by term (e.g. "Q<id>").
 * *data (caller frees, NUL-terminated) and *len; ERR_NOT_FOUND if none. */
MSK_INTERNAL motesok_status motesok_xreader_get_data(motesok_xreader *r,
                                                     const char *term,
                                                     char **data, size_t *len,
                                                     motesok_error *err) MOTESOK_NOEXCEPT;

/* ---- queries ------------------------------------------------------------ */

/* A field name mapped to a term prefix for the query parser. */
typedef struct motesok_xfield {
    const char *name;   /* as typed by users, e.g. "tittel" */
    const char *prefix; /* term prefix, e.g. "S" */
    bool boolean;       /* a filter (exact term) rather than free text */
} motesok_xfield;

/* A "name:A..B" range on a value slot holding YYYYMMDD strings; which ends
 * make a range is msk_query_date_range's rule (lib/analysis/query.h), and
 * an end it refuses makes the query fall back to its words. */
typedef struct motesok_xdaterange {
    const char *name; /* e.g. "dato" */
    unsigned slot;
} motesok_xdaterange;

/* motesok_xparse_options' max_wildcard when 0 is given. */
#define MOTESOK_XPARSE_MAX_WILDCARD 100u

/* How a query string is read by Xapian's parser: fields, date ranges,
 * AND or OR, what one prefix* expands to. */
typedef struct motesok_xparse_options {
    const motesok_xfield *fields;    size_t n_fields;
    const motesok_xdaterange *ranges; size_t n_ranges;
    bool default_and;      /* words combine with AND (else OR) */
    unsigned max_wildcard; /* max terms a prefix* expands to, the most
                              frequent first (0: MOTESOK_XPARSE_MAX_WILDCARD) */
} motesok_xparse_options;


/* The work the wildcards of a parsed query were given. */
typedef struct motesok_xquery_cost {
    unsigned wildcards; /* prefix* of the query */
    unsigned expanded;  /* terms they expanded to, together */
    bool cut;           /* a prefix* had more terms than it was given */
} motesok_xquery_cost;

/* The cost of a query from msk_query_parse (zeros for any other). */
MSK_INTERNAL motesok_xquery_cost motesok_xquery_cost_of(const motesok_xquery *q) MOTESOK_NOEXCEPT;

/* A query matching documents that have term (boolean, weight 0). */
MSK_INTERNAL motesok_xquery *motesok_xquery_term(const char *term) MOTESOK_NOEXCEPT;

/* Documents whose value in slot lies in [lo, hi]; NULL ends are open. */
MSK_INTERNAL motesok_xquery *motesok_xquery_value_range(unsigned slot,
                                                        const char *lo,
                                                        const char *hi) MOTESOK_NOEXCEPT;

/* Query operators for motesok_xquery_combine. */
typedef enum motesok_xop {
    MOTESOK_XOP_AND,
    MOTESOK_XOP_OR,
    MOTESOK_XOP_AND_NOT,
    MOTESOK_XOP_FILTER, /* a AND b, weighted by a only */
    MOTESOK_XOP_AND_MAYBE, /* a, with b adding weight where it matches too */
} motesok_xop;

/* Every document, with the same constant weight (a bonus to combine with
 * FILTER and AND_MAYBE); NULL on failure. */
MSK_INTERNAL motesok_xquery *motesok_xquery_fixed_weight(double weight) MOTESOK_NOEXCEPT;

/* Combine two queries into a new one; a and b are not consumed. */
MSK_INTERNAL motesok_xquery *motesok_xquery_combine(motesok_xop op,
                                                    const motesok_xquery *a,
                                                    const motesok_xquery *b) MOTESOK_NOEXCEPT;

/* Xapian's description of the query, and " RERANK " and its re-ranking part
 * when it has one (weighed on the top matches only), for logs and tests
 * (caller frees). */
MSK_INTERNAL char *motesok_xquery_describe(const motesok_xquery *q) MOTESOK_NOEXCEPT;

/* The query with misspelt words corrected from the index's spelling table
 * ("rehabiltering" → "rehabilitering"), or NULL if nothing was corrected;
 * valid while q lives. */
MSK_INTERNAL const char *motesok_xquery_suggestion(const motesok_xquery *q) MOTESOK_NOEXCEPT;

/* True if the parsed query only excludes ("NOT x", "-x"): it matches every
 * document without x. */
MSK_INTERNAL bool motesok_xquery_pure_not(const motesok_xquery *q) MOTESOK_NOEXCEPT;

/* True if, parsed with default_and off, a compound of the query was let
 * match by any one of its parts (no passage held it with all of them). */
MSK_INTERNAL bool motesok_xquery_any_part(const motesok_xquery *q) MOTESOK_NOEXCEPT;

/* Documents having any of the n terms (boolean, weight 0); NULL on failure. */
MSK_INTERNAL motesok_xquery *motesok_xquery_any_term(const char *const *terms,
                                                     size_t n) MOTESOK_NOEXCEPT;

/* For a pure NOT query, what it excludes ("x" of "NOT x") as a new query;
 * NULL for other queries or when out of memory. */
MSK_INTERNAL motesok_xquery *motesok_xquery_excluded(const motesok_xquery *q) MOTESOK_NOEXCEPT;

/* Release a query (NULL is fine). */
MSK_INTERNAL void motesok_xquery_free(motesok_xquery *q) MOTESOK_NOEXCEPT;

/* ---- query trees --------------------------------------------------------
 * A query as a C tree, so that the analysis layer can read what the parser
 * made and build its rewritten query without C++ (lib/xapian/tree.c). A
 * node is reference counted: the constructors take over the references of
 * the kids they are given (call motesok_xtree_ref to keep one), and return
 * NULL, dropping those kids, when out of memory or given a NULL kid. */
typedef enum motesok_xtop {
    MOTESOK_XT_TERM,
    MOTESOK_XT_AND,
    MOTESOK_XT_OR,
    MOTESOK_XT_AND_NOT,
    MOTESOK_XT_XOR,
    MOTESOK_XT_AND_MAYBE,
    MOTESOK_XT_FILTER,
    MOTESOK_XT_MAX,
    MOTESOK_XT_PHRASE,
    MOTESOK_XT_NEAR,
    MOTESOK_XT_SYNONYM,
    MOTESOK_XT_SCALE_WEIGHT,
    MOTESOK_XT_WILDCARD,
    MOTESOK_XT_MATCH_ALL,
    MOTESOK_XT_OTHER, /* a query the tree does not look into (value ranges …) */
    MOTESOK_XT_FIXED, /* every document, each with the weight factor */
} motesok_xtop;

typedef struct motesok_xtree {
    motesok_xtop op;
    unsigned refs;
    char *term;      /* TERM: the term; WILDCARD: its pattern (NULL when the
                        parser's could not be read) */
    char *typed;     /* TERM from the parser: the word as typed that a
                        stemmed term stands for, or NULL */
    unsigned wqf, pos;   /* TERM: within-query frequency and position (a
                            parser's leaf keeps its own in orig) */
    unsigned param;  /* PHRASE, NEAR: window (0: the number of kids);
                        WILDCARD: the most terms it expands to */
    double factor;   /* SCALE_WEIGHT; FIXED: the weight */
    struct motesok_xtree **kids;
    size_t n_kids;
    motesok_xquery *orig; /* the parser's query for this node, used as it is
                             when the tree becomes a query; NULL if built */
    struct motesok_xtree *held; /* an OR of a compound's parts, any of them
                                   (relaxed): the same parts all of them, which
                                   the word counts as held; else NULL */
} motesok_xtree;

/* A term (wqf 1, no position). */
MSK_INTERNAL motesok_xtree *motesok_xtree_term(const char *term) MOTESOK_NOEXCEPT;
/* op over n kids (AND, OR, …, PHRASE and NEAR with window param). */
MSK_INTERNAL motesok_xtree *motesok_xtree_op(motesok_xtop op, motesok_xtree **kids, size_t n,
                                             unsigned param) MOTESOK_NOEXCEPT;
/* op over two kids. */
MSK_INTERNAL motesok_xtree *motesok_xtree_op2(motesok_xtop op, motesok_xtree *a,
                                              motesok_xtree *b) MOTESOK_NOEXCEPT;
/* kid with its weight multiplied by factor. */
MSK_INTERNAL motesok_xtree *motesok_xtree_scale(motesok_xtree *kid, double factor) MOTESOK_NOEXCEPT;
/* Every document, each weighing weight (a constant bonus, in a FILTER). */
MSK_INTERNAL motesok_xtree *motesok_xtree_fixed(double weight) MOTESOK_NOEXCEPT;
/* The terms beginning with pattern, at most max of them, the most frequent. */
MSK_INTERNAL motesok_xtree *motesok_xtree_wildcard(const char *pattern, unsigned max) MOTESOK_NOEXCEPT;
/* Another reference to t (NULL stays NULL). */
MSK_INTERNAL motesok_xtree *motesok_xtree_ref(motesok_xtree *t) MOTESOK_NOEXCEPT;
/* Drop a reference, freeing the node with its last (NULL is fine). */
MSK_INTERNAL void motesok_xtree_free(motesok_xtree *t) MOTESOK_NOEXCEPT;

/* How motesok_xreader_parse_tree reads the text. */
typedef enum motesok_xsyntax {
    MOTESOK_XSYNTAX_FULL,  /* phrases, +/-, AND/OR/NOT, prefix*, a leading NOT */
    MOTESOK_XSYNTAX_WORDS, /* words only (no operators) */
} motesok_xsyntax;

/* Parse text with Xapian's QueryParser set up from opt (fields, date
 * ranges, default operator, wildcard limit; the analysis hooks' stemmer and
 * query stopwords, STEM_SOME) into *out; a syntax error gives *out NULL
 * and *syntax_error true, a query with nothing to search for *out NULL
 * (status OK both). FULL text that both excludes a word ('-', NOT) and
 * holds NEAR or ADJ counts as a syntax error: Xapian 1.4's parser turns some
 * such texts into an empty query and leaks memory. */
MSK_INTERNAL motesok_status motesok_xreader_parse_tree(motesok_xreader *r, const char *text,
                                                       const motesok_xparse_options *opt,
                                                       motesok_xsyntax syntax, motesok_xtree **out,
                                                       bool *syntax_error,
                                                       motesok_error *err) MOTESOK_NOEXCEPT;

/* Documents holding term, in all the reader's databases. */
MSK_INTERNAL motesok_status motesok_xreader_termfreq(motesok_xreader *r, const char *term,
                                                     uint64_t *out,
                                                     motesok_error *err) MOTESOK_NOEXCEPT;

/* A term of the index and the documents holding it. */
typedef struct motesok_xterm {
    char *term;
    uint64_t freq;
} motesok_xterm;

/* The first max terms of the index that begin with prefix, in term order,
 * into *out (*n of them; free with motesok_xterms_free); *more says that
 * there were more. */
MSK_INTERNAL motesok_status motesok_xreader_terms(motesok_xreader *r, const char *prefix,
                                                  size_t max, motesok_xterm **out, size_t *n,
                                                  bool *more, motesok_error *err) MOTESOK_NOEXCEPT;
MSK_INTERNAL void motesok_xterms_free(motesok_xterm *t, size_t n) MOTESOK_NOEXCEPT;

/* Each of the reader's databases' own spelling suggestion for word within
 * max_edits (Xapian's, asked one database at a time: over several at once
 * it passes over a word only one of them holds), distinct, in the
 * databases' order, each with its frequency in all of them, into *out (*n
 * of them; free with motesok_xterms_free); *word_freq gets the word's own. */
MSK_INTERNAL motesok_status motesok_xreader_spellings(motesok_xreader *r, const char *word,
                                                      unsigned max_edits, motesok_xterm **out,
                                                      size_t *n, uint64_t *word_freq,
                                                      motesok_error *err) MOTESOK_NOEXCEPT;

/* True in *out if query t matches some document. */
MSK_INTERNAL motesok_status motesok_xreader_matches(motesok_xreader *r, const motesok_xtree *t,
                                                    bool *out, motesok_error *err) MOTESOK_NOEXCEPT;

/* A lower-case copy of UTF-8 s as Xapian folds it (caller frees; NULL
 * when out of memory). */
MSK_INTERNAL char *motesok_xlower(const char *s) MOTESOK_NOEXCEPT;

/* The query to search with: q, the query weighed on the top passages only
 * (rerank, may be NULL), the suggestion (may be NULL), what was relaxed
 * and what the wildcards were given. NULL when out of memory. */
MSK_INTERNAL motesok_xquery *motesok_xquery_of(const motesok_xtree *q, const motesok_xtree *rerank,
                                               const char *suggestion, bool pure_not, bool any_part,
                                               motesok_xquery_cost cost) MOTESOK_NOEXCEPT;

/* ---- searching ---------------------------------------------------------- */

/* What to run. Facets count the values of the given slots over the whole
 * match set (Xapian ValueCountMatchSpy, checking at least check_at_least). */
typedef struct motesok_xsearch {
    const motesok_xquery *query;
    unsigned offset, limit;
    int sort_slot;          /* -1: by relevance (BM25); else by value, then relevance */
    bool sort_descending;
    int collapse_slot;      /* -1: none; else keep the best hit per value */
    double time_limit_s;    /* 0: none; else past half of it Xapian stops
                               checking more than the page (check_at_least),
                               and at its end the match stops with what it
                               has found (motesok_xresults_timed_out) */
    const unsigned *facet_slots; size_t n_facets;
    bool facet_distinct;          /* count distinct values of facet_distinct_slot */
    unsigned facet_distinct_slot; /* (e.g. the parent: a meeting counts once), */
                                  /* instead of counting documents */
    unsigned check_at_least;
    const unsigned *value_slots; size_t n_values; /* the slots the caller reads */
                                  /* with motesok_xresults_value: read with the hits */
} motesok_xsearch;

/* Run a search; *out holds the hits until motesok_xresults_free, and may
 * outlive r (it shares r's databases, and thread). */
MSK_INTERNAL motesok_status motesok_xreader_search(motesok_xreader *r,
                                                   const motesok_xsearch *s,
                                                   motesok_xresults **out,
                                                   motesok_error *err) MOTESOK_NOEXCEPT;

/* True if the time limit cut the match: past its half (no longer checking
 * at least check_at_least), or at its end (stopped with what it had). */
MSK_INTERNAL bool motesok_xresults_timed_out(const motesok_xresults *res) MOTESOK_NOEXCEPT;

/* True if every match was checked, so that the total is exact. */
MSK_INTERNAL bool motesok_xresults_total_exact(const motesok_xresults *res) MOTESOK_NOEXCEPT;

/* Estimated total matches, and the number of hits returned. */
MSK_INTERNAL uint64_t motesok_xresults_total(const motesok_xresults *res) MOTESOK_NOEXCEPT;
MSK_INTERNAL size_t motesok_xresults_count(const motesok_xresults *res) MOTESOK_NOEXCEPT;

/* Hit i (0-based): weight, and data borrowed until motesok_xresults_free. */
MSK_INTERNAL double motesok_xresults_weight(const motesok_xresults *res, size_t i) MOTESOK_NOEXCEPT;
MSK_INTERNAL const char *motesok_xresults_data(const motesok_xresults *res,
                                               size_t i, size_t *len) MOTESOK_NOEXCEPT;

/* Value of slot for hit i, borrowed until motesok_xresults_free ("" if unset);
 * a slot not in the search's value_slots is read now, "" if that fails. */
MSK_INTERNAL const char *motesok_xresults_value(const motesok_xresults *res,
                                                size_t i, unsigned slot) MOTESOK_NOEXCEPT;

/* Facet f (index into facet_slots): number of distinct values, and value j
 * with its count, borrowed until motesok_xresults_free; most frequent first. */
MSK_INTERNAL size_t motesok_xresults_facet_size(const motesok_xresults *res,
                                                size_t f) MOTESOK_NOEXCEPT;
MSK_INTERNAL const char *motesok_xresults_facet(const motesok_xresults *res,
                                                size_t f, size_t j,
                                                uint64_t *count) MOTESOK_NOEXCEPT;

/* A snippet of text (len bytes) for the query behind res: about max_chars
 * long, HTML-escaped, matches wrapped in <mark>…</mark>, gaps as "…".
 * *out is the caller's. */
MSK_INTERNAL motesok_status motesok_xresults_snippet(const motesok_xresults *res,
                                                     const char *text, size_t len,
                                                     size_t max_chars,
                                                     char **out,
                                                     motesok_error *err) MOTESOK_NOEXCEPT;

/* Which of n texts (e.g. pages) best matches the query behind res: the one
 * the hooks' part_score scores highest given the query's terms and their
 * idfs (msk_part_score: idf × the words in the text that the term stands
 * for, a case-folded scan, no re-indexing); ties go to the first. *best = index, *score = that sum (0
 * when no query term occurs anywhere). */
MSK_INTERNAL motesok_status motesok_xresults_best_part(const motesok_xresults *res,
                                                       const char *const *texts,
                                                       const size_t *lens,
                                                       size_t n,
                                                       size_t *best,
                                                       double *score,
                                                       motesok_error *err) MOTESOK_NOEXCEPT;

/* Release results (NULL is fine). */
MSK_INTERNAL void motesok_xresults_free(motesok_xresults *res) MOTESOK_NOEXCEPT;

/* The best match of res's query among the documents indexed by term (at
 * most one hit, no facets; free with motesok_xresults_free). */
MSK_INTERNAL motesok_status motesok_xresults_best_with(const motesok_xresults *res,
                                                       const char *term,
                                                       motesok_xresults **out,
                                                       motesok_error *err) MOTESOK_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
