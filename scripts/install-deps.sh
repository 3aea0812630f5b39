#!/usr/bin/env bash
# Install the Debian 12 packages needed to build and test Møtesøk, only
# those missing. Runs apt-get as root, or through sudo when it can;
# otherwise prints the command to run.
set -euo pipefail

DEPS=(
  build-essential cmake pkg-config
  libxapian-dev libpoppler-glib-dev libmagic-dev libsqlite3-dev libjansson-dev
  libmicrohttpd-dev libcurl4-openssl-dev libutf8proc-dev libxxhash-dev libcmocka-dev
  libpango1.0-dev libcairo2-dev
  qpdf poppler-utils fonts-dejavu-core util-linux valgrind
)

missing=()
for p in "${DEPS[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#DEPS[@]} packages present" >&2
    exit 0
fi

cmd=(apt-get install -y -q --no-install-recommends "${missing[@]}")
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
else
    echo "install-deps: these packages are missing: ${missing[*]}" >&2
    echo "install-deps: as root, run: apt-get update && ${cmd[*]}" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" "${cmd[@]}"
