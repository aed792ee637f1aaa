// Extensions and sequences (SPEC §7.2) on PostgreSQL: created before the tables that use them and
// dropped after, altered in place, each step exactly reversed; left alone when the model does not
// declare the key.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

std::string models(const std::string& sequence) {
  return "extensions: [pgcrypto]\n"
         "sequences:\n  invoice_no: " + sequence + "\n"
         "tables:\n  invoice:\n    columns:\n"
         "      id: {type: uuid, primary_key: true, server_default: \"gen_random_uuid()\"}\n"
         "      no: {type: integer, server_default: \"nextval('invoice_no')\"}\n"
         "      note: {type: text}\n";
}

TEST(PostgresExtensionsAndSequences, CreatedAlteredAndDroppedInOrderWithRows) {
  Project p("postgresql");
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  const std::string base = db.schema_dump();
  migrate_upgrade_check(p, "v1", models("{start: 1000}"));
  auto text = read_text(p.dir() / "migrations/versions/v1_v1.yaml");
  EXPECT_LT(text.find("create_extension: {name: pgcrypto}"), text.find("create_sequence: {name: invoice_no, start: 1000"));
  EXPECT_LT(text.find("create_sequence"), text.find("create_table"));
  db.query("INSERT INTO invoice (note) VALUES ('a'), (NULL)");
  EXPECT_EQ(db.query("SELECT no, note FROM invoice ORDER BY no"), "1000|a\n1001|\n");
  const std::string v1 = db.schema_dump();

  migrate_upgrade_check(p, "v2", models("{start: 1000, increment: 10}"));
  EXPECT_NE(read_text(p.dir() / "migrations/versions/v2_v2.yaml")
                .find("alter_sequence: {name: invoice_no, start: 1000, increment: 10, existing: {start: 1000, increment: 1}}"),
            std::string::npos);
  db.query("INSERT INTO invoice (note) VALUES ('b')");
  EXPECT_EQ(db.query("SELECT no FROM invoice ORDER BY no"), "1000\n1001\n1011\n");  // numbers handed out stay

  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  EXPECT_EQ(db.schema_dump(), v1);
  EXPECT_EQ(db.query("SELECT count(*) FROM invoice"), "3\n");
  ASSERT_EQ(p.dbmig("downgrade base").code, 0);
  EXPECT_EQ(db.schema_dump(), base);
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'"), "0\n");
}

TEST(PostgresExtensionsAndSequences, UndeclaredKindsAreLeftAlone) {
  Project p("postgresql");
  auto& db = p.db();
  db.query("CREATE EXTENSION pgcrypto; CREATE SEQUENCE ticket_no START 5;"
           "CREATE TABLE t (id integer PRIMARY KEY, ticket integer DEFAULT nextval('ticket_no'));"
           "INSERT INTO t (id) VALUES (1), (2)");
  write_text(p.dir() / "models.yaml", "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true, autoincrement: false}\n"
                                      "      ticket: {type: integer, server_default: \"nextval('ticket_no'::regclass)\"}\n");
  auto r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  // Declared empty, they are the model's to drop.
  write_text(p.dir() / "models.yaml", "extensions: []\n" + read_text(p.dir() / "models.yaml"));
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("removed extension 'pgcrypto'"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("sequence"), std::string::npos) << r.out;
  EXPECT_EQ(db.query("SELECT ticket FROM t ORDER BY id"), "5\n6\n");
}

TEST(ModelExtensionsAndSequences, SqliteRejectsThemAndBadValuesNameTheLine) {
  Project p("sqlite");
  write_text(p.dir() / "models.yaml", "extensions: [pgcrypto]\ntables: {}\n");
  auto r = p.dbmig("migrate -m v1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig: error: models.yaml: extensions are PostgreSQL only"), std::string::npos) << r.err;
  write_text(p.dir() / "models.yaml", "sequences:\n  s: {start: ten}\ntables: {}\n");
  r = p.dbmig("migrate -m v1");
  EXPECT_NE(r.err.find("dbmig: error: models.yaml:2: sequence 's' start must be a whole number"), std::string::npos) << r.err;
  write_text(p.dir() / "models.yaml", "sequences:\n  s: {increment: 0}\ntables: {}\n");
  r = p.dbmig("migrate -m v1");
  EXPECT_NE(r.err.find("dbmig: error: models.yaml:2: sequence 's': increment cannot be 0"), std::string::npos) << r.err;
  EXPECT_TRUE(p.db().tables().empty());
}

}  // namespace
