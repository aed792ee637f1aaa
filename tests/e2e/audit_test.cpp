// dbmig_history: every applied, reverted or stamped revision, with the file's checksum; an
// applied file edited afterwards is named (a warning, an error with --strict).
#include "harness.hpp"

using namespace dbmig::test;

namespace {
class Audit : public DialectTest {};
DBMIG_DIALECTS(Audit);
}  // namespace

TEST_P(Audit, RecordsEveryStepAndNamesEditedFiles) {
  Project p(GetParam());
  auto& db = p.db();
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t1, columns: [{name: id, type: integer, primary_key: true}]}\n"
                       "downgrade:\n  - drop_table: {name: t1}\n");
  p.revision("b2", "\"a1\"", "upgrade:\n  - add_column: {table: t1, column: {name: v, type: integer}}\n"
                             "downgrade:\n  - drop_column: {table: t1, name: v}\n");
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  ASSERT_EQ(p.dbmig("downgrade -1").code, 0);
  ASSERT_EQ(p.dbmig("stamp b2").code, 0);
  auto sum = [&](const std::string& file) {
    return sh("sha256sum " + shell_quote((p.dir() / "migrations/versions" / file).string()) + " | cut -c1-64").out;
  };
  const std::string a1 = sum("a1_rev.yaml"), b2 = sum("b2_rev.yaml");
  EXPECT_EQ(db.query("SELECT revision, direction, checksum, dbmig_version FROM dbmig_history ORDER BY id"),
            "a1|upgrade|" + a1.substr(0, 64) + "|0.1.0\nb2|upgrade|" + b2.substr(0, 64) + "|0.1.0\nb2|downgrade|" +
                b2.substr(0, 64) + "|0.1.0\nb2|stamp|" + b2.substr(0, 64) + "|0.1.0\n");
  EXPECT_EQ(db.query("SELECT count(*) FROM dbmig_history WHERE finished_at >= started_at AND db_user <> ''"), "4\n");
  auto r = p.dbmig("history --applied");
  ASSERT_EQ(r.code, 0) << r.err;
  auto rows = lines(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;
  EXPECT_NE(rows[2].find("downgrade b2"), std::string::npos) << rows[2];
  EXPECT_NE(rows[0].find("sha256:" + a1.substr(0, 12)), std::string::npos) << rows[0];
  r = p.dbmig("--format json history --applied");
  EXPECT_NE(r.out.find("{\"applied\": [{\"revision\": \"a1\", \"direction\": \"upgrade\""), std::string::npos) << r.out;

  // Someone edits a1 after it was applied.
  auto path = p.dir() / "migrations/versions/a1_rev.yaml";
  write_text(path, read_text(path) + "# edited\n");
  p.revision("c3", "\"b2\"", "upgrade:\n  - create_table: {name: t3, columns: [{name: id, type: integer, primary_key: true}]}\n"
                             "downgrade:\n  - drop_table: {name: t3}\n");
  r = p.dbmig("upgrade head --strict");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "dbmig: error: revision a1 (migrations/versions/a1_rev.yaml) was edited after it was applied (sha256 then " +
                       a1.substr(0, 12) + ", now " + sum("a1_rev.yaml").substr(0, 12) + "); nothing was run (--strict)\n");
  EXPECT_EQ(db.versions(), std::vector<std::string>{"b2"});
  EXPECT_EQ(db.tables(), std::vector<std::string>{"t1"});
  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.err.find("WARN  [dbmig] revision a1 (migrations/versions/a1_rev.yaml) was edited after it was applied"),
            std::string::npos) << r.err;
  EXPECT_EQ(db.versions(), std::vector<std::string>{"c3"});
}
