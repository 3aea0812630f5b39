#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the passage pool of the second relevance set (bench/relevance/v2):
# one UTF-8 .txt file per passage, the file name being the passage id.
#
#  - Laws and regulations from ../shared/corpora/lovdata-laws.tar.xz (NLOD
#    2.0, "Contains data under the Norwegian licence for Open Government data
#    (NLOD) distributed by Lovdata"): a fixed list of laws a municipality
#    works under, plus for each of fourteen topics the first laws and
#    regulations whose title names the topic, in the order of a hash of
#    their file name. Each document is cut at its sections (lines starting
#    "§ "), consecutive sections joined until a passage holds at least 500
#    bytes, a passage closed before it would pass 3,000 bytes, a longer
#    section cut at blank lines. Each passage starts with the document's
#    title line. At most 18 passages a document, spread evenly over it.
#    Id: <document file name>-<number of the cut in the document>.
#  - Minutes: the seed minutes of ../shared/seed-minutes/ and the minutes
#    of bench/minutes/heldout*/ (bench/minutes/dev/ too, if there is one),
#    cut before each line that starts a case ("Sak 12/18", "PS 12/18",
#    "012/18", "Sak nr. 4", "SAK49/10"…); a piece under 150 bytes is joined
#    to the one before (so a case list stays with the preamble), a piece
#    over 4,000 bytes is cut at blank lines. Text byte for byte.
#    Id: min-<folder>-<file name>-<number of the piece in the file>.
#    With --heads, every passage but a file's first starts with the file's
#    first non-blank line (at most 80 bytes, cut at a space) and a blank
#    line (its head: mostly the kommune, "GLOPPEN KOMMUNE"), as each law
#    passage starts with its law's title:
#    a case is then read, by every engine, as part of its meeting, as it is
#    in the whole file. The ids and the judgments stay the same.
#
# Everything is decided by file names, titles and text: the same sources
# give the same passages and ids on every run.
#
# Usage: bench/relevance/v2/make_docs.sh [--heads] [OUTDIR]
#        (default $BUILD_DIR/relevance-v2/docs, with --heads
#        $BUILD_DIR/relevance-v2-heads/docs; BUILD_DIR defaulting to build/;
#        the .txt files already in OUTDIR are removed first)
set -euo pipefail
# Bytes, not characters: lengths and cuts must be the same under mawk and gawk.
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
HEADS=0
if [[ ${1:-} == --heads ]]; then
    HEADS=1
    shift
fi
if ((HEADS)); then OUT=${1:-$BUILD_DIR/relevance-v2-heads/docs}; else OUT=${1:-$BUILD_DIR/relevance-v2/docs}; fi
LAWS_TAR=$ROOT/../shared/corpora/lovdata-laws.tar.xz
SEED=$ROOT/../shared/seed-minutes

die() { printf 'make_docs: %s\n' "$*" >&2; exit 1; }
[[ -f $LAWS_TAR ]] || die "$LAWS_TAR not found"
[[ -d $SEED ]] || die "$SEED not found"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
tar -C "$TMP" -xJf "$LAWS_TAR"

# Laws every municipality meets: always in.
CORE="
lov-2018-06-22-83 lov-2008-06-27-71 lov-2023-06-09-30 lov-2011-06-24-30
lov-2021-06-18-97 lov-2011-06-24-29 lov-2009-12-18-131 lov-2005-06-17-64
lov-1981-03-13-6 lov-2009-06-19-100 lov-1963-06-21-23 lov-2002-06-14-20
lov-1989-06-02-27 lov-2006-05-19-16 lov-1967-02-10 lov-1999-07-02-63
lov-1994-08-05-55 lov-2020-11-06-127 lov-1995-05-12-23 lov-2005-05-27-31
lov-2003-11-28-98 lov-1978-06-09-50 lov-1975-06-06-29 lov-1957-06-28-16
lov-1977-06-10-82 lov-2019-06-21-70 lov-2005-06-17-101 lov-2010-06-25-45
lov-1983-06-03-54 lov-1999-07-02-64 lov-1985-12-20-108 lov-1990-05-18-11
lov-1992-12-04-126 lov-1999-01-29-6 lov-2000-11-24-82 lov-2001-06-15-70
lov-2009-06-19-44 lov-2012-08-24-64 lov-2012-03-16-12 lov-2020-04-24-31
lov-2023-06-16-62 lov-2006-06-16-20 lov-2002-06-21-45 lov-2003-07-04-84
"

# Topic: a name and an extended regular expression on the title line.
TOPICS=$(cat <<'EOF'
helse helse|pasient|smittevern|legemiddel|sjukehus|sykehus|omsorg
kommune kommun|interkommunal|fylkesting|valg|folkevalgt
plan plan|bygning|byggesak|matrikkel|eigedom|eiendom|reguler|seksjon
skole opplæring|skole|skule|barnehage|utdanning|elev
barn barnevern|barn|ungdom|familie|adopsjon
miljo miljø|natur|forurens|avfall|klima|friluft|motorferdsel|vassdrag|støy
veg veg|vei|trafikk|samferdsel|transport|havn|ferje|jernbane|parkering
okonomi skatt|avgift|økonomi|budsjett|regnskap|anskaff|tilskudd|tilskot|inntekt|finans|lån
sosial sosial|velferd|introduksjon|integrering|bolig|bustad|husleie|trygd|pensjon|stønad|arbeidsmarked
beredskap brann|beredskap|sivil|redning|ulykke|politi|eksplosjon
kultur kultur|kirke|tru|tros|gravferd|bibliotek|stadnavn|stadnamn|språk|idrett|museum|film
landbruk jord|skog|konsesjon|odel|landbruk|reindrift|fiske|havbruk|dyr|vilt|beite
naering alkohol|servering|tobakk|lotteri|handel|energi|mineral|kraft|reiseliv
forvaltning forvaltning|offentleg|offentlig|arkiv|personopplysning|likestilling|diskriminering|arbeidsmiljø|ombud
EOF
)
PER_TOPIC_LAWS=11 PER_TOPIC_REGS=5 MAX_PASSAGES=18

# "name<TAB>bytes<TAB>title" for every document of folder $1.
titles() {
    awk 'FNR == 1 { print FILENAME "\t" $0; nextfile }' "$TMP/$1"/*.txt | sort >"$TMP/t"
    (cd "$TMP" && find "$1" -name '*.txt' -printf '%p\t%s\n') | sort >"$TMP/s"
    awk -F'\t' -v dir="$TMP/" 'NR == FNR { size[$1] = $2; next }
        { name = substr($1, length(dir) + 1); print name "\t" size[name] "\t" $2 }' "$TMP/s" "$TMP/t"
}
titles lover >"$TMP/lover.tsv"
titles forskrifter >"$TMP/forskrifter.tsv"

# The first $3 documents of list $1 (4 KB-400 KB, no amending or repealing
# acts) whose title matches regex $2, ordered by a hash of the file name
# (h = h * 31 + byte, modulo 2^31 - 1), then by name.
pick() {
    awk -F'\t' -v re="$2" '
        BEGIN { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i }
        $2 >= 4000 && $2 <= 400000 {
            t = tolower($3)
            if (t ~ /endring/ || t ~ /oppheving|oppheve/) next
            if (t !~ re) next
            h = 0
            for (i = 1; i <= length($1); i++) h = (h * 31 + ord[substr($1, i, 1)]) % 2147483647
            printf "%010d %s\n", h, $1
        }' "$1" | sort | awk -v n="$3" 'NR <= n { print $2 }'
}

{
    for id in $CORE; do
        [[ -f $TMP/lover/$id.txt ]] || die "core law $id not in the archive"
        echo "lover/$id.txt"
    done
    while read -r _ re; do
        pick "$TMP/lover.tsv" "$re" "$PER_TOPIC_LAWS"
        pick "$TMP/forskrifter.tsv" "$re" "$PER_TOPIC_REGS"
    done <<<"$TOPICS"
} | awk '!seen[$0]++' >"$TMP/chosen.txt"

mkdir -p "$OUT"
find "$OUT" -maxdepth 1 -name '*.txt' -delete

# Cut law $1 into passages named $2-NN in $OUT.
cut_law() {
    awk -v out="$OUT" -v id="$2" -v max="$MAX_PASSAGES" '
        function flush() {
            if (cur == "") return
            n++; text[n] = cur; cur = ""
        }
        # add a block (one section, or the text before the first one)
        function add(b) {
            if (b == "") return
            if (length(b) > 3000) { split_big(b); return }
            if (cur != "" && length(cur) >= 500 && length(cur) + length(b) > 3000) flush()
            cur = cur b
        }
        # a section longer than 3,000 bytes: cut at blank lines
        function split_big(b,    m, para, i, piece) {
            flush()
            m = split(b, para, "\n\n")
            piece = ""
            for (i = 1; i <= m; i++) {
                if (piece != "" && length(piece) + length(para[i]) > 3000) { cur = piece; flush(); piece = "" }
                piece = piece para[i] (i < m ? "\n\n" : "")
            }
            cur = piece
        }
        NR == 1 { title = $0; next }
        /^§ [0-9]/ { add(block); block = "" }
        { block = block $0 "\n" }
        END {
            add(block); flush()
            keep = n > max ? max : n
            for (k = 0; k < keep; k++) {
                i = int(k * n / keep) + 1
                body = text[i]
                sub(/^\n+/, "", body)
                if (body ~ /^[ \t\n]*$/) continue
                f = sprintf("%s/%s-%02d.txt", out, id, i)
                printf "%s\n\n%s", title, body > f
                close(f)
            }
        }' "$1"
}

while read -r doc; do
    cut_law "$TMP/$doc" "$(basename "$doc" .txt)"
done <"$TMP/chosen.txt"
laws=$(wc -l <"$TMP/chosen.txt")
law_passages=$(find "$OUT" -maxdepth 1 -name '*.txt' | wc -l)

# Cut minutes $1 at its cases into passages named $2-NN in $OUT.
cut_minutes() {
    awk -v out="$OUT" -v id="$2" -v heads="$HEADS" '
        function starts_case(s) {
            gsub(/\302\240/, " ", s)
            sub(/^[ \t\f\r]+/, "", s)
            if (s ~ /^(Sak|SAK|sak|PS|Ps|RS|FS|DS|OS|Saksnr|SAKSNR|Saknr)[ .:]*(nr|NR|Nr)?[ .:]*[0-9]/) return 1
            if (s ~ /^[A-Z]+-(sak|SAK)[ .:]*[0-9]/) return 1
            if (s ~ /^[0-9][0-9]?[0-9]?[0-9]?\/[0-9][0-9]([0-9][0-9])?([ \t:.)-]|$)/) return 1
            return 0
        }
        function piece_out(p) { if (p != "") { n++; text[n] = p } }
        { line = $0 "\n" }
        head == "" && $0 !~ /^[ \t\f\r]*$/ {
            head = $0  # at most 80 bytes, cut at a space (a flat file is one long line)
            if (length(head) > 80) { head = substr(head, 1, 80); sub(/ [^ ]*$/, "", head) }
        }
        NR > 1 && starts_case($0) { piece_out(cur); cur = "" }
        { cur = cur line }
        END {
            piece_out(cur)
            # join small pieces to the one before
            m = 0
            for (i = 1; i <= n; i++) {
                if (m > 0 && length(text[i]) < 150) { joined[m] = joined[m] text[i]; continue }
                joined[++m] = text[i]
            }
            if (m > 1 && length(joined[1]) < 150) { joined[2] = joined[1] joined[2]; for (i = 1; i < m; i++) joined[i] = joined[i + 1]; m-- }
            # cut long pieces at blank lines
            k = 0
            for (i = 1; i <= m; i++) {
                p = joined[i]
                if (length(p) <= 4000) { final[++k] = p; continue }
                np = split(p, para, "\n\n")
                acc = ""
                for (j = 1; j <= np; j++) {
                    part = para[j] (j < np ? "\n\n" : "")
                    if (acc != "" && length(acc) + length(part) > 3000) { final[++k] = acc; acc = "" }
                    acc = acc part
                }
                if (acc != "") final[++k] = acc
            }
            for (i = 1; i <= k; i++) {
                if (final[i] ~ /^[ \t\r\n\f]*$/) continue
                f = sprintf("%s/%s-%02d.txt", out, id, i)
                if (heads && i > 1) printf "%s\n\n", head > f
                printf "%s", final[i] > f
                close(f)
            }
        }' "$1"
}

minutes_folders=("$SEED")
for d in "$ROOT"/bench/minutes/dev "$ROOT"/bench/minutes/heldout*; do
    [[ -d $d ]] && minutes_folders+=("$d")
done
minutes=0
for d in "${minutes_folders[@]}"; do
    set_name=$(basename "$d")
    [[ $d == "$SEED" ]] && set_name=seed
    for f in "$d"/*.txt; do
        name=$(basename "$f" .txt | tr 'A-Z_' 'a-z-' | tr -c 'a-z0-9-\n' '-')
        cut_minutes "$f" "min-$set_name-$name"
        minutes=$((minutes + 1))
    done
done

total=$(find "$OUT" -maxdepth 1 -name '*.txt' | wc -l)
printf 'make_docs: %d passages in %s (%d from %d laws and regulations, %d from %d minutes)\n' \
    "$total" "$OUT" "$law_passages" "$laws" "$((total - law_passages))" "$minutes" >&2
