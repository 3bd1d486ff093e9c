#include "client/server_url.hpp"

#include <algorithm>
#include <cctype>

namespace daihoi::client {
namespace {

ClientError badUrl(std::string_view text, std::string_view why) {
  ClientError error{ErrorKind::Refused, daihoi::v1::ERROR_CODE_UNSPECIFIED, {}, {}, 0};
  error.message = "invalid server URL \"" + std::string(text) + "\": " + std::string(why);
  return error;
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool isHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;  // internationalised names pass to the resolver as given
}

}  // namespace

std::string ServerUrl::hostHeader() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string header = ipv6 ? "[" + host + "]" : host;
  const bool defaultPort = (secure && port == "443") || (!secure && port == "80");
  if (!defaultPort) {
    header += ":" + port;
  }
  return header;
}

std::string ServerUrl::toString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return std::string(secure ? "wss://" : "ws://") + (ipv6 ? "[" + host + "]" : host) + ":" + port + target;
}

Outcome<ServerUrl> parseServerUrl(std::string_view text) {
  ServerUrl url;
  std::string_view rest;
  if (startsWithIgnoringCase(text, "ws://")) {
    rest = text.substr(5);
  } else if (startsWithIgnoringCase(text, "wss://")) {
    url.secure = true;
    rest = text.substr(6);
  } else {
    return badUrl(text, "the scheme must be ws:// or wss://");
  }
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '\0'; })) {
    return badUrl(text, "it contains white space");
  }
  if (rest.find('#') != std::string_view::npos) {
    return badUrl(text, "a WebSocket URL has no fragment");
  }

  const std::size_t pathStart = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, pathStart);
  std::string_view pathAndQuery = pathStart == std::string_view::npos ? std::string_view{} : rest.substr(pathStart);
  if (authority.find('@') != std::string_view::npos) {
    return badUrl(text, "user names and passwords do not belong in the URL");
  }

  std::string_view portText;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return badUrl(text, "an IPv6 address needs a closing ']'");
    }
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return badUrl(text, "unexpected text after the IPv6 address");
      }
      portText = after.substr(1);
      if (portText.empty()) {
        return badUrl(text, "the port is empty");
      }
    }
    if (url.host.empty() || !std::all_of(url.host.begin(), url.host.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
        })) {
      return badUrl(text, "the IPv6 address is not valid");
    }
  } else {
    const std::size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      if (portText.empty()) {
        return badUrl(text, "the port is empty");
      }
    }
    if (url.host.empty()) {
      return badUrl(text, "the host is empty");
    }
    if (!std::all_of(url.host.begin(), url.host.end(), isHostNameChar)) {
      return badUrl(text, "the host name contains characters that are not allowed");
    }
  }

  if (portText.empty()) {
    url.port = url.secure ? "443" : "80";
  } else {
    if (portText.size() > 5 ||
        !std::all_of(portText.begin(), portText.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return badUrl(text, "the port must be a number from 1 to 65535");
    }
    const unsigned long port = std::stoul(std::string(portText));
    if (port == 0 || port > 65535) {
      return badUrl(text, "the port must be a number from 1 to 65535");
    }
    url.port = std::to_string(port);
  }

  if (pathAndQuery.empty()) {
    url.target = std::string(kDefaultWebSocketPath);
  } else if (pathAndQuery.front() == '?') {
    url.target = std::string(kDefaultWebSocketPath) + std::string(pathAndQuery);
  } else {
    url.target = std::string(pathAndQuery);
  }
  return url;
}

}  // namespace daihoi::client
