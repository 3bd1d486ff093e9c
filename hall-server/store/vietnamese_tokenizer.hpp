#pragma once
// The search index's tokenizer, "daihoi_vietnamese": words folded by
// documents::tokenize (lower case, no diacritics, đ → d) with their offsets in
// the original text, so that FTS5's snippet() and highlight() show the text
// as written. SQLite keeps tokenizers per connection: every connection that
// touches the index registers it first.
#include "store/sqlite.hpp"

namespace daihoi::store {

inline constexpr const char* kVietnameseTokenizer = "daihoi_vietnamese";

void registerVietnameseTokenizer(Database& db);

}  // namespace daihoi::store
