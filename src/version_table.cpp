#include <dbmig/error.hpp>
#include <dbmig/version_table.hpp>

#include <algorithm>

namespace dbmig {

HeadChange diff_heads(const RevisionSet& before, const RevisionSet& after) {
  auto in = [](const RevisionSet& s, const std::string& x) { return std::find(s.begin(), s.end(), x) != s.end(); };
  std::vector<std::string> removed, added;
  for (const auto& b : before)
    if (!in(after, b)) removed.push_back(b);
  for (const auto& a : after)
    if (!in(before, a)) added.push_back(a);
  HeadChange c;
  size_t pairs = std::min(removed.size(), added.size());
  for (size_t i = 0; i < pairs; ++i) c.updates.emplace_back(removed[i], added[i]);
  c.deletes.assign(removed.begin() + static_cast<long>(pairs), removed.end());
  c.inserts.assign(added.begin() + static_cast<long>(pairs), added.end());
  return c;
}

std::vector<VersionStatement> version_statements(const Dialect& d, const VersionTableName& t, const HeadChange& change) {
  std::string table = d.qualified(t.name, t.schema);
  std::vector<VersionStatement> out;
  for (const auto& [from, to] : change.updates)
    out.push_back({"UPDATE " + table + " SET version_num = " + d.literal(to) + " WHERE version_num = " + d.literal(from), true});
  for (const auto& r : change.deletes)
    out.push_back({"DELETE FROM " + table + " WHERE version_num = " + d.literal(r), true});
  for (const auto& r : change.inserts)
    out.push_back({"INSERT INTO " + table + " (version_num) VALUES (" + d.literal(r) + ")", false});
  return out;
}

RevisionSet VersionTable::read() {
  if (!dialect_.table_exists(conn_, name_)) return {};
  RevisionSet out;
  for (const auto& row : conn_.query("SELECT version_num FROM " + dialect_.qualified(name_.name, name_.schema)))
    if (row[0]) out.push_back(*row[0]);
  std::sort(out.begin(), out.end());
  return out;
}

void VersionTable::ensure() { conn_.execute(dialect_.create_version_table_sql(name_)); }

void VersionTable::apply(const HeadChange& change) {
  for (const auto& s : version_statements(dialect_, name_, change)) {
    long n = conn_.execute(s.sql);
    if (s.must_match_one && n != 1)
      throw Error("Online migration expected to match one row when running '" + s.sql + "' against " + name_.name +
                  "; " + std::to_string(n) + " found (did another process change the version table?)");
  }
}

void VersionTable::purge() { conn_.execute("DELETE FROM " + dialect_.qualified(name_.name, name_.schema)); }

}  // namespace dbmig
