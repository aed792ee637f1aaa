// merge: a revision that joins several heads.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace dbmig {
namespace {

struct MergeOptions {
  std::string message;
  std::vector<std::string> revisions;
  std::optional<std::string> rev_id;
};

int merge(const Globals& g, const MergeOptions& o) {
  Project project(g);
  const auto& graph = project.graph();
  NewRevision rev;
  rev.message = o.message;
  if (o.rev_id) rev.id = *o.rev_id;
  for (const auto& r : o.revisions)
    for (const auto& id : graph.resolve(r, {}))
      if (std::find(rev.down_revisions.begin(), rev.down_revisions.end(), id) == rev.down_revisions.end())
        rev.down_revisions.push_back(id);
  if (rev.down_revisions.size() < 2)
    throw Error("merge needs at least two distinct revisions; got " + (rev.down_revisions.empty() ? "none" : join(rev.down_revisions)));
  announce_generated(project.scripts().write(rev));
  return 0;
}

}  // namespace

void add_merge(VerbRegistry& verbs) {
  auto o = std::make_shared<MergeOptions>();
  auto* v = verbs.add("merge", "write a revision that joins several heads");
  v->add_option("-m,--message", o->message, "what the merge does")->required();
  v->add_option("--rev-id", o->rev_id, "use this revision id instead of a random one");
  v->add_option("REVISIONS", o->revisions, "the revisions to merge (e.g. heads)")->required();
  verbs.on_run(v, [o](const Globals& g) { return merge(g, *o); });
}

}  // namespace dbmig
