#pragma once
// The event log's hash chain as the store sees it. The chain step itself
// lives in common/chain.hpp so that the hall, the store and the verifier
// share one definition: hash_n = SHA-256(hash_{n-1} || body_n), hash_0 = 32 zero bytes.
#include <cstdint>

#include "common/chain.hpp"

namespace daihoi::store {

using daihoi::chainHash;
using daihoi::kGenesisHash;

// The last event of the log: seq 0 and kGenesisHash when the log is empty.
struct ChainHead {
  std::uint64_t seq = 0;
  Sha256 hash = kGenesisHash;
  bool operator==(const ChainHead&) const = default;
};

}  // namespace daihoi::store
