// Output of the document commands (doc add/update, list, show, diff) and their watch lines.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include "cli/doc_output.hpp"
#include "cli/output.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
namespace v1 = daihoi::v1;
using daihoi::client::StateMirror;

namespace {

constexpr std::int64_t kDec2Utc = 1'764'633'600'000;     // 2025-12-02T00:00:00Z = 07:00 in Hà Nội
constexpr std::int64_t kMorning = kDec2Utc + 3600'000;  // 08:00:00 local
constexpr std::int64_t kNextDay = kMorning + 26 * 3600'000;  // 2025-12-03 10:00:00 local

const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');

StateMirror namesMirror() {
  v1::RosterReply roster;
  auto* hanoi = roster.add_delegations();
  hanoi->set_id(1);
  hanoi->set_name("Đoàn Hà Nội");
  StateMirror mirror;
  mirror.applyRoster(roster);
  return mirror;
}

v1::Principal secretary() {
  v1::Principal p;
  p.set_role(v1::ROLE_SECRETARY);
  p.set_account_id(2);
  p.set_login("secretary");
  p.set_display_name("Thư ký Lan");
  return p;
}

v1::DocumentVersion version(std::uint32_t number, const std::string& sha, std::uint64_t size, const char* fileName,
                            const char* note, std::int64_t addedMs, std::uint32_t paragraphs) {
  v1::DocumentVersion v;
  v.set_number(number);
  v.set_sha256(sha);
  v.set_size(size);
  v.set_format(v1::DOCUMENT_FORMAT_MARKDOWN);
  v.set_file_name(fileName);
  v.set_note(note);
  v.set_added_ms(addedMs);
  *v.mutable_added_by() = secretary();
  v.set_paragraphs(paragraphs);
  v.set_url("/documents/" + sha);
  return v;
}

// The draft resolution with its first version only, or with both.
v1::DocumentSummary draft(bool revised) {
  v1::DocumentSummary document;
  document.set_id(3);
  document.set_title("Dự thảo Nghị quyết Đại hội");
  document.set_kind(v1::DOCUMENT_KIND_DRAFT_RESOLUTION);
  document.mutable_audience()->set_everyone(true);
  document.set_created_ms(kMorning);
  *document.add_versions() = version(1, kShaA, 12'345, "du-thao.md", "", kMorning, 5);
  if (revised) {
    *document.add_versions() =
        version(2, kShaB, 2'500'000, "du-thao-2.md", "Tiếp thu ý kiến thảo luận tổ", kNextDay, 6);
  }
  return document;
}

v1::Paragraph paragraph(std::uint32_t number, std::uint32_t level, const char* section, const char* text,
                        std::uint32_t page = 0) {
  v1::Paragraph p;
  p.set_id(std::string("p") + std::to_string(number));
  p.set_number(number);
  p.set_section(section);
  p.set_heading_level(level);
  p.set_page(page);
  p.set_text(text);
  return p;
}

v1::WordEdit edit(v1::WordEdit::Op op, const char* text) {
  v1::WordEdit word;
  word.set_op(op);
  word.set_text(text);
  return word;
}

// Version 1 → 2: one paragraph removed, one changed (and moved up), one added, the rest unchanged.
v1::DocumentDiffReply sampleDiff() {
  v1::DocumentDiffReply reply;
  reply.set_document_id(3);
  reply.set_from_version(1);
  reply.set_to_version(2);
  auto* title = reply.add_changes();
  title->set_kind(v1::ParagraphChange::KIND_UNCHANGED);
  title->mutable_older()->set_id("p1");
  title->mutable_older()->set_number(1);
  title->mutable_newer()->set_id("p1");
  title->mutable_newer()->set_number(1);
  auto* removed = reply.add_changes();
  removed->set_kind(v1::ParagraphChange::KIND_REMOVED);
  *removed->mutable_older() = paragraph(3, 0, "Điều 1. Phương hướng", "Đoạn cũ bị bỏ.");
  auto* changed = reply.add_changes();
  changed->set_kind(v1::ParagraphChange::KIND_CHANGED);
  *changed->mutable_older() =
      paragraph(5, 0, "Điều 2. Nhiệm vụ", "Đẩy mạnh chuyển đổi số, phát triển kinh tế xanh.");
  *changed->mutable_newer() = paragraph(
      4, 0, "Điều 2. Nhiệm vụ", "Đẩy mạnh chuyển đổi số, phát triển kinh tế số, kinh tế xanh và tuần hoàn.");
  *changed->add_words() = edit(v1::WordEdit::OP_EQUAL, "Đẩy mạnh chuyển đổi số, phát triển ");
  *changed->add_words() = edit(v1::WordEdit::OP_DELETE, "kinh tế xanh");
  *changed->add_words() = edit(v1::WordEdit::OP_INSERT, "kinh tế số, kinh tế xanh và tuần hoàn");
  *changed->add_words() = edit(v1::WordEdit::OP_EQUAL, ".");
  auto* added = reply.add_changes();
  added->set_kind(v1::ParagraphChange::KIND_ADDED);
  *added->mutable_newer() =
      paragraph(6, 0, "Điều 3. Tổ chức thực hiện", "Giao Ban Thường vụ tổ chức thực hiện Nghị quyết.");
  reply.set_unchanged(4);
  reply.set_added(1);
  reply.set_removed(1);
  reply.set_changed(1);
  return reply;
}

}  // namespace

TEST_CASE("document kinds, formats and sizes") {
  CHECK(documentKindKey(v1::DOCUMENT_KIND_POLITICAL_REPORT) == "political-report");
  CHECK(documentKindKey(v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION) == "written-contribution");
  CHECK(documentKindLabel(v1::DOCUMENT_KIND_ACTION_PROGRAMME) == "chương trình hành động");
  CHECK(documentKindLabel(v1::DOCUMENT_KIND_PERSONNEL_LIST) == "danh sách nhân sự");
  CHECK(documentKindLabel(v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION) == "tham luận");
  CHECK(documentFormatKey(v1::DOCUMENT_FORMAT_PDF) == "pdf");
  CHECK(documentFormatKey(v1::DOCUMENT_FORMAT_PLAIN_TEXT) == "text");
  CHECK(fileSizeText(0) == "0 byte");
  CHECK(fileSizeText(1023) == "1023 byte");
  CHECK(fileSizeText(1024) == "1,0 KB");
  CHECK(fileSizeText(12'345) == "12,1 KB");
  CHECK(fileSizeText(2'500'000) == "2,4 MB");
  CHECK(fileSizeText(50ull << 20) == "50,0 MB");
}

TEST_CASE("readers: everyone, delegations by name (or number when unknown) and roles") {
  const StateMirror names = namesMirror();
  v1::DocumentAudience everyone;
  everyone.set_everyone(true);
  CHECK(readersText(everyone, names) == "mọi đại biểu và chủ tọa");
  v1::DocumentAudience some;
  some.add_delegation_ids(1);
  some.add_delegation_ids(9);
  some.add_roles(v1::ROLE_CHAIR);
  some.add_roles(v1::ROLE_DISPLAY);
  CHECK(readersText(some, names) == "Đoàn Hà Nội, đoàn #9, chủ tọa, màn hình");
  v1::DocumentAudience delegates;
  delegates.add_roles(v1::ROLE_DELEGATE);
  CHECK(readersText(delegates, names) == "mọi đại biểu");
  CHECK(readersText(v1::DocumentAudience{}, names) == "chỉ thư ký và ban tổ chức");
}

TEST_CASE("a new document: id, title, kind, version 1, file, SHA-256, paragraphs, pages, url, readers") {
  v1::DocumentReply reply;
  *reply.mutable_document() = draft(false);
  reply.set_version(1);
  CHECK(documentPublishedText(reply, namesMirror()) ==
        "Đã đăng tài liệu #3 / document #3 published: Dự thảo Nghị quyết Đại hội\n"
        "Loại:       dự thảo nghị quyết\n"
        "Phiên bản:  1\n"
        "Tệp:        du-thao.md · Markdown · 12,1 KB (12345 byte)\n"
        "SHA-256:    " + kShaA + "\n"
        "Số đoạn:    5\n"
        "Số trang:   – (không phải PDF)\n"
        "Tải về:     /documents/" + kShaA + "\n"
        "Người đọc:  mọi đại biểu và chủ tọa\n");
  CHECK(documentPublishedJson(reply) ==
        "{\"version\":1,\"document\":{\"id\":3,\"title\":\"Dự thảo Nghị quyết Đại hội\",\"kind\":\"draft-resolution\","
        "\"audience\":{\"everyone\":true,\"delegationIds\":[],\"roles\":[],\"delegateIds\":[]},"
        "\"createdMs\":" + std::to_string(kMorning) +
        ",\"versions\":[{\"number\":1,\"sha256\":\"" + kShaA + "\",\"size\":12345,\"format\":\"markdown\","
        "\"fileName\":\"du-thao.md\",\"note\":\"\",\"addedMs\":" + std::to_string(kMorning) +
        ",\"addedBy\":{\"role\":\"secretary\",\"accountId\":2,\"displayName\":\"Thư ký Lan\",\"login\":\"secretary\"},"
        "\"pages\":0,\"paragraphs\":5,\"url\":\"/documents/" + kShaA + "\"}]}}");
  // Below a kilobyte the size is already exact.
  reply.mutable_document()->mutable_versions(0)->set_size(458);
  CHECK(mentions(documentPublishedText(reply, namesMirror()), "Tệp:        du-thao.md · Markdown · 458 byte\n"));
}

TEST_CASE("a new version says which one and what changed; a PDF has its pages") {
  v1::DocumentReply reply;
  *reply.mutable_document() = draft(true);
  reply.mutable_document()->mutable_audience()->set_everyone(false);
  reply.mutable_document()->mutable_audience()->add_delegation_ids(1);
  reply.mutable_document()->mutable_audience()->add_roles(v1::ROLE_DISPLAY);
  auto* pdf = reply.mutable_document()->mutable_versions(1);
  pdf->set_format(v1::DOCUMENT_FORMAT_PDF);
  pdf->set_file_name("du-thao-2.pdf");
  pdf->set_pages(12);
  reply.set_version(2);
  const std::string text = documentPublishedText(reply, namesMirror());
  CHECK(text.rfind("Đã đăng phiên bản 2 của tài liệu #3 / version 2 of document #3 published: "
                   "Dự thảo Nghị quyết Đại hội\n", 0) == 0);
  CHECK(mentions(text, "Phiên bản:  2\nThay đổi:   Tiếp thu ý kiến thảo luận tổ\n"));
  CHECK(mentions(text, "Tệp:        du-thao-2.pdf · PDF · 2,4 MB (2500000 byte)\n"));
  CHECK(mentions(text, "SHA-256:    " + kShaB + "\n"));
  CHECK(mentions(text, "Số trang:   12\n"));
  CHECK(mentions(text, "Người đọc:  Đoàn Hà Nội, màn hình\n"));
  CHECK_FALSE(mentions(text, kShaA));  // the version published, not the first
  const std::string json = documentPublishedJson(reply);
  CHECK(mentions(json, "{\"version\":2,\"document\":{\"id\":3,"));
  CHECK(mentions(json,
                 "\"audience\":{\"everyone\":false,\"delegationIds\":[1],\"roles\":[\"display\"],\"delegateIds\":[]}"));
  CHECK(mentions(json, "\"format\":\"pdf\",\"fileName\":\"du-thao-2.pdf\",\"note\":\"Tiếp thu ý kiến thảo luận tổ\""));
  CHECK(mentions(json, "\"pages\":12,\"paragraphs\":6"));
}

TEST_CASE("the list: one line per document with its newest version; JSON with all versions") {
  VenueTimeZone zone;
  v1::DocumentsReply reply;
  *reply.add_documents() = draft(true);
  auto& report = *reply.add_documents();
  report.set_id(12);
  report.set_title("Báo cáo chính trị của Ban Chấp hành");
  report.set_kind(v1::DOCUMENT_KIND_POLITICAL_REPORT);
  report.mutable_audience()->set_everyone(true);
  *report.add_versions() = version(1, kShaA, 980, "bao-cao.pdf", "", kMorning, 140);
  const std::string text = documentListText(reply);
  CHECK(text.rfind("Số  Loại                Tiêu đề                              Bản  Ngày đăng            "
                   "Dung lượng  Số đoạn\n", 0) == 0);
  CHECK(mentions(text, "\n 3  dự thảo nghị quyết  Dự thảo Nghị quyết Đại hội             2  2025-12-03 10:00:00"
                       "      2,4 MB        6\n"));
  CHECK(mentions(text, "\n12  báo cáo chính trị   Báo cáo chính trị của Ban Chấp hành    1  2025-12-02 08:00:00"
                       "    980 byte      140\n"));
  CHECK(mentions(text, "2 tài liệu / documents\n"));
  CHECK(documentListText(v1::DocumentsReply{}) == "Chưa có tài liệu nào bạn được đọc / no document you may read\n");

  const std::string json = documentListJson(reply);
  CHECK(json.rfind("{\"documents\":[{\"id\":3,\"title\":\"Dự thảo Nghị quyết Đại hội\"", 0) == 0);
  CHECK(mentions(json, "\"versions\":[{\"number\":1,\"sha256\":\"" + kShaA));
  CHECK(mentions(json, "},{\"number\":2,\"sha256\":\"" + kShaB + "\",\"size\":2500000"));
  CHECK(mentions(json, "{\"id\":12,\"title\":\"Báo cáo chính trị của Ban Chấp hành\",\"kind\":\"political-report\""));
  CHECK(documentListJson(v1::DocumentsReply{}) == "{\"documents\":[]}");
}

TEST_CASE("a version's paragraphs: numbered, headings marked and set apart, control characters made harmless") {
  VenueTimeZone zone;
  v1::DocumentVersionReply reply;
  reply.set_document_id(3);
  *reply.mutable_version() = draft(true).versions(1);
  const char* kTask = "Điều 2. Nhiệm vụ";
  *reply.add_paragraphs() = paragraph(1, 1, "Dự thảo Nghị quyết Đại hội", "Dự thảo Nghị quyết Đại hội");
  *reply.add_paragraphs() = paragraph(2, 2, "Điều 1. Phương hướng", "Điều 1. Phương hướng");
  for (std::uint32_t n = 3; n <= 5; ++n) {
    *reply.add_paragraphs() = paragraph(n, 0, "Điều 1. Phương hướng", "Phát triển nhanh và bền vững.");
  }
  *reply.add_paragraphs() = paragraph(6, 2, kTask, kTask);
  for (std::uint32_t n = 7; n <= 9; ++n) {
    *reply.add_paragraphs() = paragraph(n, 0, kTask, "Đẩy mạnh chuyển đổi số.");
  }
  *reply.add_paragraphs() = paragraph(10, 0, kTask, "Màu \x1b[31mđỏ\x1b[0m không đổi màu màn hình.");
  const std::string text = documentVersionText(reply);
  CHECK(text.rfind("Tài liệu #3 · phiên bản 2 · du-thao-2.md · 2025-12-03 10:00:00 · 10 đoạn / document #3, "
                   "version 2\nGhi chú: Tiếp thu ý kiến thảo luận tổ\n\n 1  # Dự thảo Nghị quyết Đại hội\n\n"
                   " 2  ## Điều 1. Phương hướng\n 3  Phát triển nhanh và bền vững.\n", 0) == 0);
  CHECK(mentions(text, " 5  Phát triển nhanh và bền vững.\n\n 6  ## Điều 2. Nhiệm vụ\n 7  Đẩy mạnh chuyển đổi số.\n"));
  CHECK(mentions(text, "\n10  Màu \xEF\xBF\xBD[31mđỏ\xEF\xBF\xBD[0m không đổi màu màn hình.\n"));
  CHECK_FALSE(mentions(text, "\x1b"));

  const std::string json = documentVersionJson(reply);
  CHECK(json.rfind("{\"documentId\":3,\"version\":{\"number\":2,", 0) == 0);
  CHECK(mentions(json, "\"paragraphs\":[{\"id\":\"p1\",\"number\":1,\"section\":\"Dự thảo Nghị quyết Đại hội\","
                       "\"headingLevel\":1,\"page\":0,\"text\":\"Dự thảo Nghị quyết Đại hội\"},"));
  CHECK(mentions(json, "\"text\":\"Màu \\u001b[31mđỏ\\u001b[0m không đổi màu màn hình.\"}]}"));
}

TEST_CASE("a PDF's paragraphs show where each page begins") {
  v1::DocumentVersionReply reply;
  reply.set_document_id(12);
  *reply.mutable_version() = version(1, kShaA, 980, "bao-cao.pdf", "", kMorning, 3);
  reply.mutable_version()->set_pages(2);
  *reply.add_paragraphs() = paragraph(1, 1, "PHẦN THỨ NHẤT", "PHẦN THỨ NHẤT", 1);
  *reply.add_paragraphs() = paragraph(2, 0, "PHẦN THỨ NHẤT", "Kết quả thực hiện Nghị quyết.", 1);
  *reply.add_paragraphs() = paragraph(3, 0, "PHẦN THỨ NHẤT", "Hạn chế, yếu kém.", 2);
  const std::string text = documentVersionText(reply);
  CHECK(mentions(text, " đoạn / document #12, version 1\n\n— trang 1 —\n1  # PHẦN THỨ NHẤT\n"
                       "2  Kết quả thực hiện Nghị quyết.\n\n— trang 2 —\n3  Hạn chế, yếu kém.\n"));
}

TEST_CASE("the diff in text: counts, then each removed, changed and added paragraph; word edits inline") {
  const std::string text = documentDiffText(sampleDiff());
  CHECK(text ==
        "Tài liệu #3: phiên bản 1 → 2 / changes from version 1 to 2\n"
        "1 đoạn sửa, 1 đoạn thêm, 1 đoạn bỏ, 4 đoạn giữ nguyên / 1 changed, 1 added, 1 removed, 4 unchanged\n"
        "\n"
        "- Đoạn 3 của bản 1 bỏ · Điều 1. Phương hướng\n"
        "  Đoạn cũ bị bỏ.\n"
        "\n"
        "~ Đoạn 4 sửa (trước là đoạn 5) · Điều 2. Nhiệm vụ\n"
        "  Đẩy mạnh chuyển đổi số, phát triển [-kinh tế xanh-]{+kinh tế số, kinh tế xanh và tuần hoàn+}.\n"
        "\n"
        "+ Đoạn 6 thêm · Điều 3. Tổ chức thực hiện\n"
        "  Giao Ban Thường vụ tổ chức thực hiện Nghị quyết.\n");
  CHECK(inlineWordEdits(sampleDiff().changes(2).words()) ==
        "Đẩy mạnh chuyển đổi số, phát triển [-kinh tế xanh-]{+kinh tế số, kinh tế xanh và tuần hoàn+}.");

  // A changed heading keeps its mark; the same text in both versions says so.
  v1::DocumentDiffReply heading;
  heading.set_document_id(3);
  heading.set_from_version(2);
  heading.set_to_version(3);
  heading.set_changed(1);
  auto* change = heading.add_changes();
  change->set_kind(v1::ParagraphChange::KIND_CHANGED);
  *change->mutable_older() = paragraph(2, 2, "Điều 1. Phương hướng", "Điều 1. Phương hướng");
  *change->mutable_newer() = paragraph(2, 2, "Điều 1. Mục tiêu", "Điều 1. Mục tiêu");
  *change->add_words() = edit(v1::WordEdit::OP_EQUAL, "Điều 1. ");
  *change->add_words() = edit(v1::WordEdit::OP_DELETE, "Phương hướng");
  *change->add_words() = edit(v1::WordEdit::OP_INSERT, "Mục tiêu");
  CHECK(mentions(documentDiffText(heading), "\n~ Đoạn 2 sửa\n  ## Điều 1. [-Phương hướng-]{+Mục tiêu+}\n"));
  v1::DocumentDiffReply same;
  same.set_document_id(3);
  same.set_from_version(1);
  same.set_to_version(2);
  same.set_unchanged(7);
  CHECK(documentDiffText(same) ==
        "Tài liệu #3: phiên bản 1 → 2 / changes from version 1 to 2\n"
        "0 đoạn sửa, 0 đoạn thêm, 0 đoạn bỏ, 7 đoạn giữ nguyên / 0 changed, 0 added, 0 removed, 7 unchanged\n"
        "Nội dung hai phiên bản như nhau / the text is the same\n");
}

TEST_CASE("the diff in JSON: counts and every change, unchanged ones by id and number, word edits structured") {
  const std::string json = documentDiffJson(sampleDiff());
  CHECK(json.rfind("{\"documentId\":3,\"fromVersion\":1,\"toVersion\":2,"
                   "\"counts\":{\"unchanged\":4,\"added\":1,\"removed\":1,\"changed\":1},\"changes\":["
                   "{\"kind\":\"unchanged\",\"older\":{\"id\":\"p1\",\"number\":1},"
                   "\"newer\":{\"id\":\"p1\",\"number\":1}},"
                   "{\"kind\":\"removed\",\"older\":{\"id\":\"p3\",\"number\":3,\"section\":\"Điều 1. Phương hướng\","
                   "\"headingLevel\":0,\"page\":0,\"text\":\"Đoạn cũ bị bỏ.\"}},", 0) == 0);
  CHECK(mentions(json, "\"words\":[{\"op\":\"equal\",\"text\":\"Đẩy mạnh chuyển đổi số, phát triển \"},"
                       "{\"op\":\"delete\",\"text\":\"kinh tế xanh\"},"
                       "{\"op\":\"insert\",\"text\":\"kinh tế số, kinh tế xanh và tuần hoàn\"},"
                       "{\"op\":\"equal\",\"text\":\".\"}]}"));
  CHECK(mentions(json, "{\"kind\":\"added\",\"newer\":{\"id\":\"p6\",\"number\":6,"
                       "\"section\":\"Điều 3. Tổ chức thực hiện\""));
  CHECK(json.back() == '}');
}

TEST_CASE("watch: a published document or version in one line, and in JSON") {
  VenueTimeZone zone;
  v1::Event event;
  event.set_seq(41);
  event.set_time_ms(kNextDay);
  auto& published = *event.mutable_document_published();
  *published.mutable_document() = draft(true);
  published.set_version(2);
  *published.mutable_by() = secretary();
  const StateMirror names = namesMirror();
  CHECK(eventText(event, names) ==
        "#41 10:00:00  TÀI LIỆU   #3 Dự thảo Nghị quyết Đại hội (dự thảo nghị quyết) · phiên bản 2: "
        "Tiếp thu ý kiến thảo luận tổ · bởi Thư ký Lan (thư ký)\n");
  const std::string json = eventJson(event, names);
  CHECK(json.rfind("{\"seq\":41,\"timeMs\":" + std::to_string(kNextDay) +
                       ",\"type\":\"document_published\",\"version\":2,\"document\":{\"id\":3,",
                   0) == 0);
  CHECK(mentions(json, "\"by\":{\"role\":\"secretary\",\"accountId\":2,\"displayName\":\"Thư ký Lan\","
                       "\"login\":\"secretary\"}}"));
}
