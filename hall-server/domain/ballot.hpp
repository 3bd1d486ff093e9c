#pragma once
// Ballots: what is voted on, under which rules, and which choices are
// acceptable. Plain data and pure functions; docs/VOTING.md explains the rules.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"

namespace daihoi::domain {

// Values equal the wire enums in proto/daihoi.proto and the store's columns.
enum class BallotKind : std::uint8_t {
  Motion = 1,          // biểu quyết: one of a few options (yes / no / abstain by default)
  Election = 2,        // bầu cử: keep at most `seats` candidates
  MultipleChoice = 3,  // between minSelections and maxSelections options
};

enum class BallotMode : std::uint8_t {
  Named = 1,   // each delegate's choice is recorded and published after closing
  Secret = 2,  // nobody can link a ballot to its voter, not even from the database file
};

enum class BallotStatus : std::uint8_t { Draft = 1, Open = 2, Closed = 3, Published = 4, Cancelled = 5 };

// The number the threshold is taken of.
enum class MajorityBase : std::uint8_t {
  VotesCast = 1,        // every ballot cast, invalid ones included
  ValidBallots = 2,     // ballots cast minus invalid ones (blank ones count as valid)
  PresentEligible = 3,  // delegates eligible for this ballot (present with a voting right at opening)
  Summoned = 4,         // every delegate with a voting right, as of opening
};

enum class Threshold : std::uint8_t {
  MoreThan = 1,  // votes > fraction × base ("more than half")
  AtLeast = 2,   // votes >= fraction × base ("at least two thirds")
};

// Exact integer arithmetic throughout: no floating point decides a vote.
struct MajorityRule {
  MajorityBase base = MajorityBase::ValidBallots;
  Threshold threshold = Threshold::MoreThan;
  Fraction fraction{1, 2};
  bool passes(std::uint32_t votes, std::uint32_t baseCount) const;
  // The smallest number of votes that passes for this base count.
  std::uint64_t minimumVotes(std::uint32_t baseCount) const;
  bool operator==(const MajorityRule&) const = default;
};

// What an election ballot that keeps nobody counts as.
enum class EmptyBallot : std::uint8_t {
  Invalid = 1,  // the Party statute as commonly applied: a ballot crossing out everyone is invalid
  Blank = 2,    // a valid ballot that supports nobody
};

enum class RulePreset : std::uint8_t {
  PartyStatute = 1,  // Vietnamese Party statute as commonly applied
  Generic = 2,
};

// A congress's voting rules; every new ballot starts from them and may override.
struct VotingRules {
  MajorityRule motion;        // resolutions
  MajorityRule election;      // candidates
  MajorityRule multipleChoice;
  EmptyBallot emptyElectionBallot = EmptyBallot::Invalid;
  bool requireCongressQuorumToOpen = true;  // the congress must have its quorum when a ballot opens
  Fraction participationQuorum{0, 1};       // share of eligible delegates that must vote for a valid result
  bool operator==(const VotingRules&) const = default;
};

VotingRules presetRules(RulePreset preset);
std::string_view presetName(RulePreset preset);  // "party-statute", "generic"
std::optional<RulePreset> presetFromName(std::string_view name);

std::string_view kindName(BallotKind kind);  // "motion", "election", "multiple-choice"
std::optional<BallotKind> kindFromName(std::string_view name);
std::string_view modeName(BallotMode mode);      // "named", "secret"
std::string_view statusName(BallotStatus status);  // "draft", "open", "closed", "published", "cancelled"
std::string_view baseName(MajorityBase base);    // "votes-cast", "valid-ballots", "present-eligible", "summoned"
std::optional<MajorityBase> baseFromName(std::string_view name);

// The default options of a motion, Vietnamese first.
std::vector<std::string> defaultMotionOptions();  // "Tán thành", "Không tán thành", "Không biểu quyết"

struct BallotDefinition {
  std::uint32_t id = 0;  // assigned by the hall when drafted
  std::string title;
  std::string agendaItem;
  BallotKind kind = BallotKind::Motion;
  BallotMode mode = BallotMode::Named;
  std::vector<std::string> options;  // motion: options (option 0 adopts); election: candidates
  std::uint32_t seats = 1;           // election only
  std::uint32_t minSelections = 1;   // motion: 1; election: 0; multiple choice: configurable
  std::uint32_t maxSelections = 1;   // motion: 1; election: seats; multiple choice: configurable
  MajorityRule majority;
  EmptyBallot emptyBallot = EmptyBallot::Invalid;  // elections only
  Fraction participationQuorum{0, 1};              // of the eligible delegates
  bool requireCongressQuorum = true;
  bool allowChanges = false;         // named ballots only
  bool confirmationRequired = false; // the counting committee confirms before publication
  std::int64_t durationMs = 0;       // 0: no deadline; otherwise the ballot closes itself this long after opening
  std::uint32_t runoffOf = 0;        // the ballot this one is a further round of, 0 for none
  bool operator==(const BallotDefinition&) const = default;
};

// Fills kind-dependent fields (selection limits, the majority rule, the empty
// ballot policy and quorum requirements from `rules`; motion options when none
// are given) so that a definition needs only what differs from the congress rules.
BallotDefinition withRules(BallotDefinition draft, const VotingRules& rules);

// The reason a definition cannot be drafted, or nothing when it is usable:
// a title, at least one option (two for motions and multiple choice), no empty
// or duplicate option, 1 <= seats <= candidates, 0 <= min <= max <= options,
// valid fractions, no change of vote in secret ballots, a non-negative duration.
std::optional<std::string> definitionProblem(const BallotDefinition& definition);

enum class ChoiceProblem : std::uint8_t {
  OutOfRange = 1,  // an option index that does not exist
  Duplicate = 2,   // the same option twice
  TooMany = 3,     // more than maxSelections (an election ballot keeping more than `seats`)
  TooFew = 4,      // fewer than minSelections
};
std::string_view choiceProblemText(ChoiceProblem problem);

// Checks a delegate's choices (option indices, any order).
std::optional<ChoiceProblem> checkChoices(const BallotDefinition& definition, std::span<const std::uint32_t> choices);
// The canonical form stored and counted: ascending. Selection order never
// reaches the disk, so it cannot fingerprint a secret ballot.
std::vector<std::uint32_t> canonicalChoices(std::span<const std::uint32_t> choices);

}  // namespace daihoi::domain
