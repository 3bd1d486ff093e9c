#include "kiosk/text_fold.hpp"

#include <unordered_map>

#include "cli/utf8.hpp"

namespace daihoi::kiosk {
namespace {

// Each string lists letters that fold to `base`.
struct FoldGroup {
  char base;
  std::string_view letters;
};

constexpr FoldGroup kGroups[] = {
    {'a', "àáảãạăằắẳẵặâầấẩẫậäåā"},
    {'A', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄÅĀ"},
    {'e', "èéẻẽẹêềếểễệëē"},
    {'E', "ÈÉẺẼẸÊỀẾỂỄỆËĒ"},
    {'i', "ìíỉĩịîïī"},
    {'I', "ÌÍỈĨỊÎÏĪ"},
    {'o', "òóỏõọôồốổỗộơờớởỡợöøō"},
    {'O', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÖØŌ"},
    {'u', "ùúủũụưừứửữựûüū"},
    {'U', "ÙÚỦŨỤƯỪỨỬỮỰÛÜŪ"},
    {'y', "ỳýỷỹỵÿ"},
    {'Y', "ỲÝỶỸỴŸ"},
    {'d', "đ"},
    {'D', "ĐÐ"},
    {'c', "ç"},
    {'C', "Ç"},
    {'n', "ñ"},
    {'N', "Ñ"},
    {'-', "‐‑‒–—―−"},
    {'\'', "‘’‚′"},
    {'"', "“”„″«»"},
    {'x', "×"},
    {' ', "\u00A0\u2009\u202F"},
};

const std::unordered_map<char32_t, char>& foldTable() {
  static const std::unordered_map<char32_t, char> table = [] {
    std::unordered_map<char32_t, char> out;
    for (const auto& group : kGroups) {
      for (std::size_t i = 0; i < group.letters.size();) {
        const auto decoded = cli::decodeUtf8(group.letters, i);
        out.emplace(decoded.codePoint, group.base);
        i += decoded.length;
      }
    }
    return out;
  }();
  return table;
}

bool isCombiningMark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF);
}

}  // namespace

std::string asciiFold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  const auto& table = foldTable();
  for (std::size_t i = 0; i < utf8.size();) {
    const auto decoded = cli::decodeUtf8(utf8, i);
    i += decoded.length;
    const char32_t c = decoded.codePoint;
    if (!decoded.valid) {
      out += '?';
    } else if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (isCombiningMark(c)) {
      // NFD text: the base letter came before its marks.
    } else if (c == 0x2026) {
      out += "...";
    } else if (auto it = table.find(c); it != table.end()) {
      out += it->second;
    } else {
      out += '?';
    }
  }
  return out;
}

}  // namespace daihoi::kiosk
