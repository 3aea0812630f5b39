/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok-compound-filter: keep, of a compound table made by
 * scripts/gen-compound-splits.sh, the lines that change how a word splits,
 * so that the table the programs load stays small (its load time).
 *
 * Usage: motesok-compound-filter DATA_DIR TABLE OUTPUT
 *   DATA_DIR  the hand-made data folder (data/: nosplit.txt, words.txt)
 *   TABLE     the generated table (its norsk/compounds.txt format)
 *   OUTPUT    where the kept lines go (comment lines kept, one added)
 * A line is dropped when its word, and its word with each of a few
 * inflectional endings, splits the same with the table as without it (the
 * dictionaries' splitter agrees, or neither splits it).
 * The dictionaries come from /usr/share/hunspell. Exit 0 on success, 1 on
 * error (nothing written). */
#include "analysis/norsk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether a and b are the same split (tops and leaves). */
static bool same_split(bool ok_a, const msk_split *a, bool ok_b, const msk_split *b)
{
    if (ok_a != ok_b)
        return false;
    if (!ok_a)
        return true;
    return a->n_top == b->n_top && a->n_leaf == b->n_leaf &&
           memcmp(a->top, b->top, a->n_top * sizeof *a->top) == 0 &&
           memcmp(a->leaf, b->leaf, a->n_leaf * sizeof *a->leaf) == 0;
}

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "motesok-compound-filter: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: motesok-compound-filter DATA_DIR TABLE OUTPUT\n");
        return 1;
    }
    const char *data = argv[1], *table = argv[2], *out_path = argv[3];
    /* the table in a data folder of its own, read after DATA_DIR */
    char tmp[] = "/tmp/motesok-compound-filter.XXXXXX", sub[64], link_path[96];
    if (mkdtemp(tmp) == NULL)
        return fail("cannot make", tmp);
    snprintf(sub, sizeof sub, "%s/norsk", tmp);
    snprintf(link_path, sizeof link_path, "%s/compounds.txt", sub);
    char *abs_table = realpath(table, NULL);
    int rc = 1;
    if (abs_table == NULL || mkdir(sub, 0700) != 0 || symlink(abs_table, link_path) != 0) {
        fail("cannot read", table);
        goto out;
    }
    char dirs[4200];
    snprintf(dirs, sizeof dirs, "%s:%s", data, tmp);
    msk_norsk *base = NULL, *full = NULL;
    motesok_error err;
    if (msk_norsk_load(data, "/usr/share/hunspell", &base, &err) != MOTESOK_OK ||
        msk_norsk_load(dirs, "/usr/share/hunspell", &full, &err) != MOTESOK_OK) {
        fprintf(stderr, "motesok-compound-filter: %s\n", err.message);
        msk_norsk_free(base);
        goto out;
    }
    FILE *in = fopen(table, "r");
    char *partial = malloc(strlen(out_path) + 8);
    FILE *out = NULL;
    if (partial != NULL) {
        sprintf(partial, "%s.part", out_path);
        out = fopen(partial, "w");
    }
    if (in == NULL || out == NULL) {
        fail("cannot open", in == NULL ? table : out_path);
    } else {
        char *line = NULL;
        size_t cap = 0, kept = 0, all = 0;
        bool header = true;
        char word[300];
        /* the word and its forms: the table serves them too */
        static const char *const endings[] = {"",   "e",  "a",  "s",   "r",   "t",   "n",   "en",
                                              "et", "er", "ar", "ene", "ane", "ens", "ets", "ers"};
        ssize_t got;
        while ((got = getline(&line, &cap, in)) > 0) {
            if (line[0] == '#') {
                fputs(line, out);
                continue;
            }
            if (header) {
                fputs("# Only the lines that change a split are kept (motesok-compound-filter).\n", out);
                header = false;
            }
            all++;
            size_t len = strcspn(line, " \n");
            if (len + 4 > sizeof word)
                continue;
            memcpy(word, line, len);
            bool differs = false;
            for (size_t e = 0; e < sizeof endings / sizeof *endings && !differs; e++) {
                size_t el = strlen(endings[e]);
                memcpy(word + len, endings[e], el + 1);
                msk_split a, b;
                bool ok_a = msk_norsk_split(base, word, len + el, &a);
                bool ok_b = msk_norsk_split(full, word, len + el, &b);
                differs = !same_split(ok_a, &a, ok_b, &b);
            }
            if (differs) {
                fputs(line, out);
                kept++;
            }
        }
        free(line);
        if (ferror(in) || fclose(out) != 0) {
            fail("cannot write", out_path);
        } else if (rename(partial, out_path) != 0) {
            fail("cannot write", out_path);
        } else {
            printf("motesok-compound-filter: %zu of %zu lines kept in %s\n", kept, all, out_path);
            rc = 0;
        }
        out = NULL;
    }
    if (out != NULL)
        fclose(out);
    if (in != NULL)
        fclose(in);
    if (rc != 0 && partial != NULL)
        unlink(partial);
    free(partial);
    msk_norsk_free(base);
    msk_norsk_free(full);
out:
    unlink(link_path);
    rmdir(sub);
    rmdir(tmp);
    free(abs_table);
    return rc;
}
