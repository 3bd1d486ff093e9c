// Discussion rules on their own: who reads a thread, where a passage is in the
// newest version, the compilation by section and group, the exports, reading.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>

#include "domain/discussion.hpp"
#include "domain/documents.hpp"

namespace daihoi::domain {
namespace {

DocumentVersionInfo versionWith(std::uint32_t number, std::vector<std::string> ids) {
  DocumentVersionInfo version;
  version.number = number;
  version.paragraphIds = std::make_shared<const std::vector<std::string>>(std::move(ids));
  return version;
}

// Version 1: p1 p2 p3 p4; version 2: p1 p3 pNew (p2 and p4 removed).
Document twoVersions() {
  Document document;
  document.id = 3;
  document.title = "Dự thảo Nghị quyết";
  document.versions = {versionWith(1, {"p1", "p2", "p3", "p4"}), versionWith(2, {"p1", "p3", "pNew"})};
  return document;
}

DiscussionGroups twoGroups(CommentVisibility visibility = CommentVisibility::Group) {
  DiscussionGroups groups;
  groups.groups = {DiscussionGroup{1, "Tổ 1", {10, 11}}, DiscussionGroup{2, "Tổ 2", {12}}};
  groups.visibility = visibility;
  return groups;
}

Principal delegate(std::uint32_t id, std::string name = "Đại biểu") {
  return Principal{Role::Delegate, id, std::move(name), "D" + std::to_string(id)};
}

Comment commentOn(std::uint64_t id, const std::string& paragraphId, std::uint32_t number, std::uint32_t group,
                  std::uint64_t replyTo = 0, std::uint64_t thread = 0) {
  Comment comment;
  comment.id = id;
  comment.documentId = 3;
  comment.version = 1;
  comment.paragraphId = paragraphId;
  comment.paragraphNumber = number;
  comment.replyTo = replyTo;
  comment.threadId = thread == 0 ? id : thread;
  comment.author = delegate(100 + static_cast<std::uint32_t>(id), "Nguyễn Văn " + std::to_string(id));
  comment.authorDelegationId = group == 1 ? 10 : 12;
  comment.groupId = group;
  comment.text = "Ý kiến " + std::to_string(id);
  return comment;
}

}  // namespace

TEST_CASE("a delegation's group, and who reads a thread under each visibility") {
  const DiscussionGroups groups = twoGroups();
  CHECK(groups.groupOf(11) == 1);
  CHECK(groups.groupOf(12) == 2);
  CHECK(groups.groupOf(13) == 0);
  CHECK(groups.groupOf(0) == 0);
  const Comment thread = commentOn(1, "p1", 1, 1);
  CHECK(mayReadThread(thread, delegate(55), 11, groups));        // same group, other delegation
  CHECK_FALSE(mayReadThread(thread, delegate(56), 12, groups));  // other group
  CHECK_FALSE(mayReadThread(thread, delegate(57), 13, groups));  // in no group
  CHECK(mayReadThread(thread, thread.author, 10, groups));       // the author
  CHECK(mayReadThread(thread, Principal{Role::Secretary, 1, "", ""}, 0, groups));
  CHECK(mayReadThread(thread, Principal{Role::Organizer, 1, "", ""}, 0, groups));
  CHECK_FALSE(mayReadThread(thread, Principal{Role::Chair, 1, "", ""}, 0, groups));
  CHECK_FALSE(mayReadThread(thread, Principal{Role::Display, 1, "", ""}, 0, groups));

  CHECK(mayReadThread(thread, delegate(57), 13, twoGroups(CommentVisibility::AllDelegates)));
  CHECK_FALSE(mayReadThread(thread, delegate(55), 11, twoGroups(CommentVisibility::Secretariat)));
  CHECK(mayReadThread(thread, thread.author, 10, twoGroups(CommentVisibility::Secretariat)));

  // A thread started outside any group is read by nobody else under the group policy.
  Comment staff = commentOn(2, "p1", 1, 0);
  staff.author = Principal{Role::Secretary, 4, "Thư ký", "thuky"};
  CHECK_FALSE(mayReadThread(staff, delegate(55), 11, groups));
}

TEST_CASE("the comment book keeps a document's comments in order and applies marks") {
  CommentBook book;
  CHECK(book.nextId() == 1);
  book.add(commentOn(1, "p1", 1, 1));
  book.add(commentOn(2, "p2", 2, 2));
  Comment otherDocument = commentOn(3, "p1", 1, 1);
  otherDocument.documentId = 4;
  book.add(otherDocument);
  book.add(commentOn(1, "p9", 9, 1));  // an id taken already changes nothing
  CHECK(book.nextId() == 4);
  const auto comments = book.forDocument(3);
  REQUIRE(comments.size() == 2);
  CHECK(comments[0]->id == 1);
  CHECK(comments[0]->paragraphId == "p1");
  book.mark(2, CommentMark::NotAccepted, "Giữ nguyên", Principal{Role::Secretary, 4, "Thư ký", "thuky"}, 77);
  CHECK(book.find(2)->mark == CommentMark::NotAccepted);
  CHECK(book.find(2)->markNote == "Giữ nguyên");
  CHECK(book.find(2)->markedMs == 77);
  book.mark(2, CommentMark::None, "", Principal{Role::Secretary, 4, "Thư ký", "thuky"}, 78);
  CHECK(book.find(2)->mark == CommentMark::None);
  CHECK(book.find(99) == nullptr);
}

TEST_CASE("a passage's place in the newest version, or removed") {
  const Document document = twoVersions();
  const NewestPlaces places(document);
  CHECK(places.place("p1").paragraphNumber == 1);
  CHECK(places.place("p3").paragraphNumber == 2);
  CHECK(places.place("p3").newestVersion == 2);
  CHECK(places.place("p2").removed());
  CHECK(places.place("nothing").removed());
}

TEST_CASE("compiled comments: by section of the newest version, removed passages last, by group, with counts") {
  const Document document = twoVersions();
  const DiscussionGroups groups = twoGroups();
  CommentBook book;
  Comment onRemoved = commentOn(1, "p2", 2, 1);
  onRemoved.mark = CommentMark::Accepted;
  onRemoved.createdMs = 1764639005000;  // 2025-12-02 01:30:05 UTC
  book.add(onRemoved);
  Comment onP3 = commentOn(2, "p3", 3, 2);
  onP3.mark = CommentMark::Noted;
  book.add(onP3);
  book.add(commentOn(3, "p1", 1, 1));
  Comment reply = commentOn(4, "p2", 2, 0, 1, 1);  // a secretary's reply in the removed thread
  reply.author = Principal{Role::Secretary, 4, "Thư ký", "thuky"};
  reply.authorDelegationId = 0;
  reply.mark = CommentMark::NotAccepted;
  book.add(reply);
  const std::vector<NewestParagraph> newest{{"p1", 1, "Điều 1. Phạm vi"}, {"p3", 2, "Điều 2. Mục tiêu"},
                                            {"pNew", 3, "Điều 2. Mục tiêu"}};
  const CommentCompilation compilation = compileComments(document, book.forDocument(3), newest, groups);

  CHECK(compilation.counts.total == 4);
  CHECK(compilation.counts.accepted == 1);
  CHECK(compilation.counts.noted == 1);
  CHECK(compilation.counts.notAccepted == 1);
  CHECK(compilation.counts.unmarked == 1);
  // Reading order of the newest version; the removed thread last with its reply.
  std::vector<std::uint64_t> order;
  for (const Comment* c : compilation.comments) order.push_back(c->id);
  CHECK(order == std::vector<std::uint64_t>{3, 2, 1, 4});
  CHECK(compilation.places.at(4).removed());  // a reply is where its thread is
  REQUIRE(compilation.sections.size() == 3);
  CHECK(compilation.sections[0].section == "Điều 1. Phạm vi");
  CHECK(compilation.sections[0].firstParagraphNumber == 1);
  CHECK(compilation.sections[1].section == "Điều 2. Mục tiêu");
  CHECK(compilation.sections[1].counts.noted == 1);
  CHECK(compilation.sections[2].removedPassages);
  CHECK(compilation.sections[2].counts.total == 2);
  REQUIRE(compilation.groups.size() == 3);  // no group (the reply), Tổ 1, Tổ 2
  CHECK(compilation.groups[0].groupId == 0);
  CHECK(compilation.groups[1].name == "Tổ 1");
  CHECK(compilation.groups[1].counts.total == 2);
  CHECK(compilation.groups[2].name == "Tổ 2");

  auto names = [](std::uint32_t id) { return id == 10 ? std::string("Đoàn Hà Nội") : std::string("Đoàn Huế"); };
  const std::string csv = commentsCsv(document, compilation, groups, names);
  CHECK(csv.rfind("\xEF\xBB\xBF" "Mã ý kiến,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  CHECK(csv.find("\"1\",\"\",\"Dự thảo Nghị quyết\",\"1\",\"§2\",\"đã bị xoá ở bản 2\",\"Đoạn đã bị xoá ở bản mới nhất\","
                 "\"Tổ 1\",\"Đoàn Hà Nội\",\"Nguyễn Văn 1\"") != std::string::npos);
  CHECK(csv.find("\"4\",\"1\",") != std::string::npos);
  CHECK(csv.find("\"Ý kiến 1\",\"2025-12-02 08:30:05\",\"tiếp thu\"") != std::string::npos);  // Vietnam's time
  CHECK(csv.find("\"không tiếp thu\"") != std::string::npos);
  const std::string md = commentsMarkdown(document, compilation, groups, names);
  CHECK(md.find("Tổng cộng 4 ý kiến: 1 tiếp thu, 1 ghi nhận, 1 không tiếp thu, 1 chưa xử lý") != std::string::npos);
  CHECK(md.find("| Không thuộc tổ | 1 | 0 | 0 | 1 | 0 |") != std::string::npos);
  CHECK(md.find("### Điều 1. Phạm vi") != std::string::npos);
  CHECK(md.find("  - **#4** Thư ký, §2 bản 1 → đã bị xoá ở bản 2, trả lời #1") != std::string::npos);
}

TEST_CASE("the exports defuse formulas and escape Markdown") {
  const Document document = twoVersions();
  CommentBook book;
  Comment formula = commentOn(1, "p1", 1, 1);
  formula.text = "=HYPERLINK(\"http://x\")";
  book.add(formula);
  Comment markup = commentOn(2, "p1", 1, 1);
  markup.text = "*đậm* | # [liên kết]";
  book.add(markup);
  const auto compilation =
      compileComments(document, book.forDocument(3), {{"p1", 1, ""}}, twoGroups());
  auto names = [](std::uint32_t) { return std::string("Đoàn"); };
  const std::string csv = commentsCsv(document, compilation, twoGroups(), names);
  CHECK(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
  const std::string md = commentsMarkdown(document, compilation, twoGroups(), names);
  CHECK(md.find("\\*đậm\\* \\| \\# \\[liên kết\\]") != std::string::npos);
  CHECK(md.find("### Phần mở đầu") != std::string::npos);  // before the first heading
}

TEST_CASE("the reading record keeps each delegate's first opening of each version") {
  ReadingRecord reading;
  CHECK(reading.newestOpened(1, 7) == 0);
  CHECK_FALSE(reading.firstOpened(1, 1, 7).has_value());
  reading.record(1, 1, 7, 100);
  reading.record(1, 1, 7, 200);
  reading.record(1, 2, 7, 300);
  reading.record(2, 1, 7, 400);
  CHECK(reading.firstOpened(1, 1, 7) == 100);
  CHECK(reading.firstOpened(1, 2, 7) == 300);
  CHECK(reading.newestOpened(1, 7) == 2);
  CHECK(reading.newestOpened(2, 7) == 1);
  CHECK(reading.newestOpened(1, 8) == 0);
}

TEST_CASE("a contribution decided: new status and audience, the author kept; other documents unchanged") {
  DocumentLibrary library;
  Document header;
  header.id = 1;
  header.kind = DocumentKind::WrittenContribution;
  header.audience.delegateIds = {9};
  header.contribution = Contribution{9};
  library.addVersion(header, versionWith(1, {"p1"}));
  Document plain;
  plain.id = 2;
  library.addVersion(plain, versionWith(1, {"p1"}));
  CHECK_FALSE(mayRead(*library.find(1), delegate(8), 1));
  CHECK(mayRead(*library.find(1), delegate(9), 1));
  DocumentAudience everyone;
  everyone.everyone = true;
  everyone.delegateIds = {9};
  library.decideContribution(1, Contribution{0, ContributionStatus::Approved, "Trình bày", {}, 5}, everyone);
  CHECK(library.find(1)->contribution->status == ContributionStatus::Approved);
  CHECK(library.find(1)->contribution->authorDelegateId == 9);
  CHECK(mayRead(*library.find(1), delegate(8), 1));
  library.decideContribution(2, Contribution{0, ContributionStatus::Approved, "", {}, 5}, everyone);
  CHECK_FALSE(library.find(2)->contribution.has_value());
  CHECK_FALSE(library.find(2)->audience.everyone);
  CHECK(contributionStatusName(ContributionStatus::Declined) == "declined");
}

}  // namespace daihoi::domain
