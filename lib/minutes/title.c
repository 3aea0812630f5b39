/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A title made from what the minutes reader found (minutes.h):
 * "Kommunestyret 12.03.2015 — møteprotokoll". */
#include "minutes/mn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND_LINES 4     /* filled lines at the top that may name the kind */
#define KIND_LINE_BYTES 200

/* What a document says it is in its first lines, and the word shown. */
static const struct {
    const char *word;
    const char *kind;
} kinds[] = {
    {"møteprotokoll", "møteprotokoll"}, {"saksprotokoll", "saksprotokoll"},
    {"protokoll", "møteprotokoll"},     {"møtebok", "møtebok"},
    {"møtereferat", "referat"},         {"referat", "referat"},
    {"møteinnkalling", "møteinnkalling"}, {"innkalling", "møteinnkalling"},
    {"saksframlegg", "saksframlegg"},   {"saksfremlegg", "saksframlegg"},
};

/* The kind named in the first KIND_LINES filled lines of text, or NULL. */
static const char *kind_of(const char *text, size_t len)
{
    size_t filled = 0;
    for (size_t i = 0; i < len && filled < KIND_LINES;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        size_t n = end - i < KIND_LINE_BYTES ? end - i : KIND_LINE_BYTES;
        if (msk_mn_words(text + i, n) > 0) {
            filled++;
            for (size_t k = 0; k < MN_N_OF(kinds); k++)
                if (msk_mn_contains_ci(text + i, n, kinds[k].word))
                    return kinds[k].kind;
        }
        i = end + 1;
    }
    return NULL;
}

char *motesok_minutes_title(const motesok_minutes *m, const char *first_page, size_t len)
{
    if (m == NULL || m->organ == NULL || m->organ[0] == '\0' || strlen(m->date) != 10)
        return NULL;
    const char *kind = first_page != NULL ? kind_of(first_page, len) : NULL;
    const char *d = m->date; /* YYYY-MM-DD */
    size_t cap = strlen(m->organ) + 64;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    snprintf(out, cap, "%s %.2s.%.2s.%.4s%s%s", m->organ, d + 8, d + 5, d, kind ? " — " : "",
             kind ? kind : "");
    return out;
}
