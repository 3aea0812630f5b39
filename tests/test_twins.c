/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Twins (lib/twins.c): sketches of a file's words and their comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "twins.h"

/* Minutes-like text of n cases; variant changes every case's wording. */
static char *minutes(int n, int variant, const char *line_break)
{
    size_t cap = (size_t)n * 400 + 64;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "Sak %d/2018 Kommunestyret drøftet saken om %s nummer %d.%s"
                                "Vedtak: Rådmannen legger fram en plan for %s innen %d. mai.%s",
                                i + 1, variant ? "brøyting av veier" : "legevakt og røntgen",
                                i * 7, line_break, variant ? "snørydding" : "helsetjenester",
                                i % 28 + 1, line_break);
    return s;
}

/* The same text with its words re-broken over lines and pages, each page
 * with a running header and footer, in other letter case: the same text. */
static void test_twin_same_text_despite_layout(void **state)
{
    (void)state;
    char *txt = minutes(40, 0, "\n");
    char *flat = minutes(40, 0, " ");
    size_t cap = strlen(flat) * 2 + 4096, len = 0;
    char *pdf = malloc(cap);
    assert_non_null(pdf);
    size_t words = 0, page = 1;
    len += (size_t)snprintf(pdf, cap, "MØTEBOK KOMMUNESTYRET\n");
    for (const char *p = flat; *p; p++) {
        pdf[len++] = *p == ' ' && ++words % 9 == 0 ? '\n' : *p;
        if (*p == ' ' && words % 120 == 0)
            len += (size_t)snprintf(pdf + len, cap - len, "\nSide %zu av 9\n\fMØTEBOK KOMMUNESTYRET\n",
                                    page++);
    }
    pdf[len] = '\0';
    for (char *p = pdf; *p; p++) /* upper case ASCII: folded away */
        if (*p >= 'a' && *p <= 'z' && (p - pdf) % 3 == 0)
            *p = (char)(*p - 'a' + 'A');
    msk_twin_sketch a, b;
    assert_true(msk_twin_sketch_text(txt, strlen(txt), &a));
    assert_true(msk_twin_sketch_text(pdf, strlen(pdf), &b));
    assert_true(a.shingles > MSK_TWIN_K); /* a sample, not the whole set */
    double c = 0, j = msk_twin_similarity(&a, &b, &c);
    assert_true(j >= MSK_TWIN_JACCARD);
    assert_true(c >= MSK_TWIN_CONTAINMENT);
    assert_true(msk_twin_same_text(&a, &b));
    free(txt);
    free(flat);
    free(pdf);
}

/* Other minutes with the same boilerplate are not the same text, nor is a
 * short excerpt of the text, nor a text too short to judge. */
static void test_twin_other_text_differs(void **state)
{
    (void)state;
    char *one = minutes(40, 0, "\n"), *other = minutes(40, 1, "\n"), *part = minutes(8, 0, "\n");
    msk_twin_sketch a, b, p, tiny;
    assert_true(msk_twin_sketch_text(one, strlen(one), &a));
    assert_true(msk_twin_sketch_text(other, strlen(other), &b));
    assert_true(msk_twin_sketch_text(part, strlen(part), &p));
    assert_false(msk_twin_same_text(&a, &b));
    assert_false(msk_twin_same_text(&a, &p));
    assert_true(msk_twin_sketch_text("Kort referat.", 13, &tiny));
    assert_false(msk_twin_same_text(&tiny, &tiny));
    assert_true(msk_twin_same_text(&a, &a));
    free(one);
    free(other);
    free(part);
}

/* Invalid UTF-8 gives no sketch, and no crash. */
static void test_twin_invalid_utf8(void **state)
{
    (void)state;
    msk_twin_sketch s;
    assert_false(msk_twin_sketch_text("abc \xff\xfe def", 10, &s));
    assert_int_equal(s.n, 0);
    assert_true(msk_twin_sketch_text("", 0, &s));
    assert_int_equal(s.shingles, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twin_same_text_despite_layout),
        cmocka_unit_test(test_twin_other_text_differs),
        cmocka_unit_test(test_twin_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
