#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Relevance benchmark: the judged queries of bench/relevance/queries.tsv (or
# another query file of the same format, e.g. heldout.tsv) run
# against the passages of bench/relevance/docs/ by motesok (motesok-index,
# then motesokd over HTTP), Xapian Omega (omindex --stemmer=norwegian, quest
# with Norwegian stemming) and Recoll (recollindex and recollq with Norwegian
# stemming and æ ø å kept as letters), all in one run on the same files.
# Omega and Recoll are each queried twice on one index: with all words
# required, as motesok and their own search pages do, and with any word
# (quest's default, Recoll's "any term"). Prints MRR@10 and nDCG@10 per
# engine, overall and per query type, as Markdown tables; writes every hit
# and the per-query scores to the work folder (hits.tsv, ranks.tsv).
#
# Usage: bench/relevance/run.sh [--queries FILE] [--docs DIR] [--work DIR]
#                               [--engines LIST] [--depth N]
#   --queries FILE   judged queries (default bench/relevance/queries.tsv)
#   --docs DIR       the passages, one .txt a passage, named by its id
#                    (default bench/relevance/docs; v2/make_docs.sh makes a
#                    bigger pool)
#   --work DIR       work folder, kept (default $BUILD_DIR/relevance)
#   --engines LIST   comma-separated, from motesok,omega,omega-or,recoll,recoll-or
#                    (default all five)
#   --depth N        hits asked of each engine and kept in hits.tsv (default
#                    10; more to pool passages for judging); scores stay @10
# Needs: scripts/install-deps.sh bench (xapian-omega, recollcmd, jq).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE=$ROOT/bench/relevance
QUERIES=$HERE/queries.tsv
DOCS=$HERE/docs DEPTH=10
WORK="" ENGINES=motesok,omega,omega-or,recoll,recoll-or
while [[ $# -gt 0 ]]; do
    case $1 in
    --queries) QUERIES=$2; shift 2 ;;
    --docs) DOCS=$2; shift 2 ;;
    --depth) DEPTH=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --engines) ENGINES=$2; shift 2 ;;
    -h | --help) sed -n '3,26s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"
for e in "${ENGINE_LIST[@]}"; do
    case $e in
    motesok) need_tools curl jq ;;
    omega | omega-or) need_tools omindex quest ;;
    recoll | recoll-or) need_tools recollindex recollq ;;
    *) die "unknown engine '$e' (known: motesok, omega, omega-or, recoll, recoll-or)" ;;
    esac
done
[[ -f $QUERIES ]] || die "$QUERIES not found"
if ! [[ $DEPTH =~ ^[1-9][0-9]*$ ]] || ((DEPTH < 10)); then die "--depth must be a number, 10 or more"; fi
[[ -n $(find "$DOCS" -name '*.txt' -print -quit 2>/dev/null) ]] ||
    die "no passages in $DOCS: run bench/relevance/make_docs.sh (or v2/make_docs.sh)"
[[ " ${ENGINE_LIST[*]} " != *" motesok "* ]] || need_build motesokd
bench_work "${WORK:-$BUILD_DIR/relevance}"

HITS_RAW=$work/hits.raw
LIMIT=10 # scored

# The passages are staged at one fixed path, whatever the work folder: the
# indexer's file ids are hashes of absolute paths, and they decide which
# shard a passage lands in and so the order of near ties, so the same build
# over the same pool would score differently from one work folder to the
# next. Runs on one machine take turns for the stage (flock, held until
# this run ends). MOTESOK_RELEVANCE_STAGE moves it.
STAGE=${MOTESOK_RELEVANCE_STAGE:-${TMPDIR:-/tmp}/motesok-relevance-stage}
COLLECTION=$STAGE/collection

# Copy the passages into $COLLECTION under neutral names (p001.txt …) and
# write collection.map (file name, passage id): Recoll matches words of
# file names in plain queries, and the passage ids name their topics.
stage_collection() {
    local f i=0 name
    mkdir -p "$STAGE" || die "cannot make $STAGE"
    exec {STAGE_LOCK}>"$STAGE/lock"
    flock "$STAGE_LOCK" || die "cannot lock $STAGE/lock"
    rm -rf "$COLLECTION" "$work/idx"
    mkdir -p "$COLLECTION" "$work/idx"
    : >"$work/collection.map"
    for f in "$DOCS"/*.txt; do
        i=$((i + 1))
        name=$(printf 'p%03d.txt' "$i")
        cp "$f" "$COLLECTION/$name"
        printf '%s\t%s\n' "$name" "$(basename "$f" .txt)" >>"$work/collection.map"
    done
    PASSAGES=$i
}

# Die unless the query file is well formed: four columns, a known type, unique
# ids, and at least one judged passage, each an existing passage with grade
# 1 or 2 and named once.
check_queries() {
    local bad
    bad=$(awk -F'\t' -v docs="$DOCS" -v file="${QUERIES##*/}" '
        NR == 1 || /^[[:space:]]*$/ { next }
        {
            where = file " line " NR
            if (NF != 4) { print where ": " NF " columns, not 4"; next }
            if ($2 !~ /^(plain|inflected|nynorsk|compound-joined|compound-split|typo|abbrev|alnum|name|question|long|decision|organ-law|organ-minutes|question-law|question-minutes)$/)
                print where ": unknown type " $2
            if (ids[$1]++) print where ": id " $1 " used twice"
            n = split($4, rel, " ")
            if (n == 0) print where ": no relevant passage"
            delete named
            for (i = 1; i <= n; i++) {
                if (rel[i] !~ /^[a-z0-9-]+:[12]$/) { print where ": bad judgment " rel[i]; continue }
                split(rel[i], pg, ":")
                if (named[pg[1]]++) print where ": " pg[1] " judged twice"
                f = docs "/" pg[1] ".txt"
                if ((getline line < f) < 0) print where ": no passage " pg[1]
                close(f)
            }
        }' "$QUERIES")
    [[ -z $bad ]] || die "$bad"
}

# Print "id<TAB>query" for every query of the query file.
each_query() {
    awk -F'\t' 'NR > 1 && $1 != "" { print $1 "\t" $3 }' "$QUERIES"
}

# Append the hits on stdin (one path or URL a line, best first) as
# "engine qid rank file-name" lines to $HITS_RAW, at most $DEPTH.
record_hits() {
    awk -v e="$1" -v q="$2" -v limit="$DEPTH" '
        NF && n < limit { n++; k = split($0, p, "/"); print e "\t" q "\t" n "\t" p[k] }' >>"$HITS_RAW"
}

run_motesok() {
    local id query failed=0 cut=0 answer
    say "motesok: motesok-index, then motesokd over HTTP"
    # one extraction thread: the passages reach the two shards in one order
    # on every run, so equal scores keep one order (that of the document ids)
    "$BIN/motesok-index" --quiet --jobs 1 --shards 2 --index "$work/idx/motesok" "$COLLECTION" >"$work/motesok-index.log" 2>&1 ||
        say "motesok-index exited $? (see $work/motesok-index.log)"
    start_daemon "$work/idx/motesok"
    # a search the time limit (1 s) cut short is counted: on an overloaded
    # machine the figures would not be the engine's
    while IFS=$'\t' read -r id query; do
        if answer=$(curl -sf --get --data-urlencode "q=$query" --data "limit=$DEPTH" \
            "$DAEMON_URL/api/v1/search"); then
            jq -r '.hits[].path' <<<"$answer" | record_hits motesok "$id"
            jq -e '.limited_by // [] | index("time")' <<<"$answer" >/dev/null && cut=$((cut + 1))
        else
            failed=$((failed + 1))
        fi
    done < <(each_query)
    stop_daemon
    ((failed == 0)) || say "motesok: $failed queries failed (scored 0)"
    ((cut == 0)) || say "motesok: the time limit cut $cut searches short (machine overloaded?): figures not comparable"
}

# Build the Omega database once for both quest variants.
index_omega() {
    [[ ! -d $work/idx/omega ]] || return 0
    omindex --db "$work/idx/omega" --url / --stemmer=norwegian "$COLLECTION" >"$work/omindex.log" 2>&1 ||
        say "omindex exited $? (see $work/omindex.log)"
}

# Query Omega's database with quest, default operator $2, as engine $1.
query_omega() {
    local id query failed=0
    say "$1: quest -s norwegian -o $2 (omindex --stemmer=norwegian)"
    index_omega
    while IFS=$'\t' read -r id query; do
        quest -d "$work/idx/omega" -s norwegian -o "$2" -m "$DEPTH" "$query" 2>>"$work/quest.log" |
            sed -n 's/^url=//p' | record_hits "$1" "$id" || failed=$((failed + 1))
    done < <(each_query)
    ((failed == 0)) || say "$1: $failed queries failed (scored 0, see $work/quest.log)"
}


# Recoll's configuration: the staged passages, Norwegian stemming, æ ø å as
# letters of their own (the default folds ø to o and æ to ae, unlike the
# Norwegian stemmer), no aspell dictionary (the other two build none).
recoll_conf() {
    mkdir -p "$1"
    cat >"$1/recoll.conf" <<CONF
topdirs = $COLLECTION
indexstemminglanguages = norwegian
unac_except_trans = ææ Ææ øø Øø åå Åå ßss œoe Œoe ﬀff ﬁfi ﬂfl ’' ❜' ʼ' ‐-
noaspell = 1
loglevel = 1
CONF
}

# Build the Recoll index once for both recollq variants.
index_recoll() {
    [[ ! -d $work/idx/recoll ]] || return 0
    recoll_conf "$work/idx/recoll"
    recollindex -c "$work/idx/recoll" -z >"$work/recollindex.log" 2>&1 ||
        say "recollindex exited $? (see $work/recollindex.log)"
}

# Query the Recoll index with recollq and extra options $2..., as engine $1.
query_recoll() {
    local engine=$1 id query failed=0
    shift
    say "$engine: recollq -s norwegian $*"
    index_recoll
    while IFS=$'\t' read -r id query; do
        recollq -c "$work/idx/recoll" -s norwegian "$@" -b -n "$DEPTH" "$query" 2>>"$work/recollq.log" |
            sed -n '/^file:\/\//p' | record_hits "$engine" "$id" || failed=$((failed + 1))
    done < <(each_query)
    ((failed == 0)) || say "$engine: $failed queries failed (scored 0, see $work/recollq.log)"
}

# Run engine $1 on every query, appending to $HITS_RAW.
run_engine() {
    case $1 in
    motesok) run_motesok ;;
    omega) query_omega omega and ;;        # as Omega's web search (DEFAULTOP=and)
    omega-or) query_omega omega-or or ;;   # quest's own default
    recoll) query_recoll recoll ;;         # query language: words are ANDed
    recoll-or) query_recoll recoll-or -o ;; # the "any term" simple search
    esac
}

# Score hits.tsv against the judgments: per engine and query the rank of
# the first relevant passage (RR@10) and nDCG@10 with gains 2 and 1 and a
# log2(rank + 1) discount; a passage counts once, at its first rank.
# Writes ranks.tsv and prints the Markdown tables.
score() {
    awk -F'\t' -v engines="$ENGINES" -v ranks="$work/ranks.tsv" -v limit="$LIMIT" '
        function log2(x) { return log(x) / log(2) }
        FILENAME == ARGV[1] {
            if (FNR == 1 || $1 == "") next
            q[++nq] = $1; qtype[$1] = $2; qtext[$1] = $3
            if (!($2 in tn)) types[++nt] = $2
            tn[$2]++
            n = split($4, rel, " ")
            for (i = 1; i <= n; i++) {
                split(rel[i], pg, ":")
                grade[$1, pg[1]] = pg[2]; g[i] = pg[2] + 0
            }
            # ideal DCG: grades in descending order (insertion sort, few)
            for (i = 2; i <= n; i++)
                for (j = i; j > 1 && g[j] > g[j - 1]; j--) { t = g[j]; g[j] = g[j - 1]; g[j - 1] = t }
            idcg[$1] = 0
            for (i = 1; i <= n && i <= limit; i++) idcg[$1] += g[i] / log2(i + 1)
            next
        }
        {   # engine, query, rank, passage
            if ($3 > limit || seen[$1, $2, $4]++) next
            answered[$1, $2] = 1
            gr = grade[$2, $4] + 0
            top[$1, $2] = top[$1, $2] (top[$1, $2] == "" ? "" : " ") $4 "@" $3
            if (gr == 0) next
            dcg[$1, $2] += gr / log2($3 + 1)
            if (!(($1, $2) in first)) first[$1, $2] = $3
            found[$1, $2] = found[$1, $2] (found[$1, $2] == "" ? "" : " ") $4 ":" gr "@" $3
        }
        END {
            ne = split(engines, eng, ",")
            print "id\ttype\tquery\tengine\tfirst_relevant_rank\trr\tndcg\trelevant_found\thits" > ranks
            for (k = 1; k <= ne; k++) {
                e = eng[k]
                for (i = 1; i <= nq; i++) {
                    id = q[i]
                    rr = ((e, id) in first) ? 1 / first[e, id] : 0
                    nd = idcg[id] > 0 ? dcg[e, id] / idcg[id] : 0
                    t = qtype[id]
                    mrr[e, t] += rr; ndcg[e, t] += nd; mrr[e] += rr; ndcg[e] += nd
                    if (rr > 0) hit[e]++
                    if (!((e, id) in answered)) empty[e]++
                    printf "%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%s\t%s\n", id, t, qtext[id], e,
                        ((e, id) in first) ? first[e, id] : "-", rr, nd, found[e, id], top[e, id] > ranks
                }
            }
            printf "\n| engine | MRR@10 | nDCG@10 | queries with a relevant passage in the top 10 | queries with no hit |\n|---|---|---|---|---|\n"
            for (k = 1; k <= ne; k++) {
                e = eng[k]
                printf "| %s | %.3f | %.3f | %d of %d | %d |\n", e, mrr[e] / nq, ndcg[e] / nq, hit[e], nq, empty[e]
            }
            for (m = 1; m <= 2; m++) {
                printf "\n| %s by query type | queries |", m == 1 ? "MRR@10" : "nDCG@10"
                for (k = 1; k <= ne; k++) printf " %s |", eng[k]
                printf "\n|---|---|"
                for (k = 1; k <= ne; k++) printf "---|"
                printf "\n"
                for (j = 1; j <= nt; j++) {
                    t = types[j]
                    printf "| %s | %d |", t, tn[t]
                    for (k = 1; k <= ne; k++)
                        printf " %.3f |", (m == 1 ? mrr[eng[k], t] : ndcg[eng[k], t]) / tn[t]
                    printf "\n"
                }
                printf "| all | %d |", nq
                for (k = 1; k <= ne; k++) printf " %.3f |", (m == 1 ? mrr[eng[k]] : ndcg[eng[k]]) / nq
                printf "\n"
            }
        }' "$QUERIES" "$work/hits.tsv"
}

check_queries
stage_collection
: >"$HITS_RAW"
for e in "${ENGINE_LIST[@]}"; do run_engine "$e"; done
# File names back to passage ids.
awk -F'\t' 'NR == FNR { id[$1] = $2; next }
            { print $1 "\t" $2 "\t" $3 "\t" (($4 in id) ? id[$4] : "unknown:" $4) }' \
    "$work/collection.map" "$HITS_RAW" >"$work/hits.tsv"

nq=$(each_query | wc -l)
echo "### Relevance: $nq queries, $PASSAGES passages ($(date +%Y-%m-%d))"
echo
versions=()
[[ ,$ENGINES, != *,motesok,* ]] || versions+=("$("$BIN/motesok-index" --version 2>/dev/null)")
[[ ,$ENGINES, != *,omega* ]] || versions+=("$(omindex -V 2>/dev/null)")
[[ ,$ENGINES, != *,recoll* ]] || versions+=("$(recollq -v 2>/dev/null | head -1)")
printf 'Versions: %s\n' "$(printf '%s; ' "${versions[@]}" | sed 's/; $//')"
score
echo
echo "Per query: $work/ranks.tsv; every hit: $work/hits.tsv"
