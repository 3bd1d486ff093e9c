#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "kiosk/frame_encoder.hpp"
#include "kiosk/frame_source.hpp"

using namespace daihoi::kiosk;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device random;
    path = fs::temp_directory_path() / ("daihoi-kiosk-source-" + std::to_string(random()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

cv::Mat solid(int width, int height, int value) { return cv::Mat(height, width, CV_8UC3, cv::Scalar(value, value, value)); }

// ../shared/faces beside the repository (DAIHOI_FACES_DIR overrides), if present.
std::optional<fs::path> sharedFaces() {
  fs::path dir = DAIHOI_SHARED_FACES;
  if (const char* env = std::getenv("DAIHOI_FACES_DIR"); env && *env) dir = env;
  std::error_code ec;
  if (!fs::is_directory(dir / "people", ec)) return std::nullopt;
  return dir;
}

#define NEED_SHARED_FACES(var)                                                                   \
  const auto var##_opt = sharedFaces();                                                          \
  if (!var##_opt) {                                                                              \
    MESSAGE("SKIPPED: ../shared/faces is absent (set DAIHOI_FACES_DIR); this case did not run"); \
    return;                                                                                      \
  }                                                                                              \
  const fs::path var = *var##_opt

}  // namespace

TEST_CASE("a folder's images in name order, each repeated, on a timeline at --fps") {
  TempDir dir;
  cv::imwrite((dir.path / "b.png").string(), solid(64, 48, 200));
  cv::imwrite((dir.path / "a.jpg").string(), solid(64, 48, 40));
  cv::imwrite((dir.path / "c.JPG").string(), solid(64, 48, 120));
  std::ofstream(dir.path / "notes.txt") << "not an image";
  fs::create_directories(dir.path / "sub.png");  // a folder, even with an image name, is skipped

  const auto files = listImages(dir.path);
  REQUIRE(files.size() == 3);
  CHECK(files[0].filename() == "a.jpg");
  CHECK(files[1].filename() == "b.png");
  CHECK(files[2].filename() == "c.JPG");

  FolderSource source(dir.path, 3, 10);
  CHECK_FALSE(source.live());
  CHECK(source.expectedFrames() == 9);
  std::vector<CapturedFrame> frames;
  while (auto frame = source.next()) frames.push_back(*frame);
  REQUIRE(frames.size() == 9);
  const int expected[] = {40, 200, 120};  // a, b, c
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CAPTURE(i);
    CHECK(frames[i].mediaMs == static_cast<std::int64_t>(i) * 100);
    CHECK(frames[i].image.cols == 64);
    CHECK(frames[i].image.channels() == 3);
    CHECK(std::abs(cv::mean(frames[i].image)[0] - expected[i / 3]) < 3);
  }
  CHECK(frames[0].label == "a.jpg #1");
  CHECK(frames[2].label == "a.jpg #3");
  CHECK(frames[3].label == "b.png #1");
  CHECK_FALSE(source.next());  // ended stays ended
  CHECK(source.warnings().empty());
}

TEST_CASE("an unreadable image is skipped with a warning; an empty folder is refused") {
  TempDir dir;
  std::ofstream(dir.path / "1-broken.jpg") << "not a jpeg";
  cv::imwrite((dir.path / "2-good.png").string(), solid(32, 32, 90));
  FolderSource source(dir.path, 2, 5);
  auto first = source.next();
  REQUIRE(first);
  CHECK(first->label == "2-good.png #1");
  CHECK(first->mediaMs == 0);
  auto second = source.next();
  REQUIRE(second);
  CHECK(second->mediaMs == 200);
  CHECK_FALSE(source.next());
  REQUIRE(source.warnings().size() == 1);
  CHECK(source.warnings()[0].find("1-broken.jpg") != std::string::npos);

  TempDir empty;
  CHECK_THROWS_AS(FolderSource(empty.path, 1, 10), std::runtime_error);
  CHECK_THROWS_AS(FolderSource(empty.path / "missing", 1, 10), std::runtime_error);
  CHECK_THROWS_AS(FolderSource(dir.path, 0, 10), std::invalid_argument);
}

TEST_CASE("a video is sampled at --fps on its own timeline") {
  // 60 frames at 30 fps (2 s), frame i with grey level 4 × i: at 10 fps sample k is video frame 3k.
  TempDir dir;
  const std::string file = (dir.path / "clip.avi").string();
  {
    // OpenCV's own MJPEG writer: no external encoder needed.
    cv::VideoWriter writer(file, cv::CAP_OPENCV_MJPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30,
                           cv::Size(160, 120));
    REQUIRE(writer.isOpened());
    for (int i = 0; i < 60; ++i) writer.write(solid(160, 120, 4 * i));
  }
  VideoFileSource source(file, 10);
  CHECK_FALSE(source.live());
  CHECK(source.nativeFps() == doctest::Approx(30).epsilon(0.01));
  std::vector<CapturedFrame> frames;
  while (auto frame = source.next()) frames.push_back(*frame);
  REQUIRE(frames.size() == 20);
  for (std::size_t k = 0; k < frames.size(); ++k) {
    CAPTURE(k);
    CHECK(frames[k].mediaMs == static_cast<std::int64_t>(k) * 100);
    CHECK(frames[k].image.cols == 160);
    CHECK(std::abs(cv::mean(frames[k].image)[0] - 4.0 * 3 * static_cast<double>(k)) < 4);
  }
  CHECK(frames[5].label == "video 00:00.500");

  // Faster than the video: frames repeat, the timeline still ends with the video.
  VideoFileSource fast(file, 60);
  std::size_t count = 0;
  double previous = -1;
  while (auto frame = fast.next()) {
    const double level = cv::mean(frame->image)[0];
    CHECK(level >= previous - 4);  // never back in time
    previous = level;
    ++count;
  }
  CHECK(count == 120);

  CHECK_THROWS_AS(VideoFileSource(dir.path / "missing.mp4", 10), std::runtime_error);
  std::ofstream(dir.path / "junk.mp4") << "not a video";
  CHECK_THROWS_AS(VideoFileSource(dir.path / "junk.mp4", 10), std::runtime_error);
}

TEST_CASE("frames are scaled to at most 640 px wide and encoded as JPEG") {
  cv::Mat wide = solid(1280, 720, 128);
  cv::rectangle(wide, cv::Rect(600, 300, 80, 80), cv::Scalar(0, 0, 255), cv::FILLED);
  const EncodedFrame encoded = encodeFrame(wide, EncodeSettings{});
  CHECK(encoded.width == 640);
  CHECK(encoded.height == 360);
  REQUIRE(encoded.jpeg.size() > 100);
  CHECK(static_cast<unsigned char>(encoded.jpeg[0]) == 0xFF);
  CHECK(static_cast<unsigned char>(encoded.jpeg[1]) == 0xD8);
  const std::vector<unsigned char> bytes(encoded.jpeg.begin(), encoded.jpeg.end());
  const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
  REQUIRE(decoded.cols == 640);
  CHECK(decoded.rows == 360);
  const cv::Vec3b red = decoded.at<cv::Vec3b>(170, 320);  // the square's centre, scaled by half
  CHECK(red[2] > 200);
  CHECK(red[0] < 60);

  const EncodedFrame small = encodeFrame(solid(320, 240, 10), EncodeSettings{});
  CHECK(small.width == 320);
  CHECK(small.height == 240);

  cv::Mat grey(100, 900, CV_8UC1, cv::Scalar(77));
  const EncodedFrame fromGrey = encodeFrame(grey, EncodeSettings{});
  CHECK(fromGrey.scaled.channels() == 3);
  CHECK(fromGrey.width == 640);
  CHECK(fromGrey.height == 71);
  cv::Mat bgra(50, 50, CV_8UC4, cv::Scalar(1, 2, 3, 255));
  CHECK(encodeFrame(bgra, EncodeSettings{}).scaled.channels() == 3);

  // Lower quality, fewer bytes.
  cv::Mat noise(360, 640, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
  CHECK(encodeFrame(noise, EncodeSettings{640, 30}).jpeg.size() < encodeFrame(noise, EncodeSettings{640, 95}).jpeg.size());
  CHECK_THROWS(encodeFrame(cv::Mat(), EncodeSettings{}));
}

TEST_CASE("the shared photos as a folder source (../shared/faces/people/obama)") {
  NEED_SHARED_FACES(faces);
  const fs::path obama = faces / "people" / "obama";
  const auto files = listImages(obama);
  REQUIRE(files.size() >= 2);
  for (std::size_t i = 1; i < files.size(); ++i) CHECK(files[i - 1].filename().string() < files[i].filename().string());
  FolderSource source(obama, 2, 10);
  std::size_t count = 0;
  std::string previousLabel;
  while (auto frame = source.next()) {
    CAPTURE(frame->label);
    CHECK_FALSE(frame->image.empty());
    CHECK(frame->image.type() == CV_8UC3);
    CHECK(frame->mediaMs == static_cast<std::int64_t>(count) * 100);
    const EncodedFrame encoded = encodeFrame(frame->image, EncodeSettings{});
    CHECK(encoded.width <= 640);
    ++count;
  }
  CHECK(count == 2 * files.size());
  CHECK(source.warnings().empty());
}

TEST_CASE("the shared video as a camera (../shared/faces/video/short_hamilton_clip.mp4)") {
  NEED_SHARED_FACES(faces);
  const fs::path clip = faces / "video" / "short_hamilton_clip.mp4";
  if (!fs::exists(clip)) {
    MESSAGE("SKIPPED: " << clip.string() << " is absent");
    return;
  }
  VideoFileSource source(clip, 10);
  CHECK(source.nativeFps() > 20);
  CHECK(source.nativeFrameCount() > 100);
  const double seconds = static_cast<double>(source.nativeFrameCount()) / source.nativeFps();
  std::size_t count = 0;
  cv::Size size;
  while (auto frame = source.next()) {
    if (count == 0) size = frame->image.size();
    CHECK(frame->image.size() == size);
    CHECK(frame->mediaMs == static_cast<std::int64_t>(count) * 100);
    ++count;
  }
  // One sample per 100 ms of video.
  CHECK(static_cast<double>(count) == doctest::Approx(seconds * 10).epsilon(0.03));
  MESSAGE("short_hamilton_clip.mp4: " << size.width << "x" << size.height << ", " << source.nativeFps() << " fps, "
                                      << count << " samples at 10 fps");
}
