#include "store/vietnamese_tokenizer.hpp"

#include <sqlite3.h>

#include <new>
#include <string_view>

#include "documents/vietnamese.hpp"
#include "store/fts5.hpp"

namespace daihoi::store {
namespace {

// FTS5 wants an opaque tokenizer instance; ours has no state.
struct Instance {};

int createTokenizer(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new (std::nothrow) Instance);
  return *out == nullptr ? SQLITE_NOMEM : SQLITE_OK;
}

void deleteTokenizer(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<Instance*>(tokenizer); }

int tokenizeText(Fts5Tokenizer*, void* context, int, const char* text, int length,
                 int (*emit)(void*, int, const char*, int, int, int)) {
  if (text == nullptr || length <= 0) return SQLITE_OK;
  try {
    for (const documents::Token& token : documents::tokenize(std::string_view(text, static_cast<std::size_t>(length)))) {
      const int rc = emit(context, 0, token.folded.data(), static_cast<int>(token.folded.size()),
                          static_cast<int>(token.begin), static_cast<int>(token.end));
      if (rc != SQLITE_OK) return rc;
    }
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

}  // namespace

void registerVietnameseTokenizer(Database& db) {
  fts5_api& api = fts5Api(db);
  fts5_tokenizer tokenizer{createTokenizer, deleteTokenizer, tokenizeText};
  const int rc = api.xCreateTokenizer(&api, kVietnameseTokenizer, nullptr, &tokenizer, nullptr);
  if (rc != SQLITE_OK) throw StoreError("cannot register the Vietnamese search tokenizer", rc);
}

}  // namespace daihoi::store
