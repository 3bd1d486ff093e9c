#pragma once
// Voting at the protocol level, beside the handlers: who may see which ballot,
// the per-principal view, deadlines that close ballots by themselves.
#include <cstdint>

#include "daihoi.pb.h"
#include "domain/ballots.hpp"
#include "domain/hall_state.hpp"
#include "domain/model.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;
class Hall;

// Staff see every ballot; the hall display every ballot past its draft; a
// delegate the ballots it is eligible for and every published result; kiosks none.
bool mayView(const domain::BallotState& ballot, domain::Role role, std::uint32_t accountId);
// The ballot as `principal` sees it (a delegate also learns whether it is eligible and has voted).
void ballotView(const domain::HallState& state, const domain::BallotState& ballot,
                const domain::Principal& principal, v1::Ballot& out);
// Every ballot `principal` may see, the counting committee and the voting rules.
void ballotsToSnapshot(const domain::HallState& state, const domain::Principal& principal, v1::Snapshot& out);

// Schedules the deadline of every open ballot (after a restart); a deadline
// already past closes its ballot at once.
void resumeBallotDeadlines(Hall& hall);

}  // namespace daihoi::protocol
