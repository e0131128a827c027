// Lists in words, as every message writes them.
#include "core/join.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace windowguard::core {
namespace {

TEST(Join, PutsTheSeparatorBetweenItemsOnly) {
  const std::vector<std::string> three{"a", "b", "c"};
  EXPECT_EQ(join(three), "a, b, c");
  EXPECT_EQ(join(three, ","), "a,b,c");
  EXPECT_EQ(join(std::vector<std::string>{"only"}), "only");
  EXPECT_EQ(join(std::vector<std::string>{}), "");
  std::string text = "windows: ";
  append_joined(text, three, "; ");
  EXPECT_EQ(text, "windows: a; b; c");
}

}  // namespace
}  // namespace windowguard::core
