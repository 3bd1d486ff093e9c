#pragma once
// A terminal's copy of the hall state: a Snapshot, then the Events that follow it.
// Pure data, no I/O and no locking: HallClient keeps one behind its own mutex, tests drive it directly.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daihoi.pb.h"

namespace daihoi::client {

enum class EventApplication : std::uint8_t {
  Applied,    // seq > lastSeq(): the mirror changed (or at least lastSeq moved)
  Duplicate,  // seq <= lastSeq(): already applied, nothing changed
};

class StateMirror {
 public:
  // Replaces everything: a fresh snapshot is the whole truth as of snapshot.seq.
  void applySnapshot(const daihoi::v1::Snapshot& snapshot);
  // Seqs may skip (a session sees only the events its role may see); older or equal seqs are duplicates.
  EventApplication apply(const daihoi::v1::Event& event);
  // A GetRoster reply: replaces delegations and delegates and clears rosterStale().
  void applyRoster(const daihoi::v1::RosterReply& roster);
  // A GetAttendance reply. Ignored (returns false) when older than lastSeq(): events already applied are newer.
  bool applyAttendance(const daihoi::v1::AttendanceReply& attendance);
  // Forget everything (e.g. after signing out).
  void clear();

  bool hasSnapshot() const { return hasSnapshot_; }
  std::uint64_t lastSeq() const { return lastSeq_; }
  std::uint64_t duplicatesIgnored() const { return duplicatesIgnored_; }
  // After RosterReplaced: delegations/delegates are outdated until applyRoster().
  bool rosterStale() const { return rosterStale_; }
  // After RosterReplaced: present ids, totals and counts are outdated until applyAttendance().
  bool attendanceStale() const { return attendanceStale_; }

  const daihoi::v1::Congress& congress() const { return congress_; }
  const std::vector<daihoi::v1::Delegation>& delegations() const { return delegations_; }
  const std::vector<daihoi::v1::Delegate>& delegates() const { return delegates_; }
  const daihoi::v1::Delegation* findDelegation(std::uint32_t id) const;
  const daihoi::v1::Delegate* findDelegate(std::uint32_t id) const;
  const daihoi::v1::Delegate* findDelegateByCode(std::string_view code) const;

  bool isPresent(std::uint32_t delegateId) const { return present_.count(delegateId) != 0; }
  std::vector<std::uint32_t> presentIds() const;  // ascending
  const daihoi::v1::AttendanceTotals& totals() const { return totals_; }
  std::vector<daihoi::v1::DelegationCount> delegationCounts() const;  // ascending by delegation id
  std::optional<daihoi::v1::DelegationCount> countFor(std::uint32_t delegationId) const;

 private:
  void setRoster(const google::protobuf::RepeatedPtrField<daihoi::v1::Delegation>& delegations,
                 const google::protobuf::RepeatedPtrField<daihoi::v1::Delegate>& delegates);
  void setAttendance(const google::protobuf::RepeatedField<std::uint32_t>& presentIds,
                     const daihoi::v1::AttendanceTotals& totals,
                     const google::protobuf::RepeatedPtrField<daihoi::v1::DelegationCount>& counts);
  void applyAttendanceChanged(const daihoi::v1::AttendanceChanged& change);

  bool hasSnapshot_ = false;
  std::uint64_t lastSeq_ = 0;
  std::uint64_t duplicatesIgnored_ = 0;
  bool rosterStale_ = false;
  bool attendanceStale_ = false;
  daihoi::v1::Congress congress_;
  std::vector<daihoi::v1::Delegation> delegations_;
  std::vector<daihoi::v1::Delegate> delegates_;
  std::unordered_map<std::uint32_t, std::size_t> delegationIndex_;
  std::unordered_map<std::uint32_t, std::size_t> delegateIndex_;
  std::unordered_map<std::string, std::size_t> delegateCodeIndex_;
  std::set<std::uint32_t> present_;
  daihoi::v1::AttendanceTotals totals_;
  std::map<std::uint32_t, daihoi::v1::DelegationCount> counts_;
};

}  // namespace daihoi::client
