#pragma once
// Minimal UTF-8 decoding shared by the JSON writer and the terminal tables.
#include <cstddef>
#include <string>
#include <string_view>

namespace daihoi::cli {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

struct DecodedCodePoint {
  char32_t codePoint = kReplacementCharacter;
  std::size_t length = 1;  // bytes consumed; 1 for an invalid byte so that decoding always advances
  bool valid = false;
};

// Strict RFC 3629: rejects overlong forms, surrogates and values above U+10FFFF.
DecodedCodePoint decodeUtf8(std::string_view text, std::size_t offset);

void appendUtf8(std::string& out, char32_t codePoint);

// Replaces invalid byte sequences by U+FFFD.
std::string sanitizeUtf8(std::string_view text);

}  // namespace daihoi::cli
