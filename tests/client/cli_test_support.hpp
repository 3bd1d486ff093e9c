#pragma once
// What the CLI's argument and output tests share.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/arguments.hpp"

namespace daihoi::cli::test {

// The options of a command line that must parse.
inline CliOptions parsedOk(const std::vector<std::string>& args, std::optional<std::string> env = std::nullopt) {
  auto result = parseArguments(args, std::move(env));
  if (auto* error = std::get_if<CliError>(&result)) {
    FAIL("unexpected usage error: " << error->message);
  }
  return std::get<CliOptions>(result);
}

// The message of a command line that must be a usage error.
inline std::string usageMessage(const std::vector<std::string>& args) {
  auto result = parseArguments(args, std::nullopt);
  REQUIRE(std::holds_alternative<CliError>(result));
  CHECK(std::get<CliError>(result).exitCode == kExitUsage);
  CHECK(std::get<CliError>(result).code == "ERROR_USAGE");
  return std::get<CliError>(result).message;
}

inline bool mentions(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Local time is the venue's: UTC+7 (Hà Nội, no daylight saving) while the object lives, then put back.
class VenueTimeZone {
 public:
  VenueTimeZone() {
    if (const char* tz = std::getenv("TZ")) previous_ = tz;
    ::setenv("TZ", "<+07>-7", 1);
    ::tzset();
  }
  ~VenueTimeZone() {
    if (previous_) {
      ::setenv("TZ", previous_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  VenueTimeZone(const VenueTimeZone&) = delete;
  VenueTimeZone& operator=(const VenueTimeZone&) = delete;

 private:
  std::optional<std::string> previous_;
};

}  // namespace daihoi::cli::test
