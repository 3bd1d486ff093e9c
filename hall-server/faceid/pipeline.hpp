#pragma once
// The face pipeline of one worker thread: decode → detect (dlib HOG on a copy
// at most 640 px on its longer side) → the largest face → 68 landmarks on the full frame →
// aligned 150×150 chip → quality gates → descriptor. One FacePipeline per worker
// (it owns a detector and a DescriptorNet, neither thread-safe); one Landmarker
// shared by all of them (dlib's shape_predictor is only used through const calls).
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "faceid/decode.hpp"
#include "faceid/descriptor.hpp"
#include "faceid/geometry.hpp"
#include "faceid/quality.hpp"

namespace daihoi::faceid {

class DescriptorNet;

// The 68-point landmark model (about 70 MB in memory), loaded once and shared.
class Landmarker {
 public:
  // Throws std::runtime_error with a clear message when the file is missing or unreadable.
  static std::shared_ptr<const Landmarker> load(const std::string& path);
  ~Landmarker();
  Landmarker(const Landmarker&) = delete;
  Landmarker& operator=(const Landmarker&) = delete;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit Landmarker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct PipelineOptions {
  // Frames whose longer side exceeds this are scaled down for detection (a 640×480
  // frame is used as is; landmarks and the chip always come from the full frame).
  int detectSize = 640;
  int upsample = 0;       // doublings before detection (4× the cost each): stills and enrollment only
  bool requireSingleFace = false;  // enrollment: exactly one usable face
  bool describe = true;            // compute the descriptor when the quality gates pass
  bool describeRejected = false;   // … and also when they fail (benchmarks, diagnostics)
  bool mirror = false;             // average the descriptors of the chip and its mirror image
  int jitter = 0;                  // also average this many randomly jittered chips (enrollment: ~10)
  bool keepChip = false;           // JPEG of the aligned chip in the result (thumbnails)
  QualityOptions quality;
  DecodeLimits limits;

  // A kiosk's live frame: no upsampling, strict decode limits.
  static PipelineOptions liveFrame();
  // A roster photo: one usable face, upsampled once, mirror + 10 jitters.
  static PipelineOptions enrollment();
  // A single still (small photos, the badge second factor): upsampled once, mirror.
  static PipelineOptions still();
};

// Microseconds spent in each stage of one analyze() call.
struct StageTimes {
  std::int64_t decode = 0;
  std::int64_t detect = 0;     // including greyscale conversion and scaling
  std::int64_t landmarks = 0;
  std::int64_t chip = 0;       // aligned chip extraction
  std::int64_t quality = 0;
  std::int64_t describe = 0;
  std::int64_t total = 0;
};

struct FaceAnalysis {
  int width = 0;  // the frame
  int height = 0;
  std::vector<Box> faces;  // every detection, full-frame pixels, largest first
  // The chosen (largest) face; meaningful when hasFace().
  Box box;
  Landmarks landmarks{};
  float ear = 0;  // eye aspect ratio, mean of both eyes
  HeadPose pose;
  QualityMeasures measures;
  std::vector<QualityIssue> issues;  // empty: every gate passed; first: the prompt to show
  std::optional<Descriptor> descriptor;
  std::string chipJpeg;  // with PipelineOptions::keepChip
  StageTimes times;

  bool hasFace() const { return !faces.empty(); }
  bool passed() const { return hasFace() && issues.empty(); }
};

class FacePipeline {
 public:
  // net may be null: then no descriptors are computed (detection and quality only).
  FacePipeline(std::shared_ptr<const Landmarker> landmarker, std::unique_ptr<DescriptorNet> net);
  ~FacePipeline();
  FacePipeline(const FacePipeline&) = delete;
  FacePipeline& operator=(const FacePipeline&) = delete;

  bool canDescribe() const;

  // Never throws: undecodable input and internal errors come back as a Failure
  // (codes of decodeImage, or "internal_error"). A frame without a usable face is
  // not a Failure: it is a FaceAnalysis with issues.
  Result<FaceAnalysis> analyze(std::string_view imageBytes, const PipelineOptions& options);
  Result<FaceAnalysis> analyze(const cv::Mat& image, const PipelineOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// OpenCV's own thread pool, process-wide. Face workers run one frame each on
// their own thread, so the server sets 1 (and OPENBLAS_NUM_THREADS=1).
void setOpenCvThreads(int threads);

}  // namespace daihoi::faceid
