#pragma once
// Command line of `daihoi`: global options may appear before or after the command.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/exit_codes.hpp"
#include "client/credential.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

inline constexpr const char* kDefaultUrl = "ws://127.0.0.1:8443/ws";

// `doc add --audience`: everyone (the default), or some delegations and roles. Delegations are
// named as typed (a name or an id); the roster resolves them when the command runs.
struct DocumentReaders {
  bool everyone = false;
  std::vector<std::string> delegations;
  std::vector<daihoi::v1::Role> roles;
};

// `groups set`: one "NAME=DELEGATION,DELEGATION" as typed; the roster resolves the delegations
// (by name, any letter case, or id) when the command runs.
struct DiscussionGroupSpec {
  std::string name;
  std::vector<std::string> delegations;
};

struct CliOptions {
  std::string url = kDefaultUrl;
  bool json = false;
  bool insecure = false;
  std::string caFile;
  std::chrono::milliseconds timeout{5000};
  bool help = false;

  // Credential sources; resolveCredential() checks that exactly one is complete.
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> passwordFile;
  std::optional<std::string> delegateCode;
  std::optional<std::string> pin;
  std::optional<std::string> badge;
  std::optional<std::string> deviceToken;
  std::optional<std::string> credentialsFile;
  std::optional<std::string> asName;

  // whoami, congress, roster, attendance, check-in, check-out, import-roster, watch, "ballot create",
  // "ballot list", "ballot open", "ballot close", "ballot publish", "ballot cancel", "ballot runoff",
  // vote, results, confirm, committee, progress, verify, rules, export, enroll, faces, roll-call,
  // "sitting start", "sitting end", attendance-log, face-thumbnail, "doc add", "doc update", "doc list",
  // "doc show", "doc diff", "doc search", "doc ask", "doc get", "doc open", "doc readers", "doc comment",
  // "doc reply", "doc comments", "doc mark", "doc compile", "doc approve", "doc decline", "groups set",
  // "groups list"
  std::string command;
  std::optional<std::uint32_t> ballotId;  // commands whose first argument is a ballot ID
  std::vector<std::string> arguments;     // positional arguments after the command and the ballot ID
  std::optional<std::string> delegation;  // roster
  std::optional<std::string> reason;      // check-in, check-out, ballot cancel
  std::optional<std::uint64_t> count;     // watch
  std::optional<std::chrono::milliseconds> duration;  // watch --for
  std::optional<daihoi::v1::BallotDefinition> ballotDraft;  // ballot create: fields left unset take the congress's rules
  std::optional<std::chrono::milliseconds> openFor;   // ballot open --duration
  bool none = false;                                  // vote --none (keep nobody), committee --none (dissolve)
  std::optional<daihoi::v1::RulePreset> preset;       // rules --preset
  std::optional<std::string> outFile;                 // export --out, face-thumbnail --out
  bool replace = false;                               // enroll --replace
  std::optional<std::string> note;                    // roll-call --note
  std::optional<std::string> sittingTitle;            // sitting start TITLE (the words joined by spaces)
  // attendance-log: --delegate CODE (a filter here, not a credential), --sitting N, --from/--to
  // as Unix milliseconds (--to exclusive), --csv FILE
  std::optional<std::string> logDelegate;
  std::optional<std::uint32_t> sittingId;
  std::optional<std::int64_t> fromMs;
  std::optional<std::int64_t> toMs;
  std::optional<std::string> csvFile;
  std::optional<std::uint64_t> attendanceId;          // face-thumbnail ID
  bool attempt = false;                               // face-thumbnail --attempt: ID is a failed attempt's seq
  // doc: the document ID (update, show, diff), the FILE (add, update), the title, kind and readers
  // of a new document (its version note is --note), the version to show and the versions to compare
  // (0 or unset: the server's default, the newest and the one before it).
  std::optional<std::uint32_t> documentId;
  std::optional<std::string> documentFile;
  std::optional<std::string> documentTitle;
  std::optional<daihoi::v1::DocumentKind> documentKind;
  std::optional<DocumentReaders> readers;
  std::optional<std::uint32_t> version;
  std::optional<std::uint32_t> fromVersion;
  std::optional<std::uint32_t> toVersion;
  // doc search / doc ask: the words (joined by spaces), --doc ID (repeatable), --kind (repeatable,
  // search), --limit, --offset (search).
  std::optional<std::string> query;
  std::vector<std::uint32_t> documentIds;
  std::vector<daihoi::v1::DocumentKind> documentKinds;
  std::optional<std::uint32_t> limit;
  std::optional<std::uint32_t> offset;
  // doc get: -o FILE ("-": stdout), --force (overwrite). doc compile: --format, -o FILE.
  bool force = false;
  std::optional<daihoi::v1::ExportFormat> exportFormat;
  // doc readers --missing: only those who have not opened the newest version.
  bool missing = false;
  // doc comment: the paragraph as an id ("p…") or a number ("§12", "12"), the text, --range, --reply-to;
  // doc reply / doc mark: the comment; doc mark: the mark.
  std::optional<std::string> paragraphId;
  std::optional<std::uint32_t> paragraphNumber;
  std::optional<std::string> commentText;
  std::optional<daihoi::v1::TextRange> range;
  std::optional<std::uint64_t> commentId;  // doc reply, doc mark, doc comment --reply-to
  std::optional<daihoi::v1::CommentMark> mark;
  // groups set: the groups (none with --none), --visibility.
  std::vector<DiscussionGroupSpec> groups;
  std::optional<daihoi::v1::CommentVisibility> visibility;
};

// --from/--to of attendance-log: "2025-12-02", "2025-12-02T08:30", "2025-12-02 08:30:15",
// fractions of a second, and "Z" or an offset ("+07:00", "+0700"); without one, local time.
// A date alone is the start of that day, or with `endOfDay` the start of the next day (the
// server's upper bound is exclusive, so "--to 2025-12-02" includes the whole of that day).
std::optional<std::int64_t> parseIsoTime(std::string_view text, bool endOfDay);

// `args` excludes the program name. `environmentUrl` is $DAIHOI_URL when set.
std::variant<CliOptions, CliError> parseArguments(const std::vector<std::string>& args,
                                                  std::optional<std::string> environmentUrl);

// Reads --password-file / --credentials files as needed.
std::variant<client::Credential, CliError> resolveCredential(const CliOptions& options);

std::string usageText();

}  // namespace daihoi::cli
