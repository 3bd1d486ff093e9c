#include <doctest/doctest.h>

#include <string>

#include "documents/vietnamese.hpp"

using namespace daihoi::documents;

namespace {
// The 66 Vietnamese vowels with diacritics (a e i o u y with each of the five
// tones; ă â ê ô ơ ư with or without one) and Đ, capital and small (NFC).
constexpr std::string_view kVietnameseCapitals =
    "ẠẢÃÀÁÂẬẨẪẦẤĂẶẲẴẰẮẸẺẼÈÉÊỆỂỄỀẾỊỈĨÌÍỌỎÕÒÓÔỘỔỖỒỐƠỢỞỠỜỚỤỦŨÙÚƯỰỬỮỪỨỴỶỸỲÝĐ";
constexpr std::string_view kVietnameseSmall =
    "ạảãàáâậẩẫầấăặẳẵằắẹẻẽèéêệểễềếịỉĩìíọỏõòóôộổỗồốơợởỡờớụủũùúưựửữừứỵỷỹỳýđ";
// Their folded forms, letter by letter.
const std::string kVietnameseBases = std::string(17, 'a') + std::string(11, 'e') + std::string(5, 'i') +
                                     std::string(17, 'o') + std::string(11, 'u') + std::string(5, 'y') + "d";

// The same vowels decomposed (NFD: base letter and combining marks), without Đ,
// which has no decomposition.
constexpr std::string_view kVietnameseCapitalsDecomposed =
    "A\u0323A\u0309A\u0303A\u0300A\u0301A\u0302A\u0323\u0302A\u0302\u0309A\u0302\u0303"
    "A\u0302\u0300A\u0302\u0301A\u0306A\u0323\u0306A\u0306\u0309A\u0306\u0303A\u0306\u0300"
    "A\u0306\u0301E\u0323E\u0309E\u0303E\u0300E\u0301E\u0302E\u0323\u0302E\u0302\u0309"
    "E\u0302\u0303E\u0302\u0300E\u0302\u0301I\u0323I\u0309I\u0303I\u0300I\u0301O\u0323O\u0309"
    "O\u0303O\u0300O\u0301O\u0302O\u0323\u0302O\u0302\u0309O\u0302\u0303O\u0302\u0300"
    "O\u0302\u0301O\u031BO\u031B\u0323O\u031B\u0309O\u031B\u0303O\u031B\u0300O\u031B\u0301"
    "U\u0323U\u0309U\u0303U\u0300U\u0301U\u031BU\u031B\u0323U\u031B\u0309U\u031B\u0303"
    "U\u031B\u0300U\u031B\u0301Y\u0323Y\u0309Y\u0303Y\u0300Y\u0301";
constexpr std::string_view kVietnameseSmallDecomposed =
    "a\u0323a\u0309a\u0303a\u0300a\u0301a\u0302a\u0323\u0302a\u0302\u0309a\u0302\u0303"
    "a\u0302\u0300a\u0302\u0301a\u0306a\u0323\u0306a\u0306\u0309a\u0306\u0303a\u0306\u0300"
    "a\u0306\u0301e\u0323e\u0309e\u0303e\u0300e\u0301e\u0302e\u0323\u0302e\u0302\u0309"
    "e\u0302\u0303e\u0302\u0300e\u0302\u0301i\u0323i\u0309i\u0303i\u0300i\u0301o\u0323o\u0309"
    "o\u0303o\u0300o\u0301o\u0302o\u0323\u0302o\u0302\u0309o\u0302\u0303o\u0302\u0300"
    "o\u0302\u0301o\u031Bo\u031B\u0323o\u031B\u0309o\u031B\u0303o\u031B\u0300o\u031B\u0301"
    "u\u0323u\u0309u\u0303u\u0300u\u0301u\u031Bu\u031B\u0323u\u031B\u0309u\u031B\u0303"
    "u\u031B\u0300u\u031B\u0301y\u0323y\u0309y\u0303y\u0300y\u0301";

// Encodes a code point as UTF-8 (no validation: the tests use it to build bad input too).
std::string utf8(char32_t c) {
  std::string out;
  appendUtf8(out, c);
  return out;
}
}  // namespace

TEST_CASE("valid UTF-8 has no invalid offset") {
  CHECK_FALSE(firstInvalidUtf8("").has_value());
  CHECK_FALSE(firstInvalidUtf8("Đại hội Đảng bộ").has_value());
  CHECK_FALSE(firstInvalidUtf8(kVietnameseCapitals).has_value());
  CHECK_FALSE(firstInvalidUtf8(kVietnameseSmallDecomposed).has_value());
  CHECK_FALSE(firstInvalidUtf8("\x7F" "\xC2\x80" "\xEF\xBF\xBF" "\xF0\x90\x80\x80" "\xF4\x8F\xBF\xBF").has_value());
  CHECK_FALSE(firstInvalidUtf8(utf8(0xD7FF) + utf8(0xE000) + utf8(0x10FFFF) + "ẞ😀").has_value());
}

TEST_CASE("invalid UTF-8 is found at its first byte") {
  CHECK(firstInvalidUtf8("ab\x80") == 2u);                    // a stray continuation byte
  CHECK(firstInvalidUtf8("Đại\xC3") == 6u);                   // truncated at the end
  CHECK(firstInvalidUtf8("x\xE1\xBA" "y") == 1u);             // truncated before another character
  CHECK(firstInvalidUtf8("\xC0\xAF") == 0u);                  // overlong '/'
  CHECK(firstInvalidUtf8("ok\xC1\xBF") == 2u);                // overlong, C1 lead
  CHECK(firstInvalidUtf8("\xE0\x80\xAF") == 0u);              // overlong three bytes
  CHECK(firstInvalidUtf8("\xF0\x80\x80\xAF") == 0u);          // overlong four bytes
  CHECK(firstInvalidUtf8("a\xED\xA0\x80") == 1u);            // a surrogate (U+D800)
  CHECK(firstInvalidUtf8(utf8(0xDFFF)) == 0u);                // the last surrogate
  CHECK(firstInvalidUtf8("\xF4\x90\x80\x80") == 0u);          // U+110000
  CHECK(firstInvalidUtf8("\xF5\x80\x80\x80") == 0u);          // F5 lead
  CHECK(firstInvalidUtf8("\xFF") == 0u);
  CHECK(firstInvalidUtf8("\xE1\xBA\xA0\xE1\xBA") == 3u);      // Ạ then half a character
}

TEST_CASE("decodeUtf8At gives the code point and its length") {
  const std::string text = "aĐạ😀";
  CHECK(decodeUtf8At(text, 0).codePoint == U'a');
  CHECK(decodeUtf8At(text, 1).codePoint == U'Đ');
  CHECK(decodeUtf8At(text, 1).length == 2);
  CHECK(decodeUtf8At(text, 3).codePoint == U'ạ');
  CHECK(decodeUtf8At(text, 3).length == 3);
  CHECK(decodeUtf8At(text, 6).codePoint == U'😀');
  CHECK(decodeUtf8At(text, 6).length == 4);
  CHECK(decodeUtf8At(text, 2).length == 0);  // inside Đ
  CHECK(decodeUtf8At(text, text.size()).length == 0);
}

TEST_CASE("folding: lower case, no diacritics, đ → d") {
  CHECK(foldVietnamese("Đại hội Đảng bộ") == "dai hoi dang bo");
  CHECK(foldVietnamese("ỦY BAN THƯỜNG VỤ QUỐC HỘI") == "uy ban thuong vu quoc hoi");
  CHECK(foldVietnamese("Nghị quyết số 12/NQ-TW, ngày 16/1/2012") == "nghi quyet so 12/nq-tw, ngay 16/1/2012");
  CHECK(foldVietnamese("") == "");
}

TEST_CASE("every Vietnamese vowel with every tone, and Đ, folds to its ASCII letter") {
  CHECK(foldVietnamese(kVietnameseCapitals) == kVietnameseBases);
  CHECK(foldVietnamese(kVietnameseSmall) == kVietnameseBases);
}

TEST_CASE("decomposed (NFD) text folds like precomposed (NFC) text") {
  CHECK(foldVietnamese(kVietnameseCapitalsDecomposed) == kVietnameseBases.substr(0, 66));
  CHECK(foldVietnamese(kVietnameseSmallDecomposed) == kVietnameseBases.substr(0, 66));
  const std::string precomposed =
      "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng; Ủy ban Thường vụ Quốc hội";
  const std::string decomposed =
      "Nghi\u0323 quye\u0302\u0301t \u0110a\u0323i ho\u0323\u0302i \u0111a\u0323i bie\u0302\u0309u "
      "toa\u0300n quo\u0302\u0301c la\u0302\u0300n thu\u031B\u0301 XIV cu\u0309a \u0110a\u0309ng; "
      "U\u0309y ban Thu\u031Bo\u031B\u0300ng vu\u0323 Quo\u0302\u0301c ho\u0323\u0302i";
  CHECK(decomposed != precomposed);
  CHECK(foldVietnamese(decomposed) == foldVietnamese(precomposed));
  CHECK(foldVietnamese(decomposed) ==
        "nghi quyet dai hoi dai bieu toan quoc lan thu xiv cua dang; uy ban thuong vu quoc hoi");
}

TEST_CASE("other Latin letters fold to their base letters") {
  CHECK(foldVietnamese("ÇÑÖØÅ çñöøå Łódź Ħ Ð ð") == "cnooa cnooa lodz h d d");
  CHECK(foldVietnamese("Æsir Straße Œuvre ǄǅǆĲ ẞ") == "aesir strasse oeuvre dzdzdzij ss");
  CHECK(foldVietnamese("ı ſ") == "i s");
}

TEST_CASE("characters without a Latin base pass unchanged") {
  CHECK(foldVietnamese("Москва Αθήνα 北京 × ÷ þ ŋ — “trích dẫn” 😀") == "Москва Αθήνα 北京 × ÷ þ ŋ — “trich dan” 😀");
}

TEST_CASE("invalid bytes pass through folding unchanged") {
  CHECK(foldVietnamese("Đ\xFFại\xC3") == "d\xFF" "ai\xC3");
  CHECK(foldVietnamese("\xED\xA0\x80Ạ") == "\xED\xA0\x80" "a");
}

TEST_CASE("folding never makes a text longer") {
  std::string everyLatinLetter;
  for (char32_t c = 0x00C0; c <= 0x024F; ++c) {
    everyLatinLetter += utf8(c);
  }
  for (char32_t c = 0x1E00; c <= 0x1EFF; ++c) {
    everyLatinLetter += utf8(c);
  }
  const std::string folded = foldVietnamese(everyLatinLetter);
  CHECK(folded.size() < everyLatinLetter.size());
  CHECK_FALSE(firstInvalidUtf8(folded).has_value());
}

TEST_CASE("tokens are runs of letters and digits with offsets into the original") {
  const std::string text = "Điều 5. Đại hội—lần thứ XIV (2026)";
  const auto tokens = tokenize(text);
  REQUIRE(tokens.size() == 8);
  CHECK(tokens[0].folded == "dieu");
  CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Điều");
  CHECK(tokens[1].folded == "5");
  CHECK(tokens[2].folded == "dai");
  CHECK(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin) == "Đại");
  CHECK(tokens[3].folded == "hoi");  // the em dash separates
  CHECK(tokens[4].folded == "lan");
  CHECK(tokens[5].folded == "thu");
  CHECK(tokens[6].folded == "xiv");
  CHECK(tokens[7].folded == "2026");
  CHECK(text.substr(tokens[7].begin, tokens[7].end - tokens[7].begin) == "2026");
}

TEST_CASE("tokens keep combining marks and letters of any script") {
  const std::string decomposed = "Đa\u0323i  ho\u0323\u0302i";
  const auto tokens = tokenize(decomposed);
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].folded == "dai");
  CHECK(tokens[0].begin == 0);
  CHECK(tokens[0].end == 6);  // Đ (2) a (1) U+0323 (2) i (1)
  CHECK(tokens[1].begin == 8);
  CHECK(tokens[1].end == decomposed.size());
  CHECK(tokens[1].folded == "hoi");

  const auto words = tokenize("Москва, 北京。Αθήνα… “Hà Nội”");
  REQUIRE(words.size() == 5);
  CHECK(words[0].folded == "Москва");
  CHECK(words[1].folded == "北京");
  CHECK(words[2].folded == "Αθήνα");
  CHECK(words[3].folded == "ha");
  CHECK(words[4].folded == "noi");
}

TEST_CASE("invalid bytes and empty text give no tokens of their own") {
  CHECK(tokenize("").empty());
  CHECK(tokenize(" \t—,.!").empty());
  const auto tokens = tokenize("ab\xFF" "cd");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].end == 2);
  CHECK(tokens[1].begin == 3);
}

TEST_CASE("word characters") {
  CHECK(isWordCharacter(U'a'));
  CHECK(isWordCharacter(U'7'));
  CHECK(isWordCharacter(U'ư'));
  CHECK(isWordCharacter(0x0301));  // a combining acute accent
  CHECK(isWordCharacter(U'Ж'));
  CHECK(isWordCharacter(U'国'));
  CHECK_FALSE(isWordCharacter(U' '));
  CHECK_FALSE(isWordCharacter(U'-'));
  CHECK_FALSE(isWordCharacter(0x00A0));
  CHECK_FALSE(isWordCharacter(U'«'));
  CHECK_FALSE(isWordCharacter(U'×'));
  CHECK_FALSE(isWordCharacter(U'–'));
  CHECK_FALSE(isWordCharacter(U'“'));
  CHECK_FALSE(isWordCharacter(U'€'));
  CHECK_FALSE(isWordCharacter(U'。'));
  CHECK_FALSE(isWordCharacter(U'，'));
  CHECK_FALSE(isWordCharacter(U'😀'));
}

TEST_CASE("white space collapses to single spaces and is trimmed") {
  CHECK(collapseWhitespace("  Đại \t hội\r\n\nĐảng\u00A0\u00A0bộ \u3000") == "Đại hội Đảng bộ");
  CHECK(collapseWhitespace("a\u2002b\u200Bc\u2003 d") == "a b c d");
  CHECK(collapseWhitespace("\f\v") == "");
  CHECK(collapseWhitespace("") == "");
  CHECK(collapseWhitespace("“Điều 1.” —  xem") == "“Điều 1.” — xem");
  CHECK(collapseWhitespace(" a\xFF  b ") == "a\xFF b");
}

TEST_CASE("upper case text") {
  CHECK(isUpperCase("NHỮNG QUY ĐỊNH CHUNG"));
  CHECK(isUpperCase("CHƯƠNG IV: 12 ĐIỀU"));
  CHECK_FALSE(isUpperCase("Những quy định chung"));
  CHECK_FALSE(isUpperCase("QUY ĐỊNh"));
  CHECK_FALSE(isUpperCase("QUY ĐỊNH ạ"));
  CHECK_FALSE(isUpperCase("2026 — 12"));  // no letters
  CHECK_FALSE(isUpperCase(""));
}
