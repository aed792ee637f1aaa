#pragma once
// Writes a schema as models.yaml the way a person would (`dbmig models dump`): model types,
// tables in foreign-key order, and no key whose value the loader would supply anyway (nullable,
// autoincrement, names the naming convention gives). Loading the text back with the same
// convention gives the same schema.
#include <dbmig/model/schema.hpp>

#include <functional>
#include <string>
#include <vector>

namespace dbmig {

struct ModelWriterOptions {
  NamingConvention naming;  // the project's: names it would give are left out
  // Whether a cast in a default (`'new'::character varying`) is to the column's own type, so
  // the cast can go (the database puts it back). Empty: casts are kept.
  std::function<bool(const std::string& column_type, const std::string& cast_type)> same_type;
};

// Tables so that each comes after the tables its foreign keys reference (otherwise in the
// schema's order); a cycle is broken at its first table.
std::vector<const Table*> dependency_order(const Schema& schema);

// One table's entry under `tables:` ("  name:\n    columns: ..."), with those of `triggers` on it.
std::string model_table_yaml(const Table& table, const ModelWriterOptions& options,
                             const std::optional<std::vector<SqlObject>>& triggers = std::nullopt);
// "extensions:", "enums:" with each type's labels, "domains:", "sequences:" and "functions:"
// ("" when there is none).
std::string schema_objects_yaml(const Schema& schema);
// "views:" with each view's SELECT, and "triggers:" with those on views ("" when there is none).
std::string views_yaml(const Schema& schema);
// A whole models.yaml: those, then "tables:" and every table in dependency order, then the views.
std::string models_yaml(const Schema& schema, const ModelWriterOptions& options);

// When most constraint names of a kind follow another well-known convention (PostgreSQL's own
// `actor_pkey`, `user_email_key`, `order_user_id_fkey`, `film_title_idx`) rather than `current`,
// the `naming_convention` mapping (flow YAML) under which the dump could leave them out; "" when
// there is nothing to gain.
std::string suggested_naming_convention(const Schema& schema, const NamingConvention& current);

}  // namespace dbmig
