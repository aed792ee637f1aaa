// branches: the branch points of the revision graph.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/revision_listing.hpp>
#include <dbmig/cli/verbs.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

int branches(const Globals& g, bool verbose) {
  Project project(g);
  const auto& graph = project.graph();
  for (const Revision* r : graph.topological()) {
    if (!graph.is_branch_point(r->id)) continue;
    std::cout << (verbose ? log_entry(graph, *r) : log_line(graph, *r)) << "\n";
    for (const auto& child : graph.children(r->id))
      std::cout << std::string(r->id.size(), ' ') << " -> " << log_line(graph, graph.get(child)).substr(
                       log_line(graph, graph.get(child)).find(" -> ") + 4) << "\n";
  }
  return 0;
}

}  // namespace

void add_branches(VerbRegistry& verbs) {
  auto verbose = std::make_shared<bool>(false);
  auto* v = verbs.add("branches", "show the branch points of the revision graph");
  v->add_flag("--verbose", *verbose, "show each revision in full");
  verbs.on_run(v, [verbose](const Globals& g) { return branches(g, *verbose); });
}

}  // namespace dbmig
