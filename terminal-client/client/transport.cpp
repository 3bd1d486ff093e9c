#include "client/transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "client/tls_client.hpp"

namespace daihoi::client::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// The parts that differ between ws:// and wss://.
template <class NextLayer>
struct StreamTraits;

template <>
struct StreamTraits<beast::tcp_stream> {
  static std::unique_ptr<websocket::stream<beast::tcp_stream>> make(asio::io_context& io, ssl::context*) {
    return std::make_unique<websocket::stream<beast::tcp_stream>>(io);
  }
  template <class Done>
  static void secure(websocket::stream<beast::tcp_stream>&, const ServerUrl&, bool, Done&& done) {
    done(error_code{});
  }
};

template <>
struct StreamTraits<beast::ssl_stream<beast::tcp_stream>> {
  using Stream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;
  static std::unique_ptr<Stream> make(asio::io_context& io, ssl::context* context) {
    return std::make_unique<Stream>(io, *context);
  }
  template <class Done>
  static void secure(Stream& ws, const ServerUrl& url, bool verify, Done&& done) {
    auto& tls = ws.next_layer();
    if (const error_code refused = prepareTlsHandshake(tls, url.host, verify)) {
      done(refused);
      return;
    }
    tls.async_handshake(ssl::stream_base::client, std::forward<Done>(done));
  }
};

template <class NextLayer>
class WebSocketTransport final : public Transport, public std::enable_shared_from_this<WebSocketTransport<NextLayer>> {
 public:
  WebSocketTransport(asio::io_context& io, ServerUrl url, TransportSettings settings,
                     std::shared_ptr<ssl::context> tls)
      : url_(std::move(url)),
        settings_(std::move(settings)),
        tls_(std::move(tls)),
        resolver_(io),
        openDeadline_(io),
        ws_(StreamTraits<NextLayer>::make(io, tls_.get())) {}

  void asyncOpen(OpenDone done) override {
    auto self = this->shared_from_this();
    openDone_ = std::move(done);
    // One deadline for the whole opening: the resolver has no timeout of its own.
    openDeadline_.expires_after(settings_.openTimeout);
    openDeadline_.async_wait([self](error_code ec) {
      if (!ec && self->openDone_) {
        self->timedOut_ = true;
        self->abort();
      }
    });
    resolver_.async_resolve(url_.host, url_.port, [self](error_code ec, tcp::resolver::results_type results) {
      if (ec) {
        self->finishOpen("cannot resolve " + self->url_.host + ": " + ec.message());
        return;
      }
      auto& tcpLayer = beast::get_lowest_layer(*self->ws_);
      tcpLayer.async_connect(results, [self](error_code ec, const tcp::endpoint&) {
        if (ec) {
          self->finishOpen("cannot connect to " + self->url_.host + ":" + self->url_.port + ": " + ec.message());
          return;
        }
        beast::get_lowest_layer(*self->ws_).socket().set_option(tcp::no_delay(true));
        StreamTraits<NextLayer>::secure(*self->ws_, self->url_, !self->settings_.insecureSkipVerify,
                                        [self](error_code ec) {
                                          if (ec) {
                                            self->finishOpen("TLS handshake with " + self->url_.host +
                                                             " failed: " + ec.message());
                                            return;
                                          }
                                          self->handshake();
                                        });
      });
    });
  }

  void asyncRead(ReadDone done) override {
    auto self = this->shared_from_this();
    ws_->async_read(readBuffer_, [self, done = std::move(done)](error_code ec, std::size_t) {
      std::string message = beast::buffers_to_string(self->readBuffer_.data());
      self->readBuffer_.consume(self->readBuffer_.size());
      done(ec, std::move(message), self->ws_->got_binary());
    });
  }

  void asyncWrite(std::shared_ptr<const std::string> frame, WriteDone done) override {
    auto self = this->shared_from_this();
    ws_->async_write(asio::buffer(*frame), [self, frame, done = std::move(done)](error_code ec, std::size_t) {
      done(ec);
    });
  }

  void asyncClose(CloseDone done) override {
    auto self = this->shared_from_this();
    ws_->async_close(websocket::close_code::normal, [self, done = std::move(done)](error_code ec) { done(ec); });
  }

  void abort() override {
    error_code ignored;
    resolver_.cancel();
    beast::get_lowest_layer(*ws_).socket().close(ignored);
  }

 private:
  void handshake() {
    auto self = this->shared_from_this();
    // The WebSocket layer enforces its own timeouts from here on.
    beast::get_lowest_layer(*ws_).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = settings_.openTimeout;
    if (settings_.keepAliveTimeout.count() > 0) {
      // Without pings a half-open TCP connection (Wi-Fi gone) would go unnoticed forever.
      timeouts.idle_timeout = settings_.keepAliveTimeout;
      timeouts.keep_alive_pings = true;
    }
    ws_->set_option(timeouts);
    ws_->set_option(websocket::stream_base::decorator(
        [agent = settings_.userAgent](websocket::request_type& request) {
          request.set(http::field::user_agent, agent);
        }));
    ws_->binary(true);
    ws_->read_message_max(settings_.maxMessageBytes);
    ws_->async_handshake(handshakeResponse_, url_.hostHeader(), url_.target, [self](error_code ec) {
      if (ec) {
        std::string why = "WebSocket handshake with " + self->url_.toString() + " failed: " + ec.message();
        const unsigned status = self->handshakeResponse_.result_int();
        if (status != 0 && status != 101) {
          why += " (HTTP " + std::to_string(status) + " " + std::string(self->handshakeResponse_.reason()) + ")";
        }
        self->finishOpen(why);
        return;
      }
      self->finishOpen("");
    });
  }

  void finishOpen(std::string failure) {
    openDeadline_.cancel();
    if (timedOut_ && !failure.empty()) {
      failure = "no connection to " + url_.toString() + " within " +
                std::to_string(settings_.openTimeout.count()) + " ms";
    }
    if (auto done = std::exchange(openDone_, nullptr)) {
      done(failure);
    }
  }

  ServerUrl url_;
  TransportSettings settings_;
  std::shared_ptr<ssl::context> tls_;  // must outlive ws_
  tcp::resolver resolver_;
  asio::steady_timer openDeadline_;
  std::unique_ptr<websocket::stream<NextLayer>> ws_;
  beast::flat_buffer readBuffer_;
  websocket::response_type handshakeResponse_;
  OpenDone openDone_;
  bool timedOut_ = false;
};

}  // namespace

Outcome<std::shared_ptr<Transport>> makeTransport(asio::io_context& io, const ServerUrl& url,
                                                  const TransportSettings& settings) {
  if (!url.secure) {
    return std::shared_ptr<Transport>(
        std::make_shared<WebSocketTransport<beast::tcp_stream>>(io, url, settings, nullptr));
  }
  auto tls = makeTlsContext(settings.caFile, settings.insecureSkipVerify);
  if (!tls) {
    return tls.error();
  }
  return std::shared_ptr<Transport>(std::make_shared<WebSocketTransport<beast::ssl_stream<beast::tcp_stream>>>(
      io, url, settings, std::move(tls.value())));
}

}  // namespace daihoi::client::detail
