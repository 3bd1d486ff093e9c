#include "kiosk/frame_encoder.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace daihoi::kiosk {

namespace {

cv::Mat toBgr(const cv::Mat& frame) {
  if (frame.channels() == 3) {
    return frame;
  }
  cv::Mat bgr;
  if (frame.channels() == 1) {
    cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR);
  } else if (frame.channels() == 4) {
    cv::cvtColor(frame, bgr, cv::COLOR_BGRA2BGR);
  } else {
    CV_Error(cv::Error::StsBadArg, "unsupported number of channels");
  }
  return bgr;
}

}  // namespace

cv::Mat scaleToWidth(const cv::Mat& frame, int maxWidth) {
  CV_Assert(!frame.empty());
  cv::Mat bgr = toBgr(frame);
  if (bgr.depth() != CV_8U) {
    cv::Mat converted;
    bgr.convertTo(converted, CV_8U);
    bgr = converted;
  }
  if (maxWidth <= 0 || bgr.cols <= maxWidth) {
    return bgr;
  }
  const double scale = static_cast<double>(maxWidth) / bgr.cols;
  const int height = std::max(1, static_cast<int>(bgr.rows * scale + 0.5));
  cv::Mat scaled;
  cv::resize(bgr, scaled, cv::Size(maxWidth, height), 0, 0, cv::INTER_AREA);
  return scaled;
}

EncodedFrame encodeFrame(const cv::Mat& frame, const EncodeSettings& settings) {
  EncodedFrame out;
  out.scaled = scaleToWidth(frame, settings.maxWidth);
  std::vector<unsigned char> bytes;
  cv::imencode(".jpg", out.scaled, bytes, {cv::IMWRITE_JPEG_QUALITY, settings.jpegQuality});
  out.jpeg.assign(bytes.begin(), bytes.end());
  out.width = out.scaled.cols;
  out.height = out.scaled.rows;
  return out;
}

}  // namespace daihoi::kiosk
