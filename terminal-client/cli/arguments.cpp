#include "cli/arguments.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string_view>

#include "cli/credentials_file.hpp"
#include "client/server_url.hpp"

namespace daihoi::cli {
namespace {

struct CommandSpec {
  std::string_view name;
  std::size_t positionals;
  std::string_view positionalName;          // for messages
  std::vector<std::string_view> options;    // command-specific options it accepts
};

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> specs = {
      {"whoami", 0, "", {}},
      {"congress", 0, "", {}},
      {"roster", 0, "", {"--delegation"}},
      {"attendance", 0, "", {}},
      {"check-in", 1, "CODE", {"--reason"}},
      {"check-out", 1, "CODE", {"--reason"}},
      {"import-roster", 1, "FILE.csv", {}},
      {"watch", 0, "", {"--count", "--for"}},
  };
  return specs;
}

const std::vector<std::string_view> kValueOptions = {
    "--url",    "--user", "--password", "--password-file", "--delegate", "--pin",   "--badge",
    "--device-token", "--credentials", "--as", "--ca", "--timeout", "--delegation", "--reason", "--count", "--for"};
const std::vector<std::string_view> kFlagOptions = {"--json", "--insecure", "--help", "-h"};
const std::vector<std::string_view> kCommandOptions = {"--delegation", "--reason", "--count", "--for"};

bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::optional<std::uint64_t> parsePositive(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 19 || !std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    return std::nullopt;
  }
  const std::uint64_t value = std::stoull(std::string(text));
  if (value == 0 || value > max) {
    return std::nullopt;
  }
  return value;
}

// Seconds as "30" or "2.5".
std::optional<std::chrono::milliseconds> parseSeconds(std::string_view text) {
  if (text.empty() || text.size() > 12 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) ||
      std::count(text.begin(), text.end(), '.') > 1 || text.front() == '.' || text.back() == '.') {
    return std::nullopt;
  }
  const double seconds = std::stod(std::string(text));
  if (!(seconds > 0.0) || seconds > 7 * 24 * 3600.0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(seconds * 1000.0))};
}

std::variant<std::string, CliError> readWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return usageError("cannot read " + what + " " + path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return usageError("cannot read " + what + " " + path);
  }
  return content.str();
}

}  // namespace

std::variant<CliOptions, CliError> parseArguments(const std::vector<std::string>& args,
                                                  std::optional<std::string> environmentUrl) {
  CliOptions options;
  if (environmentUrl && !environmentUrl->empty()) {
    options.url = *environmentUrl;
  }
  std::vector<std::string> positionals;
  std::vector<std::string> commandOptionsSeen;
  bool optionsEnded = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (const std::size_t equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    if (contains(kFlagOptions, name)) {
      if (value) {
        return usageError("option " + name + " takes no value");
      }
      if (name == "--json") {
        options.json = true;
      } else if (name == "--insecure") {
        options.insecure = true;
      } else {
        options.help = true;
      }
      continue;
    }
    if (!contains(kValueOptions, name)) {
      return usageError("unknown option " + name);
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return usageError("option " + name + " needs a value");
      }
      value = args[++i];
    }
    if (contains(kCommandOptions, name)) {
      commandOptionsSeen.push_back(name);
    }
    const std::string& v = *value;
    if (name == "--url") {
      options.url = v;
    } else if (name == "--user") {
      options.user = v;
    } else if (name == "--password") {
      options.password = v;
    } else if (name == "--password-file") {
      options.passwordFile = v;
    } else if (name == "--delegate") {
      options.delegateCode = v;
    } else if (name == "--pin") {
      options.pin = v;
    } else if (name == "--badge") {
      options.badge = v;
    } else if (name == "--device-token") {
      options.deviceToken = v;
    } else if (name == "--credentials") {
      options.credentialsFile = v;
    } else if (name == "--as") {
      options.asName = v;
    } else if (name == "--ca") {
      options.caFile = v;
    } else if (name == "--timeout") {
      auto ms = parsePositive(v, 3'600'000);
      if (!ms) {
        return usageError("--timeout needs milliseconds from 1 to 3600000, not \"" + v + "\"");
      }
      options.timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
    } else if (name == "--delegation") {
      options.delegation = v;
    } else if (name == "--reason") {
      options.reason = v;
    } else if (name == "--count") {
      options.count = parsePositive(v, UINT64_MAX / 2);
      if (!options.count) {
        return usageError("--count needs a positive number, not \"" + v + "\"");
      }
    } else if (name == "--for") {
      options.duration = parseSeconds(v);
      if (!options.duration) {
        return usageError("--for needs a positive number of seconds, not \"" + v + "\"");
      }
    }
  }
  if (options.help) {
    return options;
  }
  if (positionals.empty()) {
    return usageError("no command given");
  }
  options.command = positionals.front();
  options.arguments.assign(positionals.begin() + 1, positionals.end());
  auto spec = std::find_if(commands().begin(), commands().end(),
                           [&](const CommandSpec& c) { return c.name == options.command; });
  if (spec == commands().end()) {
    return usageError("unknown command \"" + options.command + "\"");
  }
  if (options.arguments.size() != spec->positionals) {
    if (spec->positionals == 0) {
      return usageError(options.command + " takes no arguments");
    }
    return usageError(options.command + " needs exactly one argument: " + std::string(spec->positionalName));
  }
  for (const auto& seen : commandOptionsSeen) {
    if (!contains(spec->options, seen)) {
      return usageError("option " + seen + " does not apply to " + options.command);
    }
  }
  if ((options.command == "check-in" || options.command == "check-out") &&
      (!options.reason || options.reason->find_first_not_of(" \t") == std::string::npos)) {
    return usageError(options.command + " needs --reason TEXT (recorded with the attendance change)");
  }
  if (auto url = client::parseServerUrl(options.url); !url) {
    return usageError(url.error().message);
  }
  if (options.insecure && !options.caFile.empty()) {
    return usageError("--insecure and --ca exclude each other");
  }
  return options;
}

std::variant<client::Credential, CliError> resolveCredential(const CliOptions& options) {
  const int sources = (options.user || options.password || options.passwordFile ? 1 : 0) +
                      (options.delegateCode || options.pin ? 1 : 0) + (options.badge ? 1 : 0) +
                      (options.deviceToken ? 1 : 0) + (options.credentialsFile || options.asName ? 1 : 0);
  if (sources == 0) {
    return usageError(
        "no credential: use --user U --password P, --delegate CODE --pin PIN, --badge TOKEN, "
        "--device-token T or --credentials FILE --as NAME");
  }
  if (sources > 1) {
    return usageError("give only one kind of credential");
  }
  if (options.user || options.password || options.passwordFile) {
    if (!options.user) {
      return usageError("--password needs --user");
    }
    if (options.password && options.passwordFile) {
      return usageError("--password and --password-file exclude each other");
    }
    if (options.passwordFile) {
      auto content = readWholeFile(*options.passwordFile, "the password file");
      if (auto* error = std::get_if<CliError>(&content)) {
        return *error;
      }
      std::string password = std::get<std::string>(content);
      // The first line is the password: files usually end with a newline.
      password = password.substr(0, password.find_first_of("\r\n"));
      if (password.empty()) {
        return usageError("the password file " + *options.passwordFile + " is empty");
      }
      return client::Credential{client::StaffPasswordCredential{*options.user, password}};
    }
    if (!options.password) {
      return usageError("--user needs --password or --password-file");
    }
    return client::Credential{client::StaffPasswordCredential{*options.user, *options.password}};
  }
  if (options.delegateCode || options.pin) {
    if (!options.delegateCode || !options.pin) {
      return usageError("--delegate and --pin go together");
    }
    return client::Credential{client::DelegatePinCredential{*options.delegateCode, *options.pin}};
  }
  if (options.badge) {
    return client::Credential{client::BadgeTokenCredential{*options.badge}};
  }
  if (options.deviceToken) {
    return client::Credential{client::DeviceTokenCredential{*options.deviceToken}};
  }
  if (!options.credentialsFile || !options.asName) {
    return usageError("--credentials FILE and --as NAME go together");
  }
  auto content = readWholeFile(*options.credentialsFile, "the credentials file");
  if (auto* error = std::get_if<CliError>(&content)) {
    return *error;
  }
  auto accounts = parseDemoCredentials(std::get<std::string>(content));
  if (auto* error = std::get_if<CliError>(&accounts)) {
    return *error;
  }
  return credentialFor(std::get<std::vector<DemoAccount>>(accounts), *options.asName);
}

std::string usageText() {
  return R"(daihoi — terminal client of the Daihoi congress hall server

Usage: daihoi [options] COMMAND [arguments]

Commands:
  whoami                          who the credential signs in as
  congress                        the congress: name, term, venue, dates, quorum rule
  roster [--delegation NAME]      delegations and delegates (one delegation by name or id)
  attendance                      totals, quorum and a table per delegation
  check-in CODE --reason TEXT     mark a delegate present (secretariat)
  check-out CODE --reason TEXT    mark a delegate absent (secretariat)
  import-roster FILE.csv          replace the roster; prints every CSV problem with its line
  watch [--count N] [--for SEC]   print live events, one per line, until Ctrl-C

Connection:
  --url URL              ws:// or wss:// address of the hall server
                         (default: $DAIHOI_URL, else ws://127.0.0.1:8443/ws)
  --ca FILE              trust this CA or self-signed certificate (PEM) for wss://
  --insecure             wss:// without checking the certificate (demo only)
  --timeout MS           per request and for connecting (default 5000)

Credential (exactly one):
  --user U --password P | --user U --password-file F
  --delegate CODE --pin PIN
  --badge TOKEN                   one-time badge token
  --device-token T                kiosk or display
  --credentials FILE --as NAME    an account from the demo credentials file

Output:
  --json                 one JSON object (watch: one per line); errors as {"error":{...}}

Exit codes: 0 ok, 1 usage, 2 connection failure, 3 authentication failed,
            4 permission denied, 5 request refused, 6 timeout
)";
}

}  // namespace daihoi::cli
