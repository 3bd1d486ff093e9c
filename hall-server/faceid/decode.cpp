#include "faceid/decode.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace daihoi::faceid {
namespace {

std::uint32_t be16(const unsigned char* p) { return (std::uint32_t{p[0]} << 8) | p[1]; }
std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

Failure corrupt(const std::string& what) {
  return fail("corrupt_image", "Ảnh hỏng / corrupt image: " + what);
}

Result<ImageInfo> inspectPng(const unsigned char* p, std::size_t n) {
  // Signature (8), then the IHDR chunk: length (4) "IHDR" (4) width (4) height (4) …
  if (n < 33) return corrupt("PNG shorter than its header");
  if (be32(p + 8) != 13 || std::memcmp(p + 12, "IHDR", 4) != 0) return corrupt("PNG without IHDR");
  const std::uint32_t w = be32(p + 16), h = be32(p + 20);
  if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu) return corrupt("PNG with invalid dimensions");
  return ImageInfo{ImageFormat::Png, static_cast<int>(std::min<std::uint32_t>(w, 0x7fffffff)),
                   static_cast<int>(std::min<std::uint32_t>(h, 0x7fffffff))};
}

Result<ImageInfo> inspectJpeg(const unsigned char* p, std::size_t n) {
  // Walk the marker segments up to the first start-of-scan; the frame header
  // (SOFn) gives the dimensions. Then the entropy-coded data must be followed by
  // an end-of-image marker somewhere (0xFF is byte-stuffed inside scans, so a
  // 0xFFD9 there is a real marker): a cut-off upload decodes to grey otherwise.
  std::size_t pos = 2;
  ImageInfo info{ImageFormat::Jpeg, 0, 0};
  bool frame = false;
  for (;;) {
    if (pos >= n) return fail("truncated_image", "Ảnh bị cắt cụt / truncated JPEG");
    if (p[pos] != 0xFF) return corrupt("JPEG marker expected");
    while (pos < n && p[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= n) return fail("truncated_image", "Ảnh bị cắt cụt / truncated JPEG");
    const unsigned char marker = p[pos++];
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9) return corrupt("JPEG ends before its image data");
    if (pos + 2 > n) return fail("truncated_image", "Ảnh bị cắt cụt / truncated JPEG");
    const std::size_t length = be16(p + pos);
    if (length < 2) return corrupt("JPEG segment length");
    if (pos + length > n) return fail("truncated_image", "Ảnh bị cắt cụt / truncated JPEG");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 8) return corrupt("JPEG frame header");
      info.height = static_cast<int>(be16(p + pos + 3));
      info.width = static_cast<int>(be16(p + pos + 5));
      if (info.width == 0 || info.height == 0) return corrupt("JPEG with invalid dimensions");
      frame = true;
    }
    pos += length;
    if (marker == 0xDA) break;  // start of scan
  }
  if (!frame) return corrupt("JPEG without a frame header");
  for (std::size_t i = pos; i + 1 < n; ++i) {
    const void* hit = std::memchr(p + i, 0xFF, n - 1 - i);
    if (!hit) break;
    i = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - p);
    if (p[i + 1] == 0xD9) return info;
  }
  return fail("truncated_image", "Ảnh bị cắt cụt / truncated JPEG (no end of image)");
}

}  // namespace

Result<ImageInfo> inspectImage(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.empty()) return fail("empty_image", "Không có dữ liệu ảnh / empty image");
  if (bytes.size() > limits.maxBytes)
    return fail("image_too_large", "Ảnh quá lớn / image too large: " + std::to_string(bytes.size()) +
                                       " bytes, at most " + std::to_string(limits.maxBytes));
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  static constexpr unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Result<ImageInfo> info = fail("unsupported_image", "Không phải ảnh JPEG/PNG / not a JPEG or PNG image");
  if (n >= 8 && std::memcmp(p, kPng, 8) == 0) {
    info = inspectPng(p, n);
  } else if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
    info = inspectJpeg(p, n);
  }
  if (!info) return info;
  const long long pixels = static_cast<long long>(info->width) * info->height;
  if (info->width > limits.maxSide || info->height > limits.maxSide || pixels > limits.maxPixels)
    return fail("image_dimensions_too_large",
                "Ảnh quá lớn / image dimensions too large: " + std::to_string(info->width) + "×" +
                    std::to_string(info->height) + ", at most " + std::to_string(limits.maxSide) +
                    " px a side and " + std::to_string(limits.maxPixels) + " pixels");
  return info;
}

Result<cv::Mat> toBgr8(const cv::Mat& image) {
  try {
    if (image.empty() || image.dims != 2) return fail("empty_image", "Ảnh rỗng / empty image");
    cv::Mat eight;
    switch (image.depth()) {
      case CV_8U: eight = image; break;
      case CV_16U: image.convertTo(eight, CV_8U, 1.0 / 257.0); break;
      case CV_32F:
      case CV_64F: image.convertTo(eight, CV_8U, 255.0); break;
      default: return fail("unsupported_image", "Ảnh không hỗ trợ / unsupported pixel type");
    }
    cv::Mat bgr;
    switch (eight.channels()) {
      case 1: cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR); break;
      case 3: bgr = eight; break;
      case 4: {
        // Composite onto white: transparent pixels often hold black or garbage.
        std::vector<cv::Mat> planes;
        cv::split(eight, planes);
        cv::Mat alpha, colour, white(eight.size(), CV_32FC3, cv::Scalar(255, 255, 255));
        planes[3].convertTo(alpha, CV_32F, 1.0 / 255.0);
        cv::Mat alpha3;
        cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, alpha3);
        cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, colour);
        colour.convertTo(colour, CV_32FC3);
        cv::Mat blended = colour.mul(alpha3) + white.mul(cv::Scalar(1, 1, 1) - alpha3);
        blended.convertTo(bgr, CV_8UC3);
        break;
      }
      default: return fail("unsupported_image", "Ảnh không hỗ trợ / unsupported channel count");
    }
    return bgr;
  } catch (const std::exception& e) {
    return fail("corrupt_image", std::string("Ảnh không xử lý được / image could not be converted: ") + e.what());
  }
}

Result<cv::Mat> decodeImage(std::string_view bytes, const DecodeLimits& limits) {
  auto info = inspectImage(bytes, limits);
  if (!info) return info.error();
  try {
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    // JPEG: IMREAD_COLOR applies the EXIF orientation (phone photos). PNG: keep alpha and depth.
    const int flags = info->format == ImageFormat::Jpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
    cv::Mat decoded = cv::imdecode(buffer, flags);
    if (decoded.empty()) return corrupt("the decoder could not read it");
    return toBgr8(decoded);
  } catch (const std::exception& e) {
    return corrupt(e.what());
  }
}

}  // namespace daihoi::faceid
