#pragma once
// The kiosk's frames between capture and reply. At most `limit` (2) frames are in flight to the
// hall; a frame captured while all slots are busy waits, and a newer capture replaces it (the
// replaced frame is dropped, never queued): a face check-in wants the freshest image, and a
// backlog would only add delay. Pure bookkeeping, no OpenCV, no network, not thread-safe
// (the kiosk loop owns it).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace daihoi::kiosk {

struct OutgoingFrame {
  std::uint64_t frameId = 0;     // FaceFrame.frame_id, increasing
  std::int64_t capturedMs = 0;   // FaceFrame.captured_ms
  std::string jpeg;
  int width = 0;                 // of the encoded image
  int height = 0;
};

class InFlightWindow {
 public:
  explicit InFlightWindow(std::size_t limit = 2);

  struct Offered {
    // The frame, when a slot was free: it counts as in flight now and the caller sends it.
    std::optional<OutgoingFrame> sendNow;
    // The waiting frame this one replaced (dropped without being sent).
    std::optional<std::uint64_t> dropped;
  };
  // A newly captured frame.
  Offered offer(OutgoingFrame frame);
  // The same, but the frame only waits, even when a slot is free (the hall asked the kiosk to
  // slow down): startWaiting() sends it later. Offered::sendNow stays empty.
  Offered hold(OutgoingFrame frame);
  // The waiting frame, when a slot is free: it counts as in flight now and the caller sends it.
  std::optional<OutgoingFrame> startWaiting();
  // A frame the hall refused without analysing it (rate limit) waits again to be resent, in
  // capture order with other refused frames: as fast as possible, every frame is analysed.
  // Call after complete() of that frame.
  void requeue(OutgoingFrame frame);

  struct Completed {
    bool known = false;                    // the frame was in flight
    std::optional<OutgoingFrame> sendNow;  // the waiting frame took the free slot: send it
  };
  // The reply to an in-flight frame arrived (or its request failed): its slot is free, and the
  // waiting frame takes it unless `startWaiting` is false.
  Completed complete(std::uint64_t frameId, bool startWaiting = true);

  // Drops the waiting frames (the kiosk stops); returns how many.
  std::size_t discardWaiting();

  std::size_t limit() const { return limit_; }
  std::size_t inFlight() const { return inFlight_.size(); }
  bool isInFlight(std::uint64_t frameId) const;
  bool hasWaiting() const { return !waiting_.empty(); }
  // The frame that goes next.
  std::optional<std::uint64_t> waitingId() const;
  // A frame offered now would be sent at once.
  bool canSendNow() const { return inFlight_.size() < limit_ && waiting_.empty(); }
  // Nothing in flight and nothing waiting.
  bool idle() const { return inFlight_.empty() && waiting_.empty(); }

  // Counters since construction: offered + requeued = sent + dropped + waiting.
  std::uint64_t offered() const { return offered_; }
  std::uint64_t requeued() const { return requeued_; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t dropped() const { return dropped_; }
  std::size_t maxInFlightSeen() const { return maxInFlightSeen_; }

 private:
  void markSent(std::uint64_t frameId);
  // A new capture replaces every waiting frame; returns the newest replaced id.
  std::optional<std::uint64_t> replaceWaiting(OutgoingFrame frame);

  std::size_t limit_;
  std::vector<std::uint64_t> inFlight_;
  std::deque<OutgoingFrame> waiting_;  // in capture order; more than one only after refusals
  std::uint64_t offered_ = 0;
  std::uint64_t requeued_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
  std::size_t maxInFlightSeen_ = 0;
};

}  // namespace daihoi::kiosk
