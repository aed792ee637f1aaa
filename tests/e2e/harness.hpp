#pragma once
// Runs the real dbmig binary in a temp folder and reads the database back with its own client
// (sqlite3 / psql), so every assertion is about what a user would see.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dbmig::test {

struct Result {
  int code = -1;
  std::string out, err;
};

std::string shell_quote(const std::string& s);
// Runs a shell command line; captures stdout and stderr.
Result sh(const std::string& command, const std::map<std::string, std::string>& env = {});
std::string read_text(const std::filesystem::path& p);
void write_text(const std::filesystem::path& p, const std::string& text);
// Every file under dir with its content, for "nothing changed" checks (not the derived
// revision index, migrations/.dbmig-cache).
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);

// One database of one dialect, created for a test and dropped after it.
class Database {
 public:
  Database(const std::string& dialect, const std::filesystem::path& dir, const std::string& sqlite_file = "app.db");
  ~Database();
  const std::string& dialect() const { return dialect_; }
  bool pg() const { return dialect_ == "postgresql"; }
  const std::string& url() const { return url_; }
  // Runs SQL with the database's own client; rows as lines, columns joined by '|'.
  std::string query(const std::string& sql) const;
  Result client(const std::string& sql_or_file_redirect) const;  // raw client run
  std::vector<std::string> versions() const;  // alembic_version rows, sorted
  // Tables in the database (without dbmig's alembic_version and dbmig_history unless asked), sorted.
  std::vector<std::string> tables(bool with_version_table = false) const;
  // A text dump of the catalog: columns, types, nullability, defaults, indexes, constraints.
  std::string catalog() const;
  // PostgreSQL: `pg_dump -s` normalised: without comments, settings and the per-run \restrict
  // key, lines sorted (a column PostgreSQL can only add again comes back last).
  std::string schema_dump() const;

 private:
  std::string dialect_, url_, admin_url_, name_;
  std::filesystem::path file_;
};

// A temp folder with a dbmig project in it.
class Project {
 public:
  explicit Project(const std::string& dialect);
  ~Project();
  Result dbmig(const std::string& args, const std::map<std::string, std::string>& env = {}) const;
  const std::filesystem::path& dir() const { return dir_; }
  Database& db() { return *db_; }
  // Writes a revision file; `body` holds upgrade/downgrade and any other keys.
  void revision(const std::string& id, const std::string& down, const std::string& body) const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

std::vector<std::string> lines(const std::string& text);

// One evolution step: writes models.yaml, then migrate (revision `id`), upgrade head, and check,
// which must find nothing left (no false difference once applied).
void migrate_upgrade_check(Project& p, const std::string& id, const std::string& model);

// Tables t<from>..t<to - 1>, each with a key, a unique column, a foreign key to itself, a check
// and an index on name (`index_order` "DESC" for one the model cannot express): for the
// tests that count catalog queries at 10 and 1,000 tables.
void create_numbered_tables(Database& db, int from, int to, const std::string& index_order = "");

class DialectTest : public ::testing::TestWithParam<std::string> {};

}  // namespace dbmig::test

#define DBMIG_DIALECTS(suite) \
  INSTANTIATE_TEST_SUITE_P(Dialects, suite, ::testing::Values("sqlite", "postgresql"), \
                           [](const auto& info) { return info.param; })
