// targets: in dbmig.yaml (SPEC §7.6): databases and tenant sets, in order, and what selects them.
#include <dbmig/config/config.hpp>
#include <dbmig/fleet/targets.hpp>
#include <dbmig/util/error.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

namespace {
std::string error_of(const std::string& yaml) {
  try {
    parse_config(yaml, "dbmig.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Targets, DatabasesAndTenantSetsInTheOrderWritten) {
  auto c = parse_config(
      "targets:\n"
      "  eu: postgresql://u@eu/app\n"
      "  us: {url: \"${US_URL:-sqlite:///us.db}\"}\n"
      "  tenants:\n"
      "    url: postgresql://u@t/app\n"
      "    schemas: \"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant_%'\"\n"
      "  listed: {url: postgresql://u@t/app, schemas: [a, b]}\n",
      "dbmig.yaml");
  ASSERT_EQ(c.targets.size(), 4u);
  EXPECT_EQ(c.targets[0].name, "eu");
  EXPECT_FALSE(c.targets[0].tenant_set);
  EXPECT_EQ(c.targets[1].url, "${US_URL:-sqlite:///us.db}");
  EXPECT_TRUE(c.targets[2].tenant_set);
  EXPECT_EQ(*c.targets[2].schemas_query, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant_%'");
  EXPECT_EQ(c.targets[3].schemas, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.targets[3].where, "dbmig.yaml:7");

  auto names = [&](const std::vector<std::string>& pick, bool all) {
    std::vector<std::string> out;
    for (const auto& t : select_targets(c, pick, all)) out.push_back(t.name + (t.schema.empty() ? "" : "@" + t.schema));
    return out;
  };
  // The order is that of targets:, whatever the order asked; a set's member runs in its schema.
  EXPECT_EQ(names({"listed/b", "us", "eu"}, false), (std::vector<std::string>{"eu", "us", "listed/b@b"}));
  EXPECT_EQ(names({"listed"}, false), (std::vector<std::string>{"listed/a@a", "listed/b@b"}));
  EXPECT_EQ(select_targets(c, {"us"}, false)[0].url, "sqlite:///us.db");
  EXPECT_THROW(select_targets(c, {"nope"}, false), UsageError);
  EXPECT_THROW(select_targets(c, {"eu/x"}, false), UsageError);
  EXPECT_THROW(select_targets(c, {"listed/c"}, false), UsageError);
  EXPECT_THROW(select_targets(parse_config("", "dbmig.yaml"), {}, true), UsageError);
}

TEST(Targets, MistakesNameTheLine) {
  EXPECT_EQ(error_of("targets: [a, b]\n"), "dbmig.yaml:1: targets must be a mapping");
  EXPECT_NE(error_of("targets:\n  a: {url: x, shemas: [a]}\n").find("dbmig.yaml:2: "), std::string::npos);
  EXPECT_NE(error_of("targets:\n  a: {schemas: [a]}\n").find("url"), std::string::npos);
  EXPECT_EQ(error_of("targets:\n  a/b: sqlite:///x.db\n"),
            "dbmig.yaml:2: target name 'a/b' must be non-empty, without '/' or spaces ('/' separates a tenant set from its schema)");
  EXPECT_EQ(error_of("targets:\n  t: {url: x, schemas: tenant_01}\n"),
            "dbmig.yaml:2: schemas of target 't' must be a list of schema names or a query (SELECT ...)");
  EXPECT_EQ(error_of("targets:\n  t: {url: x, schemas: [a, a]}\n"), "dbmig.yaml:2: schema 'a' is listed twice in target 't'");
}
