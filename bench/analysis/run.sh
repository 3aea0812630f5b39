#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cost of the Norwegian analysis: plain Xapian (TermGenerator and
# QueryParser with the Snowball stemmer) against Møtesøk's analysis
# (Bokmål/Nynorsk stems, stopwords, compound parts, spelling table; query
# rewriting for compounds and synonyms), on the same generated minutes and
# the queries of bench/query/queries.txt, alternating, in one process
# (motesok-bench-analysis). Prints a Markdown table for bench/RESULTS.md.
#
# Usage: bench/analysis/run.sh [--count N] [--rounds R] [--seconds S] [--keep DIR]
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

COUNT=1000 ROUNDS=5 SECS=2 KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --count) COUNT=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '3,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
need_build motesok-bench-analysis
bench_work "$KEEP"
say "generating $COUNT minutes"
rm -rf "$work/corpus"
"$BIN/motesok-gen-corpus" --count "$COUNT" "$work/corpus" >/dev/null
say "indexing and querying, plain and analysed, $ROUNDS rounds"
"$BIN/motesok-bench-analysis" --rounds "$ROUNDS" --seconds "$SECS" --work "$work" \
    "$work/corpus" "$ROOT/bench/query/queries.txt"
