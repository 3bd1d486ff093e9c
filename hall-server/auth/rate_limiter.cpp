#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "common/bytes.hpp"

namespace daihoi::auth {
namespace {

// Keys come from client input (login names); longer ones are stored hashed so
// that the memory bound holds whatever a client sends.
constexpr std::size_t kMaxStoredKeyBytes = 71;
constexpr std::string_view kHashedKeyPrefix = "sha256:";  // 7 + 64 hex = 71

// Failures beyond this no longer change the lock (it is capped long before).
constexpr std::uint32_t kMaxCountedFailures = 1'000'000;

}  // namespace

SignInLimiter::SignInLimiter(const Clock& clock, SignInPolicy policy)
    : clock_(clock), policy_(policy) {
  if (policy_.freeAttempts == 0 || policy_.windowMs <= 0 || policy_.firstLockMs <= 0 ||
      policy_.maxLockMs < policy_.firstLockMs || policy_.maxKeys == 0) {
    throw std::invalid_argument("SignInPolicy: all limits must be positive and maxLockMs >= firstLockMs");
  }
}

std::string SignInLimiter::storedKey(std::string_view key) {
  if (key.size() <= kMaxStoredKeyBytes) {
    return std::string(key);
  }
  return std::string(kHashedKeyPrefix) + toHex(sha256(key));
}

bool SignInLimiter::isStale(const Entry& entry, std::int64_t nowMs) const {
  return nowMs - entry.lastFailureMs >= policy_.windowMs && entry.lockedUntilMs <= nowMs;
}

std::int64_t SignInLimiter::lockFor(std::uint32_t failures) const {
  std::int64_t lock = policy_.firstLockMs;
  for (std::uint32_t extra = failures - policy_.freeAttempts; extra > 0 && lock < policy_.maxLockMs;
       --extra) {
    lock = lock > policy_.maxLockMs / 2 ? policy_.maxLockMs : lock * 2;
  }
  return std::min(lock, policy_.maxLockMs);
}

std::optional<std::int64_t> SignInLimiter::retryAfterMs(std::string_view key) const {
  const auto found = entries_.find(storedKey(key));
  if (found == entries_.end()) {
    return std::nullopt;
  }
  const std::int64_t nowMs = clock_.nowMs();
  if (found->second.lockedUntilMs > nowMs) {
    return found->second.lockedUntilMs - nowMs;
  }
  return std::nullopt;
}

void SignInLimiter::recordFailure(std::string_view key) {
  const std::int64_t nowMs = clock_.nowMs();
  std::string stored = storedKey(key);
  auto found = entries_.find(stored);
  if (found == entries_.end()) {
    byLastFailure_.push_back(stored);
    Entry entry;
    entry.position = std::prev(byLastFailure_.end());
    found = entries_.emplace(std::move(stored), entry).first;
  } else {
    byLastFailure_.splice(byLastFailure_.end(), byLastFailure_, found->second.position);
    if (isStale(found->second, nowMs)) {
      found->second.failures = 0;
      found->second.lockedUntilMs = 0;
    }
  }

  Entry& entry = found->second;
  entry.failures = std::min(entry.failures + 1, kMaxCountedFailures);
  entry.lastFailureMs = nowMs;
  if (entry.failures >= policy_.freeAttempts) {
    entry.lockedUntilMs = nowMs + lockFor(entry.failures);
  }
  forgetStaleAndExcess(nowMs);
}

void SignInLimiter::recordSuccess(std::string_view key) {
  const auto found = entries_.find(storedKey(key));
  if (found == entries_.end()) {
    return;
  }
  byLastFailure_.erase(found->second.position);
  entries_.erase(found);
}

void SignInLimiter::forgetStaleAndExcess(std::int64_t nowMs) {
  while (!byLastFailure_.empty()) {
    const auto oldest = entries_.find(byLastFailure_.front());
    // Evicting a key that is still counting failures forgets them; an attacker
    // would need maxKeys fresh failures (each a full password verification)
    // between two attempts on one account to profit from that.
    if (entries_.size() <= policy_.maxKeys && !isStale(oldest->second, nowMs)) {
      break;
    }
    entries_.erase(oldest);
    byLastFailure_.pop_front();
  }
}

RequestRateLimiter::RequestRateLimiter(const Clock& clock, std::uint32_t capacity,
                                       std::uint32_t refillPerSecond)
    : clock_(clock),
      capacityMilli_(std::int64_t{capacity} * 1000),
      refillMilliPerMs_(refillPerSecond),
      availableMilli_(capacityMilli_),
      lastRefillMs_(clock.nowMs()) {
  if (capacity == 0 || refillPerSecond == 0) {
    throw std::invalid_argument("RequestRateLimiter: capacity and refill rate must be positive");
  }
}

void RequestRateLimiter::refill() {
  const std::int64_t nowMs = clock_.nowMs();
  const std::int64_t elapsedMs = nowMs - lastRefillMs_;
  if (elapsedMs <= 0) {
    // A clock that stepped back gives nothing; the bucket refills once it
    // passes the last refill time again.
    return;
  }
  // capacityMilli_ ms refill the bucket at any rate >= 1/s: no overflow.
  const std::int64_t creditedMs = std::min(elapsedMs, capacityMilli_);
  availableMilli_ = std::min(capacityMilli_, availableMilli_ + creditedMs * refillMilliPerMs_);
  lastRefillMs_ = nowMs;
}

bool RequestRateLimiter::tryTake() {
  refill();
  if (availableMilli_ < 1000) {
    return false;
  }
  availableMilli_ -= 1000;
  return true;
}

}  // namespace daihoi::auth
