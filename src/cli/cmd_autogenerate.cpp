// migrate (revision --autogenerate) and check: the models compared with the live catalog.
#include <dbmig/cli/commands.hpp>
#include <dbmig/autogenerate/data_checks.hpp>
#include <dbmig/autogenerate/differ.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/model/model_loader.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/cli/project.hpp>

#include <algorithm>
#include <iostream>

namespace dbmig {
namespace {

InspectOptions inspect_options(Project& project) {
  InspectOptions o;
  o.schemas = project.config().schemas;
  o.exclude_tables = project.config().exclude_tables;
  o.version_table = project.version_table();
  return o;
}

// The models against the database (or against nothing, for --from-empty), with what the rows
// there will do to the changes.
SchemaDiff autogenerate(Project& project, bool from_empty, std::vector<DataWarning>* data = nullptr) {
  Schema model = load_models(project.config().models_path(), project.naming(), project.config().script_dir() / ".dbmig-cache-models");
  // Types this database cannot take (jsonb on SQLite) fail here, not at upgrade time.
  for (const auto& t : model.tables)
    for (const auto& c : t.columns) {
      try {
        project.dialect().type_sql(c.type, c.autoincrement);
      } catch (const Error& e) {
        throw Error(project.config().models_path().string() + ": column '" + t.name + "." + c.name + "': " + e.what());
      }
    }
  Schema database;
  if (!from_empty) database = project.dialect().inspect(project.connect({.read_only = true}), inspect_options(project));
  auto diff = compare_schemas(model, database, project.dialect());
  for (const auto& c : diff.changes) log_info("Detected " + c);
  for (const auto& w : diff.warnings) log_warn(w);
  if (!from_empty && data) *data = check_data(project.connect({.read_only = true}), project.dialect(), database, diff.upgrade);
  if (data)
    for (const auto& w : *data) log_warn(w.message);
  return diff;
}

std::string json_changes(const SchemaDiff& diff, const std::vector<DataWarning>& data) {
  return "\"changes\": " + json_string_array(diff.changes) + ", \"warnings\": " + json_string_array(diff.warnings) +
         ", \"data_warnings\": " + data_warnings_json(data);
}

}  // namespace

int cmd_migrate(const Globals& g, const AutogenerateOptions& o) {
  Project project(g);
  const auto& graph = project.graph();
  RevisionSet parent = o.head == "base" ? RevisionSet{} : graph.resolve(o.head, {});
  if (!o.from_empty) {
    RevisionSet current = Migrator(project.scripts(), project.dialect(), project.version_table()).current(project.connect({.read_only = true}));
    RevisionSet want = parent;
    std::sort(want.begin(), want.end());
    if (current != want)
      throw Error("Target database is not up to date: it is at " + (current.empty() ? "<base>" : join(current)) +
                  ", the scripts are at " + (want.empty() ? "<base>" : join(want)) + "; run 'dbmig upgrade' first");
  }
  std::vector<DataWarning> data;
  auto diff = autogenerate(project, o.from_empty, &data);
  if (o.dry_run) {
    if (g.json) std::cout << "{" << json_changes(diff, data) << ", \"upgrade\": " << json_string(ops_yaml(diff.upgrade)) << "}\n";
    else std::cout << "upgrade:" << ops_yaml(diff.upgrade) << "downgrade:" << ops_yaml(reverse_all(diff.upgrade));
    return 0;
  }
  if (diff.empty() && !o.allow_empty) {
    log_info("No changes in schema detected.");
    return 0;
  }
  NewRevision rev;
  rev.message = o.message;
  if (o.rev_id) rev.id = *o.rev_id;
  rev.down_revisions = parent;
  rev.upgrade_ops = diff.upgrade;
  rev.downgrade_ops = reverse_all(diff.upgrade);
  auto path = project.scripts().write(rev);
  log_info("Generating " + path.string() + " ... done");
  std::cout << path.string() << "\n";
  return 0;
}

int cmd_check(const Globals& g) {
  Project project(g);
  const auto& graph = project.graph();
  RevisionSet current = Migrator(project.scripts(), project.dialect(), project.version_table()).current(project.connect({.read_only = true}));
  RevisionSet heads = graph.heads();
  std::sort(heads.begin(), heads.end());
  if (current != heads)
    throw Error("Target database is not up to date: it is at " + (current.empty() ? "<base>" : join(current)) +
                ", the scripts are at " + (heads.empty() ? "<base>" : join(heads)));
  std::vector<DataWarning> data;
  auto diff = autogenerate(project, false, &data);
  if (g.json) {
    std::cout << "{\"up_to_date\": " << (diff.empty() ? "true" : "false") << ", " << json_changes(diff, data) << "}\n";
  } else if (diff.empty()) {
    std::cout << "No new upgrade operations detected.\n";
  } else {
    std::cout << "New upgrade operations detected:\n";
    for (const auto& c : diff.changes) std::cout << "  - " << c << "\n";
  }
  return diff.empty() ? 0 : 1;
}

}  // namespace dbmig
