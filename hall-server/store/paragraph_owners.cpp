#include "store/paragraph_owners.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace daihoi::store {

bool ParagraphOwners::refresh(Database& db) {
  if (!consecutive_) return false;
  if (sqlite3_txn_state(db.handle(), "main") == SQLITE_TXN_WRITE) return false;
  auto rows = db.cached(
      "SELECT document_id, MIN(id), MAX(id), COUNT(*) FROM paragraphs WHERE id > ?1 "
      "GROUP BY document_id, version ORDER BY 2");
  rows->bindInt64(1, highest_);
  while (rows->step()) {
    const Span span{rows->columnInt64(1), rows->columnInt64(2), static_cast<std::uint32_t>(rows->columnInt64(0))};
    if (span.last - span.first + 1 != rows->columnInt64(3) || span.first <= highest_) {
      consecutive_ = false;  // never seen: a version's rows are inserted together
      return false;
    }
    spans_.push_back(span);
    highest_ = span.last;
  }
  return true;
}

std::optional<std::uint32_t> ParagraphOwners::documentOf(std::int64_t paragraphId) const {
  auto after = std::upper_bound(spans_.begin(), spans_.end(), paragraphId,
                                [](std::int64_t id, const Span& span) { return id < span.first; });
  if (after == spans_.begin()) return std::nullopt;
  const Span& span = *(after - 1);
  if (paragraphId > span.last) return std::nullopt;
  return span.document;
}

}  // namespace daihoi::store
