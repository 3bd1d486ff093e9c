#pragma once
// The hall server's WebSocket address: ws://host[:port][/path] or wss://...
#include <string>
#include <string_view>

#include "client/client_error.hpp"

namespace daihoi::client {

inline constexpr std::string_view kDefaultWebSocketPath = "/ws";

struct ServerUrl {
  bool secure = false;  // wss://
  std::string host;     // without brackets for IPv6 literals, e.g. "::1"
  std::string port;     // always set: explicit, or 80 / 443
  std::string target;   // path and query, e.g. "/ws"; "/ws" when the URL has no path

  // The value of the HTTP Host header: host[:port], bracketed for IPv6.
  std::string hostHeader() const;
  // Back to text, always with the port: "wss://hall.example:443/ws".
  std::string toString() const;
};

// Fails (kind Refused, a message naming the problem) on an unknown scheme, empty host,
// bad port, user info or fragment.
Outcome<ServerUrl> parseServerUrl(std::string_view text);

}  // namespace daihoi::client
