// Schema v5: enrolled faces, check-in thumbnails and their retention,
// sittings and roll calls.
#include <doctest/doctest.h>

#include "store/store.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::domain::Role;
using daihoi::store::test::queryInt;
using daihoi::store::test::sampleRoster;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;

namespace {

domain::EnrolledPhoto photo(char fill, float value) {
  domain::EnrolledPhoto p;
  p.sha256 = std::string(64, fill);
  p.name = std::string("ảnh-") + fill + ".jpg";
  p.descriptor.fill(value);
  p.chipJpeg = std::string("\xFF\xD8 chip ") + fill;
  p.enrolledMs = 1'700'000'000'000;
  return p;
}

void commitChanges(Store& store, std::vector<domain::Change> changes) {
  store.commit({Commit{{}, std::move(changes), nullptr}});
}

}  // namespace

TEST_CASE("enrolled faces are stored as descriptors and follow the delegate's code across roster imports") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  store->replaceRoster(sampleRoster());
  commitChanges(*store, {domain::FacesEnrolled{1, {photo('a', 0.25f), photo('b', -0.5f)}},
                         domain::FacesEnrolled{2, {photo('c', 0.125f)}}});
  auto loaded = store->loadFacePhotos();
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[0].delegateId == 1);
  REQUIRE(loaded[0].photos.size() == 2);
  CHECK(loaded[0].photos[1].descriptor[127] == -0.5f);
  CHECK(loaded[0].photos[0].name == "ảnh-a.jpg");
  CHECK(loaded[0].photos[0].chipJpeg == std::string("\xFF\xD8 chip a"));

  // Re-enrollment replaces the set; an empty set removes it.
  commitChanges(*store, {domain::FacesEnrolled{1, {photo('d', 1.0f)}}, domain::FacesEnrolled{2, {}}});
  loaded = store->loadFacePhotos();
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].photos.size() == 1);
  CHECK(loaded[0].photos[0].sha256 == std::string(64, 'd'));

  // A new roster where DB001 has another id keeps the photos with the person;
  // a code no longer on the roster loses them.
  commitChanges(*store, {domain::FacesEnrolled{4, {photo('e', 0.5f)}}});
  auto delegates = sampleRoster().delegates();
  std::vector<domain::Delegate> reordered;
  for (auto delegate : delegates) {
    if (delegate.code == "DB004") continue;
    delegate.id = delegate.id == 1 ? 7 : delegate.id;
    reordered.push_back(delegate);
  }
  store->replaceRoster(domain::Roster(sampleRoster().delegations(), reordered));
  loaded = store->loadFacePhotos();
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].delegateId == 7);
  CHECK(queryInt(dir.file("hall.db"), "SELECT COUNT(*) FROM face_photos") == 1);
}

TEST_CASE("a face check-in keeps its thumbnail with the log row until its retention ends") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  store->replaceRoster(sampleRoster());
  domain::AttendanceRecorded face;
  face.delegateId = 2;
  face.present = true;
  face.method = domain::AttendanceMethod::Face;
  face.recordedBy = domain::Principal{Role::Kiosk, 1, "Kiosk cổng A", "kiosk-a"};
  face.timeMs = 1'000;
  face.sittingId = 3;
  face.faceDistance = 0.3125f;
  face.thumbnailJpeg = "thumbnail";
  face.thumbnailExpiresMs = 5'000;
  domain::AttendanceRecorded manual = face;
  manual.delegateId = 3;
  manual.method = domain::AttendanceMethod::Manual;
  manual.thumbnailJpeg.clear();
  manual.faceDistance = 0;
  commitChanges(*store, {face, manual});

  auto log = store->loadAttendanceLog();
  REQUIRE(log.size() == 2);
  CHECK(log[0].method == domain::AttendanceMethod::Face);
  CHECK(log[0].faceDistance == 0.3125f);
  CHECK(log[0].sittingId == 3);
  CHECK(log[0].hasThumbnail);
  CHECK_FALSE(log[1].hasThumbnail);
  CHECK(store->loadFaceThumbnail(log[0].id) == "thumbnail");
  CHECK_FALSE(store->loadFaceThumbnail(log[1].id).has_value());

  domain::AttendanceLogQuery bySitting;
  bySitting.sittingId = 4;
  CHECK(store->loadAttendanceLog(bySitting).empty());
  domain::AttendanceLogQuery byTime;
  byTime.fromMs = 1'001;
  CHECK(store->loadAttendanceLog(byTime).empty());
  byTime.fromMs = 1'000;
  byTime.toMs = 1'001;
  CHECK(store->loadAttendanceLog(byTime).size() == 2);

  commitChanges(*store, {domain::FaceAttemptImageKept{42, "attempt face", 5'000}});
  CHECK(store->loadFaceAttemptImage(42) == "attempt face");
  CHECK_FALSE(store->loadFaceAttemptImage(41).has_value());
  commitChanges(*store, {domain::ThumbnailsExpired{4'999}});
  CHECK(store->loadFaceThumbnail(log[0].id).has_value());
  commitChanges(*store, {domain::ThumbnailsExpired{5'000}});
  CHECK_FALSE(store->loadFaceThumbnail(log[0].id).has_value());
  CHECK_FALSE(store->loadFaceAttemptImage(42).has_value());
  CHECK_FALSE(store->loadAttendanceLog()[0].hasThumbnail);
  CHECK(store->loadAttendanceLog().size() == 2);  // the record itself stays
}

TEST_CASE("sittings open and close once; roll calls are append-only") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  store->replaceRoster(sampleRoster());
  commitChanges(*store, {domain::SittingStarted{{1, "Phiên khai mạc", 100, 0}}});
  domain::RollCallTaken rollCall;
  rollCall.id = 1;
  rollCall.seq = 1;
  rollCall.timeMs = 200;
  rollCall.sittingId = 1;
  rollCall.note = "đầu phiên";
  rollCall.by = domain::Principal{Role::Chair, 1, "Chủ tọa", "chair"};
  rollCall.presentIds = {1, 3};
  rollCall.totals.present = 2;
  commitChanges(*store, {rollCall, domain::SittingEnded{1, 300}});
  auto sittings = store->loadSittings();
  REQUIRE(sittings.size() == 1);
  CHECK(sittings[0].endedMs == 300);
  CHECK(sittings[0].title == "Phiên khai mạc");
  CHECK(store->loadRollCallCount() == 1);
  CHECK_THROWS_AS(commitChanges(*store, {domain::SittingEnded{1, 400}}), StoreError);
  CHECK(store->loadSittings()[0].endedMs == 300);
  const std::string path = dir.file("hall.db");
  CHECK(queryInt(path, "SELECT COUNT(*) FROM roll_calls WHERE present = '1,3'") == 1);
}
