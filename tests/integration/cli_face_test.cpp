// The daihoi CLI against the real hall server: roll calls, sittings, the attendance log and its
// CSV export, and Face ID enrollment from a folder of photos (../shared/faces, when present).
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_output.hpp"
#include "cli_watch.hpp"
#include "clients.hpp"
#include "server_process.hpp"

using namespace daihoi::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace v1 = daihoi::v1;
using Json = nlohmann::json;

namespace {

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> csvLines(const std::string& csv) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(csv.substr(start, end - start));
  }
  return lines;
}

// Tomorrow's date, local time, as the CLI's --from takes it.
std::string tomorrow() {
  const std::time_t later = std::time(nullptr) + 24 * 3600;
  std::tm local{};
  localtime_r(&later, &local);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return buffer;
}

std::string sharedFaces() {
  if (const char* env = std::getenv("DAIHOI_SHARED_FACES"); env && *env) return env;
  return DAIHOI_SHARED_FACES;
}

// ---- a plain grey PNG (no face in it), written without an image library: stored deflate blocks.

std::uint32_t crc32(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void putBigEndian(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

std::string plainPng(std::uint32_t width, std::uint32_t height) {
  std::string raw;
  for (std::uint32_t y = 0; y < height; ++y) {
    raw += '\0';  // filter: none
    raw.append(width * 3, static_cast<char>(0x80));
  }
  std::string zlib = "\x78\x01";
  for (std::size_t at = 0; at < raw.size(); at += 65535) {
    const std::size_t length = std::min<std::size_t>(65535, raw.size() - at);
    zlib += static_cast<char>(at + length == raw.size() ? 1 : 0);
    zlib += static_cast<char>(length & 0xFF);
    zlib += static_cast<char>(length >> 8);
    zlib += static_cast<char>(~length & 0xFF);
    zlib += static_cast<char>((~length >> 8) & 0xFF);
    zlib += raw.substr(at, length);
  }
  std::uint32_t a = 1, b = 0;
  for (unsigned char byte : raw) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  putBigEndian(zlib, (b << 16) | a);
  const auto chunk = [](const std::string& type, const std::string& data) {
    std::string out;
    putBigEndian(out, static_cast<std::uint32_t>(data.size()));
    out += type + data;
    putBigEndian(out, crc32(type + data));
    return out;
  };
  std::string header;
  putBigEndian(header, width);
  putBigEndian(header, height);
  header += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", "");
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TEST_CASE("from the CLI: roll calls, a sitting, manual check-ins, the attendance log and its CSV export") {
  ServerProcess server;
  server.start();
  const auto codes = server.delegateCodes();
  REQUIRE(codes.size() >= 4);

  // A display watches: the roll call and the sitting arrive as readable lines.
  Watcher watcher(server, "display-1", 3);

  auto first = runCli(server, {"--as", "chair1", "--json", "roll-call", "--note", "trước phiên khai mạc"});
  REQUIRE_MESSAGE(first.exitCode == 0, first.output);
  const Json firstJson = jsonOf(first);
  CHECK(firstJson["rollCallId"] == 1);
  CHECK(firstJson["note"] == "trước phiên khai mạc");
  CHECK(firstJson["sittingId"] == 0);
  CHECK(firstJson["totals"]["present"] == 0);
  CHECK(firstJson["totals"]["quorumReached"] == false);

  auto started = runCli(server, {"--as", "chair1", "sitting", "start", "Phiên thứ nhất — sáng 02/12"});
  REQUIRE_MESSAGE(started.exitCode == 0, started.output);
  CHECK_MESSAGE(mentions(started.output, "Đã khai mạc phiên họp #1 Phiên thứ nhất — sáng 02/12 lúc "), started.output);
  auto twice = runCli(server, {"--as", "chair1", "--json", "sitting", "start", "Phiên khác"});
  CHECK(twice.exitCode == 5);
  CHECK(mentions(twice.output, "ERROR_FAILED_PRECONDITION"));

  REQUIRE(runCli(server, {"--as", "secretary", "check-in", codes[0], codes[1], "--reason", "đến muộn, có giấy mời"})
              .exitCode == 0);
  REQUIRE(runCli(server, {"--as", "secretary", "check-out", codes[1], "--reason", "về sớm \"việc gia đình\""}).exitCode ==
          0);

  auto second = runCli(server, {"--as", "chair1", "roll-call", "--note", "giữa phiên"});
  REQUIRE_MESSAGE(second.exitCode == 0, second.output);
  CHECK_MESSAGE(mentions(second.output, "Đã điểm danh lần 2 (seq "), second.output);
  CHECK(mentions(second.output, "Phiên họp:  #1 Phiên thứ nhất — sáng 02/12\n"));
  CHECK(mentions(second.output, "Ghi chú:    giữa phiên\n"));
  CHECK(mentions(second.output, "Có mặt:     1 đại biểu\n"));
  CHECK(mentions(second.output, "CHƯA ĐỦ"));

  auto ended = runCli(server, {"--as", "chair1", "--json", "sitting", "end"});
  REQUIRE_MESSAGE(ended.exitCode == 0, ended.output);
  const Json endedJson = jsonOf(ended);
  CHECK(endedJson["action"] == "ended");
  CHECK(endedJson["sitting"]["id"] == 1);
  CHECK(endedJson["sitting"]["inSession"] == false);
  CHECK(runCli(server, {"--as", "chair1", "sitting", "end"}).exitCode == 5);  // none in session

  // After the sitting: outside any sitting.
  REQUIRE(runCli(server, {"--as", "secretary", "check-in", codes[2], "--reason", "đến sau"}).exitCode == 0);

  const CommandResult watched = watcher.finish();
  CHECK_MESSAGE(watched.exitCode == 0, watched.output);
  CHECK_MESSAGE(mentions(watched.output, "ĐIỂM DANH  lần 1: có mặt 0, biểu quyết 0/"), watched.output);
  CHECK(mentions(watched.output, "ghi chú: trước phiên khai mạc · bởi "));
  CHECK(mentions(watched.output, "PHIÊN HỌP  khai mạc #1 Phiên thứ nhất — sáng 02/12 · bởi "));
  CHECK(mentions(watched.output, "CÓ MẶT     " + codes[0]));

  // The log as a table, with the sittings after it.
  auto table = runCli(server, {"--as", "secretary", "attendance-log"});
  REQUIRE_MESSAGE(table.exitCode == 0, table.output);
  CHECK(mentions(table.output, "Thời gian"));
  CHECK(mentions(table.output, codes[0]));
  CHECK(mentions(table.output, "thủ công"));
  CHECK(mentions(table.output, "đến muộn, có giấy mời"));
  CHECK(mentions(table.output, "4 lượt ghi nhận\n"));
  CHECK(mentions(table.output, "Các phiên họp:\n"));
  CHECK(mentions(table.output, "#1  Phiên thứ nhất — sáng 02/12"));

  // Filters: one delegate, one sitting, a time range.
  const Json oneDelegate = jsonOf(runCli(server, {"--as", "chair1", "--json", "attendance-log", "--delegate", codes[1]}));
  REQUIRE(oneDelegate["entries"].size() == 2);
  CHECK(oneDelegate["entries"][0]["code"] == codes[1]);
  CHECK(oneDelegate["entries"][0]["present"] == true);
  CHECK(oneDelegate["entries"][1]["present"] == false);
  CHECK(oneDelegate["entries"][1]["method"] == "manual");
  CHECK(oneDelegate["entries"][1]["sittingId"] == 1);
  const Json inSitting = jsonOf(runCli(server, {"--as", "organizer", "--json", "attendance-log", "--sitting", "1"}));
  CHECK(inSitting["entries"].size() == 3);
  CHECK(inSitting["sittings"].size() == 1);
  const Json later = jsonOf(runCli(server, {"--as", "organizer", "--json", "attendance-log", "--from", tomorrow()}));
  CHECK(later["entries"].empty());
  auto unknown = runCli(server, {"--as", "organizer", "--json", "attendance-log", "--delegate", "KHONG-CO"});
  CHECK(unknown.exitCode == 5);
  CHECK(mentions(unknown.output, "ERROR_NOT_FOUND"));

  // The CSV export: BOM, header, one line per change, RFC 4180 quoting, ISO times, the sitting.
  const fs::path csvPath = server.dir() / "nhat-ky.csv";
  auto exported = runCli(server, {"--as", "organizer", "attendance-log", "--csv", csvPath.string()});
  REQUIRE_MESSAGE(exported.exitCode == 0, exported.output);
  CHECK(mentions(exported.output, "Đã ghi nhật ký có mặt (4 lượt) vào "));
  const std::string csv = readAll(csvPath);
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  const auto lines = csvLines(csv.substr(3));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] ==
        "id,time,code,full_name,delegation,in_out,method,recorded_by,face_distance,reason,sitting_id,sitting_title");
  CHECK(mentions(lines[1], "," + codes[0] + ","));
  CHECK(mentions(lines[1], ",in,manual,"));
  CHECK(mentions(lines[1], ",\"đến muộn, có giấy mời\",1,Phiên thứ nhất — sáng 02/12"));
  CHECK(mentions(lines[3], "," + codes[1] + ","));
  CHECK(mentions(lines[3], ",out,manual,"));
  CHECK(mentions(lines[3], ",\"về sớm \"\"việc gia đình\"\"\",1,"));
  CHECK(mentions(lines[4], "," + codes[2] + ","));
  CHECK(lines[4].substr(lines[4].size() - 2) == ",,");  // outside any sitting
  // ISO 8601 with the offset: 2026-12-01T21:38:54.123+07:00 or ...Z.
  const std::string time = lines[1].substr(lines[1].find(',') + 1, 29);
  CHECK_MESSAGE(time[4] == '-', time);
  CHECK(time[10] == 'T');
  CHECK(time[19] == '.');

  // Who may do what.
  CHECK(runCli(server, {"--as", "secretary", "roll-call"}).exitCode == 4);
  CHECK(runCli(server, {"--as", "secretary", "sitting", "start", "x"}).exitCode == 4);
  CHECK(runCli(server, {"--as", codes[3], "attendance-log"}).exitCode == 4);
  CHECK(runCli(server, {"attendance-log", "--delegate", codes[0], "--pin", "1"}).exitCode == 1);
}

TEST_CASE("with face work switched off, faces says why and enroll stops with exit code 7") {
  ServerProcess server(ServerOptions{40});
  server.start();
  auto faces = runCli(server, {"--as", "organizer", "faces"});
  CHECK_MESSAGE(faces.exitCode == 0, faces.output);
  CHECK(mentions(faces.output, "Nhận diện khuôn mặt: TẮT — "));
  const fs::path folder = server.dir() / "anh";
  fs::create_directories(folder);
  std::ofstream(folder / (server.delegateCodes().at(0) + ".png"), std::ios::binary) << plainPng(64, 64);
  auto enroll = runCli(server, {"--as", "organizer", "--json", "enroll", folder.string()});
  CHECK_MESSAGE(enroll.exitCode == 7, enroll.output);
  CHECK(mentions(enroll.output, "{\"error\":{\"code\":\"ERROR_FACE_UNAVAILABLE\""));
}

TEST_CASE("daihoi enroll on a folder of photos: ok for faces, refused for the rest, skipped or reused on a second run") {
  const fs::path people = fs::path(sharedFaces()) / "people";
  if (!fs::is_directory(people)) {
    MESSAGE("SKIPPED: no face photos at " << people.string()
                                          << " (set DAIHOI_SHARED_FACES to the shared faces folder to run this case)");
    return;
  }
  ServerProcess server(ServerOptions{40, false, {"--liveness", "off"}, true});
  server.start();
  const Json state = jsonOf(runCli(server, {"--as", "organizer", "--json", "faces"}));
  if (state["faceAvailable"] != true) {
    MESSAGE("SKIPPED: the hall server has no face work here: " << state["faceProblem"].get<std::string>());
    return;
  }
  const auto codes = server.delegateCodes();
  REQUIRE(codes.size() >= 6);
  const fs::path folder = server.dir() / "anh-dai-bieu";
  fs::create_directories(folder / codes[1]);
  fs::copy_file(people / "obama" / "obama1.jpg", folder / (codes[0] + ".jpg"));
  fs::copy_file(people / "obama" / "obama2.jpg", folder / (codes[0] + "_2.jpg"));
  fs::copy_file(people / "biden" / "biden1.jpg", folder / codes[1] / "anh-the.jpg");  // a folder per delegate
  fs::copy_file(people / "kit_harington" / "kit1.jpg", folder / (lowercase(codes[2]) + "-1.jpg"));
  std::ofstream(folder / (codes[3] + ".png"), std::ios::binary) << plainPng(320, 240);  // no face in it
  {
    std::string jpeg = readAll(people / "rose_leslie" / "rose1.jpg");
    std::ofstream(folder / (codes[4] + ".jpg"), std::ios::binary) << jpeg.substr(0, jpeg.size() / 3);  // corrupt
  }
  fs::copy_file(people / "kit_harington" / "kit2.jpg", folder / "ZZ-999.jpg");  // nobody's code
  std::ofstream(folder / "ghi-chu.txt") << "ảnh chụp ngày 01/12";

  auto first = runCli(server, {"--as", "organizer", "--json", "enroll", folder.string()});
  REQUIRE_MESSAGE(first.exitCode == 0, first.output);
  CHECK_MESSAGE(mentions(first.output, "[1/5] " + codes[0] + " · 2 ảnh · đã chạy "), first.output);  // progress
  const Json report = jsonOf(first);
  REQUIRE(report["delegates"].size() == 5);
  const auto photosOf = [&](const Json& r, const std::string& code) {
    for (const auto& delegate : r["delegates"]) {
      if (delegate["code"] == code) return delegate["photos"];
    }
    FAIL("no report for " << code);
    return Json::array();
  };
  for (int i = 0; i < 3; ++i) {
    for (const auto& photo : photosOf(report, codes[i])) {
      CAPTURE(photo.dump());
      CHECK(photo["status"] == "ok");
      CHECK(photo["reused"] == false);
      CHECK(photo["sha256"].get<std::string>().size() == 64);
    }
  }
  CHECK(photosOf(report, codes[0]).size() == 2);
  CHECK(photosOf(report, codes[1])[0]["name"] == codes[1] + "/anh-the.jpg");
  const Json plain = photosOf(report, codes[3])[0];
  CHECK(plain["ok"] == false);
  CHECK(plain["status"] == "no_face");
  const Json corrupt = photosOf(report, codes[4])[0];
  CHECK(corrupt["ok"] == false);
  CHECK_MESSAGE((corrupt["status"] == "truncated_image" || corrupt["status"] == "corrupt_image"), corrupt.dump());
  CHECK(report["unmatched"] == Json::array({"ZZ-999.jpg"}));
  CHECK(report["ignored"] == Json::array({"ghi-chu.txt"}));
  CHECK(report["totals"]["photos"] == 6);
  CHECK(report["totals"]["ok"] == 4);
  CHECK(report["totals"]["refused"] == 2);
  CHECK(report["totals"]["delegatesWithUsablePhoto"] == 3);
  const Json& enrollment = report["enrollment"];
  CHECK(enrollment["enrolledCount"] == 3);
  CHECK(enrollment["notEnrolledCount"] == codes.size() - 3);
  CHECK(enrollment["threshold"].get<double>() > 0);
  CHECK(enrollment["recommendedThreshold"].get<double>() > 0);
  CHECK(enrollment["lookAlikes"].empty());  // three different people

  // Again without --replace: the enrolled delegates are left alone, the refused ones tried again.
  auto again = runCli(server, {"--as", "organizer", "enroll", folder.string()});
  CHECK_MESSAGE(again.exitCode == 8, again.output);  // nothing of this run could be enrolled
  CHECK(mentions(again.output, "Bỏ qua vì đã có ảnh đăng ký (thêm --replace để thay ảnh của họ) (3): " + codes[0] +
                                   ", " + codes[1] + ", " + codes[2]));
  CHECK(mentions(again.output, "không thấy khuôn mặt"));
  CHECK(mentions(again.output, "Ảnh không mang mã đại biểu nào, bỏ qua (1): ZZ-999.jpg"));
  CHECK(mentions(again.output, "ERROR_NOTHING_ENROLLED"));

  // With --replace: every photo is sent again, and the server reuses what it knows.
  auto replaced = runCli(server, {"--as", "organizer", "--json", "enroll", folder.string(), "--replace"});
  REQUIRE_MESSAGE(replaced.exitCode == 0, replaced.output);
  const Json second = jsonOf(replaced);
  CHECK(second["totals"]["reused"] == 4);
  for (const auto& photo : photosOf(second, codes[0])) {
    CHECK(photo["status"] == "ok");
    CHECK(photo["reused"] == true);
  }
  auto text = runCli(server, {"--as", "organizer", "enroll", folder.string(), "--replace"});
  CHECK(mentions(text.output, codes[0] + ".jpg"));
  CHECK(mentions(text.output, "đạt (dùng lại)"));
  CHECK(mentions(text.output, "Tổng cộng: 6 ảnh của 5 đại biểu: 4 đạt (4 dùng lại), 2 bị từ chối; 3 đại biểu có ảnh "
                              "dùng được"));
  CHECK(mentions(text.output, "Ngưỡng nhận diện: "));

  auto faces = runCli(server, {"--as", "organizer", "faces"});
  CHECK_MESSAGE(faces.exitCode == 0, faces.output);
  CHECK(mentions(faces.output, "Nhận diện khuôn mặt: đang hoạt động\nĐã đăng ký: 3/" + std::to_string(codes.size()) +
                                   " đại biểu (4 ảnh dùng được)\n"));
  CHECK(runCli(server, {"--as", "chair1", "faces"}).exitCode == 4);
  CHECK(runCli(server, {"--as", "secretary", "enroll", folder.string()}).exitCode == 4);

  // A kiosk recognises the first delegate (liveness is off on this server): the log shows the
  // face check-in with its distance, and its thumbnail can be saved.
  const fs::path frame = fs::path(sharedFaces()) / "quality" / "obama-720p.jpg";
  if (!fs::exists(frame)) {
    MESSAGE("SKIPPED the kiosk part: no " << frame.string());
    return;
  }
  {
    auto kiosk = signedInClient(server.url(), daihoi::client::DeviceTokenCredential{server.deviceToken("kiosk-1")},
                                optionsFor(server.url()));
    const std::string image = readAll(frame);
    v1::FaceStatus status = v1::FACE_STATUS_UNSPECIFIED;
    for (std::uint64_t id = 1; id <= 20 && status != v1::FACE_STATUS_CHECKED_IN; ++id) {
      v1::ClientMessage message;
      message.mutable_face_frame()->set_image(image);
      message.mutable_face_frame()->set_frame_id(id);
      auto reply = kiosk->call(message, 30s);
      REQUIRE_MESSAGE(reply.ok(), reply.error().message);
      status = reply->face_frame().status();
    }
    REQUIRE_MESSAGE(status == v1::FACE_STATUS_CHECKED_IN, "the kiosk did not check the delegate in");
  }
  const Json log = jsonOf(runCli(server, {"--as", "organizer", "--json", "attendance-log", "--delegate", codes[0]}));
  REQUIRE(log["entries"].size() == 1);
  const Json entry = log["entries"][0];
  CHECK(entry["method"] == "face");
  CHECK(entry["recordedBy"]["role"] == "kiosk");
  CHECK(entry["faceDistance"].get<double>() > 0);
  CHECK(entry["faceDistance"].get<double>() < enrollment["threshold"].get<double>());
  auto logText = runCli(server, {"--as", "organizer", "attendance-log"});
  CHECK(mentions(logText.output, "khuôn mặt"));
  if (entry["hasThumbnail"] == true) {
    const fs::path jpeg = server.dir() / "mat.jpg";
    auto saved = runCli(server, {"--as", "organizer", "face-thumbnail", std::to_string(entry["id"].get<std::uint64_t>()),
                              "--out", jpeg.string()});
    REQUIRE_MESSAGE(saved.exitCode == 0, saved.output);
    CHECK(readAll(jpeg).rfind("\xFF\xD8", 0) == 0);
  } else {
    MESSAGE("the server kept no thumbnail of the face check-in");
  }
  auto noThumbnail = runCli(server, {"--as", "organizer", "--json", "face-thumbnail", "999999", "--out",
                                  (server.dir() / "x.jpg").string()});
  CHECK(noThumbnail.exitCode == 5);
}
