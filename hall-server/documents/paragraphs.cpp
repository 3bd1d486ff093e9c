#include "documents/paragraphs.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>

#include "documents/diff.hpp"
#include "documents/vietnamese.hpp"

namespace daihoi::documents {
namespace {

// "Điều 12. Nhiệm vụ và quyền hạn của …" fits; a longer paragraph that starts
// with the word is body text (or a PDF heading run together with its body).
constexpr std::size_t kMaxKeywordHeadingBytes = 200;
// "1.2. Kết quả bầu cử" is a heading; a long numbered line is a list item.
constexpr std::size_t kMaxNumberedHeadingBytes = 120;

// ---------------------------------------------------------------------------
// Vietnamese legal-document headings

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isSpace(char c) { return c == ' ' || c == '\t'; }

// The length of the run of characters from `pos` that satisfy `test`.
template <typename Test>
std::size_t runLength(std::string_view text, std::size_t pos, Test test) {
  std::size_t end = pos;
  while (end < text.size() && test(text[end])) {
    ++end;
  }
  return end - pos;
}

std::string toRoman(unsigned value) {
  static constexpr std::array<std::pair<unsigned, std::string_view>, 5> kDigits{
      {{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}};
  std::string roman;
  for (const auto& [digitValue, digits] : kDigits) {
    for (; value >= digitValue; value -= digitValue) {
      roman += digits;
    }
  }
  return roman;
}

// A roman numeral from I to XXXIX, written the canonical way (so "IIII" or "VX" are not).
bool isRomanNumeral(std::string_view text) {
  for (unsigned value = 1; value < 40; ++value) {
    if (text == toRoman(value)) {
      return true;
    }
  }
  return false;
}

bool isRomanLetter(char c) { return c == 'I' || c == 'V' || c == 'X'; }

// The length of the numeral ("IV", "12") at the start of `text`, 0 when there is none.
std::size_t numeralLength(std::string_view text) {
  if (const std::size_t digits = runLength(text, 0, isDigit); digits > 0) {
    return digits <= 3 ? digits : 0;
  }
  const std::size_t letters = runLength(text, 0, isRomanLetter);
  return isRomanNumeral(text.substr(0, letters)) ? letters : 0;
}

enum class NumberRule { Numeral, NumeralOrOrdinal, NumberAndFullStop };

struct LegalKeyword {
  std::string_view word;  // followed by one space
  int level;
  NumberRule number;
};
constexpr std::array<LegalKeyword, 8> kLegalKeywords{{
    {"Phần", 1, NumberRule::NumeralOrOrdinal},
    {"PHẦN", 1, NumberRule::NumeralOrOrdinal},
    {"Chương", 2, NumberRule::Numeral},
    {"CHƯƠNG", 2, NumberRule::Numeral},
    {"Mục", 3, NumberRule::Numeral},
    {"MỤC", 3, NumberRule::Numeral},
    {"Điều", 4, NumberRule::NumberAndFullStop},
    {"ĐIỀU", 4, NumberRule::NumberAndFullStop},
}};

// Whether `rest` (what follows the keyword and its space) numbers a heading of this kind.
bool numbersHeading(std::string_view rest, NumberRule rule) {
  if (rule == NumberRule::NumeralOrOrdinal && (startsWith(rest, "thứ ") || startsWith(rest, "THỨ "))) {
    return true;  // "Phần thứ nhất"
  }
  if (rule == NumberRule::NumberAndFullStop) {
    const std::size_t digits = runLength(rest, 0, isDigit);
    return digits > 0 && digits <= 3 && rest.substr(digits, 1) == ".";  // "Điều 5."
  }
  const std::size_t length = numeralLength(rest);
  // "Chương IV", "Chương IV.", "Chương IV: …", "Chương IV - …", not "Chương Ivan" nor "Mục 2a".
  return length > 0 && (length == rest.size() || !isWordCharacter(decodeUtf8At(rest, length).codePoint));
}

// "Phần …" = 1, "Chương …" = 2, "Mục …" = 3, "Điều N." = 4; 0 for anything else.
// Parts, chapters and sections have titles without a final full stop; an
// article's title may run into its text in a PDF, so only its length counts.
int keywordHeadingLevel(std::string_view text) {
  if (text.size() > kMaxKeywordHeadingBytes) {
    return 0;
  }
  for (const LegalKeyword& keyword : kLegalKeywords) {
    if (!startsWith(text, keyword.word) || text.substr(keyword.word.size(), 1) != " ") {
      continue;
    }
    const std::string_view rest = text.substr(keyword.word.size() + 1);
    if (!numbersHeading(rest, keyword.number)) {
      return 0;
    }
    const bool titleEndsWithFullStop = text.back() == '.' && numeralLength(rest) + 1 < rest.size();
    return keyword.number != NumberRule::NumberAndFullStop && titleEndsWithFullStop ? 0 : keyword.level;
  }
  return 0;
}

// "IV. Title" = 2, "1. Title" = 3, "1.2. Title" or "1.2 Title" = 4, deeper = 5, 6:
// short lines with a title that does not end like a sentence or a list item.
int numberedHeadingLevel(std::string_view text) {
  if (text.empty() || text.size() > kMaxNumberedHeadingBytes ||
      std::string_view(".;,").find(text.back()) != std::string_view::npos) {
    return 0;
  }
  const std::size_t romanLength = runLength(text, 0, isRomanLetter);
  if (romanLength > 0 && isRomanNumeral(text.substr(0, romanLength)) && text.substr(romanLength, 2) == ". " &&
      text.size() > romanLength + 2) {
    return 2;
  }
  int depth = 0;  // how many numbers: "1.2." has two
  std::size_t pos = 0;
  while (true) {
    const std::size_t digits = runLength(text, pos, isDigit);
    if (digits == 0 || digits > 3) {
      break;
    }
    ++depth;
    pos += digits;
    if (text.substr(pos, 1) != ".") {
      break;
    }
    ++pos;
  }
  const bool endsWithDot = pos > 0 && text[pos - 1] == '.';
  const bool numbered = depth > 0 && (endsWithDot || depth > 1) && text.substr(pos, 1) == " " && text.size() > pos + 1;
  return numbered ? std::min(2 + depth, 6) : 0;
}

int legalHeadingLevel(std::string_view text) {
  const int level = keywordHeadingLevel(text);
  return level > 0 ? level : numberedHeadingLevel(text);
}

// ---------------------------------------------------------------------------
// Markdown

// The code point that ends just before byte `pos`; a space at the start.
char32_t codePointBefore(std::string_view text, std::size_t pos) {
  if (pos == 0) {
    return ' ';
  }
  std::size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  const Utf8Char decoded = decodeUtf8At(text, start);
  return decoded.length == pos - start ? decoded.codePoint : ' ';
}

char32_t codePointAt(std::string_view text, std::size_t pos) {
  const Utf8Char decoded = decodeUtf8At(text, pos);
  return decoded.length > 0 ? decoded.codePoint : ' ';
}

// Removes emphasis (*, **, _, __, ***) and code (`) markers. A run of * or _ is
// literal when it stands between spaces ("2 * 3") or inside a word ("snake_case").
std::string stripInlineMarkdown(std::string_view text) {
  std::string stripped;
  stripped.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const char c = text[pos];
    if (c != '*' && c != '_' && c != '`') {
      stripped += c;
      ++pos;
      continue;
    }
    const std::size_t run = runLength(text, pos, [c](char other) { return other == c; });
    if (c != '`') {
      const char32_t before = codePointBefore(text, pos);
      const char32_t after = codePointAt(text, pos + run);
      const bool betweenSpaces = (before == ' ' || before == '\t') && (after == ' ' || after == '\t');
      const bool insideWord = isWordCharacter(before) && isWordCharacter(after);
      if (betweenSpaces || insideWord || run > 3) {
        stripped += text.substr(pos, run);
      }
    }
    pos += run;
  }
  return stripped;
}

std::string_view trimSpaces(std::string_view text) {
  const std::size_t begin = runLength(text, 0, isSpace);
  std::size_t end = text.size();
  while (end > begin && isSpace(text[end - 1])) {
    --end;
  }
  return text.substr(begin, end - begin);
}

struct AtxHeading {
  int level;
  std::string_view text;
};

// "## Chương II ##" → level 2, "Chương II" (up to three spaces before, 1–6 #s, then a space).
std::optional<AtxHeading> atxHeading(std::string_view line) {
  const std::size_t indent = runLength(line, 0, isSpace);
  const std::size_t hashes = runLength(line, indent, [](char c) { return c == '#'; });
  const std::size_t after = indent + hashes;
  if (indent > 3 || hashes == 0 || hashes > 6 || (after < line.size() && !isSpace(line[after]))) {
    return std::nullopt;
  }
  std::string_view text = trimSpaces(line.substr(after));
  const std::size_t closing = text.find_last_not_of('#');
  if (closing == std::string_view::npos) {
    text = {};
  } else if (closing + 1 < text.size() && isSpace(text[closing])) {
    text = trimSpaces(text.substr(0, closing));  // the optional closing #s
  }
  return AtxHeading{static_cast<int>(hashes), text};
}

// "```" or "~~~" (three or more), up to three spaces in: the fence's marker.
// "```x```" on one line is inline code, not a fence.
std::optional<std::string> codeFence(std::string_view line) {
  const std::size_t indent = runLength(line, 0, isSpace);
  if (indent > 3 || indent >= line.size() || (line[indent] != '`' && line[indent] != '~')) {
    return std::nullopt;
  }
  const char marker = line[indent];
  const std::size_t length = runLength(line, indent, [marker](char c) { return c == marker; });
  const bool inlineCode = marker == '`' && line.find('`', indent + length) != std::string_view::npos;
  if (length < 3 || inlineCode) {
    return std::nullopt;
  }
  return std::string(length, marker);
}

bool closesFence(std::string_view line, const std::string& fence) {
  const std::string_view trimmed = trimSpaces(line);
  return startsWith(trimmed, fence) && runLength(trimmed, 0, [&](char c) { return c == fence[0]; }) == trimmed.size();
}

// "---", "***", "___" (spaces allowed between): a horizontal rule.
bool isThematicBreak(std::string_view line) {
  const std::string_view trimmed = trimSpaces(line);
  if (trimmed.empty() || (trimmed[0] != '-' && trimmed[0] != '*' && trimmed[0] != '_')) {
    return false;
  }
  const char marker = trimmed[0];
  std::size_t markers = 0;
  for (const char c : trimmed) {
    if (c == marker) {
      ++markers;
    } else if (!isSpace(c)) {
      return false;
    }
  }
  return markers >= 3;
}

// The text of a list item: "- text", "* text", "+ text" → "text"; "12. text",
// "12) text" → the whole line (the number is part of the text: "khoản 12").
std::optional<std::string_view> listItem(std::string_view line) {
  const std::string_view trimmed = trimSpaces(line);
  if (trimmed.size() >= 2 && (trimmed[0] == '-' || trimmed[0] == '*' || trimmed[0] == '+') && isSpace(trimmed[1])) {
    return trimSpaces(trimmed.substr(2));
  }
  const std::size_t digits = runLength(trimmed, 0, isDigit);
  if (digits > 0 && digits <= 9 && trimmed.size() > digits + 1 && (trimmed[digits] == '.' || trimmed[digits] == ')') &&
      isSpace(trimmed[digits + 1])) {
    return trimmed;
  }
  return std::nullopt;
}

std::vector<std::string_view> tableCells(std::string_view row) {
  std::string_view inner = trimSpaces(row).substr(1);  // after the leading |
  if (!inner.empty() && inner.back() == '|') {
    inner.remove_suffix(1);
  }
  std::vector<std::string_view> cells;
  for (std::size_t start = 0;;) {
    const std::size_t bar = inner.find('|', start);
    cells.push_back(trimSpaces(inner.substr(start, bar - start)));
    if (bar == std::string_view::npos) {
      return cells;
    }
    start = bar + 1;
  }
}

// "|---|:--:|": the line under a table's header.
bool isTableDelimiterRow(const std::vector<std::string_view>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](std::string_view cell) {
    const std::string_view dashes = trimSpaces(cell.substr(cell.starts_with(':') ? 1 : 0));
    const std::string_view core = dashes.ends_with(':') ? dashes.substr(0, dashes.size() - 1) : dashes;
    return !core.empty() && core.find_first_not_of('-') == std::string_view::npos;
  });
}

// "| Họ tên | Đoàn |" → "Họ tên | Đoàn".
std::string tableRowText(const std::vector<std::string_view>& cells) {
  std::string text;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    text += i == 0 ? "" : " | ";
    text += cells[i];
  }
  return text;
}

// ---------------------------------------------------------------------------
// Lines to blocks

struct Line {
  std::string_view text;
  std::uint32_t page = 0;
};

// Lines split at \n, \r\n and \r. A form feed ends the line and the paragraph
// (an empty line is added) and, in PDF text, starts the next page.
std::vector<Line> splitLines(std::string_view text, TextFormat format) {
  const bool countPages = format == TextFormat::PdfText;
  std::vector<Line> lines;
  std::uint32_t page = countPages ? 1 : 0;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos <= text.size(); ++pos) {
    const char c = pos < text.size() ? text[pos] : '\n';
    if (c != '\n' && c != '\r' && c != '\f') {
      continue;
    }
    lines.push_back({text.substr(start, pos - start), page});
    if (c == '\f') {
      lines.push_back({{}, page});
      page += countPages ? 1 : 0;
    } else if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
      ++pos;
    }
    start = pos + 1;
  }
  return lines;
}

enum class BlockKind { Body, ListItem, MarkdownHeading, TableRow, Code, KeywordHeading };

struct Block {
  BlockKind kind = BlockKind::Body;
  int level = 0;  // MarkdownHeading and KeywordHeading
  std::uint32_t page = 0;
  std::string text;  // the lines joined with spaces, not yet collapsed
};

// Groups lines into blocks: one per paragraph, heading, list item, table row or code block.
class BlockReader {
 public:
  explicit BlockReader(TextFormat format) : markdown_(format == TextFormat::Markdown) {}

  std::vector<Block> read(const std::vector<Line>& lines) {
    for (const Line& line : lines) {
      if (!markdown_ || !readMarkdownLine(line)) {
        readTextLine(line);
      }
    }
    close();
    return std::move(blocks_);
  }

 private:
  void open(BlockKind kind, std::uint32_t page, int level = 0) {
    close();
    open_ = Block{kind, level, page, {}};
  }

  void append(std::string_view text) {
    open_->text += open_->text.empty() ? "" : " ";
    open_->text += text;
  }

  void close() {
    if (open_) {
      blocks_.push_back(std::move(*open_));
      open_.reset();
    }
  }

  void add(BlockKind kind, std::uint32_t page, std::string text, int level = 0) {
    close();
    blocks_.push_back({kind, level, page, std::move(text)});
  }

  // Handles the Markdown block structure; false for a line of ordinary text.
  bool readMarkdownLine(const Line& line) {
    if (fence_) {
      if (closesFence(line.text, *fence_)) {
        fence_.reset();
        close();
      } else {
        append(line.text);  // blank lines included: a code block is one paragraph
      }
      return true;
    }
    if (auto fence = codeFence(line.text)) {
      open(BlockKind::Code, line.page);
      fence_ = std::move(fence);
    } else if (isThematicBreak(line.text)) {
      close();
    } else if (auto heading = atxHeading(line.text)) {
      add(BlockKind::MarkdownHeading, line.page, std::string(heading->text), heading->level);
    } else if (trimSpaces(line.text).starts_with('|')) {
      const auto cells = tableCells(line.text);
      if (isTableDelimiterRow(cells)) {
        close();
      } else {
        add(BlockKind::TableRow, line.page, tableRowText(cells));
      }
    } else if (auto item = listItem(line.text)) {
      open(BlockKind::ListItem, line.page);
      append(*item);
    } else {
      return false;
    }
    return true;
  }

  // Blank lines end paragraphs; other lines join the open one, except a legal
  // heading ("Chương II", "Điều 5. …"), which starts its own: in plain text
  // such headings often stand on a line of their own right above their text.
  void readTextLine(const Line& line) {
    const std::string text = collapseWhitespace(markdown_ ? stripInlineMarkdown(line.text) : std::string(line.text));
    if (text.empty()) {
      close();
      return;
    }
    const int headingLevel = keywordHeadingLevel(text);
    if (open_ && open_->kind == BlockKind::KeywordHeading) {
      if (headingLevel == 0 && continuesHeadingTitle(text)) {
        append(line.text);
        return;
      }
      close();
    }
    if (headingLevel > 0) {
      open(BlockKind::KeywordHeading, line.page, headingLevel);
    } else if (!open_) {
      open(BlockKind::Body, line.page);
    }
    append(line.text);
  }

  // "Chương I" over "NHỮNG QUY ĐỊNH CHUNG": the title in capitals joins the heading.
  bool continuesHeadingTitle(std::string_view text) const {
    return open_->level <= 3 && isUpperCase(text);
  }

  bool markdown_;
  std::optional<std::string> fence_;  // inside a code block: its fence
  std::optional<Block> open_;
  std::vector<Block> blocks_;
};

// ---------------------------------------------------------------------------
// Blocks to paragraphs

std::string blockText(const Block& block, TextFormat format) {
  if (format != TextFormat::Markdown || block.kind == BlockKind::Code) {
    return collapseWhitespace(block.text);
  }
  return collapseWhitespace(stripInlineMarkdown(block.text));
}

int headingLevelOf(const Block& block, std::string_view text) {
  switch (block.kind) {
    case BlockKind::MarkdownHeading:
    case BlockKind::KeywordHeading:
      return block.level;
    case BlockKind::Body:
      return legalHeadingLevel(text);
    case BlockKind::ListItem:  // the author made it a list, not a heading
    case BlockKind::TableRow:
    case BlockKind::Code:
      return 0;
  }
  return 0;
}

// 64-bit FNV-1a: small, fast, no dependency, and the same on every platform.
std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// Gives `paragraph` the first of its text's ids (plain, "-2", "-3" …) not in `used`.
void assignTextId(Paragraph& paragraph, std::unordered_set<std::string>& used) {
  for (unsigned duplicate = 1;; ++duplicate) {
    std::string id = paragraphIdFor(paragraph.text, duplicate);
    if (used.insert(id).second) {
      paragraph.id = std::move(id);
      return;
    }
  }
}

}  // namespace

std::string paragraphIdFor(std::string_view text, unsigned duplicate) {
  static constexpr std::string_view kHexDigits = "0123456789abcdef";
  const std::uint64_t hash = fnv1a64(text);
  std::string id = "p";
  for (int shift = 60; shift >= 24; shift -= 4) {  // the first 10 of its 16 hex digits
    id += kHexDigits[(hash >> shift) & 0xF];
  }
  if (duplicate >= 2) {
    id += '-';
    id += std::to_string(duplicate);
  }
  return id;
}

std::vector<Paragraph> splitParagraphs(std::string_view text, TextFormat format) {
  std::vector<Paragraph> paragraphs;
  std::string section;
  for (const Block& block : BlockReader(format).read(splitLines(text, format))) {
    std::string collapsed = blockText(block, format);
    if (collapsed.empty()) {
      continue;
    }
    Paragraph paragraph;
    paragraph.number = static_cast<std::uint32_t>(paragraphs.size() + 1);
    paragraph.headingLevel = headingLevelOf(block, collapsed);
    paragraph.page = block.page;
    paragraph.text = std::move(collapsed);
    if (paragraph.headingLevel > 0) {
      section = paragraph.text;
    }
    paragraph.section = section;
    paragraphs.push_back(std::move(paragraph));
  }
  std::unordered_set<std::string> used;
  for (Paragraph& paragraph : paragraphs) {
    assignTextId(paragraph, used);
  }
  return paragraphs;
}

void inheritIds(const std::vector<Paragraph>& previous, std::vector<Paragraph>& current) {
  std::vector<bool> inherited(current.size(), false);
  std::unordered_set<std::string> used;
  for (const ParagraphChange& change : diffParagraphs(previous, current).changes) {
    const bool paired = change.kind == ParagraphChangeKind::Unchanged || change.kind == ParagraphChangeKind::Changed;
    // A previous version with duplicate ids (not made by this code) must not spread them.
    if (paired && used.insert(previous[*change.older].id).second) {
      current[*change.newer].id = previous[*change.older].id;
      inherited[*change.newer] = true;
    }
  }
  for (std::size_t i = 0; i < current.size(); ++i) {
    if (!inherited[i]) {
      assignTextId(current[i], used);
    }
  }
}

}  // namespace daihoi::documents
