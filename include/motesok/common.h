/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — common definitions of the public C API.
 *
 * Conventions for every public header of libmotesok:
 *  - Objects are opaque struct pointers, created by _open/_new functions and
 *    released by the matching _close/_free, which accept NULL. Answers that
 *    are only read (search.h) are plain structs that the library allocates
 *    and the matching _free releases.
 *  - Functions that can fail return a motesok_status (MOTESOK_OK is 0) and
 *    take a last argument `motesok_error *err`, which may be NULL; on failure
 *    it receives the same code and a human-readable message.
 *  - A returned `char *` belongs to the caller and is released with
 *    motesok_free(); a returned `const char *` is borrowed, and its comment
 *    says until when it stays valid.
 *  - All strings are UTF-8 and NUL-terminated unless a length goes with them.
 */
#ifndef MOTESOK_COMMON_H
#define MOTESOK_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MOTESOK_BUILDING)
#define MOTESOK_API __attribute__((visibility("default")))
#else
#define MOTESOK_API
#endif

/* Shim functions never throw; C++ sees that in their declarations. */
#ifdef __cplusplus
#define MOTESOK_NOEXCEPT noexcept
#else
#define MOTESOK_NOEXCEPT
#endif

/* The one status list: code, number (never renumbered), message. */
#define MOTESOK_STATUS_LIST(X)                                              \
    X(OK,              0, "success")                                        \
    X(ERR_NOMEM,       1, "out of memory")                                  \
    X(ERR_INVALID,     2, "invalid argument")                               \
    X(ERR_IO,          3, "input/output error")                             \
    X(ERR_NOT_FOUND,   4, "not found")                                      \
    X(ERR_UNSUPPORTED, 5, "unsupported file type")                          \
    X(ERR_PARSE,       6, "malformed or damaged input")                     \
    X(ERR_ENCRYPTED,   7, "document is password-protected")                 \
    X(ERR_NO_TEXT,     8, "document has no text layer")                     \
    X(ERR_TOO_BIG,     9, "input exceeds a size limit")                     \
    X(ERR_DB,         10, "database error")                                 \
    X(ERR_DB_MODIFIED,11, "database was modified during the read")          \
    X(ERR_DB_LOCKED,  12, "database is locked by another writer")           \
    X(ERR_DB_CORRUPT, 13, "database is corrupt")                            \
    X(ERR_DB_VERSION, 14, "database format is not supported")               \
    X(ERR_QUERY,      15, "query could not be parsed")                      \
    X(ERR_TIMEOUT,    16, "time limit exceeded")                            \
    X(ERR_ENCODING,   17, "text encoding could not be decoded")             \
    X(ERR_INTERNAL,   18, "internal error")

typedef enum motesok_status {
#define MOTESOK_X_ENUM(name, num, msg) MOTESOK_##name = num,
    MOTESOK_STATUS_LIST(MOTESOK_X_ENUM)
#undef MOTESOK_X_ENUM
} motesok_status;

/* Detailed error: the status and a message naming what failed. */
typedef struct motesok_error {
    motesok_status code;
    char message[512];
} motesok_error;

/* Static description of a status code; never NULL. */
MOTESOK_API const char *motesok_strerror(motesok_status code);

/* Short stable identifier of a status, e.g. "ERR_NOT_FOUND"; never NULL. */
MOTESOK_API const char *motesok_status_name(motesok_status code);

/* Reset err to MOTESOK_OK with an empty message; err may be NULL. */
MOTESOK_API void motesok_error_clear(motesok_error *err);

/* Load the Norwegian analysis data now (else on first use) and return what
 * it could not load (missing dictionaries or data files, malformed lines),
 * one line each; "" if nothing. Valid for the life of the process. */
MOTESOK_API const char *motesok_analysis_warnings(void);

/* Release memory returned by any motesok_* function as `char *` or buffer. */
MOTESOK_API void motesok_free(void *ptr);

/* Library version string, e.g. "0.1.0"; static. */
MOTESOK_API const char *motesok_version(void);

/* Stable 16-hex-digit document id for an absolute path (xxh64); writes 17 bytes. */
MOTESOK_API void motesok_path_id(const char *abs_path, char out[17]);

/* xxh64 of a whole file as 16 hex digits in out[17]. */
MOTESOK_API motesok_status motesok_file_hash(const char *path, char out[17],
                                             motesok_error *err);

#ifdef __cplusplus
}
#endif
#endif
