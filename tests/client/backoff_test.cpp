#include <doctest/doctest.h>

#include "client/backoff.hpp"

using daihoi::client::Backoff;
using daihoi::client::BackoffSettings;
using std::chrono::milliseconds;

TEST_CASE("without jitter the delays double from 100 ms and stop at 10 s") {
  BackoffSettings settings;
  settings.jitter = 0;
  Backoff backoff(settings, 1);
  const long expected[] = {100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000, 10000};
  for (long delay : expected) {
    CHECK(backoff.next() == milliseconds{delay});
  }
  CHECK(backoff.attempt() == 10);
}

TEST_CASE("reset starts the schedule again") {
  BackoffSettings settings;
  settings.jitter = 0;
  Backoff backoff(settings, 1);
  backoff.next();
  backoff.next();
  backoff.next();
  backoff.reset();
  CHECK(backoff.attempt() == 0);
  CHECK(backoff.next() == milliseconds{100});
}

TEST_CASE("jitter only shortens a delay, within the configured fraction") {
  BackoffSettings settings;  // 20 % jitter by default
  Backoff backoff(settings, 42);
  bool sawShorter = false;
  for (std::uint32_t attempt = 0; attempt < 40; ++attempt) {
    const milliseconds nominal = backoff.nominalDelay(attempt);
    const milliseconds delay = backoff.next();
    CHECK(delay <= nominal);
    CHECK(delay.count() >= static_cast<long>(static_cast<double>(nominal.count()) * 0.8) - 1);
    CHECK(delay <= settings.maxDelay);
    sawShorter = sawShorter || delay < nominal;
  }
  CHECK(sawShorter);
}

TEST_CASE("the same seed gives the same schedule, another seed a different one") {
  Backoff first({}, 123);
  Backoff second({}, 123);
  Backoff other({}, 456);
  bool differs = false;
  for (int i = 0; i < 10; ++i) {
    const milliseconds a = first.next();
    CHECK(a == second.next());
    differs = differs || a != other.next();
  }
  CHECK(differs);
}

TEST_CASE("nonsense settings are made safe") {
  BackoffSettings settings;
  settings.initialDelay = milliseconds{0};
  settings.maxDelay = milliseconds{0};
  settings.multiplier = 0.5;
  settings.jitter = 5.0;
  Backoff backoff(settings, 9);
  for (int i = 0; i < 5; ++i) {
    const milliseconds delay = backoff.next();
    CHECK(delay >= milliseconds{1});
    CHECK(delay <= milliseconds{1});
  }
  CHECK(backoff.nominalDelay(1000) == milliseconds{1});
}

TEST_CASE("a huge attempt number stays at the cap") {
  BackoffSettings settings;
  settings.jitter = 0;
  Backoff backoff(settings, 1);
  CHECK(backoff.nominalDelay(5000) == milliseconds{10'000});
}
