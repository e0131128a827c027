// windowguard in front of a real kube-apiserver and controller manager,
// driven by the real kubectl as the people and controllers that use a
// cluster: what each of them is told, and what reaches the webhook.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "cluster/cluster_helpers.hpp"

namespace windowguard::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(Cluster, EveryGovernedActionOnADeploymentIsDeniedDuringAFreeze) {
  make_namespace("frozen");
  // The super-admin is exempt: allowed, and told so.
  const CommandResult created = cluster().kubectl(
      {"apply", "-f", "-"}, deployment("web", "frozen", 2) + "---\n" + deployment("idle", "frozen", 0));
  ASSERT_EQ(created.exit_code, 0) << output_of(created);
  EXPECT_NE(created.err.find("Warning: windowguard: deploy allowed only because you are exempt from blackout window "
                             "\"change-freeze\""),
            std::string::npos)
      << output_of(created);
  // A second revision for rollout undo.
  ASSERT_EQ(cluster().kubectl({"set", "image", "deployment/web", "app=nginx:1.26", "-n", "frozen"}).exit_code, 0);
  const std::string deploy_words = "deploy of Deployment frozen/web is blocked by blackout window \"change-freeze\"";
  const std::vector<GovernedRow> rows{
      {"create",
       {"create", "deployment", "api", "--image=nginx", "-n", "frozen"},
       "api",
       {"failed to create deployment", "deploy of Deployment frozen/api is blocked", "Production is frozen.",
        "Exempt: members of system:masters; group sre-oncall."}},
      {"set image",
       {"set", "image", "deployment/web", "app=nginx:1.27", "-n", "frozen"},
       "web",
       {"failed to patch image update to pod template", deploy_words}},
      {"rollout restart",
       {"rollout", "restart", "deployment/web", "-n", "frozen"},
       "web",
       {"restart of Deployment frozen/web is blocked"}},
      {"rollout undo", {"rollout", "undo", "deployment/web", "-n", "frozen"}, "web", {deploy_words}},
      {"scale 2 to 0",
       {"scale", "deployment/web", "--replicas=0", "-n", "frozen"},
       "web",
       {"hibernate of Deployment frozen/web is blocked"}},
      {"scale 2 to 0 by a patch on the scale subresource",
       {"patch", "deployment/web", "-n", "frozen", "--subresource=scale", "--type=merge", "-p",
        R"({"spec":{"replicas":0}})"},
       "web",
       {"hibernate of Deployment frozen/web is blocked"}},
      {"replicas 2 to 0 on the Deployment",
       {"patch", "deployment/web", "-n", "frozen", "--type=merge", "-p", R"({"spec":{"replicas":0}})"},
       "web",
       {"hibernate of Deployment frozen/web is blocked"}},
      {"scale 0 to 2",
       {"scale", "deployment/idle", "--replicas=2", "-n", "frozen"},
       "idle",
       {"unhibernate of Deployment frozen/idle is blocked"}},
      {"scale 0 to 2 by a patch on the scale subresource",
       {"patch", "deployment/idle", "-n", "frozen", "--subresource=scale", "--type=merge", "-p",
        R"({"spec":{"replicas":2}})"},
       "idle",
       {"unhibernate of Deployment frozen/idle is blocked"}},
      {"server-side dry run",
       {"create", "deployment", "dry", "--image=nginx", "-n", "frozen", "--dry-run=server"},
       "dry",
       {"deploy of Deployment frozen/dry is blocked"}},
      {"delete",
       {"delete", "deployment/web", "-n", "frozen", "--wait=false"},
       "web",
       {"delete of Deployment frozen/web is blocked"}},
  };
  for (const GovernedRow& row : rows) {
    expect_denied_and_reviewed(row);
  }
  const CommandResult still =
      cluster().kubectl({"get", "deployment/web", "-n", "frozen", "-o",
                         "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"});
  EXPECT_EQ(still.out, "2 nginx:1.26");
}

TEST_F(Cluster, ChangesThatAreNotGovernedPassWithoutAReview) {
  make_namespace("frozen-calm");
  admin_apply(deployment("calm", "frozen-calm", 2) + "---\n" + deployment("asleep", "frozen-calm", 0));
  const std::vector<std::vector<std::string>> allowed{
      {"scale", "deployment/calm", "--replicas=3", "-n", "frozen-calm"},
      {"annotate", "deployment/calm", "owner=team-a", "-n", "frozen-calm"},
      {"label", "deployment/calm", "tier=front", "-n", "frozen-calm"},
      {"rollout", "pause", "deployment/calm", "-n", "frozen-calm"},
  };
  for (const auto& arguments : allowed) {
    const CommandResult result = cluster().kubectl(kDeveloper, arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments[0] << ": " << output_of(result);
  }
  // The autoscaler is trusted: its scale from 0 goes through, even in a freeze.
  // (Its role may update a scale subresource, not read the Deployment.)
  const CommandResult autoscaled = cluster().kubectl(
      kAutoscaler, {"replace", "--raw", "/apis/apps/v1/namespaces/frozen-calm/deployments/asleep/scale", "-f", "-"},
      R"({"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"asleep","namespace":"frozen-calm"},)"
      R"("spec":{"replicas":2}})");
  EXPECT_EQ(autoscaled.exit_code, 0) << output_of(autoscaled);
  // A denied request after them: once the webhook has logged it, it would
  // have logged them too.
  expect_denied_and_reviewed(
      {"marker", {"set", "image", "deployment/calm", "app=nginx:1.26", "-n", "frozen-calm"}, "calm", {}});
  EXPECT_EQ(decisions_about("dev", "calm"), 1U) << "a change that is not governed reached the webhook";
  EXPECT_EQ(decisions_about(kAutoscaler.user, "asleep"), 0U) << "a trusted requester reached the webhook";
}

TEST_F(Cluster, PodsNamespacesAndTheOtherWorkloadKinds) {
  make_namespace("frozen-kinds");
  admin_apply(deployment("pods", "frozen-kinds", 2) + "---\n" + workload("StatefulSet", "db", "frozen-kinds") +
              "---\n" + workload("DaemonSet", "agent", "frozen-kinds") + "---\n" +
              workload("ReplicaSet", "bare", "frozen-kinds"));
  // The controllers create ReplicaSets and Pods during the freeze.
  const std::vector<std::string> pods = wait_for_pods("frozen-kinds", "pods", 2);
  ASSERT_EQ(pods.size(), 2U) << "the deployment and replicaset controllers were held up";
  ASSERT_EQ(wait_for_pods("frozen-kinds", "bare", 1).size(), 1U);
  const std::vector<GovernedRow> rows{
      {"pod delete",
       {"delete", "pod", pods[0], "-n", "frozen-kinds", "--wait=false"},
       pods[0],
       {"restart of Pod frozen-kinds/" + pods[0] + " is blocked"}},
      {"StatefulSet create",
       {"create", "-f", "-"},
       "db2",
       {"deploy of StatefulSet frozen-kinds/db2 is blocked"},
       workload("StatefulSet", "db2", "frozen-kinds")},
      {"StatefulSet set image",
       {"set", "image", "statefulset/db", "app=nginx:1.26", "-n", "frozen-kinds"},
       "db",
       {"deploy of StatefulSet frozen-kinds/db is blocked"}},
      {"DaemonSet set image",
       {"set", "image", "daemonset/agent", "app=nginx:1.26", "-n", "frozen-kinds"},
       "agent",
       {"deploy of DaemonSet frozen-kinds/agent is blocked"}},
      {"ReplicaSet scale to 0",
       {"scale", "replicaset/bare", "--replicas=0", "-n", "frozen-kinds"},
       "bare",
       {"hibernate of ReplicaSet frozen-kinds/bare is blocked"}},
      {"ReplicaSet delete",
       {"delete", "replicaset/bare", "-n", "frozen-kinds", "--wait=false"},
       "bare",
       {"delete of ReplicaSet frozen-kinds/bare is blocked"}},
  };
  for (const GovernedRow& row : rows) {
    expect_denied_and_reviewed(row);
  }
  // kubectl drain's eviction, through the eviction API.
  expect_denied_and_reviewed(
      {"pod eviction",
       {"create", "--raw", "/api/v1/namespaces/frozen-kinds/pods/" + pods[1] + "/eviction", "-f", "-"},
       pods[1],
       {"restart of Pod frozen-kinds/" + pods[1] + " is blocked by blackout window \"change-freeze\""},
       R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":")" + pods[1] +
           R"(","namespace":"frozen-kinds"}})"});
  EXPECT_EQ(wait_for_pods("frozen-kinds", "pods", 2), pods) << "a pod was replaced";
  // The controllers are trusted: none of their writes reached the webhook.
  for (const std::string& line : webhook().log()) {
    EXPECT_EQ(line.find("\"user\":\"system:serviceaccount:kube-system:"), std::string::npos) << line;
  }
  // Deleting the namespace: every binding of it applies.
  admin_apply(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: namespace-deleter}\nrules:\n"
      "  - {apiGroups: [\"\"], resources: [namespaces], verbs: [delete]}\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: dev-deletes-namespaces}\n"
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: namespace-deleter}\n"
      "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dev}]\n");
  expect_denied_and_reviewed({"namespace delete",
                              {"delete", "namespace", "frozen-kinds", "--wait=false"},
                              "frozen-kinds",
                              {"delete of Namespace frozen-kinds is blocked by blackout window \"change-freeze\""}});
}

// An Eviction carries none of its Pod's labels: windowguard reads the Pod,
// so a window bound to one application of a namespace stops only the
// evictions of that application's Pods.
TEST_F(Cluster, AnEvictionMeetsOnlyTheWindowsOfItsPodsApplication) {
  make_namespace("billing-only");
  admin_apply(deployment("web", "billing-only", 1) + "---\n" + deployment("billing", "billing-only", 1));
  const std::vector<std::string> web = wait_for_pods("billing-only", "web", 1);
  const std::vector<std::string> billing = wait_for_pods("billing-only", "billing", 1);
  ASSERT_EQ(web.size(), 1U);
  ASSERT_EQ(billing.size(), 1U);
  const auto eviction = [](const std::string& pod) {
    return GovernedRow{"eviction",
                       {"create", "--raw", "/api/v1/namespaces/billing-only/pods/" + pod + "/eviction", "-f", "-"},
                       pod,
                       {"restart of Pod billing-only/" + pod + " is blocked by blackout window \"change-freeze\""},
                       R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":")" + pod +
                           R"(","namespace":"billing-only"}})"};
  };
  const GovernedRow of_web = eviction(web[0]);
  const CommandResult web_evicted = cluster().kubectl(kDeveloper, of_web.arguments, of_web.input);
  EXPECT_EQ(web_evicted.exit_code, 0) << output_of(web_evicted);
  expect_denied_and_reviewed(eviction(billing[0]));
  const CommandResult kept =
      cluster().kubectl({"get", "pod", billing[0], "-n", "billing-only", "-o", "jsonpath={.metadata.name}"});
  EXPECT_EQ(kept.out, billing[0]) << "the billing Pod stays";
}

TEST_F(Cluster, ExemptPeopleAreWarnedArgoCdIsGovernedAndAComingBlockIsAnnounced) {
  make_namespace("frozen-people");
  admin_apply(deployment("shop", "frozen-people", 2));
  const CommandResult on_call =
      cluster().kubectl(kOnCall, {"set", "image", "deployment/shop", "app=nginx:1.26", "-n", "frozen-people"});
  EXPECT_EQ(on_call.exit_code, 0) << output_of(on_call);
  EXPECT_NE(on_call.err.find("Warning: windowguard: deploy allowed only because you are exempt from blackout window "
                             "\"change-freeze\""),
            std::string::npos)
      << output_of(on_call);

  admin_apply(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: argocd}\n"
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n"
      "subjects: [{kind: ServiceAccount, name: argocd-application-controller, namespace: argocd}]\n");
  const CommandResult synced = cluster().kubectl(
      kArgoCd, {"apply", "--server-side", "--force-conflicts", "--field-manager=argocd-controller", "-f", "-"},
      deployment("shop", "frozen-people", 2, "nginx:1.27"));
  EXPECT_NE(synced.exit_code, 0) << output_of(synced);
  EXPECT_NE(synced.err.find("deploy of Deployment frozen-people/shop is blocked by blackout window \"change-freeze\""),
            std::string::npos)
      << output_of(synced);

  make_namespace("soon");
  const CommandResult early = cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, deployment("train", "soon", 1));
  EXPECT_EQ(early.exit_code, 0) << output_of(early);
  EXPECT_NE(early.err.find("Warning: windowguard: deploy will be blocked from"), std::string::npos) << output_of(early);
  EXPECT_NE(early.err.find("release-train"), std::string::npos) << output_of(early);
}

// Last: it stops the webhook.  With failurePolicy Fail, only governed actions
// fail while windowguard is down.
TEST_F(Cluster, AnOutageBlocksOnlyGovernedActions) {
  make_namespace("frozen-outage");
  admin_apply(deployment("down", "frozen-outage", 2));
  ClusterEnvironment::shared().stop_webhook();
  const std::vector<std::vector<std::string>> working{
      {"annotate", "deployment/down", "owner=team-a", "-n", "frozen-outage"},
      {"label", "deployment/down", "tier=front", "-n", "frozen-outage"},
      {"scale", "deployment/down", "--replicas=3", "-n", "frozen-outage"},
  };
  for (const auto& arguments : working) {
    const CommandResult result = cluster().kubectl(kDeveloper, arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments[0] << ": " << output_of(result);
  }
  const std::vector<std::vector<std::string>> refused{
      {"set", "image", "deployment/down", "app=nginx:1.26", "-n", "frozen-outage"},
      {"rollout", "restart", "deployment/down", "-n", "frozen-outage"},
      {"scale", "deployment/down", "--replicas=0", "-n", "frozen-outage"},
      {"delete", "deployment/down", "-n", "frozen-outage", "--wait=false"},
  };
  for (const auto& arguments : refused) {
    const CommandResult result = cluster().kubectl(kDeveloper, arguments);
    EXPECT_NE(result.exit_code, 0) << arguments[0] << ": " << output_of(result);
    EXPECT_NE(result.err.find("failed calling webhook \"windows.windowguard.dev\""), std::string::npos)
        << arguments[0] << ": " << output_of(result);
  }
  ClusterEnvironment::shared().start_webhook();
}

}  // namespace
}  // namespace windowguard::testing
