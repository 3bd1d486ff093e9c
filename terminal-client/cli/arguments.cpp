#include "cli/arguments.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string_view>

#include "cli/credentials_file.hpp"
#include "cli/doc_output.hpp"
#include "cli/text.hpp"
#include "client/server_url.hpp"

namespace daihoi::cli {
namespace {

namespace v1 = daihoi::v1;

inline constexpr std::size_t kAnyNumber = SIZE_MAX;

struct CommandSpec {
  std::string_view name;
  bool ballotId;                          // the first positional argument is a ballot ID
  std::size_t minArguments;               // positional arguments after the ID
  std::size_t maxArguments;
  std::string_view synopsis;              // for messages
  std::vector<std::string_view> options;  // command-specific options and flags it accepts
};

const std::vector<std::string_view> kBallotCreateOptions = {
    "--kind", "--mode",     "--title",         "--agenda",          "--option",       "--candidate",
    "--seats", "--min",     "--max",           "--duration",        "--allow-changes", "--majority",
    "--participation", "--no-quorum-check", "--confirmation", "--no-confirmation"};

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> specs = {
      {"whoami", false, 0, 0, "whoami", {}},
      {"congress", false, 0, 0, "congress", {}},
      {"roster", false, 0, 0, "roster [--delegation NAME]", {"--delegation"}},
      {"attendance", false, 0, 0, "attendance", {}},
      {"check-in", false, 0, kAnyNumber, "check-in CODE... [--delegation NAME] --reason TEXT", {"--reason", "--delegation"}},
      {"check-out", false, 1, 1, "check-out CODE --reason TEXT", {"--reason"}},
      {"import-roster", false, 1, 1, "import-roster FILE.csv", {}},
      {"watch", false, 0, 0, "watch [--count N] [--for SECONDS]", {"--count", "--for"}},
      {"ballot create", false, 0, 0, "ballot create --kind KIND --mode MODE --title TEXT ...", kBallotCreateOptions},
      {"ballot list", false, 0, 0, "ballot list", {}},
      {"ballot open", true, 0, 0, "ballot open ID [--duration SECONDS]", {"--duration"}},
      {"ballot close", true, 0, 0, "ballot close ID", {}},
      {"ballot publish", true, 0, 0, "ballot publish ID", {}},
      {"ballot cancel", true, 0, 0, "ballot cancel ID --reason TEXT", {"--reason"}},
      {"ballot runoff", true, 0, 0, "ballot runoff ID", {}},
      {"vote", true, 0, kAnyNumber, "vote ID CHOICE... | vote ID --none", {"--none"}},
      {"results", true, 0, 0, "results ID", {}},
      {"confirm", true, 0, 0, "confirm ID", {}},
      {"committee", false, 0, kAnyNumber, "committee [CODE... | --none]", {"--none"}},
      {"progress", true, 0, 0, "progress ID", {}},
      {"verify", true, 1, 1, "verify ID RECEIPT", {}},
      {"rules", false, 0, 0, "rules [--preset party-statute|generic]", {"--preset"}},
      {"export", true, 0, 0, "export ID [--out FILE]", {"--out"}},
      {"enroll", false, 1, 1, "enroll DIR [--replace]", {"--replace"}},
      {"faces", false, 0, 0, "faces", {}},
      {"roll-call", false, 0, 0, "roll-call [--note TEXT]", {"--note"}},
      {"sitting start", false, 1, kAnyNumber, "sitting start TITLE", {}},
      {"sitting end", false, 0, 0, "sitting end", {}},
      {"attendance-log", false, 0, 0,
       "attendance-log [--delegate CODE] [--sitting N] [--from ISO] [--to ISO] [--csv FILE]",
       {"--sitting", "--from", "--to", "--csv"}},
      {"face-thumbnail", false, 1, 1, "face-thumbnail ID [--attempt] --out FILE", {"--out", "--attempt"}},
      {"doc add", false, 1, 1, "doc add FILE --title TEXT --kind KIND [--audience WHO]... [--note TEXT]",
       {"--title", "--kind", "--audience", "--note"}},
      {"doc update", false, 2, 2, "doc update ID FILE --note TEXT", {"--note"}},
      {"doc list", false, 0, 0, "doc list", {}},
      {"doc show", false, 1, 1, "doc show ID [--version N]", {"--version"}},
      {"doc diff", false, 1, 1, "doc diff ID [--from N] [--to N]", {"--from", "--to"}},
      {"doc search", false, 1, kAnyNumber, "doc search QUERY [--doc ID]... [--kind KIND]... [--limit N] [--offset N]",
       {"--doc", "--kind", "--limit", "--offset"}},
      {"doc ask", false, 1, kAnyNumber, "doc ask QUESTION [--doc ID]... [--limit N]", {"--doc", "--limit"}},
      {"doc get", false, 1, 1, "doc get ID [--version N] [-o FILE] [--force]", {"--version", "-o", "--out", "--force"}},
      {"doc open", false, 1, 1, "doc open ID [--version N]", {"--version"}},
      {"doc readers", false, 1, 1, "doc readers ID [--missing]", {"--missing"}},
      {"doc comment", false, 2, 3,
       "doc comment ID PARAGRAPH TEXT [--version N] [--range BEGIN:END] | doc comment ID TEXT --reply-to COMMENT",
       {"--version", "--range", "--reply-to"}},
      {"doc reply", false, 2, 2, "doc reply COMMENT TEXT [--doc ID]", {"--doc"}},
      {"doc comments", false, 1, 1, "doc comments ID", {}},
      {"doc mark", false, 2, 2, "doc mark COMMENT accepted|noted|not-accepted|none [--note TEXT]", {"--note"}},
      {"doc compile", false, 1, 1, "doc compile ID [--format csv|md] [-o FILE]", {"--format", "-o", "--out"}},
      {"doc approve", false, 1, 1, "doc approve ID [--audience WHO]... [--note TEXT]", {"--audience", "--note"}},
      {"doc decline", false, 1, 1, "doc decline ID --note TEXT", {"--note"}},
      {"groups set", false, 0, kAnyNumber,
       "groups set \"NAME=DELEGATION,DELEGATION\"... [--visibility group|all-delegates|secretariat] | "
       "groups set --none",
       {"--visibility", "--none"}},
      {"groups list", false, 0, 0, "groups list", {}},
  };
  return specs;
}

const std::vector<std::string_view> kBallotSubcommands = {"create", "list", "open", "close", "publish", "cancel",
                                                          "runoff"};
const std::vector<std::string_view> kSittingSubcommands = {"start", "end"};
const std::vector<std::string_view> kDocSubcommands = {"add",    "update", "list",     "show",  "diff",
                                                       "search", "ask",    "get",      "open",  "readers",
                                                       "comment", "reply", "comments", "mark",  "compile",
                                                       "approve", "decline"};
const std::vector<std::string_view> kGroupsSubcommands = {"set", "list"};
constexpr std::string_view kDocSubcommandList =
    "add, update, list, show, diff, search, ask, get, open, readers, comment, reply, comments, mark, compile, approve "
    "or decline";

const std::vector<std::string_view> kValueOptions = {
    "--url",    "--user",  "--password", "--password-file", "--delegate", "--pin",       "--badge",
    "--device-token", "--credentials", "--as", "--ca",      "--timeout",  "--delegation", "--reason",
    "--count",  "--for",   "--kind",     "--mode",          "--title",    "--agenda",    "--option",
    "--candidate", "--seats", "--min",   "--max",           "--duration", "--majority",  "--participation",
    "--preset", "--out",   "--note",     "--sitting",       "--from",     "--to",        "--csv",
    "--audience", "--version", "--doc", "--limit", "--offset", "--range", "--reply-to", "--format", "--visibility",
    "-o"};
const std::vector<std::string_view> kFlagOptions = {"--json", "--insecure", "--help", "-h"};
const std::vector<std::string_view> kCommandFlags = {"--allow-changes", "--no-quorum-check", "--confirmation",
                                                     "--no-confirmation", "--none", "--replace", "--attempt",
                                                     "--force", "--missing"};
const std::vector<std::string_view> kCommandOptions = {
    "--delegation", "--reason",   "--count",      "--for",           "--kind",     "--mode",   "--title",
    "--agenda",     "--option",   "--candidate",  "--seats",         "--min",      "--max",    "--duration",
    "--majority",   "--participation", "--preset", "--out",          "--allow-changes", "--no-quorum-check",
    "--confirmation", "--no-confirmation", "--none", "--replace", "--attempt", "--note", "--sitting", "--from", "--to",
    "--csv", "--audience", "--version", "--doc", "--limit", "--offset", "--range", "--reply-to", "--format",
    "--visibility", "-o", "--force", "--missing"};

bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool isBlank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::uint64_t> parseNumber(std::string_view text, std::uint64_t min, std::uint64_t max) {
  if (!allDigits(text) || text.size() > 19) {
    return std::nullopt;
  }
  const std::uint64_t value = std::stoull(std::string(text));
  if (value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint64_t> parsePositive(std::string_view text, std::uint64_t max) {
  return parseNumber(text, 1, max);
}

// Seconds as "30" or "2.5", more than 0 and at most `maxSeconds`.
std::optional<std::chrono::milliseconds> parseSeconds(std::string_view text, double maxSeconds) {
  if (text.empty() || text.size() > 12 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) ||
      std::count(text.begin(), text.end(), '.') > 1 || text.front() == '.' || text.back() == '.') {
    return std::nullopt;
  }
  const double seconds = std::stod(std::string(text));
  if (!(seconds > 0.0) || seconds > maxSeconds) {
    return std::nullopt;
  }
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(seconds * 1000.0))};
}

constexpr double kWeekSeconds = 7 * 24 * 3600.0;

// The server keeps a ballot open for at most 30 days.
std::optional<std::chrono::milliseconds> parseBallotDuration(std::string_view text) {
  return parseSeconds(text, 30 * 24 * 3600.0);
}

std::string durationProblem(std::string_view text) {
  return "--duration needs seconds, more than 0 and at most 30 days, not \"" + std::string(text) + "\"";
}

// "N/D" with 0 < D and N <= D, as the server requires of every share.
std::optional<v1::Fraction> parseFraction(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  auto numerator = parseNumber(text.substr(0, slash), 0, UINT32_MAX);
  auto denominator = parseNumber(text.substr(slash + 1), 1, UINT32_MAX);
  if (!numerator || !denominator || *numerator > *denominator) {
    return std::nullopt;
  }
  v1::Fraction fraction;
  fraction.set_numerator(static_cast<std::uint32_t>(*numerator));
  fraction.set_denominator(static_cast<std::uint32_t>(*denominator));
  return fraction;
}

// BASE:THRESHOLD:N/D, e.g. "summoned:more-than:1/2".
std::optional<v1::MajorityRule> parseMajority(std::string_view text) {
  const std::size_t first = text.find(':');
  const std::size_t second = first == std::string_view::npos ? first : text.find(':', first + 1);
  if (second == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view base = text.substr(0, first);
  const std::string_view threshold = text.substr(first + 1, second - first - 1);
  auto fraction = parseFraction(text.substr(second + 1));
  if (!fraction) {
    return std::nullopt;
  }
  v1::MajorityRule rule;
  if (base == "votes-cast") {
    rule.set_base(v1::MAJORITY_BASE_VOTES_CAST);
  } else if (base == "valid-ballots") {
    rule.set_base(v1::MAJORITY_BASE_VALID_BALLOTS);
  } else if (base == "present-eligible") {
    rule.set_base(v1::MAJORITY_BASE_PRESENT_ELIGIBLE);
  } else if (base == "summoned") {
    rule.set_base(v1::MAJORITY_BASE_SUMMONED);
  } else {
    return std::nullopt;
  }
  if (threshold == "more-than") {
    rule.set_threshold(v1::THRESHOLD_MORE_THAN);
  } else if (threshold == "at-least") {
    rule.set_threshold(v1::THRESHOLD_AT_LEAST);
  } else {
    return std::nullopt;
  }
  *rule.mutable_fraction() = *fraction;
  return rule;
}

// The options of `ballot create` as given; checked and turned into a draft once the command is known.
struct BallotCreateArguments {
  std::optional<std::string> kind;
  std::optional<std::string> mode;
  std::optional<std::string> title;
  std::optional<std::string> agenda;
  std::vector<std::string> options;
  std::vector<std::string> candidates;
  std::optional<std::string> seats;
  std::optional<std::string> min;
  std::optional<std::string> max;
  std::optional<std::string> majority;
  std::optional<std::string> participation;
  bool allowChanges = false;
  bool noQuorumCheck = false;
  bool confirmation = false;
  bool noConfirmation = false;
};

std::variant<v1::BallotDefinition, CliError> ballotDraft(const BallotCreateArguments& in,
                                                        const std::optional<std::string>& durationText) {
  v1::BallotDefinition draft;
  if (!in.kind) {
    return usageError("ballot create needs --kind motion|election|multiple-choice");
  }
  if (*in.kind == "motion") {
    draft.set_kind(v1::BALLOT_KIND_MOTION);
  } else if (*in.kind == "election") {
    draft.set_kind(v1::BALLOT_KIND_ELECTION);
  } else if (*in.kind == "multiple-choice") {
    draft.set_kind(v1::BALLOT_KIND_MULTIPLE_CHOICE);
  } else {
    return usageError("--kind is motion, election or multiple-choice, not \"" + *in.kind + "\"");
  }
  if (!in.mode) {
    return usageError("ballot create needs --mode named|secret");
  }
  if (*in.mode == "named") {
    draft.set_mode(v1::BALLOT_MODE_NAMED);
  } else if (*in.mode == "secret") {
    draft.set_mode(v1::BALLOT_MODE_SECRET);
  } else {
    return usageError("--mode is named or secret, not \"" + *in.mode + "\"");
  }
  if (!in.title || isBlank(*in.title)) {
    return usageError("ballot create needs --title TEXT");
  }
  draft.set_title(*in.title);
  if (in.agenda) {
    draft.set_agenda_item(*in.agenda);
  }
  const bool election = draft.kind() == v1::BALLOT_KIND_ELECTION;
  const bool motion = draft.kind() == v1::BALLOT_KIND_MOTION;
  if (election && !in.options.empty()) {
    return usageError("an election lists its candidates with --candidate NAME, not --option");
  }
  if (!election && !in.candidates.empty()) {
    return usageError("--candidate is for elections; other ballots list --option TEXT");
  }
  const std::vector<std::string>& choices = election ? in.candidates : in.options;
  if (std::any_of(choices.begin(), choices.end(), [](const std::string& choice) { return isBlank(choice); })) {
    return usageError(election ? "a --candidate name is empty" : "an --option text is empty");
  }
  if (election && choices.empty()) {
    return usageError("an election needs at least one --candidate NAME");
  }
  if (motion && choices.size() == 1) {
    return usageError("a motion needs at least two --option (none gives Tán thành / Không tán thành / Không biểu quyết)");
  }
  if (draft.kind() == v1::BALLOT_KIND_MULTIPLE_CHOICE && choices.size() < 2) {
    return usageError("a multiple-choice ballot needs at least two --option");
  }
  for (const std::string& choice : choices) {
    draft.add_options(choice);
  }
  if (in.seats) {
    if (!election) {
      return usageError("--seats is for elections");
    }
    auto seats = parsePositive(*in.seats, choices.size());
    if (!seats) {
      return usageError("--seats needs a number from 1 to the number of candidates (" +
                        std::to_string(choices.size()) + "), not \"" + *in.seats + "\"");
    }
    draft.set_seats(static_cast<std::uint32_t>(*seats));
  }
  if ((in.min || in.max) && draft.kind() != v1::BALLOT_KIND_MULTIPLE_CHOICE) {
    return usageError("--min and --max are for multiple-choice ballots (a motion takes one option, an election up to --seats)");
  }
  if (in.min) {
    auto min = parseNumber(*in.min, 0, choices.size());
    if (!min) {
      return usageError("--min needs a number from 0 to the number of options, not \"" + *in.min + "\"");
    }
    draft.set_min_selections(static_cast<std::uint32_t>(*min));
  }
  if (in.max) {
    auto max = parsePositive(*in.max, choices.size());
    if (!max) {
      return usageError("--max needs a number from 1 to the number of options, not \"" + *in.max + "\"");
    }
    draft.set_max_selections(static_cast<std::uint32_t>(*max));
  }
  // Unset limits are one option each on the server.
  if (draft.kind() == v1::BALLOT_KIND_MULTIPLE_CHOICE &&
      (draft.has_min_selections() ? draft.min_selections() : 1) >
          (draft.has_max_selections() ? draft.max_selections() : 1)) {
    return usageError("--min cannot be more than --max (each is 1 when not given)");
  }
  if (durationText) {
    auto duration = parseBallotDuration(*durationText);
    if (!duration) {
      return usageError(durationProblem(*durationText));
    }
    draft.set_duration_ms(static_cast<std::uint64_t>(duration->count()));
  }
  if (in.allowChanges) {
    if (draft.mode() == v1::BALLOT_MODE_SECRET) {
      return usageError("--allow-changes is for named ballots: a secret ballot cannot be found again to change it");
    }
    draft.set_allow_changes(true);
  }
  if (in.majority) {
    auto rule = parseMajority(*in.majority);
    if (!rule) {
      return usageError("--majority is BASE:THRESHOLD:N/D with BASE votes-cast, valid-ballots, present-eligible or "
                        "summoned and THRESHOLD more-than or at-least (e.g. summoned:more-than:1/2), not \"" +
                        *in.majority + "\"");
    }
    *draft.mutable_majority() = *rule;
  }
  if (in.participation) {
    auto fraction = parseFraction(*in.participation);
    if (!fraction) {
      return usageError("--participation needs a share N/D with N <= D, not \"" + *in.participation + "\"");
    }
    *draft.mutable_participation_quorum() = *fraction;
  }
  if (in.noQuorumCheck) {
    draft.set_require_congress_quorum(false);
  }
  if (in.confirmation && in.noConfirmation) {
    return usageError("--confirmation and --no-confirmation exclude each other");
  }
  if (in.confirmation || in.noConfirmation) {
    draft.set_confirmation_required(in.confirmation);
  }
  return draft;
}

// attendance-log --from/--to: ISO times; --to is exclusive, so a date alone means the end of that day.
std::optional<CliError> parseLogBound(std::string_view name, const std::optional<std::string>& text,
                                      std::optional<std::int64_t>& bound) {
  if (!text) {
    return std::nullopt;
  }
  bound = parseIsoTime(*text, name == "--to");
  if (!bound) {
    return usageError(std::string(name) + " needs a date or time like 2025-12-02, 2025-12-02T08:30 or "
                                          "2025-12-02T08:30:00+07:00, not \"" + *text + "\"");
  }
  return std::nullopt;
}

// doc diff --from/--to: version numbers.
std::optional<CliError> parseVersionBound(std::string_view name, const std::optional<std::string>& text,
                                          std::optional<std::uint32_t>& bound) {
  if (!text) {
    return std::nullopt;
  }
  auto number = parsePositive(*text, UINT32_MAX);
  if (!number) {
    return usageError(std::string(name) + " needs a version number (1, 2, ...), not \"" + *text + "\"");
  }
  bound = static_cast<std::uint32_t>(*number);
  return std::nullopt;
}

// "political-report, draft-resolution, ... or other"
std::string documentKindKeys() {
  std::vector<std::string_view> keys;
  for (int kind = v1::DocumentKind_MIN; kind <= v1::DocumentKind_MAX; ++kind) {
    if (v1::DocumentKind_IsValid(kind) && kind != v1::DOCUMENT_KIND_UNSPECIFIED) {
      keys.push_back(documentKindKey(static_cast<v1::DocumentKind>(kind)));
    }
  }
  std::string text;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == keys.size() ? " or " : ", ") + std::string(keys[i]);
  }
  return text;
}

std::optional<v1::DocumentKind> parseDocumentKind(std::string_view text) {
  for (int kind = v1::DocumentKind_MIN; kind <= v1::DocumentKind_MAX; ++kind) {
    if (v1::DocumentKind_IsValid(kind) && kind != v1::DOCUMENT_KIND_UNSPECIFIED &&
        documentKindKey(static_cast<v1::DocumentKind>(kind)) == text) {
      return static_cast<v1::DocumentKind>(kind);
    }
  }
  return std::nullopt;
}

// --audience everyone | delegation:NAME_OR_ID | role:chair|display|delegate, repeatable; none means everyone.
std::variant<DocumentReaders, CliError> parseReaders(const std::vector<std::string>& audiences) {
  DocumentReaders readers;
  readers.everyone = audiences.empty();
  constexpr std::string_view kDelegation = "delegation:";
  constexpr std::string_view kRole = "role:";
  for (const std::string& audience : audiences) {
    const std::string_view text = audience;
    if (text == "everyone") {
      readers.everyone = true;
    } else if (text.starts_with(kDelegation) && !isBlank(text.substr(kDelegation.size()))) {
      readers.delegations.emplace_back(text.substr(kDelegation.size()));
    } else if (text == "role:chair") {
      readers.roles.push_back(v1::ROLE_CHAIR);
    } else if (text == "role:display") {
      readers.roles.push_back(v1::ROLE_DISPLAY);
    } else if (text == "role:delegate") {
      readers.roles.push_back(v1::ROLE_DELEGATE);
    } else {
      return usageError("--audience is everyone, delegation:NAME_OR_ID or role:chair|display|delegate" +
                        std::string(text.starts_with(kRole) ? " (other roles read every document or none)" : "") +
                        ", not \"" + audience + "\"");
    }
  }
  return readers;
}

// What the command line of a document command says, checked before anything is sent.
struct DocumentArguments {
  std::optional<std::string> title;
  std::optional<std::string> kind;
  std::vector<std::string> kinds;  // every --kind (doc search)
  std::vector<std::string> audiences;
  bool audienceGiven = false;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> limit;
  std::optional<std::string> range;
};

constexpr std::size_t kMaxCommentBytes = 5000;  // the server's limit for a comment's text
constexpr std::uint32_t kMaxSearchHits = 100;   // SearchDocuments.limit
constexpr std::uint32_t kMaxPassages = 20;      // AskQuestion.limit

std::string joinWords(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

// PARAGRAPH of doc comment: an id ("p3fa9c01b2e", as `doc show --json` and `doc search` print it) or a
// number in the version ("§12" or "12").
std::optional<CliError> parseParagraph(CliOptions& options, const std::string& text) {
  constexpr std::string_view kSection = "§";
  std::string_view number = text;
  if (number.starts_with(kSection)) {
    number.remove_prefix(kSection.size());
  }
  if (allDigits(number)) {
    auto value = parsePositive(number, UINT32_MAX);
    if (!value) {
      return usageError("a paragraph number starts from 1, not \"" + text + "\"");
    }
    options.paragraphNumber = static_cast<std::uint32_t>(*value);
    return std::nullopt;
  }
  const bool id = text.size() >= 2 && text.size() <= 64 && text[0] == 'p' &&
                  std::all_of(text.begin() + 1, text.end(), [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
                  });
  if (!id) {
    return usageError("PARAGRAPH is a paragraph number (§12 or 12) or id (p…, from doc show --json or doc search), "
                      "not \"" + text + "\"");
  }
  options.paragraphId = text;
  return std::nullopt;
}

// --range BEGIN:END, bytes of the paragraph's text, END exclusive.
std::optional<CliError> parseRange(CliOptions& options, const std::string& text) {
  const std::size_t colon = text.find(':');
  auto begin = colon == std::string::npos ? std::nullopt : parseNumber(text.substr(0, colon), 0, UINT32_MAX);
  auto end = colon == std::string::npos ? std::nullopt : parseNumber(text.substr(colon + 1), 1, UINT32_MAX);
  if (!begin || !end || *begin >= *end) {
    return usageError("--range is BEGIN:END, bytes of the paragraph's text with BEGIN < END (e.g. 0:42), not \"" +
                      text + "\"");
  }
  v1::TextRange range;
  range.set_begin(static_cast<std::uint32_t>(*begin));
  range.set_end(static_cast<std::uint32_t>(*end));
  options.range = range;
  return std::nullopt;
}

std::optional<CliError> checkCommentText(const std::string& text) {
  if (isBlank(text)) {
    return usageError("the comment's TEXT is empty");
  }
  if (text.size() > kMaxCommentBytes) {
    return usageError("a comment has at most 5,000 bytes; this one has " + std::to_string(text.size()));
  }
  return std::nullopt;
}

std::optional<v1::CommentMark> parseMark(std::string_view text) {
  if (text == "accepted") return v1::COMMENT_MARK_ACCEPTED;
  if (text == "noted") return v1::COMMENT_MARK_NOTED;
  if (text == "not-accepted") return v1::COMMENT_MARK_NOT_ACCEPTED;
  if (text == "none") return v1::COMMENT_MARK_UNSPECIFIED;
  return std::nullopt;
}

std::optional<CliError> checkDocumentArguments(CliOptions& options, const DocumentArguments& in) {
  const std::string& command = options.command;
  static const std::vector<std::string_view> kDocumentFirst = {
      "doc update",   "doc show",    "doc diff",    "doc get",     "doc open",   "doc readers",
      "doc comment",  "doc comments", "doc compile", "doc approve", "doc decline"};
  std::size_t next = 0;
  if (contains(kDocumentFirst, command)) {
    auto id = parsePositive(options.arguments.at(0), UINT32_MAX);
    if (!id) {
      return usageError("a document ID is a positive number (see daihoi doc list), not \"" + options.arguments.at(0) +
                        "\"");
    }
    options.documentId = static_cast<std::uint32_t>(*id);
    next = 1;
  }
  if (command == "doc reply" || command == "doc mark") {
    auto id = parsePositive(options.arguments.at(0), UINT64_MAX / 2);
    if (!id) {
      return usageError("a comment number is a positive number (see daihoi doc comments), not \"" +
                        options.arguments.at(0) + "\"");
    }
    options.commentId = *id;
    next = 1;
  }
  if (command == "doc add" || command == "doc update") {
    options.documentFile = options.arguments.at(next);
  }
  if (command == "doc add") {
    if (!in.title || isBlank(*in.title)) {
      return usageError("doc add needs --title TEXT");
    }
    options.documentTitle = in.title;
    if (!in.kind) {
      return usageError("doc add needs --kind KIND: " + documentKindKeys());
    }
    options.documentKind = parseDocumentKind(*in.kind);
    if (!options.documentKind) {
      return usageError("--kind is " + documentKindKeys() + ", not \"" + *in.kind + "\"");
    }
    auto readers = parseReaders(in.audiences);
    if (auto* error = std::get_if<CliError>(&readers)) {
      return *error;
    }
    options.readers = std::get<DocumentReaders>(std::move(readers));
    if (options.note && isBlank(*options.note)) {
      return usageError("--note needs some text (or leave it out)");
    }
  }
  if (command == "doc update" && (!options.note || isBlank(*options.note))) {
    return usageError("doc update needs --note TEXT: what changed in this version");
  }
  if (auto error = parseVersionBound("--from", in.from, options.fromVersion)) {
    return error;
  }
  if (auto error = parseVersionBound("--to", in.to, options.toVersion)) {
    return error;
  }
  if (options.fromVersion && options.toVersion && *options.fromVersion >= *options.toVersion) {
    return usageError("--from must be an older version than --to");
  }
  if (command == "doc search" || command == "doc ask") {
    options.query = joinWords(options.arguments);
    if (isBlank(*options.query)) {
      return usageError(command == "doc search" ? "doc search needs the words to find" : "doc ask needs a QUESTION");
    }
    if (options.query->size() > 1000) {
      return usageError("at most 1,000 bytes of words to search for");
    }
    for (const std::string& kind : in.kinds) {
      auto parsed = parseDocumentKind(kind);
      if (!parsed) {
        return usageError("--kind is " + documentKindKeys() + ", not \"" + kind + "\"");
      }
      options.documentKinds.push_back(*parsed);
    }
    if (in.limit) {
      const std::uint32_t max = command == "doc search" ? kMaxSearchHits : kMaxPassages;
      auto limit = parsePositive(*in.limit, max);
      if (!limit) {
        return usageError("--limit needs a number from 1 to " + std::to_string(max) + ", not \"" + *in.limit + "\"");
      }
      options.limit = static_cast<std::uint32_t>(*limit);
    }
  }
  if (command == "doc comment") {
    const bool reply = options.commentId.has_value();
    if (options.arguments.size() == 2 && !reply) {
      return usageError("doc comment needs PARAGRAPH and TEXT: doc comment ID PARAGRAPH TEXT (a reply, with "
                        "--reply-to, may leave PARAGRAPH out)");
    }
    if (options.arguments.size() == 3) {
      if (auto error = parseParagraph(options, options.arguments[1])) {
        return error;
      }
    }
    options.commentText = options.arguments.back();
    if (auto error = checkCommentText(*options.commentText)) {
      return error;
    }
    if (in.range) {
      if (reply) {
        return usageError("a reply is about its thread's passage: --range does not apply with --reply-to");
      }
      if (auto error = parseRange(options, *in.range)) {
        return error;
      }
    }
    if (reply && options.version) {
      return usageError("a reply is on its thread's version: --version does not apply with --reply-to");
    }
  }
  if (command == "doc reply") {
    if (options.documentIds.size() > 1) {
      return usageError("doc reply takes at most one --doc ID: the document of the comment");
    }
    options.commentText = options.arguments.at(1);
    if (auto error = checkCommentText(*options.commentText)) {
      return error;
    }
  }
  if (command == "doc mark") {
    options.mark = parseMark(options.arguments.at(1));
    if (!options.mark) {
      return usageError("the mark is accepted (tiếp thu), noted (ghi nhận), not-accepted (không tiếp thu) or none, "
                        "not \"" + options.arguments.at(1) + "\"");
    }
  }
  if ((command == "doc mark" || command == "doc approve") && options.note && isBlank(*options.note)) {
    return usageError("--note needs some text (or leave it out)");
  }
  if (command == "doc decline" && (!options.note || isBlank(*options.note))) {
    return usageError("doc decline needs --note TEXT: why the contribution is not presented (its author reads it)");
  }
  if (command == "doc approve" && in.audienceGiven) {
    auto readers = parseReaders(in.audiences);
    if (auto* error = std::get_if<CliError>(&readers)) {
      return *error;
    }
    options.readers = std::get<DocumentReaders>(std::move(readers));
  }
  if (command == "doc compile" && options.outFile && !options.exportFormat) {
    return usageError("-o FILE writes the export: give --format csv or --format md too");
  }
  if ((command == "doc get" || command == "doc compile") && options.outFile && options.outFile->empty()) {
    return usageError("-o needs a file name (or - for the standard output)");
  }
  return std::nullopt;
}

// groups set: "NAME=DELEGATION,DELEGATION" each, or --none; --visibility alone keeps the groups.
std::optional<CliError> checkGroupArguments(CliOptions& options) {
  if (options.none && !options.arguments.empty()) {
    return usageError("groups set --none removes every group: give no group with it");
  }
  if (!options.none && options.arguments.empty() && !options.visibility) {
    return usageError("usage: daihoi groups set \"Tổ 1=Đoàn A,Đoàn B\" \"Tổ 2=Đoàn C\" [--visibility "
                      "group|all-delegates|secretariat] (or --visibility alone to keep the groups, --none to remove "
                      "them)");
  }
  std::vector<std::string> names;
  for (const std::string& argument : options.arguments) {
    const std::size_t equals = argument.find('=');
    DiscussionGroupSpec group;
    const auto trim = [](std::string_view text) {
      const std::size_t first = text.find_first_not_of(" \t");
      const std::size_t last = text.find_last_not_of(" \t");
      return first == std::string_view::npos ? std::string() : std::string(text.substr(first, last - first + 1));
    };
    if (equals == std::string::npos) {
      return usageError("a group is \"NAME=DELEGATION,DELEGATION\" (e.g. \"Tổ 1=Đoàn Hà Nội,Đoàn Hải Phòng\"), not \"" +
                        argument + "\"");
    }
    group.name = trim(std::string_view(argument).substr(0, equals));
    if (group.name.empty()) {
      return usageError("a group needs a name before '=': \"" + argument + "\"");
    }
    const std::string folded = foldCase(group.name);
    if (std::find(names.begin(), names.end(), folded) != names.end()) {
      return usageError("two groups are named \"" + group.name + "\"");
    }
    names.push_back(folded);
    std::string_view rest = std::string_view(argument).substr(equals + 1);
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string delegation = trim(rest.substr(0, comma));
      if (delegation.empty()) {
        return usageError("group \"" + group.name + "\" names an empty delegation: \"" + argument +
                          "\" (delegations by name or number, separated by commas)");
      }
      group.delegations.push_back(delegation);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    options.groups.push_back(std::move(group));
  }
  return std::nullopt;
}

std::variant<std::string, CliError> readWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
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

std::optional<std::int64_t> parseIsoTime(std::string_view text, bool endOfDay) {
  std::size_t pos = 0;
  // Reads exactly `digits` decimal digits.
  const auto number = [&](std::size_t digits) -> std::optional<int> {
    if (pos + digits > text.size()) {
      return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      value = value * 10 + (c - '0');
    }
    pos += digits;
    return value;
  };
  const auto expect = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  auto year = number(4);
  if (!year || !expect('-')) {
    return std::nullopt;
  }
  auto month = number(2);
  if (!month || !expect('-')) {
    return std::nullopt;
  }
  auto day = number(2);
  if (!day || *year < 1970 || *month < 1 || *month > 12 || *day < 1) {
    return std::nullopt;
  }
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*day > kDaysInMonth[*month - 1] + (*month == 2 && leap ? 1 : 0)) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  int millis = 0;
  const bool dateOnly = pos == text.size();
  if (!dateOnly) {
    if (!expect('T') && !expect(' ')) {
      return std::nullopt;
    }
    auto hour = number(2);
    if (!hour || *hour > 23 || !expect(':')) {
      return std::nullopt;
    }
    auto minute = number(2);
    if (!minute || *minute > 59) {
      return std::nullopt;
    }
    tm.tm_hour = *hour;
    tm.tm_min = *minute;
    if (expect(':')) {
      auto second = number(2);
      if (!second || *second > 59) {
        return std::nullopt;
      }
      tm.tm_sec = *second;
      if (expect('.') || expect(',')) {
        const std::size_t start = pos;
        int scale = 100;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          millis += (text[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
        if (pos == start) {
          return std::nullopt;
        }
      }
    }
  }
  std::optional<int> offsetMinutes;  // east of UTC
  if (pos < text.size()) {
    if (dateOnly) {
      return std::nullopt;
    }
    if (expect('Z') || expect('z')) {
      offsetMinutes = 0;
    } else {
      const char sign = text[pos];
      if (sign != '+' && sign != '-') {
        return std::nullopt;
      }
      ++pos;
      auto hours = number(2);
      if (!hours) {
        return std::nullopt;
      }
      expect(':');
      auto minutes = number(2);
      if (!minutes || *hours > 14 || *minutes > 59) {
        return std::nullopt;
      }
      offsetMinutes = (sign == '-' ? -1 : 1) * (*hours * 60 + *minutes);
    }
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  if (dateOnly && endOfDay) {
    tm.tm_mday += 1;  // normalised by timegm/mktime
  }
  std::time_t seconds = 0;
  if (offsetMinutes) {
    seconds = timegm(&tm) - static_cast<std::time_t>(*offsetMinutes) * 60;
  } else {
    tm.tm_isdst = -1;
    seconds = std::mktime(&tm);
    if (seconds == static_cast<std::time_t>(-1)) {
      return std::nullopt;
    }
  }
  if (seconds < 0) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(seconds) * 1000 + millis;
}

std::variant<CliOptions, CliError> parseArguments(const std::vector<std::string>& args,
                                                  std::optional<std::string> environmentUrl) {
  CliOptions options;
  if (environmentUrl && !environmentUrl->empty()) {
    options.url = *environmentUrl;
  }
  std::vector<std::string> positionals;
  std::vector<std::string> commandOptionsSeen;
  BallotCreateArguments create;
  std::vector<std::string> audienceTexts;  // --audience of doc add
  DocumentArguments docArguments;          // what only the document commands read
  // Options whose meaning depends on the command, read once the command is known.
  std::optional<std::string> durationText;  // --duration of ballot create or ballot open
  std::optional<std::string> kindText;      // --kind of ballot create or doc add
  std::optional<std::string> titleText;     // --title of ballot create or doc add
  std::optional<std::string> fromText;      // --from, --to: times of attendance-log, versions of doc diff
  std::optional<std::string> toText;
  bool optionsEnded = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (const std::size_t equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    if (contains(kFlagOptions, name) || contains(kCommandFlags, name)) {
      if (value) {
        return usageError("option " + name + " takes no value");
      }
      if (contains(kCommandOptions, name)) {
        commandOptionsSeen.push_back(name);
      }
      if (name == "--json") {
        options.json = true;
      } else if (name == "--insecure") {
        options.insecure = true;
      } else if (name == "--allow-changes") {
        create.allowChanges = true;
      } else if (name == "--no-quorum-check") {
        create.noQuorumCheck = true;
      } else if (name == "--confirmation") {
        create.confirmation = true;
      } else if (name == "--no-confirmation") {
        create.noConfirmation = true;
      } else if (name == "--none") {
        options.none = true;
      } else if (name == "--replace") {
        options.replace = true;
      } else if (name == "--attempt") {
        options.attempt = true;
      } else if (name == "--force") {
        options.force = true;
      } else if (name == "--missing") {
        options.missing = true;
      } else {
        options.help = true;
      }
      continue;
    }
    if (!contains(kValueOptions, name)) {
      return usageError("unknown option " + name);
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return usageError("option " + name + " needs a value");
      }
      value = args[++i];
    }
    if (contains(kCommandOptions, name)) {
      commandOptionsSeen.push_back(name);
    }
    const std::string& v = *value;
    if (name == "--url") {
      options.url = v;
    } else if (name == "--user") {
      options.user = v;
    } else if (name == "--password") {
      options.password = v;
    } else if (name == "--password-file") {
      options.passwordFile = v;
    } else if (name == "--delegate") {
      options.delegateCode = v;
    } else if (name == "--pin") {
      options.pin = v;
    } else if (name == "--badge") {
      options.badge = v;
    } else if (name == "--device-token") {
      options.deviceToken = v;
    } else if (name == "--credentials") {
      options.credentialsFile = v;
    } else if (name == "--as") {
      options.asName = v;
    } else if (name == "--ca") {
      options.caFile = v;
    } else if (name == "--timeout") {
      auto ms = parsePositive(v, 3'600'000);
      if (!ms) {
        return usageError("--timeout needs milliseconds from 1 to 3600000, not \"" + v + "\"");
      }
      options.timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
    } else if (name == "--delegation") {
      options.delegation = v;
    } else if (name == "--reason") {
      options.reason = v;
    } else if (name == "--count") {
      options.count = parsePositive(v, UINT64_MAX / 2);
      if (!options.count) {
        return usageError("--count needs a positive number, not \"" + v + "\"");
      }
    } else if (name == "--for") {
      options.duration = parseSeconds(v, kWeekSeconds);
      if (!options.duration) {
        return usageError("--for needs a positive number of seconds, not \"" + v + "\"");
      }
    } else if (name == "--kind") {
      kindText = v;
      docArguments.kinds.push_back(v);
    } else if (name == "--mode") {
      create.mode = v;
    } else if (name == "--title") {
      titleText = v;
    } else if (name == "--agenda") {
      create.agenda = v;
    } else if (name == "--option") {
      create.options.push_back(v);
    } else if (name == "--candidate") {
      create.candidates.push_back(v);
    } else if (name == "--seats") {
      create.seats = v;
    } else if (name == "--min") {
      create.min = v;
    } else if (name == "--max") {
      create.max = v;
    } else if (name == "--duration") {
      durationText = v;
    } else if (name == "--majority") {
      create.majority = v;
    } else if (name == "--participation") {
      create.participation = v;
    } else if (name == "--preset") {
      if (v == "party-statute") {
        options.preset = v1::RULE_PRESET_PARTY_STATUTE;
      } else if (v == "generic") {
        options.preset = v1::RULE_PRESET_GENERIC;
      } else {
        return usageError("--preset is party-statute or generic, not \"" + v + "\"");
      }
    } else if (name == "--out" || name == "-o") {
      options.outFile = v;
    } else if (name == "--doc") {
      auto id = parsePositive(v, UINT32_MAX);
      if (!id) {
        return usageError("--doc needs a document ID (see daihoi doc list), not \"" + v + "\"");
      }
      options.documentIds.push_back(static_cast<std::uint32_t>(*id));
    } else if (name == "--limit") {
      docArguments.limit = v;
    } else if (name == "--offset") {
      auto offset = parseNumber(v, 0, UINT32_MAX);
      if (!offset) {
        return usageError("--offset needs a number of hits to skip (0, 20, ...), not \"" + v + "\"");
      }
      options.offset = static_cast<std::uint32_t>(*offset);
    } else if (name == "--range") {
      docArguments.range = v;
    } else if (name == "--reply-to") {
      auto id = parsePositive(v, UINT64_MAX / 2);
      if (!id) {
        return usageError("--reply-to needs a comment number (see daihoi doc comments), not \"" + v + "\"");
      }
      options.commentId = *id;
    } else if (name == "--format") {
      if (v == "csv") {
        options.exportFormat = v1::EXPORT_FORMAT_CSV;
      } else if (v == "md" || v == "markdown") {
        options.exportFormat = v1::EXPORT_FORMAT_MARKDOWN;
      } else {
        return usageError("--format is csv or md, not \"" + v + "\"");
      }
    } else if (name == "--visibility") {
      if (v == "group") {
        options.visibility = v1::COMMENT_VISIBILITY_GROUP;
      } else if (v == "all-delegates") {
        options.visibility = v1::COMMENT_VISIBILITY_ALL_DELEGATES;
      } else if (v == "secretariat") {
        options.visibility = v1::COMMENT_VISIBILITY_SECRETARIAT;
      } else {
        return usageError("--visibility is group, all-delegates or secretariat, not \"" + v + "\"");
      }
    } else if (name == "--note") {
      options.note = v;
    } else if (name == "--sitting") {
      auto id = parsePositive(v, UINT32_MAX);
      if (!id) {
        return usageError("--sitting needs a sitting number (1, 2, ...), not \"" + v + "\"");
      }
      options.sittingId = static_cast<std::uint32_t>(*id);
    } else if (name == "--from") {
      fromText = v;
    } else if (name == "--to") {
      toText = v;
    } else if (name == "--csv") {
      options.csvFile = v;
    } else if (name == "--audience") {
      audienceTexts.push_back(v);
      docArguments.audienceGiven = true;
    } else if (name == "--version") {
      auto number = parsePositive(v, UINT32_MAX);
      if (!number) {
        return usageError("--version needs a version number (1, 2, ...), not \"" + v + "\"");
      }
      options.version = static_cast<std::uint32_t>(*number);
    }
  }
  if (options.help) {
    return options;
  }
  if (positionals.empty()) {
    return usageError("no command given");
  }
  auto next = positionals.begin();
  options.command = *next++;
  if (options.command == "ballot") {
    if (next == positionals.end()) {
      return usageError("ballot needs a subcommand: create, list, open, close, publish, cancel or runoff");
    }
    if (!contains(kBallotSubcommands, *next)) {
      return usageError("unknown ballot subcommand \"" + *next +
                        "\"; use create, list, open, close, publish, cancel or runoff");
    }
    options.command += " " + *next++;
  } else if (options.command == "sitting") {
    if (next == positionals.end() || !contains(kSittingSubcommands, *next)) {
      return usageError(next == positionals.end() ? "sitting needs a subcommand: start TITLE or end"
                                                  : "unknown sitting subcommand \"" + *next + "\"; use start or end");
    }
    options.command += " " + *next++;
  } else if (options.command == "doc") {
    if (next == positionals.end() || !contains(kDocSubcommands, *next)) {
      return usageError(next == positionals.end()
                            ? "doc needs a subcommand: " + std::string(kDocSubcommandList)
                            : "unknown doc subcommand \"" + *next + "\"; use " + std::string(kDocSubcommandList));
    }
    options.command += " " + *next++;
  } else if (options.command == "groups") {
    if (next == positionals.end() || !contains(kGroupsSubcommands, *next)) {
      return usageError(next == positionals.end() ? "groups needs a subcommand: set or list"
                                                  : "unknown groups subcommand \"" + *next + "\"; use set or list");
    }
    options.command += " " + *next++;
  }
  auto spec = std::find_if(commands().begin(), commands().end(),
                           [&](const CommandSpec& c) { return c.name == options.command; });
  if (spec == commands().end()) {
    return usageError("unknown command \"" + options.command + "\"");
  }
  if (spec->ballotId) {
    if (next == positionals.end()) {
      return usageError(options.command + " needs a ballot ID: " + std::string(spec->synopsis));
    }
    auto id = parsePositive(*next, UINT32_MAX);
    if (!id) {
      return usageError("a ballot ID is a positive number, not \"" + *next + "\"");
    }
    options.ballotId = static_cast<std::uint32_t>(*id);
    ++next;
  }
  options.arguments.assign(next, positionals.end());
  const std::size_t given = options.arguments.size();
  if (given < spec->minArguments || given > spec->maxArguments) {
    if (spec->maxArguments == 0) {
      return usageError(options.command + " takes no " + (spec->ballotId ? "further " : "") +
                        "arguments: " + std::string(spec->synopsis));
    }
    return usageError("usage: daihoi " + std::string(spec->synopsis));
  }
  for (const auto& seen : commandOptionsSeen) {
    if (!contains(spec->options, seen)) {
      return usageError("option " + seen + " does not apply to " + options.command);
    }
  }
  if (options.command == "check-in" && options.arguments.empty() && !options.delegation) {
    return usageError("usage: daihoi check-in CODE... [--delegation NAME] --reason TEXT (codes, a delegation, or both)");
  }
  const bool needsReason =
      options.command == "check-in" || options.command == "check-out" || options.command == "ballot cancel";
  if (needsReason && (!options.reason || isBlank(*options.reason))) {
    return usageError(options.command + " needs --reason TEXT (" +
                      (options.command == "ballot cancel" ? "recorded with the cancellation)"
                                                          : "recorded with the attendance change)"));
  }
  if (options.command == "ballot create") {
    create.kind = kindText;
    create.title = titleText;
    auto draft = ballotDraft(create, durationText);
    if (auto* error = std::get_if<CliError>(&draft)) {
      return *error;
    }
    options.ballotDraft = std::move(std::get<v1::BallotDefinition>(draft));
  }
  if (options.command == "ballot open" && durationText) {
    options.openFor = parseBallotDuration(*durationText);
    if (!options.openFor) {
      return usageError(durationProblem(*durationText));
    }
  }
  if (options.command == "vote" && options.none == !options.arguments.empty()) {
    return usageError(options.none ? "vote ID --none takes no CHOICE: it keeps nobody"
                                   : "vote needs at least one CHOICE (an option number or label), or --none");
  }
  if (options.command == "committee" && options.none && !options.arguments.empty()) {
    return usageError("committee --none dissolves the committee: give no CODE with it");
  }
  if (options.command == "attendance-log" && options.delegateCode) {
    // Delegates may not read the log, so here --delegate CODE chooses whose entries to show.
    if (options.pin) {
      return usageError("attendance-log is for the chair, secretariat and organizers: --delegate CODE chooses whose "
                        "log to show, so --pin does not apply");
    }
    options.logDelegate = std::move(options.delegateCode);
    options.delegateCode.reset();
    if (isBlank(*options.logDelegate)) {
      return usageError("--delegate needs a delegate code");
    }
  }
  if (options.command == "attendance-log") {
    if (auto error = parseLogBound("--from", fromText, options.fromMs)) {
      return *error;
    }
    if (auto error = parseLogBound("--to", toText, options.toMs)) {
      return *error;
    }
  }
  if (options.fromMs && options.toMs && *options.toMs <= *options.fromMs) {
    return usageError("--to must be later than --from");
  }
  if (options.command == "sitting start") {
    std::string title;
    for (const std::string& word : options.arguments) {
      title += (title.empty() ? "" : " ") + word;
    }
    if (isBlank(title)) {
      return usageError("sitting start needs a TITLE, e.g. \"Phiên thứ nhất — sáng 02/12\"");
    }
    options.sittingTitle = title;
  }
  if (options.command == "roll-call" && options.note && isBlank(*options.note)) {
    return usageError("--note needs some text (or leave it out)");
  }
  if (options.command == "face-thumbnail") {
    options.attendanceId = parsePositive(options.arguments.at(0), UINT64_MAX / 2);
    if (!options.attendanceId) {
      return usageError("face-thumbnail needs the number of a face check-in from attendance-log, not \"" +
                        options.arguments.at(0) + "\"");
    }
    if (!options.outFile) {
      return usageError("face-thumbnail needs --out FILE (the JPEG to write)");
    }
  }
  if (options.command.starts_with("doc ")) {
    docArguments.title = titleText;
    docArguments.kind = kindText;
    docArguments.audiences = audienceTexts;
    docArguments.from = fromText;
    docArguments.to = toText;
    if (auto error = checkDocumentArguments(options, docArguments)) {
      return *error;
    }
  }
  if (options.command == "groups set") {
    if (auto error = checkGroupArguments(options)) {
      return *error;
    }
  }
  if (auto url = client::parseServerUrl(options.url); !url) {
    return usageError(url.error().message);
  }
  if (options.insecure && !options.caFile.empty()) {
    return usageError("--insecure and --ca exclude each other");
  }
  return options;
}

std::variant<client::Credential, CliError> resolveCredential(const CliOptions& options) {
  const int sources = (options.user || options.password || options.passwordFile ? 1 : 0) +
                      (options.delegateCode || options.pin ? 1 : 0) + (options.badge ? 1 : 0) +
                      (options.deviceToken ? 1 : 0) + (options.credentialsFile || options.asName ? 1 : 0);
  if (sources == 0) {
    return usageError(
        "no credential: use --user U --password P, --delegate CODE --pin PIN, --badge TOKEN, "
        "--device-token T or --credentials FILE --as NAME");
  }
  if (sources > 1) {
    return usageError("give only one kind of credential");
  }
  if (options.user || options.password || options.passwordFile) {
    if (!options.user) {
      return usageError("--password needs --user");
    }
    if (options.password && options.passwordFile) {
      return usageError("--password and --password-file exclude each other");
    }
    if (options.passwordFile) {
      auto content = readWholeFile(*options.passwordFile, "the password file");
      if (auto* error = std::get_if<CliError>(&content)) {
        return *error;
      }
      std::string password = std::get<std::string>(content);
      // The first line is the password: files usually end with a newline.
      password = password.substr(0, password.find_first_of("\r\n"));
      if (password.empty()) {
        return usageError("the password file " + *options.passwordFile + " is empty");
      }
      return client::Credential{client::StaffPasswordCredential{*options.user, password}};
    }
    if (!options.password) {
      return usageError("--user needs --password or --password-file");
    }
    return client::Credential{client::StaffPasswordCredential{*options.user, *options.password}};
  }
  if (options.delegateCode || options.pin) {
    if (!options.delegateCode || !options.pin) {
      return usageError("--delegate and --pin go together");
    }
    return client::Credential{client::DelegatePinCredential{*options.delegateCode, *options.pin}};
  }
  if (options.badge) {
    return client::Credential{client::BadgeTokenCredential{*options.badge}};
  }
  if (options.deviceToken) {
    return client::Credential{client::DeviceTokenCredential{*options.deviceToken}};
  }
  if (!options.credentialsFile || !options.asName) {
    return usageError("--credentials FILE and --as NAME go together");
  }
  auto content = readWholeFile(*options.credentialsFile, "the credentials file");
  if (auto* error = std::get_if<CliError>(&content)) {
    return *error;
  }
  auto accounts = parseDemoCredentials(std::get<std::string>(content));
  if (auto* error = std::get_if<CliError>(&accounts)) {
    return *error;
  }
  return credentialFor(std::get<std::vector<DemoAccount>>(accounts), *options.asName);
}

std::string usageText() {
  return R"(daihoi — terminal client of the Daihoi congress hall server

Usage: daihoi [options] COMMAND [arguments]

Commands:
  whoami                          who the credential signs in as
  congress                        the congress: name, term, venue, dates, quorum rule
  roster [--delegation NAME]      delegations and delegates (one delegation by name or id)
  attendance                      totals, quorum and a table per delegation
  check-in CODE... [--delegation NAME] --reason TEXT
                                  mark delegates present (secretariat): the codes given and every
                                  member of the delegation, in one request (all or none)
  check-out CODE --reason TEXT    mark a delegate absent (secretariat)
  import-roster FILE.csv          replace the roster; prints every CSV problem with its line
  watch [--count N] [--for SEC]   print live events and ballot progress, one per line, until
                                  Ctrl-C; --count counts events, not progress lines

Voting:
  ballot create --kind motion|election|multiple-choice --mode named|secret --title TEXT
         [--agenda TEXT] [--option TEXT]... [--candidate NAME]... [--seats N] [--min N] [--max N]
         [--duration SEC] [--allow-changes] [--majority BASE:THRESHOLD:N/D] [--participation N/D]
         [--no-quorum-check] [--confirmation | --no-confirmation]
                                  draft a ballot (secretariat, organizer); unset rules are the
                                  congress's. BASE: votes-cast, valid-ballots, present-eligible,
                                  summoned; THRESHOLD: more-than, at-least
  ballot list                     the ballots you may see, with numbered options
  ballot open ID [--duration SEC] open a draft (chair)
  ballot close ID                 close an open ballot (chair)
  ballot publish ID               publish the result (chair)
  ballot cancel ID --reason TEXT  cancel a draft or open ballot (chair)
  ballot runoff ID                draft the further round of an election with seats unfilled
  vote ID CHOICE...               vote (delegate): CHOICE is an option number or its exact text;
  vote ID --none                  an election ballot keeping nobody; prints the receipt
  results ID                      the tally: votes per option, base, majority, outcome, elected
  confirm ID                      confirm the tally (member of the counting committee)
  committee [CODE... | --none]    show, appoint (chair) or dissolve the counting committee
  progress ID                     how many of the eligible delegates have voted
  verify ID RECEIPT               check that the ballot with this receipt was counted
  rules [--preset NAME]           the congress's voting rules; the organizer sets a preset
                                  (party-statute or generic)
  export ID [--out FILE]          a named ballot's votes as CSV (UTF-8 with BOM) to FILE or stdout

Điểm danh, phiên họp, nhận diện khuôn mặt / Roll call, sittings, Face ID:
  roll-call [--note TEXT]         điểm danh chính thức (chủ tọa): số lần, có mặt, túc số
                                  an official, recorded roll call (chair): number, totals, quorum
  sitting start TITLE             khai mạc một phiên họp (chủ tọa) / start a sitting (chair)
  sitting end                     bế mạc phiên đang họp (chủ tọa) / end the sitting (chair)
  attendance-log [--delegate CODE] [--sitting N] [--from ISO] [--to ISO] [--csv FILE]
                                  nhật ký có mặt/vắng mặt (chủ tọa, thư ký, ban tổ chức): giờ, đại biểu,
                                  vào/ra, cách (thủ công, khuôn mặt, thẻ), ai ghi, khoảng cách, lý do;
                                  --csv ghi tệp CSV (UTF-8 có BOM); --to: trước thời điểm đó (một ngày:
                                  hết ngày đó)
                                  the attendance log (chair, secretariat, organizer) and the sittings;
                                  --csv FILE writes it as CSV; ISO: 2025-12-02, 2025-12-02T08:30[+07:00]
  enroll DIR [--replace]          đăng ký ảnh khuôn mặt (ban tổ chức): DIR/<MÃ>/*.jpg|.jpeg|.png, hoặc
                                  <MÃ>.jpg, <MÃ>_2.jpg, <MÃ>-3.png; đại biểu đã có ảnh được bỏ qua, trừ
                                  khi có --replace (ảnh trong DIR thay toàn bộ ảnh cũ)
                                  enroll face photos (organizer), one request per delegate; delegates
                                  already enrolled are skipped unless --replace (DIR's photos replace
                                  theirs); reports each photo, look-alikes and thresholds
  faces                           tình trạng đăng ký khuôn mặt (ban tổ chức): số đã đăng ký, chưa đăng
                                  ký, cặp giống nhau, ngưỡng / the enrollment: enrolled, missing,
                                  look-alikes, thresholds, whether face work is available
  face-thumbnail ID --out FILE    ảnh JPEG lưu khi điểm danh bằng khuôn mặt (số ID từ attendance-log)
  face-thumbnail SEQ --attempt --out FILE   ảnh của lượt nhận diện không thành (khi đại hội cho lưu)
                                  the JPEG kept with a face check-in (ID from attendance-log)

Tài liệu đại hội / Congress documents:
  doc add FILE --title TEXT --kind KIND [--audience WHO]... [--note TEXT]
                                  đăng tài liệu mới (thư ký, ban tổ chức): PDF, Markdown (.md) hoặc văn
                                  bản (.txt); KIND: political-report, draft-resolution, action-programme,
                                  personnel-list, written-contribution, other; WHO (lặp lại được):
                                  everyone (mặc định), delegation:TÊN_HOẶC_SỐ, role:chair|display|delegate
                                  publish a new document (secretariat, organizer) to everyone, some
                                  delegations or some roles; prints its id, version, SHA-256, size
  doc update ID FILE --note TEXT  đăng phiên bản tiếp theo; --note: phiên bản này thay đổi gì
                                  publish the next version; --note says what changed
  doc list                        các tài liệu bạn được đọc: số, loại, tiêu đề, phiên bản mới nhất
                                  the documents you may read, with their newest version
  doc show ID [--version N]       các đoạn của một phiên bản (mặc định bản mới nhất), đánh số, có đề mục
                                  a version's numbered paragraphs and headings (default: the newest)
  doc diff ID [--from N] [--to N] thay đổi giữa hai phiên bản (mặc định bản trước và bản mới nhất): đoạn
                                  thêm, bỏ, sửa; trong đoạn sửa: [-chữ bỏ-]{+chữ thêm+}
                                  what changed between two versions (default: the newest and the one
                                  before): paragraphs added, removed, changed with their word edits
  doc search QUERY [--doc ID]... [--kind KIND]... [--limit N] [--offset N]
                                  tìm trong bản mới nhất của các tài liệu bạn được đọc, có dấu hay không
                                  dấu đều được; mỗi kết quả: tài liệu, bản, §đoạn, mục, đoạn trích (từ khớp
                                  in đậm, hoặc «…» khi không ra màn hình), điểm / full-text search
  doc ask QUESTION [--doc ID]... [--limit N]
                                  trợ lý học tài liệu: các đoạn trả lời câu hỏi, kèm trích dẫn (tài liệu,
                                  bản, §đoạn, mã đoạn, mục) / the passages that answer a question
  doc get ID [--version N] [-o FILE] [--force]
                                  tải tệp của một bản (mặc định bản mới nhất) qua HTTP(S), kiểm SHA-256;
                                  FILE mặc định là tên tệp gốc; không ghi đè nếu thiếu --force; -o - : ra
                                  stdout / download a version's file and check its SHA-256
  doc open ID [--version N]       ghi nhận bạn đã mở tài liệu (đại biểu; doc show cũng ghi nhận)
                                  record that you opened it (delegates; doc show records it too)
  doc readers ID [--missing]      ai đã mở bản mới nhất (thư ký, ban tổ chức); --missing: chỉ người chưa mở
                                  who has opened the newest version; --missing: only those who have not

Thảo luận, góp ý, tham luận / Discussion, comments, written contributions:
  groups set "TÊN=ĐOÀN,ĐOÀN"... [--visibility group|all-delegates|secretariat] | groups set --none
                                  đặt tổ thảo luận (ban tổ chức): đoàn theo tên hoặc số; --visibility: ai
                                  đọc góp ý (trong tổ, mọi đại biểu, chỉ ban thư ký); chỉ --visibility thì
                                  giữ nguyên các tổ / set the discussion groups (organizer)
  groups list                     các tổ thảo luận và đoàn của mỗi tổ / the groups and their delegations
  doc comment ID PARAGRAPH TEXT [--version N] [--range BEGIN:END]
                                  góp ý về một đoạn (đại biểu, thư ký, ban tổ chức): PARAGRAPH là số đoạn
                                  (§12 hoặc 12, của bản --version, mặc định bản mới nhất) hoặc mã đoạn
                                  (p…); --range: byte BEGIN đến END của đoạn / comment on a paragraph
  doc comment ID [PARAGRAPH] TEXT --reply-to COMMENT
  doc reply COMMENT TEXT [--doc ID]
                                  trả lời một góp ý / reply to a comment
  doc comments ID                 các luồng góp ý bạn được đọc: người góp ý, đoàn, tổ, đánh dấu, đoạn đó
                                  nay ở đâu ("§14 trong bản 3", "đoạn đã bị xoá ở bản 3")
                                  the comment threads you may read, with marks and where the passage is now
  doc mark COMMENT accepted|noted|not-accepted|none [--note TEXT]
                                  đánh dấu góp ý (thư ký, ban tổ chức): tiếp thu, ghi nhận, không tiếp thu
  doc compile ID [--format csv|md] [-o FILE]
                                  tổng hợp góp ý theo mục và theo tổ (thư ký, ban tổ chức); --format ghi
                                  bản xuất vào FILE (mặc định tên máy chủ đặt; -o - : ra stdout)
                                  the comments counted by section and by group; --format: the export
  doc add FILE --title TEXT --kind written-contribution
                                  đại biểu gửi tham luận: chỉ tác giả và ban thư ký đọc cho tới khi duyệt
                                  a delegate submits a written contribution
  doc approve ID [--audience WHO]... [--note TEXT]
                                  duyệt tham luận để trình bày (thư ký, ban tổ chức); người đọc mặc định:
                                  mọi đại biểu / approve a written contribution (default: everyone reads it)
  doc decline ID --note TEXT      không trình bày tham luận; --note: lý do, tác giả đọc được / decline it

Connection:
  --url URL              ws:// or wss:// address of the hall server
                         (default: $DAIHOI_URL, else ws://127.0.0.1:8443/ws)
  --ca FILE              trust this CA or self-signed certificate (PEM) for wss://
  --insecure             wss:// without checking the certificate (demo only)
  --timeout MS           per request and for connecting (default 5000)

Credential (exactly one):
  --user U --password P | --user U --password-file F
  --delegate CODE --pin PIN
  --badge TOKEN                   one-time badge token
  --device-token T                kiosk or display
  --credentials FILE --as NAME    an account from the demo credentials file

Output:
  --json                 one JSON object (watch: one per line); errors as {"error":{...}}

Exit codes: 0 ok, 1 usage (also a file that cannot be read or written, or exists without --force),
            2 connection failure (also a downloaded file that does not match its SHA-256),
            3 authentication failed,
            4 permission denied, 5 request refused (also a document file the server refuses:
            not PDF/Markdown/text, empty, too large), 6 timeout,
            7 face work unavailable on the server, 8 enroll: no photo could be enrolled
)";
}

}  // namespace daihoi::cli
