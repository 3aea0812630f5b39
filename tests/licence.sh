#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source file of the project says its licence (an SPDX line near its
# top), so that a file copied out of the tree still says it. Sources are
# the tracked C, C++, shell, Python, Lua and CMake files and the Debian
# maintainer scripts. Exits 77 (skipped) outside a git checkout.
# Usage: tests/licence.sh SOURCE_DIR
set -euo pipefail
cd "${1:?usage: licence.sh SOURCE_DIR}"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "not a git checkout: skipped"; exit 77; }
missing=0
while IFS= read -r f; do
    case $f in
    *.c | *.h | *.cc | *.sh | *.py | *.lua | *.cmake | */CMakeLists.txt | CMakeLists.txt | .ci/run | \
        dist/debian/postinst | dist/debian/prerm | dist/debian/postrm | *.pc.in | *.service.in) ;;
    *) continue ;;
    esac
    if ! head -c 400 -- "$f" | grep -q "SPDX-License-Identifier: GPL-2.0-or-later"; then
        echo "no SPDX licence line: $f" >&2
        missing=$((missing + 1))
    fi
done < <(git ls-files)
[[ $missing == 0 ]] || { echo "$missing source files without an SPDX line (GPL-2.0-or-later)" >&2; exit 1; }
echo "every source file names its licence"
