#include "kiosk/reset_policy.hpp"

#include "kiosk/presentation.hpp"

namespace daihoi::kiosk {

namespace v1 = daihoi::v1;

bool ResetPolicy::observe(v1::FaceStatus status, bool faceSeen, std::int64_t nowMs) {
  if (!enabled()) {
    return false;
  }
  if (isFinalStatus(status)) {
    finalSeen_ = true;
    if (faceSeen) {
      noFaceSince_.reset();  // still standing there
      return false;
    }
  } else if (status != v1::FACE_STATUS_NO_FACE && status != v1::FACE_STATUS_UNSPECIFIED) {
    // A new attempt has started at the hall (the person left and someone came): nothing to reset.
    finalSeen_ = false;
    noFaceSince_.reset();
    return false;
  } else if (faceSeen) {
    noFaceSince_.reset();
    return false;
  }
  if (!finalSeen_) {
    return false;
  }
  if (!noFaceSince_) {
    noFaceSince_ = nowMs;
  }
  if (nowMs - *noFaceSince_ >= afterMs_) {
    resetSent();
    return true;
  }
  return false;
}

void ResetPolicy::resetSent() {
  finalSeen_ = false;
  noFaceSince_.reset();
}

}  // namespace daihoi::kiosk
