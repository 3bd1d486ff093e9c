#include "domain/csv.hpp"

#include <algorithm>

namespace daihoi::domain {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Length of the valid UTF-8 sequence starting at `pos`, or 0 when invalid
// (Unicode 15, table 3-7: rules out overlongs, surrogates and > U+10FFFF).
std::size_t validSequenceLength(std::string_view text, std::size_t pos) {
  auto byteAt = [&](std::size_t i) -> unsigned { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0x100; };
  const unsigned lead = byteAt(pos);
  auto continuation = [&](std::size_t i, unsigned low = 0x80, unsigned high = 0xBF) {
    const unsigned b = byteAt(i);
    return b >= low && b <= high;
  };
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return continuation(pos + 1) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;   // E0 80..9F would be overlong
    const unsigned high = lead == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    return continuation(pos + 1, low, high) && continuation(pos + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned low = lead == 0xF0 ? 0x90 : 0x80;   // F0 80..8F would be overlong
    const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;  // F4 90.. would exceed U+10FFFF
    return continuation(pos + 1, low, high) && continuation(pos + 2) && continuation(pos + 3) ? 4 : 0;
  }
  return 0;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      text_.remove_prefix(kUtf8Bom.size());
    }
  }

  CsvScan run() {
    const std::vector<std::uint32_t> badUtf8Lines = checkUtf8();
    while (pos_ < text_.size()) {
      if (atLineBreak()) {
        consumeLineBreak();  // an empty line
        continue;
      }
      readRecord(badUtf8Lines);
    }
    std::stable_sort(scan_.errors.begin(), scan_.errors.end(),
                     [](const CsvSyntaxError& a, const CsvSyntaxError& b) { return a.line < b.line; });
    return std::move(scan_);
  }

 private:
  // One error per physical line that holds invalid UTF-8; returns those lines.
  std::vector<std::uint32_t> checkUtf8() {
    std::vector<std::uint32_t> lines;
    std::uint32_t line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < text_.size();) {
      const char c = text_[i];
      if (c == '\n' || c == '\r') {
        i += (c == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ? 2 : 1;
        ++line;
        lineStart = i;
        continue;
      }
      const std::size_t length = validSequenceLength(text_, i);
      if (length == 0) {
        if (lines.empty() || lines.back() != line) {
          lines.push_back(line);
          error(line, "invalid UTF-8 at byte " + std::to_string(i - lineStart + 1) + " of the line");
        }
        ++i;
        continue;
      }
      i += length;
    }
    return lines;
  }

  bool atLineBreak() const { return pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }

  void consumeLineBreak() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
      ++pos_;
    }
    ++pos_;
    ++line_;
  }

  void skipRestOfLine() {
    while (pos_ < text_.size() && !atLineBreak()) {
      ++pos_;
    }
    if (pos_ < text_.size()) {
      consumeLineBreak();
    }
  }

  void error(std::uint32_t line, std::string reason) { scan_.errors.push_back({line, std::move(reason)}); }

  void readRecord(const std::vector<std::uint32_t>& badUtf8Lines) {
    CsvRecord record;
    record.line = line_;
    bool broken = false;
    while (true) {
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (!readQuotedField(field)) {
          return;  // unterminated: the rest of the text is inside the quote
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !atLineBreak()) {
          error(line_, "unexpected text after a closing quote");
          broken = true;
        }
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && !atLineBreak()) {
          if (text_[pos_] == '"') {
            error(line_, "quote inside an unquoted field (quote the whole field and double inner quotes)");
            broken = true;
            break;
          }
          field.push_back(text_[pos_++]);
        }
      }
      if (broken) {
        skipRestOfLine();
        return;
      }
      record.fields.push_back(std::move(field));
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      break;
    }
    const std::uint32_t lastLine = line_;
    if (pos_ < text_.size()) {
      consumeLineBreak();
    }
    // badUtf8Lines is ascending: the first bad line at or after the start decides.
    auto firstBad = std::lower_bound(badUtf8Lines.begin(), badUtf8Lines.end(), record.line);
    const bool touchesBadUtf8 = firstBad != badUtf8Lines.end() && *firstBad <= lastLine;
    if (!touchesBadUtf8) {
      scan_.records.push_back(std::move(record));
    }
  }

  // At an opening quote. Returns false (and reports) when the text ends first.
  bool readQuotedField(std::string& field) {
    const std::uint32_t openedOn = line_;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        return true;
      }
      if (c == '\n' || c == '\r') {
        const std::size_t start = pos_;
        consumeLineBreak();
        field.append(text_.substr(start, pos_ - start));  // line breaks are kept as written
        continue;
      }
      field.push_back(c);
      ++pos_;
    }
    error(openedOn, "unterminated quoted field");
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  CsvScan scan_;
};

}  // namespace

CsvScan scanCsv(std::string_view text) { return Scanner(text).run(); }

Result<std::vector<CsvRecord>> parseCsv(std::string_view text) {
  CsvScan scan = scanCsv(text);
  if (!scan.errors.empty()) {
    const CsvSyntaxError& first = scan.errors.front();
    return fail("invalid_csv", "line " + std::to_string(first.line) + ": " + first.reason);
  }
  return std::move(scan.records);
}

}  // namespace daihoi::domain
