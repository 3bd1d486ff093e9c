#pragma once
// The search index's side of a query: what people type becomes an FTS5 match
// expression over folded words, and FTS5's marked snippets become text plus
// the byte ranges to highlight.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daihoi::documents {

// Every word of `query`, folded and quoted, all required: "Đại hội" and
// "dai hoi" both become `"dai" "hoi"`. FTS5 operators typed by a person are
// words like any other. Empty when the query has no word.
std::string matchExpression(std::string_view query);

// The markers snippet() puts around matched words (control characters never
// found in paragraph text, which has its white space collapsed).
inline constexpr char kMatchStart = '\x02';
inline constexpr char kMatchEnd = '\x03';

struct MarkedText {
  std::string text;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;  // byte ranges [begin, end) in text
};
// Removes the markers and records where they were; adjacent ranges merge.
MarkedText unmark(std::string_view marked);

}  // namespace daihoi::documents
