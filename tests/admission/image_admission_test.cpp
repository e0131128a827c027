// A deploy's images at admission: which images a template adds, and what
// the requester is told when approvals or image policies deny them, beside
// the windows.  Real kubectl-made reviews, fixed instants.
#include <gtest/gtest.h>

#include "admission/admission_decision.hpp"
#include "admission/template_images.hpp"
#include "objects/codec.hpp"
#include "policy/policy_loader.hpp"
#include "support/fixtures.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::admission {
namespace {

using testing::fixture;
using testing::replace_all;
using testing::utc;

const core::Instant kWednesday = utc("2024-05-08T12:00:00Z");

constexpr const char* kApprovalsPolicy = R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
approvals:
  - name: prod-release
    environments: ["prod-*"]
    approvers: {superAdmins: false, users: [bob]}
imagePolicies:
  - name: no-latest
    environments: ["prod-*"]
    fail:
      - {tag: latest}
    message: Pin a version
)yaml";

// kApprovalsPolicy and a blackout all day, every day, in prod-eu-1.
constexpr const char* kFrozenPolicy = R"yaml(windows:
  - name: freeze
    type: blackout
    durations:
      - daily: {from: "00:00", to: "23:59"}
bindings:
  - windows: [freeze]
    environments: [prod-eu-1]
)yaml";

std::shared_ptr<const core::Policy> load(const std::string& text) {
  auto loaded = policy::load_policy({{"p.yaml", text}});
  if (!loaded) {
    throw std::runtime_error(loaded.error().front().to_string());
  }
  return loaded->policy;
}

core::ImageApproval request_for(std::string_view image, std::vector<std::string> approvers) {
  core::ImageApproval request;
  request.namespace_name = "prod-eu-1";
  request.name = "api-1-26";
  request.requested_by = "carol@example.com";
  request.application = "api";
  request.images.push_back(*core::parse_image_reference(image));
  for (std::string& user : approvers) {
    request.approvals.push_back({std::move(user), kWednesday - core::minutes{3}, {}});
  }
  return request;
}

class ImageAdmission : public ::testing::Test {
 protected:
  AdmissionDecision decide(const std::string& body, const core::ImageApprovalBook* book, const core::Policy& policy) {
    decoded_ = std::make_unique<DecodedReview>(std::move(decode_review(body)).value());
    return evaluate_request(policy, decoded_->request(), kWednesday, nullptr, ClusterFacts{.image_approvals = book});
  }
  std::string annotation(const AdmissionDecision& decision, AuditKey key) {
    const std::string* value = decision.audit_annotations.find(key);
    return value != nullptr ? *value : "(none)";
  }

  std::shared_ptr<const core::Policy> policy_ = load(kApprovalsPolicy);
  std::unique_ptr<DecodedReview> decoded_;
};

TEST_F(ImageAdmission, TheImagesATemplateAddsAreThoseTheOldOneDidNotRun) {
  const std::string set_image = fixture("generated/deployment-set-image.json");
  auto decoded = decode_review(set_image);
  const TemplateImages images = template_images(classify(decoded->request(), core::Settings{}));
  EXPECT_EQ(std::vector<std::string_view>(images.images.begin(), images.images.end()),
            std::vector<std::string_view>{"nginx:1.26"});
  EXPECT_EQ(std::vector<std::string_view>(images.added.begin(), images.added.end()),
            std::vector<std::string_view>{"nginx:1.26"});
  const std::string with_sidecar = replace_all(set_image, R"("image": "nginx:1.26")",
                                               R"("image": "nginx:1.26"}, {"name": "proxy", "image": "envoy:v1")");
  auto decoded_sidecar = decode_review(with_sidecar);
  ASSERT_TRUE(decoded_sidecar) << decoded_sidecar.error().message;
  EXPECT_EQ(template_images(classify(decoded_sidecar->request(), core::Settings{})).images.size(), 2U);
  auto created = decode_review(fixture("generated/deployment-create.json"));
  const TemplateImages create_images = template_images(classify(created->request(), core::Settings{}));
  EXPECT_EQ(std::vector<std::string_view>(create_images.added.begin(), create_images.added.end()),
            std::vector<std::string_view>{"nginx:1.25"});
}

TEST_F(ImageAdmission, AnUnapprovedImageIsDeniedWithTheCommandThatRequestsIt) {
  const core::ImageApprovalBook book;
  const AdmissionDecision decision = decide(fixture("generated/deployment-set-image.json"), &book, *policy_);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.message,
            "deploy of Deployment prod-eu-1/api is denied by its images. Image nginx:1.26 needs an approval under "
            "approvals rule \"prod-release\": no ImageApproval of api in prod-eu-1 names it. Request one with: "
            "windowguard image request api-1-26 -n prod-eu-1 --application api --image nginx:1.26.");
  EXPECT_EQ(annotation(decision, AuditKey::Decision), "denied");
  EXPECT_EQ(annotation(decision, AuditKey::UnapprovedImages), "nginx:1.26");
}

TEST_F(ImageAdmission, ARequestWithTooFewApprovalsNamesItsCountAndTheApproveCommand) {
  const core::ImageApprovalBook book({request_for("docker.io/library/nginx:1.26", {})});
  const AdmissionDecision decision = decide(fixture("generated/deployment-set-image.json"), &book, *policy_);
  EXPECT_FALSE(decision.allowed);
  EXPECT_NE(decision.message.find("ImageApproval prod-eu-1/api-1-26 has 0 of 1 approvals. An approver adds theirs "
                                  "with: windowguard approve image api-1-26 -n prod-eu-1."),
            std::string::npos)
      << decision.message;
}

TEST_F(ImageAdmission, AnApprovedImageIsAllowedAndTheAuditNamesItsApproval) {
  const core::ImageApprovalBook book({request_for("docker.io/library/nginx:1.26", {"bob"})});
  const AdmissionDecision decision = decide(fixture("generated/deployment-set-image.json"), &book, *policy_);
  EXPECT_TRUE(decision.allowed) << decision.message;
  EXPECT_EQ(annotation(decision, AuditKey::ImageApprovals), "nginx:1.26 by prod-eu-1/api-1-26 (approved by bob)");
}

TEST_F(ImageAdmission, AnImagePolicyRefusesLatestWithItsMessage) {
  const core::ImageApprovalBook book({request_for("nginx:latest", {"bob"})});
  const std::string latest =
      replace_all(fixture("generated/deployment-set-image.json"), R"("image": "nginx:1.26")", R"("image": "nginx")");
  const AdmissionDecision decision = decide(latest, &book, *policy_);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.message,
            "deploy of Deployment prod-eu-1/api is denied by its images. Image nginx is refused by image policy "
            "\"no-latest\": it matches the fail condition {tag: latest}. Pin a version.");
  EXPECT_EQ(annotation(decision, AuditKey::RefusedImages), "nginx (no-latest)");
}

// An image no approval could let in gets no suggestion to request one.
TEST_F(ImageAdmission, ARefusedImageIsNotSuggestedForApproval) {
  const core::ImageApprovalBook book;
  const std::string latest =
      replace_all(fixture("generated/deployment-set-image.json"), R"("image": "nginx:1.26")", R"("image": "nginx")");
  const AdmissionDecision decision = decide(latest, &book, *policy_);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.message,
            "deploy of Deployment prod-eu-1/api is denied by its images. Image nginx needs an approval under "
            "approvals rule \"prod-release\": no ImageApproval of api in prod-eu-1 names it. Image nginx is refused by "
            "image policy \"no-latest\": it matches the fail condition {tag: latest}. Pin a version.");
  EXPECT_EQ(decision.message.find("windowguard image request"), std::string::npos);
}

TEST_F(ImageAdmission, ScalingNeedsNoApproval) {
  const core::ImageApprovalBook book;
  EXPECT_TRUE(decide(fixture("generated/deployment-scale-to-zero.json"), &book, *policy_).allowed);
  EXPECT_TRUE(decide(fixture("generated/deployment-rollout-restart.json"), &book, *policy_).allowed);
}

TEST_F(ImageAdmission, ADenialNamesTheWindowAndTheImagesAlike) {
  const auto frozen = load(std::string(kApprovalsPolicy) + kFrozenPolicy);
  const core::ImageApprovalBook book;
  const AdmissionDecision decision = decide(fixture("generated/deployment-set-image.json"), &book, *frozen);
  EXPECT_FALSE(decision.allowed);
  EXPECT_NE(decision.message.find("is blocked by blackout window \"freeze\""), std::string::npos) << decision.message;
  EXPECT_NE(decision.message.find("Image nginx:1.26 needs an approval"), std::string::npos) << decision.message;
  EXPECT_EQ(annotation(decision, AuditKey::Window), "freeze");
  EXPECT_EQ(annotation(decision, AuditKey::UnapprovedImages), "nginx:1.26");
}

// A window's exempt lifts windows only: an exempt developer's unapproved
// image is still denied, and the response carries no "allowed because
// exempt" warning.
TEST_F(ImageAdmission, AnExemptionFromTheWindowsLiftsNoApproval) {
  const auto exempt = load(std::string(kApprovalsPolicy) +
                           replace_all(kFrozenPolicy, "      - daily: {from: \"00:00\", to: \"23:59\"}\n",
                                       "      - daily: {from: \"00:00\", to: \"23:59\"}\n"
                                       "    exempt: {groups: [developers]}\n"));
  const core::ImageApprovalBook book;
  const AdmissionDecision decision = decide(fixture("generated/deployment-set-image.json"), &book, *exempt);
  EXPECT_FALSE(decision.allowed);
  EXPECT_TRUE(decision.warnings.empty()) << decision.warnings.front();
  EXPECT_EQ(annotation(decision, AuditKey::BypassedWindows), "(none)");
  EXPECT_EQ(annotation(decision, AuditKey::UnapprovedImages), "nginx:1.26");
}

TEST_F(ImageAdmission, ARollbackToAnImageStillApprovedIsAllowed) {
  const core::ImageApprovalBook book({request_for("nginx:1.25", {"bob"})});
  const std::string rollback =
      replace_all(replace_all(replace_all(fixture("generated/deployment-set-image.json"), "nginx:1.26", "NEW"),
                              "nginx:1.25", "nginx:1.26"),
                  "NEW", "nginx:1.25");
  EXPECT_TRUE(decide(rollback, &book, *policy_).allowed);
}

}  // namespace
}  // namespace windowguard::admission
