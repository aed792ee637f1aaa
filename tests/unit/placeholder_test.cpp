#include <gtest/gtest.h>
#include <dbmig/url.hpp>
TEST(Url, MasksPassword) { EXPECT_EQ(dbmig::parse_url("postgresql://u:secret@h:5432/d").masked(), "postgresql://u:***@h:5432/d"); }
