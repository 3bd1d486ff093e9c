#include "faceid/matcher.hpp"

#include <algorithm>
#include <cmath>

namespace daihoi::faceid {

Descriptor meanDescriptor(std::span<const Descriptor> descriptors) {
  Descriptor mean{};
  if (descriptors.empty()) return mean;
  for (const auto& d : descriptors)
    for (std::size_t i = 0; i < kDescriptorSize; ++i) mean[i] += d[i];
  const float n = static_cast<float>(descriptors.size());
  for (auto& v : mean) v /= n;
  return mean;
}

void Gallery::reserve(std::size_t delegates) {
  ids_.reserve(delegates);
  data_.reserve(delegates * kDescriptorSize);
  index_.reserve(delegates);
}

void Gallery::upsert(DelegateId id, const Descriptor& descriptor) {
  auto [it, inserted] = index_.try_emplace(id, ids_.size());
  if (inserted) {
    ids_.push_back(id);
    data_.insert(data_.end(), descriptor.begin(), descriptor.end());
  } else {
    std::copy(descriptor.begin(), descriptor.end(), data_.begin() + it->second * kDescriptorSize);
  }
}

bool Gallery::remove(DelegateId id) {
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  const std::size_t row = it->second, last = ids_.size() - 1;
  index_.erase(it);
  if (row != last) {
    ids_[row] = ids_[last];
    std::copy_n(data_.begin() + last * kDescriptorSize, kDescriptorSize,
                data_.begin() + row * kDescriptorSize);
    index_[ids_[row]] = row;
  }
  ids_.pop_back();
  data_.resize(last * kDescriptorSize);
  return true;
}

void Gallery::clear() {
  ids_.clear();
  data_.clear();
  index_.clear();
}

std::optional<Descriptor> Gallery::descriptorOf(DelegateId id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  Descriptor d;
  std::copy_n(data_.begin() + it->second * kDescriptorSize, kDescriptorSize, d.begin());
  return d;
}

Match Gallery::search(const Descriptor& probe, std::optional<DelegateId> exclude) const {
  const std::size_t n = ids_.size();
  const float* rows = data_.data();
  const float* p = probe.data();
  float best = kNoDistance, second = kNoDistance;
  std::size_t bestRow = n, secondRow = n;
  for (std::size_t r = 0; r < n; ++r) {
    const float d = squaredDistance(rows + r * kDescriptorSize, p);
    if (d < second) {
      if (exclude && ids_[r] == *exclude) continue;
      if (d < best) {
        second = best;
        secondRow = bestRow;
        best = d;
        bestRow = r;
      } else {
        second = d;
        secondRow = r;
      }
    }
  }
  Match m;
  if (bestRow < n) {
    m.found = true;
    m.id = ids_[bestRow];
    m.distance = std::sqrt(best);
  }
  if (secondRow < n) {
    m.hasSecond = true;
    m.secondId = ids_[secondRow];
    m.secondDistance = std::sqrt(second);
  }
  return m;
}

std::optional<float> Gallery::distanceTo(DelegateId id, const Descriptor& probe) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return std::sqrt(squaredDistance(data_.data() + it->second * kDescriptorSize, probe.data()));
}

std::string_view outcomeCode(Outcome outcome) {
  switch (outcome) {
    case Outcome::Recognised: return "recognised";
    case Outcome::Ambiguous: return "ambiguous";
    case Outcome::Unknown: return "unknown";
  }
  return "unknown";
}

Decision decide(const Match& match, const MatchOptions& options) {
  Decision d;
  d.match = match;
  if (!match.found || !(match.distance <= options.threshold)) {
    d.outcome = Outcome::Unknown;
  } else if (match.hasSecond && !(match.secondDistance - match.distance >= options.margin)) {
    d.outcome = Outcome::Ambiguous;
  } else {
    d.outcome = Outcome::Recognised;
  }
  return d;
}

Verification verify(const Gallery& gallery, DelegateId claimed, const Descriptor& probe,
                    const VerifyOptions& options) {
  Verification v;
  const auto distance = gallery.distanceTo(claimed, probe);
  if (!distance) return v;
  v.enrolled = true;
  v.distance = *distance;
  if (options.refuseIfOtherNearer) {
    const Match other = gallery.search(probe, claimed);
    if (other.found && other.distance < v.distance) {
      v.nearerOther = other.id;
      v.nearerOtherDistance = other.distance;
    }
  }
  v.accepted = v.distance <= options.threshold && !v.nearerOther;
  return v;
}

FrameAggregator::FrameAggregator(const Gallery& gallery, MatchOptions match, AggregateOptions options)
    : gallery_(gallery), match_(match), options_(options) {
  options_.frames = std::max(1, options_.frames);
  options_.maxFrames = std::max(options_.frames, options_.maxFrames);
}

void FrameAggregator::reset() {
  frames_.clear();
  decisions_.clear();
  seen_ = 0;
}

std::optional<Decision> FrameAggregator::finish(Decision decision) {
  reset();
  return decision;
}

std::optional<Decision> FrameAggregator::add(const Descriptor& descriptor) {
  if (!frames_.empty()) {
    const Descriptor mean = meanDescriptor(std::vector<Descriptor>(frames_.begin(), frames_.end()));
    if (distance(mean, descriptor) > options_.maxSpread) reset();  // someone else now
  }
  const auto window = static_cast<std::size_t>(options_.frames);
  frames_.push_back(descriptor);
  if (frames_.size() > window) frames_.pop_front();
  ++seen_;

  if (options_.mode == AggregateMode::MeanDescriptor) {
    if (frames_.size() < window) return std::nullopt;
    Decision d = identify(gallery_, meanDescriptor(std::vector<Descriptor>(frames_.begin(), frames_.end())), match_);
    d.frames = static_cast<int>(frames_.size());
    if (d.recognised() || seen_ >= options_.maxFrames) return finish(d);
    return std::nullopt;
  }

  // ConsecutiveIdentity
  decisions_.push_back(identify(gallery_, descriptor, match_));
  if (decisions_.size() > window) decisions_.pop_front();
  if (decisions_.size() == window) {
    const DelegateId id = decisions_.front().match.id;
    const bool same = std::all_of(decisions_.begin(), decisions_.end(), [&](const Decision& d) {
      return d.recognised() && d.match.id == id;
    });
    if (same) {
      // Report the least convincing of the agreeing frames.
      Decision worst = *std::max_element(decisions_.begin(), decisions_.end(),
          [](const Decision& a, const Decision& b) { return a.match.distance < b.match.distance; });
      worst.frames = static_cast<int>(window);
      return finish(worst);
    }
  }
  if (seen_ >= options_.maxFrames) {
    Decision d = identify(gallery_, meanDescriptor(std::vector<Descriptor>(frames_.begin(), frames_.end())), match_);
    const bool anyCandidate = std::any_of(decisions_.begin(), decisions_.end(),
        [](const Decision& x) { return x.outcome != Outcome::Unknown; });
    d.outcome = anyCandidate ? Outcome::Ambiguous : Outcome::Unknown;
    d.frames = static_cast<int>(frames_.size());
    return finish(d);
  }
  return std::nullopt;
}

}  // namespace daihoi::faceid
