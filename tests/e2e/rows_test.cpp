// Changes to tables that hold rows (SPEC §7.1): the two failures users met first (NOT NULL over
// NULLs, SQLite ADD COLUMN with CURRENT_TIMESTAMP) on 10,000 rows, triggers and views through a
// SQLite rebuild, the warnings `migrate` and `check` give before anything runs, and bad input.
#include "harness.hpp"

#include <filesystem>

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {

const char* kUsers = "tables:\n  users:\n    columns:\n      id: {type: integer, primary_key: true}\n";

// `rows` rows, the column `name` NULL in every third (`nulls` of them).
void fill(Database& db, const std::string& table, const std::string& columns, const std::string& values, int rows) {
  std::string series = db.pg() ? " FROM generate_series(1, " + std::to_string(rows) + ") AS i"
                               : " FROM (WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " +
                                     std::to_string(rows) + ") SELECT i FROM s)";
  db.query("INSERT INTO " + table + " (" + columns + ") SELECT " + values + series);
}

}  // namespace

class Rows : public DialectTest {};
DBMIG_DIALECTS(Rows);

TEST_P(Rows, NotNullOverNullsIsFilledFromTheDefaultOn10000Rows) {
  Project p(GetParam());
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", std::string(kUsers) + "      name: {type: string(40)}\n      note: {type: text}\n");
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  fill(db, "users", "name, note", "CASE WHEN i % 3 = 0 THEN NULL ELSE 'n' || i END, 'note ' || i", 10000);
  const std::string notes = db.query("SELECT count(*), count(DISTINCT note) FROM users");
  write_text(p.dir() / "models.yaml",
             std::string(kUsers) + "      name: {type: string(40), nullable: false, server_default: \"'anon'\"}\n      note: {type: text}\n");
  auto r = p.dbmig("migrate -m v2 --rev-id v2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("hold NULL"), std::string::npos) << r.err;  // a default fills them: nothing to warn about
  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT count(*) FROM users WHERE name IS NULL"), "0\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM users WHERE name = 'anon'"), "3333\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM users WHERE name = 'n1' AND note = 'note 1'"), "1\n");
  EXPECT_EQ(db.query("SELECT count(*), count(DISTINCT note) FROM users"), notes);
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(db.query("SELECT count(*), count(DISTINCT note) FROM users"), notes);
  EXPECT_EQ(p.dbmig("check").code, 1);  // the models say NOT NULL again
}

TEST_P(Rows, FillSetsTheNullsWithoutALastingDefault) {
  Project p(GetParam());
  auto& db = p.db();
  p.revision("r1", "", R"Y(upgrade:
  - create_table:
      name: items
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: code, type: string(20)}
        - {name: n, type: integer}
downgrade:
  - drop_table: {name: items}
)Y");
  p.revision("r2", "\"r1\"", R"Y(upgrade:
  - alter_column: {table: items, name: code, nullable: false, fill: "'c' || n", existing_nullable: true, existing_type: string(20)}
downgrade:
  - alter_column: {table: items, name: code, nullable: true, existing_nullable: false, existing_type: string(20)}
)Y");
  ASSERT_EQ(p.dbmig("upgrade r1").code, 0);
  fill(db, "items", "code, n", "CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' END, i", 10000);
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT count(*) FROM items WHERE code = 'c' || n"), "5000\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM items WHERE code = 'x'"), "5000\n");
  std::string defaults = db.pg() ? db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_default IS NOT NULL AND column_name = 'code'")
                                 : db.query("SELECT count(*) FROM pragma_table_info('items') WHERE name = 'code' AND dflt_value IS NOT NULL");
  EXPECT_EQ(defaults, "0\n");
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM items"), "10000\n");
  // The SQL script shows the fill.
  r = p.dbmig("upgrade --sql r1:r2");
  EXPECT_NE(r.out.find(db.pg() ? "UPDATE \"items\" SET \"code\" = 'c' || n WHERE \"code\" IS NULL"
                               : "COALESCE(\"code\", 'c' || n)"),
            std::string::npos)
      << r.out;
  // fill belongs to nullable: false.
  p.revision("r3", "\"r2\"", "upgrade:\n  - alter_column: {table: items, name: n, fill: \"0\"}\ndowngrade: []\n");
  r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("r3_rev.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fill is for nullable: false"), std::string::npos) << r.err;
}

TEST_P(Rows, AddColumnWithCurrentTimestampOn10000Rows) {
  Project p(GetParam());
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", std::string(kUsers) + "      name: {type: string(40)}\n    indexes:\n      ix_users_name: {columns: [name]}\n");
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  fill(db, "users", "name", "CASE WHEN i % 3 = 0 THEN NULL ELSE 'n' || i END", 10000);
  write_text(p.dir() / "models.yaml", std::string(kUsers) +
                                          "      name: {type: string(40)}\n      created_at: {type: datetime, server_default: CURRENT_TIMESTAMP}\n"
                                          "      day: {type: date, server_default: CURRENT_DATE}\n"
                                          "    indexes:\n      ix_users_name: {columns: [name]}\n");
  ASSERT_EQ(p.dbmig("migrate -m v2 --rev-id v2").code, 0);
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT count(*), count(created_at), count(day), count(name) FROM users"), "10000|10000|10000|6667\n");
  EXPECT_EQ(p.dbmig("check").code, 0);
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(db.query("SELECT count(*), count(name) FROM users"), "10000|6667\n");
}

TEST(RowsSqlite, RebuildKeepsTriggersAndViewsAndTheTriggerStillFires) {
  Project p("sqlite");
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", std::string(kUsers) + "      name: {type: string(40)}\n"
                                      "  audit:\n    columns:\n      id: {type: integer, primary_key: true}\n      what: {type: text}\n");
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  fill(db, "users", "name", "'n' || i", 1000);
  db.query("CREATE VIEW named_users AS SELECT id, name FROM users WHERE name IS NOT NULL; "
           "CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit (what) VALUES ('added ' || NEW.name); END; "
           "CREATE TRIGGER named_users_insert INSTEAD OF INSERT ON named_users BEGIN INSERT INTO users (name) VALUES (NEW.name); END;");
  // NOT NULL with a default: a rebuild of users.
  write_text(p.dir() / "models.yaml", std::string(kUsers) + "      name: {type: string(80), nullable: false, server_default: \"'x'\"}\n"
                                      "  audit:\n    columns:\n      id: {type: integer, primary_key: true}\n      what: {type: text}\n");
  ASSERT_EQ(p.dbmig("migrate -m v2 --rev-id v2").code, 0);
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name"),
            "view|named_users\ntrigger|named_users_insert\ntrigger|users_audit\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM named_users"), "1000\n");
  db.query("INSERT INTO users (name) VALUES ('late'); INSERT INTO named_users (name) VALUES ('via view')");
  EXPECT_EQ(db.query("SELECT what FROM audit ORDER BY id"), "added late\nadded via view\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM named_users"), "1002\n");
  // And back.
  r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  db.query("INSERT INTO users (name) VALUES ('after downgrade')");
  EXPECT_EQ(db.query("SELECT count(*) FROM audit"), "3\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM named_users"), "1003\n");
}

TEST(RowsSqlite, RebuildOfALargeTablePrintsProgress) {
  Project p("sqlite");
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", std::string(kUsers) + "      name: {type: string(40)}\n");
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  fill(db, "users", "name", "CASE WHEN i % 3 = 0 THEN NULL ELSE 'n' || i END", 250000);
  write_text(p.dir() / "models.yaml", std::string(kUsers) + "      name: {type: string(40), nullable: false, server_default: \"''\"}\n");
  ASSERT_EQ(p.dbmig("migrate -m v2 --rev-id v2").code, 0);
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Rebuilding 'users': 100000 of 250000 rows copied ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Rebuilding 'users': 250000 of 250000 rows copied ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" rows/s)"), std::string::npos) << r.err;
  EXPECT_EQ(db.query("SELECT count(*), count(name), sum(name = '') FROM users"), "250000|250000|83333\n");
  // A small table prints no progress.
  db.query("DELETE FROM users WHERE id > 1000");
  r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("Rebuilding"), std::string::npos) << r.err;
}

TEST_P(Rows, WarningsCountTheRowsTheChangeWillMeet) {
  Project p(GetParam());
  auto& db = p.db();
  const std::string v1 = std::string("tables:\n"
                                     "  team:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                                     "  member:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                                     "      email: {type: string(120)}\n      nick: {type: text}\n      team_id: {type: integer}\n"
                                     "      age: {type: integer}\n      code: {type: string(10)}\n");
  write_text(p.dir() / "models.yaml", v1);
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  fill(db, "team", "id", "i", 10);
  // 1000 members: email NULL in 7 rows, duplicated in rows 1..40 (20 values, each twice), team_id
  // 11..13 (no such team) in 30 rows, age negative in 25, nick longer than 8 in 100.
  fill(db, "member", "email, nick, team_id, age, code",
       "CASE WHEN i <= 7 THEN NULL WHEN i <= 40 THEN 'dup' || (i % 20) ELSE 'm' || i END, "
       "CASE WHEN i <= 100 THEN 'a-long-nickname' ELSE 'short' END, "
       "CASE WHEN i > 970 THEN 11 + i % 3 ELSE 1 + i % 10 END, "
       "CASE WHEN i > 975 THEN -i ELSE i END, 'c' || i",
       1000);
  const std::string expected_nulls = db.query("SELECT count(*) FROM member WHERE email IS NULL");
  const std::string expected_dups =
      db.query("SELECT sum(n) FROM (SELECT count(*) AS n FROM member WHERE email IS NOT NULL GROUP BY email HAVING count(*) > 1) d");
  const std::string expected_orphans = db.query("SELECT count(*) FROM member WHERE team_id NOT IN (SELECT id FROM team)");
  const std::string expected_negative = db.query("SELECT count(*) FROM member WHERE age < 0");
  const std::string expected_long = db.query("SELECT count(*) FROM member WHERE length(nick) > 8");
  EXPECT_EQ(expected_nulls, "7\n");
  EXPECT_EQ(expected_orphans, "30\n");
  EXPECT_EQ(expected_negative, "25\n");
  EXPECT_EQ(expected_long, "100\n");
  auto n = [](const std::string& s) { return s.substr(0, s.size() - 1); };

  write_text(p.dir() / "models.yaml", std::string("tables:\n"
                                                  "  team:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                                                  "  member:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                                                  "      email: {type: string(120), nullable: false, unique: true}\n"
                                                  "      nick: {type: string(8)}\n"
                                                  "      team_id: {type: integer, foreign_key: team.id}\n"
                                                  "      age: {type: integer}\n      code: {type: string(10)}\n"
                                                  "    checks:\n      ck_member_age: \"age >= 0\"\n"));
  auto r = p.dbmig("migrate -m v2 --dry-run");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("'member' (email): " + n(expected_nulls) + " rows hold NULL under the new NOT NULL"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'member' (email): " + n(expected_dups) + " rows share their values with another row"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'member' (team_id): " + n(expected_orphans) + " rows reference no row of 'team' (id)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'member': " + n(expected_negative) + " rows fail the new check 'ck_member_age' (age >= 0)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'member' (nick): " + n(expected_long) + " rows hold values that do not fit the new type string(8)"), std::string::npos)
      << r.err;
  // check reports the same, and JSON carries them for scripts.
  r = p.dbmig("--format json check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("{\"kind\": \"not_null\", \"table\": \"member\", \"columns\": [\"email\"], \"rows\": " + n(expected_nulls)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"kind\": \"unique\", \"table\": \"member\", \"columns\": [\"email\"], \"rows\": " + n(expected_dups)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"kind\": \"foreign_key\", \"table\": \"member\", \"columns\": [\"team_id\"], \"rows\": 30"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"kind\": \"check\", \"table\": \"member\", \"columns\": [], \"rows\": 25"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"kind\": \"type\", \"table\": \"member\", \"columns\": [\"nick\"], \"rows\": 100"), std::string::npos) << r.out;
  r = p.dbmig("check");
  EXPECT_NE(r.err.find("rows fail the new check 'ck_member_age'"), std::string::npos) << r.err;
  // One aggregate query per change: the statements do not grow with the rows.
  fill(db, "member", "email, nick, team_id, age, code", "'more' || i, 'x', 1, 1, 'c'", 5000);
  r = p.dbmig("-vv check");
  size_t data_queries = 0;
  for (const auto& l : lines(r.err))
    if (l.find("SQL: SELECT") != std::string::npos && l.find("\"member\"") != std::string::npos) ++data_queries;
  EXPECT_LE(data_queries, 6u) << r.err;
}

TEST_P(Rows, BadInputFoundAsANewUserWould) {
  Project p(GetParam());
  // An empty models file is an error naming it, not a revision dropping every table.
  write_text(p.dir() / "models.yaml", std::string(kUsers));
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  write_text(p.dir() / "models.yaml", "");
  auto before = snapshot(p.dir() / "migrations");
  auto r = p.dbmig("migrate -m oops");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("dbmig: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("models.yaml: the models file is empty"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(p.dir() / "migrations"), before);
  // upgrade --sql with a range going the wrong way.
  p.revision("r2", "\"v1\"", "upgrade:\n  - add_column: {table: users, column: {name: n, type: integer}}\ndowngrade:\n  - drop_column: {table: users, name: n}\n");
  r = p.dbmig("upgrade --sql head:base");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("dbmig: error: Destination <base> is not a valid upgrade target from r2"), std::string::npos) << r.err;
  EXPECT_EQ(p.dbmig("upgrade --sql base:head").code, 0);
  if (p.db().pg()) return;
  // current on a SQLite URL whose folder does not exist; a missing file in a folder is "nothing applied".
  r = p.dbmig("--url sqlite:///no/such/folder/app.db current");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: cannot open SQLite database 'no/such/folder/app.db': the folder 'no/such/folder' does not exist"),
            std::string::npos)
      << r.err;
  r = p.dbmig("--url sqlite:///missing.db current");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(p.dir() / "missing.db"));
}
