#include "domain/attendance.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace daihoi::domain {

Attendance::Attendance(const Roster& roster, Fraction quorum) : roster_(roster), quorum_(quorum) {
  if (!quorum_.isValid()) {
    throw std::invalid_argument("quorum " + std::to_string(quorum_.numerator) + "/" +
                                std::to_string(quorum_.denominator) + " is not a valid share");
  }
  for (const Delegate& delegate : roster_.delegates()) {
    ++membersByDelegation_[delegate.delegationId];
  }
}

bool Attendance::isPresent(std::uint32_t delegateId) const { return present_.count(delegateId) != 0; }

bool Attendance::setPresent(std::uint32_t delegateId, bool present) {
  const Delegate* delegate = roster_.findById(delegateId);
  if (delegate == nullptr) {
    throw std::invalid_argument("delegate id " + std::to_string(delegateId) + " is not on the roster");
  }
  if (present) {
    if (!present_.insert(delegateId).second) {
      return false;
    }
    ++presentByDelegation_[delegate->delegationId];
    if (delegate->voting) {
      ++presentVoting_;
    }
  } else {
    if (present_.erase(delegateId) == 0) {
      return false;
    }
    --presentByDelegation_[delegate->delegationId];
    if (delegate->voting) {
      --presentVoting_;
    }
  }
  return true;
}

AttendanceTotals Attendance::totals() const {
  AttendanceTotals totals;
  totals.present = static_cast<std::uint32_t>(present_.size());
  totals.presentVoting = presentVoting_;
  totals.summoned = roster_.summoned();
  totals.quorumRequired = quorum_.atLeastOf(totals.summoned);
  // With nobody summoned the requirement is 0; an empty congress has no quorum.
  totals.quorumReached = totals.summoned > 0 && totals.presentVoting >= totals.quorumRequired;
  return totals;
}

DelegationCount Attendance::countFor(std::uint32_t delegationId) const {
  DelegationCount count;
  count.delegationId = delegationId;
  if (auto it = presentByDelegation_.find(delegationId); it != presentByDelegation_.end()) {
    count.present = it->second;
  }
  if (auto it = membersByDelegation_.find(delegationId); it != membersByDelegation_.end()) {
    count.members = it->second;
  }
  return count;
}

std::vector<DelegationCount> Attendance::allCounts() const {
  std::vector<DelegationCount> counts;
  counts.reserve(roster_.delegations().size());
  for (const Delegation& delegation : roster_.delegations()) {
    counts.push_back(countFor(delegation.id));
  }
  std::sort(counts.begin(), counts.end(),
            [](const DelegationCount& a, const DelegationCount& b) { return a.delegationId < b.delegationId; });
  return counts;
}

std::vector<std::uint32_t> Attendance::presentIds() const {
  std::vector<std::uint32_t> ids(present_.begin(), present_.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace daihoi::domain
