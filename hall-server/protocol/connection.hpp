#pragma once
// One terminal's protocol state: hello, who signed in, its garbage and
// request-rate counters. Owned by the transport session (net); the hall keeps
// a raw pointer while it is subscribed, removed by the destructor.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/rate_limiter.hpp"
#include "daihoi.pb.h"
#include "domain/model.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;
class Hall;

// What a connection needs from its transport.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // A complete WebSocket frame, possibly shared with other sessions.
  virtual void sendFrame(std::shared_ptr<const std::string> frame) = 0;
  // Closes with a policy-violation close frame carrying `reason`.
  virtual void closeForPolicy(std::string_view reason) = 0;
};

struct ConnectionLimits {
  std::uint32_t consecutiveBadMessages = 5;  // then the connection is closed
  std::uint32_t requestsPerSecond = 50;
  std::uint32_t requestBurst = 200;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Hall& hall, Outbox& outbox, std::uint64_t id, std::string remoteAddress,
             ConnectionLimits limits = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A complete binary message from the terminal.
  void onBinaryMessage(std::string_view bytes);
  // A message the transport refused (text frame, too large): answered with
  // an error, counted as garbage, and the connection stays usable.
  void onRejectedMessage(v1::ErrorCode code, std::string message);

  void send(const v1::ServerMessage& message);
  void deliver(std::shared_ptr<const std::string> frame) { outbox_.sendFrame(std::move(frame)); }
  void reply(std::uint64_t requestId, v1::Response response);
  void replyError(std::uint64_t requestId, v1::ErrorCode code, std::string message,
                  std::uint32_t retryAfterMs = 0);

  std::uint64_t id() const { return id_; }
  const std::string& remoteAddress() const { return remoteAddress_; }
  bool helloDone() const { return helloDone_; }
  void markHelloDone() { helloDone_ = true; }
  const std::optional<domain::Principal>& principal() const { return principal_; }
  const std::string& sessionTokenHash() const { return sessionTokenHash_; }
  // Signed in: from now on the hall broadcasts to it.
  void signedIn(domain::Principal principal, std::string sessionTokenHash);
  void signedOut();
  // A sign-in is being checked (off-thread); a second one is refused meanwhile.
  bool signInInProgress() const { return signInInProgress_; }
  void setSignInInProgress(bool value) { signInInProgress_ = value; }

 private:
  void countBadMessage();

  Hall& hall_;
  Outbox& outbox_;
  std::uint64_t id_;
  std::string remoteAddress_;
  ConnectionLimits limits_;
  auth::RequestRateLimiter requestLimiter_;
  std::uint32_t consecutiveBad_ = 0;
  bool helloDone_ = false;
  bool signInInProgress_ = false;
  bool subscribed_ = false;
  std::optional<domain::Principal> principal_;
  std::string sessionTokenHash_;
};

}  // namespace daihoi::protocol
