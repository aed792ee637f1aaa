// Enum types (SPEC §7.2) on PostgreSQL: created before the tables that use them, labels added in
// place, renamed, or removed by swapping the type, with rows in use; each step reverses exactly.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

std::string models(const std::string& labels) {
  return "enums:\n  mood: [" + labels + "]\n"
         "tables:\n  person:\n    columns:\n      id: {type: integer, primary_key: true}\n"
         "      feeling: {type: mood, server_default: \"'ok'\"}\n";
}

// The labels as PostgreSQL keeps them, in order.
std::string labels(const Database& db) {
  return db.query("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'mood'::regtype");
}

TEST(PostgresEnums, CreateAddRenameRemoveAndBackWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  migrate_upgrade_check(p, "v1", models("sad, ok, happy"));
  EXPECT_EQ(labels(db), "sad,ok,happy\n");
  db.query("INSERT INTO person (feeling) VALUES ('sad'), ('happy'), (NULL), (DEFAULT)");

  // A label in the middle and one at the end are added in place.
  migrate_upgrade_check(p, "v2", models("sad, meh, ok, happy, ecstatic"));
  EXPECT_EQ(labels(db), "sad,meh,ok,happy,ecstatic\n");
  EXPECT_NE(read_text(p.dir() / "migrations/versions/v2_v2.yaml").find("alter_enum"), std::string::npos);

  // A rename keeps the rows that hold the label.
  migrate_upgrade_check(p, "v3", models("sad, meh, ok, {glad: {renamed_from: happy}}, ecstatic"));
  EXPECT_EQ(labels(db), "sad,meh,ok,glad,ecstatic\n");
  EXPECT_EQ(db.query("SELECT feeling FROM person ORDER BY id"), "sad\nglad\n\nok\n");

  // Removing an unused label swaps the type; the default and the rows survive.
  write_text(p.dir() / "models.yaml", models("sad, ok, glad, ecstatic"));
  auto r = p.dbmig("migrate -m v4 --rev-id v4");
  EXPECT_NE(r.err.find("removing value(s) (meh) from enum 'mood'"), std::string::npos) << r.err;
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  EXPECT_EQ(labels(db), "sad,ok,glad,ecstatic\n");
  EXPECT_EQ(db.query("SELECT feeling FROM person ORDER BY id"), "sad\nglad\n\nok\n");
  EXPECT_EQ(db.query("SELECT column_default FROM information_schema.columns WHERE table_name = 'person' AND column_name = 'feeling'"),
            "'ok'::mood\n");
  EXPECT_EQ(p.dbmig("check").code, 0);

  // Removing a label that rows hold fails cleanly and changes nothing.
  write_text(p.dir() / "models.yaml", models("ok, glad, ecstatic"));
  ASSERT_EQ(p.dbmig("migrate -m v5 --rev-id v5").code, 0);
  r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error:"), std::string::npos) << r.err;
  EXPECT_EQ(labels(db), "sad,ok,glad,ecstatic\n");
  EXPECT_EQ(db.versions(), std::vector<std::string>{"v4"});
  std::filesystem::remove(p.dir() / "migrations/versions/v5_v5.yaml");

  // Each downgrade gives the previous labels back, rows intact.
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(labels(db), "sad,meh,ok,glad,ecstatic\n");
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(labels(db), "sad,meh,ok,happy,ecstatic\n");
  EXPECT_EQ(db.query("SELECT feeling FROM person ORDER BY id"), "sad\nhappy\n\nok\n");
  r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(labels(db), "sad,ok,happy\n");
  EXPECT_EQ(db.query("SELECT feeling FROM person ORDER BY id"), "sad\nhappy\n\nok\n");
  // Down to base leaves nothing of the type.
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_type WHERE typname = 'mood'"), "0\n");
}

TEST(PostgresEnums, ADroppedEnumIsDroppedAfterItsTable) {
  Project p("postgresql");
  write_text(p.dir() / "models.yaml", models("a, ok"));
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  write_text(p.dir() / "models.yaml", "tables:\n  other:\n    columns:\n      id: {type: integer, primary_key: true}\n");
  auto r = p.dbmig("migrate -m v2 --rev-id v2");
  ASSERT_EQ(r.code, 0) << r.err;
  auto text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  EXPECT_LT(text.find("drop_table"), text.find("drop_enum: {name: mood, existing_values: [a, ok]}")) << text;
  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().query("SELECT count(*) FROM pg_type WHERE typname = 'mood'"), "0\n");
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(labels(p.db()), "a,ok\n");
}

TEST(ModelEnums, SqliteRejectsThemAndUnknownTypesStayErrors) {
  Project p("sqlite");
  write_text(p.dir() / "models.yaml", models("a, b"));
  auto r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml:2: enum 'mood': enum types are PostgreSQL only"),
            std::string::npos) << r.err;
  write_text(p.dir() / "models.yaml", "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n      f: {type: mood}\n");
  r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("models.yaml:5: unknown type 'mood' for column 't.f'"), std::string::npos) << r.err;
  write_text(p.dir() / "models.yaml", "enums:\n  mood: [a, a]\n");
  r = p.dbmig("migrate -m v1");
  EXPECT_NE(r.err.find("models.yaml:2: enum 'mood' lists the label 'a' twice"), std::string::npos) << r.err;
  EXPECT_TRUE(p.db().tables().empty());
}

}  // namespace
