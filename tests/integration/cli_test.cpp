// The daihoi CLI binary against the real server: output, JSON, exit codes,
// and watching live events.
#include <doctest/doctest.h>

#include <fstream>

#include "cli_watch.hpp"
#include "clients.hpp"
#include "server_process.hpp"

using namespace daihoi::testing;

TEST_CASE("the CLI signs in as staff and delegates, records attendance, and says why it fails") {
  ServerProcess server;
  server.start();
  const std::string code = server.delegateCodes().at(0);

  auto whoami = runCli(server, {"--as", "chair1", "--json", "whoami"});
  CHECK(whoami.exitCode == 0);
  CHECK(whoami.output.find("\"role\":\"chair\"") != std::string::npos);

  auto delegate = runCli(server, {"--as", code, "whoami"});
  CHECK(delegate.exitCode == 0);
  CHECK(delegate.output.find(code) != std::string::npos);

  auto checkIn = runCli(server, {"--as", "secretary", "check-in", code, "--reason", "đến muộn, có giấy mời"});
  CHECK_MESSAGE(checkIn.exitCode == 0, checkIn.output);

  auto attendance = runCli(server, {"--as", "chair1", "--json", "attendance"});
  CHECK(attendance.exitCode == 0);
  CHECK(attendance.output.find("\"present\":1") != std::string::npos);

  auto denied = runCli(server, {"--as", "chair1", "check-in", code, "--reason", "x"});
  CHECK(denied.exitCode == 4);
  CHECK(denied.output.find("ERROR_PERMISSION_DENIED") != std::string::npos);

  auto wrong = runCommand({cliPath(), "--url", server.url(), "--user", "secretary", "--password", "sai", "whoami"});
  CHECK(wrong.exitCode == 3);

  auto unknown = runCli(server, {"--as", "secretary", "--json", "check-in", "KHONG-CO", "--reason", "x"});
  CHECK(unknown.exitCode == 5);
  CHECK(unknown.output.find("{\"error\":{\"code\":\"ERROR_NOT_FOUND\"") != std::string::npos);

  auto usage = runCli(server, {"--as", "secretary", "check-in"});
  CHECK(usage.exitCode == 1);

  const auto csv = (server.dir() / "bad.csv").string();
  std::ofstream(csv) << "code,full_name,delegation,seat\nX-1,Nguyễn Văn A,Đoàn A,A-1\nX-1,Trần Văn B,Đoàn A,A-2\n";
  auto import = runCli(server, {"--as", "organizer", "import-roster", csv});
  CHECK(import.exitCode == 5);
  CHECK_MESSAGE(import.output.find("dòng 3: duplicate code") != std::string::npos, import.output);
  CHECK(import.output.find("X-1") != std::string::npos);

  server.stop();
  auto down = runCli(server, {"--as", "chair1", "--timeout", "2000", "whoami"});
  CHECK(down.exitCode == 2);
}

TEST_CASE("daihoi watch prints live attendance events as they happen") {
  ServerProcess server;
  server.start();
  Watcher watcher(server, "display-1", 2, {"--json"});
  const auto codes = server.delegateCodes();
  CHECK(runCli(server, {"--as", "secretary", "check-in", codes.at(1), "--reason", "một"}).exitCode == 0);
  CHECK(runCli(server, {"--as", "secretary", "check-in", codes.at(2), "--reason", "hai"}).exitCode == 0);
  const CommandResult watched = watcher.finish();
  CHECK_MESSAGE(watched.exitCode == 0, watched.output);
  CHECK(watched.output.find(codes.at(1)) != std::string::npos);
  CHECK(watched.output.find(codes.at(2)) != std::string::npos);
  CHECK(watched.output.find(codes.at(1)) < watched.output.find(codes.at(2)));
}

TEST_CASE("from the CLI: a named motion and a secret election, the committee confirms, results, the CSV export") {
  ServerProcess server;
  server.start();
  std::vector<std::string> voting;
  {
    auto secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
    const auto mirror = secretary->mirror();
    for (const auto& d : mirror.delegates()) {
      if (d.voting()) voting.push_back(d.code());
    }
  }
  REQUIRE(voting.size() >= 30);
  // The whole hall arrives; one request checks everyone in.
  std::vector<std::string> checkIn = {"--as", "secretary", "check-in"};
  checkIn.insert(checkIn.end(), voting.begin(), voting.end());
  checkIn.insert(checkIn.end(), {"--reason", "điểm danh đầu phiên"});
  auto checkedIn = runCli(server, checkIn);
  REQUIRE_MESSAGE(checkedIn.exitCode == 0, checkedIn.output);

  auto motion = runCli(server, {"--as", "secretary", "ballot", "create", "--kind", "motion", "--mode", "named", "--title",
                             "Thông qua Nghị quyết Đại hội"});
  REQUIRE_MESSAGE(motion.exitCode == 0, motion.output);
  auto election = runCli(server, {"--as", "secretary", "ballot", "create", "--kind", "election", "--mode", "secret",
                               "--title", "Bầu Ban Kiểm tra", "--candidate", "Nguyễn Văn An", "--candidate",
                               "Trần Thị Bình", "--candidate", "Lê Văn Cường", "--seats", "2"});
  REQUIRE_MESSAGE(election.exitCode == 0, election.output);
  CHECK(runCli(server, {"--as", "chair1", "committee", voting[0], voting[1], voting[2]}).exitCode == 0);
  CHECK(runCli(server, {"--as", "chair1", "ballot", "open", "1"}).exitCode == 0);
  CHECK(runCli(server, {"--as", "chair1", "ballot", "open", "2"}).exitCode == 0);

  // Six delegates vote: the motion by number or label, the election keeping two candidates.
  for (std::size_t i = 0; i < 6; ++i) {
    auto onMotion = runCli(server, {"--as", voting[i], "vote", "1", i < 4 ? "1" : "Không tán thành"});
    CHECK_MESSAGE(onMotion.exitCode == 0, onMotion.output);
    auto onElection = runCli(server, {"--as", voting[i], "vote", "2", "Nguyễn Văn An", i % 2 == 0 ? "2" : "3"});
    CHECK_MESSAGE(onElection.exitCode == 0, onElection.output);
  }
  auto twice = runCli(server, {"--as", voting[0], "--json", "vote", "1", "2"});
  CHECK(twice.exitCode == 5);
  CHECK(twice.output.find("ERROR_ALREADY_VOTED") != std::string::npos);
  auto overLimit = runCli(server, {"--as", voting[7], "--json", "vote", "2", "1", "2", "3"});
  CHECK(overLimit.exitCode == 5);
  CHECK(overLimit.output.find("ERROR_TOO_MANY_CHOICES") != std::string::npos);

  CHECK(runCli(server, {"--as", "chair1", "ballot", "close", "1"}).exitCode == 0);
  CHECK(runCli(server, {"--as", "chair1", "ballot", "close", "2"}).exitCode == 0);
  auto unconfirmed = runCli(server, {"--as", "chair1", "--json", "ballot", "publish", "2"});
  CHECK(unconfirmed.exitCode == 5);
  CHECK(unconfirmed.output.find("ERROR_NOT_CONFIRMED") != std::string::npos);
  CHECK(runCli(server, {"--as", voting[0], "confirm", "2"}).exitCode == 0);
  CHECK(runCli(server, {"--as", voting[1], "confirm", "2"}).exitCode == 0);
  CHECK(runCli(server, {"--as", "chair1", "ballot", "publish", "2"}).exitCode == 0);
  CHECK(runCli(server, {"--as", "chair1", "ballot", "publish", "1"}).exitCode == 0);

  // Any delegate reads the published result: An elected with 6 votes, then Bình and Cường with 3 each
  // (exactly half of 6 valid ballots: not more than half, so the second seat stays open).
  auto results = runCli(server, {"--as", voting[20], "--json", "results", "2"});
  REQUIRE_MESSAGE(results.exitCode == 0, results.output);
  CHECK(results.output.find("Nguyễn Văn An") != std::string::npos);
  auto text = runCli(server, {"--as", voting[20], "results", "2"});
  CHECK_MESSAGE(text.output.find("Nguyễn Văn An") != std::string::npos, text.output);

  const auto csvPath = (server.dir() / "bieu-quyet-1.csv").string();
  auto exported = runCli(server, {"--as", "organizer", "export", "1", "--out", csvPath});
  REQUIRE_MESSAGE(exported.exitCode == 0, exported.output);
  std::ifstream in(csvPath);
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);  // BOM for spreadsheet programs
  CHECK(csv.find(voting[0]) != std::string::npos);
  CHECK(csv.find("Tán thành") != std::string::npos);
  CHECK(csv.find("Không tán thành") != std::string::npos);
}
