#include "client/document_fetch.hpp"

#include <openssl/evp.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <algorithm>
#include <memory>
#include <optional>

#include "client/tls_client.hpp"

namespace daihoi::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

ClientError serverError(daihoi::v1::ErrorCode code, std::string message) {
  return ClientError{ErrorKind::Server, code, std::move(message), {}, 0};
}

// What went wrong in one step, as the client library reports it.
ClientError stepError(const std::string& step, error_code ec, std::chrono::milliseconds timeout) {
  if (ec == beast::error::timeout) {
    return timeoutError(step + ": no progress within " + std::to_string(timeout.count()) + " ms");
  }
  return connectionError(step + ": " + ec.message());
}

// Runs the io_context until the operation started before it has completed.
void runToCompletion(asio::io_context& io) {
  io.restart();
  io.run();
}

// One GET over a connected stream (plain TCP or TLS over it); the response or the error.
template <class Stream>
Outcome<http::response<http::string_body>> exchange(asio::io_context& io, Stream& stream, beast::tcp_stream& tcpLayer,
                                                    const http::request<http::empty_body>& request,
                                                    const FetchOptions& options) {
  error_code result;
  tcpLayer.expires_after(options.timeout);
  http::async_write(stream, request, [&](error_code ec, std::size_t) { result = ec; });
  runToCompletion(io);
  if (result) {
    return stepError("sending the request", result, options.timeout);
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.maxBytes);
  // Reads in steps: the deadline is renewed whenever bytes arrive, so a large file on a slow
  // network is not cut off, while a stalled one is.
  tcpLayer.expires_after(options.timeout);
  http::async_read_header(stream, buffer, parser, [&](error_code ec, std::size_t) { result = ec; });
  runToCompletion(io);
  while (!result && !parser.is_done()) {
    tcpLayer.expires_after(options.timeout);
    http::async_read_some(stream, buffer, parser, [&](error_code ec, std::size_t) { result = ec; });
    runToCompletion(io);
  }
  if (result == http::error::body_limit) {
    return protocolError("the file is larger than " + std::to_string(options.maxBytes) + " bytes");
  }
  if (result) {
    return stepError("reading the answer", result, options.timeout);
  }
  return parser.release();
}

}  // namespace

Outcome<std::string> documentTarget(std::string_view url) {
  const bool plain = !url.empty() && url.front() == '/' && url.substr(0, 2) != "//" &&
                     std::all_of(url.begin(), url.end(), [](char c) {
                       const auto byte = static_cast<unsigned char>(c);
                       return byte > 0x20 && byte < 0x7f && c != '#' && c != '\\';
                     });
  if (!plain) {
    return protocolError("the server gave a document address that is not a path on the server: \"" +
                         std::string(url) + "\"");
  }
  return std::string(url);
}

Outcome<std::string> fetchDocumentFile(const FetchOptions& options, std::string_view path,
                                       std::string_view sessionToken) {
  auto url = parseServerUrl(options.serverUrl);
  if (!url) {
    return url.error();
  }
  auto target = documentTarget(path);
  if (!target) {
    return target.error();
  }
  std::shared_ptr<ssl::context> tls;
  if (url->secure) {
    auto context = makeTlsContext(options.caFile, options.insecureSkipVerify);
    if (!context) {
      return context.error();
    }
    tls = std::move(context.value());
  }

  asio::io_context io;
  tcp::resolver resolver(io);
  std::optional<tcp::resolver::results_type> endpoints;
  error_code result;
  resolver.async_resolve(url->host, url->port, [&](error_code ec, tcp::resolver::results_type found) {
    result = ec;
    if (!ec) endpoints = std::move(found);
  });
  io.run_for(options.timeout);
  if (!endpoints && !result) {
    resolver.cancel();
    runToCompletion(io);
    return timeoutError("cannot resolve " + url->host + " within " + std::to_string(options.timeout.count()) + " ms");
  }
  if (result) {
    return connectionError("cannot resolve " + url->host + ": " + result.message());
  }

  http::request<http::empty_body> request{http::verb::get, *target, 11};
  request.set(http::field::host, url->hostHeader());
  request.set(http::field::user_agent, options.userAgent);
  request.set(http::field::authorization, "Bearer " + std::string(sessionToken));
  request.set(http::field::connection, "close");

  Outcome<http::response<http::string_body>> response = protocolError("no answer");
  const std::string where = url->host + ":" + url->port;
  if (!url->secure) {
    beast::tcp_stream stream(io);
    stream.expires_after(options.timeout);
    stream.async_connect(*endpoints, [&](error_code ec, const tcp::endpoint&) { result = ec; });
    runToCompletion(io);
    if (result) {
      return stepError("cannot connect to " + where, result, options.timeout);
    }
    response = exchange(io, stream, stream, request, options);
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  } else {
    beast::ssl_stream<beast::tcp_stream> stream(io, *tls);
    auto& tcpLayer = beast::get_lowest_layer(stream);
    tcpLayer.expires_after(options.timeout);
    tcpLayer.async_connect(*endpoints, [&](error_code ec, const tcp::endpoint&) { result = ec; });
    runToCompletion(io);
    if (result) {
      return stepError("cannot connect to " + where, result, options.timeout);
    }
    if (const error_code refused = prepareTlsHandshake(stream, url->host, !options.insecureSkipVerify)) {
      return connectionError("TLS with " + url->host + ": cannot set the server name: " + refused.message());
    }
    tcpLayer.expires_after(options.timeout);
    stream.async_handshake(ssl::stream_base::client, [&](error_code ec) { result = ec; });
    runToCompletion(io);
    if (result) {
      return stepError("TLS handshake with " + url->host + " failed", result, options.timeout);
    }
    response = exchange(io, stream, tcpLayer, request, options);
    error_code ignored;
    tcpLayer.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
  if (!response) {
    return response.error();
  }
  const unsigned status = response->result_int();
  if (status == 200) {
    return std::move(response->body());
  }
  const std::string what = "HTTP " + std::to_string(status) + " " + std::string(response->reason()) + " for " + *target;
  if (status == 401) {
    return serverError(daihoi::v1::ERROR_NOT_SIGNED_IN, what + ": the session token was not accepted");
  }
  if (status == 404) {
    return serverError(daihoi::v1::ERROR_NOT_FOUND,
                       what + ": no such file among the documents this session may read");
  }
  return protocolError(what);
}

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace daihoi::client
