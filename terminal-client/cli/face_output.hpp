#pragma once
// How `daihoi` prints Face ID enrollment, roll calls, sittings, the attendance log and their
// `watch` lines. Pure functions of protocol messages, like output.hpp: Vietnamese text for
// people, JSON for scripts, CSV for spreadsheets. Distances print with a decimal comma in
// text ("0,412") and a point in JSON and CSV.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_codes.hpp"
#include "client/state_mirror.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

class JsonWriter;

// "0,412"; "–" for 0 (no distance).
std::string distanceText(float distance);
// Local time in ISO 8601 with the offset: "2025-12-02T08:01:05.123+07:00".
std::string formatIsoTime(std::int64_t unixMs);

// An EnrollPhotoReport.status for people: "ok" → "đạt", "no_face" → "không thấy khuôn mặt", ...;
// unknown codes are shown as they are.
std::string photoStatusLabel(std::string_view status);
std::string_view faceStatusKey(daihoi::v1::FaceStatus status);  // "unknown", "not-live", ...

// Photo statuses the CLI gives itself, for photos the server never saw.
inline constexpr std::string_view kPhotoUnreadable = "unreadable";
inline constexpr std::string_view kPhotoTooLargeToSend = "too_large_to_send";
inline constexpr std::string_view kPhotoRequestFailed = "request_failed";

struct DelegateEnrollment {
  std::string code;
  std::uint32_t delegateId = 0;
  // One per photo file, in the order sent: the server's report, or one of the CLI's own
  // statuses above for a photo that could not be sent.
  std::vector<daihoi::v1::EnrollPhotoReport> photos;
  std::optional<CliError> error;  // the delegate's request failed: nothing of it was enrolled
};

struct EnrollReport {
  std::string directory;
  bool replace = false;
  std::vector<DelegateEnrollment> delegates;  // in the order sent
  std::vector<std::string> skipped;           // codes already enrolled, left alone without --replace
  std::vector<std::string> unmatched;         // photos named after no delegate code
  std::vector<std::string> ignored;           // files that are not photos
  std::optional<daihoi::v1::FaceEnrollmentReply> enrollment;  // the whole roster's state after the run
};

struct EnrollTotals {
  std::size_t delegates = 0;        // delegates whose photos were sent (or tried)
  std::size_t photos = 0;
  std::size_t ok = 0;               // usable photos, reused ones included
  std::size_t reused = 0;
  std::size_t refused = 0;
  std::size_t delegatesUsable = 0;  // of `delegates`, those with at least one usable photo now
};
EnrollTotals enrollTotals(const EnrollReport& report);

// `names` gives delegate names and codes by id (the roster).
std::string enrollReportText(const EnrollReport& report, const client::StateMirror& names);
std::string enrollReportJson(const EnrollReport& report, const client::StateMirror& names);

std::string facesText(const daihoi::v1::FaceEnrollmentReply& reply, const client::StateMirror& names);
std::string facesJson(const daihoi::v1::FaceEnrollmentReply& reply, const client::StateMirror& names);

// `sitting`: the sitting in session (the mirror's), if any.
std::string rollCallText(const daihoi::v1::RollCallReply& reply, std::string_view note,
                         const std::optional<daihoi::v1::Sitting>& sitting);
std::string rollCallJson(const daihoi::v1::RollCallReply& reply, std::string_view note,
                         const std::optional<daihoi::v1::Sitting>& sitting);

// `started`: the reply to StartSitting, else to EndSitting.
std::string sittingText(bool started, const daihoi::v1::SittingReply& reply);
std::string sittingJson(bool started, const daihoi::v1::SittingReply& reply);

// The log (all pages joined) as a table with the sittings after it.
std::string attendanceLogText(const daihoi::v1::AttendanceLogReply& log);
std::string attendanceLogJson(const daihoi::v1::AttendanceLogReply& log);
// UTF-8 with a BOM, CRLF, RFC 4180 quoting; columns id, time (ISO 8601, local with offset),
// code, full_name, delegation, in_out (in/out), method (manual/face/badge), recorded_by,
// face_distance (face check-ins, 4 decimals with a point), reason, sitting_id (empty outside a
// sitting), sitting_title.
std::string attendanceLogCsv(const daihoi::v1::AttendanceLogReply& log);
std::string attendanceLogSavedText(std::size_t rows, std::string_view file);
std::string attendanceLogSavedJson(std::size_t rows, std::string_view file);

std::string thumbnailSavedText(std::uint64_t attendanceId, std::size_t bytes, std::string_view file);
std::string thumbnailSavedJson(std::uint64_t attendanceId, std::size_t bytes, std::string_view file);

// The part of a `watch` line after "#seq time  " for FaceAttemptUnresolved, RollCallTaken,
// SittingChanged and FaceEnrollmentChanged, and their JSON fields.
std::string faceEventText(const daihoi::v1::Event& event, const client::StateMirror& names);
void writeFaceEventJson(JsonWriter& json, const daihoi::v1::Event& event, const client::StateMirror& names);

}  // namespace daihoi::cli
