#include <dbmig/cli/model_diff.hpp>
#include <dbmig/model/model_loader.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>

namespace dbmig {
namespace {

InspectOptions inspect_options(Project& project) {
  InspectOptions o;
  o.schemas = project.config().schemas;
  o.exclude_tables = project.config().exclude_tables;
  o.version_table = project.version_table();
  return o;
}

}  // namespace

void require_database_at(Project& project, RevisionSet want, const std::string& hint) {
  RevisionSet current = Migrator(project.scripts(), project.dialect(), project.version_table()).current(project.connect({.read_only = true}));
  std::sort(want.begin(), want.end());
  if (current != want)
    throw Error("Target database is not up to date: it is at " + (current.empty() ? "<base>" : join(current)) +
                ", the scripts are at " + (want.empty() ? "<base>" : join(want)) + hint);
}

SchemaDiff diff_models(Project& project, bool from_empty) {
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
  return diff;
}

std::string json_changes(const SchemaDiff& diff) {
  return "\"changes\": " + json_string_array(diff.changes) + ", \"warnings\": " + json_string_array(diff.warnings);
}

}  // namespace dbmig
