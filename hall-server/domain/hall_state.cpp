#include "domain/hall_state.hpp"

#include <type_traits>

namespace daihoi::domain {

HallState::HallState(Congress congress, std::shared_ptr<const Roster> roster)
    : congress_(std::move(congress)), roster_(std::move(roster)) {
  attendance_.emplace(*roster_, congress_.quorum);
}

HallState::HallState(const HallState& other)
    : congress_(other.congress_), roster_(other.roster_), ballots_(other.ballots_) {
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
        }
      },
      change);
}

}  // namespace daihoi::domain
