#pragma once
// Congress documents as the hall decides on them: which documents and
// versions exist, who may read each, and what a new version changes. The
// files and paragraph texts live in the store; the hall keeps the metadata and
// each version's paragraph ids (to place comments), shared between the
// pending and committed states.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"
#include "domain/role.hpp"

namespace daihoi::domain {

// Values equal the wire enums daihoi.v1.DocumentKind / DocumentFormat.
enum class DocumentKind : std::uint8_t {
  PoliticalReport = 1,
  DraftResolution = 2,
  ActionProgramme = 3,
  PersonnelList = 4,
  WrittenContribution = 5,
  Other = 6,
};
std::string_view documentKindName(DocumentKind kind);  // "political-report", …
std::optional<DocumentKind> documentKindFromName(std::string_view name);
bool isDocumentKind(int value);

enum class DocumentFormat : std::uint8_t { Pdf = 1, Markdown = 2, PlainText = 3 };
std::string_view documentFormatName(DocumentFormat format);  // "pdf", "markdown", "text"
std::string_view documentContentType(DocumentFormat format);

// Who may read a document besides the secretariat and organizers (who read
// every document to manage them).
struct DocumentAudience {
  bool everyone = false;                    // every delegate and the chair
  std::vector<std::uint32_t> delegationIds;  // ascending: the delegates of these delegations
  RoleSet roles;                            // and these roles
  std::vector<std::uint32_t> delegateIds;    // ascending: and these delegates (a contribution's author)
  bool operator==(const DocumentAudience&) const = default;
};

struct DocumentVersionInfo {
  std::uint32_t number = 0;  // 1, 2, …
  std::string sha256;        // hex, of the file as uploaded: its name in the store and its ETag
  std::uint64_t size = 0;
  DocumentFormat format = DocumentFormat::PlainText;
  std::string fileName;
  std::string note;
  std::int64_t addedMs = 0;
  Principal addedBy;
  std::uint32_t pages = 0;
  bool gzip = false;  // a gzip variant is stored beside the file (text formats)
  // Paragraph ids in reading order (the texts are in the store).
  std::shared_ptr<const std::vector<std::string>> paragraphIds;
  std::uint32_t paragraphCount() const { return paragraphIds ? static_cast<std::uint32_t>(paragraphIds->size()) : 0; }
};

// Values equal the wire enum daihoi.v1.ContributionStatus.
enum class ContributionStatus : std::uint8_t { Submitted = 1, Approved = 2, Declined = 3 };
std::string_view contributionStatusName(ContributionStatus status);  // "submitted", "approved", "declined"

// A written contribution (tham luận) a delegate submitted: read by its author
// and the secretariat until approved for presentation, then by its audience.
struct Contribution {
  std::uint32_t authorDelegateId = 0;
  ContributionStatus status = ContributionStatus::Submitted;
  std::string decisionNote;
  Principal decidedBy;
  std::int64_t decidedMs = 0;
};

struct Document {
  std::uint32_t id = 0;
  std::string title;
  DocumentKind kind = DocumentKind::Other;
  DocumentAudience audience;
  std::int64_t createdMs = 0;
  std::vector<DocumentVersionInfo> versions;  // ascending, never empty
  std::optional<Contribution> contribution;   // a delegate's written contribution
  const DocumentVersionInfo& newest() const { return versions.back(); }
  const DocumentVersionInfo* version(std::uint32_t number) const;
};

// May this principal read the document? `delegationId` is the delegate's
// delegation (0 for staff and devices).
bool mayRead(const Document& document, const Principal& principal, std::uint32_t delegationId);

// A full-text search: `match` is an FTS5 expression (documents::matchExpression)
// over the paragraphs of the newest versions of `documentIds` only — those the
// principal may read, after the request's own filters.
struct DocumentSearch {
  std::string match;
  std::vector<std::uint32_t> documentIds;
  std::uint32_t limit = 20;
  std::uint32_t offset = 0;
};

struct DocumentSearchHit {
  std::uint32_t documentId = 0;
  std::uint32_t version = 0;
  std::string paragraphId;
  std::uint32_t paragraphNumber = 0;
  std::string section;
  std::string markedSnippet;  // with documents::kMatchStart / kMatchEnd around matches
  double bm25 = 0;            // FTS5's: lower is more relevant
};

struct DocumentSearchResult {
  std::vector<DocumentSearchHit> hits;
  std::uint32_t total = 0;
};

class DocumentLibrary {
 public:
  const Document* find(std::uint32_t id) const;
  // The documents with a version whose file has this SHA-256 (a file may be
  // uploaded as two documents).
  std::vector<const Document*> withFile(std::string_view sha256) const;
  const std::map<std::uint32_t, Document>& all() const { return documents_; }
  std::uint32_t nextId() const { return documents_.empty() ? 1 : documents_.rbegin()->first + 1; }

  // A new document (version 1) or the next version of an existing one.
  void addVersion(const Document& header, DocumentVersionInfo version);
  // A contribution approved (with its new audience) or declined.
  void decideContribution(std::uint32_t documentId, Contribution decision, const DocumentAudience& audience);

 private:
  std::map<std::uint32_t, Document> documents_;
  std::multimap<std::string, std::uint32_t, std::less<>> byFile_;
};

}  // namespace daihoi::domain
