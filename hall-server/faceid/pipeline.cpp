// The only translation unit of the pipeline that includes dlib's detector and
// shape predictor headers (they are heavy to compile).
#include "faceid/pipeline.hpp"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_processing/shape_predictor.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv.h>
#include <dlib/rand.h>
#include <dlib/serialize.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <fstream>
#include <stdexcept>

#include "faceid/face_model.hpp"

namespace daihoi::faceid {

struct Landmarker::Impl {
  dlib::shape_predictor predictor;
};

Landmarker::Landmarker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Landmarker::~Landmarker() = default;

std::shared_ptr<const Landmarker> Landmarker::load(const std::string& path) {
  if (!std::ifstream(path).good())
    throw std::runtime_error("the face landmark model " + path +
                             " is missing or unreadable (Debian package libdlib-data)");
  auto impl = std::make_unique<Impl>();
  try {
    dlib::deserialize(path) >> impl->predictor;
  } catch (const std::exception& e) {
    throw std::runtime_error("the face landmark model " + path + " could not be read: " + e.what());
  }
  if (impl->predictor.num_parts() != kLandmarkCount)
    throw std::runtime_error("the face landmark model " + path + " has " +
                             std::to_string(impl->predictor.num_parts()) + " points, 68 expected");
  return std::shared_ptr<const Landmarker>(new Landmarker(std::move(impl)));
}

PipelineOptions PipelineOptions::liveFrame() {
  PipelineOptions o;
  o.limits = DecodeLimits::liveFrame();
  return o;
}

PipelineOptions PipelineOptions::enrollment() {
  PipelineOptions o;
  o.upsample = 1;
  o.requireSingleFace = true;
  o.mirror = true;
  o.jitter = 10;
  return o;
}

PipelineOptions PipelineOptions::still() {
  PipelineOptions o;
  o.upsample = 1;
  o.mirror = true;
  return o;
}

void setOpenCvThreads(int threads) { cv::setNumThreads(threads); }

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t micros(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

// The face region of the aligned chip (padding 0.25 puts the face in the middle two thirds).
const cv::Rect kChipFace(25, 25, 100, 100);

}  // namespace

struct FacePipeline::Impl {
  std::shared_ptr<const Landmarker> landmarker;
  std::unique_ptr<DescriptorNet> net;
  dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();

  Result<FaceAnalysis> run(const cv::Mat& bgr, const PipelineOptions& o, Clock::time_point start,
                           std::int64_t decodeMicros);
};

FacePipeline::FacePipeline(std::shared_ptr<const Landmarker> landmarker, std::unique_ptr<DescriptorNet> net)
    : impl_(std::make_unique<Impl>()) {
  if (!landmarker) throw std::invalid_argument("FacePipeline needs a landmark model");
  impl_->landmarker = std::move(landmarker);
  impl_->net = std::move(net);
}

FacePipeline::~FacePipeline() = default;

bool FacePipeline::canDescribe() const { return impl_->net != nullptr; }

Result<FaceAnalysis> FacePipeline::analyze(std::string_view imageBytes, const PipelineOptions& options) {
  const auto start = Clock::now();
  try {
    auto image = decodeImage(imageBytes, options.limits);
    if (!image) return image.error();
    return impl_->run(*image, options, start, micros(start, Clock::now()));
  } catch (const std::exception& e) {
    return fail("internal_error", std::string("Lỗi xử lý ảnh / face pipeline error: ") + e.what());
  }
}

Result<FaceAnalysis> FacePipeline::analyze(const cv::Mat& image, const PipelineOptions& options) {
  const auto start = Clock::now();
  try {
    auto bgr = toBgr8(image);
    if (!bgr) return bgr.error();
    if (bgr->cols > options.limits.maxSide || bgr->rows > options.limits.maxSide ||
        static_cast<long long>(bgr->cols) * bgr->rows > options.limits.maxPixels)
      return fail("image_dimensions_too_large", "Ảnh quá lớn / image dimensions too large");
    return impl_->run(*bgr, options, start, micros(start, Clock::now()));
  } catch (const std::exception& e) {
    return fail("internal_error", std::string("Lỗi xử lý ảnh / face pipeline error: ") + e.what());
  }
}

Result<FaceAnalysis> FacePipeline::Impl::run(const cv::Mat& bgrIn, const PipelineOptions& o,
                                             Clock::time_point start, std::int64_t decodeMicros) {
  // dlib's cv_image needs continuous-or-not 8-bit data; a ROI is fine, but keep one layout.
  const cv::Mat bgr = bgrIn.isContinuous() ? bgrIn : bgrIn.clone();
  FaceAnalysis a;
  a.width = bgr.cols;
  a.height = bgr.rows;
  a.times.decode = decodeMicros;

  // Detection on a grey copy whose longer side is at most detectSize (never
  // larger than the frame unless upsampling was asked for).
  auto t = Clock::now();
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  double scale = 1.0;
  const int longer = std::max(bgr.cols, bgr.rows);
  if (o.detectSize > 0 && longer > o.detectSize) scale = static_cast<double>(o.detectSize) / longer;
  scale *= std::pow(2.0, std::clamp(o.upsample, 0, 3));
  cv::Mat small;
  if (std::abs(scale - 1.0) < 1e-9) {
    small = grey;
  } else {
    const cv::Size size(std::max(1, static_cast<int>(std::lround(bgr.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(bgr.rows * scale))));
    cv::resize(grey, small, size, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  const double sx = static_cast<double>(bgr.cols) / small.cols;
  const double sy = static_cast<double>(bgr.rows) / small.rows;
  std::vector<dlib::rectangle> found = detector(dlib::cv_image<unsigned char>(small));
  long padX = 0, padY = 0;
  if (found.empty() && o.upsample > 0) {
    // A still cropped tightly to the face (an ID photo; ORL's crops) leaves HOG's window no room
    // around the face. Looking again with a border finds it, and the quality gates judge it
    // (often "cut by the edge": a wider photo is needed) instead of "no face". Stills only: the
    // live loop never pays for the second look.
    padX = small.cols / 4;
    padY = small.rows / 4;
    cv::Mat padded;
    cv::copyMakeBorder(small, padded, static_cast<int>(padY), static_cast<int>(padY), static_cast<int>(padX),
                       static_cast<int>(padX), cv::BORDER_REPLICATE);
    found = detector(dlib::cv_image<unsigned char>(padded));
  }
  for (const auto& r : found) {
    const int x0 = static_cast<int>(std::lround(static_cast<double>(r.left() - padX) * sx));
    const int y0 = static_cast<int>(std::lround(static_cast<double>(r.top() - padY) * sy));
    const int x1 = static_cast<int>(std::lround(static_cast<double>(r.right() + 1 - padX) * sx));
    const int y1 = static_cast<int>(std::lround(static_cast<double>(r.bottom() + 1 - padY) * sy));
    a.faces.push_back(Box{x0, y0, x1 - x0, y1 - y0});
  }
  std::stable_sort(a.faces.begin(), a.faces.end(), [](const Box& l, const Box& r) { return l.area() > r.area(); });
  a.times.detect = micros(t, Clock::now());

  QualityMeasures& m = a.measures;
  m.faces = static_cast<int>(a.faces.size());
  m.frameWidth = a.width;
  m.frameHeight = a.height;
  if (a.faces.empty()) {
    a.issues = assessQuality(m, o.quality, o.requireSingleFace);
    a.times.total = micros(start, Clock::now());
    return a;
  }
  m.usableFaces = static_cast<int>(std::count_if(a.faces.begin(), a.faces.end(),
      [&](const Box& b) { return b.width >= o.quality.minFaceSize; }));
  a.box = a.faces.front();
  m.box = a.box;

  // Landmarks on the full-resolution frame.
  t = Clock::now();
  const dlib::rectangle rect(a.box.x, a.box.y, a.box.right() - 1, a.box.bottom() - 1);
  const dlib::full_object_detection shape = landmarker->impl().predictor(dlib::cv_image<unsigned char>(grey), rect);
  for (std::size_t i = 0; i < kLandmarkCount; ++i)
    a.landmarks[i] = Point{static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y())};
  a.ear = eyeAspectRatio(a.landmarks);
  a.pose = estimatePose(a.landmarks);
  a.times.landmarks = micros(t, Clock::now());

  // The aligned chip, from the full-resolution colour frame.
  t = Clock::now();
  dlib::matrix<dlib::rgb_pixel> chip;
  dlib::extract_image_chip(dlib::cv_image<dlib::bgr_pixel>(bgr), dlib::get_face_chip_details(shape, 150, 0.25), chip);
  a.times.chip = micros(t, Clock::now());

  // Quality on the chip's face region, so that the thresholds do not depend on resolution.
  t = Clock::now();
  cv::Mat chipGrey;
  cv::cvtColor(dlib::toMat(chip), chipGrey, cv::COLOR_RGB2GRAY);
  const cv::Mat face = chipGrey(kChipFace);
  m.landmarksOutside = landmarksOutside(a.landmarks, a.width, a.height);
  m.pose = a.pose;
  m.exposure = measureExposure(face);
  m.sharpness = measureSharpness(face);
  a.issues = assessQuality(m, o.quality, o.requireSingleFace);
  if (o.keepChip) {
    cv::Mat chipBgr;
    cv::cvtColor(dlib::toMat(chip), chipBgr, cv::COLOR_RGB2BGR);
    std::vector<unsigned char> jpeg;
    if (cv::imencode(".jpg", chipBgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85}))
      a.chipJpeg.assign(jpeg.begin(), jpeg.end());
  }
  a.times.quality = micros(t, Clock::now());

  if (net && o.describe && (a.issues.empty() || o.describeRejected)) {
    t = Clock::now();
    std::vector<dlib::matrix<dlib::rgb_pixel>> chips;
    chips.push_back(chip);
    if (o.mirror) {
      dlib::matrix<dlib::rgb_pixel> mirrored;
      dlib::flip_image_left_right(chip, mirrored);
      chips.push_back(std::move(mirrored));
    }
    // Seeded per call: the same photo always gives the same enrollment descriptor.
    dlib::rand rnd("daihoi-faceid-jitter");
    for (int i = 0; i < std::clamp(o.jitter, 0, 100); ++i) chips.push_back(dlib::jitter_image(chip, rnd));
    const std::vector<Descriptor> descriptors = net->describe(chips);
    Descriptor mean{};
    for (const auto& d : descriptors)
      for (std::size_t i = 0; i < kDescriptorSize; ++i) mean[i] += d[i];
    for (auto& v : mean) v /= static_cast<float>(descriptors.size());
    a.descriptor = mean;
    a.times.describe = micros(t, Clock::now());
  }
  a.times.total = micros(start, Clock::now());
  return a;
}

}  // namespace daihoi::faceid
