#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The cost of a pathological query (issue 12): 1,360 one-letter wildcards
# (a* b* … z* over and over; 4,079 bytes, just under the 4,096-byte query
# cap), sent to motesokd over HTTP RUNS times, on the 10 files of corpus/
# and on DOCS generated minutes. Prints a Markdown table for
# bench/RESULTS.md: per index, the median and slowest request (curl's
# total time), the daemon's own took_ms (median), what "limited_by" says,
# the terms of the answer and the daemon's peak RSS. Fails if an answer is
# not limited or a request takes 1 s or more.
#
# Usage: bench/query/storm.sh [--docs N] [--runs N] [--keep DIR]
#   --keep DIR  keep (and reuse) the generated corpus and the indexes in DIR
# Needs: curl, jq.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DOCS=3000 RUNS=20 KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --docs) DOCS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '3,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
need_tools curl jq
need_build motesokd
bench_work "$KEEP"

query=$(for ((i = 0; i < 1360; i++)); do printf '%s* ' "$(printf "\\x$(printf %x $((97 + i % 26)))")"; done)
query=${query% }
[[ ${#query} == 4079 ]] || die "the query is ${#query} bytes, not 4079"

if [[ ! -d $work/txt-$DOCS ]]; then
    say "generating $DOCS text minutes"
    "$BIN/motesok-gen-corpus" --count "$DOCS" "$work/txt-$DOCS" >/dev/null
fi
for c in corpus "txt-$DOCS"; do
    src=$work/$c
    [[ $c == corpus ]] && src=$ROOT/corpus
    if [[ ! -d $work/index-$c ]]; then
        say "indexing $c"
        "$BIN/motesok-index" --quiet --index "$work/index-$c" "$src" || true
    fi
done

# Median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "| index | files | requests | median s | slowest s | took_ms (median) | limited_by | total | daemon peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
fail=0
for c in corpus "txt-$DOCS"; do
    start_daemon "$work/index-$c"
    files=$(curl -sf "$DAEMON_URL/api/v1/status" | jq .documents)
    : >"$work/times" && : >"$work/took"
    for ((r = 0; r < RUNS; r++)); do
        curl -sf -G --data-urlencode "q=$query" -o "$work/answer.json" -w '%{time_total}\n' \
            "$DAEMON_URL/api/v1/search" >>"$work/times" || die "the search failed"
        jq .took_ms "$work/answer.json" >>"$work/took"
        [[ $(jq .limited "$work/answer.json") == true ]] || fail=1
    done
    rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$DAEMON_PID/status")
    stop_daemon
    slowest=$(sort -g "$work/times" | tail -1)
    awk -v s="$slowest" 'BEGIN { exit !(s >= 1.0) }' && fail=1
    echo "| $c | $files | $RUNS | $(median <"$work/times") | $slowest | $(median <"$work/took") |" \
         "$(jq -c .limited_by "$work/answer.json") | $(jq .total "$work/answer.json") | $rss |"
done
[[ $fail == 0 ]] || die "an answer was not limited, or a request took 1 s or more"
