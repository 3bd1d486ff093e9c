#include <doctest/doctest.h>

#include "kiosk/presentation.hpp"
#include "kiosk/text_fold.hpp"

using namespace daihoi::kiosk;
namespace v1 = daihoi::v1;

namespace {
v1::FaceFrameReply recognised(std::uint64_t frame, v1::FaceStatus status) {
  v1::FaceFrameReply r;
  r.set_frame_id(frame);
  r.set_status(status);
  r.set_prompt(status == v1::FACE_STATUS_CHECKED_IN ? "Xin chào / Welcome" : "Xin chớp mắt / Please blink");
  r.mutable_delegate()->set_code("HN-001");
  r.mutable_delegate()->set_full_name("Nguyễn Thị Ánh Tuyết");
  r.mutable_delegate()->mutable_seat()->set_label("B-12");
  r.set_delegation("Đoàn Hà Nội");
  r.set_distance(0.4123f);
  r.set_frames(5);
  r.set_analysis_ms(81);
  r.mutable_box()->set_x(10);
  r.mutable_box()->set_y(20);
  r.mutable_box()->set_width(120);
  r.mutable_box()->set_height(121);
  r.set_frame_width(640);
  r.set_frame_height(360);
  return r;
}
v1::FaceFrameReply plain(std::uint64_t frame, v1::FaceStatus status) {
  v1::FaceFrameReply r;
  r.set_frame_id(frame);
  r.set_status(status);
  return r;
}
}  // namespace

TEST_CASE("the greeting names the delegate, the seat and the delegation") {
  auto r = recognised(7, v1::FACE_STATUS_CHECKED_IN);
  CHECK(greeting(r) == "Xin chào / Welcome, Nguyễn Thị Ánh Tuyết — ghế/seat B-12, đoàn/delegation Đoàn Hà Nội");
  CHECK(spokenGreeting(r) == "Xin chào Nguyễn Thị Ánh Tuyết. Ghế B-12.");
  r.set_delegation("");
  r.mutable_delegate()->mutable_seat()->set_label("");
  CHECK(greeting(r) == "Xin chào / Welcome, Nguyễn Thị Ánh Tuyết");
  r.set_status(v1::FACE_STATUS_CHECKED_OUT);
  CHECK(greeting(r) == "Tạm biệt / Goodbye, Nguyễn Thị Ánh Tuyết");
  CHECK(spokenGreeting(r) == "Tạm biệt Nguyễn Thị Ánh Tuyết.");
}

TEST_CASE("final statuses") {
  CHECK(isFinalStatus(v1::FACE_STATUS_CHECKED_IN));
  CHECK(isFinalStatus(v1::FACE_STATUS_CHECKED_OUT));
  CHECK(isFinalStatus(v1::FACE_STATUS_UNKNOWN));
  CHECK(isFinalStatus(v1::FACE_STATUS_AMBIGUOUS));
  CHECK(isFinalStatus(v1::FACE_STATUS_NOT_LIVE));
  CHECK(isFinalStatus(v1::FACE_STATUS_MISMATCH));
  CHECK_FALSE(isFinalStatus(v1::FACE_STATUS_BLINK));
  CHECK_FALSE(isFinalStatus(v1::FACE_STATUS_NO_FACE));
  CHECK_FALSE(isFinalStatus(v1::FACE_STATUS_DROPPED));
}

TEST_CASE("a status line for people and one for scripts") {
  StatusReport report{recognised(31, v1::FACE_STATUS_CHECKED_IN), 95.27, 3.21};
  const std::string text = statusLineText(report);
  CHECK(text.rfind("+3.2s frame 31 checked_in: Xin chào / Welcome [HN-001 Nguyễn Thị Ánh Tuyết, ghế/seat B-12, "
                   "Đoàn Hà Nội; distance 0.412; frames 5; analysis 81 ms; round trip 95 ms]\n",
                   0) == 0);
  // The prompt does not name the delegate: the greeting follows on its own line.
  CHECK(text.find("\n    Xin chào / Welcome, Nguyễn Thị Ánh Tuyết — ghế/seat B-12") != std::string::npos);
  // A prompt that greets by name is enough.
  StatusReport named = report;
  named.reply.set_prompt("Chào mừng trở lại / Welcome back, Nguyễn Thị Ánh Tuyết");
  named.reply.set_already_present(true);
  const std::string back = statusLineText(named);
  CHECK(back.find("\n    ") == std::string::npos);
  CHECK(back.find("already present") != std::string::npos);

  const std::string json = statusLineJson(report);
  CHECK(json.rfind("{\"t_s\":3.21,\"frame\":31,\"status\":\"checked_in\",\"prompt\":\"Xin chào / Welcome\","
                   "\"code\":\"HN-001\",\"name\":\"Nguyễn Thị Ánh Tuyết\",\"seat\":\"B-12\",\"delegation\":\"Đoàn Hà Nội\","
                   "\"distance\":0.4123,",
                   0) == 0);
  CHECK(json.find("\"frames\":5,\"analysis_ms\":81,\"round_trip_ms\":95.3") != std::string::npos);
  CHECK(json.find("\"box\":{\"x\":10,\"y\":20,\"width\":120,\"height\":121,\"frame_width\":640,\"frame_height\":360}") !=
        std::string::npos);
  CHECK(json.find("\"greeting\":\"Xin chào / Welcome, Nguyễn Thị Ánh Tuyết") != std::string::npos);
  CHECK(json.back() == '}');
  CHECK(json.find('\n') == std::string::npos);

  StatusReport nobody{plain(2, v1::FACE_STATUS_NO_FACE), 20, 0.2};
  nobody.reply.set_prompt("Xin nhìn vào camera / Please look at the camera");
  nobody.reply.add_issues("no_face");
  CHECK(statusLineJson(nobody).find("\"code\":null,\"name\":null") != std::string::npos);
  CHECK(statusLineJson(nobody).find("\"issues\":[\"no_face\"]") != std::string::npos);
  CHECK(statusLineJson(nobody).find("\"box\"") == std::string::npos);
  CHECK(statusLineText(nobody).find("issues no_face") != std::string::npos);
}

TEST_CASE("the tracker reports changes and ignores DROPPED and late replies") {
  StatusTracker tracker;
  CHECK(tracker.update(plain(1, v1::FACE_STATUS_NO_FACE)));
  CHECK_FALSE(tracker.update(plain(2, v1::FACE_STATUS_NO_FACE)));
  CHECK_FALSE(tracker.update(plain(4, v1::FACE_STATUS_DROPPED)));
  CHECK(tracker.lastFrameId() == 2);
  CHECK(tracker.update(plain(5, v1::FACE_STATUS_COLLECTING)));
  CHECK_FALSE(tracker.update(plain(3, v1::FACE_STATUS_NO_FACE)));  // older than what is shown
  CHECK(tracker.current()->status() == v1::FACE_STATUS_COLLECTING);
  CHECK(tracker.update(recognised(6, v1::FACE_STATUS_BLINK)));
  CHECK_FALSE(tracker.update(recognised(7, v1::FACE_STATUS_BLINK)));
  auto other = recognised(8, v1::FACE_STATUS_BLINK);
  other.mutable_delegate()->set_code("HN-002");
  CHECK(tracker.update(other));  // a different delegate
  auto adjust = plain(9, v1::FACE_STATUS_ADJUST);
  adjust.add_issues("too_small");
  CHECK(tracker.update(adjust));
  CHECK_FALSE(tracker.update(adjust));
  adjust.set_frame_id(10);
  adjust.add_issues("blurry");
  CHECK(tracker.update(adjust));  // different issues
  CHECK(tracker.update(recognised(11, v1::FACE_STATUS_CHECKED_IN)));
  CHECK(tracker.lastFrameId() == 11);
}

TEST_CASE("ASCII folding for putText") {
  CHECK(asciiFold("Xin chào / Welcome, Nguyễn Thị Ánh Tuyết — ghế/seat B-12") ==
        "Xin chao / Welcome, Nguyen Thi Anh Tuyet - ghe/seat B-12");
  CHECK(asciiFold("Đoàn Đà Nẵng, Thừa Thiên Huế, Bắc Ninh, Quảng Ngãi") == "Doan Da Nang, Thua Thien Hue, Bac Ninh, Quang Ngai");
  CHECK(asciiFold("ĂÂÊÔƠƯăâêôơư ỳýỷỹỵ ẮẰẲẴẶ") == "AAEOOUaaeoou yyyyy AAAAA");
  CHECK(asciiFold("\u201cquoted\u201d \u2018x\u2019 \u2026") == "\"quoted\" 'x' ...");
  CHECK(asciiFold("Nguye\xCC\x82\xCC\x83n") == "Nguyen");  // NFD: combining marks dropped
  CHECK(asciiFold("日本") == "??");
  CHECK(asciiFold("bad \xFF byte") == "bad ? byte");
  CHECK(asciiFold("tab\tnew\nline") == "tab new line");
  CHECK(asciiFold("") == "");
}
