#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what is missing, build, and run every test: once in a normal
# build and once under AddressSanitizer + UndefinedBehaviorSanitizer.
# Usage: scripts/test.sh [--no-sanitize]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SANITIZE=1
[[ ${1:-} == --no-sanitize ]] && SANITIZE=0

ensure_deps
build_into "$BUILD_DIR"
say "running the tests"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"

if command -v valgrind >/dev/null; then
    say "running the unit tests under valgrind"
    for t in "$BUILD_DIR"/bin/test_*; do
        [[ $(basename "$t") == test_e2e ]] && continue
        valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 \
            --suppressions="$ROOT/tests/valgrind.supp" "$t" >"$BUILD_DIR/valgrind-$(basename "$t").log" 2>&1 ||
            { cat "$BUILD_DIR/valgrind-$(basename "$t").log" >&2; die "valgrind found errors in $(basename "$t")"; }
    done
fi

if [[ $SANITIZE == 1 ]]; then
    build_into "$BUILD_DIR-asan" -DMOTESOK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    say "running the tests under ASan + UBSan"
    # glib and poppler keep some allocations until exit; leaks are checked
    # with valgrind on our own code instead.
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:hard_rss_limit_mb=1024 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$BUILD_DIR-asan" --output-on-failure -j "$JOBS"
fi
if [[ $SANITIZE == 1 ]]; then
    # every parser of outside input, briefly, under ASan+UBSan; one seed, so
    # that a finding belongs to the commit, not to the luck of the run
    bash "$ROOT/scripts/fuzz.sh" --seed "${MOTESOK_FUZZ_SEED:-1}" "${MOTESOK_FUZZ_SECONDS:-15}"
fi
say "all tests passed"
