#pragma once
// The project's error hierarchy: thrown anywhere, caught once in main, printed as one line
// "dbmig: error: ...". Error exits 1 (the user can fix it), UsageError exits 2 (command line).
#include <stdexcept>
#include <string>

namespace dbmig {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UsageError : public Error {
 public:
  using Error::Error;
};

// A statement the database refused; the migrator adds which revision, op and statement.
class DatabaseError : public Error {
 public:
  DatabaseError(const std::string& message, const std::string& /*statement*/, std::string sqlstate = "")
      : Error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }  // PostgreSQL's error code ("55P03"), or ""

 private:
  std::string sqlstate_;
};

}  // namespace dbmig
