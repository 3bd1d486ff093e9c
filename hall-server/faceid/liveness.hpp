#pragma once
// Liveness: evidence over a few seconds of frames that a living face, not a
// printed photo or a still on a screen, is in front of the kiosk. A blink (the
// eye aspect ratio drops below a fraction of the person's own open-eye level for
// a few frames and recovers) or, when no blink comes, a random challenge: turn
// the head to one side and back. It does not stop a video of the person, a
// mask, or a printed photo tilted quickly about its horizontal axis (which
// lowers the eye aspect ratio as a blink does) or bent; turning a flat photo
// about its vertical axis does not move the nose between the eyes, so it does
// not pass the turn. docs/SECURITY.md has the threat model.
// Pure logic over measurements (no OpenCV, no dlib, no clock of its own).
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "faceid/geometry.hpp"

namespace daihoi::faceid {

struct LivenessOptions {
  bool required = true;            // false: every recognised face counts as live (demo, tests)
  float blinkRatio = 0.70f;        // closed: EAR below this × the person's open-eye level
  float reopenRatio = 0.85f;       // open again: EAR back above this × the open level
  int minClosedFrames = 1;         // a blink lasts 1–4 frames at about 10 frames per second
  int maxClosedFrames = 4;         // longer is eyes shut, not a blink (half-open frames included: twice this)
  int baselineFrames = 3;          // open-eye frames needed before a blink can count
  bool allowChallenge = true;      // ask for a head turn when no blink comes
  std::int64_t challengeAfterMs = 3000;  // no blink this long after the first frame: challenge
  float turnYaw = 15;              // degrees away from the person's own frontal yaw
  float straightYaw = 8;           // back within this many degrees of it
  std::int64_t timeoutMs = 10000;  // no evidence this long after the first frame: not live
};

// Directions are the camera image's (estimatePose: positive yaw = the nose
// towards the image's right). TurnLeft is done when yaw ≤ frontal − turnYaw, the
// nose moving to the image's left: in an unmirrored camera image that is the
// person turning to their own right, and on a mirrored (selfie) preview the
// reflection's nose moves towards the screen's right. The kiosk words its prompt
// for the preview it shows ("Quay sang phải / Turn to your right" for TurnLeft).
enum class LivenessStage {
  Watching,      // collecting frames, waiting for a blink
  TurnLeft,      // challenge issued: turn the head so that the nose moves to the image's left …
  TurnRight,     // … or to its right (chosen at random),
  LookStraight,  // turned far enough: now back to the camera
  Live,          // evidence seen (final until reset)
  TimedOut,      // no evidence within timeoutMs (final until reset)
};
std::string_view livenessStageCode(LivenessStage stage);  // "watching", "turn_left", …

// One frame's measurements of the tracked face.
struct LivenessSample {
  std::int64_t timeMs = 0;
  float ear = 0;    // eyeAspectRatio(landmarks), mean of both eyes
  float yaw = 0;    // estimatePose(landmarks).yaw
};

class LivenessTracker {
 public:
  // seed chooses the challenge's direction (the caller passes fresh randomness).
  LivenessTracker(LivenessOptions options, std::uint64_t seed);

  // Adds one frame of the same face, in capture order. Returns the stage after it.
  LivenessStage add(const LivenessSample& sample);
  LivenessStage stage() const { return stage_; }
  bool live() const { return stage_ == LivenessStage::Live; }
  // The open-eye level learnt so far (0 before baselineFrames frames).
  float openEyeLevel() const;
  // Blinks seen so far (diagnostics, tests); they keep being counted after Live.
  int blinks() const { return blinks_; }
  // The person's frontal yaw, fixed when the challenge was issued (0 before).
  float frontalYaw() const { return frontalYaw_; }
  // Starts over (a new person); the next challenge direction comes from the same generator.
  void reset();

 private:
  void watchEyes(float ear);
  void addToBaseline(float ear);

  LivenessOptions options_;
  std::uint64_t rng_;
  LivenessStage stage_ = LivenessStage::Watching;
  int blinks_ = 0;
  std::optional<std::int64_t> firstMs_;
  std::deque<float> openEars_;  // recent EARs of frames not in a closure (the baseline)
  float openLevel_ = 0;         // a high percentile of openEars_ (0 until baselineFrames)
  // The current closure: frames below blinkRatio × the level since the eyes last were open.
  bool closing_ = false;
  bool closingCounts_ = false;  // still short enough to be a blink
  int closedFrames_ = 0;
  std::vector<float> closingEars_;  // its frames, back into the baseline if it is no blink
  std::vector<float> yaws_;         // before the challenge: for the frontal yaw
  float frontalYaw_ = 0;
};

}  // namespace daihoi::faceid
