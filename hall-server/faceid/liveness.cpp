#include "faceid/liveness.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace daihoi::faceid {
namespace {

// The open-eye level is this percentile of the recent open frames: high enough
// that a half-closed frame or two do not pull it down, low enough that one
// wide-eyed frame does not raise it.
constexpr float kOpenPercentile = 0.75f;
// Recent open frames the level is taken from (3 s at 10 frames per second), so
// that it follows the person when the light or their distance changes.
constexpr std::size_t kBaselineWindow = 30;

// splitmix64 (Steele, Lea & Flood 2014): one 64-bit state, well mixed outputs,
// enough for choosing a direction that a replayed video cannot predict.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

float percentile(std::vector<float> values, float p) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<float>(values.size() - 1) + 0.5f);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

std::string_view livenessStageCode(LivenessStage stage) {
  switch (stage) {
    case LivenessStage::Watching: return "watching";
    case LivenessStage::TurnLeft: return "turn_left";
    case LivenessStage::TurnRight: return "turn_right";
    case LivenessStage::LookStraight: return "look_straight";
    case LivenessStage::Live: return "live";
    case LivenessStage::TimedOut: return "timed_out";
  }
  return "watching";
}

LivenessTracker::LivenessTracker(LivenessOptions options, std::uint64_t seed) : options_(options), rng_(seed) {
  options_.baselineFrames = std::max(1, options_.baselineFrames);
  options_.minClosedFrames = std::max(1, options_.minClosedFrames);
  options_.maxClosedFrames = std::max(options_.minClosedFrames, options_.maxClosedFrames);
}

void LivenessTracker::reset() {
  stage_ = LivenessStage::Watching;
  blinks_ = 0;
  firstMs_.reset();
  openEars_.clear();
  openLevel_ = 0;
  closing_ = closingCounts_ = false;
  closedFrames_ = 0;
  closingEars_.clear();
  yaws_.clear();
  frontalYaw_ = 0;
}

float LivenessTracker::openEyeLevel() const { return openLevel_; }

void LivenessTracker::addToBaseline(float ear) {
  openEars_.push_back(ear);
  if (openEars_.size() > kBaselineWindow) openEars_.pop_front();
  if (openEars_.size() >= static_cast<std::size_t>(options_.baselineFrames))
    openLevel_ = percentile(std::vector<float>(openEars_.begin(), openEars_.end()), kOpenPercentile);
}

// A blink: the EAR drops below blinkRatio × the open level for minClosedFrames to
// maxClosedFrames frames, then comes back above reopenRatio × the level. Frames in
// between the two ratios (the lids half way) neither count as closed nor end it.
// The ratios are of the person's own level, so a still photo's jitter of a few
// per cent never comes near them, while a narrow-eyed person's blink still does.
void LivenessTracker::watchEyes(float ear) {
  if (!std::isfinite(ear) || ear <= 0) return;  // degenerate landmarks: no measurement
  if (openLevel_ <= 0) {
    addToBaseline(ear);
    return;
  }
  const bool closed = ear < options_.blinkRatio * openLevel_;
  const bool open = ear >= options_.reopenRatio * openLevel_;
  if (!closing_) {
    if (!closed) {
      addToBaseline(ear);
      return;
    }
    closing_ = true;
    closingCounts_ = true;
    closedFrames_ = 0;
    closingEars_.clear();
  }
  if (!open) {
    if (closed) ++closedFrames_;
    if (closingCounts_) {
      closingEars_.push_back(ear);
      // Too long for a blink (eyes shut, or the person now looks down): it will not
      // count, and its frames join the baseline so that a lower level is learnt.
      if (closedFrames_ > options_.maxClosedFrames ||
          closingEars_.size() > 2 * static_cast<std::size_t>(options_.maxClosedFrames)) {
        closingCounts_ = false;
        for (float e : closingEars_) addToBaseline(e);
        closingEars_.clear();
      }
    } else {
      addToBaseline(ear);
    }
    return;
  }
  // Open again.
  if (closingCounts_ && closedFrames_ >= options_.minClosedFrames) ++blinks_;
  closing_ = closingCounts_ = false;
  closedFrames_ = 0;
  closingEars_.clear();
  addToBaseline(ear);
}

LivenessStage LivenessTracker::add(const LivenessSample& sample) {
  if (stage_ == LivenessStage::TimedOut) return stage_;
  if (!firstMs_) firstMs_ = sample.timeMs;
  const std::int64_t elapsed = sample.timeMs - *firstMs_;
  const int blinksBefore = blinks_;
  watchEyes(sample.ear);  // also after Live: blinks() is a diagnostic
  if (stage_ == LivenessStage::Live) return stage_;
  if (!options_.required || blinks_ > blinksBefore) return stage_ = LivenessStage::Live;

  const bool yawKnown = std::isfinite(sample.yaw);
  switch (stage_) {
    case LivenessStage::Watching:
      if (yawKnown && options_.allowChallenge) yaws_.push_back(sample.yaw);
      if (options_.allowChallenge && elapsed >= options_.challengeAfterMs) {
        // The person's own frontal yaw: the landmark estimate is biased by a few
        // degrees per face and camera angle, so the turn is measured from it.
        frontalYaw_ = percentile(yaws_, 0.5f);
        yaws_.clear();
        stage_ = (splitmix64(rng_) >> 63) ? LivenessStage::TurnLeft : LivenessStage::TurnRight;
      }
      break;
    case LivenessStage::TurnLeft:
      if (yawKnown && sample.yaw <= frontalYaw_ - options_.turnYaw) stage_ = LivenessStage::LookStraight;
      break;
    case LivenessStage::TurnRight:
      if (yawKnown && sample.yaw >= frontalYaw_ + options_.turnYaw) stage_ = LivenessStage::LookStraight;
      break;
    case LivenessStage::LookStraight:
      if (yawKnown && std::fabs(sample.yaw - frontalYaw_) <= options_.straightYaw) return stage_ = LivenessStage::Live;
      break;
    case LivenessStage::Live:
    case LivenessStage::TimedOut:
      break;
  }
  if (elapsed >= options_.timeoutMs) stage_ = LivenessStage::TimedOut;
  return stage_;
}

}  // namespace daihoi::faceid
