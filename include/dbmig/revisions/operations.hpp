#pragma once
// The closed vocabulary of migration operations (SPEC §4, Alembic's op.*). Each op carries what
// its inverse needs, so reverse() derives downgrades instead of anyone writing them by hand.
#include <dbmig/model/schema.hpp>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dbmig {

struct CreateTable { Table table; };
struct DropTable { std::string name; std::optional<Table> existing; std::string schema; };
struct RenameTable { std::string name, new_name, schema; };
struct AddColumn { std::string table; Column column; std::string schema; };
struct DropColumn { std::string table, name; std::optional<Column> existing; std::string schema; };

// std::optional<std::optional<std::string>>: not given / set to NULL / set to text.
using OptionalText = std::optional<std::optional<std::string>>;

struct AlterColumn {
  std::string table, name;
  std::optional<std::string> new_name;
  std::optional<std::string> type;
  std::optional<bool> nullable;
  OptionalText server_default;
  OptionalText comment;
  std::optional<std::string> identity;  // "always", "by_default", or "" to drop the identity
  // SQL that sets rows holding NULL before NOT NULL applies, when no server default should stay
  // (SPEC §7.1); not part of the inverse.
  std::optional<std::string> fill;
  std::optional<std::string> existing_type;
  std::optional<bool> existing_nullable;
  OptionalText existing_server_default;
  OptionalText existing_comment;
  bool existing_autoincrement = false;
  std::string existing_identity;
  std::string schema;
};

// A constraint whose name is "" is created unnamed: the database names it (PostgreSQL's
// user_email_key), as Alembic leaves what neither op.f() nor a naming convention named.
// concurrently: CREATE/DROP INDEX CONCURRENTLY (PostgreSQL), run outside the revision's
// transaction, in a phase of its own (SPEC 7.5).
struct CreateIndex { std::string table; Index index; bool concurrently = false; std::string schema; };
struct DropIndex { std::string table, name; std::optional<Index> existing; bool concurrently = false; std::string schema; };
// concurrently: the unique index is built CONCURRENTLY first, then the constraint is made from
// it (ADD CONSTRAINT ... UNIQUE USING INDEX); using_index is that second step.
struct CreateUniqueConstraint {
  std::string table;
  UniqueConstraint constraint;
  bool concurrently = false;
  std::string using_index;
  std::string schema;
};
// not_valid: added NOT VALID (existing rows unchecked until a validate_constraint op).
struct CreateForeignKey { std::string table; ForeignKey constraint; bool not_valid = false; std::string schema; };
struct CreateCheckConstraint { std::string table; CheckConstraint constraint; bool not_valid = false; std::string schema; };
struct CreatePrimaryKey { std::string table, name; std::vector<std::string> columns; std::string schema; };

enum class ConstraintType { unique, foreignkey, check, primary };

struct DropConstraint {
  std::string table, name;
  ConstraintType type = ConstraintType::unique;
  // The dropped definition, for reverse(): columns (unique/primary/foreign key), sql (check),
  // ref_table/ref_columns/on_delete/on_update (foreign key).
  std::optional<std::vector<std::string>> columns;
  std::optional<std::string> sql, ref_table, on_delete, on_update;
  std::optional<std::vector<std::string>> ref_columns;
  std::string ref_schema;
  std::string schema;
};

// PostgreSQL enum types. alter_enum takes the labels from `existing_values` to `values`,
// renaming the labels in `renamed` (new -> old) first; reverse() swaps the two lists.
struct CreateEnum { EnumType type; };
struct DropEnum { std::string name; std::optional<std::vector<std::string>> existing_values; };
struct AlterEnum {
  std::string name;
  std::vector<std::string> values, existing_values;
  std::map<std::string, std::string> renamed;
};

struct CreateExtension { std::string name; };
struct DropExtension { std::string name; };
// A PostgreSQL schema (namespace) that tables live in; dropped only when empty.
struct CreateSchema { std::string name; };
struct DropSchema { std::string name; };
struct CreateSequence { Sequence sequence; };
struct DropSequence { std::string name; std::optional<Sequence> existing; };
struct AlterSequence { Sequence sequence, existing; };
// A partition of a partitioned table; dropping one drops its rows.
struct CreatePartition { std::string table; Partition partition; std::string schema; };
struct DropPartition {
  std::string table, name;
  std::optional<std::string> existing_bound;  // what the downgrade creates again
  std::string schema;
};

// A domain: alter_domain takes it from `existing` to `domain` (default, NOT NULL, checks by
// name); its base type is never altered (PostgreSQL cannot), a new one is a drop and a create.
struct CreateDomain { Domain domain; };
struct DropDomain { std::string name; std::optional<Domain> existing; };
struct AlterDomain { Domain domain, existing; };
struct CreateView { View view; };
struct DropView {
  std::string name;
  bool materialized = false;
  std::optional<std::string> existing_sql;  // what the downgrade creates again
  std::vector<Index> existing_indexes;      // a materialized view's, created again with it
};

// A function or trigger from its whole CREATE statement (create_function, create_trigger); with
// existing_sql it replaces the one there (replace_function, replace_trigger) and reverse() puts
// that text back.
struct CreateObject {
  SqlObject object;
  std::optional<std::string> existing_sql;
};
struct DropObject {  // drop_function, drop_trigger
  std::string kind, name, table;
  std::optional<std::string> existing_sql;  // what the downgrade creates again
};

// VALIDATE CONSTRAINT of one added not_valid; it scans the table without blocking writes, in a
// transaction of its own (PostgreSQL; nothing on SQLite). Nothing to undo.
struct ValidateConstraint { std::string table, name, schema; };

// Sets `column` to `value` (SQL) where it is NULL, `batch_size` rows per transaction, so no
// transaction holds many row locks for long. Nothing to undo.
struct Backfill {
  std::string table, column, value;
  long batch_size = 10000;
  std::string schema;
};

struct Execute {
  std::string sql;                               // for every dialect, or
  std::map<std::string, std::string> per_dialect;  // "postgresql"/"sqlite" -> sql
};

// Code an importer could not convert (dbmig import alembic): running it is refused before the
// run touches the database, naming the file and line to convert by hand.
struct Unconverted {
  std::string file;
  long line = 0;
  std::string source;
};

using Op = std::variant<CreateTable, DropTable, RenameTable, AddColumn, DropColumn, AlterColumn, CreateIndex,
                        DropIndex, CreateUniqueConstraint, CreateForeignKey, CreateCheckConstraint, CreatePrimaryKey,
                        DropConstraint, CreateEnum, DropEnum, AlterEnum, CreateExtension, DropExtension, CreateSchema, DropSchema, CreateSequence,
                        DropSequence, AlterSequence, CreatePartition, DropPartition, CreateDomain, DropDomain, AlterDomain, CreateView, DropView, CreateObject, DropObject, ValidateConstraint, Backfill, Execute, Unconverted>;

// The op name as written in revision files ("add_column").
std::string op_name(const Op& op);
// The table an op acts on ("" for execute).
std::string op_table(const Op& op);
// The PostgreSQL schema of that table ("" for the default, and for ops on no table); an op on a
// table carries it as `schema:` (Alembic's schema=). set_op_schema returns false for an op without.
const std::string& op_schema(const Op& op);
bool set_op_schema(Op& op, const std::string& schema);
// A short human description for progress and error lines ("add_column user.email").
std::string describe(const Op& op);

// The error for running an unconverted op: file:line and what to do.
std::string unconverted_message(const Unconverted& op);

// The inverse op; throws Error when the op lacks what the inverse needs (e.g. drop_table
// without the table's definition, or execute), or has nothing to undo (see undoes_nothing).
Op reverse(const Op& op);
// The inverses in reverse order, leaving out the ops that undo nothing.
std::vector<Op> reverse_all(const std::vector<Op>& ops);
// validate_constraint and backfill: their downgrade is no op at all.
bool undoes_nothing(const Op& op);

// Applies an op to an in-memory schema (used to follow a table's shape through a revision,
// offline and for SQLite rebuilds). Throws Error when the op does not fit the schema.
void apply(Schema& schema, const Op& op);
// Drops references to a column from a table's constraints and indexes (for drop_column).
void remove_column(Table& table, const std::string& column);

}  // namespace dbmig
