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

std::optional<std::uint64_t> InFlightWindow::replaceWaiting(OutgoingFrame frame) {
  std::optional<std::uint64_t> replaced;
  if (!waiting_.empty()) replaced = waiting_.back().frameId;
  dropped_ += waiting_.size();
  waiting_.clear();
  waiting_.push_back(std::move(frame));
  return replaced;
}

InFlightWindow::Offered InFlightWindow::offer(OutgoingFrame frame) {
  ++offered_;
  Offered result;
  if (canSendNow()) {
    markSent(frame.frameId);
    result.sendNow = std::move(frame);
    return result;
  }
  result.dropped = replaceWaiting(std::move(frame));
  return result;
}

InFlightWindow::Offered InFlightWindow::hold(OutgoingFrame frame) {
  ++offered_;
  Offered result;
  result.dropped = replaceWaiting(std::move(frame));
  return result;
}

std::optional<OutgoingFrame> InFlightWindow::startWaiting() {
  if (waiting_.empty() || inFlight_.size() >= limit_) {
    return std::nullopt;
  }
  std::optional<OutgoingFrame> out = std::move(waiting_.front());
  waiting_.pop_front();
  markSent(out->frameId);
  return out;
}

void InFlightWindow::requeue(OutgoingFrame frame) {
  ++requeued_;
  auto at = std::find_if(waiting_.begin(), waiting_.end(),
                         [&](const OutgoingFrame& w) { return w.frameId > frame.frameId; });
  waiting_.insert(at, std::move(frame));
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

std::size_t InFlightWindow::discardWaiting() {
  const std::size_t discarded = waiting_.size();
  dropped_ += discarded;
  waiting_.clear();
  return discarded;
}

bool InFlightWindow::isInFlight(std::uint64_t frameId) const {
  return std::find(inFlight_.begin(), inFlight_.end(), frameId) != inFlight_.end();
}

std::optional<std::uint64_t> InFlightWindow::waitingId() const {
  if (waiting_.empty()) {
    return std::nullopt;
  }
  return waiting_.front().frameId;
}

}  // namespace daihoi::kiosk
