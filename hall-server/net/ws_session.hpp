#pragma once
// One terminal's WebSocket connection after the upgrade. The server frames
// messages itself (see frame.hpp) so that a broadcast is framed once and the
// same bytes are queued on every socket; queued frames are written together
// with one gathered write, one write in flight at a time.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "net/frame.hpp"
#include "protocol/connection.hpp"

namespace daihoi::protocol {
class Hall;
}

namespace daihoi::net {

struct NetLimits {
  std::uint32_t maxMessageBytes = 4 * 1024 * 1024;
  // A declared frame larger than this is not even skipped: the peer is not a
  // terminal, and the connection closes with 1009.
  std::uint64_t hardFrameLimit = 256ull * 1024 * 1024;
  std::size_t maxQueuedBytes = 16 * 1024 * 1024;  // a terminal that falls this far behind is dropped;
  std::size_t maxQueuedFrames = 8192;             // it resumes from its last seq when it reconnects
  std::size_t writeBatchFrames = 256;             // frames per gathered write
  std::chrono::milliseconds pingInterval{15'000};
  std::chrono::milliseconds idleTimeout{45'000};   // nothing received this long, ping unanswered: dead
  std::chrono::milliseconds closeTimeout{5'000};   // wait for the peer's close frame
  protocol::ConnectionLimits connection;
};

class SessionRegistry;

// What the server needs of every session, whatever its stream type.
class WsSessionBase {
 public:
  virtual ~WsSessionBase() = default;
  // Keep-alive and timeouts, called periodically on the network thread.
  virtual void sweep(std::chrono::steady_clock::time_point now) = 0;
  // Server shutdown: close with 1001 going away.
  virtual void goingAway() = 0;
  virtual std::size_t queuedFrames() const = 0;
};

template <class Stream>
class WsSession final : public WsSessionBase,
                        public protocol::Outbox,
                        public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  WsSession(Stream stream, boost::beast::flat_buffer leftover, protocol::Hall& hall, SessionRegistry& registry,
            const NetLimits& limits, std::uint64_t id, std::string remoteAddress);
  ~WsSession() override;

  void start();

  void sendFrame(std::shared_ptr<const std::string> frame) override;
  void closeForPolicy(std::string_view reason) override;

  void sweep(std::chrono::steady_clock::time_point now) override;
  void goingAway() override;
  std::size_t queuedFrames() const override { return queue_.size(); }

 private:
  void doRead();
  void onRead(boost::system::error_code ec, std::size_t bytes);
  // Parses and handles every complete frame in the buffer.
  void processBuffer();
  void handleControl(Opcode opcode, std::string_view payload);
  void protocolError(CloseCode code, std::string_view reason);
  void finishMessage();
  void enqueue(std::shared_ptr<const std::string> frame);
  void doWrite();
  // Plain sockets: writes what the kernel takes now, without an asynchronous
  // operation. Returns false when something is left for an async write.
  bool writeNow();
  void gatherBuffers();
  void consumeWritten(std::size_t bytes);
  void onWrite(boost::system::error_code ec, std::size_t written);
  void startClose(CloseCode code, std::string_view reason);
  void closeSocket();

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  SessionRegistry& registry_;
  const NetLimits& limits_;
  std::shared_ptr<protocol::Connection> connection_;

  // The frame being received.
  bool haveHeader_ = false;
  FrameHeader header_;
  std::uint64_t payloadSeen_ = 0;
  // The message being assembled from frames.
  bool inMessage_ = false;
  Opcode messageOpcode_ = Opcode::Binary;
  bool discarding_ = false;  // text or oversized: skipped, then answered with an error
  bool tooLarge_ = false;
  std::string message_;

  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queuedBytes_ = 0;
  std::size_t frontOffset_ = 0;  // bytes of the front frame already written
  std::vector<boost::asio::const_buffer> writeBuffers_;
  bool writing_ = false;

  std::chrono::steady_clock::time_point lastReceived_;
  bool pingOutstanding_ = false;
  bool unparseable_ = false;  // after a protocol error: input is discarded
  bool closeSent_ = false;
  bool closeReceived_ = false;
  bool closed_ = false;
  std::chrono::steady_clock::time_point closeDeadline_;
};

}  // namespace daihoi::net
