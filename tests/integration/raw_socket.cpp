#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace daihoi::testing {
namespace {

int connectTo(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    // The reason and the port, so that a rare failure can be told apart (refused, reset, out of fds).
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed: " + std::strerror(error));
  }
  return fd;
}

void sendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

RawWebSocket::RawWebSocket(std::uint16_t port, const std::string& extraHeaders) : fd_(connectTo(port)) {
  sendAll(fd_, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                   extraHeaders + "\r\n");
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(buffer_.size() + 1, 5000)) throw std::runtime_error("no upgrade response");
  }
  const std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  if (head.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("upgrade refused: " + head);
}

RawWebSocket::~RawWebSocket() {
  if (fd_ >= 0) ::close(fd_);
}

void RawWebSocket::sendFrame(std::uint8_t opcode, std::string_view payload, bool fin, bool masked) {
  std::string frame;
  frame.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const std::uint64_t size = payload.size();
  const char maskBit = masked ? static_cast<char>(0x80) : 0;
  if (size < 126) {
    frame.push_back(static_cast<char>(maskBit | static_cast<char>(size)));
  } else if (size <= 0xFFFF) {
    frame.push_back(static_cast<char>(maskBit | 126));
    frame.push_back(static_cast<char>(size >> 8));
    frame.push_back(static_cast<char>(size & 0xFF));
  } else {
    frame.push_back(static_cast<char>(maskBit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((size >> shift) & 0xFF));
  }
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (masked) frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(masked ? static_cast<char>(payload[i] ^ mask[i % 4]) : payload[i]);
  }
  sendAll(fd_, frame);
}

void RawWebSocket::sendBytes(std::string_view bytes) { sendAll(fd_, bytes); }

bool RawWebSocket::fill(std::size_t bytes, int timeoutMs) {
  while (buffer_.size() < bytes) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    char chunk[65536];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<RawFrame> RawWebSocket::readFrame(int timeoutMs) {
  if (!fill(2, timeoutMs)) return std::nullopt;
  RawFrame frame;
  frame.opcode = static_cast<std::uint8_t>(buffer_[0]) & 0x0F;
  std::uint64_t length = static_cast<std::uint8_t>(buffer_[1]) & 0x7F;
  std::size_t header = 2;
  if (length == 126) {
    if (!fill(4, timeoutMs)) return std::nullopt;
    length = (std::uint64_t(std::uint8_t(buffer_[2])) << 8) | std::uint8_t(buffer_[3]);
    header = 4;
  } else if (length == 127) {
    if (!fill(10, timeoutMs)) return std::nullopt;
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | std::uint8_t(buffer_[2 + i]);
    header = 10;
  }
  if (!fill(header + length, timeoutMs)) return std::nullopt;
  frame.payload = buffer_.substr(header, length);
  buffer_.erase(0, header + length);
  return frame;
}

bool RawWebSocket::waitForEof(int timeoutMs) {
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

std::string RawWebSocket::httpRequest(std::uint16_t port, const std::string& request) {
  const int fd = connectTo(port);
  sendAll(fd, request);
  std::string response;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) break;
    char chunk[4096];
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    response.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

int signedInSessions(std::uint16_t port) {
  const auto metrics =
      RawWebSocket::httpRequest(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string key = "\ndaihoi_signed_in_sessions ";
  const auto at = metrics.find(key);
  return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + key.size()));
}

}  // namespace daihoi::testing
