#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare the minutes structure motesokd serves for each scanned minutes
book with the structure it serves for the book's typed twin.

Usage: structure.py --scan URL --typed URL --seeds DIR --scans DIR --typed-dir DIR [-v]

The scans (SCANS/NAME.pdf) and the typed twins (TYPED/NAME.pdf) of every
SEEDS/NAME.txt are in two indexes, each served by a motesokd: in one index
a scan and its twin would be paired as one meeting. Each file's document
id is found through a search (words of its seed text that no other seed
has, until a hit holds the file), then its structure is read with
GET /api/v1/documents/{id}: organ, date and the cases.

A case of the typed twin matches when the scan has a case with the same
key (the case number as the minutes reader normalises it, "4/2018") and
  - the titles are equal once case-folded with runs of white space made
    one space, or their similarity (difflib's ratio) is at least 0.9;
  - the adopted decisions are both absent, or both present and equal or
    at least 0.9 similar, normalised as the titles;
  - the votes are both absent, or have the same outcome, for and against.
A case only the scan has (a number OCR made up) counts as a mismatch too:
the share is matching cases / (the twin's cases + the scan's extra cases).
Organ (normalised as the titles) and date are compared per book.

Prints one line per book, the mismatches (-v: every case), and a last line
"cases: M of N match (P%)"; exits 0, or 1 when a file cannot be found or
read (the figures are then not printed).
"""
import argparse
import difflib
import json
import os
import re
import sys
import urllib.parse
import urllib.request

SIMILAR = 0.9


def get(url):
    """The JSON answer to a GET of url."""
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.load(r)


def norm(s):
    """s case-folded, runs of white space one space, ends trimmed ("" for None)."""
    return " ".join((s or "").casefold().split())


def similar(a, b):
    """True if a and b are equal or at least SIMILAR alike once normalised."""
    a, b = norm(a), norm(b)
    if a == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def words_of(path):
    """The words of 7+ letters of a text file, lower case, with their counts."""
    counts = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for w in re.findall(r"[^\W\d_]{7,}", f.read().casefold()):
            counts[w] = counts.get(w, 0) + 1
    return counts


def own_words(seeds):
    """For each seed, its words no other seed has, most frequent first."""
    counts = {s: words_of(s) for s in seeds}
    out = {}
    for s, c in counts.items():
        others = set()
        for t, d in counts.items():
            if t != s:
                others.update(d)
        own = [w for w in c if w not in others]
        own.sort(key=lambda w: (-c[w], w))
        out[s] = own
    return out


def find_id(url, path, words):
    """The id of the document of file path in the index url serves, found by
    searching its own words a few at a time; None if no search finds it."""
    path = os.path.realpath(path)
    for i in range(0, min(len(words), 40), 5):
        q = " OR ".join(words[i:i + 5])
        ans = get(url + "/api/v1/search?" + urllib.parse.urlencode({"q": q, "limit": 100}))
        for h in ans.get("hits", []):
            for f in h.get("files") or [{"id": h["id"], "path": h["path"]}]:
                if f.get("path") == path:
                    return f["id"]
    return None


def vote_text(v):
    """A vote as text, "-" for none."""
    if not v:
        return "-"
    return "%s %s-%s" % (v.get("outcome"), v.get("for"), v.get("against"))


def short(s, n=70):
    """s normalised and cut to n characters."""
    s = norm(s)
    return s if len(s) <= n else s[:n - 1] + "…"


def compare_case(t, s):
    """The fields (title, decision, vote) in which scanned case s differs
    from typed case t."""
    bad = []
    if not similar(t.get("title"), s.get("title")):
        bad.append("title")
    td, sd = norm(t.get("decision")), norm(s.get("decision"))
    if bool(td) != bool(sd) or (td and not similar(td, sd)):
        bad.append("decision")
    if vote_text(t.get("vote")) != vote_text(s.get("vote")):
        bad.append("vote")
    return bad


def case_key(c):
    """A case's key (its normalised number), else its number."""
    return c.get("key") or norm(c.get("number"))


def compare_book(name, typed, scan, verbose, out):
    """Compare one book; returns (cases matching, cases counted)."""
    organ_ok = norm(typed.get("organ")) == norm(scan.get("organ"))
    date_ok = typed.get("date") == scan.get("date")
    tcases = typed.get("cases") or []
    scases = {}
    for c in scan.get("cases") or []:
        scases.setdefault(case_key(c), c)
    tkeys = {case_key(c) for c in tcases}
    extra = [k for k in scases if k not in tkeys]
    ok = 0
    lines = []
    for t in tcases:
        k = case_key(t)
        s = scases.get(k)
        if s is None:
            lines.append("  %s: missing in the scan (typed title: %s)" % (k, short(t.get("title"))))
            continue
        bad = compare_case(t, s)
        ok += not bad
        for f in bad:
            if f == "vote":
                tv, sv = vote_text(t.get("vote")), vote_text(s.get("vote"))
            else:
                tv, sv = short(t.get(f)), short(s.get(f))
            lines.append("  %s: %s differs: typed «%s» · scan «%s»" % (k, f, tv, sv))
        if verbose and not bad:
            lines.append("  %s: ok (%s)" % (k, short(t.get("title"), 50)))
    for k in extra:
        lines.append("  %s: only in the scan (title: %s)" % (k, short(scases[k].get("title"))))
    n = len(tcases) + len(extra)
    out.append("%s: organ %s (%s%s), date %s (%s%s), cases %d typed / %d scanned, %d of %d match"
               % (name, "same" if organ_ok else "DIFFERS", typed.get("organ"),
                  "" if organ_ok else " · scan: %s" % scan.get("organ"),
                  "same" if date_ok else "DIFFERS", typed.get("date"),
                  "" if date_ok else " · scan: %s" % scan.get("date"),
                  len(tcases), len(scases), ok, n))
    out.extend(lines)
    return ok, n, organ_ok, date_ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scan", required=True, help="motesokd serving the scans' index")
    ap.add_argument("--typed", required=True, help="motesokd serving the typed twins' index")
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--scans", required=True)
    ap.add_argument("--typed-dir", required=True)
    ap.add_argument("-v", action="store_true", help="list every case")
    a = ap.parse_args()
    seeds = sorted(os.path.join(a.seeds, f) for f in os.listdir(a.seeds) if f.endswith(".txt"))
    own = own_words(seeds)
    out = []
    ok = n = organs = dates = 0
    for seed in seeds:
        name = os.path.basename(seed)[:-4]
        docs = []
        for url, folder in ((a.typed, a.typed_dir), (a.scan, a.scans)):
            path = os.path.join(folder, name + ".pdf")
            doc_id = find_id(url, path, own[seed])
            if doc_id is None:
                print("structure.py: no search finds %s" % path, file=sys.stderr)
                return 1
            docs.append(get(url + "/api/v1/documents/" + doc_id))
        o, m, organ_ok, date_ok = compare_book(name, docs[0], docs[1], a.v, out)
        ok, n = ok + o, n + m
        organs += organ_ok
        dates += date_ok
    print("\n".join(out))
    print("books: %d; organ the same in %d, date the same in %d" % (len(seeds), organs, dates))
    print("cases: %d of %d match (%.1f%%)" % (ok, n, 100.0 * ok / n if n else 0.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
