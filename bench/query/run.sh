#!/usr/bin/env bash
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
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

DOCS=5000 SECS=5 KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --docs) DOCS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
for tool in wrk hyperfine; do
    command -v "$tool" >/dev/null || die "$tool not found: run scripts/install-deps.sh bench"
done
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
              "$index" "$QUERIES")
        read -r qps p50 p99 < <(sed -n 's/.*qps=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\)/\1 \2 \3/p' <<<"$out")
        echo "| $mode | $t | $qps | $p50 | $p99 |"
        R[${mode}_${t}_qps]=$qps R[${mode}_${t}_p50]=$p50
    done
done

port=$((20000 + RANDOM % 20000))
"$BIN/motesokd" --quiet --index "$index" --listen "127.0.0.1:$port" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || die "motesokd did not start"

echo
echo "### motesokd over HTTP (wrk, ${SECS} s a row)"
echo
echo "| connections | requests/s | p50 ms | p90 ms | p99 ms | requests | errors |"
echo "|---|---|---|---|---|---|---|"
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.1f", v*1000 }'; }
fail=0
for c in 1 2 8 32; do
    threads=$(( c < 2 ? 1 : 2 ))
    out=$(cd "$ROOT" && MOTESOK_QUERIES=$QUERIES wrk -t"$threads" -c"$c" -d"${SECS}s" --latency \
          -s "$ROOT/bench/query/queries.lua" "http://127.0.0.1:$port")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    reqs=$(awk '/requests in/ {print $1}' <<<"$out")
    p50=$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    p90=$(ms "$(awk '$1=="90%" {print $2}' <<<"$out")")
    p99=$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
    errors=$(awk '/Socket errors/ {gsub(",", ""); s += $4 + $6 + $8 + $10} /Non-2xx/ {s += $5} END {print s + 0}' <<<"$out")
    echo "| $c | $rps | $p50 | $p90 | $p99 | $reqs | $errors |"
    [[ $errors == 0 ]] || fail=1
    R[http_${c}_qps]=$rps R[http_${c}_p50]=$p50 R[http_${c}_p99]=$p99
done

echo
echo "### CLI end to end (hyperfine, 300 runs)"
echo
csv=$work/cli.csv
hyperfine -N --warmup 20 --runs 300 --export-csv "$csv" \
    "$BIN/motesok --url http://127.0.0.1:$port search legevakt" \
    "$BIN/motesok --url http://127.0.0.1:$port search --json legevakt" >/dev/null
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
