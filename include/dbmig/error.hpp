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

// A statement the database refused; carries the statement for the message.
class DatabaseError : public Error {
 public:
  DatabaseError(const std::string& message, std::string statement)
      : Error(message), statement_(std::move(statement)) {}
  const std::string& statement() const { return statement_; }

 private:
  std::string statement_;
};

}  // namespace dbmig
