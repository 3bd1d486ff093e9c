#include "cli/commands.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <variant>

#include "cli/arguments.hpp"
#include "cli/output.hpp"
#include "client/hall_client.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;
using client::ClientError;
using client::HallClient;
using client::Outcome;

namespace {

volatile std::sig_atomic_t gStopRequested = 0;

extern "C" void requestStop(int) { gStopRequested = 1; }

class Printer {
 public:
  Printer(bool json, std::ostream& out, std::ostream& err) : json_(json), out_(out), err_(err) {}

  int fail(const CliError& error) {
    if (json_) {
      out_ << errorJson(error) << "\n" << std::flush;
    } else {
      err_ << errorText(error) << std::flush;
    }
    return error.exitCode;
  }

  // `text` for people, `json` for --json.
  int print(const std::string& text, const std::string& json) {
    if (json_) {
      out_ << json << "\n" << std::flush;
    } else {
      out_ << text << std::flush;
    }
    return kExitOk;
  }

  bool json() const { return json_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

 private:
  bool json_;
  std::ostream& out_;
  std::ostream& err_;
};

CliError withTlsHint(CliError error) {
  if (error.exitCode == kExitConnection && error.message.find("certificate verify failed") != std::string::npos) {
    error.message += " (tin cậy chứng chỉ của máy chủ bằng --ca FILE, hoặc --insecure cho bản demo)";
  }
  return error;
}

// Ctrl-C ends `watch` cleanly (sign out, close) instead of killing the process; the
// previous handlers come back afterwards.
class StopSignals {
 public:
  StopSignals() {
    gStopRequested = 0;
    struct sigaction action {};
    action.sa_handler = requestStop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previousInterrupt_);
    sigaction(SIGTERM, &action, &previousTerminate_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &previousInterrupt_, nullptr);
    sigaction(SIGTERM, &previousTerminate_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction previousInterrupt_ {};
  struct sigaction previousTerminate_ {};
};

// Sends one request and checks that the reply is of the expected kind.
Outcome<v1::Response> callExpecting(HallClient& client, v1::ClientMessage message, v1::Response::ResultCase expected) {
  auto response = client.call(std::move(message));
  if (response && response->result_case() != expected) {
    return client::protocolError("the server answered with an unexpected reply type");
  }
  return response;
}

int runCongress(HallClient& client, Printer& printer) {
  v1::ClientMessage message;
  message.mutable_get_congress();
  auto response = callExpecting(client, std::move(message), v1::Response::kCongress);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(congressText(response->congress()), congressJson(response->congress()));
}

int runRoster(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_get_roster();
  auto response = callExpecting(client, std::move(message), v1::Response::kRoster);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  std::optional<std::uint32_t> only;
  if (options.delegation) {
    auto found = findDelegationId(response->roster(), *options.delegation);
    if (auto* error = std::get_if<CliError>(&found)) {
      return printer.fail(*error);
    }
    only = std::get<std::uint32_t>(found);
  }
  return printer.print(rosterText(response->roster(), only), rosterJson(response->roster(), only));
}

int runAttendance(HallClient& client, Printer& printer) {
  v1::ClientMessage message;
  message.mutable_get_attendance();
  auto response = callExpecting(client, std::move(message), v1::Response::kAttendance);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  const client::StateMirror names = client.mirror();
  return printer.print(attendanceText(response->attendance(), names), attendanceJson(response->attendance(), names));
}

int runAttendanceChange(HallClient& client, Printer& printer, const CliOptions& options, bool present) {
  const std::string& code = options.arguments.at(0);
  v1::ClientMessage message;
  if (present) {
    message.mutable_check_in()->set_delegate_code(code);
    message.mutable_check_in()->set_reason(*options.reason);
  } else {
    message.mutable_check_out()->set_delegate_code(code);
    message.mutable_check_out()->set_reason(*options.reason);
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kAttendanceChange);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(attendanceChangeText(code, present, response->attendance_change()),
                       attendanceChangeJson(code, present, response->attendance_change()));
}

int runImportRoster(HallClient& client, Printer& printer, const std::string& csv) {
  v1::ClientMessage message;
  message.mutable_import_roster()->set_csv(csv);
  auto response = callExpecting(client, std::move(message), v1::Response::kImportRoster);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(importRosterText(response->import_roster()), importRosterJson(response->import_roster()));
}

// What the client's callbacks hand to the main thread, in order.
struct SnapshotNotice {
  std::uint64_t seq = 0;
};
using WatchItem = std::variant<v1::Event, client::ConnectionStatus, SnapshotNotice>;

class WatchQueue {
 public:
  void push(WatchItem item) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }
  std::optional<WatchItem> pop(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, wait, [&] { return !items_.empty(); })) {
      return std::nullopt;
    }
    WatchItem item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<WatchItem> items_;
};

int runWatch(HallClient& client, Printer& printer, const CliOptions& options, WatchQueue& queue) {
  using Clock = std::chrono::steady_clock;
  const std::optional<Clock::time_point> deadline =
      options.duration ? std::optional(Clock::now() + *options.duration) : std::nullopt;
  std::uint64_t printed = 0;
  while (true) {
    if (gStopRequested != 0) {
      return kExitOk;
    }
    if (options.count && printed >= *options.count) {
      return kExitOk;
    }
    auto wait = std::chrono::milliseconds{100};
    if (deadline) {
      const auto now = Clock::now();
      if (now >= *deadline) {
        return kExitOk;
      }
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now) +
                                std::chrono::milliseconds{1});
    }
    auto item = queue.pop(wait);
    if (!item) {
      continue;
    }
    if (auto* event = std::get_if<v1::Event>(&*item)) {
      const client::StateMirror names = client.mirror();
      printer.print(eventText(*event, names), eventJson(*event, names));
      ++printed;
    } else if (auto* notice = std::get_if<SnapshotNotice>(&*item)) {
      printer.err() << "daihoi: đã nhận lại toàn bộ trạng thái (seq " << notice->seq
                    << "); các sự kiện bị lỡ không được liệt kê\n"
                    << std::flush;
    } else {
      const auto& status = std::get<client::ConnectionStatus>(*item);
      if (status.state == client::ConnectionState::Reconnecting) {
        printer.err() << (status.attempt <= 1 ? "daihoi: mất kết nối (" : "daihoi: chưa kết nối lại được (")
                      << status.detail << "); thử lại sau " << status.retryIn.count() << " ms (lần " << status.attempt
                      << ")\n"
                      << std::flush;
      } else if (status.state == client::ConnectionState::SignedIn && status.resumed) {
        printer.err() << "daihoi: đã kết nối lại: " << status.detail << "\n" << std::flush;
      } else if (status.state == client::ConnectionState::Failed) {
        const ClientError error = status.error.value_or(client::connectionError(status.detail));
        return printer.fail(fromClientError(error, Phase::SignIn));
      } else if (status.state == client::ConnectionState::Disconnected) {
        return printer.fail(fromClientError(client::connectionError(status.detail), Phase::Request));
      }
    }
  }
}

std::variant<std::string, CliError> readCsvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return usageError("cannot read the CSV file " + path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

int runCli(const std::vector<std::string>& args, const std::optional<std::string>& environmentUrl, std::ostream& out,
           std::ostream& err) {
  auto parsed = parseArguments(args, environmentUrl);
  if (auto* error = std::get_if<CliError>(&parsed)) {
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    Printer printer(json, out, err);
    const int code = printer.fail(*error);
    if (!json) {
      err << "Xem: daihoi --help\n";
    }
    return code;
  }
  const CliOptions& options = std::get<CliOptions>(parsed);
  Printer printer(options.json, out, err);
  if (options.help) {
    out << usageText();
    return kExitOk;
  }
  auto credential = resolveCredential(options);
  if (auto* error = std::get_if<CliError>(&credential)) {
    return printer.fail(*error);
  }
  if (!options.caFile.empty() && !std::ifstream(options.caFile)) {
    return printer.fail(usageError("cannot read the CA certificate file " + options.caFile));
  }
  std::string csv;
  if (options.command == "import-roster") {
    auto content = readCsvFile(options.arguments.at(0));
    if (auto* error = std::get_if<CliError>(&content)) {
      return printer.fail(*error);
    }
    csv = std::move(std::get<std::string>(content));
  }

  client::ClientOptions clientOptions;
  clientOptions.url = options.url;
  clientOptions.clientName = "daihoi-cli 0.1";
  clientOptions.requestTimeout = options.timeout;
  clientOptions.connectTimeout = options.timeout;
  clientOptions.caFile = options.caFile;
  clientOptions.insecureSkipVerify = options.insecure;
  // Only `watch` lives long enough to be worth resuming; one-shot commands report the failure.
  clientOptions.autoReconnect = options.command == "watch";
  HallClient client(clientOptions);

  WatchQueue watchQueue;
  std::atomic<bool> watching{false};
  if (options.command == "watch") {
    client.onEvent([&](const v1::Event& event) { watchQueue.push(event); });
    client.onSnapshot([&](const v1::Snapshot& snapshot) {
      if (watching) {
        watchQueue.push(SnapshotNotice{snapshot.seq()});
      }
    });
    client.onConnectionState([&](const client::ConnectionStatus& status) {
      if (watching) {
        watchQueue.push(status);
      }
    });
  }

  auto hello = client.connect();
  if (!hello) {
    return printer.fail(withTlsHint(fromClientError(hello.error(), Phase::Connect)));
  }
  auto signedIn = client.signIn(std::get<client::Credential>(credential));
  if (!signedIn) {
    return printer.fail(fromClientError(signedIn.error(), Phase::SignIn));
  }

  int code = kExitOk;
  const std::string& command = options.command;
  if (command == "whoami") {
    code = printer.print(whoamiText(signedIn.value()), whoamiJson(signedIn.value()));
  } else if (command == "congress") {
    code = runCongress(client, printer);
  } else if (command == "roster") {
    code = runRoster(client, printer, options);
  } else if (command == "attendance") {
    code = runAttendance(client, printer);
  } else if (command == "check-in") {
    code = runAttendanceChange(client, printer, options, true);
  } else if (command == "check-out") {
    code = runAttendanceChange(client, printer, options, false);
  } else if (command == "import-roster") {
    code = runImportRoster(client, printer, csv);
  } else if (command == "watch") {
    StopSignals stopSignals;
    watching = true;
    code = runWatch(client, printer, options, watchQueue);
  }

  // Close the session on the server rather than leaving it to expire.
  if (client.state() == client::ConnectionState::SignedIn) {
    client.signOut();
  }
  client.close();
  return code;
}

int runCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> environmentUrl;
  if (const char* url = std::getenv("DAIHOI_URL")) {
    environmentUrl = url;
  }
  try {
    return runCli(args, environmentUrl, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "daihoi: internal error: " << e.what() << "\n";
    return kExitRefused;
  }
}

}  // namespace daihoi::cli
