#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Write a table of compounds and their parts, data/norsk/compounds.txt's
# format, from the morphological analysers of Debian's apertium-nno-nob
# package (GPL-2+): the build runs it into the build tree; the table is
# never kept in the sources.
# Usage: scripts/gen-compound-splits.sh OUTPUT [ANALYSER...]
#   ANALYSER: compiled analysers read by lt-proc (package lttoolbox); by
#   default nob-nno.automorf.bin (Bokmål) and nno-nob.automorf.bin
#   (Nynorsk) of /usr/share/apertium/apertium-nno-nob.
# The words analysed: the lower-case entries of eight letters or more of the
# hunspell-no dictionaries (/usr/share/hunspell/nb_NO.dic, nn_NO.dic), the
# base forms the analyser itself knows (their inflected forms find their
# entry by their ending). Kept: the words an analyser takes as compounds
# (parts tagged <cmp>), split as the best analysis says (see below).
# Exit 0 on success, 1 on error (nothing written).
set -euo pipefail

usage() { sed -n '3,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
case ${1:-} in
-h | --help) usage; exit 0 ;;
"") usage >&2; exit 1 ;;
esac
out=$1
shift
dir=/usr/share/apertium/apertium-nno-nob
bins=("$@")
[[ ${#bins[@]} -gt 0 ]] || bins=("$dir/nob-nno.automorf.bin" "$dir/nno-nob.automorf.bin")
for b in "${bins[@]}"; do
    [[ -r $b ]] || { echo "gen-compound-splits: cannot read $b (package apertium-nno-nob)" >&2; exit 1; }
done
command -v lt-proc >/dev/null || { echo "gen-compound-splits: lt-proc not found (package lttoolbox)" >&2; exit 1; }
export LC_ALL=C.UTF-8

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The vocabulary: dictionary entries (the part before the flags), lower
# case, letters only, eight letters or more (shorter words are rarely
# compounds of two parts of three letters or more, and the splitter of
# lib/analysis/norsk.c handles them).
for d in nb_NO nn_NO; do
    f=/usr/share/hunspell/$d.dic
    [[ -r $f ]] || continue
    iconv -f ISO-8859-1 -t UTF-8 "$f" | tail -n +2 | sed 's,/.*,,'
done | grep -E '^[[:lower:]]{8,}$' | sort -u >"$tmp/words" || true
[[ -s $tmp/words ]] || { echo "gen-compound-splits: no words in /usr/share/hunspell/n[bn]_NO.dic (package hunspell-no)" >&2; exit 1; }

# lt-proc prints ^surface/analysis/analysis...$ per word; a compound's
# analysis is lemma<tags><cmp>+lemma<tags>...: one candidate split per
# analysis. The parts are found in the surface word: each but the last is
# its lemma (or the lemma less a final e: bygge → byggsak is rare, but
# Nynorsk drops it), followed by an optional linking s or e, which is
# left out; the last is the rest of the word. Candidates whose lemmas are
# not in the word, or with a part shorter than three letters, are dropped.
# Printed: word, number of parts, of linking letters, letters of the
# longest part, the parts.
for b in "${bins[@]}"; do
    lt-proc -e "$b" <"$tmp/words"
done | awk '
function starts(s, p) { return p != "" && substr(s, 1, length(p)) == p }
{
    line = $0
    while ((i = index(line, "^")) > 0) {
        line = substr(line, i + 1)
        j = index(line, "$"); if (j == 0) break
        tok = substr(line, 1, j - 1); line = substr(line, j + 1)
        n = split(tok, an, "/")
        word = an[1]
        for (a = 2; a <= n; a++) {
            if (substr(an[a], 1, 1) == "*") continue
            np = split(an[a], part, "+")
            if (np < 2 || np > 4) continue
            ok = 1; rest = word; out = ""; longest = 0; links = 0
            for (p = 1; p <= np && ok; p++) {
                k = index(part[p], "<"); lemma = k > 1 ? substr(part[p], 1, k - 1) : ""
                if (lemma == "" || lemma !~ /^[[:lower:]]+$/) { ok = 0; break }
                if (p < np) {
                    if (index(part[p], "<cmp>") == 0) { ok = 0; break }
                    if (starts(rest, lemma)) s = lemma
                    else if (lemma ~ /e$/ && starts(rest, substr(lemma, 1, length(lemma) - 1))) s = substr(lemma, 1, length(lemma) - 1)
                    else { ok = 0; break }
                    rest = substr(rest, length(s) + 1)
                    # a linking s or e, unless the next lemma begins here
                    k = index(part[p + 1], "<"); nl = substr(part[p + 1], 1, k - 1)
                    c = substr(rest, 1, 1)
                    if ((c == "s" || c == "e") && !starts(rest, substr(nl, 1, 3)) &&
                        starts(substr(rest, 2), substr(nl, 1, 2))) {
                        rest = substr(rest, 2); links++
                    }
                } else {
                    s = rest
                    # the last part keeps the lemma'"'"'s beginning (not a stray letter)
                    if (!starts(s, substr(lemma, 1, 2))) { ok = 0; break }
                }
                if (length(s) < 3) { ok = 0; break }
                if (length(s) > longest) longest = length(s)
                out = out " " s
            }
            if (ok) print word, np, links, longest out
        }
    }
}' | sort -u >"$tmp/cand"

# The best candidate per word: fewest parts, then the most linking letters
# (beredskap|s|vakt rather than beredskap|svakt, an adjective), then the
# longest longest part (kommunestyre|møte rather than kommune|styremøte),
# then the first in byte order.
sort -k1,1 -k2,2n -k3,3nr -k4,4nr "$tmp/cand" |
    awk '$1 != last { last = $1; $2 = $3 = $4 = ""; gsub(/  +/, " "); print }' \
    >"$tmp/table"
[[ -s $tmp/table ]] || { echo "gen-compound-splits: no compounds found by ${bins[*]}" >&2; exit 1; }
n=$(wc -l <"$tmp/table")
words=$(wc -l <"$tmp/words")

version=$(dpkg-query -W -f '${Version}' apertium-nno-nob 2>/dev/null || echo unknown)
{
    echo "# Compounds and their parts for the Møtesøk analyser, generated at build"
    echo "# time by scripts/gen-compound-splits.sh with the analysers"
    for b in "${bins[@]}"; do echo "# $b"; done
    echo "# of Debian's apertium-nno-nob $version (the Apertium project; copyright in"
    echo "# /usr/share/doc/apertium-nno-nob/copyright). Licence: GPL-2+, as"
    echo "# apertium-nno-nob. Not part of Møtesøk's sources."
    echo "# $n compounds among $words dictionary words of eight letters or more."
    echo "# Format: as data/norsk/compounds.txt, \"word part part...\" per line."
    cat "$tmp/table"
} >"$tmp/out"
mkdir -p "$(dirname "$out")"
mv "$tmp/out" "$out"
echo "gen-compound-splits: $n compounds (of $words words) in $out"
