#include <dbmig/config/config.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace dbmig {

std::string expand_env(const std::string& text, const std::string& where) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      auto close = text.find('}', i + 2);
      if (close == std::string::npos) throw Error(where + ": unclosed '${' in '" + text + "'");
      std::string name = text.substr(i + 2, close - i - 2);
      std::optional<std::string> fallback;
      if (auto dash = name.find(":-"); dash != std::string::npos) {
        fallback = name.substr(dash + 2);
        name = name.substr(0, dash);
      }
      const char* value = std::getenv(name.c_str());
      if (value && *value) out += value;
      else if (fallback) out += *fallback;
      else throw Error(where + ": environment variable " + name + " is not set");
      i = close;
    } else {
      out += text[i];
    }
  }
  return out;
}

Config load_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    throw Error("cannot read " + file.string() + ": " +
                (std::filesystem::exists(file) ? "permission denied" : "no such file (run 'dbmig init' first, or pass -c FILE)"));
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file);
}

Config parse_config(const std::string& text, const std::filesystem::path& file) {
  YamlContext ctx{file.string()};
  auto doc = load_yaml(text, ctx.file);
  const YamlNode& root = doc.root();
  Config config;
  config.file = file;
  config.base_dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  if (root.is_null()) return config;
  check_keys(ctx, root, "dbmig.yaml",
             {"database_url", "script_location", "models", "version_table", "version_table_schema",
              "transaction_per_migration", "schemas", "exclude_tables", "naming_convention", "lock_timeout",
              "lock_retries"});
  auto path_value = [&](const char* key) {
    return expand_env(scalar(ctx, root[key], key), ctx.where(root[key]));
  };
  if (root["database_url"]) config.database_url = optional_scalar(ctx, root["database_url"], "database_url");
  if (root["script_location"]) config.script_location = path_value("script_location");
  if (root["models"]) config.models = path_value("models");
  if (root["version_table"]) config.version_table = scalar(ctx, root["version_table"], "version_table");
  if (root["version_table_schema"])
    config.version_table_schema = optional_scalar(ctx, root["version_table_schema"], "version_table_schema");
  if (root["transaction_per_migration"])
    config.transaction_per_migration = boolean(ctx, root["transaction_per_migration"], "transaction_per_migration");
  if (root["schemas"]) {
    config.schemas = string_list(ctx, root["schemas"], "schemas");
    if (config.schemas.empty()) ctx.fail(root["schemas"], "schemas must name at least one schema");
  }
  auto number = [&](const char* key, double max) {
    std::string text = scalar(ctx, root[key], key);
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end || !(v >= 0 && v <= max)) ctx.fail(root[key], std::string(key) + " must be a number from 0 to " + format_double("%g", max) + ", not '" + text + "'");
    return v;
  };
  if (root["lock_timeout"]) config.lock_timeout = number("lock_timeout", 86400);
  if (root["lock_retries"]) {
    double n = number("lock_retries", 1000);
    if (n != static_cast<int>(n)) ctx.fail(root["lock_retries"], "lock_retries must be a whole number");
    config.lock_retries = static_cast<int>(n);
  }
  if (root["exclude_tables"]) config.exclude_tables = string_list(ctx, root["exclude_tables"], "exclude_tables");
  if (root["naming_convention"]) {
    for_each_entry(ctx, root["naming_convention"], "naming_convention", [&](const std::string& key, const YamlNode& v) {
      if (key != "ix" && key != "uq" && key != "fk" && key != "ck" && key != "pk")
        ctx.fail(v, "unknown naming_convention key '" + key + "' (expected ix, uq, fk, ck or pk)");
      config.naming_convention[key] = scalar(ctx, v, "naming_convention." + key);
    });
  }
  return config;
}

DatabaseUrl resolve_database_url(const Config& config, const std::optional<std::string>& url_flag) {
  if (url_flag) return parse_url(*url_flag);
  if (const char* env = std::getenv("DBMIG_DATABASE_URL"); env && *env) return parse_url(env);
  if (config.database_url)
    return parse_url(expand_env(*config.database_url, (config.file.empty() ? "dbmig.yaml" : config.file.string()) + ": database_url"));
  throw Error("no database URL: set database_url in dbmig.yaml, DBMIG_DATABASE_URL, or pass --url");
}

}  // namespace dbmig
