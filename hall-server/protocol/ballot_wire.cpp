#include "protocol/ballot_wire.hpp"

namespace daihoi::protocol {
namespace {

std::optional<std::string> fractionFromWire(const v1::Fraction& in, std::string_view what, domain::Fraction& out) {
  domain::Fraction fraction{in.numerator(), in.denominator()};
  if (!fraction.isValid()) {
    return std::string(what) + " must be a share between 0 and 1 with a non-zero denominator";
  }
  out = fraction;
  return std::nullopt;
}

std::optional<std::string> ruleFromWire(const v1::MajorityRule& in, domain::MajorityRule& out) {
  domain::MajorityRule rule = out;
  if (in.base() != v1::MAJORITY_BASE_UNSPECIFIED) {
    if (!v1::MajorityBase_IsValid(in.base())) return "unknown majority base";
    rule.base = static_cast<domain::MajorityBase>(in.base());
  }
  if (in.threshold() != v1::THRESHOLD_UNSPECIFIED) {
    if (!v1::Threshold_IsValid(in.threshold())) return "unknown threshold";
    rule.threshold = static_cast<domain::Threshold>(in.threshold());
  }
  if (in.has_fraction()) {
    if (auto problem = fractionFromWire(in.fraction(), "the majority fraction", rule.fraction)) return problem;
  }
  out = rule;
  return std::nullopt;
}

std::optional<std::string> emptyBallotFromWire(v1::EmptyBallot in, domain::EmptyBallot& out) {
  if (in == v1::EMPTY_BALLOT_UNSPECIFIED) return std::nullopt;
  if (!v1::EmptyBallot_IsValid(in)) return "unknown empty-ballot rule";
  out = static_cast<domain::EmptyBallot>(in);
  return std::nullopt;
}

}  // namespace

void toWire(const domain::Fraction& in, v1::Fraction& out) {
  out.set_numerator(in.numerator);
  out.set_denominator(in.denominator);
}

void toWire(const domain::MajorityRule& in, v1::MajorityRule& out) {
  out.set_base(static_cast<v1::MajorityBase>(in.base));
  out.set_threshold(static_cast<v1::Threshold>(in.threshold));
  toWire(in.fraction, *out.mutable_fraction());
}

void toWire(domain::RulePreset preset, const domain::VotingRules& in, v1::VotingRules& out) {
  out.set_preset(static_cast<v1::RulePreset>(preset));
  toWire(in.motion, *out.mutable_motion());
  toWire(in.election, *out.mutable_election());
  toWire(in.multipleChoice, *out.mutable_multiple_choice());
  out.set_empty_election_ballot(static_cast<v1::EmptyBallot>(in.emptyElectionBallot));
  out.set_require_congress_quorum_to_open(in.requireCongressQuorumToOpen);
  toWire(in.participationQuorum, *out.mutable_participation_quorum());
}

void toWire(const domain::BallotDefinition& in, v1::BallotDefinition& out) {
  out.set_id(in.id);
  out.set_title(in.title);
  out.set_agenda_item(in.agendaItem);
  out.set_kind(static_cast<v1::BallotKind>(in.kind));
  out.set_mode(static_cast<v1::BallotMode>(in.mode));
  for (const auto& option : in.options) out.add_options(option);
  out.set_seats(in.seats);
  out.set_min_selections(in.minSelections);
  out.set_max_selections(in.maxSelections);
  toWire(in.majority, *out.mutable_majority());
  out.set_empty_ballot(static_cast<v1::EmptyBallot>(in.emptyBallot));
  toWire(in.participationQuorum, *out.mutable_participation_quorum());
  out.set_require_congress_quorum(in.requireCongressQuorum);
  out.set_allow_changes(in.allowChanges);
  out.set_confirmation_required(in.confirmationRequired);
  out.set_duration_ms(static_cast<std::uint64_t>(in.durationMs));
  out.set_runoff_of(in.runoffOf);
}

void toWire(const domain::Tally& in, v1::Tally& out) {
  out.set_eligible(in.eligible);
  out.set_summoned(in.summoned);
  out.set_votes_cast(in.votesCast);
  out.set_valid(in.valid);
  out.set_blank(in.blank);
  out.set_invalid(in.invalid);
  for (auto v : in.votes) out.add_votes(v);
  out.set_base(in.base);
  out.set_required(in.required);
  out.set_participation_required(in.participationRequired);
  out.set_participation_met(in.participationMet);
  out.set_outcome(static_cast<v1::Outcome>(in.outcome));
  for (auto v : in.ranking) out.add_ranking(v);
  for (auto v : in.elected) out.add_elected(v);
  for (auto v : in.tiedForLastSeat) out.add_tied_for_last_seat(v);
  out.set_seats_unfilled(in.seatsUnfilled);
  out.set_needs_runoff(in.needsRunoff);
}

void toWire(const domain::BallotState& in, std::uint32_t confirmationsNeeded, v1::Ballot& out) {
  toWire(in.definition, *out.mutable_definition());
  out.set_status(static_cast<v1::BallotStatus>(in.status));
  out.set_created_ms(in.createdMs);
  out.set_opened_ms(in.openedMs);
  out.set_deadline_ms(in.deadlineMs);
  out.set_closed_ms(in.closedMs);
  out.set_closed_by_deadline(in.closedByDeadline);
  out.set_published_ms(in.publishedMs);
  out.set_cancelled_ms(in.cancelledMs);
  out.set_cancel_reason(in.cancelReason);
  out.set_eligible(static_cast<std::uint32_t>(in.eligible->size()));
  out.set_summoned(in.summoned);
  out.set_votes_cast(static_cast<std::uint32_t>(in.voted.size()));
  out.set_confirmations(static_cast<std::uint32_t>(in.confirmedBy.size()));
  out.set_confirmations_needed(confirmationsNeeded);
}

std::optional<std::string> draftFromWire(const v1::BallotDefinition& in, const domain::VotingRules& rules,
                                         domain::BallotDefinition& out) {
  domain::BallotDefinition draft;
  draft.title = in.title();
  draft.agendaItem = in.agenda_item();
  if (in.kind() == v1::BALLOT_KIND_UNSPECIFIED || !v1::BallotKind_IsValid(in.kind())) {
    return "a ballot needs a kind: motion, election or multiple choice";
  }
  draft.kind = static_cast<domain::BallotKind>(in.kind());
  if (in.mode() == v1::BALLOT_MODE_UNSPECIFIED || !v1::BallotMode_IsValid(in.mode())) {
    return "a ballot needs a mode: named or secret";
  }
  draft.mode = static_cast<domain::BallotMode>(in.mode());
  draft.options.assign(in.options().begin(), in.options().end());
  draft.seats = in.seats() == 0 ? 1 : in.seats();
  draft.allowChanges = in.allow_changes();
  if (in.duration_ms() > static_cast<std::uint64_t>(30LL * 24 * 3600 * 1000)) {
    return "a ballot cannot stay open longer than 30 days";
  }
  draft.durationMs = static_cast<std::int64_t>(in.duration_ms());
  draft = domain::withRules(std::move(draft), rules);

  if (in.has_min_selections()) draft.minSelections = in.min_selections();
  if (in.has_max_selections()) draft.maxSelections = in.max_selections();
  if (in.has_majority()) {
    if (auto problem = ruleFromWire(in.majority(), draft.majority)) return problem;
  }
  if (auto problem = emptyBallotFromWire(in.empty_ballot(), draft.emptyBallot)) return problem;
  if (in.has_participation_quorum()) {
    if (auto problem = fractionFromWire(in.participation_quorum(), "the participation quorum",
                                        draft.participationQuorum)) {
      return problem;
    }
  }
  if (in.has_require_congress_quorum()) draft.requireCongressQuorum = in.require_congress_quorum();
  // A secret ballot cannot be checked by anyone afterwards, so by default the
  // counting committee confirms its tally; a named one can be, by the list.
  draft.confirmationRequired =
      in.has_confirmation_required() ? in.confirmation_required() : draft.mode == domain::BallotMode::Secret;
  out = std::move(draft);
  return std::nullopt;
}

std::optional<std::string> rulesFromWire(const v1::SetVotingRules& in, domain::VotingRulesChosen& out) {
  domain::VotingRulesChosen chosen;
  if (in.preset() != v1::RULE_PRESET_UNSPECIFIED) {
    if (!v1::RulePreset_IsValid(in.preset())) return "unknown rule preset";
    chosen.preset = static_cast<domain::RulePreset>(in.preset());
  }
  chosen.rules = domain::presetRules(chosen.preset);
  const auto& overrides = in.overrides();
  if (overrides.has_motion()) {
    if (auto problem = ruleFromWire(overrides.motion(), chosen.rules.motion)) return problem;
  }
  if (overrides.has_election()) {
    if (auto problem = ruleFromWire(overrides.election(), chosen.rules.election)) return problem;
  }
  if (overrides.has_multiple_choice()) {
    if (auto problem = ruleFromWire(overrides.multiple_choice(), chosen.rules.multipleChoice)) return problem;
  }
  if (auto problem = emptyBallotFromWire(overrides.empty_election_ballot(), chosen.rules.emptyElectionBallot)) {
    return problem;
  }
  if (in.override_quorum_to_open()) {
    chosen.rules.requireCongressQuorumToOpen = overrides.require_congress_quorum_to_open();
  }
  if (overrides.has_participation_quorum()) {
    if (auto problem = fractionFromWire(overrides.participation_quorum(), "the participation quorum",
                                        chosen.rules.participationQuorum)) {
      return problem;
    }
  }
  out = std::move(chosen);
  return std::nullopt;
}

}  // namespace daihoi::protocol
