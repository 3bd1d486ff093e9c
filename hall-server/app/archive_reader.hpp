#pragma once
// The hall's Archive: history read from the database through its own
// read-only connection on its own thread (WAL lets it read beside the writer).
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "protocol/archive.hpp"
#include "store/store.hpp"

namespace daihoi::app {

class ArchiveReader final : public protocol::Archive {
 public:
  ArchiveReader(std::string databasePath, boost::asio::io_context& ioc);
  ~ArchiveReader() override;

  void attendanceLog(domain::AttendanceLogQuery query,
                     std::function<void(std::vector<domain::AttendanceLogEntry>, std::string)> done) override;
  void faceThumbnail(std::int64_t attendanceId,
                     std::function<void(std::optional<std::string>, std::string)> done) override;
  void faceAttemptImage(std::uint64_t seq, std::function<void(std::optional<std::string>, std::string)> done) override;
  void documentParagraphs(std::uint32_t documentId, std::uint32_t version,
                          std::function<void(std::vector<documents::Paragraph>, std::string)> done) override;
  void documentParagraph(std::uint32_t documentId, std::uint32_t version, std::uint32_t number,
                         std::function<void(std::optional<documents::Paragraph>, std::string)> done) override;
  void documentDiff(std::uint32_t documentId, std::uint32_t fromVersion, std::uint32_t toVersion,
                    std::function<void(protocol::VersionComparison, std::string)> done) override;
  void searchDocuments(domain::DocumentSearch search,
                       std::function<void(domain::DocumentSearchResult, std::string)> done) override;
  void studyPassages(protocol::DocumentStudy study,
                     std::function<void(std::vector<protocol::StudyCandidate>, std::string)> done) override;
  void stop();
  // Reads whose answer has not run yet (network thread only).
  int inFlight() const { return inFlight_; }

 private:
  store::Store& store();  // the reader thread only
  // Runs `read` on the reader thread and answers on the network thread with
  // its value, or a default value and what went wrong.
  template <class T>
  void read(std::function<T(store::Store&)> read, std::function<void(T, std::string)> done);

  std::string databasePath_;
  boost::asio::io_context& ioc_;
  boost::asio::thread_pool thread_{1};
  std::unique_ptr<store::Store> store_;
  int inFlight_ = 0;
};

}  // namespace daihoi::app
