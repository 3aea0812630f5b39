#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# OCR benchmark: the seed minutes (../shared/seed-minutes/*.txt) printed to
# scanned, image-only PDFs (motesok-txt2pdf --scan: 300 dpi grey, turned
# half a degree, speckled), indexed by motesok-index (OCR in its workers,
# Tesseract's C API) and searched word by word; the minutes structure of
# each scanned book against its typed twin (structure.py); beside it, the
# incumbents on the same pages: pdftoppm + the tesseract CLI (a process per
# page) + omindex over the text files, and ocrmypdf + omindex over the PDFs
# it writes (when ocrmypdf is installed).
#
#   bench/ocr/run.sh [--bin DIR] [--keep DIR] [--dpi N] [--jobs N]
#
# Prints: the pages; the share of the distinct words of 6+ letters of the
# source text that a search finds in the scanned index (strictly: no
# spelling suggestion, no any-word fallback), and in an index of the typed
# twins (what the search itself misses); per book, organ, date and cases
# of the scan against the typed twin (the scans and the twins in two
# indexes: in one they would be one meeting), the mismatches and the share
# of cases that match (see structure.py for the rule); pages per minute of
# motesok-index (a cold run, then a second run over the same files after a
# rename: the OCR cache) and of each incumbent with N processes at a time.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

bin=$BIN keep="" dpi=300 jobs=2
while (($#)); do
    case $1 in
    --bin) bin=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --dpi) dpi=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h | --help) sed -n '3,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "usage: bench/ocr/run.sh [--bin DIR] [--keep DIR] [--dpi N] [--jobs N]" ;;
    esac
done
BIN=$bin
need_tools jq curl pdfinfo pdftoppm tesseract omindex xapian-delve python3
for p in motesok-index motesok-txt2pdf motesokd; do [[ -x $bin/$p ]] || need_build "$p"; done
seeds=$ROOT/../shared/seed-minutes
compgen -G "$seeds/*.txt" >/dev/null || die "no $seeds/*.txt"
bench_work "$keep"
rm -rf "$work/scans" "$work/typed" "$work/idx-scan" "$work/idx-typed" "$work/png" \
    "$work/ocrtxt" "$work/omega-cli" "$work/ocrmypdf" "$work/omega-ocrmypdf"
mkdir -p "$work/scans" "$work/typed" "$work/png" "$work/ocrtxt" "$work/ocrmypdf"

# The scanned and the typed PDF of every seed text.
pages=0
for f in "$seeds"/*.txt; do
    name=$(basename "$f" .txt)
    "$bin/motesok-txt2pdf" --scan "$dpi" --rotate 0.5 --noise 2 "$f" "$work/scans/$name.pdf"
    "$bin/motesok-txt2pdf" "$f" "$work/typed/$name.pdf"
    n=$(pdfinfo "$work/scans/$name.pdf" | awk '/^Pages:/ {print $2}')
    pages=$((pages + n))
done
echo "pages: $pages scanned at $dpi dpi, from $(ls "$seeds"/*.txt | wc -l) texts"

# Wall seconds of a command, its output to $work/last.log.
seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$work/last.log" 2>&1 || true
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

per_min() { echo "scale=1; $pages * 60 / $1" | bc -l; }

export OMP_THREAD_LIMIT=1 # Tesseract in the workers: one thread each, like the CLI below
s=$(seconds "$bin/motesok-index" --jobs "$jobs" --index "$work/idx-scan" "$work/scans")
grep 'OCR:' "$work/last.log" || die "no OCR line: $(cat "$work/last.log")"
echo "motesok-index (cold, --jobs $jobs): $s s, $(per_min "$s") pages/min"
mv "$work/scans" "$work/scans-renamed"
s2=$(seconds "$bin/motesok-index" --jobs "$jobs" --index "$work/idx-scan" --allow-empty \
    "$work/scans-renamed" "$work/scans")
mv "$work/scans-renamed" "$work/scans"
grep 'OCR:' "$work/last.log" || true
echo "motesok-index (the same files renamed: the OCR cache): $s2 s"
"$bin/motesok-index" --jobs "$jobs" --index "$work/idx-typed" "$work/typed" >/dev/null 2>&1 || true

# The distinct words of 6+ letters of the source texts, lower case.
LC_ALL=C.UTF-8 cat "$seeds"/*.txt | tr '[:upper:]ÆØÅ' '[:lower:]æøå' |
    grep -oE '[a-zæøåéü]{6,}' | sort -u >"$work/words.txt"
nwords=$(wc -l <"$work/words.txt")

# How many of the words a strict search finds in index $1.
found_in() {
    start_daemon "$1"
    local w n=0
    while read -r w; do
        if curl -sf --get "$DAEMON_URL/api/v1/search" --data-urlencode "q=$w" -d limit=1 |
            jq -e '.total > 0 and (.any_word | not) and (.suggestion_searched | not)' >/dev/null; then
            n=$((n + 1))
        else
            echo "$w" >>"$work/missed-$(basename "$1").txt"
        fi
    done <"$work/words.txt"
    stop_daemon
    echo "$n"
}
rm -f "$work"/missed-*.txt
fs=$(found_in "$work/idx-scan")
ft=$(found_in "$work/idx-typed")
echo "words of 6+ letters: $nwords; found in the scans: $fs ($(echo "scale=1; 100 * $fs / $nwords" | bc -l)%);" \
    "in the typed twins: $ft ($(echo "scale=1; 100 * $ft / $nwords" | bc -l)%)"

# The structure of each scanned book against its typed twin, each index
# served by a motesokd of its own. The scans' index holds them under the
# name of the second run (scans-renamed).
start_daemon "$work/idx-typed"
typed_url=$DAEMON_URL typed_pid=$DAEMON_PID
DAEMON_PID=""
start_daemon "$work/idx-scan"
rc=0
python3 "$ROOT/bench/ocr/structure.py" --scan "$DAEMON_URL" --typed "$typed_url" \
    --seeds "$seeds" --scans "$work/scans-renamed" --typed-dir "$work/typed" >"$work/structure.txt" || rc=$?
kill "$typed_pid" 2>/dev/null || true
wait "$typed_pid" 2>/dev/null || true
stop_daemon
((rc == 0)) || die "bench/ocr/structure.py failed"
echo "structure, scans against their typed twins:"
sed 's/^/  /' "$work/structure.txt"

# The documents an omindex database holds.
omega_docs() { xapian-delve "$1" | awk '/number of documents/ {print $NF}'; }

# Incumbent 1: pdftoppm renders every page, tesseract reads each in a
# process of its own, $jobs at a time (OpenMP held to one thread each, as
# motesok's workers are one process per core), omindex indexes the text
# files tesseract wrote (one process, as it runs).
render() { pdftoppm -r "$dpi" -gray -png "$1" "$work/png/$(basename "$1" .pdf)"; }
read_page() { tesseract "$1" "$work/ocrtxt/$(basename "$1" .png)" -l nor+eng; }
export -f render read_page
export work dpi
s3=$(seconds bash -c 'ls "$work"/scans/*.pdf | xargs -P '"$jobs"' -I{} bash -c "render {}"')
s4=$(seconds bash -c 'ls "$work"/png/*.png | OMP_THREAD_LIMIT=1 xargs -P '"$jobs"' -I{} bash -c "read_page {}"')
s5=$(seconds omindex --db "$work/omega-cli" --url / "$work/ocrtxt")
all=$(echo "$s3 + $s4 + $s5" | bc -l)
echo "pdftoppm: $s3 s; tesseract CLI: $s4 s; omindex ($(omega_docs "$work/omega-cli") pages' texts):" \
    "$s5 s; together $all s, $(per_min "$all") pages/min"

# Incumbent 2: ocrmypdf gives each scanned PDF a text layer (it renders
# with Ghostscript and runs tesseract itself, --jobs $jobs pages at a
# time; no PDF/A conversion, no optimisation: its quickest), and omindex
# indexes the PDFs it wrote (their text with pdftotext).
if command -v ocrmypdf >/dev/null; then
    s6=$(seconds bash -c 'for f in "$work"/scans/*.pdf; do
        OMP_THREAD_LIMIT=1 ocrmypdf -q -l nor+eng --jobs '"$jobs"' --output-type pdf --optimize 0 \
            "$f" "$work/ocrmypdf/$(basename "$f")" || exit 1; done')
    s7=$(seconds omindex --db "$work/omega-ocrmypdf" --url / "$work/ocrmypdf")
    all=$(echo "$s6 + $s7" | bc -l)
    echo "ocrmypdf: $s6 s; omindex ($(omega_docs "$work/omega-ocrmypdf") PDFs): $s7 s;" \
        "together $all s, $(per_min "$all") pages/min"
else
    echo "ocrmypdf: not installed (scripts/install-deps.sh bench), not measured"
fi
