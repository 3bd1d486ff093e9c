// Reading documents (docs/DOCUMENTS.md): the record of who opened which
// version, and the study assistant's answers from the search index.
#include <algorithm>

#include "documents/study.hpp"
#include "documents/vietnamese.hpp"
#include "protocol/document_support.hpp"
#include "protocol/handlers.hpp"

namespace daihoi::protocol {
namespace {

constexpr std::size_t kMaxQuestionBytes = 1000;
constexpr std::uint32_t kDefaultPassages = 5;
constexpr std::uint32_t kMaxPassages = 20;
constexpr std::uint32_t kStudyCandidates = 60;

}  // namespace

void handleOpenDocument(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().open_document();
  const domain::Document* document = readableDocument(request, in.document_id());
  if (document == nullptr) return;
  const domain::DocumentVersionInfo* version = versionOf(request, *document, in.version());
  if (version == nullptr) return;
  v1::Response response;
  auto& reply = *response.mutable_open_document();
  reply.set_document_id(document->id);
  reply.set_version(version->number);
  const domain::Principal& reader = request.principal();
  // Only delegates' reading is recorded: the organizers follow the delegates.
  if (reader.role == domain::Role::Delegate) {
    const auto first = hall.pending().reading().firstOpened(document->id, version->number, reader.accountId);
    if (first) {
      reply.set_first_opened_ms(*first);
    } else {
      const std::int64_t now = hall.clock().nowMs();
      request.stage(domain::DocumentOpened{document->id, version->number, reader.accountId, now});
      reply.set_first_opened_ms(now);
    }
  }
  request.commitAndReply(std::move(response));
}

void handleGetDocumentReaders(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().get_document_readers();
  const domain::Document* document = readableDocument(request, in.document_id());
  if (document == nullptr) return;
  const domain::HallState& state = hall.committed();
  const std::uint32_t newest = document->newest().number;
  v1::Response response;
  auto& reply = *response.mutable_document_readers();
  reply.set_document_id(document->id);
  reply.set_newest_version(newest);
  std::vector<const domain::Delegate*> readers;
  for (const domain::Delegate& delegate : state.roster().delegates()) {
    const domain::Principal principal{domain::Role::Delegate, delegate.id, {}, {}};
    if (domain::mayRead(*document, principal, delegate.delegationId)) readers.push_back(&delegate);
  }
  std::sort(readers.begin(), readers.end(),
            [](const domain::Delegate* a, const domain::Delegate* b) { return a->code < b->code; });
  std::uint32_t openedNewest = 0;
  for (const domain::Delegate* delegate : readers) {
    v1::DocumentReader& out = *reply.add_delegates();
    out.set_delegate_id(delegate->id);
    out.set_code(delegate->code);
    out.set_full_name(delegate->fullName);
    if (const domain::Delegation* delegation = state.roster().findDelegation(delegate->delegationId)) {
      out.set_delegation(delegation->name);
    }
    out.set_newest_opened(state.reading().newestOpened(document->id, delegate->id));
    if (const auto first = state.reading().firstOpened(document->id, newest, delegate->id)) {
      out.set_opened_newest_ms(*first);
      ++openedNewest;
    }
  }
  reply.set_readers(static_cast<std::uint32_t>(readers.size()));
  reply.set_opened_newest(openedNewest);
  request.commitAndReply(std::move(response));
}

void handleAskQuestion(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().ask_question();
  if (documents::firstInvalidUtf8(in.question()) || in.question().size() > kMaxQuestionBytes) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the question must be valid UTF-8 of at most " +
                                                 std::to_string(kMaxQuestionBytes) + " bytes");
    return;
  }
  if (in.limit() > kMaxPassages) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "at most " + std::to_string(kMaxPassages) + " passages");
    return;
  }
  std::vector<std::string> terms = documents::questionTerms(in.question());
  if (terms.empty()) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the question has no word to search for");
    return;
  }
  DocumentStudy study;
  study.match = documents::candidateMatch(terms);
  study.candidates = kStudyCandidates;
  for (const auto& [id, document] : hall.committed().documents().all()) {
    const bool wanted = in.document_ids().empty() ||
                        std::find(in.document_ids().begin(), in.document_ids().end(), id) != in.document_ids().end();
    if (wanted && hall.mayRead(document, request.principal())) study.documentIds.push_back(id);
  }
  if (!requireArchive(request)) return;
  const std::uint32_t limit = in.limit() == 0 ? kDefaultPassages : in.limit();
  auto shared = std::make_shared<std::vector<std::string>>(std::move(terms));
  hall.archive()->studyPassages(
      std::move(study),
      whenRead<std::vector<StudyCandidate>>(
          request, "the search failed",
          [&hall, shared, limit](Request& resumed, std::vector<StudyCandidate> candidates) {
            std::vector<std::string_view> texts;
            std::vector<double> bm25;
            texts.reserve(candidates.size());
            bm25.reserve(candidates.size());
            for (const StudyCandidate& candidate : candidates) {
              texts.push_back(candidate.text);
              bm25.push_back(candidate.bm25);
            }
            v1::Response response;
            auto& reply = *response.mutable_study();
            for (const std::string& term : *shared) reply.add_terms(term);
            const domain::DocumentLibrary& library = hall.committed().documents();
            for (const documents::RankedPassage& ranked : documents::rankPassages(*shared, texts, bm25, limit)) {
              const StudyCandidate& candidate = candidates[ranked.index];
              v1::StudyPassage& passage = *reply.add_passages();
              passage.set_document_id(candidate.documentId);
              if (const domain::Document* document = library.find(candidate.documentId)) {
                passage.set_document_title(document->title);
                passage.set_kind(static_cast<v1::DocumentKind>(document->kind));
              }
              passage.set_version(candidate.version);
              passage.set_paragraph_id(candidate.paragraphId);
              passage.set_paragraph_number(candidate.paragraphNumber);
              passage.set_section(candidate.section);
              passage.set_text(candidate.text);
              for (const auto& [begin, end] : ranked.highlights) {
                v1::TextRange& range = *passage.add_highlights();
                range.set_begin(begin);
                range.set_end(end);
              }
              passage.set_score(ranked.score);
            }
            resumed.commitAndReply(std::move(response));
          }));
}

}  // namespace daihoi::protocol
