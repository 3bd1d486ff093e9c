// hall-server: the Daihoi hall server and its offline set-up commands.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/hall_server.hpp"
#include "app/setup.hpp"
#include "store/verify.hpp"

namespace {

using namespace daihoi;

constexpr const char* kUsage = R"(hall-server — the Daihoi congress hall server

usage:
  hall-server serve --db FILE [--address 127.0.0.1] [--port 8443] [--port-file FILE]
                    [--tls-cert FILE --tls-key FILE] [--allow-origin ORIGIN]...
                    [--max-message-bytes N] [--ping-interval-ms N] [--idle-timeout-ms N]
                    [--session-ttl-hours N] [--auth-threads N]
                    [--no-face] [--face-workers 2] [--models-dir DIR] [--face-threshold 0.45]
                    [--face-margin 0.07] [--liveness on|off] [--attended-kiosk NAME]...
                    [--face-thumbnail-days 30] [--keep-failed-attempts] [--max-document-mb 50]
  hall-server init-demo --db FILE --credentials FILE [--delegates 500] [--delegations 15] [--faces DIR]
  hall-server init --db FILE --name TEXT --organizer USER --password-file FILE
                   [--organizer-name TEXT] [--term TEXT] [--venue TEXT] [--starts DATE] [--ends DATE] [--quorum 2/3]
  hall-server import-roster --db FILE ROSTER.csv
  hall-server add-staff --db FILE --role chair|secretary|organizer --username USER --password-file FILE [--name TEXT]
  hall-server add-device --db FILE --role kiosk|display --name NAME
  hall-server issue-credentials --db FILE --out FILE.csv [--all]
  hall-server verify-log FILE

Set-up commands change the database directly: run them while no server uses it.
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> flags;

  std::string get(const std::string& name, const std::string& fallback = {}) const {
    auto it = options.find(name);
    return it == options.end() || it->second.empty() ? fallback : it->second.back();
  }
  std::string require(const std::string& name) const {
    std::string value = get(name);
    if (value.empty()) throw std::invalid_argument("missing --" + name);
    return value;
  }
  bool flag(const std::string& name) const {
    return std::find(flags.begin(), flags.end(), name) != flags.end();
  }
};

const std::vector<std::string> kFlags = {"all", "help", "no-face", "keep-failed-attempts"};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      if (std::find(kFlags.begin(), kFlags.end(), name) != kFlags.end()) {
        args.flags.push_back(name);
      } else if (i + 1 < argc) {
        args.options[name].push_back(argv[++i]);
      } else {
        throw std::invalid_argument("--" + name + " needs a value");
      }
    } else {
      args.positional.push_back(arg);
    }
  }
  return args;
}

std::uint32_t number(const std::string& text, const char* what) {
  try {
    std::size_t used = 0;
    unsigned long value = std::stoul(text, &used);
    if (used != text.size() || value > 0xFFFFFFFFul) throw std::out_of_range(what);
    return static_cast<std::uint32_t>(value);
  } catch (const std::exception&) {
    throw std::invalid_argument(std::string("not a number for ") + what + ": '" + text + "'");
  }
}

float fraction(const std::string& text, const char* what) {
  try {
    std::size_t used = 0;
    const float value = std::stof(text, &used);
    if (used != text.size() || !(value > 0) || value >= 2) throw std::out_of_range(what);
    return value;
  } catch (const std::exception&) {
    throw std::invalid_argument(std::string("not a distance between 0 and 2 for ") + what + ": '" + text + "'");
  }
}

std::string readSecretFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read " + path);
  std::string secret;
  std::getline(in, secret);
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  return secret;
}

// One process per database: the server holds this lock while it runs, and
// set-up commands refuse to change a database a server is using.
class DatabaseLock {
 public:
  explicit DatabaseLock(const std::string& databasePath) : path_(databasePath + ".lock") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      throw std::runtime_error(databasePath + " is in use by another hall-server process");
    }
  }
  ~DatabaseLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

int runServe(const Args& args) {
  app::ServeOptions options;
  options.databasePath = args.require("db");
  DatabaseLock lock(options.databasePath);
  options.net.address = args.get("address", "127.0.0.1");
  options.net.port = static_cast<std::uint16_t>(number(args.get("port", "8443"), "--port"));
  options.net.tlsCertificateFile = args.get("tls-cert");
  options.net.tlsPrivateKeyFile = args.get("tls-key");
  if (options.net.tlsCertificateFile.empty() != options.net.tlsPrivateKeyFile.empty()) {
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  }
  if (auto it = args.options.find("allow-origin"); it != args.options.end()) options.net.allowedOrigins = it->second;
  if (auto v = args.get("max-message-bytes"); !v.empty()) {
    options.net.limits.maxMessageBytes = number(v, "--max-message-bytes");
    options.hall.maxFrameBytes = options.net.limits.maxMessageBytes;
  }
  if (auto v = args.get("ping-interval-ms"); !v.empty()) {
    options.net.limits.pingInterval = std::chrono::milliseconds(number(v, "--ping-interval-ms"));
  }
  if (auto v = args.get("idle-timeout-ms"); !v.empty()) {
    options.net.limits.idleTimeout = std::chrono::milliseconds(number(v, "--idle-timeout-ms"));
  }
  if (auto v = args.get("session-ttl-hours"); !v.empty()) {
    options.hall.sessionTtlMs = static_cast<std::int64_t>(number(v, "--session-ttl-hours")) * 3600 * 1000;
  }
  if (auto v = args.get("auth-threads"); !v.empty()) options.authThreads = std::max(1u, number(v, "--auth-threads"));
  options.portFile = args.get("port-file");
  // Face ID (docs/FACEID.md).
  options.face.enabled = !args.flag("no-face");
  if (auto v = args.get("face-workers"); !v.empty()) options.face.threads = std::max(1u, number(v, "--face-workers"));
  if (auto v = args.get("models-dir"); !v.empty()) {
    options.face.models.descriptors = v + "/dlib_face_recognition_resnet_model_v1.dat";
  }
  auto& attempt = options.hall.face.attempt;
  if (auto v = args.get("face-threshold"); !v.empty()) attempt.match.threshold = fraction(v, "--face-threshold");
  if (auto v = args.get("face-margin"); !v.empty()) attempt.match.margin = fraction(v, "--face-margin");
  if (auto v = args.get("liveness", "on"); v == "off") {
    attempt.liveness.required = false;
  } else if (v != "on") {
    throw std::invalid_argument("--liveness is on or off, not '" + v + "'");
  }
  // The face of failed attempts too, for the secretariat's review (off: frames are never kept).
  options.hall.face.keepFailedAttempts = args.flag("keep-failed-attempts");
  // Kiosks with an usher who checks every person: no liveness there.
  if (auto it = args.options.find("attended-kiosk"); it != args.options.end()) {
    options.hall.face.attendedKiosks = it->second;
  }
  if (auto v = args.get("face-thumbnail-days"); !v.empty()) {
    options.hall.face.thumbnailRetentionMs = static_cast<std::int64_t>(number(v, "--face-thumbnail-days")) * 24 * 3600 * 1000;
  }
  // Documents (docs/DOCUMENTS.md): the largest file a version may have.
  if (auto v = args.get("max-document-mb"); !v.empty()) {
    options.hall.documents.maxDocumentBytes = std::uint64_t{std::max(1u, number(v, "--max-document-mb"))} * 1024 * 1024;
  }
  return app::serve(options);
}

int run(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 1 : 0;
  }
  const std::string command = argv[1];
  const Args args = parse(argc, argv);
  if (command == "serve") return runServe(args);
  if (command == "verify-log") {
    if (args.positional.size() != 1) throw std::invalid_argument("verify-log takes one database file");
    const auto report = store::verifyLog(args.positional[0]);
    if (report.ok) {
      std::cout << "ok: " << report.eventsChecked << " events, hash chain intact\n";
      return 0;
    }
    std::cout << "BROKEN";
    if (report.firstBrokenSeq) std::cout << " at event " << *report.firstBrokenSeq;
    std::cout << ": " << report.reason << " (" << report.eventsChecked << " events verified before it)\n";
    return 3;
  }
  const std::string db = args.require("db");
  DatabaseLock lock(db);
  if (command == "init-demo") {
    app::DemoOptions options;
    options.databasePath = db;
    options.credentialsPath = args.require("credentials");
    options.delegates = number(args.get("delegates", "500"), "--delegates");
    options.delegations = number(args.get("delegations", "15"), "--delegations");
    options.facesDir = args.get("faces");
    app::initDemo(options);
    std::cout << "demo congress created in " << db << "; credentials in " << options.credentialsPath << "\n";
    return 0;
  }
  if (command == "init") {
    app::InitOptions options;
    options.databasePath = db;
    options.name = args.require("name");
    options.term = args.get("term");
    options.venue = args.get("venue");
    options.startsOn = args.get("starts");
    options.endsOn = args.get("ends");
    const std::string quorum = args.get("quorum", "2/3");
    const auto slash = quorum.find('/');
    if (slash == std::string::npos) throw std::invalid_argument("--quorum must look like 2/3");
    options.quorumNumerator = number(quorum.substr(0, slash), "--quorum");
    options.quorumDenominator = number(quorum.substr(slash + 1), "--quorum");
    options.organizerUsername = args.require("organizer");
    options.organizerName = args.get("organizer-name");
    options.organizerPassword = readSecretFile(args.require("password-file"));
    app::initCongress(options);
    std::cout << "congress created in " << db << "\n";
    return 0;
  }
  if (command == "import-roster") {
    if (args.positional.size() != 1) throw std::invalid_argument("import-roster takes one CSV file");
    return app::importRosterFile(db, args.positional[0]) == 0 ? 0 : 4;
  }
  if (command == "add-staff") {
    app::addStaff(db, args.require("role"), args.require("username"), args.get("name"),
                  readSecretFile(args.require("password-file")));
    std::cout << "staff account " << args.get("username") << " added\n";
    return 0;
  }
  if (command == "add-device") {
    std::cout << app::addDevice(db, args.require("role"), args.require("name")) << "\n";
    return 0;
  }
  if (command == "issue-credentials") {
    const auto count = app::issueCredentials(db, args.require("out"), args.flag("all"));
    std::cout << "issued credentials to " << count << " delegates; printed list in " << args.get("out") << "\n";
    return 0;
  }
  throw std::invalid_argument("unknown command '" + command + "'");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "hall-server: " << e.what() << "\n\n" << kUsage;
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "hall-server: " << e.what() << "\n";
    return 2;
  }
}
