#include "common/bytes.hpp"

#include <sodium.h>

#include <stdexcept>

namespace daihoi {
namespace {
void ensureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialise");
    }
    return true;
  }();
  (void)ready;
}
}  // namespace

Sha256 sha256(std::string_view data) { return sha256(data, {}); }

Sha256 sha256(std::string_view a, std::string_view b) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  Sha256 out{};
  crypto_hash_sha256_final(&state, out.data());
  return out;
}

std::string_view asBytes(const Sha256& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string toHex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

std::string toHex(const Sha256& digest) { return toHex(asBytes(digest)); }

bool fromHex(std::string_view hex, std::string& out) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return false;
  std::string result;
  result.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    result.push_back(static_cast<char>(hi * 16 + lo));
  }
  out = std::move(result);
  return true;
}

std::string base64Url(std::string_view bytes) {
  ensureSodium();
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

std::string randomBytes(std::size_t count) {
  ensureSodium();
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string randomToken(std::size_t bytes) { return base64Url(randomBytes(bytes)); }

}  // namespace daihoi
