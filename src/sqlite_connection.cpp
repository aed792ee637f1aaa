#include <dbmig/connection.hpp>
#include <dbmig/error.hpp>

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <pwd.h>
#include <unistd.h>

#include <climits>
#include <filesystem>

namespace dbmig {
namespace {

class SqliteConnection : public Connection {
 public:
  SqliteConnection(const std::string& path, const ConnectOptions& options) {
    std::string target = path;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (options.read_only) {
      flags = SQLITE_OPEN_READONLY;
      // Reading must not create the file: a missing database reads as an empty one.
      if (path != ":memory:" && !std::filesystem::exists(path)) target = ":memory:", flags = SQLITE_OPEN_READWRITE;
    }
    if (sqlite3_open_v2(target.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error("cannot open SQLite database '" + path + "': " + msg);
    }
    double timeout = options.lock_timeout_seconds;
    sqlite3_busy_timeout(db_, timeout < 0 ? INT_MAX : static_cast<int>(timeout * 1000));
    // Table rebuilds drop and rename tables that others reference; foreign keys are checked
    // with PRAGMA foreign_key_check before commit instead.
    execute("PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON");
    statements_issued_ = 0;
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  DialectKind dialect() const override { return DialectKind::sqlite; }

  long execute(const std::string& sql) override {
    ++statements_issued_;
    spdlog::trace("SQL: {}", sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw DatabaseError(msg, sql);
    }
    return sqlite3_changes(db_);
  }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    ++statements_issued_;
    spdlog::trace("SQL: {}", sql);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw DatabaseError(sqlite3_errmsg(db_), sql);
    for (size_t i = 0; i < params.size(); ++i)
      sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    std::vector<Row> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      int n = sqlite3_column_count(stmt);
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) row.emplace_back(std::nullopt);
        else row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)));
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_finalize(stmt);
      throw DatabaseError(msg, sql);
    }
    sqlite3_finalize(stmt);
    return rows;
  }

  void begin() override { execute("BEGIN IMMEDIATE"); }
  // SQLite has no users; the operating-system account that ran dbmig stands in.
  std::string user() override {
    struct passwd* pw = getpwuid(geteuid());
    return pw ? pw->pw_name : "";
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<SqliteConnection>(url.sqlite_path, options);
}

}  // namespace dbmig
