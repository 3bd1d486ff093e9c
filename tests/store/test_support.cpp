#include "test_support.hpp"

#include <stdlib.h>

#include <memory>
#include <stdexcept>

#include "documents/paragraphs.hpp"
#include "store/sqlite.hpp"

namespace daihoi::store::test {
namespace {

// The documents' times (the discussion tests count from it too).
constexpr std::int64_t kT0 = 1'760'000'000'000;

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "daihoi-store-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory from " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

domain::Congress sampleCongress() {
  domain::Congress congress;
  congress.name = "Đại hội Đảng bộ tỉnh Thừa Thiên Huế lần thứ XVII";
  congress.term = "nhiệm kỳ 2025–2030";
  congress.venue = "Trung tâm Hội nghị tỉnh, số 1 Lê Lợi, thành phố Huế";
  congress.startsOn = "2025-10-14";
  congress.endsOn = "2025-10-16";
  congress.quorum = domain::Fraction{2, 3};
  return congress;
}

domain::Roster sampleRoster() {
  std::vector<domain::Delegation> delegations{
      {1, "Đoàn đại biểu Đảng bộ thành phố Huế"},
      {2, "Đoàn đại biểu Đảng bộ huyện Phú Vang"},
      {3, "Đoàn đại biểu Đảng bộ Khối các cơ quan tỉnh"},
  };
  std::vector<domain::Delegate> delegates;
  auto add = [&](std::uint32_t id, std::string code, std::string name, std::uint32_t delegation, std::string seat,
                 std::uint32_t row, std::uint32_t column, bool voting, std::vector<std::string> photos) {
    domain::Delegate delegate;
    delegate.id = id;
    delegate.code = std::move(code);
    delegate.fullName = std::move(name);
    delegate.delegationId = delegation;
    delegate.seat = domain::Seat{std::move(seat), row, column};
    delegate.voting = voting;
    delegate.photoFiles = std::move(photos);
    delegates.push_back(std::move(delegate));
  };
  add(1, "DB001", "Nguyễn Thị Hồng Nhung", 1, "A-01", 1, 1, true, {"photos/db001-a.jpg", "photos/db001-b.jpg"});
  add(2, "DB002", "Trần Văn Đức", 1, "A-02", 1, 2, true, {"photos/db002.jpg"});
  add(3, "DB003", "Lê Hoàng Phương Thảo", 2, "B-01", 2, 1, true, {});
  add(4, "DB004", "Phạm Quốc Việt", 3, "B-02", 2, 2, true, {"ảnh/phạm-quốc-việt.png"});
  add(5, "KM001", "Hồ Thị Ánh Tuyết", 3, "K-01", 9, 1, false, {});
  return domain::Roster(std::move(delegations), std::move(delegates));
}

domain::Principal secretary() {
  return domain::Principal{domain::Role::Secretary, 7, "Võ Thị Thu Hằng", "thuhang"};
}

std::vector<EventRow> nextEvents(ChainHead& head, std::size_t count, std::int64_t timeMs) {
  std::vector<EventRow> events;
  for (std::size_t i = 0; i < count; ++i) {
    EventRow event;
    event.seq = head.seq + 1;
    event.timeMs = timeMs + static_cast<std::int64_t>(event.seq);
    event.audienceRoles = domain::RoleSet::all().bits();
    event.audienceDelegate = static_cast<std::uint32_t>(event.seq % 3);
    // Binary bodies: serialized protobuf holds NUL and high bytes.
    event.body = std::string("sự kiện\0#", 13) + std::to_string(event.seq) + "\xff\x01";
    event.hash = chainHash(head.hash, event.body);
    head = ChainHead{event.seq, event.hash};
    events.push_back(std::move(event));
  }
  return events;
}

std::int64_t queryInt(const std::string& dbPath, const std::string& sql) {
  Database db(dbPath);
  auto statement = db.prepare(sql);
  if (!statement.step()) {
    throw std::runtime_error("no row from " + sql);
  }
  return statement.columnInt64(0);
}

domain::DocumentVersionAdded documentVersion(std::uint32_t id, std::uint32_t number, std::string_view markdown,
                                             domain::DocumentAudience audience,
                                             std::optional<domain::Contribution> contribution) {
  domain::DocumentVersionAdded change;
  change.header.id = id;
  change.header.title = "Dự thảo văn kiện số " + std::to_string(id);
  change.header.kind = contribution ? domain::DocumentKind::WrittenContribution : domain::DocumentKind::DraftResolution;
  change.header.audience = std::move(audience);
  change.header.createdMs = kT0 + id;
  change.header.contribution = std::move(contribution);
  change.newDocument = number == 1;
  change.version.number = number;
  change.version.sha256 = std::string(64, static_cast<char>('a' + (id * 3 + number) % 6));
  change.version.size = markdown.size();
  change.version.format = domain::DocumentFormat::Markdown;
  change.version.fileName = "du-thao-" + std::to_string(id) + ".md";
  change.version.note = number == 1 ? "Bản đầu" : "Sửa theo góp ý";
  change.version.addedMs = kT0 + id * 100 + number;
  change.version.addedBy = secretary();
  auto paragraphs = std::make_shared<std::vector<documents::Paragraph>>(
      documents::splitParagraphs(markdown, documents::TextFormat::Markdown));
  auto ids = std::make_shared<std::vector<std::string>>();
  for (const auto& paragraph : *paragraphs) ids->push_back(paragraph.id);
  change.version.paragraphIds = std::move(ids);
  change.paragraphs = std::move(paragraphs);
  return change;
}

void Hall::commit(std::vector<domain::Change> changes, std::uint64_t audienceComment) {
  Commit commit;
  commit.events = nextEvents(head_, 1);
  commit.events[0].audienceComment = audienceComment;
  commit.changes = std::move(changes);
  try {
    store_.commit({commit});
  } catch (...) {
    head_ = store_.chainHead();  // nothing was stored
    throw;
  }
}

}  // namespace daihoi::store::test
