#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "documents/study.hpp"
#include "documents/vietnamese.hpp"

namespace daihoi::documents {
namespace {

using Terms = std::vector<std::string>;

std::vector<std::size_t> order(const std::vector<RankedPassage>& ranked) {
  std::vector<std::size_t> indices;
  for (const RankedPassage& passage : ranked) {
    indices.push_back(passage.index);
  }
  return indices;
}

std::vector<std::string> highlighted(std::string_view text, const RankedPassage& passage) {
  std::vector<std::string> words;
  for (const auto& [begin, end] : passage.highlights) {
    words.emplace_back(text.substr(begin, end - begin));
  }
  return words;
}

}  // namespace

TEST_CASE("a question becomes its content words, folded, in order, without function and question words") {
  CHECK(questionTerms("Đại hội Đảng bộ lần thứ mấy?") == Terms{"dai", "hoi", "dang", "bo", "lan", "thu"});
  CHECK(questionTerms("ĐẠI HỘI ĐẢNG BỘ LẦN THỨ MẤY?") == Terms{"dai", "hoi", "dang", "bo", "lan", "thu"});
  // Stop words are recognised with their diacritics: "có", "đang" go, "cơ", "Đảng", "máy" stay.
  CHECK(questionTerms("Cơ quan nào CÓ thẩm quyền phê duyệt?") == Terms{"co", "quan", "tham", "quyen", "phe", "duyet"});
  CHECK(questionTerms("Đảng bộ đang làm gì cho chuyển đổi số?") == Terms{"dang", "bo", "lam", "chuyen", "doi", "so"});
  CHECK(questionTerms("Máy tính của các đại biểu như thế nào?") == Terms{"may", "tinh", "dai", "bieu"});
  CHECK(questionTerms("Thể chế là gì và những thể chế nào được sửa?") == Terms{"the", "che", "sua"});
  // Duplicates once; at most twelve.
  CHECK(questionTerms("Đại hội và đại hội, ĐẠI HỘI") == Terms{"dai", "hoi"});
  CHECK(questionTerms("một hai ba bốn năm sáu bảy tám chín mười mươi trăm nghìn triệu tỷ") ==
        Terms{"hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi", "tram", "nghin", "trieu"});
}

TEST_CASE("a question typed without diacritics drops only the stop words no content word folds to") {
  // "may" may be "máy", "co" "cơ", "the" "thể", "trong" "trọng": they stay.
  CHECK(questionTerms("dai hoi dang bo lan thu may") == Terms{"dai", "hoi", "dang", "bo", "lan", "thu", "may"});
  CHECK(questionTerms("co quan nao co tham quyen") == Terms{"co", "quan", "tham", "quyen"});
  CHECK(questionTerms("the che la gi va cua ai") == Terms{"the", "che"});
  CHECK(questionTerms("vai tro quan trong cua khong gian mang") ==
        Terms{"vai", "tro", "quan", "trong", "gian", "mang"});
}

TEST_CASE("English function words go; the ambiguous ones only from an English question") {
  CHECK(questionTerms("What is the quorum of the congress?") == Terms{"quorum", "congress"});
  CHECK(questionTerms("How do I vote on a resolution?") == Terms{"vote", "resolution"});
  // Vietnamese: "to" is tổ, "an" an ninh, "so" số.
  CHECK(questionTerms("to chuc co so dang") == Terms{"to", "chuc", "co", "so", "dang"});
  CHECK(questionTerms("an ninh mang la gi") == Terms{"an", "ninh", "mang"});
}

TEST_CASE("the candidates' expression is every term quoted, joined by OR") {
  CHECK(candidateMatch({"dai", "hoi", "dang"}) == "\"dai\" OR \"hoi\" OR \"dang\"");
  CHECK(candidateMatch({"quorum"}) == "\"quorum\"");
  CHECK(candidateMatch({"a\"b"}) == "\"a\"\"b\"");
  CHECK(candidateMatch({}).empty());
  CHECK(candidateMatch(questionTerms("Chuyển đổi số là gì?")) == "\"chuyen\" OR \"doi\" OR \"so\"");
}

TEST_CASE("a paragraph with the phrase in order outranks one with the same words scattered") {
  const Terms terms = questionTerms("Chuyển đổi số là gì?");
  const std::vector<std::string_view> texts{
      "Số hồ sơ được chuyển sang bộ phận một cửa tăng nhanh, nhờ đó quy trình được đổi.",
      "Đẩy mạnh chuyển đổi số trong các cơ quan nhà nước và doanh nghiệp.",
  };
  // The scattered one even has the better bm25.
  const auto ranked = rankPassages(terms, texts, {-5.2, -5.0}, 5);
  CHECK(order(ranked) == std::vector<std::size_t>{1, 0});
  REQUIRE(ranked.size() == 2);
  CHECK(ranked[0].score > ranked[1].score);
}

TEST_CASE("the question's order counts: adjacent, or with one word between") {
  // Same words, same window: only the order tells "nhà nước" (the state) from "nước nhà".
  const std::vector<std::string_view> state{"Vai trò của nước nhà.", "Vai trò của nhà nước."};
  CHECK(order(rankPassages(questionTerms("vai trò của nhà nước"), state, {-2.0, -2.0}, 5)) ==
        std::vector<std::size_t>{1, 0});
  // "Đại hội của Đảng bộ" keeps half the credit of the pair (hội, Đảng); reversed, none.
  const std::vector<std::string_view> congress{"Đảng bộ của Đại hội", "Đại hội của Đảng bộ"};
  CHECK(order(rankPassages(questionTerms("Đại hội Đảng bộ"), congress, {-2.0, -2.0}, 5)) ==
        std::vector<std::size_t>{1, 0});
}

TEST_CASE("terms close together outrank the same terms far apart") {
  const Terms terms = questionTerms("tăng trưởng kinh tế");
  const std::vector<std::string_view> texts{
      "Kinh tế vĩ mô ổn định, lạm phát được kiểm soát; sau nhiều năm, với sự nỗ lực của cả hệ thống chính trị, "
      "tốc độ tăng trưởng đạt khá.",
      "Kinh tế và tăng trưởng đều được cải thiện.",
  };
  CHECK(order(rankPassages(terms, texts, {-4.0, -4.0}, 5)) == std::vector<std::size_t>{1, 0});
}

TEST_CASE("covering the question beats repeating one of its words") {
  const Terms terms = questionTerms("ngân sách địa phương");
  REQUIRE(terms == Terms{"ngan", "sach", "dia", "phuong"});
  const std::vector<std::string_view> texts{
      "Phương thức phân bổ cho các địa bàn có sách hướng dẫn về ngân quỹ.",  // all four, scattered
      "Ngân hàng, ngân quỹ, ngân khố và ngân lượng.",                        // one, four times
  };
  CHECK(order(rankPassages(terms, texts, {-6.0, -8.0}, 5)) == std::vector<std::size_t>{0, 1});
}

TEST_CASE("between equal texts the better bm25 wins; without bm25 the earlier one") {
  const Terms terms = questionTerms("quyền của đại biểu");
  const std::vector<std::string_view> texts{"Về quyền đại biểu.", "Về quyền đại biểu."};
  CHECK(order(rankPassages(terms, texts, {-3.0, -6.0}, 5)) == std::vector<std::size_t>{1, 0});
  const auto unscored = rankPassages(terms, texts, {}, 5);
  CHECK(order(unscored) == std::vector<std::size_t>{0, 1});
  REQUIRE(unscored.size() == 2);
  CHECK(unscored[0].score == unscored[1].score);
  CHECK(unscored[0].score == doctest::Approx(1.0));  // every part at its best
}

TEST_CASE("highlights are the exact bytes of every matching word, diacritics and all") {
  const Terms terms{"dai", "hoi", "Đảng"};  // terms are folded again
  const std::string_view text = "Nghị quyết Đại hội ĐẢNG bộ tỉnh; đại biểu Đa\u0323i hội.";
  const auto ranked = rankPassages(terms, {text}, {-1.0}, 3);
  REQUIRE(ranked.size() == 1);
  CHECK(highlighted(text, ranked[0]) == std::vector<std::string>{"Đại", "hội", "ĐẢNG", "đại", "Đa\u0323i", "hội"});
  CHECK(ranked[0].highlights.front() == std::pair<std::uint32_t, std::uint32_t>{15, 21});
}

TEST_CASE("words are matched exactly as the index tokenizes them") {
  const Terms terms{"dai", "hoi", "2025", "u", "uong", "x", "ae"};
  const std::string text =
      "«ĐẠI-hội»2025/Ủy ban; ĐA\u0323I\u2026hội—u uống\xC3 x\xE2\x82 Æ dai😀hoi ĐạiHội dai_hoi Dai HOI X";
  std::vector<std::pair<std::uint32_t, std::uint32_t>> expected;
  for (const Token& token : tokenize(text)) {
    if (std::find(terms.begin(), terms.end(), token.folded) != terms.end()) {
      expected.emplace_back(static_cast<std::uint32_t>(token.begin), static_cast<std::uint32_t>(token.end));
    }
  }
  REQUIRE(expected.size() >= 10);
  const auto ranked = rankPassages(terms, {text}, {}, 1);
  REQUIRE(ranked.size() == 1);
  CHECK(ranked[0].highlights == expected);
}

TEST_CASE("the best few come back, best first; texts without a term do not") {
  const Terms terms = questionTerms("nhiệm kỳ đại hội");
  const std::vector<std::string_view> texts{
      "Đại hội nhiệm kỳ trước.",
      "Báo cáo tài chính năm 2024.",
      "Nhiệm kỳ đại hội 2025–2030 của Đảng bộ.",
      "Đại biểu dự đại hội.",
  };
  const std::vector<double> bm25{-5.0, -0.5, -6.0, -2.0};
  CHECK(order(rankPassages(terms, texts, bm25, 10)) == std::vector<std::size_t>{2, 0, 3});
  CHECK(order(rankPassages(terms, texts, bm25, 2)) == std::vector<std::size_t>{2, 0});
  const auto ranked = rankPassages(terms, texts, bm25, 10);
  for (std::size_t i = 1; i < ranked.size(); ++i) {
    CHECK(ranked[i - 1].score >= ranked[i].score);
  }
}

TEST_CASE("empty questions, terms, candidates and limits give nothing") {
  CHECK(questionTerms("").empty());
  CHECK(questionTerms(" ? … ! ").empty());
  CHECK(questionTerms("Là gì? Như thế nào?").empty());
  CHECK(questionTerms("What is it?").empty());
  const std::vector<std::string_view> texts{"Đại hội.", ""};
  CHECK(rankPassages({}, texts, {-1.0, -1.0}, 5).empty());
  CHECK(rankPassages({"", "…"}, texts, {-1.0, -1.0}, 5).empty());
  CHECK(rankPassages({"dai"}, {}, {}, 5).empty());
  CHECK(rankPassages({"dai"}, texts, {-1.0, -1.0}, 0).empty());
  CHECK(rankPassages({"dai"}, texts, {-1.0, -1.0}, 5).size() == 1);
  CHECK_THROWS_AS(rankPassages({"dai"}, texts, {-1.0}, 5), std::invalid_argument);
}

}  // namespace daihoi::documents
