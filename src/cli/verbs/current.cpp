// current: the revision(s) the database is at.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

int current(const Globals& g, bool verbose) {
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

}  // namespace

void add_current(VerbRegistry& verbs) {
  auto verbose = std::make_shared<bool>(false);
  auto* v = verbs.add("current", "show the revision(s) the database is at");
  v->add_flag("--verbose", *verbose, "show each revision in full");
  verbs.on_run(v, [verbose](const Globals& g) { return current(g, *verbose); });
}

}  // namespace dbmig
