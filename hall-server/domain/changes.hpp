#pragma once
// State changes decided by request handlers. The store applies each one to
// its tables in the same transaction as the event that records it.
#include <cstdint>
#include <string>
#include <variant>

#include "domain/attendance.hpp"
#include "domain/ballots.hpp"
#include "domain/model.hpp"

namespace daihoi::domain {

struct AttendanceRecorded {
  std::uint32_t delegateId = 0;
  bool present = false;
  AttendanceMethod method = AttendanceMethod::Manual;
  std::string reason;
  Principal recordedBy;
  std::int64_t timeMs = 0;
};

struct RosterReplaced {
  Roster roster;
};

struct SessionOpened {
  std::string tokenHash;  // hex SHA-256 of the session token; the token itself is never stored
  Principal principal;
  std::int64_t createdMs = 0;
  std::int64_t expiresMs = 0;
};

struct SessionClosed {
  std::string tokenHash;
};

// A one-time badge token was used to sign in: it cannot be used again.
struct BadgeTokenUsed {
  std::uint32_t delegateId = 0;
  std::int64_t timeMs = 0;
};

using Change = std::variant<AttendanceRecorded, RosterReplaced, SessionOpened, SessionClosed, BadgeTokenUsed,
                            BallotDrafted, BallotOpened, VoteCast, BallotClosed, TallyConfirmed, BallotPublished,
                            BallotCancelled, CountingCommitteeAppointed, VotingRulesChosen>;

}  // namespace daihoi::domain
