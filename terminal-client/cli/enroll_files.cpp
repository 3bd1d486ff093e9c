#include "cli/enroll_files.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "cli/text.hpp"

namespace daihoi::cli {

namespace fs = std::filesystem;

namespace {

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view stemOf(std::string_view fileName) {
  const std::size_t dot = fileName.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? fileName : fileName.substr(0, dot);
}

// The roster code whose folded form is `folded`, if any.
std::optional<std::string> codeForFolder(std::string_view folder, const std::vector<std::string>& codes) {
  const std::string folded = foldCase(folder);
  for (const std::string& code : codes) {
    if (foldCase(code) == folded) {
      return code;
    }
  }
  return std::nullopt;
}

}  // namespace

bool isPhotoFileName(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return false;
  }
  std::string extension(name.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == "jpg" || extension == "jpeg" || extension == "png";
}

std::vector<std::string> sortCodesLongestFirst(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  return codes;
}

std::optional<std::string> codeForFileName(std::string_view fileName,
                                           const std::vector<std::string>& codesLongestFirst) {
  const std::string stem = foldCase(stemOf(fileName));
  for (const std::string& code : codesLongestFirst) {
    const std::string folded = foldCase(code);
    if (folded.empty() || stem.size() < folded.size() || stem.compare(0, folded.size(), folded) != 0) {
      continue;
    }
    if (stem.size() == folded.size()) {
      return code;
    }
    const char separator = stem[folded.size()];
    if ((separator == '_' || separator == '-') && allDigits(std::string_view(stem).substr(folded.size() + 1))) {
      return code;
    }
  }
  return std::nullopt;
}

PhotoMatch matchPhotos(const std::vector<std::string>& relativePaths, const std::vector<std::string>& codes) {
  const std::vector<std::string> sorted = sortCodesLongestFirst(codes);
  PhotoMatch match;
  for (const std::string& path : relativePaths) {
    const std::size_t slash = path.find('/');
    const std::string_view name = slash == std::string::npos ? std::string_view(path)
                                                             : std::string_view(path).substr(path.rfind('/') + 1);
    if (!isPhotoFileName(name)) {
      match.ignored.push_back(path);
      continue;
    }
    std::optional<std::string> code;
    if (slash == std::string::npos) {
      code = codeForFileName(name, sorted);
    } else if (path.find('/', slash + 1) != std::string::npos) {
      match.ignored.push_back(path);  // DIR/<CODE>/sub/photo.jpg: one level only
      continue;
    } else {
      code = codeForFolder(std::string_view(path).substr(0, slash), codes);
    }
    if (code) {
      match.byCode[*code].push_back(path);
    } else {
      match.unmatched.push_back(path);
    }
  }
  for (auto& [code, paths] : match.byCode) {
    std::sort(paths.begin(), paths.end());
  }
  std::sort(match.unmatched.begin(), match.unmatched.end());
  std::sort(match.ignored.begin(), match.ignored.end());
  return match;
}

std::variant<std::vector<std::string>, CliError> listPhotoDirectory(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return usageError("enroll needs a folder of photos: " + dir + " is not a readable folder");
  }
  std::vector<std::string> paths;
  const auto hidden = [](const fs::path& path) { return path.filename().string().rfind('.', 0) == 0; };
  fs::directory_iterator top(dir, fs::directory_options::skip_permission_denied, error);
  if (error) {
    return usageError("cannot read the folder " + dir + ": " + error.message());
  }
  for (const fs::directory_entry& entry : top) {
    if (hidden(entry.path())) {
      continue;
    }
    const std::string name = entry.path().filename().string();
    std::error_code kindError;
    if (entry.is_directory(kindError)) {
      fs::directory_iterator inner(entry.path(), fs::directory_options::skip_permission_denied, kindError);
      if (kindError) {
        paths.push_back(name + "/");  // unreadable: reported as ignored
        continue;
      }
      for (const fs::directory_entry& file : inner) {
        if (hidden(file.path())) {
          continue;
        }
        std::error_code innerError;
        const std::string relative = name + "/" + file.path().filename().string();
        paths.push_back(file.is_directory(innerError) ? relative + "/..." : relative);
      }
    } else if (entry.is_regular_file(kindError)) {
      paths.push_back(name);
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string durationText(std::chrono::seconds duration) {
  const auto total = std::max<std::int64_t>(duration.count(), 0);
  const auto hours = total / 3600;
  const auto minutes = total / 60 % 60;
  const auto seconds = total % 60;
  const auto two = [](std::int64_t value) {
    std::string text = std::to_string(value);
    if (value < 10) {
      text.insert(text.begin(), '0');
    }
    return text;
  };
  if (hours > 0) {
    return std::to_string(hours) + ":" + two(minutes) + ":" + two(seconds);
  }
  return std::to_string(minutes) + ":" + two(seconds);
}

std::string enrollProgressLine(std::size_t index, std::size_t total, std::string_view code, std::size_t photos,
                               std::chrono::seconds elapsed, std::optional<std::chrono::seconds> remaining) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::to_string(...).
  std::string line = "[";
  line += std::to_string(index);
  line += "/";
  line += std::to_string(total);
  line += "] ";
  line += terminalSafe(code);
  line += " · ";
  line += std::to_string(photos);
  line += " ảnh · đã chạy ";
  line += durationText(elapsed);
  if (remaining) {
    line += " · còn khoảng " + durationText(*remaining);
  }
  return line;
}

std::optional<std::chrono::seconds> estimateRemaining(std::chrono::milliseconds elapsed, std::size_t photosDone,
                                                      std::size_t photosLeft) {
  if (photosDone == 0) {
    return std::nullopt;
  }
  const double perPhoto = static_cast<double>(elapsed.count()) / static_cast<double>(photosDone);
  return std::chrono::seconds{static_cast<std::int64_t>(perPhoto * static_cast<double>(photosLeft) / 1000.0 + 0.5)};
}

}  // namespace daihoi::cli
