// lint: checks revisions for changes that lock or rewrite busy tables (SPEC 7.5).
#include <dbmig/cli/lint_options.hpp>
#include <dbmig/cli/project.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/lint/linter.hpp>
#include <dbmig/lint/report.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

struct LintVerbOptions {
  std::string range;
  bool all = false;
  std::string format;  // "" : the global --format
};

// The revisions to lint, in upgrade order: RANGE (FROM:TO, both ends included, or one
// revision), every revision with --all, or by default those the database has not applied.
std::vector<const Revision*> selected(Project& project, const LintVerbOptions& o) {
  const auto& graph = project.graph();
  if (o.all) return graph.topological();
  auto current = [&] {
    return Migrator(project.scripts(), project.dialect(), project.version_table()).current(project.connect({.read_only = true}));
  };
  if (o.range.empty()) return graph.upgrade_path(current(), graph.heads());
  auto colon = o.range.find(':');
  auto needs_db = [](const std::string& s) { return s == "current" || (!s.empty() && (s[0] == '-' || s[0] == '+')); };
  if (colon == std::string::npos) {
    RevisionSet ids = graph.resolve(o.range, needs_db(o.range) ? current() : RevisionSet{});
    std::vector<const Revision*> out;
    for (const auto& id : ids) out.push_back(&graph.get(id));
    return out;
  }
  std::string start = o.range.substr(0, colon), end = o.range.substr(colon + 1);
  RevisionSet now = needs_db(start) || needs_db(end) ? current() : RevisionSet{};
  RevisionSet start_set = start.empty() || start == "base" ? RevisionSet{} : graph.resolve(start, now);
  RevisionSet end_set = end.empty() ? graph.heads() : graph.resolve(end, now);
  auto revs = graph.upgrade_path(start_set, end_set);
  for (const auto& s : start_set) revs.insert(revs.begin(), &graph.get(s));
  return revs;
}

int lint_verb(const Globals& g, const LintVerbOptions& o) {
  Project project(g);
  auto revisions = selected(project, o);
  auto findings = lint::lint_revisions(revisions, lint_options(project), project.naming());
  std::string format = o.format.empty() ? (g.json ? "json" : "text") : o.format;
  auto kind = format == "json" ? lint::Format::json : format == "github" ? lint::Format::github : lint::Format::text;
  std::cout << lint::format_findings(findings, kind);
  if (kind != lint::Format::json) std::cerr << "dbmig lint: " << lint::summary(findings, revisions.size()) << "\n";
  return lint::has_errors(findings) ? 1 : 0;
}

}  // namespace

void add_lint(VerbRegistry& verbs) {
  auto o = std::make_shared<LintVerbOptions>();
  auto* v = verbs.add("lint", "check revisions for DDL that locks or rewrites busy tables (exit 1 on an error-level finding)");
  v->add_option("range", o->range, "FROM:TO (both included) or one revision; default: the revisions not yet applied");
  v->add_flag("--all", o->all, "lint every revision");
  v->add_option("--format", o->format, "text, json or github (GitHub Actions annotations)")
      ->check(CLI::IsMember({"text", "json", "github"}));
  verbs.on_run(v, [o](const Globals& g) {
    if (o->all && !o->range.empty()) throw UsageError("lint takes a RANGE or --all, not both");
    return lint_verb(g, *o);
  });
}

}  // namespace dbmig
