#pragma once
// What changed between two versions of a document: paragraphs added, removed,
// changed (with word-level edits) and unchanged, in the newer version's order
// (removed paragraphs where they stood). Myers' O(ND) diff on paragraph texts,
// then removed/added runs between unchanged anchors paired when similar enough,
// then Myers on the words of each changed pair.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "documents/paragraphs.hpp"

namespace daihoi::documents {

struct WordEdit {
  enum class Op { Equal, Insert, Delete };
  Op op = Op::Equal;
  std::string text;  // words with the white space between them, as in the paragraph
};

enum class ParagraphChangeKind { Unchanged, Added, Removed, Changed };

struct ParagraphChange {
  ParagraphChangeKind kind = ParagraphChangeKind::Unchanged;
  std::optional<std::size_t> older;  // index into the older version (Unchanged, Removed, Changed)
  std::optional<std::size_t> newer;  // index into the newer version (Unchanged, Added, Changed)
  std::vector<WordEdit> words;       // Changed only: applying Equal+Insert gives the newer text,
                                     // Equal+Delete the older
};

struct DiffCounts {
  std::uint32_t unchanged = 0, added = 0, removed = 0, changed = 0;
};

struct DocumentDiff {
  std::vector<ParagraphChange> changes;
  DiffCounts counts;
};

// Two changed paragraphs are paired when at least this share of their words is common.
inline constexpr double kChangedParagraphSimilarity = 0.5;

// Similarity is Dice's coefficient on the multisets of folded words
// (foldVietnamese of tokenize): 2·common / (words in one + words in the other).
// Between two unchanged paragraphs, each removed paragraph in order is paired
// with the first similar added one among the next 16 not yet passed; added
// paragraphs skipped on the way stay added. Versions more than about 2,000
// paragraphs apart (inserted plus deleted) are compared only by their common
// start and end: the middle is removed and added (and paired as above).
DocumentDiff diffParagraphs(const std::vector<Paragraph>& older, const std::vector<Paragraph>& newer);

// Word-level edits between two texts (tokens are words and the white space / punctuation between them).
// Adjacent edits never have the same op; in a run of changes deletions come before insertions.
// Texts more than about 2,000 tokens apart keep only their common start and end as Equal.
std::vector<WordEdit> diffWords(std::string_view older, std::string_view newer);

}  // namespace daihoi::documents
