#include "protocol/document_support.hpp"

#include "documents/vietnamese.hpp"

namespace daihoi::protocol {

std::optional<std::string> checkedText(Request& request, const std::string& text, std::size_t maxBytes,
                                       const char* what, bool required) {
  if (documents::firstInvalidUtf8(text)) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, std::string(what) + " is not valid UTF-8");
    return std::nullopt;
  }
  std::string collapsed = documents::collapseWhitespace(text);
  if (collapsed.size() > maxBytes) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, std::string(what) + " is longer than " + std::to_string(maxBytes) +
                                                 " bytes");
    return std::nullopt;
  }
  if (required && collapsed.empty()) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, std::string(what) + " is required");
    return std::nullopt;
  }
  return collapsed;
}

const domain::Document* readableDocument(Request& request, std::uint32_t documentId) {
  Hall& hall = request.hall();
  const domain::Document* document = hall.committed().documents().find(documentId);
  if (document == nullptr || !hall.mayRead(*document, request.principal())) {
    request.fail(v1::ERROR_NOT_FOUND, "no document " + std::to_string(documentId));
    return nullptr;
  }
  return document;
}

const domain::DocumentVersionInfo* versionOf(Request& request, const domain::Document& document,
                                             std::uint32_t number) {
  const domain::DocumentVersionInfo* version = number == 0 ? &document.newest() : document.version(number);
  if (version == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND,
                 "document " + std::to_string(document.id) + " has no version " + std::to_string(number));
  }
  return version;
}

bool requireArchive(Request& request) {
  if (request.hall().archive() != nullptr) return true;
  request.fail(v1::ERROR_FAILED_PRECONDITION, "this server keeps no document archive");
  return false;
}

}  // namespace daihoi::protocol
