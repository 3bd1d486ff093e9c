// Documents against the real hall-server: a version published over the
// WebSocket reaches the terminals, which fetch its file over HTTP with their
// session token (ETag, Range, gzip); a new version and its diff; audiences.
#include <doctest/doctest.h>
#include <zlib.h>

#include <mutex>
#include <thread>

#include "clients.hpp"
#include "common/bytes.hpp"
#include "raw_socket.hpp"

namespace daihoi::testing {
namespace {

const std::string kDraft =
    "# Dự thảo Nghị quyết Đại hội\n\n"
    "## Điều 1. Phương hướng\n\n"
    "Đại hội Đảng bộ tỉnh lần thứ XV xác định phương hướng phát triển nhanh và bền vững trong nhiệm kỳ "
    "2025-2030, lấy con người làm trung tâm.\n\n"
    "## Điều 2. Nhiệm vụ\n\n"
    "Đẩy mạnh chuyển đổi số, phát triển kinh tế xanh và kinh tế tuần hoàn.\n";

struct HttpReply {
  int status = 0;
  std::string headers;
  std::string body;
  bool has(const std::string& header) const { return headers.find(header) != std::string::npos; }
};

HttpReply get(const ServerProcess& server, const std::string& path, const std::string& extraHeaders) {
  const std::string raw = RawWebSocket::httpRequest(
      server.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders + "\r\n");
  HttpReply reply;
  const auto end = raw.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  reply.status = std::stoi(raw.substr(9, 3));
  reply.headers = raw.substr(0, end + 2);
  reply.body = raw.substr(end + 4);
  return reply;
}

std::string gunzip(const std::string& compressed) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  CHECK(rc == Z_STREAM_END);
  return out;
}

// Uploads `bytes` in chunks and adds (documentId 0) or updates the document.
v1::DocumentReply publish(client::HallClient& staff, const std::string& bytes, const std::string& fileName,
                          std::uint32_t documentId, const v1::DocumentAudience& audience) {
  const std::string uploadId = "it-" + toHex(randomBytes(8));
  constexpr std::size_t kChunk = 100;
  for (std::size_t offset = 0; offset < bytes.size(); offset += kChunk) {
    v1::ClientMessage chunk;
    chunk.mutable_upload_chunk()->set_upload_id(uploadId);
    chunk.mutable_upload_chunk()->set_offset(offset);
    chunk.mutable_upload_chunk()->set_total_size(bytes.size());
    chunk.mutable_upload_chunk()->set_data(bytes.substr(offset, kChunk));
    auto sent = staff.call(chunk);
    REQUIRE_MESSAGE(sent.ok(), sent.error().message);
  }
  v1::ClientMessage message;
  if (documentId == 0) {
    auto& add = *message.mutable_add_document();
    add.set_upload_id(uploadId);
    add.set_file_name(fileName);
    add.set_title("Dự thảo Nghị quyết Đại hội");
    add.set_kind(v1::DOCUMENT_KIND_DRAFT_RESOLUTION);
    *add.mutable_audience() = audience;
  } else {
    auto& update = *message.mutable_update_document();
    update.set_document_id(documentId);
    update.set_upload_id(uploadId);
    update.set_file_name(fileName);
    update.set_note("Tiếp thu ý kiến thảo luận tổ");
  }
  auto reply = staff.call(message);
  REQUIRE_MESSAGE(reply.ok(), reply.error().message);
  return reply->document();
}

// Collects the DocumentPublished events a client receives.
class Published {
 public:
  explicit Published(client::HallClient& client) {
    client.onEvent([this](const v1::Event& event) {
      if (!event.has_document_published()) return;
      std::lock_guard lock(mutex_);
      events_.push_back(event.document_published());
    });
  }
  // Waits (up to 10 s) until `count` have arrived.
  std::vector<v1::DocumentPublished> waitFor(std::size_t count) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (events_.size() >= count || std::chrono::steady_clock::now() > deadline) return events_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  mutable std::mutex mutex_;
  std::vector<v1::DocumentPublished> events_;
};

v1::DocumentAudience everyone() {
  v1::DocumentAudience audience;
  audience.set_everyone(true);
  return audience;
}

}  // namespace

TEST_CASE("a draft and its new version reach the terminals, which fetch the files by hash over HTTP") {
  ServerProcess server;
  server.start();
  auto secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
  auto delegates = signedInDelegates(server, {server.delegateCodes().front()});
  client::HallClient& delegate = *delegates.front();
  Published heard(delegate);

  const auto added = publish(*secretary, kDraft, "du-thao.md", 0, everyone());
  const std::string sha = added.document().versions(0).sha256();
  CHECK(sha == toHex(sha256(kDraft)));
  auto events = heard.waitFor(1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].document().versions(0).url() == "/documents/" + sha);

  const std::string bearer = "Authorization: Bearer " + delegate.sessionToken() + "\r\n";
  const std::string url = "/documents/" + sha;
  auto whole = get(server, url, bearer);
  CHECK(whole.status == 200);
  CHECK(whole.body == kDraft);
  CHECK(whole.has("ETag: \"" + sha + "\""));
  CHECK(whole.has("text/markdown"));
  // The hash is the ETag: a terminal that has the file hears "not modified".
  CHECK(get(server, url, bearer + "If-None-Match: \"" + sha + "\"\r\n").status == 304);
  auto range = get(server, url, bearer + "Range: bytes=2-9\r\n");
  CHECK(range.status == 206);
  CHECK(range.body == kDraft.substr(2, 8));
  CHECK(range.has("Content-Range: bytes 2-9/" + std::to_string(kDraft.size())));
  auto compressed = get(server, url, bearer + "Accept-Encoding: gzip\r\n");
  CHECK(compressed.status == 200);
  CHECK(compressed.has("Content-Encoding: gzip"));
  CHECK(gunzip(compressed.body) == kDraft);
  // Without a valid session token: nothing.
  CHECK(get(server, url, "").status == 401);
  CHECK(get(server, url, "Authorization: Bearer not-a-session\r\n").status == 401);
  CHECK(get(server, "/documents/" + std::string(64, 'a'), bearer).status == 404);

  // A new version: the terminal hears of it, fetches it and asks what changed.
  std::string revised = kDraft;
  revised.replace(revised.find("kinh tế xanh"), std::string("kinh tế xanh").size(), "kinh tế số, kinh tế xanh");
  const auto updated = publish(*secretary, revised, "du-thao-2.md", added.document().id(), {});
  CHECK(updated.version() == 2);
  events = heard.waitFor(2);
  REQUIRE(events.size() == 2);
  const std::string sha2 = events[1].document().versions(1).sha256();
  CHECK(get(server, "/documents/" + sha2, bearer).body == revised);
  v1::ClientMessage diff;
  diff.mutable_get_document_diff()->set_document_id(added.document().id());
  auto changes = delegate.call(diff);
  REQUIRE_MESSAGE(changes.ok(), changes.error().message);
  CHECK(changes->document_diff().changed() == 1);
  CHECK(changes->document_diff().added() == 0);
  CHECK(changes->document_diff().removed() == 0);
  // The older version stays readable: versions are immutable.
  CHECK(get(server, url, bearer).body == kDraft);
}

TEST_CASE("a document for one delegation: the others neither hear of it nor fetch it") {
  ServerProcess server;
  server.start();
  auto secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
  v1::ClientMessage roster;
  roster.mutable_get_roster();
  auto delegatesOnRoster = secretary->call(roster);
  REQUIRE(delegatesOnRoster.ok());
  const auto& all = delegatesOnRoster->roster().delegates();
  const v1::Delegate& inside = all.Get(0);
  const v1::Delegate* outside = nullptr;
  for (const auto& d : all) {
    if (d.delegation_id() != inside.delegation_id()) outside = &d;
  }
  REQUIRE(outside != nullptr);
  auto readers = signedInDelegates(server, {inside.code(), outside->code()});
  Published insideHeard(*readers[0]);
  Published outsideHeard(*readers[1]);
  v1::DocumentAudience audience;
  audience.add_delegation_ids(inside.delegation_id());
  const auto added = publish(*secretary, kDraft, "rieng.md", 0, audience);
  const std::string url = "/documents/" + added.document().versions(0).sha256();
  CHECK(insideHeard.waitFor(1).size() == 1);
  CHECK(get(server, url, "Authorization: Bearer " + readers[0]->sessionToken() + "\r\n").status == 200);
  CHECK(get(server, url, "Authorization: Bearer " + readers[1]->sessionToken() + "\r\n").status == 404);
  CHECK(outsideHeard.waitFor(1).empty());
}

}  // namespace daihoi::testing
