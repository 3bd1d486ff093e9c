#include "client/client_error.hpp"

namespace daihoi::client {

std::string ClientError::codeName() const {
  switch (kind) {
    case ErrorKind::Server:
    case ErrorKind::Refused:
      if (serverCode != daihoi::v1::ERROR_CODE_UNSPECIFIED) {
        return daihoi::v1::ErrorCode_Name(serverCode);
      }
      return kind == ErrorKind::Server ? "ERROR_CODE_UNSPECIFIED" : "ERROR_REFUSED";
    case ErrorKind::Connection:
      return "ERROR_CONNECTION_FAILED";
    case ErrorKind::Timeout:
      return "ERROR_TIMEOUT";
    case ErrorKind::Protocol:
      return "ERROR_PROTOCOL";
    case ErrorKind::InvalidState:
      return "ERROR_NOT_CONNECTED";
  }
  return "ERROR_UNKNOWN";
}

ClientError connectionError(std::string message) {
  return ClientError{ErrorKind::Connection, daihoi::v1::ERROR_CODE_UNSPECIFIED, std::move(message), {}, 0};
}

ClientError timeoutError(std::string message) {
  return ClientError{ErrorKind::Timeout, daihoi::v1::ERROR_CODE_UNSPECIFIED, std::move(message), {}, 0};
}

ClientError protocolError(std::string message) {
  return ClientError{ErrorKind::Protocol, daihoi::v1::ERROR_CODE_UNSPECIFIED, std::move(message), {}, 0};
}

ClientError invalidStateError(std::string message) {
  return ClientError{ErrorKind::InvalidState, daihoi::v1::ERROR_CODE_UNSPECIFIED, std::move(message), {}, 0};
}

ClientError fromServerError(const daihoi::v1::Error& error) {
  ClientError result{ErrorKind::Server, error.code(), error.message(), {}, error.retry_after_ms()};
  if (result.message.empty()) {
    result.message = daihoi::v1::ErrorCode_Name(error.code());
  }
  result.csvProblems.reserve(static_cast<std::size_t>(error.csv_problems_size()));
  for (const auto& problem : error.csv_problems()) {
    result.csvProblems.push_back(CsvProblem{problem.line(), problem.reason()});
  }
  return result;
}

}  // namespace daihoi::client
