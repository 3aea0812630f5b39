#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package: cpack builds it from this build, dpkg-deb lists what
# it holds (programs, library, man pages, unit, data, copyright) and its
# Depends (from dpkg-shlibdeps); then the programs of the unpacked package
# run from where they were unpacked, with no LD_LIBRARY_PATH and no
# MOTESOK_DATA_DIR, and index a folder with the package's data.
# Usage: tests/deb.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/motesok-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "deb test: $*" >&2
    exit 1
}
unset LD_LIBRARY_PATH MOTESOK_DATA_DIR MOTESOK_INDEX

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
debs=("$tmp"/out/motesok_*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || fail "cpack made no motesok_*.deb"
deb=${debs[0]}

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/files"
for f in /usr/bin/motesok /usr/bin/motesok-index /usr/bin/motesokd \
    /usr/lib/motesok/libmotesok.so.0 \
    /usr/share/man/man1/motesok.1.gz /usr/share/man/man8/motesok-index.8.gz /usr/share/man/man8/motesokd.8.gz \
    /usr/lib/systemd/system/motesokd.service /usr/lib/sysusers.d/motesok.conf \
    /usr/share/motesok/norsk/synonyms.txt /usr/share/motesok/norsk/nynorsk.txt \
    /usr/share/doc/motesok/copyright /etc/logrotate.d/motesok \
    /usr/include/motesok/motesok.h /usr/lib/pkgconfig/motesok.pc; do
    grep -qx -- "$f" "$tmp/files" || { cat "$tmp/files" >&2; fail "the package lacks $f"; }
done
# the Nynorsk pairs generated from apertium-nno-nob, when the build made them
if [[ -f $build/data-apertium/norsk/nynorsk.txt ]]; then
    grep -qx /usr/share/motesok/apertium/norsk/nynorsk.txt "$tmp/files" ||
        fail "the package lacks the generated /usr/share/motesok/apertium/norsk/nynorsk.txt"
fi
# and the compound table generated beside them
if [[ -f $build/data-apertium/norsk/compounds.txt ]]; then
    grep -qx /usr/share/motesok/apertium/norsk/compounds.txt "$tmp/files" ||
        fail "the package lacks the generated /usr/share/motesok/apertium/norsk/compounds.txt"
fi

# Depends, as dpkg-shlibdeps found them, and what the analyser and the OCR
# (its default languages, nor+eng) read.
depends=$(dpkg-deb -f "$deb" Depends)
for p in libxapian30 libpoppler-glib8 libsqlite3-0 libmicrohttpd12 libcurl4 libjansson4 \
    libutf8proc2 libmagic1 libc6 hunspell-no libtesseract5 tesseract-ocr-nor tesseract-ocr-eng; do
    [[ ", $depends," == *", $p "* || ", $depends," == *", $p,"* ]] || fail "Depends lacks $p: $depends"
done
[[ $(dpkg-deb -f "$deb" Package) == motesok ]] || fail "the package is not named motesok"
dpkg-deb -I "$deb" postinst >/dev/null || fail "the package has no postinst (user, unit)"
dpkg-deb -I "$deb" conffiles | grep -qx /etc/logrotate.d/motesok || fail "logrotate is no conffile"

mkdir "$tmp/root"
dpkg-deb -x "$deb" "$tmp/root"
grep -qx 'ExecStart=/usr/bin/motesokd .*' "$tmp/root/usr/lib/systemd/system/motesokd.service" ||
    fail "the unit does not start /usr/bin/motesokd"
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    "$tmp/root/usr/share/doc/motesok/copyright" || fail "copyright is not in the machine-readable format"
grep -q '^License: GPL-2+' "$tmp/root/usr/share/doc/motesok/copyright" || fail "copyright names no GPL-2+"
if [[ -f $build/data-apertium/norsk/nynorsk.txt ]]; then
    grep -qx 'Files: usr/share/motesok/apertium/norsk/\*' "$tmp/root/usr/share/doc/motesok/copyright" ||
        fail "copyright does not cover the generated Nynorsk pairs"
fi
for p in motesok motesok-index motesokd; do
    # shellcheck disable=SC2016 # a literal $ORIGIN
    readelf -d "$tmp/root/usr/bin/$p" | grep -q 'R.*PATH.*\[\$ORIGIN/\.\./lib/motesok\]' ||
        fail "$p has no \$ORIGIN RPATH to /usr/lib/motesok"
done

# The unpacked programs find their library and data where they are.
root=$tmp/root/usr
"$root/bin/motesok" --version >/dev/null || fail "the packaged motesok does not run"
"$root/bin/motesokd" --version >/dev/null || fail "the packaged motesokd does not run"
mkdir "$tmp/docs"
printf 'Møteprotokoll\n\nKommunestyret 12.03.2019\n\nSak 12/19 Legevakt\n\nVedtak:\nLegevakta held fram.\n' \
    >"$tmp/docs/protokoll.txt"
"$root/bin/motesok-index" --index "$tmp/index" "$tmp/docs" 2>"$tmp/index.err" ||
    { cat "$tmp/index.err" >&2; fail "the packaged indexer failed"; }
if grep -q warning "$tmp/index.err"; then
    cat "$tmp/index.err" >&2
    fail "the packaged indexer warned (its data was not found?)"
fi
# Debian's own checks: no error, no warning (dist/debian/lintian-overrides
# says why two do not apply). lintian refuses to run as root without
# --allow-root.
if command -v lintian >/dev/null; then
    lintian --allow-root --fail-on error,warning "$deb" >"$tmp/lintian.log" 2>&1 ||
        { cat "$tmp/lintian.log" >&2; fail "lintian finds errors or warnings in the package"; }
else
    echo "deb test: lintian not installed: the package was not linted" >&2
fi
echo "deb test: passed ($(basename "$deb"), $(wc -l <"$tmp/files") entries)"
