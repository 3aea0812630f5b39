/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "internal.h" /* MSK_INTERNAL */

#ifdef __cplusplus
extern "C" {
#endif

/* How a case was voted on. */
typedef enum motesok_vote_outcome {
    MOTESOK_VOTE_NONE = 0,   /* no vote stated */
    MOTESOK_VOTE_UNANIMOUS,  /* enstemmig, samrøystes, einstemmig */
    MOTESOK_VOTE_MAJORITY,   /* adopted by a majority ("15 mot 12 stemmer") */
} motesok_vote_outcome;

/* The stated vote of a case; counts are -1 when the minutes do not give them. */
typedef struct motesok_vote {
    motesok_vote_outcome outcome;
    int votes_for;
    int votes_against;
} motesok_vote;

/* One case (sak) of a meeting. Strings are owned by the minutes. */
typedef struct motesok_case {
    char *number;       /* as written, spacing normalised: "06/2018", "PS 19/1", "RS 3/19", "1" */
    char *key;          /* normalised (see motesok_case_key): "6/2018", "RS 3/2019", "1" */
    char *title;        /* may be "" */
    char *proposal;     /* innstilling / forslag til vedtak / framlegg / tilråding, or NULL */
    char *decision;     /* the ADOPTED decision, or NULL (a proposal alone is not one);
                         * when the proposal was adopted as it stood, its text */
    motesok_vote vote;  /* outcome NONE when no vote is stated */
    size_t start, end;  /* byte range of the case in the pages joined by '\f' */
    size_t page_first;  /* 1-based page of the heading */
    size_t page_last;   /* 1-based page where the case ends */
} motesok_case;

/* A parsed meeting. Strings are NULL when not found (or the evidence is weak). */
typedef struct motesok_minutes {
    char *organ;        /* the body that met, e.g. "Regionrådet for Hallingdal" */
    char *kommune;      /* municipality or county, bare name: "Ringsaker", "Vestland" */
    char date[11];      /* meeting date "YYYY-MM-DD", or "" */
    float organ_conf;   /* 0..1: how sure the reader is of organ (0 when NULL) */
    float kommune_conf; /* 0..1, likewise for kommune */
    float date_conf;    /* 0..1, likewise for date */
    char *place;        /* Sted / Møtestad */
    char *present;      /* who attended, as listed */
    char *absent;       /* Forfall, as listed */
    char *referent;     /* minute-taker */
    motesok_case *cases;
    size_t n_cases;
} motesok_minutes;

/* Parse the structure of minutes given as n pages of UTF-8 text. */
MSK_INTERNAL motesok_status motesok_minutes_parse(const char *const *pages,
                                                  const size_t *page_lens,
                                                  size_t n_pages,
                                                  motesok_minutes **out,
                                                  motesok_error *err);

/* Release parsed minutes (NULL is fine). */
MSK_INTERNAL void motesok_minutes_free(motesok_minutes *m);

/* A title for the meeting from its organ and date, with the kind of
 * document that its first lines name when they name one: "Kommunestyret
 * 12.03.2015 — møteprotokoll" (malloc'd); NULL when the organ or the date
 * is not known, or out of memory. first_page (len bytes) may be NULL. */
MSK_INTERNAL char *motesok_minutes_title(const motesok_minutes *m, const char *first_page,
                                         size_t len);

/* Normalise a case number as written or typed ("14/75", "2014/75", "075/14",
 * "PS 75/14", "sak 75/2014", "RS 3/19", "Sak nr.: 0001/00") into its key
 * "SERIAL/YYYY" ("75/2014"; "RS 3/2019" for the kept series RS, DS, FO; a
 * bare "3" stays "3"). A four-digit year wins wherever it stands. With two
 * two-digit parts, a part that is meeting_year's last two digits is the
 * year (then one within a year of it); with meeting_year 0 (unknown) the
 * second part is the year, unless it has one digit ("19/1": year first) or
 * only the first part reads as a year in 1990–2049 ("14/75"). Writes a
 * NUL-terminated key into out; ERR_NOT_FOUND when text holds no case
 * number, ERR_TOO_BIG when cap is too small. */
MSK_INTERNAL motesok_status motesok_case_key(const char *number_text, int meeting_year,
                                             char *out, size_t cap);

/* Find the first valid calendar date in text, in any common Norwegian form
 * (23.02.2018, 27.8.2010, 23.02.18, 23. februar 2018, 4. DESEMBER 2018,
 * 2018-02-23, Bokmål and Nynorsk month names). start and mlen (may be
 * NULL) receive the match; ERR_NOT_FOUND when there is none. */
MSK_INTERNAL motesok_status motesok_parse_date(const char *text, size_t len,
                                               int *year, int *month, int *day,
                                               size_t *start, size_t *mlen);

#ifdef __cplusplus
}
#endif
#endif
