#pragma once
// The documents' files, beside the database: `<database>-files/` holds each
// version's file under its SHA-256 (`ab/abcdef…`, with `….gz` for the gzip
// variant of text), and `uploads/` the uploads in progress. Files are written
// once and never changed; a file is in place (written, fsynced, renamed,
// directory fsynced) before the version that names it is committed, so a
// committed version always has its file. Files no version names — a crash
// between the two — are swept at start.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::store {

class FileArea {
 public:
  // The area of the database at `databasePath`; created when missing.
  explicit FileArea(const std::string& databasePath);

  const std::string& root() const { return root_; }
  std::string pathOf(std::string_view sha256) const;
  std::string gzipPathOf(std::string_view sha256) const;
  std::string uploadPath(std::string_view uploadKey) const;
  // A fresh temporary name inside the area (same file system: rename is atomic).
  std::string temporaryPath() const;

  // Moves a complete, fsynced file to its place under `sha256` (`gzip`: the
  // gzip variant). When the file is already there (the same content was
  // uploaded before), the temporary file is removed instead.
  void adopt(const std::string& temporaryFile, std::string_view sha256, bool gzip) const;
  bool has(std::string_view sha256) const;

  // Removes every upload and temporary file, and the files of versions not in
  // `referenced` (SHA-256 hex, any order). Returns how many files went.
  std::size_t sweep(const std::vector<std::string>& referenced) const;

 private:
  std::string root_;
};

// fsync()s a file or directory; throws std::system_error naming the path.
void syncPath(const std::string& path);

}  // namespace daihoi::store
