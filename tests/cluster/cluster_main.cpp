// The cluster tests' main: gtest's, with the shared control plane set up
// before the first test and torn down after the last, whatever they did.
#include <gtest/gtest.h>

#include "cluster/cluster_environment.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(&windowguard::testing::ClusterEnvironment::shared());
  return RUN_ALL_TESTS();
}
