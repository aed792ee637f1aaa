#pragma once
// Runs revisions on a connection (or renders them as a script): the version table, the
// transactions, the lock, and the progress lines (Alembic's MigrationContext).
#include <dbmig/dialects/dialect.hpp>  // a later stage: the migrator drives the dialect, which renders and runs the SQL
#include <dbmig/revisions/revision.hpp>
#include <dbmig/revisions/script_directory.hpp>
#include <dbmig/run/version_table.hpp>

#include <functional>
#include <optional>
#include <string>

namespace dbmig {

enum class Direction { up, down };

struct MigrateOptions {
  bool transaction_per_migration = false;
  double lock_timeout_seconds = -1;
  bool strict = false;  // an applied revision file that was edited since is an error, not a warning
  // How long each DDL statement may wait for its table's lock (0: no limit), and how often one
  // that timed out is tried again, with a growing pause between tries (SPEC 7.5).
  double ddl_lock_timeout = 0;
  int lock_retries = 0;
};

class Migrator {
 public:
  Migrator(ScriptDirectory& scripts, const Dialect& dialect, VersionTableName version_table)
      : scripts_(scripts), graph_(scripts.graph()), dialect_(dialect), version_table_(std::move(version_table)) {}

  // Moves the database to `target` (SPEC §2 forms) in the given direction; returns the
  // number of revisions run.
  size_t run(Connection& conn, Direction dir, const std::string& target, const MigrateOptions& options);

  // SQL that run() would execute, without executing anything: offline from `from` (a heads
  // set, simulated from base) or, with conn, from the database's heads and live tables.
  std::string script(Direction dir, const RevisionSet& from, const RevisionSet& to, bool per_migration,
                     Connection* live = nullptr);

  // Sets the version table to `target` without running anything.
  void stamp(Connection& conn, const std::string& target, bool purge, double lock_timeout_seconds);

  RevisionSet current(Connection& conn);

  // Where the last run() or stamp() found the database and left it.
  const RevisionSet& from() const { return from_; }
  const RevisionSet& to() const { return to_; }

 private:
  // Compares the checksums recorded when revisions were applied with the files now.
  void verify_checksums(VersionTable& vt, const RevisionSet& heads, bool strict) const;
  HistoryEntry entry(const Revision& rev, const char* direction, Connection& conn) const;
  // How a revision runs: one transaction, or phases (SPEC 7.5); a transactional: false revision
  // is one phase outside any transaction.
  std::vector<Phase> phases_of(const Revision& rev, Direction dir) const;
  void run_step(Connection& conn, const Revision& rev, Direction dir, const Phase& phase, SchemaTracker& tracker,
                const MigrateOptions& options, bool in_transaction);
  // Runs a revision phase by phase, each committed with a mark in the audit table, skipping the
  // phases an interrupted run recorded; returns with the last phase's transaction open in `tx`.
  void run_phases(Connection& conn, const Revision& rev, Direction dir, const std::vector<Phase>& phases, VersionTable& vt,
                  SchemaTracker& tracker, const MigrateOptions& options, std::optional<Transaction>& tx,
                  const std::function<void()>& begin);
  void run_outside_transaction(Connection& conn, const Revision& rev, Direction dir, const Phase& phase,
                               SchemaTracker& tracker, const MigrateOptions& options);
  // Runs one DDL statement with the bounded lock wait and its retries.
  void execute_ddl(Connection& conn, const Statement& s, const std::string& table, const MigrateOptions& options,
                   bool in_transaction);
  // Runs `attempt` until it gets its lock: a lock timeout is undone by `undo`, reported with who
  // holds the lock, and tried again after a growing pause, up to lock_retries times.
  long retry_lock_timeouts(Connection& conn, const std::string& sql, const std::string& table, const MigrateOptions& options,
                           const std::function<long()>& attempt, const std::function<void()>& undo) const;
  // A backfill outside a transaction: batches, each in a transaction of its own.
  void run_backfill(Connection& conn, const Backfill& op, const MigrateOptions& options);
  std::string progress(const Revision& rev, Direction dir) const;

  const std::vector<Op>& ops(const Revision& rev, Direction dir) const;
  // Throws, before anything runs, when a step holds an op an importer could not convert.
  void refuse_unconverted(const std::vector<const Revision*>& steps, Direction dir) const;

  ScriptDirectory& scripts_;
  const RevisionGraph& graph_;
  const Dialect& dialect_;
  VersionTableName version_table_;
  RevisionSet from_, to_;
};

}  // namespace dbmig
