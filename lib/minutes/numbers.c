/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Case numbers: recognition at the start of a row and normalisation into
 * keys (motesok_case_key in lib/minutes/minutes.h). */
#include "minutes/mn.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Series words dropped from keys, matched case-insensitively; a trailing
 * '.' or ':' and glued digits ("SAK49/10", "nr10/06") are allowed. */
static const char *const series_words[] = {
    "utv.sak", "utv. sak", "utvalgssak", "utvalssak", "saksnr", "saknr", "sak", "nr",
};

/* Series kept in front of the key. */
static const char *const kept_series[] = {"RS", "DS", "FO"};

/* Length of a series word at p, 0 if none. */
static size_t series_word(const char *p, size_t len)
{
    for (size_t k = 0; k < MN_N_OF(series_words); k++) {
        size_t n = strlen(series_words[k]);
        if (len >= n && strncasecmp(p, series_words[k], n) == 0 &&
            (n == len || !isalpha((unsigned char)p[n])))
            return n;
    }
    return 0;
}

/* Length of an upper-case code of 2–4 ASCII letters at p ("PS", "TEK",
 * "KO", "FT-sak" → 6, "K-sak" → 5), or of one letter glued by '-' to the digits
 * ("U-44/19"), 0 if none. */
static size_t series_code(const char *p, size_t len)
{
    size_t n = 0;
    while (n < len && n < 5 && isupper((unsigned char)p[n]))
        n++;
    if (n == 1 && len > 2 && p[1] == '-' && isdigit((unsigned char)p[2]))
        return 1;
    if (n >= 1 && n <= 4 && n + 4 <= len && p[n] == '-' && strncasecmp(p + n + 1, "sak", 3) == 0 &&
        (n + 4 == len || !isalpha((unsigned char)p[n + 4])))
        return n + 4; /* FT-sak, K-sak */
    if (n < 2 || n > 4 || (n < len && isalpha((unsigned char)p[n])))
        return 0;
    return n;
}

/* Skip the prefix tokens in front of the digits at p; returns the offset of
 * the first digit, or len when no digit follows a valid prefix. */
static size_t skip_prefix(const char *p, size_t len, mn_number *n, bool *serial_ok)
{
    size_t i = 0;
    *serial_ok = false;
    for (int tokens = 0; tokens < 4 && i < len && !isdigit((unsigned char)p[i]); tokens++) {
        size_t w = series_word(p + i, len - i);
        size_t c = w ? 0 : series_code(p + i, len - i);
        if (w == 0 && c == 0)
            return len;
        if (c == 2 && tokens == 0)
            for (size_t k = 0; k < MN_N_OF(kept_series); k++)
                if (memcmp(p + i, kept_series[k], 2) == 0)
                    memcpy(n->series, kept_series[k], 3);
        *serial_ok = *serial_ok || w > 0 || n->series[0] != '\0' || (c == 2 && !memcmp(p + i, "PS", 2));
        i += w + c;
        n->prefixed = true;
        while (i < len && (p[i] == '.' || p[i] == ':' || p[i] == '-' || p[i] == ' ' || p[i] == '\t'))
            i++;
    }
    return i;
}

/* Length of a run of at most 4 digits at p (0 if none or longer). */
static size_t digit_run(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && isdigit((unsigned char)p[i]))
        i++;
    return i <= 4 ? i : 0;
}

/* True if the byte after a number at p[i] ends it cleanly: not a letter,
 * digit or '/', and not '-'/'.' followed by a digit (dates, "2015/1234-5"). */
static bool clean_end(const char *p, size_t len, size_t i)
{
    if (i >= len)
        return true;
    unsigned char c = (unsigned char)p[i];
    if (isalnum(c) || c == '/' || c >= 0x80)
        return false;
    if ((c == '-' || c == '.' || c == ',') && i + 1 < len && isdigit((unsigned char)p[i + 1]))
        return false;
    return true;
}

bool msk_mn_number_at(const char *p, size_t len, mn_number *n)
{
    memset(n, 0, sizeof *n);
    bool serial_ok;
    size_t i = skip_prefix(p, len, n, &serial_ok);
    size_t a = i < len ? digit_run(p + i, len - i) : 0;
    if (a == 0)
        return false;
    n->a = p + i;
    n->alen = a;
    n->num_at = i;
    i += a;
    if (i + 1 < len && p[i] == '/' && isdigit((unsigned char)p[i + 1])) {
        size_t b = digit_run(p + i + 1, len - i - 1);
        if (b == 0)
            return false;
        n->b = p + i + 1;
        n->blen = b;
        i += 1 + b;
    }
    if (!clean_end(p, len, i))
        return false;
    n->end = i;
    if (n->b == NULL && (!serial_ok || a > 3 || (i + 1 < len && p[i] == ' ' && isdigit((unsigned char)p[i + 1]))))
        return false; /* a bare number, "Sak 2018" (a year), "KS 190 000" (money) */
    return true;
}

/* Value of a run of digits. */
static int digits_value(const char *p, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* The full year of a two-digit year in 1990–2049, or 0 outside it. */
static int two_digit_year(int v)
{
    if (v <= 49)
        return 2000 + v;
    return v >= 90 ? 1900 + v : 0;
}

/* True if y is a year that minutes may carry. */
static bool plausible_year(int y)
{
    return y >= 1950 && y <= 2099;
}

/* How well year y fits the meeting year (lower is better). */
static int year_distance(int y, int meeting_year)
{
    if (meeting_year == 0)
        return 0;
    int d = y > meeting_year ? y - meeting_year : meeting_year - y;
    return d > 1 ? 2 : d;
}

/* Resolve a/b into serial and year; false if it is no case number (an
 * archive number like 15/1234). */
static bool resolve(const mn_number *n, int meeting_year, int *serial, int *year)
{
    int a = digits_value(n->a, n->alen), b = digits_value(n->b, n->blen);
    if (n->blen == 4) { /* "06/2018"; "15/1234" is an archive number */
        if (!plausible_year(b))
            return false;
        *serial = a, *year = b;
        return true;
    }
    if (n->alen == 4 && plausible_year(a)) { /* "2014/75" */
        *serial = b, *year = a;
        return true;
    }
    /* serial first: the year is written with two digits; year first: the
     * year has two digits and the serial is not zero-padded to its width */
    int y_sf = n->blen == 2 ? two_digit_year(b) : 0;
    int y_yf = n->alen == 2 ? two_digit_year(a) : 0;
    if (y_sf == 0 && y_yf == 0)
        return false;
    bool year_first = y_sf == 0 ||
                      (y_yf != 0 && year_distance(y_yf, meeting_year) < year_distance(y_sf, meeting_year));
    *serial = year_first ? b : a;
    *year = year_first ? y_yf : y_sf;
    return true;
}

bool msk_mn_number_key(const mn_number *n, int meeting_year, char *out, size_t cap)
{
    char series[4] = "";
    if (n->series[0] != '\0')
        snprintf(series, sizeof series, "%s ", n->series);
    int len;
    if (n->b == NULL) {
        len = snprintf(out, cap, "%s%d", series, digits_value(n->a, n->alen));
    } else {
        int serial = 0, year = 0;
        if (!resolve(n, meeting_year, &serial, &year))
            return false;
        len = snprintf(out, cap, "%s%d/%04d", series, serial, year);
    }
    return len > 0 && (size_t)len < cap;
}

int msk_mn_key_year(const char *key)
{
    const char *s = strchr(key, '/');
    if (s == NULL || strlen(s + 1) != 4)
        return 0;
    return digits_value(s + 1, 4);
}

motesok_status motesok_case_key(const char *number_text, int meeting_year, char *out, size_t cap)
{
    if (number_text == NULL || out == NULL || cap == 0)
        return MOTESOK_ERR_INVALID;
    out[0] = '\0';
    const char *p = number_text;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '.'))
        len--;
    mn_number n;
    bool found = msk_mn_number_at(p, len, &n);
    if (!found && len > 0 && len <= 4 && digit_run(p, len) == len) {
        memset(&n, 0, sizeof n); /* a typed bare serial "3" */
        n.a = p;
        n.alen = len;
        found = true;
    }
    if (!found)
        return MOTESOK_ERR_NOT_FOUND;
    char key[32];
    if (!msk_mn_number_key(&n, meeting_year, key, sizeof key))
        return MOTESOK_ERR_NOT_FOUND;
    if (strlen(key) + 1 > cap)
        return MOTESOK_ERR_TOO_BIG;
    memcpy(out, key, strlen(key) + 1);
    return MOTESOK_OK;
}
