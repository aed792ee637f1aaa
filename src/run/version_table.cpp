#include <dbmig/util/error.hpp>
#include <dbmig/run/version_table.hpp>

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

std::string create_version_schema_sql(const Dialect& d, const VersionTableName& t) {
  return t.schema && !t.schema->empty() ? "CREATE SCHEMA IF NOT EXISTS " + d.quote(*t.schema) : "";
}

void VersionTable::ensure() {
  // Only when the table is missing: a user without CREATE on the database can still run.
  if (auto schema = create_version_schema_sql(dialect_, name_); !schema.empty() && !dialect_.table_exists(conn_, name_))
    conn_.execute(schema);
  conn_.execute(dialect_.create_version_table_sql(name_));
  conn_.execute(create_history_table_sql(dialect_, name_));
}

VersionTableName history_table_name(const VersionTableName& version_table) {
  return {"dbmig_history", version_table.schema};
}

std::string create_history_table_sql(const Dialect& d, const VersionTableName& version_table) {
  Table t;
  auto name = history_table_name(version_table);
  t.name = name.name;
  t.schema = name.schema.value_or("");
  auto col = [&](const char* n, const char* type, bool nullable) { t.columns.push_back({n, type, nullable}); };
  col("id", "integer", false);
  t.columns.back().autoincrement = true;
  col("revision", "string(32)", false);
  col("direction", "string(9)", false);
  col("started_at", "datetime(timezone)", false);
  col("finished_at", "datetime(timezone)", false);
  col("duration_ms", "float", true);
  col("checksum", "string(64)", true);
  col("dbmig_version", "string(32)", true);
  col("db_user", "string(128)", true);
  t.primary_key = {"id"};
  t.primary_key_name = name.name + "_pkey";
  std::string sql = d.create_table_sql(t, t.name);
  return sql.replace(0, 12, "CREATE TABLE IF NOT EXISTS");
}

std::string history_insert_sql(const Dialect& d, const VersionTableName& version_table,
                               const std::vector<HistoryEntry>& entries, bool sql_times) {
  if (entries.empty()) return "";
  auto text = [&](const std::string& v) { return v.empty() ? std::string("NULL") : d.literal(v); };
  auto h = history_table_name(version_table);
  std::string sql = "INSERT INTO " + d.qualified(h.name, h.schema) +
                    " (revision, direction, started_at, finished_at, duration_ms, checksum, dbmig_version, db_user) VALUES ";
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    sql += std::string(i ? ", (" : "(") + d.literal(e.revision) + ", " + d.literal(e.direction) + ", " +
           (sql_times ? "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP" : d.literal(e.started_at) + ", " + d.literal(e.finished_at)) + ", " +
           (e.duration_ms ? std::to_string(*e.duration_ms) : "NULL") + ", " + text(e.checksum) + ", " + text(e.dbmig_version) +
           ", " + text(e.db_user) + ")";
  }
  return sql;
}

void VersionTable::record(const std::vector<HistoryEntry>& entries) {
  if (!entries.empty()) conn_.execute(history_insert_sql(dialect_, name_, entries));
}

std::vector<HistoryEntry> VersionTable::history() {
  auto h = history_table_name(name_);
  if (!dialect_.table_exists(conn_, h)) return {};
  std::vector<HistoryEntry> out;
  for (const auto& r : conn_.query("SELECT revision, direction, started_at, finished_at, duration_ms, checksum, "
                                   "dbmig_version, db_user FROM " + dialect_.qualified(h.name, h.schema) + " ORDER BY id")) {
    HistoryEntry e{r[0].value_or(""), r[1].value_or(""), r[2].value_or(""), r[3].value_or("")};
    if (r[4]) e.duration_ms = std::stod(*r[4]);
    e.checksum = r[5].value_or("");
    e.dbmig_version = r[6].value_or("");
    e.db_user = r[7].value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

std::map<std::string, std::string> VersionTable::applied_checksums() {
  std::map<std::string, std::string> out;
  auto h = history_table_name(name_);
  if (!dialect_.table_exists(conn_, h)) return out;
  for (const auto& r : conn_.query("SELECT revision, checksum FROM " + dialect_.qualified(h.name, h.schema) +
                                   " WHERE direction IN ('upgrade', 'stamp') AND checksum IS NOT NULL ORDER BY id"))
    out[r[0].value_or("")] = r[1].value_or("");
  return out;
}

std::vector<std::string> VersionTable::phases_done(const std::string& revision, const std::string& direction) {
  std::vector<std::string> out;
  auto h = history_table_name(name_);
  for (const auto& r : conn_.query("SELECT direction, checksum FROM " + dialect_.qualified(h.name, h.schema) +
                                   " WHERE revision = " + dialect_.literal(revision) + " ORDER BY id DESC")) {
    if (r[0].value_or("") != direction) break;
    out.push_back(r[1].value_or(""));
  }
  return out;
}

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
