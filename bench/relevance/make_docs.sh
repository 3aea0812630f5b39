#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cut the five meetings of corpus/ (their .txt, not the PDF twins) into the
# passages of the relevance benchmark: one file per case (sak), or per agenda
# item or report section where the minutes number none, plus one for each
# meeting's preamble (attendance). The text is copied byte for byte; only
# the cuts are ours. Each cut is given as the line it starts at and the text
# that line must begin with (after no-break spaces and leading blanks are
# dropped), so a changed source file stops the script instead of shifting
# every passage silently.
#
# Usage: bench/relevance/make_docs.sh [OUTDIR]   (default bench/relevance/docs;
#        the .txt files already in OUTDIR are removed first)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$HERE/docs}

die() { printf 'make_docs: %s\n' "$*" >&2; exit 1; }

# One block per meeting: "= corpus-file slug", then one line per passage:
# first-line passage-suffix expected-start-of-that-line.
CUTS=$(cat <<'EOF'
= 2018-02-23-radmannsutvalget-referat.txt 2018-02-23-radmannsutvalget
1 preamble
21 04-2018 04/2018
29 05-2018 05/2018
52 06-2018 06/2018
196 orienteringer Orienteringer, diverse;
= 2017-06-01-radmannsgruppen-referat.txt 2017-06-01-radmannsgruppen
1 preamble Referat fra møte i Rådmannsgruppen
33 12-2017 Sak 12/2017
41 13-2017 Sak 13/2017
49 14-2017 Sak 14/2017
61 15-2017 Sak 15/2017
74 16-2017 Sak 16/2017
92 17-2017 Sak 17/2017
108 18-2016 Sak 18/2016
252 19-2016 Sak 19/2016
268 20-2016 Sak 20/2016
= 2018-09-18-rag-referat.txt 2018-09-18-rag
1 preamble Møtet gjaldt RAG
22 1 Sak 1 Tilbakemeldinger
196 arbeidsoppgaver Konkretisering av arbeidsoppgaver
229 informasjonsstrategi Informasjonsstrategi framover
269 lag LAG
300 delprosjekt Øvrige delprosjekt
317 moteplan Møteplan RAG
= 2018-12-04-kommunegruppenettverk-referat.txt 2018-12-04-kommunegruppenettverk
1 preamble
28 pasientforlop Kommunale pasientforløp versus
68 kompetanse Fremtidens kompetanse og rekruttering
110 topplederprogram 1) Topplederprogram
120 helseberedskap 2) Helseberedskap
146 leve-hele-livet ”Leve hele livet”
173 ks-fm Kort informasjon fra KS
193 utfordringsbilde Felles utfordringsbilde
= 2010-08-27-regionradet-for-hallingdal-motebok.txt 2010-08-27-regionradet
1 preamble UTSKRIFT AV MØTEBOK
19 49-10 SAK49/10
143 rapport-sammendrag Sammendrag
250 rapport-1 1. Innledning
277 rapport-1-1 1.1 Mål og rammer
328 rapport-1-2 1.2 Resultatmål
350 rapport-1-3 1.3 Rammer
368 rapport-1-4 1.4  Kommunehelsesamarbeidet
391 rapport-2 2. Historikk
455 rapport-2-1 2.1 Stortingsmelding nr 47
552 rapport-3 3. Metode og gjennomføring
601 rapport-4-1 4. Gjennomføring i henhold til prosjektplan
653 rapport-4-2 4.2 Kritiske suksessfaktorer
692 rapport-4-3 4.3 Forslag og tiltak
703 rapport-4-4 4.4 Forventet måloppnåelse
710 rapport-5 5. Hallingdal Lokalmedisinske Senter
941 rapport-5-1 5.1 Administrasjon og organisering
988 rapport-5-2 5.2 IKT, Telemedisin
1071 rapport-5-3 5.3 Kompetanse / Lærings- og mestringssenter
1099 rapport-5-4 5.4 Forebyggende tiltak
1130 rapport-5-5 5.5 Medisinskfaglig samarbeid
1194 rapport-5-6 5.6   Døgn og dagbehandling
1234 rapport-5-7 5.7   Rus og psykisk helsearbeid
1293 rapport-6 6 Behandlingskjeden
1376 rapport-7 7.  Økonomiske forhold
1475 rapport-8-1 8. Eierskap, organisering og styring
1545 rapport-8-2 8.2  Organisering
1673 rapport-9 9.  Framdriftsplan
1780 rapport-10 Sammenlignbare prosjekt
1809 rapport-10-roros Røros:
1836 rapport-10-dalane Egersund – Dalane DMS
1866 rapport-10-ringerike Ringerike Sykehus / Ringerike Kommune.
1888 rapport-10-fosen Fosen  - DMS
1917 rapport-10-drammen Drammen Geriatriske
1953 rapport-10-nord-gudbrandsdal Nord-Gubrandsdal - DMS
1994 rapport-10-valdres Valdres – DMS
2022 rapport-10-finnmark Sykestueprosjektet i Finnmark
2059 rapport-10-mo-i-rana Helseparken i Mo i Rana
2128 rapport-10-1 10.1 Erfaringer:
2163 rapport-11 11. Konklusjoner
2235 rapport-12 12. Vedlegg
2248 vedlegg-1 Vedlegg nr. 1
2329 vedlegg-2 Vedlegg 2 Oversikt Referansegrupper
2435 vedlegg-6 Vedlegg 6
2452 kommunesvar-hol Lærings-
2553 kommunesvar-al Ål
2965 kommunesvar-gol Gol
3317 kommunesvar-nes Nes
3470 kommunesvar-fla Flå
3729 kommunesvar-hemsedal Hemse
EOF
)

# Line n of file f, without no-break spaces and leading blanks.
line_text() {
    sed -n "${2}p" "$1" | sed 's/\xc2\xa0/ /g; s/^[[:space:]]*//'
}

# Write the passages of one meeting: file $1, slug $2, cuts in the array
# CUT ("line suffix expected...", in order); then check that the passages,
# put back together, are the file byte for byte.
cut_meeting() {
    local src=$ROOT/corpus/$1 slug=$2 i start next end suffix want got id total
    local written=()
    [[ -f $src ]] || die "$src not found"
    total=$(wc -l <"$src")
    for ((i = 0; i < ${#CUT[@]}; i++)); do
        read -r start suffix want <<<"${CUT[i]}"
        if ((i + 1 < ${#CUT[@]})); then
            read -r next _ <<<"${CUT[i + 1]}"
            end=$((next - 1))
        else
            end=$((total + 1)) # also a last line without a newline
        fi
        ((i > 0 || start == 1)) || die "$1: the first passage must start at line 1"
        ((end >= start)) || die "$1: cuts out of order at line $start"
        got=$(line_text "$src" "$start")
        [[ $got == "$want"* ]] || die "$1 line $start: expected '$want', found '$got'"
        id=$slug-$suffix
        [[ $id =~ ^[a-z0-9-]+$ ]] || die "passage id '$id' is not lower-case ASCII"
        [[ ! -e $OUT/$id.txt ]] || die "passage id '$id' used twice"
        sed -n "${start},${end}p" "$src" >"$OUT/$id.txt"
        written+=("$OUT/$id.txt")
    done
    cat "${written[@]}" | cmp -s - "$src" || die "the passages of $1 do not add up to it"
}

mkdir -p "$OUT"
rm -f "$OUT"/*.txt
CUT=() file="" slug=""
while IFS= read -r row; do
    if [[ $row == "= "* ]]; then
        [[ -z $file ]] || cut_meeting "$file" "$slug"
        read -r _ file slug <<<"$row"
        CUT=()
    else
        CUT+=("$row")
    fi
done <<<"$CUTS"
cut_meeting "$file" "$slug"

printf 'make_docs: %d passages in %s\n' "$(find "$OUT" -name '*.txt' | wc -l)" "${OUT#"$ROOT"/}" >&2
