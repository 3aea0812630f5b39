// SPDX-License-Identifier: GPL-2.0-or-later
// The C API over Xapian (lib/xapian/xapian.h): the only C++ in Møtesøk.
// Every extern "C" function is noexcept and funnels any exception through
// map_exception(), so that no C++ exception ever crosses into C.
#include "internal.h"
#include "analysis/lang.h"
#include "analysis/norsk.h"
#include "analysis/query.h"
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
// The stemmer and the stopwords come from the analysis layer through
// motesok_xanalysis hooks (lib/analysis/lang.c): documents and queries get
// the Norwegian stemmer (Snowball, "aa" as "å", Nynorsk stems mapped to
// Bokmål). Compounds are split with lib/analysis/norsk.c: documents get the
// stems of their parts as extra terms under their own prefix (XD,
// motesok_xdoc_analyse), queries search a compound OR all its parts
// (rewrite), and a word found only as a part of a longer compound weighs
// less than the word itself.
namespace {

std::atomic<const motesok_xanalysis *> hooks{nullptr};

// The stemmer the hooks give (Snowball alone without them).
class HookStem : public Xapian::StemImplementation {
  public:
    std::string operator()(const std::string &word) override
    {
        const motesok_xanalysis *h = hooks.load(std::memory_order_acquire);
        if (h == nullptr || h->stem == nullptr)
            return snowball_(word);
        thread_local msk_buf out{};
        if (h->stem(word.data(), word.size(), &out) != MOTESOK_OK)
            throw std::bad_alloc();
        return std::string(out.data, out.len);
    }
    std::string get_description() const override { return "norsk"; }

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
Xapian::Stem norsk_stem()
{
    return Xapian::Stem(new HookStem);
}

// The analysis, as the query rewriting below reads it.
const msk_lang *lang()
{
    return msk_lang_shared();
}

// The language data under the analysis.
const msk_norsk *lang_data()
{
    return msk_lang_data(lang());
}

// True if folded word w is a stopword of documents.
bool stopword(const std::string &w)
{
    return msk_lang_stopword(lang(), w.data(), w.size());
}

// The synonym groups (msk_lang_member) as the rewriting walks them: per
// group, per member, its stems; and alike the words of each member
// searched as a phrase (none for the others). Read once from the analysis.
struct Groups {
    std::vector<std::vector<std::vector<std::string>>> stems, tight;
};

const Groups &groups()
{
    static Groups g;
    static std::once_flag once;
    std::call_once(once, [] {
        const msk_lang *l = lang();
        for (size_t i = 0; i < msk_lang_n_groups(l); i++) {
            std::vector<std::vector<std::string>> stems, tight;
            for (size_t m = 0; m < msk_lang_group_size(l, i); m++) {
                const char *const *st, *const *ti;
                size_t n_st, n_ti;
                msk_lang_member(l, i, m, &st, &n_st, &ti, &n_ti);
                stems.emplace_back(st, st + n_st);
                tight.emplace_back(ti, ti + n_ti);
            }
            g.stems.push_back(std::move(stems));
            g.tight.push_back(std::move(tight));
        }
    });
    return g;
}

// The characters of UTF-8 text s.
size_t utf8_chars(const std::string &s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

// The extra stems for the parts of word (stemmed with stem): each top part
// and leaf, and every run of two or more leaves short of the whole word
// (kommune|helse|samarbeidet gives helsesamarbeid). Empty if no compound.
std::vector<std::string> part_stems(const std::string &word, Xapian::Stem &stem)
{
    std::vector<std::string> out;
    msk_split sp;
    if (!msk_norsk_split(lang_data(), word.data(), word.size(), &sp))
        return out;
    std::set<std::string> seen{stem(word)};
    auto add = [&](size_t a, size_t b) {
        std::string s = stem(word.substr(a, b - a));
        if (seen.insert(s).second)
            out.push_back(std::move(s));
    };
    for (size_t i = 0; i < sp.n_top; i++)
        add(sp.top[i].start, sp.top[i].end);
    for (size_t i = 0; i < sp.n_leaf; i++)
        for (size_t j = i; j < sp.n_leaf; j++)
            if (!(i == 0 && j == sp.n_leaf - 1))
                add(sp.leaf[i].start, sp.leaf[j].end);
    return out;
}

// A cache of part_stems per thread: a document's words are mostly the
// words of the documents before it. Cleared when it grows past a bound.
const std::vector<std::string> &cached_part_stems(const std::string &word, Xapian::Stem &stem)
{
    thread_local std::unordered_map<std::string, std::vector<std::string>> cache;
    auto it = cache.find(word);
    if (it != cache.end())
        return it->second;
    if (cache.size() >= 200000)
        cache.clear();
    return cache.emplace(word, part_stems(word, stem)).first->second;
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
// writer's (Norwegian stemmer, STEM_SOME, positions), so that documents
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
    size_t n_dbs = 0;
    Xapian::Stem stem = norsk_stem();
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
        : slots_(std::move(slots)), distinct_(distinct), counts_(slots_.size()),
          seen_(slots_.size())
    {
    }

    void operator()(const Xapian::Document &doc, double) override
    {
        std::string key;
        if (distinct_ >= 0) { // read once for every slot
            key = doc.get_value(static_cast<Xapian::valueno>(distinct_));
            if (key.empty())
                key = "#" + std::to_string(doc.get_docid());
        }
        for (size_t f = 0; f < slots_.size(); f++) {
            std::string v = doc.get_value(slots_[f]);
            if (v.empty())
                continue;
            if (distinct_ < 0 || seen_[f].insert(v + '\0' + key).second)
                counts_[f][v]++;
        }
    }

    const std::map<std::string, Xapian::doccount> &counts(size_t f) const { return counts_[f]; }

  private:
    std::vector<Xapian::valueno> slots_;
    int distinct_;
    std::vector<std::map<std::string, Xapian::doccount>> counts_;
    std::vector<std::unordered_set<std::string>> seen_;
};

// An MSet with what snippets and best_part need. db shares the reader's
// shards (Xapian handles are reference counted), so results stay usable,
// and reopen together with the reader, for as long as they live.
struct motesok_xresults {
    mutable Xapian::Database db; // reopened when a read meets a newer commit
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
// commit is one more try.
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

// retry_reads on db, reopened between tries.
template <typename F>
void with_retry(Xapian::Database &db, F fn)
{
    retry_reads([&] { db.reopen(); }, fn);
}

// Open the reader's shards afresh (after a shard was swapped for a
// compacted copy, which restarts its revisions: Xapian's reopen cannot
// tell the new database from the old one by revision alone).
void open_parts(motesok_xreader *r)
{
    std::vector<Xapian::Database> parts;
    Xapian::Database db;
    std::vector<std::string> uuids;
    for (const std::string &p : r->paths) {
        parts.emplace_back(p);
        db.add_database(parts.back());
        uuids.push_back(parts.back().get_uuid());
    }
    r->parts = std::move(parts);
    r->db = db;
    r->uuids = std::move(uuids);
}

// Move the reader to the latest commit of every shard; true if it moved.
// A shard whose database was replaced (another UUID) is opened again.
bool refresh(motesok_xreader *r)
{
    bool moved = r->db.reopen();
    for (size_t i = 0; i < r->parts.size(); i++) {
        if (r->parts[i].get_uuid() != r->uuids[i]) {
            open_parts(r);
            return true;
        }
    }
    return moved;
}

// retry_reads on a reader, refreshed between tries (which also follows a
// compacted shard).
template <typename F>
void with_retry(motesok_xreader *r, F fn)
{
    retry_reads([&] { refresh(r); }, fn);
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
    const msk_norsk *data = msk_norsk_shared();
    for (auto p = w->db.postlist_begin(term); p != w->db.postlist_end(term); ++p) {
        Xapian::Document old = w->db.get_document(*p);
        auto t = old.termlist_begin();
        t.skip_to(SPELLING_MARK);
        if (t == old.termlist_end() || *t != SPELLING_MARK)
            continue;
        for (t = old.termlist_begin(); t != old.termlist_end(); ++t) {
            const std::string word = *t;
            if (plain_word(word) && word.size() >= 3 && !msk_norsk_stopword(data, word.data(), word.size()))
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

// A document whose TermGenerator analyses Norwegian (stemmer, stopwords
// kept unstemmed for phrases, positions) — or, plain, does what Xapian
// alone does (Snowball, no stopwords), for the cost benchmark.
std::unique_ptr<motesok_xdoc> new_xdoc(bool plain = false)
{
    auto d = std::make_unique<motesok_xdoc>();
    d->stem = plain ? Xapian::Stem("norwegian") : norsk_stem();
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
        if (lang != language) {
            stem = Xapian::Stem(language);
            lang = language;
        }
        const std::string s = stem(std::string(word != nullptr ? word : "", n));
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
        const msk_norsk *data = lang_data();
        for (auto t = d->doc.termlist_begin(); t != d->doc.termlist_end(); ++t) {
            const std::string word = *t;
            if (!plain_word(word))
                continue;
            for (const std::string &s : cached_part_stems(word, d->stem))
                add.emplace_back(MOTESOK_PREFIX_PART + s, t.get_wdf());
            if (spelling && word.size() >= 3 && !msk_norsk_stopword(data, word.data(), word.size()))
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
        open_parts(r.get());
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
        bool moved = refresh(r);
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

    // The value query for [b, e] ("" an open end), or OP_INVALID when
    // msk_query_date_range finds no range there (the parser then falls
    // back to the words).
    Xapian::Query operator()(const std::string &b, const std::string &e) override
    {
        char lo[9], hi[9];
        if (msk_query_date_range(b.empty() ? nullptr : b.c_str(), e.empty() ? nullptr : e.c_str(),
                                 lo, hi) != MSK_DATES_OK)
            return Xapian::Query(Xapian::Query::OP_INVALID);
        if (*lo == '\0')
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        if (*hi == '\0')
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
    }
};

// The query text with Norwegian operator words as Xapian's (C, lib/analysis).
std::string norwegian_operators(const std::string &in)
{
    std::unique_ptr<char, decltype(&std::free)> out(msk_query_english_operators(in.c_str()), std::free);
    if (!out)
        throw std::bad_alloc();
    return out.get();
}

// The query's words alone, operator words left out (C, lib/analysis).
std::string plain_words(const std::string &in)
{
    std::unique_ptr<char, decltype(&std::free)> out(msk_query_plain_words(in.c_str()), std::free);
    if (!out)
        throw std::bad_alloc();
    return out.get();
}

// True if s holds only white space.
bool blank(const std::string &s)
{
    return msk_query_blank(s.c_str());
}

// Defaults of motesok_xparse_options' limits.
const unsigned DEFAULT_MAX_WILDCARD = 100;
const unsigned DEFAULT_MAX_EXPANDED = 500;

// Set up qp from the options for reader r.
void setup_parser(Xapian::QueryParser &qp, motesok_xreader *r, const motesok_xparse_options *opt)
{
    qp.set_database(r->db);
    qp.set_stemmer(r->stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&r->stopper);
    qp.set_default_op(opt->default_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    // (a wildcard bounded_wildcards cannot expand keeps this limit)
    qp.set_max_expansion(opt->max_wildcard != 0 ? opt->max_wildcard : DEFAULT_MAX_WILDCARD,
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

// What rewrite() needs: the parser (for the words behind stems), a
// stemmer, and the words typed with a capital outside quotes, which the
// parser leaves unstemmed (names) but which should still meet their
// inflections and parts; a quoted word stays exact.
struct Rewriter {
    motesok_xreader *r;
    const Xapian::QueryParser &qp;
    Xapian::Stem &stem;
    std::set<std::string> capitalised;
    // joined_stem's answers: the rewrite and the proximity boost ask alike
    std::map<std::pair<std::string, std::string>, std::string> joined{};
    // the whole words' bonus (stem_or_part), weighed on the top passages
    std::vector<Xapian::Query> bonus{};
    // part_indexed's and finds' answers
    std::map<std::string, bool> parts{}, found{};
    // split points compound_correction may still try in this query
    unsigned splits_left = 60;
    // any part of a compound may match, not all (a relaxed search)
    bool any_part = false;
    // a compound was searched by any of its parts
    bool parts_relaxed = false;
};

// The folded words of text that begin with a capital letter outside
// double quotes (msk_query_capitalised).
std::set<std::string> capitalised_words(const std::string &text)
{
    std::set<std::string> out;
    auto add = [](const char *folded, void *ctx) { static_cast<std::set<std::string> *>(ctx)->insert(folded); };
    if (msk_query_capitalised(text.c_str(), add, &out) != MOTESOK_OK)
        throw std::bad_alloc();
    return out;
}

// The body-text word a query leaf stands for ("" for other leaves): the
// word as typed for a stemmed term, else a capitalised word itself.
std::string leaf_word(const Xapian::Query &q, const Rewriter &rw, std::string *term)
{
    if (q.get_type() != Xapian::Query::LEAF_TERM)
        return "";
    *term = *q.get_terms_begin();
    if (term->size() > 1 && (*term)[0] == 'Z' && plain_word(term->substr(1))) {
        auto u = rw.qp.unstem_begin(*term);
        return u != rw.qp.unstem_end(*term) ? *u : term->substr(1);
    }
    return plain_word(*term) && rw.capitalised.count(*term) ? *term : "";
}

// True if some passage holds stem s as a part of a compound (may throw).
bool part_indexed(Rewriter &rw, const std::string &s)
{
    auto known = rw.parts.find(s);
    if (known != rw.parts.end())
        return known->second;
    bool found = false;
    with_retry(rw.r, [&] { found = rw.r->db.term_exists(MOTESOK_PREFIX_PART + s); });
    return rw.parts[s] = found;
}

// The word with stem s, whole or as a part of a longer compound, weighed
// as one term (Zs and XDs together, as if the same word). With bonus, Zs
// is added to it: the top passages with the word whole get its weight
// again (rerank_top), so that "kommunale tjenester" ranks above
// "spesialisthelsetjenesten" (a bonus of 0.3–1.5 times measured the same on
// bench/relevance/v2's tuning half; weighing parts down with their own
// statistics instead lost nDCG there). Without bonus, the word whole or as
// a part weighs the same (the parts of a compound searched for: røntgen and
// tilbud found apart must not outrank røntgentilbud). The bonus is weighed
// after the match, on a few dozen passages, because an OR with Zs in the
// match reads its postings twice (query cost 2.3× plain Xapian, 1.6×
// without).
Xapian::Query stem_or_part(Rewriter &rw, const std::string &s, std::vector<Xapian::Query> *bonus)
{
    Xapian::Query whole("Z" + s);
    // no passage holds it inside a compound: the word whole, and its bonus
    // on every passage (the same order, without a synonym and a re-rank)
    if (!part_indexed(rw, s))
        return bonus != nullptr ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, whole, 2.0) : whole;
    if (bonus != nullptr)
        bonus->push_back(whole);
    return Xapian::Query(Xapian::Query::OP_SYNONYM, whole, Xapian::Query(MOTESOK_PREFIX_PART + s));
}

// What the stem of a name typed with a capital weighs against its exact
// form (with_parts).
const double NAME_STEM_WEIGHT = 0.6;

// True if folded word w has a Nynorsk → Bokmål pair of its own (its stem
// is one the stemmer maps).
bool paired_word(const std::string &w)
{
    return msk_lang_paired(lang(), w.data(), w.size());
}

// Words a compound's leading parts stand for at most (with_parts).
const Xapian::termcount PART_PREFIX_TERMS = 20;

// Leaf q for word: the word whole or as a compound's part (stem_or_part),
// OR the word as typed if q is that (a capitalised word: the parser leaves
// names as typed, but Aasheim should meet Åsheim), OR all the parts of
// word if it is a compound (røntgentilbud → røntgen AND tilbud).
Xapian::Query with_parts(const Xapian::Query &q, const std::string &word, bool stemmed,
                         Rewriter &rw, std::vector<Xapian::Query> *bonus)
{
    std::vector<Xapian::Query> alts;
    // q is a leaf: Z<stem> when stemmed
    const std::string s = stemmed ? (*q.get_terms_begin()).substr(1) : rw.stem(word);
    if (!stemmed)
        alts.push_back(q);
    // a name typed with a capital (Råde, or a word no dictionary knows)
    // keeps its exact form first: its stem (råd: rådet) weighs less
    const msk_norsk *data = lang_data();
    if (!stemmed && (msk_norsk_name(data, word.data(), word.size()) ||
                     !msk_norsk_known(data, word.data(), word.size()))) {
        std::vector<Xapian::Query> whole;
        alts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, stem_or_part(rw, s, bonus ? &whole : nullptr),
                          NAME_STEM_WEIGHT);
        for (const Xapian::Query &w : whole)
            bonus->emplace_back(Xapian::Query::OP_SCALE_WEIGHT, w, NAME_STEM_WEIGHT);
    } else {
        alts.push_back(stem_or_part(rw, s, bonus));
    }
    msk_split sp;
    if (msk_norsk_split(data, word.data(), word.size(), &sp)) {
        // all the top parts, or all the finest parts: documents carry
        // those for their own compounds too (pasientsikkerhet + arbeid for
        // pasientsikkerhetsarbeid)
        auto all_of = [&](const msk_span *spans, size_t n) {
            std::vector<Xapian::Query> parts;
            for (size_t i = 0; i < n; i++)
                parts.push_back(stem_or_part(
                    rw, rw.stem(word.substr(spans[i].start, spans[i].end - spans[i].start)), nullptr));
            // relaxed: any part (a compound no passage holds whole or with
            // all its parts: ungdomssymfoniorkester, ungdomssymfonikerne)
            if (rw.any_part && parts.size() > 1) {
                rw.parts_relaxed = true;
                return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
            }
            return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
        };
        // a run of leaves short of the whole word that is a Nynorsk word
        // with a Bokmål pair of its own is read as that word, not as its
        // leaves apart: trafikk|tryggleik|plan holds trafikktryggleik
        // (trafikksikkerhet), while tryggleik alone is trygghet. Documents
        // carry every run of their compounds' leaves (part_stems).
        std::vector<Xapian::Query> runs;
        for (size_t i = 0; i < sp.n_leaf; i++)
            for (size_t j = i + 1; j < sp.n_leaf; j++) {
                const size_t a = sp.leaf[i].start, b = sp.leaf[j].end;
                if ((i == 0 && j == sp.n_leaf - 1) || !paired_word(word.substr(a, b - a)))
                    continue;
                msk_span spans[MSK_SPLIT_MAX * MSK_SPLIT_MAX];
                size_t n = 0;
                for (size_t k = 0; k < i; k++)
                    spans[n++] = sp.leaf[k];
                spans[n++] = msk_span{sp.leaf[i].start, sp.leaf[j].end};
                for (size_t k = j + 1; k < sp.n_leaf; k++)
                    spans[n++] = sp.leaf[k];
                runs.push_back(all_of(spans, n));
            }
        // (relaxed, the finest parts alone: a part in both would count twice)
        if (!rw.any_part || sp.n_leaf <= sp.n_top)
            alts.push_back(all_of(sp.top, sp.n_top));
        if (!runs.empty())
            alts.insert(alts.end(), runs.begin(), runs.end());
        else if (sp.n_leaf > sp.n_top)
            alts.push_back(all_of(sp.leaf, sp.n_leaf));
        // relaxed, a compound of three parts or more also finds the words
        // that begin with all its parts but the last, in any form
        // (ungdomssymfoni*: Ungdomssymfonikerne), weighed as the parts it has
        if (rw.any_part && sp.n_leaf >= 3)
            alts.emplace_back(
                Xapian::Query::OP_SCALE_WEIGHT,
                Xapian::Query(Xapian::Query::OP_WILDCARD,
                              Xapian::Unicode::tolower(word.substr(0, sp.leaf[sp.n_leaf - 1].start)),
                              PART_PREFIX_TERMS, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT),
                static_cast<double>(sp.n_leaf - 1));
    }
    return Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
}

Xapian::Query word_forms(Rewriter &rw, const std::string &typed, const std::string &st);

// A synonym group (of groups().stems) as a query: any one of its
// members, a member of several words as all of them — or, when one of its
// words has one or two letters (k-styre, ø-hjelp), as those words next to
// each other in their exact forms: "k" and "styre" apart are in every
// law that lists items a) to k) and speaks of a board.
Xapian::Query group_query(const std::vector<std::vector<std::string>> &group, Rewriter &rw)
{
    const auto &all = groups();
    const auto &tight = all.tight[static_cast<size_t>(&group - all.stems.data())];
    std::vector<Xapian::Query> members;
    for (size_t m = 0; m < group.size(); m++) {
        std::vector<Xapian::Query> words;
        if (!tight[m].empty()) {
            with_retry(rw.r, [&] {
                words.clear();
                for (const std::string &w : tight[m])
                    words.push_back(utf8_chars(w) <= 2 ? Xapian::Query(w) : word_forms(rw, w, rw.stem(w)));
            });
            members.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                                 static_cast<Xapian::termcount>(words.size()));
            continue;
        }
        for (const std::string &st : group[m])
            words.push_back(stem_or_part(rw, st, &rw.bonus));
        members.emplace_back(Xapian::Query::OP_AND, words.begin(), words.end());
    }
    return Xapian::Query(Xapian::Query::OP_OR, members.begin(), members.end());
}

Xapian::Query rewrite(const Xapian::Query &q, Rewriter &rw);

// A phrase of plain words (PLO-meldinger is parsed as one) OR, when its
// words in order are a member of a synonym group, the whole group.
Xapian::Query with_group(const Xapian::Query &q, Rewriter &rw)
{
    std::vector<std::string> stems;
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        const Xapian::Query sub = q.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM)
            return q;
        const std::string term = *sub.get_terms_begin();
        if (!plain_word(term))
            return q;
        if (!stopword(term))
            stems.push_back(rw.stem(term));
    }
    for (const auto &group : groups().stems)
        for (const auto &member : group)
            if (member == stems)
                return Xapian::Query(Xapian::Query::OP_OR, q, group_query(group, rw));
    // a word of a short phrase (VA-gebyr is parsed as one) that is an
    // abbreviation of a group: also the group and the other words, apart
    // (gebyr for vann og avløp, vann- og avløpsgebyr)
    if (stems.size() < 2 || stems.size() > 3)
        return q;
    std::vector<Xapian::Query> words;
    bool grouped = false;
    for (const std::string &st : stems) {
        const std::vector<std::vector<std::string>> *found = nullptr;
        for (const auto &group : groups().stems)
            for (const auto &member : group)
                if (found == nullptr && member.size() == 1 && member[0] == st && st.size() <= 5)
                    found = &group;
        grouped = grouped || found != nullptr;
        words.push_back(found != nullptr ? group_query(*found, rw) : stem_or_part(rw, st, nullptr));
    }
    if (!grouped)
        return q;
    return Xapian::Query(Xapian::Query::OP_OR, q,
                         Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()));
}

// True if a word of q is in no document, even by its parts or synonyms:
// only then is a spelling correction worth offering (the spelling table
// holds unstemmed words, so Xapian alone would correct tenester and
// helsesamarbeid, which match).
bool has_unknown_word(motesok_xreader *r, const Xapian::Query &q, Rewriter &rw)
{
    bool unknown = false;
    with_retry(r, [&] {
        unknown = false;
        for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end() && !unknown; ++t) {
            const std::string &term = *t;
            // a stemmed word, or a word as typed (capitalised or quoted)
            bool word = (term.size() > 1 && term[0] == 'Z' && plain_word(term.substr(1))) ||
                        plain_word(term);
            if (!word || r->db.get_termfreq(term) != 0)
                continue;
            // in no document as such: known all the same if its parts or
            // its synonym group find something (KAD, written out)
            Xapian::Enquire e(r->db);
            e.set_query(rewrite(Xapian::Query(*t), rw));
            unknown = e.get_mset(0, 1).empty();
        }
    });
    return unknown;
}

// True if byte c is an ASCII digit.
bool digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

// Where the letters and the digits of t meet (msk_query_letter_digit_split),
// else std::string::npos.
size_t letter_digit_split(const std::string &t)
{
    const size_t at = msk_query_letter_digit_split(t.data(), t.size());
    return at == SIZE_MAX ? std::string::npos : at;
}

// Term t without the stem prefix: lis1 for Zlis1 or lis1.
std::string unstemmed(const std::string &t)
{
    return t.size() > 1 && t[0] == 'Z' ? t.substr(1) : t;
}

// The digits of a number term (2018, or stemmed: Z2018), else "".
std::string number_term(const std::string &term)
{
    const std::string t = unstemmed(term);
    const bool number = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
        return digit(static_cast<unsigned char>(c));
    });
    return number ? t : "";
}

// A leaf q for a word of letters and digits (LIS1, E18: term lis1 or
// Zlis1) OR the same written apart or with a hyphen (LIS 1, LIS-1: the
// phrase lis 1); q itself for other leaves.
Xapian::Query with_letters_apart(const Xapian::Query &q)
{
    if (q.get_type() != Xapian::Query::LEAF_TERM)
        return q;
    const std::string t = unstemmed(*q.get_terms_begin());
    const size_t at = letter_digit_split(t);
    if (at == std::string::npos)
        return q;
    Xapian::Query apart(Xapian::Query::OP_PHRASE, Xapian::Query(t.substr(0, at)),
                        Xapian::Query(t.substr(at)));
    if (*q.get_terms_begin() == t) // as typed already
        return Xapian::Query(Xapian::Query::OP_OR, q, apart);
    const Xapian::Query alts[] = {q, Xapian::Query(t), apart};
    return Xapian::Query(Xapian::Query::OP_OR, std::begin(alts), std::end(alts));
}

// The one term a phrase of two leaves makes when they are letters and a
// number (LIS-1 → lis1), else "".
std::string letters_number_joined(const Xapian::Query &q)
{
    if (q.get_type() != Xapian::Query::OP_PHRASE || q.get_num_subqueries() != 2)
        return "";
    const Xapian::Query a = q.get_subquery(0), b = q.get_subquery(1);
    if (a.get_type() != Xapian::Query::LEAF_TERM || b.get_type() != Xapian::Query::LEAF_TERM)
        return "";
    const std::string joined = *a.get_terms_begin() + *b.get_terms_begin();
    return letter_digit_split(joined) != std::string::npos ? joined : "";
}

// The stem of the compound that words a and b, typed apart, make together
// (a+b, a+s+b or a+e+b: pasient sikkerhet → pasientsikkerhet) if some
// document holds it, whole or as a part; "" if none does (may throw).
std::string joined_stem(Rewriter &rw, const std::string &a, const std::string &b)
{
    if (a.size() < 3 || b.size() < 3)
        return "";
    auto known = rw.joined.find({a, b});
    if (known != rw.joined.end())
        return known->second;
    std::string &answer = rw.joined[{a, b}];
    for (const char *link : {"", "s", "e"}) {
        const std::string s = rw.stem(a + link + b);
        bool found = false;
        with_retry(rw.r, [&] {
            found = rw.r->db.get_termfreq("Z" + s) != 0 ||
                    rw.r->db.get_termfreq(MOTESOK_PREFIX_PART + s) != 0;
        });
        if (found)
            return answer = s;
    }
    return answer;
}

// Rewrite the subqueries of an AND-like (all) or OR-like query: stemmed
// words that together make a member of a synonym group become the whole
// group; a word and a number also find the two as one term (LIS 1: lis1);
// two words in a row that make a compound some document holds also find
// that compound, which ranks above the words apart; other words are
// searched with their parts; deeper queries are rewritten.
std::vector<Xapian::Query> rewrite_children(const std::vector<Xapian::Query> &kids, Rewriter &rw,
                                            bool all = true)
{
    Xapian::Stem &stem = rw.stem;
    std::vector<std::string> stems(kids.size()), words(kids.size());
    for (size_t i = 0; i < kids.size(); i++) {
        std::string term;
        words[i] = leaf_word(kids[i], rw, &term);
        if (!words[i].empty())
            stems[i] = term[0] == 'Z' ? term.substr(1) : stem(words[i]);
    }
    std::vector<bool> used(kids.size(), false);
    std::vector<Xapian::Query> out;
    // a word and a number (LIS 1) also find the two as one (LIS1)
    for (size_t i = 0; i + 1 < kids.size(); i++) {
        const std::string number = kids[i + 1].get_type() == Xapian::Query::LEAF_TERM
                                       ? number_term(*kids[i + 1].get_terms_begin())
                                       : "";
        if (number.empty() || words[i].empty() || used[i])
            continue;
        const std::string one = Xapian::Unicode::tolower(words[i]) + number;
        if (letter_digit_split(one) == std::string::npos)
            continue;
        used[i] = used[i + 1] = true;
        Xapian::Query a = rewrite_children({kids[i]}, rw)[0], b = kids[i + 1];
        if (all)
            out.emplace_back(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_AND, a, b),
                             Xapian::Query(one));
        else
            out.insert(out.end(), {a, b, Xapian::Query(one)});
    }
    for (const auto &group : groups().stems) {
        for (const auto &member : group) {
            std::vector<size_t> at;
            for (const std::string &st : member) {
                for (size_t i = 0; i < kids.size(); i++) {
                    if (!used[i] && stems[i] == st &&
                        std::find(at.begin(), at.end(), i) == at.end()) {
                        at.push_back(i);
                        break;
                    }
                }
            }
            if (at.size() != member.size())
                continue;
            for (size_t i : at)
                used[i] = true;
            out.push_back(group_query(group, rw));
            break;
        }
    }
    auto rewritten = [&](size_t i, bool whole_bonus) {
        const bool leaf = kids[i].get_type() == Xapian::Query::LEAF_TERM;
        return words[i].empty() ? (leaf ? with_letters_apart(kids[i]) : rewrite(kids[i], rw))
                                : with_parts(kids[i], words[i],
                                             (*kids[i].get_terms_begin())[0] == 'Z', rw,
                                             whole_bonus ? &rw.bonus : nullptr);
    };
    for (size_t i = 0; i < kids.size(); i++) {
        if (used[i])
            continue;
        std::string joined;
        if (i + 1 < kids.size() && !used[i + 1] && !words[i].empty() && !words[i + 1].empty())
            joined = joined_stem(rw, words[i], words[i + 1]);
        if (joined.empty()) {
            out.push_back(rewritten(i, true));
            continue;
        }
        // the words apart weigh no more than as parts of the compound
        used[i + 1] = true;
        Xapian::Query a = rewritten(i, false), b = rewritten(i + 1, false);
        if (all) {
            out.emplace_back(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_AND, a, b),
                             stem_or_part(rw, joined, &rw.bonus));
        } else {
            out.push_back(a);
            out.push_back(b);
            out.push_back(stem_or_part(rw, joined, &rw.bonus));
        }
    }
    return out;
}

// Words of the index looked at for the forms of a word (near_boost), and
// the forms kept.
const unsigned FORM_SCAN = 50, MAX_FORMS = 12;

// The exact forms in the index of the word typed (lower case) with stem
// st: the word itself and the terms that begin with st and stem to it
// (legevakt, legevakta, legevakten …), as an OR (may throw).
Xapian::Query word_forms(Rewriter &rw, const std::string &typed, const std::string &st)
{
    std::vector<Xapian::Query> forms{Xapian::Query(typed)};
    unsigned seen = 0;
    for (auto t = rw.r->db.allterms_begin(st); t != rw.r->db.allterms_end(st) && seen < FORM_SCAN;
         ++t, seen++) {
        if (*t != typed && forms.size() < MAX_FORMS && rw.stem(*t) == st)
            forms.emplace_back(*t);
    }
    return Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
}

// Positions a NEAR window spans beyond the words themselves (stopwords
// and other words between them).
const unsigned NEAR_SLACK = 6;

// For a query of two to eight words (an AND or OR of them), a query that
// matches where the words, in any of their forms, stand within a window
// NEAR_SLACK wider than the query, so that passages holding them together
// rank higher; an empty query otherwise, or when two words in a row make
// a compound that some document holds (that reading ranks first, see
// rewrite_children). Stems and parts carry no positions; exact forms do.
// On bench/relevance/v2's tuning half: +0.017 MRR@10, +0.008 nDCG@10
// (slack 2–20 and a weight of 0.5–1.5 measured alike; the typed form
// alone gained a third of that).
Xapian::Query near_boost(const Xapian::Query &q, Rewriter &rw)
{
    const auto op = q.get_type();
    if (op != Xapian::Query::OP_AND && op != Xapian::Query::OP_OR)
        return Xapian::Query();
    std::vector<std::string> typed;
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        std::string term;
        const std::string w = leaf_word(q.get_subquery(i), rw, &term);
        if (!w.empty())
            typed.push_back(Xapian::Unicode::tolower(w));
    }
    if (typed.size() < 2 || typed.size() > 8)
        return Xapian::Query();
    for (size_t i = 0; i + 1 < typed.size(); i++)
        if (!joined_stem(rw, typed[i], typed[i + 1]).empty())
            return Xapian::Query();
    std::vector<Xapian::Query> words;
    with_retry(rw.r, [&] {
        words.clear();
        for (const std::string &w : typed)
            words.push_back(word_forms(rw, w, rw.stem(w)));
    });
    return Xapian::Query(Xapian::Query::OP_NEAR, words.begin(), words.end(),
                         static_cast<Xapian::termcount>(words.size() + NEAR_SLACK));
}

// True for the boolean operators whose subqueries a rewrite walks into.
bool boolean_op(Xapian::Query::op op)
{
    switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_MAX:
        return true;
    default:
        return false;
    }
}

// q with compounds and synonyms expanded (see rewrite_children); phrases,
// NEAR, wildcards, weights and filters stay as they are.
Xapian::Query rewrite(const Xapian::Query &q, Rewriter &rw)
{
    const auto op = q.get_type();
    if (op == Xapian::Query::LEAF_TERM) {
        auto kids = rewrite_children({q}, rw);
        return kids.size() == 1 ? kids[0] : q;
    }
    if (op == Xapian::Query::OP_PHRASE) {
        const std::string one = letters_number_joined(q); // LIS-1 → lis1 too
        return one.empty() ? with_group(q, rw)
                           : Xapian::Query(Xapian::Query::OP_OR, q, Xapian::Query(one));
    }
    if (!boolean_op(op))
        return q;
    std::vector<Xapian::Query> kids;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        kids.push_back(q.get_subquery(i));
    if (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR) {
        kids = rewrite_children(kids, rw, op == Xapian::Query::OP_AND);
    } else {
        // the first subquery ranks; the others (NOT, MAYBE, filter) each alone
        for (size_t i = 0; i < kids.size(); i++)
            kids[i] = rewrite(kids[i], rw);
    }
    return Xapian::Query(op, kids.begin(), kids.end());
}

// True if every term of q carries a field prefix (starts with a capital)
// of a field indexed without positions: all but the case number's.
bool field_terms_only(const Xapian::Query &q)
{
    bool any = false;
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
        const std::string &term = *t;
        if (term.empty() || term[0] < 'A' || term[0] > 'Z' ||
            term.compare(0, sizeof MOTESOK_PREFIX_CASE - 1, MOTESOK_PREFIX_CASE) == 0)
            return false;
        any = true;
    }
    return any;
}

// q with each phrase or NEAR of field terms made an AND of its terms:
// fields are indexed without positions, so that a phrase of them would
// match nothing. Phrases of body text stay.
Xapian::Query unphrase_fields(const Xapian::Query &q)
{
    const auto op = q.get_type();
    const bool positional = op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR;
    if (!positional && op != Xapian::Query::OP_SYNONYM && !boolean_op(op))
        return q;
    if (positional && !field_terms_only(q))
        return q;
    std::vector<Xapian::Query> kids;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        kids.push_back(unphrase_fields(q.get_subquery(i)));
    return Xapian::Query(positional ? Xapian::Query::OP_AND : op, kids.begin(), kids.end());
}

// Parse text, or on a syntax error its plain words (setting *fell_back).
// An empty result means the query held nothing to search for.
Xapian::Query parse_or_fall_back(motesok_xreader *r, Xapian::QueryParser &qp,
                                 const std::string &text, bool *fell_back)
{
    Xapian::Query q;
    try {
        with_retry(r, [&] { q = qp.parse_query(text, PARSE_FLAGS); });
        return q;
    } catch (const Xapian::QueryParserError &) {
    }
    if (fell_back != nullptr)
        *fell_back = true;
    const std::string words = plain_words(text);
    if (!blank(words))
        with_retry(r, [&] { q = qp.parse_query(words, 0); });
    return q;
}

// Terms of the index looked at per term a wildcard may expand to: bounds
// the scan for the most frequent ones under a short prefix ("a*").
const unsigned SCAN_PER_TERM = 50;

// True for the operators whose subqueries may hold a parser's wildcard.
bool wildcard_parent(Xapian::Query::op op)
{
    return boolean_op(op) || op == Xapian::Query::OP_SYNONYM;
}

// Number of OP_WILDCARD leaves of q under the operators wildcard_parent walks.
unsigned count_wildcards(const Xapian::Query &q)
{
    if (q.get_type() == Xapian::Query::OP_WILDCARD)
        return 1;
    if (!wildcard_parent(q.get_type()))
        return 0;
    unsigned n = 0;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        n += count_wildcards(q.get_subquery(i));
    return n;
}

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

// What expanding the wildcards of one query may use and has used.
struct Expansion {
    Xapian::Database &db;
    unsigned share;   // terms each wildcard may expand to
    unsigned scan;    // terms of the index each may look at
    motesok_xquery_cost cost;
};

// The most frequent terms (at most x.share; ties alphabetical) that start
// with pattern, among the first x.scan of the index, as one synonym.
Xapian::Query expand_pattern(const std::string &pattern, Expansion &x)
{
    std::vector<std::pair<Xapian::doccount, std::string>> seen;
    bool more = false;
    for (auto t = x.db.allterms_begin(pattern); t != x.db.allterms_end(pattern); ++t) {
        if (seen.size() == x.scan) {
            more = true;
            break;
        }
        seen.emplace_back(t.get_termfreq(), *t);
    }
    size_t keep = std::min<size_t>(seen.size(), x.share);
    std::partial_sort(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(keep), seen.end(),
                      [](const auto &a, const auto &b) {
                          return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    std::vector<Xapian::Query> terms;
    for (size_t i = 0; i < keep; i++)
        terms.emplace_back(seen[i].second);
    x.cost.expanded += static_cast<unsigned>(keep);
    x.cost.cut = x.cost.cut || more || seen.size() > keep;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

// q with every wildcard leaf under the operators wildcard_parent walks
// replaced by its expansion (expand_pattern); a leaf whose pattern cannot
// be read stays, bounded by the parser's own per-wildcard limit.
Xapian::Query expand_wildcards(const Xapian::Query &q, Expansion &x)
{
    const auto op = q.get_type();
    std::string pattern;
    if (op == Xapian::Query::OP_WILDCARD) {
        x.cost.wildcards++;
        return wildcard_pattern(q, &pattern) ? expand_pattern(pattern, x) : q;
    }
    if (!wildcard_parent(op) || count_wildcards(q) == 0)
        return q;
    std::vector<Xapian::Query> kids;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        kids.push_back(expand_wildcards(q.get_subquery(i), x));
    return Xapian::Query(op, kids.begin(), kids.end());
}

// q with its wildcards expanded within opt's limits into *cost.
Xapian::Query bounded_wildcards(motesok_xreader *r, const Xapian::Query &q,
                                const motesok_xparse_options *opt, motesok_xquery_cost *cost)
{
    const unsigned n = count_wildcards(q);
    *cost = motesok_xquery_cost{};
    if (n == 0)
        return q;
    const unsigned per = opt->max_wildcard != 0 ? opt->max_wildcard : DEFAULT_MAX_WILDCARD;
    const unsigned all = opt->max_expanded != 0 ? opt->max_expanded : DEFAULT_MAX_EXPANDED;
    const unsigned share = std::max(1u, std::min(per, all / n));
    Xapian::Query out;
    with_retry(r, [&] {
        Expansion x{r->db, share, share * SCAN_PER_TERM, {}};
        out = expand_wildcards(q, x);
        *cost = x.cost;
    });
    return out;
}

} // namespace

namespace {

// True if byte c can be part of a word (letters, digits, any UTF-8 byte).
bool word_char(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The words of text (runs of word_char bytes) as [start, end) offsets.
std::vector<std::pair<size_t, size_t>> word_spans(const std::string &text)
{
    std::vector<std::pair<size_t, size_t>> out;
    for (size_t i = 0; i < text.size();) {
        if (!word_char((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < text.size() && word_char((unsigned char)text[j]))
            j++;
        out.emplace_back(i, j);
        i = j;
    }
    return out;
}

// True if word (as typed) finds something by itself: its form or its stem
// is in some document (may throw).
bool word_found(motesok_xreader *r, const std::string &word)
{
    std::string w = Xapian::Unicode::tolower(word);
    const std::string s = r->stem(w);
    return r->db.get_termfreq(w) != 0 || r->db.get_termfreq("Z" + s) != 0 ||
           r->db.get_termfreq(MOTESOK_PREFIX_PART + s) != 0;
}

// True if word finds some passage: as typed, by its stem, as a part, or
// through its own parts or synonym group (may throw).
bool finds(Rewriter &rw, const std::string &word)
{
    const std::string w = Xapian::Unicode::tolower(word);
    auto known = rw.found.find(w);
    if (known != rw.found.end())
        return known->second;
    bool &answer = rw.found[w];
    if (word_found(rw.r, w))
        return answer = true;
    if (!plain_word(w))
        return answer = false;
    Xapian::Enquire e(rw.r->db);
    e.set_query(rewrite(Xapian::Query("Z" + rw.stem(w)), rw));
    return answer = !e.get_mset(0, 1).empty();
}

// Edits from a to b (msk_edit_distance).
size_t edit_distance(const std::string &a, const std::string &b)
{
    const size_t d = msk_edit_distance(a.data(), a.size(), b.data(), b.size());
    if (d == SIZE_MAX)
        throw std::bad_alloc();
    return d;
}

// Split points of a compound correction tried at most (compound_correction).
const unsigned MAX_SPLITS_TRIED = 40;

// A correction of a long word that finds nothing, made in one of its two
// halves: cut anywhere (each half of 3 letters or more), one half finds
// something as it is (after a linking s or e, too) and the other is
// corrected from the spelling table, so that the whole finds something:
// kommunehelsesamarbied → kommunehelsesamarbeid. Of the corrections found,
// the fewest edits from the word typed wins (kommunehelses + amarbied →
// samarbeid is a correction too, of three edits). Xapian's spelling table
// holds whole words, and a compound typed with a typo is rarely one of
// them. "" if none (may throw).
std::string compound_correction(Rewriter &rw, const std::string &word)
{
    const std::string w = Xapian::Unicode::tolower(word);
    std::vector<size_t> at; // where each character begins
    for (size_t i = 0; i < w.size(); i++)
        if ((static_cast<unsigned char>(w[i]) & 0xC0) != 0x80)
            at.push_back(i);
    if (at.size() < 7 || !plain_word(w))
        return "";
    // (a half is looked up as a term: parts are indexed as terms too)
    auto half_finds = [&](const std::string &h) {
        if (word_found(rw.r, h))
            return true;
        const char last = h.back();
        return (last == 's' || last == 'e') && h.size() > 3 &&
               word_found(rw.r, h.substr(0, h.size() - 1));
    };
    std::string best;
    size_t best_edits = SIZE_MAX;
    auto consider = [&](const std::string &candidate) {
        const size_t edits = edit_distance(w, candidate);
        if (edits < best_edits && candidate != w && finds(rw, candidate)) {
            best = candidate;
            best_edits = edits;
        }
    };
    unsigned tried = 0;
    for (size_t k = at.size() - 3; k >= 3 && tried < MAX_SPLITS_TRIED && rw.splits_left > 0;
         k--, tried++, rw.splits_left--) {
        const std::string a = w.substr(0, at[k]), b = w.substr(at[k]);
        if (half_finds(a)) {
            const std::string fixed = rw.r->db.get_spelling_suggestion(b, 2);
            if (!fixed.empty())
                consider(a + fixed);
        } else if (word_found(rw.r, b)) {
            const std::string fixed = rw.r->db.get_spelling_suggestion(a, 2);
            if (!fixed.empty())
                consider(fixed + b);
        }
    }
    return best;
}

// Xapian's corrected query text, kept only where it corrects a word that
// finds nothing into a word that is no stopword; every other word stays as
// typed (Xapian corrects each word missing from the spelling table, where
// stopwords never are: "Når lover ... av EU" became "får utover ... avd
// EU"). "" when no correction is left (may throw).
std::string fair_correction(Rewriter &rw, const std::string &text, std::string fixed)
{
    motesok_xreader *r = rw.r;
    if (fixed.empty())
        fixed = text; // Xapian corrected nothing
    auto a = word_spans(text), b = word_spans(fixed);
    if (a.size() != b.size())
        return ""; // not word for word: no suggestion rather than a wrong one
    std::string out;
    size_t from = 0;
    bool changed = false;
    for (size_t i = 0; i < a.size(); i++) {
        std::string typed = text.substr(a[i].first, a[i].second - a[i].first);
        std::string fix = fixed.substr(b[i].first, b[i].second - b[i].first);
        bool keep = typed != fix && !stopword(Xapian::Unicode::tolower(typed)) &&
                    !stopword(Xapian::Unicode::tolower(fix)) && !word_found(r, typed);
        // a compound Xapian could not correct: correct the half that is wrong
        if (!keep && typed == fix && !stopword(Xapian::Unicode::tolower(typed)) &&
            !finds(rw, typed)) {
            fix = compound_correction(rw, typed);
            keep = !fix.empty();
        }
        out.append(text, from, a[i].first - from);
        out += keep ? fix : typed;
        from = a[i].second;
        changed = changed || keep;
    }
    out.append(text, from, std::string::npos);
    return changed ? out : "";
}

} // namespace

extern "C" motesok_status motesok_xreader_parse(motesok_xreader *r, const char *query,
                                                const motesok_xparse_options *opt,
                                                motesok_xquery **out, bool *fell_back,
                                                motesok_error *err) noexcept
{
    if (fell_back != nullptr)
        *fell_back = false;
    if (out == nullptr)
        return invalid(err, "no place for the query");
    *out = nullptr;
    if (r == nullptr || query == nullptr)
        return invalid(err, "no reader or query");
    try {
        const motesok_xparse_options none{};
        if (opt == nullptr)
            opt = &none;
        std::string text(query);
        if (blank(text)) {
            *out = new motesok_xquery{Xapian::Query::MatchAll};
            return MOTESOK_OK;
        }
        if (opt->norwegian_ops)
            text = norwegian_operators(text);
        Xapian::QueryParser qp;
        setup_parser(qp, r, opt);
        Xapian::Query q = parse_or_fall_back(r, qp, text, fell_back);
        if (q.empty())
            return msk_error_set(err, MOTESOK_ERR_QUERY, "the query holds no words to search for");
        auto res = std::make_unique<motesok_xquery>();
        Rewriter rw{r, qp, r->stem, capitalised_words(text)};
        rw.any_part = opt->any_part;
        res->q = bounded_wildcards(r, unphrase_fields(rewrite(q, rw)), opt, &res->cost);
        // the whole words' bonus and the proximity boost: on the top passages
        std::vector<Xapian::Query> rerank = std::move(rw.bonus);
        res->any_part = rw.parts_relaxed;
        if (Xapian::Query near = near_boost(q, rw); !near.empty())
            rerank.push_back(near);
        if (!rerank.empty())
            res->rerank = Xapian::Query(Xapian::Query::OP_OR, rerank.begin(), rerank.end());
        res->pure_not = q.get_type() == Xapian::Query::OP_AND_NOT && q.get_num_subqueries() > 0 &&
                        q.get_subquery(0).get_type() == Xapian::Query::LEAF_MATCH_ALL;
        // Spelling correction costs a look-up per word: only when needed.
        if (!opt->no_spelling && has_unknown_word(r, q, rw)) {
            Xapian::QueryParser sp;
            setup_parser(sp, r, opt);
            try {
                with_retry(r, [&] {
                    sp.parse_query(text, PARSE_FLAGS | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
                    res->suggestion = fair_correction(rw, text, sp.get_corrected_query_string());
                });
            } catch (const Xapian::QueryParserError &) {
            }
        }
        *out = res.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
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
// the first RERANK_DEPTH matches in relevance order.
const Xapian::doccount RERANK_DEPTH = 40;

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
    const size_t skip = rerank ? s->offset : 0;
    for (size_t i = skip; i < order.size() && i < skip + s->limit; i++) {
        res->docs.push_back(res->mset[order[i].at - first].get_document());
        res->data.push_back(res->docs.back().get_data());
        // read the values now, inside the retry (they are read lazily, and
        // a revision discarded by then would leave them empty)
        (void)res->docs.back().values_count();
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
        best->stem = res->stem;
        best->query = Xapian::Query(Xapian::Query::OP_FILTER, res->query, Xapian::Query(term));
        with_retry(best->db, [&] {
            best->docs.clear();
            best->data.clear();
            best->weights.clear();
            Xapian::Enquire enq(best->db);
            enq.set_query(best->query);
            best->mset = enq.get_mset(0, 1);
            for (auto i = best->mset.begin(); i != best->mset.end(); ++i) {
                best->docs.push_back(i.get_document());
                best->data.push_back(best->docs.back().get_data());
                (void)best->docs.back().values_count();
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

// The query's unique terms that occur in db, each with log(1 + N / termfreq).
std::vector<std::pair<std::string, double>> term_idfs(Xapian::Database &db, const Xapian::Query &query)
{
    std::vector<std::pair<std::string, double>> terms;
    with_retry(db, [&] {
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
        with_retry(res->db, [&] {
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
        const auto terms = term_idfs(res->db, res->query);
        std::vector<const char *> keys;
        std::vector<double> idfs;
        for (const auto &t : terms) {
            keys.push_back(t.first.c_str());
            idfs.push_back(t.second);
        }
        double top = 0.0;
        for (size_t i = 0; i < n && !terms.empty(); i++) {
            size_t len = texts[i] == nullptr ? 0 : lens != nullptr ? lens[i] : std::strlen(texts[i]);
            double s = msk_part_score(texts[i] != nullptr ? texts[i] : "", len, keys.data(),
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
