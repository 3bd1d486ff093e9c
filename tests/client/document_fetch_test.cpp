// Fetching a document's file over HTTP with the session token: the target it accepts, the
// SHA-256, and the answers of a small local HTTP server (200, 401, 404, too large, nobody there).
#include <doctest/doctest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <istream>
#include <thread>

#include "client/document_fetch.hpp"

using namespace daihoi::client;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Answers one HTTP request on 127.0.0.1 with `response`, and hands over the request it read.
class OneShotHttpServer {
 public:
  explicit OneShotHttpServer(std::string response)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, response = std::move(response)] {
      std::string request;
      try {
        tcp::socket socket(io_);
        acceptor_.accept(socket);
        asio::streambuf buffer;
        asio::read_until(socket, buffer, "\r\n\r\n");
        request.assign(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
        asio::write(socket, asio::buffer(response));
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
      } catch (const std::exception& e) {
        request = std::string("server failed: ") + e.what();
      }
      request_.set_value(request);
    });
  }
  ~OneShotHttpServer() {
    if (thread_.joinable()) thread_.join();
  }

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/ws"; }
  std::string request() {
    thread_.join();
    return request_.get_future().get();
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::promise<std::string> request_;
  std::thread thread_;
};

std::string httpResponse(const std::string& status, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Type: text/markdown\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

FetchOptions optionsFor(const std::string& url) {
  FetchOptions options;
  options.serverUrl = url;
  options.timeout = std::chrono::milliseconds(5000);
  return options;
}

}  // namespace

TEST_CASE("a document's address is a path on the hall server, nothing else") {
  const std::string sha(64, 'a');
  CHECK(documentTarget("/documents/" + sha).value() == "/documents/" + sha);
  for (const char* bad : {"", "documents/x", "http://evil.example/documents/x", "//evil.example/x", "/documents/a b",
                          "/documents/x#frag", "/documents/\x01", "/docu\\ments"}) {
    CAPTURE(bad);
    auto target = documentTarget(bad);
    REQUIRE_FALSE(target);
    CHECK(target.error().kind == ErrorKind::Protocol);
  }
}

TEST_CASE("SHA-256 as 64 lower-case hex digits") {
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("the file comes with the session token as a bearer token, from the WebSocket's host and port") {
  const std::string body = "# Dự thảo\n\nĐoạn một.\n";
  OneShotHttpServer server(httpResponse("200 OK", body));
  auto fetched = fetchDocumentFile(optionsFor(server.url()), "/documents/abc", "token-123");
  REQUIRE_MESSAGE(fetched, fetched.error().message);
  CHECK(*fetched == body);
  const std::string request = server.request();
  CHECK(request.rfind("GET /documents/abc HTTP/1.1\r\n", 0) == 0);
  CHECK(request.find("Authorization: Bearer token-123\r\n") != std::string::npos);
  CHECK(request.find("Host: 127.0.0.1:") != std::string::npos);
  CHECK(request.find("Accept-Encoding") == std::string::npos);  // the file as it was uploaded
}

TEST_CASE("401 is an authentication error, 404 not found, others name the status") {
  {
    OneShotHttpServer server(httpResponse("401 Unauthorized", "no"));
    auto fetched = fetchDocumentFile(optionsFor(server.url()), "/documents/abc", "old");
    REQUIRE_FALSE(fetched);
    CHECK(fetched.error().isServer(daihoi::v1::ERROR_NOT_SIGNED_IN));
    CHECK(fetched.error().message.find("HTTP 401") != std::string::npos);
  }
  {
    OneShotHttpServer server(httpResponse("404 Not Found", "no"));
    auto fetched = fetchDocumentFile(optionsFor(server.url()), "/documents/abc", "t");
    REQUIRE_FALSE(fetched);
    CHECK(fetched.error().isServer(daihoi::v1::ERROR_NOT_FOUND));
  }
  {
    OneShotHttpServer server(httpResponse("503 Service Unavailable", ""));
    auto fetched = fetchDocumentFile(optionsFor(server.url()), "/documents/abc", "t");
    REQUIRE_FALSE(fetched);
    CHECK(fetched.error().kind == ErrorKind::Protocol);
    CHECK(fetched.error().message.find("HTTP 503") != std::string::npos);
  }
}

TEST_CASE("a body above the limit is refused; nobody listening is a connection error") {
  {
    OneShotHttpServer server(httpResponse("200 OK", std::string(5000, 'x')));
    FetchOptions options = optionsFor(server.url());
    options.maxBytes = 4000;
    auto fetched = fetchDocumentFile(options, "/documents/abc", "t");
    REQUIRE_FALSE(fetched);
    CHECK(fetched.error().message.find("larger than 4000 bytes") != std::string::npos);
  }
  std::string closedUrl;
  {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closedUrl = "ws://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/ws";
  }  // closed: nobody listens there now
  auto fetched = fetchDocumentFile(optionsFor(closedUrl), "/documents/abc", "t");
  REQUIRE_FALSE(fetched);
  CHECK(fetched.error().kind == ErrorKind::Connection);
  auto bad = fetchDocumentFile(optionsFor("ftp://x"), "/documents/abc", "t");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::Refused);
}
