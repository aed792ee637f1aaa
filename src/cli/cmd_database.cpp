// upgrade, downgrade, stamp, current: commands that read or move the database.
#include <dbmig/cli/commands.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/cli/project.hpp>

#include <iostream>

namespace dbmig {
namespace {

std::pair<std::string, std::string> split_range(const std::string& target) {
  auto colon = target.find(':');
  if (colon == std::string::npos) return {"", target};
  return {target.substr(0, colon), target.substr(colon + 1)};
}

int run(const Globals& g, const RunOptions& o, Direction dir) {
  Project project(g);
  const auto& graph = project.graph();
  Migrator migrator(project.scripts(), project.dialect(), project.version_table());
  if (o.sql) {
    auto [from, to] = split_range(o.target);
    if (dir == Direction::down && from.empty())
      throw UsageError("downgrade --sql needs a range FROM:TO (e.g. head:base), since there is no database to read");
    RevisionSet from_set = from.empty() ? RevisionSet{} : graph.resolve(from, {});
    RevisionSet to_set = graph.resolve(to, from_set);
    std::cout << migrator.script(dir, from_set, to_set, project.config().transaction_per_migration);
    return 0;
  }
  if (o.target.find(':') != std::string::npos)
    throw UsageError("a range FROM:TO is only accepted with --sql");
  log_debug("Database: " + project.url().masked());
  if (o.dry_run) {
    Connection& conn = project.connect({.read_only = true});
    RevisionSet heads = migrator.current(conn);
    RevisionSet goal = graph.resolve(o.target, heads);
    std::cout << migrator.script(dir, heads, goal, project.config().transaction_per_migration, &conn);
    return 0;
  }
  Connection& conn = project.connect({.read_only = false, .lock_timeout_seconds = o.lock_timeout});
  migrator.run(conn, dir, o.target,
               {.transaction_per_migration = project.config().transaction_per_migration,
                .lock_timeout_seconds = o.lock_timeout,
                .strict = o.strict});
  return 0;
}

}  // namespace

int cmd_upgrade(const Globals& g, const RunOptions& o) { return run(g, o, Direction::up); }
int cmd_downgrade(const Globals& g, const RunOptions& o) { return run(g, o, Direction::down); }

int cmd_stamp(const Globals& g, const std::string& target, bool purge, bool sql, double lock_timeout) {
  Project project(g);
  const auto& graph = project.graph();
  Migrator migrator(project.scripts(), project.dialect(), project.version_table());
  if (sql) {
    auto [from, to] = split_range(target);
    RevisionSet from_set = from.empty() ? RevisionSet{} : graph.resolve(from, {});
    const Dialect& d = project.dialect();
    std::cout << d.begin_sql() << ";\n\n";
    if (from.empty()) std::cout << d.create_version_table_sql(project.version_table()) << ";\n\n";
    for (const auto& s : version_statements(d, project.version_table(), diff_heads(from_set, graph.resolve(to, from_set))))
      std::cout << s.sql << ";\n\n";
    std::cout << "COMMIT;\n";
    return 0;
  }
  Connection& conn = project.connect({.read_only = false, .lock_timeout_seconds = lock_timeout});
  migrator.stamp(conn, target, purge, lock_timeout);
  return 0;
}

int cmd_current(const Globals& g, bool verbose) {
  Project project(g);
  const auto& graph = project.graph();
  Migrator migrator(project.scripts(), project.dialect(), project.version_table());
  log_debug("Database: " + project.url().masked());
  RevisionSet heads = migrator.current(project.connect({.read_only = true}));
  std::vector<std::string> json;
  if (verbose && !g.json) std::cout << "Current revision(s) for " << project.url().masked() << ":\n";
  for (const auto& h : heads) {
    const Revision& r = graph.get(h);
    bool is_head = graph.is_head(h);
    if (g.json) {
      json.push_back("{\"revision\": " + json_string(h) + ", \"is_head\": " + (is_head ? "true" : "false") +
                     ", \"message\": " + json_string(r.message) + "}");
    } else if (verbose) {
      std::cout << "Rev: " << bold(h) << (is_head ? " (head)" : "") << "\nParent: "
                << (r.down_revisions.empty() ? "<base>" : join(r.down_revisions)) << "\nPath: " << r.path.string()
                << "\n\n    " << r.message << "\n\n";
    } else {
      std::cout << bold(h) << (is_head ? " (head)" : "") << "\n";
    }
  }
  if (g.json) std::cout << "{\"current\": " << json_array(json) << "}\n";
  return 0;
}

}  // namespace dbmig
