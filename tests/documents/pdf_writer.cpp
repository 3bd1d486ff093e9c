#include "pdf_writer.hpp"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <memory>
#include <stdexcept>
#include <string_view>

namespace daihoi::testing {
namespace {

constexpr double kA4Width = 595.28;
constexpr double kA4Height = 841.89;
constexpr double kNoiseImageBox = 40;  // points: the square the noise image fills in the top margin
constexpr const char* kRegularFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kBoldFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// cairo's toy font API picks whatever fontconfig offers; a FreeType face of
// a known file has every Vietnamese glyph and gives the same layout everywhere.
// The library and faces live as long as the process: cairo caches font faces
// beyond one document, and loading once keeps big benchmark PDFs cheap.
cairo_font_face_t* loadFont(const char* path) {
  static const FT_Library library = [] {
    FT_Library created = nullptr;
    if (FT_Init_FreeType(&created) != 0) throw std::runtime_error("FreeType does not start");
    return created;
  }();
  FT_Face face = nullptr;
  if (FT_New_Face(library, path, 0, &face) != 0) {
    throw std::runtime_error(std::string("cannot load the font ") + path);
  }
  return cairo_ft_font_face_create_for_ft_face(face, 0);
}

struct Fonts {
  cairo_font_face_t* regular;
  cairo_font_face_t* bold;
};

const Fonts& fonts() {
  static const Fonts loaded{loadFont(kRegularFontPath), loadFont(kBoldFontPath)};
  return loaded;
}

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void appendWord(std::string& line, std::string_view word) {
  if (!line.empty()) line += ' ';
  line += word;
}

std::vector<std::string> splitWords(std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find_first_of(" \t\n\r", start), text.size());
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// xorshift64*: the noise image only has to be incompressible, and fast.
class NoiseGenerator {
 public:
  std::uint32_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return static_cast<std::uint32_t>((state_ * 0x2545F4914F6CDD1DULL) >> 32);
  }

 private:
  std::uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextDeleter {
  void operator()(cairo_t* context) const { cairo_destroy(context); }
};

// Sets paragraphs line by line onto PDF pages: wraps, breaks pages, records
// every line it sets.
class PdfComposer {
 public:
  explicit PdfComposer(const PdfWriterOptions& options)
      : options_(options),
        surface_(cairo_pdf_surface_create_for_stream(appendToString, &written_.bytes, kA4Width, kA4Height)),
        context_(cairo_create(surface_.get())) {
    if (!options.title.empty()) {
      cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, options.title.c_str());
    }
  }
  PdfComposer(const PdfComposer&) = delete;
  PdfComposer& operator=(const PdfComposer&) = delete;

  void startPage() {
    if (pageOpen_) endPage();
    pageOpen_ = true;
    baseline_ = options_.margin;
    pageHasText_ = false;
    if (options_.noiseImageSide > 0) drawNoiseImage();
  }

  void addParagraph(const PdfParagraph& paragraph) {
    const bool heading = paragraph.style == PdfParagraph::Style::Heading;
    const double fontSize = heading ? options_.headingFontSize : options_.fontSize;
    cairo_set_font_face(context_.get(), heading ? fonts().bold : fonts().regular);
    cairo_set_font_size(context_.get(), fontSize);

    if (pageHasText_) baseline_ += options_.paragraphSpacing * (heading ? 2 : 1);
    const double indent = heading ? 0 : options_.firstLineIndent;
    const double textWidth = kA4Width - 2 * options_.margin;
    const std::vector<std::string> lines = wrap(splitWords(paragraph.text), textWidth - indent, textWidth);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      setLine(lines[i], options_.margin + (i == 0 ? indent : 0), fontSize * options_.lineSpacing);
    }
  }

  WrittenPdf finish() {
    // Every page ends with show_page, so a trailing blank page is kept too
    // (finishing the surface alone would drop it). A PDF has a page at least.
    if (!pageOpen_) startPage();
    endPage();
    context_.reset();
    cairo_surface_finish(surface_.get());
    if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS) {
      throw std::runtime_error(std::string("cairo cannot write the PDF: ") +
                               cairo_status_to_string(cairo_surface_status(surface_.get())));
    }
    return std::move(written_);
  }

 private:
  void endPage() {
    cairo_show_page(context_.get());
    ++written_.pages;
  }

  double widthOf(std::string_view text) {
    cairo_text_extents_t extents;
    cairo_text_extents(context_.get(), std::string(text).c_str(), &extents);
    return extents.x_advance;
  }

  // The longest "…-" start of `word` (not all of it) at most `width` wide; 0 when none.
  std::size_t hyphenBreak(const std::string& word, double width) {
    if (word.size() < 2) return 0;
    for (std::size_t hyphen = word.rfind('-', word.size() - 2); hyphen != std::string::npos && hyphen > 0;
         hyphen = word.rfind('-', hyphen - 1)) {
      if (widthOf(std::string_view(word).substr(0, hyphen + 1)) <= width) return hyphen + 1;
    }
    return 0;
  }

  // Greedy filling, in the current font: the first line is `firstWidth` wide,
  // the others `width`. A word wider than a whole line overflows it.
  std::vector<std::string> wrap(std::vector<std::string> words, double firstWidth, double width) {
    std::vector<std::string> lines;
    std::string line;
    double lineWidth = 0;
    const double spaceWidth = widthOf(" ");
    auto flush = [&] {
      lines.push_back(std::move(line));
      line.clear();
      lineWidth = 0;
    };
    for (std::string& word : words) {
      while (true) {
        const double available = (lines.empty() ? firstWidth : width) - (line.empty() ? 0 : lineWidth + spaceWidth);
        const double wordWidth = widthOf(word);
        if (wordWidth <= available) {
          lineWidth += (line.empty() ? 0 : spaceWidth) + wordWidth;
          appendWord(line, word);
          break;
        }
        const std::size_t split = options_.breakAfterHyphens ? hyphenBreak(word, available) : 0;
        if (split > 0) {
          appendWord(line, std::string_view(word).substr(0, split));
          word.erase(0, split);
        } else if (line.empty()) {
          appendWord(line, word);
          break;
        }
        flush();
      }
    }
    if (!line.empty()) flush();
    return lines;
  }

  void setLine(const std::string& line, double x, double advance) {
    if (baseline_ + advance > kA4Height - options_.margin) startPage();
    baseline_ += advance;
    cairo_move_to(context_.get(), x, baseline_);
    cairo_show_text(context_.get(), line.c_str());
    pageHasText_ = true;
    written_.lines.push_back(line);
  }

  void drawNoiseImage() {
    const int side = options_.noiseImageSide;
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> image(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side));
    cairo_surface_flush(image.get());
    unsigned char* pixels = cairo_image_surface_get_data(image.get());
    const int stride = cairo_image_surface_get_stride(image.get());
    for (int y = 0; y < side; ++y) {
      auto* row = reinterpret_cast<std::uint32_t*>(pixels + static_cast<std::ptrdiff_t>(y) * stride);
      for (int x = 0; x < side; ++x) row[x] = noise_.next();
    }
    cairo_surface_mark_dirty(image.get());

    cairo_t* context = context_.get();
    cairo_save(context);
    cairo_translate(context, kA4Width - options_.margin - kNoiseImageBox, (options_.margin - kNoiseImageBox) / 2);
    cairo_scale(context, kNoiseImageBox / side, kNoiseImageBox / side);
    cairo_set_source_surface(context, image.get(), 0, 0);
    cairo_paint(context);
    cairo_restore(context);
  }

  const PdfWriterOptions& options_;
  WrittenPdf written_;  // before the surface: cairo writes into written_.bytes
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface_;
  std::unique_ptr<cairo_t, ContextDeleter> context_;
  NoiseGenerator noise_;
  bool pageOpen_ = false;
  bool pageHasText_ = false;  // no paragraph spacing above the first line of a page
  double baseline_ = 0;       // of the last line set, from the top of the page
};

}  // namespace

WrittenPdf writePdf(const PdfPage& paragraphs, const PdfWriterOptions& options) {
  PdfComposer composer(options);
  composer.startPage();
  for (const PdfParagraph& paragraph : paragraphs) composer.addParagraph(paragraph);
  return composer.finish();
}

WrittenPdf writePdfPages(const std::vector<PdfPage>& pages, const PdfWriterOptions& options) {
  PdfComposer composer(options);
  for (const PdfPage& page : pages) {
    composer.startPage();
    for (const PdfParagraph& paragraph : page) composer.addParagraph(paragraph);
  }
  return composer.finish();
}

}  // namespace daihoi::testing
