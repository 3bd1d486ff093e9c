// daihoi-kiosk: the Face ID check-in kiosk. Signs in to the hall with its device token, sends
// camera (or video / folder) frames as FaceFrame requests, at most two in flight, shows what the
// hall answers (a window, or one line per status change), and prints a summary at the end.
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>

#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "client/hall_client.hpp"
#include "kiosk/display.hpp"
#include "kiosk/kiosk_loop.hpp"
#include "kiosk/kiosk_options.hpp"
#include "kiosk/speaker.hpp"
#include "kiosk/statistics.hpp"

namespace {

namespace v1 = daihoi::v1;
namespace cli = daihoi::cli;
namespace client = daihoi::client;
using namespace daihoi::kiosk;

std::atomic<int> gStop{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler stores into gStop");

extern "C" void onStopSignal(int) { gStop.store(kStopInterrupted); }

std::mutex gErrMutex;
void say(const std::string& line) {
  std::lock_guard lock(gErrMutex);
  std::cerr << "daihoi-kiosk: " << line << "\n" << std::flush;
}

int fail(const cli::CliError& error, bool json) {
  if (json) {
    std::cout << cli::errorJson(error) << "\n" << std::flush;
  } else {
    std::lock_guard lock(gErrMutex);
    std::cerr << "daihoi-kiosk: " << error.message << "\n" << std::flush;
  }
  return error.exitCode;
}

// stdout lines, the window and the speech.
class KioskScreen final : public KioskObserver {
 public:
  KioskScreen(bool json, std::unique_ptr<KioskWindow> window, std::unique_ptr<Speaker> speaker)
      : json_(json), window_(std::move(window)), speaker_(std::move(speaker)) {}

  void frameCaptured(const cv::Mat& scaled, std::uint64_t) override {
    if (window_) {
      lastFrame_ = scaled;
      redraw();
    }
  }

  void replied(const StatusReport& report) override {
    if (window_) {
      model_ = displayModel(&report.reply);
      redraw();
    }
  }

  void statusChanged(const StatusReport& report) override {
    std::cout << (json_ ? statusLineJson(report) + "\n" : statusLineText(report)) << std::flush;
    const auto status = report.reply.status();
    if (speaker_ && namesDelegate(report.reply) &&
        (status == v1::FACE_STATUS_CHECKED_IN || status == v1::FACE_STATUS_CHECKED_OUT)) {
      speaker_->say(spokenGreeting(report.reply));
    }
  }

  void notice(const std::string& text) override { say(text); }
  bool interactive() const override { return window_ != nullptr; }
  WindowKey poll(std::chrono::milliseconds wait) override {
    return window_ ? window_->poll(static_cast<int>(wait.count())) : WindowKey::None;
  }
  void idle() override {
    if (speaker_) {
      speaker_->poll();
    }
  }

  void finish() {
    if (speaker_) {
      speaker_->waitIdle(3000);
    }
    window_.reset();
  }

 private:
  void redraw() {
    if (!lastFrame_.empty()) {
      window_->show(renderView(lastFrame_, model_));
    }
  }

  bool json_;
  std::unique_ptr<KioskWindow> window_;
  std::unique_ptr<Speaker> speaker_;
  cv::Mat lastFrame_;
  DisplayModel model_ = displayModel(nullptr);
};

std::unique_ptr<FrameSource> openSource(const KioskOptions& options) {
  switch (options.source) {
    case SourceKind::Camera:
      return std::make_unique<CameraSource>(options.camera);
    case SourceKind::Video:
      return std::make_unique<VideoFileSource>(options.video, options.fps);
    case SourceKind::Folder:
      return std::make_unique<FolderSource>(options.folder, options.repeat, options.fps);
    case SourceKind::None:
      break;
  }
  throw std::runtime_error("no frame source");
}

bool displayAvailable() {
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY"}) {
    if (const char* value = std::getenv(name); value && *value) {
      return true;
    }
  }
  return false;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, std::string> environment;
  for (const char* name : {"DAIHOI_URL", "DAIHOI_DEVICE_TOKEN"}) {
    if (const char* value = std::getenv(name)) {
      environment[name] = value;
    }
  }
  const bool jsonRequested = std::find(args.begin(), args.end(), "--json") != args.end();
  auto parsed = parseKioskArguments(args, environment);
  if (auto* error = std::get_if<cli::CliError>(&parsed)) {
    const int code = fail(*error, jsonRequested);
    if (!jsonRequested) {
      std::cerr << "See: daihoi-kiosk --help\n";
    }
    return code;
  }
  const KioskOptions& options = std::get<KioskOptions>(parsed);
  if (options.help) {
    std::cout << kioskUsage();
    return cli::kExitOk;
  }
  auto credential = resolveDeviceCredential(options, environment);
  if (auto* error = std::get_if<cli::CliError>(&credential)) {
    return fail(*error, options.json);
  }
  if (!options.caFile.empty() && !std::ifstream(options.caFile)) {
    return fail(cli::usageError("cannot read the CA certificate file " + options.caFile), options.json);
  }

  // The source first: a missing camera or file is reported before any network work.
  std::unique_ptr<FrameSource> source;
  try {
    source = openSource(options);
  } catch (const std::exception& e) {
    return fail(cli::CliError{kExitSource, "ERROR_SOURCE", e.what(), {}, 0}, options.json);
  }

  std::unique_ptr<KioskWindow> window;
  if (!options.headless && displayAvailable()) {
    try {
      window = std::make_unique<KioskWindow>("Daihoi kiosk");
    } catch (const cv::Exception& e) {
      say(std::string("no window (") + e.what() + "): running headless");
    }
  }
  std::unique_ptr<Speaker> speaker;
  if (options.speak) {
    const char* path = std::getenv("PATH");
    if (auto program = findProgram("espeak-ng", path ? path : "/usr/local/bin:/usr/bin:/bin")) {
      speaker = std::make_unique<Speaker>(*program, std::vector<std::string>{"-v", "vi"});
    } else {
      say("speech is off: espeak-ng is not installed (apt install espeak-ng)");
    }
  }

  client::ClientOptions clientOptions;
  clientOptions.url = options.server;
  clientOptions.clientName = "daihoi-kiosk 0.1";
  clientOptions.connectTimeout = options.timeout;
  clientOptions.requestTimeout = options.timeout;
  clientOptions.caFile = options.caFile;
  clientOptions.insecureSkipVerify = options.insecure;
  clientOptions.autoReconnect = true;
  // A hall has a handful of kiosks, and a queue in front of each: try again at least every 2 s
  // (the library's default grows to 10 s, for hundreds of seat terminals).
  clientOptions.backoff.maxDelay = std::chrono::milliseconds(2000);
  client::HallClient hall(clientOptions);
  std::atomic<bool> signedIn{false};
  hall.onConnectionState([&](const client::ConnectionStatus& status) {
    if (!signedIn) {
      return;
    }
    switch (status.state) {
      case client::ConnectionState::Reconnecting:
        if (status.attempt <= 1 || status.attempt % 10 == 0) {
          say("connection lost (" + status.detail + "), reconnecting: attempt " + std::to_string(status.attempt));
        }
        break;
      case client::ConnectionState::SignedIn:
        say(status.resumed ? "reconnected: session resumed" : "reconnected: signed in again");
        break;
      case client::ConnectionState::Failed:
        say("gave up reconnecting: " + (status.error ? status.error->message : status.detail));
        gStop.store(kStopConnectionFailed);
        break;
      default:
        break;
    }
  });

  auto hello = hall.connect();
  if (!hello) {
    auto error = cli::fromClientError(hello.error(), cli::Phase::Connect);
    if (error.message.find("certificate verify failed") != std::string::npos) {
      error.message += " (trust the hall's certificate with --ca-file FILE, or --insecure for the demo)";
    }
    return fail(error, options.json);
  }
  auto signIn = hall.signIn(std::get<client::Credential>(credential));
  if (!signIn) {
    return fail(cli::fromClientError(signIn.error(), cli::Phase::SignIn), options.json);
  }
  signedIn = true;
  const auto& principal = signIn->principal();
  if (principal.role() != v1::ROLE_KIOSK) {
    say("warning: signed in as " + principal.login() + " (role " + v1::Role_Name(principal.role()) +
        "), not a kiosk: the hall may refuse frames");
  }
  say("signed in as " + principal.login() + " at " + options.server + "; frames from " + source->describe() +
      (window ? "; window open (Esc/q quits, r resets)" : "") + "; Ctrl-C ends");

  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  KioskScreen screen(options.json, std::move(window), std::move(speaker));
  LoopSettings settings;
  settings.fps = options.fps;
  settings.realTime = !options.asFastAsPossible;
  settings.maxFrames = options.maxFrames;
  settings.badge = options.badge;
  settings.badgeToken = options.badgeToken;
  settings.exitKiosk = options.exitKiosk;
  settings.resetAfterMs = options.resetAfterMs;
  settings.encode.maxWidth = options.maxWidth;
  settings.encode.jpegQuality = options.jpegQuality;
  settings.frameTimeout = 2 * options.timeout;
  settings.drainTimeout = 2 * options.timeout + std::chrono::seconds(5);
  HallTransport transport(hall);
  LoopResult result;
  {
    KioskLoop loop(*source, transport, screen, settings, gStop);
    result = loop.run();
    // Requests still pending end with the client; then the loop's reply threads can be joined.
    if (hall.state() == client::ConnectionState::SignedIn) {
      hall.signOut();
    }
    hall.close();
  }
  screen.finish();

  if (result.unanswered > 0) {
    say(std::to_string(result.unanswered) + " frame(s) still unanswered at the end");
  }
  std::cout << (options.json ? summaryJson(result.summary) + "\n" : summaryText(result.summary)) << std::flush;

  switch (result.reason) {
    case StopReason::Refused: {
      auto error = cli::fromClientError(*result.error, cli::Phase::Request);
      if (result.error->isServer(v1::ERROR_UNKNOWN_REQUEST)) {
        error.message = "this hall server does not handle FaceFrame (no Face ID): " + error.message;
      }
      return fail(error, options.json);
    }
    case StopReason::ConnectionFailed:
      return fail(cli::CliError{cli::kExitConnection, "ERROR_CONNECTION_FAILED", "the connection to the hall was lost", {}, 0},
                  options.json);
    case StopReason::SourceFailed:
      return fail(cli::CliError{kExitSource, "ERROR_SOURCE", result.detail, {}, 0}, options.json);
    default:
      return cli::kExitOk;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "daihoi-kiosk: internal error: " << e.what() << "\n";
    return cli::kExitRefused;
  }
}
