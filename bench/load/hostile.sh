#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# motesokd under hostile load on loopback, on corpus/: /healthz and a cheap
# search ("legevakt"), each on a new connection every 100 ms, while
#   1. 500 slow clients each send one header line every 10 s (slowloris),
#   2. the same with a line every second,
#   3. 8 clients send costly searches (one-letter wildcards, ~4 KB) in a loop.
# Prints a Markdown table for bench/RESULTS.md; fails if a probe got no 200
# within 5 s. Needs python3 (bench/load/hostile.py is the client).
# Usage: bench/load/hostile.sh [SECONDS] [MOTESOKD]
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SECS=${1:-30}
need_tools python3 curl
need_build motesokd
[[ -z ${2:-} ]] || BIN=$(cd "$(dirname "$2")" && pwd)
ulimit -n 4096 2>/dev/null || true # 500 client sockets and the daemon's
bench_work ""
"$BIN/motesok-index" --quiet --index "$work/index" "$ROOT/corpus" || true

# Run one load against a fresh daemon; prints one table row.
load() {
    local name=$1 out
    shift
    start_daemon "$work/index"
    out=$(python3 "$ROOT/bench/load/hostile.py" "$DAEMON_URL" --seconds "$SECS" "$@") || fail=1
    stop_daemon_now
    awk -v name="$name" '{
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "| %s | %s/%s | %s | %s | %s/%s | %s | %s | %s |\n", name,
            v["healthz_ok"], v["healthz_ok"] + v["healthz_failed"], v["healthz_p50_ms"],
            v["healthz_max_ms"], v["search_ok"], v["search_ok"] + v["search_failed"],
            v["search_p50_ms"], v["search_max_ms"],
            (v["slow_closed"] != "" ? "slow closed " v["slow_closed"] ", life p50 " v["slow_life_p50_s"] " s" : "costly " v["costly_answers"])
    }' <<<"$out"
}

# Stop the daemon at once: costly searches may still be running.
stop_daemon_now() {
    kill -9 "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=""
}

fail=0
echo "| load | /healthz answered | p50 ms | max ms | search answered | p50 ms | max ms | load clients |"
echo "|---|---|---|---|---|---|---|---|"
load "500 slow, a line / 10 s" --slow 500 --every 10
load "500 slow, a line / 1 s" --slow 500 --every 1
load "8 costly searches" --costly 8
[[ $fail == 0 ]] || die "a probe got no answer within 5 s"
