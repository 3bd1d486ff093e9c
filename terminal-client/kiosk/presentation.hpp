#pragma once
// What the kiosk tells people: the greeting, one line per status change (text or JSON), and
// which replies count as a change. Pure functions over FaceFrameReply.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daihoi.pb.h"

namespace daihoi::kiosk {

// The attempt ended: checked in or out, or sent to the reception desk.
bool isFinalStatus(daihoi::v1::FaceStatus status);
// The hall named a delegate in this reply (recognised, also while waiting for liveness).
bool namesDelegate(const daihoi::v1::FaceFrameReply& reply);
// A face box is set.
bool hasFace(const daihoi::v1::FaceFrameReply& reply);

// "Xin chào / Welcome, NAME — ghế/seat S, đoàn/delegation D" (parts left out when unknown).
// An exit kiosk says goodbye instead: "Tạm biệt / Goodbye, NAME".
std::string greeting(const daihoi::v1::FaceFrameReply& reply);
// What --speak says (Vietnamese voice): "Xin chào NAME. Ghế S." / "Tạm biệt NAME."
std::string spokenGreeting(const daihoi::v1::FaceFrameReply& reply);

// One reply, as the kiosk reports it.
struct StatusReport {
  daihoi::v1::FaceFrameReply reply;  // the image bytes (enrolled_photo) are kept for the window
  double roundTripMs = 0;
  double elapsedSeconds = 0;         // since the kiosk started
};

// "+3.2s frame 31 checked_in: <prompt> [HN-001 Nguyễn Văn A, ghế/seat A-1, Đoàn X; distance 0.41; ...]"
// and, when checked in, a second line with the greeting (unless the prompt names the delegate
// already). Ends with a newline.
std::string statusLineText(const StatusReport& report);
// {"t_s":3.2,"frame":31,"status":"checked_in","prompt":...,"code":...,"name":...,"seat":...,
//  "delegation":...,"distance":...,"margin":...,"frames":5,"analysis_ms":80,"round_trip_ms":95.3,...}
std::string statusLineJson(const StatusReport& report);

// Decides which replies are news. Replies may come out of order (a DROPPED answer overtakes the
// frame being analysed): DROPPED replies and replies older than the last one applied change
// nothing. A change is a new status, a different delegate, or (ADJUST) different issues.
class StatusTracker {
 public:
  // True when `reply` changes what the kiosk shows.
  bool update(const daihoi::v1::FaceFrameReply& reply);
  // The last reply applied (nullopt before the first).
  const std::optional<daihoi::v1::FaceFrameReply>& current() const { return current_; }
  std::uint64_t lastFrameId() const { return lastFrameId_; }

 private:
  std::optional<daihoi::v1::FaceFrameReply> current_;
  std::uint64_t lastFrameId_ = 0;
};

}  // namespace daihoi::kiosk
