/* Precision and recall of case detection, decision extraction, organ and
 * date over the hand-checked truth in bench/minutes/truth.tsv.
 * Usage: motesok-bench-minutes REPO_DIR */
#define _GNU_SOURCE
#include <motesok/motesok.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally {
    int tp, fp, fn;
} tally;

/* True if the comma-separated list holds item. */
static bool in_list(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len + (e != NULL);
    }
    return false;
}

/* Count how the found items compare with the expected list. */
static void score(const char *want, char **found, size_t n, tally *t)
{
    for (size_t i = 0; i < n; i++)
        if (in_list(want, found[i]))
            t->tp++;
        else
            t->fp++;
    for (const char *p = want; *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bool hit = false;
        for (size_t i = 0; i < n; i++)
            hit = hit || (strlen(found[i]) == len && strncmp(found[i], p, len) == 0);
        t->fn += !hit;
        p += len + (e != NULL);
    }
}

/* Detect, extract and parse one file (PDF or text) into minutes. */
static motesok_minutes *parse(motesok_detector *det, const char *path)
{
    motesok_detection d;
    motesok_text *t = NULL;
    motesok_minutes *m = NULL;
    if (motesok_detect_file(det, path, &d, NULL) == MOTESOK_OK &&
        motesok_extract_file(path, &d, NULL, &t, NULL) == MOTESOK_OK)
        motesok_minutes_parse((const char *const *)t->pages, t->page_lens, t->n_pages, &m, NULL);
    motesok_text_free(t);
    return m;
}

/* Print one line of figures. */
static void report(const char *what, const tally *t)
{
    double p = t->tp + t->fp ? (double)t->tp / (t->tp + t->fp) : 1.0;
    double r = t->tp + t->fn ? (double)t->tp / (t->tp + t->fn) : 1.0;
    printf("%-22s precision %.3f  recall %.3f  (tp %d, fp %d, fn %d)\n", what, p, r, t->tp, t->fp, t->fn);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: motesok-bench-minutes REPO_DIR\n");
        return 2;
    }
    char truth[4096];
    snprintf(truth, sizeof truth, "%s/bench/minutes/truth.tsv", argv[1]);
    FILE *tf = fopen(truth, "r");
    if (tf == NULL) {
        perror(truth);
        return 1;
    }
    motesok_detector *det = NULL;
    if (motesok_detector_open(&det, NULL) != MOTESOK_OK)
        return 1;
    tally cases = {0}, decisions = {0}, organs = {0}, dates = {0};
    char line[4096];
    int docs = 0;
    while (fgets(line, sizeof line, tf) != NULL) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *field[5] = {0};
        char *p = line;
        for (int i = 0; i < 5; i++) {
            field[i] = p;
            p = p ? strchr(p, '\t') : NULL;
            if (p != NULL)
                *p++ = '\0';
        }
        for (int i = 0; i < 5; i++)
            if (field[i] == NULL)
                field[i] = "";
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], field[0]);
        motesok_minutes *m = parse(det, path);
        if (m == NULL) {
            fprintf(stderr, "cannot parse %s\n", path);
            return 1;
        }
        docs++;
        char *nums[512], *decs[512];
        size_t n = 0, nd = 0;
        for (size_t i = 0; i < m->n_cases && n < 512; i++) {
            nums[n++] = m->cases[i].number;
            if (m->cases[i].decision != NULL)
                decs[nd++] = m->cases[i].number;
        }
        score(field[3], nums, n, &cases);
        score(field[4], decs, nd, &decisions);
        bool organ_ok = m->organ ? strcmp(m->organ, field[1]) == 0 : field[1][0] == '\0';
        bool date_ok = strcmp(m->date, field[2]) == 0;
        organs.tp += organ_ok, organs.fn += !organ_ok;
        dates.tp += date_ok, dates.fn += !date_ok;
        if (!organ_ok || !date_ok)
            printf("  %s: organ '%s' date '%s'\n", field[0], m->organ ? m->organ : "", m->date);
        motesok_minutes_free(m);
    }
    fclose(tf);
    motesok_detector_close(det);
    printf("%d documents\n", docs);
    report("case detection", &cases);
    report("decision extraction", &decisions);
    report("organ", &organs);
    report("meeting date", &dates);
    return 0;
}
