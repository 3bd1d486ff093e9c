// Search over the paragraph index: the rank function daihoi_bm25 against
// FTS5's bm25(), Store::searchDocuments' pages, counts and snippets, and the
// paragraphs' documents known in memory for readers of some documents.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "documents/search.hpp"
#include "store/paragraph_owners.hpp"
#include "store/paragraph_rank.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "store/vietnamese_tokenizer.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::store::test::documentVersion;
using daihoi::store::test::Hall;
using daihoi::store::test::queryInt;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;
namespace documents = daihoi::documents;

namespace {

// Paragraphs of different lengths that repeat some words, so that term
// frequency, length and IDF all move the scores.
const char* const kDrafts[] = {
    "# Phần I. Kinh tế\n\n"
    "Phát triển kinh tế biển gắn với bảo đảm quốc phòng, an ninh.\n\n"
    "Kinh tế số, kinh tế biển, kinh tế tuần hoàn.\n\n"
    "Nông nghiệp công nghệ cao, nông thôn mới.\n",
    "# Chương II. Khoa học và chuyển đổi số\n\n"
    "Chuyển đổi số là động lực tăng trưởng mới của tỉnh trong giai đoạn tới, "
    "gắn với phát triển kinh tế số và xã hội số.\n\n"
    "Y tế cơ sở được củng cố.\n\n"
    "Bảo vệ môi trường biển.\n",
    "Chuyển đổi số quốc gia, kinh tế biển.\n\n"
    "Đại hội Đảng bộ tỉnh lần thứ XVII.\n\n"
    "Kinh tế.\n",
    "# Mục 1. Văn hóa\n\n"
    "Phát triển văn hóa, con người; kinh tế văn hóa.\n\n"
    "Giáo dục và đào tạo, khoa học và công nghệ, đổi mới sáng tạo, chuyển đổi số trong mọi ngành, mọi cấp.\n",
};

const char* const kQueries[] = {
    "\"kinh\"",                  // many paragraphs, some several times
    "\"kinh\" \"te\" \"bien\"",  // three words, all required
    "\"so\" OR \"bien\"",        // either word
    "\"kinh te\"",               // a two-word phrase
    "\"kinh\" NOT \"bien\"",
    "\"dai\" \"hoi\" \"dang\" \"bo\"",
};

// A raw connection to the index with both functions, as every store connection has them.
struct IndexConnection {
  explicit IndexConnection(const std::string& path, Database::Mode mode = Database::Mode::ReadOnly) : db(path, mode) {
    registerVietnameseTokenizer(db);
    registerParagraphRank(db);
  }
  Database db;
};

// Every match of `match`: its rowid, bm25() and daihoi_bm25().
struct Scores {
  std::int64_t id = 0;
  double builtin = 0;
  double ours = 0;
};

std::vector<Scores> scoresOf(Database& db, const std::string& match) {
  auto rows = db.prepare(
      "SELECT rowid, bm25(paragraph_search), daihoi_bm25(paragraph_search) FROM paragraph_search "
      "WHERE paragraph_search MATCH ?1 ORDER BY rowid");
  rows.bindText(1, match);
  std::vector<Scores> scores;
  while (rows.step()) scores.push_back({rows.columnInt64(0), rows.columnDouble(1), rows.columnDouble(2)});
  return scores;
}

void checkSameAsBm25(Database& db) {
  std::size_t matches = 0;
  for (const std::string match : kQueries) {
    CAPTURE(match);
    const std::vector<Scores> scores = scoresOf(db, match);
    matches += scores.size();
    for (const Scores& score : scores) {
      CAPTURE(score.id);
      CHECK(score.builtin < 0);
      CHECK(score.ours == doctest::Approx(score.builtin).epsilon(1e-12));
    }
  }
  CHECK(matches > 0);
}

// The best-first order a search must give: bm25(), then the older paragraph.
std::vector<std::int64_t> bestIds(Database& db, const std::string& match, const std::vector<std::uint32_t>& documents) {
  auto rows = db.prepare(
      "SELECT p.id, p.document_id FROM paragraph_search JOIN paragraphs p ON p.id = paragraph_search.rowid "
      "WHERE paragraph_search MATCH ?1 ORDER BY bm25(paragraph_search), p.id");
  rows.bindText(1, match);
  std::vector<std::int64_t> ids;
  while (rows.step()) {
    const auto document = static_cast<std::uint32_t>(rows.columnInt64(1));
    if (std::find(documents.begin(), documents.end(), document) != documents.end()) ids.push_back(rows.columnInt64(0));
  }
  return ids;
}

std::int64_t idOf(Database& db, const domain::DocumentSearchHit& hit) {
  auto row = db.prepare("SELECT id FROM paragraphs WHERE document_id = ?1 AND version = ?2 AND number = ?3");
  row.bindInt64(1, hit.documentId).bindInt64(2, hit.version).bindInt64(3, hit.paragraphNumber);
  REQUIRE(row.step());
  return row.columnInt64(0);
}

// A fresh hall database with the hall's way of committing publications.
struct HallDatabase {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  std::unique_ptr<Store> store = Store::open(path);
  Hall hall{*store};
};

}  // namespace

TEST_CASE_FIXTURE(HallDatabase, "daihoi_bm25 scores every match as FTS5's bm25() does, also for paragraphs indexed after its first use") {
  hall.commit({documentVersion(1, 1, kDrafts[0]), documentVersion(2, 1, kDrafts[1])});

  IndexConnection reader(path);
  checkSameAsBm25(reader.db);  // the first ranking loads the lengths of every indexed paragraph

  // New paragraphs and a new version (the old one leaves the index) after the
  // reader loaded its lengths: their lengths are read as they are ranked.
  hall.commit({documentVersion(3, 1, kDrafts[2]), documentVersion(4, 1, kDrafts[3])});
  hall.commit({documentVersion(1, 2, std::string(kDrafts[0]) + "\nKinh tế tư nhân là một động lực quan trọng.\n")});
  checkSameAsBm25(reader.db);
  checkSameAsBm25(reader.db);  // and remembered

  // A connection that writes too, and a fresh reader.
  IndexConnection writer(path, Database::Mode::ReadWriteCreate);
  checkSameAsBm25(writer.db);
  IndexConnection fresh(path);
  checkSameAsBm25(fresh.db);
}

TEST_CASE("daihoi_bm25 does not remember the length of a paragraph its own connection may still roll back") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    Hall hall(*store);
    hall.commit({documentVersion(1, 1, kDrafts[0])});
  }
  IndexConnection writer(path, Database::Mode::ReadWriteCreate);
  checkSameAsBm25(writer.db);
  const std::int64_t id = 1 + [&] {
    auto last = writer.db.prepare("SELECT max(id) FROM paragraphs");
    REQUIRE(last.step());
    return last.columnInt64(0);
  }();
  // A paragraph with this id is indexed and ranked, then rolled back; the id
  // comes back with another, longer text.
  const auto insert = [&](const std::string& text) {
    auto paragraph = writer.db.prepare(
        "INSERT INTO paragraphs (id, document_id, version, number, paragraph_id, section, heading_level, page, text) "
        "VALUES (?1, 1, 1, 99, 'p-test', '', 0, 0, ?2)");
    paragraph.bindInt64(1, id).bindText(2, text);
    paragraph.run();
    auto index = writer.db.prepare("INSERT INTO paragraph_search (rowid, text) VALUES (?1, ?2)");
    index.bindInt64(1, id).bindText(2, text);
    index.run();
  };
  writer.db.exec("PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE");
  insert("Kinh tế biển.");
  checkSameAsBm25(writer.db);
  writer.db.exec("ROLLBACK");
  writer.db.exec("BEGIN IMMEDIATE");
  insert("Kinh tế biển, kinh tế số và kinh tế xanh gắn với phát triển bền vững của tỉnh.");
  writer.db.exec("COMMIT");
  const std::vector<Scores> scores = scoresOf(writer.db, "\"kinh\"");
  const auto added = std::find_if(scores.begin(), scores.end(), [&](const Scores& s) { return s.id == id; });
  REQUIRE(added != scores.end());
  CHECK(added->ours == doctest::Approx(added->builtin).epsilon(1e-12));
  checkSameAsBm25(writer.db);
}

TEST_CASE_FIXTURE(HallDatabase, "a search page: the best matches by bm25 then publication, every match counted, snippets highlighted") {
  hall.commit({documentVersion(1, 1, kDrafts[0]), documentVersion(2, 1, kDrafts[1]),
               documentVersion(3, 1, kDrafts[2]), documentVersion(4, 1, kDrafts[3])});
  hall.commit({documentVersion(1, 2, std::string(kDrafts[0]) + "\nKinh tế tư nhân là một động lực quan trọng.\n")});
  IndexConnection raw(path);
  auto reader = Store::openReadOnly(path);

  for (const std::vector<std::uint32_t>& readable : {std::vector<std::uint32_t>{1, 2, 3, 4},  // every document
                                                     std::vector<std::uint32_t>{1, 3}}) {    // some
    for (const std::string text : {"kinh te", "so", "Chuyển đổi số", "dai hoi dang bo"}) {
      CAPTURE(text);
      CAPTURE(readable.size());
      domain::DocumentSearch search;
      search.match = documents::matchExpression(text);
      search.documentIds = readable;
      const std::vector<std::int64_t> expected = bestIds(raw.db, search.match, readable);
      for (std::uint32_t limit : {1u, 2u, 3u, 50u}) {
        CAPTURE(limit);
        std::vector<std::int64_t> paged;
        for (search.limit = limit, search.offset = 0; search.offset < expected.size() + limit; search.offset += limit) {
          const domain::DocumentSearchResult result = reader->searchDocuments(search);
          CHECK(result.total == expected.size());
          CHECK(result.hits.size() == std::min<std::size_t>(limit, expected.size() - std::min<std::size_t>(search.offset, expected.size())));
          for (const domain::DocumentSearchHit& hit : result.hits) {
            paged.push_back(idOf(raw.db, hit));
            CHECK(std::find(readable.begin(), readable.end(), hit.documentId) != readable.end());
            CHECK(hit.bm25 < 0);
            CHECK(!hit.paragraphId.empty());
            const documents::MarkedText snippet = documents::unmark(hit.markedSnippet);
            CHECK(!snippet.text.empty());
            CHECK(!snippet.highlights.empty());
          }
        }
        CHECK(paged == expected);
      }
    }
  }
  // The hit names its place: the newest version, its paragraph and section.
  domain::DocumentSearch search;
  search.match = documents::matchExpression("tu nhan");
  search.documentIds = {1, 2, 3, 4};
  const domain::DocumentSearchResult result = reader->searchDocuments(search);
  REQUIRE(result.hits.size() == 1);
  CHECK(result.total == 1);
  CHECK(result.hits[0].documentId == 1);
  CHECK(result.hits[0].version == 2);
  CHECK(result.hits[0].paragraphNumber == 5);
  CHECK(result.hits[0].section == "Phần I. Kinh tế");
  const documents::MarkedText snippet = documents::unmark(result.hits[0].markedSnippet);
  CHECK(snippet.text == "Kinh tế tư nhân là một động lực quan trọng.");
  const auto highlighted = [&](std::size_t i) {
    return snippet.text.substr(snippet.highlights[i].first, snippet.highlights[i].second - snippet.highlights[i].first);
  };
  REQUIRE(snippet.highlights.size() == 2);
  CHECK(highlighted(0) == "tư");
  CHECK(highlighted(1) == "nhân");
  // Nothing readable, nothing typed: nothing found.
  search.documentIds = {};
  CHECK(reader->searchDocuments(search).total == 0);
  search.documentIds = {1};
  search.match = "";
  CHECK(reader->searchDocuments(search).hits.empty());
}

TEST_CASE_FIXTURE(HallDatabase, "a reader of some documents gets exactly their matches, also after new versions and documents") {
  hall.commit({documentVersion(1, 1, kDrafts[0]), documentVersion(2, 1, kDrafts[1])});
  IndexConnection raw(path);
  auto reader = Store::openReadOnly(path);  // remembers which document each paragraph belongs to
  const auto matches = [&](const std::string& text, const std::vector<std::uint32_t>& readable) {
    domain::DocumentSearch search;
    search.match = documents::matchExpression(text);
    search.documentIds = readable;
    search.limit = 100;
    const domain::DocumentSearchResult result = reader->searchDocuments(search);
    std::vector<std::int64_t> ids;
    for (const domain::DocumentSearchHit& hit : result.hits) ids.push_back(idOf(raw.db, hit));
    CHECK(result.total == ids.size());
    const std::vector<std::int64_t> expected = bestIds(raw.db, search.match, readable);
    CHECK(ids == expected);
    return ids.size();
  };
  CHECK(matches("kinh te", {1}) == 3);
  CHECK(matches("so", {2}) > 0);
  // Published after the reader's first searches: a new version of document 1 (its
  // old paragraphs leave the index), two new documents, committed one at a time.
  hall.commit({documentVersion(1, 2, "Kinh tế biển.\n\nKinh tế tư nhân.\n")});
  hall.commit({documentVersion(3, 1, kDrafts[2])});
  hall.commit({documentVersion(4, 1, kDrafts[3]), documentVersion(2, 2, kDrafts[3])});
  CHECK(matches("kinh te", {1}) == 2);
  CHECK(matches("kinh te", {1, 3}) == 4);
  CHECK(matches("kinh te", {2, 4}) == 2);
  CHECK(matches("chuyen doi so", {3}) == 1);
  CHECK(matches("chuyen doi so", {1, 2}) == 1);
  CHECK(matches("dai hoi", {1, 2, 4}) == 0);
  CHECK(matches("dai hoi", {3, 7}) == 1);  // 7: no such document
}

TEST_CASE_FIXTURE(HallDatabase, "paragraph owners: one span per version, read again only for what is newer") {
  hall.commit({documentVersion(1, 1, kDrafts[0]), documentVersion(2, 1, kDrafts[1])});
  IndexConnection raw(path);
  ParagraphOwners owners;
  REQUIRE(owners.refresh(raw.db));
  const auto ownerOf = [&](std::int64_t id) {
    auto row = raw.db.prepare("SELECT document_id FROM paragraphs WHERE id = ?1");
    row.bindInt64(1, id);
    return row.step() ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(row.columnInt64(0))) : std::nullopt;
  };
  const std::int64_t before = owners.highest();
  CHECK(before == queryInt(path, "SELECT MAX(id) FROM paragraphs"));
  for (std::int64_t id = 0; id <= before + 2; ++id) CHECK(owners.documentOf(id) == ownerOf(id));
  hall.commit({documentVersion(1, 2, kDrafts[2]), documentVersion(3, 1, kDrafts[3])});
  CHECK_FALSE(owners.documentOf(before + 1));  // not read yet
  REQUIRE(owners.refresh(raw.db));
  CHECK(owners.highest() > before);
  for (std::int64_t id = 0; id <= owners.highest() + 2; ++id) CHECK(owners.documentOf(id) == ownerOf(id));
  // A connection in the middle of a write sees rows that may still be rolled back: not trusted.
  Database writer(path, Database::Mode::ReadWriteCreate);
  writer.exec("BEGIN IMMEDIATE");
  ParagraphOwners fresh;
  CHECK_FALSE(fresh.refresh(writer));
  writer.exec("ROLLBACK");
  CHECK(fresh.refresh(writer));

  // A version whose ids are not consecutive (the store never writes one): not trusted, for good,
  // and a search of some documents still finds exactly their matches (by the join in SQL).
  const std::int64_t highest = owners.highest();
  writer.exec("INSERT INTO paragraphs (id, document_id, version, number, paragraph_id, section, heading_level, page, text) "
              "VALUES (" + std::to_string(highest + 5) + ", 3, 1, 90, 'p90', '', 0, 0, 'kinh tế'), (" +
              std::to_string(highest + 7) + ", 3, 1, 91, 'p91', '', 0, 0, 'kinh tế')");
  CHECK_FALSE(owners.refresh(raw.db));
  CHECK_FALSE(owners.refresh(raw.db));
  auto reader = Store::openReadOnly(path);
  domain::DocumentSearch search;
  search.match = documents::matchExpression("kinh te");
  search.documentIds = {1, 3};
  search.limit = 100;
  const domain::DocumentSearchResult result = reader->searchDocuments(search);
  const std::vector<std::int64_t> expected = bestIds(raw.db, search.match, search.documentIds);
  CHECK(expected.size() >= 2);
  REQUIRE(result.hits.size() == expected.size());
  CHECK(result.total == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(idOf(raw.db, result.hits[i]) == expected[i]);
}
