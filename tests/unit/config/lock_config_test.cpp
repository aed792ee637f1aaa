// dbmig.yaml's lock_timeout (seconds), lock_retries (a count) and online, SPEC 7.5.
#include <dbmig/config/config.hpp>
#include <dbmig/util/error.hpp>
#include <gtest/gtest.h>

using namespace dbmig;

TEST(LockConfig, DefaultsAndValues) {
  auto c = parse_config("script_location: migrations\n", "dbmig.yaml");
  EXPECT_EQ(c.lock_timeout, 2);
  EXPECT_EQ(c.lock_retries, 5);
  c = parse_config("lock_timeout: 0.5\nlock_retries: 0\n", "dbmig.yaml");
  EXPECT_EQ(c.lock_timeout, 0.5);
  EXPECT_EQ(c.lock_retries, 0);
  EXPECT_FALSE(c.online);
  EXPECT_TRUE(parse_config("online: true\n", "dbmig.yaml").online);
}

TEST(LockConfig, BadValuesNameTheLine) {
  for (const char* text : {"lock_timeout: -1\n", "lock_timeout: soon\n", "lock_retries: 1.5\n", "online: soon\n"}) {
    try {
      parse_config(std::string("script_location: m\n") + text, "dbmig.yaml");
      ADD_FAILURE() << "no error for " << text;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("dbmig.yaml:2: ", 0), 0u) << e.what();
    }
  }
}
