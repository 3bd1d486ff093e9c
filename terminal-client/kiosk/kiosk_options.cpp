#include "kiosk/kiosk_options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "cli/credentials_file.hpp"

namespace daihoi::kiosk {

namespace {

using cli::CliError;
using cli::usageError;

template <class T>
std::optional<T> parseInteger(const std::string& text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> parseDouble(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  double value = 0;
  in >> value;
  if (in.fail() || !in.eof() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

const std::vector<std::string> kValueOptions = {
    "--server", "--url", "--ca-file", "--ca", "--timeout", "--device-token", "--device-token-file", "--credentials",
    "--as", "--camera", "--video", "--folder", "--repeat", "--fps", "--max-frames", "--badge", "--badge-token", "--reset-after-ms",
    "--max-width", "--quality"};
const std::vector<std::string> kFlagOptions = {"--insecure", "--as-fast-as-possible", "--exit", "--headless",
                                               "--json", "--speak", "--help", "-h"};

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::variant<KioskOptions, CliError> parseKioskArguments(const std::vector<std::string>& args,
                                                         const std::map<std::string, std::string>& environment) {
  KioskOptions options;
  if (auto url = environment.find("DAIHOI_URL"); url != environment.end() && !url->second.empty()) {
    options.server = url->second;
  }
  int sources = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inlineValue;
    if (name.rfind("--", 0) == 0) {
      if (auto eq = name.find('='); eq != std::string::npos) {
        inlineValue = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
    }
    if (contains(kFlagOptions, name)) {
      if (inlineValue) {
        return usageError(name + " takes no value");
      }
      if (name == "--insecure") options.insecure = true;
      else if (name == "--as-fast-as-possible") options.asFastAsPossible = true;
      else if (name == "--exit") options.exitKiosk = true;
      else if (name == "--headless") options.headless = true;
      else if (name == "--json") options.json = true;
      else if (name == "--speak") options.speak = true;
      else options.help = true;
      continue;
    }
    if (!contains(kValueOptions, name)) {
      return usageError("unknown option " + args[i]);
    }
    std::string value;
    if (inlineValue) {
      value = *inlineValue;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return usageError(name + " needs a value");
    }
    auto positiveInt = [&](int low, int high) -> std::optional<int> {
      auto number = parseInteger<int>(value);
      if (!number || *number < low || *number > high) {
        return std::nullopt;
      }
      return number;
    };
    if (name == "--server" || name == "--url") {
      options.server = value;
    } else if (name == "--ca-file" || name == "--ca") {
      options.caFile = value;
    } else if (name == "--timeout") {
      auto ms = positiveInt(100, 600000);
      if (!ms) return usageError("--timeout takes milliseconds, 100–600000");
      options.timeout = std::chrono::milliseconds(*ms);
    } else if (name == "--device-token") {
      options.deviceToken = value;
    } else if (name == "--device-token-file") {
      options.deviceTokenFile = value;
    } else if (name == "--credentials") {
      options.credentialsFile = value;
    } else if (name == "--as") {
      options.asName = value;
    } else if (name == "--camera") {
      auto index = positiveInt(0, 99);
      if (!index) return usageError("--camera takes a camera number, 0–99 (/dev/videoN)");
      options.camera = *index;
      options.source = SourceKind::Camera;
      ++sources;
    } else if (name == "--video") {
      options.video = value;
      options.source = SourceKind::Video;
      ++sources;
    } else if (name == "--folder") {
      options.folder = value;
      options.source = SourceKind::Folder;
      ++sources;
    } else if (name == "--repeat") {
      auto repeat = positiveInt(1, 100000);
      if (!repeat) return usageError("--repeat takes a count, 1–100000");
      options.repeat = *repeat;
    } else if (name == "--fps") {
      auto fps = parseDouble(value);
      if (!fps || *fps <= 0 || *fps > 60) return usageError("--fps takes frames per second, above 0 and at most 60");
      options.fps = *fps;
    } else if (name == "--max-frames") {
      auto frames = parseInteger<std::uint64_t>(value);
      if (!frames || *frames == 0) return usageError("--max-frames takes a positive count");
      options.maxFrames = *frames;
    } else if (name == "--badge") {
      if (value.empty()) return usageError("--badge needs a delegate code");
      options.badge = value;
    } else if (name == "--badge-token") {
      if (value.empty()) return usageError("--badge-token needs the token read from the badge's QR code");
      options.badgeToken = value;
    } else if (name == "--reset-after-ms") {
      auto ms = parseInteger<std::int64_t>(value);
      if (!ms || *ms < 0 || *ms > 600000) return usageError("--reset-after-ms takes milliseconds, 0–600000 (0: off)");
      options.resetAfterMs = *ms;
    } else if (name == "--max-width") {
      auto width = positiveInt(64, 4096);
      if (!width) return usageError("--max-width takes pixels, 64–4096");
      options.maxWidth = *width;
    } else if (name == "--quality") {
      auto quality = positiveInt(1, 100);
      if (!quality) return usageError("--quality takes a JPEG quality, 1–100");
      options.jpegQuality = *quality;
    }
  }
  if (options.help) {
    return options;
  }
  if (sources == 0) {
    return usageError("say where the frames come from: --camera N, --video FILE or --folder DIR");
  }
  if (sources > 1) {
    return usageError("--camera, --video and --folder exclude each other");
  }
  if (options.repeat != 1 && options.source != SourceKind::Folder) {
    return usageError("--repeat is for --folder");
  }
  if (options.asFastAsPossible && options.source == SourceKind::Camera) {
    return usageError("--as-fast-as-possible is for --video and --folder (a camera runs in real time)");
  }
  if (options.insecure && !options.caFile.empty()) {
    return usageError("--insecure and --ca-file exclude each other");
  }
  const int credentials = (options.deviceToken ? 1 : 0) + (options.deviceTokenFile ? 1 : 0) +
                          (options.credentialsFile || options.asName ? 1 : 0);
  if (credentials > 1) {
    return usageError("give one device credential: --device-token, --device-token-file or --credentials FILE --as NAME");
  }
  if (options.credentialsFile.has_value() != options.asName.has_value()) {
    return usageError("--credentials FILE and --as NAME go together");
  }
  return options;
}

std::variant<client::Credential, CliError> resolveDeviceCredential(
    const KioskOptions& options, const std::map<std::string, std::string>& environment) {
  if (options.deviceToken) {
    if (options.deviceToken->empty()) {
      return usageError("--device-token is empty");
    }
    return client::Credential{client::DeviceTokenCredential{*options.deviceToken}};
  }
  if (options.deviceTokenFile) {
    std::ifstream in(*options.deviceTokenFile, std::ios::binary);
    if (!in) {
      return usageError("cannot read the device token file " + *options.deviceTokenFile);
    }
    std::string line;
    std::getline(in, line);
    line = trim(line);
    if (line.empty()) {
      return usageError("the device token file " + *options.deviceTokenFile + " is empty");
    }
    return client::Credential{client::DeviceTokenCredential{line}};
  }
  if (options.credentialsFile) {
    std::ifstream in(*options.credentialsFile, std::ios::binary);
    if (!in) {
      return usageError("cannot read the credentials file " + *options.credentialsFile);
    }
    std::stringstream text;
    text << in.rdbuf();
    auto accounts = cli::parseDemoCredentials(text.str());
    if (auto* error = std::get_if<CliError>(&accounts)) {
      return *error;
    }
    const auto& list = std::get<std::vector<cli::DemoAccount>>(accounts);
    auto it = std::find_if(list.begin(), list.end(), [&](const cli::DemoAccount& a) { return a.name == *options.asName; });
    if (it != list.end() && it->kind != "device") {
      return usageError("\"" + *options.asName + "\" is a " + it->kind + " account; a kiosk signs in as a device (kiosk-1, …)");
    }
    auto credential = cli::credentialFor(list, *options.asName);
    if (auto* error = std::get_if<CliError>(&credential)) {
      return *error;
    }
    return std::get<client::Credential>(credential);
  }
  if (auto token = environment.find("DAIHOI_DEVICE_TOKEN"); token != environment.end()) {
    const std::string value = trim(token->second);
    if (!value.empty()) {
      return client::Credential{client::DeviceTokenCredential{value}};
    }
  }
  return usageError(
      "no device token: give --device-token-file FILE, --device-token TOKEN, --credentials FILE --as NAME, or set "
      "DAIHOI_DEVICE_TOKEN");
}

std::string kioskUsage() {
  return R"(daihoi-kiosk — Face ID check-in kiosk for the Daihoi hall server

Usage: daihoi-kiosk [options] (--camera N | --video FILE | --folder DIR)

Hall:
  --server URL            ws://HOST:PORT/ws or wss://…/ws (default $DAIHOI_URL, else ws://127.0.0.1:8443/ws; --url too)
  --ca-file FILE          trust this CA or self-signed certificate (PEM) for wss:// (--ca too)
  --insecure              wss:// without checking the certificate (demo only)
  --timeout MS            connect and sign-in time-out (default 5000); a frame may take twice as long
Device credential (one; default $DAIHOI_DEVICE_TOKEN):
  --device-token-file F   the kiosk's device token (hall-server add-device prints it)
  --device-token TOKEN    the same on the command line (visible to other users in ps)
  --credentials F --as N  a device line of the demo credentials file (var/demo/credentials.txt, kiosk-1)
Frames:
  --camera N              camera N (/dev/videoN)
  --video FILE            a video file, played like a camera
  --folder DIR            the images of DIR in name order, each shown --repeat K times (default 1)
  --fps F                 frames per second taken from the source (default 10)
  --as-fast-as-possible   video/folder: do not wait for real time (still at most 2 frames in flight)
  --max-frames N          stop after N frames
  --max-width PX          scale frames down to at most PX wide (default 640)
  --quality Q             JPEG quality (default 85)
Check-in:
  --badge CODE            second factor: the face is verified against this delegate only
  --badge-token TOKEN     the same, with the token of the badge's QR code (read by a scanner)
  --exit                  an exit kiosk: recognised and live records a check-out
  --reset-after-ms MS     send FaceReset after a final answer once no face was seen for MS
                          (default 0: the hall starts a new attempt by itself)
Output:
  --headless              no window even when $DISPLAY is set
  --json                  one JSON object per status change, and the summary, on stdout
  --speak                 say the greeting with espeak-ng (-v vi) when it is installed

In the window: Esc or q quits, r resets the attempt. Ctrl-C ends the kiosk with the summary.
Exit codes: 0 ok, 1 usage, 2 connection, 3 authentication, 4 permission denied (not a kiosk),
5 refused (e.g. a hall without Face ID), 6 time-out, 7 face work off at the hall,
9 camera/video/folder failure.
)";
}

}  // namespace daihoi::kiosk
