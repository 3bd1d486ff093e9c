#pragma once
// Internal to daihoi_auth: libsodium must be initialised before its random
// number and password hashing functions are used.
#include <sodium.h>

#include <stdexcept>

namespace daihoi::auth::detail {

inline void ensureSodium() {
  // sodium_init() is idempotent and thread-safe; the static only avoids
  // calling it on every hash.
  static const bool ready = [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialise");
    }
    return true;
  }();
  (void)ready;
}

}  // namespace daihoi::auth::detail
