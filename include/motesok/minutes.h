/* Møtesøk — the structure of meeting minutes: meeting metadata, cases
 * (saker) and decisions (vedtak), read from the extracted text.
 *
 * Pure functions over text: no I/O, no shared state, thread-safe. Every
 * input is handled in time linear in its length; text that holds no
 * recognisable structure gives a result with no cases (the whole document
 * then stands for itself), never an error.
 *
 * Life cycle: motesok_minutes_parse → read the struct → motesok_minutes_free.
 */
#ifndef MOTESOK_MINUTES_H
#define MOTESOK_MINUTES_H

#include "motesok/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One case (sak) of a meeting. Strings are owned by the minutes. */
typedef struct motesok_case {
    char *number;       /* as written, spacing normalised: "06/2018", "49/10", "1" */
    char *title;        /* may be "" */
    char *decision;     /* decision text, NULL if the case records none */
    size_t start, end;  /* byte range of the case in the pages joined by '\f' */
    size_t page_first;  /* 1-based page of the heading */
    size_t page_last;   /* 1-based page where the case ends */
} motesok_case;

/* A parsed meeting. Strings are NULL when not found. */
typedef struct motesok_minutes {
    char *organ;        /* display name, e.g. "Regionrådet for Hallingdal" */
    char date[11];      /* meeting date "YYYY-MM-DD", or "" */
    char *place;        /* Sted / Møtestad */
    char *present;      /* who attended, as listed */
    char *absent;       /* Forfall, as listed */
    char *referent;     /* minute-taker */
    motesok_case *cases;
    size_t n_cases;
} motesok_minutes;

/* Parse the structure of minutes given as n pages of UTF-8 text. */
MOTESOK_API motesok_status motesok_minutes_parse(const char *const *pages,
                                                 const size_t *page_lens,
                                                 size_t n_pages,
                                                 motesok_minutes **out,
                                                 motesok_error *err);

/* Release parsed minutes (NULL is fine). */
MOTESOK_API void motesok_minutes_free(motesok_minutes *m);

/* Find the first valid calendar date in text, in any common Norwegian form
 * (23.02.2018, 27.8.2010, 23.02.18, 23. februar 2018, 4. DESEMBER 2018,
 * 2018-02-23, Bokmål and Nynorsk month names). start and mlen (may be
 * NULL) receive the match; ERR_NOT_FOUND when there is none. */
MOTESOK_API motesok_status motesok_parse_date(const char *text, size_t len,
                                              int *year, int *month, int *day,
                                              size_t *start, size_t *mlen);

#ifdef __cplusplus
}
#endif
#endif
