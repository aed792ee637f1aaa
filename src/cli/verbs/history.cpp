// history: list revisions, newest first; --applied lists what the audit table recorded.
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/revision_listing.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/run/version_table.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace dbmig {
namespace {

struct HistoryOptions {
  std::string range;
  bool verbose = false;
  bool applied = false;
};

int history(const Globals& g, const std::string& range, bool verbose, bool applied) {
  Project project(g);
  if (applied) {
    auto rows = VersionTable(project.connect({.read_only = true}), project.dialect(), project.version_table()).history();
    std::vector<std::string> json;
    for (const auto& e : rows) {
      std::string ms = e.duration_ms ? std::to_string(*e.duration_ms) : "";
      if (auto dot = ms.find('.'); dot != std::string::npos) ms = ms.substr(0, dot + 2);
      if (g.json) {
        json.push_back("{\"revision\": " + json_string(e.revision) + ", \"direction\": " + json_string(e.direction) +
                       ", \"started_at\": " + json_string(e.started_at) + ", \"finished_at\": " + json_string(e.finished_at) +
                       ", \"duration_ms\": " + (ms.empty() ? "null" : ms) + ", \"checksum\": " + json_string(e.checksum) +
                       ", \"dbmig_version\": " + json_string(e.dbmig_version) + ", \"db_user\": " + json_string(e.db_user) + "}");
        continue;
      }
      std::cout << e.finished_at << "  " << e.direction << std::string(10 - std::min<size_t>(9, e.direction.size()), ' ')
                << bold(e.revision) << "  " << (ms.empty() ? "-" : ms + " ms") << "  by " << (e.db_user.empty() ? "?" : e.db_user)
                << "  dbmig " << e.dbmig_version << "  sha256:" << e.checksum.substr(0, 12) << "\n";
    }
    if (g.json) std::cout << "{\"applied\": " << json_array(json) << "}\n";
    return 0;
  }
  const auto& graph = project.graph();
  auto colon = range.find(':');
  if (!range.empty() && colon == std::string::npos)
    throw UsageError("history range must look like START:END (either side may be empty), e.g. -r base:head");
  std::string start = range.empty() ? "" : range.substr(0, colon);
  std::string end = range.empty() ? "" : range.substr(colon + 1);
  RevisionSet current;
  auto needs_db = [](const std::string& s) { return s == "current" || (!s.empty() && (s[0] == '-' || s[0] == '+')); };
  if (needs_db(start) || needs_db(end))
    current = Migrator(project.scripts(), project.dialect(), project.version_table()).current(project.connect({.read_only = true}));
  RevisionSet start_set = start.empty() ? RevisionSet{} : graph.resolve(start, current);
  RevisionSet end_set = end.empty() ? graph.heads() : graph.resolve(end, current);
  // upgrade_path(start, end) leaves out start itself; a range includes both ends.
  auto revs = graph.upgrade_path(start_set, end_set);
  for (const auto& s : start_set) revs.insert(revs.begin(), &graph.get(s));
  std::reverse(revs.begin(), revs.end());  // newest first
  print_revisions(g, graph, revs, verbose, "history");
  return 0;
}

}  // namespace

void add_history(VerbRegistry& verbs) {
  auto o = std::make_shared<HistoryOptions>();
  auto* v = verbs.add("history", "list revisions, newest first");
  v->add_option("-r,--rev-range", o->range, "START:END, e.g. base:head, -3:current");
  v->add_flag("--verbose", o->verbose, "show each revision in full");
  v->add_flag("--applied", o->applied, "list what was applied, reverted or stamped (the dbmig_history table)");
  verbs.on_run(v, [o](const Globals& g) { return history(g, o->range, o->verbose, o->applied); });
}

}  // namespace dbmig
