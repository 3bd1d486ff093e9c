#include <doctest/doctest.h>

#include "client/server_url.hpp"

using daihoi::client::parseServerUrl;

TEST_CASE("ws URL with host, port and path") {
  auto url = parseServerUrl("ws://127.0.0.1:8443/ws");
  REQUIRE(url);
  CHECK_FALSE(url->secure);
  CHECK(url->host == "127.0.0.1");
  CHECK(url->port == "8443");
  CHECK(url->target == "/ws");
  CHECK(url->hostHeader() == "127.0.0.1:8443");
}

TEST_CASE("default ports and the default /ws path") {
  auto plain = parseServerUrl("ws://hall.local");
  REQUIRE(plain);
  CHECK(plain->port == "80");
  CHECK(plain->target == "/ws");
  CHECK(plain->hostHeader() == "hall.local");

  auto secure = parseServerUrl("WSS://Hall.Example.vn");
  REQUIRE(secure);
  CHECK(secure->secure);
  CHECK(secure->port == "443");
  CHECK(secure->hostHeader() == "Hall.Example.vn");
  CHECK(secure->toString() == "wss://Hall.Example.vn:443/ws");
}

TEST_CASE("explicit path and query are kept as the request target") {
  auto url = parseServerUrl("wss://hall.example:9443/daihoi/ws?hall=A");
  REQUIRE(url);
  CHECK(url->target == "/daihoi/ws?hall=A");
  auto queryOnly = parseServerUrl("ws://hall:80?x=1");
  REQUIRE(queryOnly);
  CHECK(queryOnly->target == "/ws?x=1");
}

TEST_CASE("IPv6 literal in brackets") {
  auto url = parseServerUrl("ws://[::1]:8443/ws");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->port == "8443");
  CHECK(url->hostHeader() == "[::1]:8443");
  CHECK(url->toString() == "ws://[::1]:8443/ws");
}

TEST_CASE("bad URLs are refused with a reason") {
  const char* bad[] = {
      "http://127.0.0.1:8443/ws",  // not a WebSocket scheme
      "127.0.0.1:8443",            // no scheme
      "ws://",                     // no host
      "ws://:8443/ws",             // no host
      "ws://host:/ws",             // empty port
      "ws://host:0/ws",            // port 0
      "ws://host:65536/ws",        // port too large
      "ws://host:80a/ws",          // port not numeric
      "ws://user:pw@host/ws",      // credentials in the URL
      "ws://host/ws#frag",         // fragment
      "ws://ho st/ws",             // white space
      "ws://[::1/ws",              // unclosed bracket
      "ws://[zz::1]/ws",           // not an IPv6 address
      "ws://host;rm/ws",           // characters not allowed in a host name
  };
  for (const char* text : bad) {
    CAPTURE(text);
    auto url = parseServerUrl(text);
    REQUIRE_FALSE(url);
    CHECK(url.error().message.find("invalid server URL") != std::string::npos);
  }
}
