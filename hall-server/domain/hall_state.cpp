#include "domain/hall_state.hpp"

#include <algorithm>
#include <type_traits>

namespace daihoi::domain {

HallState::HallState(Congress congress, std::shared_ptr<const Roster> roster)
    : congress_(std::move(congress)), roster_(std::move(roster)) {
  attendance_.emplace(*roster_, congress_.quorum);
}

HallState::HallState(const HallState& other)
    : congress_(other.congress_),
      roster_(other.roster_),
      ballots_(other.ballots_),
      sittings_(other.sittings_),
      rollCalls_(other.rollCalls_),
      documents_(other.documents_),
      discussionGroups_(other.discussionGroups_),
      comments_(other.comments_),
      reading_(other.reading_) {
  attendance_.emplace(*roster_, congress_.quorum);
  for (std::uint32_t id : other.attendance_->presentIds()) {
    attendance_->setPresent(id, true);
  }
}

void HallState::apply(const Change& change) {
  std::visit(
      [this](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, AttendanceRecorded>) {
          attendance_->setPresent(c.delegateId, c.present);
        } else if constexpr (std::is_same_v<T, RosterReplaced>) {
          roster_ = std::make_shared<const Roster>(c.roster);
          attendance_.emplace(*roster_, congress_.quorum);
        } else if constexpr (std::is_same_v<T, BallotDrafted> || std::is_same_v<T, BallotOpened> ||
                             std::is_same_v<T, VoteCast> || std::is_same_v<T, BallotClosed> ||
                             std::is_same_v<T, TallyConfirmed> || std::is_same_v<T, BallotPublished> ||
                             std::is_same_v<T, BallotCancelled> || std::is_same_v<T, CountingCommitteeAppointed> ||
                             std::is_same_v<T, VotingRulesChosen>) {
          ballots_.apply(c);
        } else if constexpr (std::is_same_v<T, SittingStarted>) {
          sittings_.push_back(c.sitting);
        } else if constexpr (std::is_same_v<T, SittingEnded>) {
          for (Sitting& sitting : sittings_) {
            if (sitting.id == c.id) sitting.endedMs = c.timeMs;
          }
        } else if constexpr (std::is_same_v<T, RollCallTaken>) {
          rollCalls_ = std::max(rollCalls_, c.id);
        } else if constexpr (std::is_same_v<T, DocumentVersionAdded>) {
          documents_.addVersion(c.header, c.version);
        } else if constexpr (std::is_same_v<T, DiscussionGroupsSet>) {
          discussionGroups_ = c.groups;
        } else if constexpr (std::is_same_v<T, CommentAdded>) {
          comments_.add(c.comment);
        } else if constexpr (std::is_same_v<T, CommentMarked>) {
          comments_.mark(c.commentId, c.mark, c.note, c.by, c.timeMs);
        } else if constexpr (std::is_same_v<T, ContributionDecided>) {
          documents_.decideContribution(c.documentId, c.decision, c.audience);
        } else if constexpr (std::is_same_v<T, DocumentOpened>) {
          reading_.record(c.documentId, c.version, c.delegateId, c.timeMs);
        }
      },
      change);
}

const Sitting* HallState::currentSitting() const {
  if (sittings_.empty() || sittings_.back().endedMs != 0) return nullptr;
  return &sittings_.back();
}

std::uint32_t HallState::currentSittingId() const {
  const Sitting* sitting = currentSitting();
  return sitting ? sitting->id : 0;
}

void HallState::loadSittings(std::vector<Sitting> sittings, std::uint32_t rollCalls) {
  sittings_ = std::move(sittings);
  rollCalls_ = rollCalls;
}

}  // namespace daihoi::domain
