#pragma once
// The neutral schema: what models.yaml declares and what the inspectors read from a live
// catalog are both expressed in these types, and the differ compares two of them.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct Column {
  std::string name;
  std::string type;                 // model spelling ("string(80)") or the database's own text
  bool nullable = true;
  bool autoincrement = false;       // a single integer primary key that the database numbers
  std::optional<std::string> server_default;  // SQL text as written
  std::optional<std::string> comment;
  std::optional<std::string> renamed_from;    // models only
  std::string identity;                       // PostgreSQL identity column: "always", "by_default" or ""
  std::optional<std::string> computed;        // GENERATED ALWAYS AS (computed) STORED
  bool operator==(const Column&) const = default;
};

struct UniqueConstraint {
  std::string name;
  std::vector<std::string> columns;
  bool name_given = true;  // false: named by the convention, matched by definition only
  bool operator==(const UniqueConstraint&) const = default;
};

struct ForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete;  // "" = NO ACTION
  std::string on_update;
  bool name_given = true;
  std::string ref_schema;  // PostgreSQL: the referred table's schema, "" for the default
  bool operator==(const ForeignKey&) const = default;
};

struct CheckConstraint {
  std::string name;
  std::string sql;
  bool name_given = true;
  bool operator==(const CheckConstraint&) const = default;
};

struct Index {
  std::string name;
  std::vector<std::string> columns;  // key columns in order; an expression is kept as "(expr)"
  bool unique = false;
  std::string where;  // partial index predicate, "" for none
  bool name_given = true;
  std::string method;                // access method (gin, gist, ...); "" for the default, btree
  std::vector<std::string> include;  // non-key columns (INCLUDE)
  bool operator==(const Index&) const = default;
};

// A partition of a PostgreSQL partitioned table: its name and bound ("FOR VALUES FROM (...) TO
// (...)", "FOR VALUES IN (...)", "DEFAULT"); it has its parent's columns, keys and indexes.
struct Partition {
  std::string name, bound;
  bool operator==(const Partition&) const = default;
};

// A view or trigger that reads a table, as the catalog holds it (SQLite): a table rebuild drops
// it with the old table and creates it again after the rename.
struct Dependent {
  std::string kind;  // "view" / "trigger"
  std::string name, sql;
  bool operator==(const Dependent&) const = default;
};

struct Table {
  std::string name;
  std::string schema;  // PostgreSQL schema; "" for the default
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::string primary_key_name;
  std::vector<UniqueConstraint> uniques;
  std::vector<ForeignKey> foreign_keys;
  std::vector<CheckConstraint> checks;
  std::vector<Index> indexes;
  std::optional<std::string> comment;
  std::optional<std::string> renamed_from;
  std::string partition_by;            // PostgreSQL: "RANGE (payment_date)"; "" for a plain table
  std::vector<Partition> partitions;
  std::vector<Dependent> dependents;  // catalog only, read when a rebuild needs them

  const Column* column(const std::string& n) const;
  Column* column(const std::string& n);
  bool operator==(const Table&) const = default;
};

// A PostgreSQL enum type (SPEC §7.2): its labels in their order.
struct EnumType {
  std::string name;
  std::vector<std::string> values;
  std::map<std::string, std::string> renamed_from;  // models only: label -> the label it had before
  std::string defined_at;                           // models only: "file:line", for errors
  bool operator==(const EnumType&) const = default;
};

// A PostgreSQL sequence that no column owns (a serial's or identity's is its column's).
struct Sequence {
  std::string name;
  long long start = 1, increment = 1;
  bool operator==(const Sequence&) const = default;
};

// A PostgreSQL domain: a base type with a NOT NULL, a default and checks of its own.
struct Domain {
  std::string name;
  std::string type;  // model spelling or the database's own text
  bool nullable = true;
  std::optional<std::string> server_default;
  std::vector<CheckConstraint> checks;  // over VALUE; the model's `check:` is named <domain>_check
  bool operator==(const Domain&) const = default;
};

// SQL without surrounding space and trailing semicolons (" SELECT 1;\n" -> "SELECT 1").
std::string statement_body(const std::string& sql);

// A PostgreSQL view: its SELECT as written in the model, or as pg_get_viewdef gives it.
struct View {
  std::string name;
  std::string sql;
  bool materialized = false;
  std::vector<Index> indexes;  // a materialized view's
  bool operator==(const View&) const = default;
};

// A PostgreSQL function (or procedure) or trigger, kept as its whole CREATE statement: as
// written in the model, or as pg_get_functiondef / pg_get_triggerdef give it.
struct SqlObject {
  std::string kind;   // "function" or "trigger"
  std::string name;
  std::string table;  // a trigger's table ("" for a function)
  std::string sql;
  bool operator==(const SqlObject&) const = default;
};

struct Schema {
  std::vector<Table> tables;
  std::vector<EnumType> enums;
  // Managed only when declared: a model without the key leaves the database's alone (SPEC §7.2).
  std::optional<std::vector<std::string>> extensions;
  std::optional<std::vector<Sequence>> sequences;
  std::optional<std::vector<Domain>> domains;
  std::optional<std::vector<View>> views;  // in dependency order: a view after those it reads
  std::optional<std::vector<SqlObject>> functions, triggers;
  std::vector<std::string> namespaces;  // catalog only: which of the inspected PostgreSQL schemas exist
  const Table* table(const std::string& name) const;
  Table* table(const std::string& name);
  const EnumType* enum_type(const std::string& name) const;
};

// Gives back what vectors grown one push at a time hold spare: a column is ~260 bytes, and a
// 10-column table's vector holds 16 (peak memory at 10,000 tables).
void shrink_to_fit(Schema& schema);

// Constraint and index names by convention (SPEC §5.5).
struct NamingConvention {
  std::string ix = "ix_%(table)s_%(columns)s";
  std::string uq = "uq_%(table)s_%(columns)s";
  std::string fk = "fk_%(table)s_%(columns)s_%(referred_table)s";
  std::string ck = "ck_%(table)s_%(name)s";
  std::string pk = "pk_%(table)s";
  size_t max_length = 63;  // PostgreSQL's identifier limit; longer names get a hash suffix

  std::string name(const std::string& pattern, const std::string& table, const std::vector<std::string>& columns,
                   const std::string& referred_table = "", const std::string& constraint_name = "") const;
};

}  // namespace dbmig
