// Deployment approvals and image policies: which added images an
// ImageApproval lets in, whose approvals count, and which images a policy
// refuses.  Fixed instants throughout.
#include "core/images/image_check.hpp"

#include <memory>
#include <variant>

#include <gtest/gtest.h>

#include "core/images/image_verdict_memo.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::core {
namespace {

using testing::utc;

const Instant kNow = utc("2026-12-07T10:00:00Z");
const std::string kDigest = "sha256:" + std::string(64, 'c');
constexpr std::string_view kCheckout = "registry.example.com/payments/checkout:2.3.1";

ApprovalRule prod_release(int required) {
  ApprovalRule rule;
  rule.name = "prod-release";
  rule.environments = {"prod-*"};
  rule.required = required;
  rule.approvers = People{false, {"bob", "dave"}, {"release-managers"}};
  return rule;
}

ImagePolicy prod_images() {
  ImagePolicy policy;
  policy.name = "prod-images";
  policy.environments = {"prod-*"};
  ImageCondition ours;
  ours.registry = "registry.example.com";
  policy.pass = {ours};
  ImageCondition latest;
  latest.tag = "latest";
  policy.fail = {latest};
  policy.message = "Only release builds run in production.";
  return policy;
}

Policy policy_with(ImageRules rules) { return Policy({}, {}, Settings{}, {}, std::move(rules)); }

ImageApproval request_for(std::vector<std::string_view> images, std::vector<Approval> approvals) {
  ImageApproval request;
  request.namespace_name = "prod-payments";
  request.name = "checkout-2-3-1";
  request.requested_by = "alice";
  request.application = "checkout";
  request.built_by = "carol";
  for (std::string_view image : images) {
    request.images.push_back(*parse_image_reference(image));
  }
  request.approvals = std::move(approvals);
  return request;
}

Approval approval_by(std::string user, Instant at = kNow - minutes{5}, std::vector<std::string> groups = {}) {
  return Approval{std::move(user), at, std::move(groups)};
}

struct Deploy {
  std::vector<std::string_view> images{kCheckout};
  std::vector<std::string_view> added{kCheckout};
  std::string_view username = "erin";
  std::string_view environment = "prod-payments";
  std::string_view application = "checkout";
};

ImageCheckInput input_of(const ImageApprovalBook* book, const Deploy& deploy, Instant at = kNow) {
  ImageCheckInput input;
  input.environment = deploy.environment;
  input.application = deploy.application;
  input.requester = Requester{deploy.username, {}};
  input.images = deploy.images;
  input.added = deploy.added;
  input.at = at;
  input.approvals = book;
  return input;
}

ImageVerdict check(const Policy& policy, const ImageApprovalBook* book, const Deploy& deploy = {}) {
  return check_images(policy, input_of(book, deploy));
}

TEST(ImageApprovalStanding, CountsApprovalsAndSaysWhoMayApprove) {
  const Policy policy = policy_with(ImageRules{{prod_release(2)}, {}});
  const ImageApprovalStanding pending = standing_of(policy, request_for({kCheckout}, {approval_by("bob")}), kNow);
  EXPECT_EQ(pending.approvals, 1);
  EXPECT_EQ(pending.required, 2);
  EXPECT_EQ(pending.state, "pending");
  EXPECT_EQ(pending.eligible, "bob, dave, members of release-managers");
  ImageApproval elsewhere = request_for({kCheckout}, {});
  elsewhere.namespace_name = "staging-payments";
  const ImageApprovalStanding ungoverned = standing_of(policy, elsewhere, kNow);
  EXPECT_EQ(ungoverned.state, "ungoverned");
  EXPECT_EQ(ungoverned.eligible, "nobody");
}

TEST(ImageCheck, AnImageNoRequestNamesIsUnapproved) {
  const Policy policy = policy_with({{prod_release(1)}, {}});
  const ImageApprovalBook book;
  const ImageVerdict verdict = check(policy, &book);
  EXPECT_TRUE(verdict.governed);
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  EXPECT_EQ(verdict.unapproved[0].image, kCheckout);
  EXPECT_EQ(verdict.unapproved[0].rule, "prod-release");
  EXPECT_EQ(verdict.unapproved[0].request, "");
  EXPECT_TRUE(std::holds_alternative<image_reasons::NoRequestNamesIt>(verdict.unapproved[0].reason));
}

TEST(ImageCheck, WithoutClusterAccessNoImageIsApproved) {
  const Policy policy = policy_with({{prod_release(0)}, {}});
  const ImageVerdict verdict = check(policy, nullptr);
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<image_reasons::NoClusterAccess>(verdict.unapproved[0].reason));
}

TEST(ImageCheck, OneEligibleApprovalLetsTheImageInAndIsNamedForTheAudit) {
  const Policy policy = policy_with({{prod_release(1)}, {}});
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("bob")})});
  const ImageVerdict verdict = check(policy, &book);
  EXPECT_TRUE(verdict.allowed());
  ASSERT_EQ(verdict.approved.size(), 1U);
  EXPECT_EQ(verdict.approved[0].image, kCheckout);
  EXPECT_EQ(verdict.approved[0].request, &book.all()[0]);
  EXPECT_EQ(verdict.approved[0].approvers, std::vector<std::string_view>{"bob"});
}

TEST(ImageCheck, TwoRequiredMeansOneIsNotEnoughAndTwoAre) {
  const Policy policy = policy_with({{prod_release(2)}, {}});
  const ImageApprovalBook one({request_for({kCheckout}, {approval_by("bob")})});
  const ImageVerdict verdict = check(policy, &one);
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  EXPECT_EQ(verdict.unapproved[0].approvals, 1);
  EXPECT_EQ(verdict.unapproved[0].required, 2);
  EXPECT_EQ(verdict.unapproved[0].request, "prod-payments/checkout-2-3-1");
  EXPECT_TRUE(std::holds_alternative<image_reasons::TooFewApprovals>(verdict.unapproved[0].reason));
  const ImageApprovalBook two({request_for({kCheckout}, {approval_by("bob"), approval_by("dave")})});
  EXPECT_TRUE(check(policy, &two).allowed());
}

TEST(ImageCheck, AnImageTwoRulesLetInIsNamedOnceWithTheApproversEitherCounted) {
  ApprovalRule by_fay = prod_release(1);
  by_fay.name = "prod-by-fay";
  by_fay.approvers = People{false, {"fay"}, {}};
  const Policy policy = policy_with({{prod_release(1), by_fay}, {}});
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("bob"), approval_by("fay")})});
  const ImageVerdict verdict = check(policy, &book);
  EXPECT_TRUE(verdict.allowed());
  ASSERT_EQ(verdict.approved.size(), 1U);
  EXPECT_EQ(verdict.approved[0].approvers, (std::vector<std::string_view>{"bob", "fay"}));
}

TEST(ImageCheck, RequiredZeroIsSatisfiedByTheRequestItself) {
  const Policy policy = policy_with({{prod_release(0)}, {}});
  const ImageApprovalBook book({request_for({kCheckout}, {})});
  EXPECT_TRUE(check(policy, &book).allowed());
}

TEST(ImageCheck, TheRequestersAndTheBuildersApprovalsCountOnlyWhereTheRuleAllows) {
  ApprovalRule rule = prod_release(1);
  rule.approvers.users = {"alice", "carol"};
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("alice"), approval_by("carol")})});
  EXPECT_FALSE(check(policy_with({{rule}, {}}), &book).allowed());
  ApprovalRule requester_may = rule;
  requester_may.allow_requester_to_approve = true;
  EXPECT_TRUE(check(policy_with({{requester_may}, {}}), &book).allowed());
  ApprovalRule builder_may = rule;
  builder_may.allow_builder_to_approve = true;
  EXPECT_TRUE(check(policy_with({{builder_may}, {}}), &book).allowed());
}

TEST(ImageCheck, GroupAndSuperAdminApproversCountByTheGroupsTheirApprovalRecorded) {
  ApprovalRule rule = prod_release(2);
  rule.approvers.super_admins = true;
  const ImageApprovalBook book(
      {request_for({kCheckout}, {approval_by("fay", kNow - minutes{1}, {"release-managers"}),
                                 approval_by("root", kNow - minutes{1}, {"system:masters"}), approval_by("mallory")})});
  const Policy policy = policy_with({{rule}, {}});
  EXPECT_TRUE(check(policy, &book).allowed());
  EXPECT_EQ(counted_approvers(policy, rule, book.all()[0], kNow), (std::vector<std::string_view>{"fay", "root"}));
}

TEST(ImageCheck, AnApprovalOlderThanExpireAfterNoLongerCounts) {
  ApprovalRule rule = prod_release(1);
  rule.expire_after = hours{72};
  const Policy policy = policy_with({{rule}, {}});
  const ImageApprovalBook fresh({request_for({kCheckout}, {approval_by("bob", kNow - hours{72} + seconds{1})})});
  EXPECT_TRUE(check(policy, &fresh).allowed());
  const ImageApprovalBook stale({request_for({kCheckout}, {approval_by("bob", kNow - hours{72})})});
  const ImageVerdict verdict = check(policy, &stale);
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  EXPECT_EQ(verdict.unapproved[0].approvals, 0);
}

// The verdict lasts until the first approval it weighed expires: of every
// request of the application naming the image, valid or not.
TEST(ImageCheck, AVerdictHoldsUntilTheFirstApprovalItWeighedExpires) {
  ApprovalRule rule = prod_release(2);
  rule.expire_after = hours{72};
  const Policy policy = policy_with({{rule}, {}});
  ImageApproval older = request_for({kCheckout}, {approval_by("bob", kNow - hours{70})});
  older.name = "checkout-1-older";  // weighed first, and not valid alone
  ImageApproval newer = request_for({kCheckout}, {approval_by("bob", kNow - hours{1}), approval_by("dave")});
  const ImageApprovalBook book({older, newer});
  const ImageVerdict verdict = check(policy, &book);
  EXPECT_TRUE(verdict.allowed());
  EXPECT_EQ(verdict.holds_until, kNow - hours{70} + hours{72});

  rule.expire_after.reset();
  EXPECT_EQ(check(policy_with({{rule}, {}}), &book).holds_until, Instant::max());
}

TEST(ImageVerdictMemo, ServesTheSameVerdictForTheSameDeployWithTheSameBook) {
  const Policy policy = policy_with({{prod_release(1)}, {prod_images()}});
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("bob")})});
  ImageVerdictMemo memo;
  const std::shared_ptr<const ImageVerdict> first = memo.check(policy, input_of(&book, {}));
  EXPECT_TRUE(first->allowed());
  EXPECT_EQ(memo.check(policy, input_of(&book, {}, kNow + hours{1})), first);
  // Any field of the input it reads makes another entry.
  const std::shared_ptr<const ImageVerdict> by_bob = memo.check(policy, input_of(&book, Deploy{.username = "bob"}));
  EXPECT_NE(by_bob, first);
  EXPECT_FALSE(by_bob->allowed());
  const Deploy rollout_of_known{.added = {}};
  EXPECT_TRUE(memo.check(policy, input_of(&book, rollout_of_known))->approved.empty());
}

// An approval that arrives or is withdrawn makes a new book; one that expires
// ends the verdict's span.  Never a stale answer.
TEST(ImageVerdictMemo, NeverServesAVerdictAfterAnApprovalArrivesIsWithdrawnOrExpires) {
  ApprovalRule rule = prod_release(1);
  rule.expire_after = hours{1};
  const Policy policy = policy_with({{rule}, {}});
  ImageVerdictMemo memo;
  const ImageApprovalBook pending({request_for({kCheckout}, {})});
  EXPECT_FALSE(memo.check(policy, input_of(&pending, {}))->allowed());
  const ImageApprovalBook approved({request_for({kCheckout}, {approval_by("bob", kNow - minutes{30})})});
  EXPECT_TRUE(memo.check(policy, input_of(&approved, {}))->allowed());
  EXPECT_TRUE(memo.check(policy, input_of(&approved, {}, kNow + minutes{29}))->allowed());
  EXPECT_FALSE(memo.check(policy, input_of(&approved, {}, kNow + minutes{30}))->allowed());
  // Asked about an earlier instant again, it checks afresh.
  EXPECT_TRUE(memo.check(policy, input_of(&approved, {}))->allowed());
  EXPECT_FALSE(memo.check(policy, input_of(&pending, {}))->allowed());
}

TEST(ImageVerdictMemo, ANewPolicyIsCheckedAfresh) {
  ImageVerdictMemo memo;
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("bob")})});
  const Policy one_required = policy_with({{prod_release(1)}, {}});
  EXPECT_TRUE(memo.check(one_required, input_of(&book, {}))->allowed());
  const Policy two_required = policy_with({{prod_release(2)}, {}});
  EXPECT_FALSE(memo.check(two_required, input_of(&book, {}))->allowed());
}

TEST(ImageCheck, AnApproverMayNotDeployWhatTheyApprovedUnlessTheRuleAllows) {
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("bob")})});
  const ImageVerdict verdict = check(policy_with({{prod_release(1)}, {}}), &book, Deploy{.username = "bob"});
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  const auto* approved_by_deployer = std::get_if<image_reasons::ApprovedByDeployer>(&verdict.unapproved[0].reason);
  ASSERT_NE(approved_by_deployer, nullptr);
  EXPECT_EQ(approved_by_deployer->deployer, "bob");
  ApprovalRule rule = prod_release(1);
  rule.allow_approver_to_deploy = true;
  EXPECT_TRUE(check(policy_with({{rule}, {}}), &book, Deploy{.username = "bob"}).allowed());
}

TEST(ImageCheck, ARuleWithPromotedFromCountsOnlyPromotionsFromAMatchingEnvironment) {
  ApprovalRule rule = prod_release(0);
  rule.promoted_from = {"*-staging"};
  const Policy policy = policy_with({{rule}, {}});
  const ImageApprovalBook direct({request_for({kCheckout}, {})});
  const ImageVerdict verdict = check(policy, &direct);
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  EXPECT_EQ(verdict.unapproved[0].request, "prod-payments/checkout-2-3-1");
  const auto* not_a_promotion = std::get_if<image_reasons::NotAPromotion>(&verdict.unapproved[0].reason);
  ASSERT_NE(not_a_promotion, nullptr);
  EXPECT_EQ(not_a_promotion->sources, std::vector<std::string>{"*-staging"});
  ImageApproval promoted = request_for({kCheckout}, {});
  promoted.promoted_from = "payments-staging";
  const ImageApprovalBook promotions({std::move(promoted)});
  EXPECT_TRUE(check(policy, &promotions).allowed());
}

// A digest approval approves that digest whatever tag stands beside it; a
// tag approval approves that tag only without a digest: a tag never vouches
// for what a digest pins, since any build of the repository could be pushed
// under an approved tag.
TEST(ImageCheck, AnApprovalApprovesExactlyTheReferenceItNames) {
  const Policy policy = policy_with({{prod_release(1)}, {}});
  const std::string by_digest = "registry.example.com/payments/checkout@" + kDigest;
  const ImageApprovalBook digest_book({request_for({by_digest}, {approval_by("bob")})});
  const std::string tagged_with_digest = "registry.example.com/payments/checkout:2.3.1@" + kDigest;
  const std::string other_digest = "registry.example.com/payments/checkout@sha256:" + std::string(64, 'd');
  EXPECT_TRUE(
      check(policy, &digest_book, Deploy{.images = {tagged_with_digest}, .added = {tagged_with_digest}}).allowed());
  EXPECT_FALSE(check(policy, &digest_book, Deploy{.images = {other_digest}, .added = {other_digest}}).allowed());
  EXPECT_FALSE(check(policy, &digest_book).allowed());  // a tag alone is not the digest approved
  const std::string other_tag_same_digest = "registry.example.com/payments/checkout:9.9.9@" + kDigest;
  EXPECT_TRUE(check(policy, &digest_book, Deploy{.images = {other_tag_same_digest}, .added = {other_tag_same_digest}})
                  .allowed());
  const ImageApprovalBook tag_book({request_for({kCheckout}, {approval_by("bob")})});
  EXPECT_FALSE(
      check(policy, &tag_book, Deploy{.images = {tagged_with_digest}, .added = {tagged_with_digest}}).allowed());
  EXPECT_TRUE(check(policy, &tag_book).allowed());
  constexpr std::string_view other_tag = "registry.example.com/payments/checkout:2.3.2";
  EXPECT_FALSE(check(policy, &tag_book, Deploy{.images = {other_tag}, .added = {other_tag}}).allowed());
  constexpr std::string_view mirror = "mirror.example.com/payments/checkout:2.3.1";
  EXPECT_FALSE(check(policy, &tag_book, Deploy{.images = {mirror}, .added = {mirror}}).allowed());
}

TEST(ImageCheck, OnlyAddedImagesNeedApprovalAndOnlyTheRequestsOfTheirApplicationAndNamespaceCount) {
  const Policy policy = policy_with({{prod_release(1)}, {}});
  const ImageApprovalBook book({request_for({kCheckout}, {approval_by("bob")})});
  constexpr std::string_view sidecar = "docker.io/istio/proxyv2:1.20.0";
  EXPECT_TRUE(check(policy, &book, Deploy{.images = {kCheckout, sidecar}, .added = {kCheckout}}).allowed());
  EXPECT_FALSE(check(policy, &book, Deploy{.application = "ledger"}).allowed());
  EXPECT_FALSE(check(policy, &book, Deploy{.environment = "prod-ledger"}).allowed());
  EXPECT_FALSE(check(policy, &book, Deploy{.environment = "staging"}).governed);
}

TEST(ImageCheck, TrustedRequestersAreNeverGoverned) {
  const ImageVerdict verdict = check(policy_with({{prod_release(1)}, {prod_images()}}), nullptr,
                                     Deploy{.username = "system:serviceaccount:kube-system:deployment-controller"});
  EXPECT_FALSE(verdict.governed);
  EXPECT_TRUE(verdict.allowed());
}

TEST(ImageCheck, AnImagePolicyRefusesByFailConditionFirstAndThenByMissingPass) {
  const Policy policy = policy_with({{}, {prod_images()}});
  constexpr std::string_view latest = "registry.example.com/payments/checkout:latest";
  constexpr std::string_view elsewhere = "docker.io/library/nginx:1.25";
  const ImageVerdict verdict = check(policy, nullptr, Deploy{.images = {kCheckout, latest, elsewhere}, .added = {}});
  ASSERT_EQ(verdict.refused.size(), 2U);
  EXPECT_EQ(verdict.refused[0].image, latest);
  const auto* fail = std::get_if<image_reasons::MatchesFailCondition>(&verdict.refused[0].reason);
  ASSERT_NE(fail, nullptr);
  EXPECT_EQ(fail->condition.tag, "latest");
  EXPECT_EQ(verdict.refused[0].message, "Only release builds run in production.");
  EXPECT_EQ(verdict.refused[1].image, elsewhere);
  EXPECT_TRUE(std::holds_alternative<image_reasons::MatchesNoPassCondition>(verdict.refused[1].reason));
  EXPECT_TRUE(check(policy, nullptr, Deploy{.images = {"nginx"}, .added = {}}).refused.size() == 1);
}

TEST(ImageCheck, AnUnreadableImageIsRefusedWithTheParsersReason) {
  const ImageVerdict verdict = check(policy_with({{prod_release(1)}, {prod_images()}}), nullptr,
                                     Deploy{.images = {"Registry/App"}, .added = {"Registry/App"}});
  ASSERT_EQ(verdict.refused.size(), 1U);
  const auto* refused = std::get_if<image_reasons::UnreadableImage>(&verdict.refused[0].reason);
  ASSERT_NE(refused, nullptr);
  EXPECT_NE(refused->error.find("must be lowercase"), std::string::npos);
  ASSERT_EQ(verdict.unapproved.size(), 1U);
  const auto* unapproved = std::get_if<image_reasons::UnreadableImage>(&verdict.unapproved[0].reason);
  ASSERT_NE(unapproved, nullptr);
  EXPECT_NE(unapproved->error.find("must be lowercase"), std::string::npos);
}

TEST(ImageCondition, EveryFieldGivenMustMatch) {
  const ImageReference image = *parse_image_reference("registry.example.com/payments/checkout:2.3.1@" + kDigest);
  ImageCondition condition;
  EXPECT_TRUE(condition.matches(image));
  condition.repository = "payments/*";
  condition.tag = "2.*";
  EXPECT_TRUE(condition.matches(image));
  condition.registry = "docker.io";
  EXPECT_FALSE(condition.matches(image));
  ImageCondition by_name;
  by_name.image = "registry.example.com/payments/*";
  EXPECT_TRUE(by_name.matches(image));
  ImageCondition digests;
  digests.digest = DigestCondition::Absent;
  EXPECT_FALSE(digests.matches(image));
  digests.digest = DigestCondition::Present;
  EXPECT_TRUE(digests.matches(image));
  digests.digest = DigestCondition::Matches;
  digests.digest_pattern = "sha512:*";
  EXPECT_FALSE(digests.matches(image));
  digests.digest_pattern = "sha256:*";
  EXPECT_TRUE(digests.matches(image));
  EXPECT_EQ(digests.describe(), "{digest: sha256:*}");
  EXPECT_EQ(condition.describe(), "{registry: docker.io, repository: payments/*, tag: 2.*}");
}

}  // namespace
}  // namespace windowguard::core
