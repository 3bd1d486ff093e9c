#pragma once
// GET /documents/<sha256>: a version's file for a terminal that presents its
// session token (Authorization: Bearer) and may read a document with that
// file. Files are mapped once and shared by every response sending them; a
// mapping lives while a response still writes from it.
#include <map>
#include <memory>
#include <string>

#include "common/mapped_file.hpp"
#include "net/server.hpp"
#include "protocol/hall.hpp"
#include "store/file_area.hpp"

namespace daihoi::app {

inline constexpr std::string_view kDocumentsPath = "/documents/";

class DocumentFiles {
 public:
  DocumentFiles(const protocol::Hall& hall, const store::FileArea& files) : hall_(hall), files_(files) {}
  // Network thread only.
  net::HttpReply reply(const net::HttpRequest& request);

 private:
  std::shared_ptr<const MappedFile> mapped(const std::string& path);

  const protocol::Hall& hall_;
  const store::FileArea& files_;
  std::map<std::string, std::weak_ptr<const MappedFile>> mapped_;  // by path
};

}  // namespace daihoi::app
