#include "faceid/geometry.hpp"

#include <cmath>
#include <numbers>

namespace daihoi::faceid {
namespace {

float dist(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

Point mean(const Landmarks& l, std::size_t first, std::size_t count) {
  Point m;
  for (std::size_t i = first; i < first + count; ++i) {
    m.x += l[i].x;
    m.y += l[i].y;
  }
  m.x /= static_cast<float>(count);
  m.y /= static_cast<float>(count);
  return m;
}

constexpr float kDegrees = 180.0f / std::numbers::pi_v<float>;

// Model constants for the pose estimate (see geometry.hpp): the half distance
// between the outer eye corners over the depth of the nose tip in front of them
// (about 4.5 cm / 3.8 cm), and the eye-to-mouth height over the nose depth
// (kept lower than the anatomy suggests: the nose-tip landmark is noisy vertically).
constexpr float kYawGain = 1.2f;
constexpr float kPitchGain = 1.5f;
// Where the nose tip sits between eye line (0) and mouth corners (1) on a frontal face
// (measured on the frontal photos of ../shared/faces/people with the 68-point model).
constexpr float kFrontalNoseHeight = 0.56f;

}  // namespace

float eyeAspectRatio(const Landmarks& l, Eye eye) {
  const std::size_t b = eye == Eye::ImageLeft ? 36 : 42;
  const float width = dist(l[b + 0], l[b + 3]);
  if (!(width > 1e-6f)) return 0;
  return (dist(l[b + 1], l[b + 5]) + dist(l[b + 2], l[b + 4])) / (2 * width);
}

float eyeAspectRatio(const Landmarks& l) {
  return 0.5f * (eyeAspectRatio(l, Eye::ImageLeft) + eyeAspectRatio(l, Eye::ImageRight));
}

HeadPose estimatePose(const Landmarks& l) {
  HeadPose pose;
  const Point leftEye = mean(l, 36, 6);
  const Point rightEye = mean(l, 42, 6);
  const float rollRad = std::atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  pose.roll = rollRad * kDegrees;

  // Rotate by −roll around the eyes' midpoint so that the eye line is horizontal.
  const Point centre{(leftEye.x + rightEye.x) / 2, (leftEye.y + rightEye.y) / 2};
  const float c = std::cos(-rollRad), s = std::sin(-rollRad);
  auto upright = [&](Point p) {
    const float dx = p.x - centre.x, dy = p.y - centre.y;
    return Point{c * dx - s * dy, s * dx + c * dy};
  };
  const Point outerLeft = upright(l[36]);
  const Point outerRight = upright(l[45]);
  const Point nose = upright(l[30]);
  const Point mouthLeft = upright(l[48]);
  const Point mouthRight = upright(l[54]);

  const float span = outerRight.x - outerLeft.x;
  if (span > 1e-6f) {
    const float r = (nose.x - outerLeft.x) / span;  // 0.5 when frontal
    pose.yaw = std::atan(kYawGain * (2 * r - 1)) * kDegrees;
  }
  const float eyeY = (upright(leftEye).y + upright(rightEye).y) / 2;  // 0 by construction
  const float mouthY = (mouthLeft.y + mouthRight.y) / 2;
  const float height = mouthY - eyeY;
  if (height > 1e-6f) {
    const float p = (nose.y - eyeY) / height;
    pose.pitch = std::atan(kPitchGain * (kFrontalNoseHeight - p)) * kDegrees;
  }
  return pose;
}

}  // namespace daihoi::faceid
