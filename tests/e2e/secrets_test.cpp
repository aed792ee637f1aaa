// The password of the database URL appears in no output, log line or written file, whether the
// command succeeds or fails.
#include "harness.hpp"

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {
std::string password_of(const std::string& url) {
  auto at = url.find('@');
  auto colon = url.rfind(':', at);
  return url.substr(colon + 1, at - colon - 1);
}

void expect_nowhere(const Project& p, const Result& r, const std::string& secret, const std::string& what) {
  EXPECT_EQ(r.out.find(secret), std::string::npos) << what << " stdout: " << r.out;
  EXPECT_EQ(r.err.find(secret), std::string::npos) << what << " stderr: " << r.err;
  for (const auto& [file, content] : snapshot(p.dir()))
    EXPECT_EQ(content.find(secret), std::string::npos) << what << " wrote it into " << file;
}
}  // namespace

TEST(Secrets, NoCommandShowsThePassword) {
  Project p("postgresql");
  const std::string url = p.db().url();
  const std::string secret = password_of(url);
  ASSERT_GE(secret.size(), 8u);
  write_text(p.dir() / "models.yaml", "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n");
  const std::string wrong = url.substr(0, url.rfind(':', url.find('@')) + 1) + "Wr0ng" + secret + url.substr(url.find('@'));
  const char* commands[] = {
      "migrate -m one --rev-id a1", "check", "upgrade --dry-run", "upgrade head", "current --verbose", "history --applied",
      "heads", "branches", "history --verbose", "show a1", "revision -m two --rev-id b2", "upgrade --sql a1:b2", "upgrade head",
      "stamp a1", "stamp heads", "downgrade base", "downgrade --sql b2:base", "merge -m m a1 b2", "--format json current",
      "upgrade head --lock-timeout 1", "stamp --purge base"};
  for (const char* c : commands) {
    // Succeeding (or failing on its own terms), with every debug line on.
    auto r = p.dbmig("-vv --url " + shell_quote(url) + " " + c);
    expect_nowhere(p, r, secret, std::string("with the right password: ") + c);
    // The wrong password, through the environment this time.
    r = p.dbmig(std::string("-vv ") + c, {{"DBMIG_DATABASE_URL", wrong}});
    expect_nowhere(p, r, secret, std::string("with the wrong password: ") + c);
  }
  // A failing statement, with the URL in dbmig.yaml through ${VAR}.
  p.revision("c3", "\"a1\"", "upgrade:\n  - execute: \"SELECT * FROM no_such_table\"\ndowngrade: []\n");
  auto r = p.dbmig("-vv upgrade c3", {{"TEST_DATABASE_URL", url}});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no_such_table"), std::string::npos);
  expect_nowhere(p, r, secret, "a failing statement");
  // And the URL as shown is masked.
  r = p.dbmig("-v --url " + shell_quote(wrong) + " current");
  EXPECT_NE(r.err.find(":***@127.0.0.1"), std::string::npos) << r.err;
}
