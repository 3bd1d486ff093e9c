// Arguments of the Face ID, roll call, sitting and attendance-log commands.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include <cstdlib>
#include <ctime>

#include "cli/arguments.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;

namespace {

constexpr std::int64_t kDec2Utc = 1'764'633'600'000;  // 2025-12-02T00:00:00Z

}  // namespace

TEST_CASE("enroll takes a folder and --replace") {
  auto plain = parsedOk({"enroll", "anh-dai-bieu"});
  CHECK(plain.command == "enroll");
  CHECK(plain.arguments == std::vector<std::string>{"anh-dai-bieu"});
  CHECK_FALSE(plain.replace);
  CHECK(parsedOk({"enroll", "--replace", "anh"}).replace);
  CHECK(usageMessage({"enroll"}).find("enroll DIR") != std::string::npos);
  CHECK(usageMessage({"enroll", "a", "b"}).find("enroll DIR") != std::string::npos);
  CHECK(usageMessage({"faces", "--replace"}).find("does not apply to faces") != std::string::npos);
  CHECK(usageMessage({"enroll", "a", "--replace=yes"}).find("takes no value") != std::string::npos);
}

TEST_CASE("faces, roll-call and face-thumbnail") {
  CHECK(parsedOk({"faces"}).command == "faces");
  CHECK(usageMessage({"faces", "x"}).find("takes no arguments") != std::string::npos);

  auto rollCall = parsedOk({"roll-call", "--note", "Đầu phiên chiều"});
  CHECK(rollCall.command == "roll-call");
  CHECK(rollCall.note == "Đầu phiên chiều");
  CHECK_FALSE(parsedOk({"roll-call"}).note.has_value());
  CHECK(usageMessage({"roll-call", "--note", " "}).find("--note") != std::string::npos);
  CHECK(usageMessage({"whoami", "--note", "x"}).find("does not apply") != std::string::npos);

  auto thumbnail = parsedOk({"face-thumbnail", "42", "--out", "mat.jpg"});
  CHECK(thumbnail.attendanceId == 42u);
  CHECK(thumbnail.outFile == "mat.jpg");
  CHECK_FALSE(thumbnail.attempt);
  auto attempt = parsedOk({"face-thumbnail", "97", "--attempt", "--out", "lan-that-bai.jpg"});
  CHECK(attempt.attempt);
  CHECK(attempt.attendanceId == 97u);
  CHECK(usageMessage({"face-thumbnail", "42"}).find("--out") != std::string::npos);
  CHECK(usageMessage({"face-thumbnail", "abc", "--out", "x.jpg"}).find("face check-in") != std::string::npos);
  CHECK(usageMessage({"face-thumbnail", "0", "--out", "x.jpg"}).find("face check-in") != std::string::npos);
}

TEST_CASE("sitting start joins the title's words; sitting end takes none") {
  auto quoted = parsedOk({"sitting", "start", "Phiên thứ nhất — sáng 02/12"});
  CHECK(quoted.command == "sitting start");
  CHECK(quoted.sittingTitle == "Phiên thứ nhất — sáng 02/12");
  CHECK(parsedOk({"sitting", "start", "Phiên", "thứ", "hai"}).sittingTitle == "Phiên thứ hai");
  CHECK(parsedOk({"sitting", "end"}).command == "sitting end");
  CHECK(usageMessage({"sitting"}).find("start TITLE or end") != std::string::npos);
  CHECK(usageMessage({"sitting", "pause"}).find("unknown sitting subcommand") != std::string::npos);
  CHECK(usageMessage({"sitting", "start"}).find("sitting start TITLE") != std::string::npos);
  CHECK(usageMessage({"sitting", "start", "  "}).find("TITLE") != std::string::npos);
  CHECK(usageMessage({"sitting", "end", "now"}).find("takes no arguments") != std::string::npos);
}

TEST_CASE("attendance-log filters: --delegate is a filter here, not a credential") {
  VenueTimeZone zone;
  auto log = parsedOk({"--user", "secretary", "--password", "p", "attendance-log", "--delegate", "HN-001",
                       "--sitting", "2", "--from", "2025-12-02", "--to", "2025-12-02", "--csv", "nhat-ky.csv"});
  CHECK(log.command == "attendance-log");
  CHECK(log.logDelegate == "HN-001");
  CHECK_FALSE(log.delegateCode.has_value());  // so the staff credential stays the only one
  CHECK(log.sittingId == 2u);
  CHECK(log.fromMs == kDec2Utc - 7 * 3600'000);                 // 00:00 in Hà Nội
  CHECK(log.toMs == kDec2Utc - 7 * 3600'000 + 24 * 3600'000);   // the whole day: up to the next midnight
  CHECK(log.csvFile == "nhat-ky.csv");
  auto credential = resolveCredential(log);
  REQUIRE(std::holds_alternative<daihoi::client::Credential>(credential));

  auto none = parsedOk({"attendance-log"});
  CHECK_FALSE(none.logDelegate.has_value());
  CHECK_FALSE(none.sittingId.has_value());
  CHECK_FALSE(none.fromMs.has_value());

  CHECK(usageMessage({"attendance-log", "--delegate", "HN-001", "--pin", "1234"}).find("--pin does not apply") !=
        std::string::npos);
  CHECK(usageMessage({"attendance-log", "--sitting", "0"}).find("--sitting") != std::string::npos);
  CHECK(usageMessage({"attendance-log", "--from", "02/12/2025"}).find("--from needs a date") != std::string::npos);
  CHECK(usageMessage({"attendance-log", "--from", "2025-12-02T10:00", "--to", "2025-12-02T09:00"})
            .find("--to must be later") != std::string::npos);
  CHECK(usageMessage({"roster", "--csv", "x.csv"}).find("does not apply") != std::string::npos);
  CHECK(usageMessage({"attendance-log", "HN-001"}).find("takes no arguments") != std::string::npos);
}

TEST_CASE("ISO times: dates, times, fractions and offsets; local time without an offset") {
  VenueTimeZone zone;
  CHECK(parseIsoTime("2025-12-02T00:00:00Z", false) == kDec2Utc);
  CHECK(parseIsoTime("2025-12-02T07:00:00+07:00", false) == kDec2Utc);
  CHECK(parseIsoTime("2025-12-02T07:00+0700", false) == kDec2Utc);
  CHECK(parseIsoTime("2025-12-01T23:00:00-01:00", false) == kDec2Utc);
  CHECK(parseIsoTime("2025-12-02 08:30:15.25Z", false) == kDec2Utc + (8 * 3600 + 30 * 60 + 15) * 1000 + 250);
  CHECK(parseIsoTime("2025-12-02T07:00", false) == kDec2Utc);  // local: UTC+7
  CHECK(parseIsoTime("2025-12-02", false) == kDec2Utc - 7 * 3600'000);
  CHECK(parseIsoTime("2025-12-31", true) == parseIsoTime("2026-01-01", false));  // across the year
  CHECK(parseIsoTime("2024-02-29", false).has_value());                          // leap day
  CHECK(parseIsoTime("2025-12-02T07:00", true) == kDec2Utc);  // a time is exact even for --to

  for (const char* bad : {"", "2025", "2025-13-01", "2025-02-29", "2025-12-32", "2025-12-02T24:00", "2025-12-02T10",
                          "2025-12-02T10:60", "2025-12-02Z", "2025-12-02T10:00+7", "2025-12-02T10:00:00.", "25-12-02",
                          "2025-12-02T10:00 ", "1969-12-31"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseIsoTime(bad, false).has_value());
  }
}

TEST_CASE("the usage text lists the new commands in Vietnamese and English") {
  const std::string usage = usageText();
  for (const char* expected : {"enroll DIR [--replace]", "faces", "roll-call [--note TEXT]", "sitting start TITLE",
                               "sitting end", "attendance-log [--delegate CODE]", "face-thumbnail ID --out FILE",
                               "điểm danh chính thức", "an official, recorded roll call", "7 face work unavailable",
                               "8 enroll: no photo could be enrolled"}) {
    CAPTURE(expected);
    CHECK(usage.find(expected) != std::string::npos);
  }
}
