#pragma once
// A deliberately unhelpful WebSocket peer: sends any bytes, masked or not, to
// see how the server copes with what real clients never send.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daihoi::testing {

struct RawFrame {
  std::uint8_t opcode = 0;
  std::string payload;
};

class RawWebSocket {
 public:
  // Connects and performs the upgrade; throws when the server refuses it.
  RawWebSocket(std::uint16_t port, const std::string& extraHeaders = {});
  ~RawWebSocket();
  RawWebSocket(const RawWebSocket&) = delete;
  RawWebSocket& operator=(const RawWebSocket&) = delete;

  // A single client frame (masked unless told otherwise).
  void sendFrame(std::uint8_t opcode, std::string_view payload, bool fin = true, bool masked = true);
  void sendBytes(std::string_view bytes);
  // The next frame from the server, or nothing on time-out or EOF.
  std::optional<RawFrame> readFrame(int timeoutMs = 5000);
  // True when the server closed the TCP connection (EOF) within the time.
  bool waitForEof(int timeoutMs = 5000);

  static std::string httpRequest(std::uint16_t port, const std::string& request);  // whole response

 private:
  bool fill(std::size_t bytes, int timeoutMs);
  int fd_ = -1;
  std::string buffer_;
};

// The hall's daihoi_signed_in_sessions gauge (GET /metrics), or -1 when it is missing: a
// test waits for it to grow before it relies on a client (e.g. `daihoi watch`) being signed in.
int signedInSessions(std::uint16_t port);

}  // namespace daihoi::testing
