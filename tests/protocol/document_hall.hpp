#pragma once
// The hall with a real SQLite store, archive reader and document worker, and
// what document tests do with it: upload, add, update, list, read.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "hall_fixture.hpp"
#include "store/file_area.hpp"

namespace daihoi::testing {

inline const std::string kDraftV1 =
    "Chương I. NHỮNG QUY ĐỊNH CHUNG\n\n"
    "Điều 1. Phạm vi điều chỉnh\n\n"
    "Nghị quyết này quy định phương hướng phát triển kinh tế - xã hội của Đảng bộ tỉnh nhiệm kỳ 2025-2030.\n\n"
    "Điều 2. Mục tiêu\n\n"
    "Xây dựng Đảng bộ trong sạch, vững mạnh; phát huy sức mạnh đại đoàn kết toàn dân tộc.\n\n"
    "Tăng trưởng kinh tế bình quân 7 phần trăm mỗi năm.\n";

// Version 2: one paragraph edited, one added, one removed.
inline const std::string kDraftV2 =
    "Chương I. NHỮNG QUY ĐỊNH CHUNG\n\n"
    "Điều 1. Phạm vi điều chỉnh\n\n"
    "Nghị quyết này quy định phương hướng phát triển kinh tế - xã hội và quốc phòng của Đảng bộ tỉnh nhiệm kỳ "
    "2025-2030.\n\n"
    "Điều 2. Mục tiêu\n\n"
    "Xây dựng Đảng bộ trong sạch, vững mạnh; phát huy sức mạnh đại đoàn kết toàn dân tộc.\n\n"
    "Chuyển đổi số toàn diện trong các cơ quan Đảng và chính quyền.\n";

struct DocumentHall : HallFixture {
  DocumentHall() {
    options.documents.maxChunkBytes = 256;  // several chunks even for small files
    options.documents.maxDocumentBytes = 200'000;
    restart();
  }

  v1::Response call(FakeTerminal& t, v1::ClientMessage message) {
    const auto id = t.send(std::move(message));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!t.responseTo(id) && std::chrono::steady_clock::now() < deadline) {
      ioc.restart();
      ioc.run_for(std::chrono::milliseconds(2));
    }
    auto response = t.responseTo(id);
    REQUIRE(response.has_value());
    return *response;
  }

  // Sends `bytes` in chunks; returns the last reply (an error stops it).
  v1::Response upload(FakeTerminal& t, const std::string& uploadId, const std::string& bytes) {
    const std::size_t chunk = hall->documentDesk().options().maxChunkBytes;
    v1::Response last;
    std::size_t offset = 0;
    do {
      v1::ClientMessage m;
      auto& in = *m.mutable_upload_chunk();
      in.set_upload_id(uploadId);
      in.set_offset(offset);
      in.set_total_size(bytes.size());
      in.set_data(bytes.substr(offset, chunk));
      last = call(t, m);
      if (last.has_error()) return last;
      offset += chunk;
    } while (offset < bytes.size());
    return last;
  }

  v1::Response add(FakeTerminal& t, const std::string& bytes, const std::string& fileName,
                   const v1::DocumentAudience& audience, const std::string& title = "Dự thảo Nghị quyết Đại hội",
                   v1::DocumentKind kind = v1::DOCUMENT_KIND_DRAFT_RESOLUTION) {
    const std::string uploadId = "up-" + toHex(randomBytes(6));
    auto uploaded = upload(t, uploadId, bytes);
    if (uploaded.has_error()) return uploaded;
    v1::ClientMessage m;
    auto& in = *m.mutable_add_document();
    in.set_upload_id(uploadId);
    in.set_file_name(fileName);
    in.set_title(title);
    in.set_kind(kind);
    *in.mutable_audience() = audience;
    in.set_note("Bản dự thảo lần 1");
    return call(t, m);
  }

  v1::Response update(FakeTerminal& t, std::uint32_t documentId, const std::string& bytes, const std::string& note) {
    const std::string uploadId = "up-" + toHex(randomBytes(6));
    auto uploaded = upload(t, uploadId, bytes);
    if (uploaded.has_error()) return uploaded;
    v1::ClientMessage m;
    auto& in = *m.mutable_update_document();
    in.set_document_id(documentId);
    in.set_upload_id(uploadId);
    in.set_file_name("du-thao-v2.md");
    in.set_note(note);
    return call(t, m);
  }

  v1::Response list(FakeTerminal& t) {
    v1::ClientMessage m;
    m.mutable_list_documents();
    return call(t, m);
  }

  v1::Response version(FakeTerminal& t, std::uint32_t documentId, std::uint32_t number) {
    v1::ClientMessage m;
    m.mutable_get_document_version()->set_document_id(documentId);
    m.mutable_get_document_version()->set_version(number);
    return call(t, m);
  }

  std::vector<v1::DocumentPublished> published(const FakeTerminal& t) const {
    std::vector<v1::DocumentPublished> out;
    for (const auto& event : t.events()) {
      if (event.has_document_published()) out.push_back(event.document_published());
    }
    return out;
  }

  // Files in the file area (versions and their gzip variants), uploads excluded.
  std::size_t storedFiles() const {
    std::size_t count = 0;
    const store::FileArea area(dbPath);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(area.root())) {
      const auto parent = entry.path().parent_path().filename().string();
      if (entry.is_regular_file() && parent.size() == 2) ++count;
    }
    return count;
  }

  const domain::Delegate& delegateOf(std::uint32_t delegationId, bool other = false) const {
    for (const auto& d : delegates) {
      if ((d.delegationId == delegationId) != other) return d;
    }
    FAIL("no such delegate");
    return delegates.front();
  }
};

inline v1::DocumentAudience everyone() {
  v1::DocumentAudience audience;
  audience.set_everyone(true);
  return audience;
}

}  // namespace daihoi::testing
