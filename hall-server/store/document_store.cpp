// The store's documents: versions and paragraphs (immutable rows) and the
// search index over the newest version of each document.
// Written contributions (their decisions are append-only) and the record of
// who opened which version live here too.
#include <algorithm>

#include "store/columns.hpp"
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

std::vector<documents::Paragraph> Store::loadParagraphs(std::uint32_t documentId, std::uint32_t version) {
  std::vector<documents::Paragraph> paragraphs;
  auto rows = db_->cached(
      "SELECT number, paragraph_id, section, heading_level, page, text FROM paragraphs "
      "WHERE document_id = ?1 AND version = ?2 ORDER BY number");
  rows->bindInt64(1, documentId).bindInt64(2, version);
  while (rows->step()) {
    documents::Paragraph paragraph;
    paragraph.number = static_cast<std::uint32_t>(rows->columnInt64(0));
    paragraph.id = rows->columnText(1);
    paragraph.section = rows->columnText(2);
    paragraph.headingLevel = static_cast<int>(rows->columnInt64(3));
    paragraph.page = static_cast<std::uint32_t>(rows->columnInt64(4));
    paragraph.text = rows->columnText(5);
    paragraphs.push_back(std::move(paragraph));
  }
  return paragraphs;
}

std::vector<std::string> Store::loadDocumentFiles() {
  std::vector<std::string> files;
  auto rows = db_->cached("SELECT DISTINCT sha256 FROM document_versions ORDER BY sha256");
  while (rows->step()) files.push_back(rows->columnText(0));
  return files;
}

namespace {

// The documents searched, as an SQL list of numbers (ids only: nothing a user typed).
std::string idList(const std::vector<std::uint32_t>& ids) {
  std::string list = "(";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) list += ',';
    list += std::to_string(ids[i]);
  }
  return list + ")";
}

}  // namespace

domain::DocumentSearchResult Store::searchEveryDocument(const domain::DocumentSearch& search) {
  domain::DocumentSearchResult result;
  auto count = db_->cached("SELECT count(*) FROM paragraph_search WHERE paragraph_search MATCH ?1");
  count->bindText(1, search.match);
  if (count->step()) result.total = static_cast<std::uint32_t>(count->columnInt64(0));
  count->reset();
  if (result.total == 0) return result;
  auto ranked = db_->cached(
      "SELECT rowid, rank, snippet(paragraph_search, 0, char(2), char(3), '…', 32) FROM paragraph_search "
      "WHERE paragraph_search MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3");
  ranked->bindText(1, search.match).bindInt64(2, search.limit).bindInt64(3, search.offset);
  auto paragraph = db_->cached(
      "SELECT document_id, version, paragraph_id, number, section FROM paragraphs WHERE id = ?1");
  while (ranked->step()) {
    domain::DocumentSearchHit hit;
    hit.bm25 = ranked->columnDouble(1);
    hit.markedSnippet = ranked->columnText(2);
    paragraph->bindInt64(1, ranked->columnInt64(0));
    if (paragraph->step()) {
      hit.documentId = static_cast<std::uint32_t>(paragraph->columnInt64(0));
      hit.version = static_cast<std::uint32_t>(paragraph->columnInt64(1));
      hit.paragraphId = paragraph->columnText(2);
      hit.paragraphNumber = static_cast<std::uint32_t>(paragraph->columnInt64(3));
      hit.section = paragraph->columnText(4);
      result.hits.push_back(std::move(hit));
    }
    paragraph->reset();
  }
  ranked->reset();
  return result;
}

domain::DocumentSearchResult Store::searchDocuments(const domain::DocumentSearch& search) {
  domain::DocumentSearchResult result;
  if (search.match.empty() || search.documentIds.empty()) return result;
  // The index holds only the newest version of each document, so the join
  // needs no version filter; the id list is built per request, not cached.
  // A reader of every document (the usual delegate) needs no join to filter:
  // FTS5 counts and ranks on its own, then the page's paragraphs are looked up.
  // The ids are documents the hall knows as committed, so as many ids as
  // stored documents are all of them.
  auto documents = db_->cached("SELECT count(*) FROM documents");
  const bool everyDocument = documents->step() && documents->columnInt64(0) == std::ssize(search.documentIds);
  documents->reset();
  if (everyDocument) return searchEveryDocument(search);
  // One pass ranks every match and counts them (a window over the whole
  // result); the snippets, the costly part, are cut for the page's hits only.
  // (bm25() cannot be called beside a window function: it is ranked in a subquery.)
  auto rows = db_->prepare(
      "SELECT id, document_id, version, paragraph_id, number, section, rank, count(*) OVER () FROM ("
      "SELECT p.id, p.document_id, p.version, p.paragraph_id, p.number, p.section, bm25(paragraph_search) AS rank "
      "FROM paragraph_search JOIN paragraphs p ON p.id = paragraph_search.rowid "
      "WHERE paragraph_search MATCH ?1 AND p.document_id IN " + idList(search.documentIds) +
      ") ORDER BY rank, document_id, number LIMIT ?2 OFFSET ?3");
  rows.bindText(1, search.match).bindInt64(2, search.limit).bindInt64(3, search.offset);
  std::vector<std::int64_t> rowids;
  while (rows.step()) {
    rowids.push_back(rows.columnInt64(0));
    domain::DocumentSearchHit hit;
    hit.documentId = static_cast<std::uint32_t>(rows.columnInt64(1));
    hit.version = static_cast<std::uint32_t>(rows.columnInt64(2));
    hit.paragraphId = rows.columnText(3);
    hit.paragraphNumber = static_cast<std::uint32_t>(rows.columnInt64(4));
    hit.section = rows.columnText(5);
    hit.bm25 = rows.columnDouble(6);
    result.total = static_cast<std::uint32_t>(rows.columnInt64(7));
    result.hits.push_back(std::move(hit));
  }
  if (result.hits.empty()) {
    // A page past the end: the count alone.
    if (search.offset == 0) return result;
    auto count = db_->prepare(
        "SELECT count(*) FROM paragraph_search JOIN paragraphs p ON p.id = paragraph_search.rowid "
        "WHERE paragraph_search MATCH ?1 AND p.document_id IN " + idList(search.documentIds));
    count.bindText(1, search.match);
    if (count.step()) result.total = static_cast<std::uint32_t>(count.columnInt64(0));
    return result;
  }
  auto snippet = db_->cached(
      "SELECT snippet(paragraph_search, 0, char(2), char(3), '…', 32) FROM paragraph_search "
      "WHERE paragraph_search MATCH ?1 AND rowid = ?2");
  for (std::size_t i = 0; i < rowids.size(); ++i) {
    snippet->bindText(1, search.match).bindInt64(2, rowids[i]);
    if (snippet->step()) result.hits[i].markedSnippet = snippet->columnText(0);
    snippet->reset();
  }
  return result;
}

std::vector<StudyParagraph> Store::studyParagraphs(const std::string& match,
                                                   const std::vector<std::uint32_t>& documentIds, std::uint32_t limit) {
  std::vector<StudyParagraph> candidates;
  if (match.empty() || documentIds.empty() || limit == 0) return candidates;
  // The index holds the newest versions only; the version filter says so
  // explicitly, so that a candidate is never a passage of an older text.
  auto rows = db_->prepare(
      "SELECT p.document_id, p.version, p.paragraph_id, p.number, p.section, p.text, bm25(paragraph_search) AS rank "
      "FROM paragraph_search JOIN paragraphs p ON p.id = paragraph_search.rowid "
      "WHERE paragraph_search MATCH ?1 AND p.document_id IN " + idList(documentIds) +
      " AND p.version = (SELECT MAX(number) FROM document_versions v WHERE v.document_id = p.document_id) "
      "ORDER BY rank, p.document_id, p.number LIMIT ?2");
  rows.bindText(1, match).bindInt64(2, limit);
  while (rows.step()) {
    StudyParagraph candidate;
    candidate.documentId = static_cast<std::uint32_t>(rows.columnInt64(0));
    candidate.version = static_cast<std::uint32_t>(rows.columnInt64(1));
    candidate.paragraphId = rows.columnText(2);
    candidate.paragraphNumber = static_cast<std::uint32_t>(rows.columnInt64(3));
    candidate.section = rows.columnText(4);
    candidate.text = rows.columnText(5);
    candidate.bm25 = rows.columnDouble(6);
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

}  // namespace daihoi::store
