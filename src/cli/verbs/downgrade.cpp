// downgrade: revert revisions down to a target (one step by default).
#include <dbmig/cli/run_revisions.hpp>
#include <dbmig/cli/verbs.hpp>

#include <memory>

namespace dbmig {

void add_downgrade(VerbRegistry& verbs) {
  auto o = std::make_shared<RunOptions>(RunOptions{.target = "-1"});
  auto* v = verbs.add("downgrade", "revert revisions down to TARGET");
  add_run_options(v, *o);
  verbs.on_run(v, [o](const Globals& g) { return run_revisions(g, *o, Direction::down); });
}

}  // namespace dbmig
