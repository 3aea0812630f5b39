/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: type detection (libmagic over our rules) on arbitrary
 * bytes. A detection names a known kind and a MIME type. */
#include "detect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static motesok_detector *detector;

/* Load libmagic's database once, before any input is timed. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    motesok_error err;
    if (motesok_detector_open(&detector, &err) != MOTESOK_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    motesok_detection det;
    motesok_error err;
    if (motesok_detect_buffer(detector, data, size, &det, &err) != MOTESOK_OK)
        return 0;
    const char *kind = motesok_kind_name(det.kind);
    if (kind == NULL || *kind == '\0' || memchr(det.mime, '\0', sizeof det.mime) == NULL ||
        memchr(det.charset, '\0', sizeof det.charset) == NULL)
        abort();
    return 0;
}
