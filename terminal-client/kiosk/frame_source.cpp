#include "kiosk/frame_source.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio/registry.hpp>

namespace daihoi::kiosk {

namespace fs = std::filesystem;

namespace {

bool isImageFile(const fs::path& path) {
  static constexpr std::array<std::string_view, 11> kExtensions = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif",
                                                                   ".tiff", ".pgm", ".ppm", ".pnm", ".jp2"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::string mediaTime(std::int64_t ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld.%03lld", static_cast<long long>(ms / 60000),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buffer;
}

std::int64_t sampleTimeMs(std::uint64_t sample, double fps) {
  return static_cast<std::int64_t>(std::llround(static_cast<double>(sample) * 1000.0 / fps));
}

void checkFps(double fps) {
  if (!(fps > 0) || !std::isfinite(fps)) {
    throw std::invalid_argument("the frame rate must be positive");
  }
}

}  // namespace

std::vector<fs::path> listImages(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw std::runtime_error("not a folder: " + dir.string());
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::error_code typeError;
    if (entry.is_regular_file(typeError) && isImageFile(entry.path())) {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    throw std::runtime_error("cannot list " + dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
  return files;
}

// ---------------------------------------------------------------- folder

FolderSource::FolderSource(const fs::path& dir, int repeat, double fps)
    : dir_(dir), files_(listImages(dir)), repeat_(repeat), fps_(fps) {
  checkFps(fps);
  if (repeat_ < 1) {
    throw std::invalid_argument("--repeat must be at least 1");
  }
  if (files_.empty()) {
    throw std::runtime_error("no images (jpg, png, …) in " + dir.string());
  }
}

std::optional<CapturedFrame> FolderSource::next() {
  while (fileIndex_ < files_.size()) {
    if (repeatIndex_ == 0 && current_.empty()) {
      current_ = cv::imread(files_[fileIndex_].string(), cv::IMREAD_COLOR);
      if (current_.empty()) {
        warnings_.push_back("cannot read the image " + files_[fileIndex_].string() + ": skipped");
        ++fileIndex_;
        continue;
      }
    }
    CapturedFrame frame;
    frame.image = current_;  // shared, never written to
    frame.mediaMs = sampleTimeMs(sample_++, fps_);
    frame.label = files_[fileIndex_].filename().string();
    if (repeat_ > 1) {
      frame.label += " #" + std::to_string(repeatIndex_ + 1);
    }
    if (++repeatIndex_ >= repeat_) {
      repeatIndex_ = 0;
      current_.release();
      ++fileIndex_;
    }
    return frame;
  }
  return std::nullopt;
}

std::string FolderSource::describe() const {
  return "folder " + dir_.string() + " (" + std::to_string(files_.size()) + " images × " + std::to_string(repeat_) + ")";
}

// ---------------------------------------------------------------- video

VideoFileSource::VideoFileSource(const fs::path& file, double fps) : file_(file), fps_(fps) {
  checkFps(fps);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw std::runtime_error("no such video file: " + file.string());
  }
  // FFmpeg reads every common container; other back-ends (GStreamer) only add noise on stderr.
  const int api = cv::videoio_registry::hasBackend(cv::CAP_FFMPEG) ? cv::CAP_FFMPEG : cv::CAP_ANY;
  if (!capture_.open(file.string(), api) || !capture_.isOpened()) {
    throw std::runtime_error("cannot open the video " + file.string() + " (is OpenCV built with FFmpeg?)");
  }
  const double native = capture_.get(cv::CAP_PROP_FPS);
  if (native > 0 && native < 1000 && std::isfinite(native)) {
    nativeFps_ = native;
  }
  nativeFrames_ = static_cast<std::int64_t>(capture_.get(cv::CAP_PROP_FRAME_COUNT));
}

std::optional<CapturedFrame> VideoFileSource::next() {
  if (ended_) {
    return std::nullopt;
  }
  // Video frame i shows from i × 1000 / nativeFps ms: grab every frame up to the sample's time
  // and decode only the last one.
  const std::int64_t target = sampleTimeMs(sample_, fps_);
  bool grabbed = false;
  while (nativeIndex_ == 0 || static_cast<double>(nativeIndex_) * 1000.0 / nativeFps_ <= static_cast<double>(target)) {
    if (!capture_.grab()) {
      ended_ = true;  // the video ends before the sample's time
      return std::nullopt;
    }
    ++nativeIndex_;
    grabbed = true;
  }
  if (grabbed) {
    cv::Mat frame;
    if (!capture_.retrieve(frame) || frame.empty()) {
      ended_ = true;
      return std::nullopt;
    }
    last_ = frame.clone();
  }
  CapturedFrame out;
  out.image = last_;  // shared, never written to
  out.mediaMs = target;
  out.label = "video " + mediaTime(target);
  ++sample_;
  return out;
}

std::string VideoFileSource::describe() const {
  char fps[32];
  std::snprintf(fps, sizeof fps, "%.2f", nativeFps_);
  return "video " + file_.string() + " (" + fps + " fps, " + std::to_string(nativeFrames_) + " frames)";
}

// ---------------------------------------------------------------- camera

CameraSource::CameraSource(int index) : index_(index) {
  if (!capture_.open(index, cv::CAP_ANY) || !capture_.isOpened()) {
    throw std::runtime_error("cannot open camera " + std::to_string(index) + " (/dev/video" + std::to_string(index) +
                             ")");
  }
  // Ask for a common kiosk size; the kiosk scales down to 640 px wide anyway.
  capture_.set(cv::CAP_PROP_FRAME_WIDTH, 1280);
  capture_.set(cv::CAP_PROP_FRAME_HEIGHT, 720);
  reader_ = std::thread([this] { readLoop(); });
}

CameraSource::~CameraSource() {
  stop_ = true;
  if (reader_.joinable()) {
    reader_.join();
  }
}

void CameraSource::readLoop() {
  int failures = 0;
  while (!stop_) {
    cv::Mat frame;
    if (!capture_.read(frame) || frame.empty()) {
      // A camera may miss a frame; many in a row means it is gone.
      if (++failures >= 50) {
        std::lock_guard lock(mutex_);
        failed_ = true;
        failure_ = "camera " + std::to_string(index_) + " stopped delivering frames";
        changed_.notify_all();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    failures = 0;
    std::lock_guard lock(mutex_);
    latest_ = std::move(frame);
    ++latestNumber_;
    changed_.notify_all();
  }
}

std::optional<CapturedFrame> CameraSource::next() {
  std::unique_lock lock(mutex_);
  // A frame newer than the last one taken; a camera delivers one every 33–100 ms.
  changed_.wait_for(lock, std::chrono::seconds(5), [&] { return failed_ || latestNumber_ > takenNumber_; });
  if (latestNumber_ <= takenNumber_) {
    if (!failed_) {
      failed_ = true;
      failure_ = "camera " + std::to_string(index_) + " delivered no frame for 5 s";
    }
    return std::nullopt;
  }
  takenNumber_ = latestNumber_;
  CapturedFrame out;
  out.image = latest_;  // the reader moves a new Mat in; this one is never written to
  out.label = "camera " + std::to_string(index_);
  return out;
}

std::string CameraSource::describe() const { return "camera " + std::to_string(index_); }

std::optional<std::string> CameraSource::error() const {
  std::lock_guard lock(mutex_);
  if (!failed_) {
    return std::nullopt;
  }
  return failure_;
}

}  // namespace daihoi::kiosk
