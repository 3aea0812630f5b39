#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each for a while, seeded
# with the sample minutes. Any crash, sanitizer report, leak or input that
# takes over 2 s fails the run; a crashing input is kept in build-fuzz/.
# Usage: scripts/fuzz.sh [SECONDS-PER-TARGET]   (default 30)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECONDS_EACH=${1:-30}
FUZZ_DIR=$ROOT/build-fuzz
command -v clang >/dev/null || die "clang not found: apt-get install clang libclang-rt-14-dev"

say "building fuzz targets with clang"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$FUZZ_DIR" -DCMAKE_BUILD_TYPE=Debug -DMOTESOK_FUZZ=ON >/dev/null
cmake --build "$FUZZ_DIR" -j "$JOBS" --target fuzz_minutes fuzz_dates fuzz_norsk fuzz_query

seeds=$FUZZ_DIR/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
cp "$ROOT"/corpus/*.txt "$ROOT"/tests/data/minutes/*.txt "$seeds"/
# queries: the benchmark's, one a file, and some syntax
qseeds=$FUZZ_DIR/query-seeds
rm -rf "$qseeds" && mkdir -p "$qseeds"
n=0
while IFS= read -r q; do
    n=$((n + 1))
    printf '%s' "$q" >"$qseeds/q$n"
done < <(cat "$ROOT/bench/query/queries.txt"; cut -f3 "$ROOT/bench/relevance/queries.tsv" | tail -n +2
         printf '%s\n' '"legevakt OG" tittel:møte' 'organ:"regionrådet" dato:2010..2011' 'røntgen* -kad +lms' 'IKKE sjukehus NEAR/3 tenester')
# the analyser's data: the shipped files and hunspell-no
export MOTESOK_DATA_DIR=$ROOT/data
for target in fuzz_minutes fuzz_dates fuzz_norsk fuzz_query; do
    say "fuzzing $target for $SECONDS_EACH s"
    work=$FUZZ_DIR/$target-corpus
    mkdir -p "$work"
    tseeds=$seeds
    [[ $target != fuzz_query ]] || tseeds=$qseeds
    (cd "$FUZZ_DIR" && "$FUZZ_DIR/bin/$target" -max_total_time="$SECONDS_EACH" -timeout=2 \
        -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 "$work" "$tseeds" \
        >"$FUZZ_DIR/$target.log" 2>&1) ||
        { tail -40 "$FUZZ_DIR/$target.log" >&2; die "$target found a problem (see $FUZZ_DIR)"; }
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$FUZZ_DIR/$target.log" | tr '\n' ' ' >&2
    echo >&2
done
say "fuzzing found nothing"
