#include <dbmig/cli/revision_listing.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>

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

}  // namespace

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

void print_revisions(const Globals& g, const RevisionGraph& graph, const std::vector<const Revision*>& revs, bool verbose,
           const char* json_key) {
  if (g.json) {
    std::vector<std::string> items;
    for (const Revision* r : revs) items.push_back(json_entry(graph, *r));
    std::cout << "{\"" << json_key << "\": " << json_array(items) << "}\n";
    return;
  }
  for (const Revision* r : revs) std::cout << (verbose ? log_entry(graph, *r) + "\n" : log_line(graph, *r) + "\n");
}

}  // namespace dbmig
