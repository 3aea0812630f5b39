/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Operator words of the query language (lib/analysis/query.h): one list,
 * one rule — upper case only — for search.c and the Xapian shim. */
#include "analysis/query.h"

#include <string.h>

/* Operator words and what Xapian's parser reads for them (NULL: itself). */
static const struct {
    const char *word;
    const char *english;
    bool distance; /* may carry "/n" (NEAR/3) */
} operators[] = {
    {"AND", NULL, false},  {"OR", NULL, false},     {"NOT", NULL, false},
    {"XOR", NULL, false},  {"NEAR", NULL, true},    {"ADJ", NULL, true},
    {"OG", "AND", false},  {"ELLER", "OR", false},  {"IKKE", "NOT", false},
    {"IKKJE", "NOT", false},
};

#define N_OPERATORS (sizeof operators / sizeof *operators)

/* Index of the operator word[0..n) in operators, or -1. */
static int find_operator(const char *word, size_t n)
{
    for (size_t i = 0; i < N_OPERATORS; i++) {
        size_t k = strlen(operators[i].word);
        if (n < k || strncmp(word, operators[i].word, k) != 0)
            continue;
        if (n == k || (operators[i].distance && word[k] == '/'))
            return (int)i;
    }
    return -1;
}

bool msk_query_operator(const char *word, size_t n)
{
    return word != NULL && find_operator(word, n) >= 0;
}

const char *msk_query_norwegian_operator(const char *word, size_t n)
{
    int i = word != NULL ? find_operator(word, n) : -1;
    return i >= 0 ? operators[i].english : NULL;
}

size_t msk_query_n_operators(void)
{
    return N_OPERATORS;
}

const char *msk_query_operator_at(size_t i)
{
    return i < N_OPERATORS ? operators[i].word : NULL;
}
