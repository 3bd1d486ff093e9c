#pragma once
// Offline check of the event log's hash chain.
#include <cstdint>
#include <optional>
#include <string>

namespace daihoi::store {

struct VerifyReport {
  bool ok = false;
  // Events found intact, counted from seq 1 up to the first break.
  std::uint64_t eventsChecked = 0;
  // The first seq at which the log does not verify: a missing event or one
  // whose hash does not chain. Empty when ok, or when the log cannot be read.
  std::optional<std::uint64_t> firstBrokenSeq;
  std::string reason;  // empty when ok
};

// Opens the database read-only and walks the events in seq order: seqs must
// be 1, 2, 3, ... and each hash must equal chainHash(previous hash, body),
// starting from kGenesisHash. Stops at the first break. A log cut short at
// its end still verifies: compare the head with a copy kept elsewhere to
// detect that. Never throws for a bad or missing file: that is a failed report.
VerifyReport verifyLog(const std::string& dbPath);

}  // namespace daihoi::store
