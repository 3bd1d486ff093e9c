// Voting through the hall on a real database: lifecycle, casting and every
// refusal, audiences, the counting committee, deadlines, progress, restart.
#include <doctest/doctest.h>

#include "hall_fixture.hpp"

using namespace daihoi;
using namespace daihoi::testing;
using domain::Role;

namespace {

v1::ClientMessage checkIn(const std::string& code) {
  v1::ClientMessage m;
  m.mutable_check_in()->set_delegate_code(code);
  m.mutable_check_in()->set_reason("có mặt");
  return m;
}

v1::ClientMessage createMotion(const std::string& title, v1::BallotMode mode = v1::BALLOT_MODE_NAMED) {
  v1::ClientMessage m;
  auto& draft = *m.mutable_create_ballot()->mutable_draft();
  draft.set_title(title);
  draft.set_agenda_item("Mục 3: Thông qua nghị quyết");
  draft.set_kind(v1::BALLOT_KIND_MOTION);
  draft.set_mode(mode);
  return m;
}

v1::ClientMessage createElection(std::uint32_t candidates, std::uint32_t seats) {
  v1::ClientMessage m;
  auto& draft = *m.mutable_create_ballot()->mutable_draft();
  draft.set_title("Bầu Ban Chấp hành");
  draft.set_kind(v1::BALLOT_KIND_ELECTION);
  draft.set_mode(v1::BALLOT_MODE_SECRET);
  draft.set_seats(seats);
  for (std::uint32_t i = 0; i < candidates; ++i) draft.add_options("Ứng cử viên " + std::to_string(i + 1));
  return m;
}

v1::ClientMessage ballotRequest(std::uint32_t id, const char* which) {
  v1::ClientMessage m;
  const std::string w = which;
  if (w == "open") m.mutable_open_ballot()->set_ballot_id(id);
  if (w == "close") m.mutable_close_ballot()->set_ballot_id(id);
  if (w == "publish") m.mutable_publish_ballot()->set_ballot_id(id);
  if (w == "result") m.mutable_get_ballot_result()->set_ballot_id(id);
  if (w == "confirm") m.mutable_confirm_tally()->set_ballot_id(id);
  if (w == "named") m.mutable_get_named_votes()->set_ballot_id(id);
  if (w == "progress") m.mutable_get_ballot_progress()->set_ballot_id(id);
  if (w == "runoff") m.mutable_create_runoff()->set_ballot_id(id);
  return m;
}

v1::ClientMessage castVote(std::uint32_t ballot, std::vector<std::uint32_t> choices, const std::string& clientVoteId) {
  v1::ClientMessage m;
  m.mutable_cast_vote()->set_ballot_id(ballot);
  for (auto c : choices) m.mutable_cast_vote()->add_choices(c);
  m.mutable_cast_vote()->set_client_vote_id(clientVoteId);
  return m;
}

std::string voteId(int n) { return "client-vote-id-" + std::to_string(1000000 + n) + "-abcdef"; }

// Sends, settles, returns the response.
v1::Response call(HallFixture& f, FakeTerminal& t, v1::ClientMessage m) {
  const auto id = t.send(std::move(m));
  f.settle();
  auto response = t.responseTo(id);
  REQUIRE(response.has_value());
  return *response;
}

v1::ErrorCode errorOf(const v1::Response& r) { return r.has_error() ? r.error().code() : v1::ERROR_CODE_UNSPECIFIED; }

std::vector<v1::Event> eventsWith(const FakeTerminal& t, v1::Event::BodyCase body) {
  std::vector<v1::Event> out;
  for (auto& e : t.events()) {
    if (e.body_case() == body) out.push_back(e);
  }
  return out;
}

// A hall with the chair, secretary and display signed in and most voting
// delegates checked in (quorum reached); `absent` voting delegates stay out.
struct VotingHall : HallFixture {
  VotingHall() : HallFixture(30) {
    secretary = signedIn(Role::Secretary);
    chair = signedIn(Role::Chair);
    display = signedIn(Role::Display);
    for (const auto& d : delegates) {
      if (!d.voting) {
        guest = d.code;
        continue;
      }
      if (absentCode.empty()) {
        absentCode = d.code;
        continue;
      }
      secretary->send(checkIn(d.code));
      present.push_back(d.code);
    }
    settle();
  }
  std::uint32_t draft(v1::ClientMessage m) {
    auto r = call(*this, *secretary, std::move(m));
    REQUIRE_MESSAGE(r.has_ballot(), r.DebugString());
    return r.ballot().ballot().definition().id();
  }
  std::unique_ptr<FakeTerminal> secretary, chair, display;
  std::vector<std::string> present;
  std::string absentCode;
  std::string guest;
};

}  // namespace

TEST_CASE_FIXTURE(VotingHall, "a named motion from draft to published result, with every refusal on the way") {
  REQUIRE(present.size() >= 20);
  auto voter = signedInDelegate(present[0]);
  auto second = signedInDelegate(present[1]);
  auto absent = signedInDelegate(absentCode);

  const auto id = draft(createMotion("Thông qua Nghị quyết Đại hội"));
  // A draft reaches staff only.
  CHECK(eventsWith(*chair, v1::Event::kBallotUpdated).size() == 1);
  CHECK(eventsWith(*voter, v1::Event::kBallotUpdated).empty());
  CHECK(eventsWith(*display, v1::Event::kBallotUpdated).empty());

  // Not open yet; only the chair opens.
  CHECK(errorOf(call(*this, *voter, castVote(id, {0}, voteId(1)))) == v1::ERROR_BALLOT_NOT_OPEN);
  CHECK(errorOf(call(*this, *secretary, ballotRequest(id, "open"))) == v1::ERROR_PERMISSION_DENIED);
  auto opened = call(*this, *chair, ballotRequest(id, "open"));
  REQUIRE_MESSAGE(opened.has_ballot(), opened.DebugString());
  CHECK(opened.ballot().ballot().status() == v1::BALLOT_STATUS_OPEN);
  CHECK(opened.ballot().ballot().eligible() == present.size());
  CHECK(opened.ballot().ballot().definition().options_size() == 3);

  // Opening reaches the eligible delegates, the display and staff; not the absent delegate.
  CHECK(eventsWith(*voter, v1::Event::kBallotUpdated).size() == 1);
  CHECK(eventsWith(*display, v1::Event::kBallotUpdated).size() == 1);
  CHECK(eventsWith(*absent, v1::Event::kBallotUpdated).empty());

  // A vote is acknowledged only once durable, with a receipt.
  const auto request = voter->send(castVote(id, {0}, voteId(1)));
  CHECK_FALSE(voter->responseTo(request).has_value());
  settle();
  auto first = voter->responseTo(request);
  REQUIRE(first.has_value());
  REQUIRE_MESSAGE(first->has_cast_vote(), first->DebugString());
  CHECK_FALSE(first->cast_vote().receipt().empty());
  CHECK_FALSE(first->cast_vote().repeated());
  // The voter's own terminal learns it voted; the event carries no choice.
  auto recorded = eventsWith(*voter, v1::Event::kVoteRecorded);
  REQUIRE(recorded.size() == 1);
  CHECK(recorded[0].vote_recorded().ballot_id() == id);
  CHECK(eventsWith(*second, v1::Event::kVoteRecorded).empty());

  // The same client_vote_id again: the same acknowledgement. A different vote: refused.
  auto retry = call(*this, *voter, castVote(id, {0}, voteId(1)));
  REQUIRE(retry.has_cast_vote());
  CHECK(retry.cast_vote().repeated());
  CHECK(retry.cast_vote().receipt() == first->cast_vote().receipt());
  CHECK(errorOf(call(*this, *voter, castVote(id, {1}, voteId(2)))) == v1::ERROR_ALREADY_VOTED);

  // Every refusal has its own code.
  CHECK(errorOf(call(*this, *absent, castVote(id, {0}, voteId(3)))) == v1::ERROR_NOT_ELIGIBLE);
  CHECK(errorOf(call(*this, *second, castVote(id, {0, 1}, voteId(4)))) == v1::ERROR_TOO_MANY_CHOICES);
  CHECK(errorOf(call(*this, *second, castVote(id, {7}, voteId(4)))) == v1::ERROR_INVALID_CHOICES);
  CHECK(errorOf(call(*this, *second, castVote(id, {}, voteId(4)))) == v1::ERROR_INVALID_CHOICES);
  CHECK(errorOf(call(*this, *second, castVote(id, {1}, "short"))) == v1::ERROR_INVALID_ARGUMENT);
  CHECK(errorOf(call(*this, *second, castVote(id, {1}, voteId(1)))) == v1::ERROR_INVALID_ARGUMENT);  // not its id
  CHECK(errorOf(call(*this, *chair, castVote(id, {0}, voteId(5)))) == v1::ERROR_PERMISSION_DENIED);
  CHECK(errorOf(call(*this, *second, castVote(999, {0}, voteId(5)))) == v1::ERROR_NOT_FOUND);

  // Nobody sees choices before the close.
  CHECK(errorOf(call(*this, *chair, ballotRequest(id, "result"))) == v1::ERROR_FAILED_PRECONDITION);

  // The rest vote: 15 yes in all, 3 no, the others abstain.
  for (std::size_t i = 1; i < present.size(); ++i) {
    auto t = signedInDelegate(present[i]);
    const std::uint32_t choice = i < 15 ? 0 : (i < 18 ? 1 : 2);
    auto r = call(*this, *t, castVote(id, {choice}, voteId(100 + static_cast<int>(i))));
    REQUIRE_MESSAGE(r.has_cast_vote(), r.DebugString());
  }

  auto closed = call(*this, *chair, ballotRequest(id, "close"));
  REQUIRE(closed.has_ballot());
  CHECK(closed.ballot().ballot().status() == v1::BALLOT_STATUS_CLOSED);
  CHECK(errorOf(call(*this, *second, castVote(id, {0}, voteId(6)))) == v1::ERROR_BALLOT_CLOSED);
  // A retry that arrives after the close still learns its vote was taken.
  auto lateRetry = call(*this, *voter, castVote(id, {0}, voteId(1)));
  REQUIRE_MESSAGE(lateRetry.has_cast_vote(), lateRetry.DebugString());
  CHECK(lateRetry.cast_vote().repeated());
  CHECK(lateRetry.cast_vote().receipt() == first->cast_vote().receipt());

  // Closed: staff see the tally, delegates not until publication.
  auto result = call(*this, *chair, ballotRequest(id, "result"));
  REQUIRE_MESSAGE(result.has_ballot_result(), result.DebugString());
  const auto& tally = result.ballot_result().tally();
  CHECK(tally.votes_cast() == present.size());
  CHECK(tally.votes(0) == 15);
  CHECK(tally.votes(1) == 3);
  CHECK(tally.votes(2) == present.size() - 18);
  // Party statute: a resolution needs more than half of all summoned delegates.
  CHECK(tally.base() == tally.summoned());
  CHECK(tally.outcome() == (15 * 2 > tally.summoned() ? v1::OUTCOME_ADOPTED : v1::OUTCOME_REJECTED));
  CHECK(errorOf(call(*this, *voter, ballotRequest(id, "result"))) == v1::ERROR_FAILED_PRECONDITION);
  // Organizers get the named list once closed.
  auto named = call(*this, *secretary, ballotRequest(id, "named"));
  REQUIRE_MESSAGE(named.has_named_votes(), named.DebugString());
  CHECK(named.named_votes().votes_size() == static_cast<int>(present.size()));
  int voted = 0;
  for (const auto& row : named.named_votes().votes()) {
    voted += row.voted() ? 1 : 0;
    if (row.delegate_code() == present[0]) CHECK(row.choices(0) == 0);
  }
  CHECK(voted == static_cast<int>(present.size()));

  // A named motion needs no committee confirmation by default: publish.
  auto published = call(*this, *chair, ballotRequest(id, "publish"));
  REQUIRE_MESSAGE(published.has_ballot(), published.DebugString());
  for (auto* t : {voter.get(), absent.get(), display.get(), chair.get()}) {
    auto events = eventsWith(*t, v1::Event::kBallotPublished);
    REQUIRE(events.size() == 1);
    CHECK(events[0].ballot_published().result().tally().votes(0) == 15);
  }
  auto forDelegate = call(*this, *voter, ballotRequest(id, "result"));
  REQUIRE(forDelegate.has_ballot_result());
  CHECK(forDelegate.ballot_result().tally().SerializeAsString() == tally.SerializeAsString());
}

TEST_CASE_FIXTURE(VotingHall, "a secret election: committee confirmation, over-limit ballots, a tie and its runoff") {
  std::vector<std::unique_ptr<FakeTerminal>> voters;
  for (std::size_t i = 0; i < 9; ++i) voters.push_back(signedInDelegate(present[i]));
  // The chair appoints the counting committee: two delegates.
  v1::ClientMessage appoint;
  appoint.mutable_appoint_counting_committee()->add_delegate_codes(present[0]);
  appoint.mutable_appoint_counting_committee()->add_delegate_codes(present[1]);
  REQUIRE(call(*this, *chair, appoint).has_ballots());
  v1::ClientMessage wrongCode;
  wrongCode.mutable_appoint_counting_committee()->add_delegate_codes("XX-999");
  CHECK(errorOf(call(*this, *chair, wrongCode)) == v1::ERROR_NOT_FOUND);

  const auto id = draft(createElection(4, 2));
  REQUIRE(call(*this, *chair, ballotRequest(id, "open")).has_ballot());
  // Keeping three candidates for two seats is refused.
  CHECK(errorOf(call(*this, *voters[0], castVote(id, {0, 1, 2}, voteId(1)))) == v1::ERROR_TOO_MANY_CHOICES);
  // Candidates 0 and 1 tie with 4 votes each among 9 ballots; 2 gets 3; one ballot keeps nobody.
  const std::vector<std::vector<std::uint32_t>> ballots = {{0, 1}, {0, 1}, {0, 2}, {0, 3}, {1, 2},
                                                           {1, 3}, {2}, {3}, {}};
  for (std::size_t i = 0; i < ballots.size(); ++i) {
    auto r = call(*this, *voters[i], castVote(id, ballots[i], voteId(10 + static_cast<int>(i))));
    REQUIRE_MESSAGE(r.has_cast_vote(), r.DebugString());
  }
  REQUIRE(call(*this, *chair, ballotRequest(id, "close")).has_ballot());

  // Secret: no named list; publication waits for the committee (2 of 2 needed: more than half).
  CHECK(errorOf(call(*this, *secretary, ballotRequest(id, "named"))) == v1::ERROR_FAILED_PRECONDITION);
  CHECK(errorOf(call(*this, *chair, ballotRequest(id, "publish"))) == v1::ERROR_NOT_CONFIRMED);
  // A committee member sees the closed tally; another delegate does not and cannot confirm.
  auto seen = call(*this, *voters[0], ballotRequest(id, "result"));
  REQUIRE_MESSAGE(seen.has_ballot_result(), seen.DebugString());
  const auto& tally = seen.ballot_result().tally();
  CHECK(tally.votes_cast() == 9);
  CHECK(tally.invalid() == 1);  // keeping nobody is invalid under the Party statute
  CHECK(tally.valid() == 8);
  CHECK(tally.votes(0) == 4);
  CHECK(tally.votes(1) == 4);
  // More than half of 8 valid ballots needs 5: nobody is elected, both seats stay open.
  CHECK(tally.required() == 5);
  CHECK(tally.elected_size() == 0);
  CHECK(tally.seats_unfilled() == 2);
  CHECK(tally.needs_runoff());
  CHECK(errorOf(call(*this, *voters[2], ballotRequest(id, "result"))) == v1::ERROR_FAILED_PRECONDITION);
  CHECK(errorOf(call(*this, *voters[2], ballotRequest(id, "confirm"))) == v1::ERROR_PERMISSION_DENIED);
  REQUIRE(call(*this, *voters[0], ballotRequest(id, "confirm")).has_ballot());
  CHECK(errorOf(call(*this, *voters[0], ballotRequest(id, "confirm"))) == v1::ERROR_FAILED_PRECONDITION);
  CHECK(errorOf(call(*this, *chair, ballotRequest(id, "publish"))) == v1::ERROR_NOT_CONFIRMED);
  REQUIRE(call(*this, *voters[1], ballotRequest(id, "confirm")).has_ballot());
  auto published = call(*this, *chair, ballotRequest(id, "publish"));
  REQUIRE_MESSAGE(published.has_ballot(), published.DebugString());
  auto events = eventsWith(*voters[5], v1::Event::kBallotPublished);
  REQUIRE(events.size() == 1);
  const auto& result = events[0].ballot_published().result();
  REQUIRE(result.confirmed_by_size() == 2);
  CHECK(result.confirmed_by(0).login() == present[0]);
  CHECK(result.confirmed_by(1).login() == present[1]);

  // A further round in one step: every candidate not elected, for the two seats.
  auto runoff = call(*this, *chair, ballotRequest(id, "runoff"));
  REQUIRE_MESSAGE(runoff.has_ballot(), runoff.DebugString());
  const auto& definition = runoff.ballot().ballot().definition();
  CHECK(definition.runoff_of() == id);
  CHECK(definition.seats() == 2);
  CHECK(definition.options_size() == 4);
  CHECK(runoff.ballot().ballot().status() == v1::BALLOT_STATUS_DRAFT);
}

TEST_CASE_FIXTURE(HallFixture, "a ballot does not open without the congress quorum") {
  auto secretary = signedIn(Role::Secretary);
  auto chair = signedIn(Role::Chair);
  secretary->send(checkIn(delegates[0].code));
  auto drafted = call(*this, *secretary, createMotion("Biểu quyết chương trình"));
  REQUIRE(drafted.has_ballot());
  const auto id = drafted.ballot().ballot().definition().id();
  auto refused = call(*this, *chair, ballotRequest(id, "open"));
  CHECK(errorOf(refused) == v1::ERROR_NO_QUORUM);
  // Cancelling needs a reason; a cancelled ballot cannot be opened.
  v1::ClientMessage cancel;
  cancel.mutable_cancel_ballot()->set_ballot_id(id);
  CHECK(errorOf(call(*this, *chair, cancel)) == v1::ERROR_INVALID_ARGUMENT);
  cancel.mutable_cancel_ballot()->set_reason("đổi nội dung");
  REQUIRE(call(*this, *chair, cancel).has_ballot());
  CHECK(errorOf(call(*this, *chair, ballotRequest(id, "open"))) == v1::ERROR_FAILED_PRECONDITION);
}

TEST_CASE_FIXTURE(VotingHall, "closing while votes are in flight: each vote is either counted or refused as closed") {
  std::vector<std::unique_ptr<FakeTerminal>> voters;
  for (std::size_t i = 0; i < 12; ++i) voters.push_back(signedInDelegate(present[i]));
  const auto id = draft(createMotion("Biểu quyết nhanh"));
  REQUIRE(call(*this, *chair, ballotRequest(id, "open")).has_ballot());
  // Six votes, the close, six more: all sent before anything is durable.
  std::vector<std::uint64_t> requests;
  for (std::size_t i = 0; i < 6; ++i) requests.push_back(voters[i]->send(castVote(id, {0}, voteId(static_cast<int>(i)))));
  const auto closeRequest = chair->send(ballotRequest(id, "close"));
  for (std::size_t i = 6; i < 12; ++i) requests.push_back(voters[i]->send(castVote(id, {0}, voteId(static_cast<int>(i)))));
  settle();
  REQUIRE(chair->responseTo(closeRequest).has_value());
  int accepted = 0;
  int refused = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    auto r = voters[i]->responseTo(requests[i]);
    REQUIRE(r.has_value());
    if (r->has_cast_vote()) ++accepted;
    if (errorOf(*r) == v1::ERROR_BALLOT_CLOSED) ++refused;
  }
  CHECK(accepted == 6);
  CHECK(refused == 6);
  auto result = call(*this, *chair, ballotRequest(id, "result"));
  REQUIRE(result.has_ballot_result());
  CHECK(result.ballot_result().tally().votes_cast() == 6);
}

TEST_CASE_FIXTURE(VotingHall, "progress is pushed coalesced: counts for the display, the per-seat list for the chair") {
  std::vector<std::unique_ptr<FakeTerminal>> voters;
  for (std::size_t i = 0; i < 5; ++i) voters.push_back(signedInDelegate(present[i]));
  const auto id = draft(createMotion("Biểu quyết tiến độ"));
  REQUIRE(call(*this, *chair, ballotRequest(id, "open")).has_ballot());
  for (std::size_t i = 0; i < 5; ++i) voters[i]->send(castVote(id, {1}, voteId(static_cast<int>(i))));
  runFor(std::chrono::milliseconds(300));
  auto chairUpdates = chair->liveUpdates();
  auto displayUpdates = display->liveUpdates();
  REQUIRE_FALSE(chairUpdates.empty());
  REQUIRE_FALSE(displayUpdates.empty());
  // Five votes within one interval make one or two pushes, not five.
  CHECK(chairUpdates.size() <= 2);
  CHECK(chairUpdates.back().ballot_progress().votes_cast() == 5);
  CHECK(chairUpdates.back().ballot_progress().voted_delegate_ids_size() == 5);
  CHECK(displayUpdates.back().ballot_progress().votes_cast() == 5);
  CHECK(displayUpdates.back().ballot_progress().voted_delegate_ids_size() == 0);
  // Progress never carries choices, and asking gives the same counts.
  auto asked = call(*this, *display, ballotRequest(id, "progress"));
  REQUIRE(asked.has_ballot_progress());
  CHECK(asked.ballot_progress().votes_cast() == 5);
}

TEST_CASE_FIXTURE(VotingHall, "a deadline closes the ballot by itself") {
  auto voter = signedInDelegate(present[0]);
  const auto id = draft(createMotion("Biểu quyết có hạn giờ"));
  v1::ClientMessage open = ballotRequest(id, "open");
  open.mutable_open_ballot()->set_duration_ms(150);
  auto opened = call(*this, *chair, open);
  REQUIRE(opened.has_ballot());
  CHECK(opened.ballot().ballot().deadline_ms() == clock.nowMs() + 150);
  REQUIRE(call(*this, *voter, castVote(id, {0}, voteId(1))).has_cast_vote());
  clock.advance(200);
  runFor(std::chrono::milliseconds(400));
  auto updates = eventsWith(*chair, v1::Event::kBallotUpdated);
  REQUIRE_FALSE(updates.empty());
  CHECK(updates.back().ballot_updated().ballot().status() == v1::BALLOT_STATUS_CLOSED);
  CHECK(updates.back().ballot_updated().ballot().closed_by_deadline());
  CHECK(errorOf(call(*this, *voter, castVote(id, {0}, voteId(2)))) == v1::ERROR_BALLOT_CLOSED);
}

TEST_CASE_FIXTURE(VotingHall, "after a restart an open ballot keeps its votes, its deadline and safe retries") {
  const auto id = draft(createMotion("Biểu quyết qua khởi động lại", v1::BALLOT_MODE_SECRET));
  v1::ClientMessage open = ballotRequest(id, "open");
  open.mutable_open_ballot()->set_duration_ms(60'000);
  auto opened = call(*this, *chair, open);
  REQUIRE(opened.has_ballot());
  std::string receipt;
  {
    auto voter = signedInDelegate(present[0]);
    auto r = call(*this, *voter, castVote(id, {2}, voteId(1)));
    REQUIRE(r.has_cast_vote());
    receipt = r.cast_vote().receipt();
    auto other = signedInDelegate(present[1]);
    REQUIRE(call(*this, *other, castVote(id, {0}, voteId(2))).has_cast_vote());
  }
  secretary.reset();
  chair.reset();
  display.reset();
  restart();
  chair = signedIn(Role::Chair);
  secretary = signedIn(Role::Secretary);
  auto voter = signedInDelegate(present[0]);
  auto again = call(*this, *voter, castVote(id, {2}, voteId(1)));
  REQUIRE_MESSAGE(again.has_cast_vote(), again.DebugString());
  CHECK(again.cast_vote().repeated());
  CHECK(again.cast_vote().receipt() == receipt);
  v1::ClientMessage verify;
  verify.mutable_verify_receipt()->set_ballot_id(id);
  verify.mutable_verify_receipt()->set_receipt(receipt);
  auto verified = call(*this, *voter, verify);
  REQUIRE(verified.has_verify_receipt());
  CHECK(verified.verify_receipt().counted());
  verify.mutable_verify_receipt()->set_receipt("not-a-receipt");
  CHECK_FALSE(call(*this, *voter, verify).verify_receipt().counted());
  // A ballot the delegate may not see does not exist for it.
  verify.mutable_verify_receipt()->set_ballot_id(draft(createMotion("Dự thảo chưa mở")));
  CHECK(errorOf(call(*this, *voter, verify)) == v1::ERROR_NOT_FOUND);

  v1::ClientMessage list;
  list.mutable_list_ballots();
  auto listed = call(*this, *voter, list);
  REQUIRE(listed.has_ballots());
  REQUIRE(listed.ballots().ballots_size() == 1);
  CHECK(listed.ballots().ballots(0).status() == v1::BALLOT_STATUS_OPEN);
  CHECK(listed.ballots().ballots(0).deadline_ms() == opened.ballot().ballot().deadline_ms());
  CHECK(listed.ballots().ballots(0).you_have_voted());
  CHECK(listed.ballots().ballots(0).votes_cast() == 2);

  REQUIRE(call(*this, *chair, ballotRequest(id, "close")).has_ballot());
  auto result = call(*this, *chair, ballotRequest(id, "result"));
  REQUIRE(result.has_ballot_result());
  CHECK(result.ballot_result().tally().votes(0) == 1);
  CHECK(result.ballot_result().tally().votes(2) == 1);
}

TEST_CASE_FIXTURE(VotingHall, "the roster is fixed once a ballot has opened") {
  auto organizer = signedIn(Role::Organizer);
  const auto id = draft(createMotion("Biểu quyết"));
  REQUIRE(call(*this, *chair, ballotRequest(id, "open")).has_ballot());
  v1::ClientMessage import;
  import.mutable_import_roster()->set_csv("code,full_name,delegation,seat\nHN-001,Nguyễn Văn A,Đoàn Hà Nội,A-1\n");
  auto refused = call(*this, *organizer, import);
  CHECK(errorOf(refused) == v1::ERROR_FAILED_PRECONDITION);
  CHECK(refused.error().message().find("ballot") != std::string::npos);
}
