#pragma once
// History the hall does not keep in memory, read from the durable store off
// the network thread: the attendance log, face check-in thumbnails and the
// documents' paragraphs. Reads see committed data only, which is all anyone
// was ever told about.
#include <cstdint>
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

// The study assistant's question to the archive: `match` is an FTS5
// expression built by the caller (an OR of quoted folded words) over the
// paragraphs of the newest versions of `documentIds` only.
struct DocumentStudy {
  std::string match;
  std::vector<std::uint32_t> documentIds;
  std::uint32_t candidates = 60;  // at most this many paragraphs
};

// A paragraph that matches, with its full text, for the assistant to rank.
struct StudyCandidate {
  std::uint32_t documentId = 0;
  std::uint32_t version = 0;  // the document's newest version
  std::string paragraphId;
  std::uint32_t paragraphNumber = 0;
  std::string section;
  std::string text;
  double bm25 = 0;  // FTS5's: lower is more relevant
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
  // One paragraph by its number (1-based); nothing when the version has no such paragraph.
  virtual void documentParagraph(std::uint32_t documentId, std::uint32_t version, std::uint32_t number,
                                 std::function<void(std::optional<documents::Paragraph>, std::string error)> done) = 0;
  // The diff runs on the reader's thread too: a 200-page document takes a while.
  virtual void documentDiff(std::uint32_t documentId, std::uint32_t fromVersion, std::uint32_t toVersion,
                            std::function<void(VersionComparison, std::string error)> done) = 0;
  virtual void searchDocuments(domain::DocumentSearch search,
                               std::function<void(domain::DocumentSearchResult, std::string error)> done) = 0;
  // The candidates best (bm25) first, at most study.candidates of them.
  virtual void studyPassages(DocumentStudy study,
                             std::function<void(std::vector<StudyCandidate>, std::string error)> done) = 0;
};

}  // namespace daihoi::protocol
