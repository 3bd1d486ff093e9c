#pragma once
// One check-in attempt at a kiosk: the frames of one person in front of the
// camera, from the first good frame to a final outcome. It aggregates the
// descriptors of good frames into a 1:N decision (or a 1:1 verification when
// the badge names the delegate), runs liveness over the same face, and makes
// sure the identity holds before and after the liveness evidence. Pure logic:
// the caller (the hall) feeds it what the face workers measured.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "faceid/descriptor.hpp"
#include "faceid/geometry.hpp"
#include "faceid/liveness.hpp"
#include "faceid/matcher.hpp"

namespace daihoi::faceid {

struct AttemptOptions {
  MatchOptions match;
  AggregateOptions aggregate;
  LivenessOptions liveness;
  VerifyOptions verify;
  // The person left: this many consecutive frames without a face end the attempt
  // (also during the hold after a final outcome, so the next person need not wait).
  int noFaceFramesToReset = 5;
  // After a final outcome, the same answer is repeated this long before a new attempt starts.
  std::int64_t holdMs = 4000;
  // Once recognised, every good frame must stay the same face: within the
  // threshold (match, or verify when claimed) plus this of the delegate, or within
  // aggregate.maxSpread of the mean of the attempt's good frames. Otherwise a new
  // person stepped in and the attempt restarts with that frame.
  float identitySlack = 0.05f;
  // Frames that fail a gate feed liveness too (blinks blur, turns leave the pose
  // gate), so they are tied to the face by its box: when the box's centre moves
  // more than this many box widths between consecutive face frames (at about 10
  // frames per second; at 5 a brisk head movement may come close), or its width
  // changes more than 1.5×, it is another face and the attempt restarts (without
  // this, somebody else's blink on frames that fail a gate would count for a
  // recognised photo). 0 turns the check off.
  float maxBoxJump = 0.5f;
};

// What the face workers measured on one frame (no image).
struct FrameObservation {
  std::int64_t timeMs = 0;  // capture time
  bool hasFace = false;
  bool passed = false;      // every quality gate passed
  Box box;
  float ear = 0;
  HeadPose pose;
  std::optional<Descriptor> descriptor;  // set when passed
};

enum class AttemptStage {
  NoFace,        // nobody in front of the camera
  Adjust,        // a face, but a quality gate failed (the caller shows its prompt);
                 // once recognised the update still names the delegate and liveness goes on
  Collecting,    // good frames so far; not decided yet
  AwaitBlink,    // recognised (or verified); waiting for liveness evidence
  TurnLeft,      // liveness challenge
  TurnRight,
  LookStraight,
  Accepted,      // final: recognised, live, same identity throughout
  Unknown,       // final
  Ambiguous,     // final
  NotLive,       // final: recognised but no liveness evidence in time
  Mismatch,      // final: the badge's delegate is not this face
};
bool isFinal(AttemptStage stage);
std::string_view attemptStageCode(AttemptStage stage);  // "no_face", "adjust", …, "mismatch"

struct AttemptUpdate {
  AttemptStage stage = AttemptStage::NoFace;
  // True exactly once per attempt, on the frame that reached a final stage:
  // the caller records the check-in or reports the failed attempt then.
  bool becameFinal = false;
  std::optional<DelegateId> delegate;  // the recognised (or claimed and verified) delegate
  // Of the aggregated face (the mean of the frames decided on) to that delegate;
  // Unknown / Ambiguous: to the nearest; Mismatch: to the claimed delegate.
  float distance = kNoDistance;
  // How much farther the next delegate is (the best other one when claimed);
  // +inf when nobody else is enrolled.
  float margin = kNoDistance;
  std::optional<DelegateId> nearest;   // Unknown / Ambiguous / Mismatch: the nearest candidate
  int frames = 0;                      // good frames in this attempt
};

class Attempt {
 public:
  // The gallery must outlive the attempt; it may change between frames.
  Attempt(const Gallery& gallery, AttemptOptions options, std::uint64_t seed);

  // The badge's delegate: the face is verified 1:1 against it instead of searched 1:N.
  // Starts a new attempt. nullopt returns to 1:N. The claim stays for the attempts
  // after this one until it is changed: the kiosk clears it when the badge's
  // attempt has ended (a later face verified against it can only be refused).
  void claim(std::optional<DelegateId> delegate);
  std::optional<DelegateId> claimed() const { return claimed_; }

  // Adds one frame, in capture order.
  AttemptUpdate observe(const FrameObservation& frame);
  // Starts over (the usher's reset, or a person left). Keeps the claim.
  void reset();

  const AttemptOptions& options() const { return options_; }
  // The liveness of the current attempt (diagnostics, tests).
  const LivenessTracker& liveness() const { return liveness_; }

 private:
  AttemptUpdate update(AttemptStage stage) const;
  AttemptUpdate finish(AttemptStage stage, std::int64_t timeMs);
  bool boxJumped(const Box& box) const;
  bool sameIdentity(const Descriptor& descriptor) const;
  Descriptor attemptMean() const;
  // Decides once enough good frames are collected; false while more are needed.
  bool decide(const Descriptor& descriptor);

  const Gallery& gallery_;
  AttemptOptions options_;
  std::optional<DelegateId> claimed_;
  FrameAggregator aggregator_;
  LivenessTracker liveness_;
  AttemptUpdate result_;              // what is known so far; the held answer after a final stage
  std::optional<std::int64_t> finalMs_;  // when the final stage was reached
  bool watching_ = false;             // a good frame seen: liveness is fed from then on
  bool decided_ = false;              // recognised or verified: result_.delegate is the identity
  std::vector<Descriptor> window_;    // the last aggregate.frames good frames while collecting
  Descriptor sum_{};                  // of every good frame of the attempt (its mean)
  std::optional<Box> lastBox_;        // of the previous face frame
  int noFaceFrames_ = 0;              // consecutive
};

}  // namespace daihoi::faceid
