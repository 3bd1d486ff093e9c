#pragma once
// The congress and its roster: plain data, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/role.hpp"

namespace daihoi::domain {

// An exact fraction for majority and quorum rules: no floating point.
struct Fraction {
  std::uint32_t numerator = 2;
  std::uint32_t denominator = 3;
  // A usable rule: a positive denominator and at most the whole (n <= d).
  bool isValid() const { return denominator != 0 && numerator <= denominator; }
  // Smallest n with n / total >= this fraction ("at least"), computed exactly.
  // Throws std::invalid_argument when !isValid(): validate configuration first.
  std::uint32_t atLeastOf(std::uint32_t total) const;
  bool operator==(const Fraction&) const = default;
};

struct Congress {
  std::string name;
  std::string term;
  std::string venue;
  std::string startsOn;  // ISO date
  std::string endsOn;
  Fraction quorum{2, 3};  // present voting delegates >= quorum of the summoned
  bool operator==(const Congress&) const = default;
};

struct Delegation {
  std::uint32_t id = 0;
  std::string name;
  bool operator==(const Delegation&) const = default;
};

struct Seat {
  std::string label;
  std::uint32_t row = 0;     // 1-based position in the hall plan
  std::uint32_t column = 0;
  bool operator==(const Seat&) const = default;
};

struct Delegate {
  std::uint32_t id = 0;
  std::string code;      // unique badge code
  std::string fullName;  // UTF-8 with diacritics
  std::uint32_t delegationId = 0;
  Seat seat;
  bool voting = true;  // false: invited guest
  std::vector<std::string> photoFiles;
  bool operator==(const Delegate&) const = default;
};

// The roster with lookups. Ids are dense and assigned by the roster import.
class Roster {
 public:
  Roster() = default;
  // Throws std::invalid_argument on a duplicate delegate id, delegate code or
  // delegation id: lookups would be ambiguous (importRosterCsv never builds one).
  Roster(std::vector<Delegation> delegations, std::vector<Delegate> delegates);

  const std::vector<Delegation>& delegations() const { return delegations_; }
  const std::vector<Delegate>& delegates() const { return delegates_; }
  const Delegate* findById(std::uint32_t id) const;
  const Delegate* findByCode(std::string_view code) const;
  const Delegation* findDelegation(std::uint32_t id) const;
  std::uint32_t summoned() const { return summoned_; }  // delegates with a voting right

 private:
  std::vector<Delegation> delegations_;
  std::vector<Delegate> delegates_;
  std::unordered_map<std::uint32_t, std::size_t> byId_;
  std::unordered_map<std::string, std::size_t> byCode_;
  std::unordered_map<std::uint32_t, std::size_t> delegationById_;
  std::uint32_t summoned_ = 0;
};

// Who is acting: the signed-in account behind a request.
// A sitting (phiên họp) of the congress, opened and closed by the chair.
struct Sitting {
  std::uint32_t id = 0;
  std::string title;
  std::int64_t startedMs = 0;
  std::int64_t endedMs = 0;  // 0: in session
  bool operator==(const Sitting&) const = default;
};

struct Principal {
  Role role = Role::Delegate;
  std::uint32_t accountId = 0;  // delegate id, staff id or device id
  std::string displayName;
  std::string login;  // delegate code, user name or device name
};

}  // namespace daihoi::domain
