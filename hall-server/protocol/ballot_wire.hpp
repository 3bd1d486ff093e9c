#pragma once
// Conversions between the voting domain and the wire messages.
#include "daihoi.pb.h"
#include "domain/ballots.hpp"
#include "domain/model.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;

void toWire(const domain::Fraction& in, v1::Fraction& out);
void toWire(const domain::MajorityRule& in, v1::MajorityRule& out);
void toWire(domain::RulePreset preset, const domain::VotingRules& in, v1::VotingRules& out);
void toWire(const domain::BallotDefinition& in, v1::BallotDefinition& out);
void toWire(const domain::Tally& in, v1::Tally& out);
// The shared view of a ballot (no per-delegate fields).
void toWire(const domain::BallotState& in, std::uint32_t confirmationsNeeded, v1::Ballot& out);

// A draft from the wire over the congress's rules: fields left unset take the
// rules. Returns an error text for values that are out of range on the wire
// (an unknown enum, a zero denominator); domain::definitionProblem checks the rest.
std::optional<std::string> draftFromWire(const v1::BallotDefinition& in, const domain::VotingRules& rules,
                                         domain::BallotDefinition& out);
// The rules a SetVotingRules request asks for, or an error text.
std::optional<std::string> rulesFromWire(const v1::SetVotingRules& in, domain::VotingRulesChosen& out);

}  // namespace daihoi::protocol
