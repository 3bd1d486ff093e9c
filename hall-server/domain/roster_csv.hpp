#pragma once
// Importing the roster from a spreadsheet export (CSV, UTF-8).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/model.hpp"

namespace daihoi::domain {

struct CsvProblem {
  std::uint32_t line = 0;  // 1-based physical line in the file
  std::string reason;      // English, short, e.g. "duplicate code 'HN-001' (first on line 3)"
  bool operator==(const CsvProblem&) const = default;
};

// Columns (header row required, names case-insensitive, any order):
//   required: code, full_name, delegation, seat
//   optional: row, column (1-based hall position, given together),
//             voting (yes/no, true/false, 1/0, có/không; default yes),
//             photos (file names separated by ';').
// Values are trimmed; rows whose cells are all empty are skipped.
// Delegations get ids 1..n in order of first appearance, delegates 1..n in
// file order. Returns the roster only when the whole file is good; otherwise
// every problem found, ordered by line.
std::variant<Roster, std::vector<CsvProblem>> importRosterCsv(std::string_view text);

}  // namespace daihoi::domain
