// bare_broadcast_server: the floor of the broadcast benchmark.
//
// The Boost.Beast "chat-multi" example as of boost-1.74.0
// (example/websocket/server/chat-multi), reduced to what a broadcast needs:
// a listener, an HTTP session that hands the upgrade request to a
// websocket_session, and a shared_state that broadcasts under a mutex by
// copying weak pointers. Each session keeps a queue of
// shared_ptr<const std::string> with one write in flight, and send() posts to
// the session's strand as the example does. Differences from the example:
// binary frames, one io_context thread (like the hall server), no static
// files, and the port is chosen by the kernel and written to --port-file.
//
// Any binary message from any client is broadcast to every client.
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace daihoi::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class WebsocketSession;

// The set of connected sessions (chat-multi's shared_state).
class SharedState {
 public:
  void join(WebsocketSession* session) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.insert(session);
  }
  void leave(WebsocketSession* session) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(session);
  }
  // Broadcasts a message to every session.
  void send(std::string message);

 private:
  std::mutex mutex_;
  std::unordered_set<WebsocketSession*> sessions_;
};

class WebsocketSession : public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state)
      : ws_(std::move(socket)), state_(std::move(state)) {}
  ~WebsocketSession() { state_->leave(this); }

  template <class Body, class Allocator>
  void run(http::request<Body, http::basic_fields<Allocator>> request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, std::string(BOOST_BEAST_VERSION_STRING) + " bare-broadcast");
    }));
    ws_.binary(true);
    ws_.async_accept(request, beast::bind_front_handler(&WebsocketSession::onAccept, shared_from_this()));
  }

  // Called by the shared state, possibly from another thread in the
  // example: the work is posted to this session's strand.
  void send(const std::shared_ptr<const std::string>& message) {
    asio::post(ws_.get_executor(), beast::bind_front_handler(&WebsocketSession::onSend, shared_from_this(), message));
  }

 private:
  void onAccept(beast::error_code ec) {
    if (ec) return;
    state_->join(this);
    doRead();
  }

  void doRead() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WebsocketSession::onRead, shared_from_this()));
  }

  void onRead(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (ws_.got_binary()) state_->send(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    doRead();
  }

  void onSend(const std::shared_ptr<const std::string>& message) {
    queue_.push_back(message);
    if (queue_.size() > 1) return;  // a write is in flight; onWrite continues with the queue
    ws_.async_write(asio::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebsocketSession::onWrite, shared_from_this()));
  }

  void onWrite(beast::error_code ec, std::size_t) {
    if (ec) return;
    queue_.erase(queue_.begin());
    if (!queue_.empty()) {
      ws_.async_write(asio::buffer(*queue_.front()),
                      beast::bind_front_handler(&WebsocketSession::onWrite, shared_from_this()));
    }
  }

  beast::flat_buffer buffer_;
  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<SharedState> state_;
  std::vector<std::shared_ptr<const std::string>> queue_;
};

void SharedState::send(std::string message) {
  const auto shared = std::make_shared<const std::string>(std::move(message));
  // Copy weak pointers under the lock, send without it.
  std::vector<std::weak_ptr<WebsocketSession>> sessions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions.reserve(sessions_.size());
    for (WebsocketSession* session : sessions_) sessions.emplace_back(session->weak_from_this());
  }
  for (const auto& weak : sessions) {
    if (auto session = weak.lock()) session->send(shared);
  }
}

// Reads the HTTP upgrade request and hands the socket to a WebSocket session.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}

  void run() { doRead(); }

 private:
  void doRead() {
    parser_.emplace();
    parser_->body_limit(10'000);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, parser_->get(),
                     beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
  }

  void onRead(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (websocket::is_upgrade(parser_->get())) {
      std::make_shared<WebsocketSession>(stream_.release_socket(), state_)->run(parser_->release());
      return;
    }
    auto response = std::make_shared<http::response<http::string_body>>(http::status::bad_request, 11);
    response->set(http::field::content_type, "text/plain");
    response->body() = "WebSocket only\n";
    response->prepare_payload();
    http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code, std::size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, const tcp::endpoint& endpoint, std::shared_ptr<SharedState> state)
      : ioc_(ioc), acceptor_(ioc), state_(std::move(state)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void run() {
    acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&Listener::onAccept, shared_from_this()));
  }

 private:
  void onAccept(beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<HttpSession>(std::move(socket), state_)->run();
    run();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<SharedState> state_;
};

constexpr const char* kUsage =
    "usage: bare_broadcast_server [--address 127.0.0.1] [--port 0] [--port-file FILE]\n"
    "Relays every binary WebSocket message to every connected client (the Beast chat-multi pattern).\n";

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  std::string address = "127.0.0.1";
  unsigned long port = 0;
  std::string portFile;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "bare_broadcast_server: " << arg << " needs a value\n" << kUsage;
      return 2;
    }
    const std::string value = argv[++i];
    if (arg == "--address") {
      address = value;
    } else if (arg == "--port") {
      char* end = nullptr;
      port = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || port > 65535) {
        std::cerr << "bare_broadcast_server: --port needs a number from 0 to 65535\n";
        return 2;
      }
    } else if (arg == "--port-file") {
      portFile = value;
    } else {
      std::cerr << "bare_broadcast_server: unknown option " << arg << "\n" << kUsage;
      return 2;
    }
  }
  try {
    boost::asio::io_context ioc{1};
    auto state = std::make_shared<SharedState>();
    const tcp::endpoint endpoint(boost::asio::ip::make_address(address), static_cast<std::uint16_t>(port));
    auto listener = std::make_shared<Listener>(ioc, endpoint, state);
    listener->run();
    std::cout << "bare broadcast server listening on ws://" << address << ":" << listener->port() << "/" << std::endl;
    if (!portFile.empty()) std::ofstream(portFile) << listener->port() << "\n";
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&ioc](boost::system::error_code, int) { ioc.stop(); });
    ioc.run();  // one network thread, as in the hall server
  } catch (const std::exception& e) {
    std::cerr << "bare_broadcast_server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
