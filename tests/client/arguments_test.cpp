#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "cli/arguments.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
using namespace daihoi::client;
namespace fs = std::filesystem;

namespace {

// A file in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    dir_ = fs::temp_directory_path() / ("daihoi-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(dir_);
    path_ = dir_ / "file.txt";
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { fs::remove_all(dir_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  fs::path path_;
};

}  // namespace

TEST_CASE("global options before and after the command, --name=value too") {
  auto options = parsedOk({"--json", "roster", "--url=wss://hall:9443/ws", "--delegation", "Đoàn Huế", "--user", "u",
                           "--password", "p", "--timeout", "250", "--ca", "/etc/daihoi/ca.pem"});
  CHECK(options.command == "roster");
  CHECK(options.json);
  CHECK(options.url == "wss://hall:9443/ws");
  CHECK(options.delegation == "Đoàn Huế");
  CHECK(options.timeout == std::chrono::milliseconds{250});
  CHECK(options.caFile == "/etc/daihoi/ca.pem");
  CHECK(options.user == "u");
}

TEST_CASE("the URL comes from --url, else $DAIHOI_URL, else the default") {
  CHECK(parsedOk({"whoami"}).url == kDefaultUrl);
  CHECK(parsedOk({"whoami"}, "ws://10.0.0.2:8443/ws").url == "ws://10.0.0.2:8443/ws");
  CHECK(parsedOk({"whoami", "--url", "ws://a/ws"}, "ws://10.0.0.2:8443/ws").url == "ws://a/ws");
}

TEST_CASE("commands take their positional arguments and options") {
  auto checkIn = parsedOk({"check-in", "HN-001", "--reason", "Đến muộn"});
  CHECK(checkIn.arguments == std::vector<std::string>{"HN-001"});
  CHECK(checkIn.reason == "Đến muộn");

  auto several = parsedOk({"check-in", "HN-001", "HN-002", "--delegation", "Đoàn Hà Nội", "--reason", "Cả đoàn đến"});
  CHECK(several.arguments == std::vector<std::string>{"HN-001", "HN-002"});
  CHECK(several.delegation == "Đoàn Hà Nội");
  CHECK(parsedOk({"check-in", "--delegation", "3", "--reason", "x"}).arguments.empty());

  auto watch = parsedOk({"watch", "--count", "3", "--for", "2.5"});
  CHECK(watch.count == 3u);
  CHECK(watch.duration == std::chrono::milliseconds{2500});

  auto import = parsedOk({"import-roster", "--", "-weird-name.csv"});
  CHECK(import.arguments == std::vector<std::string>{"-weird-name.csv"});

  CHECK(parsedOk({"--help"}).help);
  CHECK(parsedOk({"roster", "-h"}).help);
}

TEST_CASE("usage errors say what is wrong") {
  CHECK(usageMessage({}).find("no command") != std::string::npos);
  CHECK(usageMessage({"elect"}).find("unknown command") != std::string::npos);
  CHECK(usageMessage({"whoami", "--colour"}).find("unknown option --colour") != std::string::npos);
  CHECK(usageMessage({"whoami", "--url"}).find("needs a value") != std::string::npos);
  CHECK(usageMessage({"whoami", "extra"}).find("takes no arguments") != std::string::npos);
  CHECK(usageMessage({"check-in"}).find("CODE") != std::string::npos);
  CHECK(usageMessage({"check-in", "HN-001"}).find("--reason") != std::string::npos);
  CHECK(usageMessage({"check-out", "HN-001", "HN-002", "--reason", "x"}).find("usage") != std::string::npos);
  CHECK(usageMessage({"check-out", "HN-001", "--delegation", "1", "--reason", "x"}).find("does not apply") !=
        std::string::npos);
  CHECK(usageMessage({"check-out", "HN-001", "--reason", "  "}).find("--reason") != std::string::npos);
  CHECK(usageMessage({"whoami", "--reason", "x"}).find("does not apply") != std::string::npos);
  CHECK(usageMessage({"watch", "--count", "0"}).find("--count") != std::string::npos);
  CHECK(usageMessage({"watch", "--count", "-1"}).find("--count") != std::string::npos);
  CHECK(usageMessage({"watch", "--for", "abc"}).find("--for") != std::string::npos);
  CHECK(usageMessage({"whoami", "--timeout", "5s"}).find("--timeout") != std::string::npos);
  CHECK(usageMessage({"whoami", "--json=yes"}).find("takes no value") != std::string::npos);
  CHECK(usageMessage({"whoami", "--url", "http://x/ws"}).find("ws://") != std::string::npos);
  CHECK(usageMessage({"whoami", "--insecure", "--ca", "c.pem"}).find("exclude") != std::string::npos);
}

TEST_CASE("each credential option gives its credential") {
  auto staff = resolveCredential(parsedOk({"whoami", "--user", "chair1", "--password", "mật khẩu"}));
  REQUIRE(std::holds_alternative<Credential>(staff));
  CHECK(std::get<StaffPasswordCredential>(std::get<Credential>(staff)).password == "mật khẩu");

  auto pin = resolveCredential(parsedOk({"whoami", "--delegate", "HN-001", "--pin", "4821"}));
  REQUIRE(std::holds_alternative<Credential>(pin));
  CHECK(std::get<DelegatePinCredential>(std::get<Credential>(pin)).code == "HN-001");

  auto badge = resolveCredential(parsedOk({"whoami", "--badge", "tok"}));
  REQUIRE(std::holds_alternative<Credential>(badge));
  CHECK(std::get<BadgeTokenCredential>(std::get<Credential>(badge)).token == "tok");

  auto device = resolveCredential(parsedOk({"whoami", "--device-token", "dev"}));
  REQUIRE(std::holds_alternative<Credential>(device));
  CHECK(std::get<DeviceTokenCredential>(std::get<Credential>(device)).token == "dev");
}

TEST_CASE("the password file's first line is the password") {
  TempFile file("s3cret mật khẩu\r\nignored\n");
  auto credential = resolveCredential(parsedOk({"whoami", "--user", "chair1", "--password-file", file.path()}));
  REQUIRE(std::holds_alternative<Credential>(credential));
  CHECK(std::get<StaffPasswordCredential>(std::get<Credential>(credential)).password == "s3cret mật khẩu");

  TempFile empty("\n");
  auto error = resolveCredential(parsedOk({"whoami", "--user", "chair1", "--password-file", empty.path()}));
  REQUIRE(std::holds_alternative<CliError>(error));
  CHECK(std::get<CliError>(error).message.find("empty") != std::string::npos);
}

TEST_CASE("--credentials FILE --as NAME reads the demo file") {
  TempFile file("# demo\nkiosk-1\tdevice\tkiosk-token\nHN-001\tdelegate\tHN-001\t111222\tbadge\n");
  auto kiosk = resolveCredential(parsedOk({"whoami", "--credentials", file.path(), "--as", "kiosk-1"}));
  REQUIRE(std::holds_alternative<Credential>(kiosk));
  CHECK(std::get<DeviceTokenCredential>(std::get<Credential>(kiosk)).token == "kiosk-token");

  auto missing = resolveCredential(parsedOk({"whoami", "--credentials", file.path(), "--as", "nobody"}));
  REQUIRE(std::holds_alternative<CliError>(missing));
  CHECK(std::get<CliError>(missing).exitCode == kExitUsage);
}

TEST_CASE("credential mistakes are usage errors") {
  const std::vector<std::vector<std::string>> cases = {
      {"whoami"},                                              // none
      {"whoami", "--user", "u"},                               // no password
      {"whoami", "--password", "p"},                           // no user
      {"whoami", "--delegate", "HN-001"},                      // no PIN
      {"whoami", "--pin", "1"},                                // no code
      {"whoami", "--user", "u", "--password", "p", "--badge", "b"},  // two kinds
      {"whoami", "--credentials", "f"},                        // no --as
      {"whoami", "--user", "u", "--password", "p", "--password-file", "f"},
      {"whoami", "--user", "u", "--password-file", "/nonexistent/daihoi/password"},
      {"whoami", "--credentials", "/nonexistent/daihoi/creds", "--as", "x"},
  };
  for (const auto& args : cases) {
    CAPTURE(args.size());
    auto result = resolveCredential(parsedOk(args));
    REQUIRE(std::holds_alternative<CliError>(result));
    CHECK(std::get<CliError>(result).exitCode == kExitUsage);
  }
}
