// Bounded DDL lock waits on PostgreSQL (SPEC 7.5): with a session holding a lock on the table,
// each DDL statement waits lock_timeout, is retried with a pause, succeeds once the lock is
// gone, and with too few retries fails cleanly naming the session that held the lock.
#include "harness.hpp"

using namespace dbmig::test;

namespace {

class LockTimeout : public ::testing::Test {
 protected:
  void SetUp() override {
    p_ = std::make_unique<Project>("postgresql");
    p_->revision("a1", "",
                 "upgrade:\n"
                 "  - create_table: {name: t, columns: [{name: id, type: integer, primary_key: true}, {name: a, type: text}]}\n"
                 "  - execute: \"INSERT INTO t (id, a) VALUES (1, 'x'), (2, NULL)\"\n"
                 "downgrade:\n  - drop_table: {name: t}\n");
    p_->revision("b2", "\"a1\"",
                 "upgrade:\n  - add_column: {table: t, column: {name: c, type: integer}}\n"
                 "downgrade:\n  - drop_column: {table: t, name: c}\n");
    ASSERT_EQ(p_->dbmig("upgrade a1").code, 0);
  }
  // Runs dbmig while a psql session (application_name lockholder) holds ACCESS SHARE on t for
  // `hold_seconds`; returns dbmig's result.
  Result upgrade_while_locked(int hold_seconds, const std::string& args) {
    std::string dir = shell_quote(p_->dir().string());
    std::string holder = "PGAPPNAME=lockholder psql -X -q " + shell_quote(p_->db().url()) + " -c " +
                         shell_quote("BEGIN; LOCK TABLE t IN ACCESS SHARE MODE; SELECT pg_sleep(" +
                                     std::to_string(hold_seconds) + "); COMMIT") +
                         " > /dev/null 2>&1";
    return sh("cd " + dir + " && (" + holder + " &) ; sleep 1; " DBMIG_BINARY " --no-color " + args + "; echo \"rc=$?\"",
              {{"TEST_DATABASE_URL", p_->db().url()}});
  }
  std::unique_ptr<Project> p_;
};

}  // namespace

TEST_F(LockTimeout, RetriesUntilTheLockIsGone) {
  // 0.5 s per try, pauses 0.25, 0.5, 1, 2 s: the 3 s hold ends within the 5 retries.
  auto r = upgrade_while_locked(3, "upgrade head --lock-timeout-ddl 0.5");
  EXPECT_NE(r.out.find("rc=0"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("WARN  [dbmig] Waited 0.5 s for the lock on t, held by pid "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(lockholder from "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("query: BEGIN; LOCK TABLE t IN ACCESS SHARE MODE;"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("; retry 1 of 5 in 0.25 s"), std::string::npos) << r.err;
  EXPECT_EQ(p_->db().versions(), std::vector<std::string>{"b2"});
  EXPECT_EQ(p_->db().query("SELECT id, a, c FROM t ORDER BY id"), "1|x|\n2||\n");
}

TEST_F(LockTimeout, TooFewRetriesFailCleanlyNamingTheHolder) {
  write_text(p_->dir() / "dbmig.yaml", read_text(p_->dir() / "dbmig.yaml") + "lock_timeout: 0.5\nlock_retries: 1\n");
  auto r = upgrade_while_locked(5, "upgrade head");
  EXPECT_NE(r.out.find("rc=1"), std::string::npos) << r.out << r.err;
  auto err = lines(r.err);
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.back().rfind("dbmig: error: revision b2 ", 0), 0u) << r.err;
  EXPECT_NE(err.back().find("upgrade op 1 add_column t.c: could not get the lock on t within 0.5 s (lock_timeout), tried 2 "
                            "times (lock_retries 1); it is held by pid "),
            std::string::npos) << r.err;
  EXPECT_NE(err.back().find("(lockholder from "), std::string::npos) << r.err;
  EXPECT_NE(err.back().find(", in transaction since "), std::string::npos) << r.err;
  EXPECT_NE(err.back().find("[SQL: ALTER TABLE \"t\" ADD COLUMN \"c\" INTEGER]"), std::string::npos) << r.err;
  // Nothing of b2 stayed.
  EXPECT_EQ(p_->db().versions(), std::vector<std::string>{"a1"});
  EXPECT_EQ(p_->db().query("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'c'"), "0\n");
  EXPECT_EQ(p_->db().query("SELECT count(*) FROM t"), "2\n");
}

TEST_F(LockTimeout, ConfigAndFlagAreChecked) {
  write_text(p_->dir() / "dbmig.yaml", read_text(p_->dir() / "dbmig.yaml") + "lock_timeout: soon\n");
  auto r = p_->dbmig("upgrade head", {{"TEST_DATABASE_URL", p_->db().url()}});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("dbmig.yaml:4: lock_timeout must be a number from 0 to 86400, not 'soon'"), std::string::npos) << r.err;
  EXPECT_EQ(p_->dbmig("upgrade head --lock-timeout-ddl -1").code, 2);
}
