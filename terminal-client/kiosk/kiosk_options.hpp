#pragma once
// The command line of daihoi-kiosk. Server and TLS options work as in the daihoi CLI (--url is
// an alias of --server, --ca of --ca-file); the kiosk signs in with a device token.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli/exit_codes.hpp"
#include "client/credential.hpp"

namespace daihoi::kiosk {

inline constexpr const char* kDefaultServer = "ws://127.0.0.1:8443/ws";
// The kiosk exits with the CLI's codes (cli/exit_codes.hpp: 0 ok, 1 usage, 2 connection,
// 3 authentication, 4 permission, 5 refused, 6 time-out, 7 face work unavailable; 8 is the
// CLI's enroll), and one of its own: the camera, video or folder failed.
inline constexpr int kExitSource = 9;

enum class SourceKind { None, Camera, Video, Folder };

struct KioskOptions {
  std::string server = kDefaultServer;
  std::string caFile;
  bool insecure = false;
  std::chrono::milliseconds timeout{5000};  // connect and sign-in; a frame waits twice as long

  // Exactly one credential source; DAIHOI_DEVICE_TOKEN when none is given.
  std::optional<std::string> deviceToken;
  std::optional<std::string> deviceTokenFile;
  std::optional<std::string> credentialsFile;
  std::optional<std::string> asName;

  SourceKind source = SourceKind::None;
  int camera = 0;
  std::string video;
  std::string folder;
  int repeat = 1;
  double fps = 10;
  bool asFastAsPossible = false;
  std::uint64_t maxFrames = 0;

  std::string badge;
  std::string badgeToken;
  bool exitKiosk = false;
  std::int64_t resetAfterMs = 0;
  int maxWidth = 640;
  int jpegQuality = 85;

  bool headless = false;
  bool json = false;
  bool speak = false;
  bool help = false;
};

// `args` excludes the program name; `environment` holds DAIHOI_URL and DAIHOI_DEVICE_TOKEN when set.
std::variant<KioskOptions, cli::CliError> parseKioskArguments(const std::vector<std::string>& args,
                                                              const std::map<std::string, std::string>& environment);

// The device token: --device-token, --device-token-file (first line, surrounding white space
// trimmed), --credentials FILE --as NAME (a "device" line of the demo credentials file), or
// DAIHOI_DEVICE_TOKEN.
std::variant<client::Credential, cli::CliError> resolveDeviceCredential(
    const KioskOptions& options, const std::map<std::string, std::string>& environment);

std::string kioskUsage();

}  // namespace daihoi::kiosk
