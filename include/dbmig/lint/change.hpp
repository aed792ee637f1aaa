#pragma once
// What a migration step does to the database, in one neutral form whether it came from an op or
// from `execute` SQL parsed by PostgreSQL's own parser: the lint rules look only at this, so a
// rule fires the same way for an op and for the SQL that does the same thing.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dbmig::lint {

enum class ChangeKind {
  create_table, drop_table, rename_table,
  add_column, drop_column, rename_column, alter_type, set_not_null, set_default,
  create_index, drop_index,
  add_constraint, validate_constraint, drop_constraint,
  set_lock_timeout,
  other_ddl,  // DDL no rule looks into
  data,       // DML and anything else that is not DDL
};

enum class ConstraintKind { foreign_key, check, unique, primary_key };

struct Change {
  ChangeKind kind = ChangeKind::other_ddl;
  std::string table;   // the table acted on ("" when none)
  std::string name;    // column, index or constraint; the new name of a renamed table
  bool concurrently = false;  // index build or drop
  bool own_phase = false;     // an op the migrator runs apart from the revision's transaction (SPEC 7.5)
  bool unique = false;        // index
  ConstraintKind constraint = ConstraintKind::check;
  bool not_valid = false;     // constraint added without validating existing rows
  bool using_index = false;   // unique / primary key made from an existing index
  std::string ref_table;      // foreign key
  std::string not_null_of;    // a check constraint that is exactly "<column> IS NOT NULL"
  std::string type;           // add_column, alter_type: the new type, normalised (see normal_type)
  std::optional<std::string> old_type;  // alter_type: the type before, when known
  bool not_null = false;      // add_column
  bool has_default = false;   // add_column
  bool volatile_default = false;  // add_column: a default PostgreSQL evaluates per row
  bool timeout_off = false;   // set_lock_timeout: 0 or RESET
  std::vector<std::pair<std::string, std::string>> columns;  // create_table: name, normalised type
};

// A type's text in one spelling for comparison: "string(80)", "varchar(80)" and
// "character varying(80)" all give "varchar(80)"; "integer"/"int"/"int4" give "int4".
std::string normal_type(const std::string& type);

// Whether changing a column from `from` to `to` makes PostgreSQL rewrite (or scan) the table;
// the known exceptions are widening varchar, varchar <-> text, and widening numeric precision.
bool type_change_rewrites(const std::string& from, const std::string& to);

// Whether an SQL expression (a column default) is volatile: evaluated per row, so adding a
// column with it rewrites the table. Constants and stable functions (now()) are not.
bool expression_is_volatile(const std::string& sql);

// The column of a check that is exactly "<column> IS NOT NULL", or "".
std::string not_null_check_column(const std::string& sql);

}  // namespace dbmig::lint
