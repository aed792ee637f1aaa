#include <dbmig/model/types.hpp>

#include <algorithm>
#include <cctype>

namespace dbmig {

TypeName parse_type(const std::string& text) {
  TypeName t;
  auto open = text.find('(');
  std::string base = open == std::string::npos ? text : text.substr(0, open);
  if (open != std::string::npos) {
    auto close = text.find(')', open);
    if (close == std::string::npos) close = text.size();
    for (char c : text.substr(open + 1, close - open - 1))
      if (!std::isspace(static_cast<unsigned char>(c))) t.args += c;
    if (close + 1 < text.size()) t.suffix = text.substr(close + 1);
  }
  while (!base.empty() && std::isspace(static_cast<unsigned char>(base.back()))) base.pop_back();
  while (!base.empty() && std::isspace(static_cast<unsigned char>(base.front()))) base.erase(0, 1);
  std::transform(base.begin(), base.end(), base.begin(), [](unsigned char c) { return std::tolower(c); });
  t.base = base;
  return t;
}

std::optional<InlineEnum> parse_enum_type(const std::string& text) {
  if (text.rfind("enum(", 0) != 0 || text.back() != ')') return std::nullopt;
  auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  InlineEnum e;
  e.name = text.substr(5, colon - 5);
  for (size_t i = colon + 1; i + 1 < text.size();) {
    char c = text[i];
    if (c == ' ' || c == ',') {
      ++i;
      continue;
    }
    if (c != '\'') return std::nullopt;
    std::string value;
    for (++i; i + 1 < text.size(); ++i) {
      if (text[i] == '\'' && text[i + 1] == '\'') value += '\'', ++i;
      else if (text[i] == '\'') break;
      else value += text[i];
    }
    if (i + 1 >= text.size()) return std::nullopt;  // unterminated
    e.values.push_back(value);
    ++i;
  }
  if (e.name.empty() || e.values.empty()) return std::nullopt;
  return e;
}

bool is_model_type(const std::string& base) {
  static const char* vocab[] = {"integer", "biginteger", "smallinteger", "string", "text",   "boolean",
                                "float",   "double",     "numeric",      "date",   "time",   "datetime",
                                "binary",  "json",       "jsonb",        "uuid",   "enum"};
  return std::any_of(std::begin(vocab), std::end(vocab), [&](const char* v) { return base == v; });
}

bool is_integer_type(const std::string& type) {
  std::string t = type;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t == "integer" || t == "biginteger" || t == "smallinteger" || t == "int" || t == "bigint" ||
         t == "smallint" || t == "int4" || t == "int8" || t == "int2";
}

}  // namespace dbmig
