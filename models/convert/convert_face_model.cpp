// convert-face-model: dlib's face recognition ResNet from the TF.js weights of
// the npm package @vladmandic/face-api (pinned in models/package.json) into
// dlib's own model file, dlib_face_recognition_resnet_model_v1.dat.
//
//   convert-face-model MODEL_DIR OUTPUT
//
// MODEL_DIR holds face_recognition_model-weights_manifest.json and the weight
// shard(s) it names (node_modules/@vladmandic/face-api/model). The manifest
// must describe exactly the expected 117 tensors (names, shapes, 5,614,592
// values); anything else is refused with exit code 1. The output depends only
// on the input files, so its SHA-256 can be recorded (models/README.md).
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "faceid/face_model.hpp"

namespace {

namespace fs = std::filesystem;
using daihoi::faceid::ParameterLayer;

constexpr const char* kManifestName = "face_recognition_model-weights_manifest.json";

struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Expected {
  std::string name;
  std::vector<long> shape;
};

// The layout of face-api's face recognition model, in forward order: for every
// convolution its filters [rows, columns, inputs, outputs] (HWIO) and bias,
// then the scale (weights, biases) that dlib holds in the following affine layer.
std::vector<Expected> expectedLayout() {
  std::vector<Expected> layout;
  auto conv = [&](const std::string& prefix, long size, long in, long out) {
    layout.push_back({prefix + "conv/filters", {size, size, in, out}});
    layout.push_back({prefix + "conv/bias", {out}});
    layout.push_back({prefix + "scale/weights", {out}});
    layout.push_back({prefix + "scale/biases", {out}});
  };
  auto residual = [&](const std::string& name, long in, long out) {
    conv(name + "/conv1/", 3, in, out);
    conv(name + "/conv2/", 3, out, out);
  };
  conv("conv32_down/", 7, 3, 32);
  for (const char* name : {"conv32_1", "conv32_2", "conv32_3"}) residual(name, 32, 32);
  residual("conv64_down", 32, 64);
  for (const char* name : {"conv64_1", "conv64_2", "conv64_3"}) residual(name, 64, 64);
  residual("conv128_down", 64, 128);
  for (const char* name : {"conv128_1", "conv128_2"}) residual(name, 128, 128);
  residual("conv256_down", 128, 256);
  for (const char* name : {"conv256_1", "conv256_2"}) residual(name, 256, 256);
  residual("conv256_down_out", 256, 256);
  layout.push_back({"fc", {256, 128}});
  return layout;
}

std::string shapeText(const std::vector<long>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  s += ']';
  return s;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Refused("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Tensor {
  std::string name;
  std::vector<long> shape;
  std::vector<float> values;
  bool quantized = false;
};

// Reads the manifest and its shards, checks the layout, dequantises every tensor.
std::vector<Tensor> readWeights(const fs::path& dir) {
  const fs::path manifestPath = dir / kManifestName;
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(readFile(manifestPath));
  } catch (const nlohmann::json::exception& e) {
    throw Refused(manifestPath.string() + " is not valid JSON: " + e.what());
  }
  if (!manifest.is_array() || manifest.empty()) throw Refused(manifestPath.string() + ": expected a list of weight groups");

  const std::vector<Expected> layout = expectedLayout();
  std::vector<Tensor> tensors;
  std::size_t totalValues = 0;
  try {
    for (const auto& group : manifest) {
      std::string data;  // a group's weights lie across its shards, concatenated
      for (const auto& shard : group.at("paths")) {
        const std::string name = shard.get<std::string>();
        if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
          throw Refused("unexpected shard path in the manifest: " + name);
        data += readFile(dir / name);
      }
      std::size_t offset = 0;
      for (const auto& entry : group.at("weights")) {
        Tensor t;
        t.name = entry.at("name").get<std::string>();
        t.shape = entry.at("shape").get<std::vector<long>>();
        const std::size_t index = tensors.size();
        if (index >= layout.size())
          throw Refused("the manifest has more than the expected " + std::to_string(layout.size()) + " tensors (" +
                        t.name + ")");
        if (t.name != layout[index].name || t.shape != layout[index].shape)
          throw Refused("tensor " + std::to_string(index) + " is " + t.name + " " + shapeText(t.shape) + ", expected " +
                        layout[index].name + " " + shapeText(layout[index].shape));
        if (entry.at("dtype").get<std::string>() != "float32")
          throw Refused("tensor " + t.name + " has dtype " + entry.at("dtype").get<std::string>() + ", expected float32");
        std::size_t count = 1;
        for (long d : t.shape) count *= static_cast<std::size_t>(d);
        t.values.resize(count);
        const unsigned char* bytes = reinterpret_cast<const unsigned char*>(data.data()) + offset;
        std::size_t width = 4;
        if (entry.contains("quantization") && !entry.at("quantization").is_null()) {
          const auto& q = entry.at("quantization");
          const std::string qtype = q.at("dtype").get<std::string>();
          if (qtype != "uint8" && qtype != "uint16")
            throw Refused("tensor " + t.name + " is quantised as " + qtype + ", expected uint8 or uint16");
          width = qtype == "uint8" ? 1 : 2;
          if (offset + count * width > data.size()) throw Refused("the weight shards end inside tensor " + t.name);
          const double min = q.at("min").get<double>();
          const double scale = q.at("scale").get<double>();
          for (std::size_t i = 0; i < count; ++i) {
            const unsigned v = width == 1 ? bytes[i] : static_cast<unsigned>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
            t.values[i] = static_cast<float>(min + v * scale);
          }
          t.quantized = true;
        } else {
          if (offset + count * width > data.size()) throw Refused("the weight shards end inside tensor " + t.name);
          static_assert(sizeof(float) == 4);
          std::memcpy(t.values.data(), bytes, count * 4);  // little-endian float32, like this machine
        }
        offset += count * width;
        totalValues += count;
        tensors.push_back(std::move(t));
      }
      if (offset != data.size())
        throw Refused("the weight shards hold " + std::to_string(data.size()) + " bytes but the manifest describes " +
                      std::to_string(offset));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Refused(manifestPath.string() + " is not a TF.js weights manifest: " + e.what());
  }
  if (tensors.size() != layout.size())
    throw Refused("the manifest has " + std::to_string(tensors.size()) + " tensors, expected " +
                  std::to_string(layout.size()));
  if (totalValues != daihoi::faceid::kDescriptorNetParameters)
    throw Refused("the manifest has " + std::to_string(totalValues) + " values, expected " +
                  std::to_string(daihoi::faceid::kDescriptorNetParameters));
  return tensors;
}

void check(bool ok, const std::string& what) {
  if (!ok) throw Refused("the weights do not fit dlib's network: " + what);
}

// Copies the tensors into dlib's layers (both lists are in forward order).
void fill(std::span<ParameterLayer> layers, const std::vector<Tensor>& tensors) {
  std::size_t next = 0;
  auto take = [&]() -> const Tensor& {
    check(next < tensors.size(), "more layers than tensors");
    return tensors[next++];
  };
  for (const ParameterLayer& layer : layers) {
    switch (layer.kind) {
      case ParameterLayer::Kind::convolution: {
        const Tensor& filters = take();
        const Tensor& bias = take();
        const long R = filters.shape[0], C = filters.shape[1], K = filters.shape[2], N = filters.shape[3];
        check(layer.rows == R && layer.columns == C && layer.inputs == K && layer.outputs == N,
              filters.name + " " + shapeText(filters.shape) + " against a convolution of " +
                  std::to_string(layer.outputs) + " filters " + std::to_string(layer.rows) + "x" +
                  std::to_string(layer.columns) + "x" + std::to_string(layer.inputs));
        check(layer.weights.size() == filters.values.size() && layer.biases.size() == bias.values.size(),
              filters.name + ": parameter count");
        // TF.js HWIO ((y·C + x)·K + k)·N + o  →  dlib ((o·K + k)·R + y)·C + x
        for (long o = 0; o < N; ++o)
          for (long k = 0; k < K; ++k)
            for (long y = 0; y < R; ++y)
              for (long x = 0; x < C; ++x)
                layer.weights[static_cast<std::size_t>(((o * K + k) * R + y) * C + x)] =
                    filters.values[static_cast<std::size_t>(((y * C + x) * K + k) * N + o)];
        std::copy(bias.values.begin(), bias.values.end(), layer.biases.begin());
        break;
      }
      case ParameterLayer::Kind::affine: {
        const Tensor& gamma = take();
        const Tensor& beta = take();
        check(layer.weights.size() == gamma.values.size() && layer.biases.size() == beta.values.size(),
              gamma.name + " against an affine layer of " + std::to_string(layer.weights.size()) + " channels");
        std::copy(gamma.values.begin(), gamma.values.end(), layer.weights.begin());
        std::copy(beta.values.begin(), beta.values.end(), layer.biases.begin());
        break;
      }
      case ParameterLayer::Kind::fully_connected: {
        const Tensor& w = take();
        check(w.shape.size() == 2 && layer.inputs == w.shape[0] && layer.outputs == w.shape[1] &&
                  layer.weights.size() == w.values.size(),
              w.name + " " + shapeText(w.shape) + " against a fully connected layer " + std::to_string(layer.inputs) +
                  "x" + std::to_string(layer.outputs));
        std::copy(w.values.begin(), w.values.end(), layer.weights.begin());  // [inputs, outputs] in both
        break;
      }
    }
  }
  check(next == tensors.size(), std::to_string(tensors.size() - next) + " tensors left over");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--help") == 0) {
    std::cerr << "usage: convert-face-model MODEL_DIR OUTPUT\n"
                 "  MODEL_DIR  the model/ folder of the npm package @vladmandic/face-api\n"
                 "  OUTPUT     where to write dlib_face_recognition_resnet_model_v1.dat\n";
    return argc == 2 ? 0 : 1;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    const std::vector<Tensor> tensors = readWeights(argv[1]);
    std::size_t quantized = 0;
    for (const Tensor& t : tensors) quantized += t.quantized;
    std::size_t layerCount = 0;
    daihoi::faceid::writeDescriptorNet(argv[2], [&](std::span<ParameterLayer> layers) {
      layerCount = layers.size();
      fill(layers, tensors);
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "convert-face-model: " << tensors.size() << " tensors (" << quantized << " uint8/uint16-quantised, "
              << tensors.size() - quantized << " float32) into " << layerCount << " dlib layers, "
              << daihoi::faceid::kDescriptorNetParameters << " values, written to " << argv[2] << " in " << seconds
              << " s\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "convert-face-model: refused: " << e.what() << "\n";
    return 1;
  }
}
