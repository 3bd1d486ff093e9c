#pragma once
// --reset-after-ms: when to send FaceReset. The hall ends an attempt by itself after a few
// consecutive frames without a face (faceid::AttemptOptions::noFaceFramesToReset, 5), but it
// repeats a final answer for a hold time first (holdMs, 4 s), also to frames without a face.
// A kiosk in a queue may want the next person sooner: once the status has been final and then
// no face was seen for `afterMs`, it sends FaceReset. Off (0) by default: the hall's own rule.
// Pure logic over the replies and the kiosk's clock.
#include <cstdint>
#include <optional>

#include "daihoi.pb.h"

namespace daihoi::kiosk {

class ResetPolicy {
 public:
  explicit ResetPolicy(std::int64_t afterMs) : afterMs_(afterMs) {}

  bool enabled() const { return afterMs_ > 0; }
  // One in-order reply (not DROPPED) at `nowMs`. True: send FaceReset now (once; the policy
  // then waits for the next final status).
  bool observe(daihoi::v1::FaceStatus status, bool faceSeen, std::int64_t nowMs);
  // The kiosk (or the usher) reset the attempt: forget the final status.
  void resetSent();

  bool finalSeen() const { return finalSeen_; }

 private:
  std::int64_t afterMs_;
  bool finalSeen_ = false;
  std::optional<std::int64_t> noFaceSince_;
};

}  // namespace daihoi::kiosk
