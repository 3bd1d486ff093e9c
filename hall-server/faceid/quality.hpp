#pragma once
// Quality gates for a detected face, each failure named, in Vietnamese and English.
// The measurements are pure functions (testable without a model); the pipeline
// takes them on the aligned 150×150 chip, so that they do not depend on resolution.
#include <opencv2/core/mat.hpp>

#include <string_view>
#include <vector>

#include "faceid/geometry.hpp"

namespace daihoi::faceid {

enum class QualityIssue {
  NoFace,        // no face found
  SeveralFaces,  // enrollment: more than one usable face
  TooSmall,      // face box under the minimum: step closer
  CutByEdge,     // the face is cut by the frame's edge
  PoseTooFar,    // head turned or tilted too far from frontal
  TooDark,
  TooBright,
  Blurry,
};
std::string_view issueCode(QualityIssue issue);     // "no_face", "several_faces", "too_small", …
std::string_view issueMessage(QualityIssue issue);  // "Xin lại gần hơn / Please step closer", …

struct QualityOptions {
  int minFaceSize = 100;        // face box width in pixels of the full frame
  float minInside = 0.90f;      // fraction of the face box inside the frame
  int maxLandmarksOutside = 2;  // of the 68 landmarks, outside the frame
  float maxYaw = 30;            // degrees (estimatePose)
  float maxPitch = 25;
  float minBrightness = 50;     // mean grey level of the face
  float maxBrightness = 210;
  float maxClipped = 0.30f;     // fraction of face pixels ≤ 5 or ≥ 250
  // Variance of the Laplacian on the face region of the 150×150 chip. Photos of
  // ../shared/faces measure 88–1,600; a Gaussian blur of σ ≈ 1.5 chip pixels brings
  // them to about 25–40, σ ≈ 2.5 below 12.
  float minSharpness = 25;
};

struct Exposure {
  float mean = 0;    // 0–255
  float dark = 0;    // fraction of pixels ≤ 5
  float bright = 0;  // fraction of pixels ≥ 250
};
// Over an 8-bit grey image (the face region).
Exposure measureExposure(const cv::Mat& grey);
// Variance of the Laplacian over an 8-bit grey image (the face region): low is blurry.
float measureSharpness(const cv::Mat& grey);
// The fraction of a box's area inside a width × height frame (0 for an empty box).
float insideFraction(const Box& box, int width, int height);
// How many landmarks lie outside a width × height frame.
int landmarksOutside(const Landmarks& landmarks, int width, int height);

// Everything the gates look at, for one chosen face.
struct QualityMeasures {
  int faces = 0;        // detections in the frame
  int usableFaces = 0;  // of those, at least minFaceSize wide
  Box box;              // the chosen (largest) face, full-frame pixels
  int frameWidth = 0;
  int frameHeight = 0;
  int landmarksOutside = 0;
  HeadPose pose;
  Exposure exposure;
  float sharpness = 0;
};

// Every failed gate, in the order a person should fix them (first = the prompt to show).
// requireSingleFace: enrollment photos must show exactly one usable face.
std::vector<QualityIssue> assessQuality(const QualityMeasures& measures, const QualityOptions& options,
                                        bool requireSingleFace);

}  // namespace daihoi::faceid
