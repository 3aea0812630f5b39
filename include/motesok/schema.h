/* Møtesøk — how a meeting document is laid out in the Xapian index.
 * Shared by the indexer (lib/index.c) and search (lib/search.c), so that
 * everything needed to render a hit is reachable from the Xapian document.
 *
 * Document data: one line of compact JSON metadata, a newline, then the
 * text with pages separated by form feeds ('\f'). The JSON object holds:
 *   "id", "kind" ("document"), "path", "title", "mime", "encoding",
 *   "pages" (count), "size", "mtime" (seconds), "organ", "date" (YYYY-MM-DD)
 * with null for what is unknown.
 */
#ifndef MOTESOK_SCHEMA_H
#define MOTESOK_SCHEMA_H

/* Value slots. */
#define MOTESOK_SLOT_DATE   0u /* "YYYYMMDD", sortable */
#define MOTESOK_SLOT_ORGAN  1u /* organ display name */
#define MOTESOK_SLOT_YEAR   2u /* "YYYY" */
#define MOTESOK_SLOT_KIND   3u /* "document" or "case" */
#define MOTESOK_SLOT_PARENT 4u /* id of the meeting document (collapse key) */

/* Term prefixes. */
#define MOTESOK_PREFIX_ID       "Q"  /* unique id term: Q<id> */
#define MOTESOK_PREFIX_PARENT   "XP" /* every Xapian doc of one file: XP<id> */
#define MOTESOK_PREFIX_TITLE    "S"  /* title words (free text) */
#define MOTESOK_PREFIX_ORGAN    "XO" /* organ words (free text) */
#define MOTESOK_PREFIX_ORGANF   "XB" /* organ filter: XB<case-folded name> */
#define MOTESOK_PREFIX_CASE     "XC" /* case number / title words */
#define MOTESOK_PREFIX_DECISION "XV" /* decision text words */
#define MOTESOK_PREFIX_KIND     "XK" /* XKdocument / XKcase; XKdecision: a case with a decision */

/* Metadata keys in the Xapian database. */
#define MOTESOK_META_BATCH  "motesok:batch"  /* last committed batch number */
#define MOTESOK_META_SCHEMA "motesok:schema" /* layout version, "1" */
/* The analysis the documents were built with: "VERSION:FINGERPRINT" of the
 * code and of data/norsk + hunspell-no; set when a whole run ends. */
#define MOTESOK_META_ANALYSIS "motesok:analysis"

/* Separator between pages in the stored text. */
#define MOTESOK_PAGE_SEP '\f'

/* File names inside the index directory. */
#define MOTESOK_XAPIAN_DIR "xapian"
#define MOTESOK_STORE_FILE "meta.sqlite3"

#endif
