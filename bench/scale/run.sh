#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Scale benchmark: generated corpora of 1k, 10k and 100k minutes (default
# 3000 bytes each, so that 100k stays within a coffee break): build time,
# index size, and query latency — in process (plain Xapian floor and the
# whole search) and through motesokd at one connection — to show how each
# cost grows with the corpus. Prints a Markdown table for bench/RESULTS.md.
#
# Usage: bench/scale/run.sh [--sizes "1000 10000 100000"] [--bytes N]
#                           [--seconds S] [--keep DIR]
# Needs: scripts/install-deps.sh bench (wrk).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SIZES="1000 10000 100000" BYTES=3000 SECS=3 KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --bytes) BYTES=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '3,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
need_tools wrk
need_build motesok-bench-floor
export MOTESOK_QUERIES=$ROOT/bench/query/queries.txt # also read by queries.lua
bench_work "$KEEP"

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

echo "| documents | corpus MB | build s | files/s | index MiB | floor p50/p99 ms | search p50/p99 ms | HTTP p50/p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
for n in $SIZES; do
    corpus=$work/scale-$n-$BYTES index=$work/scale-index-$n-$BYTES
    [[ -d $corpus ]] || "$BIN/motesok-gen-corpus" --count "$n" --size "$BYTES" --seed 3 "$corpus"
    rm -rf "$index"
    say "indexing $n documents"
    start=$(date +%s.%N)
    "$BIN/motesok-index" --quiet --index "$index" "$corpus"
    end=$(date +%s.%N)
    build=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    rate=$(awk -v n="$n" -v s="$build" 'BEGIN { printf "%.0f", n / s }')
    mb=$(du -sb "$corpus" | awk '{ printf "%.0f", $1 / 1048576 }')
    size=$(du -sm "$index" | cut -f1)
    floor=$("$BIN/motesok-bench-floor" --mode xapian --seconds "$SECS" "$index" "$MOTESOK_QUERIES")
    lib=$("$BIN/motesok-bench-floor" --mode library --seconds "$SECS" "$index" "$MOTESOK_QUERIES")
    start_daemon "$index"
    run_wrk 1 "$SECS" "$ROOT/bench/query/queries.lua"
    stop_daemon
    [[ $WRK_ERRORS == 0 ]] || die "HTTP errors at $n documents"
    echo "| $n | $mb | $build | $rate | $size | $(field p50_ms <<<"$floor") / $(field p99_ms <<<"$floor") | $(field p50_ms <<<"$lib") / $(field p99_ms <<<"$lib") | $WRK_P50 / $WRK_P99 |"
done
