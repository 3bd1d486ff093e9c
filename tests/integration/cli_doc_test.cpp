// The daihoi CLI's document commands against the real hall server: the secretariat publishes a
// Markdown draft and its next version, delegates list, read and compare them; an audience of one
// delegation; files the server refuses (a fake PDF, an empty file, one above the size limit).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/bytes.hpp"
#include "cli_output.hpp"
#include "server_process.hpp"

using namespace daihoi::testing;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// Small frames (64 KiB) so that the draft below needs several UploadChunk requests: a CLI that
// sent it whole would have its request refused before it left (above the server's frame limit).
// Documents above 1 MiB are refused.
ServerOptions smallFrames() {
  ServerOptions options;
  options.extraArgs = {"--max-message-bytes", "65536", "--max-document-mb", "1"};
  return options;
}

// The CLI signed in as the account `as` of the server's credentials file.
CommandResult cli(const ServerProcess& server, const std::string& as, std::vector<std::string> args) {
  args.insert(args.begin(), {"--as", as});
  return runCli(server, std::move(args));
}

std::string writeFile(const ServerProcess& server, const std::string& name, const std::string& content) {
  const fs::path path = server.dir() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// A Markdown draft of about 77 KB: headings and numbered clauses, each clause's text its own.
// `revised` changes one year in clause 5 of Điều 1, drops clause 7 of Điều 1 and adds a closing clause.
std::string draftResolution(bool revised) {
  std::string text = "# Dự thảo Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV\n\n";
  const char* articles[] = {"Điều 1. Phương hướng", "Điều 2. Nhiệm vụ", "Điều 3. Giải pháp"};
  for (int article = 0; article < 3; ++article) {
    text += "## " + std::string(articles[article]) + "\n\n";
    for (int clause = 1; clause <= 100; ++clause) {
      if (revised && article == 0 && clause == 7) continue;
      const std::string year = revised && article == 0 && clause == 5 ? "2035" : "2030";
      text += "Khoản " + std::to_string(article + 1) + "." + std::to_string(clause) +
              ": phấn đấu đến năm " + year + " hoàn thành chỉ tiêu số " + std::to_string(article * 100 + clause) +
              " về phát triển kinh tế - xã hội, quốc phòng, an ninh và xây dựng Đảng trong sạch, vững mạnh, "
              "gắn với bảo vệ môi trường và nâng cao đời sống nhân dân.\n\n";
    }
  }
  if (revised) text += "Nghị quyết này có hiệu lực từ ngày Đại hội biểu quyết thông qua.\n";
  return text;
}

std::size_t documentCount(const ServerProcess& server, const std::string& as) {
  auto listed = cli(server, as, {"--json", "doc", "list"});
  REQUIRE_MESSAGE(listed.exitCode == 0, listed.output);
  return jsonOf(listed)["documents"].size();
}

}  // namespace

TEST_CASE("the secretariat publishes a draft and its next version; a delegate lists, reads and compares them") {
  ServerProcess server(smallFrames());
  server.start();
  const std::string delegate = server.delegateCodes().front();
  const std::string draft = draftResolution(false);
  REQUIRE(draft.size() > 65'536);  // more than one frame
  const std::string draftPath = writeFile(server, "du-thao-nghi-quyet.md", draft);

  auto added = cli(server, "secretary", {"doc", "add", draftPath, "--title", "Dự thảo Nghị quyết Đại hội",
                                         "--kind", "draft-resolution", "--note", "Bản trình Đại hội"});
  REQUIRE_MESSAGE(added.exitCode == 0, added.output);
  const std::string sha = daihoi::toHex(daihoi::sha256(draft));
  CHECK_MESSAGE(mentions(added.output, "Đã đăng tài liệu #1 / document #1 published: Dự thảo Nghị quyết Đại hội\n"),
                added.output);
  CHECK(mentions(added.output, "Loại:       dự thảo nghị quyết\n"));
  CHECK(mentions(added.output, "Phiên bản:  1\n"));
  CHECK(mentions(added.output, "Ghi chú:    Bản trình Đại hội\n"));
  CHECK(mentions(added.output, "Tệp:        du-thao-nghi-quyet.md · Markdown · "));
  CHECK(mentions(added.output, std::string("(") + std::to_string(draft.size()) + " byte)\n"));
  CHECK(mentions(added.output, "SHA-256:    " + sha + "\n"));
  CHECK(mentions(added.output, "Số đoạn:    304\n"));  // the title, 3 headings, 300 clauses
  CHECK(mentions(added.output, "Tải về:     /documents/" + sha + "\n"));
  CHECK(mentions(added.output, "Người đọc:  mọi đại biểu và chủ tọa\n"));

  // A delegate sees it in the list, with its one version.
  auto listed = cli(server, delegate, {"doc", "list"});
  REQUIRE_MESSAGE(listed.exitCode == 0, listed.output);
  CHECK_MESSAGE(mentions(listed.output, "1  dự thảo nghị quyết  Dự thảo Nghị quyết Đại hội"), listed.output);
  CHECK(mentions(listed.output, "1 tài liệu / documents\n"));
  const Json list = jsonOf(cli(server, delegate, {"--json", "doc", "list"}));
  REQUIRE(list["documents"].size() == 1);
  CHECK(list["documents"][0]["id"] == 1);
  CHECK(list["documents"][0]["kind"] == "draft-resolution");
  CHECK(list["documents"][0]["audience"]["everyone"] == true);
  REQUIRE(list["documents"][0]["versions"].size() == 1);
  CHECK(list["documents"][0]["versions"][0]["sha256"] == sha);
  CHECK(list["documents"][0]["versions"][0]["size"] == draft.size());
  CHECK(list["documents"][0]["versions"][0]["format"] == "markdown");
  CHECK(list["documents"][0]["versions"][0]["addedBy"]["login"] == "secretary");

  auto shown = cli(server, delegate, {"doc", "show", "1"});
  REQUIRE_MESSAGE(shown.exitCode == 0, shown.output);
  CHECK_MESSAGE(mentions(shown.output, "Tài liệu #1 · phiên bản 1 · du-thao-nghi-quyet.md · "), shown.output);
  CHECK(mentions(shown.output, "  1  # Dự thảo Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV\n"));
  CHECK(mentions(shown.output, "\n  2  ## Điều 1. Phương hướng\n  3  Khoản 1.1: phấn đấu đến năm 2030 hoàn thành"));
  CHECK(mentions(shown.output, "\n304  Khoản 3.100: "));

  // The next version: one year changed, a clause dropped, a closing clause added.
  const std::string revised = draftResolution(true);
  const std::string revisedPath = writeFile(server, "du-thao-nghi-quyet-2.md", revised);
  auto updated =
      cli(server, "secretary", {"doc", "update", "1", revisedPath, "--note", "Tiếp thu ý kiến thảo luận tổ"});
  REQUIRE_MESSAGE(updated.exitCode == 0, updated.output);
  CHECK_MESSAGE(mentions(updated.output, "Đã đăng phiên bản 2 của tài liệu #1 / version 2 of document #1 published: "
                                         "Dự thảo Nghị quyết Đại hội\n"),
                updated.output);
  CHECK(mentions(updated.output, "Phiên bản:  2\nThay đổi:   Tiếp thu ý kiến thảo luận tổ\n"));
  CHECK(mentions(updated.output, "SHA-256:    " + daihoi::toHex(daihoi::sha256(revised)) + "\n"));
  auto again = cli(server, "secretary", {"doc", "update", "1", revisedPath, "--note", "Gửi lại"});
  CHECK(again.exitCode == 5);
  CHECK_MESSAGE(mentions(again.output, "nothing new [ERROR_FAILED_PRECONDITION]"), again.output);

  auto diff = cli(server, delegate, {"doc", "diff", "1"});
  REQUIRE_MESSAGE(diff.exitCode == 0, diff.output);
  CHECK_MESSAGE(mentions(diff.output, "Tài liệu #1: phiên bản 1 → 2 / changes from version 1 to 2\n"
                                      "1 đoạn sửa, 1 đoạn thêm, 1 đoạn bỏ, 302 đoạn giữ nguyên"),
                diff.output);
  CHECK(mentions(diff.output, "\n~ Đoạn 7 sửa · Điều 1. Phương hướng\n  Khoản 1.5: phấn đấu đến năm [-2030-]{+2035+} "
                              "hoàn thành chỉ tiêu số 5 "));
  CHECK(mentions(diff.output, "\n- Đoạn 9 của bản 1 bỏ · Điều 1. Phương hướng\n  Khoản 1.7: "));
  CHECK(mentions(diff.output, "\n+ Đoạn 304 thêm · Điều 3. Giải pháp\n  Nghị quyết này có hiệu lực"));
  CHECK_FALSE(mentions(diff.output, "Khoản 1.6"));  // unchanged paragraphs are not printed

  const Json changes = jsonOf(cli(server, delegate, {"--json", "doc", "diff", "1", "--from", "1", "--to", "2"}));
  CHECK(changes["counts"]["changed"] == 1);
  CHECK(changes["counts"]["added"] == 1);
  CHECK(changes["counts"]["removed"] == 1);
  CHECK(changes["counts"]["unchanged"] == 302);
  CHECK(changes["changes"].size() == 305);  // every paragraph of both, the removed one where it stood
  bool sawEdit = false;
  for (const Json& change : changes["changes"]) {
    if (change["kind"] != "changed") continue;
    for (const Json& word : change["words"]) {
      if (word["op"] == "delete") CHECK(word["text"] == "2030");
      if (word["op"] == "insert") CHECK(word["text"] == "2035");
      sawEdit = true;
    }
  }
  CHECK(sawEdit);

  // Both versions stay readable; a version that does not exist is refused.
  const Json first = jsonOf(cli(server, delegate, {"--json", "doc", "show", "1", "--version", "1"}));
  CHECK(first["version"]["number"] == 1);
  CHECK(first["paragraphs"].size() == 304);
  CHECK(jsonOf(cli(server, delegate, {"--json", "doc", "list"}))["documents"][0]["versions"].size() == 2);
  auto missing = cli(server, delegate, {"doc", "show", "1", "--version", "9"});
  CHECK(missing.exitCode == 5);
  CHECK(mentions(missing.output, "[ERROR_NOT_FOUND]"));
}

TEST_CASE("files the server refuses: a clear message, exit code 5, nothing published") {
  ServerProcess server(smallFrames());
  server.start();
  const std::vector<std::string> document = {"--title", "Tham luận của Đoàn Hà Nội", "--kind", "written-contribution"};
  const auto addAs = [&](const std::string& as, const std::string& path) {
    std::vector<std::string> args = {"doc", "add", path};
    args.insert(args.end(), document.begin(), document.end());
    return cli(server, as, args);
  };

  auto fakePdf = addAs("secretary", writeFile(server, "tham-luan.pdf", "Đây là văn bản, không phải tệp PDF.\n"));
  CHECK(fakePdf.exitCode == 5);
  CHECK_MESSAGE(mentions(fakePdf.output, "daihoi: tham-luan.pdf: Tệp mang tên .pdf nhưng không phải PDF / the file "
                                         "is named .pdf but is not a PDF [ERROR_INVALID_DOCUMENT]\n"),
                fakePdf.output);
  CHECK(documentCount(server, "secretary") == 0);

  auto empty = addAs("secretary", writeFile(server, "trong.md", ""));
  CHECK(empty.exitCode == 5);
  CHECK_MESSAGE(mentions(empty.output, "daihoi: trong.md: Tệp rỗng / the file is empty"), empty.output);
  CHECK(mentions(empty.output, "[ERROR_INVALID_DOCUMENT]"));

  auto large = addAs("secretary", writeFile(server, "qua-lon.md", std::string(1'100'000, 'a')));
  CHECK(large.exitCode == 5);
  CHECK_MESSAGE(mentions(large.output, "daihoi: qua-lon.md: Tệp quá lớn / the file is above the limit"), large.output);
  CHECK(mentions(large.output, "[ERROR_TOO_LARGE]"));

  auto json = cli(server, "secretary", {"--json", "doc", "add", writeFile(server, "rong.txt", " \n\n "), "--title",
                                        "Trống", "--kind", "other"});
  CHECK(json.exitCode == 5);
  CHECK(jsonOf(json)["error"]["code"] == "ERROR_INVALID_DOCUMENT");

  auto unreadable = addAs("secretary", (server.dir() / "khong-co.md").string());
  CHECK(unreadable.exitCode == 1);
  CHECK(mentions(unreadable.output, "cannot read the document file"));

  // A delegate submits written contributions only (cli_discussion_test.cpp follows one through).
  const std::string good = writeFile(server, "tham-luan.md", "# Tham luận\n\nĐoàn Hà Nội đề xuất ba giải pháp.\n");
  auto byDelegate = cli(server, server.delegateCodes().front(),
                        {"doc", "add", good, "--title", "Báo cáo của đoàn", "--kind", "political-report"});
  CHECK(byDelegate.exitCode == 4);
  CHECK(mentions(byDelegate.output, "[ERROR_PERMISSION_DENIED]"));
  CHECK(documentCount(server, "secretary") == 0);
}

TEST_CASE("a document for one delegation and the chair: others do not see it; an unknown delegation is a usage error") {
  ServerProcess server(smallFrames());
  server.start();
  auto roster = cli(server, "secretary", {"--json", "roster"});
  REQUIRE_MESSAGE(roster.exitCode == 0, roster.output);
  const Json people = jsonOf(roster);
  const Json& delegation = people["delegations"][0];
  const std::string name = delegation["name"];
  std::string inside, outside;
  for (const Json& delegate : people["delegates"]) {
    const bool member = delegate["delegationId"] == delegation["id"];
    if (member && inside.empty()) inside = delegate["code"];
    if (!member && outside.empty()) outside = delegate["code"];
  }
  REQUIRE_FALSE(inside.empty());
  REQUIRE_FALSE(outside.empty());

  const std::string path = writeFile(server, "danh-sach.md", "# Danh sách đề cử\n\nNguyễn Văn An, Trần Thị Bình.\n");
  auto added = cli(server, "secretary", {"doc", "add", path, "--title", "Danh sách đề cử", "--kind", "personnel-list",
                                         "--audience", "delegation:" + name, "--audience", "role:chair"});
  REQUIRE_MESSAGE(added.exitCode == 0, added.output);
  CHECK_MESSAGE(mentions(added.output, "Người đọc:  " + name + ", chủ tọa\n"), added.output);
  CHECK(documentCount(server, inside) == 1);
  CHECK(documentCount(server, "chair1") == 1);
  CHECK(documentCount(server, outside) == 0);
  auto hidden = cli(server, outside, {"doc", "show", "1"});
  CHECK(hidden.exitCode == 5);
  CHECK(mentions(hidden.output, "[ERROR_NOT_FOUND]"));

  auto unknown = cli(server, "secretary", {"doc", "add", path, "--title", "Danh sách", "--kind", "personnel-list",
                                           "--audience", "delegation:Đoàn Sao Hỏa"});
  CHECK(unknown.exitCode == 1);
  CHECK_MESSAGE(
      mentions(unknown.output, "--audience delegation:Đoàn Sao Hỏa: không có đoàn \"Đoàn Sao Hỏa\"; các đoàn: "),
      unknown.output);
  CHECK(documentCount(server, "secretary") == 1);
}
