#include "net/server.hpp"

#include <chrono>
#include <iostream>

#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "net/http_session.hpp"

namespace daihoi::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {
constexpr std::chrono::milliseconds kAcceptBackOff{100};
}  // namespace

NetServer::NetServer(asio::io_context& ioc, protocol::Hall& hall, NetOptions options, HttpRoutes routes)
    : ioc_(ioc), hall_(hall), options_(std::move(options)), routes_(std::move(routes)), acceptor_(ioc),
      sweepTimer_(ioc), acceptRetryTimer_(ioc) {
  if (!options_.tlsCertificateFile.empty() || !options_.tlsPrivateKeyFile.empty()) {
    sslContext_.emplace(ssl::context::tls_server);
    sslContext_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                             ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    sslContext_->use_certificate_chain_file(options_.tlsCertificateFile);
    sslContext_->use_private_key_file(options_.tlsPrivateKeyFile, ssl::context::pem);
  }
}

NetServer::~NetServer() = default;

std::uint16_t NetServer::start() {
  const tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  doAccept();
  scheduleSweep();
  return acceptor_.local_endpoint().port();
}

void NetServer::doAccept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      acceptAfter(ec);
      return;
    }
    {
      ++registry_.counters().accepted;
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto remote = socket.remote_endpoint(ignored);
      std::string remoteAddress = remote.address().to_string() + ":" + std::to_string(remote.port());
      HttpContext context{hall_, registry_, options_, routes_};
      if (sslContext_) {
        std::make_shared<HttpSession<beast::ssl_stream<beast::tcp_stream>>>(
            beast::ssl_stream<beast::tcp_stream>(std::move(socket), *sslContext_), context, std::move(remoteAddress))
            ->start();
      } else {
        std::make_shared<HttpSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), context,
                                                         std::move(remoteAddress))
            ->start();
      }
    }
    doAccept();
  });
}

void NetServer::acceptAfter(const boost::system::error_code& error) {
  ++registry_.counters().acceptFailures;
  const bool outOfResources = error == asio::error::no_descriptors || error == boost::system::errc::too_many_files_open_in_system ||
                              error == asio::error::no_buffer_space || error == asio::error::no_memory;
  if (!outOfResources) {
    doAccept();  // e.g. the peer reset the connection before it was accepted
    return;
  }
  // Reported at most every ten seconds: a crowd arriving at once would flood the log.
  const auto now = std::chrono::steady_clock::now();
  if (now - lastAcceptFailureReport_ >= std::chrono::seconds(10)) {
    lastAcceptFailureReport_ = now;
    std::cerr << "hall-server: cannot accept connections (" << error.message()
              << "); retrying every " << kAcceptBackOff.count() << " ms (raise the open file limit: ulimit -n)\n";
  }
  acceptRetryTimer_.expires_after(kAcceptBackOff);
  acceptRetryTimer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && !stopping_) doAccept();
  });
}

void NetServer::scheduleSweep() {
  // Often enough that a quiet session is pinged well before its idle time-out.
  const auto interval = std::min<std::chrono::milliseconds>(options_.sweepInterval, options_.limits.pingInterval / 3);
  sweepTimer_.expires_after(std::max(interval, std::chrono::milliseconds(10)));
  sweepTimer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    registry_.sweep(std::chrono::steady_clock::now());
    if (stopping_ && registry_.size() == 0) return;  // nothing left to close: let the io_context finish
    scheduleSweep();
  });
}

void NetServer::shutdown() {
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  acceptRetryTimer_.cancel();
  registry_.closeHttpSessions();
  registry_.goingAway();
}

}  // namespace daihoi::net
