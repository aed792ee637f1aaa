#pragma once
// dbmig.yaml (SPEC §1) and the resolution of the database URL.
#include <dbmig/config/url.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

// One entry of `targets:` (SPEC §7.6): a named database, or a tenant set (schemas of one
// database, each a target named SET/schema).
struct TargetEntry {
  std::string name;
  std::string url;                           // raw, ${VAR} not yet expanded
  std::string where;                         // file:line, for errors
  bool tenant_set = false;
  std::vector<std::string> schemas;          // a tenant set's schemas as listed ...
  std::optional<std::string> schemas_query;  // ... or the query that gives them
};

struct Config {
  std::filesystem::path file;            // the dbmig.yaml read (empty when none)
  std::filesystem::path base_dir;        // paths in the file are relative to its folder
  std::optional<std::string> database_url;  // raw, ${VAR} not yet expanded
  std::filesystem::path script_location = "migrations";
  std::filesystem::path models = "models.yaml";
  std::string version_table = "alembic_version";
  std::optional<std::string> version_table_schema;
  bool transaction_per_migration = false;
  std::vector<std::string> schemas = {"public"};
  std::vector<std::string> exclude_tables;
  std::map<std::string, std::string> naming_convention;
  // Production PostgreSQL (SPEC 7.5): how long each DDL statement may wait for its table's lock
  // (seconds, 0 = no limit), and how often a timed-out statement is retried.
  double lock_timeout = 2;
  int lock_retries = 5;
  bool online = false;  // autogenerate writes the online forms (SPEC 7.5)
  std::vector<TargetEntry> targets;  // in the order written

  std::filesystem::path script_dir() const { return (base_dir / script_location).lexically_normal(); }
  std::filesystem::path models_path() const { return (base_dir / models).lexically_normal(); }
};

Config load_config(const std::filesystem::path& file);
// The same from text; `file` names it in errors and anchors relative paths.
Config parse_config(const std::string& text, const std::filesystem::path& file);

// ${VAR} and ${VAR:-default} from the environment; an unset variable is an error naming it.
std::string expand_env(const std::string& text, const std::string& where);

// --url, then DBMIG_DATABASE_URL, then database_url of the config.
DatabaseUrl resolve_database_url(const Config& config, const std::optional<std::string>& url_flag);

}  // namespace dbmig
