#include <dbmig/error.hpp>
#include <dbmig/yaml_util.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace dbmig {

std::string YamlContext::where(const YAML::Node& node) const {
  auto mark = node.Mark();
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1);
}

void YamlContext::fail(const YAML::Node& node, const std::string& message) const {
  throw Error(where(node) + ": " + message);
}

YAML::Node load_yaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
}

void check_keys(const YamlContext& ctx, const YAML::Node& map, const std::string& what,
                const std::vector<const char*>& allowed, const std::vector<const char*>& required) {
  if (!map.IsMap()) ctx.fail(map, what + " must be a mapping");
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) ctx.fail(it->first, what + " has a key that is not text");
    auto key = it->first.Scalar();
    if (!seen.insert(key).second) ctx.fail(it->first, "duplicate key '" + key + "' in " + what);
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      // The classic flow-mapping trap: {type: numeric(10,2)} splits at the comma.
      if (it->second.IsNull() && key.size() > 1 && key.back() == ')' && key.find('(') == std::string::npos) {
        ctx.fail(it->first, "'" + key + "' looks like the rest of a type cut at a comma; quote the type, e.g. type: \"numeric(10,2)\"");
      }
      ctx.fail(it->first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
    }
  }
  for (auto r : required)
    if (!seen.count(r)) ctx.fail(map, what + " is missing the required key '" + r + "'");
}

std::string scalar(const YamlContext& ctx, const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar() || (node.Tag() != "!" && node.Scalar().empty()))
    ctx.fail(node, what + " must be a text value");
  return node.Scalar();
}

std::optional<std::string> optional_scalar(const YamlContext& ctx, const YAML::Node& node, const std::string& what) {
  if (!node || node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) ctx.fail(node, what + " must be a text value");
  return node.Scalar();
}

bool boolean(const YamlContext& ctx, const YAML::Node& node, const std::string& what) {
  if (node.IsScalar() && node.Tag() != "!") {
    auto s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE" || s == "yes") return true;
    if (s == "false" || s == "False" || s == "FALSE" || s == "no") return false;
  }
  ctx.fail(node, what + " must be true or false");
}

std::vector<std::string> string_list(const YamlContext& ctx, const YAML::Node& node, const std::string& what) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) return out;
  if (node.IsScalar()) return {node.Scalar()};
  if (!node.IsSequence()) ctx.fail(node, what + " must be a list");
  for (const auto& item : node) out.push_back(scalar(ctx, item, what + " entry"));
  return out;
}

void for_each_entry(const YamlContext& ctx, const YAML::Node& map, const std::string& what,
                    const std::function<void(const std::string&, const YAML::Node&)>& fn) {
  if (!map || map.IsNull()) return;
  if (!map.IsMap()) ctx.fail(map, what + " must be a mapping");
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    auto key = scalar(ctx, it->first, "a key in " + what);
    if (!seen.insert(key).second) ctx.fail(it->first, "duplicate key '" + key + "' in " + what);
    fn(key, it->second);
  }
}

std::string yaml_quote(const std::string& text) {
  static const std::set<std::string> reserved = {"null", "Null", "NULL", "true", "True", "TRUE", "false",
                                                  "False", "FALSE", "yes", "Yes", "no", "No", "on", "On",
                                                  "off", "Off", "y", "Y", "n", "N", "~"};
  // Plain when it starts with a letter and holds only characters YAML cannot misread.
  bool safe = !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_') &&
              std::all_of(text.begin(), text.end(), [](unsigned char c) {
                return std::isalnum(c) || c == '_' || c == ' ' || c == '.' || c == '(' || c == ')' || c == '/' || c == '-';
              }) &&
              !reserved.count(text) && text.back() != ' ';
  return safe ? text : yaml_quote_always(text);
}

std::string yaml_quote_always(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

}  // namespace dbmig
