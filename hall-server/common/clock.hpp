#pragma once
#include <chrono>
#include <cstdint>

namespace daihoi {

// Time is injected so that tests never sleep (rate limits, expiry).
class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in milliseconds.
  virtual std::int64_t nowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t nowMs() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t startMs = 1'700'000'000'000) : nowMs_(startMs) {}
  std::int64_t nowMs() const override { return nowMs_; }
  void advance(std::int64_t ms) { nowMs_ += ms; }

 private:
  std::int64_t nowMs_;
};

}  // namespace daihoi
