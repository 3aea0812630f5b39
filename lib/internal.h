/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared inside libmotesok only (msk_ prefix); not installed. */
#ifndef MSK_INTERNAL_H
#define MSK_INTERNAL_H

#include "motesok/common.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* Marks the motesok_ functions of the internal headers in lib/ (xapian/,
 * store, detect, extract/, minutes/): shared between the modules, linked
 * into the tests as objects, never exported from libmotesok.so. Only the
 * MOTESOK_API functions of include/motesok/ are. */
#define MSK_INTERNAL __attribute__((visibility("hidden")))

#ifdef __cplusplus
extern "C" {
#endif

/* Set err (if not NULL) to code and a printf-style message; returns code. */
motesok_status msk_error_set(motesok_error *err, motesok_status code,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* strdup that returns NULL for NULL input. */
char *msk_strdup(const char *s);

/* strndup of exactly len bytes plus a NUL; NULL on allocation failure. */
char *msk_strndup(const char *s, size_t len);

/* The monotonic clock in seconds. */
double msk_now_s(void);

/* Unicode case fold + NFC of UTF-8 s (utf8proc); æ ø å stay letters.
 * Returns a malloc'd string, or NULL on invalid UTF-8 or allocation failure. */
char *msk_casefold(const char *s);

/* Bounded growable byte buffer that refuses to grow past its cap. */
typedef struct msk_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* 0 means SIZE_MAX */
} msk_buf;

/* Append len bytes; MOTESOK_ERR_TOO_BIG past b->max, ERR_NOMEM on OOM. */
motesok_status msk_buf_append(msk_buf *b, const void *data, size_t len);

/* Ensure data is NUL-terminated (not counted in len). */
motesok_status msk_buf_terminate(msk_buf *b);

/* Free the buffer's memory and reset it (max is kept). */
void msk_buf_free(msk_buf *b);

/* Append Unicode code point c to b as UTF-8. */
motesok_status msk_buf_append_cp(msk_buf *b, int32_t c);

/* True if code point c is a cased letter (Unicode Lu or Ll: æ ø å too). */
bool msk_is_letter(int32_t c);

/* Characters of UTF-8 text s (n bytes): the bytes that begin one. */
size_t msk_utf8_chars(const char *s, size_t n);

/* True if p[0..len) is valid UTF-8. */
bool msk_valid_utf8(const char *p, size_t len);

/* Read up to cap bytes of fd into buf, retrying on EINTR; *len gets the
 * count (less than cap only at end of file). ERR_IO names path. */
motesok_status msk_read_full(int fd, const char *path, void *buf, size_t cap, size_t *len,
                             motesok_error *err);

/* Crash injection for the crash-safety tests: with MOTESOK_TEST_CRASH set
 * to "NAME:N", the N-th pass through crash point NAME kills this process
 * as kill -9 would. Unset in normal use: nothing happens. */
void msk_crash_point(const char *name);

#ifdef __cplusplus
}
#endif
#endif
