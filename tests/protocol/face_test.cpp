// Face ID through the hall on a real database: kiosk frames, liveness, the
// check-in and its event, unresolved attempts, dropped frames, enrollment,
// roll calls, sittings and the attendance log. The face workers are replaced
// by a scripted engine (images are names of prepared measurements); the real
// pipeline is tested in tests/faceid and through the real server in
// tests/integration/face_test.cpp.
#include <doctest/doctest.h>

#include <boost/asio/post.hpp>
#include <deque>
#include <map>

#include "hall_fixture.hpp"
#include "store/store.hpp"

using namespace daihoi;
using namespace daihoi::testing;
using domain::Role;

namespace {

faceid::Descriptor axis(std::size_t index, float length = 0.5f) {
  faceid::Descriptor d{};
  d[index] = length;
  return d;
}

// A face engine whose "images" name measurements prepared by the test. Results
// are posted back like the real workers'; `hold` keeps them until released.
class ScriptedEngine final : public protocol::FaceEngine {
 public:
  explicit ScriptedEngine(boost::asio::io_context& ioc) : ioc_(ioc) {}
  std::optional<protocol::FaceUnavailable> unavailable() const override { return unavailable_; }
  void analyze(std::string image, protocol::FaceJob job, std::function<void(protocol::FaceMeasurement)> done) override {
    ++analysed;
    jobs.push_back(job);
    protocol::FaceMeasurement measured;
    if (auto it = script.find(image); it != script.end()) {
      measured = it->second;
    } else {
      measured.errorCode = "unsupported_image";
      measured.errorMessage = "Không phải ảnh JPEG/PNG / not a JPEG or PNG image";
    }
    auto finish = [done = std::move(done), measured] { done(measured); };
    if (hold) {
      held.push_back(std::move(finish));
    } else {
      boost::asio::post(ioc_, std::move(finish));
    }
  }
  void releaseAll() {
    for (auto& f : held) boost::asio::post(ioc_, std::move(f));
    held.clear();
  }

  // A face of `who` (a descriptor) with the eyes at `ear`.
  void face(const std::string& name, const faceid::Descriptor& who, float ear, float yaw = 0) {
    protocol::FaceMeasurement m;
    m.width = 640;
    m.height = 480;
    m.faces = 1;
    m.observation.hasFace = true;
    m.observation.passed = true;
    m.observation.box = {200, 120, 180, 180};
    m.observation.ear = ear;
    m.observation.pose.yaw = yaw;
    m.observation.descriptor = who;
    m.chipJpeg = "jpeg of " + name;
    m.micros = 45'000;
    script[name] = m;
  }

  std::map<std::string, protocol::FaceMeasurement> script;
  std::optional<protocol::FaceUnavailable> unavailable_;
  bool hold = false;
  std::vector<std::function<void()>> held;
  int analysed = 0;
  std::vector<protocol::FaceJob> jobs;

 private:
  boost::asio::io_context& ioc_;
};

struct FaceHall : HallFixture {
  FaceHall() : engine(ioc) {
    // Short liveness windows keep the tests quick; the logic is the same.
    options.face.attempt.liveness.challengeAfterMs = 1000;
    options.face.attempt.liveness.timeoutMs = 2000;
    faceEngine = &engine;
    restart();
    engine.face("A-open", axis(0), 0.30f);
    engine.face("A-open-2", [] { auto d = axis(0); d[5] = 0.05f; return d; }(), 0.31f);
    engine.face("A-closed", axis(0), 0.10f);
    engine.face("B-open", axis(1), 0.30f);
    engine.face("C-open", axis(2), 0.30f);  // enrolled by nobody
    // A look-alike of A: within the threshold of A but too close to B as well.
    engine.face("AB-open", [] { auto d = axis(0, 0.35f); d[1] = 0.35f; return d; }(), 0.30f);
    protocol::FaceMeasurement none;
    none.width = 640;
    none.height = 480;
    none.issues = {"no_face"};
    none.prompt = "Không thấy khuôn mặt / No face found";
    engine.script["empty-room"] = none;
    protocol::FaceMeasurement small = engine.script["A-open"];
    small.observation.passed = false;
    small.observation.descriptor.reset();
    small.issues = {"too_small"};
    small.prompt = "Xin lại gần hơn / Please step closer";
    engine.script["A-far"] = small;
  }

  // Runs the io_context until `done` holds (or 10 s).
  template <class Predicate>
  void pump(Predicate done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc.restart();
      ioc.run_for(std::chrono::milliseconds(2));
    }
  }

  v1::Response call(FakeTerminal& t, v1::ClientMessage message) {
    const auto id = t.send(std::move(message));
    pump([&] { return t.responseTo(id).has_value(); });
    auto response = t.responseTo(id);
    REQUIRE(response.has_value());
    return *response;
  }

  // One kiosk frame, 100 ms of kiosk time after the previous one; returns the reply.
  v1::Response frame(FakeTerminal& kiosk, const std::string& image, const std::string& claimed = {}, bool exit = false) {
    v1::ClientMessage m;
    auto& f = *m.mutable_face_frame();
    f.set_image(image);
    f.set_frame_id(++frameId);
    kioskMs += 100;
    f.set_captured_ms(kioskMs);
    f.set_claimed_code(claimed);
    f.set_exit(exit);
    clock.advance(100);
    return call(kiosk, std::move(m));
  }

  // Enrolls `images` for the delegate; returns the reply.
  v1::Response enroll(FakeTerminal& organizer, const std::string& code, std::vector<std::string> images) {
    v1::ClientMessage m;
    m.mutable_enroll_faces()->set_delegate_code(code);
    for (const auto& image : images) {
      auto& photo = *m.mutable_enroll_faces()->add_photos();
      photo.set_name(image + ".jpg");
      photo.set_image(image);
    }
    auto response = call(organizer, std::move(m));
    settle();
    return response;
  }

  // A live check-in sequence: open eyes, a blink, open again.
  v1::Response blinkSequence(FakeTerminal& kiosk, const std::string& open, const std::string& closed,
                             const std::string& claimed = {}, bool exit = false) {
    v1::Response last;
    for (const char* step : {"o", "o", "o", "o", "c", "c", "o", "o", "o"}) {
      last = frame(kiosk, step[0] == 'o' ? open : closed, claimed, exit);
      REQUIRE_MESSAGE(last.has_face_frame(), last.DebugString());
      if (last.face_frame().status() == v1::FACE_STATUS_CHECKED_IN ||
          last.face_frame().status() == v1::FACE_STATUS_CHECKED_OUT)
        break;
    }
    return last;
  }

  std::string code(std::size_t index) const { return delegates.at(index).code; }

  ScriptedEngine engine;
  std::uint64_t frameId = 0;
  std::int64_t kioskMs = 1'000'000;
};

template <class Event>
std::vector<v1::Event> eventsWith(const FakeTerminal& t, Event has) {
  std::vector<v1::Event> out;
  for (const auto& e : t.events()) {
    if ((e.*has)()) out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE_FIXTURE(FaceHall, "a recognised, live face checks the delegate in: durable, broadcast, with distance and thumbnail") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  auto kiosk = signedIn(Role::Kiosk);
  REQUIRE(enroll(*organizer, code(0), {"A-open"}).face_enrollment().photos(0).status() == "ok");
  REQUIRE(enroll(*organizer, code(1), {"B-open"}).face_enrollment().photos(0).status() == "ok");

  // Nobody there, then too far: prompts, nothing recorded.
  auto empty = frame(*kiosk, "empty-room").face_frame();
  CHECK(empty.status() == v1::FACE_STATUS_NO_FACE);
  CHECK(empty.prompt().find("camera") != std::string::npos);
  auto far = frame(*kiosk, "A-far").face_frame();
  CHECK(far.status() == v1::FACE_STATUS_ADJUST);
  CHECK(far.issues(0) == "too_small");
  CHECK(far.prompt() == "Xin lại gần hơn / Please step closer");

  const auto reply = blinkSequence(*kiosk, "A-open", "A-closed").face_frame();
  REQUIRE(reply.status() == v1::FACE_STATUS_CHECKED_IN);
  CHECK(reply.delegate().code() == code(0));
  CHECK(reply.prompt().find(delegates[0].fullName) != std::string::npos);
  CHECK(reply.prompt().find(delegates[0].seat.label) != std::string::npos);
  CHECK(reply.enrolled_photo() == "jpeg of A-open");
  CHECK(reply.distance() < 0.01f);
  CHECK_FALSE(reply.already_present());
  REQUIRE(reply.seq() > 0);
  // Acknowledged means durable: the committed state has it already.
  CHECK(hall->committed().attendance().isPresent(delegates[0].id));
  CHECK(hall->committedSeq() >= reply.seq());

  settle();
  auto changes = eventsWith(*secretary, &v1::Event::has_attendance_changed);
  REQUIRE(changes.size() == 1);
  const auto& change = changes[0].attendance_changed();
  CHECK(change.delegate_id() == delegates[0].id);
  CHECK(change.method() == v1::ATTENDANCE_METHOD_FACE);
  CHECK(change.recorded_by().role() == v1::ROLE_KIOSK);
  CHECK(change.recorded_by().login() == "kiosk-1");
  CHECK(change.face_distance() < 0.01f);

  // The log has the kiosk, the method and a thumbnail for review.
  v1::ClientMessage log;
  log.mutable_get_attendance_log();
  auto logged = call(*secretary, log);
  REQUIRE_MESSAGE(logged.has_attendance_log(), logged.DebugString());
  REQUIRE(logged.attendance_log().entries_size() == 1);
  const auto& entry = logged.attendance_log().entries(0);
  CHECK(entry.method() == v1::ATTENDANCE_METHOD_FACE);
  CHECK(entry.recorded_by().login() == "kiosk-1");
  CHECK(entry.has_thumbnail());
  CHECK(entry.full_name() == delegates[0].fullName);
  v1::ClientMessage thumbnail;
  thumbnail.mutable_get_face_thumbnail()->set_attendance_id(entry.id());
  auto jpeg = call(*organizer, thumbnail);
  REQUIRE_MESSAGE(jpeg.has_face_thumbnail(), jpeg.DebugString());
  CHECK(jpeg.face_thumbnail().jpeg().rfind("jpeg of A-open", 0) == 0);
}

TEST_CASE_FIXTURE(FaceHall, "a still face (no blink, no head turn) is not checked in, and the secretariat hears of it") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});

  v1::FaceFrameReply last;
  bool askedToBlink = false;
  bool challenged = false;
  for (int i = 0; i < 40 && last.status() != v1::FACE_STATUS_NOT_LIVE; ++i) {
    last = frame(*kiosk, "A-open").face_frame();
    CHECK(last.status() != v1::FACE_STATUS_CHECKED_IN);
    askedToBlink = askedToBlink || last.status() == v1::FACE_STATUS_BLINK;
    challenged = challenged || last.status() == v1::FACE_STATUS_TURN_LEFT || last.status() == v1::FACE_STATUS_TURN_RIGHT;
  }
  CHECK(askedToBlink);
  CHECK(challenged);
  REQUIRE(last.status() == v1::FACE_STATUS_NOT_LIVE);
  CHECK(last.prompt().find("reception desk") != std::string::npos);
  CHECK(last.seq() > 0);
  settle();
  CHECK_FALSE(hall->committed().attendance().isPresent(delegates[0].id));
  auto attempts = eventsWith(*secretary, &v1::Event::has_face_attempt_unresolved);
  REQUIRE(attempts.size() == 1);
  CHECK(attempts[0].face_attempt_unresolved().status() == v1::FACE_STATUS_NOT_LIVE);
  CHECK(attempts[0].face_attempt_unresolved().kiosk().login() == "kiosk-1");
  CHECK(attempts[0].face_attempt_unresolved().nearest_delegate_id() == delegates[0].id);
  CHECK(eventsWith(*secretary, &v1::Event::has_attendance_changed).empty());
}

TEST_CASE_FIXTURE(FaceHall, "an attended kiosk (an usher checks every person) needs no liveness; others still do") {
  options.face.attendedKiosks = {"kiosk-1"};
  restart();
  auto organizer = signedIn(Role::Organizer);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});
  v1::FaceFrameReply last;
  int frames = 0;
  while (frames < 6 && last.status() != v1::FACE_STATUS_CHECKED_IN) {
    last = frame(*kiosk, "A-open").face_frame();
    ++frames;
  }
  CHECK(last.status() == v1::FACE_STATUS_CHECKED_IN);
  CHECK(frames <= 4);  // three frames to decide, one more of the same face
  CHECK(hall->committed().attendance().isPresent(delegates[0].id));
}

TEST_CASE_FIXTURE(FaceHall, "unknown and ambiguous faces go to the reception desk, with a recorded reason") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});

  v1::FaceFrameReply last;
  for (int i = 0; i < 10 && last.status() != v1::FACE_STATUS_UNKNOWN; ++i) last = frame(*kiosk, "C-open").face_frame();
  CHECK(last.status() == v1::FACE_STATUS_UNKNOWN);
  CHECK_FALSE(last.has_delegate());

  // The person leaves; a look-alike of two delegates comes.
  for (int i = 0; i < 6; ++i) frame(*kiosk, "empty-room");
  last = {};
  for (int i = 0; i < 10 && last.status() != v1::FACE_STATUS_AMBIGUOUS; ++i) last = frame(*kiosk, "AB-open").face_frame();
  CHECK(last.status() == v1::FACE_STATUS_AMBIGUOUS);
  settle();
  auto attempts = eventsWith(*secretary, &v1::Event::has_face_attempt_unresolved);
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0].face_attempt_unresolved().status() == v1::FACE_STATUS_UNKNOWN);
  CHECK(attempts[0].face_attempt_unresolved().reason().find("no enrolled delegate") != std::string::npos);
  CHECK(attempts[1].face_attempt_unresolved().status() == v1::FACE_STATUS_AMBIGUOUS);
  CHECK(hall->committed().attendance().totals().present == 0);
}

TEST_CASE_FIXTURE(FaceHall, "failed attempts keep no image unless the congress turns it on") {
  for (const bool keep : {false, true}) {
    CAPTURE(keep);
    options.face.keepFailedAttempts = keep;
    restart();
    auto organizer = signedIn(Role::Organizer);
    auto secretary = signedIn(Role::Secretary);
    auto kiosk = signedIn(Role::Kiosk);
    enroll(*organizer, code(0), {"A-open"});
    v1::FaceFrameReply last;
    for (int i = 0; i < 10 && last.status() != v1::FACE_STATUS_UNKNOWN; ++i) last = frame(*kiosk, "C-open").face_frame();
    REQUIRE(last.status() == v1::FACE_STATUS_UNKNOWN);
    settle();
    auto attempts = eventsWith(*secretary, &v1::Event::has_face_attempt_unresolved);
    REQUIRE(attempts.size() == 1);
    CHECK(attempts[0].face_attempt_unresolved().image_kept() == keep);
    v1::ClientMessage fetch;
    fetch.mutable_get_face_thumbnail()->set_attempt_seq(attempts[0].seq());
    auto image = call(*secretary, fetch);
    if (keep) {
      REQUIRE_MESSAGE(image.has_face_thumbnail(), image.DebugString());
      CHECK(image.face_thumbnail().jpeg() == "jpeg of C-open");
      CHECK(image.face_thumbnail().attempt_seq() == attempts[0].seq());
    } else {
      CHECK(image.error().code() == v1::ERROR_NOT_FOUND);
    }
    v1::ClientMessage both;
    both.mutable_get_face_thumbnail()->set_attempt_seq(1);
    both.mutable_get_face_thumbnail()->set_attendance_id(1);
    CHECK(call(*secretary, both).error().code() == v1::ERROR_INVALID_ARGUMENT);
    organizer.reset();
    secretary.reset();
    kiosk.reset();
  }
}

TEST_CASE_FIXTURE(FaceHall, "a delegate already present is welcomed back without counting twice; an exit kiosk checks out") {
  auto organizer = signedIn(Role::Organizer);
  auto chair = signedIn(Role::Chair);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});
  REQUIRE(blinkSequence(*kiosk, "A-open", "A-closed").face_frame().status() == v1::FACE_STATUS_CHECKED_IN);
  for (int i = 0; i < 45; ++i) frame(*kiosk, "empty-room");  // past the hold period
  const auto again = blinkSequence(*kiosk, "A-open", "A-closed").face_frame();
  REQUIRE(again.status() == v1::FACE_STATUS_CHECKED_IN);
  CHECK(again.already_present());
  CHECK(again.seq() == 0);
  CHECK(again.prompt().rfind("Chào mừng trở lại / Welcome back", 0) == 0);
  settle();
  CHECK(eventsWith(*chair, &v1::Event::has_attendance_changed).size() == 1);
  CHECK(hall->committed().attendance().totals().present == 1);

  auto exitKiosk = signedIn(Role::Kiosk);
  const auto out = blinkSequence(*exitKiosk, "A-open", "A-closed", {}, true).face_frame();
  REQUIRE(out.status() == v1::FACE_STATUS_CHECKED_OUT);
  CHECK(out.seq() > 0);
  settle();
  CHECK_FALSE(hall->committed().attendance().isPresent(delegates[0].id));
  auto changes = eventsWith(*chair, &v1::Event::has_attendance_changed);
  REQUIRE(changes.size() == 2);
  CHECK_FALSE(changes[1].attendance_changed().present());
  CHECK(changes[1].attendance_changed().method() == v1::ATTENDANCE_METHOD_FACE);
}

TEST_CASE_FIXTURE(FaceHall, "the badge as second factor: verified 1:1, a different face is a mismatch") {
  auto organizer = signedIn(Role::Organizer);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});

  v1::FaceFrameReply last;
  for (int i = 0; i < 10 && last.status() != v1::FACE_STATUS_MISMATCH; ++i) {
    last = frame(*kiosk, "A-open", code(1)).face_frame();
  }
  CHECK(last.status() == v1::FACE_STATUS_MISMATCH);
  for (int i = 0; i < 45; ++i) frame(*kiosk, "empty-room");
  const auto verified = blinkSequence(*kiosk, "A-open", "A-closed", code(0)).face_frame();
  CHECK(verified.status() == v1::FACE_STATUS_CHECKED_IN);
  CHECK(verified.delegate().code() == code(0));

  // The badge's QR token names the delegate the same way.
  for (int i = 0; i < 45; ++i) frame(*kiosk, "empty-room");
  v1::ClientMessage byToken;
  byToken.mutable_face_frame()->set_image("B-open");
  byToken.mutable_face_frame()->set_claimed_badge_token(badgeTokens.at(code(0)));
  v1::FaceFrameReply tokenReply;
  for (int i = 0; i < 10 && tokenReply.status() != v1::FACE_STATUS_MISMATCH; ++i) {
    clock.advance(100);
    tokenReply = call(*kiosk, byToken).face_frame();
  }
  CHECK(tokenReply.status() == v1::FACE_STATUS_MISMATCH);  // B's face on A's badge
  byToken.mutable_face_frame()->set_claimed_badge_token("not-a-badge-token");
  CHECK(call(*kiosk, byToken).error().code() == v1::ERROR_NOT_FOUND);

  // A badge that names nobody, or a delegate without an enrolled face: clear errors.
  v1::ClientMessage m;
  m.mutable_face_frame()->set_image("A-open");
  m.mutable_face_frame()->set_claimed_code("NO-SUCH-CODE");
  CHECK(call(*kiosk, m).error().code() == v1::ERROR_NOT_FOUND);
  m.mutable_face_frame()->set_claimed_code(code(2));
  auto notEnrolled = call(*kiosk, m);
  CHECK(notEnrolled.error().code() == v1::ERROR_FAILED_PRECONDITION);
  CHECK(notEnrolled.error().message().find("reception desk") != std::string::npos);
}

TEST_CASE_FIXTURE(FaceHall, "bad frames get a clear error and leave the attempt and the server unaffected") {
  auto organizer = signedIn(Role::Organizer);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});
  frame(*kiosk, "A-open");
  frame(*kiosk, "A-open");
  auto bad = frame(*kiosk, "%PDF-1.4 not an image");
  REQUIRE(bad.has_error());
  CHECK(bad.error().code() == v1::ERROR_INVALID_IMAGE);
  CHECK(bad.error().message().find("JPEG") != std::string::npos);
  v1::ClientMessage empty;
  empty.mutable_face_frame();
  CHECK(call(*kiosk, empty).error().code() == v1::ERROR_INVALID_IMAGE);
  // The attempt goes on where it was.
  for (const char* step : {"A-open", "A-open", "A-closed", "A-open", "A-open", "A-open"}) {
    auto reply = frame(*kiosk, step);
    if (reply.face_frame().status() == v1::FACE_STATUS_CHECKED_IN) break;
  }
  CHECK(hall->committed().attendance().isPresent(delegates[0].id));
}

TEST_CASE_FIXTURE(FaceHall, "a kiosk has one frame analysed and one waiting: a newer frame replaces the waiting one") {
  auto organizer = signedIn(Role::Organizer);
  auto kiosk = signedIn(Role::Kiosk);
  enroll(*organizer, code(0), {"A-open"});
  engine.hold = true;
  const int before = engine.analysed;
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 4; ++i) {
    v1::ClientMessage m;
    m.mutable_face_frame()->set_image("A-open");
    m.mutable_face_frame()->set_frame_id(100 + i);
    ids.push_back(kiosk->send(m));
  }
  pump([&] { return kiosk->responseTo(ids[2]).has_value(); });
  CHECK(engine.analysed == before + 1);  // only the first is with the workers
  REQUIRE(kiosk->responseTo(ids[1]).has_value());
  CHECK(kiosk->responseTo(ids[1])->face_frame().status() == v1::FACE_STATUS_DROPPED);
  CHECK(kiosk->responseTo(ids[2])->face_frame().status() == v1::FACE_STATUS_DROPPED);
  CHECK_FALSE(kiosk->responseTo(ids[3]).has_value());
  engine.hold = false;
  engine.releaseAll();
  pump([&] { return kiosk->responseTo(ids[3]).has_value(); });
  CHECK(kiosk->responseTo(ids[0])->face_frame().frame_id() == 100);
  CHECK(kiosk->responseTo(ids[3])->face_frame().frame_id() == 103);
  CHECK(kiosk->responseTo(ids[3])->face_frame().status() != v1::FACE_STATUS_DROPPED);
  CHECK(engine.analysed == before + 2);
}

TEST_CASE_FIXTURE(FaceHall, "a kiosk sending faster than allowed is rate limited") {
  options.face.kioskFramesPerSecond = 5;
  options.face.kioskBurstFrames = 3;
  restart();
  auto kiosk = signedIn(Role::Kiosk);
  int limited = 0;
  for (int i = 0; i < 6; ++i) {
    v1::ClientMessage m;
    m.mutable_face_frame()->set_image("empty-room");
    auto reply = call(*kiosk, m);
    if (reply.has_error()) {
      CHECK(reply.error().code() == v1::ERROR_RATE_LIMITED);
      CHECK(reply.error().retry_after_ms() > 0);
      ++limited;
    }
  }
  CHECK(limited == 3);
  clock.advance(1000);  // five more frames' worth, capped at the burst
  v1::ClientMessage m;
  m.mutable_face_frame()->set_image("empty-room");
  CHECK(call(*kiosk, m).has_face_frame());
}

TEST_CASE_FIXTURE(FaceHall, "without face work, frames and enrollment are refused with the reason; the rest works") {
  engine.unavailable_ = protocol::FaceUnavailable{"face descriptor model missing: run deploy/daihoi demo to convert it"};
  auto kiosk = signedIn(Role::Kiosk);
  auto organizer = signedIn(Role::Organizer);
  v1::ClientMessage m;
  m.mutable_face_frame()->set_image("A-open");
  auto refused = call(*kiosk, m);
  CHECK(refused.error().code() == v1::ERROR_FACE_UNAVAILABLE);
  CHECK(refused.error().message().find("deploy/daihoi demo") != std::string::npos);
  CHECK(enroll(*organizer, code(0), {"A-open"}).error().code() == v1::ERROR_FACE_UNAVAILABLE);
  v1::ClientMessage report;
  report.mutable_get_face_enrollment();
  auto state = call(*organizer, report);
  REQUIRE(state.has_face_enrollment());
  CHECK_FALSE(state.face_enrollment().face_available());
  CHECK(state.face_enrollment().face_problem().find("missing") != std::string::npos);
  CHECK(state.face_enrollment().face_retry_after_ms() == 0);
  CHECK(refused.error().retry_after_ms() == 0);
  CHECK(engine.analysed == 0);
}

TEST_CASE_FIXTURE(FaceHall, "while the models load after a start, face requests are refused with a retry time") {
  engine.unavailable_ = protocol::FaceUnavailable{"its face models are still loading after the start", 2000};
  auto kiosk = signedIn(Role::Kiosk);
  auto organizer = signedIn(Role::Organizer);
  v1::ClientMessage m;
  m.mutable_face_frame()->set_image("A-open");
  auto refused = call(*kiosk, m);
  CHECK(refused.error().code() == v1::ERROR_FACE_UNAVAILABLE);
  CHECK(refused.error().retry_after_ms() == 2000);
  v1::ClientMessage report;
  report.mutable_get_face_enrollment();
  auto state = call(*organizer, report);
  CHECK_FALSE(state.face_enrollment().face_available());
  CHECK(state.face_enrollment().face_retry_after_ms() == 2000);
  // Loaded: the same kiosk is served.
  engine.unavailable_.reset();
  CHECK(call(*kiosk, m).has_face_frame());
  CHECK(engine.analysed == 1);
}

TEST_CASE_FIXTURE(FaceHall, "enrollment: per-photo report, reuse by hash, duplicates refused, look-alikes, durable across restarts") {
  auto organizer = signedIn(Role::Organizer);
  auto first = enroll(*organizer, code(0), {"A-open", "A-open-2", "empty-room", "garbage"}).face_enrollment();
  REQUIRE(first.photos_size() == 4);
  CHECK(first.photos(0).status() == "ok");
  CHECK(first.photos(1).status() == "ok");
  CHECK(first.photos(2).status() == "no_face");
  CHECK(first.photos(3).status() == "unsupported_image");
  CHECK(first.photos(0).sha256().size() == 64);
  REQUIRE(first.enrolled_size() == 1);
  CHECK(first.enrolled(0).photos() == 2);
  CHECK(engine.jobs.back() == protocol::FaceJob::Enrollment);

  // Again with one photo the same: only the new one is analysed.
  const int before = engine.analysed;
  auto second = enroll(*organizer, code(0), {"A-open", "A-closed"}).face_enrollment();
  CHECK(second.photos(0).reused());
  CHECK_FALSE(second.photos(1).reused());
  CHECK(engine.analysed == before + 1);
  CHECK(hall->faceDesk().photosOf(delegates[0].id).size() == 2);

  // The same photo for another delegate is a wrong photo.
  auto wrong = enroll(*organizer, code(1), {"A-open"}).face_enrollment();
  CHECK(wrong.photos(0).status() == "duplicate");
  CHECK(wrong.photos(0).message().find(code(0)) != std::string::npos);
  CHECK_FALSE(hall->faceDesk().gallery().contains(delegates[1].id));

  // A look-alike pair is listed for an organizer to confirm.
  enroll(*organizer, code(1), {"AB-open"});
  v1::ClientMessage report;
  report.mutable_get_face_enrollment();
  auto state = call(*organizer, report).face_enrollment();
  settle();
  CHECK(state.face_available());
  CHECK(state.enrolled_size() == 2);
  CHECK(state.not_enrolled_size() == static_cast<int>(delegates.size()) - 2);
  REQUIRE(state.look_alikes_size() == 1);
  CHECK(state.look_alikes(0).delegate_id() == delegates[0].id);
  CHECK(state.look_alikes(0).other_id() == delegates[1].id);
  CHECK(state.threshold() == doctest::Approx(0.45f));

  organizer.reset();  // terminals do not outlive their hall
  restart();
  CHECK(hall->faceDesk().gallery().size() == 2);
  CHECK(hall->faceDesk().photosOf(delegates[0].id).size() == 2);
  // Enrolling nothing removes a delegate's enrollment.
  auto organizer2 = signedIn(Role::Organizer);
  enroll(*organizer2, code(1), {});
  CHECK_FALSE(hall->faceDesk().gallery().contains(delegates[1].id));
}

TEST_CASE_FIXTURE(FaceHall, "two enrollments in flight cannot give the same photo to two delegates") {
  auto organizer = signedIn(Role::Organizer);
  engine.hold = true;
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < 2; ++i) {
    v1::ClientMessage m;
    m.mutable_enroll_faces()->set_delegate_code(code(i));
    auto& photo = *m.mutable_enroll_faces()->add_photos();
    photo.set_name("same.jpg");
    photo.set_image("A-open");
    ids.push_back(organizer->send(m));
  }
  pump([&] { return engine.held.size() == 2; });
  engine.hold = false;
  engine.releaseAll();
  pump([&] { return organizer->responseTo(ids[0]).has_value() && organizer->responseTo(ids[1]).has_value(); });
  settle();
  CHECK(organizer->responseTo(ids[0])->face_enrollment().photos(0).status() == "ok");
  const auto second = organizer->responseTo(ids[1])->face_enrollment();
  CHECK(second.photos(0).status() == "duplicate");
  CHECK(second.photos(0).message().find(code(0)) != std::string::npos);
  CHECK(hall->faceDesk().gallery().size() == 1);
  organizer.reset();
  restart();
  CHECK(hall->faceDesk().gallery().size() == 1);
}

TEST_CASE_FIXTURE(FaceHall, "a roster import keeps the enrolled faces of the codes that remain, and only those") {
  auto organizer = signedIn(Role::Organizer);
  enroll(*organizer, code(0), {"A-open"});
  enroll(*organizer, code(1), {"B-open"});
  v1::ClientMessage import;
  import.mutable_import_roster()->set_csv("code,full_name,delegation,seat\n" + code(1) +
                                          ",Phạm Thị Dung,Đoàn Mới,Z-01\nNEW-001,Đặng Văn Em,Đoàn Mới,Z-02\n");
  REQUIRE_MESSAGE(call(*organizer, import).has_import_roster(), "import refused");
  settle();
  const auto& desk = hall->faceDesk();
  const auto* kept = hall->committed().roster().findByCode(code(1));
  REQUIRE(kept != nullptr);
  CHECK(desk.gallery().size() == 1);
  CHECK(desk.gallery().contains(kept->id));
  CHECK(desk.photosOf(kept->id).size() == 1);
  const std::uint32_t keptId = kept->id;  // the roster goes with the hall
  organizer.reset();
  restart();
  CHECK(hall->faceDesk().gallery().size() == 1);
  CHECK(hall->faceDesk().gallery().contains(keptId));
}

TEST_CASE_FIXTURE(HallFixture, "roll calls and sittings are recorded in the chain; the log filters by sitting and pages") {
  auto chair = signedIn(Role::Chair);
  auto secretary = signedIn(Role::Secretary);
  auto delegate = signedInDelegate(delegates[3].code);
  auto call = [&](FakeTerminal& t, v1::ClientMessage m) {
    const auto id = t.send(std::move(m));
    settle();
    auto r = t.responseTo(id);
    REQUIRE(r.has_value());
    return *r;
  };
  v1::ClientMessage start;
  start.mutable_start_sitting()->set_title("Phiên thứ nhất — sáng 02/12");
  auto started = call(*chair, start);
  REQUIRE_MESSAGE(started.has_sitting(), started.DebugString());
  CHECK(started.sitting().sitting().id() == 1);
  CHECK(call(*chair, start).error().code() == v1::ERROR_FAILED_PRECONDITION);  // one at a time

  v1::ClientMessage checkIn;
  checkIn.mutable_check_in()->set_delegate_code(delegates[0].code);
  checkIn.mutable_check_in()->add_more_codes(delegates[1].code);
  checkIn.mutable_check_in()->set_reason("có mặt");
  call(*secretary, checkIn);

  v1::ClientMessage rollCall;
  rollCall.mutable_take_roll_call()->set_note("điểm danh đầu phiên");
  auto taken = call(*chair, rollCall);
  REQUIRE_MESSAGE(taken.has_roll_call(), taken.DebugString());
  CHECK(taken.roll_call().roll_call_id() == 1);
  CHECK(taken.roll_call().totals().present() == 2);
  auto calls = [&](const FakeTerminal& t) {
    std::vector<v1::RollCallTaken> out;
    for (const auto& e : t.events()) if (e.has_roll_call_taken()) out.push_back(e.roll_call_taken());
    return out;
  };
  REQUIRE(calls(*delegate).size() == 1);  // everyone sees the official roll call
  CHECK(calls(*delegate)[0].present_delegate_ids_size() == 2);
  CHECK(calls(*delegate)[0].sitting_id() == 1);
  CHECK(call(*delegate, rollCall).error().code() == v1::ERROR_PERMISSION_DENIED);

  v1::ClientMessage end;
  end.mutable_end_sitting();
  CHECK(call(*chair, end).sitting().sitting().ended_ms() > 0);
  CHECK(call(*chair, end).error().code() == v1::ERROR_FAILED_PRECONDITION);
  v1::ClientMessage checkOut;
  checkOut.mutable_check_out()->set_delegate_code(delegates[0].code);
  checkOut.mutable_check_out()->set_reason("về sớm");
  call(*secretary, checkOut);

  v1::ClientMessage log;
  log.mutable_get_attendance_log();
  auto all = call(*secretary, log).attendance_log();
  REQUIRE(all.entries_size() == 3);
  CHECK(all.entries(0).sitting_id() == 1);
  CHECK(all.entries(2).sitting_id() == 0);
  CHECK_FALSE(all.entries(2).present());
  REQUIRE(all.sittings_size() == 1);
  CHECK(all.sittings(0).title() == "Phiên thứ nhất — sáng 02/12");
  log.mutable_get_attendance_log()->set_sitting_id(1);
  CHECK(call(*secretary, log).attendance_log().entries_size() == 2);
  log.mutable_get_attendance_log()->set_sitting_id(0);
  log.mutable_get_attendance_log()->set_delegate_code(delegates[0].code);
  CHECK(call(*secretary, log).attendance_log().entries_size() == 2);
  log.mutable_get_attendance_log()->set_after_id(all.entries(0).id());
  CHECK(call(*secretary, log).attendance_log().entries_size() == 1);
  log.mutable_get_attendance_log()->set_delegate_code("NOPE");
  CHECK(call(*secretary, log).error().code() == v1::ERROR_NOT_FOUND);
  CHECK(call(*delegate, log).error().code() == v1::ERROR_PERMISSION_DENIED);

  // After a restart: the sitting history and the roll-call count continue.
  chair.reset();
  secretary.reset();
  delegate.reset();
  restart();
  auto chair2 = signedIn(Role::Chair);
  CHECK(call(*chair2, rollCall).roll_call().roll_call_id() == 2);
  CHECK(call(*chair2, start).sitting().sitting().id() == 2);
  auto store = store::Store::openReadOnly(dbPath);
  CHECK(store->loadSittings().size() == 2);
  CHECK(store->loadRollCallCount() == 2);
}
