#pragma once
// Every ballot of the congress and its lifecycle: draft → open → closed →
// published, or cancelled. Participation (who voted) is kept apart from
// contents (what was voted): a secret ballot's contents carry no voter.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/ballot.hpp"
#include "domain/tally.hpp"

namespace daihoi::domain {

// A receipt's SHA-256 as raw bytes (32). The receipt itself is only ever in
// the voter's hands; see docs/SECURITY.md.
using ReceiptHash = std::string;

struct NamedVote {
  std::vector<std::uint32_t> choices;  // canonical
  ReceiptHash receiptHash;
  bool operator==(const NamedVote&) const = default;
};

struct SecretVote {
  std::vector<std::uint32_t> choices;  // canonical
  ReceiptHash receiptHash;
  bool operator==(const SecretVote&) const = default;
};

struct BallotState {
  BallotDefinition definition;
  BallotStatus status = BallotStatus::Draft;
  std::int64_t createdMs = 0;
  std::int64_t openedMs = 0;     // 0 until opened
  std::int64_t deadlineMs = 0;   // 0: none
  std::int64_t closedMs = 0;
  bool closedByDeadline = false;
  std::int64_t publishedMs = 0;
  std::int64_t cancelledMs = 0;
  std::string cancelReason;
  // Delegates eligible, ascending, fixed at opening. Shared so that event
  // audiences can point at it without copying.
  std::shared_ptr<const std::vector<std::uint32_t>> eligible = std::make_shared<const std::vector<std::uint32_t>>();
  std::uint32_t summoned = 0;  // fixed at opening
  std::unordered_set<std::uint32_t> voted;  // participation
  std::unordered_map<std::uint32_t, NamedVote> named;  // named ballots: delegate -> vote
  std::vector<SecretVote> secret;  // secret ballots: contents, no voter
  std::unordered_set<ReceiptHash> receipts;  // every receipt hash counted (both modes)
  std::optional<Tally> tally;      // once closed
  std::vector<std::uint32_t> confirmedBy;  // counting committee members, in confirmation order

  bool isEligible(std::uint32_t delegateId) const;
  bool hasVoted(std::uint32_t delegateId) const { return voted.count(delegateId) != 0; }
  // Every ballot's contents in canonical form, for counting (order carries no meaning).
  std::vector<std::vector<std::uint32_t>> contents() const;
};

// ------------------------------------------------------------- changes
// The hall stages these; the store applies them to its tables.

struct BallotDrafted {
  BallotDefinition definition;  // id assigned
  std::int64_t timeMs = 0;
};

struct BallotOpened {
  std::uint32_t ballotId = 0;
  std::int64_t timeMs = 0;
  std::int64_t deadlineMs = 0;  // 0: none
  std::vector<std::uint32_t> eligible;  // ascending
  std::uint32_t summoned = 0;
};

// A delegate's vote. The store writes the participation (ballot, delegate)
// and the contents separately; for a secret ballot the contents row gets a
// random key and no voter, and rows of one commit group are shuffled.
struct VoteCast {
  std::uint32_t ballotId = 0;
  std::uint32_t delegateId = 0;
  std::vector<std::uint32_t> choices;  // canonical
  ReceiptHash receiptHash;
  bool secret = false;
  bool replacesEarlierVote = false;  // named ballots with allowChanges
};

struct BallotClosed {
  std::uint32_t ballotId = 0;
  std::int64_t timeMs = 0;
  bool byDeadline = false;
};

struct TallyConfirmed {
  std::uint32_t ballotId = 0;
  std::uint32_t delegateId = 0;  // a counting committee member
  std::int64_t timeMs = 0;
};

struct BallotPublished {
  std::uint32_t ballotId = 0;
  std::int64_t timeMs = 0;
};

struct BallotCancelled {
  std::uint32_t ballotId = 0;
  std::int64_t timeMs = 0;
  std::string reason;
};

struct CountingCommitteeAppointed {
  std::vector<std::uint32_t> delegateIds;  // ascending; replaces the previous committee
};

// The congress's voting rules: a preset, possibly overridden. New ballots start from them.
struct VotingRulesChosen {
  RulePreset preset = RulePreset::PartyStatute;
  VotingRules rules;
};

class BallotBook {
 public:
  BallotBook() = default;
  const VotingRules& rules() const { return rules_; }
  RulePreset preset() const { return preset_; }

  // The next id a drafted ballot gets.
  std::uint32_t nextId() const { return nextId_; }
  const BallotState* find(std::uint32_t id) const;
  const std::map<std::uint32_t, BallotState>& all() const { return ballots_; }
  // Ballots currently open, ascending by id.
  std::vector<std::uint32_t> openIds() const;
  // Whether any ballot was ever opened (the roster is then fixed).
  bool anyOpened() const { return anyOpened_; }

  const std::vector<std::uint32_t>& countingCommittee() const { return committee_; }
  bool inCountingCommittee(std::uint32_t delegateId) const;
  // Confirmations a closed ballot needs before publication: more than half of
  // the committee, or 0 when the ballot needs none or there is no committee.
  std::uint32_t confirmationsNeeded(const BallotState& ballot) const;

  // Appliers: the hall validates first; these throw std::logic_error on a
  // change that does not fit (an unknown ballot, a wrong status), which would be a bug.
  void apply(const BallotDrafted& change);
  void apply(const BallotOpened& change);
  void apply(const VoteCast& change);
  void apply(const BallotClosed& change);  // computes the tally
  void apply(const TallyConfirmed& change);
  void apply(const BallotPublished& change);
  void apply(const BallotCancelled& change);
  void apply(const CountingCommitteeAppointed& change);
  void apply(const VotingRulesChosen& change);

  // Loading: a ballot as stored (status, snapshots, votes). A closed or
  // published ballot's tally is recounted from its contents.
  void restore(BallotState ballot);
  void restoreCountingCommittee(std::vector<std::uint32_t> delegateIds);
  void restoreRules(RulePreset preset, VotingRules rules);

 private:
  std::map<std::uint32_t, BallotState> ballots_;
  std::vector<std::uint32_t> committee_;
  RulePreset preset_ = RulePreset::PartyStatute;
  VotingRules rules_ = presetRules(RulePreset::PartyStatute);
  std::uint32_t nextId_ = 1;
  bool anyOpened_ = false;
};

}  // namespace daihoi::domain
