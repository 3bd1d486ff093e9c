#include "net/handshake.hpp"

#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace daihoi::net {
namespace {

bool containsToken(std::string_view header, std::string_view token) {
  // Comma-separated, case-insensitive tokens ("keep-alive, Upgrade").
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(start, end - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (item.size() == token.size() &&
        std::equal(item.begin(), item.end(), token.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

bool isWebSocketUpgrade(const HttpRequest& request) {
  return containsToken(request[http::field::upgrade], "websocket");
}

std::string upgradeProblem(const HttpRequest& request) {
  if (request.method() != http::verb::get) return "a WebSocket upgrade must be a GET";
  if (!containsToken(request[http::field::connection], "upgrade")) return "missing Connection: Upgrade";
  if (request[http::field::sec_websocket_version] != "13") return "only WebSocket version 13 is supported";
  const auto key = request[http::field::sec_websocket_key];
  if (key.size() != 24) return "missing or malformed Sec-WebSocket-Key";
  return {};
}

std::string acceptKey(std::string_view clientKey) {
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(clientKey);
  input.append(kGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  const auto variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(sizeof digest, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), digest, sizeof digest, variant);
  out.resize(out.find('\0'));
  return out;
}

bool originAllowed(const HttpRequest& request, const std::vector<std::string>& allowedOrigins) {
  auto origin = request.find(http::field::origin);
  if (origin == request.end()) return true;
  const std::string value = lower(origin->value());
  for (const auto& allowed : allowedOrigins) {
    if (lower(allowed) == value) return true;
  }
  // Same origin: "scheme://host[:port]" whose host[:port] is this request's Host.
  const auto schemeEnd = value.find("://");
  const std::string host = lower(request[http::field::host]);
  return schemeEnd != std::string::npos && !host.empty() && value.substr(schemeEnd + 3) == host;
}

}  // namespace daihoi::net
