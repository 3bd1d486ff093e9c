#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/ballot.hpp"

using namespace daihoi::domain;

namespace {

MajorityRule rule(Threshold threshold, Fraction fraction, MajorityBase base = MajorityBase::ValidBallots) {
  return MajorityRule{base, threshold, fraction};
}

BallotDefinition motion() {
  BallotDefinition d;
  d.id = 1;
  d.title = "Thông qua Nghị quyết Đại hội";
  return withRules(d, presetRules(RulePreset::PartyStatute));
}

BallotDefinition election(std::uint32_t candidates, std::uint32_t seats) {
  BallotDefinition d;
  d.id = 2;
  d.title = "Bầu Ban Chấp hành";
  d.kind = BallotKind::Election;
  d.mode = BallotMode::Secret;
  d.seats = seats;
  for (std::uint32_t i = 0; i < candidates; ++i) {
    d.options.push_back("Ứng cử viên " + std::to_string(i + 1));
  }
  return withRules(d, presetRules(RulePreset::PartyStatute));
}

BallotDefinition multipleChoice(std::uint32_t options, std::uint32_t min, std::uint32_t max) {
  BallotDefinition d;
  d.id = 3;
  d.title = "Chọn ngày tổ chức hội nghị";
  d.kind = BallotKind::MultipleChoice;
  d.minSelections = min;
  d.maxSelections = max;
  for (std::uint32_t i = 0; i < options; ++i) {
    d.options.push_back("Phương án " + std::to_string(i + 1));
  }
  return withRules(d, presetRules(RulePreset::Generic));
}

std::optional<ChoiceProblem> check(const BallotDefinition& d, std::vector<std::uint32_t> choices) {
  return checkChoices(d, choices);
}

}  // namespace

TEST_CASE("more than half: exactly half does not pass") {
  const MajorityRule half = rule(Threshold::MoreThan, {1, 2});
  CHECK_FALSE(half.passes(50, 100));
  CHECK(half.passes(51, 100));
  CHECK(half.minimumVotes(100) == 51);
  CHECK_FALSE(half.passes(50, 101));
  CHECK(half.passes(51, 101));
  CHECK(half.minimumVotes(101) == 51);
  CHECK(half.minimumVotes(0) == 1);  // nothing passes with no base but one vote
  CHECK(half.passes(1, 0));
  CHECK_FALSE(half.passes(0, 0));
  CHECK_FALSE(half.passes(250, 500));
  CHECK(half.passes(251, 500));
}

TEST_CASE("at least half: exactly half passes") {
  const MajorityRule half = rule(Threshold::AtLeast, {1, 2});
  CHECK(half.passes(50, 100));
  CHECK_FALSE(half.passes(49, 100));
  CHECK(half.minimumVotes(100) == 50);
  CHECK(half.minimumVotes(101) == 51);
  CHECK_FALSE(half.passes(50, 101));
  CHECK(half.minimumVotes(0) == 0);
  CHECK(half.passes(0, 0));
}

TEST_CASE("two thirds at the boundaries") {
  const MajorityRule atLeast = rule(Threshold::AtLeast, {2, 3});
  const MajorityRule moreThan = rule(Threshold::MoreThan, {2, 3});
  // 2/3 of 301 is 200.67.
  CHECK_FALSE(atLeast.passes(200, 301));
  CHECK(atLeast.passes(201, 301));
  CHECK(atLeast.minimumVotes(301) == 201);
  CHECK_FALSE(moreThan.passes(200, 301));
  CHECK(moreThan.passes(201, 301));
  CHECK(moreThan.minimumVotes(301) == 201);
  // 2/3 of 300 is exactly 200.
  CHECK(atLeast.passes(200, 300));
  CHECK_FALSE(atLeast.passes(199, 300));
  CHECK(atLeast.minimumVotes(300) == 200);
  CHECK_FALSE(moreThan.passes(200, 300));
  CHECK(moreThan.passes(201, 300));
  CHECK(moreThan.minimumVotes(300) == 201);
}

TEST_CASE("whole and none") {
  const MajorityRule unanimous = rule(Threshold::AtLeast, {1, 1});
  CHECK(unanimous.passes(7, 7));
  CHECK_FALSE(unanimous.passes(6, 7));
  const MajorityRule moreThanAll = rule(Threshold::MoreThan, {1, 1});
  CHECK_FALSE(moreThanAll.passes(7, 7));
  CHECK(moreThanAll.minimumVotes(7) == 8);
  const MajorityRule anyVote = rule(Threshold::MoreThan, {0, 1});
  CHECK(anyVote.passes(1, 500));
  CHECK_FALSE(anyVote.passes(0, 500));
  CHECK(anyVote.minimumVotes(500) == 1);
  CHECK(rule(Threshold::AtLeast, {0, 1}).minimumVotes(500) == 0);
}

TEST_CASE("majority arithmetic is exact near 2^32") {
  constexpr std::uint32_t max = std::numeric_limits<std::uint32_t>::max();  // 4294967295, odd
  const MajorityRule moreThanHalf = rule(Threshold::MoreThan, {1, 2});
  CHECK(moreThanHalf.minimumVotes(max) == 2147483648u);
  CHECK(moreThanHalf.passes(2147483648u, max));
  CHECK_FALSE(moreThanHalf.passes(2147483647u, max));
  CHECK(moreThanHalf.minimumVotes(max - 1) == 2147483648u);  // half of 4294967294 is 2147483647
  CHECK_FALSE(moreThanHalf.passes(2147483647u, max - 1));

  const MajorityRule twoThirds = rule(Threshold::AtLeast, {2, 3});
  CHECK(twoThirds.minimumVotes(max) == 2863311530u);  // exactly 2/3 of 2^32 - 1
  CHECK(twoThirds.passes(2863311530u, max));
  CHECK_FALSE(twoThirds.passes(2863311529u, max));

  const MajorityRule moreThanAll = rule(Threshold::MoreThan, {1, 1});
  CHECK(moreThanAll.minimumVotes(max) == std::uint64_t{max} + 1);  // needs 64 bits
  CHECK_FALSE(moreThanAll.passes(max, max));

  const MajorityRule nearlyAll = rule(Threshold::AtLeast, {max - 1, max});
  CHECK(nearlyAll.minimumVotes(max) == max - 1);
  CHECK(nearlyAll.passes(max - 1, max));
  CHECK_FALSE(nearlyAll.passes(max - 2, max));
}

TEST_CASE("passes agrees with minimumVotes") {
  for (Threshold threshold : {Threshold::MoreThan, Threshold::AtLeast}) {
    for (Fraction fraction : {Fraction{1, 2}, Fraction{2, 3}, Fraction{3, 4}, Fraction{0, 1}, Fraction{1, 1},
                              Fraction{3, 5}, Fraction{7, 7}}) {
      const MajorityRule r = rule(threshold, fraction);
      for (std::uint32_t base = 0; base <= 60; ++base) {
        for (std::uint32_t votes = 0; votes <= 62; ++votes) {
          CHECK(r.passes(votes, base) == (votes >= r.minimumVotes(base)));
        }
      }
    }
  }
}

TEST_CASE("an invalid majority fraction is a programming error") {
  CHECK_THROWS_AS(rule(Threshold::MoreThan, {1, 0}).passes(1, 2), std::invalid_argument);
  CHECK_THROWS_AS(rule(Threshold::AtLeast, {3, 2}).minimumVotes(2), std::invalid_argument);
}

TEST_CASE("preset: Party statute") {
  const VotingRules rules = presetRules(RulePreset::PartyStatute);
  CHECK(rules.motion == MajorityRule{MajorityBase::Summoned, Threshold::MoreThan, {1, 2}});
  CHECK(rules.election == MajorityRule{MajorityBase::ValidBallots, Threshold::MoreThan, {1, 2}});
  CHECK(rules.multipleChoice == MajorityRule{MajorityBase::ValidBallots, Threshold::MoreThan, {1, 2}});
  CHECK(rules.emptyElectionBallot == EmptyBallot::Invalid);
  CHECK(rules.requireCongressQuorumToOpen);
  CHECK(rules.participationQuorum.numerator == 0);
  CHECK(rules.participationQuorum.isValid());
}

TEST_CASE("preset: generic") {
  const VotingRules rules = presetRules(RulePreset::Generic);
  CHECK(rules.motion == MajorityRule{MajorityBase::VotesCast, Threshold::MoreThan, {1, 2}});
  CHECK(rules.election == MajorityRule{MajorityBase::ValidBallots, Threshold::MoreThan, {1, 2}});
  CHECK(rules.multipleChoice == MajorityRule{MajorityBase::ValidBallots, Threshold::MoreThan, {1, 2}});
  CHECK(rules.emptyElectionBallot == EmptyBallot::Blank);
  CHECK_FALSE(rules.requireCongressQuorumToOpen);
  CHECK(rules.participationQuorum.numerator == 0);
  CHECK(rules.participationQuorum.isValid());
}

TEST_CASE("names round-trip") {
  for (RulePreset preset : {RulePreset::PartyStatute, RulePreset::Generic}) {
    CHECK(presetFromName(presetName(preset)) == preset);
  }
  CHECK(presetName(RulePreset::PartyStatute) == "party-statute");
  CHECK(presetName(RulePreset::Generic) == "generic");
  CHECK_FALSE(presetFromName("Generic").has_value());

  for (BallotKind kind : {BallotKind::Motion, BallotKind::Election, BallotKind::MultipleChoice}) {
    CHECK(kindFromName(kindName(kind)) == kind);
  }
  CHECK(kindName(BallotKind::MultipleChoice) == "multiple-choice");
  CHECK_FALSE(kindFromName("poll").has_value());

  for (MajorityBase base : {MajorityBase::VotesCast, MajorityBase::ValidBallots, MajorityBase::PresentEligible,
                            MajorityBase::Summoned}) {
    CHECK(baseFromName(baseName(base)) == base);
  }
  CHECK(baseName(MajorityBase::PresentEligible) == "present-eligible");
  CHECK_FALSE(baseFromName("").has_value());

  CHECK(modeName(BallotMode::Named) == "named");
  CHECK(modeName(BallotMode::Secret) == "secret");
  CHECK(statusName(BallotStatus::Draft) == "draft");
  CHECK(statusName(BallotStatus::Open) == "open");
  CHECK(statusName(BallotStatus::Closed) == "closed");
  CHECK(statusName(BallotStatus::Published) == "published");
  CHECK(statusName(BallotStatus::Cancelled) == "cancelled");
}

TEST_CASE("default motion options are Vietnamese, adopting option first") {
  const std::vector<std::string> expected{"Tán thành", "Không tán thành", "Không biểu quyết"};
  CHECK(defaultMotionOptions() == expected);
}

TEST_CASE("withRules fills what depends on the kind") {
  const VotingRules party = presetRules(RulePreset::PartyStatute);
  const VotingRules generic = presetRules(RulePreset::Generic);

  SUBCASE("motion: default options, one selection, the motion rule") {
    BallotDefinition d;
    d.title = "Biểu quyết";
    d.minSelections = 0;
    d.maxSelections = 3;
    const BallotDefinition filled = withRules(d, party);
    CHECK(filled.options == defaultMotionOptions());
    CHECK(filled.minSelections == 1);
    CHECK(filled.maxSelections == 1);
    CHECK(filled.majority == party.motion);
    CHECK(filled.requireCongressQuorum);
    CHECK(filled.title == "Biểu quyết");
    CHECK_FALSE(definitionProblem(filled).has_value());
  }
  SUBCASE("motion: given options are kept") {
    BallotDefinition d;
    d.title = "Chọn";
    d.options = {"Đồng ý", "Không đồng ý"};
    CHECK(withRules(d, generic).options == d.options);
    CHECK(withRules(d, generic).majority == generic.motion);
    CHECK_FALSE(withRules(d, generic).requireCongressQuorum);
  }
  SUBCASE("election: keep 0 to seats, the election rule and the empty ballot policy") {
    BallotDefinition d;
    d.title = "Bầu";
    d.kind = BallotKind::Election;
    d.options = {"A", "B", "C", "D"};
    d.seats = 3;
    const BallotDefinition underParty = withRules(d, party);
    CHECK(underParty.options == d.options);
    CHECK(underParty.minSelections == 0);
    CHECK(underParty.maxSelections == 3);
    CHECK(underParty.majority == party.election);
    CHECK(underParty.emptyBallot == EmptyBallot::Invalid);
    CHECK(withRules(d, generic).emptyBallot == EmptyBallot::Blank);
    CHECK_FALSE(definitionProblem(underParty).has_value());
  }
  SUBCASE("multiple choice: the selection limits are the ballot's own") {
    BallotDefinition d;
    d.title = "Chọn";
    d.kind = BallotKind::MultipleChoice;
    d.options = {"A", "B", "C", "D"};
    d.minSelections = 2;
    d.maxSelections = 3;
    const BallotDefinition filled = withRules(d, party);
    CHECK(filled.minSelections == 2);
    CHECK(filled.maxSelections == 3);
    CHECK(filled.majority == party.multipleChoice);
  }
  SUBCASE("participation quorum comes from the rules") {
    VotingRules rules = generic;
    rules.participationQuorum = Fraction{1, 2};
    BallotDefinition d;
    d.title = "Biểu quyết";
    d.participationQuorum = Fraction{0, 1};
    CHECK(withRules(d, rules).participationQuorum == Fraction{1, 2});
  }
}

TEST_CASE("definitionProblem: every reason") {
  CHECK_FALSE(definitionProblem(motion()).has_value());
  CHECK_FALSE(definitionProblem(election(15, 13)).has_value());
  CHECK_FALSE(definitionProblem(multipleChoice(4, 0, 2)).has_value());

  auto problem = [](BallotDefinition d) { return definitionProblem(d).has_value(); };
  BallotDefinition d;

  d = motion();
  d.kind = static_cast<BallotKind>(9);
  CHECK(problem(d));
  d = motion();
  d.mode = static_cast<BallotMode>(0);
  CHECK(problem(d));
  d = motion();
  d.title = "";
  CHECK(problem(d));
  d.title = "  \t";
  CHECK(problem(d));

  d = motion();
  d.options = {"Tán thành"};
  CHECK(problem(d));
  d = multipleChoice(1, 1, 1);
  CHECK(problem(d));
  d = election(1, 1);
  CHECK_FALSE(problem(d));  // one candidate for one seat is an election
  d.options.clear();
  d.seats = 0;
  d.maxSelections = 0;
  CHECK(problem(d));

  d = motion();
  d.options[1] = "";
  CHECK(problem(d));
  d = election(3, 2);
  d.options[2] = " ";
  CHECK(problem(d));
  d = election(3, 2);
  d.options[2] = d.options[0];
  CHECK(*definitionProblem(d) == "candidate 'Ứng cử viên 1' appears twice");

  d = election(3, 2);
  d.seats = 0;
  d.maxSelections = 0;
  CHECK(problem(d));
  d = election(3, 2);
  d.seats = 4;
  d.maxSelections = 4;
  CHECK(problem(d));

  d = multipleChoice(4, 3, 2);  // min > max
  CHECK(problem(d));
  d = multipleChoice(4, 1, 5);  // max > options
  CHECK(problem(d));
  d = multipleChoice(4, 0, 0);  // nothing can be chosen
  CHECK(problem(d));

  d = motion();
  d.maxSelections = 2;
  CHECK(problem(d));
  d = motion();
  d.minSelections = 0;
  CHECK(problem(d));
  d = election(5, 3);
  d.minSelections = 1;
  CHECK(problem(d));
  d = election(5, 3);
  d.maxSelections = 2;
  CHECK(problem(d));

  d = motion();
  d.majority.base = static_cast<MajorityBase>(7);
  CHECK(problem(d));
  d = motion();
  d.majority.threshold = static_cast<Threshold>(0);
  CHECK(problem(d));
  d = motion();
  d.majority.fraction = Fraction{1, 0};
  CHECK(problem(d));
  d = motion();
  d.majority.fraction = Fraction{3, 2};
  CHECK(problem(d));
  d = election(3, 2);
  d.emptyBallot = static_cast<EmptyBallot>(3);
  CHECK(problem(d));
  d = motion();
  d.participationQuorum = Fraction{2, 1};
  CHECK(problem(d));
  d = motion();
  d.participationQuorum = Fraction{0, 0};
  CHECK(problem(d));

  d = motion();
  d.mode = BallotMode::Secret;
  d.allowChanges = true;
  CHECK(*definitionProblem(d) == "a secret ballot cannot allow changing a vote");
  d.mode = BallotMode::Named;
  CHECK_FALSE(problem(d));

  d = motion();
  d.durationMs = -1;
  CHECK(problem(d));
  d.durationMs = 0;
  CHECK_FALSE(problem(d));
  d.durationMs = 60'000;
  CHECK_FALSE(problem(d));
}

TEST_CASE("checkChoices: every problem") {
  const BallotDefinition m = motion();
  CHECK_FALSE(check(m, {0}).has_value());
  CHECK_FALSE(check(m, {2}).has_value());
  CHECK(check(m, {3}) == ChoiceProblem::OutOfRange);
  CHECK(check(m, {}) == ChoiceProblem::TooFew);
  CHECK(check(m, {0, 1}) == ChoiceProblem::TooMany);
  CHECK(check(m, {1, 1}) == ChoiceProblem::Duplicate);

  const BallotDefinition e = election(5, 3);
  CHECK_FALSE(check(e, {}).has_value());  // an empty ballot is cast; its validity is the count's business
  CHECK_FALSE(check(e, {4, 0, 2}).has_value());
  CHECK(check(e, {0, 1, 2, 3}) == ChoiceProblem::TooMany);
  CHECK(check(e, {0, 5}) == ChoiceProblem::OutOfRange);
  CHECK(check(e, {0, 0xFFFFFFFFu}) == ChoiceProblem::OutOfRange);
  CHECK(check(e, {2, 0, 2}) == ChoiceProblem::Duplicate);
  // Out of range is reported before a duplicate, a duplicate before a count.
  CHECK(check(e, {9, 1, 1}) == ChoiceProblem::OutOfRange);
  CHECK(check(e, {1, 1, 1, 1}) == ChoiceProblem::Duplicate);

  const BallotDefinition c = multipleChoice(4, 2, 3);
  CHECK(check(c, {0}) == ChoiceProblem::TooFew);
  CHECK_FALSE(check(c, {0, 3}).has_value());
  CHECK(check(c, {0, 1, 2, 3}) == ChoiceProblem::TooMany);

  for (ChoiceProblem p : {ChoiceProblem::OutOfRange, ChoiceProblem::Duplicate, ChoiceProblem::TooMany,
                          ChoiceProblem::TooFew}) {
    CHECK_FALSE(choiceProblemText(p).empty());
  }
}

TEST_CASE("canonicalChoices sorts ascending") {
  const std::vector<std::uint32_t> choices{4, 0, 2};
  CHECK(canonicalChoices(choices) == std::vector<std::uint32_t>{0, 2, 4});
  CHECK(canonicalChoices(std::vector<std::uint32_t>{}).empty());
  CHECK(canonicalChoices(std::vector<std::uint32_t>{7}) == std::vector<std::uint32_t>{7});
}
