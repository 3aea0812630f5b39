/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — file type detection by content (libmagic), never by name.
 *
 * Life cycle: motesok_detector_open → detect … → motesok_detector_close.
 * A detector wraps libmagic cookies and is used by one thread at a time.
 */
#ifndef MOTESOK_DETECT_H
#define MOTESOK_DETECT_H

#include "motesok/common.h"
#include "internal.h" /* MSK_INTERNAL */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct motesok_detector motesok_detector;

/* What a file is. */
typedef enum motesok_kind {
    MOTESOK_KIND_UNSUPPORTED = 0, /* anything we do not extract */
    MOTESOK_KIND_PDF,
    MOTESOK_KIND_TEXT,
    MOTESOK_KIND_EMPTY,           /* zero bytes or only white space */
} motesok_kind;

/* Result of detection. */
typedef struct motesok_detection {
    motesok_kind kind;
    char mime[96];    /* e.g. "application/pdf", "text/plain" */
    char charset[48]; /* libmagic's guess, e.g. "utf-8", "iso-8859-1", "binary" */
} motesok_detection;

/* Create a detector with libmagic's default database loaded. */
MSK_INTERNAL motesok_status motesok_detector_open(motesok_detector **out,
                                                  motesok_error *err);

/* Release a detector (NULL is fine). */
MSK_INTERNAL void motesok_detector_close(motesok_detector *d);

/* Detect the type of len bytes of content. */
MSK_INTERNAL motesok_status motesok_detect_buffer(motesok_detector *d,
                                                  const void *buf, size_t len,
                                                  motesok_detection *out,
                                                  motesok_error *err);

/* Detect the type of a file from its first MiB (follows no symlinks itself:
 * the caller decides what to open). A directory, FIFO or device is
 * UNSUPPORTED with an "inode/..." MIME type; open or read errors ERR_IO. */
MSK_INTERNAL motesok_status motesok_detect_file(motesok_detector *d,
                                                const char *path,
                                                motesok_detection *out,
                                                motesok_error *err);

/* Static name of a kind: "unsupported", "pdf", "text", "empty". */
MSK_INTERNAL const char *motesok_kind_name(motesok_kind kind);

#ifdef __cplusplus
}
#endif
#endif
