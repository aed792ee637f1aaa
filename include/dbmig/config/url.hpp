#pragma once
// Database URLs as SQLAlchemy spells them (sqlite:///path, postgresql://user:pw@host:port/db?k=v).
#include <map>
#include <string>

namespace dbmig {

enum class DialectKind { sqlite, postgresql };

struct DatabaseUrl {
  DialectKind dialect = DialectKind::sqlite;
  std::string sqlite_path;                       // sqlite: file path or ":memory:"
  std::string user, password, host, port, dbname;  // postgresql
  std::map<std::string, std::string> params;      // postgresql: libpq keywords from the query string
  std::string original;

  // The URL with any password replaced by ***; the only form that may be printed.
  std::string masked() const;
};

DatabaseUrl parse_url(const std::string& text);

// Replaces every occurrence of `secret` in text by ***; last line of defence for messages
// that quote a database's own text.
std::string redact(std::string text, const std::string& secret);

}  // namespace dbmig
