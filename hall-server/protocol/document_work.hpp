#pragma once
// Document work off the network thread, as the protocol layer sees it: upload
// chunks are written to disk, a finished upload is checked, its text extracted
// and split into paragraphs, and the file placed in the store's file area under
// its SHA-256. The app implements it with a thread of its own
// (app/document_worker.hpp). Completions run on the hall's thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "documents/paragraphs.hpp"
#include "domain/documents.hpp"

namespace daihoi::protocol {

// A finished upload to turn into a version.
struct PrepareJob {
  std::string uploadKey;
  std::string fileName;
  std::uint64_t maxBytes = 0;
  // The document's newest committed version, whose paragraph ids carry over.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> previous;  // document id, version
};

// A checked version whose file is in the file area (identity and, for text, gzip).
struct PreparedVersion {
  std::string sha256;
  std::uint64_t size = 0;
  domain::DocumentFormat format = domain::DocumentFormat::PlainText;
  std::uint32_t pages = 0;
  std::string embeddedTitle;  // a PDF's own title, when it has one
  bool gzip = false;
  std::shared_ptr<const std::vector<documents::Paragraph>> paragraphs;
};

class DocumentWork {
 public:
  virtual ~DocumentWork() = default;
  // Appends `data` at `offset` to the upload's file (offset 0 starts it anew);
  // `done` gets an empty string or what went wrong.
  virtual void writeChunk(std::string uploadKey, std::uint64_t offset, std::string data,
                          std::function<void(std::string error)> done) = 0;
  // Forgets an upload's file (abandoned, or turned into a version).
  virtual void discardUpload(std::string uploadKey) = 0;
  // Failure codes: "invalid_document" and "too_large" (the message says what
  // was wrong: not a PDF, encrypted, invalid UTF-8, empty, …), "internal".
  virtual void prepare(PrepareJob job, std::function<void(Result<PreparedVersion>)> done) = 0;
};

}  // namespace daihoi::protocol
