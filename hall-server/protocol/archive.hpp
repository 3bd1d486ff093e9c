#pragma once
// History the hall does not keep in memory, read from the durable store off
// the network thread: the attendance log, face check-in thumbnails and the
// documents' paragraphs. Reads see committed data only, which is all anyone
// was ever told about.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "documents/diff.hpp"
#include "documents/paragraphs.hpp"
#include "domain/attendance.hpp"
#include "domain/documents.hpp"

namespace daihoi::protocol {

// Two versions of a document and what changed between them.
struct VersionComparison {
  std::vector<documents::Paragraph> older;
  std::vector<documents::Paragraph> newer;
  documents::DocumentDiff diff;
};

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
  virtual void documentParagraphs(std::uint32_t documentId, std::uint32_t version,
                                  std::function<void(std::vector<documents::Paragraph>, std::string error)> done) = 0;
  // The diff runs on the reader's thread too: a 200-page document takes a while.
  virtual void documentDiff(std::uint32_t documentId, std::uint32_t fromVersion, std::uint32_t toVersion,
                            std::function<void(VersionComparison, std::string error)> done) = 0;
  virtual void searchDocuments(domain::DocumentSearch search,
                               std::function<void(domain::DocumentSearchResult, std::string error)> done) = 0;
};

}  // namespace daihoi::protocol
