#pragma once
// The 1:N matcher: every enrolled delegate's mean descriptor in one contiguous
// float array, the best and the second-best (= best other delegate) distance,
// and the decision rule recognised / ambiguous / unknown. Also aggregation of
// several good frames into one decision, and 1:1 verification for the badge
// second factor. No OpenCV or dlib here.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "faceid/descriptor.hpp"

namespace daihoi::faceid {

using DelegateId = std::uint32_t;
inline constexpr float kNoDistance = std::numeric_limits<float>::infinity();

// The mean of several descriptors (e.g. a delegate's enrollment photos, or a
// few frames of one face). The mean of nothing is all zeros.
Descriptor meanDescriptor(std::span<const Descriptor> descriptors);

// The nearest and the second-nearest delegate to a probe.
struct Match {
  bool found = false;  // false: empty gallery
  DelegateId id = 0;
  float distance = kNoDistance;
  bool hasSecond = false;  // false: only one delegate enrolled
  DelegateId secondId = 0;
  float secondDistance = kNoDistance;
};

class Gallery {
 public:
  void reserve(std::size_t delegates);
  // Adds a delegate or replaces the descriptor of one already enrolled.
  void upsert(DelegateId id, const Descriptor& meanDescriptor);
  // Removes a delegate; false when it was not enrolled. Moves the last row into its place.
  bool remove(DelegateId id);
  void clear();

  std::size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }
  bool contains(DelegateId id) const { return index_.count(id) != 0; }
  std::optional<Descriptor> descriptorOf(DelegateId id) const;
  std::span<const DelegateId> ids() const { return ids_; }
  // size() × kDescriptorSize floats, row i belongs to ids()[i].
  std::span<const float> data() const { return data_; }

  // Nearest and second-nearest delegate (Euclidean distance). Optionally skips one delegate.
  Match search(const Descriptor& probe, std::optional<DelegateId> exclude = std::nullopt) const;
  // Distance of a probe to one delegate; nothing when that delegate is not enrolled.
  std::optional<float> distanceTo(DelegateId id, const Descriptor& probe) const;

 private:
  std::vector<DelegateId> ids_;
  std::vector<float> data_;
  std::unordered_map<DelegateId, std::size_t> index_;
};

// The operating point of the 1:N decision. A 1:1 threshold of 0.6 is far too
// loose for 1:N: with a large roster most strangers are within 0.6 of somebody.
struct MatchOptions {
  float threshold = 0.45f;  // the best distance must be at most this …
  float margin = 0.07f;     // … and the best other delegate at least this much farther
};

enum class Outcome {
  Recognised,  // best ≤ threshold and second − best ≥ margin
  Ambiguous,   // best ≤ threshold but another delegate is too close behind
  Unknown,     // best > threshold (or nobody enrolled)
};
std::string_view outcomeCode(Outcome outcome);  // "recognised", "ambiguous", "unknown"

struct Decision {
  Outcome outcome = Outcome::Unknown;
  Match match;     // the best (and second) delegate behind the decision
  int frames = 1;  // how many frames were aggregated into it
  bool recognised() const { return outcome == Outcome::Recognised; }
  float margin() const { return match.secondDistance - match.distance; }  // +inf without a second
};

Decision decide(const Match& match, const MatchOptions& options);
inline Decision identify(const Gallery& gallery, const Descriptor& probe, const MatchOptions& options) {
  return decide(gallery.search(probe), options);
}

// 1:1 verification of a claimed delegate (badge code or QR token at the kiosk):
// accepted when the claimed delegate is within the threshold and, unless turned
// off, no other enrolled delegate is nearer to the face than the claimed one.
struct VerifyOptions {
  float threshold = 0.5f;
  bool refuseIfOtherNearer = true;
};
struct Verification {
  bool enrolled = false;  // the claimed delegate has a descriptor
  bool accepted = false;
  float distance = kNoDistance;  // to the claimed delegate
  std::optional<DelegateId> nearerOther;  // a different delegate nearer to the face, if any
  float nearerOtherDistance = kNoDistance;
};
Verification verify(const Gallery& gallery, DelegateId claimed, const Descriptor& probe,
                    const VerifyOptions& options = {});

// Aggregates the descriptors of consecutive good frames of one face into a final decision.
enum class AggregateMode {
  MeanDescriptor,       // decide on the mean descriptor of the last `frames` frames
  ConsecutiveIdentity,  // `frames` consecutive frames recognised as the same delegate
};
struct AggregateOptions {
  AggregateMode mode = AggregateMode::MeanDescriptor;
  int frames = 3;      // good frames needed before a decision (3–5)
  int maxFrames = 5;   // after this many frames without recognition: decide ambiguous/unknown
  // A frame farther than this from the mean of the frames so far is another face
  // (the person in front of the camera changed): the collection restarts with it.
  float maxSpread = 0.4f;
};

class FrameAggregator {
 public:
  FrameAggregator(const Gallery& gallery, MatchOptions match, AggregateOptions options);

  // Adds the descriptor of one good frame. Returns the final decision once there is
  // one (and then starts over); nothing while more frames are needed.
  std::optional<Decision> add(const Descriptor& descriptor);
  void reset();
  int framesCollected() const { return static_cast<int>(frames_.size()); }
  int framesSeen() const { return seen_; }

 private:
  std::optional<Decision> finish(Decision decision);

  const Gallery& gallery_;
  MatchOptions match_;
  AggregateOptions options_;
  std::deque<Descriptor> frames_;    // the current window
  std::deque<Decision> decisions_;   // per-frame decisions (ConsecutiveIdentity)
  int seen_ = 0;                     // frames of this face since the last restart
};

}  // namespace daihoi::faceid
