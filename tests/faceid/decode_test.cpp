#include <doctest/doctest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <random>
#include <string>
#include <vector>

#include "faceid/decode.hpp"
#include "faceid_fixture.hpp"

using namespace daihoi::faceid;

namespace {

std::string encode(const cv::Mat& image, const std::string& ext, std::vector<int> params = {}) {
  std::vector<unsigned char> out;
  REQUIRE(cv::imencode(ext, image, out, params));
  return {out.begin(), out.end()};
}

cv::Mat gradient(int width, int height) {
  cv::Mat m(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x), static_cast<uchar>(y), static_cast<uchar>(x ^ y));
  return m;
}

void appendBe32(std::string& s, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v >> shift) & 0xFF));
}

}  // namespace

TEST_CASE("decoding JPEG and PNG to 8-bit BGR") {
  const cv::Mat src = gradient(64, 48);
  auto jpeg = decodeImage(encode(src, ".jpg"));
  REQUIRE(jpeg.ok());
  CHECK(jpeg->cols == 64);
  CHECK(jpeg->rows == 48);
  CHECK(jpeg->type() == CV_8UC3);

  auto png = decodeImage(encode(src, ".png"));
  REQUIRE(png.ok());
  CHECK(cv::norm(*png, src, cv::NORM_INF) == 0);  // lossless

  auto info = inspectImage(encode(src, ".png"));
  REQUIRE(info.ok());
  CHECK(info->format == ImageFormat::Png);
  CHECK(info->width == 64);
  CHECK(info->height == 48);
  info = inspectImage(encode(src, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  REQUIRE(info.ok());
  CHECK(info->format == ImageFormat::Jpeg);
  CHECK(info->width == 64);
  CHECK(info->height == 48);
}

TEST_CASE("greyscale, 16-bit and transparent PNGs") {
  cv::Mat grey(30, 40, CV_8UC1, cv::Scalar(77));
  auto g = decodeImage(encode(grey, ".png"));
  REQUIRE(g.ok());
  CHECK(g->type() == CV_8UC3);
  CHECK(g->at<cv::Vec3b>(5, 5) == cv::Vec3b(77, 77, 77));

  cv::Mat deep(30, 40, CV_16UC3, cv::Scalar(65535, 0, 32896));
  auto d = decodeImage(encode(deep, ".png"));
  REQUIRE(d.ok());
  CHECK(d->type() == CV_8UC3);
  CHECK(d->at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 0, 128));

  // Left half opaque red, right half fully transparent (with black underneath):
  // transparency becomes white, not black.
  cv::Mat bgra(20, 20, CV_8UC4, cv::Scalar(0, 0, 0, 0));
  bgra(cv::Rect(0, 0, 10, 20)).setTo(cv::Scalar(0, 0, 255, 255));
  bgra(cv::Rect(10, 0, 5, 20)).setTo(cv::Scalar(0, 0, 0, 128));  // half-transparent black → grey
  auto a = decodeImage(encode(bgra, ".png"));
  REQUIRE(a.ok());
  CHECK(a->type() == CV_8UC3);
  CHECK(a->at<cv::Vec3b>(10, 2) == cv::Vec3b(0, 0, 255));
  CHECK(a->at<cv::Vec3b>(10, 18) == cv::Vec3b(255, 255, 255));
  const cv::Vec3b half = a->at<cv::Vec3b>(10, 12);
  CHECK(half[0] > 110);
  CHECK(half[0] < 145);

  // toBgr8 accepts what callers may hand over directly.
  CHECK(toBgr8(cv::Mat(4, 4, CV_8UC1, cv::Scalar(3))).value().type() == CV_8UC3);
  CHECK(toBgr8(cv::Mat(4, 4, CV_32FC3, cv::Scalar(0.5, 0.5, 0.5))).value().at<cv::Vec3b>(0, 0)[0] == 128);
  CHECK(toBgr8(cv::Mat()).error().code == "empty_image");
  CHECK(toBgr8(cv::Mat(4, 4, CV_8UC2)).error().code == "unsupported_image");
}

TEST_CASE("bad bytes are clear errors, never crashes") {
  CHECK(decodeImage("").error().code == "empty_image");
  CHECK(decodeImage("Xin chào, đây không phải là ảnh.\nThis is a text file.\n").error().code ==
        "unsupported_image");
  CHECK(decodeImage(std::string(1000, '\0')).error().code == "unsupported_image");
  CHECK(decodeImage("GIF89a\x01\x00\x01\x00").error().code == "unsupported_image");

  std::mt19937 rng(1);
  std::string noise(5000, '\0');
  for (auto& c : noise) c = static_cast<char>(rng());
  CHECK(!decodeImage(noise).ok());

  // A JPEG signature followed by garbage.
  CHECK(!decodeImage(std::string("\xFF\xD8\xFF") + noise).ok());
  // A PNG signature followed by garbage: no IHDR.
  CHECK(decodeImage(std::string("\x89PNG\r\n\x1A\n", 8) + noise).error().code == "corrupt_image");

  // Encoded size above the limit.
  const std::string jpeg = encode(gradient(64, 48), ".jpg");
  DecodeLimits tiny;
  tiny.maxBytes = jpeg.size() - 1;
  CHECK(decodeImage(jpeg, tiny).error().code == "image_too_large");
  const auto failure = decodeImage(jpeg, tiny).error();
  CHECK(failure.message.find("too large") != std::string::npos);
}

TEST_CASE("truncated images") {
  const std::string jpeg = encode(gradient(200, 150), ".jpg");
  for (std::size_t keep : {jpeg.size() - 2, jpeg.size() / 2, std::size_t{200}, std::size_t{20}, std::size_t{4}}) {
    CAPTURE(keep);
    const auto r = decodeImage(jpeg.substr(0, keep));
    REQUIRE(!r.ok());
    CHECK((r.error().code == "truncated_image" || r.error().code == "corrupt_image"));
  }
  CHECK(decodeImage(jpeg.substr(0, jpeg.size() / 2)).error().code == "truncated_image");

  const std::string png = encode(gradient(200, 150), ".png");
  for (std::size_t keep : {png.size() - 12, png.size() / 2, std::size_t{40}, std::size_t{20}}) {
    CAPTURE(keep);
    const auto r = decodeImage(png.substr(0, keep));
    REQUIRE(!r.ok());
    CHECK(r.error().code == "corrupt_image");
  }
}

TEST_CASE("a huge declared size is refused before decoding") {
  // A PNG header declaring 100,000 × 100,000 pixels (30 GB decoded), nothing behind it.
  std::string png("\x89PNG\r\n\x1A\n", 8);
  appendBe32(png, 13);
  png += "IHDR";
  appendBe32(png, 100000);
  appendBe32(png, 100000);
  png += std::string("\x08\x02\x00\x00\x00", 5);
  appendBe32(png, 0);  // CRC (not checked before the size)
  auto r = decodeImage(png);
  REQUIRE(!r.ok());
  CHECK(r.error().code == "image_dimensions_too_large");
  CHECK(r.error().message.find("100000") != std::string::npos);

  // A real JPEG whose frame header is patched to 60,000 × 60,000.
  std::string jpeg = encode(gradient(64, 48), ".jpg");
  const auto sof = jpeg.find("\xFF\xC0");
  REQUIRE(sof != std::string::npos);
  jpeg[sof + 5] = static_cast<char>(0xEA);  // height 0xEA60 = 60000
  jpeg[sof + 6] = 0x60;
  jpeg[sof + 7] = static_cast<char>(0xEA);  // width
  jpeg[sof + 8] = 0x60;
  CHECK(decodeImage(jpeg).error().code == "image_dimensions_too_large");

  // Within the absolute limits but above a live frame's.
  const std::string big = encode(cv::Mat(2400, 4200, CV_8UC3, cv::Scalar(10, 20, 30)), ".jpg");
  CHECK(decodeImage(big, DecodeLimits::liveFrame()).error().code == "image_dimensions_too_large");
  CHECK(decodeImage(big).ok());

  // Zero dimensions.
  std::string zero = encode(gradient(64, 48), ".jpg");
  zero[zero.find("\xFF\xC0") + 5] = 0;
  zero[zero.find("\xFF\xC0") + 6] = 0;
  CHECK(decodeImage(zero).error().code == "corrupt_image");
}

TEST_CASE("randomly damaged images never crash the decoder") {
  std::mt19937 rng(42);
  for (const std::string& original : {encode(gradient(120, 90), ".jpg"), encode(gradient(120, 90), ".png")}) {
    int decoded = 0, refused = 0;
    for (int round = 0; round < 150; ++round) {
      std::string damaged = original;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < flips; ++i) damaged[rng() % damaged.size()] = static_cast<char>(rng());
      if (rng() % 4 == 0) damaged.resize(rng() % damaged.size());
      const auto r = decodeImage(damaged);
      if (r.ok()) {
        ++decoded;
        CHECK(r->type() == CV_8UC3);
        // A damaged header may declare other dimensions, never beyond the limits.
        CHECK(r->cols <= DecodeLimits{}.maxSide);
        CHECK(static_cast<long long>(r->cols) * r->rows <= DecodeLimits{}.maxPixels);
      } else {
        ++refused;
        CHECK(!r.error().code.empty());
      }
    }
    MESSAGE("damaged images: " << decoded << " decoded, " << refused << " refused");
  }
}

TEST_CASE("the shared photos decode, PNG with alpha included") {
  DAIHOI_NEED_SHARED_FACES(faces);
  int n = 0;
  for (const auto& person : std::filesystem::directory_iterator(faces / "people")) {
    for (const auto& file : std::filesystem::directory_iterator(person.path())) {
      CAPTURE(file.path().string());
      const auto r = decodeImage(daihoi::faceid::test::readFile(file.path()));
      REQUIRE(r.ok());
      CHECK(r->type() == CV_8UC3);
      CHECK(r->cols > 100);
      ++n;
    }
  }
  CHECK(n >= 15);
}
