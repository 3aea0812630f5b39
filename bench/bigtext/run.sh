#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Peak memory of motesok-index on one big text file: the indexer process
# itself (VmHWM, sampled every 0.1 s) and its extraction worker, plus wall
# time. The text is real prose (the laws of ../shared/corpora, joined and
# repeated to the size asked) or generated minutes (bench-data/txt).
#
#   bench/bigtext/run.sh [--bin DIR] [--source laws|minutes] [--keep DIR]
#                        [--timeout SECS] MB...
#   e.g. bench/bigtext/run.sh 30 200
#        bench/bigtext/run.sh --bin /tmp/old/build/bin --timeout 900 30 200
# Prints one line per size: MB, main MiB, worker MiB, wall s, outcome. With
# --timeout a run still going after SECS is stopped (SIGINT, then SIGKILL
# 30 s later), and its line gives the peaks it had reached by then.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

bin=$BIN source_kind=laws keep="" timeout=0 sizes=()
while (($#)); do
    case $1 in
    --bin) bin=$2; shift 2 ;;
    --source) source_kind=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) sizes+=("$1"); shift ;;
    esac
done
((${#sizes[@]})) || die "usage: bench/bigtext/run.sh [--bin DIR] [--source laws|minutes] [--keep DIR] [--timeout SECS] MB..."
[[ -x $bin/motesok-index ]] || need_build motesok-index
bench_work "$keep"

# One text of at least $1 MB of the chosen source, in $work/src.txt.
make_source() {
    local want=$(($1 * 1000000)) src=$work/src.txt
    if [[ $source_kind == laws ]]; then
        local laws=$ROOT/../shared/corpora/lovdata-laws.tar.xz
        [[ -f $laws ]] || die "$laws not found"
        [[ -d $work/laws ]] || { mkdir -p "$work/laws" && tar -C "$work/laws" -xJf "$laws"; }
        find "$work/laws" -name '*.txt' | sort | xargs cat >"$work/one.txt"
    else
        local data=${MOTESOK_BENCH_DATA:-/work/bench-data}/txt
        find "$data" -name '*.txt' | sort | xargs cat >"$work/one.txt"
    fi
    : >"$src"
    while (($(stat -c %s "$src") < want)); do cat "$work/one.txt" >>"$src"; done
    head -c "$want" "$src" >"$work/cut.txt" && mv "$work/cut.txt" "$src"
}

# Peak RSS in KiB of pid $1 and the largest of its children, sampled until
# it exits; prints "main worker".
sample() {
    local pid=$1 main=0 kids=0 v c w
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [[ -n $v ]] && main=$v
        for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null || true); do
            w=$(awk '/VmHWM/{print $2}' "/proc/$c/status" 2>/dev/null || true)
            [[ -n $w ]] && ((w > kids)) && kids=$w
        done
        sleep 0.1
    done
    echo "$main $kids"
}

printf '%-6s %-10s %-12s %-8s %s\n' MB main_MiB worker_MiB wall_s outcome
for mb in "${sizes[@]}"; do
    make_source "$mb"
    rm -rf "$work/in" "$work/idx" && mkdir -p "$work/in"
    mv "$work/src.txt" "$work/in/big-$mb.txt"
    start=$(date +%s.%N)
    "$bin/motesok-index" --index "$work/idx" --jobs 1 --max-file-mb 512 --max-text-mb 512 \
        "$work/in" >"$work/out.txt" 2>&1 &
    pid=$! rc=0 stopped="" watchdog=""
    rm -f "$work/stopped"
    if ((timeout > 0)); then
        (sleep "$timeout" && kill -0 "$pid" 2>/dev/null && touch "$work/stopped" &&
            kill -INT "$pid" && sleep 30 && kill -KILL "$pid") 2>/dev/null &
        watchdog=$!
    fi
    sample "$pid" >"$work/hwm.txt"
    wait "$pid" || rc=$?
    [[ -z $watchdog ]] || kill "$watchdog" 2>/dev/null || true
    [[ ! -f $work/stopped ]] || stopped="stopped after ${timeout} s; "
    read -r main kids <"$work/hwm.txt"
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    outcome=$(grep -o '[0-9]* indexed, [0-9]* unchanged, [0-9]* failed' "$work/out.txt" || tail -1 "$work/out.txt")
    printf '%-6s %-10s %-12s %-8.1f %s%s (exit %s)\n' "$mb" $((main / 1024)) $((kids / 1024)) "$wall" \
        "$stopped" "$outcome" "$rc"
done
