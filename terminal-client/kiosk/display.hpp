#pragma once
// The kiosk window (OpenCV highgui): the live image with the face box, a banner with the prompt
// (or the greeting), and a side panel with the recognised delegate and the enrolled photo, so
// that an usher sees a wrong match at a glance. putText draws ASCII only: every text here is
// folded (text_fold.hpp); stdout carries the real UTF-8. Drawing is separate from the window so
// that tests can check it without a display.
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "daihoi.pb.h"

namespace daihoi::kiosk {

struct DisplayModel {
  daihoi::v1::FaceStatus status = daihoi::v1::FACE_STATUS_UNSPECIFIED;
  std::vector<std::string> banner;  // ASCII lines: the prompt (split at " / ") or the greeting
  std::optional<cv::Rect> box;      // the face, in the analysed frame's pixels
  int frameWidth = 0;               // the analysed frame's size (FaceFrameReply.frame_width/height)
  int frameHeight = 0;
  cv::Mat photo;                    // the enrolled photo (BGR), empty when none
  std::vector<std::string> panel;   // ASCII lines: code, name, seat, delegation, distance
};

inline constexpr int kPanelWidth = 240;
inline constexpr int kBannerHeight = 84;

// What to draw for a reply (nullptr: nothing analysed yet). Decodes the enrolled photo.
DisplayModel displayModel(const daihoi::v1::FaceFrameReply* reply);
// BGR: green checked in/out, red for the reception desk, amber for prompts, grey without a face.
cv::Scalar statusColor(daihoi::v1::FaceStatus status);
// The face box scaled from the analysed frame's pixels to an image `width` × `height`.
std::optional<cv::Rect> scaledBox(const DisplayModel& model, int width, int height);
// The window's picture: `live` (BGR) with the box, the side panel on the right, the banner below.
// The result is live.cols + kPanelWidth wide and at least live.rows + kBannerHeight high.
cv::Mat renderView(const cv::Mat& live, const DisplayModel& model);
// Splits `text` (ASCII) into lines no wider than `width` pixels in the window's font.
std::vector<std::string> wrapText(const std::string& text, int width, double scale);

enum class WindowKey { None, Quit, Reset };

// A highgui window. Construction throws cv::Exception when no GUI backend is available.
class KioskWindow {
 public:
  explicit KioskWindow(std::string title);
  ~KioskWindow();
  KioskWindow(const KioskWindow&) = delete;
  KioskWindow& operator=(const KioskWindow&) = delete;

  void show(const cv::Mat& image);
  // Pumps the window's events for up to `waitMs` (at least 1): Esc or q quit, r resets the
  // attempt; closing the window quits too.
  WindowKey poll(int waitMs);

 private:
  std::string title_;
  bool shown_ = false;
};

}  // namespace daihoi::kiosk
