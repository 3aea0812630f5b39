// SPDX-License-Identifier: GPL-2.0-or-later
// The C API over Xapian (lib/xapian/xapian.h): the only C++ in Møtesøk.
// Every extern "C" function is noexcept and funnels any exception through
// map_exception(), so that no C++ exception ever crosses into C.
#include "internal.h"
#include "xapian/shim_internal.h"
#include "xapian/xapian.h"
#include "schema.h"

#include <utf8proc.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <set>
#include <string>
#include <sys/stat.h>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// ---- analysis hooks ---------------------------------------------------------
//
// The binding knows no language: the stemmer, the stopwords, a word's extra
// part stems (under MOTESOK_PREFIX_PART, motesok_xdoc_analyse), what a date
// range means and how a text scores against a query's terms come from the
// analysis layer through motesok_xanalysis hooks (lib/analysis/lang.c).
// Query rewriting is lib/analysis/rewrite.c's, over the query trees below.
namespace {

std::atomic<const motesok_xanalysis *> hooks{nullptr};

// Stems a thread remembers at most (HookStem).
const size_t STEM_MEMO = 100000;

// The stemmer the hooks give (Snowball alone without them).
class HookStem : public Xapian::StemImplementation {
  public:
    std::string operator()(const std::string &word) override
    {
        const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
        if (h == nullptr || h->stem == nullptr)
            return snowball_(word);
        // The stems given, per thread: text repeats its words, and a look-up
        // costs a fraction of a stemming. Bounded: cleared when full, and
        // when the hooks change.
        thread_local std::unordered_map<std::string, std::string> memo;
        thread_local const motesok_xanalysis *memo_of = nullptr;
        if (memo_of != h) {
            memo.clear();
            memo_of = h;
        }
        auto it = memo.find(word);
        if (it != memo.end())
            return it->second;
        thread_local msk_buf out{};
        if (h->stem(word.data(), word.size(), &out) != MOTESOK_OK)
            throw std::bad_alloc();
        if (memo.size() >= STEM_MEMO)
            memo.clear();
        return memo.emplace(word, std::string(out.data, out.len)).first->second;
    }
    std::string get_description() const override { return "hooks"; }

  private:
    Xapian::Stem snowball_{"norwegian"};
};

// The stopwords the hooks give, for documents or for queries.
class HookStopper : public Xapian::Stopper {
  public:
    explicit HookStopper(bool query) : query_(query) {}
    bool operator()(const std::string &word) const override
    {
        const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
        bool (*fn)(const char *, size_t) = h == nullptr ? nullptr : query_ ? h->query_stopword : h->stopword;
        return fn != nullptr && fn(word.data(), word.size());
    }

  private:
    bool query_;
};

// A new stemmer: Xapian::Stem objects are not shared between threads.
Xapian::Stem hook_stem()
{
    return Xapian::Stem(new HookStem);
}

// The hooks' stopword test for documents.
bool doc_stopword(const std::string &w)
{
    const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
    return h != nullptr && h->stopword != nullptr && h->stopword(w.data(), w.size());
}

// The extra stems the hooks give for body word (none without hooks).
std::vector<std::string> part_stems(const std::string &word)
{
    std::vector<std::string> out;
    const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
    if (h == nullptr || h->parts == nullptr)
        return out;
    auto add = [](const char *stem, size_t len, void *ctx) {
        static_cast<std::vector<std::string> *>(ctx)->emplace_back(stem, len);
    };
    if (h->parts(word.data(), word.size(), add, &out) != MOTESOK_OK)
        throw std::bad_alloc();
    return out;
}

// A cache of part_stems per thread: a document's words are mostly the
// words of the documents before it. Cleared when it grows past a bound.
const std::vector<std::string> &cached_part_stems(const std::string &word)
{
    thread_local std::unordered_map<std::string, std::vector<std::string>> cache;
    auto it = cache.find(word);
    if (it != cache.end())
        return it->second;
    if (cache.size() >= 200000)
        cache.clear();
    return cache.emplace(word, part_stems(word)).first->second;
}

} // namespace

// A WritableDatabase that always holds an open transaction, so that closing
// without a commit discards the changes instead of committing them. A
// failed replace or delete makes Xapian drop every uncommitted change;
// lost remembers that, so that the next commit can say so.
struct motesok_xwriter {
    Xapian::WritableDatabase db;
    bool in_txn = false;
    bool lost = false;
    std::string lost_why;
};

// A document being built, with its own TermGenerator set up like the
// writer's (the hooks' stemmer, STEM_SOME, positions), so that documents
// never share a term position counter.
struct motesok_xdoc {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    Xapian::Stem stem;
    std::vector<std::string> spelling; // words for the spelling table
};

// One or more databases searched as one.
struct motesok_xreader {
    Xapian::Database db;
    std::vector<Xapian::Database> parts; // each shard, sharing db's internals
    std::vector<std::string> paths;      // each shard's directory
    std::vector<std::string> uuids;      // each shard's database, as opened
    bool broken = false;                 // a reopen or read failed: open afresh
    size_t n_dbs = 0;
    Xapian::Stem stem = hook_stem();
    HookStopper stopper{true}; // the query stopwords
};

struct motesok_xquery {
    explicit motesok_xquery(Xapian::Query query = Xapian::Query()) : q(std::move(query)) {}
    Xapian::Query q;
    Xapian::Query rerank;   // weighed on the top passages only (see rerank_top)
    std::string suggestion; // the corrected query text, "" if none
    bool pure_not = false;  // only excludes: NOT x
    bool any_part = false;  // a compound may match by any one of its parts
    motesok_xquery_cost cost{}; // what its wildcards were given (parse only)
};

// A facet: (value, count), most frequent first.
typedef std::vector<std::pair<std::string, Xapian::doccount>> facet_list;

// Counts, for each value of a slot, the matching documents — or, with a
// distinct slot, the distinct values of that slot among them, so that a
// meeting and its matching cases count once.
class FacetSpy : public Xapian::MatchSpy {
  public:
    // Count the values of slots; with distinct >= 0, each value once per
    // value of that slot (a meeting once, however many passages match).
    FacetSpy(std::vector<Xapian::valueno> slots, int distinct)
        : slots_(std::move(slots)), distinct_(distinct), counts_(slots_.size())
    {
    }

    void operator()(const Xapian::Document &doc, double) override
    {
        if (distinct_ >= 0) {
            // a meeting counts with the values of the first of its passages
            // seen (they all carry the meeting's); the rest read one value
            std::string key = doc.get_value(static_cast<Xapian::valueno>(distinct_));
            if (key.empty())
                key = "#" + std::to_string(doc.get_docid());
            if (!seen_.insert(std::move(key)).second)
                return;
        }
        for (size_t f = 0; f < slots_.size(); f++) {
            std::string v = doc.get_value(slots_[f]);
            if (!v.empty())
                counts_[f][v]++;
        }
    }

    const std::map<std::string, Xapian::doccount> &counts(size_t f) const { return counts_[f]; }

  private:
    std::vector<Xapian::valueno> slots_;
    int distinct_;
    std::vector<std::map<std::string, Xapian::doccount>> counts_;
    std::unordered_set<std::string> seen_; // the distinct values counted
};

// An MSet with what snippets and best_part need. db shares the reader's
// shards (Xapian handles are reference counted), so results stay usable
// for as long as they live; a read of theirs that fails opens their own.
struct motesok_xresults {
    mutable Xapian::Database db;    // opened afresh when a read meets a newer commit
    std::vector<std::string> paths; // the shards' directories, for that
    Xapian::Stem stem;
    Xapian::Query query;
    Xapian::MSet mset;
    Xapian::doccount checked = 0; // matches the search checked at least
    bool timed_out = false;       // the time limit cut the match
    std::unique_ptr<FacetSpy> spy; // counts every facet slot
    std::vector<Xapian::Document> docs;
    std::vector<std::string> data;
    std::vector<double> weights; // of docs, after any re-ranking
    std::vector<facet_list> facets;
    mutable std::map<std::pair<size_t, unsigned>, std::string> values; // borrowed by callers
};

namespace {

std::atomic<unsigned long> retries{0};

// Copy a std::string into a malloc'd C string (NULL on failure).
char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p == nullptr)
        return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

// len bytes at p as a string; a NULL p reads as empty.
std::string bytes(const char *p, size_t len)
{
    return p == nullptr ? std::string() : std::string(p, len);
}

// True if path exists in the file system.
bool path_exists(const char *path)
{
    struct stat st;
    return path != nullptr && stat(path, &st) == 0;
}

// Set err to code with e's description; returns code.
motesok_status xapian_error(motesok_error *err, motesok_status code, const Xapian::Error &e)
{
    return msk_error_set(err, code, "%s", e.get_description().c_str());
}

// Map the exception being handled to a status and message. Call only from
// inside a catch block. path (may be null) tells "not found" from "broken".
motesok_status map_exception(motesok_error *err, const char *path = nullptr) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_error(err, MOTESOK_ERR_DB_LOCKED, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_error(err, MOTESOK_ERR_DB_MODIFIED, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_error(err, MOTESOK_ERR_DB_CORRUPT, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_error(err, MOTESOK_ERR_DB_VERSION, e);
    } catch (const Xapian::QueryParserError &e) {
        return xapian_error(err, MOTESOK_ERR_QUERY, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        // Also DatabaseNotFoundError: tell a missing path from a bad one.
        return xapian_error(err, path_exists(path) ? MOTESOK_ERR_DB : MOTESOK_ERR_NOT_FOUND, e);
    } catch (const Xapian::Error &e) {
        return xapian_error(err, MOTESOK_ERR_DB, e);
    } catch (const std::bad_alloc &) {
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "%s", e.what());
    } catch (...) {
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "unknown C++ exception");
    }
}

// Report a NULL argument as ERR_INVALID.
motesok_status invalid(motesok_error *err, const char *what)
{
    return msk_error_set(err, MOTESOK_ERR_INVALID, "%s", what);
}

// Store s as a malloc'd C string in *out; ERR_NOMEM if that fails.
motesok_status give_string(const std::string &s, char **out, motesok_error *err)
{
    *out = dup_string(s);
    if (*out == nullptr)
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    return MOTESOK_OK;
}

// Times with_retry runs its function at most: each DatabaseModifiedError
// means two commits landed while it read, which a busy indexer on a loaded
// machine can do twice in a row (a search-while-indexing test saw a 503).
const unsigned MAX_TRIES = 6;

// Run fn; when it meets a revision the writer has moved on from — a
// DatabaseModifiedError, or a corrupt read: a reader on a revision whose
// blocks the writer is reusing can see them half-written ("Expected block
// 31 to be level 1", seen while searching during indexing) — call fresh()
// to read the latest commit and run fn again, up to MAX_TRIES times in
// all, letting the last failure propagate. A database that is really
// corrupt fails every try. fresh() runs inside the try: one racing a
// commit is one more try. fresh() must open the database afresh, not
// reopen() it: see refresh().
template <typename Fresh, typename F>
void retry_reads(Fresh fresh, F fn)
{
    for (unsigned tries = 1;; tries++) {
        try {
            if (tries > 1)
                fresh();
            fn();
            return;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (tries == MAX_TRIES)
                throw;
        } catch (const Xapian::DatabaseCorruptError &) {
            if (tries == MAX_TRIES)
                throw;
        }
        retries.fetch_add(1, std::memory_order_relaxed);
    }
}

// The shards at paths as one database, each shard also in *parts (when
// given); new Xapian objects, sharing nothing with databases opened before.
Xapian::Database open_shards(const std::vector<std::string> &paths,
                             std::vector<Xapian::Database> *parts = nullptr)
{
    Xapian::Database db;
    for (const std::string &p : paths) {
        Xapian::Database part(p);
        db.add_database(part);
        if (parts != nullptr)
            parts->push_back(part);
    }
    return db;
}

// retry_reads on db, which is replaced between tries by the shards at
// paths opened afresh (db may share its shards with a reader: a failing
// reopen() would leave that reader's shards half-moved, see refresh()).
template <typename F>
void with_retry(Xapian::Database &db, const std::vector<std::string> &paths, F fn)
{
    retry_reads([&] { db = open_shards(paths); }, fn);
}

// Open the reader's shards afresh (after a shard was swapped for a
// compacted copy, which restarts its revisions: Xapian's reopen cannot
// tell the new database from the old one by revision alone; and after a
// failed reopen or read, see refresh()). The reader is unchanged if this
// throws.
void open_parts(motesok_xreader *r)
{
    std::vector<Xapian::Database> parts;
    Xapian::Database db = open_shards(r->paths, &parts);
    std::vector<std::string> uuids;
    for (const Xapian::Database &part : parts)
        uuids.push_back(part.get_uuid());
    r->parts = std::move(parts);
    r->db = db;
    r->uuids = std::move(uuids);
    r->broken = false;
}

// Move the reader to the latest commit of every shard; true if it moved.
// A shard whose database was replaced (another UUID) is opened again.
// Xapian 1.4's reopen() takes the new revision as read before it reads
// each table's root block; when that read fails (the indexer reusing the
// block as the reader moves: "Expected block 13 to be level 1, not 0"),
// a later reopen() finds the revision unchanged and returns at once,
// leaving the table half-opened until the next commit, which may never
// come. So a reader whose reopen or read failed is marked broken and
// opened afresh instead.
bool refresh(motesok_xreader *r)
{
    if (r->broken) {
        open_parts(r);
        return true;
    }
    bool moved;
    try {
        moved = r->db.reopen();
    } catch (...) {
        r->broken = true;
        throw;
    }
    for (size_t i = 0; i < r->parts.size(); i++) {
        if (r->parts[i].get_uuid() != r->uuids[i]) {
            open_parts(r);
            return true;
        }
    }
    return moved;
}

// retry_reads on a reader, opened afresh between tries (a corrupt read
// at the latest revision leaves the bad block in Xapian's cursor, where a
// reopen() that finds nothing new would keep it); a reader whose last try
// failed too is left broken, for the next refresh to open afresh.
template <typename F>
void with_retry(motesok_xreader *r, F fn)
{
    try {
        retry_reads([&] { open_parts(r); }, fn);
    } catch (const Xapian::DatabaseError &) {
        r->broken = true;
        throw;
    }
}

// Longest term the database accepts (glass), and longest term prefix we take.
const size_t MAX_TERM = 245;
const size_t MAX_PREFIX = 64;

// Check that term can go into a document: 1 to MAX_TERM bytes.
motesok_status check_term(const char *term, motesok_error *err)
{
    if (term == nullptr || *term == '\0')
        return msk_error_set(err, MOTESOK_ERR_INVALID, "empty term");
    if (std::strlen(term) > MAX_TERM)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "term longer than %zu bytes: %.40s…",
                             MAX_TERM, term);
    return MOTESOK_OK;
}

// Make sure the writer has a transaction open (after a failed commit the
// transaction is gone, and changes must not be written outside one).
void ensure_transaction(motesok_xwriter *w)
{
    if (w->in_txn)
        return;
    w->db.begin_transaction(true);
    w->in_txn = true;
}

// Record that Xapian dropped w's uncommitted changes after a failed write
// (reported as st in err); returns st.
motesok_status lose_changes(motesok_xwriter *w, motesok_status st, motesok_error *err) noexcept
{
    if (w->lost)
        return st;
    w->lost = true;
    try {
        w->lost_why = err != nullptr ? err->message : motesok_strerror(st);
    } catch (...) {
        w->lost_why.clear();
    }
    return st;
}

// Start again from the last commit after a loss: cancel the transaction
// (Xapian has already dropped its changes) and open a fresh one.
void restart_after_loss(motesok_xwriter *w)
{
    w->lost = false;
    if (w->in_txn) {
        w->in_txn = false;
        w->db.cancel_transaction();
    }
    ensure_transaction(w);
}

// Add or replace doc under id_term in w's transaction; a failure (after
// which Xapian has dropped the uncommitted changes) is remembered.
bool plain_word(const std::string &t);

// Marks a document whose words went into the spelling table.
const char SPELLING_MARK[] = "XZspelled";

// Take the words of the documents indexed by term out of the spelling
// table, for those that put them there: what is deleted or replaced is no
// longer suggested (may throw).
void forget_spelling(motesok_xwriter *w, const std::string &term)
{
    for (auto p = w->db.postlist_begin(term); p != w->db.postlist_end(term); ++p) {
        Xapian::Document old = w->db.get_document(*p);
        auto t = old.termlist_begin();
        t.skip_to(SPELLING_MARK);
        if (t == old.termlist_end() || *t != SPELLING_MARK)
            continue;
        for (t = old.termlist_begin(); t != old.termlist_end(); ++t) {
            const std::string word = *t;
            if (plain_word(word) && word.size() >= 3 && !doc_stopword(word))
                w->db.remove_spelling(word);
        }
    }
}

motesok_status replace_doc(motesok_xwriter *w, const char *id_term, const Xapian::Document &doc,
                           motesok_error *err) noexcept
{
    try {
        ensure_transaction(w);
        w->db.replace_document(id_term, doc);
        return MOTESOK_OK;
    } catch (...) {
        return lose_changes(w, map_exception(err), err);
    }
}

} // namespace

// ---- test hooks (lib/xapian/shim_internal.h) ------------------------------

motesok_status msk_shim_map_thrown(int which, const char *path, motesok_error *err) noexcept
{
    try {
        switch (which) {
        case MSK_THROW_LOCK: throw Xapian::DatabaseLockError("locked");
        case MSK_THROW_MODIFIED: throw Xapian::DatabaseModifiedError("modified");
        case MSK_THROW_CORRUPT: throw Xapian::DatabaseCorruptError("corrupt");
        case MSK_THROW_VERSION: throw Xapian::DatabaseVersionError("version");
        case MSK_THROW_QUERY: throw Xapian::QueryParserError("syntax");
        case MSK_THROW_XAPIAN: throw Xapian::InvalidArgumentError("invalid");
        case MSK_THROW_BAD_ALLOC: throw std::bad_alloc();
        case MSK_THROW_STD: throw std::runtime_error("runtime");
        case MSK_THROW_NOT_FOUND: throw Xapian::DatabaseNotFoundError("no database");
        case MSK_THROW_OPENING: throw Xapian::DatabaseOpeningError("cannot open");
        default: throw 42;
        }
    } catch (...) {
        return map_exception(err, path);
    }
}

motesok_status msk_shim_replace_with_term(motesok_xwriter *w, const char *id_term,
                                          const char *term, motesok_error *err) noexcept
{
    try {
        Xapian::Document doc;
        doc.add_boolean_term(term);
        return replace_doc(w, id_term, doc, err);
    } catch (...) {
        return map_exception(err);
    }
}

unsigned long msk_shim_retries(void) noexcept
{
    return retries.load(std::memory_order_relaxed);
}

bool msk_shim_retry_through(motesok_xreader *r, unsigned failures) noexcept
{
    unsigned calls = 0;
    try {
        with_retry(r, [&] {
            if (calls++ >= failures)
                return;
            if (calls % 2 == 0)
                throw Xapian::DatabaseCorruptError("half-written block (test)");
            throw Xapian::DatabaseModifiedError("modified (test)");
        });
        return true;
    } catch (...) {
        return false;
    }
}

// ---- writing --------------------------------------------------------------

extern "C" motesok_status motesok_xwriter_open(const char *dir, motesok_xwriter **out,
                                               motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the writer");
    *out = nullptr;
    if (dir == nullptr || *dir == '\0')
        return invalid(err, "no database directory");
    try {
        auto w = std::make_unique<motesok_xwriter>();
        w->db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
        ensure_transaction(w.get());
        *out = w.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err, dir);
    }
}

extern "C" void motesok_xwriter_close(motesok_xwriter *w) noexcept
{
    if (w == nullptr)
        return;
    try {
        w->db.close(); // cancels the open transaction
    } catch (...) {
    }
    delete w;
}

namespace {

// A document whose TermGenerator analyses as the hooks say (stemmer, stopwords
// kept unstemmed for phrases, positions) — or, plain, does what Xapian
// alone does (Snowball, no stopwords), for the cost benchmark.
std::unique_ptr<motesok_xdoc> new_xdoc(bool plain = false)
{
    auto d = std::make_unique<motesok_xdoc>();
    d->stem = plain ? Xapian::Stem("norwegian") : hook_stem();
    d->tg.set_stemmer(d->stem);
    d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    if (!plain) {
        static const HookStopper doc_stopper(false);
        d->tg.set_stopper(&doc_stopper);
        d->tg.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
    }
    d->tg.set_document(d->doc);
    return d;
}

// True if term is a word of the body text: no field prefix, letters only
// (words with digits, like 2018 or sak12, have no parts and no spelling).
bool plain_word(const std::string &t)
{
    if (t.empty() || (t[0] >= 'A' && t[0] <= 'Z'))
        return false;
    for (unsigned char c : t)
        if (c < 0x80 && !((c >= 'a' && c <= 'z')))
            return false;
    return true;
}

} // namespace

extern "C" void motesok_xset_analysis(const motesok_xanalysis *a) noexcept
{
    hooks.store(a, std::memory_order_release);
}

extern "C" motesok_status motesok_xsnowball(const char *language, const char *word, size_t n,
                                            msk_buf *out) noexcept
{
    if (language == nullptr || (word == nullptr && n > 0) || out == nullptr)
        return MOTESOK_ERR_INVALID;
    try {
        // (a Stem is not to be shared between threads; one per thread and
        // language, made again only when the language changes)
        thread_local std::string lang;
        thread_local Xapian::Stem stem;
        thread_local std::string in;
        if (lang != language) {
            stem = Xapian::Stem(language);
            lang = language;
        }
        in.assign(word != nullptr ? word : "", n);
        const std::string s = stem(in);
        out->len = 0;
        return msk_buf_append(out, s.data(), s.size());
    } catch (...) {
        return map_exception(nullptr);
    }
}

extern "C" motesok_status motesok_xdoc_analyse(motesok_xdoc *d, bool spelling,
                                               motesok_error *err) noexcept
{
    if (d == nullptr)
        return invalid(err, "no document");
    try {
        std::vector<std::pair<std::string, Xapian::termcount>> add;
        for (auto t = d->doc.termlist_begin(); t != d->doc.termlist_end(); ++t) {
            const std::string word = *t;
            if (!plain_word(word))
                continue;
            for (const std::string &s : cached_part_stems(word))
                add.emplace_back(MOTESOK_PREFIX_PART + s, t.get_wdf());
            if (spelling && word.size() >= 3 && !doc_stopword(word))
                d->spelling.push_back(word);
        }
        for (const auto &a : add)
            d->doc.add_term(a.first, a.second);
        if (spelling)
            d->doc.add_boolean_term(SPELLING_MARK);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_new_doc(motesok_xwriter *w, motesok_xdoc **out,
                                                  motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the document");
    *out = nullptr;
    if (w == nullptr)
        return invalid(err, "no writer");
    try {
        auto d = new_xdoc();
        *out = d.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_new(motesok_xdoc **out, motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the document");
    *out = nullptr;
    try {
        auto d = new_xdoc();
        *out = d.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_index_text(motesok_xdoc *d, const char *text, size_t len,
                                                  unsigned wdf_inc, const char *prefix,
                                                  motesok_error *err) noexcept
{
    if (d == nullptr || (text == nullptr && len > 0))
        return invalid(err, "no document or text");
    if (prefix != nullptr && std::strlen(prefix) > MAX_PREFIX)
        return invalid(err, "term prefix too long");
    try {
        d->tg.index_text(bytes(text, len), wdf_inc, prefix != nullptr ? prefix : "");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_index_words(motesok_xdoc *d, const char *text, size_t len,
                                                   unsigned wdf_inc, const char *prefix,
                                                   motesok_error *err) noexcept
{
    if (d == nullptr || (text == nullptr && len > 0))
        return invalid(err, "no document or text");
    if (prefix != nullptr && std::strlen(prefix) > MAX_PREFIX)
        return invalid(err, "term prefix too long");
    try {
        d->tg.index_text_without_positions(bytes(text, len), wdf_inc,
                                           prefix != nullptr ? prefix : "");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" void motesok_xdoc_increase_termpos(motesok_xdoc *d, unsigned delta) noexcept
{
    if (d == nullptr)
        return;
    try {
        d->tg.increase_termpos(delta);
    } catch (...) {
    }
}

extern "C" unsigned motesok_xdoc_termpos(const motesok_xdoc *d) noexcept
{
    try {
        return d != nullptr ? d->tg.get_termpos() : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" motesok_status motesok_xdoc_add_boolean_term(motesok_xdoc *d, const char *term,
                                                        motesok_error *err) noexcept
{
    if (d == nullptr)
        return invalid(err, "no document");
    motesok_status st = check_term(term, err);
    if (st != MOTESOK_OK)
        return st;
    try {
        d->doc.add_boolean_term(term);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_add_posting(motesok_xdoc *d, const char *term,
                                                   unsigned pos, unsigned wdf_inc,
                                                   motesok_error *err) noexcept
{
    if (d == nullptr)
        return invalid(err, "no document");
    motesok_status st = check_term(term, err);
    if (st != MOTESOK_OK)
        return st;
    try {
        d->doc.add_posting(term, pos, wdf_inc);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_set_value(motesok_xdoc *d, unsigned slot,
                                                 const char *value, size_t len,
                                                 motesok_error *err) noexcept
{
    if (d == nullptr || (value == nullptr && len > 0))
        return invalid(err, "no document or value");
    try {
        d->doc.add_value(slot, bytes(value, len));
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_set_data(motesok_xdoc *d, const char *data, size_t len,
                                                motesok_error *err) noexcept
{
    if (d == nullptr || (data == nullptr && len > 0))
        return invalid(err, "no document or data");
    try {
        d->doc.set_data(bytes(data, len));
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" void motesok_xdoc_free(motesok_xdoc *d) noexcept
{
    delete d;
}

extern "C" motesok_status motesok_xwriter_replace(motesok_xwriter *w, const char *id_term,
                                                  motesok_xdoc *d, motesok_error *err) noexcept
{
    if (w == nullptr || d == nullptr || id_term == nullptr || *id_term == '\0')
        return invalid(err, "no writer, document or id term");
    try {
        ensure_transaction(w);
        forget_spelling(w, id_term);
    } catch (...) {
        return lose_changes(w, map_exception(err), err);
    }
    motesok_status st = replace_doc(w, id_term, d->doc, err);
    if (st != MOTESOK_OK)
        return st;
    try {
        for (const std::string &word : d->spelling)
            w->db.add_spelling(word);
        return MOTESOK_OK;
    } catch (...) {
        return lose_changes(w, map_exception(err), err);
    }
}

extern "C" motesok_status motesok_xwriter_delete(motesok_xwriter *w, const char *term,
                                                 motesok_error *err) noexcept
{
    if (w == nullptr || term == nullptr || *term == '\0')
        return invalid(err, "no writer or term");
    try {
        ensure_transaction(w);
        forget_spelling(w, term);
        w->db.delete_document(term);
        return MOTESOK_OK;
    } catch (...) {
        return lose_changes(w, map_exception(err), err);
    }
}

extern "C" motesok_status motesok_xwriter_mark(motesok_xwriter *w, const char *by_term,
                                               const char *const *terms, size_t n, bool on,
                                               unsigned slot, const char *value,
                                               motesok_error *err) noexcept
{
    if (w == nullptr || by_term == nullptr || *by_term == '\0' || (n > 0 && terms == nullptr))
        return invalid(err, "no writer, term or terms");
    for (size_t i = 0; i < n; i++)
        if (terms[i] == nullptr || *terms[i] == '\0' || strlen(terms[i]) > 245)
            return invalid(err, "a mark term is empty or too long");
    try {
        ensure_transaction(w);
        std::vector<Xapian::docid> ids;
        for (auto it = w->db.postlist_begin(by_term); it != w->db.postlist_end(by_term); ++it)
            ids.push_back(*it);
        for (Xapian::docid did : ids) {
            Xapian::Document doc = w->db.get_document(did);
            bool changed = false;
            for (size_t i = 0; i < n; i++) {
                auto t = doc.termlist_begin();
                t.skip_to(terms[i]);
                bool has = t != doc.termlist_end() && *t == terms[i];
                if (on && !has)
                    doc.add_boolean_term(terms[i]);
                else if (!on && has)
                    doc.remove_term(terms[i]);
                changed = changed || on != has;
            }
            if (value != nullptr && doc.get_value(slot) != value) {
                doc.add_value(slot, value);
                changed = true;
            }
            if (changed)
                w->db.replace_document(did, doc);
        }
        return MOTESOK_OK;
    } catch (...) {
        return lose_changes(w, map_exception(err), err);
    }
}

extern "C" motesok_status motesok_xwriter_set_metadata(motesok_xwriter *w, const char *key,
                                                       const char *value,
                                                       motesok_error *err) noexcept
{
    if (w == nullptr || key == nullptr || *key == '\0')
        return invalid(err, "no writer or metadata key");
    try {
        ensure_transaction(w);
        w->db.set_metadata(key, value != nullptr ? value : ""); // "" deletes
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_get_metadata(motesok_xwriter *w, const char *key,
                                                       char **value, motesok_error *err) noexcept
{
    if (value == nullptr)
        return invalid(err, "no place for the value");
    *value = nullptr;
    if (w == nullptr || key == nullptr || *key == '\0')
        return invalid(err, "no writer or metadata key");
    try {
        return give_string(w->db.get_metadata(key), value, err);
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_commit(motesok_xwriter *w, motesok_error *err) noexcept
{
    if (w == nullptr)
        return invalid(err, "no writer");
    try {
        if (w->lost) {
            const std::string why = w->lost_why;
            restart_after_loss(w);
            return msk_error_set(err, MOTESOK_ERR_DB,
                                 "nothing committed: a failed write discarded the changes "
                                 "since the last commit (%s)", why.c_str());
        }
        ensure_transaction(w);
        w->in_txn = false; // over once commit_transaction returns or throws
        w->db.commit_transaction();
        ensure_transaction(w);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_each_term(motesok_xwriter *w, const char *prefix,
                                                    int (*fn)(const char *term, void *ud),
                                                    void *ud, motesok_error *err) noexcept
{
    if (w == nullptr || fn == nullptr)
        return invalid(err, "no writer or callback");
    try {
        const std::string pre = prefix != nullptr ? prefix : "";
        for (auto t = w->db.allterms_begin(pre); t != w->db.allterms_end(pre); ++t) {
            if (fn((*t).c_str(), ud) != 0)
                break;
        }
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_compact(motesok_xwriter *w, const char *dest,
                                                  motesok_error *err) noexcept
{
    if (w == nullptr || dest == nullptr || *dest == '\0')
        return invalid(err, "no writer or destination");
    try {
        w->db.compact(dest, Xapian::Compactor::FULL);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err, dest);
    }
}

extern "C" motesok_status motesok_xwriter_doccount(motesok_xwriter *w, uint64_t *out,
                                                   motesok_error *err) noexcept
{
    if (w == nullptr || out == nullptr)
        return invalid(err, "no writer or output");
    try {
        *out = w->db.get_doccount();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

// ---- reading --------------------------------------------------------------


extern "C" motesok_status motesok_xreader_open(const char *const *dirs, size_t n,
                                               motesok_xreader **out,
                                               motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the reader");
    *out = nullptr;
    if (dirs == nullptr || n == 0)
        return invalid(err, "no database to open");
    const char *current = nullptr;
    try {
        auto r = std::make_unique<motesok_xreader>();
        for (size_t i = 0; i < n; i++) {
            current = dirs[i];
            if (current == nullptr || *current == '\0')
                return invalid(err, "empty database directory");
            r->paths.emplace_back(current);
        }
        // (opening reads each table's root block, which the indexer may be
        // reusing at that moment: tried again like a read)
        retry_reads([] {}, [&] { open_parts(r.get()); });
        r->n_dbs = n;
        *out = r.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err, current);
    }
}

extern "C" void motesok_xreader_close(motesok_xreader *r) noexcept
{
    delete r;
}

extern "C" motesok_status motesok_xreader_reopen(motesok_xreader *r, bool *changed,
                                                 motesok_error *err) noexcept
{
    if (r == nullptr)
        return invalid(err, "no reader");
    try {
        bool moved = false;
        retry_reads([] {}, [&] { moved = refresh(r); }); // a failed try marks r broken
        if (changed != nullptr)
            *changed = moved;
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_stats(motesok_xreader *r, uint64_t *doccount,
                                                uint64_t *revision, motesok_error *err) noexcept
{
    if (r == nullptr)
        return invalid(err, "no reader");
    try {
        uint64_t n = 0, rev = 0;
        with_retry(r, [&] {
            n = r->db.get_doccount();
            rev = 0; // the sum over the shards grows with every commit of any
            for (const auto &part : r->parts)
                rev += part.get_revision();
        });
        if (doccount != nullptr)
            *doccount = n;
        if (revision != nullptr)
            *revision = rev;
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_get_metadata(motesok_xreader *r, const char *key,
                                                       char **value, motesok_error *err) noexcept
{
    if (value == nullptr)
        return invalid(err, "no place for the value");
    *value = nullptr;
    if (r == nullptr || key == nullptr || *key == '\0')
        return invalid(err, "no reader or metadata key");
    try {
        std::string v;
        with_retry(r, [&] { v = r->db.get_metadata(key); });
        return give_string(v, value, err);
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_get_data(motesok_xreader *r, const char *term,
                                                   char **data, size_t *len,
                                                   motesok_error *err) noexcept
{
    if (data == nullptr)
        return invalid(err, "no place for the data");
    *data = nullptr;
    if (r == nullptr || term == nullptr || *term == '\0')
        return invalid(err, "no reader or term");
    try {
        bool found = false;
        std::string d;
        with_retry(r, [&] {
            auto p = r->db.postlist_begin(term);
            found = p != r->db.postlist_end(term);
            if (found)
                d = r->db.get_document(*p).get_data();
        });
        if (!found)
            return msk_error_set(err, MOTESOK_ERR_NOT_FOUND, "no document with term %s", term);
        motesok_status st = give_string(d, data, err);
        if (st == MOTESOK_OK && len != nullptr)
            *len = d.size();
        return st;
    } catch (...) {
        return map_exception(err);
    }
}

// ---- queries --------------------------------------------------------------

namespace {

// "name:A..B" on a value slot of YYYYMMDD strings; either end may be open.
class DateRange : public Xapian::RangeProcessor {
  public:
    DateRange(Xapian::valueno slot_, const std::string &name)
        : Xapian::RangeProcessor(slot_, name + ":") {}

    // The value query for [b, e] ("" an open end), or OP_INVALID when the
    // hooks' date_range finds no range there (the parser then falls back
    // to the words).
    Xapian::Query operator()(const std::string &b, const std::string &e) override
    {
        char lo[9] = "", hi[9] = "";
        const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
        if (h == nullptr || h->date_range == nullptr ||
            !h->date_range(b.empty() ? nullptr : b.c_str(), e.empty() ? nullptr : e.c_str(), lo, hi))
            return Xapian::Query(Xapian::Query::OP_INVALID);
        if (*lo == '\0')
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        if (*hi == '\0')
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
    }
};

// Set up qp from the options for reader r.
void setup_parser(Xapian::QueryParser &qp, motesok_xreader *r, const motesok_xparse_options *opt)
{
    qp.set_database(r->db);
    qp.set_stemmer(r->stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&r->stopper);
    qp.set_default_op(opt->default_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    // (a wildcard bounded_wildcards cannot expand keeps this limit)
    qp.set_max_expansion(opt->max_wildcard != 0 ? opt->max_wildcard : MOTESOK_XPARSE_MAX_WILDCARD,
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (size_t i = 0; i < opt->n_fields; i++) {
        const motesok_xfield &f = opt->fields[i];
        if (f.name == nullptr || f.prefix == nullptr)
            throw std::invalid_argument("a query field without a name or prefix");
        if (f.boolean)
            qp.add_boolean_prefix(f.name, f.prefix);
        else
            qp.add_prefix(f.name, f.prefix);
    }
    for (size_t i = 0; i < opt->n_ranges; i++) {
        if (opt->ranges[i].name == nullptr)
            throw std::invalid_argument("a date range without a name");
        // The parser owns the processor (reference counted).
        qp.add_rangeprocessor((new DateRange(opt->ranges[i].slot, opt->ranges[i].name))->release());
    }
}

// Query syntax: Xapian's defaults (boolean operators in upper case only,
// phrases, +/-) plus prefix wildcards and a leading NOT.
const unsigned PARSE_FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                             Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_PHRASE |
                             Xapian::QueryParser::FLAG_LOVEHATE;

// The pattern of a parser's wildcard leaf (its prefix, field prefix
// included), read from Xapian's description "WILDCARD SYNONYM <pattern>",
// whose bytes outside printable UTF-8 (and '\\') are written \xHH — Xapian
// 1.4 has no accessor for it. False if the description is not of that form.
bool wildcard_pattern(const Xapian::Query &q, std::string *pattern)
{
    static const std::string head = "WILDCARD SYNONYM ";
    std::string d = q.get_description();
    // "Query(" … ")"
    if (d.size() < 7 || d.compare(0, 6, "Query(") != 0 || d.back() != ')')
        return false;
    d = d.substr(6, d.size() - 7);
    if (d.compare(0, head.size(), head) != 0)
        return false;
    pattern->clear();
    for (size_t i = head.size(); i < d.size(); i++) {
        if (d[i] != '\\') {
            *pattern += d[i];
            continue;
        }
        if (i + 3 >= d.size() || d[i + 1] != 'x' || !std::isxdigit(static_cast<unsigned char>(d[i + 2])) ||
            !std::isxdigit(static_cast<unsigned char>(d[i + 3])))
            return false;
        *pattern += static_cast<char>(std::stoi(d.substr(i + 2, 2), nullptr, 16));
        i += 3;
    }
    return !pattern->empty();
}

} // namespace

// ---- query trees -----------------------------------------------------------

namespace {

// The tree operator of a Xapian operator (OTHER for those it does not read).
motesok_xtop tree_op(Xapian::Query::op op)
{
    switch (op) {
    case Xapian::Query::LEAF_TERM: return MOTESOK_XT_TERM;
    case Xapian::Query::OP_AND: return MOTESOK_XT_AND;
    case Xapian::Query::OP_OR: return MOTESOK_XT_OR;
    case Xapian::Query::OP_AND_NOT: return MOTESOK_XT_AND_NOT;
    case Xapian::Query::OP_XOR: return MOTESOK_XT_XOR;
    case Xapian::Query::OP_AND_MAYBE: return MOTESOK_XT_AND_MAYBE;
    case Xapian::Query::OP_FILTER: return MOTESOK_XT_FILTER;
    case Xapian::Query::OP_MAX: return MOTESOK_XT_MAX;
    case Xapian::Query::OP_PHRASE: return MOTESOK_XT_PHRASE;
    case Xapian::Query::OP_NEAR: return MOTESOK_XT_NEAR;
    case Xapian::Query::OP_SYNONYM: return MOTESOK_XT_SYNONYM;
    case Xapian::Query::OP_SCALE_WEIGHT: return MOTESOK_XT_SCALE_WEIGHT;
    case Xapian::Query::OP_WILDCARD: return MOTESOK_XT_WILDCARD;
    case Xapian::Query::LEAF_MATCH_ALL: return MOTESOK_XT_MATCH_ALL;
    default: return MOTESOK_XT_OTHER;
    }
}

// The Xapian operator of a tree operator (not for TERM, WILDCARD, MATCH_ALL, OTHER).
Xapian::Query::op xapian_op(motesok_xtop op)
{
    switch (op) {
    case MOTESOK_XT_AND: return Xapian::Query::OP_AND;
    case MOTESOK_XT_OR: return Xapian::Query::OP_OR;
    case MOTESOK_XT_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case MOTESOK_XT_XOR: return Xapian::Query::OP_XOR;
    case MOTESOK_XT_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case MOTESOK_XT_FILTER: return Xapian::Query::OP_FILTER;
    case MOTESOK_XT_MAX: return Xapian::Query::OP_MAX;
    case MOTESOK_XT_PHRASE: return Xapian::Query::OP_PHRASE;
    case MOTESOK_XT_NEAR: return Xapian::Query::OP_NEAR;
    case MOTESOK_XT_SYNONYM: return Xapian::Query::OP_SYNONYM;
    default: throw std::invalid_argument("no Xapian operator for this query node");
    }
}

// A malloc'd copy of s (throws when out of memory).
char *c_string(const std::string &s)
{
    char *c = dup_string(s);
    if (c == nullptr)
        throw std::bad_alloc();
    return c;
}

// Frees a tree when it goes out of scope.
struct TreeHolder {
    motesok_xtree *t;
    ~TreeHolder() { motesok_xtree_free(t); }
};

// q as a tree, every node keeping q's own query (orig); a stemmed leaf
// gets the word typed for it from qp, when qp has one.
motesok_xtree *to_tree(const Xapian::Query &q, const Xapian::QueryParser *qp)
{
    const motesok_xtop op = tree_op(q.get_type());
    std::vector<motesok_xtree *> kids;
    if (op != MOTESOK_XT_TERM && op != MOTESOK_XT_WILDCARD && op != MOTESOK_XT_OTHER &&
        op != MOTESOK_XT_MATCH_ALL) {
        try {
            for (size_t i = 0; i < q.get_num_subqueries(); i++) {
                kids.push_back(to_tree(q.get_subquery(i), qp));
            }
        } catch (...) {
            for (motesok_xtree *k : kids)
                motesok_xtree_free(k);
            throw;
        }
    }
    motesok_xtree *t = motesok_xtree_op(op, kids.data(), kids.size(), 0);
    if (t == nullptr)
        throw std::bad_alloc();
    TreeHolder hold{t};
    t->orig = new motesok_xquery{q};
    if (op == MOTESOK_XT_TERM) {
        const std::string term = *q.get_terms_begin();
        t->term = c_string(term);
        if (qp != nullptr) {
            auto u = qp->unstem_begin(term);
            if (u != qp->unstem_end(term))
                t->typed = c_string(*u);
        }
    } else if (op == MOTESOK_XT_WILDCARD) {
        std::string pattern;
        if (wildcard_pattern(q, &pattern))
            t->term = c_string(pattern);
    }
    hold.t = nullptr;
    return t;
}

// The query tree t stands for.
Xapian::Query from_tree(const motesok_xtree *t)
{
    if (t->orig != nullptr)
        return t->orig->q;
    switch (t->op) {
    case MOTESOK_XT_TERM:
        return Xapian::Query(t->term, t->wqf, t->pos);
    case MOTESOK_XT_WILDCARD:
        return Xapian::Query(Xapian::Query::OP_WILDCARD, t->term, t->param,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    case MOTESOK_XT_MATCH_ALL:
        return Xapian::Query::MatchAll;
    case MOTESOK_XT_SCALE_WEIGHT:
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, from_tree(t->kids[0]), t->factor);
    case MOTESOK_XT_FIXED: {
        // The query holds the source by reference count: release() hands it over.
        auto *src = new Xapian::FixedWeightPostingSource(t->factor);
        return Xapian::Query(src->release());
    }
    case MOTESOK_XT_OTHER:
        throw std::invalid_argument("a query node of another kind without its query");
    default: {
        std::vector<Xapian::Query> kids;
        for (size_t i = 0; i < t->n_kids; i++)
            kids.push_back(from_tree(t->kids[i]));
        return Xapian::Query(xapian_op(t->op), kids.begin(), kids.end(), t->param);
    }
    }
}

} // namespace

namespace {

// True if text may hold what Xapian 1.4's query parser mishandles: an
// excluded word or phrase among the operands of a NEAR or ADJ ("-a NEAR b
// c", "-\xa3a x NEAR/3 c", "\xd1NOT sjukehus N\xcc\xdf\x8bEAR …") parses
// to an empty query and leaks 96 bytes a parse. Which shapes do depends on the parser's character classes and
// its recovery, so this does not try to tell them apart: any exclusion —
// a '-' that does not join two parts of a word (a byte before it that is
// no ASCII letter or digit), or NOT (IKKE and IKKJE are NOT by now) — in a
// text that also holds NEAR or ADJ, operator words set apart from ASCII
// letters and digits, is trapped. At worst a query that excludes a word
// and asks for nearness is read as its words.
bool ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool parser_trap(const std::string &text)
{
    bool exclusion = false, near = false;
    // the operator word op at i, set apart from ASCII letters and digits
    const auto word_at = [&](size_t i, const char *op) {
        const size_t n = std::strlen(op);
        return (i == 0 || !ascii_alnum(text[i - 1])) && text.compare(i, n, op) == 0 &&
               (i + n == text.size() || !ascii_alnum(text[i + n]));
    };
    for (size_t i = 0; i < text.size() && !(exclusion && near); i++) {
        exclusion = exclusion || (text[i] == '-' && (i == 0 || !ascii_alnum(text[i - 1]))) ||
                    word_at(i, "NOT");
        near = near || word_at(i, "NEAR") || word_at(i, "ADJ");
    }
    return exclusion && near;
}

} // namespace

extern "C" motesok_status motesok_xreader_parse_tree(motesok_xreader *r, const char *text,
                                                     const motesok_xparse_options *opt,
                                                     motesok_xsyntax syntax, motesok_xtree **out,
                                                     bool *syntax_error, motesok_error *err) noexcept
{
    if (out == nullptr || syntax_error == nullptr)
        return invalid(err, "no place for the query");
    *out = nullptr;
    *syntax_error = false;
    if (r == nullptr || text == nullptr)
        return invalid(err, "no reader or query");
    try {
        const motesok_xparse_options none{};
        Xapian::QueryParser qp;
        setup_parser(qp, r, opt != nullptr ? opt : &none);
        if (syntax == MOTESOK_XSYNTAX_FULL && parser_trap(text)) {
            *syntax_error = true; // rather than Xapian's empty query and leak
            return MOTESOK_OK;
        }
        Xapian::Query q;
        try {
            with_retry(r, [&] { q = qp.parse_query(text, syntax == MOTESOK_XSYNTAX_FULL ? PARSE_FLAGS : 0); });
        } catch (const Xapian::QueryParserError &) {
            *syntax_error = true;
            return MOTESOK_OK;
        }
        if (!q.empty())
            *out = to_tree(q, &qp);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_termfreq(motesok_xreader *r, const char *term,
                                                   uint64_t *out, motesok_error *err) noexcept
{
    if (r == nullptr || term == nullptr || out == nullptr)
        return invalid(err, "no reader, term or place for the count");
    try {
        with_retry(r, [&] { *out = r->db.get_termfreq(term); });
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" void motesok_xterms_free(motesok_xterm *t, size_t n) noexcept
{
    for (size_t i = 0; t != nullptr && i < n; i++)
        std::free(t[i].term);
    std::free(t);
}

namespace {

// terms (each with its frequency) as a C array for motesok_xterms_free
// (throws std::bad_alloc).
motesok_xterm *xterms_of(const std::vector<std::pair<std::string, uint64_t>> &terms)
{
    auto *out = static_cast<motesok_xterm *>(std::calloc(terms.size() + 1, sizeof(motesok_xterm)));
    if (out == nullptr)
        throw std::bad_alloc();
    for (size_t i = 0; i < terms.size(); i++) {
        out[i].term = dup_string(terms[i].first);
        out[i].freq = terms[i].second;
        if (out[i].term == nullptr) {
            motesok_xterms_free(out, i);
            throw std::bad_alloc();
        }
    }
    return out;
}

} // namespace

extern "C" motesok_status motesok_xreader_terms(motesok_xreader *r, const char *prefix, size_t max,
                                                motesok_xterm **out, size_t *n, bool *more,
                                                motesok_error *err) noexcept
{
    if (r == nullptr || prefix == nullptr || out == nullptr || n == nullptr || more == nullptr)
        return invalid(err, "no reader, prefix or place for the terms");
    *out = nullptr;
    *n = 0;
    *more = false;
    try {
        std::vector<std::pair<std::string, uint64_t>> seen;
        with_retry(r, [&] {
            seen.clear();
            *more = false;
            for (auto t = r->db.allterms_begin(prefix); t != r->db.allterms_end(prefix); ++t) {
                if (seen.size() == max) {
                    *more = true;
                    break;
                }
                seen.emplace_back(*t, t.get_termfreq());
            }
        });
        *out = xterms_of(seen);
        *n = seen.size();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

namespace {

// How often word is in the spelling table of all of db's databases.
Xapian::doccount spelling_freq(const Xapian::Database &db, const std::string &word)
{
    Xapian::TermIterator t = db.spellings_begin();
    t.skip_to(word);
    return t != db.spellings_end() && *t == word ? t.get_termfreq() : 0;
}

} // namespace

extern "C" motesok_status motesok_xreader_spellings(motesok_xreader *r, const char *word,
                                                    unsigned max_edits, motesok_xterm **out,
                                                    size_t *n, uint64_t *word_freq,
                                                    motesok_error *err) noexcept
{
    if (r == nullptr || word == nullptr || out == nullptr || n == nullptr || word_freq == nullptr)
        return invalid(err, "no reader, word or place for the suggestions");
    *out = nullptr;
    *n = 0;
    *word_freq = 0;
    try {
        std::vector<std::pair<std::string, uint64_t>> found;
        uint64_t own = 0;
        with_retry(r, [&] {
            found.clear();
            for (const Xapian::Database &part : r->parts) {
                const std::string s = part.get_spelling_suggestion(word, max_edits);
                bool seen = s.empty();
                for (const auto &f : found)
                    seen = seen || f.first == s;
                if (!seen)
                    found.emplace_back(s, spelling_freq(r->db, s));
            }
            own = spelling_freq(r->db, word);
        });
        *out = xterms_of(found);
        *n = found.size();
        *word_freq = own;
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_matches(motesok_xreader *r, const motesok_xtree *t,
                                                  bool *out, motesok_error *err) noexcept
{
    if (r == nullptr || t == nullptr || out == nullptr)
        return invalid(err, "no reader, query or place for the answer");
    try {
        const Xapian::Query q = from_tree(t);
        with_retry(r, [&] {
            Xapian::Enquire e(r->db);
            e.set_query(q);
            *out = !e.get_mset(0, 1).empty();
        });
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" char *motesok_xlower(const char *s) noexcept
{
    try {
        return s != nullptr ? c_string(Xapian::Unicode::tolower(s)) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_xquery *motesok_xquery_of(const motesok_xtree *q, const motesok_xtree *rerank,
                                             const char *suggestion, bool pure_not, bool any_part,
                                             motesok_xquery_cost cost) noexcept
{
    if (q == nullptr)
        return nullptr;
    try {
        auto res = std::make_unique<motesok_xquery>(from_tree(q));
        if (rerank != nullptr)
            res->rerank = from_tree(rerank);
        if (suggestion != nullptr)
            res->suggestion = suggestion;
        res->pure_not = pure_not;
        res->any_part = any_part;
        res->cost = cost;
        return res.release();
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_xquery *motesok_xquery_term(const char *term) noexcept
{
    if (term == nullptr)
        return nullptr;
    try {
        return new motesok_xquery{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                Xapian::Query(term), 0.0)};
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_xquery *motesok_xquery_fixed_weight(double weight) noexcept
{
    try {
        // The query holds the source by reference count: release() hands it over.
        auto *src = new Xapian::FixedWeightPostingSource(weight);
        return new motesok_xquery{Xapian::Query(src->release())};
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_xquery *motesok_xquery_value_range(unsigned slot, const char *lo,
                                                      const char *hi) noexcept
{
    try {
        if (lo != nullptr && hi != nullptr)
            return new motesok_xquery{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
        if (lo != nullptr)
            return new motesok_xquery{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo)};
        if (hi != nullptr)
            return new motesok_xquery{Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi)};
        return new motesok_xquery{Xapian::Query::MatchAll};
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_xquery *motesok_xquery_combine(motesok_xop op, const motesok_xquery *a,
                                                  const motesok_xquery *b) noexcept
{
    if (a == nullptr || b == nullptr)
        return nullptr;
    try {
        Xapian::Query::op xop;
        switch (op) {
        case MOTESOK_XOP_AND: xop = Xapian::Query::OP_AND; break;
        case MOTESOK_XOP_OR: xop = Xapian::Query::OP_OR; break;
        case MOTESOK_XOP_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case MOTESOK_XOP_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case MOTESOK_XOP_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        default: return nullptr;
        }
        auto *c = new motesok_xquery{Xapian::Query(xop, a->q, b->q)};
        // The ranking words are a's; b's only when b is searched as well.
        c->rerank = a->rerank;
        c->any_part = a->any_part || (op != MOTESOK_XOP_AND_NOT && b->any_part);
        if (c->rerank.empty() && op != MOTESOK_XOP_AND_NOT && op != MOTESOK_XOP_FILTER)
            c->rerank = b->rerank;
        return c;
    } catch (...) {
        return nullptr;
    }
}

extern "C" char *motesok_xquery_describe(const motesok_xquery *q) noexcept
{
    if (q == nullptr)
        return nullptr;
    try {
        std::string d = q->q.get_description();
        if (!q->rerank.empty())
            d += " RERANK " + q->rerank.get_description();
        return dup_string(d);
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_status msk_shim_xdoc_new_plain(motesok_xdoc **out, motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the document");
    *out = nullptr;
    try {
        *out = new_xdoc(true).release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status msk_shim_parse_plain(motesok_xreader *r, const char *query,
                                               motesok_xquery **out, motesok_error *err) noexcept
{
    if (out == nullptr || r == nullptr || query == nullptr)
        return invalid(err, "no reader, query or place for it");
    *out = nullptr;
    try {
        Xapian::QueryParser qp;
        qp.set_database(r->db);
        qp.set_stemmer(Xapian::Stem("norwegian"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(Xapian::Query::OP_AND);
        Xapian::Query q;
        with_retry(r, [&] { q = qp.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT); });
        *out = new motesok_xquery{q};
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" const char *motesok_xquery_suggestion(const motesok_xquery *q) noexcept
{
    return q != nullptr && !q->suggestion.empty() ? q->suggestion.c_str() : nullptr;
}

extern "C" motesok_xquery_cost motesok_xquery_cost_of(const motesok_xquery *q) noexcept
{
    return q != nullptr ? q->cost : motesok_xquery_cost{};
}

extern "C" bool motesok_xquery_any_part(const motesok_xquery *q) noexcept
{
    return q != nullptr && q->any_part;
}

extern "C" bool motesok_xquery_pure_not(const motesok_xquery *q) noexcept
{
    return q != nullptr && q->pure_not;
}

extern "C" motesok_xquery *motesok_xquery_any_term(const char *const *terms, size_t n) noexcept
{
    try {
        std::vector<Xapian::Query> subs;
        subs.reserve(n);
        for (size_t i = 0; i < n; i++)
            subs.emplace_back(terms[i]);
        return new motesok_xquery{Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end())};
    } catch (...) {
        return nullptr;
    }
}

extern "C" motesok_xquery *motesok_xquery_excluded(const motesok_xquery *q) noexcept
{
    if (q == nullptr || !q->pure_not || q->q.get_type() != Xapian::Query::OP_AND_NOT)
        return nullptr;
    try {
        std::vector<Xapian::Query> subs;
        for (size_t i = 1; i < q->q.get_num_subqueries(); i++)
            subs.push_back(q->q.get_subquery(i));
        return new motesok_xquery{Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end())};
    } catch (...) {
        return nullptr;
    }
}

extern "C" void motesok_xquery_free(motesok_xquery *q) noexcept
{
    delete q;
}

// ---- searching ------------------------------------------------------------

namespace {

// The values a spy counted, by count (desc) then value (asc).
facet_list facet_values(const FacetSpy &spy, size_t f)
{
    facet_list v;
    for (const auto &c : spy.counts(f))
        v.emplace_back(c.first, c.second);
    std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return v;
}

typedef std::chrono::steady_clock Clock;

// Every document, weight 0, until a deadline: from then on it says it is
// at its end, which ends the match of a query it filters (Xapian's own
// time limit only stops checking past the page). Clones (one per shard)
// share the flag that says the deadline cut the match.
class DeadlineSource : public Xapian::FixedWeightPostingSource {
  public:
    DeadlineSource(Clock::time_point end, std::shared_ptr<std::atomic<bool>> fired)
        : Xapian::FixedWeightPostingSource(0.0), end_(end), fired_(std::move(fired))
    {
    }

    void next(double min_wt) override
    {
        if (!expired())
            Xapian::FixedWeightPostingSource::next(min_wt);
    }

    void skip_to(Xapian::docid did, double min_wt) override
    {
        if (!expired())
            Xapian::FixedWeightPostingSource::skip_to(did, min_wt);
    }

    bool check(Xapian::docid did, double min_wt) override
    {
        return expired() || Xapian::FixedWeightPostingSource::check(did, min_wt);
    }

    bool at_end() const override
    {
        return over_ || Xapian::FixedWeightPostingSource::at_end();
    }

    // Counts as every document: the filter leaves the estimates alone.
    Xapian::doccount get_termfreq_min() const override { return get_termfreq_max(); }

    DeadlineSource *clone() const override { return new DeadlineSource(end_, fired_); }

    std::string name() const override { return std::string(); } // not serialisable

  private:
    // True once the deadline has passed (the clock read every 64th step).
    bool expired()
    {
        if (!over_ && ++steps_ % 64 == 0 && Clock::now() >= end_) {
            over_ = true;
            fired_->store(true);
        }
        return over_;
    }

    Clock::time_point end_;
    std::shared_ptr<std::atomic<bool>> fired_;
    unsigned steps_ = 0;
    bool over_ = false;
};

// s's query, filtered by a DeadlineSource at the end of s's time limit
// (whose flag is *fired) when it has one.
Xapian::Query timed_query(const motesok_xsearch *s, const std::shared_ptr<std::atomic<bool>> &fired)
{
    if (!(s->time_limit_s > 0))
        return s->query->q;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(s->time_limit_s));
    auto *src = new DeadlineSource(end, fired);
    return Xapian::Query(Xapian::Query::OP_FILTER, s->query->q, Xapian::Query(src->release()));
}

// An Enquire on r for s, with fresh match spies for its facets in res.
Xapian::Enquire make_enquire(motesok_xreader *r, const motesok_xsearch *s, motesok_xresults *res,
                             const std::shared_ptr<std::atomic<bool>> &fired)
{
    Xapian::Enquire enq(r->db);
    enq.set_query(timed_query(s, fired));
    // Xapian's defaults (k1 1, b 0.5): k1 0.5–1.2 and b 0.3–1.0 measured
    // within 0.005 of them on bench/relevance/v2's tuning half; k1 2 lost.
    enq.set_weighting_scheme(Xapian::BM25Weight());
    if (s->sort_slot >= 0)
        enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(s->sort_slot),
                                             s->sort_descending);
    if (s->collapse_slot >= 0)
        enq.set_collapse_key(static_cast<Xapian::valueno>(s->collapse_slot));
    if (s->time_limit_s > 0)
        enq.set_time_limit(s->time_limit_s / 2);
    res->spy.reset();
    if (s->n_facets > 0) {
        std::vector<Xapian::valueno> slots(s->facet_slots, s->facet_slots + s->n_facets);
        res->spy = std::make_unique<FacetSpy>(
            std::move(slots), s->facet_distinct ? static_cast<int>(s->facet_distinct_slot) : -1);
        enq.add_matchspy(res->spy.get());
    }
    return enq;
}

// The passages of a page's ranking whose proximity is weighed (rerank_top):
// the first RERANK_DEPTH matches in relevance order. 20 rather than 40:
// the same MRR and nDCG on bench/relevance (v2 tune and held-out, the first
// held-out set) for a quarter less matching time on queries of two words.
const Xapian::doccount RERANK_DEPTH = 20;

// The given documents, weight 0: a filter to a few known documents. Each
// shard's clone (Xapian gives every shard its own, with shard-local ids)
// finds that shard's ids by its UUID.
class DocidSource : public Xapian::PostingSource {
  public:
    typedef std::map<std::string, std::vector<Xapian::docid>> by_shard;

    explicit DocidSource(std::shared_ptr<const by_shard> ids) : all_(std::move(ids)) {}

    void init(const Xapian::Database &db) override
    {
        const auto it = all_->size() == 1 ? all_->begin() : all_->find(db.get_uuid());
        ids_ = it != all_->end() ? &it->second : nullptr;
        at_ = 0;
        started_ = false;
    }
    Xapian::doccount get_termfreq_min() const override { return size(); }
    Xapian::doccount get_termfreq_est() const override { return size(); }
    Xapian::doccount get_termfreq_max() const override { return size(); }
    void next(double) override { started_ ? (void)at_++ : (void)(started_ = true); }
    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        while (at_ < size() && (*ids_)[at_] < did)
            at_++;
    }
    bool at_end() const override { return started_ && at_ >= size(); }
    Xapian::docid get_docid() const override { return (*ids_)[at_]; }
    DocidSource *clone() const override { return new DocidSource(all_); }
    std::string name() const override { return std::string(); } // not serialisable

  private:
    Xapian::doccount size() const { return ids_ != nullptr ? static_cast<Xapian::doccount>(ids_->size()) : 0; }

    std::shared_ptr<const by_shard> all_;
    const std::vector<Xapian::docid> *ids_ = nullptr;
    size_t at_ = 0;
    bool started_ = false;
};

// The weight s's rerank query gives each of the documents ids (combined
// ids of r's shards), matched only among them: a positional check on a few
// dozen passages instead of on every match (may throw).
std::map<Xapian::docid, double> rerank_weights(motesok_xreader *r, const Xapian::Query &rerank,
                                               const std::vector<Xapian::docid> &ids)
{
    auto ids_by_shard = std::make_shared<DocidSource::by_shard>();
    const size_t n = std::max<size_t>(r->uuids.size(), 1);
    for (Xapian::docid did : ids) {
        const size_t shard = (did - 1) % n;
        (*ids_by_shard)[n == 1 ? std::string() : r->uuids[shard]].push_back(
            static_cast<Xapian::docid>((did - 1) / n + 1));
    }
    for (auto &e : *ids_by_shard)
        std::sort(e.second.begin(), e.second.end());
    auto *src = new DocidSource(ids_by_shard);
    Xapian::Enquire enq(r->db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, rerank, Xapian::Query(src->release())));
    enq.set_weighting_scheme(Xapian::BM25Weight());
    std::map<Xapian::docid, double> w;
    const Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(ids.size()));
    for (auto i = m.begin(); i != m.end(); ++i)
        w[*i] = i.get_weight();
    return w;
}

// A match of a result list: its document id, weight and place in the MSet.
struct ranked_match {
    Xapian::docid did;
    double weight;
    Xapian::doccount at;
};

// The first RERANK_DEPTH matches of m in relevance order, each with the
// weight of s's rerank query on it added (the words near each other), and
// the rest after them as they were — the same weight an AND_MAYBE of the
// rerank query would give, for a few dozen positional checks instead of
// one per match (may throw).
std::vector<ranked_match> rerank_top(motesok_xreader *r, const Xapian::Query &rerank, const Xapian::MSet &m)
{
    std::vector<ranked_match> v;
    for (auto i = m.begin(); i != m.end(); ++i)
        v.push_back({*i, i.get_weight(), i.get_rank()});
    const size_t top = std::min<size_t>(v.size(), RERANK_DEPTH);
    std::vector<Xapian::docid> ids;
    for (size_t i = 0; i < top; i++)
        ids.push_back(v[i].did);
    if (ids.empty())
        return v;
    const auto boost = rerank_weights(r, rerank, ids);
    for (size_t i = 0; i < top; i++) {
        const auto b = boost.find(v[i].did);
        if (b != boost.end())
            v[i].weight += b->second;
    }
    std::stable_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(top),
                     [](const ranked_match &a, const ranked_match &b) { return a.weight > b.weight; });
    return v;
}

// Run the search described by s into res (may throw). When s's query has
// a rerank part and the page lies within the first RERANK_DEPTH matches in
// relevance order, those matches are fetched and re-ranked, then the page
// is cut from them.
void run_search(motesok_xreader *r, const motesok_xsearch *s, motesok_xresults *res)
{
    auto fired = std::make_shared<std::atomic<bool>>(false);
    Xapian::Enquire enq = make_enquire(r, s, res, fired);
    const bool rerank = !s->query->rerank.empty() && s->sort_slot < 0 && s->offset < RERANK_DEPTH;
    const Xapian::doccount first = rerank ? 0 : s->offset;
    const Xapian::doccount want = rerank ? std::max(RERANK_DEPTH, s->offset + s->limit) : s->limit;
    const auto t0 = Clock::now();
    res->mset = enq.get_mset(first, want, std::max(s->check_at_least, first + want));
    const std::chrono::duration<double> took = Clock::now() - t0;
    res->timed_out = fired->load() || (s->time_limit_s > 0 && took.count() >= s->time_limit_s / 2);
    res->checked = s->check_at_least;
    std::vector<ranked_match> order;
    if (rerank && !res->timed_out)
        order = rerank_top(r, s->query->rerank, res->mset);
    else
        for (auto i = res->mset.begin(); i != res->mset.end(); ++i)
            order.push_back({*i, i.get_weight(), i.get_rank()});
    res->docs.clear();
    res->data.clear();
    res->weights.clear();
    res->values.clear();
    const size_t skip = rerank ? s->offset : 0;
    for (size_t i = skip; i < order.size() && i < skip + s->limit; i++) {
        res->docs.push_back(res->mset[order[i].at - first].get_document());
        res->data.push_back(res->docs.back().get_data());
        // read the values asked for now, inside the retry (they are read
        // lazily, and a revision discarded by then would leave them empty);
        // only those: all of a document's values cost a read of its term list
        for (size_t v = 0; v < s->n_values; v++)
            res->values[{res->docs.size() - 1, s->value_slots[v]}] =
                res->docs.back().get_value(s->value_slots[v]);
        res->weights.push_back(order[i].weight);
    }
    res->facets.clear();
    for (size_t f = 0; res->spy && f < s->n_facets; f++)
        res->facets.push_back(facet_values(*res->spy, f));
}

} // namespace

extern "C" motesok_status motesok_xreader_search(motesok_xreader *r, const motesok_xsearch *s,
                                                 motesok_xresults **out,
                                                 motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the results");
    *out = nullptr;
    if (r == nullptr || s == nullptr || s->query == nullptr)
        return invalid(err, "no reader or query to run");
    if (s->n_facets > 0 && s->facet_slots == nullptr)
        return invalid(err, "facets without slots");
    try {
        auto res = std::make_unique<motesok_xresults>();
        res->db = r->db;
        res->paths = r->paths;
        res->stem = r->stem;
        res->query = s->query->rerank.empty()
                         ? s->query->q
                         : Xapian::Query(Xapian::Query::OP_AND_MAYBE, s->query->q, s->query->rerank);
        with_retry(r, [&] { run_search(r, s, res.get()); });
        *out = res.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xresults_best_with(const motesok_xresults *res,
                                                     const char *term, motesok_xresults **out,
                                                     motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the results");
    *out = nullptr;
    if (res == nullptr || term == nullptr || *term == '\0')
        return invalid(err, "no results or term");
    try {
        auto best = std::make_unique<motesok_xresults>();
        best->db = res->db;
        best->paths = res->paths;
        best->stem = res->stem;
        best->query = Xapian::Query(Xapian::Query::OP_FILTER, res->query, Xapian::Query(term));
        with_retry(best->db, best->paths, [&] {
            best->docs.clear();
            best->data.clear();
            best->weights.clear();
            Xapian::Enquire enq(best->db);
            enq.set_query(best->query);
            best->mset = enq.get_mset(0, 1);
            for (auto i = best->mset.begin(); i != best->mset.end(); ++i) {
                best->docs.push_back(i.get_document());
                best->data.push_back(best->docs.back().get_data());
                best->weights.push_back(i.get_weight());
            }
        });
        *out = best.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" bool motesok_xresults_timed_out(const motesok_xresults *res) noexcept
{
    return res != nullptr && res->timed_out;
}

extern "C" bool motesok_xresults_total_exact(const motesok_xresults *res) noexcept
{
    return res != nullptr && res->mset.get_uncollapsed_matches_upper_bound() <= res->checked;
}

extern "C" uint64_t motesok_xresults_total(const motesok_xresults *res) noexcept
{
    if (res == nullptr)
        return 0;
    // Every match was checked: the count of distinct collapse keys seen is
    // exact (Xapian's estimate for collapsed OR queries can overshoot).
    if (motesok_xresults_total_exact(res))
        return res->mset.get_matches_lower_bound();
    return res->mset.get_matches_estimated();
}

extern "C" size_t motesok_xresults_count(const motesok_xresults *res) noexcept
{
    return res != nullptr ? res->data.size() : 0;
}

extern "C" double motesok_xresults_weight(const motesok_xresults *res, size_t i) noexcept
{
    if (res == nullptr || i >= res->data.size())
        return 0.0;
    try {
        return res->weights[i];
    } catch (...) {
        return 0.0;
    }
}

extern "C" const char *motesok_xresults_data(const motesok_xresults *res, size_t i,
                                             size_t *len) noexcept
{
    if (res == nullptr || i >= res->data.size()) {
        if (len != nullptr)
            *len = 0;
        return "";
    }
    if (len != nullptr)
        *len = res->data[i].size();
    return res->data[i].c_str();
}

extern "C" const char *motesok_xresults_value(const motesok_xresults *res, size_t i,
                                              unsigned slot) noexcept
{
    if (res == nullptr || i >= res->docs.size())
        return "";
    try {
        auto key = std::make_pair(i, slot);
        auto it = res->values.find(key);
        if (it == res->values.end())
            it = res->values.emplace(key, res->docs[i].get_value(slot)).first;
        return it->second.c_str();
    } catch (...) {
        return "";
    }
}

extern "C" size_t motesok_xresults_facet_size(const motesok_xresults *res, size_t f) noexcept
{
    return res != nullptr && f < res->facets.size() ? res->facets[f].size() : 0;
}

extern "C" const char *motesok_xresults_facet(const motesok_xresults *res, size_t f, size_t j,
                                              uint64_t *count) noexcept
{
    if (res == nullptr || f >= res->facets.size() || j >= res->facets[f].size()) {
        if (count != nullptr)
            *count = 0;
        return "";
    }
    if (count != nullptr)
        *count = res->facets[f][j].second;
    return res->facets[f][j].first.c_str();
}

namespace {

// Private-use characters that Xapian passes through untouched; they mark
// matches until the text is escaped, then become <mark> tags. Input cannot
// forge them: they are removed from the text first.
const char HI_START[] = "\xee\x80\x80"; // U+E000
const char HI_END[] = "\xee\x80\x81";   // U+E001

// Replace every occurrence of from in s with to.
void replace_all(std::string &s, const std::string &from, const std::string &to)
{
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
        s.replace(p, from.size(), to);
}

// text without our marker characters.
std::string strip_markers(const char *text, size_t len)
{
    std::string s = bytes(text, len);
    replace_all(s, HI_START, "");
    replace_all(s, HI_END, "");
    return s;
}

// Finish HTML escaping of a Xapian snippet: Xapian (1.4.6 and later) has
// escaped &, < and >, which leaves the quotes, so that the snippet is safe
// in attribute values too; then turn the markers into <mark> tags.
std::string finish_snippet(std::string snip)
{
    replace_all(snip, "\"", "&quot;");
    replace_all(snip, "'", "&#39;");
    replace_all(snip, HI_START, "<mark>");
    replace_all(snip, HI_END, "</mark>");
    return snip;
}

// The query's unique terms that occur in db (the shards at paths), each
// with log(1 + N / termfreq).
std::vector<std::pair<std::string, double>> term_idfs(Xapian::Database &db,
                                                     const std::vector<std::string> &paths,
                                                     const Xapian::Query &query)
{
    std::vector<std::pair<std::string, double>> terms;
    with_retry(db, paths, [&] {
        terms.clear();
        const double n = db.get_doccount();
        for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
            Xapian::doccount tf = db.get_termfreq(*t);
            if (tf > 0)
                terms.emplace_back(*t, std::log(1.0 + n / tf));
        }
    });
    return terms;
}

} // namespace

extern "C" motesok_status motesok_xresults_snippet(const motesok_xresults *res, const char *text,
                                                   size_t len, size_t max_chars, char **out,
                                                   motesok_error *err) noexcept
{
    if (out == nullptr)
        return invalid(err, "no place for the snippet");
    *out = nullptr;
    if (res == nullptr || (text == nullptr && len > 0))
        return invalid(err, "no results or text");
    try {
        const std::string plain = strip_markers(text, len);
        std::string snip;
        with_retry(res->db, res->paths, [&] {
            snip = res->mset.snippet(plain, max_chars, res->stem,
                                     Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                     HI_START, HI_END, "\xe2\x80\xa6");
        });
        return give_string(finish_snippet(snip), out, err);
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xresults_best_part(const motesok_xresults *res,
                                                     const char *const *texts, const size_t *lens,
                                                     size_t n, size_t *best, double *score,
                                                     motesok_error *err) noexcept
{
    if (best == nullptr)
        return invalid(err, "no place for the best part");
    *best = 0;
    if (score != nullptr)
        *score = 0.0;
    if (res == nullptr || (texts == nullptr && n > 0))
        return invalid(err, "no results or texts");
    try {
        const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
        auto score_part = h != nullptr && h->part_score != nullptr
                              ? h->part_score
                              : [](const char *, size_t, const char *const *, const double *, size_t) {
                                    return 0.0;
                                };
        const auto terms = term_idfs(res->db, res->paths, res->query);
        std::vector<const char *> keys;
        std::vector<double> idfs;
        for (const auto &t : terms) {
            keys.push_back(t.first.c_str());
            idfs.push_back(t.second);
        }
        double top = 0.0;
        for (size_t i = 0; i < n && !terms.empty(); i++) {
            size_t len = texts[i] == nullptr ? 0 : lens != nullptr ? lens[i] : std::strlen(texts[i]);
            double s = score_part(texts[i] != nullptr ? texts[i] : "", len, keys.data(),
                                  idfs.data(), keys.size());
            if (s > top) {
                top = s;
                *best = i;
            }
        }
        if (score != nullptr)
            *score = top;
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" void motesok_xresults_free(motesok_xresults *res) noexcept
{
    delete res;
}
