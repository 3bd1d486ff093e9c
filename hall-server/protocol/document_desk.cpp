#include "protocol/document_desk.hpp"

#include <algorithm>

#include "common/bytes.hpp"
#include "domain/role.hpp"

namespace daihoi::protocol {

bool DocumentDesk::validUploadId(const std::string& uploadId) {
  if (uploadId.size() < 8 || uploadId.size() > 64) return false;
  return std::all_of(uploadId.begin(), uploadId.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

namespace {
std::string accountOf(const domain::Principal& principal) {
  return std::string(domain::roleName(principal.role)) + ":" + principal.login;
}
}  // namespace

std::string DocumentDesk::keyFor(const domain::Principal& owner, const std::string& uploadId) {
  // A file name that no client can choose: two accounts never share an upload.
  return toHex(sha256(accountOf(owner), uploadId)).substr(0, 40);
}

Upload* DocumentDesk::find(const domain::Principal& owner, const std::string& uploadId) {
  auto it = uploads_.find(keyFor(owner, uploadId));
  return it == uploads_.end() ? nullptr : &it->second;
}

Upload* DocumentDesk::findByKey(const std::string& key) {
  auto it = uploads_.find(key);
  return it == uploads_.end() ? nullptr : &it->second;
}

Upload* DocumentDesk::start(const domain::Principal& owner, const std::string& uploadId, std::uint64_t totalSize,
                            std::int64_t nowMs) {
  const std::string key = keyFor(owner, uploadId);
  const std::string account = accountOf(owner);
  const auto mine = std::count_if(uploads_.begin(), uploads_.end(), [&](const auto& entry) {
    return entry.second.owner == account && entry.first != key;
  });
  if (static_cast<std::size_t>(mine) >= options_.uploadsPerAccount) return nullptr;
  Upload& upload = uploads_[key];
  upload = Upload{key, account, totalSize, 0, nowMs};
  return &upload;
}

void DocumentDesk::finish(const std::string& key) { uploads_.erase(key); }

std::vector<std::string> DocumentDesk::expire(std::int64_t nowMs) {
  std::vector<std::string> expired;
  for (auto it = uploads_.begin(); it != uploads_.end();) {
    const Upload& upload = it->second;
    if (!upload.writing && !upload.preparing && nowMs - upload.touchedMs > options_.uploadIdleMs) {
      expired.push_back(upload.key);
      it = uploads_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

}  // namespace daihoi::protocol
