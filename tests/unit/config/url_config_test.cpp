#include <dbmig/config/config.hpp>
#include <dbmig/util/error.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace dbmig;

TEST(Url, SqliteForms) {
  EXPECT_EQ(parse_url("sqlite:///app.db").sqlite_path, "app.db");
  EXPECT_EQ(parse_url("sqlite:////var/data/app.db").sqlite_path, "/var/data/app.db");
  EXPECT_EQ(parse_url("sqlite:///:memory:").sqlite_path, ":memory:");
  EXPECT_EQ(parse_url("sqlite+pysqlite:///x.db").dialect, DialectKind::sqlite);
}

TEST(Url, PostgresFormsAndMasking) {
  auto u = parse_url("postgresql+psycopg2://app:s%40cret@db.example:6543/shop?sslmode=require");
  EXPECT_EQ(u.dialect, DialectKind::postgresql);
  EXPECT_EQ(u.user, "app");
  EXPECT_EQ(u.password, "s@cret");
  EXPECT_EQ(u.host, "db.example");
  EXPECT_EQ(u.port, "6543");
  EXPECT_EQ(u.dbname, "shop");
  EXPECT_EQ(u.params.at("sslmode"), "require");
  EXPECT_EQ(u.masked(), "postgresql+psycopg2://app:***@db.example:6543/shop?sslmode=require");
  EXPECT_EQ(parse_url("postgres://localhost/x").host, "localhost");
  EXPECT_EQ(parse_url("postgresql://u@/x").user, "u");
  EXPECT_EQ(parse_url("postgresql://u:pw@[::1]:5432/x").host, "::1");
}

TEST(Url, ErrorsNeverShowThePassword) {
  for (const char* bad : {"mysql://u:topsecret@h/d", "postgresql://u:topsecret@h:port/d", "nonsense"}) {
    try {
      parse_url(bad);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(redact("password=abc; abc", "abc"), "password=***; ***");
}

TEST(Config, ReadsKeysExpandsVariablesAndRejectsUnknownKeys) {
  auto dir = std::filesystem::temp_directory_path() / "dbmig_config_test";
  std::filesystem::create_directories(dir);
  auto file = dir / "dbmig.yaml";
  std::ofstream(file) << "database_url: ${DBMIG_T_URL}\nscript_location: db/migrations\nversion_table: my_versions\n"
                         "transaction_per_migration: true\nexclude_tables: [tmp_*]\n";
  setenv("DBMIG_T_URL", "sqlite:///x.db", 1);
  unsetenv("DBMIG_DATABASE_URL");
  auto c = load_config(file);
  EXPECT_EQ(c.version_table, "my_versions");
  EXPECT_TRUE(c.transaction_per_migration);
  EXPECT_EQ(c.script_dir(), dir / "db/migrations");
  EXPECT_EQ(c.exclude_tables, std::vector<std::string>{"tmp_*"});
  EXPECT_EQ(resolve_database_url(c, std::nullopt).sqlite_path, "x.db");
  EXPECT_EQ(resolve_database_url(c, std::string("sqlite:///flag.db")).sqlite_path, "flag.db");
  setenv("DBMIG_DATABASE_URL", "sqlite:///env.db", 1);
  EXPECT_EQ(resolve_database_url(c, std::nullopt).sqlite_path, "env.db");
  unsetenv("DBMIG_DATABASE_URL");
  unsetenv("DBMIG_T_URL");
  try {
    resolve_database_url(c, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("environment variable DBMIG_T_URL is not set"), std::string::npos);
  }
  std::ofstream(file) << "database_url: sqlite:///a.db\nscript_locaton: x\n";
  try {
    load_config(file);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("dbmig.yaml:2: unknown key 'script_locaton'"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(Url, AMalformedSchemeIsRejectedWithoutQuotingTheUrl) {
  // Found by fuzz_config: a password-looking part before "://" was printed back.
  const char* url = "postgresql+p:s@cret@//app:s%40cret@[::1]:54stgresql+psycopg2://app:s%40cret@[::1]:5432/x";
  try {
    parse_url(url);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("cret"), std::string::npos) << e.what();
  }
}
