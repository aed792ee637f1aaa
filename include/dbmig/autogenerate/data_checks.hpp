#pragma once
// What the rows in the database will do to a change autogenerate found (SPEC §7.1): NULLs under
// a new NOT NULL, duplicates under a new unique constraint or index, rows a new foreign key or
// check rejects, values a narrowing type change cuts. One aggregate query per change, asked
// before anything runs; the dialect supplies the SQL only it can spell.
#include <dbmig/dialects/dialect.hpp>  // a later stage: the checks run their queries through the dialect's connection

#include <string>
#include <vector>

namespace dbmig {

struct DataWarning {
  std::string kind;  // "not_null", "unique", "foreign_key", "check", "type"
  std::string table;
  std::vector<std::string> columns;
  long rows = 0;
  std::string message;  // one line naming table, column(s) and row count
};

// `database` is the live schema the ops start from; ops on tables the run creates meet no rows.
std::vector<DataWarning> check_data(Connection& conn, const Dialect& dialect, const Schema& database,
                                    const std::vector<Op>& ops);

// {"kind": ..., "table": ..., "columns": [...], "rows": N, "message": ...} for --format json.
std::string data_warnings_json(const std::vector<DataWarning>& warnings);

}  // namespace dbmig
