#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Readers against a writer that commits without pause (motesok-bench-race),
# on a loaded machine: one busy loop per core runs beside it, so that the
# reader is often stopped between reading a revision's version file and
# its tables' root blocks, which the writer may be reusing by then. Prints
# the reopens and reads that failed (none should) and the retries made.
#
# Usage: bench/race/run.sh [--seconds S] [--runs N] [--bin PROGRAM]
#   --bin  another build's motesok-bench-race, to compare (default: ours)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SECS=30 RUNS=1 PROG=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --seconds) SECS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --bin) PROG=$2; shift 2 ;;
    -h | --help) sed -n '3,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
if [[ -z $PROG ]]; then
    need_build motesok-bench-race
    PROG=$BIN/motesok-bench-race
fi
[[ -x $PROG ]] || die "$PROG: not a program"
bench_work ""
loops=()
for ((i = 0; i < $(nproc); i++)); do
    (while :; do :; done) &
    loops+=($!)
done
trap 'kill "${loops[@]}" 2>/dev/null; bench_cleanup' EXIT
failed=0
for ((run = 1; run <= RUNS; run++)); do
    say "run $run of $RUNS: $SECS s, $(nproc) busy loops beside"
    "$PROG" "$work/db$run" "$SECS" || failed=1
done
exit $failed
