#include <dbmig/config/config.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <cctype>
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

namespace {

bool is_query(const std::string& text) {
  std::string head;
  for (char c : text.substr(0, 6)) head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.rfind("select", 0) == 0 || head.rfind("with", 0) == 0;
}

// targets: {name: URL | {url: URL, schemas: [..] | "SELECT ..."}}
std::vector<TargetEntry> parse_targets(const YamlContext& ctx, const YamlNode& node) {
  std::vector<TargetEntry> out;
  for_each_entry(ctx, node, "targets", [&](const std::string& name, const YamlNode& v) {
    TargetEntry t;
    t.name = name;
    t.where = ctx.where(v);
    if (name.empty() || name.find('/') != std::string::npos || name.find_first_of(" \t") != std::string::npos)
      ctx.fail(v, "target name '" + name + "' must be non-empty, without '/' or spaces ('/' separates a tenant set from its schema)");
    if (v.is_map()) {
      check_keys(ctx, v, What("target '", name + "'"), {"url", "schemas"}, {"url"});
      t.url = scalar(ctx, v["url"], "url");
      if (v["schemas"]) {
        t.tenant_set = true;
        const YamlNode& s = v["schemas"];
        if (s.is_scalar()) {
          t.schemas_query = scalar(ctx, s, "schemas");
          if (!is_query(*t.schemas_query))
            ctx.fail(s, "schemas of target '" + name + "' must be a list of schema names or a query (SELECT ...)");
        } else {
          t.schemas = string_list(ctx, s, "schemas");
          for (size_t i = 0; i < t.schemas.size(); ++i)
            for (size_t j = 0; j < i; ++j)
              if (t.schemas[i] == t.schemas[j]) ctx.fail(s, "schema '" + t.schemas[i] + "' is listed twice in target '" + name + "'");
        }
      }
    } else {
      t.url = scalar(ctx, v, What("target '", name + "'"));
    }
    if (t.url.empty()) ctx.fail(v, "target '" + name + "' has an empty url");
    out.push_back(std::move(t));
  });
  return out;
}

}  // namespace

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
              "lock_retries", "online", "targets"});
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
  if (root["online"]) config.online = boolean(ctx, root["online"], "online");
  if (root["exclude_tables"]) config.exclude_tables = string_list(ctx, root["exclude_tables"], "exclude_tables");
  if (root["naming_convention"]) {
    for_each_entry(ctx, root["naming_convention"], "naming_convention", [&](const std::string& key, const YamlNode& v) {
      if (key != "ix" && key != "uq" && key != "fk" && key != "ck" && key != "pk")
        ctx.fail(v, "unknown naming_convention key '" + key + "' (expected ix, uq, fk, ck or pk)");
      config.naming_convention[key] = scalar(ctx, v, "naming_convention." + key);
    });
  }
  if (root["targets"]) config.targets = parse_targets(ctx, root["targets"]);
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
