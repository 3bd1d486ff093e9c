#include <doctest/doctest.h>

#include <string>

#include "domain/roster_csv.hpp"

using namespace daihoi::domain;
using Problems = std::vector<CsvProblem>;

namespace {
Roster importOk(std::string_view text) {
  auto result = importRosterCsv(text);
  if (auto* problems = std::get_if<Problems>(&result)) {
    for (const CsvProblem& p : *problems) {
      MESSAGE("line " << p.line << ": " << p.reason);
    }
    FAIL("expected a roster");
  }
  return std::get<Roster>(std::move(result));
}

Problems importProblems(std::string_view text) {
  auto result = importRosterCsv(text);
  REQUIRE_MESSAGE(std::holds_alternative<Problems>(result), "expected problems, got a roster");
  return std::get<Problems>(std::move(result));
}

const std::string kHeader = "code,full_name,delegation,seat\n";
}  // namespace

TEST_CASE("a good Vietnamese roster file") {
  const Roster roster = importOk(
      "\xEF\xBB\xBF"
      "Seat,Code,Full_Name,Delegation,Row,Column,Voting,Photos\r\n"
      "A-01,HN-001,  Nguyễn   Văn An ,Đoàn Hà Nội,1,1,có,an-1.jpg; an-2.jpg\r\n"
      "A-02,HN-002,Trần Thị Bích,Đoàn Hà Nội,1,2,,\r\n"
      "\r\n"
      "B-01,HCM-001,\"Lê Hoàng Cường\",Đoàn Thành phố Hồ Chí Minh,2,1,Không,\r\n"
      "B-02,HCM-002,Phạm Thị Dung,Đoàn Thành phố Hồ Chí Minh,2,2,CÓ,dung.png;\r\n"
      "C-01,QD-001,Võ Quốc Hưng,\"Đoàn Quân đội\",3,1,yes,\r\n"
      "C-02,QD-002,Đặng Minh Khôi,Đoàn Quân đội,3,2,0,\r\n"
      ",,,,,,,\r\n");
  REQUIRE(roster.delegations().size() == 3);
  CHECK(roster.delegations()[0] == Delegation{1, "Đoàn Hà Nội"});
  CHECK(roster.delegations()[1] == Delegation{2, "Đoàn Thành phố Hồ Chí Minh"});
  CHECK(roster.delegations()[2] == Delegation{3, "Đoàn Quân đội"});
  REQUIRE(roster.delegates().size() == 6);
  const Delegate& first = roster.delegates()[0];
  CHECK(first.id == 1);
  CHECK(first.code == "HN-001");
  CHECK(first.fullName == "Nguyễn Văn An");
  CHECK(first.delegationId == 1);
  CHECK(first.seat == Seat{"A-01", 1, 1});
  CHECK(first.voting);
  CHECK(first.photoFiles == std::vector<std::string>{"an-1.jpg", "an-2.jpg"});
  CHECK(roster.delegates()[1].voting);  // empty cell: default yes
  CHECK(roster.delegates()[1].photoFiles.empty());
  const Delegate* cuong = roster.findByCode("HCM-001");
  REQUIRE(cuong != nullptr);
  CHECK(cuong->id == 3);
  CHECK(cuong->fullName == "Lê Hoàng Cường");
  CHECK(cuong->delegationId == 2);
  CHECK_FALSE(cuong->voting);
  CHECK(roster.findByCode("HCM-002")->voting);
  CHECK(roster.findByCode("HCM-002")->photoFiles == std::vector<std::string>{"dung.png"});
  CHECK(roster.findByCode("QD-001")->voting);
  CHECK_FALSE(roster.findByCode("QD-002")->voting);
  CHECK(roster.findByCode("QD-002")->seat == Seat{"C-02", 3, 2});
  CHECK(roster.summoned() == 4);
}

TEST_CASE("optional columns may be left out") {
  const Roster roster = importOk(kHeader + "HN-001,Nguyễn Văn An,Đoàn Hà Nội,A-01");
  REQUIRE(roster.delegates().size() == 1);
  CHECK(roster.delegates()[0].seat == Seat{"A-01", 0, 0});
  CHECK(roster.delegates()[0].voting);
}

TEST_CASE("every accepted voting word") {
  std::string text = "code,full_name,delegation,seat,voting\n";
  const std::vector<std::pair<std::string, bool>> words{
      {"yes", true},  {"YES", true},     {"true", true},   {"1", true},     {"có", true},    {"Có", true},
      {"CÓ", true},   {"co", true},      {"no", false},    {"False", false}, {"0", false},  {"không", false},
      {"Không", false}, {"KHÔNG", false}, {"khong", false}, {" yes ", true}};
  for (std::size_t i = 0; i < words.size(); ++i) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
    const std::string n = std::to_string(i);
    text.append("C").append(n).append(",Tên ").append(n).append(",Đoàn,S").append(n).append(",");
    text.append(words[i].first).append("\n");
  }
  const Roster roster = importOk(text);
  REQUIRE(roster.delegates().size() == words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    CAPTURE(words[i].first);
    CHECK(roster.delegates()[i].voting == words[i].second);
  }
}

TEST_CASE("header problems are reported on the header line") {
  CHECK(importProblems("\n\nCODE,full_name,seat,nickname,code\nX,Y,Z,W,V\n") ==
        Problems{{3, "unknown column 'nickname' (known: code, full_name, delegation, seat, row, column, voting, photos)"},
                 {3, "column 'code' appears twice"},
                 {3, "missing required column 'delegation'"}});
  CHECK(importProblems("code,,full_name,delegation,seat\n") == Problems{{1, "column 2 has no name"}});
}

TEST_CASE("empty files and files without delegates") {
  CHECK(importProblems("") ==
        Problems{{1, "the file is empty: a header row is required (code, full_name, delegation, seat, row, column, "
                     "voting, photos)"}});
  CHECK(importProblems("\xEF\xBB\xBF\r\n") == importProblems(""));
  CHECK(importProblems(kHeader + ",,,\n") == Problems{{1, "no delegates: the file has only a header row"}});
}

TEST_CASE("each kind of bad line, with its line number") {
  SUBCASE("wrong field count") {
    CHECK(importProblems(kHeader + "HN-001,An,Đoàn Hà Nội\nHN-002,Bình,Đoàn Hà Nội,A-2,extra\n") ==
          Problems{{2, "expected 4 fields, found 3"}, {3, "expected 4 fields, found 5"}});
  }
  SUBCASE("empty code, name, delegation and seat") {
    CHECK(importProblems(kHeader + " ,An,Đoàn Hà Nội,A-1\nHN-2,  ,Đoàn Hà Nội,A-2\nHN-3,Cúc,,A-3\nHN-4,Dũng,Đoàn,\n") ==
          Problems{{2, "empty code"}, {3, "empty full name"}, {4, "empty delegation"}, {5, "empty seat label"}});
  }
  SUBCASE("duplicate code, also in other letter case") {
    CHECK(importProblems(kHeader + "HN-001,An,Đoàn Hà Nội,A-1\nHN-002,Bình,Đoàn Hà Nội,A-2\n"
                                   "HN-001,Cúc,Đoàn Hà Nội,A-3\nhn-002,Dũng,Đoàn Hà Nội,A-4\n") ==
          Problems{{4, "duplicate code 'HN-001' (first on line 2)"}, {5, "duplicate code 'hn-002' (first on line 3)"}});
  }
  SUBCASE("duplicate seat label") {
    CHECK(importProblems(kHeader + "HN-1,An,Đoàn Hà Nội,A-01\nHN-2,Bình,Đoàn Hà Nội,A-02\nHN-3,Cúc,Đoàn Hà Nội, a-01\n") ==
          Problems{{4, "duplicate seat 'a-01' (first on line 2)"}});
  }
  SUBCASE("bad row and column numbers") {
    const std::string header = "code,full_name,delegation,seat,row,column\n";
    CHECK(importProblems(header + "A,An,Đ,S1,x,1\nB,Bình,Đ,S2,1,0\nC,Cúc,Đ,S3,-1,2\nD,Dũng,Đ,S4,100001,1\n"
                                  "E,Em,Đ,S5,2,\nF,Phúc,Đ,S6,3,3\nG,Giang,Đ,S7,03,3\n") ==
          Problems{{2, "row must be a whole number from 1 to 100000, not 'x'"},
                   {3, "column must be a whole number from 1 to 100000, not '0'"},
                   {4, "row must be a whole number from 1 to 100000, not '-1'"},
                   {5, "row must be a whole number from 1 to 100000, not '100001'"},
                   {6, "row and column must be given together"},
                   {8, "row 3, column 3 is already taken (line 7)"}});
  }
  SUBCASE("bad voting value") {
    CHECK(importProblems("code,full_name,delegation,seat,voting\nA,An,Đ,S1,maybe\n") ==
          Problems{{2, "voting must be yes/no, true/false, 1/0 or có/không, not 'maybe'"}});
  }
  SUBCASE("codes with spaces or control characters") {
    CHECK(importProblems(kHeader + "HN 001,An,Đ,S1\n\"HN\t2\",Bình,Đ,S2\nHN\xC2\xA0" "3,Cúc,Đ,S3\n"
                                   "\"HN\n4\",Dũng,Đ,S4\n") ==
          Problems{{2, "code 'HN 001' contains a space"},
                   {3, "code 'HN\xEF\xBF\xBD" "2' contains a control character"},
                   {4, "code 'HN\xC2\xA0" "3' contains a space"},
                   {5, "code 'HN\xEF\xBF\xBD" "4' contains a control character"}});
  }
  SUBCASE("control characters in names") {
    CHECK(importProblems(kHeader + "A,\"Nguyễn\nVăn An\",Đ,S1\nB,Bình,\"Đoàn\x01\",S2\n") ==
          Problems{{2, "full name 'Nguyễn\xEF\xBF\xBDVăn An' contains a control character"},
                   {4, "delegation 'Đoàn\xEF\xBF\xBD' contains a control character"}});
  }
  SUBCASE("photo names that are paths") {
    CHECK(importProblems("code,full_name,delegation,seat,photos\nA,An,Đ,S1,ok.jpg;../secret;sub/x.jpg;..\n") ==
          Problems{{2, "photo '../secret' must be a plain file name, not a path"},
                   {2, "photo 'sub/x.jpg' must be a plain file name, not a path"},
                   {2, "photo '..' must be a plain file name, not a path"}});
  }
  SUBCASE("CSV syntax errors are problems too") {
    CHECK(importProblems(kHeader + "A,An,Đ,S1\nB,Bình \"Ba\",Đ,S2\nC,Cúc,Đ,S3\n") ==
          Problems{{3, "quote inside an unquoted field (quote the whole field and double inner quotes)"}});
    CHECK(importProblems(kHeader + "A,An,Đ,S1\nB,\xC3\x28,Đ,S2\n") ==
          Problems{{3, "invalid UTF-8 at byte 3 of the line"}});
  }
}

TEST_CASE("all problems of a file are reported together, ordered by line") {
  const Problems problems = importProblems(
      "code,full_name,delegation,seat,voting,extra\n"
      "HN-001,Nguyễn Văn An,Đoàn Hà Nội,A-01,có,\n"
      "HN-001,,Đoàn Hà Nội,A-01,perhaps,\n"
      "\"HN-003,Lê Văn Cường,Đoàn Hà Nội,A-03,có,\n");
  CHECK(problems ==
        Problems{{1, "unknown column 'extra' (known: code, full_name, delegation, seat, row, column, voting, photos)"},
                 {3, "duplicate code 'HN-001' (first on line 2)"},
                 {3, "empty full name"},
                 {3, "duplicate seat 'A-01' (first on line 2)"},
                 {3, "voting must be yes/no, true/false, 1/0 or có/không, not 'perhaps'"},
                 {4, "unterminated quoted field"}});
}

TEST_CASE("one bad line among many good ones: no roster") {
  std::string text = kHeader;
  for (int i = 1; i <= 200; ++i) {
    text += "HN-" + std::to_string(i) + ",Nguyễn Văn " + std::to_string(i) + ",Đoàn Hà Nội,A-" + std::to_string(i) + "\n";
  }
  CHECK(importOk(text).delegates().size() == 200);
  text += "HN-201,Nguyễn Văn Cuối,Đoàn Hà Nội,A-7\n";
  CHECK(importProblems(text) == Problems{{202, "duplicate seat 'A-7' (first on line 8)"}});
}

TEST_CASE("a broken header row stops the import") {
  CHECK(importProblems("code,\"full_name\nHN-001,An,Đ,S1\n") ==
        Problems{{1, "unterminated quoted field"}, {1, "the header row could not be read"}});
}

TEST_CASE("long values are shortened in messages") {
  const std::string longCode = "X" + std::string(60, 'y') + " z";
  const Problems problems = importProblems(kHeader + longCode + ",An,Đ,S1\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].reason == "code 'X" + std::string(39, 'y') + "\xE2\x80\xA6' contains a space");
}
