#pragma once
// The network front of the hall server: accepts TCP (optionally TLS),
// serves plain HTTP GETs through the routes (/healthz, /metrics, files) and
// the WebSocket upgrade at /ws.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mapped_file.hpp"
#include "net/handshake.hpp"
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

// A file body: written straight from the mapping (no copy per connection).
struct HttpFile {
  std::shared_ptr<const MappedFile> identity;  // the file itself; never null
  std::shared_ptr<const MappedFile> gzip;      // the same, gzip-compressed; may be null
  std::string etag;                            // without quotes, e.g. the SHA-256 hex; gzip gets etag + ".gz"
  std::string contentType;
};

// Serves GET and HEAD requests other than the upgrade (called on the network
// thread). A reply with a string body goes out as it is, marked no-store.
struct HttpReply {
  unsigned status = 404;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body = "not found\n";
  std::optional<HttpFile> file;                              // status 200 with a file: served per the request's headers
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. WWW-Authenticate
};
using HttpRoutes = std::function<HttpReply(const HttpRequest& request)>;

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
  // After a failed accept: again at once, or after kAcceptBackOff when the
  // process is out of descriptors or memory (the waiting connection would
  // fail the next accept at once: re-arming straight away spins a core).
  void acceptAfter(const boost::system::error_code& error);
  void scheduleSweep();

  boost::asio::io_context& ioc_;
  protocol::Hall& hall_;
  NetOptions options_;
  HttpRoutes routes_;
  std::optional<boost::asio::ssl::context> sslContext_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer sweepTimer_;
  boost::asio::steady_timer acceptRetryTimer_;
  std::chrono::steady_clock::time_point lastAcceptFailureReport_{};
  SessionRegistry registry_;
  bool stopping_ = false;
};

}  // namespace daihoi::net
