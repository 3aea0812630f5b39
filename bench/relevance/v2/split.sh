#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Split queries.tsv into tune.tsv and heldout.tsv by a fixed rule that looks
# at nothing but the query ids and types: within each type, the queries are
# ordered by the md5 of their id and dealt alternately, first to tune, then to
# heldout. Both halves get the same mix of types (an odd count gives tune the
# extra query). Run again after adding queries; the same ids land the same way
# as long as the set of ids of their type is unchanged.
#
# Usage: bench/relevance/v2/split.sh
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
Q=$HERE/queries.tsv
header=$(head -n 1 "$Q")
tail -n +2 "$Q" | while IFS=$'\t' read -r id type rest; do
    printf '%s\t%s\t%s\n' "$type" "$(printf '%s' "$id" | md5sum | cut -c1-32)" "$id"
done | sort -k1,1 -k2,2 | awk -F'\t' '{ n[$1]++; print $3 "\t" ((n[$1] % 2) ? "tune" : "heldout") }' >"$HERE/.split"
for half in tune heldout; do
    { echo "$header"
      awk -F'\t' -v h="$half" 'NR == FNR { if ($2 == h) want[$1] = 1; next } FNR > 1 && ($1 in want)' "$HERE/.split" "$Q"
    } >"$HERE/$half.tsv"
done
rm -f "$HERE/.split"
printf 'split: %d tune, %d heldout\n' "$(($(wc -l <"$HERE/tune.tsv") - 1))" "$(($(wc -l <"$HERE/heldout.tsv") - 1))" >&2
