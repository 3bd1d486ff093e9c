// The daihoi-kiosk binary against the real hall server. A small roster is imported, photos of a
// few people from ../shared/faces/people are enrolled as its delegates (EnrollFaces, organizer),
// and the kiosk is fed (a) the video in which lin_manuel_miranda appears: his delegate ends up
// present and nobody else; (b) one still photo of obama, repeated: liveness refuses it, nobody
// is checked in, and the secretariat gets FaceAttemptUnresolved{NOT_LIVE}. Then the exit codes.
//
// What the hall's liveness makes of the video: the clip recognises the delegate but holds no
// blink the hall detects and no head turn, so with liveness on the attempt stays at "blink"
// until the clip ends. Case (a) therefore runs the hall with `--liveness off` (its demo/test
// switch); the liveness-on run of the clip is reported as a MESSAGE, not asserted.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_watch.hpp"
#include "clients.hpp"
#include "server_process.hpp"
#include "tcp_proxy.hpp"

using namespace daihoi::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace v1 = daihoi::v1;
namespace client = daihoi::client;
using Json = nlohmann::json;

namespace {

std::string kioskPath() { return DAIHOI_KIOSK; }

// ../shared/faces beside the repository (DAIHOI_FACES_DIR overrides), if present.
std::optional<fs::path> sharedFaces() {
  fs::path dir = DAIHOI_SHARED_FACES;
  if (const char* env = std::getenv("DAIHOI_FACES_DIR"); env && *env) dir = env;
  std::error_code ec;
  if (!fs::is_directory(dir / "people", ec) || !fs::is_regular_file(dir / "video" / "short_hamilton_clip.mp4", ec)) {
    return std::nullopt;
  }
  return dir;
}

#define NEED_SHARED_FACES(var)                                                                                \
  const auto var##_opt = sharedFaces();                                                                       \
  if (!var##_opt) {                                                                                           \
    MESSAGE("SKIPPED: ../shared/faces (people/, video/) is absent (set DAIHOI_FACES_DIR); the kiosk's face " \
            "scenario did not run");                                                                          \
    return;                                                                                                   \
  }                                                                                                           \
  const fs::path var = *var##_opt

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The people of ../shared/faces/people as delegates: code, name, delegation, seat, photo folder.
struct Person {
  const char* code;
  const char* name;
  const char* delegation;
  const char* seat;
  const char* folder;
};
constexpr Person kPeople[] = {
    {"LMM-01", "Lin-Manuel Miranda", "Đoàn Nghệ sĩ", "A-01", "lin_manuel_miranda"},
    {"ALX-02", "Alex Lacamoire", "Đoàn Nghệ sĩ", "A-02", "alex_lacamoire"},
    {"OBA-03", "Barack Obama", "Đoàn Khách quốc tế", "B-01", "obama"},
    {"BID-04", "Joe Biden", "Đoàn Khách quốc tế", "B-02", "biden"},
    {"KIT-05", "Kit Harington", "Đoàn Diễn viên", "C-01", "kit_harington"},
    {"ROS-06", "Rose Leslie", "Đoàn Diễn viên", "C-02", "rose_leslie"},
};

std::string rosterCsv() {
  std::string csv = "code,full_name,delegation,seat\n";
  for (const auto& p : kPeople) {
    csv += std::string(p.code) + "," + p.name + "," + p.delegation + "," + p.seat + "\n";
  }
  // Delegates without photos: nobody may be recognised as them.
  csv += "HN-001,Nguyễn Văn An,Đoàn Hà Nội,D-01\nHN-002,Trần Thị Bình,Đoàn Hà Nội,D-02\n";
  return csv;
}

// Imports the roster and enrolls every person's photos (obama without `skipPhoto`, which the
// still-photo case shows to the kiosk instead). Returns delegate ids by code.
std::map<std::string, std::uint32_t> setUpCongress(const ServerProcess& server, const fs::path& faces,
                                                   const std::string& skipPhoto = {}) {
  auto options = optionsFor(server.url());
  options.requestTimeout = 120s;  // enrollment computes descriptors
  auto organizer = signedInClient(server.url(), staff(server, "organizer"), options);
  v1::ClientMessage import;
  import.mutable_import_roster()->set_csv(rosterCsv());
  auto imported = organizer->call(import);
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);

  for (const auto& person : kPeople) {
    v1::ClientMessage enroll;
    enroll.mutable_enroll_faces()->set_delegate_code(person.code);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(faces / "people" / person.folder)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (file.filename() == skipPhoto) continue;
      auto* photo = enroll.mutable_enroll_faces()->add_photos();
      photo->set_name(file.filename().string());
      photo->set_image(readAll(file));
    }
    auto enrolled = organizer->call(enroll);
    REQUIRE_MESSAGE(enrolled.ok(), person.code << ": " << enrolled.error().message);
    REQUIRE(enrolled->has_face_enrollment());
    int usable = 0;
    for (const auto& report : enrolled->face_enrollment().photos()) {
      if (report.status() == "ok") ++usable;
    }
    CHECK_MESSAGE(usable > 0, person.code << " has no usable photo");
  }

  v1::ClientMessage roster;
  roster.mutable_get_roster();
  auto reply = organizer->call(roster);
  REQUIRE(reply.ok());
  std::map<std::string, std::uint32_t> ids;
  for (const auto& delegate : reply->roster().delegates()) ids[delegate.code()] = delegate.id();
  REQUIRE(ids.size() == std::size(kPeople) + 2);
  return ids;
}

// Events the secretariat's console receives, collected on the client thread.
class Secretariat {
 public:
  explicit Secretariat(const ServerProcess& server) {
    client_ = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
    client_->onEvent([this](const v1::Event& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    });
  }
  std::vector<v1::Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // Waits for an event that `match` accepts.
  std::optional<v1::Event> waitFor(const std::function<bool(const v1::Event&)>& match,
                                   std::chrono::milliseconds timeout = 10s) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      for (const auto& event : events()) {
        if (match(event)) return event;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(20ms);
    }
  }
  std::vector<std::uint32_t> present() const {
    v1::ClientMessage message;
    message.mutable_get_attendance();
    auto reply = client_->call(message);
    REQUIRE_MESSAGE(reply.ok(), reply.error().message);
    std::vector<std::uint32_t> ids(reply->attendance().present_delegate_ids().begin(),
                                   reply->attendance().present_delegate_ids().end());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

 private:
  std::unique_ptr<client::HallClient> client_;
  mutable std::mutex mutex_;
  std::vector<v1::Event> events_;
};

struct KioskRun {
  CommandResult result;
  std::vector<Json> lines;  // the status lines (--json)
  Json summary;             // {"captured":..., ...}
};

KioskRun runKiosk(const std::string& url, std::vector<std::string> args) {
  // A generous time-out (a frame may take twice as long): the sanitizer build's hall analyses slowly.
  std::vector<std::string> argv = {kioskPath(), "--server", url, "--headless", "--json", "--timeout", "15000"};
  argv.insert(argv.end(), args.begin(), args.end());
  KioskRun run;
  run.result = runCommand(argv);
  std::istringstream lines(run.result.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;  // stderr notices are mixed in
    Json json = Json::parse(line);                      // every stdout line is valid JSON
    if (json.contains("summary")) {
      run.summary = json["summary"];
    } else {
      run.lines.push_back(std::move(json));
    }
  }
  return run;
}

KioskRun runKiosk(const ServerProcess& server, std::vector<std::string> args) { return runKiosk(server.url(), std::move(args)); }

std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// A grey frame without a face (PGM, which the kiosk reads like any image).
void writeGreyFrame(const fs::path& file) {
  std::ofstream image(file, std::ios::binary);
  image << "P5\n640 360\n255\n" << std::string(640 * 360, '\x80');
}

bool anyStatus(const KioskRun& run, const std::string& status) {
  return std::any_of(run.lines.begin(), run.lines.end(), [&](const Json& j) { return j["status"] == status; });
}

// The statuses reported, each once, in order of first appearance.
std::string statuses(const KioskRun& run) {
  std::vector<std::string> seen;
  for (const auto& line : run.lines) {
    const auto status = line["status"].get<std::string>();
    if (std::find(seen.begin(), seen.end(), status) == seen.end()) seen.push_back(status);
  }
  std::string out;
  for (const auto& status : seen) out += (out.empty() ? "" : " ") + status;
  return out;
}

std::string figures(const Json& summary) {
  std::ostringstream out;
  out << summary["captured"] << " frames captured, " << summary["sent"] << " sent, " << summary["dropped"]
      << " dropped, " << summary["rate_limited"] << " refused by the rate limit; round trip median " << summary["round_trip_ms"]["median"] << " ms, p95 "
      << summary["round_trip_ms"]["p95"] << " ms, max " << summary["round_trip_ms"]["max"] << " ms; analysis median "
      << summary["analysis_ms"]["median"] << " ms; " << summary["elapsed_s"] << " s";
  return out.str();
}

}  // namespace

TEST_CASE("the kiosk checks in the delegate of the video, and nobody else (hall with --liveness off)") {
  NEED_SHARED_FACES(faces);
  ServerProcess server(ServerOptions{8, false, {"--liveness", "off"}, true});
  server.start();
  const auto ids = setUpCongress(server, faces);
  Secretariat secretariat(server);
  const fs::path tokenFile = server.dir() / "kiosk-1.token";
  std::ofstream(tokenFile) << server.deviceToken("kiosk-1") << "\n";

  // As fast as possible (still two frames in flight): every frame of the clip sampled at 15 fps
  // is analysed, with capture times on the clip's own timeline, so the run does not depend on
  // how busy the machine is.
  const auto run = runKiosk(server, {"--device-token-file", tokenFile.string(), "--video",
                                     (faces / "video" / "short_hamilton_clip.mp4").string(), "--fps", "15",
                                     "--as-fast-as-possible"});
  REQUIRE_MESSAGE(run.result.exitCode == 0, run.result.output);
  REQUIRE_MESSAGE(run.summary.is_object(), run.result.output);
  MESSAGE("video, liveness off: " << figures(run.summary));

  // The kiosk reported the check-in with the delegate's name, seat and delegation.
  auto checkedIn = std::find_if(run.lines.begin(), run.lines.end(), [](const Json& j) { return j["status"] == "checked_in"; });
  REQUIRE_MESSAGE(checkedIn != run.lines.end(), run.result.output);
  CHECK((*checkedIn)["code"] == "LMM-01");
  CHECK((*checkedIn)["name"] == "Lin-Manuel Miranda");
  CHECK((*checkedIn)["seat"] == "A-01");
  CHECK((*checkedIn)["delegation"] == "Đoàn Nghệ sĩ");
  CHECK((*checkedIn)["distance"].get<double>() > 0);
  CHECK((*checkedIn)["distance"].get<double>() < 0.45);
  CHECK((*checkedIn)["greeting"].get<std::string>().find("Lin-Manuel Miranda — ghế/seat A-01") != std::string::npos);
  CHECK((*checkedIn)["seq"].get<std::uint64_t>() > 0);  // the attendance event
  for (const auto& line : run.lines) {
    if (line["code"].is_string()) CHECK(line["code"] == "LMM-01");  // nobody else was even recognised
  }

  // The summary: one delegate checked in; every frame analysed once (nothing dropped as fast as
  // possible; a frame the hall's rate limit refused was sent again).
  REQUIRE(run.summary["checked_in"].size() == 1);
  CHECK(run.summary["checked_in"][0]["code"] == "LMM-01");
  CHECK(run.summary["dropped"] == 0);
  CHECK(run.summary["replies"] == run.summary["captured"]);
  CHECK(run.summary["sent"].get<int>() == run.summary["captured"].get<int>() + run.summary["rate_limited"].get<int>());
  CHECK_MESSAGE(run.summary["errors"] == 0, run.summary["errors_by_code"].dump());
  CHECK(run.summary["captured"].get<int>() > 120);
  CHECK(run.summary["round_trip_ms"]["median"].is_number());

  // The hall agrees: exactly that delegate is present, recorded by the kiosk's face check-in.
  CHECK(secretariat.present() == std::vector<std::uint32_t>{ids.at("LMM-01")});
  auto changed = secretariat.waitFor([](const v1::Event& e) { return e.has_attendance_changed(); });
  REQUIRE(changed);
  CHECK(changed->attendance_changed().delegate_code() == "LMM-01");
  CHECK(changed->attendance_changed().present());
  CHECK(changed->attendance_changed().method() == v1::ATTENDANCE_METHOD_FACE);
  CHECK(changed->attendance_changed().recorded_by().login() == "kiosk-1");
  CHECK(changed->attendance_changed().face_distance() > 0);
  for (const auto& event : secretariat.events()) {
    CHECK_FALSE(event.has_face_attempt_unresolved());
  }

  // The network drops in the middle of a run: the kiosk reconnects by itself, resumes its
  // session and keeps going. Four seconds without a face, then a still of Alex Lacamoire
  // (liveness is off at this hall) for eight; the connection is cut after one and a half
  // seconds and new connections are refused for another.
  {
    const fs::path folder = server.dir() / "reconnect";
    fs::create_directories(folder);
    writeGreyFrame(folder / "1-nobody.pgm");
    fs::copy_file(faces / "people" / "alex_lacamoire" / "alex1.jpg", folder / "2-alex1.jpg");
    fs::copy_file(faces / "people" / "alex_lacamoire" / "alex1.jpg", folder / "3-alex1.jpg");
    TcpProxy proxy(server.port());
    KioskRun cut;
    std::thread kiosk([&] {
      cut = runKiosk("ws://127.0.0.1:" + std::to_string(proxy.port()) + "/ws",
                     {"--credentials", server.credentialsPath(), "--as", "kiosk-2", "--folder", folder.string(),
                      "--repeat", "40", "--fps", "10"});
    });
    std::this_thread::sleep_for(1500ms);  // signed in, frames flowing
    proxy.setRefusing(true);
    proxy.cutAll();
    std::this_thread::sleep_for(1000ms);
    proxy.setRefusing(false);
    kiosk.join();
    const std::string& out = cut.result.output;
    CHECK_MESSAGE(cut.result.exitCode == 0, out);
    CHECK_MESSAGE(out.find("connection lost") != std::string::npos, out);
    CHECK_MESSAGE(out.find("reconnected: session resumed") != std::string::npos, out);
    CHECK(proxy.connectionsAccepted() >= 2);
    REQUIRE_MESSAGE(cut.summary.is_object(), out);
    CHECK(cut.summary["captured"] == 120);
    REQUIRE_MESSAGE(cut.summary["checked_in"].size() == 1, out);
    CHECK(cut.summary["checked_in"][0]["code"] == "ALX-02");
    MESSAGE("reconnect run: " << figures(cut.summary) << "; errors " << cut.summary["errors_by_code"].dump());
  }
  CHECK(secretariat.present() == sorted({ids.at("LMM-01"), ids.at("ALX-02")}));

  // Shown again, he is welcomed back and nothing is counted twice.
  const auto again = runKiosk(server, {"--credentials", server.credentialsPath(), "--as", "kiosk-1", "--video",
                                       (faces / "video" / "short_hamilton_clip.mp4").string(), "--fps", "15",
                                       "--as-fast-as-possible"});
  REQUIRE(again.result.exitCode == 0);
  REQUIRE(again.summary["checked_in"].size() == 1);
  CHECK(again.summary["checked_in"][0]["already_present"] == true);
  CHECK(secretariat.present() == sorted({ids.at("LMM-01"), ids.at("ALX-02")}));
}

TEST_CASE("a still photo is refused by liveness and reported to the secretariat") {
  NEED_SHARED_FACES(faces);
  ServerProcess server(ServerOptions{8, false, {}, true});  // liveness on, as in a real hall
  server.start();
  // obama4.jpg is not enrolled: it plays a printed photo of an enrolled delegate.
  const auto ids = setUpCongress(server, faces, "obama4.jpg");
  Secretariat secretariat(server);
  const fs::path still = server.dir() / "still";
  fs::create_directories(still);
  fs::copy_file(faces / "people" / "obama" / "obama4.jpg", still / "obama4.jpg");

  // 40 frames of the same photo. The hall gives a face 10 s of capture time to show liveness
  // (a blink, or the head turn it then asks for), so the 40 frames are spread over 13 s of
  // timeline (--fps 3), sent as fast as the hall answers.
  const auto run = runKiosk(server, {"--credentials", server.credentialsPath(), "--as", "kiosk-2", "--folder",
                                     still.string(), "--repeat", "40", "--fps", "3", "--as-fast-as-possible"});
  REQUIRE_MESSAGE(run.result.exitCode == 0, run.result.output);
  REQUIRE_MESSAGE(run.summary.is_object(), run.result.output);
  MESSAGE("still photo, liveness on: " << figures(run.summary));
  CHECK(run.summary["captured"] == 40);

  // Recognised, asked for liveness, refused: never checked in.
  auto refused = std::find_if(run.lines.begin(), run.lines.end(), [](const Json& j) { return j["status"] == "not_live"; });
  REQUIRE_MESSAGE(refused != run.lines.end(), run.result.output);
  CHECK((*refused)["code"] == "OBA-03");
  CHECK(anyStatus(run, "blink"));
  CHECK_FALSE(anyStatus(run, "checked_in"));
  CHECK(run.summary["checked_in"].empty());
  CHECK(secretariat.present().empty());

  // The secretariat's console learns of the attempt, for a check-in by hand.
  auto unresolved = secretariat.waitFor([](const v1::Event& e) { return e.has_face_attempt_unresolved(); });
  REQUIRE(unresolved);
  const auto& attempt = unresolved->face_attempt_unresolved();
  CHECK(attempt.status() == v1::FACE_STATUS_NOT_LIVE);
  CHECK(attempt.kiosk().login() == "kiosk-2");
  CHECK(attempt.nearest_delegate_id() == ids.at("OBA-03"));
  CHECK_FALSE(attempt.reason().empty());
  for (const auto& event : secretariat.events()) {
    CHECK_FALSE(event.has_attendance_changed());
  }

  // For the record: the video on a hall with liveness on (not asserted; see the top of the file).
  const auto clip = runKiosk(server, {"--credentials", server.credentialsPath(), "--as", "kiosk-1", "--video",
                                      (faces / "video" / "short_hamilton_clip.mp4").string()});
  CHECK_MESSAGE(clip.result.exitCode == 0, clip.result.output);
  MESSAGE("video with liveness on, in real time at 10 fps: statuses " << statuses(clip) << "; checked in "
                                                                      << clip.summary["checked_in"].size() << "; "
                                                                      << figures(clip.summary));
}

// The "done when", on the demo congress exactly as `deploy/daihoi demo` makes it (its
// QT-01…QT-06 enrolled from deploy/demo/faces, kiosk-2 attended, kiosk-1 with liveness): needs
// nothing beside the repository, so it always runs.
TEST_CASE("the demo congress: kiosk check-in live on the chair's watch, a photo replay refused, the log exported") {
  const fs::path demoFaces = DAIHOI_DEMO_FACES;
  ServerProcess server(ServerOptions{20, false, {"--attended-kiosk", "kiosk-2"}, true, 0, demoFaces.string()});
  server.start();
  auto secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
  const auto mirror = secretary->mirror();
  std::vector<std::string> voting;  // the voting delegates without a face enrolled
  for (const auto& d : mirror.delegates()) {
    if (d.voting() && d.code().rfind("QT-", 0) != 0) voting.push_back(d.code());
  }
  const Json before = Json::parse(runCli(server, {"--as", "chair1", "--json", "attendance"}).output);
  const int required = before["totals"]["quorumRequired"].get<int>();
  REQUIRE(before["totals"]["present"] == 0);
  REQUIRE(required >= 2);
  REQUIRE(static_cast<int>(voting.size()) >= required - 1);

  // The chair's watch sees the face check-in, then the manual check-ins that reach the quorum;
  // the secretariat's watch also sees the refused replay.
  const int events = required;  // 1 face check-in + (required - 1) by hand
  Watcher chairWatcher(server, "chair1", events);
  Watcher secretaryWatcher(server, "secretary", 2);

  // kiosk-2 (reception desk, an usher beside it) is shown Obama's demo photos: QT-05 is greeted and checked in.
  const auto obama = runKiosk(server, {"--credentials", server.credentialsPath(), "--as", "kiosk-2", "--folder",
                                       (demoFaces / "obama").string(), "--repeat", "20", "--fps", "10",
                                       "--as-fast-as-possible"});
  REQUIRE_MESSAGE(obama.result.exitCode == 0, obama.result.output);
  MESSAGE("demo, kiosk-2 with Obama's photos: " << figures(obama.summary));
  REQUIRE_MESSAGE(obama.summary["checked_in"].size() == 1, obama.result.output);
  CHECK(obama.summary["checked_in"][0]["code"] == "QT-05");
  auto greeted = std::find_if(obama.lines.begin(), obama.lines.end(), [](const Json& j) { return j["status"] == "checked_in"; });
  REQUIRE(greeted != obama.lines.end());
  CHECK((*greeted)["greeting"].get<std::string>().find("Xin chào / Welcome, Obama — ghế/seat QT-05") != std::string::npos);

  // kiosk-1 (liveness on) is shown a printed photo of Biden (QT-02), held still: refused.
  const fs::path still = server.dir() / "printed-photo";
  fs::create_directories(still);
  fs::copy_file(demoFaces / "biden" / "biden2.jpg", still / "biden2.jpg");
  const auto replay = runKiosk(server, {"--credentials", server.credentialsPath(), "--as", "kiosk-1", "--folder",
                                        still.string(), "--repeat", "40", "--fps", "3", "--as-fast-as-possible"});
  REQUIRE_MESSAGE(replay.result.exitCode == 0, replay.result.output);
  MESSAGE("demo, kiosk-1 with a still photo: " << figures(replay.summary));
  CHECK(replay.summary["checked_in"].empty());
  CHECK_MESSAGE(anyStatus(replay, "not_live"), replay.result.output);
  const CommandResult secretaryWatch = secretaryWatcher.finish();
  CHECK_MESSAGE(secretaryWatch.exitCode == 0, secretaryWatch.output);
  CHECK_MESSAGE(secretaryWatch.output.find("Ki-ốt kiosk-1") != std::string::npos, secretaryWatch.output);
  CHECK_MESSAGE(secretaryWatch.output.find("QT-02") != std::string::npos, secretaryWatch.output);

  // The secretariat checks in by hand as many as the quorum still needs.
  std::vector<std::string> checkIn = {"--as", "secretary", "check-in"};
  checkIn.insert(checkIn.end(), voting.begin(), voting.begin() + (required - 1));
  checkIn.insert(checkIn.end(), {"--reason", "thẻ đại biểu"});
  const auto manual = runCli(server, checkIn);
  CHECK_MESSAGE(manual.exitCode == 0, manual.output);

  // The chair's watch: first the face check-in (not yet a quorum), last the line reaching it.
  const CommandResult chairWatch = chairWatcher.finish();
  REQUIRE_MESSAGE(chairWatch.exitCode == 0, chairWatch.output);
  std::vector<std::string> lines;
  std::istringstream text(chairWatch.output);
  for (std::string line; std::getline(text, line);) {
    if (line.rfind('#', 0) == 0) lines.push_back(line);
  }
  REQUIRE_MESSAGE(static_cast<int>(lines.size()) == events, chairWatch.output);
  CHECK_MESSAGE(lines.front().find("CÓ MẶT     QT-05 Obama") != std::string::npos, lines.front());
  CHECK(lines.front().find("nhận diện khuôn mặt") != std::string::npos);
  CHECK(lines.front().find("bởi") != std::string::npos);
  CHECK(lines.front().find("có mặt 1,") != std::string::npos);
  CHECK(lines.front().find("chưa đủ túc số") != std::string::npos);
  CHECK(lines.back().find("có mặt " + std::to_string(required) + ",") != std::string::npos);
  CHECK_MESSAGE(lines.back().find(", đủ túc số") != std::string::npos, lines.back());
  CHECK(chairWatch.output.find("QT-02") == std::string::npos);

  // The organizer exports the attendance log: the face check-in with its kiosk and distance.
  const fs::path csvPath = server.dir() / "attendance.csv";
  const auto exported = runCli(server, {"--as", "organizer", "attendance-log", "--csv", csvPath.string()});
  REQUIRE_MESSAGE(exported.exitCode == 0, exported.output);
  const std::string csv = readAll(csvPath);
  const auto faceRow = csv.find(",QT-05,Obama,");
  REQUIRE_MESSAGE(faceRow != std::string::npos, csv);
  const std::string row = csv.substr(faceRow, csv.find('\n', faceRow) - faceRow);
  CHECK_MESSAGE(row.find(",in,face,") != std::string::npos, row);
  CHECK(row.find("kiosk-2") != std::string::npos);
  CHECK(csv.find("QT-02") == std::string::npos);
}

TEST_CASE("kiosk exit codes: wrong token, not a kiosk, no Face ID at the hall, no server, bad source") {
  ServerProcess server(ServerOptions{4});
  server.start();
  // A tiny grey PGM: any image the kiosk can read.
  const fs::path folder = server.dir() / "frames";
  fs::create_directories(folder);
  {
    std::ofstream image(folder / "grey.pgm", std::ios::binary);
    image << "P5\n64 48\n255\n" << std::string(64 * 48, '\x80');
  }
  const std::vector<std::string> frames = {"--folder", folder.string(), "--repeat", "3", "--as-fast-as-possible"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), frames.begin(), frames.end());
    return runKiosk(server, args);
  };

  // This hall runs without Face ID: the kiosk stops at the first frame and says so.
  auto noFace = with({"--credentials", server.credentialsPath(), "--as", "kiosk-1"});
  CHECK_MESSAGE(noFace.result.exitCode == 7, noFace.result.output);  // as the CLI: face work unavailable
  CHECK(noFace.result.output.find("ERROR_FACE_UNAVAILABLE") != std::string::npos);

  // A display device may not send frames.
  auto display = with({"--device-token", server.deviceToken("display-1")});
  CHECK_MESSAGE(display.result.exitCode == 4, display.result.output);
  CHECK(display.result.output.find("ERROR_PERMISSION_DENIED") != std::string::npos);

  auto wrong = with({"--device-token", "not-a-token"});
  CHECK_MESSAGE(wrong.result.exitCode == 3, wrong.result.output);
  CHECK(wrong.result.output.find("ERROR_INVALID_CREDENTIALS") != std::string::npos);

  auto staffAccount = with({"--credentials", server.credentialsPath(), "--as", "chair1"});
  CHECK(staffAccount.result.exitCode == 1);

  auto missing = runKiosk(server, {"--credentials", server.credentialsPath(), "--as", "kiosk-1", "--video",
                                   (server.dir() / "missing.mp4").string()});
  CHECK(missing.result.exitCode == 9);

  server.stop();
  auto down = with({"--credentials", server.credentialsPath(), "--as", "kiosk-1", "--timeout", "2000"});
  CHECK_MESSAGE(down.result.exitCode == 2, down.result.output);
}
