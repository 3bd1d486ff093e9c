#pragma once
// Internal to daihoi_client: one WebSocket connection (plain or TLS) behind a small
// interface, so that HallClient's session logic does not depend on the stream type
// and Beast stays out of every other header. All calls run on the io_context's thread.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/system/error_code.hpp>

#include "client/client_error.hpp"
#include "client/server_url.hpp"

namespace boost::asio {
class io_context;
}

namespace daihoi::client::detail {

struct TransportSettings {
  std::chrono::milliseconds openTimeout{5000};       // resolve + TCP + TLS + WebSocket handshake
  std::chrono::milliseconds keepAliveTimeout{20000};  // ping after half of it, drop after all of it; 0: never
  std::size_t maxMessageBytes = 16 * 1024 * 1024;
  std::string caFile;
  bool insecureSkipVerify = false;
  std::string userAgent = "daihoi-client";
};

class Transport {
 public:
  // An empty message means success; otherwise it says what failed, for people.
  using OpenDone = std::function<void(const std::string& failure)>;
  using ReadDone = std::function<void(boost::system::error_code, std::string message, bool binary)>;
  using WriteDone = std::function<void(boost::system::error_code)>;
  using CloseDone = std::function<void(boost::system::error_code)>;

  virtual ~Transport() = default;
  virtual void asyncOpen(OpenDone done) = 0;
  // One read at a time.
  virtual void asyncRead(ReadDone done) = 0;
  // One write at a time; `frame` stays alive until `done`.
  virtual void asyncWrite(std::shared_ptr<const std::string> frame, WriteDone done) = 0;
  // WebSocket close handshake.
  virtual void asyncClose(CloseDone done) = 0;
  // Closes the socket at once: pending operations complete with an error.
  virtual void abort() = 0;
};

// Fails (kind Connection) when TLS cannot be set up, e.g. an unreadable CA file.
Outcome<std::shared_ptr<Transport>> makeTransport(boost::asio::io_context& io, const ServerUrl& url,
                                                  const TransportSettings& settings);

}  // namespace daihoi::client::detail
