#pragma once
// What the enrolled faces of a whole roster say: each delegate's nearest other
// delegate, the look-alike pairs an organizer should check (twins, relatives, a
// wrong photo), and an operating threshold recommended from the roster itself.
#include <vector>

#include "faceid/matcher.hpp"

namespace daihoi::faceid {

struct NearestOther {
  DelegateId id = 0;
  DelegateId other = 0;          // 0 when the delegate is the only one enrolled
  float distance = kNoDistance;
};

struct LookAlikePair {
  DelegateId a = 0;  // a < b
  DelegateId b = 0;
  float distance = 0;
};

struct RosterAnalysis {
  std::vector<NearestOther> nearest;       // one per enrolled delegate, in gallery order
  std::vector<LookAlikePair> lookAlikes;   // closer than the limit, nearest first
  // From the distribution of nearest-other distances: low enough that a face
  // accepted for one delegate stays clear of every other (see roster_analysis.cpp).
  // 0 with fewer than two delegates enrolled.
  float recommendedThreshold = 0;
};

RosterAnalysis analyseRoster(const Gallery& gallery, float lookAlikeLimit = 0.5f, float margin = 0.07f);

}  // namespace daihoi::faceid
