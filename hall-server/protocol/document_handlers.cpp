// Documents (docs/DOCUMENTS.md): uploads, new documents and versions, the
// list, a version's paragraphs and the diff between two versions.
#include <algorithm>
#include <optional>

#include "documents/search.hpp"
#include "documents/vietnamese.hpp"
#include "protocol/document_support.hpp"
#include "protocol/document_wire.hpp"
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

constexpr std::size_t kMaxTitleBytes = 500;
constexpr std::size_t kMaxNoteBytes = 2000;
constexpr std::size_t kMaxFileNameBytes = 255;
constexpr std::size_t kMaxQueryBytes = 1000;
constexpr std::uint32_t kDefaultSearchHits = 20;
constexpr std::uint32_t kMaxSearchHits = 100;

bool requireDocumentWork(Request& request) {
  if (request.hall().documentWork() != nullptr) return true;
  request.fail(v1::ERROR_FAILED_PRECONDITION, "this server does not store documents");
  return false;
}

bool validFileName(const std::string& name) {
  return !name.empty() && name.size() <= kMaxFileNameBytes && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos && name.find('\0') == std::string::npos &&
         !documents::firstInvalidUtf8(name);
}

// The audience a request names, its roles and delegations checked; nothing
// (and the error sent) when it is wrong or empty.
std::optional<domain::DocumentAudience> checkedAudience(Request& request, const v1::DocumentAudience& wire) {
  for (int role : wire.roles()) {
    if (!v1::Role_IsValid(role) || role == v1::ROLE_UNSPECIFIED) {
      request.fail(v1::ERROR_INVALID_ARGUMENT, "audience role " + std::to_string(role) + " is not a role");
      return std::nullopt;
    }
  }
  domain::DocumentAudience audience = fromWire(wire);
  if (!audience.everyone && audience.delegationIds.empty() && audience.roles.empty() && audience.delegateIds.empty()) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the audience is empty: everyone, some delegations or some roles");
    return std::nullopt;
  }
  const domain::Roster& roster = request.hall().pending().roster();
  for (std::uint32_t id : audience.delegationIds) {
    if (roster.findDelegation(id) == nullptr) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegation " + std::to_string(id));
      return std::nullopt;
    }
  }
  for (std::uint32_t id : audience.delegateIds) {
    if (roster.findById(id) == nullptr) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegate " + std::to_string(id));
      return std::nullopt;
    }
  }
  return audience;
}

v1::ErrorCode errorForPrepared(const Failure& failure) {
  if (failure.code == "too_large") return v1::ERROR_TOO_LARGE;
  if (failure.code == "invalid_document") return v1::ERROR_INVALID_DOCUMENT;
  return v1::ERROR_INTERNAL;
}

std::shared_ptr<const std::vector<std::string>> idsOf(const std::vector<documents::Paragraph>& paragraphs) {
  auto ids = std::make_shared<std::vector<std::string>>();
  ids->reserve(paragraphs.size());
  for (const auto& paragraph : paragraphs) ids->push_back(paragraph.id);
  return ids;
}

// A complete upload of this account that nothing else is using; nothing (and
// the error sent) otherwise.
Upload* uploadReadyForVersion(Request& request, const std::string& uploadId) {
  Upload* upload = request.hall().documentDesk().find(request.principal(), uploadId);
  if (upload == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND, "no upload '" + uploadId + "' of this account: send its chunks first");
    return nullptr;
  }
  if (upload->writing || upload->preparing || !upload->complete()) {
    request.fail(v1::ERROR_FAILED_PRECONDITION,
                 "upload '" + uploadId + "' is not complete: " + std::to_string(upload->received) + " of " +
                     std::to_string(upload->totalSize) + " bytes received");
    return nullptr;
  }
  return upload;
}

// The new version, staged with its event, once the worker has prepared it.
struct VersionDraft {
  domain::Document header;
  bool newDocument = false;
  std::string fileName;
  std::string note;
};

void stageVersion(Request& request, VersionDraft draft, PreparedVersion prepared, std::function<void()> always) {
  Hall& hall = request.hall();
  const domain::Document* existing = hall.pending().documents().find(draft.header.id);
  domain::DocumentVersionInfo version;
  version.number = existing ? existing->newest().number + 1 : 1;
  version.sha256 = prepared.sha256;
  version.size = prepared.size;
  version.format = prepared.format;
  version.fileName = std::move(draft.fileName);
  version.note = std::move(draft.note);
  version.addedMs = hall.clock().nowMs();
  version.addedBy = request.principal();
  version.pages = prepared.pages;
  version.gzip = prepared.gzip;
  version.paragraphIds = idsOf(*prepared.paragraphs);
  const std::uint32_t number = version.number;
  request.stage(domain::DocumentVersionAdded{draft.header, draft.newDocument, std::move(version), prepared.paragraphs});

  const domain::Document& document = *hall.pending().documents().find(draft.header.id);
  v1::Event& event = request.emit(hall.documentAudience(document));
  auto& published = *event.mutable_document_published();
  toWire(document, *published.mutable_document());
  published.set_version(number);
  toWire(request.principal(), *published.mutable_by());

  auto response = std::make_shared<v1::Response>();
  toWire(document, *response->mutable_document()->mutable_document());
  response->mutable_document()->set_version(number);
  const std::uint64_t requestId = request.id();
  request.commitThen(
      [response, requestId](Connection& connection) { connection.reply(requestId, std::move(*response)); },
      std::move(always));
}

// Runs the worker on a complete upload, then `finish` on the hall's thread
// with the request resumed (when the terminal is still there) and the result.
void prepareUpload(Request& request, Upload& upload, PrepareJob job,
                   std::function<void(Request*, Result<PreparedVersion>)> finish) {
  Hall& hall = request.hall();
  upload.preparing = true;
  job.uploadKey = upload.key;
  job.maxBytes = hall.documentDesk().options().maxDocumentBytes;
  auto message = std::make_shared<v1::ClientMessage>(request.message());
  std::weak_ptr<Connection> weak = request.connectionPtr();
  const std::string key = upload.key;
  hall.documentWork()->prepare(std::move(job), [&hall, weak, message, key, finish = std::move(finish)](
                                                   Result<PreparedVersion> result) {
    hall.documentDesk().finish(key);  // the upload became a version, or was refused: gone either way
    auto connection = weak.lock();
    if (!connection || !connection->principal()) {
      // Nobody heard of it: nothing is kept (an unused file is swept at start).
      finish(nullptr, std::move(result));
      return;
    }
    Request resumed(hall, connection, *message);
    if (!result) {
      resumed.fail(errorForPrepared(result.error()), result.error().message);
      finish(nullptr, std::move(result));
      return;
    }
    finish(&resumed, std::move(result));
  });
}

}  // namespace

void handleUploadChunk(Request& request) {
  if (!requireDocumentWork(request)) return;
  Hall& hall = request.hall();
  DocumentDesk& desk = hall.documentDesk();
  const auto& in = request.message().upload_chunk();
  const DocumentOptions& options = desk.options();
  if (!DocumentDesk::validUploadId(in.upload_id())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "upload_id must be 8–64 characters of A-Z a-z 0-9 - _");
    return;
  }
  if (in.data().size() > options.maxChunkBytes) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "a chunk may hold at most " + std::to_string(options.maxChunkBytes) +
                                                 " bytes");
    return;
  }
  const std::int64_t now = hall.clock().nowMs();
  for (std::string& expired : desk.expire(now)) hall.documentWork()->discardUpload(std::move(expired));
  Upload* upload = desk.find(request.principal(), in.upload_id());
  if (upload != nullptr && (upload->writing || upload->preparing)) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "upload '" + in.upload_id() + "' is busy: wait for the last answer");
    return;
  }
  if (in.offset() == 0) {
    if (in.total_size() == 0) {
      request.fail(v1::ERROR_INVALID_DOCUMENT, "Tệp rỗng / the file is empty");
      return;
    }
    if (in.total_size() > options.maxDocumentBytes) {
      request.fail(v1::ERROR_TOO_LARGE, "Tệp quá lớn / the file is above the limit of " +
                                            std::to_string(options.maxDocumentBytes) + " bytes");
      return;
    }
    upload = desk.start(request.principal(), in.upload_id(), in.total_size(), now);
    if (upload == nullptr) {
      request.fail(v1::ERROR_FAILED_PRECONDITION, "this account has " + std::to_string(options.uploadsPerAccount) +
                                                      " uploads in progress already: finish one first");
      return;
    }
  } else if (upload == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND, "no upload '" + in.upload_id() + "': start it at offset 0");
    return;
  } else if (in.offset() != upload->received) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "upload '" + in.upload_id() + "' continues at offset " +
                                                    std::to_string(upload->received));
    return;
  }
  if (in.offset() + in.data().size() > upload->totalSize) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the chunk goes beyond total_size " + std::to_string(upload->totalSize));
    return;
  }
  upload->writing = true;
  upload->touchedMs = now;
  auto message = std::make_shared<v1::ClientMessage>(request.message());
  std::weak_ptr<Connection> weak = request.connectionPtr();
  const std::string key = upload->key;
  const std::uint64_t length = in.data().size();
  hall.documentWork()->writeChunk(key, in.offset(), in.data(), [&hall, weak, message, key, length](std::string error) {
    Upload* written = hall.documentDesk().findByKey(key);
    if (written != nullptr) {
      written->writing = false;
      if (error.empty()) written->received += length;
      written->touchedMs = hall.clock().nowMs();
    }
    auto connection = weak.lock();
    if (!connection || !connection->principal()) return;
    Request resumed(hall, connection, *message);
    if (!error.empty() || written == nullptr) {
      resumed.fail(v1::ERROR_INTERNAL, "the chunk could not be stored: " + error);
      return;
    }
    v1::Response response;
    response.mutable_upload()->set_upload_id(message->upload_chunk().upload_id());
    response.mutable_upload()->set_received(written->received);
    resumed.commitAndReply(std::move(response));
  });
}

void handleAddDocument(Request& request) {
  if (!requireDocumentWork(request)) return;
  Hall& hall = request.hall();
  const auto& in = request.message().add_document();
  VersionDraft draft;
  draft.newDocument = true;
  auto title = checkedText(request, in.title(), kMaxTitleBytes, "title", true);
  if (!title) return;
  auto note = checkedText(request, in.note(), kMaxNoteBytes, "note", false);
  if (!note) return;
  draft.header.title = std::move(*title);
  draft.note = std::move(*note);
  if (!domain::isDocumentKind(in.kind())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "kind must be one of the document kinds");
    return;
  }
  draft.header.kind = static_cast<domain::DocumentKind>(in.kind());
  const domain::Principal& author = request.principal();
  if (author.role == domain::Role::Delegate) {
    // A delegate submits a written contribution: its author and the secretariat read it until approved.
    if (draft.header.kind != domain::DocumentKind::WrittenContribution) {
      request.fail(v1::ERROR_PERMISSION_DENIED, "a delegate submits written contributions only");
      return;
    }
    draft.header.audience = domain::DocumentAudience{};
    draft.header.audience.delegateIds = {author.accountId};
    draft.header.contribution = domain::Contribution{author.accountId};
  } else {
    auto audience = checkedAudience(request, in.audience());
    if (!audience) return;
    draft.header.audience = std::move(*audience);
  }
  if (!validFileName(in.file_name())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "file_name must be a plain file name (UTF-8, no /, at most 255 bytes)");
    return;
  }
  draft.fileName = in.file_name();
  Upload* upload = uploadReadyForVersion(request, in.upload_id());
  if (upload == nullptr) return;
  PrepareJob job;
  job.fileName = draft.fileName;
  prepareUpload(request, *upload, std::move(job),
                [&hall, draft = std::move(draft)](Request* resumed, Result<PreparedVersion> result) mutable {
                  if (resumed == nullptr) return;
                  // The id is taken now, in commit order: two documents prepared at once get two ids.
                  draft.header.id = hall.pending().documents().nextId();
                  draft.header.createdMs = hall.clock().nowMs();
                  stageVersion(*resumed, std::move(draft), std::move(result.value()), nullptr);
                });
}

void handleUpdateDocument(Request& request) {
  if (!requireDocumentWork(request)) return;
  Hall& hall = request.hall();
  const auto& in = request.message().update_document();
  const domain::Document* document = hall.committed().documents().find(in.document_id());
  if (document == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND, "no document " + std::to_string(in.document_id()));
    return;
  }
  if (request.principal().role == domain::Role::Delegate) {
    const auto& contribution = document->contribution;
    if (!contribution || contribution->authorDelegateId != request.principal().accountId ||
        !hall.mayRead(*document, request.principal())) {
      request.fail(v1::ERROR_NOT_FOUND, "no document " + std::to_string(in.document_id()));
      return;
    }
    if (contribution->status != domain::ContributionStatus::Submitted) {
      request.fail(v1::ERROR_FAILED_PRECONDITION, "the secretariat has decided on this contribution already");
      return;
    }
  }
  VersionDraft draft;
  draft.header = *document;
  draft.header.versions.clear();
  // A new version says what changed.
  auto note = checkedText(request, in.note(), kMaxNoteBytes, "note", true);
  if (!note) return;
  draft.note = std::move(*note);
  if (!validFileName(in.file_name())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "file_name must be a plain file name (UTF-8, no /, at most 255 bytes)");
    return;
  }
  draft.fileName = in.file_name();
  Upload* upload = uploadReadyForVersion(request, in.upload_id());
  if (upload == nullptr) return;
  DocumentDesk& desk = hall.documentDesk();
  // Paragraph ids carry over from the newest committed version: one new version at a time.
  if (!desk.beginPreparing(document->id)) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "a new version of document " + std::to_string(document->id) +
                                                    " is being prepared: try again when it is published");
    return;
  }
  const std::uint32_t documentId = document->id;
  const std::uint32_t newest = document->newest().number;
  const std::string newestSha = document->newest().sha256;
  PrepareJob job;
  job.fileName = draft.fileName;
  job.previous = std::make_pair(documentId, newest);
  prepareUpload(request, *upload, std::move(job),
                [&hall, draft = std::move(draft), documentId, newest, newestSha](
                    Request* resumed, Result<PreparedVersion> result) mutable {
                  auto release = [&hall, documentId] { hall.documentDesk().endPreparing(documentId); };
                  if (resumed == nullptr) {
                    release();
                    return;
                  }
                  if (result->sha256 == newestSha) {
                    release();
                    resumed->fail(v1::ERROR_FAILED_PRECONDITION,
                                  "the file is identical to version " + std::to_string(newest) + ": nothing new");
                    return;
                  }
                  stageVersion(*resumed, std::move(draft), std::move(result.value()), release);
                });
}

void handleListDocuments(Request& request) {
  Hall& hall = request.hall();
  v1::Response response;
  auto& reply = *response.mutable_documents();
  for (const auto& [id, document] : hall.committed().documents().all()) {
    if (hall.mayRead(document, request.principal())) toWire(document, *reply.add_documents());
  }
  request.commitAndReply(std::move(response));
}

void handleGetDocumentVersion(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().get_document_version();
  const domain::Document* document = readableDocument(request, in.document_id());
  if (document == nullptr) return;
  const domain::DocumentVersionInfo* version = versionOf(request, *document, in.version());
  if (version == nullptr) return;
  if (!requireArchive(request)) return;
  auto response = std::make_shared<v1::Response>();
  auto& reply = *response->mutable_document_version();
  reply.set_document_id(document->id);
  toWire(*version, *reply.mutable_version());
  hall.archive()->documentParagraphs(
      document->id, version->number,
      whenRead<std::vector<documents::Paragraph>>(
          request, "the paragraphs could not be read",
          [response](Request& resumed, std::vector<documents::Paragraph> paragraphs) {
            auto& reply = *response->mutable_document_version();
            for (const auto& paragraph : paragraphs) toWire(paragraph, *reply.add_paragraphs());
            resumed.commitAndReply(std::move(*response));
          }));
}

void handleGetDocumentDiff(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().get_document_diff();
  const domain::Document* document = readableDocument(request, in.document_id());
  if (document == nullptr) return;
  const std::uint32_t to = in.to_version() == 0 ? document->newest().number : in.to_version();
  const std::uint32_t from = in.from_version() == 0 ? (to > 1 ? to - 1 : 0) : in.from_version();
  if (document->version(to) == nullptr || document->version(from) == nullptr || from >= to) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "document " + std::to_string(document->id) + " has versions 1–" +
                                                 std::to_string(document->newest().number) +
                                                 ": compare an older version with a newer one");
    return;
  }
  if (!requireArchive(request)) return;
  const std::uint32_t documentId = document->id;
  hall.archive()->documentDiff(
      documentId, from, to,
      whenRead<VersionComparison>(request, "the versions could not be compared",
                                  [documentId, from, to](Request& resumed, VersionComparison comparison) {
                                    v1::Response response;
                                    auto& reply = *response.mutable_document_diff();
                                    reply.set_document_id(documentId);
                                    reply.set_from_version(from);
                                    reply.set_to_version(to);
                                    toWire(comparison.diff, comparison.older, comparison.newer, reply);
                                    resumed.commitAndReply(std::move(response));
                                  }));
}

void handleSearchDocuments(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().search_documents();
  if (documents::firstInvalidUtf8(in.query()) || in.query().size() > kMaxQueryBytes) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the query must be valid UTF-8 of at most " +
                                                 std::to_string(kMaxQueryBytes) + " bytes");
    return;
  }
  domain::DocumentSearch search;
  search.match = documents::matchExpression(in.query());
  if (search.match.empty()) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the query has no word to search for");
    return;
  }
  if (in.limit() > kMaxSearchHits) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "at most " + std::to_string(kMaxSearchHits) + " hits per page");
    return;
  }
  search.limit = in.limit() == 0 ? kDefaultSearchHits : in.limit();
  search.offset = in.offset();
  // What the principal may read, narrowed by the request's filters: the index never sees the rest.
  const auto wanted = [&](const domain::Document& document) {
    const bool idOk = in.document_ids().empty() ||
                      std::find(in.document_ids().begin(), in.document_ids().end(), document.id) !=
                          in.document_ids().end();
    const bool kindOk = in.kinds().empty() || std::find(in.kinds().begin(), in.kinds().end(),
                                                        static_cast<int>(document.kind)) != in.kinds().end();
    return idOk && kindOk && hall.mayRead(document, request.principal());
  };
  for (const auto& [id, document] : hall.committed().documents().all()) {
    if (wanted(document)) search.documentIds.push_back(id);
  }
  if (!requireArchive(request)) return;
  hall.archive()->searchDocuments(
      std::move(search),
      whenRead<domain::DocumentSearchResult>(request, "the search failed", [&hall](Request& resumed,
                                                                                 domain::DocumentSearchResult result) {
        v1::Response response;
        auto& reply = *response.mutable_search();
        reply.set_total(result.total);
        const domain::DocumentLibrary& library = hall.committed().documents();
        for (const domain::DocumentSearchHit& found : result.hits) {
          v1::SearchHit& hit = *reply.add_hits();
          hit.set_document_id(found.documentId);
          if (const domain::Document* document = library.find(found.documentId)) {
            hit.set_document_title(document->title);
            hit.set_kind(static_cast<v1::DocumentKind>(document->kind));
          }
          hit.set_version(found.version);
          hit.set_paragraph_id(found.paragraphId);
          hit.set_paragraph_number(found.paragraphNumber);
          hit.set_section(found.section);
          const documents::MarkedText snippet = documents::unmark(found.markedSnippet);
          hit.set_snippet(snippet.text);
          for (const auto& [begin, end] : snippet.highlights) {
            v1::TextRange& range = *hit.add_highlights();
            range.set_begin(begin);
            range.set_end(end);
          }
          hit.set_score(-found.bm25);  // FTS5's bm25 is lower for better matches
        }
        resumed.commitAndReply(std::move(response));
      }));
}

void handleDecideContribution(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().decide_contribution();
  const domain::Document* document = hall.committed().documents().find(in.document_id());
  if (document == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND, "no document " + std::to_string(in.document_id()));
    return;
  }
  if (!document->contribution) {
    request.fail(v1::ERROR_FAILED_PRECONDITION,
                 "document " + std::to_string(document->id) + " is not a delegate's written contribution");
    return;
  }
  auto note = checkedText(request, in.note(), kMaxNoteBytes, "note", !in.approved());
  if (!note) return;
  const std::uint32_t author = document->contribution->authorDelegateId;
  domain::ContributionDecided change;
  change.documentId = document->id;
  change.decision.authorDelegateId = author;
  change.decision.status =
      in.approved() ? domain::ContributionStatus::Approved : domain::ContributionStatus::Declined;
  change.decision.decisionNote = std::move(*note);
  change.decision.decidedBy = request.principal();
  change.decision.decidedMs = hall.clock().nowMs();
  if (!in.approved()) {
    change.audience.delegateIds = {author};
  } else if (!in.has_audience() || (in.audience().delegation_ids().empty() && in.audience().roles().empty() &&
                                    in.audience().delegate_ids().empty())) {
    change.audience.everyone = true;  // presented to the congress
  } else {
    auto audience = checkedAudience(request, in.audience());
    if (!audience) return;
    change.audience = std::move(*audience);
  }
  // The author always reads their own contribution.
  auto& ids = change.audience.delegateIds;
  if (std::find(ids.begin(), ids.end(), author) == ids.end()) {
    ids.push_back(author);
    std::sort(ids.begin(), ids.end());
  }
  const std::uint32_t documentId = document->id;
  request.stage(std::move(change));
  const domain::Document& decided = *hall.pending().documents().find(documentId);
  v1::Event& event = request.emit(hall.documentAudience(decided));
  toWire(decided, *event.mutable_contribution_decided()->mutable_document());
  v1::Response response;
  toWire(decided, *response.mutable_document()->mutable_document());
  response.mutable_document()->set_version(decided.newest().number);
  request.commitAndReply(std::move(response));
}

}  // namespace daihoi::protocol
