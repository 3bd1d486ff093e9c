#pragma once
// The hall's DocumentWork: one thread that writes upload chunks and turns
// finished uploads into versions (checks, PDF text, paragraphs with the ids
// of the previous version, gzip for text, the file in the file area). A
// 200-page PDF takes seconds: never on the network thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "protocol/document_work.hpp"
#include "store/file_area.hpp"
#include "store/store.hpp"

namespace daihoi::app {

class DocumentWorker final : public protocol::DocumentWork {
 public:
  DocumentWorker(std::string databasePath, boost::asio::io_context& ioc);
  ~DocumentWorker() override;

  void writeChunk(std::string uploadKey, std::uint64_t offset, std::string data,
                  std::function<void(std::string error)> done) override;
  void discardUpload(std::string uploadKey) override;
  void prepare(protocol::PrepareJob job, std::function<void(Result<protocol::PreparedVersion>)> done) override;

  const store::FileArea& files() const { return files_; }
  void stop();
  // Jobs whose answer has not run yet (network thread only).
  int inFlight() const { return inFlight_; }

 private:
  Result<protocol::PreparedVersion> prepareNow(const protocol::PrepareJob& job);
  std::vector<documents::Paragraph> previousParagraphs(std::uint32_t documentId, std::uint32_t version);

  std::string databasePath_;
  boost::asio::io_context& ioc_;
  store::FileArea files_;
  boost::asio::thread_pool thread_{1};
  std::unique_ptr<store::Store> store_;  // read-only, the worker thread only
  int inFlight_ = 0;
};

// Checks a file and splits its text: the format from the content and the
// name; PDF text through poppler; text must be valid UTF-8 and not empty.
struct CheckedDocument {
  domain::DocumentFormat format = domain::DocumentFormat::PlainText;
  std::uint32_t pages = 0;
  std::string embeddedTitle;
  std::vector<documents::Paragraph> paragraphs;
};
Result<CheckedDocument> checkDocument(std::string_view bytes, std::string_view fileName);

// gzip (RFC 1952) of `bytes` at the default level.
std::string gzipCompress(std::string_view bytes);

}  // namespace daihoi::app
