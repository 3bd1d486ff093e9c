// `daihoi enroll DIR`: file names → delegate codes, the folder listing and the progress line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "cli/enroll_files.hpp"

using namespace daihoi::cli;
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const std::vector<std::string> kCodes = {"HN-001", "HN-0010", "HN-1", "HN-1-2", "HCM-007", "QD-1"};

std::optional<std::string> codeFor(std::string_view name) {
  return codeForFileName(name, sortCodesLongestFirst(kCodes));
}

}  // namespace

TEST_CASE("photo extensions: .jpg, .jpeg, .png in any case") {
  CHECK(isPhotoFileName("a.jpg"));
  CHECK(isPhotoFileName("a.JPEG"));
  CHECK(isPhotoFileName("HN-001.Png"));
  CHECK_FALSE(isPhotoFileName("a.gif"));
  CHECK_FALSE(isPhotoFileName("notes.txt"));
  CHECK_FALSE(isPhotoFileName("jpg"));
  CHECK_FALSE(isPhotoFileName(".jpg"));
}

TEST_CASE("a file name is a code, or a code followed by _N or -N, longest code first, any letter case") {
  CHECK(codeFor("HN-001.jpg") == "HN-001");
  CHECK(codeFor("HN-001_2.jpg") == "HN-001");
  CHECK(codeFor("HN-001-3.png") == "HN-001");
  CHECK(codeFor("hn-001_12.JPEG") == "HN-001");  // the roster's spelling comes back
  CHECK(codeFor("HN-0010.jpg") == "HN-0010");    // not HN-001 followed by "0"
  CHECK(codeFor("HN-0010_2.jpg") == "HN-0010");
  // A code that is another code plus "-N": the longer code wins, and its own suffixes still work.
  CHECK(codeFor("HN-1-2.jpg") == "HN-1-2");
  CHECK(codeFor("HN-1-2-3.jpg") == "HN-1-2");
  CHECK(codeFor("HN-1-3.jpg") == "HN-1");
  CHECK(codeFor("HN-1_2.jpg") == "HN-1");
  CHECK(codeFor("hcm-007.png") == "HCM-007");
  CHECK_FALSE(codeFor("HN-002.jpg"));        // not on the roster
  CHECK_FALSE(codeFor("HN-001 (2).jpg"));    // only _N and -N
  CHECK_FALSE(codeFor("HN-001_a.jpg"));
  CHECK_FALSE(codeFor("HN-001_.jpg"));
  CHECK_FALSE(codeFor("HN-001x.jpg"));
  CHECK_FALSE(codeFor("X-HN-001.jpg"));
}

TEST_CASE("matching a folder: folders per delegate and named files, unmatched and ignored files listed") {
  const std::vector<std::string> files = {
      "HN-001.jpg",     "HN-001_2.jpg",  "hcm-007/mat-truoc.JPG", "HCM-007/nghieng.png", "QD-1-1.jpeg",
      "ban-do.png",     "README.txt",    "HN-9/a.jpg",            "HN-001/sub/...",      "HN-1-2/x.jpg",
      "HN-0010-1.png",  "QD-1/ghi-chu.txt"};
  const PhotoMatch match = matchPhotos(files, kCodes);
  CHECK(match.byCode.size() == 5);
  CHECK(match.byCode.at("HN-001") == std::vector<std::string>{"HN-001.jpg", "HN-001_2.jpg"});
  CHECK(match.byCode.at("HCM-007") == std::vector<std::string>{"HCM-007/nghieng.png", "hcm-007/mat-truoc.JPG"});
  CHECK(match.byCode.at("QD-1") == std::vector<std::string>{"QD-1-1.jpeg"});
  CHECK(match.byCode.at("HN-1-2") == std::vector<std::string>{"HN-1-2/x.jpg"});
  CHECK(match.byCode.at("HN-0010") == std::vector<std::string>{"HN-0010-1.png"});
  CHECK(match.unmatched == std::vector<std::string>{"HN-9/a.jpg", "ban-do.png"});
  CHECK(match.ignored == std::vector<std::string>{"HN-001/sub/...", "QD-1/ghi-chu.txt", "README.txt"});
}

TEST_CASE("the folder listing: top level and one level down, hidden files left out") {
  const fs::path dir = fs::temp_directory_path() / ("daihoi-enroll-files-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "HN-001" / "cu");
  fs::create_directories(dir / ".thumbnails");
  for (const fs::path& file : {dir / "HN-002.jpg", dir / ".DS_Store", dir / "HN-001" / "a.jpg",
                               dir / "HN-001" / ".hidden.jpg", dir / ".thumbnails" / "t.jpg"}) {
    std::ofstream(file) << "x";
  }
  auto listed = listPhotoDirectory(dir.string());
  REQUIRE(std::holds_alternative<std::vector<std::string>>(listed));
  CHECK(std::get<std::vector<std::string>>(listed) ==
        std::vector<std::string>{"HN-001/a.jpg", "HN-001/cu/...", "HN-002.jpg"});
  fs::remove_all(dir);

  auto missing = listPhotoDirectory((dir / "khong-co").string());
  REQUIRE(std::holds_alternative<CliError>(missing));
  CHECK(std::get<CliError>(missing).exitCode == kExitUsage);
  CHECK(std::get<CliError>(missing).message.find("not a readable folder") != std::string::npos);
}

TEST_CASE("progress: counter, code, photos, elapsed and the estimate") {
  CHECK(durationText(seconds{0}) == "0:00");
  CHECK(durationText(seconds{42}) == "0:42");
  CHECK(durationText(seconds{725}) == "12:05");
  CHECK(durationText(seconds{3723}) == "1:02:03");
  CHECK(enrollProgressLine(37, 500, "HN-001", 3, seconds{62}, seconds{495}) ==
        "[37/500] HN-001 · 3 ảnh · đã chạy 1:02 · còn khoảng 8:15");
  CHECK(enrollProgressLine(1, 2, "HN-001", 1, seconds{0}, std::nullopt) == "[1/2] HN-001 · 1 ảnh · đã chạy 0:00");
  CHECK_FALSE(estimateRemaining(milliseconds{0}, 0, 100).has_value());
  CHECK(estimateRemaining(milliseconds{1500}, 10, 100) == seconds{15});  // 150 ms a photo
  CHECK(estimateRemaining(milliseconds{1500}, 10, 0) == seconds{0});
}
