#include "cli/commands.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <variant>

#include "cli/arguments.hpp"
#include "cli/ballot_output.hpp"
#include "cli/discussion_output.hpp"
#include "cli/doc_output.hpp"
#include "cli/doc_upload.hpp"
#include "cli/enroll_files.hpp"
#include "cli/face_output.hpp"
#include "cli/output.hpp"
#include "client/document_fetch.hpp"
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

// A request error, with a hint when the server predates the request.
CliError requestError(const ClientError& error) {
  CliError cli = fromClientError(error, Phase::Request);
  if (error.isServer(v1::ERROR_UNKNOWN_REQUEST)) {
    cli.message += " (máy chủ này chưa hỗ trợ yêu cầu này: cần cập nhật hall-server / this server does not know "
                   "the request yet)";
  }
  return cli;
}

// Sends one request and checks that the reply is of the expected kind.
Outcome<v1::Response> callExpecting(HallClient& client, v1::ClientMessage message, v1::Response::ResultCase expected,
                                    std::optional<std::chrono::milliseconds> timeout = {}) {
  auto response = client.call(std::move(message), timeout);
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
  std::vector<std::string> codes = options.arguments;
  if (present && options.delegation) {
    // A delegation arriving together: every member's code, from the server's roster.
    v1::ClientMessage get;
    get.mutable_get_roster();
    auto roster = callExpecting(client, std::move(get), v1::Response::kRoster);
    if (!roster) {
      return printer.fail(fromClientError(roster.error(), Phase::Request));
    }
    auto found = findDelegationId(roster->roster(), *options.delegation);
    if (auto* error = std::get_if<CliError>(&found)) {
      return printer.fail(*error);
    }
    for (const auto& delegate : roster->roster().delegates()) {
      if (delegate.delegation_id() == std::get<std::uint32_t>(found)) codes.push_back(delegate.code());
    }
  }
  v1::ClientMessage message;
  if (present) {
    message.mutable_check_in()->set_delegate_code(codes.at(0));
    for (std::size_t i = 1; i < codes.size(); ++i) message.mutable_check_in()->add_more_codes(codes[i]);
    message.mutable_check_in()->set_reason(*options.reason);
  } else {
    message.mutable_check_out()->set_delegate_code(codes.at(0));
    message.mutable_check_out()->set_reason(*options.reason);
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kAttendanceChange);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  const std::string who = codes.size() == 1 ? codes[0] : std::to_string(codes.size()) + " đại biểu";
  return printer.print(attendanceChangeText(who, present, response->attendance_change()),
                       attendanceChangeJson(who, present, response->attendance_change()));
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

int runBallotCreate(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  *message.mutable_create_ballot()->mutable_draft() = *options.ballotDraft;
  auto response = callExpecting(client, std::move(message), v1::Response::kBallot);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(ballotActionText(BallotAction::Created, response->ballot()),
                       ballotActionJson(BallotAction::Created, response->ballot()));
}

int runBallotList(HallClient& client, Printer& printer) {
  v1::ClientMessage message;
  message.mutable_list_ballots();
  auto response = callExpecting(client, std::move(message), v1::Response::kBallots);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(ballotListText(response->ballots(), client.mirror()), ballotListJson(response->ballots()));
}

// ballot open/close/publish/cancel/runoff and confirm: one request about one ballot, a BallotReply.
int runBallotAction(HallClient& client, Printer& printer, const CliOptions& options) {
  const std::uint32_t id = *options.ballotId;
  const std::string& command = options.command;
  v1::ClientMessage message;
  BallotAction action = BallotAction::Opened;
  if (command == "ballot open") {
    message.mutable_open_ballot()->set_ballot_id(id);
    if (options.openFor) {
      message.mutable_open_ballot()->set_duration_ms(static_cast<std::uint64_t>(options.openFor->count()));
    }
  } else if (command == "ballot close") {
    message.mutable_close_ballot()->set_ballot_id(id);
    action = BallotAction::Closed;
  } else if (command == "ballot publish") {
    message.mutable_publish_ballot()->set_ballot_id(id);
    action = BallotAction::Published;
  } else if (command == "ballot cancel") {
    message.mutable_cancel_ballot()->set_ballot_id(id);
    message.mutable_cancel_ballot()->set_reason(*options.reason);
    action = BallotAction::Cancelled;
  } else if (command == "ballot runoff") {
    message.mutable_create_runoff()->set_ballot_id(id);
    action = BallotAction::RunoffCreated;
  } else {
    message.mutable_confirm_tally()->set_ballot_id(id);
    action = BallotAction::Confirmed;
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kBallot);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(ballotActionText(action, response->ballot()), ballotActionJson(action, response->ballot()));
}

int runVote(HallClient& client, Printer& printer, const CliOptions& options) {
  const std::uint32_t id = *options.ballotId;
  const client::StateMirror mirror = client.mirror();
  const v1::Ballot* ballot = mirror.findBallot(id);
  auto choices = resolveChoices(ballot, id, options.arguments, options.none);
  if (auto* error = std::get_if<CliError>(&choices)) {
    return printer.fail(*error);
  }
  const auto& chosen = std::get<std::vector<std::uint32_t>>(choices);
  auto reply = client.castVote(id, chosen);
  if (!reply) {
    return printer.fail(fromClientError(reply.error(), Phase::Request));
  }
  return printer.print(voteText(reply.value(), ballot, chosen), voteJson(reply.value(), ballot, chosen));
}

int runResults(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_get_ballot_result()->set_ballot_id(*options.ballotId);
  auto response = callExpecting(client, std::move(message), v1::Response::kBallotResult);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(resultText(response->ballot_result()), resultJson(response->ballot_result()));
}

// Without codes: the committee as the sign-in snapshot has it. With codes (or --none): appoint.
int runCommittee(HallClient& client, Printer& printer, const CliOptions& options) {
  const client::StateMirror names = client.mirror();
  if (options.arguments.empty() && !options.none) {
    return printer.print(committeeText(names.countingCommittee(), names, false),
                         committeeJson(names.countingCommittee(), names));
  }
  v1::ClientMessage message;
  auto& appoint = *message.mutable_appoint_counting_committee();  // no codes: dissolve
  for (const std::string& code : options.arguments) {
    appoint.add_delegate_codes(code);
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kBallots);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  const auto& ids = response->ballots().counting_committee();
  const std::vector<std::uint32_t> members(ids.begin(), ids.end());
  return printer.print(committeeText(members, names, true), committeeJson(members, names));
}

int runProgress(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_get_ballot_progress()->set_ballot_id(*options.ballotId);
  auto response = callExpecting(client, std::move(message), v1::Response::kBallotProgress);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(progressText(response->ballot_progress(), client.mirror()),
                       progressJson(response->ballot_progress()));
}

int runVerify(HallClient& client, Printer& printer, const CliOptions& options) {
  const std::string& receipt = options.arguments.at(0);
  v1::ClientMessage message;
  message.mutable_verify_receipt()->set_ballot_id(*options.ballotId);
  message.mutable_verify_receipt()->set_receipt(receipt);
  auto response = callExpecting(client, std::move(message), v1::Response::kVerifyReceipt);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(verifyText(*options.ballotId, receipt, response->verify_receipt()),
                       verifyJson(*options.ballotId, receipt, response->verify_receipt()));
}

int runRules(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  if (options.preset) {
    message.mutable_set_voting_rules()->set_preset(*options.preset);
  } else {
    message.mutable_get_voting_rules();
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kVotingRules);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  return printer.print(rulesText(response->voting_rules()), rulesJson(response->voting_rules()));
}

// The CSV goes to --out FILE, or to stdout (JSON instead with --json and no --out).
int runExport(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_get_named_votes()->set_ballot_id(*options.ballotId);
  auto response = callExpecting(client, std::move(message), v1::Response::kNamedVotes);
  if (!response) {
    return printer.fail(fromClientError(response.error(), Phase::Request));
  }
  const v1::NamedVotesReply& votes = response->named_votes();
  if (!options.outFile) {
    return printer.print(namedVotesCsv(votes), namedVotesJson(votes));
  }
  std::ofstream file(*options.outFile, std::ios::binary | std::ios::trunc);
  file << namedVotesCsv(votes);
  file.close();
  if (!file) {
    return printer.fail(usageError("cannot write the CSV file " + *options.outFile));
  }
  const auto rows = static_cast<std::size_t>(votes.votes_size());
  return printer.print(exportedText(*options.ballotId, rows, *options.outFile),
                       exportedJson(*options.ballotId, rows, *options.outFile));
}

// ---------------------------------------------------------------- Face ID, roll call, sittings

constexpr std::chrono::milliseconds kEnrollRequestTimeout{60'000};  // ~150 ms per photo on the server, and a queue
constexpr auto kFaceLoadingWait = std::chrono::seconds(120);  // a server's models load within seconds
constexpr int kEnrollAttempts = 2;                      // a dropped connection: once more after the resume
constexpr int kEnrollGiveUpAfter = 3;                   // consecutive requests that got no answer

Outcome<v1::FaceEnrollmentReply> getFaceEnrollment(HallClient& client) {
  v1::ClientMessage message;
  message.mutable_get_face_enrollment();
  auto response = callExpecting(client, std::move(message), v1::Response::kFaceEnrollment);
  if (!response) {
    return response.error();
  }
  return response->face_enrollment();
}

CliError faceUnavailable(const v1::FaceEnrollmentReply& reply) {
  return CliError{kExitFaceUnavailable, "ERROR_FACE_UNAVAILABLE",
                  "nhận diện khuôn mặt đang tắt trên máy chủ / face work is off on the server" +
                      (reply.face_problem().empty() ? std::string() : ": " + reply.face_problem()),
                  {},
                  0};
}

int runFaces(HallClient& client, Printer& printer) {
  auto reply = getFaceEnrollment(client);
  if (!reply) {
    return printer.fail(requestError(reply.error()));
  }
  const client::StateMirror names = client.mirror();
  return printer.print(facesText(*reply, names), facesJson(*reply, names));
}

// The progress of `enroll` on stderr: one line rewritten in place on a terminal, plain lines otherwise.
class EnrollProgress {
 public:
  EnrollProgress(std::ostream& err, bool terminal) : err_(err), terminal_(terminal) {}
  void show(const std::string& line) {
    if (terminal_) {
      err_ << "\r\033[K" << line << std::flush;
    } else {
      err_ << line << "\n" << std::flush;
    }
  }
  void note(const std::string& line) {
    if (terminal_) {
      err_ << "\r\033[K";
    }
    err_ << line << "\n" << std::flush;
  }
  void done() {
    if (terminal_) {
      err_ << "\r\033[K" << std::flush;
    }
  }

 private:
  std::ostream& err_;
  bool terminal_;
};

v1::EnrollPhotoReport localPhotoReport(const std::string& name, std::string_view status, std::string message) {
  v1::EnrollPhotoReport report;
  report.set_name(name);
  report.set_status(std::string(status));
  report.set_message(std::move(message));
  return report;
}

std::string megabytes(std::size_t bytes) {
  std::ostringstream text;
  text.precision(1);
  text << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MB";
  return text.str();
}

// The errors after which no further delegate is tried: the answer would be the same for every one.
bool stopsEnrollment(const ClientError& error) {
  const bool faceOff = error.isServer(v1::ERROR_FACE_UNAVAILABLE) && error.retryAfterMs == 0;  // not just loading
  return faceOff || error.isServer(v1::ERROR_PERMISSION_DENIED) ||
         error.isServer(v1::ERROR_NOT_SIGNED_IN) || error.isServer(v1::ERROR_SESSION_EXPIRED) ||
         error.isServer(v1::ERROR_UNKNOWN_REQUEST) || error.kind == client::ErrorKind::InvalidState ||
         error.kind == client::ErrorKind::Protocol;
}

int runEnroll(HallClient& client, Printer& printer, const CliOptions& options, std::uint32_t maxFrameBytes,
              bool terminal) {
  using Clock = std::chrono::steady_clock;
  const std::string& directory = options.arguments.at(0);
  auto files = listPhotoDirectory(directory);
  if (auto* error = std::get_if<CliError>(&files)) {
    return printer.fail(*error);
  }
  auto before = getFaceEnrollment(client);
  // A server that has just started loads its models for a few seconds: wait for them.
  const auto loadingDeadline = std::chrono::steady_clock::now() + kFaceLoadingWait;
  while (before && !before->face_available() && before->face_retry_after_ms() > 0 &&
         std::chrono::steady_clock::now() < loadingDeadline) {
    printer.err() << "daihoi: " << before->face_problem() << "; đang chờ / waiting\n";
    std::this_thread::sleep_for(std::chrono::milliseconds(before->face_retry_after_ms()));
    before = getFaceEnrollment(client);
  }
  if (!before) {
    return printer.fail(requestError(before.error()));
  }
  if (!before->face_available()) {
    return printer.fail(faceUnavailable(*before));
  }
  v1::ClientMessage getRoster;
  getRoster.mutable_get_roster();
  auto roster = callExpecting(client, std::move(getRoster), v1::Response::kRoster);
  if (!roster) {
    return printer.fail(requestError(roster.error()));
  }
  client::StateMirror names;
  names.applyRoster(roster->roster());
  std::vector<std::string> codes;
  for (const auto& delegate : roster->roster().delegates()) {
    codes.push_back(delegate.code());
  }
  const PhotoMatch match = matchPhotos(std::get<std::vector<std::string>>(files), codes);

  EnrollReport report;
  report.directory = directory;
  report.replace = options.replace;
  report.unmatched = match.unmatched;
  report.ignored = match.ignored;
  std::set<std::string> enrolled;
  for (const auto& face : before->enrolled()) {
    if (face.photos() > 0) {
      enrolled.insert(face.delegate_code());
    }
  }
  // In roster order, as an organizer reads the list.
  std::vector<const v1::Delegate*> work;
  std::size_t photosTotal = 0;
  for (const auto& delegate : roster->roster().delegates()) {
    auto found = match.byCode.find(delegate.code());
    if (found == match.byCode.end()) {
      continue;
    }
    if (!options.replace && enrolled.count(delegate.code()) != 0) {
      report.skipped.push_back(delegate.code());
      continue;
    }
    work.push_back(&delegate);
    photosTotal += found->second.size();
  }

  // The server refuses a frame above its maximum (HelloReply.max_frame_bytes): the photos of one
  // request must fit in it, with room for the rest of the message.
  const std::size_t budget = requestPayloadBudget(maxFrameBytes);
  const std::chrono::milliseconds timeout = std::max(options.timeout, kEnrollRequestTimeout);
  EnrollProgress progress(printer.err(), terminal);
  const auto started = Clock::now();
  std::size_t photosDone = 0;
  int unanswered = 0;
  std::optional<CliError> stopped;
  for (std::size_t i = 0; i < work.size() && !stopped; ++i) {
    const v1::Delegate& delegate = *work[i];
    const std::vector<std::string>& paths = match.byCode.at(delegate.code());
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    progress.show(enrollProgressLine(i + 1, work.size(), delegate.code(), paths.size(),
                                     std::chrono::duration_cast<std::chrono::seconds>(elapsed),
                                     estimateRemaining(elapsed, photosDone, photosTotal - photosDone)));
    DelegateEnrollment result;
    result.code = delegate.code();
    result.delegateId = delegate.id();
    // Read the photos; those that cannot be read or sent are reported here and not sent.
    std::vector<std::optional<v1::EnrollPhotoReport>> local(paths.size());
    v1::ClientMessage message;
    auto& enroll = *message.mutable_enroll_faces();
    enroll.set_delegate_code(delegate.code());
    std::size_t size = 0;
    for (std::size_t p = 0; p < paths.size(); ++p) {
      std::ifstream in(std::filesystem::path(directory) / paths[p], std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      if (!in || in.bad()) {
        local[p] = localPhotoReport(paths[p], kPhotoUnreadable, "Không đọc được tệp / cannot read the file");
        continue;
      }
      std::string image = std::move(bytes).str();
      if (size + image.size() > budget) {
        local[p] = localPhotoReport(
            paths[p], kPhotoTooLargeToSend,
            (image.size() > budget ? "Ảnh " + megabytes(image.size()) + " vượt giới hạn một yêu cầu của máy chủ ("
                                   : "Các ảnh của đại biểu này cộng lại vượt giới hạn một yêu cầu của máy chủ (") +
                megabytes(budget) + "): thu nhỏ ảnh hoặc tăng --max-message-bytes của hall-server / above the "
                                    "server's request size limit: make the photo smaller");
        continue;
      }
      size += image.size();
      auto& photo = *enroll.add_photos();
      photo.set_name(paths[p]);
      photo.set_image(std::move(image));
    }
    std::optional<v1::FaceEnrollmentReply> reply;
    if (enroll.photos_size() > 0) {
      for (int attempt = 1; attempt <= kEnrollAttempts; ++attempt) {
        auto response = client.call(message, timeout);
        if (response && response->result_case() == v1::Response::kFaceEnrollment) {
          reply = std::move(*response->mutable_face_enrollment());
          unanswered = 0;
          break;
        }
        const ClientError error =
            response ? client::protocolError("the server answered with an unexpected reply type") : response.error();
        if (stopsEnrollment(error)) {
          stopped = requestError(error);
          break;
        }
        const bool noAnswer = error.kind == client::ErrorKind::Connection || error.kind == client::ErrorKind::Timeout;
        const bool rateLimited = error.isServer(v1::ERROR_RATE_LIMITED);
        const bool loading = error.isServer(v1::ERROR_FACE_UNAVAILABLE) && error.retryAfterMs > 0;
        if (attempt < kEnrollAttempts && (rateLimited || loading || error.kind == client::ErrorKind::Connection)) {
          progress.note("daihoi: " + delegate.code() + ": " + error.message + "; thử lại");
          std::this_thread::sleep_for(std::chrono::milliseconds(std::max<std::uint32_t>(error.retryAfterMs, 500)));
          continue;
        }
        result.error = requestError(error);
        progress.note("daihoi: " + delegate.code() + ": " + result.error->message + " [" + result.error->code + "]");
        if (noAnswer && ++unanswered >= kEnrollGiveUpAfter) {
          stopped = result.error;
        }
        break;
      }
    }
    // One line per photo, in file order: the CLI's own refusal, the server's report, or the request's failure.
    std::vector<bool> used(static_cast<std::size_t>(reply ? reply->photos_size() : 0), false);
    for (std::size_t p = 0; p < paths.size(); ++p) {
      if (local[p]) {
        result.photos.push_back(*local[p]);
        continue;
      }
      std::optional<v1::EnrollPhotoReport> found;
      if (reply) {
        for (int r = 0; r < reply->photos_size(); ++r) {
          if (!used[static_cast<std::size_t>(r)] && reply->photos(r).name() == paths[p]) {
            used[static_cast<std::size_t>(r)] = true;
            found = reply->photos(r);
            break;
          }
        }
      }
      if (!found) {
        const std::string why = result.error ? result.error->message
                                : stopped    ? stopped->message
                                             : std::string("máy chủ không báo kết quả ảnh này / no report from the server");
        found = localPhotoReport(paths[p], kPhotoRequestFailed, why);
      }
      result.photos.push_back(*found);
    }
    photosDone += paths.size();
    if (reply) {
      // The last reply knows the whole roster; a final GetFaceEnrollment below refreshes it.
      reply->clear_photos();
      report.enrollment = std::move(*reply);
    }
    if (stopped && !reply && !result.error) {
      break;  // the request itself was refused for a reason that applies to everyone: not this delegate's fault
    }
    report.delegates.push_back(std::move(result));
  }
  progress.done();
  if (!work.empty()) {
    progress.note("daihoi: " + std::to_string(report.delegates.size()) + "/" + std::to_string(work.size()) +
                  " đại biểu, " + std::to_string(photosDone) + " ảnh trong " +
                  durationText(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started)));
  }
  if (stopped) {
    if (!printer.json() && !report.delegates.empty()) {
      printer.out() << enrollReportText(report, names) << std::flush;
    }
    return printer.fail(*stopped);
  }
  if (auto after = getFaceEnrollment(client)) {
    report.enrollment = std::move(*after);
  } else if (!report.enrollment) {
    report.enrollment = std::move(*before);
  }
  printer.print(enrollReportText(report, names), enrollReportJson(report, names));
  const EnrollTotals totals = enrollTotals(report);
  if (totals.photos == 0 && report.skipped.empty()) {
    const CliError nothing{kExitNothingEnrolled, "ERROR_NOTHING_ENROLLED",
                           "không có ảnh nào trong " + directory +
                               " mang mã đại biểu của danh sách / no photo is named after a delegate code",
                           {},
                           0};
    if (!printer.json()) {
      printer.err() << errorText(nothing) << std::flush;
    }
    return nothing.exitCode;
  }
  if (totals.photos > 0 && totals.ok == 0) {
    if (!printer.json()) {
      printer.err() << "daihoi: không ảnh nào được nhận / no photo could be enrolled [ERROR_NOTHING_ENROLLED]\n"
                    << std::flush;
    }
    return kExitNothingEnrolled;
  }
  return kExitOk;
}

int runRollCall(HallClient& client, Printer& printer, const CliOptions& options) {
  const std::string note = options.note.value_or("");
  v1::ClientMessage message;
  message.mutable_take_roll_call()->set_note(note);
  auto response = callExpecting(client, std::move(message), v1::Response::kRollCall);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const auto sitting = client.mirror().sitting();
  return printer.print(rollCallText(response->roll_call(), note, sitting),
                       rollCallJson(response->roll_call(), note, sitting));
}

int runSitting(HallClient& client, Printer& printer, const CliOptions& options) {
  const bool start = options.command == "sitting start";
  v1::ClientMessage message;
  if (start) {
    message.mutable_start_sitting()->set_title(*options.sittingTitle);
  } else {
    message.mutable_end_sitting();
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kSitting);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(sittingText(start, response->sitting()), sittingJson(start, response->sitting()));
}

int runAttendanceLog(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::AttendanceLogReply log;
  std::uint64_t afterId = 0;
  // Pages of at most 5,000 entries; the page limit only guards against a server that never says "no more".
  for (int page = 0; page < 100'000; ++page) {
    v1::ClientMessage message;
    auto& get = *message.mutable_get_attendance_log();
    get.set_delegate_code(options.logDelegate.value_or(""));
    get.set_sitting_id(options.sittingId.value_or(0));
    get.set_from_ms(options.fromMs.value_or(0));
    get.set_to_ms(options.toMs.value_or(0));
    get.set_after_id(afterId);
    auto response = callExpecting(client, std::move(message), v1::Response::kAttendanceLog);
    if (!response) {
      return printer.fail(requestError(response.error()));
    }
    auto& reply = *response->mutable_attendance_log();
    for (auto& entry : *reply.mutable_entries()) {
      *log.add_entries() = std::move(entry);
    }
    *log.mutable_sittings() = std::move(*reply.mutable_sittings());
    if (!reply.more() || reply.entries_size() == 0 || log.entries().rbegin()->id() <= afterId) {
      break;
    }
    afterId = log.entries().rbegin()->id();
  }
  if (!options.csvFile) {
    return printer.print(attendanceLogText(log), attendanceLogJson(log));
  }
  std::ofstream file(*options.csvFile, std::ios::binary | std::ios::trunc);
  file << attendanceLogCsv(log);
  file.close();
  if (!file) {
    return printer.fail(usageError("cannot write the CSV file " + *options.csvFile));
  }
  const auto rows = static_cast<std::size_t>(log.entries_size());
  return printer.print(attendanceLogSavedText(rows, *options.csvFile), attendanceLogSavedJson(rows, *options.csvFile));
}

int runFaceThumbnail(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  if (options.attempt) {
    message.mutable_get_face_thumbnail()->set_attempt_seq(*options.attendanceId);
  } else {
    message.mutable_get_face_thumbnail()->set_attendance_id(*options.attendanceId);
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kFaceThumbnail);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const std::string& jpeg = response->face_thumbnail().jpeg();
  if (jpeg.empty()) {
    return printer.fail(CliError{kExitRefused, "ERROR_NOT_FOUND",
                                 "máy chủ không gửi ảnh nào cho lượt điểm danh " +
                                     std::to_string(*options.attendanceId),
                                 {},
                                 0});
  }
  std::ofstream file(*options.outFile, std::ios::binary | std::ios::trunc);
  file << jpeg;
  file.close();
  if (!file) {
    return printer.fail(usageError("cannot write the image file " + *options.outFile));
  }
  return printer.print(thumbnailSavedText(*options.attendanceId, jpeg.size(), *options.outFile),
                       thumbnailSavedJson(*options.attendanceId, jpeg.size(), *options.outFile));
}

// ---------------------------------------------------------------- documents

constexpr std::chrono::milliseconds kChunkTimeout{30'000};     // 1 MiB over a slow hall Wi-Fi
constexpr std::chrono::milliseconds kPrepareTimeout{120'000};  // the server reads a big PDF's text before it answers

// A refused file is named, so that a script publishing many documents says which one.
CliError documentError(const ClientError& error, const std::string& fileName) {
  CliError cli = requestError(error);
  if (error.isServer(v1::ERROR_INVALID_DOCUMENT) || error.isServer(v1::ERROR_TOO_LARGE)) {
    cli.message = fileName + ": " + cli.message;
  }
  return cli;
}

// The readers of a new document as the wire has them: delegations named on the command line are
// looked up in the roster, by name or id.
std::variant<v1::DocumentAudience, CliError> documentAudience(HallClient& client, const DocumentReaders& readers) {
  v1::DocumentAudience audience;
  audience.set_everyone(readers.everyone);
  for (v1::Role role : readers.roles) {
    audience.add_roles(role);
  }
  if (readers.delegations.empty()) {
    return audience;
  }
  v1::ClientMessage message;
  message.mutable_get_roster();
  auto roster = callExpecting(client, std::move(message), v1::Response::kRoster);
  if (!roster) {
    return requestError(roster.error());
  }
  for (const std::string& name : readers.delegations) {
    auto found = findDelegationId(roster->roster(), name);
    if (auto* error = std::get_if<CliError>(&found)) {
      return usageError("--audience delegation:" + name + ": " + error->message);
    }
    audience.add_delegation_ids(std::get<std::uint32_t>(found));
  }
  return audience;
}

// Sends the file in chunks under a fresh upload id and returns the id.
std::variant<std::string, CliError> uploadDocument(HallClient& client, const CliOptions& options,
                                                   const std::string& bytes, const std::string& fileName,
                                                   std::uint32_t maxFrameBytes) {
  auto uploadId = newUploadId();
  if (!uploadId) {
    return requestError(uploadId.error());
  }
  const auto timeout = std::max(options.timeout, kChunkTimeout);
  const ChunkSender send = [&client, timeout](const v1::UploadChunk& chunk) -> Outcome<v1::UploadReply> {
    v1::ClientMessage message;
    *message.mutable_upload_chunk() = chunk;
    auto response = callExpecting(client, std::move(message), v1::Response::kUpload, timeout);
    if (!response) {
      return response.error();
    }
    return response->upload();
  };
  auto uploaded = uploadInChunks(bytes, *uploadId, uploadChunkBytes(maxFrameBytes), send);
  if (!uploaded) {
    return documentError(uploaded.error(), fileName);
  }
  return *uploadId;
}

// Sends AddDocument or UpdateDocument for a complete upload and prints the version published.
int publishVersion(HallClient& client, Printer& printer, const CliOptions& options, v1::ClientMessage message,
                   const std::string& fileName) {
  auto response = callExpecting(client, std::move(message), v1::Response::kDocument,
                                std::max(options.timeout, kPrepareTimeout));
  if (!response) {
    CliError error = documentError(response.error(), fileName);
    if (response.error().kind == client::ErrorKind::Connection || response.error().kind == client::ErrorKind::Timeout) {
      // Not sent again: the server may have published it just before the answer was lost.
      error.message += " (có thể tài liệu đã được đăng: xem daihoi doc list trước khi thử lại / it may have been "
                       "published: check doc list before trying again)";
    }
    return printer.fail(error);
  }
  return printer.print(documentPublishedText(response->document(), client.mirror()),
                       documentPublishedJson(response->document()));
}

int runDocAdd(HallClient& client, Printer& printer, const CliOptions& options, const std::string& bytes,
              std::uint32_t maxFrameBytes) {
  auto audience = documentAudience(client, *options.readers);
  if (auto* error = std::get_if<CliError>(&audience)) {
    return printer.fail(*error);
  }
  const std::string fileName = std::filesystem::path(*options.documentFile).filename().string();
  auto uploadId = uploadDocument(client, options, bytes, fileName, maxFrameBytes);
  if (auto* error = std::get_if<CliError>(&uploadId)) {
    return printer.fail(*error);
  }
  v1::ClientMessage message;
  auto& add = *message.mutable_add_document();
  add.set_upload_id(std::get<std::string>(uploadId));
  add.set_file_name(fileName);
  add.set_title(*options.documentTitle);
  add.set_kind(*options.documentKind);
  *add.mutable_audience() = std::get<v1::DocumentAudience>(std::move(audience));
  add.set_note(options.note.value_or(""));
  return publishVersion(client, printer, options, std::move(message), fileName);
}

int runDocUpdate(HallClient& client, Printer& printer, const CliOptions& options, const std::string& bytes,
                 std::uint32_t maxFrameBytes) {
  const std::string fileName = std::filesystem::path(*options.documentFile).filename().string();
  auto uploadId = uploadDocument(client, options, bytes, fileName, maxFrameBytes);
  if (auto* error = std::get_if<CliError>(&uploadId)) {
    return printer.fail(*error);
  }
  v1::ClientMessage message;
  auto& update = *message.mutable_update_document();
  update.set_document_id(*options.documentId);
  update.set_upload_id(std::get<std::string>(uploadId));
  update.set_file_name(fileName);
  update.set_note(*options.note);
  return publishVersion(client, printer, options, std::move(message), fileName);
}

int runDocList(HallClient& client, Printer& printer) {
  v1::ClientMessage message;
  message.mutable_list_documents();
  auto response = callExpecting(client, std::move(message), v1::Response::kDocuments);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(documentListText(response->documents()), documentListJson(response->documents()));
}

Outcome<v1::OpenDocumentReply> openDocument(HallClient& client, std::uint32_t documentId, std::uint32_t version) {
  v1::ClientMessage message;
  message.mutable_open_document()->set_document_id(documentId);
  message.mutable_open_document()->set_version(version);  // 0: the newest
  auto response = callExpecting(client, std::move(message), v1::Response::kOpenDocument);
  if (!response) {
    return response.error();
  }
  return response->open_document();
}

bool signedInAsDelegate(const HallClient& client) {
  const auto principal = client.principal();
  return principal && principal->role() == v1::ROLE_DELEGATE;
}

int runDocShow(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_get_document_version()->set_document_id(*options.documentId);
  message.mutable_get_document_version()->set_version(options.version.value_or(0));  // 0: the newest
  auto response = callExpecting(client, std::move(message), v1::Response::kDocumentVersion);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const v1::DocumentVersionReply& shown = response->document_version();
  // A delegate who reads a version here has opened it: the secretariat's reading record says so
  // (doc readers). The version shown is printed even when the record cannot be made.
  if (signedInAsDelegate(client)) {
    auto opened = openDocument(client, shown.document_id(), shown.version().number());
    if (!opened) {
      const CliError error = requestError(opened.error());
      printer.err() << "daihoi: không ghi nhận được việc đọc / the reading was not recorded: " << error.message
                    << " [" << error.code << "]\n"
                    << std::flush;
    }
  }
  return printer.print(documentVersionText(shown), documentVersionJson(shown));
}

int runDocDiff(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  auto& diff = *message.mutable_get_document_diff();
  diff.set_document_id(*options.documentId);
  diff.set_from_version(options.fromVersion.value_or(0));  // 0, 0: the one before the newest and the newest
  diff.set_to_version(options.toVersion.value_or(0));
  auto response = callExpecting(client, std::move(message), v1::Response::kDocumentDiff);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(documentDiffText(response->document_diff()), documentDiffJson(response->document_diff()));
}

// ---------------------------------------------------------------- reading, discussion, contributions

constexpr std::chrono::milliseconds kDownloadTimeout{30'000};  // without progress; a big PDF over hall Wi-Fi

bool stdoutIsTerminal(Printer& printer) { return &printer.out() == &std::cout && ::isatty(STDOUT_FILENO) == 1; }

CliError notFound(std::string message) { return CliError{kExitRefused, "ERROR_NOT_FOUND", std::move(message), {}, 0}; }

// The discussion groups as the sign-in snapshot had them (group names for comments).
v1::DiscussionGroupsReply snapshotGroups(const v1::SignInReply& signedIn) {
  v1::DiscussionGroupsReply groups;
  if (signedIn.has_snapshot()) {
    *groups.mutable_groups() = signedIn.snapshot().discussion_groups();
    groups.set_visibility(signedIn.snapshot().comment_visibility());
  }
  return groups;
}

// Writes `bytes` to `path` through a temporary file renamed into place: a failed write leaves no
// half file, and an existing file is replaced whole.
std::optional<CliError> writeWholeFile(const std::string& path, std::string_view bytes, const std::string& what) {
  const std::string temporary = path + ".part-" + std::to_string(::getpid());
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return usageError("cannot write " + what + " " + path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return usageError("cannot write " + what + " " + path);
  }
  return std::nullopt;
}

int runGroupsList(HallClient& client, Printer& printer) {
  v1::ClientMessage message;
  message.mutable_get_discussion_groups();
  auto response = callExpecting(client, std::move(message), v1::Response::kDiscussionGroups);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const client::StateMirror names = client.mirror();
  return printer.print(discussionGroupsText(response->discussion_groups(), names, false),
                       discussionGroupsJson(response->discussion_groups(), names));
}

int runGroupsSet(HallClient& client, Printer& printer, const CliOptions& options, const v1::SignInReply& signedIn) {
  const v1::DiscussionGroupsReply current = snapshotGroups(signedIn);
  // Without --visibility the visibility stays as it is; without groups (only --visibility) the groups stay.
  const v1::CommentVisibility visibility =
      options.visibility.value_or(current.visibility() == v1::COMMENT_VISIBILITY_UNSPECIFIED
                                      ? v1::COMMENT_VISIBILITY_GROUP
                                      : current.visibility());
  v1::ClientMessage message;
  if (!options.none && options.groups.empty()) {
    auto& set = *message.mutable_set_discussion_groups();
    *set.mutable_groups() = current.groups();
    set.set_visibility(visibility);
  } else {
    v1::RosterReply roster;
    const client::StateMirror mirror = client.mirror();
    for (const v1::Delegation& delegation : mirror.delegations()) {
      *roster.add_delegations() = delegation;
    }
    if (roster.delegations().empty()) {
      v1::ClientMessage get;
      get.mutable_get_roster();
      auto fetched = callExpecting(client, std::move(get), v1::Response::kRoster);
      if (!fetched) {
        return printer.fail(requestError(fetched.error()));
      }
      roster = fetched->roster();
    }
    auto request = discussionGroupsRequest(options.groups, visibility, roster);
    if (auto* error = std::get_if<CliError>(&request)) {
      return printer.fail(*error);
    }
    *message.mutable_set_discussion_groups() = std::get<v1::SetDiscussionGroups>(std::move(request));
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kDiscussionGroups);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const client::StateMirror names = client.mirror();
  return printer.print(discussionGroupsText(response->discussion_groups(), names, true),
                       discussionGroupsJson(response->discussion_groups(), names));
}

int runDocSearch(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  auto& search = *message.mutable_search_documents();
  search.set_query(*options.query);
  for (std::uint32_t id : options.documentIds) search.add_document_ids(id);
  for (v1::DocumentKind kind : options.documentKinds) search.add_kinds(kind);
  search.set_limit(options.limit.value_or(0));  // 0: the server's 20
  search.set_offset(options.offset.value_or(0));
  auto response = callExpecting(client, std::move(message), v1::Response::kSearch);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(searchText(response->search(), *options.query, options.offset.value_or(0),
                                  stdoutIsTerminal(printer)),
                       searchJson(response->search(), *options.query));
}

int runDocAsk(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  auto& ask = *message.mutable_ask_question();
  ask.set_question(*options.query);
  for (std::uint32_t id : options.documentIds) ask.add_document_ids(id);
  ask.set_limit(options.limit.value_or(0));  // 0: the server's 5
  auto response = callExpecting(client, std::move(message), v1::Response::kStudy);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(studyText(response->study(), *options.query, stdoutIsTerminal(printer)),
                       studyJson(response->study(), *options.query));
}

// The document (with its versions) as ListDocuments gives it to this principal.
std::variant<v1::DocumentSummary, CliError> readableDocument(HallClient& client, std::uint32_t documentId) {
  v1::ClientMessage message;
  message.mutable_list_documents();
  auto response = callExpecting(client, std::move(message), v1::Response::kDocuments);
  if (!response) {
    return requestError(response.error());
  }
  for (const v1::DocumentSummary& document : response->documents().documents()) {
    if (document.id() == documentId) return document;
  }
  return notFound("không có tài liệu #" + std::to_string(documentId) +
                  " trong các tài liệu bạn được đọc / no such document you may read");
}

int runDocGet(HallClient& client, Printer& printer, const CliOptions& options) {
  auto found = readableDocument(client, *options.documentId);
  if (auto* error = std::get_if<CliError>(&found)) {
    return printer.fail(*error);
  }
  const v1::DocumentSummary& document = std::get<v1::DocumentSummary>(found);
  const v1::DocumentVersion* version = nullptr;
  for (const v1::DocumentVersion& candidate : document.versions()) {
    if (!options.version || candidate.number() == *options.version) version = &candidate;  // the last: the newest
  }
  if (version == nullptr) {
    return printer.fail(notFound("tài liệu #" + std::to_string(document.id()) + " không có bản " +
                                 std::to_string(options.version.value_or(0)) + " / no such version"));
  }
  const std::string path = options.outFile.value_or(downloadFileName(document.id(), *version));
  const bool toStdout = path == "-";
  std::error_code ignored;
  if (!toStdout && !options.force && std::filesystem::exists(path, ignored)) {
    return printer.fail(usageError(path + " đã có / already exists: thêm --force để ghi đè, hoặc -o FILE"));
  }
  client::FetchOptions fetch;
  fetch.serverUrl = options.url;
  fetch.caFile = options.caFile;
  fetch.insecureSkipVerify = options.insecure;
  fetch.timeout = std::max(options.timeout, kDownloadTimeout);
  fetch.maxBytes = std::max<std::uint64_t>(version->size(), 1);
  fetch.userAgent = "daihoi-cli 0.1";
  auto bytes = client::fetchDocumentFile(fetch, version->url(), client.sessionToken());
  if (!bytes) {
    return printer.fail(withTlsHint(requestError(bytes.error())));
  }
  const std::string sha = client::sha256Hex(*bytes);
  if (bytes->size() != version->size() || sha != version->sha256()) {
    return printer.fail(CliError{kExitConnection, "ERROR_CHECKSUM_MISMATCH",
                                 "tệp tải về không khớp SHA-256 của bản " + std::to_string(version->number()) +
                                     " (nhận " + std::to_string(bytes->size()) + " byte, SHA-256 " + sha +
                                     ") / the file does not match its SHA-256; nothing written",
                                 {},
                                 0});
  }
  if (toStdout) {
    printer.out().write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    printer.out().flush();
    return kExitOk;
  }
  if (auto error = writeWholeFile(path, *bytes, "the file")) {
    return printer.fail(*error);
  }
  return printer.print(documentSavedText(document.id(), *version, path),
                       documentSavedJson(document.id(), *version, path));
}

int runDocOpen(HallClient& client, Printer& printer, const CliOptions& options) {
  auto opened = openDocument(client, *options.documentId, options.version.value_or(0));
  if (!opened) {
    return printer.fail(requestError(opened.error()));
  }
  return printer.print(documentOpenedText(*opened), documentOpenedJson(*opened));
}

int runDocReaders(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_get_document_readers()->set_document_id(*options.documentId);
  auto response = callExpecting(client, std::move(message), v1::Response::kDocumentReaders);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(documentReadersText(response->document_readers(), options.missing),
                       documentReadersJson(response->document_readers(), options.missing));
}

Outcome<v1::CommentsReply> listComments(HallClient& client, std::uint32_t documentId) {
  v1::ClientMessage message;
  message.mutable_list_comments()->set_document_id(documentId);
  auto response = callExpecting(client, std::move(message), v1::Response::kComments);
  if (!response) {
    return response.error();
  }
  return response->comments();
}

const v1::Comment* findComment(const v1::CommentsReply& comments, std::uint64_t id) {
  for (const v1::Comment& comment : comments.comments()) {
    if (comment.id() == id) return &comment;
  }
  return nullptr;
}

int sendComment(HallClient& client, Printer& printer, v1::ClientMessage message, const v1::SignInReply& signedIn) {
  auto response = callExpecting(client, std::move(message), v1::Response::kComment);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const v1::DiscussionGroupsReply groups = snapshotGroups(signedIn);
  return printer.print(commentAddedText(response->comment().comment(), groups),
                       commentJson(response->comment().comment(), groups));
}

int runDocComment(HallClient& client, Printer& printer, const CliOptions& options, const v1::SignInReply& signedIn) {
  const std::uint32_t documentId = *options.documentId;
  v1::ClientMessage message;
  auto& add = *message.mutable_add_comment();
  add.set_document_id(documentId);
  add.set_text(*options.commentText);
  if (options.commentId) {
    // A reply is on its thread's passage: a PARAGRAPH given must be that one.
    add.set_reply_to(*options.commentId);
    if (options.paragraphId) {
      add.set_paragraph_id(*options.paragraphId);
    } else if (options.paragraphNumber) {
      auto comments = listComments(client, documentId);
      if (!comments) {
        return printer.fail(requestError(comments.error()));
      }
      const v1::Comment* parent = findComment(*comments, *options.commentId);
      if (parent == nullptr) {
        return printer.fail(notFound("không có góp ý #" + std::to_string(*options.commentId) + " về tài liệu #" +
                                     std::to_string(documentId) + " mà bạn được đọc / no such comment"));
      }
      const std::uint32_t number = *options.paragraphNumber;
      if (number != parent->paragraph_number() && number != parent->newest_paragraph_number()) {
        return printer.fail(usageError("góp ý #" + std::to_string(parent->id()) + " nói về " +
                                       passagePlaceText(*parent) + " (§" + std::to_string(parent->paragraph_number()) +
                                       " của bản " + std::to_string(parent->version()) +
                                       "), không phải §" + std::to_string(number) +
                                       ": a reply is on its thread's paragraph (leave PARAGRAPH out)"));
      }
      add.set_paragraph_id(parent->paragraph_id());
    }
    return sendComment(client, printer, std::move(message), signedIn);
  }
  std::uint32_t version = options.version.value_or(0);  // 0: the newest
  std::string paragraphId = options.paragraphId.value_or("");
  if (options.paragraphNumber) {
    // A number is the paragraph's in that version: look its id up, and comment on that very version
    // (a newer one published meanwhile numbers its paragraphs differently).
    v1::ClientMessage get;
    get.mutable_get_document_version()->set_document_id(documentId);
    get.mutable_get_document_version()->set_version(version);
    auto shown = callExpecting(client, std::move(get), v1::Response::kDocumentVersion);
    if (!shown) {
      return printer.fail(requestError(shown.error()));
    }
    const v1::DocumentVersionReply& reply = shown->document_version();
    const v1::Paragraph* paragraph = findParagraph(reply, *options.paragraphNumber);
    if (paragraph == nullptr) {
      return printer.fail(usageError("bản " + std::to_string(reply.version().number()) + " của tài liệu #" +
                                     std::to_string(documentId) + " có " + std::to_string(reply.paragraphs_size()) +
                                     " đoạn, không có §" + std::to_string(*options.paragraphNumber) +
                                     " / no such paragraph (see daihoi doc show " + std::to_string(documentId) + ")"));
    }
    paragraphId = paragraph->id();
    version = reply.version().number();
  }
  add.set_version(version);
  add.set_paragraph_id(paragraphId);
  if (options.range) {
    *add.mutable_range() = *options.range;
  }
  return sendComment(client, printer, std::move(message), signedIn);
}

// doc reply COMMENT TEXT: the hall finds the comment's document (--doc, when given, must be it).
int runDocReply(HallClient& client, Printer& printer, const CliOptions& options, const v1::SignInReply& signedIn) {
  v1::ClientMessage message;
  auto& add = *message.mutable_add_comment();
  if (!options.documentIds.empty()) add.set_document_id(options.documentIds.front());
  add.set_reply_to(*options.commentId);
  add.set_text(*options.commentText);
  return sendComment(client, printer, std::move(message), signedIn);
}

int runDocComments(HallClient& client, Printer& printer, const CliOptions& options, const v1::SignInReply& signedIn) {
  auto comments = listComments(client, *options.documentId);
  if (!comments) {
    return printer.fail(requestError(comments.error()));
  }
  const v1::DiscussionGroupsReply groups = snapshotGroups(signedIn);
  return printer.print(commentsText(*comments, groups), commentsJson(*comments, groups));
}

int runDocMark(HallClient& client, Printer& printer, const CliOptions& options, const v1::SignInReply& signedIn) {
  v1::ClientMessage message;
  auto& mark = *message.mutable_mark_comment();
  mark.set_comment_id(*options.commentId);
  mark.set_mark(*options.mark);
  mark.set_note(options.note.value_or(""));
  auto response = callExpecting(client, std::move(message), v1::Response::kComment);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(commentMarkedText(response->comment().comment()),
                       commentJson(response->comment().comment(), snapshotGroups(signedIn)));
}

int runDocCompile(HallClient& client, Printer& printer, const CliOptions& options) {
  v1::ClientMessage message;
  message.mutable_compile_comments()->set_document_id(*options.documentId);
  message.mutable_compile_comments()->set_format(options.exportFormat.value_or(v1::EXPORT_FORMAT_UNSPECIFIED));
  auto response = callExpecting(client, std::move(message), v1::Response::kCommentCompilation);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  const v1::CommentCompilation& compilation = response->comment_compilation();
  if (!options.exportFormat) {
    return printer.print(compilationText(compilation, ""), compilationJson(compilation, ""));
  }
  std::string path = options.outFile.value_or("");
  if (path.empty()) {
    // The server's name, in the current directory.
    const std::string& name = compilation.export_file_name();
    const bool plain = !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
    path = plain ? name
                 : "gop-y-tai-lieu-" + std::to_string(compilation.document_id()) +
                       (*options.exportFormat == v1::EXPORT_FORMAT_CSV ? ".csv" : ".md");
  }
  if (path == "-") {
    printer.out() << compilation.export_text() << std::flush;
    return kExitOk;
  }
  if (auto error = writeWholeFile(path, compilation.export_text(), "the export file")) {
    return printer.fail(*error);
  }
  return printer.print(compilationText(compilation, path), compilationJson(compilation, path));
}

int runDocDecide(HallClient& client, Printer& printer, const CliOptions& options, bool approved) {
  v1::ClientMessage message;
  auto& decide = *message.mutable_decide_contribution();
  decide.set_document_id(*options.documentId);
  decide.set_approved(approved);
  decide.set_note(options.note.value_or(""));
  if (approved && options.readers) {
    auto audience = documentAudience(client, *options.readers);
    if (auto* error = std::get_if<CliError>(&audience)) {
      return printer.fail(*error);
    }
    *decide.mutable_audience() = std::get<v1::DocumentAudience>(std::move(audience));
  }
  auto response = callExpecting(client, std::move(message), v1::Response::kDocument);
  if (!response) {
    return printer.fail(requestError(response.error()));
  }
  return printer.print(contributionDecidedText(response->document(), client.mirror()),
                       documentPublishedJson(response->document()));
}

// What the client's callbacks hand to the main thread, in order.
struct SnapshotNotice {
  std::uint64_t seq = 0;
  v1::DiscussionGroupsReply groups;  // the snapshot's, for the comment lines that follow
};
using WatchItem = std::variant<v1::Event, v1::LiveUpdate, client::ConnectionStatus, SnapshotNotice>;

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

int runWatch(HallClient& client, Printer& printer, const CliOptions& options, WatchQueue& queue,
             v1::DiscussionGroupsReply groups) {
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
      if (event->has_discussion_groups_changed()) {
        *groups.mutable_groups() = event->discussion_groups_changed().groups();
        groups.set_visibility(event->discussion_groups_changed().visibility());
      }
      const client::StateMirror names = client.mirror();
      printer.print(eventText(*event, names, groups), eventJson(*event, names, groups));
      ++printed;
    } else if (auto* update = std::get_if<v1::LiveUpdate>(&*item)) {
      // Progress lines are not events: --count does not count them.
      const std::int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
      printer.print(liveUpdateText(*update, nowMs), liveUpdateJson(*update, nowMs));
    } else if (auto* notice = std::get_if<SnapshotNotice>(&*item)) {
      groups = notice->groups;
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

// The whole of the file a command sends: the CSV of import-roster, the document of doc add/update.
std::variant<std::string, CliError> readInputFile(const std::string& path, const std::string& what) {
  std::error_code ignored;
  std::ifstream in(path, std::ios::binary);
  if (!in || !std::filesystem::is_regular_file(path, ignored)) {
    return usageError("cannot read " + what + " " + path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return usageError("cannot read " + what + " " + path);
  }
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
  // The file the command sends is read first: a wrong path costs no connection.
  std::string inputFile;
  if (options.command == "import-roster" || options.documentFile) {
    auto content = options.documentFile ? readInputFile(*options.documentFile, "the document file")
                                        : readInputFile(options.arguments.at(0), "the CSV file");
    if (auto* error = std::get_if<CliError>(&content)) {
      return printer.fail(*error);
    }
    inputFile = std::move(std::get<std::string>(content));
  }

  client::ClientOptions clientOptions;
  clientOptions.url = options.url;
  clientOptions.clientName = "daihoi-cli 0.1";
  clientOptions.requestTimeout = options.timeout;
  clientOptions.connectTimeout = options.timeout;
  clientOptions.caFile = options.caFile;
  clientOptions.insecureSkipVerify = options.insecure;
  // `watch` and `enroll` live long enough to be worth resuming (an enrollment request is sent again
  // after a resume: it sets the delegate's photos, so twice is the same as once), a vote is sent
  // again after a resume so that it is not lost, and an upload goes on where the server has it;
  // other one-shot commands report the failure.
  clientOptions.autoReconnect = options.command == "watch" || options.command == "vote" ||
                                options.command == "enroll" || options.documentFile.has_value();
  HallClient client(clientOptions);

  WatchQueue watchQueue;
  std::atomic<bool> watching{false};
  if (options.command == "watch") {
    client.onEvent([&](const v1::Event& event) { watchQueue.push(event); });
    client.onLiveUpdate([&](const v1::LiveUpdate& update) { watchQueue.push(update); });
    client.onSnapshot([&](const v1::Snapshot& snapshot) {
      if (watching) {
        SnapshotNotice notice{snapshot.seq(), {}};
        *notice.groups.mutable_groups() = snapshot.discussion_groups();
        notice.groups.set_visibility(snapshot.comment_visibility());
        watchQueue.push(std::move(notice));
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
    code = runImportRoster(client, printer, inputFile);
  } else if (command == "ballot create") {
    code = runBallotCreate(client, printer, options);
  } else if (command == "ballot list") {
    code = runBallotList(client, printer);
  } else if (command.rfind("ballot ", 0) == 0 || command == "confirm") {
    code = runBallotAction(client, printer, options);
  } else if (command == "vote") {
    code = runVote(client, printer, options);
  } else if (command == "results") {
    code = runResults(client, printer, options);
  } else if (command == "committee") {
    code = runCommittee(client, printer, options);
  } else if (command == "progress") {
    code = runProgress(client, printer, options);
  } else if (command == "verify") {
    code = runVerify(client, printer, options);
  } else if (command == "rules") {
    code = runRules(client, printer, options);
  } else if (command == "export") {
    code = runExport(client, printer, options);
  } else if (command == "enroll") {
    const bool terminal = &printer.err() == &std::cerr && ::isatty(STDERR_FILENO) == 1;
    code = runEnroll(client, printer, options, hello->max_frame_bytes(), terminal);
  } else if (command == "faces") {
    code = runFaces(client, printer);
  } else if (command == "roll-call") {
    code = runRollCall(client, printer, options);
  } else if (command == "sitting start" || command == "sitting end") {
    code = runSitting(client, printer, options);
  } else if (command == "attendance-log") {
    code = runAttendanceLog(client, printer, options);
  } else if (command == "face-thumbnail") {
    code = runFaceThumbnail(client, printer, options);
  } else if (command == "doc add") {
    code = runDocAdd(client, printer, options, inputFile, hello->max_frame_bytes());
  } else if (command == "doc update") {
    code = runDocUpdate(client, printer, options, inputFile, hello->max_frame_bytes());
  } else if (command == "doc list") {
    code = runDocList(client, printer);
  } else if (command == "doc show") {
    code = runDocShow(client, printer, options);
  } else if (command == "doc diff") {
    code = runDocDiff(client, printer, options);
  } else if (command == "doc search") {
    code = runDocSearch(client, printer, options);
  } else if (command == "doc ask") {
    code = runDocAsk(client, printer, options);
  } else if (command == "doc get") {
    code = runDocGet(client, printer, options);
  } else if (command == "doc open") {
    code = runDocOpen(client, printer, options);
  } else if (command == "doc readers") {
    code = runDocReaders(client, printer, options);
  } else if (command == "doc comment") {
    code = runDocComment(client, printer, options, signedIn.value());
  } else if (command == "doc reply") {
    code = runDocReply(client, printer, options, signedIn.value());
  } else if (command == "doc comments") {
    code = runDocComments(client, printer, options, signedIn.value());
  } else if (command == "doc mark") {
    code = runDocMark(client, printer, options, signedIn.value());
  } else if (command == "doc compile") {
    code = runDocCompile(client, printer, options);
  } else if (command == "doc approve" || command == "doc decline") {
    code = runDocDecide(client, printer, options, command == "doc approve");
  } else if (command == "groups set") {
    code = runGroupsSet(client, printer, options, signedIn.value());
  } else if (command == "groups list") {
    code = runGroupsList(client, printer);
  } else if (command == "watch") {
    StopSignals stopSignals;
    watching = true;
    code = runWatch(client, printer, options, watchQueue, snapshotGroups(signedIn.value()));
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
