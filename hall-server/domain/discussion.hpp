#pragma once
// Discussion of drafts: the discussion groups (tổ thảo luận), delegates'
// comments on paragraphs with replies, the secretariat's marks, where a
// comment's passage is in the newest version, and the compilation of a
// document's comments by section and by group with its CSV and Markdown
// exports. Plain data and rules; the paragraph texts stay in the store.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/documents.hpp"
#include "domain/model.hpp"

namespace daihoi::domain {

// Values equal the wire enums daihoi.v1.CommentVisibility / CommentMark.
enum class CommentVisibility : std::uint8_t { Group = 1, AllDelegates = 2, Secretariat = 3 };
enum class CommentMark : std::uint8_t { None = 0, Accepted = 1, Noted = 2, NotAccepted = 3 };
std::string_view commentMarkName(CommentMark mark);        // "", "accepted", "noted", "not-accepted"
std::string_view commentMarkVietnamese(CommentMark mark);  // "chưa xử lý", "tiếp thu", "ghi nhận", "không tiếp thu"
std::string_view commentVisibilityName(CommentVisibility visibility);  // "group", "all-delegates", "secretariat"

struct DiscussionGroup {
  std::uint32_t id = 0;  // 1, 2, …
  std::string name;
  std::vector<std::uint32_t> delegationIds;  // ascending
  bool operator==(const DiscussionGroup&) const = default;
};

struct DiscussionGroups {
  std::vector<DiscussionGroup> groups;  // by id
  CommentVisibility visibility = CommentVisibility::Group;
  // The group of a delegation (0: in none).
  std::uint32_t groupOf(std::uint32_t delegationId) const;
  const DiscussionGroup* find(std::uint32_t id) const;
  bool operator==(const DiscussionGroups&) const = default;
};

// Bytes [begin, end) of a paragraph's text; begin == end: the whole paragraph.
struct TextSpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool whole() const { return begin == end; }
  bool operator==(const TextSpan&) const = default;
};

struct Comment {
  std::uint64_t id = 0;
  std::uint32_t documentId = 0;
  std::uint32_t version = 0;  // the version it was made on
  std::string paragraphId;
  std::uint32_t paragraphNumber = 0;  // in that version
  TextSpan range;
  std::string quote;  // the range's text then (empty for a whole paragraph)
  std::uint64_t replyTo = 0;
  std::uint64_t threadId = 0;  // the thread's first comment (its own id for a first comment)
  Principal author;
  std::uint32_t authorDelegationId = 0;  // 0 for staff
  std::uint32_t groupId = 0;             // the author's group when it was made (0: none)
  std::string text;
  std::int64_t createdMs = 0;
  CommentMark mark = CommentMark::None;
  std::string markNote;
  Principal markedBy;
  std::int64_t markedMs = 0;
};

class CommentBook {
 public:
  const Comment* find(std::uint64_t id) const;
  // A document's comments by id (the order they were made).
  std::vector<const Comment*> forDocument(std::uint32_t documentId) const;
  std::uint64_t nextId() const { return comments_.empty() ? 1 : comments_.rbegin()->first + 1; }
  std::size_t size() const { return comments_.size(); }

  void add(Comment comment);
  void mark(std::uint64_t id, CommentMark mark, std::string note, Principal by, std::int64_t timeMs);

 private:
  std::map<std::uint64_t, Comment> comments_;
  std::multimap<std::uint32_t, std::uint64_t> byDocument_;
};

// May this principal read a comment of a thread started by `threadStart`?
// The thread decides: replies are read by whoever reads the thread. The
// secretariat, organizers and the thread's author always read it; other
// delegates by the groups' visibility (the author's group, or every delegate
// — the caller checks they may read the document). `readerDelegationId` is
// the reader's delegation (0 for staff).
bool mayReadThread(const Comment& threadStart, const Principal& reader, std::uint32_t readerDelegationId,
                   const DiscussionGroups& groups);

// Where a passage of an older version is in the document's newest version.
struct PassagePlace {
  std::uint32_t newestVersion = 0;
  std::uint32_t paragraphNumber = 0;  // 0 when removed
  bool removed() const { return paragraphNumber == 0; }
};

// Paragraph id → number (1-based) in the newest version, built once for many comments.
class NewestPlaces {
 public:
  explicit NewestPlaces(const Document& document);
  PassagePlace place(const std::string& paragraphId) const;

 private:
  std::uint32_t newestVersion_ = 0;
  std::unordered_map<std::string, std::uint32_t> numbers_;
};

struct MarkCounts {
  std::uint32_t total = 0;
  std::uint32_t accepted = 0;
  std::uint32_t noted = 0;
  std::uint32_t notAccepted = 0;
  std::uint32_t unmarked = 0;
  void count(CommentMark mark);
};

// A paragraph of the newest version: what a compilation needs of it.
struct NewestParagraph {
  std::string id;
  std::uint32_t number = 0;
  std::string section;
};

struct CompiledSection {
  std::string section;                      // "" before the first heading
  std::uint32_t firstParagraphNumber = 0;   // 0: passages removed since
  bool removedPassages = false;
  MarkCounts counts;
  std::vector<const Comment*> comments;     // in reading order
};

struct CompiledGroup {
  std::uint32_t groupId = 0;  // 0: authors in no group (staff replies, delegations not assigned)
  std::string name;
  MarkCounts counts;
  std::vector<const Comment*> comments;
};

struct CommentCompilation {
  MarkCounts counts;
  std::vector<CompiledSection> sections;  // newest reading order; removed passages last
  std::vector<CompiledGroup> groups;      // by group id, only groups with comments
  std::vector<const Comment*> comments;   // reading order: by newest paragraph number, then thread, then time
  std::unordered_map<std::uint64_t, PassagePlace> places;
};

// Compiles `comments` (a document's) against its newest version's paragraphs.
CommentCompilation compileComments(const Document& document, const std::vector<const Comment*>& comments,
                                   const std::vector<NewestParagraph>& newest, const DiscussionGroups& groups);

// The exports: a CSV (RFC 4180, UTF-8 with a BOM, CRLF, one row per comment,
// Vietnamese headers) and a Markdown report (counts, then by section and by
// group). `delegationName` names a delegation id ("" when unknown).
std::string commentsCsv(const Document& document, const CommentCompilation& compilation,
                        const DiscussionGroups& groups,
                        const std::function<std::string(std::uint32_t)>& delegationName);
std::string commentsMarkdown(const Document& document, const CommentCompilation& compilation,
                             const DiscussionGroups& groups,
                             const std::function<std::string(std::uint32_t)>& delegationName);

// Which versions of which documents each delegate has opened, and when first.
class ReadingRecord {
 public:
  // The time this delegate first opened this version, if they have.
  std::optional<std::int64_t> firstOpened(std::uint32_t documentId, std::uint32_t version,
                                          std::uint32_t delegateId) const;
  // The newest version of the document this delegate opened (0: none).
  std::uint32_t newestOpened(std::uint32_t documentId, std::uint32_t delegateId) const;
  // Records the first opening (a later one changes nothing).
  void record(std::uint32_t documentId, std::uint32_t version, std::uint32_t delegateId, std::int64_t timeMs);

 private:
  // (document, delegate) → version → first time.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::map<std::uint32_t, std::int64_t>> opened_;
};

}  // namespace daihoi::domain
