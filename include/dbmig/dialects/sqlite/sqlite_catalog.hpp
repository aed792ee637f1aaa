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

// Views, triggers, expression indexes and the like, which the model cannot express.
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
