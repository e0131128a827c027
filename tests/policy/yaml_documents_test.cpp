// Tests of webhook/policy/yaml_documents.cpp.
// The documents of one file.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace windowguard::policy {
namespace {

TEST(PolicyLoader, EmptyDocumentsAreSkipped) {
  const LoadResult result = load_policy({{"p.yaml", "---\n---\n" + std::string(kHeader) + "---\n"}});
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(errors_of(result).empty());
}

}  // namespace
}  // namespace windowguard::policy
