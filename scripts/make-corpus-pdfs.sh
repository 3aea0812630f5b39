#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate the PDF twins of the sample minutes in corpus/ with two real
# producers: motesok-txt2pdf (pango/cairo, built here) and LibreOffice
# headless. The PDFs are committed, so building and testing never need
# LibreOffice. Each PDF gets a title and, as its creation date, the meeting
# date, so that running this again gives the same bytes: a twin is only
# rewritten when its content changes.
# Usage: scripts/make-corpus-pdfs.sh        (BUILD_DIR defaults to build/)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORPUS=$ROOT/corpus
# base name | producer | title   (the base name starts with the meeting date)
TWINS=(
  "2018-02-23-radmannsutvalget-referat|cairo|Referat Rådmannsutvalget 23.02.2018"
  "2018-09-18-rag-referat|cairo|Referat RAG 18.09.2018"
  "2010-08-27-regionradet-for-hallingdal-motebok|cairo|Møtebok Regionrådet for Hallingdal 27.08.2010"
  "2017-06-01-radmannsgruppen-referat|libreoffice|Referat Rådmannsgruppen 01.06.2017"
  "2018-12-04-kommunegruppenettverk-referat|libreoffice|Referat Kommunegruppenettverk 04.12.2018"
)
# LibreOffice's text import: UTF-8, LF line ends, font, language.
LO_FILTER="Text (encoded):UTF8,LF,Liberation Serif,nb-NO"

# Stop with the package to install when a needed program is missing.
need() {
    command -v "$1" >/dev/null ||
        die "$1 not found; install it with: apt-get install --no-install-recommends $2"
}

# Check every tool this script runs before changing anything.
check_tools() {
    need soffice "libreoffice-writer-nogui fonts-liberation"
    need fc-list fontconfig
    fc-list "Liberation Serif" | grep -q . ||
        die "font Liberation Serif not found; install it with: apt-get install --no-install-recommends fonts-liberation"
    need qpdf qpdf
    need jq jq
    need pdfinfo poppler-utils
    need pdftotext poppler-utils
    need cmake "cmake build-essential pkg-config"
}

# Configure $BUILD_DIR if it is not yet, then bring motesok-txt2pdf up to date.
build_txt2pdf() {
    if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
        say "configuring ${BUILD_DIR#"$ROOT"/}"
        cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    cmake --build "$BUILD_DIR" --target motesok-txt2pdf -j "$JOBS" >/dev/null ||
        die "building motesok-txt2pdf in ${BUILD_DIR#"$ROOT"/} failed (needs libpango1.0-dev libcairo2-dev)"
    TXT2PDF=$BUILD_DIR/bin/motesok-txt2pdf
    [[ -x $TXT2PDF ]] || die "$TXT2PDF was not built (pangocairo not found by cmake?)"
}

# Print the seconds since the epoch of noon UTC on the date that starts base name $1.
meeting_epoch() {
    date -u -d "${1:0:10} 12:00:00" +%s
}

# Set the title and creation date of PDF $1 to $2 and epoch $3 in place, with
# qpdf, dropping LibreOffice's time-based /ID and /DocChecksum.
set_pdf_info() {
    local pdf=$1 title=$2 date info
    date=$(date -u -d "@$3" +D:%Y%m%d%H%M%SZ)
    info=$(qpdf --json --json-key=qpdf --json-object=trailer "$pdf" |
        jq -r '.qpdf[1].trailer.value["/Info"]')
    [[ $info =~ ^[0-9]+\ [0-9]+\ R$ ]] || die "no /Info dictionary in $pdf"
    qpdf --json --json-key=qpdf --json-object=trailer --json-object="${info%% *}" "$pdf" |
        jq --arg key "obj:$info" --arg title "u:$title" --arg date "u:$date" '
          .qpdf[1][$key].value += {"/Title": $title, "/CreationDate": $date}
          | .qpdf[1].trailer.value |= del(.["/ID"], .["/DocChecksum"])' >"$tmp/info.json"
    qpdf --deterministic-id --update-from-json="$tmp/info.json" "$pdf" "$tmp/info.pdf"
    mv "$tmp/info.pdf" "$pdf"
}

# Write the PDF of corpus text $1 made by producer $2 with title $3 to file $4.
make_pdf() {
    local txt=$1 producer=$2 title=$3 out=$4 base epoch
    base=$(basename "$txt" .txt)
    epoch=$(meeting_epoch "$base")
    case $producer in
    cairo)
        SOURCE_DATE_EPOCH=$epoch "$TXT2PDF" --title "$title" "$txt" "$out"
        ;;
    libreoffice)
        soffice -env:UserInstallation="file://$tmp/lo-profile" --headless \
            --infilter="$LO_FILTER" --convert-to pdf --outdir "$tmp/lo" "$txt" \
            >"$tmp/lo.log" 2>&1 || { cat "$tmp/lo.log" >&2; die "soffice failed on $txt"; }
        [[ -s $tmp/lo/$base.pdf ]] || { cat "$tmp/lo.log" >&2; die "soffice wrote no PDF for $txt"; }
        mv "$tmp/lo/$base.pdf" "$out"
        set_pdf_info "$out" "$title" "$epoch"
        ;;
    *) die "unknown producer $producer" ;;
    esac
}

# Fail unless the text of PDF $2 has as many of each of æ ø å Æ Ø Å as text
# file $1 and no replacement characters: the letters survived the round trip.
check_letters() {
    pdftotext -enc UTF-8 "$2" "$tmp/back.txt"
    local c want got
    for c in æ ø å Æ Ø Å; do
        want=$( { grep -o "$c" "$1" || true; } | wc -l)
        got=$( { grep -o "$c" "$tmp/back.txt" || true; } | wc -l)
        [[ $want -eq $got ]] || die "$1 has $want '$c', its PDF $got"
    done
    ! grep -q $'\xef\xbf\xbd' "$tmp/back.txt" || die "replacement characters in the PDF of $1"
}

# Print one line about PDF $1: name, what happened ($2), producer, pages, size.
report() {
    local info
    info=$(pdfinfo "$1")
    printf '%-57s %-9s %-42s %3s pages %7s bytes\n' "${1#"$ROOT"/}" "$2" \
        "$(sed -n 's/^Producer: *//p' <<<"$info")" \
        "$(sed -n 's/^Pages: *//p' <<<"$info")" \
        "$(sed -n 's/^File size: *\([0-9]*\).*/\1/p' <<<"$info")"
}

main() {
    check_tools
    build_txt2pdf
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/lo"
    local twin base producer title txt pdf state
    for twin in "${TWINS[@]}"; do
        IFS='|' read -r base producer title <<<"$twin"
        txt=$CORPUS/$base.txt
        pdf=$CORPUS/$base.pdf
        [[ -f $txt ]] || die "missing $txt"
        make_pdf "$txt" "$producer" "$title" "$tmp/new.pdf"
        check_letters "$txt" "$tmp/new.pdf"
        if cmp -s "$tmp/new.pdf" "$pdf"; then
            state=unchanged
        else
            mv "$tmp/new.pdf" "$pdf"
            state=written
        fi
        report "$pdf" "$state"
    done
}

main "$@"
