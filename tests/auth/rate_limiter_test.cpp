#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/rate_limiter.hpp"
#include "common/clock.hpp"

using daihoi::ManualClock;
using daihoi::auth::RequestRateLimiter;
using daihoi::auth::SignInLimiter;
using daihoi::auth::SignInPolicy;

namespace {

constexpr std::int64_t kMinute = 60 * 1000;

void failTimes(SignInLimiter& limiter, std::string_view key, int times) {
  for (int i = 0; i < times; ++i) {
    limiter.recordFailure(key);
  }
}

}  // namespace

TEST_CASE("default sign-in policy") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  CHECK(limiter.policy().freeAttempts == 5);
  CHECK(limiter.policy().windowMs == 15 * kMinute);
  CHECK(limiter.policy().firstLockMs == 1000);
  CHECK(limiter.policy().maxLockMs == 5 * kMinute);
  CHECK(limiter.policy().maxKeys == 100'000);
}

TEST_CASE("the first freeAttempts failures are free, then the key is locked") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  const std::string key = "account:thuky";
  CHECK_FALSE(limiter.retryAfterMs(key).has_value());
  for (int i = 0; i < 4; ++i) {
    limiter.recordFailure(key);
    CHECK_FALSE(limiter.retryAfterMs(key).has_value());
  }
  limiter.recordFailure(key);
  CHECK(limiter.retryAfterMs(key) == std::optional<std::int64_t>(1000));
  clock.advance(400);
  CHECK(limiter.retryAfterMs(key) == std::optional<std::int64_t>(600));
  clock.advance(600);
  CHECK_FALSE(limiter.retryAfterMs(key).has_value());
}

TEST_CASE("each further failure doubles the lock up to the cap") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  const std::string key = "account:chutich";
  failTimes(limiter, key, 5);
  std::vector<std::int64_t> locks;
  for (int i = 0; i < 12; ++i) {
    const std::int64_t lock = *limiter.retryAfterMs(key);
    locks.push_back(lock);
    clock.advance(lock);
    REQUIRE_FALSE(limiter.retryAfterMs(key).has_value());
    limiter.recordFailure(key);
  }
  const std::vector<std::int64_t> expected = {1000,   2000,   4000,   8000,   16000,  32000,
                                              64000,  128000, 256000, 300000, 300000, 300000};
  CHECK(locks == expected);
}

TEST_CASE("a quiet window forgets the failures") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  const std::string key = "account:daibieu";
  failTimes(limiter, key, 5);
  REQUIRE(limiter.retryAfterMs(key).has_value());
  clock.advance(15 * kMinute);
  CHECK_FALSE(limiter.retryAfterMs(key).has_value());
  // Counting starts afresh: four more failures are free again.
  failTimes(limiter, key, 4);
  CHECK_FALSE(limiter.retryAfterMs(key).has_value());
  limiter.recordFailure(key);
  CHECK(limiter.retryAfterMs(key) == std::optional<std::int64_t>(1000));
}

TEST_CASE("failures less than a window apart keep counting") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  const std::string key = "account:slow-guesser";
  for (int i = 0; i < 4; ++i) {
    limiter.recordFailure(key);
    clock.advance(14 * kMinute);
  }
  limiter.recordFailure(key);
  CHECK(limiter.retryAfterMs(key) == std::optional<std::int64_t>(1000));
}

TEST_CASE("success clears the key") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  const std::string key = "account:thuky";
  failTimes(limiter, key, 7);
  REQUIRE(limiter.retryAfterMs(key).has_value());
  limiter.recordSuccess(key);
  CHECK_FALSE(limiter.retryAfterMs(key).has_value());
  CHECK(limiter.trackedKeys() == 0);
  failTimes(limiter, key, 4);
  CHECK_FALSE(limiter.retryAfterMs(key).has_value());
}

TEST_CASE("keys are independent") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  failTimes(limiter, "account:a", 5);
  CHECK(limiter.retryAfterMs("account:a").has_value());
  CHECK_FALSE(limiter.retryAfterMs("account:b").has_value());
  CHECK_FALSE(limiter.retryAfterMs("conn:1").has_value());
}

TEST_CASE("keys of existing and unknown accounts behave identically") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  auto trace = [&](const std::string& key) {
    std::vector<std::optional<std::int64_t>> answers;
    for (int i = 0; i < 9; ++i) {
      answers.push_back(limiter.retryAfterMs(key));
      limiter.recordFailure(key);
      clock.advance(300);
      answers.push_back(limiter.retryAfterMs(key));
    }
    limiter.recordSuccess(key);
    answers.push_back(limiter.retryAfterMs(key));
    return answers;
  };
  const auto existing = trace("account:thuky");
  const auto unknown = trace("account:khong-ton-tai");
  CHECK(existing == unknown);
  CHECK(existing[9].has_value());  // the trace did reach a lock
}

TEST_CASE("long keys are tracked separately and compactly") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  const std::string first = "account:" + std::string(10'000, 'x') + "1";
  const std::string second = "account:" + std::string(10'000, 'x') + "2";
  failTimes(limiter, first, 5);
  CHECK(limiter.retryAfterMs(first).has_value());
  CHECK_FALSE(limiter.retryAfterMs(second).has_value());
  CHECK(limiter.trackedKeys() == 1);
}

TEST_CASE("memory is bounded: the keys with the oldest failure are evicted") {
  ManualClock clock;
  SignInPolicy policy;
  policy.freeAttempts = 1;  // one failure locks, so eviction is visible
  policy.maxKeys = 3;
  SignInLimiter limiter(clock, policy);
  for (const char* key : {"conn:1", "conn:2", "conn:3"}) {
    limiter.recordFailure(key);
    clock.advance(10);
  }
  // conn:1 fails again and becomes the most recent, so conn:2 is the oldest.
  limiter.recordFailure("conn:1");
  limiter.recordFailure("conn:4");
  CHECK(limiter.trackedKeys() == 3);
  CHECK_FALSE(limiter.retryAfterMs("conn:2").has_value());
  CHECK(limiter.retryAfterMs("conn:1").has_value());
  CHECK(limiter.retryAfterMs("conn:3").has_value());
  CHECK(limiter.retryAfterMs("conn:4").has_value());

  for (int i = 5; i < 1000; ++i) {
    limiter.recordFailure("conn:" + std::to_string(i));
  }
  CHECK(limiter.trackedKeys() == 3);
  CHECK(limiter.retryAfterMs("conn:999").has_value());
}

TEST_CASE("keys past their window are dropped as new failures arrive") {
  ManualClock clock;
  SignInLimiter limiter(clock);
  failTimes(limiter, "account:a", 2);
  failTimes(limiter, "account:b", 2);
  REQUIRE(limiter.trackedKeys() == 2);
  clock.advance(15 * kMinute);
  limiter.recordFailure("account:c");
  CHECK(limiter.trackedKeys() == 1);
}

TEST_CASE("unworkable sign-in policies are refused") {
  ManualClock clock;
  SignInPolicy noFree;
  noFree.freeAttempts = 0;
  SignInPolicy noKeys;
  noKeys.maxKeys = 0;
  SignInPolicy capBelowStart;
  capBelowStart.maxLockMs = 500;
  CHECK_THROWS_AS(SignInLimiter(clock, noFree), std::invalid_argument);
  CHECK_THROWS_AS(SignInLimiter(clock, noKeys), std::invalid_argument);
  CHECK_THROWS_AS(SignInLimiter(clock, capBelowStart), std::invalid_argument);
}

TEST_CASE("token bucket: starts full, refills at the given rate, never beyond capacity") {
  ManualClock clock;
  RequestRateLimiter bucket(clock, 3, 1);
  CHECK(bucket.tryTake());
  CHECK(bucket.tryTake());
  CHECK(bucket.tryTake());
  CHECK_FALSE(bucket.tryTake());
  clock.advance(999);
  CHECK_FALSE(bucket.tryTake());
  clock.advance(1);
  CHECK(bucket.tryTake());
  CHECK_FALSE(bucket.tryTake());
  clock.advance(60'000);
  CHECK(bucket.tryTake());
  CHECK(bucket.tryTake());
  CHECK(bucket.tryTake());
  CHECK_FALSE(bucket.tryTake());
}

TEST_CASE("token bucket: fractional refill accumulates") {
  ManualClock clock;
  RequestRateLimiter bucket(clock, 20, 10);  // one token per 100 ms
  for (int i = 0; i < 20; ++i) {
    REQUIRE(bucket.tryTake());
  }
  CHECK_FALSE(bucket.tryTake());
  for (int i = 0; i < 3; ++i) {
    clock.advance(25);
    CHECK_FALSE(bucket.tryTake());
  }
  // The fourth 25 ms step completes 100 ms: one token, though no single step
  // earned one.
  clock.advance(25);
  CHECK(bucket.tryTake());
  CHECK_FALSE(bucket.tryTake());
}

TEST_CASE("token bucket: a clock stepping back grants nothing") {
  ManualClock clock;
  RequestRateLimiter bucket(clock, 1, 1);
  REQUIRE(bucket.tryTake());
  clock.advance(-10'000);
  CHECK_FALSE(bucket.tryTake());
  clock.advance(10'000);
  CHECK_FALSE(bucket.tryTake());
  clock.advance(1000);
  CHECK(bucket.tryTake());
}

TEST_CASE("token bucket: zero capacity or rate is refused") {
  ManualClock clock;
  CHECK_THROWS_AS(RequestRateLimiter(clock, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(RequestRateLimiter(clock, 1, 0), std::invalid_argument);
}
