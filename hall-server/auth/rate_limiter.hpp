#pragma once
// Sign-in throttling and per-connection request limits. Time comes from an
// injected Clock so that tests never sleep.
//
// Neither class is thread-safe: each is used on one thread (the server's
// sign-in handling, or one connection's strand).
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>

#include "auth/string_map.hpp"
#include "common/clock.hpp"

namespace daihoi::auth {

struct SignInPolicy {
  std::uint32_t freeAttempts = 5;             // failures before the first lock
  std::int64_t windowMs = 15 * 60 * 1000;     // a key is forgotten after this long without a failure
  std::int64_t firstLockMs = 1000;            // lock after the freeAttempts-th failure; doubles per further failure
  std::int64_t maxLockMs = 5 * 60 * 1000;     // the doubling stops here
  std::size_t maxKeys = 100'000;              // memory bound, see SignInLimiter
};

// Counts failed sign-ins per key. Callers use one key per account
// ("account:<login>") and one per connection ("conn:<id>"), and must record
// failures for logins that name no account exactly as for existing ones: the
// limiter only sees strings, so both behave identically and its answers reveal
// nothing about which accounts exist.
//
// Policy: the first `freeAttempts` failures are free; the freeAttempts-th
// failure locks the key for firstLockMs, each further failure for twice the
// previous lock, at most maxLockMs. Failures count as long as they come less
// than windowMs apart; after windowMs with no failure (and no lock left) the
// key starts afresh. A success clears the key.
//
// Memory is bounded: at most `maxKeys` keys are tracked, each stored in at
// most 71 bytes (longer keys are kept as their SHA-256). When a new key would
// exceed the bound, the keys whose last failure is oldest are evicted first;
// keys past their window are dropped as they age out.
class SignInLimiter {
 public:
  // Throws std::invalid_argument for a policy that cannot work (zero free
  // attempts, window, lock or key bound, or maxLockMs < firstLockMs).
  explicit SignInLimiter(const Clock& clock, SignInPolicy policy = {});

  // nullopt: an attempt is allowed now. Otherwise milliseconds until it is.
  std::optional<std::int64_t> retryAfterMs(std::string_view key) const;
  // Call after a failed verification (not after a refusal because of a lock).
  void recordFailure(std::string_view key);
  // Call after a successful sign-in: forgets the key.
  void recordSuccess(std::string_view key);

  std::size_t trackedKeys() const { return entries_.size(); }
  const SignInPolicy& policy() const { return policy_; }

 private:
  struct Entry {
    std::uint32_t failures = 0;
    std::int64_t lastFailureMs = 0;
    std::int64_t lockedUntilMs = 0;
    std::list<std::string>::iterator position;  // in byLastFailure_
  };

  static std::string storedKey(std::string_view key);
  bool isStale(const Entry& entry, std::int64_t nowMs) const;
  std::int64_t lockFor(std::uint32_t failures) const;
  void forgetStaleAndExcess(std::int64_t nowMs);

  const Clock& clock_;
  SignInPolicy policy_;
  StringMap<Entry> entries_;
  std::list<std::string> byLastFailure_;  // least recent failure first
};

// A token bucket for one connection: holds up to `capacity` requests and
// regains `refillPerSecond` per second, starting full.
class RequestRateLimiter {
 public:
  // Throws std::invalid_argument if capacity or refillPerSecond is zero.
  RequestRateLimiter(const Clock& clock, std::uint32_t capacity, std::uint32_t refillPerSecond);

  // Takes one request's token; false when the bucket is empty.
  bool tryTake();

 private:
  void refill();

  // Tokens are counted in thousandths so that refilling per millisecond is
  // exact integer arithmetic: refillPerSecond tokens/s == refillPerSecond
  // thousandths per ms.
  const Clock& clock_;
  std::int64_t capacityMilli_;
  std::int64_t refillMilliPerMs_;
  std::int64_t availableMilli_;
  std::int64_t lastRefillMs_;
};

}  // namespace daihoi::auth
