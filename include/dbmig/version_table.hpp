#pragma once
// The alembic_version table, kept as Alembic keeps it (SPEC §5.1): one row per head; UPDATE for
// a linear step, INSERT/DELETE for branch and merge steps; every UPDATE/DELETE must match
// exactly one row.
#include <dbmig/dialect.hpp>
#include <dbmig/revision.hpp>

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

class VersionTable {
 public:
  VersionTable(Connection& conn, const Dialect& dialect, VersionTableName name)
      : conn_(conn), dialect_(dialect), name_(std::move(name)) {}
  // The heads recorded; empty when the table does not exist.
  RevisionSet read();
  void ensure();
  void apply(const HeadChange& change);
  void purge();
  const VersionTableName& name() const { return name_; }

 private:
  Connection& conn_;
  const Dialect& dialect_;
  VersionTableName name_;
};

}  // namespace dbmig
