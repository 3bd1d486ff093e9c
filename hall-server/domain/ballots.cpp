#include "domain/ballots.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace daihoi::domain {

namespace {

[[noreturn]] void misfit(std::uint32_t ballotId, const std::string& what) {
  throw std::logic_error("ballot " + std::to_string(ballotId) + ": " + what);
}

void requireStatus(const BallotState& ballot, BallotStatus expected, std::string_view action) {
  if (ballot.status != expected) {
    misfit(ballot.definition.id, std::string(action) + " needs status " + std::string(statusName(expected)) +
                                     ", not " + std::string(statusName(ballot.status)));
  }
}

bool strictlyAscending(const std::vector<std::uint32_t>& ids) {
  return std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end();
}

bool wasOpened(const BallotState& ballot) {
  return ballot.status == BallotStatus::Open || ballot.status == BallotStatus::Closed ||
         ballot.status == BallotStatus::Published ||
         (ballot.status == BallotStatus::Cancelled && ballot.openedMs != 0);
}

BallotState& existing(std::map<std::uint32_t, BallotState>& ballots, std::uint32_t id) {
  auto it = ballots.find(id);
  if (it == ballots.end()) {
    misfit(id, "no such ballot");
  }
  return it->second;
}

Tally recount(const BallotState& ballot) {
  return countBallots(ballot.definition, static_cast<std::uint32_t>(ballot.eligible->size()), ballot.summoned,
                      ballot.contents());
}

}  // namespace

bool BallotState::isEligible(std::uint32_t delegateId) const {
  return std::binary_search(eligible->begin(), eligible->end(), delegateId);
}

std::vector<std::vector<std::uint32_t>> BallotState::contents() const {
  std::vector<std::vector<std::uint32_t>> all;
  all.reserve(named.size() + secret.size());
  for (const auto& [delegateId, vote] : named) {
    all.push_back(vote.choices);
  }
  for (const SecretVote& vote : secret) {
    all.push_back(vote.choices);
  }
  return all;
}

const BallotState* BallotBook::find(std::uint32_t id) const {
  auto it = ballots_.find(id);
  return it == ballots_.end() ? nullptr : &it->second;
}

std::vector<std::uint32_t> BallotBook::openIds() const {
  std::vector<std::uint32_t> ids;
  for (const auto& [id, ballot] : ballots_) {
    if (ballot.status == BallotStatus::Open) {
      ids.push_back(id);
    }
  }
  return ids;
}

bool BallotBook::inCountingCommittee(std::uint32_t delegateId) const {
  return std::binary_search(committee_.begin(), committee_.end(), delegateId);
}

std::uint32_t BallotBook::confirmationsNeeded(const BallotState& ballot) const {
  if (!ballot.definition.confirmationRequired || committee_.empty()) {
    return 0;
  }
  return static_cast<std::uint32_t>(committee_.size() / 2 + 1);
}

void BallotBook::apply(const BallotDrafted& change) {
  const std::uint32_t id = change.definition.id;
  if (id == 0 || ballots_.count(id) != 0) {
    misfit(id, "a drafted ballot needs a new, non-zero id");
  }
  BallotState ballot;
  ballot.definition = change.definition;
  ballot.status = BallotStatus::Draft;
  ballot.createdMs = change.timeMs;
  ballots_.emplace(id, std::move(ballot));
  nextId_ = std::max(nextId_, id + 1);
}

void BallotBook::apply(const BallotOpened& change) {
  BallotState& ballot = existing(ballots_, change.ballotId);
  requireStatus(ballot, BallotStatus::Draft, "opening");
  if (!strictlyAscending(change.eligible)) {
    misfit(change.ballotId, "the eligible delegates must be ascending without repeats");
  }
  ballot.status = BallotStatus::Open;
  ballot.openedMs = change.timeMs;
  ballot.deadlineMs = change.deadlineMs;
  ballot.eligible = std::make_shared<const std::vector<std::uint32_t>>(change.eligible);
  ballot.summoned = change.summoned;
  anyOpened_ = true;
}

void BallotBook::apply(const VoteCast& change) {
  BallotState& ballot = existing(ballots_, change.ballotId);
  requireStatus(ballot, BallotStatus::Open, "voting");
  const bool secretBallot = ballot.definition.mode == BallotMode::Secret;
  if (change.secret != secretBallot) {
    misfit(change.ballotId, "the vote's mode does not match the ballot's");
  }
  if (!ballot.isEligible(change.delegateId)) {
    misfit(change.ballotId, "delegate " + std::to_string(change.delegateId) + " is not eligible");
  }
  if (checkChoices(ballot.definition, change.choices) || change.choices != canonicalChoices(change.choices)) {
    misfit(change.ballotId, "the choices are not acceptable in canonical form");
  }
  if (ballot.receipts.count(change.receiptHash) != 0) {
    misfit(change.ballotId, "the receipt hash is already counted");
  }
  if (change.replacesEarlierVote) {
    auto earlier = ballot.named.find(change.delegateId);
    if (secretBallot || !ballot.definition.allowChanges || earlier == ballot.named.end()) {
      misfit(change.ballotId, "only an earlier named vote on a ballot allowing changes can be replaced");
    }
    // The replaced vote is no longer counted, so neither is its receipt.
    ballot.receipts.erase(earlier->second.receiptHash);
    earlier->second = NamedVote{change.choices, change.receiptHash};
  } else {
    if (ballot.hasVoted(change.delegateId)) {
      misfit(change.ballotId, "delegate " + std::to_string(change.delegateId) + " has already voted");
    }
    ballot.voted.insert(change.delegateId);
    if (secretBallot) {
      ballot.secret.push_back(SecretVote{change.choices, change.receiptHash});
    } else {
      ballot.named.emplace(change.delegateId, NamedVote{change.choices, change.receiptHash});
    }
  }
  ballot.receipts.insert(change.receiptHash);
}

void BallotBook::apply(const BallotClosed& change) {
  BallotState& ballot = existing(ballots_, change.ballotId);
  requireStatus(ballot, BallotStatus::Open, "closing");
  ballot.status = BallotStatus::Closed;
  ballot.closedMs = change.timeMs;
  ballot.closedByDeadline = change.byDeadline;
  ballot.tally = recount(ballot);
}

void BallotBook::apply(const TallyConfirmed& change) {
  BallotState& ballot = existing(ballots_, change.ballotId);
  requireStatus(ballot, BallotStatus::Closed, "confirming the tally");
  if (!inCountingCommittee(change.delegateId)) {
    misfit(change.ballotId, "delegate " + std::to_string(change.delegateId) + " is not in the counting committee");
  }
  if (std::find(ballot.confirmedBy.begin(), ballot.confirmedBy.end(), change.delegateId) !=
      ballot.confirmedBy.end()) {
    misfit(change.ballotId, "delegate " + std::to_string(change.delegateId) + " has already confirmed");
  }
  ballot.confirmedBy.push_back(change.delegateId);
}

void BallotBook::apply(const BallotPublished& change) {
  BallotState& ballot = existing(ballots_, change.ballotId);
  requireStatus(ballot, BallotStatus::Closed, "publishing");
  if (ballot.confirmedBy.size() < confirmationsNeeded(ballot)) {
    misfit(change.ballotId, "the counting committee has not confirmed the tally");
  }
  ballot.status = BallotStatus::Published;
  ballot.publishedMs = change.timeMs;
}

void BallotBook::apply(const BallotCancelled& change) {
  BallotState& ballot = existing(ballots_, change.ballotId);
  if (ballot.status != BallotStatus::Draft && ballot.status != BallotStatus::Open) {
    misfit(change.ballotId, "only a draft or open ballot can be cancelled, not a " +
                                std::string(statusName(ballot.status)) + " one");
  }
  ballot.status = BallotStatus::Cancelled;
  ballot.cancelledMs = change.timeMs;
  ballot.cancelReason = change.reason;
}

void BallotBook::apply(const CountingCommitteeAppointed& change) {
  if (!strictlyAscending(change.delegateIds)) {
    throw std::logic_error("the counting committee must be ascending without repeats");
  }
  committee_ = change.delegateIds;
}

void BallotBook::apply(const VotingRulesChosen& change) {
  restoreRules(change.preset, change.rules);
}

void BallotBook::restore(BallotState ballot) {
  const std::uint32_t id = ballot.definition.id;
  if (id == 0 || ballots_.count(id) != 0) {
    misfit(id, "a restored ballot needs a new, non-zero id");
  }
  if (!ballot.eligible) {
    ballot.eligible = std::make_shared<const std::vector<std::uint32_t>>();
  } else if (!strictlyAscending(*ballot.eligible)) {
    misfit(id, "the eligible delegates must be ascending without repeats");
  }
  // Receipts are derived from the counted contents, so they are rebuilt here
  // rather than trusted.
  ballot.receipts.clear();
  for (const auto& [delegateId, vote] : ballot.named) {
    ballot.receipts.insert(vote.receiptHash);
  }
  for (const SecretVote& vote : ballot.secret) {
    ballot.receipts.insert(vote.receiptHash);
  }
  if (ballot.status == BallotStatus::Closed || ballot.status == BallotStatus::Published) {
    ballot.tally = recount(ballot);
  } else {
    ballot.tally.reset();
  }
  anyOpened_ = anyOpened_ || wasOpened(ballot);
  nextId_ = std::max(nextId_, id + 1);
  ballots_.emplace(id, std::move(ballot));
}

void BallotBook::restoreCountingCommittee(std::vector<std::uint32_t> delegateIds) {
  std::sort(delegateIds.begin(), delegateIds.end());
  delegateIds.erase(std::unique(delegateIds.begin(), delegateIds.end()), delegateIds.end());
  committee_ = std::move(delegateIds);
}

void BallotBook::restoreRules(RulePreset preset, VotingRules rules) {
  if (!rules.motion.fraction.isValid() || !rules.election.fraction.isValid() ||
      !rules.multipleChoice.fraction.isValid() || !rules.participationQuorum.isValid()) {
    throw std::logic_error("voting rules with an invalid fraction");
  }
  preset_ = preset;
  rules_ = std::move(rules);
}

}  // namespace daihoi::domain
