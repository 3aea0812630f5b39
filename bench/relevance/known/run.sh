#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Known-item search over whole minutes: the 239 written minutes of
# bench/minutes/heldout*/ indexed as files (as motesok-index indexes
# minutes, not as the relevance pool's loose passages), then for each case
# the minutes reader found, in a file whose kommune it found (procedural
# cases left out), queries made from the case's title alone: its two
# longest words, then with the kommune as typed ("Kvinesdal"), in lower
# case, and with the organ ("kommunestyret"). A query is answered when a
# hit is that file with that case as its matched case; prints MRR@10 per
# query shape. Queries are made by rule, not written: a check of how a
# place or body named in a query picks the case within a meeting, not a
# judged set (the headline is bench/relevance/v3, v5, v7).
#
# Usage: bench/relevance/known/run.sh [--keep DIR]
# Needs: python3, curl.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib.sh"

KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '3,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
need_tools python3 curl
need_build motesokd
bench_work "$KEEP"
rm -rf "$work/docs" "$work/idx"
mkdir -p "$work/docs"
for d in "$ROOT"/bench/minutes/heldout*/; do
    set_name=$(basename "$d")
    for f in "$d"*.txt; do cp "$f" "$work/docs/$set_name-$(basename "$f")"; done
done
say "indexing $(find "$work/docs" -name '*.txt' | wc -l) minutes"
"$BIN/motesok-index" -q -i "$work/idx" "$work/docs"
start_daemon "$work/idx"
python3 "$ROOT/bench/relevance/known/known.py" "$DAEMON_URL" "$work/ranks.tsv"
[[ -z $KEEP ]] || say "per query: $work/ranks.tsv"
