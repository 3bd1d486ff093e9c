// The kiosk loop against a fake hall (answers after a delay, from a script) and a synthetic
// source: the in-flight limit, stale frames dropped in real time, none dropped as fast as
// possible, status changes, FaceReset, fatal errors, stopping.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <thread>

#include "kiosk/kiosk_loop.hpp"

using namespace daihoi::kiosk;
using namespace std::chrono_literals;
namespace v1 = daihoi::v1;
namespace client = daihoi::client;

namespace {

// `count` grey frames on a timeline at `fps`, like a folder source.
class SyntheticSource final : public FrameSource {
 public:
  SyntheticSource(std::size_t count, double fps) : count_(count), fps_(fps) {}
  std::optional<CapturedFrame> next() override {
    if (index_ >= count_) return std::nullopt;
    CapturedFrame frame;
    frame.image = cv::Mat(240, 320, CV_8UC3, cv::Scalar::all(static_cast<double>(index_ % 255)));
    frame.mediaMs = static_cast<std::int64_t>(static_cast<double>(index_) * 1000.0 / fps_);
    frame.label = "synthetic " + std::to_string(index_);
    ++index_;
    return frame;
  }
  bool live() const override { return false; }
  std::string describe() const override { return "synthetic"; }

 private:
  std::size_t count_;
  double fps_;
  std::size_t index_ = 0;
};

// Answers every request after `delay`, the reply chosen by `script(frameId)`.
class FakeHall final : public FrameTransport {
 public:
  using Script = std::function<client::Outcome<v1::Response>(const v1::FaceFrame&)>;
  FakeHall(std::chrono::milliseconds delay, Script script) : delay_(delay), script_(std::move(script)) {}
  ~FakeHall() override {
    for (auto& thread : threads_) thread.join();
  }

  // Like the hall: at most `perSecond` frames a second, with a burst of `burst` (a token bucket).
  void limitRate(double perSecond, double burst) {
    rate_ = perSecond;
    burst_ = burst;
    tokens_ = burst;
    refilled_ = std::chrono::steady_clock::now();
  }

  std::future<client::Outcome<v1::Response>> send(v1::ClientMessage message, std::chrono::milliseconds) override {
    auto promise = std::make_shared<std::promise<client::Outcome<v1::Response>>>();
    auto future = promise->get_future();
    std::lock_guard lock(mutex_);
    if (message.has_face_reset()) {
      ++resets_;
      promise->set_value(v1::Response{});
      return future;
    }
    REQUIRE(message.has_face_frame());
    if (rate_ > 0) {
      const auto now = std::chrono::steady_clock::now();
      tokens_ = std::min(burst_, tokens_ + rate_ * std::chrono::duration<double>(now - refilled_).count());
      refilled_ = now;
      if (tokens_ < 1) {
        ++refused_;
        v1::Error error;
        error.set_code(v1::ERROR_RATE_LIMITED);
        error.set_message("this kiosk sends frames faster than the server allows");
        error.set_retry_after_ms(static_cast<std::uint32_t>(std::ceil((1 - tokens_) * 1000 / rate_)));
        promise->set_value(client::fromServerError(error));
        return future;
      }
      tokens_ -= 1;
    }
    frames_.push_back(message.face_frame());
    const std::size_t now = ++inFlight_;
    maxInFlight_ = std::max(maxInFlight_, now);
    threads_.emplace_back([this, promise, frame = message.face_frame()] {
      std::this_thread::sleep_for(delay_);
      auto outcome = script_(frame);
      {
        std::lock_guard lock(mutex_);
        --inFlight_;
      }
      promise->set_value(std::move(outcome));
    });
    return future;
  }

  std::size_t maxInFlight() const {
    std::lock_guard lock(mutex_);
    return maxInFlight_;
  }
  std::vector<v1::FaceFrame> frames() const {
    std::lock_guard lock(mutex_);
    return frames_;
  }
  int resets() const {
    std::lock_guard lock(mutex_);
    return resets_;
  }
  int refused() const {
    std::lock_guard lock(mutex_);
    return refused_;
  }

 private:
  std::chrono::milliseconds delay_;
  Script script_;
  mutable std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::vector<v1::FaceFrame> frames_;
  std::size_t inFlight_ = 0;
  std::size_t maxInFlight_ = 0;
  int resets_ = 0;
  int refused_ = 0;
  double rate_ = 0;
  double burst_ = 0;
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refilled_;
};

client::Outcome<v1::Response> faceReply(const v1::FaceFrame& frame, v1::FaceStatus status, bool face = true) {
  v1::Response response;
  auto* reply = response.mutable_face_frame();
  reply->set_frame_id(frame.frame_id());
  reply->set_status(status);
  reply->set_analysis_ms(5);
  reply->set_frame_width(320);
  reply->set_frame_height(240);
  if (face) {
    reply->mutable_box()->set_x(10);
    reply->mutable_box()->set_y(10);
    reply->mutable_box()->set_width(120);
    reply->mutable_box()->set_height(120);
  }
  if (status == v1::FACE_STATUS_CHECKED_IN || status == v1::FACE_STATUS_BLINK) {
    reply->mutable_delegate()->set_code("HN-007");
    reply->mutable_delegate()->set_full_name("Lê Thị Hoa");
  }
  return response;
}

class Recorder final : public KioskObserver {
 public:
  void frameCaptured(const cv::Mat& scaled, std::uint64_t) override {
    ++captured;
    CHECK(scaled.cols <= 640);
  }
  void replied(const StatusReport&) override { ++replies; }
  void statusChanged(const StatusReport& report) override { changes.push_back(report.reply); }
  void notice(const std::string& text) override { notices.push_back(text); }
  int captured = 0;
  int replies = 0;
  std::vector<v1::FaceFrameReply> changes;
  std::vector<std::string> notices;
};

LoopSettings settings(double fps, bool realTime) {
  LoopSettings s;
  s.fps = fps;
  s.realTime = realTime;
  s.frameTimeout = 2000ms;
  s.drainTimeout = 3000ms;
  return s;
}

}  // namespace

TEST_CASE("real time, a slow hall: at most two frames in flight, stale frames dropped, all accounted for") {
  // 40 frames at 50 fps (0.8 s) against a hall that takes 120 ms per frame: at most ~16 can be
  // analysed; the rest must be dropped rather than queued.
  SyntheticSource source(40, 50);
  FakeHall hall(120ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_COLLECTING); });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(50, true), stop);
  const auto start = std::chrono::steady_clock::now();
  const LoopResult result = loop.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;

  CHECK(result.reason == StopReason::SourceEnded);
  CHECK(result.unanswered == 0);
  const Summary& s = result.summary;
  CHECK(s.captured == 40);
  CHECK(hall.maxInFlight() <= 2);
  CHECK(loop.maxInFlightSeen() == 2);
  CHECK(s.sent == hall.frames().size());
  CHECK(s.sent + s.dropped == s.captured);
  CHECK(s.dropped >= 15);
  CHECK(s.sent <= 20);
  CHECK(s.replies == s.sent);
  CHECK(s.errors == 0);
  // Paced at 50 fps: the 40 frames take about 0.8 s, plus the last replies.
  CHECK(elapsed >= 700ms);
  CHECK(elapsed < 3s);

  // Frames go out in capture order with increasing capture times; a frame that waited is sent
  // with the time it was captured.
  const auto frames = hall.frames();
  for (std::size_t i = 1; i < frames.size(); ++i) {
    CHECK(frames[i].frame_id() > frames[i - 1].frame_id());
    CHECK(frames[i].captured_ms() >= frames[i - 1].captured_ms());
  }
  CHECK(frames.back().frame_id() == 40);  // the last frame is never the one dropped at the end
  // Round trips are the hall's delay or a little more.
  REQUIRE(s.roundTripMedianMs);
  CHECK(*s.roundTripMedianMs >= 115);
  CHECK(*s.roundTripMedianMs < 1000);  // a loaded machine wakes sleepers late
  // One status change: collecting.
  REQUIRE(screen.changes.size() == 1);
  CHECK(screen.changes[0].status() == v1::FACE_STATUS_COLLECTING);
}

TEST_CASE("as fast as possible: nothing dropped, still at most two in flight, capture times on the source's timeline") {
  SyntheticSource source(30, 10);  // 3 s of timeline
  FakeHall hall(15ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_NO_FACE, false); });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(10, false), stop);
  const auto start = std::chrono::steady_clock::now();
  const LoopResult result = loop.run();
  CHECK(std::chrono::steady_clock::now() - start < 2500ms);  // faster than the 3 s timeline
  CHECK(result.summary.captured == 30);
  CHECK(result.summary.sent == 30);
  CHECK(result.summary.dropped == 0);
  CHECK(result.summary.byStatus.at("no_face") == 30);
  CHECK(hall.maxInFlight() <= 2);
  const auto frames = hall.frames();
  REQUIRE(frames.size() == 30);
  for (std::size_t i = 1; i < frames.size(); ++i) {
    CHECK(frames[i].captured_ms() - frames[i - 1].captured_ms() == 100);
  }
  CHECK(screen.changes.size() == 1);
}

TEST_CASE("badge and exit go with every frame; the check-in is reported once and counted") {
  SyntheticSource source(12, 100);
  FakeHall hall(5ms, [](const v1::FaceFrame& f) {
    return faceReply(f, f.frame_id() < 4 ? v1::FACE_STATUS_COLLECTING
                        : f.frame_id() < 7 ? v1::FACE_STATUS_BLINK
                                           : v1::FACE_STATUS_CHECKED_IN);
  });
  Recorder screen;
  std::atomic<int> stop{0};
  auto s = settings(100, false);
  s.badge = "HN-007";
  s.exitKiosk = true;
  KioskLoop loop(source, hall, screen, s, stop);
  const LoopResult result = loop.run();
  for (const auto& frame : hall.frames()) {
    CHECK(frame.claimed_code() == "HN-007");
    CHECK(frame.exit());
    CHECK(frame.image().size() > 100);
  }
  REQUIRE(screen.changes.size() == 3);
  CHECK(screen.changes[0].status() == v1::FACE_STATUS_COLLECTING);
  CHECK(screen.changes[1].status() == v1::FACE_STATUS_BLINK);
  CHECK(screen.changes[2].status() == v1::FACE_STATUS_CHECKED_IN);
  REQUIRE(result.summary.checkedIn.size() == 1);
  CHECK(result.summary.checkedIn[0].code == "HN-007");
  CHECK(result.summary.checkedIn[0].replies == 6);
}

TEST_CASE("the badge's QR token goes with every frame as the claimed badge") {
  SyntheticSource source(4, 100);
  FakeHall hall(5ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_COLLECTING); });
  Recorder screen;
  std::atomic<int> stop{0};
  auto s = settings(100, false);
  s.badgeToken = "qr-token-of-the-badge";
  KioskLoop loop(source, hall, screen, s, stop);
  loop.run();
  REQUIRE_FALSE(hall.frames().empty());
  for (const auto& frame : hall.frames()) {
    CHECK(frame.claimed_badge_token() == "qr-token-of-the-badge");
    CHECK(frame.claimed_code().empty());
  }
}

TEST_CASE("--max-frames stops the capture; the last replies still arrive") {
  SyntheticSource source(1000, 100);
  FakeHall hall(30ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_COLLECTING); });
  Recorder screen;
  std::atomic<int> stop{0};
  auto s = settings(100, false);
  s.maxFrames = 7;
  KioskLoop loop(source, hall, screen, s, stop);
  const LoopResult result = loop.run();
  CHECK(result.reason == StopReason::MaxFrames);
  CHECK(result.summary.captured == 7);
  CHECK(result.summary.replies == 7);
  CHECK(result.unanswered == 0);
}

TEST_CASE("a hall without Face ID ends the loop with its error") {
  SyntheticSource source(100, 20);
  FakeHall hall(5ms, [](const v1::FaceFrame&) -> client::Outcome<v1::Response> {
    v1::Error error;
    error.set_code(v1::ERROR_UNKNOWN_REQUEST);
    error.set_message("unknown request");
    return client::fromServerError(error);
  });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(20, true), stop);
  const LoopResult result = loop.run();
  CHECK(result.reason == StopReason::Refused);
  REQUIRE(result.error);
  CHECK(result.error->isServer(v1::ERROR_UNKNOWN_REQUEST));
  CHECK(result.summary.captured < 10);
  CHECK(result.summary.errorsByCode.at("ERROR_UNKNOWN_REQUEST") >= 1);
}

TEST_CASE("a hall still loading its face models: the kiosk waits as told and goes on once they are loaded") {
  SyntheticSource source(40, 20);
  std::atomic<int> refusedLoading{0};
  const auto loadedAt = std::chrono::steady_clock::now() + 300ms;
  FakeHall hall(5ms, [&](const v1::FaceFrame& f) -> client::Outcome<v1::Response> {
    if (std::chrono::steady_clock::now() < loadedAt) {
      ++refusedLoading;
      v1::Error error;
      error.set_code(v1::ERROR_FACE_UNAVAILABLE);
      error.set_message("face work is not available on this server: its face models are still loading after the start");
      error.set_retry_after_ms(200);
      return client::fromServerError(error);
    }
    return faceReply(f, v1::FACE_STATUS_NO_FACE, false);
  });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(20, true), stop);
  const LoopResult result = loop.run();
  CHECK(result.reason == StopReason::SourceEnded);
  CHECK_FALSE(result.error);
  CHECK(refusedLoading >= 1);
  // Told to wait 200 ms, it did not keep sending at 20 frames/s during the 300 ms.
  CHECK(refusedLoading <= 3);
  CHECK(result.summary.replies >= 20);
}

TEST_CASE("time-outs are counted and the kiosk keeps going") {
  SyntheticSource source(10, 100);
  FakeHall hall(5ms, [](const v1::FaceFrame& f) -> client::Outcome<v1::Response> {
    if (f.frame_id() % 2 == 0) return client::timeoutError("no reply within 2000 ms");
    return faceReply(f, v1::FACE_STATUS_NO_FACE, false);
  });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(100, false), stop);
  const LoopResult result = loop.run();
  CHECK(result.reason == StopReason::SourceEnded);
  CHECK(result.summary.errors == 5);
  CHECK(result.summary.errorsByCode.at("ERROR_TIMEOUT") == 5);
  CHECK(result.summary.replies == 5);
  CHECK(screen.notices.size() == 1);  // said once, not for every frame
}

TEST_CASE("DROPPED and late replies do not change what is shown") {
  SyntheticSource source(6, 100);
  // Frame 2 answers DROPPED (the hall replaced it), the rest COLLECTING.
  FakeHall hall(5ms, [](const v1::FaceFrame& f) {
    return faceReply(f, f.frame_id() == 2 ? v1::FACE_STATUS_DROPPED : v1::FACE_STATUS_COLLECTING);
  });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(100, false), stop);
  const LoopResult result = loop.run();
  CHECK(result.summary.serverDropped == 1);
  CHECK(result.summary.roundTripSamples == 5);
  CHECK(screen.changes.size() == 1);
  // Two frames in flight may be answered in either order: the older answer, arriving second, is
  // not shown.
  CHECK(screen.replies >= 3);
  CHECK(screen.replies <= 5);
}

TEST_CASE("--reset-after-ms sends FaceReset once the person has gone after a final answer") {
  SyntheticSource source(40, 50);
  // Checked in on frames 1–5, then nobody in front of the camera.
  FakeHall hall(5ms, [](const v1::FaceFrame& f) {
    return f.frame_id() <= 5 ? faceReply(f, v1::FACE_STATUS_CHECKED_IN) : faceReply(f, v1::FACE_STATUS_NO_FACE, false);
  });
  Recorder screen;
  std::atomic<int> stop{0};
  auto s = settings(50, true);  // real time: the no-face frames span 0.7 s
  s.resetAfterMs = 100;
  KioskLoop loop(source, hall, screen, s, stop);
  const LoopResult result = loop.run();
  CHECK(hall.resets() == 1);
  CHECK(result.summary.resets == 1);
}

TEST_CASE("a stop request (Ctrl-C) ends the loop promptly") {
  SyntheticSource source(100000, 10);
  FakeHall hall(5ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_NO_FACE, false); });
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(10, true), stop);
  std::thread stopper([&] {
    std::this_thread::sleep_for(350ms);
    stop.store(kStopInterrupted);
  });
  const auto start = std::chrono::steady_clock::now();
  const LoopResult result = loop.run();
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - start < 1500ms);
  CHECK(result.reason == StopReason::Interrupted);
  CHECK(result.summary.captured >= 3);
  CHECK(result.summary.captured <= 6);

  std::atomic<int> lost{kStopConnectionFailed};
  SyntheticSource again(10, 10);
  KioskLoop failed(again, hall, screen, settings(10, true), lost);
  CHECK(failed.run().reason == StopReason::ConnectionFailed);
}

TEST_CASE("the hall's rate limit: as fast as possible, refused frames go again and none is lost") {
  // A quick hall that takes 20 frames a second with a burst of 5: 60 frames cannot go at once.
  SyntheticSource source(60, 10);
  FakeHall hall(2ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_COLLECTING); });
  hall.limitRate(20, 5);
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(10, false), stop);
  const auto start = std::chrono::steady_clock::now();
  const LoopResult result = loop.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const Summary& s = result.summary;
  CHECK(hall.refused() >= 1);
  CHECK(s.rateLimited == static_cast<std::uint64_t>(hall.refused()));
  CHECK(s.errors == 0);  // a refusal is not an error
  CHECK(s.dropped == 0);
  CHECK(s.replies == 60);  // every frame analysed once
  CHECK(s.sent == 60 + s.rateLimited);
  // Each frame analysed in capture order.
  const auto frames = hall.frames();
  REQUIRE(frames.size() == 60);
  for (std::size_t i = 0; i < frames.size(); ++i) CHECK(frames[i].frame_id() == i + 1);
  // The hall's pace: (60 - 5) / 20 per second is at least 2.7 s; the kiosk learns it rather
  // than hammering (far fewer refusals than frames).
  CHECK(elapsed >= 2500ms);
  CHECK(s.rateLimited < 30);
  CHECK(screen.notices.size() == 1);  // said once
}

TEST_CASE("the hall's rate limit in real time: refused frames are stale and not sent again") {
  SyntheticSource source(40, 40);  // 40 frames a second for 1 s against a limit of 10
  FakeHall hall(2ms, [](const v1::FaceFrame& f) { return faceReply(f, v1::FACE_STATUS_COLLECTING); });
  hall.limitRate(10, 3);
  Recorder screen;
  std::atomic<int> stop{0};
  KioskLoop loop(source, hall, screen, settings(40, true), stop);
  const LoopResult result = loop.run();
  const Summary& s = result.summary;
  CHECK(s.captured == 40);
  CHECK(s.rateLimited >= 1);
  CHECK(s.errors == 0);
  CHECK(s.sent == s.replies + s.rateLimited);
  CHECK(s.sent + s.dropped == s.captured);
  CHECK(s.replies <= 16);  // about 3 + 10 in a second
  CHECK(s.dropped >= 20);  // the kiosk slowed down: newer frames replaced the waiting ones
}
