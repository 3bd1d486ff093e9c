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

// ---------------------------------------------------------------- voting

namespace {

v1::Ballot ballot(std::uint32_t id, v1::BallotStatus status, std::int64_t openedMs = 0) {
  v1::Ballot b;
  b.mutable_definition()->set_id(id);
  b.mutable_definition()->set_title("Thông qua Nghị quyết số " + std::to_string(id));
  b.mutable_definition()->set_kind(v1::BALLOT_KIND_MOTION);
  b.mutable_definition()->add_options("Tán thành");
  b.mutable_definition()->add_options("Không tán thành");
  b.set_status(status);
  b.set_opened_ms(openedMs);
  return b;
}

v1::Event ballotUpdated(std::uint64_t seq, const v1::Ballot& b) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_ballot_updated()->mutable_ballot() = b;
  return e;
}

v1::Event voteRecorded(std::uint64_t seq, std::uint32_t ballotId, std::uint32_t delegateId) {
  v1::Event e;
  e.set_seq(seq);
  e.mutable_vote_recorded()->set_ballot_id(ballotId);
  e.mutable_vote_recorded()->set_delegate_id(delegateId);
  return e;
}

v1::Event ballotPublished(std::uint64_t seq, const v1::Ballot& b) {
  v1::Event e;
  e.set_seq(seq);
  auto& result = *e.mutable_ballot_published()->mutable_result();
  *result.mutable_ballot() = b;
  result.mutable_tally()->set_votes_cast(2);
  result.mutable_tally()->add_votes(2);
  result.mutable_tally()->add_votes(0);
  result.mutable_tally()->set_outcome(v1::OUTCOME_ADOPTED);
  return e;
}

v1::LiveUpdate progress(std::uint32_t ballotId, std::uint32_t votesCast, std::uint32_t eligible) {
  v1::LiveUpdate update;
  update.mutable_ballot_progress()->set_ballot_id(ballotId);
  update.mutable_ballot_progress()->set_votes_cast(votesCast);
  update.mutable_ballot_progress()->set_eligible(eligible);
  return update;
}

// Ballot 1 open (delegate 1 eligible, has voted), ballot 2 a draft; committee {2, 3}; generic rules.
v1::Snapshot votingSnapshotAt(std::uint64_t seq) {
  v1::Snapshot s = snapshotAt(seq);
  v1::Ballot open = ballot(1, v1::BALLOT_STATUS_OPEN, 1000);
  open.set_you_are_eligible(true);
  open.set_you_have_voted(true);
  *s.add_ballots() = open;
  *s.add_ballots() = ballot(2, v1::BALLOT_STATUS_DRAFT);
  s.add_counting_committee(2);
  s.add_counting_committee(3);
  s.mutable_voting_rules()->set_preset(v1::RULE_PRESET_GENERIC);
  return s;
}

}  // namespace

TEST_CASE("a snapshot brings the ballots, the counting committee and the voting rules") {
  StateMirror mirror;
  mirror.applySnapshot(votingSnapshotAt(10));
  CHECK(mirror.ballots().size() == 2);
  REQUIRE(mirror.findBallot(1) != nullptr);
  CHECK(mirror.findBallot(1)->status() == v1::BALLOT_STATUS_OPEN);
  CHECK(mirror.findBallot(1)->you_have_voted());
  CHECK(mirror.findBallot(3) == nullptr);
  CHECK(mirror.countingCommittee() == std::vector<std::uint32_t>{2, 3});
  CHECK(mirror.inCountingCommittee(3));
  CHECK_FALSE(mirror.inCountingCommittee(1));
  CHECK(mirror.votingRules().preset() == v1::RULE_PRESET_GENERIC);
  CHECK(mirror.publishedResult(1) == nullptr);
  CHECK(mirror.ballotProgress(1) == nullptr);
}

TEST_CASE("BallotUpdated inserts and replaces ballots; staff views never claim eligibility") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  mirror.apply(ballotUpdated(11, ballot(4, v1::BALLOT_STATUS_DRAFT)));
  REQUIRE(mirror.findBallot(4) != nullptr);
  CHECK(mirror.findBallot(4)->status() == v1::BALLOT_STATUS_DRAFT);

  v1::Ballot opened = ballot(4, v1::BALLOT_STATUS_OPEN, 5000);
  opened.set_votes_cast(3);
  mirror.apply(ballotUpdated(12, opened));
  CHECK(mirror.findBallot(4)->status() == v1::BALLOT_STATUS_OPEN);
  CHECK(mirror.findBallot(4)->votes_cast() == 3);
  CHECK_FALSE(mirror.findBallot(4)->you_are_eligible());
  CHECK(mirror.ballots().size() == 1);
}

TEST_CASE("a delegate keeps its own flags across shared BallotUpdated events") {
  StateMirror mirror;
  mirror.setOwnDelegate(1);
  mirror.applySnapshot(votingSnapshotAt(10));
  CHECK(mirror.ownDelegate() == 1u);

  // The shared view of ballot 1 says nothing about delegate 1: the flags stay.
  mirror.apply(ballotUpdated(11, ballot(1, v1::BALLOT_STATUS_CLOSED, 1000)));
  CHECK(mirror.findBallot(1)->status() == v1::BALLOT_STATUS_CLOSED);
  CHECK(mirror.findBallot(1)->you_are_eligible());
  CHECK(mirror.findBallot(1)->you_have_voted());

  // Updates of an opened ballot reach only its eligible delegates.
  mirror.apply(ballotUpdated(12, ballot(5, v1::BALLOT_STATUS_OPEN, 2000)));
  CHECK(mirror.findBallot(5)->you_are_eligible());
  CHECK_FALSE(mirror.findBallot(5)->you_have_voted());

  // A ballot never opened says nothing about eligibility.
  mirror.apply(ballotUpdated(13, ballot(6, v1::BALLOT_STATUS_DRAFT)));
  CHECK_FALSE(mirror.findBallot(6)->you_are_eligible());
}

TEST_CASE("VoteRecorded marks the own delegate's ballot as voted, nothing else") {
  StateMirror mirror;
  mirror.setOwnDelegate(1);
  mirror.applySnapshot(snapshotAt(10));
  mirror.apply(ballotUpdated(11, ballot(5, v1::BALLOT_STATUS_OPEN, 2000)));

  mirror.apply(voteRecorded(12, 5, 2));  // someone else's
  CHECK_FALSE(mirror.findBallot(5)->you_have_voted());
  mirror.apply(voteRecorded(13, 7, 1));  // an unknown ballot is not invented
  CHECK(mirror.findBallot(7) == nullptr);
  mirror.apply(voteRecorded(14, 5, 1));
  CHECK(mirror.findBallot(5)->you_have_voted());
  CHECK(mirror.lastSeq() == 14);

  StateMirror staff;
  staff.applySnapshot(snapshotAt(10));
  staff.apply(ballotUpdated(11, ballot(5, v1::BALLOT_STATUS_OPEN, 2000)));
  staff.apply(voteRecorded(12, 5, 1));
  CHECK_FALSE(staff.findBallot(5)->you_have_voted());
}

TEST_CASE("BallotPublished stores the result and publishes the ballot, keeping the own flags") {
  StateMirror mirror;
  mirror.setOwnDelegate(1);
  mirror.applySnapshot(votingSnapshotAt(10));
  mirror.apply(ballotPublished(11, ballot(1, v1::BALLOT_STATUS_CLOSED, 1000)));
  REQUIRE(mirror.publishedResult(1) != nullptr);
  CHECK(mirror.publishedResult(1)->tally().outcome() == v1::OUTCOME_ADOPTED);
  CHECK(mirror.publishedResult(1)->ballot().status() == v1::BALLOT_STATUS_PUBLISHED);
  CHECK(mirror.findBallot(1)->status() == v1::BALLOT_STATUS_PUBLISHED);
  CHECK(mirror.findBallot(1)->you_have_voted());

  // Published results reach every terminal, also for ballots it never saw.
  mirror.apply(ballotPublished(12, ballot(9, v1::BALLOT_STATUS_PUBLISHED, 1000)));
  REQUIRE(mirror.findBallot(9) != nullptr);
  CHECK_FALSE(mirror.findBallot(9)->you_are_eligible());
  CHECK(mirror.publishedResult(9) != nullptr);
}

TEST_CASE("committee and rule events replace what the mirror holds") {
  StateMirror mirror;
  mirror.applySnapshot(votingSnapshotAt(10));
  v1::Event appointed;
  appointed.set_seq(11);
  appointed.mutable_counting_committee_appointed()->add_delegate_ids(1);
  mirror.apply(appointed);
  CHECK(mirror.countingCommittee() == std::vector<std::uint32_t>{1});

  v1::Event dissolved;
  dissolved.set_seq(12);
  dissolved.mutable_counting_committee_appointed();
  mirror.apply(dissolved);
  CHECK(mirror.countingCommittee().empty());

  v1::Event rules;
  rules.set_seq(13);
  rules.mutable_voting_rules_changed()->mutable_rules()->set_preset(v1::RULE_PRESET_PARTY_STATUTE);
  rules.mutable_voting_rules_changed()->mutable_rules()->set_require_congress_quorum_to_open(true);
  mirror.apply(rules);
  CHECK(mirror.votingRules().preset() == v1::RULE_PRESET_PARTY_STATUTE);
  CHECK(mirror.votingRules().require_congress_quorum_to_open());
}

TEST_CASE("live progress is kept per ballot, never moves lastSeq, and older counts are ignored") {
  StateMirror mirror;
  mirror.applySnapshot(votingSnapshotAt(10));
  mirror.applyLiveUpdate(progress(1, 5, 40));
  CHECK(mirror.lastSeq() == 10);
  REQUIRE(mirror.ballotProgress(1) != nullptr);
  CHECK(mirror.ballotProgress(1)->votes_cast() == 5);

  mirror.applyLiveUpdate(progress(1, 9, 40));
  CHECK(mirror.ballotProgress(1)->votes_cast() == 9);
  // A GetBallotProgress reply that was overtaken by a live update.
  CHECK_FALSE(mirror.applyBallotProgress(progress(1, 7, 40).ballot_progress()));
  CHECK(mirror.ballotProgress(1)->votes_cast() == 9);
  CHECK(mirror.applyBallotProgress(progress(1, 9, 40).ballot_progress()));

  mirror.applyLiveUpdate(v1::LiveUpdate{});  // a kind from a newer server
  CHECK(mirror.ballotProgress(2) == nullptr);
  CHECK(mirror.lastSeq() == 10);
}

TEST_CASE("a new snapshot replaces ballots, keeps what it confirms, and keeps the own delegate") {
  StateMirror mirror;
  mirror.setOwnDelegate(1);
  mirror.applySnapshot(votingSnapshotAt(10));
  mirror.apply(ballotPublished(11, ballot(1, v1::BALLOT_STATUS_PUBLISHED, 1000)));
  mirror.apply(ballotUpdated(12, ballot(7, v1::BALLOT_STATUS_OPEN, 3000)));
  mirror.applyLiveUpdate(progress(1, 30, 40));
  mirror.applyLiveUpdate(progress(7, 3, 40));

  v1::Snapshot later = votingSnapshotAt(20);
  later.mutable_ballots(0)->set_status(v1::BALLOT_STATUS_PUBLISHED);
  mirror.applySnapshot(later);
  CHECK(mirror.ownDelegate() == 1u);
  CHECK(mirror.findBallot(7) == nullptr);
  CHECK(mirror.publishedResult(1) != nullptr);
  CHECK(mirror.ballotProgress(1) != nullptr);
  CHECK(mirror.ballotProgress(7) == nullptr);

  // A snapshot that does not show the ballot published drops the result.
  mirror.applySnapshot(votingSnapshotAt(30));
  CHECK(mirror.publishedResult(1) == nullptr);

  mirror.clear();
  CHECK_FALSE(mirror.ownDelegate().has_value());
  CHECK(mirror.ballots().empty());
  CHECK(mirror.countingCommittee().empty());
}

// ---------------------------------------------------------------- sittings, roll calls, Face ID

namespace {

v1::Sitting sitting(std::uint32_t id, const char* title, std::int64_t startedMs, std::int64_t endedMs = 0) {
  v1::Sitting s;
  s.set_id(id);
  s.set_title(title);
  s.set_started_ms(startedMs);
  s.set_ended_ms(endedMs);
  return s;
}

v1::Event sittingChanged(std::uint64_t seq, const v1::Sitting& s) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_sitting_changed()->mutable_sitting() = s;
  return e;
}

}  // namespace

TEST_CASE("the sitting in session comes from the snapshot and follows SittingChanged") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  CHECK_FALSE(mirror.sitting().has_value());  // an older server, or between sittings

  v1::Snapshot inSession = snapshotAt(10);
  *inSession.mutable_sitting() = sitting(1, "Phiên thứ nhất", 1000);
  mirror.applySnapshot(inSession);
  REQUIRE(mirror.sitting().has_value());
  CHECK(mirror.sitting()->id() == 1);
  CHECK(mirror.sitting()->title() == "Phiên thứ nhất");

  // Ending another sitting than the one in session changes nothing; ending it clears it.
  CHECK(mirror.apply(sittingChanged(11, sitting(7, "khác", 500, 900))) == EventApplication::Applied);
  CHECK(mirror.sitting()->id() == 1);
  mirror.apply(sittingChanged(12, sitting(1, "Phiên thứ nhất", 1000, 2000)));
  CHECK_FALSE(mirror.sitting().has_value());
  CHECK(mirror.lastSeq() == 12);

  mirror.apply(sittingChanged(13, sitting(2, "Phiên thứ hai", 3000)));
  REQUIRE(mirror.sitting().has_value());
  CHECK(mirror.sitting()->id() == 2);
  // A duplicate does nothing.
  CHECK(mirror.apply(sittingChanged(12, sitting(1, "Phiên thứ nhất", 1000, 2000))) == EventApplication::Duplicate);
  CHECK(mirror.sitting()->id() == 2);

  // A snapshot whose sitting has ended (or none) means no sitting in session.
  v1::Snapshot ended = snapshotAt(20);
  *ended.mutable_sitting() = sitting(2, "Phiên thứ hai", 3000, 4000);
  mirror.applySnapshot(ended);
  CHECK_FALSE(mirror.sitting().has_value());
  mirror.apply(sittingChanged(21, sitting(3, "Phiên thứ ba", 5000)));
  mirror.clear();
  CHECK_FALSE(mirror.sitting().has_value());
}

TEST_CASE("roll calls are kept as the last one; face events only move lastSeq") {
  StateMirror mirror;
  mirror.applySnapshot(snapshotAt(10));
  CHECK_FALSE(mirror.lastRollCall().has_value());
  v1::Event rollCall;
  rollCall.set_seq(11);
  rollCall.mutable_roll_call_taken()->set_roll_call_id(4);
  rollCall.mutable_roll_call_taken()->add_present_delegate_ids(1);
  *rollCall.mutable_roll_call_taken()->mutable_totals() = totals(1, 1, 3, 2);
  mirror.apply(rollCall);
  REQUIRE(mirror.lastRollCall().has_value());
  CHECK(mirror.lastRollCall()->roll_call_id() == 4);
  CHECK(mirror.totals().present() == 1);
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{1});

  v1::Event unresolved;
  unresolved.set_seq(12);
  unresolved.mutable_face_attempt_unresolved()->set_status(v1::FACE_STATUS_UNKNOWN);
  v1::Event enrollment;
  enrollment.set_seq(13);
  enrollment.mutable_face_enrollment_changed()->set_delegate_id(2);
  enrollment.mutable_face_enrollment_changed()->set_photos(3);
  CHECK(mirror.apply(unresolved) == EventApplication::Applied);
  CHECK(mirror.apply(enrollment) == EventApplication::Applied);
  CHECK(mirror.lastSeq() == 13);
  CHECK(mirror.presentIds() == std::vector<std::uint32_t>{1});

  // A face check-in is an attendance change like any other.
  v1::Event face = attendanceEvent(14, 2, true, totals(2, 2, 3, 2), count(1, 2, 2));
  face.mutable_attendance_changed()->set_method(v1::ATTENDANCE_METHOD_FACE);
  face.mutable_attendance_changed()->set_face_distance(0.38f);
  mirror.apply(face);
  CHECK(mirror.isPresent(2));
  CHECK(mirror.totals().quorum_reached());

  // History outlives a fresh snapshot (which does not carry it).
  mirror.applySnapshot(snapshotAt(20));
  CHECK(mirror.lastRollCall().has_value());
}

TEST_CASE("documents and discussion groups: from the snapshot, then their events") {
  StateMirror mirror;
  v1::Snapshot snapshot = snapshotAt(10);
  auto& draft = *snapshot.add_documents();
  draft.set_id(1);
  draft.set_title("Dự thảo Nghị quyết");
  draft.add_versions()->set_number(1);
  auto& group = *snapshot.add_discussion_groups();
  group.set_id(1);
  group.set_name("Tổ 1");
  snapshot.set_comment_visibility(v1::COMMENT_VISIBILITY_GROUP);
  mirror.applySnapshot(snapshot);
  REQUIRE(mirror.findDocument(1) != nullptr);
  CHECK(mirror.findDocument(1)->versions_size() == 1);
  CHECK(mirror.findDocument(2) == nullptr);
  REQUIRE(mirror.discussionGroups().size() == 1);
  CHECK(mirror.discussionGroups()[0].name() == "Tổ 1");

  // A new version replaces the summary; a new document joins.
  v1::Event published;
  published.set_seq(11);
  auto& newer = *published.mutable_document_published()->mutable_document();
  newer = draft;
  newer.add_versions()->set_number(2);
  published.mutable_document_published()->set_version(2);
  CHECK(mirror.apply(published) == EventApplication::Applied);
  CHECK(mirror.findDocument(1)->versions_size() == 2);
  v1::Event decided;
  decided.set_seq(12);
  auto& contribution = *decided.mutable_contribution_decided()->mutable_document();
  contribution.set_id(2);
  contribution.mutable_contribution()->set_status(v1::CONTRIBUTION_STATUS_APPROVED);
  mirror.apply(decided);
  REQUIRE(mirror.findDocument(2) != nullptr);
  CHECK(mirror.findDocument(2)->contribution().status() == v1::CONTRIBUTION_STATUS_APPROVED);

  v1::Event regrouped;
  regrouped.set_seq(13);
  auto& changed = *regrouped.mutable_discussion_groups_changed();
  changed.add_groups()->set_name("Tổ A");
  changed.add_groups()->set_name("Tổ B");
  changed.set_visibility(v1::COMMENT_VISIBILITY_ALL_DELEGATES);
  mirror.apply(regrouped);
  CHECK(mirror.discussionGroups().size() == 2);
  CHECK(mirror.commentVisibility() == v1::COMMENT_VISIBILITY_ALL_DELEGATES);

  // A fresh snapshot is the whole truth again.
  mirror.applySnapshot(snapshotAt(20));
  CHECK(mirror.documents().empty());
  CHECK(mirror.discussionGroups().empty());
}
