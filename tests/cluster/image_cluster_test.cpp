// Deployment approvals against a real API server: a developer files an
// ImageApproval, release managers approve it with kubectl, and the webhook
// lets the image in within seconds, through its watch; promotions, expiry,
// cancelling and image policies as the API server's clients see them.
#include <gtest/gtest.h>

#include <date/date.h>

#include "cluster/cluster_helpers.hpp"

namespace windowguard::testing {
namespace {

const Identity kRita = Identity::user_with_certificate("rita", {"release-managers"});  // an eligible approver
const Identity kRob = Identity::user_with_certificate("rob", {"release-managers"});    // another one
const Identity kReleaseDeveloper = Identity::user_with_certificate("dev", {"release-managers"});

const char* const kDenied = "admission webhook \"windows.windowguard.dev\" denied the request";
const char* const kRefused = "admission webhook \"exceptions.windowguard.dev\" denied the request";

std::string image_request(const std::string& name, const std::string& ns, const std::string& image,
                          const std::string& more = "") {
  return "apiVersion: windowguard.dev/v1\nkind: ImageApproval\nmetadata: {name: " + name + ", namespace: " + ns +
         "}\nspec:\n  requestedBy: dev\n  application: web\n  images: [\"" + image + "\"]\n" + more;
}

CommandResult approve(const Identity& who, const std::string& name, const std::string& ns) {
  return windowguard_as(who, {"approve", "image", name, "-n", ns});
}

// Makes a release namespace where the developer may deploy and file requests.
class ImageApprovals : public Cluster {
 protected:
  static void file(const std::string& manifest) {
    const CommandResult filed = cluster().kubectl(kDeveloper, {"create", "-f", "-"}, manifest);
    ASSERT_EQ(filed.exit_code, 0) << output_of(filed);
  }
};

TEST_F(ImageApprovals, AnUnapprovedImageIsDeniedAndOneEligibleApprovalLetsItIn) {
  make_namespace("release-one");
  const std::string web = deployment("web", "release-one", 1, "registry.example.com/shop/web:2.0");
  const CommandResult unapproved = cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, web);
  EXPECT_NE(unapproved.err.find(kDenied), std::string::npos) << output_of(unapproved);
  EXPECT_NE(unapproved.err.find("Image registry.example.com/shop/web:2.0 needs an approval under approvals rule "
                                "\"release\": no ImageApproval of web in release-one names it. Request one with: "
                                "windowguard image request web-2-0 -n release-one --application web --image "
                                "registry.example.com/shop/web:2.0."),
            std::string::npos)
      << output_of(unapproved);

  ASSERT_NO_FATAL_FAILURE(
      file(image_request("web-2-0", "release-one", "registry.example.com/shop/web:2.0", "  builtBy: rob\n")));
  const CommandResult own = approve(kReleaseDeveloper, "web-2-0", "release-one");
  EXPECT_EQ(own.exit_code, 1) << output_of(own);
  EXPECT_NE(own.err.find("you requested these images"), std::string::npos) << output_of(own);
  const CommandResult builder = approve(kRob, "web-2-0", "release-one");
  EXPECT_EQ(builder.exit_code, 1) << output_of(builder);
  EXPECT_NE(builder.err.find("you built these images"), std::string::npos) << output_of(builder);
  const CommandResult approved = approve(kRita, "web-2-0", "release-one");
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
  const CommandResult deployed = deploy_until_allowed(web, 10s);
  EXPECT_EQ(deployed.exit_code, 0) << output_of(deployed);
  // kubectl's table, as docs/approvals.md shows it (but the age), once
  // windowguard has written the status columns.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  CommandResult table;
  do {
    std::this_thread::sleep_for(250ms);
    table = cluster().kubectl({"get", "iap", "-n", "release-one", "-o", "wide"});
  } while (table.out.find("approved") == std::string::npos && std::chrono::steady_clock::now() < deadline);
  std::string but_the_age = table.out.substr(0, table.out.find_last_of(' '));
  but_the_age.erase(but_the_age.find_last_not_of(' ') + 1);
  EXPECT_EQ(but_the_age,
            "NAME      APPLICATION   IMAGES                                  APPROVALS   STATE      PROMOTED-FROM   "
            "REQUESTED-BY   AGE\n"
            "web-2-0   web           [\"registry.example.com/shop/web:2.0\"]   1/1         approved                   "
            "dev")
      << output_of(table);

  // Scaling adds no image: it needs no approval.
  const CommandResult scaled =
      cluster().kubectl(kDeveloper, {"scale", "deployment", "web", "-n", "release-one", "--replicas=2"});
  EXPECT_EQ(scaled.exit_code, 0) << output_of(scaled);
  // Argo CD's identity deploys the approved image too (a second Deployment of the application).
  admin_apply(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: argocd-release}\n"
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n"
      "subjects: [{kind: ServiceAccount, name: argocd-application-controller, namespace: argocd}]\n");
  std::string canary = deployment("web", "release-one", 1, "registry.example.com/shop/web:2.0");
  canary.replace(canary.find("name: web\n"), 10, "name: web-canary\n");
  const CommandResult argo = cluster().kubectl(kArgoCd, {"apply", "-f", "-"}, canary);
  EXPECT_EQ(argo.exit_code, 0) << output_of(argo);
  // `latest` is refused by the image policy, approved or not.
  const CommandResult latest =
      cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, deployment("web", "release-one", 2, "nginx:latest"));
  EXPECT_NE(latest.err.find("Image nginx:latest is refused by image policy \"no-latest\": it matches the fail "
                            "condition {tag: latest}. Pin a version."),
            std::string::npos)
      << output_of(latest);
}

TEST_F(ImageApprovals, TwoRequiredApprovalsAreTwo) {
  make_namespace("release-two");
  ASSERT_NO_FATAL_FAILURE(file(image_request("web-3", "release-two", "registry.example.com/shop/web:3")));
  ASSERT_EQ(approve(kRita, "web-3", "release-two").exit_code, 0);
  const std::string web = deployment("web", "release-two", 1, "registry.example.com/shop/web:3");
  const CommandResult one = deploy_until_denied(web, 5s);
  EXPECT_NE(one.err.find("ImageApproval release-two/web-3 has 1 of 2 approvals"), std::string::npos) << output_of(one);
  ASSERT_EQ(approve(kRob, "web-3", "release-two").exit_code, 0);
  EXPECT_EQ(deploy_until_allowed(web, 10s).exit_code, 0);
  // windowguard keeps the Approvals and State columns, within a few seconds.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  CommandResult shown;
  do {
    std::this_thread::sleep_for(250ms);
    shown = cluster().kubectl({"get", "iap", "web-3", "-n", "release-two", "--no-headers", "-o",
                               "custom-columns=A:.status.approved,S:.status.state"});
  } while (shown.out.find("2/2") == std::string::npos && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(shown.out, "2/2   approved\n") << output_of(shown);
}

TEST_F(ImageApprovals, AnExpiredApprovalNoLongerCounts) {
  make_namespace("release-brief");
  ASSERT_NO_FATAL_FAILURE(file(image_request("web-4", "release-brief", "registry.example.com/shop/web:4")));
  ASSERT_EQ(approve(kRita, "web-4", "release-brief").exit_code, 0);
  const auto approved_at = std::chrono::steady_clock::now();
  const auto web_named = [](const std::string& name) {
    std::string web = deployment("web", "release-brief", 1, "registry.example.com/shop/web:4");
    return web.replace(web.find("name: web\n"), 10, "name: " + name + "\n");
  };
  EXPECT_EQ(deploy_until_allowed(web_named("web-a"), 10s).exit_code, 0);
  // expireAfter is 15 s: a new Deployment of the image, after it, is denied.
  std::this_thread::sleep_until(approved_at + 16s);
  const CommandResult expired = cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, web_named("web-b"));
  EXPECT_NE(expired.err.find("ImageApproval release-brief/web-4 has 0 of 1 approvals"), std::string::npos)
      << output_of(expired);
}

TEST_F(ImageApprovals, ACancelledRequestStopsCounting) {
  make_namespace("release-one");
  ASSERT_NO_FATAL_FAILURE(file(image_request("web-5", "release-one", "registry.example.com/shop/web:5")));
  ASSERT_EQ(approve(kRita, "web-5", "release-one").exit_code, 0);
  std::string web = deployment("web", "release-one", 1, "registry.example.com/shop/web:5");
  web.replace(web.find("name: web\n"), 10, "name: web-five\n");
  const CommandResult dry_run = [&] {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    CommandResult result;
    do {
      result = cluster().kubectl(kDeveloper, {"apply", "--dry-run=server", "-f", "-"}, web);
    } while (result.exit_code != 0 && std::chrono::steady_clock::now() < deadline &&
             (std::this_thread::sleep_for(250ms), true));
    return result;
  }();
  ASSERT_EQ(dry_run.exit_code, 0) << output_of(dry_run);
  const CommandResult cancelled = windowguard_as(kDeveloper, {"cancel", "image", "web-5", "-n", "release-one"});
  ASSERT_EQ(cancelled.exit_code, 0) << output_of(cancelled);
  const CommandResult denied = deploy_until_denied(web, 10s);
  EXPECT_NE(denied.err.find("no ImageApproval of web in release-one names it"), std::string::npos) << output_of(denied);
}

TEST_F(ImageApprovals, PromoteFilesARequestThatOnceApprovedLetsTheStagingImageIntoProduction) {
  make_namespace("release-staging");
  make_namespace("release-prod");
  const std::string image = "registry.example.com/shop/web:6";
  ASSERT_EQ(
      cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, deployment("web", "release-staging", 1, image)).exit_code, 0);
  // A request naming an image that does not run in its source is refused.
  const CommandResult forged = cluster().kubectl(
      kDeveloper, {"create", "-f", "-"},
      image_request("web-7", "release-prod", "registry.example.com/shop/web:7", "  promotedFrom: release-staging\n"));
  EXPECT_NE(forged.err.find(kRefused), std::string::npos) << output_of(forged);
  EXPECT_NE(forged.err.find("does not run in \"release-staging\" now"), std::string::npos) << output_of(forged);
  // A request that is no promotion does not count under a rule that asks for one.
  ASSERT_NO_FATAL_FAILURE(file(image_request("direct", "release-prod", image)));
  ASSERT_EQ(approve(kRita, "direct", "release-prod").exit_code, 0);
  const std::string production = deployment("web", "release-prod", 1, image);
  const CommandResult direct = deploy_until_denied(production, 5s);
  EXPECT_NE(direct.err.find("is not a promotion from an environment matching [release-staging]"), std::string::npos)
      << output_of(direct);

  const CommandResult promoted = windowguard_as(
      kDeveloper, {"promote", "--application", "web", "--from", "release-staging", "--to", "release-prod"});
  ASSERT_EQ(promoted.exit_code, 0) << output_of(promoted);
  EXPECT_NE(promoted.out.find("windowguard approve image web-6 -n release-prod"), std::string::npos)
      << output_of(promoted);
  ASSERT_EQ(approve(kRita, "web-6", "release-prod").exit_code, 0);
  EXPECT_EQ(deploy_until_allowed(production, 10s).exit_code, 0);

  const CommandResult listed = windowguard_as(kAdmin, {"requests", "-n", "release-prod", "--output", "json"});
  EXPECT_NE(listed.out.find(R"("kind":"ImageApproval","namespace":"release-prod","name":"web-6")"), std::string::npos)
      << output_of(listed);
  EXPECT_NE(listed.out.find(R"("promotedFrom":"release-staging")"), std::string::npos) << output_of(listed);
}

// The reproduction: an approval of a tag let any digest in beside it, and
// runtimes pull by digest.  Now a tag approval admits the tag alone.
TEST_F(ImageApprovals, ATagNeverVouchesForADigest) {
  make_namespace("release-one");
  ASSERT_NO_FATAL_FAILURE(file(image_request("web-1-1", "release-one", "registry.example.com/shop/web:1.1")));
  ASSERT_EQ(approve(kRita, "web-1-1", "release-one").exit_code, 0);
  const std::string any_digest = "@sha256:" + std::string(64, '9');
  const CommandResult pinned =
      deploy_until_denied(deployment("web", "release-one", 1, "registry.example.com/shop/web:1.1" + any_digest), 10s);
  EXPECT_NE(pinned.err.find("needs an approval under approvals rule \"release\""), std::string::npos)
      << output_of(pinned);
  EXPECT_EQ(
      deploy_until_allowed(deployment("web", "release-one", 1, "registry.example.com/shop/web:1.1"), 10s).exit_code, 0);
}

// No kubelet runs here: the test plays it, reporting each Pod's image digest.
// The source's Pods are bare ones of the application, beside its Deployment
// (scaled to 0): promote reads both, by the application's label.
TEST_F(ImageApprovals, PromoteRecordsTheDigestTheSourcesPodsReportAndOnlyThatDigestGetsIn) {
  make_namespace("release-staging");
  make_namespace("release-prod");
  const std::string image = "registry.example.com/shop/cart:3";
  const std::string digest = "sha256:" + std::string(64, 'c');
  admin_apply(deployment("cart", "release-staging", 0, image));
  const std::vector<std::string> pods{"cart-1", "cart-2"};
  for (const std::string& pod : pods) {
    admin_apply("apiVersion: v1\nkind: Pod\nmetadata: {name: " + pod +
                ", namespace: release-staging, labels: {app: cart}}\nspec:\n  containers:\n    - name: app\n"
                "      image: " +
                image + "\n");
    const CommandResult reported =
        cluster().kubectl({"patch", "pod", pod, "-n", "release-staging", "--subresource=status", "--type=merge", "-p",
                           R"({"status":{"containerStatuses":[{"name":"app","image":")" + image +
                               R"(","imageID":"registry.example.com/shop/cart@)" + digest +
                               R"(","ready":true,"restartCount":0,"state":{"running":{}}}]}})"});
    ASSERT_EQ(reported.exit_code, 0) << output_of(reported);
  }
  const CommandResult promoted = windowguard_as(
      kDeveloper, {"promote", "cart-3", "--application", "cart", "--from", "release-staging", "--to", "release-prod"});
  ASSERT_EQ(promoted.exit_code, 0) << output_of(promoted);
  const CommandResult recorded =
      cluster().kubectl({"get", "imageapproval", "cart-3", "-n", "release-prod", "-o", "jsonpath={.spec.images[0]}"});
  EXPECT_EQ(recorded.out, image + "@" + digest);
  ASSERT_EQ(approve(kRita, "cart-3", "release-prod").exit_code, 0);
  EXPECT_EQ(deploy_until_allowed(deployment("cart", "release-prod", 1, image + "@" + digest), 10s).exit_code, 0);
  for (const std::string& other : {image, image + "@sha256:" + std::string(64, 'd')}) {
    const CommandResult denied =
        cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, deployment("cart", "release-prod", 1, other));
    EXPECT_NE(denied.err.find("needs an approval under approvals rule \"release-promoted\""), std::string::npos)
        << other << ": " << output_of(denied);
  }
}

}  // namespace
}  // namespace windowguard::testing
