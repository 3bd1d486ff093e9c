#include "domain/roster_csv.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

#include "domain/csv.hpp"

namespace daihoi::domain {
namespace {

enum class Column { Code, FullName, Delegation, Seat, Row, Col, Voting, Photos };

struct ColumnSpec {
  std::string_view name;
  Column column;
  bool required;
};

constexpr std::array<ColumnSpec, 8> kColumns{{
    {"code", Column::Code, true},
    {"full_name", Column::FullName, true},
    {"delegation", Column::Delegation, true},
    {"seat", Column::Seat, true},
    {"row", Column::Row, false},
    {"column", Column::Col, false},
    {"voting", Column::Voting, false},
    {"photos", Column::Photos, false},
}};

constexpr std::string_view kColumnList = "code, full_name, delegation, seat, row, column, voting, photos";
constexpr std::uint32_t kMaxPosition = 100000;
constexpr std::size_t kMaxQuotedCodePoints = 40;

// Decodes the code point at `pos` (the text is valid UTF-8: the CSV scanner checked it).
char32_t codePointAt(std::string_view text, std::size_t pos, std::size_t& length) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned lead = byte(0);
  if (lead < 0x80) {
    length = 1;
    return lead;
  }
  if (lead < 0xE0) {
    length = 2;
    return ((lead & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
  }
  if (lead < 0xF0) {
    length = 3;
    return ((lead & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
  }
  length = 4;
  return ((lead & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
}

bool isControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Spaces a spreadsheet may hide in a cell, including the invisible ones.
bool isUnicodeSpace(char32_t c) {
  return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool containsControl(std::string_view text) {
  for (std::size_t i = 0, length = 0; i < text.size(); i += length) {
    if (isControl(codePointAt(text, i, length))) {
      return true;
    }
  }
  return false;
}

bool containsSpace(std::string_view text) {
  for (std::size_t i = 0, length = 0; i < text.size(); i += length) {
    if (isUnicodeSpace(codePointAt(text, i, length))) {
      return true;
    }
  }
  return false;
}

// Trims ASCII spaces, tabs and no-break spaces (U+00A0) at both ends.
std::string_view trim(std::string_view text) {
  constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
  while (true) {
    if (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
      text.remove_prefix(1);
    } else if (text.substr(0, 2) == kNoBreakSpace) {
      text.remove_prefix(2);
    } else {
      break;
    }
  }
  while (true) {
    if (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && text.substr(text.size() - 2) == kNoBreakSpace) {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

// Trimmed, with runs of spaces inside collapsed to one ("Nguyễn  Văn" -> "Nguyễn Văn").
std::string normalizeName(std::string_view text) {
  text = trim(text);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') {
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string asciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// A value as it may appear inside a message: control characters shown as
// U+FFFD and long values shortened, so a reason stays one readable line.
std::string quoted(std::string_view value) {
  std::string out = "'";
  std::size_t codePoints = 0;
  for (std::size_t i = 0, length = 0; i < value.size(); i += length) {
    const char32_t c = codePointAt(value, i, length);
    if (++codePoints > kMaxQuotedCodePoints) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    if (isControl(c)) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(value.substr(i, length));
    }
  }
  out += "'";
  return out;
}

std::optional<bool> parseVoting(std::string_view raw) {
  std::string value = asciiLower(trim(raw));
  // The Vietnamese words in capitals: Ó -> ó, Ô -> ô (the rest is ASCII).
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    if (value[i] == '\xC3' && (value[i + 1] == '\x93' || value[i + 1] == '\x94')) {
      value[i + 1] = static_cast<char>(value[i + 1] + 0x20);
    }
  }
  // "co"/"khong": the same words typed without diacritics.
  static const std::unordered_map<std::string, bool> kWords{
      {"", true},     {"yes", true},  {"true", true},   {"1", true},  {"c\xC3\xB3", true},       {"co", true},
      {"no", false},  {"false", false}, {"0", false},   {"kh\xC3\xB4ng", false}, {"khong", false}};
  auto it = kWords.find(value);
  if (it == kWords.end()) {
    return std::nullopt;
  }
  return it->second;
}

// 0 for an empty cell (no position given); nullopt when not a number in range.
std::optional<std::uint32_t> parsePosition(std::string_view raw) {
  const std::string_view value = trim(raw);
  if (value.empty()) {
    return 0;
  }
  std::uint64_t number = 0;
  for (char c : value) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
    if (number > kMaxPosition) {
      return std::nullopt;
    }
  }
  if (number == 0) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(number);
}

class RosterImporter {
 public:
  std::variant<Roster, std::vector<CsvProblem>> run(std::string_view text) {
    CsvScan scan = scanCsv(text);
    for (CsvSyntaxError& error : scan.errors) {
      problems_.push_back({error.line, std::move(error.reason)});
    }
    const bool headerUnreadable =
        !scan.errors.empty() && (scan.records.empty() || scan.errors.front().line < scan.records.front().line);
    if (headerUnreadable) {
      // Whatever follows cannot be read without knowing the columns.
      problems_.push_back({scan.errors.front().line, "the header row could not be read"});
      return finish();
    }
    if (scan.records.empty()) {
      problems_.push_back({1, "the file is empty: a header row is required (" + std::string(kColumnList) + ")"});
      return finish();
    }
    readHeader(scan.records.front());
    for (std::size_t i = 1; i < scan.records.size(); ++i) {
      readDelegate(scan.records[i]);
    }
    if (delegates_.empty() && problems_.empty()) {
      problems_.push_back({scan.records.front().line, "no delegates: the file has only a header row"});
    }
    return finish();
  }

 private:
  std::variant<Roster, std::vector<CsvProblem>> finish() {
    if (!problems_.empty()) {
      std::stable_sort(problems_.begin(), problems_.end(),
                       [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
      return std::move(problems_);
    }
    return Roster(std::move(delegations_), std::move(delegates_));
  }

  void problem(std::uint32_t line, std::string reason) { problems_.push_back({line, std::move(reason)}); }

  void readHeader(const CsvRecord& header) {
    columnCount_ = header.fields.size();
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      const std::string name = asciiLower(trim(header.fields[i]));
      if (name.empty()) {
        problem(header.line, "column " + std::to_string(i + 1) + " has no name");
        continue;
      }
      auto spec = std::find_if(kColumns.begin(), kColumns.end(), [&](const ColumnSpec& s) { return s.name == name; });
      if (spec == kColumns.end()) {
        problem(header.line, "unknown column " + quoted(header.fields[i]) + " (known: " + std::string(kColumnList) + ")");
        continue;
      }
      if (!columnIndex_.emplace(spec->column, i).second) {
        problem(header.line, "column '" + std::string(spec->name) + "' appears twice");
      }
    }
    for (const ColumnSpec& spec : kColumns) {
      if (spec.required && columnIndex_.count(spec.column) == 0) {
        problem(header.line, "missing required column '" + std::string(spec.name) + "'");
      }
    }
  }

  // The cell of `column` in the record, or nullopt when the file has no such column.
  std::optional<std::string_view> cell(const CsvRecord& record, Column column) const {
    auto it = columnIndex_.find(column);
    if (it == columnIndex_.end()) {
      return std::nullopt;
    }
    return std::string_view(record.fields[it->second]);
  }

  void readDelegate(const CsvRecord& record) {
    const bool allEmpty = std::all_of(record.fields.begin(), record.fields.end(),
                                      [](const std::string& field) { return trim(field).empty(); });
    if (allEmpty) {
      return;  // spreadsheets export trailing rows of empty cells
    }
    const std::uint32_t line = record.line;
    if (record.fields.size() != columnCount_) {
      problem(line, "expected " + std::to_string(columnCount_) + " fields, found " +
                        std::to_string(record.fields.size()));
      return;
    }
    Delegate delegate;
    delegate.id = static_cast<std::uint32_t>(delegates_.size() + 1);
    if (auto code = cell(record, Column::Code)) {
      delegate.code = std::string(trim(*code));
      checkCode(line, delegate.code);
    }
    if (auto name = cell(record, Column::FullName)) {
      delegate.fullName = normalizeName(*name);
      checkText(line, delegate.fullName, "full name");
    }
    if (auto delegation = cell(record, Column::Delegation)) {
      const std::string name = normalizeName(*delegation);
      if (checkText(line, name, "delegation")) {
        delegate.delegationId = delegationIdFor(name);
      }
    }
    if (auto seat = cell(record, Column::Seat)) {
      delegate.seat.label = std::string(trim(*seat));
      checkSeat(line, delegate.seat.label);
    }
    readPosition(record, delegate.seat);
    if (auto voting = cell(record, Column::Voting)) {
      if (std::optional<bool> value = parseVoting(*voting)) {
        delegate.voting = *value;
      } else {
        problem(line, "voting must be yes/no, true/false, 1/0 or c\xC3\xB3/kh\xC3\xB4ng, not " + quoted(*voting));
      }
    }
    if (auto photos = cell(record, Column::Photos)) {
      delegate.photoFiles = readPhotos(line, *photos);
    }
    delegates_.push_back(std::move(delegate));
  }

  void checkCode(std::uint32_t line, const std::string& code) {
    if (code.empty()) {
      problem(line, "empty code");
      return;
    }
    if (containsControl(code)) {
      problem(line, "code " + quoted(code) + " contains a control character");
      return;
    }
    if (containsSpace(code)) {
      problem(line, "code " + quoted(code) + " contains a space");
      return;
    }
    // Codes are typed at sign-in: "hn-001" and "HN-001" must not name two people.
    auto [it, inserted] = codeLines_.emplace(asciiLower(code), line);
    if (!inserted) {
      problem(line, "duplicate code " + quoted(code) + " (first on line " + std::to_string(it->second) + ")");
    }
  }

  // Empty or control characters are problems; returns whether the text is usable.
  bool checkText(std::uint32_t line, const std::string& text, std::string_view what) {
    if (text.empty()) {
      problem(line, "empty " + std::string(what));
      return false;
    }
    if (containsControl(text)) {
      problem(line, std::string(what) + " " + quoted(text) + " contains a control character");
      return false;
    }
    return true;
  }

  void checkSeat(std::uint32_t line, const std::string& label) {
    if (!checkText(line, label, "seat label")) {
      return;
    }
    auto [it, inserted] = seatLines_.emplace(asciiLower(label), line);
    if (!inserted) {
      problem(line, "duplicate seat " + quoted(label) + " (first on line " + std::to_string(it->second) + ")");
    }
  }

  void readPosition(const CsvRecord& record, Seat& seat) {
    const std::uint32_t line = record.line;
    bool valid = true;
    auto read = [&](Column column, std::string_view name, std::uint32_t& out) {
      if (auto raw = cell(record, column)) {
        if (std::optional<std::uint32_t> value = parsePosition(*raw)) {
          out = *value;
        } else {
          problem(line, std::string(name) + " must be a whole number from 1 to " + std::to_string(kMaxPosition) +
                            ", not " + quoted(*raw));
          valid = false;
        }
      }
    };
    read(Column::Row, "row", seat.row);
    read(Column::Col, "column", seat.column);
    if (!valid) {
      return;
    }
    if ((seat.row == 0) != (seat.column == 0)) {
      problem(line, "row and column must be given together");
      return;
    }
    if (seat.row == 0) {
      return;
    }
    const std::uint64_t key = (std::uint64_t{seat.row} << 32) | seat.column;
    auto [it, inserted] = positionLines_.emplace(key, line);
    if (!inserted) {
      problem(line, "row " + std::to_string(seat.row) + ", column " + std::to_string(seat.column) +
                        " is already taken (line " + std::to_string(it->second) + ")");
    }
  }

  std::vector<std::string> readPhotos(std::uint32_t line, std::string_view raw) {
    std::vector<std::string> files;
    std::size_t start = 0;
    while (start <= raw.size()) {
      std::size_t end = raw.find(';', start);
      if (end == std::string_view::npos) {
        end = raw.size();
      }
      const std::string name(trim(raw.substr(start, end - start)));
      start = end + 1;
      if (name.empty() || std::find(files.begin(), files.end(), name) != files.end()) {
        continue;
      }
      // Photo names are looked up in one folder: a path could reach outside it.
      const bool plainName = name != "." && name != ".." && name.find_first_of("/\\") == std::string::npos &&
                             !containsControl(name);
      if (!plainName) {
        problem(line, "photo " + quoted(name) + " must be a plain file name, not a path");
        continue;
      }
      files.push_back(name);
    }
    return files;
  }

  std::uint32_t delegationIdFor(const std::string& name) {
    auto [it, inserted] = delegationIds_.emplace(name, static_cast<std::uint32_t>(delegations_.size() + 1));
    if (inserted) {
      delegations_.push_back({it->second, name});
    }
    return it->second;
  }

  std::size_t columnCount_ = 0;
  std::unordered_map<Column, std::size_t> columnIndex_;
  std::unordered_map<std::string, std::uint32_t> codeLines_;  // lower-cased code -> first line
  std::unordered_map<std::string, std::uint32_t> seatLines_;  // lower-cased label -> first line
  std::unordered_map<std::uint64_t, std::uint32_t> positionLines_;
  std::unordered_map<std::string, std::uint32_t> delegationIds_;
  std::vector<Delegation> delegations_;
  std::vector<Delegate> delegates_;
  std::vector<CsvProblem> problems_;
};

}  // namespace

std::variant<Roster, std::vector<CsvProblem>> importRosterCsv(std::string_view text) {
  return RosterImporter().run(text);
}

}  // namespace daihoi::domain
