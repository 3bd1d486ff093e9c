#pragma once
// Who is in the hall, and whether the congress has its quorum.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/model.hpp"

namespace daihoi::domain {

enum class AttendanceMethod : std::uint8_t { Manual = 1, Face = 2, Badge = 3 };

struct AttendanceTotals {
  std::uint32_t present = 0;         // guests included
  std::uint32_t presentVoting = 0;
  std::uint32_t summoned = 0;        // delegates with a voting right
  std::uint32_t quorumRequired = 0;  // presentVoting needed
  bool quorumReached = false;
  bool operator==(const AttendanceTotals&) const = default;
};

struct DelegationCount {
  std::uint32_t delegationId = 0;
  std::uint32_t present = 0;
  std::uint32_t members = 0;
  bool operator==(const DelegationCount&) const = default;
};

// One row of the attendance history (check-ins and check-outs), as recorded.
struct AttendanceLogEntry {
  std::int64_t id = 0;  // ascending in recording order
  std::uint32_t delegateId = 0;
  std::string delegateCode;  // the delegate's code when the row was recorded
  bool present = false;
  AttendanceMethod method = AttendanceMethod::Manual;
  std::string reason;
  Principal recordedBy;  // the kiosk for face check-ins
  std::int64_t timeMs = 0;
  std::uint32_t sittingId = 0;
  float faceDistance = 0;
  bool hasThumbnail = false;
};

struct AttendanceLogQuery {
  std::optional<std::uint32_t> delegateId;  // all delegates when empty
  std::int64_t afterId = 0;                 // rows with a larger id, for paging
  std::size_t limit = 1000;
  std::uint32_t sittingId = 0;              // 0: every sitting
  std::int64_t fromMs = 0;                  // 0: from the beginning
  std::int64_t toMs = 0;                    // 0: until now (exclusive bound otherwise)
};

// Keeps a reference to the roster: the roster must outlive the Attendance and
// must not change while it is in use. Every change and count is O(1).
class Attendance {
 public:
  // Throws std::invalid_argument when !quorum.isValid().
  Attendance(const Roster& roster, Fraction quorum);

  bool isPresent(std::uint32_t delegateId) const;
  // Returns false when the delegate was already in that state (nothing changes).
  // The delegate must be on the roster (std::invalid_argument otherwise).
  bool setPresent(std::uint32_t delegateId, bool present);

  AttendanceTotals totals() const;
  DelegationCount countFor(std::uint32_t delegationId) const;
  std::vector<DelegationCount> allCounts() const;  // ordered by delegation id
  std::vector<std::uint32_t> presentIds() const;   // ascending

 private:
  const Roster& roster_;
  Fraction quorum_;
  std::unordered_set<std::uint32_t> present_;
  std::uint32_t presentVoting_ = 0;
  std::unordered_map<std::uint32_t, std::uint32_t> presentByDelegation_;
  std::unordered_map<std::uint32_t, std::uint32_t> membersByDelegation_;
};

}  // namespace daihoi::domain
