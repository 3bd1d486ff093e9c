#pragma once
// Which document a paragraph (the search index's rowid) belongs to, known in
// memory, so that a reader of only some documents is answered from the index
// alone instead of a join to `paragraphs` for every match. A version's
// paragraphs are inserted together, so their ids are consecutive: one span per
// version. Paragraphs are immutable and never deleted, so committed spans never
// change and newer versions always have higher ids; refresh() reads only the
// versions stored since the last call.
#include <cstdint>
#include <optional>
#include <vector>

#include "store/sqlite.hpp"

namespace daihoi::store {

class ParagraphOwners {
 public:
  // Reads the versions committed since the last call. False when it cannot be
  // trusted: the connection has a write open (its rows may still be rolled back
  // and their ids reused), or a version's ids are not consecutive. The caller
  // then filters in SQL.
  bool refresh(Database& db);
  // The document of a paragraph id up to highest(); nothing for an unknown id.
  std::optional<std::uint32_t> documentOf(std::int64_t paragraphId) const;
  std::int64_t highest() const { return highest_; }

 private:
  struct Span {
    std::int64_t first = 0, last = 0;
    std::uint32_t document = 0;
  };
  std::vector<Span> spans_;  // ascending, disjoint
  std::int64_t highest_ = 0;
  bool consecutive_ = true;
};

}  // namespace daihoi::store
