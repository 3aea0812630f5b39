#!/usr/bin/env bash
# Scale benchmark: generated corpora of 1k, 10k and 100k minutes (default
# 3000 bytes each, so that 100k stays within a coffee break): build time,
# index size, and query latency — in process (plain Xapian floor and the
# whole search) and through motesokd at one connection — to show how each
# cost grows with the corpus. Prints a Markdown table for bench/RESULTS.md.
#
# Usage: bench/scale/run.sh [--sizes "1000 10000 100000"] [--bytes N]
#                           [--seconds S] [--keep DIR]
# Needs: scripts/install-deps.sh bench (wrk).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

SIZES="1000 10000 100000" BYTES=3000 SECS=3 KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --bytes) BYTES=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
command -v wrk >/dev/null || die "wrk not found: run scripts/install-deps.sh bench"
[[ -x $BUILD_DIR/bin/motesok-bench-floor ]] || build_into "$BUILD_DIR"
BIN=$BUILD_DIR/bin
QUERIES=$ROOT/bench/query/queries.txt

pid=""
if [[ -n $KEEP ]]; then
    mkdir -p "$KEEP"
    work=$(cd "$KEEP" && pwd)
    trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null' EXIT
else
    work=$(mktemp -d)
    trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
fi

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.1f", v*1000 }'; }

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
    floor=$("$BIN/motesok-bench-floor" --mode xapian --seconds "$SECS" "$index" "$QUERIES")
    lib=$("$BIN/motesok-bench-floor" --mode library --seconds "$SECS" "$index" "$QUERIES")
    port=$((20000 + RANDOM % 20000))
    "$BIN/motesokd" --quiet --index "$index" --listen "127.0.0.1:$port" &
    pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    out=$(cd "$ROOT" && MOTESOK_QUERIES=$QUERIES wrk -t1 -c1 -d"${SECS}s" --latency \
          -s "$ROOT/bench/query/queries.lua" "http://127.0.0.1:$port")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    grep -q "Non-2xx\|Socket errors" <<<"$out" && die "HTTP errors at $n documents"
    h50=$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    h99=$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
    echo "| $n | $mb | $build | $rate | $size | $(field p50_ms <<<"$floor") / $(field p99_ms <<<"$floor") | $(field p50_ms <<<"$lib") / $(field p99_ms <<<"$lib") | $h50 / $h99 |"
done
