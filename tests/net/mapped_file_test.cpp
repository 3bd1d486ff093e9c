#include "common/mapped_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>

#include "temp_dir.hpp"

using daihoi::MappedFile;
using daihoi::testing::patternBytes;
using daihoi::testing::TempDir;

TEST_CASE("a mapped file shows the file's bytes") {
  TempDir dir;
  const std::string bytes = std::string("%PDF-1.7\0binary", 15) + patternBytes(100'000);
  const auto file = MappedFile::open(dir.write("doc.pdf", bytes));
  CHECK(file->bytes() == bytes);
}

TEST_CASE("an empty file maps to no bytes") {
  TempDir dir;
  const auto file = MappedFile::open(dir.write("empty", ""));
  CHECK(file->bytes().empty());
}

TEST_CASE("the mapping outlives the file's name") {
  // Replacing a document by renaming a new file over it leaves senders of the old one intact.
  TempDir dir;
  const std::string path = dir.write("doc", "version 1");
  const auto file = MappedFile::open(path);
  std::filesystem::remove(path);
  dir.write("doc", "version 2, longer");
  CHECK(file->bytes() == "version 1");
}

TEST_CASE("opening what cannot be mapped names the path and the reason") {
  TempDir dir;
  const std::string missing = dir.path() + "/missing.pdf";
  CHECK_THROWS_WITH_AS(MappedFile::open(missing), ("cannot open " + missing + ": No such file or directory").c_str(),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(MappedFile::open(dir.path()), ("cannot map " + dir.path() + ": not a regular file").c_str(),
                       std::runtime_error);
}
