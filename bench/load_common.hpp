// load_common.hpp: pieces shared by the benchmark programs (broadcast_load,
// vote_load, vote_floor) that need no network: the command line, the
// monotonic clock in nanoseconds, percentiles and the figures printed from
// them, a server's CPU time and RSS from /proc, the client's own CPU time, a
// minimal JSON writer, the descriptor limit and the frame of main().
// The WebSocket plumbing of the two load clients is in ws_client.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace daihoi::bench {

// ------------------------------------------------------------ command line

std::uint64_t parseNumber(const std::string& text, const std::string& what);

// Handles one `--name value` (value "" for a flag); false when the name is unknown.
using OptionHandler = std::function<bool(const std::string& name, const std::string& value)>;

// Walks the `--name value` pairs of argv: --help/-h prints `usage` and exits 0,
// the names in `flags` take no value, and every program rejects stray words,
// missing values and unknown names with the same messages.
void parseArguments(int argc, char** argv, const char* usage, const std::vector<std::string>& flags,
                    const OptionHandler& handle);

// Where a load client finds the server, and which process /proc is read for.
struct ServerTarget {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string portFile;
  std::optional<int> pid;

  // Takes --host, --port, --port-file and --server-pid; false for any other name.
  bool parse(const std::string& name, const std::string& value);
  // Reads the port from --port-file when given; throws when there is no port at all.
  void resolvePort();
};

// The rows of a credentials file written by `hall-server init-demo`:
// tab-separated fields (name, kind, login, secrets...), '#' comments skipped.
std::vector<std::vector<std::string>> readCredentialRows(const std::string& path);

// --patterns of the vote benchmarks: "spread burst", or one of them.
std::vector<std::string> parsePatterns(const std::string& value);

// ------------------------------------------------------------ measurements

// The steady clock in nanoseconds: every time the benchmarks compare comes from it.
inline std::int64_t nowNs() {
  const auto since = std::chrono::steady_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since).count();
}

inline double nsToMs(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p);

// The same of sorted nanosecond values, in milliseconds.
inline double percentileMs(const std::vector<std::int64_t>& sorted, double p) { return nsToMs(percentile(sorted, p)); }

// The largest of sorted nanosecond values in milliseconds; 0 when there are none.
inline double maxMs(const std::vector<std::int64_t>& sorted) { return sorted.empty() ? 0.0 : nsToMs(sorted.back()); }

struct CpuTimes {
  double userSeconds = 0;   // utime from /proc/PID/stat (clock ticks)
  double systemSeconds = 0; // stime: the kernel's share, TCP on loopback included
  double statSeconds = 0;   // utime + stime
  double schedSeconds = 0;  // sum of every thread's run time from /proc/PID/task/*/schedstat (ns)
};

// What was spent between two readings.
CpuTimes operator-(const CpuTimes& after, const CpuTimes& before);

std::optional<CpuTimes> readProcessCpu(int pid);
std::optional<double> readRssMb(int pid);

// The same for a server pid that may not have been given (then nothing is read).
inline std::optional<CpuTimes> readProcessCpu(const std::optional<int>& pid) {
  return pid ? readProcessCpu(*pid) : std::nullopt;
}
inline std::optional<double> readRssMb(const std::optional<int>& pid) { return pid ? readRssMb(*pid) : std::nullopt; }

double clientCpuSeconds();

// ------------------------------------------------------------ output

// A figure for the `METRICS key=value` lines the run scripts read: "-" when not measured.
std::string metricText(double value);
std::string metricText(const std::optional<double>& value);

// Minimal JSON object writer for the RESULT line.
class Json {
 public:
  Json& field(const std::string& name, double value);
  Json& field(const std::string& name, std::uint64_t value) { return raw(name, std::to_string(value)); }
  Json& field(const std::string& name, bool value) { return raw(name, value ? "true" : "false"); }
  Json& field(const std::string& name, const std::string& value) { return raw(name, quote(value)); }
  Json& field(const std::string& name, const std::optional<double>& value) {
    return value ? field(name, *value) : raw(name, "null");
  }
  Json& object(const std::string& name, const Json& value) { return raw(name, value.str()); }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  static std::string quote(const std::string& text);
  Json& raw(const std::string& name, const std::string& value);
  std::string body_;
};

// Errors counted by their text: the first of each goes to stderr at once,
// the counts into the report.
class ErrorTally {
 public:
  explicit ErrorTally(std::string program) : program_(std::move(program)) {}
  void note(const std::string& what);
  // The end of a report: "FAILED: <fatal>" when the run broke off, then every error with its count.
  void print(std::ostream& out, const std::string& fatal) const;

 private:
  std::string program_;
  std::map<std::string, std::uint64_t> counts_;
};

// ------------------------------------------------------------ the process

// Every terminal is a socket: raise the descriptor limit as far as allowed.
bool raiseDescriptorLimit(std::size_t terminals, const char* program);

// The frame of each benchmark's main(): when `parse()` throws, the error and
// the usage (exit 2); when `run(options)` throws, the error (exit 2);
// otherwise run's status.
template <class Parse, class Run>
int runMain(const char* program, const char* usage, Parse parse, Run run) {
  std::invoke_result_t<Parse> options;
  try {
    options = parse();
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n\n" << usage;
    return 2;
  }
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  }
}

}  // namespace daihoi::bench
