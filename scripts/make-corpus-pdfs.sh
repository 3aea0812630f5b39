#!/usr/bin/env bash
# Regenerate the PDF twins of the sample minutes in corpus/ with two real
# producers: motesok-txt2pdf (pango/cairo) and LibreOffice headless.
# The PDFs are committed, so building and testing never need LibreOffice.
# Usage: scripts/make-corpus-pdfs.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v soffice >/dev/null ||
    die "soffice not found: apt-get install --no-install-recommends libreoffice-writer-nogui fonts-liberation"
command -v pdfinfo >/dev/null || die "pdfinfo not found: apt-get install poppler-utils"
[[ -x $BUILD_DIR/bin/motesok-txt2pdf ]] || build_into "$BUILD_DIR"

CORPUS=$ROOT/corpus
# base name | producer | title
TWINS=(
  "2018-02-23-radmannsutvalget-referat|cairo|Referat Rådmannsutvalget 23.02.2018"
  "2018-09-18-rag-referat|cairo|Referat RAG 18.09.2018"
  "2010-08-27-regionradet-for-hallingdal-motebok|cairo|Møtebok Regionrådet for Hallingdal 27.08.2010"
  "2017-06-01-radmannsgruppen-referat|libreoffice|"
  "2018-12-04-kommunegruppenettverk-referat|libreoffice|"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for twin in "${TWINS[@]}"; do
    IFS='|' read -r base producer title <<<"$twin"
    txt=$CORPUS/$base.txt
    pdf=$CORPUS/$base.pdf
    [[ -f $txt ]] || die "missing $txt"
    case $producer in
    cairo)
        "$BUILD_DIR/bin/motesok-txt2pdf" --title "$title" "$txt" "$pdf"
        ;;
    libreoffice)
        HOME=$tmp soffice --headless --infilter="Text (encoded):UTF8,LF,Liberation Serif,nb-NO" \
            --convert-to pdf --outdir "$tmp" "$txt" >/dev/null 2>&1
        mv "$tmp/$base.pdf" "$pdf"
        ;;
    esac
    printf '%-50s %-22s %s pages\n' "${pdf#"$ROOT"/}" \
        "$(pdfinfo "$pdf" | sed -n 's/^Producer: *//p' | cut -c1-22)" \
        "$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')"
done
