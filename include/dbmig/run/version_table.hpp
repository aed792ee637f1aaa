#pragma once
// The alembic_version table, kept as Alembic keeps it (SPEC §5.1): one row per head; UPDATE for
// a linear step, INSERT/DELETE for branch and merge steps; every UPDATE/DELETE must match
// exactly one row.
#include <dbmig/dialects/dialect.hpp>  // a later stage: the version table is written in the dialect's SQL
#include <dbmig/revisions/revision.hpp>

#include <map>
#include <optional>

namespace dbmig {

struct HeadChange {
  std::vector<std::pair<std::string, std::string>> updates;  // from -> to
  std::vector<std::string> inserts, deletes;
  bool empty() const { return updates.empty() && inserts.empty() && deletes.empty(); }
};

HeadChange diff_heads(const RevisionSet& before, const RevisionSet& after);

// The statements of a change, for offline scripts and for running.
struct VersionStatement {
  std::string sql;
  bool must_match_one;  // UPDATE and DELETE
};
std::vector<VersionStatement> version_statements(const Dialect& d, const VersionTableName& t, const HeadChange& change);

// One row of dbmig_history (SPEC §5.4).
struct HistoryEntry {
  std::string revision, direction;  // direction: upgrade, downgrade, stamp, or a phase (up-phase, dn-phase)
  std::string started_at, finished_at;
  std::optional<double> duration_ms;
  std::string checksum, dbmig_version, db_user;
};

// The audit table lives beside the version table, in the same schema.
VersionTableName history_table_name(const VersionTableName& version_table);
std::string create_history_table_sql(const Dialect& d, const VersionTableName& version_table);
// CREATE SCHEMA IF NOT EXISTS for a version table in a schema of its own (version_table_schema),
// "" when it names none.
std::string create_version_schema_sql(const Dialect& d, const VersionTableName& version_table);
// One INSERT of the entries (none for an empty list); offline scripts pass `sql_times` to use
// the database's CURRENT_TIMESTAMP.
std::string history_insert_sql(const Dialect& d, const VersionTableName& version_table,
                               const std::vector<HistoryEntry>& entries, bool sql_times = false);

class VersionTable {
 public:
  VersionTable(Connection& conn, const Dialect& dialect, VersionTableName name)
      : conn_(conn), dialect_(dialect), name_(std::move(name)) {}
  // The heads recorded; empty when the table does not exist.
  RevisionSet read();
  void ensure();
  void apply(const HeadChange& change);
  void purge();

  void record(const std::vector<HistoryEntry>& entries);
  std::vector<HistoryEntry> history();  // oldest first; empty when the table does not exist
  // The checksum each revision had when it was last applied or stamped.
  std::map<std::string, std::string> applied_checksums();
  // The phases of `revision` a run that stopped part way through recorded (rows of `direction`
  // since its last other row, SPEC 7.5), with the checksum each was recorded with.
  std::vector<std::string> phases_done(const std::string& revision, const std::string& direction);

 private:
  Connection& conn_;
  const Dialect& dialect_;
  VersionTableName name_;
};

}  // namespace dbmig
