// The C API over Xapian (include/motesok/xapian.h): the only C++ in Møtesøk.
// Every extern "C" function is noexcept and funnels any exception through
// map_exception(), so that no C++ exception ever crosses into C.
#include "internal.h"
#include "shim_internal.h"
#include "motesok/xapian.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <sys/stat.h>
#include <vector>

struct motesok_xwriter {
    Xapian::WritableDatabase db;
    Xapian::Stem stem{"norwegian"};
};

struct motesok_xdoc {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
};

struct motesok_xreader {
    Xapian::Database db;
    size_t n_dbs = 0;
    Xapian::Stem stem{"norwegian"};
    Xapian::SimpleStopper stopper;
};

struct motesok_xquery {
    Xapian::Query q;
};

struct motesok_xresults {
    Xapian::MSet mset;
    Xapian::Query query;
    motesok_xreader *reader;
    std::vector<std::string> data;
    std::vector<Xapian::Document> docs;
    // per facet: (value, count) sorted by count desc, then value
    std::vector<std::vector<std::pair<std::string, Xapian::doccount>>> facets;
    std::deque<std::string> values_cache; // deque: pointers stay valid
};

namespace {

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

// True if path exists in the file system.
bool path_exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

// Map the exception being handled to a status and message. Call only from
// inside a catch block. path (may be null) tells "not found" from "broken".
motesok_status map_exception(motesok_error *err, const char *path = nullptr) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return msk_error_set(err, MOTESOK_ERR_DB_LOCKED, "%s", e.get_description().c_str());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return msk_error_set(err, MOTESOK_ERR_DB_MODIFIED, "%s", e.get_description().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return msk_error_set(err, MOTESOK_ERR_DB_CORRUPT, "%s", e.get_description().c_str());
    } catch (const Xapian::DatabaseVersionError &e) {
        return msk_error_set(err, MOTESOK_ERR_DB_VERSION, "%s", e.get_description().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        // Includes DatabaseNotFoundError: tell a missing path from a bad one.
        bool missing = path != nullptr && !path_exists(path);
        return msk_error_set(err, missing ? MOTESOK_ERR_NOT_FOUND : MOTESOK_ERR_DB, "%s",
                             e.get_description().c_str());
    } catch (const Xapian::QueryParserError &e) {
        return msk_error_set(err, MOTESOK_ERR_QUERY, "%s", e.get_description().c_str());
    } catch (const Xapian::Error &e) {
        return msk_error_set(err, MOTESOK_ERR_DB, "%s", e.get_description().c_str());
    } catch (const std::bad_alloc &) {
        return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "%s", e.what());
    } catch (...) {
        return msk_error_set(err, MOTESOK_ERR_INTERNAL, "unknown C++ exception");
    }
}

// Run fn; on DatabaseModifiedError reopen the reader and run it once more.
template <typename F>
void with_retry(motesok_xreader *r, F fn)
{
    try {
        fn();
    } catch (const Xapian::DatabaseModifiedError &) {
        r->db.reopen();
        fn();
    }
}

// A range processor for YYYYMMDD value slots that accepts YYYY-MM-DD,
// YYYYMMDD and YYYY at either end (a year widens to its first or last day).
class DateRange : public Xapian::RangeProcessor {
  public:
    DateRange(Xapian::valueno slot, const std::string &name)
        : Xapian::RangeProcessor(slot, name + ":") {}

    Xapian::Query operator()(const std::string &b, const std::string &e) override
    {
        std::string lo, hi;
        if (!normalise(b, false, lo) || !normalise(e, true, hi))
            return Xapian::Query(Xapian::Query::OP_INVALID);
        if (lo.empty())
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        if (hi.empty())
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
    }

  private:
    // Turn one end into YYYYMMDD ("" stays open); false if not a date.
    static bool normalise(const std::string &s, bool upper, std::string &out)
    {
        out.clear();
        if (s.empty())
            return true;
        std::string digits;
        for (char c : s) {
            if (c >= '0' && c <= '9')
                digits += c;
            else if (c != '-')
                return false;
        }
        if (digits.size() == 4 && s.size() == 4)
            out = digits + (upper ? "1231" : "0101");
        else if (digits.size() == 8 && (s.size() == 8 || (s.size() == 10 && s[4] == '-' && s[7] == '-')))
            out = digits;
        else
            return false;
        return true;
    }
};

// True if c can be part of a word (ASCII letters/digits or any non-ASCII byte).
bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Rewrite whole-word OG/ELLER/IKKE outside quotes to AND/OR/NOT.
std::string norwegian_operators(const std::string &in)
{
    static const char *const from[] = {"OG", "ELLER", "IKKE"};
    static const char *const to[] = {"AND", "OR", "NOT"};
    std::string out;
    bool quoted = false;
    size_t i = 0;
    while (i < in.size()) {
        if (in[i] == '"') {
            quoted = !quoted;
            out += in[i++];
            continue;
        }
        if (!word_byte(static_cast<unsigned char>(in[i]))) {
            out += in[i++];
            continue;
        }
        size_t j = i;
        while (j < in.size() && word_byte(static_cast<unsigned char>(in[j])))
            j++;
        std::string word = in.substr(i, j - i);
        bool prev_colon = i > 0 && in[i - 1] == ':';
        for (size_t k = 0; k < 3 && !quoted && !prev_colon; k++)
            if (word == from[k])
                word = to[k];
        out += word;
        i = j;
    }
    return out;
}

// Operator words that, misplaced, would otherwise be searched for as words.
const char *const OPERATOR_WORDS[] = {"and", "or", "not", "xor", "near", "adj",
                                      "og", "eller", "ikke", "ikkje"};

// True if word (any case) is an operator word.
bool operator_word(const std::string &word)
{
    std::string lower;
    for (char c : word)
        lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    for (const char *op : OPERATOR_WORDS)
        if (lower == op)
            return true;
    return false;
}

// The query reduced to plain words (letters and digits), without operators.
std::string plain_words(const std::string &in)
{
    std::string out, word;
    for (size_t i = 0; i <= in.size(); i++) {
        if (i < in.size() && word_byte(static_cast<unsigned char>(in[i]))) {
            word += in[i];
            continue;
        }
        if (!word.empty() && !operator_word(word))
            out += word + ' ';
        word.clear();
    }
    return out;
}

// True if s holds only white space.
bool blank(const std::string &s)
{
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return false;
    return true;
}

} // namespace

// Test hook: throw the exception numbered which and map it (lib/shim_internal.h).
motesok_status msk_shim_map_thrown(int which, motesok_error *err) noexcept
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
        default: throw 42;
        }
    } catch (...) {
        return map_exception(err);
    }
}

// ---- writing --------------------------------------------------------------

extern "C" motesok_status motesok_xwriter_open(const char *dir, motesok_xwriter **out,
                                               motesok_error *err) noexcept
{
    *out = nullptr;
    try {
        auto w = std::make_unique<motesok_xwriter>();
        w->db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
        // Hold a transaction open at all times, so that closing without a
        // commit discards the changes instead of committing them.
        w->db.begin_transaction(true);
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

extern "C" motesok_status motesok_xwriter_new_doc(motesok_xwriter *w, motesok_xdoc **out,
                                                  motesok_error *err) noexcept
{
    *out = nullptr;
    try {
        auto d = std::make_unique<motesok_xdoc>();
        d->tg.set_stemmer(w->stem);
        d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        d->tg.set_document(d->doc);
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
    try {
        d->tg.index_text(std::string(text, len), wdf_inc, prefix ? prefix : "");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" void motesok_xdoc_increase_termpos(motesok_xdoc *d, unsigned delta) noexcept
{
    try {
        d->tg.increase_termpos(delta);
    } catch (...) {
    }
}

extern "C" unsigned motesok_xdoc_termpos(const motesok_xdoc *d) noexcept
{
    return d->tg.get_termpos();
}

extern "C" motesok_status motesok_xdoc_add_boolean_term(motesok_xdoc *d, const char *term,
                                                        motesok_error *err) noexcept
{
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
    try {
        d->doc.add_value(slot, std::string(value, len));
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xdoc_set_data(motesok_xdoc *d, const char *data, size_t len,
                                                motesok_error *err) noexcept
{
    try {
        d->doc.set_data(std::string(data, len));
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
    try {
        w->db.replace_document(id_term, d->doc);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_delete(motesok_xwriter *w, const char *term,
                                                 motesok_error *err) noexcept
{
    try {
        w->db.delete_document(term);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_set_metadata(motesok_xwriter *w, const char *key,
                                                       const char *value,
                                                       motesok_error *err) noexcept
{
    try {
        w->db.set_metadata(key, value ? value : "");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_get_metadata(motesok_xwriter *w, const char *key,
                                                       char **value, motesok_error *err) noexcept
{
    *value = nullptr;
    try {
        *value = dup_string(w->db.get_metadata(key));
        if (*value == nullptr)
            return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_commit(motesok_xwriter *w, motesok_error *err) noexcept
{
    try {
        w->db.commit_transaction();
        w->db.begin_transaction(true);
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_each_term(motesok_xwriter *w, const char *prefix,
                                                    int (*fn)(const char *term, void *ud),
                                                    void *ud, motesok_error *err) noexcept
{
    try {
        for (auto t = w->db.allterms_begin(prefix); t != w->db.allterms_end(prefix); ++t) {
            if (fn((*t).c_str(), ud) != 0)
                break;
        }
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xwriter_doccount(motesok_xwriter *w, uint64_t *out,
                                                   motesok_error *err) noexcept
{
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
    *out = nullptr;
    if (n == 0)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no database to open");
    const char *current = dirs[0];
    try {
        auto r = std::make_unique<motesok_xreader>();
        for (const char *w : OPERATOR_WORDS)
            r->stopper.add(w);
        for (size_t i = 0; i < n; i++) {
            current = dirs[i];
            r->db.add_database(Xapian::Database(dirs[i]));
        }
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
    try {
        bool c = r->db.reopen();
        if (changed != nullptr)
            *changed = c;
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_stats(motesok_xreader *r, uint64_t *doccount,
                                                uint64_t *revision, motesok_error *err) noexcept
{
    try {
        with_retry(r, [&] {
            if (doccount != nullptr)
                *doccount = r->db.get_doccount();
            if (revision != nullptr)
                *revision = r->n_dbs == 1 ? r->db.get_revision() : 0;
        });
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_get_metadata(motesok_xreader *r, const char *key,
                                                       char **value, motesok_error *err) noexcept
{
    *value = nullptr;
    try {
        std::string v;
        with_retry(r, [&] { v = r->db.get_metadata(key); });
        *value = dup_string(v);
        if (*value == nullptr)
            return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xreader_get_data(motesok_xreader *r, const char *term,
                                                   char **data, size_t *len,
                                                   motesok_error *err) noexcept
{
    *data = nullptr;
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
        *data = dup_string(d);
        if (*data == nullptr)
            return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        if (len != nullptr)
            *len = d.size();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

// ---- queries --------------------------------------------------------------

namespace {

// A QueryParser set up from the options for reader r.
void setup_parser(Xapian::QueryParser &qp, motesok_xreader *r, const motesok_xparse_options *opt,
                  std::vector<std::unique_ptr<DateRange>> &ranges)
{
    qp.set_database(r->db);
    qp.set_stemmer(r->stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&r->stopper);
    qp.set_default_op(opt->default_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    qp.set_max_expansion(opt->max_wildcard ? opt->max_wildcard : 1000,
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (size_t i = 0; i < opt->n_fields; i++) {
        const motesok_xfield &f = opt->fields[i];
        if (f.boolean)
            qp.add_boolean_prefix(f.name, f.prefix);
        else
            qp.add_prefix(f.name, f.prefix);
    }
    for (size_t i = 0; i < opt->n_ranges; i++) {
        ranges.emplace_back(new DateRange(opt->ranges[i].slot, opt->ranges[i].name));
        qp.add_rangeprocessor(ranges.back().get());
    }
}

const unsigned PARSE_FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                             Xapian::QueryParser::FLAG_PURE_NOT;

} // namespace

extern "C" motesok_status motesok_xreader_parse(motesok_xreader *r, const char *query,
                                                const motesok_xparse_options *opt,
                                                motesok_xquery **out, bool *fell_back,
                                                motesok_error *err) noexcept
{
    *out = nullptr;
    if (fell_back != nullptr)
        *fell_back = false;
    try {
        motesok_xparse_options none{};
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
        std::vector<std::unique_ptr<DateRange>> ranges;
        setup_parser(qp, r, opt, ranges);
        Xapian::Query q;
        try {
            with_retry(r, [&] { q = qp.parse_query(text, PARSE_FLAGS); });
        } catch (const Xapian::QueryParserError &) {
            std::string words = plain_words(text);
            if (fell_back != nullptr)
                *fell_back = true;
            if (blank(words))
                return msk_error_set(err, MOTESOK_ERR_QUERY, "the query holds no words to search for");
            with_retry(r, [&] { q = qp.parse_query(words, 0); });
        }
        if (q.empty())
            return msk_error_set(err, MOTESOK_ERR_QUERY, "the query holds no words to search for");
        *out = new motesok_xquery{q};
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_xquery *motesok_xquery_term(const char *term) noexcept
{
    try {
        return new motesok_xquery{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                Xapian::Query(term), 0.0)};
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
    try {
        Xapian::Query::op xop = Xapian::Query::OP_AND;
        switch (op) {
        case MOTESOK_XOP_AND: xop = Xapian::Query::OP_AND; break;
        case MOTESOK_XOP_OR: xop = Xapian::Query::OP_OR; break;
        case MOTESOK_XOP_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case MOTESOK_XOP_FILTER: xop = Xapian::Query::OP_FILTER; break;
        }
        return new motesok_xquery{Xapian::Query(xop, a->q, b->q)};
    } catch (...) {
        return nullptr;
    }
}

extern "C" char *motesok_xquery_describe(const motesok_xquery *q) noexcept
{
    try {
        return dup_string(q->q.get_description());
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

// Sorted (count desc, value asc) non-empty values counted by a spy.
std::vector<std::pair<std::string, Xapian::doccount>> facet_values(const Xapian::ValueCountMatchSpy &spy)
{
    std::vector<std::pair<std::string, Xapian::doccount>> v;
    for (auto i = spy.values_begin(); i != spy.values_end(); ++i)
        if (!(*i).empty())
            v.emplace_back(*i, i.get_termfreq());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return v;
}

// Run the search described by s into res (may throw).
void run_search(motesok_xreader *r, const motesok_xsearch *s, motesok_xresults *res)
{
    Xapian::Enquire enq(r->db);
    enq.set_query(s->query->q);
    if (s->sort_slot >= 0)
        enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(s->sort_slot),
                                             s->sort_descending);
    if (s->collapse_slot >= 0)
        enq.set_collapse_key(static_cast<Xapian::valueno>(s->collapse_slot));
    if (s->time_limit_s > 0)
        enq.set_time_limit(s->time_limit_s);
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (size_t i = 0; i < s->n_facets; i++) {
        spies.emplace_back(new Xapian::ValueCountMatchSpy(s->facet_slots[i]));
        enq.add_matchspy(spies.back().get());
    }
    res->mset = enq.get_mset(s->offset, s->limit, s->check_at_least);
    res->data.clear();
    res->docs.clear();
    for (auto i = res->mset.begin(); i != res->mset.end(); ++i) {
        res->docs.push_back(i.get_document());
        res->data.push_back(res->docs.back().get_data());
    }
    res->facets.clear();
    for (auto &spy : spies)
        res->facets.push_back(facet_values(*spy));
}

} // namespace

extern "C" motesok_status motesok_xreader_search(motesok_xreader *r, const motesok_xsearch *s,
                                                 motesok_xresults **out,
                                                 motesok_error *err) noexcept
{
    *out = nullptr;
    if (s == nullptr || s->query == nullptr)
        return msk_error_set(err, MOTESOK_ERR_INVALID, "no query to run");
    try {
        auto res = std::make_unique<motesok_xresults>();
        res->reader = r;
        res->query = s->query->q;
        with_retry(r, [&] { run_search(r, s, res.get()); });
        *out = res.release();
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" uint64_t motesok_xresults_total(const motesok_xresults *res) noexcept
{
    return res->mset.get_matches_estimated();
}

extern "C" size_t motesok_xresults_count(const motesok_xresults *res) noexcept
{
    return res->data.size();
}

extern "C" double motesok_xresults_weight(const motesok_xresults *res, size_t i) noexcept
{
    try {
        return i < res->data.size() ? res->mset[static_cast<Xapian::doccount>(i)].get_weight() : 0.0;
    } catch (...) {
        return 0.0;
    }
}

extern "C" const char *motesok_xresults_data(const motesok_xresults *res, size_t i,
                                             size_t *len) noexcept
{
    if (i >= res->data.size()) {
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
    try {
        if (i >= res->docs.size())
            return "";
        auto *self = const_cast<motesok_xresults *>(res);
        self->values_cache.push_back(res->docs[i].get_value(slot));
        return self->values_cache.back().c_str();
    } catch (...) {
        return "";
    }
}

extern "C" size_t motesok_xresults_facet_size(const motesok_xresults *res, size_t f) noexcept
{
    return f < res->facets.size() ? res->facets[f].size() : 0;
}

extern "C" const char *motesok_xresults_facet(const motesok_xresults *res, size_t f, size_t j,
                                              uint64_t *count) noexcept
{
    if (f >= res->facets.size() || j >= res->facets[f].size()) {
        if (count != nullptr)
            *count = 0;
        return "";
    }
    if (count != nullptr)
        *count = res->facets[f][j].second;
    return res->facets[f][j].first.c_str();
}

namespace {

// Escape &, <, >, " and ' for HTML.
std::string html_escape(const std::string &s)
{
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

// Private-use markers that Xapian passes through and we turn into tags
// after escaping, so that text can never forge a <mark>.
const char HI_START[] = "\xee\x80\x80"; // U+E000
const char HI_END[] = "\xee\x80\x81";   // U+E001

// Replace every occurrence of from in s with to.
void replace_all(std::string &s, const std::string &from, const std::string &to)
{
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
        s.replace(p, from.size(), to);
}

// Remove our marker characters from text so that input cannot fake them.
std::string strip_markers(const char *text, size_t len)
{
    std::string s(text, len);
    replace_all(s, HI_START, "");
    replace_all(s, HI_END, "");
    return s;
}

} // namespace

extern "C" motesok_status motesok_xresults_snippet(const motesok_xresults *res, const char *text,
                                                   size_t len, size_t max_chars, char **out,
                                                   motesok_error *err) noexcept
{
    *out = nullptr;
    try {
        std::string snip;
        with_retry(res->reader, [&] {
            snip = res->mset.snippet(strip_markers(text, len), max_chars, res->reader->stem,
                                     Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                         Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                     HI_START, HI_END, "\xe2\x80\xa6");
        });
        // Xapian 1.4 escapes &, < and > itself; escaping the raw text again
        // would double them, so unescape first and escape once, fully.
        replace_all(snip, "&lt;", "<");
        replace_all(snip, "&gt;", ">");
        replace_all(snip, "&amp;", "&");
        snip = html_escape(snip);
        replace_all(snip, HI_START, "<mark>");
        replace_all(snip, HI_END, "</mark>");
        *out = dup_string(snip);
        if (*out == nullptr)
            return msk_error_set(err, MOTESOK_ERR_NOMEM, "out of memory");
        return MOTESOK_OK;
    } catch (...) {
        return map_exception(err);
    }
}

extern "C" motesok_status motesok_xresults_best_part(const motesok_xresults *res,
                                                     const char *const *texts, const size_t *lens,
                                                     size_t n, size_t *best, double *score,
                                                     motesok_error *err) noexcept
{
    *best = 0;
    if (score != nullptr)
        *score = 0.0;
    try {
        std::vector<std::pair<std::string, double>> terms; // term, idf
        with_retry(res->reader, [&] {
            terms.clear();
            double N = res->reader->db.get_doccount();
            for (auto t = res->query.get_unique_terms_begin(); t != res->query.get_unique_terms_end(); ++t) {
                Xapian::doccount tf = res->reader->db.get_termfreq(*t);
                if (tf > 0)
                    terms.emplace_back(*t, std::log(1.0 + N / tf));
            }
        });
        double top = 0.0;
        for (size_t i = 0; i < n; i++) {
            Xapian::Document doc;
            Xapian::TermGenerator tg;
            tg.set_stemmer(res->reader->stem);
            tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
            tg.set_document(doc);
            tg.index_text(std::string(texts[i], lens[i]));
            double s = 0.0;
            for (const auto &t : terms) {
                auto it = doc.termlist_begin();
                it.skip_to(t.first);
                if (it != doc.termlist_end() && *it == t.first)
                    s += it.get_wdf() * t.second;
            }
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
