#pragma once
// Everything that differs between PostgreSQL and SQLite lives behind this interface: type
// names, DDL for each op (SQLite's table rebuild included), catalog inspection, locking and the
// comparison questions autogenerate asks. Rendering is a pure function of dialect and ops.
#include <dbmig/dialects/connection.hpp>
#include <dbmig/revisions/operations.hpp>
#include <dbmig/run/schema_tracker.hpp>
#include <dbmig/util/error.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct Statement {
  std::string sql;
  size_t op_index;       // the (first) op of the rendered list it belongs to
  size_t op_count = 1;   // several when ops share one SQLite table rebuild
  std::string copy_from;  // a rebuild's row copy out of this table (run in steps, with progress)
};

// A step of a revision that commits on its own (SPEC 7.5): a transaction, or ops that run
// outside any (a concurrent index build; a backfill, whose batches commit one by one).
struct Phase {
  enum class Kind { transaction, outside_transaction };
  Kind kind = Kind::transaction;
  std::vector<Op> ops;
  std::vector<size_t> numbers;  // each op's index in the revision, for messages
};

struct VersionTableName {
  std::string name = "alembic_version";
  std::optional<std::string> schema;
};

struct InspectOptions {
  // Whether a table is left out of inspection (version table, exclude_tables, dbmig's own).
  bool excluded(const std::string& table) const;
  std::vector<std::string> schemas = {"public"};
  std::vector<std::string> exclude_tables;  // glob patterns
  VersionTableName version_table;
};

// Something in the live catalog that models.yaml cannot express (a view, a trigger, an index's
// DESC order ...), for `models dump` to name in a warning: kind "view", name "film_list".
struct UnmodelledObject {
  std::string kind, name;
};

// Held while a command writes; released on destruction (or by the server when the process dies).
class Lock {
 public:
  virtual ~Lock() = default;
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual DialectKind kind() const = 0;
  virtual std::string name() const = 0;  // "postgresql" / "sqlite", as in execute ops

  std::string quote(const std::string& identifier) const;
  std::string literal(const std::string& text) const;
  std::string qualified(const std::string& name, const std::optional<std::string>& schema) const;

  // The column's type in this dialect's DDL (SPEC §3); unknown types pass through verbatim.
  virtual std::string type_sql(const std::string& model_type, bool autoincrement) const = 0;
  virtual std::string default_sql(const std::string& server_default) const { return server_default; }

  // DDL for a list of ops; `schema` knows the tables as they stand before the first op and is
  // moved forward through every op.
  virtual std::vector<Statement> render(const std::vector<Op>& ops, SchemaTracker& schema) const = 0;
  // Whether render() runs this op as a table rebuild (copy of every row); for lint.
  virtual bool rebuilds_table(const Op&, SchemaTracker&) const { return false; }

  // Runs one rendered statement (SQLite: a large rebuild copy in steps, printing progress).
  virtual long execute(Connection& conn, const Statement& s) const { return conn.execute(s.sql); }

  // How a transactional revision's ops split into phases that commit one after another: one
  // transaction for all, unless the database has online forms (PostgreSQL: concurrent index
  // builds, VALIDATE CONSTRAINT and backfills each get their own).
  virtual std::vector<Phase> phases(const std::vector<Op>& ops) const;
  // Whether the database has the online forms at all (migrate --online writes them), and the
  // name it gives a constraint added without one ("user_email_key"), which a later
  // VALIDATE CONSTRAINT must name.
  virtual bool has_online_forms() const { return false; }
  virtual std::string default_constraint_name(const std::string& table, const std::vector<std::string>& columns,
                                              const std::string& label) const;
  // Before an op that runs outside a transaction is run again by a resumed run: whether it is
  // already done. PostgreSQL drops an invalid index a failed concurrent build left, so it is
  // built again.
  virtual bool already_done(Connection&, const Op&) const { return false; }
  // Runs a backfill outside a transaction, each batch through `run_batch` (which runs the SQL in
  // a transaction of its own and returns the rows it changed); returns the rows changed.
  virtual long backfill(Connection& conn, const Backfill& op, const std::function<long(const std::string&)>& run_batch) const;
  // The backfill as one statement (inside a transaction, and in offline scripts).
  std::string backfill_sql(const Backfill& op) const;

  // SQL for the data checks of autogenerate (SPEC §7.1): a predicate true for the values of
  // `column` (quoted SQL) that a change of type from `from` to `to` would cut; nullopt when it
  // cuts nothing or the dialect cannot tell.
  virtual std::optional<std::string> cut_by_type(const std::string& /*column*/, const std::string& /*from*/,
                                                 const std::string& /*to*/) const {
    return std::nullopt;
  }

  std::string create_version_table_sql(const VersionTableName& t) const;
  std::string create_table_sql(const Table& t, const std::string& name) const;
  virtual std::string begin_sql() const { return "BEGIN"; }

  // Runs before every commit of a migration run (SQLite: PRAGMA foreign_key_check).
  virtual void check_integrity(Connection&) const {}
  // Bounded lock waits for DDL (SPEC 7.5), PostgreSQL only: the statement that sets the wait
  // ("" where there is none; seconds 0 outside a transaction: back to the default), whether an error is such a wait running out, and who holds the
  // lock on `table` (or, without a table, the oldest open transaction), for messages.
  virtual std::string ddl_lock_timeout_sql(double /*seconds*/, bool /*in_transaction*/) const { return ""; }
  virtual bool is_lock_timeout(const DatabaseError&) const { return false; }
  virtual std::string lock_holder(Connection&, const std::string& /*table*/) const { return "another session"; }

  // Serialises writers (SPEC §5.3, §7.6): taken inside each transaction, right after BEGIN and
  // before the version table is read, and released by its commit or rollback, so it holds
  // through PgBouncer's transaction pooling (PostgreSQL: pg_advisory_xact_lock; SQLite: BEGIN
  // IMMEDIATE already took the write lock).
  virtual void lock_transaction(Connection& conn, const VersionTableName& t, double timeout_seconds) const = 0;
  // The same lock held by the session until released, for runs whose revisions run outside a
  // transaction (transactional: false): between their transactions nothing else may start. It
  // needs a session of its own (a direct connection or session pooling).
  virtual std::unique_ptr<Lock> lock(Connection& conn, const VersionTableName& t, double timeout_seconds) const = 0;

  // Where render() reads live tables from during an online run; empty when the dialect's DDL
  // never needs a table's current shape.
  virtual SchemaTracker::Loader table_loader(Connection& conn) const = 0;
  virtual bool table_exists(Connection& conn, const VersionTableName& t) const = 0;

  // The live catalog as the neutral schema: user tables of the configured schemas, without the
  // version table and exclude_tables; column types in dbmig's vocabulary where one fits.
  virtual Schema inspect(Connection& conn, const InspectOptions& options) const = 0;
  // What inspect() leaves out or simplifies because the model has no words for it, in one query.
  virtual std::vector<UnmodelledObject> unmodelled(Connection& conn, const InspectOptions& options) const = 0;

  // Narrow questions autogenerate asks, so it reports only real differences:
  // one spelling per type as this database stores it ("string(80)" and "character varying(80)"
  // give the same text on PostgreSQL),
  virtual std::string canonical_type(const std::string& type, bool autoincrement) const = 0;
  // the vocabulary name of a type read from the catalog ("character varying(80)" -> "string(80)"),
  virtual std::string model_type(const std::string& database_type) const = 0;
  // one spelling of a default or predicate (casts, quotes, case and parentheses folded),
  std::string canonical_expression(const std::string& sql) const;
  // the same with parentheses and casts kept (case and spaces folded): grouping is meaning,
  std::string token_form(const std::string& sql) const;
  // the model with its defaults, checks and index predicates in the text the database itself
  // stores for them (PostgreSQL puts them through the server in a rolled-back transaction;
  // nullopt where the database keeps the text as written, as SQLite does),
  virtual std::optional<Schema> stored_spelling(Connection&, const Schema& /*model*/, const Schema& /*database*/) const {
    return std::nullopt;
  }
  // and whether the database keeps column comments at all, or has enum types, extensions and sequences.
  virtual bool supports_comments() const = 0;
  virtual bool supports_schema_objects() const = 0;
  // What of a model table this database cannot have ("identity column 'id'"), or "".
  virtual std::string cannot_hold(const Table&) const { return ""; }

  std::string create_index_sql(const std::string& table, const Index& ix, const std::string& schema = "") const;

 protected:
  std::string column_sql(const Column& c) const;
  std::string columns_list(const std::vector<std::string>& cols) const;
  std::string foreign_key_clause(const ForeignKey& fk) const;
  // "CONSTRAINT name " before a constraint, or "" for an unnamed one (the database names it).
  std::string constraint_name(const std::string& name) const;
};

std::unique_ptr<Dialect> make_dialect(DialectKind kind);

}  // namespace dbmig
