#pragma once
// A face descriptor: the 128-D output of dlib's face recognition ResNet.
// Two faces of the same person are close in Euclidean distance.
#include <array>
#include <cmath>
#include <cstddef>

namespace daihoi::faceid {

inline constexpr std::size_t kDescriptorSize = 128;
using Descriptor = std::array<float, kDescriptorSize>;

inline float distance(const Descriptor& a, const Descriptor& b) {
  float sum = 0;
  for (std::size_t i = 0; i < kDescriptorSize; ++i) {
    const float d = a[i] - b[i];
    sum += d * d;
  }
  return std::sqrt(sum);
}

}  // namespace daihoi::faceid
