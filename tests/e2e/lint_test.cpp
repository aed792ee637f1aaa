// dbmig lint as a user runs it: by default the revisions the database has not applied, exit 1
// on an error-level finding, text / json / github output, lint_ignore, nothing written.
#include "harness.hpp"

using namespace dbmig::test;

namespace {
class Lint : public DialectTest {};
DBMIG_DIALECTS(Lint);

const char* kCreate =
    "upgrade:\n"
    "  - create_table: {name: t, columns: [{name: id, type: integer, primary_key: true}, {name: a, type: string(20)}]}\n"
    "  - create_index: {name: ix_t_a, table: t, columns: [a]}\n"
    "  - execute: \"INSERT INTO t (id, a) VALUES (1, 'x'), (2, NULL)\"\n"
    "downgrade:\n  - drop_table: {name: t}\n";
}  // namespace

TEST_P(Lint, DefaultRangeIsWhatTheDatabaseHasNotApplied) {
  Project p(GetParam());
  const bool pg = p.db().pg();
  p.revision("a1", "", kCreate);
  p.revision("b2", "\"a1\"",
             "upgrade:\n"
             "  - alter_column: {table: t, name: a, nullable: false, existing_type: string(20), existing_nullable: true}\n"
             "  - execute: \"CREATE INDEX ix_t_id ON t (id)\"\n"
             "downgrade: []\n");
  ASSERT_EQ(p.dbmig("upgrade a1").code, 0);
  const std::string before = p.db().catalog();
  std::map<std::string, std::string> env{{"TEST_DATABASE_URL", p.db().url()}};
  auto r = p.dbmig("--no-color lint", env);
  if (pg) {
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    // Only b2 is pending: a1's index on its own new table is fine.
    EXPECT_EQ(r.out.find("a1 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("b2_rev.yaml:5: error [set-not-null-scan] b2 alter_column t.a"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("b2_rev.yaml:6: error [index-not-concurrent] b2 execute: CREATE INDEX ix_t_id ON t (id)"),
              std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  lock: SHARE on \"t\": blocks INSERT, UPDATE and DELETE for the whole build"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  safe: create_index with concurrently: true"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("dbmig lint: 2 errors, 0 warnings in 1 revision"), std::string::npos) << r.err;
  } else {
    // SQLite: the NOT NULL change is a table rebuild (a warning); PostgreSQL's rules stay quiet.
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("b2_rev.yaml:5: warning [sqlite-table-rebuild] b2 alter_column t.a"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("index-not-concurrent"), std::string::npos) << r.out;
  }
  // lint changes nothing.
  EXPECT_EQ(p.db().catalog(), before);
  EXPECT_EQ(p.db().versions(), std::vector<std::string>{"a1"});
}

TEST_P(Lint, JsonGithubAndLintIgnore) {
  Project p(GetParam());
  if (!p.db().pg()) GTEST_SKIP() << "PostgreSQL rules";
  p.revision("a1", "", kCreate);
  p.revision("b2", "\"a1\"",
             "upgrade:\n"
             "  - create_index: {name: ix_t_id, table: t, columns: [id]}\n"
             "downgrade: []\n");
  auto r = p.dbmig("lint --all --format json");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("{\"findings\": [{\"rule\": \"index-not-concurrent\", \"level\": \"error\", \"revision\": \"b2\", "
                        "\"op\": \"create_index ix_t_id on t\", \"message\": ", 0), 0u) << r.out;
  EXPECT_EQ(lines(r.out).size(), 1u) << r.out;
  r = p.dbmig("lint --all --format github");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("::error file=migrations/versions/b2_rev.yaml"
                       ",line=5,title=dbmig lint index-not-concurrent (b2)::create_index ix_t_id on t: "),
            std::string::npos) << r.out;
  // Ignored per op, and per revision.
  p.revision("b2", "\"a1\"",
             "upgrade:\n"
             "  - create_index: {name: ix_t_id, table: t, columns: [id], lint_ignore: [index-not-concurrent]}\n"
             "downgrade: []\n");
  r = p.dbmig("lint --all");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no findings in 2 revisions"), std::string::npos) << r.err;
  p.revision("b2", "\"a1\"",
             "lint_ignore: [index-not-concurrent]\nupgrade:\n"
             "  - execute: \"CREATE INDEX ix_t_id ON t (id)\"\n"
             "downgrade: []\n");
  EXPECT_EQ(p.dbmig("lint b2").code, 0);
  // The concurrent form passes (and runs), here in a transactional: false revision.
  p.revision("b2", "\"a1\"",
             "transactional: false\nupgrade:\n"
             "  - create_index: {name: ix_t_id, table: t, columns: [id], concurrently: true}\n"
             "downgrade:\n  - drop_index: {name: ix_t_id, table: t, concurrently: true}\n");
  r = p.dbmig("lint a1:b2");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  ASSERT_EQ(p.dbmig("upgrade head").code, 0);
  EXPECT_EQ(p.db().query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_t_id'::regclass"), "t\n");
  EXPECT_EQ(p.db().query("SELECT count(*) FROM t"), "2\n");
  ASSERT_EQ(p.dbmig("downgrade a1").code, 0);
  EXPECT_EQ(p.db().query("SELECT count(*) FROM pg_class WHERE relname = 'ix_t_id'"), "0\n");
}

TEST_P(Lint, UnknownRuleInLintIgnoreIsAnError) {
  Project p(GetParam());
  p.revision("a1", "", "upgrade:\n  - drop_table: {name: t, lint_ignore: [drop-table]}\ndowngrade: []\n");
  auto r = p.dbmig("lint --all");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("dbmig: error: migrations/versions/a1_rev.yaml"
                       ":5: lint_ignore names no rule 'drop-table'"),
            std::string::npos) << r.err;
  EXPECT_EQ(p.dbmig("lint --all x1").code, 2);
}
