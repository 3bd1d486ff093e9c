#pragma once
// `daihoi enroll DIR`: which photo files in DIR belong to which delegate, and the progress line.
// Two layouts, mixed freely:
//   DIR/<CODE>/<any name>.jpg|.jpeg|.png   a folder per delegate;
//   DIR/<CODE>.jpg, DIR/<CODE>_2.jpg, DIR/<CODE>-3.png   the code, then optionally _N or -N.
// Codes may themselves contain '-' ("HN-001"), so a file name is matched against the roster's
// codes, longest first, ignoring letter case (Vietnamese letters included).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/exit_codes.hpp"

namespace daihoi::cli {

struct PhotoMatch {
  // Roster code (as the roster spells it) → photo paths relative to DIR ("HN-001/a.jpg",
  // "HN-001_2.jpg"), sorted.
  std::map<std::string, std::vector<std::string>> byCode;
  std::vector<std::string> unmatched;  // photos named after no delegate code
  std::vector<std::string> ignored;    // not .jpg/.jpeg/.png, or in a folder inside a delegate's folder
};

// .jpg, .jpeg or .png in any letter case.
bool isPhotoFileName(std::string_view name);

// The roster code a top-level photo's file name stands for: its name without the extension is
// the code, or the code followed by "_N" or "-N" (N digits). `codesLongestFirst` as sorted by
// sortCodesLongestFirst().
std::optional<std::string> codeForFileName(std::string_view fileName, const std::vector<std::string>& codesLongestFirst);
std::vector<std::string> sortCodesLongestFirst(std::vector<std::string> codes);

// `relativePaths` as listPhotoDirectory() gives them: "name" at the top, "folder/name" one level down.
PhotoMatch matchPhotos(const std::vector<std::string>& relativePaths, const std::vector<std::string>& codes);

// The regular files of `dir` and of its folders, one level down ("folder/name"; deeper as
// "folder/sub/..."), sorted; hidden files and folders (".DS_Store", ".thumbnails") left out.
std::variant<std::vector<std::string>, CliError> listPhotoDirectory(const std::string& dir);

// "0:42", "12:05", "1:02:03".
std::string durationText(std::chrono::seconds duration);

// "[37/500] HN-001 · 3 ảnh · đã chạy 1:02 · còn khoảng 8:15" (no estimate before the first reply).
std::string enrollProgressLine(std::size_t index, std::size_t total, std::string_view code, std::size_t photos,
                               std::chrono::seconds elapsed, std::optional<std::chrono::seconds> remaining);

// What is left, from the photos done so far (the server's time is per photo): nothing before the first.
std::optional<std::chrono::seconds> estimateRemaining(std::chrono::milliseconds elapsed, std::size_t photosDone,
                                                      std::size_t photosLeft);

}  // namespace daihoi::cli
