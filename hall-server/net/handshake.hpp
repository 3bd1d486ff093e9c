#pragma once
// The HTTP side of a WebSocket upgrade (RFC 6455 §4.2) and the browser
// origin check.
#include <boost/beast/http.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::net {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;

bool isWebSocketUpgrade(const HttpRequest& request);
// Empty when the upgrade request is acceptable; otherwise why not.
std::string upgradeProblem(const HttpRequest& request);
// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
std::string acceptKey(std::string_view clientKey);

// Terminals and tools send no Origin header. Browsers do: their page must be
// served from this server (same host) or from an allow-listed origin.
bool originAllowed(const HttpRequest& request, const std::vector<std::string>& allowedOrigins);

}  // namespace daihoi::net
