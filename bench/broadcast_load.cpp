// broadcast_load: the load client of the broadcast benchmark.
//
// One process, one thread. It opens N WebSocket terminals against a server,
// has a trigger connection produce M broadcasts at a fixed rate, and records
// when each terminal receives each broadcast. Two servers are understood:
//
//   --mode hall   the Daihoi hall server: terminals Hello + SignIn{device_token}
//                 as displays; the trigger signs in as the secretary and
//                 alternates CheckIn/CheckOut of one delegate, so every
//                 broadcast is a durable AttendanceChanged event.
//   --mode floor  bare_broadcast_server (Beast chat-multi): terminals only
//                 connect; the trigger sends a 200-byte binary message that the
//                 server relays to every connection.
//
// Each broadcast carries its index (the check-in reason, or the message's
// first bytes), so a receipt is matched to its send time exactly.
//
// The final line is `RESULT {json}` with every figure; the exit status is 0
// only when every terminal connected and every delivery arrived.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>

#include "ws_client.hpp"

namespace daihoi::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kBroadcastRequestBase = 1000;  // trigger request ids: base + broadcast index
constexpr std::string_view kFloorTag = "BENCH";
constexpr std::string_view kReasonPrefix = "bench broadcast #";

const char* const kUsage = R"(broadcast_load — load client of the Daihoi broadcast benchmark

usage: broadcast_load --mode hall|floor (--port P | --port-file FILE) [options]

  --host ADDR              server address (127.0.0.1)
  --terminals N            terminal connections (1000)
  --broadcasts M           broadcasts to trigger (50)
  --rate R                 broadcasts per second (5)
  --connect-inflight K     connections being opened at once (200)
  --server-pid PID         read the server's CPU time and RSS from /proc
  --drain-timeout-ms T     how long to wait for deliveries after the last send (10000)
  --storm                  after the broadcasts, drop every terminal at once and reconnect
                           (hall: resume with the session token and last seq)
  --storm-inflight K       reconnections being opened at once (all terminals)
  --label TEXT             copied into the RESULT line
floor mode:
  --message-bytes B        size of the trigger's message (200)
hall mode:
  --credentials FILE       credentials written by `hall-server init-demo`
  --device NAME            display device whose token the terminals use (display-1)
  --staff USER             staff account of the trigger (secretary)
  --delegate CODE          delegate checked in and out (HN-001)
)";

struct Options {
  enum class Mode { Hall, Floor } mode = Mode::Hall;
  ServerTarget server;
  std::size_t terminals = 1000;
  std::size_t broadcasts = 50;
  double rate = 5.0;
  std::size_t connectInflight = 200;
  std::chrono::milliseconds drainTimeout{10'000};
  bool storm = false;
  std::size_t stormInflight = 0;  // 0: all terminals at once
  std::string label;
  std::size_t floorMessageBytes = 200;
  std::string credentialsPath;
  std::string deviceName = "display-1";
  std::string staffUser = "secretary";
  std::string delegateCode = "HN-001";
  // Read from the credentials file.
  std::string deviceToken;
  std::string staffPassword;
};

// ------------------------------------------------------------ command line

void readCredentials(Options& options) {
  for (const auto& fields : readCredentialRows(options.credentialsPath)) {
    if (fields.size() >= 3 && fields[1] == "device" && fields[0] == options.deviceName) options.deviceToken = fields[2];
    if (fields.size() >= 4 && fields[1] == "staff" && fields[2] == options.staffUser) options.staffPassword = fields[3];
  }
  if (options.deviceToken.empty()) {
    throw std::invalid_argument("no device '" + options.deviceName + "' in " + options.credentialsPath);
  }
  if (options.staffPassword.empty()) {
    throw std::invalid_argument("no staff account '" + options.staffUser + "' in " + options.credentialsPath);
  }
}

Options parseOptions(int argc, char** argv) {
  Options options;
  bool modeGiven = false;
  const OptionHandler handle = [&](const std::string& name, const std::string& value) {
    if (options.server.parse(name, value)) return true;
    if (name == "storm") {
      options.storm = true;
    } else if (name == "mode") {
      if (value == "hall") {
        options.mode = Options::Mode::Hall;
      } else if (value == "floor") {
        options.mode = Options::Mode::Floor;
      } else {
        throw std::invalid_argument("--mode is hall or floor, not '" + value + "'");
      }
      modeGiven = true;
    } else if (name == "terminals") {
      options.terminals = parseNumber(value, name);
    } else if (name == "broadcasts") {
      options.broadcasts = parseNumber(value, name);
    } else if (name == "rate") {
      try {
        options.rate = std::stod(value);
      } catch (const std::exception&) {
        options.rate = 0;
      }
      if (!(options.rate > 0 && options.rate <= 10'000)) throw std::invalid_argument("--rate must be in (0, 10000]");
    } else if (name == "connect-inflight") {
      options.connectInflight = std::max<std::uint64_t>(1, parseNumber(value, name));
    } else if (name == "drain-timeout-ms") {
      options.drainTimeout = std::chrono::milliseconds(parseNumber(value, name));
    } else if (name == "storm-inflight") {
      options.stormInflight = parseNumber(value, name);
    } else if (name == "message-bytes") {
      options.floorMessageBytes = parseNumber(value, name);
      if (options.floorMessageBytes < 9 || options.floorMessageBytes > 1'000'000) {
        throw std::invalid_argument("--message-bytes must be between 9 and 1000000");
      }
    } else if (name == "label") {
      options.label = value;
    } else if (name == "credentials") {
      options.credentialsPath = value;
    } else if (name == "device") {
      options.deviceName = value;
    } else if (name == "staff") {
      options.staffUser = value;
    } else if (name == "delegate") {
      options.delegateCode = value;
    } else {
      return false;
    }
    return true;
  };
  parseArguments(argc, argv, kUsage, {"storm"}, handle);
  if (!modeGiven) throw std::invalid_argument("--mode is required");
  options.server.resolvePort();
  if (options.terminals == 0) throw std::invalid_argument("--terminals must be at least 1");
  if (options.mode == Options::Mode::Hall) {
    if (options.credentialsPath.empty()) throw std::invalid_argument("--mode hall needs --credentials");
    readCredentials(options);
  }
  if (options.stormInflight == 0) options.stormInflight = options.terminals;
  return options;
}

// ------------------------------------------------------------ the benchmark

struct Terminal {
  std::shared_ptr<WsStream> stream;
  std::uint32_t generation = 0;  // bumped when the benchmark itself drops the connection
  std::string sessionToken;
  std::uint64_t lastSeq = 0;
  std::size_t received = 0;
  bool connected = false;
};

class Benchmark {
 public:
  explicit Benchmark(Options options)
      : options_(std::move(options)),
        connector_(ioc_, options_.server.host, options_.server.port),
        signal_(ioc_),
        terminals_(options_.terminals),
        receipts_(options_.terminals * options_.broadcasts, -1),
        sendNs_(options_.broadcasts, -1),
        replyNs_(options_.broadcasts, -1) {}

  // Runs everything; returns the process exit status.
  int run() {
    fatal_ = runScript(ioc_, script());
    return report();
  }

 private:
  bool hall() const { return options_.mode == Options::Mode::Hall; }

  std::optional<double> serverRss() const { return readRssMb(options_.server.pid); }

  // ---- connections

  asio::awaitable<v1::Response> hello(WsStream& stream, beast::flat_buffer& buffer) {
    v1::ClientMessage request = helloRequest("broadcast_load");
    request.set_request_id(1);
    auto response = co_await call(stream, buffer, request);
    if (!response.has_hello()) throw std::runtime_error("Hello refused: " + describe(response));
    co_return response;
  }

  // Opens terminal `index` (Hello + SignIn in hall mode) and starts reading.
  asio::awaitable<void> openTerminal(std::size_t index, bool resume) {
    Terminal& terminal = terminals_[index];
    auto stream = co_await connector_.open();
    if (hall()) {
      beast::flat_buffer buffer;
      co_await hello(*stream, buffer);
      v1::ClientMessage request;
      request.set_request_id(2);
      if (resume) {
        request.mutable_sign_in()->set_session_token(terminal.sessionToken);
        request.mutable_sign_in()->set_last_seq(terminal.lastSeq);
      } else {
        request.mutable_sign_in()->set_device_token(options_.deviceToken);
      }
      auto response = co_await call(*stream, buffer, request);
      if (!response.has_sign_in()) throw std::runtime_error("SignIn refused: " + describe(response));
      const auto& reply = response.sign_in();
      if (resume) {
        if (reply.has_snapshot()) {
          ++resumeSnapshots_;
        } else {
          resumeMissedEvents_ += reply.missed_events();
        }
      } else {
        terminal.sessionToken = reply.session_token();
        if (terminal.sessionToken.empty()) throw std::runtime_error("SignIn reply without a session token");
      }
      terminal.lastSeq = std::max(terminal.lastSeq, reply.current_seq());
    }
    terminal.stream = stream;
    terminal.connected = true;
    asio::co_spawn(ioc_, readLoop(index, stream, terminal.generation), asio::detached);
  }

  // Opens the given terminals, `inflight` at a time. Returns how many failed.
  asio::awaitable<std::size_t> openTerminals(std::vector<std::size_t> indexes, std::size_t inflight, bool resume,
                                             std::chrono::seconds timeout) {
    const std::function<asio::awaitable<void>(std::size_t)> open = [this, resume](std::size_t index) {
      return openTerminal(index, resume);
    };
    const std::function<void(const std::exception&)> failed = [this, resume](const std::exception& e) {
      errors_.note(std::string(resume ? "reconnect" : "connect") + " failed: " + e.what());
    };
    const InflightOutcome outcome =
        co_await runInflight(ioc_, signal_, std::move(indexes), inflight, open, failed, Clock::now() + timeout);
    if (!outcome.finished) {
      throw std::runtime_error("terminals still not connected after " + std::to_string(timeout.count()) + " s");
    }
    co_return outcome.failures;
  }

  // ---- receiving

  asio::awaitable<void> readLoop(std::size_t index, std::shared_ptr<WsStream> stream, std::uint32_t generation) {
    auto onFrame = [this, index](std::string_view bytes, std::int64_t at) { onMessage(index, bytes, at); };
    const boost::system::error_code ec = co_await readFrames(*stream, onFrame);
    Terminal& terminal = terminals_[index];
    if (terminal.generation == generation) {
      terminal.connected = false;
      ++unexpectedDisconnects_;
      errors_.note("a terminal lost its connection: " + ec.message());
    }
  }

  void onMessage(std::size_t index, std::string_view bytes, std::int64_t at) {
    std::optional<std::size_t> broadcast;
    if (hall()) {
      if (!event_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        errors_.note("a terminal received an unparsable ServerMessage");
        return;
      }
      if (!event_.has_event()) return;
      Terminal& terminal = terminals_[index];
      terminal.lastSeq = std::max(terminal.lastSeq, event_.event().seq());
      if (!event_.event().has_attendance_changed()) return;
      const std::string& reason = event_.event().attendance_changed().reason();
      if (reason.rfind(kReasonPrefix, 0) != 0) return;
      broadcast = std::strtoull(reason.c_str() + kReasonPrefix.size(), nullptr, 10);
    } else {
      if (bytes.size() < kFloorTag.size() + 4 || bytes.substr(0, kFloorTag.size()) != kFloorTag) return;
      std::uint32_t value = 0;
      std::memcpy(&value, bytes.data() + kFloorTag.size(), sizeof value);
      broadcast = value;
    }
    if (!broadcast || *broadcast >= options_.broadcasts) {
      errors_.note("a terminal received a broadcast index out of range");
      return;
    }
    if (messageBytes_ == 0) messageBytes_ = bytes.size();
    std::int64_t& slot = receipts_[index * options_.broadcasts + *broadcast];
    if (slot >= 0) {
      ++duplicates_;
      return;
    }
    slot = at;
    ++delivered_;
    if (++terminals_[index].received == options_.broadcasts) {
      ++terminalsComplete_;
      signal_.notify();
    }
  }

  // ---- the trigger

  asio::awaitable<void> openTrigger() {
    trigger_ = co_await connector_.open();
    if (!hall()) co_return;
    beast::flat_buffer buffer;
    co_await hello(*trigger_, buffer);
    v1::ClientMessage request = staffSignInRequest(options_.staffUser, options_.staffPassword);
    request.set_request_id(2);
    auto response = co_await call(*trigger_, buffer, request);
    if (!response.has_sign_in()) throw std::runtime_error("the trigger's sign-in was refused: " + describe(response));
    const auto& snapshot = response.sign_in().snapshot();
    std::optional<std::uint32_t> delegateId;
    for (const auto& delegate : snapshot.delegates()) {
      if (delegate.code() == options_.delegateCode) delegateId = delegate.id();
    }
    if (!delegateId) throw std::runtime_error("no delegate " + options_.delegateCode + " in the roster");
    const auto& present = snapshot.present_delegate_ids();
    delegatePresent_ = std::find(present.begin(), present.end(), *delegateId) != present.end();
  }

  asio::awaitable<void> triggerReadLoop() {
    auto stream = trigger_;
    v1::ServerMessage message;
    auto onFrame = [this, &message](std::string_view bytes, std::int64_t at) {
      const bool parsed = message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
      if (!hall()) return;  // the floor relays the trigger's own messages back: nothing to check
      if (!parsed) {
        errors_.note("the trigger received an unparsable ServerMessage");
        return;
      }
      if (!message.has_response()) return;
      const auto& response = message.response();
      if (response.request_id() < kBroadcastRequestBase ||
          response.request_id() >= kBroadcastRequestBase + options_.broadcasts) {
        return;
      }
      const std::size_t broadcast = response.request_id() - kBroadcastRequestBase;
      replyNs_[broadcast] = at;
      ++replies_;
      if (!response.has_attendance_change()) {
        ++triggerErrors_;
        errors_.note("a check-in/check-out failed: " + describe(response));
      } else if (!response.attendance_change().changed()) {
        ++triggerErrors_;
        errors_.note("a check-in/check-out changed nothing, so nothing was broadcast");
      }
      signal_.notify();
    };
    const boost::system::error_code ec = co_await readFrames(*stream, onFrame);
    if (!stopping_) errors_.note("the trigger lost its connection: " + ec.message());
  }

  std::string broadcastMessage(std::size_t broadcast) {
    if (!hall()) {
      std::string message(options_.floorMessageBytes, 'x');
      const auto value = static_cast<std::uint32_t>(broadcast);
      std::memcpy(message.data(), kFloorTag.data(), kFloorTag.size());
      std::memcpy(message.data() + kFloorTag.size(), &value, sizeof value);
      return message;
    }
    v1::ClientMessage request;
    request.set_request_id(kBroadcastRequestBase + broadcast);
    const std::string reason = std::string(kReasonPrefix) + std::to_string(broadcast);
    // Alternating from the delegate's current state: every request changes it.
    const bool checkIn = delegatePresent_ == (broadcast % 2 == 1);
    if (checkIn) {
      request.mutable_check_in()->set_delegate_code(options_.delegateCode);
      request.mutable_check_in()->set_reason(reason);
    } else {
      request.mutable_check_out()->set_delegate_code(options_.delegateCode);
      request.mutable_check_out()->set_reason(reason);
    }
    return request.SerializeAsString();
  }

  // ---- the script

  asio::awaitable<void> script() {
    const std::size_t n = options_.terminals;
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;

    // 1. Terminals connect and sign in.
    const auto connectStart = Clock::now();
    connectFailures_ = co_await openTerminals(all, options_.connectInflight, false, 600s);
    connectSeconds_ = std::chrono::duration<double>(Clock::now() - connectStart).count();
    signedIn_ = n - connectFailures_;
    rssSignedIn_ = serverRss();
    std::cout << (hall() ? "signed in " : "connected ") << signedIn_ << "/" << n << " terminals in " << std::fixed
              << std::setprecision(2) << connectSeconds_ << " s (" << std::setprecision(0)
              << static_cast<double>(signedIn_) / connectSeconds_ << " per second)";
    if (rssSignedIn_) std::cout << "; server RSS " << std::setprecision(1) << *rssSignedIn_ << " MB";
    std::cout << std::endl;

    // 2. The trigger produces the broadcasts at the given rate.
    co_await openTrigger();
    asio::co_spawn(ioc_, triggerReadLoop(), asio::detached);
    cpuBefore_ = readProcessCpu(options_.server.pid);
    clientCpuBefore_ = clientCpuSeconds();
    const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options_.rate));
    const auto firstSend = Clock::now() + 20ms;
    asio::steady_timer pace(ioc_);
    for (std::size_t b = 0; b < options_.broadcasts; ++b) {
      const std::string message = broadcastMessage(b);
      pace.expires_at(firstSend + period * static_cast<long>(b));
      co_await pace.async_wait(asio::use_awaitable);
      sendNs_[b] = nowNs();
      co_await trigger_->async_write(asio::buffer(message), asio::use_awaitable);
    }
    const std::function<bool()> expectedComplete = [this] {
      return terminalsComplete_ >= signedIn_ && (!hall() || replies_ >= options_.broadcasts);
    };
    drained_ = co_await signal_.waitUntil(expectedComplete, Clock::now() + options_.drainTimeout);
    cpuAfter_ = readProcessCpu(options_.server.pid);
    clientCpuAfter_ = clientCpuSeconds();
    rssAfterBroadcasts_ = serverRss();
    std::cout << "broadcast phase: " << delivered_ << "/" << n * options_.broadcasts << " deliveries"
              << (drained_ ? "" : " (drain time-out)") << std::endl;

    // 3. Reconnect storm: every terminal drops at once and comes back.
    if (options_.storm) {
      std::vector<std::size_t> connected;
      for (std::size_t i = 0; i < n; ++i) {
        if (terminals_[i].connected) connected.push_back(i);
      }
      const auto stormStart = Clock::now();
      for (std::size_t i : connected) {
        Terminal& terminal = terminals_[i];
        ++terminal.generation;
        terminal.connected = false;
        boost::system::error_code ignored;
        beast::get_lowest_layer(*terminal.stream).socket().close(ignored);
        terminal.stream.reset();
      }
      stormTerminals_ = connected.size();
      stormFailures_ = co_await openTerminals(connected, options_.stormInflight, true, 600s);
      stormSeconds_ = std::chrono::duration<double>(Clock::now() - stormStart).count();
      std::cout << "reconnect storm: " << stormTerminals_ - stormFailures_ << "/" << stormTerminals_
                << (hall() ? " resumed" : " reconnected") << " in " << std::setprecision(2) << stormSeconds_ << " s"
                << std::endl;
    }
    rssEnd_ = serverRss();
    stopping_ = true;
  }

  // ---- the report

  int report() {
    const std::size_t n = options_.terminals;
    const std::size_t m = options_.broadcasts;
    std::vector<std::int64_t> latencies;
    latencies.reserve(delivered_);
    std::vector<std::int64_t> lastTerminal;
    std::vector<std::int64_t> firstTerminal;
    for (std::size_t b = 0; b < m; ++b) {
      if (sendNs_[b] < 0) continue;
      std::int64_t first = -1;
      std::int64_t last = -1;
      for (std::size_t t = 0; t < n; ++t) {
        const std::int64_t at = receipts_[t * m + b];
        if (at < 0) continue;
        const std::int64_t latency = at - sendNs_[b];
        latencies.push_back(latency);
        first = first < 0 ? latency : std::min(first, latency);
        last = std::max(last, latency);
      }
      if (last >= 0) {
        lastTerminal.push_back(last);
        firstTerminal.push_back(first);
      }
    }
    std::sort(latencies.begin(), latencies.end());
    std::sort(lastTerminal.begin(), lastTerminal.end());
    std::sort(firstTerminal.begin(), firstTerminal.end());
    std::vector<std::int64_t> replyLatencies;
    for (std::size_t b = 0; b < m; ++b) {
      if (sendNs_[b] >= 0 && replyNs_[b] >= 0) replyLatencies.push_back(replyNs_[b] - sendNs_[b]);
    }
    std::sort(replyLatencies.begin(), replyLatencies.end());

    const std::uint64_t expected = static_cast<std::uint64_t>(n) * m;
    const std::uint64_t missing = expected - delivered_;
    std::optional<double> serverCpu;
    std::optional<double> serverCpuUser;
    std::optional<double> serverCpuSystem;
    std::optional<double> serverCpuSched;
    std::optional<double> cpuPerDelivery;
    std::optional<double> cpuPerDeliverySched;
    if (cpuBefore_ && cpuAfter_) {
      const CpuTimes spent = *cpuAfter_ - *cpuBefore_;
      serverCpu = spent.statSeconds;
      serverCpuUser = spent.userSeconds;
      serverCpuSystem = spent.systemSeconds;
      serverCpuSched = spent.schedSeconds;
      if (delivered_ > 0) {
        cpuPerDelivery = *serverCpu * 1e6 / static_cast<double>(delivered_);
        cpuPerDeliverySched = *serverCpuSched * 1e6 / static_cast<double>(delivered_);
      }
    }
    const double clientCpu = clientCpuAfter_ - clientCpuBefore_;
    const bool stormOk = !options_.storm || (stormTerminals_ == n && stormFailures_ == 0);
    const bool ok = fatal_.empty() && connectFailures_ == 0 && missing == 0 && duplicates_ == 0 &&
                    triggerErrors_ == 0 && stormOk;

    const char* modeName = hall() ? "hall" : "floor";
    std::cout << std::fixed << std::setprecision(3);
    std::cout << "mode " << modeName << ", " << n << " terminals, " << m << " broadcasts at " << options_.rate
              << "/s, message " << messageBytes_ << " bytes\n";
    std::cout << "deliveries: " << delivered_ << "/" << expected << " received, " << missing << " missing, "
              << duplicates_ << " duplicate\n";
    std::cout << "latency send->receipt: p50 " << percentileMs(latencies, 0.50) << " ms, p99 "
              << percentileMs(latencies, 0.99) << " ms, max "
              << maxMs(latencies) << " ms\n";
    std::cout << "time to last terminal: median " << percentileMs(lastTerminal, 0.5) << " ms, max "
              << maxMs(lastTerminal) << " ms; first terminal median "
              << percentileMs(firstTerminal, 0.5) << " ms\n";
    if (hall()) {
      std::cout << "trigger reply (commit): p50 " << percentileMs(replyLatencies, 0.5) << " ms, max "
                << maxMs(replyLatencies) << " ms; " << triggerErrors_
                << " failed\n";
    }
    if (serverCpu) {
      std::cout << "server CPU in the broadcast phase: " << *serverCpu << " s (/proc stat: user " << *serverCpuUser
                << " s, system " << *serverCpuSystem << " s), " << *serverCpuSched
                << " s (schedstat); per delivery " << cpuPerDelivery.value_or(NAN) << " us (stat), "
                << cpuPerDeliverySched.value_or(NAN) << " us (schedstat)\n";
    }
    std::cout << "load client CPU in the broadcast phase: " << clientCpu << " s\n";
    if (rssSignedIn_) {
      std::cout << "server RSS: " << *rssSignedIn_ << " MB with all terminals signed in, "
                << rssAfterBroadcasts_.value_or(NAN) << " MB after the broadcasts, " << rssEnd_.value_or(NAN)
                << " MB at the end\n";
    }
    errors_.print(std::cout, fatal_);

    Json latency;
    latency.field("p50", percentileMs(latencies, 0.50))
        .field("p99", percentileMs(latencies, 0.99))
        .field("max", maxMs(latencies));
    Json last;
    last.field("median", percentileMs(lastTerminal, 0.5))
        .field("max", maxMs(lastTerminal));
    Json result;
    result.field("label", options_.label)
        .field("mode", std::string(modeName))
        .field("ok", ok)
        .field("terminals", static_cast<std::uint64_t>(n))
        .field("terminals_connected", static_cast<std::uint64_t>(signedIn_))
        .field("connect_failures", static_cast<std::uint64_t>(connectFailures_))
        .field("connect_seconds", connectSeconds_)
        .field("connect_per_second", connectSeconds_ > 0 ? static_cast<double>(signedIn_) / connectSeconds_ : 0.0)
        .field("broadcasts", static_cast<std::uint64_t>(m))
        .field("rate_per_second", options_.rate)
        .field("message_bytes", static_cast<std::uint64_t>(messageBytes_))
        .field("deliveries_expected", expected)
        .field("deliveries_received", delivered_)
        .field("deliveries_missing", missing)
        .field("duplicates", duplicates_)
        .field("unexpected_disconnects", unexpectedDisconnects_)
        .object("latency_ms", latency)
        .object("last_terminal_ms", last)
        .field("first_terminal_median_ms", percentileMs(firstTerminal, 0.5))
        .field("trigger_errors", triggerErrors_);
    if (hall()) {
      Json reply;
      reply.field("p50", percentileMs(replyLatencies, 0.5))
          .field("max", maxMs(replyLatencies));
      result.object("trigger_reply_ms", reply);
    }
    result.field("server_cpu_seconds", serverCpu)
        .field("server_cpu_user_seconds", serverCpuUser)
        .field("server_cpu_system_seconds", serverCpuSystem)
        .field("server_cpu_seconds_schedstat", serverCpuSched)
        .field("server_cpu_us_per_delivery", cpuPerDelivery)
        .field("server_cpu_us_per_delivery_schedstat", cpuPerDeliverySched)
        .field("client_cpu_us_per_delivery",
               delivered_ > 0 ? clientCpu * 1e6 / static_cast<double>(delivered_) : std::nan(""))
        .field("server_rss_mb_signed_in", rssSignedIn_)
        .field("server_rss_mb_after_broadcasts", rssAfterBroadcasts_)
        .field("server_rss_mb_end", rssEnd_);
    if (options_.storm) {
      Json storm;
      storm.field("terminals", static_cast<std::uint64_t>(stormTerminals_))
          .field("failures", static_cast<std::uint64_t>(stormFailures_))
          .field("inflight", static_cast<std::uint64_t>(options_.stormInflight))
          .field("seconds", stormSeconds_)
          .field("snapshots", resumeSnapshots_)
          .field("missed_events", resumeMissedEvents_);
      result.object("storm", storm);
    }
    result.field("error", fatal_);

    // The same figures flat, one key=value each, for shell scripts ("-": not measured).
    std::cout << "METRICS ok=" << (ok ? 1 : 0) << " missing=" << missing
              << " connect_per_s=" << metricText(connectSeconds_ > 0 ? static_cast<double>(signedIn_) / connectSeconds_ : 0.0)
              << " p50_ms=" << metricText(percentileMs(latencies, 0.50))
              << " p99_ms=" << metricText(percentileMs(latencies, 0.99))
              << " max_ms=" << metricText(maxMs(latencies))
              << " last_median_ms=" << metricText(percentileMs(lastTerminal, 0.5))
              << " last_max_ms=" << metricText(maxMs(lastTerminal))
              << " cpu_us=" << metricText(cpuPerDelivery) << " cpu_us_sched=" << metricText(cpuPerDeliverySched)
              << " cpu_user_share=" << metricText(serverCpu && *serverCpu > 0 ? std::optional<double>(*serverCpuUser / *serverCpu) : std::nullopt)
              << " rss_signed_in_mb=" << metricText(rssSignedIn_) << " rss_end_mb=" << metricText(rssEnd_)
              << " storm_s=" << metricText(options_.storm ? std::optional<double>(stormSeconds_) : std::nullopt)
              << " reply_p50_ms="
              << metricText(hall() ? std::optional<double>(percentileMs(replyLatencies, 0.5)) : std::nullopt)
              << " message_bytes=" << messageBytes_ << "\n";
    std::cout << "RESULT " << result.str() << std::endl;
    return ok ? 0 : 1;
  }

  Options options_;
  asio::io_context ioc_{1};
  WsConnector connector_;
  Signal signal_;

  std::vector<Terminal> terminals_;
  std::vector<std::int64_t> receipts_;  // [terminal * broadcasts + broadcast]: receipt time, -1 if none
  std::vector<std::int64_t> sendNs_;
  std::vector<std::int64_t> replyNs_;
  v1::ServerMessage event_;  // reused for every delivery: no allocation per parse

  std::shared_ptr<WsStream> trigger_;
  bool delegatePresent_ = false;

  std::size_t connectFailures_ = 0;
  std::size_t signedIn_ = 0;
  double connectSeconds_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t duplicates_ = 0;
  std::size_t terminalsComplete_ = 0;
  std::size_t messageBytes_ = 0;
  std::uint64_t unexpectedDisconnects_ = 0;
  std::size_t replies_ = 0;
  std::uint64_t triggerErrors_ = 0;
  bool drained_ = false;
  std::optional<CpuTimes> cpuBefore_;
  std::optional<CpuTimes> cpuAfter_;
  double clientCpuBefore_ = 0;
  double clientCpuAfter_ = 0;
  std::optional<double> rssSignedIn_;
  std::optional<double> rssAfterBroadcasts_;
  std::optional<double> rssEnd_;
  std::size_t stormTerminals_ = 0;
  std::size_t stormFailures_ = 0;
  double stormSeconds_ = 0;
  std::uint64_t resumeSnapshots_ = 0;
  std::uint64_t resumeMissedEvents_ = 0;

  ErrorTally errors_{"broadcast_load"};
  std::string fatal_;
  bool stopping_ = false;
};

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  return runMain("broadcast_load", kUsage, [&] { return parseOptions(argc, argv); }, [](Options& options) {
    if (!raiseDescriptorLimit(options.terminals, "broadcast_load")) return 2;
    Benchmark benchmark(std::move(options));
    return benchmark.run();
  });
}
