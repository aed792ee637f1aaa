#include <dbmig/util/error.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <cerrno>
#include <cstdlib>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <unordered_set>

namespace dbmig {

std::string YamlContext::where(const YamlNode& node) const {
  if (node.line() < 0) return file;
  return file + ":" + std::to_string(node.line() + 1);
}

void YamlContext::fail(const YamlNode& node, const std::string& message) const {
  throw Error(where(node) + ": " + message);
}

namespace {
thread_local const ExtraKeys* extra_keys = nullptr;
}

ExtraKeys::ExtraKeys(const YamlNode& map, std::span<const std::string_view> keys)
    : map_(&map), keys_(keys), outer_(extra_keys) {
  extra_keys = this;
}
ExtraKeys::~ExtraKeys() { extra_keys = outer_; }
bool ExtraKeys::allows(const YamlNode& map, std::string_view key) const {
  if (&map == map_ && std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return true;
  return outer_ && outer_->allows(map, key);
}

void check_keys(const YamlContext& ctx, const YamlNode& map, What what,
                std::span<const std::string_view> allowed, std::span<const std::string_view> required) {
  if (!map.is_map()) ctx.fail(map, what.str() + " must be a mapping");
  auto entries = map.entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& key_node = entries[i].key;
    if (!key_node.is_scalar()) ctx.fail(key_node, what.str() + " has a key that is not text");
    const std::string_view key = key_node.text();
    if (std::none_of(allowed.begin(), allowed.end(), [&](std::string_view a) { return key == a; }) &&
        !(extra_keys && extra_keys->allows(map, key))) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      // The classic flow-mapping trap: {type: numeric(10,2)} splits at the comma.
      if (entries[i].value.is_null() && key.size() > 1 && key.back() == ')' && key.find('(') == std::string::npos) {
        ctx.fail(key_node, "'" + std::string(key) + "' looks like the rest of a type cut at a comma; quote the type, e.g. type: \"numeric(10,2)\"");
      }
      ctx.fail(key_node, "unknown key '" + std::string(key) + "' in " + what.str() + " (expected one of: " + list + ")");
    }
    // Every key so far is one of `allowed`, so this stays short.
    for (size_t j = 0; j < i; ++j)
      if (entries[j].key.text() == key) ctx.fail(key_node, "duplicate key '" + std::string(key) + "' in " + what.str());
  }
  for (auto r : required)
    if (!map[r]) ctx.fail(map, what.str() + " is missing the required key '" + std::string(r) + "'");
}

namespace {
// A scalar with some text: an unquoted empty value is not text.
bool is_text(const YamlNode& node) { return node.is_scalar() && (node.quoted() || !node.text().empty()); }
}  // namespace

std::string scalar(const YamlContext& ctx, const YamlNode& node, What what) {
  if (!is_text(node)) ctx.fail(node, what.str() + " must be a text value");
  return std::string(node.text());
}

std::optional<std::string> optional_scalar(const YamlContext& ctx, const YamlNode& node, What what) {
  if (!node || node.is_null()) return std::nullopt;
  if (!node.is_scalar()) ctx.fail(node, what.str() + " must be a text value");
  return std::string(node.text());
}

bool boolean(const YamlContext& ctx, const YamlNode& node, What what) {
  if (node.is_scalar() && !node.quoted()) {
    const std::string_view s = node.text();
    if (s == "true" || s == "True" || s == "TRUE" || s == "yes") return true;
    if (s == "false" || s == "False" || s == "FALSE" || s == "no") return false;
  }
  ctx.fail(node, what.str() + " must be true or false");
}

long long integer(const YamlContext& ctx, const YamlNode& node, What what) {
  if (node.is_scalar() && !node.quoted()) {
    const std::string s(node.text());
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && *end == '\0' && errno == 0) return v;
  }
  ctx.fail(node, what.str() + " must be a whole number");
}

std::vector<std::string> string_list(const YamlContext& ctx, const YamlNode& node, What what) {
  std::vector<std::string> out;
  if (!node || node.is_null()) return out;
  if (node.is_scalar()) return {std::string(node.text())};
  if (!node.is_sequence()) ctx.fail(node, what.str() + " must be a list");
  for (const auto& item : node.items()) {
    if (!is_text(item)) ctx.fail(item, what.str() + " entry must be a text value");
    out.emplace_back(item.text());
  }
  return out;
}

void for_each_entry(const YamlContext& ctx, const YamlNode& map, const std::string& what,
                    const std::function<void(const std::string&, const YamlNode&)>& fn) {
  if (!map || map.is_null()) return;
  if (!map.is_map()) ctx.fail(map, what + " must be a mapping");
  std::unordered_set<std::string_view> seen;
  for (auto [key_node, value] : map.entries()) {
    if (!is_text(key_node)) ctx.fail(key_node, "a key in " + what + " must be a text value");
    if (!seen.insert(key_node.text()).second)
      ctx.fail(key_node, "duplicate key '" + std::string(key_node.text()) + "' in " + what);
    fn(std::string(key_node.text()), value);
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
