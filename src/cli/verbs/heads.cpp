// heads: the head revisions of the scripts.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/revision_listing.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

int heads(const Globals& g, bool verbose) {
  Project project(g);
  const auto& graph = project.graph();
  std::vector<const Revision*> revs;
  for (const auto& h : graph.heads()) revs.push_back(&graph.get(h));
  if (g.json || verbose) {
    print_revisions(g, graph, revs, verbose, "heads");
    return 0;
  }
  for (const Revision* r : revs) {
    std::string labels;
    for (const auto& l : r->branch_labels) labels += " (" + l + ")";
    std::cout << bold(r->id) << labels << " (head)\n";
  }
  return 0;
}

}  // namespace

void add_heads(VerbRegistry& verbs) {
  auto verbose = std::make_shared<bool>(false);
  auto* v = verbs.add("heads", "show the current head revisions of the scripts");
  v->add_flag("--verbose", *verbose, "show each revision in full");
  verbs.on_run(v, [verbose](const Globals& g) { return heads(g, *verbose); });
}

}  // namespace dbmig
