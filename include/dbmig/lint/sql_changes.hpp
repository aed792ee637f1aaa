#pragma once
// `execute` SQL read with PostgreSQL's own parser (libpg_query), as lint changes.
#include <dbmig/lint/change.hpp>

#include <string>
#include <vector>

namespace dbmig::lint {

struct SqlStatement {
  std::string text;  // the statement as written, trimmed
  std::vector<Change> changes;
};

struct ParsedSql {
  std::vector<SqlStatement> statements;
  std::string error;  // PostgreSQL's syntax error ("syntax error at or near ..."), or ""
};

ParsedSql parse_postgres_sql(const std::string& sql);

}  // namespace dbmig::lint
