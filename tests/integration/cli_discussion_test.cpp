// The discussion of a draft through the daihoi CLI against the real hall server: the secretariat
// publishes a draft resolution, an organizer forms two discussion groups, delegates of both comment
// and reply (each group reads only its own threads, the secretariat all of them), the draft's next
// version moves and removes commented passages, search without diacritics and the study assistant
// find passages, the secretariat marks and compiles the comments (CSV and Markdown); delegates submit
// written contributions the secretariat approves or declines; who opened the newest version; the
// file downloaded over HTTP(S) and checked; the watch lines of it all.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_output.hpp"
#include "cli_watch.hpp"
#include "server_process.hpp"

using namespace daihoi::testing;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// Version 1: §1 title, §2 heading, §3–§5 Điều 1, §6 heading, §7–§8 Điều 2.
const std::string kDraft =
    "# Dự thảo Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV\n\n"
    "## Điều 1. Phương hướng\n\n"
    "Đại hội xác định phương hướng phát triển nhanh và bền vững trong nhiệm kỳ 2025-2030.\n\n"
    "Khoản 1.2: phát triển kinh tế biển gắn với bảo vệ môi trường và quốc phòng, an ninh.\n\n"
    "Khoản 1.3: xây dựng nông thôn mới kiểu mẫu, đô thị văn minh.\n\n"
    "## Điều 2. Nhiệm vụ\n\n"
    "Đẩy mạnh chuyển đổi số, phát triển kinh tế xanh và kinh tế tuần hoàn.\n\n"
    "Nâng cao chất lượng giáo dục và đào tạo nguồn nhân lực chất lượng cao.\n";

// Version 2: two paragraphs added before Điều 1, Khoản 1.2 (§4 of version 1) removed, the first
// paragraph of Điều 2 (§7 of version 1) changed; it is §8 now, the old §3 is §5.
const std::string kRevised =
    "# Dự thảo Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV\n\n"
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam.\n\n"
    "Căn cứ Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng.\n\n"
    "## Điều 1. Phương hướng\n\n"
    "Đại hội xác định phương hướng phát triển nhanh và bền vững trong nhiệm kỳ 2025-2030.\n\n"
    "Khoản 1.3: xây dựng nông thôn mới kiểu mẫu, đô thị văn minh.\n\n"
    "## Điều 2. Nhiệm vụ\n\n"
    "Đẩy mạnh chuyển đổi số, phát triển kinh tế số, kinh tế xanh và kinh tế tuần hoàn.\n\n"
    "Nâng cao chất lượng giáo dục và đào tạo nguồn nhân lực chất lượng cao.\n";

CommandResult cli(const ServerProcess& server, const std::string& as, std::vector<std::string> args) {
  args.insert(args.begin(), {"--as", as});
  return runCli(server, std::move(args));
}

// A command that must succeed; its output.
std::string ok(const ServerProcess& server, const std::string& as, std::vector<std::string> args) {
  auto result = cli(server, as, args);
  std::string line;
  for (const auto& arg : args) line += arg + " ";
  REQUIRE_MESSAGE(result.exitCode == 0, as << ": " << line << "\n" << result.output);
  return result.output;
}

Json okJson(const ServerProcess& server, const std::string& as, std::vector<std::string> args) {
  args.insert(args.begin(), "--json");
  auto result = cli(server, as, args);
  REQUIRE_MESSAGE(result.exitCode == 0, as << "\n" << result.output);
  return jsonOf(result);
}

std::string writeFile(const ServerProcess& server, const std::string& name, const std::string& content) {
  const fs::path path = server.dir() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::set<std::uint64_t> commentIds(const Json& listed) {
  std::set<std::uint64_t> ids;
  for (const Json& comment : listed["comments"]) ids.insert(comment["id"].get<std::uint64_t>());
  return ids;
}

std::set<std::uint32_t> documentIds(const Json& listed) {
  std::set<std::uint32_t> ids;
  for (const Json& document : listed["documents"]) ids.insert(document["id"].get<std::uint32_t>());
  return ids;
}

// Three delegations of the demo roster and two delegates of each, by code, with their names.
struct People {
  std::vector<std::string> delegations;                   // names
  std::vector<std::vector<std::string>> codes;            // per delegation
  std::map<std::string, std::string> names;               // code → full name
};

People people(const ServerProcess& server) {
  const Json roster = okJson(server, "secretary", {"roster"});
  People out;
  for (std::size_t d = 0; d < 3; ++d) {
    const Json& delegation = roster["delegations"][d];
    out.delegations.push_back(delegation["name"]);
    out.codes.emplace_back();
    for (const Json& delegate : roster["delegates"]) {
      if (delegate["delegationId"] == delegation["id"] && out.codes.back().size() < 2) {
        out.codes.back().push_back(delegate["code"]);
      }
    }
    REQUIRE(out.codes.back().size() == 2);
  }
  for (const Json& delegate : roster["delegates"]) out.names[delegate["code"]] = delegate["fullName"];
  return out;
}

}  // namespace

TEST_CASE("a draft discussed in two groups: comments, replies, who reads what, the next version, search, marks, "
          "the compilation") {
  ServerProcess server;
  server.start();
  const People p = people(server);
  const std::string a1 = p.codes[0][0], a2 = p.codes[0][1];  // delegation A: Tổ 1
  const std::string b1 = p.codes[1][0], c1 = p.codes[2][0];  // delegations B and C: Tổ 2

  ok(server, "secretary", {"doc", "add", writeFile(server, "du-thao-nghi-quyet.md", kDraft), "--title",
                           "Dự thảo Nghị quyết Đại hội", "--kind", "draft-resolution", "--note", "Bản trình Đại hội"});

  // The organizer forms the groups, by delegation name; a delegate sees them, may not change them.
  Watcher watcher(server, b1, 4);  // Tổ 2's delegate: the groups, then only Tổ 2's comments
  const std::string set = ok(server, "organizer", {"groups", "set", "Tổ 1=" + p.delegations[0],
                                                   "Tổ 2=" + p.delegations[1] + "," + p.delegations[2]});
  CHECK_MESSAGE(mentions(set, "Đã đặt tổ thảo luận / discussion groups set: 2 tổ\n"), set);
  CHECK(mentions(set, "  Tổ 1: " + p.delegations[0] + "\n  Tổ 2: " + p.delegations[1] + ", " + p.delegations[2] +
                          "\n"));
  CHECK(mentions(set, "Góp ý của đại biểu: mỗi tổ đọc góp ý của tổ mình"));
  const Json listedGroups = okJson(server, a1, {"groups", "list"});
  REQUIRE(listedGroups["groups"].size() == 2);
  CHECK(listedGroups["groups"][1]["name"] == "Tổ 2");
  CHECK(listedGroups["groups"][1]["delegations"][1]["name"] == p.delegations[2]);
  CHECK(listedGroups["visibility"] == "group");
  auto notOrganizer = cli(server, a1, {"groups", "set", "Tổ 1=" + p.delegations[0]});
  CHECK(notOrganizer.exitCode == 4);
  auto unknown = cli(server, "organizer", {"groups", "set", "Tổ 1=Đoàn Sao Hỏa"});
  CHECK(unknown.exitCode == 1);
  CHECK_MESSAGE(mentions(unknown.output, "Tổ 1: không có đoàn \"Đoàn Sao Hỏa\""), unknown.output);

  // Comments on version 1: by §number, by number with a byte range, by paragraph id; replies.
  const std::string first = ok(server, a1, {"doc", "comment", "1", "§4", "Đề nghị bỏ khoản 1.2 vì trùng với Điều 2."});
  CHECK_MESSAGE(mentions(first, "Đã ghi góp ý #1 / comment #1 recorded · tài liệu #1\nĐoạn:    §4 trong bản 1\n"),
                first);
  CHECK(mentions(first, "Người:   " + p.names.at(a1) + " · " + p.delegations[0] + " · Tổ 1\n"));
  const std::string paragraph7 = "Đẩy mạnh chuyển đổi số, phát triển kinh tế xanh và kinh tế tuần hoàn.";
  const std::size_t begin = paragraph7.find("chuyển đổi số");
  const std::string range = std::to_string(begin) + ":" + std::to_string(begin + std::string("chuyển đổi số").size());
  const Json second =
      okJson(server, a1, {"doc", "comment", "1", "7", "Bổ sung phát triển kinh tế số.", "--range", range});
  CHECK(second["comment"]["id"] == 2);
  CHECK(second["comment"]["quote"] == "chuyển đổi số");
  CHECK(second["comment"]["paragraphNumber"] == 7);
  const Json version1 = okJson(server, "secretary", {"doc", "show", "1"});
  const std::string idOf3 = version1["paragraphs"][2]["id"];
  const std::string third = ok(server, b1, {"doc", "comment", "1", idOf3, "Cần nêu rõ chỉ tiêu tăng trưởng."});
  CHECK_MESSAGE(mentions(third, "Đã ghi góp ý #3"), third);
  CHECK(mentions(third, " · " + p.delegations[1] + " · Tổ 2\n"));
  const std::string fourth = ok(server, a2, {"doc", "reply", "1", "Tán thành, khoản 1.2 trùng lặp."});
  CHECK_MESSAGE(mentions(fourth, "Đã ghi trả lời #4 cho góp ý #1 / reply #4 recorded"), fourth);
  ok(server, c1, {"doc", "comment", "1", "Đồng ý với ý kiến trên.", "--reply-to", "3"});
  ok(server, "secretary", {"doc", "reply", "3", "Ban thư ký ghi nhận, sẽ bổ sung ở bản sau."});
  // Another group's thread is not there for b1: not even to reply to.
  auto foreign = cli(server, b1, {"doc", "reply", "1", "Tôi cũng đồng ý."});
  CHECK(foreign.exitCode == 5);
  CHECK_MESSAGE(mentions(foreign.output, "[ERROR_NOT_FOUND]"), foreign.output);
  CHECK_MESSAGE(mentions(foreign.output, "no comment 1"), foreign.output);
  auto foreignDirect = cli(server, b1, {"doc", "reply", "1", "Tôi cũng đồng ý.", "--doc", "1"});
  CHECK(foreignDirect.exitCode == 5);
  CHECK(mentions(foreignDirect.output, "[ERROR_NOT_FOUND]"));
  auto noParagraph = cli(server, a1, {"doc", "comment", "1", "§99", "x"});
  CHECK(noParagraph.exitCode == 1);
  CHECK_MESSAGE(mentions(noParagraph.output, "bản 1 của tài liệu #1 có 8 đoạn, không có §99"), noParagraph.output);

  const CommandResult watched = watcher.finish();
  CHECK_MESSAGE(watched.exitCode == 0, watched.output);
  CHECK_MESSAGE(mentions(watched.output, "TỔ THẢO LUẬN 2 tổ: Tổ 1 (" + p.delegations[0] + "); Tổ 2 (" +
                                             p.delegations[1] + ", " + p.delegations[2] + ") · góp ý: group · bởi "),
                watched.output);
  CHECK(mentions(watched.output, "GÓP Ý      #3 tài liệu #1 §3 trong bản 1 · " + p.names.at(b1) + " · " +
                                     p.delegations[1] + " · Tổ 2: Cần nêu rõ chỉ tiêu tăng trưởng.\n"));
  CHECK(mentions(watched.output, "TRẢ LỜI    #5 → #3 tài liệu #1"));
  CHECK(mentions(watched.output, "TRẢ LỜI    #6 → #3 tài liệu #1 §3 trong bản 1 · "));
  CHECK_FALSE(mentions(watched.output, "khoản 1.2"));  // Tổ 1's threads never reach Tổ 2

  // The next version: the commented passages move (§7 → §8, §3 → §5) or go.
  ok(server, "secretary", {"doc", "update", "1", writeFile(server, "du-thao-nghi-quyet-2.md", kRevised), "--note",
                           "Tiếp thu ý kiến các tổ"});
  const std::string ownGroup = ok(server, a1, {"doc", "comments", "1"});
  CHECK_MESSAGE(mentions(ownGroup, "Góp ý về tài liệu #1 / comments on document #1: 3 góp ý trong 2 luồng\n"),
                ownGroup);
  CHECK(mentions(ownGroup, "\n── §8 trong bản 2 (góp ý trên §7 của bản 1) · «chuyển đổi số»\n#2 · " + p.names.at(a1)));
  CHECK(mentions(ownGroup, "\n── đoạn đã bị xoá ở bản 2 (góp ý trên §4 của bản 1)\n#1 · " + p.names.at(a1)));
  CHECK(mentions(ownGroup, "\n  ↳ #4 trả lời #1 · " + p.names.at(a2) + " · " + p.delegations[0] + " · Tổ 1 · "));
  CHECK(mentions(ownGroup, "      Tán thành, khoản 1.2 trùng lặp.\n"));
  CHECK(ownGroup.find("§8 trong bản 2") < ownGroup.find("đoạn đã bị xoá"));  // removed passages last
  CHECK_FALSE(mentions(ownGroup, "Cần nêu rõ"));
  CHECK(commentIds(okJson(server, a2, {"doc", "comments", "1"})) == std::set<std::uint64_t>{1, 2, 4});
  const std::string otherGroup = ok(server, b1, {"doc", "comments", "1"});
  CHECK_MESSAGE(mentions(otherGroup, "\n── §5 trong bản 2 (góp ý trên §3 của bản 1)\n#3 · " + p.names.at(b1)),
                otherGroup);
  CHECK(mentions(otherGroup, "  ↳ #6 trả lời #3 · "));
  CHECK_FALSE(mentions(otherGroup, "khoản 1.2"));
  CHECK(commentIds(okJson(server, c1, {"doc", "comments", "1"})) == std::set<std::uint64_t>{3, 5, 6});
  const Json all = okJson(server, "secretary", {"doc", "comments", "1"});
  CHECK(commentIds(all) == std::set<std::uint64_t>{1, 2, 3, 4, 5, 6});
  for (const Json& comment : all["comments"]) {
    if (comment["id"] == 1) {
      CHECK(comment["passageRemoved"] == true);
      CHECK(comment["groupName"] == "Tổ 1");
    }
    if (comment["id"] == 2) CHECK(comment["newestParagraphNumber"] == 8);
    if (comment["id"] == 6) CHECK(comment["groupId"] == 0);
  }

  // Search without diacritics, and the study assistant, on the newest version.
  const std::string found = ok(server, b1, {"doc", "search", "dai hoi xac dinh"});
  CHECK_MESSAGE(mentions(found, "Tìm \"dai hoi xac dinh\": 1 kết quả / hits\n\n1. Dự thảo Nghị quyết Đại hội (#1, bản "
                                "2) · §5 · Điều 1. Phương hướng · điểm "),
                found);
  CHECK(mentions(found, "«Đại» «hội» «xác» «định» phương hướng phát triển"));
  const Json hits = okJson(server, b1, {"doc", "search", "dai hoi"});
  CHECK(hits["total"].get<int>() >= 3);  // the title, two "Căn cứ …" and §5
  bool sawParagraph5 = false;
  for (const Json& hit : hits["hits"]) {
    CHECK(hit["version"] == 2);
    CHECK_FALSE(hit["highlights"].empty());
    sawParagraph5 = sawParagraph5 || hit["paragraphNumber"] == 5;
  }
  CHECK(sawParagraph5);
  const std::string answer = ok(server, a1, {"doc", "ask", "phat trien ben vung nhu the nao?"});
  CHECK_MESSAGE(mentions(answer, "\n[1] Dự thảo Nghị quyết Đại hội (#1, bản 2) · đoạn §5 (p"), answer);
  CHECK(mentions(answer, ") · Điều 1. Phương hướng · điểm "));
  CHECK(mentions(answer, "«bền» «vững»"));
  const Json study = okJson(server, a1, {"doc", "ask", "phat trien ben vung", "--doc", "1", "--limit", "2"});
  REQUIRE_FALSE(study["passages"].empty());
  CHECK(study["passages"].size() <= 2);
  CHECK(study["passages"][0]["paragraphNumber"] == 5);
  CHECK(study["passages"][0]["paragraphId"] == idOf3);  // the passage kept its id across versions
  CHECK(study["passages"][0]["text"] ==
        "Đại hội xác định phương hướng phát triển nhanh và bền vững trong nhiệm kỳ 2025-2030.");

  // The secretariat marks; a delegate may not.
  const std::string marked =
      ok(server, "secretary", {"doc", "mark", "1", "accepted", "--note", "Đã bỏ khoản 1.2 ở bản 2"});
  CHECK_MESSAGE(mentions(marked, "Đã đánh dấu góp ý #1 / comment #1 marked: tiếp thu\n"
                                 "Ghi chú:  Đã bỏ khoản 1.2 ở bản 2\n"),
                marked);
  CHECK(mentions(marked, "tài liệu #1 · đoạn đã bị xoá ở bản 2\n"));
  ok(server, "secretary", {"doc", "mark", "2", "noted"});
  ok(server, "organizer", {"doc", "mark", "3", "not-accepted", "--note", "Chỉ tiêu nằm trong Báo cáo chính trị"});
  CHECK(cli(server, a1, {"doc", "mark", "2", "accepted"}).exitCode == 4);
  CHECK(mentions(ok(server, a1, {"doc", "comments", "1"}), "[tiếp thu · "));

  // The compilation: counts in all, by section and by group, and both exports.
  const Json compiled = okJson(server, "secretary", {"doc", "compile", "1"});
  CHECK(compiled["newestVersion"] == 2);
  CHECK(compiled["counts"] == Json::parse(R"({"total":6,"accepted":1,"noted":1,"notAccepted":1,"unmarked":3})"));
  REQUIRE(compiled["groups"].size() == 3);  // the secretariat's reply (no group), Tổ 1, Tổ 2
  CHECK(compiled["groups"][0]["groupId"] == 0);
  CHECK(compiled["groups"][1]["groupName"] == "Tổ 1");
  CHECK(compiled["groups"][1]["counts"]["total"] == 3);
  CHECK(compiled["groups"][1]["counts"]["accepted"] == 1);
  CHECK(compiled["groups"][2]["groupName"] == "Tổ 2");
  CHECK(compiled["groups"][2]["counts"]["notAccepted"] == 1);
  REQUIRE(compiled["sections"].size() == 3);
  CHECK(compiled["sections"][0]["section"] == "Điều 1. Phương hướng");
  CHECK(compiled["sections"][0]["counts"]["total"] == 3);  // #3, #5, #6 on §5
  CHECK(compiled["sections"][1]["section"] == "Điều 2. Nhiệm vụ");
  CHECK(compiled["sections"][2]["removedPassages"] == true);
  CHECK(compiled["sections"][2]["commentIds"] == Json::parse("[1,4]"));
  const std::string counted = ok(server, "secretary", {"doc", "compile", "1"});
  CHECK_MESSAGE(mentions(counted,
                         "Tổng / total: 6 góp ý · tiếp thu 1 · ghi nhận 1 · không tiếp thu 1 · chưa xử lý 3\n"),
                counted);
  CHECK(mentions(counted, "Đoạn đã bị xoá ở bản 2"));
  CHECK(mentions(counted, "(ngoài các tổ)"));

  const std::string csvPath = (server.dir() / "gop-y.csv").string();
  const std::string savedCsv = ok(server, "secretary", {"doc", "compile", "1", "--format", "csv", "-o", csvPath});
  CHECK_MESSAGE(mentions(savedCsv, "Đã ghi tệp / written: " + csvPath + " (CSV, "), savedCsv);
  const std::string csv = readFile(csvPath);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);  // the header and six comments
  CHECK(mentions(csv, "\"Đề nghị bỏ khoản 1.2 vì trùng với Điều 2.\""));
  CHECK(mentions(csv, "\"đã bị xoá ở bản 2\""));
  CHECK(mentions(csv, "\"§8 bản 2\""));
  CHECK(mentions(csv, "\"Tổ 1\""));
  CHECK(mentions(csv, "\"Tổ 2\""));
  CHECK(mentions(csv, "\"tiếp thu\",\"Đã bỏ khoản 1.2 ở bản 2\""));
  const std::string markdown = ok(server, "secretary", {"doc", "compile", "1", "--format", "md", "-o", "-"});
  CHECK_MESSAGE(markdown.rfind("# Tổng hợp ý kiến góp ý: Dự thảo Nghị quyết Đại hội\n", 0) == 0, markdown);
  CHECK(mentions(markdown, "| Tổ 1 | 3 | 1 | 1 | 0 | 1 |"));
  CHECK(mentions(markdown, "### Đoạn đã bị xoá ở bản mới nhất"));
  CHECK(mentions(markdown, "Cần nêu rõ chỉ tiêu tăng trưởng."));
  CHECK(cli(server, a1, {"doc", "compile", "1"}).exitCode == 4);
}

TEST_CASE("written contributions: submitted by a delegate, hidden from others, approved or declined") {
  ServerProcess server;
  server.start();
  const People p = people(server);
  const std::string author = p.codes[0][0], other = p.codes[1][0], second = p.codes[2][0];
  const std::string path =
      writeFile(server, "tham-luan.md", "# Tham luận\n\nĐoàn đề xuất ba giải pháp chuyển đổi số.\n");

  const std::string submitted = ok(server, author, {"doc", "add", path, "--title", "Tham luận về chuyển đổi số",
                                                    "--kind", "written-contribution"});
  CHECK_MESSAGE(mentions(submitted, "Đã đăng tài liệu #1 / document #1 published: Tham luận về chuyển đổi số\n"),
                submitted);
  CHECK(mentions(submitted, "Người đọc:  đại biểu " + author + " " + p.names.at(author) + "\n"));
  CHECK(mentions(submitted, "Tham luận:  đã gửi, chờ ban thư ký duyệt, của " + p.names.at(author) + "\n"));
  auto otherKind = cli(server, author, {"doc", "add", path, "--title", "Văn bản", "--kind", "other"});
  CHECK(otherKind.exitCode == 4);
  CHECK(mentions(otherKind.output, "[ERROR_PERMISSION_DENIED]"));

  CHECK(documentIds(okJson(server, other, {"doc", "list"})).empty());
  auto hidden = cli(server, other, {"doc", "show", "1"});
  CHECK(hidden.exitCode == 5);
  CHECK(mentions(hidden.output, "[ERROR_NOT_FOUND]"));
  CHECK(cli(server, other, {"doc", "get", "1", "-o", (server.dir() / "x.md").string()}).exitCode == 5);
  CHECK(cli(server, other, {"doc", "search", "chuyen doi so"}).output.find("Không tìm thấy") != std::string::npos);
  CHECK(mentions(ok(server, "secretary", {"doc", "list"}),
                 "Tham luận về chuyển đổi số (đã gửi, chờ ban thư ký duyệt, của " + p.names.at(author) + ")"));
  CHECK(cli(server, other, {"doc", "approve", "1"}).exitCode == 4);

  Watcher watcher(server, author, 1);  // the author hears of the decision
  const std::string approved = ok(server, "secretary", {"doc", "approve", "1", "--note", "Trình bày tại phiên 2"});
  CHECK_MESSAGE(mentions(approved, "Đã duyệt tham luận #1 / contribution #1 approved: Tham luận về chuyển đổi số\n"
                                   "Tác giả:    " + p.names.at(author) + "\nGhi chú:    Trình bày tại phiên 2\n"
                                   "Người đọc:  mọi đại biểu và chủ tọa, đại biểu " + author),
                approved);
  const CommandResult heard = watcher.finish();
  CHECK_MESSAGE(mentions(heard.output, "THAM LUẬN  #1 Tham luận về chuyển đổi số: đã duyệt trình bày, của " +
                                           p.names.at(author) + " · Trình bày tại phiên 2 · bởi "),
                heard.output);
  CHECK(documentIds(okJson(server, other, {"doc", "list"})) == std::set<std::uint32_t>{1});
  CHECK(mentions(ok(server, other, {"doc", "show", "1"}), "Đoàn đề xuất ba giải pháp chuyển đổi số."));
  CHECK(mentions(ok(server, other, {"doc", "search", "chuyen doi so"}), "«chuyển» «đổi» «số»"));

  // Declined: still the author's (and the secretariat's) only.
  ok(server, second, {"doc", "add", path, "--title", "Tham luận thứ hai", "--kind", "written-contribution"});
  auto noReason = cli(server, "secretary", {"doc", "decline", "2"});
  CHECK(noReason.exitCode == 1);
  const std::string declined =
      ok(server, "secretary", {"doc", "decline", "2", "--note", "Trùng nội dung tham luận #1"});
  CHECK_MESSAGE(mentions(declined, "Tham luận #2 không được trình bày / contribution #2 declined: Tham luận thứ hai\n"),
                declined);
  CHECK(mentions(declined, "Lý do:      Trùng nội dung tham luận #1\n"));
  CHECK(documentIds(okJson(server, other, {"doc", "list"})) == std::set<std::uint32_t>{1});
  const Json own = okJson(server, second, {"doc", "list"});
  CHECK(documentIds(own) == std::set<std::uint32_t>{1, 2});
  for (const Json& document : own["documents"]) {
    if (document["id"] == 2) CHECK(document["contribution"]["status"] == "declined");
  }
  auto again = cli(server, "secretary", {"doc", "approve", "2"});
  CHECK_MESSAGE(again.exitCode == 0, again.output);  // the secretariat may change its mind
}

TEST_CASE("who opened the newest version: doc show and doc open by delegates, doc readers [--missing]; doc get") {
  ServerProcess server;
  server.start();
  const People p = people(server);
  const std::string reader = p.codes[0][0], older = p.codes[1][0], opener = p.codes[2][0];
  const std::size_t delegates = server.delegateCodes().size();
  ok(server, "secretary", {"doc", "add", writeFile(server, "du-thao.md", kDraft), "--title", "Dự thảo", "--kind",
                           "draft-resolution"});
  ok(server, "secretary", {"doc", "update", "1", writeFile(server, "du-thao-2.md", kRevised), "--note", "Bản 2"});

  const std::string none = ok(server, "secretary", {"doc", "readers", "1"});
  CHECK_MESSAGE(mentions(none, "Tài liệu #1, bản mới nhất 2: 0/" + std::to_string(delegates) + " đại biểu đã mở"),
                none);
  ok(server, reader, {"doc", "show", "1"});                    // records version 2
  ok(server, older, {"doc", "show", "1", "--version", "1"});   // version 1 only
  const std::string opened = ok(server, opener, {"doc", "open", "1"});
  CHECK_MESSAGE(mentions(opened, "Đã ghi nhận bạn đọc tài liệu #1, bản 2 (lần đầu lúc "), opened);
  CHECK(mentions(ok(server, "secretary", {"doc", "open", "1"}), "chỉ việc đọc của đại biểu được ghi nhận"));

  const std::string counted = ok(server, "organizer", {"doc", "readers", "1"});
  CHECK_MESSAGE(mentions(counted, ": 2/" + std::to_string(delegates) + " đại biểu đã mở, " +
                                      std::to_string(delegates - 2) + " chưa mở"),
                counted);
  CHECK(mentions(counted, "\nĐã mở / opened:\n"));
  CHECK(mentions(counted, "\n" + reader + "  "));
  CHECK_FALSE(mentions(counted, older));
  const Json readers = okJson(server, "secretary", {"doc", "readers", "1"});
  CHECK(readers["readers"] == delegates);
  CHECK(readers["openedNewest"] == 2);
  REQUIRE(readers["delegates"].size() == 2);
  for (const Json& delegate : readers["delegates"]) {
    CHECK((delegate["code"] == reader || delegate["code"] == opener));
    CHECK(delegate["newestOpened"] == 2);
    CHECK(delegate["openedNewestMs"].get<std::int64_t>() > 0);
  }
  const Json missing = okJson(server, "secretary", {"doc", "readers", "1", "--missing"});
  CHECK(missing["delegates"].size() == delegates - 2);
  std::set<std::string> missingCodes;
  for (const Json& delegate : missing["delegates"]) {
    missingCodes.insert(delegate["code"]);
    CHECK(delegate["openedNewestMs"] == 0);
    CHECK(delegate["newestOpened"] == (delegate["code"] == older ? 1 : 0));
  }
  CHECK(missingCodes.count(older) == 1);
  CHECK(missingCodes.count(reader) == 0);
  CHECK(missingCodes.count(opener) == 0);
  CHECK(mentions(ok(server, "secretary", {"doc", "readers", "1", "--missing"}), "Chưa mở bản 2 / not opened yet:\n"));
  CHECK(cli(server, reader, {"doc", "readers", "1"}).exitCode == 4);

  // The file over HTTP with the session token, checked against its SHA-256; no overwrite without --force.
  const std::string target = (server.dir() / "tai-ve.md").string();
  const std::string got = ok(server, reader, {"doc", "get", "1", "-o", target});
  CHECK_MESSAGE(mentions(got, "Đã tải tài liệu #1 bản 2 / downloaded: du-thao-2.md · "), got);
  CHECK(mentions(got, "SHA-256 khớp / verified\nĐã ghi / written: " + target + "\n"));
  CHECK(readFile(target) == kRevised);
  auto exists = cli(server, reader, {"doc", "get", "1", "--version", "1", "-o", target});
  CHECK(exists.exitCode == 1);
  CHECK_MESSAGE(mentions(exists.output, target + " đã có / already exists: thêm --force"), exists.output);
  CHECK(readFile(target) == kRevised);
  const Json forced = okJson(server, reader, {"doc", "get", "1", "--version", "1", "-o", target, "--force"});
  CHECK(forced["verified"] == true);
  CHECK(forced["fileName"] == "du-thao.md");
  CHECK(readFile(target) == kDraft);
  CHECK(ok(server, older, {"doc", "get", "1", "-o", "-"}) == kRevised);
  auto noVersion = cli(server, reader, {"doc", "get", "1", "--version", "3", "-o", target});
  CHECK(noVersion.exitCode == 5);
  CHECK(mentions(noVersion.output, "[ERROR_NOT_FOUND]"));
  // doc get does not count as opening: still two.
  CHECK(okJson(server, "secretary", {"doc", "readers", "1"})["openedNewest"] == 2);
}

TEST_CASE("doc get over HTTPS with the server's certificate") {
  ServerOptions options;
  options.tls = true;
  ServerProcess server(options);
  server.start();
  const auto tls = [&](const std::string& as, std::vector<std::string> args) {
    args.insert(args.begin(), {"--ca", server.certificatePath(), "--as", as});
    return runCli(server, std::move(args));
  };
  auto added = tls("secretary", {"doc", "add", writeFile(server, "du-thao.md", kDraft), "--title", "Dự thảo", "--kind",
                                 "draft-resolution"});
  REQUIRE_MESSAGE(added.exitCode == 0, added.output);
  const std::string delegate = server.delegateCodes().front();
  const std::string target = (server.dir() / "qua-https.md").string();
  auto got = tls(delegate, {"doc", "get", "1", "-o", target});
  REQUIRE_MESSAGE(got.exitCode == 0, got.output);
  CHECK(readFile(target) == kDraft);
  auto untrusted = runCli(server, {"--as", delegate, "doc", "get", "1", "-o", target + ".2"});
  CHECK(untrusted.exitCode == 2);  // the WebSocket already refuses the unknown certificate
  CHECK_FALSE(fs::exists(target + ".2"));
}
