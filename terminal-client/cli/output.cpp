#include "cli/output.hpp"

#include <ctime>

#include "cli/ballot_output.hpp"
#include "cli/discussion_output.hpp"
#include "cli/doc_output.hpp"
#include "cli/face_output.hpp"
#include "cli/json_writer.hpp"
#include "cli/text.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;

namespace {

std::string safe(std::string_view text) { return terminalSafe(text); }

std::string delegationName(const client::StateMirror& names, std::uint32_t id) {
  if (const auto* delegation = names.findDelegation(id)) {
    return delegation->name();
  }
  return "#" + std::to_string(id);
}

bool inDelegation(const v1::Delegate& delegate, std::optional<std::uint32_t> only) {
  return !only || delegate.delegation_id() == *only;
}

std::string rosterDelegationName(const v1::RosterReply& roster, std::uint32_t id) {
  for (const auto& delegation : roster.delegations()) {
    if (delegation.id() == id) {
      return delegation.name();
    }
  }
  return "#" + std::to_string(id);
}

}  // namespace

void writeTotals(JsonWriter& json, const v1::AttendanceTotals& totals) {
  json.beginObject()
      .key("present").value(totals.present())
      .key("presentVoting").value(totals.present_voting())
      .key("summoned").value(totals.summoned())
      .key("quorumRequired").value(totals.quorum_required())
      .key("quorumReached").value(totals.quorum_reached())
      .endObject();
}

std::uint32_t quorumMissing(const v1::AttendanceTotals& totals) {
  return totals.quorum_required() > totals.present_voting() ? totals.quorum_required() - totals.present_voting() : 0;
}

std::string quorumText(const v1::AttendanceTotals& totals) {
  if (totals.quorum_reached()) {
    return "đủ túc số";
  }
  return "chưa đủ túc số (thiếu " + std::to_string(quorumMissing(totals)) + ")";
}

std::string totalsSummary(const v1::AttendanceTotals& totals) {
  return "có mặt " + std::to_string(totals.present()) + ", biểu quyết " + std::to_string(totals.present_voting()) +
         "/" + std::to_string(totals.summoned()) + ", " + quorumText(totals);
}

std::string_view roleKey(v1::Role role) {
  switch (role) {
    case v1::ROLE_DELEGATE:
      return "delegate";
    case v1::ROLE_CHAIR:
      return "chair";
    case v1::ROLE_SECRETARY:
      return "secretary";
    case v1::ROLE_ORGANIZER:
      return "organizer";
    case v1::ROLE_KIOSK:
      return "kiosk";
    case v1::ROLE_DISPLAY:
      return "display";
    default:
      return "unspecified";
  }
}

std::string_view roleLabel(v1::Role role) {
  switch (role) {
    case v1::ROLE_DELEGATE:
      return "đại biểu";
    case v1::ROLE_CHAIR:
      return "chủ tọa";
    case v1::ROLE_SECRETARY:
      return "thư ký";
    case v1::ROLE_ORGANIZER:
      return "ban tổ chức";
    case v1::ROLE_KIOSK:
      return "ki-ốt điểm danh";
    case v1::ROLE_DISPLAY:
      return "màn hình";
    default:
      return "không rõ vai trò";
  }
}

std::string_view methodKey(v1::AttendanceMethod method) {
  switch (method) {
    case v1::ATTENDANCE_METHOD_MANUAL:
      return "manual";
    case v1::ATTENDANCE_METHOD_FACE:
      return "face";
    case v1::ATTENDANCE_METHOD_BADGE:
      return "badge";
    default:
      return "unspecified";
  }
}

std::string_view methodLabel(v1::AttendanceMethod method) {
  switch (method) {
    case v1::ATTENDANCE_METHOD_MANUAL:
      return "thủ công";
    case v1::ATTENDANCE_METHOD_FACE:
      return "nhận diện khuôn mặt";
    case v1::ATTENDANCE_METHOD_BADGE:
      return "quẹt thẻ";
    default:
      return "không rõ cách";
  }
}

std::string formatLocalTime(std::int64_t unixMs, bool withDate) {
  const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) {
    return std::to_string(unixMs);
  }
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, withDate ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &local);
  return std::string(buffer, length);
}

std::string principalText(const v1::Principal& principal) {
  std::string name = principal.display_name().empty() ? principal.login() : principal.display_name();
  if (name.empty()) {
    name = "#" + std::to_string(principal.account_id());
  }
  return safe(name) + " (" + std::string(roleLabel(principal.role())) + ")";
}

void writePrincipalJson(JsonWriter& json, const v1::Principal& principal) {
  json.beginObject()
      .key("role").value(roleKey(principal.role()))
      .key("accountId").value(principal.account_id())
      .key("displayName").value(principal.display_name())
      .key("login").value(principal.login())
      .endObject();
}

std::string errorJson(const CliError& error) {
  JsonWriter json;
  json.beginObject().key("error").beginObject();
  json.key("code").value(error.code).key("message").value(error.message);
  if (!error.csvProblems.empty()) {
    json.key("csvProblems").beginArray();
    for (const auto& problem : error.csvProblems) {
      json.beginObject().key("line").value(problem.line).key("reason").value(problem.reason).endObject();
    }
    json.endArray();
  }
  if (error.retryAfterMs != 0) {
    json.key("retryAfterMs").value(error.retryAfterMs);
  }
  json.endObject().endObject();
  return json.str();
}

std::string errorText(const CliError& error) {
  std::string out = "daihoi: " + safe(error.message);
  if (error.code != "ERROR_USAGE") {
    out += " [" + error.code + "]";
  }
  out += "\n";
  for (const auto& problem : error.csvProblems) {
    out += "  dòng " + std::to_string(problem.line) + ": " + safe(problem.reason) + "\n";
  }
  if (error.retryAfterMs != 0) {
    out += "  thử lại sau " + std::to_string(error.retryAfterMs) + " ms\n";
  }
  return out;
}

std::string whoamiText(const v1::SignInReply& reply) {
  const auto& principal = reply.principal();
  std::string out;
  if (!principal.display_name().empty()) {
    out += "Tài khoản:  " + safe(principal.display_name()) + "\n";
  }
  out += "Đăng nhập:  " + safe(principal.login()) + "\n";
  out += "Vai trò:    " + std::string(roleLabel(principal.role())) + "\n";
  out += "Mã số:      " + std::to_string(principal.account_id()) + "\n";
  if (reply.session_expires_ms() != 0) {
    out += "Phiên đến:  " + formatLocalTime(reply.session_expires_ms(), true) + "\n";
  }
  out += "Sự kiện:    seq " + std::to_string(reply.current_seq()) + "\n";
  return out;
}

std::string whoamiJson(const v1::SignInReply& reply) {
  JsonWriter json;
  json.beginObject().key("principal");
  writePrincipalJson(json, reply.principal());
  json.key("sessionExpiresMs").value(reply.session_expires_ms()).key("currentSeq").value(reply.current_seq());
  json.endObject();
  return json.str();
}

std::string congressText(const v1::Congress& congress) {
  std::string out;
  out += safe(congress.name()) + "\n";
  if (!congress.term().empty()) {
    out += "Nhiệm kỳ:   " + safe(congress.term()) + "\n";
  }
  if (!congress.venue().empty()) {
    out += "Địa điểm:   " + safe(congress.venue()) + "\n";
  }
  if (!congress.starts_on().empty() || !congress.ends_on().empty()) {
    out += "Thời gian:  " + safe(congress.starts_on()) + " – " + safe(congress.ends_on()) + "\n";
  }
  if (congress.quorum_denominator() != 0) {
    out += "Túc số:     " + std::to_string(congress.quorum_numerator()) + "/" +
           std::to_string(congress.quorum_denominator()) + " số đại biểu được triệu tập\n";
  }
  return out;
}

std::string congressJson(const v1::Congress& congress) {
  JsonWriter json;
  json.beginObject()
      .key("name").value(congress.name())
      .key("term").value(congress.term())
      .key("venue").value(congress.venue())
      .key("startsOn").value(congress.starts_on())
      .key("endsOn").value(congress.ends_on())
      .key("quorum").beginObject()
      .key("numerator").value(congress.quorum_numerator())
      .key("denominator").value(congress.quorum_denominator())
      .endObject()
      .endObject();
  return json.str();
}

std::variant<std::uint32_t, CliError> findDelegationId(const v1::RosterReply& roster, std::string_view name) {
  const std::string wanted = foldCase(name);
  for (const auto& delegation : roster.delegations()) {
    if (foldCase(delegation.name()) == wanted) {
      return delegation.id();
    }
  }
  for (const auto& delegation : roster.delegations()) {
    if (std::to_string(delegation.id()) == name) {
      return delegation.id();
    }
  }
  std::string known;
  for (const auto& delegation : roster.delegations()) {
    known += (known.empty() ? "" : ", ") + delegation.name();
  }
  return CliError{kExitRefused, "ERROR_NOT_FOUND",
                  "không có đoàn \"" + std::string(name) + "\"" + (known.empty() ? "" : "; các đoàn: " + known),
                  {},
                  0};
}

std::string rosterText(const v1::RosterReply& roster, std::optional<std::uint32_t> onlyDelegation) {
  TextTable table({"Mã", "Họ và tên", "Đoàn", "Ghế", "Biểu quyết"});
  std::uint32_t voting = 0;
  for (const auto& delegate : roster.delegates()) {
    if (!inDelegation(delegate, onlyDelegation)) {
      continue;
    }
    voting += delegate.voting() ? 1 : 0;
    table.addRow({delegate.code(), delegate.full_name(), rosterDelegationName(roster, delegate.delegation_id()),
                  delegate.seat().label(), delegate.voting() ? "có" : "khách mời"});
  }
  std::string out = table.render();
  out += std::to_string(table.rowCount()) + " đại biểu (" + std::to_string(voting) + " có quyền biểu quyết)";
  if (!onlyDelegation) {
    out += ", " + std::to_string(roster.delegations_size()) + " đoàn";
  }
  return out + "\n";
}

std::string rosterJson(const v1::RosterReply& roster, std::optional<std::uint32_t> onlyDelegation) {
  JsonWriter json;
  json.beginObject().key("delegations").beginArray();
  for (const auto& delegation : roster.delegations()) {
    if (onlyDelegation && delegation.id() != *onlyDelegation) {
      continue;
    }
    json.beginObject().key("id").value(delegation.id()).key("name").value(delegation.name()).endObject();
  }
  json.endArray().key("delegates").beginArray();
  for (const auto& delegate : roster.delegates()) {
    if (!inDelegation(delegate, onlyDelegation)) {
      continue;
    }
    json.beginObject()
        .key("id").value(delegate.id())
        .key("code").value(delegate.code())
        .key("fullName").value(delegate.full_name())
        .key("delegationId").value(delegate.delegation_id())
        .key("seat").beginObject()
        .key("label").value(delegate.seat().label())
        .key("row").value(delegate.seat().row())
        .key("column").value(delegate.seat().column())
        .endObject()
        .key("voting").value(delegate.voting())
        .endObject();
  }
  json.endArray().endObject();
  return json.str();
}

std::string attendanceText(const v1::AttendanceReply& attendance, const client::StateMirror& names) {
  const auto& totals = attendance.totals();
  std::string out;
  out += "Có mặt:     " + std::to_string(totals.present()) + " đại biểu\n";
  out += "Biểu quyết: " + std::to_string(totals.present_voting()) + "/" + std::to_string(totals.summoned()) +
         " đại biểu được triệu tập có mặt\n";
  out += "Túc số:     cần " + std::to_string(totals.quorum_required()) + " — " +
         (totals.quorum_reached() ? std::string("ĐÃ ĐỦ") : "CHƯA ĐỦ (thiếu " + std::to_string(quorumMissing(totals)) + ")") +
         "\n";
  if (attendance.delegation_counts_size() > 0) {
    out += "\n";
    TextTable table({"Đoàn", "Có mặt", "Tổng số"}, {Align::Left, Align::Right, Align::Right});
    for (const auto& count : attendance.delegation_counts()) {
      table.addRow({delegationName(names, count.delegation_id()), std::to_string(count.present()),
                    std::to_string(count.members())});
    }
    out += table.render();
  }
  out += "(trạng thái tại seq " + std::to_string(attendance.seq()) + ")\n";
  return out;
}

std::string attendanceJson(const v1::AttendanceReply& attendance, const client::StateMirror& names) {
  JsonWriter json;
  json.beginObject().key("seq").value(attendance.seq()).key("totals");
  writeTotals(json, attendance.totals());
  json.key("delegations").beginArray();
  for (const auto& count : attendance.delegation_counts()) {
    json.beginObject().key("id").value(count.delegation_id());
    if (const auto* delegation = names.findDelegation(count.delegation_id())) {
      json.key("name").value(delegation->name());
    }
    json.key("present").value(count.present()).key("members").value(count.members()).endObject();
  }
  json.endArray().key("presentDelegateIds").beginArray();
  for (std::uint32_t id : attendance.present_delegate_ids()) {
    json.value(id);
  }
  json.endArray().endObject();
  return json.str();
}

std::string attendanceChangeText(std::string_view code, bool present, const v1::AttendanceChangeReply& reply) {
  std::string out;
  if (reply.changed()) {
    out = std::string(present ? "Đã ghi nhận có mặt: " : "Đã ghi nhận vắng mặt: ") + safe(code) + " (seq " +
          std::to_string(reply.seq()) + ")\n";
    if (reply.changed_count() > 1) {
      out += std::to_string(reply.changed_count()) + " đại biểu thay đổi trạng thái\n";
    }
  } else {
    out = safe(code) + (present ? " đã có mặt từ trước; không có gì thay đổi\n"
                                : " đã vắng mặt từ trước; không có gì thay đổi\n");
  }
  if (reply.has_totals()) {
    out += "Hiện " + totalsSummary(reply.totals()) + "\n";
  }
  return out;
}

std::string attendanceChangeJson(std::string_view code, bool present, const v1::AttendanceChangeReply& reply) {
  JsonWriter json;
  json.beginObject()
      .key("delegateCode").value(code)
      .key("present").value(present)
      .key("changed").value(reply.changed())
      .key("changedCount").value(reply.changed_count())
      .key("seq").value(reply.seq())
      .key("totals");
  writeTotals(json, reply.totals());
  json.endObject();
  return json.str();
}

std::string importRosterText(const v1::ImportRosterReply& reply) {
  return "Đã nhập danh sách: " + std::to_string(reply.delegations()) + " đoàn, " +
         std::to_string(reply.delegates()) + " đại biểu\n";
}

std::string importRosterJson(const v1::ImportRosterReply& reply) {
  JsonWriter json;
  json.beginObject().key("delegations").value(reply.delegations()).key("delegates").value(reply.delegates()).endObject();
  return json.str();
}

std::string eventText(const v1::Event& event, const client::StateMirror& names) {
  return eventText(event, names, v1::DiscussionGroupsReply());
}

std::string eventJson(const v1::Event& event, const client::StateMirror& names) {
  return eventJson(event, names, v1::DiscussionGroupsReply());
}

std::string eventText(const v1::Event& event, const client::StateMirror& names,
                      const v1::DiscussionGroupsReply& groups) {
  std::string line = "#" + std::to_string(event.seq()) + " " + formatLocalTime(event.time_ms(), false) + "  ";
  switch (event.body_case()) {
    case v1::Event::kAttendanceChanged: {
      const auto& change = event.attendance_changed();
      line += change.present() ? "CÓ MẶT     " : "VẮNG MẶT   ";
      line += safe(change.delegate_code());
      const auto* delegate = names.findDelegate(change.delegate_id());
      if (delegate != nullptr) {
        line += " " + safe(delegate->full_name()) + " (" + safe(delegationName(names, delegate->delegation_id())) + ")";
      }
      line += " · " + std::string(methodLabel(change.method()));
      if (change.method() == v1::ATTENDANCE_METHOD_FACE && change.face_distance() > 0) {
        line += " (khoảng cách " + distanceText(change.face_distance()) + ")";
      }
      if (change.sitting_id() != 0) {
        line += " · phiên #" + std::to_string(change.sitting_id());
      }
      if (!change.reason().empty()) {
        line += " · lý do: " + safe(change.reason());
      }
      if (change.has_recorded_by()) {
        line += " · bởi " + principalText(change.recorded_by());
      }
      if (change.has_totals()) {
        line += " · " + totalsSummary(change.totals());
      }
      break;
    }
    case v1::Event::kRosterReplaced: {
      const auto& replaced = event.roster_replaced();
      line += "DANH SÁCH  thay mới: " + std::to_string(replaced.delegations()) + " đoàn, " +
              std::to_string(replaced.delegates()) + " đại biểu";
      if (replaced.has_replaced_by()) {
        line += " · bởi " + principalText(replaced.replaced_by());
      }
      break;
    }
    case v1::Event::kSessionOpened: {
      const auto& opened = event.session_opened();
      line += "ĐĂNG NHẬP  " + principalText(opened.principal());
      if (!opened.remote_address().empty()) {
        line += " từ " + safe(opened.remote_address());
      }
      break;
    }
    case v1::Event::kSessionClosed:
      line += "ĐĂNG XUẤT  " + principalText(event.session_closed().principal());
      break;
    case v1::Event::kBallotUpdated:
    case v1::Event::kVoteRecorded:
    case v1::Event::kBallotPublished:
    case v1::Event::kCountingCommitteeAppointed:
    case v1::Event::kVotingRulesChanged:
      line += ballotEventText(event, names);
      break;
    case v1::Event::kFaceAttemptUnresolved:
    case v1::Event::kRollCallTaken:
    case v1::Event::kSittingChanged:
    case v1::Event::kFaceEnrollmentChanged:
      line += faceEventText(event, names);
      break;
    case v1::Event::kDocumentPublished:
      line += documentEventText(event.document_published());
      break;
    case v1::Event::kDiscussionGroupsChanged:
    case v1::Event::kCommentAdded:
    case v1::Event::kCommentMarked:
    case v1::Event::kContributionDecided:
      line += discussionEventText(event, names, groups);
      break;
    case v1::Event::BODY_NOT_SET:
      line += "SỰ KIỆN    (loại mới, client này chưa biết)";
      break;
  }
  return line + "\n";
}

std::string eventJson(const v1::Event& event, const client::StateMirror& names,
                      const v1::DiscussionGroupsReply& groups) {
  JsonWriter json;
  json.beginObject().key("seq").value(event.seq()).key("timeMs").value(event.time_ms());
  switch (event.body_case()) {
    case v1::Event::kAttendanceChanged: {
      const auto& change = event.attendance_changed();
      json.key("type").value("attendance_changed")
          .key("delegateId").value(change.delegate_id())
          .key("delegateCode").value(change.delegate_code());
      if (const auto* delegate = names.findDelegate(change.delegate_id())) {
        json.key("delegateName").value(delegate->full_name());
      }
      json.key("present").value(change.present())
          .key("method").value(methodKey(change.method()))
          .key("reason").value(change.reason());
      if (change.has_recorded_by()) {
        json.key("recordedBy");
        writePrincipalJson(json, change.recorded_by());
      }
      if (change.has_totals()) {
        json.key("totals");
        writeTotals(json, change.totals());
      }
      if (change.has_delegation()) {
        const auto& count = change.delegation();
        json.key("delegation").beginObject().key("id").value(count.delegation_id());
        if (const auto* delegation = names.findDelegation(count.delegation_id())) {
          json.key("name").value(delegation->name());
        }
        json.key("present").value(count.present()).key("members").value(count.members()).endObject();
      }
      if (change.method() == v1::ATTENDANCE_METHOD_FACE) {
        json.key("faceDistance").number(change.face_distance(), 4);
      }
      if (change.sitting_id() != 0) {
        json.key("sittingId").value(change.sitting_id());
      }
      break;
    }
    case v1::Event::kRosterReplaced: {
      const auto& replaced = event.roster_replaced();
      json.key("type").value("roster_replaced")
          .key("delegations").value(replaced.delegations())
          .key("delegates").value(replaced.delegates());
      if (replaced.has_replaced_by()) {
        json.key("replacedBy");
        writePrincipalJson(json, replaced.replaced_by());
      }
      break;
    }
    case v1::Event::kSessionOpened:
      json.key("type").value("session_opened").key("principal");
      writePrincipalJson(json, event.session_opened().principal());
      json.key("remoteAddress").value(event.session_opened().remote_address());
      break;
    case v1::Event::kSessionClosed:
      json.key("type").value("session_closed").key("principal");
      writePrincipalJson(json, event.session_closed().principal());
      break;
    case v1::Event::kBallotUpdated:
    case v1::Event::kVoteRecorded:
    case v1::Event::kBallotPublished:
    case v1::Event::kCountingCommitteeAppointed:
    case v1::Event::kVotingRulesChanged:
      writeBallotEventJson(json, event, names);
      break;
    case v1::Event::kFaceAttemptUnresolved:
    case v1::Event::kRollCallTaken:
    case v1::Event::kSittingChanged:
    case v1::Event::kFaceEnrollmentChanged:
      writeFaceEventJson(json, event, names);
      break;
    case v1::Event::kDocumentPublished:
      writeDocumentEventJson(json, event.document_published());
      break;
    case v1::Event::kDiscussionGroupsChanged:
    case v1::Event::kCommentAdded:
    case v1::Event::kCommentMarked:
    case v1::Event::kContributionDecided:
      writeDiscussionEventJson(json, event, groups);
      break;
    case v1::Event::BODY_NOT_SET:
      json.key("type").value("unknown");
      break;
  }
  json.endObject();
  return json.str();
}

}  // namespace daihoi::cli
