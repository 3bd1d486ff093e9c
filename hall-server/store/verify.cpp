#include "store/verify.hpp"

#include <algorithm>

#include "store/chain.hpp"
#include "store/sqlite.hpp"

namespace daihoi::store {
namespace {

// The server may be writing: wait for its checkpoints rather than fail.
constexpr int kBusyTimeoutMs = 5000;

VerifyReport broken(std::uint64_t checked, std::uint64_t seq, std::string reason) {
  VerifyReport report;
  report.ok = false;
  report.eventsChecked = checked;
  report.firstBrokenSeq = seq;
  report.reason = std::move(reason);
  return report;
}

}  // namespace

VerifyReport verifyLog(const std::string& dbPath) {
  try {
    Database db(dbPath, Database::Mode::ReadOnly);
    db.setBusyTimeout(kBusyTimeoutMs);
    // One statement reads one consistent snapshot, even while the server writes.
    auto rows = db.prepare("SELECT seq, body, hash FROM events ORDER BY seq");
    Sha256 previous = kGenesisHash;
    std::uint64_t expected = 1;
    std::uint64_t checked = 0;
    bool haveRow = rows.step();
    while (haveRow) {
      const std::int64_t seq = rows.columnInt64(0);
      if (seq < 1) {
        return broken(checked, expected, "the log holds an event with the invalid seq " + std::to_string(seq));
      }
      if (static_cast<std::uint64_t>(seq) != expected) {
        const std::string reason =
            expected == 1 ? "event 1 is missing: the log starts at seq " + std::to_string(seq)
                          : "event " + std::to_string(expected) + " is missing: the log jumps from seq " +
                                std::to_string(expected - 1) + " to " + std::to_string(seq);
        return broken(checked, expected, reason);
      }
      const std::string body = rows.columnBlob(1);
      const std::string stored = rows.columnBlob(2);
      if (stored.size() != previous.size()) {
        return broken(checked, expected,
                      "the stored hash of event " + std::to_string(expected) + " is " + std::to_string(stored.size()) +
                          " bytes long, expected 32");
      }
      const Sha256 recomputed = chainHash(previous, body);
      if (asBytes(recomputed) != stored) {
        const std::string mismatch = "SHA-256(hash of event " + std::to_string(expected - 1) + " || body) is " +
                                     toHex(recomputed) + " but the stored hash is " + toHex(stored);
        std::string reason = "event " + std::to_string(expected) + " does not chain: " + mismatch;
        // The next event tells which of body and hash was edited: it was
        // hashed over this event's original hash.
        if (rows.step() && static_cast<std::uint64_t>(rows.columnInt64(0)) == expected + 1) {
          const std::string nextBody = rows.columnBlob(1);
          const std::string nextStored = rows.columnBlob(2);
          Sha256 storedHash{};
          std::copy(stored.begin(), stored.end(), storedHash.begin());
          if (asBytes(chainHash(storedHash, nextBody)) == nextStored) {
            reason = "the body of event " + std::to_string(expected) + " was changed" +
                     (expected > 1 ? " (or event " + std::to_string(expected - 1) + " was rewritten with a new hash)" : "") +
                     ": " + mismatch + ", and the stored hash still links event " + std::to_string(expected + 1);
          } else if (asBytes(chainHash(recomputed, nextBody)) == nextStored) {
            reason = "the stored hash of event " + std::to_string(expected) + " was changed: it is " + toHex(stored) +
                     ", the chain needs " + toHex(recomputed) + ", which event " + std::to_string(expected + 1) +
                     " still links";
          }
        }
        return broken(checked, expected, reason);
      }
      previous = recomputed;
      ++checked;
      ++expected;
      haveRow = rows.step();
    }
    VerifyReport report;
    report.ok = true;
    report.eventsChecked = checked;
    return report;
  } catch (const StoreError& error) {
    VerifyReport report;
    report.ok = false;
    report.reason = std::string("cannot read the event log: ") + error.what();
    return report;
  }
}

}  // namespace daihoi::store
