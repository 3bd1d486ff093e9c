#include "proto_peer.hpp"

#include <stdexcept>

namespace daihoi::testing {

std::optional<daihoi::v1::ServerMessage> ProtoPeer::next(int timeoutMs) {
  for (;;) {
    auto frame = socket->readFrame(timeoutMs);
    if (!frame) return std::nullopt;
    if (frame->opcode == 0x8) return std::nullopt;     // close
    if (frame->opcode != 0x2) continue;                 // pings
    daihoi::v1::ServerMessage message;
    if (!message.ParseFromString(frame->payload)) throw std::runtime_error("server sent an unparsable message");
    return message;
  }
}

daihoi::v1::Response ProtoPeer::request(daihoi::v1::ClientMessage message, int timeoutMs) {
  const std::uint64_t id = nextId++;
  message.set_request_id(id);
  socket->sendFrame(0x2, message.SerializeAsString());
  for (;;) {
    auto reply = next(timeoutMs);
    if (!reply) throw std::runtime_error("no response to request " + std::to_string(id));
    if (reply->has_event()) {
      events.push_back(reply->event());
    } else if (reply->response().request_id() == id) {
      return reply->response();
    }
  }
}

daihoi::v1::Response ProtoPeer::hello() {
  daihoi::v1::ClientMessage m;
  m.mutable_hello()->set_protocol_version(daihoi::v1::PROTOCOL_VERSION_CURRENT);
  return request(m);
}

daihoi::v1::Response ProtoPeer::signInStaff(const std::string& username, const std::string& password) {
  daihoi::v1::ClientMessage m;
  m.mutable_sign_in()->mutable_staff_password()->set_username(username);
  m.mutable_sign_in()->mutable_staff_password()->set_password(password);
  return request(m);
}

}  // namespace daihoi::testing
