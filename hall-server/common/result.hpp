#pragma once
// A small std::expected-shaped result: GCC 12 has no std::expected.
#include <string>
#include <utility>
#include <variant>

namespace daihoi {

// An error as the domain sees it: a stable code name plus a human message.
struct Failure {
  std::string code;     // e.g. "not_found", "invalid_argument"
  std::string message;  // for people; Vietnamese or English
};

template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Failure failure) : state_(std::move(failure)) {} // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Failure& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Failure> state_;
};

struct Ok {};

inline Failure fail(std::string code, std::string message) {
  return Failure{std::move(code), std::move(message)};
}

}  // namespace daihoi
