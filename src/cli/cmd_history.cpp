// history, heads, branches, show: commands that read the revision graph.
#include <dbmig/cli/commands.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/cli/project.hpp>
#include <dbmig/run/version_table.hpp>

#include <algorithm>
#include <iostream>
#include <set>

namespace dbmig {
namespace {

std::string marks(const RevisionGraph& g, const Revision& r) {
  std::string out;
  for (const auto& l : r.branch_labels) out += " (" + l + ")";
  if (g.is_head(r.id)) out += " (head)";
  if (g.is_branch_point(r.id)) out += " (branchpoint)";
  if (g.is_merge_point(r.id)) out += " (mergepoint)";
  return out;
}

// One line as Alembic prints it: "1975ea83b712 -> 27c6a30d7c24 (head), add email".
std::string log_line(const RevisionGraph& g, const Revision& r) {
  return (r.down_revisions.empty() ? "<base>" : join(r.down_revisions)) + " -> " + bold(r.id) + marks(g, r) + ", " + r.message;
}

std::string log_entry(const RevisionGraph& g, const Revision& r) {
  std::string out = "Rev: " + bold(r.id) + marks(g, r) + "\n";
  if (r.down_revisions.size() > 1) out += "Merges: " + join(r.down_revisions) + "\n";
  else out += "Parent: " + (r.down_revisions.empty() ? std::string("<base>") : r.down_revisions[0]) + "\n";
  if (!r.depends_on.empty()) out += "Also depends on: " + join(r.depends_on) + "\n";
  if (g.is_branch_point(r.id)) out += "Branches into: " + join(g.children(r.id)) + "\n";
  if (!r.branch_labels.empty()) out += "Branch names: " + join(r.branch_labels) + "\n";
  out += "Path: " + r.path.string() + "\n\n    " + r.message + "\n\n    Revision ID: " + r.id +
         "\n    Revises: " + join(r.down_revisions) + "\n    Create Date: " + r.create_date + "\n";
  return out;
}

std::string json_entry(const RevisionGraph& g, const Revision& r) {
  return std::string("{\"revision\": ") + json_string(r.id) + ", \"down_revisions\": " + json_string_array(r.down_revisions) +
         ", \"message\": " + json_string(r.message) + ", \"branch_labels\": " + json_string_array(r.branch_labels) +
         ", \"depends_on\": " + json_string_array(r.depends_on) + ", \"create_date\": " + json_string(r.create_date) +
         ", \"is_head\": " + (g.is_head(r.id) ? "true" : "false") +
         ", \"is_branch_point\": " + (g.is_branch_point(r.id) ? "true" : "false") +
         ", \"is_merge_point\": " + (g.is_merge_point(r.id) ? "true" : "false") +
         ", \"path\": " + json_string(r.path.string()) + "}";
}

void print(const Globals& g, const RevisionGraph& graph, const std::vector<const Revision*>& revs, bool verbose,
           const char* json_key) {
  if (g.json) {
    std::vector<std::string> items;
    for (const Revision* r : revs) items.push_back(json_entry(graph, *r));
    std::cout << "{\"" << json_key << "\": " << json_array(items) << "}\n";
    return;
  }
  for (const Revision* r : revs) std::cout << (verbose ? log_entry(graph, *r) + "\n" : log_line(graph, *r) + "\n");
}

}  // namespace

int cmd_history(const Globals& g, const std::string& range, bool verbose, bool applied) {
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
  print(g, graph, revs, verbose, "history");
  return 0;
}

int cmd_heads(const Globals& g, bool verbose) {
  Project project(g);
  const auto& graph = project.graph();
  std::vector<const Revision*> revs;
  for (const auto& h : graph.heads()) revs.push_back(&graph.get(h));
  if (g.json || verbose) {
    print(g, graph, revs, verbose, "heads");
    return 0;
  }
  for (const Revision* r : revs) {
    std::string labels;
    for (const auto& l : r->branch_labels) labels += " (" + l + ")";
    std::cout << bold(r->id) << labels << " (head)\n";
  }
  return 0;
}

int cmd_branches(const Globals& g, bool verbose) {
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

int cmd_show(const Globals& g, const std::string& revision) {
  Project project(g);
  const auto& graph = project.graph();
  RevisionSet revs = graph.resolve(revision, {});
  if (revs.empty()) throw Error("'" + revision + "' names no revision");
  for (const auto& id : revs) std::cout << log_entry(graph, graph.get(id)) << (revs.size() > 1 ? "\n" : "");
  return 0;
}

}  // namespace dbmig
