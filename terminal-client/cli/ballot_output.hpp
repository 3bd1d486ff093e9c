#pragma once
// How `daihoi` prints ballots, votes, results, progress, rules and the named-vote CSV.
// Pure functions of protocol messages, like output.hpp: Vietnamese text for people, JSON for
// scripts. Options are numbered from 1 for people and scripts alike ("number"); the wire's
// option indices start at 0.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/exit_codes.hpp"
#include "client/state_mirror.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

class JsonWriter;

std::string_view ballotKindKey(daihoi::v1::BallotKind kind);        // "multiple-choice"
std::string_view ballotKindLabel(daihoi::v1::BallotKind kind);      // "nhiều lựa chọn"
std::string_view ballotModeKey(daihoi::v1::BallotMode mode);        // "secret"
std::string_view ballotModeLabel(daihoi::v1::BallotMode mode);      // "bỏ phiếu kín"
std::string_view ballotStatusKey(daihoi::v1::BallotStatus status);  // "open"
std::string_view ballotStatusLabel(daihoi::v1::BallotStatus status);  // "đang mở"
std::string_view outcomeKey(daihoi::v1::Outcome outcome);           // "adopted"
std::string_view outcomeLabel(daihoi::v1::Outcome outcome);         // "THÔNG QUA"
std::string_view majorityBaseKey(daihoi::v1::MajorityBase base);    // "valid-ballots"
std::string_view majorityBaseLabel(daihoi::v1::MajorityBase base);  // "số phiếu hợp lệ"
std::string_view presetKey(daihoi::v1::RulePreset preset);          // "party-statute"
// "hơn 1/2 số phiếu hợp lệ"
std::string majorityRuleText(const daihoi::v1::MajorityRule& rule);

// `vote ID CHOICE...`: each CHOICE is a 1-based option number or an option's exact text
// (letter case aside); `none` keeps nobody on an election ballot. Without the ballot (not
// in the mirror) only numbers can be checked, and the server checks the rest.
std::variant<std::vector<std::uint32_t>, CliError> resolveChoices(const daihoi::v1::Ballot* ballot,
                                                                  std::uint32_t ballotId,
                                                                  const std::vector<std::string>& choices, bool none);

std::string ballotListText(const daihoi::v1::BallotsReply& reply, const client::StateMirror& names);
std::string ballotListJson(const daihoi::v1::BallotsReply& reply);

enum class BallotAction { Created, RunoffCreated, Opened, Closed, Confirmed, Published, Cancelled };
std::string ballotActionText(BallotAction action, const daihoi::v1::BallotReply& reply);
std::string ballotActionJson(BallotAction action, const daihoi::v1::BallotReply& reply);

// `ballot` is the mirror's view of the ballot voted on, when known (for the option labels).
std::string voteText(const daihoi::v1::CastVoteReply& reply, const daihoi::v1::Ballot* ballot,
                     const std::vector<std::uint32_t>& choices);
std::string voteJson(const daihoi::v1::CastVoteReply& reply, const daihoi::v1::Ballot* ballot,
                     const std::vector<std::uint32_t>& choices);

std::string resultText(const daihoi::v1::BallotResult& result);
std::string resultJson(const daihoi::v1::BallotResult& result);

// Delegation names of the voters (chair and secretariat only) come from `names`.
std::string progressText(const daihoi::v1::BallotProgress& progress, const client::StateMirror& names);
std::string progressJson(const daihoi::v1::BallotProgress& progress);

std::string verifyText(std::uint32_t ballotId, std::string_view receipt, const daihoi::v1::VerifyReceiptReply& reply);
std::string verifyJson(std::uint32_t ballotId, std::string_view receipt, const daihoi::v1::VerifyReceiptReply& reply);

std::string rulesText(const daihoi::v1::VotingRules& rules);
std::string rulesJson(const daihoi::v1::VotingRules& rules);

// `appointed`: the reply to an appointment rather than the committee as it stands.
std::string committeeText(const std::vector<std::uint32_t>& delegateIds, const client::StateMirror& names,
                          bool appointed);
std::string committeeJson(const std::vector<std::uint32_t>& delegateIds, const client::StateMirror& names);

// RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled.
std::string csvField(std::string_view text);
// The named list, by seat: UTF-8 with a BOM (so spreadsheet programs read Vietnamese right),
// CRLF line ends, columns seat, code, full_name, delegation, voted (yes/no), choices (labels
// joined by "; ").
std::string namedVotesCsv(const daihoi::v1::NamedVotesReply& reply);
std::string namedVotesJson(const daihoi::v1::NamedVotesReply& reply);
std::string exportedText(std::uint32_t ballotId, std::size_t rows, std::string_view file);
std::string exportedJson(std::uint32_t ballotId, std::size_t rows, std::string_view file);

// The part of a `watch` line after "#seq time  " for the voting events, and their JSON fields.
std::string ballotEventText(const daihoi::v1::Event& event, const client::StateMirror& names);
void writeBallotEventJson(JsonWriter& json, const daihoi::v1::Event& event, const client::StateMirror& names);

// One `watch` line for a live update: no seq, the local time it was printed.
std::string liveUpdateText(const daihoi::v1::LiveUpdate& update, std::int64_t nowMs);
std::string liveUpdateJson(const daihoi::v1::LiveUpdate& update, std::int64_t nowMs);

}  // namespace daihoi::cli
