// Tests of webhook/policy/image_rules_reader.cpp.
// The approvals: and imagePolicies: sections.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace windowguard::policy {
namespace {

const MalformedCase kMalformed[] = {
    {"approvals_and_image_policy_problems",
     std::string(kHeader) + R"yaml(approvals:
  - name: prod release
    environments: []
    required: 7
    expireAfter: 0s
    allowBuilderToApprove: perhaps
    approvers: {groups: [], colour: red}
  - name: r2
    required: 1
  - name: r2
    environments: [prod]
    promotedFrom: staging
imagePolicies:
  - name: images
    environments: [prod]
  - name: images2
    environments: [prod]
    pass: []
    fail:
      - {}
      - {tag: latest, digest: sha}
      - {colour: red}
)yaml",
     {R"(p.yaml:4:11: approvals rule name "prod release" must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)",
      R"(p.yaml:5:19: approvals rule "prod release" environments must not be an empty list)",
      R"(p.yaml:6:15: approvals rule "prod release" required must be a whole number between 0 and 6)",
      R"(p.yaml:9:29: unknown field "colour" in approvals rule "prod release" approvers; expected one of: superAdmins, users, groups)",
      R"(p.yaml:7:18: approvals rule "prod release" expireAfter must be more than 0s)",
      R"(p.yaml:8:28: approvals rule "prod release" allowBuilderToApprove must be true or false)",
      R"(p.yaml:10:5: approvals rule "r2" is missing the required field "environments")",
      R"(p.yaml:14:19: approvals rule "r2" promotedFrom must be a list, not a single value)",
      R"(p.yaml:16:5: image policy "images" must give pass or fail conditions)",
      R"(p.yaml:20:11: image policy "images2" pass must be a non-empty list of conditions)",
      R"(p.yaml:22:9: image policy "images2" fail condition 1 must give at least one of image, registry, repository, tag or digest)",
      R"(p.yaml:23:31: image policy "images2" fail condition 2 digest "sha" must be present, absent, or a pattern of algorithm:hex such as "sha256:*")",
      R"(p.yaml:24:10: unknown field "colour" in image policy "images2" fail condition 3; expected one of: image, registry, repository, tag, digest)",
      R"(p.yaml:12:11: approvals rule name "r2" is already used at p.yaml:10:11)"}},
};

INSTANTIATE_TEST_SUITE_P(ImageRulesReader, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoader, LoadsApprovalsRulesAndImagePoliciesWithTheirDefaults) {
  const LoadResult result = load_policy({{"p.yaml", std::string(kHeader) + R"yaml(approvals:
  - name: prod-release
    environments: ["prod-*"]
    applications: [checkout]
    required: 2
    promotedFrom: ["*-staging"]
    approvers: {superAdmins: false, users: [bob], groups: [release-managers]}
    expireAfter: 72h
    allowRequesterToApprove: true
    allowBuilderToApprove: true
    allowApproverToDeploy: true
  - name: defaults
    environments: [qa]
imagePolicies:
  - name: prod-images
    environments: ["prod-*"]
    pass:
      - {registry: registry.example.com, repository: "payments/*"}
    fail:
      - {tag: latest}
      - {digest: absent}
      - {image: "*:dev-*", digest: "sha256:*"}
      - {digest: present}
    message: Only release builds run in production.
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const core::ImageRules& rules = result->policy->image_rules();
  ASSERT_EQ(rules.approvals.size(), 2U);
  const core::ApprovalRule& rule = rules.approvals[0];
  EXPECT_EQ(rule.name, "prod-release");
  EXPECT_EQ(rule.environments, std::vector<std::string>{"prod-*"});
  EXPECT_EQ(rule.applications, std::vector<std::string>{"checkout"});
  EXPECT_EQ(rule.required, 2);
  EXPECT_EQ(rule.promoted_from, std::vector<std::string>{"*-staging"});
  EXPECT_FALSE(rule.approvers.super_admins);
  EXPECT_EQ(rule.approvers.users, std::vector<std::string>{"bob"});
  EXPECT_EQ(rule.approvers.groups, std::vector<std::string>{"release-managers"});
  EXPECT_EQ(rule.expire_after, core::hours{72});
  EXPECT_TRUE(rule.allow_requester_to_approve);
  EXPECT_TRUE(rule.allow_builder_to_approve);
  EXPECT_TRUE(rule.allow_approver_to_deploy);
  const core::ApprovalRule& defaults = rules.approvals[1];
  EXPECT_EQ(defaults.required, 1);
  EXPECT_TRUE(defaults.applications.empty());
  EXPECT_TRUE(defaults.promoted_from.empty());
  EXPECT_TRUE(defaults.approvers.super_admins);
  EXPECT_FALSE(defaults.expire_after.has_value());
  EXPECT_FALSE(defaults.allow_requester_to_approve || defaults.allow_builder_to_approve ||
               defaults.allow_approver_to_deploy);
  ASSERT_EQ(rules.image_policies.size(), 1U);
  const core::ImagePolicy& images = rules.image_policies[0];
  EXPECT_EQ(images.message, "Only release builds run in production.");
  ASSERT_EQ(images.pass.size(), 1U);
  EXPECT_EQ(images.pass[0].describe(), "{registry: registry.example.com, repository: payments/*}");
  ASSERT_EQ(images.fail.size(), 4U);
  EXPECT_EQ(images.fail[0].describe(), "{tag: latest}");
  EXPECT_EQ(images.fail[1].digest, core::DigestCondition::Absent);
  EXPECT_EQ(images.fail[2].describe(), "{image: *:dev-*, digest: sha256:*}");
  EXPECT_EQ(images.fail[3].digest, core::DigestCondition::Present);
}

}  // namespace
}  // namespace windowguard::policy
