#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/ballots.hpp"

using namespace daihoi::domain;

namespace {

BallotDefinition namedMotion(std::uint32_t id, bool allowChanges = false) {
  BallotDefinition d;
  d.id = id;
  d.title = "Thông qua Quy chế làm việc";
  d.allowChanges = allowChanges;
  return withRules(d, presetRules(RulePreset::PartyStatute));
}

BallotDefinition secretElection(std::uint32_t id) {
  BallotDefinition d;
  d.id = id;
  d.title = "Bầu Ban Chấp hành";
  d.kind = BallotKind::Election;
  d.mode = BallotMode::Secret;
  d.options = {"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường"};
  d.seats = 2;
  d.confirmationRequired = true;
  return withRules(d, presetRules(RulePreset::PartyStatute));
}

BallotOpened opening(std::uint32_t ballotId, std::vector<std::uint32_t> eligible, std::uint32_t summoned) {
  BallotOpened o;
  o.ballotId = ballotId;
  o.timeMs = 1'000;
  o.deadlineMs = 61'000;
  o.eligible = std::move(eligible);
  o.summoned = summoned;
  return o;
}

VoteCast vote(const BallotState& ballot, std::uint32_t delegateId, std::vector<std::uint32_t> choices,
              bool replaces = false) {
  VoteCast v;
  v.ballotId = ballot.definition.id;
  v.delegateId = delegateId;
  v.choices = std::move(choices);
  v.receiptHash = "receipt-" + std::to_string(delegateId) + (replaces ? "-again" : "");
  v.secret = ballot.definition.mode == BallotMode::Secret;
  v.replacesEarlierVote = replaces;
  return v;
}

BallotBook bookWithOpenMotion() {
  BallotBook book;
  book.apply(BallotDrafted{namedMotion(book.nextId(), true), 500});
  book.apply(opening(1, {1, 2, 3, 4, 5}, 6));
  return book;
}

}  // namespace

TEST_CASE("a new book: Party statute rules, no ballots, id 1 next") {
  const BallotBook book;
  CHECK(book.preset() == RulePreset::PartyStatute);
  CHECK(book.rules() == presetRules(RulePreset::PartyStatute));
  CHECK(book.nextId() == 1);
  CHECK(book.all().empty());
  CHECK(book.openIds().empty());
  CHECK_FALSE(book.anyOpened());
  CHECK(book.find(1) == nullptr);
  CHECK(book.countingCommittee().empty());
}

TEST_CASE("lifecycle: draft, open, vote, close, confirm, publish") {
  BallotBook book;
  book.apply(CountingCommitteeAppointed{{10, 11, 12}});
  const BallotDefinition definition = secretElection(book.nextId());
  book.apply(BallotDrafted{definition, 500});
  CHECK(book.nextId() == 2);
  const BallotState* ballot = book.find(1);
  REQUIRE(ballot != nullptr);
  CHECK(ballot->status == BallotStatus::Draft);
  CHECK(ballot->createdMs == 500);
  CHECK(ballot->definition == definition);
  CHECK_FALSE(book.anyOpened());

  book.apply(opening(1, {1, 2, 3, 4, 10, 11, 12}, 9));
  CHECK(ballot->status == BallotStatus::Open);
  CHECK(ballot->openedMs == 1'000);
  CHECK(ballot->deadlineMs == 61'000);
  CHECK(*ballot->eligible == std::vector<std::uint32_t>{1, 2, 3, 4, 10, 11, 12});
  CHECK(ballot->summoned == 9);
  CHECK(ballot->isEligible(4));
  CHECK_FALSE(ballot->isEligible(5));
  CHECK(book.openIds() == std::vector<std::uint32_t>{1});
  CHECK(book.anyOpened());

  book.apply(vote(*ballot, 1, {0, 1}));
  book.apply(vote(*ballot, 2, {0}));
  book.apply(vote(*ballot, 3, {}));  // keeps nobody: invalid under the Party statute
  book.apply(vote(*ballot, 4, {0, 2}));
  CHECK(ballot->hasVoted(3));
  CHECK_FALSE(ballot->hasVoted(10));
  CHECK(ballot->receipts.size() == 4);
  CHECK(ballot->contents().size() == 4);
  CHECK_FALSE(ballot->tally.has_value());

  book.apply(BallotClosed{1, 70'000, true});
  CHECK(ballot->status == BallotStatus::Closed);
  CHECK(ballot->closedMs == 70'000);
  CHECK(ballot->closedByDeadline);
  CHECK(book.openIds().empty());
  REQUIRE(ballot->tally.has_value());
  const Tally& tally = *ballot->tally;
  CHECK(tally.eligible == 7);
  CHECK(tally.summoned == 9);
  CHECK(tally.votesCast == 4);
  CHECK(tally.invalid == 1);
  CHECK(tally.valid == 3);
  CHECK(tally.votes == std::vector<std::uint32_t>{3, 1, 1});
  CHECK(tally.elected == std::vector<std::uint32_t>{0});  // 3 of 3 valid; 1 of 3 is not more than half
  CHECK(tally.needsRunoff);

  CHECK(book.confirmationsNeeded(*ballot) == 2);
  CHECK_THROWS_AS(book.apply(BallotPublished{1, 71'000}), std::logic_error);
  book.apply(TallyConfirmed{1, 12, 71'000});
  CHECK_THROWS_AS(book.apply(TallyConfirmed{1, 12, 71'500}), std::logic_error);  // twice
  CHECK_THROWS_AS(book.apply(TallyConfirmed{1, 4, 71'500}), std::logic_error);   // not in the committee
  CHECK_THROWS_AS(book.apply(BallotPublished{1, 72'000}), std::logic_error);
  book.apply(TallyConfirmed{1, 10, 72'000});
  CHECK(ballot->confirmedBy == std::vector<std::uint32_t>{12, 10});

  book.apply(BallotPublished{1, 73'000});
  CHECK(ballot->status == BallotStatus::Published);
  CHECK(ballot->publishedMs == 73'000);
  CHECK(ballot->tally.has_value());
}

TEST_CASE("a named motion: votes kept per delegate, published without confirmations") {
  BallotBook book = bookWithOpenMotion();
  const BallotState& ballot = *book.find(1);
  book.apply(vote(ballot, 1, {0}));
  book.apply(vote(ballot, 2, {0}));
  book.apply(vote(ballot, 3, {0}));
  book.apply(vote(ballot, 4, {0}));
  book.apply(vote(ballot, 5, {1}));
  CHECK(ballot.named.at(5).choices == std::vector<std::uint32_t>{1});
  CHECK(ballot.named.at(5).receiptHash == "receipt-5");
  CHECK(ballot.secret.empty());
  book.apply(BallotClosed{1, 2'000, false});
  CHECK(ballot.tally->outcome == Outcome::Adopted);  // 4 of 6 summoned
  CHECK(book.confirmationsNeeded(ballot) == 0);
  book.apply(BallotPublished{1, 3'000});
  CHECK(ballot.status == BallotStatus::Published);
}

TEST_CASE("a named vote can be replaced when the ballot allows changes") {
  BallotBook book = bookWithOpenMotion();
  const BallotState& ballot = *book.find(1);
  book.apply(vote(ballot, 2, {1}));
  CHECK_THROWS_AS(book.apply(vote(ballot, 2, {0})), std::logic_error);  // not marked as a replacement
  CHECK_THROWS_AS(book.apply(vote(ballot, 3, {0}, true)), std::logic_error);  // nothing to replace

  book.apply(vote(ballot, 2, {0}, true));
  CHECK(ballot.named.size() == 1);
  CHECK(ballot.named.at(2).choices == std::vector<std::uint32_t>{0});
  CHECK(ballot.voted.size() == 1);
  // Only the receipt of the vote that counts remains.
  CHECK(ballot.receipts.count("receipt-2-again") == 1);
  CHECK(ballot.receipts.count("receipt-2") == 0);

  BallotBook strict;
  strict.apply(BallotDrafted{namedMotion(1, false), 0});
  strict.apply(opening(1, {1, 2}, 2));
  strict.apply(vote(*strict.find(1), 1, {1}));
  CHECK_THROWS_AS(strict.apply(vote(*strict.find(1), 1, {0}, true)), std::logic_error);
}

TEST_CASE("a secret vote is never stored with its voter") {
  BallotBook book;
  book.apply(BallotDrafted{secretElection(1), 0});
  book.apply(opening(1, {7, 8, 9}, 3));
  const BallotState& ballot = *book.find(1);
  book.apply(vote(ballot, 8, {1, 2}));
  book.apply(vote(ballot, 7, {0}));
  CHECK(ballot.named.empty());
  REQUIRE(ballot.secret.size() == 2);
  // SecretVote has no voter field: participation and contents are apart.
  CHECK(ballot.secret[0] == SecretVote{{1, 2}, "receipt-8"});
  CHECK(ballot.voted == std::unordered_set<std::uint32_t>{7, 8});
  CHECK_THROWS_AS(book.apply(vote(ballot, 8, {0})), std::logic_error);  // one vote each

  VoteCast replacement = vote(ballot, 7, {1}, true);
  CHECK_THROWS_AS(book.apply(replacement), std::logic_error);
  VoteCast namedIntoSecret = vote(ballot, 9, {1});
  namedIntoSecret.secret = false;
  CHECK_THROWS_AS(book.apply(namedIntoSecret), std::logic_error);
  CHECK(ballot.secret.size() == 2);
}

TEST_CASE("votes that do not fit are refused") {
  BallotBook book = bookWithOpenMotion();
  const BallotState& ballot = *book.find(1);
  CHECK_THROWS_AS(book.apply(vote(ballot, 6, {0})), std::logic_error);     // not eligible
  CHECK_THROWS_AS(book.apply(vote(ballot, 1, {0, 1})), std::logic_error);  // too many for a motion
  CHECK_THROWS_AS(book.apply(vote(ballot, 1, {3})), std::logic_error);     // no such option
  VoteCast wrongBallot = vote(ballot, 1, {0});
  wrongBallot.ballotId = 9;
  CHECK_THROWS_AS(book.apply(wrongBallot), std::logic_error);
  book.apply(vote(ballot, 1, {0}));
  VoteCast sameReceipt = vote(ballot, 2, {0});
  sameReceipt.receiptHash = "receipt-1";
  CHECK_THROWS_AS(book.apply(sameReceipt), std::logic_error);
  CHECK(ballot.voted.size() == 1);
}

TEST_CASE("wrong transitions are bugs") {
  BallotBook book;
  CHECK_THROWS_AS(book.apply(opening(1, {}, 0)), std::logic_error);  // unknown ballot
  book.apply(BallotDrafted{namedMotion(1), 0});
  CHECK_THROWS_AS(book.apply(BallotDrafted{namedMotion(1), 0}), std::logic_error);  // same id
  CHECK_THROWS_AS(book.apply(BallotDrafted{namedMotion(0), 0}), std::logic_error);  // no id
  const BallotState& ballot = *book.find(1);

  CHECK_THROWS_AS(book.apply(vote(ballot, 1, {0})), std::logic_error);           // draft
  CHECK_THROWS_AS(book.apply(BallotClosed{1, 0, false}), std::logic_error);      // draft
  CHECK_THROWS_AS(book.apply(TallyConfirmed{1, 1, 0}), std::logic_error);       // draft
  CHECK_THROWS_AS(book.apply(BallotPublished{1, 0}), std::logic_error);          // draft
  CHECK_THROWS_AS(book.apply(opening(1, {3, 2}, 3)), std::logic_error);          // not ascending
  CHECK_THROWS_AS(book.apply(opening(1, {2, 2}, 3)), std::logic_error);          // repeated
  CHECK(ballot.status == BallotStatus::Draft);

  book.apply(opening(1, {1, 2}, 2));
  CHECK_THROWS_AS(book.apply(opening(1, {1, 2}, 2)), std::logic_error);  // open again
  CHECK_THROWS_AS(book.apply(BallotPublished{1, 0}), std::logic_error);  // open
  book.apply(BallotClosed{1, 5, false});
  CHECK_THROWS_AS(book.apply(BallotClosed{1, 6, false}), std::logic_error);
  CHECK_THROWS_AS(book.apply(vote(ballot, 1, {0})), std::logic_error);
  CHECK_THROWS_AS(book.apply(BallotCancelled{1, 6, "muộn"}), std::logic_error);  // closed
  book.apply(BallotPublished{1, 7});
  CHECK_THROWS_AS(book.apply(BallotPublished{1, 8}), std::logic_error);
  CHECK_THROWS_AS(book.apply(BallotCancelled{1, 8, "muộn"}), std::logic_error);
  CHECK(ballot.status == BallotStatus::Published);
}

TEST_CASE("cancel from draft or open") {
  BallotBook book;
  book.apply(BallotDrafted{namedMotion(1), 0});
  book.apply(BallotDrafted{namedMotion(2), 0});
  book.apply(BallotCancelled{1, 10, "Trùng nội dung"});
  const BallotState& draft = *book.find(1);
  CHECK(draft.status == BallotStatus::Cancelled);
  CHECK(draft.cancelledMs == 10);
  CHECK(draft.cancelReason == "Trùng nội dung");
  CHECK_FALSE(book.anyOpened());

  book.apply(opening(2, {1, 2}, 2));
  book.apply(vote(*book.find(2), 1, {0}));
  book.apply(BallotCancelled{2, 20, "Lỗi thiết bị"});
  CHECK(book.find(2)->status == BallotStatus::Cancelled);
  CHECK_FALSE(book.find(2)->tally.has_value());
  CHECK(book.openIds().empty());
  CHECK(book.anyOpened());
  CHECK_THROWS_AS(book.apply(BallotCancelled{2, 30, "lần nữa"}), std::logic_error);
  CHECK_THROWS_AS(book.apply(opening(2, {1, 2}, 2)), std::logic_error);
}

TEST_CASE("confirmations needed: more than half of the committee, when asked for") {
  BallotBook book;
  BallotState ballot;
  ballot.definition = secretElection(1);
  CHECK(book.confirmationsNeeded(ballot) == 0);  // no committee
  book.apply(CountingCommitteeAppointed{{4}});
  CHECK(book.confirmationsNeeded(ballot) == 1);
  book.apply(CountingCommitteeAppointed{{1, 2}});
  CHECK(book.confirmationsNeeded(ballot) == 2);
  book.apply(CountingCommitteeAppointed{{1, 2, 3, 4, 5}});
  CHECK(book.confirmationsNeeded(ballot) == 3);
  book.apply(CountingCommitteeAppointed{{1, 2, 3, 4, 5, 6}});
  CHECK(book.confirmationsNeeded(ballot) == 4);
  CHECK(book.inCountingCommittee(6));
  CHECK_FALSE(book.inCountingCommittee(7));
  ballot.definition.confirmationRequired = false;
  CHECK(book.confirmationsNeeded(ballot) == 0);

  CHECK_THROWS_AS(book.apply(CountingCommitteeAppointed{{2, 1}}), std::logic_error);
  book.apply(CountingCommitteeAppointed{{}});
  CHECK(book.countingCommittee().empty());
}

TEST_CASE("voting rules chosen") {
  BallotBook book;
  VotingRules rules = presetRules(RulePreset::Generic);
  rules.participationQuorum = Fraction{1, 2};
  book.apply(VotingRulesChosen{RulePreset::Generic, rules});
  CHECK(book.preset() == RulePreset::Generic);
  CHECK(book.rules() == rules);
  rules.election.fraction = Fraction{3, 0};
  CHECK_THROWS_AS(book.apply(VotingRulesChosen{RulePreset::Generic, rules}), std::logic_error);
  CHECK(book.rules().election.fraction == Fraction{1, 2});
}

TEST_CASE("restore: tallies recounted, receipts rebuilt, next id after the largest") {
  BallotBook book;
  BallotState closed;
  closed.definition = secretElection(7);
  closed.status = BallotStatus::Closed;
  closed.openedMs = 100;
  closed.closedMs = 200;
  closed.eligible = std::make_shared<const std::vector<std::uint32_t>>(std::vector<std::uint32_t>{1, 2, 3});
  closed.summoned = 4;
  closed.voted = {1, 2, 3};
  closed.secret = {SecretVote{{0, 1}, "r1"}, SecretVote{{0}, "r2"}, SecretVote{{}, "r3"}};
  Tally stale;
  stale.outcome = Outcome::Adopted;
  closed.tally = stale;  // whatever was stored, the count is redone
  book.restore(closed);

  BallotState draft;
  draft.definition = namedMotion(3);
  book.restore(draft);

  const BallotState& restored = *book.find(7);
  REQUIRE(restored.tally.has_value());
  CHECK(*restored.tally == countBallots(closed.definition, 3, 4, closed.contents()));
  CHECK(restored.tally->elected == std::vector<std::uint32_t>{0});  // 2 of 2 valid
  CHECK(restored.tally->invalid == 1);
  CHECK(restored.receipts == std::unordered_set<std::string>{"r1", "r2", "r3"});
  CHECK(book.nextId() == 8);
  CHECK(book.anyOpened());
  CHECK_THROWS_AS(book.restore(closed), std::logic_error);  // the same id twice

  book.apply(BallotDrafted{namedMotion(book.nextId()), 0});
  CHECK(book.find(8) != nullptr);
  CHECK(book.nextId() == 9);
}

TEST_CASE("restore: only drafts and never-opened cancellations leave the roster free") {
  BallotBook book;
  BallotState draft;
  draft.definition = namedMotion(2);
  book.restore(draft);
  BallotState cancelledDraft;
  cancelledDraft.definition = namedMotion(5);
  cancelledDraft.status = BallotStatus::Cancelled;
  book.restore(cancelledDraft);
  CHECK_FALSE(book.anyOpened());
  CHECK(book.nextId() == 6);

  BallotState open;
  open.definition = namedMotion(4);
  open.status = BallotStatus::Open;
  open.openedMs = 10;
  open.eligible = std::make_shared<const std::vector<std::uint32_t>>(std::vector<std::uint32_t>{1});
  open.named = {{1, NamedVote{{0}, "r"}}};
  open.voted = {1};
  book.restore(open);
  CHECK(book.anyOpened());
  CHECK(book.openIds() == std::vector<std::uint32_t>{4});
  CHECK_FALSE(book.find(4)->tally.has_value());
  CHECK(book.nextId() == 6);  // not lowered by a smaller id

  book.restoreCountingCommittee({9, 3, 3});
  CHECK(book.countingCommittee() == std::vector<std::uint32_t>{3, 9});
  book.restoreRules(RulePreset::Generic, presetRules(RulePreset::Generic));
  CHECK(book.preset() == RulePreset::Generic);
}

TEST_CASE("a copied book is independent") {
  BallotBook book = bookWithOpenMotion();
  BallotBook copy = book;
  copy.apply(vote(*copy.find(1), 1, {0}));
  CHECK(copy.find(1)->hasVoted(1));
  CHECK_FALSE(book.find(1)->hasVoted(1));
  CHECK(copy.find(1)->eligible == book.find(1)->eligible);  // the snapshot is shared, never changed
}
