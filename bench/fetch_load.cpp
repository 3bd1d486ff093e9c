// fetch_load: the load client of the document fetch benchmark (issue 6).
//
// N clients fetch the same file at once over HTTP/1.1, each on its own TCP
// connection: `GET PATH` (with `Authorization: Bearer TOKEN` against the hall
// server, whose token it gets by signing in once over WebSocket), the whole
// body read and counted, its status (200), its length and its first and last
// bytes checked against the expected file. One process, one io thread.
//
// Reported: total wall time from the first connect to the last byte, each
// client's time (connect → last byte) as p50/p99/max, bytes; the server's
// RSS (VmRSS of /proc/PID/status, sampled every --sample-ms on a thread of
// its own) before the run and its peak during it, so the growth; the
// server's CPU time; the client's own CPU time.
//
// Prints the figures and a line `METRICS kind=… key=value …` for
// run_fetch.sh. Exit status 0 only when every client got the whole file.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstring>
#include <fstream>
#include <memory>
#include <thread>

#include "ws_client.hpp"

namespace daihoi::bench {
namespace {

using namespace std::chrono_literals;

const char* const kUsage = R"(fetch_load — load client of the Daihoi document fetch benchmark

usage: fetch_load (--port P | --port-file FILE) --path /documents/SHA256 --expect-file FILE [options]

  --host ADDR            server address (127.0.0.1)
  --path PATH            what every client GETs
  --expect-file FILE     the file the body must be: its size, first and last bytes
  --clients N            concurrent clients, one connection each (1000)
  --credentials FILE     sign in once over WebSocket (/ws) with an account of this file
  --as NAME              ... this one (a delegate code, a staff user or a device name); the
                         session token goes in every request's Authorization: Bearer header
  --token TOKEN          use this session token instead of signing in
  --server-pid PID       sample the server's RSS (VmRSS) and read its CPU time
  --sample-ms T          RSS sampling interval (20)
  --buffer-kb B          each client's read buffer (64)
  --timeout-s T          give up after T s (600)
  --kind NAME            what the server is (hall, floor), copied into the METRICS line
  --label TEXT           printed with the figures
)";

struct Options {
  ServerTarget server;
  std::string path;
  std::string expectFile;
  std::size_t clients = 1000;
  std::string credentialsPath;
  std::string as;
  std::string token;
  std::int64_t sampleMs = 20;
  std::size_t bufferBytes = 64 * 1024;
  std::int64_t timeoutS = 600;
  std::string kind = "server";
  std::string label;
};

Options parseOptions(int argc, char** argv) {
  Options options;
  const OptionHandler handle = [&options](const std::string& name, const std::string& value) {
    if (options.server.parse(name, value)) return true;
    if (name == "path") {
      options.path = value;
    } else if (name == "expect-file") {
      options.expectFile = value;
    } else if (name == "clients") {
      options.clients = parseNumber(value, name);
    } else if (name == "credentials") {
      options.credentialsPath = value;
    } else if (name == "as") {
      options.as = value;
    } else if (name == "token") {
      options.token = value;
    } else if (name == "sample-ms") {
      options.sampleMs = std::max<std::int64_t>(1, static_cast<std::int64_t>(parseNumber(value, name)));
    } else if (name == "buffer-kb") {
      options.bufferBytes = std::max<std::size_t>(1, parseNumber(value, name)) * 1024;
    } else if (name == "timeout-s") {
      options.timeoutS = static_cast<std::int64_t>(parseNumber(value, name));
    } else if (name == "kind") {
      options.kind = value;
    } else if (name == "label") {
      options.label = value;
    } else {
      return false;
    }
    return true;
  };
  parseArguments(argc, argv, kUsage, {}, handle);
  options.server.resolvePort();
  if (options.path.empty() || options.path[0] != '/') throw std::invalid_argument("--path /… is required");
  if (options.expectFile.empty()) throw std::invalid_argument("--expect-file is required");
  if (options.clients == 0) throw std::invalid_argument("--clients must be at least 1");
  if (!options.credentialsPath.empty() && options.as.empty()) throw std::invalid_argument("--credentials needs --as");
  return options;
}

// ------------------------------------------------------------ the session token

// Hello and SignIn over WebSocket as `as` from the credentials file; returns the session token.
std::string signIn(const Options& options) {
  std::vector<std::string> row;
  for (auto& fields : readCredentialRows(options.credentialsPath)) {
    if (fields.size() >= 3 && (fields[0] == options.as || fields[2] == options.as)) {
      row = std::move(fields);
      break;
    }
  }
  if (row.empty()) throw std::invalid_argument(options.as + " is not in " + options.credentialsPath);
  v1::ClientMessage signInRequest;
  if (row[1] == "staff" && row.size() >= 4) {
    signInRequest = staffSignInRequest(row[2], row[3]);
  } else if (row[1] == "delegate" && row.size() >= 4) {
    auto& pin = *signInRequest.mutable_sign_in()->mutable_delegate_pin();
    pin.set_code(row[2]);
    pin.set_pin(row[3]);
  } else if (row[1] == "device") {
    signInRequest.mutable_sign_in()->set_device_token(row[2]);
  } else {
    throw std::invalid_argument("cannot sign in as " + options.as + " (kind " + row[1] + ")");
  }
  signInRequest.set_request_id(2);

  asio::io_context ioc;
  std::string token;
  auto script = [&]() -> asio::awaitable<void> {
    WsConnector connector(ioc, options.server.host, options.server.port);
    auto stream = co_await connector.open();
    beast::flat_buffer buffer;
    v1::ClientMessage hello = helloRequest("fetch_load");
    hello.set_request_id(1);
    const v1::Response helloReply = co_await call(*stream, buffer, hello);
    if (!helloReply.has_hello()) throw std::runtime_error("Hello refused: " + describe(helloReply));
    const v1::Response reply = co_await call(*stream, buffer, signInRequest);
    if (!reply.has_sign_in() || reply.sign_in().session_token().empty()) {
      throw std::runtime_error("SignIn as " + options.as + " refused: " + describe(reply));
    }
    token = reply.sign_in().session_token();
    boost::system::error_code ignored;
    co_await stream->async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ignored));
  };
  const std::string failed = runScript(ioc, script());
  if (!failed.empty()) throw std::runtime_error("signing in: " + failed);
  return token;
}

// ------------------------------------------------------------ the server's memory

struct Memory {
  double rssMb = 0, anonMb = 0, fileMb = 0;
};

std::optional<Memory> readMemory(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  if (!status) return std::nullopt;
  Memory memory;
  bool found = false;
  for (std::string line; std::getline(status, line);) {
    const auto value = [&line] { return std::strtod(line.c_str() + line.find(':') + 1, nullptr) / 1024.0; };
    if (line.rfind("VmRSS:", 0) == 0) {
      memory.rssMb = value();
      found = true;
    } else if (line.rfind("RssAnon:", 0) == 0) {
      memory.anonMb = value();
    } else if (line.rfind("RssFile:", 0) == 0) {
      memory.fileMb = value();
    }
  }
  return found ? std::optional<Memory>(memory) : std::nullopt;
}

// Samples the server's memory on its own thread until stopped; keeps the peaks.
class MemorySampler {
 public:
  MemorySampler(int pid, std::chrono::milliseconds interval) : pid_(pid), interval_(interval) {
    thread_ = std::thread([this] { run(); });
  }
  ~MemorySampler() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  Memory peak() const { return peak_; }  // after stop()
  std::size_t samples() const { return samples_; }
  double peakAtS() const { return peakAtNs_ / 1e9; }

 private:
  void run() {
    const std::int64_t start = nowNs();
    while (!stopping_) {
      if (auto memory = readMemory(pid_)) {
        ++samples_;
        if (memory->rssMb > peak_.rssMb) {
          peak_.rssMb = memory->rssMb;
          peakAtNs_ = nowNs() - start;
        }
        peak_.anonMb = std::max(peak_.anonMb, memory->anonMb);
        peak_.fileMb = std::max(peak_.fileMb, memory->fileMb);
      }
      std::this_thread::sleep_for(interval_);
    }
  }

  int pid_;
  std::chrono::milliseconds interval_;
  std::atomic<bool> stopping_{false};
  Memory peak_;
  std::int64_t peakAtNs_ = 0;
  std::size_t samples_ = 0;
  std::thread thread_;
};

// ------------------------------------------------------------ the fetch

struct Expected {
  std::string prefix;  // the file's first bytes
  std::string suffix;  // and its last bytes
  std::uint64_t size = 0;
};

Expected readExpected(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read " + path);
  in.seekg(0, std::ios::end);
  Expected expected;
  expected.size = static_cast<std::uint64_t>(in.tellg());
  const std::size_t edge = static_cast<std::size_t>(std::min<std::uint64_t>(expected.size, 64 * 1024));
  expected.prefix.resize(edge);
  expected.suffix.resize(edge);
  in.seekg(0);
  in.read(expected.prefix.data(), static_cast<std::streamsize>(edge));
  in.seekg(static_cast<std::streamoff>(expected.size - edge));
  in.read(expected.suffix.data(), static_cast<std::streamsize>(edge));
  if (!in) throw std::invalid_argument("cannot read " + path);
  return expected;
}

class Fetch;

// One client: connect, write the request, read the head, count the body.
struct Client {
  Client(asio::io_context& ioc, std::size_t bufferBytes) : socket(ioc), buffer(bufferBytes) {}
  tcp::socket socket;
  std::vector<char> buffer;
  std::string head;            // the response head, until the blank line
  bool inBody = false;
  int status = 0;
  std::uint64_t contentLength = 0;
  bool hasLength = false;
  std::uint64_t received = 0;  // body bytes
  std::string tail;            // the body's last bytes, for the check at the end
  std::int64_t startNs = 0, connectedNs = 0, firstByteNs = 0, doneNs = 0;
  bool finished = false;
  bool ok = false;
};

class Fetch {
 public:
  Fetch(asio::io_context& ioc, const Options& options, const Expected& expected, std::string request, ErrorTally& errors)
      : ioc_(ioc), options_(options), expected_(expected), request_(std::move(request)), errors_(errors),
        endpoint_(asio::ip::make_address(options.server.host), options.server.port), deadline_(ioc) {}

  void start() {
    clients_.reserve(options_.clients);
    for (std::size_t i = 0; i < options_.clients; ++i) {
      clients_.push_back(std::make_unique<Client>(ioc_, options_.bufferBytes));
    }
    deadline_.expires_after(std::chrono::seconds(options_.timeoutS));
    deadline_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      errors_.note("time-out: not every client finished within " + std::to_string(options_.timeoutS) + " s");
      for (auto& client : clients_) {
        boost::system::error_code ignored;
        client->socket.close(ignored);
      }
    });
    startNs_ = nowNs();
    for (auto& client : clients_) connect(*client);
  }

  const std::vector<std::unique_ptr<Client>>& clients() const { return clients_; }
  std::int64_t startNs() const { return startNs_; }

 private:
  void connect(Client& client) {
    client.startNs = nowNs();
    client.socket.async_connect(endpoint_, [this, &client](boost::system::error_code ec) {
      if (ec) return fail(client, "connect: " + ec.message());
      client.connectedNs = nowNs();
      boost::system::error_code ignored;
      client.socket.set_option(tcp::no_delay(true), ignored);
      asio::async_write(client.socket, asio::buffer(request_), [this, &client](boost::system::error_code ec, std::size_t) {
        if (ec) return fail(client, "write: " + ec.message());
        read(client);
      });
    });
  }

  void read(Client& client) {
    client.socket.async_read_some(asio::buffer(client.buffer), [this, &client](boost::system::error_code ec,
                                                                               std::size_t n) {
      if (n > 0) consume(client, client.buffer.data(), n);
      if (client.finished) return;
      if (ec) {
        return fail(client, ec == asio::error::eof ? "the connection closed before the whole body"
                                                   : "read: " + ec.message());
      }
      read(client);
    });
  }

  void consume(Client& client, const char* data, std::size_t n) {
    if (client.firstByteNs == 0) client.firstByteNs = nowNs();
    if (!client.inBody) {
      const std::size_t before = client.head.size();
      client.head.append(data, n);
      const std::size_t end = client.head.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (client.head.size() > 64 * 1024) fail(client, "a response head above 64 KiB");
        return;
      }
      const std::size_t bodyStart = end + 4 - before;  // where the body starts in this read
      client.head.resize(end + 2);
      if (!parseHead(client)) return;
      client.inBody = true;
      data += bodyStart;
      n -= bodyStart;
    }
    if (n == 0) return checkDone(client);
    // The first bytes must be the file's first bytes.
    if (client.received < expected_.prefix.size()) {
      const std::size_t compare = std::min<std::size_t>(n, expected_.prefix.size() - client.received);
      if (std::memcmp(data, expected_.prefix.data() + client.received, compare) != 0) {
        return fail(client, "the body's first bytes are not the file's");
      }
    }
    client.received += n;
    if (client.received > client.contentLength) return fail(client, "more bytes than Content-Length");
    // Keep the last bytes for the check at the end.
    const std::size_t keep = expected_.suffix.size();
    if (n >= keep) {
      client.tail.assign(data + n - keep, keep);
    } else {
      client.tail.append(data, n);
      if (client.tail.size() > keep) client.tail.erase(0, client.tail.size() - keep);
    }
    checkDone(client);
  }

  bool parseHead(Client& client) {
    const std::string& head = client.head;
    if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) {
      fail(client, "not an HTTP/1.x response");
      return false;
    }
    client.status = std::atoi(head.c_str() + 9);
    std::size_t line = head.find("\r\n");
    while (line != std::string::npos && line + 2 < head.size()) {
      const std::size_t next = head.find("\r\n", line + 2);
      std::string field = head.substr(line + 2, next - line - 2);
      const std::size_t colon = field.find(':');
      if (colon != std::string::npos) {
        std::string name = field.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        if (name == "content-length") {
          client.contentLength = std::strtoull(field.c_str() + colon + 1, nullptr, 10);
          client.hasLength = true;
        } else if (name == "transfer-encoding") {
          fail(client, "a chunked response (this client reads Content-Length bodies only)");
          return false;
        }
      }
      line = next;
    }
    if (client.status != 200) {
      fail(client, "HTTP status " + std::to_string(client.status) + " instead of 200");
      return false;
    }
    if (!client.hasLength || client.contentLength != expected_.size) {
      fail(client, "Content-Length " + (client.hasLength ? std::to_string(client.contentLength) : "missing") +
                       " instead of " + std::to_string(expected_.size));
      return false;
    }
    return true;
  }

  void checkDone(Client& client) {
    if (client.received != client.contentLength) return;
    if (client.tail != expected_.suffix.substr(expected_.suffix.size() - std::min(expected_.suffix.size(),
                                                                                   client.tail.size()))) {
      return fail(client, "the body's last bytes are not the file's");
    }
    client.doneNs = nowNs();
    client.ok = true;
    finish(client);
  }

  void fail(Client& client, const std::string& why) {
    if (client.finished) return;
    errors_.note(why);
    client.doneNs = nowNs();
    finish(client);
  }

  void finish(Client& client) {
    client.finished = true;
    boost::system::error_code ignored;
    client.socket.shutdown(tcp::socket::shutdown_both, ignored);
    client.socket.close(ignored);
    if (++finished_ == clients_.size()) deadline_.cancel();
  }

  asio::io_context& ioc_;
  const Options& options_;
  const Expected& expected_;
  const std::string request_;
  ErrorTally& errors_;
  tcp::endpoint endpoint_;
  asio::steady_timer deadline_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::size_t finished_ = 0;
  std::int64_t startNs_ = 0;
};

int run(const Options& options) {
  if (!raiseDescriptorLimit(options.clients, "fetch_load")) return 2;
  const Expected expected = readExpected(options.expectFile);
  std::string token = options.token;
  if (token.empty() && !options.credentialsPath.empty()) token = signIn(options);

  std::string request = "GET " + options.path + " HTTP/1.1\r\nHost: " + options.server.host + ":" +
                        std::to_string(options.server.port) + "\r\nUser-Agent: daihoi-fetch-load\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  request += "\r\n";

  std::cout << std::fixed << std::setprecision(2);
  std::cout << "fetch " << (options.label.empty() ? options.kind : options.label) << ": " << options.clients
            << " clients GET " << options.path << " (" << static_cast<double>(expected.size) / (1024.0 * 1024.0)
            << " MB" << (token.empty() ? "" : ", with a session token") << ")" << std::endl;

  std::optional<Memory> before;
  std::optional<CpuTimes> cpuBefore;
  if (options.server.pid) {
    std::this_thread::sleep_for(200ms);  // let the sign-in settle
    before = readMemory(*options.server.pid);
    cpuBefore = readProcessCpu(*options.server.pid);
  }
  std::unique_ptr<MemorySampler> sampler;
  if (options.server.pid) {
    sampler = std::make_unique<MemorySampler>(*options.server.pid, std::chrono::milliseconds(options.sampleMs));
  }
  const double clientCpuBefore = clientCpuSeconds();

  asio::io_context ioc(1);
  ErrorTally errors("fetch_load");
  Fetch fetch(ioc, options, expected, request, errors);
  fetch.start();
  ioc.run();
  const std::int64_t endNs = nowNs();

  if (sampler) sampler->stop();
  const std::optional<CpuTimes> cpuAfter = readProcessCpu(options.server.pid);
  const double clientCpu = clientCpuSeconds() - clientCpuBefore;
  std::optional<Memory> after;
  if (options.server.pid) {
    std::this_thread::sleep_for(500ms);
    after = readMemory(*options.server.pid);
  }

  std::vector<std::int64_t> times, firstBytes, connects;
  std::size_t ok = 0;
  std::uint64_t bytes = 0;
  std::int64_t lastByteNs = fetch.startNs();
  for (const auto& client : fetch.clients()) {
    bytes += client->received;
    if (!client->ok) continue;
    ++ok;
    times.push_back(client->doneNs - client->startNs);
    firstBytes.push_back(client->firstByteNs - client->startNs);
    connects.push_back(client->connectedNs - client->startNs);
    lastByteNs = std::max(lastByteNs, client->doneNs);
  }
  std::sort(times.begin(), times.end());
  std::sort(firstBytes.begin(), firstBytes.end());
  std::sort(connects.begin(), connects.end());
  const double totalS = static_cast<double>((ok == options.clients ? lastByteNs : endNs) - fetch.startNs()) / 1e9;
  const double gbPerS = static_cast<double>(bytes) / totalS / 1e9;

  std::cout << "clients ok " << ok << "/" << options.clients << "; " << std::setprecision(3)
            << static_cast<double>(bytes) / 1e9 << " GB in " << totalS << " s (" << gbPerS << " GB/s)\n"
            << "per client (connect -> last byte): p50 " << percentileMs(times, 0.5) / 1000 << " s, p99 "
            << percentileMs(times, 0.99) / 1000 << " s, max " << maxMs(times) / 1000 << " s; first byte p50 "
            << percentileMs(firstBytes, 0.5) << " ms, p99 " << percentileMs(firstBytes, 0.99) << " ms; connect p99 "
            << percentileMs(connects, 0.99) << " ms\n";
  std::optional<double> growth, anonGrowth, fileGrowth, serverCpu;
  if (before && sampler) {
    const Memory peak = sampler->peak();
    growth = peak.rssMb - before->rssMb;
    anonGrowth = peak.anonMb - before->anonMb;
    fileGrowth = peak.fileMb - before->fileMb;
    std::cout << std::setprecision(1) << "server RSS: " << before->rssMb << " MB before (anon " << before->anonMb
              << ", file " << before->fileMb << "), peak " << peak.rssMb << " MB at " << sampler->peakAtS()
              << " s (anon peak " << peak.anonMb << ", file peak " << peak.fileMb << "), growth " << *growth
              << " MB; " << (after ? after->rssMb : 0.0) << " MB 0.5 s after; " << sampler->samples() << " samples\n";
  }
  if (cpuBefore && cpuAfter) {
    const CpuTimes spent = *cpuAfter - *cpuBefore;
    // utime + stime of the process: they include the threads that ended during the run (the
    // floor's thread per connection), which the live threads' schedstat would miss.
    serverCpu = spent.statSeconds;
    std::cout << std::setprecision(2) << "server CPU " << spent.statSeconds << " s (user " << spent.userSeconds
              << ", system " << spent.systemSeconds << "); client CPU " << clientCpu << " s\n";
  }
  std::string fatal;
  if (ok != options.clients) fatal = std::to_string(options.clients - ok) + " client(s) did not get the whole file";
  errors.print(std::cout, fatal);

  std::cout << "METRICS kind=" << options.kind << " ok=" << (fatal.empty() ? 1 : 0) << " clients=" << options.clients
            << " clients_ok=" << ok << " file_bytes=" << expected.size << " bytes=" << bytes
            << " total_s=" << metricText(totalS) << " gb_per_s=" << metricText(gbPerS)
            << " client_p50_s=" << metricText(percentileMs(times, 0.5) / 1000)
            << " client_p99_s=" << metricText(percentileMs(times, 0.99) / 1000)
            << " client_max_s=" << metricText(maxMs(times) / 1000)
            << " first_byte_p99_ms=" << metricText(percentileMs(firstBytes, 0.99))
            << " rss_before_mb=" << metricText(before ? std::optional<double>(before->rssMb) : std::nullopt)
            << " rss_peak_mb=" << metricText(sampler && before ? std::optional<double>(sampler->peak().rssMb) : std::nullopt)
            << " rss_growth_mb=" << metricText(growth) << " anon_growth_mb=" << metricText(anonGrowth)
            << " file_growth_mb=" << metricText(fileGrowth)
            << " rss_after_mb=" << metricText(after ? std::optional<double>(after->rssMb) : std::nullopt)
            << " server_cpu_s=" << metricText(serverCpu) << " client_cpu_s=" << metricText(clientCpu) << "\n";
  return fatal.empty() ? 0 : 1;
}

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  return runMain("fetch_load", kUsage, [&] { return parseOptions(argc, argv); },
                 [](const Options& options) { return run(options); });
}
