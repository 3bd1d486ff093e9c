// The hall's request lifecycle on a real database: acknowledgement only after
// the commit, broadcasts by audience, resume, sign-in rules, bad messages.
#include <doctest/doctest.h>

#include "hall_fixture.hpp"
#include "store/store.hpp"
#include "store/verify.hpp"

using namespace daihoi;
using namespace daihoi::testing;
using domain::Role;

namespace {

v1::ClientMessage checkIn(const std::string& code, const std::string& reason = "đến muộn, có giấy mời") {
  v1::ClientMessage m;
  m.mutable_check_in()->set_delegate_code(code);
  m.mutable_check_in()->set_reason(reason);
  return m;
}

v1::ClientMessage checkOut(const std::string& code) {
  v1::ClientMessage m;
  m.mutable_check_out()->set_delegate_code(code);
  m.mutable_check_out()->set_reason("về sớm");
  return m;
}

std::vector<v1::Event> attendanceEvents(const FakeTerminal& t) {
  std::vector<v1::Event> out;
  for (auto& e : t.events()) {
    if (e.has_attendance_changed()) out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE_FIXTURE(HallFixture, "a manual check-in is acknowledged only once it is durable, then broadcast by audience") {
  auto secretary = signedIn(Role::Secretary);
  auto chair = signedIn(Role::Chair);
  auto display = signedIn(Role::Display);
  auto kiosk = signedIn(Role::Kiosk);
  auto delegateTerminal = signedIn(Role::Delegate);  // signed in as delegates.front()
  const auto& target = delegates.front();
  const auto& other = delegates.at(1);

  const auto id = secretary->send(checkIn(target.code));
  CHECK_FALSE(secretary->responseTo(id).has_value());  // not before the commit
  settle();
  const auto response = secretary->responseTo(id);
  REQUIRE(response.has_value());
  REQUIRE_MESSAGE(response->has_attendance_change(), response->DebugString());
  CHECK(response->attendance_change().changed());
  CHECK(response->attendance_change().totals().present() == 1);
  const auto seq = response->attendance_change().seq();
  CHECK(seq == hall->committedSeq());

  for (auto* t : {chair.get(), display.get(), secretary.get(), delegateTerminal.get()}) {
    auto events = attendanceEvents(*t);
    REQUIRE(events.size() == 1);
    CHECK(events[0].seq() == seq);
    CHECK(events[0].attendance_changed().delegate_code() == target.code);
    CHECK(events[0].attendance_changed().present());
    CHECK(events[0].attendance_changed().totals().present() == 1);
    CHECK(events[0].attendance_changed().recorded_by().role() == v1::ROLE_SECRETARY);
  }
  CHECK(attendanceEvents(*kiosk).empty());

  // A delegate sees its own check-in, not another delegate's.
  secretary->send(checkIn(other.code));
  settle();
  CHECK(attendanceEvents(*delegateTerminal).size() == 1);
  CHECK(attendanceEvents(*chair).size() == 2);

  // Checking in again changes nothing and says so.
  const auto again = secretary->send(checkIn(target.code));
  settle();
  REQUIRE(secretary->responseTo(again));
  CHECK_FALSE(secretary->responseTo(again)->attendance_change().changed());
  CHECK(attendanceEvents(*chair).size() == 2);

  // And the record survives a restart.
  secretary.reset(); chair.reset(); display.reset(); kiosk.reset(); delegateTerminal.reset();
  restart();
  CHECK(hall->committed().attendance().isPresent(target.id));
  CHECK(hall->committed().attendance().isPresent(other.id));
  CHECK(hall->committed().attendance().totals().present == 2);
  auto report = store::verifyLog(dbPath);
  CHECK_MESSAGE(report.ok, report.reason);
}

TEST_CASE_FIXTURE(HallFixture, "manual attendance needs a known delegate and a reason") {
  auto secretary = signedIn(Role::Secretary);
  auto unknown = secretary->send(checkIn("KHONG-CO"));
  auto noReason = secretary->send(checkIn(delegates.front().code, "   "));
  auto notPresent = secretary->send(checkOut(delegates.front().code));
  settle();
  CHECK(secretary->responseTo(unknown)->error().code() == v1::ERROR_NOT_FOUND);
  CHECK(secretary->responseTo(noReason)->error().code() == v1::ERROR_INVALID_ARGUMENT);
  CHECK_FALSE(secretary->responseTo(notPresent)->attendance_change().changed());
  CHECK(hall->committedSeq() == 1);  // only the sign-in event of the secretary
}

TEST_CASE_FIXTURE(HallFixture, "quorum follows present voting delegates") {
  auto secretary = signedIn(Role::Secretary);
  const auto summoned = hall->committed().roster().summoned();
  const auto required = domain::Fraction{2, 3}.atLeastOf(summoned);
  std::uint32_t voting = 0;
  std::uint64_t last = 0;
  for (const auto& d : delegates) {
    if (!d.voting) continue;
    last = secretary->send(checkIn(d.code));
    if (++voting == required) break;
  }
  settle();
  const auto totals = secretary->responseTo(last)->attendance_change().totals();
  CHECK(totals.present_voting() == required);
  CHECK(totals.quorum_required() == required);
  CHECK(totals.quorum_reached());
}

TEST_CASE_FIXTURE(HallFixture, "resume delivers exactly the missed events the role may see, or a snapshot") {
  auto chair = signedIn(Role::Chair);
  const auto token = chair->responseTo(2)->sign_in().session_token();
  REQUIRE(!token.empty());
  const auto seqAtDrop = hall->committedSeq();
  chair.reset();  // the connection drops

  auto secretary = signedIn(Role::Secretary);
  for (int i = 0; i < 3; ++i) secretary->send(checkIn(delegates.at(i).code));
  settle();

  auto resumed = terminal();
  resumed->send(hello());
  v1::SignIn signIn;
  signIn.set_session_token(token);
  signIn.set_last_seq(seqAtDrop);
  const auto id = resumed->send(signInMessage(signIn));
  settle();
  const auto reply = resumed->responseTo(id);
  REQUIRE(reply.has_value());
  REQUIRE_MESSAGE(reply->has_sign_in(), reply->DebugString());
  CHECK(reply->sign_in().session_token().empty());  // same session, no new token
  CHECK(reply->sign_in().missed_events() == 3);     // the secretary's sign-in event is for organizers only
  const auto events = resumed->events();
  REQUIRE(events.size() == 3);
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].attendance_changed().delegate_code() == delegates.at(i).code);
    if (i > 0) CHECK(events[i].seq() > events[i - 1].seq());
  }
  // The reply comes before the events it announces.
  CHECK(resumed->received.at(1).has_response());

  // A terminal with no state gets a snapshot.
  auto fresh = terminal();
  fresh->send(hello());
  signIn.set_last_seq(0);
  const auto freshId = fresh->send(signInMessage(signIn));
  settle();
  const auto snapshot = fresh->responseTo(freshId)->sign_in().snapshot();
  CHECK(snapshot.seq() == hall->committedSeq());
  CHECK(snapshot.present_delegate_ids_size() == 3);
  CHECK(snapshot.delegates_size() == static_cast<int>(delegates.size()));
  CHECK(snapshot.totals().present() == 3);
  CHECK(fresh->events().empty());
}

TEST_CASE_FIXTURE(HallFixture, "wrong credentials get one uniform answer and are rate-limited") {
  auto t = terminal();
  t->send(hello());
  v1::SignIn wrongPassword;
  wrongPassword.mutable_staff_password()->set_username("chair");
  wrongPassword.mutable_staff_password()->set_password("sai-mat-khau");
  v1::SignIn unknownUser;
  unknownUser.mutable_staff_password()->set_username("khong-ton-tai");
  unknownUser.mutable_staff_password()->set_password("sai-mat-khau");
  v1::SignIn wrongPin;
  wrongPin.mutable_delegate_pin()->set_code(delegates.front().code);
  wrongPin.mutable_delegate_pin()->set_pin("000000x");
  v1::SignIn badDevice;
  badDevice.set_device_token("not-a-device-token");

  std::vector<v1::Error> errors;
  for (const auto& s : {wrongPassword, unknownUser, wrongPin, badDevice}) {
    const auto id = t->send(signInMessage(s));
    settle();
    REQUIRE(t->responseTo(id));
    errors.push_back(t->responseTo(id)->error());
  }
  for (const auto& e : errors) {
    CHECK(e.code() == v1::ERROR_INVALID_CREDENTIALS);
    CHECK(e.message() == errors.front().message());
  }
  // Fifth failure on this connection locks it.
  t->send(signInMessage(wrongPassword));
  settle();
  const auto id = t->send(signInMessage(accounts.at(Role::Chair).signIn));
  settle();
  REQUIRE(t->responseTo(id));
  CHECK(t->responseTo(id)->error().code() == v1::ERROR_RATE_LIMITED);
  CHECK(t->responseTo(id)->error().retry_after_ms() > 0);
  // After the lock expires the right password works.
  clock.advance(60'000);
  const auto ok = t->send(signInMessage(accounts.at(Role::Chair).signIn));
  settle();
  CHECK(t->responseTo(ok)->has_sign_in());
}

TEST_CASE_FIXTURE(HallFixture, "a badge token signs in once") {
  v1::SignIn badge;
  badge.set_badge_token(badgeTokens.at(delegates.at(2).code));
  auto first = terminal();
  first->send(hello());
  const auto a = first->send(signInMessage(badge));
  settle();
  REQUIRE(first->responseTo(a)->has_sign_in());
  CHECK(first->responseTo(a)->sign_in().principal().login() == delegates.at(2).code);
  auto second = terminal();
  second->send(hello());
  const auto b = second->send(signInMessage(badge));
  settle();
  CHECK(second->responseTo(b)->error().code() == v1::ERROR_INVALID_CREDENTIALS);
  // Spent for good, also after a restart.
  first.reset();
  second.reset();
  restart();
  auto third = terminal();
  third->send(hello());
  const auto c = third->send(signInMessage(badge));
  settle();
  CHECK(third->responseTo(c)->error().code() == v1::ERROR_INVALID_CREDENTIALS);
}

TEST_CASE_FIXTURE(HallFixture, "malformed messages get an error and the connection stays usable, until it is garbage") {
  auto t = terminal();
  t->sendRaw(std::string("\xff\xff\xff\xff garbage", 13));
  REQUIRE(t->received.size() == 1);
  CHECK(t->received[0].response().error().code() == v1::ERROR_MALFORMED_FRAME);
  CHECK(t->received[0].response().request_id() == 0);

  v1::ClientMessage truncated = hello();
  std::string bytes = truncated.SerializeAsString();
  t->sendRaw(std::string_view(bytes).substr(0, bytes.size() - 3));
  CHECK(t->received.back().response().error().code() == v1::ERROR_MALFORMED_FRAME);

  t->sendRaw(std::string("\xf8\x06\x01", 3));  // only an unknown field (99): no request in it
  CHECK(t->received.back().response().error().code() == v1::ERROR_UNKNOWN_REQUEST);

  v1::ClientMessage oldVersion;
  oldVersion.mutable_hello()->set_protocol_version(v1::PROTOCOL_VERSION_UNSPECIFIED);
  auto id = t->send(oldVersion);
  CHECK(t->responseTo(id)->error().code() == v1::ERROR_UNSUPPORTED_VERSION);

  id = t->send(hello());
  CHECK(t->responseTo(id)->has_hello());  // still usable
  CHECK(t->closeReason.empty());

  for (int i = 0; i < 5; ++i) t->sendRaw("\x0a\xff");
  CHECK(t->closeReason == "too many malformed messages");
}

TEST_CASE_FIXTURE(HallFixture, "the organizer imports a roster: all problems reported, nothing partial") {
  auto organizer = signedIn(Role::Organizer);
  auto removedDelegate = signedIn(Role::Delegate);  // delegates.front(), not in the new roster
  const auto removedToken = removedDelegate->responseTo(2)->sign_in().session_token();
  const auto seqBefore = hall->committedSeq();
  v1::ClientMessage bad;
  bad.mutable_import_roster()->set_csv(
      "code,full_name,delegation,seat\n"
      "HN-001,Nguyễn Văn An,Đoàn Hà Nội,A-01\n"
      "HN-001,Trần Thị Bình,Đoàn Hà Nội,A-02\n"
      ",Lê Văn Cường,Đoàn Hà Nội,A-03\n");
  auto id = organizer->send(bad);
  settle();
  const auto error = organizer->responseTo(id)->error();
  CHECK(error.code() == v1::ERROR_CSV_INVALID);
  REQUIRE(error.csv_problems_size() == 2);
  CHECK(error.csv_problems(0).line() == 3);
  CHECK(error.csv_problems(1).line() == 4);
  CHECK(hall->committedSeq() == seqBefore);

  // A good file keeps the ids of delegates whose codes remain.
  const auto& keep = delegates.at(1);
  v1::ClientMessage good;
  good.mutable_import_roster()->set_csv("code,full_name,delegation,seat\n" + keep.code +
                                        ",Phạm Thị Dung,Đoàn Mới,Z-01\nNEW-001,Đặng Văn Em,Đoàn Mới,Z-02\n");
  id = organizer->send(good);
  settle();
  REQUIRE_MESSAGE(organizer->responseTo(id)->has_import_roster(), organizer->responseTo(id)->DebugString());
  CHECK(organizer->responseTo(id)->import_roster().delegates() == 2);
  const auto& roster = hall->committed().roster();
  REQUIRE(roster.findByCode(keep.code) != nullptr);
  CHECK(roster.findByCode(keep.code)->id == keep.id);
  CHECK(roster.findByCode("NEW-001")->id > delegates.back().id);
  bool sawEvent = false;
  for (const auto& e : organizer->events()) sawEvent |= e.has_roster_replaced();
  CHECK(sawEvent);

  // The removed delegate's session is over: no more events, no resume.
  CHECK_FALSE(removedDelegate->connection->principal().has_value());
  auto again = terminal();
  again->send(hello());
  v1::SignIn resume;
  resume.set_session_token(removedToken);
  const auto resumeId = again->send(signInMessage(resume));
  settle();
  CHECK(again->responseTo(resumeId)->error().code() == v1::ERROR_INVALID_CREDENTIALS);
}

TEST_CASE_FIXTURE(HallFixture, "a delegation checks in with one request: all codes or none, one event each") {
  auto secretary = signedIn(Role::Secretary);
  auto chair = signedIn(Role::Chair);
  v1::ClientMessage bad = checkIn(delegates[0].code);
  bad.mutable_check_in()->add_more_codes(delegates[1].code);
  bad.mutable_check_in()->add_more_codes("XX-404");
  const auto refused = secretary->send(bad);
  settle();
  REQUIRE(secretary->responseTo(refused).has_value());
  CHECK(secretary->responseTo(refused)->error().code() == v1::ERROR_NOT_FOUND);
  CHECK(hall->committed().attendance().totals().present == 0);

  v1::ClientMessage many = checkIn(delegates[0].code);
  for (int i = 1; i < 5; ++i) many.mutable_check_in()->add_more_codes(delegates[static_cast<std::size_t>(i)].code);
  many.mutable_check_in()->add_more_codes(delegates[0].code);  // named twice: counted once
  const auto id = secretary->send(many);
  settle();
  const auto response = secretary->responseTo(id);
  REQUIRE(response.has_value());
  REQUIRE_MESSAGE(response->has_attendance_change(), response->DebugString());
  CHECK(response->attendance_change().changed_count() == 5);
  CHECK(response->attendance_change().totals().present() == 5);
  CHECK(attendanceEvents(*chair).size() == 5);
  CHECK(response->attendance_change().seq() == hall->committedSeq());
}
