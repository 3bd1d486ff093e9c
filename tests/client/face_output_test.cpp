// Output of the Face ID, roll call, sitting and attendance-log commands, and their watch lines.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include <cstdlib>
#include <ctime>
#include <limits>

#include "cli/face_output.hpp"
#include "cli/json_writer.hpp"
#include "cli/output.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
namespace v1 = daihoi::v1;
using daihoi::client::StateMirror;

namespace {

constexpr std::int64_t kDec2Utc = 1'764'633'600'000;     // 2025-12-02T00:00:00Z = 07:00 in Hà Nội
constexpr std::int64_t kMorning = kDec2Utc + 3600'000;  // 08:00:00 local

StateMirror namesMirror() {
  v1::RosterReply roster;
  auto* hanoi = roster.add_delegations();
  hanoi->set_id(1);
  hanoi->set_name("Đoàn Hà Nội");
  const std::vector<std::pair<const char*, const char*>> people = {
      {"HN-001", "Nguyễn Văn An"}, {"HN-002", "Trần Thị Bình"}, {"HN-003", "Lê Văn Cường"}, {"HN-004", "Phạm Thị Dung"}};
  std::uint32_t id = 1;
  for (const auto& [code, name] : people) {
    auto* delegate = roster.add_delegates();
    delegate->set_id(id++);
    delegate->set_code(code);
    delegate->set_full_name(name);
    delegate->set_delegation_id(1);
  }
  StateMirror mirror;
  mirror.applyRoster(roster);
  return mirror;
}

v1::Principal principal(v1::Role role, const char* login, const char* name) {
  v1::Principal p;
  p.set_role(role);
  p.set_account_id(7);
  p.set_login(login);
  p.set_display_name(name);
  return p;
}

v1::FaceEnrollmentReply enrollmentState() {
  v1::FaceEnrollmentReply reply;
  auto* an = reply.add_enrolled();
  an->set_delegate_id(1);
  an->set_delegate_code("HN-001");
  an->set_photos(2);
  an->set_nearest_other_id(2);
  an->set_nearest_other_distance(0.41f);
  auto* binh = reply.add_enrolled();
  binh->set_delegate_id(2);
  binh->set_delegate_code("HN-002");
  binh->set_photos(1);
  binh->set_nearest_other_id(1);
  binh->set_nearest_other_distance(0.41f);
  reply.add_not_enrolled(3);
  reply.add_not_enrolled(4);
  auto* pair = reply.add_look_alikes();
  pair->set_delegate_id(1);
  pair->set_other_id(2);
  pair->set_distance(0.41f);
  reply.set_threshold(0.5f);
  reply.set_margin(0.07f);
  reply.set_recommended_threshold(0.46f);
  reply.set_look_alike_limit(0.45f);
  reply.set_face_available(true);
  return reply;
}

v1::EnrollPhotoReport photo(const char* name, const char* status, const char* message, bool reused = false) {
  v1::EnrollPhotoReport report;
  report.set_name(name);
  report.set_status(status);
  report.set_message(message);
  report.set_reused(reused);
  report.set_sha256("ab12");
  return report;
}

v1::AttendanceLogReply sampleLog() {
  v1::AttendanceLogReply log;
  auto* manual = log.add_entries();
  manual->set_id(11);
  manual->set_delegate_id(1);
  manual->set_delegate_code("HN-001");
  manual->set_full_name("Nguyễn Văn An");
  manual->set_delegation("Đoàn Hà Nội, khối \"cơ quan\"");
  manual->set_present(true);
  manual->set_method(v1::ATTENDANCE_METHOD_MANUAL);
  manual->set_reason("đến muộn, có giấy mời");
  *manual->mutable_recorded_by() = principal(v1::ROLE_SECRETARY, "secretary", "Thư ký Lan");
  manual->set_time_ms(kMorning + 5'123);
  manual->set_sitting_id(1);
  auto* face = log.add_entries();
  face->set_id(12);
  face->set_delegate_id(2);
  face->set_delegate_code("HN-002");
  face->set_full_name("Trần Thị Bình");
  face->set_delegation("Đoàn Hà Nội");
  face->set_present(true);
  face->set_method(v1::ATTENDANCE_METHOD_FACE);
  *face->mutable_recorded_by() = principal(v1::ROLE_KIOSK, "kiosk-1", "");
  face->set_time_ms(kMorning + 60'000);
  face->set_face_distance(0.3813f);
  face->set_has_thumbnail(true);
  face->set_sitting_id(1);
  auto* out = log.add_entries();
  out->set_id(13);
  out->set_delegate_id(1);
  out->set_delegate_code("HN-001");
  out->set_full_name("Nguyễn Văn An");
  out->set_delegation("Đoàn Hà Nội");
  out->set_present(false);
  out->set_method(v1::ATTENDANCE_METHOD_BADGE);
  *out->mutable_recorded_by() = principal(v1::ROLE_KIOSK, "kiosk-2", "Cổng 2");
  out->set_time_ms(kMorning + 5 * 3600'000);
  auto* first = log.add_sittings();
  first->set_id(1);
  first->set_title("Phiên thứ nhất — sáng 02/12");
  first->set_started_ms(kMorning);
  first->set_ended_ms(kMorning + 3 * 3600'000 + 30 * 60'000);
  auto* second = log.add_sittings();
  second->set_id(2);
  second->set_title("Phiên thứ hai");
  second->set_started_ms(kMorning + 6 * 3600'000);
  return log;
}

}  // namespace

TEST_CASE("distances with a decimal comma; ISO times with the offset") {
  VenueTimeZone zone;
  CHECK(distanceText(0.41234f) == "0,412");
  CHECK(distanceText(0.0f) == "–");
  CHECK(formatIsoTime(kMorning + 5'123) == "2025-12-02T08:00:05.123+07:00");
  ::setenv("TZ", "UTC0", 1);
  ::tzset();
  CHECK(formatIsoTime(kDec2Utc) == "2025-12-02T00:00:00.000Z");
}

TEST_CASE("JSON numbers with a fixed number of decimals, trailing zeros dropped") {
  JsonWriter json;
  json.beginArray().number(0.41f, 4).number(0.5, 4).number(2.0, 3).number(-0.00001, 3).number(std::numeric_limits<double>::quiet_NaN(), 2).endArray();
  CHECK(json.str() == "[0.41,0.5,2,0,null]");
}

TEST_CASE("photo statuses for people; unknown codes shown as they are") {
  CHECK(photoStatusLabel("ok") == "đạt");
  CHECK(photoStatusLabel("no_face") == "không thấy khuôn mặt");
  CHECK(photoStatusLabel("several_faces") == "nhiều khuôn mặt");
  CHECK(photoStatusLabel("too_small") == "khuôn mặt quá nhỏ");
  CHECK(photoStatusLabel("blurry") == "bị mờ");
  CHECK(photoStatusLabel("corrupt_image") == "ảnh hỏng");
  CHECK(photoStatusLabel(kPhotoTooLargeToSend) == "quá lớn để gửi");
  CHECK(photoStatusLabel("inconsistent") == "inconsistent");
}

TEST_CASE("the attendance log CSV: BOM, header, CRLF, ISO times, sitting id and title, RFC 4180 quoting") {
  VenueTimeZone zone;
  CHECK(attendanceLogCsv(sampleLog()) ==
        "\xEF\xBB\xBF"
        "id,time,code,full_name,delegation,in_out,method,recorded_by,face_distance,reason,sitting_id,sitting_title\r\n"
        "11,2025-12-02T08:00:05.123+07:00,HN-001,Nguyễn Văn An,\"Đoàn Hà Nội, khối \"\"cơ quan\"\"\",in,manual,"
        "Thư ký Lan,,\"đến muộn, có giấy mời\",1,Phiên thứ nhất — sáng 02/12\r\n"
        "12,2025-12-02T08:01:00.000+07:00,HN-002,Trần Thị Bình,Đoàn Hà Nội,in,face,kiosk-1,0.3813,,1,"
        "Phiên thứ nhất — sáng 02/12\r\n"
        "13,2025-12-02T13:00:00.000+07:00,HN-001,Nguyễn Văn An,Đoàn Hà Nội,out,badge,Cổng 2,,,,\r\n");
  CHECK(attendanceLogCsv(v1::AttendanceLogReply{}) ==
        "\xEF\xBB\xBF"
        "id,time,code,full_name,delegation,in_out,method,recorded_by,face_distance,reason,sitting_id,sitting_title\r\n");
}

TEST_CASE("the attendance log as a table, with the thumbnail mark and the sittings") {
  VenueTimeZone zone;
  const std::string text = attendanceLogText(sampleLog());
  CHECK(text.rfind("Số  Thời gian            Mã      Họ và tên", 0) == 0);
  CHECK(mentions(text, "11  2025-12-02 08:00:05  HN-001  Nguyễn Văn An  Đoàn Hà Nội, khối \"cơ quan\"  vào     thủ công"
                       "   Thư ký Lan               đến muộn, có giấy mời\n"));
  CHECK(mentions(text, "12  2025-12-02 08:01:00  HN-002  Trần Thị Bình"));
  CHECK(mentions(text, "vào     khuôn mặt  kiosk-1          0,381*\n"));
  CHECK(mentions(text, "ra      thẻ        Cổng 2\n"));
  CHECK(mentions(text, "3 lượt ghi nhận\n* có ảnh lưu lại: daihoi face-thumbnail SỐ --out ảnh.jpg\n"));
  CHECK(mentions(text, "#1  Phiên thứ nhất — sáng 02/12  2025-12-02 08:00:00 – 11:30:00\n"));
  CHECK(mentions(text, "#2  Phiên thứ hai                2025-12-02 14:00:00 – (đang họp)\n"));
  CHECK(attendanceLogText(v1::AttendanceLogReply{}) == "0 lượt ghi nhận\nChưa có phiên họp nào.\n");

  const std::string json = attendanceLogJson(sampleLog());
  CHECK(mentions(json, "{\"entries\":[{\"id\":11,\"timeMs\":" + std::to_string(kMorning + 5'123) +
                           ",\"time\":\"2025-12-02T08:00:05.123+07:00\",\"delegateId\":1,\"code\":\"HN-001\""));
  CHECK(mentions(json, "\"method\":\"face\",\"reason\":\"\",\"recordedBy\":{\"role\":\"kiosk\""));
  CHECK(mentions(json, "\"faceDistance\":0.3813,\"hasThumbnail\":true,\"sittingId\":1}"));
  CHECK(mentions(json, "\"sittings\":[{\"id\":1,\"title\":\"Phiên thứ nhất — sáng 02/12\""));
  CHECK(mentions(json, "\"endedMs\":0,\"inSession\":true}]}"));
  CHECK(attendanceLogSavedText(3, "nhat-ky.csv") == "Đã ghi nhật ký có mặt (3 lượt) vào nhat-ky.csv\n");
  CHECK(attendanceLogSavedJson(3, "nhat-ky.csv") == "{\"rows\":3,\"file\":\"nhat-ky.csv\"}");
}

TEST_CASE("the enroll report: each photo, skipped and unmatched files, totals, missing delegates, look-alikes, thresholds") {
  const StateMirror names = namesMirror();
  EnrollReport report;
  report.directory = "anh";
  report.delegates.push_back({"HN-001", 1, {photo("HN-001.jpg", "ok", "", true), photo("HN-001_2.jpg", "ok", "")}, {}});
  report.delegates.push_back(
      {"HN-003",
       3,
       {photo("HN-003/nhom.jpg", "several_faces", "Có nhiều khuôn mặt trong ảnh / Several faces in the picture"),
        photo("HN-003/hong.jpg", "corrupt_image", "Ảnh hỏng / corrupt image")},
       {}});
  report.skipped = {"HN-002"};
  report.unmatched = {"ban-do.png"};
  report.ignored = {"README.txt"};
  report.enrollment = enrollmentState();

  const EnrollTotals totals = enrollTotals(report);
  CHECK(totals.delegates == 2);
  CHECK(totals.photos == 4);
  CHECK(totals.ok == 2);
  CHECK(totals.reused == 1);
  CHECK(totals.refused == 2);
  CHECK(totals.delegatesUsable == 1);

  const std::string text = enrollReportText(report, names);
  CHECK(text.rfind("Mã      Họ và tên      Ảnh              Kết quả          Ghi chú\n", 0) == 0);
  CHECK(mentions(text, "HN-001  Nguyễn Văn An  HN-001.jpg       đạt (dùng lại)\n"));
  CHECK(mentions(text, "                       HN-001_2.jpg     đạt\n"));
  CHECK(mentions(text, "HN-003  Lê Văn Cường   HN-003/nhom.jpg  nhiều khuôn mặt  Có nhiều khuôn mặt trong ảnh / "
                       "Several faces in the picture\n"));
  CHECK(mentions(text, "                       HN-003/hong.jpg  ảnh hỏng         Ảnh hỏng / corrupt image\n"));
  CHECK(mentions(text, "Bỏ qua vì đã có ảnh đăng ký (thêm --replace để thay ảnh của họ) (1): HN-002\n"));
  CHECK(mentions(text, "Ảnh không mang mã đại biểu nào, bỏ qua (1): ban-do.png\n"));
  CHECK(mentions(text, "Tệp không phải ảnh .jpg/.jpeg/.png, bỏ qua (1): README.txt\n"));
  CHECK(mentions(text, "Tổng cộng: 4 ảnh của 2 đại biểu: 2 đạt (1 dùng lại), 2 bị từ chối; 1 đại biểu có ảnh dùng được\n"));
  CHECK(mentions(text, "Đã đăng ký: 2/4 đại biểu (3 ảnh dùng được)\n"));
  CHECK(mentions(text, "Đại biểu chưa có ảnh dùng được (2): HN-003, HN-004\n"));
  CHECK(mentions(text, "ban tổ chức cần xác nhận: sinh đôi, người thân hay ảnh nhầm\n"
                       "(look-alikes for an organizer to confirm: twins, relatives or a wrong photo)\n"));
  CHECK(mentions(text, "HN-001  Nguyễn Văn An  HN-002  Trần Thị Bình        0,410\n"));
  CHECK(mentions(text, "Ngưỡng nhận diện: 0,500 (đang dùng) · cách biệt tối thiểu với người kế tiếp 0,070\n"));
  CHECK(mentions(text, "Ngưỡng đề xuất theo danh sách đã đăng ký: 0,460 — thấp hơn ngưỡng đang dùng"));

  const std::string json = enrollReportJson(report, names);
  CHECK(json.rfind("{\"directory\":\"anh\",\"replace\":false,\"delegates\":[{\"code\":\"HN-001\",\"delegateId\":1,"
                   "\"name\":\"Nguyễn Văn An\",\"photos\":[{\"name\":\"HN-001.jpg\",\"ok\":true,\"status\":\"ok\","
                   "\"message\":\"\",\"reused\":true,\"sha256\":\"ab12\"}",
                   0) == 0);
  CHECK(mentions(json, "\"skipped\":[\"HN-002\"],\"unmatched\":[\"ban-do.png\"],\"ignored\":[\"README.txt\"]"));
  CHECK(mentions(json, "\"totals\":{\"delegates\":2,\"photos\":4,\"ok\":2,\"reused\":1,\"refused\":2,"
                       "\"delegatesWithUsablePhoto\":1}"));
  CHECK(mentions(json, "\"enrollment\":{\"faceAvailable\":true,\"faceProblem\":\"\",\"threshold\":0.5,\"margin\":0.07,"
                       "\"recommendedThreshold\":0.46,\"lookAlikeLimit\":0.45,\"enrolledCount\":2,\"notEnrolledCount\":2"));
  CHECK(mentions(json, "\"lookAlikes\":[{\"a\":{\"delegateId\":1,\"code\":\"HN-001\",\"name\":\"Nguyễn Văn An\"},"
                       "\"b\":{\"delegateId\":2,\"code\":\"HN-002\",\"name\":\"Trần Thị Bình\"},\"distance\":0.41}]"));

  DelegateEnrollment failed{"HN-004", 4, {photo("HN-004.jpg", "request_failed", "hết thời gian chờ")}, {}};
  failed.error = CliError{kExitTimeout, "ERROR_TIMEOUT", "hết thời gian chờ", {}, 0};
  report.delegates = {failed};
  CHECK(mentions(enrollReportJson(report, names), "\"error\":{\"code\":\"ERROR_TIMEOUT\",\"message\":\"hết thời gian chờ\"}"));
  CHECK(mentions(enrollReportText(report, names), "HN-004  Phạm Thị Dung  HN-004.jpg  không gửi được  hết thời gian chờ\n"));
}

TEST_CASE("faces: the enrolled table, availability, missing delegates, look-alikes and thresholds") {
  const StateMirror names = namesMirror();
  const std::string text = facesText(enrollmentState(), names);
  CHECK(text.rfind("Mã      Họ và tên      Ảnh  Gần nhất  Khoảng cách\n", 0) == 0);
  CHECK(mentions(text, "HN-001  Nguyễn Văn An    2  HN-002          0,410\n"));
  CHECK(mentions(text, "Nhận diện khuôn mặt: đang hoạt động\nĐã đăng ký: 2/4 đại biểu (3 ảnh dùng được)\n"
                       "Chưa có ảnh dùng được (2): HN-003, HN-004\n"));
  CHECK(mentions(text, "khoảng cách dưới 0,450, 1 cặp"));

  v1::FaceEnrollmentReply off;
  off.set_face_available(false);
  off.set_face_problem("thiếu tệp mô hình dlib_face_recognition_resnet_model_v1.dat");
  off.add_not_enrolled(1);
  off.set_look_alike_limit(0.45f);
  off.set_threshold(0.5f);
  const std::string offText = facesText(off, names);
  CHECK(mentions(offText, "Nhận diện khuôn mặt: TẮT — thiếu tệp mô hình dlib_face_recognition_resnet_model_v1.dat\n"));
  CHECK(mentions(offText, "Đã đăng ký: 0/1 đại biểu (0 ảnh dùng được)\n"));
  CHECK(mentions(offText, "Không có cặp đại biểu nào có khuôn mặt giống nhau dưới 0,450.\n"));
  CHECK(mentions(offText, "Ngưỡng đề xuất: chưa có (cần ít nhất 2 đại biểu đã đăng ký)\n"));
  CHECK(mentions(facesJson(off, names), "{\"faceAvailable\":false,\"faceProblem\":\"thiếu tệp mô hình"));
  CHECK(mentions(facesJson(enrollmentState(), names),
                 "\"enrolled\":[{\"delegateId\":1,\"code\":\"HN-001\",\"name\":\"Nguyễn Văn An\",\"photos\":2,"
                 "\"nearestOther\":{\"delegateId\":2,\"code\":\"HN-002\",\"name\":\"Trần Thị Bình\"},"
                 "\"nearestOtherDistance\":0.41}"));
}

TEST_CASE("roll call and sittings as text and JSON") {
  VenueTimeZone zone;
  v1::RollCallReply rollCall;
  rollCall.set_roll_call_id(3);
  rollCall.set_seq(57);
  rollCall.mutable_totals()->set_present(312);
  rollCall.mutable_totals()->set_present_voting(300);
  rollCall.mutable_totals()->set_summoned(480);
  rollCall.mutable_totals()->set_quorum_required(320);
  v1::Sitting sitting;
  sitting.set_id(2);
  sitting.set_title("Phiên thứ hai");
  sitting.set_started_ms(kMorning);
  CHECK(rollCallText(rollCall, "Đầu phiên chiều", sitting) ==
        "Đã điểm danh lần 3 (seq 57)\n"
        "Phiên họp:  #2 Phiên thứ hai\n"
        "Ghi chú:    Đầu phiên chiều\n"
        "Có mặt:     312 đại biểu\n"
        "Biểu quyết: 300/480 đại biểu được triệu tập có mặt\n"
        "Túc số:     cần 320 — CHƯA ĐỦ (thiếu 20)\n");
  CHECK(rollCallJson(rollCall, "", std::nullopt) ==
        "{\"rollCallId\":3,\"seq\":57,\"note\":\"\",\"sittingId\":0,\"totals\":{\"present\":312,\"presentVoting\":300,"
        "\"summoned\":480,\"quorumRequired\":320,\"quorumReached\":false}}");

  v1::SittingReply started;
  *started.mutable_sitting() = sitting;
  started.set_seq(58);
  CHECK(sittingText(true, started) == "Đã khai mạc phiên họp #2 Phiên thứ hai lúc 2025-12-02 08:00:00 (seq 58)\n");
  v1::SittingReply ended = started;
  ended.mutable_sitting()->set_ended_ms(kMorning + 4 * 3600'000);
  ended.set_seq(90);
  CHECK(sittingText(false, ended) == "Đã bế mạc phiên họp #2 Phiên thứ hai: 2025-12-02 08:00:00 – 12:00:00 (seq 90)\n");
  CHECK(sittingJson(false, ended) ==
        "{\"action\":\"ended\",\"seq\":90,\"sitting\":{\"id\":2,\"title\":\"Phiên thứ hai\",\"startedMs\":" +
            std::to_string(kMorning) + ",\"endedMs\":" + std::to_string(kMorning + 4 * 3600'000) +
            ",\"inSession\":false}}");
}

TEST_CASE("watch: unresolved face attempts, roll calls, sittings, enrollment changes and face check-ins") {
  VenueTimeZone zone;
  const StateMirror names = namesMirror();
  v1::Event unknown;
  unknown.set_seq(60);
  unknown.set_time_ms(kMorning);
  auto& attempt = *unknown.mutable_face_attempt_unresolved();
  *attempt.mutable_kiosk() = principal(v1::ROLE_KIOSK, "kiosk-1", "");
  attempt.set_status(v1::FACE_STATUS_UNKNOWN);
  CHECK(eventText(unknown, names) ==
        "#60 08:00:00  KHUÔN MẶT  Ki-ốt kiosk-1: không nhận ra khuôn mặt — mời làm thủ tục tại bàn tiếp đón\n");
  CHECK(eventJson(unknown, names) ==
        "{\"seq\":60,\"timeMs\":" + std::to_string(kMorning) +
            ",\"type\":\"face_attempt_unresolved\",\"kiosk\":{\"role\":\"kiosk\",\"accountId\":7,\"displayName\":\"\","
            "\"login\":\"kiosk-1\"},\"status\":\"unknown\",\"reason\":\"\",\"claimedCode\":\"\",\"imageKept\":false}");

  v1::Event mismatch = unknown;
  auto& wrong = *mismatch.mutable_face_attempt_unresolved();
  wrong.set_status(v1::FACE_STATUS_MISMATCH);
  wrong.set_claimed_code("HN-003");
  wrong.set_nearest_delegate_id(2);
  wrong.set_distance(0.52f);
  CHECK(mentions(eventText(mismatch, names), "Ki-ốt kiosk-1: khuôn mặt không khớp với thẻ HN-003 — mời làm thủ tục "
                                             "tại bàn tiếp đón · gần nhất: HN-002 Trần Thị Bình (0,520)\n"));
  CHECK(mentions(eventJson(mismatch, names), "\"status\":\"mismatch\",\"reason\":\"\",\"claimedCode\":\"HN-003\","
                                             "\"imageKept\":false,\"nearest\":{\"delegateId\":2,\"code\":\"HN-002\",\"name\":\"Trần Thị "
                                             "Bình\"},\"distance\":0.52}"));
  v1::Event kept = unknown;
  kept.mutable_face_attempt_unresolved()->set_image_kept(true);
  CHECK(mentions(eventText(kept, names), " · ảnh lưu: daihoi face-thumbnail 60 --attempt --out ảnh.jpg"));
  CHECK(mentions(eventJson(kept, names), "\"imageKept\":true"));
  v1::Event notLive = unknown;
  notLive.mutable_face_attempt_unresolved()->set_status(v1::FACE_STATUS_NOT_LIVE);
  CHECK(mentions(eventText(notLive, names), "không xác nhận được người thật trước máy ảnh"));

  v1::Event rollCall;
  rollCall.set_seq(61);
  rollCall.set_time_ms(kMorning);
  auto& taken = *rollCall.mutable_roll_call_taken();
  taken.set_roll_call_id(2);
  taken.mutable_totals()->set_present(3);
  taken.mutable_totals()->set_present_voting(3);
  taken.mutable_totals()->set_summoned(4);
  taken.mutable_totals()->set_quorum_required(3);
  taken.mutable_totals()->set_quorum_reached(true);
  taken.add_present_delegate_ids(1);
  taken.set_sitting_id(1);
  taken.set_note("đầu phiên");
  *taken.mutable_by() = principal(v1::ROLE_CHAIR, "chair1", "Chủ tọa Minh");
  CHECK(eventText(rollCall, names) == "#61 08:00:00  ĐIỂM DANH  lần 2: có mặt 3, biểu quyết 3/4, đủ túc số · phiên #1 · "
                                      "ghi chú: đầu phiên · bởi Chủ tọa Minh (chủ tọa)\n");
  CHECK(mentions(eventJson(rollCall, names), "\"type\":\"roll_call_taken\",\"rollCallId\":2,\"sittingId\":1,"
                                             "\"note\":\"đầu phiên\",\"totals\":{\"present\":3,"));
  CHECK(mentions(eventJson(rollCall, names), "\"presentDelegateIds\":[1],\"by\":{\"role\":\"chair\""));

  v1::Event sitting;
  sitting.set_seq(62);
  sitting.set_time_ms(kMorning);
  sitting.mutable_sitting_changed()->mutable_sitting()->set_id(1);
  sitting.mutable_sitting_changed()->mutable_sitting()->set_title("Phiên thứ nhất");
  sitting.mutable_sitting_changed()->mutable_sitting()->set_started_ms(kMorning);
  CHECK(eventText(sitting, names) ==
        "#62 08:00:00  PHIÊN HỌP  khai mạc #1 Phiên thứ nhất\n");
  sitting.mutable_sitting_changed()->mutable_sitting()->set_ended_ms(kMorning + 3600'000);
  CHECK(mentions(eventText(sitting, names), "PHIÊN HỌP  bế mạc #1 Phiên thứ nhất (2025-12-02 08:00:00 – 09:00:00)\n"));
  CHECK(mentions(eventJson(sitting, names), "\"type\":\"sitting_changed\",\"sitting\":{\"id\":1,"));

  v1::Event enrolled;
  enrolled.set_seq(63);
  enrolled.set_time_ms(kMorning);
  enrolled.mutable_face_enrollment_changed()->set_delegate_id(1);
  enrolled.mutable_face_enrollment_changed()->set_photos(3);
  enrolled.mutable_face_enrollment_changed()->set_enrolled_delegates(120);
  CHECK(eventText(enrolled, names) ==
        "#63 08:00:00  ẢNH MẶT    HN-001 Nguyễn Văn An: 3 ảnh dùng được · 120 đại biểu đã đăng ký khuôn mặt\n");
  CHECK(mentions(eventJson(enrolled, names), "\"type\":\"face_enrollment_changed\",\"delegate\":{\"delegateId\":1,"
                                             "\"code\":\"HN-001\",\"name\":\"Nguyễn Văn An\"},\"photos\":3,"
                                             "\"enrolledDelegates\":120}"));

  v1::Event faceCheckIn;
  faceCheckIn.set_seq(64);
  faceCheckIn.set_time_ms(kMorning);
  auto& change = *faceCheckIn.mutable_attendance_changed();
  change.set_delegate_id(2);
  change.set_delegate_code("HN-002");
  change.set_present(true);
  change.set_method(v1::ATTENDANCE_METHOD_FACE);
  change.set_face_distance(0.3812f);
  change.set_sitting_id(1);
  *change.mutable_recorded_by() = principal(v1::ROLE_KIOSK, "kiosk-1", "");
  CHECK(eventText(faceCheckIn, names) == "#64 08:00:00  CÓ MẶT     HN-002 Trần Thị Bình (Đoàn Hà Nội) · nhận diện khuôn "
                                         "mặt (khoảng cách 0,381) · phiên #1 · bởi kiosk-1 (ki-ốt điểm danh)\n");
  CHECK(mentions(eventJson(faceCheckIn, names), "\"method\":\"face\",\"reason\":\"\",\"recordedBy\":{"));
  CHECK(mentions(eventJson(faceCheckIn, names), "\"faceDistance\":0.3812,\"sittingId\":1}"));
}

TEST_CASE("a saved thumbnail") {
  CHECK(thumbnailSavedText(12, 5321, "mat.jpg") == "Đã ghi ảnh của lượt điểm danh 12 (5321 byte) vào mat.jpg\n");
  CHECK(thumbnailSavedJson(12, 5321, "mat.jpg") == "{\"attendanceId\":12,\"bytes\":5321,\"file\":\"mat.jpg\"}");
}
