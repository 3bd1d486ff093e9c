#pragma once
// Counters for /metrics. Touched only on the network thread.
#include <cstdint>
#include <map>
#include <string>

namespace daihoi::protocol {

struct Metrics {
  std::map<std::string, std::uint64_t> requestsByType;  // "CheckIn" -> count
  std::map<std::string, std::uint64_t> errorsByCode;    // "ERROR_PERMISSION_DENIED" -> count
  std::uint64_t malformedFrames = 0;
  std::uint64_t eventsBroadcast = 0;
  std::uint64_t deliveries = 0;  // frames handed to sessions by broadcasts
  std::uint64_t signInsOk = 0;
  std::uint64_t signInsFailed = 0;
  std::uint64_t commitsInFlight = 0;
  std::uint64_t liveUpdates = 0;   // coalesced ballot-progress pushes
  std::uint64_t votesAccepted = 0;
};

}  // namespace daihoi::protocol
