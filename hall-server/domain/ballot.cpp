#include "domain/ballot.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace daihoi::domain {

namespace {

void requireValid(const Fraction& fraction) {
  if (!fraction.isValid()) {
    throw std::invalid_argument("majority fraction " + std::to_string(fraction.numerator) + "/" +
                                std::to_string(fraction.denominator) + " is not a valid share");
  }
}

bool isBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool knownKind(BallotKind kind) {
  return kind == BallotKind::Motion || kind == BallotKind::Election || kind == BallotKind::MultipleChoice;
}

bool knownMode(BallotMode mode) { return mode == BallotMode::Named || mode == BallotMode::Secret; }

bool knownBase(MajorityBase base) {
  return base == MajorityBase::VotesCast || base == MajorityBase::ValidBallots ||
         base == MajorityBase::PresentEligible || base == MajorityBase::Summoned;
}

bool knownThreshold(Threshold threshold) { return threshold == Threshold::MoreThan || threshold == Threshold::AtLeast; }

bool knownEmptyBallot(EmptyBallot policy) { return policy == EmptyBallot::Invalid || policy == EmptyBallot::Blank; }

}  // namespace

// votes × denominator and numerator × base are both below 2^64, so the
// comparison is exact for every 32-bit input.
bool MajorityRule::passes(std::uint32_t votes, std::uint32_t baseCount) const {
  requireValid(fraction);
  const std::uint64_t scaledVotes = std::uint64_t{votes} * fraction.denominator;
  const std::uint64_t scaledShare = std::uint64_t{baseCount} * fraction.numerator;
  return threshold == Threshold::MoreThan ? scaledVotes > scaledShare : scaledVotes >= scaledShare;
}

// 64-bit result: "more than all of 2^32 - 1" needs 2^32 votes.
std::uint64_t MajorityRule::minimumVotes(std::uint32_t baseCount) const {
  requireValid(fraction);
  const std::uint64_t share = std::uint64_t{baseCount} * fraction.numerator;
  if (threshold == Threshold::MoreThan) {
    return share / fraction.denominator + 1;
  }
  return (share + fraction.denominator - 1) / fraction.denominator;
}

VotingRules presetRules(RulePreset preset) {
  const Fraction half{1, 2};
  VotingRules rules;
  rules.election = MajorityRule{MajorityBase::ValidBallots, Threshold::MoreThan, half};
  rules.multipleChoice = MajorityRule{MajorityBase::ValidBallots, Threshold::MoreThan, half};
  rules.participationQuorum = Fraction{0, 1};
  switch (preset) {
    case RulePreset::PartyStatute:
      rules.motion = MajorityRule{MajorityBase::Summoned, Threshold::MoreThan, half};
      rules.emptyElectionBallot = EmptyBallot::Invalid;
      rules.requireCongressQuorumToOpen = true;
      return rules;
    case RulePreset::Generic:
      rules.motion = MajorityRule{MajorityBase::VotesCast, Threshold::MoreThan, half};
      rules.emptyElectionBallot = EmptyBallot::Blank;
      rules.requireCongressQuorumToOpen = false;
      return rules;
  }
  throw std::invalid_argument("unknown voting rule preset " + std::to_string(static_cast<int>(preset)));
}

std::string_view presetName(RulePreset preset) {
  switch (preset) {
    case RulePreset::PartyStatute: return "party-statute";
    case RulePreset::Generic: return "generic";
  }
  return "unknown";
}

std::optional<RulePreset> presetFromName(std::string_view name) {
  for (RulePreset preset : {RulePreset::PartyStatute, RulePreset::Generic}) {
    if (presetName(preset) == name) {
      return preset;
    }
  }
  return std::nullopt;
}

std::string_view kindName(BallotKind kind) {
  switch (kind) {
    case BallotKind::Motion: return "motion";
    case BallotKind::Election: return "election";
    case BallotKind::MultipleChoice: return "multiple-choice";
  }
  return "unknown";
}

std::optional<BallotKind> kindFromName(std::string_view name) {
  for (BallotKind kind : {BallotKind::Motion, BallotKind::Election, BallotKind::MultipleChoice}) {
    if (kindName(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

std::string_view modeName(BallotMode mode) {
  switch (mode) {
    case BallotMode::Named: return "named";
    case BallotMode::Secret: return "secret";
  }
  return "unknown";
}

std::string_view statusName(BallotStatus status) {
  switch (status) {
    case BallotStatus::Draft: return "draft";
    case BallotStatus::Open: return "open";
    case BallotStatus::Closed: return "closed";
    case BallotStatus::Published: return "published";
    case BallotStatus::Cancelled: return "cancelled";
  }
  return "unknown";
}

std::string_view baseName(MajorityBase base) {
  switch (base) {
    case MajorityBase::VotesCast: return "votes-cast";
    case MajorityBase::ValidBallots: return "valid-ballots";
    case MajorityBase::PresentEligible: return "present-eligible";
    case MajorityBase::Summoned: return "summoned";
  }
  return "unknown";
}

std::optional<MajorityBase> baseFromName(std::string_view name) {
  for (MajorityBase base : {MajorityBase::VotesCast, MajorityBase::ValidBallots, MajorityBase::PresentEligible,
                            MajorityBase::Summoned}) {
    if (baseName(base) == name) {
      return base;
    }
  }
  return std::nullopt;
}

std::vector<std::string> defaultMotionOptions() { return {"Tán thành", "Không tán thành", "Không biểu quyết"}; }

BallotDefinition withRules(BallotDefinition draft, const VotingRules& rules) {
  switch (draft.kind) {
    case BallotKind::Motion:
      draft.minSelections = 1;
      draft.maxSelections = 1;
      draft.majority = rules.motion;
      if (draft.options.empty()) {
        draft.options = defaultMotionOptions();
      }
      break;
    case BallotKind::Election:
      // Zero selections stay possible so that an empty ballot can be cast and
      // then counted by the emptyBallot policy rather than refused.
      draft.minSelections = 0;
      draft.maxSelections = draft.seats;
      draft.majority = rules.election;
      break;
    case BallotKind::MultipleChoice:
      draft.majority = rules.multipleChoice;
      break;
  }
  draft.emptyBallot = rules.emptyElectionBallot;
  draft.participationQuorum = rules.participationQuorum;
  draft.requireCongressQuorum = rules.requireCongressQuorumToOpen;
  return draft;
}

std::optional<std::string> definitionProblem(const BallotDefinition& definition) {
  if (!knownKind(definition.kind)) {
    return "unknown ballot kind";
  }
  if (!knownMode(definition.mode)) {
    return "unknown ballot mode";
  }
  if (isBlank(definition.title)) {
    return "a ballot needs a title";
  }
  const bool isElection = definition.kind == BallotKind::Election;
  const std::size_t optionCount = definition.options.size();
  const std::size_t fewestOptions = isElection ? 1 : 2;
  if (optionCount < fewestOptions) {
    return isElection ? "an election needs at least one candidate" : "a ballot needs at least two options";
  }
  std::unordered_set<std::string_view> seen;
  for (const std::string& option : definition.options) {
    if (isBlank(option)) {
      return isElection ? "a candidate name is empty" : "an option is empty";
    }
    if (!seen.insert(option).second) {
      return (isElection ? "candidate '" : "option '") + option + "' appears twice";
    }
  }
  if (isElection && (definition.seats < 1 || definition.seats > optionCount)) {
    return "seats must be between 1 and the number of candidates (" + std::to_string(optionCount) + ")";
  }
  if (definition.minSelections > definition.maxSelections || definition.maxSelections > optionCount) {
    return "selections must satisfy 0 <= minimum <= maximum <= number of options";
  }
  if (definition.maxSelections < 1) {
    return "a ballot must allow at least one selection";
  }
  if (definition.kind == BallotKind::Motion && (definition.minSelections != 1 || definition.maxSelections != 1)) {
    return "a motion takes exactly one option";
  }
  if (isElection && (definition.minSelections != 0 || definition.maxSelections != definition.seats)) {
    return "an election ballot keeps from 0 up to `seats` candidates";
  }
  if (!knownBase(definition.majority.base) || !knownThreshold(definition.majority.threshold)) {
    return "unknown majority base or threshold";
  }
  if (!definition.majority.fraction.isValid()) {
    return "the majority fraction must be n/d with 0 < d and n <= d";
  }
  if (!knownEmptyBallot(definition.emptyBallot)) {
    return "unknown empty ballot policy";
  }
  if (!definition.participationQuorum.isValid()) {
    return "the participation quorum must be n/d with 0 < d and n <= d";
  }
  if (definition.mode == BallotMode::Secret && definition.allowChanges) {
    // Replacing a vote means finding it again, which needs the link between
    // voter and contents that a secret ballot must not have.
    return "a secret ballot cannot allow changing a vote";
  }
  if (definition.durationMs < 0) {
    return "the duration cannot be negative";
  }
  return std::nullopt;
}

std::string_view choiceProblemText(ChoiceProblem problem) {
  switch (problem) {
    case ChoiceProblem::OutOfRange: return "an option that does not exist";
    case ChoiceProblem::Duplicate: return "the same option chosen twice";
    case ChoiceProblem::TooMany: return "more options chosen than allowed";
    case ChoiceProblem::TooFew: return "fewer options chosen than required";
  }
  return "unknown choice problem";
}

std::optional<ChoiceProblem> checkChoices(const BallotDefinition& definition, std::span<const std::uint32_t> choices) {
  for (std::uint32_t choice : choices) {
    if (choice >= definition.options.size()) {
      return ChoiceProblem::OutOfRange;
    }
  }
  const std::vector<std::uint32_t> sorted = canonicalChoices(choices);
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return ChoiceProblem::Duplicate;
  }
  if (choices.size() > definition.maxSelections) {
    return ChoiceProblem::TooMany;
  }
  if (choices.size() < definition.minSelections) {
    return ChoiceProblem::TooFew;
  }
  return std::nullopt;
}

std::vector<std::uint32_t> canonicalChoices(std::span<const std::uint32_t> choices) {
  std::vector<std::uint32_t> sorted(choices.begin(), choices.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace daihoi::domain
