#include "store/paragraph_rank.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "store/fts5.hpp"

namespace daihoi::store {
namespace {

constexpr double kK1 = 1.2;  // bm25()'s term frequency saturation
constexpr double kB = 0.75;  // bm25()'s length normalisation
// Lengths are kept by paragraph id in a plain array; ids beyond this
// (a quarter of a billion paragraphs) are ranked without remembering.
constexpr std::int64_t kMaxRememberedId = std::int64_t{1} << 26;

// One per connection (the function's user data).
struct ParagraphLengths {
  sqlite3* db = nullptr;
  std::vector<std::uint32_t> tokens;  // by paragraph id; 0: not known yet
  bool loaded = false;
};

// What one query ranks with, computed at its first row (FTS5's aux data).
struct QueryWeights {
  double averageLength = 0;
  std::vector<double> idf;  // per phrase
  bool committedOnly = false;  // the connection has no write open: lengths may be remembered
};

// A length may be remembered only when it is committed: a paragraph inserted
// by this connection's open write transaction may be rolled back and its id
// used again for another text.
bool seesOnlyCommitted(sqlite3* db) { return sqlite3_txn_state(db, "main") != SQLITE_TXN_WRITE; }

void remember(ParagraphLengths& lengths, std::int64_t id, std::uint32_t tokens) {
  if (id <= 0 || id >= kMaxRememberedId) return;
  const auto index = static_cast<std::size_t>(id);
  if (index >= lengths.tokens.size()) lengths.tokens.resize(std::max(index + 1, lengths.tokens.size() * 2), 0);
  lengths.tokens[index] = tokens;
}

// FTS5's docsize rows hold one SQLite varint per column (ours has one): big
// end first, seven bits a byte with the high bit saying more follow.
bool firstVarint(const unsigned char* bytes, int size, std::uint64_t& value) {
  value = 0;
  for (int i = 0; i < size && i < 9; ++i) {
    if (i == 8) {
      value = (value << 8) | bytes[i];
      return true;
    }
    value = (value << 7) | (bytes[i] & 0x7fu);
    if ((bytes[i] & 0x80u) == 0) return true;
  }
  return false;
}

// Every indexed paragraph's length, in one pass over the docsize table.
int loadLengths(ParagraphLengths& lengths) {
  sqlite3_stmt* rows = nullptr;
  int rc = sqlite3_prepare_v2(lengths.db, "SELECT id, sz FROM paragraph_search_docsize", -1, &rows, nullptr);
  while (rc == SQLITE_OK) {
    const int step = sqlite3_step(rows);
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) {
      rc = step;
      break;
    }
    std::uint64_t tokens = 0;
    const auto* size = static_cast<const unsigned char*>(sqlite3_column_blob(rows, 1));
    // A record it cannot read is left to xColumnSize at ranking.
    if (size != nullptr && firstVarint(size, sqlite3_column_bytes(rows, 1), tokens) && tokens <= UINT32_MAX) {
      remember(lengths, sqlite3_column_int64(rows, 0), static_cast<std::uint32_t>(tokens));
    }
  }
  sqlite3_finalize(rows);
  lengths.loaded = rc == SQLITE_OK;
  return rc;
}

int countParagraph(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<std::int64_t*>(count);
  return SQLITE_OK;
}

void deleteWeights(void* weights) { delete static_cast<QueryWeights*>(weights); }

// As bm25(): the average length over the index, and per phrase
// IDF = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6, n = paragraphs holding it.
int queryWeights(const Fts5ExtensionApi* api, Fts5Context* fts, const ParagraphLengths& lengths,
                 QueryWeights*& out) {
  out = static_cast<QueryWeights*>(api->xGetAuxdata(fts, 0));
  if (out != nullptr) return SQLITE_OK;
  auto weights = std::make_unique<QueryWeights>();
  weights->committedOnly = seesOnlyCommitted(lengths.db);  // a statement does not change it
  sqlite3_int64 paragraphs = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &paragraphs);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  weights->averageLength = paragraphs > 0 ? static_cast<double>(tokens) / static_cast<double>(paragraphs) : 1.0;
  const int phrases = api->xPhraseCount(fts);
  weights->idf.resize(static_cast<std::size_t>(phrases));
  for (int phrase = 0; phrase < phrases; ++phrase) {
    std::int64_t holding = 0;
    rc = api->xQueryPhrase(fts, phrase, &holding, countParagraph);
    if (rc != SQLITE_OK) return rc;
    const double idf = std::log((static_cast<double>(paragraphs - holding) + 0.5) / (static_cast<double>(holding) + 0.5));
    weights->idf[static_cast<std::size_t>(phrase)] = idf <= 0.0 ? 1e-6 : idf;
  }
  out = weights.get();
  rc = api->xSetAuxdata(fts, weights.release(), deleteWeights);  // deletes it itself on failure
  if (rc != SQLITE_OK) out = nullptr;
  return rc;
}

int paragraphLength(const Fts5ExtensionApi* api, Fts5Context* fts, ParagraphLengths& lengths, bool committed,
                    double& length) {
  if (!lengths.loaded && committed) {
    const int rc = loadLengths(lengths);
    if (rc != SQLITE_OK) return rc;
  }
  const std::int64_t id = api->xRowid(fts);
  if (id > 0 && static_cast<std::uint64_t>(id) < lengths.tokens.size() && lengths.tokens[static_cast<std::size_t>(id)] != 0) {
    length = lengths.tokens[static_cast<std::size_t>(id)];
    return SQLITE_OK;
  }
  int tokens = 0;
  const int rc = api->xColumnSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  if (committed && tokens > 0) remember(lengths, id, static_cast<std::uint32_t>(tokens));
  length = tokens;
  return SQLITE_OK;
}

void rankParagraph(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int, sqlite3_value**) {
  auto& lengths = *static_cast<ParagraphLengths*>(api->xUserData(fts));
  int rc = SQLITE_OK;
  double score = 0;
  try {
    QueryWeights* weights = nullptr;
    double length = 0;
    rc = queryWeights(api, fts, lengths, weights);
    if (rc == SQLITE_OK) rc = paragraphLength(api, fts, lengths, weights->committedOnly, length);
    if (rc == SQLITE_OK) {
      const double lengthFactor = kK1 * (1 - kB + kB * length / weights->averageLength);
      for (std::size_t phrase = 0; phrase < weights->idf.size(); ++phrase) {
        // The phrase's occurrences in this paragraph (its only column).
        Fts5PhraseIter occurrences;
        int column = 0;
        int offset = 0;
        int frequency = 0;
        rc = api->xPhraseFirst(fts, static_cast<int>(phrase), &occurrences, &column, &offset);
        if (rc != SQLITE_OK) break;
        for (; column >= 0; api->xPhraseNext(fts, &occurrences, &column, &offset)) ++frequency;
        if (frequency == 0) continue;
        // Grouped as bm25() groups it, so that both give the same number.
        score += weights->idf[phrase] * ((frequency * (kK1 + 1.0)) / (frequency + lengthFactor));
      }
    }
  } catch (const std::bad_alloc&) {
    rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) {
    sqlite3_result_double(context, -score);
  } else {
    sqlite3_result_error_code(context, rc);
  }
}

void deleteLengths(void* lengths) { delete static_cast<ParagraphLengths*>(lengths); }

}  // namespace

void registerParagraphRank(Database& db) {
  fts5_api& api = fts5Api(db);
  auto lengths = std::make_unique<ParagraphLengths>();
  lengths->db = db.handle();
  const int rc = api.xCreateFunction(&api, kParagraphRank, lengths.get(), rankParagraph, deleteLengths);
  if (rc != SQLITE_OK) throw StoreError("cannot register the search rank function", rc);
  lengths.release();  // the connection owns it now and deletes it on closing
}

}  // namespace daihoi::store
