#include "auth/passwords.hpp"

#include <array>
#include <cstddef>
#include <stdexcept>

#include "auth/sodium_init.hpp"
#include "common/bytes.hpp"

namespace daihoi::auth {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

struct Cost {
  unsigned long long opsLimit;
  std::size_t memLimit;
};

Cost costOf(HashStrength strength) {
  switch (strength) {
    case HashStrength::Interactive:
      return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case HashStrength::Pin:
      return {2, std::size_t{8} * 1024 * 1024};
  }
  throw std::invalid_argument("unknown HashStrength");
}

// crypto_pwhash_str_* read a NUL-terminated string of fewer than
// crypto_pwhash_STRBYTES bytes; anything else is not one of our hashes.
bool copyHashString(std::string_view hash, std::array<char, crypto_pwhash_STRBYTES>& out) {
  if (hash.size() >= out.size() || hash.find('\0') != std::string_view::npos ||
      hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) {
    return false;
  }
  out.fill('\0');
  hash.copy(out.data(), hash.size());
  return true;
}

}  // namespace

std::string hashSecret(std::string_view secret, HashStrength strength) {
  detail::ensureSodium();
  const Cost cost = costOf(strength);
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), secret.data(), secret.size(), cost.opsLimit, cost.memLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id hashing failed: out of memory");
  }
  return std::string(out.data());
}

bool verifySecret(std::string_view hash, std::string_view secret) {
  detail::ensureSodium();
  std::array<char, crypto_pwhash_STRBYTES> hashString{};
  if (!copyHashString(hash, hashString)) {
    return false;
  }
  return crypto_pwhash_str_verify(hashString.data(), secret.data(), secret.size()) == 0;
}

bool needsRehash(std::string_view hash, HashStrength strength) {
  detail::ensureSodium();
  std::array<char, crypto_pwhash_STRBYTES> hashString{};
  if (!copyHashString(hash, hashString)) {
    return true;
  }
  const Cost cost = costOf(strength);
  return crypto_pwhash_str_needs_rehash(hashString.data(), cost.opsLimit, cost.memLimit) != 0;
}

void burnVerificationTime(HashStrength strength) {
  // Each dummy is made on first use of its strength; its secret is random so
  // that no sign-in can ever match it.
  const std::string* dummy = nullptr;
  if (strength == HashStrength::Interactive) {
    static const std::string interactiveDummy = hashSecret(randomToken(), HashStrength::Interactive);
    dummy = &interactiveDummy;
  } else {
    static const std::string pinDummy = hashSecret(randomToken(), HashStrength::Pin);
    dummy = &pinDummy;
  }
  (void)verifySecret(*dummy, randomToken());
}

}  // namespace daihoi::auth
