#include "protocol/face_desk.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace daihoi::protocol {

namespace {
const std::vector<domain::EnrolledPhoto> kNoPhotos;

faceid::Descriptor meanOf(const std::vector<domain::EnrolledPhoto>& photos) {
  std::vector<faceid::Descriptor> descriptors;
  descriptors.reserve(photos.size());
  for (const auto& photo : photos) descriptors.push_back(photo.descriptor);
  return faceid::meanDescriptor(descriptors);
}
}  // namespace

FaceDesk::FaceDesk(FaceOptions options) : options_(std::move(options)), attemptSeed_(std::random_device{}()) {
  attemptSeed_ = (attemptSeed_ << 32) ^ std::random_device{}();
}

void FaceDesk::load(const domain::Roster& roster, std::vector<domain::FacesEnrolled> enrolled) {
  photos_.clear();
  for (auto& delegate : enrolled) {
    if (roster.findById(delegate.delegateId) == nullptr || delegate.photos.empty()) continue;
    photos_[delegate.delegateId] = std::move(delegate.photos);
  }
  rebuildGallery();
}

void FaceDesk::apply(const domain::Roster& roster, const domain::FacesEnrolled& change) {
  for (const auto& photo : change.photos) reservedOwner_.erase(photo.sha256);
  if (roster.findById(change.delegateId) == nullptr) return;
  if (auto old = photos_.find(change.delegateId); old != photos_.end()) {
    for (const auto& photo : old->second) photoOwner_.erase(photo.sha256);
  }
  if (change.photos.empty()) {
    photos_.erase(change.delegateId);
    gallery_.remove(change.delegateId);
    return;
  }
  photos_[change.delegateId] = change.photos;
  for (const auto& photo : change.photos) photoOwner_[photo.sha256] = change.delegateId;
  gallery_.upsert(change.delegateId, meanOf(change.photos));
}

void FaceDesk::rosterReplaced(const domain::Roster& oldRoster, const domain::Roster& newRoster) {
  std::map<std::uint32_t, std::vector<domain::EnrolledPhoto>> moved;
  for (auto& [oldId, photos] : photos_) {
    const domain::Delegate* before = oldRoster.findById(oldId);
    const domain::Delegate* after = before ? newRoster.findByCode(before->code) : nullptr;
    if (after != nullptr) moved[after->id] = std::move(photos);
  }
  photos_ = std::move(moved);
  reservedOwner_.clear();  // enrollments staged before the import fail (the roster changed)
  rebuildGallery();
  resetAttempts();  // an attempt may hold an id that now names someone else
}

const std::vector<domain::EnrolledPhoto>& FaceDesk::photosOf(std::uint32_t delegateId) const {
  auto it = photos_.find(delegateId);
  return it == photos_.end() ? kNoPhotos : it->second;
}

std::optional<std::uint32_t> FaceDesk::ownerOfPhoto(const std::string& sha256) const {
  if (auto it = reservedOwner_.find(sha256); it != reservedOwner_.end()) return it->second;
  if (auto it = photoOwner_.find(sha256); it != photoOwner_.end()) return it->second;
  return std::nullopt;
}

void FaceDesk::reservePhotos(std::uint32_t delegateId, const std::vector<domain::EnrolledPhoto>& photos) {
  for (const auto& photo : photos) reservedOwner_[photo.sha256] = delegateId;
}

const domain::EnrolledPhoto* FaceDesk::findPhoto(std::uint32_t delegateId, const std::string& sha256) const {
  for (const auto& photo : photosOf(delegateId)) {
    if (photo.sha256 == sha256) return &photo;
  }
  return nullptr;
}

void FaceDesk::rebuildGallery() {
  gallery_.clear();
  photoOwner_.clear();
  gallery_.reserve(photos_.size());
  for (const auto& [id, photos] : photos_) {
    gallery_.upsert(id, meanOf(photos));
    for (const auto& photo : photos) photoOwner_[photo.sha256] = id;
  }
}

void FaceDesk::resetAttempts() {
  for (auto& [connection, lane] : lanes_) {
    if (lane.attempt) lane.attempt->reset();
  }
}

bool FaceOptions::isAttended(const std::string& kiosk) const {
  return std::find(attendedKiosks.begin(), attendedKiosks.end(), kiosk) != attendedKiosks.end();
}

KioskLane& FaceDesk::laneFor(const std::shared_ptr<Connection>& connection, bool attended) {
  auto [it, inserted] = lanes_.try_emplace(connection.get());
  KioskLane& lane = it->second;
  // A lane left behind by a connection that lived at the same address starts afresh.
  if (!inserted && lane.connection.lock() != connection) {
    lane = KioskLane{};
    inserted = true;
  }
  if (inserted) {
    lane.connection = connection;
    faceid::AttemptOptions attempt = options_.attempt;
    if (attended) attempt.liveness.required = false;
    lane.attempt = std::make_unique<faceid::Attempt>(gallery_, attempt, attemptSeed_++);
    lane.tokens = options_.kioskBurstFrames;
  }
  return lane;
}

KioskLane* FaceDesk::findLane(const Connection* connection) {
  auto it = lanes_.find(connection);
  return it == lanes_.end() ? nullptr : &it->second;
}

void FaceDesk::forget(const Connection* connection) { lanes_.erase(connection); }

bool FaceDesk::admitFrame(KioskLane& lane, std::int64_t nowMs, std::uint32_t& retryAfterMs) {
  const double rate = options_.kioskFramesPerSecond;
  if (lane.refilledMs != 0 && nowMs > lane.refilledMs) {
    lane.tokens = std::min(options_.kioskBurstFrames, lane.tokens + rate * double(nowMs - lane.refilledMs) / 1000.0);
  }
  lane.refilledMs = nowMs;
  if (lane.tokens >= 1) {
    lane.tokens -= 1;
    return true;
  }
  retryAfterMs = static_cast<std::uint32_t>(std::ceil((1 - lane.tokens) * 1000.0 / rate));
  return false;
}

}  // namespace daihoi::protocol
