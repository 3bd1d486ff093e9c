#pragma once
// A face descriptor: the 128-D output of dlib's face recognition ResNet.
// Two faces of the same person are close in Euclidean distance.
#include <array>
#include <cmath>
#include <cstddef>

namespace daihoi::faceid {

inline constexpr std::size_t kDescriptorSize = 128;
using Descriptor = std::array<float, kDescriptorSize>;

// Squared Euclidean distance of two rows of kDescriptorSize floats, written with
// eight independent accumulators so that the compiler vectorises it without -ffast-math.
inline float squaredDistance(const float* a, const float* b) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (std::size_t i = 0; i < kDescriptorSize; i += 8) {
    for (std::size_t j = 0; j < 8; ++j) {
      const float d = a[i + j] - b[i + j];
      acc[j] += d * d;
    }
  }
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

inline float distance(const Descriptor& a, const Descriptor& b) {
  float sum = 0;
  for (std::size_t i = 0; i < kDescriptorSize; ++i) {
    const float d = a[i] - b[i];
    sum += d * d;
  }
  return std::sqrt(sum);
}

}  // namespace daihoi::faceid
