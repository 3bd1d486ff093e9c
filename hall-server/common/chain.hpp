#pragma once
// The event log is a hash chain: hash_n = SHA-256(hash_{n-1} || body_n),
// with hash_0 = 32 zero bytes. The hall, the store and the verifier all use
// this one function so that they cannot disagree.
#include <string_view>

#include "common/bytes.hpp"

namespace daihoi {

inline constexpr Sha256 kGenesisHash{};

inline Sha256 chainHash(const Sha256& previous, std::string_view body) {
  return sha256(asBytes(previous), body);
}

}  // namespace daihoi
