#include "cli/face_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "cli/ballot_output.hpp"
#include "cli/json_writer.hpp"
#include "cli/output.hpp"
#include "cli/text.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;

namespace {

std::string safe(std::string_view text) { return terminalSafe(text); }

constexpr std::size_t kLineWidth = 100;

std::string fixed(double value, int decimals) {
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return std::string(buffer, static_cast<std::size_t>(std::max(length, 0)));
}

std::string label(std::string_view text) { return padRight(text, 10) + " "; }

// "HN-001 Nguyễn Văn An", or the code alone, or "đại biểu #17".
std::string delegateText(const client::StateMirror& names, std::uint32_t id, std::string_view code = {}) {
  if (const v1::Delegate* delegate = names.findDelegate(id)) {
    return safe(delegate->code()) + " " + safe(delegate->full_name());
  }
  if (!code.empty()) {
    return safe(code);
  }
  return "đại biểu #" + std::to_string(id);
}

std::string codeOf(const client::StateMirror& names, std::uint32_t id) {
  if (const v1::Delegate* delegate = names.findDelegate(id)) {
    return delegate->code();
  }
  return "#" + std::to_string(id);
}

std::string nameOf(const client::StateMirror& names, std::uint32_t id) {
  if (const v1::Delegate* delegate = names.findDelegate(id)) {
    return delegate->full_name();
  }
  return "";
}

void writeDelegateRef(JsonWriter& json, const client::StateMirror& names, std::uint32_t id) {
  json.beginObject().key("delegateId").value(id);
  if (const v1::Delegate* delegate = names.findDelegate(id)) {
    json.key("code").value(delegate->code()).key("name").value(delegate->full_name());
  }
  json.endObject();
}

// "Title (3): HN-001, HN-002, HN-003", wrapped at kLineWidth with the items indented.
std::string wrappedList(std::string_view title, const std::vector<std::string>& items) {
  std::string out = std::string(title) + " (" + std::to_string(items.size()) + "):";
  std::size_t column = displayWidth(out);
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item = safe(items[i]) + (i + 1 < items.size() ? "," : "");
    const std::size_t width = displayWidth(item) + 1;
    if (column + width > kLineWidth && column > 2) {
      out += "\n ";
      column = 1;
    }
    out += " " + item;
    column += width;
  }
  return out + "\n";
}

std::string byText(const v1::Principal& by) { return " · bởi " + principalText(by); }

bool hasPrincipal(const v1::Principal& principal) {
  return principal.role() != v1::ROLE_UNSPECIFIED || !principal.login().empty() || !principal.display_name().empty();
}

// A staff member's or a kiosk's name for the log table: the display name, else the login.
std::string shortPrincipal(const v1::Principal& principal) {
  if (!principal.display_name().empty()) {
    return principal.display_name();
  }
  if (!principal.login().empty()) {
    return principal.login();
  }
  return principal.account_id() == 0 ? "" : "#" + std::to_string(principal.account_id());
}

std::string_view methodShort(v1::AttendanceMethod method) {
  switch (method) {
    case v1::ATTENDANCE_METHOD_MANUAL:
      return "thủ công";
    case v1::ATTENDANCE_METHOD_FACE:
      return "khuôn mặt";
    case v1::ATTENDANCE_METHOD_BADGE:
      return "thẻ";
    default:
      return "?";
  }
}

std::string sittingPeriod(const v1::Sitting& sitting) {
  std::string out = formatLocalTime(sitting.started_ms(), true) + " – ";
  if (sitting.ended_ms() == 0) {
    return out + "(đang họp)";
  }
  // The same day: only the time of the end.
  const std::string end = formatLocalTime(sitting.ended_ms(), true);
  const bool sameDay = end.substr(0, 10) == out.substr(0, 10);
  return out + (sameDay ? end.substr(11) : end);
}

std::string sittingRef(const v1::Sitting& sitting) {
  std::string out = "#";
  out += std::to_string(sitting.id());
  if (!sitting.title().empty()) {
    out += " " + safe(sitting.title());
  }
  return out;
}

void writeSitting(JsonWriter& json, const v1::Sitting& sitting) {
  json.beginObject()
      .key("id").value(sitting.id())
      .key("title").value(sitting.title())
      .key("startedMs").value(sitting.started_ms())
      .key("endedMs").value(sitting.ended_ms())
      .key("inSession").value(sitting.ended_ms() == 0)
      .endObject();
}

// ---- enrollment state, shared by `faces` and the end of `enroll`

std::string thresholdLines(const v1::FaceEnrollmentReply& reply) {
  std::string out = "Ngưỡng nhận diện: " + distanceText(reply.threshold()) + " (đang dùng)";
  if (reply.margin() > 0) {
    out += " · cách biệt tối thiểu với người kế tiếp " + distanceText(reply.margin());
  }
  out += "\n";
  if (reply.recommended_threshold() > 0) {
    out += "Ngưỡng đề xuất theo danh sách đã đăng ký: " + distanceText(reply.recommended_threshold());
    if (reply.recommended_threshold() + 0.005f < reply.threshold()) {
      out += " — thấp hơn ngưỡng đang dùng: nên hạ ngưỡng để không nhận nhầm người này thành người khác";
    } else if (reply.recommended_threshold() > reply.threshold() + 0.005f) {
      out += " — cao hơn ngưỡng đang dùng: có thể nâng ngưỡng để ít phải làm thủ tục tại bàn hơn";
    }
    out += "\n";
  } else {
    out += "Ngưỡng đề xuất: chưa có (cần ít nhất 2 đại biểu đã đăng ký)\n";
  }
  return out;
}

std::string lookAlikeBlock(const v1::FaceEnrollmentReply& reply, const client::StateMirror& names) {
  const std::string limit = distanceText(reply.look_alike_limit());
  if (reply.look_alikes_size() == 0) {
    return "Không có cặp đại biểu nào có khuôn mặt giống nhau dưới " + limit + ".\n";
  }
  std::string out = "Cặp đại biểu có khuôn mặt giống nhau (khoảng cách dưới " + limit + ", " +
                    std::to_string(reply.look_alikes_size()) +
                    " cặp), ban tổ chức cần xác nhận: sinh đôi, người thân hay ảnh nhầm\n"
                    "(look-alikes for an organizer to confirm: twins, relatives or a wrong photo)\n";
  std::vector<v1::LookAlike> pairs(reply.look_alikes().begin(), reply.look_alikes().end());
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const v1::LookAlike& a, const v1::LookAlike& b) { return a.distance() < b.distance(); });
  TextTable table({"Mã", "Họ và tên", "Mã", "Họ và tên", "Khoảng cách"},
                  {Align::Left, Align::Left, Align::Left, Align::Left, Align::Right});
  for (const auto& pair : pairs) {
    table.addRow({codeOf(names, pair.delegate_id()), nameOf(names, pair.delegate_id()), codeOf(names, pair.other_id()),
                  nameOf(names, pair.other_id()), distanceText(pair.distance())});
  }
  return out + table.render();
}

std::vector<std::string> notEnrolledCodes(const v1::FaceEnrollmentReply& reply, const client::StateMirror& names) {
  std::vector<std::string> codes;
  for (std::uint32_t id : reply.not_enrolled()) {
    codes.push_back(codeOf(names, id));
  }
  return codes;
}

std::string availabilityLine(const v1::FaceEnrollmentReply& reply) {
  if (reply.face_available()) {
    return "Nhận diện khuôn mặt: đang hoạt động\n";
  }
  return "Nhận diện khuôn mặt: TẮT — " +
         (reply.face_problem().empty() ? std::string("máy chủ không nói lý do") : safe(reply.face_problem())) + "\n";
}

std::uint32_t enrolledPhotos(const v1::FaceEnrollmentReply& reply) {
  std::uint32_t photos = 0;
  for (const auto& enrolled : reply.enrolled()) {
    photos += enrolled.photos();
  }
  return photos;
}

std::string enrolledSummary(const v1::FaceEnrollmentReply& reply) {
  const auto enrolled = static_cast<std::size_t>(reply.enrolled_size());
  const std::size_t all = enrolled + static_cast<std::size_t>(reply.not_enrolled_size());
  return "Đã đăng ký: " + std::to_string(enrolled) + "/" + std::to_string(all) + " đại biểu (" +
         std::to_string(enrolledPhotos(reply)) + " ảnh dùng được)\n";
}

void writeEnrollmentState(JsonWriter& json, const v1::FaceEnrollmentReply& reply, const client::StateMirror& names) {
  json.beginObject()
      .key("faceAvailable").value(reply.face_available())
      .key("faceProblem").value(reply.face_problem())
      .key("threshold").number(reply.threshold(), 4)
      .key("margin").number(reply.margin(), 4)
      .key("recommendedThreshold").number(reply.recommended_threshold(), 4)
      .key("lookAlikeLimit").number(reply.look_alike_limit(), 4)
      .key("enrolledCount").value(reply.enrolled_size())
      .key("notEnrolledCount").value(reply.not_enrolled_size())
      .key("enrolled").beginArray();
  for (const auto& enrolled : reply.enrolled()) {
    json.beginObject()
        .key("delegateId").value(enrolled.delegate_id())
        .key("code").value(enrolled.delegate_code());
    if (const v1::Delegate* delegate = names.findDelegate(enrolled.delegate_id())) {
      json.key("name").value(delegate->full_name());
    }
    json.key("photos").value(enrolled.photos());
    if (enrolled.nearest_other_id() != 0) {
      json.key("nearestOther");
      writeDelegateRef(json, names, enrolled.nearest_other_id());
      json.key("nearestOtherDistance").number(enrolled.nearest_other_distance(), 4);
    }
    json.endObject();
  }
  json.endArray().key("notEnrolled").beginArray();
  for (std::uint32_t id : reply.not_enrolled()) {
    writeDelegateRef(json, names, id);
  }
  json.endArray().key("lookAlikes").beginArray();
  for (const auto& pair : reply.look_alikes()) {
    json.beginObject().key("a");
    writeDelegateRef(json, names, pair.delegate_id());
    json.key("b");
    writeDelegateRef(json, names, pair.other_id());
    json.key("distance").number(pair.distance(), 4).endObject();
  }
  json.endArray().endObject();
}

bool photoOk(const v1::EnrollPhotoReport& photo) { return photo.status() == "ok"; }

std::string photoResult(const v1::EnrollPhotoReport& photo) {
  std::string result = photoStatusLabel(photo.status());
  if (photoOk(photo) && photo.reused()) {
    result += " (dùng lại)";
  }
  return result;
}

std::string faceAttemptText(const v1::FaceAttemptUnresolved& attempt) {
  switch (attempt.status()) {
    case v1::FACE_STATUS_UNKNOWN:
      return "không nhận ra khuôn mặt";
    case v1::FACE_STATUS_AMBIGUOUS:
      return "hai đại biểu quá giống nhau, không phân biệt được";
    case v1::FACE_STATUS_NOT_LIVE:
      return "không xác nhận được người thật trước máy ảnh";
    case v1::FACE_STATUS_MISMATCH:
      return attempt.claimed_code().empty() ? std::string("khuôn mặt không khớp với thẻ")
                                            : "khuôn mặt không khớp với thẻ " + safe(attempt.claimed_code());
    default:
      return "chưa xác định được (" + std::string(faceStatusKey(attempt.status())) + ")";
  }
}

}  // namespace

std::string distanceText(float distance) {
  if (!(distance > 0) || !std::isfinite(distance)) {
    return "–";
  }
  std::string text = fixed(distance, 3);
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

std::string formatIsoTime(std::int64_t unixMs) {
  const std::int64_t floorSeconds = unixMs >= 0 ? unixMs / 1000 : (unixMs - 999) / 1000;
  const auto millis = static_cast<int>(unixMs - floorSeconds * 1000);
  const auto seconds = static_cast<std::time_t>(floorSeconds);
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) {
    return std::to_string(unixMs);
  }
  char buffer[40];
  std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &local);
  std::string out(buffer, length);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03d", millis);
  out += fraction;
  const long offset = local.tm_gmtoff;
  if (offset == 0) {
    return out + "Z";
  }
  const long absolute = offset < 0 ? -offset : offset;
  char zone[40];
  std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", offset < 0 ? '-' : '+', absolute / 3600, absolute / 60 % 60);
  return out + zone;
}

std::string photoStatusLabel(std::string_view status) {
  static const std::map<std::string_view, std::string_view> kLabels = {
      {"ok", "đạt"},
      {"no_face", "không thấy khuôn mặt"},
      {"several_faces", "nhiều khuôn mặt"},
      {"too_small", "khuôn mặt quá nhỏ"},
      {"cut_by_edge", "khuôn mặt bị cắt"},
      {"pose", "không nhìn thẳng"},
      {"too_dark", "quá tối"},
      {"too_bright", "quá sáng"},
      {"blurry", "bị mờ"},
      {"empty_image", "tệp rỗng"},
      {"image_too_large", "ảnh quá lớn"},
      {"image_dimensions_too_large", "ảnh quá nhiều điểm ảnh"},
      {"unsupported_image", "không phải JPEG/PNG"},
      {"corrupt_image", "ảnh hỏng"},
      {"truncated_image", "ảnh bị cắt cụt"},
      {kPhotoUnreadable, "không đọc được tệp"},
      {kPhotoTooLargeToSend, "quá lớn để gửi"},
      {kPhotoRequestFailed, "không gửi được"},
  };
  if (auto it = kLabels.find(status); it != kLabels.end()) {
    return std::string(it->second);
  }
  return status.empty() ? std::string("?") : safe(status);
}

std::string_view faceStatusKey(v1::FaceStatus status) {
  switch (status) {
    case v1::FACE_STATUS_NO_FACE:
      return "no-face";
    case v1::FACE_STATUS_ADJUST:
      return "adjust";
    case v1::FACE_STATUS_COLLECTING:
      return "collecting";
    case v1::FACE_STATUS_BLINK:
      return "blink";
    case v1::FACE_STATUS_TURN_LEFT:
      return "turn-left";
    case v1::FACE_STATUS_TURN_RIGHT:
      return "turn-right";
    case v1::FACE_STATUS_LOOK_STRAIGHT:
      return "look-straight";
    case v1::FACE_STATUS_CHECKED_IN:
      return "checked-in";
    case v1::FACE_STATUS_CHECKED_OUT:
      return "checked-out";
    case v1::FACE_STATUS_UNKNOWN:
      return "unknown";
    case v1::FACE_STATUS_AMBIGUOUS:
      return "ambiguous";
    case v1::FACE_STATUS_NOT_LIVE:
      return "not-live";
    case v1::FACE_STATUS_MISMATCH:
      return "mismatch";
    case v1::FACE_STATUS_DROPPED:
      return "dropped";
    default:
      return "unspecified";
  }
}

EnrollTotals enrollTotals(const EnrollReport& report) {
  EnrollTotals totals;
  for (const auto& delegate : report.delegates) {
    ++totals.delegates;
    bool usable = false;
    for (const auto& photo : delegate.photos) {
      ++totals.photos;
      if (photoOk(photo)) {
        ++totals.ok;
        totals.reused += photo.reused() ? 1 : 0;
        usable = true;
      } else {
        ++totals.refused;
      }
    }
    totals.delegatesUsable += usable ? 1 : 0;
  }
  return totals;
}

std::string enrollReportText(const EnrollReport& report, const client::StateMirror& names) {
  std::string out;
  if (!report.delegates.empty()) {
    TextTable table({"Mã", "Họ và tên", "Ảnh", "Kết quả", "Ghi chú"});
    for (const auto& delegate : report.delegates) {
      bool first = true;
      for (const auto& photo : delegate.photos) {
        table.addRow({first ? delegate.code : "", first ? nameOf(names, delegate.delegateId) : "", photo.name(),
                      photoResult(photo), photoOk(photo) ? "" : photo.message()});
        first = false;
      }
    }
    out += table.render();
  }
  if (!report.skipped.empty()) {
    out += wrappedList("Bỏ qua vì đã có ảnh đăng ký (thêm --replace để thay ảnh của họ)", report.skipped);
  }
  if (!report.unmatched.empty()) {
    out += wrappedList("Ảnh không mang mã đại biểu nào, bỏ qua", report.unmatched);
  }
  if (!report.ignored.empty()) {
    out += wrappedList("Tệp không phải ảnh .jpg/.jpeg/.png, bỏ qua", report.ignored);
  }
  const EnrollTotals totals = enrollTotals(report);
  out += "Tổng cộng: " + std::to_string(totals.photos) + " ảnh của " + std::to_string(totals.delegates) +
         " đại biểu: " + std::to_string(totals.ok) + " đạt (" + std::to_string(totals.reused) + " dùng lại), " +
         std::to_string(totals.refused) + " bị từ chối; " + std::to_string(totals.delegatesUsable) +
         " đại biểu có ảnh dùng được\n";
  if (report.enrollment) {
    const v1::FaceEnrollmentReply& state = *report.enrollment;
    out += "\n" + enrolledSummary(state);
    if (state.not_enrolled_size() > 0) {
      out += wrappedList("Đại biểu chưa có ảnh dùng được", notEnrolledCodes(state, names));
    }
    out += lookAlikeBlock(state, names);
    out += thresholdLines(state);
    if (!state.face_available()) {
      out += availabilityLine(state);
    }
  }
  return out;
}

std::string enrollReportJson(const EnrollReport& report, const client::StateMirror& names) {
  JsonWriter json;
  json.beginObject()
      .key("directory").value(report.directory)
      .key("replace").value(report.replace)
      .key("delegates").beginArray();
  for (const auto& delegate : report.delegates) {
    json.beginObject().key("code").value(delegate.code).key("delegateId").value(delegate.delegateId);
    if (const v1::Delegate* known = names.findDelegate(delegate.delegateId)) {
      json.key("name").value(known->full_name());
    }
    json.key("photos").beginArray();
    for (const auto& photo : delegate.photos) {
      json.beginObject()
          .key("name").value(photo.name())
          .key("ok").value(photoOk(photo))
          .key("status").value(photo.status())
          .key("message").value(photo.message())
          .key("reused").value(photo.reused())
          .key("sha256").value(photo.sha256())
          .endObject();
    }
    json.endArray();
    if (delegate.error) {
      json.key("error").beginObject()
          .key("code").value(delegate.error->code)
          .key("message").value(delegate.error->message)
          .endObject();
    }
    json.endObject();
  }
  json.endArray();
  const auto writeList = [&json](std::string_view key, const std::vector<std::string>& items) {
    json.key(key).beginArray();
    for (const auto& item : items) {
      json.value(item);
    }
    json.endArray();
  };
  writeList("skipped", report.skipped);
  writeList("unmatched", report.unmatched);
  writeList("ignored", report.ignored);
  const EnrollTotals totals = enrollTotals(report);
  json.key("totals").beginObject()
      .key("delegates").value(totals.delegates)
      .key("photos").value(totals.photos)
      .key("ok").value(totals.ok)
      .key("reused").value(totals.reused)
      .key("refused").value(totals.refused)
      .key("delegatesWithUsablePhoto").value(totals.delegatesUsable)
      .endObject();
  if (report.enrollment) {
    json.key("enrollment");
    writeEnrollmentState(json, *report.enrollment, names);
  }
  json.endObject();
  return json.str();
}

std::string facesText(const v1::FaceEnrollmentReply& reply, const client::StateMirror& names) {
  std::string out;
  if (reply.enrolled_size() > 0) {
    TextTable table({"Mã", "Họ và tên", "Ảnh", "Gần nhất", "Khoảng cách"},
                    {Align::Left, Align::Left, Align::Right, Align::Left, Align::Right});
    for (const auto& enrolled : reply.enrolled()) {
      const bool alone = enrolled.nearest_other_id() == 0;
      table.addRow({enrolled.delegate_code(), nameOf(names, enrolled.delegate_id()), std::to_string(enrolled.photos()),
                    alone ? "" : codeOf(names, enrolled.nearest_other_id()),
                    alone ? "" : distanceText(enrolled.nearest_other_distance())});
    }
    out += table.render() + "\n";
  }
  out += availabilityLine(reply);
  out += enrolledSummary(reply);
  if (reply.not_enrolled_size() > 0) {
    out += wrappedList("Chưa có ảnh dùng được", notEnrolledCodes(reply, names));
  }
  out += lookAlikeBlock(reply, names);
  out += thresholdLines(reply);
  return out;
}

std::string facesJson(const v1::FaceEnrollmentReply& reply, const client::StateMirror& names) {
  JsonWriter json;
  writeEnrollmentState(json, reply, names);
  return json.str();
}

std::string rollCallText(const v1::RollCallReply& reply, std::string_view note,
                         const std::optional<v1::Sitting>& sitting) {
  const auto& totals = reply.totals();
  std::string out = "Đã điểm danh lần " + std::to_string(reply.roll_call_id()) + " (seq " +
                    std::to_string(reply.seq()) + ")\n";
  if (sitting) {
    out += "Phiên họp:  " + sittingRef(*sitting) + "\n";
  }
  if (!note.empty()) {
    out += "Ghi chú:    " + safe(note) + "\n";
  }
  out += "Có mặt:     " + std::to_string(totals.present()) + " đại biểu\n";
  out += "Biểu quyết: " + std::to_string(totals.present_voting()) + "/" + std::to_string(totals.summoned()) +
         " đại biểu được triệu tập có mặt\n";
  out += "Túc số:     cần " + std::to_string(totals.quorum_required()) + " — " +
         (totals.quorum_reached() ? std::string("ĐÃ ĐỦ")
                                  : "CHƯA ĐỦ (thiếu " + std::to_string(quorumMissing(totals)) + ")") +
         "\n";
  return out;
}

std::string rollCallJson(const v1::RollCallReply& reply, std::string_view note,
                         const std::optional<v1::Sitting>& sitting) {
  JsonWriter json;
  json.beginObject()
      .key("rollCallId").value(reply.roll_call_id())
      .key("seq").value(reply.seq())
      .key("note").value(note)
      .key("sittingId").value(sitting ? sitting->id() : 0u)
      .key("totals");
  writeTotals(json, reply.totals());
  json.endObject();
  return json.str();
}

std::string sittingText(bool started, const v1::SittingReply& reply) {
  const v1::Sitting& sitting = reply.sitting();
  std::string out = std::string(started ? "Đã khai mạc phiên họp " : "Đã bế mạc phiên họp ") + sittingRef(sitting);
  if (started || sitting.ended_ms() == 0) {
    out += " lúc " + formatLocalTime(sitting.started_ms(), true);
  } else {
    out += ": " + sittingPeriod(sitting);
  }
  return out + " (seq " + std::to_string(reply.seq()) + ")\n";
}

std::string sittingJson(bool started, const v1::SittingReply& reply) {
  JsonWriter json;
  json.beginObject().key("action").value(started ? "started" : "ended").key("seq").value(reply.seq()).key("sitting");
  writeSitting(json, reply.sitting());
  json.endObject();
  return json.str();
}

std::string attendanceLogText(const v1::AttendanceLogReply& log) {
  std::string out;
  bool thumbnails = false;
  if (log.entries_size() > 0) {
    TextTable table({"Số", "Thời gian", "Mã", "Họ và tên", "Đoàn", "Vào/ra", "Cách", "Bởi", "Khoảng cách", "Lý do"},
                    {Align::Right, Align::Left, Align::Left, Align::Left, Align::Left, Align::Left, Align::Left,
                     Align::Left, Align::Right, Align::Left});
    for (const auto& entry : log.entries()) {
      std::string distance;
      if (entry.method() == v1::ATTENDANCE_METHOD_FACE) {
        distance = distanceText(entry.face_distance());
        if (entry.has_thumbnail()) {
          distance += "*";
          thumbnails = true;
        }
      }
      table.addRow({std::to_string(entry.id()), formatLocalTime(entry.time_ms(), true), entry.delegate_code(),
                    entry.full_name(), entry.delegation(), entry.present() ? "vào" : "ra",
                    std::string(methodShort(entry.method())), shortPrincipal(entry.recorded_by()), distance,
                    entry.reason()});
    }
    out += table.render();
  }
  out += std::to_string(log.entries_size()) + " lượt ghi nhận\n";
  if (thumbnails) {
    out += "* có ảnh lưu lại: daihoi face-thumbnail SỐ --out ảnh.jpg\n";
  }
  if (log.sittings_size() == 0) {
    out += "Chưa có phiên họp nào.\n";
  } else {
    out += "\nCác phiên họp:\n";
    TextTable table({"Phiên", "Tên", "Thời gian"}, {Align::Right, Align::Left, Align::Left});
    for (const auto& sitting : log.sittings()) {
      table.addRow({"#" + std::to_string(sitting.id()), sitting.title(), sittingPeriod(sitting)});
    }
    out += table.render();
  }
  return out;
}

std::string attendanceLogJson(const v1::AttendanceLogReply& log) {
  JsonWriter json;
  json.beginObject().key("entries").beginArray();
  for (const auto& entry : log.entries()) {
    json.beginObject()
        .key("id").value(entry.id())
        .key("timeMs").value(entry.time_ms())
        .key("time").value(formatIsoTime(entry.time_ms()))
        .key("delegateId").value(entry.delegate_id())
        .key("code").value(entry.delegate_code())
        .key("fullName").value(entry.full_name())
        .key("delegation").value(entry.delegation())
        .key("present").value(entry.present())
        .key("method").value(methodKey(entry.method()))
        .key("reason").value(entry.reason())
        .key("recordedBy");
    writePrincipalJson(json, entry.recorded_by());
    if (entry.method() == v1::ATTENDANCE_METHOD_FACE) {
      json.key("faceDistance").number(entry.face_distance(), 4);
    }
    json.key("hasThumbnail").value(entry.has_thumbnail()).key("sittingId").value(entry.sitting_id()).endObject();
  }
  json.endArray().key("sittings").beginArray();
  for (const auto& sitting : log.sittings()) {
    writeSitting(json, sitting);
  }
  json.endArray().endObject();
  return json.str();
}

std::string attendanceLogCsv(const v1::AttendanceLogReply& log) {
  std::map<std::uint32_t, std::string> titles;
  for (const auto& sitting : log.sittings()) {
    titles[sitting.id()] = sitting.title();
  }
  std::string out =
      "\xEF\xBB\xBF"
      "id,time,code,full_name,delegation,in_out,method,recorded_by,face_distance,reason,sitting_id,sitting_title\r\n";
  for (const auto& entry : log.entries()) {
    const bool face = entry.method() == v1::ATTENDANCE_METHOD_FACE && entry.face_distance() > 0;
    const bool inSitting = entry.sitting_id() != 0;
    out += std::to_string(entry.id()) + "," + csvField(formatIsoTime(entry.time_ms())) + "," +
           csvField(entry.delegate_code()) + "," + csvField(entry.full_name()) + "," + csvField(entry.delegation()) +
           "," + (entry.present() ? "in" : "out") + "," + std::string(methodKey(entry.method())) + "," +
           csvField(shortPrincipal(entry.recorded_by())) + "," + (face ? fixed(entry.face_distance(), 4) : "") + "," +
           csvField(entry.reason()) + "," + (inSitting ? std::to_string(entry.sitting_id()) : "") + "," +
           csvField(inSitting ? titles[entry.sitting_id()] : "") + "\r\n";
  }
  return out;
}

std::string attendanceLogSavedText(std::size_t rows, std::string_view file) {
  return "Đã ghi nhật ký có mặt (" + std::to_string(rows) + " lượt) vào " + safe(file) + "\n";
}

std::string attendanceLogSavedJson(std::size_t rows, std::string_view file) {
  JsonWriter json;
  json.beginObject().key("rows").value(rows).key("file").value(file).endObject();
  return json.str();
}

std::string thumbnailSavedText(std::uint64_t attendanceId, std::size_t bytes, std::string_view file) {
  return "Đã ghi ảnh của lượt điểm danh " + std::to_string(attendanceId) + " (" + std::to_string(bytes) +
         " byte) vào " + safe(file) + "\n";
}

std::string thumbnailSavedJson(std::uint64_t attendanceId, std::size_t bytes, std::string_view file) {
  JsonWriter json;
  json.beginObject().key("attendanceId").value(attendanceId).key("bytes").value(bytes).key("file").value(file).endObject();
  return json.str();
}

std::string faceEventText(const v1::Event& event, const client::StateMirror& names) {
  switch (event.body_case()) {
    case v1::Event::kFaceAttemptUnresolved: {
      const auto& attempt = event.face_attempt_unresolved();
      std::string kiosk = shortPrincipal(attempt.kiosk());
      std::string line = label("KHUÔN MẶT") + "Ki-ốt " + (kiosk.empty() ? std::string("?") : safe(kiosk)) + ": " +
                         faceAttemptText(attempt) + " — mời làm thủ tục tại bàn tiếp đón";
      if (!attempt.reason().empty()) {
        line += " · " + safe(attempt.reason());
      }
      if (!attempt.claimed_code().empty() && attempt.status() != v1::FACE_STATUS_MISMATCH) {
        line += " · thẻ " + safe(attempt.claimed_code());
      }
      if (attempt.image_kept()) {
        line += " · ảnh lưu: daihoi face-thumbnail " + std::to_string(event.seq()) + " --attempt --out ảnh.jpg";
      }
      if (attempt.nearest_delegate_id() != 0) {
        line += " · gần nhất: " + delegateText(names, attempt.nearest_delegate_id());
        if (attempt.distance() > 0) {
          line += " (" + distanceText(attempt.distance()) + ")";
        }
      }
      return line;
    }
    case v1::Event::kRollCallTaken: {
      const auto& rollCall = event.roll_call_taken();
      std::string line = label("ĐIỂM DANH") + "lần " + std::to_string(rollCall.roll_call_id()) + ": " +
                         totalsSummary(rollCall.totals());
      if (rollCall.sitting_id() != 0) {
        line += " · phiên #" + std::to_string(rollCall.sitting_id());
      }
      if (!rollCall.note().empty()) {
        line += " · ghi chú: " + safe(rollCall.note());
      }
      return hasPrincipal(rollCall.by()) ? line + byText(rollCall.by()) : line;
    }
    case v1::Event::kSittingChanged: {
      const auto& changed = event.sitting_changed();
      const auto& sitting = changed.sitting();
      std::string line = label("PHIÊN HỌP") + (sitting.ended_ms() == 0 ? "khai mạc " : "bế mạc ") + sittingRef(sitting);
      if (sitting.ended_ms() != 0) {
        line += " (" + sittingPeriod(sitting) + ")";
      }
      return hasPrincipal(changed.by()) ? line + byText(changed.by()) : line;
    }
    case v1::Event::kFaceEnrollmentChanged: {
      const auto& changed = event.face_enrollment_changed();
      std::string line = label("ẢNH MẶT") + delegateText(names, changed.delegate_id()) + ": " +
                         (changed.photos() == 0 ? std::string("không còn ảnh dùng được")
                                                : std::to_string(changed.photos()) + " ảnh dùng được") +
                         " · " + std::to_string(changed.enrolled_delegates()) + " đại biểu đã đăng ký khuôn mặt";
      return hasPrincipal(changed.by()) ? line + byText(changed.by()) : line;
    }
    default:
      return "SỰ KIỆN    (loại mới, client này chưa biết)";
  }
}

void writeFaceEventJson(JsonWriter& json, const v1::Event& event, const client::StateMirror& names) {
  const auto writeBy = [&json](const v1::Principal& by) {
    if (hasPrincipal(by)) {
      json.key("by");
      writePrincipalJson(json, by);
    }
  };
  switch (event.body_case()) {
    case v1::Event::kFaceAttemptUnresolved: {
      const auto& attempt = event.face_attempt_unresolved();
      json.key("type").value("face_attempt_unresolved").key("kiosk");
      writePrincipalJson(json, attempt.kiosk());
      json.key("status").value(faceStatusKey(attempt.status()))
          .key("reason").value(attempt.reason())
          .key("claimedCode").value(attempt.claimed_code())
          .key("imageKept").value(attempt.image_kept());
      if (attempt.nearest_delegate_id() != 0) {
        json.key("nearest");
        writeDelegateRef(json, names, attempt.nearest_delegate_id());
        json.key("distance").number(attempt.distance(), 4);
      }
      break;
    }
    case v1::Event::kRollCallTaken: {
      const auto& rollCall = event.roll_call_taken();
      json.key("type").value("roll_call_taken")
          .key("rollCallId").value(rollCall.roll_call_id())
          .key("sittingId").value(rollCall.sitting_id())
          .key("note").value(rollCall.note())
          .key("totals");
      writeTotals(json, rollCall.totals());
      json.key("presentDelegateIds").beginArray();
      for (std::uint32_t id : rollCall.present_delegate_ids()) {
        json.value(id);
      }
      json.endArray();
      writeBy(rollCall.by());
      break;
    }
    case v1::Event::kSittingChanged:
      json.key("type").value("sitting_changed").key("sitting");
      writeSitting(json, event.sitting_changed().sitting());
      writeBy(event.sitting_changed().by());
      break;
    case v1::Event::kFaceEnrollmentChanged: {
      const auto& changed = event.face_enrollment_changed();
      json.key("type").value("face_enrollment_changed").key("delegate");
      writeDelegateRef(json, names, changed.delegate_id());
      json.key("photos").value(changed.photos()).key("enrolledDelegates").value(changed.enrolled_delegates());
      writeBy(changed.by());
      break;
    }
    default:
      json.key("type").value("unknown");
      break;
  }
}

}  // namespace daihoi::cli
