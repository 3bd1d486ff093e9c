#pragma once
// Vietnamese text as search sees it: UTF-8 validation, folding (lower case,
// no diacritics, đ → d, so "dai hoi dang bo" finds "Đại hội Đảng bộ") and
// word tokens with their byte offsets in the original text (so that snippets
// and highlights show the original, diacritics and all).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::documents {

// The byte offset of the first invalid UTF-8 sequence (overlong forms,
// surrogates, code points above U+10FFFF and truncated sequences included);
// nothing when `text` is valid UTF-8.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

// Lower case without diacritics: every precomposed Latin letter of Latin-1,
// Latin Extended-A/B and Latin Extended Additional (U+1E00–U+1EFF, all of
// Vietnamese) to its base letter, combining marks (U+0300–U+036F) dropped,
// đ/Đ → d, ASCII lower-cased. Other characters pass unchanged. Valid UTF-8 in,
// valid UTF-8 out; invalid bytes pass unchanged.
std::string foldVietnamese(std::string_view text);

// A word: a run of letters, digits and combining marks (Unicode letters of any
// script count as letters). `folded` is foldVietnamese() of [begin, end).
struct Token {
  std::string folded;
  std::size_t begin = 0;  // byte offsets into the original text
  std::size_t end = 0;
};
std::vector<Token> tokenize(std::string_view text);

// Appends the UTF-8 bytes of a code point (not validated: surrogates are encoded as they are).
void appendUtf8(std::string& out, char32_t codePoint);

// Collapses runs of white space (ASCII and U+00A0, U+2000–U+200B, U+3000) into
// one ASCII space and trims both ends. Text is otherwise unchanged.
std::string collapseWhitespace(std::string_view text);

// The code point that starts at byte `pos` and its length in bytes (1–4);
// length 0 when the bytes there are not valid UTF-8 (or `pos` is at the end).
struct Utf8Char {
  char32_t codePoint = 0;
  std::size_t length = 0;
};
Utf8Char decodeUtf8At(std::string_view text, std::size_t pos);

// The letter test of tokenize(): ASCII letters and digits, and every code point
// from U+00C0 on except the punctuation, spaces and symbols of the common
// blocks (U+00D7, U+00F7, U+2000–U+2BFF, U+2E00–U+2E7F, U+3000–U+303F, the
// full-width and small forms' punctuation, specials, private use, emoji).
bool isWordCharacter(char32_t codePoint);

// True when `text` has Latin letters (ASCII or those foldVietnamese() folds)
// and none of them is lower case: "CHƯƠNG I", "QUY ĐỊNH CHUNG".
bool isUpperCase(std::string_view text);

}  // namespace daihoi::documents
