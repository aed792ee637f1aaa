// Views, triggers and expression indexes in models.yaml on SQLite (SPEC §7.2): created after the
// tables, compared by the text SQLite keeps (as dbmig wrote it), kept through a table rebuild,
// changed and exactly reversed, with rows; what SQLite cannot have is refused, naming the file.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

std::string model(const std::string& rating_type, const std::string& view_where, const std::string& logged) {
  return "tables:\n"
         "  film:\n    columns:\n      id: {type: integer, primary_key: true}\n      title: {type: text}\n"
         "      rating: {type: " + rating_type + "}\n"
         "    indexes:\n      ix_film_title_lower: {expressions: [\"lower(title)\"]}\n"
         "    triggers:\n      film_logger: \"CREATE TRIGGER film_logger AFTER INSERT ON film BEGIN INSERT INTO film_log (film_id, note) "
         "VALUES (NEW.id, " + logged + "); END\"\n"
         "  film_log:\n    columns:\n      id: {type: integer, primary_key: true}\n      film_id: {type: integer}\n"
         "      note: {type: text}\n"
         "views:\n  film_list: \"SELECT id, title FROM film WHERE rating > " + view_where + "\"\n";
}

std::string objects(Database& db) {
  return db.query("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' "
                  "AND name NOT IN ('alembic_version', 'dbmig_history') ORDER BY type, name");
}

TEST(SqliteViewsTriggers, CreatedChangedKeptThroughARebuildAndReversedWithRows) {
  Project p("sqlite");
  auto& db = p.db();
  migrate_upgrade_check(p, "v1", model("integer", "2", "'new'"));
  auto text = read_text(p.dir() / "migrations/versions/v1_v1.yaml");
  EXPECT_LT(text.find("name: film_log\n"), text.find("create_view: {name: film_list"));
  EXPECT_LT(text.find("create_view: {name: film_list"), text.find("create_trigger: {name: film_logger, table: film"));
  EXPECT_EQ(db.query("SELECT sql FROM sqlite_master WHERE name = 'ix_film_title_lower'"),
            "CREATE INDEX \"ix_film_title_lower\" ON \"film\" ((lower(title)))\n");
  db.query("INSERT INTO film VALUES (1, 'Alien', 5), (2, NULL, NULL), (3, 'Up', 1)");
  EXPECT_EQ(db.query("SELECT film_id, note FROM film_log ORDER BY id"), "1|new\n2|new\n3|new\n");
  EXPECT_EQ(db.query("SELECT id, title FROM film_list ORDER BY id"), "1|Alien\n");
  const std::string at_v1 = objects(db);

  // rating changes type (a table rebuild), the view's filter and the trigger's body change.
  migrate_upgrade_check(p, "v2", model("biginteger", "0", "'v2'"));
  text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  EXPECT_NE(text.find("replace_trigger: {name: film_logger, table: film"), std::string::npos) << text;
  EXPECT_NE(text.find("drop_view: {name: film_list, existing_sql: \"SELECT id, title FROM film WHERE rating > 2\"}"),
            std::string::npos) << text;
  EXPECT_EQ(db.query("SELECT id, title, rating FROM film ORDER BY id"), "1|Alien|5\n2||\n3|Up|1\n");
  EXPECT_EQ(db.query("SELECT id, title FROM film_list ORDER BY id"), "1|Alien\n3|Up\n");
  db.query("INSERT INTO film VALUES (4, 'Heat', 3)");
  EXPECT_EQ(db.query("SELECT film_id, note FROM film_log ORDER BY id"), "1|new\n2|new\n3|new\n4|v2\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM sqlite_master WHERE name IN ('ix_film_title_lower', 'film_list', 'film_logger')"), "3\n");

  auto r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(objects(db), at_v1);
  EXPECT_EQ(db.query("SELECT id, title, rating FROM film ORDER BY id"), "1|Alien|5\n2||\n3|Up|1\n4|Heat|3\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1) << r.out;  // the model is at v2 still
  r = p.dbmig("downgrade base");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(objects(db), "");
}

TEST(SqliteViewsTriggers, HandWrittenOnesMatchAndWhatSqliteCannotHaveIsRefused) {
  Project p("sqlite");
  auto& db = p.db();
  db.query("CREATE TABLE t (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id));"
           "CREATE INDEX ix_t_name ON t (id, lower(name));"
           "CREATE VIEW v AS SELECT  id,name FROM t;"
           "INSERT INTO t VALUES (1, 'a'), (2, NULL)");
  const std::string table = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n      name: {type: text}\n"
                            "    indexes:\n      ix_t_name: {columns: [id], expressions: [\"lower(name)\"]}\n";
  write_text(p.dir() / "models.yaml", table);
  auto r = p.dbmig("check --verbose");
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // the expression reads back from the CREATE INDEX text
  EXPECT_NE(r.out.find("view v"), std::string::npos) << r.out;  // not declared: left alone
  write_text(p.dir() / "models.yaml", table + "views:\n  v: \"SELECT id, name FROM t\"\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // spacing is no change
  EXPECT_EQ(db.query("SELECT id, name FROM v ORDER BY id"), "1|a\n2|\n");

  write_text(p.dir() / "models.yaml", table + "views:\n  v: {sql: \"SELECT id FROM t\", materialized: true}\n");
  r = p.dbmig("migrate -m m");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: view 'v': materialized views are PostgreSQL only"), std::string::npos) << r.err;
  write_text(p.dir() / "models.yaml", table + "functions:\n  f: \"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'\"\n");
  r = p.dbmig("migrate -m m");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: functions are PostgreSQL only"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(p.dir() / "migrations/versions") &&
               !std::filesystem::is_empty(p.dir() / "migrations/versions"));
}

}  // namespace
