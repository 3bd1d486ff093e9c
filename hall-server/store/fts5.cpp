#include "store/fts5.hpp"

#include <sqlite3.h>

#include <string>

namespace daihoi::store {

fts5_api& fts5Api(Database& db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) {
    throw StoreError("this SQLite has no FTS5: " + std::string(sqlite3_errmsg(db.handle())));
  }
  sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  if (api == nullptr || api->iVersion < 2) throw StoreError("this SQLite's FTS5 API is missing or too old");
  return *api;
}

}  // namespace daihoi::store
