// document_bench: the in-process part of the documents benchmark (issue 6).
//
// A corpus of congress documents generated from the Vietnamese text shipped
// in bench/corpus/ (document_corpus), split into paragraphs by the product's
// documents::splitParagraphs, then per run:
//
// - index build: every document committed into a fresh database through the
//   product's store (Store::commit of a DocumentPublished event and a
//   domain::DocumentVersionAdded change, as the hall's writer thread commits a
//   publication: paragraphs rows and the FTS5 index with the Vietnamese
//   tokenizer), --batch documents per transaction. Floor in the same run: the
//   same paragraph rows inserted by plain SQLite into a plain table, no index,
//   no FTS, same batching and durability (WAL, synchronous=FULL).
// - search: queries typed without diacritics (1–3 consecutive words of a
//   random paragraph, folded: "dai hoi dang bo"), each through what the hall
//   runs for SearchDocuments: documents::matchExpression, Store::searchDocuments
//   on a read-only connection (the archive reader's) with every document
//   readable and the hall's default page of 20 hits, then documents::unmark of
//   the snippets. Every query must find something. The same queries again for
//   a reader of every document but one (the common delegate when one document
//   is for a delegation or the presidium only).
// - diff: two versions of a 200-page document (--diff-paragraphs, 8 a page),
//   the second with about 5 % of its paragraphs edited at word level and some
//   added and removed: documents::inheritIds (the document worker at
//   publication), documents::diffParagraphs with its word diffs (the archive
//   reader for GetDocumentDiff), the reply's protobuf (toWire), and the archive
//   reader's whole path (both versions' paragraphs loaded from the store, then
//   the diff). Every changed paragraph's word edits must rebuild both texts.
//
// Prints `METRICS phase=… key=value …` per run and phase, then the medians.
// Exit status 0 when every check held, 1 otherwise, 2 on bad use.
//
// --write-pdf FILE instead writes a Vietnamese PDF from the corpus (the tests'
// cairo writer, a noise image per page to make it big) for run_fetch.sh.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <system_error>

#include "common/bytes.hpp"
#include "common/chain.hpp"
#include "daihoi.pb.h"
#include "document_corpus.hpp"
#include "documents/diff.hpp"
#include "documents/search.hpp"
#include "documents/vietnamese.hpp"
#include "load_common.hpp"
#include "protocol/document_wire.hpp"
#include "protocol/wire.hpp"
#include "store/store.hpp"
#ifdef DAIHOI_BENCH_PDF_WRITER
#include "pdf_writer.hpp"
#endif

namespace daihoi::bench {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::daihoi::v1;

const char* const kUsage = R"(document_bench — the Daihoi documents benchmark (index build, search, diff)

usage: document_bench [options]
       document_bench --write-pdf FILE [--pdf-pages 200] [--pdf-noise-side 183] [--seed S]

  --corpus DIR          the shipped Vietnamese text (default: bench/corpus of the source tree)
  --documents N         documents generated (500)
  --paragraphs M        at least M paragraphs per document, headings included (100)
  --batch K             documents per transaction, hall and floor (1: each publication
                        is a commit of its own, as the hall's document worker delivers them)
  --queries Q           searches per run (300)
  --limit L             hits per search (20, the hall's default page)
  --diff-paragraphs P   paragraphs of the diffed document (1600: 200 pages x 8)
  --diff-repeats D      each diff measurement D times per run; the run reports the median (5)
  --runs R              runs (3); the summary gives the medians
  --seed S              random seed of the corpus, queries and edits (1)
  --dir DIR             where the databases go (default: a new folder in $TMPDIR, removed at the end)
  --keep                keep the databases
  --quick               smoke run: 20 documents x 20 paragraphs, 20 queries, a 160-paragraph diff, 1 run
  --label TEXT          copied into the output
  --write-pdf FILE      write a PDF of --pdf-pages pages of corpus text, each page with a
                        --pdf-noise-side px noise image (about 3 x side^2 bytes), and exit
)";

struct Options {
  std::string corpus = defaultCorpusDirectory();
  std::size_t documents = 500;
  std::size_t paragraphs = 100;
  std::size_t batch = 1;
  std::size_t queries = 300;
  std::uint32_t limit = 20;
  std::size_t diffParagraphs = 1600;
  std::size_t diffRepeats = 5;
  std::size_t runs = 3;
  std::uint64_t seed = 1;
  std::string dir;
  bool keep = false;
  std::string label;
  std::string writePdf;
  std::size_t pdfPages = 200;
  int pdfNoiseSide = 183;
};

Options parseOptions(int argc, char** argv) {
  Options options;
  const OptionHandler handle = [&options](const std::string& name, const std::string& value) {
    const auto positive = [&](const std::string& what) {
      const std::uint64_t n = parseNumber(value, what);
      if (n == 0) throw std::invalid_argument("--" + what + " must be at least 1");
      return static_cast<std::size_t>(n);
    };
    if (name == "corpus") {
      options.corpus = value;
    } else if (name == "documents") {
      options.documents = positive(name);
    } else if (name == "paragraphs") {
      options.paragraphs = positive(name);
    } else if (name == "batch") {
      options.batch = positive(name);
    } else if (name == "queries") {
      options.queries = positive(name);
    } else if (name == "limit") {
      options.limit = static_cast<std::uint32_t>(std::min<std::size_t>(positive(name), 100));
    } else if (name == "diff-paragraphs") {
      options.diffParagraphs = positive(name);
    } else if (name == "diff-repeats") {
      options.diffRepeats = positive(name);
    } else if (name == "runs") {
      options.runs = positive(name);
    } else if (name == "seed") {
      options.seed = parseNumber(value, name);
    } else if (name == "dir") {
      options.dir = value;
    } else if (name == "keep") {
      options.keep = true;
    } else if (name == "quick") {
      options.documents = 20;
      options.paragraphs = 20;
      options.queries = 20;
      options.diffParagraphs = 160;
      options.diffRepeats = 3;
      options.runs = 1;
    } else if (name == "label") {
      options.label = value;
    } else if (name == "write-pdf") {
      options.writePdf = value;
    } else if (name == "pdf-pages") {
      options.pdfPages = positive(name);
    } else if (name == "pdf-noise-side") {
      options.pdfNoiseSide = static_cast<int>(std::min<std::uint64_t>(parseNumber(value, name), 4096));
    } else {
      return false;
    }
    return true;
  };
  parseArguments(argc, argv, kUsage, {"keep", "quick"}, handle);
  return options;
}

// ------------------------------------------------------------ small helpers

double msSince(std::int64_t startNs) { return nsToMs(nowNs() - startNs); }

// The 1, 5 and 15 minute load averages.
std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double fileMb(const std::string& path) {
  std::error_code ec;
  double bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    const auto size = fs::file_size(path + suffix, ec);
    if (!ec) bytes += static_cast<double>(size);
  }
  return bytes / (1024.0 * 1024.0);
}

void removeDb(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

// The checks of a run: each failure is printed at once and makes the exit status 1.
struct Checks {
  std::size_t failed = 0;
  void require(bool ok, const std::string& what) {
    if (ok) return;
    ++failed;
    std::cerr << "document_bench: CHECK FAILED: " << what << "\n";
  }
};

// ------------------------------------------------------------ publications

constexpr std::int64_t kPublishedMs = 1'764'000'000'000;  // a fixed date: the bytes do not depend on the clock

domain::Principal secretary() {
  domain::Principal principal;
  principal.role = domain::Role::Secretary;
  principal.accountId = 3;
  principal.displayName = "Thư ký Đại hội";
  principal.login = "secretary";
  return principal;
}

// What the hall commits when a version is published (protocol::stageVersion):
// the DocumentVersionAdded change with the prepared paragraphs and the
// DocumentPublished event, numbered and chained like Hall::commit does.
class Publisher {
 public:
  store::Commit publish(std::uint32_t documentId, const std::string& title, std::uint32_t versionNumber,
                        const std::string& text, std::shared_ptr<const std::vector<documents::Paragraph>> paragraphs) {
    domain::Document header;
    header.id = documentId;
    header.title = title;
    header.kind = static_cast<domain::DocumentKind>(1 + documentId % 6);
    header.audience.everyone = true;
    header.createdMs = kPublishedMs;

    domain::DocumentVersionInfo version;
    version.number = versionNumber;
    version.sha256 = toHex(sha256(text));
    version.size = text.size();
    version.format = domain::DocumentFormat::PlainText;
    version.fileName = "van-kien-" + std::to_string(documentId) + "-v" + std::to_string(versionNumber) + ".txt";
    version.note = versionNumber == 1 ? "Bản trình Đại hội" : "Tiếp thu ý kiến các tổ";
    version.addedMs = kPublishedMs + versionNumber;
    version.addedBy = secretary();
    version.gzip = true;
    auto ids = std::make_shared<std::vector<std::string>>();
    ids->reserve(paragraphs->size());
    for (const auto& paragraph : *paragraphs) ids->push_back(paragraph.id);
    version.paragraphIds = std::move(ids);

    // The event names the document with all its versions (toWire of the pending state).
    domain::Document& known = known_[documentId];
    if (known.versions.empty()) known = header;
    known.versions.push_back(version);

    v1::Event event;
    event.set_seq(head_.seq + 1);
    event.set_time_ms(version.addedMs);
    auto& published = *event.mutable_document_published();
    protocol::toWire(known, *published.mutable_document());
    published.set_version(versionNumber);
    protocol::toWire(version.addedBy, *published.mutable_by());

    store::EventRow row;
    row.seq = head_.seq + 1;
    row.timeMs = version.addedMs;
    row.audienceRoles = domain::RoleSet{domain::Role::Secretary, domain::Role::Organizer, domain::Role::Delegate,
                                        domain::Role::Chair}
                            .bits();
    row.audienceDocument = documentId;
    row.body = event.SerializeAsString();
    row.hash = chainHash(head_.hash, row.body);
    head_ = {row.seq, row.hash};

    domain::DocumentVersionAdded change;
    change.header = header;
    change.newDocument = versionNumber == 1;
    change.version = std::move(version);
    change.paragraphs = std::move(paragraphs);

    store::Commit commit;
    commit.events.push_back(std::move(row));
    commit.changes.emplace_back(std::move(change));
    return commit;
  }

 private:
  store::ChainHead head_;
  std::map<std::uint32_t, domain::Document> known_;
};

// ------------------------------------------------------------ the floor

// The same paragraph rows through the plain SQLite C API: one table, no index,
// no FTS, no event, no version row. WAL and synchronous=FULL like the store.
class FloorDb {
 public:
  explicit FloorDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      const std::string problem = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + problem);
    }
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = FULL");
    exec("PRAGMA secure_delete = ON");
    exec("CREATE TABLE paragraphs (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, version INTEGER NOT NULL, "
         "number INTEGER NOT NULL, paragraph_id TEXT NOT NULL, section TEXT NOT NULL, "
         "heading_level INTEGER NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL)");
    if (sqlite3_prepare_v3(db_,
                           "INSERT INTO paragraphs (document_id, version, number, paragraph_id, section, "
                           "heading_level, page, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, SQLITE_PREPARE_PERSISTENT, &insert_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("SQLite prepare: ") + sqlite3_errmsg(db_));
    }
  }
  ~FloorDb() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  FloorDb(const FloorDb&) = delete;
  FloorDb& operator=(const FloorDb&) = delete;

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string problem = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error("SQLite: " + problem);
    }
  }

  void insert(std::uint32_t documentId, const documents::Paragraph& paragraph) {
    sqlite3_bind_int64(insert_, 1, documentId);
    sqlite3_bind_int64(insert_, 2, 1);
    sqlite3_bind_int64(insert_, 3, paragraph.number);
    sqlite3_bind_text(insert_, 4, paragraph.id.data(), static_cast<int>(paragraph.id.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_, 5, paragraph.section.data(), static_cast<int>(paragraph.section.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_, 6, paragraph.headingLevel);
    sqlite3_bind_int64(insert_, 7, paragraph.page);
    sqlite3_bind_text(insert_, 8, paragraph.text.data(), static_cast<int>(paragraph.text.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(insert_) != SQLITE_DONE) throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

// ------------------------------------------------------------ the phases

struct PreparedCorpus {
  std::vector<GeneratedDocument> documents;
  std::vector<std::vector<store::Commit>> groups;  // --batch publications per transaction
  std::size_t paragraphs = 0;
  std::size_t bytes = 0;
};

struct BuildFigures {
  double hallMs = 0, floorMs = 0, hallDbMb = 0, floorDbMb = 0, openMs = 0;
};

BuildFigures buildIndex(const Options& options, const PreparedCorpus& corpus, const std::string& hallDb,
                        const std::string& floorDb, bool floorFirst) {
  BuildFigures figures;
  const auto runFloor = [&] {
    FloorDb floor(floorDb);
    const std::int64_t start = nowNs();
    for (std::size_t first = 0; first < corpus.documents.size(); first += options.batch) {
      floor.exec("BEGIN");
      const std::size_t end = std::min(corpus.documents.size(), first + options.batch);
      for (std::size_t i = first; i < end; ++i) {
        for (const auto& paragraph : corpus.documents[i].paragraphs) floor.insert(corpus.documents[i].number, paragraph);
      }
      floor.exec("COMMIT");
    }
    figures.floorMs = msSince(start);
  };
  const auto runHall = [&] {
    const std::int64_t opening = nowNs();
    auto store = store::Store::open(hallDb);
    figures.openMs = msSince(opening);
    const std::int64_t start = nowNs();
    for (const auto& group : corpus.groups) store->commit(group);
    figures.hallMs = msSince(start);
  };
  if (floorFirst) {
    runFloor();
    runHall();
  } else {
    runHall();
    runFloor();
  }
  figures.hallDbMb = fileMb(hallDb);
  figures.floorDbMb = fileMb(floorDb);
  return figures;
}

// Queries by how many paragraphs match: the work of a search grows with it.
constexpr std::size_t kMatchBuckets[] = {1000, 5000};  // under 1,000; 1,000–4,999; 5,000 and more
std::size_t matchBucket(std::uint32_t matches) {
  std::size_t bucket = 0;
  for (std::size_t bound : kMatchBuckets) bucket += matches >= bound ? 1 : 0;
  return bucket;
}
const char* const kMatchBucketNames[] = {"lt1k", "1k_5k", "ge5k"};
const char* const kMatchBucketTexts[] = {"under 1,000", "1,000-4,999", "5,000 and more"};

struct SearchFigures {
  std::vector<std::int64_t> all;
  std::map<std::size_t, std::vector<std::int64_t>> byWords;
  std::map<std::size_t, std::vector<std::int64_t>> byMatches;  // bucket (matchBucket) → times
  std::size_t zeroHits = 0;
  double matches = 0;  // total matching paragraphs, summed over queries
  double maxMatches = 0;
  double firstMs = 0;  // the connection's first search, which loads every paragraph's length
};

// `readable`: the documents the reader may read. A query found nothing is a
// failed check only for a reader of every document (each query comes from one).
SearchFigures search(const Options& options, const std::string& hallDb, const std::vector<std::uint32_t>& readable,
                     const std::vector<Query>& warmUp, const std::vector<Query>& queries, Checks& checks) {
  auto store = store::Store::openReadOnly(hallDb);  // the archive reader's connection
  const bool everyDocument = readable.size() == options.documents;
  SearchFigures figures;
  const auto one = [&](const Query& query, bool measured) {
    const std::int64_t start = nowNs();
    domain::DocumentSearch request;
    request.match = documents::matchExpression(query.text);
    request.documentIds = readable;
    request.limit = options.limit;
    const domain::DocumentSearchResult result = store->searchDocuments(request);
    std::size_t highlights = 0;
    for (const auto& hit : result.hits) highlights += documents::unmark(hit.markedSnippet).highlights.size();
    const std::int64_t spent = nowNs() - start;
    if (!measured) return;
    figures.all.push_back(spent);
    figures.byWords[query.words].push_back(spent);
    figures.byMatches[matchBucket(result.total)].push_back(spent);
    figures.matches += result.total;
    figures.maxMatches = std::max<double>(figures.maxMatches, result.total);
    if (result.total == 0 || result.hits.empty() || highlights == 0) {
      ++figures.zeroHits;
      checks.require(!everyDocument, "the query \"" + query.text + "\" (from document " + std::to_string(query.document) +
                                         ") found nothing");
    }
  };
  const std::int64_t first = nowNs();
  one(warmUp.front(), false);
  figures.firstMs = msSince(first);
  for (const Query& query : warmUp) one(query, false);
  for (const Query& query : queries) one(query, true);
  std::sort(figures.all.begin(), figures.all.end());
  for (auto& [words, times] : figures.byWords) std::sort(times.begin(), times.end());
  for (auto& [bucket, times] : figures.byMatches) std::sort(times.begin(), times.end());
  return figures;
}

struct DiffInput {
  std::string title;
  std::string olderText, newerText;
  Revision revision;
};

struct DiffFigures {
  double splitMs = 0, inheritMs = 0, diffMs = 0, wireMs = 0, archiveMs = 0;
  double wireKb = 0;
  std::size_t olderParagraphs = 0, newerParagraphs = 0;
  documents::DiffCounts counts;
  std::size_t inheritedIds = 0;
};

// Equal + Insert must give the newer text and Equal + Delete the older one.
bool wordEditsRebuild(const documents::ParagraphChange& change, const std::vector<documents::Paragraph>& older,
                      const std::vector<documents::Paragraph>& newer) {
  std::string olderText, newerText;
  for (const auto& edit : change.words) {
    if (edit.op != documents::WordEdit::Op::Insert) olderText += edit.text;
    if (edit.op != documents::WordEdit::Op::Delete) newerText += edit.text;
  }
  return change.older && change.newer && olderText == older[*change.older].text &&
         newerText == newer[*change.newer].text;
}

DiffFigures diff(const Options& options, const DiffInput& input, const std::string& diffDb, Checks& checks) {
  DiffFigures figures;
  using documents::TextFormat;
  const auto older = documents::splitParagraphs(input.olderText, TextFormat::PlainText);
  std::vector<double> split, inherit, compare, wire, archive;
  std::vector<documents::Paragraph> newer;
  documents::DocumentDiff result;
  for (std::size_t r = 0; r < options.diffRepeats; ++r) {
    // The document worker: the new version's text into paragraphs, then the ids carried over.
    std::int64_t start = nowNs();
    newer = documents::splitParagraphs(input.newerText, TextFormat::PlainText);
    split.push_back(msSince(start));
    start = nowNs();
    documents::inheritIds(older, newer);
    inherit.push_back(msSince(start));
    // The archive reader: the diff with its word edits.
    start = nowNs();
    result = documents::diffParagraphs(older, newer);
    compare.push_back(msSince(start));
    // The network thread: the reply.
    start = nowNs();
    v1::DocumentDiffReply reply;
    protocol::toWire(result, older, newer, reply);
    const std::string bytes = reply.SerializeAsString();
    wire.push_back(msSince(start));
    figures.wireKb = static_cast<double>(bytes.size()) / 1024.0;
  }
  figures.olderParagraphs = older.size();
  figures.newerParagraphs = newer.size();
  figures.counts = result.counts;
  for (std::size_t i = 0; i < newer.size(); ++i) {
    const auto same = std::find_if(older.begin(), older.end(), [&](const auto& p) { return p.id == newer[i].id; });
    figures.inheritedIds += same != older.end() ? 1 : 0;
  }
  std::size_t rebuilt = 0, changed = 0;
  for (const auto& change : result.changes) {
    if (change.kind != documents::ParagraphChangeKind::Changed) continue;
    ++changed;
    rebuilt += wordEditsRebuild(change, older, newer) ? 1 : 0;
  }
  checks.require(changed == rebuilt, std::to_string(changed - rebuilt) + " of " + std::to_string(changed) +
                                         " changed paragraphs' word edits do not rebuild both texts");
  checks.require(result.counts.changed + result.counts.added + result.counts.removed > 0,
                 "the diff of two different versions found no change");
  checks.require(result.counts.unchanged + result.counts.changed + result.counts.removed == older.size() &&
                     result.counts.unchanged + result.counts.changed + result.counts.added == newer.size(),
                 "the diff's counts do not add up to the versions' paragraphs");

  // The archive reader's whole path on a database holding both versions.
  {
    Publisher publisher;
    auto store = store::Store::open(diffDb);
    store->commit({publisher.publish(1, input.title, 1, input.olderText,
                                     std::make_shared<const std::vector<documents::Paragraph>>(older))});
    store->commit({publisher.publish(1, input.title, 2, input.newerText,
                                     std::make_shared<const std::vector<documents::Paragraph>>(newer))});
  }
  auto reader = store::Store::openReadOnly(diffDb);
  for (std::size_t r = 0; r < options.diffRepeats; ++r) {
    const std::int64_t start = nowNs();
    const auto olderRead = reader->loadParagraphs(1, 1);
    const auto newerRead = reader->loadParagraphs(1, 2);
    const auto fromStore = documents::diffParagraphs(olderRead, newerRead);
    archive.push_back(msSince(start));
    checks.require(fromStore.counts.changed == result.counts.changed && fromStore.counts.added == result.counts.added &&
                       fromStore.counts.removed == result.counts.removed,
                   "the diff of the stored versions differs from the diff in memory");
  }
  figures.splitMs = median(split);
  figures.inheritMs = median(inherit);
  figures.diffMs = median(compare);
  figures.wireMs = median(wire);
  figures.archiveMs = median(archive);
  return figures;
}

// ------------------------------------------------------------ the PDF for the fetch benchmark

int writePdf(const Options& options, const Corpus& corpus) {
#ifdef DAIHOI_BENCH_PDF_WRITER
  constexpr std::size_t kParagraphsPerPage = 5;  // about what an A4 page at 11 pt holds
  Rng rng(options.seed);
  std::string title;
  const std::string text = generateDocumentText(corpus, rng, options.pdfPages * kParagraphsPerPage, 1, &title);
  const auto paragraphs = documents::splitParagraphs(text, documents::TextFormat::PlainText);
  std::vector<testing::PdfPage> pages;
  for (std::size_t i = 0; i < paragraphs.size() && pages.size() < options.pdfPages; i += kParagraphsPerPage) {
    testing::PdfPage page;
    for (std::size_t j = i; j < std::min(paragraphs.size(), i + kParagraphsPerPage); ++j) {
      page.push_back({paragraphs[j].text, paragraphs[j].headingLevel > 0 ? testing::PdfParagraph::Style::Heading
                                                                          : testing::PdfParagraph::Style::Body});
    }
    pages.push_back(std::move(page));
  }
  testing::PdfWriterOptions pdfOptions;
  pdfOptions.title = title;
  pdfOptions.noiseImageSide = options.pdfNoiseSide;
  const testing::WrittenPdf pdf = testing::writePdfPages(pages, pdfOptions);
  std::ofstream out(options.writePdf, std::ios::binary | std::ios::trunc);
  out.write(pdf.bytes.data(), static_cast<std::streamsize>(pdf.bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + options.writePdf);
  std::cout << "PDF " << options.writePdf << " pages=" << pdf.pages << " bytes=" << pdf.bytes.size()
            << " sha256=" << toHex(sha256(pdf.bytes)) << "\n";
  return 0;
#else
  (void)corpus;
  std::cerr << "document_bench: built without the PDF writer (cairo); --write-pdf " << options.writePdf
            << " is not available\n";
  return 2;
#endif
}

// ------------------------------------------------------------ main

int run(const Options& options) {
  const Corpus corpus = loadCorpus(options.corpus);
  if (!options.writePdf.empty()) return writePdf(options, corpus);

  std::string dir = options.dir;
  bool removeDir = false;
  if (dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "daihoi-documents.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder");
    dir = pattern;
    removeDir = !options.keep;
  } else {
    fs::create_directories(dir);
  }

  std::cout << "document benchmark" << (options.label.empty() ? "" : " (" + options.label + ")") << ": "
            << options.documents << " documents x at least " << options.paragraphs << " paragraphs, batch "
            << options.batch << ", " << options.queries << " queries, a " << options.diffParagraphs
            << "-paragraph diff, " << options.runs << " run(s); corpus " << options.corpus << " ("
            << corpus.sentences.size() << " sentences); databases in " << dir << std::endl;

  Checks checks;
  // The corpus: generated once; splitting is what the document worker does per upload.
  PreparedCorpus prepared;
  std::int64_t start = nowNs();
  {
    Rng rng(options.seed);
    for (std::size_t i = 1; i <= options.documents; ++i) {
      GeneratedDocument document;
      document.number = static_cast<std::uint32_t>(i);
      document.text = generateDocumentText(corpus, rng, options.paragraphs, document.number, &document.title);
      prepared.documents.push_back(std::move(document));
    }
  }
  const double generateMs = msSince(start);
  start = nowNs();
  for (auto& document : prepared.documents) {
    document.paragraphs = documents::splitParagraphs(document.text, documents::TextFormat::PlainText);
  }
  const double splitMs = msSince(start);
  std::size_t bodies = 0, shortest = SIZE_MAX;
  {
    Publisher publisher;
    std::vector<store::Commit> group;
    for (const auto& document : prepared.documents) {
      prepared.paragraphs += document.paragraphs.size();
      prepared.bytes += document.text.size();
      bodies += document.bodyParagraphs();
      shortest = std::min(shortest, document.paragraphs.size());
      group.push_back(publisher.publish(document.number, document.title, 1, document.text,
                                        std::make_shared<const std::vector<documents::Paragraph>>(document.paragraphs)));
      if (group.size() == options.batch) {
        prepared.groups.push_back(std::move(group));
        group.clear();
      }
    }
    if (!group.empty()) prepared.groups.push_back(std::move(group));
  }
  checks.require(shortest >= options.paragraphs, "a document has " + std::to_string(shortest) +
                                                     " paragraphs, fewer than --paragraphs " +
                                                     std::to_string(options.paragraphs));
  std::cout << "corpus: " << prepared.documents.size() << " documents, " << prepared.paragraphs << " paragraphs ("
            << bodies << " body, " << prepared.paragraphs - bodies << " headings and titles), "
            << std::fixed << std::setprecision(1) << static_cast<double>(prepared.bytes) / (1024.0 * 1024.0)
            << " MB of text; generated in " << generateMs << " ms, split into paragraphs (splitParagraphs) in "
            << splitMs << " ms" << std::endl;

  Rng queryRng(options.seed * 7919 + 17);
  const std::vector<Query> warmUp = makeQueries(prepared.documents, queryRng, 20);
  const std::vector<Query> queries = makeQueries(prepared.documents, queryRng, options.queries);

  DiffInput diffInput;
  {
    Rng diffRng(options.seed * 104729 + 3);
    diffInput.olderText = generateDocumentText(corpus, diffRng, options.diffParagraphs, 1, &diffInput.title);
    const auto older = documents::splitParagraphs(diffInput.olderText, documents::TextFormat::PlainText);
    diffInput.revision = reviseDocument(corpus, diffRng, older);
    diffInput.newerText = diffInput.revision.text;
  }

  std::vector<double> hallMs, floorMs, ratios, p50s, p99s, maxes, diffMs, inheritMs, archiveMs, wireMs, firstMs;
  std::vector<double> someP50s, someP99s;
  std::map<std::size_t, std::vector<double>> p99ByWords, p50ByMatches, p99ByMatches;
  std::map<std::size_t, std::size_t> queriesByMatches;
  std::cout << std::setprecision(2);
  for (std::size_t run = 1; run <= options.runs; ++run) {
    const std::string tag = dir + "/run" + std::to_string(run);
    const std::string hallDb = tag + ".hall.db", floorDb = tag + ".floor.db", diffDb = tag + ".diff.db";
    for (const auto& path : {hallDb, floorDb, diffDb}) removeDb(path);
    std::cout << "== run " << run << " (load average " << loadAverage() << ")" << std::endl;

    const BuildFigures build = buildIndex(options, prepared, hallDb, floorDb, run % 2 == 0);
    const double ratio = build.floorMs > 0 ? build.hallMs / build.floorMs : 0;
    std::cout << "   index build: hall store " << build.hallMs << " ms (" << build.hallDbMb << " MB), floor "
              << build.floorMs << " ms (" << build.floorDbMb << " MB), hall/floor " << ratio << "; "
              << static_cast<double>(prepared.paragraphs) / (build.hallMs / 1000.0) << " paragraphs/s" << std::endl;
    std::cout << "METRICS phase=build run=" << run << " documents=" << prepared.documents.size()
              << " paragraphs=" << prepared.paragraphs << " batch=" << options.batch
              << " hall_ms=" << metricText(build.hallMs) << " floor_ms=" << metricText(build.floorMs)
              << " ratio=" << metricText(ratio) << " hall_db_mb=" << metricText(build.hallDbMb)
              << " floor_db_mb=" << metricText(build.floorDbMb) << " open_ms=" << metricText(build.openMs) << "\n";
    hallMs.push_back(build.hallMs);
    floorMs.push_back(build.floorMs);
    ratios.push_back(ratio);

    std::vector<std::uint32_t> everyDocument(options.documents);
    std::iota(everyDocument.begin(), everyDocument.end(), 1u);
    const SearchFigures found = search(options, hallDb, everyDocument, warmUp, queries, checks);
    const double p50 = percentileMs(found.all, 0.50), p99 = percentileMs(found.all, 0.99), max = maxMs(found.all);
    double sum = 0;
    for (auto ns : found.all) sum += nsToMs(ns);
    std::cout << "   search: " << found.all.size() << " queries, p50 " << p50 << " ms, p99 " << p99 << " ms, max "
              << max << " ms, mean " << sum / static_cast<double>(found.all.size()) << " ms; matches per query mean "
              << std::setprecision(0) << found.matches / static_cast<double>(found.all.size()) << ", most "
              << found.maxMatches << std::setprecision(2) << "; without hits: " << found.zeroHits
              << "; the connection's first search (loads the paragraph lengths) " << found.firstMs << " ms" << std::endl;
    firstMs.push_back(found.firstMs);
    std::cout << "METRICS phase=search run=" << run << " queries=" << found.all.size() << " p50_ms=" << metricText(p50)
              << " p90_ms=" << metricText(percentileMs(found.all, 0.90)) << " p99_ms=" << metricText(p99)
              << " max_ms=" << metricText(max) << " mean_ms=" << metricText(sum / static_cast<double>(found.all.size()))
              << " zero_hits=" << found.zeroHits
              << " mean_matches=" << metricText(found.matches / static_cast<double>(found.all.size()))
              << " max_matches=" << metricText(found.maxMatches) << " first_ms=" << metricText(found.firstMs);
    for (const auto& [words, times] : found.byWords) {
      std::cout << " p50_" << words << "w_ms=" << metricText(percentileMs(times, 0.50)) << " p99_" << words
                << "w_ms=" << metricText(percentileMs(times, 0.99)) << " n_" << words << "w=" << times.size();
      p99ByWords[words].push_back(percentileMs(times, 0.99));
    }
    for (const auto& [bucket, times] : found.byMatches) {
      std::cout << " p50_" << kMatchBucketNames[bucket] << "_ms=" << metricText(percentileMs(times, 0.50)) << " p99_"
                << kMatchBucketNames[bucket] << "_ms=" << metricText(percentileMs(times, 0.99)) << " n_"
                << kMatchBucketNames[bucket] << "=" << times.size();
      p50ByMatches[bucket].push_back(percentileMs(times, 0.50));
      p99ByMatches[bucket].push_back(percentileMs(times, 0.99));
      queriesByMatches[bucket] = times.size();
    }
    std::cout << "\n";
    std::cout << "   search by matching paragraphs:";
    for (const auto& [bucket, times] : found.byMatches) {
      std::cout << " " << kMatchBucketTexts[bucket] << ": " << times.size() << " queries, p50 "
                << percentileMs(times, 0.50) << " ms, p99 " << percentileMs(times, 0.99) << " ms;";
    }
    std::cout << std::endl;
    p50s.push_back(p50);
    p99s.push_back(p99);
    maxes.push_back(max);

    // A reader of every document but one (one document is for a delegation or the presidium only):
    // the store cannot answer from the index alone and must keep the readable documents' matches.
    std::vector<std::uint32_t> allButOne(everyDocument.begin(), everyDocument.end() - 1);
    const SearchFigures some = search(options, hallDb, allButOne, warmUp, queries, checks);
    const double someP50 = percentileMs(some.all, 0.50), someP99 = percentileMs(some.all, 0.99);
    std::cout << "   search, a reader of all documents but one: p50 " << someP50 << " ms, p99 " << someP99
              << " ms, max " << maxMs(some.all) << " ms" << std::endl;
    std::cout << "METRICS phase=search_all_but_one run=" << run << " p50_ms=" << metricText(someP50)
              << " p99_ms=" << metricText(someP99) << " max_ms=" << metricText(maxMs(some.all)) << "\n";
    someP50s.push_back(someP50);
    someP99s.push_back(someP99);

    const DiffFigures changed = diff(options, diffInput, diffDb, checks);
    std::cout << "   diff: " << changed.olderParagraphs << " -> " << changed.newerParagraphs << " paragraphs (edited "
              << diffInput.revision.edited << ", removed " << diffInput.revision.removed << ", added "
              << diffInput.revision.added << "): unchanged " << changed.counts.unchanged << ", changed "
              << changed.counts.changed << ", removed " << changed.counts.removed << ", added " << changed.counts.added
              << "; inheritIds " << changed.inheritMs << " ms, diffParagraphs " << changed.diffMs
              << " ms, reply " << changed.wireMs << " ms (" << changed.wireKb << " KiB), archive path (load both + diff) "
              << changed.archiveMs << " ms; split " << changed.splitMs << " ms" << std::endl;
    std::cout << "METRICS phase=diff run=" << run << " older=" << changed.olderParagraphs
              << " newer=" << changed.newerParagraphs << " edited=" << diffInput.revision.edited
              << " removed=" << diffInput.revision.removed << " added=" << diffInput.revision.added
              << " d_unchanged=" << changed.counts.unchanged << " d_changed=" << changed.counts.changed
              << " d_removed=" << changed.counts.removed << " d_added=" << changed.counts.added
              << " ids_kept=" << changed.inheritedIds << " split_ms=" << metricText(changed.splitMs)
              << " inherit_ms=" << metricText(changed.inheritMs) << " diff_ms=" << metricText(changed.diffMs)
              << " wire_ms=" << metricText(changed.wireMs) << " wire_kb=" << metricText(changed.wireKb)
              << " archive_ms=" << metricText(changed.archiveMs) << "\n";
    diffMs.push_back(changed.diffMs);
    inheritMs.push_back(changed.inheritMs);
    archiveMs.push_back(changed.archiveMs);
    wireMs.push_back(changed.wireMs);

    if (!options.keep) {
      for (const auto& path : {hallDb, floorDb, diffDb}) removeDb(path);
    }
  }
  if (removeDir) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::cout << "\nsummary (medians of " << options.runs << " run(s))\n"
            << "  index build, " << prepared.paragraphs << " paragraphs in " << prepared.documents.size()
            << " documents, batch " << options.batch << ": hall store " << median(hallMs) << " ms, floor (plain table) "
            << median(floorMs) << " ms, hall/floor " << median(ratios) << "\n"
            << "  search (" << options.queries << " queries without diacritics, limit " << options.limit << "): p50 "
            << median(p50s) << " ms, p99 " << median(p99s) << " ms, max " << median(maxes)
            << " ms; first search on a new connection " << median(firstMs) << " ms";
  for (const auto& [words, values] : p99ByWords) std::cout << "; p99 " << words << " word(s) " << median(values) << " ms";
  std::cout << "\n  search, a reader of all documents but one: p50 " << median(someP50s) << " ms, p99 "
            << median(someP99s) << " ms";
  std::cout << "\n  search by matching paragraphs:";
  for (const auto& [bucket, values] : p99ByMatches) {
    std::cout << " " << kMatchBucketTexts[bucket] << " (" << queriesByMatches[bucket] << " queries) p50 "
              << median(p50ByMatches[bucket]) << " ms, p99 " << median(values) << " ms;";
  }
  std::cout << "\n  diff of " << diffInput.revision.edited << " edited, " << diffInput.revision.removed << " removed, "
            << diffInput.revision.added << " added paragraphs in " << options.diffParagraphs
            << ": diffParagraphs " << median(diffMs) << " ms, inheritIds " << median(inheritMs)
            << " ms, reply " << median(wireMs) << " ms, archive path " << median(archiveMs) << " ms\n";
  std::cout << "SUMMARY hall_build_ms=" << metricText(median(hallMs)) << " floor_build_ms=" << metricText(median(floorMs))
            << " build_ratio=" << metricText(median(ratios)) << " search_p50_ms=" << metricText(median(p50s))
            << " search_p99_ms=" << metricText(median(p99s)) << " search_max_ms=" << metricText(median(maxes))
            << " search_first_ms=" << metricText(median(firstMs))
            << " search_some_p50_ms=" << metricText(median(someP50s)) << " search_some_p99_ms=" << metricText(median(someP99s))
            << " diff_ms=" << metricText(median(diffMs)) << " inherit_ms=" << metricText(median(inheritMs))
            << " archive_diff_ms=" << metricText(median(archiveMs)) << " checks_failed=" << checks.failed << "\n";
  if (checks.failed != 0) {
    std::cout << "FAILED: " << checks.failed << " check(s) failed\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  return runMain("document_bench", kUsage, [&] { return parseOptions(argc, argv); },
                 [](const Options& options) { return run(options); });
}
