// Domains (SPEC §7.2) on PostgreSQL: created before the tables whose columns use them, their
// checks and defaults compared as the server stores them, altered in place (default, NOT NULL,
// checks by name), each step exactly reversed, with rows; left alone when the model has no
// 'domains' key.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

const char* kFilm =
    "tables:\n  film:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
    "      released: {type: year}\n      code: {type: code}\n";

TEST(PostgresDomains, CreatedAlteredAndDroppedWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  const std::string base = db.schema_dump();
  migrate_upgrade_check(p, "v1", std::string(kFilm) +
                                     "domains:\n  year: {type: integer, check: \"VALUE >= 1901 AND VALUE <= 2155\"}\n"
                                     "  code: {type: string(10), server_default: \"'none'\"}\n");
  auto text = read_text(p.dir() / "migrations/versions/v1_v1.yaml");
  EXPECT_LT(text.find("create_domain: {name: year, type: integer, check: "), text.find("create_table"));
  db.query("INSERT INTO film VALUES (1, 2000, 'a'), (2, NULL, NULL); INSERT INTO film (id) VALUES (3)");
  EXPECT_EQ(db.query("SELECT id, released, code FROM film ORDER BY id"), "1|2000|a\n2||\n3||none\n");
  EXPECT_NE(db.client("-c \"INSERT INTO film VALUES (4, 1800, 'x')\"").err.find("violates check constraint \"year_check\""),
            std::string::npos);
  const std::string at_v1 = db.schema_dump();

  // The check widens, the default changes, a NOT NULL domain with a named check is added.
  migrate_upgrade_check(p, "v2", std::string(kFilm) +
                                     "domains:\n  year: {type: integer, check: \"VALUE BETWEEN 1800 AND 2200\"}\n"
                                     "  code: {type: string(10), server_default: \"'n/a'\"}\n"
                                     "  positive: {type: integer, nullable: false, checks: {positive_gt0: \"VALUE > 0\"}}\n");
  text = read_text(p.dir() / "migrations/versions/v2_v2.yaml");
  EXPECT_NE(text.find("alter_domain: {name: year, type: integer, check: "), std::string::npos) << text;
  EXPECT_NE(text.find("alter_domain: {name: code, type: "), std::string::npos) << text;
  EXPECT_NE(text.find("create_domain: {name: positive, type: integer, nullable: false, checks: {positive_gt0: "), std::string::npos) << text;
  db.query("INSERT INTO film VALUES (4, 1850, 'b'); INSERT INTO film (id) VALUES (5)");
  EXPECT_EQ(db.query("SELECT id, released, code FROM film ORDER BY id"), "1|2000|a\n2||\n3||none\n4|1850|b\n5||n/a\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_type WHERE typname = 'positive' AND typnotnull"), "1\n");

  db.query("DELETE FROM film WHERE id = 4");  // 1850 would break the narrower check again
  auto r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.schema_dump(), at_v1);
  EXPECT_EQ(db.query("SELECT id, released, code FROM film ORDER BY id"), "1|2000|a\n2||\n3||none\n5||n/a\n");
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.schema_dump(), base);
}

TEST(PostgresDomains, UndeclaredDomainsAreLeftAloneAndSqliteRejectsThem) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE DOMAIN rating AS smallint CHECK (VALUE BETWEEN 1 AND 5);"
           "CREATE TABLE t (id integer PRIMARY KEY, r smallint); INSERT INTO t VALUES (1, 5), (2, NULL)");
  // A column of an undeclared domain could not be written (its type would be unknown): this one
  // is used by no column.
  const std::string model = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
                            "      r: {type: smallinteger}\n";
  write_text(p.dir() / "models.yaml", model);
  auto r = p.dbmig("check --verbose");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("domain rating"), std::string::npos) << r.out;
  write_text(p.dir() / "models.yaml", model + "domains:\n  rating: {type: smallinteger, check: \"value >= 1 and value <= 5\"}\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // BETWEEN and >= AND <= are stored alike
  write_text(p.dir() / "models.yaml", model + "domains:\n  rating: {type: smallinteger, check: \"value >= 0 and value <= 5\"}\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("changed domain 'rating'"), std::string::npos) << r.out;
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), "2\n");

  Project s("sqlite");
  write_text(s.dir() / "models.yaml", "tables: {}\ndomains:\n  year: {type: integer}\n");
  r = s.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: domains are PostgreSQL only"), std::string::npos) << r.err;
}

}  // namespace
