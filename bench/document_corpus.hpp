// document_corpus.hpp: Vietnamese congress documents generated for the
// document benchmarks from the text shipped in bench/corpus/ (sentences and
// heading titles written for the project). Everything is deterministic: the
// same corpus, seed and sizes give the same bytes on every machine (our own
// PRNG and range reduction, no std:: distributions).
//
// A document is plain UTF-8 text as a secretariat would upload it (.txt): a
// title, then "Phần thứ …", "Chương …", "Mục N.", "Điều N." headings (each
// with its title) and body paragraphs of 2–6 sentences, separated by blank
// lines. The product's own documents::splitParagraphs turns it into the
// paragraphs the server would store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "documents/paragraphs.hpp"

namespace daihoi::bench {

// The folder of the shipped corpus (set by CMake; --corpus overrides it).
std::string defaultCorpusDirectory();

struct Corpus {
  std::vector<std::string> sentences;      // cau.txt
  std::vector<std::string> partTitles;     // tieu_de.txt [phan]: in capitals
  std::vector<std::string> chapterTitles;  // [chuong]: in capitals
  std::vector<std::string> sectionTitles;  // [muc]
  std::vector<std::string> articleTitles;  // [dieu]
  std::vector<std::string> documentTitles; // [tai_lieu]: "{so}" is the document's number
};

// Reads cau.txt and tieu_de.txt from `directory`; throws std::runtime_error
// when a file is missing, a section is empty or a line is not valid UTF-8.
Corpus loadCorpus(const std::string& directory);

// SplitMix64: small, fast, and the same sequence everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, n); n > 0 (Lemire's multiply-shift; the tiny bias is irrelevant here).
  std::uint64_t below(std::uint64_t n);
  // Uniform in [low, high].
  std::uint64_t between(std::uint64_t low, std::uint64_t high) { return low + below(high - low + 1); }
  // True with probability p.
  bool chance(double p);
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

struct GeneratedDocument {
  std::uint32_t number = 0;  // 1-based
  std::string title;
  std::string text;                                 // the uploaded file's bytes
  std::vector<documents::Paragraph> paragraphs;     // splitParagraphs(text, PlainText)
  std::size_t bodyParagraphs() const;               // paragraphs that are not headings
};

// The text of document `number` with at least `minParagraphs` paragraphs
// (headings count), drawn from `rng`.
std::string generateDocumentText(const Corpus& corpus, Rng& rng, std::size_t minParagraphs, std::uint32_t number,
                                 std::string* title = nullptr);

// The same, split into paragraphs the way the server does (plain text).
GeneratedDocument generateDocument(const Corpus& corpus, Rng& rng, std::size_t minParagraphs, std::uint32_t number);

// `count` documents numbered 1…count, from one generator seeded with `seed`.
std::vector<GeneratedDocument> generateDocuments(const Corpus& corpus, std::uint64_t seed, std::size_t count,
                                                 std::size_t minParagraphs);

// A next version of a document: of its body paragraphs, `editShare` edited at
// word level (a few words replaced, inserted or deleted, or a sentence
// added), `removeShare` removed, and after `addShare` of them a new paragraph
// added. Headings are kept. The result is the new version's text.
struct RevisionOptions {
  double editShare = 0.05;
  double removeShare = 0.01;
  double addShare = 0.01;
};
struct Revision {
  std::string text;
  std::size_t edited = 0, removed = 0, added = 0;
};
Revision reviseDocument(const Corpus& corpus, Rng& rng, const std::vector<documents::Paragraph>& older,
                        const RevisionOptions& options = {});

// A search as a delegate types it: 1–3 consecutive words of a random body
// paragraph of a random document, folded (no diacritics, đ → d, lower case)
// and joined by spaces, e.g. "dai hoi dang bo". `words` is how many.
struct Query {
  std::string text;
  std::size_t words = 0;
  std::uint32_t document = 0;  // where the words were taken from
};
std::vector<Query> makeQueries(const std::vector<GeneratedDocument>& documents, Rng& rng, std::size_t count);

}  // namespace daihoi::bench
