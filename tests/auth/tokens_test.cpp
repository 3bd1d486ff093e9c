#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>
#include <string>

#include "auth/tokens.hpp"

using daihoi::auth::newPin;
using daihoi::auth::newSecretToken;
using daihoi::auth::tokenHash;

namespace {

bool isBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

TEST_CASE("secret tokens are 43 base64url characters and unique") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = newSecretToken();
    REQUIRE(token.size() == 43);
    CHECK(std::all_of(token.begin(), token.end(), isBase64UrlChar));
    seen.insert(token);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("tokenHash is the stable lower-case hex SHA-256") {
  // FIPS 180-2 test vector.
  CHECK(tokenHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string token = newSecretToken();
  const std::string hash = tokenHash(token);
  CHECK(hash.size() == 64);
  CHECK(std::all_of(hash.begin(), hash.end(), isLowerHex));
  CHECK(tokenHash(token) == hash);
  CHECK(tokenHash(newSecretToken()) != hash);
}

TEST_CASE("PINs are decimal digits of the asked length") {
  const std::string pin = newPin();
  CHECK(pin.size() == 6);
  CHECK(std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }));
  CHECK(newPin(8).size() == 8);
  CHECK(newPin(1).size() == 1);
  CHECK_THROWS_AS(newPin(0), std::invalid_argument);
  CHECK_THROWS_AS(newPin(65), std::invalid_argument);
}

TEST_CASE("PIN digits are spread evenly, leading zeros included") {
  std::array<int, 10> counts{};
  int leadingZeros = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string pin = newPin(6);
    leadingZeros += pin[0] == '0' ? 1 : 0;
    for (char c : pin) {
      REQUIRE(c >= '0');
      REQUIRE(c <= '9');
      ++counts[static_cast<std::size_t>(c - '0')];
    }
  }
  // 12000 digits: 1200 expected per digit, standard deviation about 33.
  for (int count : counts) {
    CHECK(count > 1000);
    CHECK(count < 1400);
  }
  CHECK(leadingZeros > 100);
}
