// SQLAlchemy's naming conventions, as Alembic applies them to the constraints of its ops.
#include <dbmig/importers/alembic.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/yaml/yaml_util.hpp>

namespace dbmig {

AlembicNaming::AlembicNaming() { patterns["ix"] = "ix_%(column_0_label)s"; }

std::string AlembicNaming::name(const std::string& kind, const std::string& table, const std::vector<std::string>& columns,
                                const std::string& referred_table, const std::optional<std::string>& given,
                                bool f_name) const {
  if (given && f_name) return *given;
  auto it = patterns.find(kind);
  if (it == patterns.end()) return given.value_or("");
  const std::string& pattern = it->second;
  bool uses_name = pattern.find("%(constraint_name)s") != std::string::npos || pattern.find("%(name)s") != std::string::npos;
  if (given && !uses_name) return *given;
  if (!given && uses_name) return "";  // SQLAlchemy cannot name it either
  auto join = [&](const std::string& sep, bool label) {
    std::string out;
    for (size_t i = 0; i < columns.size(); ++i) out += (i ? sep : "") + (label ? table + "_" : "") + columns[i];
    return out;
  };
  std::string first = columns.empty() ? "" : columns[0];
  const std::pair<const char*, std::string> tokens[] = {
      {"%(table_name)s", table},
      {"%(table)s", table},
      {"%(column_0_name)s", first},
      {"%(column_0N_name)s", join("", false)},
      {"%(column_0_N_name)s", join("_", false)},
      {"%(columns)s", join("_", false)},
      {"%(column_0_label)s", columns.empty() ? "" : table + "_" + first},
      {"%(column_0N_label)s", join("", true)},
      {"%(column_0_N_label)s", join("_", true)},
      {"%(referred_table_name)s", referred_table},
      {"%(referred_table)s", referred_table},
      {"%(constraint_name)s", given.value_or("")},
      {"%(name)s", given.value_or("")},
  };
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    bool matched = false;
    for (const auto& [token, value] : tokens) {
      std::string_view t = token;
      if (pattern.compare(i, t.size(), t) == 0) {
        out += value;
        i += t.size();
        matched = true;
        break;
      }
    }
    if (!matched) out += pattern[i++];
  }
  return out;
}

AlembicNaming parse_naming_option(const std::string& text) {
  YamlContext ctx{"--naming-convention"};
  auto doc = load_yaml(text, ctx.file);
  AlembicNaming naming;
  if (!doc.root().is_map()) throw UsageError("--naming-convention takes a mapping, e.g. '{uq: \"uq_%(table_name)s_%(column_0_name)s\"}'");
  for_each_entry(ctx, doc.root(), "--naming-convention", [&](const std::string& key, const YamlNode& value) {
    static const std::map<std::string, std::string> long_keys = {{"index", "ix"}, {"unique_constraint", "uq"},
                                                                 {"check_constraint", "ck"}, {"foreign_key_constraint", "fk"},
                                                                 {"primary_key_constraint", "pk"}};
    std::string k = long_keys.count(key) ? long_keys.at(key) : key;
    if (k != "ix" && k != "uq" && k != "ck" && k != "fk" && k != "pk")
      throw UsageError("--naming-convention: unknown key '" + key + "' (expected ix, uq, ck, fk or pk)");
    naming.patterns[k] = scalar(ctx, value, "a naming convention pattern");
  });
  return naming;
}

}  // namespace dbmig
