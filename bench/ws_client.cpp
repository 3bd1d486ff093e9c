#include "ws_client.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <stdexcept>

namespace daihoi::bench {

using namespace std::chrono_literals;

asio::awaitable<bool> Signal::waitUntil(const std::function<bool()>& done, Clock::time_point deadline) {
  asio::steady_timer timer(ioc_);
  waiting_.push_back(&timer);
  bool reached = true;
  while (!done()) {
    if (Clock::now() >= deadline) {
      reached = false;
      break;
    }
    timer.expires_at(deadline);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &timer));
  co_return reached;
}

std::string runScript(asio::io_context& ioc, asio::awaitable<void> script) {
  // Shared with the completion handler, which could outlive this call if the loop stopped early.
  struct Outcome {
    std::string failed;
    bool finished = false;
  };
  auto outcome = std::make_shared<Outcome>();
  asio::co_spawn(ioc, std::move(script), [outcome, &ioc](std::exception_ptr failure) {
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        outcome->failed = e.what();
      }
    }
    outcome->finished = true;
    ioc.stop();  // read loops would otherwise run forever
  });
  ioc.run();
  if (!outcome->finished && outcome->failed.empty()) outcome->failed = "the event loop stopped early";
  return outcome->failed;
}

WsConnector::WsConnector(asio::io_context& ioc, const std::string& host, std::uint16_t port)
    : ioc_(ioc), endpoint_(asio::ip::make_address(host), port), hostHeader_(host + ":" + std::to_string(port)) {}

asio::awaitable<std::shared_ptr<WsStream>> WsConnector::open() {
  auto stream = std::make_shared<WsStream>(ioc_);
  auto& socketLayer = beast::get_lowest_layer(*stream);
  socketLayer.expires_after(30s);
  co_await socketLayer.async_connect(endpoint_, asio::use_awaitable);
  socketLayer.expires_never();
  socketLayer.socket().set_option(tcp::no_delay(true));
  stream->set_option(websocket::stream_base::timeout{30s, websocket::stream_base::none(), false});
  stream->read_message_max(64 * 1024 * 1024);
  stream->binary(true);
  co_await stream->async_handshake(hostHeader_, "/ws", asio::use_awaitable);
  co_return stream;
}

std::string describe(const v1::Response& response) {
  if (response.has_error()) return v1::ErrorCode_Name(response.error().code()) + ": " + response.error().message();
  return "unexpected response kind " + std::to_string(response.result_case());
}

v1::ClientMessage helloRequest(const std::string& clientName) {
  v1::ClientMessage request;
  request.mutable_hello()->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  request.mutable_hello()->set_client_name(clientName);
  return request;
}

v1::ClientMessage staffSignInRequest(const std::string& user, const std::string& password) {
  v1::ClientMessage request;
  auto& staff = *request.mutable_sign_in()->mutable_staff_password();
  staff.set_username(user);
  staff.set_password(password);
  return request;
}

asio::awaitable<void> writeMessage(WsStream& stream, const v1::ClientMessage& request) {
  const std::string bytes = request.SerializeAsString();
  co_await stream.async_write(asio::buffer(bytes), asio::use_awaitable);
}

asio::awaitable<v1::Response> call(WsStream& stream, beast::flat_buffer& buffer, const v1::ClientMessage& request) {
  co_await writeMessage(stream, request);
  for (;;) {
    buffer.clear();
    co_await stream.async_read(buffer, asio::use_awaitable);
    v1::ServerMessage message;
    const auto data = buffer.data();
    if (!message.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
      throw std::runtime_error("the server sent an unparsable ServerMessage");
    }
    if (message.has_response() && message.response().request_id() == request.request_id()) {
      co_return message.response();
    }
  }
}

namespace {

// What the workers of one runInflight share; it outlives runInflight when the deadline came first.
struct InflightBatch {
  std::vector<std::size_t> items;
  std::function<asio::awaitable<void>(std::size_t)> work;
  std::function<void(const std::exception&)> failed;
  std::size_t next = 0;
  std::size_t failures = 0;
  std::size_t workersDone = 0;
};

asio::awaitable<void> inflightWorker(std::shared_ptr<InflightBatch> batch, Signal& signal) {
  while (batch->next < batch->items.size()) {
    const std::size_t item = batch->items[batch->next++];
    try {
      co_await batch->work(item);
    } catch (const std::exception& e) {
      ++batch->failures;
      batch->failed(e);
    }
  }
  ++batch->workersDone;
  signal.notify();
}

}  // namespace

asio::awaitable<InflightOutcome> runInflight(asio::io_context& ioc, Signal& signal, std::vector<std::size_t> items,
                                             std::size_t inflight,
                                             const std::function<asio::awaitable<void>(std::size_t)>& work,
                                             const std::function<void(const std::exception&)>& failed,
                                             Clock::time_point deadline) {
  auto batch = std::make_shared<InflightBatch>();
  batch->items = std::move(items);
  batch->work = work;
  batch->failed = failed;
  const std::size_t workers = std::min(inflight, batch->items.size());
  for (std::size_t w = 0; w < workers; ++w) asio::co_spawn(ioc, inflightWorker(batch, signal), asio::detached);
  const InflightBatch* progress = batch.get();
  const std::function<bool()> allDone = [progress, workers] { return progress->workersDone == workers; };
  InflightOutcome outcome;
  outcome.finished = co_await signal.waitUntil(allDone, deadline);
  outcome.failures = batch->failures;
  co_return outcome;
}

}  // namespace daihoi::bench
