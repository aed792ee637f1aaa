// Checks, defaults and partial-index predicates compared as the database stores them (SPEC §7.2):
// no false difference for a spelling the server rewrites, and a changed check under the same
// name is a change, reversed exactly. With rows in the table, which must survive.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

std::string models(const std::string& check) {
  return "tables:\n  item:\n    columns:\n      id: {type: integer, primary_key: true}\n"
         "      a: {type: integer}\n      b: {type: integer}\n      c: {type: integer, server_default: \"1 + 1\"}\n"
         "      total: {type: float, server_default: \"0\"}\n"
         "    indexes:\n      ix_item_a: {columns: [a], where: \"a > 0 AND b IS NOT NULL\"}\n"
         "    checks:\n      ck_item_rule: \"" + check + "\"\n";
}

class StoredSpellingTest : public DialectTest {};

TEST_P(StoredSpellingTest, AChangedCheckUnderTheSameNameIsAChangeAndASpellingIsNot) {
  Project p(GetParam());
  auto& db = p.db();
  write_text(p.dir() / "models.yaml", models("(a > 0 OR b > 0) AND c > 0"));
  ASSERT_EQ(p.dbmig("migrate -m v1 --rev-id v1").code, 0);
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  db.query("INSERT INTO item (a, b, c, total) VALUES (1, NULL, 5, 2.5), (NULL, 3, 1, NULL), (2, 2, 2, 0)");
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // the server's own spelling reads as the same

  // The same terms grouped differently is another constraint.
  write_text(p.dir() / "models.yaml", models("a > 0 OR (b > 0 AND c > 0)"));
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1);
  if (db.pg()) {
    EXPECT_NE(r.out.find("changed check constraint 'ck_item_rule' on 'item'"), std::string::npos) << r.out;
  }
  r = p.dbmig("migrate -m v2 --rev-id v2");
  ASSERT_EQ(r.code, 0) << r.err;
  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.dbmig("check").code, 0);
  EXPECT_EQ(db.query("SELECT a, b, c, total FROM item ORDER BY id"), db.pg() ? "1||5|2.5\n|3|1|\n2|2|2|0\n" : "1||5|2.5\n|3|1|\n2|2|2|0.0\n");
  // The new rule holds: this row passes the new check and failed the old one.
  db.query("INSERT INTO item (a, b, c) VALUES (1, 0, -1)");
  db.query("DELETE FROM item WHERE c = -1");
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  std::filesystem::remove(p.dir() / "migrations/versions/v2_v2.yaml");
  write_text(p.dir() / "models.yaml", models("(a > 0 OR b > 0) AND c > 0"));
  EXPECT_EQ(p.dbmig("check").code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM item"), "3\n");
}
DBMIG_DIALECTS(StoredSpellingTest);

TEST(StoredSpelling, AHandMadePostgresTableWithRewrittenExpressionsShowsNoDifference) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE TABLE item (id serial PRIMARY KEY, a integer, b integer, c integer DEFAULT (1 + 1), total float DEFAULT 0, "
           "CONSTRAINT ck_item_rule CHECK ((a > 0 or b > 0) and c > 0)); "
           "CREATE INDEX ix_item_a ON item (a) WHERE a > 0 and b is not null; "
           "INSERT INTO item (a, b, c) VALUES (1, 1, 1)");
  write_text(p.dir() / "models.yaml", models("(a > 0 OR b > 0) AND c > 0"));
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  // Nothing of the comparison is left behind in the database.
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_class WHERE relname LIKE '\\_dbmig\\_spell%'"), "0\n");
}

}  // namespace
