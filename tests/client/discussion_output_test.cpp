// Output of the reading and discussion commands, from hand-built replies: discussion groups,
// search hits and study passages with their highlights, comment threads and marks, the compiled
// comments, readers, downloads, written contributions, and their watch lines.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include "cli/discussion_output.hpp"
#include "cli/doc_output.hpp"
#include "cli/output.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
namespace v1 = daihoi::v1;
using daihoi::client::StateMirror;

namespace {

constexpr std::int64_t kMorning = 1'764'637'200'000;  // 2025-12-02 08:00:00 in Hà Nội (UTC+7)

v1::RosterReply roster() {
  v1::RosterReply roster;
  const char* names[] = {"Đoàn Hà Nội", "Đoàn Hải Phòng", "Đoàn Thành phố Hồ Chí Minh", "Đoàn Quân đội"};
  for (std::uint32_t id = 1; id <= 4; ++id) {
    auto* delegation = roster.add_delegations();
    delegation->set_id(id);
    delegation->set_name(names[id - 1]);
  }
  auto* delegate = roster.add_delegates();
  delegate->set_id(7);
  delegate->set_code("HN-007");
  delegate->set_full_name("Nguyễn Văn An");
  delegate->set_delegation_id(1);
  return roster;
}

StateMirror namesMirror() {
  StateMirror mirror;
  mirror.applyRoster(roster());
  return mirror;
}

v1::DiscussionGroupsReply groups() {
  v1::DiscussionGroupsReply reply;
  auto* first = reply.add_groups();
  first->set_id(1);
  first->set_name("Tổ 1");
  first->add_delegation_ids(1);
  first->add_delegation_ids(2);
  auto* second = reply.add_groups();
  second->set_id(2);
  second->set_name("Tổ 2");
  second->add_delegation_ids(3);
  reply.set_visibility(v1::COMMENT_VISIBILITY_GROUP);
  return reply;
}

v1::Principal delegatePrincipal(std::uint32_t id, const char* code, const char* name) {
  v1::Principal p;
  p.set_role(v1::ROLE_DELEGATE);
  p.set_account_id(id);
  p.set_login(code);
  p.set_display_name(name);
  return p;
}

v1::Principal secretary() {
  v1::Principal p;
  p.set_role(v1::ROLE_SECRETARY);
  p.set_account_id(2);
  p.set_login("secretary");
  p.set_display_name("Thư ký Lan");
  return p;
}

v1::TextRange range(std::uint32_t begin, std::uint32_t end) {
  v1::TextRange r;
  r.set_begin(begin);
  r.set_end(end);
  return r;
}

google::protobuf::RepeatedPtrField<v1::TextRange> ranges(std::vector<std::pair<std::uint32_t, std::uint32_t>> list) {
  google::protobuf::RepeatedPtrField<v1::TextRange> out;
  for (auto [begin, end] : list) *out.Add() = range(begin, end);
  return out;
}

// Comment #3 by a delegate of Tổ 1 on §12 of version 1, now §14 of version 2, accepted; #5 replies to it.
v1::Comment threadStart() {
  v1::Comment c;
  c.set_id(3);
  c.set_document_id(1);
  c.set_version(1);
  c.set_paragraph_id("p0a1b2c3d4e");
  c.set_paragraph_number(12);
  c.set_thread_id(3);
  *c.mutable_author() = delegatePrincipal(7, "HN-007", "Nguyễn Văn An");
  c.set_delegation("Đoàn Hà Nội");
  c.set_group_id(1);
  c.set_text("Đề nghị bổ sung chỉ tiêu về môi trường.\nNêu rõ mốc 2030.");
  c.set_created_ms(kMorning);
  c.set_mark(v1::COMMENT_MARK_ACCEPTED);
  c.set_mark_note("Đã sửa ở bản 2");
  *c.mutable_marked_by() = secretary();
  c.set_marked_ms(kMorning + 3'600'000);
  c.set_newest_version(2);
  c.set_newest_paragraph_number(14);
  return c;
}

v1::Comment replyComment() {
  v1::Comment c = threadStart();
  c.set_id(5);
  c.set_reply_to(3);
  *c.mutable_author() = delegatePrincipal(9, "HP-002", "Trần Thị Bình");
  c.set_delegation("Đoàn Hải Phòng");
  c.set_text("Tán thành.");
  c.set_created_ms(kMorning + 600'000);
  c.set_mark(v1::COMMENT_MARK_UNSPECIFIED);
  c.clear_mark_note();
  c.clear_marked_by();
  c.set_marked_ms(0);
  return c;
}

// Comment #4 of Tổ 2 on a passage removed in version 2, with a quoted range.
v1::Comment removedPassage() {
  v1::Comment c;
  c.set_id(4);
  c.set_document_id(1);
  c.set_version(1);
  c.set_paragraph_id("p9f9f9f9f9f");
  c.set_paragraph_number(9);
  *c.mutable_range() = range(0, 10);
  c.set_quote("Khoản 1.7");
  c.set_thread_id(4);
  *c.mutable_author() = delegatePrincipal(20, "HCM-001", "Lê Văn Cường");
  c.set_delegation("Đoàn Thành phố Hồ Chí Minh");
  c.set_group_id(2);
  c.set_text("Nên giữ khoản này.");
  c.set_created_ms(kMorning + 60'000);
  c.set_newest_version(2);
  c.set_passage_removed(true);
  return c;
}

v1::TallyByMark counts(std::uint32_t total, std::uint32_t accepted, std::uint32_t noted, std::uint32_t notAccepted,
                       std::uint32_t unmarked) {
  v1::TallyByMark t;
  t.set_total(total);
  t.set_accepted(accepted);
  t.set_noted(noted);
  t.set_not_accepted(notAccepted);
  t.set_unmarked(unmarked);
  return t;
}

}  // namespace

TEST_CASE("marks and visibility: keys for JSON and the command line, Vietnamese labels") {
  CHECK(commentMarkKey(v1::COMMENT_MARK_ACCEPTED) == "accepted");
  CHECK(commentMarkKey(v1::COMMENT_MARK_NOT_ACCEPTED) == "not-accepted");
  CHECK(commentMarkKey(v1::COMMENT_MARK_UNSPECIFIED) == "none");
  CHECK(commentMarkLabel(v1::COMMENT_MARK_ACCEPTED) == "tiếp thu");
  CHECK(commentMarkLabel(v1::COMMENT_MARK_NOTED) == "ghi nhận");
  CHECK(commentMarkLabel(v1::COMMENT_MARK_NOT_ACCEPTED) == "không tiếp thu");
  CHECK(commentMarkLabel(v1::COMMENT_MARK_UNSPECIFIED) == "chưa xử lý");
  CHECK(visibilityKey(v1::COMMENT_VISIBILITY_ALL_DELEGATES) == "all-delegates");
  CHECK(visibilityKey(v1::COMMENT_VISIBILITY_SECRETARIAT) == "secretariat");
  CHECK(visibilityKey(v1::COMMENT_VISIBILITY_UNSPECIFIED) == "group");
}

TEST_CASE("highlights: «…» for a pipe, bold on a terminal; ranges sorted, merged, clipped; lines flattened") {
  const std::string text = "Đại hội Đảng bộ tỉnh";  // "Đại" is bytes 0–6, "hội" 7–12, "tỉnh" 26–32
  CHECK(highlightedText(text, ranges({{0, 6}, {7, 12}}), false) == "«Đại» «hội» Đảng bộ tỉnh");
  CHECK(highlightedText(text, ranges({{7, 12}, {0, 6}}), true) == "\033[1mĐại\033[0m \033[1mhội\033[0m Đảng bộ tỉnh");
  CHECK(highlightedText(text, ranges({{0, 8}, {7, 12}}), false) == "«Đại hội» Đảng bộ tỉnh");  // overlapping: one
  // clipped, an empty range dropped
  CHECK(highlightedText(text, ranges({{26, 99}, {7, 7}}), false) == "Đại hội Đảng bộ «tỉnh»");
  CHECK(highlightedText("một\nhai\x1b[31m", ranges({}), false) == "một hai\xEF\xBF\xBD[31m");
  CHECK(highlightedText("", ranges({{0, 3}}), true).empty());
}

TEST_CASE("groups set: delegations by name (any case) or number; unknown or twice is a usage error") {
  std::vector<DiscussionGroupSpec> specs = {{"Tổ 1", {"đoàn hà nội", "2"}}, {"Tổ 2", {"Đoàn Thành phố Hồ Chí Minh"}}};
  auto request = discussionGroupsRequest(specs, v1::COMMENT_VISIBILITY_ALL_DELEGATES, roster());
  REQUIRE(std::holds_alternative<v1::SetDiscussionGroups>(request));
  const auto& set = std::get<v1::SetDiscussionGroups>(request);
  CHECK(set.visibility() == v1::COMMENT_VISIBILITY_ALL_DELEGATES);
  REQUIRE(set.groups_size() == 2);
  CHECK(set.groups(0).name() == "Tổ 1");
  CHECK(std::vector<std::uint32_t>(set.groups(0).delegation_ids().begin(), set.groups(0).delegation_ids().end()) ==
        std::vector<std::uint32_t>{1, 2});
  CHECK(set.groups(1).delegation_ids(0) == 3u);

  auto unknown = discussionGroupsRequest({{"Tổ 1", {"Đoàn Sao Hỏa"}}}, v1::COMMENT_VISIBILITY_GROUP, roster());
  REQUIRE(std::holds_alternative<CliError>(unknown));
  CHECK(std::get<CliError>(unknown).exitCode == kExitUsage);
  CHECK(mentions(std::get<CliError>(unknown).message, "Tổ 1: không có đoàn \"Đoàn Sao Hỏa\"; các đoàn: Đoàn Hà Nội"));
  auto twice =
      discussionGroupsRequest({{"Tổ 1", {"1"}}, {"Tổ 2", {"Đoàn Hà Nội"}}}, v1::COMMENT_VISIBILITY_GROUP, roster());
  REQUIRE(std::holds_alternative<CliError>(twice));
  CHECK(mentions(std::get<CliError>(twice).message, "\"Đoàn Hà Nội\" is in two groups (Tổ 1, Tổ 2)"));
}

TEST_CASE("groups list: each group with its delegations, who reads comments, the delegations in no group") {
  const StateMirror names = namesMirror();
  CHECK(discussionGroupsText(groups(), names, false) ==
        "Tổ thảo luận / discussion groups: 2 tổ\n"
        "Góp ý của đại biểu: mỗi tổ đọc góp ý của tổ mình / each group reads its own\n"
        "  Tổ 1: Đoàn Hà Nội, Đoàn Hải Phòng\n"
        "  Tổ 2: Đoàn Thành phố Hồ Chí Minh\n"
        "Chưa vào tổ nào / in no group: Đoàn Quân đội\n");
  CHECK(mentions(discussionGroupsText(groups(), names, true), "Đã đặt tổ thảo luận / discussion groups set: 2 tổ\n"));
  CHECK(mentions(discussionGroupsText(v1::DiscussionGroupsReply{}, names, false), "Chưa có tổ thảo luận nào"));
  CHECK(discussionGroupsJson(groups(), names) ==
        "{\"visibility\":\"group\",\"groups\":[{\"id\":1,\"name\":\"Tổ 1\",\"delegations\":[{\"id\":1,\"name\":\"Đoàn "
        "Hà Nội\"},{\"id\":2,\"name\":\"Đoàn Hải Phòng\"}]},{\"id\":2,\"name\":\"Tổ 2\",\"delegations\":[{\"id\":3,"
        "\"name\":\"Đoàn Thành phố Hồ Chí Minh\"}]}]}");
}

TEST_CASE("search: document, version, §paragraph, section, snippet with highlights, score; paging") {
  v1::SearchReply reply;
  reply.set_total(3);
  auto* hit = reply.add_hits();
  hit->set_document_id(1);
  hit->set_document_title("Dự thảo Nghị quyết Đại hội");
  hit->set_kind(v1::DOCUMENT_KIND_DRAFT_RESOLUTION);
  hit->set_version(2);
  hit->set_paragraph_id("p0a1b2c3d4e");
  hit->set_paragraph_number(14);
  hit->set_section("Điều 1. Phương hướng");
  hit->set_snippet("…nhiệm kỳ Đại hội lần thứ XV…");
  *hit->add_highlights() = range(16, 22);  // "Đại"
  *hit->add_highlights() = range(23, 28);  // "hội"
  hit->set_score(4.2071);
  CHECK(searchText(reply, "dai hoi", 0, false) ==
        "Tìm \"dai hoi\": 3 kết quả / hits (1–1)\n"
        "\n"
        "1. Dự thảo Nghị quyết Đại hội (#1, bản 2) · §14 · Điều 1. Phương hướng · điểm 4,21\n"
        "   …nhiệm kỳ «Đại» «hội» lần thứ XV…\n"
        "\n"
        "Còn 2 kết quả: thêm --offset 1 / more: --offset 1\n");
  CHECK(mentions(searchText(reply, "dai hoi", 0, true), "\033[1mĐại\033[0m \033[1mhội\033[0m"));
  CHECK(mentions(searchText(reply, "dai hoi", 2, false), "Tìm \"dai hoi\": 3 kết quả / hits (3–3)\n\n3. "));
  CHECK(searchText(v1::SearchReply{}, "xyz", 0, false) ==
        "Không tìm thấy \"xyz\" trong các tài liệu bạn được đọc / no match\n");
  CHECK(searchJson(reply, "dai hoi") ==
        "{\"query\":\"dai hoi\",\"total\":3,\"hits\":[{\"documentId\":1,\"documentTitle\":\"Dự thảo Nghị quyết Đại "
        "hội\",\"kind\":\"draft-resolution\",\"version\":2,\"paragraphId\":\"p0a1b2c3d4e\",\"paragraphNumber\":14,"
        "\"section\":\"Điều 1. Phương hướng\",\"snippet\":\"…nhiệm kỳ Đại hội lần thứ XV…\",\"highlights\":[{\"begin\":"
        "16,\"end\":22},{\"begin\":23,\"end\":28}],\"score\":4.2071}]}");
}

TEST_CASE("doc ask: the terms searched, then each passage with its citation and highlights") {
  v1::StudyReply reply;
  reply.add_terms("muc");
  reply.add_terms("tieu");
  auto* passage = reply.add_passages();
  passage->set_document_id(1);
  passage->set_document_title("Dự thảo Nghị quyết");
  passage->set_version(2);
  passage->set_paragraph_id("p0a1b2c3d4e");
  passage->set_paragraph_number(14);
  passage->set_section("Điều 1. Phương hướng");
  passage->set_text("Mục tiêu tổng quát: phát triển nhanh.");
  *passage->add_highlights() = range(0, 5);
  *passage->add_highlights() = range(6, 11);
  passage->set_score(0.875);
  CHECK(studyText(reply, "Mục tiêu là gì?", false) ==
        "Hỏi / question: \"Mục tiêu là gì?\" · từ khoá / terms: muc, tieu\n"
        "1 đoạn liên quan nhất, kèm trích dẫn / passages with citations:\n"
        "\n"
        "[1] Dự thảo Nghị quyết (#1, bản 2) · đoạn §14 (p0a1b2c3d4e) · Điều 1. Phương hướng · điểm 0,88\n"
        "    «Mục» «tiêu» tổng quát: phát triển nhanh.\n");
  CHECK(mentions(studyText(v1::StudyReply{}, "x", false), "Không tìm thấy đoạn nào trả lời câu hỏi"));
  CHECK(studyJson(reply, "Mục tiêu là gì?") ==
        "{\"question\":\"Mục tiêu là gì?\",\"terms\":[\"muc\",\"tieu\"],\"passages\":[{\"documentId\":1,"
        "\"documentTitle\":\"Dự thảo Nghị quyết\",\"kind\":\"unspecified\",\"version\":2,\"paragraphId\":"
        "\"p0a1b2c3d4e\",\"paragraphNumber\":14,\"section\":\"Điều 1. Phương hướng\",\"text\":\"Mục tiêu tổng quát: "
        "phát triển nhanh.\",\"highlights\":[{\"begin\":0,\"end\":5},{\"begin\":6,\"end\":11}],\"score\":0.875}]}");
}

TEST_CASE("where a comment's passage is now: its number in the newest version, or removed") {
  CHECK(passagePlaceText(threadStart()) == "§14 trong bản 2");
  CHECK(passagePlaceText(removedPassage()) == "đoạn đã bị xoá ở bản 2");
  v1::DocumentVersionReply version;
  auto* p = version.add_paragraphs();
  p->set_id("pa");
  p->set_number(1);
  p = version.add_paragraphs();
  p->set_id("pb");
  p->set_number(2);
  REQUIRE(findParagraph(version, 2) != nullptr);
  CHECK(findParagraph(version, 2)->id() == "pb");
  CHECK(findParagraph(version, 3) == nullptr);
  CHECK(groupName(groups(), 2) == "Tổ 2");
  CHECK(groupName(groups(), 9) == "tổ #9");
  CHECK(groupName(groups(), 0).empty());
}

TEST_CASE("doc comments: threads in reading order, replies under them, marks, groups, removed passages") {
  VenueTimeZone venue;
  v1::CommentsReply reply;
  reply.set_document_id(1);
  *reply.add_comments() = threadStart();
  *reply.add_comments() = replyComment();
  *reply.add_comments() = removedPassage();
  CHECK(commentsText(reply, groups()) ==
        "Góp ý về tài liệu #1 / comments on document #1: 3 góp ý trong 2 luồng\n"
        "\n"
        "── §14 trong bản 2 (góp ý trên §12 của bản 1)\n"
        "#3 · Nguyễn Văn An · Đoàn Hà Nội · Tổ 1 · 2025-12-02 08:00:00 [tiếp thu · Thư ký Lan (thư ký) · “Đã sửa ở bản "
        "2”]\n"
        "    Đề nghị bổ sung chỉ tiêu về môi trường.\n"
        "    Nêu rõ mốc 2030.\n"
        "  ↳ #5 trả lời #3 · Trần Thị Bình · Đoàn Hải Phòng · Tổ 1 · 2025-12-02 08:10:00 [chưa xử lý]\n"
        "      Tán thành.\n"
        "\n"
        "── đoạn đã bị xoá ở bản 2 (góp ý trên §9 của bản 1) · «Khoản 1.7»\n"
        "#4 · Lê Văn Cường · Đoàn Thành phố Hồ Chí Minh · Tổ 2 · 2025-12-02 08:01:00 [chưa xử lý]\n"
        "    Nên giữ khoản này.\n");
  v1::CommentsReply empty;
  empty.set_document_id(1);
  CHECK(commentsText(empty, groups()) ==
        "Góp ý về tài liệu #1 / comments on document #1: chưa có góp ý nào bạn được đọc / none you may read\n");
  const std::string json = commentsJson(reply, groups());
  CHECK(mentions(json, "{\"documentId\":1,\"comments\":[{\"id\":3,\"documentId\":1,\"version\":1,\"paragraphId\":"
                       "\"p0a1b2c3d4e\",\"paragraphNumber\":12,\"range\":null,\"quote\":\"\",\"replyTo\":0,"
                       "\"threadId\":3,\"author\":{\"role\":\"delegate\",\"accountId\":7,\"displayName\":\"Nguyễn Văn "
                       "An\",\"login\":\"HN-007\"},\"delegation\":\"Đoàn Hà Nội\",\"groupId\":1,\"groupName\":\"Tổ "
                       "1\",\"text\":\"Đề nghị bổ sung chỉ tiêu về môi trường.\\nNêu rõ mốc 2030.\",\"createdMs\":" +
                           std::to_string(kMorning) + ",\"mark\":\"accepted\",\"markNote\":\"Đã sửa ở bản 2\""));
  CHECK(mentions(json, "\"newestVersion\":2,\"newestParagraphNumber\":14,\"passageRemoved\":false}"));
  CHECK(mentions(json, "\"range\":{\"begin\":0,\"end\":10},\"quote\":\"Khoản 1.7\""));
  CHECK(mentions(json, "\"mark\":\"none\",\"markNote\":\"\",\"markedBy\":null"));
  CHECK(mentions(json, "\"passageRemoved\":true}]}"));
}

TEST_CASE("a comment or reply recorded, a comment marked") {
  CHECK(commentAddedText(threadStart(), groups()) ==
        "Đã ghi góp ý #3 / comment #3 recorded · tài liệu #1\n"
        "Đoạn:    §14 trong bản 2 (góp ý trên §12 của bản 1)\n"
        "Người:   Nguyễn Văn An · Đoàn Hà Nội · Tổ 1\n"
        "  Đề nghị bổ sung chỉ tiêu về môi trường.\n"
        "  Nêu rõ mốc 2030.\n");
  CHECK(mentions(commentAddedText(replyComment(), groups()), "Đã ghi trả lời #5 cho góp ý #3 / reply #5 recorded"));
  v1::Comment staff = replyComment();
  *staff.mutable_author() = secretary();
  staff.clear_delegation();
  staff.set_group_id(0);
  CHECK(mentions(commentAddedText(staff, groups()), "Người:   Thư ký Lan (thư ký)\n"));
  CHECK(commentMarkedText(threadStart()) ==
        "Đã đánh dấu góp ý #3 / comment #3 marked: tiếp thu\n"
        "Ghi chú:  Đã sửa ở bản 2\n"
        "Góp ý:    Nguyễn Văn An · tài liệu #1 · §14 trong bản 2\n"
        "  Đề nghị bổ sung chỉ tiêu về môi trường.\n"
        "  Nêu rõ mốc 2030.\n");
  CHECK(mentions(commentJson(threadStart(), groups()), "{\"comment\":{\"id\":3,"));
}

TEST_CASE("doc compile: counts in all, by section (removed passages last) and by group; the file written") {
  v1::CommentCompilation reply;
  reply.set_document_id(1);
  reply.set_title("Dự thảo Nghị quyết");
  reply.set_newest_version(2);
  *reply.mutable_counts() = counts(3, 1, 0, 0, 2);
  auto* section = reply.add_sections();
  section->set_section("Điều 1. Phương hướng");
  section->set_first_paragraph_number(2);
  *section->mutable_counts() = counts(2, 1, 0, 0, 1);
  section->add_comment_ids(3);
  section->add_comment_ids(5);
  auto* removed = reply.add_sections();
  removed->set_removed_passages(true);
  *removed->mutable_counts() = counts(1, 0, 0, 0, 1);
  removed->add_comment_ids(4);
  auto* first = reply.add_groups();
  first->set_group_id(1);
  first->set_group_name("Tổ 1");
  *first->mutable_counts() = counts(2, 1, 0, 0, 1);
  auto* second = reply.add_groups();
  second->set_group_id(2);
  second->set_group_name("Tổ 2");
  *second->mutable_counts() = counts(1, 0, 0, 0, 1);
  *reply.add_comments() = threadStart();
  const std::string text = compilationText(reply, "");
  CHECK(text ==
        "Tổng hợp góp ý / compiled comments: Dự thảo Nghị quyết (#1, bản 2)\n"
        "Tổng / total: 3 góp ý · tiếp thu 1 · ghi nhận 0 · không tiếp thu 0 · chưa xử lý 2\n"
        "\n"
        "Theo mục / by section:\n"
        "Mục / section           Từ đoạn  Góp ý  Tiếp thu  Ghi nhận  Không tiếp thu  Chưa xử lý\n"
        "──────────────────────  ───────  ─────  ────────  ────────  ──────────────  ──────────\n"
        "Điều 1. Phương hướng         §2      2         1         0               0           1\n"
        "Đoạn đã bị xoá ở bản 2        –      1         0         0               0           1\n"
        "\n"
        "Theo tổ / by group:\n"
        "Tổ / group  Góp ý  Tiếp thu  Ghi nhận  Không tiếp thu  Chưa xử lý\n"
        "──────────  ─────  ────────  ────────  ──────────────  ──────────\n"
        "Tổ 1            2         1         0               0           1\n"
        "Tổ 2            1         0         0               0           1\n");
  CHECK_FALSE(mentions(text, "Đã ghi tệp"));
  reply.set_format(v1::EXPORT_FORMAT_CSV);
  reply.set_export_text("\xEF\xBB\xBFSố,Góp ý\r\n");
  reply.set_export_file_name("gop-y-tai-lieu-1.csv");
  CHECK(mentions(compilationText(reply, "out/gop-y.csv"), "\nĐã ghi tệp / written: out/gop-y.csv (CSV, 17 byte)\n"));
  const std::string json = compilationJson(reply, "out/gop-y.csv");
  CHECK(mentions(json, "{\"documentId\":1,\"title\":\"Dự thảo Nghị quyết\",\"newestVersion\":2,\"counts\":{\"total\":3,"
                       "\"accepted\":1,\"noted\":0,\"notAccepted\":0,\"unmarked\":2},\"sections\":[{\"section\":\"Điều "
                       "1. Phương hướng\",\"firstParagraphNumber\":2,\"removedPassages\":false,"));
  CHECK(mentions(json, "\"commentIds\":[3,5]}"));
  CHECK(mentions(json, "\"groups\":[{\"groupId\":1,\"groupName\":\"Tổ 1\",\"counts\":{\"total\":2,"));
  CHECK(mentions(json, "\"groupName\":\"Tổ 1\",\"text\":"));  // the comments name their groups
  CHECK(mentions(json, "\"format\":\"csv\",\"exportFileName\":\"gop-y-tai-lieu-1.csv\",\"exportBytes\":17,"
                       "\"savedTo\":\"out/gop-y.csv\"}"));
}

TEST_CASE("doc open and doc readers: who opened the newest version, --missing") {
  VenueTimeZone venue;
  v1::OpenDocumentReply opened;
  opened.set_document_id(1);
  opened.set_version(2);
  opened.set_first_opened_ms(kMorning);
  CHECK(documentOpenedText(opened) ==
        "Đã ghi nhận bạn đọc tài liệu #1, bản 2 (lần đầu lúc 2025-12-02 08:00:00) / your reading is recorded\n");
  CHECK(documentOpenedJson(opened) ==
        "{\"documentId\":1,\"version\":2,\"recorded\":true,\"firstOpenedMs\":" + std::to_string(kMorning) + "}");
  opened.set_first_opened_ms(0);
  CHECK(mentions(documentOpenedText(opened), "chỉ việc đọc của đại biểu được ghi nhận"));

  v1::DocumentReadersReply readers;
  readers.set_document_id(1);
  readers.set_newest_version(2);
  readers.set_readers(2);
  readers.set_opened_newest(1);
  auto* a = readers.add_delegates();
  a->set_delegate_id(7);
  a->set_code("HN-007");
  a->set_full_name("Nguyễn Văn An");
  a->set_delegation("Đoàn Hà Nội");
  a->set_newest_opened(2);
  a->set_opened_newest_ms(kMorning);
  auto* b = readers.add_delegates();
  b->set_delegate_id(9);
  b->set_code("HP-002");
  b->set_full_name("Trần Thị Bình");
  b->set_delegation("Đoàn Hải Phòng");
  b->set_newest_opened(1);
  CHECK(documentReadersText(readers, false) ==
        "Tài liệu #1, bản mới nhất 2: 1/2 đại biểu đã mở, 1 chưa mở / 1 of 2 delegates opened version 2\n"
        "\n"
        "Đã mở / opened:\n"
        "Mã      Họ và tên      Đoàn         Mở bản 2 lúc\n"
        "──────  ─────────────  ───────────  ───────────────────\n"
        "HN-007  Nguyễn Văn An  Đoàn Hà Nội  2025-12-02 08:00:00\n");
  CHECK(documentReadersText(readers, true) ==
        "Tài liệu #1, bản mới nhất 2: 1/2 đại biểu đã mở, 1 chưa mở / 1 of 2 delegates opened version 2\n"
        "\n"
        "Chưa mở bản 2 / not opened yet:\n"
        "Mã      Họ và tên      Đoàn            Đã mở bản cũ\n"
        "──────  ─────────────  ──────────────  ────────────\n"
        "HP-002  Trần Thị Bình  Đoàn Hải Phòng             1\n");
  CHECK(documentReadersJson(readers, true) ==
        "{\"documentId\":1,\"newestVersion\":2,\"readers\":2,\"openedNewest\":1,\"listed\":\"missing\",\"delegates\":[{"
        "\"delegateId\":9,\"code\":\"HP-002\",\"fullName\":\"Trần Thị Bình\",\"delegation\":\"Đoàn Hải Phòng\","
        "\"newestOpened\":1,\"openedNewestMs\":0}]}");
  CHECK(mentions(documentReadersJson(readers, false), "\"listed\":\"opened\",\"delegates\":[{\"delegateId\":7,"));
  readers.mutable_delegates(0)->set_opened_newest_ms(0);
  CHECK(mentions(documentReadersText(readers, false), "Chưa đại biểu nào mở bản mới nhất"));
  readers.mutable_delegates(0)->set_opened_newest_ms(kMorning);
  readers.mutable_delegates(1)->set_opened_newest_ms(kMorning);
  CHECK(mentions(documentReadersText(readers, true), "Mọi đại biểu đã mở bản mới nhất"));
}

TEST_CASE("doc get: the file name written, and what is printed") {
  v1::DocumentVersion version;
  version.set_number(2);
  version.set_file_name("du-thao-2.md");
  version.set_size(2048);
  version.set_sha256(std::string(64, 'b'));
  version.set_format(v1::DOCUMENT_FORMAT_MARKDOWN);
  CHECK(downloadFileName(1, version) == "du-thao-2.md");
  version.set_file_name("../../etc/passwd");
  CHECK(downloadFileName(1, version) == "passwd");
  for (const char* bad : {"", ".", "..", "a/..", "x\ny"}) {
    CAPTURE(bad);
    version.set_file_name(bad);
    CHECK(downloadFileName(1, version) == "tai-lieu-1-ban-2.md");
  }
  version.set_format(v1::DOCUMENT_FORMAT_PDF);
  CHECK(downloadFileName(1, version) == "tai-lieu-1-ban-2.pdf");
  version.set_file_name("du-thao-2.md");
  CHECK(documentSavedText(1, version, "./du-thao-2.md") ==
        "Đã tải tài liệu #1 bản 2 / downloaded: du-thao-2.md · 2,0 KB · SHA-256 khớp / verified\n"
        "Đã ghi / written: ./du-thao-2.md\n");
  CHECK(documentSavedJson(1, version, "./du-thao-2.md") ==
        "{\"documentId\":1,\"version\":2,\"fileName\":\"du-thao-2.md\",\"size\":2048,\"sha256\":\"" +
            std::string(64, 'b') + "\",\"verified\":true,\"savedTo\":\"./du-thao-2.md\"}");
}

namespace {

// A delegate's written contribution: submitted, read by its author (and the secretariat).
v1::DocumentReply contribution(v1::ContributionStatus status) {
  v1::DocumentReply reply;
  reply.set_version(1);
  auto& document = *reply.mutable_document();
  document.set_id(5);
  document.set_title("Tham luận về chuyển đổi số");
  document.set_kind(v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION);
  document.mutable_audience()->add_delegate_ids(7);
  auto& version = *document.add_versions();
  version.set_number(1);
  version.set_file_name("tham-luan.md");
  *version.mutable_added_by() = delegatePrincipal(7, "HN-007", "Nguyễn Văn An");
  document.mutable_contribution()->set_author_delegate_id(7);
  document.mutable_contribution()->set_status(status);
  return reply;
}

}  // namespace

TEST_CASE("written contributions: submitted, approved, declined; who reads them") {
  const StateMirror names = namesMirror();
  const v1::DocumentReply submitted = contribution(v1::CONTRIBUTION_STATUS_SUBMITTED);
  CHECK(contributionText(submitted.document()) == "đã gửi, chờ ban thư ký duyệt, của Nguyễn Văn An");
  CHECK(contributionAuthor(submitted.document()) == "Nguyễn Văn An");
  const std::string published = documentPublishedText(submitted, names);
  CHECK(mentions(published, "Người đọc:  đại biểu HN-007 Nguyễn Văn An\n"));
  CHECK(mentions(published, "Tham luận:  đã gửi, chờ ban thư ký duyệt, của Nguyễn Văn An\n"));
  CHECK(mentions(documentPublishedJson(submitted),
                 "\"audience\":{\"everyone\":false,\"delegationIds\":[],\"roles\":[],\"delegateIds\":[7]}"));
  CHECK(mentions(documentPublishedJson(submitted),
                 "\"contribution\":{\"authorDelegateId\":7,\"authorName\":\"Nguyễn Văn An\",\"status\":\"submitted\","
                 "\"decisionNote\":\"\",\"decidedMs\":0}"));
  v1::DocumentsReply list;
  *list.add_documents() = submitted.document();
  CHECK(mentions(documentListText(list),
                 "Tham luận về chuyển đổi số (đã gửi, chờ ban thư ký duyệt, của Nguyễn Văn An)"));

  v1::DocumentReply approved = contribution(v1::CONTRIBUTION_STATUS_APPROVED);
  approved.mutable_document()->mutable_audience()->set_everyone(true);
  approved.mutable_document()->mutable_contribution()->set_decision_note("Trình bày tại phiên 2");
  *approved.mutable_document()->mutable_contribution()->mutable_decided_by() = secretary();
  CHECK(contributionDecidedText(approved, names) ==
        "Đã duyệt tham luận #5 / contribution #5 approved: Tham luận về chuyển đổi số\n"
        "Tác giả:    Nguyễn Văn An\n"
        "Ghi chú:    Trình bày tại phiên 2\n"
        "Người đọc:  mọi đại biểu và chủ tọa, đại biểu HN-007 Nguyễn Văn An\n");
  v1::DocumentReply declined = contribution(v1::CONTRIBUTION_STATUS_DECLINED);
  declined.mutable_document()->mutable_contribution()->set_decision_note("Trùng nội dung");
  CHECK(mentions(contributionDecidedText(declined, names),
                 "Tham luận #5 không được trình bày / contribution #5 declined: Tham luận về chuyển đổi số\n"));
  CHECK(mentions(contributionDecidedText(declined, names), "Lý do:      Trùng nội dung\n"));
}

TEST_CASE("watch: the discussion events in one line each, and in JSON") {
  VenueTimeZone venue;
  const StateMirror names = namesMirror();
  v1::Event event;
  event.set_seq(41);
  event.set_time_ms(kMorning);
  auto& changed = *event.mutable_discussion_groups_changed();
  *changed.mutable_groups() = groups().groups();
  changed.set_visibility(v1::COMMENT_VISIBILITY_GROUP);
  v1::Principal organizer;
  organizer.set_role(v1::ROLE_ORGANIZER);
  organizer.set_display_name("Ban tổ chức");
  *changed.mutable_by() = organizer;
  CHECK(eventText(event, names) ==
        "#41 08:00:00  TỔ THẢO LUẬN 2 tổ: Tổ 1 (Đoàn Hà Nội, Đoàn Hải Phòng); Tổ 2 (Đoàn Thành phố Hồ Chí Minh) · "
        "góp ý: group · bởi Ban tổ chức (ban tổ chức)\n");
  CHECK(mentions(eventJson(event, names), "\"type\":\"discussion_groups_changed\",\"visibility\":\"group\","
                                          "\"groups\":[{\"id\":1,\"name\":\"Tổ 1\",\"delegations\":[{\"id\":1},"));

  v1::Event added;
  added.set_seq(42);
  added.set_time_ms(kMorning);
  *added.mutable_comment_added()->mutable_comment() = threadStart();
  CHECK(eventText(added, names, groups()) ==
        "#42 08:00:00  GÓP Ý      #3 tài liệu #1 §14 trong bản 2 · Nguyễn Văn An · Đoàn Hà Nội · Tổ 1: Đề nghị bổ "
        "sung chỉ tiêu về môi trường. Nêu rõ mốc 2030.\n");
  CHECK(mentions(eventText(added, names), "· Đoàn Hà Nội · tổ #1: "));  // without the groups: by number
  *added.mutable_comment_added()->mutable_comment() = replyComment();
  added.mutable_comment_added()->mutable_comment()->set_text(std::string(300, 'a'));
  const std::string long_line = eventText(added, names, groups());
  CHECK(mentions(long_line, "TRẢ LỜI    #5 → #3 tài liệu #1"));
  CHECK(mentions(long_line, std::string(159, 'a') + "…\n"));
  CHECK(mentions(eventJson(added, names, groups()), "{\"seq\":42,\"timeMs\":" + std::to_string(kMorning) +
                                                        ",\"type\":\"comment_added\",\"comment\":{\"id\":5,"));

  v1::Event marked;
  marked.set_seq(43);
  marked.set_time_ms(kMorning);
  *marked.mutable_comment_marked()->mutable_comment() = threadStart();
  CHECK(eventText(marked, names) == "#43 08:00:00  ĐÁNH DẤU   góp ý #3 tài liệu #1 (Nguyễn Văn An): tiếp thu · Đã sửa "
                                    "ở bản 2 · bởi Thư ký Lan (thư ký)\n");
  CHECK(mentions(eventJson(marked, names), "\"type\":\"comment_marked\",\"comment\":{\"id\":3,"));

  v1::Event decided;
  decided.set_seq(44);
  decided.set_time_ms(kMorning);
  *decided.mutable_contribution_decided()->mutable_document() =
      contribution(v1::CONTRIBUTION_STATUS_APPROVED).document();
  CHECK(eventText(decided, names) ==
        "#44 08:00:00  THAM LUẬN  #5 Tham luận về chuyển đổi số: đã duyệt trình bày, của Nguyễn Văn An\n");
  CHECK(mentions(eventJson(decided, names), "\"type\":\"contribution_decided\",\"document\":{\"id\":5,"));
}
