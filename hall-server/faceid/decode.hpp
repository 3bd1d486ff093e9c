#pragma once
// Bytes → image, with limits checked before anything is decoded. Only JPEG and
// PNG are accepted (what kiosks send and what roster photos are). Corrupt,
// truncated, oversized or non-image data gives a Failure, never an exception.
#include <opencv2/core/mat.hpp>

#include <cstddef>
#include <string_view>

#include "common/result.hpp"

namespace daihoi::faceid {

struct DecodeLimits {
  std::size_t maxBytes = 20u << 20;   // encoded size
  int maxSide = 12000;                // pixels, width or height
  long long maxPixels = 50'000'000;   // width × height
  // Live kiosk frames: about 640 px wide is what kiosks send.
  static DecodeLimits liveFrame() { return {4u << 20, 4096, 4096LL * 2304}; }
};

enum class ImageFormat { Jpeg, Png };

// What the header declares, read without decoding.
struct ImageInfo {
  ImageFormat format = ImageFormat::Jpeg;
  int width = 0;
  int height = 0;
};

// Failure codes: "empty_image", "image_too_large" (bytes), "unsupported_image" (not
// JPEG/PNG), "corrupt_image" (header unreadable, or the decoder failed),
// "truncated_image" (JPEG without its end), "image_dimensions_too_large".
Result<ImageInfo> inspectImage(std::string_view bytes, const DecodeLimits& limits = {});

// Decoded to 8-bit BGR (cv::Mat CV_8UC3): greyscale is expanded, 16-bit scaled
// down, transparency composited onto white; JPEG EXIF orientation is applied.
Result<cv::Mat> decodeImage(std::string_view bytes, const DecodeLimits& limits = {});

// Any cv::Mat a caller may hand over (grey, BGRA, 16-bit, …) as 8-bit BGR;
// a Failure for empty or unsupported matrices.
Result<cv::Mat> toBgr8(const cv::Mat& image);

}  // namespace daihoi::faceid
