/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: query parsing with the Norwegian analysis (the shim's
 * parser, compound and synonym rewriting, spelling check) and the search
 * itself, on any bytes, against a small real Xapian index built once.
 * Set MOTESOK_DATA_DIR (scripts/fuzz.sh does). */
#include "internal.h"
#include "xapian/xapian.h"
#include "analysis/query.h"
#include "analysis/norsk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static motesok_xreader *reader;

static const char *const TEXTS[] = {
    "Kommunehelsesamarbeidet drøftet legevakt og jordmortjenesten i Hallingdal.",
    "Tenestene i kommunane: sjukehus, rehabilitering og KAD-senger.",
    "Pleie- og omsorgsmeldinger, lokalmedisinsk senter og røntgentilbud.",
};

static const motesok_xfield FIELDS[] = {{"tittel", "S", false}, {"organ", "XB", true}};
static const motesok_xdaterange RANGES[] = {{"dato", 0}};

/* Build the index once, in a folder that lives as long as the process:
 * two shards, as the indexer writes them (the documents alternate), so
 * that what is read over shards — spelling above all — is fuzzed too. */
static void build(void)
{
    char tmpl[] = "/tmp/motesok-fuzz-query-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (dir == NULL)
        abort();
    static char db[2][64];
    motesok_xwriter *w[2] = {NULL, NULL};
    for (size_t s = 0; s < 2; s++) {
        snprintf(db[s], sizeof db[s], "%s/%zu", dir, s);
        if (motesok_xwriter_open(db[s], &w[s], NULL) != MOTESOK_OK)
            abort();
    }
    for (size_t i = 0; i < sizeof TEXTS / sizeof *TEXTS; i++) {
        motesok_xdoc *d = NULL;
        char q[8];
        snprintf(q, sizeof q, "Q%zu", i);
        if (motesok_xdoc_new(&d, NULL) != MOTESOK_OK ||
            motesok_xdoc_index_text(d, TEXTS[i], strlen(TEXTS[i]), 1, "", NULL) != MOTESOK_OK ||
            motesok_xdoc_analyse(d, true, NULL) != MOTESOK_OK ||
            motesok_xwriter_replace(w[i % 2], q, d, NULL) != MOTESOK_OK)
            abort();
        motesok_xdoc_free(d);
    }
    for (size_t s = 0; s < 2; s++) {
        if (motesok_xwriter_commit(w[s], NULL) != MOTESOK_OK)
            abort();
        motesok_xwriter_close(w[s]);
    }
    const char *dirs[] = {db[0], db[1]};
    if (motesok_xreader_open(dirs, 2, &reader, NULL) != MOTESOK_OK)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Load the analysis data (470,000 dictionary words, ~2 s under the
 * sanitizers) before any input is timed, so that no input is charged
 * for it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    (void)msk_norsk_shared();
    build(); /* the index, and the shim's analysis with it */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (reader == NULL)
        build();
    if (size > 4096)
        return 0;
    char *query = msk_strndup((const char *)data, size);
    if (query == NULL)
        return 0;
    query[strlen(query)] = '\0';
    msk_query_options po = {.parser = {.fields = FIELDS, .n_fields = 2, .ranges = RANGES,
                                       .n_ranges = 1, .default_and = size % 2 == 0},
                            .norwegian_ops = true};
    motesok_xquery *q = NULL;
    motesok_error err;
    motesok_status st = msk_query_parse(reader, query, &po, &q, NULL, &err);
    if (st == MOTESOK_OK) {
        const char *sug = motesok_xquery_suggestion(q);
        if (sug != NULL && strlen(sug) > 16 * size + 64)
            abort(); /* a correction is about as long as the query */
        motesok_xsearch s = {.query = q, .limit = 10, .sort_slot = -1, .collapse_slot = -1,
                             .check_at_least = 100};
        motesok_xresults *res = NULL;
        if (motesok_xreader_search(reader, &s, &res, &err) == MOTESOK_OK &&
            motesok_xresults_count(res) > sizeof TEXTS / sizeof *TEXTS)
            abort(); /* more hits than documents */
        motesok_xresults_free(res);
    } else if (st != MOTESOK_ERR_QUERY && st != MOTESOK_ERR_INVALID) {
        abort(); /* a query is rejected as a query, never with another error */
    }
    motesok_xquery_free(q);
    free(query);
    return 0;
}
