#pragma once
// The face workers behind the hall, as the protocol layer sees them: images go
// in, measurements come back on the hall's thread. The app implements it with
// the faceid pipeline on worker threads (app/face_workers.hpp); the protocol
// layer never sees OpenCV or dlib, only what the pipeline measured.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/changes.hpp"
#include "faceid/attempt.hpp"

namespace daihoi::protocol {

enum class FaceJob {
  LiveFrame,   // a kiosk's camera frame: analysed first, no upsampling
  Enrollment,  // a roster photo: exactly one usable face, jittered descriptor (~150 ms)
};

// What the workers measured on one image. No pixels, except the aligned face.
struct FaceMeasurement {
  // Set when the image could not be used at all (not an image, corrupt, too large):
  // a code of faceid::decodeImage and a message naming the problem.
  std::string errorCode;
  std::string errorMessage;
  int width = 0;
  int height = 0;
  int faces = 0;  // detections in the image
  // hasFace, passed, box, ear, pose, descriptor (timeMs is the caller's).
  faceid::FrameObservation observation;
  std::vector<std::string> issues;  // quality codes, in the order to fix them
  std::string prompt;               // Vietnamese / English prompt for the first issue
  std::string chipJpeg;             // the aligned 150×150 face, JPEG (when a face was found)
  std::int64_t micros = 0;          // time spent on the worker

  bool failed() const { return !errorCode.empty(); }
};

// An enrollment photo's measurement as an enrolled photo; nothing when the
// photo is not usable (then `issues`/`errorCode` say why).
inline std::optional<domain::EnrolledPhoto> enrolledPhotoOf(const FaceMeasurement& measured, std::string sha256,
                                                           std::string name, std::int64_t nowMs) {
  if (measured.failed() || !measured.observation.passed || !measured.observation.descriptor) return std::nullopt;
  domain::EnrolledPhoto photo;
  photo.sha256 = std::move(sha256);
  photo.name = std::move(name);
  photo.descriptor = *measured.observation.descriptor;
  photo.chipJpeg = measured.chipJpeg;
  photo.enrolledMs = nowMs;
  return photo;
}

// Why face work cannot be done now. `retryAfterMs` is set while the models are
// still loading after a start (a few seconds): the caller may try again then.
struct FaceUnavailable {
  std::string reason;
  std::uint32_t retryAfterMs = 0;
};

class FaceEngine {
 public:
  virtual ~FaceEngine() = default;
  // Nothing when face work is available; otherwise why not (still loading, a model missing or wrong).
  virtual std::optional<FaceUnavailable> unavailable() const = 0;
  // Analyses `image` off the hall's thread and calls `done` on it. Live frames
  // are taken before waiting enrollment photos.
  virtual void analyze(std::string image, FaceJob job, std::function<void(FaceMeasurement)> done) = 0;
};

}  // namespace daihoi::protocol
