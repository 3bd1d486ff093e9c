#include <doctest/doctest.h>

#include <string>

#include "domain/csv.hpp"

using namespace daihoi::domain;
using Fields = std::vector<std::string>;

namespace {
std::vector<CsvRecord> parseOk(std::string_view text) {
  auto result = parseCsv(text);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? std::string() : result.error().message));
  return std::move(result).value();
}

std::string parseError(std::string_view text) {
  auto result = parseCsv(text);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == "invalid_csv");
  return result.error().message;
}
}  // namespace

TEST_CASE("plain records with line numbers") {
  const auto records = parseOk("code,full_name\nHN-001,Nguyễn Văn An\nHN-002,Trần Thị Bích\n");
  REQUIRE(records.size() == 3);
  CHECK(records[0] == CsvRecord{1, {"code", "full_name"}});
  CHECK(records[1] == CsvRecord{2, {"HN-001", "Nguyễn Văn An"}});
  CHECK(records[2] == CsvRecord{3, {"HN-002", "Trần Thị Bích"}});
}

TEST_CASE("a UTF-8 byte order mark is removed") {
  const auto records = parseOk("\xEF\xBB\xBF" "code,seat\r\nA,B\r\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"code", "seat"});
  CHECK(records[0].line == 1);
}

TEST_CASE("CRLF, LF and CR line ends; no final line end") {
  const auto records = parseOk("a,b\r\nc,d\ne,f\rg,h");
  REQUIRE(records.size() == 4);
  CHECK(records[1] == CsvRecord{2, {"c", "d"}});
  CHECK(records[2] == CsvRecord{3, {"e", "f"}});
  CHECK(records[3] == CsvRecord{4, {"g", "h"}});
}

TEST_CASE("blank lines are skipped but still counted") {
  const auto records = parseOk("\n\r\na\n\n\nb\r\n\r\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0] == CsvRecord{3, {"a"}});
  CHECK(records[1] == CsvRecord{6, {"b"}});
  CHECK(parseOk("").empty());
  CHECK(parseOk("\xEF\xBB\xBF").empty());
  CHECK(parseOk("\r\n\n").empty());
}

TEST_CASE("empty fields, including a trailing comma") {
  const auto records = parseOk("a,,c,\n,\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"a", "", "c", ""});
  CHECK(records[1].fields == Fields{"", ""});
}

TEST_CASE("quoted fields hold commas, doubled quotes and line breaks") {
  const auto records = parseOk(
      "\"Đoàn Hà Nội, khối 1\",\"Ông \"\"Ba\"\"\",\"\"\n"
      "\"dòng 1\ndòng 2\",x\n"
      "\"crlf\r\ninside\",\"\"\"\"\n"
      "last,\"q\"");
  REQUIRE(records.size() == 4);
  CHECK(records[0] == CsvRecord{1, {"Đoàn Hà Nội, khối 1", "Ông \"Ba\"", ""}});
  CHECK(records[1] == CsvRecord{2, {"dòng 1\ndòng 2", "x"}});
  CHECK(records[2] == CsvRecord{4, {"crlf\r\ninside", "\""}});
  CHECK(records[3] == CsvRecord{6, {"last", "q"}});
}

TEST_CASE("an unterminated quote names the line where it opened") {
  CHECK(parseError("a,b\nc,\"open\nmore\nstill more\n") == "line 2: unterminated quoted field");
  CHECK(parseError("\"") == "line 1: unterminated quoted field");
}

TEST_CASE("a quote inside an unquoted field is an error on its line") {
  const std::string message = parseError("a,b\n\nab\"c,d\n");
  CHECK(message.rfind("line 3: quote inside an unquoted field", 0) == 0);
  CHECK(parseError("x,  \"y\"\n").rfind("line 1: quote inside an unquoted field", 0) == 0);
}

TEST_CASE("text after a closing quote is an error on its line") {
  CHECK(parseError("a\n\"ok\"x,b\n") == "line 2: unexpected text after a closing quote");
  // The quoted field spans lines 2-3; the stray text is on line 3.
  CHECK(parseError("a\n\"one\ntwo\" ,b\n") == "line 3: unexpected text after a closing quote");
}

TEST_CASE("invalid UTF-8 is rejected with its line") {
  CHECK(parseError("ok\n\x80\n") == "line 2: invalid UTF-8 at byte 1 of the line");
  CHECK(parseError("ok\nab\xFF") == "line 2: invalid UTF-8 at byte 3 of the line");
  // Overlong encodings of '/' and of U+0000.
  CHECK(parseError("\xC0\xAF") == "line 1: invalid UTF-8 at byte 1 of the line");
  CHECK(parseError("\xE0\x80\xAF").rfind("line 1: invalid UTF-8", 0) == 0);
  CHECK(parseError("\xF0\x80\x80\xAF").rfind("line 1: invalid UTF-8", 0) == 0);
  CHECK(parseError("\xC1\xBF").rfind("line 1: invalid UTF-8", 0) == 0);
  // A UTF-16 surrogate (U+D800) and a code point above U+10FFFF.
  CHECK(parseError("a\n\"x\n\xED\xA0\x80\"").rfind("line 3: invalid UTF-8", 0) == 0);
  CHECK(parseError("\xF4\x90\x80\x80").rfind("line 1: invalid UTF-8", 0) == 0);
  CHECK(parseError("\xF5\x80\x80\x80").rfind("line 1: invalid UTF-8", 0) == 0);
  // Sequences cut short by the end of the text or by a line end.
  CHECK(parseError("a\n\xE1\x80").rfind("line 2: invalid UTF-8", 0) == 0);
  CHECK(parseError("\xE1\x80\nb").rfind("line 1: invalid UTF-8", 0) == 0);
}

TEST_CASE("valid UTF-8 at the edges of the ranges is accepted") {
  const std::string text =
      "\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,\xEF\xBF\xBF,\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF,"
      "Tiếng Việt 🇻🇳";
  const auto records = parseOk(text);
  REQUIRE(records.size() == 1);
  REQUIRE(records[0].fields.size() == 9);
  CHECK(records[0].fields[8] == "Tiếng Việt 🇻🇳");
}

TEST_CASE("scanning keeps going after errors and drops only the bad records") {
  const CsvScan scan = scanCsv("h1,h2\nok,1\nbad\"x,2\nfine,3\n\"a\"b,4\nab\xC3\n\"multi\nline\xFF\",5\nend,6\n");
  CHECK(scan.errors == std::vector<CsvSyntaxError>{
                           {3, "quote inside an unquoted field (quote the whole field and double inner quotes)"},
                           {5, "unexpected text after a closing quote"},
                           {6, "invalid UTF-8 at byte 3 of the line"},
                           {8, "invalid UTF-8 at byte 5 of the line"},
                       });
  REQUIRE(scan.records.size() == 4);
  CHECK(scan.records[0] == CsvRecord{1, {"h1", "h2"}});
  CHECK(scan.records[1] == CsvRecord{2, {"ok", "1"}});
  CHECK(scan.records[2] == CsvRecord{4, {"fine", "3"}});
  CHECK(scan.records[3] == CsvRecord{9, {"end", "6"}});
}
