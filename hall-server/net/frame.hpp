#pragma once
// WebSocket framing (RFC 6455), server side. Server frames are never masked,
// so one framed buffer can be written to every socket unchanged.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace daihoi::net {

enum class Opcode : std::uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// Close codes used by the server.
enum class CloseCode : std::uint16_t {
  Normal = 1000,
  GoingAway = 1001,
  ProtocolError = 1002,
  PolicyViolation = 1008,
  TooBig = 1009,
};

std::string encodeFrame(Opcode opcode, std::string_view payload);
std::shared_ptr<const std::string> encodeSharedFrame(Opcode opcode, std::string_view payload);
std::string encodeClose(CloseCode code, std::string_view reason);

// The fixed part of a client frame.
struct FrameHeader {
  bool fin = false;
  Opcode opcode = Opcode::Binary;
  bool masked = false;
  std::uint8_t mask[4] = {0, 0, 0, 0};
  std::uint64_t payloadLength = 0;
  std::size_t headerLength = 0;  // bytes before the payload
};

enum class HeaderStatus { NeedMore, Ok, Invalid };

struct HeaderParse {
  HeaderStatus status = HeaderStatus::NeedMore;
  FrameHeader header;
  std::string error;  // when Invalid
};

// Parses a client frame header from the start of `data`. Checks what RFC 6455
// requires of a client frame: masked, no reserved bits (no extensions are
// negotiated), known opcodes, control frames final and at most 125 bytes.
HeaderParse parseClientHeader(std::string_view data);

// XORs payload bytes with the mask; `offset` is the position of data[0]
// within the frame's payload.
void unmask(char* data, std::size_t size, const std::uint8_t mask[4], std::uint64_t offset);

}  // namespace daihoi::net
