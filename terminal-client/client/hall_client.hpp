#pragma once
// A terminal's session with the hall server over WebSocket (ws:// or wss://, binary
// protobuf frames). Runs its own io_context thread; every public method is thread-safe.
// Callbacks run on that thread: they must return quickly and must not call the blocking
// methods (connect, signIn, signOut, call, close), which would wait for themselves.
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/backoff.hpp"
#include "client/client_error.hpp"
#include "client/credential.hpp"
#include "client/state_mirror.hpp"
#include "daihoi.pb.h"

namespace daihoi::client {

struct ClientOptions {
  std::string url = "ws://127.0.0.1:8443/ws";
  std::string clientName = "daihoi-client";
  std::chrono::milliseconds requestTimeout{5000};  // default for request() and call()
  std::chrono::milliseconds connectTimeout{5000};  // resolve + TCP + TLS + WebSocket handshake
  std::string caFile;              // trust this CA / self-signed certificate (PEM) instead of the system's
  bool insecureSkipVerify = false; // wss:// without any certificate check: only for the demo's self-signed cert
  BackoffSettings backoff;
  std::uint64_t backoffSeed = 0;   // 0: random; tests fix it
  bool autoReconnect = true;       // after a successful sign-in
  std::uint32_t maxReconnectAttempts = 0;  // consecutive failures before giving up; 0: never give up
  // Detect dead connections: ping after half of this idle time, drop the connection after all of it. 0: off.
  std::chrono::milliseconds keepAliveTimeout{20000};
  std::size_t maxMessageBytes = 16 * 1024 * 1024;
  // After a RosterReplaced event, fetch the new roster and attendance into the mirror.
  bool refreshOnRosterReplaced = true;
};

enum class ConnectionState : std::uint8_t {
  Disconnected,  // not connected (initially, or lost before signing in)
  Connecting,    // first connection and Hello
  Connected,     // Hello done, not signed in
  SignedIn,
  Reconnecting,  // connection lost after signing in; resumes by itself
  Failed,        // gave up resuming (session expired and no reusable credential, or too many attempts)
  Closed,        // close() was called
};

std::string_view connectionStateName(ConnectionState state);  // "signed-in", ...

struct ConnectionStatus {
  ConnectionState state = ConnectionState::Disconnected;
  std::string detail;                         // why: the error that caused a reconnect, "resumed", ...
  std::uint32_t attempt = 0;                  // Reconnecting: 1 for the first retry
  std::chrono::milliseconds retryIn{0};       // Reconnecting: delay before the attempt
  bool resumed = false;                       // SignedIn after a reconnect
  std::optional<ClientError> error;           // Failed: why it gave up
};

class HallClient {
 public:
  using EventHandler = std::function<void(const daihoi::v1::Event&)>;
  using SnapshotHandler = std::function<void(const daihoi::v1::Snapshot&)>;
  using LiveUpdateHandler = std::function<void(const daihoi::v1::LiveUpdate&)>;
  using ConnectionHandler = std::function<void(const ConnectionStatus&)>;

  explicit HallClient(ClientOptions options);
  ~HallClient();  // close()
  HallClient(const HallClient&) = delete;
  HallClient& operator=(const HallClient&) = delete;

  // Opens the WebSocket and exchanges Hello.
  Outcome<daihoi::v1::HelloReply> connect();
  // Signs in; a snapshot in the reply is applied to the mirror. Enables automatic resume.
  Outcome<daihoi::v1::SignInReply> signIn(const Credential& credential);
  // Ends the session on the server; the connection stays open (signIn may follow).
  Outcome<daihoi::v1::SignOutReply> signOut();

  // Sends `message` with a request id chosen here (any request_id in it is replaced).
  // The future never throws: a Response.error becomes an Outcome error of kind Server.
  // While reconnecting the request waits for the resumed session, within its timeout.
  std::future<Outcome<daihoi::v1::Response>> request(daihoi::v1::ClientMessage message,
                                                     std::optional<std::chrono::milliseconds> timeout = {});
  // Blocking request().
  Outcome<daihoi::v1::Response> call(daihoi::v1::ClientMessage message,
                                     std::optional<std::chrono::milliseconds> timeout = {});

  // Casts this delegate's vote: `choices` are option indices (0-based; empty keeps nobody in an
  // election). A fresh random client_vote_id is sent; when an attempt ends with a connection
  // error or a time-out, the same id is sent again once the session is resumed (up to
  // kCastVoteAttempts attempts, all within `timeout`, default requestTimeout), so the vote is
  // recorded once: a retry of a recorded vote gets the same receipt with `repeated` set.
  // Blocking, like call().
  static constexpr int kCastVoteAttempts = 3;
  Outcome<daihoi::v1::CastVoteReply> castVote(std::uint32_t ballotId, std::vector<std::uint32_t> choices,
                                              std::optional<std::chrono::milliseconds> timeout = {});

  // Live events, in seq order, each once: duplicates (seq <= lastSeq) are dropped before this.
  // The mirror has already applied the event when the handler runs.
  void onEvent(EventHandler handler);
  // A snapshot replaced the mirror (first sign-in with no state, or a resume that was too far behind).
  void onSnapshot(SnapshotHandler handler);
  void onConnectionState(ConnectionHandler handler);
  // Updates pushed outside the event sequence (ballot progress): coalesced, never replayed on
  // resume, and they do not move lastSeq(). The mirror has applied the update when the handler runs.
  void onLiveUpdate(LiveUpdateHandler handler);

  // Sends a WebSocket close (bounded by a short wait) and stops the thread. Idempotent.
  // No callback starts once close() has begun, and none runs after it returns; state()
  // is Closed afterwards. The destructor calls it, so declare what callbacks use before the client.
  void close();
  // Closes the socket abruptly, as a network failure would; the client then reconnects
  // and resumes by itself. For tests and diagnostics.
  void dropConnection();

  ConnectionState state() const;
  std::optional<daihoi::v1::Principal> principal() const;
  std::string sessionToken() const;
  std::uint64_t lastSeq() const;
  StateMirror mirror() const;  // a copy, consistent as of one moment
  std::uint64_t reconnects() const;  // successful resumes since construction

  // Wait helpers for tests and scripts; return false on timeout.
  bool waitForSeq(std::uint64_t seq, std::chrono::milliseconds timeout) const;
  bool waitForState(ConnectionState state, std::chrono::milliseconds timeout) const;

  const ClientOptions& options() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daihoi::client
