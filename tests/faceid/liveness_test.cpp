// Liveness on synthetic measurement sequences: blinks at kiosk frame rates,
// a still photo's jitter, eyes kept shut, the head-turn challenge, time-outs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "faceid/liveness.hpp"

using namespace daihoi::faceid;

namespace {

constexpr float kOpen = 0.30f;    // a typical open-eye EAR
constexpr float kClosed = 0.12f;  // eyes shut

// Feeds samples at a fixed frame period, one EAR and yaw per frame, from a clock that carries over.
struct Feeder {
  LivenessTracker& tracker;
  std::int64_t periodMs;
  std::int64_t nowMs = 0;
  LivenessStage add(float ear, float yaw = 0) {
    const LivenessStage s = tracker.add(LivenessSample{nowMs, ear, yaw});
    nowMs += periodMs;
    return s;
  }
  LivenessStage hold(int frames, float ear, float yaw = 0) {
    LivenessStage s = tracker.stage();
    for (int i = 0; i < frames; ++i) s = add(ear, yaw);
    return s;
  }
};

LivenessOptions noChallenge() {
  LivenessOptions o;
  o.allowChallenge = false;
  return o;
}

// A seed whose first challenge asks for the given direction.
std::uint64_t seedFor(LivenessStage direction) {
  LivenessOptions o;
  o.challengeAfterMs = 0;
  for (std::uint64_t seed = 1;; ++seed) {
    LivenessTracker t(o, seed);
    if (t.add(LivenessSample{0, kOpen, 0}) == direction) return seed;
  }
}

}  // namespace

TEST_CASE("a blink of 1-3 closed frames is seen at 10 and at 5 frames per second") {
  for (std::int64_t period : {100, 200}) {
    for (int closed = 1; closed <= 3; ++closed) {
      CAPTURE(period);
      CAPTURE(closed);
      LivenessTracker t(noChallenge(), 1);
      Feeder f{t, period};
      CHECK(f.hold(5, kOpen) == LivenessStage::Watching);
      CHECK(t.openEyeLevel() == doctest::Approx(kOpen));
      CHECK(f.hold(closed, kClosed) == LivenessStage::Watching);  // closed is not yet a blink
      CHECK(f.add(kOpen) == LivenessStage::Live);                 // reopened: a blink
      CHECK(t.blinks() == 1);
      CHECK(t.live());
      f.hold(3, kOpen);
      CHECK(t.stage() == LivenessStage::Live);  // stays live
    }
  }
}

TEST_CASE("a blink relative to the person's own level: narrow eyes, half-open frames, reopening slowly") {
  // Narrow eyes (open 0.20): a drop to 0.12 is a blink, although 0.12 is not "closed" for most.
  LivenessTracker narrow(noChallenge(), 1);
  Feeder f{narrow, 100};
  f.hold(6, 0.20f);
  f.add(0.12f);
  CHECK(f.add(0.20f) == LivenessStage::Live);

  // The lids on their way (between 0.70 and 0.85 of the level) neither count nor end it.
  LivenessTracker slow(noChallenge(), 2);
  Feeder g{slow, 100};
  g.hold(6, kOpen);
  g.add(0.24f);  // 0.8 × open: half way
  g.add(kClosed);
  CHECK(g.add(0.24f) == LivenessStage::Watching);  // not open yet
  CHECK(g.add(0.29f) == LivenessStage::Live);

  // A dip to 0.8 × the level is no blink.
  LivenessTracker dip(noChallenge(), 3);
  Feeder h{dip, 100};
  h.hold(6, kOpen);
  h.add(0.24f);
  h.hold(6, kOpen);
  CHECK(dip.blinks() == 0);
  CHECK(dip.stage() == LivenessStage::Watching);
}

TEST_CASE("a still photo's EAR jitter of ±3 % never makes a blink, and times out") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> jitter(-0.03f, 0.03f), yawJitter(-1.0f, 1.0f);
  for (bool challenge : {false, true}) {
    CAPTURE(challenge);
    LivenessOptions o;
    o.allowChallenge = challenge;
    LivenessTracker t(o, 11);
    bool everLive = false;
    std::int64_t timedOutAt = -1;
    for (std::int64_t ms = 0; ms <= 12000; ms += 100) {
      const LivenessStage s = t.add(LivenessSample{ms, kOpen * (1 + jitter(rng)), 3 + yawJitter(rng)});
      everLive = everLive || s == LivenessStage::Live;
      if (s == LivenessStage::TimedOut && timedOutAt < 0) timedOutAt = ms;
    }
    CHECK(!everLive);
    CHECK(t.blinks() == 0);
    CHECK(timedOutAt == 10000);
    CHECK(t.stage() == LivenessStage::TimedOut);
    CHECK(t.openEyeLevel() == doctest::Approx(kOpen).epsilon(0.03));
    // Final until reset: even a blink now does not help.
    CHECK(t.add(LivenessSample{12100, kClosed, 0}) == LivenessStage::TimedOut);
    CHECK(t.add(LivenessSample{12200, kOpen, 0}) == LivenessStage::TimedOut);
    t.reset();
    CHECK(t.stage() == LivenessStage::Watching);
    CHECK(t.openEyeLevel() == 0);
  }
}

TEST_CASE("eyes closed for 8 frames are not a blink; a blink after it still counts") {
  LivenessTracker t(noChallenge(), 1);
  Feeder f{t, 100};
  f.hold(10, kOpen);
  CHECK(f.hold(8, kClosed) == LivenessStage::Watching);
  CHECK(f.hold(5, kOpen) == LivenessStage::Watching);
  CHECK(t.blinks() == 0);
  // Exactly maxClosedFrames (4) still is a blink; 5 is not.
  f.hold(5, kClosed);
  CHECK(f.add(kOpen) == LivenessStage::Watching);
  f.hold(5, kOpen);
  f.hold(4, kClosed);
  CHECK(f.add(kOpen) == LivenessStage::Live);
  CHECK(t.blinks() == 1);
}

TEST_CASE("no blink before the open-eye level is known; looking down lowers the level") {
  LivenessTracker t(noChallenge(), 1);
  Feeder f{t, 100};
  f.add(kOpen);
  CHECK(t.openEyeLevel() == 0);  // fewer than baselineFrames (3)
  f.add(kClosed);
  CHECK(f.add(kOpen) == LivenessStage::Watching);
  CHECK(t.blinks() == 0);

  // The person now looks down at the kiosk: the EAR settles at 0.18 for 4 s. That
  // is no blink, and the level follows, so that a blink from there is seen.
  LivenessTracker down(noChallenge(), 2);
  Feeder g{down, 100};
  g.hold(10, kOpen);
  CHECK(g.hold(40, 0.18f) == LivenessStage::Watching);
  CHECK(down.openEyeLevel() == doctest::Approx(0.18f));
  g.add(0.08f);
  CHECK(g.add(0.18f) == LivenessStage::Live);
}

TEST_CASE("the head-turn challenge: only the requested direction, then back") {
  // Image directions (estimatePose): TurnLeft wants the yaw below the person's
  // frontal yaw by turnYaw (15°), TurnRight above it; back within straightYaw (8°).
  const float frontal = 4;  // this person's frontal estimate is a little off 0
  for (LivenessStage direction : {LivenessStage::TurnLeft, LivenessStage::TurnRight}) {
    CAPTURE(livenessStageCode(direction));
    const float sign = direction == LivenessStage::TurnLeft ? -1.0f : 1.0f;

    // The requested direction.
    LivenessTracker t({}, seedFor(direction));
    Feeder f{t, 100};
    CHECK(f.hold(30, kOpen, frontal) == LivenessStage::Watching);  // 0 … 2.9 s
    CHECK(f.add(kOpen, frontal) == direction);                    // 3.0 s: the challenge
    CHECK(t.frontalYaw() == doctest::Approx(frontal));
    CHECK(f.hold(3, kOpen, frontal + sign * 10) == direction);    // not far enough
    CHECK(f.add(kOpen, frontal + sign * 16) == LivenessStage::LookStraight);
    CHECK(f.add(kOpen, frontal + sign * 25) == LivenessStage::LookStraight);
    CHECK(f.add(kOpen, frontal + sign * 12) == LivenessStage::LookStraight);  // on the way back
    CHECK(f.add(kOpen, frontal + sign * 5) == LivenessStage::Live);

    // The other direction never satisfies it, there and back again.
    LivenessTracker wrong({}, seedFor(direction));
    Feeder g{wrong, 100};
    g.hold(31, kOpen, frontal);
    REQUIRE(wrong.stage() == direction);
    for (int round = 0; round < 5; ++round) {
      CHECK(g.hold(3, kOpen, frontal - sign * 25) == direction);
      CHECK(g.hold(3, kOpen, frontal) == direction);
    }
    CHECK(g.hold(40, kOpen, frontal) == LivenessStage::TimedOut);
  }
}

TEST_CASE("challenge details: a blink during it counts; the direction comes from the seed") {
  LivenessTracker t({}, seedFor(LivenessStage::TurnLeft));
  Feeder f{t, 100};
  CHECK(f.hold(31, kOpen) == LivenessStage::TurnLeft);
  f.add(kClosed);
  CHECK(f.add(kOpen) == LivenessStage::Live);

  // The same seed, the same direction; over many seeds, both directions.
  int left = 0, right = 0;
  for (std::uint64_t seed = 100; seed < 200; ++seed) {
    LivenessOptions o;
    o.challengeAfterMs = 0;
    LivenessTracker a(o, seed), b(o, seed);
    const LivenessStage sa = a.add(LivenessSample{0, kOpen, 0});
    CHECK(sa == b.add(LivenessSample{0, kOpen, 0}));
    (sa == LivenessStage::TurnLeft ? left : right)++;
  }
  CHECK(left > 30);
  CHECK(right > 30);

  // After reset the next direction comes from the same generator: not always the first one again.
  LivenessOptions o;
  o.challengeAfterMs = 0;
  LivenessTracker r(o, 5);
  std::vector<LivenessStage> seen;
  for (int i = 0; i < 16; ++i) {
    seen.push_back(r.add(LivenessSample{0, kOpen, 0}));
    r.reset();
  }
  CHECK(std::count(seen.begin(), seen.end(), LivenessStage::TurnLeft) > 0);
  CHECK(std::count(seen.begin(), seen.end(), LivenessStage::TurnRight) > 0);
}

TEST_CASE("without the challenge no blink times out; not required is live at once") {
  LivenessTracker t(noChallenge(), 1);
  Feeder f{t, 100};
  CHECK(f.hold(100, kOpen, 20) == LivenessStage::Watching);  // 0 … 9.9 s, turned head is no evidence
  CHECK(f.add(kOpen) == LivenessStage::TimedOut);             // 10 s

  LivenessOptions off;
  off.required = false;
  LivenessTracker n(off, 1);
  CHECK(n.add(LivenessSample{0, kOpen, 0}) == LivenessStage::Live);

  // Timing is from the first sample, not from zero.
  LivenessTracker late(noChallenge(), 1);
  Feeder g{late, 100, 50'000};
  CHECK(g.hold(100, kOpen) == LivenessStage::Watching);
  CHECK(g.add(kOpen) == LivenessStage::TimedOut);
}
