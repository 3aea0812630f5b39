#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install test: `cmake --install` into an empty prefix, then use only what
# was installed, with no LD_LIBRARY_PATH and no MOTESOK_DATA_DIR: the
# programs must find their library and their language data by themselves.
# Usage: tests/install.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/motesok-install.XXXXXX")
daemon=
cleanup() {
    if [[ -n $daemon ]]; then
        kill "$daemon" 2>/dev/null || true
        wait "$daemon" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "install test: $*" >&2
    exit 1
}
unset LD_LIBRARY_PATH MOTESOK_DATA_DIR MOTESOK_INDEX MOTESOK_URL MOTESOK_TOKEN
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || fail "cmake --install failed"

for f in bin/motesok bin/motesok-index bin/motesokd \
    share/man/man1/motesok.1.gz share/man/man8/motesok-index.8.gz share/man/man8/motesokd.8.gz \
    share/motesok/norsk/synonyms.txt share/motesok/norsk/nynorsk.txt \
    lib/systemd/system/motesokd.service lib/sysusers.d/motesok.conf \
    lib/pkgconfig/motesok.pc include/motesok/motesok.h \
    share/doc/motesok/copyright share/doc/motesok/COPYING; do
    [[ -f $prefix/$f ]] || fail "$f was not installed"
done
for page in "$prefix"/share/man/man*/*.gz; do
    mandoc -T lint -W warning "$page" || fail "the installed $(basename "$page") does not read clean"
done
grep -qx "ExecStart=$prefix/bin/motesokd .*" "$prefix/lib/systemd/system/motesokd.service" ||
    fail "the unit does not start the installed motesokd: $(grep ExecStart "$prefix/lib/systemd/system/motesokd.service")"

# Each program loads the installed libmotesok, not the build tree's.
for p in motesok-index motesokd; do
    lib=$(ldd "$prefix/bin/$p" | awk '$1 ~ /^libmotesok/ {print $3}')
    [[ -n $lib && $(realpath "$lib") == "$prefix"/lib/* ]] ||
        fail "$p loads libmotesok from '${lib:-nowhere}', not from $prefix"
done

"$prefix/bin/motesok-index" --help >"$tmp/help" || fail "installed motesok-index --help failed"
grep -q -- "--index" "$tmp/help" || fail "motesok-index --help does not list --index"

# A small folder: one meeting that speaks of a "kommunal akutt døgnenhet".
# The installed synonyms get a group of the test's own, so that a search
# for its made-up word finds the meeting only when the installed data (not
# the source tree's) was read, by the indexer and by the daemon.
echo "installsjekk | kommunal akutt døgnenhet" >>"$prefix/share/motesok/norsk/synonyms.txt"
# The Nynorsk pairs generated from apertium-nno-nob, when the build made
# them, are installed into their own folder and read too: a made-up pair
# appended to them must work.
queries=(KAD installsjekk)
if [[ -f $build/data-apertium/norsk/nynorsk.txt ]]; then
    generated=$prefix/share/motesok/apertium/norsk/nynorsk.txt
    [[ -f $generated ]] || fail "the generated Nynorsk pairs were not installed ($generated)"
    echo "nynorsksjekk døgnenhet" >>"$generated"
    queries+=(nynorsksjekk)
fi
# So is the compound table beside them: a made-up compound of two words of
# the meeting ("install", in no dictionary, and "døgnenhet"), split only
# by the line appended to it, must find the meeting.
if [[ -f $build/data-apertium/norsk/compounds.txt ]]; then
    generated=$prefix/share/motesok/apertium/norsk/compounds.txt
    [[ -f $generated ]] || fail "the generated compound table was not installed ($generated)"
    echo "installdøgnenhet install døgnenhet" >>"$generated"
    queries+=(installdøgnenhet)
fi
mkdir "$tmp/docs"
cat >"$tmp/docs/2019-03-12-kommunestyret-protokoll.txt" <<'TXT'
Møteprotokoll

Utval: Kommunestyret
Møtestad: Rådhuset
Dato: 12.03.2019

Sak 12/19 Kommunal akutt døgnenhet ved legevakta

Merknad: install.

Vedtak:
Kommunestyret vedtek å vidareføre den kommunale akutte døgnenheten.
TXT
"$prefix/bin/motesok-index" --index "$tmp/index" "$tmp/docs" 2>"$tmp/index.err" ||
    { cat "$tmp/index.err" >&2; fail "the installed indexer failed"; }
if grep -q "warning" "$tmp/index.err"; then
    cat "$tmp/index.err" >&2
    fail "the installed indexer warned (its data was not found?)"
fi

"$prefix/bin/motesokd" --index "$tmp/index" --listen 127.0.0.1:0 2>"$tmp/daemon.err" &
daemon=$!
url=
for _ in $(seq 600); do # a safety net for a loaded machine, not a measure
    url=$(sed -n 's|^motesokd: serving .* on \(http://[^ ]*\) .*|\1|p' "$tmp/daemon.err")
    [[ -n $url ]] && break
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.1
done
[[ -n $url ]] || { cat "$tmp/daemon.err" >&2; fail "the installed motesokd did not start"; }

"$prefix/bin/motesok" --url "$url" status >"$tmp/status" || fail "motesok status failed"
"$prefix/bin/motesok" --url "$url" status --json >"$tmp/status.json" || fail "motesok status --json failed"
grep -q '"documents": *1\b' "$tmp/status.json" || { cat "$tmp/status.json" >&2; fail "status does not count 1 document"; }
for q in "${queries[@]}"; do
    "$prefix/bin/motesok" --url "$url" search --json "$q" >"$tmp/search.json" || fail "motesok search $q failed"
    grep -q '"total": *1\b' "$tmp/search.json" ||
        { cat "$tmp/search.json" >&2; fail "a search for $q does not find 'kommunal akutt døgnenhet': the installed data was not read"; }
done

# The library and its headers through pkg-config.
cat >"$tmp/version.c" <<'C'
#include <motesok/motesok.h>
#include <stdio.h>
int main(void)
{
    printf("%s\n", motesok_version());
    return 0;
}
C
read -r -a flags < <(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs motesok) ||
    fail "pkg-config does not know the installed motesok.pc"
cc -o "$tmp/version" "$tmp/version.c" "${flags[@]}" ||
    fail "cannot build against the installed library with pkg-config"
version=$("$tmp/version") || fail "a program built with pkg-config does not run"
want=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion motesok)
[[ $version == "$want" ]] || fail "motesok_version() says '$version', motesok.pc '$want'"
echo "install test: passed ($prefix)"
