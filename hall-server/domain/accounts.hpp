#pragma once
// Who may sign in, as stored. Secrets are kept only as hashes:
// passwords and PINs as argon2id strings, high-entropy tokens as hex SHA-256.
#include <cstdint>
#include <string>

#include "domain/model.hpp"

namespace daihoi::domain {

struct StaffAccount {
  std::uint32_t id = 0;
  std::string username;
  std::string displayName;
  Role role = Role::Secretary;  // chair, secretary or organizer
  std::string passwordHash;     // argon2id (libsodium crypto_pwhash_str)
};

struct Device {
  std::uint32_t id = 0;
  std::string name;            // "kiosk-1"
  Role role = Role::Kiosk;     // kiosk or display
  std::string tokenHash;       // hex SHA-256 of the device token
};

struct DelegateCredential {
  std::uint32_t delegateId = 0;
  std::string pinHash;         // argon2id; empty: no PIN issued
  std::string badgeTokenHash;  // hex SHA-256; empty: no badge token issued
  bool badgeUsed = false;      // badge tokens sign in once
};

struct StoredSession {
  std::string tokenHash;
  Principal principal;
  std::int64_t createdMs = 0;
  std::int64_t expiresMs = 0;
};

}  // namespace daihoi::domain
