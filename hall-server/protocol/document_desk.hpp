#pragma once
// The hall's bookkeeping for documents in the making: uploads in progress
// (per account, in order, within limits) and the documents a new version is
// being prepared for. Network thread only; the bytes are the worker's.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/model.hpp"

namespace daihoi::protocol {

struct DocumentOptions {
  std::uint64_t maxDocumentBytes = 50ull * 1024 * 1024;
  std::uint32_t maxChunkBytes = 1024 * 1024;
  std::size_t uploadsPerAccount = 4;
  std::int64_t uploadIdleMs = 3600 * 1000;  // an upload untouched this long is forgotten
};

struct Upload {
  std::string key;  // the worker's name for it: unique per account and upload id
  std::string owner;  // "role:login" of the account
  std::uint64_t totalSize = 0;
  std::uint64_t received = 0;
  std::int64_t touchedMs = 0;
  bool writing = false;    // a chunk is being written
  bool preparing = false;  // AddDocument/UpdateDocument is turning it into a version
  bool complete() const { return received == totalSize && totalSize > 0; }
};

class DocumentDesk {
 public:
  explicit DocumentDesk(DocumentOptions options) : options_(options) {}
  const DocumentOptions& options() const { return options_; }

  // The upload `uploadId` of this account, if it exists.
  Upload* find(const domain::Principal& owner, const std::string& uploadId);
  Upload* findByKey(const std::string& key);
  // Starts an upload; nothing when the account has too many already.
  Upload* start(const domain::Principal& owner, const std::string& uploadId, std::uint64_t totalSize,
                std::int64_t nowMs);
  void finish(const std::string& key);
  // Uploads idle for longer than the limit (and not busy): removed and returned
  // so that their files can be discarded.
  std::vector<std::string> expire(std::int64_t nowMs);

  // One new version of a document at a time (ids carry over from the newest).
  bool beginPreparing(std::uint32_t documentId) { return preparing_.insert(documentId).second; }
  void endPreparing(std::uint32_t documentId) { preparing_.erase(documentId); }

  static bool validUploadId(const std::string& uploadId);

 private:
  static std::string keyFor(const domain::Principal& owner, const std::string& uploadId);

  DocumentOptions options_;
  std::map<std::string, Upload> uploads_;  // by key
  std::set<std::uint32_t> preparing_;
};

}  // namespace daihoi::protocol
