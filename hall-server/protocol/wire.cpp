#include "protocol/wire.hpp"

namespace daihoi::protocol {

void toWire(const domain::Congress& in, v1::Congress& out) {
  out.set_name(in.name);
  out.set_term(in.term);
  out.set_venue(in.venue);
  out.set_starts_on(in.startsOn);
  out.set_ends_on(in.endsOn);
  out.set_quorum_numerator(in.quorum.numerator);
  out.set_quorum_denominator(in.quorum.denominator);
}

void toWire(const domain::Delegation& in, v1::Delegation& out) {
  out.set_id(in.id);
  out.set_name(in.name);
}

void toWire(const domain::Delegate& in, v1::Delegate& out) {
  out.set_id(in.id);
  out.set_code(in.code);
  out.set_full_name(in.fullName);
  out.set_delegation_id(in.delegationId);
  auto& seat = *out.mutable_seat();
  seat.set_label(in.seat.label);
  seat.set_row(in.seat.row);
  seat.set_column(in.seat.column);
  out.set_voting(in.voting);
  for (const auto& photo : in.photoFiles) out.add_photo_files(photo);
}

v1::Role toWire(domain::Role role) { return static_cast<v1::Role>(static_cast<int>(role)); }

void toWire(const domain::Principal& in, v1::Principal& out) {
  out.set_role(toWire(in.role));
  out.set_account_id(in.accountId);
  out.set_display_name(in.displayName);
  out.set_login(in.login);
}

void toWire(const domain::AttendanceTotals& in, v1::AttendanceTotals& out) {
  out.set_present(in.present);
  out.set_present_voting(in.presentVoting);
  out.set_summoned(in.summoned);
  out.set_quorum_required(in.quorumRequired);
  out.set_quorum_reached(in.quorumReached);
}

void toWire(const domain::DelegationCount& in, v1::DelegationCount& out) {
  out.set_delegation_id(in.delegationId);
  out.set_present(in.present);
  out.set_members(in.members);
}

v1::AttendanceMethod toWire(domain::AttendanceMethod method) {
  switch (method) {
    case domain::AttendanceMethod::Manual: return v1::ATTENDANCE_METHOD_MANUAL;
    case domain::AttendanceMethod::Face: return v1::ATTENDANCE_METHOD_FACE;
    case domain::AttendanceMethod::Badge: return v1::ATTENDANCE_METHOD_BADGE;
  }
  return v1::ATTENDANCE_METHOD_UNSPECIFIED;
}

std::string_view errorName(v1::ErrorCode code) {
  const std::string& name = v1::ErrorCode_Name(code);
  return name.empty() ? std::string_view("ERROR_UNKNOWN") : std::string_view(name);
}

void toWire(const domain::Sitting& in, v1::Sitting& out) {
  out.set_id(in.id);
  out.set_title(in.title);
  out.set_started_ms(in.startedMs);
  out.set_ended_ms(in.endedMs);
}

}  // namespace daihoi::protocol
