#include "net/frame.hpp"

namespace daihoi::net {

std::string encodeFrame(Opcode opcode, std::string_view payload) {
  std::string frame;
  const std::uint64_t size = payload.size();
  frame.reserve(size + 10);
  frame.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
  if (size < 126) {
    frame.push_back(static_cast<char>(size));
  } else if (size <= 0xFFFF) {
    frame.push_back(static_cast<char>(126));
    frame.push_back(static_cast<char>(size >> 8));
    frame.push_back(static_cast<char>(size & 0xFF));
  } else {
    frame.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((size >> shift) & 0xFF));
  }
  frame.append(payload);
  return frame;
}

std::shared_ptr<const std::string> encodeSharedFrame(Opcode opcode, std::string_view payload) {
  return std::make_shared<const std::string>(encodeFrame(opcode, payload));
}

std::string encodeClose(CloseCode code, std::string_view reason) {
  std::string payload;
  const auto value = static_cast<std::uint16_t>(code);
  payload.push_back(static_cast<char>(value >> 8));
  payload.push_back(static_cast<char>(value & 0xFF));
  payload.append(reason.substr(0, 123));  // a control frame carries at most 125 bytes
  return encodeFrame(Opcode::Close, payload);
}

HeaderParse parseClientHeader(std::string_view data) {
  HeaderParse result;
  if (data.size() < 2) return result;
  const auto b0 = static_cast<std::uint8_t>(data[0]);
  const auto b1 = static_cast<std::uint8_t>(data[1]);
  auto invalid = [&result](std::string message) {
    result.status = HeaderStatus::Invalid;
    result.error = std::move(message);
    return result;
  };
  if ((b0 & 0x70) != 0) return invalid("reserved bits set without a negotiated extension");
  const std::uint8_t op = b0 & 0x0F;
  if (!(op <= 0x2 || (op >= 0x8 && op <= 0xA))) return invalid("unknown opcode");
  FrameHeader& h = result.header;
  h.fin = (b0 & 0x80) != 0;
  h.opcode = static_cast<Opcode>(op);
  h.masked = (b1 & 0x80) != 0;
  if (!h.masked) return invalid("client frames must be masked");
  std::size_t pos = 2;
  std::uint64_t length = b1 & 0x7F;
  if (length == 126) {
    if (data.size() < 4) return result;
    length = (std::uint64_t(std::uint8_t(data[2])) << 8) | std::uint8_t(data[3]);
    if (length < 126) return invalid("length not minimally encoded");
    pos = 4;
  } else if (length == 127) {
    if (data.size() < 10) return result;
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | std::uint8_t(data[2 + i]);
    if (length >> 63) return invalid("length has its most significant bit set");
    if (length <= 0xFFFF) return invalid("length not minimally encoded");
    pos = 10;
  }
  const bool control = op >= 0x8;
  if (control && (!h.fin || length > 125)) return invalid("control frames must be final and at most 125 bytes");
  if (data.size() < pos + 4) return result;
  for (int i = 0; i < 4; ++i) h.mask[i] = static_cast<std::uint8_t>(data[pos + i]);
  h.payloadLength = length;
  h.headerLength = pos + 4;
  result.status = HeaderStatus::Ok;
  return result;
}

void unmask(char* data, std::size_t size, const std::uint8_t mask[4], std::uint64_t offset) {
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>(data[i] ^ mask[(offset + i) & 3]);
}

}  // namespace daihoi::net
