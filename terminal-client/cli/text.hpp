#pragma once
// Terminal text: display width of UTF-8 (Vietnamese letters, combining marks, CJK),
// aligned tables, and case-insensitive matching of Vietnamese names.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::cli {

// Columns the text occupies in a terminal: combining marks take 0, East Asian wide
// characters 2, everything else 1. Invalid UTF-8 bytes count 1 each (shown as U+FFFD).
std::size_t displayWidth(std::string_view utf8);

// Text from the server made safe to print: control characters (which could move the
// cursor or recolour the terminal) and invalid UTF-8 become U+FFFD; tabs become spaces.
std::string terminalSafe(std::string_view text);

// Lower-cases ASCII and the Latin letters Vietnamese uses (À→à, Đ→đ, Ư→ư, Ệ→ệ, ...),
// leaving everything else as it is.
std::string foldCase(std::string_view utf8);

std::string padRight(std::string_view text, std::size_t width);  // by display width
std::string padLeft(std::string_view text, std::size_t width);

enum class Align { Left, Right };

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers, std::vector<Align> alignment = {});
  // Missing cells are empty; extra cells are an error of the caller and are dropped.
  void addRow(std::vector<std::string> cells);
  std::size_t rowCount() const { return rows_.size(); }
  // Header, a rule of '─', then the rows; columns separated by two spaces, no trailing spaces.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> alignment_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace daihoi::cli
