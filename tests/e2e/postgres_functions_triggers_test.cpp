// Functions and triggers (SPEC §7.2) on PostgreSQL: kept as their whole CREATE statements,
// compared by pg_get_functiondef / pg_get_triggerdef, functions before the triggers that call
// them (a SQL-language body after the tables it reads), replaced in place, each step exactly
// reversed, with rows; left alone when the model has no 'functions' or 'triggers' key.
#include "harness.hpp"

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {

const char* kTable =
    "tables:\n  film:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
    "      title: {type: text, server_default: \"untitled()\"}\n      last_update: {type: date}\n";
const char* kUntitled = "  untitled: \"CREATE FUNCTION untitled() RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ''?'''\"\n";

std::string touch(const std::string& date) {
  return "  touch: \"CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\\nBEGIN\\n  NEW.last_update := DATE '" +
         date + "';\\n  RETURN NEW;\\nEND\\n$$;\"\n";
}

std::string v1() {
  return std::string(kTable) +
         "    triggers:\n      film_touch: \"CREATE TRIGGER film_touch BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION touch()\"\n"
         "functions:\n" + kUntitled + touch("2000-01-01") +
         "  titled: \"create function titled() returns bigint language sql as 'SELECT count(title) FROM film'\"\n";
}

std::string v2() {
  return std::string(kTable) +
         "    triggers:\n      film_touch: \"CREATE TRIGGER film_touch BEFORE UPDATE OF title ON film FOR EACH ROW EXECUTE PROCEDURE touch()\"\n"
         "functions:\n" + kUntitled + touch("2001-01-01") +
         "triggers:\n  stamp new rows: {table: film, sql: \"CREATE TRIGGER film_touch_new BEFORE INSERT ON film FOR EACH ROW EXECUTE FUNCTION touch()\"}\n";
}

TEST(PostgresFunctionsTriggers, CreatedReplacedAndDroppedWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  const std::string base = db.schema_dump();
  migrate_upgrade_check(p, "v1", v1());  // check clean: the server's spelling of both functions and the trigger
  auto text = read_text(p.dir() / "migrations/versions/v1_v1.yaml");
  const auto up1 = text.substr(0, text.find("downgrade:"));
  // untitled() before the table whose default calls it; the others after (titled() reads film).
  EXPECT_LT(up1.find("create_function: {name: untitled"), up1.find("create_table"));
  EXPECT_LT(up1.find("create_table"), up1.find("create_function: {name: touch"));
  EXPECT_LT(up1.find("create_table"), up1.find("create_function: {name: titled"));
  EXPECT_LT(up1.find("create_function: {name: touch"), up1.find("create_trigger: {name: film_touch, table: film"));
  db.query("INSERT INTO film VALUES (1, 'Alpha', NULL), (2, NULL, NULL), (3, 'Gamma', DATE '1999-12-31');"
           "INSERT INTO film (id) VALUES (9)");
  EXPECT_EQ(db.query("SELECT title FROM film WHERE id = 9"), "?\n");
  db.query("DELETE FROM film WHERE id = 9");
  db.query("UPDATE film SET title = 'Beta' WHERE id = 2");
  EXPECT_EQ(db.query("SELECT id, title, last_update FROM film ORDER BY id"),
            "1|Alpha|\n2|Beta|2000-01-01\n3|Gamma|1999-12-31\n");
  EXPECT_EQ(db.query("SELECT titled()"), "3\n");
  const std::string at_v1 = db.schema_dump();

  // The function's body and the trigger change, the SQL function goes, a trigger is added.
  migrate_upgrade_check(p, "v2", v2());
  text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  const auto up2 = text.substr(0, text.find("downgrade:"));
  EXPECT_NE(up2.find("replace_function: {name: touch"), std::string::npos) << text;
  EXPECT_NE(up2.find("replace_trigger: {name: film_touch, table: film"), std::string::npos) << text;
  EXPECT_NE(up2.find("create_trigger: {name: film_touch_new, table: film"), std::string::npos) << text;
  EXPECT_NE(up2.find("drop_function: {name: titled, existing_sql: "), std::string::npos) << text;
  db.query("UPDATE film SET title = 'A' WHERE id = 1; UPDATE film SET last_update = NULL WHERE id = 3;"
           "INSERT INTO film VALUES (4, NULL, NULL)");
  EXPECT_EQ(db.query("SELECT id, title, last_update FROM film ORDER BY id"),
            "1|A|2001-01-01\n2|Beta|2000-01-01\n3|Gamma|\n4||2001-01-01\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_proc WHERE proname = 'titled'"), "0\n");

  auto r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), at_v1);
  EXPECT_EQ(db.query("SELECT titled()"), "3\n");
  db.query("UPDATE film SET last_update = DATE '1990-01-01' WHERE id = 3");  // BEFORE UPDATE of any column again
  EXPECT_EQ(db.query("SELECT id, title, last_update FROM film ORDER BY id"),
            "1|A|2001-01-01\n2|Beta|2000-01-01\n3|Gamma|2000-01-01\n4||2001-01-01\n");
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.schema_dump(), base);
}

TEST(PostgresFunctionsTriggers, UndeclaredAndOverloadedOnesAreLeftAlone) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE TABLE t (id integer PRIMARY KEY, v integer);"
           "CREATE FUNCTION keep() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
           "CREATE TRIGGER t_keep BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION keep();"
           "CREATE FUNCTION twice(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1';"
           "CREATE FUNCTION twice(text) RETURNS text LANGUAGE sql AS 'SELECT $1';"
           "INSERT INTO t VALUES (1, 20), (2, NULL)");
  const std::string model = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
                            "      v: {type: integer}\n";
  write_text(p.dir() / "models.yaml", model);
  auto r = p.dbmig("check --verbose");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("function keep"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trigger t.t_keep"), std::string::npos) << r.out;

  // Declared: keep() and its trigger as the database has them are no change; twice() is
  // overloaded, which the model cannot name, and stays.
  write_text(p.dir() / "models.yaml", model + "    triggers:\n      t_keep: \"create trigger t_keep before insert on t for each row execute procedure keep();\"\n"
                                              "functions:\n  keep: \"CREATE OR REPLACE FUNCTION keep() RETURNS trigger AS $$BEGIN RETURN NEW; END$$ LANGUAGE plpgsql\"\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  write_text(p.dir() / "models.yaml", model + "functions: {}\ntriggers: {}\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("removed function 'keep'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("removed trigger 't_keep' on 't'"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("twice"), std::string::npos) << r.out;
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_proc WHERE proname IN ('keep', 'twice')"), "3\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), "2\n");
}

TEST(PostgresFunctionsTriggers, ATriggerOnAViewIsDumpedAtTheTopLevelAndRoundTrips) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE TABLE t (id integer PRIMARY KEY, v text); CREATE VIEW tv AS SELECT id, v FROM t;"
           "CREATE FUNCTION tv_insert() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO t VALUES (NEW.id, upper(NEW.v)); RETURN NEW; END$$;"
           "CREATE TRIGGER tv_insert INSTEAD OF INSERT ON tv FOR EACH ROW EXECUTE FUNCTION tv_insert();"
           "INSERT INTO tv VALUES (1, 'a'), (2, NULL)");
  auto r = p.dbmig("models dump -o models.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string models = read_text(p.dir() / "models.yaml");
  EXPECT_NE(models.find("triggers:\n  tv.tv_insert: {table: tv, sql: CREATE TRIGGER tv_insert INSTEAD OF INSERT ON tv FOR EACH ROW "
                        "EXECUTE FUNCTION tv_insert()}\n"), std::string::npos) << models;
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(db.query("SELECT * FROM t ORDER BY id"), "1|A\n2|\n");
}

TEST(ModelFunctionsTriggers, MistakesAreNamedAndSqliteRejectsThem) {
  Project p("postgresql");
  write_text(p.dir() / "models.yaml", "tables: {}\nfunctions:\n  touch: \"CREATE FUNCTION touched() RETURNS integer LANGUAGE sql AS 'SELECT 1'\"\n");
  auto r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml:3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("function 'touch': the SQL creates 'touched', not 'touch'"), std::string::npos) << r.err;
  write_text(p.dir() / "models.yaml", "tables: {}\ntriggers:\n  t: {table: film, sql: \"SELECT 1\"}\n");
  r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("trigger 't': write its whole CREATE TRIGGER statement"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(p.dir() / "migrations/versions") && !fs::is_empty(p.dir() / "migrations/versions"));

  Project s("sqlite");
  write_text(s.dir() / "models.yaml", "tables: {}\nfunctions:\n  f: \"CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1'\"\n");
  r = s.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: functions are PostgreSQL only"), std::string::npos) << r.err;
  EXPECT_TRUE(s.db().tables().empty());
}

}  // namespace
