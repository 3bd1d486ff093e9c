#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/tally.hpp"

using namespace daihoi::domain;

namespace {

using Ballots = std::vector<std::vector<std::uint32_t>>;

BallotDefinition partyElection(std::uint32_t candidates, std::uint32_t seats) {
  BallotDefinition d;
  d.id = 7;
  d.title = "Bầu Ban Chấp hành Đảng bộ khóa XVIII";
  d.kind = BallotKind::Election;
  d.mode = BallotMode::Secret;
  d.seats = seats;
  for (std::uint32_t i = 0; i < candidates; ++i) {
    d.options.push_back("Ứng cử viên " + std::to_string(i + 1));
  }
  return withRules(d, presetRules(RulePreset::PartyStatute));
}

BallotDefinition motionUnder(RulePreset preset) {
  BallotDefinition d;
  d.id = 3;
  d.title = "Thông qua Nghị quyết";
  return withRules(d, presetRules(preset));
}

// Ballots giving each option exactly `counts[option]` votes, at most
// `perBallot` selections each: the votes of one option go to consecutive
// ballots (cyclically), so no ballot names an option twice.
Ballots ballotsWithCounts(const std::vector<std::uint32_t>& counts, std::uint32_t ballotCount,
                          std::uint32_t perBallot) {
  Ballots ballots(ballotCount);
  std::uint32_t next = 0;
  for (std::uint32_t option = 0; option < counts.size(); ++option) {
    REQUIRE(counts[option] <= ballotCount);
    for (std::uint32_t vote = 0; vote < counts[option]; ++vote) {
      ballots[next].push_back(option);
      next = (next + 1) % ballotCount;
    }
  }
  for (auto& ballot : ballots) {
    REQUIRE(ballot.size() <= perBallot);
    std::sort(ballot.begin(), ballot.end());
  }
  return ballots;
}

Ballots repeated(std::uint32_t times, std::vector<std::uint32_t> choices) { return Ballots(times, choices); }

Ballots operator+(Ballots a, const Ballots& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// ------------------------------------------------ an independent recount
// Written from the rules in docs/VOTING.md, sharing no code with tally.cpp.

bool plainPasses(const MajorityRule& rule, std::uint64_t votes, std::uint64_t base) {
  const std::uint64_t left = votes * rule.fraction.denominator;
  const std::uint64_t right = base * rule.fraction.numerator;
  return rule.threshold == Threshold::MoreThan ? left > right : left >= right;
}

Tally bruteForce(const BallotDefinition& d, std::uint32_t eligible, std::uint32_t summoned, const Ballots& ballots) {
  Tally t;
  t.eligible = eligible;
  t.summoned = summoned;
  t.votesCast = static_cast<std::uint32_t>(ballots.size());
  t.votes.assign(d.options.size(), 0);
  for (const auto& ballot : ballots) {
    if (ballot.empty() && d.kind == BallotKind::Election && d.emptyBallot == EmptyBallot::Invalid) {
      t.invalid++;
      continue;
    }
    t.valid++;
    if (ballot.empty()) {
      t.blank++;
    }
    for (std::uint32_t option : ballot) {
      t.votes[option]++;
    }
  }
  if (d.majority.base == MajorityBase::VotesCast) t.base = t.votesCast;
  if (d.majority.base == MajorityBase::ValidBallots) t.base = t.valid;
  if (d.majority.base == MajorityBase::PresentEligible) t.base = eligible;
  if (d.majority.base == MajorityBase::Summoned) t.base = summoned;

  t.required = 0;
  while (!plainPasses(d.majority, t.required, t.base)) {
    t.required++;
  }
  while (std::uint64_t{t.participationRequired} * d.participationQuorum.denominator <
         std::uint64_t{eligible} * d.participationQuorum.numerator) {
    t.participationRequired++;
  }
  t.participationMet = t.votesCast >= t.participationRequired;

  // Selection sort: most votes first, lower index first among equals.
  std::vector<bool> placed(d.options.size(), false);
  for (std::size_t position = 0; position < d.options.size(); ++position) {
    std::uint32_t best = 0;
    bool found = false;
    for (std::uint32_t option = 0; option < d.options.size(); ++option) {
      if (!placed[option] && (!found || t.votes[option] > t.votes[best])) {
        best = option;
        found = true;
      }
    }
    placed[best] = true;
    t.ranking.push_back(best);
  }

  if (!t.participationMet) {
    t.outcome = Outcome::NoParticipationQuorum;
    t.seatsUnfilled = d.kind == BallotKind::Election ? d.seats : 0;
    return t;
  }
  if (d.kind == BallotKind::Motion) {
    t.outcome = plainPasses(d.majority, t.votes[0], t.base) ? Outcome::Adopted : Outcome::Rejected;
    return t;
  }
  if (d.kind == BallotKind::MultipleChoice) {
    for (std::uint32_t option : t.ranking) {
      if (plainPasses(d.majority, t.votes[option], t.base)) {
        t.elected.push_back(option);
      }
    }
    t.outcome = Outcome::Decided;
    return t;
  }
  // Election: a qualified candidate is elected when every candidate with at
  // least its votes fits into the seats; its group is tied when the group
  // starts inside the seats but does not fit.
  for (std::uint32_t candidate : t.ranking) {
    if (!plainPasses(d.majority, t.votes[candidate], t.base)) {
      continue;
    }
    std::uint32_t better = 0;
    std::uint32_t equal = 0;
    for (std::uint32_t other = 0; other < d.options.size(); ++other) {
      if (!plainPasses(d.majority, t.votes[other], t.base)) {
        continue;
      }
      if (t.votes[other] > t.votes[candidate]) better++;
      if (t.votes[other] == t.votes[candidate]) equal++;
    }
    if (better + equal <= d.seats) {
      t.elected.push_back(candidate);
    } else if (better < d.seats) {
      t.tiedForLastSeat.push_back(candidate);
    }
  }
  t.seatsUnfilled = d.seats - static_cast<std::uint32_t>(t.elected.size());
  t.needsRunoff = t.seatsUnfilled > 0;
  t.outcome = t.seatsUnfilled == 0 ? Outcome::Decided : Outcome::Incomplete;
  return t;
}

// ------------------------------------------------ random definitions

BallotDefinition randomDefinition(std::mt19937& rng, std::optional<BallotKind> kind = std::nullopt) {
  auto below = [&rng](std::uint32_t n) { return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng); };
  BallotDefinition d;
  d.id = 1 + below(1000);
  d.title = "Phiếu ngẫu nhiên";
  d.kind = kind.value_or(static_cast<BallotKind>(1 + below(3)));
  d.mode = below(2) == 0 ? BallotMode::Named : BallotMode::Secret;
  const std::uint32_t optionCount = d.kind == BallotKind::Election ? 1 + below(8) : 2 + below(7);
  for (std::uint32_t i = 0; i < optionCount; ++i) {
    d.options.push_back("Lựa chọn " + std::to_string(i));
  }
  // Fewer seats than candidates more often than not: more candidates then
  // qualify than there are seats, and ties for the last seat happen.
  d.seats = 1 + below(below(2) == 0 ? optionCount : (optionCount + 1) / 2);
  d.minSelections = below(optionCount + 1);
  d.maxSelections = std::max<std::uint32_t>(1, d.minSelections + below(optionCount - d.minSelections + 1));
  d = withRules(d, presetRules(below(2) == 0 ? RulePreset::PartyStatute : RulePreset::Generic));

  const Fraction fractions[] = {{1, 2}, {2, 3}, {1, 3}, {3, 4}, {0, 1}, {1, 1}, {3, 5}};
  d.majority.base = static_cast<MajorityBase>(1 + below(4));
  d.majority.threshold = below(2) == 0 ? Threshold::MoreThan : Threshold::AtLeast;
  d.majority.fraction = fractions[below(std::size(fractions))];
  d.emptyBallot = below(2) == 0 ? EmptyBallot::Invalid : EmptyBallot::Blank;
  d.participationQuorum = below(3) == 0 ? fractions[below(std::size(fractions))] : Fraction{0, 1};
  REQUIRE_FALSE(definitionProblem(d).has_value());
  return d;
}

// A valid ballot: a random subset within the selection limits, biased
// towards a few popular options so that ties and thresholds are often hit.
std::vector<std::uint32_t> randomBallot(const BallotDefinition& d, std::mt19937& rng) {
  const std::uint32_t optionCount = static_cast<std::uint32_t>(d.options.size());
  const std::uint32_t size =
      std::uniform_int_distribution<std::uint32_t>(d.minSelections, d.maxSelections)(rng);
  std::vector<std::uint32_t> pool(optionCount);
  for (std::uint32_t i = 0; i < optionCount; ++i) {
    pool[i] = i;
  }
  std::vector<std::uint32_t> choices;
  std::discrete_distribution<std::uint32_t> biased({6, 4, 3, 2, 2, 1, 1, 1, 1});
  while (choices.size() < size) {
    const std::uint32_t pick = biased(rng) % pool.size();
    choices.push_back(pool[pick]);
    pool.erase(pool.begin() + pick);
  }
  std::shuffle(choices.begin(), choices.end(), rng);
  return choices;
}

}  // namespace

TEST_CASE("classify: empty ballots follow the policy, for elections only") {
  BallotDefinition election = partyElection(3, 2);
  const std::vector<std::uint32_t> none;
  const std::vector<std::uint32_t> one{1};
  CHECK(classify(election, none) == BallotValidity::Invalid);
  CHECK(classify(election, one) == BallotValidity::Valid);
  election.emptyBallot = EmptyBallot::Blank;
  CHECK(classify(election, none) == BallotValidity::Blank);

  BallotDefinition choice;
  choice.kind = BallotKind::MultipleChoice;
  choice.options = {"A", "B"};
  choice.minSelections = 0;
  choice.emptyBallot = EmptyBallot::Invalid;  // applies to elections only
  CHECK(classify(choice, none) == BallotValidity::Blank);
}

namespace {

// Counts random valid ballots of random definitions both ways.
void checkAgainstRecount(std::uint32_t seed, std::optional<BallotKind> kind, int& runoffs, int& ties,
                         int& quorumsMissed) {
  std::mt19937 rng(seed);
  for (int round = 0; round < 3000; ++round) {
    const BallotDefinition d = randomDefinition(rng, kind);
    // Few voters half of the time: small counts tie often.
    const std::uint32_t voters = std::uniform_int_distribution<std::uint32_t>(0, round % 2 == 0 ? 12 : 40)(rng);
    const std::uint32_t eligible = voters + std::uniform_int_distribution<std::uint32_t>(0, 20)(rng);
    const std::uint32_t summoned = eligible + std::uniform_int_distribution<std::uint32_t>(0, 20)(rng);
    Ballots ballots;
    for (std::uint32_t v = 0; v < voters; ++v) {
      std::vector<std::uint32_t> choices = randomBallot(d, rng);
      REQUIRE_FALSE(checkChoices(d, choices).has_value());
      ballots.push_back(canonicalChoices(choices));
    }
    const Tally expected = bruteForce(d, eligible, summoned, ballots);
    const Tally tally = countBallots(d, eligible, summoned, ballots);
    CAPTURE(round);
    REQUIRE(tally == expected);

    CHECK(tally.valid + tally.invalid == tally.votesCast);
    CHECK(tally.elected.size() <= (d.kind == BallotKind::Election ? d.seats : d.options.size()));
    const auto runoff = runoffDefinition(d, tally);
    CHECK(runoff.has_value() == tally.needsRunoff);
    if (runoff) {
      ++runoffs;
      CHECK_FALSE(definitionProblem(*runoff).has_value());
      CHECK(runoff->seats == tally.seatsUnfilled);
      CHECK(runoff->runoffOf == d.id);
    }
    ties += tally.tiedForLastSeat.empty() ? 0 : 1;
    quorumsMissed += tally.participationMet ? 0 : 1;
  }
}

}  // namespace

TEST_CASE("property: countBallots equals an independent recount") {
  int runoffs = 0;
  int ties = 0;
  int quorumsMissed = 0;
  checkAgainstRecount(20251010, std::nullopt, runoffs, ties, quorumsMissed);
  checkAgainstRecount(1945, BallotKind::Election, runoffs, ties, quorumsMissed);
  // The random cases really reach the interesting branches.
  CHECK(ties > 100);
  CHECK(runoffs > 1000);
  CHECK(quorumsMissed > 500);
}

TEST_CASE("property: counting does not depend on ballot order") {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    const BallotDefinition d = randomDefinition(rng);
    Ballots ballots;
    for (int v = 0; v < 25; ++v) {
      ballots.push_back(canonicalChoices(randomBallot(d, rng)));
    }
    const Tally tally = countBallots(d, 30, 40, ballots);
    std::shuffle(ballots.begin(), ballots.end(), rng);
    CHECK(countBallots(d, 30, 40, ballots) == tally);
  }
}

TEST_CASE("15 candidates for 13 seats: 50 of 100 is not more than half, 51 is") {
  const BallotDefinition d = partyElection(15, 13);
  // Candidates 0..10 get 95..85 votes, 11 gets 51, 12 and 13 exactly 50, 14 gets 30.
  std::vector<std::uint32_t> counts;
  for (std::uint32_t v = 95; v >= 85; --v) {
    counts.push_back(v);
  }
  counts.insert(counts.end(), {51, 50, 50, 30});
  const Ballots ballots = ballotsWithCounts(counts, 100, 13);
  const Tally t = countBallots(d, 480, 500, ballots);

  CHECK(t.votesCast == 100);
  CHECK(t.valid == 100);
  CHECK(t.invalid == 0);
  CHECK(t.base == 100);
  CHECK(t.required == 51);
  CHECK(t.votes == counts);
  const std::vector<std::uint32_t> elected{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  CHECK(t.elected == elected);
  CHECK(t.ranking == std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
  CHECK(t.tiedForLastSeat.empty());
  CHECK(t.seatsUnfilled == 1);
  CHECK(t.needsRunoff);
  CHECK(t.outcome == Outcome::Incomplete);

  SUBCASE("the seat left unfilled goes to a further round between everyone not elected") {
    const auto runoff = runoffDefinition(d, t);
    REQUIRE(runoff.has_value());
    CHECK(runoff->id == 0);
    CHECK(runoff->runoffOf == 7);
    CHECK(runoff->seats == 1);
    CHECK(runoff->minSelections == 0);
    CHECK(runoff->maxSelections == 1);
    CHECK(runoff->options == std::vector<std::string>{"Ứng cử viên 13", "Ứng cử viên 14", "Ứng cử viên 15"});
    CHECK(runoff->title == "Bầu Ban Chấp hành Đảng bộ khóa XVIII (bầu lần 2)");
    CHECK(runoff->mode == BallotMode::Secret);
    CHECK(runoff->majority == d.majority);
    CHECK(runoff->emptyBallot == d.emptyBallot);
    CHECK_FALSE(definitionProblem(*runoff).has_value());
  }
  SUBCASE("with a 51st vote for candidate 13 every seat is filled") {
    counts[12] = 51;
    const Tally full = countBallots(d, 480, 500, ballotsWithCounts(counts, 100, 13));
    CHECK(full.elected.size() == 13);
    CHECK(full.elected.back() == 12);  // 51 votes like candidate 11, which has the lower index
    CHECK(full.elected[11] == 11);
    CHECK(full.seatsUnfilled == 0);
    CHECK_FALSE(full.needsRunoff);
    CHECK(full.outcome == Outcome::Decided);
    CHECK_FALSE(runoffDefinition(d, full).has_value());
  }
}

TEST_CASE("more candidates qualify than seats: the most votes win") {
  const BallotDefinition d = partyElection(5, 2);
  // 20 ballots: more than half needs 11, and candidates 0, 1 and 2 all have it.
  const Tally t = countBallots(d, 20, 20, ballotsWithCounts({11, 14, 12, 2, 1}, 20, 2));
  CHECK(t.elected == std::vector<std::uint32_t>{1, 2});
  CHECK(t.tiedForLastSeat.empty());
  CHECK(t.outcome == Outcome::Decided);
}

TEST_CASE("a tie for the last seat: nobody tied is elected, a further round decides") {
  const BallotDefinition d = partyElection(15, 13);
  // Candidates 0..11 get 95..84, candidates 12 and 13 tie at 55 for the 13th seat.
  std::vector<std::uint32_t> counts;
  for (std::uint32_t v = 95; v >= 84; --v) {
    counts.push_back(v);
  }
  counts.insert(counts.end(), {55, 55, 40});
  const Tally t = countBallots(d, 100, 100, ballotsWithCounts(counts, 100, 13));
  CHECK(t.elected.size() == 12);
  CHECK(std::find(t.elected.begin(), t.elected.end(), 12) == t.elected.end());
  CHECK(t.tiedForLastSeat == std::vector<std::uint32_t>{12, 13});
  CHECK(t.seatsUnfilled == 1);
  CHECK(t.needsRunoff);
  CHECK(t.outcome == Outcome::Incomplete);

  const auto runoff = runoffDefinition(d, t);
  REQUIRE(runoff.has_value());
  CHECK(runoff->options == std::vector<std::string>{"Ứng cử viên 13", "Ứng cử viên 14"});
  CHECK(runoff->seats == 1);
  CHECK(runoff->runoffOf == d.id);

  SUBCASE("the further round can itself tie, and the title counts the rounds") {
    BallotDefinition second = *runoff;
    second.id = 8;
    const Tally tiedAgain = countBallots(second, 100, 100, repeated(50, {0}) + repeated(50, {1}));
    CHECK(tiedAgain.outcome == Outcome::Incomplete);
    CHECK(tiedAgain.elected.empty());
    const auto third = runoffDefinition(second, tiedAgain);
    REQUIRE(third.has_value());
    CHECK(third->title == "Bầu Ban Chấp hành Đảng bộ khóa XVIII (bầu lần 3)");
    CHECK(third->runoffOf == 8);
  }
}

TEST_CASE("a tie reaching back several seats holds all of them") {
  const BallotDefinition d = partyElection(6, 3);
  // Candidate 0 is clear; 1, 2, 3 tie at 7 for the remaining two seats.
  const Tally t = countBallots(d, 10, 10, ballotsWithCounts({9, 7, 7, 7, 0, 0}, 10, 3));
  CHECK(t.elected == std::vector<std::uint32_t>{0});
  CHECK(t.tiedForLastSeat == std::vector<std::uint32_t>{1, 2, 3});
  CHECK(t.seatsUnfilled == 2);
  const auto runoff = runoffDefinition(d, t);
  REQUIRE(runoff.has_value());
  CHECK(runoff->seats == 2);
  CHECK(runoff->options.size() == 3);
}

TEST_CASE("equal votes inside the seats are no tie") {
  const BallotDefinition d = partyElection(4, 3);
  const Tally t = countBallots(d, 10, 10, ballotsWithCounts({8, 8, 8, 2}, 10, 3));
  CHECK(t.elected == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(t.tiedForLastSeat.empty());
  CHECK(t.outcome == Outcome::Decided);
}

TEST_CASE("an empty election ballot: invalid under the Party statute, blank under the generic rules") {
  // 10 ballots: 6 keep candidate 0, 4 keep nobody.
  const Ballots ballots = repeated(6, {0}) + repeated(4, {});

  const BallotDefinition party = partyElection(2, 1);
  const Tally underParty = countBallots(party, 10, 10, ballots);
  CHECK(underParty.invalid == 4);
  CHECK(underParty.blank == 0);
  CHECK(underParty.valid == 6);
  CHECK(underParty.base == 6);
  CHECK(underParty.elected == std::vector<std::uint32_t>{0});  // 6 of 6 valid

  const BallotDefinition generic = withRules(party, presetRules(RulePreset::Generic));
  const Tally underGeneric = countBallots(generic, 10, 10, ballots);
  CHECK(underGeneric.invalid == 0);
  CHECK(underGeneric.blank == 4);
  CHECK(underGeneric.valid == 10);
  CHECK(underGeneric.base == 10);
  CHECK(underGeneric.elected == std::vector<std::uint32_t>{0});  // 6 of 10

  const Ballots fewer = repeated(5, {0}) + repeated(5, {});
  CHECK(countBallots(party, 10, 10, fewer).elected == std::vector<std::uint32_t>{0});  // 5 of 5 valid
  CHECK(countBallots(generic, 10, 10, fewer).elected.empty());                         // 5 of 10: not more than half
}

TEST_CASE("a motion under the Party statute needs more than half of the summoned") {
  const BallotDefinition d = motionUnder(RulePreset::PartyStatute);
  // 500 summoned, 400 present and eligible, every present delegate votes.
  const Tally rejected = countBallots(d, 400, 500, repeated(250, {0}) + repeated(150, {1}));
  CHECK(rejected.base == 500);
  CHECK(rejected.required == 251);
  CHECK(rejected.outcome == Outcome::Rejected);
  CHECK(rejected.elected.empty());
  CHECK(rejected.tiedForLastSeat.empty());
  CHECK_FALSE(rejected.needsRunoff);

  const Tally adopted = countBallots(d, 400, 500, repeated(251, {0}) + repeated(149, {1}));
  CHECK(adopted.outcome == Outcome::Adopted);
  CHECK(adopted.votes == std::vector<std::uint32_t>{251, 149, 0});
  CHECK(adopted.ranking == std::vector<std::uint32_t>{0, 1, 2});
  CHECK_FALSE(runoffDefinition(d, adopted).has_value());
}

TEST_CASE("a motion under the generic rules needs more than half of the votes cast") {
  const BallotDefinition d = motionUnder(RulePreset::Generic);
  const Tally adopted = countBallots(d, 400, 500, repeated(101, {0}) + repeated(60, {1}) + repeated(39, {2}));
  CHECK(adopted.base == 200);
  CHECK(adopted.outcome == Outcome::Adopted);
  const Tally rejected = countBallots(d, 400, 500, repeated(100, {0}) + repeated(100, {2}));
  CHECK(rejected.outcome == Outcome::Rejected);  // abstentions count in the base
}

TEST_CASE("multiple choice: options reaching the threshold, most votes first") {
  BallotDefinition d;
  d.title = "Chọn địa điểm";
  d.kind = BallotKind::MultipleChoice;
  d.options = {"Hà Nội", "Huế", "Đà Nẵng", "Cần Thơ"};
  d.minSelections = 0;
  d.maxSelections = 2;
  d = withRules(d, presetRules(RulePreset::Generic));
  // 10 valid ballots: more than half needs 6.
  const Tally t = countBallots(d, 12, 12, ballotsWithCounts({6, 8, 5, 0}, 10, 2));
  CHECK(t.valid == 10);
  CHECK(t.elected == std::vector<std::uint32_t>{1, 0});
  CHECK(t.ranking == std::vector<std::uint32_t>{1, 0, 2, 3});
  CHECK(t.outcome == Outcome::Decided);
  CHECK(t.seatsUnfilled == 0);
  CHECK_FALSE(t.needsRunoff);

  // A blank ballot is valid: it raises the base and selects nothing.
  const Tally withBlanks = countBallots(d, 12, 12, ballotsWithCounts({6, 8, 5, 0}, 10, 2) + repeated(2, {}));
  CHECK(withBlanks.valid == 12);
  CHECK(withBlanks.blank == 2);
  CHECK(withBlanks.required == 7);
  CHECK(withBlanks.elected == std::vector<std::uint32_t>{1});
}

TEST_CASE("participation quorum not met: the result does not stand") {
  BallotDefinition d = motionUnder(RulePreset::Generic);
  d.participationQuorum = Fraction{1, 2};
  const Tally missed = countBallots(d, 100, 120, repeated(49, {0}));
  CHECK(missed.participationRequired == 50);
  CHECK_FALSE(missed.participationMet);
  CHECK(missed.outcome == Outcome::NoParticipationQuorum);
  const Tally met = countBallots(d, 100, 120, repeated(50, {0}));
  CHECK(met.participationMet);
  CHECK(met.outcome == Outcome::Adopted);

  BallotDefinition e = partyElection(3, 2);
  e.participationQuorum = Fraction{2, 3};
  const Tally election = countBallots(e, 30, 30, repeated(19, {0, 1}));
  CHECK(election.participationRequired == 20);
  CHECK(election.outcome == Outcome::NoParticipationQuorum);
  CHECK(election.votes == std::vector<std::uint32_t>{19, 19, 0});  // still shown
  CHECK(election.elected.empty());
  CHECK(election.seatsUnfilled == 2);
  CHECK_FALSE(election.needsRunoff);  // the ballot is repeated, not continued
  CHECK_FALSE(runoffDefinition(e, election).has_value());
}

TEST_CASE("no ballots at all") {
  const Tally election = countBallots(partyElection(3, 2), 10, 10, {});
  CHECK(election.votesCast == 0);
  CHECK(election.base == 0);
  CHECK(election.required == 1);
  CHECK(election.elected.empty());
  CHECK(election.seatsUnfilled == 2);
  CHECK(election.outcome == Outcome::Incomplete);
  CHECK(countBallots(motionUnder(RulePreset::Generic), 10, 10, {}).outcome == Outcome::Rejected);
}

TEST_CASE("a choice outside the options is refused, not counted") {
  CHECK_THROWS_AS(countBallots(partyElection(3, 2), 10, 10, repeated(1, {5})), std::invalid_argument);
}
