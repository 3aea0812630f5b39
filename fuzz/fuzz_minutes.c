/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the minutes structure parser on arbitrary bytes
 * (normalised first, as the indexer does; form feeds split pages). */
#include "extract/extract.h"
#include "minutes/minutes.h"
#include "analysis/norsk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Load the analysis data (470,000 dictionary words, ~2 s under the
 * sanitizers) before any input is timed, so that no input is charged
 * for it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    (void)msk_norsk_shared();
    return 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { MAX_PAGES = 64 };
    const char *pages[MAX_PAGES];
    size_t lens[MAX_PAGES];
    char *norm[MAX_PAGES];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < MAX_PAGES; i++) {
        if (i < size && data[i] != '\f')
            continue;
        size_t len = 0;
        norm[n] = NULL;
        motesok_normalize_text((const char *)data + start, i - start, &norm[n], &len, NULL);
        pages[n] = norm[n] ? norm[n] : "";
        lens[n] = norm[n] ? len : 0;
        n++;
        start = i + 1;
    }
    motesok_minutes *m = NULL;
    if (motesok_minutes_parse(pages, lens, n, &m, NULL) == MOTESOK_OK) {
        for (size_t i = 0; i < m->n_cases; i++) {
            /* every range must lie inside the joined text */
            size_t total = n ? n - 1 : 0;
            for (size_t k = 0; k < n; k++)
                total += lens[k];
            if (m->cases[i].start > m->cases[i].end || m->cases[i].end > total ||
                m->cases[i].page_first < 1 || m->cases[i].page_last > n)
                abort();
        }
        motesok_minutes_free(m);
    }
    for (size_t k = 0; k < n; k++)
        free(norm[k]);
    return 0;
}
