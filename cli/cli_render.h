/* SPDX-License-Identifier: GPL-2.0-or-later */
/* motesok CLI: turning the daemon's JSON into text for people. */
#ifndef CLI_RENDER_H
#define CLI_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* How to draw: bold marks on a colour terminal, wrap width. */
typedef struct cli_style {
    bool bold;  /* <mark> as ANSI bold (else plain text) */
    int width;  /* wrap snippets at this many columns */
    bool long_text; /* a hit's whole decision (else one line, cut at a word) */
} cli_style;

/* Snippet HTML (escaped text with <mark>…</mark>) as terminal text:
 * entities decoded, marks bold or dropped. Caller frees. */
char *cli_snippet_text(const char *html, bool bold);

/* Print a search response: a heading with the total and the hits shown
 * ("viser 1–10"), each hit with its id, then the facets. */
void cli_render_search(FILE *out, json_t *res, const cli_style *st);

/* Print the values of one facet of a search response ("organ", "kommune",
 * "year") with their counts, one per line, most frequent first. */
void cli_render_facet_list(FILE *out, json_t *res, const char *facet);

/* text cut to at most cols columns at a word end, "…" marking a cut, into a
 * new string (caller frees); a first word longer than cols is cut inside. */
char *cli_one_line(const char *text, int cols);

/* Print a document's metadata and its cases. */
void cli_render_document(FILE *out, json_t *doc, const cli_style *st);

/* Print one page (or all) of a document's text. */
void cli_render_text(FILE *out, json_t *text);

/* Print the index status. */
void cli_render_status(FILE *out, json_t *status);

/* Print the files that could not be indexed (a /api/v1/failures answer):
 * one per line, path then status, reason and message, names escaped. */
void cli_render_failures(FILE *out, json_t *list);

/* The message of an error object {"error":{"code","message"}}, or NULL. */
const char *cli_error_message(json_t *body, const char **code);

#endif
