// The client library against the real server: resume after a dropped
// connection, the role matrix over WebSockets, CSV import errors, TLS.
#include <doctest/doctest.h>

#include <google/protobuf/descriptor.h>

#include <mutex>
#include <set>
#include <thread>

#include "client/hall_client.hpp"
#include "clients.hpp"
#include "server_process.hpp"
#include "tcp_proxy.hpp"

using namespace daihoi::testing;
using namespace daihoi::client;
namespace v1 = daihoi::v1;
using namespace std::chrono_literals;

namespace {

v1::Response checkIn(HallClient& client, const std::string& code, bool present = true) {
  v1::ClientMessage m;
  if (present) {
    m.mutable_check_in()->set_delegate_code(code);
    m.mutable_check_in()->set_reason("kiểm tra");
  } else {
    m.mutable_check_out()->set_delegate_code(code);
    m.mutable_check_out()->set_reason("kiểm tra");
  }
  auto response = client.call(m);
  REQUIRE_MESSAGE(response.ok(), response.error().message);
  REQUIRE_MESSAGE(response->has_attendance_change(), response->DebugString());
  return *response;
}

}  // namespace

TEST_CASE("a terminal resumes after a dropped connection without gaps or duplicates") {
  ServerProcess server;
  server.start();
  TcpProxy proxy(server.port());
  const std::string viaProxy = "ws://127.0.0.1:" + std::to_string(proxy.port()) + "/ws";

  std::mutex mutex;
  std::vector<std::uint64_t> seen;
  int snapshots = 0;
  ClientOptions chairOptions = optionsFor(viaProxy);
  HallClient chair(chairOptions);
  chair.onEvent([&](const v1::Event& e) {
    std::lock_guard lock(mutex);
    seen.push_back(e.seq());
  });
  chair.onSnapshot([&](const v1::Snapshot&) {
    std::lock_guard lock(mutex);
    ++snapshots;
  });
  REQUIRE(chair.connect().ok());
  REQUIRE(chair.signIn(staff(server, "chair1")).ok());

  auto secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
  const auto codes = server.delegateCodes();
  std::uint64_t last = 0;
  for (int i = 0; i < 3; ++i) last = checkIn(*secretary, codes.at(i)).attendance_change().seq();
  REQUIRE(chair.waitForSeq(last, 10s));

  // The network drops; while the chair is away the secretary keeps working.
  proxy.setRefusing(true);
  proxy.cutAll();
  REQUIRE(chair.waitForState(ConnectionState::Reconnecting, 10s));
  for (int i = 3; i < 10; ++i) last = checkIn(*secretary, codes.at(i)).attendance_change().seq();
  last = checkIn(*secretary, codes.at(0), false).attendance_change().seq();
  proxy.setRefusing(false);

  REQUIRE(chair.waitForSeq(last, 15s));
  CHECK(chair.state() == ConnectionState::SignedIn);
  CHECK(chair.reconnects() == 1);
  // The mirror is updated just before the event callback runs: wait for the callback too.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      if (!seen.empty() && seen.back() == last) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::lock_guard lock(mutex);
  CHECK(snapshots == 1);  // only the first sign-in: the resume sent the missed events
  const std::set<std::uint64_t> unique(seen.begin(), seen.end());
  CHECK(unique.size() == seen.size());                       // no duplicates
  CHECK(std::is_sorted(seen.begin(), seen.end()));           // in order
  CHECK(seen.size() == 11);                                  // 10 check-ins and 1 check-out, none missing

  // The mirror equals the server's own view.
  v1::ClientMessage get;
  get.mutable_get_attendance();
  auto attendance = secretary->call(get);
  REQUIRE(attendance.ok());
  const auto mirror = chair.mirror();
  const auto ids = mirror.presentIds();
  CHECK(std::vector<std::uint32_t>(attendance->attendance().present_delegate_ids().begin(),
                                   attendance->attendance().present_delegate_ids().end()) == ids);
  CHECK(ids.size() == 9);
}

TEST_CASE("role matrix over WebSockets: every request type x every role") {
  ServerProcess server;
  server.start();
  const auto codes = server.delegateCodes();
  const std::vector<std::pair<std::string, Credential>> roles = {
      {"delegate", DelegatePinCredential{codes.at(0), server.delegatePin(codes.at(0))}},
      {"chair", staff(server, "chair1")},
      {"secretary", staff(server, "secretary")},
      {"organizer", staff(server, "organizer")},
      {"kiosk", DeviceTokenCredential{server.deviceToken("kiosk-1")}},
      {"display", DeviceTokenCredential{server.deviceToken("display-1")}},
  };
  // The policy as a congress organizer states it.
  const std::map<std::string, std::set<std::string>> allowed = {
      {"get_congress", {"delegate", "chair", "secretary", "organizer", "kiosk", "display"}},
      {"get_roster", {"delegate", "chair", "secretary", "organizer", "kiosk", "display"}},
      {"get_attendance", {"chair", "secretary", "organizer", "display"}},
      {"check_in", {"secretary"}},
      {"check_out", {"secretary"}},
      {"import_roster", {"organizer"}},
      {"sign_out", {"delegate", "chair", "secretary", "organizer", "kiosk", "display"}},
      {"create_ballot", {"secretary", "organizer"}},
      {"create_runoff", {"chair", "secretary"}},
      {"open_ballot", {"chair"}},
      {"close_ballot", {"chair"}},
      {"publish_ballot", {"chair"}},
      {"cancel_ballot", {"chair"}},
      {"cast_vote", {"delegate"}},
      {"verify_receipt", {"delegate"}},
      {"list_ballots", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"get_ballot_result", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"get_named_votes", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"get_ballot_progress", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"confirm_tally", {"delegate"}},
      {"appoint_counting_committee", {"chair"}},
      {"set_voting_rules", {"organizer"}},
      {"get_voting_rules", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"face_frame", {"kiosk"}},
      {"face_reset", {"kiosk"}},
      {"enroll_faces", {"organizer"}},
      {"get_face_enrollment", {"organizer", "secretary"}},
      {"get_face_thumbnail", {"organizer", "secretary"}},
      {"take_roll_call", {"chair"}},
      {"start_sitting", {"chair"}},
      {"end_sitting", {"chair"}},
      {"get_attendance_log", {"chair", "secretary", "organizer"}},
      {"upload_chunk", {"delegate", "secretary", "organizer"}},
      {"add_document", {"delegate", "secretary", "organizer"}},
      {"update_document", {"delegate", "secretary", "organizer"}},
      {"decide_contribution", {"secretary", "organizer"}},
      {"list_documents", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"get_document_version", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"get_document_diff", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"search_documents", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"ask_question", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"open_document", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"get_document_readers", {"secretary", "organizer"}},
      {"set_discussion_groups", {"organizer"}},
      {"get_discussion_groups", {"delegate", "chair", "secretary", "organizer", "display"}},
      {"add_comment", {"delegate", "secretary", "organizer"}},
      {"list_comments", {"delegate", "secretary", "organizer"}},
      {"mark_comment", {"secretary", "organizer"}},
      {"compile_comments", {"secretary", "organizer"}},
  };
  const auto* oneof = v1::ClientMessage::descriptor()->FindOneofByName("request");
  for (const auto& [role, credential] : roles) {
    auto client = signedInClient(server.url(), credential, optionsFor(server.url()));
    for (int i = 0; i < oneof->field_count(); ++i) {
      const auto* field = oneof->field(i);
      if (field->name() == "hello" || field->name() == "sign_in" || field->name() == "sign_out") continue;
      REQUIRE_MESSAGE(allowed.count(field->name()) == 1, "no expectation for " << field->name());
      v1::ClientMessage message;
      message.GetReflection()->MutableMessage(&message, field);
      auto response = client->call(message);
      const bool denied = !response.ok() && response.error().isServer(v1::ERROR_PERMISSION_DENIED);
      CHECK_MESSAGE(denied == (allowed.at(field->name()).count(role) == 0), field->name() << " as " << role);
    }
    auto signOut = client->signOut();
    CHECK_MESSAGE(signOut.ok(), role);
  }
}

TEST_CASE("roster CSV import over the wire: every bad line reported, a good file replaces the roster") {
  ServerProcess server;
  server.start();
  auto organizer = signedInClient(server.url(), staff(server, "organizer"), optionsFor(server.url()));
  auto display = signedInClient(server.url(), DeviceTokenCredential{server.deviceToken("display-1")},
                                optionsFor(server.url()));
  v1::ClientMessage bad;
  bad.mutable_import_roster()->set_csv(
      "\xEF\xBB\xBF"
      "code,full_name,delegation,seat,voting\n"
      "HN-001,\"Nguyễn Văn An, con\",Đoàn Hà Nội,A-01,có\n"
      "HN-002,Trần Thị Bình,Đoàn Hà Nội,A-01,không\n"
      "HN-003,Lê Văn Cường,Đoàn Hà Nội,A-03,maybe\n");
  auto refused = organizer->call(bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().isServer(v1::ERROR_CSV_INVALID));
  REQUIRE(refused.error().csvProblems.size() == 2);
  CHECK(refused.error().csvProblems[0].line == 3);
  CHECK(refused.error().csvProblems[1].line == 4);

  v1::ClientMessage good;
  good.mutable_import_roster()->set_csv(
      "code,full_name,delegation,seat\n"
      "HN-001,\"Nguyễn Văn An\",Đoàn Hà Nội,A-01\n"
      "HN-002,\"Trần Thị Bình\",\"Đoàn Hà Nội, khối cơ quan\",A-02\n");
  auto imported = organizer->call(good);
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);
  CHECK(imported->import_roster().delegates() == 2);
  // The display hears of it and refreshes its mirror.
  // The event reaches its sender before the reply, so the organizer's last seq is the import's.
  REQUIRE(display->waitForSeq(organizer->lastSeq(), 10s));
  bool refreshed = false;
  for (int i = 0; i < 100 && !refreshed; ++i) {
    refreshed = display->mirror().delegates().size() == 2;
    if (!refreshed) std::this_thread::sleep_for(50ms);
  }
  CHECK(refreshed);
}

TEST_CASE("wss with the server's certificate; refused without trusting it") {
  ServerProcess server({.tls = true});
  server.start();
  ClientOptions trusted = optionsFor(server.url());
  trusted.caFile = server.certificatePath();
  auto client = signedInClient(server.url(), staff(server, "chair1"), trusted);
  v1::ClientMessage get;
  get.mutable_get_congress();
  auto congress = client->call(get);
  REQUIRE(congress.ok());
  CHECK(congress->congress().name().find("Đại hội") == 0);

  ClientOptions untrusted = optionsFor(server.url());
  untrusted.autoReconnect = false;
  HallClient stranger(untrusted);
  auto refused = stranger.connect();
  CHECK_FALSE(refused.ok());
}
