// Online changes on PostgreSQL (SPEC 7.5): migrate --online writes the safe forms, upgrade runs
// them in phases with the rows kept, a run stopped between phases resumes where it stopped, and
// an invalid index left by a failed concurrent build is dropped and built again.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

// A revision file's path by its id prefix.
std::filesystem::path revision_file(const Project& p, const std::string& id) {
  for (const auto& e : std::filesystem::directory_iterator(p.dir() / "migrations" / "versions"))
    if (e.path().filename().string().rfind(id + "_", 0) == 0) return e.path();
  return {};
}

std::string constraints(Database& db, const std::string& table) {
  return db.query("SELECT conname, contype, convalidated FROM pg_constraint WHERE conrelid = '" + table +
                  "'::regclass ORDER BY 1");
}

std::string indexes(Database& db, const std::string& table) {
  return db.query("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                  "WHERE i.indrelid = '" + table + "'::regclass ORDER BY 1");
}

}  // namespace

TEST(Online, MigrateOnlineWritesTheSafeFormsAndUpgradeKeepsTheRows) {
  Project p("postgresql");
  auto& db = p.db();
  p.revision("a1", "",
             "upgrade:\n"
             "  - create_table: {name: team, columns: [{name: id, type: integer, primary_key: true}, {name: name, type: text}]}\n"
             "  - create_table: {name: member, columns: [{name: id, type: integer, primary_key: true}, {name: team_id, type: integer},\n"
             "      {name: email, type: text}, {name: code, type: text}, {name: age, type: integer}]}\n"
             "  - execute: \"INSERT INTO team (id, name) VALUES (1, 'x')\"\n"
             "  - execute: \"INSERT INTO member (id, team_id, email, code, age) VALUES (1, 1, 'a@x', 'c1', 30), (2, 1, NULL, 'c2', NULL), "
             "(3, NULL, NULL, 'c3', 5)\"\n"
             "downgrade:\n  - drop_table: {name: member}\n  - drop_table: {name: team}\n");
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  write_text(p.dir() / "models.yaml", R"Y(tables:
  team:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: text}
  member:
    columns:
      id: {type: integer, primary_key: true}
      team_id: {type: integer, foreign_key: team.id}
      email: {type: text, nullable: false, server_default: "'unknown'"}
      code: {type: text, unique: true}
      age: {type: integer, index: true}
      token: {type: uuid, server_default: gen_random_uuid()}
    checks:
      ck_member_age: "age >= 0"
)Y");
  auto r = p.dbmig("migrate --online -m online --rev-id b2");
  ASSERT_EQ(r.code, 0) << r.err;
  std::string file = read_text(revision_file(p, "b2"));
  for (const char* form : {"create_index: {name: ix_member_age, table: member, columns: [age], concurrently: true}",
                           "create_unique_constraint: {name: uq_member_code, table: member, columns: [code], concurrently: true}",
                           "not_valid: true}", "validate_constraint: {name: fk_member_team_id_team, table: member}",
                           "validate_constraint: {name: ck_member_age, table: member}",
                           "backfill: {table: member, column: email, value: \"'unknown'\"}",
                           "backfill: {table: member, column: token, value: gen_random_uuid()}",
                           "validate_constraint: {name: member_email_not_null_check, table: member}"})
    EXPECT_NE(file.find(form), std::string::npos) << form << "\n" << file;
  // What online autogenerate writes passes lint.
  r = p.dbmig("lint");
  EXPECT_EQ(r.code, 0) << r.out << r.err;

  r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Phase 2/"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" (outside a transaction): create_index ix_member_age on member"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Backfilled 2 rows of member.email in "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Backfilled 3 rows of member.token in "), std::string::npos) << r.err;
  EXPECT_EQ(db.versions(), std::vector<std::string>{"b2"});
  EXPECT_EQ(db.query("SELECT id, team_id, email, code, age, token IS NOT NULL FROM member ORDER BY id"),
            "1|1|a@x|c1|30|t\n2|1|unknown|c2||t\n3||unknown|c3|5|t\n");
  EXPECT_EQ(db.query("SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'member'::regclass AND attname IN ('email', 'token') "
                     "ORDER BY 1"),
            "email|t\ntoken|f\n");
  EXPECT_EQ(constraints(db, "member"), "ck_member_age|c|t\nfk_member_team_id_team|f|t\npk_member|p|t\nuq_member_code|u|t\n");
  EXPECT_EQ(indexes(db, "member"), "ix_member_age|t\npk_member|t\nuq_member_code|t\n");
  EXPECT_EQ(db.query("SELECT count(*) > 3 FROM dbmig_history WHERE revision = 'b2' AND direction = 'up-phase'"), "t\n");
  r = p.dbmig("check");
  EXPECT_EQ(r.code, 0) << r.out << r.err;

  r = p.dbmig("downgrade -1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(constraints(db, "member"), "pk_member|p|t\n");
  EXPECT_EQ(indexes(db, "member"), "pk_member|t\n");
  EXPECT_EQ(db.query("SELECT id, team_id, email, code, age FROM member ORDER BY id"),
            "1|1|a@x|c1|30\n2|1|unknown|c2|\n3||unknown|c3|5\n");
}

class OnlineResume : public ::testing::Test {
 protected:
  void SetUp() override {
    p_ = std::make_unique<Project>("postgresql");
    p_->revision("a1", "",
                 "upgrade:\n"
                 "  - create_table: {name: t, columns: [{name: id, type: integer, primary_key: true}, {name: v, type: integer}, "
                 "{name: code, type: text}]}\n"
                 "  - execute: \"INSERT INTO t (id, v, code) VALUES (1, 5, 'a'), (2, -1, 'a'), (3, NULL, 'b')\"\n"
                 "downgrade:\n  - drop_table: {name: t}\n");
    ASSERT_EQ(p_->dbmig("upgrade head").code, 0);
  }
  std::unique_ptr<Project> p_;
};

TEST_F(OnlineResume, ARunStoppedBetweenPhasesResumesWhereItStopped) {
  auto& db = p_->db();
  p_->revision("b2", "\"a1\"",
               "upgrade:\n"
               "  - create_check_constraint: {name: ck_t_v, table: t, sql: \"v >= 0\", not_valid: true}\n"
               "  - validate_constraint: {name: ck_t_v, table: t}\n"
               "  - create_index: {name: ix_t_v, table: t, columns: [v], concurrently: true}\n"
               "downgrade:\n"
               "  - drop_index: {name: ix_t_v, table: t, concurrently: true}\n"
               "  - drop_constraint: {name: ck_t_v, table: t, type: check}\n");
  auto r = p_->dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  auto err = lines(r.err);
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.back().rfind("dbmig: error: revision b2 ", 0), 0u) << r.err;
  EXPECT_NE(err.back().find("upgrade op 2 validate_constraint ck_t_v on t: "), std::string::npos) << r.err;
  EXPECT_NE(err.back().find("[SQL: ALTER TABLE \"t\" VALIDATE CONSTRAINT \"ck_t_v\"]"), std::string::npos) << r.err;
  // Phase 1 stayed, recorded; the revision is not.
  EXPECT_EQ(db.versions(), std::vector<std::string>{"a1"});
  EXPECT_EQ(constraints(db, "t"), "ck_t_v|c|f\npk_t|p|t\n");
  EXPECT_EQ(db.query("SELECT direction FROM dbmig_history WHERE revision = 'b2'"), "up-phase\n");

  db.query("UPDATE t SET v = 0 WHERE v < 0");
  r = p_->dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Resuming b2 at phase 2 of 3 (an earlier run stopped after phase 1)"), std::string::npos) << r.err;
  EXPECT_EQ(db.versions(), std::vector<std::string>{"b2"});
  EXPECT_EQ(constraints(db, "t"), "ck_t_v|c|t\npk_t|p|t\n");
  EXPECT_EQ(indexes(db, "t"), "ix_t_v|t\npk_t|t\n");
  EXPECT_EQ(db.query("SELECT id, v, code FROM t ORDER BY id"), "1|5|a\n2|0|a\n3||b\n");

  // Down and up again: a finished run leaves nothing to resume.
  ASSERT_EQ(p_->dbmig("downgrade a1").code, 0);
  EXPECT_EQ(constraints(db, "t"), "pk_t|p|t\n");
  r = p_->dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("Resuming"), std::string::npos) << r.err;
  EXPECT_EQ(constraints(db, "t"), "ck_t_v|c|t\npk_t|p|t\n");
}

TEST_F(OnlineResume, AnInvalidIndexFromAFailedConcurrentBuildIsBuiltAgain) {
  auto& db = p_->db();
  p_->revision("b2", "\"a1\"",
               "upgrade:\n  - create_unique_constraint: {name: uq_t_code, table: t, columns: [code], concurrently: true}\n"
               "downgrade:\n  - drop_constraint: {name: uq_t_code, table: t, type: unique}\n");
  auto r = p_->dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("upgrade op 1 create_index uq_t_code on t: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[SQL: CREATE UNIQUE INDEX CONCURRENTLY \"uq_t_code\" ON \"t\" (\"code\")]"), std::string::npos) << r.err;
  EXPECT_EQ(indexes(db, "t"), "pk_t|t\nuq_t_code|f\n");
  EXPECT_EQ(db.versions(), std::vector<std::string>{"a1"});

  db.query("UPDATE t SET code = 'c' WHERE id = 2");
  r = p_->dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Index uq_t_code is invalid (a concurrent build of it failed or was interrupted); dropping it"),
            std::string::npos) << r.err;
  EXPECT_EQ(indexes(db, "t"), "pk_t|t\nuq_t_code|t\n");
  EXPECT_EQ(constraints(db, "t"), "pk_t|p|t\nuq_t_code|u|t\n");
  EXPECT_EQ(db.query("SELECT id, v, code FROM t ORDER BY id"), "1|5|a\n2|-1|c\n3||b\n");
}

TEST_F(OnlineResume, OfflineScriptsCommitAroundConcurrentBuilds) {
  auto& db = p_->db();
  p_->revision("b2", "\"a1\"",
               "upgrade:\n"
               "  - create_check_constraint: {name: ck_t_id, table: t, sql: \"id > 0\", not_valid: true}\n"
               "  - validate_constraint: {name: ck_t_id, table: t}\n"
               "  - create_index: {name: ix_t_v, table: t, columns: [v], concurrently: true}\n"
               "  - backfill: {table: t, column: v, value: \"0\"}\n"
               "downgrade:\n"
               "  - drop_index: {name: ix_t_v, table: t, concurrently: true}\n"
               "  - drop_constraint: {name: ck_t_id, table: t, type: check}\n");
  auto r = p_->dbmig("upgrade a1:b2 --sql");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string& sql = r.out;
  size_t build = sql.find("CREATE INDEX CONCURRENTLY \"ix_t_v\"");
  ASSERT_NE(build, std::string::npos) << sql;
  EXPECT_GT(sql.rfind("COMMIT;", build), sql.rfind("BEGIN;", build)) << sql;  // outside any transaction
  EXPECT_NE(sql.find("UPDATE \"t\" SET \"v\" = 0 WHERE \"v\" IS NULL;"), std::string::npos) << sql;
  write_text(p_->dir() / "b2.sql", sql);
  auto run = db.client("-f " + shell_quote((p_->dir() / "b2.sql").string()));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(db.versions(), std::vector<std::string>{"b2"});
  EXPECT_EQ(indexes(db, "t"), "ix_t_v|t\npk_t|t\n");
  EXPECT_EQ(constraints(db, "t"), "ck_t_id|c|t\npk_t|p|t\n");
  EXPECT_EQ(db.query("SELECT id, v FROM t ORDER BY id"), "1|5\n2|-1\n3|0\n");
}

TEST(Online, SqliteRunsTheOnlineOpsInItsOneTransaction) {
  Project p("sqlite");
  auto& db = p.db();
  p.revision("a1", "",
             "upgrade:\n"
             "  - create_table: {name: t, columns: [{name: id, type: integer, primary_key: true}, {name: v, type: integer}, "
             "{name: code, type: text}]}\n"
             "  - execute: \"INSERT INTO t (id, v, code) VALUES (1, 5, 'a'), (2, NULL, 'b'), (3, NULL, NULL)\"\n"
             "downgrade:\n  - drop_table: {name: t}\n");
  p.revision("b2", "\"a1\"",
             "upgrade:\n"
             "  - backfill: {table: t, column: v, value: \"0\", batch_size: 1}\n"
             "  - create_check_constraint: {name: ck_t_v, table: t, sql: \"v >= 0\", not_valid: true}\n"
             "  - validate_constraint: {name: ck_t_v, table: t}\n"
             "  - create_unique_constraint: {name: uq_t_code, table: t, columns: [code], concurrently: true}\n"
             "  - create_index: {name: ix_t_v, table: t, columns: [v], concurrently: true}\n"
             "downgrade:\n"
             "  - drop_index: {name: ix_t_v, table: t, concurrently: true}\n"
             "  - drop_constraint: {name: uq_t_code, table: t, type: unique}\n"
             "  - drop_constraint: {name: ck_t_v, table: t, type: check}\n");
  auto r = p.dbmig("upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("Phase"), std::string::npos) << r.err;  // one transaction
  EXPECT_EQ(db.versions(), std::vector<std::string>{"b2"});
  EXPECT_EQ(db.query("SELECT id, v, code FROM t ORDER BY id"), "1|5|a\n2|0|b\n3|0|\n");
  EXPECT_EQ(db.query("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY 1"),
            "ix_t_v\n");
  EXPECT_NE(db.query("SELECT sql FROM sqlite_master WHERE name = 't'").find("CONSTRAINT \"uq_t_code\" UNIQUE"), std::string::npos);
  ASSERT_EQ(p.dbmig("downgrade a1").code, 0);
  EXPECT_EQ(db.query("SELECT id, v, code FROM t ORDER BY id"), "1|5|a\n2|0|b\n3|0|\n");
  EXPECT_EQ(db.query("SELECT sql FROM sqlite_master WHERE name = 't'").find("uq_t_code"), std::string::npos);
}
