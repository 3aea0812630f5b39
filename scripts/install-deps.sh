#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages needed to build and test Møtesøk, only those
# missing: apt-get runs as root, or through sudo when that needs no password;
# otherwise the packages and the command to install them are printed.
# Usage: scripts/install-deps.sh [GROUP...]
#   GROUP adds optional packages: corpus (regenerate corpus/ PDF twins with
#   scripts/make-corpus-pdfs.sh), lint (shellcheck for the scripts), bench
#   (the incumbents and load tools the benchmarks in bench/ run).
set -euo pipefail

# Build and test: compilers, libraries, and the tools the tests run
# (chromium and python3: the search page's browser test, tests/browser/;
# apertium-nno-nob and lttoolbox-dev's lt-print: the Nynorsk-Bokmål pairs
# the build generates, scripts/gen-nynorsk-pairs.sh; lttoolbox's lt-proc:
# the compound table, scripts/gen-compound-splits.sh; Tesseract with its
# Norwegian and English data: OCR of scanned PDF pages; lintian: the .deb's
# test, tests/deb.sh).
DEPS=(
  build-essential cmake pkg-config
  libxapian-dev libpoppler-glib-dev libmagic-dev libsqlite3-dev libjansson-dev
  libmicrohttpd-dev libcurl4-openssl-dev libutf8proc-dev libxxhash-dev libcmocka-dev libcsv-dev
  libpango1.0-dev libcairo2-dev fonts-dejavu-core
  libtesseract-dev libleptonica-dev tesseract-ocr-nor tesseract-ocr-eng
  qpdf poppler-utils ghostscript xapian-tools util-linux valgrind curl
  hunspell-no mandoc lintian
  clang libclang-rt-14-dev
  chromium python3
  apertium-nno-nob lttoolbox lttoolbox-dev
)
# Optional groups, chosen by name on the command line.
declare -A OPTIONAL=(
  [corpus]="libreoffice-writer-nogui fonts-liberation jq qpdf poppler-utils"
  [lint]="shellcheck"
  [bench]="xapian-omega recollcmd wrk time hyperfine jq ocrmypdf"
)

usage() {
    sed -n '3,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# Append the packages of each group named in "$@" to DEPS.
add_groups() {
    local g
    for g in "$@"; do
        case $g in
        -h | --help) usage; exit 0 ;;
        esac
        [[ -n ${OPTIONAL[$g]+set} ]] || {
            echo "install-deps: unknown group '$g' (known: ${!OPTIONAL[*]})" >&2
            exit 2
        }
        read -r -a pkgs <<<"${OPTIONAL[$g]}"
        DEPS+=("${pkgs[@]}")
    done
}

# Print the packages of DEPS that dpkg does not list as installed, one a line.
missing_packages() {
    local p status
    for p in "${DEPS[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || echo "$p"
    done | sort -u
}

main() {
    add_groups "$@"
    command -v dpkg-query >/dev/null || {
        echo "install-deps: dpkg-query not found; this script is for Debian 12. Needed: ${DEPS[*]}" >&2
        exit 1
    }
    local missing
    mapfile -t missing < <(missing_packages)
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "install-deps: all needed packages are installed" >&2
        return 0
    fi
    local cmd=(apt-get install -y -q --no-install-recommends "${missing[@]}")
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            echo "install-deps: missing packages: ${missing[*]}" >&2
            echo "install-deps: install them as root with:" >&2
            echo "  apt-get update && DEBIAN_FRONTEND=noninteractive ${cmd[*]}" >&2
            exit 1
        fi
    fi
    echo "install-deps: installing ${missing[*]}" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
}

main "$@"
