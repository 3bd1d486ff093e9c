#pragma once
// Fetching a document's file from the hall server over HTTP(S): the same host and port as the
// WebSocket (`wss://` gives HTTPS with the same certificate checks), `GET /documents/<sha256>`
// with the session token as a bearer token (docs/DOCUMENTS.md, "Distribution"). Blocking; runs
// its own short-lived io_context, so it may be called beside a HallClient.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "client/client_error.hpp"
#include "client/server_url.hpp"

namespace daihoi::client {

struct FetchOptions {
  std::string serverUrl;                     // the WebSocket URL the client connected to: ws(s)://host:port/ws
  std::string caFile;                        // as ClientOptions::caFile
  bool insecureSkipVerify = false;           // as ClientOptions::insecureSkipVerify
  std::chrono::milliseconds timeout{30000};  // connecting, and then each read or write without progress
  std::uint64_t maxBytes = 256ull << 20;     // a larger body is refused (the server's limit is lower)
  std::string userAgent = "daihoi-client";
};

// The HTTP target for a document path as the server announces it (DocumentVersion.url,
// "/documents/<sha256>"): a path relative to the server's base URL. Refuses anything else
// (an absolute URL, a path without '/', spaces or control characters), so a server cannot
// send the bearer token elsewhere.
Outcome<std::string> documentTarget(std::string_view url);

// GET `path` (DocumentVersion.url) with `Authorization: Bearer <sessionToken>`; the body of a
// 200 answer. 401 is a Server error ERROR_NOT_SIGNED_IN, 404 ERROR_NOT_FOUND (a file of no
// document this session may read), other statuses a Protocol error naming the status; network
// failures are Connection errors, no progress within the timeout a Timeout.
Outcome<std::string> fetchDocumentFile(const FetchOptions& options, std::string_view path,
                                       std::string_view sessionToken);

// The SHA-256 of `bytes` as 64 lower-case hex digits (what DocumentVersion.sha256 holds).
std::string sha256Hex(std::string_view bytes);

}  // namespace daihoi::client
