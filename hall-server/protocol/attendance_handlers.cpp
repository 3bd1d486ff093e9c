// Attendance: the secretariat's manual record, roll calls, sittings and the
// attendance log. Face check-ins record through stageAttendance too.
#include "protocol/archive.hpp"
#include "protocol/attendance_record.hpp"
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {

using domain::Role;

void stageAttendance(Request& request, const domain::Delegate& delegate, domain::AttendanceRecorded change) {
  Hall& hall = request.hall();
  change.delegateId = delegate.id;
  change.sittingId = hall.pending().currentSittingId();
  const auto method = change.method;
  const bool present = change.present;
  const float distance = change.faceDistance;
  const std::string reason = change.reason;
  const domain::Principal by = change.recordedBy;
  request.stage(std::move(change));
  const auto& after = hall.pending();
  // To the chair, the secretariat and the hall display, and to the delegate concerned.
  auto& event = *request.emit(Audience{{Role::Chair, Role::Secretary, Role::Organizer, Role::Display}, delegate.id})
                     .mutable_attendance_changed();
  event.set_delegate_id(delegate.id);
  event.set_delegate_code(delegate.code);
  event.set_present(present);
  event.set_method(toWire(method));
  event.set_reason(reason);
  toWire(by, *event.mutable_recorded_by());
  toWire(after.attendance().totals(), *event.mutable_totals());
  toWire(after.attendance().countFor(delegate.delegationId), *event.mutable_delegation());
  event.set_face_distance(distance);
  event.set_sitting_id(after.currentSittingId());
}

namespace {

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
    domain::AttendanceRecorded change;
    change.present = present;
    change.method = domain::AttendanceMethod::Manual;
    change.reason = reason;
    change.recordedBy = request.principal();
    change.timeMs = hall.clock().nowMs();
    stageAttendance(request, *delegate, std::move(change));
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

void handleTakeRollCall(Request& request) {
  Hall& hall = request.hall();
  const auto& state = hall.pending();
  domain::RollCallTaken rollCall;
  rollCall.id = state.rollCalls() + 1;
  rollCall.seq = request.lastEmittedSeq() + 1;
  rollCall.timeMs = hall.clock().nowMs();
  rollCall.sittingId = state.currentSittingId();
  rollCall.note = request.message().take_roll_call().note();
  rollCall.by = request.principal();
  rollCall.presentIds = state.attendance().presentIds();
  rollCall.totals = state.attendance().totals();

  // Everyone sees the official roll call; it is in the hash chain.
  auto& event = *request.emit(Audience{domain::RoleSet::all()}).mutable_roll_call_taken();
  event.set_roll_call_id(rollCall.id);
  for (std::uint32_t id : rollCall.presentIds) event.add_present_delegate_ids(id);
  toWire(rollCall.totals, *event.mutable_totals());
  for (const auto& count : state.attendance().allCounts()) toWire(count, *event.add_delegation_counts());
  toWire(rollCall.by, *event.mutable_by());
  event.set_note(rollCall.note);
  event.set_sitting_id(rollCall.sittingId);

  v1::Response response;
  auto& reply = *response.mutable_roll_call();
  reply.set_roll_call_id(rollCall.id);
  reply.set_seq(rollCall.seq);
  toWire(rollCall.totals, *reply.mutable_totals());
  request.stage(std::move(rollCall));
  request.commitAndReply(std::move(response));
}

namespace {
// Everyone hears that a sitting started or ended; the chair's reply carries it too.
v1::Response announceSitting(Request& request, const domain::Sitting& sitting) {
  auto& event = *request.emit(Audience{domain::RoleSet::all()}).mutable_sitting_changed();
  toWire(sitting, *event.mutable_sitting());
  toWire(request.principal(), *event.mutable_by());
  v1::Response response;
  toWire(sitting, *response.mutable_sitting()->mutable_sitting());
  response.mutable_sitting()->set_seq(request.lastEmittedSeq());
  return response;
}
}  // namespace

void handleStartSitting(Request& request) {
  Hall& hall = request.hall();
  const std::string& title = request.message().start_sitting().title();
  if (title.find_first_not_of(" \t\r\n") == std::string::npos) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "a sitting needs a title");
    return;
  }
  if (const domain::Sitting* current = hall.pending().currentSitting()) {
    request.fail(v1::ERROR_FAILED_PRECONDITION,
                 "sitting " + std::to_string(current->id) + " (" + current->title + ") is still in session; end it first");
    return;
  }
  const auto& sittings = hall.pending().sittings();
  domain::Sitting sitting{sittings.empty() ? 1 : sittings.back().id + 1, title, hall.clock().nowMs(), 0};
  v1::Response response = announceSitting(request, sitting);
  request.stage(domain::SittingStarted{sitting});
  request.commitAndReply(std::move(response));
}

void handleEndSitting(Request& request) {
  Hall& hall = request.hall();
  const domain::Sitting* current = hall.pending().currentSitting();
  if (current == nullptr) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "no sitting is in session");
    return;
  }
  domain::Sitting sitting = *current;
  sitting.endedMs = hall.clock().nowMs();
  v1::Response response = announceSitting(request, sitting);
  request.stage(domain::SittingEnded{sitting.id, sitting.endedMs});
  request.commitAndReply(std::move(response));
}

void handleGetAttendanceLog(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().get_attendance_log();
  Archive* archive = hall.archive();
  if (archive == nullptr) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "this server keeps no attendance archive");
    return;
  }
  domain::AttendanceLogQuery query;
  if (!in.delegate_code().empty()) {
    const domain::Delegate* delegate = hall.pending().roster().findByCode(in.delegate_code());
    if (delegate == nullptr) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegate with code '" + in.delegate_code() + "'");
      return;
    }
    query.delegateId = delegate->id;
  }
  if (in.from_ms() < 0 || in.to_ms() < 0 || (in.to_ms() != 0 && in.to_ms() <= in.from_ms())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "from_ms and to_ms must be non-negative and to_ms after from_ms");
    return;
  }
  query.sittingId = in.sitting_id();
  query.fromMs = in.from_ms();
  query.toMs = in.to_ms();
  query.afterId = static_cast<std::int64_t>(in.after_id());
  query.limit = kAttendanceLogPage + 1;  // one more tells whether there is more
  auto message = std::make_shared<v1::ClientMessage>(request.message());
  std::weak_ptr<Connection> weak = request.connectionPtr();
  archive->attendanceLog(query, [&hall, weak, message](std::vector<domain::AttendanceLogEntry> rows,
                                                        std::string error) {
    auto connection = weak.lock();
    if (!connection) return;
    Request resumed(hall, connection, *message);
    if (!error.empty()) {
      resumed.fail(v1::ERROR_INTERNAL, "the attendance log could not be read: " + error);
      return;
    }
    v1::Response response;
    auto& reply = *response.mutable_attendance_log();
    const bool more = rows.size() > kAttendanceLogPage;
    if (more) rows.resize(kAttendanceLogPage);
    reply.set_more(more);
    const domain::Roster& roster = hall.committed().roster();
    for (const auto& row : rows) {
      auto& entry = *reply.add_entries();
      entry.set_id(static_cast<std::uint64_t>(row.id));
      entry.set_delegate_id(row.delegateId);
      entry.set_delegate_code(row.delegateCode);
      // Names as the roster has them now; the code is the one recorded.
      if (const domain::Delegate* delegate = roster.findByCode(row.delegateCode)) {
        entry.set_full_name(delegate->fullName);
        if (const domain::Delegation* delegation = roster.findDelegation(delegate->delegationId)) {
          entry.set_delegation(delegation->name);
        }
      }
      entry.set_present(row.present);
      entry.set_method(toWire(row.method));
      entry.set_reason(row.reason);
      toWire(row.recordedBy, *entry.mutable_recorded_by());
      entry.set_time_ms(row.timeMs);
      entry.set_face_distance(row.faceDistance);
      entry.set_has_thumbnail(row.hasThumbnail);
      entry.set_sitting_id(row.sittingId);
    }
    for (const auto& sitting : hall.committed().sittings()) toWire(sitting, *reply.add_sittings());
    resumed.commitAndReply(std::move(response));
  });
}

}  // namespace daihoi::protocol
