#pragma once
// Reading SQLite's catalog (sqlite_master and its pragmas) into the neutral schema. Constraint
// names and CHECK clauses exist only in the CREATE TABLE text, so that text is parsed too.
#include <dbmig/dialects/connection.hpp>
#include <dbmig/model/schema.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dbmig {

// The CREATE statements of sqlite_master, by object name (tables and indexes).
using SqliteMaster = std::unordered_map<std::string, std::string>;
SqliteMaster read_sqlite_master(Connection& conn, const std::string& table = "");  // "" = all objects

std::optional<Table> inspect_sqlite_table(Connection& conn, const std::string& name);
// The views whose text names the table, the triggers on the table and on those views, in the
// order they were created (one query).
std::vector<Dependent> read_sqlite_dependents(Connection& conn, const std::string& table);
// Every table (but SQLite's own), in name order, with the same four statements at any size.
std::vector<Table> inspect_sqlite_tables(Connection& conn);
// The views (their SELECT as written) and triggers (their whole CREATE statement) into
// schema.views and schema.triggers, in the order they were created (one query).
void read_sqlite_views_and_triggers(Connection& conn, Schema& schema);
// The SELECT of "CREATE VIEW name AS SELECT ...": what follows the first AS outside quotes.
std::string sqlite_view_select(const std::string& create_view_sql);
// The key columns of "CREATE INDEX ... ON t (a, lower(b))" as the model writes them: a
// column's name, an expression in parentheses ("(lower(b))").
std::vector<std::string> sqlite_index_keys(const std::string& create_index_sql);

// Virtual tables, generated columns, DESC orders and the like, which the model cannot express.
struct UnmodelledObject;
std::vector<UnmodelledObject> unmodelled_sqlite(Connection& conn);

// The parts of a CREATE TABLE statement the pragmas do not report.
struct ParsedConstraint {
  std::string kind;  // "primary", "unique", "foreignkey", "check"
  std::string name;  // "" when unnamed
  std::vector<std::string> columns;
  std::string sql;   // check expression
};
std::vector<ParsedConstraint> parse_create_table_constraints(const std::string& create_sql);

}  // namespace dbmig
