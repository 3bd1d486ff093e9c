#pragma once
// High-entropy secrets (session, device and badge tokens) and delegate PINs.
// Tokens are stored only as tokenHash(): they are random enough that a fast
// hash suffices, unlike passwords and PINs (see passwords.hpp).
#include <string>
#include <string_view>

namespace daihoi::auth {

// 32 random bytes as unpadded base64url: 43 characters of [A-Za-z0-9_-].
std::string newSecretToken();

// Lower-case hex SHA-256 of the token: 64 characters.
std::string tokenHash(std::string_view token);

// `digits` uniformly random decimal digits (leading zeros kept).
// Throws std::invalid_argument unless 1 <= digits <= 64.
std::string newPin(unsigned digits = 6);

}  // namespace daihoi::auth
