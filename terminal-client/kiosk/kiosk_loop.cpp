#include "kiosk/kiosk_loop.hpp"

#include <algorithm>

#include "client/hall_client.hpp"

namespace daihoi::kiosk {

namespace v1 = daihoi::v1;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kResetKeyBase = std::uint64_t{1} << 62;
// The loop looks at the stop flag at least this often.
constexpr auto kMaxWait = 50ms;
// With a window, waits are cut into slices so that it stays responsive.
constexpr auto kWindowSlice = 10ms;

}  // namespace

std::future<client::Outcome<v1::Response>> HallTransport::send(v1::ClientMessage message,
                                                                std::chrono::milliseconds timeout) {
  return client_.request(std::move(message), timeout);
}

std::string_view stopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::SourceEnded: return "source-ended";
    case StopReason::MaxFrames: return "max-frames";
    case StopReason::Interrupted: return "interrupted";
    case StopReason::UserQuit: return "user-quit";
    case StopReason::ConnectionFailed: return "connection-failed";
    case StopReason::Refused: return "refused";
    case StopReason::SourceFailed: return "source-failed";
  }
  return "unknown";
}

bool isFatalFrameError(const client::ClientError& error) {
  if (error.kind == client::ErrorKind::InvalidState) {
    return true;  // the client was closed or never signed in
  }
  if (error.kind != client::ErrorKind::Server) {
    return false;  // time-outs and lost connections: the client reconnects by itself
  }
  switch (error.serverCode) {
    case v1::ERROR_FACE_UNAVAILABLE:    // face work is off at this hall, unless its models are still loading
      return error.retryAfterMs == 0;
    case v1::ERROR_UNKNOWN_REQUEST:     // a hall without Face ID
    case v1::ERROR_PERMISSION_DENIED:   // not a kiosk's session
    case v1::ERROR_NOT_SIGNED_IN:
    case v1::ERROR_SESSION_EXPIRED:
    case v1::ERROR_INVALID_CREDENTIALS:
      return true;
    default:
      return false;
  }
}

KioskLoop::KioskLoop(FrameSource& source, FrameTransport& transport, KioskObserver& observer, LoopSettings settings,
                     const std::atomic<int>& stop)
    : source_(source),
      transport_(transport),
      observer_(observer),
      settings_(std::move(settings)),
      stop_(stop),
      window_(settings_.maxInFlight),
      resetPolicy_(settings_.resetAfterMs) {}

KioskLoop::~KioskLoop() {
  std::map<std::uint64_t, std::thread> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors.swap(collectors_);
  }
  for (auto& [key, thread] : collectors) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

double KioskLoop::elapsedSeconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::int64_t KioskLoop::steadyMs(Clock::time_point at) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

void KioskLoop::collect(std::uint64_t key, bool reset, std::future<client::Outcome<v1::Response>> future) {
  const auto sentAt = Clock::now();
  std::lock_guard lock(mutex_);
  collectors_[key] = std::thread([this, key, reset, sentAt, future = std::move(future)]() mutable {
    auto outcome = future.get();
    const double roundTrip = std::chrono::duration<double, std::milli>(Clock::now() - sentAt).count();
    std::lock_guard lock(mutex_);
    arrivals_.push_back(Arrival{key, reset, std::move(outcome), roundTrip});
    arrived_.notify_all();
  });
}

void KioskLoop::pump() {
  while (true) {
    const auto now = Clock::now();
    if (now < nextSendAt_) {
      return;
    }
    auto frame = window_.startWaiting();
    if (!frame) {
      return;
    }
    if (sendGap_.count() > 0) {
      nextSendAt_ = now + sendGap_;
    }
    sendFrame(std::move(*frame));
  }
}

void KioskLoop::sendFrame(OutgoingFrame frame) {
  if (!settings_.realTime) {
    unanswered_[frame.frameId] = frame;  // sent again if the hall's rate limit refuses it
  }
  v1::ClientMessage message;
  auto* faceFrame = message.mutable_face_frame();
  faceFrame->set_image(std::move(frame.jpeg));
  faceFrame->set_frame_id(frame.frameId);
  faceFrame->set_captured_ms(frame.capturedMs);
  if (!settings_.badge.empty()) {
    faceFrame->set_claimed_code(settings_.badge);
  } else if (!settings_.badgeToken.empty()) {
    faceFrame->set_claimed_badge_token(settings_.badgeToken);
  }
  faceFrame->set_exit(settings_.exitKiosk);
  stats_.sent();
  collect(frame.frameId, false, transport_.send(std::move(message), settings_.frameTimeout));
}

void KioskLoop::sendReset(const std::string& why) {
  v1::ClientMessage message;
  message.mutable_face_reset();
  stats_.reset();
  resetPolicy_.resetSent();
  observer_.notice("FaceReset: " + why);
  collect(kResetKeyBase + ++resets_, true, transport_.send(std::move(message), settings_.frameTimeout));
}

void KioskLoop::capture(CapturedFrame& frame, std::int64_t capturedMs) {
  stats_.captured();
  EncodedFrame encoded = encodeFrame(frame.image, settings_.encode);
  const std::uint64_t id = nextFrameId_++;
  observer_.frameCaptured(encoded.scaled, id);
  OutgoingFrame outgoing{id, capturedMs, std::move(encoded.jpeg), encoded.width, encoded.height};
  // It waits (replacing an older waiting frame) and goes out at once when a slot is free.
  if (window_.hold(std::move(outgoing)).dropped) {
    stats_.dropped();
  }
  pump();
}

void KioskLoop::rateLimited(std::uint64_t frameId, const client::ClientError& error) {
  stats_.rateLimited();
  const auto retry = std::chrono::milliseconds(std::clamp<std::uint32_t>(error.retryAfterMs, 5, 2000));
  const auto now = Clock::now();
  nextSendAt_ = std::max(nextSendAt_, now + retry);
  sendGap_ = std::min<Clock::duration>(std::max<Clock::duration>(sendGap_ * 5 / 4, retry), 1s);
  if (errorNotices_["ERROR_RATE_LIMITED"]++ == 0) {
    observer_.notice("the hall asks for fewer frames (ERROR_RATE_LIMITED): slowing down");
  }
  // As fast as possible, no frame is lost: the refused one goes again. In real time it is stale.
  auto it = unanswered_.find(frameId);
  if (it != unanswered_.end()) {
    window_.requeue(std::move(it->second));
    unanswered_.erase(it);
  }
}

void KioskLoop::handleFrameError(std::uint64_t frameId, const client::ClientError& error) {
  const std::string code = error.codeName();
  stats_.error(code);
  if (isFatalFrameError(error)) {
    if (!fatal_) {
      fatal_ = error;
    }
    return;
  }
  if (error.retryAfterMs > 0) {
    // The hall has just started and is loading its face models: ask again when it says.
    nextSendAt_ = std::max(nextSendAt_, Clock::now() + std::chrono::milliseconds(std::min<std::uint32_t>(error.retryAfterMs, 5000)));
  }
  // Say the first of each kind, then every 50th: a long outage must not flood the operator.
  const std::uint64_t seen = ++errorNotices_[code];
  if (seen == 1 || seen % 50 == 0) {
    observer_.notice("frame " + std::to_string(frameId) + ": " + code + " " + error.message +
                     (seen > 1 ? " (" + std::to_string(seen) + " so far)" : std::string()));
  }
}

void KioskLoop::handleArrivals() {
  std::deque<Arrival> arrivals;
  {
    std::lock_guard lock(mutex_);
    arrivals.swap(arrivals_);
  }
  for (auto& arrival : arrivals) {
    std::thread collector;
    {
      std::lock_guard lock(mutex_);
      auto it = collectors_.find(arrival.key);
      if (it != collectors_.end()) {
        collector = std::move(it->second);
        collectors_.erase(it);
      }
    }
    if (collector.joinable()) {
      collector.join();  // it has pushed its arrival: it is ending
    }
    if (arrival.reset) {
      if (!arrival.outcome) {
        observer_.notice("FaceReset failed: " + arrival.outcome.error().codeName() + " " +
                         arrival.outcome.error().message);
      }
      continue;
    }
    const std::uint64_t frameId = arrival.key;
    window_.complete(frameId, false);  // pump() below sends the waiting frame when the hall allows
    if (!arrival.outcome && arrival.outcome.error().isServer(v1::ERROR_RATE_LIMITED)) {
      rateLimited(frameId, arrival.outcome.error());
      continue;
    }
    unanswered_.erase(frameId);
    if (!arrival.outcome) {
      handleFrameError(frameId, arrival.outcome.error());
      continue;
    }
    // Frames pass: probe for a higher rate again, slowly.
    sendGap_ = sendGap_ * 99 / 100;
    const v1::Response& response = arrival.outcome.value();
    if (!response.has_face_frame()) {
      handleFrameError(frameId, client::protocolError("the hall answered a FaceFrame with another reply type"));
      continue;
    }
    const v1::FaceFrameReply& reply = response.face_frame();
    stats_.reply(reply, arrival.roundTripMs);
    if (reply.status() == v1::FACE_STATUS_DROPPED) {
      continue;
    }
    StatusReport report{reply, arrival.roundTripMs, elapsedSeconds()};
    const bool changed = tracker_.update(reply);
    if (tracker_.lastFrameId() != reply.frame_id()) {
      continue;  // older than what is shown
    }
    observer_.replied(report);
    if (changed) {
      observer_.statusChanged(report);
    }
    if (resetPolicy_.observe(reply.status(), hasFace(reply), steadyMs(Clock::now()))) {
      sendReset("no face for " + std::to_string(settings_.resetAfterMs) + " ms after " + statusName(reply.status()));
    }
  }
  pump();
}

void KioskLoop::waitUntil(Clock::time_point until) {
  const auto now = Clock::now();
  until = std::min(until, now + kMaxWait);
  if (window_.hasWaiting() && window_.inFlight() < window_.limit()) {
    until = std::min(until, std::max(now, nextSendAt_));  // the rate limit's pause ends
  }
  if (observer_.interactive()) {
    const auto wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until - now), 1ms,
                                 std::chrono::milliseconds(kWindowSlice));
    switch (observer_.poll(wait)) {
      case WindowKey::Quit:
        userQuit_ = true;
        break;
      case WindowKey::Reset:
        sendReset("reset by the usher");
        break;
      case WindowKey::None:
        break;
    }
    return;
  }
  std::unique_lock lock(mutex_);
  arrived_.wait_until(lock, until, [&] { return !arrivals_.empty(); });
}

LoopResult KioskLoop::run() {
  LoopResult result;
  start_ = Clock::now();
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / settings_.fps));
  const std::int64_t startMs = steadyMs(start_);
  std::optional<CapturedFrame> ahead;  // a video/folder frame read ahead, due at start + mediaMs
  Clock::time_point aheadDue;
  Clock::time_point nextLiveDue = start_;
  bool capturing = true;
  bool stopped = false;  // stopped from outside or by the user: do not wait long for replies
  std::optional<Clock::time_point> drainDeadline;

  while (true) {
    handleArrivals();
    pump();
    observer_.idle();
    if (fatal_) {
      result.reason = StopReason::Refused;
      result.error = fatal_;
      stopped = true;
      break;
    }
    if (const int stop = stop_.load()) {
      result.reason = stop == kStopConnectionFailed ? StopReason::ConnectionFailed : StopReason::Interrupted;
      stopped = true;
      break;
    }
    if (userQuit_) {
      result.reason = StopReason::UserQuit;
      stopped = true;
      break;
    }
    auto now = Clock::now();
    if (capturing && settings_.maxFrames > 0 && window_.offered() >= settings_.maxFrames) {
      capturing = false;
      result.reason = StopReason::MaxFrames;
    }
    if (!capturing) {
      // The last replies are still worth waiting for; the waiting frame goes out when a slot frees.
      if (window_.idle()) {
        break;
      }
      if (!drainDeadline) {
        drainDeadline = now + settings_.drainTimeout;
      }
      if (now >= *drainDeadline) {
        break;
      }
      waitUntil(*drainDeadline);
      continue;
    }

    if (source_.live()) {
      // A camera: one frame per interval, the newest; as fast as possible only when a slot is free.
      if (now < nextLiveDue || (!settings_.realTime && !window_.canSendNow())) {
        waitUntil(now < nextLiveDue ? nextLiveDue : now + kMaxWait);
        continue;
      }
      auto frame = source_.next();
      if (!frame) {
        capturing = false;
        result.reason = source_.error() ? StopReason::SourceFailed : StopReason::SourceEnded;
        result.detail = source_.error().value_or("");
        continue;
      }
      nextLiveDue += interval;
      if (nextLiveDue < now) {
        nextLiveDue = now + interval;
      }
      capture(*frame, steadyMs(Clock::now()));
      continue;
    }

    if (!ahead) {
      ahead = source_.next();
      if (!ahead) {
        capturing = false;
        result.reason = source_.error() ? StopReason::SourceFailed : StopReason::SourceEnded;
        result.detail = source_.error().value_or("");
        continue;
      }
      aheadDue = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ahead->mediaMs));
      if (settings_.realTime && now - aheadDue > 2 * interval) {
        // Behind real time (a slow machine): skip frames, as a camera would.
        stats_.late();
        ahead.reset();
        continue;
      }
    }
    if (settings_.realTime) {
      if (now < aheadDue) {
        waitUntil(aheadDue);
        continue;
      }
      capture(*ahead, steadyMs(now));
      ahead.reset();
      continue;
    }
    // As fast as possible: the next frame goes when a slot is free (and the hall's rate limit
    // allows), so none is dropped. Its capture time is on the source's own timeline, which
    // liveness timing needs.
    if (!window_.canSendNow() || now < nextSendAt_) {
      waitUntil(window_.canSendNow() ? nextSendAt_ : now + kMaxWait);
      continue;
    }
    capture(*ahead, startMs + ahead->mediaMs);
    ahead.reset();
  }

  // The waiting frame is not sent any more; the replies in flight still count.
  if (const std::size_t discarded = window_.discardWaiting()) {
    stats_.dropped(discarded);
  }
  const auto deadline = Clock::now() + (stopped ? settings_.stopDrainTimeout : 0ms);
  while (window_.inFlight() > 0 && Clock::now() < deadline) {
    {
      std::unique_lock lock(mutex_);
      arrived_.wait_until(lock, std::min(deadline, Clock::now() + kMaxWait), [&] { return !arrivals_.empty(); });
    }
    handleArrivals();
    if (const std::size_t discarded = window_.discardWaiting()) {
      stats_.dropped(discarded);
    }
  }
  result.unanswered = window_.inFlight();
  for (const auto& warning : source_.warnings()) {
    observer_.notice(warning);
  }
  stats_.elapsed(elapsedSeconds());
  result.summary = stats_.summary();
  return result;
}

}  // namespace daihoi::kiosk
