// ws_client.hpp: the WebSocket plumbing shared by the two load clients
// (broadcast_load, vote_load): one single-threaded io_context, connections
// opened like a terminal opens them, protocol requests, frame reading, waits
// for a condition, and work run a bounded number at a time.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daihoi.pb.h"
#include "load_common.hpp"

namespace daihoi::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace v1 = ::daihoi::v1;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using WsStream = websocket::stream<beast::tcp_stream>;

// GCC 12 destroys a temporary twice when it is part of a co_await expression
// (a lambda converted to std::function there, capturing a shared_ptr, ended
// in a use-after-free under ASan). So the coroutines below take callables by
// reference and refuse temporaries: callers pass named objects.

// Wakes every waiting coroutine when a condition may have become true. Each
// waiter has its own timer, so waiters never cancel one another's waits;
// single-threaded, so a check followed by a wait cannot miss a notify.
class Signal {
 public:
  explicit Signal(asio::io_context& ioc) : ioc_(ioc) {}
  void notify() {
    for (asio::steady_timer* timer : waiting_) timer->cancel();
  }
  // Returns false when the deadline passed first. `done` must be a named
  // object of the caller (see above); a temporary does not compile.
  asio::awaitable<bool> waitUntil(const std::function<bool()>& done, Clock::time_point deadline);
  asio::awaitable<bool> waitUntil(std::function<bool()>&& done, Clock::time_point deadline) = delete;

 private:
  asio::io_context& ioc_;
  std::vector<asio::steady_timer*> waiting_;
};

// Runs `script` on `ioc` until it ends, then stops the loop (read loops would
// otherwise run forever). Returns why it failed, "" when it finished.
std::string runScript(asio::io_context& ioc, asio::awaitable<void> script);

// Opens WebSockets to one server's /ws the way a terminal does: TCP_NODELAY,
// binary frames, 30 s to connect, no idle time-out.
class WsConnector {
 public:
  WsConnector(asio::io_context& ioc, const std::string& host, std::uint16_t port);
  asio::awaitable<std::shared_ptr<WsStream>> open();

 private:
  asio::io_context& ioc_;
  tcp::endpoint endpoint_;
  std::string hostHeader_;
};

// ---- the protocol

// "ERROR_CODE: message" of a refused request, or what came instead of the expected result.
std::string describe(const v1::Response& response);

v1::ClientMessage helloRequest(const std::string& clientName);
v1::ClientMessage staffSignInRequest(const std::string& user, const std::string& password);

// Serialises `request` and writes it as one frame.
asio::awaitable<void> writeMessage(WsStream& stream, const v1::ClientMessage& request);

// Writes `request` and reads frames until its Response (anything before it is skipped).
asio::awaitable<v1::Response> call(WsStream& stream, beast::flat_buffer& buffer, const v1::ClientMessage& request);

// Reads frames until the connection fails, and returns why. Each frame goes
// to `onFrame(bytes, at)` with `at` taken as soon as the read completed:
// every receipt time the load clients report is taken here. `onFrame` is a
// named object of the caller (see above).
template <class OnFrame>
asio::awaitable<boost::system::error_code> readFrames(WsStream& stream, OnFrame& onFrame) {
  beast::flat_buffer buffer;
  for (;;) {
    boost::system::error_code ec;
    co_await stream.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    const std::int64_t at = nowNs();
    if (ec) co_return ec;
    const auto data = buffer.data();
    onFrame(std::string_view(static_cast<const char*>(data.data()), data.size()), at);
    buffer.consume(buffer.size());
  }
}

// ---- work a bounded number at a time

struct InflightOutcome {
  bool finished = false;   // false: the deadline came first
  std::size_t failures = 0;
};

// Runs `work(item)` for every item, at most `inflight` at once, until all
// are done or the deadline. A work item that throws counts as a failure and
// is handed to `failed`. Both callables are named objects of the caller.
asio::awaitable<InflightOutcome> runInflight(asio::io_context& ioc, Signal& signal, std::vector<std::size_t> items,
                                             std::size_t inflight,
                                             const std::function<asio::awaitable<void>(std::size_t)>& work,
                                             const std::function<void(const std::exception&)>& failed,
                                             Clock::time_point deadline);

}  // namespace daihoi::bench
