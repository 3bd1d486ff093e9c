// The store's documents: versions and paragraphs (immutable rows) and the
// search index over the newest version of each document.
// Written contributions (their decisions are append-only) and the record of
// who opened which version live here too.
#include <algorithm>
#include <queue>
#include <unordered_map>

#include "store/columns.hpp"
#include "store/paragraph_owners.hpp"
#include "store/store.hpp"

namespace daihoi::store {
namespace {

domain::ContributionStatus statusFromColumn(std::int64_t value, const char* table) {
  if (value < 1 || value > 3) {
    throw StoreError(std::string(table) + " holds an unknown contribution status " + std::to_string(value));
  }
  return static_cast<domain::ContributionStatus>(value);
}

}  // namespace

void Store::apply(const domain::DocumentVersionAdded& change) {
  const domain::Document& header = change.header;
  const domain::DocumentVersionInfo& version = change.version;
  if (change.newDocument) {
    auto document = db_->cached(
        "INSERT INTO documents (id, title, kind, audience_everyone, audience_delegations, audience_roles, "
        "audience_delegates, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    document->bindInt64(1, header.id).bindText(2, header.title).bindInt64(3, static_cast<int>(header.kind));
    columns::bindAudience(*document, 4, header.audience);
    document->bindInt64(8, header.createdMs).run();
    if (header.contribution) {
      const domain::Contribution& contribution = *header.contribution;
      auto insert = db_->cached(
          "INSERT INTO contributions (document_id, author_delegate_id, status, note, by_role, by_id, by_name, "
          "by_login, time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      insert->bindInt64(1, header.id)
          .bindInt64(2, contribution.authorDelegateId)
          .bindInt64(3, static_cast<int>(contribution.status))
          .bindText(4, contribution.decisionNote);
      columns::bindPrincipal(*insert, 5, contribution.decidedBy);
      insert->bindInt64(9, contribution.decidedMs).run();
    }
  }
  auto insertVersion = db_->cached(
      "INSERT INTO document_versions (document_id, number, sha256, size, format, file_name, note, added_ms, "
      "added_by_role, added_by_id, added_by_login, added_by_name, pages, gzip) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  insertVersion->bindInt64(1, header.id)
      .bindInt64(2, version.number)
      .bindText(3, version.sha256)
      .bindInt64(4, static_cast<std::int64_t>(version.size))
      .bindInt64(5, static_cast<int>(version.format))
      .bindText(6, version.fileName)
      .bindText(7, version.note)
      .bindInt64(8, version.addedMs)
      .bindInt64(9, static_cast<int>(version.addedBy.role))
      .bindInt64(10, version.addedBy.accountId)
      .bindText(11, version.addedBy.login)
      .bindText(12, version.addedBy.displayName)
      .bindInt64(13, version.pages)
      .bindInt64(14, version.gzip ? 1 : 0)
      .run();
  // The previous version leaves the search index: people search the newest text.
  if (version.number > 1) {
    auto unindex = db_->cached(
        "INSERT INTO paragraph_search (paragraph_search, rowid, text) "
        "SELECT 'delete', id, text FROM paragraphs WHERE document_id = ?1 AND version = ?2");
    unindex->bindInt64(1, header.id).bindInt64(2, version.number - 1).run();
  }
  auto insertParagraph = db_->cached(
      "INSERT INTO paragraphs (document_id, version, number, paragraph_id, section, heading_level, page, text) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  auto index = db_->cached("INSERT INTO paragraph_search (rowid, text) VALUES (?1, ?2)");
  for (const documents::Paragraph& paragraph : *change.paragraphs) {
    insertParagraph->bindInt64(1, header.id)
        .bindInt64(2, version.number)
        .bindInt64(3, paragraph.number)
        .bindText(4, paragraph.id)
        .bindText(5, paragraph.section)
        .bindInt64(6, paragraph.headingLevel)
        .bindInt64(7, paragraph.page)
        .bindText(8, paragraph.text)
        .run();
    insertParagraph->reset();
    index->bindInt64(1, db_->lastInsertRowid()).bindText(2, paragraph.text).run();
    index->reset();
  }
}

std::vector<domain::Document> Store::loadDocuments() {
  std::vector<domain::Document> documents;
  auto rows = db_->cached(
      "SELECT id, title, kind, audience_everyone, audience_delegations, audience_roles, audience_delegates, "
      "created_ms FROM documents ORDER BY id");
  while (rows->step()) {
    domain::Document document;
    document.id = static_cast<std::uint32_t>(rows->columnInt64(0));
    document.title = rows->columnText(1);
    document.kind = static_cast<domain::DocumentKind>(rows->columnInt64(2));
    document.audience = columns::audience(*rows, 3, "documents");
    document.createdMs = rows->columnInt64(7);
    documents.push_back(std::move(document));
  }
  loadContributions(documents);
  auto versions = db_->cached(
      "SELECT number, sha256, size, format, file_name, note, added_ms, added_by_role, added_by_id, added_by_login, "
      "added_by_name, pages, gzip FROM document_versions WHERE document_id = ?1 ORDER BY number");
  auto ids = db_->cached("SELECT paragraph_id FROM paragraphs WHERE document_id = ?1 AND version = ?2 ORDER BY number");
  for (domain::Document& document : documents) {
    versions->bindInt64(1, document.id);
    while (versions->step()) {
      domain::DocumentVersionInfo version;
      version.number = static_cast<std::uint32_t>(versions->columnInt64(0));
      version.sha256 = versions->columnText(1);
      version.size = static_cast<std::uint64_t>(versions->columnInt64(2));
      version.format = static_cast<domain::DocumentFormat>(versions->columnInt64(3));
      version.fileName = versions->columnText(4);
      version.note = versions->columnText(5);
      version.addedMs = versions->columnInt64(6);
      version.addedBy.role = static_cast<domain::Role>(versions->columnInt64(7));
      version.addedBy.accountId = static_cast<std::uint32_t>(versions->columnInt64(8));
      version.addedBy.login = versions->columnText(9);
      version.addedBy.displayName = versions->columnText(10);
      version.pages = static_cast<std::uint32_t>(versions->columnInt64(11));
      version.gzip = versions->columnInt64(12) != 0;
      auto paragraphIds = std::make_shared<std::vector<std::string>>();
      ids->bindInt64(1, document.id).bindInt64(2, version.number);
      while (ids->step()) paragraphIds->push_back(ids->columnText(0));
      ids->reset();
      version.paragraphIds = std::move(paragraphIds);
      document.versions.push_back(std::move(version));
    }
    versions->reset();
    if (document.versions.empty()) {
      throw StoreError("document " + std::to_string(document.id) + " has no version");
    }
  }
  return documents;
}

// The contribution as submitted, then every decision in order: the latest
// gives the status, note, who, when and the document's audience.
void Store::loadContributions(std::vector<domain::Document>& documents) {
  const auto find = [&](std::int64_t id, const char* table) -> domain::Document& {
    auto it = std::lower_bound(documents.begin(), documents.end(), id,
                               [](const domain::Document& d, std::int64_t value) { return d.id < value; });
    if (it == documents.end() || it->id != id) {
      throw StoreError(std::string(table) + " names document " + std::to_string(id) + ", which does not exist");
    }
    return *it;
  };
  auto submitted = db_->prepare(
      "SELECT document_id, author_delegate_id, status, note, by_role, by_id, by_name, by_login, time_ms "
      "FROM contributions ORDER BY document_id");
  while (submitted.step()) {
    domain::Contribution contribution;
    contribution.authorDelegateId = columns::id32(submitted.columnInt64(1), "contributions.author_delegate_id");
    contribution.status = statusFromColumn(submitted.columnInt64(2), "contributions");
    contribution.decisionNote = submitted.columnText(3);
    contribution.decidedBy = columns::principal(submitted, 4, "contributions");
    contribution.decidedMs = submitted.columnInt64(8);
    find(submitted.columnInt64(0), "contributions").contribution = std::move(contribution);
  }
  auto decisions = db_->prepare(
      "SELECT document_id, status, note, by_role, by_id, by_name, by_login, time_ms, audience_everyone, "
      "audience_delegations, audience_roles, audience_delegates FROM contribution_decisions ORDER BY id");
  while (decisions.step()) {
    domain::Document& document = find(decisions.columnInt64(0), "contribution_decisions");
    if (!document.contribution) {
      throw StoreError("contribution_decisions: document " + std::to_string(document.id) + " is no contribution");
    }
    domain::Contribution& contribution = *document.contribution;
    contribution.status = statusFromColumn(decisions.columnInt64(1), "contribution_decisions");
    contribution.decisionNote = decisions.columnText(2);
    contribution.decidedBy = columns::principal(decisions, 3, "contribution_decisions");
    contribution.decidedMs = decisions.columnInt64(7);
    document.audience = columns::audience(decisions, 8, "contribution_decisions");
  }
}

void Store::apply(const domain::ContributionDecided& change) {
  // The foreign key refuses a decision on a document that is no contribution.
  auto insert = db_->cached(
      "INSERT INTO contribution_decisions (document_id, status, note, by_role, by_id, by_name, by_login, time_ms, "
      "audience_everyone, audience_delegations, audience_roles, audience_delegates) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  insert->bindInt64(1, change.documentId)
      .bindInt64(2, static_cast<int>(change.decision.status))
      .bindText(3, change.decision.decisionNote);
  columns::bindPrincipal(*insert, 4, change.decision.decidedBy);
  insert->bindInt64(8, change.decision.decidedMs);
  columns::bindAudience(*insert, 9, change.audience);
  insert->run();
}

void Store::apply(const domain::DocumentOpened& change) {
  // Only the first opening counts: a later one changes nothing.
  auto insert = db_->cached(
      "INSERT OR IGNORE INTO document_reads (document_id, version, delegate_id, first_ms) VALUES (?1, ?2, ?3, ?4)");
  insert->bindInt64(1, change.documentId)
      .bindInt64(2, change.version)
      .bindInt64(3, change.delegateId)
      .bindInt64(4, change.timeMs)
      .run();
}

std::vector<domain::DocumentOpened> Store::loadDocumentReads() {
  std::vector<domain::DocumentOpened> reads;
  auto rows = db_->prepare(
      "SELECT document_id, version, delegate_id, first_ms FROM document_reads "
      "ORDER BY document_id, delegate_id, version");
  while (rows.step()) {
    reads.push_back(domain::DocumentOpened{columns::id32(rows.columnInt64(0), "document_reads.document_id"),
                                           columns::id32(rows.columnInt64(1), "document_reads.version"),
                                           columns::id32(rows.columnInt64(2), "document_reads.delegate_id"),
                                           rows.columnInt64(3)});
  }
  return reads;
}

namespace {

constexpr const char* kParagraphColumns = "SELECT number, paragraph_id, section, heading_level, page, text FROM paragraphs ";

documents::Paragraph paragraphOf(Statement& row) {
  documents::Paragraph paragraph;
  paragraph.number = static_cast<std::uint32_t>(row.columnInt64(0));
  paragraph.id = row.columnText(1);
  paragraph.section = row.columnText(2);
  paragraph.headingLevel = static_cast<int>(row.columnInt64(3));
  paragraph.page = static_cast<std::uint32_t>(row.columnInt64(4));
  paragraph.text = row.columnText(5);
  return paragraph;
}

}  // namespace

std::vector<documents::Paragraph> Store::loadParagraphs(std::uint32_t documentId, std::uint32_t version) {
  std::vector<documents::Paragraph> paragraphs;
  auto rows = db_->cached(std::string(kParagraphColumns) + "WHERE document_id = ?1 AND version = ?2 ORDER BY number");
  rows->bindInt64(1, documentId).bindInt64(2, version);
  while (rows->step()) paragraphs.push_back(paragraphOf(*rows));
  return paragraphs;
}

std::optional<documents::Paragraph> Store::loadParagraph(std::uint32_t documentId, std::uint32_t version,
                                                         std::uint32_t number) {
  auto row = db_->cached(std::string(kParagraphColumns) + "WHERE document_id = ?1 AND version = ?2 AND number = ?3");
  row->bindInt64(1, documentId).bindInt64(2, version).bindInt64(3, number);
  if (!row->step()) return std::nullopt;
  return paragraphOf(*row);
}

std::vector<std::string> Store::loadDocumentFiles() {
  std::vector<std::string> files;
  auto rows = db_->cached("SELECT DISTINCT sha256 FROM document_versions ORDER BY sha256");
  while (rows->step()) files.push_back(rows->columnText(0));
  return files;
}

namespace {

// Ids (of documents or paragraphs) as an SQL list of numbers: nothing a user typed.
template <class Id>
std::string idList(const std::vector<Id>& ids) {
  std::string list = "(";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) list += ',';
    list += std::to_string(ids[i]);
  }
  return list + ")";
}

}  // namespace

namespace {

// A matching paragraph: its id (the index's rowid) and its daihoi_bm25 score.
struct RankedParagraph {
  double score = 0;
  std::int64_t id = 0;
  // Best first: the lower score, then the older paragraph (ids grow with publication).
  bool operator<(const RankedParagraph& other) const {
    return score != other.score ? score < other.score : id < other.id;
  }
};

struct RankedMatches {
  std::vector<RankedParagraph> best;  // at most `keep`, best first
  std::uint32_t total = 0;            // every match
};

// Ranks every paragraph of `documentIds` matching `match` in one pass, which
// also counts them, keeping the `keep` best. Ranking in this loop rather than
// with ORDER BY spares SQLite's sorter every match when a page needs twenty.
RankedMatches rankMatches(Database& db, ParagraphOwners& owners, const std::string& match,
                          const std::vector<std::uint32_t>& documentIds, std::size_t keep) {
  RankedMatches ranked;
  // A reader of every document (the usual delegate) needs no filter: FTS5
  // alone finds the matches. The ids are documents the hall knows as
  // committed, so as many ids as stored documents are all of them.
  auto documents = db.cached("SELECT count(*) FROM documents");
  const bool everyDocument = documents->step() && documents->columnInt64(0) == std::ssize(documentIds);
  documents->reset();
  // Worst of the kept on top, to be replaced by a better one.
  std::priority_queue<RankedParagraph> kept;
  const auto collect = [&](Statement& rows, const auto& readable) {
    rows.bindText(1, match);
    while (rows.step()) {
      const std::int64_t id = rows.columnInt64(0);
      if (!readable(id)) continue;
      ++ranked.total;
      const RankedParagraph paragraph{rows.columnDouble(1), id};
      if (kept.size() < keep) {
        kept.push(paragraph);
      } else if (keep > 0 && paragraph < kept.top()) {
        kept.pop();
        kept.push(paragraph);
      }
    }
  };
  const auto any = [](std::int64_t) { return true; };
  bool answered = false;
  if (everyDocument) {
    auto rows = db.cached(
        "SELECT rowid, daihoi_bm25(paragraph_search) FROM paragraph_search WHERE paragraph_search MATCH ?1");
    collect(*rows, any);
    answered = true;
  } else if (owners.refresh(db)) {
    // A reader of some documents: the same index query, each match kept when
    // its document (known in memory) is readable. A match newer than the
    // owners known (committed since the refresh) is looked up after one more.
    std::vector<std::uint32_t> readable = documentIds;
    std::sort(readable.begin(), readable.end());
    answered = true;
    const auto ofReadable = [&](std::int64_t paragraphId) {
      if (paragraphId > owners.highest()) answered = answered && owners.refresh(db);
      const std::optional<std::uint32_t> document = owners.documentOf(paragraphId);
      return document && std::binary_search(readable.begin(), readable.end(), *document);
    };
    auto rows = db.cached(
        "SELECT rowid, daihoi_bm25(paragraph_search) FROM paragraph_search WHERE paragraph_search MATCH ?1");
    collect(*rows, ofReadable);
    if (!answered) {  // the owners could not be trusted after all: start again with the join
      ranked = {};
      kept = {};
    }
  }
  if (!answered) {
    // The id list is built per request (ids only, nothing a user typed), not cached.
    auto rows = db.prepare(
        "SELECT p.id, daihoi_bm25(paragraph_search) FROM paragraph_search "
        "JOIN paragraphs p ON p.id = paragraph_search.rowid "
        "WHERE paragraph_search MATCH ?1 AND p.document_id IN " + idList(documentIds));
    collect(rows, any);
  }
  ranked.best.resize(kept.size());
  for (auto slot = ranked.best.rbegin(); slot != ranked.best.rend(); ++slot) {
    *slot = kept.top();
    kept.pop();
  }
  return ranked;
}

}  // namespace

domain::DocumentSearchResult Store::searchDocuments(const domain::DocumentSearch& search) {
  domain::DocumentSearchResult result;
  if (search.match.empty() || search.documentIds.empty()) return result;
  // The index holds only the newest version of each document: no version filter.
  const RankedMatches ranked = rankMatches(*db_, *paragraphOwners_, search.match, search.documentIds,
                                           std::size_t{search.offset} + std::size_t{search.limit});
  result.total = ranked.total;
  if (ranked.best.size() <= search.offset) return result;
  // The page's snippets (the costly part, cut for the page only) in one pass
  // over the matches between its first and last paragraph: an FTS5 cursor per
  // hit (MATCH with rowid = ?) would seek every term's doclist twenty times.
  // The unary + keeps the id list out of FTS5's plan, so SQLite filters the
  // cursor's rows and cuts snippets for the page's rows alone.
  std::vector<std::int64_t> pageIds;
  std::int64_t first = ranked.best[search.offset].id;
  std::int64_t last = first;
  for (std::size_t i = search.offset; i < ranked.best.size(); ++i) {
    pageIds.push_back(ranked.best[i].id);
    first = std::min(first, ranked.best[i].id);
    last = std::max(last, ranked.best[i].id);
  }
  auto snippets = db_->prepare(
      "SELECT rowid, snippet(paragraph_search, 0, char(2), char(3), '…', 32) FROM paragraph_search "
      "WHERE paragraph_search MATCH ?1 AND rowid BETWEEN ?2 AND ?3 AND +rowid IN " + idList(pageIds));
  snippets.bindText(1, search.match).bindInt64(2, first).bindInt64(3, last);
  std::unordered_map<std::int64_t, std::string> snippetOf;
  while (snippets.step()) snippetOf.emplace(snippets.columnInt64(0), snippets.columnText(1));
  auto paragraph = db_->cached(
      "SELECT document_id, version, paragraph_id, number, section FROM paragraphs WHERE id = ?1");
  for (std::size_t i = search.offset; i < ranked.best.size(); ++i) {
    paragraph->bindInt64(1, ranked.best[i].id);
    if (paragraph->step()) {
      domain::DocumentSearchHit hit;
      hit.documentId = static_cast<std::uint32_t>(paragraph->columnInt64(0));
      hit.version = static_cast<std::uint32_t>(paragraph->columnInt64(1));
      hit.paragraphId = paragraph->columnText(2);
      hit.paragraphNumber = static_cast<std::uint32_t>(paragraph->columnInt64(3));
      hit.section = paragraph->columnText(4);
      hit.markedSnippet = std::move(snippetOf[ranked.best[i].id]);
      hit.bm25 = ranked.best[i].score;
      result.hits.push_back(std::move(hit));
    }
    paragraph->reset();
  }
  return result;
}

std::vector<StudyParagraph> Store::studyParagraphs(const std::string& match,
                                                   const std::vector<std::uint32_t>& documentIds, std::uint32_t limit) {
  std::vector<StudyParagraph> candidates;
  if (match.empty() || documentIds.empty() || limit == 0) return candidates;
  const RankedMatches ranked = rankMatches(*db_, *paragraphOwners_, match, documentIds, limit);
  // The index holds the newest versions only; the version filter says so
  // explicitly, so that a candidate is never a passage of an older text.
  auto paragraph = db_->cached(
      "SELECT p.document_id, p.version, p.paragraph_id, p.number, p.section, p.text FROM paragraphs p "
      "WHERE p.id = ?1 AND p.version = (SELECT MAX(number) FROM document_versions v WHERE v.document_id = p.document_id)");
  for (const RankedParagraph& best : ranked.best) {
    paragraph->bindInt64(1, best.id);
    if (paragraph->step()) {
      StudyParagraph candidate;
      candidate.documentId = static_cast<std::uint32_t>(paragraph->columnInt64(0));
      candidate.version = static_cast<std::uint32_t>(paragraph->columnInt64(1));
      candidate.paragraphId = paragraph->columnText(2);
      candidate.paragraphNumber = static_cast<std::uint32_t>(paragraph->columnInt64(3));
      candidate.section = paragraph->columnText(4);
      candidate.text = paragraph->columnText(5);
      candidate.bm25 = best.score;
      candidates.push_back(std::move(candidate));
    }
    paragraph->reset();
  }
  return candidates;
}

}  // namespace daihoi::store
