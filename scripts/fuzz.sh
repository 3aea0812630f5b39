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
cmake --build "$FUZZ_DIR" -j "$JOBS" --target fuzz_minutes fuzz_dates fuzz_norsk

seeds=$FUZZ_DIR/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
cp "$ROOT"/corpus/*.txt "$ROOT"/tests/data/minutes/*.txt "$seeds"/
# the analyser's data: the shipped files and hunspell-no
export MOTESOK_DATA_DIR=$ROOT/data
for target in fuzz_minutes fuzz_dates fuzz_norsk; do
    say "fuzzing $target for $SECONDS_EACH s"
    work=$FUZZ_DIR/$target-corpus
    mkdir -p "$work"
    (cd "$FUZZ_DIR" && "$FUZZ_DIR/bin/$target" -max_total_time="$SECONDS_EACH" -timeout=2 \
        -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 "$work" "$seeds" \
        >"$FUZZ_DIR/$target.log" 2>&1) ||
        { tail -40 "$FUZZ_DIR/$target.log" >&2; die "$target found a problem (see $FUZZ_DIR)"; }
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$FUZZ_DIR/$target.log" | tr '\n' ' ' >&2
    echo >&2
done
say "fuzzing found nothing"
