#pragma once
// Counting: from the ballots cast to the outcome, by the ballot's own rules.
// Pure functions, exact integer arithmetic.
#include <cstdint>
#include <span>
#include <vector>

#include "domain/ballot.hpp"

namespace daihoi::domain {

enum class BallotValidity : std::uint8_t {
  Valid = 1,    // counts for the options it selects
  Blank = 2,    // valid, selects nothing (an election ballot keeping nobody under EmptyBallot::Blank)
  Invalid = 3,  // spoilt under the rules (an election ballot keeping nobody under EmptyBallot::Invalid)
};

// The choices must have passed checkChoices().
BallotValidity classify(const BallotDefinition& definition, std::span<const std::uint32_t> choices);

enum class Outcome : std::uint8_t {
  Adopted = 1,          // motion: option 0 reached the threshold
  Rejected = 2,         // motion: it did not
  Decided = 3,          // election / multiple choice: `elected` holds the result, every seat filled
  Incomplete = 4,       // election: seats left unfilled or a tie for the last seat (see needsRunoff)
  NoParticipationQuorum = 5,  // too few eligible delegates voted: the result does not stand
};

struct Tally {
  std::uint32_t eligible = 0;  // delegates eligible (snapshot at opening)
  std::uint32_t summoned = 0;  // delegates with a voting right (snapshot at opening)
  std::uint32_t votesCast = 0;
  std::uint32_t valid = 0;     // blank ones included
  std::uint32_t blank = 0;
  std::uint32_t invalid = 0;
  std::vector<std::uint32_t> votes;  // per option, valid ballots only

  std::uint32_t base = 0;             // the number the majority rule is taken of
  std::uint64_t required = 0;         // fewest votes an option needs (MajorityRule::minimumVotes(base))
  std::uint32_t participationRequired = 0;  // fewest ballots for the participation quorum
  bool participationMet = true;

  Outcome outcome = Outcome::Rejected;
  // Every option by votes, most first; equal votes by option index.
  std::vector<std::uint32_t> ranking;
  // Election: candidates elected, most votes first (at most `seats`).
  // Multiple choice: options that reached the threshold, most votes first.
  // Motion: empty.
  std::vector<std::uint32_t> elected;
  // Election: candidates that reached the threshold with equal votes competing
  // for the last seats; none of them is in `elected`.
  std::vector<std::uint32_t> tiedForLastSeat;
  std::uint32_t seatsUnfilled = 0;  // election: seats - elected.size()
  // Election: a tie, or seats left unfilled. Never when the participation
  // quorum is missed: that result does not stand at all (nobody is elected),
  // so the remedy is a new ballot, not a further round.
  bool needsRunoff = false;

  bool operator==(const Tally&) const = default;
};

// Counts `ballots` (each a canonical choice list that passed checkChoices)
// for a ballot with `eligible` eligible and `summoned` summoned delegates.
Tally countBallots(const BallotDefinition& definition, std::uint32_t eligible, std::uint32_t summoned,
                   std::span<const std::vector<std::uint32_t>> ballots);

// A further round for a closed election that needs one: the tied candidates
// (or, with no tie, every candidate neither elected nor tied) compete for the
// seats left. The result has id 0, the same rules and mode, runoffOf = the
// original id and a title marking the round. Returns nothing when no runoff is needed.
std::optional<BallotDefinition> runoffDefinition(const BallotDefinition& original, const Tally& tally);

}  // namespace daihoi::domain
