#pragma once
// The face models on disk and the descriptor network. The network's dlib type
// (a heavy template) lives in one translation unit, face_model.cpp; this
// header shows only dlib's image types.
#include <dlib/matrix.h>
#include <dlib/pixel.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "faceid/descriptor.hpp"

namespace daihoi::faceid {

// Where the models are and what they must hash to.
struct ModelFiles {
  std::string landmarks;    // shape_predictor_68_face_landmarks.dat (Debian's libdlib-data)
  std::string descriptors;  // dlib_face_recognition_resnet_model_v1.dat, converted by set-up under models/
  // Default locations: DAIHOI_MODELS_DIR, else <source dir>/models; landmarks from /usr/share/dlib.
  static ModelFiles defaults();
};

// Nothing when both files exist and match their recorded SHA-256 (models/*.sha256
// beside each file, or the checksums compiled in); otherwise what is wrong, in
// words an operator can act on ("… missing: run deploy/daihoi demo to convert it").
std::optional<std::string> modelProblem(const ModelFiles& files);

// The descriptor network. Not thread-safe: one per worker thread (about 25 MB).
class DescriptorNet {
 public:
  // Throws std::runtime_error with a clear message when the file is missing or unreadable.
  static std::unique_ptr<DescriptorNet> load(const std::string& path);
  ~DescriptorNet();
  DescriptorNet(const DescriptorNet&) = delete;
  DescriptorNet& operator=(const DescriptorNet&) = delete;

  // Aligned 150×150 RGB chips (dlib::get_face_chip_details(shape, 150, 0.25)) to descriptors.
  std::vector<Descriptor> describe(const std::vector<dlib::matrix<dlib::rgb_pixel>>& chips);
  Descriptor describe(const dlib::matrix<dlib::rgb_pixel>& chip);

 private:
  struct Impl;
  explicit DescriptorNet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- Building the model file (used by the converter, models/convert) ----

// The descriptor network holds 5,614,592 parameters in 59 layers.
inline constexpr std::size_t kDescriptorNetParameters = 5'614'592;

// One layer of the network that has parameters, in forward order (input first).
struct ParameterLayer {
  enum class Kind { convolution, affine, fully_connected };
  Kind kind;
  // convolution: `outputs` filters of `inputs` channels × rows × columns, laid out
  //   ((o·inputs + k)·rows + y)·columns + x, then `outputs` biases;
  // affine (per channel): `outputs` scales (gamma), then `outputs` shifts (beta);
  // fully_connected: an inputs × outputs matrix, index i·outputs + o, no biases.
  long outputs = 0, inputs = 0, rows = 0, columns = 0;
  std::span<float> weights;
  std::span<float> biases;  // empty for fully_connected
};

// Builds a fresh network, lets `fill` set every parameter (59 layers in forward
// order) and writes the network to `path` in dlib's format. The output depends
// only on what `fill` writes. Throws std::runtime_error on failure (the file is
// written to a temporary name and renamed, so `path` is never left half-written).
void writeDescriptorNet(const std::string& path, const std::function<void(std::span<ParameterLayer>)>& fill);

}  // namespace daihoi::faceid
