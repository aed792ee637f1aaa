#include <dbmig/lint/change.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace dbmig::lint {

namespace {

std::string lower_squeezed(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct TypeParts {
  std::string base;
  std::vector<long> args;  // typmods: length, precision/scale
  bool array = false;
};

TypeParts split(const std::string& normal) {
  TypeParts p;
  std::string s = normal;
  if (s.size() > 2 && s.ends_with("[]")) {
    p.array = true;
    s.resize(s.size() - 2);
  }
  auto open = s.find('(');
  p.base = s.substr(0, open);
  if (open != std::string::npos) {
    const char* at = s.c_str() + open + 1;
    while (*at && *at != ')') {
      char* end = nullptr;
      p.args.push_back(std::strtol(at, &end, 10));
      if (end == at) break;
      at = *end == ',' ? end + 1 : end;
    }
  }
  return p;
}

}  // namespace

std::string normal_type(const std::string& type) {
  std::string s = lower_squeezed(type);
  std::string suffix;
  if (s.ends_with("[]")) {
    suffix = "[]";
    s.resize(s.size() - 2);
  }
  std::string args;
  if (auto open = s.find('('); open != std::string::npos) {
    for (char c : s.substr(open))
      if (c != ' ') args += c;
    s = s.substr(0, open);
    while (!s.empty() && s.back() == ' ') s.pop_back();
  }
  // datetime(timezone) is dbmig's spelling of timestamptz.
  if (s == "datetime" && args == "(timezone)") return "timestamptz" + suffix;
  static const std::pair<const char*, const char*> aliases[] = {
      {"string", "varchar"}, {"character varying", "varchar"}, {"integer", "int4"}, {"int", "int4"},
      {"serial", "int4"}, {"biginteger", "int8"}, {"bigint", "int8"}, {"bigserial", "int8"},
      {"smallinteger", "int2"}, {"smallint", "int2"}, {"float", "float8"}, {"double", "float8"},
      {"double precision", "float8"}, {"real", "float4"}, {"decimal", "numeric"}, {"boolean", "bool"},
      {"datetime", "timestamp"}, {"timestamp without time zone", "timestamp"},
      {"timestamp with time zone", "timestamptz"}, {"binary", "bytea"}, {"character", "bpchar"}, {"char", "bpchar"},
      {"time without time zone", "time"}};
  for (const auto& [from, to] : aliases)
    if (s == from) {
      s = to;
      break;
    }
  return s + args + suffix;
}

bool type_change_rewrites(const std::string& from, const std::string& to) {
  auto f = split(normal_type(from)), t = split(normal_type(to));
  if (f.base == t.base && f.args == t.args && f.array == t.array) return false;
  if (f.array != t.array) return true;
  auto unbounded_text = [](const TypeParts& p) { return p.base == "text" || (p.base == "varchar" && p.args.empty()); };
  if (f.base == "varchar" || f.base == "text") {
    if (unbounded_text(t)) return false;  // binary coercible, no length to check
    // Widening a varchar keeps every value valid: no rewrite, no scan.
    if (f.base == "varchar" && t.base == "varchar" && !f.args.empty() && !t.args.empty()) return t.args[0] < f.args[0];
    return true;
  }
  if (f.base == "numeric" && t.base == "numeric") {
    if (t.args.empty()) return false;
    if (f.args.empty()) return true;
    long fs = f.args.size() > 1 ? f.args[1] : 0, ts = t.args.size() > 1 ? t.args[1] : 0;
    return !(fs == ts && t.args[0] >= f.args[0]);
  }
  if (f.base == "varbit" && t.base == "varbit") return !t.args.empty() && (f.args.empty() || t.args[0] < f.args[0]);
  if (f.base == "cidr" && t.base == "inet") return false;
  return true;
}

}  // namespace dbmig::lint
