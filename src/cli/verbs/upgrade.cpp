// upgrade: apply revisions up to a target (head by default).
#include <dbmig/cli/run_revisions.hpp>
#include <dbmig/cli/verbs.hpp>

#include <memory>

namespace dbmig {

void add_upgrade(VerbRegistry& verbs) {
  auto o = std::make_shared<RunOptions>(RunOptions{.target = "head"});
  auto* v = verbs.add("upgrade", "apply revisions up to TARGET");
  add_run_options(v, *o);
  verbs.on_run(v, [o](const Globals& g) { return run_revisions(g, *o, Direction::up); });
}

}  // namespace dbmig
