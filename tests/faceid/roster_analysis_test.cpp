// The roster analysis: nearest other delegate, look-alike pairs, the recommended threshold.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "faceid/roster_analysis.hpp"

using namespace daihoi::faceid;

namespace {

// A descriptor at x on the first axis, y on the second.
Descriptor at(float x, float y = 0) {
  Descriptor d{};
  d[0] = x;
  d[1] = y;
  return d;
}

Descriptor randomFace(std::mt19937& rng, float length) {
  std::normal_distribution<float> n(0, 1);
  Descriptor d;
  float norm = 0;
  for (auto& v : d) {
    v = n(rng);
    norm += v * v;
  }
  for (auto& v : d) v *= length / std::sqrt(norm);
  return d;
}

}  // namespace

TEST_CASE("roster analysis: nobody, one delegate") {
  Gallery g;
  RosterAnalysis r = analyseRoster(g);
  CHECK(r.nearest.empty());
  CHECK(r.lookAlikes.empty());
  CHECK(r.recommendedThreshold == 0);

  g.upsert(7, at(0.5f));
  r = analyseRoster(g);
  REQUIRE(r.nearest.size() == 1);
  CHECK(r.nearest[0].id == 7);
  CHECK(r.nearest[0].other == 0);
  CHECK(r.nearest[0].distance == kNoDistance);
  CHECK(r.recommendedThreshold == 0);
}

TEST_CASE("roster analysis: nearest others and look-alike pairs, each once, nearest first") {
  Gallery g;
  // Dyadic coordinates: the distances are exact.
  g.upsert(40, at(0));
  g.upsert(10, at(0.25f));      // 0.25 from 40
  g.upsert(30, at(0, 0.375f));  // 0.375 from 40
  g.upsert(20, at(2));          // far from everybody: nearest is 10 at 1.75
  const RosterAnalysis r = analyseRoster(g, 0.5f);
  REQUIRE(r.nearest.size() == 4);
  // In gallery order.
  CHECK(r.nearest[0].id == 40);
  CHECK(r.nearest[0].other == 10);
  CHECK(r.nearest[0].distance == 0.25f);
  CHECK(r.nearest[1].id == 10);
  CHECK(r.nearest[1].other == 40);
  CHECK(r.nearest[2].id == 30);
  CHECK(r.nearest[2].other == 40);
  CHECK(r.nearest[2].distance == 0.375f);
  CHECK(r.nearest[3].id == 20);
  CHECK(r.nearest[3].other == 10);
  CHECK(r.nearest[3].distance == 1.75f);

  // 40–10 (0.25), 40–30 (0.375) and 10–30 (√(0.25² + 0.375²) ≈ 0.451) are under 0.5.
  REQUIRE(r.lookAlikes.size() == 3);
  CHECK(r.lookAlikes[0].a == 10);
  CHECK(r.lookAlikes[0].b == 40);
  CHECK(r.lookAlikes[0].distance == 0.25f);
  CHECK(r.lookAlikes[1].a == 30);
  CHECK(r.lookAlikes[1].b == 40);
  CHECK(r.lookAlikes[2].a == 10);
  CHECK(r.lookAlikes[2].b == 30);
  CHECK(r.lookAlikes[2].distance == doctest::Approx(std::hypot(0.25, 0.375)));
  for (const auto& p : r.lookAlikes) CHECK(p.a < p.b);

  CHECK(analyseRoster(g, 0.3f).lookAlikes.size() == 1);
  CHECK(analyseRoster(g, 0.25f).lookAlikes.empty());  // strictly closer than the limit
}

TEST_CASE("recommended threshold: the 5th percentile of nearest-other distances minus the margin, clamped") {
  // Delegates on a line 0.52 apart: every nearest other is 0.52 → 0.52 − 0.07 = 0.45.
  Gallery line;
  for (DelegateId i = 0; i < 40; ++i) line.upsert(i + 1, at(0.52f * static_cast<float>(i)));
  CHECK(analyseRoster(line).recommendedThreshold == doctest::Approx(0.45f));
  CHECK(analyseRoster(line, 0.5f, 0.10f).recommendedThreshold == doctest::Approx(0.42f));
  // Rounded down to 0.01: 0.555 − 0.07 = 0.485 → 0.48.
  Gallery wider;
  for (DelegateId i = 0; i < 40; ++i) wider.upsert(i + 1, at(0.555f * static_cast<float>(i)));
  CHECK(analyseRoster(wider).recommendedThreshold == doctest::Approx(0.48f));

  // Two twins 0.3 from two delegates make four of 42 nearest others 0.3, more
  // than 5 % (the 3rd smallest): 0.3 − 0.07 → the floor, 0.35.
  Gallery twins = line;
  twins.upsert(100, at(0, 0.3f));
  twins.upsert(101, at(0.52f * 10, 0.3f));
  CHECK(analyseRoster(twins).recommendedThreshold == doctest::Approx(0.35f));
  // One close pair in 100 stays under the 5th percentile.
  Gallery one;
  for (DelegateId i = 0; i < 100; ++i) one.upsert(i + 1, at(0.52f * static_cast<float>(i)));
  one.upsert(1000, at(0.52f * 50, 0.1f));
  CHECK(analyseRoster(one).recommendedThreshold == doctest::Approx(0.45f));

  // Realistic strangers (about 0.8 apart): capped at 0.50, the 1:N limit.
  std::mt19937 rng(3);
  Gallery strangers;
  for (DelegateId i = 1; i <= 200; ++i) strangers.upsert(i, randomFace(rng, 0.57f));
  const RosterAnalysis r = analyseRoster(strangers);
  CHECK(r.recommendedThreshold == doctest::Approx(0.50f));
  CHECK(r.lookAlikes.empty());
  // Two delegates: the threshold is defined.
  Gallery two;
  two.upsert(1, at(0));
  two.upsert(2, at(0.5f));
  CHECK(analyseRoster(two).recommendedThreshold == doctest::Approx(0.43f));
}

TEST_CASE("roster analysis of 5,000 delegates (time)") {
#ifdef DAIHOI_TEST_SANITIZED
  constexpr DelegateId n = 1000;  // unoptimised and instrumented, 5,000 take about 17 s
#else
  constexpr DelegateId n = 5000;
#endif
  std::mt19937 rng(5);
  Gallery g;
  g.reserve(n + 10);
  for (DelegateId i = 1; i <= n; ++i) g.upsert(i, randomFace(rng, 0.57f));
  // Ten pairs of look-alikes.
  for (DelegateId i = 1; i <= 10; ++i) {
    Descriptor twin = *g.descriptorOf(i);
    twin[0] += 0.2f;
    g.upsert(n + i, twin);
  }
  const auto start = std::chrono::steady_clock::now();
  const RosterAnalysis r = analyseRoster(g);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("analyseRoster of " << g.size() << " delegates: " << ms << " ms");
  CHECK(r.nearest.size() == n + 10);
  REQUIRE(r.lookAlikes.size() == 10);
  for (const auto& p : r.lookAlikes) {
    CHECK(p.b == p.a + n);
    CHECK(p.distance == doctest::Approx(0.2f));
  }
  CHECK(r.recommendedThreshold == doctest::Approx(0.50f));  // 20 look-alikes are under 5 %
#ifndef DAIHOI_TEST_SANITIZED
  CHECK(ms < 5000);  // measured: about 200 ms on one core of the test machine
#endif
}
