#pragma once
// The client_vote_id of CastVote: chosen by the terminal, sent again unchanged when a vote
// is retried, so that the server records the vote once and returns the same receipt.
#include <string>

#include "client/client_error.hpp"

namespace daihoi::client {

inline constexpr std::size_t kClientVoteIdRandomBytes = 24;

// 24 bytes from OpenSSL's CSPRNG as 48 lower-case hex digits (the server accepts 16–128 bytes
// of text). Fails only when the system has no secure randomness to offer.
Outcome<std::string> newClientVoteId();

}  // namespace daihoi::client
