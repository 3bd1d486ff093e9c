#include "kiosk/in_flight.hpp"

#include <algorithm>
#include <stdexcept>

namespace daihoi::kiosk {

InFlightWindow::InFlightWindow(std::size_t limit) : limit_(limit) {
  if (limit_ == 0) {
    throw std::invalid_argument("InFlightWindow: the limit must be at least 1");
  }
}

void InFlightWindow::markSent(std::uint64_t frameId) {
  inFlight_.push_back(frameId);
  ++sent_;
  maxInFlightSeen_ = std::max(maxInFlightSeen_, inFlight_.size());
}

InFlightWindow::Offered InFlightWindow::offer(OutgoingFrame frame) {
  ++offered_;
  Offered result;
  if (inFlight_.size() < limit_ && !waiting_) {
    markSent(frame.frameId);
    result.sendNow = std::move(frame);
    return result;
  }
  if (waiting_) {
    result.dropped = waiting_->frameId;
    ++dropped_;
  }
  waiting_ = std::move(frame);
  return result;
}

InFlightWindow::Offered InFlightWindow::hold(OutgoingFrame frame) {
  ++offered_;
  Offered result;
  if (waiting_) {
    result.dropped = waiting_->frameId;
    ++dropped_;
  }
  waiting_ = std::move(frame);
  return result;
}

std::optional<OutgoingFrame> InFlightWindow::startWaiting() {
  if (!waiting_ || inFlight_.size() >= limit_) {
    return std::nullopt;
  }
  markSent(waiting_->frameId);
  std::optional<OutgoingFrame> out = std::move(waiting_);
  waiting_.reset();
  return out;
}

void InFlightWindow::requeue(OutgoingFrame frame) {
  ++requeued_;
  if (waiting_) {
    ++dropped_;  // a newer frame waits: the refused one is stale
    return;
  }
  waiting_ = std::move(frame);
}

InFlightWindow::Completed InFlightWindow::complete(std::uint64_t frameId, bool startWaiting) {
  Completed result;
  auto it = std::find(inFlight_.begin(), inFlight_.end(), frameId);
  if (it == inFlight_.end()) {
    return result;
  }
  inFlight_.erase(it);
  result.known = true;
  if (startWaiting) {
    result.sendNow = this->startWaiting();
  }
  return result;
}

std::optional<std::uint64_t> InFlightWindow::discardWaiting() {
  if (!waiting_) {
    return std::nullopt;
  }
  const std::uint64_t id = waiting_->frameId;
  waiting_.reset();
  ++dropped_;
  return id;
}

bool InFlightWindow::isInFlight(std::uint64_t frameId) const {
  return std::find(inFlight_.begin(), inFlight_.end(), frameId) != inFlight_.end();
}

std::optional<std::uint64_t> InFlightWindow::waitingId() const {
  if (!waiting_) {
    return std::nullopt;
  }
  return waiting_->frameId;
}

}  // namespace daihoi::kiosk
