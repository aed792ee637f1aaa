#include <dbmig/model/schema.hpp>

#include <algorithm>
#include <cstdio>

namespace dbmig {

const Column* Table::column(const std::string& n) const {
  auto it = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == n; });
  return it == columns.end() ? nullptr : &*it;
}
Column* Table::column(const std::string& n) {
  return const_cast<Column*>(static_cast<const Table*>(this)->column(n));
}

const Table* Schema::table(const std::string& name) const {
  auto it = std::find_if(tables.begin(), tables.end(), [&](const Table& t) { return t.name == name; });
  return it == tables.end() ? nullptr : &*it;
}
Table* Schema::table(const std::string& name) {
  return const_cast<Table*>(static_cast<const Schema*>(this)->table(name));
}

const EnumType* Schema::enum_type(const std::string& name) const {
  auto it = std::find_if(enums.begin(), enums.end(), [&](const EnumType& e) { return e.name == name; });
  return it == enums.end() ? nullptr : &*it;
}

void shrink_to_fit(Schema& schema) {
  schema.tables.shrink_to_fit();
  for (auto& t : schema.tables) {
    t.columns.shrink_to_fit();
    t.indexes.shrink_to_fit();
    t.uniques.shrink_to_fit();
    t.foreign_keys.shrink_to_fit();
    t.checks.shrink_to_fit();
  }
}

std::string statement_body(const std::string& sql) {
  size_t begin = sql.find_first_not_of(" \t\r\n"), end = sql.find_last_not_of(" \t\r\n;");
  return begin == std::string::npos || end < begin ? "" : sql.substr(begin, end - begin + 1);
}

namespace {
void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}
// FNV-1a: stable across platforms and runs, which the shortened names must be.
std::string short_hash(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}
}  // namespace

std::string NamingConvention::name(const std::string& pattern, const std::string& table,
                                   const std::vector<std::string>& columns, const std::string& referred_table,
                                   const std::string& constraint_name) const {
  std::string joined;
  for (const auto& c : columns) joined += (joined.empty() ? "" : "_") + c;
  std::string out = pattern;
  replace_all(out, "%(table)s", table);
  replace_all(out, "%(columns)s", joined);
  replace_all(out, "%(column_0_name)s", columns.empty() ? "" : columns[0]);
  replace_all(out, "%(referred_table)s", referred_table);
  replace_all(out, "%(name)s", constraint_name);
  if (out.size() > max_length) out = out.substr(0, max_length - 9) + "_" + short_hash(out);
  return out;
}

}  // namespace dbmig
