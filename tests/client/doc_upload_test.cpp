// How doc add/update cut a file into UploadChunk requests and go on after a lost answer,
// against a fake of the server's upload rules (docs/PROTOCOL.md, UploadChunk).
#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/doc_upload.hpp"

using namespace daihoi::cli;
namespace v1 = daihoi::v1;
using daihoi::client::ClientError;
using daihoi::client::Outcome;

namespace {

ClientError serverError(v1::ErrorCode code, std::string message) {
  v1::Error error;
  error.set_code(code);
  error.set_message(std::move(message));
  return daihoi::client::fromServerError(error);
}

// One upload as the server keeps it, with its rules: offset 0 (re)starts it and announces the
// size; any other offset must be what it has received.
class FakeUploadDesk {
 public:
  explicit FakeUploadDesk(std::uint64_t maxTotal = 50u << 20) : maxTotal_(maxTotal) {}

  Outcome<v1::UploadReply> receive(const v1::UploadChunk& chunk) {
    chunks.push_back(chunk);
    if (chunk.data().size() > kMaxUploadChunkBytes) {
      return serverError(v1::ERROR_INVALID_ARGUMENT, "a chunk may hold at most 1048576 bytes");
    }
    if (chunk.offset() == 0) {
      if (chunk.total_size() == 0) {
        return serverError(v1::ERROR_INVALID_DOCUMENT, "Tệp rỗng / the file is empty");
      }
      if (chunk.total_size() > maxTotal_) {
        return serverError(v1::ERROR_TOO_LARGE, "Tệp quá lớn / the file is above the limit");
      }
      stored.clear();
      started = true;
    } else if (!started) {
      return serverError(v1::ERROR_NOT_FOUND, "no upload '" + chunk.upload_id() + "': start it at offset 0");
    } else if (chunk.offset() != stored.size()) {
      return serverError(v1::ERROR_FAILED_PRECONDITION, "upload '" + chunk.upload_id() + "' continues at offset " +
                                                            std::to_string(stored.size()));
    }
    stored += chunk.data();
    v1::UploadReply reply;
    reply.set_upload_id(chunk.upload_id());
    reply.set_received(stored.size());
    return reply;
  }

  std::string stored;
  bool started = false;
  std::vector<v1::UploadChunk> chunks;  // every chunk that reached the desk

 private:
  std::uint64_t maxTotal_;
};

std::string sampleFile(std::size_t size) {
  const std::string line = "Đại hội Đảng bộ tỉnh lần thứ XV, nhiệm kỳ 2025–2030.\n";
  std::string bytes;
  while (bytes.size() < size) bytes += line;
  bytes.resize(size);
  return bytes;
}

}  // namespace

TEST_CASE("chunks are at most 1 MiB and fit in the server's frames with room for the rest of the request") {
  CHECK(requestPayloadBudget(0) == (4u << 20) - (64u << 10));  // not announced: the protocol's 4 MiB
  CHECK(requestPayloadBudget(4u << 20) == (4u << 20) - (64u << 10));
  CHECK(requestPayloadBudget(65536) == 32768);  // a small frame keeps half for the rest
  CHECK(uploadChunkBytes(0) == kMaxUploadChunkBytes);
  CHECK(uploadChunkBytes(16u << 20) == kMaxUploadChunkBytes);
  CHECK(uploadChunkBytes(65536) == 32768);
  CHECK(uploadChunkBytes(1u << 20) == (1u << 20) - (64u << 10));
}

TEST_CASE("upload ids are fresh and of the characters the server takes") {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto id = newUploadId();
    REQUIRE(id.ok());
    CHECK(id->size() >= 16);
    CHECK(id->size() <= 64);
    const std::string allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    CHECK(id->find_first_not_of(allowed) == std::string::npos);
    seen.insert(*id);
  }
  CHECK(seen.size() == 20);
}

TEST_CASE("the server's \"continues at offset N\"") {
  CHECK(continuationOffset("upload 'cli-1' continues at offset 65536") == 65536u);
  CHECK(continuationOffset("continues at offset 0: start again") == 0u);
  CHECK_FALSE(continuationOffset("upload 'cli-1' is busy: wait for the last answer").has_value());
  CHECK_FALSE(continuationOffset("continues at offset ").has_value());
  CHECK_FALSE(continuationOffset("continues at offset 99999999999999999999999").has_value());
}

TEST_CASE("a file goes up in order: every chunk at the offset confirmed, with the total size") {
  FakeUploadDesk desk;
  const std::string file = sampleFile(100'000);
  auto uploaded = uploadInChunks(file, "cli-test-upload-1", 32768,
                                 [&](const v1::UploadChunk& chunk) { return desk.receive(chunk); });
  REQUIRE_MESSAGE(uploaded.ok(), uploaded.error().message);
  CHECK(*uploaded == file.size());
  CHECK(desk.stored == file);
  REQUIRE(desk.chunks.size() == 4);  // 3 × 32 KiB and the rest
  for (std::size_t i = 0; i < desk.chunks.size(); ++i) {
    CAPTURE(i);
    CHECK(desk.chunks[i].upload_id() == "cli-test-upload-1");
    CHECK(desk.chunks[i].offset() == i * 32768);
    CHECK(desk.chunks[i].total_size() == file.size());
  }
  CHECK(desk.chunks.back().data().size() == 100'000 - 3 * 32768);

  FakeUploadDesk small;
  auto one = uploadInChunks("# Một dòng\n", "cli-test-upload-2", kMaxUploadChunkBytes,
                            [&](const v1::UploadChunk& chunk) { return small.receive(chunk); });
  REQUIRE(one.ok());
  CHECK(small.chunks.size() == 1);
  CHECK(small.stored == "# Một dòng\n");
}

TEST_CASE("an answer lost after the server stored the chunk: sent again, the server says where to go on") {
  FakeUploadDesk desk;
  const std::string file = sampleFile(100'000);
  int requests = 0;
  auto uploaded = uploadInChunks(file, "cli-test-upload-3", 32768, [&](const v1::UploadChunk& chunk) {
    auto reply = desk.receive(chunk);
    if (++requests == 2) {
      return Outcome<v1::UploadReply>(daihoi::client::connectionError("connection lost"));  // stored, answer lost
    }
    return reply;
  });
  REQUIRE_MESSAGE(uploaded.ok(), uploaded.error().message);
  CHECK(desk.stored == file);
  // 0, 32768 (answer lost), 32768 again ("continues at offset 65536"), 65536, 98304
  REQUIRE(desk.chunks.size() == 5);
  CHECK(desk.chunks[2].offset() == 32768);
  CHECK(desk.chunks[3].offset() == 65536);
  CHECK(desk.chunks[4].offset() == 98304);
}

TEST_CASE("a chunk lost before the server saw it is sent again; so is the first, which restarts the upload") {
  FakeUploadDesk desk;
  const std::string file = sampleFile(70'000);
  int requests = 0;
  auto uploaded = uploadInChunks(file, "cli-test-upload-4", 32768, [&](const v1::UploadChunk& chunk) {
    ++requests;
    if (requests == 1 || requests == 3) {
      return Outcome<v1::UploadReply>(daihoi::client::timeoutError("no answer"));
    }
    return desk.receive(chunk);
  });
  REQUIRE_MESSAGE(uploaded.ok(), uploaded.error().message);
  CHECK(desk.stored == file);
  CHECK(requests == 5);
}

TEST_CASE("a chunk whose answer was lost on the last piece: the server has it all") {
  FakeUploadDesk desk;
  const std::string file = sampleFile(40'000);
  int requests = 0;
  auto uploaded = uploadInChunks(file, "cli-test-upload-5", 32768, [&](const v1::UploadChunk& chunk) {
    auto reply = desk.receive(chunk);
    if (++requests == 2) {
      return Outcome<v1::UploadReply>(daihoi::client::connectionError("connection lost"));
    }
    return reply;
  });
  REQUIRE_MESSAGE(uploaded.ok(), uploaded.error().message);
  CHECK(*uploaded == 40'000u);
  CHECK(desk.stored == file);
  CHECK(requests == 3);  // the last chunk sent again, answered "continues at offset 40000"
}

TEST_CASE("after a lost answer a server that forgot the upload (a restart) gets it again from the start") {
  FakeUploadDesk desk;
  const std::string file = sampleFile(70'000);
  int requests = 0;
  auto uploaded = uploadInChunks(file, "cli-test-upload-6", 32768, [&](const v1::UploadChunk& chunk) {
    if (++requests == 2) {
      desk.started = false;  // the server restarted and swept its unfinished uploads
      desk.stored.clear();
      return Outcome<v1::UploadReply>(daihoi::client::connectionError("connection lost"));
    }
    return desk.receive(chunk);
  });
  REQUIRE_MESSAGE(uploaded.ok(), uploaded.error().message);
  CHECK(desk.stored == file);
  CHECK(desk.chunks[1].offset() == 32768);  // NOT_FOUND
  CHECK(desk.chunks[2].offset() == 0);
}

TEST_CASE("a refused file stops at once with the server's error; an empty file is one empty chunk") {
  FakeUploadDesk desk;
  auto empty = uploadInChunks("", "cli-test-upload-7", kMaxUploadChunkBytes,
                              [&](const v1::UploadChunk& chunk) { return desk.receive(chunk); });
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().isServer(v1::ERROR_INVALID_DOCUMENT));
  REQUIRE(desk.chunks.size() == 1);
  CHECK(desk.chunks[0].total_size() == 0);
  CHECK(desk.chunks[0].data().empty());

  FakeUploadDesk limited(1000);
  auto large = uploadInChunks(sampleFile(5000), "cli-test-upload-8", kMaxUploadChunkBytes,
                              [&](const v1::UploadChunk& chunk) { return limited.receive(chunk); });
  REQUIRE_FALSE(large.ok());
  CHECK(large.error().isServer(v1::ERROR_TOO_LARGE));
  CHECK(limited.chunks.size() == 1);

  // A refusal that is not about a lost chunk is not retried.
  const std::string tooMany = "this account has 4 uploads in progress already: finish one first";
  int calls = 0;
  auto refused = uploadInChunks(sampleFile(100), "cli-test-upload-9", kMaxUploadChunkBytes,
                                [&](const v1::UploadChunk&) -> Outcome<v1::UploadReply> {
                                  ++calls;
                                  return serverError(v1::ERROR_FAILED_PRECONDITION, tooMany);
                                });
  REQUIRE_FALSE(refused.ok());
  CHECK(calls == 1);
  CHECK(refused.error().message == tooMany);
}

TEST_CASE("a connection that keeps failing: given up after a few attempts, with the connection error") {
  int calls = 0;
  auto uploaded = uploadInChunks(sampleFile(1000), "cli-test-upload-10", kMaxUploadChunkBytes,
                                 [&](const v1::UploadChunk&) -> Outcome<v1::UploadReply> {
                                   ++calls;
                                   return daihoi::client::connectionError("connection refused");
                                 });
  REQUIRE_FALSE(uploaded.ok());
  CHECK(uploaded.error().kind == daihoi::client::ErrorKind::Connection);
  CHECK(calls == kUploadAttempts);

  // A server confirming more than the file holds is not believed.
  auto wrong = uploadInChunks(sampleFile(10), "cli-test-upload-11", kMaxUploadChunkBytes,
                              [&](const v1::UploadChunk&) -> Outcome<v1::UploadReply> {
                                v1::UploadReply reply;
                                reply.set_received(11);
                                return reply;
                              });
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().kind == daihoi::client::ErrorKind::Protocol);
}
