#pragma once
// Reconnect delays: exponential back-off with random jitter, so that a hall full of
// terminals does not reconnect in lock-step after the server restarts.
#include <chrono>
#include <cstdint>
#include <random>

namespace daihoi::client {

struct BackoffSettings {
  std::chrono::milliseconds initialDelay{100};
  std::chrono::milliseconds maxDelay{10'000};
  double multiplier = 2.0;
  // Each delay is drawn uniformly from [nominal * (1 - jitter), nominal]: jitter only
  // shortens a delay, so maxDelay stays a true upper bound. 0 disables jitter.
  double jitter = 0.2;
};

class Backoff {
 public:
  // seed 0 draws a seed from std::random_device; tests pass a fixed seed.
  explicit Backoff(BackoffSettings settings = {}, std::uint64_t seed = 0);

  // The delay before the next attempt; each call counts as one attempt.
  std::chrono::milliseconds next();
  // After a successful connection: the next delay is the initial one again.
  void reset() { attempt_ = 0; }
  // Attempts made since the last reset.
  std::uint32_t attempt() const { return attempt_; }

  // Delay without jitter for the given 0-based attempt: initial * multiplier^attempt, capped.
  std::chrono::milliseconds nominalDelay(std::uint32_t attempt) const;
  const BackoffSettings& settings() const { return settings_; }

 private:
  BackoffSettings settings_;
  std::uint32_t attempt_ = 0;
  std::mt19937_64 random_;
};

}  // namespace daihoi::client
