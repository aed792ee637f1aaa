#include <dbmig/dialects/connection.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <sqlite3.h>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <filesystem>

namespace dbmig {
namespace {

class SqliteConnection : public Connection {
 public:
  SqliteConnection(const std::string& path, const ConnectOptions& options) {
    std::string target = path;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    // A missing file may be a database not created yet; a missing folder is a wrong URL.
    if (path != ":memory:" && path.rfind("file:", 0) != 0) {
      auto folder = std::filesystem::path(path).parent_path();
      std::error_code ec;
      if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
        throw Error("cannot open SQLite database '" + path + "': the folder '" + folder.string() + "' does not exist");
    }
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
    path_ = path;
    timeout_ = options.lock_timeout_seconds;
    sqlite3_busy_handler(db_, &SqliteConnection::on_busy, this);
    // Table rebuilds drop and rename tables that others reference; foreign keys are checked
    // with PRAGMA foreign_key_check before commit instead.
    execute("PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON");
    statements_issued_ = 0;
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  DialectKind dialect() const override { return DialectKind::sqlite; }

  long execute(const std::string& sql) override {
    ++statements_issued_;
    if (log_trace_enabled()) log_trace("SQL: " + sql);
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
    if (log_trace_enabled()) log_trace("SQL: " + sql);
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

  void begin() override {
    try {
      execute("BEGIN IMMEDIATE");
    } catch (const DatabaseError& e) {
      if (sqlite3_errcode(db_) != SQLITE_BUSY) throw;
      throw Error("could not get the write lock on " + path_ + " within " + format_double("%g", timeout_) +
                  " seconds (--lock-timeout); another process is writing to it");
    }
  }
  // SQLite has no users; the operating-system account that ran dbmig stands in.
  std::string user() override {
    struct passwd* pw = getpwuid(geteuid());
    return pw ? pw->pw_name : "";
  }

 private:
  // Waits for another writer with a growing sleep, says once that it is waiting (SQLite cannot
  // tell who holds the lock), and gives up after the lock timeout.
  static int on_busy(void* self_ptr, int count) {
    auto* self = static_cast<SqliteConnection*>(self_ptr);
    auto now = std::chrono::steady_clock::now();
    if (count == 0) {
      self->busy_since_ = now;
      log_info("Waiting for the write lock on " + self->path_ + " (another process is writing to it)");
    }
    double waited = std::chrono::duration<double>(now - self->busy_since_).count();
    if (self->timeout_ >= 0 && waited >= self->timeout_) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 + count, 50)));
    return 1;
  }

  sqlite3* db_ = nullptr;
  std::string path_;
  double timeout_ = -1;
  std::chrono::steady_clock::time_point busy_since_;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<SqliteConnection>(url.sqlite_path, options);
}

}  // namespace dbmig
