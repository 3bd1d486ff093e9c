// The store's documents: versions and paragraphs (immutable rows) and the
// search index over the newest version of each document.
#include <charconv>

#include "store/store.hpp"

namespace daihoi::store {
namespace {

std::string joinIds(const std::vector<std::uint32_t>& ids) {
  std::string text;
  for (std::uint32_t id : ids) {
    if (!text.empty()) text += ',';
    text += std::to_string(id);
  }
  return text;
}

std::vector<std::uint32_t> splitIds(std::string_view text, const char* column) {
  std::vector<std::uint32_t> ids;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    std::uint32_t id = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc() || end != item.data() + item.size() || id == 0) {
      throw StoreError(std::string(column) + " holds a malformed id list '" + std::string(text) + "'");
    }
    ids.push_back(id);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return ids;
}

}  // namespace

void Store::apply(const domain::DocumentVersionAdded& change) {
  const domain::Document& header = change.header;
  const domain::DocumentVersionInfo& version = change.version;
  if (change.newDocument) {
    auto document = db_->cached(
        "INSERT INTO documents (id, title, kind, audience_everyone, audience_delegations, audience_roles, created_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    document->bindInt64(1, header.id)
        .bindText(2, header.title)
        .bindInt64(3, static_cast<int>(header.kind))
        .bindInt64(4, header.audience.everyone ? 1 : 0)
        .bindText(5, joinIds(header.audience.delegationIds))
        .bindInt64(6, header.audience.roles.bits())
        .bindInt64(7, header.createdMs)
        .run();
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
      "SELECT id, title, kind, audience_everyone, audience_delegations, audience_roles, created_ms "
      "FROM documents ORDER BY id");
  while (rows->step()) {
    domain::Document document;
    document.id = static_cast<std::uint32_t>(rows->columnInt64(0));
    document.title = rows->columnText(1);
    document.kind = static_cast<domain::DocumentKind>(rows->columnInt64(2));
    document.audience.everyone = rows->columnInt64(3) != 0;
    document.audience.delegationIds = splitIds(rows->columnText(4), "documents.audience_delegations");
    document.audience.roles = domain::RoleSet::fromBits(static_cast<std::uint32_t>(rows->columnInt64(5)));
    document.createdMs = rows->columnInt64(6);
    documents.push_back(std::move(document));
  }
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
  for (std::size_t i = 0; i < ids.size(); ++i) list += (i ? "," : "") + std::to_string(ids[i]);
  return list + ")";
}

}  // namespace

domain::DocumentSearchResult Store::searchDocuments(const domain::DocumentSearch& search) {
  domain::DocumentSearchResult result;
  if (search.match.empty() || search.documentIds.empty()) return result;
  // The index holds only the newest version of each document, so the join
  // needs no version filter; the id list is built per request, not cached.
  const std::string from = " FROM paragraph_search JOIN paragraphs p ON p.id = paragraph_search.rowid "
                           "WHERE paragraph_search MATCH ?1 AND p.document_id IN " + idList(search.documentIds);
  auto count = db_->prepare("SELECT count(*)" + from);
  count.bindText(1, search.match);
  if (count.step()) result.total = static_cast<std::uint32_t>(count.columnInt64(0));
  if (result.total == 0) return result;
  auto rows = db_->prepare(
      "SELECT p.document_id, p.version, p.paragraph_id, p.number, p.section, "
      "snippet(paragraph_search, 0, char(2), char(3), '…', 32), bm25(paragraph_search) AS rank" + from +
      " ORDER BY rank, p.document_id, p.number LIMIT ?2 OFFSET ?3");
  rows.bindText(1, search.match).bindInt64(2, search.limit).bindInt64(3, search.offset);
  while (rows.step()) {
    domain::DocumentSearchHit hit;
    hit.documentId = static_cast<std::uint32_t>(rows.columnInt64(0));
    hit.version = static_cast<std::uint32_t>(rows.columnInt64(1));
    hit.paragraphId = rows.columnText(2);
    hit.paragraphNumber = static_cast<std::uint32_t>(rows.columnInt64(3));
    hit.section = rows.columnText(4);
    hit.markedSnippet = rows.columnText(5);
    hit.bm25 = rows.columnDouble(6);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace daihoi::store
