#pragma once
// The context a handler decides in: the request, who sent it, and the means
// to stage changes and events and to reply. Handlers never write to the store:
// what they stage is committed by the hall, and the reply waits for it.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "daihoi.pb.h"
#include "protocol/connection.hpp"
#include "protocol/hall.hpp"

namespace daihoi::protocol {

class Request {
 public:
  Request(Hall& hall, std::shared_ptr<Connection> connection, const v1::ClientMessage& message)
      : hall_(hall), connection_(std::move(connection)), message_(message) {}

  Hall& hall() { return hall_; }
  Connection& connection() { return *connection_; }
  const std::shared_ptr<Connection>& connectionPtr() const { return connection_; }
  const v1::ClientMessage& message() const { return message_; }
  std::uint64_t id() const { return message_.request_id(); }
  // The dispatcher calls handlers that require a session only when signed in.
  const domain::Principal& principal() const { return *connection_->principal(); }

  // A request that staged something must commit it: the pending state
  // already contains it. Validate first, then stage.
  ~Request();

  // Decide: applied to the pending state at once, committed with the reply.
  void stage(domain::Change change) {
    hall_.stageChange(change);
    staged_.changes.push_back(std::move(change));
  }
  // An event to record with the staged changes; fill its body.
  v1::Event& emit(Audience audience);
  // The seq the last emitted event will get. Exact because a handler runs to
  // its commit without anything else committing in between (one thread).
  std::uint64_t lastEmittedSeq() const { return hall_.pendingSeq() + staged_.events.size(); }

  // Commits what was staged and runs `afterDurable` with the connection once
  // it is durable (not at all if the terminal has gone by then).
  // `always` runs once durable even when the terminal has gone.
  void commitThen(std::function<void(Connection&)> afterDurable, std::function<void()> always = nullptr);
  // Commits what was staged (if anything) and replies once it is durable.
  // Returns the seq of the last staged event (0 when none).
  std::uint64_t commitAndReply(v1::Response response);
  // Replies once everything already pending is durable: for answers that
  // were decided against pending state but change nothing themselves.
  void replyAfterPending(v1::Response response);
  void fail(v1::ErrorCode code, std::string message, std::uint32_t retryAfterMs = 0);

 private:
  Hall& hall_;
  std::shared_ptr<Connection> connection_;
  const v1::ClientMessage& message_;
  Hall::Staged staged_;
};

}  // namespace daihoi::protocol
