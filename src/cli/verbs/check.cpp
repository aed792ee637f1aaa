// check: exit 1 and list the changes when the models and the database differ; --verbose also
// lists what the database holds that dbmig does not manage (and so never changes or drops).
#include <dbmig/cli/model_diff.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <tuple>

namespace dbmig {
namespace {

int check(const Globals& g, bool verbose) {
  Project project(g);
  require_database_at(project, project.graph().heads(), "");
  auto diff = diff_models(project, false);
  std::vector<UnmodelledObject> unmanaged;
  if (verbose) {
    unmanaged = project.dialect().unmodelled(project.connect({.read_only = true}), inspect_options(project));
    unmanaged.insert(unmanaged.end(), diff.undeclared.begin(), diff.undeclared.end());
    std::sort(unmanaged.begin(), unmanaged.end(),
              [](const UnmodelledObject& a, const UnmodelledObject& b) { return std::tie(a.kind, a.name) < std::tie(b.kind, b.name); });
  }
  if (g.json) {
    std::cout << "{\"up_to_date\": " << (diff.empty() ? "true" : "false") << ", " << json_changes(diff);
    if (verbose) {
      std::vector<std::string> items;
      for (const auto& u : unmanaged) items.push_back("{\"kind\": " + json_string(u.kind) + ", \"name\": " + json_string(u.name) + "}");
      std::cout << ", \"unmanaged\": " << json_array(items);
    }
    std::cout << "}\n";
    return diff.empty() ? 0 : 1;
  }
  if (diff.empty()) {
    std::cout << "No new upgrade operations detected.\n";
  } else {
    std::cout << "New upgrade operations detected:\n";
    for (const auto& c : diff.changes) std::cout << "  - " << c << "\n";
  }
  if (verbose) {
    std::cout << (unmanaged.empty() ? "Nothing unmanaged: models.yaml describes all of the schema.\n"
                                    : "Unmanaged (models.yaml does not describe it; dbmig leaves it alone):\n");
    for (const auto& u : unmanaged) std::cout << "  - " << u.kind << " " << u.name << "\n";
  }
  return diff.empty() ? 0 : 1;
}

}  // namespace

void add_check(VerbRegistry& verbs) {
  auto verbose = std::make_shared<bool>(false);
  auto* v = verbs.add("check", "exit 1 and list the changes when models.yaml and the database differ");
  v->add_flag("--verbose", *verbose, "also list what the database holds that dbmig does not manage");
  verbs.on_run(v, [verbose](const Globals& g) { return check(g, *verbose); });
}

}  // namespace dbmig
