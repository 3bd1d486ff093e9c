#include "auth/tokens.hpp"

#include <stdexcept>

#include "auth/sodium_init.hpp"
#include "common/bytes.hpp"

namespace daihoi::auth {

std::string newSecretToken() { return randomToken(32); }

std::string tokenHash(std::string_view token) { return toHex(sha256(token)); }

std::string newPin(unsigned digits) {
  if (digits == 0 || digits > 64) {
    throw std::invalid_argument("a PIN has between 1 and 64 digits");
  }
  detail::ensureSodium();
  std::string pin;
  pin.reserve(digits);
  for (unsigned i = 0; i < digits; ++i) {
    // randombytes_uniform avoids the modulo bias of randombytes_random() % 10.
    pin.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  }
  return pin;
}

}  // namespace daihoi::auth
