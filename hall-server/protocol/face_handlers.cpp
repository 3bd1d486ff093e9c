// Face ID: kiosk frames (FaceFrame, FaceReset), enrollment (EnrollFaces,
// GetFaceEnrollment) and check-in thumbnails (GetFaceThumbnail).
//
// A kiosk's frames go to the face workers one at a time per kiosk, at most one
// more waiting (a newer frame replaces it: stale frames are dropped, never
// queued). Each analysed frame advances the kiosk's attempt (faceid::Attempt)
// on this thread; a final outcome records the check-in or reports the attempt
// to the secretariat, durable before the kiosk hears of it.
#include <cmath>
#include <unordered_set>

#include "auth/tokens.hpp"
#include "common/bytes.hpp"
#include "faceid/roster_analysis.hpp"
#include "protocol/attendance_record.hpp"
#include "protocol/face_handlers.hpp"
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

using domain::Role;
using faceid::AttemptStage;

bool requireFaceWork(Request& request) {
  const auto unavailable = request.hall().faceUnavailable();
  if (!unavailable) return true;
  request.fail(v1::ERROR_FACE_UNAVAILABLE, "face work is not available on this server: " + unavailable->reason,
               unavailable->retryAfterMs);
  return false;
}

// The kiosk's status. Liveness directions: the attempt speaks of the image
// (a camera facing the delegate, not mirrored), the kiosk of the delegate's own
// left and right — turning to one's own left moves the nose to the image's right.
v1::FaceStatus statusOf(AttemptStage stage, bool exit) {
  switch (stage) {
    case AttemptStage::NoFace: return v1::FACE_STATUS_NO_FACE;
    case AttemptStage::Adjust: return v1::FACE_STATUS_ADJUST;
    case AttemptStage::Collecting: return v1::FACE_STATUS_COLLECTING;
    case AttemptStage::AwaitBlink: return v1::FACE_STATUS_BLINK;
    case AttemptStage::TurnLeft: return v1::FACE_STATUS_TURN_RIGHT;
    case AttemptStage::TurnRight: return v1::FACE_STATUS_TURN_LEFT;
    case AttemptStage::LookStraight: return v1::FACE_STATUS_LOOK_STRAIGHT;
    case AttemptStage::Accepted: return exit ? v1::FACE_STATUS_CHECKED_OUT : v1::FACE_STATUS_CHECKED_IN;
    case AttemptStage::Unknown: return v1::FACE_STATUS_UNKNOWN;
    case AttemptStage::Ambiguous: return v1::FACE_STATUS_AMBIGUOUS;
    case AttemptStage::NotLive: return v1::FACE_STATUS_NOT_LIVE;
    case AttemptStage::Mismatch: return v1::FACE_STATUS_MISMATCH;
  }
  return v1::FACE_STATUS_UNSPECIFIED;
}

std::string promptFor(v1::FaceStatus status, const FaceMeasurement& measured, const domain::Delegate* delegate,
                      const std::string& delegation, bool alreadyThere) {
  switch (status) {
    case v1::FACE_STATUS_NO_FACE: return "Xin nhìn vào camera / Please look at the camera";
    case v1::FACE_STATUS_ADJUST: return measured.prompt;
    case v1::FACE_STATUS_COLLECTING: return "Xin giữ yên / Please hold still";
    case v1::FACE_STATUS_BLINK: return "Xin chớp mắt / Please blink";
    case v1::FACE_STATUS_TURN_LEFT: return "Xin quay đầu sang trái / Please turn your head to your left";
    case v1::FACE_STATUS_TURN_RIGHT: return "Xin quay đầu sang phải / Please turn your head to your right";
    case v1::FACE_STATUS_LOOK_STRAIGHT: return "Xin nhìn thẳng vào camera / Please look straight at the camera";
    case v1::FACE_STATUS_CHECKED_IN: {
      if (delegate == nullptr) break;
      const std::string where = " — ghế/seat " + delegate->seat.label + ", đoàn/delegation " + delegation;
      return (alreadyThere ? "Chào mừng trở lại / Welcome back, " : "Xin chào / Welcome, ") + delegate->fullName + where;
    }
    case v1::FACE_STATUS_CHECKED_OUT:
      if (delegate == nullptr) break;
      return "Tạm biệt / Goodbye, " + delegate->fullName;
    case v1::FACE_STATUS_UNKNOWN:
    case v1::FACE_STATUS_AMBIGUOUS:
      return "Xin mời đến bàn lễ tân / Please see the reception desk";
    case v1::FACE_STATUS_NOT_LIVE:
      return "Chưa xác nhận được — xin mời đến bàn lễ tân / Not confirmed — please see the reception desk";
    case v1::FACE_STATUS_MISMATCH:
      return "Thẻ không khớp với khuôn mặt — xin mời đến bàn lễ tân / "
             "The badge does not match the face — please see the reception desk";
    default: break;
  }
  return {};
}

// Why an attempt ended without a check-in, for the secretariat's console.
std::string unresolvedReason(AttemptStage stage, const faceid::AttemptUpdate& update, const faceid::MatchOptions& match) {
  char distance[64] = "";
  if (std::isfinite(update.distance)) std::snprintf(distance, sizeof distance, " (distance %.3f)", update.distance);
  switch (stage) {
    case AttemptStage::Unknown:
      return "no enrolled delegate close enough" + std::string(distance) + "; threshold " + std::to_string(match.threshold);
    case AttemptStage::Ambiguous:
      return "two delegates too close to tell apart" + std::string(distance);
    case AttemptStage::NotLive:
      return "recognised, but no blink or head turn in time" + std::string(distance);
    case AttemptStage::Mismatch:
      return "the face is not the badge's delegate" + std::string(distance);
    default: return {};
  }
}

std::string delegationName(const domain::Roster& roster, const domain::Delegate& delegate) {
  const domain::Delegation* delegation = roster.findDelegation(delegate.delegationId);
  return delegation ? delegation->name : std::string();
}

void dispatchFrame(Hall& hall, KioskLane& lane, KioskLane::Frame frame);

void answerFrame(Hall& hall, const std::shared_ptr<Connection>& connection, KioskLane& lane,
                 const KioskLane::Frame& frame, const FaceMeasurement& measured) {
  const auto& in = frame.message->face_frame();
  Request request(hall, connection, *frame.message);
  if (measured.failed()) {
    request.fail(v1::ERROR_INVALID_IMAGE, measured.errorMessage);
    return;
  }
  faceid::Attempt& attempt = *lane.attempt;
  if (attempt.claimed() != frame.claimed) attempt.claim(frame.claimed);
  faceid::FrameObservation observation = measured.observation;
  observation.timeMs = in.captured_ms() != 0 ? in.captured_ms() : frame.arrivedMs;
  if (observation.passed && !measured.chipJpeg.empty()) lane.lastChip = measured.chipJpeg;
  const faceid::AttemptUpdate update = attempt.observe(observation);

  v1::Response response;
  auto& reply = *response.mutable_face_frame();
  reply.set_frame_id(in.frame_id());
  reply.set_frame_width(static_cast<std::uint32_t>(measured.width));
  reply.set_frame_height(static_cast<std::uint32_t>(measured.height));
  if (observation.hasFace) {
    auto& box = *reply.mutable_box();
    box.set_x(observation.box.x);
    box.set_y(observation.box.y);
    box.set_width(static_cast<std::uint32_t>(std::max(0, observation.box.width)));
    box.set_height(static_cast<std::uint32_t>(std::max(0, observation.box.height)));
  }
  for (const auto& issue : measured.issues) reply.add_issues(issue);
  reply.set_frames(static_cast<std::uint32_t>(update.frames));
  reply.set_analysis_ms(static_cast<std::uint32_t>(measured.micros / 1000));
  if (std::isfinite(update.distance)) reply.set_distance(update.distance);
  if (std::isfinite(update.margin)) reply.set_margin(update.margin);

  const domain::Roster& roster = hall.pending().roster();
  const domain::Delegate* delegate = update.delegate ? roster.findById(*update.delegate) : nullptr;
  std::string delegation;
  if (delegate != nullptr) {
    delegation = delegationName(roster, *delegate);
    toWire(*delegate, *reply.mutable_delegate());
    reply.set_delegation(delegation);
    const auto& photos = hall.faceDesk().photosOf(delegate->id);
    if (!photos.empty()) reply.set_enrolled_photo(photos.front().chipJpeg);
  }
  const v1::FaceStatus status = statusOf(update.stage, in.exit());
  reply.set_status(status);

  bool alreadyThere = false;
  if (update.becameFinal && update.stage == AttemptStage::Accepted && delegate != nullptr) {
    const bool wantPresent = !in.exit();
    alreadyThere = hall.pending().attendance().isPresent(delegate->id) == wantPresent;
    reply.set_already_present(alreadyThere);
    if (!alreadyThere) {
      const std::int64_t now = hall.clock().nowMs();
      const FaceOptions& options = hall.faceDesk().options();
      domain::AttendanceRecorded change;
      change.present = wantPresent;
      change.method = domain::AttendanceMethod::Face;
      change.recordedBy = request.principal();  // the kiosk
      change.timeMs = now;
      change.faceDistance = update.distance;
      if (wantPresent && options.thumbnailRetentionMs > 0) {
        change.thumbnailJpeg = lane.lastChip;
        change.thumbnailExpiresMs = now + options.thumbnailRetentionMs;
      }
      stageAttendance(request, *delegate, std::move(change));
      reply.set_seq(request.lastEmittedSeq());
    }
  } else if (update.becameFinal && update.stage != AttemptStage::Accepted) {
    // To the secretariat's console, for a check-in by hand. No image is kept
    // unless the congress keeps failed attempts.
    auto& event = *request.emit(Audience{{Role::Secretary, Role::Organizer}}).mutable_face_attempt_unresolved();
    toWire(request.principal(), *event.mutable_kiosk());
    event.set_status(status);
    event.set_reason(unresolvedReason(update.stage, update, lane.attempt->options().match));
    if (const auto nearest = update.nearest ? update.nearest : update.delegate) {
      event.set_nearest_delegate_id(*nearest);
    }
    if (std::isfinite(update.distance)) event.set_distance(update.distance);
    if (frame.claimed) {
      if (const domain::Delegate* claimed = roster.findById(*frame.claimed)) event.set_claimed_code(claimed->code);
    }
    reply.set_seq(request.lastEmittedSeq());
    const FaceOptions& options = hall.faceDesk().options();
    if (options.keepFailedAttempts && options.thumbnailRetentionMs > 0 && !lane.lastChip.empty()) {
      event.set_image_kept(true);
      request.stage(domain::FaceAttemptImageKept{request.lastEmittedSeq(), lane.lastChip,
                                                 hall.clock().nowMs() + options.thumbnailRetentionMs});
    }
  }
  // The next attempt's thumbnail must be its own face, never this one's.
  if (update.becameFinal) lane.lastChip.clear();
  reply.set_prompt(promptFor(status, measured, delegate, delegation, alreadyThere));
  request.commitAndReply(std::move(response));
}

void dispatchFrame(Hall& hall, KioskLane& lane, KioskLane::Frame frame) {
  lane.analysing = true;
  std::string image = frame.message->face_frame().image();
  std::weak_ptr<Connection> weak = lane.connection;
  hall.faceEngine()->analyze(
      std::move(image), FaceJob::LiveFrame,
      [&hall, weak, frame = std::move(frame)](FaceMeasurement measured) {
        auto connection = weak.lock();
        if (!connection) return;  // the kiosk went away; its lane went with it
        KioskLane* lane = hall.faceDesk().findLane(connection.get());
        if (lane == nullptr || lane->connection.lock() != connection) return;
        lane->analysing = false;
        answerFrame(hall, connection, *lane, frame, measured);
        if (lane->waiting) {
          KioskLane::Frame next = std::move(*lane->waiting);
          lane->waiting.reset();
          dispatchFrame(hall, *lane, std::move(next));
        }
      });
}

void answerDropped(const std::shared_ptr<Connection>& connection, const KioskLane::Frame& frame) {
  v1::Response response;
  auto& reply = *response.mutable_face_frame();
  reply.set_frame_id(frame.message->face_frame().frame_id());
  reply.set_status(v1::FACE_STATUS_DROPPED);
  connection->reply(frame.message->request_id(), std::move(response));
}

// ---- enrollment

struct EnrollmentJob {
  std::shared_ptr<const v1::ClientMessage> message;
  std::weak_ptr<Connection> connection;
  std::uint32_t delegateId = 0;
  std::vector<v1::EnrollPhotoReport> reports;  // one per photo sent
  std::vector<std::optional<domain::EnrolledPhoto>> usable;
  std::size_t remaining = 0;
};

// The same photo for two delegates is a wrong photo.
void markDuplicate(Hall& hall, v1::EnrollPhotoReport& report, std::uint32_t owner) {
  const domain::Delegate* other = hall.pending().roster().findById(owner);
  report.set_status("duplicate");
  report.set_message("Ảnh này đã đăng ký cho đại biểu khác / This photo is enrolled for another delegate: " +
                     (other ? other->code : std::to_string(owner)));
}

void fillOperatingPoint(Hall& hall, v1::FaceEnrollmentReply& reply) {
  const FaceOptions& options = hall.faceDesk().options();
  reply.set_threshold(options.attempt.match.threshold);
  reply.set_margin(options.attempt.match.margin);
  reply.set_look_alike_limit(options.lookAlikeLimit);
  const auto unavailable = hall.faceUnavailable();
  reply.set_face_available(!unavailable);
  if (unavailable) {
    reply.set_face_problem(unavailable->reason);
    reply.set_face_retry_after_ms(unavailable->retryAfterMs);
  }
}

void finishEnrollment(Hall& hall, const std::shared_ptr<EnrollmentJob>& job) {
  auto connection = job->connection.lock();
  if (!connection) return;  // the organizer left before the answer: nothing was acknowledged, nothing kept
  Request request(hall, connection, *job->message);
  const domain::Delegate* delegate = hall.pending().roster().findById(job->delegateId);
  if (delegate == nullptr || delegate->code != job->message->enroll_faces().delegate_code()) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "the roster changed during the enrollment; enroll again");
    return;
  }
  // Checked again now: another enrollment may have taken one of these photos meanwhile.
  FaceDesk& desk = hall.faceDesk();
  std::vector<domain::EnrolledPhoto> photos;
  for (std::size_t i = 0; i < job->usable.size(); ++i) {
    auto& photo = job->usable[i];
    if (!photo) continue;
    if (auto owner = desk.ownerOfPhoto(photo->sha256); owner && *owner != delegate->id) {
      markDuplicate(hall, job->reports[i], *owner);
      continue;
    }
    photos.push_back(std::move(*photo));
  }
  const bool removal = job->message->enroll_faces().photos_size() == 0;

  v1::Response response;
  auto& reply = *response.mutable_face_enrollment();
  for (auto& report : job->reports) *reply.add_photos() = std::move(report);
  fillOperatingPoint(hall, reply);
  const faceid::Gallery& gallery = desk.gallery();
  if (!photos.empty()) {
    std::vector<faceid::Descriptor> descriptors;
    for (const auto& photo : photos) descriptors.push_back(photo.descriptor);
    const faceid::Match nearest = gallery.search(faceid::meanDescriptor(descriptors), delegate->id);
    auto& entry = *reply.add_enrolled();
    entry.set_delegate_id(delegate->id);
    entry.set_delegate_code(delegate->code);
    entry.set_photos(static_cast<std::uint32_t>(photos.size()));
    if (nearest.found) {
      entry.set_nearest_other_id(nearest.id);
      entry.set_nearest_other_distance(nearest.distance);
      if (nearest.distance < hall.faceDesk().options().lookAlikeLimit) {
        auto& pair = *reply.add_look_alikes();
        pair.set_delegate_id(std::min(delegate->id, nearest.id));
        pair.set_other_id(std::max(delegate->id, nearest.id));
        pair.set_distance(nearest.distance);
      }
    }
  } else {
    reply.add_not_enrolled(delegate->id);
  }
  if (!photos.empty() || removal) {
    const bool wasEnrolled = gallery.contains(delegate->id);
    const std::size_t after = gallery.size() + (photos.empty() ? (wasEnrolled ? -1 : 0) : (wasEnrolled ? 0 : 1));
    auto& event = *request.emit(Audience{{Role::Organizer, Role::Secretary}}).mutable_face_enrollment_changed();
    event.set_delegate_id(delegate->id);
    event.set_photos(static_cast<std::uint32_t>(photos.size()));
    event.set_enrolled_delegates(static_cast<std::uint32_t>(after));
    toWire(request.principal(), *event.mutable_by());
    desk.reservePhotos(delegate->id, photos);
    request.stage(domain::FacesEnrolled{delegate->id, std::move(photos)});
  }
  request.commitAndReply(std::move(response));
}

void photoAnalysed(Hall& hall, const std::shared_ptr<EnrollmentJob>& job, std::size_t index,
                   const FaceMeasurement& measured) {
  v1::EnrollPhotoReport& report = job->reports[index];
  job->usable[index] = enrolledPhotoOf(measured, report.sha256(), report.name(), hall.clock().nowMs());
  if (job->usable[index]) {
    report.set_status("ok");
  } else if (measured.failed()) {
    report.set_status(measured.errorCode);
    report.set_message(measured.errorMessage);
  } else {
    report.set_status(measured.issues.empty() ? "no_face" : measured.issues.front());
    report.set_message(measured.prompt);
  }
  if (--job->remaining == 0) finishEnrollment(hall, job);
}

constexpr std::int64_t kThumbnailExpiryPeriodMs = 6LL * 3600 * 1000;

}  // namespace

void handleFaceFrame(Request& request) {
  if (!requireFaceWork(request)) return;
  Hall& hall = request.hall();
  const auto& in = request.message().face_frame();
  if (in.image().empty()) {
    request.fail(v1::ERROR_INVALID_IMAGE, "the frame carries no image");
    return;
  }
  std::optional<std::uint32_t> claimed;
  if (!in.claimed_code().empty()) {
    const domain::Delegate* delegate = hall.pending().roster().findByCode(in.claimed_code());
    if (delegate == nullptr) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegate with code '" + in.claimed_code() + "'");
      return;
    }
    claimed = delegate->id;
  } else if (!in.claimed_badge_token().empty()) {
    claimed = hall.directory().delegateByBadgeTokenHash(auth::tokenHash(in.claimed_badge_token()));
    if (!claimed) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegate holds this badge");
      return;
    }
  }
  if (claimed && !hall.faceDesk().gallery().contains(*claimed)) {
    request.fail(v1::ERROR_FAILED_PRECONDITION,
                 "this delegate has no enrolled face: check in at the reception desk");
    return;
  }
  FaceDesk& desk = hall.faceDesk();
  KioskLane& lane = desk.laneFor(request.connectionPtr(), desk.options().isAttended(request.principal().login));
  const std::int64_t now = hall.clock().nowMs();
  std::uint32_t retryAfterMs = 0;
  if (!desk.admitFrame(lane, now, retryAfterMs)) {
    request.fail(v1::ERROR_RATE_LIMITED, "this kiosk sends frames faster than the server allows", retryAfterMs);
    return;
  }
  KioskLane::Frame frame{std::make_shared<const v1::ClientMessage>(request.message()), claimed, now};
  if (!lane.analysing) {
    dispatchFrame(hall, lane, std::move(frame));
    return;
  }
  if (lane.waiting) answerDropped(request.connectionPtr(), *lane.waiting);
  lane.waiting = std::move(frame);
}

void handleFaceReset(Request& request) {
  if (KioskLane* lane = request.hall().faceDesk().findLane(&request.connection())) lane->attempt->reset();
  v1::Response response;
  response.mutable_face_frame()->set_status(v1::FACE_STATUS_NO_FACE);
  request.commitAndReply(std::move(response));
}

void handleEnrollFaces(Request& request) {
  if (!requireFaceWork(request)) return;
  Hall& hall = request.hall();
  const auto& in = request.message().enroll_faces();
  const domain::Delegate* delegate = hall.pending().roster().findByCode(in.delegate_code());
  if (delegate == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND, "no delegate with code '" + in.delegate_code() + "'");
    return;
  }
  const FaceDesk& desk = hall.faceDesk();
  if (static_cast<std::size_t>(in.photos_size()) > desk.options().maxEnrollPhotos) {
    request.fail(v1::ERROR_INVALID_ARGUMENT,
                 "at most " + std::to_string(desk.options().maxEnrollPhotos) + " photos per delegate");
    return;
  }
  auto job = std::make_shared<EnrollmentJob>();
  job->message = std::make_shared<const v1::ClientMessage>(request.message());
  job->connection = request.connectionPtr();
  job->delegateId = delegate->id;
  job->reports.resize(static_cast<std::size_t>(in.photos_size()));
  job->usable.resize(job->reports.size());
  std::vector<std::size_t> toAnalyse;
  std::unordered_set<std::string> seen;
  for (int i = 0; i < in.photos_size(); ++i) {
    const auto& photo = in.photos(i);
    auto& report = job->reports[static_cast<std::size_t>(i)];
    report.set_name(photo.name().empty() ? "photo " + std::to_string(i + 1) : photo.name());
    const std::string sha = toHex(sha256(photo.image()));
    report.set_sha256(sha);
    if (photo.image().empty()) {
      report.set_status("empty");
      report.set_message("Tệp rỗng / The file is empty");
      continue;
    }
    if (!seen.insert(sha).second) {
      report.set_status("duplicate");
      report.set_message("Ảnh trùng trong lần gửi này / The same photo twice in this request");
      continue;
    }
    if (auto owner = desk.ownerOfPhoto(sha); owner && *owner != delegate->id) {
      markDuplicate(hall, report, *owner);
      continue;
    }
    if (const domain::EnrolledPhoto* known = desk.findPhoto(delegate->id, sha)) {
      report.set_status("ok");
      report.set_reused(true);
      domain::EnrolledPhoto kept = *known;
      kept.name = report.name();
      job->usable[static_cast<std::size_t>(i)] = std::move(kept);
      continue;
    }
    toAnalyse.push_back(static_cast<std::size_t>(i));
  }
  job->remaining = toAnalyse.size();
  if (toAnalyse.empty()) {
    finishEnrollment(hall, job);
    return;
  }
  for (std::size_t index : toAnalyse) {
    hall.faceEngine()->analyze(job->message->enroll_faces().photos(static_cast<int>(index)).image(),
                               FaceJob::Enrollment, [&hall, job, index](FaceMeasurement measured) {
                                 photoAnalysed(hall, job, index, measured);
                               });
  }
}

void handleGetFaceEnrollment(Request& request) {
  Hall& hall = request.hall();
  const FaceOptions& options = hall.faceDesk().options();
  // The analysis is O(n²) in the enrolled delegates: off the network thread, on a copy.
  auto gallery = std::make_shared<const faceid::Gallery>(hall.faceDesk().gallery());
  auto analysis = std::make_shared<faceid::RosterAnalysis>();
  auto message = std::make_shared<const v1::ClientMessage>(request.message());
  std::weak_ptr<Connection> weak = request.connectionPtr();
  hall.blockingWork().run(
      [gallery, analysis, limit = options.lookAlikeLimit, margin = options.attempt.match.margin] {
        *analysis = faceid::analyseRoster(*gallery, limit, margin);
      },
      [&hall, weak, message, gallery, analysis] {
        auto connection = weak.lock();
        if (!connection) return;
        Request resumed(hall, connection, *message);
        v1::Response response;
        auto& reply = *response.mutable_face_enrollment();
        fillOperatingPoint(hall, reply);
        const domain::Roster& roster = hall.committed().roster();
        for (const auto& nearest : analysis->nearest) {
          const domain::Delegate* delegate = roster.findById(nearest.id);
          if (delegate == nullptr) continue;
          auto& entry = *reply.add_enrolled();
          entry.set_delegate_id(nearest.id);
          entry.set_delegate_code(delegate->code);
          entry.set_photos(static_cast<std::uint32_t>(hall.faceDesk().photosOf(nearest.id).size()));
          if (nearest.other != 0) {
            entry.set_nearest_other_id(nearest.other);
            entry.set_nearest_other_distance(nearest.distance);
          }
        }
        for (const auto& delegate : roster.delegates()) {
          if (!gallery->contains(delegate.id)) reply.add_not_enrolled(delegate.id);
        }
        for (const auto& pair : analysis->lookAlikes) {
          auto& out = *reply.add_look_alikes();
          out.set_delegate_id(pair.a);
          out.set_other_id(pair.b);
          out.set_distance(pair.distance);
        }
        reply.set_recommended_threshold(analysis->recommendedThreshold);
        resumed.commitAndReply(std::move(response));
      });
}

void handleGetFaceThumbnail(Request& request) {
  Hall& hall = request.hall();
  Archive* archive = hall.archive();
  if (archive == nullptr) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "this server keeps no archive");
    return;
  }
  const auto& in = request.message().get_face_thumbnail();
  if ((in.attendance_id() == 0) == (in.attempt_seq() == 0)) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "name either an attendance record or a failed attempt");
    return;
  }
  const bool attempt = in.attempt_seq() != 0;
  const std::uint64_t id = attempt ? in.attempt_seq() : in.attendance_id();
  auto message = std::make_shared<const v1::ClientMessage>(request.message());
  std::weak_ptr<Connection> weak = request.connectionPtr();
  auto answer = [&hall, weak, message, id, attempt](std::optional<std::string> jpeg, std::string error) {
    auto connection = weak.lock();
    if (!connection) return;
    Request resumed(hall, connection, *message);
    if (!error.empty()) {
      resumed.fail(v1::ERROR_INTERNAL, "the thumbnail could not be read: " + error);
      return;
    }
    if (!jpeg) {
      resumed.fail(v1::ERROR_NOT_FOUND,
                   attempt ? "no image is kept for attempt " + std::to_string(id) +
                                 " (the congress does not keep failed attempts, or the retention period has ended)"
                           : "no thumbnail is kept for attendance record " + std::to_string(id) +
                                 " (not a face check-in, or its retention period has ended)");
      return;
    }
    v1::Response response;
    if (attempt) {
      response.mutable_face_thumbnail()->set_attempt_seq(id);
    } else {
      response.mutable_face_thumbnail()->set_attendance_id(id);
    }
    response.mutable_face_thumbnail()->set_jpeg(std::move(*jpeg));
    resumed.commitAndReply(std::move(response));
  };
  if (attempt) {
    archive->faceAttemptImage(id, std::move(answer));
  } else {
    archive->faceThumbnail(static_cast<std::int64_t>(id), std::move(answer));
  }
}

void scheduleThumbnailExpiry(Hall& hall) {
  if (hall.faceDesk().options().thumbnailRetentionMs <= 0) return;
  hall.timers().after(std::chrono::milliseconds(kThumbnailExpiryPeriodMs), [&hall] {
    domain::ThumbnailsExpired change{hall.clock().nowMs()};
    hall.stageChange(change);
    hall.commit(Hall::Staged{{change}, {}}, nullptr);
    scheduleThumbnailExpiry(hall);
  });
}

}  // namespace daihoi::protocol
