// Argument parsing of the voting commands: ballot ..., vote, results, confirm, committee,
// progress, verify, rules, export.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include "cli/arguments.hpp"

using namespace daihoi::cli;
using test::mentions;
using test::usageMessage;
namespace v1 = daihoi::v1;

namespace {

// With a staff credential, as every voting command needs one.
CliOptions parsedOk(std::vector<std::string> args) {
  args.insert(args.end(), {"--user", "u", "--password", "p"});
  return test::parsedOk(args);
}

std::vector<std::string> create(std::vector<std::string> more) {
  std::vector<std::string> args = {"ballot", "create", "--mode", "secret", "--title", "Bầu Ban Chấp hành"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("ballot create: a motion with the congress's rules") {
  auto options = parsedOk({"ballot", "create", "--kind", "motion", "--mode", "named", "--title",
                           "Thông qua Nghị quyết", "--agenda", "Nội dung 3"});
  CHECK(options.command == "ballot create");
  REQUIRE(options.ballotDraft.has_value());
  const v1::BallotDefinition& draft = *options.ballotDraft;
  CHECK(draft.kind() == v1::BALLOT_KIND_MOTION);
  CHECK(draft.mode() == v1::BALLOT_MODE_NAMED);
  CHECK(draft.title() == "Thông qua Nghị quyết");
  CHECK(draft.agenda_item() == "Nội dung 3");
  CHECK(draft.options_size() == 0);  // the server's default options
  CHECK_FALSE(draft.has_majority());
  CHECK_FALSE(draft.has_participation_quorum());
  CHECK_FALSE(draft.has_require_congress_quorum());
  CHECK_FALSE(draft.has_confirmation_required());
  CHECK_FALSE(draft.has_min_selections());
  CHECK(draft.duration_ms() == 0);
}

TEST_CASE("ballot create: an election with every rule given") {
  auto options = parsedOk(create({"--kind", "election", "--candidate", "Nguyễn Văn An", "--candidate",
                                  "Trần Thị Bình", "--candidate", "Lê Văn Cường", "--seats", "2", "--duration",
                                  "300", "--majority", "valid-ballots:more-than:1/2", "--participation", "2/3",
                                  "--no-quorum-check", "--confirmation"}));
  const v1::BallotDefinition& draft = *options.ballotDraft;
  CHECK(draft.kind() == v1::BALLOT_KIND_ELECTION);
  CHECK(draft.mode() == v1::BALLOT_MODE_SECRET);
  REQUIRE(draft.options_size() == 3);
  CHECK(draft.options(1) == "Trần Thị Bình");
  CHECK(draft.seats() == 2);
  CHECK(draft.duration_ms() == 300'000);
  CHECK(draft.majority().base() == v1::MAJORITY_BASE_VALID_BALLOTS);
  CHECK(draft.majority().threshold() == v1::THRESHOLD_MORE_THAN);
  CHECK(draft.majority().fraction().numerator() == 1);
  CHECK(draft.majority().fraction().denominator() == 2);
  CHECK(draft.participation_quorum().numerator() == 2);
  CHECK(draft.participation_quorum().denominator() == 3);
  CHECK(draft.has_require_congress_quorum());
  CHECK_FALSE(draft.require_congress_quorum());
  CHECK(draft.has_confirmation_required());
  CHECK(draft.confirmation_required());
}

TEST_CASE("ballot create: multiple choice with limits, named with changes, no confirmation") {
  auto options = parsedOk({"ballot", "create", "--kind=multiple-choice", "--mode=named", "--title=Chọn ngày họp",
                           "--option", "Thứ Hai", "--option", "Thứ Ba", "--option", "Thứ Tư", "--min", "0", "--max",
                           "2", "--allow-changes", "--no-confirmation", "--majority",
                           "summoned:at-least:2/3"});
  const v1::BallotDefinition& draft = *options.ballotDraft;
  CHECK(draft.kind() == v1::BALLOT_KIND_MULTIPLE_CHOICE);
  CHECK(draft.options_size() == 3);
  CHECK(draft.has_min_selections());
  CHECK(draft.min_selections() == 0);
  CHECK(draft.max_selections() == 2);
  CHECK(draft.allow_changes());
  CHECK(draft.has_confirmation_required());
  CHECK_FALSE(draft.confirmation_required());
  CHECK(draft.majority().base() == v1::MAJORITY_BASE_SUMMONED);
  CHECK(draft.majority().threshold() == v1::THRESHOLD_AT_LEAST);
}

TEST_CASE("ballot create: mistakes are usage errors that say what is wrong") {
  CHECK(mentions(usageMessage({"ballot", "create", "--mode", "named", "--title", "T"}), "--kind"));
  CHECK(mentions(usageMessage(create({"--kind", "referendum"})), "--kind"));
  CHECK(mentions(usageMessage({"ballot", "create", "--kind", "motion", "--title", "T"}), "--mode"));
  CHECK(mentions(usageMessage({"ballot", "create", "--kind", "motion", "--mode", "open", "--title", "T"}), "--mode"));
  CHECK(mentions(usageMessage({"ballot", "create", "--kind", "motion", "--mode", "named"}), "--title"));
  CHECK(mentions(usageMessage({"ballot", "create", "--kind", "motion", "--mode", "named", "--title", "  "}),
                 "--title"));
  CHECK(mentions(usageMessage(create({"--kind", "election"})), "--candidate"));
  CHECK(mentions(usageMessage(create({"--kind", "election", "--option", "A"})), "--candidate"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--candidate", "A"})), "--candidate"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--option", "Có"})), "two"));
  CHECK(mentions(usageMessage(create({"--kind", "multiple-choice", "--option", "A"})), "two"));
  CHECK(mentions(usageMessage(create({"--kind", "multiple-choice", "--option", "A", "--option", " "})), "empty"));
  CHECK(mentions(usageMessage(create({"--kind", "election", "--candidate", "A", "--seats", "2"})), "--seats"));
  CHECK(mentions(usageMessage(create({"--kind", "election", "--candidate", "A", "--seats", "0"})), "--seats"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--seats", "1"})), "--seats"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--max", "1"})), "--max"));
  CHECK(mentions(usageMessage(create({"--kind", "election", "--candidate", "A", "--min", "0"})), "--min"));
  CHECK(mentions(usageMessage(create({"--kind", "multiple-choice", "--option", "A", "--option", "B", "--max",
                                      "3"})),
                 "--max"));
  CHECK(mentions(usageMessage(create({"--kind", "multiple-choice", "--option", "A", "--option", "B", "--min",
                                      "2"})),
                 "--min"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--duration", "0"})), "--duration"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--duration", "31d"})), "--duration"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--duration", "2600000"})), "30 days"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--allow-changes"})), "secret"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--majority", "half"})), "--majority"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--majority", "present:more-than:1/2"})), "--majority"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--majority", "summoned:over:1/2"})), "--majority"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--majority", "summoned:more-than:3/2"})), "--majority"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--majority", "summoned:more-than:1/0"})), "--majority"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--participation", "1:2"})), "--participation"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--confirmation", "--no-confirmation"})), "exclude"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "--allow-changes=yes"})), "takes no value"));
  CHECK(mentions(usageMessage(create({"--kind", "motion", "extra"})), "takes no arguments"));
}

TEST_CASE("ballot subcommands take a ballot ID") {
  auto open = parsedOk({"ballot", "open", "7", "--duration", "90"});
  CHECK(open.command == "ballot open");
  CHECK(open.ballotId == 7u);
  CHECK(open.openFor == std::chrono::milliseconds{90'000});
  CHECK(parsedOk({"ballot", "open", "7"}).openFor == std::nullopt);
  CHECK(parsedOk({"ballot", "close", "7"}).ballotId == 7u);
  CHECK(parsedOk({"ballot", "publish", "7"}).command == "ballot publish");
  CHECK(parsedOk({"ballot", "runoff", "7"}).command == "ballot runoff");
  auto cancel = parsedOk({"ballot", "cancel", "7", "--reason", "Nhầm danh sách ứng cử viên"});
  CHECK(cancel.reason == "Nhầm danh sách ứng cử viên");
  CHECK(parsedOk({"--json", "ballot", "list"}).command == "ballot list");
}

TEST_CASE("ballot subcommand mistakes") {
  CHECK(mentions(usageMessage({"ballot"}), "subcommand"));
  CHECK(mentions(usageMessage({"ballot", "delete", "1"}), "unknown ballot subcommand"));
  CHECK(mentions(usageMessage({"ballot", "open"}), "ballot ID"));
  CHECK(mentions(usageMessage({"ballot", "open", "abc"}), "positive number"));
  CHECK(mentions(usageMessage({"ballot", "open", "0"}), "positive number"));
  CHECK(mentions(usageMessage({"ballot", "open", "4294967296"}), "positive number"));
  CHECK(mentions(usageMessage({"ballot", "close", "1", "2"}), "takes no further arguments"));
  CHECK(mentions(usageMessage({"ballot", "list", "1"}), "takes no arguments"));
  CHECK(mentions(usageMessage({"ballot", "cancel", "1"}), "--reason"));
  CHECK(mentions(usageMessage({"ballot", "cancel", "1", "--reason", " "}), "--reason"));
  CHECK(mentions(usageMessage({"ballot", "close", "1", "--duration", "60"}), "does not apply"));
  CHECK(mentions(usageMessage({"ballot", "open", "1", "--duration", "-5"}), "--duration"));
  CHECK(mentions(usageMessage({"ballot", "open", "1", "--kind", "motion"}), "does not apply"));
}

TEST_CASE("vote takes choices or --none") {
  auto vote = parsedOk({"vote", "3", "1", "Nguyễn Văn An"});
  CHECK(vote.command == "vote");
  CHECK(vote.ballotId == 3u);
  CHECK(vote.arguments == std::vector<std::string>{"1", "Nguyễn Văn An"});
  CHECK_FALSE(vote.none);
  auto none = parsedOk({"vote", "3", "--none"});
  CHECK(none.none);
  CHECK(none.arguments.empty());

  CHECK(mentions(usageMessage({"vote"}), "ballot ID"));
  CHECK(mentions(usageMessage({"vote", "3"}), "CHOICE"));
  CHECK(mentions(usageMessage({"vote", "3", "1", "--none"}), "--none"));
  CHECK(mentions(usageMessage({"vote", "x", "1"}), "positive number"));
  CHECK(mentions(usageMessage({"vote", "3", "1", "--reason", "x"}), "does not apply"));
}

TEST_CASE("results, confirm, progress, verify and export take a ballot ID") {
  CHECK(parsedOk({"results", "4"}).ballotId == 4u);
  CHECK(parsedOk({"confirm", "4"}).command == "confirm");
  CHECK(parsedOk({"progress", "4"}).ballotId == 4u);
  auto verify = parsedOk({"verify", "4", "q3Vx-receipt"});
  CHECK(verify.ballotId == 4u);
  CHECK(verify.arguments == std::vector<std::string>{"q3Vx-receipt"});
  auto exported = parsedOk({"export", "4", "--out", "phieu-4.csv"});
  CHECK(exported.outFile == "phieu-4.csv");
  CHECK(parsedOk({"export", "4"}).outFile == std::nullopt);

  CHECK(mentions(usageMessage({"results"}), "ballot ID"));
  CHECK(mentions(usageMessage({"results", "4", "5"}), "takes no further arguments"));
  CHECK(mentions(usageMessage({"confirm", "-4"}), "unknown option"));
  CHECK(mentions(usageMessage({"progress", "four"}), "positive number"));
  CHECK(mentions(usageMessage({"verify", "4"}), "verify ID RECEIPT"));
  CHECK(mentions(usageMessage({"verify", "4", "a", "b"}), "verify ID RECEIPT"));
  CHECK(mentions(usageMessage({"export", "4", "--out"}), "needs a value"));
  CHECK(mentions(usageMessage({"results", "4", "--out", "f.csv"}), "does not apply"));
}

TEST_CASE("committee shows, appoints or dissolves") {
  CHECK(parsedOk({"committee"}).arguments.empty());
  auto appoint = parsedOk({"committee", "HN-001", "HUE-002"});
  CHECK(appoint.arguments == std::vector<std::string>{"HN-001", "HUE-002"});
  CHECK_FALSE(appoint.ballotId.has_value());
  CHECK(parsedOk({"committee", "--none"}).none);
  CHECK(mentions(usageMessage({"committee", "HN-001", "--none"}), "--none"));
}

TEST_CASE("rules shows, or sets a preset") {
  CHECK_FALSE(parsedOk({"rules"}).preset.has_value());
  CHECK(parsedOk({"rules", "--preset", "party-statute"}).preset == v1::RULE_PRESET_PARTY_STATUTE);
  CHECK(parsedOk({"rules", "--preset=generic"}).preset == v1::RULE_PRESET_GENERIC);
  CHECK(mentions(usageMessage({"rules", "--preset", "strict"}), "--preset"));
  CHECK(mentions(usageMessage({"rules", "generic"}), "takes no arguments"));
  CHECK(mentions(usageMessage({"whoami", "--preset", "generic"}), "does not apply"));
}

TEST_CASE("the usage text lists every voting command") {
  const std::string usage = usageText();
  for (const char* command : {"ballot create", "ballot list", "ballot open", "ballot close", "ballot publish",
                              "ballot cancel", "ballot runoff", "vote ID", "results ID", "confirm ID", "committee",
                              "progress ID", "verify ID", "rules", "export ID"}) {
    CAPTURE(command);
    CHECK(mentions(usage, command));
  }
}
