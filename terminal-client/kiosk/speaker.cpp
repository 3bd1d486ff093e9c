#include "kiosk/speaker.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace daihoi::kiosk {

std::optional<std::string> findProgram(std::string_view name, std::string_view path) {
  if (name.empty()) {
    return std::nullopt;
  }
  if (name.find('/') != std::string_view::npos) {
    const std::string candidate(name);
    return ::access(candidate.c_str(), X_OK) == 0 ? std::optional<std::string>(candidate) : std::nullopt;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t colon = path.find(':', start);
    if (colon == std::string_view::npos) {
      colon = path.size();
    }
    std::string dir(path.substr(start, colon - start));
    if (dir.empty()) {
      dir = ".";
    }
    const std::string candidate = dir + "/" + std::string(name);
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = colon + 1;
  }
  return std::nullopt;
}

Speaker::Speaker(std::string program, std::vector<std::string> arguments)
    : program_(std::move(program)), arguments_(std::move(arguments)) {}

Speaker::~Speaker() {
  pending_.reset();
  if (!waitIdle(2000) && child_ > 0) {
    ::kill(child_, SIGTERM);
    ::waitpid(child_, nullptr, 0);
    child_ = -1;
  }
}

void Speaker::start(const std::string& text) {
  // Everything the child needs is prepared before fork: after it, in a threaded program,
  // only async-signal-safe calls (open, dup2, execv, _exit).
  std::vector<std::string> argv;
  argv.push_back(program_);
  argv.insert(argv.end(), arguments_.begin(), arguments_.end());
  argv.push_back(text);
  std::vector<char*> pointers;
  for (auto& arg : argv) {
    pointers.push_back(arg.data());
  }
  pointers.push_back(nullptr);
  const char* program = program_.c_str();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ++failures_;
    return;
  }
  if (pid == 0) {
    const int devNull = ::open("/dev/null", O_RDWR);
    if (devNull >= 0) {
      ::dup2(devNull, 0);
      ::dup2(devNull, 1);
      ::dup2(devNull, 2);
    }
    ::execv(program, pointers.data());
    ::_exit(127);
  }
  child_ = pid;
  ++started_;
}

void Speaker::say(std::string text) {
  poll();
  if (child_ > 0) {
    pending_ = std::move(text);
    return;
  }
  start(text);
}

void Speaker::poll() {
  if (child_ > 0) {
    int status = 0;
    const pid_t done = ::waitpid(child_, &status, WNOHANG);
    if (done == child_ || (done < 0 && errno != EINTR)) {
      child_ = -1;
    }
  }
  if (child_ <= 0 && pending_) {
    std::string text = std::move(*pending_);
    pending_.reset();
    start(text);
  }
}

bool Speaker::waitIdle(int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (true) {
    poll();
    if (child_ <= 0 && !pending_) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace daihoi::kiosk
