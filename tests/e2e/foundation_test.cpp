// init, revision, merge, stamp, current, heads, history, show: the foundation, end to end.
#include "harness.hpp"

#include <unistd.h>

#include <regex>

using namespace dbmig::test;
namespace fs = std::filesystem;

namespace {
using Vs = std::vector<std::string>;

class Foundation : public DialectTest {};
DBMIG_DIALECTS(Foundation);

const char* kEmpty = "upgrade: []\ndowngrade: []\n";
}  // namespace

TEST(Init, CreatesTheEnvironmentAndRefusesANonEmptyFolder) {
  auto dir = fs::temp_directory_path() / ("dbmig_init_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto r = sh("cd " + shell_quote(dir.string()) + " && " DBMIG_BINARY " init");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"dbmig.yaml", "models.yaml", "migrations/README", "migrations/script.yaml.tmpl"})
    EXPECT_TRUE(fs::is_regular_file(dir / f)) << f;
  EXPECT_TRUE(fs::is_directory(dir / "migrations/versions"));
  EXPECT_NE(read_text(dir / "dbmig.yaml").find("script_location: migrations"), std::string::npos);

  // A second init into the same, now non-empty folder changes nothing.
  write_text(dir / "migrations/versions/keep.yaml", "x");
  auto before = snapshot(dir);
  r = sh("cd " + shell_quote(dir.string()) + " && rm dbmig.yaml && " DBMIG_BINARY " init");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "dbmig: error: directory migrations already exists and is not empty\n");
  before.erase("dbmig.yaml");
  EXPECT_EQ(snapshot(dir), before);

  // init DIR names the folder in the configuration, and works from anywhere.
  r = sh("cd " + shell_quote(dir.string()) + " && " DBMIG_BINARY " init db/schema");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(dir / "dbmig.yaml").find("script_location: db/schema"), std::string::npos);
  EXPECT_TRUE(fs::is_regular_file(dir / "db/schema/script.yaml.tmpl"));
  fs::remove_all(dir);
}

TEST(Revision, WritesAFileFromTheTemplateThatReadsBack) {
  Project p("sqlite");
  auto r = p.dbmig("revision -m 'Create Users table!' --rev-id 0123456789");
  ASSERT_EQ(r.code, 0) << r.err;
  auto file = p.dir() / "migrations/versions/0123456789_create_users_table.yaml";
  EXPECT_EQ(r.out, "migrations/versions/0123456789_create_users_table.yaml\n");
  auto text = read_text(file);
  EXPECT_NE(text.find("revision: \"0123456789\"\n"), std::string::npos) << text;  // digits stay a string
  EXPECT_NE(text.find("down_revision: null\n"), std::string::npos);
  EXPECT_NE(text.find("message: \"Create Users table!\"\n"), std::string::npos) << text;
  r = p.dbmig("revision -m second --rev-id 5934965e0543");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(p.dir() / "migrations/versions/5934965e0543_second.yaml").find("down_revision: \"0123456789\""),
            std::string::npos);
  r = p.dbmig("history");
  EXPECT_EQ(r.out, "0123456789 -> 5934965e0543 (head), second\n<base> -> 0123456789, Create Users table!\n");
  // A random id is 12 hex digits.
  r = p.dbmig("revision -m third");
  ASSERT_EQ(r.code, 0);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("migrations/versions/[0-9a-f]{12}_third\\.yaml\n"))) << r.out;
}

TEST_P(Foundation, BranchMergeAndStampMoveTheVersionTable) {
  Project p(GetParam());
  auto& db = p.db();
  ASSERT_EQ(p.dbmig("revision -m one --rev-id aaa111").code, 0);
  ASSERT_EQ(p.dbmig("revision -m two --rev-id bbb222").code, 0);
  ASSERT_EQ(p.dbmig("revision -m three --rev-id ccc333").code, 0);
  EXPECT_EQ(p.dbmig("current").out, "");  // nothing applied yet
  EXPECT_EQ(db.tables(true), Vs{});  // reading created nothing, not even the file

  auto r = p.dbmig("stamp aaa");  // a prefix
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.versions(), Vs{"aaa111"});
  EXPECT_EQ(p.dbmig("current").out, "aaa111\n");
  ASSERT_EQ(p.dbmig("stamp head").code, 0);
  EXPECT_EQ(db.versions(), Vs{"ccc333"});
  EXPECT_EQ(p.dbmig("current").out, "ccc333 (head)\n");

  // A branch from bbb222 gives two heads.
  r = p.dbmig("revision -m branch --rev-id ddd444 --head bbb222");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bbb222 is not a head revision; use --splice"), std::string::npos) << r.err;
  ASSERT_EQ(p.dbmig("revision -m branch --rev-id ddd444 --head bbb222 --splice --branch-label feature").code, 0);
  EXPECT_EQ(p.dbmig("heads").out, "ccc333 (head)\nddd444 (feature) (head)\n");
  r = p.dbmig("stamp head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("Multiple head revisions are present (ccc333, ddd444); please specify 'heads'"), std::string::npos);
  EXPECT_EQ(db.versions(), Vs{"ccc333"});
  ASSERT_EQ(p.dbmig("stamp heads").code, 0);
  EXPECT_EQ(db.versions(), (Vs{"ccc333", "ddd444"}));
  EXPECT_EQ(p.dbmig("current").out, "ccc333 (head)\nddd444 (head)\n");
  EXPECT_EQ(p.dbmig("branches").out,
            "aaa111 -> bbb222 (branchpoint), two\n       -> ccc333 (head), three\n       -> ddd444 (feature) (head), branch\n");

  // Merge the two heads; stamping the merge leaves one row.
  r = p.dbmig("merge -m 'merge branches' heads --rev-id eee555");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(p.dir() / "migrations/versions/eee555_merge_branches.yaml").find("down_revision: [\"ccc333\", \"ddd444\"]"),
            std::string::npos);
  ASSERT_EQ(p.dbmig("stamp feature@head").code, 0);  // the merge is now the head of the feature branch
  EXPECT_EQ(db.versions(), Vs{"eee555"});
  ASSERT_EQ(p.dbmig("stamp eee555").code, 0);  // already there: no change
  EXPECT_EQ(db.versions(), Vs{"eee555"});
  r = p.dbmig("history");
  EXPECT_EQ(r.out,
            "ccc333, ddd444 -> eee555 (head) (mergepoint), merge branches\n"
            "bbb222 -> ddd444 (feature), branch\n"
            "bbb222 -> ccc333, three\n"
            "aaa111 -> bbb222 (branchpoint), two\n"
            "<base> -> aaa111, one\n");
  r = p.dbmig("history -r bbb222:ccc333");
  EXPECT_EQ(r.out, "bbb222 -> ccc333, three\naaa111 -> bbb222 (branchpoint), two\n");
  r = p.dbmig("--format json current");
  EXPECT_EQ(r.out, "{\"current\": [{\"revision\": \"eee555\", \"is_head\": true, \"message\": \"merge branches\"}]}\n");
  r = p.dbmig("--format json heads");
  EXPECT_NE(r.out.find("{\"heads\": [{\"revision\": \"eee555\", \"down_revisions\": [\"ccc333\", \"ddd444\"]"), std::string::npos) << r.out;
  r = p.dbmig("--format json history");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
  EXPECT_NE(r.out.find("\"revision\": \"aaa111\""), std::string::npos);
  r = p.dbmig("show ddd");
  EXPECT_NE(r.out.find("Rev: ddd444 (feature)\nParent: bbb222\nBranch names: feature\nPath: migrations/versions/ddd444_branch.yaml"),
            std::string::npos) << r.out;

  // Back down: stamp a revision on one branch, then base.
  ASSERT_EQ(p.dbmig("stamp bbb222").code, 0);
  EXPECT_EQ(db.versions(), Vs{"bbb222"});
  ASSERT_EQ(p.dbmig("stamp base").code, 0);
  EXPECT_EQ(db.versions(), Vs{});
  EXPECT_EQ(db.tables(true), (Vs{"alembic_version", "dbmig_history"}));
}

TEST_P(Foundation, ReadsADatabaseStampedByAlembic) {
  Project p(GetParam());
  ASSERT_EQ(p.dbmig("revision -m one --rev-id 1975ea83b712").code, 0);
  // Exactly what Alembic 1.8 creates and writes.
  p.db().query("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
               "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); "
               "INSERT INTO alembic_version (version_num) VALUES ('1975ea83b712')");
  EXPECT_EQ(p.dbmig("current").out, "1975ea83b712 (head)\n");
  ASSERT_EQ(p.dbmig("revision -m two --rev-id 27c6a30d7c24").code, 0);
  auto r = p.dbmig("stamp head");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), Vs{"27c6a30d7c24"});
}

TEST_P(Foundation, BadRevisionFilesGiveOneLineAndChangeNothing) {
  Project p(GetParam());
  p.revision("a1", "", kEmpty);
  p.revision("b2", "\"a1\"", kEmpty);
  ASSERT_EQ(p.dbmig("stamp head").code, 0);
  auto check = [&](const std::string& file_text, const std::string& expected, const std::string& args = "upgrade head") {
    write_text(p.dir() / "migrations/versions/zz_bad.yaml", file_text);
    auto before = snapshot(p.dir());
    auto r = p.dbmig(args);
    EXPECT_EQ(r.code, 1) << file_text;
    EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.rfind("dbmig: error: ", 0), 0u) << r.err;
    EXPECT_EQ(snapshot(p.dir()), before);
    EXPECT_EQ(p.db().versions(), Vs{"b2"});
    fs::remove(p.dir() / "migrations/versions/zz_bad.yaml");
  };
  check("revision: c3\ndown_revision: b2\nupgrade: [\ndowngrade: []\n", "zz_bad.yaml:5: invalid YAML");
  check("revision: c3\ndown_revision: b2\ncolour: red\nupgrade: []\ndowngrade: []\n",
        "zz_bad.yaml:3: unknown key 'colour' in revision file");
  check("revision: c3\ndown_revision: b2\nupgrade: []\n", "zz_bad.yaml:1: revision file is missing the required key 'downgrade'");
  check("revision: c3\ndown_revision: nope\nupgrade: []\ndowngrade: []\n",
        "zz_bad.yaml: down_revision 'nope' of revision c3 does not exist");
  check("revision: a1\ndown_revision: b2\nupgrade: []\ndowngrade: []\n", "duplicate revision id 'a1'");
  check("revision: c3\ndown_revision: b2\nupgrade:\n  - add_column: {table: t}\ndowngrade: []\n",
        "zz_bad.yaml:4: add_column is missing the required key 'column'");
  check("revision: c3\ndown_revision: b2\ndown_revision: a1\nupgrade: []\ndowngrade: []\n", "zz_bad.yaml:3: duplicate key 'down_revision'");
  // A cycle: a1 now points at b2.
  auto a1 = p.dir() / "migrations/versions/a1_rev.yaml";
  auto original = read_text(a1);
  write_text(a1, "revision: \"a1\"\ndown_revision: \"b2\"\nupgrade: []\ndowngrade: []\n");
  auto r = p.dbmig("history");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("the revision graph has a cycle"), std::string::npos) << r.err;
  write_text(a1, original);
  // Unknown and ambiguous targets.
  p.revision("b3", "\"a1\"", kEmpty);
  r = p.dbmig("stamp zzz");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "dbmig: error: Can't locate revision identified by 'zzz'\n");
  r = p.dbmig("stamp b");
  EXPECT_EQ(r.err, "dbmig: error: Revision prefix 'b' is ambiguous; it matches b2, b3\n");
  r = p.dbmig("upgrade head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("Multiple head revisions are present (b2, b3)"), std::string::npos);
  EXPECT_EQ(p.db().versions(), Vs{"b2"});
}

TEST(CommandLine, UsageErrorsExitTwoAndHelpReadsLikeAManual) {
  Project p("sqlite");
  auto r = p.dbmig("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("dbmig: error: ", 0), 0u);
  r = p.dbmig("revision");  // -m is required
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--message is required"), std::string::npos) << r.err;
  r = p.dbmig("--format xml current");
  EXPECT_EQ(r.code, 2);
  r = p.dbmig("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"upgrade", "downgrade", "stamp", "TARGETS", "EXIT STATUS", "EXAMPLES"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  r = p.dbmig("upgrade --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--sql"), std::string::npos);
  r = p.dbmig("upgrade a:b");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dbmig: error: a range FROM:TO is only accepted with --sql\n");
}

TEST(Database, UnreachableAndWrongPasswordGiveOneLineWithoutThePassword) {
  Project p("sqlite");
  p.revision("a1", "", kEmpty);
  const char* admin = std::getenv("DBMIG_TEST_PG_URL");
  ASSERT_NE(admin, nullptr) << "DBMIG_TEST_PG_URL is not set: run scripts/test.sh";
  std::string url = admin;
  // The same server with a wrong password.
  auto at = url.find('@');
  auto colon = url.rfind(':', at);
  std::string wrong = url.substr(0, colon + 1) + "Wr0ngSecretXyz" + url.substr(at);
  auto r = p.dbmig("--url " + shell_quote(wrong) + " stamp head");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("password authentication failed"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("Wr0ngSecretXyz"), std::string::npos);
  EXPECT_NE(r.err.find(":***@"), std::string::npos);
  // A port nobody listens on.
  r = p.dbmig("--url 'postgresql://u:Wr0ngSecretXyz@127.0.0.1:1/db' current");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("cannot connect to postgresql://u:***@127.0.0.1:1/db"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("Wr0ngSecretXyz"), std::string::npos);
  // A SQLite file in a folder that does not exist.
  r = p.dbmig("--url sqlite:////nonexistent/dir/x.db stamp head");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot open SQLite database '/nonexistent/dir/x.db'"), std::string::npos) << r.err;
  // Verbose logging never shows it either.
  r = p.dbmig("-vv --url " + shell_quote(wrong) + " current");
  EXPECT_EQ((r.out + r.err).find("Wr0ngSecretXyz"), std::string::npos);
}

TEST_P(Foundation, DependsOnAcrossBranchesPullsTheDependencyIn) {
  Project p(GetParam());
  ASSERT_EQ(p.dbmig("revision -m a --rev-id a1").code, 0);
  ASSERT_EQ(p.dbmig("revision -m b --rev-id b1 --head base --branch-label other").code, 0);
  auto r = p.dbmig("revision -m c --rev-id c1 --head a1 --depends-on other");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(p.dir() / "migrations/versions/c1_c.yaml").find("depends_on: \"b1\""), std::string::npos);
  EXPECT_EQ(p.dbmig("heads").out, "b1 (other) (head)\nc1 (head)\n");
  r = p.dbmig("upgrade c1");
  ASSERT_EQ(r.code, 0) << r.err;
  // b1 ran before c1 although it is on another branch, and both are recorded, as Alembic does.
  EXPECT_LT(r.err.find("-> b1, b"), r.err.find("a1 -> c1, c"));
  EXPECT_EQ(p.db().versions(), (Vs{"b1", "c1"}));
  r = p.dbmig("downgrade base");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.db().versions(), Vs{});
}
