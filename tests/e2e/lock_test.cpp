// A run that waits for another says who holds the lock, gives up after --lock-timeout, and a
// lock held by a killed process never blocks the next run.
#include "harness.hpp"

#include <thread>

using namespace dbmig::test;

namespace {
class Lock : public DialectTest {};
DBMIG_DIALECTS(Lock);
}  // namespace

TEST_P(Lock, WaitersNameTheHolderAndGiveUpAfterTheTimeout) {
  Project p(GetParam());
  bool pg = p.db().pg();
  // A revision that keeps the lock for a few seconds.
  std::string slow = pg ? "SELECT pg_sleep(4)"
                        : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 12000000) SELECT count(*) FROM c";
  p.revision("a1", "", "upgrade:\n  - execute: \"" + slow + "\"\ndowngrade: []\n");
  std::string dir = shell_quote(p.dir().string());
  std::map<std::string, std::string> env{{"TEST_DATABASE_URL", p.db().url()}};
  // The holder runs in the background; the waiter starts once the holder is inside its revision.
  auto r = sh("cd " + dir + " && (" DBMIG_BINARY " upgrade head > holder.out 2>&1; echo $? > holder.rc) & sleep 1; cd " + dir +
                  " && " DBMIG_BINARY " --no-color upgrade head --lock-timeout 0.5; echo \"rc=$?\"; wait",
              env);
  EXPECT_NE(r.out.find("rc=1"), std::string::npos) << r.out << r.err;
  auto err = lines(r.err);
  ASSERT_FALSE(err.empty());
  if (pg) {
    EXPECT_NE(r.err.find("INFO  [dbmig] Waiting for the migration lock on alembic_version held by pid "), std::string::npos) << r.err;
    EXPECT_NE(err.back().find("dbmig: error: could not get the migration lock on alembic_version within 0.5 seconds "
                              "(--lock-timeout); it is held by pid "),
              std::string::npos)
        << r.err;
    EXPECT_NE(err.back().find("(dbmig from 127.0.0.1, connected since "), std::string::npos) << r.err;
  } else {
    EXPECT_NE(r.err.find("INFO  [dbmig] Waiting for the write lock on "), std::string::npos) << r.err;
    EXPECT_NE(err.back().find("dbmig: error: could not get the write lock on " + p.db().url().substr(10) +
                              " within 0.5 seconds (--lock-timeout); another process is writing to it"),
              std::string::npos)
        << r.err;
  }
  EXPECT_EQ(read_text(p.dir() / "holder.rc"), "0\n") << read_text(p.dir() / "holder.out");
  EXPECT_EQ(p.db().versions(), std::vector<std::string>{"a1"});
}

TEST_P(Lock, AKilledHolderNeverBlocksTheNextRun) {
  Project p(GetParam());
  bool pg = p.db().pg();
  std::string slow = pg ? "SELECT pg_sleep(30)"
                        : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c";
  p.revision("a1", "", "upgrade:\n  - create_table: {name: t1, columns: [{name: id, type: integer, primary_key: true}]}\n"
                       "downgrade:\n  - drop_table: {name: t1}\n");
  p.revision("b2", "\"a1\"", "upgrade:\n  - execute: \"" + slow + "\"\ndowngrade: []\n");
  std::map<std::string, std::string> env{{"TEST_DATABASE_URL", p.db().url()}};
  auto r = sh("cd " + shell_quote(p.dir().string()) + " && " DBMIG_BINARY " upgrade head > holder.out 2>&1 & sleep 1; kill -9 $!; wait", env);
  // Nothing of the killed run stayed, and the next run is not blocked by its lock.
  EXPECT_EQ(p.db().tables(), std::vector<std::string>{});
  p.revision("b2", "\"a1\"", "upgrade: []\ndowngrade: []\n");
  r = p.dbmig("upgrade head --lock-timeout 5");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), std::vector<std::string>{"b2"});
}
