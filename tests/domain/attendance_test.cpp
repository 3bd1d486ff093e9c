#include <doctest/doctest.h>

#include <stdexcept>

#include "domain/attendance.hpp"

using namespace daihoi::domain;

namespace {
// Two delegations: 1 has ids 1..4 (4 is a guest), 2 has ids 5..6.
Roster sixDelegates() {
  std::vector<Delegation> delegations{{1, "Đoàn Hà Nội"}, {2, "Đoàn Cần Thơ"}};
  std::vector<Delegate> delegates;
  for (std::uint32_t id = 1; id <= 6; ++id) {
    Delegate d;
    d.id = id;
    d.code = "D-" + std::to_string(id);
    d.fullName = "Phạm Minh Đức " + std::to_string(id);
    d.delegationId = id <= 4 ? 1 : 2;
    d.voting = id != 4;
    delegates.push_back(d);
  }
  return Roster(delegations, delegates);
}
}  // namespace

TEST_CASE("nobody present at the start") {
  const Roster roster = sixDelegates();
  const Attendance attendance(roster, Fraction{2, 3});
  CHECK(attendance.totals() == AttendanceTotals{0, 0, 5, 4, false});
  CHECK_FALSE(attendance.isPresent(1));
  CHECK(attendance.presentIds().empty());
  CHECK(attendance.allCounts() == std::vector<DelegationCount>{{1, 0, 4}, {2, 0, 2}});
}

TEST_CASE("quorum needs two thirds of the voting delegates; guests do not count") {
  const Roster roster = sixDelegates();
  Attendance attendance(roster, Fraction{2, 3});
  CHECK(attendance.setPresent(4, true));  // the guest
  CHECK(attendance.setPresent(1, true));
  CHECK(attendance.setPresent(2, true));
  CHECK(attendance.setPresent(5, true));
  CHECK(attendance.totals() == AttendanceTotals{4, 3, 5, 4, false});
  CHECK(attendance.setPresent(6, true));
  CHECK(attendance.totals() == AttendanceTotals{5, 4, 5, 4, true});
  CHECK(attendance.setPresent(2, false));
  CHECK(attendance.totals() == AttendanceTotals{4, 3, 5, 4, false});
}

TEST_CASE("setting the same state twice changes nothing") {
  const Roster roster = sixDelegates();
  Attendance attendance(roster, Fraction{1, 2});
  CHECK(attendance.setPresent(3, true));
  CHECK_FALSE(attendance.setPresent(3, true));
  CHECK(attendance.totals().present == 1);
  CHECK(attendance.totals().presentVoting == 1);
  CHECK(attendance.countFor(1).present == 1);
  CHECK(attendance.setPresent(3, false));
  CHECK_FALSE(attendance.setPresent(3, false));
  CHECK_FALSE(attendance.setPresent(5, false));  // never present
  CHECK(attendance.totals() == AttendanceTotals{0, 0, 5, 3, false});
  CHECK(attendance.countFor(1) == DelegationCount{1, 0, 4});
}

TEST_CASE("per-delegation counts and present ids") {
  const Roster roster = sixDelegates();
  Attendance attendance(roster, Fraction{2, 3});
  for (std::uint32_t id : {6u, 1u, 4u}) {
    attendance.setPresent(id, true);
  }
  CHECK(attendance.countFor(1) == DelegationCount{1, 2, 4});
  CHECK(attendance.countFor(2) == DelegationCount{2, 1, 2});
  CHECK(attendance.countFor(99) == DelegationCount{99, 0, 0});
  CHECK(attendance.allCounts() == std::vector<DelegationCount>{{1, 2, 4}, {2, 1, 2}});
  CHECK(attendance.presentIds() == std::vector<std::uint32_t>{1, 4, 6});
  CHECK(attendance.isPresent(4));
  CHECK_FALSE(attendance.isPresent(5));
}

TEST_CASE("an empty roster never has a quorum") {
  const Roster roster;
  const Attendance attendance(roster, Fraction{2, 3});
  CHECK(attendance.totals() == AttendanceTotals{0, 0, 0, 0, false});
}

TEST_CASE("a roster of guests only has nobody summoned and no quorum") {
  Delegate guest;
  guest.id = 1;
  guest.code = "G-1";
  guest.fullName = "Võ Thị Sáu";
  guest.delegationId = 1;
  guest.voting = false;
  const Roster roster({{1, "Khách mời"}}, {guest});
  Attendance attendance(roster, Fraction{1, 2});
  attendance.setPresent(1, true);
  CHECK(attendance.totals() == AttendanceTotals{1, 0, 0, 0, false});
}

TEST_CASE("unknown delegates and invalid quorum rules are programming errors") {
  const Roster roster = sixDelegates();
  Attendance attendance(roster, Fraction{2, 3});
  CHECK_THROWS_AS(attendance.setPresent(7, true), std::invalid_argument);
  CHECK_THROWS_AS(attendance.setPresent(0, false), std::invalid_argument);
  CHECK(attendance.totals().present == 0);
  CHECK_THROWS_AS(Attendance(roster, Fraction{1, 0}), std::invalid_argument);
}

TEST_CASE("500 delegates: 334 present voting reach the quorum, 333 do not") {
  std::vector<Delegate> delegates;
  for (std::uint32_t id = 1; id <= 500; ++id) {
    Delegate d;
    d.id = id;
    d.code = "X-" + std::to_string(id);
    d.delegationId = 1;
    delegates.push_back(d);
  }
  const Roster roster({{1, "Đoàn Quân đội"}}, delegates);
  Attendance attendance(roster, Fraction{2, 3});
  for (std::uint32_t id = 1; id <= 333; ++id) {
    attendance.setPresent(id, true);
  }
  CHECK(attendance.totals() == AttendanceTotals{333, 333, 500, 334, false});
  attendance.setPresent(334, true);
  CHECK(attendance.totals() == AttendanceTotals{334, 334, 500, 334, true});
}
