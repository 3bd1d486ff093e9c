// Files served by a real NetServer over real sockets, plain and TLS: the
// mapping reaches the socket whole, in ranges and as gzip; keep-alive holds
// after a file; the time-out measures progress, not the whole download.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <thread>

#include "common/clock.hpp"
#include "net/server.hpp"
#include "protocol/hall.hpp"
#include "temp_dir.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using daihoi::MappedFile;
using daihoi::net::HttpFile;
using daihoi::net::HttpReply;
using daihoi::net::HttpRequest;
using daihoi::net::NetOptions;
using daihoi::testing::patternBytes;
using daihoi::testing::TempDir;

// The hall owns WebSocket sessions only; these tests never upgrade, so it
// needs no journal, no workers and no timers.
struct NoJournal final : daihoi::protocol::Journal {
  void append(std::vector<daihoi::protocol::JournalEvent>, std::vector<daihoi::domain::Change>,
              std::function<void()>) override {}
};
struct NoWork final : daihoi::protocol::BlockingWork {
  void run(std::function<void()>, std::function<void()>) override {}
};
struct NoTimers final : daihoi::protocol::Timers {
  void after(std::chrono::milliseconds, std::function<void()>) override {}
};

HttpFile mapFile(const TempDir& dir, const std::string& name, std::string_view bytes, std::string_view gzipBytes = {}) {
  HttpFile file;
  file.identity = MappedFile::open(dir.write(name, bytes));
  if (!gzipBytes.empty()) file.gzip = MappedFile::open(dir.write(name + ".gz", gzipBytes));
  file.etag = name + "-etag";
  file.contentType = "application/pdf";
  return file;
}

// The sweep also notices the end of a shutdown: a quick one lets each test end at once.
NetOptions withQuickSweep(NetOptions options) {
  options.sweepInterval = 10ms;
  return options;
}

// A NetServer on its own network thread whose routes serve `files` by target
// (with a Content-Disposition), and /secret as a 401 with a challenge.
class FileServer {
 public:
  FileServer(std::map<std::string, HttpFile> files, NetOptions options = {})
      : files_(std::move(files)),
        hall_({}, clock_, {}, journal_, work_, timers_, [](std::string_view) { return nullptr; }),
        server_(ioc_, hall_, withQuickSweep(std::move(options)),
                [this](const HttpRequest& request) { return route(request); }),
        port_(server_.start()),
        thread_([this] { ioc_.run(); }) {}

  ~FileServer() {
    asio::post(ioc_, [this] { server_.shutdown(); });
    thread_.join();
  }

  tcp::endpoint endpoint() const { return {asio::ip::make_address("127.0.0.1"), port_}; }

  // How many hold the file's mapping, asked on the network thread.
  long mappingHolders(const std::string& target) {
    std::promise<long> holders;
    asio::post(ioc_, [&] { holders.set_value(files_.at(target).identity.use_count()); });
    return holders.get_future().get();
  }

 private:
  HttpReply route(const HttpRequest& request) {
    if (request.target() == "/secret") {
      HttpReply reply{401, "text/plain; charset=utf-8", "sign in first\n"};
      reply.headers.emplace_back("WWW-Authenticate", "Bearer");
      return reply;
    }
    const auto found = files_.find(std::string(request.target()));
    if (found == files_.end()) return {};
    HttpReply reply{200};
    reply.file = found->second;
    reply.headers.emplace_back("Content-Disposition", "inline");
    return reply;
  }

  std::map<std::string, HttpFile> files_;
  daihoi::ManualClock clock_;
  NoJournal journal_;
  NoWork work_;
  NoTimers timers_;
  asio::io_context ioc_{1};
  daihoi::protocol::Hall hall_;
  daihoi::net::NetServer server_;
  std::uint16_t port_;
  std::thread thread_;
};

using Response = http::response<http::string_body>;

// A client connection (plain or TLS) that sends one request at a time.
template <class Stream>
class Client {
 public:
  explicit Client(Stream stream) : stream_(std::move(stream)) {}

  Response send(http::verb method, const std::string& target,
                const std::vector<std::pair<http::field, std::string>>& fields = {}) {
    HttpRequest request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : fields) request.set(name, value);
    http::write(stream_, request);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(method == http::verb::head);
    http::read(stream_, buffer_, parser);
    return parser.release();
  }
  Response get(const std::string& target, const std::vector<std::pair<http::field, std::string>>& fields = {}) {
    return send(http::verb::get, target, fields);
  }
  // True when the server has closed the connection.
  bool closedByServer() {
    char byte;
    boost::system::error_code ec;
    stream_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == ssl::error::stream_truncated;
  }

 private:
  Stream stream_;
  beast::flat_buffer buffer_;
};

Client<beast::tcp_stream> plainClient(asio::io_context& ioc, const FileServer& server) {
  beast::tcp_stream stream(ioc);
  stream.connect(server.endpoint());
  return Client<beast::tcp_stream>(std::move(stream));
}

// A socket that takes little at a time, so that the server's writes wait for the reader.
tcp::socket smallWindowSocket(asio::io_context& ioc, const FileServer& server) {
  tcp::socket socket(ioc);
  socket.open(tcp::v4());
  socket.set_option(asio::socket_base::receive_buffer_size(64 * 1024));
  socket.connect(server.endpoint());
  return socket;
}

// A self-signed certificate for the TLS server.
struct Certificate {
  explicit Certificate(const TempDir& dir) : certificate(dir.path() + "/cert.pem"), key(dir.path() + "/key.pem") {
    const std::string command =
        "/usr/bin/openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-days 2 -subj /CN=127.0.0.1 -keyout " +
        key + " -out " + certificate + " 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  std::string certificate;
  std::string key;
};

}  // namespace

TEST_CASE("a file over HTTP: whole, a range, HEAD, then a string reply on the same connection") {
  TempDir dir;
  const std::string bytes = patternBytes(3 * 1024 * 1024 + 17);  // more than one write step
  FileServer server({{"/doc", mapFile(dir, "doc", bytes)}});
  asio::io_context ioc;
  auto client = plainClient(ioc, server);

  const Response whole = client.get("/doc");
  CHECK(whole.result_int() == 200);
  CHECK(whole.body() == bytes);
  CHECK(whole[http::field::etag] == "\"doc-etag\"");
  CHECK(whole[http::field::content_type] == "application/pdf");
  CHECK(whole[http::field::cache_control] == "private, max-age=31536000, immutable");
  CHECK(whole[http::field::server] == "daihoi");
  CHECK(whole[http::field::content_disposition] == "inline");

  const Response range = client.get("/doc", {{http::field::range, "bytes=1000000-1999999"}});
  CHECK(range.result_int() == 206);
  CHECK(range[http::field::content_range] == "bytes 1000000-1999999/" + std::to_string(bytes.size()));
  CHECK(range.body() == bytes.substr(1'000'000, 1'000'000));

  const Response head = client.send(http::verb::head, "/doc");
  CHECK(head.result_int() == 200);
  CHECK(head[http::field::content_length] == std::to_string(bytes.size()));
  CHECK(head.body().empty());

  const Response notModified = client.get("/doc", {{http::field::if_none_match, "\"doc-etag\""}});
  CHECK(notModified.result_int() == 304);

  const Response challenge = client.get("/secret");
  CHECK(challenge.result_int() == 401);
  CHECK(challenge[http::field::www_authenticate] == "Bearer");
  CHECK(challenge[http::field::cache_control] == "no-store");
  CHECK(challenge.body() == "sign in first\n");

  const Response challengeHead = client.send(http::verb::head, "/secret");
  CHECK(challengeHead.result_int() == 401);
  CHECK(challengeHead[http::field::content_length] == "14");
  CHECK(challengeHead.body().empty());

  const Response missing = client.get("/nothing");
  CHECK(missing.result_int() == 404);
}

TEST_CASE("the gzip variant goes to a client that accepts it") {
  TempDir dir;
  FileServer server({{"/doc", mapFile(dir, "doc", "the identity bytes", "pretend-gzip")}});
  asio::io_context ioc;
  auto client = plainClient(ioc, server);

  const Response gzip = client.get("/doc", {{http::field::accept_encoding, "gzip, deflate"}});
  CHECK(gzip[http::field::content_encoding] == "gzip");
  CHECK(gzip[http::field::vary] == "Accept-Encoding");
  CHECK(gzip.body() == "pretend-gzip");

  const Response identity = client.get("/doc");
  CHECK(identity.body() == "the identity bytes");
}

TEST_CASE("an empty file is an empty 200") {
  TempDir dir;
  FileServer server({{"/empty", mapFile(dir, "empty", "")}});
  asio::io_context ioc;
  auto client = plainClient(ioc, server);
  const Response empty = client.get("/empty", {{http::field::range, "bytes=0-"}});
  CHECK(empty.result_int() == 200);
  CHECK(empty[http::field::content_length] == "0");
  CHECK(client.get("/empty").body().empty());  // the connection is still in step
}

TEST_CASE("Connection: close ends the connection after the file") {
  TempDir dir;
  FileServer server({{"/doc", mapFile(dir, "doc", patternBytes(100'000))}});
  asio::io_context ioc;
  auto client = plainClient(ioc, server);
  const Response response = client.get("/doc", {{http::field::connection, "close"}});
  CHECK(response.body().size() == 100'000);
  CHECK(client.closedByServer());
}

TEST_CASE("a file over HTTPS") {
  TempDir dir;
  const Certificate certificate(dir);
  NetOptions options;
  options.tlsCertificateFile = certificate.certificate;
  options.tlsPrivateKeyFile = certificate.key;
  const std::string bytes = patternBytes(2 * 1024 * 1024 + 5);
  FileServer server({{"/doc", mapFile(dir, "doc", bytes, "pretend-gzip")}}, options);

  asio::io_context ioc;
  ssl::context tls(ssl::context::tls_client);
  tls.set_verify_mode(ssl::verify_none);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  beast::get_lowest_layer(stream).connect(server.endpoint());
  stream.handshake(ssl::stream_base::client);
  Client<beast::ssl_stream<beast::tcp_stream>> client(std::move(stream));

  CHECK(client.get("/doc").body() == bytes);
  const Response range = client.get("/doc", {{http::field::range, "bytes=-1000"}});
  CHECK(range.result_int() == 206);
  CHECK(range.body() == bytes.substr(bytes.size() - 1000));
  CHECK(client.get("/doc", {{http::field::accept_encoding, "gzip"}}).body() == "pretend-gzip");
  CHECK(client.get("/doc", {{http::field::connection, "close"}}).body() == bytes);
  CHECK(client.closedByServer());
}

TEST_CASE("a slow reader gets the whole file although the download outlasts the time-out") {
  TempDir dir;
  const std::string bytes = patternBytes(32 * 1024 * 1024);  // far more than the socket buffers hold
  NetOptions options;
  options.httpTimeout = 400ms;
  FileServer server({{"/big", mapFile(dir, "big", bytes)}}, options);
  asio::io_context ioc;
  tcp::socket socket = smallWindowSocket(ioc, server);
  asio::write(socket, asio::buffer(std::string("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")));

  const auto start = std::chrono::steady_clock::now();
  std::string received;
  std::vector<char> chunk(64 * 1024);
  boost::system::error_code ec;
  while (!ec) {
    received.append(chunk.data(), socket.read_some(asio::buffer(chunk), ec));
    std::this_thread::sleep_for(3ms);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;

  CHECK(ec == asio::error::eof);
  const std::size_t headerEnd = received.find("\r\n\r\n");
  REQUIRE(headerEnd != std::string::npos);
  CHECK(received.compare(headerEnd + 4, std::string::npos, bytes) == 0);
  CHECK(elapsed > 2 * options.httpTimeout);  // or the test proved nothing
}

TEST_CASE("a reader that stops is dropped after the time-out, and the mapping is released") {
  TempDir dir;
  const std::string bytes = patternBytes(32 * 1024 * 1024);
  NetOptions options;
  options.httpTimeout = 300ms;
  FileServer server({{"/big", mapFile(dir, "big", bytes)}}, options);
  asio::io_context ioc;
  tcp::socket socket = smallWindowSocket(ioc, server);
  asio::write(socket, asio::buffer(std::string("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")));

  std::this_thread::sleep_for(4 * options.httpTimeout);
  CHECK(server.mappingHolders("/big") == 1);  // the route's own: the session let go

  std::size_t received = 0;
  std::vector<char> chunk(1024 * 1024);
  boost::system::error_code ec;
  while (!ec) received += socket.read_some(asio::buffer(chunk), ec);
  CHECK(received < bytes.size());  // what the socket buffers held, then the end
}
