#include "common/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace daihoi {
namespace {

[[noreturn]] void fail(const std::string& path, std::string_view step, const std::string& reason) {
  throw std::runtime_error("cannot " + std::string(step) + " " + path + ": " + reason);
}

// std::system_category's message is strerror's text, without its shared buffer.
std::string errnoText() { return std::system_category().message(errno); }

// The descriptor is only needed to create the mapping, which outlives it.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() { ::close(fd_); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::size_t regularFileSize(const std::string& path, int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) fail(path, "stat", errnoText());
  if (!S_ISREG(info.st_mode)) fail(path, "map", "not a regular file");
  return static_cast<std::size_t>(info.st_size);
}

}  // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "open", errnoText());
  const Descriptor descriptor(fd);
  const std::size_t size = regularFileSize(path, fd);
  if (size == 0) return std::shared_ptr<const MappedFile>(new MappedFile(nullptr, 0));  // mmap refuses length 0

  void* data = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, descriptor.get(), 0);
  if (data == MAP_FAILED) fail(path, "map", errnoText());
  // Downloads read front to back; start reading the file in now so that
  // sending it rarely waits for the disk. Advice only: failures cost speed.
  ::madvise(data, size, MADV_SEQUENTIAL);
  ::madvise(data, size, MADV_WILLNEED);
  return std::shared_ptr<const MappedFile>(new MappedFile(static_cast<const char*>(data), size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace daihoi
