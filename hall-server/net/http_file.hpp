#pragma once
// How to answer a GET or HEAD for an immutable file, from the request's
// headers alone (RFC 9110): If-None-Match (§13.1.2), If-Range (§13.1.5), a
// single byte range (§14), gzip by Accept-Encoding (§12.5.3). Pure: no I/O,
// no mapping; the session sends the bytes the plan names.
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/handshake.hpp"

namespace daihoi::net {

// What the rules need to know about a file.
struct FileFacts {
  std::uint64_t size = 0;                 // the identity bytes
  std::optional<std::uint64_t> gzipSize;  // set when a gzip variant exists
  std::string_view etag;                  // unquoted; the gzip variant's is etag + ".gz"
  std::string_view contentType;
};

enum class FileVariant { Identity, Gzip };

struct FilePlan {
  // Status and the file's header fields (ETag, Content-Type, Content-Length,
  // Content-Range, Content-Encoding, Vary, Accept-Ranges, Cache-Control);
  // the connection's own (Server, Connection) are the session's.
  http::response_header<> header;
  FileVariant variant = FileVariant::Identity;
  // The body: bodyLength bytes of the variant from bodyOffset. Empty for HEAD
  // (whose Content-Length still says what GET would send), 304 and 416.
  std::uint64_t bodyOffset = 0;
  std::uint64_t bodyLength = 0;
};

// `request` is a GET or a HEAD.
FilePlan planFileResponse(const HttpRequest& request, const FileFacts& file);

}  // namespace daihoi::net
