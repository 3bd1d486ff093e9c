#pragma once
// How `daihoi` prints replies and events: Vietnamese text for people, JSON for scripts.
// Pure functions of protocol messages, so tests can check them without a server.
// Text results end with a newline; JSON results are one line without it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cli/exit_codes.hpp"
#include "client/state_mirror.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

class JsonWriter;

std::string_view roleKey(daihoi::v1::Role role);    // "chair" (JSON)
std::string_view roleLabel(daihoi::v1::Role role);  // "chủ tọa" (text)
std::string_view methodKey(daihoi::v1::AttendanceMethod method);    // "badge"
std::string_view methodLabel(daihoi::v1::AttendanceMethod method);  // "quẹt thẻ"
// Local time "2025-03-01 08:30:05", or only "08:30:05".
std::string formatLocalTime(std::int64_t unixMs, bool withDate);
// "Thư ký Lan (thư ký)"
std::string principalText(const daihoi::v1::Principal& principal);
void writePrincipalJson(JsonWriter& json, const daihoi::v1::Principal& principal);

// Attendance totals: {"present":..,"presentVoting":..,...} and "có mặt 10, biểu quyết 9/12, đủ túc số".
void writeTotals(JsonWriter& json, const daihoi::v1::AttendanceTotals& totals);
std::uint32_t quorumMissing(const daihoi::v1::AttendanceTotals& totals);
std::string quorumText(const daihoi::v1::AttendanceTotals& totals);  // "chưa đủ túc số (thiếu 3)"
std::string totalsSummary(const daihoi::v1::AttendanceTotals& totals);

std::string errorJson(const CliError& error);  // {"error":{"code":...,"message":...}}
std::string errorText(const CliError& error);  // "daihoi: ...", then one line per CSV problem

std::string whoamiText(const daihoi::v1::SignInReply& reply);
std::string whoamiJson(const daihoi::v1::SignInReply& reply);
std::string congressText(const daihoi::v1::Congress& congress);
std::string congressJson(const daihoi::v1::Congress& congress);

// --delegation NAME: by name (case-insensitive, Vietnamese letters included) or by id.
std::variant<std::uint32_t, CliError> findDelegationId(const daihoi::v1::RosterReply& roster, std::string_view name);
std::string rosterText(const daihoi::v1::RosterReply& roster, std::optional<std::uint32_t> onlyDelegation);
std::string rosterJson(const daihoi::v1::RosterReply& roster, std::optional<std::uint32_t> onlyDelegation);

// Delegation names come from `names` (the sign-in snapshot); unknown ones print as "#id".
std::string attendanceText(const daihoi::v1::AttendanceReply& attendance, const client::StateMirror& names);
std::string attendanceJson(const daihoi::v1::AttendanceReply& attendance, const client::StateMirror& names);

std::string attendanceChangeText(std::string_view code, bool present, const daihoi::v1::AttendanceChangeReply& reply);
std::string attendanceChangeJson(std::string_view code, bool present, const daihoi::v1::AttendanceChangeReply& reply);

std::string importRosterText(const daihoi::v1::ImportRosterReply& reply);
std::string importRosterJson(const daihoi::v1::ImportRosterReply& reply);

// One line per event for `watch`; delegate and delegation names from `names` when known.
// Voting events come from ballot_output.hpp, Face ID, roll call and sitting events from face_output.hpp,
// documents from doc_output.hpp, discussion from discussion_output.hpp.
std::string eventText(const daihoi::v1::Event& event, const client::StateMirror& names);
std::string eventJson(const daihoi::v1::Event& event, const client::StateMirror& names);
// The same, naming discussion groups (in comment events) from `groups`.
std::string eventText(const daihoi::v1::Event& event, const client::StateMirror& names,
                      const daihoi::v1::DiscussionGroupsReply& groups);
std::string eventJson(const daihoi::v1::Event& event, const client::StateMirror& names,
                      const daihoi::v1::DiscussionGroupsReply& groups);

}  // namespace daihoi::cli
