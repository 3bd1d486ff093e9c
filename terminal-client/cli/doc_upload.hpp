#pragma once
// How `doc add` and `doc update` send a file: UploadChunk requests in order, each within the
// server's limits, going on where the server says after a dropped connection.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "client/client_error.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

inline constexpr std::size_t kMaxUploadChunkBytes = 1u << 20;  // the protocol's limit per chunk
inline constexpr int kUploadAttempts = 4;  // requests in a row that move the upload no further before giving up

// The payload one request may carry: the server's frame limit (HelloReply.max_frame_bytes; 0 when
// not announced, then the protocol's default of 4 MiB) less room for the message's other fields.
std::size_t requestPayloadBudget(std::uint32_t maxFrameBytes);
// The size of an upload chunk: 1 MiB, or less when the server's frames are small.
std::size_t uploadChunkBytes(std::uint32_t maxFrameBytes);

// A fresh upload_id: "cli-" and 32 hex digits from OpenSSL's CSPRNG (the server takes 8–64 of
// A-Z a-z 0-9 - _). Fails only when the system has no secure randomness to offer.
client::Outcome<std::string> newUploadId();

// Where the server says an upload continues ("… continues at offset N", its answer to a chunk
// at another offset than the bytes it has), if the message says so.
std::optional<std::uint64_t> continuationOffset(std::string_view message);

// Sends one chunk and waits for its answer (HallClient::call in the CLI, a fake in tests).
using ChunkSender = std::function<client::Outcome<daihoi::v1::UploadReply>(const daihoi::v1::UploadChunk&)>;

// Sends `bytes` as upload `uploadId` in chunks of at most `chunkBytes`, in order, each announcing
// the total size; returns the bytes the server holds (all of them) or the error that stopped it.
// A chunk whose answer was lost with the connection (the client resumes the session by itself) is
// sent again at the offset last confirmed; if the server had stored it after all, it names where
// the upload continues and it goes on from there. An empty file is one empty chunk, which the
// server refuses (ERROR_INVALID_DOCUMENT) like every other bad file.
client::Outcome<std::uint64_t> uploadInChunks(std::string_view bytes, const std::string& uploadId,
                                              std::size_t chunkBytes, const ChunkSender& send);

}  // namespace daihoi::cli
