/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: PDF text extraction (poppler-glib, in this process) on
 * arbitrary bytes. Seed it with real PDFs and damaged variants of them
 * (scripts/fuzz.sh makes them with qpdf). Extracted pages must be valid
 * UTF-8 whose lengths add up; a failure always says why. In the indexer
 * this code runs inside a worker process with memory and time limits;
 * here a crash inside poppler is reported like any other. */
#include "internal.h"
#include "extract/extract.h"
#include "fuzz_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* small caps keep one input's work bounded, as the worker's do */
    motesok_extract_limits lim = {.max_pages = 64, .max_text_bytes = 4u << 20};
    motesok_text *t = NULL;
    motesok_error err;
    if (motesok_extract_pdf_buffer(data, size, &lim, &t, &err) == MOTESOK_OK) {
        fuzz_check_text(t, true, false);
        if (t->n_pages > lim.max_pages)
            abort();
    } else if (t != NULL || err.message[0] == '\0') {
        abort();
    }
    motesok_text_free(t);
    return 0;
}
