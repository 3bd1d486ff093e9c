#include <doctest/doctest.h>

#include "kiosk/statistics.hpp"

using namespace daihoi::kiosk;
namespace v1 = daihoi::v1;

namespace {
v1::FaceFrameReply reply(std::uint64_t frame, v1::FaceStatus status, std::uint32_t analysisMs = 50,
                         const std::string& code = "") {
  v1::FaceFrameReply r;
  r.set_frame_id(frame);
  r.set_status(status);
  r.set_analysis_ms(analysisMs);
  if (!code.empty()) {
    r.mutable_delegate()->set_code(code);
    r.mutable_delegate()->set_full_name("Nguyễn Văn An");
    r.mutable_delegate()->mutable_seat()->set_label("A-12");
    r.set_delegation("Đoàn Hà Nội");
    r.set_distance(0.41f);
  }
  return r;
}
}  // namespace

TEST_CASE("nearest-rank percentiles") {
  CHECK_FALSE(percentile({}, 50));
  CHECK(percentile({7}, 50) == 7);
  CHECK(percentile({7}, 95) == 7);
  CHECK(percentile({4, 1, 3, 2}, 50) == 2);   // the lower median
  CHECK(percentile({5, 1, 4, 2, 3}, 50) == 3);
  std::vector<double> hundred;
  for (int i = 100; i >= 1; --i) hundred.push_back(i);
  CHECK(percentile(hundred, 95) == 95);
  CHECK(percentile(hundred, 100) == 100);
  CHECK(percentile(hundred, 0) == 1);
  CHECK(percentile(hundred, 99.5) == 100);
  std::vector<double> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(i * 10);
  CHECK(percentile(twenty, 95) == 190);
}

TEST_CASE("status names for scripts") {
  CHECK(statusName(v1::FACE_STATUS_CHECKED_IN) == "checked_in");
  CHECK(statusName(v1::FACE_STATUS_NOT_LIVE) == "not_live");
  CHECK(statusName(v1::FACE_STATUS_TURN_LEFT) == "turn_left");
  CHECK(statusName(static_cast<v1::FaceStatus>(99)) == "status_99");
}

TEST_CASE("the summary counts frames, replies by status, errors and check-ins") {
  KioskStats stats;
  for (int i = 0; i < 10; ++i) stats.captured();
  for (int i = 0; i < 8; ++i) stats.sent();
  stats.dropped(2);
  stats.reply(reply(1, v1::FACE_STATUS_NO_FACE, 20), 30);
  stats.reply(reply(2, v1::FACE_STATUS_COLLECTING, 80), 100);
  stats.reply(reply(3, v1::FACE_STATUS_DROPPED, 0), 5);  // not an analysed frame
  stats.reply(reply(4, v1::FACE_STATUS_CHECKED_IN, 90, "HN-001"), 120);
  stats.reply(reply(5, v1::FACE_STATUS_CHECKED_IN, 70, "HN-001"), 110);  // the hall repeats the answer
  stats.reply(reply(6, v1::FACE_STATUS_CHECKED_IN, 60, "HN-002"), 400);
  stats.error("ERROR_TIMEOUT");
  stats.error("ERROR_TIMEOUT");
  stats.reset();
  stats.elapsed(12.5);
  const Summary s = stats.summary();
  CHECK(s.captured == 10);
  CHECK(s.sent == 8);
  CHECK(s.dropped == 2);
  CHECK(s.replies == 6);
  CHECK(s.serverDropped == 1);
  CHECK(s.errors == 2);
  CHECK(s.errorsByCode.at("ERROR_TIMEOUT") == 2);
  CHECK(s.resets == 1);
  CHECK(s.byStatus.at("checked_in") == 3);
  CHECK(s.byStatus.at("dropped") == 1);
  CHECK(s.byStatus.at("no_face") == 1);
  REQUIRE(s.checkedIn.size() == 2);
  CHECK(s.checkedIn[0].code == "HN-001");
  CHECK(s.checkedIn[0].replies == 2);
  CHECK(s.checkedIn[0].firstFrameId == 4);
  CHECK(s.checkedIn[0].seat == "A-12");
  CHECK(s.checkedIn[1].code == "HN-002");
  // Round trips of the 5 analysed frames: 30 100 110 120 400.
  CHECK(s.roundTripSamples == 5);
  CHECK(s.roundTripMedianMs == 110);
  CHECK(s.roundTripP95Ms == 400);
  CHECK(s.roundTripMaxMs == 400);
  CHECK(s.analysisMedianMs == 70);

  const std::string text = summaryText(s);
  CHECK(text.find("10 captured, 8 sent, 2 dropped") != std::string::npos);
  CHECK(text.find("checked_in 3") != std::string::npos);
  CHECK(text.find("median 110 ms, p95 400 ms") != std::string::npos);
  CHECK(text.find("HN-001  Nguyễn Văn An, ghế/seat A-12, Đoàn Hà Nội") != std::string::npos);
  CHECK(text.find("ERROR_TIMEOUT 2") != std::string::npos);

  const std::string json = summaryJson(s);
  CHECK(json.rfind("{\"summary\":{", 0) == 0);
  CHECK(json.find("\"captured\":10,\"sent\":8,\"dropped\":2") != std::string::npos);
  CHECK(json.find("\"by_status\":{\"checked_in\":3,\"collecting\":1,\"dropped\":1,\"no_face\":1}") != std::string::npos);
  CHECK(json.find("{\"code\":\"HN-001\",\"name\":\"Nguyễn Văn An\",\"seat\":\"A-12\"") != std::string::npos);
  CHECK(json.find("\"round_trip_ms\":{\"samples\":5,\"median\":110,\"p95\":400,\"max\":400}") != std::string::npos);
  CHECK(json.find("\"errors_by_code\":{\"ERROR_TIMEOUT\":2}") != std::string::npos);
}

TEST_CASE("an empty run has no times") {
  const Summary s = KioskStats().summary();
  CHECK_FALSE(s.roundTripMedianMs);
  CHECK(summaryJson(s).find("\"median\":null") != std::string::npos);
  CHECK(summaryText(s).find("checked in / đã điểm danh: 0") != std::string::npos);
}

TEST_CASE("numbers without trailing zeros") {
  CHECK(formatNumber(12.0) == "12");
  CHECK(formatNumber(12.34, 1) == "12.3");
  CHECK(formatNumber(0.4049, 3) == "0.405");
  CHECK(formatNumber(-0.01, 1) == "0");
  CHECK(formatNumber(1.0 / 0.0) == "0");
}
