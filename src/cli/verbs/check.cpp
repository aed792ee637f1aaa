// check: exit 1 and list the changes when the models and the database differ.
#include <dbmig/cli/model_diff.hpp>
#include <dbmig/cli/verbs.hpp>

#include <iostream>

namespace dbmig {
namespace {

int check(const Globals& g) {
  Project project(g);
  require_database_at(project, project.graph().heads(), "");
  auto diff = diff_models(project, false);
  if (g.json) {
    std::cout << "{\"up_to_date\": " << (diff.empty() ? "true" : "false") << ", " << json_changes(diff) << "}\n";
  } else if (diff.empty()) {
    std::cout << "No new upgrade operations detected.\n";
  } else {
    std::cout << "New upgrade operations detected:\n";
    for (const auto& c : diff.changes) std::cout << "  - " << c << "\n";
  }
  return diff.empty() ? 0 : 1;
}

}  // namespace

void add_check(VerbRegistry& verbs) {
  auto* v = verbs.add("check", "exit 1 and list the changes when models.yaml and the database differ");
  verbs.on_run(v, check);
}

}  // namespace dbmig
