#pragma once
// State changes decided by request handlers. The store applies each one to
// its tables in the same transaction as the event that records it.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "domain/attendance.hpp"
#include "documents/paragraphs.hpp"
#include "domain/ballots.hpp"
#include "domain/discussion.hpp"
#include "domain/documents.hpp"
#include "domain/model.hpp"

namespace daihoi::domain {

struct AttendanceRecorded {
  std::uint32_t delegateId = 0;
  bool present = false;
  AttendanceMethod method = AttendanceMethod::Manual;
  std::string reason;
  Principal recordedBy;
  std::int64_t timeMs = 0;
  std::uint32_t sittingId = 0;  // the sitting in session, 0 for none
  float faceDistance = 0;       // method Face: distance of the face to the enrolled delegate
  // Method Face: a small JPEG of the face, kept until thumbnailExpiresMs so
  // that a disputed check-in can be reviewed. Empty: none kept.
  std::string thumbnailJpeg;
  std::int64_t thumbnailExpiresMs = 0;
};

// One usable enrollment photo of a delegate: its descriptor, never the photo
// itself; the aligned 150×150 face is kept to show at the kiosk beside a match.
struct EnrolledPhoto {
  std::string sha256;  // hex of the photo file: re-enrollment recomputes only what changed
  std::string name;    // the file name it came from
  std::array<float, 128> descriptor{};
  std::string chipJpeg;
  std::int64_t enrolledMs = 0;
};

// A delegate's enrolled photos become exactly these (empty: not enrolled any more).
struct FacesEnrolled {
  std::uint32_t delegateId = 0;
  std::vector<EnrolledPhoto> photos;
};

// An official roll call: who was present at that moment, in the hash chain.
struct RollCallTaken {
  std::uint32_t id = 0;  // 1, 2, … per congress
  std::uint64_t seq = 0;  // the event that records it
  std::int64_t timeMs = 0;
  std::uint32_t sittingId = 0;
  std::string note;
  Principal by;
  std::vector<std::uint32_t> presentIds;  // ascending
  AttendanceTotals totals;
};

struct SittingStarted {
  Sitting sitting;
};

struct SittingEnded {
  std::uint32_t id = 0;
  std::int64_t timeMs = 0;
};

// The congress keeps failed attempts: the face of an unresolved attempt, for the
// secretariat to review, until expiresMs.
struct FaceAttemptImageKept {
  std::uint64_t seq = 0;  // the FaceAttemptUnresolved event
  std::string jpeg;
  std::int64_t expiresMs = 0;
};

// Face thumbnails (and kept attempt images) whose retention period has ended are deleted.
struct ThumbnailsExpired {
  std::int64_t beforeMs = 0;
};

struct RosterReplaced {
  Roster roster;
};

struct SessionOpened {
  std::string tokenHash;  // hex SHA-256 of the session token; the token itself is never stored
  Principal principal;
  std::int64_t createdMs = 0;
  std::int64_t expiresMs = 0;
};

struct SessionClosed {
  std::string tokenHash;
};

// A one-time badge token was used to sign in: it cannot be used again.
struct BadgeTokenUsed {
  std::uint32_t delegateId = 0;
  std::int64_t timeMs = 0;
};

// A new document (its version 1) or a new version of one. The file is already
// in the store's file area under its SHA-256; the paragraphs go into the store
// (and its search index) in the same transaction as the event.
struct DocumentVersionAdded {
  Document header;  // id, title, kind, audience, createdMs; no versions
  bool newDocument = false;
  DocumentVersionInfo version;
  std::shared_ptr<const std::vector<documents::Paragraph>> paragraphs;
};

// The organizer set the discussion groups and who reads comments.
struct DiscussionGroupsSet {
  DiscussionGroups groups;
};

// A delegate's (or the secretariat's) comment or reply.
struct CommentAdded {
  Comment comment;
};

// The secretariat's decision on a comment (None clears it).
struct CommentMarked {
  std::uint64_t commentId = 0;
  CommentMark mark = CommentMark::None;
  std::string note;
  Principal by;
  std::int64_t timeMs = 0;
};

// A written contribution approved for presentation (with its audience) or declined.
struct ContributionDecided {
  std::uint32_t documentId = 0;
  Contribution decision;       // status, note, by, time; the author stays
  DocumentAudience audience;   // the document's audience from now on
};

// A delegate first opened a version of a document.
struct DocumentOpened {
  std::uint32_t documentId = 0;
  std::uint32_t version = 0;
  std::uint32_t delegateId = 0;
  std::int64_t timeMs = 0;
};

using Change = std::variant<AttendanceRecorded, RosterReplaced, SessionOpened, SessionClosed, BadgeTokenUsed,
                            BallotDrafted, BallotOpened, VoteCast, BallotClosed, TallyConfirmed, BallotPublished,
                            BallotCancelled, CountingCommitteeAppointed, VotingRulesChosen, FacesEnrolled,
                            RollCallTaken, SittingStarted, SittingEnded, ThumbnailsExpired,
                            FaceAttemptImageKept, DocumentVersionAdded, DiscussionGroupsSet, CommentAdded,
                            CommentMarked, ContributionDecided, DocumentOpened>;

}  // namespace daihoi::domain
