/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the decoder of an extraction worker's answer (the
 * bytes a worker process writes back; a worker runs poppler on hostile
 * files, so its answer is not trusted). Whatever is decoded is whole:
 * page lengths add up, strings end where their lengths say. */
#include "internal.h"
#include "extract/worker.h"
#include "fuzz_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    motesok_detection det;
    motesok_text *t = NULL;
    motesok_error err;
    motesok_status st = msk_worker_decode(data, size, &det, &t, &err);
    if (memchr(det.mime, '\0', sizeof det.mime) == NULL ||
        memchr(det.charset, '\0', sizeof det.charset) == NULL || det.kind > MOTESOK_KIND_EMPTY)
        abort();
    if (st == MOTESOK_OK) {
        fuzz_check_text(t, false, false);
    } else if (t != NULL || err.message[0] == '\0') {
        abort();
    }
    motesok_text_free(t);
    return 0;
}
