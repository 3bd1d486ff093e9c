#pragma once
// The text of a PDF, with poppler's C++ library: the only code that knows
// poppler. Bad input is an error with a code and a message, never a crash:
// not a PDF, encrypted, corrupt or truncated, no text layer (a scan), too many pages.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace daihoi::documents {

struct PdfLimits {
  std::uint32_t maxPages = 2'000;
};

struct PdfText {
  // Paragraphs separated by a blank line ("\n\n"), lines of a paragraph joined
  // with a space (a word hyphenated at a line end joined without one), pages
  // separated by "\f". Valid UTF-8.
  std::string text;
  std::uint32_t pages = 0;
  std::string title;  // from the document information, when it has one
};

// Failure codes: "not_pdf" (no %PDF- header), "encrypted", "corrupt_pdf"
// (poppler cannot load it, or a page cannot be read), "no_text" (no page has
// text: a scanned document), "too_many_pages", "too_large" (over 2 GB, more
// than poppler can take from memory). Messages are Vietnamese / English.
Result<PdfText> extractPdfText(std::string_view bytes, const PdfLimits& limits = {});

}  // namespace daihoi::documents
