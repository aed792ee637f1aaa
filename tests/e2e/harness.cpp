#include "harness.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace dbmig::test {
namespace fs = std::filesystem;

namespace {
std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

std::string pg_admin_url() {
  const char* url = std::getenv("DBMIG_TEST_PG_URL");
  if (!url || !*url)
    throw std::runtime_error("DBMIG_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL");
  return url;
}
}  // namespace

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

Result sh(const std::string& command, const std::map<std::string, std::string>& env) {
  auto tmp = fs::temp_directory_path() / ("dbmig_sh_" + unique_suffix());
  std::string prefix;
  for (const auto& [k, v] : env) prefix += k + "=" + shell_quote(v) + " ";
  std::string full = "env " + prefix + "sh -c " + shell_quote(command) + " >" + tmp.string() + ".out 2>" + tmp.string() +
                     ".err </dev/null";
  int status = std::system(full.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(tmp.string() + ".out");
  r.err = read_text(tmp.string() + ".err");
  fs::remove(tmp.string() + ".out");
  fs::remove(tmp.string() + ".err");
  return r;
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string().rfind(".dbmig-cache", 0) != 0)  // derived caches
      out[fs::relative(e.path(), dir).string()] = read_text(e.path());
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

Database::Database(const std::string& dialect, const fs::path& dir, const std::string& sqlite_file) : dialect_(dialect) {
  if (pg()) {
    admin_url_ = pg_admin_url();
    name_ = "dbmig_t_" + unique_suffix();
    auto r = sh("psql -X -q " + shell_quote(admin_url_) + " -c " + shell_quote("CREATE DATABASE " + name_));
    if (r.code != 0) throw std::runtime_error("cannot create test database: " + r.err);
    url_ = admin_url_.substr(0, admin_url_.rfind('/') + 1) + name_;
  } else {
    file_ = dir / sqlite_file;
    url_ = "sqlite:///" + file_.string();  // an absolute path: sqlite:////tmp/...
  }
}

Database::~Database() {
  if (pg())
    sh("psql -X -q " + shell_quote(admin_url_) + " -c " + shell_quote("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"));
}

Result Database::client(const std::string& args) const {
  if (pg()) return sh("psql -X -q -v ON_ERROR_STOP=1 " + shell_quote(url_) + " " + args);
  return sh("sqlite3 -bail " + shell_quote(file_.string()) + " " + args);
}

std::string Database::query(const std::string& sql) const {
  auto r = pg() ? client("-At -F '|' -c " + shell_quote(sql)) : client(shell_quote(sql));
  if (r.code != 0) throw std::runtime_error("query failed: " + sql + ": " + r.err);
  return r.out;
}

std::vector<std::string> Database::versions() const {
  std::string exists = pg() ? query("SELECT to_regclass('alembic_version') IS NOT NULL")
                            : query("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'alembic_version'");
  if (exists != "t\n" && exists != "1\n") return {};
  auto v = lines(query("SELECT version_num FROM alembic_version ORDER BY version_num"));
  return v;
}

std::vector<std::string> Database::tables(bool with_version_table) const {
  std::string sql = pg() ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                         : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1";
  auto t = lines(query(sql));
  if (!with_version_table)
    t.erase(std::remove_if(t.begin(), t.end(), [](const std::string& n) { return n == "alembic_version" || n == "dbmig_history"; }),
            t.end());
  return t;
}

// Identifier quoting in stored SQL text is cosmetic (SQLite adds quotes when it rewrites a
// renamed column), so the SQLite dump compares that text without double quotes.
std::string Database::catalog() const {
  if (pg()) {
    return "columns:\n" +
           query("SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, "
                 "is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' "
                 "ORDER BY table_name, ordinal_position") +
           "indexes:\n" + query("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2") +
           "constraints:\n" +
           query("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                 "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2") +
           "comments:\n" +
           query("SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c JOIN pg_attribute a "
                 "ON a.attrelid = c.oid WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND "
                 "col_description(c.oid, a.attnum) IS NOT NULL ORDER BY 1, 2");
  }
  return "columns:\n" +
         query("SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master m, "
               "pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid") +
         "indexes:\n" +
         query("SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, "
               "(SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii), "
               "(SELECT replace(replace(sql, char(10), ' '), '\"', '') FROM sqlite_master s WHERE s.name = il.name) "
               "FROM sqlite_master m, pragma_index_list(m.name) il WHERE m.type = 'table' ORDER BY 1, 2") +
         "foreign keys:\n" +
         query("SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete FROM sqlite_master m, "
               "pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1, 2, 3") +
         "checks:\n" +
         query("SELECT name, replace(replace(substr(sql, instr(sql, 'CHECK')), char(10), ' '), '\"', '') FROM sqlite_master "
               "WHERE type = 'table' AND instr(sql, 'CHECK') > 0 ORDER BY 1");
}

void migrate_upgrade_check(Project& p, const std::string& id, const std::string& model) {
  write_text(p.dir() / "models.yaml", model);
  auto r = p.dbmig("migrate -m " + id + " --rev-id " + id);
  ASSERT_EQ(r.code, 0) << r.err;
  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

std::string Database::schema_dump() const {
  auto r = sh("pg_dump -s --no-owner --no-privileges " + shell_quote(url_));
  if (r.code != 0) throw std::runtime_error("pg_dump failed: " + r.err);
  std::vector<std::string> kept;
  for (auto l : lines(r.out)) {
    if (l.empty() || l.rfind("--", 0) == 0 || l.rfind("\\restrict", 0) == 0 || l.rfind("\\unrestrict", 0) == 0 ||
        l.rfind("SET ", 0) == 0 || l.find("set_config") != std::string::npos)
      continue;
    if (l.back() == ',') l.pop_back();
    kept.push_back(l);
  }
  std::sort(kept.begin(), kept.end());
  std::string out;
  for (const auto& l : kept) out += l + "\n";
  return out;
}

Project::Project(const std::string& dialect) {
  dir_ = fs::temp_directory_path() / ("dbmig_e2e_" + unique_suffix());
  fs::create_directories(dir_);
  db_ = std::make_unique<Database>(dialect, dir_);
  auto r = dbmig("init");
  if (r.code != 0) throw std::runtime_error("dbmig init failed: " + r.err);
  write_text(dir_ / "dbmig.yaml", "database_url: ${TEST_DATABASE_URL}\nscript_location: migrations\nmodels: models.yaml\n");
}

Project::~Project() {
  db_.reset();
  std::error_code ec;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir_, ec);
}

Result Project::dbmig(const std::string& args, const std::map<std::string, std::string>& env) const {
  auto all = env;
  if (db_) all.emplace("TEST_DATABASE_URL", db_->url());
  return sh("cd " + shell_quote(dir_.string()) + " && " + DBMIG_BINARY + " --no-color " + args, all);
}

void Project::revision(const std::string& id, const std::string& down, const std::string& body) const {
  std::string text = "revision: \"" + id + "\"\ndown_revision: " + (down.empty() ? "null" : down) + "\nmessage: rev " + id +
                     "\n" + body;
  write_text(dir_ / "migrations" / "versions" / (id + "_rev.yaml"), text);
}

void create_numbered_tables(Database& db, int from, int to, const std::string& index_order) {
  std::string sql;
  for (int i = from; i < to; ++i) {
    std::string t = "t" + std::to_string(i);
    sql += "CREATE TABLE " + t + " (id " + (db.pg() ? "serial" : "integer") + " PRIMARY KEY, name varchar(40) UNIQUE, parent integer REFERENCES " +
           t + "(id), CHECK (id > 0)); CREATE INDEX ix_" + t + " ON " + t + " (name" + (index_order.empty() ? "" : " " + index_order) +
           ");";
  }
  db.query(sql);
}

}  // namespace dbmig::test
