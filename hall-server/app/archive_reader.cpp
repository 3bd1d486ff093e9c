#include "app/archive_reader.hpp"

#include <boost/asio/post.hpp>

namespace daihoi::app {

namespace asio = boost::asio;

ArchiveReader::ArchiveReader(std::string databasePath, asio::io_context& ioc)
    : databasePath_(std::move(databasePath)), ioc_(ioc) {}

ArchiveReader::~ArchiveReader() { stop(); }

void ArchiveReader::stop() { thread_.join(); }

store::Store& ArchiveReader::store() {
  if (!store_) store_ = store::Store::openReadOnly(databasePath_);
  return *store_;
}

template <class T>
void ArchiveReader::read(std::function<T(store::Store&)> read, std::function<void(T, std::string)> done) {
  ++inFlight_;
  asio::post(thread_, [this, read = std::move(read), done = std::move(done)]() mutable {
    T value{};
    std::string error;
    try {
      value = read(store());
    } catch (const std::exception& e) {
      error = e.what();
      store_.reset();  // a fresh connection next time
    }
    asio::post(ioc_, [this, done = std::move(done), value = std::move(value), error = std::move(error)]() mutable {
      --inFlight_;
      done(std::move(value), std::move(error));
    });
  });
}

void ArchiveReader::attendanceLog(
    domain::AttendanceLogQuery query,
    std::function<void(std::vector<domain::AttendanceLogEntry>, std::string)> done) {
  read<std::vector<domain::AttendanceLogEntry>>(
      [query](store::Store& store) { return store.loadAttendanceLog(query); }, std::move(done));
}

void ArchiveReader::faceThumbnail(std::int64_t attendanceId,
                                  std::function<void(std::optional<std::string>, std::string)> done) {
  read<std::optional<std::string>>([attendanceId](store::Store& store) { return store.loadFaceThumbnail(attendanceId); },
                                   std::move(done));
}

void ArchiveReader::faceAttemptImage(std::uint64_t seq,
                                     std::function<void(std::optional<std::string>, std::string)> done) {
  read<std::optional<std::string>>([seq](store::Store& store) { return store.loadFaceAttemptImage(seq); },
                                   std::move(done));
}

void ArchiveReader::documentParagraphs(std::uint32_t documentId, std::uint32_t version,
                                       std::function<void(std::vector<documents::Paragraph>, std::string)> done) {
  read<std::vector<documents::Paragraph>>(
      [documentId, version](store::Store& store) { return store.loadParagraphs(documentId, version); },
      std::move(done));
}

void ArchiveReader::documentParagraph(std::uint32_t documentId, std::uint32_t version, std::uint32_t number,
                                      std::function<void(std::optional<documents::Paragraph>, std::string)> done) {
  read<std::optional<documents::Paragraph>>(
      [documentId, version, number](store::Store& store) { return store.loadParagraph(documentId, version, number); },
      std::move(done));
}

void ArchiveReader::documentDiff(std::uint32_t documentId, std::uint32_t fromVersion, std::uint32_t toVersion,
                                 std::function<void(protocol::VersionComparison, std::string)> done) {
  read<protocol::VersionComparison>(
      [documentId, fromVersion, toVersion](store::Store& store) {
        protocol::VersionComparison comparison;
        comparison.older = store.loadParagraphs(documentId, fromVersion);
        comparison.newer = store.loadParagraphs(documentId, toVersion);
        comparison.diff = documents::diffParagraphs(comparison.older, comparison.newer);
        return comparison;
      },
      std::move(done));
}

void ArchiveReader::searchDocuments(domain::DocumentSearch search,
                                    std::function<void(domain::DocumentSearchResult, std::string)> done) {
  read<domain::DocumentSearchResult>(
      [search = std::move(search)](store::Store& store) { return store.searchDocuments(search); }, std::move(done));
}

void ArchiveReader::studyPassages(protocol::DocumentStudy study,
                                  std::function<void(std::vector<protocol::StudyCandidate>, std::string)> done) {
  read<std::vector<protocol::StudyCandidate>>(
      [study = std::move(study)](store::Store& store) {
        std::vector<protocol::StudyCandidate> candidates;
        for (store::StudyParagraph& paragraph :
             store.studyParagraphs(study.match, study.documentIds, study.candidates)) {
          candidates.push_back(protocol::StudyCandidate{paragraph.documentId, paragraph.version,
                                                        std::move(paragraph.paragraphId), paragraph.paragraphNumber,
                                                        std::move(paragraph.section), std::move(paragraph.text),
                                                        paragraph.bm25});
        }
        return candidates;
      },
      std::move(done));
}

}  // namespace daihoi::app
