#include "net/ws_session.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstring>

#include "net/session_registry.hpp"
#include "protocol/hall.hpp"

namespace daihoi::net {

namespace beast = boost::beast;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
template <class Stream>
constexpr bool kPlainTcp = std::is_same_v<Stream, beast::tcp_stream>;

const std::shared_ptr<const std::string>& pingFrame() {
  static const auto frame = encodeSharedFrame(Opcode::Ping, {});
  return frame;
}
constexpr std::size_t kReadChunk = 2048;
constexpr std::size_t kKeepBufferBytes = 64 * 1024;  // larger buffers are released after a big message
}  // namespace

template <class Stream>
WsSession<Stream>::WsSession(Stream stream, beast::flat_buffer leftover, protocol::Hall& hall,
                             SessionRegistry& registry, const NetLimits& limits, std::uint64_t id,
                             std::string remoteAddress)
    : stream_(std::move(stream)),
      buffer_(std::move(leftover)),
      registry_(registry),
      limits_(limits),
      connection_(std::make_shared<protocol::Connection>(hall, *this, id, std::move(remoteAddress),
                                                         limits.connection)),
      lastReceived_(Clock::now()) {
  registry_.add(this);
  if constexpr (kPlainTcp<Stream>) {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().non_blocking(true, ignored);
  }
}

template <class Stream>
WsSession<Stream>::~WsSession() {
  // The connection refers to this session as its outbox: it goes first.
  connection_.reset();
  registry_.remove(this);
}

template <class Stream>
void WsSession<Stream>::start() {
  processBuffer();
  if (!closed_) doRead();
}

template <class Stream>
void WsSession<Stream>::doRead() {
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                            self->onRead(ec, n);
                          });
}

template <class Stream>
void WsSession<Stream>::onRead(boost::system::error_code ec, std::size_t bytes) {
  if (ec) {
    closeSocket();
    return;
  }
  buffer_.commit(bytes);
  lastReceived_ = Clock::now();
  pingOutstanding_ = false;
  processBuffer();
  // After our close frame we keep reading until the peer's close arrives
  // (or the sweeper's deadline passes).
  if (!closed_ && !closeReceived_) doRead();
}

template <class Stream>
void WsSession<Stream>::processBuffer() {
  while (!closed_ && !closeReceived_) {
    if (unparseable_) {
      buffer_.consume(buffer_.size());  // after a protocol error the byte stream has no frames
      return;
    }
    auto data = buffer_.data();
    std::string_view available(static_cast<const char*>(data.data()), data.size());
    if (!haveHeader_) {
      HeaderParse parse = parseClientHeader(available);
      if (parse.status == HeaderStatus::NeedMore) break;
      if (parse.status == HeaderStatus::Invalid) {
        protocolError(CloseCode::ProtocolError, parse.error);
        continue;
      }
      header_ = parse.header;
      buffer_.consume(header_.headerLength);
      haveHeader_ = true;
      payloadSeen_ = 0;
      const bool control = static_cast<std::uint8_t>(header_.opcode) >= 0x8;
      if (!control) {
        const bool continuation = header_.opcode == Opcode::Continuation;
        if (continuation != inMessage_) {
          protocolError(CloseCode::ProtocolError,
                        continuation ? "continuation without a message" : "new message inside a fragmented one");
          continue;
        }
        if (header_.payloadLength > limits_.hardFrameLimit) {
          protocolError(CloseCode::TooBig, "frame far above the maximum message size");
          continue;
        }
        if (!continuation) {
          inMessage_ = true;
          messageOpcode_ = header_.opcode;
          discarding_ = messageOpcode_ == Opcode::Text;
          tooLarge_ = false;
          message_.clear();
        }
        if (!discarding_ && message_.size() + header_.payloadLength > limits_.maxMessageBytes) {
          discarding_ = true;
          tooLarge_ = true;
          std::string().swap(message_);
        }
      }
      continue;
    }
    const bool control = static_cast<std::uint8_t>(header_.opcode) >= 0x8;
    if (control) {
      if (available.size() < header_.payloadLength) break;
      std::string payload(available.substr(0, header_.payloadLength));
      unmask(payload.data(), payload.size(), header_.mask, 0);
      buffer_.consume(payload.size());
      haveHeader_ = false;
      handleControl(header_.opcode, payload);
      continue;
    }
    const std::uint64_t remaining = header_.payloadLength - payloadSeen_;
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, available.size()));
    if (take > 0 && !discarding_) {
      const std::size_t start = message_.size();
      message_.append(available.data(), take);
      unmask(message_.data() + start, take, header_.mask, payloadSeen_);
    }
    buffer_.consume(take);
    payloadSeen_ += take;
    if (payloadSeen_ < header_.payloadLength) break;  // wait for the rest of the payload
    haveHeader_ = false;
    if (header_.fin) finishMessage();
  }
  if (buffer_.capacity() > kKeepBufferBytes && buffer_.size() == 0) buffer_.shrink_to_fit();
}

template <class Stream>
void WsSession<Stream>::protocolError(CloseCode code, std::string_view reason) {
  unparseable_ = true;
  registry_.countProtocolError();
  startClose(code, reason);
}

template <class Stream>
void WsSession<Stream>::finishMessage() {
  inMessage_ = false;
  if (closeSent_) return;  // closing: nothing more is handled
  if (messageOpcode_ == Opcode::Text) {
    connection_->onRejectedMessage(protocol::v1::ERROR_TEXT_FRAME, "text frames are not accepted; send binary protobuf");
  } else if (tooLarge_) {
    connection_->onRejectedMessage(protocol::v1::ERROR_FRAME_TOO_LARGE,
                                   "message above the maximum of " + std::to_string(limits_.maxMessageBytes) + " bytes");
  } else {
    connection_->onBinaryMessage(message_);
  }
  discarding_ = false;
  tooLarge_ = false;
  message_.clear();
  if (message_.capacity() > kKeepBufferBytes) std::string().swap(message_);
}

template <class Stream>
void WsSession<Stream>::handleControl(Opcode opcode, std::string_view payload) {
  switch (opcode) {
    case Opcode::Ping:
      if (!closeSent_) enqueue(encodeSharedFrame(Opcode::Pong, payload));
      return;
    case Opcode::Pong:
      pingOutstanding_ = false;
      return;
    case Opcode::Close: {
      closeReceived_ = true;
      if (closeSent_) {
        if (!writing_ && queue_.empty()) closeSocket();  // else onWrite closes after the last frame
        return;
      }
      // Echo the peer's code (RFC 6455 §5.5.1), then close once it is written.
      CloseCode code = CloseCode::Normal;
      if (payload.size() >= 2) {
        code = static_cast<CloseCode>((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
      }
      startClose(code, {});
      return;
    }
    default:
      return;
  }
}

template <class Stream>
void WsSession<Stream>::sendFrame(std::shared_ptr<const std::string> frame) {
  if (closeSent_ || closed_) return;
  if (queue_.size() >= limits_.maxQueuedFrames || queuedBytes_ + frame->size() > limits_.maxQueuedBytes) {
    // Too slow to keep up: drop it rather than let memory grow. The terminal
    // reconnects and resumes from its last event.
    registry_.countSlowConsumerDropped();
    closeSocket();
    return;
  }
  enqueue(std::move(frame));
}

template <class Stream>
void WsSession<Stream>::enqueue(std::shared_ptr<const std::string> frame) {
  queuedBytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (!writing_) doWrite();
}

template <class Stream>
void WsSession<Stream>::gatherBuffers() {
  writeBuffers_.clear();
  const std::size_t count = std::min(queue_.size(), limits_.writeBatchFrames);
  for (std::size_t i = 0; i < count; ++i) writeBuffers_.emplace_back(asio::buffer(*queue_[i]));
  writeBuffers_.front() += frontOffset_;
}

template <class Stream>
void WsSession<Stream>::consumeWritten(std::size_t bytes) {
  while (bytes > 0) {
    const std::size_t left = queue_.front()->size() - frontOffset_;
    if (bytes < left) {
      frontOffset_ += bytes;
      return;
    }
    bytes -= left;
    queuedBytes_ -= queue_.front()->size();
    queue_.pop_front();
    frontOffset_ = 0;
  }
}

template <class Stream>
bool WsSession<Stream>::writeNow() {
  auto& socket = beast::get_lowest_layer(stream_).socket();
  while (!queue_.empty()) {
    gatherBuffers();
    boost::system::error_code ec;
    const std::size_t written = socket.write_some(writeBuffers_, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return false;
    if (ec) {
      closeSocket();
      return true;
    }
    consumeWritten(written);
    if (frontOffset_ != 0) return false;  // the kernel's buffer is full: wait for it
  }
  return true;
}

template <class Stream>
void WsSession<Stream>::doWrite() {
  if constexpr (kPlainTcp<Stream>) {
    if (writeNow()) {
      if (closeSent_ && closeReceived_ && !closed_) closeSocket();
      return;
    }
  }
  writing_ = true;
  gatherBuffers();
  asio::async_write(stream_, writeBuffers_,
                    [self = this->shared_from_this()](boost::system::error_code ec, std::size_t written) {
                      self->onWrite(ec, written);
                    });
}

template <class Stream>
void WsSession<Stream>::onWrite(boost::system::error_code ec, std::size_t written) {
  writing_ = false;
  if (ec) {
    closeSocket();
    return;
  }
  consumeWritten(written);
  if (!queue_.empty()) {
    doWrite();
  } else if (closeSent_ && closeReceived_) {
    closeSocket();
  }
}

template <class Stream>
void WsSession<Stream>::startClose(CloseCode code, std::string_view reason) {
  if (closeSent_ || closed_) return;
  enqueue(std::make_shared<const std::string>(encodeClose(code, reason)));
  closeSent_ = true;
  closeDeadline_ = Clock::now() + limits_.closeTimeout;
}

template <class Stream>
void WsSession<Stream>::closeForPolicy(std::string_view reason) { startClose(CloseCode::PolicyViolation, reason); }

template <class Stream>
void WsSession<Stream>::goingAway() { startClose(CloseCode::GoingAway, "server shutting down"); }

template <class Stream>
void WsSession<Stream>::closeSocket() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  auto& socket = beast::get_lowest_layer(stream_).socket();
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

template <class Stream>
void WsSession<Stream>::sweep(Clock::time_point now) {
  if (closed_) return;
  if (closeSent_) {
    if (now >= closeDeadline_) closeSocket();
    return;
  }
  const auto quiet = now - lastReceived_;
  if (pingOutstanding_ && quiet >= limits_.idleTimeout) {
    closeSocket();  // pinged, and still nothing: the terminal is gone
  } else if (quiet >= limits_.pingInterval && !pingOutstanding_) {
    pingOutstanding_ = true;
    enqueue(pingFrame());
  }
}

template class WsSession<beast::tcp_stream>;
template class WsSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace daihoi::net
