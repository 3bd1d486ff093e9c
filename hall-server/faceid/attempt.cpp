#include "faceid/attempt.hpp"

#include <algorithm>
#include <cmath>

namespace daihoi::faceid {

bool isFinal(AttemptStage stage) {
  switch (stage) {
    case AttemptStage::Accepted:
    case AttemptStage::Unknown:
    case AttemptStage::Ambiguous:
    case AttemptStage::NotLive:
    case AttemptStage::Mismatch:
      return true;
    default:
      return false;
  }
}

std::string_view attemptStageCode(AttemptStage stage) {
  switch (stage) {
    case AttemptStage::NoFace: return "no_face";
    case AttemptStage::Adjust: return "adjust";
    case AttemptStage::Collecting: return "collecting";
    case AttemptStage::AwaitBlink: return "await_blink";
    case AttemptStage::TurnLeft: return "turn_left";
    case AttemptStage::TurnRight: return "turn_right";
    case AttemptStage::LookStraight: return "look_straight";
    case AttemptStage::Accepted: return "accepted";
    case AttemptStage::Unknown: return "unknown";
    case AttemptStage::Ambiguous: return "ambiguous";
    case AttemptStage::NotLive: return "not_live";
    case AttemptStage::Mismatch: return "mismatch";
  }
  return "no_face";
}

Attempt::Attempt(const Gallery& gallery, AttemptOptions options, std::uint64_t seed)
    : gallery_(gallery),
      options_(options),
      aggregator_(gallery, options.match, options.aggregate),
      liveness_(options.liveness, seed) {
  options_.aggregate.frames = std::max(1, options_.aggregate.frames);
  options_.noFaceFramesToReset = std::max(1, options_.noFaceFramesToReset);
}

void Attempt::claim(std::optional<DelegateId> delegate) {
  claimed_ = delegate;
  reset();
}

void Attempt::reset() {
  aggregator_.reset();
  liveness_.reset();
  result_ = AttemptUpdate{};
  finalMs_.reset();
  watching_ = decided_ = false;
  window_.clear();
  sum_ = Descriptor{};
  lastBox_.reset();
  noFaceFrames_ = 0;
}

AttemptUpdate Attempt::update(AttemptStage stage) const {
  AttemptUpdate u = result_;
  u.stage = stage;
  u.becameFinal = false;
  return u;
}

AttemptUpdate Attempt::finish(AttemptStage stage, std::int64_t timeMs) {
  result_.stage = stage;
  finalMs_ = timeMs;
  AttemptUpdate u = result_;
  u.becameFinal = true;  // only here, once: the held copies say false
  return u;
}

bool Attempt::boxJumped(const Box& box) const {
  if (!lastBox_ || options_.maxBoxJump <= 0 || lastBox_->width <= 0 || box.width <= 0) return false;
  const Box& last = *lastBox_;
  const float dx = (box.x + box.width / 2.0f) - (last.x + last.width / 2.0f);
  const float dy = (box.y + box.height / 2.0f) - (last.y + last.height / 2.0f);
  const float scale = static_cast<float>(box.width) / static_cast<float>(last.width);
  return std::hypot(dx, dy) > options_.maxBoxJump * static_cast<float>(last.width) || scale > 1.5f ||
         scale < 1 / 1.5f;
}

Descriptor Attempt::attemptMean() const {
  Descriptor mean = sum_;
  if (result_.frames > 0)
    for (auto& v : mean) v /= static_cast<float>(result_.frames);
  return mean;
}

bool Attempt::sameIdentity(const Descriptor& descriptor) const {
  const auto toDelegate = gallery_.distanceTo(*result_.delegate, descriptor);
  if (!toDelegate) return false;  // no longer enrolled: the decision does not hold any more
  const float threshold = claimed_ ? options_.verify.threshold : options_.match.threshold;
  if (*toDelegate <= threshold + options_.identitySlack) return true;
  // The enrollment photo may be older or lit differently than the kiosk: frames
  // that keep close to the attempt's own face are still the same person.
  return distance(attemptMean(), descriptor) <= options_.aggregate.maxSpread;
}

bool Attempt::decide(const Descriptor& descriptor) {
  if (!claimed_) {
    const auto decision = aggregator_.add(descriptor);
    if (!decision) return false;
    const Match& m = decision->match;
    result_.distance = m.distance;
    result_.margin = decision->margin();
    if (decision->recognised()) {
      result_.delegate = m.id;
      decided_ = true;
    } else {
      if (m.found) result_.nearest = m.id;
      result_.stage = decision->outcome == Outcome::Ambiguous ? AttemptStage::Ambiguous : AttemptStage::Unknown;
    }
    return true;
  }
  // 1:1: the mean of the last frames against the badge's delegate.
  if (window_.size() < static_cast<std::size_t>(options_.aggregate.frames)) return false;
  const Descriptor mean = meanDescriptor(window_);
  const Verification v = verify(gallery_, *claimed_, mean, options_.verify);
  const Match nearest = gallery_.search(mean);
  result_.distance = v.distance;
  if (v.accepted) {
    const Match others = gallery_.search(mean, *claimed_);
    result_.margin = others.found ? others.distance - v.distance : kNoDistance;
    result_.delegate = *claimed_;
    decided_ = true;
  } else {
    if (nearest.found) {
      result_.nearest = nearest.id;
      result_.margin = (nearest.hasSecond ? nearest.secondDistance : kNoDistance) - nearest.distance;
    }
    result_.stage = AttemptStage::Mismatch;
  }
  return true;
}

AttemptUpdate Attempt::observe(const FrameObservation& frame) {
  if (!frame.hasFace) {
    // The person left: start over, also during the hold.
    if (++noFaceFrames_ >= options_.noFaceFramesToReset) {
      reset();
      return update(AttemptStage::NoFace);
    }
    return finalMs_ ? update(result_.stage) : update(AttemptStage::NoFace);
  }
  noFaceFrames_ = 0;
  if (finalMs_) {
    if (frame.timeMs - *finalMs_ < options_.holdMs) return update(result_.stage);
    reset();  // the hold is over: this face starts a new attempt
  }

  // A new person stepped in: nothing gathered so far (frames, liveness evidence)
  // belongs to them. Seen as a jump of the face box, or as a good frame of
  // another face. (The claim stays: the badge is still on the reader.)
  if (boxJumped(frame.box)) reset();
  lastBox_ = frame.box;
  const bool good = frame.passed && frame.descriptor.has_value();
  if (good) {
    const Descriptor& d = *frame.descriptor;
    const bool someoneElse = decided_ ? !sameIdentity(d)
                                      : !window_.empty() && distance(meanDescriptor(window_), d) > options_.aggregate.maxSpread;
    if (someoneElse) {
      reset();
      lastBox_ = frame.box;
    }
  }
  if (good) watching_ = true;
  // Liveness starts with the first good frame and then takes every face frame:
  // the blink and the turn frames often fail a gate (blur, pose).
  LivenessStage live = liveness_.stage();
  if (watching_) live = liveness_.add(LivenessSample{frame.timeMs, frame.ear, frame.pose.yaw});

  if (good) {
    const Descriptor& d = *frame.descriptor;
    ++result_.frames;
    for (std::size_t i = 0; i < kDescriptorSize; ++i) sum_[i] += d[i];
    if (!decided_) {
      window_.push_back(d);
      if (window_.size() > static_cast<std::size_t>(options_.aggregate.frames)) window_.erase(window_.begin());
      if (!decide(d)) return update(AttemptStage::Collecting);
      if (!decided_) return finish(result_.stage, frame.timeMs);  // unknown, ambiguous, mismatch
      window_.clear();
    }
  }
  if (!decided_) return update(AttemptStage::Adjust);

  if (live == LivenessStage::TimedOut) return finish(AttemptStage::NotLive, frame.timeMs);
  // Accepted on a good frame of the same face at or after the evidence: the
  // frame on which the eyes reopened, or the frontal one after the turn.
  if (live == LivenessStage::Live && good) return finish(AttemptStage::Accepted, frame.timeMs);
  if (!good) return update(AttemptStage::Adjust);
  switch (live) {
    case LivenessStage::TurnLeft: return update(AttemptStage::TurnLeft);
    case LivenessStage::TurnRight: return update(AttemptStage::TurnRight);
    case LivenessStage::LookStraight: return update(AttemptStage::LookStraight);
    default: return update(AttemptStage::AwaitBlink);
  }
}

}  // namespace daihoi::faceid
