#include "net/http_session.hpp"

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "net/handshake.hpp"
#include "net/ws_session.hpp"

namespace daihoi::net {

namespace beast = boost::beast;

namespace {
constexpr std::uint64_t kHttpBodyLimit = 64 * 1024;
constexpr std::uint32_t kHttpHeaderLimit = 16 * 1024;
}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream stream, HttpContext context, std::string remoteAddress)
    : stream_(std::move(stream)), context_(context), remoteAddress_(std::move(remoteAddress)) {
  context_.registry.addHttp(this);
}

template <class Stream>
HttpSession<Stream>::~HttpSession() {
  context_.registry.removeHttp(this);
}

template <class Stream>
void HttpSession<Stream>::closeNow() {
  if (upgraded_) return;
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).socket().close(ignored);
}

template <class Stream>
void HttpSession<Stream>::start() {
  if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
    beast::get_lowest_layer(stream_).expires_after(context_.options.httpTimeout);
    stream_.async_handshake(boost::asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](boost::system::error_code ec) {
                              if (ec) {
                                ++self->context_.registry.counters().tlsHandshakeFailures;
                                return;
                              }
                              self->doRead();
                            });
  } else {
    doRead();
  }
}

template <class Stream>
void HttpSession<Stream>::doRead() {
  parser_.emplace();
  parser_->body_limit(kHttpBodyLimit);
  parser_->header_limit(kHttpHeaderLimit);
  beast::get_lowest_layer(stream_).expires_after(context_.options.httpTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) { self->onRead(ec); });
}

template <class Stream>
void HttpSession<Stream>::onRead(boost::system::error_code ec) {
  if (ec) {
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      respond(413, "text/plain; charset=utf-8", "request too large\n");
    }
    return;  // closed or timed out: the session ends here
  }
  const HttpRequest& request = parser_->get();
  if (isWebSocketUpgrade(request)) {
    upgrade();
    return;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    respond(405, "text/plain; charset=utf-8", "method not allowed\n");
    return;
  }
  HttpReply reply = context_.routes(request.target());
  respond(reply.status, std::move(reply.contentType), std::move(reply.body));
}

template <class Stream>
void HttpSession<Stream>::respond(unsigned status, std::string contentType, std::string body) {
  const bool keepAlive = parser_ && parser_->is_done() && parser_->get().keep_alive();
  response_ = {};
  response_.result(status);
  response_.version(11);
  response_.set(http::field::server, "daihoi");
  response_.set(http::field::content_type, contentType);
  response_.set(http::field::cache_control, "no-store");
  response_.body() = std::move(body);
  response_.keep_alive(keepAlive);
  response_.prepare_payload();
  http::async_write(stream_, response_,
                    [self = this->shared_from_this(), keepAlive](boost::system::error_code ec, std::size_t) {
                      if (!ec && keepAlive) self->doRead();
                    });
}

template <class Stream>
void HttpSession<Stream>::upgrade() {
  const HttpRequest& request = parser_->get();
  if (request.target() != "/ws") {
    respond(404, "text/plain; charset=utf-8", "WebSocket endpoint is /ws\n");
    return;
  }
  if (std::string problem = upgradeProblem(request); !problem.empty()) {
    respond(400, "text/plain; charset=utf-8", problem + "\n");
    return;
  }
  if (!originAllowed(request, context_.options.allowedOrigins)) {
    ++context_.registry.counters().rejectedOrigins;
    respond(403, "text/plain; charset=utf-8", "origin not allowed\n");
    return;
  }
  auto handshake = std::make_shared<http::response<http::empty_body>>(http::status::switching_protocols, 11);
  handshake->set(http::field::server, "daihoi");
  handshake->set(http::field::upgrade, "websocket");
  handshake->set(http::field::connection, "Upgrade");
  handshake->set(http::field::sec_websocket_accept, acceptKey(request[http::field::sec_websocket_key]));
  http::async_write(stream_, *handshake, [self = this->shared_from_this(), handshake](boost::system::error_code ec,
                                                                                     std::size_t) {
    if (ec) return;
    self->upgraded_ = true;
    // From here the session's own sweeper handles time-outs.
    beast::get_lowest_layer(self->stream_).expires_never();
    auto& registry = self->context_.registry;
    ++registry.counters().upgrades;
    auto session = std::make_shared<WsSession<Stream>>(
        std::move(self->stream_), std::move(self->buffer_), self->context_.hall, registry,
        self->context_.options.limits, registry.nextConnectionId(), self->remoteAddress_);
    session->start();
  });
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace daihoi::net
