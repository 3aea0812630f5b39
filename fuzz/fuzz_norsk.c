/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the Norwegian analysis in C on arbitrary bytes —
 * half-written compounds written out, normalisation (with the re-joining
 * of hyphenated words) and, for every word of the result, case folding,
 * the dictionary check and the compound splitter, with the invariants of
 * a split checked. Set MOTESOK_DATA_DIR
 * (scripts/fuzz.sh does) so that the shipped data and hunspell-no load. */
#include "internal.h"
#include "extract/extract.h"
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


/* A split must cover the word in order, its parts inside the word. */
static void check_split(const char *w, size_t len, const msk_split *sp)
{
    if (sp->n_top < 2 || sp->n_top > MSK_SPLIT_MAX || sp->n_leaf < sp->n_top)
        abort();
    size_t prev = 0;
    for (size_t i = 0; i < sp->n_top; i++) {
        if (sp->top[i].start < prev || sp->top[i].end <= sp->top[i].start || sp->top[i].end > len)
            abort();
        prev = sp->top[i].end;
    }
    if (sp->top[sp->n_top - 1].end != len || sp->top[0].start != 0)
        abort();
    for (size_t i = 0; i < sp->n_leaf; i++)
        if (sp->leaf[i].end <= sp->leaf[i].start || sp->leaf[i].end > len)
            abort();
    (void)w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* half-written compounds, on the raw bytes: whole UTF-8 words out,
     * each ended by a space */
    msk_buf half = {0};
    if (msk_norsk_ellipses(msk_norsk_shared(), (const char *)data, size, &half) == MOTESOK_OK &&
        half.len > 0 && (!msk_valid_utf8(half.data, half.len) || half.data[half.len - 1] != ' '))
        abort();
    msk_buf_free(&half);
    char *text = NULL;
    size_t len = 0;
    if (motesok_normalize_text((const char *)data, size, &text, &len, NULL) != MOTESOK_OK)
        return 0;
    if (!msk_valid_utf8(text, len) || strlen(text) != len)
        abort(); /* normalised text is valid UTF-8 without NULs */
    const msk_norsk *n = msk_norsk_shared();
    for (char *save = NULL, *tok = strtok_r(text, " \t\n.,;:!?()\"'-/", &save); tok != NULL;
         tok = strtok_r(NULL, " \t\n.,;:!?()\"'-/", &save)) {
        char *w = msk_casefold(tok);
        if (w == NULL)
            continue;
        size_t wl = strlen(w);
        msk_split sp;
        (void)msk_norsk_known(n, w, wl);
        (void)msk_norsk_stopword(n, w, wl);
        if (msk_norsk_split(n, w, wl, &sp))
            check_split(w, wl, &sp);
        free(w);
    }
    free(text);
    return 0;
}
