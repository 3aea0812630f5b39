/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every fuzz target that yields extracted text checks of it. */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include "internal.h"
#include "extract/extract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Abort unless t is whole: every page there and NUL-terminated at its
 * length, the lengths adding up to total_len; with utf8, every page valid
 * UTF-8; with no_nul, free of NUL bytes. */
static inline void fuzz_check_text(const motesok_text *t, bool utf8, bool no_nul)
{
    size_t total = 0;
    for (size_t i = 0; i < t->n_pages; i++) {
        if (t->pages[i] == NULL || t->pages[i][t->page_lens[i]] != '\0')
            abort();
        if (utf8 && !msk_valid_utf8(t->pages[i], t->page_lens[i]))
            abort();
        if (no_nul && strlen(t->pages[i]) != t->page_lens[i])
            abort();
        total += t->page_lens[i];
    }
    if (total != t->total_len)
        abort();
}

#endif
