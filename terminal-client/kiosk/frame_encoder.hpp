#pragma once
// A captured frame as the hall wants it: at most 640 px wide, JPEG.
#include <string>

#include <opencv2/core.hpp>

namespace daihoi::kiosk {

struct EncodeSettings {
  int maxWidth = 640;   // wider frames are scaled down (aspect kept); narrower ones are sent as they are
  int jpegQuality = 85;
};

struct EncodedFrame {
  std::string jpeg;
  cv::Mat scaled;       // the image that was encoded (BGR), for the window
  int width = 0;
  int height = 0;
};

// Grey and BGRA frames are converted to BGR first. Throws cv::Exception on an empty image.
cv::Mat scaleToWidth(const cv::Mat& frame, int maxWidth);
EncodedFrame encodeFrame(const cv::Mat& frame, const EncodeSettings& settings);

}  // namespace daihoi::kiosk
