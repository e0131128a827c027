// Writes to ImageApproval objects as the API server sends them: whole
// AdmissionReviews through evaluate_request, the webhook's one path.
#include <gtest/gtest.h>

#include "admission/admission_decision.hpp"
#include "policy/policy_loader.hpp"
#include "support/object_write_review.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::admission {
namespace {

using testing::utc;

const core::Instant kNow = utc("2026-12-05T18:00:00Z");

std::shared_ptr<const core::Policy> release_policy() {
  auto loaded = policy::load_policy({{"p.yaml", R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
approvals:
  - name: prod-release
    environments: ["payments-prod"]
    applications: [checkout]
    required: 2
    approvers: {superAdmins: false, users: [bob, carol], groups: [release-managers]}
)yaml"}});
  return loaded.value().policy;
}

constexpr const char* kImage = "registry.example.com/payments/checkout:2.3.1";

std::string spec(const std::string& more = "") {
  return R"({"requestedBy":"alice","application":"checkout","images":[")" + std::string(kImage) +
         R"("],"builtBy":"carol")" + more + "}";
}

std::string object(const std::string& spec_json, const std::string& approvals) {
  return R"({"apiVersion":"windowguard.dev/v1","kind":"ImageApproval","metadata":{"name":"checkout-2-3-1",)"
         R"("namespace":"payments-prod"},"spec":)" +
         spec_json + R"(,"status":{"approvals":[)" + approvals + "]}}";
}

std::string review(const char* operation, const char* sub_resource, const std::string& user, const std::string& groups,
                   const std::string& new_object, const std::string& old_object) {
  return testing::object_write_review({"ImageApproval", "imageapprovals", "checkout-2-3-1", "payments-prod"}, operation,
                                      sub_resource, user, groups, new_object, old_object);
}

AdmissionDecision decide(const std::string& body, const SourceImages& source = {}) {
  static const std::shared_ptr<const core::Policy> policy = release_policy();
  auto decoded = decode_review(body);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  return evaluate_request(*policy, decoded.value().request(), kNow, nullptr, ClusterFacts{.promotion_source = source});
}

std::string approval_by(const std::string& user, const std::string& groups = "") {
  return R"({"user":")" + user + R"(","at":"2026-12-05T18:01:00Z","groups":[)" + groups + "]}";
}

TEST(ImageApprovalAdmission, TheRequesterFilesARequestAndEligibleApproversApprove) {
  const std::string filed = object(spec(), "");
  const AdmissionDecision created = decide(review("CREATE", "", "alice", "", filed, ""));
  EXPECT_TRUE(created.allowed) << created.message;
  EXPECT_EQ(created.message, "request of ImageApproval payments-prod/checkout-2-3-1 is allowed");
  const std::string by_bob = object(spec(), approval_by("bob"));
  EXPECT_TRUE(decide(review("UPDATE", "status", "bob", "", by_bob, filed)).allowed);
  const std::string by_fay = object(spec(), approval_by("bob") + "," + approval_by("fay", R"("release-managers")"));
  const AdmissionDecision group_member =
      decide(review("UPDATE", "status", "fay", R"("release-managers")", by_fay, by_bob));
  EXPECT_TRUE(group_member.allowed) << group_member.message;
  const AdmissionDecision withdrawn = decide(review("UPDATE", "status", "bob", "", filed, by_bob));
  EXPECT_TRUE(withdrawn.allowed) << withdrawn.message;
}

TEST(ImageApprovalAdmission, ForgedRequestersSelfApprovalsBuildersAndStrangersAreRefused) {
  const std::string filed = object(spec(), "");
  EXPECT_EQ(decide(review("CREATE", "", "mallory", "", filed, "")).message,
            "spec.requestedBy \"alice\" must be you (\"mallory\"): an image approval is requested by the person who "
            "creates it");
  EXPECT_EQ(decide(review("UPDATE", "status", "alice", "", object(spec(), approval_by("alice")), filed)).message,
            "you requested these images: approvals rule \"prod-release\" needs the approval of someone else");
  EXPECT_EQ(decide(review("UPDATE", "status", "carol", "", object(spec(), approval_by("carol")), filed)).message,
            "you built these images: approvals rule \"prod-release\" needs the approval of someone else");
  EXPECT_EQ(decide(review("UPDATE", "status", "mallory", "", object(spec(), approval_by("mallory")), filed)).message,
            "you (\"mallory\") may not approve images under approvals rule \"prod-release\"; its approvers are bob, "
            "carol, members of release-managers");
  EXPECT_EQ(decide(review("UPDATE", "status", "mallory", "", object(spec(), approval_by("bob")), filed)).message,
            "the approval is for \"bob\", but you are \"mallory\": only your own approval may be added");
  const std::string by_bob = object(spec(), approval_by("bob"));
  EXPECT_EQ(decide(review("UPDATE", "status", "bob", "", object(spec(), approval_by("bob") + "," + approval_by("bob")),
                          by_bob))
                .message,
            "you (\"bob\") have approved this image approval already");
  EXPECT_EQ(decide(review("UPDATE", "", "alice", "", object(spec(R"(,"approvers":["dave"])"), ""), filed)).message,
            "the spec of an image approval cannot change: cancel it and request a new one");
  EXPECT_EQ(decide(review("CREATE", "", "alice", "", object(spec(), approval_by("bob")), "")).message,
            "a new image approval must have no approvals: approvers add theirs to its status");
}

TEST(ImageApprovalAdmission, ARequestNoRuleGovernsOrWithAnUnreadableImageIsRefused) {
  const std::string ledger = R"({"requestedBy":"alice","application":"ledger","images":["ledger:1"]})";
  EXPECT_EQ(decide(review("CREATE", "", "alice", "", object(ledger, ""), "")).message,
            "no approvals rule of the policy governs application \"ledger\" in \"payments-prod\": there is nothing "
            "to approve");
  const std::string upper = R"({"requestedBy":"alice","application":"checkout","images":["Checkout:1"]})";
  EXPECT_EQ(decide(review("CREATE", "", "alice", "", object(upper, ""), "")).message,
            "spec.images[0]: image \"Checkout:1\" is not a valid reference: repository name must be lowercase");
}

TEST(ImageApprovalAdmission, APromotionIsAcceptedOnlyForImagesThatRunInItsSourceNow) {
  const std::string promotion = object(spec(R"(,"promotedFrom":"payments-staging")"), "");
  const AdmissionDecision unread = decide(review("CREATE", "", "alice", "", promotion, ""));
  EXPECT_FALSE(unread.allowed);
  EXPECT_EQ(unread.message,
            "spec.promotedFrom \"payments-staging\": windowguard could not read what runs there (windowguard has no "
            "cluster access)");
  SourceImages running;
  running.images = core::RunningImages{{*core::parse_image_reference(kImage)}, {}};
  EXPECT_TRUE(decide(review("CREATE", "", "alice", "", promotion, ""), running).allowed);
  SourceImages other;
  other.images =
      core::RunningImages{{*core::parse_image_reference("registry.example.com/payments/checkout:2.3.0")}, {}};
  EXPECT_EQ(decide(review("CREATE", "", "alice", "", promotion, ""), other).message,
            "image registry.example.com/payments/checkout:2.3.1 does not run in \"payments-staging\" now: no "
            "workload of application \"checkout\" there names it in its pod template");
}

// A digest runs in the source when one of its Pods reports it: a template
// naming the tag vouches for no digest.
TEST(ImageApprovalAdmission, APromotedDigestRunsInTheSourceWhenAPodReportsIt) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  const std::string pinned = "registry.example.com/payments/checkout:2.3.1@" + digest;
  const std::string promotion = object(R"({"requestedBy":"alice","application":"checkout","images":[")" + pinned +
                                           R"("],"promotedFrom":"payments-staging"})",
                                       "");
  SourceImages tag_only;
  tag_only.images = core::RunningImages{{*core::parse_image_reference(kImage)}, {}};
  EXPECT_EQ(decide(review("CREATE", "", "alice", "", promotion, ""), tag_only).message,
            "image " + pinned +
                " does not run in \"payments-staging\" now: no Pod of application \"checkout\" there reports that "
                "digest, and no workload's pod template names it");
  SourceImages reported;
  reported.images =
      core::RunningImages{{*core::parse_image_reference(kImage)},
                          {*core::parse_image_reference("registry.example.com/payments/checkout@" + digest)}};
  EXPECT_TRUE(decide(review("CREATE", "", "alice", "", promotion, ""), reported).allowed);
}

TEST(ImageApprovalAdmission, OnlyItsPeopleMayCancelARequest) {
  const std::string filed = object(spec(), "");
  EXPECT_TRUE(decide(review("DELETE", "", "alice", "", "", filed)).allowed);
  const AdmissionDecision refused = decide(review("DELETE", "", "mallory", "", "", filed));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.message,
            "only its requester (\"alice\"), an approver of it or a super admin may cancel this image approval; you "
            "are \"mallory\"");
}

}  // namespace
}  // namespace windowguard::admission
