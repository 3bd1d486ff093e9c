// The kiosk attempt on synthetic frames: descriptors scattered like real ones
// (a person's frames about 0.25 from their enrolled mean, different people about
// 0.8 apart), eye aspect ratios and yaws like the liveness tests'.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "faceid/attempt.hpp"

using namespace daihoi::faceid;

namespace {

constexpr float kOpen = 0.30f;
constexpr float kClosed = 0.12f;
constexpr Box kBox{200, 120, 180, 180};

std::mt19937& rng() {
  static std::mt19937 r(20240601);
  return r;
}

// A random direction of the given length.
Descriptor randomVector(float length) {
  std::normal_distribution<float> n(0, 1);
  Descriptor d;
  float norm = 0;
  for (auto& v : d) {
    v = n(rng());
    norm += v * v;
  }
  norm = std::sqrt(norm);
  for (auto& v : d) v *= length / norm;
  return d;
}

Descriptor plus(const Descriptor& a, const Descriptor& b) {
  Descriptor d;
  for (std::size_t i = 0; i < kDescriptorSize; ++i) d[i] = a[i] + b[i];
  return d;
}

// Two random vectors of length 0.57 in 128-D are nearly orthogonal: about 0.8 apart.
Descriptor person() { return randomVector(0.57f); }
// One camera frame of a person: 0.25 from their mean in a random direction.
Descriptor frameOf(const Descriptor& person) { return plus(person, randomVector(0.25f)); }

// Feeds an attempt at 10 frames per second and counts the final answers.
struct Kiosk {
  Attempt& attempt;
  std::int64_t nowMs = 0;
  int finals = 0;

  AttemptUpdate feed(FrameObservation o) {
    o.timeMs = nowMs;
    nowMs += 100;
    const AttemptUpdate u = attempt.observe(o);
    if (u.becameFinal) {
      ++finals;
      CHECK(isFinal(u.stage));
    }
    return u;
  }
  // A face that passed every gate.
  AttemptUpdate good(const Descriptor& person, float ear = kOpen, float yaw = 0, Box box = kBox) {
    FrameObservation o;
    o.hasFace = o.passed = true;
    o.box = box;
    o.ear = ear;
    o.pose.yaw = yaw;
    o.descriptor = frameOf(person);
    return feed(o);
  }
  // A face that failed a gate (blurred blink, turned too far): no descriptor.
  AttemptUpdate bad(float ear = kOpen, float yaw = 0, Box box = kBox) {
    FrameObservation o;
    o.hasFace = true;
    o.box = box;
    o.ear = ear;
    o.pose.yaw = yaw;
    return feed(o);
  }
  AttemptUpdate none() { return feed(FrameObservation{}); }
};

// Recognition needs three good frames (AggregateOptions::frames).
AttemptUpdate recognise(Kiosk& k, const Descriptor& who) {
  CHECK(k.good(who).stage == AttemptStage::Collecting);
  CHECK(k.good(who).stage == AttemptStage::Collecting);
  return k.good(who);
}

AttemptOptions noChallenge() {
  AttemptOptions o;
  o.liveness.allowChallenge = false;
  return o;
}

}  // namespace

TEST_CASE("recognised, then a blink, then a good frame: accepted exactly once, held, then a new attempt") {
  Gallery g;
  const Descriptor a = person(), b = person(), c = person();
  g.upsert(1, a);
  g.upsert(2, b);
  g.upsert(3, c);
  Attempt attempt(g, noChallenge(), 9);
  Kiosk k{attempt};

  CHECK(k.none().stage == AttemptStage::NoFace);
  CHECK(k.bad().stage == AttemptStage::Adjust);  // before any good frame
  AttemptUpdate u = recognise(k, b);
  CHECK(u.stage == AttemptStage::AwaitBlink);
  REQUIRE(u.delegate);
  CHECK(*u.delegate == 2);
  CHECK(u.frames == 3);
  CHECK(u.distance < 0.25f);  // the mean of three frames is nearer than one
  CHECK(u.margin > 0.4f);
  CHECK(!u.becameFinal);

  for (int i = 0; i < 6; ++i) CHECK(k.good(b).stage == AttemptStage::AwaitBlink);
  // The blink: blurred frames that fail the sharpness gate, then the eyes reopen
  // on a frame that fails too; the next good frame completes the attempt.
  u = k.bad(kClosed);
  CHECK(u.stage == AttemptStage::Adjust);
  CHECK(u.delegate == DelegateId{2});
  CHECK(k.bad(kClosed).stage == AttemptStage::Adjust);
  CHECK(k.bad(kOpen).stage == AttemptStage::Adjust);
  CHECK(attempt.liveness().live());
  u = k.good(b);
  CHECK(u.stage == AttemptStage::Accepted);
  CHECK(u.becameFinal);
  CHECK(u.delegate == DelegateId{2});
  CHECK(u.frames == 10);
  const std::int64_t acceptedAt = k.nowMs - 100;

  // The hold: the same answer, never final again; a different face does not start anything.
  while (k.nowMs < acceptedAt + 4000) {
    u = k.good(k.nowMs % 300 == 0 ? a : b);
    CHECK(u.stage == AttemptStage::Accepted);
    CHECK(!u.becameFinal);
    CHECK(u.delegate == DelegateId{2});
  }
  CHECK(k.none().stage == AttemptStage::Accepted);  // one frame without a face: still held
  // After the hold the next face starts a new attempt.
  u = k.good(a);
  CHECK(u.stage == AttemptStage::Collecting);
  CHECK(u.frames == 1);
  CHECK(!u.delegate);
  CHECK(k.finals == 1);
}

TEST_CASE("the blink's reopening frame counts when it is good") {
  Gallery g;
  const Descriptor a = person();
  g.upsert(1, a);
  g.upsert(2, person());
  Attempt attempt(g, noChallenge(), 1);
  Kiosk k{attempt};
  recognise(k, a);
  k.good(a);
  CHECK(k.good(a, kClosed).stage == AttemptStage::AwaitBlink);  // a sharp closed frame
  const AttemptUpdate u = k.good(a, kOpen);
  CHECK(u.stage == AttemptStage::Accepted);
  CHECK(u.becameFinal);
  CHECK(u.delegate == DelegateId{1});
}

TEST_CASE("unknown face, and two delegates within the margin") {
  Gallery g;
  const Descriptor a = person(), stranger = person();
  g.upsert(1, a);
  g.upsert(2, person());
  {
    Attempt attempt(g, noChallenge(), 1);
    Kiosk k{attempt};
    AttemptUpdate u;
    for (int i = 0; i < 4; ++i) CHECK(k.good(stranger).stage == AttemptStage::Collecting);
    u = k.good(stranger);  // maxFrames (5): decided
    CHECK(u.stage == AttemptStage::Unknown);
    CHECK(u.becameFinal);
    CHECK(!u.delegate);
    REQUIRE(u.nearest);
    CHECK(u.distance > 0.6f);
    CHECK(u.frames == 5);
    CHECK(k.good(stranger).stage == AttemptStage::Unknown);
    CHECK(k.finals == 1);
  }
  // A look-alike enrolled 0.04 from delegate 1: the face is as near to both.
  g.upsert(3, plus(a, randomVector(0.04f)));
  {
    Attempt attempt(g, noChallenge(), 1);
    Kiosk k{attempt};
    AttemptUpdate u;
    for (int i = 0; i < 5; ++i) u = k.good(a);
    CHECK(u.stage == AttemptStage::Ambiguous);
    CHECK(u.becameFinal);
    CHECK(!u.delegate);
    REQUIRE(u.nearest);
    CHECK((*u.nearest == 1 || *u.nearest == 3));
    CHECK(u.margin < 0.07f);
    CHECK(k.finals == 1);
  }
}

TEST_CASE("a different face after recognition restarts the attempt, also after a blink") {
  Gallery g;
  const Descriptor a = person(), b = person();
  g.upsert(1, a);
  g.upsert(2, b);
  Attempt attempt(g, noChallenge(), 3);
  Kiosk k{attempt};
  CHECK(recognise(k, a).delegate == DelegateId{1});
  k.good(a);
  k.good(a);
  // A blinks on blurred frames …
  k.bad(kClosed);
  k.bad(kOpen);
  CHECK(attempt.liveness().live());
  // … but the next good frame is B's (a photo held up): not accepted for anyone, a new attempt.
  AttemptUpdate u = k.good(b);
  CHECK(u.stage == AttemptStage::Collecting);
  CHECK(!u.delegate);
  CHECK(u.frames == 1);
  CHECK(!attempt.liveness().live());
  u = k.good(b);
  u = k.good(b);
  CHECK(u.stage == AttemptStage::AwaitBlink);
  CHECK(u.delegate == DelegateId{2});
  // B's photo never blinks: no acceptance within the timeout.
  for (int i = 0; i < 60; ++i) CHECK(!isFinal(k.good(b).stage));
  CHECK(k.finals == 0);

  // During collection, too: a frame of another face restarts the count.
  Attempt second(g, noChallenge(), 4);
  Kiosk k2{second};
  k2.good(a);
  k2.good(a);
  u = k2.good(b);
  CHECK(u.stage == AttemptStage::Collecting);
  CHECK(u.frames == 1);
}

TEST_CASE("a face that jumps elsewhere in the image is another face: the attempt restarts") {
  Gallery g;
  const Descriptor a = person();
  g.upsert(1, a);
  g.upsert(2, person());
  Attempt attempt(g, noChallenge(), 3);
  Kiosk k{attempt};
  recognise(k, a);
  CHECK(k.good(a).delegate == DelegateId{1});
  // Somebody else's face, larger and elsewhere, blinks on frames that fail a gate.
  const Box elsewhere{20, 20, 300, 300};
  AttemptUpdate u = k.bad(kOpen, 0, elsewhere);
  CHECK(u.stage == AttemptStage::Adjust);
  CHECK(!u.delegate);
  CHECK(u.frames == 0);
  k.bad(kClosed, 0, elsewhere);
  k.bad(kOpen, 0, elsewhere);
  CHECK(!attempt.liveness().live());  // not fed before a good frame
  // Then A's photo is the face again: a new attempt, and that blink is not A's.
  u = k.good(a);
  CHECK(u.stage == AttemptStage::Collecting);
  CHECK(u.frames == 1);
  k.good(a);
  CHECK(k.good(a).stage == AttemptStage::AwaitBlink);
  CHECK(!attempt.liveness().live());
  // Small movements are the same face; a blink in place counts.
  k.good(a, kOpen, 0, Box{230, 140, 170, 170});
  k.bad(kClosed, 0, Box{250, 130, 190, 190});
  u = k.good(a);
  CHECK(u.stage == AttemptStage::Accepted);
  CHECK(u.becameFinal);
  CHECK(k.finals == 1);
}

TEST_CASE("the claimed delegate: verified 1:1, or a mismatch") {
  Gallery g;
  const Descriptor a = person(), b = person();
  g.upsert(1, a);
  g.upsert(2, b);
  g.upsert(3, person());
  Attempt attempt(g, noChallenge(), 5);
  attempt.claim(DelegateId{1});
  CHECK(attempt.claimed() == DelegateId{1});
  Kiosk k{attempt};
  AttemptUpdate u = recognise(k, a);
  CHECK(u.stage == AttemptStage::AwaitBlink);
  CHECK(u.delegate == DelegateId{1});
  CHECK(u.distance < 0.3f);
  CHECK(u.margin > 0.3f);
  k.good(a);
  k.bad(kClosed);
  u = k.good(a);
  CHECK(u.stage == AttemptStage::Accepted);
  CHECK(u.delegate == DelegateId{1});

  // Somebody else's face against the same badge.
  attempt.claim(DelegateId{1});
  u = recognise(k, b);
  CHECK(u.stage == AttemptStage::Mismatch);
  CHECK(u.becameFinal);
  CHECK(!u.delegate);
  CHECK(u.nearest == DelegateId{2});
  CHECK(u.distance > 0.6f);  // to the claimed delegate
  CHECK(k.finals == 2);

  // A badge of somebody not enrolled.
  attempt.claim(DelegateId{99});
  u = recognise(k, a);
  CHECK(u.stage == AttemptStage::Mismatch);
  CHECK(u.nearest == DelegateId{1});

  // Back to 1:N.
  attempt.claim(std::nullopt);
  CHECK(!attempt.claimed());
  CHECK(recognise(k, b).delegate == DelegateId{2});
}

TEST_CASE("frames without a face: a short gap keeps the attempt, five reset it") {
  Gallery g;
  const Descriptor a = person();
  g.upsert(1, a);
  g.upsert(2, person());
  Attempt attempt(g, noChallenge(), 5);
  Kiosk k{attempt};
  k.good(a);
  k.good(a);
  for (int i = 0; i < 4; ++i) CHECK(k.none().stage == AttemptStage::NoFace);
  AttemptUpdate u = k.good(a);
  CHECK(u.stage == AttemptStage::AwaitBlink);  // the third good frame of the same attempt
  CHECK(u.frames == 3);
  for (int i = 0; i < 5; ++i) u = k.none();
  CHECK(u.stage == AttemptStage::NoFace);
  CHECK(!u.delegate);
  CHECK(u.frames == 0);
  u = k.good(a);
  CHECK(u.stage == AttemptStage::Collecting);
  CHECK(u.frames == 1);

  // After a final outcome, the person leaving ends the hold early.
  const Descriptor stranger = person();
  Attempt held(g, noChallenge(), 6);
  Kiosk h{held};
  for (int i = 0; i < 5; ++i) u = h.good(stranger);
  REQUIRE(u.stage == AttemptStage::Unknown);
  for (int i = 0; i < 4; ++i) CHECK(h.none().stage == AttemptStage::Unknown);
  CHECK(h.none().stage == AttemptStage::NoFace);
  CHECK(h.good(a).stage == AttemptStage::Collecting);  // at once, not after holdMs
  CHECK(h.finals == 1);
}

TEST_CASE("no blink: not live in time; with the challenge the turn is accepted") {
  Gallery g;
  const Descriptor a = person();
  g.upsert(1, a);
  g.upsert(2, person());
  {
    Attempt attempt(g, noChallenge(), 5);
    Kiosk k{attempt};
    AttemptUpdate u;
    std::int64_t finalAt = -1;
    for (int i = 0; i < 120; ++i) {  // 12 s: the hold lasts until 14 s
      u = k.good(a);
      if (u.becameFinal) finalAt = k.nowMs - 100;
    }
    CHECK(u.stage == AttemptStage::NotLive);
    CHECK(u.delegate == DelegateId{1});
    CHECK(finalAt == 10000);  // timeoutMs after the first good frame
    CHECK(k.finals == 1);
  }
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    Attempt attempt(g, AttemptOptions{}, seed);
    Kiosk k{attempt};
    AttemptUpdate u;
    for (int i = 0; i < 31; ++i) u = k.good(a, kOpen, 2);  // 0 … 3 s: no blink
    REQUIRE((u.stage == AttemptStage::TurnLeft || u.stage == AttemptStage::TurnRight));
    const float sign = u.stage == AttemptStage::TurnLeft ? -1.0f : 1.0f;
    // The wrong way first: nothing.
    CHECK(k.good(a, kOpen, 2 - sign * 20).stage == u.stage);
    CHECK(k.good(a, kOpen, 2).stage == u.stage);
    // The right way: past the pose gate (a frame that fails), then back.
    CHECK(k.bad(kOpen, 2 + sign * 35).stage == AttemptStage::Adjust);
    CHECK(k.good(a, kOpen, 2 + sign * 20).stage == AttemptStage::LookStraight);
    const AttemptUpdate done = k.good(a, kOpen, 2 + sign * 3);
    CHECK(done.stage == AttemptStage::Accepted);
    CHECK(done.becameFinal);
    CHECK(done.delegate == DelegateId{1});
    CHECK(k.finals == 1);
  }
}

TEST_CASE("liveness not required: accepted on recognition") {
  Gallery g;
  const Descriptor a = person();
  g.upsert(1, a);
  g.upsert(2, person());
  AttemptOptions o;
  o.liveness.required = false;
  Attempt attempt(g, o, 1);
  Kiosk k{attempt};
  const AttemptUpdate u = recognise(k, a);
  CHECK(u.stage == AttemptStage::Accepted);
  CHECK(u.becameFinal);
  CHECK(u.delegate == DelegateId{1});
  CHECK(u.frames == 3);
}

TEST_CASE("the gallery changes between frames") {
  Gallery g;
  const Descriptor a = person(), newcomer = person();
  g.upsert(1, a);
  Attempt attempt(g, noChallenge(), 7);
  Kiosk k{attempt};
  AttemptUpdate u;
  for (int i = 0; i < 5; ++i) u = k.good(newcomer);
  CHECK(u.stage == AttemptStage::Unknown);
  // The organizer enrolls the newcomer; after the hold the next attempt finds them.
  g.upsert(2, newcomer);
  k.nowMs += 5000;
  CHECK(recognise(k, newcomer).delegate == DelegateId{2});
  // Their enrollment is withdrawn mid-attempt: the decision no longer holds.
  g.remove(2);
  u = k.good(newcomer);
  CHECK(u.stage == AttemptStage::Collecting);
  CHECK(!u.delegate);
}
