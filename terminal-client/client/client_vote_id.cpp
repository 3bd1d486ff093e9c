#include "client/client_vote_id.hpp"

#include <array>

#include <openssl/rand.h>

namespace daihoi::client {

Outcome<std::string> newClientVoteId() {
  std::array<unsigned char, kClientVoteIdRandomBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return ClientError{ErrorKind::Refused, daihoi::v1::ERROR_CODE_UNSPECIFIED,
                       "no secure random numbers available for the vote id", {}, 0};
  }
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string id;
  id.reserve(random.size() * 2);
  for (unsigned char byte : random) {
    id += kHexDigits[byte >> 4];
    id += kHexDigits[byte & 0x0f];
  }
  return id;
}

}  // namespace daihoi::client
