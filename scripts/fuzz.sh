#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer targets with clang (ASan + UBSan) and run each, seeded
# with real inputs: the sample minutes, real PDFs and damaged variants made
# with qpdf, the analyser's data files, the daemon's JSON answers and the
# benchmark queries. Any crash, sanitizer report, leak or input that hangs
# fails the run; a crashing input is kept in build-fuzz/.
#
# Usage: scripts/fuzz.sh [--runs N] [--only T1,T2] [--jobs N] [--seed S]
#                        [SECONDS-PER-TARGET]
#   SECONDS-PER-TARGET  time per target (default 30; CI gives 15)
#   --seed S            libFuzzer's random seed (default: a new one each run);
#                       the tests give 1, so that every run of a commit
#                       tries the same inputs in the same order (a faster
#                       machine gets further along the same sequence) and a
#                       finding is the commit's, not the luck of the run
#   --runs N            run each target for N executions instead (no time
#                       limit), e.g. --runs 10000000 for the long run that
#                       bench/RESULTS.md records; figures go to
#                       build-fuzz/fuzz-stats.tsv
#   --only LIST         comma-separated targets (default: all)
#   --jobs N            with --runs: that many fuzzing processes per target,
#                       the executions split between them (default 1)
# The build and its findings go to build-fuzz/ ($MOTESOK_FUZZ_DIR if set).
# Targets: fuzz_minutes fuzz_dates fuzz_norsk fuzz_query fuzz_text
#          fuzz_detect fuzz_pdf fuzz_reply fuzz_loaders fuzz_render fuzz_http
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL=(fuzz_minutes fuzz_dates fuzz_norsk fuzz_query fuzz_text fuzz_detect fuzz_pdf fuzz_reply
     fuzz_loaders fuzz_render fuzz_http)
SECONDS_EACH=30 RUNS="" ONLY="" FJOBS=1 SEED=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --jobs) FJOBS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h | --help) sed -n '3,26s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) SECONDS_EACH=$1; shift ;;
    esac
done
[[ -z $SEED || $FJOBS -eq 1 ]] || die "--seed with --jobs would run the same inputs in every job"
TARGETS=("${ALL[@]}")
[[ -z $ONLY ]] || IFS=, read -r -a TARGETS <<<"$ONLY"
for t in "${TARGETS[@]}"; do
    [[ " ${ALL[*]} " == *" $t "* ]] || die "no fuzz target '$t' (see --help)"
done
FUZZ_DIR=${MOTESOK_FUZZ_DIR:-$ROOT/build-fuzz}
command -v clang >/dev/null || die "clang not found: apt-get install clang libclang-rt-14-dev"
command -v qpdf >/dev/null || die "qpdf not found: apt-get install qpdf"

say "building fuzz targets with clang"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$FUZZ_DIR" -DCMAKE_BUILD_TYPE=Debug -DMOTESOK_FUZZ=ON >/dev/null
WITH_HTTP=false
[[ " ${TARGETS[*]} " != *" fuzz_http "* ]] || WITH_HTTP=true
tools=(motesok-txt2pdf)
! $WITH_HTTP || tools+=(motesok-index) # fuzz_http's index
cmake --build "$FUZZ_DIR" -j "$JOBS" --target "${TARGETS[@]}" "${tools[@]}"

# ---- seeds, one folder per kind of input ----------------------------------
S=$FUZZ_DIR/seeds
rm -rf "$S" && mkdir -p "$S"/{minutes,query,pdf,reply,detect,loaders,render,http}
cp "$ROOT"/corpus/*.txt "$ROOT"/tests/data/minutes/*.txt "$S/minutes/"
# queries: the benchmark's, one a file, and some syntax (the last two:
# what Xapian's parser leaked on; the binding's parser_trap)
n=0
while IFS= read -r q; do
    n=$((n + 1))
    printf '%s' "$q" >"$S/query/q$n"
done < <(cat "$ROOT/bench/query/queries.txt"; cut -f3 "$ROOT/bench/relevance/queries.tsv" | tail -n +2
         printf '%s\n' '"legevakt OG" tittel:møte' 'organ:"regionrådet" dato:2010..2011' 'røntgen* -kad +lms' 'IKKE sjukehus NEAR/3 tenester' '-jukehus NEAR/3 tenester kad' "-ju'kexus NEAR/3 tenester kad")
# PDFs: small real ones (two sample minutes laid out by motesok-txt2pdf, one
# of the corpus), and qpdf's variants of them: object streams, uncompressed
# QDF, linearized, encrypted with and without a user password, and damaged
# (a broken cross-reference table, a cut-off file)
export SOURCE_DATE_EPOCH=1500000000
i=0
for f in "$ROOT"/tests/data/minutes/acos-eldreradet-steinkjer-2016.txt \
         "$ROOT"/tests/data/minutes/acos-hovudutval-oppvekst-kultur-stord-nynorsk-2018.txt; do
    i=$((i + 1))
    "$FUZZ_DIR/bin/motesok-txt2pdf" --title "Seed $i" "$f" "$S/pdf/m$i.pdf"
done
cp "$ROOT/corpus/2018-12-04-kommunegruppenettverk-referat.pdf" "$S/pdf/corpus.pdf"
for p in "$S"/pdf/m*.pdf; do
    b=${p%.pdf}
    qpdf --object-streams=generate "$p" "$b-objstm.pdf"
    qpdf --qdf --object-streams=disable "$p" "$b-qdf.pdf"
    qpdf --linearize "$p" "$b-lin.pdf"
    qpdf --encrypt secret owner 256 -- "$p" "$b-enc.pdf"
    qpdf --encrypt '' owner 128 --use-aes=y -- "$p" "$b-enc-open.pdf"
    sed 's/^xref/xrfe/' "$b-qdf.pdf" >"$b-badxref.pdf"
    head -c "$(($(stat -c %s "$p") / 2))" "$p" >"$b-cut.pdf"
done
# an extraction worker's answers (lib/extract/worker.c's protocol, native
# little-endian): text in two pages, a PDF with a title, a failure, a text
# the worker cut short after its first page
u32() { printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
    $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
str() { local n; n=$(printf '%s' "$1" | LC_ALL=C wc -c); u32 "$n"; printf '%s' "$1"; }
{ u32 0; str ""; u32 2; str text/plain; str utf-8; u32 2; u32 4294967295; str UTF-8; u32 0; u32 0
  str "Møtebok for Formannskapet"; str "Sak 12/24 Legevakt"; } >"$S/reply/text"
{ u32 0; str ""; u32 1; str application/pdf; str binary; u32 1; str "Referat 2024"; str PDF
  u32 1700000000; u32 0; str "Referat"; } >"$S/reply/pdf"
{ u32 6; str "damaged PDF: no xref"; u32 1; str application/pdf; str binary; } >"$S/reply/failed"
{ u32 0; str ""; u32 2; str text/plain; str utf-8; u32 3; u32 4294967295; str UTF-8; u32 0; u32 0
  str "Møtebok for Formannskapet"; u32 4294967295; u32 9; str "extracted text exceeds the limit"
} >"$S/reply/cut"
# type detection: a bit of everything
cp "$S"/pdf/m1*.pdf "$S/minutes/"*nynorsk* "$S/detect/"
printf '\xef\xbb\xbfMøtebok\n' >"$S/detect/bom.txt"
printf '\xff\xfeM\x00\xf8\x00t\x00e\x00\n\x00' >"$S/detect/utf16.txt"
printf 'M\xf8tebok for Fl\xe5\n' >"$S/detect/latin1.txt"
head -c 512 /bin/sh >"$S/detect/elf"
# the language data: the shipped files and part of hunspell-no's nb_NO,
# cut at NUL bytes in fuzz_loaders's order
for f in nynorsk stopwords synonyms nosplit words; do
    cat "$ROOT/data/norsk/$f.txt"; printf '\0'
done >"$S/loaders/shipped"
if [[ -r /usr/share/hunspell/nb_NO.aff ]]; then
    { cat "$S/loaders/shipped"; cat /usr/share/hunspell/nb_NO.aff; printf '\0'
      head -n 2000 /usr/share/hunspell/nb_NO.dic; } >"$S/loaders/with-dict"
fi
# the daemon's answers, as the CLI reads them
cp "$ROOT"/fuzz/seeds/render/*.json "$S/render/"
# requests to the daemon (fuzz_http), over an index of the sample minutes;
# the document requests name a document of that index
export MOTESOK_DATA_DIR=$ROOT/data MOTESOK_FUZZ_INDEX=$FUZZ_DIR/http-index
http_seeds() {
    rm -rf "$MOTESOK_FUZZ_INDEX"
    "$FUZZ_DIR/bin/motesok-index" --quiet --index "$MOTESOK_FUZZ_INDEX" "$ROOT/corpus" >/dev/null
    req() { printf '%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n%s' "$1" "$2" "${3:-localhost}" "${4:-}" "${5:-}"; }
    req GET '/api/v1/search?q=legevakt&limit=3' >"$S/http/search"
    req GET '/api/v1/search?q=vedtak&organ=Formannskapet&from=2018-01-01&to=2019-12-31&sort=date&format=csv' \
        motesok.example >"$S/http/csv"
    req GET '/?q=r%C3%B8ntgen+OG+sykehus&page=2' 127.0.0.1:8080 >"$S/http/page"
    req GET /healthz >"$S/http/health"
    { req GET /metrics localhost $'Connection: keep-alive\r\n'; req GET /api/v1/status; } >"$S/http/pipelined"
    req POST /api/v1/search localhost $'Content-Length: 5\r\n' 'q=abc' >"$S/http/post"
    printf 'GET /api/v1/failures HTTP/1.0\r\n\r\n' >"$S/http/http10"
    id=$(FUZZ_HTTP_PRINT=1 "$FUZZ_DIR/bin/fuzz_http" "$S/http/search" 2>&1 | grep -o '"id": *"[0-9a-f]\{16\}"' |
         head -n 1 | grep -o '[0-9a-f]\{16\}' || true)
    [[ -n $id ]] || die "fuzz_http: the sample index answered no document id"
    req GET "/api/v1/documents/$id/text?page=1" >"$S/http/text"
    req GET "/api/v1/documents/$id" >"$S/http/document"
    req GET "/dokument/$id?q=legevakt" >"$S/http/view"
    req GET "/d/$id/original" >"$S/http/original"
}
! $WITH_HTTP || http_seeds

seeds_for() {
    case $1 in
    fuzz_minutes | fuzz_dates | fuzz_norsk | fuzz_text) echo "$S/minutes" ;;
    fuzz_query) echo "$S/query" ;;
    fuzz_pdf) echo "$S/pdf" ;;
    fuzz_reply) echo "$S/reply" ;;
    fuzz_detect) echo "$S/detect" ;;
    fuzz_loaders) echo "$S/loaders" ;;
    fuzz_render) echo "$S/render" ;;
    fuzz_http) echo "$S/http" ;;
    esac
}
# Inputs larger than this are not generated (longer seeds are cut): a
# mutation of a 100 KB text finds no more than one of a 16 KB text, at a
# sixth of the executions. The PDF and dictionary seeds fit whole.
max_len_for() {
    case $1 in
    fuzz_pdf) echo 65536 ;;
    fuzz_loaders) echo 131072 ;;
    fuzz_http) echo 4096 ;;
    *) echo 16384 ;;
    esac
}

# ---- run --------------------------------------------------------------------
# the analyser's data (set above): the shipped files and hunspell-no
STATS=$FUZZ_DIR/fuzz-stats.tsv
[[ -z $RUNS ]] || printf 'target\texecutions\tseconds\tcrashes\tpeak_rss_mb\tcorpus_files\n' >"$STATS"
for target in "${TARGETS[@]}"; do
    work=$FUZZ_DIR/$target-corpus
    mkdir -p "$work"
    # a hang is an input that takes this long: generous, so that a loaded
    # CI machine never fails a run on a slow but finite input
    limits=(-timeout=30 -rss_limit_mb=2048 -max_len="$(max_len_for "$target")" -print_final_stats=1)
    [[ -z $SEED ]] || limits+=(-seed="$SEED")
    log=$FUZZ_DIR/$target.log
    if [[ -n $RUNS ]]; then
        say "fuzzing $target for $RUNS executions ($FJOBS process(es))"
        start=$(date +%s)
        if [[ $FJOBS -gt 1 ]]; then
            (cd "$FUZZ_DIR" && "$FUZZ_DIR/bin/$target" -runs=$((RUNS / FJOBS)) -jobs="$FJOBS" \
                -workers="$FJOBS" "${limits[@]}" "$work" "$(seeds_for "$target")" >"$log" 2>&1)
            cat "$FUZZ_DIR"/fuzz-*.log >>"$log" 2>/dev/null || true
            rm -f "$FUZZ_DIR"/fuzz-*.log
        else
            (cd "$FUZZ_DIR" && "$FUZZ_DIR/bin/$target" -runs="$RUNS" "${limits[@]}" \
                "$work" "$(seeds_for "$target")" >"$log" 2>&1)
        fi || { tail -40 "$log" >&2; die "$target found a problem (see $FUZZ_DIR)"; }
        execs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
        rss=$(grep -h 'stat::peak_rss_mb' "$log" | awk '$2 > m {m = $2} END {print m + 0}')
        printf '%s\t%s\t%s\t0\t%s\t%s\n' "$target" "$execs" $(($(date +%s) - start)) "$rss" \
            "$(find "$work" -type f | wc -l)" >>"$STATS"
    else
        say "fuzzing $target for $SECONDS_EACH s"
        (cd "$FUZZ_DIR" && "$FUZZ_DIR/bin/$target" -max_total_time="$SECONDS_EACH" "${limits[@]}" \
            "$work" "$(seeds_for "$target")" >"$log" 2>&1) ||
            { tail -40 "$log" >&2; die "$target found a problem (see $FUZZ_DIR)"; }
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' ' >&2
    echo >&2
done
[[ -z $RUNS ]] || { say "executions per target: $STATS"; column -t "$STATS" >&2; }
say "fuzzing found nothing"
