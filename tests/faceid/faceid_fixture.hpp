#pragma once
// Shared helpers of the faceid tests: where ../shared/faces is, reading files,
// and one pipeline per test process (the models take a second to load).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faceid/face_model.hpp"
#include "faceid/pipeline.hpp"

namespace daihoi::faceid::test {

// ../shared/faces beside the repository (DAIHOI_FACES_DIR overrides), if present.
inline std::optional<std::filesystem::path> sharedFaces() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("DAIHOI_FACES_DIR"); env && *env) {
    dir = env;
  } else {
#ifdef DAIHOI_SHARED_FACES
    dir = DAIHOI_SHARED_FACES;
#endif
  }
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir / "people", ec)) return std::nullopt;
  return dir;
}

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Models {
  std::shared_ptr<const Landmarker> landmarker;
  std::unique_ptr<FacePipeline> pipeline;
  bool descriptors = false;
  std::string why;  // why descriptors are unavailable
};

// The landmark model must exist (libdlib-data is a build dependency); the
// descriptor model may not have been converted yet: then descriptor checks are skipped.
inline Models& models() {
  static Models m = [] {
    Models out;
    const ModelFiles files = ModelFiles::defaults();
    out.landmarker = Landmarker::load(files.landmarks);
    std::unique_ptr<DescriptorNet> net;
    std::error_code ec;
    if (std::filesystem::exists(files.descriptors, ec)) {
      try {
        net = DescriptorNet::load(files.descriptors);
      } catch (const std::exception& e) {
        out.why = e.what();
      }
    } else {
      out.why = files.descriptors + " is missing (deploy/daihoi converts it)";
    }
    out.descriptors = net != nullptr;
    out.pipeline = std::make_unique<FacePipeline>(out.landmarker, std::move(net));
    return out;
  }();
  return m;
}

inline FacePipeline& pipeline() { return *models().pipeline; }

}  // namespace daihoi::faceid::test

// Skips the rest of a test case, saying so, when ../shared/faces is absent.
#define DAIHOI_NEED_SHARED_FACES(var)                                                           \
  const auto var##_opt = ::daihoi::faceid::test::sharedFaces();                                 \
  if (!var##_opt) {                                                                             \
    MESSAGE("SKIPPED: ../shared/faces is absent (set DAIHOI_FACES_DIR); real-photo checks not run"); \
    return;                                                                                     \
  }                                                                                             \
  const std::filesystem::path var = *var##_opt

// Skips the rest of a test case, saying so, when the descriptor model is not there.
#define DAIHOI_NEED_DESCRIPTORS()                                                                \
  if (!::daihoi::faceid::test::models().descriptors) {                                          \
    MESSAGE("SKIPPED: no descriptor model: " << ::daihoi::faceid::test::models().why);           \
    return;                                                                                     \
  }
