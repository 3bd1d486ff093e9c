// load_common.hpp: pieces shared by the benchmark load clients
// (broadcast_load, vote_load, vote_floor): number parsing, the monotonic
// clock in nanoseconds, percentiles, a server's CPU time and RSS from /proc,
// the client's own CPU time, a minimal JSON writer and the descriptor limit.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace daihoi::bench {

// ------------------------------------------------------------ command line

inline std::uint64_t parseNumber(const std::string& text, const std::string& what) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) throw std::invalid_argument("--" + what + " needs a number, not '" + text + "'");
  return value;
}

// ------------------------------------------------------------ measurements

// The steady clock in nanoseconds: every time the load clients compare comes from it.
inline std::int64_t nowNs() {
  const auto since = std::chrono::steady_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since).count();
}

inline double nsToMs(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Nearest-rank percentile of sorted values.
inline std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

struct CpuTimes {
  double userSeconds = 0;   // utime from /proc/PID/stat (clock ticks)
  double systemSeconds = 0; // stime: the kernel's share, TCP on loopback included
  double statSeconds = 0;   // utime + stime
  double schedSeconds = 0;  // sum of every thread's run time from /proc/PID/task/*/schedstat (ns)
};

inline std::optional<CpuTimes> readProcessCpu(int pid) {
  std::ifstream statFile("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(statFile, stat)) return std::nullopt;
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> tokens;
  for (std::string token; fields >> token;) tokens.push_back(token);
  // After the command come fields 3 (state) ...; utime and stime are fields 14 and 15.
  if (tokens.size() < 13) return std::nullopt;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  CpuTimes times;
  times.userSeconds = std::stod(tokens[11]) / ticks;
  times.systemSeconds = std::stod(tokens[12]) / ticks;
  times.statSeconds = times.userSeconds + times.systemSeconds;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream schedstat(task.path() / "schedstat");
    unsigned long long runNs = 0;
    if (schedstat >> runNs) times.schedSeconds += static_cast<double>(runNs) / 1e9;
  }
  return times;
}

inline std::optional<double> readRssMb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream value(line.substr(6));
      double kb = 0;
      value >> kb;
      return kb / 1024.0;
    }
  }
  return std::nullopt;
}

inline double clientCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Minimal JSON object writer for the RESULT line.
class Json {
 public:
  Json& field(const std::string& name, double value) {
    std::ostringstream text;
    if (std::isfinite(value)) {
      text << std::setprecision(6) << value;
    } else {
      text << "null";
    }
    return raw(name, text.str());
  }
  Json& field(const std::string& name, std::uint64_t value) { return raw(name, std::to_string(value)); }
  Json& field(const std::string& name, bool value) { return raw(name, value ? "true" : "false"); }
  Json& field(const std::string& name, const std::string& value) { return raw(name, quote(value)); }
  Json& field(const std::string& name, const std::optional<double>& value) {
    return value ? field(name, *value) : raw(name, "null");
  }
  Json& object(const std::string& name, const Json& value) { return raw(name, value.str()); }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  static std::string quote(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  }
  Json& raw(const std::string& name, const std::string& value) {
    if (!body_.empty()) body_ += ",";
    body_ += quote(name) + ":" + value;
    return *this;
  }
  std::string body_;
};

// Every terminal is a socket: raise the descriptor limit as far as allowed.
inline bool raiseDescriptorLimit(std::size_t terminals, const char* program) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return true;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  const rlim_t needed = terminals + 64;  // staff connections, stdio, epoll, timers
  std::cout << "open file limit " << limit.rlim_cur << " (hard " << limit.rlim_max << ")" << std::endl;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    std::cerr << program << ": " << terminals << " terminals need about " << needed
              << " file descriptors, but the hard limit is " << limit.rlim_max
              << "; raise it (ulimit -Hn as root) or use fewer terminals\n";
    return false;
  }
  return true;
}

}  // namespace daihoi::bench
