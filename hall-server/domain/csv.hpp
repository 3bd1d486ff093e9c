#pragma once
// RFC 4180 CSV reading for roster files exported from spreadsheets.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace daihoi::domain {

struct CsvRecord {
  std::uint32_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
  bool operator==(const CsvRecord&) const = default;
};

struct CsvSyntaxError {
  std::uint32_t line = 0;
  std::string reason;  // English, without the line number
  bool operator==(const CsvSyntaxError&) const = default;
};

// Everything a scan found: the well-formed records and every syntax error.
// A record touched by an error is left out; scanning resumes on the next line.
struct CsvScan {
  std::vector<CsvRecord> records;
  std::vector<CsvSyntaxError> errors;  // ordered by line
};

// Accepts UTF-8 with or without a BOM, LF, CRLF or CR line ends, quoted fields
// with "" escapes and embedded commas and line breaks. Empty lines are skipped.
// Errors: unterminated quote, a quote inside an unquoted field, text after a
// closing quote, invalid UTF-8 (overlong forms, surrogates, > U+10FFFF).
CsvScan scanCsv(std::string_view text);

// The strict form: the records, or a Failure{"invalid_csv", "line N: reason"}
// for the first error.
Result<std::vector<CsvRecord>> parseCsv(std::string_view text);

}  // namespace daihoi::domain
