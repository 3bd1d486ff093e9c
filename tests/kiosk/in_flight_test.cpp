#include <doctest/doctest.h>

#include <stdexcept>

#include "kiosk/in_flight.hpp"

using daihoi::kiosk::InFlightWindow;
using daihoi::kiosk::OutgoingFrame;

namespace {
OutgoingFrame frame(std::uint64_t id) { return OutgoingFrame{id, static_cast<std::int64_t>(id) * 100, "jpeg", 640, 360}; }
}  // namespace

TEST_CASE("two frames go out at once, the third waits") {
  InFlightWindow window(2);
  CHECK(window.canSendNow());
  auto first = window.offer(frame(1));
  REQUIRE(first.sendNow);
  CHECK(first.sendNow->frameId == 1);
  CHECK_FALSE(first.dropped);
  auto second = window.offer(frame(2));
  REQUIRE(second.sendNow);
  CHECK(second.sendNow->frameId == 2);
  CHECK(window.inFlight() == 2);
  CHECK_FALSE(window.canSendNow());

  auto third = window.offer(frame(3));
  CHECK_FALSE(third.sendNow);
  CHECK_FALSE(third.dropped);
  CHECK(window.hasWaiting());
  CHECK(window.waitingId() == 3u);
  CHECK(window.inFlight() == 2);
  CHECK(window.sent() == 2);
}

TEST_CASE("a newer frame replaces the waiting one: stale frames are dropped, never queued") {
  InFlightWindow window(2);
  window.offer(frame(1));
  window.offer(frame(2));
  window.offer(frame(3));
  auto fourth = window.offer(frame(4));
  CHECK_FALSE(fourth.sendNow);
  REQUIRE(fourth.dropped);
  CHECK(*fourth.dropped == 3);
  auto fifth = window.offer(frame(5));
  REQUIRE(fifth.dropped);
  CHECK(*fifth.dropped == 4);
  CHECK(window.dropped() == 2);
  CHECK(window.waitingId() == 5u);
  CHECK(window.inFlight() == 2);  // never more than the limit

  // A reply frees a slot: the waiting frame (the newest) takes it at once.
  auto done = window.complete(1);
  CHECK(done.known);
  REQUIRE(done.sendNow);
  CHECK(done.sendNow->frameId == 5);
  CHECK(done.sendNow->capturedMs == 500);  // its capture time, not the time it was sent
  CHECK(window.inFlight() == 2);
  CHECK(window.isInFlight(5));
  CHECK_FALSE(window.isInFlight(1));
  CHECK_FALSE(window.hasWaiting());
  CHECK(window.maxInFlightSeen() == 2);
  CHECK(window.offered() == 5);
  CHECK(window.sent() == 3);
}

TEST_CASE("replies in any order free their slots; unknown and repeated replies change nothing") {
  InFlightWindow window(2);
  window.offer(frame(1));
  window.offer(frame(2));
  auto late = window.complete(2);  // the newer one answered first (DROPPED answers do that)
  CHECK(late.known);
  CHECK_FALSE(late.sendNow);
  CHECK(window.inFlight() == 1);
  CHECK(window.isInFlight(1));
  CHECK_FALSE(window.complete(2).known);
  CHECK_FALSE(window.complete(99).known);
  CHECK(window.inFlight() == 1);
  CHECK(window.offer(frame(3)).sendNow);
  CHECK(window.complete(1).known);
  CHECK(window.complete(3).known);
  CHECK(window.idle());
  CHECK(window.canSendNow());
}

TEST_CASE("stopping drops the waiting frame") {
  InFlightWindow window(2);
  CHECK(window.discardWaiting() == 0);
  window.offer(frame(1));
  window.offer(frame(2));
  window.offer(frame(3));
  CHECK(window.waitingId() == 3u);
  CHECK(window.discardWaiting() == 1);
  CHECK(window.dropped() == 1);
  CHECK_FALSE(window.hasWaiting());
  CHECK_FALSE(window.complete(1).sendNow);
  CHECK_FALSE(window.idle());
  window.complete(2);
  CHECK(window.idle());
}

TEST_CASE("a window of one, and a limit of zero is refused") {
  InFlightWindow window(1);
  CHECK(window.offer(frame(1)).sendNow);
  CHECK_FALSE(window.offer(frame(2)).sendNow);
  CHECK(window.offer(frame(3)).dropped == 2u);
  CHECK(window.complete(1).sendNow->frameId == 3);
  CHECK(window.maxInFlightSeen() == 1);
  CHECK_THROWS_AS(InFlightWindow(0), std::invalid_argument);
}

TEST_CASE("every frame offered is sent, dropped or still waiting, whatever the order of events") {
  // A long pseudo-random run of captures and replies: the bookkeeping always adds up and the
  // limit always holds.
  InFlightWindow window(2);
  std::uint64_t state = 12345;
  auto random = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  std::vector<std::uint64_t> inFlight;
  std::uint64_t next = 1;
  for (int step = 0; step < 5000; ++step) {
    if (random() % 3 != 0 || inFlight.empty()) {
      auto offered = window.offer(frame(next++));
      if (offered.sendNow) inFlight.push_back(offered.sendNow->frameId);
    } else {
      const std::size_t pick = random() % inFlight.size();
      const std::uint64_t id = inFlight[pick];
      inFlight.erase(inFlight.begin() + static_cast<long>(pick));
      auto done = window.complete(id);
      REQUIRE(done.known);
      if (done.sendNow) inFlight.push_back(done.sendNow->frameId);
    }
    REQUIRE(window.inFlight() <= 2);
    REQUIRE(window.inFlight() == inFlight.size());
    REQUIRE(window.offered() == window.sent() + window.dropped() + (window.hasWaiting() ? 1 : 0));
    // A frame waits only while every slot is busy.
    REQUIRE((!window.hasWaiting() || window.inFlight() == 2));
  }
  CHECK(window.dropped() > 0);
  CHECK(window.maxInFlightSeen() == 2);
}

TEST_CASE("held frames wait even with a free slot until startWaiting; a refused frame is requeued") {
  InFlightWindow window(2);
  auto held = window.hold(frame(1));
  CHECK_FALSE(held.sendNow);
  CHECK_FALSE(held.dropped);
  CHECK(window.inFlight() == 0);
  CHECK(window.hold(frame(2)).dropped == 1u);  // a newer one replaces it
  auto started = window.startWaiting();
  REQUIRE(started);
  CHECK(started->frameId == 2);
  CHECK(window.inFlight() == 1);
  CHECK_FALSE(window.startWaiting());  // nothing waits

  // The hall refused frame 2 (rate limit): its slot is free, it waits again before the newer 3.
  window.hold(frame(3));
  CHECK(window.complete(2, false).known);
  CHECK(window.waitingId() == 3u);  // not started: the caller decides when
  CHECK(window.inFlight() == 0);
  window.requeue(frame(2));
  CHECK(window.waitingId() == 2u);  // capture order
  CHECK(window.startWaiting()->frameId == 2);
  CHECK(window.startWaiting()->frameId == 3);
  CHECK_FALSE(window.hasWaiting());
  // Both in-flight frames refused, the later reply first: both go again, in capture order.
  CHECK(window.complete(3, false).known);
  CHECK(window.complete(2, false).known);
  window.requeue(frame(3));
  window.requeue(frame(2));
  CHECK(window.startWaiting()->frameId == 2);
  CHECK(window.startWaiting()->frameId == 3);
  CHECK(window.offered() + window.requeued() == window.sent() + window.dropped() + (window.hasWaiting() ? 1 : 0));
  CHECK(window.sent() == 5);
  CHECK(window.dropped() == 1);
}
