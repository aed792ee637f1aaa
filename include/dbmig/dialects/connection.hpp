#pragma once
// One small interface over libpq and sqlite3; their types never leave their .cpp files.
#include <dbmig/config/url.hpp>

#include <memory>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

using Row = std::vector<std::optional<std::string>>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual DialectKind dialect() const = 0;
  // Runs one or more statements and returns the rows the last one changed; throws
  // DatabaseError naming the statement.
  virtual long execute(const std::string& sql) = 0;
  // Runs a query with $1..$n (PostgreSQL) or ?1..?n (SQLite) text parameters.
  virtual std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {}) = 0;
  // The same, handing each row to `fn` in turn instead of holding them all (a catalog of 100,000
  // columns).
  virtual void each_row(const std::string& sql, const std::vector<std::string>& params, const std::function<void(const Row&)>& fn) {
    for (const auto& row : query(sql, params)) fn(row);
  }
  virtual void begin() = 0;  // SQLite: BEGIN IMMEDIATE, so the writer lock is taken up front
  virtual void commit() { execute("COMMIT"); }
  virtual void rollback() { execute("ROLLBACK"); }
  virtual std::string user() = 0;
  // Statements sent to the server so far (tests assert on counts, never on times).
  long statements_issued() const { return statements_issued_; }

 protected:
  long statements_issued_ = 0;
};

struct ConnectOptions {
  bool read_only = false;            // SQLite: a missing file reads as an empty database
  double lock_timeout_seconds = -1;  // SQLite busy timeout; negative waits (almost) forever
  // PostgreSQL: the schema a tenant runs in, set with SET LOCAL in every transaction.
  std::string search_path;
};

std::unique_ptr<Connection> connect(const DatabaseUrl& url, const ConnectOptions& options = {});

// RAII: destroyed without commit() means rolled back.
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) { conn_.begin(); }
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

}  // namespace dbmig
