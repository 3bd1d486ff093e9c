#pragma once
// Password and PIN hashing: argon2id (libsodium crypto_pwhash), stored in the
// self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" form, so hashes
// made with one strength verify regardless of the strength asked for later.
#include <string>
#include <string_view>

namespace daihoi::auth {

enum class HashStrength {
  // Staff passwords: libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE (t=2, 64 MiB).
  Interactive,
  // Delegate PINs: t=2, 8 MiB, so that a roster of 500 PINs is issued in
  // seconds. A 6-digit PIN cannot resist offline guessing with any setting;
  // its protection is the online sign-in limiter, the hash only keeps PINs
  // from being read straight out of a stolen database.
  Pin,
};

// Hashes `secret` (any bytes, typically UTF-8) with a fresh random salt.
// Throws std::runtime_error only if libsodium cannot allocate the memory.
std::string hashSecret(std::string_view secret, HashStrength strength);

// True when `secret` matches `hash`. False for a wrong secret and for a hash
// that is not an argon2id string; never throws.
bool verifySecret(std::string_view hash, std::string_view secret);

// True when `hash` was not made with `strength`'s current parameters (or is
// not a valid argon2id string): re-hash after the next successful sign-in.
bool needsRehash(std::string_view hash, HashStrength strength);

// Spends the time of one verification against a fixed dummy hash of this
// strength. Call it when the account named in a sign-in does not exist, so
// that unknown and known accounts answer equally slowly (no enumeration of
// accounts by timing). The dummy hash is made on the first call.
void burnVerificationTime(HashStrength strength);

}  // namespace daihoi::auth
