#include "net/http_file.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <charconv>
#include <string>
#include <vector>

namespace daihoi::net {

namespace {

namespace beast = boost::beast;

// The content is addressed by its hash: a URL's bytes never change.
constexpr std::string_view kCacheForever = "private, max-age=31536000, immutable";

// Every field line of `name` as one list (RFC 9110 §5.3); nullopt when absent.
std::optional<std::string> fieldValue(const HttpRequest& request, http::field name) {
  std::optional<std::string> joined;
  for (auto [line, end] = request.equal_range(name); line != end; ++line) {
    joined = joined ? *joined + ", " + std::string(line->value()) : std::string(line->value());
  }
  return joined;
}

bool isWhitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && isWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isWhitespace(text.back())) text.remove_suffix(1);
  return text;
}

// The non-empty elements of a comma-separated list (empty ones are allowed, §5.6.1).
std::vector<std::string_view> listElements(std::string_view list) {
  std::vector<std::string_view> elements;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim(list.substr(0, comma));
    if (!element.empty()) elements.push_back(element);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return elements;
}

// ---- Entity tags (§8.8.3) ----

struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // without the quotes
};

// nullopt on a syntax error: the header is then ignored. A list is parsed by
// hand because commas may appear inside the quotes.
std::optional<std::vector<EntityTag>> parseEntityTags(std::string_view list) {
  std::vector<EntityTag> tags;
  std::size_t at = 0;
  const auto skip = [&](auto isSkipped) {
    while (at < list.size() && isSkipped(list[at])) ++at;
  };
  while (true) {
    skip([](char c) { return isWhitespace(c) || c == ','; });
    if (at == list.size()) return tags;
    EntityTag tag;
    if (list.substr(at, 2) == "W/") {
      tag.weak = true;
      at += 2;
    }
    if (at == list.size() || list[at] != '"') return std::nullopt;
    const std::size_t closing = list.find('"', at + 1);
    if (closing == std::string_view::npos) return std::nullopt;
    tag.opaque = list.substr(at + 1, closing - at - 1);
    tags.push_back(tag);
    at = closing + 1;
    skip(isWhitespace);
    if (at < list.size() && list[at] != ',') return std::nullopt;
  }
}

// If-None-Match uses the weak comparison: W/"x" matches "x" (§13.1.2).
bool noneMatchFails(std::string_view ifNoneMatch, std::string_view etag) {
  if (trim(ifNoneMatch) == "*") return true;  // the file exists
  const auto tags = parseEntityTags(ifNoneMatch);
  if (!tags) return false;
  for (const EntityTag& tag : *tags) {
    if (tag.opaque == etag) return true;
  }
  return false;
}

// If-Range needs the strong comparison; a date cannot be checked without a
// Last-Modified, so it never holds: the client gets the whole file (§13.1.5).
bool ifRangeHolds(const HttpRequest& request, std::string_view etag) {
  const std::optional<std::string> ifRange = fieldValue(request, http::field::if_range);
  if (!ifRange) return true;
  const auto tags = parseEntityTags(*ifRange);
  return tags && tags->size() == 1 && !tags->front().weak && tags->front().opaque == etag;
}

// ---- Byte ranges (§14.1.2) ----

// One range as written: "first-last", "first-" or "-suffixLength".
struct RangeSpec {
  std::optional<std::uint64_t> first;  // absent: a suffix range
  std::optional<std::uint64_t> last;   // the suffix length for a suffix range
};

// 1*DIGIT. A number too large for 64 bits is still a number: it saturates
// (a position past any file, or a suffix longer than any file).
std::optional<std::uint64_t> parseDigits(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (end != digits.data() + digits.size()) return std::nullopt;  // not only digits (a sign, a space...)
  if (error == std::errc::result_out_of_range) return UINT64_MAX;
  if (error != std::errc()) return std::nullopt;
  return value;
}

std::optional<RangeSpec> parseRangeSpec(std::string_view spec) {
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view firstText = spec.substr(0, dash);
  const std::string_view lastText = spec.substr(dash + 1);
  if (firstText.empty()) {
    const auto suffixLength = parseDigits(lastText);
    if (!suffixLength) return std::nullopt;
    return RangeSpec{std::nullopt, suffixLength};
  }
  const auto first = parseDigits(firstText);
  if (!first) return std::nullopt;
  if (lastText.empty()) return RangeSpec{first, std::nullopt};
  const auto last = parseDigits(lastText);
  if (!last || *last < *first) return std::nullopt;
  return RangeSpec{first, last};
}

// nullopt when the header is not exactly one valid byte range: another unit,
// a syntax error or several ranges are all answered with the whole file
// (a server may ignore Range, §14.2; multipart/byteranges is not worth it).
std::optional<RangeSpec> parseSingleRange(std::string_view header) {
  const std::size_t equals = header.find('=');
  if (equals == std::string_view::npos || !beast::iequals(header.substr(0, equals), "bytes")) return std::nullopt;
  const std::vector<std::string_view> specs = listElements(header.substr(equals + 1));
  if (specs.size() != 1) return std::nullopt;
  return parseRangeSpec(specs.front());
}

struct ByteSpan {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// nullopt when unsatisfiable: a first position at or past the end, or an
// empty suffix. A range running past the end is cut at the end. `size` > 0.
std::optional<ByteSpan> satisfiable(const RangeSpec& spec, std::uint64_t size) {
  if (!spec.first) {
    const std::uint64_t length = std::min(*spec.last, size);
    if (length == 0) return std::nullopt;
    return ByteSpan{size - length, length};
  }
  if (*spec.first >= size) return std::nullopt;
  const std::uint64_t last = std::min(spec.last.value_or(size - 1), size - 1);
  return ByteSpan{*spec.first, last - *spec.first + 1};
}

// ---- Content coding (§12.5.3) ----

// A qvalue (§12.4.2) in thousandths: "0", "0.5", "1.000"; nullopt when malformed.
std::optional<int> parseQValue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int thousandths = (text[0] - '0') * 1000;
  if (text.size() == 1) return thousandths;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int scale = 100;
  for (char digit : text.substr(2)) {
    if (digit < '0' || digit > '9') return std::nullopt;
    thousandths += (digit - '0') * scale;
    scale /= 10;
  }
  if (thousandths > 1000) return std::nullopt;
  return thousandths;
}

// The weight of one Accept-Encoding element's coding: its q parameter, 1 by default.
std::optional<int> weightOf(std::string_view parameters) {
  std::optional<int> weight = 1000;
  while (!parameters.empty()) {
    const std::size_t semicolon = parameters.find(';');
    const std::string_view parameter = trim(parameters.substr(0, semicolon));
    const std::size_t equals = parameter.find('=');
    if (equals != std::string_view::npos && beast::iequals(trim(parameter.substr(0, equals)), "q")) {
      weight = parseQValue(trim(parameter.substr(equals + 1)));
    }
    parameters = semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
  }
  return weight;
}

// gzip is acceptable when named with q > 0, or, when not named, when "*" is.
// Without Accept-Encoding the client gets the identity: tools such as curl
// send none and expect the file as it is.
bool acceptsGzip(std::string_view acceptEncoding) {
  std::optional<int> gzipWeight;
  std::optional<int> anyWeight;
  for (const std::string_view element : listElements(acceptEncoding)) {
    const std::size_t semicolon = element.find(';');
    const std::string_view coding = trim(element.substr(0, semicolon));
    const std::optional<int> weight =
        weightOf(semicolon == std::string_view::npos ? std::string_view() : element.substr(semicolon + 1));
    if (!weight) continue;  // a malformed element says nothing
    if (beast::iequals(coding, "gzip") || beast::iequals(coding, "x-gzip")) {
      gzipWeight = std::max(gzipWeight.value_or(0), *weight);
    } else if (coding == "*") {
      anyWeight = *weight;
    }
  }
  return gzipWeight ? *gzipWeight > 0 : anyWeight.value_or(0) > 0;
}

// ---- Responses ----

// The representation chosen for the request: the file or its gzip variant.
struct Representation {
  FileVariant variant = FileVariant::Identity;
  std::uint64_t size = 0;
  std::string etag;  // unquoted
};

std::string quoted(std::string_view opaque) {
  std::string tag;  // appended, not "\"" + ...: GCC 12 warns about that falsely (-Wrestrict)
  tag.reserve(opaque.size() + 2);
  tag += '"';
  tag += opaque;
  tag += '"';
  return tag;
}

// The fields a cache needs, also on a 304 (§15.4.5).
void setCachingFields(http::response_header<>& header, const Representation& chosen, const FileFacts& file) {
  header.set(http::field::etag, quoted(chosen.etag));
  header.set(http::field::cache_control, kCacheForever);
  if (file.gzipSize) header.set(http::field::vary, "Accept-Encoding");
}

FilePlan notModified(const Representation& chosen, const FileFacts& file) {
  FilePlan plan;
  plan.header.result(http::status::not_modified);
  plan.variant = chosen.variant;
  setCachingFields(plan.header, chosen, file);
  return plan;
}

// No caching fields: with an explicit lifetime a 416 would become cacheable.
FilePlan rangeNotSatisfiable(const FileFacts& file) {
  FilePlan plan;
  plan.header.result(http::status::range_not_satisfiable);
  plan.header.set(http::field::content_range, "bytes */" + std::to_string(file.size));
  plan.header.set(http::field::content_length, "0");
  plan.header.set(http::field::accept_ranges, "bytes");
  return plan;
}

// 200 with the whole representation, or 206 with `span` of it.
FilePlan content(const Representation& chosen, const FileFacts& file, std::optional<ByteSpan> range, bool head) {
  const ByteSpan span = range.value_or(ByteSpan{0, chosen.size});
  FilePlan plan;
  plan.header.result(range ? http::status::partial_content : http::status::ok);
  plan.variant = chosen.variant;
  setCachingFields(plan.header, chosen, file);
  plan.header.set(http::field::content_type, file.contentType);
  plan.header.set(http::field::accept_ranges, "bytes");
  plan.header.set(http::field::content_length, std::to_string(span.length));
  if (range) {
    plan.header.set(http::field::content_range, "bytes " + std::to_string(span.first) + "-" +
                                                    std::to_string(span.first + span.length - 1) + "/" +
                                                    std::to_string(chosen.size));
  }
  if (chosen.variant == FileVariant::Gzip) plan.header.set(http::field::content_encoding, "gzip");
  if (!head) {
    plan.bodyOffset = span.first;
    plan.bodyLength = span.length;
  }
  return plan;
}

}  // namespace

FilePlan planFileResponse(const HttpRequest& request, const FileFacts& file) {
  const bool head = request.method() == http::verb::head;
  // Range handling is defined for GET only (§14.2): HEAD gets the headers of a 200.
  const std::optional<std::string> range = head ? std::nullopt : fieldValue(request, http::field::range);
  // Ranges count identity bytes, so a request with one gets the identity.
  const bool gzip =
      file.gzipSize && !range && acceptsGzip(fieldValue(request, http::field::accept_encoding).value_or(""));
  const Representation chosen = gzip ? Representation{FileVariant::Gzip, *file.gzipSize, std::string(file.etag) + ".gz"}
                                     : Representation{FileVariant::Identity, file.size, std::string(file.etag)};

  if (const auto ifNoneMatch = fieldValue(request, http::field::if_none_match);
      ifNoneMatch && noneMatchFails(*ifNoneMatch, chosen.etag)) {
    return notModified(chosen, file);
  }
  // An empty file has no bytes to address: it is always sent whole (an empty 200).
  if (range && file.size > 0 && ifRangeHolds(request, chosen.etag)) {
    if (const std::optional<RangeSpec> spec = parseSingleRange(*range)) {
      const std::optional<ByteSpan> span = satisfiable(*spec, file.size);
      if (!span) return rangeNotSatisfiable(file);
      return content(chosen, file, span, head);
    }
  }
  return content(chosen, file, std::nullopt, head);
}

}  // namespace daihoi::net
