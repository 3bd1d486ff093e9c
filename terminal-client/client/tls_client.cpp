#include "client/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

namespace daihoi::client {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using boost::system::error_code;

Outcome<std::shared_ptr<ssl::context>> makeTlsContext(const std::string& caFile, bool insecureSkipVerify) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                       ec);
  if (insecureSkipVerify) {
    context->set_verify_mode(ssl::verify_none, ec);
    return context;
  }
  context->set_verify_mode(ssl::verify_peer, ec);
  if (!caFile.empty()) {
    context->load_verify_file(caFile, ec);
    if (ec) {
      return connectionError("cannot load the CA certificate file " + caFile +
                             " (missing, unreadable or not PEM): " + ec.message());
    }
  } else {
    context->set_default_verify_paths(ec);
    if (ec) {
      return connectionError("cannot load the system's CA certificates: " + ec.message());
    }
  }
  return context;
}

error_code prepareTlsHandshake(boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, const std::string& host,
                               bool verify) {
  error_code notAddress;
  asio::ip::make_address(host, notAddress);
  if (notAddress && !SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
    return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  }
  if (verify) stream.set_verify_callback(ssl::host_name_verification(host));
  return {};
}

}  // namespace daihoi::client
