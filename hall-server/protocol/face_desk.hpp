#pragma once
// The hall's Face ID state, on the network thread: the enrolled faces (as the
// committed state knows them) in a 1:N gallery, and one lane per kiosk
// connection with its check-in attempt and its frames in flight.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "daihoi.pb.h"
#include "domain/changes.hpp"
#include "domain/model.hpp"
#include "faceid/attempt.hpp"
#include "faceid/matcher.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;
class Connection;

struct FaceOptions {
  faceid::AttemptOptions attempt;
  // Pairs of different delegates closer than this are listed for an organizer to check.
  float lookAlikeLimit = 0.5f;
  // A face check-in's thumbnail is kept this long, for disputes; 0 keeps none.
  std::int64_t thumbnailRetentionMs = 30LL * 24 * 3600 * 1000;
  // The congress may keep the face of failed attempts too (same retention); off by default.
  bool keepFailedAttempts = false;
  // Kiosk frames per second allowed (token bucket of `kioskBurstFrames`).
  double kioskFramesPerSecond = 20;
  double kioskBurstFrames = 40;
  std::size_t maxEnrollPhotos = 10;  // per EnrollFaces request
  // Kiosks (device names) where an usher checks every person: no liveness
  // needed there (docs/SECURITY.md). Every other kiosk follows attempt.liveness.
  std::vector<std::string> attendedKiosks;
  bool isAttended(const std::string& kiosk) const;
};

// One kiosk connection: at most one frame being analysed and one waiting;
// a newer frame replaces the waiting one (answered as dropped).
struct KioskLane {
  struct Frame {
    std::shared_ptr<const v1::ClientMessage> message;
    std::optional<std::uint32_t> claimed;  // the badge's delegate, resolved on arrival
    std::int64_t arrivedMs = 0;
  };
  std::weak_ptr<Connection> connection;
  bool analysing = false;
  std::optional<Frame> waiting;
  std::unique_ptr<faceid::Attempt> attempt;
  // Rate limit: a token bucket refilled at FaceOptions::kioskFramesPerSecond.
  double tokens = 0;
  std::int64_t refilledMs = 0;
  std::string lastChip;  // the last good frame's aligned face: the check-in's thumbnail
};

class FaceDesk {
 public:
  explicit FaceDesk(FaceOptions options);

  const FaceOptions& options() const { return options_; }

  // ---- enrolled faces (committed state)
  // Replaces everything (start-up): photos by delegate id of `roster`.
  void load(const domain::Roster& roster, std::vector<domain::FacesEnrolled> enrolled);
  // A durable enrollment change.
  void apply(const domain::Roster& roster, const domain::FacesEnrolled& change);
  // A durable roster replacement: photos follow the delegate's code, the rest go.
  void rosterReplaced(const domain::Roster& oldRoster, const domain::Roster& newRoster);

  const faceid::Gallery& gallery() const { return gallery_; }
  // A delegate's enrolled photos (empty when none).
  const std::vector<domain::EnrolledPhoto>& photosOf(std::uint32_t delegateId) const;
  // The delegate whose enrolled photos include this SHA-256 (hex), if any: durable,
  // or staged by an enrollment not yet durable (so two enrollments in flight
  // cannot give the same photo to two delegates).
  std::optional<std::uint32_t> ownerOfPhoto(const std::string& sha256) const;
  // An enrollment staged these photos for the delegate; apply() releases them.
  void reservePhotos(std::uint32_t delegateId, const std::vector<domain::EnrolledPhoto>& photos);
  const domain::EnrolledPhoto* findPhoto(std::uint32_t delegateId, const std::string& sha256) const;

  // ---- kiosk lanes
  // The lane of a kiosk connection, created on first use; `attended` kiosks skip liveness.
  KioskLane& laneFor(const std::shared_ptr<Connection>& connection, bool attended);
  KioskLane* findLane(const Connection* connection);
  void forget(const Connection* connection);
  // Takes one frame's token; false when the kiosk sends faster than allowed.
  bool admitFrame(KioskLane& lane, std::int64_t nowMs, std::uint32_t& retryAfterMs);
  std::size_t lanes() const { return lanes_.size(); }

 private:
  void rebuildGallery();
  void resetAttempts();

  FaceOptions options_;
  std::map<std::uint32_t, std::vector<domain::EnrolledPhoto>> photos_;  // by delegate id
  std::unordered_map<std::string, std::uint32_t> photoOwner_;             // sha256 → delegate id
  std::unordered_map<std::string, std::uint32_t> reservedOwner_;          // staged, not yet durable
  faceid::Gallery gallery_;  // the mean descriptor of each enrolled delegate
  std::unordered_map<const Connection*, KioskLane> lanes_;
  std::uint64_t attemptSeed_;
};

}  // namespace daihoi::protocol
