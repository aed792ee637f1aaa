#include <dbmig/cli/lint_options.hpp>
#include <dbmig/cli/project.hpp>
#include <dbmig/lint/report.hpp>
#include <dbmig/cli/run_revisions.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>

namespace dbmig {

std::pair<std::string, std::string> split_range(const std::string& target) {
  auto colon = target.find(':');
  if (colon == std::string::npos) return {"", target};
  return {target.substr(0, colon), target.substr(colon + 1)};
}

void add_run_options(CLI::App* verb, RunOptions& o) {
  verb->add_option("TARGET", o.target, "where to go")->capture_default_str();
  verb->add_flag("--sql", o.sql, "print the SQL script instead of connecting (FROM:TO ranges allowed)");
  verb->add_flag("--dry-run", o.dry_run, "connect, print the SQL that would run, change nothing");
  verb->add_option("--lock-timeout", o.lock_timeout, "give up waiting for another migration after SECONDS");
  verb->add_flag("--strict", o.strict,
                 "treat an edited, already applied revision file as an error, and refuse to upgrade on an error-level "
                 "lint finding");
  verb->add_option("--lock-timeout-ddl", o.lock_timeout_ddl,
                   "PostgreSQL: how long each DDL statement may wait for its table's lock, in seconds (0: no limit; "
                   "default: lock_timeout in dbmig.yaml, 2)")
      ->check(CLI::NonNegativeNumber);
}

namespace {

// upgrade says what lint finds in the revisions it is about to run (SPEC 7.5); with --strict an
// error-level finding stops it before anything runs.
void warn_with_lint_findings(Project& project, Migrator& migrator, Connection& conn, const RunOptions& o) {
  const auto& graph = project.graph();
  std::vector<const Revision*> pending;
  try {
    RevisionSet heads = migrator.current(conn);
    for (const auto& h : heads) graph.get(h);
    pending = graph.upgrade_path(heads, graph.resolve(o.target, heads));
  } catch (const std::exception&) {
    return;  // the run itself says what is wrong with the target or the version table
  }
  if (pending.empty()) return;
  auto findings = lint::lint_revisions(pending, lint_options(project), project.naming());
  for (const auto& f : findings)
    log_warn(std::string("lint ") + lint::level_name(f.level) + " [" + f.rule + "] " + f.revision + " " + f.op + ": " +
             f.message + "; safe: " + f.safe);
  if (o.strict && lint::has_errors(findings))
    throw Error("lint: " + lint::summary(findings, pending.size()) +
                " to run; nothing was run (--strict). Change them to the safe form, or mark them lint_ignore: [RULE]");
}

}  // namespace

int run_revisions(const Globals& g, const RunOptions& o, Direction dir) {
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
  if (dir == Direction::up) warn_with_lint_findings(project, migrator, conn, o);
  migrator.run(conn, dir, o.target,
               {.transaction_per_migration = project.config().transaction_per_migration,
                .lock_timeout_seconds = o.lock_timeout,
                .strict = o.strict,
                .ddl_lock_timeout = o.lock_timeout_ddl.value_or(project.config().lock_timeout),
                .lock_retries = project.config().lock_retries});
  return 0;
}

}  // namespace dbmig
