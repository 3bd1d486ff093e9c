#include "app/document_worker.hpp"

#include <zlib.h>

#include <boost/asio/post.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/bytes.hpp"
#include "documents/pdf_text.hpp"
#include "documents/vietnamese.hpp"

namespace daihoi::app {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

Failure invalid(std::string message) { return fail("invalid_document", std::move(message)); }

std::string lowerExtension(std::string_view fileName) {
  const std::string extension = fs::path(std::string(fileName)).extension().string();
  std::string lower;
  for (char c : extension) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower;
}

// PDF readers accept the header anywhere in the first kilobyte.
bool looksLikePdf(std::string_view bytes) { return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos; }

Result<std::string> utf8Text(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // a byte order mark is not text
  if (auto bad = documents::firstInvalidUtf8(bytes)) {
    return invalid("Tệp không phải văn bản UTF-8 hợp lệ (byte " + std::to_string(*bad) +
                   ") / the file is not valid UTF-8 text (at byte " + std::to_string(*bad) + ")");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return invalid("Tệp chứa byte NUL: không phải văn bản / the file contains NUL bytes: it is not text");
  }
  std::string text;
  text.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r') {
      text += '\n';
      if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    } else if (static_cast<unsigned char>(bytes[i]) < 0x20 && bytes[i] != '\n') {
      text += ' ';  // other control characters are no text (and the search index marks matches with some)
    } else {
      text += bytes[i];
    }
  }
  return text;
}

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeWholeFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

std::string gzipCompress(std::string_view bytes) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, bytes.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  const auto written = stream.total_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  out.resize(written);
  return out;
}

Result<CheckedDocument> checkDocument(std::string_view bytes, std::string_view fileName) {
  if (bytes.empty()) return invalid("Tệp rỗng / the file is empty");
  const std::string extension = lowerExtension(fileName);
  CheckedDocument checked;
  std::string text;
  if (looksLikePdf(bytes) || extension == ".pdf") {
    if (!looksLikePdf(bytes)) {
      return invalid("Tệp mang tên .pdf nhưng không phải PDF / the file is named .pdf but is not a PDF");
    }
    auto pdf = documents::extractPdfText(bytes);
    if (!pdf) return invalid(pdf.error().message);
    checked.format = domain::DocumentFormat::Pdf;
    checked.pages = pdf->pages;
    checked.embeddedTitle = pdf->title;
    text = std::move(pdf->text);
  } else if (extension == ".md" || extension == ".markdown" || extension == ".txt" || extension == ".text" ||
             extension.empty()) {
    auto decoded = utf8Text(bytes);
    if (!decoded) return decoded.error();
    checked.format = (extension == ".md" || extension == ".markdown") ? domain::DocumentFormat::Markdown
                                                                      : domain::DocumentFormat::PlainText;
    text = std::move(decoded.value());
  } else {
    return invalid("Chỉ nhận PDF, Markdown (.md) hoặc văn bản (.txt), không nhận '" + extension +
                   "' / only PDF, Markdown (.md) or text (.txt) files, not '" + extension + "'");
  }
  const documents::TextFormat format = checked.format == domain::DocumentFormat::Pdf ? documents::TextFormat::PdfText
                                       : checked.format == domain::DocumentFormat::Markdown
                                           ? documents::TextFormat::Markdown
                                           : documents::TextFormat::PlainText;
  checked.paragraphs = documents::splitParagraphs(text, format);
  if (checked.paragraphs.empty()) {
    return invalid("Tài liệu không có chữ nào / the document has no text");
  }
  return checked;
}

DocumentWorker::DocumentWorker(std::string databasePath, asio::io_context& ioc)
    : databasePath_(std::move(databasePath)), ioc_(ioc), files_(databasePath_) {}

DocumentWorker::~DocumentWorker() { stop(); }

void DocumentWorker::stop() { thread_.join(); }

void DocumentWorker::writeChunk(std::string uploadKey, std::uint64_t offset, std::string data,
                                std::function<void(std::string)> done) {
  ++inFlight_;
  asio::post(thread_, [this, uploadKey = std::move(uploadKey), offset, data = std::move(data),
                       done = std::move(done)]() mutable {
    std::string error;
    const std::string path = files_.uploadPath(uploadKey);
    std::FILE* file = std::fopen(path.c_str(), offset == 0 ? "wb" : "r+b");
    if (file == nullptr || std::fseek(file, static_cast<long>(offset), SEEK_SET) != 0 ||
        std::fwrite(data.data(), 1, data.size(), file) != data.size()) {
      error = "cannot write the upload to disk";
    }
    if (file != nullptr && std::fclose(file) != 0 && error.empty()) error = "cannot write the upload to disk";
    asio::post(ioc_, [this, done = std::move(done), error = std::move(error)] {
      --inFlight_;
      done(error);
    });
  });
}

void DocumentWorker::discardUpload(std::string uploadKey) {
  asio::post(thread_, [this, uploadKey = std::move(uploadKey)] {
    std::error_code ignored;
    fs::remove(files_.uploadPath(uploadKey), ignored);
  });
}

void DocumentWorker::prepare(protocol::PrepareJob job, std::function<void(Result<protocol::PreparedVersion>)> done) {
  ++inFlight_;
  asio::post(thread_, [this, job = std::move(job), done = std::move(done)]() mutable {
    Result<protocol::PreparedVersion> result = fail("internal", "not prepared");
    try {
      result = prepareNow(job);
    } catch (const std::exception& e) {
      result = fail("internal", std::string("the document could not be stored: ") + e.what());
    }
    std::error_code ignored;
    fs::remove(files_.uploadPath(job.uploadKey), ignored);  // kept as a version, or refused: gone either way
    asio::post(ioc_, [this, done = std::move(done), result = std::move(result)]() mutable {
      --inFlight_;
      done(std::move(result));
    });
  });
}

std::vector<documents::Paragraph> DocumentWorker::previousParagraphs(std::uint32_t documentId, std::uint32_t version) {
  try {
    if (!store_) store_ = store::Store::openReadOnly(databasePath_);
    return store_->loadParagraphs(documentId, version);
  } catch (...) {
    store_.reset();  // a fresh connection next time
    throw;
  }
}

Result<protocol::PreparedVersion> DocumentWorker::prepareNow(const protocol::PrepareJob& job) {
  const std::string path = files_.uploadPath(job.uploadKey);
  if (fs::file_size(path) > job.maxBytes) {
    return fail("too_large", "Tệp quá lớn / the file is above the limit of " + std::to_string(job.maxBytes) + " bytes");
  }
  const std::string bytes = readWholeFile(path);
  auto checked = checkDocument(bytes, job.fileName);
  if (!checked) return checked.error();
  auto paragraphs = std::make_shared<std::vector<documents::Paragraph>>(std::move(checked->paragraphs));
  if (job.previous) documents::inheritIds(previousParagraphs(job.previous->first, job.previous->second), *paragraphs);

  protocol::PreparedVersion prepared;
  prepared.sha256 = toHex(sha256(bytes));
  prepared.size = bytes.size();
  prepared.format = checked->format;
  prepared.pages = checked->pages;
  prepared.embeddedTitle = checked->embeddedTitle;
  prepared.paragraphs = std::move(paragraphs);
  prepared.gzip = checked->format != domain::DocumentFormat::Pdf;  // PDF streams are compressed already
  if (prepared.gzip) {
    const std::string gzipFile = files_.temporaryPath();
    writeWholeFile(gzipFile, gzipCompress(bytes));
    files_.adopt(gzipFile, prepared.sha256, true);
  }
  // The upload becomes the file itself: renamed, not copied.
  const std::string identityFile = files_.temporaryPath();
  fs::rename(path, identityFile);
  files_.adopt(identityFile, prepared.sha256, false);
  return prepared;
}

}  // namespace daihoi::app
