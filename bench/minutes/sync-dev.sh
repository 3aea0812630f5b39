#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copy a layout corpus (NAME.txt files and truth.tsv, TRUTH-SPEC format)
# into tests/data/minutes/ and rebuild bench/minutes/dev.tsv from its truth
# plus bench/minutes/own.tsv and bench/minutes/extra.tsv (our own layouts).
# Usage: bench/minutes/sync-dev.sh CORPUS_DIR
set -eu
src=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
cp "$src"/*.txt "$repo/tests/data/minutes/"
{
    echo "# file (relative to the repository)	organ	kommune	date	cases	decided	votes"
    grep -v '^#' "$repo/bench/minutes/own.tsv"
    [ -f "$repo/bench/minutes/extra.tsv" ] && grep -v '^#' "$repo/bench/minutes/extra.tsv"
    grep -v '^#' "$src/truth.tsv" | awk -F'\t' 'BEGIN{OFS="\t"} NF{$1="tests/data/minutes/"$1; print}'
} >"$repo/bench/minutes/dev.tsv"
