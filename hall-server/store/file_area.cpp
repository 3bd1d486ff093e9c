#include "store/file_area.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <unordered_set>

#include "common/bytes.hpp"

namespace daihoi::store {

namespace fs = std::filesystem;

namespace {

bool isSha256Hex(std::string_view name) {
  return name.size() == 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

void syncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(error, std::generic_category(), "fsync " + path);
}

FileArea::FileArea(const std::string& databasePath) : root_(databasePath + "-files") {
  fs::create_directories(fs::path(root_) / "uploads");
  fs::create_directories(fs::path(root_) / "tmp");
}

std::string FileArea::pathOf(std::string_view sha256) const {
  return (fs::path(root_) / std::string(sha256.substr(0, 2)) / std::string(sha256)).string();
}

std::string FileArea::gzipPathOf(std::string_view sha256) const { return pathOf(sha256) + ".gz"; }

std::string FileArea::uploadPath(std::string_view uploadKey) const {
  return (fs::path(root_) / "uploads" / std::string(uploadKey)).string();
}

std::string FileArea::temporaryPath() const {
  static std::atomic<std::uint64_t> counter{0};
  return (fs::path(root_) / "tmp" / (toHex(randomBytes(8)) + "-" + std::to_string(++counter))).string();
}

void FileArea::adopt(const std::string& temporaryFile, std::string_view sha256, bool gzip) const {
  const std::string target = gzip ? gzipPathOf(sha256) : pathOf(sha256);
  if (fs::exists(target)) {
    fs::remove(temporaryFile);
    return;
  }
  const fs::path directory = fs::path(target).parent_path();
  fs::create_directories(directory);
  syncPath(temporaryFile);
  fs::rename(temporaryFile, target);
  syncPath(directory.string());
  syncPath(root_);
}

bool FileArea::has(std::string_view sha256) const { return fs::exists(pathOf(sha256)); }

std::size_t FileArea::sweep(const std::vector<std::string>& referenced) const {
  const std::unordered_set<std::string> keep(referenced.begin(), referenced.end());
  std::size_t removed = 0;
  for (const char* scratch : {"uploads", "tmp"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(root_) / scratch)) {
      removed += fs::remove_all(entry.path()) > 0 ? 1 : 0;
    }
  }
  for (const auto& shard : fs::directory_iterator(root_)) {
    const std::string shardName = shard.path().filename().string();
    if (!shard.is_directory() || shardName.size() != 2) continue;
    for (const auto& entry : fs::directory_iterator(shard.path())) {
      std::string name = entry.path().filename().string();
      if (name.size() > 3 && name.ends_with(".gz")) name.resize(name.size() - 3);
      if (!isSha256Hex(name) || keep.count(name) == 0) {
        fs::remove(entry.path());
        ++removed;
      }
    }
  }
  return removed;
}

}  // namespace daihoi::store
