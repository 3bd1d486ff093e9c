// The face models: checksums, loading, and the converted descriptor network on
// real photos (../shared/faces/people, when present).
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "faceid/face_model.hpp"

namespace fs = std::filesystem;
using namespace daihoi::faceid;

namespace {

// A fresh directory under the build tree's temp area, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("daihoi-faceid-model-test-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name, const std::string& contents) const {
    const fs::path p = path / name;
    std::ofstream(p, std::ios::binary) << contents;
    return p.string();
  }
};

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string facesDir() {
  if (const char* env = std::getenv("DAIHOI_SHARED_FACES"); env && *env) return env;
  return DAIHOI_SHARED_FACES;
}

// The descriptor network is loaded once for all test cases (about 25 MB).
DescriptorNet& sharedNet() {
  static std::unique_ptr<DescriptorNet> net = DescriptorNet::load(ModelFiles::defaults().descriptors);
  return *net;
}

dlib::matrix<dlib::rgb_pixel> grayChip(unsigned char level) {
  dlib::matrix<dlib::rgb_pixel> chip(150, 150);
  chip = dlib::rgb_pixel(level, level, level);
  return chip;
}

struct Run {
  int status = -1;
  std::string err;
};

// Runs the converter on DIR, writing OUTPUT; returns its exit status and stderr.
Run convert(const TempDir& tmp, const fs::path& dir, const fs::path& output) {
  const fs::path err = tmp.path / "converter-stderr.txt";
  const std::string command = std::string("'") + DAIHOI_CONVERTER + "' '" + dir.string() + "' '" + output.string() +
                              "' >/dev/null 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, readFile(err.string())};
}

fs::path packageModelDir() { return DAIHOI_FACE_API_MODEL_DIR; }

// The largest side of the copy the HOG detector scans (env DAIHOI_TEST_DETECT_SIZE).
const double kDetectSize = [] {
  const char* env = std::getenv("DAIHOI_TEST_DETECT_SIZE");
  return env && *env ? std::atof(env) : 640.0;
}();

}  // namespace

TEST_CASE("the default model files are present and match their recorded checksums") {
  const ModelFiles files = ModelFiles::defaults();
  INFO("landmarks: " << files.landmarks << ", descriptors: " << files.descriptors);
  const auto problem = modelProblem(files);
  CHECK_MESSAGE(!problem, (problem ? *problem : std::string()));
}

TEST_CASE("modelProblem names a missing file and what to do") {
  TempDir dir;
  ModelFiles files = ModelFiles::defaults();
  files.descriptors = (dir.path / "dlib_face_recognition_resnet_model_v1.dat").string();
  const auto problem = modelProblem(files);
  REQUIRE(problem);
  CHECK(problem->find("face descriptor model missing") != std::string::npos);
  CHECK(problem->find(files.descriptors) != std::string::npos);
  CHECK(problem->find("deploy/daihoi") != std::string::npos);
  CHECK(problem->find("landmark") == std::string::npos);  // the landmark model is fine

  files = ModelFiles::defaults();
  files.landmarks = (dir.path / "shape_predictor_68_face_landmarks.dat").string();
  const auto landmarks = modelProblem(files);
  REQUIRE(landmarks);
  CHECK(landmarks->find("face landmark model missing") != std::string::npos);
  CHECK(landmarks->find("libdlib-data") != std::string::npos);
}

TEST_CASE("modelProblem refuses a file whose checksum does not match") {
  TempDir dir;
  ModelFiles files = ModelFiles::defaults();

  SUBCASE("against the checksum compiled in (no .sha256 beside the file)") {
    files.descriptors = dir.file("dlib_face_recognition_resnet_model_v1.dat", "not a model");
  }
  SUBCASE("against the .sha256 beside the file") {
    files.descriptors = dir.file("model.dat", "not a model either");
    dir.file("model.dat.sha256", std::string(64, 'a') + "  model.dat\n");
  }
  SUBCASE("a damaged copy of the real model with the real .sha256 beside it") {
    std::string bytes = readFile(ModelFiles::defaults().descriptors);
    REQUIRE(bytes.size() > 1000);
    bytes[bytes.size() / 2] ^= 1;
    files.descriptors = dir.file("damaged.dat", bytes);
    dir.file("damaged.dat.sha256", readFile(ModelFiles::defaults().descriptors + ".sha256"));
  }
  const auto problem = modelProblem(files);
  REQUIRE(problem);
  CHECK(problem->find("SHA-256") != std::string::npos);
  CHECK(problem->find("damaged or not the expected model") != std::string::npos);
}

TEST_CASE("modelProblem accepts a good copy with its .sha256 beside it") {
  TempDir dir;
  ModelFiles files = ModelFiles::defaults();
  const std::string bytes = readFile(files.descriptors);
  const std::string hex = readFile(files.descriptors + ".sha256").substr(0, 64);
  files.descriptors = dir.file("copy.dat", bytes);
  dir.file("copy.dat.sha256", hex + "  copy.dat\n");
  const auto problem = modelProblem(files);
  CHECK_MESSAGE(!problem, (problem ? *problem : std::string()));
  // A malformed .sha256 is a problem of its own.
  dir.file("copy.dat.sha256", "not-a-checksum\n");
  const auto malformed = modelProblem(files);
  REQUIRE(malformed);
  CHECK(malformed->find("not a SHA-256") != std::string::npos);
}

TEST_CASE("DescriptorNet::load throws a clear error on a missing or corrupt file") {
  TempDir dir;
  const auto loadError = [](const std::string& path) -> std::string {
    try {
      DescriptorNet::load(path);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "(no exception)";
  };
  const std::string missing = loadError((dir.path / "missing.dat").string());
  CHECK(missing.find("face descriptor model missing") != std::string::npos);

  const std::string empty = loadError(dir.file("empty.dat", ""));
  CHECK(empty.find("not a valid dlib face recognition network") != std::string::npos);

  const std::string garbage = loadError(dir.file("garbage.dat", std::string(4096, '\x7f')));
  CHECK(garbage.find("not a valid dlib face recognition network") != std::string::npos);

  const std::string model = readFile(ModelFiles::defaults().descriptors);
  REQUIRE(model.size() > 1'000'000);
  const std::string truncated = loadError(dir.file("truncated.dat", model.substr(0, model.size() / 2)));
  CHECK(truncated.find("not a valid dlib face recognition network") != std::string::npos);

  // A dlib file of another kind (the landmark model's first bytes are a shape predictor).
  const std::string other = loadError(dir.file("other.dat", readFile(ModelFiles::defaults().landmarks).substr(0, 1 << 16)));
  CHECK(other.find("not a valid dlib face recognition network") != std::string::npos);

  CHECK_THROWS_AS(DescriptorNet::load(dir.path.string()), std::runtime_error);  // a directory
}

TEST_CASE("the converted network gives finite, deterministic descriptors") {
  DescriptorNet& net = sharedNet();
  const Descriptor a = net.describe(grayChip(90));
  const Descriptor b = net.describe(grayChip(90));
  CHECK(std::all_of(a.begin(), a.end(), [](float v) { return std::isfinite(v); }));
  CHECK(distance(a, b) == 0.0f);
  const auto batch = net.describe(std::vector{grayChip(90), grayChip(200)});
  REQUIRE(batch.size() == 2);
  CHECK(distance(batch[0], a) < 1e-4f);
  CHECK(distance(batch[1], a) > 0.0f);
  CHECK(net.describe(std::vector<dlib::matrix<dlib::rgb_pixel>>{}).empty());

  dlib::matrix<dlib::rgb_pixel> wrong(100, 150);
  wrong = dlib::rgb_pixel(0, 0, 0);
  CHECK_THROWS_AS(net.describe(wrong), std::invalid_argument);
}

TEST_CASE("same person close, different people far (../shared/faces/people, 68-point alignment)") {
  const fs::path people = fs::path(facesDir()) / "people";
  if (!fs::is_directory(people)) {
    MESSAGE("SKIPPED: " << people.string()
                        << " is absent, so the converted model is not checked on real faces "
                           "(set DAIHOI_SHARED_FACES to the shared faces folder)");
    return;
  }
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  };
  auto start = Clock::now();
  dlib::shape_predictor landmarks;
  dlib::deserialize(ModelFiles::defaults().landmarks) >> landmarks;
  const double landmarkLoad = seconds(start);
  dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  DescriptorNet& net = sharedNet();

  struct Face {
    std::string identity, file;
    Descriptor descriptor;
  };
  std::vector<Face> faces;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(people))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  double decodeSeconds = 0, detectSeconds = 0, alignSeconds = 0, describeSeconds = 0;

  for (const fs::path& file : files) {
    start = Clock::now();
    dlib::matrix<dlib::rgb_pixel> image;
    dlib::load_image(image, file.string());
    decodeSeconds += seconds(start);
    start = Clock::now();
    // Detect on a copy at most kDetectSize px wide (HOG cost grows with the area), then take the
    // landmarks and the chip from the full image.
    const double scale = std::min(1.0, kDetectSize / static_cast<double>(std::max(image.nc(), image.nr())));
    dlib::matrix<dlib::rgb_pixel> small(static_cast<long>(image.nr() * scale), static_cast<long>(image.nc() * scale));
    dlib::resize_image(image, small);
    std::vector<dlib::rectangle> boxes = detector(small);
    double used = scale;
    if (boxes.empty()) {  // small faces: once more, upsampled
      MESSAGE("no face at " << kDetectSize << " px in " << file.string() << ": upsampling");
      dlib::pyramid_up(small);
      used *= 2;
      boxes = detector(small);
    }
    INFO(file.string());
    REQUIRE_MESSAGE(!boxes.empty(), "no face found in " << file.string());
    const dlib::rectangle box =
        *std::max_element(boxes.begin(), boxes.end(), [](auto& a, auto& b) { return a.area() < b.area(); });
    const dlib::rectangle full(static_cast<long>(box.left() / used), static_cast<long>(box.top() / used),
                               static_cast<long>(box.right() / used), static_cast<long>(box.bottom() / used));
    detectSeconds += seconds(start);
    start = Clock::now();
    const dlib::full_object_detection shape = landmarks(image, full);
    dlib::matrix<dlib::rgb_pixel> chip;
    dlib::extract_image_chip(image, dlib::get_face_chip_details(shape, 150, 0.25), chip);
    alignSeconds += seconds(start);
    start = Clock::now();
    faces.push_back({file.parent_path().filename().string(), file.filename().string(), net.describe(chip)});
    describeSeconds += seconds(start);
  }
  REQUIRE(faces.size() >= 2);
  const double n = static_cast<double>(faces.size());
  MESSAGE(faces.size() << " faces; landmark model loaded in " << landmarkLoad << " s; per photo: decode "
                       << 1000 * decodeSeconds / n << " ms, detect " << 1000 * detectSeconds / n << " ms, align "
                       << 1000 * alignSeconds / n << " ms, descriptor " << 1000 * describeSeconds / n << " ms");

  float maxSame = 0, minDifferent = 10;
  std::string worstSame, worstDifferent;
  for (std::size_t i = 0; i < faces.size(); ++i)
    for (std::size_t j = i + 1; j < faces.size(); ++j) {
      const float d = distance(faces[i].descriptor, faces[j].descriptor);
      const std::string pair = faces[i].identity + "/" + faces[i].file + " vs " + faces[j].identity + "/" +
                               faces[j].file + ": " + std::to_string(d);
      if (std::getenv("DAIHOI_PRINT_DISTANCES")) MESSAGE(pair);
      if (faces[i].identity == faces[j].identity) {
        CHECK_MESSAGE(d < 0.55f, "same person too far apart: " << pair);
        if (d > maxSame) maxSame = d, worstSame = pair;
      } else {
        CHECK_MESSAGE(d > 0.65f, "different people too close: " << pair);
        if (d < minDifferent) minDifferent = d, worstDifferent = pair;
      }
    }
  CHECK(maxSame < minDifferent);
  MESSAGE("largest same-person distance " << worstSame);
  MESSAGE("smallest different-person distance " << worstDifferent);
}

TEST_CASE("the converter refuses weights that do not have the expected layout") {
  TempDir tmp;
  const fs::path dir = tmp.path / "model";
  fs::create_directories(dir);
  const fs::path output = tmp.path / "out.dat";
  const auto manifest = [&](const nlohmann::json& j) {
    std::ofstream(dir / "face_recognition_model-weights_manifest.json") << j.dump();
  };
  const auto shard = [&](std::size_t bytes) { std::ofstream(dir / "w.bin", std::ios::binary) << std::string(bytes, '\0'); };
  const auto group = [](nlohmann::json weights, std::string path = "w.bin") {
    return nlohmann::json::array({{{"paths", {path}}, {"weights", std::move(weights)}}});
  };
  const nlohmann::json first = {{"name", "conv32_down/conv/filters"}, {"shape", {7, 7, 3, 32}}, {"dtype", "float32"}};
  std::string expected;

  SUBCASE("not JSON") {
    std::ofstream(dir / "face_recognition_model-weights_manifest.json") << "{not json";
    expected = "not valid JSON";
  }
  SUBCASE("no manifest at all") { expected = "cannot read"; }
  SUBCASE("too few tensors") {
    manifest(group({first}));
    shard(7 * 7 * 3 * 32 * 4);
    expected = "the manifest has 1 tensors, expected 117";
  }
  SUBCASE("a wrong shape") {
    nlohmann::json wrong = first;
    wrong["shape"] = {7, 7, 3, 16};
    manifest(group({wrong}));
    shard(7 * 7 * 3 * 16 * 4);
    expected = "tensor 0 is conv32_down/conv/filters [7,7,3,16], expected conv32_down/conv/filters [7,7,3,32]";
  }
  SUBCASE("a shard that ends too early") {
    manifest(group({first}));
    shard(100);
    expected = "the weight shards end inside tensor conv32_down/conv/filters";
  }
  SUBCASE("a quantisation it does not know") {
    nlohmann::json odd = first;
    odd["quantization"] = {{"dtype", "float16"}};
    manifest(group({odd}));
    shard(7 * 7 * 3 * 32 * 2);
    expected = "quantised as float16";
  }
  SUBCASE("a shard path outside the folder") {
    manifest(group({first}, "../w.bin"));
    expected = "unexpected shard path";
  }
  SUBCASE("the real manifest with a byte too many in the shard") {
    if (!fs::exists(packageModelDir() / "face_recognition_model.bin")) {
      MESSAGE("SKIPPED: " << packageModelDir().string() << " is absent (deploy/daihoi runs npm ci in models/)");
      return;
    }
    fs::copy_file(packageModelDir() / "face_recognition_model-weights_manifest.json",
                  dir / "face_recognition_model-weights_manifest.json");
    std::string bin = readFile((packageModelDir() / "face_recognition_model.bin").string());
    bin.push_back('\0');
    std::ofstream(dir / "face_recognition_model.bin", std::ios::binary) << bin;
    expected = "but the manifest describes";
  }
  const Run run = convert(tmp, dir, output);
  CHECK(run.status == 1);
  CHECK_MESSAGE(run.err.find("convert-face-model: refused: ") != std::string::npos, run.err);
  CHECK_MESSAGE(run.err.find(expected) != std::string::npos, run.err);
  CHECK(!fs::exists(output));
}

TEST_CASE("the converter reproduces the recorded model byte for byte") {
  if (!fs::exists(packageModelDir() / "face_recognition_model.bin")) {
    MESSAGE("SKIPPED: " << packageModelDir().string()
                        << " is absent, so the conversion is not repeated (deploy/daihoi runs npm ci in models/)");
    return;
  }
  TempDir tmp;
  const fs::path output = tmp.path / "dlib_face_recognition_resnet_model_v1.dat";
  const Run run = convert(tmp, packageModelDir(), output);
  REQUIRE_MESSAGE(run.status == 0, run.err);
  const std::string recorded = ModelFiles::defaults().descriptors;
  CHECK(readFile(output.string()) == readFile(recorded));
  // …and so it matches the recorded checksum when put beside it.
  fs::copy_file(recorded + ".sha256", output.string() + ".sha256");
  ModelFiles files = ModelFiles::defaults();
  files.descriptors = output.string();
  const auto problem = modelProblem(files);
  CHECK_MESSAGE(!problem, (problem ? *problem : std::string()));
}
