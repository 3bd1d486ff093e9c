#pragma once
// Plain HTTP on a fresh connection: the routes (/healthz, /metrics, files)
// and the upgrade to a WebSocket session at /ws.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "net/server.hpp"
#include "net/session_registry.hpp"

namespace daihoi::net {

struct HttpContext {
  protocol::Hall& hall;
  SessionRegistry& registry;
  const NetOptions& options;
  const HttpRoutes& routes;
};

template <class Stream>
class HttpSession final : public HttpSessionBase, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream stream, HttpContext context, std::string remoteAddress);
  ~HttpSession() override;
  // Performs the TLS handshake first when Stream is a TLS stream.
  void start();
  void closeNow() override;

 private:
  void doRead();
  void onRead(boost::system::error_code ec);
  bool keepAlive() const;
  void respond(HttpReply reply);
  void sendFile(const HttpFile& file, const std::vector<std::pair<std::string, std::string>>& extraHeaders);
  void writeFileStep(bool keepAlive);
  void upgrade();

  // A file response in flight: the serializer reads the response, whose body
  // points into the mapping. Heap-allocated so that none of them moves.
  struct FileWrite;

  Stream stream_;
  HttpContext context_;
  std::string remoteAddress_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::unique_ptr<FileWrite> fileWrite_;  // set while a file is being written
  bool upgraded_ = false;  // the stream now belongs to a WebSocket session
};

}  // namespace daihoi::net
