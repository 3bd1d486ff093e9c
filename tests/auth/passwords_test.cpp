#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "auth/passwords.hpp"

using daihoi::auth::burnVerificationTime;
using daihoi::auth::hashSecret;
using daihoi::auth::HashStrength;
using daihoi::auth::needsRehash;
using daihoi::auth::verifySecret;

namespace {

bool startsWith(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

template <class Action>
double fastestMs(int runs, Action action) {
  double best = 1e18;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    action();
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

}  // namespace

TEST_CASE("interactive strength: argon2id with libsodium's interactive cost, round trip") {
  const std::string hash = hashSecret("correct horse battery staple", HashStrength::Interactive);
  CHECK(startsWith(hash, "$argon2id$v=19$m=65536,t=2,p=1$"));
  CHECK(verifySecret(hash, "correct horse battery staple"));
  CHECK_FALSE(verifySecret(hash, "correct horse battery stapler"));
  CHECK_FALSE(verifySecret(hash, ""));
}

TEST_CASE("pin strength: cheaper argon2id, round trip") {
  const std::string hash = hashSecret("042917", HashStrength::Pin);
  CHECK(startsWith(hash, "$argon2id$v=19$m=8192,t=2,p=1$"));
  CHECK(verifySecret(hash, "042917"));
  CHECK_FALSE(verifySecret(hash, "042918"));
  CHECK_FALSE(verifySecret(hash, "42917"));
}

TEST_CASE("each hash has its own salt") {
  const std::string first = hashSecret("123456", HashStrength::Pin);
  const std::string second = hashSecret("123456", HashStrength::Pin);
  CHECK(first != second);
  CHECK(verifySecret(first, "123456"));
  CHECK(verifySecret(second, "123456"));
}

TEST_CASE("Vietnamese UTF-8 passwords verify byte for byte") {
  const std::string password = "Mật khẩu Đại hội lần thứ XIV";
  const std::string hash = hashSecret(password, HashStrength::Pin);
  CHECK(verifySecret(hash, password));
  CHECK_FALSE(verifySecret(hash, "Mat khau Dai hoi lan thu XIV"));
  // "ậ" decomposed (a + combining circumflex + combining dot below) is other
  // bytes: clients must send NFC, as every Vietnamese keyboard produces.
  CHECK_FALSE(verifySecret(hash, "Ma\xCC\x82\xCC\xA3t khẩu Đại hội lần thứ XIV"));
}

TEST_CASE("empty secret is hashed like any other") {
  const std::string hash = hashSecret("", HashStrength::Pin);
  CHECK(verifySecret(hash, ""));
  CHECK_FALSE(verifySecret(hash, " "));
}

TEST_CASE("malformed hashes are rejected without throwing") {
  const std::string good = hashSecret("secret", HashStrength::Pin);
  std::string tampered = good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  std::string withNul = good;
  withNul.insert(10, 1, '\0');

  CHECK_FALSE(verifySecret("", "secret"));
  CHECK_FALSE(verifySecret("secret", "secret"));
  CHECK_FALSE(verifySecret("$argon2id$", "secret"));
  CHECK_FALSE(verifySecret(good.substr(0, good.size() - 10), "secret"));
  CHECK_FALSE(verifySecret(tampered, "secret"));
  CHECK_FALSE(verifySecret(withNul, "secret"));
  CHECK_FALSE(verifySecret(good + std::string(200, 'A'), "secret"));
  CHECK_FALSE(verifySecret("$2y$10$abcdefghijklmnopqrstuuJ3C9nfp9S8E1sV4bW5y6z7A8B9C0D1E", "secret"));
}

TEST_CASE("argon2i hashes are not accepted: only argon2id is ours") {
  char argon2i[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str_alg(argon2i, "secret", 6, 3, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2I13) == 0);
  REQUIRE(crypto_pwhash_str_verify(argon2i, "secret", 6) == 0);
  CHECK_FALSE(verifySecret(argon2i, "secret"));
}

TEST_CASE("needsRehash tells hashes of another strength apart") {
  const std::string pinHash = hashSecret("123456", HashStrength::Pin);
  CHECK_FALSE(needsRehash(pinHash, HashStrength::Pin));
  CHECK(needsRehash(pinHash, HashStrength::Interactive));
  CHECK(needsRehash("not a hash", HashStrength::Pin));
}

TEST_CASE("burnVerificationTime costs as much as verifying a real hash") {
  const std::string hash = hashSecret("314159", HashStrength::Pin);
  burnVerificationTime(HashStrength::Pin);  // makes the dummy hash once
  const double verifyMs = fastestMs(5, [&] { (void)verifySecret(hash, "000000"); });
  const double burnMs = fastestMs(5, [] { burnVerificationTime(HashStrength::Pin); });
  // Same argon2id parameters, so the same work; the margin absorbs noise on a
  // shared machine while still catching a burn that skips the hashing.
  CHECK(burnMs > verifyMs * 0.5);
  CHECK(burnMs < verifyMs * 2.0);
}
