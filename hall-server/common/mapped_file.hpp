#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace daihoi {

// A whole file mapped read-only. Responses point into the mapping instead of
// copying the file, and each holds the shared_ptr until its write completes:
// the file stays mapped until its last reader is done, however many
// connections send it at once.
//
// The file must not be truncated or rewritten in place while it is mapped
// (touching a page that no longer exists raises SIGBUS): write a new file and
// rename it over the old one instead.
class MappedFile {
 public:
  // Throws std::runtime_error naming the path and the reason.
  static std::shared_ptr<const MappedFile> open(const std::string& path);

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}

  const char* data_;  // null for an empty file: there is nothing to map
  std::size_t size_;
};

}  // namespace daihoi
