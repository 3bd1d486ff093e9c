#pragma once
// One way to record attendance, for every method (manual, face, badge).
#include "domain/changes.hpp"
#include "domain/model.hpp"

namespace daihoi::protocol {

class Request;

// A page of the attendance log: a reply stays well under the frame limit.
inline constexpr std::size_t kAttendanceLogPage = 5000;

// Stages the change (method, reason, recordedBy, timeMs and the face fields as
// given; delegate and sitting filled here) and its AttendanceChanged event,
// sent to the chair, the secretariat, organizers, the display and the delegate.
void stageAttendance(Request& request, const domain::Delegate& delegate, domain::AttendanceRecorded change);

}  // namespace daihoi::protocol
