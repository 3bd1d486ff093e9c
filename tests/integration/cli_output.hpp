#pragma once
// Reading what the real `daihoi` CLI printed, for the CLI integration tests.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "server_process.hpp"

namespace daihoi::testing {

inline bool mentions(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// The JSON object a --json command printed (progress and notes go to stderr, mixed into the
// output here: the object is the line that starts with '{').
inline nlohmann::json jsonOf(const CommandResult& result) {
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '{') return nlohmann::json::parse(line);
  }
  FAIL("no JSON object in: " << result.output);
  return {};
}

}  // namespace daihoi::testing
