#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "kiosk/kiosk_options.hpp"

using namespace daihoi::kiosk;
using daihoi::cli::CliError;
namespace client = daihoi::client;

namespace {

std::variant<KioskOptions, CliError> parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parseKioskArguments(args, env);
}

KioskOptions ok(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  auto parsed = parse(std::move(args), std::move(env));
  if (auto* error = std::get_if<CliError>(&parsed)) {
    FAIL(error->message);
  }
  return std::get<KioskOptions>(parsed);
}

std::string usage(std::vector<std::string> args) {
  auto parsed = parse(std::move(args));
  REQUIRE(std::holds_alternative<CliError>(parsed));
  CHECK(std::get<CliError>(parsed).exitCode == daihoi::cli::kExitUsage);
  return std::get<CliError>(parsed).message;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device random;
    path = std::filesystem::temp_directory_path() / ("daihoi-kiosk-options-" + std::to_string(random()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

std::string tokenOf(const std::variant<client::Credential, CliError>& resolved) {
  if (auto* error = std::get_if<CliError>(&resolved)) {
    return "error: " + error->message;
  }
  const auto& credential = std::get<client::Credential>(resolved);
  REQUIRE(std::holds_alternative<client::DeviceTokenCredential>(credential));
  return std::get<client::DeviceTokenCredential>(credential).token;
}

}  // namespace

TEST_CASE("defaults and every option") {
  auto o = ok({"--camera", "0"});
  CHECK(o.server == kDefaultServer);
  CHECK(o.source == SourceKind::Camera);
  CHECK(o.fps == 10);
  CHECK(o.maxWidth == 640);
  CHECK(o.jpegQuality == 85);
  CHECK(o.resetAfterMs == 0);
  CHECK_FALSE(o.headless);

  o = ok({"--server", "wss://hall:8443/ws", "--ca-file", "ca.pem", "--folder", "faces", "--repeat", "40", "--fps",
          "2.5", "--as-fast-as-possible", "--max-frames", "100", "--badge", "HN-001", "--exit", "--reset-after-ms=1500",
          "--headless", "--json", "--speak", "--device-token-file", "token", "--max-width", "800", "--quality", "90",
          "--timeout", "3000"});
  CHECK(o.server == "wss://hall:8443/ws");
  CHECK(o.caFile == "ca.pem");
  CHECK(o.source == SourceKind::Folder);
  CHECK(o.folder == "faces");
  CHECK(o.repeat == 40);
  CHECK(o.fps == 2.5);
  CHECK(o.asFastAsPossible);
  CHECK(o.maxFrames == 100);
  CHECK(o.badge == "HN-001");
  CHECK(o.exitKiosk);
  CHECK(o.resetAfterMs == 1500);
  CHECK(o.headless);
  CHECK(o.json);
  CHECK(o.speak);
  CHECK(o.deviceTokenFile == "token");
  CHECK(o.maxWidth == 800);
  CHECK(o.jpegQuality == 90);
  CHECK(o.timeout == std::chrono::milliseconds(3000));

  o = ok({"--url", "ws://a/ws", "--ca", "x.pem", "--video", "clip.mp4"});
  CHECK(o.server == "ws://a/ws");
  CHECK(o.caFile == "x.pem");
  CHECK(o.video == "clip.mp4");
  CHECK(ok({"--help"}).help);
}

TEST_CASE("the server address comes from DAIHOI_URL unless given") {
  CHECK(ok({"--camera", "1"}, {{"DAIHOI_URL", "wss://env/ws"}}).server == "wss://env/ws");
  CHECK(ok({"--camera", "1", "--server", "ws://x/ws"}, {{"DAIHOI_URL", "wss://env/ws"}}).server == "ws://x/ws");
}

TEST_CASE("usage errors say what is wrong") {
  CHECK(usage({}).find("--camera N, --video FILE or --folder DIR") != std::string::npos);
  CHECK(usage({"--camera", "0", "--video", "a.mp4"}).find("exclude each other") != std::string::npos);
  CHECK(usage({"--video", "a.mp4", "--repeat", "3"}).find("--repeat is for --folder") != std::string::npos);
  CHECK(usage({"--camera", "0", "--as-fast-as-possible"}).find("real time") != std::string::npos);
  CHECK(usage({"--folder", "d", "--fps", "0"}).find("--fps") != std::string::npos);
  CHECK(usage({"--folder", "d", "--fps", "abc"}).find("--fps") != std::string::npos);
  CHECK(usage({"--folder", "d", "--repeat", "0"}).find("--repeat") != std::string::npos);
  CHECK(usage({"--folder", "d", "--max-frames", "-1"}).find("--max-frames") != std::string::npos);
  CHECK(usage({"--folder", "d", "--quality", "101"}).find("--quality") != std::string::npos);
  CHECK(usage({"--camera", "x"}).find("--camera") != std::string::npos);
  CHECK(usage({"--folder"}).find("needs a value") != std::string::npos);
  CHECK(usage({"--folder", "d", "--frobnicate"}).find("unknown option --frobnicate") != std::string::npos);
  CHECK(usage({"--folder", "d", "--json=1"}).find("takes no value") != std::string::npos);
  CHECK(usage({"--folder", "d", "--insecure", "--ca-file", "c"}).find("exclude") != std::string::npos);
  CHECK(usage({"--folder", "d", "--device-token", "t", "--device-token-file", "f"}).find("one device credential") !=
        std::string::npos);
  CHECK(usage({"--folder", "d", "--credentials", "c"}).find("go together") != std::string::npos);
}

TEST_CASE("the device token: option, file, demo credentials file or environment") {
  TempDir dir;
  const std::map<std::string, std::string> env = {{"DAIHOI_DEVICE_TOKEN", "  env-token\n"}};

  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--device-token", "cli-token"}), env)) == "cli-token");

  const auto file = dir.write("token", "\n  file-token  \r\nsecond line ignored\n");
  // A leading blank line is not a token: the first line is.
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--device-token-file", file}), {})).rfind("error:", 0) == 0);
  const auto good = dir.write("token2", "file-token  \r\n");
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--device-token-file", good}), env)) == "file-token");
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--device-token-file", (dir.path / "missing").string()}), {}))
            .find("cannot read") != std::string::npos);

  const auto credentials = dir.write("credentials.txt",
                                     "# demo\nchair1\tstaff\tchair1\tpw\nkiosk-1\tdevice\tkiosk-token\n"
                                     "HN-001\tdelegate\tHN-001\t123456\tbadge\n");
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--credentials", credentials, "--as", "kiosk-1"}), {})) ==
        "kiosk-token");
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--credentials", credentials, "--as", "chair1"}), {}))
            .find("a kiosk signs in as a device") != std::string::npos);
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0", "--credentials", credentials, "--as", "kiosk-9"}), {}))
            .find("no account \"kiosk-9\"") != std::string::npos);

  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0"}), env)) == "env-token");
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0"}), {})).find("DAIHOI_DEVICE_TOKEN") != std::string::npos);
  CHECK(tokenOf(resolveDeviceCredential(ok({"--camera", "0"}), {{"DAIHOI_DEVICE_TOKEN", " "}})).rfind("error:", 0) == 0);
}

TEST_CASE("the usage text names every option") {
  const std::string text = kioskUsage();
  for (const char* option : {"--server", "--ca-file", "--insecure", "--device-token-file", "--device-token",
                             "--credentials", "--camera", "--video", "--folder", "--repeat", "--fps",
                             "--as-fast-as-possible", "--max-frames", "--badge", "--badge-token", "--exit", "--reset-after-ms",
                             "--headless", "--json", "--speak", "DAIHOI_DEVICE_TOKEN"}) {
    CAPTURE(option);
    CHECK(text.find(option) != std::string::npos);
  }
}
