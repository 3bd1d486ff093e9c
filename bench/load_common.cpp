#include "load_common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace daihoi::bench {

// ------------------------------------------------------------ command line

std::uint64_t parseNumber(const std::string& text, const std::string& what) {
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

void parseArguments(int argc, char** argv, const char* usage, const std::vector<std::string>& flags,
                    const OptionHandler& handle) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    const bool flag = arg.rfind("--", 0) == 0 && std::find(flags.begin(), flags.end(), arg.substr(2)) != flags.end();
    if (flag) {
      handle(arg.substr(2), "");
      continue;
    }
    if (arg.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + arg + "'");
    if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
    const std::string name = arg.substr(2);
    const std::string value = argv[++i];
    if (!handle(name, value)) throw std::invalid_argument("unknown option " + arg);
  }
}

bool ServerTarget::parse(const std::string& name, const std::string& value) {
  if (name == "host") {
    host = value;
  } else if (name == "port") {
    port = static_cast<std::uint16_t>(std::min<std::uint64_t>(parseNumber(value, name), 65535));
  } else if (name == "port-file") {
    portFile = value;
  } else if (name == "server-pid") {
    pid = static_cast<int>(parseNumber(value, name));
  } else {
    return false;
  }
  return true;
}

void ServerTarget::resolvePort() {
  if (!portFile.empty()) {
    std::ifstream in(portFile);
    std::string text;
    if (!(in >> text)) throw std::invalid_argument("cannot read a port from " + portFile);
    port = static_cast<std::uint16_t>(parseNumber(text, "port-file"));
  }
  if (port == 0) throw std::invalid_argument("--port or --port-file is required");
}

std::vector<std::vector<std::string>> readCredentialRows(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read credentials file " + path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::vector<std::string> parsePatterns(const std::string& value) {
  std::vector<std::string> patterns;
  std::istringstream words(value);
  for (std::string word; words >> word;) {
    if (word != "spread" && word != "burst") throw std::invalid_argument("--patterns takes spread and burst");
    patterns.push_back(word);
  }
  return patterns;
}

// ------------------------------------------------------------ measurements

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

CpuTimes operator-(const CpuTimes& after, const CpuTimes& before) {
  CpuTimes spent;
  spent.userSeconds = after.userSeconds - before.userSeconds;
  spent.systemSeconds = after.systemSeconds - before.systemSeconds;
  spent.statSeconds = after.statSeconds - before.statSeconds;
  spent.schedSeconds = after.schedSeconds - before.schedSeconds;
  return spent;
}

std::optional<CpuTimes> readProcessCpu(int pid) {
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

std::optional<double> readRssMb(int pid) {
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

double clientCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// ------------------------------------------------------------ output

std::string metricText(double value) {
  if (!std::isfinite(value)) return "-";
  std::ostringstream text;
  text << std::setprecision(6) << value;
  return text.str();
}

std::string metricText(const std::optional<double>& value) { return value ? metricText(*value) : "-"; }

Json& Json::field(const std::string& name, double value) {
  std::ostringstream text;
  if (std::isfinite(value)) {
    text << std::setprecision(6) << value;
  } else {
    text << "null";
  }
  return raw(name, text.str());
}

std::string Json::quote(const std::string& text) {
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

Json& Json::raw(const std::string& name, const std::string& value) {
  if (!body_.empty()) body_ += ",";
  body_ += quote(name) + ":" + value;
  return *this;
}

void ErrorTally::note(const std::string& what) {
  if (++counts_[what] == 1) std::cerr << program_ << ": " << what << "\n";
}

void ErrorTally::print(std::ostream& out, const std::string& fatal) const {
  if (!fatal.empty()) out << "FAILED: " << fatal << "\n";
  for (const auto& [what, count] : counts_) out << "error x" << count << ": " << what << "\n";
}

// ------------------------------------------------------------ the process

bool raiseDescriptorLimit(std::size_t terminals, const char* program) {
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
