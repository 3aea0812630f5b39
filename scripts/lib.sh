# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the scripts in this folder: paths, messages, the build step.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=$(nproc 2>/dev/null || echo 2)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install missing Debian packages (idempotent; needs root or sudo).
ensure_deps() {
    bash "$ROOT/scripts/install-deps.sh"
}

# Configure and build into $1 (default $BUILD_DIR) with extra cmake args.
build_into() {
    local dir=${1:-$BUILD_DIR}
    shift || true
    say "building in ${dir#"$ROOT"/}"
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTESOK_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS"
}
