#pragma once
// Plain geometry of a detected face: boxes, the 68 landmarks, and the pure
// measurements the liveness logic needs (eye aspect ratio, head pose). No
// OpenCV or dlib here, so that callers outside the faceid layer can use it.
#include <array>
#include <cstddef>

namespace daihoi::faceid {

struct Point {
  float x = 0;
  float y = 0;
};

// An axis-aligned box in pixels of the full frame (may reach outside it).
struct Box {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  long long area() const { return static_cast<long long>(width) * height; }
  int right() const { return x + width; }    // exclusive
  int bottom() const { return y + height; }  // exclusive
  bool operator==(const Box&) const = default;
};

// The iBUG 300-W 68-point layout (dlib's shape_predictor_68_face_landmarks):
// 0–16 jaw, 17–26 brows, 27–35 nose (30 = tip), 36–41 the eye on the image's
// left (the subject's right), 42–47 the other eye, 48–67 mouth (48, 54 corners).
inline constexpr std::size_t kLandmarkCount = 68;
using Landmarks = std::array<Point, kLandmarkCount>;

enum class Eye { ImageLeft, ImageRight };

// Eye aspect ratio (Soukupová & Čech 2016): (|p2−p6| + |p3−p5|) / (2 |p1−p4|)
// over the six points of one eye. About 0.25–0.35 open, below ~0.15 closed.
// 0 when the eye's corners coincide (degenerate landmarks).
float eyeAspectRatio(const Landmarks& landmarks, Eye eye);
// The mean of both eyes.
float eyeAspectRatio(const Landmarks& landmarks);

// Approximate head pose in degrees, from landmarks only (no camera model):
// - roll: angle of the line through the eye centres (positive: clockwise in the image);
// - yaw: the nose tip's position between the outer eye corners after removing
//   roll; 0 frontal, positive when the nose points towards the image's right;
// - pitch: the nose tip's height between the eye line and the mouth corners;
//   0 near frontal, positive when the face looks up.
// Good to a few degrees near frontal and monotonic beyond: enough for a quality
// gate and for a "turn your head" liveness challenge, not for measurement.
struct HeadPose {
  float yaw = 0;
  float pitch = 0;
  float roll = 0;
};
HeadPose estimatePose(const Landmarks& landmarks);

}  // namespace daihoi::faceid
