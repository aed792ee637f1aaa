// stamp: set the version table without running any revision.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/run_revisions.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/run/version_table.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

struct StampOptions {
  std::string target;
  bool purge = false;
  bool sql = false;
  double lock_timeout = -1;
};

int stamp(const Globals& g, const StampOptions& o) {
  Project project(g);
  const auto& graph = project.graph();
  if (o.sql) {
    auto [from, to] = split_range(o.target);
    RevisionSet from_set = from.empty() ? RevisionSet{} : graph.resolve(from, {});
    const Dialect& d = project.dialect();
    std::cout << d.begin_sql() << ";\n\n";
    if (auto schema = create_version_schema_sql(d, project.version_table()); from.empty() && !schema.empty())
      std::cout << schema << ";\n\n";
    if (from.empty()) std::cout << d.create_version_table_sql(project.version_table()) << ";\n\n";
    for (const auto& s : version_statements(d, project.version_table(), diff_heads(from_set, graph.resolve(to, from_set))))
      std::cout << s.sql << ";\n\n";
    std::cout << "COMMIT;\n";
    return 0;
  }
  Migrator migrator(project.scripts(), project.dialect(), project.version_table());
  Connection& conn = project.connect({.read_only = false, .lock_timeout_seconds = o.lock_timeout});
  migrator.stamp(conn, o.target, o.purge, o.lock_timeout);
  return 0;
}

}  // namespace

void add_stamp(VerbRegistry& verbs) {
  auto o = std::make_shared<StampOptions>();
  auto* v = verbs.add("stamp", "set the version table to TARGET without running any revision");
  v->add_option("TARGET", o->target, "the revision(s) to record")->required();
  v->add_flag("--purge", o->purge, "delete every row of the version table first");
  v->add_flag("--sql", o->sql, "print the SQL instead of connecting");
  v->add_option("--lock-timeout", o->lock_timeout, "give up waiting for another migration after SECONDS");
  verbs.on_run(v, [o](const Globals& g) { return stamp(g, *o); });
}

}  // namespace dbmig
