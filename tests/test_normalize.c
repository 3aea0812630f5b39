/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for lib/analysis/normalize.c: motesok_normalize_text on real
 * Norwegian text, every kind of character it must change, and hostile
 * bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"
#include "extract/extract.h"

/* Normalise in (len bytes) and assert the exact result and its length. */
static void assert_normalizes(const char *in, size_t len, const char *want)
{
    char *out = NULL;
    size_t n = 12345;
    motesok_error err;
    assert_int_equal(motesok_normalize_text(in, len, &out, &n, &err), MOTESOK_OK);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    assert_int_equal(out[n], '\0');
    free(out);
}

/* Normalise a string literal (NULs inside count) and check the result. */
#define NORM(lit, want) assert_normalizes(lit, sizeof(lit) - 1, want)

static void test_normalize_text_composes_nfc(void **state)
{
    (void)state;
    /* A + combining ring, o + combining stroke is not a decomposition
     * (ø has none), a + combining ring above, e + combining acute */
    NORM("A\xCC\x8Asheim, Ga\xCC\x8A og ide\xCC\x81", "Åsheim, Gå og idé");
    /* already composed text is returned unchanged */
    const char nb[] = "Rådmannsutvalget – møte på Gjøvik: æøå ÆØÅ";
    assert_normalizes(nb, strlen(nb), nb);
    /* Ångström sign U+212B becomes Å U+00C5 under NFC */
    NORM("\xE2\x84\xAB", "\xC3\x85");
}

static void test_normalize_text_line_ends(void **state)
{
    (void)state;
    NORM("en\r\nto\rtre\nfire", "en\nto\ntre\nfire");
    /* CR CR LF is a lone CR and then a CR LF: two line ends */
    NORM("a\r\r\nb", "a\n\nb");
    /* form feed (the page separator of the store) never survives */
    NORM("side 1\fside 2", "side 1\nside 2");
    /* vertical tab, NEL, line and paragraph separators are line ends too */
    NORM("a\vb\xC2\x85" "c\xE2\x80\xA8" "d\xE2\x80\xA9" "e", "a\nb\nc\nd\ne");
    /* tab is kept */
    NORM("sak\t12/2018", "sak\t12/2018");
}

static void test_normalize_text_drops_invisible(void **state)
{
    (void)state;
    /* soft hyphen U+00AD inside a word */
    NORM("kommune\xC2\xADstyre\xC2\xAD" "behandling", "kommunestyrebehandling");
    /* BOM at the start and U+FEFF in the middle, zero-width space */
    NORM("\xEF\xBB\xBFm\xC3\xB8te\xEF\xBB\xBF" "bok\xE2\x80\x8B!", "møtebok!");
    /* C0 controls (not \n \t), DEL and C1 controls */
    NORM("a\x01" "b\x1B" "c\x7F" "d\xC2\x80" "e\xC2\x9F" "f", "abcdef");
    /* NUL bytes in the middle and at the end */
    NORM("ve\0dtak\0", "vedtak");
    /* no-break spaces become plain spaces */
    NORM("kr\xC2\xA0" "300\xE2\x80\xAF" "000", "kr 300 000");
}

static void test_normalize_text_spells_ligatures(void **state)
{
    (void)state;
    /* U+FB01 fi, U+FB02 fl, U+FB00 ff, U+FB03 ffi, U+FB04 ffl */
    NORM("\xEF\xAC\x81nansiering \xEF\xAC\x82yktning sta\xEF\xAC\x80 "
                      "e\xEF\xAC\x83" "cient ba\xEF\xAC\x84" "e", "finansiering flyktning staff efficient baffle");
}

static void test_normalize_text_replaces_invalid_bytes(void **state)
{
    (void)state;
    /* a stray Latin-1 ø, a truncated sequence at the end, an overlong '/',
     * and an encoded surrogate: one U+FFFD per bad byte */
    NORM("Gj\xF8vik", "Gj\xEF\xBF\xBDvik");
    NORM("ok\xC3", "ok\xEF\xBF\xBD");
    NORM("a\xC0\xAF" "b", "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
    NORM("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* 4-byte characters pass through */
    NORM("m\xC3\xB8te \xF0\x9F\x98\x80", "møte \xF0\x9F\x98\x80");
}

static void test_normalize_text_empty_and_null_len(void **state)
{
    (void)state;
    NORM("", "");
    NORM("\xC2\xAD\x01\xEF\xBB\xBF", "");
    /* out_len may be NULL; len is honoured, not the NUL */
    char *out = NULL;
    assert_int_equal(motesok_normalize_text("abcdef", 3, &out, NULL, NULL), MOTESOK_OK);
    assert_string_equal(out, "abc");
    free(out);
}

/* A deterministic pseudo-random byte stream (xorshift). */
static unsigned char next_byte(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return (unsigned char)(*s >> 7);
}

static void test_normalize_text_hostile_bytes_idempotent(void **state)
{
    (void)state;
    uint32_t seed = 2018;
    static unsigned char in[1 << 16];
    for (int round = 0; round < 64; round++) {
        size_t len = 1 + (size_t)round * 1021;
        for (size_t i = 0; i < len; i++)
            in[i] = next_byte(&seed);
        char *once = NULL, *twice = NULL;
        size_t n1 = 0, n2 = 0;
        assert_int_equal(motesok_normalize_text((char *)in, len, &once, &n1, NULL), MOTESOK_OK);
        /* valid UTF-8 without NUL, CR, form feed or other controls */
        assert_true(msk_valid_utf8(once, n1));
        assert_int_equal(strlen(once), n1);
        for (size_t i = 0; i < n1; i++) {
            unsigned char c = (unsigned char)once[i];
            assert_true(c >= 0x20 || c == '\n' || c == '\t');
            assert_true(c != 0x7F);
        }
        /* normalising again changes nothing */
        assert_int_equal(motesok_normalize_text(once, n1, &twice, &n2, NULL), MOTESOK_OK);
        assert_int_equal(n2, n1);
        assert_memory_equal(twice, once, n1);
        free(once);
        free(twice);
    }
}

static void test_normalize_text_large_input(void **state)
{
    (void)state;
    /* 4 MiB of "Gjøvik\r\n" lines: every CR LF becomes LF */
    const char line[] = "Gj\xC3\xB8vik\r\n";
    size_t lines = (4u << 20) / (sizeof line - 1);
    char *in = malloc(lines * (sizeof line - 1));
    assert_non_null(in);
    for (size_t i = 0; i < lines; i++)
        memcpy(in + i * (sizeof line - 1), line, sizeof line - 1);
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(motesok_normalize_text(in, lines * (sizeof line - 1), &out, &n, NULL),
                     MOTESOK_OK);
    assert_int_equal(n, lines * (sizeof line - 2));
    assert_memory_equal(out + n - 8, "Gj\xC3\xB8vik\n", 8);
    assert_null(memchr(out, '\r', n));
    free(out);
    free(in);
}

static void test_normalize_text_spells_compatibility_letters(void **state)
{
    (void)state;
    /* full-width letters, long s, the ij ligature, litre sign, circled digit */
    NORM("\xEF\xBC\xAB\xEF\xBC\xA1\xEF\xBC\xA4 ve\xC5\xBFt \xC4\xB3s 5 \xE2\x84\x93 \xE2\x91\xA0",
         "KAD vest ijs 5 l 1");
    /* private-use glyphs (a symbol font's bullet) are no letters */
    NORM("\xEF\x82\xB7" "Legevakt\n\xEF\x82\xA7 KAD", " Legevakt\n  KAD");
    /* what only looks different keeps its look: … ² ½ */
    NORM("m\xC2\xB2 \xC2\xBD \xE2\x80\xA6", "m\xC2\xB2 \xC2\xBD \xE2\x80\xA6");
}

static void test_normalize_text_rejoins_hyphenated_words(void **state)
{
    (void)state;
    /* a word broken at a line end is joined when the whole is a word; the
     * rest of the line moves down */
    NORM("god sam-\nhandling mellom dem", "god samhandling\nmellom dem");
    NORM("god sam- \n  handling, og mer", "god samhandling,\nog mer");
    NORM("Rehabili-\ntering", "Rehabilitering");
    /* kept: a list of compounds, a name, words that make no word together */
    NORM("helse- og\nomsorg", "helse- og\nomsorg");
    NORM("helse-\nog omsorg", "helse-\nog omsorg");
    NORM("Nord-\nFron kommune", "Nord-\nFron kommune");
    NORM("xqz-\nvbrt", "xqz-\nvbrt");
    /* a hyphen inside a line is no break */
    NORM("sam-handling", "sam-handling");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_text_composes_nfc),
        cmocka_unit_test(test_normalize_text_line_ends),
        cmocka_unit_test(test_normalize_text_drops_invisible),
        cmocka_unit_test(test_normalize_text_spells_ligatures),
        cmocka_unit_test(test_normalize_text_spells_compatibility_letters),
        cmocka_unit_test(test_normalize_text_rejoins_hyphenated_words),
        cmocka_unit_test(test_normalize_text_replaces_invalid_bytes),
        cmocka_unit_test(test_normalize_text_empty_and_null_len),
        cmocka_unit_test(test_normalize_text_hostile_bytes_idempotent),
        cmocka_unit_test(test_normalize_text_large_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
