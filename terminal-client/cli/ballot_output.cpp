#include "cli/ballot_output.hpp"

#include <algorithm>
#include <map>

#include "cli/json_writer.hpp"
#include "cli/output.hpp"
#include "cli/text.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;

namespace {

std::string safe(std::string_view text) { return terminalSafe(text); }

std::string ballotRef(std::uint32_t id) {
  // Appended rather than "#" + to_string(id): GCC 12 warns falsely (-Wrestrict) on that in release builds.
  std::string ref = "#";
  ref += std::to_string(id);
  return ref;
}

std::string optionLabel(const v1::BallotDefinition& definition, std::uint32_t index) {
  if (index < static_cast<std::uint32_t>(definition.options_size())) {
    return definition.options(static_cast<int>(index));
  }
  return "phương án " + std::to_string(index + 1);
}

bool isElection(const v1::BallotDefinition& definition) { return definition.kind() == v1::BALLOT_KIND_ELECTION; }

std::string fractionText(const v1::Fraction& fraction) {
  return std::to_string(fraction.numerator()) + "/" + std::to_string(fraction.denominator());
}

// "63,8 %" (Vietnamese decimal comma), rounded half up in integers; "–" without a base.
std::string percentText(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) {
    return "–";
  }
  const std::uint64_t permille = (part * 2000 + whole) / (whole * 2);
  return std::to_string(permille / 10) + "," + std::to_string(permille % 10) + " %";
}

std::string delegateText(const client::StateMirror& names, std::uint32_t delegateId) {
  if (const v1::Delegate* delegate = names.findDelegate(delegateId)) {
    return safe(delegate->code()) + " " + safe(delegate->full_name());
  }
  return "đại biểu #" + std::to_string(delegateId);
}

std::string delegationNameOf(const client::StateMirror& names, std::uint32_t delegationId) {
  if (const v1::Delegation* delegation = names.findDelegation(delegationId)) {
    return delegation->name();
  }
  return "#" + std::to_string(delegationId);
}

// "1/2"; "3 (cần 2)" once more members confirmed than needed.
std::string confirmationsText(std::uint32_t confirmations, std::uint32_t needed) {
  if (confirmations > needed) {
    return std::to_string(confirmations) + " (cần " + std::to_string(needed) + ")";
  }
  return std::to_string(confirmations) + "/" + std::to_string(needed);
}

std::string byText(const v1::Principal& by) { return " · bởi " + principalText(by); }

std::string participationText(const v1::Ballot& ballot) {
  return "đã bỏ phiếu " + std::to_string(ballot.votes_cast()) + "/" + std::to_string(ballot.eligible());
}

// "ĐANG MỞ đến 10:30:00 · đã bỏ phiếu 120/480", one line.
std::string statusSummary(const v1::Ballot& ballot) {
  std::string out;
  switch (ballot.status()) {
    case v1::BALLOT_STATUS_OPEN:
      out = "ĐANG MỞ";
      if (ballot.deadline_ms() != 0) {
        out += " đến " + formatLocalTime(ballot.deadline_ms(), false);
      }
      return out + " · " + std::to_string(ballot.eligible()) + " đại biểu được biểu quyết · " +
             participationText(ballot);
    case v1::BALLOT_STATUS_CLOSED:
      out = ballot.closed_by_deadline() ? "ĐÃ ĐÓNG (hết giờ)" : "ĐÃ ĐÓNG";
      out += " · " + participationText(ballot);
      if (ballot.confirmations_needed() != 0) {
        out += " · Ban kiểm phiếu xác nhận " + confirmationsText(ballot.confirmations(), ballot.confirmations_needed());
      }
      return out;
    case v1::BALLOT_STATUS_PUBLISHED:
      return "ĐÃ CÔNG BỐ · " + participationText(ballot);
    case v1::BALLOT_STATUS_CANCELLED:
      return ballot.cancel_reason().empty() ? "ĐÃ HỦY" : "ĐÃ HỦY: " + safe(ballot.cancel_reason());
    case v1::BALLOT_STATUS_DRAFT:
      return "NHÁP";
    default:
      return std::string(ballotStatusLabel(ballot.status()));
  }
}

std::string selectionHint(const v1::BallotDefinition& definition) {
  const std::string options = std::to_string(definition.options_size());
  switch (definition.kind()) {
    case v1::BALLOT_KIND_MOTION:
      return "chọn 1 phương án";
    case v1::BALLOT_KIND_ELECTION:
      return "bầu " + std::to_string(definition.seats()) + " trong " + options +
             " ứng cử viên: giữ lại nhiều nhất " + std::to_string(definition.max_selections()) + " người";
    case v1::BALLOT_KIND_MULTIPLE_CHOICE:
      if (definition.min_selections() == definition.max_selections()) {
        return "chọn đúng " + std::to_string(definition.min_selections()) + " trong " + options + " phương án";
      }
      return "chọn từ " + std::to_string(definition.min_selections()) + " đến " +
             std::to_string(definition.max_selections()) + " trong " + options + " phương án";
    default:
      return "";
  }
}

// The delegate's own standing, for the mirror of a delegate's terminal.
std::string ownStanding(const v1::Ballot& ballot) {
  if (ballot.you_have_voted()) {
    return "bạn đã bỏ phiếu";
  }
  if (ballot.you_are_eligible()) {
    return ballot.status() == v1::BALLOT_STATUS_OPEN ? "bạn chưa bỏ phiếu" : "bạn không bỏ phiếu";
  }
  return ballot.opened_ms() != 0 ? "bạn không thuộc danh sách biểu quyết" : "";
}

// A ballot as `ballot list` shows it: a heading, the title, the rule of choosing, numbered options.
std::string ballotBlock(const v1::Ballot& ballot, bool delegateView) {
  const auto& definition = ballot.definition();
  std::string out = padRight(ballotRef(definition.id()), 4) + " " + std::string(ballotKindLabel(definition.kind())) +
                    " · " + std::string(ballotModeLabel(definition.mode())) + " · " + statusSummary(ballot) + "\n";
  out += "     " + safe(definition.title());
  if (!definition.agenda_item().empty()) {
    out += " (" + safe(definition.agenda_item()) + ")";
  }
  if (definition.runoff_of() != 0) {
    out += " — vòng sau của " + ballotRef(definition.runoff_of());
  }
  out += "\n     " + selectionHint(definition);
  if (definition.allow_changes()) {
    out += " · được đổi phiếu";
  }
  if (delegateView) {
    if (const std::string standing = ownStanding(ballot); !standing.empty()) {
      out += " · " + standing;
    }
  }
  out += "\n";
  const std::size_t numberWidth = std::to_string(definition.options_size()).size();
  for (int i = 0; i < definition.options_size(); ++i) {
    out += "     " + padLeft(std::to_string(i + 1), numberWidth) + ". " + safe(definition.options(i)) + "\n";
  }
  return out;
}

void writeFraction(JsonWriter& json, const v1::Fraction& fraction) {
  json.beginObject()
      .key("numerator").value(fraction.numerator())
      .key("denominator").value(fraction.denominator())
      .endObject();
}

void writeMajority(JsonWriter& json, const v1::MajorityRule& rule) {
  json.beginObject()
      .key("base").value(majorityBaseKey(rule.base()))
      .key("threshold").value(rule.threshold() == v1::THRESHOLD_AT_LEAST ? "at-least" : "more-than")
      .key("fraction");
  writeFraction(json, rule.fraction());
  json.endObject();
}

std::string_view emptyBallotKey(v1::EmptyBallot policy) {
  switch (policy) {
    case v1::EMPTY_BALLOT_INVALID:
      return "invalid";
    case v1::EMPTY_BALLOT_BLANK:
      return "blank";
    default:
      return "unspecified";
  }
}

void writeOptions(JsonWriter& json, const v1::BallotDefinition& definition,
                  const google::protobuf::RepeatedField<std::uint32_t>& indices) {
  json.beginArray();
  for (std::uint32_t index : indices) {
    json.beginObject().key("number").value(index + 1).key("label").value(optionLabel(definition, index)).endObject();
  }
  json.endArray();
}

void writeBallot(JsonWriter& json, const v1::Ballot& ballot) {
  const auto& definition = ballot.definition();
  json.beginObject()
      .key("id").value(definition.id())
      .key("title").value(definition.title())
      .key("agendaItem").value(definition.agenda_item())
      .key("kind").value(ballotKindKey(definition.kind()))
      .key("mode").value(ballotModeKey(definition.mode()))
      .key("status").value(ballotStatusKey(ballot.status()))
      .key("options").beginArray();
  for (int i = 0; i < definition.options_size(); ++i) {
    json.beginObject().key("number").value(i + 1).key("label").value(definition.options(i)).endObject();
  }
  json.endArray()
      .key("seats").value(definition.seats())
      .key("minSelections").value(definition.min_selections())
      .key("maxSelections").value(definition.max_selections())
      .key("majority");
  writeMajority(json, definition.majority());
  json.key("emptyBallot").value(emptyBallotKey(definition.empty_ballot())).key("participationQuorum");
  writeFraction(json, definition.participation_quorum());
  json.key("requireCongressQuorum").value(definition.require_congress_quorum())
      .key("allowChanges").value(definition.allow_changes())
      .key("confirmationRequired").value(definition.confirmation_required())
      .key("durationMs").value(definition.duration_ms())
      .key("runoffOf").value(definition.runoff_of())
      .key("createdMs").value(ballot.created_ms())
      .key("openedMs").value(ballot.opened_ms())
      .key("deadlineMs").value(ballot.deadline_ms())
      .key("closedMs").value(ballot.closed_ms())
      .key("closedByDeadline").value(ballot.closed_by_deadline())
      .key("publishedMs").value(ballot.published_ms())
      .key("cancelledMs").value(ballot.cancelled_ms())
      .key("cancelReason").value(ballot.cancel_reason())
      .key("eligible").value(ballot.eligible())
      .key("summoned").value(ballot.summoned())
      .key("votesCast").value(ballot.votes_cast())
      .key("confirmations").value(ballot.confirmations())
      .key("confirmationsNeeded").value(ballot.confirmations_needed())
      .key("youAreEligible").value(ballot.you_are_eligible())
      .key("youHaveVoted").value(ballot.you_have_voted())
      .endObject();
}

void writeResult(JsonWriter& json, const v1::BallotResult& result) {
  const auto& definition = result.ballot().definition();
  const auto& tally = result.tally();
  json.beginObject().key("ballot");
  writeBallot(json, result.ballot());
  if (result.has_tally()) {
    json.key("tally").beginObject()
        .key("eligible").value(tally.eligible())
        .key("summoned").value(tally.summoned())
        .key("votesCast").value(tally.votes_cast())
        .key("valid").value(tally.valid())
        .key("blank").value(tally.blank())
        .key("invalid").value(tally.invalid())
        .key("base").value(tally.base())
        .key("baseKind").value(majorityBaseKey(definition.majority().base()))
        .key("required").value(tally.required())
        .key("participationRequired").value(tally.participation_required())
        .key("participationMet").value(tally.participation_met())
        .key("outcome").value(outcomeKey(tally.outcome()))
        .key("options").beginArray();
    for (int i = 0; i < tally.votes_size(); ++i) {
      json.beginObject()
          .key("number").value(i + 1)
          .key("label").value(optionLabel(definition, static_cast<std::uint32_t>(i)))
          .key("votes").value(tally.votes(i))
          .endObject();
    }
    json.endArray().key("ranking");
    writeOptions(json, definition, tally.ranking());
    json.key("elected");
    writeOptions(json, definition, tally.elected());
    json.key("tiedForLastSeat");
    writeOptions(json, definition, tally.tied_for_last_seat());
    json.key("seatsUnfilled").value(tally.seats_unfilled()).key("needsRunoff").value(tally.needs_runoff()).endObject();
  }
  json.key("confirmedBy").beginArray();
  for (const auto& principal : result.confirmed_by()) {
    writePrincipalJson(json, principal);
  }
  json.endArray().endObject();
}

void writeRules(JsonWriter& json, const v1::VotingRules& rules) {
  json.beginObject().key("preset").value(presetKey(rules.preset())).key("motion");
  writeMajority(json, rules.motion());
  json.key("election");
  writeMajority(json, rules.election());
  json.key("multipleChoice");
  writeMajority(json, rules.multiple_choice());
  json.key("emptyElectionBallot").value(emptyBallotKey(rules.empty_election_ballot()))
      .key("requireCongressQuorumToOpen").value(rules.require_congress_quorum_to_open())
      .key("participationQuorum");
  writeFraction(json, rules.participation_quorum());
  json.endObject();
}

void writeChoices(JsonWriter& json, const v1::Ballot* ballot, const std::vector<std::uint32_t>& choices) {
  json.beginArray();
  for (std::uint32_t index : choices) {
    json.beginObject().key("number").value(index + 1);
    if (ballot != nullptr) {
      json.key("label").value(optionLabel(ballot->definition(), index));
    }
    json.endObject();
  }
  json.endArray();
}

std::string joinedLabels(const v1::BallotDefinition& definition,
                         const google::protobuf::RepeatedField<std::uint32_t>& indices, std::string_view separator) {
  std::string out;
  for (std::uint32_t index : indices) {
    out += (out.empty() ? "" : std::string(separator)) + optionLabel(definition, index);
  }
  return out;
}

std::string outcomeSummary(const v1::BallotResult& result) {
  const auto& tally = result.tally();
  std::string out(outcomeLabel(tally.outcome()));
  if (isElection(result.ballot().definition()) && tally.elected_size() > 0) {
    out += " · trúng cử: " + safe(joinedLabels(result.ballot().definition(), tally.elected(), ", "));
  }
  return out;
}

}  // namespace

std::string_view ballotKindKey(v1::BallotKind kind) {
  switch (kind) {
    case v1::BALLOT_KIND_MOTION:
      return "motion";
    case v1::BALLOT_KIND_ELECTION:
      return "election";
    case v1::BALLOT_KIND_MULTIPLE_CHOICE:
      return "multiple-choice";
    default:
      return "unspecified";
  }
}

std::string_view ballotKindLabel(v1::BallotKind kind) {
  switch (kind) {
    case v1::BALLOT_KIND_MOTION:
      return "biểu quyết";
    case v1::BALLOT_KIND_ELECTION:
      return "bầu cử";
    case v1::BALLOT_KIND_MULTIPLE_CHOICE:
      return "nhiều lựa chọn";
    default:
      return "không rõ loại";
  }
}

std::string_view ballotModeKey(v1::BallotMode mode) {
  switch (mode) {
    case v1::BALLOT_MODE_NAMED:
      return "named";
    case v1::BALLOT_MODE_SECRET:
      return "secret";
    default:
      return "unspecified";
  }
}

std::string_view ballotModeLabel(v1::BallotMode mode) {
  switch (mode) {
    case v1::BALLOT_MODE_NAMED:
      return "công khai";
    case v1::BALLOT_MODE_SECRET:
      return "bỏ phiếu kín";
    default:
      return "không rõ hình thức";
  }
}

std::string_view ballotStatusKey(v1::BallotStatus status) {
  switch (status) {
    case v1::BALLOT_STATUS_DRAFT:
      return "draft";
    case v1::BALLOT_STATUS_OPEN:
      return "open";
    case v1::BALLOT_STATUS_CLOSED:
      return "closed";
    case v1::BALLOT_STATUS_PUBLISHED:
      return "published";
    case v1::BALLOT_STATUS_CANCELLED:
      return "cancelled";
    default:
      return "unspecified";
  }
}

std::string_view ballotStatusLabel(v1::BallotStatus status) {
  switch (status) {
    case v1::BALLOT_STATUS_DRAFT:
      return "nháp";
    case v1::BALLOT_STATUS_OPEN:
      return "đang mở";
    case v1::BALLOT_STATUS_CLOSED:
      return "đã đóng";
    case v1::BALLOT_STATUS_PUBLISHED:
      return "đã công bố";
    case v1::BALLOT_STATUS_CANCELLED:
      return "đã hủy";
    default:
      return "không rõ trạng thái";
  }
}

std::string_view outcomeKey(v1::Outcome outcome) {
  switch (outcome) {
    case v1::OUTCOME_ADOPTED:
      return "adopted";
    case v1::OUTCOME_REJECTED:
      return "rejected";
    case v1::OUTCOME_DECIDED:
      return "decided";
    case v1::OUTCOME_INCOMPLETE:
      return "incomplete";
    case v1::OUTCOME_NO_PARTICIPATION_QUORUM:
      return "no-participation-quorum";
    default:
      return "unspecified";
  }
}

std::string_view outcomeLabel(v1::Outcome outcome) {
  switch (outcome) {
    case v1::OUTCOME_ADOPTED:
      return "THÔNG QUA";
    case v1::OUTCOME_REJECTED:
      return "KHÔNG THÔNG QUA";
    case v1::OUTCOME_DECIDED:
      return "ĐÃ CÓ KẾT QUẢ";
    case v1::OUTCOME_INCOMPLETE:
      return "CHƯA ĐỦ — cần bầu tiếp";
    case v1::OUTCOME_NO_PARTICIPATION_QUORUM:
      return "KHÔNG ĐỦ SỐ ĐẠI BIỂU THAM GIA";
    default:
      return "CHƯA CÓ KẾT QUẢ";
  }
}

std::string_view majorityBaseKey(v1::MajorityBase base) {
  switch (base) {
    case v1::MAJORITY_BASE_VOTES_CAST:
      return "votes-cast";
    case v1::MAJORITY_BASE_VALID_BALLOTS:
      return "valid-ballots";
    case v1::MAJORITY_BASE_PRESENT_ELIGIBLE:
      return "present-eligible";
    case v1::MAJORITY_BASE_SUMMONED:
      return "summoned";
    default:
      return "unspecified";
  }
}

std::string_view majorityBaseLabel(v1::MajorityBase base) {
  switch (base) {
    case v1::MAJORITY_BASE_VOTES_CAST:
      return "số phiếu thu về";
    case v1::MAJORITY_BASE_VALID_BALLOTS:
      return "số phiếu hợp lệ";
    case v1::MAJORITY_BASE_PRESENT_ELIGIBLE:
      return "số đại biểu có mặt được biểu quyết";
    case v1::MAJORITY_BASE_SUMMONED:
      return "số đại biểu được triệu tập";
    default:
      return "không rõ căn cứ";
  }
}

std::string_view presetKey(v1::RulePreset preset) {
  switch (preset) {
    case v1::RULE_PRESET_PARTY_STATUTE:
      return "party-statute";
    case v1::RULE_PRESET_GENERIC:
      return "generic";
    default:
      return "unspecified";
  }
}

std::string majorityRuleText(const v1::MajorityRule& rule) {
  return std::string(rule.threshold() == v1::THRESHOLD_AT_LEAST ? "ít nhất " : "hơn ") +
         fractionText(rule.fraction()) + " " + std::string(majorityBaseLabel(rule.base()));
}

std::variant<std::vector<std::uint32_t>, CliError> resolveChoices(const v1::Ballot* ballot, std::uint32_t ballotId,
                                                                  const std::vector<std::string>& choices, bool none) {
  if (none) {
    if (ballot != nullptr && !isElection(ballot->definition())) {
      return usageError("--none is for election ballots; ballot " + ballotRef(ballotId) + " is a " +
                        std::string(ballotKindKey(ballot->definition().kind())));
    }
    return std::vector<std::uint32_t>{};
  }
  const int optionCount = ballot != nullptr ? ballot->definition().options_size() : 0;
  const auto known = [&] {
    std::string list;
    for (int i = 0; i < optionCount; ++i) {
      list += (i == 0 ? "" : ", ") + std::to_string(i + 1) + ". " + ballot->definition().options(i);
    }
    return list;
  };
  std::vector<std::uint32_t> indices;
  for (const std::string& choice : choices) {
    std::optional<std::uint32_t> index;
    const bool numeric = !choice.empty() && choice.size() <= 9 &&
                         std::all_of(choice.begin(), choice.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric) {
      const std::uint32_t number = static_cast<std::uint32_t>(std::stoul(choice));
      if (number == 0 || (ballot != nullptr && number > static_cast<std::uint32_t>(optionCount))) {
        return usageError("ballot " + ballotRef(ballotId) + " has no option " + choice +
                          (ballot != nullptr ? "; its options: " + known() : ""));
      }
      index = number - 1;
    } else if (ballot != nullptr) {
      for (int i = 0; i < optionCount && !index; ++i) {
        if (ballot->definition().options(i) == choice) {
          index = static_cast<std::uint32_t>(i);
        }
      }
      for (int i = 0; i < optionCount && !index; ++i) {
        if (foldCase(ballot->definition().options(i)) == foldCase(choice)) {
          index = static_cast<std::uint32_t>(i);
        }
      }
      if (!index) {
        return usageError("ballot " + ballotRef(ballotId) + " has no option \"" + choice + "\"; its options: " +
                          known());
      }
    } else {
      return usageError("ballot " + ballotRef(ballotId) +
                        " is not among the ballots you may see: give option numbers, or check `daihoi ballot list`");
    }
    if (std::find(indices.begin(), indices.end(), *index) != indices.end()) {
      return usageError("option " + std::to_string(*index + 1) + " is chosen twice");
    }
    indices.push_back(*index);
  }
  return indices;
}

std::string ballotListText(const v1::BallotsReply& reply, const client::StateMirror& names) {
  if (reply.ballots_size() == 0) {
    return "Chưa có phiếu biểu quyết nào\n";
  }
  const bool delegateView = names.ownDelegate().has_value();
  std::string out;
  for (const auto& ballot : reply.ballots()) {
    out += ballotBlock(ballot, delegateView) + "\n";
  }
  out += std::to_string(reply.ballots_size()) + " phiếu";
  if (reply.counting_committee_size() > 0) {
    out += "; Ban kiểm phiếu " + std::to_string(reply.counting_committee_size()) + " thành viên";
  }
  return out + "\n";
}

std::string ballotListJson(const v1::BallotsReply& reply) {
  JsonWriter json;
  json.beginObject().key("ballots").beginArray();
  for (const auto& ballot : reply.ballots()) {
    writeBallot(json, ballot);
  }
  json.endArray().key("countingCommittee").beginArray();
  for (std::uint32_t id : reply.counting_committee()) {
    json.value(id);
  }
  json.endArray().endObject();
  return json.str();
}

namespace {

std::string_view actionKey(BallotAction action) {
  switch (action) {
    case BallotAction::Created:
      return "created";
    case BallotAction::RunoffCreated:
      return "runoff_created";
    case BallotAction::Opened:
      return "opened";
    case BallotAction::Closed:
      return "closed";
    case BallotAction::Confirmed:
      return "confirmed";
    case BallotAction::Published:
      return "published";
    case BallotAction::Cancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace

std::string ballotActionText(BallotAction action, const v1::BallotReply& reply) {
  const v1::Ballot& ballot = reply.ballot();
  const std::uint32_t id = ballot.definition().id();
  const std::string ref = ballotRef(id);
  const std::string title = safe(ballot.definition().title());
  std::string out;
  switch (action) {
    case BallotAction::Created:
      out = "Đã tạo phiếu " + ref + " (nháp)\n" + ballotBlock(ballot, false) +
            "Mở phiếu (chủ tọa): daihoi ballot open " + std::to_string(id) + "\n";
      break;
    case BallotAction::RunoffCreated:
      out = "Đã tạo phiếu bầu tiếp " + ref + " (nháp), vòng sau của " + ballotRef(ballot.definition().runoff_of()) +
            "\n" + ballotBlock(ballot, false);
      break;
    case BallotAction::Opened:
      out = "Đã mở phiếu " + ref + ": " + title + "\n" + std::to_string(ballot.eligible()) +
            " đại biểu được biểu quyết";
      out += ballot.deadline_ms() != 0 ? ", tự đóng lúc " + formatLocalTime(ballot.deadline_ms(), false) + "\n"
                                       : "; đóng bằng: daihoi ballot close " + std::to_string(id) + "\n";
      break;
    case BallotAction::Closed:
      out = "Đã đóng phiếu " + ref + ": " + title + " — " + participationText(ballot) + "\n";
      if (ballot.confirmations_needed() != 0) {
        out += "Cần Ban kiểm phiếu xác nhận trước khi công bố (" +
               confirmationsText(ballot.confirmations(), ballot.confirmations_needed()) +
               "): daihoi confirm " + std::to_string(id) + "\n";
      }
      out += "Xem kết quả: daihoi results " + std::to_string(id) + "\n";
      break;
    case BallotAction::Confirmed:
      out = "Đã xác nhận kết quả kiểm phiếu " + ref + ": " + title + " (xác nhận " +
            confirmationsText(ballot.confirmations(), ballot.confirmations_needed()) + ")\n";
      break;
    case BallotAction::Published:
      out = "Đã công bố kết quả phiếu " + ref + ": " + title + "\n";
      break;
    case BallotAction::Cancelled:
      out = "Đã hủy phiếu " + ref + ": " + title + " (lý do: " + safe(ballot.cancel_reason()) + ")\n";
      break;
  }
  return out + "(seq " + std::to_string(reply.seq()) + ")\n";
}

std::string ballotActionJson(BallotAction action, const v1::BallotReply& reply) {
  JsonWriter json;
  json.beginObject().key("action").value(actionKey(action)).key("seq").value(reply.seq()).key("ballot");
  writeBallot(json, reply.ballot());
  json.endObject();
  return json.str();
}

std::string voteText(const v1::CastVoteReply& reply, const v1::Ballot* ballot,
                     const std::vector<std::uint32_t>& choices) {
  std::string out = "Đã ghi nhận phiếu của bạn — phiếu " + ballotRef(reply.ballot_id());
  if (ballot != nullptr) {
    out += ": " + safe(ballot->definition().title());
  }
  out += "\n";
  if (reply.repeated()) {
    out += "(phiếu này đã được ghi nhận từ lần gửi trước; biên nhận không đổi)\n";
  } else if (reply.replaced()) {
    out += "(thay cho phiếu bạn bỏ trước đó)\n";
  }
  std::string chosen;
  for (std::uint32_t index : choices) {
    chosen += (chosen.empty() ? "" : "; ") + std::to_string(index + 1) +
              (ballot != nullptr ? ". " + safe(optionLabel(ballot->definition(), index)) : "");
  }
  out += "Lựa chọn:   " + (chosen.empty() ? std::string("không giữ lại ai") : chosen) + "\n";
  out += "Biên nhận:  " + safe(reply.receipt()) + "\n";
  out += "Giữ biên nhận để kiểm tra phiếu đã được đếm: daihoi verify " + std::to_string(reply.ballot_id()) + " " +
         safe(reply.receipt()) + "\n";
  return out;
}

std::string voteJson(const v1::CastVoteReply& reply, const v1::Ballot* ballot,
                     const std::vector<std::uint32_t>& choices) {
  JsonWriter json;
  json.beginObject()
      .key("ballotId").value(reply.ballot_id())
      .key("receipt").value(reply.receipt())
      .key("replaced").value(reply.replaced())
      .key("repeated").value(reply.repeated())
      .key("seq").value(reply.seq())
      .key("choices");
  writeChoices(json, ballot, choices);
  json.endObject();
  return json.str();
}

std::string resultText(const v1::BallotResult& result) {
  const v1::Ballot& ballot = result.ballot();
  const auto& definition = ballot.definition();
  const auto& tally = result.tally();
  std::string out = "Phiếu " + ballotRef(definition.id()) + ": " + safe(definition.title()) + "\n";
  out += std::string(ballotKindLabel(definition.kind())) + " · " + std::string(ballotModeLabel(definition.mode())) +
         " · " + std::string(ballotStatusLabel(ballot.status())) + "\n";
  if (!result.has_tally()) {
    return out + "Chưa có kết quả kiểm phiếu\n";
  }
  out += "Đại biểu:      " + std::to_string(tally.eligible()) + " được biểu quyết, " +
         std::to_string(tally.summoned()) + " được triệu tập\n";
  out += "Phiếu thu về:  " + std::to_string(tally.votes_cast()) + " — hợp lệ " + std::to_string(tally.valid()) +
         " (trong đó " + std::to_string(tally.blank()) + " phiếu trắng), không hợp lệ " +
         std::to_string(tally.invalid()) + "\n";
  out += "Căn cứ tính:   " + std::to_string(tally.base()) + " (" +
         std::string(majorityBaseLabel(definition.majority().base())) + ")\n";
  out += "Cần đạt:       ít nhất " + std::to_string(tally.required()) + " phiếu (" +
         majorityRuleText(definition.majority()) + ")\n";
  if (tally.participation_required() != 0 || !tally.participation_met()) {
    out += "Tham gia:      cần " + std::to_string(tally.participation_required()) + " phiếu — " +
           (tally.participation_met() ? "đạt" : "KHÔNG ĐẠT") + "\n";
  }
  out += "\n";
  const bool election = isElection(definition);
  const auto contains = [](const auto& list, std::uint32_t index) {
    return std::find(list.begin(), list.end(), index) != list.end();
  };
  TextTable table({"#", election ? "Ứng cử viên" : "Phương án", "Số phiếu", "Tỷ lệ", ""},
                  {Align::Right, Align::Left, Align::Right, Align::Right, Align::Left});
  for (int i = 0; i < tally.votes_size(); ++i) {
    const auto index = static_cast<std::uint32_t>(i);
    std::string mark;
    if (contains(tally.elected(), index)) {
      mark = "trúng cử";
    } else if (contains(tally.tied_for_last_seat(), index)) {
      mark = "bằng phiếu ở ghế cuối";
    }
    table.addRow({std::to_string(i + 1), optionLabel(definition, index), std::to_string(tally.votes(i)),
                  percentText(tally.votes(i), tally.base()), mark});
  }
  out += table.render() + "\n";
  out += "Kết quả:       " + std::string(outcomeLabel(tally.outcome())) + "\n";
  if (tally.elected_size() > 0) {
    std::string elected;
    for (int rank = 0; rank < tally.elected_size(); ++rank) {
      const std::uint32_t index = tally.elected(rank);
      const std::uint32_t votes =
          index < static_cast<std::uint32_t>(tally.votes_size()) ? tally.votes(static_cast<int>(index)) : 0;
      elected += (rank == 0 ? "" : ", ") + std::to_string(rank + 1) + ". " + safe(optionLabel(definition, index)) +
                 " (" + std::to_string(votes) + ")";
    }
    out += "Trúng cử:      " + elected + "\n";
  }
  if (tally.tied_for_last_seat_size() > 0) {
    out += "Bằng phiếu:    " + safe(joinedLabels(definition, tally.tied_for_last_seat(), ", ")) + "\n";
  }
  if (tally.seats_unfilled() > 0) {
    out += "Còn thiếu:     " + std::to_string(tally.seats_unfilled()) + " ghế";
    if (tally.needs_runoff()) {
      out += " — bầu tiếp: daihoi ballot runoff " + std::to_string(definition.id());
    }
    out += "\n";
  }
  if (ballot.confirmations_needed() != 0 || result.confirmed_by_size() > 0) {
    std::string confirmed;
    for (const auto& principal : result.confirmed_by()) {
      confirmed += (confirmed.empty() ? "" : ", ") + principalText(principal);
    }
    out += "Ban kiểm phiếu xác nhận " +
           confirmationsText(static_cast<std::uint32_t>(result.confirmed_by_size()), ballot.confirmations_needed()) +
           (confirmed.empty() ? "" : ": " + confirmed) + "\n";
  }
  return out;
}

std::string resultJson(const v1::BallotResult& result) {
  JsonWriter json;
  writeResult(json, result);
  return json.str();
}

std::string progressText(const v1::BallotProgress& progress, const client::StateMirror& names) {
  std::string out = "Phiếu " + ballotRef(progress.ballot_id()) + ": đã bỏ phiếu " +
                    std::to_string(progress.votes_cast()) + "/" + std::to_string(progress.eligible()) + " (" +
                    percentText(progress.votes_cast(), progress.eligible()) + ")";
  if (progress.eligible() >= progress.votes_cast()) {
    out += ", còn " + std::to_string(progress.eligible() - progress.votes_cast()) + " đại biểu chưa bỏ phiếu";
  }
  out += "\n";
  if (progress.voted_delegate_ids_size() > 0) {
    std::map<std::string, std::uint32_t> byDelegation;
    for (std::uint32_t id : progress.voted_delegate_ids()) {
      const v1::Delegate* delegate = names.findDelegate(id);
      ++byDelegation[delegate != nullptr ? delegationNameOf(names, delegate->delegation_id()) : "(không rõ đoàn)"];
    }
    TextTable table({"Đoàn", "Đã bỏ phiếu"}, {Align::Left, Align::Right});
    for (const auto& [delegation, voted] : byDelegation) {
      table.addRow({delegation, std::to_string(voted)});
    }
    out += "\n" + table.render();
  }
  return out;
}

std::string progressJson(const v1::BallotProgress& progress) {
  JsonWriter json;
  json.beginObject()
      .key("ballotId").value(progress.ballot_id())
      .key("eligible").value(progress.eligible())
      .key("votesCast").value(progress.votes_cast())
      .key("votedDelegateIds").beginArray();
  for (std::uint32_t id : progress.voted_delegate_ids()) {
    json.value(id);
  }
  json.endArray().endObject();
  return json.str();
}

std::string verifyText(std::uint32_t ballotId, std::string_view receipt, const v1::VerifyReceiptReply& reply) {
  if (reply.counted()) {
    return "Biên nhận " + safe(receipt) + ": phiếu đã được ghi nhận và kiểm trong phiếu " + ballotRef(ballotId) + "\n";
  }
  return "Biên nhận " + safe(receipt) + ": KHÔNG có trong phiếu " + ballotRef(ballotId) +
         " (sai biên nhận, hoặc phiếu đã được thay bằng phiếu sau)\n";
}

std::string verifyJson(std::uint32_t ballotId, std::string_view receipt, const v1::VerifyReceiptReply& reply) {
  JsonWriter json;
  json.beginObject()
      .key("ballotId").value(ballotId)
      .key("receipt").value(receipt)
      .key("counted").value(reply.counted())
      .endObject();
  return json.str();
}

std::string rulesText(const v1::VotingRules& rules) {
  std::string preset;
  switch (rules.preset()) {
    case v1::RULE_PRESET_PARTY_STATUTE:
      preset = "theo Điều lệ Đảng (party-statute)";
      break;
    case v1::RULE_PRESET_GENERIC:
      preset = "thông thường (generic)";
      break;
    default:
      preset = "không rõ";
      break;
  }
  std::string out = "Bộ quy tắc:         " + preset + "\n";
  out += "Biểu quyết:         " + majorityRuleText(rules.motion()) + "\n";
  out += "Bầu cử:             " + majorityRuleText(rules.election()) + "\n";
  out += "Nhiều lựa chọn:     " + majorityRuleText(rules.multiple_choice()) + "\n";
  out += "Phiếu bầu gạch hết: " +
         std::string(rules.empty_election_ballot() == v1::EMPTY_BALLOT_BLANK ? "phiếu trắng (hợp lệ)" : "không hợp lệ") +
         "\n";
  out += "Mở phiếu:           " +
         std::string(rules.require_congress_quorum_to_open() ? "cần Đại hội đủ túc số" : "không cần túc số") + "\n";
  out += "Tham gia tối thiểu: " +
         (rules.participation_quorum().numerator() == 0
              ? std::string("không")
              : fractionText(rules.participation_quorum()) + " số đại biểu được biểu quyết") +
         "\n";
  return out;
}

std::string rulesJson(const v1::VotingRules& rules) {
  JsonWriter json;
  writeRules(json, rules);
  return json.str();
}

std::string committeeText(const std::vector<std::uint32_t>& delegateIds, const client::StateMirror& names,
                          bool appointed) {
  if (delegateIds.empty()) {
    return appointed ? "Đã giải tán Ban kiểm phiếu\n" : "Chưa có Ban kiểm phiếu\n";
  }
  std::string out = std::string(appointed ? "Đã chỉ định Ban kiểm phiếu" : "Ban kiểm phiếu") + " (" +
                    std::to_string(delegateIds.size()) + " thành viên)\n";
  TextTable table({"Mã", "Họ và tên", "Đoàn"});
  for (std::uint32_t id : delegateIds) {
    if (const v1::Delegate* delegate = names.findDelegate(id)) {
      table.addRow({delegate->code(), delegate->full_name(), delegationNameOf(names, delegate->delegation_id())});
    } else {
      table.addRow({"#" + std::to_string(id)});
    }
  }
  return out + table.render();
}

std::string committeeJson(const std::vector<std::uint32_t>& delegateIds, const client::StateMirror& names) {
  JsonWriter json;
  json.beginObject().key("countingCommittee").beginArray();
  for (std::uint32_t id : delegateIds) {
    json.beginObject().key("id").value(id);
    if (const v1::Delegate* delegate = names.findDelegate(id)) {
      json.key("code").value(delegate->code())
          .key("fullName").value(delegate->full_name())
          .key("delegation").value(delegationNameOf(names, delegate->delegation_id()));
    }
    json.endObject();
  }
  json.endArray().endObject();
  return json.str();
}

std::string csvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::string namedVotesCsv(const v1::NamedVotesReply& reply) {
  const auto& definition = reply.ballot().definition();
  std::string out = "\xEF\xBB\xBF" "seat,code,full_name,delegation,voted,choices\r\n";
  for (const auto& vote : reply.votes()) {
    out += csvField(vote.seat()) + "," + csvField(vote.delegate_code()) + "," + csvField(vote.full_name()) + "," +
           csvField(vote.delegation()) + "," + (vote.voted() ? "yes" : "no") + "," +
           csvField(joinedLabels(definition, vote.choices(), "; ")) + "\r\n";
  }
  return out;
}

std::string namedVotesJson(const v1::NamedVotesReply& reply) {
  const auto& definition = reply.ballot().definition();
  JsonWriter json;
  json.beginObject().key("ballot");
  writeBallot(json, reply.ballot());
  json.key("votes").beginArray();
  for (const auto& vote : reply.votes()) {
    json.beginObject()
        .key("seat").value(vote.seat())
        .key("code").value(vote.delegate_code())
        .key("fullName").value(vote.full_name())
        .key("delegation").value(vote.delegation())
        .key("voted").value(vote.voted())
        .key("choices");
    writeOptions(json, definition, vote.choices());
    json.endObject();
  }
  json.endArray().endObject();
  return json.str();
}

std::string exportedText(std::uint32_t ballotId, std::size_t rows, std::string_view file) {
  return "Đã ghi danh sách biểu quyết phiếu " + ballotRef(ballotId) + " (" + std::to_string(rows) +
         " đại biểu) vào " + safe(file) + "\n";
}

std::string exportedJson(std::uint32_t ballotId, std::size_t rows, std::string_view file) {
  JsonWriter json;
  json.beginObject().key("ballotId").value(ballotId).key("rows").value(rows).key("file").value(file).endObject();
  return json.str();
}

std::string ballotEventText(const v1::Event& event, const client::StateMirror& names) {
  const auto label = [](std::string_view text) { return padRight(text, 10) + " "; };
  switch (event.body_case()) {
    case v1::Event::kBallotUpdated: {
      const auto& update = event.ballot_updated();
      const auto& ballot = update.ballot();
      std::string line = label("PHIẾU") + ballotRef(ballot.definition().id()) + " " +
                         safe(ballot.definition().title()) + ": " + statusSummary(ballot);
      return update.has_by() ? line + byText(update.by()) : line;
    }
    case v1::Event::kVoteRecorded: {
      const auto& recorded = event.vote_recorded();
      return label("ĐÃ BỎ PHIẾU") + "phiếu " + ballotRef(recorded.ballot_id()) + " · " +
             delegateText(names, recorded.delegate_id());
    }
    case v1::Event::kBallotPublished: {
      const auto& published = event.ballot_published();
      const auto& ballot = published.result().ballot();
      std::string line = label("CÔNG BỐ") + ballotRef(ballot.definition().id()) + " " +
                         safe(ballot.definition().title()) + ": " + outcomeSummary(published.result());
      return published.has_by() ? line + byText(published.by()) : line;
    }
    case v1::Event::kCountingCommitteeAppointed: {
      const auto& appointed = event.counting_committee_appointed();
      std::string members;
      for (std::uint32_t id : appointed.delegate_ids()) {
        members += (members.empty() ? "" : ", ") + delegateText(names, id);
      }
      std::string line = label("KIỂM PHIẾU") +
                         (members.empty() ? std::string("giải tán Ban kiểm phiếu") : "Ban kiểm phiếu: " + members);
      return appointed.has_by() ? line + byText(appointed.by()) : line;
    }
    case v1::Event::kVotingRulesChanged: {
      const auto& changed = event.voting_rules_changed();
      std::string line = label("QUY TẮC") + "quy tắc biểu quyết đổi: " +
                         std::string(presetKey(changed.rules().preset())) + ", biểu quyết " +
                         majorityRuleText(changed.rules().motion()) + ", bầu cử " +
                         majorityRuleText(changed.rules().election());
      return changed.has_by() ? line + byText(changed.by()) : line;
    }
    default:
      return "";
  }
}

void writeBallotEventJson(JsonWriter& json, const v1::Event& event, const client::StateMirror& names) {
  const auto writeBy = [&json](bool has, const v1::Principal& by) {
    if (has) {
      json.key("by");
      writePrincipalJson(json, by);
    }
  };
  switch (event.body_case()) {
    case v1::Event::kBallotUpdated:
      json.key("type").value("ballot_updated").key("ballot");
      writeBallot(json, event.ballot_updated().ballot());
      writeBy(event.ballot_updated().has_by(), event.ballot_updated().by());
      break;
    case v1::Event::kVoteRecorded: {
      const auto& recorded = event.vote_recorded();
      json.key("type").value("vote_recorded")
          .key("ballotId").value(recorded.ballot_id())
          .key("delegateId").value(recorded.delegate_id());
      if (const v1::Delegate* delegate = names.findDelegate(recorded.delegate_id())) {
        json.key("delegateCode").value(delegate->code());
      }
      break;
    }
    case v1::Event::kBallotPublished:
      json.key("type").value("ballot_published").key("result");
      writeResult(json, event.ballot_published().result());
      writeBy(event.ballot_published().has_by(), event.ballot_published().by());
      break;
    case v1::Event::kCountingCommitteeAppointed:
      json.key("type").value("counting_committee_appointed").key("delegateIds").beginArray();
      for (std::uint32_t id : event.counting_committee_appointed().delegate_ids()) {
        json.value(id);
      }
      json.endArray();
      writeBy(event.counting_committee_appointed().has_by(), event.counting_committee_appointed().by());
      break;
    case v1::Event::kVotingRulesChanged:
      json.key("type").value("voting_rules_changed").key("rules");
      writeRules(json, event.voting_rules_changed().rules());
      writeBy(event.voting_rules_changed().has_by(), event.voting_rules_changed().by());
      break;
    default:
      break;
  }
}

std::string liveUpdateText(const v1::LiveUpdate& update, std::int64_t nowMs) {
  std::string line = "~ " + formatLocalTime(nowMs, false) + "  ";
  switch (update.body_case()) {
    case v1::LiveUpdate::kBallotProgress: {
      const auto& progress = update.ballot_progress();
      line += padRight("TIẾN ĐỘ", 10) + " phiếu " + ballotRef(progress.ballot_id()) + ": đã bỏ phiếu " +
              std::to_string(progress.votes_cast()) + "/" + std::to_string(progress.eligible()) + " (" +
              percentText(progress.votes_cast(), progress.eligible()) + ")";
      break;
    }
    case v1::LiveUpdate::BODY_NOT_SET:
      line += "CẬP NHẬT   (loại mới, client này chưa biết)";
      break;
  }
  return line + "\n";
}

std::string liveUpdateJson(const v1::LiveUpdate& update, std::int64_t nowMs) {
  JsonWriter json;
  json.beginObject().key("live").value(true).key("timeMs").value(nowMs);
  switch (update.body_case()) {
    case v1::LiveUpdate::kBallotProgress: {
      const auto& progress = update.ballot_progress();
      json.key("type").value("ballot_progress")
          .key("ballotId").value(progress.ballot_id())
          .key("eligible").value(progress.eligible())
          .key("votesCast").value(progress.votes_cast())
          .key("votedDelegateIds").beginArray();
      for (std::uint32_t id : progress.voted_delegate_ids()) {
        json.value(id);
      }
      json.endArray();
      break;
    }
    case v1::LiveUpdate::BODY_NOT_SET:
      json.key("type").value("unknown");
      break;
  }
  json.endObject();
  return json.str();
}

}  // namespace daihoi::cli
