#include "faceid/roster_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace daihoi::faceid {
namespace {

// The operating threshold stays within these whatever the roster says: below
// 0.35 a delegate's own live frames (0.3–0.4 from the enrolled mean) are refused
// too often; above 0.50 a 1:N search accepts strangers (matcher.hpp).
constexpr float kLowestThreshold = 0.35f;
constexpr float kHighestThreshold = 0.50f;
// The share of delegates whose nearest other may come closer than threshold + margin.
constexpr float kNearestPercentile = 0.05f;

}  // namespace

// Every pair once, O(n²) over the gallery's contiguous rows: 5,000 delegates are
// 12.5 million distances, about 0.2 s in a Release build on one core of an AMD
// EPYC (roster_analysis_test.cpp measures it). The organizer runs it after an
// enrollment, not per frame, so no index is needed.
RosterAnalysis analyseRoster(const Gallery& gallery, float lookAlikeLimit, float margin) {
  RosterAnalysis out;
  const std::size_t n = gallery.size();
  const auto ids = gallery.ids();
  const float* rows = gallery.data().data();
  std::vector<float> best(n, kNoDistance);  // squared, to the nearest other
  std::vector<std::size_t> bestRow(n, n);
  const float limit2 = lookAlikeLimit * lookAlikeLimit;
  for (std::size_t i = 0; i < n; ++i) {
    const float* a = rows + i * kDescriptorSize;
    for (std::size_t j = i + 1; j < n; ++j) {
      const float d = squaredDistance(a, rows + j * kDescriptorSize);
      if (d < best[i]) {
        best[i] = d;
        bestRow[i] = j;
      }
      if (d < best[j]) {
        best[j] = d;
        bestRow[j] = i;
      }
      if (d < limit2) {
        const auto [lo, hi] = std::minmax(ids[i], ids[j]);
        out.lookAlikes.push_back(LookAlikePair{lo, hi, std::sqrt(d)});
      }
    }
  }
  std::sort(out.lookAlikes.begin(), out.lookAlikes.end(), [](const LookAlikePair& x, const LookAlikePair& y) {
    return std::tie(x.distance, x.a, x.b) < std::tie(y.distance, y.a, y.b);
  });

  out.nearest.reserve(n);
  std::vector<float> distances;
  distances.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    NearestOther e;
    e.id = ids[i];
    if (bestRow[i] < n) {
      e.other = ids[bestRow[i]];
      e.distance = std::sqrt(best[i]);
      distances.push_back(e.distance);
    }
    out.nearest.push_back(e);
  }

  // The threshold. A face accepted at threshold t lies within t of its delegate A.
  // For the rule (best ≤ t, next ≥ best + margin) to tell A from its nearest other
  // delegate B, B must lie farther than t + margin from such a face. Live frames lie
  // near their own delegate's mean, so B is about d(A, B) away from them: t + margin
  // ≤ d(A, B) must hold for nearly every delegate, i.e. t = P5(nearest-other) −
  // margin. (A face half way between A and B is caught at run time as Ambiguous.)
  // The 5th percentile by nearest rank; rounded down to 0.01 so that the
  // organizer sees a plain figure that never exceeds what the roster allows.
  if (distances.size() >= 2) {
    std::sort(distances.begin(), distances.end());
    const auto rank = static_cast<std::size_t>(std::ceil(kNearestPercentile * static_cast<float>(distances.size())));
    const float p5 = distances[std::max<std::size_t>(rank, 1) - 1];
    const float t = std::clamp(p5 - margin, kLowestThreshold, kHighestThreshold);
    out.recommendedThreshold = std::floor(t * 100 + 1e-3f) / 100;  // 1e-3: 0.45f is 0.4499999…
  }
  return out;
}

}  // namespace daihoi::faceid
