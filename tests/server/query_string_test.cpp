// A request target's query string, as browsers and curl write it.
#include "server/query_string.hpp"

#include <gtest/gtest.h>

namespace windowguard::server {
namespace {

TEST(QueryString, FindsTheFirstPairOfTheNameDecoded) {
  EXPECT_EQ(query_value("environment=prod-%2A&days=7", "environment"), "prod-*");
  EXPECT_EQ(query_value("environment=prod-%2A&days=7", "days"), "7");
  EXPECT_EQ(query_value("q=a+b%20c", "q"), "a b c");
  EXPECT_EQ(query_value("days=7&days=9", "days"), "7");
  EXPECT_EQ(query_value("env%69ronment=x", "environment"), "x") << "the name is decoded too";
}

TEST(QueryString, TellsAnEmptyValueFromAnAbsentName) {
  EXPECT_EQ(query_value("flag&days=7", "flag"), "");
  EXPECT_EQ(query_value("flag=&days=7", "flag"), "");
  EXPECT_EQ(query_value("days=7", "flag"), std::nullopt);
  EXPECT_EQ(query_value("", "flag"), std::nullopt);
}

TEST(QueryString, KeepsAMalformedEscapeAsItIs) {
  EXPECT_EQ(query_value("q=100%", "q"), "100%");
  EXPECT_EQ(query_value("q=%zz", "q"), "%zz");
  EXPECT_EQ(query_value("q=%4", "q"), "%4");
}

}  // namespace
}  // namespace windowguard::server
