// show: one revision in full.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/revision_listing.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/util/error.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

int show(const Globals& g, const std::string& revision) {
  Project project(g);
  const auto& graph = project.graph();
  RevisionSet revs = graph.resolve(revision, {});
  if (revs.empty()) throw Error("'" + revision + "' names no revision");
  for (const auto& id : revs) std::cout << log_entry(graph, graph.get(id)) << (revs.size() > 1 ? "\n" : "");
  return 0;
}

}  // namespace

void add_show(VerbRegistry& verbs) {
  auto rev = std::make_shared<std::string>();
  auto* v = verbs.add("show", "show one revision in full");
  v->add_option("REV", *rev, "revision id, prefix, head or label")->required();
  verbs.on_run(v, [rev](const Globals& g) { return show(g, *rev); });
}

}  // namespace dbmig
