#pragma once
// Errors as a terminal sees them, and the Outcome<T> every client call returns.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "daihoi.pb.h"

namespace daihoi::client {

enum class ErrorKind : std::uint8_t {
  Connection,    // cannot connect, TLS failure, connection lost before the reply
  Timeout,       // no reply within the request timeout
  Server,        // the server answered with Response.error (see serverCode)
  Protocol,      // the server sent something this client cannot understand
  InvalidState,  // the call does not fit the client's state (not connected, closed)
  Refused,       // refused locally before sending (e.g. frame above the server's maximum)
};

struct CsvProblem {
  std::uint32_t line = 0;  // 1-based physical line where the record starts
  std::string reason;
};

struct ClientError {
  ErrorKind kind = ErrorKind::Connection;
  daihoi::v1::ErrorCode serverCode = daihoi::v1::ERROR_CODE_UNSPECIFIED;  // set for Server errors
  std::string message;
  std::vector<CsvProblem> csvProblems;  // for ERROR_CSV_INVALID
  std::uint32_t retryAfterMs = 0;       // for ERROR_RATE_LIMITED

  // A stable name for scripts: the wire enum name for server errors
  // ("ERROR_PERMISSION_DENIED"), otherwise ERROR_CONNECTION_FAILED, ERROR_TIMEOUT,
  // ERROR_PROTOCOL, ERROR_NOT_CONNECTED or the local reason.
  std::string codeName() const;

  bool isServer(daihoi::v1::ErrorCode code) const { return kind == ErrorKind::Server && serverCode == code; }
};

ClientError connectionError(std::string message);
ClientError timeoutError(std::string message);
ClientError protocolError(std::string message);
ClientError invalidStateError(std::string message);
ClientError fromServerError(const daihoi::v1::Error& error);

// Either a value or a ClientError; shaped like std::expected (GCC 12 has none).
template <class T>
class Outcome {
 public:
  Outcome(T value) : state_(std::move(value)) {}             // NOLINT: implicit by design
  Outcome(ClientError error) : state_(std::move(error)) {}   // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ClientError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, ClientError> state_;
};

}  // namespace daihoi::client
