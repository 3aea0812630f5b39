#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load test of motesokd on loopback: wrk at 1, 2, 8, 32 and 64 connections,
# SECONDS each (default 10), ten query shapes in turn. Fails on any socket
# error or non-2xx answer. Prints a Markdown table for bench/RESULTS.md.
# Usage: bench/load/run.sh [SECONDS]
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SECS=${1:-10}
need_tools wrk
need_build motesokd
bench_work ""
"$BIN/motesok-index" --quiet --index "$work/index" "$ROOT/corpus"
start_daemon "$work/index"

echo "| connections | requests/s | p50 ms | p90 ms | p99 ms | requests | errors |"
echo "|---|---|---|---|---|---|---|"
fail=0
for c in 1 2 8 32 64; do
    run_wrk "$c" "$SECS" "$ROOT/bench/load/queries.lua"
    echo "| $c | $WRK_RPS | $WRK_P50 | $WRK_P90 | $WRK_P99 | $WRK_REQS | $WRK_ERRORS |"
    [[ $WRK_ERRORS == 0 ]] || fail=1
done
[[ $fail == 0 ]] || die "errors under load"
