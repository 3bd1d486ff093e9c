#pragma once
// Writes Vietnamese PDFs for the tests and the benchmark: A4 pages of
// word-wrapped paragraphs in DejaVu Sans (embedded through FreeType, so every
// Vietnamese letter has a glyph and the PDF maps the glyphs back to Unicode).
// Throws std::runtime_error when the font is missing or cairo fails.
#include <cstdint>
#include <string>
#include <vector>

namespace daihoi::testing {

struct PdfParagraph {
  enum class Style { Body, Heading };
  std::string text;  // UTF-8; runs of spaces collapse, the writer wraps it
  Style style = Style::Body;
};

// What one call to writePdf / writePdfPages puts on a PDF page; a page that
// does not hold it all continues on the next.
using PdfPage = std::vector<PdfParagraph>;

struct PdfWriterOptions {
  std::string title;              // the Title of the document information; empty: none
  double fontSize = 11;           // body text, DejaVu Sans, in points
  double headingFontSize = 14;    // headings, DejaVu Sans Bold
  double lineSpacing = 1.35;      // baseline to baseline, in font sizes
  double paragraphSpacing = 8;    // points added before a paragraph (twice before a heading)
  double firstLineIndent = 0;     // points, for the first line of body paragraphs
  double margin = 56.7;           // 2 cm on every side of the A4 page
  bool breakAfterHyphens = true;  // a word that does not fit may break after one of its "-"
  // A raster image of random pixels in the top margin of every page (stored
  // at about 3 × side² bytes, as noise does not compress): a way to make big
  // files. 0: no image.
  int noiseImageSide = 0;
};

struct WrittenPdf {
  std::string bytes;
  std::uint32_t pages = 0;
  std::vector<std::string> lines;  // every line as set, in order: where wrapping broke
};

// The paragraphs flow from page to page.
WrittenPdf writePdf(const PdfPage& paragraphs, const PdfWriterOptions& options = {});

// Each element starts a new page (an empty one gives a page without text; no
// element, one blank page).
WrittenPdf writePdfPages(const std::vector<PdfPage>& pages, const PdfWriterOptions& options = {});

}  // namespace daihoi::testing
