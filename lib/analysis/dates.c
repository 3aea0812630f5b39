/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dates: Norwegian date forms in running text (motesok_parse_date in
 * lib/minutes/minutes.h), and the one reader of the dates a query names
 * (from/to and dato:A..B; lib/analysis/query.h). */
#include "internal.h"
#include "analysis/query.h"
#include "minutes/minutes.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Month names and abbreviations, Bokmål and Nynorsk (ASCII, any case). */
static const struct { const char *name; int month; } months[] = {
    {"januar", 1}, {"jan", 1}, {"februar", 2}, {"feb", 2}, {"mars", 3}, {"mar", 3},
    {"april", 4}, {"apr", 4}, {"mai", 5}, {"juni", 6}, {"jun", 6}, {"juli", 7}, {"jul", 7},
    {"august", 8}, {"aug", 8}, {"september", 9}, {"sept", 9}, {"sep", 9},
    {"oktober", 10}, {"okt", 10}, {"november", 11}, {"nov", 11},
    {"desember", 12}, {"des", 12},
};

/* Days in month m (1-12) of year y, leap years counted. */
static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

/* True if y-m-d is a real calendar date in a sensible range. */
static bool valid_ymd(int y, int m, int d)
{
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= month_days(y, m);
}

/* Read up to max digits at p[*i]; returns the value, -1 if none. *nd = count. */
static int read_num(const char *p, size_t len, size_t *i, int max, int *nd)
{
    int v = 0, n = 0;
    while (*i < len && n < max && isdigit((unsigned char)p[*i])) {
        v = v * 10 + (p[*i] - '0');
        (*i)++;
        n++;
    }
    *nd = n;
    if (n == 0 || (*i < len && isdigit((unsigned char)p[*i])))
        return -1; /* none, or longer than allowed */
    return v;
}

/* Month number of the word at p[*i] (letters only), 0 if not a month. */
static int read_month(const char *p, size_t len, size_t *i)
{
    size_t j = *i;
    while (j < len && isalpha((unsigned char)p[j]))
        j++;
    size_t n = j - *i;
    for (size_t k = 0; k < sizeof months / sizeof *months; k++) {
        if (strlen(months[k].name) == n && strncasecmp(p + *i, months[k].name, n) == 0) {
            *i = j;
            if (*i < len && p[*i] == '.') /* "des." */
                (*i)++;
            return months[k].month;
        }
    }
    return 0;
}

/* A two-digit year as a full year. */
static int full_year(int y, int digits)
{
    if (digits == 4)
        return y;
    if (digits == 2)
        return y < 70 ? 2000 + y : 1900 + y;
    return -1;
}

/* Skip at most one space at p[*i]. */
static void skip_space(const char *p, size_t len, size_t *i)
{
    if (*i < len && p[*i] == ' ')
        (*i)++;
}

/* Try a date starting at digit p[s]; true with y/m/d and the end in *e. */
static bool date_at(const char *p, size_t len, size_t s, int *y, int *m, int *d, size_t *e)
{
    size_t i = s;
    int n1d = 0, n2d = 0, n3d = 0;
    int n1 = read_num(p, len, &i, 4, &n1d);
    if (n1 < 0)
        return false;
    if (n1d == 4 && i + 1 < len && p[i] == '-') { /* ISO 2018-02-23 */
        i++;
        int mo = read_num(p, len, &i, 2, &n2d);
        if (mo < 0 || n2d != 2 || i >= len || p[i] != '-')
            return false;
        i++;
        int da = read_num(p, len, &i, 2, &n3d);
        if (da < 0 || n3d != 2 || !valid_ymd(n1, mo, da))
            return false;
        *y = n1, *m = mo, *d = da, *e = i;
        return true;
    }
    if (n1d > 2)
        return false;
    bool dot = i < len && p[i] == '.';
    if (dot)
        i++;
    skip_space(p, len, &i);
    if (i < len && isdigit((unsigned char)p[i]) && dot) { /* 23.02.2018, 27.8.2010, 23.02.18 */
        int mo = read_num(p, len, &i, 2, &n2d);
        if (mo < 0 || i >= len || p[i] != '.')
            return false;
        i++;
        skip_space(p, len, &i);
        int yr = read_num(p, len, &i, 4, &n3d);
        yr = yr < 0 ? -1 : full_year(yr, n3d);
        if (yr < 0 || !valid_ymd(yr, mo, n1))
            return false;
        *y = yr, *m = mo, *d = n1, *e = i;
        return true;
    }
    int mo = i < len && isalpha((unsigned char)p[i]) ? read_month(p, len, &i) : 0;
    if (mo == 0)
        return false;
    while (i < len && p[i] == ' ')
        i++;
    int yr = read_num(p, len, &i, 4, &n3d);
    if (yr < 0 || n3d != 4 || !valid_ymd(yr, mo, n1))
        return false;
    *y = yr, *m = mo, *d = n1, *e = i;
    return true;
}

motesok_status motesok_parse_date(const char *text, size_t len, int *year, int *month, int *day,
                                  size_t *start, size_t *mlen)
{
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)text[i]))
            continue;
        if (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
                      text[i - 1] == '/' || text[i - 1] == '-'))
            continue;
        size_t e = 0;
        int y = 0, m = 0, d = 0;
        if (date_at(text, len, i, &y, &m, &d, &e)) {
            *year = y, *month = m, *day = d;
            if (start != NULL)
                *start = i;
            if (mlen != NULL)
                *mlen = e - i;
            return MOTESOK_OK;
        }
        while (i + 1 < len && isdigit((unsigned char)text[i + 1]))
            i++; /* skip the rest of this number */
    }
    return MOTESOK_ERR_NOT_FOUND;
}

/* ======================================================================== */
/* query dates                                                              */
/* ======================================================================== */

/* The number written by the n digits at s, or -1 if one is not a digit. */
static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Split a query date s (n bytes) into year, month and day (0 when the
 * form leaves them out); false if s has none of the forms. */
static bool split_query_date(const char *s, size_t n, int *y, int *m, int *d)
{
    *y = digits_value(s, 4 <= n ? 4 : 0);
    *m = *d = 0;
    if (n == 4)
        return *y >= 0;
    if (n == 8) { /* YYYYMMDD */
        *m = digits_value(s + 4, 2);
        *d = digits_value(s + 6, 2);
    } else if ((n == 7 || n == 10) && s[4] == '-') { /* YYYY-MM, YYYY-MM-DD */
        *m = digits_value(s + 5, 2);
        if (n == 10)
            *d = s[7] == '-' ? digits_value(s + 8, 2) : -1;
    } else {
        return false;
    }
    return *y >= 0 && *m >= 0 && *d >= 0;
}

/* y-m-d (y <= 9999) as YYYYMMDD into out[9]. */
static void put_ymd(char out[9], int y, int m, int d)
{
    int v[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, d / 10, d % 10};
    for (int i = 0; i < 8; i++)
        out[i] = (char)('0' + v[i]);
    out[8] = '\0';
}

bool msk_query_date(const char *s, size_t n, char lo[9], char hi[9])
{
    int y = 0, m = 0, d = 0;
    lo[0] = hi[0] = '\0';
    if (s == NULL || n < 4 || !split_query_date(s, n, &y, &m, &d))
        return false;
    bool whole_year = n == 4, whole_month = n == 7;
    if (y < 1 || (!whole_year && (m < 1 || m > 12)))
        return false;
    if (!whole_year && !whole_month && (d < 1 || d > month_days(y, m)))
        return false;
    int m_lo = whole_year ? 1 : m, m_hi = whole_year ? 12 : m;
    int d_lo = whole_year || whole_month ? 1 : d;
    int d_hi = whole_year || whole_month ? month_days(y, m_hi) : d;
    put_ymd(lo, y, m_lo, d_lo);
    put_ymd(hi, y, m_hi, d_hi);
    return true;
}

bool msk_query_month_named(const char *text, char lo[9], char hi[9])
{
    lo[0] = hi[0] = '\0';
    const size_t n = text != NULL ? strlen(text) : 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char before = i > 0 ? (unsigned char)text[i - 1] : ' ';
        if (!isalpha((unsigned char)text[i]) || isalnum(before) || before >= 0x80)
            continue; /* (a word's start: no letter of UTF-8 before it) */
        size_t e = i;
        while (e < n && isalpha((unsigned char)text[e]))
            e++;
        /* a month's full name (mai is the only one of three letters), not
         * an abbreviation, nor one with a dot; then a year of four digits */
        size_t y = i;
        const int month = read_month(text, n, &y);
        if (month == 0 || y != e || (e - i < 4 && month != 5))
            continue;
        while (y < n && text[y] == ' ')
            y++;
        int digits = 0;
        const int year = y > e ? read_num(text, n, &y, 4, &digits) : -1;
        if (digits != 4 || year < 1900 || year > 2099 || (y < n && isalpha((unsigned char)text[y])))
            continue;
        put_ymd(lo, year, month, 1);
        put_ymd(hi, year, month, month_days(year, month));
        return true;
    }
    return false;
}

msk_date_range msk_query_date_range(const char *from, const char *to, char lo[9], char hi[9])
{
    char ignore[9];
    lo[0] = hi[0] = '\0';
    if (from == NULL && to == NULL)
        return MSK_DATES_OPEN;
    if (from != NULL && !msk_query_date(from, strlen(from), lo, ignore))
        return MSK_DATES_BAD_FROM;
    if (to != NULL && !msk_query_date(to, strlen(to), ignore, hi)) {
        lo[0] = '\0';
        return MSK_DATES_BAD_TO;
    }
    if (from != NULL && to != NULL && strcmp(lo, hi) > 0) {
        lo[0] = hi[0] = '\0';
        return MSK_DATES_REVERSED;
    }
    return MSK_DATES_OK;
}
