#pragma once
// Conversions between the domain model and the wire messages (daihoi.v1).
#include "daihoi.pb.h"
#include "domain/attendance.hpp"
#include "domain/model.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;

void toWire(const domain::Congress& in, v1::Congress& out);
void toWire(const domain::Delegation& in, v1::Delegation& out);
void toWire(const domain::Delegate& in, v1::Delegate& out);
void toWire(const domain::Principal& in, v1::Principal& out);
void toWire(const domain::AttendanceTotals& in, v1::AttendanceTotals& out);
void toWire(const domain::DelegationCount& in, v1::DelegationCount& out);
void toWire(const domain::Sitting& in, v1::Sitting& out);
v1::Role toWire(domain::Role role);
v1::AttendanceMethod toWire(domain::AttendanceMethod method);

// Fills delegations and delegates of any message that has both fields.
template <class Message>
void rosterToWire(const domain::Roster& roster, Message& out) {
  for (const auto& d : roster.delegations()) toWire(d, *out.add_delegations());
  for (const auto& d : roster.delegates()) toWire(d, *out.add_delegates());
}

// Fills present ids, totals and per-delegation counts.
template <class Message>
void attendanceToWire(const domain::Attendance& attendance, Message& out) {
  for (std::uint32_t id : attendance.presentIds()) out.add_present_delegate_ids(id);
  toWire(attendance.totals(), *out.mutable_totals());
  for (const auto& c : attendance.allCounts()) toWire(c, *out.add_delegation_counts());
}

std::string_view errorName(v1::ErrorCode code);

}  // namespace daihoi::protocol
