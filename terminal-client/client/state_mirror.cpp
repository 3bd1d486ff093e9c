#include "client/state_mirror.hpp"

#include <algorithm>

namespace daihoi::client {

namespace v1 = daihoi::v1;

void StateMirror::applySnapshot(const v1::Snapshot& snapshot) {
  hasSnapshot_ = true;
  lastSeq_ = snapshot.seq();
  rosterStale_ = false;
  attendanceStale_ = false;
  congress_ = snapshot.congress();
  setRoster(snapshot.delegations(), snapshot.delegates());
  setAttendance(snapshot.present_delegate_ids(), snapshot.totals(), snapshot.delegation_counts());
  ballots_.clear();
  for (const auto& ballot : snapshot.ballots()) {
    ballots_[ballot.definition().id()] = ballot;
  }
  // A published result never changes, so it outlives the snapshot as long as the snapshot
  // agrees the ballot is published; progress only while the ballot is still there.
  std::erase_if(publishedResults_, [&](const auto& entry) {
    const v1::Ballot* ballot = findBallot(entry.first);
    return ballot == nullptr || ballot->status() != v1::BALLOT_STATUS_PUBLISHED;
  });
  std::erase_if(progress_, [&](const auto& entry) { return findBallot(entry.first) == nullptr; });
  countingCommittee_.assign(snapshot.counting_committee().begin(), snapshot.counting_committee().end());
  votingRules_ = snapshot.voting_rules();
  // Older servers send no sitting; an ended one is not "in session".
  if (snapshot.has_sitting() && snapshot.sitting().id() != 0 && snapshot.sitting().ended_ms() == 0) {
    sitting_ = snapshot.sitting();
  } else {
    sitting_.reset();
  }
  // The last roll call is history, not state: a snapshot does not carry it, so it is kept.
  documents_.clear();
  for (const auto& document : snapshot.documents()) documents_[document.id()] = document;
  discussionGroups_.assign(snapshot.discussion_groups().begin(), snapshot.discussion_groups().end());
  commentVisibility_ = snapshot.comment_visibility();
}

EventApplication StateMirror::apply(const v1::Event& event) {
  if (event.seq() <= lastSeq_) {
    ++duplicatesIgnored_;
    return EventApplication::Duplicate;
  }
  lastSeq_ = event.seq();
  switch (event.body_case()) {
    case v1::Event::kAttendanceChanged:
      applyAttendanceChanged(event.attendance_changed());
      break;
    case v1::Event::kRosterReplaced:
      // The event carries only counts; the new roster is fetched with GetRoster. Ids of the
      // old roster mean nothing in the new one, so presence and counts are dropped, not kept stale.
      rosterStale_ = true;
      attendanceStale_ = true;
      present_.clear();
      counts_.clear();
      break;
    case v1::Event::kBallotUpdated:
      applyBallotUpdated(event.ballot_updated());
      break;
    case v1::Event::kVoteRecorded:
      applyVoteRecorded(event.vote_recorded());
      break;
    case v1::Event::kBallotPublished:
      applyBallotPublished(event.ballot_published());
      break;
    case v1::Event::kCountingCommitteeAppointed: {
      const auto& ids = event.counting_committee_appointed().delegate_ids();
      countingCommittee_.assign(ids.begin(), ids.end());
      break;
    }
    case v1::Event::kVotingRulesChanged:
      votingRules_ = event.voting_rules_changed().rules();
      break;
    case v1::Event::kSittingChanged:
      applySittingChanged(event.sitting_changed());
      break;
    case v1::Event::kRollCallTaken:
      lastRollCall_ = event.roll_call_taken();
      break;
    case v1::Event::kDocumentPublished:
      documents_[event.document_published().document().id()] = event.document_published().document();
      break;
    case v1::Event::kContributionDecided:
      documents_[event.contribution_decided().document().id()] = event.contribution_decided().document();
      break;
    case v1::Event::kDiscussionGroupsChanged: {
      const auto& groups = event.discussion_groups_changed().groups();
      discussionGroups_.assign(groups.begin(), groups.end());
      commentVisibility_ = event.discussion_groups_changed().visibility();
      break;
    }
    case v1::Event::kCommentAdded:
    case v1::Event::kCommentMarked:
      // Comments are read per document (ListComments); the mirror keeps no threads.
      break;
    case v1::Event::kFaceAttemptUnresolved:
    case v1::Event::kFaceEnrollmentChanged:
      // For the secretariat's screen and the organizer; nothing the mirror keeps.
      break;
    case v1::Event::kSessionOpened:
    case v1::Event::kSessionClosed:
    case v1::Event::BODY_NOT_SET:
      // Nothing in the mirror depends on who is signed in; an unknown body from a newer
      // server still moves lastSeq so that a resume does not ask for it again.
      break;
  }
  return EventApplication::Applied;
}

void StateMirror::applyAttendanceChanged(const v1::AttendanceChanged& change) {
  if (change.present()) {
    present_.insert(change.delegate_id());
  } else {
    present_.erase(change.delegate_id());
  }
  // Roles that may not see totals get them empty: keep what we have rather than zeros.
  if (change.has_totals()) {
    totals_ = change.totals();
  }
  if (change.has_delegation()) {
    counts_[change.delegation().delegation_id()] = change.delegation();
  }
}

v1::Ballot& StateMirror::upsertBallot(const v1::Ballot& shared) {
  v1::Ballot& stored = ballots_[shared.definition().id()];
  const bool wasEligible = stored.you_are_eligible();
  const bool hadVoted = stored.you_have_voted();
  stored = shared;
  stored.set_you_are_eligible(wasEligible);
  stored.set_you_have_voted(hadVoted);
  return stored;
}

void StateMirror::applyBallotUpdated(const v1::BallotUpdated& update) {
  v1::Ballot& ballot = upsertBallot(update.ballot());
  // Once a ballot has been opened, its updates reach only the delegates eligible for it:
  // a delegate that receives one is eligible.
  if (ownDelegate_ && ballot.opened_ms() != 0) {
    ballot.set_you_are_eligible(true);
  }
}

void StateMirror::applyVoteRecorded(const v1::VoteRecorded& recorded) {
  if (!ownDelegate_ || recorded.delegate_id() != *ownDelegate_) {
    return;
  }
  // The ballot is known: the voter saw it opened, in the snapshot or by BallotUpdated.
  auto it = ballots_.find(recorded.ballot_id());
  if (it == ballots_.end()) {
    return;
  }
  it->second.set_you_are_eligible(true);
  it->second.set_you_have_voted(true);
}

void StateMirror::applyBallotPublished(const v1::BallotPublished& published) {
  v1::BallotResult& result = publishedResults_[published.result().ballot().definition().id()];
  result = published.result();
  result.mutable_ballot()->set_status(v1::BALLOT_STATUS_PUBLISHED);
  upsertBallot(result.ballot());
}

void StateMirror::applySittingChanged(const v1::SittingChanged& changed) {
  const v1::Sitting& sitting = changed.sitting();
  if (sitting.ended_ms() == 0) {
    sitting_ = sitting;  // a new sitting replaces any other: one sitting at a time
  } else if (sitting_ && sitting_->id() == sitting.id()) {
    sitting_.reset();
  }
}

void StateMirror::applyLiveUpdate(const v1::LiveUpdate& update) {
  switch (update.body_case()) {
    case v1::LiveUpdate::kBallotProgress:
      applyBallotProgress(update.ballot_progress());
      break;
    case v1::LiveUpdate::BODY_NOT_SET:
      break;  // a kind of update from a newer server
  }
}

bool StateMirror::applyBallotProgress(const v1::BallotProgress& progress) {
  auto [it, inserted] = progress_.try_emplace(progress.ballot_id(), progress);
  if (inserted) {
    return true;
  }
  if (progress.votes_cast() < it->second.votes_cast()) {
    return false;
  }
  it->second = progress;
  return true;
}

void StateMirror::applyRoster(const v1::RosterReply& roster) {
  setRoster(roster.delegations(), roster.delegates());
  rosterStale_ = false;
}

bool StateMirror::applyAttendance(const v1::AttendanceReply& attendance) {
  if (attendance.seq() < lastSeq_) {
    return false;
  }
  lastSeq_ = attendance.seq();
  setAttendance(attendance.present_delegate_ids(), attendance.totals(), attendance.delegation_counts());
  attendanceStale_ = false;
  return true;
}

const v1::Ballot* StateMirror::findBallot(std::uint32_t ballotId) const {
  auto it = ballots_.find(ballotId);
  return it == ballots_.end() ? nullptr : &it->second;
}

const v1::BallotResult* StateMirror::publishedResult(std::uint32_t ballotId) const {
  auto it = publishedResults_.find(ballotId);
  return it == publishedResults_.end() ? nullptr : &it->second;
}

const v1::BallotProgress* StateMirror::ballotProgress(std::uint32_t ballotId) const {
  auto it = progress_.find(ballotId);
  return it == progress_.end() ? nullptr : &it->second;
}

bool StateMirror::inCountingCommittee(std::uint32_t delegateId) const {
  return std::find(countingCommittee_.begin(), countingCommittee_.end(), delegateId) != countingCommittee_.end();
}

const v1::DocumentSummary* StateMirror::findDocument(std::uint32_t id) const {
  auto it = documents_.find(id);
  return it == documents_.end() ? nullptr : &it->second;
}

void StateMirror::clear() {
  *this = StateMirror{};
}

void StateMirror::setRoster(const google::protobuf::RepeatedPtrField<v1::Delegation>& delegations,
                            const google::protobuf::RepeatedPtrField<v1::Delegate>& delegates) {
  delegations_.assign(delegations.begin(), delegations.end());
  delegates_.assign(delegates.begin(), delegates.end());
  delegationIndex_.clear();
  delegateIndex_.clear();
  delegateCodeIndex_.clear();
  for (std::size_t i = 0; i < delegations_.size(); ++i) {
    delegationIndex_[delegations_[i].id()] = i;
  }
  for (std::size_t i = 0; i < delegates_.size(); ++i) {
    delegateIndex_[delegates_[i].id()] = i;
    delegateCodeIndex_[delegates_[i].code()] = i;
  }
}

void StateMirror::setAttendance(const google::protobuf::RepeatedField<std::uint32_t>& presentIds,
                                const v1::AttendanceTotals& totals,
                                const google::protobuf::RepeatedPtrField<v1::DelegationCount>& counts) {
  present_ = std::set<std::uint32_t>(presentIds.begin(), presentIds.end());
  totals_ = totals;
  counts_.clear();
  for (const auto& count : counts) {
    counts_[count.delegation_id()] = count;
  }
}

const v1::Delegation* StateMirror::findDelegation(std::uint32_t id) const {
  auto it = delegationIndex_.find(id);
  return it == delegationIndex_.end() ? nullptr : &delegations_[it->second];
}

const v1::Delegate* StateMirror::findDelegate(std::uint32_t id) const {
  auto it = delegateIndex_.find(id);
  return it == delegateIndex_.end() ? nullptr : &delegates_[it->second];
}

const v1::Delegate* StateMirror::findDelegateByCode(std::string_view code) const {
  auto it = delegateCodeIndex_.find(std::string(code));
  return it == delegateCodeIndex_.end() ? nullptr : &delegates_[it->second];
}

std::vector<std::uint32_t> StateMirror::presentIds() const {
  return {present_.begin(), present_.end()};
}

std::vector<v1::DelegationCount> StateMirror::delegationCounts() const {
  std::vector<v1::DelegationCount> result;
  result.reserve(counts_.size());
  for (const auto& [id, count] : counts_) {
    result.push_back(count);
  }
  return result;
}

std::optional<v1::DelegationCount> StateMirror::countFor(std::uint32_t delegationId) const {
  auto it = counts_.find(delegationId);
  if (it == counts_.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace daihoi::client
