/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the loaders of the analyser's language data — the
 * files of data/norsk/ (nynorsk.txt, stopwords.txt, synonyms.txt,
 * nosplit.txt, words.txt) and a hunspell dictionary (.aff and .dic) — on
 * arbitrary bytes. The input is cut at NUL bytes into those seven files,
 * in that order, written to a folder of this process and loaded. A load
 * never fails on malformed lines (they are skipped and listed in the
 * warnings); what it loaded must answer look-ups on the input's words. */
#define _GNU_SOURCE
#include "internal.h"
#include "analysis/norsk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char root[64], data_dir[96], hun_dir[96];
static const char *const files[] = {"data/norsk/nynorsk.txt", "data/norsk/stopwords.txt",
                                    "data/norsk/synonyms.txt", "data/norsk/nosplit.txt",
                                    "data/norsk/words.txt", "hun/nb_NO.aff", "hun/nb_NO.dic"};

/* One folder for this process's files, made before any input is timed. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(root, sizeof root, "/tmp/fuzz-loaders-XXXXXX");
    if (mkdtemp(root) == NULL)
        abort();
    snprintf(data_dir, sizeof data_dir, "%s/data", root);
    snprintf(hun_dir, sizeof hun_dir, "%s/hun", root);
    char norsk[128];
    snprintf(norsk, sizeof norsk, "%s/norsk", data_dir);
    if (mkdir(data_dir, 0700) != 0 || mkdir(norsk, 0700) != 0 || mkdir(hun_dir, 0700) != 0)
        abort();
    return 0;
}

/* Write len bytes to root/name. */
static void put_file(const char *name, const uint8_t *p, size_t len)
{
    char path[192];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *fp = fopen(path, "wb");
    if (fp == NULL || (len > 0 && fwrite(p, 1, len, fp) != len) || fclose(fp) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        const uint8_t *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
        const uint8_t *stop = nul != NULL ? nul : end;
        put_file(files[i], p, (size_t)(stop - p));
        p = nul != NULL ? nul + 1 : end;
    }
    msk_norsk *n = NULL;
    motesok_error err;
    if (msk_norsk_load(data_dir, hun_dir, &n, &err) != MOTESOK_OK) {
        if (err.code != MOTESOK_ERR_NOMEM)
            abort(); /* malformed data is skipped, never an error */
        return 0;
    }
    if (msk_norsk_warnings(n) == NULL)
        abort();
    for (size_t i = 0; i < msk_norsk_n_pairs(n); i++) {
        const char *a = NULL, *b = NULL;
        msk_norsk_pair(n, i, &a, &b);
        if (a == NULL || b == NULL)
            abort();
    }
    /* look up and split every word of the input (at most 64) */
    size_t words = 0;
    for (const uint8_t *w = data; w < end && words < 64;) {
        while (w < end && (*w == ' ' || *w == '\n' || *w == '\0' || *w == '/'))
            w++;
        const uint8_t *e = w;
        while (e < end && *e != ' ' && *e != '\n' && *e != '\0' && *e != '/')
            e++;
        char *word = e > w ? strndup((const char *)w, (size_t)(e - w)) : NULL;
        char *f = word != NULL ? msk_casefold(word) : NULL; /* look-ups take folded words */
        if (f != NULL) {
            words++;
            size_t len = strlen(f);
            (void)msk_norsk_known(n, f, len);
            (void)msk_norsk_stopword(n, f, len);
            msk_split sp;
            if (msk_norsk_split(n, f, len, &sp) &&
                (sp.n_top < 2 || sp.top[sp.n_top - 1].end != len || sp.top[0].start != 0))
                abort();
        }
        free(f);
        free(word);
        w = e;
    }
    msk_norsk_free(n);
    return 0;
}
