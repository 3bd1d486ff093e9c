#include "app/archive_reader.hpp"

#include <boost/asio/post.hpp>

namespace daihoi::app {

namespace asio = boost::asio;

ArchiveReader::ArchiveReader(std::string databasePath, asio::io_context& ioc)
    : databasePath_(std::move(databasePath)), ioc_(ioc) {}

ArchiveReader::~ArchiveReader() { stop(); }

void ArchiveReader::stop() { thread_.join(); }

store::Store& ArchiveReader::store() {
  if (!store_) store_ = store::Store::openReadOnly(databasePath_);
  return *store_;
}

void ArchiveReader::attendanceLog(
    domain::AttendanceLogQuery query,
    std::function<void(std::vector<domain::AttendanceLogEntry>, std::string)> done) {
  ++inFlight_;
  asio::post(thread_, [this, query, done = std::move(done)]() mutable {
    std::vector<domain::AttendanceLogEntry> rows;
    std::string error;
    try {
      rows = store().loadAttendanceLog(query);
    } catch (const std::exception& e) {
      error = e.what();
      store_.reset();  // a fresh connection next time
    }
    asio::post(ioc_, [this, done = std::move(done), rows = std::move(rows), error = std::move(error)]() mutable {
      --inFlight_;
      done(std::move(rows), std::move(error));
    });
  });
}

void ArchiveReader::readImage(std::function<std::optional<std::string>(store::Store&)> read,
                              std::function<void(std::optional<std::string>, std::string)> done) {
  ++inFlight_;
  asio::post(thread_, [this, read = std::move(read), done = std::move(done)]() mutable {
    std::optional<std::string> jpeg;
    std::string error;
    try {
      jpeg = read(store());
    } catch (const std::exception& e) {
      error = e.what();
      store_.reset();
    }
    asio::post(ioc_, [this, done = std::move(done), jpeg = std::move(jpeg), error = std::move(error)]() mutable {
      --inFlight_;
      done(std::move(jpeg), std::move(error));
    });
  });
}

void ArchiveReader::faceThumbnail(std::int64_t attendanceId,
                                  std::function<void(std::optional<std::string>, std::string)> done) {
  readImage([attendanceId](store::Store& store) { return store.loadFaceThumbnail(attendanceId); }, std::move(done));
}

void ArchiveReader::faceAttemptImage(std::uint64_t seq,
                                     std::function<void(std::optional<std::string>, std::string)> done) {
  readImage([seq](store::Store& store) { return store.loadFaceAttemptImage(seq); }, std::move(done));
}

}  // namespace daihoi::app
