// Arguments of the reading and discussion commands: doc search, ask, get, open, readers, comment,
// reply, comments, mark, compile, approve, decline; groups set and groups list.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include "cli/arguments.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
namespace v1 = daihoi::v1;

TEST_CASE("groups set: NAME=DELEGATION,... per group, --visibility, --none") {
  auto options = parsedOk({"groups", "set", "Tổ 1=Đoàn Hà Nội, Đoàn Hải Phòng", "Tổ 2 = 3", "--visibility",
                           "all-delegates"});
  CHECK(options.command == "groups set");
  REQUIRE(options.groups.size() == 2);
  CHECK(options.groups[0].name == "Tổ 1");
  CHECK(options.groups[0].delegations == std::vector<std::string>{"Đoàn Hà Nội", "Đoàn Hải Phòng"});
  CHECK(options.groups[1].name == "Tổ 2");
  CHECK(options.groups[1].delegations == std::vector<std::string>{"3"});
  CHECK(options.visibility == v1::COMMENT_VISIBILITY_ALL_DELEGATES);
  CHECK_FALSE(parsedOk({"groups", "set", "Tổ 1=1"}).visibility.has_value());  // kept as it is
  CHECK(parsedOk({"groups", "set", "--visibility", "group"}).visibility == v1::COMMENT_VISIBILITY_GROUP);
  CHECK(parsedOk({"groups", "set", "--visibility=secretariat"}).visibility == v1::COMMENT_VISIBILITY_SECRETARIAT);
  auto none = parsedOk({"groups", "set", "--none"});
  CHECK(none.none);
  CHECK(none.groups.empty());
  CHECK(parsedOk({"groups", "list"}).command == "groups list");
}

TEST_CASE("groups set: what is wrong is a usage error before anything is sent") {
  CHECK(mentions(usageMessage({"groups", "set"}), "usage: daihoi groups set \"Tổ 1=Đoàn A,Đoàn B\""));
  CHECK(mentions(usageMessage({"groups", "set", "Tổ 1"}), "a group is \"NAME=DELEGATION,DELEGATION\""));
  CHECK(mentions(usageMessage({"groups", "set", " =Đoàn A"}), "a group needs a name before '='"));
  CHECK(mentions(usageMessage({"groups", "set", "Tổ 1="}), "group \"Tổ 1\" names an empty delegation"));
  CHECK(mentions(usageMessage({"groups", "set", "Tổ 1=Đoàn A,,Đoàn B"}), "names an empty delegation"));
  CHECK(mentions(usageMessage({"groups", "set", "Tổ 1=Đoàn A", "TỔ 1=Đoàn B"}), "two groups are named \"TỔ 1\""));
  CHECK(mentions(usageMessage({"groups", "set", "Tổ 1=A", "--none"}), "--none removes every group"));
  CHECK(mentions(usageMessage({"groups", "set", "Tổ 1=A", "--visibility", "everyone"}),
                 "--visibility is group, all-delegates or secretariat, not \"everyone\""));
  CHECK(mentions(usageMessage({"groups"}), "groups needs a subcommand: set or list"));
  CHECK(mentions(usageMessage({"groups", "add"}), "unknown groups subcommand \"add\""));
  CHECK(mentions(usageMessage({"groups", "list", "x"}), "groups list takes no arguments"));
  CHECK(mentions(usageMessage({"groups", "list", "--visibility", "group"}), "does not apply to groups list"));
}

TEST_CASE("doc search: the words, --doc and --kind repeatable, --limit up to 100, --offset") {
  auto options = parsedOk({"doc", "search", "dai", "hoi", "--doc", "3", "--doc", "5", "--kind", "draft-resolution",
                           "--kind", "political-report", "--limit", "50", "--offset", "20"});
  CHECK(options.command == "doc search");
  CHECK(options.query == "dai hoi");
  CHECK(options.documentIds == std::vector<std::uint32_t>{3, 5});
  CHECK(options.documentKinds ==
        std::vector<v1::DocumentKind>{v1::DOCUMENT_KIND_DRAFT_RESOLUTION, v1::DOCUMENT_KIND_POLITICAL_REPORT});
  CHECK(options.limit == 50u);
  CHECK(options.offset == 20u);
  auto plain = parsedOk({"doc", "search", "Đại hội Đảng bộ"});
  CHECK(plain.query == "Đại hội Đảng bộ");
  CHECK_FALSE(plain.limit.has_value());
  CHECK(plain.documentIds.empty());

  CHECK(mentions(usageMessage({"doc", "search"}), "usage: daihoi doc search QUERY"));
  CHECK(mentions(usageMessage({"doc", "search", "  "}), "doc search needs the words to find"));
  CHECK(mentions(usageMessage({"doc", "search", "x", "--limit", "101"}), "--limit needs a number from 1 to 100"));
  CHECK(mentions(usageMessage({"doc", "search", "x", "--limit", "0"}), "--limit needs a number from 1 to 100"));
  CHECK(mentions(usageMessage({"doc", "search", "x", "--offset", "-1"}), "--offset needs a number"));
  CHECK(mentions(usageMessage({"doc", "search", "x", "--doc", "a"}), "--doc needs a document ID"));
  CHECK(mentions(usageMessage({"doc", "search", "x", "--kind", "motion"}), "--kind is political-report"));
  CHECK(mentions(usageMessage({"doc", "search", "x", "--version", "2"}), "does not apply to doc search"));
  CHECK(mentions(usageMessage({"doc", "search", std::string(1001, 'a')}), "at most 1,000 bytes"));
}

TEST_CASE("doc ask: the question, --doc, --limit up to 20") {
  auto options = parsedOk({"doc", "ask", "Mục tiêu tăng trưởng đến năm 2030 là gì?", "--doc", "1", "--limit", "3"});
  CHECK(options.command == "doc ask");
  CHECK(options.query == "Mục tiêu tăng trưởng đến năm 2030 là gì?");
  CHECK(options.documentIds == std::vector<std::uint32_t>{1});
  CHECK(options.limit == 3u);
  CHECK(mentions(usageMessage({"doc", "ask", "x", "--limit", "21"}), "--limit needs a number from 1 to 20"));
  CHECK(mentions(usageMessage({"doc", "ask"}), "usage: daihoi doc ask QUESTION"));
  CHECK(mentions(usageMessage({"doc", "ask", ""}), "doc ask needs a QUESTION"));
  CHECK(mentions(usageMessage({"doc", "ask", "x", "--kind", "other"}), "option --kind does not apply to doc ask"));
}

TEST_CASE("doc get ID [--version N] [-o FILE] [--force]; doc open; doc readers [--missing]") {
  auto get = parsedOk({"doc", "get", "4"});
  CHECK(get.command == "doc get");
  CHECK(get.documentId == 4u);
  CHECK_FALSE(get.outFile.has_value());
  CHECK_FALSE(get.force);
  auto named = parsedOk({"doc", "get", "4", "--version", "2", "-o", "ban-2.pdf", "--force"});
  CHECK(named.version == 2u);
  CHECK(named.outFile == "ban-2.pdf");
  CHECK(named.force);
  CHECK(parsedOk({"doc", "get", "4", "-o", "-"}).outFile == "-");
  CHECK(parsedOk({"doc", "get", "4", "--out", "x.md"}).outFile == "x.md");
  CHECK(mentions(usageMessage({"doc", "get", "4", "-o"}), "option -o needs a value"));
  CHECK(mentions(usageMessage({"doc", "get", "4", "-o", ""}), "-o needs a file name"));
  CHECK(mentions(usageMessage({"doc", "get", "bốn"}), "a document ID is a positive number"));
  CHECK(mentions(usageMessage({"doc", "get", "4", "--missing"}), "option --missing does not apply to doc get"));
  CHECK(mentions(usageMessage({"doc", "show", "4", "--force"}), "option --force does not apply to doc show"));

  auto open = parsedOk({"doc", "open", "4", "--version", "1"});
  CHECK(open.command == "doc open");
  CHECK(open.documentId == 4u);
  CHECK(open.version == 1u);
  CHECK(mentions(usageMessage({"doc", "open"}), "usage: daihoi doc open ID"));

  CHECK_FALSE(parsedOk({"doc", "readers", "4"}).missing);
  CHECK(parsedOk({"doc", "readers", "4", "--missing"}).missing);
  CHECK(mentions(usageMessage({"doc", "readers", "4", "--version", "1"}), "does not apply to doc readers"));
}

TEST_CASE("doc comment ID PARAGRAPH TEXT: a paragraph number or id, --version, --range") {
  auto bySection = parsedOk({"doc", "comment", "1", "§12", "Đề nghị bổ sung chỉ tiêu về môi trường."});
  CHECK(bySection.command == "doc comment");
  CHECK(bySection.documentId == 1u);
  CHECK(bySection.paragraphNumber == 12u);
  CHECK_FALSE(bySection.paragraphId.has_value());
  CHECK(bySection.commentText == "Đề nghị bổ sung chỉ tiêu về môi trường.");
  CHECK_FALSE(bySection.commentId.has_value());
  CHECK(parsedOk({"doc", "comment", "1", "12", "x"}).paragraphNumber == 12u);
  auto byId = parsedOk({"doc", "comment", "1", "p3fa9c01b2e-2", "x", "--version", "1", "--range", "4:20"});
  CHECK(byId.paragraphId == "p3fa9c01b2e-2");
  CHECK_FALSE(byId.paragraphNumber.has_value());
  CHECK(byId.version == 1u);
  REQUIRE(byId.range.has_value());
  CHECK(byId.range->begin() == 4u);
  CHECK(byId.range->end() == 20u);

  CHECK(mentions(usageMessage({"doc", "comment", "1", "12"}), "doc comment needs PARAGRAPH and TEXT"));
  CHECK(mentions(usageMessage({"doc", "comment", "1"}), "usage: daihoi doc comment ID PARAGRAPH TEXT"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "đoạn 12", "x"}), "PARAGRAPH is a paragraph number (§12 or 12)"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "§0", "x"}), "a paragraph number starts from 1"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "pXYZ", "x"}), "PARAGRAPH is a paragraph number"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "12", " \n "}), "the comment's TEXT is empty"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "12", std::string(5001, 'a')}),
                 "a comment has at most 5,000 bytes; this one has 5001"));
  for (const char* bad : {"4", "4:", ":4", "5:5", "6:5", "a:b", "-1:3"}) {
    CAPTURE(bad);
    CHECK(mentions(usageMessage({"doc", "comment", "1", "12", "x", "--range", bad}), "--range is BEGIN:END"));
  }
  CHECK(mentions(usageMessage({"doc", "comment", "x", "12", "y"}), "a document ID is a positive number"));
}

TEST_CASE("a reply: doc comment --reply-to without PARAGRAPH, or doc reply COMMENT TEXT") {
  auto reply = parsedOk({"doc", "comment", "1", "Tán thành ý kiến này.", "--reply-to", "7"});
  CHECK(reply.commentId == 7u);
  CHECK(reply.commentText == "Tán thành ý kiến này.");
  CHECK_FALSE(reply.paragraphId.has_value());
  CHECK_FALSE(reply.paragraphNumber.has_value());
  CHECK(parsedOk({"doc", "comment", "1", "§3", "x", "--reply-to", "7"}).paragraphNumber == 3u);
  CHECK(mentions(usageMessage({"doc", "comment", "1", "12", "x", "--reply-to", "7", "--range", "0:4"}),
                 "--range does not apply with --reply-to"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "x", "--reply-to", "7", "--version", "2"}),
                 "--version does not apply with --reply-to"));
  CHECK(mentions(usageMessage({"doc", "comment", "1", "x", "--reply-to", "0"}), "--reply-to needs a comment number"));

  auto direct = parsedOk({"doc", "reply", "7", "Đồng ý."});
  CHECK(direct.command == "doc reply");
  CHECK(direct.commentId == 7u);
  CHECK(direct.commentText == "Đồng ý.");
  CHECK_FALSE(direct.documentId.has_value());
  CHECK(parsedOk({"doc", "reply", "7", "x", "--doc", "2"}).documentIds == std::vector<std::uint32_t>{2});
  CHECK(mentions(usageMessage({"doc", "reply", "7"}), "usage: daihoi doc reply COMMENT TEXT"));
  CHECK(mentions(usageMessage({"doc", "reply", "bảy", "x"}), "a comment number is a positive number"));
  CHECK(mentions(usageMessage({"doc", "reply", "7", ""}), "the comment's TEXT is empty"));
  CHECK(mentions(usageMessage({"doc", "reply", "7", "x", "--doc", "1", "--doc", "2"}), "at most one --doc ID"));
}

TEST_CASE("doc comments ID; doc mark COMMENT MARK [--note]") {
  CHECK(parsedOk({"doc", "comments", "2"}).documentId == 2u);
  CHECK(mentions(usageMessage({"doc", "comments"}), "usage: daihoi doc comments ID"));

  const std::vector<std::pair<const char*, v1::CommentMark>> marks = {{"accepted", v1::COMMENT_MARK_ACCEPTED},
                                                                      {"noted", v1::COMMENT_MARK_NOTED},
                                                                      {"not-accepted", v1::COMMENT_MARK_NOT_ACCEPTED},
                                                                      {"none", v1::COMMENT_MARK_UNSPECIFIED}};
  for (const auto& [key, mark] : marks) {
    CAPTURE(key);
    auto options = parsedOk({"doc", "mark", "12", key});
    CHECK(options.command == "doc mark");
    CHECK(options.commentId == 12u);
    CHECK(options.mark == mark);
  }
  CHECK(parsedOk({"doc", "mark", "12", "accepted", "--note", "Đã sửa ở bản 3"}).note == "Đã sửa ở bản 3");
  CHECK(mentions(usageMessage({"doc", "mark", "12", "tiep-thu"}), "the mark is accepted (tiếp thu)"));
  CHECK(mentions(usageMessage({"doc", "mark", "12"}), "usage: daihoi doc mark COMMENT"));
  CHECK(mentions(usageMessage({"doc", "mark", "12", "noted", "--note", " "}), "--note needs some text"));
}

TEST_CASE("doc compile ID [--format csv|md] [-o FILE]") {
  auto counts = parsedOk({"doc", "compile", "1"});
  CHECK(counts.command == "doc compile");
  CHECK_FALSE(counts.exportFormat.has_value());
  auto csv = parsedOk({"doc", "compile", "1", "--format", "csv", "-o", "gop-y.csv"});
  CHECK(csv.exportFormat == v1::EXPORT_FORMAT_CSV);
  CHECK(csv.outFile == "gop-y.csv");
  CHECK(parsedOk({"doc", "compile", "1", "--format", "md"}).exportFormat == v1::EXPORT_FORMAT_MARKDOWN);
  CHECK(parsedOk({"doc", "compile", "1", "--format", "markdown", "-o", "-"}).outFile == "-");
  CHECK(mentions(usageMessage({"doc", "compile", "1", "--format", "xlsx"}), "--format is csv or md, not \"xlsx\""));
  CHECK(mentions(usageMessage({"doc", "compile", "1", "-o", "x.csv"}), "-o FILE writes the export: give --format"));
}

TEST_CASE("doc approve ID [--audience WHO]... [--note]; doc decline ID --note TEXT") {
  auto approve = parsedOk({"doc", "approve", "5"});
  CHECK(approve.command == "doc approve");
  CHECK(approve.documentId == 5u);
  CHECK_FALSE(approve.readers.has_value());  // the server's default: everyone
  auto some = parsedOk({"doc", "approve", "5", "--audience", "delegation:Đoàn Hà Nội", "--note", "Trình bày phiên 2"});
  REQUIRE(some.readers.has_value());
  CHECK_FALSE(some.readers->everyone);
  CHECK(some.readers->delegations == std::vector<std::string>{"Đoàn Hà Nội"});
  CHECK(some.note == "Trình bày phiên 2");
  CHECK(mentions(usageMessage({"doc", "approve", "5", "--audience", "all"}), "--audience is everyone"));

  auto decline = parsedOk({"doc", "decline", "5", "--note", "Trùng nội dung tham luận số 3"});
  CHECK(decline.command == "doc decline");
  CHECK(decline.note == "Trùng nội dung tham luận số 3");
  CHECK(mentions(usageMessage({"doc", "decline", "5"}), "doc decline needs --note TEXT"));
  CHECK(mentions(usageMessage({"doc", "decline", "5", "--note", ""}), "doc decline needs --note TEXT"));
  CHECK(mentions(usageMessage({"doc", "decline", "5", "--audience", "everyone", "--note", "x"}),
                 "option --audience does not apply to doc decline"));
}

TEST_CASE("the usage text lists the reading and discussion commands") {
  const std::string usage = usageText();
  for (const char* expected :
       {"doc search QUERY [--doc ID]... [--kind KIND]... [--limit N] [--offset N]",
        "doc ask QUESTION [--doc ID]... [--limit N]", "doc get ID [--version N] [-o FILE] [--force]",
        "doc open ID [--version N]", "doc readers ID [--missing]",
        "groups set \"TÊN=ĐOÀN,ĐOÀN\"... [--visibility group|all-delegates|secretariat]", "groups list",
        "doc comment ID PARAGRAPH TEXT [--version N] [--range BEGIN:END]", "doc reply COMMENT TEXT [--doc ID]",
        "doc comments ID", "doc mark COMMENT accepted|noted|not-accepted|none [--note TEXT]",
        "doc compile ID [--format csv|md] [-o FILE]", "doc approve ID [--audience WHO]... [--note TEXT]",
        "doc decline ID --note TEXT", "tiếp thu, ghi nhận, không tiếp thu", "trợ lý học tài liệu"}) {
    CAPTURE(expected);
    CHECK(mentions(usage, expected));
  }
}
