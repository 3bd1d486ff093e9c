// Arguments of the document commands: doc add, update, list, show and diff.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include "cli/arguments.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
namespace v1 = daihoi::v1;

namespace {

std::vector<std::string> add(std::vector<std::string> extra) {
  std::vector<std::string> args = {"doc", "add", "du-thao.md", "--title", "Dự thảo Nghị quyết"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("doc add: FILE, title, kind; everyone reads it unless --audience says otherwise") {
  auto options = parsedOk(add({"--kind", "draft-resolution", "--note", "Bản trình Đại hội"}));
  CHECK(options.command == "doc add");
  CHECK(options.documentFile == "du-thao.md");
  CHECK(options.documentTitle == "Dự thảo Nghị quyết");
  CHECK(options.documentKind == v1::DOCUMENT_KIND_DRAFT_RESOLUTION);
  CHECK(options.note == "Bản trình Đại hội");
  REQUIRE(options.readers.has_value());
  CHECK(options.readers->everyone);
  CHECK(options.readers->delegations.empty());
  CHECK(options.readers->roles.empty());
  CHECK_FALSE(options.documentId.has_value());

  const std::vector<std::pair<const char*, v1::DocumentKind>> kinds = {
      {"political-report", v1::DOCUMENT_KIND_POLITICAL_REPORT},
      {"draft-resolution", v1::DOCUMENT_KIND_DRAFT_RESOLUTION},
      {"action-programme", v1::DOCUMENT_KIND_ACTION_PROGRAMME},
      {"personnel-list", v1::DOCUMENT_KIND_PERSONNEL_LIST},
      {"written-contribution", v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION},
      {"other", v1::DOCUMENT_KIND_OTHER}};
  for (const auto& [key, kind] : kinds) {
    CAPTURE(key);
    CHECK(parsedOk(add({"--kind", key})).documentKind == kind);
  }
}

TEST_CASE("doc add --audience: delegations by name or id and roles, repeatable") {
  auto options = parsedOk(add({"--kind", "other", "--audience", "delegation:Đoàn Hà Nội", "--audience",
                               "delegation:3", "--audience", "role:chair", "--audience=role:display"}));
  REQUIRE(options.readers.has_value());
  CHECK_FALSE(options.readers->everyone);
  CHECK(options.readers->delegations == std::vector<std::string>{"Đoàn Hà Nội", "3"});
  CHECK(options.readers->roles == std::vector<v1::Role>{v1::ROLE_CHAIR, v1::ROLE_DISPLAY});
  // everyone is delegates and the chair: the hall display may be added to it
  auto withDisplay = parsedOk(add({"--kind", "other", "--audience", "everyone", "--audience", "role:display"}));
  CHECK(withDisplay.readers->everyone);
  CHECK(withDisplay.readers->roles == std::vector<v1::Role>{v1::ROLE_DISPLAY});
  CHECK(parsedOk(add({"--kind", "other", "--audience", "role:delegate"})).readers->roles ==
        std::vector<v1::Role>{v1::ROLE_DELEGATE});
}

TEST_CASE("doc add: what is missing or wrong is a usage error before anything is sent") {
  CHECK(mentions(usageMessage({"doc", "add", "du-thao.md", "--kind", "other"}), "doc add needs --title TEXT"));
  CHECK(mentions(usageMessage({"doc", "add", "du-thao.md", "--kind", "other", "--title", "  "}), "--title"));
  const std::string noKind = usageMessage(add({}));
  CHECK(mentions(noKind, "doc add needs --kind KIND"));
  CHECK(mentions(noKind, "political-report, draft-resolution, action-programme, personnel-list, "
                         "written-contribution or other"));
  CHECK(mentions(usageMessage(add({"--kind", "motion"})), "--kind is political-report"));
  CHECK(mentions(usageMessage(add({"--kind", "motion"})), "not \"motion\""));
  for (const char* bad : {"all", "delegation:", "delegation: ", "role:secretary", "role:kiosk", "Everyone", "role:"}) {
    CAPTURE(bad);
    CHECK(mentions(usageMessage(add({"--kind", "other", "--audience", bad})), "--audience is everyone"));
  }
  CHECK(mentions(usageMessage(add({"--kind", "other", "--audience", "role:organizer"})), "read every document"));
  CHECK(mentions(usageMessage(add({"--kind", "other", "--note", " "})), "--note needs some text"));
  CHECK(mentions(usageMessage({"doc", "add", "--title", "T", "--kind", "other"}), "usage: daihoi doc add FILE"));
  CHECK(mentions(usageMessage({"doc", "add", "a.md", "b.md", "--title", "T", "--kind", "other"}),
                 "usage: daihoi doc add FILE"));
  CHECK(mentions(usageMessage(add({"--kind", "other", "--version", "2"})),
                 "option --version does not apply to doc add"));
  CHECK(mentions(usageMessage(add({"--kind", "other", "--pages", "3"})), "unknown option --pages"));
  CHECK(mentions(usageMessage(add({"--kind", "other", "--format", "csv"})), "option --format does not apply to doc add"));
  CHECK(mentions(usageMessage(add({"--kind", "other", "--audience"})), "option --audience needs a value"));
}

TEST_CASE("doc update ID FILE --note TEXT") {
  auto options = parsedOk({"doc", "update", "3", "du-thao-2.md", "--note", "Tiếp thu ý kiến thảo luận tổ"});
  CHECK(options.command == "doc update");
  CHECK(options.documentId == 3u);
  CHECK(options.documentFile == "du-thao-2.md");
  CHECK(options.note == "Tiếp thu ý kiến thảo luận tổ");
  CHECK_FALSE(options.readers.has_value());

  CHECK(mentions(usageMessage({"doc", "update", "3", "du-thao-2.md"}), "doc update needs --note TEXT"));
  CHECK(mentions(usageMessage({"doc", "update", "3", "du-thao-2.md", "--note", ""}), "--note TEXT"));
  CHECK(mentions(usageMessage({"doc", "update", "3", "--note", "x"}), "usage: daihoi doc update ID FILE --note TEXT"));
  CHECK(mentions(usageMessage({"doc", "update", "ba", "du-thao-2.md", "--note", "x"}),
                 "a document ID is a positive number"));
  CHECK(mentions(usageMessage({"doc", "update", "0", "du-thao-2.md", "--note", "x"}), "not \"0\""));
  CHECK(mentions(usageMessage({"doc", "update", "3", "f.md", "--note", "x", "--title", "T"}),
                 "option --title does not apply to doc update"));
  CHECK(mentions(usageMessage({"doc", "update", "3", "f.md", "--note", "x", "--audience", "everyone"}),
                 "does not apply to doc update"));
}

TEST_CASE("doc list, doc show ID [--version N], doc diff ID [--from N] [--to N]") {
  CHECK(parsedOk({"doc", "list"}).command == "doc list");
  CHECK(parsedOk({"--json", "doc", "list"}).json);
  CHECK(mentions(usageMessage({"doc", "list", "3"}), "doc list takes no arguments"));

  auto show = parsedOk({"doc", "show", "7"});
  CHECK(show.command == "doc show");
  CHECK(show.documentId == 7u);
  CHECK_FALSE(show.version.has_value());  // the newest
  CHECK(parsedOk({"doc", "show", "7", "--version", "2"}).version == 2u);
  CHECK(mentions(usageMessage({"doc", "show", "7", "--version", "0"}), "--version needs a version number"));
  CHECK(mentions(usageMessage({"doc", "show", "7", "--version", "mới"}), "--version needs a version number"));
  CHECK(mentions(usageMessage({"doc", "show", "bảy"}), "a document ID is a positive number"));
  CHECK(mentions(usageMessage({"doc", "show"}), "usage: daihoi doc show ID"));
  CHECK(mentions(usageMessage({"doc", "show", "7", "--from", "1"}), "option --from does not apply to doc show"));

  auto diff = parsedOk({"doc", "diff", "7"});
  CHECK(diff.documentId == 7u);
  CHECK_FALSE(diff.fromVersion.has_value());
  CHECK_FALSE(diff.toVersion.has_value());
  auto between = parsedOk({"doc", "diff", "7", "--from", "1", "--to", "3"});
  CHECK(between.fromVersion == 1u);
  CHECK(between.toVersion == 3u);
  CHECK_FALSE(between.fromMs.has_value());  // versions here, not times
  CHECK(parsedOk({"doc", "diff", "7", "--to", "2"}).toVersion == 2u);
  CHECK(mentions(usageMessage({"doc", "diff", "7", "--from", "3", "--to", "2"}), "--from must be an older version"));
  CHECK(mentions(usageMessage({"doc", "diff", "7", "--from", "2", "--to", "2"}), "--from must be an older version"));
  CHECK(mentions(usageMessage({"doc", "diff", "7", "--from", "2025-12-02"}), "--from needs a version number"));
  CHECK(mentions(usageMessage({"doc", "diff", "7", "--to", "-1"}), "--to needs a version number"));
  CHECK(mentions(usageMessage({"doc", "diff", "x"}), "a document ID is a positive number"));
  CHECK(mentions(usageMessage({"doc", "diff", "7", "8"}), "usage: daihoi doc diff ID"));
}

TEST_CASE("doc subcommands; --from/--to stay times for attendance-log") {
  CHECK(mentions(usageMessage({"doc"}), "doc needs a subcommand: add, update, list, show, diff, search, ask, get, "
                                        "open, readers, comment, reply, comments, mark, compile, approve or decline"));
  CHECK(mentions(usageMessage({"doc", "delete", "3"}), "unknown doc subcommand \"delete\""));
  CHECK(mentions(usageMessage({"whoami", "--audience", "everyone"}), "option --audience does not apply to whoami"));
  CHECK(mentions(usageMessage({"roster", "--version", "1"}), "does not apply to roster"));
  auto log = parsedOk({"attendance-log", "--from", "2025-12-02T08:00Z"});
  CHECK(log.fromMs == 1'764'662'400'000);
  CHECK_FALSE(log.fromVersion.has_value());
  CHECK(mentions(usageMessage({"attendance-log", "--from", "2"}), "--from needs a date or time"));
  // --kind and --title still draft ballots
  auto ballot = parsedOk({"ballot", "create", "--kind", "motion", "--mode", "named", "--title", "Thông qua"});
  REQUIRE(ballot.ballotDraft.has_value());
  CHECK(ballot.ballotDraft->title() == "Thông qua");
  CHECK_FALSE(ballot.documentKind.has_value());
}

TEST_CASE("the usage text lists the document commands in Vietnamese and English, and the exit code of a refused file") {
  const std::string usage = usageText();
  for (const char* expected :
       {"doc add FILE --title TEXT --kind KIND [--audience WHO]... [--note TEXT]", "doc update ID FILE --note TEXT",
        "doc list", "doc show ID [--version N]", "doc diff ID [--from N] [--to N]", "đăng tài liệu mới",
        "publish a new document", "delegation:TÊN_HOẶC_SỐ, role:chair|display|delegate", "[-chữ bỏ-]{+chữ thêm+}",
        "what changed between two versions", "5 request refused (also a document file the server refuses"}) {
    CAPTURE(expected);
    CHECK(mentions(usage, expected));
  }
}
