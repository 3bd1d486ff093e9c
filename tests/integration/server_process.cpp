#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace daihoi::testing {

std::string hallServerPath() { return DAIHOI_HALL_SERVER; }
std::string cliPath() { return DAIHOI_CLI; }

CommandResult runCli(const ServerProcess& server, std::vector<std::string> args) {
  std::vector<std::string> argv = {cliPath(), "--url", server.url(), "--credentials", server.credentialsPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& outputFile, int stdinFd = -1,
            unsigned openFileLimit = 0) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (openFileLimit > 0) {
      const rlimit limit{openFileLimit, openFileLimit};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(126);
    }
    const int out = ::open(outputFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(out, 1);
    ::dup2(out, 2);
    if (stdinFd >= 0) ::dup2(stdinFd, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

CommandResult runCommand(const std::vector<std::string>& argv, const std::string& stdinText) {
  std::random_device random;
  const std::string outFile = (std::filesystem::temp_directory_path() / ("daihoi-cmd-" + std::to_string(random()))).string();
  int pipeFds[2] = {-1, -1};
  if (::pipe(pipeFds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = spawn(argv, outFile, pipeFds[0]);
  ::close(pipeFds[0]);
  if (!stdinText.empty()) {
    [[maybe_unused]] auto written = ::write(pipeFds[1], stdinText.data(), stdinText.size());
  }
  ::close(pipeFds[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult result;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = readFile(outFile);
  std::filesystem::remove(outFile);
  return result;
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  std::random_device random;
  dir_ = std::filesystem::temp_directory_path() / ("daihoi-it-" + std::to_string(random()));
  std::filesystem::create_directories(dir_);
  db_ = (dir_ / "hall.db").string();
  credentials_ = (dir_ / "credentials.txt").string();
  portFile_ = (dir_ / "port").string();
  logFile_ = (dir_ / "server.log").string();
  std::vector<std::string> initArgs = {hallServerPath(), "init-demo", "--db", db_, "--credentials", credentials_,
                                       "--delegates", std::to_string(options_.delegates)};
  if (!options_.demoFaces.empty()) initArgs.insert(initArgs.end(), {"--faces", options_.demoFaces});
  auto init = runCommand(initArgs);
  if (init.exitCode != 0) throw std::runtime_error("init-demo failed: " + init.output);
  std::istringstream lines(readFile(credentials_));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, '\t');) fields.push_back(field);
    if (fields.size() >= 2 && fields[1] == "delegate") codes_.push_back(fields[0]);
    accounts_[fields[0]] = std::vector<std::string>(fields.begin() + 1, fields.end());
  }
  if (options_.tls) {
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    auto made = runCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                            "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key_,
                            "-out", cert_});
    if (made.exitCode != 0) throw std::runtime_error("openssl failed: " + made.output);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGKILL);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void ServerProcess::start() {
  std::filesystem::remove(portFile_);
  // A restarted server listens where its terminals expect it, so they resume by themselves.
  std::vector<std::string> argv = {hallServerPath(), "serve", "--db", db_, "--port", std::to_string(port_),
                                   "--port-file", portFile_};
  if (options_.tls) {
    argv.insert(argv.end(), {"--tls-cert", cert_, "--tls-key", key_});
  }
  if (!options_.face) argv.push_back("--no-face");
  argv.insert(argv.end(), options_.extraArgs.begin(), options_.extraArgs.end());
  pid_ = spawn(argv, logFile_, -1, options_.openFileLimit);
  // Generous: under the sanitizers, with other tests on both cores, a start takes seconds.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool listening = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!listening) {
      std::string text = readFile(portFile_);
      if (!text.empty() && text.back() == '\n') {
        port_ = static_cast<std::uint16_t>(std::stoi(text));
        if (!options_.face) return;
        listening = true;
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
      }
    } else if (log().find("\nface ID") != std::string::npos) {
      return;  // loaded ("face ID: …") or off ("face ID is OFF: …")
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("hall-server exited at start: " + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error(std::string(listening ? "hall-server did not load its face models: "
                                                 : "hall-server did not report its port: ") + log());
}

int ServerProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (::waitpid(pid_, &status, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() > deadline) {
      // It did not stop: a failed shutdown, reported as such.
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return -2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  return status;
}

std::string ServerProcess::url() const {
  return std::string(options_.tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port_) + "/ws";
}

std::string ServerProcess::httpUrl() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string ServerProcess::log() const { return readFile(logFile_); }

std::vector<std::string> ServerProcess::credential(const std::string& name) const {
  auto it = accounts_.find(name);
  if (it == accounts_.end()) throw std::runtime_error("no credential named " + name);
  return it->second;
}

std::vector<std::string> ServerProcess::delegateCodes() const { return codes_; }

}  // namespace daihoi::testing
