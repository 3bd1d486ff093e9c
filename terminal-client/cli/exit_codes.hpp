#pragma once
// What `daihoi` returns to scripts, and the error it prints before.
#include <cstdint>
#include <string>
#include <vector>

#include "client/client_error.hpp"

namespace daihoi::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitConnection = 2,
  kExitAuthentication = 3,
  kExitPermission = 4,
  kExitRefused = 5,
  kExitTimeout = 6,
  kExitFaceUnavailable = 7,  // ERROR_FACE_UNAVAILABLE: the server's face models are missing or wrong
  kExitNothingEnrolled = 8,  // enroll: no photo matched a delegate, or every photo sent was refused
};

// Where the error happened: the same server code can mean different things
// (ERROR_RATE_LIMITED while signing in is an authentication failure).
enum class Phase { Connect, SignIn, Request };

struct CliError {
  int exitCode = kExitUsage;
  std::string code;  // "ERROR_USAGE", "ERROR_PERMISSION_DENIED", ...
  std::string message;
  std::vector<client::CsvProblem> csvProblems;
  std::uint32_t retryAfterMs = 0;
};

CliError usageError(std::string message);
CliError fromClientError(const client::ClientError& error, Phase phase);
int exitCodeFor(const client::ClientError& error, Phase phase);

}  // namespace daihoi::cli
