#include <doctest/doctest.h>

#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

using namespace daihoi::cli;
namespace v1 = daihoi::v1;
using daihoi::client::ClientError;
using daihoi::client::ErrorKind;
using daihoi::client::StateMirror;

namespace {

StateMirror namesMirror() {
  v1::Snapshot snapshot;
  snapshot.set_seq(1);
  auto* delegation = snapshot.add_delegations();
  delegation->set_id(4);
  delegation->set_name("Đoàn Thừa Thiên Huế");
  auto* delegate = snapshot.add_delegates();
  delegate->set_id(17);
  delegate->set_code("HUE-003");
  delegate->set_full_name("Tôn Nữ \"Hà\"");
  delegate->set_delegation_id(4);
  StateMirror mirror;
  mirror.applySnapshot(snapshot);
  return mirror;
}

v1::Event checkInEvent() {
  v1::Event event;
  event.set_seq(42);
  event.set_time_ms(1'700'000'000'000);
  auto* change = event.mutable_attendance_changed();
  change->set_delegate_id(17);
  change->set_delegate_code("HUE-003");
  change->set_present(true);
  change->set_method(v1::ATTENDANCE_METHOD_MANUAL);
  change->set_reason("Đến muộn\nvì mưa");
  change->mutable_recorded_by()->set_role(v1::ROLE_SECRETARY);
  change->mutable_recorded_by()->set_account_id(2);
  change->mutable_recorded_by()->set_display_name("Thư ký Lan");
  change->mutable_recorded_by()->set_login("secretary");
  auto* totals = change->mutable_totals();
  totals->set_present(10);
  totals->set_present_voting(9);
  totals->set_summoned(12);
  totals->set_quorum_required(8);
  totals->set_quorum_reached(true);
  change->mutable_delegation()->set_delegation_id(4);
  change->mutable_delegation()->set_present(3);
  change->mutable_delegation()->set_members(5);
  return event;
}

ClientError serverError(v1::ErrorCode code) {
  return ClientError{ErrorKind::Server, code, "msg", {}, 0};
}

}  // namespace

TEST_CASE("errors as JSON carry the code, message and CSV problems") {
  CliError error{kExitRefused, "ERROR_CSV_INVALID", "CSV không hợp lệ", {{3, "thiếu \"mã\""}, {7, "trùng"}}, 0};
  CHECK(errorJson(error) ==
        "{\"error\":{\"code\":\"ERROR_CSV_INVALID\",\"message\":\"CSV không hợp lệ\",\"csvProblems\":["
        "{\"line\":3,\"reason\":\"thiếu \\\"mã\\\"\"},{\"line\":7,\"reason\":\"trùng\"}]}}");
  CHECK(errorJson(CliError{kExitRefused, "ERROR_RATE_LIMITED", "chậm lại", {}, 1500}) ==
        "{\"error\":{\"code\":\"ERROR_RATE_LIMITED\",\"message\":\"chậm lại\",\"retryAfterMs\":1500}}");
}

TEST_CASE("errors as text list every CSV problem with its line") {
  CliError error{kExitRefused, "ERROR_CSV_INVALID", "CSV không hợp lệ", {{3, "thiếu mã"}, {12, "trùng"}}, 0};
  CHECK(errorText(error) == "daihoi: CSV không hợp lệ [ERROR_CSV_INVALID]\n  dòng 3: thiếu mã\n  dòng 12: trùng\n");
  CHECK(errorText(usageError("no command given")) == "daihoi: no command given\n");
}

TEST_CASE("exit codes follow the error and the phase") {
  CHECK(exitCodeFor(daihoi::client::connectionError("refused"), Phase::Connect) == kExitConnection);
  CHECK(exitCodeFor(daihoi::client::connectionError("lost"), Phase::Request) == kExitConnection);
  CHECK(exitCodeFor(daihoi::client::timeoutError("slow"), Phase::Request) == kExitTimeout);
  CHECK(exitCodeFor(daihoi::client::timeoutError("slow"), Phase::SignIn) == kExitTimeout);
  CHECK(exitCodeFor(serverError(v1::ERROR_INVALID_CREDENTIALS), Phase::SignIn) == kExitAuthentication);
  CHECK(exitCodeFor(serverError(v1::ERROR_RATE_LIMITED), Phase::SignIn) == kExitAuthentication);
  CHECK(exitCodeFor(serverError(v1::ERROR_RATE_LIMITED), Phase::Request) == kExitRefused);
  CHECK(exitCodeFor(serverError(v1::ERROR_SESSION_EXPIRED), Phase::Request) == kExitAuthentication);
  CHECK(exitCodeFor(serverError(v1::ERROR_PERMISSION_DENIED), Phase::Request) == kExitPermission);
  CHECK(exitCodeFor(serverError(v1::ERROR_NOT_FOUND), Phase::Request) == kExitRefused);
  CHECK(exitCodeFor(serverError(v1::ERROR_CSV_INVALID), Phase::Request) == kExitRefused);
  CHECK(exitCodeFor(serverError(v1::ERROR_UNSUPPORTED_VERSION), Phase::Connect) == kExitConnection);
  const CliError mapped = fromClientError(serverError(v1::ERROR_PERMISSION_DENIED), Phase::Request);
  CHECK(mapped.code == "ERROR_PERMISSION_DENIED");
  CHECK(mapped.exitCode == kExitPermission);
  CHECK(fromClientError(daihoi::client::timeoutError("x"), Phase::Request).code == "ERROR_TIMEOUT");
}

TEST_CASE("an attendance event as one JSON line, with names from the mirror") {
  const std::string line = eventJson(checkInEvent(), namesMirror());
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line ==
        "{\"seq\":42,\"timeMs\":1700000000000,\"type\":\"attendance_changed\",\"delegateId\":17,"
        "\"delegateCode\":\"HUE-003\",\"delegateName\":\"Tôn Nữ \\\"Hà\\\"\",\"present\":true,\"method\":\"manual\","
        "\"reason\":\"Đến muộn\\nvì mưa\",\"recordedBy\":{\"role\":\"secretary\",\"accountId\":2,"
        "\"displayName\":\"Thư ký Lan\",\"login\":\"secretary\"},\"totals\":{\"present\":10,\"presentVoting\":9,"
        "\"summoned\":12,\"quorumRequired\":8,\"quorumReached\":true},\"delegation\":{\"id\":4,"
        "\"name\":\"Đoàn Thừa Thiên Huế\",\"present\":3,\"members\":5}}");
}

TEST_CASE("an attendance event as one text line") {
  const std::string line = eventText(checkInEvent(), namesMirror());
  CHECK(line.rfind("#42 ", 0) == 0);
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);  // the reason's newline is neutralised
  CHECK(line.find("CÓ MẶT") != std::string::npos);
  CHECK(line.find("HUE-003 Tôn Nữ \"Hà\" (Đoàn Thừa Thiên Huế)") != std::string::npos);
  CHECK(line.find("bởi Thư ký Lan (thư ký)") != std::string::npos);
  CHECK(line.find("biểu quyết 9/12, đủ túc số") != std::string::npos);
}

TEST_CASE("an event for an unknown delegate still prints its code") {
  v1::Event event = checkInEvent();
  event.mutable_attendance_changed()->set_delegate_id(99);
  event.mutable_attendance_changed()->set_delegate_code("HN-099");
  event.mutable_attendance_changed()->set_present(false);
  const std::string text = eventText(event, StateMirror{});
  CHECK(text.find("VẮNG MẶT   HN-099 · thủ công") != std::string::npos);
  const std::string json = eventJson(event, StateMirror{});
  CHECK(json.find("delegateName") == std::string::npos);
  CHECK(json.find("\"delegation\":{\"id\":4,\"present\":3") != std::string::npos);
}

TEST_CASE("roster replaced and session events as JSON") {
  v1::Event replaced;
  replaced.set_seq(5);
  replaced.mutable_roster_replaced()->set_delegations(3);
  replaced.mutable_roster_replaced()->set_delegates(120);
  CHECK(eventJson(replaced, StateMirror{}) ==
        "{\"seq\":5,\"timeMs\":0,\"type\":\"roster_replaced\",\"delegations\":3,\"delegates\":120}");

  v1::Event opened;
  opened.set_seq(6);
  opened.mutable_session_opened()->mutable_principal()->set_role(v1::ROLE_KIOSK);
  opened.mutable_session_opened()->mutable_principal()->set_login("kiosk-1");
  opened.mutable_session_opened()->set_remote_address("10.0.0.7");
  CHECK(eventJson(opened, StateMirror{}) ==
        "{\"seq\":6,\"timeMs\":0,\"type\":\"session_opened\",\"principal\":{\"role\":\"kiosk\",\"accountId\":0,"
        "\"displayName\":\"\",\"login\":\"kiosk-1\"},\"remoteAddress\":\"10.0.0.7\"}");
  CHECK(eventText(opened, StateMirror{}).find("ĐĂNG NHẬP  kiosk-1 (ki-ốt điểm danh) từ 10.0.0.7") !=
        std::string::npos);
}

TEST_CASE("--delegation matches the name without regard to case, or the id") {
  v1::RosterReply roster;
  auto* hanoi = roster.add_delegations();
  hanoi->set_id(1);
  hanoi->set_name("Đoàn Hà Nội");
  auto* hue = roster.add_delegations();
  hue->set_id(2);
  hue->set_name("Đoàn Thừa Thiên Huế");
  CHECK(std::get<std::uint32_t>(findDelegationId(roster, "ĐOÀN HÀ NỘI")) == 1);
  CHECK(std::get<std::uint32_t>(findDelegationId(roster, "đoàn thừa thiên huế")) == 2);
  CHECK(std::get<std::uint32_t>(findDelegationId(roster, "2")) == 2);
  auto missing = findDelegationId(roster, "Đoàn Hải Phòng");
  REQUIRE(std::holds_alternative<CliError>(missing));
  CHECK(std::get<CliError>(missing).code == "ERROR_NOT_FOUND");
  CHECK(std::get<CliError>(missing).message.find("Đoàn Hà Nội") != std::string::npos);
}

TEST_CASE("roster output filtered by delegation") {
  v1::RosterReply roster;
  auto* hanoi = roster.add_delegations();
  hanoi->set_id(1);
  hanoi->set_name("Đoàn Hà Nội");
  auto* hue = roster.add_delegations();
  hue->set_id(2);
  hue->set_name("Đoàn Huế");
  auto* a = roster.add_delegates();
  a->set_id(1);
  a->set_code("HN-001");
  a->set_full_name("Nguyễn Văn An");
  a->set_delegation_id(1);
  a->set_voting(true);
  a->mutable_seat()->set_label("A-1");
  auto* b = roster.add_delegates();
  b->set_id(2);
  b->set_code("HUE-001");
  b->set_full_name("Lê Thị Bé");
  b->set_delegation_id(2);
  b->set_voting(false);

  const std::string json = rosterJson(roster, 2u);
  CHECK(json ==
        "{\"delegations\":[{\"id\":2,\"name\":\"Đoàn Huế\"}],\"delegates\":[{\"id\":2,\"code\":\"HUE-001\","
        "\"fullName\":\"Lê Thị Bé\",\"delegationId\":2,\"seat\":{\"label\":\"\",\"row\":0,\"column\":0},"
        "\"voting\":false}]}");
  const std::string text = rosterText(roster, std::nullopt);
  CHECK(text.find("HN-001   Nguyễn Văn An  Đoàn Hà Nội  A-1  có") != std::string::npos);
  CHECK(text.find("khách mời") != std::string::npos);
  CHECK(text.find("2 đại biểu (1 có quyền biểu quyết), 2 đoàn") != std::string::npos);
}

TEST_CASE("attendance text says whether the quorum is reached") {
  v1::AttendanceReply attendance;
  attendance.set_seq(9);
  attendance.mutable_totals()->set_present(5);
  attendance.mutable_totals()->set_present_voting(5);
  attendance.mutable_totals()->set_summoned(12);
  attendance.mutable_totals()->set_quorum_required(8);
  auto* count = attendance.add_delegation_counts();
  count->set_delegation_id(4);
  count->set_present(2);
  count->set_members(5);
  const std::string text = attendanceText(attendance, namesMirror());
  CHECK(text.find("CHƯA ĐỦ (thiếu 3)") != std::string::npos);
  CHECK(text.find("Đoàn Thừa Thiên Huế       2        5") != std::string::npos);
  CHECK(text.find("seq 9") != std::string::npos);
  CHECK(attendanceJson(attendance, namesMirror()) ==
        "{\"seq\":9,\"totals\":{\"present\":5,\"presentVoting\":5,\"summoned\":12,\"quorumRequired\":8,"
        "\"quorumReached\":false},\"delegations\":[{\"id\":4,\"name\":\"Đoàn Thừa Thiên Huế\",\"present\":2,"
        "\"members\":5}],\"presentDelegateIds\":[]}");
}
