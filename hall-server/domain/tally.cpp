#include "domain/tally.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <stdexcept>
#include <string>

namespace daihoi::domain {

namespace {

std::uint32_t baseCountOf(MajorityBase base, const Tally& tally) {
  switch (base) {
    case MajorityBase::VotesCast: return tally.votesCast;
    case MajorityBase::ValidBallots: return tally.valid;
    case MajorityBase::PresentEligible: return tally.eligible;
    case MajorityBase::Summoned: return tally.summoned;
  }
  throw std::invalid_argument("unknown majority base " + std::to_string(static_cast<int>(base)));
}

std::vector<std::uint32_t> rankByVotes(const std::vector<std::uint32_t>& votes) {
  std::vector<std::uint32_t> ranking(votes.size());
  std::iota(ranking.begin(), ranking.end(), 0u);
  std::stable_sort(ranking.begin(), ranking.end(),
                   [&votes](std::uint32_t a, std::uint32_t b) { return votes[a] > votes[b]; });
  return ranking;
}

// Candidates that reached the threshold, best first: the top `seats` are
// elected unless the last seat is tied, in which case every candidate with the
// tied count waits for a further round.
void electCandidates(const BallotDefinition& definition, Tally& tally) {
  std::vector<std::uint32_t> qualified;
  for (std::uint32_t option : tally.ranking) {
    if (definition.majority.passes(tally.votes[option], tally.base)) {
      qualified.push_back(option);
    }
  }
  const std::size_t seats = definition.seats;
  if (qualified.size() > seats && seats > 0 && tally.votes[qualified[seats - 1]] == tally.votes[qualified[seats]]) {
    const std::uint32_t tiedVotes = tally.votes[qualified[seats]];
    for (std::uint32_t candidate : qualified) {
      if (tally.votes[candidate] > tiedVotes) {
        tally.elected.push_back(candidate);
      } else if (tally.votes[candidate] == tiedVotes) {
        tally.tiedForLastSeat.push_back(candidate);
      }
    }
  } else {
    qualified.resize(std::min(qualified.size(), seats));
    tally.elected = std::move(qualified);
  }
  tally.seatsUnfilled = definition.seats - static_cast<std::uint32_t>(tally.elected.size());
  tally.needsRunoff = tally.seatsUnfilled > 0;
  tally.outcome = tally.seatsUnfilled == 0 ? Outcome::Decided : Outcome::Incomplete;
}

// Further rounds are marked in the title: "X" → "X (bầu lần 2)" → "X (bầu lần 3)".
constexpr std::string_view roundMarkPrefix = " (bầu lần ";

std::string titleOfNextRound(const std::string& title) {
  std::string next = title;
  std::uint32_t round = 1;
  const std::size_t mark = title.rfind(roundMarkPrefix);
  if (mark != std::string::npos && title.back() == ')') {
    const char* first = title.data() + mark + roundMarkPrefix.size();
    const char* last = title.data() + title.size() - 1;
    std::uint32_t parsed = 0;
    const auto [end, error] = std::from_chars(first, last, parsed);
    if (error == std::errc{} && end == last && parsed >= 2) {
      next.resize(mark);
      round = parsed;
    }
  }
  // Appended piece by piece: operator+ chains trip a GCC 12 -Wrestrict false positive.
  next.append(roundMarkPrefix);
  next.append(std::to_string(round + 1));
  next.push_back(')');
  return next;
}

}  // namespace

BallotValidity classify(const BallotDefinition& definition, std::span<const std::uint32_t> choices) {
  if (!choices.empty()) {
    return BallotValidity::Valid;
  }
  const bool spoilt = definition.kind == BallotKind::Election && definition.emptyBallot == EmptyBallot::Invalid;
  return spoilt ? BallotValidity::Invalid : BallotValidity::Blank;
}

Tally countBallots(const BallotDefinition& definition, std::uint32_t eligible, std::uint32_t summoned,
                   std::span<const std::vector<std::uint32_t>> ballots) {
  Tally tally;
  tally.eligible = eligible;
  tally.summoned = summoned;
  tally.votesCast = static_cast<std::uint32_t>(ballots.size());
  tally.votes.assign(definition.options.size(), 0);
  for (const std::vector<std::uint32_t>& choices : ballots) {
    switch (classify(definition, choices)) {
      case BallotValidity::Invalid:
        ++tally.invalid;
        continue;
      case BallotValidity::Blank:
        ++tally.blank;
        break;
      case BallotValidity::Valid:
        break;
    }
    ++tally.valid;
    for (std::uint32_t choice : choices) {
      if (choice >= tally.votes.size()) {
        throw std::invalid_argument("a ballot chooses option " + std::to_string(choice) + " of only " +
                                    std::to_string(tally.votes.size()));
      }
      ++tally.votes[choice];
    }
  }

  tally.base = baseCountOf(definition.majority.base, tally);
  tally.required = definition.majority.minimumVotes(tally.base);
  tally.participationRequired = definition.participationQuorum.atLeastOf(eligible);
  tally.participationMet = tally.votesCast >= tally.participationRequired;
  tally.ranking = rankByVotes(tally.votes);

  if (!tally.participationMet) {
    // The result does not stand: nobody is elected, and the remedy is a new
    // ballot rather than a further round between candidates.
    tally.outcome = Outcome::NoParticipationQuorum;
    tally.seatsUnfilled = definition.kind == BallotKind::Election ? definition.seats : 0;
    return tally;
  }
  switch (definition.kind) {
    case BallotKind::Motion: {
      const bool adopted = !tally.votes.empty() && definition.majority.passes(tally.votes[0], tally.base);
      tally.outcome = adopted ? Outcome::Adopted : Outcome::Rejected;
      break;
    }
    case BallotKind::MultipleChoice:
      for (std::uint32_t option : tally.ranking) {
        if (definition.majority.passes(tally.votes[option], tally.base)) {
          tally.elected.push_back(option);
        }
      }
      tally.outcome = Outcome::Decided;
      break;
    case BallotKind::Election:
      electCandidates(definition, tally);
      break;
  }
  return tally;
}

std::optional<BallotDefinition> runoffDefinition(const BallotDefinition& original, const Tally& tally) {
  if (original.kind != BallotKind::Election || !tally.needsRunoff || tally.seatsUnfilled == 0) {
    return std::nullopt;
  }
  std::vector<std::uint32_t> candidates = tally.tiedForLastSeat;
  if (candidates.empty()) {
    for (std::uint32_t option = 0; option < original.options.size(); ++option) {
      if (std::find(tally.elected.begin(), tally.elected.end(), option) == tally.elected.end()) {
        candidates.push_back(option);
      }
    }
  }
  // The ballot paper keeps the original order of names.
  std::sort(candidates.begin(), candidates.end());

  BallotDefinition runoff = original;
  runoff.id = 0;
  runoff.runoffOf = original.id;
  runoff.title = titleOfNextRound(original.title);
  runoff.options.clear();
  for (std::uint32_t candidate : candidates) {
    runoff.options.push_back(original.options.at(candidate));
  }
  runoff.seats = tally.seatsUnfilled;
  runoff.minSelections = 0;
  runoff.maxSelections = runoff.seats;
  return runoff;
}

}  // namespace daihoi::domain
