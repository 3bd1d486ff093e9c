#include <doctest/doctest.h>

#include "client/state_mirror.hpp"

namespace v1 = daihoi::v1;
using daihoi::client::EventApplication;
using daihoi::client::StateMirror;

namespace {

v1::AttendanceTotals totals(std::uint32_t present, std::uint32_t presentVoting, std::uint32_t summoned,
                            std::uint32_t required) {
  v1::AttendanceTotals t;
  t.set_present(present);
  t.set_present_voting(presentVoting);
  t.set_summoned(summoned);
  t.set_quorum_required(required);
  t.set_quorum_reached(presentVoting >= required);
  return t;
}

v1::DelegationCount count(std::uint32_t delegation, std::uint32_t present, std::uint32_t members) {
  v1::DelegationCount c;
  c.set_delegation_id(delegation);
  c.set_present(present);
  c.set_members(members);
  return c;
}

// Two delegations, three delegates; delegate 1 present; as of seq 10.
v1::Snapshot snapshotAt(std::uint64_t seq) {
  v1::Snapshot s;
  s.set_seq(seq);
  s.mutable_congress()->set_name("Đại hội đại biểu Đảng bộ lần thứ XV");
  s.mutable_congress()->set_quorum_numerator(2);
  s.mutable_congress()->set_quorum_denominator(3);
  auto* hanoi = s.add_delegations();
  hanoi->set_id(1);
  hanoi->set_name("Đoàn Hà Nội");
  auto* hue = s.add_delegations();
  hue->set_id(2);
  hue->set_name("Đoàn Thừa Thiên Huế");
  const struct {
    std::uint32_t id;
    const char* code;
    const char* name;
    std::uint32_t delegation;
  } people[] = {{1, "HN-001", "Nguyễn Văn An", 1}, {2, "HN-002", "Trần Thị Bích Ngọc", 1}, {3, "HUE-001", "Lê Đức Thọ", 2}};
  for (const auto& p : people) {
    auto* d = s.add_delegates();
    d->set_id(p.id);
    d->set_code(p.code);
    d->set_full_name(p.name);
    d->set_delegation_id(p.delegation);
    d->set_voting(true);
  }
  s.add_present_delegate_ids(1);
  *s.mutable_totals() = totals(1, 1, 3, 2);
  *s.add_delegation_counts() = count(1, 1, 2);
  *s.add_delegation_counts() = count(2, 0, 1);
  return s;
}

v1::Event attendanceEvent(std::uint64_t seq, std::uint32_t delegateId, bool present, v1::AttendanceTotals newTotals,
                          v1::DelegationCount newCount) {
  v1::Event e;
  e.set_seq(seq);
  auto* change = e.mutable_attendance_changed();
  change->set_delegate_id(delegateId);
  change->set_present(present);
  change->set_method(v1::ATTENDANCE_METHOD_BADGE);
  *change->mutable_totals() = newTotals;
  *change->mutable_delegation() = newCount;
  return e;
}

}  // namespace

TEST_CASE("a snapshot fills the mirror") {
  StateMirror mirror;
  CHECK_FALSE(mirror.hasSnapshot());
  mirror.applySnapshot(snapshotAt(10));
  CHECK(mirror.hasSnapshot());
  CHECK(mirror.lastSeq() == 10);
  CHECK(mirror.congress().name() == "Đại hội đại biểu Đảng bộ lần thứ XV");
  CHECK(mirror.delegations().size() == 2);
  CHECK(mirror.delegates().size() == 3);
  REQUIRE(mirror.findDelegateByCode("HN-002") != nullptr);
  CHECK(mirror.findDelegateByCode("HN-002")->full_name() == "Trần Thị Bích Ngọc");
  REQUIRE(mirror.findDelegation(2) != nullptr);
  CHECK(mirror.findDelegation(2)->name() == "Đoàn Thừa Thiên Huế");
  CHECK(mirror.findDelegate(99) == nullptr);
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{1});
  CHECK(mirror.totals().present() == 1);
  CHECK(mirror.delegationCounts().size() == 2);
}

TEST_CASE("check-in and check-out events update presence, totals and the delegation count") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));

  CHECK(mirror.apply(attendanceEvent(11, 3, true, totals(2, 2, 3, 2), count(2, 1, 1))) ==
        EventApplication::Applied);
  CHECK(mirror.isPresent(3));
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{1, 3});
  CHECK(mirror.totals().present_voting() == 2);
  CHECK(mirror.totals().quorum_reached());
  REQUIRE(mirror.countFor(2).has_value());
  CHECK(mirror.countFor(2)->present() == 1);
  CHECK(mirror.countFor(1)->present() == 1);  // other delegations untouched
  CHECK(mirror.lastSeq() == 11);

  CHECK(mirror.apply(attendanceEvent(12, 1, false, totals(1, 1, 3, 2), count(1, 0, 2))) ==
        EventApplication::Applied);
  CHECK_FALSE(mirror.isPresent(1));
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{3});
  CHECK_FALSE(mirror.totals().quorum_reached());
  CHECK(mirror.countFor(1)->present() == 0);
}

TEST_CASE("an event at or below lastSeq is a duplicate and changes nothing") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  REQUIRE(mirror.apply(attendanceEvent(11, 3, true, totals(2, 2, 3, 2), count(2, 1, 1))) ==
          EventApplication::Applied);

  // The same event again (e.g. replayed after a resume), and an older one.
  CHECK(mirror.apply(attendanceEvent(11, 3, false, totals(1, 1, 3, 2), count(2, 0, 1))) ==
        EventApplication::Duplicate);
  CHECK(mirror.apply(attendanceEvent(7, 2, true, totals(3, 3, 3, 2), count(1, 2, 2))) ==
        EventApplication::Duplicate);
  CHECK(mirror.duplicatesIgnored() == 2);
  CHECK(mirror.isPresent(3));
  CHECK_FALSE(mirror.isPresent(2));
  CHECK(mirror.totals().present() == 2);
  CHECK(mirror.lastSeq() == 11);
}

TEST_CASE("seqs may skip: a session sees only the events its role may see") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  CHECK(mirror.apply(attendanceEvent(15, 2, true, totals(2, 2, 3, 2), count(1, 2, 2))) ==
        EventApplication::Applied);
  CHECK(mirror.lastSeq() == 15);
  CHECK(mirror.isPresent(2));
  CHECK(mirror.duplicatesIgnored() == 0);
}

TEST_CASE("an event without totals (role may not see them) keeps the known totals") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  v1::Event e;
  e.set_seq(11);
  e.mutable_attendance_changed()->set_delegate_id(2);
  e.mutable_attendance_changed()->set_present(true);
  mirror.apply(e);
  CHECK(mirror.isPresent(2));
  CHECK(mirror.totals().present() == 1);
  CHECK(mirror.countFor(1)->present() == 1);
}

TEST_CASE("session events only move lastSeq") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  v1::Event opened;
  opened.set_seq(11);
  opened.mutable_session_opened()->mutable_principal()->set_login("chair1");
  CHECK(mirror.apply(opened) == EventApplication::Applied);
  v1::Event unknownBody;  // a body this client version does not know arrives as BODY_NOT_SET
  unknownBody.set_seq(12);
  CHECK(mirror.apply(unknownBody) == EventApplication::Applied);
  CHECK(mirror.lastSeq() == 12);
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{1});
  CHECK(mirror.delegates().size() == 3);
}

TEST_CASE("RosterReplaced marks the roster stale until GetRoster and GetAttendance replies arrive") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  v1::Event replaced;
  replaced.set_seq(11);
  replaced.mutable_roster_replaced()->set_delegations(1);
  replaced.mutable_roster_replaced()->set_delegates(2);
  CHECK(mirror.apply(replaced) == EventApplication::Applied);
  CHECK(mirror.rosterStale());
  CHECK(mirror.attendanceStale());
  CHECK(mirror.presentIds().empty());  // ids of the old roster mean nothing now
  CHECK(mirror.delegationCounts().empty());

  v1::RosterReply roster;
  auto* delegation = roster.add_delegations();
  delegation->set_id(1);
  delegation->set_name("Đoàn Đà Nẵng");
  auto* delegate = roster.add_delegates();
  delegate->set_id(1);
  delegate->set_code("DN-001");
  delegate->set_full_name("Võ Thị Sáu");
  delegate->set_delegation_id(1);
  mirror.applyRoster(roster);
  CHECK_FALSE(mirror.rosterStale());
  CHECK(mirror.attendanceStale());
  CHECK(mirror.delegates().size() == 1);
  CHECK(mirror.findDelegateByCode("HN-001") == nullptr);
  REQUIRE(mirror.findDelegateByCode("DN-001") != nullptr);
  CHECK(mirror.findDelegation(1)->name() == "Đoàn Đà Nẵng");

  v1::AttendanceReply attendance;
  attendance.set_seq(11);
  *attendance.mutable_totals() = totals(0, 0, 1, 1);
  *attendance.add_delegation_counts() = count(1, 0, 1);
  CHECK(mirror.applyAttendance(attendance));
  CHECK_FALSE(mirror.attendanceStale());
  CHECK(mirror.totals().summoned() == 1);
  CHECK(mirror.countFor(1)->members() == 1);
}

TEST_CASE("an attendance reply older than the applied events is ignored") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  mirror.apply(attendanceEvent(12, 3, true, totals(2, 2, 3, 2), count(2, 1, 1)));
  v1::AttendanceReply stale;
  stale.set_seq(11);
  *stale.mutable_totals() = totals(0, 0, 3, 2);
  CHECK_FALSE(mirror.applyAttendance(stale));
  CHECK(mirror.isPresent(3));
  CHECK(mirror.totals().present() == 2);

  v1::AttendanceReply newer;
  newer.set_seq(14);
  newer.add_present_delegate_ids(2);
  *newer.mutable_totals() = totals(1, 1, 3, 2);
  CHECK(mirror.applyAttendance(newer));
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{2});
  CHECK(mirror.lastSeq() == 14);
  // Events already covered by the reply are duplicates now.
  CHECK(mirror.apply(attendanceEvent(13, 1, true, totals(9, 9, 3, 2), count(1, 2, 2))) ==
        EventApplication::Duplicate);
}

TEST_CASE("a fresh snapshot after a resume replaces everything, even at a lower seq") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  mirror.apply(attendanceEvent(20, 3, true, totals(2, 2, 3, 2), count(2, 1, 1)));
  v1::Event replaced;
  replaced.set_seq(21);
  replaced.mutable_roster_replaced();
  mirror.apply(replaced);
  REQUIRE(mirror.rosterStale());

  v1::Snapshot fresh = snapshotAt(30);
  fresh.clear_present_delegate_ids();
  fresh.add_present_delegate_ids(2);
  mirror.applySnapshot(fresh);
  CHECK(mirror.lastSeq() == 30);
  CHECK_FALSE(mirror.rosterStale());
  CHECK_FALSE(mirror.attendanceStale());
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{2});
  CHECK(mirror.delegates().size() == 3);

  // The server is the truth: a snapshot older than what we had (server restored from backup) still wins.
  mirror.applySnapshot(snapshotAt(5));
  CHECK(mirror.lastSeq() == 5);
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{1});
}

TEST_CASE("clear forgets everything") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  mirror.clear();
  CHECK_FALSE(mirror.hasSnapshot());
  CHECK(mirror.lastSeq() == 0);
  CHECK(mirror.delegates().empty());
  CHECK(mirror.findDelegateByCode("HN-001") == nullptr);
  CHECK(mirror.presentIds().empty());
}
