// Voting output: choices, the named-vote CSV, results, progress, receipts and watch lines.
#include <doctest/doctest.h>

#include "cli_test_support.hpp"

#include "cli/ballot_output.hpp"
#include "cli/output.hpp"

using namespace daihoi::cli;
using namespace daihoi::cli::test;
namespace v1 = daihoi::v1;
using daihoi::client::StateMirror;

namespace {

v1::Ballot electionBallot() {
  v1::Ballot ballot;
  auto& definition = *ballot.mutable_definition();
  definition.set_id(5);
  definition.set_title("Bầu Ban Chấp hành khóa XVI");
  definition.set_kind(v1::BALLOT_KIND_ELECTION);
  definition.set_mode(v1::BALLOT_MODE_SECRET);
  for (const char* name : {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"}) {
    definition.add_options(name);
  }
  definition.set_seats(2);
  definition.set_min_selections(0);
  definition.set_max_selections(2);
  definition.mutable_majority()->set_base(v1::MAJORITY_BASE_VALID_BALLOTS);
  definition.mutable_majority()->set_threshold(v1::THRESHOLD_MORE_THAN);
  definition.mutable_majority()->mutable_fraction()->set_numerator(1);
  definition.mutable_majority()->mutable_fraction()->set_denominator(2);
  ballot.set_status(v1::BALLOT_STATUS_PUBLISHED);
  ballot.set_opened_ms(1'700'000'000'000);
  ballot.set_eligible(480);
  ballot.set_summoned(500);
  ballot.set_votes_cast(478);
  ballot.set_confirmations(2);
  ballot.set_confirmations_needed(3);
  return ballot;
}

v1::Ballot motionBallot() {
  v1::Ballot ballot;
  auto& definition = *ballot.mutable_definition();
  definition.set_id(3);
  definition.set_title("Thông qua Nghị quyết Đại hội");
  definition.set_kind(v1::BALLOT_KIND_MOTION);
  definition.set_mode(v1::BALLOT_MODE_NAMED);
  for (const char* option : {"Tán thành", "Không tán thành", "Không biểu quyết"}) {
    definition.add_options(option);
  }
  definition.set_min_selections(1);
  definition.set_max_selections(1);
  ballot.set_status(v1::BALLOT_STATUS_OPEN);
  ballot.set_opened_ms(1'700'000'000'000);
  ballot.set_eligible(480);
  ballot.set_votes_cast(120);
  return ballot;
}

// 478 cast, 470 valid (2 blank), 8 invalid; An and Bình elected, Cường and Dung short.
v1::BallotResult electionResult() {
  v1::BallotResult result;
  *result.mutable_ballot() = electionBallot();
  auto& tally = *result.mutable_tally();
  tally.set_eligible(480);
  tally.set_summoned(500);
  tally.set_votes_cast(478);
  tally.set_valid(470);
  tally.set_blank(2);
  tally.set_invalid(8);
  for (std::uint32_t votes : {300u, 250u, 200u, 120u}) {
    tally.add_votes(votes);
  }
  tally.set_base(470);
  tally.set_required(236);
  tally.set_participation_met(true);
  tally.set_outcome(v1::OUTCOME_DECIDED);
  for (std::uint32_t index : {0u, 1u, 2u, 3u}) {
    tally.add_ranking(index);
  }
  tally.add_elected(0);
  tally.add_elected(1);
  for (const char* name : {"Hoàng Văn Em", "Vũ Thị Phương"}) {
    auto* principal = result.add_confirmed_by();
    principal->set_role(v1::ROLE_DELEGATE);
    principal->set_display_name(name);
  }
  return result;
}

StateMirror namesMirror() {
  v1::Snapshot snapshot;
  snapshot.set_seq(1);
  auto* hanoi = snapshot.add_delegations();
  hanoi->set_id(1);
  hanoi->set_name("Đoàn Hà Nội");
  auto* hue = snapshot.add_delegations();
  hue->set_id(2);
  hue->set_name("Đoàn Huế");
  const struct {
    std::uint32_t id;
    const char* code;
    const char* name;
    std::uint32_t delegation;
  } people[] = {{1, "HN-001", "Nguyễn Văn An", 1}, {2, "HN-002", "Trần Thị Bình", 1}, {3, "HUE-001", "Lê Đức Thọ", 2}};
  for (const auto& person : people) {
    auto* delegate = snapshot.add_delegates();
    delegate->set_id(person.id);
    delegate->set_code(person.code);
    delegate->set_full_name(person.name);
    delegate->set_delegation_id(person.delegation);
  }
  StateMirror mirror;
  mirror.applySnapshot(snapshot);
  return mirror;
}

std::vector<std::uint32_t> resolved(const v1::Ballot* ballot, const std::vector<std::string>& choices,
                                    bool none = false) {
  auto result = resolveChoices(ballot, 5, choices, none);
  if (auto* error = std::get_if<CliError>(&result)) {
    FAIL("unexpected error: " << error->message);
  }
  return std::get<std::vector<std::uint32_t>>(result);
}

std::string choiceError(const v1::Ballot* ballot, const std::vector<std::string>& choices, bool none = false) {
  auto result = resolveChoices(ballot, 5, choices, none);
  REQUIRE(std::holds_alternative<CliError>(result));
  CHECK(std::get<CliError>(result).exitCode == kExitUsage);
  return std::get<CliError>(result).message;
}

}  // namespace

TEST_CASE("choices are 1-based numbers or option labels, sent as 0-based indices") {
  const v1::Ballot ballot = electionBallot();
  CHECK(resolved(&ballot, {"1"}) == std::vector<std::uint32_t>{0});
  CHECK(resolved(&ballot, {"Lê Văn Cường", "2"}) == std::vector<std::uint32_t>{2, 1});
  CHECK(resolved(&ballot, {"trần thị bình"}) == std::vector<std::uint32_t>{1});  // letter case aside
  CHECK(resolved(&ballot, {}, true).empty());
  // Without the ballot, numbers go to the server as they are.
  CHECK(resolved(nullptr, {"3", "1"}) == std::vector<std::uint32_t>{2, 0});

  CHECK(mentions(choiceError(&ballot, {"5"}), "no option 5"));
  CHECK(mentions(choiceError(&ballot, {"0"}), "no option 0"));
  CHECK(mentions(choiceError(&ballot, {"Nguyễn Văn Ba"}), "1. Nguyễn Văn An, 2. Trần Thị Bình"));
  CHECK(mentions(choiceError(&ballot, {"1", "Nguyễn Văn An"}), "twice"));
  CHECK(mentions(choiceError(nullptr, {"Tán thành"}), "ballot list"));
  const v1::Ballot motion = motionBallot();
  CHECK(mentions(choiceError(&motion, {}, true), "--none is for election"));
}

TEST_CASE("CSV fields are quoted only when needed, quotes doubled") {
  CHECK(csvField("Nguyễn Văn An") == "Nguyễn Văn An");
  CHECK(csvField("") == "");
  CHECK(csvField("Đoàn Hà Nội, khối cơ quan") == "\"Đoàn Hà Nội, khối cơ quan\"");
  CHECK(csvField("Tôn Nữ \"Hà\"") == "\"Tôn Nữ \"\"Hà\"\"\"");
  CHECK(csvField("dòng 1\ndòng 2") == "\"dòng 1\ndòng 2\"");
  CHECK(csvField("a\rb") == "\"a\rb\"");
  CHECK(csvField("Tán thành; Không") == "Tán thành; Không");
}

TEST_CASE("the named-vote CSV: BOM, header, CRLF, labels joined by \"; \", awkward text escaped") {
  v1::NamedVotesReply reply;
  v1::Ballot ballot = motionBallot();
  ballot.mutable_definition()->set_kind(v1::BALLOT_KIND_MULTIPLE_CHOICE);
  ballot.mutable_definition()->set_options(1, "Không, vì \"lý do\" khác");
  *reply.mutable_ballot() = ballot;
  auto* first = reply.add_votes();
  first->set_seat("A-01");
  first->set_delegate_code("HN-001");
  first->set_full_name("Nguyễn Văn An");
  first->set_delegation("Đoàn Hà Nội");
  first->set_voted(true);
  first->add_choices(0);
  first->add_choices(1);
  auto* second = reply.add_votes();
  second->set_seat("A-02");
  second->set_delegate_code("HUE-003");
  second->set_full_name("Tôn Nữ \"Hà\"");
  second->set_delegation("Đoàn Thừa Thiên Huế,\nkhối tỉnh");
  second->set_voted(false);
  auto* blank = reply.add_votes();
  blank->set_seat("A-03");
  blank->set_delegate_code("HN-002");
  blank->set_full_name("Trần Thị Bình");
  blank->set_delegation("Đoàn Hà Nội");
  blank->set_voted(true);

  CHECK(namedVotesCsv(reply) ==
        "\xEF\xBB\xBF"
        "seat,code,full_name,delegation,voted,choices\r\n"
        "A-01,HN-001,Nguyễn Văn An,Đoàn Hà Nội,yes,\"Tán thành; Không, vì \"\"lý do\"\" khác\"\r\n"
        "A-02,HUE-003,\"Tôn Nữ \"\"Hà\"\"\",\"Đoàn Thừa Thiên Huế,\nkhối tỉnh\",no,\r\n"
        "A-03,HN-002,Trần Thị Bình,Đoàn Hà Nội,yes,\r\n");
  const std::string json = namedVotesJson(reply);
  CHECK(mentions(json, "\"votes\":[{\"seat\":\"A-01\",\"code\":\"HN-001\",\"fullName\":\"Nguyễn Văn An\""));
  CHECK(mentions(json, "\"choices\":[{\"number\":1,\"label\":\"Tán thành\"},{\"number\":2,"));
}

TEST_CASE("an election result as text: counts, base, required, elected in order, confirmations") {
  const std::string text = resultText(electionResult());
  CHECK(mentions(text, "Phiếu #5: Bầu Ban Chấp hành khóa XVI\n"));
  CHECK(mentions(text, "bầu cử · bỏ phiếu kín · đã công bố\n"));
  CHECK(mentions(text, "Đại biểu:      480 được biểu quyết, 500 được triệu tập\n"));
  CHECK(mentions(text, "Phiếu thu về:  478 — hợp lệ 470 (trong đó 2 phiếu trắng), không hợp lệ 8\n"));
  CHECK(mentions(text, "Căn cứ tính:   470 (số phiếu hợp lệ)\n"));
  CHECK(mentions(text, "Cần đạt:       ít nhất 236 phiếu (hơn 1/2 số phiếu hợp lệ)\n"));
  CHECK_FALSE(mentions(text, "Tham gia:"));
  CHECK(mentions(text, "1  Nguyễn Văn An       300  63,8 %  trúng cử\n"));
  CHECK(mentions(text, "4  Phạm Thị Dung       120  25,5 %\n"));
  CHECK(mentions(text, "Kết quả:       ĐÃ CÓ KẾT QUẢ\n"));
  CHECK(mentions(text, "Trúng cử:      1. Nguyễn Văn An (300), 2. Trần Thị Bình (250)\n"));
  CHECK(mentions(text, "Ban kiểm phiếu xác nhận 2/3: Hoàng Văn Em (đại biểu), Vũ Thị Phương (đại biểu)\n"));
}

TEST_CASE("an incomplete election shows the tie, the seats unfilled and the runoff command") {
  v1::BallotResult result = electionResult();
  auto& tally = *result.mutable_tally();
  tally.set_votes(1, 200);
  tally.clear_elected();
  tally.add_elected(0);
  tally.add_tied_for_last_seat(1);
  tally.add_tied_for_last_seat(2);
  tally.set_seats_unfilled(1);
  tally.set_needs_runoff(true);
  tally.set_outcome(v1::OUTCOME_INCOMPLETE);
  tally.set_participation_required(240);
  const std::string text = resultText(result);
  CHECK(mentions(text, "Tham gia:      cần 240 phiếu — đạt\n"));
  CHECK(mentions(text, "2  Trần Thị Bình       200  42,6 %  bằng phiếu ở ghế cuối\n"));
  CHECK(mentions(text, "Kết quả:       CHƯA ĐỦ — cần bầu tiếp\n"));
  CHECK(mentions(text, "Bằng phiếu:    Trần Thị Bình, Lê Văn Cường\n"));
  CHECK(mentions(text, "Còn thiếu:     1 ghế — bầu tiếp: daihoi ballot runoff 5\n"));
}

TEST_CASE("a result as JSON numbers options from 1 and names the outcome") {
  const std::string json = resultJson(electionResult());
  CHECK(json.find('\n') == std::string::npos);
  CHECK(mentions(json, "\"outcome\":\"decided\""));
  CHECK(mentions(json, "\"baseKind\":\"valid-ballots\""));
  CHECK(mentions(json, "\"options\":[{\"number\":1,\"label\":\"Nguyễn Văn An\",\"votes\":300},"));
  CHECK(mentions(json, "\"elected\":[{\"number\":1,\"label\":\"Nguyễn Văn An\"},{\"number\":2,"));
  CHECK(mentions(json, "\"tiedForLastSeat\":[],\"seatsUnfilled\":0,\"needsRunoff\":false}"));
  CHECK(mentions(json, "\"confirmedBy\":[{\"role\":\"delegate\""));
  CHECK(mentions(json, "\"majority\":{\"base\":\"valid-ballots\",\"threshold\":\"more-than\","
                       "\"fraction\":{\"numerator\":1,\"denominator\":2}}"));
}

TEST_CASE("progress as text, with voters per delegation for the chair") {
  v1::BallotProgress progress;
  progress.set_ballot_id(3);
  progress.set_eligible(480);
  progress.set_votes_cast(120);
  CHECK(progressText(progress, namesMirror()) ==
        "Phiếu #3: đã bỏ phiếu 120/480 (25,0 %), còn 360 đại biểu chưa bỏ phiếu\n");
  progress.add_voted_delegate_ids(1);
  progress.add_voted_delegate_ids(2);
  progress.add_voted_delegate_ids(3);
  const std::string text = progressText(progress, namesMirror());
  CHECK(mentions(text, "Đoàn Hà Nội            2\n"));
  CHECK(mentions(text, "Đoàn Huế               1\n"));
  CHECK(progressJson(progress) ==
        "{\"ballotId\":3,\"eligible\":480,\"votesCast\":120,\"votedDelegateIds\":[1,2,3]}");
}

TEST_CASE("live progress in watch: a line without seq, and JSON marked live") {
  v1::LiveUpdate update;
  update.mutable_ballot_progress()->set_ballot_id(3);
  update.mutable_ballot_progress()->set_eligible(3);
  update.mutable_ballot_progress()->set_votes_cast(2);
  const std::string line = liveUpdateText(update, 1'700'000'000'000);
  CHECK(line.rfind("~ ", 0) == 0);
  CHECK(mentions(line, "TIẾN ĐỘ    phiếu #3: đã bỏ phiếu 2/3 (66,7 %)\n"));
  CHECK(liveUpdateJson(update, 5) ==
        "{\"live\":true,\"timeMs\":5,\"type\":\"ballot_progress\",\"ballotId\":3,\"eligible\":3,\"votesCast\":2,"
        "\"votedDelegateIds\":[]}");
}

TEST_CASE("voting events in watch") {
  const StateMirror names = namesMirror();
  v1::Event opened;
  opened.set_seq(50);
  *opened.mutable_ballot_updated()->mutable_ballot() = motionBallot();
  opened.mutable_ballot_updated()->mutable_by()->set_role(v1::ROLE_CHAIR);
  opened.mutable_ballot_updated()->mutable_by()->set_display_name("Chủ tọa Minh");
  const std::string line = eventText(opened, names);
  CHECK(line.rfind("#50 ", 0) == 0);
  CHECK(mentions(line, "PHIẾU      #3 Thông qua Nghị quyết Đại hội: ĐANG MỞ · 480 đại biểu được biểu quyết · "
                       "đã bỏ phiếu 120/480 · bởi Chủ tọa Minh (chủ tọa)\n"));
  CHECK(mentions(eventJson(opened, names), "\"type\":\"ballot_updated\",\"ballot\":{\"id\":3,"));

  v1::Event recorded;
  recorded.set_seq(51);
  recorded.mutable_vote_recorded()->set_ballot_id(3);
  recorded.mutable_vote_recorded()->set_delegate_id(1);
  CHECK(mentions(eventText(recorded, names), "ĐÃ BỎ PHIẾU phiếu #3 · HN-001 Nguyễn Văn An\n"));
  CHECK(mentions(eventJson(recorded, names),
                 "\"type\":\"vote_recorded\",\"ballotId\":3,\"delegateId\":1,\"delegateCode\":\"HN-001\"}"));

  v1::Event published;
  published.set_seq(52);
  *published.mutable_ballot_published()->mutable_result() = electionResult();
  CHECK(mentions(eventText(published, names), "CÔNG BỐ    #5 Bầu Ban Chấp hành khóa XVI: ĐÃ CÓ KẾT QUẢ · trúng cử: "
                                              "Nguyễn Văn An, Trần Thị Bình\n"));
  CHECK(mentions(eventJson(published, names), "\"type\":\"ballot_published\",\"result\":{\"ballot\":{\"id\":5,"));

  v1::Event committee;
  committee.set_seq(53);
  committee.mutable_counting_committee_appointed()->add_delegate_ids(3);
  CHECK(mentions(eventText(committee, names), "KIỂM PHIẾU Ban kiểm phiếu: HUE-001 Lê Đức Thọ\n"));

  v1::Event rules;
  rules.set_seq(54);
  rules.mutable_voting_rules_changed()->mutable_rules()->set_preset(v1::RULE_PRESET_GENERIC);
  CHECK(mentions(eventJson(rules, names), "\"type\":\"voting_rules_changed\",\"rules\":{\"preset\":\"generic\","));
}

TEST_CASE("ballot list: numbered options and the delegate's own standing") {
  v1::BallotsReply reply;
  v1::Ballot motion = motionBallot();
  motion.set_you_are_eligible(true);
  *reply.add_ballots() = motion;
  reply.add_counting_committee(3);
  StateMirror delegateMirror = namesMirror();
  delegateMirror.setOwnDelegate(1);
  const std::string text = ballotListText(reply, delegateMirror);
  CHECK(mentions(text, "#3   biểu quyết · công khai · ĐANG MỞ · 480 đại biểu được biểu quyết · đã bỏ phiếu 120/480\n"));
  CHECK(mentions(text, "     Thông qua Nghị quyết Đại hội\n"));
  CHECK(mentions(text, "     chọn 1 phương án · bạn chưa bỏ phiếu\n"));
  CHECK(mentions(text, "     1. Tán thành\n     2. Không tán thành\n     3. Không biểu quyết\n"));
  CHECK(mentions(text, "1 phiếu; Ban kiểm phiếu 1 thành viên\n"));
  CHECK_FALSE(mentions(ballotListText(reply, namesMirror()), "bạn"));  // staff
  CHECK(ballotListText(v1::BallotsReply{}, namesMirror()) == "Chưa có phiếu biểu quyết nào\n");
  CHECK(mentions(ballotListJson(reply), "\"countingCommittee\":[3]}"));
}

TEST_CASE("a vote prints its receipt and how to verify it") {
  v1::CastVoteReply reply;
  reply.set_ballot_id(5);
  reply.set_receipt("R3c31pt");
  reply.set_seq(77);
  const v1::Ballot ballot = electionBallot();
  const std::string text = voteText(reply, &ballot, {0, 2});
  CHECK(mentions(text, "Đã ghi nhận phiếu của bạn — phiếu #5: Bầu Ban Chấp hành khóa XVI\n"));
  CHECK(mentions(text, "Lựa chọn:   1. Nguyễn Văn An; 3. Lê Văn Cường\n"));
  CHECK(mentions(text, "Biên nhận:  R3c31pt\n"));
  CHECK(mentions(text, "daihoi verify 5 R3c31pt\n"));
  CHECK(mentions(voteText(reply, &ballot, {}), "Lựa chọn:   không giữ lại ai\n"));
  reply.set_repeated(true);
  CHECK(mentions(voteText(reply, nullptr, {1}), "đã được ghi nhận từ lần gửi trước"));
  CHECK(voteJson(reply, nullptr, {1}) ==
        "{\"ballotId\":5,\"receipt\":\"R3c31pt\",\"replaced\":false,\"repeated\":true,\"seq\":77,"
        "\"choices\":[{\"number\":2}]}");
}

TEST_CASE("ballot actions, receipts, rules and the committee as text") {
  v1::BallotReply reply;
  *reply.mutable_ballot() = electionBallot();
  reply.mutable_ballot()->set_status(v1::BALLOT_STATUS_CLOSED);
  reply.set_seq(90);
  const std::string closed = ballotActionText(BallotAction::Closed, reply);
  CHECK(mentions(closed, "Đã đóng phiếu #5: Bầu Ban Chấp hành khóa XVI — đã bỏ phiếu 478/480\n"));
  CHECK(mentions(closed, "(2/3): daihoi confirm 5\n"));
  CHECK(mentions(closed, "(seq 90)\n"));
  CHECK(ballotActionJson(BallotAction::Closed, reply).rfind("{\"action\":\"closed\",\"seq\":90,\"ballot\":{", 0) == 0);

  v1::VerifyReceiptReply counted;
  counted.set_counted(true);
  CHECK(verifyText(5, "abc", counted) == "Biên nhận abc: phiếu đã được ghi nhận và kiểm trong phiếu #5\n");
  CHECK(verifyJson(5, "abc", v1::VerifyReceiptReply{}) == "{\"ballotId\":5,\"receipt\":\"abc\",\"counted\":false}");

  v1::VotingRules rules;
  rules.set_preset(v1::RULE_PRESET_PARTY_STATUTE);
  rules.mutable_motion()->set_base(v1::MAJORITY_BASE_SUMMONED);
  rules.mutable_motion()->set_threshold(v1::THRESHOLD_MORE_THAN);
  rules.mutable_motion()->mutable_fraction()->set_numerator(1);
  rules.mutable_motion()->mutable_fraction()->set_denominator(2);
  rules.set_require_congress_quorum_to_open(true);
  const std::string text = rulesText(rules);
  CHECK(mentions(text, "Bộ quy tắc:         theo Điều lệ Đảng (party-statute)\n"));
  CHECK(mentions(text, "Biểu quyết:         hơn 1/2 số đại biểu được triệu tập\n"));
  CHECK(mentions(text, "Mở phiếu:           cần Đại hội đủ túc số\n"));
  CHECK(mentions(text, "Tham gia tối thiểu: không\n"));

  const StateMirror names = namesMirror();
  const std::string committee = committeeText({3, 9}, names, true);
  CHECK(mentions(committee, "Đã chỉ định Ban kiểm phiếu (2 thành viên)\n"));
  CHECK(mentions(committee, "HUE-001  Lê Đức Thọ  Đoàn Huế\n"));
  CHECK(mentions(committee, "#9\n"));
  CHECK(committeeText({}, names, true) == "Đã giải tán Ban kiểm phiếu\n");
  CHECK(committeeJson({3}, names) ==
        "{\"countingCommittee\":[{\"id\":3,\"code\":\"HUE-001\",\"fullName\":\"Lê Đức Thọ\",\"delegation\":\"Đoàn Huế\"}]}");
}

TEST_CASE("confirmations beyond those needed are counted, not shown as a fraction above one") {
  v1::BallotResult result = electionResult();
  result.add_confirmed_by()->set_display_name("Đỗ Văn Giang");
  CHECK_FALSE(mentions(resultText(result), "Ban kiểm phiếu xác nhận 3 (cần 3):"));
  CHECK(mentions(resultText(result), "Ban kiểm phiếu xác nhận 3/3:"));
  result.add_confirmed_by()->set_display_name("Lý Thị Hoa");
  CHECK(mentions(resultText(result), "Ban kiểm phiếu xác nhận 4 (cần 3):"));
}
