#pragma once
// A realistic, reproducible congress for demonstrations, load tests and
// development: the same arguments always give the same roster.
#include <cstdint>

#include "domain/model.hpp"

namespace daihoi::domain {

struct DemoCongress {
  Congress congress;
  Roster roster;
};

// Largest supported `delegations` (one seating block letter A..Z each).
inline constexpr std::uint32_t kMaxDemoDelegations = 26;

// Delegations are provincial and central party committees with unequal sizes;
// about 3% of the delegates are invited guests without a vote; seats are laid
// out block by block ("A-01", ...). Throws std::invalid_argument when
// `delegations` is 0 or above kMaxDemoDelegations.
DemoCongress makeDemoCongress(std::uint32_t delegates = 500, std::uint32_t delegations = 15,
                              std::uint64_t seed = 2026);

}  // namespace daihoi::domain
