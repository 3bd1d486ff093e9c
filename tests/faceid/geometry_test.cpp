#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "faceid/geometry.hpp"

using namespace daihoi::faceid;

namespace {

// A synthetic frontal face: eyes 30 px wide with the given opening, outer
// corners at x = 100 and 230, eye line at y = 100, nose tip, mouth corners at y = 200.
Landmarks frontal(float opening = 9, float noseX = 165, float noseY = 156) {
  Landmarks l{};
  for (auto& p : l) p = Point{165, 150};
  auto eye = [&](std::size_t b, float x0) {
    l[b + 0] = {x0, 100};
    l[b + 1] = {x0 + 10, 100 - opening / 2};
    l[b + 2] = {x0 + 20, 100 - opening / 2};
    l[b + 3] = {x0 + 30, 100};
    l[b + 4] = {x0 + 20, 100 + opening / 2};
    l[b + 5] = {x0 + 10, 100 + opening / 2};
  };
  eye(36, 100);
  eye(42, 200);
  l[30] = {noseX, noseY};
  l[48] = {135, 200};
  l[54] = {195, 200};
  return l;
}

Landmarks rotated(const Landmarks& in, float degrees, Point centre) {
  const float r = degrees * std::numbers::pi_v<float> / 180;
  Landmarks out = in;
  for (auto& p : out) {
    const float dx = p.x - centre.x, dy = p.y - centre.y;
    p = {centre.x + std::cos(r) * dx - std::sin(r) * dy, centre.y + std::sin(r) * dx + std::cos(r) * dy};
  }
  return out;
}

}  // namespace

TEST_CASE("eye aspect ratio of synthetic eyes") {
  const Landmarks open = frontal(9);
  CHECK(eyeAspectRatio(open, Eye::ImageLeft) == doctest::Approx(0.3));
  CHECK(eyeAspectRatio(open, Eye::ImageRight) == doctest::Approx(0.3));
  CHECK(eyeAspectRatio(open) == doctest::Approx(0.3));
  const Landmarks closed = frontal(1.5);
  CHECK(eyeAspectRatio(closed) == doctest::Approx(0.05));
  // Independent of scale and roll.
  Landmarks big = open;
  for (auto& p : big) p = {p.x * 3, p.y * 3};
  CHECK(eyeAspectRatio(big) == doctest::Approx(0.3));
  CHECK(eyeAspectRatio(rotated(open, 25, {165, 150})) == doctest::Approx(0.3).epsilon(1e-4));
  // One eye closed: a wink halves the mean.
  Landmarks wink = open;
  for (std::size_t i : {37, 38, 40, 41}) wink[i].y = 100;
  CHECK(eyeAspectRatio(wink, Eye::ImageLeft) == doctest::Approx(0.0));
  CHECK(eyeAspectRatio(wink) == doctest::Approx(0.15));
  // Degenerate landmarks do not divide by zero.
  Landmarks flat{};
  CHECK(eyeAspectRatio(flat) == 0.0f);
}

TEST_CASE("head pose: frontal, turned, tilted, rolled") {
  const HeadPose frontalPose = estimatePose(frontal());
  CHECK(frontalPose.yaw == doctest::Approx(0).epsilon(1e-3));
  CHECK(frontalPose.roll == doctest::Approx(0).epsilon(1e-3));
  CHECK(std::fabs(frontalPose.pitch) < 3);

  // Nose towards the image's right: positive yaw, growing with the offset.
  const float yawSmall = estimatePose(frontal(9, 180)).yaw;
  const float yawLarge = estimatePose(frontal(9, 215)).yaw;
  CHECK(yawSmall > 5);
  CHECK(yawLarge > yawSmall);
  CHECK(yawLarge > 30);  // nose near the outer eye corner: far from frontal
  CHECK(estimatePose(frontal(9, 150)).yaw == doctest::Approx(-yawSmall));
  // The model: tan(yaw) = 1.2 × (2r − 1) with r the nose's place between the outer corners.
  CHECK(estimatePose(frontal(9, 180)).yaw == doctest::Approx(std::atan(1.2 * (2 * (80.0 / 130) - 1)) * 180 / std::numbers::pi));

  // Nose tip close to the eyes: looking up; close to the mouth: looking down.
  CHECK(estimatePose(frontal(9, 165, 125)).pitch > 15);
  CHECK(estimatePose(frontal(9, 165, 190)).pitch < -15);

  // Roll is measured and removed: yaw and pitch do not change when the head tilts sideways.
  for (float roll : {-30.0f, 15.0f, 40.0f}) {
    const HeadPose p = estimatePose(rotated(frontal(9, 180), roll, {165, 150}));
    CHECK(p.roll == doctest::Approx(roll).epsilon(1e-3));
    CHECK(p.yaw == doctest::Approx(yawSmall).epsilon(1e-3));
    CHECK(p.pitch == doctest::Approx(estimatePose(frontal(9, 180)).pitch).epsilon(1e-3));
  }
  // Degenerate landmarks give zeros, not NaN.
  const HeadPose flat = estimatePose(Landmarks{});
  CHECK(flat.yaw == 0.0f);
  CHECK(flat.pitch == 0.0f);
}
