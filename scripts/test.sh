#!/usr/bin/env bash
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

if [[ $SANITIZE == 1 ]]; then
    build_into "$BUILD_DIR-asan" -DMOTESOK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    say "running the tests under ASan + UBSan"
    # glib and poppler keep some allocations until exit; leaks are checked
    # with valgrind on our own code instead.
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$BUILD_DIR-asan" --output-on-failure -j "$JOBS"
fi
say "all tests passed"
