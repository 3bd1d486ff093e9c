#include "protocol/request.hpp"

#include <cstdio>
#include <cstdlib>

namespace daihoi::protocol {

Request::~Request() {
  if (!staged_.changes.empty() || !staged_.events.empty()) {
    // The pending state would no longer match what is committed: a bug in a
    // handler, and continuing could acknowledge state that never lands.
    std::fputs("fatal: a request handler staged changes without committing them\n", stderr);
    std::abort();
  }
}

v1::Event& Request::emit(Audience audience) {
  staged_.events.emplace_back(v1::Event{}, audience);
  return staged_.events.back().first;
}

void Request::commitThen(std::function<void(Connection&)> afterDurable, std::function<void()> always) {
  std::weak_ptr<Connection> weak = connection_;
  hall_.commit(std::move(staged_), [weak, then = std::move(afterDurable), always = std::move(always)] {
    if (auto connection = weak.lock()) then(*connection);
    if (always) always();
  });
  staged_ = {};
}

std::uint64_t Request::commitAndReply(v1::Response response) {
  std::weak_ptr<Connection> weak = connection_;
  const std::uint64_t requestId = id();
  const bool hasEvents = !staged_.events.empty();
  if (staged_.changes.empty() && !hasEvents) {
    connection_->reply(requestId, std::move(response));
    return 0;
  }
  auto shared = std::make_shared<v1::Response>(std::move(response));
  const std::uint64_t seq = hall_.commit(std::move(staged_), [weak, requestId, shared] {
    if (auto connection = weak.lock()) connection->reply(requestId, std::move(*shared));
  });
  staged_ = {};
  return hasEvents ? seq : 0;
}

void Request::replyAfterPending(v1::Response response) {
  std::weak_ptr<Connection> weak = connection_;
  const std::uint64_t requestId = id();
  auto shared = std::make_shared<v1::Response>(std::move(response));
  hall_.afterPendingDurable([weak, requestId, shared] {
    if (auto connection = weak.lock()) connection->reply(requestId, std::move(*shared));
  });
}

void Request::fail(v1::ErrorCode code, std::string message, std::uint32_t retryAfterMs) {
  connection_->replyError(id(), code, std::move(message), retryAfterMs);
}

}  // namespace daihoi::protocol
