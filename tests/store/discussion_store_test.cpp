// Schema v8: discussion groups, comments and their marks, written
// contributions and their decisions, the reading record, the events'
// audience by comment and the study assistant's candidate paragraphs.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "documents/paragraphs.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "store/verify.hpp"
#include "store/vietnamese_tokenizer.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::domain::Role;
using daihoi::store::test::queryInt;
using daihoi::store::test::documentVersion;
using daihoi::store::test::Hall;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;
namespace documents = daihoi::documents;

namespace {

constexpr std::int64_t kT0 = 1'760'000'000'000;

domain::Principal delegate(std::uint32_t id, std::string name, std::string code) {
  return domain::Principal{Role::Delegate, id, std::move(name), std::move(code)};
}

domain::Principal secretary() { return daihoi::store::test::secretary(); }

domain::Comment comment(std::uint64_t id, std::uint64_t replyTo, std::uint64_t threadId, std::string text) {
  domain::Comment c;
  c.id = id;
  c.documentId = 1;
  c.version = 1;
  c.paragraphId = documents::paragraphIdFor("Phát triển kinh tế biển gắn với bảo đảm quốc phòng, an ninh.");
  c.paragraphNumber = 2;
  c.range = domain::TextSpan{10, 24};
  c.quote = "kinh tế biển";
  c.replyTo = replyTo;
  c.threadId = threadId;
  c.author = delegate(3, "Lê Hoàng Phương Thảo", "DB003");
  c.authorDelegationId = 2;
  c.groupId = 1;
  c.text = std::move(text);
  c.createdMs = kT0 + static_cast<std::int64_t>(id) * 1000;
  return c;
}

constexpr std::string_view kDraft =
    "# Phần I. Kinh tế\n\n"
    "Phát triển kinh tế biển gắn với bảo đảm quốc phòng, an ninh.\n\n"
    "Đẩy mạnh chuyển đổi số trong các ngành.\n";

void checkSameComment(const domain::Comment& a, const domain::Comment& b) {
  CHECK(a.id == b.id);
  CHECK(a.documentId == b.documentId);
  CHECK(a.version == b.version);
  CHECK(a.paragraphId == b.paragraphId);
  CHECK(a.paragraphNumber == b.paragraphNumber);
  CHECK(a.range == b.range);
  CHECK(a.quote == b.quote);
  CHECK(a.replyTo == b.replyTo);
  CHECK(a.threadId == b.threadId);
  CHECK(a.author.role == b.author.role);
  CHECK(a.author.accountId == b.author.accountId);
  CHECK(a.author.displayName == b.author.displayName);
  CHECK(a.author.login == b.author.login);
  CHECK(a.authorDelegationId == b.authorDelegationId);
  CHECK(a.groupId == b.groupId);
  CHECK(a.text == b.text);
  CHECK(a.createdMs == b.createdMs);
}

// A database as a build with schema version 7 left it.
void createVersion7(const std::string& path) {
  Database db(path);
  registerVietnameseTokenizer(db);
  db.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)");
  for (const Migration& migration : migrations()) {
    if (migration.version > 7) break;
    db.exec(migration.sql);
    db.exec("INSERT INTO schema_version (version, applied_ms) VALUES (" + std::to_string(migration.version) +
            ", 1700000000000)");
  }
}

}  // namespace

TEST_CASE("a version 7 database with documents and events migrates to version 8") {
  TempDir dir;
  const std::string path = dir.file("v7.db");
  createVersion7(path);
  REQUIRE(queryInt(path, "SELECT MAX(version) FROM schema_version") == 7);
  {
    Database raw(path);
    registerVietnameseTokenizer(raw);
    raw.exec(
        "INSERT INTO documents (id, title, kind, audience_everyone, audience_delegations, audience_roles, created_ms) "
        "VALUES (1, 'Báo cáo chính trị', 1, 0, '1,3', 4, 1700000000001);"
        "INSERT INTO document_versions VALUES (1, 1, '" + std::string(64, 'e') +
        "', 12, 3, 'bao-cao.txt', 'Bản đầu', 1700000000002, 3, 7, 'thuhang', 'Võ Thị Thu Hằng', 0, 1);"
        "INSERT INTO paragraphs (document_id, version, number, paragraph_id, section, heading_level, page, text) "
        "VALUES (1, 1, 1, 'p0123456789', '', 0, 0, 'Đại hội đại biểu toàn tỉnh');"
        "INSERT INTO paragraph_search (rowid, text) SELECT id, text FROM paragraphs;");
    ChainHead head;
    for (const EventRow& event : daihoi::store::test::nextEvents(head, 2)) {
      auto insert = raw.prepare(
          "INSERT INTO events (seq, time_ms, audience_roles, audience_delegate, body, hash, audience_ballot, "
          "audience_document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 1)");
      insert.bindInt64(1, static_cast<std::int64_t>(event.seq))
          .bindInt64(2, event.timeMs)
          .bindInt64(3, event.audienceRoles)
          .bindInt64(4, event.audienceDelegate)
          .bindBlob(5, event.body)
          .bindBlob(6, daihoi::asBytes(event.hash))
          .run();
    }
  }

  daihoi::ManualClock clock(kT0);
  auto store = Store::open(path, &clock);
  CHECK(store->schemaVersion() == 8);
  CHECK(queryInt(path, "SELECT applied_ms FROM schema_version WHERE version = 8") == kT0);

  // The document is as it was: no delegates in its audience, no contribution.
  const auto loaded = store->loadDocuments();
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].title == "Báo cáo chính trị");
  CHECK(loaded[0].audience.delegationIds == std::vector<std::uint32_t>{1, 3});
  CHECK(loaded[0].audience.roles == domain::RoleSet{Role::Chair});  // bit 1 << 2
  CHECK(loaded[0].audience.delegateIds.empty());
  CHECK_FALSE(loaded[0].contribution.has_value());
  CHECK(loaded[0].versions.at(0).paragraphIds->at(0) == "p0123456789");

  // Old events have no comment audience; the chain still verifies and continues.
  const auto events = store->loadEvents(0, 10);
  REQUIRE(events.size() == 2);
  CHECK(events[0].audienceDocument == 1);
  CHECK(events[0].audienceComment == 0);
  CHECK(verifyLog(path).ok);

  // The new tables are there and empty.
  CHECK(store->loadComments().empty());
  CHECK(store->loadDocumentReads().empty());
  const domain::DiscussionGroups groups = store->loadDiscussionGroups();
  CHECK(groups.groups.empty());
  CHECK(groups.visibility == domain::CommentVisibility::Group);

  // The old document takes comments and reads; search still works.
  Hall hall(*store);
  domain::Comment first = comment(1, 0, 1, "Đề nghị bổ sung chỉ tiêu.");
  first.paragraphId = "p0123456789";
  first.paragraphNumber = 1;
  hall.commit({domain::CommentAdded{first}, domain::DocumentOpened{1, 1, 2, kT0}}, 1);
  CHECK(store->loadComments().size() == 1);
  CHECK(store->loadEvents(2, 1).at(0).audienceComment == 1);
  domain::DocumentSearch search;
  search.match = "\"dai\" \"hoi\"";
  search.documentIds = {1};
  CHECK(store->searchDocuments(search).total == 1);
  CHECK(verifyLog(path).ok);
}

TEST_CASE("discussion groups and the comment visibility are replaced as a whole and survive a restart") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  domain::DiscussionGroups first;
  first.groups = {{1, "Tổ 1 — Thành phố Huế", {1, 3}}, {2, "Tổ 2 — Phú Vang", {2}}};
  first.visibility = domain::CommentVisibility::AllDelegates;
  domain::DiscussionGroups second;
  second.groups = {{1, "Tổ thảo luận chung", {1, 2, 3}}};
  second.visibility = domain::CommentVisibility::Secretariat;
  {
    auto store = Store::open(path);
    Hall hall(*store);
    hall.commit({domain::DiscussionGroupsSet{first}});
  }
  {
    auto store = Store::open(path);
    CHECK(store->loadDiscussionGroups() == first);
    Hall(*store).commit({domain::DiscussionGroupsSet{second}});
  }
  auto store = Store::open(path);
  CHECK(store->loadDiscussionGroups() == second);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM discussion_groups") == 1);

  // No groups at all is a setting too.
  Hall(*store).commit({domain::DiscussionGroupsSet{domain::DiscussionGroups{}}});
  const auto none = store->loadDiscussionGroups();
  CHECK(none.groups.empty());
  CHECK(none.visibility == domain::CommentVisibility::Group);
}

TEST_CASE("comments with replies and the history of their marks load back with the current mark") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  const domain::Comment c1 = comment(1, 0, 1, "Đề nghị làm rõ chỉ tiêu tăng trưởng kinh tế biển.");
  domain::Comment c2 = comment(2, 1, 1, "Nhất trí với ý kiến trên.");
  c2.author = delegate(1, "Nguyễn Thị Hồng Nhung", "DB001");
  c2.authorDelegationId = 1;
  c2.range = {};
  c2.quote = "";
  domain::Comment c3 = comment(3, 2, 1, "Ban soạn thảo sẽ tiếp thu.");
  c3.author = secretary();
  c3.authorDelegationId = 0;
  c3.groupId = 0;
  domain::Comment c4 = comment(4, 0, 4, "Cần nói rõ lộ trình chuyển đổi số.");
  c4.paragraphId = documents::paragraphIdFor("Đẩy mạnh chuyển đổi số trong các ngành.");
  c4.paragraphNumber = 3;
  {
    auto store = Store::open(path);
    Hall hall(*store);
    hall.commit({documentVersion(1, 1, kDraft, domain::DocumentAudience{true, {}, {}, {}})});
    hall.commit({domain::CommentAdded{c1}}, 1);
    hall.commit({domain::CommentAdded{c2}, domain::CommentAdded{c3}}, 1);
    hall.commit({domain::CommentAdded{c4}}, 4);
    hall.commit({domain::CommentMarked{1, domain::CommentMark::Accepted, "Tiếp thu vào dự thảo 2", secretary(),
                                       kT0 + 50'000}},
                1);
    hall.commit({domain::CommentMarked{1, domain::CommentMark::Noted, "Ghi nhận, xem xét sau", secretary(),
                                       kT0 + 60'000},
                 domain::CommentMarked{4, domain::CommentMark::NotAccepted, "Không phù hợp", secretary(),
                                       kT0 + 61'000}},
                4);
    hall.commit({domain::CommentMarked{4, domain::CommentMark::None, "Xem lại", secretary(), kT0 + 70'000}}, 4);
  }
  auto store = Store::open(path);
  const auto comments = store->loadComments();
  REQUIRE(comments.size() == 4);
  checkSameComment(comments[0], c1);
  checkSameComment(comments[1], c2);
  checkSameComment(comments[2], c3);
  checkSameComment(comments[3], c4);
  CHECK(comments[2].author.role == Role::Secretary);

  // The latest marking is the current one; the earlier ones stay as history.
  CHECK(comments[0].mark == domain::CommentMark::Noted);
  CHECK(comments[0].markNote == "Ghi nhận, xem xét sau");
  CHECK(comments[0].markedBy.login == "thuhang");
  CHECK(comments[0].markedBy.role == Role::Secretary);
  CHECK(comments[0].markedMs == kT0 + 60'000);
  CHECK(comments[1].mark == domain::CommentMark::None);
  CHECK(comments[1].markNote.empty());
  CHECK(comments[1].markedMs == 0);
  CHECK(comments[3].mark == domain::CommentMark::None);  // cleared
  CHECK(comments[3].markNote == "Xem lại");
  CHECK(comments[3].markedMs == kT0 + 70'000);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM comment_marks") == 4);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM comment_marks WHERE comment_id = 1") == 2);

  // The events name the comment whose thread reads them.
  const auto events = store->loadEvents(0, 100);
  REQUIRE(events.size() == 7);
  CHECK(events[0].audienceComment == 0);
  CHECK(events[1].audienceComment == 1);
  CHECK(events[3].audienceComment == 4);
  CHECK(events[6].audienceComment == 4);
  CHECK(queryInt(path, "SELECT audience_comment FROM events WHERE seq = 4") == 4);
  CHECK(verifyLog(path).ok);
}

TEST_CASE("a comment that breaks its thread or names nothing stored is refused with its whole group") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  auto store = Store::open(path);
  Hall hall(*store);
  hall.commit({documentVersion(1, 1, kDraft), documentVersion(2, 1, "Văn bản khác.\n")});
  hall.commit({domain::CommentAdded{comment(1, 0, 1, "Ý kiến thứ nhất.")}});
  const std::uint64_t head = store->chainHead().seq;

  SUBCASE("a reply to a comment that does not exist") {
    CHECK_THROWS_WITH_AS(hall.commit({domain::CommentAdded{comment(2, 7, 1, "Trả lời.")}}),
                         doctest::Contains("a reply must answer a comment of its thread"), StoreError);
  }
  SUBCASE("a reply outside the thread of the comment it answers") {
    CHECK_THROWS_WITH_AS(hall.commit({domain::CommentAdded{comment(2, 1, 2, "Trả lời.")}}),
                         doctest::Contains("a reply must answer a comment of its thread"), StoreError);
  }
  SUBCASE("a reply on another document than its thread") {
    domain::Comment reply = comment(2, 1, 1, "Trả lời.");
    reply.documentId = 2;
    CHECK_THROWS_WITH_AS(hall.commit({domain::CommentAdded{reply}}),
                         doctest::Contains("a reply must answer a comment of its thread"), StoreError);
  }
  SUBCASE("a first comment that claims another thread") {
    CHECK_THROWS_WITH_AS(hall.commit({domain::CommentAdded{comment(2, 0, 1, "Ý kiến.")}}),
                         doctest::Contains("a_first_comment_starts_its_thread"), StoreError);
  }
  SUBCASE("a comment on a version that does not exist") {
    domain::Comment onNothing = comment(2, 0, 2, "Ý kiến.");
    onNothing.version = 2;
    CHECK_THROWS_WITH_AS(hall.commit({domain::CommentAdded{onNothing}}),
                         doctest::Contains("FOREIGN KEY constraint failed"), StoreError);
  }
  SUBCASE("a mark on a comment that does not exist") {
    CHECK_THROWS_WITH_AS(
        hall.commit({domain::CommentMarked{9, domain::CommentMark::Accepted, "", secretary(), kT0}}),
        doctest::Contains("FOREIGN KEY constraint failed"), StoreError);
  }
  SUBCASE("the same comment id twice") {
    CHECK_THROWS_WITH_AS(hall.commit({domain::CommentAdded{comment(1, 0, 1, "Lặp lại.")}}),
                         doctest::Contains("UNIQUE constraint failed"), StoreError);
  }
  CHECK(store->chainHead().seq == head);
  CHECK(store->loadComments().size() == 1);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM comment_marks") == 0);
}

TEST_CASE("comments, marks, contributions, decisions and reads cannot be changed or deleted") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    Hall hall(*store);
    hall.commit({documentVersion(1, 1, kDraft),
                 documentVersion(2, 1, "Tham luận của đoàn.\n", domain::DocumentAudience{false, {}, {}, {3}},
                                 domain::Contribution{3, domain::ContributionStatus::Submitted, "", {}, 0})});
    hall.commit({domain::CommentAdded{comment(1, 0, 1, "Ý kiến.")},
                 domain::CommentMarked{1, domain::CommentMark::Accepted, "", secretary(), kT0},
                 domain::ContributionDecided{2,
                                             domain::Contribution{0, domain::ContributionStatus::Approved, "Được chọn",
                                                                  secretary(), kT0},
                                             domain::DocumentAudience{true, {}, {}, {3}}},
                 domain::DocumentOpened{1, 1, 3, kT0}});
  }
  Database raw(path);
  const std::pair<const char*, const char*> refused[] = {
      {"UPDATE comments SET text = 'sửa lén' WHERE id = 1", "comments are immutable"},
      {"DELETE FROM comments WHERE id = 1", "comments are immutable"},
      {"UPDATE comment_marks SET mark = 3", "comment marks are append-only"},
      {"DELETE FROM comment_marks", "comment marks are append-only"},
      {"UPDATE contributions SET author_delegate_id = 4", "contributions are immutable"},
      {"DELETE FROM contributions", "contributions are immutable"},
      {"UPDATE contribution_decisions SET status = 3", "contribution decisions are append-only"},
      {"DELETE FROM contribution_decisions", "contribution decisions are append-only"},
      {"UPDATE document_reads SET first_ms = 0", "document reads are immutable"},
      {"DELETE FROM document_reads", "document reads are immutable"},
  };
  for (const auto& [sql, message] : refused) {
    CAPTURE(sql);
    CHECK_THROWS_WITH_AS(raw.exec(sql), doctest::Contains(message), StoreError);
  }
  CHECK(queryInt(path, "SELECT COUNT(*) FROM comments") == 1);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM comment_marks") == 1);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM contribution_decisions") == 1);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM document_reads") == 1);
}

TEST_CASE("a written contribution keeps its author; its latest decision gives its status and audience") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  const domain::DocumentAudience authorOnly{false, {}, {}, {3}};
  const domain::DocumentAudience everyone{true, {}, domain::RoleSet{Role::Display}, {3}};
  const domain::DocumentAudience twoDelegations{false, {1, 2}, {}, {3, 4}};
  {
    auto store = Store::open(path);
    Hall hall(*store);
    hall.commit({documentVersion(1, 1, kDraft, domain::DocumentAudience{true, {}, {}, {}}),
                 documentVersion(2, 1, "Tham luận về chuyển đổi số.\n", authorOnly,
                                 domain::Contribution{3, domain::ContributionStatus::Submitted, "", {}, 0})});
  }
  {
    auto store = Store::open(path);
    auto loaded = store->loadDocuments();
    REQUIRE(loaded.size() == 2);
    CHECK_FALSE(loaded[0].contribution.has_value());
    CHECK(loaded[0].audience.everyone);
    REQUIRE(loaded[1].contribution.has_value());
    CHECK(loaded[1].kind == domain::DocumentKind::WrittenContribution);
    CHECK(loaded[1].contribution->authorDelegateId == 3);
    CHECK(loaded[1].contribution->status == domain::ContributionStatus::Submitted);
    CHECK(loaded[1].audience == authorOnly);

    Hall hall(*store);
    hall.commit({domain::ContributionDecided{
        2, domain::Contribution{0, domain::ContributionStatus::Approved, "Trình bày tại phiên chiều", secretary(),
                                kT0 + 5'000},
        everyone}});
    // A second version keeps the contribution and its decision.
    hall.commit({documentVersion(2, 2, "Tham luận về chuyển đổi số, bản sửa.\n", authorOnly,
                                 domain::Contribution{3, domain::ContributionStatus::Submitted, "", {}, 0})});
  }
  {
    auto store = Store::open(path);
    auto loaded = store->loadDocuments();
    REQUIRE(loaded[1].contribution.has_value());
    const domain::Contribution& approved = *loaded[1].contribution;
    CHECK(approved.authorDelegateId == 3);
    CHECK(approved.status == domain::ContributionStatus::Approved);
    CHECK(approved.decisionNote == "Trình bày tại phiên chiều");
    CHECK(approved.decidedBy.role == Role::Secretary);
    CHECK(approved.decidedBy.accountId == 7);
    CHECK(approved.decidedBy.displayName == "Võ Thị Thu Hằng");
    CHECK(approved.decidedBy.login == "thuhang");
    CHECK(approved.decidedMs == kT0 + 5'000);
    CHECK(loaded[1].audience == everyone);
    CHECK(loaded[1].versions.size() == 2);

    Hall hall(*store);
    hall.commit({domain::ContributionDecided{
        2, domain::Contribution{0, domain::ContributionStatus::Declined, "Trùng nội dung", secretary(), kT0 + 9'000},
        twoDelegations}});
  }
  auto store = Store::open(path);
  const auto loaded = store->loadDocuments();
  CHECK(loaded[1].contribution->status == domain::ContributionStatus::Declined);
  CHECK(loaded[1].contribution->decisionNote == "Trùng nội dung");
  CHECK(loaded[1].contribution->decidedMs == kT0 + 9'000);
  CHECK(loaded[1].contribution->authorDelegateId == 3);
  CHECK(loaded[1].audience == twoDelegations);
  CHECK(queryInt(path, "SELECT audience_delegates = '3,4' FROM contribution_decisions ORDER BY id DESC LIMIT 1") == 1);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM contribution_decisions") == 2);
  // The documents table keeps the audience the document was added with.
  CHECK(queryInt(path, "SELECT audience_everyone FROM documents WHERE id = 2") == 0);

  // A decision on a document that is no contribution is refused.
  CHECK_THROWS_AS(Hall(*store).commit({domain::ContributionDecided{
                      1, domain::Contribution{0, domain::ContributionStatus::Approved, "", secretary(), kT0},
                      everyone}}),
                  StoreError);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM contribution_decisions") == 2);
}

TEST_CASE("a document's audience keeps its delegates") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  const domain::DocumentAudience audience{false, {2}, domain::RoleSet{Role::Chair}, {1, 4, 5}};
  { Hall(*Store::open(path)).commit({documentVersion(1, 1, kDraft, audience)}); }
  auto loaded = Store::open(path)->loadDocuments();
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].audience == audience);
}

TEST_CASE("the reading record keeps each delegate's first opening of each version") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    Hall hall(*store);
    hall.commit({documentVersion(1, 1, kDraft), documentVersion(2, 1, "Văn bản khác.\n")});
    hall.commit({domain::DocumentOpened{1, 1, 3, kT0 + 10}, domain::DocumentOpened{1, 1, 3, kT0 + 20}});
    hall.commit({domain::DocumentOpened{1, 1, 3, kT0 + 5}, domain::DocumentOpened{2, 1, 3, kT0 + 30},
                 domain::DocumentOpened{1, 1, 1, kT0 + 40}});
    hall.commit({documentVersion(1, 2, std::string(kDraft) + "\nĐoạn mới.\n")});
    hall.commit({domain::DocumentOpened{1, 2, 3, kT0 + 50}});
    // A version that does not exist is refused.
    CHECK_THROWS_WITH_AS(hall.commit({domain::DocumentOpened{1, 3, 3, kT0 + 60}}),
                         doctest::Contains("FOREIGN KEY constraint failed"), StoreError);
  }
  auto store = Store::open(path);
  const auto reads = store->loadDocumentReads();
  REQUIRE(reads.size() == 4);
  const auto same = [](const domain::DocumentOpened& read, std::uint32_t document, std::uint32_t version,
                       std::uint32_t delegate, std::int64_t timeMs) {
    return read.documentId == document && read.version == version && read.delegateId == delegate &&
           read.timeMs == timeMs;
  };
  CHECK(same(reads[0], 1, 1, 1, kT0 + 40));
  CHECK(same(reads[1], 1, 1, 3, kT0 + 10));  // the first time, not a later (or earlier-dated) repeat
  CHECK(same(reads[2], 1, 2, 3, kT0 + 50));
  CHECK(same(reads[3], 2, 1, 3, kT0 + 30));
}

TEST_CASE("study candidates: newest versions of the given documents, OR of words, best bm25 first, full text") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  auto store = Store::open(path);
  Hall hall(*store);
  hall.commit({documentVersion(1, 1,
                               "# Phần I. Kinh tế\n\n"
                               "Phát triển kinh tế biển bền vững.\n\n"
                               "Nông nghiệp công nghệ cao.\n"),
               documentVersion(2, 1,
                               "# Chương II. Khoa học\n\n"
                               "Chuyển đổi số là động lực tăng trưởng mới của tỉnh trong giai đoạn tới.\n\n"
                               "Y tế cơ sở được củng cố.\n\n"
                               "Bảo vệ môi trường biển.\n"),
               documentVersion(3, 1, "Chuyển đổi số quốc gia, kinh tế biển.\n")});
  hall.commit({documentVersion(1, 2,
                               "# Phần I. Kinh tế\n\n"
                               "Kinh tế số, kinh tế biển.\n\n"
                               "Nông nghiệp công nghệ cao.\n\n"
                               "Giáo dục và đào tạo.\n")});

  const auto candidates = store->studyParagraphs("\"so\" OR \"bien\"", {1, 2}, 60);
  REQUIRE(candidates.size() == 4);
  // Best first.
  CHECK(std::is_sorted(candidates.begin(), candidates.end(),
                       [](const StudyParagraph& a, const StudyParagraph& b) { return a.bm25 < b.bm25; }));
  // The short paragraph with both words beats the long one with a single word.
  CHECK(candidates[0].documentId == 1);
  CHECK(candidates[0].text == "Kinh tế số, kinh tế biển.");
  CHECK(candidates[0].version == 2);
  CHECK(candidates[0].paragraphNumber == 2);
  CHECK(candidates[0].section == "Phần I. Kinh tế");
  CHECK(candidates[0].paragraphId == documents::paragraphIdFor("Kinh tế số, kinh tế biển."));
  for (const StudyParagraph& candidate : candidates) {
    CAPTURE(candidate.text);
    CHECK(candidate.documentId != 3);                                  // not asked for
    CHECK(candidate.text != "Phát triển kinh tế biển bền vững.");      // an older version
    if (candidate.documentId == 1) CHECK(candidate.version == 2);
  }
  // OR: a paragraph with either word is a candidate.
  const auto has = [&](std::string_view text) {
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](const StudyParagraph& candidate) { return candidate.text == text; });
  };
  CHECK(has("Bảo vệ môi trường biển."));
  CHECK(has("Chuyển đổi số là động lực tăng trưởng mới của tỉnh trong giai đoạn tới."));
  CHECK(has("Y tế cơ sở được củng cố."));  // "sở" folds to "so" too

  // At most `limit`, the best ones.
  const auto two = store->studyParagraphs("\"so\" OR \"bien\"", {1, 2}, 2);
  REQUIRE(two.size() == 2);
  CHECK(two[0] == candidates[0]);
  CHECK(two[1] == candidates[1]);

  // All words required when the caller asks so; nothing asked, nothing found.
  CHECK(store->studyParagraphs("\"so\" \"bien\"", {1, 2, 3}, 60).size() == 2);
  CHECK(store->studyParagraphs("\"so\" OR \"bien\"", {}, 60).empty());
  CHECK(store->studyParagraphs("", {1, 2}, 60).empty());
  CHECK(store->studyParagraphs("\"nong\"", {2}, 60).empty());

  // A read-only connection (the archive reader's) answers the same.
  auto reader = Store::openReadOnly(path);
  CHECK(reader->studyParagraphs("\"so\" OR \"bien\"", {1, 2}, 60) == candidates);
}

TEST_CASE("one paragraph of a version by its number, as the whole version lists it (a comment's range is checked on it)") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  Hall hall(*store);
  hall.commit({documentVersion(1, 1,
                               "# Chương I. Mục tiêu\n\nPhát triển kinh tế biển.\n\n## Điều 1\n\n"
                               "Đại hội Đảng bộ tỉnh lần thứ XVII.\n")});
  const std::vector<documents::Paragraph> all = store->loadParagraphs(1, 1);
  REQUIRE(all.size() == 4);
  for (const documents::Paragraph& expected : all) {
    CAPTURE(expected.number);
    const std::optional<documents::Paragraph> one = store->loadParagraph(1, 1, expected.number);
    REQUIRE(one);
    CHECK(one->number == expected.number);
    CHECK(one->id == expected.id);
    CHECK(one->section == expected.section);
    CHECK(one->headingLevel == expected.headingLevel);
    CHECK(one->page == expected.page);
    CHECK(one->text == expected.text);
  }
  CHECK(store->loadParagraph(1, 1, 3)->text == "Điều 1");
  CHECK_FALSE(store->loadParagraph(1, 1, 0));
  CHECK_FALSE(store->loadParagraph(1, 1, 5));
  CHECK_FALSE(store->loadParagraph(1, 2, 1));  // no such version
  CHECK_FALSE(store->loadParagraph(7, 1, 1));  // no such document
}
