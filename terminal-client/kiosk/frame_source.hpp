#pragma once
// Where the kiosk's frames come from: a camera (OpenCV VideoCapture), a video file, or a folder
// of photos (in name order, each repeated to simulate a camera). Video and folder frames lie on
// a timeline sampled at --fps; the kiosk loop paces them in real time (or not, with
// --as-fast-as-possible). A camera is "live": its frames are now.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

namespace daihoi::kiosk {

struct CapturedFrame {
  cv::Mat image;              // BGR (a folder's PNG with alpha is read as BGR)
  std::int64_t mediaMs = 0;   // position on the source's timeline; 0 for a camera
  std::string label;          // "obama1.jpg", "video 00:03.400", "camera 0"
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // The next frame; nullopt when the source has ended (see error() for a failure).
  virtual std::optional<CapturedFrame> next() = 0;
  // A camera: frames are taken when due, not from a timeline.
  virtual bool live() const = 0;
  virtual std::string describe() const = 0;
  // Why the source ended early (a camera that stopped delivering), if it did.
  virtual std::optional<std::string> error() const { return std::nullopt; }
  // Problems that did not end the source (an unreadable image in a folder).
  virtual std::vector<std::string> warnings() const { return {}; }
};

// The image files of `dir` (jpg, jpeg, png, bmp, webp, tif, tiff, pgm, ppm, pnm; any case), not
// recursive, sorted by file name (byte order). Throws std::runtime_error when `dir` is not a folder.
std::vector<std::filesystem::path> listImages(const std::filesystem::path& dir);

// Each image `repeat` times, frame k at k × 1000 / fps ms. Unreadable images are skipped with a
// warning. Throws std::runtime_error when the folder has no images.
class FolderSource final : public FrameSource {
 public:
  FolderSource(const std::filesystem::path& dir, int repeat, double fps);
  std::optional<CapturedFrame> next() override;
  bool live() const override { return false; }
  std::string describe() const override;
  std::vector<std::string> warnings() const override { return warnings_; }
  std::size_t images() const { return files_.size(); }
  // Frames this source yields when every image is readable.
  std::uint64_t expectedFrames() const { return static_cast<std::uint64_t>(files_.size()) * repeat_; }

 private:
  std::filesystem::path dir_;
  std::vector<std::filesystem::path> files_;
  int repeat_;
  double fps_;
  std::size_t fileIndex_ = 0;
  int repeatIndex_ = 0;
  std::uint64_t sample_ = 0;
  cv::Mat current_;
  std::vector<std::string> warnings_;
};

// A video sampled at `fps` on its own timeline (its native frame rate from the container):
// sample k shows the latest video frame at or before k × 1000 / fps ms; frames in between are
// skipped, a slower video repeats frames. Throws std::runtime_error when it cannot be opened.
class VideoFileSource final : public FrameSource {
 public:
  VideoFileSource(const std::filesystem::path& file, double fps);
  std::optional<CapturedFrame> next() override;
  bool live() const override { return false; }
  std::string describe() const override;
  double nativeFps() const { return nativeFps_; }
  std::int64_t nativeFrameCount() const { return nativeFrames_; }

 private:
  std::filesystem::path file_;
  cv::VideoCapture capture_;
  double fps_;
  double nativeFps_ = 25;
  std::int64_t nativeFrames_ = 0;
  std::int64_t nativeIndex_ = 0;  // frames grabbed so far
  std::uint64_t sample_ = 0;
  cv::Mat last_;
  bool ended_ = false;
};

// A camera (/dev/videoN). A thread reads it continuously and keeps only the newest frame, so that
// a frame taken is never one that waited in the driver's buffers. Throws std::runtime_error when
// the camera cannot be opened.
class CameraSource final : public FrameSource {
 public:
  explicit CameraSource(int index);
  ~CameraSource() override;
  std::optional<CapturedFrame> next() override;
  bool live() const override { return true; }
  std::string describe() const override;
  std::optional<std::string> error() const override;

 private:
  void readLoop();

  int index_;
  cv::VideoCapture capture_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  cv::Mat latest_;
  std::uint64_t latestNumber_ = 0;  // frames read so far
  std::uint64_t takenNumber_ = 0;   // the number of the last frame next() returned
  bool failed_ = false;
  std::string failure_;
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

}  // namespace daihoi::kiosk
