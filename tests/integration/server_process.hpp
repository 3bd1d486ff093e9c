#pragma once
// The real hall-server binary on an ephemeral port with a temporary database,
// started and stopped (or killed) by a test.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace daihoi::testing {

struct ServerOptions {
  std::uint32_t delegates = 40;
  bool tls = false;
  std::vector<std::string> extraArgs;  // e.g. {"--max-message-bytes", "65536"}
  // Face work (two workers and their models) only for the tests that use it:
  // start() then waits until the models are loaded. Otherwise --no-face.
  bool face = false;
  // When set, the server runs with this soft and hard limit of open files (ulimit -n).
  unsigned openFileLimit = 0;
  // When set, init-demo --faces DIR: the demo congress's QT-… delegates with these photos enrolled.
  std::string demoFaces;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();  // SIGKILL if still running, then removes the directory
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts on an ephemeral port, or again on the same port after stop().
  void start();
  // Sends `signal` and waits for the exit; returns the exit status (waitpid's).
  int stop(int signal = 15);
  void kill9() { stop(9); }
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  std::uint16_t port() const { return port_; }
  std::string url() const;       // ws(s)://127.0.0.1:PORT/ws
  std::string httpUrl() const;   // http(s)://127.0.0.1:PORT
  const std::string& dbPath() const { return db_; }
  const std::string& credentialsPath() const { return credentials_; }
  const std::string& certificatePath() const { return cert_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string log() const;  // the server's stdout and stderr so far

  // The credentials file's fields after the name: {"staff","chair1","pw"}.
  std::vector<std::string> credential(const std::string& name) const;
  std::string staffPassword(const std::string& username) const { return credential(username).at(2); }
  std::string deviceToken(const std::string& name) const { return credential(name).at(1); }
  std::string delegatePin(const std::string& code) const { return credential(code).at(2); }
  std::string badgeToken(const std::string& code) const { return credential(code).at(3); }
  std::vector<std::string> delegateCodes() const;

 private:
  ServerOptions options_;
  std::filesystem::path dir_;
  std::string db_, credentials_, cert_, key_, portFile_, logFile_;
  std::map<std::string, std::vector<std::string>> accounts_;
  std::vector<std::string> codes_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// Runs a program and returns {exit code, stdout+stderr}.
struct CommandResult {
  int exitCode = -1;
  std::string output;
};
CommandResult runCommand(const std::vector<std::string>& argv, const std::string& stdinText = {});

std::string hallServerPath();
std::string cliPath();

class ServerProcess;
// The real `daihoi` CLI with this server's URL and credentials file, then `args`
// (e.g. {"--as", "chair1", "whoami"}).
CommandResult runCli(const ServerProcess& server, std::vector<std::string> args);

}  // namespace daihoi::testing
