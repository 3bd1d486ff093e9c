#include <doctest/doctest.h>

#include <sstream>

#include "cli/text.hpp"

using namespace daihoi::cli;

TEST_CASE("display width counts characters, not bytes") {
  CHECK(displayWidth("") == 0);
  CHECK(displayWidth("HN-001") == 6);
  CHECK(displayWidth("Nguyễn") == 6);  // precomposed: 'ễ' is 3 bytes, 1 column
  CHECK(std::string("Nguyễn").size() == 8);
  CHECK(displayWidth("Đoàn Thừa Thiên Huế") == 19);
}

TEST_CASE("combining marks take no column (decomposed Vietnamese)") {
  // "Nguyễn": e + U+0302 (circumflex) + U+0303 (tilde)
  CHECK(displayWidth("Nguye\xcc\x82\xcc\x83n") == 6);
  CHECK(displayWidth("a\u200Bb") == 2);  // zero-width space
}

TEST_CASE("East Asian wide characters take two columns") {
  CHECK(displayWidth("大会") == 4);
  CHECK(displayWidth("ＡＢ") == 4);  // fullwidth Latin
  CHECK(displayWidth("한") == 2);
  CHECK(displayWidth("🎉") == 2);
}

TEST_CASE("invalid bytes count one column each") {
  CHECK(displayWidth("a\xff" "b") == 3);
}

TEST_CASE("padding uses display width") {
  CHECK(padRight("Huế", 5) == "Huế  ");
  CHECK(padLeft("Huế", 5) == "  Huế");
  CHECK(padRight("quá dài", 3) == "quá dài");
}

TEST_CASE("terminalSafe removes escape sequences and control characters") {
  CHECK(terminalSafe("Nguyễn\tVăn") == "Nguyễn Văn");
  CHECK(terminalSafe("\x1b[31mđỏ") == "\xEF\xBF\xBD[31mđỏ");
  CHECK(terminalSafe("a\nb") == "a\xEF\xBF\xBD" "b");
  CHECK(terminalSafe("\xc2\x9b" "x") == "\xEF\xBF\xBDx");  // C1 CSI
  CHECK(terminalSafe("\xff") == "\xEF\xBF\xBD");
}

TEST_CASE("foldCase lower-cases Vietnamese letters") {
  CHECK(foldCase("ĐOÀN HÀ NỘI") == "đoàn hà nội");
  CHECK(foldCase("Thừa Thiên Huế") == "thừa thiên huế");
  CHECK(foldCase("ƯƠ ĂÂÊÔ ỨỪỬỮỰ") == "ươ ăâêô ứừửữự");
  CHECK(foldCase("Đoàn TP. Hồ Chí Minh") == foldCase("đoàn tp. hồ chí minh"));
  CHECK(foldCase("×÷") == "×÷");
}

TEST_CASE("table columns line up by display width") {
  TextTable table({"Mã", "Họ và tên", "Có mặt"}, {Align::Left, Align::Left, Align::Right});
  table.addRow({"HN-001", "Nguyễn Văn An", "1"});
  table.addRow({"HUE-010", "Tôn Nữ Thị Hà", "12"});
  table.addRow({"X", "大会", "3"});
  const std::string rendered = table.render();

  std::istringstream lines(rendered);
  std::string line;
  std::vector<std::string> all;
  while (std::getline(lines, line)) {
    all.push_back(line);
  }
  REQUIRE(all.size() == 5);
  CHECK(all[0] == "Mã       Họ và tên      Có mặt");
  CHECK(all[1] == "───────  ─────────────  ──────");
  CHECK(all[2] == "HN-001   Nguyễn Văn An       1");
  CHECK(all[3] == "HUE-010  Tôn Nữ Thị Hà      12");
  CHECK(all[4] == "X        大会                3");
  for (const auto& l : all) {
    CHECK(displayWidth(l) == displayWidth(all[0]));
  }
}

TEST_CASE("table rows: missing cells are empty, no trailing spaces, text made safe") {
  TextTable table({"A", "B"});
  table.addRow({"x"});
  table.addRow({"y\x1b", "z"});
  CHECK(table.render() == "A   B\n──  ─\nx\ny\xEF\xBF\xBD  z\n");
}
