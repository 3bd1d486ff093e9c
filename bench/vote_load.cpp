// vote_load: the load client of the vote benchmark.
//
// One process, one thread, against a running hall server (`init-demo`
// database, its credentials file):
//
//   1. The chair and a secretary sign in and stay connected; the chair's
//      snapshot gives the roster (who has a voting right, who is present).
//   2. Secretary connections (one per --checkins-per-connection delegates,
//      within the per-connection request burst) check in every voting
//      delegate who will sign in, then disconnect.
//   3. Every delegate signs in over its own WebSocket with its one-time badge
//      token (Hello, SignIn) and stays connected.
//   4. Per pattern (--patterns "spread burst"): a secretary drafts a motion,
//      the chair opens it; once every eligible terminal has seen it open, every voting
//      delegate casts one vote — "spread": each at a uniformly random moment
//      within --spread-ms; "burst": all written in one loop at once. Every
//      acknowledgement (the CastVote reply, sent once the vote is durable) is
//      timed from its send; LiveUpdate progress frames are counted per
//      terminal. Then the chair closes and publishes the ballot, and every
//      terminal's receipt of BallotPublished is timed from the send of
//      PublishBallot (the same clock).
//
// Prints the figures of each pattern and a line `METRICS pattern=P key=value
// ...` per pattern for run_votes.sh; exit status 0 only when every vote was
// acknowledged, every terminal got the result and nothing failed.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cmath>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <memory>
#include <random>
#include <unordered_map>

#include "ws_client.hpp"

namespace daihoi::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kHelloId = 1;
constexpr std::uint64_t kSignInId = 2;
constexpr std::uint64_t kVoteRequestBase = 100;  // a terminal's vote in pattern k: base + k

const char* const kUsage = R"(vote_load — load client of the Daihoi vote benchmark

usage: vote_load (--port P | --port-file FILE) --credentials FILE [options]

  --host ADDR                  server address (127.0.0.1)
  --credentials FILE           credentials written by `hall-server init-demo` (on a fresh database:
                               the badge tokens are one-time)
  --delegates N                delegate terminals: the first N delegates of the file (all)
  --patterns LIST              "spread burst" (default), or one of them
  --spread-ms T                spread: each vote at a random moment within T ms (1000)
  --ballot-mode MODE           named (default) or secret
  --connect-inflight K         delegate sign-ins in flight at once (200)
  --checkins-per-connection C  check-ins sent on one secretary connection (150; its burst is 200)
  --chair USER                 chair account (chair1)
  --secretary USER             secretary account (secretary)
  --server-pid PID             read the server's CPU time and RSS from /proc
  --ack-timeout-ms T           wait at most T ms for the acknowledgements (60000)
  --result-timeout-ms T        wait at most T ms for the result to reach every terminal (20000)
  --progress-wait-ms T         wait at most T ms after the last acknowledgement for the final
                               progress update on every eligible terminal (3000)
  --seed S                     random seed (1)
  --label TEXT                 printed with the figures
)";

struct DelegateCredential {
  std::string code;
  std::string badge;
};

struct Options {
  ServerTarget server;
  std::string credentialsPath;
  std::size_t delegates = 0;  // 0: all
  std::vector<std::string> patterns{"spread", "burst"};
  std::int64_t spreadMs = 1000;
  bool secret = false;
  std::size_t connectInflight = 200;
  std::size_t checkinsPerConnection = 150;
  std::string chair = "chair1";
  std::string secretary = "secretary";
  std::chrono::milliseconds ackTimeout{60'000};
  std::chrono::milliseconds resultTimeout{20'000};
  std::chrono::milliseconds progressWait{3'000};
  std::uint64_t seed = 1;
  std::string label;
  // From the credentials file.
  std::string chairPassword;
  std::string secretaryPassword;
  std::vector<DelegateCredential> delegateCredentials;
};

// ------------------------------------------------------------ command line

void readCredentials(Options& options) {
  for (const auto& fields : readCredentialRows(options.credentialsPath)) {
    // name, kind, login, secret(s): delegates carry the PIN and the badge token.
    if (fields.size() >= 4 && fields[1] == "staff") {
      if (fields[2] == options.chair) options.chairPassword = fields[3];
      if (fields[2] == options.secretary) options.secretaryPassword = fields[3];
    }
    if (fields.size() >= 5 && fields[1] == "delegate") {
      options.delegateCredentials.push_back(DelegateCredential{fields[2], fields[4]});
    }
  }
  if (options.chairPassword.empty()) throw std::invalid_argument("no staff account '" + options.chair + "'");
  if (options.secretaryPassword.empty()) throw std::invalid_argument("no staff account '" + options.secretary + "'");
  if (options.delegateCredentials.empty()) throw std::invalid_argument("no delegates in " + options.credentialsPath);
  if (options.delegates != 0) {
    if (options.delegates > options.delegateCredentials.size()) {
      throw std::invalid_argument("--delegates " + std::to_string(options.delegates) + ": the file has only " +
                                  std::to_string(options.delegateCredentials.size()));
    }
    options.delegateCredentials.resize(options.delegates);
  }
}

Options parseOptions(int argc, char** argv) {
  Options options;
  auto milliseconds = [](const std::string& value, const std::string& name) {
    return std::chrono::milliseconds(parseNumber(value, name));
  };
  const OptionHandler handle = [&](const std::string& name, const std::string& value) {
    if (options.server.parse(name, value)) return true;
    if (name == "credentials") {
      options.credentialsPath = value;
    } else if (name == "delegates") {
      options.delegates = parseNumber(value, name);
    } else if (name == "patterns") {
      options.patterns = parsePatterns(value);
      if (options.patterns.empty()) throw std::invalid_argument("--patterns is empty");
    } else if (name == "spread-ms") {
      options.spreadMs = static_cast<std::int64_t>(std::max<std::uint64_t>(1, parseNumber(value, name)));
    } else if (name == "ballot-mode") {
      if (value != "named" && value != "secret") throw std::invalid_argument("--ballot-mode is named or secret");
      options.secret = value == "secret";
    } else if (name == "connect-inflight") {
      options.connectInflight = std::max<std::uint64_t>(1, parseNumber(value, name));
    } else if (name == "checkins-per-connection") {
      options.checkinsPerConnection = std::max<std::uint64_t>(1, parseNumber(value, name));
    } else if (name == "chair") {
      options.chair = value;
    } else if (name == "secretary") {
      options.secretary = value;
    } else if (name == "ack-timeout-ms") {
      options.ackTimeout = milliseconds(value, name);
    } else if (name == "result-timeout-ms") {
      options.resultTimeout = milliseconds(value, name);
    } else if (name == "progress-wait-ms") {
      options.progressWait = milliseconds(value, name);
    } else if (name == "seed") {
      options.seed = parseNumber(value, name);
    } else if (name == "label") {
      options.label = value;
    } else {
      return false;
    }
    return true;
  };
  parseArguments(argc, argv, kUsage, {}, handle);
  options.server.resolvePort();
  if (options.credentialsPath.empty()) throw std::invalid_argument("--credentials is required");
  readCredentials(options);
  return options;
}

// ------------------------------------------------------------ helpers

// The request id and result field number of a ServerMessage carrying a
// Response, read without parsing the rest (a delegate's sign-in reply holds
// the whole roster). nullopt for events, live updates and broken frames.
struct ResponsePeek {
  std::uint64_t requestId = 0;
  int resultField = 0;  // v1::Response's field number: 2 error, 10 hello, 11 sign_in, ...
};

std::optional<ResponsePeek> peekResponse(const void* data, std::size_t size) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(static_cast<const std::uint8_t*>(data), static_cast<int>(size));
  for (std::uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != v1::ServerMessage::kResponseFieldNumber ||
        WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
      continue;
    }
    std::uint32_t length = 0;
    if (!in.ReadVarint32(&length)) return std::nullopt;
    const auto limit = in.PushLimit(static_cast<int>(length));
    ResponsePeek peek;
    for (std::uint32_t inner = in.ReadTag(); inner != 0; inner = in.ReadTag()) {
      const int field = WireFormatLite::GetTagFieldNumber(inner);
      if (field == v1::Response::kRequestIdFieldNumber &&
          WireFormatLite::GetTagWireType(inner) == WireFormatLite::WIRETYPE_VARINT) {
        if (!in.ReadVarint64(&peek.requestId)) return std::nullopt;
        continue;
      }
      peek.resultField = field;
      if (!WireFormatLite::SkipField(&in, inner)) return std::nullopt;
    }
    in.PopLimit(limit);
    return peek;
  }
  return std::nullopt;
}

std::string randomHex(std::mt19937_64& random, std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto byte = static_cast<unsigned>(random() & 0xff);
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return text;
}

// Most updates found in any half-open window of `windowNs` among sorted times.
std::size_t maxInWindow(const std::vector<std::int64_t>& times, std::int64_t windowNs) {
  std::size_t best = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= windowNs) ++first;
    best = std::max(best, last - first + 1);
  }
  return best;
}

// ------------------------------------------------------------ the benchmark

// A staff connection: requests by id, responses collected by its read loop.
struct StaffLink {
  std::shared_ptr<WsStream> stream;
  std::unordered_map<std::uint64_t, v1::Response> responses;
  std::uint64_t nextId = 1;
  bool closed = false;
  bool closing = false;
};

struct Terminal {
  const DelegateCredential* credential = nullptr;
  std::uint32_t delegateId = 0;
  bool voting = false;
  std::shared_ptr<WsStream> stream;
  bool connected = false;
  // The current pattern.
  std::string vote;  // the serialised CastVote
  std::int64_t scheduledNs = -1;
  std::int64_t sendNs = -1;
  std::int64_t ackNs = -1;
  bool ackOk = false;
  std::int64_t openSeenNs = -1;
  std::int64_t publishedNs = -1;
  std::vector<std::int64_t> liveNs;  // LiveUpdate receipts for the current ballot
  bool progressComplete = false;
  std::int64_t progressCompleteNs = -1;
};

struct PatternResult {
  std::string pattern;
  std::uint32_t ballotId = 0;
  bool ok = false;
  std::size_t votes = 0;
  std::size_t acked = 0;
  std::size_t refused = 0;
  std::size_t eligible = 0;
  std::vector<std::int64_t> ackLatencies;  // sorted
  double firstToLastAckMs = NAN;
  double sendSpanMs = NAN;
  double maxSendLagMs = NAN;
  double votesPerSecond = NAN;
  std::size_t openSeen = 0;
  std::vector<std::int64_t> publishLatencies;  // sorted
  std::size_t resultMissing = 0;
  double publishReplyMs = NAN;
  std::size_t liveMaxCount = 0;       // LiveUpdate frames, most on one terminal
  std::size_t liveMinCount = 0;
  std::size_t liveMaxPerSecond = 0;   // most in any 1 s window on any terminal
  double liveMinGapMs = NAN;          // shortest interval between two updates on one terminal
  std::size_t progressComplete = 0;   // eligible terminals that saw every vote counted
  double progressAfterLastAckMs = NAN;
  std::optional<double> serverCpuSeconds;
  std::optional<double> serverCpuUserSeconds;
  double clientCpuSeconds = 0;
  std::optional<double> rssAfterMb;
  std::string error;
};

class Benchmark {
 public:
  explicit Benchmark(Options options)
      : options_(std::move(options)),
        connector_(ioc_, options_.server.host, options_.server.port),
        signal_(ioc_),
        random_(options_.seed) {
    terminals_.resize(options_.delegateCredentials.size());
    for (std::size_t i = 0; i < terminals_.size(); ++i) terminals_[i].credential = &options_.delegateCredentials[i];
  }

  int run() {
    fatal_ = runScript(ioc_, script());
    return report();
  }

 private:
  std::optional<double> serverRss() const { return readRssMb(options_.server.pid); }

  // ---- staff

  asio::awaitable<void> staffReadLoop(StaffLink& link) {
    v1::ServerMessage message;
    auto onFrame = [this, &link, &message](std::string_view bytes, std::int64_t) {
      if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        errors_.note("a staff connection received an unparsable ServerMessage");
        return;
      }
      if (message.has_response()) {
        link.responses[message.response().request_id()] = std::move(*message.mutable_response());
        signal_.notify();
      }
    };
    const boost::system::error_code ec = co_await readFrames(*link.stream, onFrame);
    link.closed = true;
    if (!link.closing && !stopping_) errors_.note("a staff connection was lost: " + ec.message());
    signal_.notify();
  }

  // Sends a request without waiting; returns its id.
  asio::awaitable<std::uint64_t> send(StaffLink& link, v1::ClientMessage& request) {
    const std::uint64_t id = link.nextId++;
    request.set_request_id(id);
    co_await writeMessage(*link.stream, request);
    co_return id;
  }

  asio::awaitable<v1::Response> awaitResponse(StaffLink& link, std::uint64_t id) {
    StaffLink* waited = &link;
    const std::function<bool()> replied = [waited, id] { return waited->closed || waited->responses.count(id) != 0; };
    const bool arrived = co_await signal_.waitUntil(replied, Clock::now() + 60s);
    auto found = link.responses.find(id);
    if (!arrived || found == link.responses.end()) {
      throw std::runtime_error(link.closed ? "a staff connection closed while waiting for a reply"
                                            : "no reply to a staff request within the time-out");
    }
    v1::Response response = std::move(found->second);
    link.responses.erase(found);
    co_return response;
  }

  asio::awaitable<v1::Response> call(StaffLink& link, v1::ClientMessage request) {
    const std::uint64_t id = co_await send(link, request);
    v1::Response response = co_await awaitResponse(link, id);
    co_return response;
  }

  // A staff connection signed in; `snapshot` receives the sign-in reply's snapshot.
  // The link lives as long as the benchmark.
  asio::awaitable<StaffLink*> openStaff(std::string user, std::string password, v1::Snapshot* snapshot) {
    staff_.push_back(std::make_unique<StaffLink>());
    StaffLink& link = *staff_.back();
    link.stream = co_await connector_.open();
    asio::co_spawn(ioc_, staffReadLoop(link), asio::detached);
    v1::ClientMessage hello = helloRequest("vote_load staff");
    const auto helloReply = co_await call(link, hello);
    if (!helloReply.has_hello()) throw std::runtime_error("Hello refused: " + describe(helloReply));
    v1::ClientMessage signIn = staffSignInRequest(user, password);
    auto reply = co_await call(link, signIn);
    if (!reply.has_sign_in()) throw std::runtime_error(user + "'s sign-in was refused: " + describe(reply));
    if (snapshot != nullptr) *snapshot = std::move(*reply.mutable_sign_in()->mutable_snapshot());
    co_return &link;
  }

  asio::awaitable<void> closeStaff(StaffLink& link) {
    link.closing = true;
    boost::system::error_code ignored;
    co_await link.stream->async_close(websocket::close_code::normal,
                                       asio::redirect_error(asio::use_awaitable, ignored));
  }

  // ---- check-in

  struct CheckInBatch {
    std::size_t done = 0;
    std::size_t failed = 0;
  };

  asio::awaitable<void> checkInWorker(std::vector<std::string> codes, std::shared_ptr<CheckInBatch> batch) {
    try {
      StaffLink& link = *co_await openStaff(options_.secretary, options_.secretaryPassword, nullptr);
      std::vector<std::string> pending = std::move(codes);
      for (int attempt = 0; !pending.empty(); ++attempt) {
        if (attempt == 5) {
          batch->failed += pending.size();
          errors_.note("check-ins still refused after 5 attempts");
          break;
        }
        std::vector<std::pair<std::uint64_t, std::string>> sent;
        for (const std::string& code : pending) {
          v1::ClientMessage request;
          request.mutable_check_in()->set_delegate_code(code);
          request.mutable_check_in()->set_reason("vote benchmark");
          const std::uint64_t id = co_await send(link, request);
          sent.emplace_back(id, code);
        }
        pending.clear();
        std::uint32_t retryAfterMs = 0;
        for (const auto& [id, code] : sent) {
          const auto response = co_await awaitResponse(link, id);
          if (response.has_attendance_change()) continue;
          if (response.has_error() && response.error().code() == v1::ERROR_RATE_LIMITED) {
            retryAfterMs = std::max(retryAfterMs, response.error().retry_after_ms());
            pending.push_back(code);
            continue;
          }
          ++batch->failed;
          errors_.note("a check-in failed: " + describe(response));
        }
        if (!pending.empty()) {
          asio::steady_timer pause(ioc_, std::chrono::milliseconds(std::max<std::uint32_t>(retryAfterMs, 100)));
          co_await pause.async_wait(asio::use_awaitable);
        }
      }
      co_await closeStaff(link);
    } catch (const std::exception& e) {
      ++batch->failed;
      errors_.note(std::string("a secretary connection failed: ") + e.what());
    }
    ++batch->done;
    signal_.notify();
  }

  // ---- delegate terminals

  // Reads frames until the Response to `requestId`; returns its result field.
  asio::awaitable<int> awaitPeeked(WsStream& stream, beast::flat_buffer& buffer, std::uint64_t requestId,
                                   std::string& error) {
    for (;;) {
      buffer.clear();
      co_await stream.async_read(buffer, asio::use_awaitable);
      const auto data = buffer.data();
      const auto peek = peekResponse(data.data(), data.size());
      if (!peek || peek->requestId != requestId) continue;
      if (peek->resultField == v1::Response::kErrorFieldNumber) {
        v1::ServerMessage message;
        if (message.ParseFromArray(data.data(), static_cast<int>(data.size()))) error = describe(message.response());
      }
      co_return peek->resultField;
    }
  }

  asio::awaitable<void> openTerminal(std::size_t index) {
    Terminal& terminal = terminals_[index];
    auto stream = co_await connector_.open();
    beast::flat_buffer buffer;
    std::string error;
    v1::ClientMessage hello = helloRequest("vote_load");
    hello.set_request_id(kHelloId);
    co_await writeMessage(*stream, hello);
    if (co_await awaitPeeked(*stream, buffer, kHelloId, error) != v1::Response::kHelloFieldNumber) {
      throw std::runtime_error("Hello refused: " + error);
    }
    v1::ClientMessage signIn;
    signIn.set_request_id(kSignInId);
    signIn.mutable_sign_in()->set_badge_token(terminal.credential->badge);
    co_await writeMessage(*stream, signIn);
    if (co_await awaitPeeked(*stream, buffer, kSignInId, error) != v1::Response::kSignInFieldNumber) {
      throw std::runtime_error(terminal.credential->code + "'s badge sign-in was refused: " + error +
                               " (badge tokens are one-time: use a fresh copy of the database)");
    }
    terminal.stream = stream;
    terminal.connected = true;
    asio::co_spawn(ioc_, terminalReadLoop(index, stream), asio::detached);
  }

  asio::awaitable<void> terminalReadLoop(std::size_t index, std::shared_ptr<WsStream> stream) {
    auto onFrame = [this, index](std::string_view bytes, std::int64_t at) {
      onTerminalMessage(terminals_[index], bytes.data(), bytes.size(), at);
    };
    const boost::system::error_code ec = co_await readFrames(*stream, onFrame);
    terminals_[index].connected = false;
    if (!stopping_) {
      ++unexpectedDisconnects_;
      errors_.note("a delegate terminal lost its connection: " + ec.message());
    }
    signal_.notify();
  }

  void onTerminalMessage(Terminal& terminal, const void* data, std::size_t size, std::int64_t at) {
    if (!message_.ParseFromArray(data, static_cast<int>(size))) {
      errors_.note("a delegate terminal received an unparsable ServerMessage");
      return;
    }
    if (message_.has_response()) {
      const auto& response = message_.response();
      if (response.request_id() != voteRequestId_ || terminal.sendNs < 0 || terminal.ackNs >= 0) return;
      terminal.ackNs = at;
      ++voteReplies_;
      if (response.has_cast_vote() && response.cast_vote().ballot_id() == ballotId_ && !response.cast_vote().repeated()) {
        terminal.ackOk = true;
      } else {
        ++voteRefusals_;
        errors_.note("a vote was refused: " + describe(response));
      }
      signal_.notify();
      return;
    }
    if (message_.has_live()) {
      if (!message_.live().has_ballot_progress()) return;
      const auto& progress = message_.live().ballot_progress();
      if (progress.ballot_id() != ballotId_) return;
      terminal.liveNs.push_back(at);
      if (!terminal.progressComplete && progress.votes_cast() >= votesExpected_) {
        terminal.progressComplete = true;
        terminal.progressCompleteNs = at;
        ++progressComplete_;
        signal_.notify();
      }
      return;
    }
    if (!message_.has_event()) return;
    const auto& event = message_.event();
    if (event.has_ballot_updated()) {
      const auto& ballot = event.ballot_updated().ballot();
      if (ballot.definition().id() == ballotId_ && ballot.status() == v1::BALLOT_STATUS_OPEN &&
          terminal.openSeenNs < 0) {
        terminal.openSeenNs = at;
        ++openSeen_;
        signal_.notify();
      }
    } else if (event.has_ballot_published()) {
      if (event.ballot_published().result().ballot().definition().id() == ballotId_ && terminal.publishedNs < 0) {
        terminal.publishedNs = at;
        ++published_;
        signal_.notify();
      }
    }
  }

  // ---- one pattern: draft, open, vote, close, publish

  asio::awaitable<PatternResult> runPattern(std::size_t patternIndex, const std::string& pattern) {
    PatternResult result;
    result.pattern = pattern;
    v1::ClientMessage create;
    auto& draft = *create.mutable_create_ballot()->mutable_draft();
    draft.set_title("Vote benchmark (" + pattern + ")");
    draft.set_kind(v1::BALLOT_KIND_MOTION);
    draft.set_mode(options_.secret ? v1::BALLOT_MODE_SECRET : v1::BALLOT_MODE_NAMED);
    draft.set_confirmation_required(false);
    const auto created = co_await call(*secretary_, create);
    if (!created.has_ballot()) throw std::runtime_error("CreateBallot refused: " + describe(created));
    const std::uint32_t ballotId = created.ballot().ballot().definition().id();
    result.ballotId = ballotId;

    // Every voting terminal's vote, ready to write.
    std::vector<std::size_t> voters;
    std::uniform_int_distribution<std::uint32_t> choice(0, 2);
    for (std::size_t i = 0; i < terminals_.size(); ++i) {
      Terminal& terminal = terminals_[i];
      terminal.vote.clear();
      terminal.scheduledNs = terminal.sendNs = terminal.ackNs = -1;
      terminal.ackOk = false;
      terminal.openSeenNs = terminal.publishedNs = -1;
      terminal.liveNs.clear();
      terminal.progressComplete = false;
      terminal.progressCompleteNs = -1;
      if (!terminal.voting || !terminal.connected) continue;
      v1::ClientMessage request;
      request.set_request_id(kVoteRequestBase + patternIndex);
      request.mutable_cast_vote()->set_ballot_id(ballotId);
      request.mutable_cast_vote()->add_choices(choice(random_));
      request.mutable_cast_vote()->set_client_vote_id(randomHex(random_, 16));
      terminal.vote = request.SerializeAsString();
      voters.push_back(i);
    }
    result.votes = voters.size();
    ballotId_ = ballotId;
    voteRequestId_ = kVoteRequestBase + patternIndex;
    votesExpected_ = static_cast<std::uint32_t>(voters.size());
    voteReplies_ = voteRefusals_ = openSeen_ = progressComplete_ = published_ = 0;

    v1::ClientMessage open;
    open.mutable_open_ballot()->set_ballot_id(ballotId);
    const auto opened = co_await call(*chair_, open);
    if (!opened.has_ballot()) throw std::runtime_error("OpenBallot refused: " + describe(opened));
    result.eligible = opened.ballot().ballot().eligible();
    if (result.eligible != voters.size()) {
      errors_.note("the ballot opened with " + std::to_string(result.eligible) + " eligible, but " +
                std::to_string(voters.size()) + " voting delegates are signed in");
    }
    // A delegate votes once its terminal shows the ballot open.
    const std::size_t voterCount = voters.size();
    const std::function<bool()> allSeeOpen = [this, voterCount] { return openSeen_ >= voterCount; };
    co_await signal_.waitUntil(allSeeOpen, Clock::now() + 10s);
    result.openSeen = openSeen_;
    const std::int64_t windowStart = nowNs();

    std::shuffle(voters.begin(), voters.end(), random_);
    const auto cpuBefore = readProcessCpu(options_.server.pid);
    const double clientCpuBefore = clientCpuSeconds();
    auto write = [this](Terminal& terminal) {
      terminal.sendNs = nowNs();
      terminal.stream->async_write(asio::buffer(terminal.vote), [this](boost::system::error_code ec, std::size_t) {
        if (ec) errors_.note("a vote could not be written: " + ec.message());
      });
    };
    if (pattern == "spread") {
      std::uniform_int_distribution<std::int64_t> moment(0, options_.spreadMs * 1'000'000 - 1);
      const std::int64_t start = nowNs() + 5'000'000;
      for (std::size_t i : voters) terminals_[i].scheduledNs = start + moment(random_);
      std::sort(voters.begin(), voters.end(),
                [this](std::size_t a, std::size_t b) { return terminals_[a].scheduledNs < terminals_[b].scheduledNs; });
      asio::steady_timer pace(ioc_);
      for (std::size_t next = 0; next < voters.size();) {
        const std::int64_t due = terminals_[voters[next]].scheduledNs;
        const std::int64_t now = nowNs();
        if (due > now) {
          pace.expires_after(std::chrono::nanoseconds(due - now));
          co_await pace.async_wait(asio::use_awaitable);
        }
        const std::int64_t until = nowNs();
        while (next < voters.size() && terminals_[voters[next]].scheduledNs <= until) write(terminals_[voters[next++]]);
      }
    } else {
      for (std::size_t i : voters) write(terminals_[i]);
    }
    const std::function<bool()> everyVoteAnswered = [this, voterCount] { return voteReplies_ >= voterCount; };
    const bool allReplied = co_await signal_.waitUntil(everyVoteAnswered, Clock::now() + options_.ackTimeout);
    const auto cpuAfter = readProcessCpu(options_.server.pid);
    result.clientCpuSeconds = clientCpuSeconds() - clientCpuBefore;
    if (cpuBefore && cpuAfter) {
      // schedstat: every thread's run time in ns (the /proc stat ticks are 10 ms).
      const CpuTimes spent = *cpuAfter - *cpuBefore;
      result.serverCpuSeconds = spent.schedSeconds;
      result.serverCpuUserSeconds = spent.userSeconds;
    }
    if (!allReplied) errors_.note("not every vote was answered within the time-out");

    // The last progress update must reach every eligible terminal.
    const std::function<bool()> progressEverywhere = [this, voterCount] { return progressComplete_ >= voterCount; };
    co_await signal_.waitUntil(progressEverywhere, Clock::now() + options_.progressWait);
    result.progressComplete = progressComplete_;

    v1::ClientMessage close;
    close.mutable_close_ballot()->set_ballot_id(ballotId);
    const std::int64_t windowEnd = nowNs();
    const auto closed = co_await call(*chair_, close);
    if (!closed.has_ballot()) throw std::runtime_error("CloseBallot refused: " + describe(closed));
    // Let the close event reach every terminal before the result is timed.
    asio::steady_timer pause(ioc_, 300ms);
    co_await pause.async_wait(asio::use_awaitable);

    v1::ClientMessage publish;
    publish.mutable_publish_ballot()->set_ballot_id(ballotId);
    const std::int64_t publishSend = nowNs();
    const std::uint64_t publishId = co_await send(*chair_, publish);
    const auto publishedReply = co_await awaitResponse(*chair_, publishId);
    result.publishReplyMs = nsToMs(nowNs() - publishSend);
    if (!publishedReply.has_ballot()) throw std::runtime_error("PublishBallot refused: " + describe(publishedReply));
    const std::size_t connected = connectedTerminals();
    const std::function<bool()> resultEverywhere = [this, connected] { return published_ >= connected; };
    co_await signal_.waitUntil(resultEverywhere, Clock::now() + options_.resultTimeout);
    result.rssAfterMb = serverRss();

    // Figures.
    std::int64_t firstSend = -1;
    std::int64_t lastSend = -1;
    std::int64_t lastAck = -1;
    double maxLag = 0;
    for (std::size_t i : voters) {
      const Terminal& terminal = terminals_[i];
      if (terminal.sendNs >= 0) {
        firstSend = firstSend < 0 ? terminal.sendNs : std::min(firstSend, terminal.sendNs);
        lastSend = std::max(lastSend, terminal.sendNs);
        if (terminal.scheduledNs >= 0) maxLag = std::max(maxLag, nsToMs(terminal.sendNs - terminal.scheduledNs));
      }
      if (terminal.ackOk) {
        ++result.acked;
        result.ackLatencies.push_back(terminal.ackNs - terminal.sendNs);
        lastAck = std::max(lastAck, terminal.ackNs);
      }
    }
    result.refused = voteRefusals_;
    std::sort(result.ackLatencies.begin(), result.ackLatencies.end());
    if (firstSend >= 0) result.sendSpanMs = nsToMs(lastSend - firstSend);
    if (pattern == "spread") result.maxSendLagMs = maxLag;
    if (lastAck > firstSend && firstSend >= 0) {
      result.firstToLastAckMs = nsToMs(lastAck - firstSend);
      result.votesPerSecond = static_cast<double>(result.acked) * 1e9 / static_cast<double>(lastAck - firstSend);
    }
    std::int64_t lastProgress = -1;
    bool firstEligible = true;
    std::int64_t minGap = -1;
    for (std::size_t i : voters) {
      const Terminal& terminal = terminals_[i];
      // Live updates during the voting: from the opening until the close was sent.
      std::vector<std::int64_t> live;
      for (std::int64_t t : terminal.liveNs) {
        if (t >= windowStart && t <= windowEnd) live.push_back(t);
      }
      result.liveMaxCount = std::max(result.liveMaxCount, live.size());
      result.liveMinCount = firstEligible ? live.size() : std::min(result.liveMinCount, live.size());
      firstEligible = false;
      result.liveMaxPerSecond = std::max(result.liveMaxPerSecond, maxInWindow(live, 1'000'000'000));
      for (std::size_t k = 1; k < live.size(); ++k) {
        const std::int64_t gap = live[k] - live[k - 1];
        minGap = minGap < 0 ? gap : std::min(minGap, gap);
      }
      lastProgress = std::max(lastProgress, terminal.progressCompleteNs);
    }
    if (minGap >= 0) result.liveMinGapMs = nsToMs(minGap);
    if (lastProgress >= 0 && lastAck >= 0 && result.progressComplete == voters.size()) {
      result.progressAfterLastAckMs = nsToMs(lastProgress - lastAck);
    }
    for (const Terminal& terminal : terminals_) {
      if (terminal.publishedNs >= 0) result.publishLatencies.push_back(terminal.publishedNs - publishSend);
    }
    std::sort(result.publishLatencies.begin(), result.publishLatencies.end());
    result.resultMissing = terminals_.size() - result.publishLatencies.size();
    result.ok = result.acked == result.votes && result.refused == 0 && result.resultMissing == 0 &&
                result.eligible == result.votes && result.votes > 0;
    ballotId_ = 0;
    co_return result;
  }

  std::size_t connectedTerminals() const {
    std::size_t count = 0;
    for (const Terminal& terminal : terminals_) count += terminal.connected ? 1 : 0;
    return count;
  }

  // ---- the script

  asio::awaitable<void> script() {
    // 1. The chair, and the roster from its snapshot.
    v1::Snapshot snapshot;
    chair_ = co_await openStaff(options_.chair, options_.chairPassword, &snapshot);
    secretary_ = co_await openStaff(options_.secretary, options_.secretaryPassword, nullptr);  // drafts the ballots
    std::unordered_map<std::string, const v1::Delegate*> byCode;
    for (const auto& delegate : snapshot.delegates()) byCode[delegate.code()] = &delegate;
    std::vector<bool> present;
    for (std::uint32_t id : snapshot.present_delegate_ids()) {
      if (id >= present.size()) present.resize(id + 1, false);
      present[id] = true;
    }
    std::vector<std::string> toCheckIn;
    for (Terminal& terminal : terminals_) {
      auto found = byCode.find(terminal.credential->code);
      if (found == byCode.end()) throw std::runtime_error("no delegate " + terminal.credential->code + " in the roster");
      terminal.delegateId = found->second->id();
      terminal.voting = found->second->voting();
      const bool isPresent = terminal.delegateId < present.size() && present[terminal.delegateId];
      if (terminal.voting) ++votingDelegates_;
      if (terminal.voting && !isPresent) toCheckIn.push_back(terminal.credential->code);
    }

    // 2. Secretaries check in every voting delegate.
    const auto checkInStart = Clock::now();
    if (!toCheckIn.empty()) {
      auto batch = std::make_shared<CheckInBatch>();
      const std::size_t per = options_.checkinsPerConnection;
      std::size_t workers = 0;
      for (std::size_t first = 0; first < toCheckIn.size(); first += per) {
        std::vector<std::string> codes(toCheckIn.begin() + static_cast<std::ptrdiff_t>(first),
                                       toCheckIn.begin() + static_cast<std::ptrdiff_t>(std::min(first + per, toCheckIn.size())));
        asio::co_spawn(ioc_, checkInWorker(std::move(codes), batch), asio::detached);
        ++workers;
      }
      CheckInBatch* counts = batch.get();
      const std::function<bool()> allDone = [counts, workers] { return counts->done == workers; };
      co_await signal_.waitUntil(allDone, Clock::now() + 600s);
      if (batch->failed != 0) throw std::runtime_error(std::to_string(batch->failed) + " check-ins failed");
      checkInConnections_ = workers;
    }
    checkInSeconds_ = std::chrono::duration<double>(Clock::now() - checkInStart).count();
    std::cout << "checked in " << toCheckIn.size() << " voting delegates over " << checkInConnections_
              << " secretary connections in " << std::fixed << std::setprecision(2) << checkInSeconds_ << " s"
              << std::endl;

    // 3. Every delegate signs in with the badge token.
    const auto signInStart = Clock::now();
    std::vector<std::size_t> all(terminals_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const std::function<asio::awaitable<void>(std::size_t)> open = [this](std::size_t index) {
      return openTerminal(index);
    };
    const std::function<void(const std::exception&)> failed = [this](const std::exception& e) {
      errors_.note(std::string("a delegate terminal failed to sign in: ") + e.what());
    };
    const InflightOutcome signIns =
        co_await runInflight(ioc_, signal_, std::move(all), options_.connectInflight, open, failed, Clock::now() + 600s);
    if (!signIns.finished) throw std::runtime_error("delegates still signing in after 600 s");
    signInFailures_ = signIns.failures;
    signInSeconds_ = std::chrono::duration<double>(Clock::now() - signInStart).count();
    rssSignedIn_ = serverRss();
    std::cout << "signed in " << terminals_.size() - signInFailures_ << "/" << terminals_.size()
              << " delegate terminals (" << votingDelegates_ << " with a voting right) by badge token in "
              << signInSeconds_ << " s (" << std::setprecision(0)
              << static_cast<double>(terminals_.size() - signInFailures_) / signInSeconds_ << " per second)";
    if (rssSignedIn_) std::cout << "; server RSS " << std::setprecision(1) << *rssSignedIn_ << " MB";
    std::cout << std::endl;
    if (signInFailures_ != 0) throw std::runtime_error(std::to_string(signInFailures_) + " sign-ins failed");

    // 4. The ballots.
    for (std::size_t k = 0; k < options_.patterns.size(); ++k) {
      results_.push_back(co_await runPattern(k, options_.patterns[k]));
      printPattern(results_.back());
    }
    stopping_ = true;
  }

  // ---- the report

  void printPattern(const PatternResult& r) const {
    const auto p = percentileMs;
    const auto max = maxMs;
    std::cout << std::fixed << std::setprecision(2);
    std::cout << "== " << r.pattern << " (" << (options_.secret ? "secret" : "named") << " motion, ballot "
              << r.ballotId << "): " << r.acked << "/" << r.votes << " votes acknowledged, " << r.refused
              << " refused; eligible " << r.eligible << "; " << r.openSeen << " terminals saw it open\n";
    std::cout << "   acknowledgement: p50 " << p(r.ackLatencies, 0.5) << " ms, p99 " << p(r.ackLatencies, 0.99)
              << " ms, max " << max(r.ackLatencies) << " ms; first send -> last acknowledgement " << r.firstToLastAckMs
              << " ms (sends spanned " << r.sendSpanMs << " ms";
    if (!std::isnan(r.maxSendLagMs)) std::cout << ", latest send " << r.maxSendLagMs << " ms behind its moment";
    std::cout << "); " << std::setprecision(0) << r.votesPerSecond << " durable votes/s\n" << std::setprecision(2);
    std::cout << "   result: " << r.publishLatencies.size() << "/" << terminals_.size()
              << " terminals, publish -> terminal p50 " << p(r.publishLatencies, 0.5) << " ms, p99 "
              << p(r.publishLatencies, 0.99) << " ms, max " << max(r.publishLatencies) << " ms; chair's reply "
              << r.publishReplyMs << " ms\n";
    std::cout << "   live progress: " << r.liveMinCount << "-" << r.liveMaxCount
              << " LiveUpdate frames per eligible terminal during the voting, at most " << r.liveMaxPerSecond
              << " in any second, shortest interval " << r.liveMinGapMs << " ms; final count on "
              << r.progressComplete << "/" << r.votes << " terminals, " << r.progressAfterLastAckMs
              << " ms after the last acknowledgement\n";
    if (r.serverCpuSeconds) {
      std::cout << "   server CPU from the first send to the last acknowledgement: " << std::setprecision(3)
                << *r.serverCpuSeconds << " s (schedstat; user " << r.serverCpuUserSeconds.value_or(NAN) << " s in ticks), "
                << std::setprecision(1) << *r.serverCpuSeconds * 1e6 / static_cast<double>(std::max<std::size_t>(r.acked, 1))
                << " us per vote; load client " << std::setprecision(3) << r.clientCpuSeconds << " s\n";
    }
    if (r.rssAfterMb) std::cout << "   server RSS after publishing: " << std::setprecision(1) << *r.rssAfterMb << " MB\n";
    std::cout << std::flush;
  }

  int report() {
    bool ok = fatal_.empty() && unexpectedDisconnects_ == 0 && results_.size() == options_.patterns.size();
    for (const PatternResult& r : results_) {
      ok = ok && r.ok;
      const double cpuPerVote =
          r.serverCpuSeconds && r.acked > 0 ? *r.serverCpuSeconds * 1e6 / static_cast<double>(r.acked) : NAN;
      std::cout << "METRICS pattern=" << r.pattern << " ok=" << (r.ok ? 1 : 0) << " terminals=" << terminals_.size()
                << " votes=" << r.votes << " acked=" << r.acked << " refused=" << r.refused
                << " result_missing=" << r.resultMissing << " ack_p50_ms=" << metricText(percentileMs(r.ackLatencies, 0.5))
                << " ack_p99_ms=" << metricText(percentileMs(r.ackLatencies, 0.99))
                << " ack_max_ms=" << metricText(r.ackLatencies.empty() ? NAN : nsToMs(r.ackLatencies.back()))
                << " last_ack_ms=" << metricText(r.firstToLastAckMs) << " send_span_ms=" << metricText(r.sendSpanMs)
                << " votes_per_s=" << metricText(r.votesPerSecond)
                << " result_p50_ms=" << metricText(percentileMs(r.publishLatencies, 0.5))
                << " result_p99_ms=" << metricText(percentileMs(r.publishLatencies, 0.99))
                << " result_max_ms=" << metricText(r.publishLatencies.empty() ? NAN : nsToMs(r.publishLatencies.back()))
                << " publish_reply_ms=" << metricText(r.publishReplyMs) << " live_max_per_s=" << r.liveMaxPerSecond
                << " live_max_count=" << r.liveMaxCount << " live_min_gap_ms=" << metricText(r.liveMinGapMs)
                << " progress_after_ms=" << metricText(r.progressAfterLastAckMs)
                << " cpu_s=" << metricText(r.serverCpuSeconds) << " cpu_us_per_vote=" << metricText(cpuPerVote)
                << " client_cpu_s=" << metricText(r.clientCpuSeconds) << " rss_signed_in_mb=" << metricText(rssSignedIn_)
                << " rss_end_mb=" << metricText(r.rssAfterMb) << " signin_s=" << metricText(signInSeconds_)
                << " checkin_s=" << metricText(checkInSeconds_) << "\n";
    }
    errors_.print(std::cout, fatal_);
    std::cout << (ok ? "vote_load: every vote acknowledged, every terminal got every result"
                     : "vote_load: FAILED")
              << std::endl;
    return ok ? 0 : 1;
  }

  Options options_;
  asio::io_context ioc_{1};
  WsConnector connector_;
  Signal signal_;
  std::mt19937_64 random_;

  std::vector<std::unique_ptr<StaffLink>> staff_;  // every staff connection, open or closed
  StaffLink* chair_ = nullptr;      // opens, closes and publishes
  StaffLink* secretary_ = nullptr;  // drafts
  std::vector<Terminal> terminals_;
  v1::ServerMessage message_;  // reused for every terminal frame

  // The pattern being run.
  std::uint32_t ballotId_ = 0;
  std::uint64_t voteRequestId_ = 0;
  std::uint32_t votesExpected_ = 0;
  std::size_t voteReplies_ = 0;
  std::size_t voteRefusals_ = 0;
  std::size_t openSeen_ = 0;
  std::size_t progressComplete_ = 0;
  std::size_t published_ = 0;

  std::size_t votingDelegates_ = 0;
  std::size_t checkInConnections_ = 0;
  double checkInSeconds_ = 0;
  double signInSeconds_ = 0;
  std::size_t signInFailures_ = 0;
  std::optional<double> rssSignedIn_;
  std::uint64_t unexpectedDisconnects_ = 0;
  std::vector<PatternResult> results_;
  ErrorTally errors_{"vote_load"};
  std::string fatal_;
  bool stopping_ = false;
};

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  return runMain("vote_load", kUsage, [&] { return parseOptions(argc, argv); }, [](Options& options) {
    if (!raiseDescriptorLimit(options.delegateCredentials.size() + options.delegateCredentials.size() / 100,
                              "vote_load")) {
      return 2;
    }
    if (!options.label.empty()) std::cout << "vote_load: " << options.label << std::endl;
    Benchmark benchmark(std::move(options));
    return benchmark.run();
  });
}
