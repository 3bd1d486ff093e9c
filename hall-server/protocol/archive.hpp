#pragma once
// History the hall does not keep in memory, read from the durable store off
// the network thread: the attendance log and face check-in thumbnails. Reads
// see committed data only, which is all anyone was ever told about.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/attendance.hpp"

namespace daihoi::protocol {

class Archive {
 public:
  virtual ~Archive() = default;
  // `done` runs on the hall's thread; `error` is empty on success.
  virtual void attendanceLog(domain::AttendanceLogQuery query,
                             std::function<void(std::vector<domain::AttendanceLogEntry>, std::string error)> done) = 0;
  virtual void faceThumbnail(std::int64_t attendanceId,
                             std::function<void(std::optional<std::string> jpeg, std::string error)> done) = 0;
  virtual void faceAttemptImage(std::uint64_t seq,
                                std::function<void(std::optional<std::string> jpeg, std::string error)> done) = 0;
};

}  // namespace daihoi::protocol
