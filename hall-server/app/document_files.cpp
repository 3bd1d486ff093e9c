#include "app/document_files.hpp"

#include <algorithm>
#include <iostream>

namespace daihoi::app {

namespace {

net::HttpReply plain(unsigned status, std::string body) { return {status, "text/plain; charset=utf-8", std::move(body)}; }

bool isSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string_view bearerToken(const net::HttpRequest& request) {
  const auto header = request[boost::beast::http::field::authorization];
  std::string_view value(header.data(), header.size());
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return {};
    }
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

}  // namespace

std::shared_ptr<const MappedFile> DocumentFiles::mapped(const std::string& path) {
  if (auto it = mapped_.find(path); it != mapped_.end()) {
    if (auto file = it->second.lock()) return file;
  }
  auto file = MappedFile::open(path);
  mapped_[path] = file;
  // Forget mappings nobody holds any more, so the map stays as small as the set in use.
  std::erase_if(mapped_, [](const auto& entry) { return entry.second.expired(); });
  return file;
}

net::HttpReply DocumentFiles::reply(const net::HttpRequest& request) {
  std::string_view target = request.target();
  target = target.substr(0, target.find('?'));
  const std::string_view sha256 = target.substr(kDocumentsPath.size());
  if (!isSha256Hex(sha256)) return plain(404, "not found\n");
  const auto principal = hall_.principalForToken(bearerToken(request));
  if (!principal) {
    net::HttpReply refused = plain(401, "sign in first: Authorization: Bearer <session token>\n");
    refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"daihoi\"");
    return refused;
  }
  // Not there and not for this reader look the same.
  const domain::DocumentVersionInfo* version = nullptr;
  for (const domain::Document* document : hall_.committed().documents().withFile(sha256)) {
    if (!hall_.mayRead(*document, *principal)) continue;
    for (const auto& candidate : document->versions) {
      if (candidate.sha256 == sha256) version = &candidate;
    }
  }
  if (version == nullptr) return plain(404, "not found\n");
  try {
    net::HttpFile file;
    file.identity = mapped(files_.pathOf(sha256));
    if (version->gzip) file.gzip = mapped(files_.gzipPathOf(sha256));
    file.etag = std::string(sha256);
    file.contentType = std::string(domain::documentContentType(version->format));
    net::HttpReply reply{200, file.contentType, {}};
    reply.file = std::move(file);
    return reply;
  } catch (const std::exception& e) {
    std::cerr << "document file " << sha256 << ": " << e.what() << std::endl;
    return plain(500, "the file cannot be read\n");
  }
}

}  // namespace daihoi::app
