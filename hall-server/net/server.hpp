#pragma once
// The network front of the hall server: accepts TCP (optionally TLS),
// serves /healthz, /metrics and the WebSocket upgrade at /ws.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/session_registry.hpp"
#include "net/ws_session.hpp"

namespace daihoi::protocol {
class Hall;
}

namespace daihoi::net {

struct NetOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port (tests)
  std::string tlsCertificateFile;  // both set: wss/https only
  std::string tlsPrivateKeyFile;
  std::vector<std::string> allowedOrigins;
  NetLimits limits;
  std::chrono::milliseconds sweepInterval{1'000};
  std::chrono::milliseconds httpTimeout{30'000};
};

// Serves GET requests other than the upgrade: returns status, content type, body.
struct HttpReply {
  unsigned status = 404;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body = "not found\n";
};
using HttpRoutes = std::function<HttpReply(std::string_view target)>;

class NetServer {
 public:
  NetServer(boost::asio::io_context& ioc, protocol::Hall& hall, NetOptions options, HttpRoutes routes);
  ~NetServer();

  // Binds and starts accepting; returns the bound port. Throws on failure.
  std::uint16_t start();
  // Graceful shutdown: stop accepting, send 1001 to every session. The
  // sessions end once their close handshakes finish or time out.
  void shutdown();

  bool tls() const { return sslContext_.has_value(); }
  SessionRegistry& registry() { return registry_; }
  const SessionRegistry& registry() const { return registry_; }
  const NetOptions& options() const { return options_; }

 private:
  void doAccept();
  void scheduleSweep();

  boost::asio::io_context& ioc_;
  protocol::Hall& hall_;
  NetOptions options_;
  HttpRoutes routes_;
  std::optional<boost::asio::ssl::context> sslContext_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer sweepTimer_;
  SessionRegistry registry_;
  bool stopping_ = false;
};

}  // namespace daihoi::net
