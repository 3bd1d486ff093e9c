#include "kiosk/display.hpp"

#include <algorithm>
#include <sstream>

#include <opencv2/highgui.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "kiosk/presentation.hpp"
#include "kiosk/statistics.hpp"
#include "kiosk/text_fold.hpp"

namespace daihoi::kiosk {

namespace v1 = daihoi::v1;

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kBannerScale = 0.6;
constexpr double kPanelScale = 0.5;
constexpr int kPhotoSide = 200;

// The prompt is "Vietnamese / English": one line each when it splits there.
std::vector<std::string> splitPrompt(const std::string& prompt) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = prompt.find(" / ", start);
    parts.push_back(prompt.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) {
      break;
    }
    start = at + 3;
  }
  return parts;
}

void drawLines(cv::Mat& image, const std::vector<std::string>& lines, cv::Point origin, int width, double scale,
               const cv::Scalar& color, int maxY) {
  int baseline = 0;
  const int lineHeight = cv::getTextSize("Ag", kFont, scale, 1, &baseline).height + baseline + 6;
  int y = origin.y + lineHeight - baseline;
  for (const auto& line : lines) {
    for (const auto& wrapped : wrapText(line, width, scale)) {
      if (y > maxY) {
        return;
      }
      cv::putText(image, wrapped, cv::Point(origin.x, y), kFont, scale, color, 1, cv::LINE_AA);
      y += lineHeight;
    }
  }
}

}  // namespace

std::vector<std::string> wrapText(const std::string& text, int width, double scale) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word;
  std::string line;
  auto fits = [&](const std::string& candidate) {
    int baseline = 0;
    return cv::getTextSize(candidate, kFont, scale, 1, &baseline).width <= width;
  };
  while (words >> word) {
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (line.empty() || fits(candidate)) {
      line = candidate;
    } else {
      lines.push_back(line);
      line = word;
    }
  }
  if (!line.empty()) {
    lines.push_back(line);
  }
  return lines;
}

cv::Scalar statusColor(v1::FaceStatus status) {
  switch (status) {
    case v1::FACE_STATUS_CHECKED_IN:
    case v1::FACE_STATUS_CHECKED_OUT:
      return {40, 160, 40};
    case v1::FACE_STATUS_UNKNOWN:
    case v1::FACE_STATUS_AMBIGUOUS:
    case v1::FACE_STATUS_NOT_LIVE:
    case v1::FACE_STATUS_MISMATCH:
      return {40, 40, 200};
    case v1::FACE_STATUS_ADJUST:
    case v1::FACE_STATUS_BLINK:
    case v1::FACE_STATUS_TURN_LEFT:
    case v1::FACE_STATUS_TURN_RIGHT:
    case v1::FACE_STATUS_LOOK_STRAIGHT:
      return {0, 150, 230};
    case v1::FACE_STATUS_COLLECTING:
      return {170, 120, 30};
    default:
      return {90, 90, 90};
  }
}

DisplayModel displayModel(const v1::FaceFrameReply* reply) {
  DisplayModel model;
  if (reply == nullptr) {
    model.banner = {"Moi nhin vao camera", "Please look at the camera"};
    return model;
  }
  model.status = reply->status();
  if ((reply->status() == v1::FACE_STATUS_CHECKED_IN || reply->status() == v1::FACE_STATUS_CHECKED_OUT) &&
      namesDelegate(*reply)) {
    model.banner = {asciiFold(greeting(*reply))};
  } else {
    for (const auto& part : splitPrompt(reply->prompt())) {
      model.banner.push_back(asciiFold(part));
    }
    if (reply->prompt().empty()) {
      model.banner = {statusName(reply->status())};
    }
  }
  model.frameWidth = static_cast<int>(reply->frame_width());
  model.frameHeight = static_cast<int>(reply->frame_height());
  if (hasFace(*reply)) {
    model.box = cv::Rect(reply->box().x(), reply->box().y(), static_cast<int>(reply->box().width()),
                         static_cast<int>(reply->box().height()));
  }
  if (!reply->enrolled_photo().empty()) {
    const std::string& bytes = reply->enrolled_photo();
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
    model.photo = cv::imdecode(raw, cv::IMREAD_COLOR);
  }
  if (namesDelegate(*reply)) {
    const auto& d = reply->delegate();
    model.panel.push_back(asciiFold(d.code()));
    if (!d.full_name().empty()) {
      model.panel.push_back(asciiFold(d.full_name()));
    }
    if (!d.seat().label().empty()) {
      model.panel.push_back("Ghe/Seat " + asciiFold(d.seat().label()));
    }
    if (!reply->delegation().empty()) {
      model.panel.push_back(asciiFold(reply->delegation()));
    }
  }
  std::string measures;
  if (reply->distance() > 0) {
    measures = "distance " + formatNumber(reply->distance(), 3);
  }
  if (reply->frames() > 0) {
    measures += (measures.empty() ? "" : ", ") + std::to_string(reply->frames()) + " frames";
  }
  if (!measures.empty()) {
    model.panel.push_back(measures);
  }
  return model;
}

std::optional<cv::Rect> scaledBox(const DisplayModel& model, int width, int height) {
  if (!model.box || model.box->width <= 0 || model.box->height <= 0) {
    return std::nullopt;
  }
  const double sx = model.frameWidth > 0 ? static_cast<double>(width) / model.frameWidth : 1.0;
  const double sy = model.frameHeight > 0 ? static_cast<double>(height) / model.frameHeight : sx;
  cv::Rect box(static_cast<int>(model.box->x * sx + 0.5), static_cast<int>(model.box->y * sy + 0.5),
               static_cast<int>(model.box->width * sx + 0.5), static_cast<int>(model.box->height * sy + 0.5));
  box &= cv::Rect(0, 0, width, height);
  if (box.width <= 0 || box.height <= 0) {
    return std::nullopt;
  }
  return box;
}

cv::Mat renderView(const cv::Mat& live, const DisplayModel& model) {
  CV_Assert(!live.empty() && live.type() == CV_8UC3);
  const int height = std::max(live.rows, kPhotoSide + 160) + kBannerHeight;
  cv::Mat view(height, live.cols + kPanelWidth, CV_8UC3, cv::Scalar(32, 32, 32));
  live.copyTo(view(cv::Rect(0, 0, live.cols, live.rows)));
  const cv::Scalar color = statusColor(model.status);
  if (auto box = scaledBox(model, live.cols, live.rows)) {
    cv::rectangle(view, *box, color, 2, cv::LINE_AA);
  }

  // Side panel: who the hall recognised, with the enrolled photo.
  const int panelX = live.cols;
  cv::rectangle(view, cv::Rect(panelX, 0, kPanelWidth, height - kBannerHeight), cv::Scalar(48, 48, 48), cv::FILLED);
  int y = 20;
  if (!model.photo.empty()) {
    cv::Mat photo;
    cv::resize(model.photo, photo, cv::Size(kPhotoSide, kPhotoSide), 0, 0, cv::INTER_AREA);
    const cv::Rect where(panelX + (kPanelWidth - kPhotoSide) / 2, y, kPhotoSide, kPhotoSide);
    photo.copyTo(view(where));
    cv::rectangle(view, where, color, 2);
    y += kPhotoSide + 8;
  }
  drawLines(view, model.panel, cv::Point(panelX + 12, y), kPanelWidth - 24, kPanelScale, cv::Scalar(230, 230, 230),
            height - kBannerHeight - 8);

  // Banner: the prompt or the greeting, on the status colour.
  const cv::Rect banner(0, height - kBannerHeight, view.cols, kBannerHeight);
  view(banner).setTo(color);
  drawLines(view, model.banner, cv::Point(12, banner.y + 4), view.cols - 24, kBannerScale, cv::Scalar(255, 255, 255),
            height - 4);
  return view;
}

KioskWindow::KioskWindow(std::string title) : title_(std::move(title)) {
  cv::namedWindow(title_, cv::WINDOW_AUTOSIZE);
}

KioskWindow::~KioskWindow() {
  try {
    cv::destroyWindow(title_);
    cv::waitKey(1);
  } catch (const cv::Exception&) {
  }
}

void KioskWindow::show(const cv::Mat& image) {
  cv::imshow(title_, image);
  shown_ = true;
}

WindowKey KioskWindow::poll(int waitMs) {
  const int key = cv::waitKey(std::max(1, waitMs));
  if (key == 27 || key == 'q' || key == 'Q') {
    return WindowKey::Quit;
  }
  if (key == 'r' || key == 'R') {
    return WindowKey::Reset;
  }
  if (shown_) {
    try {
      if (cv::getWindowProperty(title_, cv::WND_PROP_VISIBLE) < 1) {
        return WindowKey::Quit;  // closed with the window manager's button
      }
    } catch (const cv::Exception&) {
      return WindowKey::Quit;
    }
  }
  return WindowKey::None;
}

}  // namespace daihoi::kiosk
