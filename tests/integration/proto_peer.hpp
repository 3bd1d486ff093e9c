#pragma once
// Protobuf requests over a RawWebSocket, for tests that need exact control
// of what goes on the wire.
#include <memory>
#include <vector>

#include "daihoi.pb.h"
#include "raw_socket.hpp"

namespace daihoi::testing {

class ProtoPeer {
 public:
  explicit ProtoPeer(std::uint16_t port) : socket(std::make_unique<RawWebSocket>(port)) {}
  // Sends the request with the next request id; returns its response (events
  // that arrive meanwhile are kept in `events`).
  daihoi::v1::Response request(daihoi::v1::ClientMessage message, int timeoutMs = 10000);
  daihoi::v1::Response hello();
  daihoi::v1::Response signInStaff(const std::string& username, const std::string& password);
  // The next ServerMessage, or nothing on time-out/close.
  std::optional<daihoi::v1::ServerMessage> next(int timeoutMs = 5000);

  std::unique_ptr<RawWebSocket> socket;
  std::vector<daihoi::v1::Event> events;
  std::uint64_t nextId = 1;
};

}  // namespace daihoi::testing
