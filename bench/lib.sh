# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the benchmark scripts: tools, the work folder, motesokd, wrk.
# shellcheck shell=bash
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

BIN=$BUILD_DIR/bin
DAEMON_PID="" DAEMON_URL="" WORK_TEMP=0 WORK_SCRATCH=""

# Die unless every named command is installed.
need_tools() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null || die "$t not found: run scripts/install-deps.sh bench"
    done
}

# Build into $BUILD_DIR unless program $1 is there already.
need_build() {
    [[ -x $BIN/$1 ]] || build_into "$BUILD_DIR"
}

# Set work to folder $1 (kept, created if missing), or to a new temporary
# folder when $1 is empty (removed at exit). At exit, a daemon started by
# start_daemon is stopped and $WORK_SCRATCH (if set) removed.
bench_work() {
    if [[ -n $1 ]]; then
        mkdir -p "$1"
        work=$(cd "$1" && pwd)
    else
        work=$(mktemp -d)
        WORK_TEMP=1
    fi
    trap bench_cleanup EXIT
}

bench_cleanup() {
    stop_daemon
    [[ -z $WORK_SCRATCH ]] || rm -rf "$WORK_SCRATCH"
    [[ $WORK_TEMP == 0 ]] || rm -rf "$work"
}

# Start motesokd on index $1 on a free-looking loopback port; sets
# DAEMON_PID and DAEMON_URL, and dies if it does not answer within 10 s.
start_daemon() {
    local port=$((20000 + RANDOM % 20000))
    DAEMON_URL=http://127.0.0.1:$port
    "$BIN/motesokd" --quiet --index "$1" --listen "127.0.0.1:$port" &
    DAEMON_PID=$!
    for _ in $(seq 100); do curl -sf "$DAEMON_URL/healthz" >/dev/null && return; sleep 0.1; done
    die "motesokd did not start"
}

# Stop the daemon start_daemon started, if any.
stop_daemon() {
    [[ -n $DAEMON_PID ]] || return 0
    kill "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=""
}

# A wrk latency ("812.00us", "2.15ms", "1.02s") in milliseconds.
wrk_ms() {
    awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.1f", v*1000 }'
}

# Run wrk with $1 connections for $2 seconds and Lua script $3 against the
# daemon (from $ROOT); sets WRK_RPS, WRK_REQS, WRK_P50, WRK_P90, WRK_P99
# (ms) and WRK_ERRORS (socket errors plus non-2xx answers).
# shellcheck disable=SC2034 # the WRK_ variables are read by the callers
run_wrk() {
    local threads=$(($1 < 2 ? 1 : 2)) out
    out=$(cd "$ROOT" && wrk -t"$threads" -c"$1" -d"$2s" --latency -s "$3" "$DAEMON_URL")
    WRK_RPS=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    WRK_REQS=$(awk '/requests in/ {print $1}' <<<"$out")
    WRK_P50=$(wrk_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    WRK_P90=$(wrk_ms "$(awk '$1=="90%" {print $2}' <<<"$out")")
    WRK_P99=$(wrk_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
    WRK_ERRORS=$(awk '/Socket errors/ {gsub(",", ""); s += $4 + $6 + $8 + $10} /Non-2xx/ {s += $5} END {print s + 0}' <<<"$out")
}
