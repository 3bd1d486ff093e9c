#pragma once
// The FTS5 extension API of one connection, through which the store registers
// its tokenizer and rank function. SQLite keeps both per connection.
#include "store/sqlite.hpp"

struct fts5_api;

namespace daihoi::store {

// Throws StoreError when this SQLite has no FTS5 or an API older than version 2.
fts5_api& fts5Api(Database& db);

}  // namespace daihoi::store
