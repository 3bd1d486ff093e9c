#include "protocol/connection.hpp"

#include "protocol/handlers.hpp"
#include "protocol/hall.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {

Connection::Connection(Hall& hall, Outbox& outbox, std::uint64_t id, std::string remoteAddress,
                       ConnectionLimits limits)
    : hall_(hall),
      outbox_(outbox),
      id_(id),
      remoteAddress_(std::move(remoteAddress)),
      limits_(limits),
      requestLimiter_(hall.clock(), limits.requestBurst, limits.requestsPerSecond) {}

Connection::~Connection() {
  if (subscribed_) hall_.unsubscribe(this);
}

void Connection::signedIn(domain::Principal principal, std::string sessionTokenHash) {
  principal_ = std::move(principal);
  sessionTokenHash_ = std::move(sessionTokenHash);
  hall_.subscribe(this, *principal_, outbox_);
  subscribed_ = true;
}

void Connection::signedOut() {
  if (subscribed_) hall_.unsubscribe(this);
  subscribed_ = false;
  principal_.reset();
  sessionTokenHash_.clear();
}

void Connection::send(const v1::ServerMessage& message) { outbox_.sendFrame(hall_.frame(message.SerializeAsString())); }

void Connection::reply(std::uint64_t requestId, v1::Response response) {
  response.set_request_id(requestId);
  if (response.has_error()) {
    ++hall_.metrics().errorsByCode[std::string(errorName(response.error().code()))];
  }
  v1::ServerMessage message;
  *message.mutable_response() = std::move(response);
  send(message);
}

void Connection::replyError(std::uint64_t requestId, v1::ErrorCode code, std::string message,
                            std::uint32_t retryAfterMs) {
  v1::Response response;
  auto& error = *response.mutable_error();
  error.set_code(code);
  error.set_message(std::move(message));
  error.set_retry_after_ms(retryAfterMs);
  reply(requestId, std::move(response));
}

void Connection::countBadMessage() {
  ++hall_.metrics().malformedFrames;
  if (++consecutiveBad_ >= limits_.consecutiveBadMessages) {
    outbox_.closeForPolicy("too many malformed messages");
  }
}

void Connection::onRejectedMessage(v1::ErrorCode code, std::string message) {
  replyError(0, code, std::move(message));
  countBadMessage();
}

void Connection::onBinaryMessage(std::string_view bytes) {
  v1::ClientMessage message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    onRejectedMessage(v1::ERROR_MALFORMED_FRAME, "message is not a valid ClientMessage");
    return;
  }
  const HandlerSpec* handler = findHandler(message.request_case());
  if (handler == nullptr) {
    onRejectedMessage(v1::ERROR_UNKNOWN_REQUEST, "unknown or empty request");
    return;
  }
  consecutiveBad_ = 0;
  ++hall_.metrics().requestsByType[std::string(handler->name)];
  const std::uint64_t requestId = message.request_id();
  if (!requestLimiter_.tryTake()) {
    replyError(requestId, v1::ERROR_RATE_LIMITED, "too many requests on this connection", 1000);
    return;
  }
  if (!helloDone_ && message.request_case() != v1::ClientMessage::kHello) {
    replyError(requestId, v1::ERROR_HELLO_REQUIRED, "the first message must be Hello");
    return;
  }
  if (handler->requiresSignIn) {
    if (!principal_) {
      replyError(requestId, v1::ERROR_NOT_SIGNED_IN, "sign in first");
      return;
    }
    if (!handler->allowed.contains(principal_->role)) {
      replyError(requestId, v1::ERROR_PERMISSION_DENIED,
                 std::string(handler->name) + " is not allowed for role " +
                     std::string(domain::roleName(principal_->role)));
      return;
    }
  }
  Request request(hall_, shared_from_this(), message);
  handler->handle(request);
}

}  // namespace daihoi::protocol
