#include <dbmig/cli/model_diff.hpp>
#include <dbmig/model/model_loader.hpp>
#include <dbmig/model/types.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>

namespace dbmig {

InspectOptions inspect_options(Project& project) {
  InspectOptions o;
  o.schemas = project.config().schemas;
  o.exclude_tables = project.config().exclude_tables;
  o.version_table = project.version_table();
  return o;
}

void require_database_at(Project& project, RevisionSet want, const std::string& hint) {
  RevisionSet current = Migrator(project.scripts(), project.dialect(), project.version_table()).current(project.connect({.read_only = true}));
  std::sort(want.begin(), want.end());
  if (current != want)
    throw Error("Target database is not up to date: it is at " + (current.empty() ? "<base>" : join(current)) +
                ", the scripts are at " + (want.empty() ? "<base>" : join(want)) + hint);
}

SchemaDiff diff_models(Project& project, bool from_empty) {
  Schema model = load_models(project.config().models_path(), project.naming(), project.config().script_dir() / ".dbmig-cache-models");
  // The first of `schemas` is the default one, where a table without `schema:` lives; the
  // inspector reads every schema the model names too.
  InspectOptions options = inspect_options(project);
  const std::string default_schema = options.schemas.front();
  for (auto& t : model.tables) {
    if (t.schema == default_schema) t.schema.clear();
    for (auto& fk : t.foreign_keys)
      if (fk.ref_schema == default_schema) fk.ref_schema.clear();
    if (!t.schema.empty() && std::find(options.schemas.begin(), options.schemas.end(), t.schema) == options.schemas.end())
      options.schemas.push_back(t.schema);
  }
  // A column typed enum(name: ...) (imported from Alembic) declares its type, as SQLAlchemy does.
  if (project.dialect().supports_schema_objects())
    for (const auto& t : model.tables)
      for (const auto& c : t.columns)
        if (auto e = parse_enum_type(c.type); e && !model.enum_type(e->name)) model.enums.push_back({e->name, e->values});
  // What this database cannot have (enums, jsonb on SQLite) fails here, not at upgrade time.
  if (!model.enums.empty() && !project.dialect().supports_schema_objects())
    throw Error(model.enums[0].defined_at + ": enum '" + model.enums[0].name + "': enum types are PostgreSQL only (on " +
                project.dialect().name() + " use a string column with a check constraint)");
  if (!project.dialect().supports_schema_objects()) {
    const char* kind = model.extensions ? "extensions are" : model.sequences ? "sequences are" : model.domains ? "domains are"
                       : model.functions ? "functions are" : nullptr;
    if (kind) throw Error(project.config().models_path().string() + ": " + kind + " PostgreSQL only");
    if (model.views)
      for (const auto& v : *model.views)
        if (v.materialized)
          throw Error(project.config().models_path().string() + ": view '" + v.name + "': materialized views are PostgreSQL only");
  }
  for (const auto& t : model.tables) {
    if (auto what = project.dialect().cannot_hold(t); !what.empty())
      throw Error(project.config().models_path().string() + ": table '" + t.name + "': " + what);
    for (const auto& c : t.columns) {
      try {
        project.dialect().type_sql(c.type, c.autoincrement);
      } catch (const Error& e) {
        throw Error(project.config().models_path().string() + ": column '" + t.name + "." + c.name + "': " + e.what());
      }
    }
  }
  Schema database;  // --from-empty: nothing of any kind, so each kind the model declares is created
  database.extensions.emplace();
  database.sequences.emplace();
  database.domains.emplace();
  database.views.emplace();
  database.functions.emplace();
  database.triggers.emplace();
  std::optional<Schema> stored;
  if (!from_empty) {
    Connection& conn = project.connect({.read_only = true});
    database = project.dialect().inspect(conn, options);
    stored = project.dialect().stored_spelling(conn, model, database);
  }
  auto diff = compare_schemas(model, database, project.dialect(), stored);
  for (const auto& c : diff.changes) log_info("Detected " + c);
  for (const auto& w : diff.warnings) log_warn(w);
  if (!from_empty) diff.data_warnings = check_data(project.connect({.read_only = true}), project.dialect(), database, diff.upgrade);
  for (const auto& w : diff.data_warnings) log_warn(w.message);
  return diff;
}

std::string json_changes(const SchemaDiff& diff) {
  return "\"changes\": " + json_string_array(diff.changes) + ", \"warnings\": " + json_string_array(diff.warnings) +
         ", \"data_warnings\": " + data_warnings_json(diff.data_warnings);
}

}  // namespace dbmig
