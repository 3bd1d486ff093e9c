#pragma once
// A terminal's copy of the hall state: a Snapshot, then the Events that follow it, and the
// live ballot progress pushed outside the event sequence.
// Pure data, no I/O and no locking: HallClient keeps one behind its own mutex, tests drive it directly.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daihoi.pb.h"

namespace daihoi::client {

enum class EventApplication : std::uint8_t {
  Applied,    // seq > lastSeq(): the mirror changed (or at least lastSeq moved)
  Duplicate,  // seq <= lastSeq(): already applied, nothing changed
};

class StateMirror {
 public:
  // Replaces everything: a fresh snapshot is the whole truth as of snapshot.seq.
  void applySnapshot(const daihoi::v1::Snapshot& snapshot);
  // Seqs may skip (a session sees only the events its role may see); older or equal seqs are duplicates.
  EventApplication apply(const daihoi::v1::Event& event);
  // A GetRoster reply: replaces delegations and delegates and clears rosterStale().
  void applyRoster(const daihoi::v1::RosterReply& roster);
  // A GetAttendance reply. Ignored (returns false) when older than lastSeq(): events already applied are newer.
  bool applyAttendance(const daihoi::v1::AttendanceReply& attendance);
  // Live updates are not numbered: they never move lastSeq().
  void applyLiveUpdate(const daihoi::v1::LiveUpdate& update);
  // A LiveUpdate's or GetBallotProgress reply's progress. Votes are never withdrawn, so a
  // progress counting fewer votes than the one kept is older and ignored (returns false).
  bool applyBallotProgress(const daihoi::v1::BallotProgress& progress);
  // The delegate this terminal signs in as, or nothing for staff and devices. Shared ballot
  // events omit you_are_eligible/you_have_voted; the mirror derives them for this delegate.
  // Kept by applySnapshot(), reset by clear().
  void setOwnDelegate(std::optional<std::uint32_t> delegateId) { ownDelegate_ = delegateId; }
  // Forget everything (e.g. after signing out).
  void clear();

  bool hasSnapshot() const { return hasSnapshot_; }
  std::uint64_t lastSeq() const { return lastSeq_; }
  std::uint64_t duplicatesIgnored() const { return duplicatesIgnored_; }
  // After RosterReplaced: delegations/delegates are outdated until applyRoster().
  bool rosterStale() const { return rosterStale_; }
  // After RosterReplaced: present ids, totals and counts are outdated until applyAttendance().
  bool attendanceStale() const { return attendanceStale_; }

  const daihoi::v1::Congress& congress() const { return congress_; }
  const std::vector<daihoi::v1::Delegation>& delegations() const { return delegations_; }
  const std::vector<daihoi::v1::Delegate>& delegates() const { return delegates_; }
  const daihoi::v1::Delegation* findDelegation(std::uint32_t id) const;
  const daihoi::v1::Delegate* findDelegate(std::uint32_t id) const;
  const daihoi::v1::Delegate* findDelegateByCode(std::string_view code) const;

  bool isPresent(std::uint32_t delegateId) const { return present_.count(delegateId) != 0; }
  std::vector<std::uint32_t> presentIds() const;  // ascending
  const daihoi::v1::AttendanceTotals& totals() const { return totals_; }
  std::vector<daihoi::v1::DelegationCount> delegationCounts() const;  // ascending by delegation id
  std::optional<daihoi::v1::DelegationCount> countFor(std::uint32_t delegationId) const;

  std::optional<std::uint32_t> ownDelegate() const { return ownDelegate_; }
  // The ballots this terminal may see, by id; for a delegate with its own flags.
  const std::map<std::uint32_t, daihoi::v1::Ballot>& ballots() const { return ballots_; }
  const daihoi::v1::Ballot* findBallot(std::uint32_t ballotId) const;
  // The result published by BallotPublished, or nullptr while unpublished (or not seen).
  const daihoi::v1::BallotResult* publishedResult(std::uint32_t ballotId) const;
  // The latest live participation of a ballot, or nullptr when none arrived.
  const daihoi::v1::BallotProgress* ballotProgress(std::uint32_t ballotId) const;
  const std::vector<std::uint32_t>& countingCommittee() const { return countingCommittee_; }  // delegate ids
  bool inCountingCommittee(std::uint32_t delegateId) const;
  const daihoi::v1::VotingRules& votingRules() const { return votingRules_; }
  // The sitting in session (Snapshot.sitting, then SittingChanged), or nothing between sittings.
  const std::optional<daihoi::v1::Sitting>& sitting() const { return sitting_; }
  // The latest roll call seen (RollCallTaken), or nothing: a snapshot does not carry it.
  const std::optional<daihoi::v1::RollCallTaken>& lastRollCall() const { return lastRollCall_; }
  // The documents this terminal may read, by id, each with all its versions (the last is the
  // newest): the snapshot's, then DocumentPublished and ContributionDecided.
  const std::map<std::uint32_t, daihoi::v1::DocumentSummary>& documents() const { return documents_; }
  const daihoi::v1::DocumentSummary* findDocument(std::uint32_t id) const;
  // The discussion groups and who reads comments (snapshot, then DiscussionGroupsChanged).
  const std::vector<daihoi::v1::DiscussionGroup>& discussionGroups() const { return discussionGroups_; }
  daihoi::v1::CommentVisibility commentVisibility() const { return commentVisibility_; }

 private:
  void setRoster(const google::protobuf::RepeatedPtrField<daihoi::v1::Delegation>& delegations,
                 const google::protobuf::RepeatedPtrField<daihoi::v1::Delegate>& delegates);
  void setAttendance(const google::protobuf::RepeatedField<std::uint32_t>& presentIds,
                     const daihoi::v1::AttendanceTotals& totals,
                     const google::protobuf::RepeatedPtrField<daihoi::v1::DelegationCount>& counts);
  void applyAttendanceChanged(const daihoi::v1::AttendanceChanged& change);
  // Stores a shared view of a ballot, keeping the delegate's own flags of the view it replaces.
  daihoi::v1::Ballot& upsertBallot(const daihoi::v1::Ballot& shared);
  void applyBallotUpdated(const daihoi::v1::BallotUpdated& update);
  void applyVoteRecorded(const daihoi::v1::VoteRecorded& recorded);
  void applyBallotPublished(const daihoi::v1::BallotPublished& published);
  void applySittingChanged(const daihoi::v1::SittingChanged& changed);

  bool hasSnapshot_ = false;
  std::uint64_t lastSeq_ = 0;
  std::uint64_t duplicatesIgnored_ = 0;
  bool rosterStale_ = false;
  bool attendanceStale_ = false;
  daihoi::v1::Congress congress_;
  std::vector<daihoi::v1::Delegation> delegations_;
  std::vector<daihoi::v1::Delegate> delegates_;
  std::unordered_map<std::uint32_t, std::size_t> delegationIndex_;
  std::unordered_map<std::uint32_t, std::size_t> delegateIndex_;
  std::unordered_map<std::string, std::size_t> delegateCodeIndex_;
  std::set<std::uint32_t> present_;
  daihoi::v1::AttendanceTotals totals_;
  std::map<std::uint32_t, daihoi::v1::DelegationCount> counts_;
  std::optional<std::uint32_t> ownDelegate_;
  std::map<std::uint32_t, daihoi::v1::Ballot> ballots_;
  std::map<std::uint32_t, daihoi::v1::BallotResult> publishedResults_;
  std::map<std::uint32_t, daihoi::v1::BallotProgress> progress_;
  std::vector<std::uint32_t> countingCommittee_;
  daihoi::v1::VotingRules votingRules_;
  std::optional<daihoi::v1::Sitting> sitting_;
  std::optional<daihoi::v1::RollCallTaken> lastRollCall_;
  std::map<std::uint32_t, daihoi::v1::DocumentSummary> documents_;
  std::vector<daihoi::v1::DiscussionGroup> discussionGroups_;
  daihoi::v1::CommentVisibility commentVisibility_ = daihoi::v1::COMMENT_VISIBILITY_UNSPECIFIED;
};

}  // namespace daihoi::client
