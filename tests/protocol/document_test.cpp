// Documents through the real hall, SQLite store, archive reader and document
// worker: uploads, versions, audiences, diffs, bad input.
#include <doctest/doctest.h>

#include <filesystem>

#include "common/bytes.hpp"
#include "document_hall.hpp"
#include "pdf_writer.hpp"
#include "protocol/document_wire.hpp"
#include "store/file_area.hpp"

namespace daihoi::testing {
namespace {

using domain::Role;

}  // namespace

TEST_CASE_FIXTURE(DocumentHall, "publish a draft and a new version: events, list, paragraphs, stable ids, diff") {
  auto secretary = signedIn(Role::Secretary);
  auto delegate = signedInDelegate(delegates.front().code);
  auto added = add(*secretary, kDraftV1, "du-thao.md", everyone());
  REQUIRE_MESSAGE(added.has_document(), added.DebugString());
  const auto& document = added.document().document();
  CHECK(document.title() == "Dự thảo Nghị quyết Đại hội");
  REQUIRE(document.versions_size() == 1);
  const auto& v1 = document.versions(0);
  CHECK(v1.sha256() == toHex(sha256(kDraftV1)));
  CHECK(v1.format() == v1::DOCUMENT_FORMAT_MARKDOWN);
  CHECK(v1.paragraphs() == 6);
  CHECK(v1.url() == "/documents/" + v1.sha256());
  CHECK(v1.added_by().login() == secretary->connection->principal()->login);

  // The delegate's terminal hears of it at once, and the file is in place.
  auto events = published(*delegate);
  REQUIRE(events.size() == 1);
  CHECK(events[0].version() == 1);
  CHECK(events[0].document().id() == document.id());
  const store::FileArea area(dbPath);
  CHECK(std::filesystem::file_size(area.pathOf(v1.sha256())) == kDraftV1.size());
  CHECK(std::filesystem::exists(area.gzipPathOf(v1.sha256())));
  CHECK(list(*delegate).documents().documents_size() == 1);

  auto text1 = version(*delegate, document.id(), 1).document_version();
  REQUIRE(text1.paragraphs_size() == 6);
  CHECK(text1.paragraphs(0).heading_level() > 0);
  CHECK(text1.paragraphs(2).section() == "Điều 1. Phạm vi điều chỉnh");
  CHECK(text1.paragraphs(2).text().find("Đảng bộ tỉnh") != std::string::npos);

  auto updated = update(*secretary, document.id(), kDraftV2, "Tiếp thu ý kiến các tổ");
  REQUIRE_MESSAGE(updated.has_document(), updated.DebugString());
  CHECK(updated.document().version() == 2);
  events = published(*delegate);
  REQUIRE(events.size() == 2);
  CHECK(events[1].version() == 2);
  CHECK(events[1].document().versions(1).note() == "Tiếp thu ý kiến các tổ");

  // Ids stay where the passage stays: the unchanged and the edited paragraph keep theirs.
  auto text2 = version(*delegate, document.id(), 0).document_version();
  CHECK(text2.version().number() == 2);
  REQUIRE(text2.paragraphs_size() == 6);
  CHECK(text2.paragraphs(1).id() == text1.paragraphs(1).id());
  CHECK(text2.paragraphs(2).id() == text1.paragraphs(2).id());  // edited in place
  CHECK(text2.paragraphs(4).id() == text1.paragraphs(4).id());

  v1::ClientMessage diff;
  diff.mutable_get_document_diff()->set_document_id(document.id());
  auto changes = call(*delegate, diff).document_diff();
  CHECK(changes.from_version() == 1);
  CHECK(changes.to_version() == 2);
  CHECK(changes.changed() == 1);
  CHECK(changes.added() == 1);
  CHECK(changes.removed() == 1);
  CHECK(changes.unchanged() == 4);
  bool sawInsertedWords = false;
  for (const auto& change : changes.changes()) {
    if (change.kind() != v1::ParagraphChange::KIND_CHANGED) continue;
    std::string newer;
    for (const auto& word : change.words()) {
      if (word.op() != v1::WordEdit::OP_DELETE) newer += word.text();
      if (word.op() == v1::WordEdit::OP_INSERT && word.text().find("quốc phòng") != std::string::npos) {
        sawInsertedWords = true;
      }
    }
    CHECK(newer == change.newer().text());
  }
  CHECK(sawInsertedWords);

  // The same file again is no new version.
  auto same = update(*secretary, document.id(), kDraftV2, "lần nữa");
  CHECK(same.error().code() == v1::ERROR_FAILED_PRECONDITION);

  // All of it survives a restart.
  delegate.reset();
  secretary.reset();
  restart();
  auto again = signedInDelegate(delegates.front().code);
  auto listed = list(*again).documents();
  REQUIRE(listed.documents_size() == 1);
  CHECK(listed.documents(0).versions_size() == 2);
  CHECK(version(*again, document.id(), 2).document_version().paragraphs(2).id() == text1.paragraphs(2).id());
}

TEST_CASE_FIXTURE(DocumentHall, "a document for some delegations reaches only them, and nobody else can read it") {
  auto organizer = signedIn(Role::Organizer);
  const domain::Delegate& inside = delegates.front();
  const domain::Delegate& outside = delegateOf(inside.delegationId, true);
  auto reader = signedInDelegate(inside.code);
  auto stranger = signedInDelegate(outside.code);
  auto chair = signedIn(Role::Chair);
  v1::DocumentAudience audience;
  audience.add_delegation_ids(inside.delegationId);
  auto added = add(*organizer, kDraftV1, "tai-lieu-mat.txt", audience, "Danh sách nhân sự dự kiến");
  REQUIRE_MESSAGE(added.has_document(), added.DebugString());
  const std::uint32_t id = added.document().document().id();
  CHECK(published(*reader).size() == 1);
  CHECK(published(*stranger).empty());
  CHECK(published(*chair).empty());
  CHECK(list(*reader).documents().documents_size() == 1);
  CHECK(list(*stranger).documents().documents_size() == 0);
  CHECK(version(*stranger, id, 1).error().code() == v1::ERROR_NOT_FOUND);
  CHECK(version(*chair, id, 1).error().code() == v1::ERROR_NOT_FOUND);
  CHECK(version(*reader, id, 1).has_document_version());
  // Catching up after a restart, the snapshot lists it for the reader only.
  reader.reset();
  stranger.reset();
  chair.reset();
  organizer.reset();
  restart();
  auto t = terminal();
  t->send(hello());
  v1::SignIn signIn;
  signIn.mutable_delegate_pin()->set_code(inside.code);
  signIn.mutable_delegate_pin()->set_pin(delegatePins.at(inside.code));
  auto snapshot = call(*t, signInMessage(signIn)).sign_in().snapshot();
  CHECK(snapshot.documents_size() == 1);
}

TEST_CASE_FIXTURE(DocumentHall, "a PDF's text becomes paragraphs; its pages are counted") {
  auto secretary = signedIn(Role::Secretary);
  const auto pdf = writePdf({{"Chương II. NHIỆM VỤ VÀ GIẢI PHÁP", PdfParagraph::Style::Heading},
                             {"Đẩy mạnh công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ."},
                             {"Phát triển kinh tế nhanh và bền vững, lấy khoa học công nghệ làm động lực."}},
                            PdfWriterOptions{"Báo cáo chính trị"});
  auto added = add(*secretary, pdf.bytes, "bao-cao.pdf", everyone(), "Báo cáo chính trị");
  REQUIRE_MESSAGE(added.has_document(), added.DebugString());
  const auto& version1 = added.document().document().versions(0);
  CHECK(version1.format() == v1::DOCUMENT_FORMAT_PDF);
  CHECK(version1.pages() == 1);
  auto text = version(*secretary, added.document().document().id(), 1).document_version();
  REQUIRE(text.paragraphs_size() == 3);
  CHECK(text.paragraphs(1).text() ==
        "Đẩy mạnh công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ.");
  CHECK(text.paragraphs(1).page() == 1);
  // PDFs are stored as they are, without a gzip variant.
  CHECK_FALSE(std::filesystem::exists(store::FileArea(dbPath).gzipPathOf(version1.sha256())));
}

TEST_CASE_FIXTURE(DocumentHall, "bad input: a clear error, and nothing of it becomes visible") {
  auto secretary = signedIn(Role::Secretary);
  auto delegate = signedInDelegate(delegates.front().code);
  const auto realPdf = writePdf({{"Nội dung thật của một tài liệu PDF."}}).bytes;
  struct Case {
    std::string what;
    std::string bytes;
    std::string fileName;
    v1::ErrorCode code;
    const char* mention;
  };
  const std::vector<Case> cases = {
      {"a text file named .pdf", "Đây không phải PDF", "gia-mao.pdf", v1::ERROR_INVALID_DOCUMENT, "not a PDF"},
      {"a corrupt PDF", "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "hong.pdf", v1::ERROR_INVALID_DOCUMENT,
       "PDF"},
      {"a truncated PDF", realPdf.substr(0, realPdf.size() / 3), "cut.pdf", v1::ERROR_INVALID_DOCUMENT, "PDF"},
      {"invalid UTF-8", "Đại hội \xC3\x28 Đảng bộ", "loi.txt", v1::ERROR_INVALID_DOCUMENT, "UTF-8"},
      {"only white space", " \n\n \t \n", "trang.txt", v1::ERROR_INVALID_DOCUMENT, "no text"},
      {"a Word file", "PK\x03\x04 word/document.xml", "du-thao.docx", v1::ERROR_INVALID_DOCUMENT, ".docx"},
      {"above the size limit", std::string(200'001, 'a'), "lon.txt", v1::ERROR_TOO_LARGE, "limit"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    auto refused = add(*secretary, c.bytes, c.fileName, everyone());
    REQUIRE(refused.has_error());
    CHECK(refused.error().code() == c.code);
    CHECK_MESSAGE(refused.error().message().find(c.mention) != std::string::npos, refused.error().message());
  }
  // An empty file is refused at its first chunk.
  v1::ClientMessage empty;
  empty.mutable_upload_chunk()->set_upload_id("empty-file-1");
  CHECK(call(*secretary, empty).error().code() == v1::ERROR_INVALID_DOCUMENT);
  CHECK(list(*secretary).documents().documents_size() == 0);
  CHECK(published(*delegate).empty());
  CHECK(storedFiles() == 0);
}

TEST_CASE_FIXTURE(DocumentHall, "uploads: in order, per account, complete before use") {
  auto secretary = signedIn(Role::Secretary);
  auto organizer = signedIn(Role::Organizer);
  v1::ClientMessage first;
  auto& chunk = *first.mutable_upload_chunk();
  chunk.set_upload_id("upload-0001");
  chunk.set_total_size(100);
  chunk.set_data(std::string(40, 'x'));
  CHECK(call(*secretary, first).upload().received() == 40);
  // A gap or a repeat is refused with where to continue.
  chunk.set_offset(60);
  auto gap = call(*secretary, first);
  CHECK(gap.error().code() == v1::ERROR_FAILED_PRECONDITION);
  CHECK(gap.error().message().find("offset 40") != std::string::npos);
  // More than the announced size.
  chunk.set_offset(40);
  chunk.set_data(std::string(61, 'x'));
  CHECK(call(*secretary, first).error().code() == v1::ERROR_INVALID_ARGUMENT);
  // A chunk above the limit.
  chunk.set_data(std::string(65, 'x'));
  CHECK(call(*secretary, first).error().code() == v1::ERROR_INVALID_ARGUMENT);
  // Not complete yet.
  v1::ClientMessage addIt;
  auto& in = *addIt.mutable_add_document();
  in.set_upload_id("upload-0001");
  in.set_file_name("a.txt");
  in.set_title("Tài liệu");
  in.set_kind(v1::DOCUMENT_KIND_OTHER);
  in.mutable_audience()->set_everyone(true);
  CHECK(call(*secretary, addIt).error().code() == v1::ERROR_FAILED_PRECONDITION);
  // Another account cannot use it.
  CHECK(call(*organizer, addIt).error().code() == v1::ERROR_NOT_FOUND);
  // A bad upload id, a missing title, an empty audience.
  chunk.set_upload_id("bad id!");
  CHECK(call(*secretary, first).error().code() == v1::ERROR_INVALID_ARGUMENT);
  in.set_title("  ");
  CHECK(call(*secretary, addIt).error().code() == v1::ERROR_INVALID_ARGUMENT);
  in.set_title("Tài liệu");
  in.mutable_audience()->Clear();
  CHECK(call(*secretary, addIt).error().code() == v1::ERROR_INVALID_ARGUMENT);
  in.mutable_audience()->add_roles(static_cast<v1::Role>(42));
  CHECK(call(*secretary, addIt).error().code() == v1::ERROR_INVALID_ARGUMENT);
  in.mutable_audience()->clear_roles();
  in.mutable_audience()->add_delegation_ids(9999);
  CHECK(call(*secretary, addIt).error().code() == v1::ERROR_NOT_FOUND);
}

TEST_CASE_FIXTURE(DocumentHall, "search: without diacritics, newest versions only, highlighted, never outside the audience") {
  auto secretary = signedIn(Role::Secretary);
  const domain::Delegate& inside = delegates.front();
  const domain::Delegate& outside = delegateOf(inside.delegationId, true);
  auto reader = signedInDelegate(inside.code);
  auto stranger = signedInDelegate(outside.code);
  auto draft = add(*secretary, kDraftV1, "du-thao.md", everyone());
  REQUIRE(draft.has_document());
  v1::DocumentAudience oneDelegation;
  oneDelegation.add_delegation_ids(inside.delegationId);
  auto closed = add(*secretary, "Đại hội Đảng bộ họp kín về công tác nhân sự khóa mới.\n", "nhan-su.txt",
                    oneDelegation, "Phương án nhân sự");
  REQUIRE(closed.has_document());

  const auto search = [&](FakeTerminal& t, const std::string& query, std::vector<std::uint32_t> ids = {}) {
    v1::ClientMessage m;
    m.mutable_search_documents()->set_query(query);
    for (auto id : ids) m.mutable_search_documents()->add_document_ids(id);
    return call(t, m);
  };
  // "dang bo" finds "Đảng bộ": in the draft for everyone, and in the closed document for its delegation only.
  auto forStranger = search(*stranger, "dang bo").search();
  CHECK(forStranger.total() == 2);
  for (const auto& hit : forStranger.hits()) CHECK(hit.document_id() == draft.document().document().id());
  auto forReader = search(*reader, "DANG BO").search();
  CHECK(forReader.total() == 3);
  auto exact = search(*reader, "đại hội đảng bộ").search();
  REQUIRE(exact.total() == 1);
  const auto& hit = exact.hits(0);
  CHECK(hit.document_title() == "Phương án nhân sự");
  CHECK(hit.paragraph_number() == 1);
  CHECK(hit.version() == 1);
  // The highlights are the words as written, diacritics and all.
  std::vector<std::string> marked;
  for (const auto& range : hit.highlights()) marked.push_back(hit.snippet().substr(range.begin(), range.end() - range.begin()));
  CHECK(marked == std::vector<std::string>{"Đại", "hội", "Đảng", "bộ"});
  // Filters: one document.
  CHECK(search(*reader, "dang bo", {draft.document().document().id()}).search().total() == 2);
  // A paragraph removed by a new version is no longer found; the new text is.
  CHECK(search(*reader, "tang truong binh quan").search().total() == 1);
  REQUIRE(update(*secretary, draft.document().document().id(), kDraftV2, "bản 2").has_document());
  CHECK(search(*reader, "tang truong binh quan").search().total() == 0);
  CHECK(search(*reader, "chuyen doi so").search().total() == 1);
  // Ranking: the paragraph with the words together and more often comes first.
  auto ranked = search(*reader, "dang").search();
  REQUIRE(ranked.hits_size() >= 2);
  CHECK(ranked.hits(0).score() >= ranked.hits(1).score());
  // Nothing to search for.
  CHECK(search(*reader, " …, ").error().code() == v1::ERROR_INVALID_ARGUMENT);
}

}  // namespace daihoi::testing
