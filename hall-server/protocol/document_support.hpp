#pragma once
// What the document and discussion handlers share: checked text, the
// readable document of a request, and answers to reads from the archive.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "domain/documents.hpp"
#include "protocol/archive.hpp"
#include "protocol/connection.hpp"
#include "protocol/hall.hpp"
#include "protocol/request.hpp"

namespace daihoi::protocol {

// Text a person typed, white space collapsed: nothing (and the error sent)
// when it is not valid UTF-8, too long, or missing but required.
std::optional<std::string> checkedText(Request& request, const std::string& text, std::size_t maxBytes,
                                       const char* what, bool required);

// The document as the requester may see it; nothing (and NOT_FOUND sent) when
// it does not exist or is not for them: the two answers are the same.
const domain::Document* readableDocument(Request& request, std::uint32_t documentId);

// A version of the document (0: the newest); nothing (and NOT_FOUND sent) when it has no such version.
const domain::DocumentVersionInfo* versionOf(Request& request, const domain::Document& document,
                                             std::uint32_t number);

// False (and the error sent) when this server keeps no archive to read from.
bool requireArchive(Request& request);

// The answer to a read from the archive: `answer` runs on the hall's thread
// with the request resumed, unless the terminal has gone or the read failed
// (then `failure` and the reason go back as ERROR_INTERNAL).
template <class T>
std::function<void(T, std::string)> whenRead(Request& request, std::string failure,
                                            std::function<void(Request&, T)> answer) {
  Hall& hall = request.hall();
  auto message = std::make_shared<v1::ClientMessage>(request.message());
  std::weak_ptr<Connection> weak = request.connectionPtr();
  return [&hall, weak, message, failure = std::move(failure), answer = std::move(answer)](T value, std::string error) {
    auto connection = weak.lock();
    if (!connection || !connection->principal()) return;
    Request resumed(hall, connection, *message);
    if (!error.empty()) {
      resumed.fail(v1::ERROR_INTERNAL, failure + ": " + error);
      return;
    }
    answer(resumed, std::move(value));
  };
}

}  // namespace daihoi::protocol
