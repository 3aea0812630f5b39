#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the .deb on this machine with dpkg -i and use it as an admin
# would: the motesok user, the unit, man pages, an index built as motesok
# over corpus/, motesokd (through systemd when it runs, else started by
# hand as motesok on a free port) and `motesok status`; then purge it
# again, with the user and /var/lib/motesok when this script made them.
# Needs root and a Debian 12 machine without another motesok installed.
# Usage: scripts/check-deb.sh [--keep]     (--keep: leave it installed)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEEP=0
[[ ${1:-} == --keep ]] && KEEP=1
[[ $(id -u) == 0 ]] || die "check-deb: run as root (dpkg -i)"
if dpkg-query -W -f='${Status}' motesok 2>/dev/null | grep -q "ok installed"; then
    die "check-deb: motesok is installed already (dpkg --purge motesok first)"
fi
[[ ! -e /usr/bin/motesokd ]] || die "check-deb: /usr/bin/motesokd exists and is not from the package"

ensure_deps
build_into "$BUILD_DIR"
out=$BUILD_DIR/deb
rm -rf "$out"
say "building the .deb"
cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$out" >/dev/null
deb=$(ls "$out"/motesok_*.deb)

had_user=0
getent passwd motesok >/dev/null && had_user=1
had_state=0
[[ -e /var/lib/motesok ]] && had_state=1
tmp=$(mktemp -d /tmp/motesok-check-deb.XXXXXX)
chmod 0755 "$tmp"
daemon=
cleanup() {
    if [[ -n $daemon ]]; then
        kill "$daemon" 2>/dev/null || true
        wait "$daemon" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    if [[ $KEEP == 0 ]]; then
        dpkg --purge motesok >/dev/null 2>&1 || true
        [[ $had_user == 1 ]] || userdel motesok 2>/dev/null || true
        [[ $had_state == 1 ]] || rm -rf /var/lib/motesok
    fi
}
trap cleanup EXIT

say "dpkg -i $(basename "$deb")"
unset LD_LIBRARY_PATH MOTESOK_DATA_DIR MOTESOK_INDEX MOTESOK_URL
if ! dpkg -i "$deb"; then
    say "installing its dependencies"
    DEBIAN_FRONTEND=noninteractive apt-get install -f -y -q --no-install-recommends
fi
dpkg-query -W -f='${Status}\n' motesok | grep -q "install ok installed" || die "motesok is not installed"
getent passwd motesok >/dev/null || die "postinst made no motesok user"
[[ $(stat -c %U /var/lib/motesok) == motesok ]] || die "/var/lib/motesok is not motesok's"
for p in motesok motesok-index motesokd; do
    [[ $(command -v "$p") == /usr/bin/$p ]] || die "$p is not on PATH as /usr/bin/$p"
done
for page in "1 motesok" "8 motesokd" "8 motesok-index"; do
    # shellcheck disable=SC2086 # section and name
    man -w $page >/dev/null || die "man does not find $page"
done
# the data generated from apertium-nno-nob, when this build made it
for f in nynorsk.txt compounds.txt; do
    [[ ! -f $BUILD_DIR/data-apertium/norsk/$f || -s /usr/share/motesok/apertium/norsk/$f ]] ||
        die "the package did not install /usr/share/motesok/apertium/norsk/$f"
done
[[ -f /lib/systemd/system/motesokd.service || -f /usr/lib/systemd/system/motesokd.service ]] ||
    die "no motesokd.service"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/motesokd.service || die "systemd-analyze rejects the unit"
fi

say "indexing corpus/ as motesok"
cp -r "$ROOT/corpus" "$tmp/corpus"
chmod -R a+rX "$tmp/corpus"
runuser -u motesok -- motesok-index --quiet --index /var/lib/motesok/index "$tmp/corpus" ||
    die "motesok-index as motesok failed"

if [[ -d /run/systemd/system ]]; then
    say "motesokd through systemd"
    systemctl restart motesokd.service
    url=http://127.0.0.1:7700
    for _ in $(seq 100); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.1; done
else
    say "no systemd here: motesokd started by hand as motesok"
    runuser -u motesok -- motesokd --index /var/lib/motesok/index --listen 127.0.0.1:0 2>"$tmp/daemon.err" &
    daemon=$!
    url=
    for _ in $(seq 600); do
        url=$(sed -n 's|^motesokd: serving .* on \(http://[^ ]*\) .*|\1|p' "$tmp/daemon.err")
        [[ -n $url ]] && break
        sleep 0.1
    done
    [[ -n $url ]] || { cat "$tmp/daemon.err" >&2; die "motesokd did not start"; }
fi
motesok --url "$url" status || die "motesok status failed"
motesok --url "$url" search --limit 2 legevakt || die "motesok search failed"
say "the .deb installs and runs ($(basename "$deb"))"
