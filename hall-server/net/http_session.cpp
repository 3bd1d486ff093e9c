#include "net/http_session.hpp"

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "net/handshake.hpp"
#include "net/http_file.hpp"
#include "net/ws_session.hpp"

namespace daihoi::net {

namespace beast = boost::beast;

namespace {
constexpr std::uint64_t kHttpBodyLimit = 64 * 1024;
constexpr std::uint32_t kHttpHeaderLimit = 16 * 1024;
// The most a file write hands the socket at once. The network thread serves
// every session: small steps let WebSocket traffic in between the steps of
// large downloads, and each step re-arms the time-out (see writeFileStep).
constexpr std::size_t kFileWriteStep = 256 * 1024;

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

// What every response carries, whatever its body.
template <class Body>
void setConnectionFields(http::response<Body>& response, bool keepAlive, const ExtraHeaders& extraHeaders) {
  response.version(11);
  response.set(http::field::server, "daihoi");
  for (const auto& [name, value] : extraHeaders) response.insert(name, value);
  response.keep_alive(keepAlive);
}
}  // namespace

template <class Stream>
struct HttpSession<Stream>::FileWrite {
  using Response = http::response<http::span_body<const char>>;

  FileWrite(std::shared_ptr<const MappedFile> file, Response message)
      : mapping(std::move(file)), response(std::move(message)), serializer(response) {
    serializer.limit(kFileWriteStep);
  }

  std::shared_ptr<const MappedFile> mapping;  // unmapped only once no response points into it
  Response response;
  http::response_serializer<http::span_body<const char>> serializer;
};

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
      respond({413, "text/plain; charset=utf-8", "request too large\n"});
    }
    return;  // closed or timed out: the session ends here
  }
  const HttpRequest& request = parser_->get();
  if (isWebSocketUpgrade(request)) {
    upgrade();
    return;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    respond({405, "text/plain; charset=utf-8", "method not allowed\n"});
    return;
  }
  HttpReply reply = context_.routes(request);
  if (reply.status == 200 && reply.file) {
    sendFile(*reply.file, reply.headers);
  } else {
    respond(std::move(reply));
  }
}

template <class Stream>
bool HttpSession<Stream>::keepAlive() const {
  return parser_ && parser_->is_done() && parser_->get().keep_alive();
}

template <class Stream>
void HttpSession<Stream>::respond(HttpReply reply) {
  const bool keepAlive = this->keepAlive();
  response_ = {};
  response_.result(reply.status);
  response_.set(http::field::content_type, reply.contentType);
  response_.set(http::field::cache_control, "no-store");
  setConnectionFields(response_, keepAlive, reply.headers);
  response_.body() = std::move(reply.body);
  response_.prepare_payload();
  // HEAD: the Content-Length of the body a GET would get, and no body.
  if (parser_ && parser_->is_done() && parser_->get().method() == http::verb::head) response_.body().clear();
  http::async_write(stream_, response_,
                    [self = this->shared_from_this(), keepAlive](boost::system::error_code ec, std::size_t) {
                      if (!ec && keepAlive) self->doRead();
                    });
}

template <class Stream>
void HttpSession<Stream>::sendFile(const HttpFile& file, const ExtraHeaders& extraHeaders) {
  const FileFacts facts{file.identity->bytes().size(),
                        file.gzip ? std::optional<std::uint64_t>(file.gzip->bytes().size()) : std::nullopt,
                        file.etag, file.contentType};
  FilePlan plan = planFileResponse(parser_->get(), facts);
  std::shared_ptr<const MappedFile> mapping = plan.variant == FileVariant::Gzip ? file.gzip : file.identity;
  const std::string_view body = mapping->bytes().substr(plan.bodyOffset, plan.bodyLength);
  typename FileWrite::Response response(std::move(plan.header), body.data(), body.size());
  const bool keepAlive = this->keepAlive();
  setConnectionFields(response, keepAlive, extraHeaders);
  fileWrite_ = std::make_unique<FileWrite>(std::move(mapping), std::move(response));
  writeFileStep(keepAlive);
}

// A 50 MB document to a slow terminal takes minutes, so the time-out must
// measure progress, not the whole response (which would cut the download off)
// nor nothing (a reader that stopped would pin the mapping and the socket
// forever). Each step is one write_some of at most kFileWriteStep bytes,
// which completes as soon as the socket has taken some of them, and the
// time-out is re-armed before each: a client that reads is never cut off,
// one that takes nothing for httpTimeout is dropped. Memory stays at the
// socket buffers (plus one TLS record): Beast writes from the mapping.
template <class Stream>
void HttpSession<Stream>::writeFileStep(bool keepAlive) {
  beast::get_lowest_layer(stream_).expires_after(context_.options.httpTimeout);
  http::async_write_some(stream_, fileWrite_->serializer,
                         [self = this->shared_from_this(), keepAlive](boost::system::error_code ec, std::size_t) {
                           if (ec) return;  // closed or timed out: the session and its mapping go
                           if (!self->fileWrite_->serializer.is_done()) {
                             self->writeFileStep(keepAlive);
                             return;
                           }
                           self->fileWrite_.reset();
                           if (keepAlive) self->doRead();
                         });
}

template <class Stream>
void HttpSession<Stream>::upgrade() {
  const HttpRequest& request = parser_->get();
  if (request.target() != "/ws") {
    respond({404, "text/plain; charset=utf-8", "WebSocket endpoint is /ws\n"});
    return;
  }
  if (std::string problem = upgradeProblem(request); !problem.empty()) {
    respond({400, "text/plain; charset=utf-8", problem + "\n"});
    return;
  }
  if (!originAllowed(request, context_.options.allowedOrigins)) {
    ++context_.registry.counters().rejectedOrigins;
    respond({403, "text/plain; charset=utf-8", "origin not allowed\n"});
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
