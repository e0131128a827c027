#include "core/glob.hpp"

#include <gtest/gtest.h>

#include <string>

namespace windowguard::core {
namespace {

TEST(Glob, ALiteralPatternMatchesOnlyItself) {
  EXPECT_TRUE(glob_matches("system:kube-scheduler", "system:kube-scheduler"));
  EXPECT_FALSE(glob_matches("system:kube-scheduler", "system:kube-scheduler2"));
  EXPECT_FALSE(glob_matches("system:kube-scheduler", "system:kube-schedule"));
  EXPECT_FALSE(glob_matches("prod", std::string_view("prod\0x", 6)));  // no truncation at a NUL
  EXPECT_TRUE(glob_matches("", ""));
}

TEST(Glob, APrefixAndAStarMatchesEveryContinuation) {
  EXPECT_TRUE(glob_matches("system:node:*", "system:node:worker-1"));
  EXPECT_TRUE(glob_matches("system:node:*", "system:node:"));
  EXPECT_TRUE(glob_matches("prod-*", "prod-eu/1"));  // '*' crosses '/' without flags, as fnmatch
  EXPECT_FALSE(glob_matches("system:node:*", "system:nodes:worker-1"));
  EXPECT_FALSE(glob_matches("system:node:*", "system:node"));
  EXPECT_TRUE(glob_matches("*", ""));
}

TEST(Glob, OtherPatternsFollowFnmatch) {
  EXPECT_TRUE(glob_matches("prod-*-1", "prod-eu-1"));
  EXPECT_FALSE(glob_matches("prod-*-1", "prod-eu-2"));
  EXPECT_TRUE(glob_matches("team-?", "team-a"));
  EXPECT_FALSE(glob_matches("team-?", "team-ab"));
  EXPECT_TRUE(glob_matches("team-[ab]", "team-b"));
  EXPECT_FALSE(glob_matches("team-[ab]", "team-c"));
  EXPECT_TRUE(glob_matches("literal\\*", "literal*"));
  EXPECT_FALSE(glob_matches("literal\\*", "literally"));
  EXPECT_TRUE(glob_matches("*-canary", "checkout-canary"));
  EXPECT_FALSE(glob_matches("*-canary", "checkout-stable"));
}

TEST(Glob, LongTextIsMatchedWhole) {
  const std::string long_name = "a" + std::string(300, 'x') + "-canary";
  EXPECT_TRUE(glob_matches("a*-canary", long_name));
  EXPECT_FALSE(glob_matches("a*-stable", long_name));
  EXPECT_TRUE(glob_matches("a*?", long_name));
}

TEST(Glob, LiteralPrefixLength) {
  EXPECT_EQ(literal_prefix_length("prod-*"), 5U);
  EXPECT_EQ(literal_prefix_length("team-?"), 5U);
  EXPECT_EQ(literal_prefix_length("[ab]"), 0U);
  EXPECT_EQ(literal_prefix_length("a\\*"), 1U);
  EXPECT_EQ(literal_prefix_length("literal"), std::string_view::npos);
}

}  // namespace
}  // namespace windowguard::core
