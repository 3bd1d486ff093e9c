#include "net/http_file.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

namespace {

namespace http = boost::beast::http;
using daihoi::net::FileFacts;
using daihoi::net::FilePlan;
using daihoi::net::FileVariant;
using daihoi::net::HttpRequest;
using daihoi::net::planFileResponse;

using Fields = std::vector<std::pair<http::field, std::string>>;

const FileFacts kPdf{1000, std::nullopt, "abc", "application/pdf"};
const FileFacts kPdfWithGzip{1000, 300, "abc", "application/pdf"};
const FileFacts kEmpty{0, std::nullopt, "e3b0", "application/pdf"};

HttpRequest request(http::verb method, const Fields& fields) {
  HttpRequest r{method, "/documents/abc", 11};
  for (const auto& [name, value] : fields) r.insert(name, value);
  return r;
}

FilePlan get(const FileFacts& file, const Fields& fields = {}) {
  return planFileResponse(request(http::verb::get, fields), file);
}

FilePlan head(const FileFacts& file, const Fields& fields = {}) {
  return planFileResponse(request(http::verb::head, fields), file);
}

FilePlan getRange(const std::string& range, const FileFacts& file = kPdf) {
  return get(file, {{http::field::range, range}});
}

std::string field(const FilePlan& plan, http::field name) { return std::string(plan.header[name]); }
bool has(const FilePlan& plan, http::field name) { return plan.header.find(name) != plan.header.end(); }

void checkWhole(const FilePlan& plan, std::uint64_t size = 1000) {
  CHECK(plan.header.result_int() == 200);
  CHECK(plan.variant == FileVariant::Identity);
  CHECK(field(plan, http::field::content_length) == std::to_string(size));
  CHECK_FALSE(has(plan, http::field::content_range));
  CHECK(plan.bodyOffset == 0);
  CHECK(plan.bodyLength == size);
}

void checkPartial(const FilePlan& plan, std::uint64_t first, std::uint64_t last) {
  CHECK(plan.header.result_int() == 206);
  CHECK(plan.variant == FileVariant::Identity);
  CHECK(field(plan, http::field::content_range) ==
        "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/1000");
  CHECK(field(plan, http::field::content_length) == std::to_string(last - first + 1));
  CHECK(plan.bodyOffset == first);
  CHECK(plan.bodyLength == last - first + 1);
}

void checkUnsatisfiable(const FilePlan& plan) {
  CHECK(plan.header.result_int() == 416);
  CHECK(field(plan, http::field::content_range) == "bytes */1000");
  CHECK(field(plan, http::field::content_length) == "0");
  CHECK(plan.bodyLength == 0);
  CHECK_FALSE(has(plan, http::field::cache_control));  // a 416 must not be cached for a year
}

}  // namespace

TEST_CASE("a plain GET gets the whole file with its caching fields") {
  const FilePlan plan = get(kPdf);
  checkWhole(plan);
  CHECK(field(plan, http::field::etag) == "\"abc\"");
  CHECK(field(plan, http::field::content_type) == "application/pdf");
  CHECK(field(plan, http::field::accept_ranges) == "bytes");
  CHECK(field(plan, http::field::cache_control) == "private, max-age=31536000, immutable");
  CHECK_FALSE(has(plan, http::field::content_encoding));
  CHECK_FALSE(has(plan, http::field::vary));  // nothing to vary on without a gzip variant
}

TEST_CASE("a single valid range gets a 206 with that range") {
  SUBCASE("first-last") { checkPartial(getRange("bytes=0-99"), 0, 99); }
  SUBCASE("one byte") { checkPartial(getRange("bytes=500-500"), 500, 500); }
  SUBCASE("first- runs to the end") { checkPartial(getRange("bytes=100-"), 100, 999); }
  SUBCASE("a suffix is the last bytes") { checkPartial(getRange("bytes=-100"), 900, 999); }
  SUBCASE("a last position past the end is cut at the end") { checkPartial(getRange("bytes=990-2000"), 990, 999); }
  SUBCASE("a suffix longer than the file is the whole file") { checkPartial(getRange("bytes=-5000"), 0, 999); }
  SUBCASE("a last position beyond 64 bits is past the end") {
    checkPartial(getRange("bytes=10-99999999999999999999999"), 10, 999);
  }
  SUBCASE("the unit is case-insensitive") { checkPartial(getRange("Bytes=0-9"), 0, 9); }
  SUBCASE("empty list elements do not count") { checkPartial(getRange("bytes=0-9, ,"), 0, 9); }
}

TEST_CASE("a range that starts past the end gets a 416 naming the size") {
  SUBCASE("at the end") { checkUnsatisfiable(getRange("bytes=1000-")); }
  SUBCASE("past the end") { checkUnsatisfiable(getRange("bytes=5000-6000")); }
  SUBCASE("beyond 64 bits") { checkUnsatisfiable(getRange("bytes=99999999999999999999999-")); }
  SUBCASE("an empty suffix") { checkUnsatisfiable(getRange("bytes=-0")); }
}

TEST_CASE("a Range that is not one valid byte range is ignored: the whole file") {
  for (const char* range : {"bytes=abc", "bytes=5-1", "bytes=1-2-3", "bytes=", "bytes=-", "bytes 0-9", "bytes=--1",
                            "bytes=+1-2", "bytes=1 -2", "bytes=0x1-2", "items=0-9", "0-9", ""}) {
    CAPTURE(range);
    checkWhole(getRange(range));
  }
  SUBCASE("several ranges") {
    checkWhole(getRange("bytes=0-9,20-29"));
    checkWhole(getRange("bytes=0-9, -5"));
    checkWhole(get(kPdf, {{http::field::range, "bytes=0-9"}, {http::field::range, "bytes=20-29"}}));
  }
}

TEST_CASE("an empty file is always sent whole, whatever the Range") {
  for (const char* range : {"bytes=0-", "bytes=0-0", "bytes=-5", "bytes=-0"}) {
    CAPTURE(range);
    checkWhole(getRange(range, kEmpty), 0);
  }
}

TEST_CASE("HEAD gets the headers of a GET and no body") {
  SUBCASE("identity") {
    const FilePlan plan = head(kPdf);
    CHECK(plan.header.result_int() == 200);
    CHECK(field(plan, http::field::content_length) == "1000");
    CHECK(field(plan, http::field::etag) == "\"abc\"");
    CHECK(field(plan, http::field::content_type) == "application/pdf");
    CHECK(plan.bodyLength == 0);
  }
  SUBCASE("gzip") {
    const FilePlan plan = head(kPdfWithGzip, {{http::field::accept_encoding, "gzip"}});
    CHECK(plan.variant == FileVariant::Gzip);
    CHECK(field(plan, http::field::content_length) == "300");
    CHECK(field(plan, http::field::content_encoding) == "gzip");
    CHECK(plan.bodyLength == 0);
  }
  SUBCASE("ranges are defined for GET only: HEAD ignores them") {
    const FilePlan plan = head(kPdf, {{http::field::range, "bytes=0-9"}});
    CHECK(plan.header.result_int() == 200);
    CHECK(field(plan, http::field::content_length) == "1000");
    CHECK_FALSE(has(plan, http::field::content_range));
  }
  SUBCASE("conditional") { CHECK(head(kPdf, {{http::field::if_none_match, "\"abc\""}}).header.result_int() == 304); }
}

TEST_CASE("If-None-Match naming the file's tag gets a 304 with the caching fields") {
  for (const char* tags :
       {"\"abc\"", "W/\"abc\"", "\"old\", \"abc\"", "\"old\",W/\"abc\"", "*", " * ", "\"a,b\", \"abc\""}) {
    CAPTURE(tags);
    const FilePlan plan = get(kPdf, {{http::field::if_none_match, tags}});
    CHECK(plan.header.result_int() == 304);
    CHECK(field(plan, http::field::etag) == "\"abc\"");
    CHECK(field(plan, http::field::cache_control) == "private, max-age=31536000, immutable");
    CHECK_FALSE(has(plan, http::field::content_length));
    CHECK(plan.bodyLength == 0);
  }
  SUBCASE("one tag per field line") {
    const FilePlan plan = get(kPdf, {{http::field::if_none_match, "\"old\""}, {http::field::if_none_match, "\"abc\""}});
    CHECK(plan.header.result_int() == 304);
  }
  SUBCASE("it is checked before the Range") {
    CHECK(get(kPdf, {{http::field::if_none_match, "\"abc\""}, {http::field::range, "bytes=0-9"}}).header.result_int() ==
          304);
  }
  SUBCASE("a 304 of a file with a gzip variant still says Vary") {
    const FilePlan plan = get(kPdfWithGzip, {{http::field::if_none_match, "\"abc\""}});
    CHECK(plan.header.result_int() == 304);
    CHECK(field(plan, http::field::vary) == "Accept-Encoding");
  }
}

TEST_CASE("If-None-Match with other tags, or malformed, gets the file") {
  for (const char* tags : {"\"old\"", "\"abc.gz\"", "abc", "\"abc", "\"abc\" junk", "W/abc", ""}) {
    CAPTURE(tags);
    checkWhole(get(kPdf, {{http::field::if_none_match, tags}}));
  }
}

TEST_CASE("If-None-Match is compared with the tag of the variant chosen") {
  const Fields acceptsGzip{{http::field::accept_encoding, "gzip"}};
  SUBCASE("the gzip tag matches the gzip variant") {
    Fields fields = acceptsGzip;
    fields.emplace_back(http::field::if_none_match, "\"abc.gz\"");
    const FilePlan plan = get(kPdfWithGzip, fields);
    CHECK(plan.header.result_int() == 304);
    CHECK(field(plan, http::field::etag) == "\"abc.gz\"");
  }
  SUBCASE("the identity tag does not") {
    Fields fields = acceptsGzip;
    fields.emplace_back(http::field::if_none_match, "\"abc\"");
    const FilePlan plan = get(kPdfWithGzip, fields);
    CHECK(plan.header.result_int() == 200);
    CHECK(plan.variant == FileVariant::Gzip);
  }
}

TEST_CASE("If-Range: the range only while the client's copy is the current one") {
  const auto withIfRange = [](const char* ifRange) {
    return get(kPdf, {{http::field::range, "bytes=100-199"}, {http::field::if_range, ifRange}});
  };
  SUBCASE("the current tag") { checkPartial(withIfRange("\"abc\""), 100, 199); }
  SUBCASE("another tag") { checkWhole(withIfRange("\"old\"")); }
  SUBCASE("a weak tag never matches: If-Range compares strongly") { checkWhole(withIfRange("W/\"abc\"")); }
  SUBCASE("a date cannot be checked") { checkWhole(withIfRange("Wed, 21 Oct 2015 07:28:00 GMT")); }
  SUBCASE("several tags") { checkWhole(withIfRange("\"abc\", \"abc\"")); }
  SUBCASE("without a Range it changes nothing") { checkWhole(get(kPdf, {{http::field::if_range, "\"old\""}})); }
}

TEST_CASE("gzip when the client accepts it and a gzip variant exists") {
  for (const char* accepted : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "GZIP; Q=0.001", "x-gzip", "*",
                               "deflate, *;q=0.1", "gzip;q=1", "gzip;q=1.000", "gzip;q=0.5;level=1"}) {
    CAPTURE(accepted);
    const FilePlan plan = get(kPdfWithGzip, {{http::field::accept_encoding, accepted}});
    CHECK(plan.header.result_int() == 200);
    CHECK(plan.variant == FileVariant::Gzip);
    CHECK(field(plan, http::field::content_encoding) == "gzip");
    CHECK(field(plan, http::field::content_length) == "300");
    CHECK(field(plan, http::field::etag) == "\"abc.gz\"");
    CHECK(field(plan, http::field::vary) == "Accept-Encoding");
    CHECK(field(plan, http::field::content_type) == "application/pdf");
    CHECK(plan.bodyLength == 300);
  }
  SUBCASE("field lines are one list") {
    const FilePlan plan =
        get(kPdfWithGzip, {{http::field::accept_encoding, "deflate"}, {http::field::accept_encoding, "gzip"}});
    CHECK(plan.variant == FileVariant::Gzip);
  }
}

TEST_CASE("the identity when gzip is not accepted") {
  for (const char* accepted : {"", "deflate", "br, identity", "gzip;q=0", "gzip;q=0.000", "gzip; q=0, *", "*;q=0",
                               "gzip;q=2", "gzip;q=0.5000", "gzip;q=", "gzips"}) {
    CAPTURE(accepted);
    const FilePlan plan = get(kPdfWithGzip, {{http::field::accept_encoding, accepted}});
    checkWhole(plan);
    CHECK_FALSE(has(plan, http::field::content_encoding));
    CHECK(field(plan, http::field::etag) == "\"abc\"");
    CHECK(field(plan, http::field::vary) == "Accept-Encoding");
  }
  SUBCASE("no Accept-Encoding at all") { CHECK(get(kPdfWithGzip).variant == FileVariant::Identity); }
}

TEST_CASE("the identity when there is no gzip variant or the request has a Range") {
  SUBCASE("no variant") {
    const FilePlan plan = get(kPdf, {{http::field::accept_encoding, "gzip"}});
    checkWhole(plan);
    CHECK_FALSE(has(plan, http::field::content_encoding));
  }
  SUBCASE("ranges count identity bytes") {
    const FilePlan plan =
        get(kPdfWithGzip, {{http::field::accept_encoding, "gzip"}, {http::field::range, "bytes=0-9"}});
    checkPartial(plan, 0, 9);
    CHECK_FALSE(has(plan, http::field::content_encoding));
    CHECK(field(plan, http::field::vary) == "Accept-Encoding");
  }
  SUBCASE("even a Range that is ignored") {
    const FilePlan plan =
        get(kPdfWithGzip, {{http::field::accept_encoding, "gzip"}, {http::field::range, "bytes=0-9,20-29"}});
    checkWhole(plan);
  }
}
