// Hello, SignIn, SignOut: how a terminal becomes a session.
#include <algorithm>
#include <cctype>

#include "auth/passwords.hpp"
#include "auth/tokens.hpp"
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

using domain::Role;

// One answer for every wrong credential, so that nobody learns which
// accounts exist.
constexpr const char* kInvalidCredentials = "Sai thông tin đăng nhập / Invalid credentials";

struct SignInAttempt {
  v1::ClientMessage message;  // kept: the check finishes after the handler returned
  std::string connectionKey;
  std::string accountKey;     // empty for token credentials
};

std::string lowerAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string accountKeyFor(const v1::SignIn& in) {
  switch (in.credential_case()) {
    case v1::SignIn::kStaffPassword: return "staff:" + lowerAscii(in.staff_password().username());
    case v1::SignIn::kDelegatePin: return "delegate:" + in.delegate_pin().code();
    default: return {};
  }
}

void signInFailed(Request& request, const SignInAttempt& attempt) {
  request.connection().setSignInInProgress(false);
  auto& limiter = request.hall().signInLimiter();
  limiter.recordFailure(attempt.connectionKey);
  if (!attempt.accountKey.empty()) limiter.recordFailure(attempt.accountKey);
  ++request.hall().metrics().signInsFailed;
  request.fail(v1::ERROR_INVALID_CREDENTIALS, kInvalidCredentials);
}

// Sends the reply with its catch-up and subscribes the connection.
void finishSignIn(Connection& connection, std::uint64_t requestId, const domain::Principal& principal,
                  const std::string& tokenHash, const std::string& newToken, std::int64_t expiresMs,
                  std::uint64_t lastSeq, Hall& hall) {
  connection.setSignInInProgress(false);
  v1::Response response;
  auto& reply = *response.mutable_sign_in();
  toWire(principal, *reply.mutable_principal());
  if (!newToken.empty()) reply.set_session_token(newToken);
  reply.set_session_expires_ms(expiresMs);
  auto missed = hall.catchUp(principal, lastSeq, reply);
  connection.reply(requestId, std::move(response));
  for (auto& frame : missed) connection.deliver(std::move(frame));
  connection.signedIn(principal, tokenHash);
  ++hall.metrics().signInsOk;
}

// A new session for `principal`: durable before the token is handed out.
void openSession(Request& request, const SignInAttempt& attempt, domain::Principal principal) {
  request.connection().setSignInInProgress(true);
  Hall& hall = request.hall();
  auto& limiter = hall.signInLimiter();
  limiter.recordSuccess(attempt.connectionKey);
  if (!attempt.accountKey.empty()) limiter.recordSuccess(attempt.accountKey);

  const std::string token = auth::newSecretToken();
  const std::string tokenHash = auth::tokenHash(token);
  const std::int64_t now = hall.clock().nowMs();
  const std::int64_t expires = now + hall.options().sessionTtlMs;
  request.stage(domain::SessionOpened{tokenHash, principal, now, expires});
  auto& event = *request.emit(Audience{{Role::Organizer}}).mutable_session_opened();
  toWire(principal, *event.mutable_principal());
  event.set_remote_address(request.connection().remoteAddress());

  const std::uint64_t requestId = request.id();
  const std::uint64_t lastSeq = attempt.message.sign_in().last_seq();
  request.commitThen([&hall, requestId, principal, tokenHash, token, expires, lastSeq](Connection& connection) {
    finishSignIn(connection, requestId, principal, tokenHash, token, expires, lastSeq, hall);
  });
}

// Argon2 takes tens of milliseconds: it runs off the network thread, and the
// sign-in continues here when it is done.
void verifySlowly(Request& request, std::shared_ptr<SignInAttempt> attempt, auth::HashStrength strength,
                  std::string storedHash, std::string secret, std::optional<domain::Principal> principal) {
  auto verified = std::make_shared<bool>(false);
  auto weak = std::weak_ptr<Connection>(request.connectionPtr());
  Hall& hall = request.hall();
  request.connection().setSignInInProgress(true);
  hall.blockingWork().run(
      [verified, strength, storedHash = std::move(storedHash), secret = std::move(secret),
       known = principal.has_value()] {
        if (known) {
          *verified = auth::verifySecret(storedHash, secret);
        } else {
          auth::burnVerificationTime(strength);
        }
      },
      [&hall, weak, attempt, verified, principal] {
        auto connection = weak.lock();
        if (!connection) return;
        Request resumed(hall, connection, attempt->message);
        if (*verified && principal) {
          openSession(resumed, *attempt, *principal);
        } else {
          signInFailed(resumed, *attempt);
        }
      });
}

}  // namespace

void handleHello(Request& request) {
  const auto& hello = request.message().hello();
  if (hello.protocol_version() != v1::PROTOCOL_VERSION_CURRENT) {
    request.fail(v1::ERROR_UNSUPPORTED_VERSION,
                 "this server speaks protocol version " + std::to_string(v1::PROTOCOL_VERSION_CURRENT));
    return;
  }
  request.connection().markHelloDone();
  v1::Response response;
  auto& reply = *response.mutable_hello();
  reply.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  reply.set_server_name(request.hall().options().serverName);
  reply.set_server_time_ms(request.hall().clock().nowMs());
  reply.set_max_frame_bytes(request.hall().options().maxFrameBytes);
  request.commitAndReply(std::move(response));
}

void handleSignIn(Request& request) {
  Connection& connection = request.connection();
  if (connection.principal()) {
    request.fail(v1::ERROR_ALREADY_SIGNED_IN, "this connection is already signed in");
    return;
  }
  if (connection.signInInProgress()) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "a sign-in is already being checked on this connection");
    return;
  }
  const auto& in = request.message().sign_in();
  auto attempt = std::make_shared<SignInAttempt>(
      SignInAttempt{request.message(), "conn:" + std::to_string(connection.id()), accountKeyFor(in)});

  Hall& hall = request.hall();
  auto& limiter = hall.signInLimiter();
  std::int64_t retryAfter = limiter.retryAfterMs(attempt->connectionKey).value_or(0);
  if (!attempt->accountKey.empty()) {
    retryAfter = std::max(retryAfter, limiter.retryAfterMs(attempt->accountKey).value_or(0));
  }
  if (retryAfter > 0) {
    request.fail(v1::ERROR_RATE_LIMITED, "too many failed sign-ins; try again later",
                 static_cast<std::uint32_t>(retryAfter));
    return;
  }

  auth::Directory& directory = hall.directory();
  switch (in.credential_case()) {
    case v1::SignIn::kSessionToken: {
      const domain::StoredSession* session = hall.findSession(auth::tokenHash(in.session_token()));
      if (session == nullptr) {
        signInFailed(request, *attempt);
        return;
      }
      if (session->expiresMs <= hall.clock().nowMs()) {
        request.fail(v1::ERROR_SESSION_EXPIRED, "the session has expired; sign in again");
        return;
      }
      limiter.recordSuccess(attempt->connectionKey);
      // Resuming reveals only committed state, but the answer must not
      // overtake anything this session's own earlier requests staged.
      const auto principal = session->principal;
      const auto tokenHash = session->tokenHash;
      const auto expires = session->expiresMs;
      const std::uint64_t requestId = request.id();
      const std::uint64_t lastSeq = in.last_seq();
      std::weak_ptr<Connection> weak = request.connectionPtr();
      connection.setSignInInProgress(true);
      hall.afterPendingDurable([&hall, weak, requestId, principal, tokenHash, expires, lastSeq] {
        if (auto c = weak.lock()) finishSignIn(*c, requestId, principal, tokenHash, {}, expires, lastSeq, hall);
      });
      return;
    }
    case v1::SignIn::kDeviceToken: {
      const domain::Device* device = directory.deviceByTokenHash(auth::tokenHash(in.device_token()));
      if (device == nullptr) {
        signInFailed(request, *attempt);
        return;
      }
      openSession(request, *attempt, directory.principalForDevice(*device));
      return;
    }
    case v1::SignIn::kBadgeToken: {
      auto delegateId = directory.delegateByBadgeTokenHash(auth::tokenHash(in.badge_token()));
      const domain::Delegate* delegate =
          delegateId ? hall.pending().roster().findById(*delegateId) : nullptr;
      const domain::DelegateCredential* credential = delegateId ? directory.delegateCredential(*delegateId) : nullptr;
      if (delegate == nullptr || credential == nullptr || credential->badgeUsed) {
        signInFailed(request, *attempt);
        return;
      }
      directory.markBadgeUsed(*delegateId);  // at once: a second use in flight must fail too
      request.stage(domain::BadgeTokenUsed{*delegateId, hall.clock().nowMs()});
      openSession(request, *attempt, directory.principalForDelegate(*delegate));
      return;
    }
    case v1::SignIn::kStaffPassword: {
      const domain::StaffAccount* account = directory.staffByUsername(in.staff_password().username());
      std::optional<domain::Principal> principal;
      std::string storedHash;
      if (account != nullptr) {
        principal = directory.principalForStaff(*account);
        storedHash = account->passwordHash;
      }
      verifySlowly(request, attempt, auth::HashStrength::Interactive, std::move(storedHash),
                   in.staff_password().password(), std::move(principal));
      return;
    }
    case v1::SignIn::kDelegatePin: {
      const domain::Delegate* delegate = hall.pending().roster().findByCode(in.delegate_pin().code());
      const domain::DelegateCredential* credential =
          delegate ? directory.delegateCredential(delegate->id) : nullptr;
      std::optional<domain::Principal> principal;
      std::string storedHash;
      if (credential != nullptr && !credential->pinHash.empty()) {
        principal = directory.principalForDelegate(*delegate);
        storedHash = credential->pinHash;
      }
      verifySlowly(request, attempt, auth::HashStrength::Pin, std::move(storedHash), in.delegate_pin().pin(),
                   std::move(principal));
      return;
    }
    case v1::SignIn::CREDENTIAL_NOT_SET:
      request.fail(v1::ERROR_INVALID_ARGUMENT, "SignIn needs a credential");
      return;
  }
}

void handleSignOut(Request& request) {
  const std::string tokenHash = request.connection().sessionTokenHash();
  request.stage(domain::SessionClosed{tokenHash});
  auto& event = *request.emit(Audience{{Role::Organizer}}).mutable_session_closed();
  toWire(request.principal(), *event.mutable_principal());
  const std::uint64_t requestId = request.id();
  request.commitThen([requestId](Connection& connection) {
    connection.signedOut();
    v1::Response response;
    response.mutable_sign_out();
    connection.reply(requestId, std::move(response));
  });
}

}  // namespace daihoi::protocol
