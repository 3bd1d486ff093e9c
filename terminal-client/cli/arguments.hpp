#pragma once
// Command line of `daihoi`: global options may appear before or after the command.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli/exit_codes.hpp"
#include "client/credential.hpp"

namespace daihoi::cli {

inline constexpr const char* kDefaultUrl = "ws://127.0.0.1:8443/ws";

struct CliOptions {
  std::string url = kDefaultUrl;
  bool json = false;
  bool insecure = false;
  std::string caFile;
  std::chrono::milliseconds timeout{5000};
  bool help = false;

  // Credential sources; resolveCredential() checks that exactly one is complete.
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> passwordFile;
  std::optional<std::string> delegateCode;
  std::optional<std::string> pin;
  std::optional<std::string> badge;
  std::optional<std::string> deviceToken;
  std::optional<std::string> credentialsFile;
  std::optional<std::string> asName;

  std::string command;                  // whoami, congress, roster, attendance, check-in, check-out, import-roster, watch
  std::vector<std::string> arguments;   // positional arguments after the command
  std::optional<std::string> delegation;  // roster
  std::optional<std::string> reason;      // check-in, check-out
  std::optional<std::uint64_t> count;     // watch
  std::optional<std::chrono::milliseconds> duration;  // watch --for
};

// `args` excludes the program name. `environmentUrl` is $DAIHOI_URL when set.
std::variant<CliOptions, CliError> parseArguments(const std::vector<std::string>& args,
                                                  std::optional<std::string> environmentUrl);

// Reads --password-file / --credentials files as needed.
std::variant<client::Credential, CliError> resolveCredential(const CliOptions& options);

std::string usageText();

}  // namespace daihoi::cli
