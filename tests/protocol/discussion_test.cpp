// Discussion of drafts, written contributions, the reading record and the study
// assistant through the real hall, SQLite store, archive reader and worker.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "document_hall.hpp"

namespace daihoi::testing {
namespace {

using domain::Role;

// Two discussion groups of one delegation each, a third delegation in none.
struct DiscussionHall : DocumentHall {
  std::uint32_t delegationA = 0, delegationB = 0, delegationC = 0;
  std::string a1, a2, b1, c1;  // delegate codes
  std::uint32_t documentId = 0;
  v1::DocumentVersionReply v1Text;

  DiscussionHall() {
    for (const auto& d : delegates) {
      if (delegationA == 0) delegationA = d.delegationId;
      if (d.delegationId == delegationA) {
        if (a1.empty()) {
          a1 = d.code;
        } else if (a2.empty()) {
          a2 = d.code;
        }
      } else if (delegationB == 0 || d.delegationId == delegationB) {
        delegationB = d.delegationId;
        if (b1.empty()) b1 = d.code;
      } else if (delegationC == 0 || d.delegationId == delegationC) {
        delegationC = d.delegationId;
        if (c1.empty()) c1 = d.code;
      }
    }
    REQUIRE(!a2.empty());
    REQUIRE(!b1.empty());
    REQUIRE(!c1.empty());
  }

  v1::Response setGroups(FakeTerminal& organizer, v1::CommentVisibility visibility = v1::COMMENT_VISIBILITY_GROUP) {
    v1::ClientMessage m;
    auto& in = *m.mutable_set_discussion_groups();
    auto& first = *in.add_groups();
    first.set_name("Tổ 1");
    first.add_delegation_ids(delegationA);
    auto& second = *in.add_groups();
    second.set_name("Tổ 2");
    second.add_delegation_ids(delegationB);
    in.set_visibility(visibility);
    return call(organizer, m);
  }

  void publishDraft(FakeTerminal& secretary) {
    auto added = add(secretary, kDraftV1, "du-thao.md", everyone());
    REQUIRE_MESSAGE(added.has_document(), added.DebugString());
    documentId = added.document().document().id();
    v1Text = version(secretary, documentId, 1).document_version();
    REQUIRE(v1Text.paragraphs_size() == 6);
  }

  v1::Response comment(FakeTerminal& t, std::uint32_t version, const std::string& paragraphId, const std::string& text,
                       std::uint64_t replyTo = 0, std::uint32_t begin = 0, std::uint32_t end = 0) {
    v1::ClientMessage m;
    auto& in = *m.mutable_add_comment();
    in.set_document_id(documentId);
    in.set_version(version);
    in.set_paragraph_id(paragraphId);
    in.set_text(text);
    in.set_reply_to(replyTo);
    if (begin != end) {
      in.mutable_range()->set_begin(begin);
      in.mutable_range()->set_end(end);
    }
    return call(t, m);
  }

  std::vector<v1::Comment> listed(FakeTerminal& t) {
    v1::ClientMessage m;
    m.mutable_list_comments()->set_document_id(documentId);
    auto response = call(t, m);
    REQUIRE_MESSAGE(response.has_comments(), response.DebugString());
    return {response.comments().comments().begin(), response.comments().comments().end()};
  }

  static std::vector<v1::Comment> heard(const FakeTerminal& t) {
    std::vector<v1::Comment> out;
    for (const auto& event : t.events()) {
      if (event.has_comment_added()) out.push_back(event.comment_added().comment());
    }
    return out;
  }

  v1::Response mark(FakeTerminal& t, std::uint64_t commentId, v1::CommentMark value, const std::string& note = {}) {
    v1::ClientMessage m;
    m.mutable_mark_comment()->set_comment_id(commentId);
    m.mutable_mark_comment()->set_mark(value);
    m.mutable_mark_comment()->set_note(note);
    return call(t, m);
  }

  v1::Response compile(FakeTerminal& t, v1::ExportFormat format) {
    v1::ClientMessage m;
    m.mutable_compile_comments()->set_document_id(documentId);
    m.mutable_compile_comments()->set_format(format);
    return call(t, m);
  }

  v1::Response open(FakeTerminal& t, std::uint32_t id, std::uint32_t version) {
    v1::ClientMessage m;
    m.mutable_open_document()->set_document_id(id);
    m.mutable_open_document()->set_version(version);
    return call(t, m);
  }

  v1::Response readers(FakeTerminal& t, std::uint32_t id) {
    v1::ClientMessage m;
    m.mutable_get_document_readers()->set_document_id(id);
    return call(t, m);
  }

  v1::Response ask(FakeTerminal& t, const std::string& question) {
    v1::ClientMessage m;
    m.mutable_ask_question()->set_question(question);
    return call(t, m);
  }

  v1::Response decide(FakeTerminal& t, std::uint32_t id, bool approved, const std::string& note) {
    v1::ClientMessage m;
    m.mutable_decide_contribution()->set_document_id(id);
    m.mutable_decide_contribution()->set_approved(approved);
    m.mutable_decide_contribution()->set_note(note);
    return call(t, m);
  }
};

std::set<std::uint64_t> idsOf(const std::vector<v1::Comment>& comments) {
  std::set<std::uint64_t> ids;
  for (const auto& c : comments) ids.insert(c.id());
  return ids;
}

}  // namespace

TEST_CASE_FIXTURE(DiscussionHall, "comments are read by the author's group and the secretariat; replies make threads") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  auto groups = setGroups(*organizer);
  REQUIRE_MESSAGE(groups.has_discussion_groups(), groups.DebugString());
  REQUIRE(groups.discussion_groups().groups_size() == 2);
  CHECK(groups.discussion_groups().groups(0).id() == 1);
  CHECK(groups.discussion_groups().groups(1).name() == "Tổ 2");
  publishDraft(*secretary);
  auto da1 = signedInDelegate(a1);
  auto da2 = signedInDelegate(a2);
  auto db1 = signedInDelegate(b1);
  auto dc1 = signedInDelegate(c1);

  const std::string paragraph = v1Text.paragraphs(2).id();
  auto made = comment(*da1, 1, paragraph, "Đề nghị bổ sung   nhiệm vụ quốc phòng.");
  REQUIRE_MESSAGE(made.has_comment(), made.DebugString());
  const v1::Comment& first = made.comment().comment();
  CHECK(first.text() == "Đề nghị bổ sung nhiệm vụ quốc phòng.");
  CHECK(first.group_id() == 1);
  CHECK(first.paragraph_number() == 3);
  CHECK(first.thread_id() == first.id());
  CHECK(first.author().login() == a1);
  CHECK(first.newest_paragraph_number() == 3);

  // Heard at once by the group and the secretariat, by nobody else.
  CHECK(idsOf(heard(*da2)) == std::set<std::uint64_t>{first.id()});
  CHECK(idsOf(heard(*secretary)) == std::set<std::uint64_t>{first.id()});
  CHECK(heard(*db1).empty());
  CHECK(heard(*dc1).empty());
  CHECK(listed(*da2).size() == 1);
  CHECK(listed(*db1).empty());
  CHECK(listed(*dc1).empty());

  // Another group's thread cannot even be answered; its own group and the secretariat can.
  CHECK(comment(*db1, 0, "", "Tôi cũng đồng ý", first.id()).error().code() == v1::ERROR_NOT_FOUND);
  auto reply = comment(*da2, 0, "", "Đồng ý, nêu rõ lực lượng dự bị động viên.", first.id());
  REQUIRE_MESSAGE(reply.has_comment(), reply.DebugString());
  CHECK(reply.comment().comment().thread_id() == first.id());
  CHECK(reply.comment().comment().paragraph_id() == paragraph);
  auto answer = comment(*secretary, 0, "", "Tổ biên tập sẽ tiếp thu.", reply.comment().comment().id());
  REQUIRE_MESSAGE(answer.has_comment(), answer.DebugString());
  CHECK(answer.comment().comment().group_id() == 0);
  CHECK(idsOf(heard(*da1)).count(answer.comment().comment().id()) == 1);  // the thread's readers hear it
  CHECK(heard(*db1).empty());
  auto thread = listed(*da1);
  REQUIRE(thread.size() == 3);
  CHECK(thread[0].id() == first.id());
  CHECK(thread[2].reply_to() == reply.comment().comment().id());

  // Group 2 has its own thread, unseen by group 1.
  auto other = comment(*db1, 1, v1Text.paragraphs(4).id(), "Cần cụ thể hoá chỉ tiêu.");
  REQUIRE(other.has_comment());
  CHECK(other.comment().comment().group_id() == 2);
  CHECK(listed(*da1).size() == 3);
  CHECK(listed(*secretary).size() == 4);

  // Every delegate reads every comment when the organizer says so; then nobody when secretariat only.
  REQUIRE(setGroups(*organizer, v1::COMMENT_VISIBILITY_ALL_DELEGATES).has_discussion_groups());
  CHECK(listed(*dc1).size() == 4);
  REQUIRE(setGroups(*organizer, v1::COMMENT_VISIBILITY_SECRETARIAT).has_discussion_groups());
  CHECK(listed(*da2).empty());
  CHECK(listed(*da1).size() == 3);  // the author still reads their own thread
  bool sawChange = false;
  for (const auto& event : dc1->events()) sawChange |= event.has_discussion_groups_changed();
  CHECK(sawChange);

  // A reply may leave its document out: it is its comment's. A thread the
  // sender may not read stays unknown, and a wrong document is refused.
  v1::ClientMessage m;
  auto& in = *m.mutable_add_comment();
  in.set_reply_to(first.id());
  in.set_text("Bổ sung thêm về dân quân tự vệ.");
  auto withoutDocument = call(*da1, m);
  REQUIRE_MESSAGE(withoutDocument.has_comment(), withoutDocument.DebugString());
  CHECK(withoutDocument.comment().comment().document_id() == documentId);
  CHECK(withoutDocument.comment().comment().thread_id() == first.id());
  CHECK(withoutDocument.comment().comment().paragraph_id() == paragraph);
  auto unreadable = call(*da2, m);  // secretariat-only now: group A's other delegate no longer reads it
  CHECK(unreadable.error().code() == v1::ERROR_NOT_FOUND);
  CHECK(unreadable.error().message() == "no comment " + std::to_string(first.id()));
  in.set_document_id(documentId + 1);
  CHECK(call(*da1, m).error().code() == v1::ERROR_NOT_FOUND);
  CHECK(listed(*da1).size() == 4);
}

TEST_CASE_FIXTURE(DiscussionHall, "bad comments and groups: a clear error and nothing kept") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  publishDraft(*secretary);
  auto da1 = signedInDelegate(a1);
  const std::string paragraph = v1Text.paragraphs(2).id();
  CHECK(comment(*da1, 1, paragraph, "   ").error().code() == v1::ERROR_INVALID_ARGUMENT);
  CHECK(comment(*da1, 1, paragraph, std::string(6000, 'a')).error().code() == v1::ERROR_INVALID_ARGUMENT);
  CHECK(comment(*da1, 1, "p0000000000", "Ý kiến").error().code() == v1::ERROR_NOT_FOUND);
  CHECK(comment(*da1, 7, paragraph, "Ý kiến").error().code() == v1::ERROR_NOT_FOUND);
  CHECK(comment(*da1, 1, paragraph, "Ý kiến", 999).error().code() == v1::ERROR_NOT_FOUND);
  // A range must lie within the paragraph, on character boundaries; then its text is quoted.
  const std::string& text = v1Text.paragraphs(2).text();
  CHECK(comment(*da1, 1, paragraph, "Ý kiến", 0, 0, static_cast<std::uint32_t>(text.size() + 1)).error().code() ==
        v1::ERROR_INVALID_ARGUMENT);
  CHECK(comment(*da1, 1, paragraph, "Ý kiến", 0, 5, 2).error().code() == v1::ERROR_INVALID_ARGUMENT);
  const auto dang = static_cast<std::uint32_t>(text.find("Đảng bộ"));
  REQUIRE(dang != std::string::npos);
  CHECK(comment(*da1, 1, paragraph, "Ý kiến", 0, dang + 1, dang + 4).error().code() == v1::ERROR_INVALID_ARGUMENT);
  {
    auto chair = signedIn(Role::Chair);
    CHECK(comment(*chair, 1, paragraph, "Ý kiến").error().code() == v1::ERROR_PERMISSION_DENIED);
  }
  CHECK(listed(*secretary).empty());
  auto ranged = comment(*da1, 1, paragraph, "Nên viết “Đảng bộ tỉnh”.", 0, dang,
                        dang + static_cast<std::uint32_t>(std::string("Đảng bộ").size()));
  REQUIRE_MESSAGE(ranged.has_comment(), ranged.DebugString());
  CHECK(ranged.comment().comment().quote() == "Đảng bộ");
  CHECK(ranged.comment().comment().range().begin() == dang);

  // Groups: a delegation in two groups, an unknown delegation, two groups of one name, no name.
  v1::ClientMessage m;
  auto& in = *m.mutable_set_discussion_groups();
  auto* g1 = in.add_groups();
  g1->set_name("Tổ 1");
  g1->add_delegation_ids(delegationA);
  auto* g2 = in.add_groups();
  g2->set_name("Tổ 2");
  g2->add_delegation_ids(delegationA);
  CHECK(call(*organizer, m).error().code() == v1::ERROR_INVALID_ARGUMENT);
  g2->set_delegation_ids(0, 9999);
  CHECK(call(*organizer, m).error().code() == v1::ERROR_NOT_FOUND);
  g2->set_delegation_ids(0, delegationB);
  g2->set_name("TỔ 1");
  CHECK(call(*organizer, m).error().code() == v1::ERROR_INVALID_ARGUMENT);
  g2->set_name("");
  CHECK(call(*organizer, m).error().code() == v1::ERROR_INVALID_ARGUMENT);
  CHECK(call(*secretary, m).error().code() == v1::ERROR_PERMISSION_DENIED);
  v1::ClientMessage get;
  get.mutable_get_discussion_groups();
  CHECK(call(*da1, get).discussion_groups().groups_size() == 0);
}

TEST_CASE_FIXTURE(DiscussionHall, "a comment follows its passage into the newest version, or says it was removed") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  REQUIRE(setGroups(*organizer).has_discussion_groups());
  publishDraft(*secretary);
  auto da1 = signedInDelegate(a1);
  // Paragraph 3 is edited in version 2, paragraph 6 removed, paragraph 5 unchanged.
  auto edited = comment(*da1, 1, v1Text.paragraphs(2).id(), "Bổ sung quốc phòng").comment().comment();
  auto removed = comment(*da1, 1, v1Text.paragraphs(5).id(), "Chỉ tiêu 7% là cao").comment().comment();
  auto kept = comment(*da1, 1, v1Text.paragraphs(4).id(), "Đồng ý").comment().comment();
  REQUIRE(update(*secretary, documentId, kDraftV2, "Tiếp thu ý kiến các tổ").has_document());

  auto comments = listed(*da1);
  REQUIRE(comments.size() == 3);
  // Reading order of the newest version; the removed passage last.
  CHECK(comments[0].id() == edited.id());
  CHECK(comments[0].newest_version() == 2);
  CHECK(comments[0].newest_paragraph_number() == 3);
  CHECK_FALSE(comments[0].passage_removed());
  CHECK(comments[1].id() == kept.id());
  CHECK(comments[1].newest_paragraph_number() == 5);
  CHECK(comments[2].id() == removed.id());
  CHECK(comments[2].passage_removed());
  CHECK(comments[2].newest_paragraph_number() == 0);
  CHECK(comments[2].version() == 1);
  CHECK(comments[2].paragraph_number() == 6);

  // A comment on version 2 lands in the newest text too, and everything survives a restart.
  auto v2Text = version(*da1, documentId, 2).document_version();
  REQUIRE(comment(*da1, 2, v2Text.paragraphs(5).id(), "Chuyển đổi số cần lộ trình").has_comment());
  REQUIRE(mark(*secretary, edited.id(), v1::COMMENT_MARK_ACCEPTED, "Đã bổ sung ở bản 2").has_comment());
  da1.reset();
  secretary.reset();
  organizer.reset();
  restart();
  auto again = signedInDelegate(a1);
  comments = listed(*again);
  REQUIRE(comments.size() == 4);
  CHECK(comments[0].mark() == v1::COMMENT_MARK_ACCEPTED);
  CHECK(comments[0].mark_note() == "Đã bổ sung ở bản 2");
  CHECK(comments[3].passage_removed());
  CHECK(comments[2].newest_paragraph_number() == 6);
  v1::ClientMessage get;
  get.mutable_get_discussion_groups();
  CHECK(call(*again, get).discussion_groups().groups_size() == 2);
}

TEST_CASE_FIXTURE(DiscussionHall, "the secretariat marks comments and compiles them by section and group, as CSV and Markdown") {
  auto organizer = signedIn(Role::Organizer);
  auto secretary = signedIn(Role::Secretary);
  REQUIRE(setGroups(*organizer).has_discussion_groups());
  publishDraft(*secretary);
  auto da1 = signedInDelegate(a1);
  auto db1 = signedInDelegate(b1);
  auto first = comment(*da1, 1, v1Text.paragraphs(2).id(), "Bổ sung \"quốc phòng\", an ninh").comment().comment();
  auto second = comment(*db1, 1, v1Text.paragraphs(4).id(), "=Cần cụ thể hoá").comment().comment();
  auto third = comment(*db1, 1, v1Text.paragraphs(5).id(), "Chỉ tiêu 7% là cao").comment().comment();
  REQUIRE(update(*secretary, documentId, kDraftV2, "Tiếp thu").has_document());

  CHECK(mark(*da1, first.id(), v1::COMMENT_MARK_ACCEPTED).error().code() == v1::ERROR_PERMISSION_DENIED);
  CHECK(mark(*secretary, 777, v1::COMMENT_MARK_ACCEPTED).error().code() == v1::ERROR_NOT_FOUND);
  CHECK(mark(*secretary, first.id(), static_cast<v1::CommentMark>(9)).error().code() == v1::ERROR_INVALID_ARGUMENT);
  auto marked = mark(*secretary, first.id(), v1::COMMENT_MARK_ACCEPTED, "Đã bổ sung");
  REQUIRE_MESSAGE(marked.has_comment(), marked.DebugString());
  CHECK(marked.comment().comment().marked_by().role() == v1::ROLE_SECRETARY);
  bool authorHeard = false;
  for (const auto& event : da1->events()) {
    authorHeard |= event.has_comment_marked() && event.comment_marked().comment().id() == first.id();
  }
  CHECK(authorHeard);
  REQUIRE(mark(*secretary, second.id(), v1::COMMENT_MARK_NOTED).has_comment());
  REQUIRE(mark(*secretary, third.id(), v1::COMMENT_MARK_NOT_ACCEPTED, "Giữ chỉ tiêu").has_comment());
  REQUIRE(mark(*secretary, third.id(), v1::COMMENT_MARK_NOTED).has_comment());  // marking again replaces

  CHECK(compile(*da1, v1::EXPORT_FORMAT_CSV).error().code() == v1::ERROR_PERMISSION_DENIED);
  auto csv = compile(*secretary, v1::EXPORT_FORMAT_CSV);
  REQUIRE_MESSAGE(csv.has_comment_compilation(), csv.DebugString());
  const auto& compiled = csv.comment_compilation();
  CHECK(compiled.newest_version() == 2);
  CHECK(compiled.counts().total() == 3);
  CHECK(compiled.counts().accepted() == 1);
  CHECK(compiled.counts().noted() == 2);
  CHECK(compiled.counts().not_accepted() == 0);
  REQUIRE(compiled.groups_size() == 2);
  CHECK(compiled.groups(0).group_name() == "Tổ 1");
  CHECK(compiled.groups(0).counts().total() == 1);
  CHECK(compiled.groups(1).group_name() == "Tổ 2");
  CHECK(compiled.groups(1).counts().total() == 2);
  // Sections of version 2: Điều 1 (paragraph 3), Điều 2 (paragraph 5), and the removed passage.
  REQUIRE(compiled.sections_size() == 3);
  CHECK(compiled.sections(0).section() == "Điều 1. Phạm vi điều chỉnh");
  CHECK(compiled.sections(1).section() == "Điều 2. Mục tiêu");
  CHECK(compiled.sections(2).removed_passages());
  CHECK(compiled.sections(2).comment_ids(0) == third.id());
  CHECK(compiled.export_file_name() == "gop-y-tai-lieu-" + std::to_string(documentId) + ".csv");
  const std::string& text = compiled.export_text();
  CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(text.find("\"Bổ sung \"\"quốc phòng\"\", an ninh\"") != std::string::npos);  // quotes doubled
  CHECK(text.find("\"'=Cần cụ thể hoá\"") != std::string::npos);  // no formula in a spreadsheet
  CHECK(text.find("\"tiếp thu\",\"Đã bổ sung\"") != std::string::npos);
  CHECK(text.find("đã bị xoá ở bản 2") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);  // the header and three comments

  auto markdown = compile(*secretary, v1::EXPORT_FORMAT_MARKDOWN).comment_compilation();
  const std::string& md = markdown.export_text();
  CHECK(md.find("# Tổng hợp ý kiến góp ý: Dự thảo Nghị quyết Đại hội") != std::string::npos);
  CHECK(md.find("| Tổ 2 | 2 | 0 | 2 | 0 | 0 |") != std::string::npos);
  CHECK(md.find("### Điều 1. Phạm vi điều chỉnh") != std::string::npos);
  CHECK(md.find("### Đoạn đã bị xoá ở bản mới nhất") != std::string::npos);
  CHECK(md.find("Chỉ tiêu 7% là cao") != std::string::npos);
}

TEST_CASE_FIXTURE(DiscussionHall, "a delegate's written contribution is private until the secretariat approves it") {
  auto secretary = signedIn(Role::Secretary);
  auto author = signedInDelegate(a1);
  auto other = signedInDelegate(b1);
  const std::string text = "Tham luận về chuyển đổi số ở cấp xã\n\nCần đầu tư hạ tầng số cho các xã vùng cao.\n";
  auto wrongKind = add(*author, text, "tham-luan.md", everyone(), "Tham luận", v1::DOCUMENT_KIND_DRAFT_RESOLUTION);
  CHECK(wrongKind.error().code() == v1::ERROR_PERMISSION_DENIED);
  auto added = add(*author, text, "tham-luan.md", everyone(), "Tham luận của Đoàn", v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION);
  REQUIRE_MESSAGE(added.has_document(), added.DebugString());
  const auto& summary = added.document().document();
  CHECK(summary.contribution().status() == v1::CONTRIBUTION_STATUS_SUBMITTED);
  CHECK_FALSE(summary.audience().everyone());  // the author's audience is ignored
  const std::uint32_t id = summary.id();
  CHECK(list(*other).documents().documents_size() == 0);
  CHECK(published(*other).empty());
  CHECK(list(*secretary).documents().documents_size() == 1);
  CHECK(version(*other, id, 1).error().code() == v1::ERROR_NOT_FOUND);

  // Declining needs a reason; approving opens it to everyone, who hear of it.
  CHECK(decide(*secretary, id, false, "").error().code() == v1::ERROR_INVALID_ARGUMENT);
  CHECK(decide(*author, id, true, "").error().code() == v1::ERROR_PERMISSION_DENIED);
  auto approved = decide(*secretary, id, true, "Trình bày tại phiên chiều");
  REQUIRE_MESSAGE(approved.has_document(), approved.DebugString());
  CHECK(approved.document().document().contribution().status() == v1::CONTRIBUTION_STATUS_APPROVED);
  bool otherHeard = false;
  for (const auto& event : other->events()) otherHeard |= event.has_contribution_decided();
  CHECK(otherHeard);
  CHECK(version(*other, id, 1).has_document_version());
  CHECK(list(*author).documents().documents_size() == 1);
  // A document that is not a contribution cannot be decided on; the author cannot revise after the decision.
  CHECK(update(*author, id, text + "\nBổ sung.\n", "sửa").error().code() == v1::ERROR_FAILED_PRECONDITION);
  auto draft = add(*secretary, kDraftV1, "du-thao.md", everyone());
  CHECK(decide(*secretary, draft.document().document().id(), true, "").error().code() ==
        v1::ERROR_FAILED_PRECONDITION);

  author.reset();
  other.reset();
  secretary.reset();
  restart();
  auto again = signedInDelegate(b1);
  auto documents = list(*again).documents();
  REQUIRE(documents.documents_size() == 2);
  CHECK(documents.documents(0).contribution().status() == v1::CONTRIBUTION_STATUS_APPROVED);
  CHECK(documents.documents(0).contribution().decision_note() == "Trình bày tại phiên chiều");
}

TEST_CASE_FIXTURE(DiscussionHall, "organizers see who opened the newest version") {
  auto secretary = signedIn(Role::Secretary);
  auto organizer = signedIn(Role::Organizer);
  publishDraft(*secretary);
  auto da1 = signedInDelegate(a1);
  auto db1 = signedInDelegate(b1);
  auto opened = open(*da1, documentId, 0);
  REQUIRE_MESSAGE(opened.has_open_document(), opened.DebugString());
  const std::int64_t first = opened.open_document().first_opened_ms();
  CHECK(first > 0);
  CHECK(open(*da1, documentId, 1).open_document().first_opened_ms() == first);  // once is enough
  CHECK(open(*da1, documentId, 5).error().code() == v1::ERROR_NOT_FOUND);
  CHECK(readers(*da1, documentId).error().code() == v1::ERROR_PERMISSION_DENIED);

  auto before = readers(*organizer, documentId).document_readers();
  CHECK(before.readers() == delegates.size());
  CHECK(before.opened_newest() == 1);
  REQUIRE(update(*secretary, documentId, kDraftV2, "Bản 2").has_document());
  auto after = readers(*organizer, documentId).document_readers();
  CHECK(after.newest_version() == 2);
  CHECK(after.opened_newest() == 0);  // a new version must be opened again
  REQUIRE(open(*db1, documentId, 2).has_open_document());
  after = readers(*organizer, documentId).document_readers();
  CHECK(after.opened_newest() == 1);
  for (const auto& reader : after.delegates()) {
    if (reader.code() == a1) {
      CHECK(reader.newest_opened() == 1);
      CHECK(reader.opened_newest_ms() == 0);
    } else if (reader.code() == b1) {
      CHECK(reader.newest_opened() == 2);
      CHECK(reader.opened_newest_ms() > 0);
    }
  }
  da1.reset();
  db1.reset();
  organizer.reset();
  secretary.reset();
  restart();
  auto again = signedIn(Role::Organizer);
  CHECK(readers(*again, documentId).document_readers().opened_newest() == 1);
}

TEST_CASE_FIXTURE(DiscussionHall, "the study assistant cites the passages that answer a question, within the audience") {
  auto secretary = signedIn(Role::Secretary);
  publishDraft(*secretary);
  REQUIRE(update(*secretary, documentId, kDraftV2, "Bản 2").has_document());
  auto da1 = signedInDelegate(a1);
  auto answer = ask(*da1, "Chuyển đổi số trong cơ quan Đảng thế nào?");
  REQUIRE_MESSAGE(answer.has_study(), answer.DebugString());
  REQUIRE(answer.study().passages_size() >= 1);
  const auto& best = answer.study().passages(0);
  CHECK(best.document_id() == documentId);
  CHECK(best.version() == 2);
  CHECK(best.paragraph_number() == 6);
  CHECK(best.text().find("Chuyển đổi số") == 0);
  REQUIRE(best.highlights_size() >= 3);
  CHECK(best.text().substr(best.highlights(0).begin(), best.highlights(0).end() - best.highlights(0).begin()) ==
        "Chuyển");
  // Without diacritics the same passage comes first.
  auto folded = ask(*da1, "chuyen doi so co quan dang");
  REQUIRE_MESSAGE(folded.study().passages_size() >= 1, folded.DebugString());
  CHECK(folded.study().passages(0).paragraph_id() == best.paragraph_id());
  CHECK(ask(*da1, "là gì?").error().code() == v1::ERROR_INVALID_ARGUMENT);

  // A document outside the delegate's audience is never cited.
  v1::DocumentAudience onlyB;
  onlyB.add_delegation_ids(delegationB);
  REQUIRE(add(*secretary, "Chuyển đổi số cơ quan Đảng: kế hoạch mật của tổ chức.\n", "mat.txt", onlyB, "Mật")
              .has_document());
  const auto outside = ask(*da1, "chuyen doi so co quan dang");
  REQUIRE(outside.has_study());
  for (const auto& passage : outside.study().passages()) CHECK(passage.document_id() == documentId);
  auto db1 = signedInDelegate(b1);
  bool secretCited = false;
  const auto inside = ask(*db1, "chuyen doi so co quan dang");
  for (const auto& passage : inside.study().passages()) {
    secretCited |= passage.document_id() != documentId;
  }
  CHECK(secretCited);
}

}  // namespace daihoi::testing
