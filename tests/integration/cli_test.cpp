// The daihoi CLI binary against the real server: output, JSON, exit codes,
// and watching live events.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "raw_socket.hpp"
#include "server_process.hpp"

using namespace daihoi::testing;
using namespace std::chrono_literals;

namespace {

CommandResult cli(const ServerProcess& server, std::vector<std::string> args) {
  std::vector<std::string> argv = {cliPath(), "--url", server.url(), "--credentials", server.credentialsPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

int signedInSessions(const ServerProcess& server) {
  const auto metrics =
      RawWebSocket::httpRequest(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string key = "\ndaihoi_signed_in_sessions ";
  const auto at = metrics.find(key);
  return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + key.size()));
}

}  // namespace

TEST_CASE("the CLI signs in as staff and delegates, records attendance, and says why it fails") {
  ServerProcess server;
  server.start();
  const std::string code = server.delegateCodes().at(0);

  auto whoami = cli(server, {"--as", "chair1", "--json", "whoami"});
  CHECK(whoami.exitCode == 0);
  CHECK(whoami.output.find("\"role\":\"chair\"") != std::string::npos);

  auto delegate = cli(server, {"--as", code, "whoami"});
  CHECK(delegate.exitCode == 0);
  CHECK(delegate.output.find(code) != std::string::npos);

  auto checkIn = cli(server, {"--as", "secretary", "check-in", code, "--reason", "đến muộn, có giấy mời"});
  CHECK_MESSAGE(checkIn.exitCode == 0, checkIn.output);

  auto attendance = cli(server, {"--as", "chair1", "--json", "attendance"});
  CHECK(attendance.exitCode == 0);
  CHECK(attendance.output.find("\"present\":1") != std::string::npos);

  auto denied = cli(server, {"--as", "chair1", "check-in", code, "--reason", "x"});
  CHECK(denied.exitCode == 4);
  CHECK(denied.output.find("ERROR_PERMISSION_DENIED") != std::string::npos);

  auto wrong = runCommand({cliPath(), "--url", server.url(), "--user", "secretary", "--password", "sai", "whoami"});
  CHECK(wrong.exitCode == 3);

  auto unknown = cli(server, {"--as", "secretary", "--json", "check-in", "KHONG-CO", "--reason", "x"});
  CHECK(unknown.exitCode == 5);
  CHECK(unknown.output.find("{\"error\":{\"code\":\"ERROR_NOT_FOUND\"") != std::string::npos);

  auto usage = cli(server, {"--as", "secretary", "check-in"});
  CHECK(usage.exitCode == 1);

  const auto csv = (server.dir() / "bad.csv").string();
  std::ofstream(csv) << "code,full_name,delegation,seat\nX-1,Nguyễn Văn A,Đoàn A,A-1\nX-1,Trần Văn B,Đoàn A,A-2\n";
  auto import = cli(server, {"--as", "organizer", "import-roster", csv});
  CHECK(import.exitCode == 5);
  CHECK_MESSAGE(import.output.find("dòng 3: duplicate code") != std::string::npos, import.output);
  CHECK(import.output.find("X-1") != std::string::npos);

  server.stop();
  auto down = cli(server, {"--as", "chair1", "--timeout", "2000", "whoami"});
  CHECK(down.exitCode == 2);
}

TEST_CASE("daihoi watch prints live attendance events as they happen") {
  ServerProcess server;
  server.start();
  const auto before = signedInSessions(server);
  CommandResult watched;
  std::thread watcher([&] { watched = cli(server, {"--as", "display-1", "--json", "watch", "--count", "2", "--for", "30"}); });
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (signedInSessions(server) <= before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  const auto codes = server.delegateCodes();
  CHECK(cli(server, {"--as", "secretary", "check-in", codes.at(1), "--reason", "một"}).exitCode == 0);
  CHECK(cli(server, {"--as", "secretary", "check-in", codes.at(2), "--reason", "hai"}).exitCode == 0);
  watcher.join();
  CHECK_MESSAGE(watched.exitCode == 0, watched.output);
  CHECK(watched.output.find(codes.at(1)) != std::string::npos);
  CHECK(watched.output.find(codes.at(2)) != std::string::npos);
  CHECK(watched.output.find(codes.at(1)) < watched.output.find(codes.at(2)));
}
