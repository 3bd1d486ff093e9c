#pragma once
// The search index's rank function, "daihoi_bm25(paragraph_search)": FTS5's
// own bm25() (k1 = 1.2, b = 0.75, the same IDF per phrase; lower is more
// relevant) with one difference: a paragraph's length in tokens comes from
// memory. bm25() reads it from the index's docsize table for every matching
// paragraph, and on a broad query (20,000 matches) those reads were half the
// search time. Paragraphs are immutable and never deleted, so a committed
// paragraph's length never changes: each connection loads the lengths of the
// indexed paragraphs with its first ranking and remembers newer ones as they
// are ranked.
#include "store/sqlite.hpp"

namespace daihoi::store {

inline constexpr const char* kParagraphRank = "daihoi_bm25";

void registerParagraphRank(Database& db);

}  // namespace daihoi::store
