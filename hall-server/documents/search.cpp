#include "documents/search.hpp"

#include "documents/vietnamese.hpp"

namespace daihoi::documents {

std::string matchExpression(std::string_view query) {
  std::string expression;
  for (const Token& token : tokenize(query)) {
    if (!expression.empty()) expression += ' ';
    // Folded words hold letters and digits only: nothing to escape inside the quotes.
    expression += '"' + token.folded + '"';
  }
  return expression;
}

MarkedText unmark(std::string_view marked) {
  MarkedText out;
  out.text.reserve(marked.size());
  std::uint32_t start = 0;
  bool inside = false;
  for (char c : marked) {
    if (c == kMatchStart && !inside) {
      start = static_cast<std::uint32_t>(out.text.size());
      inside = true;
    } else if (c == kMatchEnd && inside) {
      const auto end = static_cast<std::uint32_t>(out.text.size());
      if (!out.highlights.empty() && out.highlights.back().second == start) {
        out.highlights.back().second = end;
      } else {
        out.highlights.emplace_back(start, end);
      }
      inside = false;
    } else if (c != kMatchStart && c != kMatchEnd) {
      out.text += c;
    }
  }
  return out;
}

}  // namespace daihoi::documents
