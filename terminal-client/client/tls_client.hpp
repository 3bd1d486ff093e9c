#pragma once
// The terminal's side of TLS, shared by the WebSocket transport and document
// downloads: TLS 1.2 or newer, the hall's certificate checked against a CA
// file (or the system's CAs) and against the host name, unless checking is
// switched off (--insecure, for a demo with a self-signed certificate).
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <string>

#include "client/client_error.hpp"

namespace daihoi::client {

Outcome<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const std::string& caFile, bool insecureSkipVerify);

// Before the handshake on `stream`: the server name (SNI, sent for host names
// only: RFC 6066 forbids IP literals there) and, when `verify`, the check of
// the certificate's name against `host`. An error when OpenSSL refuses the name.
boost::system::error_code prepareTlsHandshake(boost::beast::ssl_stream<boost::beast::tcp_stream>& stream,
                                              const std::string& host, bool verify);

}  // namespace daihoi::client
