#include "faceid/quality.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace daihoi::faceid {

std::string_view issueCode(QualityIssue issue) {
  switch (issue) {
    case QualityIssue::NoFace: return "no_face";
    case QualityIssue::SeveralFaces: return "several_faces";
    case QualityIssue::TooSmall: return "too_small";
    case QualityIssue::CutByEdge: return "cut_by_edge";
    case QualityIssue::PoseTooFar: return "pose";
    case QualityIssue::TooDark: return "too_dark";
    case QualityIssue::TooBright: return "too_bright";
    case QualityIssue::Blurry: return "blurry";
  }
  return "unknown";
}

std::string_view issueMessage(QualityIssue issue) {
  switch (issue) {
    case QualityIssue::NoFace: return "Không thấy khuôn mặt / No face found";
    case QualityIssue::SeveralFaces: return "Có nhiều khuôn mặt trong ảnh / Several faces in the picture";
    case QualityIssue::TooSmall: return "Xin lại gần hơn / Please step closer";
    case QualityIssue::CutByEdge: return "Khuôn mặt bị khuất khỏi khung hình / Face cut by the edge of the picture";
    case QualityIssue::PoseTooFar: return "Xin nhìn thẳng vào máy ảnh / Please look at the camera";
    case QualityIssue::TooDark: return "Ảnh quá tối / Too dark";
    case QualityIssue::TooBright: return "Ảnh quá sáng / Too bright";
    case QualityIssue::Blurry: return "Ảnh bị mờ, xin đứng yên / Blurry, please hold still";
  }
  return "";
}

Exposure measureExposure(const cv::Mat& grey) {
  Exposure e;
  if (grey.empty() || grey.type() != CV_8UC1) return e;
  const double n = static_cast<double>(grey.total());
  e.mean = static_cast<float>(cv::mean(grey)[0]);
  e.dark = static_cast<float>(cv::countNonZero(grey <= 5) / n);
  e.bright = static_cast<float>(cv::countNonZero(grey >= 250) / n);
  return e;
}

float measureSharpness(const cv::Mat& grey) {
  if (grey.empty() || grey.type() != CV_8UC1 || grey.rows < 3 || grey.cols < 3) return 0;
  cv::Mat lap;
  cv::Laplacian(grey, lap, CV_32F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(lap, mean, stddev);
  return static_cast<float>(stddev[0] * stddev[0]);
}

float insideFraction(const Box& box, int width, int height) {
  if (box.width <= 0 || box.height <= 0) return 0;
  const long long x0 = std::max(box.x, 0), y0 = std::max(box.y, 0);
  const long long x1 = std::min(box.right(), width), y1 = std::min(box.bottom(), height);
  if (x1 <= x0 || y1 <= y0) return 0;
  return static_cast<float>(static_cast<double>((x1 - x0) * (y1 - y0)) / static_cast<double>(box.area()));
}

int landmarksOutside(const Landmarks& landmarks, int width, int height) {
  return static_cast<int>(std::count_if(landmarks.begin(), landmarks.end(), [&](const Point& p) {
    return p.x < 0 || p.y < 0 || p.x >= static_cast<float>(width) || p.y >= static_cast<float>(height);
  }));
}

std::vector<QualityIssue> assessQuality(const QualityMeasures& m, const QualityOptions& o,
                                        bool requireSingleFace) {
  std::vector<QualityIssue> issues;
  if (m.faces == 0) {
    issues.push_back(QualityIssue::NoFace);
    return issues;
  }
  if (requireSingleFace && m.usableFaces > 1) issues.push_back(QualityIssue::SeveralFaces);
  if (m.box.width < o.minFaceSize) issues.push_back(QualityIssue::TooSmall);
  if (insideFraction(m.box, m.frameWidth, m.frameHeight) < o.minInside ||
      m.landmarksOutside > o.maxLandmarksOutside)
    issues.push_back(QualityIssue::CutByEdge);
  if (std::fabs(m.pose.yaw) > o.maxYaw || std::fabs(m.pose.pitch) > o.maxPitch)
    issues.push_back(QualityIssue::PoseTooFar);
  if (m.exposure.mean < o.minBrightness || m.exposure.dark > o.maxClipped)
    issues.push_back(QualityIssue::TooDark);
  else if (m.exposure.mean > o.maxBrightness || m.exposure.bright > o.maxClipped)
    issues.push_back(QualityIssue::TooBright);
  if (m.sharpness < o.minSharpness) issues.push_back(QualityIssue::Blurry);
  return issues;
}

}  // namespace daihoi::faceid
