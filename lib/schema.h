/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Møtesøk — how a meeting is laid out in the Xapian index.
 * Shared by the indexer (lib/index.c) and search (lib/search.c), so that
 * everything needed to render a hit is reachable from the Xapian document.
 *
 * A file is cut into disjoint passages that together hold its whole text:
 * the preamble (before the first case) and each case, or each page when
 * no case structure is found. Each passage is one Xapian document, unique
 * term Q<id>:<n> (n from 0), carrying the file's metadata as values and
 * boolean terms; no word of the file is indexed twice. The file's title
 * and organ words go with passage 0 only.
 *
 * Document data: one line of compact JSON metadata, a newline, then the
 * passage's own text (form feeds, '\f', where pages break). The JSON object
 * holds the file's "id", "kind" ("preamble", "case" or "page"), "path",
 * "title", "mime", "encoding", "pages" (count), "size", "mtime" (seconds),
 * "organ", "kommune", "date" (YYYY-MM-DD), and the passage's "passage" (n),
 * "passages" (count), "page" (1-based page the passage starts on) and, for
 * a case, "case": {"number", "key", "title", "proposal", "decision",
 * "vote": {"outcome" ("enstemmig", "flertall" or null), "for", "against"}};
 * passage 0 also the
 * meeting's "place", "present", "absent", "referent". Null for what is
 * unknown.
 */
#ifndef MOTESOK_SCHEMA_H
#define MOTESOK_SCHEMA_H

/* Value slots. */
#define MOTESOK_SLOT_DATE   0u /* "YYYYMMDD", sortable */
#define MOTESOK_SLOT_ORGAN  1u /* organ display name */
#define MOTESOK_SLOT_YEAR   2u /* "YYYY" */
#define MOTESOK_SLOT_KIND   3u /* "preamble", "case" or "page" */
#define MOTESOK_SLOT_PARENT 4u /* id of the meeting document (collapse key) */
#define MOTESOK_SLOT_KOMMUNE 5u /* municipality or county name */
/* The meeting (collapse key of searches): the id of the file itself, or for
 * the file of a pair of twins (lib/twins.h) that is not shown first, the id
 * of the one that is, so that both collapse into one hit. */
#define MOTESOK_SLOT_MEETING 6u

/* Term prefixes. */
#define MOTESOK_PREFIX_ID       "Q"  /* unique id term: Q<id> */
#define MOTESOK_PREFIX_PARENT   "XP" /* every passage of one file: XP<id> */
#define MOTESOK_PREFIX_TITLE    "S"  /* title words (free text) */
#define MOTESOK_PREFIX_ORGAN    "XO" /* organ words (free text, every passage) */
#define MOTESOK_PREFIX_ORGANF   "XB" /* organ filter: XB<case-folded name> */
#define MOTESOK_PREFIX_CASE     "XC" /* case number as written, its key, title words */
#define MOTESOK_PREFIX_KOMMUNE  "XN" /* kommune words (free text, every passage) */
#define MOTESOK_PREFIX_KOMMUNEF "XM" /* kommune filter: XM<case-folded name> */
#define MOTESOK_PREFIX_DECISION "XV" /* decision text words */
#define MOTESOK_PREFIX_KIND     "XK" /* XKpreamble / XKcase / XKpage; XKdecision: a case with a decision */
#define MOTESOK_PREFIX_PART     "XD" /* stem of a part of a body-text compound: XD<stem> */
/* Twins (lib/twins.h): the passages of the file of a pair that is not
 * shown first carry the term XH<id> (and its twin's id in SLOT_MEETING). */
#define MOTESOK_PREFIX_HIDDENF  "XH"

/* Metadata keys in the Xapian database. */
#define MOTESOK_META_BATCH  "motesok:batch"  /* last committed batch number */
#define MOTESOK_META_SCHEMA "motesok:schema" /* layout version */
#define MOTESOK_SCHEMA_VERSION "2"         /* passages in shards */
/* The analysis the documents were built with: "VERSION:FINGERPRINT" of the
 * code and of data/norsk + hunspell-no; set when a whole run ends. */
#define MOTESOK_META_ANALYSIS "motesok:analysis"

/* Separator between pages in the stored text. */
#define MOTESOK_PAGE_SEP '\f'

/* File names inside the index directory: the store, and the Xapian stub
 * listing the shards (shards/0 … shards/N-1), which any Xapian program
 * opens as one database. */
#define MOTESOK_STORE_FILE "meta.sqlite3"
#define MOTESOK_XAPIAN_STUB "shards.stub"

#endif
