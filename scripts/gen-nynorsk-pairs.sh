#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Write Nynorsk → Bokmål word pairs, in data/norsk/nynorsk.txt's format, from
# the bilingual dictionary of Debian's apertium-nno-nob package (GPL-2+): the
# build runs it into the build tree; the pairs are never kept in the sources.
# Usage: scripts/gen-nynorsk-pairs.sh OUTPUT [NNO-NOB [NOB-NNO]]
#   NNO-NOB: the compiled Nynorsk → Bokmål dictionary (default
#   /usr/share/apertium/apertium-nno-nob/nno-nob.autobil.bin); NOB-NNO: the
#   Bokmål → Nynorsk one (default nob-nno.autobil.bin beside it; "" for
#   none). lt-print (package lttoolbox-dev) reads them.
# Kept: base forms of nouns, verbs, adjectives and adverbs, single words of
# lower-case letters, where the two words differ, but no false friends (a
# Nynorsk word that is another Bokmål word, as told by NOB-NNO and by
# /usr/share/hunspell/nb_NO.dic: see below); sorted, no duplicates.
# Exit 0 on success, 1 on error (nothing written).
set -euo pipefail

usage() { sed -n '3,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
case ${1:-} in
-h | --help) usage; exit 0 ;;
"") usage >&2; exit 1 ;;
esac
out=$1
bin=${2:-/usr/share/apertium/apertium-nno-nob/nno-nob.autobil.bin}
nob_bin=${3-$(dirname "$bin")/nob-nno.autobil.bin}
nb_dic=/usr/share/hunspell/nb_NO.dic
[[ -r $bin ]] || { echo "gen-nynorsk-pairs: cannot read $bin (package apertium-nno-nob)" >&2; exit 1; }
command -v lt-print >/dev/null || { echo "gen-nynorsk-pairs: lt-print not found (package lttoolbox-dev)" >&2; exit 1; }
export LC_ALL=C.UTF-8

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# lt-print dumps the transducer as AT&T text: "from to input output weight"
# lines and "state weight" for final states, sections separated by "--".
# Every path from state 0 to a final state is one entry, "lemma<tag>...";
# states on a loop (patterns for numbers, punctuation, addresses, unknown
# names) are left out, so that the rest is finite.
# entries BIN: "lemma<first tag>" TAB "lemma<first tag>" per entry of BIN.
entries() {
lt-print "$1" | awk '
function strong(v,    i, w, k) {  # Tarjan: mark the states on a loop
    index_of[v] = lowlink[v] = ++counter
    stack[++sp] = v; on_stack[v] = 1
    for (i = 1; i <= nout[v]; i++) {
        w = dst[v SUBSEP i]
        if (w == v) loop[v] = 1
        if (!(w in index_of)) {
            strong(w)
            if (lowlink[w] < lowlink[v]) lowlink[v] = lowlink[w]
        } else if (on_stack[w] && index_of[w] < lowlink[v]) {
            lowlink[v] = index_of[w]
        }
    }
    if (lowlink[v] == index_of[v]) {
        k = 0
        do { w = stack[sp--]; on_stack[w] = 0; member[++k] = w } while (w != v)
        if (k > 1) for (i = 1; i <= k; i++) loop[member[i]] = 1
    }
}
function walk(s, in_s, out_s,    i, k, a, b) {
    if (s in loop) return
    # the lemmas and the first tag on each side are all that is used
    if (index(in_s, "<") && index(out_s, "<")) { print in_s "\t" out_s; return }
    if (s in final) print in_s "\t" out_s
    for (i = 1; i <= nout[s]; i++) {
        k = s SUBSEP i
        a = isym[k]; b = osym[k]
        if (a == "ε") a = ""
        if (b == "ε") b = ""
        walk(dst[k], in_s a, out_s b)
    }
}
function flush() {
    if (nlines > 0) { counter = sp = 0; strong(0); walk(0, "", "") }
    split("", nout); split("", dst); split("", isym); split("", osym); split("", final)
    split("", index_of); split("", lowlink); split("", on_stack); split("", loop)
    nlines = 0
}
BEGIN { FS = "\t" }
$0 == "--" { flush(); next }
NF >= 4 { k = $1 SUBSEP (++nout[$1]); dst[k] = $2; isym[k] = $3; osym[k] = $4; nlines++; next }
NF >= 1 && $1 != "" { final[$1] = 1; nlines++ }
END { flush() }'
}
entries "$bin" >"$tmp/entries"

# Lemma pairs by the first tag of the Nynorsk side: n, vblex, adj, adv.
awk -F'\t' '{
    i = index($1, "<"); j = index($2, "<")
    if (i < 2 || j < 2) next
    nn = substr($1, 1, i - 1); nb = substr($2, 1, j - 1)
    pos = substr($1, i); pos = substr(pos, 1, index(pos, ">"))
    if ((pos == "<n>" || pos == "<vblex>" || pos == "<adj>" || pos == "<adv>") && nn != nb)
        print nn, nb
}' "$tmp/entries" | grep -E '^[[:lower:]]+ [[:lower:]]+$' | sort -u >"$tmp/pairs" || true
[[ -s $tmp/pairs ]] || { echo "gen-nynorsk-pairs: no pairs in $bin" >&2; exit 1; }
all=$(wc -l <"$tmp/pairs")

# False friends, left out: a Nynorsk word that the Bokmål → Nynorsk
# dictionary beside it has as a Bokmål word with another Nynorsk form
# ("leie": to lead in Nynorsk, to rent in Bokmål, where Nynorsk says
# "leige"); and a Nynorsk word of the Bokmål hunspell dictionary paired
# with a Bokmål word more than two letters away ("lett enkelt", "litt noe":
# words of both standards that the dictionary swaps for a synonym), while
# spellings of one word ("heim hjem", "fram frem") stay.
filter=""
if [[ -n $nob_bin && -r $nob_bin ]]; then
    entries "$nob_bin" | awk -F'\t' '{
        i = index($1, "<"); j = index($2, "<")
        if (i > 1 && j > 1 && substr($1, 1, i - 1) != substr($2, 1, j - 1)) print substr($1, 1, i - 1)
    }' | sort -u >"$tmp/nob"
    awk 'NR == FNR { nob[$1] = 1; next } !($1 in nob)' "$tmp/nob" "$tmp/pairs" >"$tmp/kept"
    mv "$tmp/kept" "$tmp/pairs"
    filter="Bokmål words of $nob_bin with another Nynorsk form"
fi
if [[ -r $nb_dic ]]; then
    iconv -f ISO-8859-1 -t UTF-8 "$nb_dic" | tail -n +2 | sed 's,/.*,,' | tr '[:upper:]' '[:lower:]' |
        sort -u >"$tmp/nb" || true
    LC_ALL=C awk '
    function edits(a, b,    i, j, la, lb, d, c, x) {  # Levenshtein, by bytes
        la = length(a); lb = length(b)
        for (j = 0; j <= lb; j++) d[0, j] = j
        for (i = 1; i <= la; i++) {
            d[i, 0] = i
            for (j = 1; j <= lb; j++) {
                c = d[i - 1, j - 1] + (substr(a, i, 1) != substr(b, j, 1))
                x = d[i - 1, j] + 1; if (x < c) c = x
                x = d[i, j - 1] + 1; if (x < c) c = x
                d[i, j] = c
            }
        }
        return d[la, lb]
    }
    NR == FNR { nb[$1] = 1; next }
    !($1 in nb) || edits($1, $2) <= 2' "$tmp/nb" "$tmp/pairs" >"$tmp/kept"
    mv "$tmp/kept" "$tmp/pairs"
    filter="${filter:+$filter; }words of $nb_dic paired with a word more than two letters away"
fi
filter=${filter:-none}
kept=$(wc -l <"$tmp/pairs")

version=$(dpkg-query -W -f '${Version}' apertium-nno-nob 2>/dev/null || echo unknown)
{
    echo "# Nynorsk → Bokmål word pairs for the Møtesøk analyser, generated at build"
    echo "# time by scripts/gen-nynorsk-pairs.sh from the bilingual dictionary"
    echo "# $bin of Debian's apertium-nno-nob $version (the Apertium project;"
    echo "# copyright in /usr/share/doc/apertium-nno-nob/copyright)."
    echo "# Licence: GPL-2+, as apertium-nno-nob. Not part of Møtesøk's sources."
    echo "# $all pairs of base forms (nouns, verbs, adjectives, adverbs); $kept kept;"
    echo "# false friends: $filter."
    echo "# Format: as data/norsk/nynorsk.txt, \"nynorsk bokmål\" per line."
    cat "$tmp/pairs"
} >"$tmp/out"
mkdir -p "$(dirname "$out")"
mv "$tmp/out" "$out"
echo "gen-nynorsk-pairs: $kept pairs ($all before filtering) in $out"
