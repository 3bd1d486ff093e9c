#pragma once
// The kiosk's loop: take frames from the source (paced at --fps), encode them, keep at most two
// FaceFrame requests in flight (in_flight.hpp), apply the replies in order, report status
// changes, send FaceReset when the policy says so, and count everything for the summary.
// The hall is behind FrameTransport and the screen behind KioskObserver, so that tests drive
// the loop with a fake hall and no display. Runs on the calling thread (the main thread, which
// owns the window); replies are collected by one short-lived thread per request in flight.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <opencv2/core.hpp>

#include "client/client_error.hpp"
#include "daihoi.pb.h"
#include "kiosk/display.hpp"
#include "kiosk/frame_encoder.hpp"
#include "kiosk/frame_source.hpp"
#include "kiosk/in_flight.hpp"
#include "kiosk/presentation.hpp"
#include "kiosk/reset_policy.hpp"
#include "kiosk/statistics.hpp"

namespace daihoi::client {
class HallClient;
}

namespace daihoi::kiosk {

// Sends one request to the hall; the future always becomes ready (a reply, an error or a time-out).
class FrameTransport {
 public:
  virtual ~FrameTransport() = default;
  virtual std::future<client::Outcome<daihoi::v1::Response>> send(daihoi::v1::ClientMessage message,
                                                                   std::chrono::milliseconds timeout) = 0;
};

// The real hall: HallClient::request (which waits for a resumed session while reconnecting).
class HallTransport final : public FrameTransport {
 public:
  explicit HallTransport(client::HallClient& client) : client_(client) {}
  std::future<client::Outcome<daihoi::v1::Response>> send(daihoi::v1::ClientMessage message,
                                                           std::chrono::milliseconds timeout) override;

 private:
  client::HallClient& client_;
};

// What the loop tells the outside world, always on the loop's thread.
class KioskObserver {
 public:
  virtual ~KioskObserver() = default;
  // A frame was taken (as encoded: at most 640 px wide).
  virtual void frameCaptured(const cv::Mat& /*scaled*/, std::uint64_t /*frameId*/) {}
  // Every reply applied in order (not DROPPED, not older than the one shown).
  virtual void replied(const StatusReport& /*report*/) {}
  // A reply that changes what the kiosk shows (StatusTracker).
  virtual void statusChanged(const StatusReport& /*report*/) {}
  // Something for the operator (stderr): a request error, a reset, the source's warnings.
  virtual void notice(const std::string& /*text*/) {}
  // With a window: the loop waits through poll() so that the window stays responsive.
  virtual bool interactive() const { return false; }
  virtual WindowKey poll(std::chrono::milliseconds /*wait*/) { return WindowKey::None; }
  // Called every turn of the loop (the speaker reaps its child here).
  virtual void idle() {}
};

struct LoopSettings {
  double fps = 10;
  bool realTime = true;             // false: --as-fast-as-possible (video and folder only)
  std::uint64_t maxFrames = 0;      // frames captured; 0: no limit
  std::size_t maxInFlight = 2;
  std::string badge;                // FaceFrame.claimed_code
  std::string badgeToken;           // FaceFrame.claimed_badge_token (the badge's QR code)
  bool exitKiosk = false;           // FaceFrame.exit
  std::int64_t resetAfterMs = 0;    // ResetPolicy; 0: leave it to the hall
  EncodeSettings encode;
  std::chrono::milliseconds frameTimeout{10000};  // per FaceFrame request
  std::chrono::milliseconds drainTimeout{20000};  // at the end, for the replies still expected
  std::chrono::milliseconds stopDrainTimeout{2000};  // the same after Ctrl-C or q
};

// Why the loop ended. Stop reasons set from outside (a signal handler, a connection callback)
// go through an atomic: 0 none, kStopInterrupted, kStopConnectionFailed.
inline constexpr int kStopInterrupted = 1;
inline constexpr int kStopConnectionFailed = 2;

enum class StopReason { SourceEnded, MaxFrames, Interrupted, UserQuit, ConnectionFailed, Refused, SourceFailed };
std::string_view stopReasonName(StopReason reason);

struct LoopResult {
  StopReason reason = StopReason::SourceEnded;
  std::optional<client::ClientError> error;  // Refused: the request error that ended the loop
  std::string detail;                         // SourceFailed: why
  std::uint64_t unanswered = 0;               // frames still in flight when the loop gave up waiting
  Summary summary;
};

// A server error after which sending more frames is pointless (this hall has no Face ID, the
// session is not a kiosk's, ...).
bool isFatalFrameError(const client::ClientError& error);

class KioskLoop {
 public:
  KioskLoop(FrameSource& source, FrameTransport& transport, KioskObserver& observer, LoopSettings settings,
            const std::atomic<int>& stop);
  ~KioskLoop();  // joins the reply threads (their futures end by their time-outs at the latest)
  KioskLoop(const KioskLoop&) = delete;
  KioskLoop& operator=(const KioskLoop&) = delete;

  LoopResult run();

  // For tests: the window's high-water mark.
  std::size_t maxInFlightSeen() const { return window_.maxInFlightSeen(); }

 private:
  using Clock = std::chrono::steady_clock;

  struct Arrival {
    std::uint64_t key = 0;            // frame id, or kResetKeyBase + n for a FaceReset
    bool reset = false;
    client::Outcome<daihoi::v1::Response> outcome = client::ClientError{};
    double roundTripMs = 0;
  };

  void capture(CapturedFrame& frame, std::int64_t capturedMs);
  // Sends the waiting frame when a slot is free and the hall's rate limit allows.
  void pump();
  void sendFrame(OutgoingFrame frame);
  void rateLimited(std::uint64_t frameId, const client::ClientError& error);
  void sendReset(const std::string& why);
  void collect(std::uint64_t key, bool reset, std::future<client::Outcome<daihoi::v1::Response>> future);
  void handleArrivals();
  void handleFrameError(std::uint64_t frameId, const client::ClientError& error);
  void waitUntil(Clock::time_point until);
  double elapsedSeconds() const;
  std::int64_t steadyMs(Clock::time_point at) const;

  FrameSource& source_;
  FrameTransport& transport_;
  KioskObserver& observer_;
  LoopSettings settings_;
  const std::atomic<int>& stop_;

  InFlightWindow window_;
  KioskStats stats_;
  StatusTracker tracker_;
  ResetPolicy resetPolicy_;
  Clock::time_point start_;
  std::uint64_t nextFrameId_ = 1;
  std::uint64_t resets_ = 0;
  bool userQuit_ = false;
  std::optional<client::ClientError> fatal_;
  std::map<std::string, std::uint64_t> errorNotices_;
  // The hall's rate limit (ERROR_RATE_LIMITED): no frame before nextSendAt_, and then at most
  // one per sendGap_, learnt from its retry_after_ms and slowly relaxed while frames pass.
  Clock::time_point nextSendAt_{};
  Clock::duration sendGap_{0};
  // As fast as possible, a refused frame is sent again: the frames in flight are kept until answered.
  std::map<std::uint64_t, OutgoingFrame> unanswered_;

  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Arrival> arrivals_;
  std::map<std::uint64_t, std::thread> collectors_;
};

}  // namespace daihoi::kiosk
