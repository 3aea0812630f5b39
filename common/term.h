/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the programs (motesok, motesok-index): text made safe to print
 * on a terminal or into a line-based log. */
#ifndef MSK_COMMON_TERM_H
#define MSK_COMMON_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* Copy s[0..len) into out (cap bytes, always NUL-terminated, cut at a
 * whole escape) so that printing it cannot move the cursor, recolour,
 * retitle or forge a line: control characters (C0, DEL, C1) and bytes that
 * are not UTF-8 become \xNN (an escape made once is not made again: a
 * backslash stays as it is); printable UTF-8 stays,
 * and so do newline and tab when keep_lines (running text, not a name).
 * Returns the length written. */
size_t msk_term_escape(const char *s, size_t len, char *out, size_t cap, bool keep_lines);

/* msk_term_escape of the NUL-terminated s into a malloc'd string (caller
 * frees), NULL on allocation failure. */
char *msk_term_escaped(const char *s, bool keep_lines);

#endif
