#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Query latency benchmark on a generated corpus (default 5000 minutes):
#   - the in-process floor: plain Xapian on the same index (motesok-bench-floor
#     --mode xapian), 1 and 2 threads;
#   - the whole search in-process without HTTP (--mode library), 1 and 2
#     threads;
#   - motesokd over HTTP on loopback with wrk at 1, 2, 8 and 32 connections;
#   - the CLI end to end (process start, HTTP, rendering) with hyperfine.
# All run the queries of bench/query/queries.txt in turn. Prints Markdown
# tables for bench/RESULTS.md; fails on any HTTP error.
#
# Usage: bench/query/run.sh [--docs N] [--seconds S] [--keep DIR]
#   --keep DIR  keep (and reuse) the corpus and index in DIR
# Needs: scripts/install-deps.sh bench (wrk, hyperfine).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DOCS=5000 SECS=5 KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --docs) DOCS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '3,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
need_tools wrk hyperfine
need_build motesok-bench-floor
export MOTESOK_QUERIES=$ROOT/bench/query/queries.txt # also read by queries.lua
bench_work "$KEEP"
if [[ ! -d $work/txt-$DOCS ]]; then
    say "generating $DOCS text minutes"
    "$BIN/motesok-gen-corpus" --count "$DOCS" "$work/txt-$DOCS"
fi
if [[ ! -d $work/index-$DOCS ]]; then
    say "indexing them"
    "$BIN/motesok-index" --quiet --index "$work/index-$DOCS" "$work/txt-$DOCS"
fi
index=$work/index-$DOCS

declare -A R # figures by name, for the ratios at the end
echo "### In process ($DOCS documents, ${SECS} s a row)"
echo
echo "| mode | threads | queries/s | p50 ms | p99 ms |"
echo "|---|---|---|---|---|"
for mode in xapian library; do
    for t in 1 2; do
        out=$("$BIN/motesok-bench-floor" --mode "$mode" --threads "$t" --seconds "$SECS" \
              "$index" "$MOTESOK_QUERIES")
        read -r qps p50 p99 < <(sed -n 's/.*qps=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\)/\1 \2 \3/p' <<<"$out")
        echo "| $mode | $t | $qps | $p50 | $p99 |"
        R[${mode}_${t}_qps]=$qps R[${mode}_${t}_p50]=$p50
    done
done

start_daemon "$index"

echo
echo "### motesokd over HTTP (wrk, ${SECS} s a row)"
echo
echo "| connections | requests/s | p50 ms | p90 ms | p99 ms | requests | errors |"
echo "|---|---|---|---|---|---|---|"
fail=0
for c in 1 2 8 32; do
    run_wrk "$c" "$SECS" "$ROOT/bench/query/queries.lua"
    echo "| $c | $WRK_RPS | $WRK_P50 | $WRK_P90 | $WRK_P99 | $WRK_REQS | $WRK_ERRORS |"
    [[ $WRK_ERRORS == 0 ]] || fail=1
    R[http_${c}_qps]=$WRK_RPS R[http_${c}_p50]=$WRK_P50 R[http_${c}_p99]=$WRK_P99
done

echo
echo "### CLI end to end (hyperfine, 300 runs)"
echo
csv=$work/cli.csv
hyperfine -N --warmup 20 --runs 300 --export-csv "$csv" \
    "$BIN/motesok --url $DAEMON_URL search legevakt" \
    "$BIN/motesok --url $DAEMON_URL search --json legevakt" >/dev/null
echo "| command | mean ms | median ms | max ms |"
echo "|---|---|---|---|"
tail -n +2 "$csv" | awk -F, '{ sub(".*/bin/", "", $1); printf "| %s | %.2f | %.2f | %.2f |\n", $1, $2 * 1000, $4 * 1000, $8 * 1000 }'

echo
awk -v h50="${R[http_1_p50]}" -v f50="${R[xapian_1_p50]}" -v h99="${R[http_1_p99]}" \
    -v q2="${R[http_2_qps]}" -v q8="${R[http_8_qps]}" -v f1="${R[xapian_1_qps]}" -v l1="${R[library_1_qps]}" '
    BEGIN {
        printf "Ratios: HTTP p50 at 1 connection / floor p50 = %.2f; HTTP p99 at 1 connection = %s ms;\n", h50 / f50, h99
        printf "HTTP QPS at 2 connections / 1-thread floor QPS = %.2f (at 8: %.2f); / 1-thread library QPS = %.2f\n", q2 / f1, q8 / f1, q2 / l1
    }'
[[ $fail == 0 ]] || die "HTTP errors under load"
