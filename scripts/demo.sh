#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Quick start: install what is missing, build, index the bundled corpus,
# start motesokd on 127.0.0.1:7700 and show a query with its results.
# Usage: scripts/demo.sh [QUERY...]   (default query: legevakt)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

INDEX=${MOTESOK_INDEX:-$BUILD_DIR/demo-index}
LISTEN=${MOTESOK_LISTEN:-127.0.0.1:7700}
URL="http://$LISTEN"
PIDFILE=$BUILD_DIR/motesokd.pid
LOG=$BUILD_DIR/motesokd.log

ensure_deps
build_into "$BUILD_DIR"
BIN=$BUILD_DIR/bin

say "indexing corpus/ into ${INDEX#"$ROOT"/}"
"$BIN/motesok-index" --index "$INDEX" "$ROOT/corpus"

if [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    say "stopping the motesokd started earlier (pid $(cat "$PIDFILE"))"
    kill "$(cat "$PIDFILE")"
    while kill -0 "$(cat "$PIDFILE")" 2>/dev/null; do sleep 0.1; done
fi
say "starting motesokd on $URL (log: ${LOG#"$ROOT"/})"
nohup "$BIN/motesokd" --index "$INDEX" --listen "$LISTEN" >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 100); do
    "$BIN/motesok" --url "$URL" status >/dev/null 2>&1 && break
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat "$LOG" >&2; die "motesokd did not start"; }
    sleep 0.1
done

QUERY=("$@")
[[ ${#QUERY[@]} -gt 0 ]] || QUERY=(legevakt)
say "motesok search ${QUERY[*]}"
"$BIN/motesok" --url "$URL" search "${QUERY[@]}"
cat >&2 <<EOT

motesokd keeps running on $URL (pid $(cat "$PIDFILE")); open $URL/ in a browser.
Try:  $BIN/motesok search --json legevakt
      $BIN/motesok status
Stop: kill \$(cat ${PIDFILE#"$ROOT"/})
EOT
