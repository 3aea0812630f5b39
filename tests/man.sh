#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Man pages: each lints clean with mandoc, and every long option that a
# program's --help (and each motesok command's --help) lists appears in its
# page, so that the two cannot drift apart.
# Usage: tests/man.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
bin=$1/bin
man=$2/docs/man
tmp=$(mktemp -d "${TMPDIR:-/tmp}/motesok-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bad=0

# check PAGE HELP_COMMAND...: the long options HELP_COMMAND prints are in PAGE
check() {
    local page=$1 text opt
    text=$tmp/$(basename "$1").txt
    shift
    # no line breaks inside a word, no overstrike
    mandoc -T ascii -O width=1000 "$page" | sed 's/.\x08//g' >"$text"
    "$@" >"$tmp/help" || { echo "man: '$*' failed" >&2; bad=1; return; }
    local n=0
    while read -r opt; do
        n=$((n + 1))
        grep -q -E -e "$opt([^a-z0-9-]|$)" "$text" || {
            echo "man: $(basename "$page") lacks $opt, which '$*' lists" >&2
            bad=1
        }
    done < <(grep -o -e '--[a-z][a-z0-9-]*' "$tmp/help" | sort -u)
    [[ $n -gt 0 ]] || { echo "man: '$*' lists no long option" >&2; bad=1; }
}

# synopsis PROGRAM: every long option its --help lists is in the help's own
# SYNOPSIS (for a program whose help has one)
synopsis() {
    "$@" >"$tmp/help" || { echo "man: '$*' failed" >&2; bad=1; return; }
    sed -n '/^SYNOPSIS/,/^$/p' "$tmp/help" >"$tmp/synopsis"
    [[ -s $tmp/synopsis ]] || { echo "man: '$*' has no SYNOPSIS" >&2; bad=1; return; }
    local opt
    while read -r opt; do
        grep -q -E -e "\[$opt[] ]" "$tmp/synopsis" || {
            echo "man: the SYNOPSIS of '$*' lacks $opt" >&2
            bad=1
        }
    done < <(grep -o -e '--[a-z][a-z0-9-]*' "$tmp/help" | sort -u)
}

for page in "$man"/*.[18]; do
    mandoc -T lint -W warning "$page" || { echo "man: $(basename "$page") does not lint clean" >&2; bad=1; }
done
check "$man/motesok.1" "$bin/motesok" --help
for cmd in search show status; do
    check "$man/motesok.1" "$bin/motesok" "$cmd" --help
done
check "$man/motesok-index.8" "$bin/motesok-index" --help
check "$man/motesokd.8" "$bin/motesokd" --help
synopsis "$bin/motesokd" --help
[[ $bad == 0 ]] && echo "man: every page lints clean and lists every option of --help"
exit "$bad"
