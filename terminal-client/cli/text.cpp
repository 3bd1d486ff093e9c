#include "cli/text.hpp"

#include <algorithm>
#include <iterator>

#include "cli/utf8.hpp"

namespace daihoi::cli {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Combining marks and invisible format characters (decomposed Vietnamese uses U+0300–U+0323).
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// East Asian Wide and Fullwidth (Unicode 15, abridged to whole blocks where they are uniform).
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <std::size_t N>
bool inRanges(const Range (&ranges)[N], char32_t c) {
  auto it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                             [](char32_t value, const Range& range) { return value < range.first; });
  return it != std::begin(ranges) && c <= std::prev(it)->last;
}

std::size_t codePointWidth(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
    return 0;
  }
  if (inRanges(kZeroWidth, c)) {
    return 0;
  }
  return inRanges(kWide, c) ? 2 : 1;
}

char32_t foldCodePoint(char32_t c) {
  if (c >= 'A' && c <= 'Z') {
    return c + 0x20;
  }
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) {  // À..Þ except ×
    return c + 0x20;
  }
  if ((c >= 0x0100 && c <= 0x0137) || (c >= 0x014A && c <= 0x0177)) {  // Ă, Đ, Ĩ, Ũ pairs
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c == 0x01A0 || c == 0x01AF) {  // Ơ, Ư
    return c + 1;
  }
  if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) {  // Ạ..Ỹ
    return (c % 2 == 0) ? c + 1 : c;
  }
  return c;
}

}  // namespace

std::size_t displayWidth(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const DecodedCodePoint decoded = decodeUtf8(utf8, i);
    width += decoded.valid ? codePointWidth(decoded.codePoint) : 1;
    i += decoded.length;
  }
  return width;
}

std::string terminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const DecodedCodePoint decoded = decodeUtf8(text, i);
    const char32_t c = decoded.codePoint;
    if (!decoded.valid) {
      appendUtf8(out, kReplacementCharacter);
    } else if (c == '\t') {
      out += ' ';
    } else if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
      appendUtf8(out, kReplacementCharacter);
    } else {
      out.append(text.substr(i, decoded.length));
    }
    i += decoded.length;
  }
  return out;
}

std::string foldCase(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const DecodedCodePoint decoded = decodeUtf8(utf8, i);
    if (decoded.valid) {
      appendUtf8(out, foldCodePoint(decoded.codePoint));
    } else {
      out += utf8[i];
    }
    i += decoded.length;
  }
  return out;
}

std::string padRight(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t current = displayWidth(text);
  if (current < width) {
    out.append(width - current, ' ');
  }
  return out;
}

std::string padLeft(std::string_view text, std::size_t width) {
  const std::size_t current = displayWidth(text);
  std::string out;
  if (current < width) {
    out.append(width - current, ' ');
  }
  out.append(text);
  return out;
}

TextTable::TextTable(std::vector<std::string> headers, std::vector<Align> alignment)
    : headers_(std::move(headers)), alignment_(std::move(alignment)) {
  alignment_.resize(headers_.size(), Align::Left);
}

void TextTable::addRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& cell : cells) {
    cell = terminalSafe(cell);
  }
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  std::vector<std::size_t> widths(headers_.size(), 0);
  for (std::size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = displayWidth(headers_[c]);
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], displayWidth(row[c]));
    }
  }
  const auto renderLine = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) {
        line += "  ";
      }
      line += alignment_[c] == Align::Right ? padLeft(cells[c], widths[c]) : padRight(cells[c], widths[c]);
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    return line + "\n";
  };
  std::string out = renderLine(headers_);
  std::string rule;
  for (std::size_t c = 0; c < widths.size(); ++c) {
    if (c > 0) {
      rule += "  ";
    }
    for (std::size_t i = 0; i < widths[c]; ++i) {
      rule += "─";
    }
  }
  out += rule + "\n";
  for (const auto& row : rows_) {
    out += renderLine(row);
  }
  return out;
}

}  // namespace daihoi::cli
