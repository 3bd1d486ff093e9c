#include "client/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace daihoi::client {
namespace {

BackoffSettings sanitized(BackoffSettings settings) {
  using std::chrono::milliseconds;
  settings.initialDelay = std::max(settings.initialDelay, milliseconds{1});
  settings.maxDelay = std::max(settings.maxDelay, settings.initialDelay);
  if (!(settings.multiplier >= 1.0)) {  // also catches NaN
    settings.multiplier = 1.0;
  }
  if (!(settings.jitter >= 0.0)) {
    settings.jitter = 0.0;
  }
  settings.jitter = std::min(settings.jitter, 1.0);
  return settings;
}

}  // namespace

Backoff::Backoff(BackoffSettings settings, std::uint64_t seed)
    : settings_(sanitized(settings)), random_(seed != 0 ? seed : std::random_device{}()) {}

std::chrono::milliseconds Backoff::nominalDelay(std::uint32_t attempt) const {
  const double initial = static_cast<double>(settings_.initialDelay.count());
  const double cap = static_cast<double>(settings_.maxDelay.count());
  // pow() grows past any cap quickly; min() keeps the value finite and bounded.
  const double delay = std::min(cap, initial * std::pow(settings_.multiplier, static_cast<double>(attempt)));
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(delay))};
}

std::chrono::milliseconds Backoff::next() {
  const auto nominal = nominalDelay(attempt_);
  if (attempt_ < UINT32_MAX) {
    ++attempt_;
  }
  if (settings_.jitter <= 0.0) {
    return nominal;
  }
  std::uniform_real_distribution<double> shrink(0.0, settings_.jitter);
  const double jittered = static_cast<double>(nominal.count()) * (1.0 - shrink(random_));
  return std::chrono::milliseconds{std::max<std::int64_t>(1, std::llround(jittered))};
}

}  // namespace daihoi::client
