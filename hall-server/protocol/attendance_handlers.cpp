// GetAttendance, CheckIn, CheckOut: the secretariat's manual attendance record.
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

using domain::Role;

// Attendance changes go to the chair, the secretariat and the hall display,
// and to the delegate concerned.
Audience attendanceAudience(std::uint32_t delegateId) {
  return Audience{{Role::Chair, Role::Secretary, Role::Organizer, Role::Display}, delegateId};
}

// Records the same change for every delegate named; all codes must exist or
// nothing changes. One commit, one event per delegate whose state changed.
void recordAttendance(Request& request, const std::vector<std::string>& codes, const std::string& reason,
                      bool present) {
  Hall& hall = request.hall();
  std::vector<const domain::Delegate*> delegates;
  for (const std::string& code : codes) {
    const domain::Delegate* delegate = hall.pending().roster().findByCode(code);
    if (delegate == nullptr) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegate with code '" + code + "'");
      return;
    }
    delegates.push_back(delegate);
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "a reason is required for a manual check-in or check-out");
    return;
  }
  v1::Response response;
  auto& reply = *response.mutable_attendance_change();
  std::uint32_t changed = 0;
  for (const domain::Delegate* delegate : delegates) {
    if (hall.pending().attendance().isPresent(delegate->id) == present) continue;
    domain::AttendanceRecorded change{delegate->id, present, domain::AttendanceMethod::Manual, reason,
                                      request.principal(), hall.clock().nowMs()};
    request.stage(std::move(change));
    const auto& after = hall.pending();
    auto& event = *request.emit(attendanceAudience(delegate->id)).mutable_attendance_changed();
    event.set_delegate_id(delegate->id);
    event.set_delegate_code(delegate->code);
    event.set_present(present);
    event.set_method(v1::ATTENDANCE_METHOD_MANUAL);
    event.set_reason(reason);
    toWire(request.principal(), *event.mutable_recorded_by());
    toWire(after.attendance().totals(), *event.mutable_totals());
    toWire(after.attendance().countFor(delegate->delegationId), *event.mutable_delegation());
    ++changed;
  }
  reply.set_changed(changed > 0);
  reply.set_changed_count(changed);
  toWire(hall.pending().attendance().totals(), *reply.mutable_totals());
  if (changed == 0) {
    reply.set_seq(hall.pendingSeq());
    request.replyAfterPending(std::move(response));
    return;
  }
  reply.set_seq(request.lastEmittedSeq());
  request.commitAndReply(std::move(response));
}

}  // namespace

void handleGetAttendance(Request& request) {
  const Hall& hall = request.hall();
  v1::Response response;
  auto& reply = *response.mutable_attendance();
  reply.set_seq(hall.committedSeq());
  attendanceToWire(hall.committed().attendance(), reply);
  request.commitAndReply(std::move(response));
}

void handleCheckIn(Request& request) {
  const auto& in = request.message().check_in();
  std::vector<std::string> codes{in.delegate_code()};
  codes.insert(codes.end(), in.more_codes().begin(), in.more_codes().end());
  recordAttendance(request, codes, in.reason(), true);
}

void handleCheckOut(Request& request) {
  const auto& in = request.message().check_out();
  recordAttendance(request, {in.delegate_code()}, in.reason(), false);
}

}  // namespace daihoi::protocol
