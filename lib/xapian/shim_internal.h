/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal hooks of the Xapian shim (lib/xapian/shim.cc), for its tests. */
#ifndef MSK_SHIM_INTERNAL_H
#define MSK_SHIM_INTERNAL_H

#include "xapian/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exceptions the test hook can throw. */
enum msk_throw {
    MSK_THROW_LOCK, MSK_THROW_MODIFIED, MSK_THROW_CORRUPT, MSK_THROW_VERSION,
    MSK_THROW_QUERY, MSK_THROW_XAPIAN, MSK_THROW_BAD_ALLOC, MSK_THROW_STD,
    MSK_THROW_UNKNOWN, MSK_THROW_NOT_FOUND, MSK_THROW_OPENING,
};

/* Throw exception `which` inside the shim and return what the shim's one
 * exception mapper makes of it (status and message in err); path plays the
 * database path that failed to open (may be NULL). */
motesok_status msk_shim_map_thrown(int which, const char *path, motesok_error *err)
#ifdef __cplusplus
    noexcept
#endif
    ;

/* Replace the document id_term in w with one holding only term, which skips
 * the shim's own checks on terms, so that a test can make Xapian itself
 * fail a write (e.g. with a term too long). */
motesok_status msk_shim_replace_with_term(motesok_xwriter *w, const char *id_term,
                                          const char *term, motesok_error *err)
#ifdef __cplusplus
    noexcept
#endif
    ;

/* How many times, since the process started, a read path met
 * DatabaseModifiedError, reopened the database and tried again. */
unsigned long msk_shim_retries(void)
#ifdef __cplusplus
    noexcept
#endif
    ;

/* Test hook: run a read on r that meets DatabaseModifiedError and a
 * corrupt block in turn its first failures times, through the retry every
 * read path uses; true if the read ended well (tried at most six times). */
bool msk_shim_retry_through(motesok_xreader *r, unsigned failures)
#ifdef __cplusplus
    noexcept
#endif
    ;

/* For the cost benchmark (bench/analysis): a document whose TermGenerator
 * is plain Xapian (Snowball Norwegian, STEM_SOME, no stopwords, no compound
 * parts), and a query parsed by a plain QueryParser (the same stemmer,
 * words AND-ed, no rewriting, no spelling). */
motesok_status msk_shim_xdoc_new_plain(motesok_xdoc **out, motesok_error *err)
#ifdef __cplusplus
    noexcept
#endif
    ;
motesok_status msk_shim_parse_plain(motesok_xreader *r, const char *query, motesok_xquery **out,
                                    motesok_error *err)
#ifdef __cplusplus
    noexcept
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
