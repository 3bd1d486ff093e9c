#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace daihoi {

using Sha256 = std::array<std::uint8_t, 32>;

Sha256 sha256(std::string_view data);
// SHA-256 over a || b without concatenating them.
Sha256 sha256(std::string_view a, std::string_view b);
std::string_view asBytes(const Sha256& digest);

std::string toHex(std::string_view bytes);
std::string toHex(const Sha256& digest);
// Empty optional-like: returns false when `hex` is not valid hex.
bool fromHex(std::string_view hex, std::string& out);

// Unpadded base64url (RFC 4648 §5): tokens printed on badges and in URLs.
std::string base64Url(std::string_view bytes);

// Cryptographically random bytes (libsodium).
std::string randomBytes(std::size_t count);
// A random token: `bytes` random bytes as base64url.
std::string randomToken(std::size_t bytes = 32);

}  // namespace daihoi
