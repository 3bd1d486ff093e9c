#include "documents/vietnamese.hpp"

#include <algorithm>
#include <array>

namespace daihoi::documents {
namespace {

// The base letter of every code point in U+00C0–U+024F (Latin-1 letters,
// Latin Extended-A and -B), 16 to a row, case kept so that isUpperCase() can
// use the same table: '.' = not a letter with a Latin base (×, ÷, þ, ŋ, ə …),
// '*' = more than one letter (æ, ß, œ, ǆ …: see kMultiLetterBases).
// Generated from the Unicode 14 decompositions (NFD's first character) and,
// for letters without one (đ, ø, ł, ƀ …), from the "LETTER X WITH …" names;
// ð, ı and ſ by hand (Ð is often typed for Đ).
constexpr char32_t kLatinFirst = 0x00C0;
constexpr std::string_view kLatinBases =
    "AAAAAA*CEEEEIIII"  // U+00C0
    "DNOOOOO.OUUUUY.*"  // U+00D0
    "aaaaaa*ceeeeiiii"  // U+00E0
    "dnooooo.ouuuuy.y"  // U+00F0
    "AaAaAaCcCcCcCcDd"  // U+0100
    "DdEeEeEeEeEeGgGg"  // U+0110
    "GgGgHhHhIiIiIiIi"  // U+0120
    "Ii**JjKk.LlLlLlL"  // U+0130
    "lLlNnNnNn...OoOo"  // U+0140
    "Oo**RrRrRrSsSsSs"  // U+0150
    "SsTtTtTtUuUuUuUu"  // U+0160
    "UuUuWwYyYZzZzZzs"  // U+0170
    "bBBb...CcDDDd..."  // U+0180
    ".FfG.*.IKkl..NnO"  // U+0190
    "Oo**Pp.....tTtTU"  // U+01A0
    "u.VYyZz........."  // U+01B0
    "....*********AaI"  // U+01C0
    "iOoUuUuUuUuUu.Aa"  // U+01D0
    "Aa**GgGgKkOoOo.."  // U+01E0
    "j***Gg..NnAa**Oo"  // U+01F0
    "AaAaEeEeIiIiOoOo"  // U+0200
    "RrRrUuUuSsTt..Hh"  // U+0210
    "Nd**ZzAaEeOoOoOo"  // U+0220
    "OoYylntj..ACcLTs"  // U+0230
    "z..BU.EeJj.qRrYy";  // U+0240
static_assert(kLatinBases.size() == 0x0250 - kLatinFirst);

// Latin Extended Additional, U+1E00–U+1EFF: all the Vietnamese toned vowels.
constexpr char32_t kLatinAdditionalFirst = 0x1E00;
constexpr std::string_view kLatinAdditionalBases =
    "AaBbBbBbCcDdDdDd"  // U+1E00
    "DdDdEeEeEeEeEeFf"  // U+1E10
    "GgHhHhHhHhHhIiIi"  // U+1E20
    "KkKkKkLlLlLlLlMm"  // U+1E30
    "MmMmNnNnNnNnOoOo"  // U+1E40
    "OoOoPpPpRrRrRrRr"  // U+1E50
    "SsSsSsSsSsTtTtTt"  // U+1E60
    "TtUuUuUuUuUuVvVv"  // U+1E70
    "WwWwWwWwWwXxXxYy"  // U+1E80
    "ZzZzZzhtwyas..*."  // U+1E90
    "AaAaAaAaAaAaAaAa"  // U+1EA0
    "AaAaAaAaEeEeEeEe"  // U+1EB0
    "EeEeEeEeIiIiOoOo"  // U+1EC0
    "OoOoOoOoOoOoOoOo"  // U+1ED0
    "OoOoUuUuUuUuUuUu"  // U+1EE0
    "UuYyYyYyYy....Yy";  // U+1EF0
static_assert(kLatinAdditionalBases.size() == 0x100);

// The '*' entries, sorted by code point. None is longer in ASCII than in UTF-8,
// so folding never makes a text longer.
struct MultiLetterBase {
  char32_t codePoint;
  std::string_view letters;
};
constexpr std::array kMultiLetterBases{
    MultiLetterBase{0x00C6, "AE"}, MultiLetterBase{0x00DF, "ss"}, MultiLetterBase{0x00E6, "ae"},
    MultiLetterBase{0x0132, "IJ"}, MultiLetterBase{0x0133, "ij"}, MultiLetterBase{0x0152, "OE"},
    MultiLetterBase{0x0153, "oe"}, MultiLetterBase{0x0195, "hv"}, MultiLetterBase{0x01A2, "OI"},
    MultiLetterBase{0x01A3, "oi"}, MultiLetterBase{0x01C4, "DZ"}, MultiLetterBase{0x01C5, "Dz"},
    MultiLetterBase{0x01C6, "dz"}, MultiLetterBase{0x01C7, "LJ"}, MultiLetterBase{0x01C8, "Lj"},
    MultiLetterBase{0x01C9, "lj"}, MultiLetterBase{0x01CA, "NJ"}, MultiLetterBase{0x01CB, "Nj"},
    MultiLetterBase{0x01CC, "nj"}, MultiLetterBase{0x01E2, "AE"}, MultiLetterBase{0x01E3, "ae"},
    MultiLetterBase{0x01F1, "DZ"}, MultiLetterBase{0x01F2, "Dz"}, MultiLetterBase{0x01F3, "dz"},
    MultiLetterBase{0x01FC, "AE"}, MultiLetterBase{0x01FD, "ae"}, MultiLetterBase{0x0222, "OU"},
    MultiLetterBase{0x0223, "ou"}, MultiLetterBase{0x1E9E, "SS"},
};

std::string_view multiLetterBase(char32_t codePoint) {
  const auto* found = std::lower_bound(kMultiLetterBases.begin(), kMultiLetterBases.end(), codePoint,
                                       [](const MultiLetterBase& entry, char32_t c) { return entry.codePoint < c; });
  return found != kMultiLetterBases.end() && found->codePoint == codePoint ? found->letters : std::string_view();
}

std::string_view baseFrom(std::string_view table, std::size_t index, char32_t codePoint) {
  const char base = table[index];
  if (base == '.') {
    return {};
  }
  return base == '*' ? multiLetterBase(codePoint) : table.substr(index, 1);
}

// The ASCII base letters of a precomposed Latin letter, case kept; empty when
// the code point has none (it then folds to itself).
std::string_view latinBase(char32_t codePoint) {
  if (codePoint >= kLatinFirst && codePoint < kLatinFirst + kLatinBases.size()) {
    return baseFrom(kLatinBases, codePoint - kLatinFirst, codePoint);
  }
  if (codePoint >= kLatinAdditionalFirst && codePoint < kLatinAdditionalFirst + kLatinAdditionalBases.size()) {
    return baseFrom(kLatinAdditionalBases, codePoint - kLatinAdditionalFirst, codePoint);
  }
  return {};
}

bool isCombiningMark(char32_t codePoint) { return codePoint >= 0x0300 && codePoint <= 0x036F; }

bool isAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
char asciiLower(char c) { return isAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool isWhiteSpace(char32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x00A0 || (c >= 0x2000 && c <= 0x200B) || c == 0x3000;
}

// Appends the folded form of the valid UTF-8 character `original`.
void appendFolded(std::string& folded, char32_t codePoint, std::string_view original) {
  if (isCombiningMark(codePoint)) {
    return;
  }
  const std::string_view base = latinBase(codePoint);
  if (base.empty()) {
    folded += original;
    return;
  }
  for (const char letter : base) {
    folded += asciiLower(letter);
  }
}

// The length of the word character at `pos`; 0 for a separator, invalid bytes or the end.
std::size_t wordCharacterLength(std::string_view text, std::size_t pos) {
  const Utf8Char decoded = decodeUtf8At(text, pos);
  return decoded.length > 0 && isWordCharacter(decoded.codePoint) ? decoded.length : 0;
}

}  // namespace

Utf8Char decodeUtf8At(std::string_view text, std::size_t pos) {
  // Unicode 15, table 3-7: the second byte's range rules out overlong forms,
  // surrogates and code points above U+10FFFF.
  auto byteAt = [&](std::size_t i) -> char32_t {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0x100;  // 0x100: no byte there
  };
  auto continuation = [&](std::size_t i, char32_t low = 0x80, char32_t high = 0xBF) {
    const char32_t b = byteAt(i);
    return b >= low && b <= high;
  };
  const char32_t lead = byteAt(pos);
  if (lead < 0x80) {
    return {lead, 1};
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return continuation(pos + 1) ? Utf8Char{(lead & 0x1F) << 6 | (byteAt(pos + 1) & 0x3F), 2} : Utf8Char{};
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    const char32_t low = lead == 0xE0 ? 0xA0 : 0x80;   // E0 80..9F would be overlong
    const char32_t high = lead == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    if (!continuation(pos + 1, low, high) || !continuation(pos + 2)) {
      return {};
    }
    return {(lead & 0x0F) << 12 | (byteAt(pos + 1) & 0x3F) << 6 | (byteAt(pos + 2) & 0x3F), 3};
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const char32_t low = lead == 0xF0 ? 0x90 : 0x80;   // F0 80..8F would be overlong
    const char32_t high = lead == 0xF4 ? 0x8F : 0xBF;  // F4 90.. would exceed U+10FFFF
    if (!continuation(pos + 1, low, high) || !continuation(pos + 2) || !continuation(pos + 3)) {
      return {};
    }
    return {(lead & 0x07) << 18 | (byteAt(pos + 1) & 0x3F) << 12 | (byteAt(pos + 2) & 0x3F) << 6 |
                (byteAt(pos + 3) & 0x3F),
            4};
  }
  return {};  // a stray continuation byte, C0/C1 (always overlong) or F5..FF
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t length = decodeUtf8At(text, pos).length;
    if (length == 0) {
      return pos;
    }
    pos += length;
  }
  return std::nullopt;
}

std::string foldVietnamese(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const char byte = text[pos];
    if (static_cast<unsigned char>(byte) < 0x80) {
      folded += asciiLower(byte);
      ++pos;
      continue;
    }
    const Utf8Char decoded = decodeUtf8At(text, pos);
    if (decoded.length == 0) {
      folded += byte;  // invalid bytes pass unchanged, one at a time
      ++pos;
      continue;
    }
    appendFolded(folded, decoded.codePoint, text.substr(pos, decoded.length));
    pos += decoded.length;
  }
  return folded;
}

bool isWordCharacter(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || isAsciiLower(static_cast<char>(c)) || isAsciiUpper(static_cast<char>(c));
  }
  if (c < 0xC0) {
    return false;  // C1 controls, Latin-1 punctuation and symbols
  }
  const bool symbolOrPunctuation =
      c == 0x00D7 || c == 0x00F7 || (c >= 0x2000 && c <= 0x2BFF)  // punctuation … arrows, math, shapes, dingbats
      || (c >= 0x2E00 && c <= 0x2E7F)                            // supplemental punctuation
      || (c >= 0x3000 && c <= 0x303F)                            // CJK symbols and punctuation
      || (c >= 0xE000 && c <= 0xF8FF)                            // private use
      || (c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE6F)  // vertical and small forms
      || c == 0xFEFF                                                   // byte order mark
      || (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20)  // full-width punctuation
      || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65)  //
      || (c >= 0xFFF0 && c <= 0xFFFF)                                  // specials
      || (c >= 0x1F000 && c <= 0x1FAFF);                               // emoji and pictographs
  return !symbolOrPunctuation;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = pos;
    while (const std::size_t length = wordCharacterLength(text, end)) {
      end += length;
    }
    if (end == pos) {
      pos += std::max<std::size_t>(decodeUtf8At(text, pos).length, 1);  // a separator or an invalid byte
      continue;
    }
    tokens.push_back({foldVietnamese(text.substr(pos, end - pos)), pos, end});
    pos = end;
  }
  return tokens;
}

std::string collapseWhitespace(std::string_view text) {
  std::string collapsed;
  collapsed.reserve(text.size());
  bool spacePending = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const Utf8Char decoded = decodeUtf8At(text, pos);
    const std::size_t length = std::max<std::size_t>(decoded.length, 1);
    if (decoded.length > 0 && isWhiteSpace(decoded.codePoint)) {
      spacePending = !collapsed.empty();  // no space at the start
    } else {
      if (spacePending) {
        collapsed += ' ';
        spacePending = false;
      }
      collapsed += text.substr(pos, length);
    }
    pos += length;
  }
  return collapsed;
}

bool isUpperCase(std::string_view text) {
  bool upperSeen = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const Utf8Char decoded = decodeUtf8At(text, pos);
    const std::string_view letters =
        decoded.length == 0   ? std::string_view()
        : decoded.length == 1 ? text.substr(pos, 1)
                              : latinBase(decoded.codePoint);
    for (const char letter : letters) {
      if (isAsciiLower(letter)) {
        return false;
      }
      upperSeen = upperSeen || isAsciiUpper(letter);
    }
    pos += std::max<std::size_t>(decoded.length, 1);
  }
  return upperSeen;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace daihoi::documents
