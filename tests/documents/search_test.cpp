#include <doctest/doctest.h>

#include "documents/search.hpp"

namespace daihoi::documents {

TEST_CASE("a query becomes folded, quoted words, all required; operators are words") {
  CHECK(matchExpression("Đại hội Đảng bộ") == "\"dai\" \"hoi\" \"dang\" \"bo\"");
  CHECK(matchExpression("dai hoi dang bo") == matchExpression("ĐẠI HỘI ĐẢNG BỘ"));
  CHECK(matchExpression("\"nghị quyết\" OR NOT x*") == "\"nghi\" \"quyet\" \"or\" \"not\" \"x\"");
  CHECK(matchExpression(" , … ! ").empty());
}

TEST_CASE("snippet markers become highlight ranges over the text as written") {
  const MarkedText marked = unmark("…của \x02" "Đảng\x03 \x02" "bộ\x03 tỉnh");
  CHECK(marked.text == "…của Đảng bộ tỉnh");
  REQUIRE(marked.highlights.size() == 2);
  CHECK(marked.text.substr(marked.highlights[0].first, marked.highlights[0].second - marked.highlights[0].first) ==
        "Đảng");
  CHECK(marked.text.substr(marked.highlights[1].first, marked.highlights[1].second - marked.highlights[1].first) ==
        "bộ");
  // Touching ranges merge; an unmatched marker is dropped.
  CHECK(unmark("\x02" "ab\x03\x02" "cd\x03 e\x03").highlights.size() == 1);
  CHECK(unmark("\x02" "ab\x03\x02" "cd\x03 e\x03").text == "abcd e");
}

}  // namespace daihoi::documents
