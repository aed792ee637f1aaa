#include <dbmig/lint/rules.hpp>

namespace dbmig::lint {

const char* level_name(Level level) { return level == Level::error ? "error" : "warning"; }

const std::vector<Rule>& rules() {
  static const std::vector<Rule> all = {
      {"index-not-concurrent", Level::error, "CREATE INDEX on an existing table without CONCURRENTLY blocks writes for the whole build"},
      {"constraint-not-valid", Level::error, "a foreign key or check added without NOT VALID checks every row under lock"},
      {"set-not-null-scan", Level::error, "SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a validated IS NOT NULL check exists"},
      {"volatile-default", Level::error, "a column added with a volatile default rewrites the table (constant defaults do not, since PostgreSQL 11)"},
      {"type-change-rewrite", Level::error, "a type change that rewrites or scans the table (widening varchar, or to text, does not)"},
      {"unique-not-using-index", Level::error, "a unique or primary key constraint that builds its index under ACCESS EXCLUSIVE"},
      {"rename-breaks-code", Level::error, "renaming a table or column breaks the code still running against the old name"},
      {"drop-breaks-code", Level::error, "dropping a table or column breaks the code still running against it"},
      {"concurrently-in-transaction", Level::error, "CREATE/DROP INDEX CONCURRENTLY in a transactional revision fails"},
      {"not-null-without-default", Level::error, "adding a NOT NULL column without a default fails on a table that has rows"},
      {"validate-same-transaction", Level::warning, "VALIDATE CONSTRAINT in the transaction that added it scans while the add's lock is held"},
      {"drop-index-not-concurrent", Level::warning, "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table"},
      {"missing-lock-timeout", Level::warning, "DDL without a lock timeout queues behind long transactions and blocks every query behind it"},
      {"sql-syntax", Level::error, "execute SQL that PostgreSQL's parser rejects"},
      {"sqlite-table-rebuild", Level::warning, "an op SQLite runs as a table rebuild: every row copied under the database write lock"},
  };
  return all;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : rules())
    if (id == r.id) return &r;
  return nullptr;
}

}  // namespace dbmig::lint
