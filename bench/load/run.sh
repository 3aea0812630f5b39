#!/usr/bin/env bash
# Load test of motesokd on loopback: wrk at 1, 2, 8, 32 and 64 connections,
# SECONDS each (default 10), ten query shapes in turn. Fails on any socket
# error or non-2xx answer. Prints a Markdown table for bench/RESULTS.md.
# Usage: bench/load/run.sh [SECONDS]
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

SECS=${1:-10}
command -v wrk >/dev/null || die "wrk not found: apt-get install wrk"
[[ -x $BUILD_DIR/bin/motesokd ]] || build_into "$BUILD_DIR"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$BUILD_DIR/bin/motesok-index" --quiet --index "$work/index" "$ROOT/corpus"
port=$((20000 + RANDOM % 20000))
"$BUILD_DIR/bin/motesokd" --quiet --index "$work/index" --listen "127.0.0.1:$port" &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

echo "| connections | requests/s | p50 ms | p90 ms | p99 ms | requests | errors |"
echo "|---|---|---|---|---|---|---|"
fail=0
for c in 1 2 8 32 64; do
    threads=$(( c < 2 ? 1 : 2 ))
    out=$(wrk -t"$threads" -c"$c" -d"${SECS}s" --latency -s "$ROOT/bench/load/queries.lua" \
          "http://127.0.0.1:$port")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    reqs=$(awk '/requests in/ {print $1}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p90=$(awk '$1=="90%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10} /Non-2xx/ {print $5}' <<<"$out" |
             paste -sd+ | bc 2>/dev/null || true)
    errors=${errors:-0}
    ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.1f", v*1000 }'; }
    echo "| $c | $rps | $(ms "$p50") | $(ms "$p90") | $(ms "$p99") | $reqs | $errors |"
    [[ $errors == 0 ]] || fail=1
done
[[ $fail == 0 ]] || die "errors under load"
