#include "cli/doc_upload.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

namespace daihoi::cli {

namespace v1 = daihoi::v1;
using client::ClientError;
using client::ErrorKind;

namespace {

constexpr std::uint32_t kDefaultMaxFrameBytes = 4u << 20;
constexpr std::size_t kFrameOverheadBytes = 64u << 10;  // the request's other fields, generously
// A lost chunk may still be being written when it is sent again ("busy"): give the server a moment.
constexpr std::chrono::milliseconds kBusyPause{250};

// The request went without an answer: the server may or may not have acted on it.
bool answerLost(const ClientError& error) {
  return error.kind == ErrorKind::Connection || error.kind == ErrorKind::Timeout;
}

}  // namespace

std::size_t requestPayloadBudget(std::uint32_t maxFrameBytes) {
  const std::size_t frameLimit = maxFrameBytes == 0 ? kDefaultMaxFrameBytes : maxFrameBytes;
  return frameLimit - std::min(kFrameOverheadBytes, frameLimit / 2);
}

std::size_t uploadChunkBytes(std::uint32_t maxFrameBytes) {
  return std::min(kMaxUploadChunkBytes, requestPayloadBudget(maxFrameBytes));
}

client::Outcome<std::string> newUploadId() {
  std::array<unsigned char, 16> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return ClientError{ErrorKind::Refused, v1::ERROR_CODE_UNSPECIFIED,
                       "no secure random numbers available for the upload id", {}, 0};
  }
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string id = "cli-";
  for (unsigned char byte : random) {
    id += kHexDigits[byte >> 4];
    id += kHexDigits[byte & 0x0f];
  }
  return id;
}

std::optional<std::uint64_t> continuationOffset(std::string_view message) {
  constexpr std::string_view kMarker = "continues at offset ";
  const std::size_t at = message.find(kMarker);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view rest = message.substr(at + kMarker.size());
  const std::size_t digits = std::min(rest.find_first_not_of("0123456789"), rest.size());
  if (digits == 0 || digits > 19) {
    return std::nullopt;
  }
  return std::stoull(std::string(rest.substr(0, digits)));
}

client::Outcome<std::uint64_t> uploadInChunks(std::string_view bytes, const std::string& uploadId,
                                              std::size_t chunkBytes, const ChunkSender& send) {
  const std::uint64_t total = bytes.size();
  v1::UploadChunk chunk;
  chunk.set_upload_id(uploadId);
  chunk.set_total_size(total);
  std::uint64_t received = 0;  // what the server confirmed: the next chunk's offset
  bool lost = false;           // the last request went without an answer
  ClientError lastError = client::protocolError("the server confirmed chunks without storing them");
  int fruitless = 0;           // requests in a row that moved the upload no further
  while (fruitless < kUploadAttempts) {
    chunk.set_offset(received);
    chunk.set_data(std::string(bytes.substr(received, chunkBytes)));
    auto reply = send(chunk);
    if (reply) {
      if (reply->received() > total) {
        return client::protocolError("the server confirmed " + std::to_string(reply->received()) +
                                     " bytes of a file of " + std::to_string(total));
      }
      fruitless = reply->received() > received ? 0 : fruitless + 1;
      received = reply->received();
      lost = false;
      if (received == total) {
        return received;
      }
      continue;
    }
    ++fruitless;
    lastError = reply.error();
    if (answerLost(lastError)) {
      lost = true;  // sent again at `received` once the session has resumed
      continue;
    }
    if (auto offset = continuationOffset(lastError.message);
        offset && lastError.isServer(v1::ERROR_FAILED_PRECONDITION) && *offset <= total) {
      received = *offset;  // the lost chunk was stored after all
      if (received == total) {
        return received;
      }
      continue;
    }
    if (lost && lastError.isServer(v1::ERROR_FAILED_PRECONDITION)) {
      std::this_thread::sleep_for(kBusyPause);  // the lost chunk is still being written
      continue;
    }
    if (lost && lastError.isServer(v1::ERROR_NOT_FOUND)) {
      received = 0;  // the server restarted meanwhile and forgot the upload: from the start
      continue;
    }
    return lastError;
  }
  return lastError;
}

}  // namespace daihoi::cli
