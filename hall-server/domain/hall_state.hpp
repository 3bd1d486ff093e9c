#pragma once
// The congress state the hall server holds in memory. The server keeps two
// copies: `pending` (every staged change, used to decide requests) and
// `committed` (only changes whose commit is durable, used to answer reads and
// build snapshots), so nothing not yet on disk is ever shown to anyone.
#include <memory>
#include <optional>
#include <vector>

#include "domain/attendance.hpp"
#include "domain/ballots.hpp"
#include "domain/changes.hpp"
#include "domain/discussion.hpp"
#include "domain/documents.hpp"
#include "domain/model.hpp"

namespace daihoi::domain {

class HallState {
 public:
  HallState(Congress congress, std::shared_ptr<const Roster> roster);
  HallState(const HallState& other);
  HallState& operator=(const HallState&) = delete;

  const Congress& congress() const { return congress_; }
  const Roster& roster() const { return *roster_; }
  const std::shared_ptr<const Roster>& rosterPtr() const { return roster_; }
  const Attendance& attendance() const { return *attendance_; }
  const BallotBook& ballots() const { return ballots_; }
  // Loading only: ballots as stored.
  BallotBook& ballotsForLoading() { return ballots_; }

  // Sittings, ascending by id; the last one is in session when its endedMs is 0.
  const std::vector<Sitting>& sittings() const { return sittings_; }
  const Sitting* currentSitting() const;
  std::uint32_t currentSittingId() const;
  std::uint32_t rollCalls() const { return rollCalls_; }
  const DocumentLibrary& documents() const { return documents_; }
  // Loading only: documents as stored.
  DocumentLibrary& documentsForLoading() { return documents_; }
  const DiscussionGroups& discussionGroups() const { return discussionGroups_; }
  const CommentBook& comments() const { return comments_; }
  const ReadingRecord& reading() const { return reading_; }
  // Loading only.
  void loadSittings(std::vector<Sitting> sittings, std::uint32_t rollCalls);

  // Applies a change. Both copies apply the same changes in the same order.
  // Changes that are not congress state (sessions, badges) are ignored here.
  void apply(const Change& change);

 private:
  Congress congress_;
  std::shared_ptr<const Roster> roster_;
  std::optional<Attendance> attendance_;  // refers to *roster_; rebuilt when the roster is replaced
  BallotBook ballots_;
  std::vector<Sitting> sittings_;
  std::uint32_t rollCalls_ = 0;
  DocumentLibrary documents_;
  DiscussionGroups discussionGroups_;
  CommentBook comments_;
  ReadingRecord reading_;
};

}  // namespace daihoi::domain
