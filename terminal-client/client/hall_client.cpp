#include "client/hall_client.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/error.hpp>

#include "client/client_vote_id.hpp"
#include "client/server_url.hpp"
#include "client/transport.hpp"

namespace daihoi::client {

namespace asio = boost::asio;
namespace v1 = daihoi::v1;
using std::chrono::milliseconds;

std::string_view connectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::Disconnected:
      return "disconnected";
    case ConnectionState::Connecting:
      return "connecting";
    case ConnectionState::Connected:
      return "connected";
    case ConnectionState::SignedIn:
      return "signed-in";
    case ConnectionState::Reconnecting:
      return "reconnecting";
    case ConnectionState::Failed:
      return "failed";
    case ConnectionState::Closed:
      return "closed";
  }
  return "unknown";
}

namespace {

using Completion = std::function<void(Outcome<v1::Response>)>;

std::string describeReadError(const boost::system::error_code& ec) {
  if (ec == boost::beast::websocket::error::closed || ec == boost::asio::error::eof ||
      ec == boost::asio::ssl::error::stream_truncated) {
    return "the server closed the connection";
  }
  return "connection lost: " + ec.message();
}

// Checks that a successful Response carries the expected reply.
template <class Reply>
Outcome<Reply> expectReply(Outcome<v1::Response> response, v1::Response::ResultCase expected,
                           const Reply& (v1::Response::*get)() const) {
  if (!response) {
    return response.error();
  }
  if (response->result_case() != expected) {
    return protocolError("the server answered with an unexpected reply type (" +
                         std::to_string(static_cast<int>(response->result_case())) + ")");
  }
  return ((*response).*get)();
}

}  // namespace

class HallClient::Impl {
 public:
  explicit Impl(ClientOptions options)
      : options_(std::move(options)),
        work_(asio::make_work_guard(io_)),
        reconnectTimer_(io_),
        backoff_(options_.backoff, options_.backoffSeed) {
    auto url = parseServerUrl(options_.url);
    if (url) {
      url_ = url.value();
    } else {
      urlError_ = url.error();
    }
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() { close(); }

  const ClientOptions& options() const { return options_; }

  // ------------------------------------------------------------ public, any thread

  Outcome<v1::HelloReply> connect() {
    requireNotIoThread("connect");
    return runOnIo<v1::HelloReply>([this](auto finish) {
      if (urlError_) {
        finish(*urlError_);
        return;
      }
      if (state() != ConnectionState::Disconnected && state() != ConnectionState::Failed) {
        finish(invalidStateError(std::string("connect() in state ") +
                                 std::string(connectionStateName(state()))));
        return;
      }
      setStatus({ConnectionState::Connecting, "connecting to " + url_->toString()});
      openConnection([this, finish](Outcome<v1::HelloReply> hello) {
        if (closing_) {
          finish(invalidStateError("the client was closed"));
          return;
        }
        if (hello) {
          setStatus({ConnectionState::Connected, "connected to " + url_->toString()});
        } else {
          dropTransport();
          setStatus({ConnectionState::Disconnected, hello.error().message});
        }
        finish(std::move(hello));
      });
    });
  }

  Outcome<v1::SignInReply> signIn(const Credential& credential) {
    requireNotIoThread("signIn");
    return runOnIo<v1::SignInReply>([this, credential](auto finish) {
      if (state() != ConnectionState::Connected) {
        finish(invalidStateError(state() == ConnectionState::SignedIn ? "already signed in"
                                                                      : "signIn() needs a connection: call connect()"));
        return;
      }
      v1::ClientMessage message;
      fillSignIn(credential, *message.mutable_sign_in());
      message.mutable_sign_in()->set_last_seq(lastSeq());
      sendRequest(std::move(message), options_.requestTimeout, false,
                  [this, credential, finish](Outcome<v1::Response> response) {
                    auto reply = expectReply(std::move(response), v1::Response::kSignIn, &v1::Response::sign_in);
                    if (reply) {
                      if (isReusable(credential)) {
                        reusableCredential_ = credential;
                      } else {
                        reusableCredential_.reset();
                      }
                      signedIn(reply.value(), false);
                    }
                    finish(std::move(reply));
                  });
    });
  }

  Outcome<v1::SignOutReply> signOut() {
    requireNotIoThread("signOut");
    return runOnIo<v1::SignOutReply>([this](auto finish) {
      if (state() != ConnectionState::SignedIn) {
        finish(invalidStateError("not signed in"));
        return;
      }
      v1::ClientMessage message;
      message.mutable_sign_out();
      sendRequest(std::move(message), options_.requestTimeout, false, [this, finish](Outcome<v1::Response> response) {
        auto reply = expectReply(std::move(response), v1::Response::kSignOut, &v1::Response::sign_out);
        if (reply) {
          resumeEnabled_ = false;
          reusableCredential_.reset();
          {
            std::lock_guard lock(mutex_);
            principal_.reset();
            sessionToken_.clear();
            mirror_.clear();
          }
          setStatus({ConnectionState::Connected, "signed out"});
        }
        finish(std::move(reply));
      });
    });
  }

  std::future<Outcome<v1::Response>> request(v1::ClientMessage message, std::optional<milliseconds> timeout) {
    auto promise = std::make_shared<std::promise<Outcome<v1::Response>>>();
    auto future = promise->get_future();
    std::lock_guard lock(closeMutex_);
    if (closeRequested_) {
      promise->set_value(invalidStateError("the client was closed"));
      return future;
    }
    asio::post(io_, [this, promise, message = std::move(message), timeout]() mutable {
      const ConnectionState current = state();
      if (current == ConnectionState::Disconnected || current == ConnectionState::Failed ||
          current == ConnectionState::Closed) {
        promise->set_value(invalidStateError("not connected"));
        return;
      }
      sendRequest(std::move(message), timeout.value_or(options_.requestTimeout), true,
                  [promise](Outcome<v1::Response> response) { promise->set_value(std::move(response)); });
    });
    return future;
  }

  Outcome<v1::Response> call(v1::ClientMessage message, std::optional<milliseconds> timeout) {
    requireNotIoThread("call");
    return request(std::move(message), timeout).get();
  }

  Outcome<v1::CastVoteReply> castVote(std::uint32_t ballotId, std::vector<std::uint32_t> choices,
                                      std::optional<milliseconds> timeout) {
    requireNotIoThread("castVote");
    auto voteId = newClientVoteId();
    if (!voteId) {
      return voteId.error();
    }
    v1::ClientMessage message;
    auto& cast = *message.mutable_cast_vote();
    cast.set_ballot_id(ballotId);
    cast.mutable_choices()->Add(choices.begin(), choices.end());
    cast.set_client_vote_id(std::move(voteId.value()));
    const bool votedBefore = youHaveVoted(ballotId);
    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = Clock::now() + timeout.value_or(options_.requestTimeout);
    std::optional<ClientError> lost;  // the last attempt without a reply: it may have been recorded
    for (int attempt = 0; attempt < HallClient::kCastVoteAttempts; ++attempt) {
      const auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (remaining <= milliseconds{0}) {
        break;
      }
      // Equal shares of what is left, so that a time-out still leaves room for a retry.
      const milliseconds share = std::max(milliseconds{1}, remaining / (HallClient::kCastVoteAttempts - attempt));
      auto reply = expectReply(request(message, share).get(), v1::Response::kCastVote, &v1::Response::cast_vote);
      if (reply) {
        return reply;
      }
      const ErrorKind kind = reply.error().kind;
      if (kind == ErrorKind::Connection || kind == ErrorKind::Timeout) {
        lost = reply.error();
        continue;
      }
      if (!lost) {
        return reply;
      }
      // After a lost attempt, "not connected" only says that the client stopped resuming.
      ClientError error = kind == ErrorKind::InvalidState ? *lost : reply.error();
      error.message += lostVoteFate(ballotId, votedBefore);
      return error;
    }
    ClientError error = lost.value_or(timeoutError("no time left to send the vote"));
    error.message += lostVoteFate(ballotId, votedBefore);
    return error;
  }

  void close() {
    if (onIoThread()) {
      throw std::logic_error("HallClient::close() called from a client callback would wait for itself");
    }
    {
      std::lock_guard lock(closeMutex_);
      if (closeRequested_) {
        return;
      }
      closeRequested_ = true;
    }
    {
      // From here on no callback starts: in ~HallClient what they capture may already be gone.
      std::lock_guard lock(handlersMutex_);
      eventHandler_ = nullptr;
      snapshotHandler_ = nullptr;
      connectionHandler_ = nullptr;
      liveUpdateHandler_ = nullptr;
    }
    auto closed = std::make_shared<std::promise<void>>();
    asio::post(io_, [this, closed] { closeOnIo(closed); });
    closed->get_future().wait();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  void dropConnection() {
    std::lock_guard lock(closeMutex_);
    if (closeRequested_) {
      return;
    }
    asio::post(io_, [this] {
      if (transport_) {
        // Only the socket: the read loop sees the failure exactly as with a real network loss.
        transport_->abort();
      }
    });
  }

  void setEventHandler(EventHandler handler) {
    std::lock_guard lock(handlersMutex_);
    eventHandler_ = std::move(handler);
  }
  void setSnapshotHandler(SnapshotHandler handler) {
    std::lock_guard lock(handlersMutex_);
    snapshotHandler_ = std::move(handler);
  }
  void setConnectionHandler(ConnectionHandler handler) {
    std::lock_guard lock(handlersMutex_);
    connectionHandler_ = std::move(handler);
  }
  void setLiveUpdateHandler(LiveUpdateHandler handler) {
    std::lock_guard lock(handlersMutex_);
    liveUpdateHandler_ = std::move(handler);
  }

  ConnectionState state() const {
    std::lock_guard lock(mutex_);
    return state_;
  }
  std::optional<v1::Principal> principal() const {
    std::lock_guard lock(mutex_);
    return principal_;
  }
  std::string sessionToken() const {
    std::lock_guard lock(mutex_);
    return sessionToken_;
  }
  std::uint64_t lastSeq() const {
    std::lock_guard lock(mutex_);
    return mirror_.lastSeq();
  }
  StateMirror mirror() const {
    std::lock_guard lock(mutex_);
    return mirror_;
  }
  std::uint64_t reconnects() const {
    std::lock_guard lock(mutex_);
    return reconnects_;
  }
  bool waitForSeq(std::uint64_t seq, milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return mirror_.lastSeq() >= seq; });
  }
  bool waitForState(ConnectionState wanted, milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return state_ == wanted; });
  }

 private:
  struct Pending {
    Completion done;
    std::unique_ptr<asio::steady_timer> timer;
    bool sent = false;
    v1::ClientMessage message;  // kept only while waiting for a resumed session
  };

  // ------------------------------------------------------------ helpers for blocking calls

  bool youHaveVoted(std::uint32_t ballotId) const {
    std::lock_guard lock(mutex_);
    const v1::Ballot* ballot = mirror_.findBallot(ballotId);
    return ballot != nullptr && ballot->you_have_voted();
  }

  // What the mirror says about a vote whose attempt got no reply. Events missed while
  // disconnected are replayed (or a snapshot arrives) before any later reply, so a
  // VoteRecorded for it has been applied by the time the last attempt has ended.
  std::string lostVoteFate(std::uint32_t ballotId, bool votedBefore) const {
    if (!votedBefore && youHaveVoted(ballotId)) {
      return "; the vote sent before the connection was lost has been recorded, but its receipt is lost";
    }
    return "; whether the vote sent before the connection was lost was recorded is unknown";
  }

  bool onIoThread() const { return std::this_thread::get_id() == thread_.get_id(); }

  void requireNotIoThread(const char* method) const {
    if (onIoThread()) {
      throw std::logic_error(std::string("HallClient::") + method +
                             "() called from a client callback would wait for itself");
    }
  }

  // Runs `start(finish)` on the io thread and waits until it calls finish(Outcome<T>).
  template <class T, class Start>
  Outcome<T> runOnIo(Start start) {
    auto promise = std::make_shared<std::promise<Outcome<T>>>();
    auto future = promise->get_future();
    {
      std::lock_guard lock(closeMutex_);
      if (closeRequested_) {
        return invalidStateError("the client was closed");
      }
      asio::post(io_, [this, promise, start = std::move(start)]() mutable {
        auto finished = std::make_shared<bool>(false);
        start([promise, finished](Outcome<T> outcome) {
          if (!std::exchange(*finished, true)) {
            promise->set_value(std::move(outcome));
          }
        });
      });
    }
    return future.get();
  }

  // ------------------------------------------------------------ io thread only from here

  void setStatus(ConnectionStatus status) {
    {
      std::lock_guard lock(mutex_);
      state_ = status.state;
    }
    changed_.notify_all();
    ConnectionHandler handler;
    {
      std::lock_guard lock(handlersMutex_);
      handler = connectionHandler_;
    }
    if (handler) {
      handler(status);
    }
  }

  detail::TransportSettings transportSettings() const {
    detail::TransportSettings settings;
    settings.openTimeout = options_.connectTimeout;
    settings.keepAliveTimeout = options_.keepAliveTimeout;
    settings.maxMessageBytes = options_.maxMessageBytes;
    settings.caFile = options_.caFile;
    settings.insecureSkipVerify = options_.insecureSkipVerify;
    settings.userAgent = options_.clientName.empty() ? "daihoi-client" : options_.clientName;
    return settings;
  }

  // Opens a new connection and exchanges Hello; `done` gets the HelloReply or why it failed.
  void openConnection(std::function<void(Outcome<v1::HelloReply>)> done) {
    dropTransport();
    auto made = detail::makeTransport(io_, *url_, transportSettings());
    if (!made) {
      done(made.error());
      return;
    }
    transport_ = std::move(made.value());
    const std::uint64_t connection = ++connectionId_;
    transport_->asyncOpen([this, connection, done = std::move(done)](const std::string& failure) {
      if (connection != connectionId_) {
        done(connectionError(failure.empty() ? "the connection was closed while opening" : failure));
        return;
      }
      if (!failure.empty()) {
        dropTransport();
        done(connectionError(failure));
        return;
      }
      transportOpen_ = true;
      readNext(connection);
      v1::ClientMessage hello;
      hello.mutable_hello()->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
      hello.mutable_hello()->set_client_name(options_.clientName);
      sendRequest(std::move(hello), options_.requestTimeout, false, [this, done](Outcome<v1::Response> response) {
        auto reply = expectReply(std::move(response), v1::Response::kHello, &v1::Response::hello);
        if (reply && reply->protocol_version() != v1::PROTOCOL_VERSION_CURRENT) {
          done(protocolError("the server speaks protocol version " +
                             std::to_string(static_cast<int>(reply->protocol_version())) + ", this client " +
                             std::to_string(static_cast<int>(v1::PROTOCOL_VERSION_CURRENT))));
          return;
        }
        if (reply) {
          maxFrameBytes_ = reply->max_frame_bytes();
        }
        done(std::move(reply));
      });
    });
  }

  // Forgets the current connection without any state change; later callbacks from it are ignored.
  void dropTransport() {
    if (transport_) {
      transport_->abort();
      transport_.reset();
    }
    ++connectionId_;
    transportOpen_ = false;
    outbox_.clear();
    writing_ = false;
    failSentRequests(connectionError("the connection was lost before the reply"));
  }

  void failSentRequests(const ClientError& error) {
    std::vector<Completion> toFail;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.sent) {
        it->second.timer->cancel();
        toFail.push_back(std::move(it->second.done));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    // Completions may start new requests: call them after pending_ is consistent.
    for (auto& done : toFail) {
      done(error);
    }
  }

  void failAllRequests(const ClientError& error) {
    std::vector<Completion> toFail;
    for (auto& [id, pending] : pending_) {
      pending.timer->cancel();
      toFail.push_back(std::move(pending.done));
    }
    pending_.clear();
    waiting_.clear();
    for (auto& done : toFail) {
      done(error);
    }
  }

  void readNext(std::uint64_t connection) {
    transport_->asyncRead([this, connection](boost::system::error_code ec, std::string frame, bool binary) {
      if (connection != connectionId_) {
        return;
      }
      if (ec) {
        connectionLost(describeReadError(ec));
        return;
      }
      if (!binary) {
        connectionLost("the server sent a text frame; the protocol uses binary frames only");
        return;
      }
      v1::ServerMessage message;
      if (!message.ParseFromString(frame)) {
        connectionLost("the server sent a frame that is not a ServerMessage");
        return;
      }
      if (message.has_response()) {
        handleResponse(message.response());
      } else if (message.has_event()) {
        handleEvent(message.event());
      } else if (message.has_live()) {
        handleLiveUpdate(message.live());
      }
      // A handler may have ended this connection (e.g. a failed resume).
      if (connection == connectionId_ && transport_) {
        readNext(connection);
      }
    });
  }

  void connectionLost(const std::string& reason) {
    const ConnectionState current = state();
    dropTransport();
    if (closing_) {
      return;
    }
    switch (current) {
      case ConnectionState::SignedIn:
        if (resumeEnabled_ && options_.autoReconnect) {
          scheduleReconnect(reason, milliseconds{0});
        } else {
          failAllRequests(connectionError(reason));
          setStatus({ConnectionState::Disconnected, reason});
        }
        break;
      case ConnectionState::Connected:
        failAllRequests(connectionError(reason));
        setStatus({ConnectionState::Disconnected, reason});
        break;
      default:
        // Connecting or Reconnecting: the attempt in progress sees its requests fail and decides.
        break;
    }
  }

  // ------------------------------------------------------------ requests

  void sendRequest(v1::ClientMessage message, milliseconds timeout, bool mayWaitForSession, Completion done) {
    const std::uint64_t id = nextRequestId_++;
    message.set_request_id(id);
    Pending pending;
    pending.done = std::move(done);
    pending.timer = std::make_unique<asio::steady_timer>(io_, timeout);
    pending.timer->async_wait([this, id, timeout](boost::system::error_code ec) {
      if (ec) {
        return;  // cancelled: the reply came or the request failed otherwise
      }
      auto it = pending_.find(id);
      if (it == pending_.end()) {
        return;
      }
      Completion expired = std::move(it->second.done);
      pending_.erase(it);
      expired(timeoutError("no reply within " + std::to_string(timeout.count()) + " ms"));
    });
    if (mayWaitForSession && state() == ConnectionState::Reconnecting) {
      pending.message = std::move(message);
      pending_.emplace(id, std::move(pending));
      waiting_.push_back(id);
      return;
    }
    if (!transportOpen_) {
      pending.timer->cancel();
      pending.done(connectionError("not connected"));
      return;
    }
    auto frame = std::make_shared<std::string>();
    message.SerializeToString(frame.get());
    if (maxFrameBytes_ != 0 && frame->size() > maxFrameBytes_) {
      pending.timer->cancel();
      ClientError tooLarge{ErrorKind::Refused, v1::ERROR_FRAME_TOO_LARGE,
                           "the request is " + std::to_string(frame->size()) + " bytes; the server accepts at most " +
                               std::to_string(maxFrameBytes_),
                           {},
                           0};
      pending.done(std::move(tooLarge));
      return;
    }
    pending.sent = true;
    pending_.emplace(id, std::move(pending));
    enqueueFrame(std::move(frame));
  }

  // Requests made while reconnecting go out once the session is back.
  void flushWaiting() {
    std::deque<std::uint64_t> waiting;
    waiting.swap(waiting_);
    for (std::uint64_t id : waiting) {
      auto it = pending_.find(id);
      if (it == pending_.end() || it->second.sent) {
        continue;  // timed out meanwhile
      }
      auto frame = std::make_shared<std::string>();
      it->second.message.SerializeToString(frame.get());
      it->second.message.Clear();
      it->second.sent = true;
      enqueueFrame(std::move(frame));
    }
  }

  void enqueueFrame(std::shared_ptr<const std::string> frame) {
    outbox_.push_back(std::move(frame));
    if (!writing_) {
      writeNext();
    }
  }

  void writeNext() {
    writing_ = true;
    const std::uint64_t connection = connectionId_;
    transport_->asyncWrite(outbox_.front(), [this, connection](boost::system::error_code ec) {
      if (connection != connectionId_) {
        return;
      }
      writing_ = false;
      if (ec) {
        connectionLost("cannot send: " + ec.message());
        return;
      }
      outbox_.pop_front();
      if (!outbox_.empty()) {
        writeNext();
      }
    });
  }

  void handleResponse(const v1::Response& response) {
    auto it = pending_.find(response.request_id());
    if (it == pending_.end()) {
      return;  // late reply to a request that timed out, or an error about an unreadable frame
    }
    it->second.timer->cancel();
    Completion done = std::move(it->second.done);
    pending_.erase(it);
    if (response.has_error()) {
      done(fromServerError(response.error()));
    } else {
      done(response);
    }
  }

  // ------------------------------------------------------------ events and session

  void handleEvent(const v1::Event& event) {
    EventApplication applied;
    {
      std::lock_guard lock(mutex_);
      applied = mirror_.apply(event);
    }
    if (applied == EventApplication::Duplicate) {
      return;
    }
    changed_.notify_all();
    EventHandler handler;
    {
      std::lock_guard lock(handlersMutex_);
      handler = eventHandler_;
    }
    if (handler) {
      handler(event);
    }
    if (event.has_roster_replaced() && options_.refreshOnRosterReplaced) {
      refreshRosterAndAttendance();
    }
  }

  void handleLiveUpdate(const v1::LiveUpdate& update) {
    {
      std::lock_guard lock(mutex_);
      mirror_.applyLiveUpdate(update);
    }
    changed_.notify_all();
    LiveUpdateHandler handler;
    {
      std::lock_guard lock(handlersMutex_);
      handler = liveUpdateHandler_;
    }
    if (handler) {
      handler(update);
    }
  }

  // The mirror stays stale when the role may not read the roster: nothing else to do then.
  void refreshRosterAndAttendance() {
    v1::ClientMessage getRoster;
    getRoster.mutable_get_roster();
    sendRequest(std::move(getRoster), options_.requestTimeout, true, [this](Outcome<v1::Response> response) {
      if (!response || !response->has_roster()) {
        return;
      }
      {
        std::lock_guard lock(mutex_);
        mirror_.applyRoster(response->roster());
      }
      changed_.notify_all();
      v1::ClientMessage getAttendance;
      getAttendance.mutable_get_attendance();
      sendRequest(std::move(getAttendance), options_.requestTimeout, true, [this](Outcome<v1::Response> response) {
        if (!response || !response->has_attendance()) {
          return;
        }
        {
          std::lock_guard lock(mutex_);
          mirror_.applyAttendance(response->attendance());
        }
        changed_.notify_all();
      });
    });
  }

  // `resumed`: after a reconnect, with the old session or (newSession) a fresh one.
  void signedIn(const v1::SignInReply& reply, bool resumed, bool newSession = false) {
    {
      std::lock_guard lock(mutex_);
      principal_ = reply.principal();
      mirror_.setOwnDelegate(reply.principal().role() == v1::ROLE_DELEGATE
                                 ? std::optional<std::uint32_t>(reply.principal().account_id())
                                 : std::nullopt);
      if (!reply.session_token().empty()) {
        sessionToken_ = reply.session_token();
      }
      if (reply.has_snapshot()) {
        mirror_.applySnapshot(reply.snapshot());
      }
      if (resumed) {
        ++reconnects_;
      }
    }
    changed_.notify_all();
    if (reply.has_snapshot()) {
      SnapshotHandler handler;
      {
        std::lock_guard lock(handlersMutex_);
        handler = snapshotHandler_;
      }
      if (handler) {
        handler(reply.snapshot());
      }
    }
    backoff_.reset();
    resumeEnabled_ = true;
    ConnectionStatus status{ConnectionState::SignedIn, resumed ? "session resumed" : "signed in"};
    status.resumed = resumed;
    if (resumed) {
      status.detail = std::string(newSession ? "signed in again (the old session had expired)"
                                             : "session resumed") +
                      (reply.has_snapshot()
                           ? "; fresh snapshot at seq " + std::to_string(reply.snapshot().seq())
                           : "; " + std::to_string(reply.missed_events()) + " missed events follow");
    }
    setStatus(std::move(status));
    flushWaiting();
  }

  void scheduleReconnect(const std::string& reason, milliseconds atLeast) {
    if (closing_) {
      return;
    }
    if (options_.maxReconnectAttempts != 0 && backoff_.attempt() >= options_.maxReconnectAttempts) {
      giveUp(connectionError("gave up reconnecting after " + std::to_string(backoff_.attempt()) +
                             " attempts: " + reason));
      return;
    }
    const milliseconds delay = std::max(backoff_.next(), atLeast);
    ConnectionStatus status{ConnectionState::Reconnecting, reason};
    status.attempt = backoff_.attempt();
    status.retryIn = delay;
    setStatus(std::move(status));
    reconnectTimer_.expires_after(delay);
    reconnectTimer_.async_wait([this](boost::system::error_code ec) {
      if (ec || closing_) {
        return;
      }
      attemptResume();
    });
  }

  void attemptResume() {
    openConnection([this](Outcome<v1::HelloReply> hello) {
      if (closing_) {
        return;
      }
      if (!hello) {
        retryAfter(hello.error());
        return;
      }
      v1::ClientMessage resume;
      std::string token;
      {
        std::lock_guard lock(mutex_);
        token = sessionToken_;
      }
      resume.mutable_sign_in()->set_session_token(token);
      resume.mutable_sign_in()->set_last_seq(lastSeq());
      sendRequest(std::move(resume), options_.requestTimeout, false, [this](Outcome<v1::Response> response) {
        if (closing_) {
          return;
        }
        auto reply = expectReply(std::move(response), v1::Response::kSignIn, &v1::Response::sign_in);
        if (reply) {
          signedIn(reply.value(), true);
          return;
        }
        const ClientError& error = reply.error();
        if (error.isServer(v1::ERROR_SESSION_EXPIRED) || error.isServer(v1::ERROR_INVALID_CREDENTIALS)) {
          signInAgainWithCredential(error);
          return;
        }
        retryAfter(error);
      });
    });
  }

  // The session is gone on the server: sign in afresh if the user's credential can be used again.
  void signInAgainWithCredential(const ClientError& resumeError) {
    if (!reusableCredential_) {
      ClientError error = resumeError;
      error.message = "the session cannot be resumed (" + resumeError.message +
                      ") and the credential was one-time: sign in again";
      giveUp(std::move(error));
      return;
    }
    v1::ClientMessage message;
    fillSignIn(*reusableCredential_, *message.mutable_sign_in());
    message.mutable_sign_in()->set_last_seq(lastSeq());
    sendRequest(std::move(message), options_.requestTimeout, false, [this](Outcome<v1::Response> response) {
      if (closing_) {
        return;
      }
      auto reply = expectReply(std::move(response), v1::Response::kSignIn, &v1::Response::sign_in);
      if (reply) {
        signedIn(reply.value(), true, true);
        return;
      }
      if (reply.error().isServer(v1::ERROR_INVALID_CREDENTIALS)) {
        giveUp(reply.error());
        return;
      }
      retryAfter(reply.error());
    });
  }

  void retryAfter(const ClientError& error) {
    if (error.kind == ErrorKind::Server && error.serverCode == v1::ERROR_UNSUPPORTED_VERSION) {
      giveUp(error);
      return;
    }
    dropTransport();
    scheduleReconnect(error.message, milliseconds{error.retryAfterMs});
  }

  void giveUp(ClientError error) {
    dropTransport();
    resumeEnabled_ = false;
    failAllRequests(error);
    ConnectionStatus status{ConnectionState::Failed, error.message};
    status.error = std::move(error);
    setStatus(std::move(status));
  }

  void closeOnIo(const std::shared_ptr<std::promise<void>>& closed) {
    closing_ = true;
    reconnectTimer_.cancel();
    failAllRequests(invalidStateError("the client was closed"));
    auto finish = [this, closed, finished = std::make_shared<bool>(false)] {
      if (std::exchange(*finished, true)) {
        return;
      }
      dropTransport();
      setStatus({ConnectionState::Closed, "closed"});
      closed->set_value();
    };
    if (!transport_ || !transportOpen_) {
      finish();
      return;
    }
    // A polite close, but never let an unresponsive server hold the caller for long.
    auto deadline = std::make_shared<asio::steady_timer>(io_, milliseconds{1000});
    deadline->async_wait([finish](boost::system::error_code ec) {
      if (!ec) {
        finish();
      }
    });
    transport_->asyncClose([finish, deadline](boost::system::error_code) {
      deadline->cancel();
      finish();
    });
  }

  // Declared first: destroyed last, after every object that uses it.
  asio::io_context io_;
  ClientOptions options_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::optional<ServerUrl> url_;
  std::optional<ClientError> urlError_;

  // io thread only
  std::shared_ptr<detail::Transport> transport_;
  std::uint64_t connectionId_ = 0;
  bool transportOpen_ = false;
  std::deque<std::shared_ptr<const std::string>> outbox_;
  bool writing_ = false;
  std::unordered_map<std::uint64_t, Pending> pending_;
  std::deque<std::uint64_t> waiting_;
  std::uint64_t nextRequestId_ = 1;
  std::uint32_t maxFrameBytes_ = 0;
  asio::steady_timer reconnectTimer_;
  Backoff backoff_;
  std::optional<Credential> reusableCredential_;
  bool resumeEnabled_ = false;
  bool closing_ = false;

  // shared with other threads
  mutable std::mutex closeMutex_;
  bool closeRequested_ = false;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  ConnectionState state_ = ConnectionState::Disconnected;
  StateMirror mirror_;
  std::optional<v1::Principal> principal_;
  std::string sessionToken_;
  std::uint64_t reconnects_ = 0;
  std::mutex handlersMutex_;
  EventHandler eventHandler_;
  SnapshotHandler snapshotHandler_;
  ConnectionHandler connectionHandler_;
  LiveUpdateHandler liveUpdateHandler_;
};

HallClient::HallClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HallClient::~HallClient() = default;

Outcome<v1::HelloReply> HallClient::connect() { return impl_->connect(); }
Outcome<v1::SignInReply> HallClient::signIn(const Credential& credential) { return impl_->signIn(credential); }
Outcome<v1::SignOutReply> HallClient::signOut() { return impl_->signOut(); }
std::future<Outcome<v1::Response>> HallClient::request(v1::ClientMessage message, std::optional<milliseconds> timeout) {
  return impl_->request(std::move(message), timeout);
}
Outcome<v1::Response> HallClient::call(v1::ClientMessage message, std::optional<milliseconds> timeout) {
  return impl_->call(std::move(message), timeout);
}
void HallClient::onEvent(EventHandler handler) { impl_->setEventHandler(std::move(handler)); }
void HallClient::onSnapshot(SnapshotHandler handler) { impl_->setSnapshotHandler(std::move(handler)); }
void HallClient::onConnectionState(ConnectionHandler handler) { impl_->setConnectionHandler(std::move(handler)); }
void HallClient::onLiveUpdate(LiveUpdateHandler handler) { impl_->setLiveUpdateHandler(std::move(handler)); }
Outcome<v1::CastVoteReply> HallClient::castVote(std::uint32_t ballotId, std::vector<std::uint32_t> choices,
                                                std::optional<milliseconds> timeout) {
  return impl_->castVote(ballotId, std::move(choices), timeout);
}
void HallClient::close() { impl_->close(); }
void HallClient::dropConnection() { impl_->dropConnection(); }
ConnectionState HallClient::state() const { return impl_->state(); }
std::optional<v1::Principal> HallClient::principal() const { return impl_->principal(); }
std::string HallClient::sessionToken() const { return impl_->sessionToken(); }
std::uint64_t HallClient::lastSeq() const { return impl_->lastSeq(); }
StateMirror HallClient::mirror() const { return impl_->mirror(); }
std::uint64_t HallClient::reconnects() const { return impl_->reconnects(); }
bool HallClient::waitForSeq(std::uint64_t seq, milliseconds timeout) const { return impl_->waitForSeq(seq, timeout); }
bool HallClient::waitForState(ConnectionState state, milliseconds timeout) const {
  return impl_->waitForState(state, timeout);
}
const ClientOptions& HallClient::options() const { return impl_->options(); }

}  // namespace daihoi::client
