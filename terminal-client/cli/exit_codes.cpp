#include "cli/exit_codes.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;
using client::ErrorKind;

CliError usageError(std::string message) {
  return CliError{kExitUsage, "ERROR_USAGE", std::move(message), {}, 0};
}

int exitCodeFor(const client::ClientError& error, Phase phase) {
  switch (error.kind) {
    case ErrorKind::Connection:
    case ErrorKind::Protocol:
    case ErrorKind::InvalidState:
      return kExitConnection;
    case ErrorKind::Timeout:
      return kExitTimeout;
    case ErrorKind::Refused:
      return kExitRefused;
    case ErrorKind::Server:
      break;
  }
  switch (error.serverCode) {
    case v1::ERROR_PERMISSION_DENIED:
      return kExitPermission;
    case v1::ERROR_INVALID_CREDENTIALS:
    case v1::ERROR_SESSION_EXPIRED:
    case v1::ERROR_NOT_SIGNED_IN:
      return kExitAuthentication;
    case v1::ERROR_UNSUPPORTED_VERSION:
      return kExitConnection;
    case v1::ERROR_FACE_UNAVAILABLE:
      return kExitFaceUnavailable;
    default:
      break;
  }
  if (phase == Phase::Connect) {
    return kExitConnection;
  }
  if (phase == Phase::SignIn) {
    return kExitAuthentication;
  }
  return kExitRefused;
}

CliError fromClientError(const client::ClientError& error, Phase phase) {
  return CliError{exitCodeFor(error, phase), error.codeName(), error.message, error.csvProblems, error.retryAfterMs};
}

}  // namespace daihoi::cli
