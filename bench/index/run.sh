#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Indexing benchmark: motesok-index against Xapian Omega (omindex, Norwegian
# stemmer) and Recoll (recollindex, Norwegian stemming) on the same files in
# the same run: a generated TXT corpus (default 5000 minutes, ~65 MB) and
# multi-page PDFs made from generated minutes by motesok-txt2pdf (cairo).
# Each indexer starts from an empty index; wall time and the peak resident
# memory of the indexer with all its child processes (sampled every 250 ms)
# are printed as Markdown tables for bench/RESULTS.md.
#
# With --only laws, the corpus is instead the 4,244 Norwegian laws and
# regulations of ../shared/corpora/lovdata-laws.tar.xz (107 MB of real text).
#
# Usage: bench/index/run.sh [--docs N] [--pdfs N] [--only txt|pdf|laws] [--keep DIR]
#   --keep DIR  build the corpora in DIR and leave them there (reused when
#               present) instead of a temporary folder
# Needs: scripts/install-deps.sh bench (xapian-omega, recollcmd, time).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DOCS=5000 PDFS=220 ONLY="" KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --docs) DOCS=$2; shift 2 ;;
    --pdfs) PDFS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '3,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
need_tools omindex recollindex
need_build motesok-gen-corpus
bench_work "$KEEP"
WORK_SCRATCH=$work/idx # the indexes, even when the corpora are kept

# Sum of the resident memory (KiB) of pid and all its descendants.
tree_rss() {
    ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
        { parent[$1] = $2; rss[$1] = $3 }
        END {
            for (p in rss) {
                for (q = p; q != "" && q != 0 && q != 1; q = parent[q])
                    if (q == root) { sum += rss[p]; break }
            }
            print sum + 0
        }'
}

# Run a command; sets WALL (seconds) and PEAK (MiB, whole process tree).
measure() {
    local start end peak=0 now pid
    start=$(date +%s.%N)
    "$@" >"$work/last.log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        now=$(tree_rss "$pid")
        ((now > peak)) && peak=$now
        sleep 0.25
    done
    wait "$pid" || true # failures are reported by the index check below
    end=$(date +%s.%N)
    WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    PEAK=$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')
}

# Recoll's configuration for one corpus: Norwegian stemming, no aspell
# dictionary (neither other indexer builds one), its index inside $2.
recoll_conf() {
    mkdir -p "$2"
    cat >"$2/recoll.conf" <<EOF
topdirs = $1
indexstemminglanguages = norwegian
noaspell = 1
loglevel = 1
EOF
}

# Index corpus $1 (label $2, expected documents $3) with all three.
bench_corpus() {
    local dir=$1 label=$2 want=$3 mb docs
    mb=$(du -sb "$dir" | awk '{ printf "%.1f", $1 / 1048576 }')
    echo
    echo "### $label: $want files, $mb MB"
    echo
    echo "| indexer | wall s | peak RSS MiB | documents | index MiB |"
    echo "|---|---|---|---|---|"
    rm -rf "$work/idx" && mkdir -p "$work/idx"

    measure "$BIN/motesok-index" --quiet --index "$work/idx/motesok" "$dir"
    docs=$(xapian-delve -t XKpreamble "$work/idx/motesok/shards.stub" 2>/dev/null |
           sed -n 's/.*termfreq \([0-9]*\).*/\1/p')
    echo "| motesok-index (--jobs $JOBS) | $WALL | $PEAK | $docs | $(du -sm "$work/idx/motesok" | cut -f1) |"
    local m_wall=$WALL

    measure omindex --db "$work/idx/omega" --url / --stemmer=norwegian "$dir"
    docs=$(xapian-delve "$work/idx/omega" 2>/dev/null | awk -F' = ' '/number of documents/ {print $2}')
    echo "| omindex --stemmer=norwegian | $WALL | $PEAK | $docs | $(du -sm "$work/idx/omega" | cut -f1) |"
    local o_wall=$WALL

    recoll_conf "$dir" "$work/idx/recoll"
    measure recollindex -c "$work/idx/recoll" -z
    docs=$(xapian-delve "$work/idx/recoll/xapiandb" 2>/dev/null | awk -F' = ' '/number of documents/ {print $2}')
    echo "| recollindex (norwegian) | $WALL | $PEAK | $docs | $(du -sm "$work/idx/recoll/xapiandb" | cut -f1) |"
    local r_wall=$WALL

    echo
    awk -v m="$m_wall" -v o="$o_wall" -v r="$r_wall" \
        'BEGIN { printf "Wall time ratios: motesok/omindex %.2f, motesok/recollindex %.2f\n", m / o, m / r }'
}

LAWS=$ROOT/../shared/corpora/lovdata-laws.tar.xz
if [[ $ONLY == laws ]]; then
    [[ -f $LAWS ]] || die "$LAWS not found (the shared corpora sit beside the checkout)"
    if [[ ! -d $work/laws ]]; then
        say "unpacking the laws corpus"
        mkdir -p "$work/laws" && tar -C "$work/laws" -xJf "$LAWS"
    fi
    say "indexing the laws corpus three times"
    bench_corpus "$work/laws" "Laws (lovdata-laws)" "$(find "$work/laws" -name '*.txt' | wc -l)"
    exit 0
fi
if [[ $ONLY != pdf ]]; then
    if [[ ! -d $work/txt ]]; then
        say "generating $DOCS text minutes"
        "$BIN/motesok-gen-corpus" --count "$DOCS" "$work/txt"
    fi
    say "indexing the text corpus three times"
    bench_corpus "$work/txt" "TXT" "$DOCS"
fi
if [[ $ONLY != txt ]]; then
    if [[ ! -d $work/pdf ]]; then
        say "making $PDFS multi-page PDFs"
        "$BIN/motesok-gen-corpus" --count "$PDFS" --size 24000 --seed 7 "$work/pdfsrc"
        mkdir -p "$work/pdf"
        find "$work/pdfsrc" -name '*.txt' -print0 | sort -z |
            xargs -0 -P "$JOBS" -I{} sh -c 'f={}; b=$(basename "$f" .txt); "$0" "$f" "$1/$b.pdf"' \
                "$BIN/motesok-txt2pdf" "$work/pdf"
        rm -rf "$work/pdfsrc"
    fi
    pages=$(for f in "$work"/pdf/*.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done |
            awk '{ s += $1 } END { print s }')
    say "indexing the PDF corpus three times ($pages pages)"
    bench_corpus "$work/pdf" "PDF ($pages pages)" "$PDFS"
fi
